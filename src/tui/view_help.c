/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_help.c: the help overlay, generated from the key table */
#include "tui/view.h"

#include <stdio.h>

#include "tui/app_int.h"
#include "tui/keys.h"

/* The marks of the model tree, after the keys. */
#define LEGEND_LINES 6
static void legend_line(size_t i, char *buf, size_t size)
{
	const struct term_glyphs *g = term_glyphs();
	bool u = term_utf8();

	switch (i) {
	case 0:
		snprintf(buf, size, "Marks in the model tree");
		break;
	case 1:
		snprintf(buf, size,
		         "  %s, %sN            the host runs the model; it lacks N of its features",
		         g->yes, g->no);
		break;
	case 2:
		snprintf(buf, size,
		         "                   (b: against the pool, N hosts cannot run it)");
		break;
	case 3:
		snprintf(buf, size,
		         "  ~                QEMU 7.2 has no such model: libvirt starts another");
		break;
	case 4:
		snprintf(buf, size,
		         "  %s  A  B          the guest's model; the models marked for the diff",
		         u ? "\u25cf" : "@");
		break;
	default:
		snprintf(buf, size,
		         "  %s               a derived edge (models --tree marks it with *)",
		         u ? "\u251c\u254c" : "|.");
		break;
	}
}

static size_t help_rows(const struct app *app)
{
	(void)app;
	return keys_help_count() + LEGEND_LINES;
}

static int help_key(struct app *app, enum action a, bool focused)
{
	if (a == ACT_HELP) {
		app->mode = app->mode == MODE_HELP ? MODE_NORMAL : MODE_HELP;
		return APP_REDRAW;
	}
	if (!focused)
		return 0;
	if (a == ACT_ESCAPE) {
		app->mode = MODE_NORMAL;
		return APP_REDRAW;
	}
	return view_move_action(app, PANE_HELP, a) ? APP_REDRAW : 0;
}

/* The wheel scrolls, a click closes. */
static int help_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	(void)y;
	(void)x;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN) {
		view_move(app, PANE_HELP, ev == MOUSE_WHEEL_UP ? -3 : 3);
		return APP_REDRAW;
	}
	app->mode = MODE_NORMAL;
	return APP_REDRAW;
}

/* A box of at most 80 columns, centred in w. */
static void help_draw(WINDOW *w, const struct app *app, bool focused)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	int bw = cols > 84 ? 80 : cols - 4, bh = rows - 2;
	int bx = (cols - bw) / 2, by = 1;
	size_t nk = keys_help_count(), n = nk + LEGEND_LINES;
	char line[200];

	(void)focused;
	for (int y = by; y < by + bh; y++)
		view_fill(w, y, 0, A_NORMAL);
	attr_t t = term_attr(TC_TITLE_FOCUS);
	wattr_on(w, t, NULL);
	for (int x = bx; x < bx + bw; x++)
		mvwaddch(w, by, x, ' ');
	wattr_off(w, t, NULL);
	view_put(w, by, bx + 1, "Keys (from the binding table)  ? or Esc closes, j/k scroll",
	         bw - 2, t);
	for (int y = by + 1; y < by + bh; y++) {
		size_t i = app->list[PANE_HELP].scroll + (size_t)(y - by - 1);
		if (i >= n)
			break;
		if (i < nk)
			keys_help_line(i, line, sizeof(line));
		else
			legend_line(i - nk, line, sizeof(line));
		view_put(w, y, bx + 1, line, bw - 2,
		         line[0] && line[0] != ' ' ? term_attr(TC_TITLE) : A_NORMAL);
	}
}

const struct view_ops view_help_ops = {
        .name = "help",
        .ctx = KCTX_HELP,
        .place = VIEW_PLACE_OVERLAY,
        .text = true,
        .chrome = 3,
        .rows = help_rows,
        .key = help_key,
        .mouse = help_mouse,
        .draw = help_draw,
};
