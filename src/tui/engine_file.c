/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_file.c: reading and writing guest <cpu> files for the explorer */
#include "tui/engine.h"
#include "tui/engine_conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* What a guest <cpu> may hold beside the mode, model, vendor, topology
 * and features the explorer edits; a host's <cpu> (capabilities,
 * domcapabilities) also holds <arch>, <signature>, <microcode>, <counter>,
 * <pages> and more, which a guest must not. */
static bool guest_may_hold(const char *name)
{
	static const char *const kept[] = {"cache", "numa", "maxphysaddr"};

	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (!strcmp(name, kept[i]))
			return true;
	return false;
}

struct cs_cpudef *engine_guest_for_file(const struct cs_cpudef *def)
{
	struct cs_cpudef *c = engine_guest_copy(def);
	size_t k = 0;

	for (size_t i = 0; i < c->nraw; i++) {
		bool host = c->origin == CS_CPU_ORIGIN_CAPS || c->origin == CS_CPU_ORIGIN_DOMCAPS;
		if (guest_may_hold(c->raw[i].name) &&
		    !(host && !strcmp(c->raw[i].name, "maxphysaddr"))) {
			c->raw[k++] = c->raw[i];
			continue;
		}
		free(c->raw[i].name);
		free(c->raw[i].text);
		free(c->raw[i].indent);
	}
	c->nraw = k;
	c->sig_family = c->sig_model = c->sig_stepping = 0;
	return c;
}

bool engine_guest_from_host_file(const struct cs_cpudef *def)
{
	return def->origin == CS_CPU_ORIGIN_CAPS || def->origin == CS_CPU_ORIGIN_DOMCAPS;
}

int engine_save_guest(const struct cs_cpudef *def, const char *path, bool is_domain,
                      struct cs_error *err)
{
	struct cs_cpudef *g = engine_guest_for_file(def);
	char *xml;
	int ret;

	if (is_domain && engine_is_domain_ref(path)) {
		ret = engine_conn_save_guest(g, path, err);
		engine_guest_free(g);
		return ret;
	}
	if (is_domain) {
		ret = cs_domain_apply_file(path, g, err);
		engine_guest_free(g);
		return ret;
	}
	xml = engine_guest_xml(g);
	ret = cs_write_file_atomic(path, xml, strlen(xml), err);
	free(xml);
	engine_guest_free(g);
	return ret;
}

int engine_check_plain_file(const char *path, bool pipes, struct cs_error *err)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "%s", strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode) || (pipes && S_ISFIFO(st.st_mode)))
		return 0;
	cs_error_set(err, CS_ERR_IO, path, 0, "%s, not a regular file",
	             S_ISDIR(st.st_mode)    ? "a directory"
	             : S_ISFIFO(st.st_mode) ? "a pipe (it could wait for a writer forever)"
	             : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
	                                                          : "a special file");
	return -1;
}
