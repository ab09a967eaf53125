/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpudef_edit.c: comparing <cpu> definitions, for editors that keep snapshots */
#include <string.h>

#include "cpuscope/cpudef.h"

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_topology(const struct cs_cpudef *a, const struct cs_cpudef *b)
{
	if (a->has_topology != b->has_topology)
		return false;
	return !a->has_topology ||
	       (a->sockets == b->sockets && a->dies == b->dies && a->clusters == b->clusters &&
	        a->cores == b->cores && a->threads == b->threads);
}

static bool same_features(const struct cs_cpudef *a, const struct cs_cpudef *b)
{
	if (a->nfeatures != b->nfeatures)
		return false;
	for (size_t i = 0; i < a->nfeatures; i++) {
		const struct cs_cpu_feature *fa = &a->features[i], *fb = &b->features[i];
		if (fa->id != fb->id || fa->policy != fb->policy)
			return false;
		if (fa->id < 0 && !same_str(fa->name, fb->name))
			return false;
	}
	return true;
}

static bool same_raw(const struct cs_cpudef *a, const struct cs_cpudef *b)
{
	if (a->nraw != b->nraw)
		return false;
	for (size_t i = 0; i < a->nraw; i++)
		if (a->raw[i].slot != b->raw[i].slot || !same_str(a->raw[i].name, b->raw[i].name) ||
		    !same_str(a->raw[i].text, b->raw[i].text))
			return false;
	return true;
}

bool cs_cpudef_equal(const struct cs_cpudef *a, const struct cs_cpudef *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	if (a->arch != b->arch || a->type != b->type || a->mode != b->mode ||
	    a->match != b->match || a->check != b->check || a->migratable != b->migratable ||
	    a->model != b->model || a->fallback != b->fallback || a->vendor_idx != b->vendor_idx)
		return false;
	if (!same_str(a->model_name, b->model_name) || !same_str(a->vendor, b->vendor) ||
	    !same_str(a->vendor_id, b->vendor_id) || !same_str(a->arch_name, b->arch_name))
		return false;
	if (a->sig_family != b->sig_family || a->sig_model != b->sig_model ||
	    a->sig_stepping != b->sig_stepping)
		return false;
	return same_topology(a, b) && same_features(a, b) && same_raw(a, b);
}
