/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_baseline_hv.c: hypervisor-cpu-baseline on a recorded TCG hypervisor, against virsh's answers
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_map_fixture.h"

#include "cpuscope/baseline_hv.h"

#define DOMCAPS "tests/data/start/domcaps-tcg.xml"

static struct cs_hypervisor hv;

static int setup(void **state)
{
	struct cs_error err = {0};
	char *buf = NULL;
	size_t len = 0;

	if (map_setup(state) < 0 || cs_read_file(DOMCAPS, 1u << 20, &buf, &len, &err) < 0 ||
	    cs_hypervisor_from_domcaps(&hv, map, buf, len, DOMCAPS, NULL, &err) < 0) {
		cs_error_print(&err, "setup: ", stderr);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static int teardown(void **state)
{
	cs_hypervisor_release(&hv);
	return map_teardown(state);
}

/* The baseline of the CPUs in xml as text, or "error: MSG". */
static char *baseline(const char *xml, bool features)
{
	struct cs_hv_baseline_opts o = {.expand_features = features};
	struct cs_error err = {0};
	struct cs_cpudef **defs = NULL, *def;
	size_t n = 0;
	char *text;

	assert_int_equal(cs_cpudef_parse(map, xml, strlen(xml), "t", 0, &defs, &n, &err), 0);
	def = cs_baseline_hypervisor(&hv, defs, n, &o, &err);
	cs_cpudef_list_free(defs, n);
	if (!def) {
		text = malloc(strlen(err.msg) + 8);
		sprintf(text, "error: %s", err.msg);
		return text;
	}
	text = cs_cpudef_format(def, 0);
	cs_cpudef_free(def);
	return text;
}

static void check(const char *xml, bool features, const char *want)
{
	char *got = baseline(xml, features);

	assert_string_equal(got, want);
	free(got);
}

/* Measured with virsh -c qemu:///system hypervisor-cpu-baseline (TCG). */
static void test_blockers_and_qemu_features(void **state)
{
	(void)state;
	/* invtsc stays (TCG reports nothing unmigratable), osxsave goes (no
	 * QEMU property), Haswell's TCG blockers are disabled */
	check("<cpu><arch>x86_64</arch><model>Haswell</model><feature name='invtsc'/>"
	      "<feature name='osxsave'/></cpu>",
	      false,
	      "<cpu mode='custom' match='exact'>\n"
	      "  <model fallback='forbid'>Haswell</model>\n"
	      "  <feature policy='require' name='invtsc'/>\n"
	      "  <feature policy='disable' name='pcid'/>\n"
	      "  <feature policy='disable' name='x2apic'/>\n"
	      "  <feature policy='disable' name='tsc-deadline'/>\n"
	      "  <feature policy='disable' name='hle'/>\n"
	      "  <feature policy='disable' name='invpcid'/>\n"
	      "  <feature policy='disable' name='rtm'/>\n"
	      "</cpu>\n");
	check("<cpu><arch>x86_64</arch><model>Opteron_G3</model><vendor>AMD</vendor>"
	      "<feature name='cmt'/></cpu>",
	      false,
	      "<cpu mode='custom' match='exact'>\n"
	      "  <model fallback='forbid'>Opteron_G3</model>\n"
	      "  <vendor>AMD</vendor>\n"
	      "  <feature policy='disable' name='misalignsse'/>\n"
	      "  <feature policy='disable' name='monitor'/>\n"
	      "</cpu>\n");
}

static void test_guest_policies(void **state)
{
	(void)state;
	/* a guest CPU: disable takes the feature away, optional is ignored */
	check("<cpu><model>Haswell</model><feature policy='disable' name='avx'/>"
	      "<feature policy='optional' name='vmx'/></cpu>",
	      false,
	      "<cpu mode='custom' match='exact'>\n"
	      "  <model fallback='forbid'>Haswell</model>\n"
	      "  <feature policy='disable' name='pcid'/>\n"
	      "  <feature policy='disable' name='x2apic'/>\n"
	      "  <feature policy='disable' name='tsc-deadline'/>\n"
	      "  <feature policy='disable' name='avx'/>\n"
	      "  <feature policy='disable' name='hle'/>\n"
	      "  <feature policy='disable' name='invpcid'/>\n"
	      "  <feature policy='disable' name='rtm'/>\n"
	      "</cpu>\n");
}

static void test_model_qemu_lacks(void **state)
{
	char *got;

	(void)state;
	/* Icelake-Client is no model of this QEMU: another one describes it */
	got = baseline("<cpu><model>Icelake-Client</model></cpu>", false);
	assert_non_null(strstr(got, "<model fallback='forbid'>IvyBridge</model>"));
	assert_non_null(strstr(got, "<feature policy='require' name='wbnoinvd'/>"));
	assert_non_null(strstr(got, "<feature policy='disable' name='tsc-deadline'/>"));
	free(got);
	got = baseline("<cpu><model>Haswell</model></cpu>", true);
	assert_non_null(strstr(got, "<feature policy='require' name='aes'/>\n"
	                            "  <feature policy='require' name='apic'/>"));
	free(got);
}

static void test_errors(void **state)
{
	(void)state;
	check("<cpu><arch>x86_64</arch><model>Haswell</model></cpu><cpu mode='host-model'/>", false,
	      "error: no CPU model specified at index 1");
	check("<cpu><arch>x86_64</arch><model>Haswell</model><vendor>Intel</vendor></cpu>"
	      "<cpu><arch>x86_64</arch><model>EPYC</model><vendor>AMD</vendor></cpu>",
	      false, "error: CPU vendors do not match");
	check("<cpu><arch>x86_64</arch><model>Haswell</model><vendor>Intel</vendor></cpu>"
	      "<cpu><arch>x86_64</arch><model>Opteron_G3</model></cpu>",
	      false, "error: CPU vendors do not match");
}

static void test_cpu_texts(void **state)
{
	static const char doc[] =
	        "<?xml version='1.0'?>\n<cpu><model>a</model></cpu>\n"
	        "<domainCapabilities><cpu><mode name='host-model' supported='yes'>"
	        "<model fallback='forbid'>EPYC</model></mode></cpu></domainCapabilities>";
	struct cs_error err = {0};
	char **t = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(cs_cpu_texts(doc, strlen(doc), "d", &t, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(t[0], "<cpu><model>a</model></cpu>");
	assert_string_equal(t[1], "<cpu><model fallback=\"forbid\">EPYC</model></cpu>");
	cs_cpu_texts_free(t, n);
	assert_int_equal(cs_cpu_texts("<a/>", 4, "d", &t, &n, &err), -1);
	assert_non_null(strstr(err.msg, "does not contain any <cpu> element"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_blockers_and_qemu_features),
	        cmocka_unit_test(test_guest_policies),
	        cmocka_unit_test(test_model_qemu_lacks),
	        cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_cpu_texts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
