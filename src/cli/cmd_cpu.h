/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_cpu.h: host CPU loading shared by the compare, guest and apply commands */
#ifndef CPUSCOPE_CMD_CPU_H
#define CPUSCOPE_CMD_CPU_H

#include <stdbool.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"

/* What the host CPU is for a command. */
enum cmd_host_view {
	CMD_HOST_CAPABILITIES, /* the host CPU as virsh capabilities shows it (cpu-compare) */
	CMD_HOST_MODEL,        /* the host-model CPU as virsh domcapabilities shows it */
};

/* The host for a command, from file (any kind 'cpuscope host' reads) or
 * probed from source ("cpuid", "kvm", "cpuinfo"), by the core's rules
 * (cs_host_sides_load); exactly one of file and source is non-NULL.
 * CMD_HOST_CAPABILITIES gives the host CPU (cpu-compare), or what KVM
 * gives (hypervisor-cpu-compare) for source "kvm" and a domcapabilities
 * file; CMD_HOST_MODEL gives the host-model CPU a starting guest is
 * updated against (the host CPU where the file has no data to decode it
 * from).  Prints the error and returns NULL on failure. */
struct cs_cpudef *cmd_load_host_cpu(const struct cs_map *map, const char *file, const char *source,
                                    enum cmd_host_view view);

/* Read the guest CPU of file (a <cpu>, or the <cpu> of a domain XML and
 * the like; the first one found).  Prints the error and returns NULL on
 * failure. */
struct cs_cpudef *cmd_load_guest_cpu(const struct cs_map *map, const char *file, unsigned flags);

/* Under an incompatible verdict r of guest on host: one line per reason the
 * host may lack the features at fault, then the guest's model without them
 * where the map has one; indent starts each line. */
void cmd_print_why(const struct cs_cpudef *host, const struct cs_cpudef *guest,
                   const struct cs_compare_result *r, const char *indent);

/* models --qemu / --verify: each model of a (x86) with whether QEMU 7.2
 * has it, or, with verify, what QEMU itself says: usable, or the features
 * the accelerator cannot give it.  binary and accel may be NULL (QEMU on
 * PATH; KVM where usable, else TCG).  Returns the exit status. */
int cmd_models_qemu(const struct cs_arch *a, bool verify, const char *binary, const char *accel,
                    bool no_cache);

#endif
