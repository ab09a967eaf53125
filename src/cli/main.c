/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* main.c: cpuscope command-line entry point and command dispatch */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cpuscope/version.h"

struct command {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	const char *summary;
};

/* clang-format off */
static const struct command commands[] = {
	{ "models",   cmd_models,   "list CPU models, their tree, which a pool or QEMU runs" },
	{ "show",     cmd_show,     "show one model: vendor, signatures, features and bits" },
	{ "features", cmd_features, "list features with their CPUID/MSR location" },
	{ "convert",  cmd_convert,  "convert a map between libvirt XML and cpuscope YAML" },
	{ "host",     cmd_host,     "describe the host CPU (CPUID, KVM, cpuinfo or a file)" },
	{ "compare",  cmd_compare,  "compare a guest CPU with the host, or a pool (cpu-compare)" },
	{ "baseline", cmd_baseline, "the CPU a pool of hosts can all run (virsh cpu-baseline)" },
	{ "guest",    cmd_guest,    "will the guest start: libvirt's start path, QEMU's word" },
	{ "apply",    cmd_apply,    "write a guest <cpu> into a domain XML, atomically" },
	{ "export",   cmd_export,   "the guest <cpu> for virt-xml, KubeVirt, Proxmox or Nova" },
	{ "mapdiff",  cmd_mapdiff,  "what changed between two CPU maps (a libvirt upgrade)" },
	{ "domains",  cmd_domains,  "a hypervisor's domains and their state, through libvirt" },
	{ "migrate-check", cmd_migrate_check, "can these hosts take a domain's CPU (libvirt's word beside)" },
};
/* clang-format on */

static void usage(FILE *out)
{
	fprintf(out, "usage: cpuscope [--map PATH] [--host FILE | --source cpuid|kvm|cpuinfo]\n"
	             "                [--pool FILE]... [GUEST.xml|DOMAIN.xml]\n"
	             "       cpuscope [--map PATH] COMMAND [ARGS...]\n"
	             "       cpuscope --version | --help\n\n"
	             "Without a command, cpuscope opens the interactive explorer; press ? in it\n"
	             "for every key.\n\n"
	             "Commands (each takes --help):\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nGlobal options:\n"
	             "  --map PATH  CPU map: a libvirt cpu_map/ directory or index.xml, a legacy\n"
	             "              cpu_map.xml, or cpuscope YAML.  Default: $CPUSCOPE_MAP, then\n"
	             "              /usr/share/libvirt/cpu_map, then the bundled map.\n"
	             "  --no-cache  neither read nor write the cache of loaded maps and QEMU's\n"
	             "              answers (under $XDG_CACHE_HOME/cpuscope)\n"
	             "  --version   print the version and the map in use\n\n"
	             "Exit status: 0 ok, 1 a negative answer, 2 bad input.\n");
}

static int print_version(struct cli *cli)
{
	const char *why;
	const char *path = cli_map_path(cli, &why);

	printf("cpuscope %s\n", CPUSCOPE_VERSION);
	printf("map: %s (%s)\n", path ? path : "none found", why);
	return CLI_OK;
}

int main(int argc, char **argv)
{
	struct cli cli = {.argv0 = argv[0]};
	int i = 1;

	/* Global options come before the command name. */
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--map") && i + 1 < argc) {
			cli.map_opt = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--map=", 6)) {
			cli.map_opt = argv[i] + 6;
			i++;
		} else if (!strcmp(argv[i], "--no-cache")) {
			cli.no_cache = true;
			i++;
		} else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			return print_version(&cli);
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return CLI_OK;
		} else if (!strcmp(argv[i], "--map")) {
			cli_error("option '--map' needs a PATH");
			return CLI_BAD;
		} else {
			break; /* a TUI option such as --host or --source */
		}
	}
	if (i < argc && argv[i][0] != '-') {
		for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
			if (!strcmp(argv[i], commands[c].name))
				return commands[c].fn(&cli, argc - i, argv + i);
		/* Not a command: a guest or domain file for the explorer, if it exists. */
		if (access(argv[i], F_OK) != 0) {
			cli_error("unknown command '%s' (see 'cpuscope --help')", argv[i]);
			return CLI_BAD;
		}
	}
	argv[i - 1] = argv[0];
	return cmd_tui(&cli, argc - i + 1, argv + i - 1);
}
