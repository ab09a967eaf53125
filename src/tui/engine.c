/* engine.c: guest values, verdicts and texts for the explorer, over the core */
#include "tui/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/guest.h"
#include "cpuscope/level.h"
#include "cpuscope/xalloc.h"

static const char *const policy_names[POLICY_COUNT] = {
        "", "force", "require", "optional", "disable", "forbid",
};

const char *engine_policy_name(enum app_policy p)
{
	return (unsigned)p < POLICY_COUNT ? policy_names[p] : "";
}

const char *engine_gmode_name(enum app_gmode m)
{
	return cs_cpu_mode_name((enum cs_cpu_mode)m);
}

const char *engine_match_name(enum app_match m)
{
	return cs_cpu_match_name((enum cs_cpu_match)m);
}

const char *engine_check_name(enum app_check c)
{
	return cs_cpu_check_name((enum cs_cpu_check)c);
}

const char *engine_fallback_name(enum app_fallback f)
{
	return cs_cpu_fallback_name((enum cs_cpu_fallback)f);
}

const char *engine_compat_name(enum app_compat c)
{
	switch (c) {
	case COMPAT_NONE:
		return "NO HOST";
	case COMPAT_IDENTICAL:
		return "IDENTICAL";
	case COMPAT_SUPERSET:
		return "SUPERSET";
	case COMPAT_INCOMPATIBLE:
		return "INCOMPATIBLE";
	case COMPAT_ERROR:
		break;
	}
	return "ERROR";
}

void engine_guest_init(struct app_guest *g)
{
	memset(g, 0, sizeof(*g));
	g->mode = GMODE_CUSTOM;
	g->model = -1;
	g->vendor = -1;
	g->match = MATCH_EXACT;
	g->fallback = FALLBACK_ALLOW;
}

void engine_guest_set_policy(struct app_guest *g, unsigned id, enum app_policy p)
{
	if (id >= CS_FSET_MAX)
		return;
	if (g->policy[id] == POLICY_NONE && p != POLICY_NONE) {
		g->order[g->norder++] = (uint16_t)id;
	} else if (g->policy[id] != POLICY_NONE && p == POLICY_NONE) {
		unsigned j = 0;
		for (unsigned i = 0; i < g->norder; i++)
			if (g->order[i] != id)
				g->order[j++] = g->order[i];
		g->norder = j;
	}
	g->policy[id] = (unsigned char)p;
}

bool engine_guest_equal(const struct app_guest *a, const struct app_guest *b)
{
	if (a->mode != b->mode || a->match != b->match || a->check != b->check ||
	    a->fallback != b->fallback || a->model != b->model || a->vendor != b->vendor ||
	    a->norder != b->norder)
		return false;
	if (memcmp(a->topo, b->topo, sizeof(a->topo)))
		return false;
	if (memcmp(a->order, b->order, a->norder * sizeof(a->order[0])))
		return false;
	return !memcmp(a->policy, b->policy, sizeof(a->policy));
}

struct cs_cpudef *engine_def_new(const struct cs_map *map, const struct cs_arch *arch)
{
	return cs_cpudef_new(map, arch, CS_CPU_TYPE_GUEST);
}

void engine_def_free(struct cs_cpudef *def)
{
	cs_cpudef_free(def);
}

void engine_sync(struct cs_cpudef *def, const struct app_guest *g)
{
	bool topo = false;

	def->mode = (enum cs_cpu_mode)g->mode;
	def->match = (enum cs_cpu_match)g->match;
	def->check = (enum cs_cpu_check)g->check;
	def->fallback = (enum cs_cpu_fallback)g->fallback;
	if (def->model != g->model || def->model_name)
		cs_cpudef_set_model(def, g->model);
	if (def->vendor_idx != g->vendor)
		cs_cpudef_set_vendor(def, g->vendor);
	for (int t = 0; t < TOPO_COUNT; t++)
		topo |= g->topo[t] != 0;
	/* libvirt needs sockets, cores and threads together: unset ones are 1. */
	def->has_topology = topo;
	def->sockets = g->topo[TOPO_SOCKETS] ? g->topo[TOPO_SOCKETS] : 1;
	def->dies = g->topo[TOPO_DIES] ? g->topo[TOPO_DIES] : 1;
	def->clusters = g->topo[TOPO_CLUSTERS];
	def->cores = g->topo[TOPO_CORES] ? g->topo[TOPO_CORES] : 1;
	def->threads = g->topo[TOPO_THREADS] ? g->topo[TOPO_THREADS] : 1;
	cs_cpudef_clear_features(def);
	for (unsigned i = 0; i < g->norder; i++)
		cs_cpudef_set_feature(def, g->order[i],
		                      (enum cs_policy)(g->policy[g->order[i]] - 1));
}

void engine_compare(const struct cs_arch *arch, const struct app_host *h,
                    const struct cs_cpudef *def, const struct app_guest *g, struct app_verdict *out)
{
	struct cs_compare_result res;
	struct cs_error err = {0};
	char *msg;

	(void)arch;
	memset(out, 0, sizeof(*out));
	if (!h->present || !h->def) {
		out->result = COMPAT_NONE;
		snprintf(out->message, sizeof(out->message), "%s", h->detail);
		return;
	}
	if (g->mode == GMODE_CUSTOM && g->model < 0) {
		out->result = COMPAT_ERROR;
		snprintf(out->message, sizeof(out->message), "no CPU model chosen");
		return;
	}
	if (cs_compare(h->def, def, &res, &err) < 0) {
		out->result = COMPAT_ERROR;
		cs_error_format(&err, out->message, sizeof(out->message));
		return;
	}
	switch (res.compat) {
	case CS_COMPAT_IDENTICAL:
		out->result = COMPAT_IDENTICAL;
		break;
	case CS_COMPAT_SUPERSET:
		out->result = COMPAT_SUPERSET;
		break;
	case CS_COMPAT_INCOMPATIBLE:
		out->result = COMPAT_INCOMPATIBLE;
		break;
	}
	out->missing = res.missing;
	out->forbidden = res.forbidden;
	if (res.reason == CS_REASON_STRICT)
		out->extra = res.extra;
	out->vendor_mismatch = res.reason == CS_REASON_VENDOR;
	if (out->result == COMPAT_INCOMPATIBLE) {
		msg = cs_compare_message(&res);
		snprintf(out->message, sizeof(out->message), "%s", msg ? msg : "incompatible");
		free(msg);
	} else {
		snprintf(out->message, sizeof(out->message), "%s",
		         out->result == COMPAT_IDENTICAL
		                 ? "identical to the host CPU"
		                 : "the host CPU is a superset of the guest");
	}
}

void engine_effective(const struct cs_arch *arch, const struct app_host *h,
                      const struct cs_cpudef *def, struct cs_fset *out, int *level,
                      struct cs_fset *next)
{
	struct cs_effective eff;
	struct cs_fset q;

	cs_fset_zero(out);
	if (level)
		*level = 0;
	if (next)
		cs_fset_zero(next);
	if (cs_guest_effective(def, h->present ? h->def : NULL, &eff, NULL) < 0)
		return;
	*out = eff.features;
	if (!level)
		return;
	cs_effective_qemu_features(arch, &eff, def, &q);
	/* QEMU quietly leaves out what the host cannot give */
	if (h->present)
		cs_fset_intersect(&q, &q, &h->features);
	*level = cs_x86_level(arch, &q, next);
}

bool engine_model_runs(const struct app_host *h, struct cs_cpudef *scratch, int model,
                       unsigned *nmissing)
{
	struct app_guest g;
	struct app_verdict v;

	engine_guest_init(&g);
	g.model = model;
	engine_sync(scratch, &g);
	engine_compare(NULL, h, scratch, &g, &v);
	if (nmissing)
		*nmissing = cs_fset_count(&v.missing);
	return v.result == COMPAT_IDENTICAL || v.result == COMPAT_SUPERSET;
}

/* ---- texts ------------------------------------------------------------- */

char *engine_guest_xml(const struct cs_cpudef *def)
{
	char *xml = cs_cpudef_format(def, 0);

	if (xml && !xml[0]) {
		free(xml);
		xml = cs_xstrdup("<cpu/>\n");
	}
	return xml;
}

char *engine_qemu_arg(const struct cs_cpudef *def, const struct app_host *h)
{
	struct cs_error err = {0};
	struct cs_cpudef *upd = cs_guest_update(def, h->present ? h->def : NULL, &err);
	char *arg, *out, msg[300];

	if (!upd) {
		cs_error_format(&err, msg, sizeof(msg));
		return cs_xasprintf("(no -cpu: %s)", msg);
	}
	arg = cs_qemu_cpu_arg(upd, false);
	out = arg ? cs_xasprintf("-cpu %s", arg)
	          : cs_xstrdup("(no -cpu option: QEMU's default CPU)");
	free(arg);
	cs_cpudef_free(upd);
	return out;
}

char *engine_osc52(const char *text)
{
	static const char b64[] =
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(text), n = 0;
	char *out = cs_xmalloc(7 + (len + 2) / 3 * 4 + 2);
	const unsigned char *p = (const unsigned char *)text;

	memcpy(out, "\033]52;c;", 7);
	n = 7;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		size_t k = len - i;

		if (k > 1)
			v |= (unsigned)p[i + 1] << 8;
		if (k > 2)
			v |= p[i + 2];
		out[n++] = b64[(v >> 18) & 63];
		out[n++] = b64[(v >> 12) & 63];
		out[n++] = k > 1 ? b64[(v >> 6) & 63] : '=';
		out[n++] = k > 2 ? b64[v & 63] : '=';
	}
	out[n++] = '\a';
	out[n] = '\0';
	return out;
}
