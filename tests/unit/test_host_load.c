/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_host_load.c: cs_host_sides_load(): what each kind of host file and probe gives */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/host.h"
#include "test_map_fixture.h"

#define CPUTEST "tests/data/cputest/"
#define NESTED  CPUTEST "host-nested-epyc/"

static void load_file(const char *path, struct cs_host_sides *s)
{
	struct cs_host_opts opts = {.from = CS_HOST_FROM_FILE, .file = path};
	struct cs_error err = {0};

	if (cs_host_sides_load(map, &opts, s, &err) < 0)
		fail_msg("%s: %s:%u: %s", path, err.file, err.line, err.msg);
}

/* virsh capabilities: the host CPU as written, nothing of KVM. */
static void test_capabilities(void **state)
{
	struct cs_host_sides s;

	(void)state;
	load_file(NESTED "capabilities.xml", &s);
	assert_int_equal(s.file_kind, CS_HOST_FILE_CAPABILITIES);
	assert_int_equal(s.source, CS_HOST_SOURCE_FILE);
	assert_non_null(s.cpu);
	assert_int_equal(s.cpu->type, CS_CPU_TYPE_HOST);
	assert_int_equal(s.cpu->origin, CS_CPU_ORIGIN_CAPS);
	assert_int_equal(s.cpu->model, mid("kvm64"));
	assert_true(cs_fset_test(&s.cpu_facts.features, (unsigned)fid("avx")));
	assert_null(s.kvm);
	assert_null(s.model);
	assert_non_null(strstr(s.kvm_why, "KVM"));
	cs_host_sides_release(&s);
	assert_null(s.cpu);
}

/* virsh domcapabilities: what KVM gives (its host-model), no host CPU. */
static void test_domcapabilities(void **state)
{
	struct cs_host_sides s;
	struct cs_cpu_facts f;

	(void)state;
	load_file(NESTED "domcapabilities.xml", &s);
	assert_int_equal(s.file_kind, CS_HOST_FILE_DOMCAPS);
	assert_null(s.cpu);
	assert_non_null(strstr(s.cpu_why, "domcapabilities"));
	assert_non_null(s.kvm);
	assert_int_equal(s.kvm->origin, CS_CPU_ORIGIN_DOMCAPS);
	assert_int_equal(s.kvm->type, CS_CPU_TYPE_GUEST);
	assert_non_null(s.model);
	assert_int_equal(s.model->model, s.kvm->model);
	assert_int_equal(cs_cpudef_to_facts(s.kvm, &f, NULL), 0);
	assert_memory_equal(&f.features, &s.kvm_facts.features, sizeof(f.features));
	cs_host_sides_release(&s);
}

/* A CPUID dump: the host CPU decoded as virsh capabilities shows it, and
 * the host-model from the CPU's own data; what KVM gives is unknown. */
static void test_cpuid_dump(void **state)
{
	struct cs_host_sides s, expect;
	struct cs_cpu_facts got, want;

	(void)state;
	load_file(NESTED "cpuid-cpudata.xml", &s);
	assert_int_equal(s.file_kind, CS_HOST_FILE_CPUDATA);
	assert_non_null(s.cpu);
	assert_null(s.kvm);
	assert_non_null(strstr(s.kvm_why, "libvirt CPUID dump"));
	assert_non_null(s.model);
	assert_int_equal(s.model->fallback, CS_CPU_FALLBACK_FORBID);
	assert_int_equal(s.model->origin, CS_CPU_ORIGIN_DOMCAPS);
	/* what virsh capabilities showed on that machine */
	load_file(NESTED "expected-host.xml", &expect);
	assert_int_equal(s.cpu->model, expect.cpu->model);
	assert_int_equal(cs_cpudef_to_facts(s.cpu, &got, NULL), 0);
	assert_int_equal(cs_cpudef_to_facts(expect.cpu, &want, NULL), 0);
	assert_int_equal(got.vendor, want.vendor);
	assert_int_equal(got.signature, want.signature);
	assert_memory_equal(&got.features, &want.features, sizeof(got.features));
	cs_host_sides_release(&expect);
	cs_host_sides_release(&s);
}

/* A bare host <cpu>: taken as written. */
static void test_bare_cpu(void **state)
{
	struct cs_host_sides s;

	(void)state;
	load_file(CPUTEST "x86_64-cpuid-Xeon-E5-2650-v3-host.xml", &s);
	assert_int_equal(s.file_kind, CS_HOST_FILE_CPU);
	assert_non_null(s.cpu);
	assert_int_equal(s.cpu->origin, CS_CPU_ORIGIN_BARE);
	assert_int_equal(s.cpu->model, mid("Haswell-noTSX"));
	assert_null(s.kvm);
	cs_host_sides_release(&s);
}

/* No host, and files that are none: no side, the reason says why. */
static void test_none_and_errors(void **state)
{
	struct cs_host_opts none = {.from = CS_HOST_FROM_NONE};
	struct cs_host_opts missing = {.from = CS_HOST_FROM_FILE,
	                               .file = "tests/data/no-such-file"};
	struct cs_host_sides s;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_host_sides_load(map, &none, &s, &err), 0);
	assert_null(s.cpu);
	assert_null(s.kvm);
	assert_null(s.model);
	assert_string_equal(s.cpu_why, "no host given");
	cs_host_sides_release(&s);

	assert_int_equal(cs_host_sides_load(map, &missing, &s, &err), -1);
	assert_int_equal(err.code, CS_ERR_IO);
	assert_null(s.cpu);
	assert_non_null(strstr(s.cpu_why, "no-such-file"));
	cs_host_sides_release(&s);
	cs_host_sides_release(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_capabilities),    cmocka_unit_test(test_domcapabilities),
	        cmocka_unit_test(test_cpuid_dump),      cmocka_unit_test(test_bare_cpu),
	        cmocka_unit_test(test_none_and_errors),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
