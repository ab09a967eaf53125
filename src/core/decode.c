/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* decode.c: choose "model + extra/missing features" for a CPU with libvirt 9.0's rules */
#include "cpuscope/decode.h"

#include <string.h>

#include "cpuscope/versions.h"

/* libvirt's BASE_PENALTY: the cost of the first disabled feature. */
#define BASE_PENALTY 2u

void cs_signature_split(uint32_t sig, unsigned *family, unsigned *model, unsigned *stepping)
{
	*family = ((sig >> 20) & 0xff) + ((sig >> 8) & 0xf);
	*model = (((sig >> 16) & 0xf) << 4) + ((sig >> 4) & 0xf);
	*stepping = sig & 0xf;
}

bool cs_model_matches_signature(const struct cs_model *m, uint32_t sig)
{
	unsigned family, model, stepping;

	cs_signature_split(sig, &family, &model, &stepping);
	for (size_t i = 0; i < m->nsigs; i++) {
		const struct cs_signature *s = &m->sigs[i];

		if (s->family != family || s->model != model)
			continue;
		if (!s->steppings || (s->steppings >> stepping) & 1)
			return true;
	}
	return false;
}

/* One candidate as decode sees it: the lists it would print and their cost. */
struct candidate {
	int model;
	struct cs_fset require, disable;
	unsigned score, penalty;
};

static bool in_list(const int *list, size_t n, int model)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == model)
			return true;
	return false;
}

static const struct cs_allowed_model *find_allowed(const struct cs_decode_opts *opts, int model)
{
	for (size_t i = 0; i < opts->nallowed; i++)
		if (opts->allowed[i].model == model)
			return &opts->allowed[i];
	return NULL;
}

/* Score a feature list of r require entries followed by d disable entries.
 * libvirt walks the list with a bound that shrinks each time it meets a
 * disabled entry, so only the first half (rounded up) of the disabled
 * entries is charged; that quirk decides real cases and is kept. */
static void score_guest(unsigned r, unsigned d, unsigned *score, unsigned *penalty)
{
	unsigned enabled = r + d, disabled = 0, p = BASE_PENALTY;

	for (unsigned i = r; i < enabled; i++) {
		enabled--;
		disabled += p;
		p++;
	}
	*score = enabled + disabled;
	*penalty = disabled;
}

static bool is_intel(const struct cs_arch *arch, int vendor)
{
	return vendor >= 0 && (size_t)vendor < arch->nvendors &&
	       !strcmp(arch->vendors[vendor].name, "Intel");
}

/* Intel erratum: TSX is broken on some Haswell/Broadwell parts, whatever
 * CPUID says; hle and rtm are not trusted there. */
static void filter_tsx(const struct cs_arch *arch, int vendor, uint32_t sig, struct cs_fset *have)
{
	unsigned family, model, stepping;
	static const char *const names[] = {"hle", "rtm"};

	if (!is_intel(arch, vendor))
		return;
	cs_signature_split(sig, &family, &model, &stepping);
	if (family != 6)
		return;
	if (!((model == 63 && stepping < 4) || model == 60 || model == 69 || model == 70))
		return;
	for (size_t i = 0; i < 2; i++) {
		int id = cs_arch_find_feature(arch, names[i]);

		if (id >= 0)
			cs_fset_clear(have, (unsigned)id);
	}
}

/* Should cand replace cur (NULL = none yet)?  1 = yes, 0 = no, 2 = yes and
 * stop looking (the only preferred model). */
static int use_candidate(const struct cs_arch *arch, const struct cs_decode_opts *opts,
                         uint32_t sig, const struct candidate *cur, const struct candidate *cand)
{
	const struct cs_model *m = &arch->models[cand->model];

	if (opts->mode == CS_DECODE_HOST && !m->decode_host)
		return 0;
	if (opts->mode == CS_DECODE_GUEST && !m->decode_guest)
		return 0;
	/* A host CPU is only described by a model it fully contains. */
	if (opts->mode == CS_DECODE_HOST && !cs_fset_is_empty(&cand->disable))
		return 0;
	if (opts->npreferred == 1 && opts->preferred[0] == cand->model)
		return 2;
	if (!cur)
		return 1;
	if (sig) {
		bool cur_match = cs_model_matches_signature(&arch->models[cur->model], sig);
		bool cand_match = cs_model_matches_signature(m, sig);

		if (cur_match && !cand_match)
			return 0;
		if (!cur_match && cand_match)
			return 1;
	}
	if (cand->score < cur->score || (cand->score == cur->score && cand->penalty < cur->penalty))
		return 1;
	if (in_list(opts->preferred, opts->npreferred, cand->model) && cand->penalty < cur->penalty)
		return 1;
	return 0;
}

int cs_decode(const struct cs_arch *arch, const struct cs_cpu_facts *cpu,
              const struct cs_decode_opts *opts, struct cs_decoded *out, struct cs_error *err)
{
	struct cs_decode_opts o = *opts;
	struct cs_fset have = cpu->features;
	struct candidate best, cand;
	bool have_best = false;

	/* Allowed lists come in map order: walking them down beside the models
	 * keeps the lookup linear for maps of any size. */
	bool sorted = true;
	size_t ap = o.nallowed;

	if (!o.npreferred)
		o.preferred = NULL;
	for (size_t k = 1; k < o.nallowed && sorted; k++)
		sorted = o.allowed[k - 1].model < o.allowed[k].model;
	filter_tsx(arch, cpu->vendor, cpu->signature, &have);

	for (size_t i = arch->nmodels; i-- > 0;) {
		const struct cs_model *m = &arch->models[i];
		const struct cs_allowed_model *hv = NULL;
		int use;

		if (o.allowed) {
			if (sorted) {
				while (ap > 0 && o.allowed[ap - 1].model > (int)i)
					ap--;
				hv = ap > 0 && o.allowed[ap - 1].model == (int)i
				             ? &o.allowed[ap - 1]
				             : NULL;
			} else {
				hv = find_allowed(&o, (int)i);
			}
			if (!hv) {
				if (o.npreferred == 1 && o.preferred[0] == (int)i &&
				    o.fallback_forbid) {
					cs_error_set_libvirt(err, CS_ERR_UNSUPPORTED, NULL, 0, NULL,
					                     CS_LIBVIRT_MSG_MODEL_UNSUPPORTED,
					                     m->name);
					return -1;
				}
				continue;
			}
		}
		if (cpu->vendor >= 0 && m->vendor >= 0 && m->vendor != cpu->vendor)
			continue;

		cand.model = (int)i;
		cs_fset_diff(&cand.require, &have, &m->features);
		cs_fset_diff(&cand.disable, &m->features, &have);
		if (hv) {
			struct cs_fset blocked;

			/* A blocker is missing unless the CPU has it beyond the
			 * model: the model's own copy cannot be used, even where
			 * the CPU has the feature. */
			cs_fset_diff(&blocked, &hv->blockers, &cand.require);
			cs_fset_union(&cand.disable, &cand.disable, &blocked);
		}
		if (o.mode == CS_DECODE_GUEST) {
			struct cs_fset removed;

			cs_fset_diff(&removed, &m->removed, &cand.require);
			cs_fset_union(&cand.disable, &cand.disable, &removed);
			score_guest(cs_fset_count(&cand.require), cs_fset_count(&cand.disable),
			            &cand.score, &cand.penalty);
		} else {
			cand.score = cs_fset_count(&cand.require) + cs_fset_count(&cand.disable);
			cand.penalty = 0;
		}

		use = use_candidate(arch, &o, cpu->signature, have_best ? &best : NULL, &cand);
		if (use) {
			best = cand;
			have_best = true;
		}
		if (use == 2)
			break;
	}

	if (!have_best) {
		cs_error_set_libvirt(err, CS_ERR_UNSUPPORTED, NULL, 0, NULL,
		                     CS_LIBVIRT_MSG_NO_SUITABLE_MODEL);
		return -1;
	}
	if (o.migratable) {
		for (size_t f = 0; f < arch->nfeatures; f++) {
			if (arch->features[f].migratable)
				continue;
			cs_fset_clear(&best.require, (unsigned)f);
			cs_fset_clear(&best.disable, (unsigned)f);
		}
	}
	out->model = best.model;
	out->vendor = cpu->vendor;
	out->signature = cpu->signature;
	out->require = best.require;
	out->disable = best.disable;
	return 0;
}
