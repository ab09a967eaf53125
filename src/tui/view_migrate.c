/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_migrate.c: the open domain's migratable CPU on each destination, best first (T) */
#include "tui/view.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/migrate.h"
#include "cpuscope/xalloc.h"
#include "tui/app_int.h"
#include "tui/engine_conn.h"
#include "tui/keys.h"

/* The verdict of one destination in a few words. */
static void verdict_words(const struct app *app, const struct cs_migrate_dest *d, char *buf,
                          size_t size)
{
	char *sum;

	if (!d->reachable) {
		snprintf(buf, size, "unreachable: %s", d->err.msg);
		return;
	}
	if (!d->judged) {
		snprintf(buf, size, "cannot judge: %s", d->err.msg);
		return;
	}
	sum = cs_start_summary(&d->v, app->arch);
	snprintf(buf, size, "%s", sum ? sum : "");
	free(sum);
}

/* The columns a line of the view has. */
static size_t text_width(const struct app *app)
{
	int w = app->layout.pane[PANE_MIGRATE].w - 2;

	return w > 20 ? (size_t)w : 20;
}

/* One destination's lines. */
static void dest_lines(const struct app *app, struct app_lines *t, const struct cs_migrate_dest *d,
                       bool running, bool has_cpu)
{
	size_t width = text_width(app);
	char line[1200], words[1000];

	verdict_words(app, d, words, sizeof(words));
	snprintf(line, sizeof(line), "%s %s%s%s%s", d->can_take ? "+" : "-", d->uri,
	         d->hostname ? " (" : "", d->hostname ? d->hostname : "", d->hostname ? ")" : "");
	app_lines_text(t, line);
	snprintf(line, sizeof(line), "    cpuscope: %s", words);
	app_lines_wrapped(t, line, width);
	if (d->judged && d->v.outcome == CS_START_DROPS)
		app_lines_text(t, running ? "    the running guest has them: it cannot lose them"
		                          : "    the guest boots there without them");
	if (d->reachable && has_cpu) {
		if (d->cmp_ok)
			snprintf(line, sizeof(line), "    libvirt:  %s%s%s", cs_compat_name(d->cmp),
			         d->cmp_msg[0] ? ": " : "", d->cmp_msg);
		else
			snprintf(line, sizeof(line), "    libvirt:  no answer: %s", d->cmp_err.msg);
		app_lines_wrapped(t, line, width);
	}
	if (cs_migrate_disagrees(d))
		app_lines_text(t, "    (cpuscope and libvirt's compare disagree)");
	app_lines_text(t, d->can_take ? "    can take it" : "    cannot take it");
	app_lines_text(t, "");
}

/* The destinations are judged on a thread of their own: reaching a host
 * can take as long as libvirt's connection timeout, and the explorer
 * keeps answering keys meanwhile. */
struct migrate_job {
	pthread_t thread;
	const struct cs_map *map;
	struct cs_migrate_source ms;
	const char *const *uris;
	size_t n;
	struct cs_migrate_dest *d;
	atomic_size_t answered;
	atomic_bool done;
	bool rendered; /* its answers are on screen (and kept for a resize) */
};

static struct migrate_job *job_of(const struct app *app)
{
	return app->view_data[PANE_MIGRATE];
}

static void job_progress(void *ctx, size_t done, size_t n)
{
	struct migrate_job *j = ctx;

	(void)n;
	atomic_store(&j->answered, done);
}

static void *job_main(void *opaque)
{
	struct migrate_job *j = opaque;

	cs_migrate_check(&j->ms, j->map, j->uris, j->d, j->n, job_progress, j);
	atomic_store(&j->done, true);
	return NULL;
}

/* Wait for the job's thread and free it. */
static void job_free(struct app *app)
{
	struct migrate_job *j = job_of(app);

	if (!j)
		return;
	pthread_join(j->thread, NULL);
	for (size_t i = 0; i < j->n; i++)
		cs_migrate_dest_release(&j->d[i]);
	free(j->d);
	cs_migrate_source_release(&j->ms);
	free(j);
	app->view_data[PANE_MIGRATE] = NULL;
}

/* The view once every destination has answered. */
static void render(struct app *app, const struct migrate_job *j)
{
	struct app_lines t;
	size_t taken = 0;
	char line[800];

	app_lines_reset(&t, &app->text[PANE_MIGRATE]);
	for (size_t i = 0; i < j->n; i++)
		taken += j->d[i].can_take;
	snprintf(line, sizeof(line), "%s (%s): %zu of %zu destinations can take it; its CPU %s",
	         j->ms.dom.info.name, cs_dom_state_name(j->ms.dom.info.state), taken, j->n,
	         j->ms.dom.live ? "as it runs (the live one)"
	                        : "as libvirt has it (w saves edits)");
	app_lines_wrapped(&t, line, text_width(app));
	app_lines_text(&t, "");
	/* best first, in the order given within a rank */
	for (int rank = 0; rank <= 4; rank++)
		for (size_t i = 0; i < j->n; i++)
			if (cs_migrate_rank(&j->d[i]) == rank)
				dest_lines(app, &t, &j->d[i], j->ms.dom.info.active,
				           j->ms.guest != NULL);
	view_fit(app, PANE_MIGRATE);
}

/* One line in place of the view's text. */
static void say(struct app *app, const char *text)
{
	struct app_lines t;

	app_lines_reset(&t, &app->text[PANE_MIGRATE]);
	app_lines_wrapped(&t, text, text_width(app));
	view_fit(app, PANE_MIGRATE);
}

/* Start judging every destination (they are reached at once). */
static void build(struct app *app)
{
	struct migrate_job *j;
	struct cs_error err = {0};
	const char *hash = strrchr(engine_conn_ref(), '#');
	char line[800];

	if (job_of(app) && !atomic_load(&job_of(app)->done)) {
		app_status(app, false, "the destinations are still being asked");
		return;
	}
	job_free(app);
	if (!engine_conn_current() || !hash || !hash[1]) {
		say(app,
		    "Open a domain through libvirt (--connect URI --domain NAME, or o) first.");
		return;
	}
	j = cs_xcalloc(1, sizeof(*j));
	j->map = app->map;
	j->n = engine_conn_dests(&j->uris);
	if (!j->n) {
		free(j);
		say(app, "No destination: give --migrate-to URI (repeatable).");
		return;
	}
	if (cs_migrate_source_read(engine_conn_current(), app->map, hash + 1, &j->ms, &err) < 0) {
		free(j);
		snprintf(line, sizeof(line), "cannot read the domain: %s", err.msg);
		say(app, line);
		return;
	}
	j->d = cs_xcalloc(j->n, sizeof(*j->d));
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		cs_migrate_source_release(&j->ms);
		free(j->d);
		free(j);
		say(app, "cannot start a thread to ask the destinations");
		return;
	}
	app->view_data[PANE_MIGRATE] = j;
	snprintf(line, sizeof(line), "asking %zu destination%s about %s...", j->n,
	         j->n == 1 ? "" : "s", j->ms.dom.info.name);
	say(app, line);
}

bool view_migrate_busy(const struct app *app)
{
	return job_of(app) && !atomic_load(&job_of(app)->done);
}

bool view_migrate_poll(struct app *app)
{
	struct migrate_job *j = job_of(app);
	char line[200];

	if (!j || !j->d || j->rendered)
		return false;
	if (!atomic_load(&j->done)) {
		snprintf(line, sizeof(line), "migration: %zu of %zu destinations answered",
		         atomic_load(&j->answered), j->n);
		app_status(app, false, "%s", line);
		return true;
	}
	render(app, j);
	j->rendered = true;
	app_status(app, false, "migration: every destination answered");
	return true;
}

/* A new width: the answers are wrapped again. */
static void migrate_update(struct app *app, unsigned changed)
{
	struct migrate_job *j = job_of(app);

	if ((changed & VIEW_CHANGED_SIZE) && j && j->rendered)
		render(app, j);
}

static size_t migrate_rows(const struct app *app)
{
	return app->text[PANE_MIGRATE].n;
}

static int migrate_key(struct app *app, enum action a, bool focused)
{
	if (a == ACT_MIGRATE) {
		build(app);
		app->list[PANE_MIGRATE].cursor = 0;
		return app_show_view(app, PANE_MIGRATE);
	}
	return focused && view_move_action(app, PANE_MIGRATE, a) ? APP_REDRAW : 0;
}

static int migrate_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	(void)y;
	(void)x;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN)
		view_move(app, PANE_MIGRATE, ev == MOUSE_WHEEL_UP ? -3 : 3);
	return APP_REDRAW;
}

static void migrate_draw(WINDOW *w, const struct app *app, bool focused)
{
	view_title(w, " Migration: the domain's CPU on each destination", "T again  Esc closes ",
	           focused);
	view_draw_lines(w, &app->text[PANE_MIGRATE], app->list[PANE_MIGRATE].scroll);
}

const struct view_ops view_migrate_ops = {
        .name = "migrate",
        .ctx = KCTX_GLOBAL,
        .place = VIEW_PLACE_SLOT,
        .text = true,
        .chrome = 1,
        .rows = migrate_rows,
        .key = migrate_key,
        .mouse = migrate_mouse,
        .update = migrate_update,
        .draw = migrate_draw,
        .release = job_free,
};
