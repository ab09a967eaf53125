/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_compare.c: libvirt 9.0's CPU comparison, every policy and match */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/compare.h"
#include "test_map_fixture.h"

/* The host of libvirt-semantics.md §8.11: Haswell-noTSX + vmx + invtsc. */
static const char host_xml[] = "<cpu><arch>x86_64</arch><model>Haswell-noTSX</model>"
                               "<vendor>Intel</vendor><feature name='vmx'/>"
                               "<feature name='invtsc'/></cpu>";

/* Compare and check verdict and message ("" = none). */
static void expect(const struct cs_cpudef *host, const char *guest_xml, enum cs_compat want,
                   const char *msg)
{
	struct cs_cpudef *g = cpu(guest_xml);
	struct cs_compare_result res;
	struct cs_error err = {0};
	char *got;

	assert_int_equal(cs_compare(host, g, &res, &err), 0);
	got = cs_compare_message(&res);
	if (res.compat != want || strcmp(got, msg) != 0) {
		fprintf(stderr, "guest %s\n  got %s '%s'\n  want %s '%s'\n", guest_xml,
		        cs_compat_name(res.compat), got, cs_compat_name(want), msg);
		free(got);
		fail();
	}
	free(got);
	cs_cpudef_free(g);
}

struct policy_case {
	const char *feature, *policy;
	enum cs_compat exact; /* exact and minimum agree */
	const char *exact_msg;
	enum cs_compat strict;
	const char *strict_msg;
};

#define EXTRA_INVTSC "Host CPU does not strictly match guest CPU: Extra features: invtsc"
#define EXTRA_BOTH   "Host CPU does not strictly match guest CPU: Extra features: vmx, invtsc"

/* Guest = Haswell-noTSX with one feature under one policy, for a feature
 * the host has beyond the model (vmx), one it lacks (avx512f) and one of
 * the model's own (avx2). */
static const struct policy_case policy_cases[] = {
        {"vmx", "force", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_INVTSC},
        {"vmx", "require", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_INVTSC},
        {"vmx", "optional", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_INVTSC},
        {"vmx", "disable", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_INVTSC},
        {"vmx", "forbid", CS_COMPAT_INCOMPATIBLE, "Host CPU provides forbidden features: vmx",
         CS_COMPAT_INCOMPATIBLE, "Host CPU provides forbidden features: vmx"},
        {"avx512f", "force", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_BOTH},
        {"avx512f", "require", CS_COMPAT_INCOMPATIBLE,
         "Host CPU does not provide required features: avx512f", CS_COMPAT_INCOMPATIBLE,
         "Host CPU does not provide required features: avx512f"},
        {"avx512f", "optional", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_BOTH},
        {"avx512f", "disable", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_BOTH},
        {"avx512f", "forbid", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_BOTH},
        {"avx2", "force", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_BOTH},
        {"avx2", "require", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_BOTH},
        {"avx2", "optional", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_BOTH},
        {"avx2", "disable", CS_COMPAT_SUPERSET, "", CS_COMPAT_INCOMPATIBLE, EXTRA_BOTH},
        {"avx2", "forbid", CS_COMPAT_INCOMPATIBLE, "Host CPU provides forbidden features: avx2",
         CS_COMPAT_INCOMPATIBLE, "Host CPU provides forbidden features: avx2"},
};

static void test_policy_by_match(void **state)
{
	static const char *const matches[] = {NULL, "exact", "minimum", "strict"};
	struct cs_cpudef *host = cpu(host_xml);

	(void)state;
	for (size_t i = 0; i < sizeof(policy_cases) / sizeof(policy_cases[0]); i++) {
		const struct policy_case *c = &policy_cases[i];

		for (size_t m = 0; m < 4; m++) {
			char xml[512];
			bool strict = matches[m] && !strcmp(matches[m], "strict");

			snprintf(xml, sizeof(xml),
			         "<cpu%s%s%s><model>Haswell-noTSX</model>"
			         "<feature policy='%s' name='%s'/></cpu>",
			         matches[m] ? " match='" : "", matches[m] ? matches[m] : "",
			         matches[m] ? "'" : "", c->policy, c->feature);
			expect(host, xml, strict ? c->strict : c->exact,
			       strict ? c->strict_msg : c->exact_msg);
		}
	}
	/* The host itself, in every match: identical. */
	for (size_t m = 0; m < 4; m++) {
		char xml[512];

		snprintf(xml, sizeof(xml),
		         "<cpu%s%s%s><model>Haswell-noTSX</model>"
		         "<feature name='vmx'/><feature policy='force' name='invtsc'/></cpu>",
		         matches[m] ? " match='" : "", matches[m] ? matches[m] : "",
		         matches[m] ? "'" : "");
		expect(host, xml, CS_COMPAT_IDENTICAL, "");
	}
	cs_cpudef_free(host);
}

static void test_doc_examples(void **state)
{
	struct cs_cpudef *host = cpu(host_xml);

	(void)state;
	/* libvirt-semantics.md §8.11 */
	expect(host,
	       "<cpu match='exact'><model>Haswell</model>"
	       "<feature policy='disable' name='rtm'/><feature policy='disable' name='hle'/>"
	       "<feature policy='optional' name='vmx'/><feature policy='forbid' name='svm'/></cpu>",
	       CS_COMPAT_SUPERSET, "");
	expect(host,
	       "<cpu match='exact'><model>Haswell</model>"
	       "<feature policy='disable' name='rtm'/>"
	       "<feature policy='optional' name='vmx'/><feature policy='forbid' name='svm'/></cpu>",
	       CS_COMPAT_INCOMPATIBLE, "Host CPU does not provide required features: hle");
	expect(host,
	       "<cpu match='strict'><model>Haswell</model>"
	       "<feature policy='disable' name='rtm'/><feature policy='disable' name='hle'/>"
	       "<feature policy='optional' name='vmx'/><feature policy='forbid' name='svm'/></cpu>",
	       CS_COMPAT_INCOMPATIBLE, EXTRA_INVTSC);
	/* Several missing features, named in map order. */
	expect(host, "<cpu><model>Skylake-Client</model></cpu>", CS_COMPAT_INCOMPATIBLE,
	       "Host CPU does not provide required features: vme, f16c, rdrand, arat, hle, rtm, "
	       "mpx, rdseed, adx, smap, xsaveopt, xsavec, xgetbv1, abm, 3dnowprefetch");
	/* Vendor: a guest vendor must be the host's. */
	expect(host, "<cpu><model>Haswell-noTSX</model><vendor>AMD</vendor></cpu>",
	       CS_COMPAT_INCOMPATIBLE, "host CPU vendor does not match required CPU vendor AMD");
	expect(host, "<cpu><model>Haswell-noTSX</model><vendor>Intel</vendor></cpu>",
	       CS_COMPAT_SUPERSET, "");
	/* Vendor is checked before features. */
	expect(host,
	       "<cpu><model>Haswell</model><vendor>Foo</vendor>"
	       "<feature policy='forbid' name='vmx'/></cpu>",
	       CS_COMPAT_INCOMPATIBLE, "host CPU vendor does not match required CPU vendor Foo");
	/* Forbidden is checked before required. */
	expect(host, "<cpu><model>Haswell</model><feature policy='forbid' name='vmx'/></cpu>",
	       CS_COMPAT_INCOMPATIBLE, "Host CPU provides forbidden features: vmx");
	/* A host-type guest: its model and every feature are required; strict
	 * does not exist for it. */
	expect(host, host_xml, CS_COMPAT_IDENTICAL, "");
	expect(host,
	       "<cpu><arch>x86_64</arch><model>Haswell-noTSX</model>"
	       "<feature policy='disable' name='vmx'/></cpu>",
	       CS_COMPAT_SUPERSET, "");
	expect(host, "<cpu><arch>x86_64</arch><model>Haswell</model></cpu>", CS_COMPAT_INCOMPATIBLE,
	       "Host CPU does not provide required features: hle, rtm");
	expect(host, "<cpu><arch>ia64</arch><model>Itanium</model></cpu>", CS_COMPAT_INCOMPATIBLE,
	       "CPU arch ia64 does not match host arch");
	/* i686 is an x86 arch (9.0's Haswell has no vme, pentium3 does). */
	expect(host, "<cpu><arch>i686</arch><model>pentium3</model></cpu>", CS_COMPAT_INCOMPATIBLE,
	       "Host CPU does not provide required features: vme");
	/* host-model / host-passthrough guests: only their own features count. */
	expect(host, "<cpu mode='host-model'><feature policy='disable' name='vmx'/></cpu>",
	       CS_COMPAT_SUPERSET, "");
	expect(host, "<cpu mode='host-passthrough'/>", CS_COMPAT_SUPERSET, "");
	expect(host, "<cpu mode='host-passthrough'><feature name='avx512f'/></cpu>",
	       CS_COMPAT_INCOMPATIBLE, "Host CPU does not provide required features: avx512f");
	/* A guest with no model at all. */
	expect(host, "<cpu><topology sockets='1' cores='1' threads='1'/></cpu>", CS_COMPAT_SUPERSET,
	       "");
	cs_cpudef_free(host);
}

static void test_guest_type_host(void **state)
{
	/* domcapabilities' host-model as the host: disabled features are absent. */
	struct cs_cpudef *host = cpu("<domainCapabilities><cpu><mode name='host-model' "
	                             "supported='yes'><model fallback='forbid'>Haswell</model>"
	                             "<vendor>Intel</vendor><feature policy='disable' name='hle'/>"
	                             "<feature policy='disable' name='rtm'/>"
	                             "<feature policy='require' name='vmx'/></mode></cpu>"
	                             "</domainCapabilities>");

	(void)state;
	expect(host, "<cpu><model>Haswell-noTSX</model><feature name='vmx'/></cpu>",
	       CS_COMPAT_IDENTICAL, "");
	expect(host, "<cpu><model>Haswell</model></cpu>", CS_COMPAT_INCOMPATIBLE,
	       "Host CPU does not provide required features: hle, rtm");
	cs_cpudef_free(host);
}

static void test_result_sets_and_no_host(void **state)
{
	struct cs_cpudef *host = cpu(host_xml), *g;
	struct cs_compare_result res;
	int vmx = cs_arch_find_feature(host->arch, "vmx"),
	    invtsc = cs_arch_find_feature(host->arch, "invtsc"),
	    hle = cs_arch_find_feature(host->arch, "hle");
	char *msg;

	(void)state;
	g = cpu("<cpu><model>Haswell</model><feature policy='forbid' name='vmx'/></cpu>");
	assert_int_equal(cs_compare(host, g, &res, NULL), 0);
	assert_int_equal(res.reason, CS_REASON_FORBIDDEN);
	/* Every set is filled, not only the one that decided. */
	assert_true(cs_fset_test(&res.forbidden, (unsigned)vmx));
	assert_true(cs_fset_test(&res.missing, (unsigned)hle));
	assert_true(cs_fset_test(&res.extra, (unsigned)invtsc));
	/* A forbidden feature the host has still counts as extra. */
	assert_true(cs_fset_test(&res.extra, (unsigned)vmx));
	assert_true(cs_fset_test(&res.host, (unsigned)vmx));
	cs_cpudef_free(g);

	g = cpu("<cpu><model>Haswell</model></cpu>");
	assert_int_equal(cs_compare(NULL, g, &res, NULL), 0);
	assert_int_equal(res.compat, CS_COMPAT_INCOMPATIBLE);
	assert_int_equal(res.reason, CS_REASON_NO_HOST);
	msg = cs_compare_message(&res);
	assert_string_equal(msg, "unknown host CPU");
	free(msg);
	cs_cpudef_free(g);
	cs_cpudef_free(host);

	assert_string_equal(cs_compat_name(CS_COMPAT_IDENTICAL), "identical");
	assert_string_equal(cs_compat_name(CS_COMPAT_SUPERSET), "superset");
	assert_string_equal(cs_compat_name(CS_COMPAT_INCOMPATIBLE), "incompatible");
}

static void test_errors(void **state)
{
	struct cs_cpudef *host = cpu(host_xml), *ppc, *g;
	struct cs_compare_result res;
	struct cs_error err = {0};

	(void)state;
	ppc = cpu("<cpu><arch>ppc64</arch><model>POWER9</model></cpu>");
	g = cpu("<cpu><model>Haswell</model></cpu>");
	assert_int_equal(cs_compare(ppc, g, &res, &err), -1);
	assert_non_null(strstr(err.msg, "cannot compare CPUs of ppc64 architecture"));
	cs_cpudef_free(g);
	cs_cpudef_free(ppc);
	cs_cpudef_free(host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_policy_by_match),
	        cmocka_unit_test(test_doc_examples),
	        cmocka_unit_test(test_guest_type_host),
	        cmocka_unit_test(test_result_sets_and_no_host),
	        cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
