/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine.c: guest values, verdicts and texts for the explorer, over the core */
#include "tui/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/advice.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/guest.h"
#include "cpuscope/host.h"
#include "cpuscope/level.h"
#include "cpuscope/xalloc.h"

const char *engine_policy_name(enum cs_policy p)
{
	return cs_policy_name(p);
}

const char *engine_mode_name(enum cs_cpu_mode m)
{
	return cs_cpu_mode_name(m);
}

const char *engine_match_name(enum cs_cpu_match m)
{
	return cs_cpu_match_name(m);
}

const char *engine_check_name(enum cs_cpu_check c)
{
	return cs_cpu_check_name(c);
}

const char *engine_fallback_name(enum cs_cpu_fallback f)
{
	return cs_cpu_fallback_name(f);
}

/* ---- the guest definition ------------------------------------------------- */

struct cs_cpudef *engine_guest_new(const struct cs_map *map, const struct cs_arch *arch)
{
	return cs_cpudef_new(map, arch, CS_CPU_TYPE_GUEST);
}

struct cs_cpudef *engine_guest_copy(const struct cs_cpudef *def)
{
	return cs_cpudef_copy(def);
}

void engine_guest_free(struct cs_cpudef *def)
{
	cs_cpudef_free(def);
}

bool engine_guest_equal(const struct cs_cpudef *a, const struct cs_cpudef *b)
{
	return cs_cpudef_equal(a, b);
}

enum cs_policy engine_guest_policy(const struct cs_cpudef *def, unsigned id)
{
	int p = cs_cpudef_feature_policy(def, id);
	return p < 0 ? CS_POLICY_NONE : (enum cs_policy)p;
}

void engine_guest_listed(const struct cs_cpudef *def, struct cs_fset *out)
{
	cs_fset_zero(out);
	for (int p = 0; p < CS_POLICY_COUNT; p++)
		if (p != CS_POLICY_NONE)
			cs_fset_union(out, out, &def->by_policy[p]);
}

void engine_guest_set_policy(struct cs_cpudef *def, unsigned id, enum cs_policy p)
{
	if (p == CS_POLICY_NONE)
		cs_cpudef_remove_feature(def, id);
	else
		cs_cpudef_set_feature(def, id, p);
}

void engine_guest_set_model(struct cs_cpudef *def, int model)
{
	cs_cpudef_set_model(def, model);
}

void engine_guest_set_vendor(struct cs_cpudef *def, int vendor)
{
	cs_cpudef_set_vendor(def, vendor);
}

bool engine_guest_is_incomplete(const struct cs_cpudef *def)
{
	return def->mode == CS_CPU_MODE_CUSTOM && def->model < 0;
}

static unsigned *topo_field(struct cs_cpudef *def, unsigned i)
{
	unsigned *f[ENGINE_TOPO_COUNT] = {&def->sockets, &def->dies, &def->clusters, &def->cores,
	                                  &def->threads};
	return i < ENGINE_TOPO_COUNT ? f[i] : NULL;
}

unsigned engine_guest_topology(const struct cs_cpudef *def, unsigned i)
{
	const unsigned *f = topo_field((struct cs_cpudef *)def, i);
	return f && def->has_topology ? *f : 0;
}

/* Whether every value is libvirt's default (1, clusters not given). */
static bool topology_is_default(const struct cs_cpudef *def)
{
	return def->sockets == 1 && def->dies == 1 && def->clusters == 0 && def->cores == 1 &&
	       def->threads == 1;
}

void engine_guest_step_topology(struct cs_cpudef *def, unsigned i, int dir)
{
	unsigned *f = topo_field(def, i);
	unsigned lo = i == 2 ? 0 : 1;

	if (!f)
		return;
	if (!def->has_topology) {
		if (dir <= 0)
			return;
		def->has_topology = true;
		def->sockets = def->dies = def->cores = def->threads = 1;
		def->clusters = 0;
		if (i == 2)
			def->clusters = 1;
		return;
	}
	if (dir > 0 && *f < 4096) {
		(*f)++;
	} else if (dir < 0 && *f > lo) {
		(*f)--;
	} else if (dir < 0 && topology_is_default(def)) {
		def->has_topology = false;
	}
}

void engine_guest_set_topology(struct cs_cpudef *def, unsigned i, unsigned v)
{
	unsigned *f = topo_field(def, i);
	unsigned lo = i == 2 ? 0 : 1;

	if (!f)
		return;
	if (!def->has_topology) {
		def->has_topology = true;
		def->sockets = def->dies = def->cores = def->threads = 1;
		def->clusters = 0;
	}
	*f = v < lo ? lo : v > 4096 ? 4096 : v;
}

void engine_guest_take_cpu(struct cs_cpudef *def, const struct cs_cpudef *base)
{
	def->mode = base->mode;
	def->match = base->match;
	def->check = base->check;
	def->fallback = base->fallback;
	cs_cpudef_set_model(def, base->model);
	cs_cpudef_set_vendor(def, base->vendor_idx);
	cs_cpudef_clear_features(def);
	for (size_t i = 0; i < base->nfeatures; i++) {
		const struct cs_cpu_feature *f = &base->features[i];
		if (f->id >= 0 && f->policy != CS_POLICY_NONE)
			cs_cpudef_set_feature(def, (unsigned)f->id, f->policy);
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

int engine_fallback_model(const struct cs_arch *arch, const struct cs_fset *want, int exclude,
                          int vendor, const bool *runs)
{
	return cs_fallback_model(arch, want, exclude, vendor, runs, NULL);
}

bool engine_model_in_qemu(const struct cs_arch *arch, int model)
{
	if (strcmp(arch->name, "x86") != 0 || model < 0 || (size_t)model >= arch->nmodels)
		return true;
	return cs_model_known_to_qemu(arch->models[model].name);
}
