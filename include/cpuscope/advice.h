/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* advice.h: features a guest should have for its security: CPU vulnerability mitigations */
#ifndef CPUSCOPE_ADVICE_H
#define CPUSCOPE_ADVICE_H

#include <stdbool.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/fset.h"

/* The map features that tell a guest kernel how to protect itself from the
 * speculative-execution and data-sampling vulnerabilities, as QEMU's CPU
 * model notes recommend passing them to guests when the host has them:
 * pcid, spec-ctrl, stibp, ssbd, md-clear, arch-capabilities and the
 * IA32_ARCH_CAPABILITIES bits (rdctl-no, ibrs-all, skip-l1dfl-vmentry,
 * mds-no, pschange-mc-no, tsx-ctrl, taa-no), and on AMD ibpb, amd-stibp,
 * virt-ssbd, amd-ssbd, amd-no-ssb and ssb-no.  Named models often lack
 * them (the -IBRS models add only some).  Names the map does not define
 * are left out; *out is empty for an arch without them. */
void cs_mitigations(const struct cs_arch *arch, struct cs_fset *out);

/* Why a host may lack feature id, in a few words, where a common reason is
 * known: TSX switched off, MPX dropped, the other vendor's virtualization,
 * nested virtualization off in KVM, AVX-512 absent from whole CPU lines,
 * mitigations missing from old microcode, features the CPU has but KVM
 * cannot give, and features KVM emulates that the CPU lacks.  host_vendor
 * is the host's vendor index (-1: unknown); cpu_has says whether the host
 * CPU has it, kvm whether KVM gives it (1), does not (0) or is not known
 * (-1).  NULL when the feature is not missing or there is nothing to say.
 * Static text; pure. */
const char *cs_missing_reason(const struct cs_arch *arch, unsigned id, int host_vendor,
                              bool cpu_has, int kvm);
/* The same where the hypervisor may be QEMU's TCG (tcg: the domain type is
 * qemu): kvm then says whether TCG gives the feature. */
const char *cs_missing_reason_hv(const struct cs_arch *arch, unsigned id, int host_vendor,
                                 bool cpu_has, int kvm, bool tcg);

/* cs_missing_reason()'s text for a feature the CPU has and KVM does not
 * give, when nothing more is known. */
extern const char cs_reason_kvm_lacks[];
/* The same when the hypervisor is QEMU's TCG. */
extern const char cs_reason_tcg_lacks[];

/* Features that share a reason. */
struct cs_reason_group {
	const char *reason;      /* cs_missing_reason()'s text */
	struct cs_fset features; /* the features it explains */
};

/* The features of missing grouped by cs_missing_reason(), in the order of
 * their first feature; features without a reason are left out.  cpu_has:
 * what the host CPU has (NULL: none of missing); kvm_gives: what KVM gives
 * (NULL: not known).  Fills at most max groups and returns their number. */
size_t cs_missing_reasons(const struct cs_arch *arch, const struct cs_fset *missing,
                          int host_vendor, const struct cs_fset *cpu_has,
                          const struct cs_fset *kvm_gives, struct cs_reason_group *out, size_t max);
/* The same where the hypervisor may be QEMU's TCG (cs_missing_reason_hv). */
size_t cs_missing_reasons_hv(const struct cs_arch *arch, const struct cs_fset *missing,
                             int host_vendor, const struct cs_fset *cpu_has,
                             const struct cs_fset *kvm_gives, bool tcg, struct cs_reason_group *out,
                             size_t max);

/* The model of the map that is model without the features of missing that
 * model has, as the map names such variants: Haswell-noTSX for Haswell
 * where hle and rtm are missing, Haswell for Haswell-IBRS where spec-ctrl
 * is, EPYC for EPYC-IBPB where ibpb is.  It must have none of those
 * features; *dropped, when not NULL, gets them.  -1 when model has none of
 * missing or the map has no such variant. */
int cs_model_variant_without(const struct cs_arch *arch, int model, const struct cs_fset *missing,
                             struct cs_fset *dropped);

/* The model to fall back to when a guest's model cannot run: among the
 * models with runs[m] true (runs has arch->nmodels entries), not exclude
 * (-1: none), of vendor when vendor >= 0 (models without a vendor always
 * fit).  A guest that asks for long mode (lm) only falls back to models
 * with it.  Models that keep the x86-64 level of want (cs_x86_level) come
 * first, then those closest below it; among equals, the one that keeps
 * the most of want, then the smaller model.  -1 when none fits.  *level,
 * when not NULL, gets the level kept (capped at want's). */
int cs_fallback_model(const struct cs_arch *arch, const struct cs_fset *want, int exclude,
                      int vendor, const bool *runs, int *level);

#endif
