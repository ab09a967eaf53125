/* pane_tree.c: the model inheritance tree with host badges */
#include "tui/pane.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

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
	return pane_put(w, y, x, s, width, attr);
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
		cs_model_tree_parent(app->arch, &app->arch->models[r->model], &derived);
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

void pane_tree_draw(WINDOW *w, const struct app *app, bool focused)
{
	const struct app_list *l = &app->list[PANE_TREE];
	int rows = getmaxy(w), cols = getmaxx(w);
	char title[96], right[64], prefix[512];
	int offset = 0;
	const int badge_w = 4;

	snprintf(title, sizeof(title), " Models %zu", app->ntrows);
	/* Which side the badges answer for. */
	const struct app_host *ref = app_ref_host(app);
	bool vs_pool = app->badge_pool && app->pool;
	snprintf(right, sizeof(right), "%s%s%s ",
	         app->vendor_filter < 0 ? "" : app->arch->vendors[app->vendor_filter].name,
	         app->vendor_filter < 0 || (!ref->present && !vs_pool) ? "" : " ",
	         vs_pool        ? "vs pool"
	         : ref->present ? (ref == &app->kvm ? "vs KVM" : "vs host")
	                        : "");
	pane_title(w, title, right, focused);

	/* One column per level when a row would not fit otherwise. */
	bool compact = app->tree_widest > cols - badge_w;
	/* Scroll sideways so that the cursor's name shows in full. */
	if (l->cursor < app->ntrows) {
		const struct app_tree_row *r = &app->trows[l->cursor];
		row_prefix(app, r, compact, prefix, sizeof(prefix));
		int need =
		        pane_width(prefix) + 1 + pane_width(app->arch->models[r->model].name) + 2;
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

		pane_fill(w, y, 0, base);
		row_prefix(app, r, compact, prefix, sizeof(prefix));
		/* Scrolling sideways eats into the connectors, never into names. */
		int pw = pane_width(prefix);
		int used = put_from(w, y, 0, prefix, offset < pw ? offset : pw, cols - badge_w,
		                    cur ? base : term_attr(TC_DIM));
		snprintf(line, sizeof(line), " %s", m->name);
		used += pane_put(w, y, used, line, cols - badge_w - used,
		                 base | (guest ? A_BOLD : 0) |
		                         (cur ? 0 : (guest ? term_attr(TC_GOOD) : 0)));
		if (r->model == app->mark[0] || r->model == app->mark[1])
			used += pane_put(w, y, used, r->model == app->mark[0] ? " A" : " B",
			                 cols - badge_w - used, cur ? base : term_attr(TC_MARK));
		if (guest)
			pane_put(w, y, used, " *", cols - badge_w - used,
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
		case BADGE_UNKNOWN:
			break;
		}
		pane_put(w, y, cols - 3, badge, 3, battr);
	}
}
