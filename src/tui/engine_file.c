/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_file.c: reading and writing guest <cpu> files for the explorer */
#include "tui/engine.h"
#include "tui/engine_conn.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/guest.h"
#include "cpuscope/start.h"

int engine_load_guest(const struct cs_map *map, const char *path, struct cs_cpudef **defp,
                      bool *is_domain, unsigned *vcpus, struct cs_error *err)
{
	struct cs_cpudef *def;

	if (engine_is_domain_ref(path))
		return engine_conn_load_guest(map, path, defp, is_domain, vcpus, err);
	def = cs_cpudef_load_one(map, path, CS_CPUDEF_AS_GUEST, err);
	*defp = NULL;
	if (!def)
		return -1;
	if (!def->arch || def->model_name) {
		cs_error_set(err, CS_ERR_UNKNOWN, path, def->line, "unknown CPU model %s",
		             def->model_name ? def->model_name : "");
		cs_cpudef_free(def);
		return -1;
	}
	*is_domain = def->origin == CS_CPU_ORIGIN_DOMAIN;
	*defp = def;
	*vcpus = 0;
	if (*is_domain) {
		/* The start verdict checks the topology against <vcpu>. */
		struct cs_domain_info info;
		char *buf = NULL;
		size_t len = 0;

		if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, NULL) == 0 &&
		    cs_domain_info_parse(buf, len, path, &info, NULL) == 0)
			*vcpus = info.vcpus;
		free(buf);
	}
	return 0;
}

int engine_save_guest(const struct cs_cpudef *def, const char *path, bool is_domain,
                      struct cs_error *err)
{
	char *xml;
	int ret;

	if (is_domain && engine_is_domain_ref(path))
		return engine_conn_save_guest(def, path, err);
	if (is_domain)
		return cs_domain_apply_file(path, def, err);
	xml = engine_guest_xml(def);
	ret = cs_write_file_atomic(path, xml, strlen(xml), err);
	free(xml);
	return ret;
}
