/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_guest.c: the 'guest' command: will the guest start, and with which CPU */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cli/cli_host.h"
#include "cli/cmd_cpu.h"
#include "cpuscope/advice.h"
#include "cpuscope/compare.h"
#include "cpuscope/guest.h"
#include "cpuscope/host.h"
#include "cpuscope/level.h"
#include "cpuscope/qmp.h"
#include "cpuscope/start.h"
#include "cpuscope/xalloc.h"

#define MAX_HOSTS 2

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope [--map PATH] guest [--host FILE]... [--source cpuid|kvm|cpuinfo]\n"
	        "                                   [--virt-type kvm|qemu] [--vcpus N] "
	        "[--enforce]\n"
	        "                                   [--xml] [--json] [--verify [--qemu BINARY]] "
	        "GUEST\n\n"
	        "Say whether the guest CPU in GUEST (a <cpu> or a domain XML) starts on the\n"
	        "host, following libvirt 9.0's start path step by step and then what QEMU\n"
	        "does: refused (by libvirt or QEMU, with the message), starts with features\n"
	        "dropped (QEMU leaves out what the host cannot give), or starts as defined.\n"
	        "Also shows the features the guest sees and the QEMU -cpu argument.\n\n"
	        "  --host FILE    the host: 'virsh domcapabilities' (the hypervisor's own\n"
	        "                 word: host-model, QEMU's models and what blocks them) and,\n"
	        "                 for KVM, 'virsh capabilities' (the host CPU libvirt checks\n"
	        "                 against); give both with --host twice.  Any file 'cpuscope\n"
	        "                 host' reads is also taken, judged with cpuscope's QEMU tables\n"
	        "  --source SRC   probe this machine: cpuid, kvm or cpuinfo\n"
	        "  -c, --connect URI  the host is this libvirt connection's hypervisor for\n"
	        "                 the domain's type, emulator, machine and arch (default:\n"
	        "                 $LIBVIRT_DEFAULT_URI, else none); libvirt's own\n"
	        "                 'hypervisor-cpu-compare' answer follows on a line\n"
	        "                 'libvirt: ...', 'libvirt: DISAGREE' when it differs from\n"
	        "                 cpuscope's (--json: \"libvirt\")\n"
	        "  --virt-type T  the domain type, kvm or qemu (TCG); default: the domain's\n"
	        "                 type, or the domcapabilities', else kvm\n"
	        "  --vcpus N      the domain's <vcpu> (default: the domain's)\n"
	        "  --enforce      append ',enforce' to -cpu, so QEMU refuses a host that lacks\n"
	        "                 a feature instead of dropping it\n"
	        "  --xml          also print the updated <cpu> libvirt starts QEMU with\n"
	        "  --json         one JSON object: starts, refused_by, message, dropped, ...\n"
	        "  --verify       ask QEMU itself: start it paused with the -cpu libvirt would\n"
	        "                 build (KVM where /dev/kvm is usable and the domain is kvm,\n"
	        "                 else TCG) and read the vCPU back, or QEMU's refusal; its\n"
	        "                 answer replaces the prediction (cached per QEMU binary,\n"
	        "                 accelerator and kernel under $XDG_CACHE_HOME/cpuscope)\n"
	        "  --qemu BINARY  the QEMU to ask (default: qemu-system-x86_64 on PATH)\n\n"
	        "Without a host the host is taken to give everything, and only the steps\n"
	        "that need no host are judged.\n\n"
	        "Exit status: 0 starts, 1 refused, 2 bad input.\n");
}

struct guest_opts {
	const char *hosts[MAX_HOSTS];
	size_t nhosts;
	const char *source;
	int virt; /* -1: not given */
	unsigned vcpus;
	bool enforce, xml, json, verify;
	const char *qemu;
	const char *connect; /* --connect, or NULL */
	bool no_cache;       /* the global --no-cache */
};

static int parse_opts(int argc, char **argv, struct guest_opts *o)
{
	static const struct option opts[] = {{"host", required_argument, NULL, 'H'},
	                                     {"source", required_argument, NULL, 's'},
	                                     {"virt-type", required_argument, NULL, 't'},
	                                     {"vcpus", required_argument, NULL, 'n'},
	                                     {"enforce", no_argument, NULL, 'e'},
	                                     {"xml", no_argument, NULL, 'x'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {"verify", no_argument, NULL, 'V'},
	                                     {"qemu", required_argument, NULL, 'Q'},
	                                     {"connect", required_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	int c;

	memset(o, 0, sizeof(*o));
	o->virt = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "H:s:t:n:exjhVQ:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			if (o->nhosts == MAX_HOSTS)
				return cli_usage_error(usage, "--host at most twice (capabilities "
				                              "and domcapabilities)");
			o->hosts[o->nhosts++] = optarg;
			break;
		case 's':
			o->source = optarg;
			break;
		case 't':
			o->virt = cs_virt_type_parse(optarg);
			if (o->virt < 0)
				return cli_usage_error(
				        usage, "unknown --virt-type '%s' (kvm or qemu)", optarg);
			break;
		case 'n': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !v || v > 16384)
				return cli_usage_error(usage,
				                       "--vcpus needs a number from 1 to 16384");
			o->vcpus = (unsigned)v;
			break;
		}
		case 'e':
			o->enforce = true;
			break;
		case 'x':
			o->xml = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'V':
			o->verify = true;
			break;
		case 'Q':
			o->qemu = optarg;
			break;
		case 'c':
			o->connect = optarg;
			break;
		case 'h':
		default:
			return cli_usage_exit(usage, c);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(usage, "guest needs exactly one GUEST file");
	if (o->nhosts && o->source)
		return cli_usage_error(usage, "give --host or --source, not both");
	return -1;
}

/* The hypervisor from the --host files or the --source probe. */
static int load_hypervisor(const struct cs_map *map, const struct guest_opts *o, int virt,
                           struct cs_hypervisor *hv)
{
	struct cs_cpudef *cpu = NULL, *model = NULL;
	struct cs_error err = {0};
	char *dbuf = NULL;
	size_t dlen = 0;
	const char *dname = NULL;
	int ret = -1;

	for (size_t i = 0; i < o->nhosts; i++) {
		char *buf = NULL;
		size_t len = 0;
		enum cs_host_file kind;

		if (cs_read_file(o->hosts[i], CS_MAX_FILE_SIZE, &buf, &len, &err) < 0) {
			cli_report(&err);
			goto out;
		}
		kind = cs_host_detect(buf, len);
		if (kind == CS_HOST_FILE_DOMCAPS && !dbuf) {
			dbuf = buf;
			dlen = len;
			dname = o->hosts[i];
			continue;
		}
		free(buf);
		if (cpu) {
			cli_error("%s: give one host CPU and one domcapabilities file",
			          o->hosts[i]);
			goto out;
		}
		cpu = cmd_load_host_cpu(map, o->hosts[i], NULL, CMD_HOST_CAPABILITIES);
		if (!cpu)
			goto out;
		if (kind != CS_HOST_FILE_CAPABILITIES && kind != CS_HOST_FILE_CPU &&
		    !(model = cmd_load_host_cpu(map, o->hosts[i], NULL, CMD_HOST_MODEL)))
			goto out;
	}
	if (o->source) {
		if (!(cpu = cmd_load_host_cpu(map, NULL, o->source, CMD_HOST_CAPABILITIES)) ||
		    !(model = cmd_load_host_cpu(map, NULL, o->source, CMD_HOST_MODEL)))
			goto out;
	}
	if (dbuf) {
		if (cs_hypervisor_from_domcaps(hv, map, dbuf, dlen, dname, cpu, &err) < 0) {
			cli_report(&err);
			goto out;
		}
		if (virt >= 0 && (enum cs_virt_type)virt != hv->virt) {
			cli_error("%s describes %s domains; the guest is a %s domain", dname,
			          cs_virt_type_name(hv->virt),
			          cs_virt_type_name((enum cs_virt_type)virt));
			cs_hypervisor_release(hv);
			goto out;
		}
	} else if (cs_hypervisor_from_cpus(hv, map, cpu, model,
	                                   virt >= 0 ? (enum cs_virt_type)virt : CS_VIRT_KVM,
	                                   &err) < 0) {
		cli_report(&err);
		goto out;
	}
	ret = 0;
out:
	free(dbuf);
	cs_cpudef_free(cpu);
	cs_cpudef_free(model);
	return ret;
}

static void print_set(const char *label, const struct cs_arch *arch, const struct cs_fset *s)
{
	int id;

	printf("%s (%u):", label, cs_fset_count(s));
	cs_fset_foreach (id, s)
		printf(" %s", arch->features[id].name);
	printf("\n");
}

/* What the guest sees, its x86-64 level and the mitigations it lacks. */
static void print_cpu(const struct cs_hypervisor *hv, const struct cs_cpudef *guest,
                      const struct cs_start_verdict *v)
{
	const struct cs_arch *arch = guest->arch;
	const struct cs_cpudef *host = hv->host_model;
	const struct cs_cpudef *updated = v->updated;
	struct cs_effective eff;
	struct cs_error err = {0};
	char level[400];

	printf("mode: %s", cs_cpu_mode_name(guest->mode));
	if (guest->mode == CS_CPU_MODE_CUSTOM)
		printf(", match %s", cs_cpu_match_name(guest->match));
	printf("\ncheck: %s%s\n", cs_cpu_check_name(v->check),
	       guest->check == CS_CPU_CHECK_DEFAULT ? " (libvirt's default)" : "");
	if (cs_guest_effective(updated, host, &eff, &err) < 0)
		return;
	if (guest->model >= 0)
		printf("model: %s\n", arch->models[guest->model].name);
	if (guest->model >= 0 && updated->model >= 0 && updated->model != guest->model &&
	    guest->mode == CS_CPU_MODE_CUSTOM && guest->match != CS_CPU_MATCH_MINIMUM)
		printf("translated: QEMU 7.2 has no %s; libvirt starts %s instead\n",
		       arch->models[guest->model].name, arch->models[updated->model].name);
	print_set("features", arch, v->vcpu_known ? &v->vcpu : &eff.features);
	if (eff.model >= 0) {
		print_set("added to the model", arch, &eff.added);
		print_set("removed from the model", arch, &eff.removed);
	}
	if (!cs_fset_is_empty(&eff.undecided))
		print_set("optional, decided by the host", arch, &eff.undecided);
	cs_x86_level_describe(arch, &v->vcpu, level, sizeof(level));
	printf("level: %s\n", level);
	if (hv->host_full) {
		struct cs_cpu_facts hf;
		struct cs_fset mit;

		if (cs_cpudef_to_facts(hv->host_model, &hf, NULL) == 0) {
			cs_mitigations(arch, &mit);
			cs_fset_intersect(&mit, &mit, &hf.features);
			cs_fset_diff(&mit, &mit, &v->vcpu);
			if (!cs_fset_is_empty(&mit))
				print_set("mitigations the host has and the guest lacks", arch,
				          &mit);
		}
	}
}

static void print_text(const struct cs_hypervisor *hv, const struct cs_cpudef *guest,
                       const struct cs_start_verdict *v, bool xml)
{
	const struct cs_arch *arch = guest->arch;
	char *sum;
	int id;

	if (v->updated)
		print_cpu(hv, guest, v);
	if (v->cpu_arg)
		printf("qemu: -cpu %s\n", v->cpu_arg);
	else if (v->updated || !v->message[0])
		printf("qemu: no -cpu option (QEMU's default CPU)\n");
	if (xml && v->updated) {
		char *text = cs_cpudef_format(v->updated, 0);

		fputs(text, stdout);
		free(text);
	}
	sum = cs_start_summary(v, arch);
	printf("verdict: %s%s\n", sum, v->verified ? " (QEMU asked)" : "");
	free(sum);
	if (v->outcome == CS_START_REFUSED)
		printf("  at: %s\n", cs_start_step_name(v->step));
	if (!cs_fset_is_empty(&v->dropped)) {
		printf("dropped by QEMU (%u):", cs_fset_count(&v->dropped));
		cs_fset_foreach (id, &v->dropped)
			printf(" %s", cs_qemu_feature_name(arch->features[id].name));
		printf(" (QEMU's names)\n");
	}
	if (v->caveat[0])
		printf("caveat: %s\n", v->caveat);
	if (v->has_partial && v->partial.compat == CS_COMPAT_INCOMPATIBLE)
		cmd_print_why(hv->host_full, guest, &v->partial, "  ");
	printf("host: %s (%s)\n", hv->source, cs_virt_type_name(hv->virt));
}

static void print_json(const struct cs_hypervisor *hv, const struct cs_cpudef *guest,
                       const struct cs_start_verdict *v, struct json_object *libvirt)
{
	const struct cs_arch *arch = guest->arch;
	struct json_object *o = json_object_new_object();
	struct json_object *drop = json_object_new_array();
	const char *who = cs_start_actor_name(v->refused_by);
	int id;

	json_object_object_add(o, "starts",
	                       json_object_new_boolean(v->outcome != CS_START_REFUSED));
	json_object_object_add(o, "outcome",
	                       json_object_new_string(cs_start_outcome_name(v->outcome)));
	json_object_object_add(o, "refused_by", who ? json_object_new_string(who) : NULL);
	json_object_object_add(o, "step",
	                       v->outcome == CS_START_REFUSED
	                               ? json_object_new_string(cs_start_step_name(v->step))
	                               : NULL);
	json_object_object_add(o, "message",
	                       v->message[0] ? json_object_new_string(v->message) : NULL);
	cs_fset_foreach (id, &v->dropped) {
		struct json_object *d = json_object_new_object();

		json_object_object_add(d, "name", json_object_new_string(arch->features[id].name));
		json_object_object_add(
		        d, "qemu",
		        json_object_new_string(cs_qemu_feature_name(arch->features[id].name)));
		json_object_array_add(drop, d);
	}
	json_object_object_add(o, "dropped", drop);
	json_object_object_add(o, "cpu_arg",
	                       v->cpu_arg ? json_object_new_string(v->cpu_arg) : NULL);
	json_object_object_add(o, "check", json_object_new_string(cs_cpu_check_name(v->check)));
	json_object_object_add(o, "virt_type", json_object_new_string(cs_virt_type_name(hv->virt)));
	json_object_object_add(o, "caveat",
	                       v->caveat[0] ? json_object_new_string(v->caveat) : NULL);
	json_object_object_add(o, "verified", json_object_new_boolean(v->verified));
	if (libvirt)
		json_object_object_add(o, "libvirt", libvirt);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED |
	                                               JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* Whether QEMU has a say: libvirt refuses some guests before it starts
 * QEMU, and a guest without -cpu gets QEMU's default CPU. */
static bool qemu_decides(const struct cs_start_verdict *v)
{
	if (!v->cpu_arg)
		return false;
	return v->outcome != CS_START_REFUSED || v->refused_by == CS_ACTOR_QEMU ||
	       cs_start_step_after_qemu(v->step);
}

/* Ask QEMU about v's -cpu and redo the verdict with its answer. */
static int verify(const struct guest_opts *o, const struct cs_hypervisor *hv,
                  const struct cs_start_input *in, struct cs_start_verdict *v)
{
	struct cs_qemu_opts qo = {0};
	struct cs_qemu_verify qv;
	struct cs_start_qemu q;
	struct cs_error err = {0};
	char *arg;
	int ret;

	if (!qemu_decides(v))
		return 0;
	qo.binary = o->qemu;
	qo.no_cache = o->no_cache;
	qo.accel = hv->virt == CS_VIRT_QEMU ? "tcg" : "kvm";
	arg = cs_xstrdup(v->cpu_arg);
	if (cs_qemu_verify_cpu(&qo, arg, &qv, &err) < 0) {
		free(arg);
		cli_report(&err);
		return -1;
	}
	free(arg);
	cs_start_qemu_from_verify(&qv, &q);
	cs_start_verdict_release(v);
	ret = cs_start_verdict(hv, in, &q, v, &err);
	if (ret < 0)
		cli_report(&err);
	cs_qemu_verify_release(&qv);
	return ret;
}

/* The domain's type and <vcpu> when GUEST is a domain XML. */
static int read_domain(const char *path, struct cs_domain_info *info)
{
	struct cs_error err = {0};
	char *buf = NULL;
	size_t len = 0;
	int ret;

	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, &err) < 0 ||
	    cs_domain_info_parse(buf, len, path, info, &err) < 0) {
		cli_report(&err);
		ret = -1;
	} else {
		ret = 0;
	}
	free(buf);
	return ret;
}

/* libvirt's hypervisor-cpu-compare answer beside cpuscope's comparison of
 * the guest with the hypervisor's host-model CPU. */
static bool ask_libvirt(struct cli_host *h, const char *file, const struct cs_cpudef *guest,
                        struct cs_compare_result *res, char **msg, struct cli_libvirt_compare *a)
{
	struct cs_error err = {0};

	*msg = NULL;
	if (!h->hv->host_model || cs_compare(h->hv->host_model, guest, res, &err) < 0)
		return false;
	*msg = cs_compare_message(res);
	cli_host_ask_compare(h, file, res, *msg, a);
	return true;
}

static void print_libvirt(struct cli_host *h, const char *file, const struct cs_cpudef *guest)
{
	struct cs_compare_result res;
	struct cli_libvirt_compare a;
	char *msg;

	if (ask_libvirt(h, file, guest, &res, &msg, &a))
		cli_host_print_compare(h, &res, msg, &a);
	free(msg);
}

static struct json_object *libvirt_json(struct cli_host *h, const char *file,
                                        const struct cs_cpudef *guest)
{
	struct cs_compare_result res;
	struct cli_libvirt_compare a;
	struct json_object *o = NULL;
	char *msg;

	if (ask_libvirt(h, file, guest, &res, &msg, &a))
		o = cli_host_compare_json(h, &a);
	free(msg);
	return o;
}

int cmd_guest(struct cli *cli, int argc, char **argv)
{
	struct cs_hypervisor own_hv = {0};
	const struct cs_hypervisor *hv = &own_hv;
	struct cli_host conn = {0};
	struct cs_start_verdict v = {0};
	struct cs_start_input in = {0};
	struct cs_domain_info info;
	struct cs_cpudef *guest = NULL;
	struct cs_error err = {0};
	struct cs_map *map = NULL;
	struct guest_opts o;
	int ret, virt;

	ret = parse_opts(argc, argv, &o);
	if (ret >= 0)
		return ret;
	o.no_cache = cli->no_cache;
	ret = CLI_BAD;
	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	if (read_domain(argv[optind], &info) < 0)
		goto out;
	guest = cmd_load_guest_cpu(map, argv[optind], CS_CPUDEF_AS_GUEST | CS_CPUDEF_STRICT);
	if (!guest)
		goto out;
	virt = o.virt >= 0 ? o.virt : info.has_virt ? (int)info.virt : -1;
	if (!o.nhosts && !o.source && cli_connect_uri(o.connect)) {
		if (cli_host_open_guest(&conn, cli_connect_uri(o.connect), map, argv[optind],
		                        virt >= 0 ? cs_virt_type_name((enum cs_virt_type)virt)
		                                  : NULL) != CLI_OK)
			goto out;
		hv = conn.hv;
	} else if (load_hypervisor(map, &o, virt, &own_hv) < 0) {
		goto out;
	}
	if (!o.nhosts && !o.source && !conn.conn &&
	    (guest->mode != CS_CPU_MODE_CUSTOM || guest->match == CS_CPU_MATCH_MINIMUM)) {
		cli_error("%s: a %s guest depends on the host CPU; give --host or --source",
		          argv[optind],
		          guest->mode != CS_CPU_MODE_CUSTOM ? cs_cpu_mode_name(guest->mode)
		                                            : "match='minimum'");
		goto out;
	}
	in.guest = guest;
	in.vcpus = o.vcpus ? o.vcpus : info.vcpus;
	in.enforce = o.enforce;
	if (cs_start_verdict(hv, &in, NULL, &v, &err) < 0) {
		cli_report(&err);
		goto out;
	}
	if (o.verify && verify(&o, hv, &in, &v) < 0)
		goto out;
	if (o.json)
		print_json(hv, guest, &v,
		           conn.conn ? libvirt_json(&conn, argv[optind], guest) : NULL);
	else
		print_text(hv, guest, &v, o.xml);
	if (conn.conn && !o.json)
		print_libvirt(&conn, argv[optind], guest);
	ret = v.outcome == CS_START_REFUSED ? CLI_NEGATIVE : CLI_OK;
out:
	cs_start_verdict_release(&v);
	cs_hypervisor_release(&own_hv);
	cli_host_release(&conn);
	cs_cpudef_free(guest);
	cs_map_free(map);
	return ret;
}
