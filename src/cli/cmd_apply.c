/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_apply.c: the 'apply' command: write a guest <cpu> into a domain XML in place */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/cmd_conn.h"
#include "cli/cmd_cpu.h"
#include "cpuscope/guest.h"
#include "cpuscope/xalloc.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: cpuscope [--map PATH] apply [--dry-run] [--replace] GUEST DOMAIN.xml\n"
	             "       cpuscope [--map PATH] apply --connect URI [-n] [-r] GUEST DOMAIN\n\n"
	             "Write the guest CPU of GUEST (a <cpu> element, or the <cpu> of another\n"
	             "domain XML) into DOMAIN.xml: its <cpu> element is replaced, or added where\n"
	             "libvirt puts it; every other byte of the file stays as it was.  The file is\n"
	             "rewritten atomically (temporary file, fsync, rename): if anything fails the\n"
	             "original is left intact; a symbolic link is followed, a file with several\n"
	             "hard links refused.  A host CPU (a <cpu> with <arch>, e.g. from 'virsh\n"
	             "capabilities') becomes a custom guest CPU requiring all of its features.\n"
	             "What the old <cpu> says about the machine rather than the CPU is kept\n"
	             "when GUEST does not say it: <topology>, <numa>, <cache>, <maxphysaddr>.\n\n"
	             "With --connect, DOMAIN is a domain's name or UUID on that hypervisor: its\n"
	             "persistent definition is defined again through libvirt with only the <cpu>\n"
	             "changed; if libvirt refuses it, the domain stays as it was.  A running\n"
	             "domain gets the new CPU when it is next started.  A file under /etc/libvirt\n"
	             "is libvirt's own copy, which libvirtd does not read while it runs: use\n"
	             "--connect, or 'virsh define' the file after the change.\n\n"
	             "  -c, --connect URI  define DOMAIN through libvirt at URI\n"
	             "  -n, --dry-run      print the new domain XML instead of writing it\n"
	             "  -r, --replace      write GUEST's <cpu> exactly, keeping nothing of the old "
	             "one\n\n"
	             "Exit status: 0 written, 2 bad input, or the file could not be written or\n"
	             "libvirt refused the definition.\n");
}

/* A host CPU as the custom guest CPU that asks for exactly it. */
static struct cs_cpudef *host_as_guest(const struct cs_cpudef *host)
{
	struct cs_cpudef *g = cs_cpudef_new(host->map, host->arch, CS_CPU_TYPE_GUEST);

	cs_cpudef_set_model(g, host->model);
	cs_cpudef_set_vendor(g, host->vendor_idx);
	for (size_t i = 0; i < host->nfeatures; i++)
		if (host->features[i].id >= 0)
			cs_cpudef_set_feature(g, (unsigned)host->features[i].id, CS_POLICY_REQUIRE);
	return g;
}

int cmd_apply(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
	                                     {"connect", required_argument, NULL, 'c'},
	                                     {"replace", no_argument, NULL, 'r'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct cs_cpudef *guest = NULL, *old = NULL;
	struct cs_error err = {0};
	char *buf = NULL, *text = NULL;
	size_t len = 0, text_len = 0;
	bool replace = false;
	struct cs_map *map = NULL;
	bool dry_run = false;
	const char *uri = NULL;
	int c, ret = CLI_BAD;

	optind = 1;
	while ((c = getopt_long(argc, argv, "nrc:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			uri = optarg;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'r':
			replace = true;
			break;
		case 'h':
		default:
			return cli_usage_exit(usage, c);
		}
	}
	if (optind + 2 != argc)
		return cli_usage_error(usage, "apply needs a GUEST file and a DOMAIN.xml");
	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	guest = cmd_load_guest_cpu(map, argv[optind], CS_CPUDEF_STRICT);
	if (!guest)
		goto out;
	if (guest->type == CS_CPU_TYPE_HOST) {
		struct cs_cpudef *g;

		if (!guest->arch || guest->model < 0) {
			cli_error(
			        "%s: a host CPU of an architecture the map lacks cannot be applied",
			        argv[optind]);
			goto out;
		}
		g = host_as_guest(guest);
		cs_cpudef_free(guest);
		guest = g;
	}
	if (uri) {
		ret = cmd_apply_connect(uri, argv[optind + 1], guest, dry_run, replace);
		goto out;
	}
	/* --replace never reads the old <cpu>; the hint offers it only when
	 * the old <cpu> is what failed and the domain itself would take the
	 * new one. */
	if (cs_read_file(argv[optind + 1], CS_MAX_FILE_SIZE, &buf, &len, &err) < 0 ||
	    (!replace && cs_domain_get_cpu(map, buf, len, argv[optind + 1], &old, &err) < 0)) {
		cli_report(&err);
		if (buf && cs_domain_set_cpu(buf, len, argv[optind + 1], guest, &text, &text_len,
		                             NULL) == 0)
			fprintf(stderr, "cpuscope: hint: --replace writes the new <cpu> without "
			                "reading the old one\n");
		goto out;
	}
	if (old && !replace)
		cs_cpudef_keep_layout(guest, old);
	if (cs_domain_set_cpu(buf, len, argv[optind + 1], guest, &text, &text_len, &err) < 0) {
		cli_report(&err);
		goto out;
	}
	if (dry_run) {
		fwrite(text, 1, text_len, stdout);
	} else if (cs_write_file_atomic(argv[optind + 1], text, text_len, &err) < 0) {
		cli_report(&err);
		goto out;
	}
	if (!dry_run)
		cmd_warn_libvirt_file(argv[optind + 1]);
	ret = CLI_OK;
out:
	free(buf);
	free(text);
	cs_cpudef_free(old);
	cs_cpudef_free(guest);
	cs_map_free(map);
	return ret;
}
