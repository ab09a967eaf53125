/* engine_file.c: reading and writing guest <cpu> files for the explorer */
#include "tui/engine.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/guest.h"

void engine_guest_from_def(const struct cs_cpudef *def, struct app_guest *g)
{
	engine_guest_init(g);
	g->mode = (enum app_gmode)def->mode;
	g->match = (enum app_match)def->match;
	g->check = (enum app_check)def->check;
	g->fallback = (enum app_fallback)def->fallback;
	g->model = def->model;
	g->vendor = def->vendor_idx;
	if (def->has_topology) {
		g->topo[TOPO_SOCKETS] = def->sockets;
		g->topo[TOPO_DIES] = def->dies;
		g->topo[TOPO_CLUSTERS] = def->clusters;
		g->topo[TOPO_CORES] = def->cores;
		g->topo[TOPO_THREADS] = def->threads;
	}
	for (size_t i = 0; i < def->nfeatures; i++) {
		const struct cs_cpu_feature *f = &def->features[i];
		if (f->id >= 0 && f->policy != CS_POLICY_NONE)
			engine_guest_set_policy(g, (unsigned)f->id,
			                        (enum app_policy)(f->policy + 1));
	}
}

int engine_load_guest(const struct cs_map *map, const char *path, struct app_guest *out,
                      struct cs_cpudef **defp, bool *is_domain, struct cs_error *err)
{
	struct cs_cpudef *def = cs_cpudef_load_one(map, path, CS_CPUDEF_AS_GUEST, err);

	*defp = NULL;
	if (!def)
		return -1;
	if (!def->arch || def->model_name) {
		cs_error_set(err, CS_ERR_UNKNOWN, path, def->line, "unknown CPU model %s",
		             def->model_name ? def->model_name : "");
		cs_cpudef_free(def);
		return -1;
	}
	engine_guest_from_def(def, out);
	*is_domain = def->origin == CS_CPU_ORIGIN_DOMAIN;
	*defp = def;
	return 0;
}

int engine_save_guest(const struct cs_cpudef *def, const char *path, bool is_domain,
                      struct cs_error *err)
{
	char *xml;
	int ret;

	if (is_domain)
		return cs_domain_apply_file(path, def, err);
	xml = engine_guest_xml(def);
	ret = cs_write_file_atomic(path, xml, strlen(xml), err);
	free(xml);
	return ret;
}
