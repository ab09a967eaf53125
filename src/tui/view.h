/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view.h: what every view of the explorer offers, and the helpers they share */
#ifndef CPUSCOPE_TUI_VIEW_H
#define CPUSCOPE_TUI_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "tui/app.h"
#include "tui/term.h"

/* Where the layout puts a view. */
enum view_place {
	VIEW_PLACE_LEFT,    /* the left column (the model tree) */
	VIEW_PLACE_TOP,     /* the top of the right column (the guest editor) */
	VIEW_PLACE_SLOT,    /* the rest of the right column, one view at a time (app->view) */
	VIEW_PLACE_SIDE,    /* the slot, or a column of its own on wide screens */
	VIEW_PLACE_OVERLAY, /* over everything, while app->mode is MODE_HELP */
};

/* What changed, for view_ops.update. */
enum {
	VIEW_CHANGED_GUEST = 1 << 0, /* the guest or a host side: app_recompute */
	VIEW_CHANGED_MODEL = 1 << 1, /* the model under the tree cursor */
	VIEW_CHANGED_SIZE = 1 << 2,  /* the view's width */
	VIEW_CHANGED_LIST = 1 << 3,  /* how a list is filtered or sorted */
};

/* A view's operations, in the manner of tig's view_ops and htop's Panel
 * class: each view owns its rows, its keys, its mouse and its drawing.
 * rows, key and draw are required; any other operation may be NULL. */
struct view_ops {
	const char *name;
	enum keys_ctx ctx; /* where its key bindings are looked up first */
	enum view_place place;
	bool text;  /* scrolls as text: the cursor is the top line */
	int chrome; /* rows of its rectangle that are not list rows (title, ...) */
	/* How many rows it has (for moving, fitting and the mouse). */
	size_t (*rows)(const struct app *app);
	/* The name a search matches in row (a searchable view), or NULL. */
	const char *(*row_name)(const struct app *app, size_t row);
	/* An action for the view: focused when it has the focus (it is then
	 * asked first), else it is offered an action no one else took.
	 * Returns APP_* flags, 0 when the action is not the view's. */
	int (*key)(struct app *app, enum action a, bool focused);
	/* A click, double click or wheel at (y, x) inside the view's rectangle
	 * (the view already has the focus).  Returns APP_* flags. */
	int (*mouse)(struct app *app, enum app_mouse ev, int y, int x);
	/* Its cursor was moved (by a key, the mouse or a search). */
	void (*moved)(struct app *app);
	/* Rebuild what follows from the state after a change (VIEW_CHANGED_*). */
	void (*update)(struct app *app, unsigned changed);
	/* Before drawing, when visible: rebuild texts that went stale. */
	void (*prepare)(struct app *app);
	/* Draw into w (erased) from the state, which it does not change. */
	void (*draw)(WINDOW *w, const struct app *app, bool focused);
	/* Free app->view_data[its pane] (app_release frees its list and its
	 * text itself). */
	void (*release)(struct app *app);
};

/* The operations of view p (views.c). */
const struct view_ops *view_of(enum app_pane p);

/* ---- the views' operations (each in view_<name>.c) ------------------------ */

#define APP_VIEW_OPS(id, name) extern const struct view_ops view_##name##_ops;
APP_VIEWS(APP_VIEW_OPS)
#undef APP_VIEW_OPS

/* ---- what the views answer about their rows ------------------------------------ */

/* The model under the tree cursor, or -1 (view_tree.c). */
int view_tree_model(const struct app *app);
/* Columns a tree row needs for its connectors, marker, name and a mark;
 * compact gives each ancestor level one column instead of two. */
int view_tree_row_need(const struct app *app, const struct app_tree_row *r, bool compact);
/* The feature under the feature cursor, or -1 (view_features.c). */
int view_features_cursor(const struct app *app);
/* The model whose features the list shows for SOURCE_MODEL, or -1. */
int view_features_source_model(const struct app *app);
const char *view_features_sort_name(enum app_sort s);
const char *view_features_source_name(enum app_source s);
/* Text of a guest field's value ("custom", "Skylake-Client", "(any)") (view_guest.c). */
void view_guest_field_value(const struct app *app, enum app_field f, char *buf, size_t size);

/* o with a libvirt connection: show its domains to pick one (view_domains.c);
 * 0 when there is no connection (the file prompt then). */
int view_domains_show(struct app *app);
/* The migration view (T) asks its destinations on a thread: whether it
 * still is, and (once per loop turn) its progress or its answer into the
 * view; true when the screen changed. */
bool view_migrate_busy(const struct app *app);
bool view_migrate_poll(struct app *app);

/* ---- cursor and scroll (view_util.c) ---------------------------------------- */

/* Keep the cursor inside [0, n) and the scroll so that the cursor shows. */
void view_list_fit(struct app_list *l, size_t n);
/* Text views scroll: the cursor is the top line. */
void view_text_fit(struct app_list *l, size_t n);
/* Fit view p's list to its rows. */
void view_fit(struct app *app, enum app_pane p);
/* Move view p's cursor by delta rows, or to row. */
void view_move(struct app *app, enum app_pane p, long delta);
void view_set_cursor(struct app *app, enum app_pane p, size_t row);
/* The movement actions (up, down, page, home, end) on view p: true when a
 * was one of them. */
bool view_move_action(struct app *app, enum app_pane p, enum action a);

/* A click or the wheel on a list view whose rows start first rows below its
 * top: the wheel moves by three rows, a click puts the cursor on the row.
 * Returns APP_REDRAW, with *row set and true in *hit when a row was clicked. */
int view_mouse_list(struct app *app, enum app_pane p, enum app_mouse ev, int y, int first,
                    bool *hit);

/* ---- drawing helpers (view_util.c) ------------------------------------------ */

/* Put UTF-8 text at (y, x) in at most width columns (and the window);
 * text cut to fit ends in an ellipsis.  Looks at no more of s than the
 * width needs.  Returns the columns used. */
int view_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr);
/* Fill row y from x to the window's right edge with blanks in attr. */
void view_fill(WINDOW *w, int y, int x, attr_t attr);
/* The title row: " text " in the title colour, right text at the right edge. */
void view_title(WINDOW *w, const char *text, const char *right, bool focused);
/* s as exactly width columns into buf: cut with an ellipsis when longer,
 * padded with blanks when shorter (for columns in a text view).  Returns
 * the columns written. */
int view_cut(char *buf, size_t size, const char *s, int width);
/* Columns text needs on screen. */
int view_width(const char *s);
/* The same, but stops counting past limit: min(columns, limit + 1) or a
 * little more; for a long text when only "does it fit in limit" matters. */
int view_width_upto(const char *s, int limit);
/* Draw a text view's lines from top on, from the window's second row on. */
void view_draw_lines(WINDOW *w, const struct app_text *text, size_t top);

/* ---- the bars around the views (view_bars.c) ---------------------------------- */

void view_bars_header_draw(WINDOW *w, const struct app *app);
void view_bars_verdict_draw(WINDOW *w, const struct app *app);
/* The bottom line: prompt, question, status message or key bar. */
void view_bars_keybar_draw(WINDOW *w, const struct app *app);
void view_bars_separator_draw(WINDOW *w);
/* The whole screen when it is too small. */
void view_bars_small_draw(WINDOW *w, int rows, int cols);

#endif
