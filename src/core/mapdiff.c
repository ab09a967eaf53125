/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mapdiff.c: the differences between two CPU maps, by name */
#include "cpuscope/mapdiff.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* " +name" (sign) for each feature of set s of arch a that set bs of arch
 * b (the same model in the other map) does not have; *n counts them. */
static void feature_delta(struct cs_buf *out, const char *sign, const struct cs_arch *a,
                          const struct cs_fset *s, const struct cs_arch *b,
                          const struct cs_fset *bs, unsigned *n)
{
	int id;

	cs_fset_foreach (id, s) {
		const char *name = a->features[id].name;
		int other = cs_arch_find_feature(b, name);
		if (other >= 0 && cs_fset_test(bs, (unsigned)other))
			continue;
		cs_buf_addf(out, " %s%s", sign, name);
		(*n)++;
	}
}

static void sig_text(const struct cs_model *m, struct cs_buf *b)
{
	for (size_t i = 0; i < m->nsigs; i++) {
		char st[64];
		cs_steppings_format(m->sigs[i].steppings, st, sizeof(st));
		cs_buf_addf(b, "%s%u/%u%s%s", i ? ", " : "", m->sigs[i].family, m->sigs[i].model,
		            m->sigs[i].steppings ? " stepping " : "",
		            m->sigs[i].steppings ? st : "");
	}
	if (!m->nsigs)
		cs_buf_add(b, "none");
}

static const char *vendor_name(const struct cs_arch *a, int v)
{
	return v >= 0 ? a->vendors[v].name : "(any)";
}

char *cs_arch_diff(const struct cs_arch *old, const struct cs_arch *new, bool *changed)
{
	struct cs_buf out = {0};

	for (size_t i = 0; i < old->nvendors; i++)
		if (cs_arch_find_vendor(new, old->vendors[i].name) < 0)
			cs_buf_addf(&out, "vendor %s: removed\n", old->vendors[i].name);
	for (size_t i = 0; i < new->nvendors; i++)
		if (cs_arch_find_vendor(old, new->vendors[i].name) < 0)
			cs_buf_addf(&out, "vendor %s: added\n", new->vendors[i].name);

	for (size_t i = 0; i < old->nfeatures; i++) {
		const struct cs_feature *f = &old->features[i];
		int j = cs_arch_find_feature(new, f->name);
		char a[96], b[96];

		if (j < 0) {
			cs_buf_addf(&out, "feature %s: removed\n", f->name);
			continue;
		}
		cs_feature_location(f, a, sizeof(a));
		cs_feature_location(&new->features[j], b, sizeof(b));
		if (strcmp(a, b))
			cs_buf_addf(&out, "feature %s: %s, now %s\n", f->name, a, b);
	}
	for (size_t i = 0; i < new->nfeatures; i++) {
		const struct cs_feature *f = &new->features[i];
		char b[96];

		if (cs_arch_find_feature(old, f->name) >= 0)
			continue;
		cs_feature_location(f, b, sizeof(b));
		cs_buf_addf(&out, "feature %s: added (%s)\n", f->name, b);
	}

	for (size_t i = 0; i < old->nmodels; i++) {
		const struct cs_model *m = &old->models[i];
		int j = cs_arch_find_model(new, m->name);
		const struct cs_model *n;
		struct cs_buf d = {0}, s1 = {0}, s2 = {0};
		unsigned count = 0;

		if (j < 0) {
			cs_buf_addf(&out, "model %s: removed\n", m->name);
			continue;
		}
		n = &new->models[j];
		feature_delta(&d, "+", new, &n->features, old, &m->features, &count);
		feature_delta(&d, "-", old, &m->features, new, &n->features, &count);
		if (count) {
			char *t = cs_buf_detach(&d);
			cs_buf_addf(&out, "model %s: features%s\n", m->name, t);
			free(t);
		} else {
			free(cs_buf_detach(&d));
		}
		if (strcmp(vendor_name(old, m->vendor), vendor_name(new, n->vendor)))
			cs_buf_addf(&out, "model %s: vendor %s, now %s\n", m->name,
			            vendor_name(old, m->vendor), vendor_name(new, n->vendor));
		if (m->decode_host != n->decode_host || m->decode_guest != n->decode_guest)
			cs_buf_addf(&out,
			            "model %s: decode host %s guest %s, now host %s guest %s\n",
			            m->name, m->decode_host ? "on" : "off",
			            m->decode_guest ? "on" : "off", n->decode_host ? "on" : "off",
			            n->decode_guest ? "on" : "off");
		sig_text(m, &s1);
		sig_text(n, &s2);
		if (strcmp(s1.s, s2.s))
			cs_buf_addf(&out, "model %s: signatures %s, now %s\n", m->name, s1.s, s2.s);
		free(cs_buf_detach(&s1));
		free(cs_buf_detach(&s2));
	}
	for (size_t i = 0; i < new->nmodels; i++)
		if (cs_arch_find_model(old, new->models[i].name) < 0)
			cs_buf_addf(&out, "model %s: added (%u features)\n", new->models[i].name,
			            cs_fset_count(&new->models[i].features));
	if (changed)
		*changed = out.len > 0;
	return cs_buf_detach(&out);
}
