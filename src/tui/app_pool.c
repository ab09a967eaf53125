/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_pool.c: the pool of hosts the guest must also run on */
#include "tui/app_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/fileid.h"
#include "cpuscope/pool.h"
#include "cpuscope/pool_edit.h"
#include "cpuscope/xalloc.h"
#include "tui/view.h"

unsigned app_pool_have(const struct app *app, unsigned id)
{
	return app->pool ? app->pool->have[id] : 0;
}

static void pool_names_free(struct app *app)
{
	if (app->pool_names)
		app_lines_free(app->pool_names, app->npool_names);
	app->pool_names = NULL;
	app->npool_names = 0;
}

/* Each distinct CPU's hosts in words: "a.xml", or "a.xml, b.xml +3". */
static void pool_names_build(struct app *app)
{
	const struct cs_pool *pool = app->pool;
	size_t *shown = cs_xcalloc(pool->ndistinct + 1, sizeof(*shown));

	app->npool_names = pool->ndistinct;
	app->pool_names = cs_xcalloc(pool->ndistinct + 1, sizeof(*app->pool_names));
	for (size_t i = 0; i < pool->n; i++) {
		size_t k = pool->hosts[i].distinct;
		const char *name = pool->hosts[i].name;
		char *old = app->pool_names[k];
		if (shown[k] == 2)
			continue;
		app->pool_names[k] = old ? cs_xasprintf("%s, %s", old, name) : cs_xstrdup(name);
		free(old);
		shown[k]++;
	}
	for (size_t k = 0; k < pool->ndistinct; k++) {
		size_t copies = pool->hosts[pool->firsts[k]].copies;
		if (copies > shown[k]) {
			char *old = app->pool_names[k];
			app->pool_names[k] = cs_xasprintf("%s +%zu", old, copies - shown[k]);
			free(old);
		}
	}
	free(shown);
}

/* The pool's baseline and its description. */
static void pool_baseline(struct app *app)
{
	struct cs_error err = {0};
	const struct cs_cpudef *b;
	unsigned req = 0, dis = 0;
	char msg[300];

	app->pool_base = engine_pool_baseline(app->pool, &err);
	if (!app->pool_base) {
		cs_error_format(&err, msg, sizeof(msg));
		snprintf(app->pool_base_text, sizeof(app->pool_base_text), "none: %s", msg);
		return;
	}
	b = app->pool_base;
	for (size_t i = 0; i < b->nfeatures; i++) {
		if (b->features[i].policy == CS_POLICY_DISABLE)
			dis++;
		else if (b->features[i].policy != CS_POLICY_NONE)
			req++;
	}
	snprintf(app->pool_base_text, sizeof(app->pool_base_text),
	         "%s%s%s, %u feature%s required, %u disabled",
	         b->model >= 0 ? app->arch->models[b->model].name : "(no model)",
	         b->vendor_idx >= 0 ? ", vendor " : "",
	         b->vendor_idx >= 0 ? app->arch->vendors[b->vendor_idx].name : "", req,
	         req == 1 ? "" : "s", dis);
}

void app_pool_release(struct app *app)
{
	if (!app->pool_store.n) {
		free(app->pool_ids);
		free(app->pool_ids_hosts);
		free(app->pool_src);
		app->pool_ids = NULL;
		app->pool_ids_hosts = NULL;
		app->pool_src = NULL;
		app->npool_ids = app->pool_ids_cap = app->pool_ids_hosts_cap = 0;
		app->npool_src = app->pool_src_cap = 0;
	}
	free(app->pool_res);
	free(app->pool_runs);
	pool_names_free(app);
	app->pool_res = NULL;
	app->pool_runs = NULL;
	engine_guest_free(app->pool_base);
	app->pool_base = NULL;
	app->pool_base_text[0] = '\0';
}

/* Recompute what follows from the pool's hosts (not from the guest). */
static void pool_refresh(struct app *app)
{
	struct cs_pool *pool = app->pool_store.n ? &app->pool_store : NULL;
	bool had = app->pool != NULL;

	app_pool_release(app);
	app->pool = pool;
	if (!had)
		app->badge_pool = pool != NULL;
	if (!pool)
		app->badge_pool = false;
	if (app->pool) {
		app->pool_res = cs_xcalloc(pool->ndistinct, sizeof(*app->pool_res));
		pool_names_build(app);
		app->pool_runs = cs_xcalloc(app->arch->nmodels + 1, sizeof(*app->pool_runs));
		for (size_t m = 0; m < app->arch->nmodels; m++)
			app->pool_runs[m] = engine_pool_model_runs(pool, (int)m);
		pool_baseline(app);
	}
	app_resize(app, app->layout.rows ? app->layout.rows : 24,
	           app->layout.cols ? app->layout.cols : 80);
	app_recompute(app);
}

void app_set_pool(struct app *app, struct cs_pool *pool)
{
	engine_pool_release(&app->pool_store);
	if (pool && pool->n && pool->arch == app->arch) {
		app->pool_store = *pool;
		engine_pool_init(pool, app->map);
	} else if (pool) {
		engine_pool_release(pool);
	}
	app->pool = NULL;
	pool_refresh(app);
}

/* Whether path is a file the pool holds already (same device and inode,
 * however it is spelt, with hosts still in the pool); else it is
 * remembered as held. */
static bool pool_file_seen(struct app *app, const char *path)
{
	struct cs_file_id id;

	if (!cs_file_id(path, &id))
		id.dev = 0, id.ino = 0;
	for (size_t i = 0; i < app->npool_ids && (id.dev || id.ino); i++)
		if (cs_file_id_equal(&app->pool_ids[i], &id) && app->pool_ids_hosts[i])
			return true;
	CS_GROW(app->pool_ids, app->pool_ids_cap, app->npool_ids + 1);
	CS_GROW(app->pool_ids_hosts, app->pool_ids_hosts_cap, app->npool_ids + 1);
	app->pool_ids_hosts[app->npool_ids] = 0;
	app->pool_ids[app->npool_ids++] = id;
	return false;
}

/* Forget a file remembered by pool_file_seen (its hosts could not be added). */
static void pool_file_forget(struct app *app)
{
	if (app->npool_ids)
		app->npool_ids--;
}

/* The hosts from index n0 to n came from file f (an index of pool_ids). */
static void pool_file_hosts_of(struct app *app, size_t f, size_t n0, size_t n)
{
	CS_GROW(app->pool_src, app->pool_src_cap, n + 1);
	while (app->npool_src < n0) /* hosts of unknown files */
		app->pool_src[app->npool_src++] = SIZE_MAX;
	for (size_t i = n0; i < n; i++)
		app->pool_src[app->npool_src++] = f;
	app->pool_ids_hosts[f] += n - n0;
}

/* The hosts from index n0 on came from the file remembered last. */
static void pool_file_hosts(struct app *app, size_t n0, size_t n)
{
	pool_file_hosts_of(app, app->npool_ids - 1, n0, n);
}

/* Name the hosts from index n0 on label ("label+2" for the second of a file
 * of several). */
static void pool_label(struct cs_pool *pool, size_t n0, const char *label)
{
	for (size_t i = n0; i < pool->n; i++) {
		free(pool->hosts[i].name);
		pool->hosts[i].name = pool->n - n0 > 1 ? cs_xasprintf("%s+%zu", label, i - n0 + 1)
		                                       : cs_xstrdup(label);
	}
}

int app_pool_load(struct app *app, struct cs_pool *pool, char *const *files, char *const *labels,
                  size_t n, struct cs_error *err)
{
	size_t skipped = 0;
	const char *first_skipped = NULL;

	for (size_t i = 0; i < n; i++) {
		size_t n0 = pool->n;
		if (engine_pool_is_uri(files[i])) {
			struct cs_error e = {0};
			char msg[320];

			/* a connection that fails is left out, and said */
			if (engine_pool_add_uri(pool, files[i], &e) < 0) {
				cs_error_format(&e, msg, sizeof(msg));
				app_status(app, true, "pool: left out: %s", msg);
			}
			continue;
		}
		if (pool_file_seen(app, files[i])) {
			if (!skipped++)
				first_skipped = files[i];
			continue;
		}
		if (engine_pool_add_file(pool, files[i], err) < 0) {
			pool_file_forget(app);
			return -1;
		}
		pool_file_hosts(app, n0, pool->n);
		if (labels && labels[i])
			pool_label(pool, n0, labels[i]);
	}
	if (skipped)
		app_status(app, false, "pool: %s given again, counted once%s", first_skipped,
		           skipped > 1 ? " (and other files given twice)" : "");
	return 0;
}

static void pool_load_free(struct app *app)
{
	for (size_t i = 0; i < app->pool_load_n; i++) {
		free(app->pool_load_paths[i]);
		free(app->pool_load_labels[i]);
	}
	free(app->pool_load_paths);
	free(app->pool_load_labels);
	free(app->pool_load_ids);
	app->pool_load_paths = app->pool_load_labels = NULL;
	app->pool_load_ids = NULL;
	app->pool_load_n = 0;
	app->pool_load = NULL;
}

int app_pool_load_begin(struct app *app, char *const *files, char *const *labels, size_t n)
{
	size_t ids0 = app->npool_ids, k = 0;

	app->pool_load_paths = cs_xcalloc(n ? n : 1, sizeof(char *));
	app->pool_load_labels = cs_xcalloc(n ? n : 1, sizeof(char *));
	app->pool_load_ids = cs_xcalloc(n ? n : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		if (pool_file_seen(app, files[i]))
			continue;
		app->pool_load_paths[k] = cs_xstrdup(files[i]);
		app->pool_load_labels[k] = labels && labels[i] ? cs_xstrdup(labels[i]) : NULL;
		app->pool_load_ids[k++] = app->npool_ids - 1;
	}
	app->pool_load_n = k;
	app->pool_load = engine_pool_load_start(app->map, app->arch, app->pool_load_paths,
	                                        app->pool_load_labels, k);
	if (!app->pool_load) {
		app->npool_ids = ids0;
		pool_load_free(app);
		return -1;
	}
	if (k < n)
		app_status(app, false, "pool: a file given again is counted once");
	return 0;
}

void app_pool_load_cancel(struct app *app)
{
	if (app->pool_load)
		engine_pool_load_cancel(app->pool_load);
}

void app_pool_load_drop(struct app *app)
{
	struct cs_pool pool;

	if (!app->pool_load)
		return;
	engine_pool_load_cancel(app->pool_load);
	if (engine_pool_load_finish(app->pool_load, &pool, NULL, NULL, 0, NULL) == 0)
		engine_pool_release(&pool);
	pool_load_free(app);
}

bool app_pool_load_poll(struct app *app)
{
	struct cs_pool pool;
	struct cs_error err = {0};
	size_t *counts, n0 = 0;
	char msg[200], left_out[460];

	if (!app->pool_load)
		return false;
	if (!engine_pool_load_done(app->pool_load, msg, sizeof(msg))) {
		app_status(app, false, "%s", msg);
		return true;
	}
	counts = cs_xcalloc(app->pool_load_n ? app->pool_load_n : 1, sizeof(*counts));
	if (engine_pool_load_finish(app->pool_load, &pool, counts, left_out, sizeof(left_out),
	                            &err) < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "pool not loaded: %s", msg);
		app->npool_ids = app->pool_load_n ? app->pool_load_ids[0] : app->npool_ids;
	} else {
		for (size_t k = 0; k < app->pool_load_n; k++) {
			pool_file_hosts_of(app, app->pool_load_ids[k], n0, n0 + counts[k]);
			n0 += counts[k];
		}
		app_set_pool(app, &pool);
		engine_pool_release(&pool);
		if (left_out[0])
			app_status(app, true, "pool: %zu hosts; left out: %s", n0, left_out);
		else
			app_status(app, false, "pool: %zu hosts read from %zu file%s", n0,
			           app->pool_load_n, app->pool_load_n == 1 ? "" : "s");
	}
	free(counts);
	pool_load_free(app);
	return true;
}

long app_add_pool_file(struct app *app, const char *path)
{
	struct cs_error err = {0};
	char msg[320];
	long n;

	if (engine_check_plain_file(path, false, &err) < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "cannot add %s", msg);
		return -1;
	}
	if (app->pool_load) {
		app_status(app, true, "the pool is still loading: add %s once it is read", path);
		return -1;
	}
	if (pool_file_seen(app, path)) {
		app_status(app, true, "%s is in the pool already: its hosts count once", path);
		return -1;
	}
	if (!app->pool_store.n)
		engine_pool_init_arch(&app->pool_store, app->map, app->arch);
	n = engine_pool_add_file(&app->pool_store, path, &err);
	if (n < 0) {
		pool_file_forget(app);
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "%s", msg);
		if (!app->pool_store.n)
			engine_pool_release(&app->pool_store);
		return -1;
	}
	pool_file_hosts(app, app->pool_store.n - (size_t)n, app->pool_store.n);
	pool_refresh(app);
	app_status(app, false, "pool: %ld host%s added from %s, %zu in all", n, n == 1 ? "" : "s",
	           path, app->pool_store.n);
	return n;
}

int app_use_baseline(struct app *app)
{
	struct cs_cpudef *before;

	if (!app->pool) {
		app_status(app, true, "no pool: start cpuscope with --pool FILE");
		return APP_REDRAW;
	}
	if (!app->pool_base) {
		app_status(app, true, "the pool has no baseline: %s", app->pool_base_text);
		return APP_REDRAW;
	}
	before = app_edit_begin(app);
	engine_guest_take_cpu(app->guest, app->pool_base);
	if (app->guest->model >= 0)
		view_tree_show_model(app, app->guest->model);
	app_status(app, false, "guest = the pool's baseline: %s", app->pool_base_text);
	return app_edit_commit(app, before);
}

int app_pool_remove(struct app *app, const char *which)
{
	struct cs_pool *pool = &app->pool_store, rest;
	struct cs_error err = {0};
	char msg[320], name[256];
	size_t i;

	/* which may be the host's own name, freed with the pool */
	snprintf(name, sizeof(name), "%s", which);
	for (i = 0; i < pool->n && strcmp(pool->hosts[i].name, name); i++)
		;
	if (!app->pool || i == pool->n) {
		app_status(app, true, "no pool host is called %s", name);
		return -1;
	}
	if (pool->n == 1) {
		app_set_pool(app, NULL);
		app_status(app, false, "%s removed: no pool left", name);
		return 0;
	}
	if (cs_pool_without(pool, i, &rest, &err) < 0) {
		cs_error_format(&err, msg, sizeof(msg));
		app_status(app, true, "cannot remove %s: %s", name, msg);
		return -1;
	}
	/* Its file may be added again once none of its hosts is left. */
	if (i < app->npool_src) {
		size_t f = app->pool_src[i];
		if (f < app->npool_ids && app->pool_ids_hosts[f])
			app->pool_ids_hosts[f]--;
		memmove(app->pool_src + i, app->pool_src + i + 1,
		        (app->npool_src - i - 1) * sizeof(*app->pool_src));
		app->npool_src--;
	}
	app_set_pool(app, &rest);
	app_status(app, false, "%s removed from the pool: %zu host%s left", name, app->pool->n,
	           app->pool->n == 1 ? "" : "s");
	return 0;
}
