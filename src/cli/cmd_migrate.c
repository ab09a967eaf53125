/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_migrate.c: the 'migrate-check' command: can these hosts take this domain's CPU */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cpuscope/conn.h"
#include "cpuscope/guest.h"
#include "cpuscope/migrate.h"
#include "cpuscope/start.h"

#define MAX_DESTS 64

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope [--map PATH] migrate-check DOMAIN [--connect SRC] --to URI\n"
	        "                                           [--to URI]... [--json]\n\n"
	        "Can each destination take DOMAIN (a name or UUID on SRC)?  The domain's\n"
	        "CPU is taken as the destination gets it: while the domain runs, the CPU\n"
	        "libvirt started it with (the live one, which a migration carries), else\n"
	        "its migratable definition's.  For each destination, whose\n"
	        "connections are opened at once, cpuscope follows libvirt's start path\n"
	        "against that hypervisor (its capabilities and domain capabilities for the\n"
	        "domain's emulator, arch, machine and type) and says: refused (by libvirt\n"
	        "or QEMU, and why), starts with features dropped, or starts.  Beside it,\n"
	        "libvirt's own answer (hypervisor-cpu-compare on the destination), and\n"
	        "where the two disagree.  A destination that cannot be reached is\n"
	        "reported and does not stop the others.\n\n"
	        "  -c, --connect SRC  the domain's hypervisor (default: libvirt's own choice,\n"
	        "                     which honours $LIBVIRT_DEFAULT_URI)\n"
	        "  -t, --to URI       a destination (repeatable, up to %d)\n"
	        "  --json             one JSON object: the domain and one entry per destination\n\n"
	        "A running domain that would lose CPU features on a destination cannot be\n"
	        "taken there: its guest has them.  A shut-off domain can; it boots without\n"
	        "them.  Connections are "
	        "read-write: libvirt gives the migratable\n"
	        "definition and domain capabilities to read-write clients only.\n\n"
	        "Exit status: 0 every destination can take the domain, 1 one or more cannot\n"
	        "(or cannot be reached), 2 bad input or the domain cannot be read.\n",
	        MAX_DESTS);
}

/* A progress line on a terminal while the destinations answer. */
static void progress(void *ctx, size_t done, size_t n)
{
	(void)ctx;
	fprintf(stderr, "\rmigrate-check: %zu of %zu destinations answered", done, n);
	fflush(stderr);
}

static void print_names(const struct cs_arch *arch, const struct cs_fset *set)
{
	const char *sep = "";
	int id;

	cs_fset_foreach (id, set) {
		printf("%s%s", sep, arch->features[id].name);
		sep = ", ";
	}
}

/* What dropping features means for this domain. */
static void print_drops(const struct cs_migrate_dest *d, const struct cs_arch *arch, bool running)
{
	if (!running) {
		printf("    the guest boots there without them\n");
	} else {
		printf("    the running guest has ");
		print_names(arch, &d->lost);
		printf(": it cannot lose them on the way\n");
	}
}

static const struct cs_arch *x86_of(const struct cs_map *map)
{
	return cs_map_arch(map, "x86");
}

static void print_dest(const struct cs_migrate_dest *d, const struct cs_arch *arch, bool running,
                       bool has_cpu)
{
	char *sum;

	printf("%s", d->uri);
	if (d->hostname)
		printf(" (%s)", d->hostname);
	printf(":\n");
	if (!d->reachable) {
		printf("  unreachable, left out: %s\n", d->err.msg);
		return;
	}
	if (!d->judged) {
		printf("  cannot judge: %s\n", d->err.msg);
		return;
	}
	sum = cs_start_summary(&d->v, arch);
	printf("  cpuscope: %s\n", sum);
	free(sum);
	if (d->v.outcome == CS_START_DROPS)
		print_drops(d, arch, running);
	if (!has_cpu)
		printf("  libvirt:  nothing to compare (no <cpu>: QEMU's default CPU)\n");
	else if (!d->cmp_ok)
		printf("  libvirt:  no answer: %s\n", d->cmp_err.msg);
	else if (d->cmp == CS_COMPAT_INCOMPATIBLE)
		printf("  libvirt:  incompatible: %s\n", d->cmp_msg);
	else
		printf("  libvirt:  %s\n", cs_compat_name(d->cmp));
	if (cs_migrate_disagrees(d))
		printf("  disagreement: cpuscope says it %s, libvirt's compare says %s\n",
		       d->v.outcome == CS_START_REFUSED ? "is refused" : "starts",
		       d->cmp == CS_COMPAT_INCOMPATIBLE ? "incompatible" : "compatible");
	if (d->judged && d->v.outcome == CS_START_DROPS && d->cmp_ok &&
	    d->cmp == CS_COMPAT_INCOMPATIBLE)
		printf("  (libvirt's compare asks for every feature; at start QEMU leaves out "
		       "what the host cannot give)\n");
	printf("  %s\n", d->can_take ? "can take it" : "cannot take it");
}

static struct json_object *dest_json(const struct cs_migrate_dest *d, const struct cs_arch *arch)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "uri", json_object_new_string(d->uri));
	json_object_object_add(o, "hostname",
	                       d->hostname ? json_object_new_string(d->hostname) : NULL);
	json_object_object_add(o, "reachable", json_object_new_boolean(d->reachable));
	json_object_object_add(
	        o, "error",
	        cs_error_isset(&d->err) && !d->judged ? json_object_new_string(d->err.msg) : NULL);
	json_object_object_add(o, "can_take", json_object_new_boolean(d->can_take));
	if (d->judged) {
		struct json_object *drop = json_object_new_array();
		const char *who;
		int id;

		json_object_object_add(o, "outcome",
		                       json_object_new_string(cs_start_outcome_name(d->v.outcome)));
		who = cs_start_actor_name(d->v.refused_by);
		json_object_object_add(o, "refused_by", who ? json_object_new_string(who) : NULL);
		json_object_object_add(o, "message",
		                       d->v.message[0] ? json_object_new_string(d->v.message)
		                                       : NULL);
		cs_fset_foreach (id, &d->v.dropped)
			json_object_array_add(drop,
			                      json_object_new_string(arch->features[id].name));
		json_object_object_add(o, "dropped", drop);
		drop = json_object_new_array();
		cs_fset_foreach (id, &d->lost)
			json_object_array_add(drop,
			                      json_object_new_string(arch->features[id].name));
		json_object_object_add(o, "lost_by_running_guest", drop);
	}
	if (d->cmp_ok) {
		struct json_object *l = json_object_new_object();

		json_object_object_add(l, "result", json_object_new_string(cs_compat_name(d->cmp)));
		json_object_object_add(l, "message",
		                       d->cmp_msg[0] ? json_object_new_string(d->cmp_msg) : NULL);
		json_object_object_add(o, "libvirt", l);
	} else {
		json_object_object_add(o, "libvirt", NULL);
		json_object_object_add(o, "libvirt_error",
		                       cs_error_isset(&d->cmp_err)
		                               ? json_object_new_string(d->cmp_err.msg)
		                               : NULL);
	}
	json_object_object_add(o, "disagree", json_object_new_boolean(cs_migrate_disagrees(d)));
	return o;
}

static void print_json(const struct cs_conn_domxml *dom, struct cs_conn *src, const char *cpu_xml,
                       const struct cs_migrate_dest *d, size_t n, const struct cs_arch *arch)
{
	struct json_object *o = json_object_new_object();
	struct json_object *list = json_object_new_array();

	json_object_object_add(o, "domain", json_object_new_string(dom->info.name));
	json_object_object_add(o, "uuid", json_object_new_string(dom->info.uuid));
	json_object_object_add(o, "source", json_object_new_string(cs_conn_uri(src)));
	json_object_object_add(o, "state",
	                       json_object_new_string(cs_dom_state_name(dom->info.state)));
	json_object_object_add(o, "cpu", cpu_xml ? json_object_new_string(cpu_xml) : NULL);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(list, dest_json(&d[i], arch));
	json_object_object_add(o, "destinations", list);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED |
	                                               JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

struct migrate_opts {
	const char *src;
	const char *to[MAX_DESTS];
	size_t nto;
	bool json;
	const char *domain;
};

static int parse_opts(int argc, char **argv, struct migrate_opts *o)
{
	static const struct option opts[] = {{"connect", required_argument, NULL, 'c'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:t:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->src = optarg;
			break;
		case 't':
			if (o->nto == MAX_DESTS)
				return cli_usage_error(usage, "at most %d destinations", MAX_DESTS);
			o->to[o->nto++] = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
		default:
			return cli_usage_exit(usage, c);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(usage, "migrate-check needs exactly one DOMAIN");
	if (!o->nto)
		return cli_usage_error(usage, "give at least one destination with --to");
	o->domain = argv[optind];
	return -1;
}

static void print_head(const struct cs_conn_domxml *dom, struct cs_conn *src,
                       const struct cs_cpudef *guest)
{
	char *cpu = guest ? cs_cpudef_format(guest, 0) : NULL;
	const char *host = cs_conn_hostname(src, NULL);

	printf("domain %s (%s) on %s (%s)\n", dom->info.name, cs_dom_state_name(dom->info.state),
	       cs_conn_uri(src), host ? host : "host name unknown");
	if (cpu) {
		printf("its CPU as a destination gets it (%s):\n%s",
		       dom->live ? "the live one" : "the migratable definition's", cpu);
	} else {
		printf("its CPU: no <cpu> (QEMU's default CPU)\n");
	}
	free(cpu);
}

int cmd_migrate_check(struct cli *cli, int argc, char **argv)
{
	struct cs_migrate_source ms = {0};
	struct cs_migrate_dest *d = NULL;
	struct cs_error err = {0};
	struct cs_conn *src = NULL;
	struct cs_map *map = NULL;
	struct migrate_opts o;
	bool tty = isatty(STDERR_FILENO);
	size_t taken = 0;
	char *cpu_xml = NULL;
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret >= 0)
		return ret;
	ret = CLI_BAD;
	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	if (cs_conn_open(o.src, 0, &src, &err) < 0 ||
	    cs_migrate_source_read(src, map, o.domain, &ms, &err) < 0) {
		cli_report(&err);
		goto out;
	}
	d = calloc(o.nto, sizeof(*d));
	if (!d)
		goto out;
	cs_migrate_check(&ms, map, o.to, d, o.nto, tty ? progress : NULL, NULL);
	if (tty)
		fprintf(stderr, "\r\033[K");
	for (size_t i = 0; i < o.nto; i++)
		taken += d[i].can_take;
	if (o.json) {
		cpu_xml = ms.guest ? cs_cpudef_format(ms.guest, 0) : NULL;
		print_json(&ms.dom, src, cpu_xml, d, o.nto, x86_of(map));
	} else {
		print_head(&ms.dom, src, ms.guest);
		for (size_t i = 0; i < o.nto; i++)
			print_dest(&d[i], x86_of(map), ms.dom.info.active, ms.guest != NULL);
		printf("%zu of %zu destinations can take %s\n", taken, o.nto, ms.dom.info.name);
	}
	ret = taken == o.nto ? CLI_OK : CLI_NEGATIVE;
out:
	for (size_t i = 0; d && i < o.nto; i++)
		cs_migrate_dest_release(&d[i]);
	free(d);
	free(cpu_xml);
	cs_migrate_source_release(&ms);
	cs_conn_free(src);
	cs_map_free(map);
	return ret;
}
