/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_util.c: cursor movement and drawing helpers shared by the views */
#include "tui/view.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The next character of s and its columns (a byte that starts no valid
 * character, or an unprintable one, shows as '?').  Reads at most
 * MB_CUR_MAX bytes, never the rest of the string. */
static size_t next_char(const char *s, mbstate_t *st, wchar_t *wc, int *cw)
{
	size_t n = mbrtowc(wc, s, strnlen(s, MB_CUR_MAX), st);

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		*wc = L'?';
		n = 1;
	}
	*cw = wcwidth(*wc);
	if (*cw < 0)
		*cw = 1, *wc = L'?';
	return n;
}

int view_width_upto(const char *s, int limit)
{
	mbstate_t st;
	int cols = 0;

	memset(&st, 0, sizeof(st));
	while (*s && cols <= limit) {
		wchar_t wc;
		int cw;
		s += next_char(s, &st, &wc, &cw);
		cols += cw;
	}
	return cols;
}

int view_width(const char *s)
{
	return view_width_upto(s, INT_MAX - 8);
}

int view_cut(char *buf, size_t size, const char *s, int width)
{
	mbstate_t st;
	int used = 0;
	size_t len = 0;
	bool cut = view_width_upto(s, width) > width;
	int room = cut ? width - 1 : width;
	const char *e = term_glyphs()->ellipsis;

	memset(&st, 0, sizeof(st));
	while (*s && size) {
		wchar_t wc;
		int cw;
		size_t n = next_char(s, &st, &wc, &cw);
		if (used + cw > room || len + n + strlen(e) + 1 > size)
			break;
		memcpy(buf + len, s, n);
		len += n;
		used += cw;
		s += n;
	}
	if (cut && width > 0 && len + strlen(e) < size) {
		memcpy(buf + len, e, strlen(e));
		len += strlen(e);
		used++;
	}
	/* pad to the width: a column of names lines up */
	while (used < width && len + 1 < size) {
		buf[len++] = ' ';
		used++;
	}
	if (size)
		buf[len] = '\0';
	return used;
}

int view_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr)
{
	mbstate_t st;
	int used = 0, maxx = getmaxx(w), room;
	bool cut;

	if (width > maxx - x)
		width = maxx - x;
	if (width <= 0 || !s)
		return 0;
	/* Cut: keep a column for the ellipsis. */
	cut = view_width_upto(s, width) > width;
	room = cut ? width - 1 : width;
	memset(&st, 0, sizeof(st));
	wmove(w, y, x);
	wattr_on(w, attr, NULL);
	while (*s) {
		wchar_t wc;
		int cw;
		size_t n = next_char(s, &st, &wc, &cw);
		if (used + cw > room)
			break;
		waddnwstr(w, &wc, 1);
		used += cw;
		s += n;
	}
	if (cut) {
		waddstr(w, term_glyphs()->ellipsis);
		used++;
	}
	wattr_off(w, attr, NULL);
	return used;
}

void view_fill(WINDOW *w, int y, int x, attr_t attr)
{
	int maxx = getmaxx(w);

	wattr_on(w, attr, NULL);
	for (int i = x; i < maxx; i++)
		mvwaddch(w, y, i, ' ');
	wattr_off(w, attr, NULL);
}

void view_title(WINDOW *w, const char *text, const char *right, bool focused)
{
	attr_t a = term_attr(focused ? TC_TITLE_FOCUS : TC_TITLE);
	int maxx = getmaxx(w);

	view_fill(w, 0, 0, a);
	int used = view_put(w, 0, 0, text, maxx, a);
	if (right && right[0]) {
		int rw = view_width(right);
		if (used + 1 + rw <= maxx)
			view_put(w, 0, maxx - rw, right, rw, a);
	}
}

/* Draw lines[top..] from row 1 on: titles ("Foo:") and -cpu lines stand out. */
void view_draw_lines(WINDOW *w, const struct app_text *text, size_t top)
{
	int rows = getmaxy(w), cols = getmaxx(w);

	for (int y = 1; y < rows; y++) {
		size_t i = top + (size_t)(y - 1);
		if (i >= text->n)
			break;
		const char *s = text->lines[i];
		attr_t a = A_NORMAL;
		if (!strncmp(s, "-cpu", 4))
			a = term_attr(TC_GOOD);
		else if (s[0] && s[0] != ' ' && s[0] != '<' && s[strlen(s) - 1] == ':')
			a = term_attr(TC_TITLE);
		else if (!strncmp(s, "In ", 3))
			a = term_attr(TC_TITLE);
		view_put(w, y, 1, s, cols - 1, a);
	}
}

/* ---- cursor and scroll ------------------------------------------------------ */

void view_list_fit(struct app_list *l, size_t n)
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

void view_text_fit(struct app_list *l, size_t n)
{
	size_t h = l->height ? l->height : 1;
	size_t max = n > h ? n - h : 0;

	if (l->cursor > max)
		l->cursor = max;
	l->scroll = l->cursor;
}

static size_t view_rows(const struct app *app, enum app_pane p)
{
	const struct view_ops *v = view_of(p);
	return v->rows ? v->rows(app) : 0;
}

void view_fit(struct app *app, enum app_pane p)
{
	if (view_of(p)->text)
		view_text_fit(&app->list[p], view_rows(app, p));
	else
		view_list_fit(&app->list[p], view_rows(app, p));
}

void view_move(struct app *app, enum app_pane p, long delta)
{
	struct app_list *l = &app->list[p];

	if (delta < 0 && (size_t)-delta > l->cursor)
		l->cursor = 0;
	else if (delta < 0)
		l->cursor -= (size_t)-delta;
	else
		l->cursor += (size_t)delta;
	view_fit(app, p);
	if (view_of(p)->moved)
		view_of(p)->moved(app);
}

void view_set_cursor(struct app *app, enum app_pane p, size_t row)
{
	app->list[p].cursor = row;
	view_fit(app, p);
	if (view_of(p)->moved)
		view_of(p)->moved(app);
}

bool view_move_action(struct app *app, enum app_pane p, enum action a)
{
	size_t h = app->list[p].height;
	long page = h > 1 ? (long)h - 1 : 1;

	switch (a) {
	case ACT_UP:
		view_move(app, p, -1);
		return true;
	case ACT_DOWN:
		view_move(app, p, 1);
		return true;
	case ACT_PAGE_UP:
		view_move(app, p, -page);
		return true;
	case ACT_PAGE_DOWN:
		view_move(app, p, page);
		return true;
	case ACT_HOME:
		view_move(app, p, -1000000L);
		return true;
	case ACT_END:
		view_move(app, p, 1000000L);
		return true;
	default:
		return false;
	}
}

int view_mouse_list(struct app *app, enum app_pane p, enum app_mouse ev, int y, int first,
                    bool *hit)
{
	const struct app_list *l = &app->list[p];
	size_t n = view_of(p)->rows ? view_of(p)->rows(app) : 0, row;

	*hit = false;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN) {
		view_move(app, p, ev == MOUSE_WHEEL_UP ? -3 : 3);
		return APP_REDRAW;
	}
	if (y < first)
		return APP_REDRAW;
	row = l->scroll + (size_t)(y - first);
	if (row >= n || row >= l->scroll + l->height)
		return APP_REDRAW;
	view_set_cursor(app, p, row);
	*hit = true;
	return APP_REDRAW;
}
