/* pane_features.c: one row per feature: location, origin, host, KVM, policy */
#include "tui/pane.h"

#include <stdio.h>
#include <string.h>

#include "cpuscope/advice.h"
#include "cpuscope/pool.h"

/* The model whose inheritance the origin column explains. */
static int origin_model(const struct app *app)
{
	if (app->source == SOURCE_MODEL)
		return app_source_model(app);
	return app->guest->mode == CS_CPU_MODE_CUSTOM ? app->guest->model : -1;
}

static void origin_text(const struct app *app, unsigned id, char *buf, size_t size)
{
	int m = origin_model(app);
	int o = m >= 0 ? cs_model_feature_origin(app->arch, m, id) : -1;

	if (o < 0)
		snprintf(buf, size, "%s",
		         engine_guest_policy(app->guest, id) != CS_POLICY_NONE ? "listed" : "-");
	else if (o == m)
		snprintf(buf, size, "own");
	else
		snprintf(buf, size, "from %s", app->arch->models[o].name);
}

static const char *has_glyph(const struct app_host *h, unsigned id)
{
	if (!h->present)
		return "?";
	return cs_fset_test(&h->features, id) ? term_glyphs()->yes : term_glyphs()->no;
}

static attr_t has_attr(const struct app_host *h, unsigned id)
{
	if (!h->present)
		return term_attr(TC_DIM);
	return cs_fset_test(&h->features, id) ? term_attr(TC_GOOD) : term_attr(TC_BAD);
}

struct cols {
	int name, loc, host, kvm, pool, guest, policy, origin; /* x positions, -1 = hidden */
	int name_w, loc_w;
};

#define POOL_W 6

static void columns(int width, bool kvm, bool pool, struct cols *c)
{
	c->name = 1;
	c->name_w = 18;
	c->loc_w = width >= 100 + (pool ? POOL_W : 0)  ? 25
	           : width >= 78 + (pool ? POOL_W : 0) ? 20
	                                               : 0;
	c->loc = c->loc_w ? c->name + c->name_w + 1 : -1;
	c->host = (c->loc >= 0 ? c->loc + c->loc_w : c->name + c->name_w) + 1;
	c->kvm = kvm ? c->host + 4 : -1;
	c->pool = pool ? (kvm ? c->kvm : c->host) + 4 : -1;
	c->guest = (pool ? c->pool + POOL_W - 4 : kvm ? c->kvm : c->host) + 4;
	c->policy = c->guest + 6;
	c->origin = c->policy + 9;
	if (c->origin >= width - 4)
		c->origin = -1;
}

void pane_features_draw(WINDOW *w, const struct app *app, bool focused)
{
	const struct app_list *l = &app->list[PANE_FEATURES];
	const struct app_host *h = &app->cpu, *k = &app->kvm;
	int rows = getmaxy(w), cols = getmaxx(w);
	char title[128], right[400];
	struct cols c;
	int m = app_source_model(app);

	snprintf(title, sizeof(title), " Features: %s%s (%zu)", app_source_name(app->source),
	         app->source == SOURCE_MODEL ? (m >= 0 ? app->arch->models[m].name : "?") : "",
	         app->nfrows);
	snprintf(right, sizeof(right), "%s%s%s%s%s sort:%s ", app->only_missing ? " missing" : "",
	         app->only_changed ? " changed" : "", app->filter[0] ? " /" : "", app->filter,
	         app->filter[0] ? "/" : "", app_sort_name(app->sort));
	pane_title(w, title, right, focused);
	columns(cols, k->present, app->pool != NULL, &c);

	attr_t ha = term_attr(TC_DIM) | A_UNDERLINE;
	pane_fill(w, 1, 0, ha);
	pane_put(w, 1, c.name, "feature", c.name_w, ha);
	if (c.loc >= 0)
		pane_put(w, 1, c.loc, "CPUID/MSR", c.loc_w, ha);
	pane_put(w, 1, c.host, h->present ? "cpu" : "cpu", 4, ha);
	if (c.kvm >= 0)
		pane_put(w, 1, c.kvm, "kvm", 4, ha);
	if (c.pool >= 0)
		pane_put(w, 1, c.pool, "pool", POOL_W, ha);
	pane_put(w, 1, c.guest, "guest", 6, ha);
	pane_put(w, 1, c.policy, "policy", 9, ha);
	if (c.origin >= 0)
		pane_put(w, 1, c.origin, "origin", cols - c.origin, ha);

	for (int y = 2; y < rows - 1; y++) {
		size_t i = l->scroll + (size_t)(y - 2);
		if (i >= app->nfrows)
			break;
		unsigned id = app->frows[i];
		const struct cs_feature *f = &app->arch->features[id];
		bool cur = i == l->cursor;
		attr_t base = cur ? term_attr(focused ? TC_CURSOR : TC_CURSOR_IDLE) : A_NORMAL;
		bool problem = app_feature_is_problem(app, id);
		bool on = cs_fset_test(&app->effective, id);
		char buf[96];

		pane_fill(w, y, 0, base);
		if (problem)
			pane_put(w, y, 0, "!", 1, cur ? base : term_attr(TC_BAD));
		pane_put(w, y, c.name, f->name, c.name_w,
		         base | (problem && !cur ? term_attr(TC_BAD) : 0));
		if (c.loc >= 0) {
			cs_feature_location(f, buf, sizeof(buf));
			pane_put(w, y, c.loc, buf, c.loc_w, cur ? base : term_attr(TC_DIM));
		}
		pane_put(w, y, c.host + 1, has_glyph(h, id), 1, cur ? base : has_attr(h, id));
		if (c.kvm >= 0)
			pane_put(w, y, c.kvm + 1, has_glyph(k, id), 1,
			         cur ? base : has_attr(k, id));
		if (c.pool >= 0) {
			size_t n = app->pool->n, have = app_pool_have(app, id);
			attr_t pa = have == n ? term_attr(TC_GOOD) : term_attr(TC_BAD);
			if (have == n)
				snprintf(buf, sizeof(buf), " %s", term_glyphs()->yes);
			else if (!have)
				snprintf(buf, sizeof(buf), " %s", term_glyphs()->no);
			else if (n < 100)
				snprintf(buf, sizeof(buf), "%zu/%zu", have, n);
			else
				snprintf(buf, sizeof(buf), "%zu%%",
				         have * 100 / n > 99 ? 99 : have * 100 / n);
			pane_put(w, y, c.pool, buf, POOL_W - 1, cur ? base : pa);
		}
		pane_put(w, y, c.guest + 1, on ? "on" : "off", 3,
		         cur ? base : (on ? A_NORMAL : term_attr(TC_DIM)));
		enum cs_policy p = engine_guest_policy(app->guest, id);
		bool listed = p != CS_POLICY_NONE;
		pane_put(w, y, c.policy, listed ? engine_policy_name(p) : "-", 9,
		         cur ? base : (listed ? term_attr(TC_POLICY) : term_attr(TC_DIM)));
		if (c.origin >= 0) {
			origin_text(app, id, buf, sizeof(buf));
			pane_put(w, y, c.origin, buf, cols - c.origin,
			         cur ? base : term_attr(TC_DIM));
		}
	}

	/* Detail of the cursor's feature on the last row. */
	int id = app_feature_at_cursor(app);
	pane_fill(w, rows - 1, 0, term_attr(TC_DIM) | A_REVERSE);
	if (id >= 0) {
		char loc[96], orig[96], line[400];
		cs_feature_location(&app->arch->features[id], loc, sizeof(loc));
		origin_text(app, (unsigned)id, orig, sizeof(orig));
		char pool[64] = "";
		if (app->pool)
			snprintf(pool, sizeof(pool), ", %u of %zu pool hosts have it",
			         app_pool_have(app, (unsigned)id), app->pool->n);
		const char *why =
		        h->present ? cs_missing_reason(
		                             app->arch, (unsigned)id, h->vendor,
		                             cs_fset_test(&h->features, (unsigned)id),
		                             k->present ? cs_fset_test(&k->features, (unsigned)id)
		                                        : -1)
		                   : NULL;
		if (why == cs_reason_kvm_lacks) /* the line says so already */
			why = NULL;
		snprintf(line, sizeof(line), " %s: %s, %s, cpu %s%s%s%s%s%s%s",
		         app->arch->features[id].name, loc, orig,
		         h->present ? (cs_fset_test(&h->features, (unsigned)id) ? "has it"
		                                                                : "lacks it")
		                    : "unknown",
		         k->present ? ", KVM " : "",
		         k->present ? (cs_fset_test(&k->features, (unsigned)id) ? "gives it"
		                                                                : "cannot give it")
		                    : "",
		         pool, app->arch->features[id].migratable ? "" : ", not migratable",
		         why ? ": " : "", why ? why : "");
		pane_put(w, rows - 1, 0, line, cols, term_attr(TC_DIM) | A_REVERSE);
	} else {
		pane_put(w, rows - 1, 0,
		         app->source == SOURCE_GUEST && app->guest->model < 0 &&
		                         !app->guest->nfeatures
		                 ? " no guest yet: Enter on a model in the tree, or v to list all "
		                   "features"
		                 : " no features match",
		         cols, term_attr(TC_DIM) | A_REVERSE);
	}
}
