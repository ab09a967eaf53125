/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_conn.h: the commands' shared use of a libvirt connection ('apply --connect', files libvirt
 * owns) */
#ifndef CPUSCOPE_CMD_CONN_H
#define CPUSCOPE_CMD_CONN_H

#include <stdbool.h>

#include "cpuscope/cpudef.h"

/* 'apply --connect URI GUEST DOMAIN': define DOMAIN (a name or UUID) on uri
 * (NULL: libvirt's default) again with guest as its <cpu>, every other byte
 * of its persistent definition kept; with replace the old <cpu>'s layout
 * (topology, numa, ...) is not kept.  dry_run prints the new definition
 * (read through a read-only connection, so without secrets) instead.
 * Prints what happened, or the error; returns the command's exit status. */
int cmd_apply_connect(const char *uri, const char *domain, const struct cs_cpudef *guest,
                      bool dry_run, bool replace);

/* When path is a file under /etc/libvirt, warn on stderr that libvirtd
 * does not read it while it runs, and name the `virsh define` command that
 * makes libvirt take it. */
void cmd_warn_libvirt_file(const char *path);

#endif
