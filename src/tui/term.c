/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* term.c: curses set-up and teardown, colours, glyphs and terminal restore */
#include "tui/term.h"

#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The terminal is process-wide state: curses itself is. */
static SCREEN *screen;
static FILE *virt_out, *virt_in;
static bool is_open, use_color, use_utf8, handlers_set;

/* clang-format off */
#define TERM_COLOR_ROW(id, fg, bg, attr, mono) { fg, bg, attr, mono },
static const struct { short fg, bg; attr_t attr, mono; } colors[TC_COUNT] = {
	TERM_COLORS(TERM_COLOR_ROW)
};
#undef TERM_COLOR_ROW

static const struct term_glyphs utf8_glyphs = {
	"\u2502", "\u251c\u2500", "\u2514\u2500", "\u2502 ", "  ", "\u25be", "\u25b8",
	"\u2713", "\u2717", "\u00b7", "\u2026",
};
static const struct term_glyphs ascii_glyphs = {
	"|", "|-", "`-", "| ", "  ", "-", "+", "y", "n", "-", "~",
};
/* clang-format on */

static void restore(void)
{
	if (!is_open)
		return;
	is_open = false;
	if (!virt_out) {
		/* Leave the mouse-reporting mode ncurses may not undo itself. */
		mousemask(0, NULL);
		endwin();
	} else {
		endwin();
	}
}

static void on_fatal(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_quit(int sig)
{
	restore();
	_exit(128 + sig);
}

static void install_handlers(void)
{
	static const int quit_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	static const int fatal_sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
	struct sigaction sa;

	if (handlers_set)
		return;
	handlers_set = true;
	atexit(term_close);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;
	for (size_t i = 0; i < sizeof(quit_sigs) / sizeof(quit_sigs[0]); i++) {
		struct sigaction old;
		/* A signal ignored on entry (nohup) stays ignored. */
		if (!sigaction(quit_sigs[i], NULL, &old) && old.sa_handler == SIG_IGN)
			continue;
		sigaction(quit_sigs[i], &sa, NULL);
	}
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(fatal_sigs) / sizeof(fatal_sigs[0]); i++)
		sigaction(fatal_sigs[i], &sa, NULL);
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

static void setup_common(const struct term_opts *opts)
{
	const char *nc = getenv("NO_COLOR");
	const char *t = getenv("TERM");

	use_utf8 = !opts->ascii && locale_is_utf8();
	use_color = !opts->no_color && !(nc && nc[0]) && !(t && !strcmp(t, "dumb")) && has_colors();
	if (use_color) {
		start_color();
		use_default_colors();
		for (int i = 1; i < TC_COUNT; i++)
			init_pair((short)i, colors[i].fg, colors[i].bg);
	}
	raw();
	noecho();
	nl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	is_open = true;
}

/* Whether the terminal set up can draw the explorer: it must move the
 * cursor anywhere and clear the screen (a dumb terminal can do neither). */
static bool term_capable(void)
{
	const char *cup = tigetstr("cup"), *clear = tigetstr("clear");

	return cup && cup != (char *)-1 && clear && clear != (char *)-1 && LINES > 0 && COLS > 0;
}

int term_open(const struct term_opts *opts)
{
	const char *t = getenv("TERM");

	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		fprintf(stderr, "cpuscope: error: the explorer needs a terminal "
		                "(use a command such as 'cpuscope models' in scripts)\n");
		return -1;
	}
	if (!t || !t[0] || !strcmp(t, "dumb")) {
		fprintf(stderr,
		        "cpuscope: error: the explorer needs a terminal that can move the cursor; "
		        "TERM is '%s' (set TERM, e.g. TERM=xterm-256color, or use a command such "
		        "as 'cpuscope models')\n",
		        t ? t : "");
		return -2;
	}
	install_handlers();
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		fprintf(stderr, "cpuscope: error: cannot set up the terminal '%s'\n", t);
		return -2;
	}
	set_term(screen);
	if (!term_capable()) {
		endwin();
		delscreen(screen);
		screen = NULL;
		fprintf(stderr,
		        "cpuscope: error: the terminal '%s' cannot move the cursor or clear the "
		        "screen, which the explorer needs (set TERM to the terminal's real type)\n",
		        t);
		return -2;
	}
	setup_common(opts);
	if (!opts->no_mouse) {
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
		                  BUTTON5_PRESSED,
		          NULL);
		mouseinterval(150);
	}
	return 0;
}

int term_open_virtual(int rows, int cols, const struct term_opts *opts, const char *term_name)
{
	virt_out = fopen("/dev/null", "w");
	virt_in = fopen("/dev/null", "r");
	if (!virt_out || !virt_in) {
		term_close();
		return -1;
	}
	screen = newterm(term_name ? term_name : "xterm", virt_out, virt_in);
	if (!screen) {
		term_close();
		return -1;
	}
	set_term(screen);
	setup_common(opts);
	resizeterm(rows, cols);
	return 0;
}

void term_clipboard(const char *seq)
{
	if (!screen || virt_out || !seq)
		return;
	/* After curses' own output, so the sequence is not split by it. */
	doupdate();
	fputs(seq, stdout);
	fflush(stdout);
}

void term_close(void)
{
	restore();
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
	if (virt_out)
		fclose(virt_out);
	if (virt_in)
		fclose(virt_in);
	virt_out = virt_in = NULL;
}

attr_t term_attr(enum term_color c)
{
	if ((unsigned)c >= TC_COUNT)
		return A_NORMAL;
	if (!use_color)
		return colors[c].mono;
	return colors[c].attr | (c ? COLOR_PAIR(c) : 0);
}

const struct term_glyphs *term_glyphs(void)
{
	return use_utf8 ? &utf8_glyphs : &ascii_glyphs;
}

bool term_utf8(void)
{
	return use_utf8;
}

bool term_has_color(void)
{
	return use_color;
}

int term_dump(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int rows, cols;

	if (!f)
		return -1;
	getmaxyx(curscr, rows, cols);
	for (int y = 0; y < rows; y++) {
		char line[4096];
		int n = mvwinnstr(curscr, y, 0, line, (int)sizeof(line) - 1);
		if (n < 0)
			n = 0;
		line[n] = '\0';
		size_t len = strlen(line);
		while (len && line[len - 1] == ' ')
			line[--len] = '\0';
		fprintf(f, "%s\n", line);
	}
	(void)cols;
	if (f != stdout)
		fclose(f);
	else
		fflush(f);
	return 0;
}
