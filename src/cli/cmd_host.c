/* cmd_host.c: the 'host' command: the host CPU as libvirt describes it */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cpuscope/host.h"

static void host_usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope host [--source cpuid|kvm|cpuinfo] [--from FILE]\n"
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

int cmd_host(struct cli *cli, int argc, char **argv)
{
	const char *from = NULL;
	enum cs_host_source source = CS_HOST_SOURCE_CPUID;
	bool source_given = false, host_model = false, guest = false, no_fallback = false;
	enum out_format fmt = FMT_XML;
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
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;

		if ((!strcmp(a, "--source") || !strcmp(a, "--from") || !strcmp(a, "--format"))) {
			if (i + 1 >= argc) {
				cli_error("option '%s' needs a value", a);
				return CLI_BAD;
			}
			val = argv[++i];
		} else if (!strncmp(a, "--source=", 9) || !strncmp(a, "--format=", 9)) {
			val = a + 9;
		} else if (!strncmp(a, "--from=", 7)) {
			val = a + 7;
		}
		if (!strncmp(a, "--source", 8) && val) {
			if (cs_host_source_parse(val, &source) < 0) {
				cli_error("unknown source '%s' (expected cpuid, kvm or cpuinfo)",
				          val);
				return CLI_BAD;
			}
			source_given = true;
		} else if (!strncmp(a, "--from", 6) && val) {
			from = val;
		} else if (!strncmp(a, "--format", 8) && val) {
			if (!strcmp(val, "xml"))
				fmt = FMT_XML;
			else if (!strcmp(val, "text"))
				fmt = FMT_TEXT;
			else if (!strcmp(val, "cpudata"))
				fmt = FMT_CPUDATA;
			else {
				cli_error("unknown format '%s' (expected xml, text or cpudata)",
				          val);
				return CLI_BAD;
			}
		} else if (!strcmp(a, "--host-model")) {
			host_model = true;
		} else if (!strcmp(a, "--guest")) {
			guest = true;
		} else if (!strcmp(a, "--no-fallback")) {
			no_fallback = true;
		} else {
			cli_error("unknown argument '%s' (see 'cpuscope host --help')", a);
			return CLI_BAD;
		}
	}
	if (from && source_given) {
		cli_error("--source and --from cannot be used together");
		return CLI_BAD;
	}
	if (host_model && guest) {
		cli_error("--host-model and --guest cannot be used together");
		return CLI_BAD;
	}

	map = cli_load_map(cli);
	if (!map)
		return CLI_BAD;
	if (from) {
		host = cs_host_load(map, from, &err);
		if (!host) {
			cli_report(&err);
			goto out;
		}
	} else {
		struct cs_probe_env env = {.no_fallback = no_fallback};

		if (host_model && !source_given)
			source = CS_HOST_SOURCE_KVM;
		/* The text report shows the KVM column next to the CPU's own. */
		env.with_kvm = fmt == FMT_TEXT;
		host = cs_host_probe(map, source, &env, &err);
		if (!host) {
			cli_report(&err);
			ret = CLI_NEGATIVE;
			goto out;
		}
	}
	print_notes(host);

	ret = CLI_NEGATIVE;
	if (fmt == FMT_CPUDATA) {
		if (!host->has_data) {
			cli_error("this source carries no raw CPUID data (%s)",
			          host->source == CS_HOST_SOURCE_FILE
			                  ? cs_host_file_name(host->file_kind)
			                  : cs_host_source_name(host->source));
			goto out;
		}
		text = cs_cpudata_format_xml(&host->data, host->brand);
	} else if (fmt == FMT_TEXT) {
		text = cs_host_format_text(host);
	} else if (host_model) {
		if (cs_host_model(host, &dec, &err) < 0) {
			cli_report(&err);
			goto out;
		}
		text = cs_decoded_format_xml(host->arch, &dec, CS_CPU_XML_HOST_MODEL,
		                             host->arch_name);
	} else if (guest) {
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
