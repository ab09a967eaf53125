/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_conn.c: the 'domains' command and 'apply --connect': domains through libvirt */
#include "cli/cmd_conn.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/cli.h"
#include "cpuscope/conn.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: cpuscope domains [--connect URI] [--json]\n\n"
	             "List the domains of a hypervisor through libvirt, active or not, with\n"
	             "their state, whether they are persistent (defined) and their UUID.\n\n"
	             "  -c, --connect URI  the hypervisor (default: libvirt's own choice, which\n"
	             "                     honours $LIBVIRT_DEFAULT_URI)\n"
	             "  --json             one JSON object: uri, hostname, domains\n\n"
	             "Exit status: 0 listed, 2 bad usage or libvirt cannot be reached.\n");
}

static void print_json(struct cs_conn *c, const char *host, const struct cs_conn_domain *d,
                       size_t n)
{
	struct json_object *o = json_object_new_object();
	struct json_object *list = json_object_new_array();

	json_object_object_add(o, "uri", json_object_new_string(cs_conn_uri(c)));
	json_object_object_add(o, "hostname", host ? json_object_new_string(host) : NULL);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "name", json_object_new_string(d[i].name));
		json_object_object_add(e, "uuid", json_object_new_string(d[i].uuid));
		json_object_object_add(e, "state",
		                       json_object_new_string(cs_dom_state_name(d[i].state)));
		json_object_object_add(e, "active", json_object_new_boolean(d[i].active));
		json_object_object_add(e, "persistent", json_object_new_boolean(d[i].persistent));
		json_object_array_add(list, e);
	}
	json_object_object_add(o, "domains", list);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED |
	                                               JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_text(struct cs_conn *c, const char *host, const struct cs_conn_domain *d,
                       size_t n)
{
	int w = 4;

	for (size_t i = 0; i < n; i++)
		if ((int)strlen(d[i].name) > w)
			w = (int)strlen(d[i].name);
	printf("%zu domain%s on %s (%s)\n", n, n == 1 ? "" : "s", cs_conn_uri(c),
	       host ? host : "host name unknown");
	if (!n)
		return;
	printf("%-*s  %-11s  %-10s  %s\n", w, "NAME", "STATE", "PERSISTENT", "UUID");
	for (size_t i = 0; i < n; i++)
		printf("%-*s  %-11s  %-10s  %s\n", w, d[i].name, cs_dom_state_name(d[i].state),
		       d[i].persistent ? "yes" : "no", d[i].uuid);
}

int cmd_domains(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"connect", required_argument, NULL, 'c'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct cs_conn_domain *doms = NULL;
	struct cs_error err = {0};
	struct cs_conn *c = NULL;
	const char *uri = NULL, *host;
	bool json = false;
	size_t n = 0;
	int o, ret = CLI_BAD;

	(void)cli;
	optind = 1;
	while ((o = getopt_long(argc, argv, "c:jh", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			uri = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
		default:
			return cli_usage_exit(usage, o);
		}
	}
	if (optind != argc)
		return cli_usage_error(usage, "domains takes no operand");
	if (cs_conn_open(uri, CS_CONN_READONLY, &c, &err) < 0 ||
	    cs_conn_list_domains(c, &doms, &n, &err) < 0) {
		cli_report(&err);
		goto out;
	}
	host = cs_conn_hostname(c, NULL);
	if (json)
		print_json(c, host, doms, n);
	else
		print_text(c, host, doms, n);
	ret = CLI_OK;
out:
	cs_conn_domains_free(doms, n);
	cs_conn_free(c);
	return ret;
}

/* ---- apply --connect ---------------------------------------------------------- */

int cmd_apply_connect(const char *uri, const char *domain, const struct cs_cpudef *guest,
                      bool dry_run, bool replace)
{
	unsigned flags = replace ? 0 : CS_CONN_KEEP_LAYOUT;
	struct cs_conn_defined res = {0};
	struct cs_error err = {0};
	struct cs_conn *c = NULL;
	char *xml = NULL;
	size_t len = 0;
	int ret = CLI_BAD;

	if (cs_conn_open(uri, dry_run ? CS_CONN_READONLY : 0, &c, &err) < 0) {
		cli_report(&err);
		return CLI_BAD;
	}
	if (dry_run) {
		if (cs_conn_domain_with_cpu(c, domain, guest, flags, &xml, &len, &err) < 0) {
			cli_report(&err);
			goto out;
		}
		fwrite(xml, 1, len, stdout);
		ret = CLI_OK;
		goto out;
	}
	if (cs_conn_define_cpu(c, domain, guest, flags, &res, &err) < 0) {
		cli_report(&err);
		fprintf(stderr, "cpuscope: domain %s is unchanged\n", domain);
		goto out;
	}
	printf("domain %s defined on %s with %s\n", domain, cs_conn_uri(c),
	       res.changed ? "the new <cpu>" : "the same <cpu> as before");
	if (res.running && res.changed)
		printf("domain %s is running: it gets the new CPU when it is next started (shut "
		       "down, then started; a reboot inside the guest keeps the CPU it has)\n",
		       domain);
	ret = CLI_OK;
out:
	free(xml);
	cs_conn_defined_release(&res);
	cs_conn_free(c);
	return ret;
}

void cmd_warn_libvirt_file(const char *path)
{
	/* $CPUSCOPE_LIBVIRT_ETC stands for /etc/libvirt in the tests. */
	const char *etc = getenv("CPUSCOPE_LIBVIRT_ETC");
	char real[PATH_MAX], top[PATH_MAX];
	char driver[64] = "";
	const char *rest, *slash;
	size_t n;

	if (!etc || !*etc)
		etc = "/etc/libvirt";
	if (!realpath(etc, top) || !realpath(path, real))
		return;
	n = strlen(top);
	if (strncmp(real, top, n) != 0 || real[n] != '/')
		return;
	/* NAME.xml under qemu/ belongs to the system QEMU driver. */
	rest = real + n + 1;
	slash = strchr(rest, '/');
	if (slash && (size_t)(slash - rest) < sizeof(driver) - 16)
		snprintf(driver, sizeof(driver), " -c %.*s:///system", (int)(slash - rest), rest);
	fprintf(stderr,
	        "cpuscope: warning: %s is libvirt's own copy of a definition: libvirtd does not "
	        "read it while it runs, and may write over it\n"
	        "cpuscope: warning: to make libvirt take the change: virsh%s define %s\n",
	        real, driver, real);
}
