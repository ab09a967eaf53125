/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* baseline_hv.h: the baseline of CPUs within one hypervisor's CPU models (virsh
 * hypervisor-cpu-baseline) */
#ifndef CPUSCOPE_BASELINE_HV_H
#define CPUSCOPE_BASELINE_HV_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/error.h"
#include "cpuscope/start.h"

struct cs_hv_baseline_opts {
	bool expand_features; /* --features: every feature of the chosen model, sorted by name */
	/* --migratable: leave out what QEMU reports as not migratable.  Under
	 * TCG QEMU reports no such feature (measured), so this changes nothing
	 * there; under KVM the map's migratable='no' features are left out. */
	bool migratable;
};

/* What libvirt 9.0's QEMU driver answers to virConnectBaselineHypervisorCPU
 * (`virsh hypervisor-cpu-baseline`) on the hypervisor hv for the ncpus
 * definitions in cpus, parsed as virsh hands them over (cs_cpudef_parse
 * without AS_HOST or AS_GUEST: a <cpu> with <arch> is a host CPU whose
 * policies are ignored, any other a guest CPU whose disable/forbid
 * features are taken away and optional ones ignored).  Unlike `virsh
 * cpu-baseline` (cs_baseline_*): only features QEMU has a property for
 * count, only the hypervisor's models are candidates, each listing as
 * disabled the features that block it (hv's blockers), and the model is
 * always fallback='forbid'.  Returns a new guest definition, or NULL with
 * err set in libvirt's words ("no CPU model specified at index %zu", "CPU
 * vendors do not match", "CPUs are incompatible", ...). */
struct cs_cpudef *cs_baseline_hypervisor(const struct cs_hypervisor *hv,
                                         struct cs_cpudef *const *cpus, size_t ncpus,
                                         const struct cs_hv_baseline_opts *opts,
                                         struct cs_error *err);

/* The text of every CPU element in buf (len bytes; name for messages) as
 * virsh hands it to libvirt's baseline and compare calls: the <cpu>
 * elements at the top level, of a <domain>, of capabilities' <host>, and
 * the supported host-model <mode> of domain capabilities renamed <cpu>
 * without its attributes, in document order.  Returns 0 with a new array
 * of *n (>= 1) strings in *out (cs_cpu_texts_free), or -1 with err set
 * (bad XML, no CPU at all). */
int cs_cpu_texts(const char *buf, size_t len, const char *name, char ***out, size_t *n,
                 struct cs_error *err);

/* Free an array from cs_cpu_texts (NULL is fine). */
void cs_cpu_texts_free(char **texts, size_t n);

#endif
