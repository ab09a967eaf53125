/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_conn.h: the explorer's guest as a libvirt domain (URI#NAME) rather than a file */
#ifndef CPUSCOPE_TUI_ENGINE_CONN_H
#define CPUSCOPE_TUI_ENGINE_CONN_H

#include <stdbool.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/error.h"

/* True when path names a domain of a connection: "URI#NAME" (URI holding
 * "://"), or "#NAME" for libvirt's default connection. */
bool engine_is_domain_ref(const char *path);

/* The domain's persistent <cpu> (what `virsh edit` shows), as
 * engine_load_guest gives a file's: *is_domain true, *vcpus its <vcpu>.
 * Returns 0, or -1 with err set (cannot connect, no such domain, a
 * transient domain, a domain without <cpu>). */
int engine_conn_load_guest(const struct cs_map *map, const char *ref, struct cs_cpudef **defp,
                           bool *is_domain, unsigned *vcpus, struct cs_error *err);

/* What the last engine_conn_load_guest learnt of the domain's state, to
 * follow the "opened" message: "" when it is shut off, else that it runs
 * and whether its live <cpu> differs from the one opened. */
const char *engine_conn_note(void);

/* Define the domain again through libvirt with only its <cpu> replaced by
 * def (its topology and other layout kept); a running domain gets it at
 * its next start.  Returns 0, or -1 with err set in libvirt's words. */
int engine_conn_save_guest(const struct cs_cpudef *def, const char *ref, struct cs_error *err);

#endif
