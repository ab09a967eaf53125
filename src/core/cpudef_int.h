/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpudef_int.h: internals shared by the <cpu> modules of the core: name tables, checks */
#ifndef CPUSCOPE_CPUDEF_INT_H
#define CPUSCOPE_CPUDEF_INT_H

#include <stddef.h>

#include "cpuscope/cpudef.h"

/* A table of names, indexed by an enum's values. */
struct cs_names {
	const char *const *v;
	size_t n;
};

/* libvirt's names for the values of enum cs_policy (less NONE), cs_cpu_mode,
 * cs_cpu_match, cs_cpu_check and cs_cpu_fallback, in enum order; and the
 * architecture names libvirt 9.0 accepts in <arch>. */
extern const struct cs_names cs_policy_names, cs_mode_names, cs_match_names, cs_check_names,
        cs_fallback_names, cs_known_arch_names;

/* The index of s in t, or -1. */
int cs_names_find(const struct cs_names *t, const char *s);

/* 0 when the model and every feature def names were found in the map; else
 * -1 with libvirt's "Unknown CPU model/feature" error (the first one), as
 * set arithmetic on def needs them all. */
int cs_cpudef_check_resolved(const struct cs_cpudef *def, struct cs_error *err);

/* One <cpu>-like element (an xmlNode of a reader's expanded subtree) parsed
 * as cs_cpudef_parse() parses it, less the uninterpreted children (there is
 * no source text to copy them from).  NULL with err set. */
struct cs_cpudef *cs_cpudef_parse_node(const struct cs_map *map, const char *name, unsigned flags,
                                       const void *node, enum cs_cpu_origin origin,
                                       struct cs_error *err);

#endif
