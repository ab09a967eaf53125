/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* advice.c: the mitigation features of a map, and why a host lacks a feature */
#include "cpuscope/advice.h"

#include "cpuscope/level.h"

#include <stdio.h>
#include <string.h>

static const char *const mitigations[] = {
        "pcid",      "spec-ctrl",      "stibp",
        "ssbd",      "md-clear",       "arch-capabilities",
        "rdctl-no",  "ibrs-all",       "skip-l1dfl-vmentry",
        "mds-no",    "pschange-mc-no", "tsx-ctrl",
        "taa-no",    "ibpb",           "amd-stibp",
        "virt-ssbd", "amd-ssbd",       "amd-no-ssb",
        "ssb-no",
};

void cs_mitigations(const struct cs_arch *arch, struct cs_fset *out)
{
	cs_fset_zero(out);
	if (!arch)
		return;
	for (size_t i = 0; i < sizeof(mitigations) / sizeof(mitigations[0]); i++) {
		int id = cs_arch_find_feature(arch, mitigations[i]);
		if (id >= 0)
			cs_fset_set(out, (unsigned)id);
	}
}

static bool is_mitigation(const char *name)
{
	for (size_t i = 0; i < sizeof(mitigations) / sizeof(mitigations[0]); i++)
		if (!strcmp(name, mitigations[i]))
			return true;
	return false;
}

/* Mitigation bits in Intel's CPUID leaf 7 and IA32_ARCH_CAPABILITIES. */
static bool intel_style(const char *n)
{
	static const char *const intel[] = {
	        "spec-ctrl",
	        "stibp",
	        "ssbd",
	        "md-clear",
	        "arch-capabilities",
	        "rdctl-no",
	        "ibrs-all",
	        "skip-l1dfl-vmentry",
	        "mds-no",
	        "pschange-mc-no",
	        "tsx-ctrl",
	        "taa-no",
	};

	for (size_t i = 0; i < sizeof(intel) / sizeof(intel[0]); i++)
		if (!strcmp(n, intel[i]))
			return true;
	return false;
}

/* Mitigation bits in AMD's CPUID leaf 0x80000008. */
static bool amd_style(const char *n)
{
	return !strcmp(n, "ibpb") || !strcmp(n, "amd-stibp") || !strcmp(n, "virt-ssbd") ||
	       !strcmp(n, "amd-ssbd") || !strcmp(n, "amd-no-ssb") || !strcmp(n, "ssb-no");
}

/* Whether vendor index v of arch is the one named name. */
static bool vendor_is(const struct cs_arch *arch, int v, const char *name)
{
	return v >= 0 && (size_t)v < arch->nvendors && !strcmp(arch->vendors[v].name, name);
}

const char cs_reason_kvm_lacks[] = "on the CPU, but not given by KVM here (kernel or KVM "
                                   "version, module options)";
const char cs_reason_tcg_lacks[] = "on the CPU, but QEMU's TCG does not emulate it (the "
                                   "domain type is qemu: no KVM here)";

static bool amd_like(const struct cs_arch *arch, int v)
{
	return vendor_is(arch, v, "AMD") || vendor_is(arch, v, "Hygon");
}

const char *cs_missing_reason(const struct cs_arch *arch, unsigned id, int host_vendor,
                              bool cpu_has, int kvm)
{
	return cs_missing_reason_hv(arch, id, host_vendor, cpu_has, kvm, false);
}

const char *cs_missing_reason_hv(const struct cs_arch *arch, unsigned id, int host_vendor,
                                 bool cpu_has, int kvm, bool tcg)
{
	const char *n;

	if (!arch || id >= arch->nfeatures || (cpu_has && kvm != 0))
		return NULL;
	n = arch->features[id].name;
	if (!cpu_has && kvm > 0)
		return tcg ? "not on the CPU but emulated by QEMU's TCG: cpu-compare says no, yet "
		             "the guest starts under TCG"
		           : "not on the CPU but given by KVM (emulated): cpu-compare says no, yet "
		             "the guest starts under KVM";
	if (cpu_has && tcg)
		return cs_reason_tcg_lacks;
	if (cpu_has) {
		/* The CPU has it; KVM does not give it. */
		if (!strcmp(n, "vmx") || !strcmp(n, "svm"))
			return "nested virtualization is off in KVM here (the kvm module's "
			       "nested option)";
		if (!strncmp(n, "vmx-", 4))
			return "nested VMX controls not given by KVM here";
		return cs_reason_kvm_lacks;
	}
	if (!strcmp(n, "vmx") && amd_like(arch, host_vendor))
		return "Intel's VT-x: AMD and Hygon hosts have svm instead";
	if (!strcmp(n, "svm") && vendor_is(arch, host_vendor, "Intel"))
		return "AMD-V: Intel hosts have vmx instead";
	if (!strcmp(n, "vmx") || !strcmp(n, "svm"))
		return "not in this host's CPUID: a host that is itself a VM shows it only "
		       "with nested virtualization on";
	if ((!strcmp(n, "hle") || !strcmp(n, "rtm") || !strcmp(n, "mpx")) && host_vendor >= 0 &&
	    !vendor_is(arch, host_vendor, "Intel"))
		return "an Intel extension other vendors' CPUs do not have";
	if (!strcmp(n, "hle") || !strcmp(n, "rtm"))
		return "TSX: in some Intel CPUs since Haswell, and often off: microcode "
		       "updates and the kernel's tsx=off disable it";
	if (!strcmp(n, "mpx"))
		return "MPX: in a few Intel generations only, gone from newer CPUs, and unused "
		       "by Linux since 5.6";
	if (!strncmp(n, "avx512", 6))
		return "AVX-512: in Intel server CPUs since Skylake, some Intel client CPUs "
		       "before Alder Lake, and AMD CPUs since Zen 4";
	if (!strncmp(n, "vmx-", 4))
		return "VMX controls of newer CPUs";
	/* pcid comes with the CPU's generation, not with microcode. */
	if (!is_mitigation(n) || !strcmp(n, "pcid"))
		return NULL;
	if (amd_like(arch, host_vendor) && intel_style(n))
		return "Intel's mitigation bits: AMD CPUs report theirs in other bits "
		       "(ibpb, amd-stibp, amd-ssbd, virt-ssbd)";
	if (vendor_is(arch, host_vendor, "Intel") && amd_style(n))
		return "AMD's mitigation bits: Intel CPUs report theirs in other bits "
		       "(spec-ctrl, stibp, ssbd)";
	return "mitigation bits this host does not report: older microcode and kernels lack "
	       "them, and the *-no bits only CPUs without the flaw set";
}

size_t cs_missing_reasons(const struct cs_arch *arch, const struct cs_fset *missing,
                          int host_vendor, const struct cs_fset *cpu_has,
                          const struct cs_fset *kvm_gives, struct cs_reason_group *out, size_t max)
{
	return cs_missing_reasons_hv(arch, missing, host_vendor, cpu_has, kvm_gives, false, out,
	                             max);
}

size_t cs_missing_reasons_hv(const struct cs_arch *arch, const struct cs_fset *missing,
                             int host_vendor, const struct cs_fset *cpu_has,
                             const struct cs_fset *kvm_gives, bool tcg, struct cs_reason_group *out,
                             size_t max)
{
	size_t n = 0;
	int id;

	if (!arch)
		return 0;
	cs_fset_foreach (id, missing) {
		bool has = cpu_has && cs_fset_test(cpu_has, (unsigned)id);
		int kvm = kvm_gives ? cs_fset_test(kvm_gives, (unsigned)id) : -1;
		const char *why =
		        cs_missing_reason_hv(arch, (unsigned)id, host_vendor, has, kvm, tcg);
		size_t g;

		if (!why)
			continue;
		for (g = 0; g < n && out[g].reason != why; g++)
			;
		if (g == n) {
			if (n == max)
				continue;
			out[n].reason = why;
			cs_fset_zero(&out[n].features);
			n++;
		}
		cs_fset_set(&out[g].features, (unsigned)id);
	}
	return n;
}

/* Model name with suffix cut off its end (when it ends so) into buf. */
static bool cut_suffix(const char *name, const char *suffix, char *buf, size_t size)
{
	size_t n = strlen(name), k = strlen(suffix);

	if (n <= k || strcmp(name + n - k, suffix) || n - k >= size)
		return false;
	memcpy(buf, name, n - k);
	buf[n - k] = '\0';
	return true;
}

int cs_model_variant_without(const struct cs_arch *arch, int model, const struct cs_fset *missing,
                             struct cs_fset *dropped)
{
	const char *name;
	char base[128], cand[3][160];
	struct cs_fset drop;
	size_t nc = 0;
	int tsx[2];

	if (!arch || model < 0 || (size_t)model >= arch->nmodels)
		return -1;
	cs_fset_intersect(&drop, missing, &arch->models[model].features);
	if (dropped)
		*dropped = drop;
	if (cs_fset_is_empty(&drop))
		return -1;
	name = arch->models[model].name;
	tsx[0] = cs_arch_find_feature(arch, "hle");
	tsx[1] = cs_arch_find_feature(arch, "rtm");
	if ((tsx[0] >= 0 && cs_fset_test(&drop, (unsigned)tsx[0])) ||
	    (tsx[1] >= 0 && cs_fset_test(&drop, (unsigned)tsx[1]))) {
		if (cut_suffix(name, "-IBRS", base, sizeof(base))) {
			snprintf(cand[nc++], sizeof(cand[0]), "%s-noTSX-IBRS", base);
		} else {
			snprintf(cand[nc++], sizeof(cand[0]), "%s-noTSX", name);
			snprintf(cand[nc++], sizeof(cand[0]), "%s-noTSX-IBRS", name);
		}
	}
	if (cut_suffix(name, "-IBRS", base, sizeof(base)) ||
	    cut_suffix(name, "-IBPB", base, sizeof(base)))
		snprintf(cand[nc++], sizeof(cand[0]), "%s", base);
	for (size_t i = 0; i < nc; i++) {
		int m = cs_arch_find_model(arch, cand[i]);
		struct cs_fset both;

		if (m < 0 || m == model)
			continue;
		cs_fset_intersect(&both, &arch->models[m].features, &drop);
		if (cs_fset_is_empty(&both))
			return m;
	}
	return -1;
}

int cs_fallback_model(const struct cs_arch *arch, const struct cs_fset *want, int exclude,
                      int vendor, const bool *runs, int *level)
{
	int need = cs_x86_level(arch, want, NULL), lm = cs_arch_find_feature(arch, "lm");
	bool want_lm = lm >= 0 && cs_fset_test(want, (unsigned)lm);
	int best = -1, best_level = -1;
	unsigned best_keep = 0, best_size = 0;

	for (size_t m = 0; m < arch->nmodels; m++) {
		const struct cs_fset *mf = &arch->models[m].features;
		struct cs_fset kept;
		unsigned keep, size;
		int lv;

		if (!runs[m] || (int)m == exclude)
			continue;
		if (vendor >= 0 && arch->models[m].vendor >= 0 && arch->models[m].vendor != vendor)
			continue;
		if (want_lm && !cs_fset_test(mf, (unsigned)lm))
			continue; /* a 64-bit guest needs long mode */
		/* Levels above what the guest needs do not make a model better. */
		lv = cs_x86_level(arch, mf, NULL);
		lv = lv < need ? lv : need;
		cs_fset_intersect(&kept, mf, want);
		keep = cs_fset_count(&kept);
		size = cs_fset_count(mf);
		if (best < 0 || lv > best_level || (lv == best_level && keep > best_keep) ||
		    (lv == best_level && keep == best_keep && size < best_size)) {
			best = (int)m;
			best_level = lv;
			best_keep = keep;
			best_size = size;
		}
	}
	if (level)
		*level = best_level;
	return best;
}
