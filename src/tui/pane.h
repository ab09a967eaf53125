/* pane.h: drawing functions of the explorer's panes (they only read the state) */
#ifndef CPUSCOPE_TUI_PANE_H
#define CPUSCOPE_TUI_PANE_H

#include <stdbool.h>

#include <curses.h>

#include "tui/app.h"
#include "tui/term.h"

/* Each pane draws itself into its window from app; none changes app. */
void pane_header_draw(WINDOW *w, const struct app *app);
void pane_tree_draw(WINDOW *w, const struct app *app, bool focused);
void pane_guest_draw(WINDOW *w, const struct app *app, bool focused);
void pane_features_draw(WINDOW *w, const struct app *app, bool focused);
void pane_output_draw(WINDOW *w, const struct app *app, bool focused);
void pane_diff_draw(WINDOW *w, const struct app *app, bool focused);
void pane_pool_draw(WINDOW *w, const struct app *app, bool focused);
void pane_verdict_draw(WINDOW *w, const struct app *app);
/* The bottom line: prompt, question, status message or key bar. */
void pane_keybar_draw(WINDOW *w, const struct app *app);
void pane_separator_draw(WINDOW *w);
/* The help overlay, centred in w. */
void pane_help_draw(WINDOW *w, const struct app *app);
/* The whole screen when it is too small. */
void pane_small_draw(WINDOW *w, int rows, int cols);

/* ---- shared drawing helpers (pane_util.c) ---- */

/* Put UTF-8 text at (y, x) in at most width columns; returns the columns used. */
int pane_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr);
/* Fill row y from x to the window's right edge with blanks in attr. */
void pane_fill(WINDOW *w, int y, int x, attr_t attr);
/* The title row: " text " in the title colour, right text at the right edge. */
void pane_title(WINDOW *w, const char *text, const char *right, bool focused);
/* Columns text needs on screen. */
int pane_width(const char *s);

#endif
