/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host_brand.h: the name a host CPU gives itself (its brand string) */
#ifndef CPUSCOPE_HOST_BRAND_H
#define CPUSCOPE_HOST_BRAND_H

#include <stddef.h>
#include <stdint.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/host.h"

/* The brand string of the host opts describes ("AMD EPYC 7763 64-Core
 * Processor"): CPUID leaves 0x80000002..4 of this machine for the cpuid
 * and kvm sources, "model name" of /proc/cpuinfo for the cpuinfo source
 * (or when CPUID cannot be read), and what a file holds (a CPUID dump's
 * leaves or leading comment, cpuid -r output, a cpuinfo copy); a <cpu>,
 * capabilities or domcapabilities file holds none.  Trimmed of blanks and
 * unprintable bytes.  A new string (the caller's), or NULL when unknown. */
char *cs_host_brand(const struct cs_map *map, const struct cs_host_opts *opts);

/* The brand string in the three CPUID leaves' registers (eax, ebx, ecx,
 * edx of 0x80000002, 0x80000003, 0x80000004), trimmed; NULL when blank. */
char *cs_brand_from_regs(const uint32_t regs[12]);

#endif
