/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_prompt.c: the prompt line (search, filter, file names) and the yes/no question */
#include "tui/app_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tui/view.h"

void app_open_prompt(struct app *app, enum app_prompt p, const char *initial)
{
	app->mode = MODE_PROMPT;
	app->complete_tabs = 0;
	app->status[0] = '\0';
	app->prompt = p;
	snprintf(app->input, sizeof(app->input), "%s", initial ? initial : "");
	app->input_len = strlen(app->input);
}

/* The view a search moves in: the focused view when it is searchable, else
 * the slot's default view. */
enum app_pane app_search_view(const struct app *app)
{
	return view_of(app->focus)->row_name ? app->focus : APP_VIEW_DEFAULT;
}

int app_search_step(struct app *app, int dir, bool here)
{
	enum app_pane p = app_search_view(app);
	const struct view_ops *v = view_of(p);
	size_t n = v->rows(app), c = app->list[p].cursor;

	if (!app->search[0]) {
		app_status(app, true, "no search: press / first");
		return APP_REDRAW;
	}
	/* A name typed in full wins over names that merely contain it. */
	if (here) {
		for (size_t r = 0; r < n; r++) {
			if (!strcasecmp(v->row_name(app, r), app->search)) {
				c = r;
				break;
			}
		}
	}
	for (size_t i = here ? 0 : 1; i <= n && n; i++) {
		size_t r = dir > 0 ? (c + i) % n : (c + n - i % n) % n;
		if (app_contains_nocase(v->row_name(app, r), app->search)) {
			if (app->focus != p)
				app_show_view(app, p);
			view_set_cursor(app, p, r);
			return APP_REDRAW;
		}
	}
	/* A model of another vendor than the one shown: show them all. */
	if (p == PANE_TREE && app->vendor_filter >= 0) {
		app->vendor_filter = -1;
		view_tree_build(app);
		app->status[0] = '\0';
		app->status_error = false;
		app_search_step(app, dir, here);
		if (!app->status_error)
			app_status(app, false, "models of all vendors (the match is of another)");
		return APP_REDRAW;
	}
	app_status(app, true, "not found: %s", app->search);
	return APP_REDRAW;
}

static int accept_prompt(struct app *app)
{
	char *text = app->input, msg[400];
	struct cs_error err = {0};

	app->mode = MODE_NORMAL;
	switch (app->prompt) {
	case PROMPT_SEARCH:
		snprintf(app->search, sizeof(app->search), "%s", text);
		app->list[app_search_view(app)].cursor = app->search_origin;
		return app_search_step(app, 1, true);
	case PROMPT_FILTER:
		snprintf(app->filter, sizeof(app->filter), "%s", text);
		app->view = APP_VIEW_DEFAULT;
		app_changed(app, VIEW_CHANGED_LIST);
		app_status(app, false, app->filter[0] ? "filter: %s" : "filter off%s", app->filter);
		return APP_REDRAW;
	case PROMPT_OPEN:
		if (!text[0])
			return APP_REDRAW;
		if (engine_check_plain_file(text, false, &err) < 0) {
			/* a pipe or a device could block the screen */
			cs_error_format(&err, msg, sizeof(msg));
			app_status(app, true, "cannot open %s", msg);
			return APP_REDRAW;
		}
		if (app->dirty) {
			snprintf(app->open_pending, sizeof(app->open_pending), "%s", text);
			app->mode = MODE_CONFIRM;
			app->confirm = CONFIRM_OPEN;
			return APP_REDRAW;
		}
		app_open(app, text);
		return APP_REDRAW | APP_RECOMPUTE;
	case PROMPT_SAVE_AS:
		if (!text[0])
			return APP_REDRAW;
		return app_save_as(app, text);
	case PROMPT_POOL_REMOVE:
		if (text[0])
			app_pool_remove(app, text);
		return APP_REDRAW | APP_RELAYOUT | APP_RECOMPUTE;
	case PROMPT_POOL:
		if (!text[0])
			return APP_REDRAW;
		if (app_add_pool_file(app, text) >= 0)
			app->view = app->focus = PANE_POOL;
		return APP_REDRAW | APP_RELAYOUT | APP_RECOMPUTE;
	}
	return APP_REDRAW;
}

/* Drop the last whole UTF-8 character of the input, or add ch. */
static int edit_input(struct app *app, wint_t ch)
{
	if (ch == 127 || ch == '\b') {
		while (app->input_len > 0) {
			unsigned char c = (unsigned char)app->input[--app->input_len];
			if ((c & 0xc0) != 0x80)
				break;
		}
		app->input[app->input_len] = '\0';
	} else if (ch == KEYS_CTRL('u')) {
		app->input_len = 0;
		app->input[0] = '\0';
	} else if (ch >= 32) {
		char mb[8];
		mbstate_t st;
		memset(&st, 0, sizeof(st));
		size_t n = wcrtomb(mb, (wchar_t)ch, &st);
		if (n == (size_t)-1 || app->input_len + n >= sizeof(app->input))
			return -1;
		memcpy(app->input + app->input_len, mb, n);
		app->input_len += n;
		app->input[app->input_len] = '\0';
	}
	return 0;
}

int app_input(struct app *app, wint_t ch)
{
	if (app->mode != MODE_PROMPT)
		return 0;
	if (ch == '\n' || ch == '\r')
		return accept_prompt(app);
	if (ch == 27) {
		app->mode = MODE_NORMAL;
		app->quit = false;
		if (app->prompt == PROMPT_SEARCH) {
			enum app_pane p = app_search_view(app);
			app->list[p].cursor = app->search_origin;
			view_fit(app, p);
		}
		return APP_REDRAW;
	}
	if (ch == '\t' && app_prompt_is_file(app->prompt))
		return app_complete(app);
	app->complete_tabs = 0;
	app->status[0] = '\0';
	if (edit_input(app, ch) < 0)
		return APP_REDRAW;
	if (app->prompt == PROMPT_SEARCH && app->input_len) {
		/* Incremental: jump as the user types, from where the search began. */
		enum app_pane p = app_search_view(app);
		snprintf(app->search, sizeof(app->search), "%s", app->input);
		app->list[p].cursor = app->search_origin;
		app_search_step(app, 1, true);
		app->status[0] = '\0';
	}
	return APP_REDRAW;
}

int app_answer(struct app *app, bool yes)
{
	app->mode = MODE_NORMAL;
	if (app->confirm == CONFIRM_REPLACE) {
		if (yes && app_save(app, app->save_pending) == 0 && app->quit)
			return APP_QUIT;
		if (!yes)
			app_status(app, false, "not saved: %s is left as it was",
			           app->save_pending);
		app->quit = false;
		return APP_REDRAW;
	}
	if (app->confirm == CONFIRM_QUIT) {
		if (!yes)
			return APP_QUIT;
		if (!app->path || app->path_is_host) {
			char name[256];
			app->quit = true;
			app_guest_file_name(app, name, sizeof(name));
			app_open_prompt(app, PROMPT_SAVE_AS, name);
			return APP_REDRAW;
		}
		return app_save(app, NULL) == 0 ? APP_QUIT : APP_REDRAW;
	}
	/* CONFIRM_OPEN */
	if (yes && app_save(app, NULL) < 0)
		return APP_REDRAW;
	app_open(app, app->open_pending);
	return APP_REDRAW | APP_RECOMPUTE;
}
