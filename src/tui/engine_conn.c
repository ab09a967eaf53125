/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_conn.c: open and save the explorer's guest as a libvirt domain through the connection */
#include "tui/engine_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/conn.h"
#include "cpuscope/start.h"
#include "cpuscope/xalloc.h"
#include "tui/engine.h"
#include "tui/engine_start.h"

/* The explorer opens one guest at a time, from its one thread. */
static char last_note[160];

const char *engine_conn_note(void)
{
	return last_note;
}

bool engine_is_domain_ref(const char *path)
{
	const char *hash = path ? strrchr(path, '#') : NULL;

	return hash && hash[1] && (hash == path || strstr(path, "://"));
}

/* Split "URI#NAME": *uri is NULL for libvirt's default.  Frees nothing;
 * the caller frees *uri. */
static const char *split_ref(const char *ref, char **uri)
{
	const char *hash = strrchr(ref, '#');

	*uri = hash == ref ? NULL : cs_xstrndup(ref, (size_t)(hash - ref));
	return hash + 1;
}

/* The explorer's one connection to its host, and the target it was asked
 * about (the open domain's). */
static struct cs_conn *host_conn;
static struct cs_conn_target host_target;
static char host_ref[512]; /* the URI#NAME it was opened for */

/* A connection to uri: the host's own when it is to the same URI (a remote
 * host is not reached twice), else a new one (*own then says so). */
static struct cs_conn *conn_to(const char *uri, bool *own, struct cs_error *err)
{
	struct cs_conn *c = NULL;

	*own = false;
	if (host_conn && uri && !strcmp(uri, cs_conn_uri(host_conn)))
		return host_conn;
	if (cs_conn_open(uri, 0, &c, err) < 0)
		return NULL;
	*own = true;
	return c;
}

int engine_conn_load_guest(const struct cs_map *map, const char *ref, struct cs_cpudef **defp,
                           bool *is_domain, unsigned *vcpus, struct cs_error *err)
{
	struct cs_conn_domxml dx = {0};
	struct cs_cpudef **defs = NULL;
	struct cs_domain_info info;
	struct cs_conn *c = NULL;
	size_t ndefs = 0;
	char *uri;
	const char *name = split_ref(ref, &uri);
	bool own = false;
	int ret = -1;

	*defp = NULL;
	*vcpus = 0;
	*is_domain = true;
	c = conn_to(uri, &own, err);
	if (!c || cs_conn_get_domain(c, name, &dx, err) < 0)
		goto out;
	if (!dx.persistent) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, ref, 0,
		             "domain %s is transient: it has no definition to save", name);
		goto out;
	}
	if (cs_cpudef_parse(map, dx.persistent, strlen(dx.persistent), ref,
	                    CS_CPUDEF_AS_GUEST | CS_CPUDEF_FIRST, &defs, &ndefs, err) < 0)
		goto out;
	if (!defs[0]->arch || defs[0]->model_name) {
		cs_error_set(err, CS_ERR_UNKNOWN, ref, defs[0]->line, "unknown CPU model %s",
		             defs[0]->model_name ? defs[0]->model_name : "");
		goto out;
	}
	if (cs_domain_info_parse(dx.persistent, strlen(dx.persistent), ref, &info, NULL) == 0)
		*vcpus = info.vcpus;
	*defp = defs[0];
	defs[0] = NULL;
	snprintf(last_note, sizeof(last_note), "%s",
	         !dx.info.active ? ""
	         : dx.cpu_differs
	                 ? "; it runs with another <cpu> (libvirt's expansion or an earlier one)"
	                 : "; it runs: a saved change applies at its next start");
	ret = 0;
out:
	cs_cpudef_list_free(defs, ndefs);
	cs_conn_domxml_release(&dx);
	if (own)
		cs_conn_free(c);
	free(uri);
	return ret;
}

int engine_conn_save_guest(const struct cs_cpudef *def, const char *ref, struct cs_error *err)
{
	char *uri;
	const char *name = split_ref(ref, &uri);
	bool own;
	struct cs_conn *c = conn_to(uri, &own, err);
	int ret = -1;

	if (c && cs_conn_define_cpu(c, name, def, CS_CONN_KEEP_LAYOUT, NULL, err) == 0)
		ret = 0;
	if (own)
		cs_conn_free(c);
	free(uri);
	return ret;
}

/* ---- the connection's host ------------------------------------------------ */

struct cs_conn *engine_conn_current(void)
{
	return host_conn;
}

static const char *const *dest_uris;
static size_t ndests;

void engine_conn_set_dests(const char *const *uris, size_t n)
{
	dest_uris = uris;
	ndests = n;
}

size_t engine_conn_dests(const char *const **uris)
{
	*uris = dest_uris;
	return ndests;
}

const char *engine_conn_ref(void)
{
	return host_conn ? host_ref : "";
}

const struct cs_conn_target *engine_conn_current_target(void)
{
	return host_conn ? &host_target : NULL;
}

void engine_conn_close(void)
{
	cs_conn_free(host_conn);
	host_conn = NULL;
	cs_conn_target_release(&host_target);
	host_ref[0] = '\0';
}

/* The first <cpu> of a document libvirt gave, or NULL with the reason in why. */
static struct cs_cpudef *first_cpu(const struct cs_map *map, const char *doc, const char *name,
                                   char *why, size_t size)
{
	struct cs_cpudef **defs = NULL, *def = NULL;
	struct cs_error err = {0};
	size_t n = 0;

	if (doc &&
	    cs_cpudef_parse(map, doc, strlen(doc), name, CS_CPUDEF_FIRST, &defs, &n, &err) == 0) {
		def = defs[0];
		defs[0] = NULL;
	}
	cs_cpudef_list_free(defs, n);
	if (!def)
		snprintf(why, size, "%s: %s", name, err.msg);
	return def;
}

int engine_conn_probe(const struct cs_map *map, const struct cs_arch *arch, const char *ref,
                      struct app_host *cpu, struct app_host *kvm, char *label, size_t size,
                      struct cs_error *err)
{
	struct cs_conn_domxml dx = {0};
	struct cs_cpudef *def;
	const char *caps, *domcaps, *host;
	char *uri, why[600];
	const char *name = split_ref(ref, &uri);
	int ret = -1;

	engine_conn_close();
	/* "URI#" (no domain): the connection's host for libvirt's default
	 * domain type, emulator and machine */
	if (cs_conn_open(uri, 0, &host_conn, err) < 0 ||
	    (*name && cs_conn_get_domain(host_conn, name, &dx, err) < 0))
		goto out;
	if (dx.persistent && cs_conn_target_from_domain(dx.persistent, strlen(dx.persistent), name,
	                                                &host_target, err) < 0)
		goto out;
	caps = cs_conn_capabilities(host_conn, err);
	def = first_cpu(map, caps, "capabilities", why, sizeof(why));
	engine_host_set(cpu, arch, &def, "capabilities", why);
	cs_cpudef_free(def);
	domcaps = cs_conn_domcapabilities(host_conn, &host_target, err);
	def = first_cpu(map, domcaps, "domcapabilities", why, sizeof(why));
	engine_host_set(kvm, arch, &def, "domcapabilities", why);
	cs_cpudef_free(def);
	snprintf(host_ref, sizeof(host_ref), "%s", ref);
	host = cs_conn_hostname(host_conn, NULL);
	snprintf(label, size, "%s on %s", cs_conn_uri(host_conn),
	         host ? host : "(host name unknown)");
	ret = 0;
out:
	if (ret < 0)
		engine_conn_close();
	cs_conn_domxml_release(&dx);
	free(uri);
	return ret;
}

void engine_conn_start_setup(struct engine_start *s, const struct cs_map *map)
{
	const char *caps, *domcaps;
	struct cs_cpudef **defs = NULL;
	struct cs_hypervisor own;
	struct cs_error err = {0};
	size_t n = 0;

	if (!host_conn)
		return;
	/* what cs_conn_hypervisor builds, built here so that s owns it */
	domcaps = cs_conn_domcapabilities(host_conn, &host_target, &err);
	caps = cs_conn_capabilities(host_conn, &err);
	if (domcaps && caps &&
	    cs_cpudef_parse(map, caps, strlen(caps), "capabilities",
	                    CS_CPUDEF_AS_HOST | CS_CPUDEF_FIRST, &defs, &n, &err) == 0 &&
	    cs_hypervisor_from_domcaps(&own, map, domcaps, strlen(domcaps), cs_conn_uri(host_conn),
	                               defs[0], &err) == 0) {
		cs_hypervisor_release(&s->hv);
		s->hv = own;
		s->ok = true;
	} else {
		cs_hypervisor_release(&s->hv);
		memset(&s->hv, 0, sizeof(s->hv));
		s->ok = false;
		snprintf(s->why, sizeof(s->why), "%s", err.msg);
	}
	cs_cpudef_list_free(defs, n);
}
