/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_domains.c: the connection's domains and their state, to pick one to open (o) */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/conn.h"
#include "tui/app_int.h"
#include "tui/engine_conn.h"
#include "tui/keys.h"

/* The list as libvirt gave it when the view was shown. */
struct domains {
	struct cs_conn_domain *d;
	size_t n;
	char why[600]; /* why there is no list */
};

static struct domains *data(const struct app *app)
{
	return app->view_data[PANE_DOMAINS];
}

static void domains_release(struct app *app)
{
	struct domains *l = data(app);

	if (l)
		cs_conn_domains_free(l->d, l->n);
	free(l);
	app->view_data[PANE_DOMAINS] = NULL;
}

/* The name of the domain open now, or "". */
static const char *open_name(void)
{
	const char *hash = strrchr(engine_conn_ref(), '#');

	return hash ? hash + 1 : "";
}

static size_t domains_rows(const struct app *app)
{
	const struct domains *l = data(app);

	return l ? l->n : 0;
}

static const char *domains_row_name(const struct app *app, size_t row)
{
	const struct domains *l = data(app);

	return l && row < l->n ? l->d[row].name : NULL;
}

int view_domains_show(struct app *app)
{
	struct cs_conn *c = engine_conn_current();
	struct cs_error err = {0};
	struct domains *l;

	if (!c)
		return 0;
	domains_release(app);
	l = calloc(1, sizeof(*l));
	if (!l)
		return 0;
	app->view_data[PANE_DOMAINS] = l;
	if (cs_conn_list_domains(c, &l->d, &l->n, &err) < 0)
		snprintf(l->why, sizeof(l->why), "%s", err.msg);
	else if (!l->n)
		snprintf(l->why, sizeof(l->why), "%s has no domains", cs_conn_uri(c));
	/* the cursor on the open domain */
	app->list[PANE_DOMAINS].cursor = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->d[i].name, open_name()))
			app->list[PANE_DOMAINS].cursor = i;
	view_fit(app, PANE_DOMAINS);
	return app_show_view(app, PANE_DOMAINS);
}

/* Enter: open the domain under the cursor as --domain does (asking first
 * when the guest has unsaved changes). */
static int open_selected(struct app *app)
{
	const struct domains *l = data(app);
	size_t row = app->list[PANE_DOMAINS].cursor;
	struct cs_conn *c = engine_conn_current();
	char ref[sizeof(app->open_pending)];

	if (!l || row >= l->n || !c)
		return APP_REDRAW;
	if ((size_t)snprintf(ref, sizeof(ref), "%s#%s", cs_conn_uri(c), l->d[row].name) >=
	    sizeof(ref)) {
		app_status(app, true, "the domain's name is too long to open");
		return APP_REDRAW;
	}
	app->view = APP_VIEW_DEFAULT;
	app->focus = APP_VIEW_DEFAULT;
	if (app->dirty) {
		snprintf(app->open_pending, sizeof(app->open_pending), "%s", ref);
		app->mode = MODE_CONFIRM;
		app->confirm = CONFIRM_OPEN;
		return APP_REDRAW;
	}
	app_open(app, ref);
	return APP_REDRAW | APP_RECOMPUTE;
}

static int domains_key(struct app *app, enum action a, bool focused)
{
	if (!focused)
		return 0;
	if (a == ACT_PICK)
		return open_selected(app);
	if (a == ACT_OPEN) {
		/* o again: a file instead */
		app->view = APP_VIEW_DEFAULT;
		app->focus = APP_VIEW_DEFAULT;
		app_open_prompt(app, PROMPT_OPEN, NULL);
		return APP_REDRAW;
	}
	return view_move_action(app, PANE_DOMAINS, a) ? APP_REDRAW : 0;
}

static int domains_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	bool hit = false;
	int r;

	(void)x;
	r = view_mouse_list(app, PANE_DOMAINS, ev, y, 2, &hit);
	if (hit && ev == MOUSE_DOUBLE)
		return open_selected(app);
	return r;
}

static void domains_draw(WINDOW *w, const struct app *app, bool focused)
{
	const struct domains *l = data(app);
	const struct app_list *list = &app->list[PANE_DOMAINS];
	struct cs_conn *c = engine_conn_current();
	int rows = getmaxy(w), cols = getmaxx(w);
	char title[300], line[400], name[200];
	int nw = 8;

	snprintf(title, sizeof(title), " Domains on %s", c ? cs_conn_uri(c) : "(no connection)");
	view_title(w, title, "Enter opens  o a file  Esc closes ", focused);
	if (!l || !l->n) {
		view_put(w, 2, 1, l ? l->why : "", cols - 1, A_NORMAL);
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		int wd = view_width(l->d[i].name);
		if (wd > nw)
			nw = wd < 40 ? wd : 40;
	}
	view_cut(name, sizeof(name), "name", nw);
	snprintf(line, sizeof(line), " %s  %-11s %s", name, "state", "definition");
	view_put(w, 1, 0, line, cols, term_attr(TC_DIM));
	for (int y = 2; y < rows; y++) {
		size_t i = list->scroll + (size_t)(y - 2);
		const struct cs_conn_domain *d;
		attr_t a = A_NORMAL;

		if (i >= l->n)
			break;
		d = &l->d[i];
		view_cut(name, sizeof(name), d->name, nw);
		snprintf(line, sizeof(line), " %s  %-11s %s%s", name, cs_dom_state_name(d->state),
		         d->persistent ? "persistent" : "transient (cannot be opened)",
		         strcmp(open_name(), d->name) ? "" : "  (open)");
		if (i == list->cursor)
			a = term_attr(focused ? TC_CURSOR : TC_CURSOR_IDLE);
		else if (d->state == CS_DOM_RUNNING)
			a = term_attr(TC_GOOD);
		view_fill(w, y, 0, a);
		view_put(w, y, 0, line, cols, a);
	}
}

const struct view_ops view_domains_ops = {
        .name = "domains",
        .ctx = KCTX_GLOBAL,
        .place = VIEW_PLACE_SLOT,
        .chrome = 2,
        .rows = domains_rows,
        .row_name = domains_row_name,
        .key = domains_key,
        .mouse = domains_mouse,
        .draw = domains_draw,
        .release = domains_release,
};
