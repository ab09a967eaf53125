/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_summary.c: the summary: the host, the best models it runs, host-model, host-passthrough, why
 * not the model under the cursor */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app_int.h"

/* ---- rows ----------------------------------------------------------------- */

static const char *model_name(const struct app *app, int m)
{
	return m >= 0 ? app->arch->models[m].name : "?";
}

/* The host: its brand string, how it decodes, its level. */
static void host_section(const struct app *app, struct app_lines *t, size_t w)
{
	const struct app_host *ref = app_ref_host(app);
	char line[600];

	snprintf(line, sizeof(line), "Host CPU: %s",
	         app->host_brand[0] ? app->host_brand : "(no brand string in this source)");
	app_lines_wrapped(t, line, w);
	if (!ref->present) {
		snprintf(line, sizeof(line), "  not known: %s", app->cpu.detail);
		app_lines_wrapped(t, line, w);
		return;
	}
	snprintf(line, sizeof(line), "  %s %s, %s, seen by %s as %.200s",
	         ref->vendor >= 0 ? "vendor" : "",
	         ref->vendor >= 0 ? app->arch->vendors[ref->vendor].name : "vendor unknown",
	         engine_level_name(engine_level(app->arch, &ref->features)), ref->source,
	         model_name(app, ref->model));
	if (!cs_fset_is_empty(&ref->extra))
		app_append(line, sizeof(line), " +%u", cs_fset_count(&ref->extra));
	app_lines_wrapped(t, line, w);
}

/* The best model per vendor, the host's vendor first. */
static void best_section(const struct app *app, struct app_lines *t, size_t w)
{
	const struct app_host *ref = app_ref_host(app);
	int hv = ref->present ? ref->vendor : -1;
	char line[600];

	app_lines_text(t, "Best model it runs as a guest:");
	for (int pass = 0; pass < 2; pass++) {
		for (size_t v = 0; v < app->arch->nvendors; v++) {
			if ((pass == 0) != ((int)v == hv))
				continue;
			int best = app_best_model(app, (int)v);
			snprintf(line, sizeof(line), "  %-8s %.200s", app->arch->vendors[v].name,
			         best >= 0 ? model_name(app, best) : "(none runs)");
			if (best >= 0)
				app_append(line, sizeof(line), ", %s%s",
				           engine_level_name(engine_level(
				                   app->arch, &app->arch->models[best].features)),
				           best == app->guest->model ? "  <- the guest" : "");
			app_lines_wrapped(t, line, w);
		}
	}
}

static void modes_section(const struct app *app, struct app_lines *t, size_t w)
{
	static const char *const names[APP_HOST_MODES] = {"host-model", "host-passthrough"};
	char line[600];

	app_lines_text(t, "Without naming a model (will it start):");
	for (int i = 0; i < APP_HOST_MODES; i++) {
		const char *word = app->mode_outcome[i] == CS_START_STARTS    ? "STARTS"
		                   : app->mode_outcome[i] == CS_START_DROPS   ? "DROPS"
		                   : app->mode_outcome[i] == CS_START_REFUSED ? "REFUSED"
		                                                              : "?";
		snprintf(line, sizeof(line), "  %-17s %-8s %s", names[i], word, app->mode_text[i]);
		app_lines_wrapped(t, line, w);
	}
}

/* What a model lacks on the reference host, and why, in lines. */
static void lacks_lines(struct app *app, struct app_lines *t, size_t w, int m, const char *indent)
{
	const struct app_host *ref = app_ref_host(app);
	struct app_verdict v;
	struct cs_reason_group g[8];
	char line[2200];
	size_t n;

	engine_model_verdict(ref, app->scratch, m, &v);
	if (engine_verdict_runs(v.state, v.compat)) {
		snprintf(line, sizeof(line), "%sruns here (%s)", indent,
		         engine_compat_name(v.compat));
		app_lines_wrapped(t, line, w);
		return;
	}
	if (cs_fset_is_empty(&v.missing)) {
		snprintf(line, sizeof(line), "%s%s", indent, v.message);
		app_lines_wrapped(t, line, w);
		return;
	}
	snprintf(line, sizeof(line), "%slacks %u: ", indent, cs_fset_count(&v.missing));
	app_names_of(app, &v.missing, 16, line, sizeof(line));
	app_lines_wrapped(t, line, w);
	n = engine_missing_reasons(app->arch, &v.missing, app->cpu.vendor,
	                           app->cpu.present ? &app->cpu.features : NULL,
	                           app->kvm.present ? &app->kvm.features : NULL,
	                           !strcmp(app_hv_name(app), "TCG"), g, sizeof(g) / sizeof(g[0]));
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "%s  ", indent);
		app_names_of(app, &g[i].features, 6, line, sizeof(line));
		app_append(line, sizeof(line), ": %s", g[i].reason);
		app_lines_wrapped(t, line, w);
	}
}

/* The model under the tree cursor, and the newer models of the best one. */
static void cursor_section(struct app *app, struct app_lines *t, size_t w)
{
	const struct app_host *ref = app_ref_host(app);
	int m = view_tree_model(app), best;
	char line[600];
	unsigned shown = 0;

	if (!ref->present)
		return;
	if (m >= 0) {
		snprintf(line, sizeof(line), "Model under the cursor: %.200s", model_name(app, m));
		app_lines_text(t, line);
		lacks_lines(app, t, w, m, "  ");
	}
	best = app_best_model(app, ref->vendor);
	if (best < 0)
		return;
	/* Models of the host's vendor with more than the best one, that the
	 * host cannot run: those closest to running first. */
	unsigned have = cs_fset_count(&app->arch->models[best].features);
	for (unsigned miss = 1; miss < 100 && shown < 5; miss++) {
		for (size_t n = 0; n < app->arch->nmodels && shown < 5; n++) {
			const struct cs_model *md = &app->arch->models[n];
			if ((int)n == m || app->badge[n] != BADGE_MISSING ||
			    app->badge_missing[n] != miss || md->vendor != ref->vendor ||
			    cs_fset_count(&md->features) <= have)
				continue;
			if (!shown++) {
				app_lines_text(t, "");
				snprintf(line, sizeof(line),
				         "Newer than %.200s, and why not:", model_name(app, best));
				app_lines_text(t, line);
			}
			snprintf(line, sizeof(line), "  %.200s:", md->name);
			app_lines_text(t, line);
			lacks_lines(app, t, w, (int)n, "    ");
		}
	}
}

static void build_summary(struct app *app)
{
	struct app_lines t;
	size_t w =
	        (size_t)(app->layout.pane[PANE_SUMMARY].w > 2 ? app->layout.pane[PANE_SUMMARY].w - 2
	                                                      : 60);

	app_lines_reset(&t, &app->text[PANE_SUMMARY]);
	host_section(app, &t, w);
	if (app_ref_host(app)->present) {
		best_section(app, &t, w);
		modes_section(app, &t, w);
		cursor_section(app, &t, w);
	}
	app->text[PANE_SUMMARY].stale = false;
	view_fit(app, PANE_SUMMARY);
}

static size_t summary_rows(const struct app *app)
{
	return app->text[PANE_SUMMARY].n;
}

static void summary_refresh(struct app *app, unsigned changed)
{
	if (changed & (VIEW_CHANGED_GUEST | VIEW_CHANGED_SIZE | VIEW_CHANGED_MODEL))
		app->text[PANE_SUMMARY].stale = true;
}

static void summary_prepare(struct app *app)
{
	if (app->text[PANE_SUMMARY].stale || !app->text[PANE_SUMMARY].lines)
		build_summary(app);
}

/* ---- keys ----------------------------------------------------------------- */

static int summary_key(struct app *app, enum action a, bool focused)
{
	if (a == ACT_SUMMARY) {
		app->view = PANE_SUMMARY;
		return APP_REDRAW;
	}
	return focused && view_move_action(app, PANE_SUMMARY, a) ? APP_REDRAW : 0;
}

static int summary_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	(void)y;
	(void)x;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN)
		view_move(app, PANE_SUMMARY, ev == MOUSE_WHEEL_UP ? -3 : 3);
	return APP_REDRAW;
}

/* ---- drawing -------------------------------------------------------------- */

static void summary_draw(WINDOW *w, const struct app *app, bool focused)
{
	view_title(w, " Summary: what this host runs", "i shows it, Esc the features ", focused);
	view_draw_lines(w, &app->text[PANE_SUMMARY], app->list[PANE_SUMMARY].scroll);
}

const struct view_ops view_summary_ops = {
        .name = "summary",
        .ctx = KCTX_GLOBAL,
        .place = VIEW_PLACE_SLOT,
        .text = true,
        .chrome = 1,
        .rows = summary_rows,
        .key = summary_key,
        .mouse = summary_mouse,
        .update = summary_refresh,
        .prepare = summary_prepare,
        .draw = summary_draw,
};
