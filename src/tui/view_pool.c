/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_pool.c: the pool view: each host's verdict, what hosts lack, the baseline */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/pool.h"
#include "tui/app_int.h"

/* ---- rows ----------------------------------------------------------------- */

/* A pool host's CPU in a few words: "Skylake-Server +4 (Intel)". */
static void pool_host_cpu(const struct app *app, const struct cs_pool_host *h, char *buf,
                          size_t size)
{
	const struct cs_pool_cpu *c = cs_pool_host_cpu(app->pool, (size_t)(h - app->pool->hosts));
	unsigned extra =
	        c->count[CS_POLICY_NONE] + c->count[CS_POLICY_REQUIRE] + c->count[CS_POLICY_FORCE];
	unsigned gone = c->count[CS_POLICY_DISABLE] + c->count[CS_POLICY_FORBID];

	snprintf(buf, size, "%s", c->model >= 0 ? app->arch->models[c->model].name : "?");
	if (extra)
		app_append(buf, size, " +%u", extra);
	if (gone)
		app_append(buf, size, " -%u", gone);
	if (h->kvm_view)
		app_append(buf, size, " (KVM)");
	app_append(buf, size, ", %s",
	           engine_level_name(engine_level(app->arch, &h->facts.features)));
}

/* The features some hosts have and others lack, with the hosts that lack
 * each; those the guest requires first: they are why hosts fail. */
static void lacking_section(const struct app *app, struct app_lines *t, size_t w)
{
	const struct cs_pool *pool = app->pool;
	const struct app_pool_verdict *pv = &app->v_pool;
	struct cs_fset lacking;
	char line[1200];
	int id;

	cs_fset_zero(&lacking);
	for (size_t i = 0; i < app->arch->nfeatures; i++)
		if (pool->have[i] && pool->have[i] < pool->n)
			cs_fset_set(&lacking, (unsigned)i);
	snprintf(line, sizeof(line),
	         "Features some hosts have and others lack (%u):", cs_fset_count(&lacking));
	app_lines_text(t, line);
	for (int pass = 0; pass < 2; pass++) {
		cs_fset_foreach (id, &lacking) {
			bool req = cs_fset_test(&pv->missing, (unsigned)id);
			size_t len, shown = 0;
			if (req != (pass == 0))
				continue;
			snprintf(line, sizeof(line),
			         "  %-20s %u of %zu%s; lacking:", app->arch->features[id].name,
			         pool->have[id], pool->n, req ? " (the guest requires it)" : "");
			len = strlen(line);
			for (size_t k = 0; k < pool->ndistinct && len < sizeof(line) - 80; k++) {
				const struct cs_pool_host *h = &pool->hosts[pool->firsts[k]];
				if (cs_fset_test(&h->facts.features, (unsigned)id))
					continue;
				if (shown++ == 6) {
					len += (size_t)snprintf(line + len, sizeof(line) - len,
					                        " ...");
					break;
				}
				len += (size_t)snprintf(line + len, sizeof(line) - len, "%s %s",
				                        shown > 1 ? "," : "", app->pool_names[k]);
			}
			app_lines_wrapped(t, line, w);
		}
	}
	if (cs_fset_is_empty(&lacking))
		app_lines_text(t, "  (none: the hosts are alike)");
}

/* The answer first: the models every host runs, best first (the x86-64
 * level they keep, then how many features), the best one marked. */
static void ranked_section(const struct app *app, struct app_lines *t, size_t w)
{
	const struct cs_pool *pool = app->pool;
	const struct cs_arch *arch = app->arch;
	size_t n = 0, *order = calloc(arch->nmodels + 1, sizeof(*order));
	int *level = calloc(arch->nmodels + 1, sizeof(*level));
	char line[2400];

	if (!order || !level) {
		free(order);
		free(level);
		return;
	}
	for (size_t m = 0; m < arch->nmodels; m++) {
		if (app->pool_runs[m] != pool->n || app->badge[m] == BADGE_NO_QEMU)
			continue;
		level[m] = engine_level(arch, &arch->models[m].features);
		/* insertion: few models */
		size_t k = n++;
		while (k > 0) {
			size_t o = order[k - 1];
			unsigned cm = cs_fset_count(&arch->models[m].features),
			         co = cs_fset_count(&arch->models[o].features);
			if (level[o] > level[m] || (level[o] == level[m] && co >= cm))
				break;
			order[k] = o;
			k--;
		}
		order[k] = m;
	}
	snprintf(line, sizeof(line), "Models every host runs (%zu), best first:", n);
	app_lines_text(t, line);
	line[0] = '\0';
	for (size_t i = 0; i < n && i < 12; i++)
		app_append(line, sizeof(line), "%s%s%s", i ? ", " : "  ",
		           arch->models[order[i]].name, i ? "" : " (best)");
	if (n > 12)
		app_append(line, sizeof(line), ", +%zu", n - 12);
	app_lines_wrapped(t, n ? line : "  (none: no model runs on every host)", w);
	free(order);
	free(level);
}

/* The pool's vendors: how many distinct CPUs of each (vendor -1 last). */
static size_t pool_vendors(const struct app *app, int *vendors, size_t max)
{
	const struct cs_pool *pool = app->pool;
	size_t n = 0;

	for (size_t k = 0; k < pool->ndistinct; k++) {
		int v = pool->hosts[pool->firsts[k]].facts.vendor;
		size_t i = 0;
		while (i < n && vendors[i] != v)
			i++;
		if (i == n && n < max)
			vendors[n++] = v;
	}
	return n;
}

/* The baseline: of the whole pool, and with hosts of several vendors (for
 * which libvirt has none) one per vendor. */
static void baseline_section(const struct app *app, struct app_lines *t, size_t w)
{
	int vendors[16];
	size_t nv = pool_vendors(app, vendors, 16);
	char line[700];

	app_lines_text(t, "Baseline of the pool (B makes it the guest):");
	snprintf(line, sizeof(line), "  %s", app->pool_base_text);
	app_lines_wrapped(t, line, w);
	if (nv < 2)
		return;
	app_lines_text(t, "Baseline per vendor (each group of hosts on its own):");
	for (size_t i = 0; i < nv; i++) {
		char text[400];
		size_t nh = 0;
		engine_pool_vendor_baseline(app->pool, vendors[i], &nh, text, sizeof(text));
		snprintf(line, sizeof(line), "  %s (%zu host%s): %s",
		         vendors[i] >= 0 ? app->arch->vendors[vendors[i]].name : "no vendor", nh,
		         nh == 1 ? "" : "s", text);
		app_lines_wrapped(t, line, w);
	}
}

static void build_pool(struct app *app)
{
	const struct cs_pool *pool = app->pool;
	const struct app_pool_verdict *pv = &app->v_pool;
	struct app_lines t;
	size_t w = (size_t)(app->layout.pane[PANE_POOL].w > 2 ? app->layout.pane[PANE_POOL].w - 2
	                                                      : 60);
	size_t nw = 4;
	char line[2400], cpu[160], hosts[96];
	bool known = pv->state == VERDICT_DONE;

	app_lines_reset(&t, &app->text[PANE_POOL]);
	app->text[PANE_POOL].stale = false;
	if (!pool) {
		app_lines_text(&t, "No pool: start cpuscope with --pool FILE (repeatable).");
		view_fit(app, PANE_POOL);
		return;
	}
	/* One entry per distinct CPU, named by its hosts: a pool of any size
	 * costs what its distinct CPUs cost. */
	for (size_t k = 0; k < pool->ndistinct; k++) {
		size_t kw = (size_t)view_width_upto(app->pool_names[k], 40);
		nw = kw > nw ? kw : nw;
	}
	if (nw > 32)
		nw = 32;
	if (pool->ndistinct < pool->n)
		snprintf(hosts, sizeof(hosts), "%zu hosts (%zu distinct CPUs)", pool->n,
		         pool->ndistinct);
	else
		snprintf(hosts, sizeof(hosts), "%zu hosts", pool->n);
	if (!known)
		snprintf(line, sizeof(line), "%s; the guest: %s", hosts, pv->message);
	else if (pv->nbad)
		snprintf(line, sizeof(line), "%s: %zu can run the guest, %zu cannot.", hosts,
		         pool->n - pv->nbad, pv->nbad);
	else
		snprintf(line, sizeof(line), "%s: every one can run the guest.", hosts);
	app_lines_text(&t, line);
	ranked_section(app, &t, w);
	if (known && pv->nbad) {
		/* The map's variant of the guest's model without what hosts lack. */
		struct cs_fset drop;
		int var = engine_model_variant_without(app->arch, app->guest->model, &pv->missing,
		                                       &drop);

		if (var >= 0) {
			snprintf(line, sizeof(line), "%s is %s without ",
			         app->arch->models[var].name,
			         app->arch->models[app->guest->model].name);
			app_names_of(app, &drop, 8, line, sizeof(line));
			app_append(line, sizeof(line), ": %zu of %zu hosts run it.",
			           app->pool_runs[var], pool->n);
			app_lines_wrapped(&t, line, w);
		}
	}
	app_lines_text(&t, "");
	baseline_section(app, &t, w);
	app_lines_text(&t, "");
	app_lines_text(&t, pool->ndistinct < pool->n ? "Hosts, by CPU:" : "Hosts:");
	for (size_t k = 0; k < pool->ndistinct; k++) {
		const struct cs_compare_result *r = &app->pool_res[k];
		char name[200];
		pool_host_cpu(app, &pool->hosts[pool->firsts[k]], cpu, sizeof(cpu));
		view_cut(name, sizeof(name), app->pool_names[k], (int)nw);
		snprintf(line, sizeof(line), "  %s  %-12s  %s", name,
		         known ? engine_compat_name(r->compat) : "-", cpu);
		app_lines_text(&t, line);
		if (known && r->compat == CS_COMPAT_INCOMPATIBLE) {
			char *msg = engine_compare_message(r);
			snprintf(line, sizeof(line), "      %s", msg);
			app_lines_wrapped(&t, line, w);
			free(msg);
		}
	}
	app_lines_text(&t, "");
	lacking_section(app, &t, w);
	view_fit(app, PANE_POOL);
}

static size_t pool_rows(const struct app *app)
{
	return app->text[PANE_POOL].n;
}

static void pool_refresh(struct app *app, unsigned changed)
{
	if (changed & (VIEW_CHANGED_GUEST | VIEW_CHANGED_SIZE))
		app->text[PANE_POOL].stale = true;
}

static void pool_prepare(struct app *app)
{
	if (app->text[PANE_POOL].stale || !app->text[PANE_POOL].lines)
		build_pool(app);
}

/* ---- keys ----------------------------------------------------------------- */

static int pool_key(struct app *app, enum action a, bool focused)
{
	if (a == ACT_POOL) {
		if (!app->pool)
			app_status(app, true,
			           "no pool: P adds hosts from a file (or start with --pool)");
		return app_show_view(app, PANE_POOL);
	}
	if (a == ACT_POOL_REMOVE && focused && app->pool) {
		const struct app_pool_verdict *pv = &app->v_pool;
		size_t i = pv->first_bad < app->pool->n ? pv->first_bad : app->pool->n - 1;
		app_open_prompt(app, PROMPT_POOL_REMOVE, app->pool->hosts[i].name);
		return APP_REDRAW;
	}
	return focused && view_move_action(app, PANE_POOL, a) ? APP_REDRAW : 0;
}

static int pool_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	(void)y;
	(void)x;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN)
		view_move(app, PANE_POOL, ev == MOUSE_WHEEL_UP ? -3 : 3);
	return APP_REDRAW;
}

/* ---- drawing -------------------------------------------------------------- */

static void pool_draw(WINDOW *w, const struct app *app, bool focused)
{
	char title[160];

	snprintf(title, sizeof(title), " Pool: %zu host%s", app->pool ? app->pool->n : 0,
	         app->pool && app->pool->n == 1 ? "" : "s");
	view_title(w, title, "D removes a host  B baseline  Esc closes ", focused);
	view_draw_lines(w, &app->text[PANE_POOL], app->list[PANE_POOL].scroll);
}

const struct view_ops view_pool_ops = {
        .name = "pool",
        .ctx = KCTX_POOL,
        .place = VIEW_PLACE_SLOT,
        .text = true,
        .chrome = 1,
        .rows = pool_rows,
        .key = pool_key,
        .mouse = pool_mouse,
        .update = pool_refresh,
        .prepare = pool_prepare,
        .draw = pool_draw,
};
