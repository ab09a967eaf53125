/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_qemu.c: the guest CPU at start-up: update, effective features, QEMU's -cpu */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/guest.h"
#include "cpuscope/host.h"
#include "test_map_fixture.h"

static const char host_xml[] = "<cpu><arch>x86_64</arch><model>Haswell-noTSX</model>"
                               "<vendor>Intel</vendor><feature name='vmx'/>"
                               "<feature name='invtsc'/></cpu>";

static const char guest_811[] = "<cpu match='%s'><model>Haswell</model>"
                                "<feature policy='disable' name='rtm'/>"
                                "<feature policy='disable' name='hle'/>"
                                "<feature policy='optional' name='vmx'/>"
                                "<feature policy='forbid' name='svm'/></cpu>";

/* Update guest against host and compare the formatted result. */
static void expect_update(const char *guest_xml, const char *host_text, const char *want)
{
	struct cs_cpudef *g = cpu(guest_xml), *h = host_text ? cpu(host_text) : NULL, *u;
	struct cs_error err = {0};
	char *got;

	u = cs_guest_update(g, h, &err);
	if (!u) {
		cs_error_print(&err, "update: ", stderr);
		fail();
	}
	got = cs_cpudef_format(u, 0);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "--- want\n%s--- got\n%s---\n", want, got);
		free(got);
		fail();
	}
	free(got);
	cs_cpudef_free(u);
	cs_cpudef_free(h);
	cs_cpudef_free(g);
}

static void test_update_doc_811(void **state)
{
	char xml[512];

	(void)state;
	/* Optional resolved in place; the named model stays. */
	snprintf(xml, sizeof(xml), guest_811, "exact");
	expect_update(xml, host_xml,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='forbid'>Haswell</model>\n"
	              "  <feature policy='disable' name='rtm'/>\n"
	              "  <feature policy='disable' name='hle'/>\n"
	              "  <feature policy='require' name='vmx'/>\n"
	              "  <feature policy='forbid' name='svm'/>\n"
	              "</cpu>\n");
	/* minimum: the host's model and features, the guest's applied on top;
	 * not invtsc: libvirt updates against the host's migratable CPU. */
	snprintf(xml, sizeof(xml), guest_811, "minimum");
	expect_update(xml, host_xml,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='forbid'>Haswell-noTSX</model>\n"
	              "  <feature policy='require' name='vmx'/>\n"
	              "  <feature policy='disable' name='rtm'/>\n"
	              "  <feature policy='disable' name='hle'/>\n"
	              "  <feature policy='forbid' name='svm'/>\n"
	              "</cpu>\n");
	/* host-model: the same, with the host's vendor. */
	expect_update("<cpu mode='host-model'><feature policy='disable' name='vmx'/></cpu>",
	              host_xml,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='forbid'>Haswell-noTSX</model>\n"
	              "  <vendor>Intel</vendor>\n"
	              "  <feature policy='disable' name='vmx'/>\n"
	              "</cpu>\n");
	/* An optional feature the host lists but cannot migrate is disabled. */
	expect_update("<cpu><model>Haswell-noTSX</model>"
	              "<feature policy='optional' name='invtsc'/></cpu>",
	              host_xml,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='forbid'>Haswell-noTSX</model>\n"
	              "  <feature policy='disable' name='invtsc'/>\n"
	              "</cpu>\n");
}

static void test_update_removed_and_filter(void **state)
{
	(void)state;
	/* Dhyana lists monitor as removed='yes': it is disabled unless mentioned;
	 * osxsave and cmt have no QEMU property and are dropped. */
	expect_update("<cpu><model>Dhyana</model><feature name='osxsave'/>"
	              "<feature policy='require' name='vmx'/><feature name='cmt'/></cpu>",
	              NULL,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='forbid'>Dhyana</model>\n"
	              "  <feature policy='require' name='vmx'/>\n"
	              "  <feature policy='disable' name='monitor'/>\n"
	              "</cpu>\n");
	/* pconfig and cvt16 are unknown to QEMU: disabled, they are dropped;
	 * required, they stay (and QEMU refuses them). */
	expect_update("<cpu><model>Haswell</model><feature policy='forbid' name='pconfig'/>"
	              "<feature policy='disable' name='cvt16'/>"
	              "<feature policy='disable' name='vmx'/></cpu>",
	              NULL,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='forbid'>Haswell</model>\n"
	              "  <feature policy='disable' name='vmx'/>\n"
	              "</cpu>\n");
	expect_update("<cpu><model>Haswell</model><feature policy='require' name='pconfig'/></cpu>",
	              NULL,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='forbid'>Haswell</model>\n"
	              "  <feature policy='require' name='pconfig'/>\n"
	              "</cpu>\n");
	expect_update("<cpu><model>Dhyana</model><feature name='monitor'/></cpu>", NULL,
	              "<cpu mode='custom' match='exact'>\n"
	              "  <model fallback='forbid'>Dhyana</model>\n"
	              "  <feature policy='require' name='monitor'/>\n"
	              "</cpu>\n");
	/* Passthrough keeps its mode and attributes. */
	expect_update("<cpu mode='host-passthrough' check='none' migratable='off'>"
	              "<feature policy='disable' name='vmx'/></cpu>",
	              NULL,
	              "<cpu mode='host-passthrough' check='none' migratable='off'>\n"
	              "  <feature policy='disable' name='vmx'/>\n"
	              "</cpu>\n");
}

static void test_update_needs_host(void **state)
{
	static const char *const needs[] = {
	        "<cpu mode='host-model'/>",
	        "<cpu match='minimum'><model>Penryn</model></cpu>",
	};
	struct cs_cpudef *g;
	struct cs_effective eff;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct cs_error err = {0};

		g = cpu(needs[i]);
		assert_null(cs_guest_update(g, NULL, &err));
		assert_non_null(strstr(err.msg, "depends on the host CPU"));
		assert_int_equal(cs_guest_effective(g, NULL, &eff, NULL), -1);
		cs_cpudef_free(g);
	}
	g = cpu("<cpu mode='host-passthrough'/>");
	assert_int_equal(cs_guest_effective(g, NULL, &eff, NULL), -1);
	cs_cpudef_free(g);
}

static void test_effective(void **state)
{
	struct cs_cpudef *host = cpu(host_xml), *g;
	struct cs_effective eff;
	char xml[512];
	const struct cs_fset *haswell = &x86->models[cs_arch_find_model(x86, "Haswell")].features;

	(void)state;
	snprintf(xml, sizeof(xml), guest_811, "exact");
	g = cpu(xml);
	/* Without a host, optional stays undecided. */
	assert_int_equal(cs_guest_effective(g, NULL, &eff, NULL), 0);
	assert_int_equal(eff.model, cs_arch_find_model(x86, "Haswell"));
	assert_true(cs_fset_test(&eff.undecided, fid("vmx")));
	assert_false(cs_fset_test(&eff.features, fid("vmx")));
	assert_false(cs_fset_test(&eff.features, fid("rtm")));
	assert_false(cs_fset_test(&eff.features, fid("svm")));
	assert_true(cs_fset_test(&eff.removed, fid("hle")));
	assert_int_equal(cs_fset_count(&eff.features), cs_fset_count(haswell) - 2);
	/* With the host, vmx is on. */
	assert_int_equal(cs_guest_effective(g, host, &eff, NULL), 0);
	assert_true(cs_fset_is_empty(&eff.undecided));
	assert_true(cs_fset_test(&eff.features, fid("vmx")));
	assert_true(cs_fset_test(&eff.added, fid("vmx")));
	assert_int_equal(cs_fset_count(&eff.features), cs_fset_count(haswell) - 1);
	cs_cpudef_free(g);

	/* minimum: the host's set, less what the guest disables. */
	snprintf(xml, sizeof(xml), guest_811, "minimum");
	g = cpu(xml);
	assert_int_equal(cs_guest_effective(g, host, &eff, NULL), 0);
	assert_int_equal(eff.model, cs_arch_find_model(x86, "Haswell-noTSX"));
	assert_false(cs_fset_test(&eff.features, fid("invtsc")));
	assert_true(cs_fset_test(&eff.features, fid("vmx")));
	assert_false(cs_fset_test(&eff.features, fid("svm")));
	cs_cpudef_free(g);

	/* host-passthrough: the host's set, less what is disabled. */
	g = cpu("<cpu mode='host-passthrough' migratable='off'>"
	        "<feature policy='disable' name='vmx'/></cpu>");
	assert_int_equal(cs_guest_effective(g, host, &eff, NULL), 0);
	assert_int_equal(eff.model, -1);
	assert_false(cs_fset_test(&eff.features, fid("vmx")));
	assert_true(cs_fset_test(&eff.features, fid("invtsc")));
	assert_true(cs_fset_test(&eff.features, fid("avx2")));
	cs_cpudef_free(g);
	/* Migratable (the default): without invtsc. */
	g = cpu("<cpu mode='host-passthrough'/>");
	assert_int_equal(cs_guest_effective(g, host, &eff, NULL), 0);
	assert_true(cs_fset_test(&eff.features, fid("vmx")));
	assert_false(cs_fset_test(&eff.features, fid("invtsc")));
	cs_cpudef_free(g);

	/* Every policy on one feature of the model and one outside it. */
	{
		static const struct {
			const char *policy;
			bool avx2_on, avx512f_on;
		} pol[] = {
		        {"force", true, true},     {"require", true, true},
		        {"optional", true, false}, {"disable", false, false},
		        {"forbid", false, false},
		};

		for (size_t i = 0; i < 5; i++) {
			snprintf(xml, sizeof(xml),
			         "<cpu><model>Haswell-noTSX</model><feature policy='%s' "
			         "name='avx2'/>"
			         "<feature policy='%s' name='avx512f'/></cpu>",
			         pol[i].policy, pol[i].policy);
			g = cpu(xml);
			assert_int_equal(cs_guest_effective(g, host, &eff, NULL), 0);
			assert_int_equal(cs_fset_test(&eff.features, fid("avx2")), pol[i].avx2_on);
			assert_int_equal(cs_fset_test(&eff.features, fid("avx512f")),
			                 pol[i].avx512f_on);
			cs_cpudef_free(g);
		}
	}
	cs_cpudef_free(host);
}

static void expect_arg(const char *guest_xml, bool enforce, const char *want)
{
	struct cs_cpudef *g = cpu(guest_xml), *u = cs_guest_update(g, NULL, NULL);
	char *got;

	assert_non_null(u);
	got = cs_qemu_cpu_arg(u, enforce);
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
	free(got);
	cs_cpudef_free(u);
	cs_cpudef_free(g);
}

static void test_cpu_arg(void **state)
{
	(void)state;
	/* libvirt-semantics.md §5.5 */
	expect_arg("<cpu mode='custom' match='exact'><model>Haswell</model>"
	           "<feature policy='disable' name='rtm'/><feature policy='disable' name='hle'/>"
	           "<feature policy='require' name='lahf_lm'/></cpu>",
	           false, "Haswell,rtm=off,hle=off,lahf-lm=on");
	expect_arg("<cpu><model>Haswell</model><feature policy='disable' name='rtm'/></cpu>", true,
	           "Haswell,rtm=off,enforce");
	/* All translated names, and the dropped ones. */
	expect_arg("<cpu><model>qemu64</model>"
	           "<feature policy='force' name='pclmuldq'/><feature name='ds_cpl'/>"
	           "<feature name='tsc_adjust'/><feature name='fxsr_opt'/>"
	           "<feature name='lahf_lm'/><feature name='cmp_legacy'/>"
	           "<feature name='nodeid_msr'/><feature name='perfctr_core'/>"
	           "<feature policy='forbid' name='perfctr_nb'/><feature name='osxsave'/>"
	           "<feature name='ospke'/><feature name='cmt'/><feature name='mbm_total'/>"
	           "<feature name='mbm_local'/><feature name='sse4.1'/></cpu>",
	           false,
	           "qemu64,pclmulqdq=on,ds-cpl=on,tsc-adjust=on,fxsr-opt=on,lahf-lm=on,"
	           "cmp-legacy=on,nodeid-msr=on,perfctr-core=on,perfctr-nb=off,sse4.1=on");
	expect_arg("<cpu><model vendor_id='AuthenticAMD'>EPYC</model></cpu>", false,
	           "EPYC,vendor=AuthenticAMD,monitor=off");
	expect_arg("<cpu mode='host-passthrough' migratable='on'/>", false, "host,migratable=on");
	/* libvirt makes host-passthrough migratable unless told otherwise. */
	expect_arg("<cpu mode='host-passthrough'><feature policy='disable' name='vmx'/></cpu>",
	           true, "host,migratable=on,vmx=off,enforce");
	expect_arg("<cpu mode='maximum'/>", false, "max");
	expect_arg("<cpu mode='maximum' migratable='off'/>", false, "max,migratable=off");
	expect_arg("<cpu><topology sockets='1' cores='2' threads='1'/></cpu>", false, NULL);
	expect_arg("<cpu><topology sockets='1' cores='2' threads='1'/></cpu>", true,
	           "qemu64,enforce");
	/* Optional features are left to the model without a host. */
	expect_arg("<cpu><model>Haswell</model><feature policy='optional' name='vmx'/></cpu>",
	           false, "Haswell");
	assert_string_equal(cs_qemu_feature_name("lahf_lm"), "lahf-lm");
	assert_string_equal(cs_qemu_feature_name("sse4.2"), "sse4.2");
}

static void test_guest_from_decoded(void **state)
{
	struct cs_decoded dec;
	struct cs_cpudef *def;
	char *text;

	(void)state;
	memset(&dec, 0, sizeof(dec));
	dec.model = cs_arch_find_model(x86, "Dhyana");
	dec.vendor = cs_arch_find_vendor(x86, "Hygon");
	cs_fset_set(&dec.require, fid("aes"));
	cs_fset_set(&dec.disable, fid("monitor"));
	cs_fset_set(&dec.disable, fid("f16c"));
	cs_fset_set(&dec.disable, fid("cx16"));
	def = cs_cpudef_guest_from_decoded(map, x86, &dec);
	text = cs_cpudef_format(def, 0);
	/* The removed='yes' feature comes last, as libvirt appends it. */
	assert_string_equal(text, "<cpu mode='custom' match='exact'>\n"
	                          "  <model fallback='allow'>Dhyana</model>\n"
	                          "  <vendor>Hygon</vendor>\n"
	                          "  <feature policy='require' name='aes'/>\n"
	                          "  <feature policy='disable' name='cx16'/>\n"
	                          "  <feature policy='disable' name='f16c'/>\n"
	                          "  <feature policy='disable' name='monitor'/>\n"
	                          "</cpu>\n");
	free(text);
	cs_cpudef_free(def);
}

/* ---- translation to QEMU's models (libvirt-semantics.md §5.3) ---------------------------- */

/* The host-model `virsh domcapabilities` shows on a KVM host that cannot
 * give pni, ssse3 or most later features (saved from libvirt 9.0 with
 * QEMU 7.2). */
static const char kvm_host_model[] =
        "<domainCapabilities><cpu><mode name='host-model' supported='yes'>"
        "<model fallback='forbid'>kvm64</model><vendor>AMD</vendor>"
        "<feature policy='require' name='vme'/><feature policy='require' name='x2apic'/>"
        "<feature policy='require' name='tsc-deadline'/>"
        "<feature policy='require' name='hypervisor'/><feature policy='require' name='arat'/>"
        "<feature policy='require' name='tsc_adjust'/>"
        "<feature policy='require' name='clflushopt'/><feature policy='require' name='clwb'/>"
        "<feature policy='require' name='umip'/><feature policy='require' name='gfni'/>"
        "<feature policy='require' name='arch-capabilities'/>"
        "<feature policy='require' name='mmxext'/><feature policy='require' name='fxsr_opt'/>"
        "<feature policy='require' name='lahf_lm'/>"
        "<feature policy='require' name='cmp_legacy'/>"
        "<feature policy='require' name='cr8legacy'/>"
        "<feature policy='require' name='misalignsse'/>"
        "<feature policy='require' name='3dnowprefetch'/>"
        "<feature policy='require' name='osvw'/><feature policy='require' name='invtsc'/>"
        "<feature policy='require' name='clzero'/>"
        "<feature policy='require' name='xsaveerptr'/>"
        "<feature policy='require' name='rdctl-no'/>"
        "<feature policy='require' name='skip-l1dfl-vmentry'/>"
        "<feature policy='require' name='mds-no'/>"
        "<feature policy='require' name='pschange-mc-no'/>"
        "<feature policy='disable' name='pni'/>"
        "</mode></cpu></domainCapabilities>";

/* Translate guest_xml over allowed and compare the formatted result. */
static void expect_translate(const char *guest_xml, const struct cs_allowed_model *allowed,
                             size_t n, const char *want)
{
	struct cs_cpudef *g = cpu(guest_xml);
	struct cs_error err = {0};
	char *got;

	if (cs_guest_translate(g, allowed, n, &err) < 0) {
		cs_error_print(&err, "translate: ", stderr);
		fail();
	}
	got = cs_cpudef_format(g, 0);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "--- want\n%s--- got\n%s---\n", want, got);
		free(got);
		fail();
	}
	free(got);
	cs_cpudef_free(g);
}

static void test_translate_allowed_kept(void **state)
{
	size_t n;
	struct cs_allowed_model *all = cs_qemu_allowed_models(x86, NULL, &n);
	static const char haswell[] = "<cpu mode='custom' match='exact'>\n"
	                              "  <model fallback='allow'>Haswell</model>\n"
	                              "  <feature policy='disable' name='rtm'/>\n"
	                              "</cpu>\n";

	(void)state;
	assert_non_null(all);
	assert_int_equal(n, x86->nmodels - 5);
	/* A model QEMU has stays, whatever its blockers. */
	expect_translate(haswell, all, n, haswell);
	/* No list: nothing to translate to. */
	expect_translate("<cpu><model>Icelake-Client</model></cpu>", NULL, 0,
	                 "<cpu mode='custom' match='exact'>\n"
	                 "  <model fallback='allow'>Icelake-Client</model>\n"
	                 "</cpu>\n");
	/* Only custom mode is translated. */
	expect_translate("<cpu mode='host-model'><model>Icelake-Client</model></cpu>", all, n,
	                 "<cpu mode='host-model'>\n"
	                 "  <model fallback='allow'>Icelake-Client</model>\n"
	                 "</cpu>\n");
	free(all);
}

static void test_translate_forbid(void **state)
{
	static const char xml[] = "<cpu><model fallback='forbid'>Icelake-Client</model>"
	                          "<feature policy='disable' name='rtm'/></cpu>";
	struct cs_cpudef *g = cpu(xml), *h = cpu(kvm_host_model);
	struct cs_error err = {0};
	size_t n;
	struct cs_allowed_model *all = cs_qemu_allowed_models(x86, NULL, &n);
	char *before = cs_cpudef_format(g, 0), *after;

	(void)state;
	assert_int_equal(cs_guest_translate(g, all, n, &err), -1);
	assert_int_equal(err.code, CS_ERR_INCOMPATIBLE);
	assert_string_equal(err.msg, "CPU model Icelake-Client is not supported by hypervisor");
	after = cs_cpudef_format(g, 0);
	assert_string_equal(before, after);
	/* The start-up path refuses it too, with or without a host. */
	cs_error_clear(&err);
	assert_null(cs_guest_update(g, NULL, &err));
	assert_string_equal(err.msg, "CPU model Icelake-Client is not supported by hypervisor");
	cs_error_clear(&err);
	assert_null(cs_guest_update(g, h, &err));
	assert_int_equal(err.code, CS_ERR_INCOMPATIBLE);
	free(before);
	free(after);
	free(all);
	cs_cpudef_free(h);
	cs_cpudef_free(g);
}

/* The decoded list (require, then disable), then the guest's own features
 * updating it or appended in their order: force, forbid and optional
 * survive. */
static void test_translate_order_and_blockers(void **state)
{
	struct cs_allowed_model allowed[2] = {{.model = mid("Nehalem")},
	                                      {.model = mid("SandyBridge")}};
	static const char westmere[] = "<cpu><model>Westmere</model>"
	                               "<feature policy='disable' name='aes'/>"
	                               "<feature policy='force' name='vmx'/>"
	                               "<feature policy='forbid' name='svm'/>"
	                               "<feature policy='optional' name='pcid'/></cpu>";

	(void)state;
	/* Westmere less aes is Nehalem; vmx is beyond it. */
	expect_translate(westmere, allowed, 2,
	                 "<cpu mode='custom' match='exact'>\n"
	                 "  <model fallback='allow'>Nehalem</model>\n"
	                 "  <feature policy='force' name='vmx'/>\n"
	                 "  <feature policy='disable' name='aes'/>\n"
	                 "  <feature policy='forbid' name='svm'/>\n"
	                 "  <feature policy='optional' name='pcid'/>\n"
	                 "</cpu>\n");
	/* Blockers: one the CPU lacks (avx) and one of the model's own the CPU
	 * has (sse4.2) are disabled; one the CPU has beyond the model (vmx)
	 * stays required. */
	cs_fset_set(&allowed[0].blockers, fid("avx"));
	cs_fset_set(&allowed[0].blockers, fid("sse4.2"));
	cs_fset_set(&allowed[0].blockers, fid("vmx"));
	expect_translate(westmere, allowed, 2,
	                 "<cpu mode='custom' match='exact'>\n"
	                 "  <model fallback='allow'>Nehalem</model>\n"
	                 "  <feature policy='force' name='vmx'/>\n"
	                 "  <feature policy='disable' name='sse4.2'/>\n"
	                 "  <feature policy='disable' name='avx'/>\n"
	                 "  <feature policy='disable' name='aes'/>\n"
	                 "  <feature policy='forbid' name='svm'/>\n"
	                 "  <feature policy='optional' name='pcid'/>\n"
	                 "</cpu>\n");
}

/* The CPU to decode carries the model's first signature at its lowest
 * stepping: Cooperlake's is family 6 model 85 stepping 10, which neither
 * Skylake-Server (0-4) nor Cascadelake-Server (5-7) matches, so the better
 * score wins; stepping 0 would have made Skylake-Server win. */
static void test_translate_signature(void **state)
{
	struct cs_allowed_model allowed[2] = {{.model = mid("Skylake-Server")},
	                                      {.model = mid("Cascadelake-Server")}};
	struct cs_cpudef *g = cpu("<cpu><model>Cooperlake</model></cpu>");

	(void)state;
	assert_int_equal(cs_guest_translate(g, allowed, 2, NULL), 0);
	assert_string_equal(cs_cpudef_model_name(g), "Cascadelake-Server");
	cs_cpudef_free(g);
	/* Vendor and vendor_id are the guest's, not the decoded ones. */
	g = cpu("<cpu><model vendor_id='GenuineIotel'>Cooperlake</model></cpu>");
	assert_int_equal(cs_guest_translate(g, allowed, 2, NULL), 0);
	assert_string_equal(g->vendor_id, "GenuineIotel");
	assert_null(g->vendor);
	cs_cpudef_free(g);
}

/* Removed features: the guest model's (disabled by the update) stay in the
 * guest's order after the decoded list; the decoded model's come after its
 * other disabled features. */
static void test_translate_removed(void **state)
{
	struct cs_allowed_model allowed[1] = {{.model = mid("Icelake-Server")}};
	struct cs_cpudef *g = cpu("<cpu><model>Icelake-Client-noTSX</model>"
	                          "<feature policy='require' name='vmx'/></cpu>"),
	                 *u;
	char *text;

	(void)state;
	/* Icelake-Server has features the client lacks, and removes
	 * intel-pt: it comes after the other disabled features, out of map
	 * order. */
	assert_int_equal(cs_guest_translate(g, allowed, 1, NULL), 0);
	text = cs_cpudef_format(g, 0);
	assert_non_null(strstr(text, "<model fallback='allow'>Icelake-Server</model>\n"
	                             "  <feature policy='require' name='vmx'/>\n"
	                             "  <feature policy='disable' name='hle'/>\n"
	                             "  <feature policy='disable' name='rtm'/>\n"));
	assert_non_null(strstr(text, "  <feature policy='disable' name='pdpe1gb'/>\n"
	                             "  <feature policy='disable' name='intel-pt'/>\n</cpu>\n"));
	free(text);
	cs_cpudef_free(g);

	/* Through the start-up path: the update adds intel-pt as disabled
	 * (Icelake-Client removes it) and it stays last. */
	g = cpu("<cpu><model>Icelake-Client</model></cpu>");
	u = cs_guest_update(g, NULL, NULL);
	assert_non_null(u);
	text = cs_qemu_cpu_arg(u, false);
	assert_true(strncmp(text, "Skylake-Client-IBRS,", 20) == 0);
	assert_non_null(strstr(text, ",intel-pt=off"));
	assert_string_equal(strstr(text, ",intel-pt=off"), ",intel-pt=off");
	free(text);
	cs_cpudef_free(u);
	cs_cpudef_free(g);
}

/* What libvirt 9.0 gave with QEMU 7.2 on the host of kvm_host_model (virsh
 * domxml-to-native): Conroe, as every bigger model is blocked, with
 * Conroe's blockers pni and ssse3 disabled. */
static void test_translate_kvm_host(void **state)
{
	struct cs_cpudef *h = cpu(kvm_host_model),
	                 *g = cpu("<cpu mode='custom' match='exact' check='none'>"
	                          "<model fallback='allow'>Icelake-Client</model>"
	                          "<feature policy='disable' name='rtm'/>"
	                          "<feature policy='require' name='lahf_lm'/></cpu>"),
	                 *u;
	struct cs_error err = {0};
	char *arg;

	(void)state;
	u = cs_guest_update(g, h, &err);
	assert_non_null(u);
	arg = cs_qemu_cpu_arg(u, false);
	assert_string_equal(
	        arg, "Conroe,vme=on,pclmulqdq=on,fma=on,cx16=on,pcid=on,sse4.1=on,sse4.2=on,"
	             "x2apic=on,movbe=on,popcnt=on,tsc-deadline=on,aes=on,xsave=on,avx=on,"
	             "f16c=on,rdrand=on,arat=on,fsgsbase=on,bmi1=on,hle=on,avx2=on,smep=on,"
	             "bmi2=on,erms=on,invpcid=on,mpx=on,rdseed=on,adx=on,smap=on,"
	             "avx512vbmi=on,umip=on,pku=on,avx512vbmi2=on,gfni=on,vaes=on,"
	             "vpclmulqdq=on,avx512vnni=on,avx512bitalg=on,avx512-vpopcntdq=on,"
	             "spec-ctrl=on,ssbd=on,xsaveopt=on,xsavec=on,xgetbv1=on,rdtscp=on,abm=on,"
	             "3dnowprefetch=on,wbnoinvd=on,pni=off,ssse3=off,rtm=off,lahf-lm=on,"
	             "intel-pt=off");
	free(arg);
	cs_cpudef_free(u);
	cs_cpudef_free(g);
	cs_cpudef_free(h);
}

/* QEMU's own models and the blockers a host gives them. */
static void test_qemu_models(void **state)
{
	struct cs_fset f, view;
	struct cs_cpudef *h = cpu(kvm_host_model);
	struct cs_cpu_facts hf;
	struct cs_allowed_model *all;
	size_t n;

	(void)state;
	assert_false(cs_qemu_model_features(x86, mid("Icelake-Client"), &f));
	assert_true(cs_fset_is_empty(&f));
	/* QEMU's Westmere has pclmulqdq and arat; with KVM x2apic and
	 * hypervisor, never monitor or svm. */
	assert_true(cs_qemu_model_features(x86, mid("Westmere"), &f));
	assert_true(cs_fset_test(&f, fid("pclmuldq")));
	assert_true(cs_fset_test(&f, fid("arat")));
	assert_true(cs_fset_test(&f, fid("hypervisor")));
	assert_true(cs_qemu_model_features(x86, mid("Opteron_G3"), &f));
	assert_false(cs_fset_test(&f, fid("monitor")));
	assert_false(cs_fset_test(&f, fid("svm")));
	assert_true(cs_qemu_model_features(x86, mid("Skylake-Client"), &f));
	assert_false(cs_fset_test(&f, fid("mpx")));
	assert_false(cs_qemu_knows_feature("pconfig"));
	assert_true(cs_qemu_knows_feature("pclmuldq"));

	/* Blockers on the KVM host: those QEMU 7.2 reported there. */
	assert_int_equal(cs_cpudef_to_facts(h, &hf, NULL), 0);
	view = hf.features;
	all = cs_qemu_allowed_models(x86, &view, &n);
	for (size_t i = 0; i < n; i++) {
		const char *name = x86->models[all[i].model].name;
		char list[512] = "";
		size_t len = 0;
		int id;

		cs_fset_foreach (id, &all[i].blockers)
			len += (size_t)snprintf(list + len, sizeof(list) - len, " %s",
			                        x86->features[id].name);
		if (!strcmp(name, "Conroe"))
			assert_string_equal(list, " pni ssse3");
		else if (!strcmp(name, "pentium3") || !strcmp(name, "486"))
			assert_string_equal(list, "");
		else if (!strcmp(name, "Opteron_G3"))
			assert_string_equal(list, " pni popcnt rdtscp abm sse4a");
		else if (!strcmp(name, "Westmere"))
			assert_string_equal(list, " pni pclmuldq ssse3 sse4.1 sse4.2 popcnt aes");
	}
	free(all);
	/* Not x86: no list. */
	assert_null(cs_qemu_allowed_models(cs_map_arch(map, "ppc64"), NULL, &n));
	assert_int_equal(n, 0);
	cs_cpudef_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_update_doc_811),
	        cmocka_unit_test(test_update_removed_and_filter),
	        cmocka_unit_test(test_update_needs_host),
	        cmocka_unit_test(test_effective),
	        cmocka_unit_test(test_cpu_arg),
	        cmocka_unit_test(test_guest_from_decoded),
	        cmocka_unit_test(test_translate_allowed_kept),
	        cmocka_unit_test(test_translate_forbid),
	        cmocka_unit_test(test_translate_order_and_blockers),
	        cmocka_unit_test(test_translate_signature),
	        cmocka_unit_test(test_translate_removed),
	        cmocka_unit_test(test_translate_kvm_host),
	        cmocka_unit_test(test_qemu_models),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
