/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* versions.c: the QEMU and libvirt releases cpuscope reproduces, one table entry per version */
#include "cpuscope/versions.h"

#include "qemu_tables.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- QEMU 7.2 -------------------------------------------------------------- */

/* The x86_64 models of QEMU 7.2, in the order `qemu-system-x86_64 -cpu help`
 * prints them (measured with Debian's QEMU 7.2). */
static const char *const qemu72_models[] = {
        "486",
        "486-v1",
        "Broadwell",
        "Broadwell-IBRS",
        "Broadwell-noTSX",
        "Broadwell-noTSX-IBRS",
        "Broadwell-v1",
        "Broadwell-v2",
        "Broadwell-v3",
        "Broadwell-v4",
        "Cascadelake-Server",
        "Cascadelake-Server-noTSX",
        "Cascadelake-Server-v1",
        "Cascadelake-Server-v2",
        "Cascadelake-Server-v3",
        "Cascadelake-Server-v4",
        "Cascadelake-Server-v5",
        "Conroe",
        "Conroe-v1",
        "Cooperlake",
        "Cooperlake-v1",
        "Cooperlake-v2",
        "Denverton",
        "Denverton-v1",
        "Denverton-v2",
        "Denverton-v3",
        "Dhyana",
        "Dhyana-v1",
        "Dhyana-v2",
        "EPYC",
        "EPYC-IBPB",
        "EPYC-Milan",
        "EPYC-Milan-v1",
        "EPYC-Rome",
        "EPYC-Rome-v1",
        "EPYC-Rome-v2",
        "EPYC-v1",
        "EPYC-v2",
        "EPYC-v3",
        "Haswell",
        "Haswell-IBRS",
        "Haswell-noTSX",
        "Haswell-noTSX-IBRS",
        "Haswell-v1",
        "Haswell-v2",
        "Haswell-v3",
        "Haswell-v4",
        "Icelake-Server",
        "Icelake-Server-noTSX",
        "Icelake-Server-v1",
        "Icelake-Server-v2",
        "Icelake-Server-v3",
        "Icelake-Server-v4",
        "Icelake-Server-v5",
        "Icelake-Server-v6",
        "IvyBridge",
        "IvyBridge-IBRS",
        "IvyBridge-v1",
        "IvyBridge-v2",
        "KnightsMill",
        "KnightsMill-v1",
        "Nehalem",
        "Nehalem-IBRS",
        "Nehalem-v1",
        "Nehalem-v2",
        "Opteron_G1",
        "Opteron_G1-v1",
        "Opteron_G2",
        "Opteron_G2-v1",
        "Opteron_G3",
        "Opteron_G3-v1",
        "Opteron_G4",
        "Opteron_G4-v1",
        "Opteron_G5",
        "Opteron_G5-v1",
        "Penryn",
        "Penryn-v1",
        "SandyBridge",
        "SandyBridge-IBRS",
        "SandyBridge-v1",
        "SandyBridge-v2",
        "Skylake-Client",
        "Skylake-Client-IBRS",
        "Skylake-Client-noTSX-IBRS",
        "Skylake-Client-v1",
        "Skylake-Client-v2",
        "Skylake-Client-v3",
        "Skylake-Client-v4",
        "Skylake-Server",
        "Skylake-Server-IBRS",
        "Skylake-Server-noTSX-IBRS",
        "Skylake-Server-v1",
        "Skylake-Server-v2",
        "Skylake-Server-v3",
        "Skylake-Server-v4",
        "Skylake-Server-v5",
        "Snowridge",
        "Snowridge-v1",
        "Snowridge-v2",
        "Snowridge-v3",
        "Snowridge-v4",
        "Westmere",
        "Westmere-IBRS",
        "Westmere-v1",
        "Westmere-v2",
        "athlon",
        "athlon-v1",
        "core2duo",
        "core2duo-v1",
        "coreduo",
        "coreduo-v1",
        "kvm32",
        "kvm32-v1",
        "kvm64",
        "kvm64-v1",
        "n270",
        "n270-v1",
        "pentium",
        "pentium-v1",
        "pentium2",
        "pentium2-v1",
        "pentium3",
        "pentium3-v1",
        "phenom",
        "phenom-v1",
        "qemu32",
        "qemu32-v1",
        "qemu64",
        "qemu64-v1",
};

/* Models of the libvirt 9.0 map that QEMU 7.2 does not define: QEMU never
 * reports them, so libvirt never picks them for host-model and translates a
 * guest that names one (libvirt-semantics.md §5.3). */
static const char *const qemu72_map_models_absent[] = {
        "pentiumpro", "cpu64-rhel5", "cpu64-rhel6", "Icelake-Client", "Icelake-Client-noTSX",
};

/* Features of the libvirt 9.0 map QEMU 7.2 has no property for. */
static const char *const qemu72_features_absent[] = {
        "osxsave", "cmt", "ospke", "pconfig", "mbm_total", "mbm_local", "cvt16",
};

/* libvirt's x86 name translation table (libvirt 9.0,
 * src/qemu/qemu_capabilities.c, virQEMUCapsCPUFeaturesX86): the map
 * features whose QEMU property is spelled differently. */
static const struct cs_qemu_feature_name qemu72_feature_names[] = {
        {"cmp_legacy", "cmp-legacy"},       {"ds_cpl", "ds-cpl"},
        {"fxsr_opt", "fxsr-opt"},           {"kvm_pv_eoi", "kvm-pv-eoi"},
        {"kvm_pv_unhalt", "kvm-pv-unhalt"}, {"lahf_lm", "lahf-lm"},
        {"nodeid_msr", "nodeid-msr"},       {"pclmuldq", "pclmulqdq"},
        {"perfctr_core", "perfctr-core"},   {"perfctr_nb", "perfctr-nb"},
        {"tsc_adjust", "tsc-adjust"},
};

/* Where QEMU 7.2's x86_64 model (its v1, as the unversioned name resolves)
 * differs from the libvirt 9.0 map's model of the same name, in map
 * feature names, once the KVM defaults (kvm_on, kvm_off) are applied.
 * Models not listed have the map's features. */
// clang-format off
static const struct cs_qemu_model_delta qemu72_model_deltas[] = {
	{"pentium",                   "apic", ""},
	{"pentium2",                  "apic", ""},
	{"pentium3",                  "apic", ""},
	{"coreduo",                   "ss", ""},
	{"n270",                      "ss movbe lahf_lm", ""},
	{"core2duo",                  "ss cx16 lahf_lm", ""},
	{"kvm32",                     "vme", ""},
	{"qemu64",                    "lahf_lm", ""},
	{"kvm64",                     "vme", ""},
	{"Conroe",                    "vme", ""},
	{"Penryn",                    "vme", ""},
	{"Nehalem",                   "vme", ""},
	{"Nehalem-IBRS",              "vme", ""},
	{"Westmere",                  "vme pclmuldq arat", ""},
	{"Westmere-IBRS",             "vme pclmuldq arat", ""},
	{"SandyBridge",               "vme arat xsaveopt", ""},
	{"SandyBridge-IBRS",          "vme arat xsaveopt", ""},
	{"IvyBridge",                 "arat xsaveopt", ""},
	{"IvyBridge-IBRS",            "arat xsaveopt", ""},
	{"Haswell-noTSX",             "vme f16c rdrand arat xsaveopt abm", ""},
	{"Haswell-noTSX-IBRS",        "vme f16c rdrand arat xsaveopt abm", ""},
	{"Haswell",                   "vme f16c rdrand arat xsaveopt abm", ""},
	{"Haswell-IBRS",              "vme f16c rdrand arat xsaveopt abm", ""},
	{"Broadwell-noTSX",           "vme f16c rdrand arat xsaveopt abm", ""},
	{"Broadwell-noTSX-IBRS",      "vme f16c rdrand arat xsaveopt abm", ""},
	{"Broadwell",                 "vme f16c rdrand arat xsaveopt abm", ""},
	{"Broadwell-IBRS",            "vme f16c rdrand arat xsaveopt abm", ""},
	{"Skylake-Client",            "", "mpx"},
	{"Skylake-Client-IBRS",       "", "mpx"},
	{"Skylake-Client-noTSX-IBRS", "", "mpx"},
	{"Skylake-Server",            "clflushopt pku", "mpx"},
	{"Skylake-Server-IBRS",       "pku", "mpx"},
	{"Skylake-Server-noTSX-IBRS", "pku", "mpx"},
	{"Cascadelake-Server",        "pku", "mpx"},
	{"Cascadelake-Server-noTSX",  "pku arch-capabilities rdctl-no ibrs-all skip-l1dfl-vmentry mds-no",
	                              "mpx"},
	{"Icelake-Server",            "", "mpx"},
	{"Icelake-Server-noTSX",      "", "mpx"},
	{"Snowridge",                 "mpx", ""},
	{"athlon",                    "mca", ""},
	{"phenom",                    "vme cx16 popcnt pdpe1gb rdtscp lahf_lm abm sse4a", ""},
	{"Opteron_G1",                "vme", ""},
	{"Opteron_G2",                "vme", "rdtscp"},
	{"Opteron_G3",                "vme", ""},
	{"Opteron_G4",                "vme", ""},
	{"Opteron_G5",                "vme", ""},
	{"EPYC",                      "topoext", ""},
	{"EPYC-IBPB",                 "topoext", ""},
	{"EPYC-Rome",                 "xsaves topoext", "npt nrip-save"},
	{"EPYC-Milan",                "topoext", "npt nrip-save svme-addr-chk"},
	{"Dhyana",                    "topoext", ""},
};
// clang-format on

static const struct cs_qemu_version qemu_versions[] = {
        {
                .major = 7,
                .minor = 2,
                .map_major = 9,
                .map_minor = 0,
                .models = qemu72_models,
                .nmodels = ARRAY_LEN(qemu72_models),
                .map_models_absent = qemu72_map_models_absent,
                .nmap_models_absent = ARRAY_LEN(qemu72_map_models_absent),
                .features_absent = qemu72_features_absent,
                .nfeatures_absent = ARRAY_LEN(qemu72_features_absent),
                .feature_names = qemu72_feature_names,
                .nfeature_names = ARRAY_LEN(qemu72_feature_names),
                /* With KVM, QEMU turns these on and off in every model. */
                .kvm_on = "x2apic hypervisor",
                .kvm_off = "monitor svm",
                .model_deltas = qemu72_model_deltas,
                .nmodel_deltas = ARRAY_LEN(qemu72_model_deltas),
                .tcg_models = cs_qemu_tcg_models_7_2,
        },
};

/* ---- libvirt 9.0 ----------------------------------------------------------- */

/* libvirt 9.0's wordings, grouped by the file of the libvirt 9.0.0 source
 * tree each comes from.  The compare reasons are the texts libvirt's x86
 * driver joins to the feature list with ": ". */
static const char *const libvirt90_msgs[CS_LIBVIRT_MSG_COUNT] = {
        /* src/cpu/cpu_x86.c */
        [CS_LIBVIRT_MSG_UNKNOWN_MODEL] = "Unknown CPU model %s",
        [CS_LIBVIRT_MSG_UNKNOWN_FEATURE] = "Unknown CPU feature %s",
        [CS_LIBVIRT_MSG_UNKNOWN_VENDOR] = "Unknown CPU vendor %s",
        [CS_LIBVIRT_MSG_UNKNOWN_HOST] = "unknown host CPU",
        [CS_LIBVIRT_MSG_ARCH_MISMATCH] = "CPU arch %s does not match host arch",
        [CS_LIBVIRT_MSG_VENDOR_MISMATCH] = "host CPU vendor does not match required CPU vendor %s",
        [CS_LIBVIRT_MSG_FORBIDDEN_FEATURES] = "Host CPU provides forbidden features",
        [CS_LIBVIRT_MSG_MISSING_FEATURES] = "Host CPU does not provide required features",
        [CS_LIBVIRT_MSG_STRICT_EXTRA_FEATURES] =
                "Host CPU does not strictly match guest CPU: Extra features",
        [CS_LIBVIRT_MSG_NO_SUITABLE_MODEL] = "Cannot find suitable CPU model for given data",
        [CS_LIBVIRT_MSG_MODEL_VENDOR_DIFFERS] = "CPU vendor %s of model %s differs from vendor %s",
        [CS_LIBVIRT_MSG_VENDORS_DIFFER] = "CPU vendors do not match",
        [CS_LIBVIRT_MSG_CPUS_INCOMPATIBLE] = "CPUs are incompatible",
        [CS_LIBVIRT_MSG_LIVE_EXTRA_MISSING] =
                "guest CPU doesn't match specification: extra features: %s, missing features: %s",
        [CS_LIBVIRT_MSG_LIVE_EXTRA] = "guest CPU doesn't match specification: extra features: %s",
        [CS_LIBVIRT_MSG_LIVE_MISSING] =
                "guest CPU doesn't match specification: missing features: %s",
        [CS_LIBVIRT_MSG_LIVE_MISMATCH] = "guest CPU doesn't match specification",
        /* src/cpu/cpu_x86.c (x86Decode) and src/cpu/cpu.c (virCPUTranslate) */
        [CS_LIBVIRT_MSG_MODEL_UNSUPPORTED] = "CPU model %s is not supported by hypervisor",
        /* src/cpu/cpu.c */
        [CS_LIBVIRT_MSG_FORBIDDEN_FEATURE] = "Host CPU provides forbidden feature '%s'",
        /* src/conf/cpu_conf.c */
        [CS_LIBVIRT_MSG_MISSING_MODEL_NAME] = "Missing CPU model name",
        /* src/util/virerror.c */
        [CS_LIBVIRT_MSG_CPU_INCOMPATIBLE] = "the CPU is incompatible with host CPU",
        [CS_LIBVIRT_MSG_CPU_INCOMPATIBLE_REASON] = "the CPU is incompatible with host CPU: %s",
        [CS_LIBVIRT_MSG_ERR_CONFIG_UNSUPPORTED] = "unsupported configuration: %s",
        [CS_LIBVIRT_MSG_ERR_OPERATION_FAILED] = "operation failed: %s",
        [CS_LIBVIRT_MSG_ERR_INTERNAL] = "internal error: %s",
        /* src/qemu/qemu_monitor.c, under internal error */
        [CS_LIBVIRT_MSG_QEMU_EXITED] = "internal error: qemu unexpectedly closed the monitor: %s",
        /* src/qemu/qemu_process.c */
        [CS_LIBVIRT_MSG_MODE_UNSUPPORTED] =
                "CPU mode '%s' for %s %s domain on %s host is not supported by hypervisor",
        /* src/qemu/qemu_validate.c */
        [CS_LIBVIRT_MSG_TOPOLOGY_VCPUS] = "CPU topology doesn't match maximum vcpu count",
        /* src/qemu/qemu_process.c (qemuProcessVerifyCPUFeatures) */
        [CS_LIBVIRT_MSG_NO_INVTSC] = "host doesn't support invariant TSC",
};

// clang-format off
/* The arguments each wording takes, and a name for it; the same for every
 * version. */
static const struct {
	const char *name;
	int nargs;
} msg_info[CS_LIBVIRT_MSG_COUNT] = {
	[CS_LIBVIRT_MSG_UNKNOWN_MODEL]           = {"UNKNOWN_MODEL", 1},
	[CS_LIBVIRT_MSG_UNKNOWN_FEATURE]         = {"UNKNOWN_FEATURE", 1},
	[CS_LIBVIRT_MSG_UNKNOWN_VENDOR]          = {"UNKNOWN_VENDOR", 1},
	[CS_LIBVIRT_MSG_MISSING_MODEL_NAME]      = {"MISSING_MODEL_NAME", 0},
	[CS_LIBVIRT_MSG_UNKNOWN_HOST]            = {"UNKNOWN_HOST", 0},
	[CS_LIBVIRT_MSG_ARCH_MISMATCH]           = {"ARCH_MISMATCH", 1},
	[CS_LIBVIRT_MSG_VENDOR_MISMATCH]         = {"VENDOR_MISMATCH", 1},
	[CS_LIBVIRT_MSG_FORBIDDEN_FEATURES]      = {"FORBIDDEN_FEATURES", 0},
	[CS_LIBVIRT_MSG_MISSING_FEATURES]        = {"MISSING_FEATURES", 0},
	[CS_LIBVIRT_MSG_STRICT_EXTRA_FEATURES]   = {"STRICT_EXTRA_FEATURES", 0},
	[CS_LIBVIRT_MSG_CPU_INCOMPATIBLE]        = {"CPU_INCOMPATIBLE", 0},
	[CS_LIBVIRT_MSG_CPU_INCOMPATIBLE_REASON] = {"CPU_INCOMPATIBLE_REASON", 1},
	[CS_LIBVIRT_MSG_MODEL_UNSUPPORTED]       = {"MODEL_UNSUPPORTED", 1},
	[CS_LIBVIRT_MSG_NO_SUITABLE_MODEL]       = {"NO_SUITABLE_MODEL", 0},
	[CS_LIBVIRT_MSG_MODEL_VENDOR_DIFFERS]    = {"MODEL_VENDOR_DIFFERS", 3},
	[CS_LIBVIRT_MSG_VENDORS_DIFFER]          = {"VENDORS_DIFFER", 0},
	[CS_LIBVIRT_MSG_CPUS_INCOMPATIBLE]       = {"CPUS_INCOMPATIBLE", 0},
	[CS_LIBVIRT_MSG_FORBIDDEN_FEATURE]       = {"FORBIDDEN_FEATURE", 1},
	[CS_LIBVIRT_MSG_MODE_UNSUPPORTED]        = {"MODE_UNSUPPORTED", 4},
	[CS_LIBVIRT_MSG_TOPOLOGY_VCPUS]          = {"TOPOLOGY_VCPUS", 0},
	[CS_LIBVIRT_MSG_LIVE_EXTRA_MISSING]      = {"LIVE_EXTRA_MISSING", 2},
	[CS_LIBVIRT_MSG_LIVE_EXTRA]              = {"LIVE_EXTRA", 1},
	[CS_LIBVIRT_MSG_LIVE_MISSING]            = {"LIVE_MISSING", 1},
	[CS_LIBVIRT_MSG_LIVE_MISMATCH]           = {"LIVE_MISMATCH", 0},
	[CS_LIBVIRT_MSG_NO_INVTSC]               = {"NO_INVTSC", 0},
	[CS_LIBVIRT_MSG_ERR_CONFIG_UNSUPPORTED]  = {"ERR_CONFIG_UNSUPPORTED", 1},
	[CS_LIBVIRT_MSG_ERR_OPERATION_FAILED]    = {"ERR_OPERATION_FAILED", 1},
	[CS_LIBVIRT_MSG_ERR_INTERNAL]            = {"ERR_INTERNAL", 1},
	[CS_LIBVIRT_MSG_QEMU_EXITED]             = {"QEMU_EXITED", 1},
};
// clang-format on

static const struct cs_libvirt_version libvirt_versions[] = {
        {.major = 9, .minor = 0, .msgs = libvirt90_msgs},
};

/* ---- lookups --------------------------------------------------------------- */

static int version_cmp(int amaj, int amin, int bmaj, int bmin)
{
	if (amaj != bmaj)
		return amaj < bmaj ? -1 : 1;
	if (amin != bmin)
		return amin < bmin ? -1 : 1;
	return 0;
}

/* Is entry c a better match for major.minor than the best so far (b; none
 * yet unless have)?  Only entries not newer than asked qualify, and among
 * them the newest wins; when none qualifies, the caller keeps the first. */
static bool better_match(int cmaj, int cmin, bool have, int bmaj, int bmin, int major, int minor)
{
	if (version_cmp(cmaj, cmin, major, minor) > 0)
		return false;
	return !have || version_cmp(cmaj, cmin, bmaj, bmin) > 0;
}

const struct cs_qemu_version *cs_qemu_versions(size_t *n)
{
	*n = ARRAY_LEN(qemu_versions);
	return qemu_versions;
}

const struct cs_qemu_version *cs_qemu_version_find(int major, int minor)
{
	const struct cs_qemu_version *q = qemu_versions;
	size_t best = 0;
	bool have = false;

	for (size_t i = 0; i < ARRAY_LEN(qemu_versions); i++) {
		if (better_match(q[i].major, q[i].minor, have, q[best].major, q[best].minor, major,
		                 minor)) {
			best = i;
			have = true;
		}
	}
	return &q[best];
}

const struct cs_qemu_version *cs_qemu_version_default(void)
{
	return &qemu_versions[0];
}

static const struct cs_qemu_version *qemu_or_default(const struct cs_qemu_version *v)
{
	return v ? v : cs_qemu_version_default();
}

static bool in_list(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

const char *cs_qemu_version_feature_name(const struct cs_qemu_version *v, const char *libvirt_name)
{
	v = qemu_or_default(v);
	for (size_t i = 0; i < v->nfeature_names; i++)
		if (!strcmp(libvirt_name, v->feature_names[i].libvirt))
			return v->feature_names[i].qemu;
	return libvirt_name;
}

const char *cs_qemu_version_feature_from_qemu(const struct cs_qemu_version *v,
                                              const char *qemu_name)
{
	v = qemu_or_default(v);
	for (size_t i = 0; i < v->nfeature_names; i++)
		if (!strcmp(qemu_name, v->feature_names[i].qemu))
			return v->feature_names[i].libvirt;
	return qemu_name;
}

bool cs_qemu_version_defines_model(const struct cs_qemu_version *v, const char *name)
{
	v = qemu_or_default(v);
	return in_list(v->models, v->nmodels, name);
}

bool cs_qemu_version_knows_model(const struct cs_qemu_version *v, const char *name)
{
	v = qemu_or_default(v);
	return !in_list(v->map_models_absent, v->nmap_models_absent, name);
}

bool cs_qemu_version_knows_feature(const struct cs_qemu_version *v, const char *name)
{
	v = qemu_or_default(v);
	return !in_list(v->features_absent, v->nfeatures_absent, name);
}

const struct cs_qemu_model_delta *cs_qemu_version_model_delta(const struct cs_qemu_version *v,
                                                              const char *model)
{
	v = qemu_or_default(v);
	for (size_t i = 0; i < v->nmodel_deltas; i++)
		if (!strcmp(model, v->model_deltas[i].model))
			return &v->model_deltas[i];
	return NULL;
}

const struct cs_libvirt_version *cs_libvirt_versions(size_t *n)
{
	*n = ARRAY_LEN(libvirt_versions);
	return libvirt_versions;
}

const struct cs_libvirt_version *cs_libvirt_version_find(int major, int minor)
{
	const struct cs_libvirt_version *l = libvirt_versions;
	size_t best = 0;
	bool have = false;

	for (size_t i = 0; i < ARRAY_LEN(libvirt_versions); i++) {
		if (better_match(l[i].major, l[i].minor, have, l[best].major, l[best].minor, major,
		                 minor)) {
			best = i;
			have = true;
		}
	}
	return &l[best];
}

const struct cs_libvirt_version *cs_libvirt_version_default(void)
{
	return &libvirt_versions[0];
}

static bool msg_in_range(enum cs_libvirt_msg id)
{
	return (unsigned)id < CS_LIBVIRT_MSG_COUNT;
}

const char *cs_libvirt_msg(const struct cs_libvirt_version *v, enum cs_libvirt_msg id)
{
	if (!v)
		v = cs_libvirt_version_default();
	if (!msg_in_range(id) || !v->msgs[id])
		return "";
	return v->msgs[id];
}

int cs_libvirt_msg_nargs(enum cs_libvirt_msg id)
{
	return msg_in_range(id) ? msg_info[id].nargs : -1;
}

const char *cs_libvirt_msg_id_name(enum cs_libvirt_msg id)
{
	return msg_in_range(id) ? msg_info[id].name : "";
}

/* Every wording's conversions are %s and the arguments strings, which the
 * tests check for each entry; the compiler cannot, and clang says so even
 * for a va_list function (gcc does not): the check is off for this call. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int msg_vformat(char *buf, size_t size, const struct cs_libvirt_version *v,
                       enum cs_libvirt_msg id, va_list ap)
{
	return vsnprintf(buf, size, cs_libvirt_msg(v, id), ap);
}
#pragma GCC diagnostic pop

int cs_libvirt_msg_format(char *buf, size_t size, const struct cs_libvirt_version *v,
                          enum cs_libvirt_msg id, ...)
{
	va_list ap;
	int n;

	va_start(ap, id);
	n = msg_vformat(buf, size, v, id, ap);
	va_end(ap);
	return n;
}

void cs_error_set_libvirt(struct cs_error *err, enum cs_errcode code, const char *file,
                          unsigned line, const struct cs_libvirt_version *v, enum cs_libvirt_msg id,
                          ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, id);
	msg_vformat(msg, sizeof(msg), v, id, ap);
	va_end(ap);
	cs_error_set(err, code, file, line, "%s", msg);
}
