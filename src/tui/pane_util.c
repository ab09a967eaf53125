/* pane_util.c: drawing helpers shared by the panes */
#include "tui/pane.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int pane_width(const char *s)
{
	mbstate_t st;
	int cols = 0;

	memset(&st, 0, sizeof(st));
	while (*s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, strlen(s), &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			s++;
			cols++;
			continue;
		}
		int cw = wcwidth(wc);
		cols += cw > 0 ? cw : 0;
		s += n;
	}
	return cols;
}

int pane_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr)
{
	mbstate_t st;
	int used = 0, maxx = getmaxx(w);

	if (width > maxx - x)
		width = maxx - x;
	if (width <= 0 || !s)
		return 0;
	memset(&st, 0, sizeof(st));
	wmove(w, y, x);
	wattr_on(w, attr, NULL);
	while (*s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, strlen(s), &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			wc = L'?';
			n = 1;
		}
		int cw = wcwidth(wc);
		if (cw < 0)
			cw = 1, wc = L'?';
		if (used + cw > width)
			break;
		waddnwstr(w, &wc, 1);
		used += cw;
		s += n;
	}
	wattr_off(w, attr, NULL);
	return used;
}

void pane_fill(WINDOW *w, int y, int x, attr_t attr)
{
	int maxx = getmaxx(w);

	wattr_on(w, attr, NULL);
	for (int i = x; i < maxx; i++)
		mvwaddch(w, y, i, ' ');
	wattr_off(w, attr, NULL);
}

void pane_title(WINDOW *w, const char *text, const char *right, bool focused)
{
	attr_t a = term_attr(focused ? TC_TITLE_FOCUS : TC_TITLE);
	int maxx = getmaxx(w);

	pane_fill(w, 0, 0, a);
	int used = pane_put(w, 0, 0, text, maxx, a);
	if (right && right[0]) {
		int rw = pane_width(right);
		if (used + 1 + rw <= maxx)
			pane_put(w, 0, maxx - rw, right, rw, a);
	}
}

void pane_separator_draw(WINDOW *w)
{
	int rows = getmaxy(w);
	for (int y = 0; y < rows; y++)
		pane_put(w, y, 0, term_glyphs()->vline, 1, term_attr(TC_DIM));
}

void pane_small_draw(WINDOW *w, int rows, int cols)
{
	char msg[128];
	int y = rows / 2 - 1;

	werase(w);
	snprintf(msg, sizeof(msg), "terminal too small: %dx%d", cols, rows);
	pane_put(w, y < 0 ? 0 : y, 0, msg, cols, term_attr(TC_BAD));
	snprintf(msg, sizeof(msg), "cpuscope needs at least %dx%d", APP_MIN_COLS, APP_MIN_ROWS);
	if (y + 1 < rows)
		pane_put(w, y + 1, 0, msg, cols, A_NORMAL);
	if (y + 2 < rows)
		pane_put(w, y + 2, 0, "enlarge the window, or q to quit", cols, A_NORMAL);
}
