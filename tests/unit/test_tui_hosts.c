/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_hosts.c: the explorer's files, hosts and pools, on the app state without a terminal */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpuscope/pool.h"
#include "cpuscope/xalloc.h"
#include "test_chain.h"
#include "test_tui_app_fixture.h"
#include "test_tui_fixture.h"
#include "tui/app.h"
#include "tui/engine.h"
#include "tui/keys.h"
#include "tui/view.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_probe_files(void **state)
{
	struct fx *fx = *state;
	const struct cs_arch *arch = cs_map_arch(fx->map, "x86");
	struct engine_host_opts opts = {NULL, NULL};
	struct app_host cpu, kvm;
	char path[128];

	snprintf(path, sizeof(path), "%s/caps.xml", fx->dir);
	write_file(path, "<cpu>\n  <arch>x86_64</arch>\n  <model>top</model>\n"
	                 "  <vendor>Intel</vendor>\n  <feature name='vmx'/>\n</cpu>\n");
	opts.file = path;
	engine_probe(fx->map, arch, &opts, &cpu, &kvm, NULL);
	assert_true(cpu.present);
	assert_string_equal(cpu.source, "caps.xml");
	assert_int_equal(cpu.model, M_TOP);
	assert_true(cs_fset_test(&cpu.features, F_VMX));
	assert_true(cs_fset_test(&cpu.extra, F_VMX));
	assert_false(kvm.present);
	assert_non_null(strstr(kvm.detail, "--host"));
	engine_host_release(&cpu);
	engine_host_release(&kvm);

	/* domcapabilities: the host-model CPU is what KVM gives */
	snprintf(path, sizeof(path), "%s/domcaps.xml", fx->dir);
	write_file(path, "<domainCapabilities>\n  <arch>x86_64</arch>\n  <cpu>\n"
	                 "    <mode name='host-model' supported='yes'>\n"
	                 "      <model fallback='forbid'>top</model>\n"
	                 "      <vendor>Intel</vendor>\n"
	                 "      <feature policy='require' name='vmx'/>\n"
	                 "      <feature policy='disable' name='avx2'/>\n"
	                 "    </mode>\n  </cpu>\n</domainCapabilities>\n");
	engine_probe(fx->map, arch, &opts, &cpu, &kvm, NULL);
	assert_false(cpu.present);
	assert_true(kvm.present);
	assert_int_equal(kvm.model, M_TOP);
	assert_true(cs_fset_test(&kvm.features, F_VMX));
	assert_false(cs_fset_test(&kvm.features, F_AVX2));
	/* a guest of model top needs avx2, which the host-model disables */
	struct app app2;
	app_init(&app2, fx->map, &cpu, &kvm);
	tree_to(&app2, M_TOP);
	app_apply(&app2, ACT_PICK);
	assert_string_equal(VERDICT(app2.v_cpu), "NO HOST");
	assert_string_equal(VERDICT(app2.v_kvm), "INCOMPATIBLE");
	assert_true(cs_fset_test(&app2.v_kvm.missing, F_AVX2));
	app_release(&app2);

	/* a file that is no host at all */
	snprintf(path, sizeof(path), "%s/junk.xml", fx->dir);
	write_file(path, "not xml at all\n");
	assert_int_equal(engine_probe(fx->map, arch, &opts, &cpu, &kvm, NULL), -1);
	assert_false(cpu.present);
	assert_true(strlen(cpu.detail) > 0);
	engine_host_release(&cpu);
	engine_host_release(&kvm);
}

/* ---- a pool of hosts ----------------------------------------------------- */

/* Two pool hosts: 'top' + vmx, and 'mid' + avx (no avx2). */
static void load_pool(struct fx *fx, struct cs_pool *pool)
{
	static const char xml[] = "<cpu><arch>x86_64</arch><model>top</model><vendor>Intel</vendor>"
	                          "<feature name='vmx'/></cpu>\n"
	                          "<cpu><arch>x86_64</arch><model>mid</model><vendor>Intel</vendor>"
	                          "<feature name='avx'/></cpu>\n";
	struct cs_error err = {0};

	cs_pool_init(pool, fx->map);
	if (cs_pool_add_buffer(pool, xml, strlen(xml), "nodes.xml", &err) != 2) {
		cs_error_print(&err, "pool: ", stderr);
		fail();
	}
}

static bool lines_have(char **lines, size_t n, const char *needle)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(lines[i], needle))
			return true;
	return false;
}

static void test_pool(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	struct cs_pool pool;
	unsigned n = 0;

	load_pool(fx, &pool);
	app_set_pool(app, &pool);
	assert_ptr_equal(app->pool, &app->pool_store);
	assert_int_equal(pool.n, 0); /* app took the hosts */
	assert_true(app->badge_pool);
	assert_string_equal(VERDICT(app->v_pool), "ERROR"); /* no model yet */
	/* the pool line takes a row of the verdict bar, after the start
	 * verdict and the compare answers */
	assert_int_equal(app->layout.verdict.h, 4);
	assert_int_equal(app_fix_row(app), 3);

	/* badges count the hosts that cannot run each model */
	assert_int_equal(app_badge(app, M_MID, &n), BADGE_RUNS);
	assert_int_equal(app_badge(app, M_TOP, &n), BADGE_MISSING);
	assert_int_equal(n, 1);
	assert_int_equal(app_badge(app, M_BIG, &n), BADGE_MISSING);
	assert_int_equal(n, 2);
	assert_int_equal(app_pool_have(app, F_AVX), 2);
	assert_int_equal(app_pool_have(app, F_AVX2), 1);
	assert_int_equal(app_pool_have(app, F_VMX), 1);
	app_apply(app, ACT_BADGES);
	assert_false(app->badge_pool);
	assert_int_equal(app_badge(app, M_TOP, &n), BADGE_RUNS); /* the host runs it */
	app_apply(app, ACT_BADGES);
	assert_true(app->badge_pool);

	/* 'top' runs on the host but not on the 'mid' node: it lacks avx2 */
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	assert_string_equal(VERDICT(app->v_pool), "INCOMPATIBLE");
	assert_int_equal(app->v_pool.nbad, 1);
	assert_int_equal(app->v_pool.first_bad, 1);
	assert_true(cs_fset_test(&app->v_pool.missing, F_AVX2));
	assert_non_null(strstr(app->v_pool.message, "nodes.xml+2"));
	assert_non_null(strstr(app->v_pool.message, "avx2"));
	assert_true(app_feature_is_problem(app, F_AVX2));
	/* the fix covers the pool; the fallback must run on the host and the pool */
	assert_non_null(strstr(app->fix_text, "disable 1 feature (avx2)"));
	assert_int_equal(app->fix_model, M_MID);

	/* the pool view names each host and its verdict */
	app_apply(app, ACT_POOL);
	assert_int_equal(app->view, PANE_POOL);
	assert_int_equal(app_key_context(app), KCTX_POOL);
	app_prepare(app);
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "2 hosts: 1 can run the guest, 1 cannot."));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n, "nodes.xml+1"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "nodes.xml+2  incompatible  mid +1"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "does not provide required features"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "avx2                 1 of 2 (the guest"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "Models every host runs ("));

	/* the fix makes it run everywhere */
	app_apply(app, ACT_FIX);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX2), CS_POLICY_DISABLE);
	assert_string_equal(VERDICT(app->v_pool), "SUPERSET");
	assert_int_equal(app->v_pool.nbad, 0);
	app_prepare(app);
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "every one can run the guest"));
	app_apply(app, ACT_UNDO);
	assert_string_equal(VERDICT(app->v_pool), "INCOMPATIBLE");

	/* forbidding what one node has fails on that node */
	feature_to(app, F_VMX);
	app_apply(app, ACT_POLICY_FORBID);
	assert_string_equal(VERDICT(app->v_pool), "INCOMPATIBLE");
	assert_true(cs_fset_test(&app->v_pool.forbidden, F_VMX));
	app_apply(app, ACT_UNDO);

	/* B: the pool's baseline as the guest, as cpu-baseline prints it */
	assert_non_null(app->pool_base);
	assert_non_null(strstr(app->pool_base_text, "mid, vendor Intel, 1 feature required"));
	app->guest->has_topology = true; /* as if edited: kept by B */
	app->guest->sockets = 2;
	app_apply(app, ACT_BASELINE);
	assert_int_equal(app->guest->model, M_MID);
	assert_int_equal(app->guest->vendor_idx, V_INTEL);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX), CS_POLICY_REQUIRE);
	assert_int_equal(app->guest->sockets, 2); /* topology kept */
	assert_string_equal(VERDICT(app->v_pool), "SUPERSET");
	assert_int_equal(view_tree_model(app), M_MID);
	app_apply(app, ACT_UNDO);
	assert_int_equal(app->guest->model, M_TOP);

	/* Esc leaves the pool view */
	app_apply(app, ACT_POOL);
	app_apply(app, ACT_ESCAPE);
	assert_int_equal(app->view, PANE_FEATURES);

	/* no pool: the actions say so */
	app_set_pool(app, NULL);
	assert_null(app->pool);
	assert_string_equal(VERDICT(app->v_pool), "NO HOST");
	assert_int_equal(app_fix_row(app), 2);
	app_apply(app, ACT_BASELINE);
	assert_true(app->status_error);
	assert_non_null(strstr(app->status, "no pool"));
	cs_pool_release(&pool);
}

/* P: hosts added from a file while the explorer runs. */
static void test_pool_add(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char path[128], bad[128], ppc[128], line[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/nodes.xml", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("<cpu><arch>x86_64</arch><model>mid</model><vendor>Intel</vendor></cpu>\n", f);
	fclose(f);
	snprintf(bad, sizeof(bad), "%s/bad.xml", fx->dir);
	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("<cpu><arch>x86_64</arch>\n<model>mid\n", f);
	fclose(f);
	snprintf(ppc, sizeof(ppc), "%s/ppc.xml", fx->dir);
	f = fopen(ppc, "w");
	assert_non_null(f);
	fputs("<cpu><arch>ppc64</arch><model>POWER9</model></cpu>\n", f);
	fclose(f);

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_null(app->pool);
	/* a bad file: an error naming it, still no pool */
	assert_int_equal(app_add_pool_file(app, bad), -1);
	assert_true(app->status_error);
	assert_non_null(strstr(app->status, "bad.xml"));
	assert_null(app->pool);
	/* another architecture is refused */
	assert_int_equal(app_add_pool_file(app, ppc), -1);
	assert_true(app->status_error);
	assert_null(app->pool);
	/* through the prompt */
	app_apply(app, ACT_POOL_ADD);
	assert_int_equal(app->mode, MODE_PROMPT);
	assert_int_equal(app->prompt, PROMPT_POOL);
	type(app, path);
	app_input(app, '\n');
	assert_non_null(app->pool);
	assert_int_equal(app->pool->n, 1);
	assert_int_equal(app->view, PANE_POOL);
	assert_true(app->badge_pool);
	assert_int_equal(app->layout.verdict.h, 4);
	assert_string_equal(VERDICT(app->v_pool), "INCOMPATIBLE"); /* mid lacks avx, avx2 */
	snprintf(line, sizeof(line), "pool: 1 host added from %s, 1 in all", path);
	assert_string_equal(app->status, line);
	/* the same file again, however spelt, counts once */
	snprintf(line, sizeof(line), "%s/./nodes.xml", fx->dir);
	assert_int_equal(app_add_pool_file(app, line), -1);
	assert_non_null(strstr(app->status, "in the pool already"));
	assert_int_equal(app->pool->n, 1);
	/* a copy of it is another host: the same CPU twice is one distinct CPU */
	snprintf(line, sizeof(line), "cp '%s' '%s/copy.xml'", path, fx->dir);
	assert_int_equal(system(line), 0);
	snprintf(line, sizeof(line), "%s/copy.xml", fx->dir);
	assert_int_equal(app_add_pool_file(app, line), 1);
	assert_int_equal(app->pool->n, 2);
	assert_int_equal(app->pool->ndistinct, 1);
	assert_int_equal(app->v_pool.nbad, 2);
	app_prepare(app);
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "2 hosts (1 distinct CPUs)"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "nodes.xml, copy.xml"));
	/* a bad file later leaves the pool as it was */
	assert_int_equal(app_add_pool_file(app, bad), -1);
	assert_int_equal(app->pool->n, 2);
}

/* A map whose models chain 200,000 deep: the tree is built without
 * recursion, each row one level deeper. */
static void test_deep_tree(void **state)
{
	size_t n = 200000, len;
	char *buf = chain_yaml(CHAIN_HEAD, n, false, "", &len);
	struct cs_error err = {0};
	struct app_host cpu, kvm;
	struct cs_map *map;
	struct app app;

	(void)state;
	map = cs_map_load_yaml_buffer(buf, len, "deep.yaml", &err);
	free(buf);
	assert_non_null(map);
	fixture_absent(&cpu, "host", "no host");
	fixture_absent(&kvm, "KVM", "no KVM");
	app_init(&app, map, &cpu, &kvm);
	assert_int_equal(app.ntrows, n);
	assert_int_equal(app.trows[n - 1].model, (int)n - 1);
	assert_int_equal(app.trows[n - 1].depth, n - 1);
	assert_true(app.trows[n - 1].last);
	assert_false(app.trows[n - 1].has_children);
	/* collapsing the root hides the rest */
	app_apply(&app, ACT_FOCUS_TREE);
	app_apply(&app, ACT_HOME);
	app_apply(&app, ACT_LEFT);
	assert_int_equal(app.ntrows, 1);
	app_release(&app);
	cs_map_free(map);
}

/* y and Y: the guest's XML and -cpu argument, as an OSC 52 sequence. */
static void test_copy(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char *seq;

	/* the encoding: base64 with padding, selection c, ended by BEL */
	static const char *const cases[][2] = {
	        {"", "\033]52;c;\a"},
	        {"f", "\033]52;c;Zg==\a"},
	        {"fo", "\033]52;c;Zm8=\a"},
	        {"foobar", "\033]52;c;Zm9vYmFy\a"},
	        {"<cpu>\n\xff", "\033]52;c;PGNwdT4K/w==\a"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		seq = engine_osc52(cases[i][0]);
		assert_string_equal(seq, cases[i][1]);
		free(seq);
	}

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_int_equal(app_apply(app, ACT_COPY) & APP_CLIPBOARD, APP_CLIPBOARD);
	assert_non_null(strstr(app->clip, "<model fallback='allow'>top</model>"));
	assert_non_null(strstr(app->status, "copied the guest <cpu> XML"));
	assert_int_equal(app_apply(app, ACT_COPY_ARG) & APP_CLIPBOARD, APP_CLIPBOARD);
	assert_string_equal(app->clip, "-cpu top");
	assert_false(app->status_error);
	/* the keys */
	assert_int_equal(keys_lookup(KCTX_GLOBAL, 'y', true), ACT_COPY);
	assert_int_equal(keys_lookup(KCTX_GLOBAL, 'Y', true), ACT_COPY_ARG);
}

/* On a Haswell host with TSX off, Haswell fails for hle and rtm: the fix
 * falls back to Haswell-noTSX, and the output view says why. */
static void test_fix_without_tsx(void **state)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load("tests/data/cpu_map-9.0.0", &err);
	struct engine_host_opts opts = {"tests/data/cputest/x86_64-cpuid-Xeon-E5-2650-v3-host.xml",
	                                NULL};
	const struct cs_arch *arch;
	struct app_host cpu, kvm;
	struct app app;
	bool why = false, tsx = false;

	(void)state;
	assert_non_null(map);
	arch = cs_map_arch(map, "x86");
	engine_probe(map, arch, &opts, &cpu, &kvm, NULL);
	assert_true(cpu.present);
	app_init(&app, map, &cpu, &kvm);
	tree_to(&app, cs_arch_find_model(arch, "Haswell"));
	app_apply(&app, ACT_PICK);
	assert_string_equal(VERDICT(app.v_cpu), "INCOMPATIBLE");
	assert_int_equal(app.fix_model, cs_arch_find_model(arch, "Haswell-noTSX"));
	assert_non_null(strstr(app.fix_text, "fall back to model Haswell-noTSX"));
	app_apply(&app, ACT_FOCUS_OUTPUT);
	app_prepare(&app);
	for (size_t i = 0; i < app.text[PANE_OUTPUT].n; i++) {
		why |= !strcmp(app.text[PANE_OUTPUT].lines[i], "Why the host lacks them:");
		tsx |= strstr(app.text[PANE_OUTPUT].lines[i], "hle, rtm: TSX:") != NULL;
	}
	assert_true(why);
	assert_true(tsx);
	/* with a pool, its view names the model and how many hosts run it */
	{
		static const char *const files[] = {
		        "tests/data/cputest/x86_64-cpuid-Xeon-E5-2650-v3-host.xml",
		        "tests/data/cputest/x86_64-cpuid-Xeon-E5-2650-v4-host.xml",
		        "tests/data/cputest/x86_64-cpuid-Xeon-Gold-6148-host.xml",
		};
		struct cs_pool pool;

		cs_pool_init(&pool, map);
		for (size_t i = 0; i < 3; i++)
			assert_int_equal(cs_pool_add_file(&pool, files[i], &err), 1);
		app_set_pool(&app, &pool);
		app_apply(&app, ACT_POOL);
		app_prepare(&app);
		app_resize(&app, 40, 160);
		app_prepare(&app);
		assert_true(lines_have(app.text[PANE_POOL].lines, app.text[PANE_POOL].n,
		                       "Haswell-noTSX is Haswell without hle, rtm: 3 of 3 hosts "
		                       "run it."));
		app_apply(&app, ACT_ESCAPE);
	}
	app_apply(&app, ACT_FALLBACK);
	assert_int_equal(app.guest->model, cs_arch_find_model(arch, "Haswell-noTSX"));
	assert_string_equal(VERDICT(app.v_cpu), "SUPERSET");
	assert_string_equal(VERDICT(app.v_pool), "SUPERSET");
	app_release(&app);
	cs_map_free(map);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[8192];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_save_and_open(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char path[128];

	snprintf(path, sizeof(path), "%s/guest.xml", fx->dir);
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	feature_to(app, F_VMX);
	app_apply(app, ACT_POLICY_REQUIRE);
	feature_to(app, F_AVX2);
	app_apply(app, ACT_POLICY_DISABLE);
	/* s without a file asks for a name */
	app_apply(app, ACT_SAVE);
	assert_int_equal(app->mode, MODE_PROMPT);
	assert_int_equal(app->prompt, PROMPT_SAVE_AS);
	app_input(app, 21); /* C-u clears the suggested name */
	type(app, path);
	app_input(app, '\n');
	assert_int_equal(app->mode, MODE_NORMAL);
	assert_false(app->dirty);
	assert_string_equal(app->path, path);
	const char *xml = slurp(path);
	assert_non_null(strstr(xml, "<cpu mode='custom' match='exact'>"));
	assert_non_null(strstr(xml, "<model fallback='allow'>top</model>"));
	assert_non_null(strstr(xml, "<feature policy='require' name='vmx'/>"));
	assert_non_null(strstr(xml, "<feature policy='disable' name='avx2'/>"));
	assert_true(strstr(xml, "vmx") < strstr(xml, "avx2"));

	/* change, then open the saved file again: asks first */
	app_apply(app, ACT_POLICY_CLEAR);
	assert_true(app->dirty);
	app_apply(app, ACT_OPEN);
	type(app, path);
	app_input(app, '\n');
	assert_int_equal(app->mode, MODE_CONFIRM);
	assert_int_equal(app->confirm, CONFIRM_OPEN);
	app_apply(app, ACT_NO);
	assert_false(app->dirty);
	assert_int_equal(app->guest->model, M_TOP);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX2), CS_POLICY_DISABLE);
	assert_int_equal(engine_guest_policy(app->guest, F_VMX), CS_POLICY_REQUIRE);
	assert_int_equal(app->nundo, 0);
	assert_int_equal(view_tree_model(app), M_TOP);

	/* s with a file saves in place */
	feature_to(app, F_FPU);
	app_apply(app, ACT_POLICY_FORCE);
	app_apply(app, ACT_SAVE);
	assert_false(app->dirty);
	assert_non_null(strstr(slurp(path), "<feature policy='force' name='fpu'/>"));

	/* w: save as another file, which becomes the current one */
	char other[160];
	snprintf(other, sizeof(other), "%s/other.xml", fx->dir);
	feature_to(app, F_SSE);
	app_apply(app, ACT_POLICY_OPTIONAL);
	app_apply(app, ACT_SAVE_AS);
	assert_int_equal(app->mode, MODE_PROMPT);
	assert_string_equal(app->input, path); /* offers the current name */
	app_input(app, 21);
	type(app, other);
	app_input(app, '\n');
	assert_string_equal(app->path, other);
	assert_false(app->dirty);
	assert_non_null(strstr(slurp(other), "<feature policy='optional' name='sse'/>"));
	assert_null(strstr(slurp(path), "name='sse'"));

	/* an error keeps the state and says why */
	assert_int_equal(app_open(app, "/nonexistent/x.xml"), -1);
	assert_true(app->status_error);
	assert_int_equal(app->guest->model, M_TOP);
	assert_int_equal(app_save(app, "/nonexistent/dir/x.xml"), -1);
	assert_true(app->status_error);
}

static void test_domain_keeps_all_but_cpu(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	static const char head[] = "<domain type='kvm'>\n"
	                           "  <name>vm1</name>\n"
	                           "  <!-- keep me -->\n"
	                           "  <memory unit='KiB'>1048576</memory>\n";
	static const char cpu[] = "  <cpu mode='custom' match='exact' check='partial'>\n"
	                          "    <model fallback='allow'>mid</model>\n"
	                          "    <feature policy='require' name='vmx'/>\n"
	                          "    <numa>\n"
	                          "      <cell id='0' cpus='0' memory='1048576' unit='KiB'/>\n"
	                          "    </numa>\n"
	                          "  </cpu>\n";
	static const char tail[] =
	        "  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
	        "  </devices>\n</domain>\n";
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/vm1.xml", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s%s%s", head, cpu, tail);
	fclose(f);
	assert_int_equal(app_open(app, path), 0);
	assert_true(app->is_domain);
	assert_int_equal(app->guest->model, M_MID);
	assert_int_equal(app->guest->check, CS_CPU_CHECK_PARTIAL);
	assert_int_equal(engine_guest_policy(app->guest, F_VMX), CS_POLICY_REQUIRE);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	feature_to(app, F_AVX);
	app_apply(app, ACT_POLICY_REQUIRE);
	assert_true(app->dirty);
	app_apply(app, ACT_SAVE);
	assert_false(app->status_error);
	assert_false(app->dirty);
	const char *out = slurp(path);
	assert_memory_equal(out, head, strlen(head));
	assert_string_equal(out + strlen(out) - strlen(tail), tail);
	assert_non_null(strstr(out, "<feature policy='require' name='avx'/>"));
	assert_non_null(strstr(out, "<feature policy='require' name='vmx'/>"));
	assert_non_null(strstr(out, "<cell id='0' cpus='0' memory='1048576' unit='KiB'/>"));
	assert_non_null(strstr(out, "check='partial'"));
	/* the output view shows what will be written */
	app_apply(app, ACT_FOCUS_OUTPUT);
	app_prepare(app);
	bool numa = false;
	for (size_t i = 0; i < app->text[PANE_OUTPUT].n; i++)
		numa |= strstr(app->text[PANE_OUTPUT].lines[i], "<numa>") != NULL;
	assert_true(numa);
}

static void test_quit(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char path[128];

	assert_true(app_apply(app, ACT_QUIT) & APP_QUIT); /* clean: quits at once */
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_false(app_apply(app, ACT_QUIT) & APP_QUIT);
	assert_int_equal(app->mode, MODE_CONFIRM);
	app_apply(app, ACT_ESCAPE); /* cancel */
	assert_int_equal(app->mode, MODE_NORMAL);
	app_apply(app, ACT_QUIT);
	assert_true(app_apply(app, ACT_NO) & APP_QUIT);
	/* yes without a file: asks for a name, saves, then quits */
	app->mode = MODE_NORMAL;
	app_apply(app, ACT_QUIT);
	app_apply(app, ACT_YES);
	assert_int_equal(app->mode, MODE_PROMPT);
	snprintf(path, sizeof(path), "%s/q.xml", fx->dir);
	app_input(app, 21);
	type(app, path);
	assert_true(app_input(app, '\n') & APP_QUIT);
	assert_int_equal(access(path, F_OK), 0);
	/* Ctrl-C (quit) while asking quits */
	app->quit = false;
	feature_to(app, F_FPU);
	app_apply(app, ACT_POLICY_REQUIRE);
	app_apply(app, ACT_QUIT);
	assert_true(app_apply(app, ACT_QUIT) & APP_QUIT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_save_and_open, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_domain_keeps_all_but_cpu, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_quit, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_probe_files, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pool, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pool_add, setup, teardown),
	        cmocka_unit_test(test_deep_tree),
	        cmocka_unit_test(test_fix_without_tsx),
	        cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
