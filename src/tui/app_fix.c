/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_fix.c: the tree badges, the suggested fix and fallback model, the mitigations */
#include "tui/app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"

void app_compute_badges(struct app *app)
{
	const struct app_host *h = app_ref_host(app);

	for (size_t m = 0; m < app->arch->nmodels; m++) {
		unsigned miss = 0;

		if (!engine_model_in_qemu(app->arch, (int)m)) {
			app->badge[m] = BADGE_NO_QEMU;
		} else if (!h->present) {
			app->badge[m] = BADGE_UNKNOWN;
		} else if (engine_model_runs(h, app->scratch, (int)m, &miss)) {
			app->badge[m] = BADGE_RUNS;
		} else {
			app->badge[m] = BADGE_MISSING;
		}
		app->badge_missing[m] = miss;
	}
}

enum app_badge app_badge(const struct app *app, int model, unsigned *n)
{
	if (app->badge_pool && app->pool) {
		size_t bad = app->pool->n - app->pool_runs[model];
		*n = bad > 99 ? 99 : (unsigned)bad;
		if (app->badge[model] == BADGE_NO_QEMU)
			return BADGE_NO_QEMU;
		return bad ? BADGE_MISSING : BADGE_RUNS;
	}
	*n = app->badge_missing[model];
	return app->badge[model];
}

bool app_feature_is_problem(const struct app *app, unsigned id)
{
	return cs_fset_test(&app->v_cpu.missing, id) || cs_fset_test(&app->v_cpu.forbidden, id) ||
	       cs_fset_test(&app->v_kvm.missing, id) || cs_fset_test(&app->v_kvm.forbidden, id) ||
	       cs_fset_test(&app->v_pool.missing, id) || cs_fset_test(&app->v_pool.forbidden, id);
}

/* Whether a plain guest of model runs on the reference host (when there is
 * one) and on every host of the pool (when there is one). */
static bool model_ok(const struct app *app, int m)
{
	bool host = app_ref_host(app)->present;

	if (host && app->badge[m] != BADGE_RUNS)
		return false;
	if (app->pool)
		return app->pool_runs[m] == app->pool->n;
	return host;
}

/* The verdict that decides whether the guest starts: KVM's when known. */
static const struct app_verdict *decisive(const struct app *app)
{
	return app->kvm.present ? &app->v_kvm : &app->v_cpu;
}

/* A model the reference host runs that keeps the most of what the guest
 * asks for; -1 when none. */
static int best_fallback(const struct app *app)
{
	const struct cs_arch *arch = app->arch;
	const struct cs_cpudef *g = app->guest;
	bool *runs = cs_xcalloc(arch->nmodels + 1, sizeof(*runs));
	int best;

	for (size_t m = 0; m < arch->nmodels; m++)
		runs[m] = model_ok(app, (int)m);
	/* Never below what the guest needs: a 64-bit guest keeps long mode
	 * and, where a model the host runs allows, its x86-64 level. */
	best = engine_fallback_model(
	        arch, g->model >= 0 ? &arch->models[g->model].features : &app->effective, g->model,
	        g->vendor_idx, runs);
	free(runs);
	return best;
}

/* What is at fault on any side (the CPU, KVM, the pool), which the fix
 * mends and app_apply_fix() applies. */
struct faults {
	bool incompatible;        /* on some side */
	struct cs_fset missing;   /* required, absent somewhere */
	struct cs_fset forbidden; /* forbidden, present somewhere */
	bool vendor;              /* the guest's vendor is refused somewhere */
	bool extra;               /* match='strict' extras somewhere */
};

static void faults_of(const struct app *app, struct faults *f)
{
	const struct app_pool_verdict *pv = &app->v_pool;
	const struct app_verdict *v = decisive(app);

	f->incompatible = engine_verdict_fails(v->state, v->compat) ||
	                  engine_verdict_fails(app->v_cpu.state, app->v_cpu.compat) ||
	                  engine_verdict_fails(pv->state, pv->compat);
	cs_fset_union(&f->missing, &app->v_cpu.missing, &app->v_kvm.missing);
	cs_fset_union(&f->missing, &f->missing, &pv->missing);
	cs_fset_union(&f->forbidden, &app->v_cpu.forbidden, &app->v_kvm.forbidden);
	cs_fset_union(&f->forbidden, &f->forbidden, &pv->forbidden);
	f->vendor = app->v_cpu.vendor_mismatch || app->v_kvm.vendor_mismatch || pv->vendor_mismatch;
	f->extra = !cs_fset_is_empty(&app->v_cpu.extra) || !cs_fset_is_empty(&app->v_kvm.extra) ||
	           !cs_fset_is_empty(&pv->extra);
}

/* The fix in words, without the fallback: "disable 2 features (a, b)". */
static void fix_words(const struct app *app, const struct faults *f, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!cs_fset_is_empty(&f->missing)) {
		unsigned n = cs_fset_count(&f->missing);
		app_append(buf, size, "disable %u feature%s (", n, n == 1 ? "" : "s");
		app_names_of(app, &f->missing, 3, buf, size);
		app_append(buf, size, ")");
	}
	if (!cs_fset_is_empty(&f->forbidden)) {
		unsigned n = cs_fset_count(&f->forbidden);
		app_append(buf, size, "%sstop forbidding %u feature%s", buf[0] ? ", " : "", n,
		           n == 1 ? "" : "s");
	}
	if (f->vendor)
		app_append(buf, size, "%sclear the vendor", buf[0] ? ", " : "");
	if (f->extra)
		app_append(buf, size, "%sset match to exact", buf[0] ? ", " : "");
}

void app_compute_fix(struct app *app)
{
	const struct app_verdict *v = decisive(app);
	const struct app_pool_verdict *pv = &app->v_pool;
	const struct cs_cpudef *g = app->guest;
	struct faults f;

	app->fix_text[0] = '\0';
	app->fix_model = -1;
	if ((v->state == VERDICT_ERROR || pv->state == VERDICT_ERROR) && g->model < 0) {
		snprintf(app->fix_text, sizeof(app->fix_text),
		         "pick a model: Enter on a model in the tree");
		return;
	}
	faults_of(app, &f);
	if (!f.incompatible)
		return;
	fix_words(app, &f, app->fix_text, sizeof(app->fix_text));
	/* A model to fall back to, when the guest's own model is the problem. */
	if (!cs_fset_is_empty(&f.missing) && (g->model < 0 || !model_ok(app, g->model))) {
		/* The map's variant of the model without them (Haswell-noTSX where
		 * TSX is off) comes first; else the model that keeps the most. */
		int var = engine_model_variant_without(app->arch, g->model, &f.missing, NULL);
		app->fix_model = var >= 0 && model_ok(app, var) ? var : best_fallback(app);
		if (app->fix_model >= 0)
			app_append(app->fix_text, sizeof(app->fix_text),
			           " or fall back to model %s",
			           app->arch->models[app->fix_model].name);
	}
}

/* Add "verb N feature(s) (names)" to buf, when s has features. */
static void said(const struct app *app, char *buf, size_t size, const char *verb,
                 const struct cs_fset *s)
{
	unsigned n = cs_fset_count(s);

	if (!n)
		return;
	app_append(buf, size, "%s%s %u feature%s (", buf[0] ? ", " : "", verb, n,
	           n == 1 ? "" : "s");
	app_names_of(app, s, 3, buf, size);
	app_append(buf, size, ")");
}

/* a: disable the missing features the model brings, unlist the other
 * missing ones and the forbidden ones, clear a refused vendor, set match
 * back to exact.  The model stays: A is what changes it. */
int app_apply_fix(struct app *app)
{
	struct cs_cpudef *before, *g = app->guest;
	struct cs_fset disabled, unlisted;
	struct faults f;
	char done[sizeof(app->status)] = "";
	int id;

	faults_of(app, &f);
	if (!f.incompatible) {
		app_status(app, false, "nothing to fix");
		return APP_REDRAW;
	}
	cs_fset_zero(&disabled);
	cs_fset_zero(&unlisted);
	before = app_edit_begin(app);
	cs_fset_foreach (id, &f.missing) {
		bool in_model = g->mode == CS_CPU_MODE_CUSTOM && g->model >= 0 &&
		                cs_fset_test(&app->arch->models[g->model].features, (unsigned)id);
		if (in_model)
			cs_fset_set(&disabled, (unsigned)id);
		else if (engine_guest_policy(g, (unsigned)id) != CS_POLICY_NONE)
			cs_fset_set(&unlisted, (unsigned)id);
		engine_guest_set_policy(g, (unsigned)id,
		                        in_model ? CS_POLICY_DISABLE : CS_POLICY_NONE);
	}
	cs_fset_foreach (id, &f.forbidden)
		engine_guest_set_policy(g, (unsigned)id, CS_POLICY_NONE);
	said(app, done, sizeof(done), "disabled", &disabled);
	said(app, done, sizeof(done), "stopped requiring", &unlisted);
	said(app, done, sizeof(done), "stopped forbidding", &f.forbidden);
	if (f.vendor) {
		engine_guest_set_vendor(g, -1);
		app_append(done, sizeof(done), "%scleared the vendor", done[0] ? ", " : "");
	}
	if (f.extra) {
		g->match = CS_CPU_MATCH_EXACT;
		app_append(done, sizeof(done), "%sset match to exact", done[0] ? ", " : "");
	}
	if (!done[0])
		snprintf(done, sizeof(done), "nothing it can change here");
	app_status(app, false, "fix applied: %s", done);
	return app_edit_commit(app, before);
}

/* A: the model the fix suggests replaces the guest's; nothing else changes. */
int app_use_fallback(struct app *app)
{
	struct cs_cpudef *before;
	int m = app->fix_model, was = app->guest->model;

	if (m < 0) {
		app_status(app, false, "no model to fall back to");
		return APP_REDRAW;
	}
	before = app_edit_begin(app);
	engine_guest_set_model(app->guest, m);
	view_tree_show_model(app, m);
	app_status(app, false, "fell back to model %s (was %s); listed features unchanged",
	           app->arch->models[m].name, was >= 0 ? app->arch->models[was].name : "none");
	return app_edit_commit(app, before);
}

int app_mitigate(struct app *app)
{
	struct cs_cpudef *before;
	char names[200] = "";
	unsigned n = cs_fset_count(&app->mitig_off);
	int id;

	if (!n) {
		app_status(app, false,
		           app_ref_host(app)->present
		                   ? "the guest gets every mitigation feature the host has"
		                   : "no host: nothing to compare the mitigations with");
		return APP_REDRAW;
	}
	app_names_of(app, &app->mitig_off, 6, names, sizeof(names));
	before = app_edit_begin(app);
	cs_fset_foreach (id, &app->mitig_off)
		engine_guest_set_policy(app->guest, (unsigned)id, CS_POLICY_REQUIRE);
	app_status(app, false, "required %u mitigation feature%s: %s", n, n == 1 ? "" : "s", names);
	return app_edit_commit(app, before);
}
