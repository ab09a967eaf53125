/* export.c: a guest <cpu> as virt-xml's --cpu argument and as KubeVirt's spec.domain.cpu */
#include "cpuscope/export.h"

#include <stdlib.h>
#include <string.h>

#include "cpudef_int.h"

/* Hand the notes over, NULL when there are none. */
static void take_notes(struct sbuf *n, char **notes)
{
	char *s = sbuf_take(n);

	if (notes && *s) {
		*notes = s;
		return;
	}
	if (notes)
		*notes = NULL;
	free(s);
}

/* A note naming the children cpuscope keeps verbatim (numa, cache, ...),
 * which the exported form does not carry. */
static void raw_notes(const struct cs_cpudef *def, const char *what, struct sbuf *n)
{
	if (!def->nraw)
		return;
	sbuf_addf(n, "%s the <cpu>'s", what);
	for (size_t i = 0; i < def->nraw; i++)
		sbuf_addf(n, "%s <%s>", i ? "," : "", def->raw[i].name);
	sbuf_add(n, "; 'cpuscope apply' keeps them\n");
}

char *cs_export_virt_xml(const struct cs_cpudef *def, char **notes)
{
	struct sbuf b = {0}, n = {0};
	const char *model = cs_cpudef_model_name(def);

	sbuf_add(&b, "clearxml=yes");
	if (def->mode != CS_CPU_MODE_CUSTOM || !model)
		sbuf_addf(&b, ",mode=%s", cs_cpu_mode_name(def->mode));
	if (model)
		sbuf_addf(&b, ",model=%s", model);
	if (def->mode == CS_CPU_MODE_CUSTOM && def->match != CS_CPU_MATCH_EXACT)
		sbuf_addf(&b, ",match=%s", cs_cpu_match_name(def->match));
	if (def->check != CS_CPU_CHECK_DEFAULT)
		sbuf_addf(&b, ",check=%s", cs_cpu_check_name(def->check));
	if (model && def->fallback == CS_CPU_FALLBACK_FORBID)
		sbuf_add(&b, ",model.fallback=forbid");
	if (def->vendor_id)
		sbuf_addf(&b, ",model.vendor_id=%s", def->vendor_id);
	if (def->vendor)
		sbuf_addf(&b, ",vendor=%s", def->vendor);
	if (def->migratable != CS_TRISTATE_DEFAULT)
		sbuf_addf(&b, ",migratable=%s", def->migratable == CS_TRISTATE_ON ? "on" : "off");
	if (def->has_topology) {
		sbuf_addf(&b, ",topology.sockets=%u", def->sockets);
		if (def->dies)
			sbuf_addf(&b, ",topology.dies=%u", def->dies);
		sbuf_addf(&b, ",topology.cores=%u,topology.threads=%u", def->cores, def->threads);
		if (def->clusters)
			sbuf_addf(&n,
			          "virt-xml 4.1 has no topology.clusters: set clusters='%u' in "
			          "the XML\n",
			          def->clusters);
	}
	for (size_t i = 0; i < def->nfeatures; i++) {
		enum cs_policy p = def->features[i].policy;
		sbuf_addf(&b, ",%s=%s", p == CS_POLICY_NONE ? "require" : cs_policy_name(p),
		          cs_cpudef_feature_name(def, i));
	}
	raw_notes(def, "clearxml=yes drops", &n);
	take_notes(&n, notes);
	return sbuf_take(&b);
}

char *cs_export_kubevirt(const struct cs_cpudef *def, char **notes)
{
	struct sbuf b = {0}, n = {0};
	const char *model = cs_cpudef_model_name(def);

	sbuf_add(&b, "cpu:\n");
	switch (def->mode) {
	case CS_CPU_MODE_CUSTOM:
		if (model)
			sbuf_addf(&b, "  model: \"%s\"\n", model);
		break;
	case CS_CPU_MODE_HOST_MODEL:
		sbuf_add(&b, "  model: host-model\n");
		break;
	case CS_CPU_MODE_HOST_PASSTHROUGH:
		sbuf_add(&b, "  model: host-passthrough\n");
		break;
	case CS_CPU_MODE_MAXIMUM:
		sbuf_add(&b, "  model: host-passthrough\n");
		sbuf_add(&n, "KubeVirt has no maximum mode: host-passthrough is the nearest\n");
		break;
	}
	if (def->has_topology)
		sbuf_addf(&b, "  sockets: %u\n  cores: %u\n  threads: %u\n", def->sockets,
		          def->cores, def->threads);
	if (def->nfeatures) {
		sbuf_add(&b, "  features:\n");
		for (size_t i = 0; i < def->nfeatures; i++) {
			enum cs_policy p = def->features[i].policy;
			sbuf_addf(&b, "    - name: \"%s\"\n      policy: %s\n",
			          cs_cpudef_feature_name(def, i),
			          p == CS_POLICY_NONE ? "require" : cs_policy_name(p));
		}
	}
	if (def->mode == CS_CPU_MODE_CUSTOM && def->match != CS_CPU_MATCH_EXACT)
		sbuf_addf(&n, "KubeVirt has no field for match='%s'\n",
		          cs_cpu_match_name(def->match));
	if (def->check != CS_CPU_CHECK_DEFAULT)
		sbuf_addf(&n, "KubeVirt has no field for check='%s'\n",
		          cs_cpu_check_name(def->check));
	if (model && def->fallback == CS_CPU_FALLBACK_FORBID)
		sbuf_add(&n, "KubeVirt has no field for fallback='forbid'\n");
	if (def->vendor)
		sbuf_addf(&n, "KubeVirt has no field for the vendor (%s)\n", def->vendor);
	if (def->vendor_id)
		sbuf_addf(&n, "KubeVirt has no field for vendor_id='%s'\n", def->vendor_id);
	if (def->has_topology && (def->dies > 1 || def->clusters > 1))
		sbuf_add(&n, "KubeVirt has no field for dies or clusters\n");
	raw_notes(def, "KubeVirt has no field for", &n);
	take_notes(&n, notes);
	return sbuf_take(&b);
}
