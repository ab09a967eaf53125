/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli_host.c: a command's host fetched through a libvirt connection, shared by the commands */
#include "cli/cli_host.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cpuscope/pool_conn.h"
#include "cpuscope/xalloc.h"

#define MAX_GUEST (64u * 1024u * 1024u)

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

int cli_host_open_guest(struct cli_host *h, const char *uri, const struct cs_map *map,
                        const char *guest_file, const char *virttype)
{
	struct cs_error err = {0};
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(h, 0, sizeof(*h));
	if (cs_read_file(guest_file, MAX_GUEST, &buf, &len, &err) < 0) {
		cli_report(&err);
		return CLI_BAD;
	}
	rc = cli_host_open(h, uri, map, buf, len, virttype);
	free(buf);
	return rc;
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

void cli_host_ask_compare(struct cli_host *h, const char *guest_file,
                          const struct cs_compare_result *res, const char *our_msg,
                          struct cli_libvirt_compare *out)
{
	struct cs_error err = {0};
	char *buf = NULL;
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	out->compat = CS_COMPAT_INCOMPATIBLE;
	if (cs_read_file(guest_file, MAX_GUEST, &buf, &len, &err) == 0 &&
	    cs_conn_compare_cpu(h->conn, &h->target, buf, len, &out->compat, out->msg,
	                        sizeof(out->msg), &err) == 0)
		out->answered = true;
	free(buf);
	if (!out->answered)
		cs_error_format(&err, out->msg, sizeof(out->msg));
	/* libvirt words an incompatibility "the CPU is incompatible with host
	 * CPU: REASON"; cpuscope's message is the reason. */
	out->agree =
	        out->answered && out->compat == res->compat &&
	        (res->compat != CS_COMPAT_INCOMPATIBLE || !*our_msg || strstr(out->msg, our_msg));
}

struct json_object *cli_host_compare_json(const struct cli_host *h,
                                          const struct cli_libvirt_compare *a)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "uri", json_object_new_string(cs_conn_uri(h->conn)));
	json_object_object_add(o, "host", json_object_new_string(h->hostname));
	json_object_object_add(o, "result",
	                       a->answered ? json_object_new_string(cs_compat_name(a->compat))
	                                   : NULL);
	json_object_object_add(o, a->answered ? "message" : "error",
	                       json_object_new_string(a->msg));
	json_object_object_add(o, "agree", json_object_new_boolean(a->agree));
	return o;
}

void cli_host_print_compare(const struct cli_host *h, const struct cs_compare_result *res,
                            const char *our_msg, const struct cli_libvirt_compare *a)
{
	char what[600], ours[1200], said[1200];

	snprintf(what, sizeof(what), "virConnectCompareHypervisorCPU on %s, %s",
	         cs_conn_uri(h->conn), h->hostname);
	snprintf(ours, sizeof(ours), "%s%s%s", cs_compat_name(res->compat), *our_msg ? ": " : "",
	         our_msg);
	if (a->answered)
		snprintf(said, sizeof(said), "%s%s%s", cs_compat_name(a->compat),
		         *a->msg ? ": " : "", a->msg);
	else
		snprintf(said, sizeof(said), "no answer: %s", a->msg);
	cli_host_print_agreement(stdout, what, a->agree, ours, said);
}

/* ---- --pool URI --------------------------------------------------------------- */

static void progress(void *ctx, size_t done, size_t total, const struct cs_pool_fetch *f)
{
	(void)ctx;
	fprintf(stderr, "\rcpuscope: fetching hosts: %zu/%zu %-40.40s", done, total,
	        f->ok ? f->hostname : f->uri);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cli_pool_load(struct cs_pool *pool, char *const *items, size_t n)
{
	struct cs_pool_fetch *f = cs_xcalloc(n ? n : 1, sizeof(*f));
	struct cs_error err = {0};
	size_t nuri = 0, k = 0;
	int ret = CLI_BAD;

	for (size_t i = 0; i < n; i++)
		if (cs_pool_is_uri(items[i]))
			f[nuri++].uri = items[i];
	cs_pool_fetch_all(f, nuri, 0, isatty(STDERR_FILENO) ? progress : NULL, NULL);
	for (size_t i = 0; i < n; i++) {
		if (!cs_pool_is_uri(items[i])) {
			/* FILE or NAME=FILE, streamed, a file given twice once */
			if (cli_pool_add(pool, &items[i], 1) < 0)
				goto out;
			continue;
		}
		if (cs_pool_add_fetched(pool, &f[k], &err) < 0) {
			/* an unreachable host is said, and the others go on */
			cs_error_print(&err, "cpuscope: ", stderr);
			cs_error_clear(&err);
		}
		k++;
	}
	if (!pool->n) {
		cli_error("no host left in the pool");
		goto out;
	}
	ret = CLI_OK;
out:
	cs_pool_fetch_release(f, nuri);
	free(f);
	return ret;
}
