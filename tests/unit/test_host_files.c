/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_host_files.c: hosts read from cpuinfo copies and libvirt's XML files, and their reports */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/host.h"
#include "test_host_fixture.h"
#include "test_map_fixture.h"

/* ---- cpuinfo ---------------------------------------------------------------------------- */

static void test_cpuinfo_table(void **state)
{
	size_t n;
	const struct cs_linux_name *t = cs_cpuinfo_name_table(&n);

	(void)state;
	assert_true(n > 30);
	for (size_t i = 0; i < n; i++) {
		if (cs_arch_find_feature(x86, t[i].libvirt_name) < 0)
			fail_msg("table row %s -> %s: no such map feature", t[i].linux_name,
			         t[i].libvirt_name);
		if (strcmp(t[i].linux_name, t[i].libvirt_name) &&
		    (!t[i].note || strncmp(t[i].note, "vendor:", 7)) &&
		    cs_arch_find_feature(x86, t[i].linux_name) >= 0)
			fail_msg("table row %s shadows a map feature", t[i].linux_name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(t[i].linux_name, t[j].linux_name))
				fail_msg("duplicate row %s", t[i].linux_name);
	}
	assert_string_equal(cs_cpuinfo_translate(x86, "pni", NULL), "pni");
	assert_string_equal(cs_cpuinfo_translate(x86, "sse3", NULL), "pni");
	assert_string_equal(cs_cpuinfo_translate(x86, "sse4_1", NULL), "sse4.1");
	assert_string_equal(cs_cpuinfo_translate(x86, "sse4_2", NULL), "sse4.2");
	assert_string_equal(cs_cpuinfo_translate(x86, "pclmulqdq", NULL), "pclmuldq");
	assert_string_equal(cs_cpuinfo_translate(x86, "lahf_lm", NULL), "lahf_lm");
	assert_string_equal(cs_cpuinfo_translate(x86, "tsc_deadline_timer", NULL), "tsc-deadline");
	assert_string_equal(cs_cpuinfo_translate(x86, "cqm", NULL), "cmt");
	assert_string_equal(cs_cpuinfo_translate(x86, "md_clear", NULL), "md-clear");
	assert_string_equal(cs_cpuinfo_translate(x86, "cr8_legacy", NULL), "cr8legacy");
	assert_string_equal(cs_cpuinfo_translate(x86, "ibpb", "GenuineIntel"), "spec-ctrl");
	assert_string_equal(cs_cpuinfo_translate(x86, "ibpb", "AuthenticAMD"), "ibpb");
	assert_string_equal(cs_cpuinfo_translate(x86, "stibp", "AuthenticAMD"), "amd-stibp");
	assert_string_equal(cs_cpuinfo_translate(x86, "stibp", "GenuineIntel"), "stibp");
	assert_null(cs_cpuinfo_translate(x86, "constant_tsc", NULL));
	assert_null(cs_cpuinfo_translate(x86, "rep_good", NULL));
}

/* On the nested EPYC, Linux hides osxsave and has turned rdseed off: the
 * cpuinfo view is the CPUID view less exactly those two. */
static void test_cpuinfo_file(void **state)
{
	struct cs_host *ci = load_ok(NESTED "cpuinfo.txt");
	struct cs_host *raw = load_ok(NESTED "cpuid-r.txt");
	struct cs_fset diff;

	(void)state;
	assert_int_equal(ci->file_kind, CS_HOST_FILE_CPUINFO);
	assert_string_equal(ci->arch_name, "x86_64");
	assert_string_equal(ci->vendor_string, "AuthenticAMD");
	assert_int_equal(ci->facts.vendor, raw->facts.vendor);
	assert_int_equal(ci->facts.signature, raw->facts.signature);
	assert_string_equal(ci->brand, "AMD EPYC");
	cs_fset_diff(&diff, &raw->facts.features, &ci->facts.features);
	assert_int_equal(cs_fset_count(&diff), 2);
	assert_true(cs_fset_test(&diff, (unsigned)fid("osxsave")));
	assert_true(cs_fset_test(&diff, (unsigned)fid("rdseed")));
	cs_fset_diff(&diff, &ci->facts.features, &raw->facts.features);
	assert_true(cs_fset_is_empty(&diff));
	assert_true(ci->nunknown > 0);
	cs_host_free(ci);
	cs_host_free(raw);
}

static void test_cpuinfo_errors(void **state)
{
	struct cs_error err = {0};
	const char *text = "processor\t: 0\nvendor_id\t: GenuineIntel\n";

	(void)state;
	assert_null(cs_host_parse(map, text, strlen(text), "ci.txt", &err));
	assert_non_null(strstr(err.msg, "no 'flags'"));
	cs_error_clear(&err);
	assert_null(cs_host_load(map, "/nonexistent/cpuinfo", &err));
	assert_int_equal(err.code, CS_ERR_IO);
}

/* cs_host_parse() takes a buffer and a length, with no NUL after it. */
static void test_host_parse_unterminated(void **state)
{
	static const char cpuinfo[] = "processor\t: 0\nvendor_id\t: GenuineIntel\n"
	                              "flags\t\t: fpu sse2";
	static const char comment[] = "<!-- x -->\n<cpudata arch='x86'/>";
	static const char nul[] = "processor\t: 0\nflags\t\t: fpu\0 sse2\n";
	size_t n = sizeof(cpuinfo) - 1;
	char *buf = malloc(n);
	struct cs_error err = {0};
	struct cs_host *h;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, cpuinfo, n);
	h = cs_host_parse(map, buf, n, "ci.txt", &err);
	assert_non_null(h);
	assert_int_equal(h->file_kind, CS_HOST_FILE_CPUINFO);
	assert_true(cs_fset_test(&h->facts.features, (unsigned)fid("fpu")));
	assert_true(cs_fset_test(&h->facts.features, (unsigned)fid("sse2")));
	cs_host_free(h);
	free(buf);

	/* Content sniffing stays within the buffer: an XML comment that is
	 * closed only past its end is not closed. */
	n = 6; /* "<!-- x" */
	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, comment, n);
	assert_int_equal(cs_host_detect(buf, n), CS_HOST_FILE_NONE);
	free(buf);

	/* A NUL byte is not silently taken as the end of the text. */
	assert_null(cs_host_parse(map, nul, sizeof(nul) - 1, "nul.txt", &err));
	assert_int_equal(err.code, CS_ERR_INVALID);
	assert_string_equal(err.file, "nul.txt");
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "NUL byte"));
}

/* ---- libvirt XML files --------------------------------------------------------------- */

static void test_capabilities_file(void **state)
{
	struct cs_host *h = load_ok(NESTED "capabilities.xml");
	struct cs_host *raw = load_ok(NESTED "cpuid-r.txt");

	(void)state;
	assert_int_equal(h->file_kind, CS_HOST_FILE_CAPABILITIES);
	assert_string_equal(x86->models[h->given_model].name, "kvm64");
	assert_false(h->given_is_guest);
	assert_int_equal(h->facts.signature, 0xb00f21);
	assert_host_xml(h, NESTED "expected-host.xml", false);
	/* The capabilities' model + features are the CPUID facts. */
	assert_true(cs_fset_equal(&h->facts.features, &raw->facts.features));
	cs_host_free(h);
	cs_host_free(raw);
}

static void test_domcaps_file(void **state)
{
	struct cs_host *h = load_ok(NESTED "domcapabilities.xml");
	struct cs_host *kvm = load_ok(NESTED "kvm-cpudata.xml");

	(void)state;
	assert_int_equal(h->file_kind, CS_HOST_FILE_DOMCAPS);
	assert_true(h->given_is_guest);
	assert_true(cs_fset_test(&h->given_disable, (unsigned)fid("pni")));
	assert_host_xml(h, NESTED "expected-host-model.xml", true);
	/* The KVM dump decodes to the same host-model. */
	assert_host_xml(kvm, NESTED "expected-host-model.xml", true);
	cs_host_free(h);
	cs_host_free(kvm);
}

static void test_bare_cpu_file(void **state)
{
	const char *host = "<cpu>\n  <arch>x86_64</arch>\n  <model>Westmere</model>\n"
	                   "  <vendor>Intel</vendor>\n  <feature name='vmx'/>\n</cpu>\n";
	const char *guest = "<?xml version='1.0'?>\n<!-- a guest -->\n"
	                    "<cpu mode='custom' match='exact'>\n  <model>Haswell</model>\n"
	                    "  <feature policy='disable' name='rtm'/>\n"
	                    "  <feature policy='require' name='vmx'/>\n</cpu>\n";
	const char *bad = "<cpu>\n  <model>Foolake</model>\n</cpu>\n";
	const char *badf =
	        "<cpu>\n  <model>Haswell</model>\n\n  <feature name='foobar'/>\n</cpu>\n";
	struct cs_error err = {0};
	struct cs_host *h;
	struct cs_decoded d;

	(void)state;
	h = cs_host_parse(map, host, strlen(host), "host.xml", &err);
	assert_non_null(h);
	assert_int_equal(h->file_kind, CS_HOST_FILE_CPU);
	assert_int_equal(cs_host_decode(h, &d, &err), 0);
	assert_string_equal(x86->models[d.model].name, "Westmere");
	assert_int_equal(cs_fset_count(&d.require), 1);
	cs_host_free(h);

	h = cs_host_parse(map, guest, strlen(guest), "guest.xml", &err);
	assert_non_null(h);
	assert_true(h->given_is_guest);
	assert_false(cs_fset_test(&h->facts.features, (unsigned)fid("rtm")));
	assert_true(cs_fset_test(&h->facts.features, (unsigned)fid("vmx")));
	assert_int_equal(cs_host_model(h, &d, &err), 0);
	assert_string_equal(x86->models[d.model].name, "Haswell");
	assert_true(cs_fset_test(&d.disable, (unsigned)fid("rtm")));
	cs_host_free(h);

	assert_null(cs_host_parse(map, bad, strlen(bad), "bad.xml", &err));
	assert_int_equal(err.code, CS_ERR_UNKNOWN);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "Unknown CPU model Foolake");
	cs_error_clear(&err);
	assert_null(cs_host_parse(map, badf, strlen(badf), "badf.xml", &err));
	assert_int_equal(err.line, 4);
	assert_string_equal(err.msg, "Unknown CPU feature foobar");
}

static void test_detect(void **state)
{
	static const struct {
		const char *text;
		enum cs_host_file kind;
	} cases[] = {
	        {"<!-- x -->\n<cpudata arch='x86'/>", CS_HOST_FILE_CPUDATA},
	        {"<?xml version='1.0'?><capabilities/>", CS_HOST_FILE_CAPABILITIES},
	        {"  <domainCapabilities>", CS_HOST_FILE_DOMCAPS},
	        {"\xef\xbb\xbf<cpu>", CS_HOST_FILE_CPU},
	        {"CPU 0:\n   0x00000000 0x00: eax=0x1", CS_HOST_FILE_CPUID_RAW},
	        {"   0x00000000 0x00: eax=0x1", CS_HOST_FILE_CPUID_RAW},
	        {"processor\t: 0\n", CS_HOST_FILE_CPUINFO},
	        {"<domain type='kvm'/>", CS_HOST_FILE_NONE},
	        {"hello", CS_HOST_FILE_NONE},
	        {"", CS_HOST_FILE_NONE},
	        {"<!-- unterminated", CS_HOST_FILE_NONE},
	};
	struct cs_error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (cs_host_detect(cases[i].text, strlen(cases[i].text)) != cases[i].kind)
			fail_msg("case %zu: '%s'", i, cases[i].text);
	assert_null(cs_host_parse(map, "hello", 5, "hello.txt", &err));
	assert_non_null(strstr(err.msg, "unrecognised host file"));
}

static void test_text_report(void **state)
{
	struct cs_host *h = load_ok(CPUTEST "x86_64-cpuid-Phenom-B95.xml");
	char *text = cs_host_format_text(h);

	(void)state;
	assert_non_null(strstr(text, "brand:       AMD Phenom(tm) II X4 B95 Processor\n"));
	assert_non_null(strstr(text, "vendor:      AMD (AuthenticAMD)\n"));
	assert_non_null(strstr(text, "signature:   family 16 model 4 stepping 2 (0x100f42)\n"));
	assert_non_null(strstr(text, "host model:  athlon + 30 features"));
	assert_non_null(strstr(text, "host-model:  Opteron_G3 + 21 required, 1 disabled"));
	assert_non_null(strstr(text, "\nsvm                    yes  ?    no\n"));
	assert_non_null(strstr(text, "\nfpu                    yes  ?    yes\n"));
	assert_null(strstr(text, "\nnx "));
	free(text);
	cs_host_free(h);
}

static void test_qemu_filters(void **state)
{
	struct cs_decoded d = {0};

	(void)state;
	assert_false(cs_model_known_to_qemu("pentiumpro"));
	assert_false(cs_model_known_to_qemu("Icelake-Client"));
	assert_true(cs_model_known_to_qemu("Icelake-Server"));
	cs_fset_set(&d.require, (unsigned)fid("osxsave"));
	cs_fset_set(&d.require, (unsigned)fid("vmx"));
	cs_fset_set(&d.disable, (unsigned)fid("cmt"));
	cs_decoded_filter_qemu(x86, &d);
	assert_int_equal(cs_fset_count(&d.require), 1);
	assert_true(cs_fset_is_empty(&d.disable));
}

/* host-model decodes with QEMU's blockers: QEMU's Snowridge has mpx, which
 * the map's lacks, so on a CPU without mpx it is listed as disabled. */
static void test_host_model_blockers(void **state)
{
	struct cs_host *h = load_ok(CPUTEST "x86_64-cpuid-Atom-P5362.xml");
	struct cs_decoded d;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_host_model(h, &d, &err), 0);
	assert_string_equal(x86->models[d.model].name, "Snowridge");
	assert_false(cs_fset_test(&x86->models[d.model].features, (unsigned)fid("mpx")));
	assert_true(cs_fset_test(&d.disable, (unsigned)fid("mpx")));
	cs_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cpuinfo_table),
	        cmocka_unit_test(test_cpuinfo_file),
	        cmocka_unit_test(test_cpuinfo_errors),
	        cmocka_unit_test(test_host_parse_unterminated),
	        cmocka_unit_test(test_capabilities_file),
	        cmocka_unit_test(test_domcaps_file),
	        cmocka_unit_test(test_bare_cpu_file),
	        cmocka_unit_test(test_detect),
	        cmocka_unit_test(test_text_report),
	        cmocka_unit_test(test_qemu_filters),
	        cmocka_unit_test(test_host_model_blockers),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
