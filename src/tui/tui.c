/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tui.c: the explorer's event loop: read a key, apply its action, redraw */
#include "tui/tui.h"

#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"
#include "tui/app.h"
#include "tui/app_int.h"
#include "tui/keys.h"
#include "tui/term.h"
#include "tui/view.h"

/* The windows of one layout. */
struct screen {
	WINDOW *header, *verdict, *keybar, *separator;
	WINDOW *pane[PANE_COUNT];
};

static WINDOW *make_win(const struct app_rect *r)
{
	if (!r->visible || r->h <= 0 || r->w <= 0)
		return NULL;
	return newwin(r->h, r->w, r->y, r->x);
}

static void screen_free(struct screen *s)
{
	WINDOW **all[] = {&s->header, &s->verdict, &s->keybar, &s->separator};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (*all[i])
			delwin(*all[i]);
		*all[i] = NULL;
	}
	for (int p = 0; p < PANE_COUNT; p++) {
		if (s->pane[p])
			delwin(s->pane[p]);
		s->pane[p] = NULL;
	}
}

static void screen_make(struct screen *s, const struct app_layout *l)
{
	screen_free(s);
	if (l->too_small)
		return;
	s->header = make_win(&l->header);
	s->verdict = make_win(&l->verdict);
	s->keybar = make_win(&l->keybar);
	s->separator = make_win(&l->separator);
	for (int p = 0; p < PANE_COUNT; p++)
		s->pane[p] = make_win(&l->pane[p]);
}

static void relayout(struct screen *s, struct app *app);

static void draw_view(WINDOW *w, const struct app *app, enum app_pane p)
{
	bool focused = app->focus == p && app->mode != MODE_HELP;

	if (!w)
		return;
	werase(w);
	view_of(p)->draw(w, app, focused);
	wnoutrefresh(w);
}

static void draw(struct screen *s, struct app *app)
{
	const struct app_layout *l = &app->layout;

	if (l->too_small) {
		view_bars_small_draw(stdscr, l->rows, l->cols);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	app_prepare(app);
	werase(s->header);
	view_bars_header_draw(s->header, app);
	wnoutrefresh(s->header);
	werase(s->separator);
	view_bars_separator_draw(s->separator);
	wnoutrefresh(s->separator);
	for (int p = 0; p < PANE_COUNT; p++)
		if (view_of((enum app_pane)p)->place != VIEW_PLACE_OVERLAY &&
		    app_view_visible(app, (enum app_pane)p))
			draw_view(s->pane[p], app, (enum app_pane)p);
	view_bars_verdict_draw(s->verdict, app);
	wnoutrefresh(s->verdict);
	view_bars_keybar_draw(s->keybar, app);
	wnoutrefresh(s->keybar);
	/* Overlays last, over the rest. */
	for (int p = 0; p < PANE_COUNT; p++)
		if (view_of((enum app_pane)p)->place == VIEW_PLACE_OVERLAY &&
		    app_view_visible(app, (enum app_pane)p))
			draw_view(s->pane[p], app, (enum app_pane)p);
	doupdate();
}

void tui_render(struct app *app)
{
	struct screen s = {0};

	relayout(&s, app);
	draw(&s, app);
	screen_free(&s);
}

/* ---- map label ---------------------------------------------------------- */

/* The installed libvirt's version, read from its library's file name
 * (libvirt.so.0.9000.0 is 9.0.0), for a map under /usr/share/libvirt. */
static void libvirt_version(char *buf, size_t size)
{
	glob_t g;

	buf[0] = '\0';
	if (glob("/usr/lib*/{,*/}libvirt.so.0.*", GLOB_BRACE | GLOB_NOSORT, NULL, &g))
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *v = strstr(g.gl_pathv[i], "libvirt.so.0.");
		unsigned long n = v ? strtoul(v + 13, NULL, 10) : 0;
		if (n >= 1000) {
			/* libvirt.so.0.MMMmmm.u: major * 1000 + minor, then micro. */
			snprintf(buf, size, "%lu.%lu.%lu", n / 1000, n % 1000,
			         strtoul(strrchr(v + 13, '.') + 1, NULL, 10));
			break;
		}
	}
	globfree(&g);
}

static void label_map(struct app *app)
{
	const char *p = app->map->path ? app->map->path : "";
	char ver[32];

	if (strncmp(p, "/usr/share/libvirt/", 19) || strstr(app->map_label, "(libvirt"))
		return;
	libvirt_version(ver, sizeof(ver));
	if (ver[0]) {
		size_t len = strlen(app->map_label);
		snprintf(app->map_label + len, sizeof(app->map_label) - len, " (libvirt %s)", ver);
	}
}

/* ---- input -------------------------------------------------------------- */

/* A key script: whitespace-separated tokens (see cpuscope(1), TESTING). */
struct script {
	char *text, *pos;
};

static int script_open(struct script *sc, const char *path)
{
	struct cs_error err = {0};
	size_t len;

	if (engine_read_file(path, 1u << 20, &sc->text, &len, &err) < 0) {
		cs_error_print(&err, "cpuscope: error: ", stderr);
		return -1;
	}
	sc->pos = sc->text;
	return 0;
}

/* The next token into buf; false at the end. */
static bool script_next(struct script *sc, char *buf, size_t size)
{
	size_t n = 0;

	while (*sc->pos && isspace((unsigned char)*sc->pos))
		sc->pos++;
	if (!*sc->pos)
		return false;
	while (*sc->pos && !isspace((unsigned char)*sc->pos)) {
		if (n + 1 < size)
			buf[n++] = *sc->pos;
		sc->pos++;
	}
	buf[n] = '\0';
	return true;
}

static int handle_key(struct app *app, int key, bool is_char)
{
	if (app->mode == MODE_PROMPT) {
		if (!is_char) {
			if (key == KEY_BACKSPACE || key == KEY_DC)
				return app_input(app, 127);
			if (key == KEY_ENTER)
				return app_input(app, '\n');
			return 0;
		}
		if (key == KEYS_CTRL('c') || key == KEYS_CTRL('g'))
			key = 27;
		if (key == '\r')
			key = '\n';
		return app_input(app, (wint_t)key);
	}
	if (is_char && key == '\r')
		key = '\n';
	if (!is_char && key == KEY_RESIZE)
		return 0;
	enum keys_ctx ctx = app_key_context(app);
	enum action a = keys_lookup(ctx, key, app->mode == MODE_NORMAL);
	/* A fresh key clears the last message, unless the action sets one. */
	app->status[0] = '\0';
	return app_apply(app, a);
}

static int handle_mouse(struct app *app)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return 0;
	if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
		return app_mouse(app, MOUSE_DOUBLE, ev.y, ev.x);
	if (ev.bstate & BUTTON1_CLICKED)
		return app_mouse(app, MOUSE_CLICK, ev.y, ev.x);
	if (ev.bstate & BUTTON4_PRESSED)
		return app_mouse(app, MOUSE_WHEEL_UP, ev.y, ev.x);
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED)
		return app_mouse(app, MOUSE_WHEEL_DOWN, ev.y, ev.x);
#endif
	return 0;
}

static void relayout(struct screen *s, struct app *app)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	app_resize(app, rows, cols);
	clearok(curscr, TRUE);
	werase(stdscr);
	wnoutrefresh(stdscr);
	screen_make(s, &app->layout);
}

/* Play one script token; returns APP_* flags. */
static int play(struct screen *s, struct app *app, const char *tok)
{
	int y, x, r, c;

	if (!strncmp(tok, "type:", 5)) {
		int flags = 0;
		for (const char *p = tok + 5; *p; p++)
			flags |= handle_key(app, *p == '_' ? ' ' : (unsigned char)*p, true);
		return flags;
	}
	if (sscanf(tok, "resize:%dx%d", &c, &r) == 2) {
		resizeterm(r, c);
		relayout(s, app);
		return APP_REDRAW;
	}
	if (!strncmp(tok, "dump:", 5)) {
		draw(s, app);
		term_dump(tok + 5);
		return 0;
	}
	if (sscanf(tok, "click:%d,%d", &y, &x) == 2)
		return app_mouse(app, MOUSE_CLICK, y, x);
	if (sscanf(tok, "dclick:%d,%d", &y, &x) == 2)
		return app_mouse(app, MOUSE_DOUBLE, y, x);
	if (sscanf(tok, "wheelup:%d,%d", &y, &x) == 2)
		return app_mouse(app, MOUSE_WHEEL_UP, y, x);
	if (sscanf(tok, "wheeldown:%d,%d", &y, &x) == 2)
		return app_mouse(app, MOUSE_WHEEL_DOWN, y, x);
	int key = keys_parse(tok);
	if (key < 0) {
		app_status(app, true, "script: unknown key '%s'", tok);
		return APP_REDRAW;
	}
	return handle_key(app, key, key < KEY_MIN);
}

/* ---- the loop ------------------------------------------------------------ */

/* The pool loading in the background: its progress in the status line,
 * and the pool itself once read. */
static void pool_poll(struct app *app, struct engine_pool_load **load)
{
	struct cs_pool pool;
	struct cs_error err = {0};
	char msg[160];

	if (!*load)
		return;
	if (!engine_pool_load_done(*load, msg, sizeof(msg))) {
		app_status(app, false, "%s", msg);
		return;
	}
	if (engine_pool_load_finish(*load, &pool, &err) < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "%s", msg);
	} else {
		app_set_pool(app, &pool);
		app_status(app, false, "pool: %zu hosts", app->pool ? app->pool->n : (size_t)0);
	}
	*load = NULL;
}

int tui_run(const struct tui_opts *opts)
{
	struct term_opts to = {opts->no_color, opts->no_mouse, opts->ascii};
	struct engine_host_opts ho = {opts->host_file, opts->host_source};
	struct app_host cpu, kvm;
	struct app app;
	struct screen s = {0};
	struct script sc = {0};
	struct cs_pool pool;
	struct cs_error err = {0};
	struct engine_pool_load *load = NULL;
	bool scripted = opts->keys_file || opts->dump_file;
	const struct cs_arch *arch;
	int ret = 0;

	arch = engine_arch(opts->map);
	if (!arch || !arch->nmodels) {
		fprintf(stderr, "cpuscope: error: the map has no CPU models\n");
		return 1;
	}
	engine_arch_derive_tree((struct cs_arch *)arch);
	engine_probe(opts->map, arch, &ho, &cpu, &kvm);
	app_init(&app, opts->map, &cpu, &kvm);
	engine_start_setup_file(&app.start, opts->map, ho.file, &app.cpu);
	label_map(&app);
	engine_pool_init_arch(&pool, opts->map, arch);
	/* Interactively, the pool loads in the background (pool_poll()). */
	if (opts->npool && !scripted)
		load = engine_pool_load_start(opts->map, arch, opts->pool_files, opts->npool);
	if (opts->npool && !load) {
		if (engine_pool_add_files(&pool, opts->pool_files, opts->npool, &err) < 0) {
			cs_error_print(&err, "cpuscope: error: ", stderr);
			ret = 2;
			goto early;
		}
		app_set_pool(&app, &pool);
	}
	if (opts->guest_file && app_open(&app, opts->guest_file) < 0) {
		fprintf(stderr, "cpuscope: error: %s\n", app.status);
		ret = 1;
		goto early;
	}
	if (opts->keys_file && script_open(&sc, opts->keys_file) < 0) {
		ret = 2;
		goto early;
	}
	if (scripted ? term_open_virtual(opts->rows > 0 ? opts->rows : 30,
	                                 opts->cols > 0 ? opts->cols : 100, &to, NULL)
	             : term_open(&to)) {
		ret = 1;
		goto early;
	}
	app.utf8 = term_utf8();
	relayout(&s, &app);
	for (;;) {
		int flags = 0;
		char tok[512];

		app_poll(&app);
		pool_poll(&app, &load);
		draw(&s, &app);
		if (scripted) {
			if (!sc.text || !script_next(&sc, tok, sizeof(tok)))
				break;
			flags = play(&s, &app, tok);
		} else {
			wint_t ch;
			int r;

			/* While QEMU is asked, wake up to collect its answer. */
			wtimeout(stdscr, engine_verify_running(&app.start) || load ? 100 : -1);
			r = wget_wch(stdscr, &ch);
			if (r == ERR)
				continue;
			if (load && r == OK && (ch == 27 || ch == 3)) {
				engine_pool_load_cancel(load);
				continue;
			}
			if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
				relayout(&s, &app);
				continue;
			}
			if (r == KEY_CODE_YES && ch == KEY_MOUSE)
				flags = handle_mouse(&app);
			else
				flags = handle_key(&app, (int)ch, r == OK);
		}
		if (flags & APP_CLIPBOARD) {
			char *seq = engine_osc52(app.clip);
			term_clipboard(seq);
			free(seq);
		}
		if (flags & APP_RELAYOUT)
			relayout(&s, &app);
		if (flags & APP_QUIT)
			break;
	}
	if (opts->dump_file) {
		draw(&s, &app);
		term_dump(opts->dump_file);
	}
	screen_free(&s);
	term_close();
early:
	if (load) {
		engine_pool_load_cancel(load);
		engine_pool_load_finish(load, &pool, NULL);
	}
	free(sc.text);
	app_release(&app);
	engine_pool_release(&pool);
	return ret;
}
