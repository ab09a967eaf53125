/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_edit.c: typed topology numbers, undo that says what, file name completion, safe saving,
 * the first screen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_tui_app_fixture.h"
#include "test_tui_fixture.h"
#include "test_util.h"
#include "tui/app.h"
#include "tui/app_int.h"
#include "tui/engine.h"
#include "tui/keys.h"
#include "tui/view.h"

/* A key as the event loop hands it over. */
static int key(struct app *app, int k)
{
	app->last_key = k;
	return app_apply(app, keys_lookup(app_key_context(app), k, true));
}

static void field_to(struct app *app, enum app_field f)
{
	app_apply(app, ACT_FOCUS_GUEST);
	app_apply(app, ACT_HOME);
	while (app->field != f)
		app_apply(app, ACT_DOWN);
}

static void test_topology_typed(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	field_to(app, FIELD_CORES);
	key(app, '1');
	key(app, '2');
	assert_int_equal(engine_guest_topology(app->guest, 3), 12);
	/* the others take libvirt's defaults */
	assert_int_equal(engine_guest_topology(app->guest, 0), 1);
	key(app, '\n');
	assert_non_null(strstr(app->status, "cores: 12"));
	/* a new number after Enter replaces the value */
	key(app, '4');
	assert_int_equal(engine_guest_topology(app->guest, 3), 4);
	/* one undo step per number */
	app_apply(app, ACT_UNDO);
	assert_int_equal(engine_guest_topology(app->guest, 3), 12);
	assert_non_null(strstr(app->status, "undone: cores 4"));
	app_apply(app, ACT_UNDO);
	assert_int_equal(engine_guest_topology(app->guest, 3), 0);
	/* huge numbers stop at 4096 */
	field_to(app, FIELD_SOCKETS);
	for (int i = 0; i < 8; i++)
		key(app, '9');
	assert_int_equal(engine_guest_topology(app->guest, 0), 4096);
	/* + and - still step */
	key(app, '-');
	assert_int_equal(engine_guest_topology(app->guest, 0), 4095);
	/* a digit elsewhere does what it does everywhere: 1 focuses the tree */
	field_to(app, FIELD_MODE);
	key(app, '1');
	assert_int_equal(app->focus, PANE_TREE);
}

static void test_undo_says_what(void **state)
{
	struct app *app = &((struct fx *)*state)->app;
	struct cs_cpudef *before;

	before = app_edit_begin(app);
	engine_guest_set_model(app->guest, M_MID);
	app_edit_commit(app, before);
	before = app_edit_begin(app);
	engine_guest_set_policy(app->guest, F_AVX2, CS_POLICY_REQUIRE);
	engine_guest_set_policy(app->guest, F_SSE, CS_POLICY_DISABLE);
	app_edit_commit(app, before);
	app_apply(app, ACT_UNDO);
	assert_string_equal(app->status, "undone: -sse, +avx2 (1 more)");
	app_apply(app, ACT_REDO);
	assert_string_equal(app->status, "redone: -sse, +avx2 (0 more)");
	app_apply(app, ACT_UNDO);
	app_apply(app, ACT_UNDO);
	assert_string_equal(app->status, "undone: model mid (0 more)");
	/* many changes at once: three, and how many more */
	before = app_edit_begin(app);
	for (unsigned f = 0; f < 6; f++)
		engine_guest_set_policy(app->guest, f, CS_POLICY_REQUIRE);
	app_edit_commit(app, before);
	app_apply(app, ACT_UNDO);
	assert_string_equal(app->status, "undone: +fpu, +sse, +sse2 and 3 more changes (0 more)");
}

static void touch(const char *dir, const char *name)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static void test_complete(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char want[300], sub[256];

	touch(fx->dir, "guest-a.xml");
	touch(fx->dir, "guest-b.xml");
	touch(fx->dir, "host.xml");
	snprintf(sub, sizeof(sub), "%s/domains", fx->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	touch(sub, "web.xml");

	app_apply(app, ACT_OPEN);
	snprintf(app->input, sizeof(app->input), "%s/gu", fx->dir);
	app->input_len = strlen(app->input);
	app_input(app, '\t');
	snprintf(want, sizeof(want), "%s/guest-", fx->dir);
	assert_string_equal(app->input, want);
	app_input(app, '\t'); /* the second Tab lists them */
	assert_string_equal(app->status, "guest-a.xml guest-b.xml");
	app_input(app, 'b');
	assert_string_equal(app->status, "");
	app_input(app, '\t');
	snprintf(want, sizeof(want), "%s/guest-b.xml", fx->dir);
	assert_string_equal(app->input, want);
	/* a directory gets its slash, then its files */
	snprintf(app->input, sizeof(app->input), "%s/do", fx->dir);
	app->input_len = strlen(app->input);
	app_input(app, '\t');
	snprintf(want, sizeof(want), "%s/domains/", fx->dir);
	assert_string_equal(app->input, want);
	app_input(app, '\t');
	snprintf(want, sizeof(want), "%s/domains/web.xml", fx->dir);
	assert_string_equal(app->input, want);
	/* nothing matches: said, input kept */
	app_input(app, 'z');
	app_input(app, '\t');
	assert_true(app->status_error);
	/* Tab at the search prompt is no completion */
	app_input(app, 27);
	app_apply(app, ACT_SEARCH);
	app_input(app, '\t');
	assert_int_equal(app->complete_tabs, 0);
}

static void test_save_as(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char a[256], a2[256], other[256], *text;

	snprintf(a, sizeof(a), "%s/g.xml", fx->dir);
	snprintf(a2, sizeof(a2), "%s/./g.xml", fx->dir);
	snprintf(other, sizeof(other), "%s/other.xml", fx->dir);
	engine_guest_set_model(app->guest, M_MID);
	assert_int_equal(app_save(app, a), 0);
	/* the same file spelt otherwise: no question */
	engine_guest_set_model(app->guest, M_TOP);
	assert_int_equal(app_save_as(app, a2) & APP_QUIT, 0);
	assert_int_equal(app->mode, MODE_NORMAL);
	text = read_text(a, NULL);
	assert_non_null(strstr(text, ">top<"));
	free(text);
	/* another file that exists: asked, n keeps it */
	FILE *f = fopen(other, "w");
	fputs("keep\n", f);
	fclose(f);
	app_save_as(app, other);
	assert_int_equal(app->mode, MODE_CONFIRM);
	assert_int_equal(app->confirm, CONFIRM_REPLACE);
	app_apply(app, ACT_NO);
	text = read_text(other, NULL);
	assert_string_equal(text, "keep\n");
	free(text);
	app_save_as(app, other);
	app_apply(app, ACT_YES);
	text = read_text(other, NULL);
	assert_non_null(strstr(text, "<cpu"));
	free(text);
}

static void test_host_file_kept(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char caps[256], *before, *after, name[256];
	static const char xml[] =
	        "<capabilities>\n  <host>\n    <cpu>\n      <arch>x86_64</arch>\n"
	        "      <model>top</model>\n      <vendor>Intel</vendor>\n"
	        "      <microcode version='42'/>\n      <counter name='tsc' frequency='1'/>\n"
	        "      <pages unit='KiB' size='4'/>\n    </cpu>\n  </host>\n</capabilities>\n";
	FILE *f;

	snprintf(caps, sizeof(caps), "%s/caps.xml", fx->dir);
	f = fopen(caps, "w");
	fputs(xml, f);
	fclose(f);
	assert_int_equal(app_open(app, caps), 0);
	assert_true(app->path_is_host);
	before = read_text(caps, NULL);
	assert_int_equal(app_save(app, NULL), -1);
	assert_non_null(strstr(app->status, "a host's file"));
	/* s asks for a new name */
	app_apply(app, ACT_SAVE);
	assert_int_equal(app->mode, MODE_PROMPT);
	app_guest_file_name(app, name, sizeof(name));
	assert_non_null(strstr(app->input, "caps-guest.xml"));
	app_input(app, '\n');
	after = read_text(caps, NULL);
	assert_string_equal(before, after);
	free(after);
	snprintf(name, sizeof(name), "%s/caps-guest.xml", fx->dir);
	after = read_text(name, NULL);
	assert_non_null(after);
	assert_null(strstr(after, "<arch"));
	assert_null(strstr(after, "<microcode"));
	assert_null(strstr(after, "<counter"));
	assert_null(strstr(after, "<pages"));
	assert_non_null(strstr(after, ">top<"));
	free(after);
	free(before);
}

static void test_special_files(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	assert_int_equal(app_open(app, "/dev/null"), -1);
	assert_non_null(strstr(app->status, "a device"));
	app_apply(app, ACT_OPEN);
	snprintf(app->input, sizeof(app->input), "%s", ((struct fx *)*state)->dir);
	app->input_len = strlen(app->input);
	app_input(app, '\n');
	assert_non_null(strstr(app->status, "a directory"));
}

static void test_first_screen(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	assert_int_equal(app_best_model(app, V_INTEL), M_TOP);
	assert_int_equal(app_best_model(app, V_AMD), -1);
	app_first_screen(app, false);
	assert_int_equal(app->guest->model, M_TOP);
	assert_int_equal(app->guest->mode, CS_CPU_MODE_CUSTOM);
	assert_int_equal(app->vendor_filter, V_INTEL);
	assert_false(app->dirty);
	assert_int_equal(app->nundo, 0);
	assert_int_equal(app->mode_outcome[0], CS_START_STARTS);
	assert_int_equal(app->mode_outcome[1], CS_START_STARTS);
	/* searching a model of another vendor shows every vendor */
	app_apply(app, ACT_FOCUS_TREE);
	app_apply(app, ACT_SEARCH);
	for (const char *c = "amdish"; *c; c++)
		app_input(app, (unsigned char)*c);
	app_input(app, '\n');
	assert_int_equal(app->vendor_filter, -1);
	assert_int_equal(view_tree_model(app), M_AMDISH);
}

/* Without a host there is no best model: the guest stays empty. */
static void test_first_screen_no_host(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct app_host cpu, kvm;

	(void)state;
	fx->map = fixture_map();
	fixture_absent(&cpu, "host", "no host");
	fixture_absent(&kvm, "KVM", "no KVM");
	app_init(&fx->app, fx->map, &cpu, &kvm);
	app_first_screen(&fx->app, false);
	assert_int_equal(fx->app.guest->model, -1);
	assert_int_equal(fx->app.vendor_filter, -1);
	assert_int_equal(fx->app.mode_outcome[0], -1);
	app_release(&fx->app);
	cs_map_free(fx->map);
	free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_topology_typed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_undo_says_what, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_complete, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_save_as, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_host_file_kept, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_special_files, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_first_screen, setup, teardown),
	        cmocka_unit_test(test_first_screen_no_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
