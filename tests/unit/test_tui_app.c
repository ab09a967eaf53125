/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_app.c: every explorer action on the app state, without a terminal */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpuscope/pool.h"
#include "cpuscope/xalloc.h"
#include "test_chain.h"
#include "test_tui_app_fixture.h"
#include "test_tui_fixture.h"
#include "tui/app.h"
#include "tui/engine.h"
#include "tui/keys.h"
#include "tui/view.h"

/* ---- start-up, tree and badges ------------------------------------------- */

static void test_init(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;

	assert_int_equal(app->ntrows, 5);
	assert_int_equal(app->trows[0].model, M_BASE);
	assert_int_equal(app->trows[1].model, M_MID);
	assert_int_equal(app->trows[2].model, M_TOP);
	assert_int_equal(app->trows[3].model, M_BIG);
	assert_int_equal(app->trows[4].model, M_AMDISH);
	assert_int_equal(app->trows[3].depth, 3);
	assert_true(app->trows[4].last);
	assert_int_equal(app->badge[M_TOP], BADGE_RUNS);
	assert_int_equal(app->badge[M_BIG], BADGE_MISSING);
	assert_int_equal(app->badge_missing[M_BIG], 1);
	assert_int_equal(app->badge[M_AMDISH], BADGE_MISSING);
	/* what the tree pane asks for: "│ └─  big *" drawn normally is the widest
	 * (13 columns), "│└─  big *" compact 11, amdish 12; badges take 4 */
	assert_int_equal(view_tree_row_need(app, &app->trows[3], false), 13);
	assert_int_equal(view_tree_row_need(app, &app->trows[3], true), 11);
	assert_int_equal(view_tree_row_need(app, &app->trows[4], true), 12);
	assert_int_equal(app->tree_need, 16);
	assert_string_equal(VERDICT(app->v_cpu), "ERROR");
	assert_string_equal(VERDICT(app->v_kvm), "NO HOST");
	assert_false(app->dirty);
	assert_non_null(strstr(app->map_label, "libvirt 9.0.0"));
}

static void test_moves(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	app_apply(app, ACT_DOWN);
	app_apply(app, ACT_DOWN);
	assert_int_equal(view_tree_model(app), M_TOP);
	app_apply(app, ACT_UP);
	assert_int_equal(view_tree_model(app), M_MID);
	app_apply(app, ACT_END);
	assert_int_equal(view_tree_model(app), M_AMDISH);
	app_apply(app, ACT_HOME);
	assert_int_equal(view_tree_model(app), M_BASE);
	app_apply(app, ACT_PAGE_DOWN);
	assert_int_equal(view_tree_model(app), M_AMDISH);
	app_apply(app, ACT_PAGE_UP);
	assert_int_equal(view_tree_model(app), M_BASE);
	app_apply(app, ACT_UP); /* stays at the top */
	assert_int_equal(app->list[PANE_TREE].cursor, 0);
}

static void test_collapse_expand(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	tree_to(app, M_MID);
	app_apply(app, ACT_LEFT); /* collapse mid: top and big vanish */
	assert_int_equal(app->ntrows, 3);
	assert_int_equal(view_tree_model(app), M_MID);
	app_apply(app, ACT_LEFT); /* on a collapsed node: go to the parent */
	assert_int_equal(view_tree_model(app), M_BASE);
	app_apply(app, ACT_DOWN);
	app_apply(app, ACT_RIGHT); /* expand again */
	assert_int_equal(app->ntrows, 5);
	app_apply(app, ACT_RIGHT); /* expanded: step into the first child */
	assert_int_equal(view_tree_model(app), M_TOP);
}

static void test_flat_list(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	tree_to(app, M_BIG);
	app_apply(app, ACT_FLAT);
	assert_true(app->flat);
	assert_int_equal(app->ntrows, 5);
	for (size_t r = 0; r < app->ntrows; r++) {
		assert_int_equal(app->trows[r].model, (int)r); /* map order */
		assert_int_equal(app->trows[r].depth, 0);
	}
	assert_int_equal(view_tree_model(app), M_BIG); /* the cursor stays on its model */
	app_apply(app, ACT_VENDOR);
	assert_int_equal(app->ntrows, 4);
	app_apply(app, ACT_VENDOR); /* AMD: big is hidden, the cursor moves */
	assert_int_equal(app->ntrows, 2);
	app_apply(app, ACT_VENDOR);
	assert_int_equal(app->ntrows, 5);
	app_apply(app, ACT_FLAT);
	assert_false(app->flat);
	assert_int_equal(app->trows[3].depth, 3);
}

static void test_vendor_filter(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	app_apply(app, ACT_VENDOR); /* Intel */
	assert_int_equal(app->vendor_filter, V_INTEL);
	assert_int_equal(app->ntrows, 4); /* amdish hidden; base is vendor-neutral */
	app_apply(app, ACT_VENDOR);       /* AMD */
	assert_int_equal(app->ntrows, 2);
	assert_int_equal(app->trows[1].model, M_AMDISH);
	app_apply(app, ACT_VENDOR); /* all */
	assert_int_equal(app->vendor_filter, -1);
	assert_int_equal(app->ntrows, 5);
}

/* ---- the guest and the verdict -------------------------------------------- */

static void test_pick_model(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	tree_to(app, M_TOP);
	int f = app_apply(app, ACT_PICK);
	assert_true(f & APP_RECOMPUTE);
	assert_int_equal(app->guest->model, M_TOP);
	assert_true(app->dirty);
	/* The host has vmx beyond top: a superset. */
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	tree_to(app, M_BIG);
	app_apply(app, ACT_PICK);
	assert_string_equal(VERDICT(app->v_cpu), "INCOMPATIBLE");
	assert_true(cs_fset_test(&app->v_cpu.missing, F_AVX512F));
	assert_non_null(strstr(app->v_cpu.message, "avx512f"));
	assert_non_null(strstr(app->fix_text, "disable 1 feature (avx512f)"));
	assert_non_null(strstr(app->fix_text, "fall back to model top"));
	assert_int_equal(app->fix_model, M_TOP);
	/* A: fall back to it; the status says that and nothing more */
	app_apply(app, ACT_FALLBACK);
	assert_int_equal(app->guest->model, M_TOP);
	assert_string_equal(app->status,
	                    "fell back to model top (was big); listed features unchanged");
	assert_int_equal(view_tree_model(app), M_TOP);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	assert_int_equal(app->fix_model, -1);
	app_apply(app, ACT_FALLBACK);
	assert_non_null(strstr(app->status, "no model"));
	app_apply(app, ACT_UNDO);
	assert_int_equal(app->guest->model, M_BIG);
	/* a click on the fix line applies the fix */
	app_resize(app, 30, 100);
	app_mouse(app, MOUSE_CLICK, app->layout.verdict.y + app_fix_row(app), 10);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX512F), CS_POLICY_DISABLE);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
}

static void test_identical(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	feature_to(app, F_VMX);
	app_apply(app, ACT_POLICY_REQUIRE);
	assert_int_equal(engine_guest_policy(app->guest, F_VMX), CS_POLICY_REQUIRE);
	assert_string_equal(VERDICT(app->v_cpu), "IDENTICAL");
}

static void test_require_missing_then_fix(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	feature_to(app, F_AVX512F);
	app_apply(app, ACT_POLICY_REQUIRE);
	assert_string_equal(VERDICT(app->v_cpu), "INCOMPATIBLE");
	assert_true(app_feature_is_problem(app, F_AVX512F));
	/* top itself runs: no model to fall back to, only the feature to drop */
	assert_int_equal(app->fix_model, -1);
	assert_null(strstr(app->fix_text, "fall back"));
	app_apply(app, ACT_FIX);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX512F), CS_POLICY_NONE);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	assert_string_equal(app->status, "fix applied: stopped requiring 1 feature (avx512f)");
	/* A model feature the host lacks is disabled by the fix; the status
	 * says so, not the fallback the fix line also offers. */
	tree_to(app, M_BIG);
	app_apply(app, ACT_PICK);
	assert_non_null(strstr(app->fix_text, "fall back to model top"));
	app_apply(app, ACT_FIX);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX512F), CS_POLICY_DISABLE);
	assert_string_equal(app->status, "fix applied: disabled 1 feature (avx512f)");
	assert_int_equal(app->guest->model, M_BIG);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	assert_false(cs_fset_test(&app->effective, F_AVX512F));
	/* Nothing left to fix. */
	app_apply(app, ACT_FIX);
	assert_non_null(strstr(app->status, "nothing to fix"));
}

static void test_policies_and_cycle(void **state)
{
	struct app *app = &((struct fx *)*state)->app;
	static const enum cs_policy cycle[] = {CS_POLICY_REQUIRE, CS_POLICY_OPTIONAL,
	                                       CS_POLICY_DISABLE, CS_POLICY_FORBID,
	                                       CS_POLICY_FORCE,   CS_POLICY_NONE};

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	feature_to(app, F_SVM);
	for (size_t i = 0; i < sizeof(cycle) / sizeof(cycle[0]); i++) {
		app_apply(app, ACT_POLICY_CYCLE);
		assert_int_equal(engine_guest_policy(app->guest, F_SVM), cycle[i]);
	}
	app_apply(app, ACT_LEFT); /* backwards: force */
	assert_int_equal(engine_guest_policy(app->guest, F_SVM), CS_POLICY_FORCE);
	/* force: exposed although the host lacks it, and still compatible */
	assert_true(cs_fset_test(&app->effective, F_SVM));
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	app_apply(app, ACT_POLICY_OPTIONAL);
	assert_false(cs_fset_test(&app->effective, F_SVM));
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	app_apply(app, ACT_POLICY_DISABLE);
	assert_int_equal(engine_guest_policy(app->guest, F_SVM), CS_POLICY_DISABLE);
	app_apply(app, ACT_POLICY_CLEAR);
	assert_int_equal(engine_guest_policy(app->guest, F_SVM), CS_POLICY_NONE);
	assert_int_equal(app->guest->nfeatures, 0);
	/* forbid a feature the host has */
	feature_to(app, F_VMX);
	app_apply(app, ACT_POLICY_FORBID);
	assert_string_equal(VERDICT(app->v_cpu), "INCOMPATIBLE");
	assert_true(cs_fset_test(&app->v_cpu.forbidden, F_VMX));
	assert_non_null(strstr(app->v_cpu.message, "forbidden"));
	app_apply(app, ACT_FIX);
	assert_int_equal(engine_guest_policy(app->guest, F_VMX), CS_POLICY_NONE);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	/* Enter on a feature cycles too */
	app_apply(app, ACT_PICK);
	assert_int_equal(engine_guest_policy(app->guest, F_VMX), CS_POLICY_REQUIRE);
	/* the order of listed features is kept */
	feature_to(app, F_FPU);
	app_apply(app, ACT_POLICY_REQUIRE);
	assert_int_equal(app->guest->nfeatures, 2);
	assert_int_equal(app->guest->features[0].id, F_VMX);
	assert_int_equal(app->guest->features[1].id, F_FPU);
}

static void test_match_strict(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	app_apply(app, ACT_FOCUS_GUEST);
	while (app->field != FIELD_MATCH)
		app_apply(app, ACT_DOWN);
	app_apply(app, ACT_VALUE_NEXT); /* exact -> minimum */
	assert_int_equal(app->guest->match, CS_CPU_MATCH_MINIMUM);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	app_apply(app, ACT_VALUE_NEXT); /* minimum -> strict */
	assert_int_equal(app->guest->match, CS_CPU_MATCH_STRICT);
	assert_string_equal(VERDICT(app->v_cpu), "INCOMPATIBLE");
	assert_true(cs_fset_test(&app->v_cpu.extra, F_VMX));
	assert_non_null(strstr(app->fix_text, "match to exact"));
	app_apply(app, ACT_FIX);
	assert_int_equal(app->guest->match, CS_CPU_MATCH_EXACT);
	assert_string_equal(app->status, "fix applied: set match to exact");
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	app_apply(app, ACT_VALUE_PREV); /* exact -> strict (wraps) */
	assert_int_equal(app->guest->match, CS_CPU_MATCH_STRICT);
}

static void test_mode_vendor_fields(void **state)
{
	struct app *app = &((struct fx *)*state)->app;
	char buf[64];

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	app_apply(app, ACT_FOCUS_GUEST);
	assert_int_equal(app->field, FIELD_MODE);
	app_apply(app, ACT_PICK); /* custom -> host-model */
	assert_int_equal(app->guest->mode, CS_CPU_MODE_HOST_MODEL);
	view_guest_field_value(app, FIELD_MODE, buf, sizeof(buf));
	assert_string_equal(buf, "host-model");
	app_apply(app, ACT_VALUE_PREV);
	assert_int_equal(app->guest->mode, CS_CPU_MODE_CUSTOM);
	while (app->field != FIELD_VENDOR)
		app_apply(app, ACT_DOWN);
	app_apply(app, ACT_VALUE_NEXT); /* Intel */
	assert_int_equal(app->guest->vendor_idx, V_INTEL);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	app_apply(app, ACT_VALUE_NEXT); /* AMD: the host is Intel */
	assert_int_equal(app->guest->vendor_idx, V_AMD);
	assert_string_equal(VERDICT(app->v_cpu), "INCOMPATIBLE");
	assert_true(app->v_cpu.vendor_mismatch);
	app_apply(app, ACT_FIX);
	assert_int_equal(app->guest->vendor_idx, -1);
	assert_string_equal(app->status, "fix applied: cleared the vendor");
	/* model field steps through the map */
	app->field = FIELD_MODEL;
	app_apply(app, ACT_VALUE_NEXT);
	assert_int_equal(app->guest->model, M_BIG);
	/* topology */
	while (app->field != FIELD_CORES)
		app_apply(app, ACT_DOWN);
	app_apply(app, ACT_VALUE_NEXT);
	app_apply(app, ACT_VALUE_NEXT);
	assert_int_equal(app->guest->cores, 2);
	app_apply(app, ACT_VALUE_PREV);
	assert_int_equal(app->guest->cores, 1);
	/* the first step gave the guest libvirt's defaults; below them the
	 * topology goes, and every field shows "-" again */
	assert_true(app->guest->has_topology);
	view_guest_field_value(app, FIELD_SOCKETS, buf, sizeof(buf));
	assert_string_equal(buf, "1");
	view_guest_field_value(app, FIELD_CLUSTERS, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	app_apply(app, ACT_VALUE_PREV);
	assert_false(app->guest->has_topology);
	view_guest_field_value(app, FIELD_CORES, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	app_apply(app, ACT_VALUE_PREV); /* nothing below "-" */
	assert_false(app->guest->has_topology);
	app_apply(app, ACT_END);
	assert_int_equal(app->field, FIELD_THREADS);
	app_apply(app, ACT_HOME);
	assert_int_equal(app->field, FIELD_MODE);
	/* check and fallback */
	app->field = FIELD_CHECK;
	app_apply(app, ACT_VALUE_NEXT);
	assert_int_equal(app->guest->check, CS_CPU_CHECK_NONE);
	app->field = FIELD_FALLBACK;
	app_apply(app, ACT_VALUE_NEXT);
	assert_int_equal(app->guest->fallback, CS_CPU_FALLBACK_FORBID);
}

/* Every view in the table has the operations the explorer relies on, and
 * exactly one is in each fixed place. */
static void test_view_table(void **state)
{
	int places[VIEW_PLACE_OVERLAY + 1] = {0};

	(void)state;
	for (int p = 0; p < PANE_COUNT; p++) {
		const struct view_ops *v = view_of((enum app_pane)p);
		assert_non_null(v);
		assert_non_null(v->name);
		assert_non_null(v->rows);
		assert_non_null(v->draw);
		assert_non_null(v->key);
		places[v->place]++;
		if (v->place == VIEW_PLACE_OVERLAY)
			assert_non_null(v->mouse); /* it takes every click while open */
		for (int q = 0; q < p; q++)
			assert_string_not_equal(v->name, view_of((enum app_pane)q)->name);
	}
	assert_int_equal(places[VIEW_PLACE_LEFT], 1);
	assert_int_equal(places[VIEW_PLACE_TOP], 1);
	assert_int_equal(places[VIEW_PLACE_OVERLAY], 1);
	assert_true(view_of(APP_VIEW_DEFAULT)->place == VIEW_PLACE_SLOT);
	assert_true(view_of(APP_VIEW_DEFAULT)->row_name != NULL);
	assert_null(view_of((enum app_pane)PANE_COUNT));
}

/* Nothing derived goes stale: after each step of each guest field, what
 * the explorer shows equals what a recompute from the definition gives. */
static void assert_not_stale(struct app *app)
{
	struct app_verdict cpu = app->v_cpu, kvm = app->v_kvm;
	struct app_pool_verdict pool = app->v_pool;
	struct cs_fset eff = app->effective;
	char fix[sizeof(app->fix_text)];
	int fix_model = app->fix_model, level = app->level;

	memcpy(fix, app->fix_text, sizeof(fix));
	app_recompute(app);
	assert_memory_equal(&cpu, &app->v_cpu, sizeof(cpu));
	assert_memory_equal(&kvm, &app->v_kvm, sizeof(kvm));
	assert_memory_equal(&pool, &app->v_pool, sizeof(pool));
	assert_memory_equal(&eff, &app->effective, sizeof(eff));
	assert_string_equal(fix, app->fix_text);
	assert_int_equal(fix_model, app->fix_model);
	assert_int_equal(level, app->level);
}

static void test_field_changes_recompute(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	tree_to(app, M_BIG);
	app_apply(app, ACT_PICK);
	assert_string_equal(VERDICT(app->v_cpu), "INCOMPATIBLE");
	assert_true(app->fix_text[0]);
	app_apply(app, ACT_FOCUS_GUEST);
	for (int f = 0; f < FIELD_COUNT; f++) {
		app->field = (enum app_field)f;
		for (int i = 0; i < 6; i++) {
			app_apply(app, i < 4 ? ACT_VALUE_NEXT : ACT_VALUE_PREV);
			assert_not_stale(app);
		}
	}
	/* custom to host-passthrough with a model: the model's missing
	 * features still count for cpu-compare, as in libvirt */
	app->field = FIELD_MODE;
	while (app->guest->mode != CS_CPU_MODE_CUSTOM)
		app_apply(app, ACT_VALUE_NEXT);
	engine_guest_set_model(app->guest, M_BIG);
	app_recompute(app);
	app_apply(app, ACT_VALUE_NEXT);
	app_apply(app, ACT_VALUE_NEXT);
	assert_int_equal(app->guest->mode, CS_CPU_MODE_HOST_PASSTHROUGH);
	assert_not_stale(app);
	app_apply(app, ACT_UNDO);
	assert_not_stale(app);
	app_apply(app, ACT_REDO);
	assert_not_stale(app);
}

static void test_passthrough_takes_no_features(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	app_apply(app, ACT_FOCUS_GUEST);
	app_apply(app, ACT_VALUE_NEXT);
	app_apply(app, ACT_VALUE_NEXT); /* host-passthrough */
	assert_int_equal(app->guest->mode, CS_CPU_MODE_HOST_PASSTHROUGH);
	feature_to(app, F_FPU);
	app_apply(app, ACT_POLICY_REQUIRE);
	assert_int_equal(app->guest->nfeatures, 0);
	assert_true(app->status_error);
	/* the guest sees what the host has */
	assert_true(cs_fset_test(&app->effective, F_VMX));
}

/* ---- undo / redo ------------------------------------------------------------ */

static void test_undo_redo(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	app_apply(app, ACT_UNDO);
	assert_non_null(strstr(app->status, "nothing to undo"));
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	feature_to(app, F_AVX512F);
	app_apply(app, ACT_POLICY_REQUIRE);
	assert_string_equal(VERDICT(app->v_cpu), "INCOMPATIBLE");
	assert_int_equal(app->nundo, 2);
	app_apply(app, ACT_UNDO);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX512F), CS_POLICY_NONE);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	app_apply(app, ACT_UNDO);
	assert_int_equal(app->guest->model, -1);
	assert_false(app->dirty);
	app_apply(app, ACT_REDO);
	assert_int_equal(app->guest->model, M_TOP);
	app_apply(app, ACT_REDO);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX512F), CS_POLICY_REQUIRE);
	assert_string_equal(VERDICT(app->v_cpu), "INCOMPATIBLE");
	app_apply(app, ACT_REDO);
	assert_non_null(strstr(app->status, "nothing to redo"));
	/* a new edit drops the redo list */
	app_apply(app, ACT_UNDO);
	app_apply(app, ACT_POLICY_DISABLE);
	assert_int_equal(app->nredo, 0);
	/* an action that changes nothing records nothing */
	size_t n = app->nundo;
	app_apply(app, ACT_POLICY_DISABLE);
	assert_int_equal(app->nundo, n);
}

static void test_undo_limit(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	enum cs_policy after20 = CS_POLICY_NONE, last;

	feature_to(app, F_FPU);
	for (int i = 0; i < APP_UNDO_MAX + 20; i++) {
		app_apply(app, ACT_POLICY_CYCLE);
		if (i == 19)
			after20 = engine_guest_policy(app->guest, F_FPU);
	}
	last = engine_guest_policy(app->guest, F_FPU);
	assert_int_equal(app->nundo, APP_UNDO_MAX);
	for (int i = 0; i < APP_UNDO_MAX; i++)
		app_apply(app, ACT_UNDO);
	assert_int_equal(app->nundo, 0);
	assert_int_equal(app->nredo, APP_UNDO_MAX);
	/* the oldest step kept is the guest after the first 20 edits */
	assert_int_equal(engine_guest_policy(app->guest, F_FPU), after20);
	for (int i = 0; i < APP_UNDO_MAX; i++)
		app_apply(app, ACT_REDO);
	assert_int_equal(engine_guest_policy(app->guest, F_FPU), last);
	assert_int_equal(app->nundo, APP_UNDO_MAX);
}

/* ---- files, quit -------------------------------------------------------------- */

/* ---- search, filters, sort, source --------------------------------------------- */

static void test_search(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	app_apply(app, ACT_SEARCH_NEXT);
	assert_true(app->status_error);
	app_apply(app, ACT_FOCUS_TREE);
	app_apply(app, ACT_SEARCH);
	assert_int_equal(app->mode, MODE_PROMPT);
	type(app, "BI"); /* incremental, case-insensitive */
	assert_int_equal(view_tree_model(app), M_BIG);
	app_input(app, 127);
	app_input(app, 127);
	type(app, "m");
	app_input(app, '\n');
	assert_int_equal(view_tree_model(app), M_MID);
	app_apply(app, ACT_SEARCH_NEXT); /* "m" is also in amdish */
	assert_int_equal(view_tree_model(app), M_AMDISH);
	app_apply(app, ACT_SEARCH_NEXT); /* wraps */
	assert_int_equal(view_tree_model(app), M_MID);
	app_apply(app, ACT_SEARCH_PREV);
	assert_int_equal(view_tree_model(app), M_AMDISH);
	/* in the feature list */
	app_apply(app, ACT_FOCUS_FEATURES);
	while (app->source != SOURCE_ALL)
		app_apply(app, ACT_SOURCE);
	app_apply(app, ACT_SEARCH);
	type(app, "avx");
	app_input(app, '\n');
	assert_int_equal(view_features_cursor(app), F_AVX);
	app_apply(app, ACT_SEARCH_NEXT);
	assert_int_equal(view_features_cursor(app), F_AVX2);
	/* an exact name wins: "avx" is also in avx2 and avx512f */
	app_apply(app, ACT_END);
	app_apply(app, ACT_SEARCH);
	type(app, "avx");
	app_input(app, '\n');
	assert_int_equal(view_features_cursor(app), F_AVX);
	app_apply(app, ACT_SEARCH);
	type(app, "zzz");
	app_input(app, '\n');
	assert_true(app->status_error);
	/* Esc cancels a prompt */
	app_apply(app, ACT_SEARCH);
	app_input(app, 27);
	assert_int_equal(app->mode, MODE_NORMAL);
}

static void test_filters_sort_source(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	tree_to(app, M_BIG);
	app_apply(app, ACT_PICK);
	assert_int_equal(app->source, SOURCE_GUEST);
	assert_int_equal(app->nfrows, 8); /* big's features */
	app_apply(app, ACT_FILTER_MISSING);
	assert_int_equal(app->nfrows, 1);
	assert_int_equal(app->frows[0], F_AVX512F);
	app_apply(app, ACT_FILTER_MISSING);
	app_apply(app, ACT_SOURCE); /* all */
	assert_int_equal(app->nfrows, F_COUNT);
	app_apply(app, ACT_FILTER_MISSING);
	assert_int_equal(app->nfrows, 2); /* avx512f, svm */
	app_apply(app, ACT_FILTER_MISSING);
	app_apply(app, ACT_SOURCE); /* the tree cursor's model */
	assert_int_equal(app->source, SOURCE_MODEL);
	app_apply(app, ACT_FOCUS_TREE);
	app_apply(app, ACT_HOME);
	assert_int_equal(app->nfrows, 3); /* base */
	app_apply(app, ACT_DOWN);
	assert_int_equal(app->nfrows, 5); /* mid follows the cursor */
	app_apply(app, ACT_SOURCE);       /* back to the guest */
	/* changed only */
	feature_to(app, F_VMX);
	app_apply(app, ACT_POLICY_REQUIRE);
	app_apply(app, ACT_FILTER_CHANGED);
	assert_int_equal(app->nfrows, 1);
	app_apply(app, ACT_FILTER_CHANGED);
	/* text filter */
	app_apply(app, ACT_FILTER);
	type(app, "SSE");
	app_input(app, '\n');
	assert_string_equal(app->filter, "SSE");
	assert_int_equal(app->nfrows, 3); /* sse sse2 ssse3 */
	app_apply(app, ACT_FILTER);
	app_input(app, 21);
	app_input(app, '\n');
	assert_int_equal(app->nfrows, F_COUNT);
	/* sorts */
	app_apply(app, ACT_SORT);
	assert_int_equal(app->sort, SORT_NAME);
	assert_int_equal(app->frows[0], F_AVX);
	app_apply(app, ACT_SORT);
	assert_int_equal(app->sort, SORT_LOCATION);
	assert_int_equal(app->frows[0], F_FPU);
	app_apply(app, ACT_SORT);
	assert_int_equal(app->sort, SORT_STATUS);
	assert_int_equal(app->frows[0], F_AVX512F); /* the problem first */
	assert_int_equal(app->frows[1], F_VMX);     /* then what has a policy */
	app_apply(app, ACT_SORT);
	assert_int_equal(app->sort, SORT_MAP);
	assert_int_equal(app->frows[0], F_FPU);
}

/* ---- views, focus, diff, help -------------------------------------------------- */

static void test_focus_and_views(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	assert_int_equal(app->focus, PANE_TREE);
	app_apply(app, ACT_NEXT_PANE);
	assert_int_equal(app->focus, PANE_GUEST);
	app_apply(app, ACT_NEXT_PANE);
	assert_int_equal(app->focus, PANE_FEATURES);
	app_apply(app, ACT_NEXT_PANE);
	assert_int_equal(app->focus, PANE_TREE);
	app_apply(app, ACT_PREV_PANE);
	assert_int_equal(app->focus, PANE_FEATURES);
	app_apply(app, ACT_FOCUS_OUTPUT);
	assert_int_equal(app->view, PANE_OUTPUT);
	assert_int_equal(app->focus, PANE_OUTPUT);
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	app_prepare(app);
	bool xml = false, arg = false;
	for (size_t i = 0; i < app->text[PANE_OUTPUT].n; i++) {
		xml |= strstr(app->text[PANE_OUTPUT].lines[i],
		              "<model fallback='allow'>top</model>") != NULL;
		arg |= !strncmp(app->text[PANE_OUTPUT].lines[i], "-cpu top", 8);
	}
	assert_true(xml);
	assert_true(arg);
	app_apply(app, ACT_FOCUS_OUTPUT);
	app_apply(app, ACT_DOWN); /* the output scrolls */
	app_apply(app, ACT_ESCAPE);
	assert_int_equal(app->view, PANE_FEATURES);
	/* wide screens give the output its own column */
	app_resize(app, 40, 200);
	assert_true(app->layout.wide);
	app_apply(app, ACT_FOCUS_OUTPUT);
	assert_int_equal(app->view, PANE_FEATURES);
	assert_int_equal(app->focus, PANE_OUTPUT);
	app_apply(app, ACT_FOCUS_TREE);
	app_apply(app, ACT_PREV_PANE);
	assert_int_equal(app->focus, PANE_OUTPUT);
	app_apply(app, ACT_FOCUS_GUEST);
	assert_int_equal(app->focus, PANE_GUEST);
}

static void test_mark_and_diff(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	app_apply(app, ACT_DIFF);
	assert_true(app->status_error);
	tree_to(app, M_MID);
	app_apply(app, ACT_MARK);
	assert_int_equal(app->mark[0], M_MID);
	tree_to(app, M_BIG);
	app_apply(app, ACT_DIFF); /* mark and cursor */
	assert_int_equal(app->view, PANE_DIFF);
	assert_int_equal(app->diff_a, M_MID);
	assert_int_equal(app->diff_b, M_BIG);
	app_prepare(app);
	bool avx512 = false, header = false;
	for (size_t i = 0; i < app->text[PANE_DIFF].n; i++) {
		avx512 |= strstr(app->text[PANE_DIFF].lines[i], "avx512f") != NULL;
		header |= strstr(app->text[PANE_DIFF].lines[i], "In big, not in mid (3)") != NULL;
	}
	assert_true(avx512);
	assert_true(header);
	app_apply(app, ACT_ESCAPE);
	tree_to(app, M_AMDISH);
	app_apply(app, ACT_MARK);
	assert_int_equal(app->mark[1], M_AMDISH);
	tree_to(app, M_TOP);
	app_apply(app, ACT_MARK); /* a third mark drops the oldest */
	assert_int_equal(app->mark[0], M_AMDISH);
	assert_int_equal(app->mark[1], M_TOP);
	app_apply(app, ACT_MARK); /* again: unmark */
	assert_int_equal(app->mark[1], -1);
	app_apply(app, ACT_DIFF);
	assert_int_equal(app->diff_a, M_AMDISH);
	assert_int_equal(app->diff_b, M_TOP);
}

static void test_help_and_redraw(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	app_apply(app, ACT_HELP);
	assert_int_equal(app->mode, MODE_HELP);
	assert_int_equal(app_key_context(app), KCTX_HELP);
	app_apply(app, ACT_DOWN);
	assert_int_equal(app->list[PANE_HELP].cursor, 1);
	app_apply(app, ACT_END);
	app_apply(app, ACT_ESCAPE);
	assert_int_equal(app->mode, MODE_NORMAL);
	app_apply(app, ACT_HELP);
	app_apply(app, ACT_HELP);
	assert_int_equal(app->mode, MODE_NORMAL);
	assert_true(app_apply(app, ACT_REDRAW) & APP_RELAYOUT);
	assert_int_equal(app_apply(app, ACT_NONE), 0);
	assert_int_equal(app_apply(app, ACT_YES), 0); /* only while asking */
}

/* ---- mouse and layout ------------------------------------------------------------ */

static void test_mouse(void **state)
{
	struct app *app = &((struct fx *)*state)->app;
	const struct app_rect *t, *f;

	app_resize(app, 30, 100);
	t = &app->layout.pane[PANE_TREE];
	app_mouse(app, MOUSE_CLICK, t->y + 1 + 2, t->x + 3); /* third row: top */
	assert_int_equal(app->focus, PANE_TREE);
	assert_int_equal(view_tree_model(app), M_TOP);
	app_mouse(app, MOUSE_DOUBLE, t->y + 1 + 3, t->x + 3); /* big, picked */
	assert_int_equal(app->guest->model, M_BIG);
	app_mouse(app, MOUSE_WHEEL_UP, t->y + 2, t->x + 2);
	assert_int_equal(view_tree_model(app), M_BASE);
	f = &app->layout.pane[PANE_FEATURES];
	app_mouse(app, MOUSE_CLICK, f->y + 2, f->x + 5);
	assert_int_equal(app->focus, PANE_FEATURES);
	assert_int_equal(view_features_cursor(app), F_FPU);
	app_mouse(app, MOUSE_DOUBLE, f->y + 3, f->x + 5);
	assert_int_equal(engine_guest_policy(app->guest, F_SSE), CS_POLICY_REQUIRE);
	app_mouse(app, MOUSE_WHEEL_DOWN, f->y + 3, f->x + 5);
	assert_int_equal(app->list[PANE_FEATURES].cursor, 4);
	/* a guest field */
	struct app_rect grid[FIELD_COUNT];
	const struct app_rect *g = &app->layout.pane[PANE_GUEST];
	app_guest_grid(g->w, grid);
	app_mouse(app, MOUSE_DOUBLE, g->y + 1 + grid[FIELD_MATCH].y,
	          g->x + grid[FIELD_MATCH].x + 1);
	assert_int_equal(app->field, FIELD_MATCH);
	assert_int_equal(app->guest->match, CS_CPU_MATCH_MINIMUM);
	/* the key bar: the first entry is help */
	app_mouse(app, MOUSE_CLICK, app->layout.keybar.y, 0);
	assert_int_equal(app->mode, MODE_HELP);
	app_mouse(app, MOUSE_CLICK, 5, 5); /* a click closes help */
	assert_int_equal(app->mode, MODE_NORMAL);
	/* outside every pane: nothing */
	assert_int_equal(app_mouse(app, MOUSE_CLICK, 0, 0), 0);
}

static void test_layout(void **state)
{
	struct app *app = &((struct fx *)*state)->app;
	struct app_layout l;

	app_layout(&l, 10, 40);
	assert_true(l.too_small);
	app_layout(&l, APP_MIN_ROWS, APP_MIN_COLS);
	assert_false(l.too_small);
	/* a deep tree may widen the tree pane on a wide terminal, up to 46 */
	app_layout_rows(&l, 40, 160, 0, 60);
	assert_int_equal(l.pane[PANE_TREE].w, 46);
	app_layout_rows(&l, 40, 160, 0, 16);
	assert_int_equal(l.pane[PANE_TREE].w, 40);
	app_layout_rows(&l, 24, 80, 0, 60);
	assert_int_equal(l.pane[PANE_TREE].w, 24);
	app_layout_rows(&l, 24, 80, 1, 0);
	assert_int_equal(l.verdict.h, 4);
	app_layout(&l, 24, 80);
	assert_false(l.wide);
	assert_int_equal(l.keybar.y, 23);
	assert_int_equal(l.verdict.h, 3);
	assert_int_equal(l.pane[PANE_TREE].w + 1 + l.pane[PANE_FEATURES].w, 80);
	assert_int_equal(l.pane[PANE_GUEST].y + l.pane[PANE_GUEST].h, l.pane[PANE_FEATURES].y);
	assert_int_equal(l.pane[PANE_FEATURES].y + l.pane[PANE_FEATURES].h, l.verdict.y);
	app_layout(&l, 50, 200);
	assert_true(l.wide);
	assert_int_equal(l.verdict.h, 4);
	assert_true(l.pane[PANE_OUTPUT].x > l.pane[PANE_FEATURES].x);
	/* resizing keeps the cursor on screen */
	app_resize(app, 24, 80);
	app_apply(app, ACT_FOCUS_FEATURES);
	while (app->source != SOURCE_ALL)
		app_apply(app, ACT_SOURCE);
	app_apply(app, ACT_END);
	app_resize(app, APP_MIN_ROWS, APP_MIN_COLS);
	const struct app_list *fl = &app->list[PANE_FEATURES];
	assert_true(fl->cursor >= fl->scroll && fl->cursor < fl->scroll + fl->height);
	/* too small: the mouse does nothing */
	app_resize(app, 5, 20);
	assert_int_equal(app_mouse(app, MOUSE_CLICK, 1, 1), 0);
}

/* ---- KVM beside the CPU ------------------------------------------------------------ */

static void test_kvm_side(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	assert_true(app->kvm.present);
	/* badges follow KVM: top needs avx, which KVM lacks */
	assert_int_equal(app->badge[M_TOP], BADGE_MISSING);
	assert_int_equal(app->badge[M_MID], BADGE_RUNS);
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	assert_string_equal(VERDICT(app->v_kvm), "INCOMPATIBLE");
	assert_true(cs_fset_test(&app->v_kvm.missing, F_AVX));
	assert_non_null(strstr(app->fix_text, "disable 2 features (avx, avx2)"));
	assert_non_null(strstr(app->fix_text, "fall back to model mid"));
	/* missing only: what KVM lacks */
	app_apply(app, ACT_FILTER_MISSING);
	assert_int_equal(app->nfrows, 2);
	app_apply(app, ACT_FIX);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX), CS_POLICY_DISABLE);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX2), CS_POLICY_DISABLE);
	assert_string_equal(VERDICT(app->v_kvm), "IDENTICAL"); /* top less avx, avx2 = mid */
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
}

/* ---- host files ------------------------------------------------------------ */

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_init, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_moves, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_collapse_expand, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_flat_list, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_vendor_filter, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pick_model, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_identical, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_require_missing_then_fix, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_policies_and_cycle, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_match_strict, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mode_vendor_fields, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_field_changes_recompute, setup, teardown),
	        cmocka_unit_test(test_view_table),
	        cmocka_unit_test_setup_teardown(test_passthrough_takes_no_features, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_undo_redo, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_undo_limit, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_filters_sort_source, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_focus_and_views, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mark_and_diff, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_help_and_redraw, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mouse, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_kvm_side, setup_kvm, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
