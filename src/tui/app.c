/* app.c: the explorer's state and every action on it (no curses here) */
#include "tui/app.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/advice.h"
#include "cpuscope/compare.h"
#include "cpuscope/export.h"
#include "cpuscope/level.h"
#include "cpuscope/pool.h"
#include "cpuscope/xalloc.h"
#include "tui/keys.h"

/* ---- small helpers ------------------------------------------------------ */

void app_status(struct app *app, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->status, sizeof(app->status), fmt, ap);
	va_end(ap);
	app->status_error = error;
}

static bool contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return true;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

static size_t list_count(const struct app *app, enum app_pane p)
{
	switch (p) {
	case PANE_TREE:
		return app->ntrows;
	case PANE_FEATURES:
		return app->nfrows;
	case PANE_GUEST:
		return FIELD_COUNT;
	case PANE_OUTPUT:
		return app->nolines;
	case PANE_DIFF:
		return app->ndlines;
	case PANE_POOL:
		return app->nplines;
	case PANE_COUNT:
		break;
	}
	return 0;
}

/* Keep the cursor inside [0, n) and the scroll so that the cursor shows. */
static void list_fit(struct app_list *l, size_t n)
{
	size_t h = l->height ? l->height : 1;

	if (!n) {
		l->cursor = l->scroll = 0;
		return;
	}
	if (l->cursor >= n)
		l->cursor = n - 1;
	if (l->scroll > l->cursor)
		l->scroll = l->cursor;
	if (l->cursor >= l->scroll + h)
		l->scroll = l->cursor - h + 1;
	if (l->scroll + h > n)
		l->scroll = n > h ? n - h : 0;
}

/* Text views (output, diff, help) scroll: the cursor is the top line. */
static void text_fit(struct app_list *l, size_t n)
{
	size_t h = l->height ? l->height : 1;
	size_t max = n > h ? n - h : 0;

	if (l->cursor > max)
		l->cursor = max;
	l->scroll = l->cursor;
}

static bool is_text_pane(enum app_pane p)
{
	return p == PANE_OUTPUT || p == PANE_DIFF || p == PANE_POOL;
}

static void list_move(struct app_list *l, size_t n, long delta, bool text)
{
	if (delta < 0 && (size_t)-delta > l->cursor)
		l->cursor = 0;
	else if (delta < 0)
		l->cursor -= (size_t)-delta;
	else
		l->cursor += (size_t)delta;
	if (text)
		text_fit(l, n);
	else
		list_fit(l, n);
}

/* ---- host side and badges ------------------------------------------------ */

const struct app_host *app_ref_host(const struct app *app)
{
	return app->kvm.present ? &app->kvm : &app->cpu;
}

static void compute_badges(struct app *app)
{
	const struct app_host *h = app_ref_host(app);

	for (size_t m = 0; m < app->arch->nmodels; m++) {
		unsigned miss = 0;

		if (!h->present) {
			app->badge[m] = BADGE_UNKNOWN;
		} else if (engine_model_runs(h, app->scratch, (int)m, &miss)) {
			app->badge[m] = BADGE_RUNS;
		} else {
			app->badge[m] = BADGE_MISSING;
		}
		app->badge_missing[m] = miss;
	}
}

enum app_badge app_badge(const struct app *app, int model, unsigned *n)
{
	if (app->badge_pool && app->pool) {
		size_t bad = app->pool->n - app->pool_runs[model];
		*n = bad > 99 ? 99 : (unsigned)bad;
		return bad ? BADGE_MISSING : BADGE_RUNS;
	}
	*n = app->badge_missing[model];
	return app->badge[model];
}

unsigned app_pool_have(const struct app *app, unsigned id)
{
	return app->pool ? app->pool->have[id] : 0;
}

/* Whether a plain guest of model runs on the reference host (when there is
 * one) and on every host of the pool (when there is one). */
static bool model_ok(const struct app *app, int m)
{
	bool host = app_ref_host(app)->present;

	if (host && app->badge[m] != BADGE_RUNS)
		return false;
	if (app->pool)
		return app->pool_runs[m] == app->pool->n;
	return host;
}

/* ---- tree --------------------------------------------------------------- */

static bool tree_visible(const struct app *app, int m)
{
	int v = app->arch->models[m].vendor;
	return app->vendor_filter < 0 || v < 0 || v == app->vendor_filter;
}

struct tree_links {
	int *first, *next;
};

/* Append the row of model m; returns its last visible child, or -1. */
static int tree_row(struct app *app, const struct tree_links *tl, int m, unsigned depth,
                    unsigned long cont, bool last)
{
	struct app_tree_row *r = &app->trows[app->ntrows++];
	int c, lastvis = -1;

	r->model = m;
	r->depth = depth;
	r->last = last;
	r->cont = cont;
	for (c = tl->first[m]; c >= 0; c = tl->next[c])
		if (tree_visible(app, c))
			lastvis = c;
	r->has_children = lastvis >= 0;
	return lastvis;
}

/* A model whose children are being listed. */
struct tree_frame {
	int child, lastvis; /* the next child to look at, the last visible one */
	unsigned depth;
	unsigned long cont; /* the children's cont bits */
};

/* The rows of root and its expanded descendants, depth first, without
 * recursion (a map may chain hundreds of thousands of models).  stack has
 * room for every model. */
static void tree_add(struct app *app, const struct tree_links *tl, struct tree_frame *stack,
                     int root, bool last)
{
	size_t sp = 0;
	int lastvis = tree_row(app, tl, root, 0, 0, last);

	if (!app->collapsed[root])
		stack[sp++] = (struct tree_frame){tl->first[root], lastvis, 0, 0};
	while (sp) {
		struct tree_frame *f = &stack[sp - 1];
		unsigned depth = f->depth + 1;
		unsigned long cont;
		int c = f->child;

		while (c >= 0 && !tree_visible(app, c))
			c = tl->next[c];
		if (c < 0) {
			sp--;
			continue;
		}
		f->child = tl->next[c];
		last = c == f->lastvis;
		lastvis = tree_row(app, tl, c, depth, f->cont, last);
		if (app->collapsed[c])
			continue;
		cont = f->cont;
		if (!last && depth - 1 < sizeof(cont) * 8)
			cont |= 1UL << (depth - 1);
		stack[sp++] = (struct tree_frame){tl->first[c], lastvis, depth, cont};
	}
}

/* Walk the inheritance tree: roots (no parent) in map order, each followed
 * by its visible children. */
static void build_hierarchy(struct app *app)
{
	size_t n = app->arch->nmodels;
	struct tree_links tl = {cs_xcalloc(n + 1, sizeof(int)), cs_xcalloc(n + 1, sizeof(int))};
	struct tree_frame *stack = cs_xcalloc(n + 1, sizeof(*stack));
	int *tail = cs_xcalloc(n + 1, sizeof(int));
	int lastroot = -1;

	for (size_t i = 0; i < n; i++)
		tl.first[i] = tl.next[i] = tail[i] = -1;
	for (size_t i = 0; i < n; i++) {
		int p = cs_model_tree_parent(app->arch, &app->arch->models[i], NULL);
		if (p < 0 || (size_t)p >= n)
			continue;
		if (tail[p] < 0)
			tl.first[p] = (int)i;
		else
			tl.next[tail[p]] = (int)i;
		tail[p] = (int)i;
	}
	for (size_t i = 0; i < n; i++)
		if (cs_model_tree_parent(app->arch, &app->arch->models[i], NULL) < 0 &&
		    tree_visible(app, (int)i))
			lastroot = (int)i;
	for (size_t i = 0; i < n; i++)
		if (cs_model_tree_parent(app->arch, &app->arch->models[i], NULL) < 0 &&
		    tree_visible(app, (int)i))
			tree_add(app, &tl, stack, (int)i, (int)i == lastroot);
	free(stack);
	free(tl.first);
	free(tl.next);
	free(tail);
}

static void build_tree(struct app *app)
{
	int keep = app_tree_model(app);

	app->ntrows = 0;
	if (app->flat) {
		for (size_t i = 0; i < app->arch->nmodels; i++)
			if (tree_visible(app, (int)i))
				app->trows[app->ntrows++] =
				        (struct app_tree_row){(int)i, 0, false, false, 0};
	} else {
		build_hierarchy(app);
	}
	if (keep >= 0)
		for (size_t r = 0; r < app->ntrows; r++)
			if (app->trows[r].model == keep)
				app->list[PANE_TREE].cursor = r;
	list_fit(&app->list[PANE_TREE], app->ntrows);
	app->tree_widest = app->tree_widest_compact = 0;
	for (size_t r = 0; r < app->ntrows; r++) {
		int n = app_tree_row_need(app, &app->trows[r], false);
		int c = app_tree_row_need(app, &app->trows[r], true);
		app->tree_widest = n > app->tree_widest ? n : app->tree_widest;
		app->tree_widest_compact =
		        c > app->tree_widest_compact ? c : app->tree_widest_compact;
	}
}

int app_tree_row_need(const struct app *app, const struct app_tree_row *r, bool compact)
{
	int anc = r->depth > 1 ? (int)r->depth - 1 : 0;

	return anc * (compact ? 1 : 2) + (r->depth ? 2 : 0) + 2 +
	       (int)strlen(app->arch->models[r->model].name) + 2;
}

/* The tree pane's wish: every row in full, compact when that is narrower
 * than the widest row drawn normally; 4 columns for the badges. */
static int tree_need(const struct app *app)
{
	int normal = app->tree_widest, compact = app->tree_widest_compact;

	return (compact < normal ? compact : normal) + 4;
}

int app_tree_model(const struct app *app)
{
	size_t c = app->list[PANE_TREE].cursor;
	return c < app->ntrows ? app->trows[c].model : -1;
}

/* ---- features ----------------------------------------------------------- */

int app_source_model(const struct app *app)
{
	return app_tree_model(app);
}

int app_feature_at_cursor(const struct app *app)
{
	size_t c = app->list[PANE_FEATURES].cursor;
	return c < app->nfrows ? (int)app->frows[c] : -1;
}

bool app_feature_is_problem(const struct app *app, unsigned id)
{
	return cs_fset_test(&app->v_cpu.missing, id) || cs_fset_test(&app->v_cpu.forbidden, id) ||
	       cs_fset_test(&app->v_kvm.missing, id) || cs_fset_test(&app->v_kvm.forbidden, id) ||
	       cs_fset_test(&app->v_pool.missing, id) || cs_fset_test(&app->v_pool.forbidden, id);
}

/* What the feature rows are built and sorted from. */
struct rows_ctx {
	const struct app *app;
	struct cs_fset listed; /* features the guest lists */
};

static int status_rank(const struct rows_ctx *rc, unsigned id)
{
	const struct app *app = rc->app;

	if (app_feature_is_problem(app, id))
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
	struct rows_ctx rc = {app, {{0}}};
	int keep = app_feature_at_cursor(app);

	engine_guest_listed(app->guest, &rc.listed);
	switch (app->source) {
	case SOURCE_GUEST:
		set = app->effective;
		cs_fset_union(&set, &set, &rc.listed);
		if (app->guest->mode == CS_CPU_MODE_CUSTOM && app->guest->model >= 0)
			cs_fset_union(&set, &set, &app->arch->models[app->guest->model].features);
		break;
	case SOURCE_MODEL: {
		int m = app_source_model(app);
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
		if (app->filter[0] && !contains_nocase(app->arch->features[i].name, app->filter))
			continue;
		app->frows[app->nfrows++] = id;
	}
	if (app->sort != SORT_MAP)
		qsort_r(app->frows, app->nfrows, sizeof(app->frows[0]), compare_rows, &rc);
	if (keep >= 0)
		for (size_t r = 0; r < app->nfrows; r++)
			if (app->frows[r] == (unsigned)keep)
				app->list[PANE_FEATURES].cursor = r;
	list_fit(&app->list[PANE_FEATURES], app->nfrows);
}

/* ---- recompute ---------------------------------------------------------- */

/* The verdict that decides whether the guest starts: KVM's when known. */
static const struct app_verdict *decisive(const struct app *app)
{
	return app->kvm.present ? &app->v_kvm : &app->v_cpu;
}

/* A model the reference host runs that keeps the most of what the guest
 * asks for; -1 when none. */
static int best_fallback(const struct app *app)
{
	const struct cs_arch *arch = app->arch;
	struct cs_fset want, tmp;
	int best = -1;
	unsigned best_keep = 0, best_size = 0;

	want = app->guest->model >= 0 ? arch->models[app->guest->model].features : app->effective;
	for (size_t m = 0; m < arch->nmodels; m++) {
		if (!model_ok(app, (int)m) || (int)m == app->guest->model)
			continue;
		if (app->guest->vendor_idx >= 0 && arch->models[m].vendor >= 0 &&
		    arch->models[m].vendor != app->guest->vendor_idx)
			continue;
		cs_fset_intersect(&tmp, &arch->models[m].features, &want);
		unsigned keep = cs_fset_count(&tmp);
		unsigned size = cs_fset_count(&arch->models[m].features);
		if (best < 0 || keep > best_keep || (keep == best_keep && size < best_size)) {
			best = (int)m;
			best_keep = keep;
			best_size = size;
		}
	}
	return best;
}

static void append(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

static void names_of(const struct app *app, const struct cs_fset *s, unsigned max, char *buf,
                     size_t size)
{
	unsigned n = 0, total = cs_fset_count(s);
	int id;

	cs_fset_foreach (id, s) {
		if (n == max)
			break;
		append(buf, size, "%s%s", n ? ", " : "", app->arch->features[id].name);
		n++;
	}
	if (total > n)
		append(buf, size, ", +%u", total - n);
}

/* What is at fault on any side (the CPU, KVM, the pool), which the fix
 * mends and apply_fix() applies. */
struct faults {
	bool incompatible;        /* on some side */
	struct cs_fset missing;   /* required, absent somewhere */
	struct cs_fset forbidden; /* forbidden, present somewhere */
	bool vendor;              /* the guest's vendor is refused somewhere */
	bool extra;               /* match='strict' extras somewhere */
};

static void faults_of(const struct app *app, struct faults *f)
{
	const struct app_pool_verdict *pv = &app->v_pool;

	f->incompatible = engine_verdict_fails(decisive(app)->state, decisive(app)->compat) ||
	                  engine_verdict_fails(app->v_cpu.state, app->v_cpu.compat) ||
	                  engine_verdict_fails(pv->state, pv->compat);
	cs_fset_union(&f->missing, &app->v_cpu.missing, &app->v_kvm.missing);
	cs_fset_union(&f->missing, &f->missing, &pv->missing);
	cs_fset_union(&f->forbidden, &app->v_cpu.forbidden, &app->v_kvm.forbidden);
	cs_fset_union(&f->forbidden, &f->forbidden, &pv->forbidden);
	f->vendor = app->v_cpu.vendor_mismatch || app->v_kvm.vendor_mismatch || pv->vendor_mismatch;
	f->extra = !cs_fset_is_empty(&app->v_cpu.extra) || !cs_fset_is_empty(&app->v_kvm.extra) ||
	           !cs_fset_is_empty(&pv->extra);
}

static void compute_fix(struct app *app)
{
	const struct app_verdict *v = decisive(app);
	const struct app_pool_verdict *pv = &app->v_pool;
	struct faults f;

	app->fix_text[0] = '\0';
	app->fix_model = -1;
	if ((v->state == VERDICT_ERROR || pv->state == VERDICT_ERROR) && app->guest->model < 0) {
		snprintf(app->fix_text, sizeof(app->fix_text),
		         "pick a model: Enter on a model in the tree");
		return;
	}
	faults_of(app, &f);
	if (!f.incompatible)
		return;
	if (!cs_fset_is_empty(&f.missing)) {
		unsigned n = cs_fset_count(&f.missing);
		append(app->fix_text, sizeof(app->fix_text), "disable %u feature%s (", n,
		       n == 1 ? "" : "s");
		names_of(app, &f.missing, 3, app->fix_text, sizeof(app->fix_text));
		append(app->fix_text, sizeof(app->fix_text), ")");
	}
	if (!cs_fset_is_empty(&f.forbidden)) {
		unsigned n = cs_fset_count(&f.forbidden);
		append(app->fix_text, sizeof(app->fix_text), "%sstop forbidding %u feature%s",
		       app->fix_text[0] ? ", " : "", n, n == 1 ? "" : "s");
	}
	if (f.vendor)
		append(app->fix_text, sizeof(app->fix_text), "%sclear the vendor",
		       app->fix_text[0] ? ", " : "");
	if (f.extra)
		append(app->fix_text, sizeof(app->fix_text), "%sset match to exact",
		       app->fix_text[0] ? ", " : "");
	/* A model to fall back to, when the guest's own model is the problem. */
	if (!cs_fset_is_empty(&f.missing) &&
	    (app->guest->model < 0 || !model_ok(app, app->guest->model))) {
		/* The map's variant of the model without them (Haswell-noTSX where
		 * TSX is off) comes first; else the model that keeps the most. */
		int var = cs_model_variant_without(app->arch, app->guest->model, &f.missing, NULL);
		app->fix_model = var >= 0 && model_ok(app, var) ? var : best_fallback(app);
		if (app->fix_model >= 0)
			append(app->fix_text, sizeof(app->fix_text), " or fall back to model %s",
			       app->arch->models[app->fix_model].name);
	}
}

void app_recompute(struct app *app)
{
	engine_effective(app->arch, app_ref_host(app), app->guest, &app->effective, &app->level,
	                 &app->level_next);
	if (app->guest->mode == CS_CPU_MODE_CUSTOM && app->guest->model < 0)
		app->level = 0;
	cs_fset_zero(&app->mitig_off);
	if (app_ref_host(app)->present &&
	    (app->guest->model >= 0 || app->guest->mode != CS_CPU_MODE_CUSTOM)) {
		cs_fset_intersect(&app->mitig_off, &app->mitigations, &app_ref_host(app)->features);
		cs_fset_diff(&app->mitig_off, &app->mitig_off, &app->effective);
	}
	engine_judge(&app->cpu, &app->kvm, app->pool, app->guest, app->pool_res, &app->v_cpu,
	             &app->v_kvm, &app->v_pool);
	app->pool_stale = true;
	app->dirty = !engine_guest_equal(app->guest, app->saved);
	compute_fix(app);
	app->output_stale = true;
	build_features(app);
}

/* ---- texts for the output and diff views ------------------------------------ */

static void lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

/* Add s[0..len) as a line, a tab shown as four spaces. */
static void lines_add(char ***lines, size_t *n, size_t *cap, const char *s, size_t len)
{
	size_t tabs = 0, k = 0;
	char *line;

	for (size_t i = 0; i < len; i++)
		tabs += s[i] == '\t';
	line = cs_xmalloc(len + 3 * tabs + 1);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\t') {
			memcpy(line + k, "    ", 4);
			k += 4;
		} else {
			line[k++] = s[i];
		}
	}
	line[k] = '\0';
	CS_GROW(*lines, *cap, *n + 1);
	(*lines)[(*n)++] = line;
}

static void lines_add_text(char ***lines, size_t *n, size_t *cap, const char *text)
{
	if (!*text)
		lines_add(lines, n, cap, "", 0);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		lines_add(lines, n, cap, text, len);
		text += len + (nl ? 1 : 0);
	}
}

/* Split s after commas or spaces so that no line is wider than width;
 * continuation lines are indented by two spaces. */
static void lines_add_wrapped(char ***lines, size_t *n, size_t *cap, const char *s, size_t width)
{
	char buf[512];
	bool first = true;

	if (width < 20)
		width = 20;
	while (strlen(s) + (first ? 0 : 2) > width) {
		size_t room = width - (first ? 0 : 2), cut = room;
		while (cut > 1 && s[cut - 1] != ',' && s[cut - 1] != ' ')
			cut--;
		if (cut <= 1)
			cut = room;
		size_t ind = first ? 0 : 2;
		if (cut > sizeof(buf) - 3)
			cut = sizeof(buf) - 3;
		memcpy(buf, "  ", ind);
		memcpy(buf + ind, s, cut);
		lines_add(lines, n, cap, buf, ind + cut);
		s += cut;
		first = false;
	}
	size_t ind = first ? 0 : 2, len = strlen(s);
	if (len > sizeof(buf) - 3)
		len = sizeof(buf) - 3;
	memcpy(buf, "  ", ind);
	memcpy(buf + ind, s, len);
	lines_add(lines, n, cap, buf, ind + len);
}

/* Why the hosts lack the features at fault, where that is known. */
static void why_section(struct app *app, size_t *cap, size_t w)
{
	struct cs_reason_group g[16];
	struct cs_fset missing;
	const struct cs_fset *cpu = app->cpu.present ? &app->cpu.features : NULL,
	                     *kvm = app->kvm.present ? &app->kvm.features : NULL;
	char line[700];
	size_t n;

	/* Required features some side lacks (those the CPU lacks and KVM
	 * gives are among them: only cpu-compare holds them against the guest). */
	cs_fset_union(&missing, &app->v_cpu.missing, &app->v_kvm.missing);
	cs_fset_union(&missing, &missing, &app->v_pool.missing);
	n = cs_missing_reasons(app->arch, &missing, app->cpu.vendor, cpu, kvm, g,
	                       sizeof(g) / sizeof(g[0]));
	if (!n)
		return;
	lines_add_text(&app->olines, &app->nolines, cap, "");
	lines_add_text(&app->olines, &app->nolines, cap, "Why the host lacks them:");
	for (size_t i = 0; i < n; i++) {
		line[0] = '\0';
		names_of(app, &g[i].features, 12, line, sizeof(line));
		append(line, sizeof(line), ": %s", g[i].reason);
		lines_add_wrapped(&app->olines, &app->nolines, cap, line, w);
	}
	if (app->fix_model >= 0 && app->guest->model >= 0) {
		snprintf(line, sizeof(line), "A falls back to %s.",
		         app->arch->models[app->fix_model].name);
		lines_add_wrapped(&app->olines, &app->nolines, cap, line, w);
	}
}

/* An export form under its title, with what it cannot say as comments;
 * takes text and notes (either may be NULL). */
static void export_section(struct app *app, size_t *cap, size_t w, const char *title, char *text,
                           char *notes)
{
	char line[700];

	lines_add_text(&app->olines, &app->nolines, cap, title);
	if (text && !strchr(text, '\n'))
		lines_add_wrapped(&app->olines, &app->nolines, cap, text, w); /* one command */
	else if (text)
		lines_add_text(&app->olines, &app->nolines, cap, text);
	for (char *s = notes, *nl; s && *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			break;
		*nl = '\0';
		snprintf(line, sizeof(line), "  # %s", s);
		lines_add_wrapped(&app->olines, &app->nolines, cap, line, w);
	}
	lines_add_text(&app->olines, &app->nolines, cap, "");
	free(text);
	free(notes);
}

static void build_output(struct app *app)
{
	char *xml = engine_guest_xml(app->guest);
	char *arg = engine_qemu_arg(app->guest, app_ref_host(app));
	size_t cap = 0, w = (size_t)(app->layout.pane[PANE_OUTPUT].w > 2
	                                     ? app->layout.pane[PANE_OUTPUT].w - 2
	                                     : 60);
	char line[700];

	lines_free(app->olines, app->nolines);
	app->olines = NULL;
	app->nolines = 0;
	lines_add_text(&app->olines, &app->nolines, &cap, "Guest <cpu> (for virsh edit):");
	lines_add_text(&app->olines, &app->nolines, &cap, xml);
	lines_add_text(&app->olines, &app->nolines, &cap, "");
	lines_add_text(&app->olines, &app->nolines, &cap, "QEMU argument:");
	lines_add_wrapped(&app->olines, &app->nolines, &cap, arg, w);
	lines_add_text(&app->olines, &app->nolines, &cap, "");
	snprintf(line, sizeof(line), "Guest sees %u features.", cs_fset_count(&app->effective));
	lines_add_text(&app->olines, &app->nolines, &cap, line);
	if (!cs_fset_is_empty(&app->mitig_off)) {
		snprintf(line, sizeof(line),
		         "Mitigations the host has and the guest lacks (M requires them): ");
		names_of(app, &app->mitig_off, 20, line, sizeof(line));
		lines_add_wrapped(&app->olines, &app->nolines, &cap, line, w);
	}
	if (!strcmp(app->arch->name, "x86") &&
	    (app->guest->model >= 0 || app->guest->mode != CS_CPU_MODE_CUSTOM)) {
		snprintf(line, sizeof(line), "Level %s", cs_x86_level_name(app->level));
		if (app->level < CS_LEVEL_MAX && cs_fset_is_empty(&app->level_next)) {
			append(line, sizeof(line), "; the map lacks features %s needs",
			       cs_x86_level_name(app->level + 1));
		} else if (app->level < CS_LEVEL_MAX) {
			append(line, sizeof(line), "; %s also needs ",
			       cs_x86_level_name(app->level + 1));
			names_of(app, &app->level_next, 12, line, sizeof(line));
		}
		append(line, sizeof(line), " (RHEL 9 needs x86-64-v2, RHEL 10 x86-64-v3).");
		lines_add_wrapped(&app->olines, &app->nolines, &cap, line, w);
	}
	snprintf(line, sizeof(line), "cpu-compare (%s): %s: %s", app->cpu.source,
	         engine_verdict_name(app->v_cpu.state, app->v_cpu.compat), app->v_cpu.message);
	lines_add_wrapped(&app->olines, &app->nolines, &cap, line, w);
	if (app->kvm.present) {
		snprintf(line, sizeof(line), "hypervisor-cpu-compare (KVM): %s: %s",
		         engine_verdict_name(app->v_kvm.state, app->v_kvm.compat),
		         app->v_kvm.message);
		lines_add_wrapped(&app->olines, &app->nolines, &cap, line, w);
	}
	why_section(app, &cap, w);
	lines_add_text(&app->olines, &app->nolines, &cap, "");
	{
		char *notes = NULL, *vx = cs_export_virt_xml(app->guest, &notes), *kv;
		char *cmd = cs_xasprintf("virt-xml VM --edit --cpu %s", vx);
		free(vx);
		export_section(app, &cap, w, "virt-xml / virt-install:", cmd, notes);
		notes = NULL;
		kv = cs_export_kubevirt(app->guest, &notes);
		export_section(app, &cap, w, "KubeVirt (spec.domain.cpu of the VMI):", kv, notes);
		notes = NULL;
		char *px = cs_export_proxmox(app->guest, "cpuscope", &notes);
		export_section(app, &cap, w, "Proxmox VE (custom CPU model):", px, notes);
		notes = NULL;
		char *nova = cs_export_nova(app->guest, &notes);
		export_section(app, &cap, w, "OpenStack Nova:", nova, notes);
	}
	free(xml);
	free(arg);
	app->output_stale = false;
	text_fit(&app->list[PANE_OUTPUT], app->nolines);
}

static void diff_section(struct app *app, size_t *cap, const char *title, const struct cs_fset *s)
{
	char line[200];
	int id;

	snprintf(line, sizeof(line), "%s (%u)", title, cs_fset_count(s));
	lines_add_text(&app->dlines, &app->ndlines, cap, line);
	cs_fset_foreach (id, s) {
		char loc[64];
		cs_feature_location(&app->arch->features[id], loc, sizeof(loc));
		snprintf(line, sizeof(line), "  %-22s %s", app->arch->features[id].name, loc);
		lines_add_text(&app->dlines, &app->ndlines, cap, line);
	}
	if (cs_fset_is_empty(s))
		lines_add_text(&app->dlines, &app->ndlines, cap, "  (none)");
	lines_add_text(&app->dlines, &app->ndlines, cap, "");
}

static void build_diff(struct app *app)
{
	const struct cs_model *a = &app->arch->models[app->diff_a],
	                      *b = &app->arch->models[app->diff_b];
	struct cs_fset only_a, only_b, both;
	size_t cap = 0;
	char line[200];

	lines_free(app->dlines, app->ndlines);
	app->dlines = NULL;
	app->ndlines = 0;
	cs_fset_diff(&only_a, &a->features, &b->features);
	cs_fset_diff(&only_b, &b->features, &a->features);
	cs_fset_intersect(&both, &a->features, &b->features);
	snprintf(line, sizeof(line), "%s has %u features, %s has %u; %u in common.", a->name,
	         cs_fset_count(&a->features), b->name, cs_fset_count(&b->features),
	         cs_fset_count(&both));
	lines_add_text(&app->dlines, &app->ndlines, &cap, line);
	lines_add_text(&app->dlines, &app->ndlines, &cap, "");
	snprintf(line, sizeof(line), "In %s, not in %s", a->name, b->name);
	diff_section(app, &cap, line, &only_a);
	snprintf(line, sizeof(line), "In %s, not in %s", b->name, a->name);
	diff_section(app, &cap, line, &only_b);
	text_fit(&app->list[PANE_DIFF], app->ndlines);
}

/* A pool host's CPU in a few words: "Skylake-Server +4 (Intel)". */
static void pool_host_cpu(const struct app *app, const struct cs_pool_host *h, char *buf,
                          size_t size)
{
	const struct cs_cpudef *c = h->cpu;
	unsigned extra = 0, gone = 0;

	for (size_t i = 0; i < c->nfeatures; i++) {
		enum cs_policy p = c->features[i].policy;
		if (p == CS_POLICY_DISABLE || p == CS_POLICY_FORBID)
			gone++;
		else if (p != CS_POLICY_OPTIONAL)
			extra++;
	}
	snprintf(buf, size, "%s", c->model >= 0 ? app->arch->models[c->model].name : "?");
	if (extra)
		append(buf, size, " +%u", extra);
	if (gone)
		append(buf, size, " -%u", gone);
	if (h->kvm_view)
		append(buf, size, " (KVM)");
	append(buf, size, ", %s",
	       cs_x86_level_name(cs_x86_level(app->arch, &h->facts.features, NULL)));
}

static void build_pool(struct app *app)
{
	const struct cs_pool *pool = app->pool;
	const struct app_pool_verdict *pv = &app->v_pool;
	size_t cap = 0,
	       w = (size_t)(app->layout.pane[PANE_POOL].w > 2 ? app->layout.pane[PANE_POOL].w - 2
	                                                      : 60);
	size_t nw = 4;
	char line[1200], cpu[160], hosts[96];
	bool known = pv->state == VERDICT_DONE;
	struct cs_fset lacking;
	int id;

	lines_free(app->plines, app->nplines);
	app->plines = NULL;
	app->nplines = 0;
	app->pool_stale = false;
	if (!pool) {
		lines_add_text(&app->plines, &app->nplines, &cap,
		               "No pool: start cpuscope with --pool FILE (repeatable).");
		text_fit(&app->list[PANE_POOL], app->nplines);
		return;
	}
	/* One entry per distinct CPU, named by its hosts: a pool of any size
	 * costs what its distinct CPUs cost. */
	for (size_t k = 0; k < pool->ndistinct; k++)
		if (strlen(app->pool_names[k]) > nw)
			nw = strlen(app->pool_names[k]);
	if (nw > 32)
		nw = 32;
	if (pool->ndistinct < pool->n)
		snprintf(hosts, sizeof(hosts), "%zu hosts (%zu distinct CPUs)", pool->n,
		         pool->ndistinct);
	else
		snprintf(hosts, sizeof(hosts), "%zu hosts", pool->n);
	if (!known)
		snprintf(line, sizeof(line), "%s; the guest: %s", hosts, pv->message);
	else if (pv->nbad)
		snprintf(line, sizeof(line), "%s: %zu can run the guest, %zu cannot.", hosts,
		         pool->n - pv->nbad, pv->nbad);
	else
		snprintf(line, sizeof(line), "%s: every one can run the guest.", hosts);
	lines_add_text(&app->plines, &app->nplines, &cap, line);
	if (known && pv->nbad) {
		/* The map's variant of the guest's model without what hosts lack. */
		struct cs_fset drop;
		int var =
		        cs_model_variant_without(app->arch, app->guest->model, &pv->missing, &drop);

		if (var >= 0) {
			snprintf(line, sizeof(line), "%s is %s without ",
			         app->arch->models[var].name,
			         app->arch->models[app->guest->model].name);
			names_of(app, &drop, 8, line, sizeof(line));
			append(line, sizeof(line), ": %zu of %zu hosts run it.",
			       app->pool_runs[var], pool->n);
			lines_add_wrapped(&app->plines, &app->nplines, &cap, line, w);
		}
	}
	lines_add_text(&app->plines, &app->nplines, &cap, "");
	lines_add_text(&app->plines, &app->nplines, &cap,
	               pool->ndistinct < pool->n ? "Hosts, by CPU:" : "Hosts:");
	for (size_t k = 0; k < pool->ndistinct; k++) {
		const struct cs_compare_result *r = &app->pool_res[k];
		pool_host_cpu(app, &pool->hosts[pool->firsts[k]], cpu, sizeof(cpu));
		snprintf(line, sizeof(line), "  %-*.*s  %-12s  %s", (int)nw, (int)nw,
		         app->pool_names[k], known ? cs_compat_name(r->compat) : "-", cpu);
		lines_add_text(&app->plines, &app->nplines, &cap, line);
		if (known && r->compat == CS_COMPAT_INCOMPATIBLE) {
			char *msg = cs_compare_message(r);
			snprintf(line, sizeof(line), "      %s", msg);
			lines_add_wrapped(&app->plines, &app->nplines, &cap, line, w);
			free(msg);
		}
	}
	lines_add_text(&app->plines, &app->nplines, &cap, "");
	cs_fset_zero(&lacking);
	for (size_t i = 0; i < app->arch->nfeatures; i++)
		if (pool->have[i] && pool->have[i] < pool->n)
			cs_fset_set(&lacking, (unsigned)i);
	snprintf(line, sizeof(line),
	         "Features some hosts have and others lack (%u):", cs_fset_count(&lacking));
	lines_add_text(&app->plines, &app->nplines, &cap, line);
	/* Those the guest requires first: they are why hosts fail. */
	for (int pass = 0; pass < 2; pass++) {
		cs_fset_foreach (id, &lacking) {
			bool req = cs_fset_test(&pv->missing, (unsigned)id);
			size_t len, shown = 0;
			if (req != (pass == 0))
				continue;
			snprintf(line, sizeof(line),
			         "  %-20s %u of %zu%s; lacking:", app->arch->features[id].name,
			         pool->have[id], pool->n, req ? " (the guest requires it)" : "");
			len = strlen(line);
			for (size_t k = 0; k < pool->ndistinct && len < sizeof(line) - 80; k++) {
				const struct cs_pool_host *h = &pool->hosts[pool->firsts[k]];
				if (cs_fset_test(&h->facts.features, (unsigned)id))
					continue;
				if (shown++ == 6) {
					len += (size_t)snprintf(line + len, sizeof(line) - len,
					                        " ...");
					break;
				}
				len += (size_t)snprintf(line + len, sizeof(line) - len, "%s %s",
				                        shown > 1 ? "," : "", app->pool_names[k]);
			}
			lines_add_wrapped(&app->plines, &app->nplines, &cap, line, w);
		}
	}
	if (cs_fset_is_empty(&lacking))
		lines_add_text(&app->plines, &app->nplines, &cap, "  (none: the hosts are alike)");
	lines_add_text(&app->plines, &app->nplines, &cap, "");
	lines_add_text(&app->plines, &app->nplines, &cap,
	               "Baseline of the pool (B makes it the guest):");
	snprintf(line, sizeof(line), "  %s", app->pool_base_text);
	lines_add_wrapped(&app->plines, &app->nplines, &cap, line, w);
	lines_add_text(&app->plines, &app->nplines, &cap, "");
	lines_add_text(&app->plines, &app->nplines, &cap, "Models every host runs:");
	line[0] = '\0';
	for (size_t m = 0; m < app->arch->nmodels; m++)
		if (app->pool_runs[m] == pool->n)
			append(line, sizeof(line), "%s%s", line[0] ? ", " : "  ",
			       app->arch->models[m].name);
	lines_add_wrapped(&app->plines, &app->nplines, &cap, line[0] ? line : "  (none)", w);
	text_fit(&app->list[PANE_POOL], app->nplines);
}

void app_prepare(struct app *app)
{
	bool out_visible = app->view == PANE_OUTPUT || app->layout.wide;

	if (out_visible && (app->output_stale || !app->olines))
		build_output(app);
	if (app->view == PANE_DIFF && !app->dlines && app->diff_a >= 0 && app->diff_b >= 0)
		build_diff(app);
	if (app->view == PANE_POOL && (app->pool_stale || !app->plines))
		build_pool(app);
}

/* ---- layout --------------------------------------------------------------- */

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void app_layout(struct app_layout *l, int rows, int cols)
{
	app_layout_rows(l, rows, cols, 0, 0);
}

void app_layout_rows(struct app_layout *l, int rows, int cols, int extra_verdict, int tree_need)
{
	int body_y = 1, body_h, tw, rx, rw, gh;
	struct app_rect grid[FIELD_COUNT];

	memset(l, 0, sizeof(*l));
	l->rows = rows;
	l->cols = cols;
	l->too_small = rows < APP_MIN_ROWS || cols < APP_MIN_COLS;
	if (l->too_small)
		return;
	l->header = (struct app_rect){0, 0, 1, cols, true};
	l->keybar = (struct app_rect){rows - 1, 0, 1, cols, true};
	l->verdict.h = (rows >= 30 ? 3 : 2) + (extra_verdict > 0 ? extra_verdict : 0);
	l->verdict = (struct app_rect){rows - 1 - l->verdict.h, 0, l->verdict.h, cols, true};
	body_h = l->verdict.y - body_y;
	/* 30% of the width, at most 40 columns; a deep tree may take 46. */
	tw = clampi(cols * 3 / 10, 24, clampi(tree_need, 40, 46));
	l->pane[PANE_TREE] = (struct app_rect){body_y, 0, body_h, tw, true};
	l->separator = (struct app_rect){body_y, tw, body_h, 1, true};
	rx = tw + 1;
	rw = cols - rx;
	l->wide = cols >= 150;
	if (l->wide) {
		int ow = clampi(cols * 3 / 10, 44, 70);
		l->pane[PANE_OUTPUT] = (struct app_rect){body_y, cols - ow, body_h, ow, true};
		rw -= ow + 1;
	}
	gh = 1 + app_guest_grid(rw, grid);
	l->pane[PANE_GUEST] = (struct app_rect){body_y, rx, gh, rw, true};
	l->pane[PANE_FEATURES] = (struct app_rect){body_y + gh, rx, body_h - gh, rw, true};
	l->pane[PANE_DIFF] = l->pane[PANE_FEATURES];
	l->pane[PANE_POOL] = l->pane[PANE_FEATURES];
	if (!l->wide)
		l->pane[PANE_OUTPUT] = l->pane[PANE_FEATURES];
}

/* clang-format off */
static const struct { const char *label; int width; } field_info[FIELD_COUNT] = {
	[FIELD_MODE]     = { "mode",     16 },
	[FIELD_MATCH]    = { "match",    7 },
	[FIELD_CHECK]    = { "check",    7 },
	[FIELD_MODEL]    = { "model",    25 },
	[FIELD_FALLBACK] = { "fallback", 6 },
	[FIELD_VENDOR]   = { "vendor",   6 },
	[FIELD_SOCKETS]  = { "sockets",  3 },
	[FIELD_DIES]     = { "dies",     3 },
	[FIELD_CLUSTERS] = { "clusters", 3 },
	[FIELD_CORES]    = { "cores",    3 },
	[FIELD_THREADS]  = { "threads",  3 },
};
/* clang-format on */

const char *app_field_name(enum app_field f)
{
	return (unsigned)f < FIELD_COUNT ? field_info[f].label : "?";
}

int app_guest_grid(int width, struct app_rect pos[FIELD_COUNT])
{
	int row = 0, x = 1;

	for (int f = 0; f < FIELD_COUNT; f++) {
		int w = (int)strlen(field_info[f].label) + 1 + field_info[f].width;
		bool brk = f == FIELD_MODEL || f == FIELD_VENDOR;
		if (x > 1 && (x + w > width || (brk && width < 100)))
			row++, x = 1;
		pos[f] = (struct app_rect){row, x, 1, w, true};
		x += w + 2;
	}
	return row + 1;
}

static void fit_all(struct app *app)
{
	const struct app_layout *l = &app->layout;

	app->list[PANE_TREE].height = (size_t)clampi(l->pane[PANE_TREE].h - 1, 1, 10000);
	app->list[PANE_FEATURES].height = (size_t)clampi(l->pane[PANE_FEATURES].h - 3, 1, 10000);
	app->list[PANE_OUTPUT].height = (size_t)clampi(l->pane[PANE_OUTPUT].h - 1, 1, 10000);
	app->list[PANE_DIFF].height = (size_t)clampi(l->pane[PANE_DIFF].h - 1, 1, 10000);
	app->list[PANE_POOL].height = (size_t)clampi(l->pane[PANE_POOL].h - 1, 1, 10000);
	app->list[PANE_GUEST].height = FIELD_COUNT;
	app->help.height = (size_t)clampi(l->rows - 5, 1, 10000);
	list_fit(&app->list[PANE_TREE], app->ntrows);
	list_fit(&app->list[PANE_FEATURES], app->nfrows);
	text_fit(&app->list[PANE_OUTPUT], app->nolines);
	text_fit(&app->list[PANE_DIFF], app->ndlines);
	text_fit(&app->list[PANE_POOL], app->nplines);
	text_fit(&app->help, keys_help_count());
}

void app_resize(struct app *app, int rows, int cols)
{
	bool was_wide = app->layout.wide;
	int old_w = app->layout.pane[PANE_OUTPUT].w;
	int old_pw = app->layout.pane[PANE_POOL].w;

	app_layout_rows(&app->layout, rows, cols, app->pool ? 1 : 0, app->tree_need);
	if (was_wide != app->layout.wide || old_w != app->layout.pane[PANE_OUTPUT].w)
		app->output_stale = true;
	if (old_pw != app->layout.pane[PANE_POOL].w)
		app->pool_stale = true;
	if (app->layout.wide && app->view == PANE_OUTPUT)
		app->view = PANE_FEATURES;
	fit_all(app);
}

/* ---- life cycle --------------------------------------------------------------- */

static void make_map_label(struct app *app)
{
	const char *p = app->map->path ? app->map->path : "?";
	const char *ver = strstr(p, "libvirt-");

	if (ver && ver[8] >= '0' && ver[8] <= '9') {
		size_t n = strspn(ver + 8, "0123456789.");
		if (n && ver[8 + n - 1] == '.')
			n--;
		snprintf(app->map_label, sizeof(app->map_label), "%s (libvirt %.*s)", p, (int)n,
		         ver + 8);
	} else {
		snprintf(app->map_label, sizeof(app->map_label), "%s", p);
	}
}

void app_init(struct app *app, const struct cs_map *map, const struct app_host *cpu,
              const struct app_host *kvm)
{
	size_t nm, nf;

	memset(app, 0, sizeof(*app));
	app->map = map;
	app->arch = cs_map_arch(map, "x86");
	if (!app->arch)
		app->arch = &map->arches[0];
	nm = app->arch->nmodels;
	nf = app->arch->nfeatures;
	app->cpu = *cpu;
	app->kvm = *kvm;
	app->collapsed = cs_xcalloc(nm + 1, sizeof(*app->collapsed));
	app->badge = cs_xcalloc(nm + 1, sizeof(*app->badge));
	app->badge_missing = cs_xcalloc(nm + 1, sizeof(*app->badge_missing));
	app->trows = cs_xcalloc(nm + 1, sizeof(*app->trows));
	app->frows = cs_xcalloc(nf + 1, sizeof(*app->frows));
	app->undo = cs_xcalloc(APP_UNDO_MAX, sizeof(*app->undo));
	app->redo = cs_xcalloc(APP_UNDO_MAX, sizeof(*app->redo));
	app->vendor_filter = -1;
	app->mark[0] = app->mark[1] = -1;
	app->diff_a = app->diff_b = -1;
	app->focus = PANE_TREE;
	app->view = PANE_FEATURES;
	app->fix_model = -1;
	make_map_label(app);
	cs_mitigations(app->arch, &app->mitigations);
	app->guest = engine_guest_new(map, app->arch);
	app->scratch = engine_guest_new(map, app->arch);
	app->saved = engine_guest_copy(app->guest);
	compute_badges(app);
	build_tree(app);
	app->tree_need = tree_need(app);
	app_resize(app, 24, 80);
	app_recompute(app);
}

static void pool_names_free(struct app *app)
{
	if (app->pool_names)
		lines_free(app->pool_names, app->npool_names);
	app->pool_names = NULL;
	app->npool_names = 0;
}

/* Each distinct CPU's hosts in words: "a.xml", or "a.xml, b.xml +3". */
static void pool_names_build(struct app *app)
{
	const struct cs_pool *pool = app->pool;
	size_t *shown = cs_xcalloc(pool->ndistinct + 1, sizeof(*shown));

	app->npool_names = pool->ndistinct;
	app->pool_names = cs_xcalloc(pool->ndistinct + 1, sizeof(*app->pool_names));
	for (size_t i = 0; i < pool->n; i++) {
		size_t k = pool->hosts[i].distinct;
		const char *name = pool->hosts[i].name;
		char *old = app->pool_names[k];
		if (shown[k] == 2)
			continue;
		app->pool_names[k] = old ? cs_xasprintf("%s, %s", old, name) : cs_xstrdup(name);
		free(old);
		shown[k]++;
	}
	for (size_t k = 0; k < pool->ndistinct; k++) {
		size_t copies = pool->hosts[pool->firsts[k]].copies;
		if (copies > shown[k]) {
			char *old = app->pool_names[k];
			app->pool_names[k] = cs_xasprintf("%s +%zu", old, copies - shown[k]);
			free(old);
		}
	}
	free(shown);
}

static void history_clear(struct app *app);

void app_release(struct app *app)
{
	if (!app)
		return;
	free(app->collapsed);
	free(app->badge);
	free(app->badge_missing);
	free(app->trows);
	free(app->frows);
	history_clear(app);
	free(app->undo);
	free(app->redo);
	free(app->path);
	engine_guest_free(app->guest);
	engine_guest_free(app->saved);
	engine_guest_free(app->scratch);
	engine_guest_free(app->pool_base);
	engine_host_release(&app->cpu);
	engine_host_release(&app->kvm);
	lines_free(app->olines, app->nolines);
	lines_free(app->dlines, app->ndlines);
	lines_free(app->plines, app->nplines);
	free(app->clip);
	free(app->pool_res);
	free(app->pool_runs);
	pool_names_free(app);
	cs_pool_release(&app->pool_store);
	memset(app, 0, sizeof(*app));
}

/* Recompute what follows from the pool's hosts (not from the guest). */
static void pool_refresh(struct app *app)
{
	struct cs_pool *pool = app->pool_store.n ? &app->pool_store : NULL;
	struct cs_error err = {0};
	bool had = app->pool != NULL;

	free(app->pool_res);
	free(app->pool_runs);
	pool_names_free(app);
	app->pool_res = NULL;
	app->pool_runs = NULL;
	app->pool = pool;
	if (!had)
		app->badge_pool = pool != NULL;
	if (!pool)
		app->badge_pool = false;
	engine_guest_free(app->pool_base);
	app->pool_base = NULL;
	app->pool_base_text[0] = '\0';
	if (app->pool) {
		app->pool_res = cs_xcalloc(pool->ndistinct, sizeof(*app->pool_res));
		pool_names_build(app);
		app->pool_runs = cs_xcalloc(app->arch->nmodels + 1, sizeof(*app->pool_runs));
		for (size_t m = 0; m < app->arch->nmodels; m++)
			app->pool_runs[m] = cs_pool_model_runs(pool, (int)m);
		app->pool_base = engine_pool_baseline(pool, &err);
		if (app->pool_base) {
			const struct cs_cpudef *b = app->pool_base;
			unsigned req = 0, dis = 0;
			for (size_t i = 0; i < b->nfeatures; i++) {
				if (b->features[i].policy == CS_POLICY_DISABLE)
					dis++;
				else if (b->features[i].policy != CS_POLICY_NONE)
					req++;
			}
			snprintf(app->pool_base_text, sizeof(app->pool_base_text),
			         "%s%s%s, %u feature%s required, %u disabled",
			         b->model >= 0 ? app->arch->models[b->model].name : "(no model)",
			         b->vendor_idx >= 0 ? ", vendor " : "",
			         b->vendor_idx >= 0 ? app->arch->vendors[b->vendor_idx].name : "",
			         req, req == 1 ? "" : "s", dis);
		} else {
			char msg[300];
			cs_error_format(&err, msg, sizeof(msg));
			snprintf(app->pool_base_text, sizeof(app->pool_base_text), "none: %s", msg);
		}
	}
	app_resize(app, app->layout.rows ? app->layout.rows : 24,
	           app->layout.cols ? app->layout.cols : 80);
	app_recompute(app);
}

void app_set_pool(struct app *app, struct cs_pool *pool)
{
	cs_pool_release(&app->pool_store);
	if (pool && pool->n && pool->arch == app->arch) {
		app->pool_store = *pool;
		cs_pool_init(pool, app->map);
	} else if (pool) {
		cs_pool_release(pool);
	}
	app->pool = NULL;
	pool_refresh(app);
}

long app_add_pool_file(struct app *app, const char *path)
{
	struct cs_error err = {0};
	char msg[320];
	long n;

	if (!app->pool_store.n)
		cs_pool_init_arch(&app->pool_store, app->map, app->arch);
	n = cs_pool_add_file(&app->pool_store, path, &err);
	if (n < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "%s", msg);
		if (!app->pool_store.n)
			cs_pool_release(&app->pool_store);
		return -1;
	}
	pool_refresh(app);
	app->pool_stale = true;
	app_status(app, false, "pool: %ld host%s added from %s, %zu in all", n, n == 1 ? "" : "s",
	           path, app->pool_store.n);
	return n;
}

/* ---- editing and undo ------------------------------------------------------- */

/* Free every snapshot of the history. */
static void redo_clear(struct app *app)
{
	while (app->nredo)
		engine_guest_free(app->redo[--app->nredo]);
}

static void history_clear(struct app *app)
{
	redo_clear(app);
	while (app->nundo)
		engine_guest_free(app->undo[(app->undo_first + --app->nundo) % APP_UNDO_MAX]);
	app->undo_first = 0;
}

/* A snapshot of the guest before an edit, for commit(). */
static struct cs_cpudef *snapshot(const struct app *app)
{
	return engine_guest_copy(app->guest);
}

/* Record before (a snapshot, which commit takes) as an undo step when the
 * guest really changed; recompute what follows from it. */
static int commit(struct app *app, struct cs_cpudef *before)
{
	if (engine_guest_equal(before, app->guest)) {
		engine_guest_free(before);
		return APP_REDRAW;
	}
	/* A full history forgets its oldest step: the ring's start moves on. */
	if (app->nundo == APP_UNDO_MAX) {
		engine_guest_free(app->undo[app->undo_first]);
		app->undo_first = (app->undo_first + 1) % APP_UNDO_MAX;
		app->nundo--;
	}
	app->undo[(app->undo_first + app->nundo++) % APP_UNDO_MAX] = before;
	redo_clear(app);
	app_recompute(app);
	return APP_REDRAW | APP_RECOMPUTE;
}

static int undo(struct app *app)
{
	if (!app->nundo) {
		app_status(app, false, "nothing to undo");
		return APP_REDRAW;
	}
	app->redo[app->nredo++] = app->guest;
	app->guest = app->undo[(app->undo_first + --app->nundo) % APP_UNDO_MAX];
	app_recompute(app);
	app_status(app, false, "undone (%zu more)", app->nundo);
	return APP_REDRAW | APP_RECOMPUTE;
}

static int redo(struct app *app)
{
	if (!app->nredo) {
		app_status(app, false, "nothing to redo");
		return APP_REDRAW;
	}
	app->undo[(app->undo_first + app->nundo++) % APP_UNDO_MAX] = app->guest;
	app->guest = app->redo[--app->nredo];
	app_recompute(app);
	app_status(app, false, "redone (%zu more)", app->nredo);
	return APP_REDRAW | APP_RECOMPUTE;
}

/* The feature a policy key applies to: the feature cursor. */
static int set_policy(struct app *app, enum cs_policy p, bool cycle, int dir)
{
	/* Cycle order: the usual choices first. */
	static const enum cs_policy order[] = {CS_POLICY_NONE,     CS_POLICY_REQUIRE,
	                                       CS_POLICY_OPTIONAL, CS_POLICY_DISABLE,
	                                       CS_POLICY_FORBID,   CS_POLICY_FORCE};
	int id = app_feature_at_cursor(app);
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
	before = snapshot(app);
	engine_guest_set_policy(app->guest, (unsigned)id, p);
	app_status(app, false, "%s: %s", app->arch->features[id].name,
	           p == CS_POLICY_NONE ? "not listed" : engine_policy_name(p));
	return commit(app, before);
}

static int cycle_int(int v, int lo, int hi, int dir)
{
	v += dir;
	return v < lo ? hi : v > hi ? lo : v;
}

static int change_field(struct app *app, int dir)
{
	struct cs_cpudef *before = snapshot(app);
	struct cs_cpudef *g = app->guest;
	char val[64];

	switch (app->field) {
	case FIELD_MODE:
		g->mode = (enum cs_cpu_mode)cycle_int((int)g->mode, 0, ENGINE_MODE_COUNT - 1, dir);
		break;
	case FIELD_MATCH:
		g->match =
		        (enum cs_cpu_match)cycle_int((int)g->match, 0, ENGINE_MATCH_COUNT - 1, dir);
		break;
	case FIELD_CHECK:
		g->check =
		        (enum cs_cpu_check)cycle_int((int)g->check, 0, ENGINE_CHECK_COUNT - 1, dir);
		break;
	case FIELD_MODEL:
		engine_guest_set_model(g,
		                       cycle_int(g->model, -1, (int)app->arch->nmodels - 1, dir));
		break;
	case FIELD_FALLBACK:
		g->fallback = (enum cs_cpu_fallback)cycle_int((int)g->fallback, 0,
		                                              ENGINE_FALLBACK_COUNT - 1, dir);
		break;
	case FIELD_VENDOR:
		engine_guest_set_vendor(
		        g, cycle_int(g->vendor_idx, -1, (int)app->arch->nvendors - 1, dir));
		break;
	case FIELD_SOCKETS:
	case FIELD_DIES:
	case FIELD_CLUSTERS:
	case FIELD_CORES:
	case FIELD_THREADS:
		engine_guest_step_topology(g, (unsigned)(app->field - FIELD_SOCKETS), dir);
		break;
	case FIELD_COUNT:
		break;
	}
	app_field_value(app, app->field, val, sizeof(val));
	app_status(app, false, "%s: %s", app_field_name(app->field), val);
	return commit(app, before);
}

static int pick_model(struct app *app)
{
	struct cs_cpudef *before;
	int m = app_tree_model(app);

	if (m < 0)
		return APP_REDRAW;
	before = snapshot(app);
	engine_guest_set_model(app->guest, m);
	app->guest->mode = CS_CPU_MODE_CUSTOM;
	app_status(app, false, "guest model: %s", app->arch->models[m].name);
	return commit(app, before);
}

static int apply_fix(struct app *app)
{
	struct cs_cpudef *before, *g = app->guest;
	struct faults f;
	int id;

	faults_of(app, &f);
	if (!f.incompatible) {
		app_status(app, false, "nothing to fix");
		return APP_REDRAW;
	}
	before = snapshot(app);
	cs_fset_foreach (id, &f.missing) {
		bool in_model = g->mode == CS_CPU_MODE_CUSTOM && g->model >= 0 &&
		                cs_fset_test(&app->arch->models[g->model].features, (unsigned)id);
		engine_guest_set_policy(g, (unsigned)id,
		                        in_model ? CS_POLICY_DISABLE : CS_POLICY_NONE);
	}
	cs_fset_foreach (id, &f.forbidden)
		engine_guest_set_policy(g, (unsigned)id, CS_POLICY_NONE);
	if (f.vendor)
		engine_guest_set_vendor(g, -1);
	if (f.extra)
		g->match = CS_CPU_MATCH_EXACT;
	app_status(app, false, "fixed: %s", app->fix_text);
	return commit(app, before);
}

static int use_fallback(struct app *app)
{
	struct cs_cpudef *before;
	int m = app->fix_model;

	if (m < 0) {
		app_status(app, false, "no model to fall back to");
		return APP_REDRAW;
	}
	before = snapshot(app);
	engine_guest_set_model(app->guest, m);
	for (size_t r = 0; r < app->ntrows; r++)
		if (app->trows[r].model == m)
			app->list[PANE_TREE].cursor = r;
	list_fit(&app->list[PANE_TREE], app->ntrows);
	app_status(app, false, "guest model: %s", app->arch->models[m].name);
	return commit(app, before);
}

/* ---- files --------------------------------------------------------------- */

int app_open(struct app *app, const char *path)
{
	struct cs_error err = {0};
	struct cs_cpudef *def = NULL;
	bool is_domain = false;
	char msg[320];

	if (engine_load_guest(app->map, path, &def, &is_domain, &err) < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "cannot open %s: %s", path, msg);
		return -1;
	}
	history_clear(app);
	engine_guest_free(app->guest);
	engine_guest_free(app->saved);
	app->guest = def;
	app->saved = engine_guest_copy(def);
	app->is_domain = is_domain;
	free(app->path);
	app->path = cs_xstrdup(path);
	if (def->model >= 0)
		for (size_t r = 0; r < app->ntrows; r++)
			if (app->trows[r].model == def->model)
				app->list[PANE_TREE].cursor = r;
	list_fit(&app->list[PANE_TREE], app->ntrows);
	app_recompute(app);
	app_status(app, false, "opened %s%s", path,
	           is_domain ? " (domain: saving replaces its <cpu>)" : "");
	return 0;
}

int app_save(struct app *app, const char *path)
{
	struct cs_error err = {0};
	char msg[320];
	bool is_domain = app->is_domain;

	if (!path)
		path = app->path;
	if (!path) {
		app_status(app, true, "no file name");
		return -1;
	}
	if (app->path && strcmp(path, app->path))
		is_domain = false; /* "save as" writes a bare <cpu> */
	if (engine_save_guest(app->guest, path, is_domain, &err) < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "cannot save %s: %s", path, msg);
		return -1;
	}
	if (!app->path || strcmp(path, app->path)) {
		free(app->path);
		app->path = cs_xstrdup(path);
		app->is_domain = is_domain;
	}
	engine_guest_free(app->saved);
	app->saved = engine_guest_copy(app->guest);
	app->dirty = false;
	app_status(app, false, "saved %s", path);
	return 0;
}

/* ---- prompts and questions ------------------------------------------------- */

static void open_prompt(struct app *app, enum app_prompt p, const char *initial)
{
	app->mode = MODE_PROMPT;
	app->prompt = p;
	snprintf(app->input, sizeof(app->input), "%s", initial ? initial : "");
	app->input_len = strlen(app->input);
}

/* The list a search moves in: the tree when it has the focus, else the features. */
static enum app_pane search_pane(const struct app *app)
{
	return app->focus == PANE_TREE ? PANE_TREE : PANE_FEATURES;
}

static bool search_matches(const struct app *app, enum app_pane p, size_t row)
{
	if (p == PANE_TREE)
		return contains_nocase(app->arch->models[app->trows[row].model].name, app->search);
	return contains_nocase(app->arch->features[app->frows[row]].name, app->search);
}

/* Move to the next (dir 1) or previous (-1) match; from the cursor itself
 * when here is true. */
static int search_step(struct app *app, int dir, bool here)
{
	enum app_pane p = search_pane(app);
	size_t n = list_count(app, p), c = app->list[p].cursor;

	if (!app->search[0]) {
		app_status(app, true, "no search: press / first");
		return APP_REDRAW;
	}
	/* A name typed in full wins over names that merely contain it. */
	if (here) {
		for (size_t r = 0; r < n; r++) {
			const char *name = p == PANE_TREE
			                           ? app->arch->models[app->trows[r].model].name
			                           : app->arch->features[app->frows[r]].name;
			if (!strcasecmp(name, app->search)) {
				c = r;
				break;
			}
		}
	}
	for (size_t i = here ? 0 : 1; i <= n && n; i++) {
		size_t r = dir > 0 ? (c + i) % n : (c + n - i % n) % n;
		if (search_matches(app, p, r)) {
			app->list[p].cursor = r;
			list_fit(&app->list[p], n);
			if (p == PANE_FEATURES && app->view != PANE_FEATURES)
				app->view = PANE_FEATURES;
			if (app->focus != PANE_TREE)
				app->focus = PANE_FEATURES;
			if (app->focus == PANE_TREE && app->source == SOURCE_MODEL)
				build_features(app);
			return APP_REDRAW;
		}
	}
	app_status(app, true, "not found: %s", app->search);
	return APP_REDRAW;
}

static int accept_prompt(struct app *app)
{
	char *text = app->input;

	app->mode = MODE_NORMAL;
	switch (app->prompt) {
	case PROMPT_SEARCH:
		snprintf(app->search, sizeof(app->search), "%s", text);
		app->list[search_pane(app)].cursor = app->search_origin;
		return search_step(app, 1, true);
	case PROMPT_FILTER:
		snprintf(app->filter, sizeof(app->filter), "%s", text);
		app->view = PANE_FEATURES;
		build_features(app);
		app_status(app, false, app->filter[0] ? "filter: %s" : "filter off%s", app->filter);
		return APP_REDRAW;
	case PROMPT_OPEN:
		if (!text[0])
			return APP_REDRAW;
		if (app->dirty) {
			snprintf(app->open_pending, sizeof(app->open_pending), "%s", text);
			app->mode = MODE_CONFIRM;
			app->confirm = CONFIRM_OPEN;
			return APP_REDRAW;
		}
		app_open(app, text);
		return APP_REDRAW | APP_RECOMPUTE;
	case PROMPT_SAVE_AS:
		if (!text[0])
			return APP_REDRAW;
		if (app_save(app, text) == 0 && app->quit)
			return APP_QUIT;
		app->quit = false;
		return APP_REDRAW;
	case PROMPT_POOL:
		if (!text[0])
			return APP_REDRAW;
		if (app_add_pool_file(app, text) >= 0)
			app->view = app->focus = PANE_POOL;
		return APP_REDRAW | APP_RELAYOUT | APP_RECOMPUTE;
	}
	return APP_REDRAW;
}

int app_input(struct app *app, wint_t ch)
{
	if (app->mode != MODE_PROMPT)
		return 0;
	if (ch == '\n' || ch == '\r')
		return accept_prompt(app);
	if (ch == 27) {
		app->mode = MODE_NORMAL;
		app->quit = false;
		if (app->prompt == PROMPT_SEARCH) {
			enum app_pane p = search_pane(app);
			app->list[p].cursor = app->search_origin;
			list_fit(&app->list[p], list_count(app, p));
		}
		return APP_REDRAW;
	}
	if (ch == 127 || ch == '\b') {
		/* Drop one whole UTF-8 character. */
		while (app->input_len > 0) {
			unsigned char c = (unsigned char)app->input[--app->input_len];
			if ((c & 0xc0) != 0x80)
				break;
		}
		app->input[app->input_len] = '\0';
	} else if (ch == KEYS_CTRL('u')) {
		app->input_len = 0;
		app->input[0] = '\0';
	} else if (ch >= 32) {
		char mb[8];
		mbstate_t st;
		memset(&st, 0, sizeof(st));
		size_t n = wcrtomb(mb, (wchar_t)ch, &st);
		if (n == (size_t)-1 || app->input_len + n >= sizeof(app->input))
			return APP_REDRAW;
		memcpy(app->input + app->input_len, mb, n);
		app->input_len += n;
		app->input[app->input_len] = '\0';
	}
	if (app->prompt == PROMPT_SEARCH && app->input_len) {
		/* Incremental: jump as the user types, from where the search began. */
		enum app_pane p = search_pane(app);
		snprintf(app->search, sizeof(app->search), "%s", app->input);
		app->list[p].cursor = app->search_origin;
		search_step(app, 1, true);
		app->status[0] = '\0';
	}
	return APP_REDRAW;
}

static int answer(struct app *app, bool yes)
{
	app->mode = MODE_NORMAL;
	if (app->confirm == CONFIRM_QUIT) {
		if (!yes)
			return APP_QUIT;
		if (!app->path) {
			app->quit = true;
			open_prompt(app, PROMPT_SAVE_AS, "guest-cpu.xml");
			return APP_REDRAW;
		}
		return app_save(app, NULL) == 0 ? APP_QUIT : APP_REDRAW;
	}
	/* CONFIRM_OPEN */
	if (yes && app_save(app, NULL) < 0)
		return APP_REDRAW;
	app_open(app, app->open_pending);
	return APP_REDRAW | APP_RECOMPUTE;
}

/* ---- focus ------------------------------------------------------------------ */

static enum app_pane focus_ring(const struct app *app, size_t i, size_t *n)
{
	enum app_pane ring[4];
	size_t k = 0;

	ring[k++] = PANE_TREE;
	ring[k++] = PANE_GUEST;
	ring[k++] = app->view;
	if (app->layout.wide && app->view != PANE_OUTPUT)
		ring[k++] = PANE_OUTPUT;
	*n = k;
	return ring[i % k];
}

static int cycle_focus(struct app *app, int dir)
{
	size_t n, i;

	focus_ring(app, 0, &n);
	for (i = 0; i < n; i++)
		if (focus_ring(app, i, &n) == app->focus)
			break;
	app->focus = focus_ring(app, (i + n + (size_t)(dir < 0 ? n - 1 : 1)) % n, &n);
	return APP_REDRAW;
}

static int show_view(struct app *app, enum app_pane v)
{
	if (v == PANE_OUTPUT && app->layout.wide) {
		app->focus = PANE_OUTPUT;
		return APP_REDRAW;
	}
	app->view = v;
	app->focus = v;
	return APP_REDRAW;
}

/* ---- the dispatcher -------------------------------------------------------- */

static int move_cursor(struct app *app, long delta)
{
	enum app_pane p = app->focus;

	if (app->mode == MODE_HELP) {
		list_move(&app->help, keys_help_count(), delta, true);
		return APP_REDRAW;
	}
	if (p == PANE_GUEST) {
		long f = (long)app->field +
		         (delta > 0 ? 1 : -1) * (labs(delta) > 1 ? FIELD_COUNT : 1);
		app->field = (enum app_field)clampi((int)f, 0, FIELD_COUNT - 1);
		return APP_REDRAW;
	}
	list_move(&app->list[p], list_count(app, p), delta, is_text_pane(p));
	if (p == PANE_TREE && app->source == SOURCE_MODEL)
		build_features(app);
	return APP_REDRAW;
}

static long page(const struct app *app)
{
	size_t h = app->mode == MODE_HELP ? app->help.height : app->list[app->focus].height;
	return h > 1 ? (long)h - 1 : 1;
}

static int tree_left_right(struct app *app, bool right)
{
	size_t c = app->list[PANE_TREE].cursor;
	const struct app_tree_row *r;

	if (c >= app->ntrows)
		return APP_REDRAW;
	r = &app->trows[c];
	if (right) {
		if (r->has_children && app->collapsed[r->model]) {
			app->collapsed[r->model] = false;
			build_tree(app);
		} else if (r->has_children) {
			return move_cursor(app, 1);
		}
		return APP_REDRAW;
	}
	if (r->has_children && !app->collapsed[r->model]) {
		app->collapsed[r->model] = true;
		build_tree(app);
		return APP_REDRAW;
	}
	/* Go to the parent row. */
	for (size_t i = c; i-- > 0;) {
		if (app->trows[i].depth < r->depth) {
			app->list[PANE_TREE].cursor = i;
			list_fit(&app->list[PANE_TREE], app->ntrows);
			break;
		}
	}
	return APP_REDRAW;
}

static int mark_model(struct app *app)
{
	int m = app_tree_model(app);

	if (m < 0)
		return APP_REDRAW;
	if (app->mark[0] == m || app->mark[1] == m) {
		if (app->mark[0] == m)
			app->mark[0] = app->mark[1];
		app->mark[1] = -1;
		app_status(app, false, "unmarked %s", app->arch->models[m].name);
		return APP_REDRAW;
	}
	if (app->mark[0] < 0) {
		app->mark[0] = m;
	} else if (app->mark[1] < 0) {
		app->mark[1] = m;
	} else {
		app->mark[0] = app->mark[1];
		app->mark[1] = m;
	}
	if (app->mark[1] >= 0)
		app_status(app, false, "marked %s and %s: d shows the diff",
		           app->arch->models[app->mark[0]].name,
		           app->arch->models[app->mark[1]].name);
	else
		app_status(app, false, "marked %s: mark another, or d to diff with the cursor",
		           app->arch->models[m].name);
	return APP_REDRAW;
}

static int show_diff(struct app *app)
{
	int a = app->mark[0], b = app->mark[1];

	if (a >= 0 && b < 0)
		b = app_tree_model(app);
	if (a < 0 || b < 0 || a == b) {
		app_status(app, true, "mark two models with Space in the tree first");
		return APP_REDRAW;
	}
	if (app->diff_a != a || app->diff_b != b) {
		lines_free(app->dlines, app->ndlines);
		app->dlines = NULL;
		app->ndlines = 0;
		app->list[PANE_DIFF].cursor = 0;
	}
	app->diff_a = a;
	app->diff_b = b;
	return show_view(app, PANE_DIFF);
}

static int mitigate(struct app *app)
{
	struct cs_cpudef *before;
	char names[200] = "";
	unsigned n = cs_fset_count(&app->mitig_off);
	int id;

	if (!n) {
		app_status(app, false,
		           app_ref_host(app)->present
		                   ? "the guest gets every mitigation feature the host has"
		                   : "no host: nothing to compare the mitigations with");
		return APP_REDRAW;
	}
	names_of(app, &app->mitig_off, 6, names, sizeof(names));
	before = snapshot(app);
	cs_fset_foreach (id, &app->mitig_off)
		engine_guest_set_policy(app->guest, (unsigned)id, CS_POLICY_REQUIRE);
	app_status(app, false, "required %u mitigation feature%s: %s", n, n == 1 ? "" : "s", names);
	return commit(app, before);
}

static int use_baseline(struct app *app)
{
	struct cs_cpudef *before;

	if (!app->pool) {
		app_status(app, true, "no pool: start cpuscope with --pool FILE");
		return APP_REDRAW;
	}
	if (!app->pool_base) {
		app_status(app, true, "the pool has no baseline: %s", app->pool_base_text);
		return APP_REDRAW;
	}
	before = snapshot(app);
	engine_guest_take_cpu(app->guest, app->pool_base);
	if (app->guest->model >= 0)
		for (size_t r = 0; r < app->ntrows; r++)
			if (app->trows[r].model == app->guest->model)
				app->list[PANE_TREE].cursor = r;
	list_fit(&app->list[PANE_TREE], app->ntrows);
	app_status(app, false, "guest = the pool's baseline: %s", app->pool_base_text);
	return commit(app, before);
}

/* y and Y: the guest's <cpu> XML or its -cpu argument for the clipboard. */
static int copy(struct app *app, bool arg)
{
	char *text =
	        arg ? engine_qemu_arg(app->guest, app_ref_host(app)) : engine_guest_xml(app->guest);

	if (arg && text[0] == '(') { /* no argument: the text says why */
		app_status(app, true, "nothing copied: %s", text);
		free(text);
		return APP_REDRAW;
	}
	free(app->clip);
	app->clip = text;
	app_status(app, false, "copied the %s (%zu bytes) to the clipboard (terminal OSC 52)",
	           arg ? "QEMU -cpu argument" : "guest <cpu> XML", strlen(text));
	return APP_REDRAW | APP_CLIPBOARD;
}

static int quit(struct app *app)
{
	if (app->mode == MODE_CONFIRM || !app->dirty)
		return APP_QUIT;
	app->mode = MODE_CONFIRM;
	app->confirm = CONFIRM_QUIT;
	return APP_REDRAW;
}

static int escape(struct app *app)
{
	switch (app->mode) {
	case MODE_HELP:
	case MODE_PROMPT:
	case MODE_CONFIRM:
		app->mode = MODE_NORMAL;
		app->quit = false;
		return APP_REDRAW;
	case MODE_NORMAL:
		break;
	}
	if (app->view != PANE_FEATURES) {
		bool focused = app->focus == app->view;
		app->view = PANE_FEATURES;
		if (focused)
			app->focus = PANE_FEATURES;
	} else if (app->focus == PANE_OUTPUT) {
		app->focus = PANE_FEATURES;
	}
	app->status[0] = '\0';
	return APP_REDRAW;
}

int app_apply(struct app *app, enum action a)
{
	if (app->mode == MODE_PROMPT && a != ACT_ESCAPE)
		return 0;
	switch (a) {
	case ACT_NONE:
	case ACT_COUNT:
		return 0;
	case ACT_QUIT:
		return quit(app);
	case ACT_HELP:
		app->mode = app->mode == MODE_HELP ? MODE_NORMAL : MODE_HELP;
		return APP_REDRAW;
	case ACT_ESCAPE:
		return escape(app);
	case ACT_REDRAW:
		return APP_REDRAW | APP_RELAYOUT;
	case ACT_NEXT_PANE:
		return cycle_focus(app, 1);
	case ACT_PREV_PANE:
		return cycle_focus(app, -1);
	case ACT_FOCUS_TREE:
		app->focus = PANE_TREE;
		return APP_REDRAW;
	case ACT_FOCUS_GUEST:
		app->focus = PANE_GUEST;
		return APP_REDRAW;
	case ACT_FOCUS_FEATURES:
		return show_view(app, PANE_FEATURES);
	case ACT_FOCUS_OUTPUT:
		return show_view(app, PANE_OUTPUT);
	case ACT_UP:
		return move_cursor(app, -1);
	case ACT_DOWN:
		return move_cursor(app, 1);
	case ACT_PAGE_UP:
		return move_cursor(app, -page(app));
	case ACT_PAGE_DOWN:
		return move_cursor(app, page(app));
	case ACT_HOME:
		return move_cursor(app, -1000000L);
	case ACT_END:
		return move_cursor(app, 1000000L);
	case ACT_LEFT:
	case ACT_RIGHT:
		if (app->focus == PANE_TREE)
			return tree_left_right(app, a == ACT_RIGHT);
		if (app->focus == PANE_FEATURES)
			return set_policy(app, CS_POLICY_NONE, true, a == ACT_RIGHT ? 1 : -1);
		if (app->focus == PANE_GUEST)
			return change_field(app, a == ACT_RIGHT ? 1 : -1);
		return 0;
	case ACT_PICK:
		if (app->focus == PANE_TREE)
			return pick_model(app);
		if (app->focus == PANE_FEATURES)
			return set_policy(app, CS_POLICY_NONE, true, 1);
		if (app->focus == PANE_GUEST)
			return change_field(app, 1);
		return 0;
	case ACT_SEARCH:
		open_prompt(app, PROMPT_SEARCH, NULL);
		app->search_origin = app->list[search_pane(app)].cursor;
		return APP_REDRAW;
	case ACT_SEARCH_NEXT:
		return search_step(app, 1, false);
	case ACT_SEARCH_PREV:
		return search_step(app, -1, false);
	case ACT_FILTER:
		open_prompt(app, PROMPT_FILTER, app->filter);
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
		app_status(app, false, "sort by %s", app_sort_name(app->sort));
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
	case ACT_VENDOR:
		app->vendor_filter = app->vendor_filter + 1 >= (int)app->arch->nvendors
		                             ? -1
		                             : app->vendor_filter + 1;
		build_tree(app);
		app_status(app, false, "models of %s",
		           app->vendor_filter < 0 ? "all vendors"
		                                  : app->arch->vendors[app->vendor_filter].name);
		return APP_REDRAW;
	case ACT_FLAT:
		app->flat = !app->flat;
		build_tree(app);
		app_status(app, false, "models as %s",
		           app->flat ? "a flat list in map order" : "a tree");
		return APP_REDRAW;
	case ACT_MARK:
		return mark_model(app);
	case ACT_DIFF:
		return show_diff(app);
	case ACT_POOL:
		if (!app->pool)
			app_status(app, true,
			           "no pool: P adds hosts from a file (or start with --pool)");
		return show_view(app, PANE_POOL);
	case ACT_BADGES:
		if (!app->pool) {
			app_status(app, false, "tree badges: against the host (no pool loaded)");
			return APP_REDRAW;
		}
		app->badge_pool = !app->badge_pool;
		app_status(app, false, "tree badges: against %s",
		           app->badge_pool ? "the pool (hosts that cannot run the model)"
		                           : "the host (features it lacks)");
		return APP_REDRAW;
	case ACT_BASELINE:
		return use_baseline(app);
	case ACT_MITIGATE:
		return mitigate(app);
	case ACT_COPY:
		return copy(app, false);
	case ACT_COPY_ARG:
		return copy(app, true);
	case ACT_POOL_ADD:
		open_prompt(app, PROMPT_POOL, NULL);
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
	case ACT_VALUE_NEXT:
		return change_field(app, 1);
	case ACT_VALUE_PREV:
		return change_field(app, -1);
	case ACT_FIX:
		return apply_fix(app);
	case ACT_FALLBACK:
		return use_fallback(app);
	case ACT_UNDO:
		return undo(app);
	case ACT_REDO:
		return redo(app);
	case ACT_SAVE:
		if (!app->path) {
			open_prompt(app, PROMPT_SAVE_AS, "guest-cpu.xml");
			return APP_REDRAW;
		}
		app_save(app, NULL);
		return APP_REDRAW;
	case ACT_SAVE_AS:
		open_prompt(app, PROMPT_SAVE_AS, app->path ? app->path : "guest-cpu.xml");
		return APP_REDRAW;
	case ACT_OPEN:
		open_prompt(app, PROMPT_OPEN, NULL);
		return APP_REDRAW;
	case ACT_YES:
	case ACT_NO:
		if (app->mode != MODE_CONFIRM)
			return 0;
		return answer(app, a == ACT_YES);
	}
	return 0;
}

/* ---- mouse ------------------------------------------------------------------ */

static bool inside(const struct app_rect *r, int y, int x)
{
	return r->visible && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

int app_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	const struct app_layout *l = &app->layout;
	enum app_pane p = PANE_COUNT;
	enum action a;

	if (l->too_small)
		return 0;
	if (app->mode == MODE_HELP) {
		if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN)
			return move_cursor(app, ev == MOUSE_WHEEL_UP ? -3 : 3);
		app->mode = MODE_NORMAL;
		return APP_REDRAW;
	}
	if (app->mode != MODE_NORMAL)
		return 0;
	if (inside(&l->keybar, y, x)) {
		if (ev == MOUSE_CLICK && app_keybar_hit(app, x, &a))
			return app_apply(app, a);
		return 0;
	}
	if (inside(&l->verdict, y, x)) {
		/* The fix line: a click applies the fix. */
		if (ev == MOUSE_CLICK && y == l->verdict.y + app_fix_row(app) && app->fix_text[0])
			return app_apply(app, ACT_FIX);
		return 0;
	}
	if (inside(&l->pane[PANE_TREE], y, x))
		p = PANE_TREE;
	else if (inside(&l->pane[PANE_GUEST], y, x))
		p = PANE_GUEST;
	else if (l->wide && inside(&l->pane[PANE_OUTPUT], y, x))
		p = PANE_OUTPUT;
	else if (inside(&l->pane[app->view], y, x))
		p = app->view;
	if (p == PANE_COUNT)
		return 0;
	app->focus = p;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN)
		return move_cursor(app, ev == MOUSE_WHEEL_UP ? -3 : 3);
	if (p == PANE_GUEST) {
		struct app_rect grid[FIELD_COUNT];
		app_guest_grid(l->pane[p].w, grid);
		for (int f = 0; f < FIELD_COUNT; f++) {
			if (y - l->pane[p].y - 1 == grid[f].y && x - l->pane[p].x >= grid[f].x &&
			    x - l->pane[p].x < grid[f].x + grid[f].w) {
				app->field = (enum app_field)f;
				if (ev == MOUSE_DOUBLE)
					return change_field(app, 1);
			}
		}
		return APP_REDRAW;
	}
	if (p == PANE_TREE || p == PANE_FEATURES) {
		int first = l->pane[p].y + (p == PANE_TREE ? 1 : 2);
		size_t row = app->list[p].scroll + (size_t)(y - first);
		if (y < first || row >= list_count(app, p) ||
		    row >= app->list[p].scroll + app->list[p].height)
			return APP_REDRAW;
		app->list[p].cursor = row;
		list_fit(&app->list[p], list_count(app, p));
		if (p == PANE_TREE && app->source == SOURCE_MODEL)
			build_features(app);
		if (ev == MOUSE_DOUBLE)
			return p == PANE_TREE ? pick_model(app)
			                      : set_policy(app, CS_POLICY_NONE, true, 1);
	}
	return APP_REDRAW;
}

enum keys_ctx app_key_context(const struct app *app)
{
	switch (app->mode) {
	case MODE_HELP:
		return KCTX_HELP;
	case MODE_CONFIRM:
		return KCTX_CONFIRM;
	case MODE_PROMPT:
	case MODE_NORMAL:
		break;
	}
	switch (app->focus) {
	case PANE_TREE:
		return KCTX_TREE;
	case PANE_GUEST:
		return KCTX_GUEST;
	case PANE_FEATURES:
		return KCTX_FEATURES;
	case PANE_OUTPUT:
		return KCTX_OUTPUT;
	case PANE_DIFF:
		return KCTX_DIFF;
	case PANE_POOL:
		return KCTX_POOL;
	case PANE_COUNT:
		break;
	}
	return KCTX_GLOBAL;
}

int app_fix_row(const struct app *app)
{
	return app->pool ? 2 : 1;
}

int app_keybar_hit(const struct app *app, int x, enum action *out)
{
	enum keys_ctx ctx = app_key_context(app);
	int pos = 0;
	char key[16];
	const char *label;
	enum action a;

	for (size_t i = 0; keys_bar_entry(ctx, i, key, sizeof(key), &label, &a); i++) {
		int w = (int)(strlen(key) + strlen(label)) + 2;
		if (x >= pos && x < pos + w) {
			*out = a;
			return 1;
		}
		pos += w;
	}
	return 0;
}

/* ---- texts for the panes ------------------------------------------------------ */

void app_field_value(const struct app *app, enum app_field f, char *buf, size_t size)
{
	const struct cs_cpudef *g = app->guest;
	const char *s = NULL;

	switch (f) {
	case FIELD_MODE:
		s = engine_mode_name(g->mode);
		break;
	case FIELD_MATCH:
		s = engine_match_name(g->match);
		break;
	case FIELD_CHECK:
		s = engine_check_name(g->check);
		break;
	case FIELD_MODEL:
		s = g->model >= 0 ? app->arch->models[g->model].name : "(none)";
		break;
	case FIELD_FALLBACK:
		s = engine_fallback_name(g->fallback);
		break;
	case FIELD_VENDOR:
		s = g->vendor_idx >= 0 ? app->arch->vendors[g->vendor_idx].name : "(any)";
		break;
	case FIELD_SOCKETS:
	case FIELD_DIES:
	case FIELD_CLUSTERS:
	case FIELD_CORES:
	case FIELD_THREADS: {
		unsigned v = engine_guest_topology(g, (unsigned)(f - FIELD_SOCKETS));
		if (v)
			snprintf(buf, size, "%u", v);
		else
			snprintf(buf, size, "-");
		return;
	}
	case FIELD_COUNT:
		break;
	}
	snprintf(buf, size, "%s", s ? s : "?");
}

const char *app_sort_name(enum app_sort s)
{
	static const char *const sort_names[SORT_COUNT] = {"map order", "name", "location",
	                                                   "status"};
	return (unsigned)s < SORT_COUNT ? sort_names[s] : "?";
}

const char *app_source_name(enum app_source s)
{
	static const char *const source_names[SOURCE_COUNT] = {"guest", "all", "model "};
	return (unsigned)s < SOURCE_COUNT ? source_names[s] : "?";
}
