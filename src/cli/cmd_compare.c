/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_compare.c: the 'compare' command, and host/guest CPU loading for the CPU commands */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_host.h"
#include "cli/cmd_cpu.h"

#include "cpuscope/advice.h"
#include "cpuscope/compare.h"
#include "cpuscope/guest.h"
#include "cpuscope/host.h"
#include "cpuscope/pool.h"
#include "cpuscope/versions.h"
#include "cpuscope/xalloc.h"
#include <json-c/json.h>

/* Take one side out of sides (the caller frees it). */
static struct cs_cpudef *take(struct cs_cpudef **side)
{
	struct cs_cpudef *def = *side;

	*side = NULL;
	return def;
}

struct cs_cpudef *cmd_load_host_cpu(const struct cs_map *map, const char *file, const char *source,
                                    enum cmd_host_view view)
{
	struct cs_host_opts opts = {.from = CS_HOST_FROM_FILE, .file = file};
	struct cs_host_sides sides;
	struct cs_error err = {0};
	struct cs_cpudef *cpu = NULL;

	if (!file) {
		opts.from = CS_HOST_FROM_PROBE;
		if (cs_host_source_parse(source, &opts.source) < 0) {
			cli_error("unknown source '%s' (cpuid, kvm or cpuinfo)", source);
			return NULL;
		}
	}
	if (cs_host_sides_load(map, &opts, &sides, &err) < 0) {
		cli_report(&err);
		cs_host_sides_release(&sides);
		return NULL;
	}
	if (view == CMD_HOST_MODEL) {
		/* what libvirt updates a starting guest against */
		cpu = sides.model ? take(&sides.model) : take(&sides.cpu);
	} else if (!file && opts.source == CS_HOST_SOURCE_KVM) {
		/* what KVM gives: hypervisor-cpu-compare's answer */
		if (!sides.kvm)
			fprintf(stderr,
			        "cpuscope: note: what KVM gives is not known (%s); comparing with "
			        "the host CPU\n",
			        sides.kvm_why);
		cpu = sides.kvm ? take(&sides.kvm) : take(&sides.cpu);
	} else {
		/* a domcapabilities file knows only what KVM gives */
		cpu = sides.cpu ? take(&sides.cpu) : take(&sides.kvm);
	}
	cs_host_sides_release(&sides);
	return cpu;
}

struct cs_cpudef *cmd_load_guest_cpu(const struct cs_map *map, const char *file, unsigned flags)
{
	struct cs_error err = {0};
	struct cs_cpudef *cpu = cs_cpudef_load_one(map, file, flags, &err);

	if (!cpu)
		cli_report(&err);
	return cpu;
}

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope [--map PATH] compare [--host FILE | --source cpuid|kvm|cpuinfo |\n"
	        "                                      --connect URI]\n"
	        "                                     [--error | --json] GUEST\n"
	        "       cpuscope [--map PATH] compare --pool FILE [--pool FILE ...]\n"
	        "                                     [--error | --json] GUEST\n\n"
	        "Compare the CPU described in GUEST with the host CPU as 'virsh cpu-compare'\n"
	        "does (libvirt 9.0): identical, superset or incompatible, with the reason,\n"
	        "and why the host may lack what the guest requires, where that is known.\n"
	        "GUEST may be a <cpu> element, a domain XML, or capabilities/domcapabilities\n"
	        "output; the first CPU found is used.  A <cpu> with <arch> is a host CPU.\n\n"
	        "  --host FILE    the host CPU: 'virsh capabilities' output (what virsh\n"
	        "                 compares with), domcapabilities (what KVM can give: the\n"
	        "                 answer and words of 'virsh hypervisor-cpu-compare'), a\n"
	        "                 <cpu>, or any file 'cpuscope host' reads (CPUID dump,\n"
	        "                 cpuid -r, cpuinfo)\n"
	        "  --source SRC   probe this machine: cpuid (the default) or cpuinfo for\n"
	        "                 the host CPU, kvm for what KVM can give (the answer and\n"
	        "                 words of 'virsh hypervisor-cpu-compare')\n"
	        "  -c, --connect URI  the host is this libvirt connection's hypervisor for\n"
	        "                 the guest's domain type (default: $LIBVIRT_DEFAULT_URI,\n"
	        "                 else none): the answer of 'virsh hypervisor-cpu-compare',\n"
	        "                 and libvirt's own answer on a line 'libvirt: ...' after\n"
	        "                 it, 'libvirt: DISAGREE' when it differs (--json: \"libvirt\")\n"
	        "  --pool FILE    compare with every host CPU in FILE instead (repeatable):\n"
	        "                 <cpu> elements one after another, capabilities or\n"
	        "                 domcapabilities output, CPUID dumps, cpuid -r, cpuinfo;\n"
	        "                 one line per host, then how many hosts can run the guest\n"
	        "  --error        report incompatibility as an error naming the features\n"
	        "                 (with --pool: the hosts and their features)\n"
	        "  --json         the answer as one JSON object: result (identical,\n"
	        "                 superset, incompatible), libvirt's message and the lists\n"
	        "                 of missing, forbidden and (match='strict') extra features;\n"
	        "                 with one host also \"why\" (reasons the host may lack\n"
	        "                 features) and \"variant\" (the model without them);\n"
	        "                 with --pool, one such object per host in \"hosts\", and\n"
	        "                 \"can_run\"/\"cannot_run\" counts\n\n"
	        "Exit status: 0 identical or superset (on every host of the pool),\n"
	        "1 incompatible (with one host or more), 2 bad input.\n");
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_names(const struct cs_arch *arch, const struct cs_fset *s)
{
	int id, n = 0;

	putchar('[');
	if (arch)
		cs_fset_foreach (id, s) {
			printf("%s", n++ ? ", " : "");
			json_string(arch->features[id].name);
		}
	putchar(']');
}

/* One verdict as JSON members (no braces): result, message and the
 * feature lists of cs_compare_result. */
static void json_result(const struct cs_compare_result *r)
{
	char *msg = cs_compare_message(r);

	printf("\"result\": ");
	json_string(cs_compat_name(r->compat));
	printf(", \"message\": ");
	json_string(msg);
	printf(", \"missing\": ");
	json_names(r->arch, &r->missing);
	printf(", \"forbidden\": ");
	json_names(r->arch, &r->forbidden);
	printf(", \"extra\": ");
	if (r->reason == CS_REASON_STRICT)
		json_names(r->arch, &r->extra);
	else
		printf("[]");
	free(msg);
}

/* ---- why the host lacks what the guest requires ------------------------------ */

#define MAX_WHY 16

/* The model of guest without the model features host lacks (Haswell-noTSX
 * for Haswell where TSX is off), or -1; *drop gets those features. */
static int guest_variant(const struct cs_cpudef *guest, const struct cs_compare_result *r,
                         struct cs_fset *drop)
{
	if (!r->arch || guest->arch != r->arch)
		return -1;
	return cs_model_variant_without(r->arch, guest->model, &r->missing, drop);
}

static void print_names(const struct cs_arch *arch, const struct cs_fset *s)
{
	char *list = cs_arch_feature_list(arch, s, ", ");

	fputs(list, stdout);
	free(list);
}

void cmd_print_why(const struct cs_cpudef *host, const struct cs_cpudef *guest,
                   const struct cs_compare_result *r, const char *indent)
{
	struct cs_reason_group g[MAX_WHY];
	struct cs_fset drop;
	size_t n =
	        cs_missing_reasons(r->arch, &r->missing, host->vendor_idx, NULL, NULL, g, MAX_WHY);
	int v = guest_variant(guest, r, &drop);

	for (size_t i = 0; i < n; i++) {
		printf("%s", indent);
		print_names(r->arch, &g[i].features);
		printf(": %s\n", g[i].reason);
	}
	if (v >= 0) {
		printf("%smodel %s is %s without ", indent, r->arch->models[v].name,
		       r->arch->models[guest->model].name);
		print_names(r->arch, &drop);
		printf("\n");
	}
}

static void json_why(const struct cs_cpudef *host, const struct cs_cpudef *guest,
                     const struct cs_compare_result *r)
{
	struct cs_reason_group g[MAX_WHY];
	struct cs_fset drop;
	size_t n = 0;
	int v = -1;

	if (r->compat == CS_COMPAT_INCOMPATIBLE) {
		n = cs_missing_reasons(r->arch, &r->missing, host->vendor_idx, NULL, NULL, g,
		                       MAX_WHY);
		v = guest_variant(guest, r, &drop);
	}
	printf(", \"why\": [");
	for (size_t i = 0; i < n; i++) {
		printf("%s{\"features\": ", i ? ", " : "");
		json_names(r->arch, &g[i].features);
		printf(", \"reason\": ");
		json_string(g[i].reason);
		putchar('}');
	}
	printf("], \"variant\": ");
	if (v >= 0)
		json_string(r->arch->models[v].name);
	else
		printf("null");
}

/* compare --pool: one line per host, then the count; exit 1 when a host
 * cannot run the guest. */
static int compare_pool(const struct cs_map *map, char **files, size_t nfiles,
                        const char *guest_file, const struct cs_cpudef *guest, bool error_mode,
                        bool json)
{
	struct cs_compare_result r;
	struct cs_pool_verdict v;
	struct cs_error err = {0};
	struct cs_pool pool;
	size_t width = 4, nbad, last = SIZE_MAX;
	int ret = CLI_BAD;

	cs_pool_init(&pool, map);
	if (cli_pool_load(&pool, files, nfiles) != CLI_OK)
		goto out;
	if (cs_pool_compare(&pool, guest, NULL, &v, &err) < 0) {
		cli_report(&err);
		goto out;
	}
	for (size_t i = 0; i < pool.n; i++)
		if (strlen(pool.hosts[i].name) > width)
			width = strlen(pool.hosts[i].name);
	nbad = v.incompatible;
	if (json) {
		printf("{\"guest\": ");
		json_string(guest_file);
		printf(", \"hosts\": [");
	}
	/* Each host's result, made again when its CPU is not the last one's
	 * (the guest compared fine with every CPU above). */
	for (size_t i = 0; i < pool.n; i++) {
		char *msg;

		if (pool.hosts[i].distinct != last &&
		    cs_pool_host_compare(&pool, i, guest, &r, &err) < 0) {
			cli_report(&err);
			goto out;
		}
		last = pool.hosts[i].distinct;
		if (json) {
			printf("%s\n  {\"name\": ", i ? "," : "");
			json_string(pool.hosts[i].name);
			printf(", ");
			json_result(&r);
			printf("}");
			continue;
		}
		msg = cs_compare_message(&r);
		if (error_mode && r.compat == CS_COMPAT_INCOMPATIBLE)
			cli_error("%s %s: %s",
			          cs_libvirt_msg(NULL, CS_LIBVIRT_MSG_CPU_INCOMPATIBLE),
			          pool.hosts[i].name, msg);
		else if (!error_mode)
			printf("%-*s  %s%s%s\n", (int)width, pool.hosts[i].name,
			       cs_compat_name(r.compat), *msg ? ": " : "", msg);
		free(msg);
	}
	if (json) {
		printf("%s], \"can_run\": %zu, \"cannot_run\": %zu}\n", pool.n ? "\n" : "",
		       pool.n - nbad, nbad);
		ret = nbad ? CLI_NEGATIVE : CLI_OK;
		goto out;
	}
	if (!error_mode || !nbad)
		printf("%zu of %zu hosts can run the CPU described in %s\n", pool.n - nbad, pool.n,
		       guest_file);
	if (!error_mode && nbad && guest->arch == pool.arch) {
		/* The map's variant of the guest's model without what hosts lack. */
		struct cs_fset drop;
		int var = cs_model_variant_without(pool.arch, guest->model, &v.missing, &drop);

		if (var >= 0) {
			printf("model %s is %s without ", pool.arch->models[var].name,
			       pool.arch->models[guest->model].name);
			print_names(pool.arch, &drop);
			printf(": %zu of %zu hosts run it\n", cs_pool_model_runs(&pool, var),
			       pool.n);
		}
	}
	ret = nbad ? CLI_NEGATIVE : CLI_OK;
out:
	cs_pool_release(&pool);
	return ret;
}

/* The verdict as virsh cpu-compare words it, or, against a domcapabilities
 * host-model CPU (what KVM gives), as virsh hypervisor-cpu-compare does. */
static int print_verdict(const struct cs_cpudef *host, const struct cs_cpudef *guest,
                         const char *guest_file, const struct cs_compare_result *res,
                         const char *msg, bool error_mode)
{
	bool hv = host->origin == CS_CPU_ORIGIN_DOMCAPS;

	switch (res->compat) {
	case CS_COMPAT_IDENTICAL:
		printf("CPU described in %s is identical to %s\n", guest_file,
		       hv ? "the CPU provided by hypervisor on the host" : "host CPU");
		return CLI_OK;
	case CS_COMPAT_SUPERSET:
		printf("%s is a superset of CPU described in %s\n",
		       hv ? "The CPU provided by hypervisor on the host" : "Host CPU", guest_file);
		return CLI_OK;
	case CS_COMPAT_INCOMPATIBLE:
		if (error_mode) {
			cli_error("%s: %s", cs_libvirt_msg(NULL, CS_LIBVIRT_MSG_CPU_INCOMPATIBLE),
			          msg);
		} else {
			printf("CPU described in %s is incompatible with %s\n", guest_file,
			       hv ? "the CPU provided by hypervisor on the host" : "host CPU");
			if (*msg)
				printf("  %s\n", msg);
			cmd_print_why(host, guest, res, "  ");
		}
		return CLI_NEGATIVE;
	}
	return CLI_BAD;
}

int cmd_compare(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	        {"host", required_argument, NULL, 'H'}, {"source", required_argument, NULL, 's'},
	        {"pool", required_argument, NULL, 'p'}, {"connect", required_argument, NULL, 'c'},
	        {"error", no_argument, NULL, 'e'},      {"json", no_argument, NULL, 'j'},
	        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
	const char *host_file = NULL, *source = NULL, *guest_file, *connect = NULL;
	struct cs_cpudef *host = NULL, *guest = NULL;
	struct cli_host conn = {0};
	struct cs_compare_result res;
	struct cs_error err = {0};
	struct cs_map *map = NULL;
	bool error_mode = false, json = false;
	char *msg = NULL;
	char **pool_files = NULL;
	size_t npool = 0, pool_cap = 0;
	int c, ret = CLI_BAD;

	optind = 1;
	while ((c = getopt_long(argc, argv, "H:s:p:c:ejh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			connect = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'p':
			CS_GROW(pool_files, pool_cap, npool + 1);
			pool_files[npool++] = optarg;
			break;
		case 'H':
			host_file = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 'e':
			error_mode = true;
			break;
		case 'h':
		default:
			free(pool_files);
			return cli_usage_exit(usage, c);
		}
	}
	if (json && error_mode) {
		free(pool_files);
		return cli_usage_error(usage, "give --json or --error, not both");
	}
	if (optind + 1 != argc || (host_file && source) || (npool && (host_file || source))) {
		free(pool_files);
		return cli_usage_error(
		        usage, npool && (host_file || source)
		                       ? "give --pool, or --host or --source, not both"
		               : host_file && source ? "give --host or --source, not both"
		                                     : "compare needs exactly one GUEST file");
	}
	guest_file = argv[optind];
	map = cli_load_map(cli);
	if (!map)
		goto out;
	guest = cmd_load_guest_cpu(map, guest_file, 0);
	if (!guest)
		goto out;
	if (npool) {
		ret = compare_pool(map, pool_files, npool, guest_file, guest, error_mode, json);
		goto out;
	}
	/* With a connection (and no other host) the host is the hypervisor's. */
	if (!host_file && !source && cli_connect_uri(connect)) {
		if (cli_host_open_guest(&conn, cli_connect_uri(connect), map, guest_file, NULL) !=
		    CLI_OK)
			goto out;
		host = cs_cpudef_copy(conn.hv->host_model);
	} else {
		host = cmd_load_host_cpu(map, host_file,
		                         host_file ? NULL
		                         : source  ? source
		                                   : "cpuid",
		                         CMD_HOST_CAPABILITIES);
	}
	if (!host)
		goto out;
	if (cs_compare(host, guest, &res, &err) < 0) {
		cli_report(&err);
		goto out;
	}
	msg = cs_compare_message(&res);
	if (json) {
		printf("{\"guest\": ");
		json_string(guest_file);
		printf(", \"host\": ");
		json_string(conn.conn   ? cs_conn_uri(conn.conn)
		            : host_file ? host_file
		            : source    ? source
		                        : "cpuid");
		printf(", ");
		json_result(&res);
		json_why(host, guest, &res);
		if (conn.conn) {
			struct cli_libvirt_compare a;
			struct json_object *o;

			cli_host_ask_compare(&conn, guest_file, &res, msg, &a);
			o = cli_host_compare_json(&conn, &a);
			printf(", \"libvirt\": %s", json_object_to_json_string_ext(o, 0));
			json_object_put(o);
		}
		printf("}\n");
		ret = res.compat == CS_COMPAT_INCOMPATIBLE ? CLI_NEGATIVE : CLI_OK;
		goto out;
	}
	ret = print_verdict(host, guest, guest_file, &res, msg, error_mode);
	if (conn.conn) {
		struct cli_libvirt_compare a;

		cli_host_ask_compare(&conn, guest_file, &res, msg, &a);
		cli_host_print_compare(&conn, &res, msg, &a);
	}
out:
	cli_host_release(&conn);
	free(msg);
	free(pool_files);
	cs_cpudef_free(guest);
	cs_cpudef_free(host);
	cs_map_free(map);
	return ret;
}
