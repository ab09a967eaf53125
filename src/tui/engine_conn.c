/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_conn.c: open and save the explorer's guest as a libvirt domain through the connection */
#include "tui/engine_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/conn.h"
#include "cpuscope/start.h"
#include "cpuscope/xalloc.h"

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
	int ret = -1;

	*defp = NULL;
	*vcpus = 0;
	*is_domain = true;
	if (cs_conn_open(uri, 0, &c, err) < 0 || cs_conn_get_domain(c, name, &dx, err) < 0)
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
	cs_conn_free(c);
	free(uri);
	return ret;
}

int engine_conn_save_guest(const struct cs_cpudef *def, const char *ref, struct cs_error *err)
{
	struct cs_conn *c = NULL;
	char *uri;
	const char *name = split_ref(ref, &uri);
	int ret = -1;

	if (cs_conn_open(uri, 0, &c, err) == 0 &&
	    cs_conn_define_cpu(c, name, def, CS_CONN_KEEP_LAYOUT, NULL, err) == 0)
		ret = 0;
	cs_conn_free(c);
	free(uri);
	return ret;
}
