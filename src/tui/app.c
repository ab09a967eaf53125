/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app.c: the explorer's shared state: life cycle, recompute, undo, files, dispatch */
#include "tui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpuscope/fileid.h"
#include "cpuscope/pool.h"
#include "cpuscope/xalloc.h"
#include "tui/app_int.h"
#include "tui/engine_conn.h"
#include "tui/keys.h"
#include "tui/view.h"

static int app_verify(struct app *app);

void app_status(struct app *app, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->status, sizeof(app->status), fmt, ap);
	va_end(ap);
	app->status_error = error;
}

const struct app_host *app_ref_host(const struct app *app)
{
	return app->kvm.present ? &app->kvm : &app->cpu;
}

/* ---- life cycle ------------------------------------------------------------- */

static void make_map_label(struct app *app)
{
	const char *p = app->map->path ? app->map->path : "?";
	const char *ver = strstr(p, "libvirt-");

	if (ver && ver[8] >= '0' && ver[8] <= '9') {
		size_t n = strspn(ver + 8, "0123456789.");
		if (n && ver[8 + n - 1] == '.')
			n--;
		snprintf(app->map_label, sizeof(app->map_label), "%s (libvirt %.*s)", p, (int)n,
		         ver + 8);
	} else {
		snprintf(app->map_label, sizeof(app->map_label), "%s", p);
	}
}

void app_init(struct app *app, const struct cs_map *map, const struct app_host *cpu,
              const struct app_host *kvm)
{
	size_t nm, nf;

	memset(app, 0, sizeof(*app));
	app->map = map;
	app->arch = engine_arch(map);
	nm = app->arch->nmodels;
	nf = app->arch->nfeatures;
	app->cpu = *cpu;
	app->kvm = *kvm;
	engine_start_setup(&app->start, map, cpu, kvm);
	app->collapsed = cs_xcalloc(nm + 1, sizeof(*app->collapsed));
	app->badge = cs_xcalloc(nm + 1, sizeof(*app->badge));
	app->badge_missing = cs_xcalloc(nm + 1, sizeof(*app->badge_missing));
	app->trows = cs_xcalloc(nm + 1, sizeof(*app->trows));
	app->frows = cs_xcalloc(nf + 1, sizeof(*app->frows));
	app->undo = cs_xcalloc(APP_UNDO_MAX, sizeof(*app->undo));
	app->redo = cs_xcalloc(APP_UNDO_MAX, sizeof(*app->redo));
	app->vendor_filter = -1;
	app->mark[0] = app->mark[1] = -1;
	app->diff_a = app->diff_b = -1;
	app->focus = PANE_TREE;
	app->view = APP_VIEW_DEFAULT;
	app->fix_model = -1;
	make_map_label(app);
	engine_mitigations(app->arch, &app->mitigations);
	app->guest = engine_guest_new(map, app->arch);
	app->scratch = engine_guest_new(map, app->arch);
	app->saved = engine_guest_copy(app->guest);
	app_compute_badges(app);
	view_tree_build(app);
	app->tree_need = view_tree_need(app);
	app_resize(app, 24, 80);
	app_recompute(app);
}

static void history_clear(struct app *app);

void app_release(struct app *app)
{
	if (!app)
		return;
	for (int p = 0; p < PANE_COUNT; p++) {
		if (view_of((enum app_pane)p)->release)
			view_of((enum app_pane)p)->release(app);
		app_text_clear(&app->text[p]);
	}
	history_clear(app);
	free(app->collapsed);
	free(app->badge);
	free(app->badge_missing);
	free(app->trows);
	free(app->frows);
	free(app->undo);
	free(app->redo);
	free(app->path);
	engine_guest_free(app->guest);
	engine_guest_free(app->saved);
	engine_guest_free(app->scratch);
	engine_start_release(&app->start);
	engine_host_release(&app->cpu);
	engine_host_release(&app->kvm);
	free(app->clip);
	app_pool_load_drop(app);
	app_pool_release(app);
	engine_pool_release(&app->pool_store);
	free(app->pool_ids);
	free(app->pool_ids_hosts);
	free(app->pool_src);
	memset(app, 0, sizeof(*app));
}

/* ---- recompute ---------------------------------------------------------------- */

/* Everything that follows from the guest, from the definition alone: the
 * effective features and level, the mitigations it lacks, the verdicts,
 * the fix, and then each view's rows. */
void app_recompute(struct app *app)
{
	const struct app_host *ref = app_ref_host(app);

	engine_effective(app->arch, ref, app->guest, &app->effective, &app->level,
	                 &app->level_next);
	if (engine_guest_is_incomplete(app->guest))
		app->level = 0;
	cs_fset_zero(&app->mitig_off);
	if (ref->present && !engine_guest_is_incomplete(app->guest)) {
		cs_fset_intersect(&app->mitig_off, &app->mitigations, &ref->features);
		cs_fset_diff(&app->mitig_off, &app->mitig_off, &app->effective);
	}
	engine_judge(&app->cpu, &app->kvm, app->pool, app->guest, app->pool_res, &app->v_cpu,
	             &app->v_kvm, &app->v_pool);
	engine_start_judge(&app->start, engine_guest_is_incomplete(app->guest) ? NULL : app->guest,
	                   app->vcpus);
	app->dirty = !engine_guest_equal(app->guest, app->saved);
	app_compute_fix(app);
	app_changed(app, VIEW_CHANGED_GUEST);
}

void app_changed(struct app *app, unsigned what)
{
	for (int p = 0; p < PANE_COUNT; p++)
		if (view_of((enum app_pane)p)->update)
			view_of((enum app_pane)p)->update(app, what);
}

bool app_view_visible(const struct app *app, enum app_pane p)
{
	switch (view_of(p)->place) {
	case VIEW_PLACE_LEFT:
	case VIEW_PLACE_TOP:
		return true;
	case VIEW_PLACE_SLOT:
		return app->view == p;
	case VIEW_PLACE_SIDE:
		return app->view == p || app->layout.wide;
	case VIEW_PLACE_OVERLAY:
		return app->mode == MODE_HELP;
	}
	return false;
}

void app_prepare(struct app *app)
{
	for (int p = 0; p < PANE_COUNT; p++)
		if (view_of((enum app_pane)p)->prepare && app_view_visible(app, (enum app_pane)p))
			view_of((enum app_pane)p)->prepare(app);
}

int app_show_view(struct app *app, enum app_pane v)
{
	if (view_of(v)->place == VIEW_PLACE_SIDE && app->layout.wide) {
		app->focus = v;
		return APP_REDRAW;
	}
	app->view = v;
	app->focus = v;
	return APP_REDRAW;
}

/* ---- editing and undo --------------------------------------------------------- */

/* Free every snapshot of the history. */
static void redo_clear(struct app *app)
{
	while (app->nredo)
		engine_guest_free(app->redo[--app->nredo]);
}

static void history_clear(struct app *app)
{
	redo_clear(app);
	while (app->nundo)
		engine_guest_free(app->undo[(app->undo_first + --app->nundo) % APP_UNDO_MAX]);
	app->undo_first = 0;
}

struct cs_cpudef *app_edit_begin(const struct app *app)
{
	return engine_guest_copy(app->guest);
}

int app_edit_commit(struct app *app, struct cs_cpudef *before)
{
	if (engine_guest_equal(before, app->guest)) {
		engine_guest_free(before);
		return APP_REDRAW;
	}
	/* A full history forgets its oldest step: the ring's start moves on. */
	if (app->nundo == APP_UNDO_MAX) {
		engine_guest_free(app->undo[app->undo_first]);
		app->undo_first = (app->undo_first + 1) % APP_UNDO_MAX;
		app->nundo--;
	}
	app->undo[(app->undo_first + app->nundo++) % APP_UNDO_MAX] = before;
	redo_clear(app);
	app_recompute(app);
	return APP_REDRAW | APP_RECOMPUTE;
}

static int undo(struct app *app)
{
	if (!app->nundo) {
		app_status(app, false, "nothing to undo");
		return APP_REDRAW;
	}
	char what[200];

	app->redo[app->nredo++] = app->guest;
	app->guest = app->undo[(app->undo_first + --app->nundo) % APP_UNDO_MAX];
	/* What the step undone had done: from the guest now to the one left. */
	app_describe_change(app, app->guest, app->redo[app->nredo - 1], what, sizeof(what));
	app_recompute(app);
	app_status(app, false, "undone: %s (%zu more)", what, app->nundo);
	return APP_REDRAW | APP_RECOMPUTE;
}

static int redo(struct app *app)
{
	if (!app->nredo) {
		app_status(app, false, "nothing to redo");
		return APP_REDRAW;
	}
	char what[200];

	app->undo[(app->undo_first + app->nundo++) % APP_UNDO_MAX] = app->guest;
	app->guest = app->redo[--app->nredo];
	app_describe_change(app, app->undo[(app->undo_first + app->nundo - 1) % APP_UNDO_MAX],
	                    app->guest, what, sizeof(what));
	app_recompute(app);
	app_status(app, false, "redone: %s (%zu more)", what, app->nredo);
	return APP_REDRAW | APP_RECOMPUTE;
}

/* ---- files ------------------------------------------------------------------ */

int app_open(struct app *app, const char *path)
{
	struct cs_error err = {0};
	struct cs_cpudef *def = NULL;
	bool is_domain = false;
	unsigned vcpus = 0;
	char msg[320];

	app_conn_host(app, path);
	if ((!engine_is_domain_ref(path) && engine_check_plain_file(path, true, &err) < 0) ||
	    engine_load_guest(app->map, path, &def, &is_domain, &vcpus, &err) < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "cannot open %s: %s", path, msg);
		return -1;
	}
	history_clear(app);
	engine_guest_free(app->guest);
	engine_guest_free(app->saved);
	app->guest = def;
	app->saved = engine_guest_copy(def);
	app->is_domain = is_domain;
	app->path_is_host = engine_guest_from_host_file(def);
	app->vcpus = vcpus;
	free(app->path);
	app->path = cs_xstrdup(path);
	view_tree_show_model(app, def->model);
	app_recompute(app);
	app_status(app, false, "opened %s%s%s", path,
	           is_domain           ? " (domain: saving replaces its <cpu>)"
	           : app->path_is_host ? " (a host's file: s saves the guest as a new file)"
	                               : "",
	           engine_is_domain_ref(path) ? engine_conn_note() : "");
	return 0;
}

void app_guest_file_name(const struct app *app, char *buf, size_t size)
{
	const char *p = app->path ? app->path : "guest-cpu.xml";
	const char *dot = strrchr(p, '.'), *slash = strrchr(p, '/');
	int stem = dot && (!slash || dot > slash) ? (int)(dot - p) : (int)strlen(p);

	if (!app->path || !app->path_is_host)
		snprintf(buf, size, "%s", p);
	else
		snprintf(buf, size, "%.*s-guest.xml", stem, p);
}

int app_save_as(struct app *app, const char *path)
{
	struct stat st;

	bool own = app->path && cs_same_file(path, app->path);

	/* The host's file itself: app_save refuses it, with the reason. */
	if (stat(path, &st) == 0 && !own) {
		snprintf(app->save_pending, sizeof(app->save_pending), "%s", path);
		app->mode = MODE_CONFIRM;
		app->confirm = CONFIRM_REPLACE;
		return APP_REDRAW;
	}
	if (app_save(app, path) == 0 && app->quit)
		return APP_QUIT;
	app->quit = false;
	return APP_REDRAW;
}

int app_save(struct app *app, const char *path)
{
	struct cs_error err = {0};
	char msg[320];
	bool is_domain = app->is_domain;

	if (!path)
		path = app->path;
	if (!path) {
		app_status(app, true, "no file name");
		return -1;
	}
	/* The same file is the same device and inode, however it is spelt. */
	bool same = app->path && (!strcmp(path, app->path) || cs_same_file(path, app->path));
	if (same && app->path_is_host) {
		app_status(app, true,
		           "%s is a host's file, not a guest's: w saves the guest as a new file",
		           path);
		return -1;
	}
	if (!same)
		is_domain = false; /* "save as" writes a bare <cpu> */
	if (engine_save_guest(app->guest, path, is_domain, &err) < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "cannot save %s: %s", path, msg);
		return -1;
	}
	if (!same) {
		free(app->path);
		app->path = cs_xstrdup(path);
		app->is_domain = is_domain;
		app->path_is_host = false;
	}
	engine_guest_free(app->saved);
	app->saved = engine_guest_copy(app->guest);
	app->dirty = false;
	app_status(app, false, "saved %s%s", path,
	           engine_is_domain_ref(path)
	                   ? " (defined through libvirt; a running domain gets it "
	                     "at its next start)"
	                   : "");
	return 0;
}

/* ---- focus ------------------------------------------------------------------- */

/* The views Tab visits, in order: the left and top views, the slot's view,
 * then a view with a column of its own. */
static size_t focus_ring(const struct app *app, enum app_pane ring[PANE_COUNT])
{
	static const enum view_place order[] = {VIEW_PLACE_LEFT, VIEW_PLACE_TOP};
	size_t k = 0;

	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (int p = 0; p < PANE_COUNT; p++)
			if (view_of((enum app_pane)p)->place == order[o])
				ring[k++] = (enum app_pane)p;
	ring[k++] = app->view;
	for (int p = 0; p < PANE_COUNT && app->layout.wide; p++)
		if (view_of((enum app_pane)p)->place == VIEW_PLACE_SIDE && p != (int)app->view)
			ring[k++] = (enum app_pane)p;
	return k;
}

static int cycle_focus(struct app *app, int dir)
{
	enum app_pane ring[PANE_COUNT];
	size_t n = focus_ring(app, ring), i;

	for (i = 0; i < n; i++)
		if (ring[i] == app->focus)
			break;
	app->focus = ring[(i + n + (dir < 0 ? n - 1 : 1)) % n];
	return APP_REDRAW;
}

/* ---- the global handler -------------------------------------------------------- */

static int quit(struct app *app)
{
	if (app->mode == MODE_CONFIRM || !app->dirty)
		return APP_QUIT;
	app->mode = MODE_CONFIRM;
	app->confirm = CONFIRM_QUIT;
	return APP_REDRAW;
}

/* Esc: close the question or prompt; else back to the slot's default view. */
static int escape(struct app *app)
{
	if (app->mode != MODE_NORMAL) {
		app->mode = MODE_NORMAL;
		app->quit = false;
		return APP_REDRAW;
	}
	if (app->view != APP_VIEW_DEFAULT) {
		bool focused = app->focus == app->view;
		app->view = APP_VIEW_DEFAULT;
		if (focused)
			app->focus = APP_VIEW_DEFAULT;
	} else if (view_of(app->focus)->place == VIEW_PLACE_SIDE) {
		app->focus = APP_VIEW_DEFAULT;
	}
	app->status[0] = '\0';
	return APP_REDRAW;
}

static int save(struct app *app)
{
	if (!app->path || app->path_is_host) {
		char name[256];
		app_guest_file_name(app, name, sizeof(name));
		app_open_prompt(app, PROMPT_SAVE_AS, name);
		return APP_REDRAW;
	}
	app_save(app, NULL);
	return APP_REDRAW;
}

/* The actions that belong to no view: the modes, the focus, the history,
 * files, prompts, and the edits the verdict bar suggests. */
static int global_key(struct app *app, enum action a)
{
	switch (a) {
	case ACT_QUIT:
		return quit(app);
	case ACT_ESCAPE:
		return escape(app);
	case ACT_REDRAW:
		return APP_REDRAW | APP_RELAYOUT;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE:
		return cycle_focus(app, a == ACT_NEXT_PANE ? 1 : -1);
	case ACT_SEARCH:
		app_open_prompt(app, PROMPT_SEARCH, NULL);
		app->search_origin = app->list[app_search_view(app)].cursor;
		return APP_REDRAW;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		return app_search_step(app, a == ACT_SEARCH_NEXT ? 1 : -1, false);
	case ACT_POOL_ADD:
		app_open_prompt(app, PROMPT_POOL, NULL);
		return APP_REDRAW;
	case ACT_BASELINE:
		return app_use_baseline(app);
	case ACT_MITIGATE:
		return app_mitigate(app);
	case ACT_FIX:
		return app_apply_fix(app);
	case ACT_VERIFY:
		return app_verify(app);
	case ACT_FALLBACK:
		return app_use_fallback(app);
	case ACT_UNDO:
		return undo(app);
	case ACT_REDO:
		return redo(app);
	case ACT_SAVE:
		return save(app);
	case ACT_SAVE_AS: {
		char name[256];
		app_guest_file_name(app, name, sizeof(name));
		app_open_prompt(app, PROMPT_SAVE_AS, name);
		return APP_REDRAW;
	}
	case ACT_OPEN:
		if (view_domains_show(app))
			return APP_REDRAW;
		app_open_prompt(app, PROMPT_OPEN, NULL);
		return APP_REDRAW;
	case ACT_YES:
	case ACT_NO:
		return app->mode == MODE_CONFIRM ? app_answer(app, a == ACT_YES) : 0;
	default:
		return 0;
	}
}

/* ---- dispatch ------------------------------------------------------------------- */

/* The view placed over the others (the help). */
static enum app_pane overlay_view(void)
{
	int p = 0;

	while (p < PANE_COUNT - 1 && view_of((enum app_pane)p)->place != VIEW_PLACE_OVERLAY)
		p++;
	return (enum app_pane)p;
}

/* The view keys go to first: the overlay while it is open, else the
 * focused view. */
static enum app_pane active_view(const struct app *app)
{
	return app->mode == MODE_HELP ? overlay_view() : app->focus;
}

int app_apply(struct app *app, enum action a)
{
	enum app_pane active = active_view(app);
	int r;

	if ((app->mode == MODE_PROMPT && a != ACT_ESCAPE) || a == ACT_NONE || a >= ACT_COUNT)
		return 0;
	/* The active view first, then the global handler, then the other views
	 * for the actions they own wherever the focus is. */
	if (view_of(active)->key && (r = view_of(active)->key(app, a, true)))
		return r;
	if ((r = global_key(app, a)))
		return r;
	for (int p = 0; p < PANE_COUNT; p++) {
		const struct view_ops *v = view_of((enum app_pane)p);
		if (p != (int)active && v->key && (r = v->key(app, a, false)))
			return r;
	}
	return 0;
}

static bool inside(const struct app_rect *r, int y, int x)
{
	return r->visible && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

/* The visible view under (y, x), or PANE_COUNT. */
static enum app_pane view_at(const struct app *app, int y, int x)
{
	for (int p = 0; p < PANE_COUNT; p++)
		if (view_of((enum app_pane)p)->place != VIEW_PLACE_OVERLAY &&
		    app_view_visible(app, (enum app_pane)p) && inside(&app->layout.pane[p], y, x))
			return (enum app_pane)p;
	return PANE_COUNT;
}

int app_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	const struct app_layout *l = &app->layout;
	enum app_pane p;
	enum action a;

	if (l->too_small)
		return 0;
	if (app->mode == MODE_HELP) {
		p = overlay_view();
		return view_of(p)->mouse(app, ev, y - l->pane[p].y, x - l->pane[p].x);
	}
	if (app->mode != MODE_NORMAL)
		return 0;
	if (inside(&l->keybar, y, x)) {
		if (ev == MOUSE_CLICK && app_keybar_hit(app, x, &a))
			return app_apply(app, a);
		return 0;
	}
	if (inside(&l->verdict, y, x)) {
		/* The fix line: a click applies the fix. */
		if (ev == MOUSE_CLICK && y == l->verdict.y + app_fix_row(app) && app->fix_text[0])
			return app_apply(app, ACT_FIX);
		return 0;
	}
	p = view_at(app, y, x);
	if (p == PANE_COUNT)
		return 0;
	app->focus = p;
	if (!view_of(p)->mouse)
		return APP_REDRAW;
	return view_of(p)->mouse(app, ev, y - l->pane[p].y, x - l->pane[p].x);
}

enum keys_ctx app_key_context(const struct app *app)
{
	if (app->mode == MODE_CONFIRM)
		return KCTX_CONFIRM;
	return view_of(active_view(app))->ctx;
}

int app_fix_row(const struct app *app)
{
	return app->pool ? 3 : 2;
}

/* Ask QEMU itself about the guest's -cpu, off the input loop. */
static int app_verify(struct app *app)
{
	switch (engine_verify_begin(&app->start, app->no_cache)) {
	case 1:
		app_status(app, false, "asking QEMU (started paused with -cpu %s)...",
		           app->start.v.cpu_arg);
		break;
	case 0:
		app_status(app, false, "nothing for QEMU to say: %s",
		           app->start.v.cpu_arg ? "libvirt refuses the guest before QEMU starts"
		                                : "the guest has no -cpu");
		break;
	default:
		app_status(app, false, "QEMU is being asked already");
		break;
	}
	return APP_REDRAW;
}

bool app_poll(struct app *app)
{
	struct cs_error err = {0};
	char text[400];

	if (app_pool_load_poll(app) | view_migrate_poll(app))
		return true;
	if (!engine_verify_poll(&app->start, app->guest, app->vcpus, &err))
		return false;
	if (err.code != CS_ERR_NONE) {
		app_status(app, true, "cannot ask QEMU: %s", err.msg);
	} else if (app->start.have_q) {
		engine_start_text(&app->start, app->arch, true, text, sizeof(text));
		app_status(app, false, "QEMU says: %s", text);
	} else {
		app_status(app, false, "QEMU answered about a guest since changed; Q asks again");
	}
	return true;
}

int app_keybar_hit(const struct app *app, int x, enum action *out)
{
	enum keys_ctx ctx = app_key_context(app);
	int pos = 0;
	char key[16];
	const char *label;
	enum action a;

	for (size_t i = 0; keys_bar_entry(ctx, i, key, sizeof(key), &label, &a); i++) {
		int w = (int)(strlen(key) + strlen(label)) + 2;
		if (x >= pos && x < pos + w) {
			*out = a;
			return 1;
		}
		pos += w;
	}
	return 0;
}

const char *app_hv_name(const struct app *app)
{
	return app->start.ok && app->start.hv.virt == CS_VIRT_QEMU ? "TCG" : "KVM";
}
