/* cmd_export.c: the 'export' command: a guest <cpu> for virt-xml/virt-install or KubeVirt */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_cpu.h"
#include "cpuscope/export.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope [--map PATH] export [--format virt-xml|kubevirt] GUEST\n\n"
	        "Print the guest CPU of GUEST (a <cpu> element or a domain XML) in the form\n"
	        "another tool takes:\n\n"
	        "  virt-xml  (default) the --cpu argument of virt-xml and virt-install that\n"
	        "            builds the same <cpu>, e.g.\n"
	        "              virt-xml vm1 --edit --cpu clearxml=yes,model=Haswell,...\n"
	        "  kubevirt  the spec.domain.cpu of a KubeVirt VirtualMachineInstance (YAML)\n\n"
	        "What the target cannot express is said on standard error.\n\n"
	        "Exit status: 0 printed, 2 bad input.\n");
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *format = "virt-xml";
	struct cs_cpudef *guest = NULL;
	struct cs_map *map = NULL;
	char *text = NULL, *notes = NULL;
	int c, ret = CLI_BAD;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'h':
		default:
			return cli_usage_exit(usage, c);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error(usage, "export needs exactly one GUEST file");
	if (strcmp(format, "virt-xml") && strcmp(format, "kubevirt"))
		return cli_usage_error(usage, "unknown format '%s' (virt-xml or kubevirt)", format);
	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	guest = cmd_load_guest_cpu(map, argv[optind], CS_CPUDEF_AS_GUEST);
	if (!guest)
		goto out;
	if (!strcmp(format, "virt-xml")) {
		text = cs_export_virt_xml(guest, &notes);
		printf("--cpu %s\n", text);
	} else {
		text = cs_export_kubevirt(guest, &notes);
		fputs(text, stdout);
	}
	for (char *line = notes; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		fprintf(stderr, "cpuscope: note: %s\n", line);
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
