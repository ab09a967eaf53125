/* pane_text.c: the output view, the model diff and the help overlay */
#include "tui/pane.h"

#include <stdio.h>
#include <string.h>

#include "cpuscope/pool.h"
#include "tui/keys.h"

static void draw_lines(WINDOW *w, char *const *lines, size_t n, size_t top)
{
	int rows = getmaxy(w), cols = getmaxx(w);

	for (int y = 1; y < rows; y++) {
		size_t i = top + (size_t)(y - 1);
		if (i >= n)
			break;
		const char *s = lines[i];
		attr_t a = A_NORMAL;
		if (!strncmp(s, "-cpu", 4))
			a = term_attr(TC_GOOD);
		else if (s[0] && s[0] != ' ' && s[0] != '<' && s[strlen(s) - 1] == ':')
			a = term_attr(TC_TITLE);
		else if (!strncmp(s, "In ", 3))
			a = term_attr(TC_TITLE);
		pane_put(w, y, 1, s, cols - 1, a);
	}
}

void pane_output_draw(WINDOW *w, const struct app *app, bool focused)
{
	char right[48];

	snprintf(right, sizeof(right), "%zu lines ", app->nolines);
	pane_title(w, " Output: guest <cpu> and QEMU -cpu", right, focused);
	draw_lines(w, app->olines, app->nolines, app->list[PANE_OUTPUT].scroll);
}

void pane_diff_draw(WINDOW *w, const struct app *app, bool focused)
{
	char title[160];

	if (app->diff_a < 0 || app->diff_b < 0) {
		pane_title(w, " Model diff", "", focused);
		pane_put(w, 2, 1, "Mark two models with Space in the tree, then press d.",
		         getmaxx(w) - 1, A_NORMAL);
		return;
	}
	snprintf(title, sizeof(title), " Diff: %s vs %s", app->arch->models[app->diff_a].name,
	         app->arch->models[app->diff_b].name);
	pane_title(w, title, "Esc closes ", focused);
	draw_lines(w, app->dlines, app->ndlines, app->list[PANE_DIFF].scroll);
}

void pane_pool_draw(WINDOW *w, const struct app *app, bool focused)
{
	char title[160];

	snprintf(title, sizeof(title), " Pool: %zu host%s", app->pool ? app->pool->n : 0,
	         app->pool && app->pool->n == 1 ? "" : "s");
	pane_title(w, title, "B baseline  Esc closes ", focused);
	draw_lines(w, app->plines, app->nplines, app->list[PANE_POOL].scroll);
}

void pane_help_draw(WINDOW *w, const struct app *app)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	int bw = cols > 84 ? 80 : cols - 4, bh = rows - 2;
	int bx = (cols - bw) / 2, by = 1;
	size_t n = keys_help_count();
	char line[200];

	for (int y = by; y < by + bh; y++)
		pane_fill(w, y, 0, A_NORMAL);
	attr_t t = term_attr(TC_TITLE_FOCUS);
	wattr_on(w, t, NULL);
	for (int x = bx; x < bx + bw; x++)
		mvwaddch(w, by, x, ' ');
	wattr_off(w, t, NULL);
	pane_put(w, by, bx + 1, "Keys (from the binding table)  ? or Esc closes, j/k scroll",
	         bw - 2, t);
	for (int y = by + 1; y < by + bh; y++) {
		size_t i = app->help.scroll + (size_t)(y - by - 1);
		if (i >= n)
			break;
		keys_help_line(i, line, sizeof(line));
		pane_put(w, y, bx + 1, line, bw - 2,
		         line[0] && line[0] != ' ' ? term_attr(TC_TITLE) : A_NORMAL);
	}
}
