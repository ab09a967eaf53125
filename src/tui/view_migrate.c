/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_migrate.c: the open domain's migratable CPU on each destination, best first (T) */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/migrate.h"
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

/* Judge every destination now (they are reached at once). */
static void build(struct app *app)
{
	const char *const *uris;
	size_t n = engine_conn_dests(&uris), taken = 0;
	struct cs_migrate_source ms = {0};
	struct cs_migrate_dest *d = NULL;
	struct cs_error err = {0};
	const char *hash = strrchr(engine_conn_ref(), '#');
	struct app_lines t;
	char line[800];

	app_lines_reset(&t, &app->text[PANE_MIGRATE]);
	if (!engine_conn_current() || !hash) {
		app_lines_text(
		        &t, "Open a domain through libvirt (--connect URI --domain NAME) first.");
		goto out;
	}
	if (!n) {
		app_lines_text(&t, "No destination: give --migrate-to URI (repeatable).");
		goto out;
	}
	if (cs_migrate_source_read(engine_conn_current(), app->map, hash + 1, &ms, &err) < 0) {
		snprintf(line, sizeof(line), "cannot read the domain: %s", err.msg);
		app_lines_text(&t, line);
		goto out;
	}
	d = calloc(n, sizeof(*d));
	if (!d)
		goto out;
	cs_migrate_check(&ms, app->map, uris, d, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		taken += d[i].can_take;
	snprintf(line, sizeof(line), "%s (%s): %zu of %zu destinations can take it; its CPU %s",
	         ms.dom.info.name, cs_dom_state_name(ms.dom.info.state), taken, n,
	         ms.dom.live ? "as it runs (the live one)" : "as libvirt has it (w saves edits)");
	app_lines_wrapped(&t, line, text_width(app));
	app_lines_text(&t, "");
	/* best first, in the order given within a rank */
	for (int rank = 0; rank <= 4; rank++)
		for (size_t i = 0; i < n; i++)
			if (cs_migrate_rank(&d[i]) == rank)
				dest_lines(app, &t, &d[i], ms.dom.info.active, ms.guest != NULL);
out:
	for (size_t i = 0; d && i < n; i++)
		cs_migrate_dest_release(&d[i]);
	free(d);
	cs_migrate_source_release(&ms);
	view_fit(app, PANE_MIGRATE);
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
        .draw = migrate_draw,
};
