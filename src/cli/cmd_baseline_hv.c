/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_baseline_hv.c: 'baseline --hypervisor' and 'baseline --connect': virsh
 * hypervisor-cpu-baseline */
#include "cli/cmd_baseline_hv.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli_host.h"
#include "cpuscope/baseline_hv.h"
#include "cpuscope/xalloc.h"

#define MAX_CPU_FILE (64u * 1024u * 1024u)
#define MAX_DOMCAPS  (16u * 1024u * 1024u)

/* Every CPU of the files, as virsh collects them, and each one's text as
 * libvirt is handed it. */
struct cpu_list {
	struct cs_cpudef **defs;
	size_t n;
	char **texts;
	size_t ntexts;
};

static void cpu_list_release(struct cpu_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		cs_cpudef_free(l->defs[i]);
	free(l->defs);
	cs_cpu_texts_free(l->texts, l->ntexts);
	memset(l, 0, sizeof(*l));
}

static int add_texts(struct cpu_list *l, const char *buf, size_t len, const char *path,
                     struct cs_error *err)
{
	char **texts = NULL;
	size_t n = 0;

	if (cs_cpu_texts(buf, len, path, &texts, &n, err) < 0)
		return -1;
	l->texts = cs_xreallocarray(l->texts, l->ntexts + n, sizeof(*l->texts));
	memcpy(l->texts + l->ntexts, texts, n * sizeof(*texts));
	l->ntexts += n;
	free(texts);
	return 0;
}

/* Every file's CPU texts are kept even when one of them does not parse, so
 * that libvirt can still be asked and its answer shown beside ours: -1 then,
 * -2 when a file cannot be read at all. */
static int read_cpus(const struct cs_map *map, int nfiles, char **files, struct cpu_list *l,
                     struct cs_error *err)
{
	int ret = 0;

	for (int i = 0; i < nfiles; i++) {
		const char *path = strcmp(files[i], "-") ? files[i] : "/dev/stdin";
		struct cs_error perr = {0};
		struct cs_cpudef **defs = NULL;
		size_t ndefs = 0;
		char *buf = NULL;
		size_t len = 0;

		if (cs_read_file(path, MAX_CPU_FILE, &buf, &len, err) < 0)
			return -2;
		if (add_texts(l, buf, len, path, &perr) < 0 ||
		    cs_cpudef_parse(map, buf, len, path, 0, &defs, &ndefs, &perr) < 0) {
			cs_cpudef_list_free(defs, ndefs);
			if (ret == 0)
				*err = perr;
			ret = -1;
		} else {
			l->defs = cs_xreallocarray(l->defs, l->n + ndefs, sizeof(*l->defs));
			memcpy(l->defs + l->n, defs, ndefs * sizeof(*defs));
			l->n += ndefs;
			free(defs);
		}
		free(buf);
	}
	return ret;
}

static int hypervisor_from_file(const struct cs_map *map, const char *path,
                                struct cs_hypervisor *hv)
{
	struct cs_error err = {0};
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (cs_read_file(path, MAX_DOMCAPS, &buf, &len, &err) < 0) {
		cli_report(&err);
		return -1;
	}
	rc = cs_hypervisor_from_domcaps(hv, map, buf, len, path, NULL, &err);
	free(buf);
	if (rc < 0)
		cli_report(&err);
	return rc;
}

/* libvirt's own answer over the same CPUs, each handed over as virsh does. */
static void compare_with_libvirt(struct cli_host *h, const struct cpu_list *l, unsigned flags,
                                 const char *ours, const char *our_err)
{
	struct cs_error err = {0};
	char *theirs = NULL, what[600];

	snprintf(what, sizeof(what), "virConnectBaselineHypervisorCPU on %s, %s",
	         cs_conn_uri(h->conn), h->hostname);
	if (cs_conn_baseline_cpu(h->conn, &h->target, (const char *const *)l->texts, l->ntexts,
	                         flags, &theirs, &err) < 0) {
		char msg[800];

		cs_error_format(&err, msg, sizeof(msg));
		cli_host_print_agreement(stderr, what, our_err != NULL && strstr(msg, our_err),
		                         our_err ? our_err : ours, msg);
	} else {
		cli_host_print_agreement(stderr, what, !our_err && !strcmp(ours, theirs),
		                         our_err ? our_err : ours, theirs);
	}
	free(theirs);
}

static int exit_of(const struct cs_error *err)
{
	return err->code == CS_ERR_INCOMPATIBLE || err->code == CS_ERR_UNSUPPORTED ? CLI_NEGATIVE
	                                                                           : CLI_BAD;
}

int cli_baseline_hv(struct cli *cli, const struct cli_baseline_hv_opts *o, int nfiles, char **files)
{
	struct cs_hypervisor file_hv = {0};
	struct cli_host host = {0};
	const struct cs_hypervisor *hv = &file_hv;
	struct cpu_list cpus = {0};
	struct cs_error err = {0};
	struct cs_cpudef *result = NULL;
	char *text = NULL;
	struct cs_map *map = cli_load_map(cli);
	int ret = CLI_BAD, rc;

	if (!map)
		return CLI_BAD;
	if ((rc = read_cpus(map, nfiles, files, &cpus, &err)) < 0) {
		cli_report(&err);
		/* With a connection, libvirt is still asked: its error is shown
		 * beside ours. */
		if (rc == -2 || o->domcaps || !cpus.ntexts ||
		    cli_host_open(&host, o->uri, map, NULL, 0, o->virttype) != CLI_OK)
			goto out;
	} else if (o->domcaps) {
		if (hypervisor_from_file(map, o->domcaps, &file_hv) < 0)
			goto out;
	} else {
		if (cli_host_open(&host, o->uri, map, NULL, 0, o->virttype) != CLI_OK)
			goto out;
		hv = host.hv;
	}
	if (err.code)
		ret = CLI_BAD;
	else if ((result = cs_baseline_hypervisor(hv, cpus.defs, cpus.n, &o->bopts, &err))) {
		text = cs_cpudef_format(result, 0);
		/* virsh prints one more newline after the element. */
		fputs(text, stdout);
		fputc('\n', stdout);
		ret = CLI_OK;
	} else {
		cli_report(&err);
		ret = exit_of(&err);
	}
	if (host.conn)
		compare_with_libvirt(
		        &host, &cpus,
		        (o->bopts.expand_features ? CS_CONN_BASELINE_EXPAND : 0) |
		                (o->bopts.migratable ? CS_CONN_BASELINE_MIGRATABLE : 0),
		        text ? text : "", result ? NULL : err.msg);
out:
	free(text);
	cs_cpudef_free(result);
	cpu_list_release(&cpus);
	cs_hypervisor_release(&file_hv);
	cli_host_release(&host);
	cs_map_free(map);
	return ret;
}
