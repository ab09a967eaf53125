/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_features.c: the feature list: one row per feature, its keys, mouse and drawing */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cpuscope/pool.h"
#include "tui/app_int.h"

/* ---- rows ----------------------------------------------------------------- */

int view_features_source_model(const struct app *app)
{
	return view_tree_model(app);
}

int view_features_cursor(const struct app *app)
{
	size_t c = app->list[PANE_FEATURES].cursor;
	return c < app->nfrows ? (int)app->frows[c] : -1;
}

/* What the feature rows are built and sorted from. */
struct rows_ctx {
	const struct app *app;
	struct cs_fset listed;  /* features the guest lists */
	struct cs_fset problem; /* app_feature_is_problem(), for SORT_STATUS */
};

/* *out = the features app_feature_is_problem() flags. */
static void problems(const struct app *app, struct cs_fset *out)
{
	cs_fset_union(out, &app->v_cpu.missing, &app->v_cpu.forbidden);
	cs_fset_union(out, out, &app->v_kvm.missing);
	cs_fset_union(out, out, &app->v_kvm.forbidden);
	cs_fset_union(out, out, &app->v_pool.missing);
	cs_fset_union(out, out, &app->v_pool.forbidden);
}

static int status_rank(const struct rows_ctx *rc, unsigned id)
{
	const struct app *app = rc->app;

	if (cs_fset_test(&rc->problem, id))
		return 0;
	if (cs_fset_test(&rc->listed, id))
		return 1;
	if (cs_fset_test(&app->effective, id))
		return 2;
	return 3;
}

static void location_key(const struct cs_feature *f, unsigned long long key[3])
{
	key[0] = key[1] = key[2] = ~0ULL;
	if (!f->nitems)
		return;
	const struct cs_item *it = &f->items[0];
	key[0] = ((unsigned long long)it->kind << 32) | it->leaf;
	key[1] = it->subleaf;
	for (int r = 0; r < CS_REG_COUNT; r++) {
		if (it->reg[r]) {
			key[2] =
			        ((unsigned long long)r << 32) | (unsigned)__builtin_ctz(it->reg[r]);
			break;
		}
	}
}

static int compare_rows(const void *pa, const void *pb, void *ctx)
{
	const struct rows_ctx *rc = ctx;
	const struct app *app = rc->app;
	unsigned a = *(const unsigned *)pa, b = *(const unsigned *)pb;
	const struct cs_feature *fa = &app->arch->features[a], *fb = &app->arch->features[b];
	int c = 0;

	switch (app->sort) {
	case SORT_NAME:
		c = strcasecmp(fa->name, fb->name);
		break;
	case SORT_LOCATION: {
		unsigned long long ka[3], kb[3];
		location_key(fa, ka);
		location_key(fb, kb);
		for (int i = 0; i < 3 && !c; i++)
			c = ka[i] < kb[i] ? -1 : ka[i] > kb[i];
		break;
	}
	case SORT_STATUS:
		c = status_rank(rc, a) - status_rank(rc, b);
		break;
	case SORT_MAP:
	case SORT_COUNT:
		break;
	}
	return c ? c : (a > b) - (a < b);
}

static void build_features(struct app *app)
{
	const struct app_host *h = app_ref_host(app);
	struct cs_fset set;
	struct rows_ctx rc = {app, {{0}}, {{0}}};
	int keep = view_features_cursor(app);

	engine_guest_listed(app->guest, &rc.listed);
	if (app->sort == SORT_STATUS)
		problems(app, &rc.problem);
	switch (app->source) {
	case SOURCE_GUEST:
		set = app->effective;
		cs_fset_union(&set, &set, &rc.listed);
		if (app->guest->mode == CS_CPU_MODE_CUSTOM && app->guest->model >= 0)
			cs_fset_union(&set, &set, &app->arch->models[app->guest->model].features);
		break;
	case SOURCE_MODEL: {
		int m = view_features_source_model(app);
		cs_fset_zero(&set);
		if (m >= 0)
			set = app->arch->models[m].features;
		break;
	}
	case SOURCE_ALL:
	case SOURCE_COUNT:
		cs_fset_zero(&set);
		for (size_t i = 0; i < app->arch->nfeatures; i++)
			cs_fset_set(&set, (unsigned)i);
		break;
	}
	app->nfrows = 0;
	for (size_t i = 0; i < app->arch->nfeatures; i++) {
		unsigned id = (unsigned)i;
		if (!cs_fset_test(&set, id))
			continue;
		if (app->only_missing) {
			bool host_lacks = h->present && !cs_fset_test(&h->features, id);
			bool pool_lacks = app->pool && app->pool->have[id] < app->pool->n;
			if (!host_lacks && !pool_lacks)
				continue;
		}
		if (app->only_changed && !cs_fset_test(&rc.listed, id))
			continue;
		if (app->filter[0] &&
		    !app_contains_nocase(app->arch->features[i].name, app->filter))
			continue;
		app->frows[app->nfrows++] = id;
	}
	if (app->sort != SORT_MAP && app->nfrows > 1)
		qsort_r(app->frows, app->nfrows, sizeof(app->frows[0]), compare_rows, &rc);
	if (keep >= 0)
		for (size_t r = 0; r < app->nfrows; r++)
			if (app->frows[r] == (unsigned)keep)
				app->list[PANE_FEATURES].cursor = r;
	view_list_fit(&app->list[PANE_FEATURES], app->nfrows);
}

static size_t features_rows(const struct app *app)
{
	return app->nfrows;
}

static const char *features_row_name(const struct app *app, size_t row)
{
	return app->arch->features[app->frows[row]].name;
}

static void features_refresh(struct app *app, unsigned changed)
{
	if (changed & (VIEW_CHANGED_GUEST | VIEW_CHANGED_LIST) ||
	    (changed & VIEW_CHANGED_MODEL && app->source == SOURCE_MODEL))
		build_features(app);
}

/* ---- keys ----------------------------------------------------------------- */

/* The feature a policy key applies to: the feature cursor. */
static int set_policy(struct app *app, enum cs_policy p, bool cycle, int dir)
{
	/* Cycle order: the usual choices first. */
	static const enum cs_policy order[] = {CS_POLICY_NONE,     CS_POLICY_REQUIRE,
	                                       CS_POLICY_OPTIONAL, CS_POLICY_DISABLE,
	                                       CS_POLICY_FORBID,   CS_POLICY_FORCE};
	int id = view_features_cursor(app);
	struct cs_cpudef *before;

	if (id < 0) {
		app_status(app, true, "no feature here");
		return APP_REDRAW;
	}
	if (app->guest->mode == CS_CPU_MODE_HOST_PASSTHROUGH ||
	    app->guest->mode == CS_CPU_MODE_MAXIMUM) {
		app_status(app, true, "mode %s takes no feature list",
		           engine_mode_name(app->guest->mode));
		return APP_REDRAW;
	}
	if (cycle) {
		enum cs_policy now = engine_guest_policy(app->guest, (unsigned)id);
		int i = 0, n = (int)(sizeof(order) / sizeof(order[0]));
		while (i < n && order[i] != now)
			i++;
		p = order[((i + dir) % n + n) % n];
	}
	before = app_edit_begin(app);
	engine_guest_set_policy(app->guest, (unsigned)id, p);
	app_status(app, false, "%s: %s", app->arch->features[id].name,
	           p == CS_POLICY_NONE ? "not listed" : engine_policy_name(p));
	return app_edit_commit(app, before);
}

/* The feature list's own actions, wherever the focus is. */
static int features_action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_FOCUS_FEATURES:
		return app_show_view(app, PANE_FEATURES);
	case ACT_FILTER:
		app_open_prompt(app, PROMPT_FILTER, app->filter);
		return APP_REDRAW;
	case ACT_FILTER_MISSING:
		app->only_missing = !app->only_missing;
		app->view = PANE_FEATURES;
		build_features(app);
		app_status(app, false, "missing only: %s", app->only_missing ? "on" : "off");
		return APP_REDRAW;
	case ACT_FILTER_CHANGED:
		app->only_changed = !app->only_changed;
		app->view = PANE_FEATURES;
		build_features(app);
		app_status(app, false, "changed only: %s", app->only_changed ? "on" : "off");
		return APP_REDRAW;
	case ACT_SORT:
		app->sort = (enum app_sort)((app->sort + 1) % SORT_COUNT);
		app->view = PANE_FEATURES;
		build_features(app);
		app_status(app, false, "sort by %s", view_features_sort_name(app->sort));
		return APP_REDRAW;
	case ACT_SOURCE:
		app->source = (enum app_source)((app->source + 1) % SOURCE_COUNT);
		app->view = PANE_FEATURES;
		app->list[PANE_FEATURES].cursor = 0;
		build_features(app);
		app_status(app, false, "listing the features of %s",
		           app->source == SOURCE_GUEST ? "the guest"
		           : app->source == SOURCE_ALL ? "the whole map"
		                                       : "the tree's model");
		return APP_REDRAW;
	case ACT_POLICY_CYCLE:
		return set_policy(app, CS_POLICY_NONE, true, 1);
	case ACT_POLICY_FORCE:
		return set_policy(app, CS_POLICY_FORCE, false, 0);
	case ACT_POLICY_REQUIRE:
		return set_policy(app, CS_POLICY_REQUIRE, false, 0);
	case ACT_POLICY_OPTIONAL:
		return set_policy(app, CS_POLICY_OPTIONAL, false, 0);
	case ACT_POLICY_DISABLE:
		return set_policy(app, CS_POLICY_DISABLE, false, 0);
	case ACT_POLICY_FORBID:
		return set_policy(app, CS_POLICY_FORBID, false, 0);
	case ACT_POLICY_CLEAR:
		return set_policy(app, CS_POLICY_NONE, false, 0);
	default:
		return 0;
	}
}

static int features_key(struct app *app, enum action a, bool focused)
{
	int r = features_action(app, a);

	if (r || !focused)
		return r;
	if (view_move_action(app, PANE_FEATURES, a))
		return APP_REDRAW;
	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT:
		return set_policy(app, CS_POLICY_NONE, true, a == ACT_RIGHT ? 1 : -1);
	case ACT_PICK:
		return set_policy(app, CS_POLICY_NONE, true, 1);
	default:
		return 0;
	}
}

static int features_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	bool hit;
	int r = view_mouse_list(app, PANE_FEATURES, ev, y, 2, &hit);

	(void)x;
	return hit && ev == MOUSE_DOUBLE ? set_policy(app, CS_POLICY_NONE, true, 1) : r;
}

/* ---- drawing -------------------------------------------------------------- */

/* The model whose inheritance the origin column explains. */
static int origin_model(const struct app *app)
{
	if (app->source == SOURCE_MODEL)
		return view_features_source_model(app);
	return app->guest->mode == CS_CPU_MODE_CUSTOM ? app->guest->model : -1;
}

static void origin_text(const struct app *app, unsigned id, char *buf, size_t size)
{
	int m = origin_model(app);
	int o = m >= 0 ? engine_feature_origin(app->arch, m, id) : -1;

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

/* The widest feature name and location among the rows (those shown when
 * there are very many, so that the columns stay put while scrolling
 * otherwise), at most limit columns each: a long name is measured only as
 * far as needed. */
static void visible_needs(const struct app *app, size_t first, size_t n, int limit, int *name,
                          int *loc)
{
	char buf[64];

	*name = 7; /* "feature" */
	*loc = 9;  /* "CPUID/MSR" */
	if (app->nfrows <= 4096)
		first = 0, n = app->nfrows;
	for (size_t i = first; i < first + n && i < app->nfrows; i++) {
		const struct cs_feature *f = &app->arch->features[app->frows[i]];
		int nw = view_width_upto(f->name, limit);
		engine_feature_location(f, buf, sizeof(buf));
		int lw = view_width_upto(buf, limit);
		*name = nw > *name ? nw : *name;
		*loc = lw > *loc ? lw : *loc;
	}
}

/* Columns from the window's width: the flags keep their width, the name
 * and the location take what their rows need while the origin keeps
 * ORIGIN_MIN columns, the origin has the rest. */
#define ORIGIN_MIN 14
static void columns(int width, bool kvm, bool pool, int name_need, int loc_need, struct cols *c)
{
	int flags = 4 + (kvm ? 4 : 0) + (pool ? POOL_W : 0) + 6 + 9;
	int room = width - 1 - flags - ORIGIN_MIN;

	c->name = 1;
	c->name_w = name_need + 1 < room ? name_need + 1 : room > 10 ? room : 10;
	room -= c->name_w + 1;
	c->loc_w = room >= 14 ? (loc_need + 1 < room ? loc_need + 1 : room) : 0;
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

/* The cursor's feature in a sentence, on row y. */
static void draw_detail(WINDOW *w, const struct app *app, int y, int cols)
{
	const struct app_host *h = &app->cpu, *k = &app->kvm;

	int id = view_features_cursor(app);
	view_fill(w, y, 0, term_attr(TC_DIM) | A_REVERSE);
	if (id >= 0) {
		char loc[96], orig[96], line[400];
		engine_feature_location(&app->arch->features[id], loc, sizeof(loc));
		origin_text(app, (unsigned)id, orig, sizeof(orig));
		char pool[64] = "";
		if (app->pool)
			snprintf(pool, sizeof(pool), ", %u of %zu pool hosts have it",
			         app_pool_have(app, (unsigned)id), app->pool->n);
		const char *why = engine_feature_reason(app->arch, (unsigned)id, h, k,
		                                        !strcmp(app_hv_name(app), "TCG"));
		char hv[16];
		snprintf(hv, sizeof(hv), ", %s ", app_hv_name(app));
		snprintf(line, sizeof(line), " %s: %s, %s, cpu %s%s%s%s%s%s%s",
		         app->arch->features[id].name, loc, orig,
		         h->present ? (cs_fset_test(&h->features, (unsigned)id) ? "has it"
		                                                                : "lacks it")
		                    : "unknown",
		         k->present ? hv : "",
		         k->present ? (cs_fset_test(&k->features, (unsigned)id) ? "gives it"
		                                                                : "cannot give it")
		                    : "",
		         pool, app->arch->features[id].migratable ? "" : ", not migratable",
		         why ? ": " : "", why ? why : "");
		view_put(w, y, 0, line, cols, term_attr(TC_DIM) | A_REVERSE);
	} else {
		view_put(w, y, 0,
		         app->source == SOURCE_GUEST && app->guest->model < 0 &&
		                         !app->guest->nfeatures
		                 ? " no guest yet: Enter on a model in the tree, or v to list all "
		                   "features"
		                 : " no features match",
		         cols, term_attr(TC_DIM) | A_REVERSE);
	}
}

static void features_draw(WINDOW *w, const struct app *app, bool focused)
{
	const struct app_list *l = &app->list[PANE_FEATURES];
	const struct app_host *h = &app->cpu, *k = &app->kvm;
	int rows = getmaxy(w), cols = getmaxx(w);
	char title[128], right[400];
	struct cols c;
	int m = view_features_source_model(app);

	snprintf(title, sizeof(title), " Features: %s%s (%zu)",
	         view_features_source_name(app->source),
	         app->source == SOURCE_MODEL ? (m >= 0 ? app->arch->models[m].name : "?") : "",
	         app->nfrows);
	snprintf(right, sizeof(right), "%s%s%s%s%s sort:%s ", app->only_missing ? " missing" : "",
	         app->only_changed ? " changed" : "", app->filter[0] ? " /" : "", app->filter,
	         app->filter[0] ? "/" : "", view_features_sort_name(app->sort));
	view_title(w, title, right, focused);
	int name_need, loc_need;
	visible_needs(app, l->scroll, (size_t)(rows > 2 ? rows - 2 : 0), cols, &name_need,
	              &loc_need);
	columns(cols, k->present, app->pool != NULL, name_need, loc_need, &c);

	attr_t ha = term_attr(TC_DIM) | A_UNDERLINE;
	view_fill(w, 1, 0, ha);
	view_put(w, 1, c.name, "feature", c.name_w, ha);
	if (c.loc >= 0)
		view_put(w, 1, c.loc, "CPUID/MSR", c.loc_w, ha);
	view_put(w, 1, c.host, h->present ? "cpu" : "cpu", 4, ha);
	if (c.kvm >= 0)
		view_put(w, 1, c.kvm, "kvm", 4, ha);
	if (c.pool >= 0)
		view_put(w, 1, c.pool, "pool", POOL_W, ha);
	view_put(w, 1, c.guest, "guest", 6, ha);
	view_put(w, 1, c.policy, "policy", 9, ha);
	if (c.origin >= 0)
		view_put(w, 1, c.origin, "origin", cols - c.origin, ha);

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

		view_fill(w, y, 0, base);
		if (problem)
			view_put(w, y, 0, "!", 1, cur ? base : term_attr(TC_BAD));
		view_put(w, y, c.name, f->name, c.name_w,
		         base | (problem && !cur ? term_attr(TC_BAD) : 0));
		if (c.loc >= 0) {
			engine_feature_location(f, buf, sizeof(buf));
			view_put(w, y, c.loc, buf, c.loc_w, cur ? base : term_attr(TC_DIM));
		}
		view_put(w, y, c.host + 1, has_glyph(h, id), 1, cur ? base : has_attr(h, id));
		if (c.kvm >= 0)
			view_put(w, y, c.kvm + 1, has_glyph(k, id), 1,
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
			view_put(w, y, c.pool, buf, POOL_W - 1, cur ? base : pa);
		}
		view_put(w, y, c.guest + 1, on ? "on" : "off", 3,
		         cur ? base : (on ? A_NORMAL : term_attr(TC_DIM)));
		enum cs_policy p = engine_guest_policy(app->guest, id);
		bool listed = p != CS_POLICY_NONE;
		view_put(w, y, c.policy, listed ? engine_policy_name(p) : "-", 9,
		         cur ? base : (listed ? term_attr(TC_POLICY) : term_attr(TC_DIM)));
		if (c.origin >= 0) {
			origin_text(app, id, buf, sizeof(buf));
			view_put(w, y, c.origin, buf, cols - c.origin,
			         cur ? base : term_attr(TC_DIM));
		}
	}

	draw_detail(w, app, rows - 1, cols);
}

const struct view_ops view_features_ops = {
        .name = "features",
        .ctx = KCTX_FEATURES,
        .place = VIEW_PLACE_SLOT,
        .chrome = 3,
        .rows = features_rows,
        .row_name = features_row_name,
        .key = features_key,
        .mouse = features_mouse,
        .update = features_refresh,
        .draw = features_draw,
};

const char *view_features_sort_name(enum app_sort s)
{
	static const char *const sort_names[SORT_COUNT] = {"map order", "name", "location",
	                                                   "status"};
	return (unsigned)s < SORT_COUNT ? sort_names[s] : "?";
}

const char *view_features_source_name(enum app_source s)
{
	static const char *const source_names[SOURCE_COUNT] = {"guest", "all", "model "};
	return (unsigned)s < SOURCE_COUNT ? source_names[s] : "?";
}
