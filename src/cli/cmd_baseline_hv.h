/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_baseline_hv.h: the baseline command's hypervisor flavour (virsh hypervisor-cpu-baseline) */
#ifndef CPUSCOPE_CMD_BASELINE_HV_H
#define CPUSCOPE_CMD_BASELINE_HV_H

#include "cli/cli.h"
#include "cpuscope/baseline_hv.h"

struct cli_baseline_hv_opts {
	const char *domcaps;  /* --hypervisor FILE, or NULL */
	const char *uri;      /* the connection when there is no FILE */
	const char *virttype; /* --virttype, or NULL */
	struct cs_hv_baseline_opts bopts;
};

/* Baseline the CPUs of the files on the hypervisor o names, print the
 * result as virsh hypervisor-cpu-baseline does and, on a connection,
 * libvirt's own answer beside it.  Returns the command's exit status. */
int cli_baseline_hv(struct cli *cli, const struct cli_baseline_hv_opts *o, int nfiles,
                    char **files);

#endif
