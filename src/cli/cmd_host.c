/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_host.c: the 'host' command: the host CPU as libvirt describes it */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_host.h"
#include "cpuscope/host.h"

static void host_usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope host [--source cpuid|kvm|cpuinfo] [--from FILE] [--connect URI]\n"
	        "                     [--format xml|text|cpudata] [--host-model | --guest]\n\n"
	        "Describe the host CPU the way libvirt 9.0 does.\n\n"
	        "  --source cpuid    the CPUID instruction, enumerated as libvirt does, plus\n"
	        "                    IA32_ARCH_CAPABILITIES when readable (default)\n"
	        "  --source kvm      what KVM can give a guest (/dev/kvm system ioctls)\n"
	        "  --source cpuinfo  the flags of /proc/cpuinfo, translated to libvirt names\n"
	        "  --from FILE       read the host from FILE instead; detected by content: a\n"
	        "                    libvirt CPUID dump, `cpuid -r` output, a /proc/cpuinfo copy,\n"
	        "                    virsh capabilities or domcapabilities, or a <cpu> element\n"
	        "  --format xml      the host <cpu> as in `virsh capabilities` (default)\n"
	        "  --format text     a readable report: per feature, whether the CPU has it and\n"
	        "                    whether KVM can expose it\n"
	        "  --format cpudata  the raw CPUID/MSR data as a libvirt CPUID dump\n"
	        "  -c, --connect URI the host of this libvirt connection: its 'virsh\n"
	        "                    capabilities' (with --host-model its domcapabilities);\n"
	        "                    default $LIBVIRT_DEFAULT_URI when neither --source nor\n"
	        "                    --from is given, else this machine\n"
	        "  --host-model      the host-model CPU as `virsh domcapabilities` lists it\n"
	        "                    (from the kvm source unless --source or --from is given)\n"
	        "  --guest           the guest-type decode (libvirt's -guest.xml test form)\n"
	        "  --no-fallback     fail instead of falling back to another source\n\n"
	        "When a source is unavailable (no /dev/kvm, not x86) cpuscope falls back\n"
	        "kvm -> cpuid -> cpuinfo and says so on stderr.\n"
	        "Exit status: 0 ok, 1 the host could not be probed or decoded, 2 bad usage or\n"
	        "bad input file.\n");
}

enum out_format { FMT_XML, FMT_TEXT, FMT_CPUDATA };

static void print_notes(const struct cs_host *h)
{
	const char *p = h->notes;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(stderr, "cpuscope: note: %.*s\n", n, p);
		p = nl ? nl + 1 : p + n;
	}
}

/* What 'cpuscope host' was asked for. */
struct host_args {
	const char *from;
	const char *connect;
	enum cs_host_source source;
	bool source_given, host_model, guest, no_fallback;
	enum out_format fmt;
};

static int parse_args(int argc, char **argv, struct host_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *val = NULL;

		if ((!strcmp(arg, "--connect") || !strcmp(arg, "-c")) && i + 1 < argc) {
			a->connect = argv[++i];
			continue;
		}
		if ((!strcmp(arg, "--source") || !strcmp(arg, "--from") ||
		     !strcmp(arg, "--format"))) {
			if (i + 1 >= argc) {
				cli_error("option '%s' needs a value", arg);
				return -1;
			}
			val = argv[++i];
		} else if (!strncmp(arg, "--source=", 9) || !strncmp(arg, "--format=", 9)) {
			val = arg + 9;
		} else if (!strncmp(arg, "--from=", 7)) {
			val = arg + 7;
		}
		if (!strncmp(arg, "--source", 8) && val) {
			if (cs_host_source_parse(val, &a->source) < 0) {
				cli_error("unknown source '%s' (expected cpuid, kvm or cpuinfo)",
				          val);
				return -1;
			}
			a->source_given = true;
		} else if (!strncmp(arg, "--from", 6) && val) {
			a->from = val;
		} else if (!strncmp(arg, "--format", 8) && val) {
			if (!strcmp(val, "xml"))
				a->fmt = FMT_XML;
			else if (!strcmp(val, "text"))
				a->fmt = FMT_TEXT;
			else if (!strcmp(val, "cpudata"))
				a->fmt = FMT_CPUDATA;
			else {
				cli_error("unknown format '%s' (expected xml, text or cpudata)",
				          val);
				return -1;
			}
		} else if (!strcmp(arg, "--host-model")) {
			a->host_model = true;
		} else if (!strcmp(arg, "--guest")) {
			a->guest = true;
		} else if (!strcmp(arg, "--no-fallback")) {
			a->no_fallback = true;
		} else {
			cli_error("unknown argument '%s' (see 'cpuscope host --help')", arg);
			return -1;
		}
	}
	if (a->from && a->source_given) {
		cli_error("--source and --from cannot be used together");
		return -1;
	}
	if (a->host_model && a->guest) {
		cli_error("--host-model and --guest cannot be used together");
		return -1;
	}
	return 0;
}

/* The host a connection describes: its capabilities, or with host_model
 * its domcapabilities (libvirt's default domain type). */
static struct cs_host *host_from_conn(const struct cs_map *map, const char *uri, bool host_model)
{
	struct cs_error err = {0};
	struct cs_conn *c = NULL;
	struct cs_host *host = NULL;
	const char *text;

	if (cs_conn_open(uri, host_model ? 0 : CS_CONN_READONLY, &c, &err) == 0) {
		text = host_model ? cs_conn_domcapabilities(c, NULL, &err)
		                  : cs_conn_capabilities(c, &err);
		if (text)
			host = cs_host_parse(map, text, strlen(text), cs_conn_uri(c), &err);
	}
	if (!host)
		cli_report(&err);
	cs_conn_free(c);
	return host;
}

int cmd_host(struct cli *cli, int argc, char **argv)
{
	struct host_args a = {.source = CS_HOST_SOURCE_CPUID, .fmt = FMT_XML};
	struct cs_map *map = NULL;
	struct cs_host *host = NULL;
	struct cs_error err = {0};
	struct cs_decoded dec;
	char *text = NULL;
	int ret = CLI_BAD;

	if (cli_wants_help(argc, argv)) {
		host_usage(stdout);
		return CLI_OK;
	}
	if (parse_args(argc, argv, &a) < 0)
		return CLI_BAD;

	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	if (!a.from && !a.source_given && cli_connect_uri(a.connect)) {
		host = host_from_conn(map, cli_connect_uri(a.connect), a.host_model);
		if (!host)
			goto out;
	} else if (a.from) {
		host = cs_host_load(map, a.from, &err);
		if (!host) {
			cli_report(&err);
			goto out;
		}
	} else {
		struct cs_probe_env env = {.no_fallback = a.no_fallback};

		if (a.host_model && !a.source_given)
			a.source = CS_HOST_SOURCE_KVM;
		/* The text report shows the KVM column next to the CPU's own. */
		env.with_kvm = a.fmt == FMT_TEXT;
		host = cs_host_probe(map, a.source, &env, &err);
		if (!host) {
			cli_report(&err);
			ret = CLI_NEGATIVE;
			goto out;
		}
	}
	print_notes(host);

	ret = CLI_NEGATIVE;
	if (a.fmt == FMT_CPUDATA) {
		if (!host->has_data) {
			cli_error("this source carries no raw CPUID data (%s)",
			          host->source == CS_HOST_SOURCE_FILE
			                  ? cs_host_file_name(host->file_kind)
			                  : cs_host_source_name(host->source));
			goto out;
		}
		text = cs_cpudata_format_xml(&host->data, host->brand);
	} else if (a.fmt == FMT_TEXT) {
		text = cs_host_format_text(host);
	} else if (a.host_model) {
		if (cs_host_model(host, &dec, &err) < 0) {
			cli_report(&err);
			goto out;
		}
		text = cs_decoded_format_xml(host->arch, &dec, CS_CPU_XML_HOST_MODEL,
		                             host->arch_name);
	} else if (a.guest) {
		if (cs_host_decode_guest(host, &dec, &err) < 0) {
			cli_report(&err);
			goto out;
		}
		text = cs_decoded_format_xml(host->arch, &dec, CS_CPU_XML_GUEST, host->arch_name);
	} else {
		if (cs_host_decode(host, &dec, &err) < 0) {
			cli_report(&err);
			goto out;
		}
		text = cs_decoded_format_xml(host->arch, &dec, CS_CPU_XML_HOST, host->arch_name);
	}
	fputs(text, stdout);
	ret = CLI_OK;
out:
	free(text);
	cs_host_free(host);
	cs_map_free(map);
	return ret;
}
