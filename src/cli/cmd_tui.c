/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_tui.c: the interactive explorer entry point: options, then src/tui */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_host.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/pool_conn.h"
#include "cpuscope/xalloc.h"
#include "tui/tui.h"

static void tui_usage(FILE *out)
{
	fprintf(out,
	        "usage: cpuscope [--map PATH] [--host FILE | --source cpuid|kvm|cpuinfo]\n"
	        "                [--pool [NAME=]FILE]... [--no-color] [--no-mouse] [--ascii]\n"
	        "                [GUEST.xml|DOMAIN.xml | [--connect URI] --domain NAME]\n\n"
	        "Opens the interactive explorer: the model tree with host badges, the\n"
	        "feature list, the guest <cpu> editor and the verdict bar.  Press ? inside\n"
	        "for every key.  With a domain XML, saving replaces only its <cpu>.\n\n"
	        "  --host FILE     the host from a file: virsh capabilities or domcapabilities,\n"
	        "                  a <cpu> element, a libvirt CPUID dump or 'cpuid -r' output\n"
	        "  --source S      probe the host by cpuid (default, with KVM when /dev/kvm is\n"
	        "                  usable), kvm, or cpuinfo\n"
	        "  --pool FILE     hosts the guest must also run on (repeatable): <cpu>\n"
	        "                  elements one after another, capabilities, domcapabilities,\n"
	        "                  CPUID dumps, cpuid -r or cpuinfo; p shows each host's verdict,\n"
	        "                  B makes the guest the pool's baseline; NAME=FILE labels\n"
	        "                  the file's hosts NAME; a file given twice counts once\n"
	        "  --connect URI   the host is this libvirt connection's (its capabilities and\n"
	        "                  domcapabilities) and o lists its domains (default:\n"
	        "                  $LIBVIRT_DEFAULT_URI; with --domain, else libvirt's own "
	        "choice)\n"
	        "  --domain NAME   open the domain's persistent <cpu> (NAME or UUID) through\n"
	        "                  libvirt; w defines the domain again with only its <cpu>\n"
	        "                  changed (a running domain gets it at its next start); the\n"
	        "                  host is then the connection's, o lists its domains\n"
	        "  --migrate-to URI  with --domain: a migration destination (repeatable; a\n"
	        "                  --pool URI is one too); T shows whether each can take the\n"
	        "                  domain's CPU, as migrate-check says, best first\n"
	        "  --no-color      monochrome (also when NO_COLOR is set or TERM=dumb)\n"
	        "  --no-mouse      do not capture the mouse\n"
	        "  --ascii         ASCII line drawing (default where the locale is not UTF-8)\n");
}

/* The value of option argv[*i] ("--opt VALUE" or "--opt=VALUE"), or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int cmd_tui(struct cli *cli, int argc, char **argv)
{
	struct tui_opts o = {0};
	const char *v, *connect = NULL, *domain = NULL;
	char *ref = NULL;
	char **pool = NULL, **labels = NULL;
	const char **to = NULL;
	size_t pool_cap = 0, labels_cap = 0, to_cap = 0;
	int ret = CLI_BAD;

	setlocale(LC_ALL, "");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			tui_usage(stdout);
			ret = CLI_OK;
			goto out;
		} else if ((v = opt_value(argc, argv, &i, "--host"))) {
			o.host_file = v;
		} else if ((v = opt_value(argc, argv, &i, "--source"))) {
			if (strcmp(v, "cpuid") && strcmp(v, "kvm") && strcmp(v, "cpuinfo")) {
				cli_error("--source takes cpuid, kvm or cpuinfo, not '%s'", v);
				goto out;
			}
			o.host_source = v;
		} else if ((v = opt_value(argc, argv, &i, "--pool"))) {
			const char *eq = strchr(v, '=');
			CS_GROW(pool, pool_cap, o.npool + 1);
			CS_GROW(labels, labels_cap, o.npool + 1);
			labels[o.npool] = NULL;
			/* NAME=FILE, unless the whole of it is a file's name */
			if (eq && eq > v && !memchr(v, '/', (size_t)(eq - v)) && access(v, F_OK)) {
				labels[o.npool] = cs_xstrndup(v, (size_t)(eq - v));
				v = eq + 1;
			}
			pool[o.npool++] = (char *)v;
			if (cs_pool_is_uri(v)) { /* a libvirt host is a destination too */
				CS_GROW(to, to_cap, o.nmigrate_to + 1);
				to[o.nmigrate_to++] = v;
			}
		} else if ((v = opt_value(argc, argv, &i, "--migrate-to"))) {
			if (!cs_pool_is_uri(v)) {
				cli_error("--migrate-to takes a libvirt URI, not '%s'", v);
				goto out;
			}
			CS_GROW(to, to_cap, o.nmigrate_to + 1);
			to[o.nmigrate_to++] = v;
		} else if ((v = opt_value(argc, argv, &i, "--connect"))) {
			connect = v;
		} else if ((v = opt_value(argc, argv, &i, "--domain"))) {
			domain = v;
		} else if ((v = opt_value(argc, argv, &i, "--map"))) {
			cli->map_opt = v;
		} else if (!strcmp(a, "--no-color") || !strcmp(a, "--no-colour")) {
			o.no_color = true;
		} else if (!strcmp(a, "--no-mouse")) {
			o.no_mouse = true;
		} else if (!strcmp(a, "--ascii")) {
			o.ascii = true;
		} else if ((v = opt_value(argc, argv, &i, "--keys"))) {
			o.keys_file = v;
		} else if ((v = opt_value(argc, argv, &i, "--dump-screen"))) {
			o.dump_file = v;
		} else if ((v = opt_value(argc, argv, &i, "--size"))) {
			char end;
			if (sscanf(v, "%dx%d%c", &o.cols, &o.rows, &end) != 2 || o.cols < 1 ||
			    o.rows < 1 || o.cols > 1000 || o.rows > 1000) {
				cli_error("--size takes COLSxROWS, 1 to 1000 each, not '%s'", v);
				goto out;
			}
		} else if (a[0] == '-' && a[1]) {
			cli_error("unknown option '%s' (see 'cpuscope --help')", a);
			goto out;
		} else if (!o.guest_file) {
			o.guest_file = a;
		} else {
			cli_error("one guest or domain file at most");
			goto out;
		}
	}
	if (o.host_file && o.host_source) {
		cli_error("--host and --source exclude each other");
		goto out;
	}
	if (domain) {
		/* the guest is the domain's persistent <cpu>, saved through libvirt */
		const char *uri = cli_connect_uri(connect);
		size_t n = (uri ? strlen(uri) : 0) + strlen(domain) + 2;

		if (o.guest_file) {
			cli_error("give --domain or a guest file, not both");
			goto out;
		}
		ref = cs_xmalloc(n);
		snprintf(ref, n, "%s#%s", uri ? uri : "", domain);
		o.guest_file = ref;
	}
	if (!domain)
		o.connect_uri = cli_connect_uri(connect);
	o.no_cache = cli->no_cache;
	o.map = cli_load_map(cli);
	if (!o.map)
		goto out;
	o.pool_files = pool;
	o.pool_labels = labels;
	o.migrate_to = to;
	ret = tui_run(&o);
	cs_map_free(o.map);
out:
	for (size_t i = 0; i < o.npool; i++)
		free(labels[i]);
	free(labels);
	free(ref);
	free(pool);
	free(to);
	return ret;
}
