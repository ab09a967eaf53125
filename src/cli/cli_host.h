/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli_host.h: the host of a command when it is a libvirt connection (--connect) */
#ifndef CPUSCOPE_CLI_HOST_H
#define CPUSCOPE_CLI_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "cpuscope/compare.h"
#include "cpuscope/conn.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/pool.h"
#include "cpuscope/start.h"

/* The URI a command connects to, as virsh chooses it: opt (--connect),
 * else $LIBVIRT_DEFAULT_URI, else NULL (no connection: the command reads
 * its host from files, or has none). */
const char *cli_connect_uri(const char *opt);

/* A command's host on a connection: the connection's capabilities and its
 * domcapabilities for the guest's domain type, emulator, machine and
 * arch, each fetched once. */
struct cli_host {
	struct cs_conn *conn;           /* NULL: no connection */
	struct cs_conn_target target;   /* what domcapabilities was asked about */
	const struct cs_hypervisor *hv; /* borrowed from conn */
	const char *hostname;           /* borrowed from conn; the URI when libvirt cannot tell */
};

/* Open uri and fetch the hypervisor for the domain XML in guest_xml (len
 * bytes; NULL or not a <domain>: libvirt's defaults), with virttype
 * ("kvm", "qemu"; NULL: the domain's or libvirt's choice) taking
 * precedence.  Errors are printed ("cpuscope: error: URI: cannot connect:
 * ...").  Returns CLI_OK, or CLI_BAD with h released. */
int cli_host_open(struct cli_host *h, const char *uri, const struct cs_map *map,
                  const char *guest_xml, size_t len, const char *virttype);

/* cli_host_open for the domain (or bare <cpu>) in the file guest_file. */
int cli_host_open_guest(struct cli_host *h, const char *uri, const struct cs_map *map,
                        const char *guest_file, const char *virttype);

/* Close the connection and free what h holds (a zeroed h is fine). */
void cli_host_release(struct cli_host *h);

/* Print libvirt's answer beside cpuscope's on out: "libvirt: same answer"
 * when they agree, else "libvirt: DISAGREE: ..." with both, so that a
 * difference is never hidden.  what names libvirt's call. */
void cli_host_print_agreement(FILE *out, const char *what, bool agree, const char *ours,
                              const char *theirs);

/* libvirt's answer to virConnectCompareHypervisorCPU, beside cpuscope's. */
struct cli_libvirt_compare {
	bool answered; /* libvirt gave a verdict (else msg holds its error) */
	bool agree;    /* the same verdict, and libvirt's words hold cpuscope's reason */
	enum cs_compat compat;
	char msg[1024];
};

/* Ask libvirt about the CPU of guest_file on h's hypervisor and compare
 * with cpuscope's verdict res (whose message is our_msg). */
void cli_host_ask_compare(struct cli_host *h, const char *guest_file,
                          const struct cs_compare_result *res, const char *our_msg,
                          struct cli_libvirt_compare *out);

/* The answer as a line "libvirt: same answer (...)" or "libvirt: DISAGREE
 * (...)" with both verdicts, on stdout. */
void cli_host_print_compare(const struct cli_host *h, const struct cs_compare_result *res,
                            const char *our_msg, const struct cli_libvirt_compare *a);

/* The answer as a JSON object (uri, host, result, message or error,
 * agree); the caller owns it. */
struct json_object *cli_host_compare_json(const struct cli_host *h,
                                          const struct cli_libvirt_compare *a);

/* Add the --pool items to pool in their order: a file (cs_pool_add_file)
 * or a libvirt URI (cs_pool_is_uri), whose hosts are all fetched first,
 * concurrently, each named by its hostname, with a progress line on
 * stderr when it is a terminal.  A connection that fails is reported on
 * stderr ("cpuscope: URI: cannot connect: ...") and left out; a file that
 * fails is an error.  Returns CLI_OK, or CLI_BAD (printed) on a bad file
 * or when no host is left. */
int cli_pool_load(struct cs_pool *pool, char *const *items, size_t n);

#endif
