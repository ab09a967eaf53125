/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_baseline.c: the 'baseline' command: the CPU every host of a pool can run */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_host.h"
#include "cli/cmd_baseline_hv.h"
#include "cpuscope/compare.h"
#include "cpuscope/pool.h"

static int add_cpu(void *ctx, struct cs_cpudef *def, struct cs_error *err)
{
	int rc = cs_baseline_add(ctx, def, err);

	cs_cpudef_free(def);
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope [--map PATH] baseline [--features] [--migratable] "
	        "[--driver qemu|test] FILE...\n"
	        "       cpuscope [--map PATH] baseline --hypervisor DOMCAPS.xml|--connect URI\n"
	        "                [--virttype TYPE] [--features] [--migratable] FILE...\n\n"
	        "Print the guest CPU that every given host CPU can run, exactly as\n"
	        "'virsh cpu-baseline' prints it (libvirt 9.0), trailing blank line included.\n"
	        "Each FILE ('-' = standard input) may hold bare <cpu> elements one after\n"
	        "another, domain XML, 'virsh capabilities' or 'virsh domcapabilities' output,\n"
	        "a libvirt CPUID dump, 'cpuid -r' output or a /proc/cpuinfo copy (decoded as\n"
	        "virsh capabilities shows that host); every CPU found is used, in order.\n"
	        "Host CPUs need <arch> and <model>.  Files are streamed (up to 1 GiB):\n"
	        "each CPU is read and folded in on its own.\n\n"
	        "  --features       list every feature of the chosen model, sorted by name\n"
	        "  --migratable     leave out features that block migration (invtsc, xsaves)\n"
	        "  --driver qemu    answer as libvirt's QEMU driver (qemu:///system) does, the\n"
	        "                   default: features QEMU cannot set (cmt, mbm_total,\n"
	        "                   mbm_local) or sets itself (osxsave, ospke) are dropped\n"
	        "  --driver test    answer as the test driver (test:///default) does: keep them;\n"
	        "                   --migratable needs the QEMU driver\n"
	        "  --qemu           the same as --driver qemu\n\n"
	        "virsh cpu-baseline rejects domcapabilities input ('Missing CPU architecture');\n"
	        "cpuscope reads its host-model CPU, counting its required features only,\n"
	        "and prints what 'virsh hypervisor-cpu-baseline' prints for that file.\n\n"
	        "With --hypervisor (a 'virsh domcapabilities' file) or a connection\n"
	        "(--connect URI, else $LIBVIRT_DEFAULT_URI), print what 'virsh\n"
	        "hypervisor-cpu-baseline' prints on that hypervisor: only its CPU models\n"
	        "and the features QEMU has, each model's blockers disabled,\n"
	        "fallback='forbid'.  On a connection libvirt's own answer is asked too and\n"
	        "a line on stderr says whether it is the same ('libvirt: DISAGREE' if not).\n"
	        "  --hypervisor FILE  the hypervisor's domain capabilities\n"
	        "  -c, --connect URI  the hypervisor, through libvirt\n"
	        "  --virttype TYPE    kvm or qemu (default: libvirt's choice)\n\n"
	        "Exit status: 0 printed, 1 the CPUs have no common model (vendors differ,\n"
	        "nothing in common), 2 bad input.\n");
}

int cmd_baseline(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"features", no_argument, NULL, 'f'},
	                                     {"migratable", no_argument, NULL, 'm'},
	                                     {"qemu", no_argument, NULL, 'q'},
	                                     {"driver", required_argument, NULL, 'd'},
	                                     {"hypervisor", required_argument, NULL, 'H'},
	                                     {"connect", required_argument, NULL, 'c'},
	                                     {"virttype", required_argument, NULL, 'V'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct cs_baseline_opts bopts = {.qemu = true};
	struct cli_baseline_hv_opts hv = {0};
	const char *connect = NULL;
	bool test_driver = false;
	struct cs_baseline b;
	struct cs_error err = {0};
	struct cs_cpudef *result = NULL;
	struct cs_map *map;
	int c, ret = CLI_BAD;

	optind = 1;
	while ((c = getopt_long(argc, argv, "fmqd:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			bopts.expand_features = true;
			break;
		case 'm':
			bopts.migratable = true;
			break;
		case 'q':
			test_driver = false;
			break;
		case 'd':
			if (strcmp(optarg, "qemu") != 0 && strcmp(optarg, "test") != 0)
				return cli_usage_error(usage, "--driver takes qemu or test");
			test_driver = !strcmp(optarg, "test");
			break;
		case 'H':
			hv.domcaps = optarg;
			break;
		case 'c':
			connect = optarg;
			break;
		case 'V':
			hv.virttype = optarg;
			break;
		case 'h':
		default:
			return cli_usage_exit(usage, c);
		}
	}
	if (optind >= argc)
		return cli_usage_error(usage, "baseline needs at least one FILE");
	hv.uri = cli_connect_uri(connect);
	if (hv.domcaps && connect)
		return cli_usage_error(usage, "--hypervisor and --connect exclude each other");
	if (hv.domcaps || hv.uri) {
		hv.bopts.expand_features = bopts.expand_features;
		hv.bopts.migratable = bopts.migratable;
		return cli_baseline_hv(cli, &hv, argc - optind, argv + optind);
	}
	if (test_driver && bopts.migratable)
		return cli_usage_error(usage, "--migratable needs the QEMU driver");
	bopts.qemu = !test_driver;
	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	cs_baseline_init(&b, map, &bopts);
	for (int i = optind; i < argc; i++) {
		if (cs_cpu_read_file(map, argv[i], CS_CPUDEF_AS_HOST, add_cpu, &b, cli_progress,
		                     NULL, &err) < 0) {
			cli_progress_end();
			cli_report(&err);
			ret = err.code == CS_ERR_INCOMPATIBLE ? CLI_NEGATIVE : CLI_BAD;
			goto out;
		}
	}
	cli_progress_end();
	result = cs_baseline_finish(&b, &err);
	if (!result) {
		cli_report(&err);
		ret = err.code == CS_ERR_INCOMPATIBLE || err.code == CS_ERR_UNSUPPORTED ||
		                      err.code == CS_ERR_NONE
		              ? CLI_NEGATIVE
		              : CLI_BAD;
		goto out;
	}
	{
		char *text = cs_cpudef_format(result, 0);

		/* virsh prints one more newline after the element. */
		fputs(text, stdout);
		fputc('\n', stdout);
		free(text);
	}
	ret = CLI_OK;
out:
	cs_cpudef_free(result);
	cs_baseline_release(&b);
	cs_map_free(map);
	return ret;
}
