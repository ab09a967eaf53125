/* engine.c: guest values, verdicts and texts for the explorer, over the core */
#include "tui/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"
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

/* The sets of the guest's listed features, one per policy. */
static void policy_sets(const struct app_guest *g, struct cs_fset sets[POLICY_COUNT])
{
	for (int p = 0; p < POLICY_COUNT; p++)
		cs_fset_zero(&sets[p]);
	for (unsigned i = 0; i < g->norder; i++)
		cs_fset_set(&sets[g->policy[g->order[i]]], g->order[i]);
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
	struct cs_error err = { 0 };
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
			 out->result == COMPAT_IDENTICAL ? "identical to the host CPU"
							  : "the host CPU is a superset of the guest");
	}
}

void engine_effective(const struct cs_arch *arch, const struct app_host *h,
		      const struct app_guest *g, struct cs_fset *out)
{
	struct cs_fset sets[POLICY_COUNT], opt;

	policy_sets(g, sets);
	cs_fset_zero(out);
	switch (g->mode) {
	case GMODE_HOST_PASSTHROUGH:
	case GMODE_MAXIMUM:
		if (h->present)
			*out = h->features;
		cs_fset_diff(out, out, &sets[POLICY_DISABLE]);
		return;
	case GMODE_HOST_MODEL:
		if (h->present)
			*out = h->features;
		break;
	case GMODE_CUSTOM:
		if (g->match == MATCH_MINIMUM && h->present)
			*out = h->features;
		else if (g->model >= 0)
			*out = arch->models[g->model].features;
		break;
	case GMODE_COUNT:
		break;
	}
	cs_fset_union(out, out, &sets[POLICY_FORCE]);
	cs_fset_union(out, out, &sets[POLICY_REQUIRE]);
	if (h->present) {
		cs_fset_intersect(&opt, &sets[POLICY_OPTIONAL], &h->features);
		cs_fset_union(out, out, &opt);
	}
	cs_fset_diff(out, out, &sets[POLICY_DISABLE]);
	cs_fset_diff(out, out, &sets[POLICY_FORBID]);
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

struct sbuf {
	char *s;
	size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < b->cap - b->len)
			break;
		CS_GROW(b->s, b->cap, b->len + (size_t)n + 1);
	}
	b->len += (size_t)n;
}

char *engine_guest_xml(const struct cs_cpudef *def)
{
	char *xml = cs_cpudef_format(def, 0);

	if (xml && !xml[0]) {
		free(xml);
		xml = cs_xstrdup("<cpu/>\n");
	}
	return xml;
}

char *engine_qemu_arg(const struct cs_arch *arch, const struct app_guest *g)
{
	struct sbuf b = { cs_xmalloc(128), 0, 128 };

	b.s[0] = '\0';
	switch (g->mode) {
	case GMODE_HOST_PASSTHROUGH:
	case GMODE_HOST_MODEL:
		sb_printf(&b, "-cpu host");
		break;
	case GMODE_MAXIMUM:
		sb_printf(&b, "-cpu max");
		break;
	case GMODE_CUSTOM:
	case GMODE_COUNT:
		sb_printf(&b, "-cpu %s", g->model >= 0 ? arch->models[g->model].name : "qemu64");
		break;
	}
	for (unsigned i = 0; i < g->norder; i++) {
		enum app_policy p = g->policy[g->order[i]];
		if (p == POLICY_OPTIONAL)
			continue;
		sb_printf(&b, ",%s=%s", arch->features[g->order[i]].name,
			  p == POLICY_FORCE || p == POLICY_REQUIRE ? "on" : "off");
	}
	return b.s;
}
