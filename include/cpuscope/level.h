/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* level.h: the x86-64 micro-architecture levels (x86-64, -v2, -v3, -v4) of a feature set */
#ifndef CPUSCOPE_LEVEL_H
#define CPUSCOPE_LEVEL_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/fset.h"

struct cs_cpudef;
struct cs_effective;

/* The levels of the x86-64 psABI, each including the one before:
 *   1 x86-64     cmov cx8 fpu fxsr mmx syscall sse sse2 (and lm: long mode)
 *   2 x86-64-v2  + cx16 lahf_lm popcnt pni sse4.1 sse4.2 ssse3
 *   3 x86-64-v3  + avx avx2 bmi1 bmi2 f16c fma abm movbe xsave
 *   4 x86-64-v4  + avx512f avx512bw avx512cd avx512dq avx512vl
 * in the map's names (pni is SSE3, abm is LZCNT).  The psABI's OSXSAVE is
 * the guest kernel's switch, set when the CPU has XSAVE, so v3 asks for
 * xsave.  A feature the map does not define counts as absent. */
#define CS_LEVEL_MAX 4

/* The highest level features reach (0: not even x86-64), for arch (x86;
 * any other arch gives 0).  next, when not NULL, gets the features of the
 * next level that are missing (empty at CS_LEVEL_MAX). */
int cs_x86_level(const struct cs_arch *arch, const struct cs_fset *features, struct cs_fset *next);

/* The level of features in words, into buf: "x86-64-v2 (x86-64-v3 also
 * needs f16c, abm)", "x86-64-v4", or "below x86-64 (the map lacks features
 * x86-64 needs)".  Returns the level. */
int cs_x86_level_describe(const struct cs_arch *arch, const struct cs_fset *features, char *buf,
                          size_t size);

/* "x86-64", "x86-64-v2", ...; "below x86-64" for 0. */
const char *cs_x86_level_name(int level);

/* The features a guest gets from QEMU 7.2 for the effective CPU of guest:
 * QEMU's model of that name (cs_qemu_model_features, which is not always
 * the map's: QEMU's Haswell has abm, libvirt's map does not) with the
 * guest's added features and without its removed ones or those guest
 * disables or forbids.  The effective set itself when QEMU has no such
 * model or the guest has none (passthrough).  guest may be NULL. */
void cs_effective_qemu_features(const struct cs_arch *arch, const struct cs_effective *eff,
                                const struct cs_cpudef *guest, struct cs_fset *out);

/* What a running guest gets, judged against its host. */
struct cs_level_report {
	struct cs_fset qemu;        /* what QEMU gives it there (see below) */
	int level;                  /* cs_x86_level() of qemu */
	struct cs_fset next;        /* features of the next level qemu lacks */
	struct cs_fset mitigations; /* mitigation features (cs_mitigations) the host
	                               has and the guest does not get */
};

/* The x86-64 level of guest (its effective CPU eff, from
 * cs_guest_effective) and the mitigations it lacks, on a host with
 * host_features (NULL: no host known).  qemu is
 * cs_effective_qemu_features() less what the host lacks, as QEMU quietly
 * leaves that out; without a host, no mitigations are reported. */
void cs_level_report(const struct cs_arch *arch, const struct cs_effective *eff,
                     const struct cs_cpudef *guest, const struct cs_fset *host_features,
                     struct cs_level_report *out);

#endif
