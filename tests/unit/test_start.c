/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_start.c: the start verdict against what libvirt and QEMU really did (tests/data/start) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_map_fixture.h"

#include "cpuscope/advice.h"
#include "cpuscope/guest.h"
#include "cpuscope/level.h"
#include "cpuscope/start.h"

#define START_DIR "tests/data/start"

static struct cs_hypervisor hv;

static int setup(void **state)
{
	struct cs_error err = {0};
	struct cs_cpudef *caps;
	char *buf;
	size_t len;
	int ret;

	if (map_setup(state) < 0)
		return -1;
	caps = cs_cpudef_load_one(map, START_DIR "/caps-tcg-host.xml", 0, &err);
	buf = read_text(START_DIR "/domcaps-tcg.xml", &len);
	if (!caps || !buf)
		return -1;
	ret = cs_hypervisor_from_domcaps(&hv, map, buf, len, "domcaps-tcg.xml", caps, &err);
	if (ret < 0)
		cs_error_print(&err, "setup: ", stderr);
	free(buf);
	cs_cpudef_free(caps);
	return ret;
}

static int teardown(void **state)
{
	cs_hypervisor_release(&hv);
	return map_teardown(state);
}

/* The features dropped, in QEMU's spelling, sorted and space-separated as
 * record.sh writes them. */
static void dropped_names(const struct cs_start_verdict *v, char *buf, size_t size)
{
	const char *names[512];
	size_t n = 0, len = 0;
	int id;

	cs_fset_foreach (id, &v->dropped)
		if (n < 512)
			names[n++] = cs_qemu_feature_name(x86->features[id].name);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", names[i]);
}

/* One recorded case: NAME|starts|DROPPED or NAME|refused|MESSAGE. */
static void check_case(char *line)
{
	char path[256], got[1024];
	char *name = strtok(line, "|"), *outcome = strtok(NULL, "|"), *rest = strtok(NULL, "\n");
	struct cs_domain_info info;
	struct cs_start_verdict v;
	struct cs_start_input in = {0};
	struct cs_error err = {0};
	struct cs_cpudef *guest;
	char *buf;
	size_t len;

	assert_non_null(name);
	assert_non_null(outcome);
	if (!rest)
		rest = (char *)"";
	snprintf(path, sizeof(path), START_DIR "/%s.xml", name);
	buf = read_text(path, &len);
	assert_non_null(buf);
	assert_int_equal(cs_domain_info_parse(buf, len, path, &info, &err), 0);
	free(buf);
	guest = cs_cpudef_load_one(map, path, CS_CPUDEF_AS_GUEST, &err);
	assert_non_null(guest);
	in.guest = guest;
	in.vcpus = info.vcpus;
	assert_int_equal(cs_start_verdict(&hv, &in, NULL, &v, &err), 0);
	if (!strcmp(outcome, "refused")) {
		if (v.outcome != CS_START_REFUSED || strcmp(v.message, rest))
			fail_msg("%s: libvirt refused it with \"%s\"; cpuscope: %s \"%s\"", name,
			         rest, cs_start_outcome_name(v.outcome), v.message);
	} else {
		dropped_names(&v, got, sizeof(got));
		if (v.outcome == CS_START_REFUSED || strcmp(got, rest))
			fail_msg("%s: started, QEMU dropping \"%s\"; cpuscope: %s \"%s\" dropping "
			         "\"%s\"",
			         name, rest, cs_start_outcome_name(v.outcome), v.message, got);
		assert_int_equal(v.outcome, *rest ? CS_START_DROPS : CS_START_STARTS);
	}
	cs_start_verdict_release(&v);
	cs_cpudef_free(guest);
}

static void test_recorded_cases(void **state)
{
	FILE *f = fopen(START_DIR "/expected.txt", "r");
	char line[2048];
	unsigned n = 0;

	(void)state;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		check_case(line);
		n++;
	}
	fclose(f);
	assert_true(n >= 15);
}

static void test_check_defaults(void **state)
{
	struct cs_cpudef *g = cs_cpudef_new(map, x86, CS_CPU_TYPE_GUEST);
	struct cs_start_input in = {g, 0, false};
	struct cs_start_verdict v;
	struct cs_hypervisor kvm;

	(void)state;
	cs_cpudef_set_model(g, model_id(x86, "qemu64"));
	assert_int_equal(cs_start_verdict(&hv, &in, NULL, &v, NULL), 0);
	assert_int_equal(v.check, CS_CPU_CHECK_NONE); /* custom with TCG */
	cs_start_verdict_release(&v);
	assert_int_equal(cs_hypervisor_from_cpus(&kvm, map, NULL, NULL, CS_VIRT_KVM, NULL), 0);
	assert_int_equal(cs_start_verdict(&kvm, &in, NULL, &v, NULL), 0);
	assert_int_equal(v.check, CS_CPU_CHECK_PARTIAL); /* custom with KVM */
	cs_start_verdict_release(&v);
	g->mode = CS_CPU_MODE_MAXIMUM;
	cs_cpudef_set_model(g, -1);
	assert_int_equal(cs_start_verdict(&kvm, &in, NULL, &v, NULL), 0);
	assert_int_equal(v.check, CS_CPU_CHECK_NONE);
	assert_string_equal(v.cpu_arg, "max");
	cs_start_verdict_release(&v);
	cs_hypervisor_release(&kvm);
	cs_cpudef_free(g);
}

/* QEMU's answer, when it was asked, replaces the prediction. */
static void test_qemu_answer(void **state)
{
	struct cs_cpudef *g = cs_cpudef_new(map, x86, CS_CPU_TYPE_GUEST);
	struct cs_start_input in = {g, 0, false};
	static const char *const enabled[] = {"fpu", "sse2", "pni"};
	static const char *const filtered[] = {"avx512f"};
	static const char *const warnings[] = {
	        "TCG doesn't support requested feature: CPUID.07H:EBX.avx512f [bit 16]",
	        "TCG doesn't support requested feature: CPUID.0DH:ECX [bit 0]"};
	struct cs_start_qemu q = {true, true, NULL, enabled, 3, filtered, 1, warnings, 2};
	struct cs_start_verdict v;

	(void)state;
	cs_cpudef_set_model(g, model_id(x86, "qemu64"));
	cs_cpudef_set_feature(g, (unsigned)feature_id(x86, "avx512f"), CS_POLICY_REQUIRE);
	assert_int_equal(cs_start_verdict(&hv, &in, &q, &v, NULL), 0);
	assert_true(v.verified);
	assert_int_equal(v.outcome, CS_START_DROPS);
	assert_true(cs_fset_test(&v.dropped, (unsigned)feature_id(x86, "avx512f")));
	assert_int_equal(cs_fset_count(&v.vcpu), 3);
	cs_start_verdict_release(&v);
	q.started = false;
	q.message = "qemu-system-x86_64: something only QEMU knows";
	assert_int_equal(cs_start_verdict(&hv, &in, &q, &v, NULL), 0);
	assert_int_equal(v.outcome, CS_START_REFUSED);
	assert_int_equal(v.refused_by, CS_ACTOR_QEMU);
	assert_int_equal(v.step, CS_STEP_QEMU_START);
	assert_non_null(strstr(v.message, "something only QEMU knows"));
	cs_start_verdict_release(&v);
	cs_cpudef_free(g);
}

static void test_warning_feature(void **state)
{
	char name[64];

	(void)state;
	assert_true(cs_qemu_warning_feature(
	        "host doesn't support requested feature: CPUID.01H:ECX.pni [bit 0]", name,
	        sizeof(name)));
	assert_string_equal(name, "pni");
	assert_true(cs_qemu_warning_feature(
	        "TCG doesn't support requested feature: MSR(10AH).mds-no [bit 5]", name,
	        sizeof(name)));
	assert_string_equal(name, "mds-no");
	assert_false(cs_qemu_warning_feature("TCG doesn't support requested feature: "
	                                     "CPUID.0DH:ECX [bit 0]",
	                                     name, sizeof(name)));
	assert_false(cs_qemu_warning_feature("something else", name, sizeof(name)));
}

static void test_domain_info(void **state)
{
	static const char good[] = "<domain type='kvm'><name>web01</name><vcpu placement='static'>"
	                           "8</vcpu></domain>";
	static const char bad[] = "<domain type='kvm'><vcpu>many</vcpu></domain>";
	struct cs_domain_info info;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_domain_info_parse(good, sizeof(good) - 1, "d.xml", &info, &err), 0);
	assert_true(info.is_domain && info.has_virt);
	assert_int_equal(info.virt, CS_VIRT_KVM);
	assert_int_equal(info.vcpus, 8);
	assert_string_equal(info.name, "web01");
	assert_int_equal(cs_domain_info_parse(bad, sizeof(bad) - 1, "b.xml", &info, &err), -1);
	assert_string_equal(err.file, "b.xml");
	assert_int_equal(cs_domain_info_parse("<cpu/>", 6, "c.xml", &info, &err), 0);
	assert_false(info.is_domain);
}

/* A fallback never costs a 64-bit guest its long mode, and keeps its
 * x86-64 level where a model that runs can. */
static void test_fallback_keeps_level(void **state)
{
	const struct cs_fset *want = &x86->models[model_id(x86, "Haswell")].features;
	bool *runs = calloc(x86->nmodels, sizeof(*runs));
	int level, m;

	(void)state;
	runs[model_id(x86, "pentium3")] = true;
	assert_int_equal(cs_fallback_model(x86, want, -1, -1, runs, &level), -1);
	runs[model_id(x86, "qemu64")] = true;
	m = cs_fallback_model(x86, want, -1, -1, runs, &level);
	assert_int_equal(m, model_id(x86, "qemu64"));
	assert_int_equal(level, 1);
	runs[model_id(x86, "SandyBridge")] = true;
	runs[model_id(x86, "Skylake-Client")] = true;
	runs[model_id(x86, "Icelake-Server")] = true;
	m = cs_fallback_model(x86, want, -1, -1, runs, &level);
	assert_int_equal(level, cs_x86_level(x86, want, NULL));
	assert_int_equal(m, model_id(x86, "Skylake-Client"));
	free(runs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_recorded_cases),  cmocka_unit_test(test_check_defaults),
	        cmocka_unit_test(test_qemu_answer),     cmocka_unit_test(test_domain_info),
	        cmocka_unit_test(test_warning_feature), cmocka_unit_test(test_fallback_keeps_level),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
