/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_export.c: the 'export' command: a guest <cpu> in another tool's form */
#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_cpu.h"
#include "cpuscope/escape.h"
#include "cpuscope/export.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope [--map PATH] export [--format virt-xml|kubevirt|proxmox|nova]\n"
	        "                                    [--name NAME] GUEST\n\n"
	        "Print the guest CPU of GUEST (a <cpu> element or a domain XML) in the form\n"
	        "another tool takes:\n\n"
	        "  virt-xml  (default) the --cpu argument of virt-xml and virt-install that\n"
	        "            builds the same <cpu>, e.g.\n"
	        "              virt-xml vm1 --edit --cpu clearxml=yes,model=Haswell,...\n"
	        "  kubevirt  the spec.domain.cpu of a KubeVirt VirtualMachineInstance (YAML)\n"
	        "  proxmox   a custom CPU model for Proxmox VE's cpu-models.conf (QEMU's\n"
	        "            model and flags) and the qm command that gives it to a VM;\n"
	        "            --name names the model (default: GUEST's file name)\n"
	        "  nova      the [libvirt] section of OpenStack Nova's nova.conf (cpu_mode,\n"
	        "            cpu_models, cpu_model_extra_flags) and the flavor's topology\n\n"
	        "What the target cannot express is said on standard error.\n\n"
	        "Exit status: 0 printed, 2 bad input or a guest the format cannot express.\n");
}

static bool proxmox_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 40 || !isalpha((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

/* A Proxmox model name from a file name: its base name without .xml, with
 * what a name cannot hold as '-', and "guest-" before it unless it starts
 * with a letter. */
static const char *name_of_file(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n = 0;

	base = base ? base + 1 : path;
	if (!isalpha((unsigned char)*base)) {
		memcpy(buf, "guest-", 6);
		n = 6;
	}
	for (const char *s = base; *s && n + 1 < size && n < 40; s++) {
		if (!strcmp(s, ".xml"))
			break;
		buf[n++] = isalnum((unsigned char)*s) || strchr("-_.", *s) ? *s : '-';
	}
	if (n == 6 && !isalpha((unsigned char)*base))
		n = 5; /* nothing after "guest-" */
	buf[n] = '\0';
	return buf;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *format = "virt-xml", *name = NULL;
	char pname[64];
	struct cs_cpudef *guest = NULL;
	struct cs_map *map = NULL;
	char *text = NULL, *notes = NULL;
	bool px = false;
	int c, ret = CLI_BAD;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'h':
		default:
			return cli_usage_exit(usage, c);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(usage, "export needs exactly one GUEST file");
	if (strcmp(format, "virt-xml") && strcmp(format, "kubevirt") && strcmp(format, "proxmox") &&
	    strcmp(format, "nova"))
		return cli_usage_error(
		        usage, "unknown format '%s' (virt-xml, kubevirt, proxmox or nova)", format);
	if (name && !proxmox_name_ok(name))
		return cli_usage_error(usage,
		                       "--name takes 1 to 40 letters, digits, '-', '_' or '.', "
		                       "starting with a letter: '%s'",
		                       name);
	if (!name)
		name = name_of_file(argv[optind], pname, sizeof(pname));
	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	guest = cmd_load_guest_cpu(map, argv[optind], CS_CPUDEF_AS_GUEST);
	if (!guest)
		goto out;
	if (!strcmp(format, "virt-xml")) {
		text = cs_export_virt_xml(guest, &notes);
	} else if (!strcmp(format, "kubevirt")) {
		text = cs_export_kubevirt(guest, &notes);
	} else {
		px = !strcmp(format, "proxmox");
		text = px ? cs_export_proxmox(guest, name, &notes) : cs_export_nova(guest, &notes);
	}
	if (!text) {
		char *why = cs_term_text(notes ? strtok(notes, "\n") : "");

		cli_error("%s: no %s form: %s", argv[optind],
		          !strcmp(format, "virt-xml")   ? "virt-xml"
		          : !strcmp(format, "kubevirt") ? "KubeVirt"
		          : px                          ? "Proxmox"
		                                        : "Nova",
		          why);
		free(why);
		goto out;
	}
	if (!strcmp(format, "virt-xml")) {
		/* One shell word: the line is pasted into a shell. */
		char *word = cs_shell_quote(text);

		printf("--cpu %s\n", word);
		free(word);
	} else {
		fputs(text, stdout);
	}
	for (char *line = notes; line && *line;) {
		char *nl = strchr(line, '\n');
		char *shown;

		if (nl)
			*nl = '\0';
		shown = cs_term_text(line);
		fprintf(stderr, "cpuscope: note: %s\n", shown);
		free(shown);
		line = nl ? nl + 1 : line + strlen(line);
	}
	ret = CLI_OK;
out:
	free(text);
	free(notes);
	cs_cpudef_free(guest);
	cs_map_free(map);
	return ret;
}
