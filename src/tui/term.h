/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* term.h: the only owner of curses: terminal set-up, colours, glyphs, restore */
#ifndef CPUSCOPE_TUI_TERM_H
#define CPUSCOPE_TUI_TERM_H

#include <stdbool.h>

#include <curses.h>

/* COLOR(ID, foreground, background, colour attributes, monochrome attributes) */
/* clang-format off */
#define TERM_COLORS(COLOR) \
	COLOR(NORMAL,       -1,            -1,           A_NORMAL, A_NORMAL) \
	COLOR(HEADER,       COLOR_BLACK,   COLOR_CYAN,   A_NORMAL, A_REVERSE) \
	COLOR(TITLE,        COLOR_CYAN,    -1,           A_BOLD,   A_BOLD | A_UNDERLINE) \
	COLOR(TITLE_FOCUS,  COLOR_BLACK,   COLOR_CYAN,   A_NORMAL, A_REVERSE | A_BOLD) \
	COLOR(CURSOR,       COLOR_BLACK,   COLOR_YELLOW, A_NORMAL, A_REVERSE) \
	COLOR(CURSOR_IDLE,  -1,            -1,           A_REVERSE | A_DIM, A_UNDERLINE) \
	COLOR(DIM,          COLOR_BLUE,    -1,           A_BOLD,   A_DIM) \
	COLOR(GOOD,         COLOR_GREEN,   -1,           A_BOLD,   A_NORMAL) \
	COLOR(BAD,          COLOR_RED,     -1,           A_BOLD,   A_BOLD) \
	COLOR(WARN,         COLOR_YELLOW,  -1,           A_BOLD,   A_BOLD) \
	COLOR(POLICY,       COLOR_MAGENTA, -1,           A_BOLD,   A_BOLD) \
	COLOR(MARK,         COLOR_MAGENTA, -1,           A_BOLD,   A_BOLD | A_UNDERLINE) \
	COLOR(V_IDENTICAL,  COLOR_BLACK,   COLOR_GREEN,  A_NORMAL, A_BOLD) \
	COLOR(V_SUPERSET,   COLOR_BLACK,   COLOR_GREEN,  A_NORMAL, A_BOLD) \
	COLOR(V_INCOMPAT,   COLOR_WHITE,   COLOR_RED,    A_BOLD,   A_REVERSE | A_BOLD) \
	COLOR(V_NONE,       COLOR_BLACK,   COLOR_WHITE,  A_NORMAL, A_DIM) \
	COLOR(KEY,          COLOR_BLACK,   COLOR_CYAN,   A_NORMAL, A_REVERSE) \
	COLOR(STATUS_ERR,   COLOR_RED,     -1,           A_BOLD,   A_BOLD | A_REVERSE) \
	COLOR(PROMPT,       COLOR_YELLOW,  -1,           A_BOLD,   A_BOLD)
/* clang-format on */

#define TERM_COLOR_ENUM(id, fg, bg, attr, mono) TC_##id,
enum term_color { TERM_COLORS(TERM_COLOR_ENUM) TC_COUNT };
#undef TERM_COLOR_ENUM

/* Line drawing and marks, UTF-8 or ASCII. */
struct term_glyphs {
	const char *vline;  /* pane separator */
	const char *branch; /* tree: child with later siblings */
	const char *last;   /* tree: last child */
	const char *pipe;   /* tree: an ancestor with later siblings */
	const char *blank;  /* tree: nothing */
	const char *open;   /* tree: expanded node */
	const char *closed; /* tree: collapsed node */
	const char *yes;    /* has it */
	const char *no;     /* lacks it */
	const char *dot;    /* a neutral separator */
	const char *ellipsis;
};

struct term_opts {
	bool no_color; /* --no-color, NO_COLOR, TERM=dumb */
	bool no_mouse;
	bool ascii; /* force ASCII glyphs */
};

/* Open the real terminal on stdin/stdout: raw keys, keypad, mouse, colours,
 * and handlers that restore the terminal on exit, on SIGINT/SIGTERM/SIGHUP
 * and on a crash (a signal ignored on entry stays ignored).  Returns 0, or
 * with a message on stderr -1 when stdin or stdout is not a terminal, -2
 * when the terminal cannot draw the explorer (TERM unset or dumb, no cursor
 * addressing). */
int term_open(const struct term_opts *opts);
/* A virtual rows x cols terminal writing to /dev/null (tests, --dump-screen).
 * term_name NULL = "xterm". */
int term_open_virtual(int rows, int cols, const struct term_opts *opts, const char *term_name);
/* Restore the terminal (idempotent, safe when never opened). */
void term_close(void);

/* Attributes for a colour element (colour or monochrome as chosen). */
attr_t term_attr(enum term_color c);
/* The glyph set in use. */
const struct term_glyphs *term_glyphs(void);
bool term_utf8(void);
bool term_has_color(void);

/* Hand seq (an OSC 52 clipboard sequence, engine_osc52) to the terminal;
 * a virtual terminal has no clipboard and ignores it.  Shows nothing. */
void term_clipboard(const char *seq);

/* Write the screen's text, one line per row with trailing blanks removed,
 * to path ("-" = stdout).  0 or -1. */
int term_dump(const char *path);

#endif
