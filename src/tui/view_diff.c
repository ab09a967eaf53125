/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_diff.c: what one marked model has that another lacks */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>

#include "tui/app_int.h"

/* ---- rows ----------------------------------------------------------------- */

static void diff_section(const struct app *app, struct app_lines *t, const char *title,
                         const struct cs_fset *s)
{
	char line[200];
	int id;

	snprintf(line, sizeof(line), "%s (%u)", title, cs_fset_count(s));
	app_lines_text(t, line);
	cs_fset_foreach (id, s) {
		char loc[64];
		engine_feature_location(&app->arch->features[id], loc, sizeof(loc));
		snprintf(line, sizeof(line), "  %-22s %s", app->arch->features[id].name, loc);
		app_lines_text(t, line);
	}
	if (cs_fset_is_empty(s))
		app_lines_text(t, "  (none)");
	app_lines_text(t, "");
}

static void build_diff(struct app *app)
{
	const struct cs_model *a = &app->arch->models[app->diff_a],
	                      *b = &app->arch->models[app->diff_b];
	struct cs_fset only_a, only_b, both;
	struct app_lines t;
	char line[200];

	app_lines_reset(&t, &app->text[PANE_DIFF]);
	cs_fset_diff(&only_a, &a->features, &b->features);
	cs_fset_diff(&only_b, &b->features, &a->features);
	cs_fset_intersect(&both, &a->features, &b->features);
	snprintf(line, sizeof(line), "%s has %u features, %s has %u; %u in common.", a->name,
	         cs_fset_count(&a->features), b->name, cs_fset_count(&b->features),
	         cs_fset_count(&both));
	app_lines_text(&t, line);
	app_lines_text(&t, "");
	snprintf(line, sizeof(line), "In %s, not in %s", a->name, b->name);
	diff_section(app, &t, line, &only_a);
	snprintf(line, sizeof(line), "In %s, not in %s", b->name, a->name);
	diff_section(app, &t, line, &only_b);
	view_fit(app, PANE_DIFF);
}

static size_t diff_rows(const struct app *app)
{
	return app->text[PANE_DIFF].n;
}

static void diff_prepare(struct app *app)
{
	if (!app->text[PANE_DIFF].lines && app->diff_a >= 0 && app->diff_b >= 0)
		build_diff(app);
}

/* ---- keys ----------------------------------------------------------------- */

/* d: the two marked models, or the one marked and the tree cursor's. */
static int show_diff(struct app *app)
{
	int a = app->mark[0], b = app->mark[1];

	if (a >= 0 && b < 0)
		b = view_tree_model(app);
	if (a < 0 || b < 0 || a == b) {
		app_status(app, true, "mark two models with Space in the tree first");
		return APP_REDRAW;
	}
	if (app->diff_a != a || app->diff_b != b) {
		app_text_clear(&app->text[PANE_DIFF]);
		app->list[PANE_DIFF].cursor = 0;
	}
	app->diff_a = a;
	app->diff_b = b;
	return app_show_view(app, PANE_DIFF);
}

static int diff_key(struct app *app, enum action a, bool focused)
{
	if (a == ACT_DIFF)
		return show_diff(app);
	return focused && view_move_action(app, PANE_DIFF, a) ? APP_REDRAW : 0;
}

static int diff_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	(void)y;
	(void)x;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN)
		view_move(app, PANE_DIFF, ev == MOUSE_WHEEL_UP ? -3 : 3);
	return APP_REDRAW;
}

/* ---- drawing -------------------------------------------------------------- */

static void diff_draw(WINDOW *w, const struct app *app, bool focused)
{
	char title[160];

	if (app->diff_a < 0 || app->diff_b < 0) {
		view_title(w, " Model diff", "", focused);
		view_put(w, 2, 1, "Mark two models with Space in the tree, then press d.",
		         getmaxx(w) - 1, A_NORMAL);
		return;
	}
	snprintf(title, sizeof(title), " Diff: %s vs %s", app->arch->models[app->diff_a].name,
	         app->arch->models[app->diff_b].name);
	view_title(w, title, "Esc closes ", focused);
	view_draw_lines(w, &app->text[PANE_DIFF], app->list[PANE_DIFF].scroll);
}

const struct view_ops view_diff_ops = {
        .name = "diff",
        .ctx = KCTX_DIFF,
        .place = VIEW_PLACE_SLOT,
        .text = true,
        .chrome = 1,
        .rows = diff_rows,
        .key = diff_key,
        .mouse = diff_mouse,
        .prepare = diff_prepare,
        .draw = diff_draw,
};
