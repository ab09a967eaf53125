/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_layout.c: where each view goes on screen, a pure function of the terminal size */
#include "tui/app_int.h"

#include <string.h>

#include "tui/view.h"

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
	struct app_rect grid[FIELD_COUNT], left, top, slot, side = {0, 0, 0, 0, false};

	memset(l, 0, sizeof(*l));
	l->rows = rows;
	l->cols = cols;
	l->too_small = rows < APP_MIN_ROWS || cols < APP_MIN_COLS;
	if (l->too_small)
		return;
	l->header = (struct app_rect){0, 0, 1, cols, true};
	l->keybar = (struct app_rect){rows - 1, 0, 1, cols, true};
	/* the start verdict, libvirt's two compare answers, the fix (and at
	 * 30 rows one more line) */
	l->verdict.h = (rows >= 30 ? 4 : 3) + (extra_verdict > 0 ? extra_verdict : 0);
	l->verdict = (struct app_rect){rows - 1 - l->verdict.h, 0, l->verdict.h, cols, true};
	body_h = l->verdict.y - body_y;
	/* 30% of the width, at most 40 columns; a deep tree may take 46. */
	tw = clampi(cols * 3 / 10, 24, clampi(tree_need, 40, 46));
	left = (struct app_rect){body_y, 0, body_h, tw, true};
	l->separator = (struct app_rect){body_y, tw, body_h, 1, true};
	rx = tw + 1;
	rw = cols - rx;
	l->wide = cols >= 150;
	if (l->wide) {
		int ow = clampi(cols * 3 / 10, 44, 70);
		side = (struct app_rect){body_y, cols - ow, body_h, ow, true};
		rw -= ow + 1;
	}
	gh = 1 + app_guest_grid(rw, grid);
	top = (struct app_rect){body_y, rx, gh, rw, true};
	slot = (struct app_rect){body_y + gh, rx, body_h - gh, rw, true};
	for (int p = 0; p < PANE_COUNT; p++) {
		switch (view_of((enum app_pane)p)->place) {
		case VIEW_PLACE_LEFT:
			l->pane[p] = left;
			break;
		case VIEW_PLACE_TOP:
			l->pane[p] = top;
			break;
		case VIEW_PLACE_SLOT:
			l->pane[p] = slot;
			break;
		case VIEW_PLACE_SIDE:
			l->pane[p] = l->wide ? side : slot;
			break;
		case VIEW_PLACE_OVERLAY:
			l->pane[p] = (struct app_rect){1, 0, rows - 2, cols, true};
			break;
		}
	}
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

void app_resize(struct app *app, int rows, int cols)
{
	int old_w[PANE_COUNT];

	for (int p = 0; p < PANE_COUNT; p++)
		old_w[p] = app->layout.pane[p].w;
	app_layout_rows(&app->layout, rows, cols, app->pool ? 1 : 0, app->tree_need);
	/* A view that got a place of its own leaves the slot. */
	if (app->layout.wide && view_of(app->view)->place == VIEW_PLACE_SIDE)
		app->view = APP_VIEW_DEFAULT;
	for (int p = 0; p < PANE_COUNT; p++) {
		const struct view_ops *v = view_of((enum app_pane)p);
		app->list[p].height = (size_t)clampi(app->layout.pane[p].h - v->chrome, 1, 10000);
		if (old_w[p] != app->layout.pane[p].w && v->update)
			v->update(app, VIEW_CHANGED_SIZE);
		view_fit(app, (enum app_pane)p);
	}
}
