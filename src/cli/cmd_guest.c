/* cmd_guest.c: the 'guest' command: effective guest features and QEMU's -cpu argument */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_cpu.h"
#include "cpuscope/compare.h"
#include "cpuscope/guest.h"
#include "cpuscope/level.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope [--map PATH] guest [--host FILE | --source cpuid|kvm|cpuinfo]\n"
	        "                                   [--enforce] [--xml] GUEST\n\n"
	        "Show what the guest CPU in GUEST (a <cpu> or a domain XML) becomes when\n"
	        "libvirt 9.0 starts it: the features the guest sees and the QEMU -cpu\n"
	        "argument libvirt builds.  Optional features, host-model, host-passthrough,\n"
	        "maximum and match='minimum' depend on the host; give one for them.\n"
	        "A model QEMU 7.2 lacks is translated to one it has, as libvirt does;\n"
	        "which one depends on what KVM on the host can give (without a host,\n"
	        "cpuscope assumes it can give everything).\n\n"
	        "  --host FILE    the host: 'virsh domcapabilities' (what libvirt updates\n"
	        "                 guests against, and what KVM gives), 'virsh\n"
	        "                 capabilities', a <cpu>, or any file 'cpuscope host' reads\n"
	        "  --source SRC   probe this machine's host-model CPU: cpuid, kvm or cpuinfo\n"
	        "  --enforce      append ',enforce' to -cpu, so QEMU itself refuses a host\n"
	        "                 that lacks a feature\n"
	        "  --xml          also print the updated <cpu> libvirt starts QEMU with\n\n"
	        "With a host, the guest is also checked as libvirt does at start-up\n"
	        "(check='partial' unless the guest says check='none').\n\n"
	        "Exit status: 0 ok, 1 libvirt would refuse to start the guest on this host,\n"
	        "2 bad input.\n");
}

static void print_set(const char *label, const struct cs_arch *arch, const struct cs_fset *s)
{
	char *list = cs_arch_feature_list(arch, s, " ");

	printf("%s (%u):%s%s\n", label, cs_fset_count(s), *list ? " " : "", list);
	free(list);
}

/* The level QEMU gives the guest and, with a host, the mitigations the
 * host has and the guest lacks. */
static void print_level(const struct cs_arch *arch, const struct cs_effective *eff,
                        const struct cs_cpudef *updated, const struct cs_cpudef *host)
{
	struct cs_level_report r;
	struct cs_cpu_facts hf;
	bool have_host = host && cs_cpudef_to_facts(host, &hf, NULL) == 0;
	char level[400];

	cs_level_report(arch, eff, updated, have_host ? &hf.features : NULL, &r);
	cs_x86_level_describe(arch, &r.qemu, level, sizeof(level));
	printf("level: %s\n", level);
	if (!cs_fset_is_empty(&r.mitigations))
		print_set("mitigations the host has and the guest lacks", arch, &r.mitigations);
}

/* The check libvirt makes when it starts the guest (check='partial'). */
static int host_check(const struct cs_cpudef *host, const struct cs_cpudef *guest)
{
	struct cs_compare_result res;
	struct cs_error err = {0};
	char *msg;

	if (cs_compare(host, guest, &res, &err) < 0) {
		cli_report(&err);
		return CLI_BAD;
	}
	printf("host check: %s\n", cs_compat_name(res.compat));
	if (res.compat != CS_COMPAT_INCOMPATIBLE)
		return CLI_OK;
	msg = cs_compare_message(&res);
	printf("  libvirt would refuse to start it: %s\n", msg);
	cmd_print_why(host, guest, &res, "  ");
	free(msg);
	return CLI_NEGATIVE;
}

int cmd_guest(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	        {"host", required_argument, NULL, 'H'}, {"source", required_argument, NULL, 's'},
	        {"enforce", no_argument, NULL, 'e'},    {"xml", no_argument, NULL, 'x'},
	        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
	const char *host_file = NULL, *source = NULL;
	struct cs_cpudef *host = NULL, *guest = NULL, *updated = NULL;
	struct cs_error err = {0};
	struct cs_effective eff;
	struct cs_map *map = NULL;
	bool enforce = false, xml = false;
	char *arg = NULL;
	int c, ret = CLI_BAD;

	optind = 1;
	while ((c = getopt_long(argc, argv, "H:s:exh", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			host_file = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 'e':
			enforce = true;
			break;
		case 'x':
			xml = true;
			break;
		case 'h':
		default:
			return cli_usage_exit(usage, c);
		}
	}
	if (optind + 1 != argc || (host_file && source))
		return cli_usage_error(usage, host_file && source
		                                      ? "give --host or --source, not both"
		                                      : "guest needs exactly one GUEST file");
	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	guest = cmd_load_guest_cpu(map, argv[optind], CS_CPUDEF_AS_GUEST | CS_CPUDEF_STRICT);
	if (!guest)
		goto out;
	if (host_file || source) {
		host = cmd_load_host_cpu(map, host_file, source, CMD_HOST_MODEL);
		if (!host)
			goto out;
	}
	if (cs_guest_effective(guest, host, &eff, &err) < 0 ||
	    !(updated = cs_guest_update(guest, host, &err))) {
		cli_report(&err);
		if (err.code == CS_ERR_INCOMPATIBLE)
			ret = CLI_NEGATIVE;
		goto out;
	}
	printf("mode: %s", cs_cpu_mode_name(guest->mode));
	if (guest->mode == CS_CPU_MODE_CUSTOM)
		printf(", match %s", cs_cpu_match_name(guest->match));
	printf("\n");
	if (eff.model >= 0)
		printf("model: %s\n", guest->arch->models[eff.model].name);
	if (eff.model >= 0 && updated->model >= 0 && updated->model != eff.model) {
		printf("translated: QEMU 7.2 has no %s; libvirt starts %s instead\n",
		       guest->arch->models[eff.model].name,
		       guest->arch->models[updated->model].name);
		/* What the guest sees is the translated CPU, relative to its
		 * model (the blockers may have taken features away). */
		if (cs_guest_effective(updated, host, &eff, &err) < 0) {
			cli_report(&err);
			goto out;
		}
	}
	print_set("features", guest->arch, &eff.features);
	if (eff.model >= 0) {
		print_set("added to the model", guest->arch, &eff.added);
		print_set("removed from the model", guest->arch, &eff.removed);
	}
	if (!cs_fset_is_empty(&eff.undecided))
		print_set("optional, decided by the host", guest->arch, &eff.undecided);
	if (!strcmp(guest->arch->name, "x86"))
		print_level(guest->arch, &eff, updated, host);
	arg = cs_qemu_cpu_arg(updated, enforce);
	if (arg)
		printf("qemu: -cpu %s\n", arg);
	else
		printf("qemu: no -cpu option (QEMU's default CPU)\n");
	if (xml) {
		char *text = cs_cpudef_format(updated, 0);

		fputs(text, stdout);
		free(text);
	}
	ret = CLI_OK;
	if (host && guest->check != CS_CPU_CHECK_NONE &&
	    guest->mode != CS_CPU_MODE_HOST_PASSTHROUGH && guest->mode != CS_CPU_MODE_MAXIMUM)
		ret = host_check(host, guest);
out:
	free(arg);
	cs_cpudef_free(updated);
	cs_cpudef_free(guest);
	cs_cpudef_free(host);
	cs_map_free(map);
	return ret;
}
