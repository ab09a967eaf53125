/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli_host.c: a command's host fetched through a libvirt connection, shared by the commands */
#include "cli/cli_host.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cpuscope/xalloc.h"

const char *cli_connect_uri(const char *opt)
{
	const char *env;

	if (opt && *opt)
		return opt;
	env = getenv("LIBVIRT_DEFAULT_URI");
	return env && *env ? env : NULL;
}

void cli_host_release(struct cli_host *h)
{
	if (!h)
		return;
	cs_conn_target_release(&h->target);
	cs_conn_free(h->conn);
	memset(h, 0, sizeof(*h));
}

int cli_host_open(struct cli_host *h, const char *uri, const struct cs_map *map,
                  const char *guest_xml, size_t len, const char *virttype)
{
	struct cs_error err = {0};

	memset(h, 0, sizeof(*h));
	if (guest_xml && cs_conn_target_from_domain(guest_xml, len, "guest", &h->target, &err) < 0)
		cs_error_clear(&err); /* a bare <cpu>: libvirt's defaults */
	if (virttype) {
		free(h->target.virttype);
		h->target.virttype = cs_xstrdup(virttype);
	}
	if (cs_conn_open(uri, 0, &h->conn, &err) < 0 ||
	    cs_conn_hypervisor(h->conn, map, &h->target, &h->hv, &err) < 0) {
		cli_report(&err);
		cli_host_release(h);
		return CLI_BAD;
	}
	h->hostname = cs_conn_hostname(h->conn, &err);
	if (!h->hostname)
		h->hostname = cs_conn_uri(h->conn);
	return CLI_OK;
}

void cli_host_print_agreement(FILE *out, const char *what, bool agree, const char *ours,
                              const char *theirs)
{
	if (agree) {
		fprintf(out, "libvirt: same answer (%s)\n", what);
		return;
	}
	fprintf(out, "libvirt: DISAGREE (%s)\n", what);
	fprintf(out, "  cpuscope: %s%s", ours,
	        ours[0] && ours[strlen(ours) - 1] == '\n' ? "" : "\n");
	fprintf(out, "  libvirt:  %s%s", theirs,
	        theirs[0] && theirs[strlen(theirs) - 1] == '\n' ? "" : "\n");
}
