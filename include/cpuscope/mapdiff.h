/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mapdiff.h: what changed between two CPU maps (a libvirt upgrade, a local edit) */
#ifndef CPUSCOPE_MAPDIFF_H
#define CPUSCOPE_MAPDIFF_H

#include <stdbool.h>

#include "cpuscope/cpumap.h"

/* The differences between two sections of the same architecture, old and
 * new, as text (one line per change, newline-terminated; "" when they
 * describe the same CPUs): vendors, features and models only in one of
 * them; features whose CPUID/MSR bits differ; and for each model in both,
 * the features it gained or lost (resolved, inheritance included), a
 * changed vendor, decode flags or signatures.  Names are compared, not
 * ids, so the maps may list things in other orders; order alone is not a
 * change.  *changed, when not NULL, says whether anything differs.  The
 * result is the caller's. */
char *cs_arch_diff(const struct cs_arch *old, const struct cs_arch *new, bool *changed);

#endif
