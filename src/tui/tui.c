/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tui.c: the explorer's event loop: read a key, apply its action, redraw */
#include "tui/tui.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpuscope/xalloc.h"
#include "tui/app.h"
#include "tui/app_int.h"
#include "tui/engine_conn.h"
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
	const char *path;
	char *text, *pos;
	unsigned line; /* the line of the token read last */
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
	sc->path = path;
	sc->line = 1;
	return 0;
}

/* The next token into buf; false at the end. */
static bool script_next(struct script *sc, char *buf, size_t size)
{
	size_t n = 0;

	while (*sc->pos && isspace((unsigned char)*sc->pos))
		sc->line += *sc->pos++ == '\n';
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
	app->last_key = key;
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

/* The largest virtual terminal a script may ask for. */
#define SCRIPT_MAX_SIZE 1000

/* Play one script token; returns APP_* flags, or -1 (with a message on
 * stderr) for a token that cannot be played. */
static int play(struct screen *s, struct app *app, const struct script *sc, const char *tok)
{
	int y, x, r, c;

	if (!strncmp(tok, "type:", 5)) {
		int flags = 0;
		for (const char *p = tok + 5; *p; p++)
			flags |= handle_key(app, *p == '_' ? ' ' : (unsigned char)*p, true);
		return flags;
	}
	if (!strncmp(tok, "resize:", 7)) {
		char end;
		if (sscanf(tok, "resize:%dx%d%c", &c, &r, &end) != 2 || c < 1 || r < 1 ||
		    c > SCRIPT_MAX_SIZE || r > SCRIPT_MAX_SIZE) {
			fprintf(stderr,
			        "cpuscope: error: %s:%u: bad size '%s' (resize:COLSxROWS, "
			        "1 to %d each)\n",
			        sc->path, sc->line, tok + 7, SCRIPT_MAX_SIZE);
			return -1;
		}
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

/* Reading a key fails at once, again and again, when the terminal has gone
 * away without a SIGHUP (end of input, a closed pseudo-terminal).  A read
 * that waited for its timeout is no such failure. */
struct input_watch {
	unsigned errs; /* failures in a row that came back early */
};

#define INPUT_GONE_AFTER 50

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* After a failed read that started at *since with a timeout of wait_ms
 * (-1: none): whether input is gone for good. */
static bool input_gone_after(struct input_watch *w, double since, int wait_ms)
{
	if (wait_ms >= 0 && now_ms() - since >= wait_ms / 2.0) {
		w->errs = 0;
		return false;
	}
	return ++w->errs >= INPUT_GONE_AFTER;
}

/* Read and handle one key (or mouse event, or resize) from the terminal:
 * APP_* flags, or -1 when the terminal has gone away. */
static int live_key(struct screen *s, struct app *app, struct input_watch *idle)
{
	/* While QEMU or migration destinations are asked, or the pool loads,
	 * wake up to follow them. */
	int wait = engine_verify_running(&app->start) || app->pool_load || view_migrate_busy(app)
	                   ? 100
	                   : -1,
	    r;
	double since = now_ms();
	wint_t ch;

	wtimeout(stdscr, wait);
	errno = 0;
	r = wget_wch(stdscr, &ch);
	/* a signal (a QEMU child ending) is no lost terminal */
	if (r == ERR && errno == EINTR)
		return 0;
	if (r == ERR)
		return input_gone_after(idle, since, wait) ? -1 : 0;
	idle->errs = 0;
	if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
		relayout(s, app);
		return 0;
	}
	if (r == KEY_CODE_YES && ch == KEY_MOUSE)
		return handle_mouse(app);
	if (app->pool_load && r == OK && (ch == 27 || ch == 3)) {
		app_pool_load_cancel(app);
		app_status(app, false, "cancelling the pool's loading...");
		return APP_REDRAW;
	}
	return handle_key(app, (int)ch, r == OK);
}

/* The host: a domain's connection's, else the probe or --host file (the
 * guest's opening says why a connection failed).  -1 with err set when
 * the --host file cannot be read. */
static int learn_host(const struct tui_opts *opts, const struct cs_arch *arch,
                      const struct engine_host_opts *ho, struct app_host *cpu, struct app_host *kvm,
                      char *conn_label, size_t size, struct cs_error *err)
{
	if (engine_is_domain_ref(opts->guest_file) &&
	    engine_conn_probe(opts->map, arch, opts->guest_file, cpu, kvm, conn_label, size, err) ==
	            0)
		return 0;
	if (!engine_is_domain_ref(opts->guest_file) && opts->connect_uri && !opts->host_file) {
		char *ref = cs_xasprintf("%s#", opts->connect_uri);
		int rc = engine_conn_probe(opts->map, arch, ref, cpu, kvm, conn_label, size, err);

		free(ref);
		return rc; /* no explorer on a connection that cannot be made */
	}
	cs_error_clear(err);
	return engine_probe(opts->map, arch, ho, cpu, kvm, err);
}

int tui_run(const struct tui_opts *opts)
{
	struct term_opts to = {opts->no_color, opts->no_mouse, opts->ascii};
	struct engine_host_opts ho = {opts->host_file, opts->host_source};
	struct app_host cpu = {0}, kvm = {0};
	struct app app;
	struct screen s = {0};
	struct script sc = {0};
	struct cs_pool pool;
	struct cs_error err = {0};
	bool scripted = opts->keys_file || opts->dump_file, gone = false;
	struct input_watch idle = {0};
	const struct cs_arch *arch;
	char conn_label[sizeof(app.host_brand)] = "";
	int ret = 0, r;

	arch = engine_arch(opts->map);
	if (!arch || !arch->nmodels) {
		fprintf(stderr, "cpuscope: error: the map has no CPU models\n");
		return 1;
	}
	engine_arch_derive_tree((struct cs_arch *)arch);
	if (learn_host(opts, arch, &ho, &cpu, &kvm, conn_label, sizeof(conn_label), &err) < 0) {
		/* a --host file or a connection that cannot be read: no
		 * explorer on no host */
		cs_error_print(&err, "cpuscope: error: ", stderr);
		engine_host_release(&cpu);
		engine_host_release(&kvm);
		return 2;
	}
	memset(&err, 0, sizeof(err));
	app_init(&app, opts->map, &cpu, &kvm);
	engine_start_setup_file(&app.start, opts->map, ho.file, &app.cpu);
	app.no_cache = opts->no_cache;
	engine_conn_start_setup(&app.start, opts->map);
	engine_conn_set_dests(opts->migrate_to, opts->nmigrate_to);
	label_map(&app);
	engine_pool_init_arch(&pool, opts->map, arch);
	if (opts->npool && !scripted) {
		/* read on a worker: the first frame comes at once */
		if (app_pool_load_begin(&app, opts->pool_files, opts->pool_labels, opts->npool) < 0)
			app_status(&app, true, "cannot read the pool in the background");
	} else if (opts->npool) {
		if (app_pool_load(&app, &pool, opts->pool_files, opts->pool_labels, opts->npool,
		                  &err) < 0) {
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
	engine_host_brand(opts->map, &ho, app.host_brand, sizeof(app.host_brand));
	if (conn_label[0])
		snprintf(app.host_brand, sizeof(app.host_brand), "%s", conn_label);
	app_first_screen(&app, opts->guest_file != NULL);
	if (opts->keys_file && script_open(&sc, opts->keys_file) < 0) {
		ret = 2;
		goto early;
	}
	if (scripted) {
		if (term_open_virtual(opts->rows > 0 ? opts->rows : 30,
		                      opts->cols > 0 ? opts->cols : 100, &to, NULL) < 0) {
			ret = 1;
			goto early;
		}
	} else if ((r = term_open(&to)) < 0) {
		ret = r == -2 ? 2 : 1;
		goto early;
	}
	app.utf8 = term_utf8();
	relayout(&s, &app);
	for (;;) {
		int flags = 0;
		char tok[512];

		/* a key script sees what the destinations answered */
		while (scripted && view_migrate_busy(&app))
			nanosleep(&(struct timespec){0, 20000000}, NULL);
		app_poll(&app);
		draw(&s, &app);
		if (scripted) {
			if (!sc.text || !script_next(&sc, tok, sizeof(tok)))
				break;
			flags = play(&s, &app, &sc, tok);
			if (flags < 0) {
				ret = 2;
				break;
			}
		} else {
			flags = live_key(&s, &app, &idle);
			if (flags < 0) {
				gone = true;
				break;
			}
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
	if (gone) {
		fprintf(stderr, "cpuscope: error: the terminal went away (no more input)\n");
		ret = 1;
	}
early:
	free(sc.text);
	app_release(&app);
	engine_pool_release(&pool);
	engine_conn_close();
	return ret;
}
