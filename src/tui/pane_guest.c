/* pane_guest.c: the guest <cpu> editor */
#include "tui/pane.h"

#include <stdio.h>
#include <string.h>

#include "cpuscope/level.h"

void pane_guest_draw(WINDOW *w, const struct app *app, bool focused)
{
	struct app_rect grid[FIELD_COUNT];
	char title[256], right[64];
	const char *file = app->path ? strrchr(app->path, '/') : NULL;

	file = file ? file + 1 : app->path;
	snprintf(title, sizeof(title), " Guest <cpu>%s%s%s%s", file ? " " : "",
	         file ? file : " (new)", app->is_domain ? " [domain]" : "",
	         app->dirty ? " [modified]" : "");
	if (!strcmp(app->arch->name, "x86") && !engine_guest_is_incomplete(app->guest))
		snprintf(right, sizeof(right), "%s  %zu listed ", cs_x86_level_name(app->level),
		         app->guest->nfeatures);
	else
		snprintf(right, sizeof(right), "%zu listed ", app->guest->nfeatures);
	pane_title(w, title, right, focused);
	app_guest_grid(getmaxx(w), grid);
	for (int f = 0; f < FIELD_COUNT; f++) {
		char val[64];
		bool cur = (enum app_field)f == app->field;
		attr_t va = cur && focused ? term_attr(TC_CURSOR) : (cur ? A_UNDERLINE : A_BOLD);
		int y = grid[f].y + 1, x = grid[f].x;
		const char *label = app_field_name((enum app_field)f);

		if (y >= getmaxy(w))
			continue;
		int used = pane_put(w, y, x, label, grid[f].w, term_attr(TC_DIM));
		app_field_value(app, (enum app_field)f, val, sizeof(val));
		pane_put(w, y, x + used + 1, val, grid[f].w - used - 1, va);
	}
}
