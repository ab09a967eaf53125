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
	/* doc §5.5 */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_update_doc_811),
	        cmocka_unit_test(test_update_removed_and_filter),
	        cmocka_unit_test(test_update_needs_host),
	        cmocka_unit_test(test_effective),
	        cmocka_unit_test(test_cpu_arg),
	        cmocka_unit_test(test_guest_from_decoded),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
