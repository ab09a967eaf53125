/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_tree.c: the model inheritance tree with host badges: rows, keys, mouse, drawing */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cpuscope/xalloc.h"
#include "tui/app_int.h"

/* ---- rows ----------------------------------------------------------------- */

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
		int p = engine_model_parent(app->arch, &app->arch->models[i], NULL);
		if (p < 0 || (size_t)p >= n)
			continue;
		if (tail[p] < 0)
			tl.first[p] = (int)i;
		else
			tl.next[tail[p]] = (int)i;
		tail[p] = (int)i;
	}
	for (size_t i = 0; i < n; i++)
		if (engine_model_parent(app->arch, &app->arch->models[i], NULL) < 0 &&
		    tree_visible(app, (int)i))
			lastroot = (int)i;
	for (size_t i = 0; i < n; i++)
		if (engine_model_parent(app->arch, &app->arch->models[i], NULL) < 0 &&
		    tree_visible(app, (int)i))
			tree_add(app, &tl, stack, (int)i, (int)i == lastroot);
	free(stack);
	free(tl.first);
	free(tl.next);
	free(tail);
}

void view_tree_build(struct app *app)
{
	int keep = view_tree_model(app);

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
	view_list_fit(&app->list[PANE_TREE], app->ntrows);
	app->tree_widest = app->tree_widest_compact = 0;
	for (size_t r = 0; r < app->ntrows; r++) {
		int n = view_tree_row_need(app, &app->trows[r], false);
		int c = view_tree_row_need(app, &app->trows[r], true);
		app->tree_widest = n > app->tree_widest ? n : app->tree_widest;
		app->tree_widest_compact =
		        c > app->tree_widest_compact ? c : app->tree_widest_compact;
	}
}

int view_tree_row_need(const struct app *app, const struct app_tree_row *r, bool compact)
{
	int anc = r->depth > 1 ? (int)r->depth - 1 : 0;

	return anc * (compact ? 1 : 2) + (r->depth ? 2 : 0) + 2 +
	       (int)strlen(app->arch->models[r->model].name) + 2;
}

/* The tree pane's wish: every row in full, compact when that is narrower
 * than the widest row drawn normally; 4 columns for the badges. */
int view_tree_need(const struct app *app)
{
	int normal = app->tree_widest, compact = app->tree_widest_compact;

	return (compact < normal ? compact : normal) + 4;
}

int view_tree_model(const struct app *app)
{
	size_t c = app->list[PANE_TREE].cursor;
	return c < app->ntrows ? app->trows[c].model : -1;
}

void view_tree_show_model(struct app *app, int m)
{
	for (size_t r = 0; r < app->ntrows; r++)
		if (app->trows[r].model == m)
			app->list[PANE_TREE].cursor = r;
	view_list_fit(&app->list[PANE_TREE], app->ntrows);
}

static size_t tree_rows(const struct app *app)
{
	return app->ntrows;
}

static const char *tree_row_name(const struct app *app, size_t row)
{
	return app->arch->models[app->trows[row].model].name;
}

static void tree_moved(struct app *app)
{
	app_changed(app, VIEW_CHANGED_MODEL);
}

/* ---- keys ----------------------------------------------------------------- */

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
			view_tree_build(app);
		} else if (r->has_children) {
			view_move(app, PANE_TREE, 1);
		}
		return APP_REDRAW;
	}
	if (r->has_children && !app->collapsed[r->model]) {
		app->collapsed[r->model] = true;
		view_tree_build(app);
		return APP_REDRAW;
	}
	/* Go to the parent row. */
	for (size_t i = c; i-- > 0;) {
		if (app->trows[i].depth < r->depth) {
			view_set_cursor(app, PANE_TREE, i);
			break;
		}
	}
	return APP_REDRAW;
}

/* Enter: the cursor's model becomes the guest's (in custom mode). */
static int pick_model(struct app *app)
{
	struct cs_cpudef *before;
	int m = view_tree_model(app);

	if (m < 0)
		return APP_REDRAW;
	before = app_edit_begin(app);
	engine_guest_set_model(app->guest, m);
	app->guest->mode = CS_CPU_MODE_CUSTOM;
	app_status(app, false, "guest model: %s", app->arch->models[m].name);
	return app_edit_commit(app, before);
}

static int mark_model(struct app *app)
{
	int m = view_tree_model(app);

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

/* The tree's own actions, wherever the focus is. */
static int tree_action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_FOCUS_TREE:
		app->focus = PANE_TREE;
		return APP_REDRAW;
	case ACT_MARK:
		return mark_model(app);
	case ACT_VENDOR:
		app->vendor_filter = app->vendor_filter + 1 >= (int)app->arch->nvendors
		                             ? -1
		                             : app->vendor_filter + 1;
		view_tree_build(app);
		app_status(app, false, "models of %s",
		           app->vendor_filter < 0 ? "all vendors"
		                                  : app->arch->vendors[app->vendor_filter].name);
		return APP_REDRAW;
	case ACT_FLAT:
		app->flat = !app->flat;
		view_tree_build(app);
		app_status(app, false, "models as %s",
		           app->flat ? "a flat list in map order" : "a tree");
		return APP_REDRAW;
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
	default:
		return 0;
	}
}

static int tree_key(struct app *app, enum action a, bool focused)
{
	int r = tree_action(app, a);

	if (r || !focused)
		return r;
	if (view_move_action(app, PANE_TREE, a))
		return APP_REDRAW;
	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT:
		return tree_left_right(app, a == ACT_RIGHT);
	case ACT_PICK:
		return pick_model(app);
	default:
		return 0;
	}
}

static int tree_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	bool hit;
	int r = view_mouse_list(app, PANE_TREE, ev, y, 1, &hit);

	(void)x;
	return hit && ev == MOUSE_DOUBLE ? pick_model(app) : r;
}

/* ---- drawing -------------------------------------------------------------- */

/* Put s skipping its first skip columns; returns the columns drawn. */
static int put_from(WINDOW *w, int y, int x, const char *s, int skip, int width, attr_t attr)
{
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (*s && skip > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, strlen(s), &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			n = 1, wc = L'?';
		int cw = wcwidth(wc);
		skip -= cw > 0 ? cw : 1;
		s += n;
	}
	return view_put(w, y, x, s, width, attr);
}

/* The row's tree prefix (connectors and expand marker), UTF-8.  compact
 * gives each ancestor level one column instead of two (for deep trees). */
static void row_prefix(const struct app *app, const struct app_tree_row *r, bool compact, char *buf,
                       size_t size)
{
	const struct term_glyphs *g = term_glyphs();
	bool derived = false;
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned d = 0; d + 1 < r->depth; d++) {
		bool more = d < sizeof(r->cont) * 8 && (r->cont >> d) & 1;
		const char *s = compact ? (more ? g->vline : " ") : (more ? g->pipe : g->blank);
		len += (size_t)snprintf(buf + len, size - len, "%s", s);
		if (len >= size)
			return;
	}
	if (r->depth > 0) {
		engine_model_parent(app->arch, &app->arch->models[r->model], &derived);
		const char *c = r->last ? g->last : g->branch;
		/* A derived edge is drawn with a dotted line. */
		if (derived)
			c = r->last ? (term_utf8() ? "\u2514\u254c" : "`.")
			            : (term_utf8() ? "\u251c\u254c" : "|.");
		len += (size_t)snprintf(buf + len, size - len, "%s", c);
		if (len >= size)
			return;
	}
	snprintf(buf + len, size - len, "%s",
	         r->has_children ? (app->collapsed[r->model] ? g->closed : g->open) : " ");
}

static void tree_draw(WINDOW *w, const struct app *app, bool focused)
{
	const struct app_list *l = &app->list[PANE_TREE];
	int rows = getmaxy(w), cols = getmaxx(w);
	char title[96], right[64], prefix[512], vs_hv[16];
	int offset = 0;
	const int badge_w = 4;

	snprintf(title, sizeof(title), " Models %zu", app->ntrows);
	/* Which side the badges answer for. */
	const struct app_host *ref = app_ref_host(app);
	bool vs_pool = app->badge_pool && app->pool;
	snprintf(vs_hv, sizeof(vs_hv), "vs %s", app_hv_name(app));
	snprintf(right, sizeof(right), "%s%s%s ",
	         app->vendor_filter < 0 ? "" : app->arch->vendors[app->vendor_filter].name,
	         app->vendor_filter < 0 || (!ref->present && !vs_pool) ? "" : " ",
	         vs_pool        ? "vs pool"
	         : ref->present ? (ref == &app->kvm ? vs_hv : "vs host")
	                        : "");
	view_title(w, title, right, focused);

	/* One column per level when a row would not fit otherwise. */
	bool compact = app->tree_widest > cols - badge_w;
	/* Scroll sideways so that the cursor's name shows in full. */
	if (l->cursor < app->ntrows) {
		const struct app_tree_row *r = &app->trows[l->cursor];
		row_prefix(app, r, compact, prefix, sizeof(prefix));
		int need = view_width(prefix) + 1 +
		           view_width_upto(app->arch->models[r->model].name,
		                           cols + 2 * (int)r->depth) +
		           2;
		int avail = cols - badge_w;
		if (need > avail)
			offset = (need - avail + 1) & ~1;
	}
	for (int y = 1; y < rows; y++) {
		size_t i = l->scroll + (size_t)(y - 1);
		if (i >= app->ntrows)
			break;
		const struct app_tree_row *r = &app->trows[i];
		const struct cs_model *m = &app->arch->models[r->model];
		bool cur = i == l->cursor;
		attr_t base = cur ? term_attr(focused ? TC_CURSOR : TC_CURSOR_IDLE) : A_NORMAL;
		char line[640], badge[16] = "";
		attr_t battr = base;
		bool guest = r->model == app->guest->model;

		view_fill(w, y, 0, base);
		row_prefix(app, r, compact, prefix, sizeof(prefix));
		/* Scrolling sideways eats into the connectors, never into names. */
		int pw = view_width(prefix);
		int used = put_from(w, y, 0, prefix, offset < pw ? offset : pw, cols - badge_w,
		                    cur ? base : term_attr(TC_DIM));
		snprintf(line, sizeof(line), " %.*s", (int)sizeof(line) - 2, m->name);
		used += view_put(w, y, used, line, cols - badge_w - used,
		                 base | (guest ? A_BOLD : 0) |
		                         (cur ? 0 : (guest ? term_attr(TC_GOOD) : 0)));
		if (r->model == app->mark[0] || r->model == app->mark[1])
			used += view_put(w, y, used, r->model == app->mark[0] ? " A" : " B",
			                 cols - badge_w - used, cur ? base : term_attr(TC_MARK));
		/* The guest's model: not '*', which marks a derived edge in
		 * `cpuscope models --tree`. */
		if (guest)
			view_put(w, y, used, term_utf8() ? " \u25cf" : " @", cols - badge_w - used,
			         cur ? base : term_attr(TC_GOOD));
		unsigned nb = 0;
		switch (app_badge(app, r->model, &nb)) {
		case BADGE_RUNS:
			snprintf(badge, sizeof(badge), "%s", term_glyphs()->yes);
			battr = cur ? base : term_attr(TC_GOOD);
			break;
		case BADGE_MISSING:
			snprintf(badge, sizeof(badge), "%s%u", term_glyphs()->no,
			         nb > 99 ? 99 : nb);
			battr = cur ? base : term_attr(TC_BAD);
			break;
		case BADGE_VENDOR:
			snprintf(badge, sizeof(badge), "%s", term_glyphs()->dot);
			battr = cur ? base : term_attr(TC_DIM);
			break;
		case BADGE_NO_QEMU:
			/* QEMU lacks it: libvirt translates a guest naming it */
			snprintf(badge, sizeof(badge), "~");
			battr = cur ? base : term_attr(TC_WARN);
			break;
		case BADGE_UNKNOWN:
			break;
		}
		view_put(w, y, cols - 3, badge, 3, battr);
	}
}

const struct view_ops view_tree_ops = {
        .name = "tree",
        .ctx = KCTX_TREE,
        .place = VIEW_PLACE_LEFT,
        .chrome = 1,
        .rows = tree_rows,
        .row_name = tree_row_name,
        .key = tree_key,
        .mouse = tree_mouse,
        .moved = tree_moved,
        .draw = tree_draw,
};
