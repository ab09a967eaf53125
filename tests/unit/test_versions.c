/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_versions.c: the version tables: lookups, fallbacks, complete entries, libvirt 9.0's wordings
 */
#include "test_map_fixture.h"

#include "cpuscope/compare.h"
#include "cpuscope/guest.h"
#include "cpuscope/host.h"
#include "cpuscope/versions.h"

/* ---- lookups and fallbacks ------------------------------------------------ */

static void test_qemu_find(void **state)
{
	const struct cs_qemu_version *def = cs_qemu_version_default();
	size_t n;
	const struct cs_qemu_version *all = cs_qemu_versions(&n);

	(void)state;
	assert_true(n >= 1);
	assert_ptr_equal(def, &all[0]);
	assert_int_equal(def->major, 7);
	assert_int_equal(def->minor, 2);
	/* exact */
	assert_ptr_equal(cs_qemu_version_find(7, 2), def);
	/* newer than every entry: the newest not newer */
	assert_ptr_equal(cs_qemu_version_find(99, 0), &all[n - 1]);
	assert_ptr_equal(cs_qemu_version_find(7, 99), cs_qemu_version_find(7, 2));
	/* older than every entry: the first */
	assert_ptr_equal(cs_qemu_version_find(1, 0), &all[0]);
	assert_ptr_equal(cs_qemu_version_find(7, 1), &all[0]);
	assert_ptr_equal(cs_qemu_version_find(-1, -1), &all[0]);
}

static void test_libvirt_find(void **state)
{
	const struct cs_libvirt_version *def = cs_libvirt_version_default();
	size_t n;
	const struct cs_libvirt_version *all = cs_libvirt_versions(&n);

	(void)state;
	assert_true(n >= 1);
	assert_ptr_equal(def, &all[0]);
	assert_int_equal(def->major, 9);
	assert_int_equal(def->minor, 0);
	assert_ptr_equal(cs_libvirt_version_find(9, 0), def);
	assert_ptr_equal(cs_libvirt_version_find(9, 5), cs_libvirt_version_find(9, 0));
	assert_ptr_equal(cs_libvirt_version_find(11, 0), &all[n - 1]);
	assert_ptr_equal(cs_libvirt_version_find(4, 7), &all[0]);
	assert_ptr_equal(cs_libvirt_version_find(0, 0), &all[0]);
}

/* Entries are kept oldest first, each version once. */
static void test_tables_ordered(void **state)
{
	size_t nq, nl;
	const struct cs_qemu_version *q = cs_qemu_versions(&nq);
	const struct cs_libvirt_version *l = cs_libvirt_versions(&nl);

	(void)state;
	for (size_t i = 1; i < nq; i++)
		assert_true(q[i - 1].major < q[i].major ||
		            (q[i - 1].major == q[i].major && q[i - 1].minor < q[i].minor));
	for (size_t i = 1; i < nl; i++)
		assert_true(l[i - 1].major < l[i].major ||
		            (l[i - 1].major == l[i].major && l[i - 1].minor < l[i].minor));
	/* every entry finds itself */
	for (size_t i = 0; i < nq; i++)
		assert_ptr_equal(cs_qemu_version_find(q[i].major, q[i].minor), &q[i]);
	for (size_t i = 0; i < nl; i++)
		assert_ptr_equal(cs_libvirt_version_find(l[i].major, l[i].minor), &l[i]);
}

/* ---- complete entries ------------------------------------------------------- */

static bool listed(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static void test_qemu_entries_complete(void **state)
{
	size_t n;
	const struct cs_qemu_version *all = cs_qemu_versions(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const struct cs_qemu_version *v = &all[i];

		assert_true(v->map_major > 0);
		assert_non_null(v->models);
		assert_true(v->nmodels > 0);
		assert_non_null(v->feature_names);
		assert_true(v->nfeature_names > 0);
		assert_non_null(v->kvm_on);
		assert_non_null(v->kvm_off);
		assert_true(!v->nmap_models_absent || v->map_models_absent);
		assert_true(!v->nfeatures_absent || v->features_absent);
		assert_true(!v->nmodel_deltas || v->model_deltas);
		for (size_t k = 0; k < v->nmodels; k++) {
			assert_non_null(v->models[k]);
			assert_true(v->models[k][0] != '\0');
			/* no duplicates */
			assert_false(listed(v->models, k, v->models[k]));
		}
		for (size_t k = 0; k < v->nfeature_names; k++) {
			const struct cs_qemu_feature_name *f = &v->feature_names[k];

			assert_non_null(f->libvirt);
			assert_non_null(f->qemu);
			assert_string_not_equal(f->libvirt, f->qemu);
		}
		/* A model QEMU lacks is not one it lists, and every model with
		 * differences is one QEMU defines. */
		for (size_t k = 0; k < v->nmap_models_absent; k++)
			assert_false(cs_qemu_version_defines_model(v, v->map_models_absent[k]));
		for (size_t k = 0; k < v->nmodel_deltas; k++) {
			const struct cs_qemu_model_delta *d = &v->model_deltas[k];

			assert_non_null(d->on);
			assert_non_null(d->off);
			assert_true(cs_qemu_version_defines_model(v, d->model));
			assert_ptr_equal(cs_qemu_version_model_delta(v, d->model), d);
		}
	}
}

/* Over the map QEMU 7.2's entry is paired with, every model is either one
 * QEMU defines or one listed as absent, and every feature that needs a new
 * spelling exists in the map. */
static void test_qemu72_covers_map(void **state)
{
	const struct cs_qemu_version *v = cs_qemu_version_find(7, 2);

	(void)state;
	assert_int_equal(v->map_major, 9);
	assert_int_equal(v->map_minor, 0);
	for (size_t i = 0; i < x86->nmodels; i++) {
		const char *name = x86->models[i].name;

		if (cs_qemu_version_defines_model(v, name))
			assert_true(cs_qemu_version_knows_model(v, name));
		else
			assert_false(cs_qemu_version_knows_model(v, name));
	}
	for (size_t k = 0; k < v->nfeatures_absent; k++)
		assert_true(cs_arch_find_feature(x86, v->features_absent[k]) >= 0);
	for (size_t k = 0; k < v->nfeature_names; k++) {
		const char *lv = v->feature_names[k].libvirt;

		/* two paravirtual names are libvirt-internal, not map features */
		if (strncmp(lv, "kvm_", 4) != 0)
			assert_true(cs_arch_find_feature(x86, lv) >= 0);
	}
}

static void test_qemu72_lookups(void **state)
{
	const struct cs_qemu_version *v = cs_qemu_version_find(7, 2);

	(void)state;
	assert_int_equal(v->nfeature_names, 11);
	assert_string_equal(cs_qemu_version_feature_name(v, "pclmuldq"), "pclmulqdq");
	assert_string_equal(cs_qemu_version_feature_name(NULL, "lahf_lm"), "lahf-lm");
	assert_string_equal(cs_qemu_version_feature_name(v, "sse4.2"), "sse4.2");
	assert_string_equal(cs_qemu_version_feature_from_qemu(v, "tsc-adjust"), "tsc_adjust");
	assert_string_equal(cs_qemu_version_feature_from_qemu(v, "avx2"), "avx2");
	/* the old entry points give the default entry's answers */
	assert_string_equal(cs_qemu_feature_name("ds_cpl"), "ds-cpl");
	assert_true(cs_qemu_version_defines_model(v, "Haswell-noTSX"));
	assert_true(cs_qemu_version_defines_model(v, "Cascadelake-Server-v4"));
	assert_false(cs_qemu_version_defines_model(v, "pentiumpro"));
	assert_false(cs_qemu_version_defines_model(v, "host"));
	assert_false(cs_qemu_version_knows_model(v, "Icelake-Client"));
	assert_true(cs_qemu_version_knows_model(v, "Icelake-Server"));
	/* a model of another map is taken to exist */
	assert_true(cs_qemu_version_knows_model(v, "NoSuchLake"));
	assert_false(cs_model_known_to_qemu("cpu64-rhel6"));
	assert_false(cs_qemu_version_knows_feature(v, "pconfig"));
	assert_true(cs_qemu_version_knows_feature(v, "avx512f"));
	assert_false(cs_qemu_knows_feature("osxsave"));
	assert_null(cs_qemu_version_model_delta(v, "Icelake-Client"));
	assert_string_equal(cs_qemu_version_model_delta(v, "Opteron_G2")->off, "rdtscp");
}

/* ---- libvirt's wordings ------------------------------------------------------ */

/* The conversions of fmt: how many %s, or -1 when there is any other one. */
static int count_string_conversions(const char *fmt)
{
	int n = 0;

	for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 2, '%')) {
		if (p[1] != 's')
			return -1;
		n++;
	}
	return n;
}

static void test_libvirt_entries_complete(void **state)
{
	size_t n;
	const struct cs_libvirt_version *all = cs_libvirt_versions(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (int id = 0; id < CS_LIBVIRT_MSG_COUNT; id++) {
			const char *m = all[i].msgs[id];

			if (!m)
				fail_msg("libvirt %d.%d: no wording for %s", all[i].major,
				         all[i].minor,
				         cs_libvirt_msg_id_name((enum cs_libvirt_msg)id));
			assert_true(m[0] != '\0');
			assert_int_equal(count_string_conversions(m),
			                 cs_libvirt_msg_nargs((enum cs_libvirt_msg)id));
			assert_true(cs_libvirt_msg_id_name((enum cs_libvirt_msg)id)[0] != '\0');
		}
	}
	assert_string_equal(cs_libvirt_msg(NULL, CS_LIBVIRT_MSG_COUNT), "");
	assert_int_equal(cs_libvirt_msg_nargs(CS_LIBVIRT_MSG_COUNT), -1);
}

static void test_libvirt90_wordings(void **state)
{
	static const struct {
		enum cs_libvirt_msg id;
		const char *text;
	} want[] = {
	        {CS_LIBVIRT_MSG_UNKNOWN_MODEL, "Unknown CPU model %s"},
	        {CS_LIBVIRT_MSG_UNKNOWN_FEATURE, "Unknown CPU feature %s"},
	        {CS_LIBVIRT_MSG_UNKNOWN_VENDOR, "Unknown CPU vendor %s"},
	        {CS_LIBVIRT_MSG_MISSING_MODEL_NAME, "Missing CPU model name"},
	        {CS_LIBVIRT_MSG_UNKNOWN_HOST, "unknown host CPU"},
	        {CS_LIBVIRT_MSG_ARCH_MISMATCH, "CPU arch %s does not match host arch"},
	        {CS_LIBVIRT_MSG_VENDOR_MISMATCH,
	         "host CPU vendor does not match required CPU vendor %s"},
	        {CS_LIBVIRT_MSG_FORBIDDEN_FEATURES, "Host CPU provides forbidden features"},
	        {CS_LIBVIRT_MSG_MISSING_FEATURES, "Host CPU does not provide required features"},
	        {CS_LIBVIRT_MSG_STRICT_EXTRA_FEATURES,
	         "Host CPU does not strictly match guest CPU: Extra features"},
	        {CS_LIBVIRT_MSG_CPU_INCOMPATIBLE, "the CPU is incompatible with host CPU"},
	        {CS_LIBVIRT_MSG_CPU_INCOMPATIBLE_REASON,
	         "the CPU is incompatible with host CPU: %s"},
	        {CS_LIBVIRT_MSG_MODEL_UNSUPPORTED, "CPU model %s is not supported by hypervisor"},
	        {CS_LIBVIRT_MSG_NO_SUITABLE_MODEL, "Cannot find suitable CPU model for given data"},
	        {CS_LIBVIRT_MSG_MODEL_VENDOR_DIFFERS,
	         "CPU vendor %s of model %s differs from vendor %s"},
	        {CS_LIBVIRT_MSG_VENDORS_DIFFER, "CPU vendors do not match"},
	        {CS_LIBVIRT_MSG_CPUS_INCOMPATIBLE, "CPUs are incompatible"},
	        {CS_LIBVIRT_MSG_FORBIDDEN_FEATURE, "Host CPU provides forbidden feature '%s'"},
	        {CS_LIBVIRT_MSG_MODE_UNSUPPORTED,
	         "CPU mode '%s' for %s %s domain on %s host is not supported by hypervisor"},
	        {CS_LIBVIRT_MSG_TOPOLOGY_VCPUS, "CPU topology doesn't match maximum vcpu count"},
	        {CS_LIBVIRT_MSG_LIVE_EXTRA_MISSING,
	         "guest CPU doesn't match specification: extra features: %s, missing features: %s"},
	        {CS_LIBVIRT_MSG_LIVE_EXTRA,
	         "guest CPU doesn't match specification: extra features: %s"},
	        {CS_LIBVIRT_MSG_LIVE_MISSING,
	         "guest CPU doesn't match specification: missing features: %s"},
	        {CS_LIBVIRT_MSG_LIVE_MISMATCH, "guest CPU doesn't match specification"},
	        {CS_LIBVIRT_MSG_NO_INVTSC, "host doesn't support invariant TSC"},
	        {CS_LIBVIRT_MSG_ERR_CONFIG_UNSUPPORTED, "unsupported configuration: %s"},
	        {CS_LIBVIRT_MSG_ERR_OPERATION_FAILED, "operation failed: %s"},
	        {CS_LIBVIRT_MSG_ERR_INTERNAL, "internal error: %s"},
	        {CS_LIBVIRT_MSG_QEMU_EXITED,
	         "internal error: qemu unexpectedly closed the monitor: %s"},
	};
	const struct cs_libvirt_version *v = cs_libvirt_version_find(9, 0);

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), CS_LIBVIRT_MSG_COUNT);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(cs_libvirt_msg(v, want[i].id), want[i].text);
		assert_string_equal(cs_libvirt_msg(NULL, want[i].id), want[i].text);
	}
}

static void test_libvirt_format(void **state)
{
	struct cs_error err = {0};
	char buf[128];

	(void)state;
	assert_int_equal(cs_libvirt_msg_format(buf, sizeof(buf), NULL,
	                                       CS_LIBVIRT_MSG_MODE_UNSUPPORTED, "host-model",
	                                       "x86_64", "qemu", "x86_64"),
	                 strlen("CPU mode 'host-model' for x86_64 qemu domain on x86_64 host is "
	                        "not supported by hypervisor"));
	assert_string_equal(buf, "CPU mode 'host-model' for x86_64 qemu domain on x86_64 host is "
	                         "not supported by hypervisor");
	cs_libvirt_msg_format(buf, 12, NULL, CS_LIBVIRT_MSG_FORBIDDEN_FEATURE, "vmx");
	assert_string_equal(buf, "Host CPU pr");

	cs_error_set_libvirt(&err, CS_ERR_INCOMPATIBLE, "g.xml", 3, NULL,
	                     CS_LIBVIRT_MSG_FORBIDDEN_FEATURE, "vmx");
	assert_int_equal(err.code, CS_ERR_INCOMPATIBLE);
	assert_string_equal(err.file, "g.xml");
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "Host CPU provides forbidden feature 'vmx'");
	/* the first error wins, as with cs_error_set */
	cs_error_set_libvirt(&err, CS_ERR_UNKNOWN, NULL, 0, NULL, CS_LIBVIRT_MSG_UNKNOWN_MODEL,
	                     "X");
	assert_string_equal(err.msg, "Host CPU provides forbidden feature 'vmx'");
	/* NULL err is allowed */
	cs_error_set_libvirt(NULL, CS_ERR_UNKNOWN, NULL, 0, NULL, CS_LIBVIRT_MSG_UNKNOWN_MODEL,
	                     "X");
}

/* The places that print a wording print the table's. */
static void test_wordings_in_use(void **state)
{
	struct cs_cpudef *host = parse_cpu("<cpu><arch>x86_64</arch><model>Haswell-noTSX</model>"
	                                   "<vendor>Intel</vendor></cpu>",
	                                   0);
	struct cs_cpudef *guest = cpu("<cpu><model>Haswell-noTSX</model>"
	                              "<feature policy='forbid' name='avx2'/></cpu>");
	struct cs_compare_result res;
	struct cs_error err = {0};
	char *msg;

	(void)state;
	assert_int_equal(cs_compare(host, guest, &res, &err), 0);
	msg = cs_compare_message(&res);
	assert_string_equal(msg, "Host CPU provides forbidden features: avx2");
	free(msg);
	cs_cpudef_free(guest);

	guest = cpu("<cpu><model fallback='forbid'>Icelake-Client</model></cpu>");
	assert_null(cs_guest_update(guest, host, &err));
	assert_string_equal(err.msg, "CPU model Icelake-Client is not supported by hypervisor");
	cs_cpudef_free(guest);
	cs_cpudef_free(host);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_qemu_find),
	        cmocka_unit_test(test_libvirt_find),
	        cmocka_unit_test(test_tables_ordered),
	        cmocka_unit_test(test_qemu_entries_complete),
	        cmocka_unit_test(test_qemu72_covers_map),
	        cmocka_unit_test(test_qemu72_lookups),
	        cmocka_unit_test(test_libvirt_entries_complete),
	        cmocka_unit_test(test_libvirt90_wordings),
	        cmocka_unit_test(test_libvirt_format),
	        cmocka_unit_test(test_wordings_in_use),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
