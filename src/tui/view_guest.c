/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_guest.c: the guest <cpu> editor: its fields, keys, mouse and drawing */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app_int.h"

/* ---- fields --------------------------------------------------------------- */

void view_guest_field_value(const struct app *app, enum app_field f, char *buf, size_t size)
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

static int cycle_int(int v, int lo, int hi, int dir)
{
	v += dir;
	return v < lo ? hi : v > hi ? lo : v;
}

static int change_field(struct app *app, int dir)
{
	struct cs_cpudef *before = app_edit_begin(app);
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
	view_guest_field_value(app, app->field, val, sizeof(val));
	app_status(app, false, "%s: %s", app_field_name(app->field), val);
	return app_edit_commit(app, before);
}

/* ---- keys ----------------------------------------------------------------- */

static bool is_topology(enum app_field f)
{
	return f >= FIELD_SOCKETS && f <= FIELD_THREADS;
}

/* A digit on a topology field: the first one starts a new number (one
 * undo step for the whole number), the next ones add to it.  Elsewhere
 * the digit does what it does everywhere (1-4 focus the panes). */
static int type_digit(struct app *app)
{
	unsigned i = (unsigned)(app->field - FIELD_SOCKETS), d;
	int key = app->last_key;
	char val[64];

	if (!is_topology(app->field) || key < '0' || key > '9') {
		app->topo_typing = false;
		return app_apply(app, keys_lookup(KCTX_GLOBAL, key, false));
	}
	d = (unsigned)(key - '0');
	if (!app->topo_typing) {
		struct cs_cpudef *before = app_edit_begin(app);
		app->topo_typing = true;
		engine_guest_set_topology(app->guest, i, d);
		view_guest_field_value(app, app->field, val, sizeof(val));
		app_status(app, false, "%s: %s (typing; Enter ends)", app_field_name(app->field),
		           val);
		return app_edit_commit(app, before);
	}
	unsigned v = engine_guest_topology(app->guest, i);
	engine_guest_set_topology(app->guest, i, v >= 410 ? 4096 : v * 10 + d);
	app_recompute(app);
	view_guest_field_value(app, app->field, val, sizeof(val));
	app_status(app, false, "%s: %s (typing; Enter ends)", app_field_name(app->field), val);
	return APP_REDRAW | APP_RECOMPUTE;
}

/* Enter: on a topology number, end the typing (or say how to type one);
 * elsewhere the next value. */
static int pick_field(struct app *app, bool typing)
{
	char val[64];

	if (!is_topology(app->field))
		return change_field(app, 1);
	view_guest_field_value(app, app->field, val, sizeof(val));
	if (typing)
		app_status(app, false, "%s: %s", app_field_name(app->field), val);
	else
		app_status(app, false, "%s: %s: type a number (digits), or + and - to step it",
		           app_field_name(app->field), val);
	return APP_REDRAW;
}

/* Move the field cursor: one field, or to the first or last for a longer move. */
static void move_field(struct app *app, long delta)
{
	long f = (long)app->field + (delta > 0 ? 1 : -1) * (labs(delta) > 1 ? FIELD_COUNT : 1);

	app->field = (enum app_field)(f < 0 ? 0 : f >= FIELD_COUNT ? FIELD_COUNT - 1 : f);
}

static int guest_key(struct app *app, enum action a, bool focused)
{
	bool typing = app->topo_typing;

	if (a == ACT_DIGIT && focused)
		return type_digit(app);
	if (focused)
		app->topo_typing = false;
	switch (a) {
	case ACT_FOCUS_GUEST:
		app->focus = PANE_GUEST;
		return APP_REDRAW;
	case ACT_VALUE_NEXT:
	case ACT_VALUE_PREV:
		return change_field(app, a == ACT_VALUE_NEXT ? 1 : -1);
	default:
		break;
	}
	if (!focused)
		return 0;
	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
		move_field(app, a == ACT_UP ? -1 : 1);
		return APP_REDRAW;
	case ACT_PAGE_UP:
	case ACT_HOME:
		move_field(app, -FIELD_COUNT);
		return APP_REDRAW;
	case ACT_PAGE_DOWN:
	case ACT_END:
		move_field(app, FIELD_COUNT);
		return APP_REDRAW;
	case ACT_LEFT:
	case ACT_RIGHT:
		return change_field(app, a == ACT_RIGHT ? 1 : -1);
	case ACT_PICK:
		return pick_field(app, typing);
	default:
		return 0;
	}
}

static int guest_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	struct app_rect grid[FIELD_COUNT];

	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN) {
		move_field(app, ev == MOUSE_WHEEL_UP ? -3 : 3);
		return APP_REDRAW;
	}
	app_guest_grid(app->layout.pane[PANE_GUEST].w, grid);
	for (int f = 0; f < FIELD_COUNT; f++) {
		if (y - 1 == grid[f].y && x >= grid[f].x && x < grid[f].x + grid[f].w) {
			app->field = (enum app_field)f;
			if (ev == MOUSE_DOUBLE)
				return change_field(app, 1);
		}
	}
	return APP_REDRAW;
}

static size_t guest_rows(const struct app *app)
{
	(void)app;
	return FIELD_COUNT;
}

/* ---- drawing -------------------------------------------------------------- */

static void guest_draw(WINDOW *w, const struct app *app, bool focused)
{
	struct app_rect grid[FIELD_COUNT];
	char title[256], right[64];
	const char *file = app->path ? strrchr(app->path, '/') : NULL;

	file = file ? file + 1 : app->path;
	snprintf(title, sizeof(title), " Guest <cpu>%s%s%s%s", file ? " " : "",
	         file ? file : " (new)", app->is_domain ? " [domain]" : "",
	         app->dirty ? " [modified]" : "");
	if (!strcmp(app->arch->name, "x86") && !engine_guest_is_incomplete(app->guest))
		snprintf(right, sizeof(right), "%s  %zu listed ", engine_level_name(app->level),
		         app->guest->nfeatures);
	else
		snprintf(right, sizeof(right), "%zu listed ", app->guest->nfeatures);
	view_title(w, title, right, focused);
	app_guest_grid(getmaxx(w), grid);
	for (int f = 0; f < FIELD_COUNT; f++) {
		char val[64];
		bool cur = (enum app_field)f == app->field;
		attr_t va = cur && focused ? term_attr(TC_CURSOR) : (cur ? A_UNDERLINE : A_BOLD);
		int y = grid[f].y + 1, x = grid[f].x;
		const char *label = app_field_name((enum app_field)f);

		if (y >= getmaxy(w))
			continue;
		int used = view_put(w, y, x, label, grid[f].w, term_attr(TC_DIM));
		view_guest_field_value(app, (enum app_field)f, val, sizeof(val));
		view_put(w, y, x + used + 1, val, grid[f].w - used - 1, va);
	}
}

const struct view_ops view_guest_ops = {
        .name = "guest",
        .ctx = KCTX_GUEST,
        .place = VIEW_PLACE_TOP,
        .rows = guest_rows,
        .key = guest_key,
        .mouse = guest_mouse,
        .draw = guest_draw,
};
