/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* level.c: x86-64 micro-architecture levels of feature sets */
#include "cpuscope/level.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/advice.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/guest.h"
#include "cpuscope/host.h"

static const char *const level_features[CS_LEVEL_MAX + 1] = {
        "",
        "cmov cx8 fpu fxsr mmx syscall sse sse2 lm",
        "cx16 lahf_lm popcnt pni sse4.1 sse4.2 ssse3",
        "avx avx2 bmi1 bmi2 f16c fma abm movbe xsave",
        "avx512f avx512bw avx512cd avx512dq avx512vl",
};

/* Add level's features to *have (those the map defines) and to *all
 * (every name, -1 ids skipped); returns false when a name is missing from
 * the map. */
static bool level_set(const struct cs_arch *arch, int level, struct cs_fset *set)
{
	const char *s = level_features[level];
	bool complete = true;

	cs_fset_zero(set);
	while (*s) {
		char name[32];
		size_t n = strcspn(s, " ");
		int id;

		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, s, n);
		name[n] = '\0';
		id = cs_arch_find_feature(arch, name);
		if (id >= 0)
			cs_fset_set(set, (unsigned)id);
		else
			complete = false;
		s += n;
		s += strspn(s, " ");
	}
	return complete;
}

int cs_x86_level(const struct cs_arch *arch, const struct cs_fset *features, struct cs_fset *next)
{
	struct cs_fset want;
	int level = 0;

	if (next)
		cs_fset_zero(next);
	if (!arch || strcmp(arch->name, "x86"))
		return 0;
	while (level < CS_LEVEL_MAX) {
		bool complete = level_set(arch, level + 1, &want);
		if (!complete || !cs_fset_is_subset(&want, features)) {
			if (next)
				cs_fset_diff(next, &want, features);
			break;
		}
		level++;
	}
	return level;
}

int cs_x86_level_describe(const struct cs_arch *arch, const struct cs_fset *features, char *buf,
                          size_t size)
{
	struct cs_fset next;
	int level = cs_x86_level(arch, features, &next);
	char *list;

	if (level == CS_LEVEL_MAX) {
		snprintf(buf, size, "%s", cs_x86_level_name(level));
		return level;
	}
	if (cs_fset_is_empty(&next)) {
		snprintf(buf, size, "%s (the map lacks features %s needs)",
		         cs_x86_level_name(level), cs_x86_level_name(level + 1));
		return level;
	}
	list = cs_arch_feature_list(arch, &next, ", ");
	snprintf(buf, size, "%s (%s also needs %s)", cs_x86_level_name(level),
	         cs_x86_level_name(level + 1), list);
	free(list);
	return level;
}

const char *cs_x86_level_name(int level)
{
	static const char *const names[CS_LEVEL_MAX + 1] = {"below x86-64", "x86-64", "x86-64-v2",
	                                                    "x86-64-v3", "x86-64-v4"};

	return level >= 0 && level <= CS_LEVEL_MAX ? names[level] : "?";
}

void cs_effective_qemu_features(const struct cs_arch *arch, const struct cs_effective *eff,
                                const struct cs_cpudef *guest, struct cs_fset *out)
{
	struct cs_fset q;

	if (eff->model < 0 || !cs_qemu_model_features(arch, eff->model, &q)) {
		*out = eff->features;
		return;
	}
	cs_fset_union(&q, &q, &eff->added);
	cs_fset_diff(&q, &q, &eff->removed);
	if (guest) {
		cs_fset_diff(&q, &q, &guest->by_policy[CS_POLICY_DISABLE]);
		cs_fset_diff(&q, &q, &guest->by_policy[CS_POLICY_FORBID]);
	}
	*out = q;
}

void cs_level_report(const struct cs_arch *arch, const struct cs_effective *eff,
                     const struct cs_cpudef *guest, const struct cs_fset *host_features,
                     struct cs_level_report *out)
{
	cs_effective_qemu_features(arch, eff, guest, &out->qemu);
	cs_fset_zero(&out->mitigations);
	if (host_features) {
		cs_fset_intersect(&out->qemu, &out->qemu, host_features);
		cs_mitigations(arch, &out->mitigations);
		cs_fset_intersect(&out->mitigations, &out->mitigations, host_features);
		cs_fset_diff(&out->mitigations, &out->mitigations, &eff->features);
	}
	out->level = cs_x86_level(arch, &out->qemu, &out->next);
}
