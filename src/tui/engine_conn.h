/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_conn.h: the explorer's guest as a libvirt domain (URI#NAME) rather than a file */
#ifndef CPUSCOPE_TUI_ENGINE_CONN_H
#define CPUSCOPE_TUI_ENGINE_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/conn.h"

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

/* ---- the connection's host ---------------------------------------------- */

struct app_host;
struct engine_start;
struct cs_arch;

/* The host of the connection ref names ("URI#NAME"), as the explorer's
 * host: cpu from its capabilities' host <cpu>, kvm from its domain
 * capabilities' host-model for the domain's type, emulator, machine and
 * arch; label gets "URI on HOSTNAME".  The connection stays open (and its
 * answers cached) until engine_conn_close.  Returns 0, or -1 with err set
 * and cpu, kvm untouched (cannot connect, no such domain). */
int engine_conn_probe(const struct cs_map *map, const struct cs_arch *arch, const char *ref,
                      struct app_host *cpu, struct app_host *kvm, char *label, size_t size,
                      struct cs_error *err);

/* After engine_conn_probe: the start verdict against the connection's
 * hypervisor for the domain (cs_hypervisor_from_domcaps on the domain
 * capabilities and the capabilities' host CPU, as cs_conn_hypervisor). */
void engine_conn_start_setup(struct engine_start *s, const struct cs_map *map);

/* The connection engine_conn_probe opened, or NULL; and the target
 * (type, emulator, machine, arch) of the domain it was opened for. */
struct cs_conn *engine_conn_current(void);
const struct cs_conn_target *engine_conn_current_target(void);
/* The URI#NAME engine_conn_probe was last called for ("" when closed). */
const char *engine_conn_ref(void);

/* The migration destinations (--migrate-to, and pool hosts given as
 * URIs): borrowed, they must outlive the explorer's run. */
void engine_conn_set_dests(const char *const *uris, size_t n);
/* The destinations: their number, and the array in *uris. */
size_t engine_conn_dests(const char *const **uris);

/* Close the connection engine_conn_probe opened (none is fine). */
void engine_conn_close(void);

#endif
