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
#include "test_tui_fixture.h"
#include "tui/app.h"
#include "tui/engine.h"
#include "tui/keys.h"
#include "tui/view.h"

struct fx {
	struct cs_map *map;
	struct app app;
	char dir[64];
};

static int setup_with(void **state, bool with_kvm)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct app_host cpu, kvm;
	static const unsigned vmx[] = {F_VMX};

	fx->map = fixture_map();
	assert_non_null(fx->map);
	fixture_host(fx->map, &cpu, "CPUID", M_TOP, vmx, 1);
	if (with_kvm)
		fixture_host(fx->map, &kvm, "KVM", M_MID, NULL, 0); /* KVM gives no AVX */
	else
		fixture_absent(&kvm, "KVM", "/dev/kvm not usable");
	app_init(&fx->app, fx->map, &cpu, &kvm);
	strcpy(fx->dir, "/tmp/cs-tui-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, false);
}

static int setup_kvm(void **state)
{
	return setup_with(state, true);
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[128];

	app_release(&fx->app);
	cs_map_free(fx->map);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fx->dir);
	free(fx);
	return 0;
}

/* A verdict in one word ("SUPERSET", "NO HOST", ...). */
#define VERDICT(v) engine_verdict_name((v).state, (v).compat)

/* Put the tree cursor on model m with the movement actions. */
static void tree_to(struct app *app, int m)
{
	app_apply(app, ACT_FOCUS_TREE);
	app_apply(app, ACT_HOME);
	for (size_t i = 0; i < app->ntrows && view_tree_model(app) != m; i++)
		app_apply(app, ACT_DOWN);
	assert_int_equal(view_tree_model(app), m);
}

/* Put the feature cursor on feature id, listing all features. */
static void feature_to(struct app *app, unsigned id)
{
	app_apply(app, ACT_FOCUS_FEATURES);
	while (app->source != SOURCE_ALL)
		app_apply(app, ACT_SOURCE);
	app_apply(app, ACT_HOME);
	for (size_t i = 0; i < app->nfrows && view_features_cursor(app) != (int)id; i++)
		app_apply(app, ACT_DOWN);
	assert_int_equal(view_features_cursor(app), (int)id);
}

static void type(struct app *app, const char *s)
{
	for (; *s; s++)
		app_input(app, (unsigned char)*s);
}

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

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[8192];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_save_and_open(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char path[128];

	snprintf(path, sizeof(path), "%s/guest.xml", fx->dir);
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	feature_to(app, F_VMX);
	app_apply(app, ACT_POLICY_REQUIRE);
	feature_to(app, F_AVX2);
	app_apply(app, ACT_POLICY_DISABLE);
	/* s without a file asks for a name */
	app_apply(app, ACT_SAVE);
	assert_int_equal(app->mode, MODE_PROMPT);
	assert_int_equal(app->prompt, PROMPT_SAVE_AS);
	app_input(app, 21); /* C-u clears the suggested name */
	type(app, path);
	app_input(app, '\n');
	assert_int_equal(app->mode, MODE_NORMAL);
	assert_false(app->dirty);
	assert_string_equal(app->path, path);
	const char *xml = slurp(path);
	assert_non_null(strstr(xml, "<cpu mode='custom' match='exact'>"));
	assert_non_null(strstr(xml, "<model fallback='allow'>top</model>"));
	assert_non_null(strstr(xml, "<feature policy='require' name='vmx'/>"));
	assert_non_null(strstr(xml, "<feature policy='disable' name='avx2'/>"));
	assert_true(strstr(xml, "vmx") < strstr(xml, "avx2"));

	/* change, then open the saved file again: asks first */
	app_apply(app, ACT_POLICY_CLEAR);
	assert_true(app->dirty);
	app_apply(app, ACT_OPEN);
	type(app, path);
	app_input(app, '\n');
	assert_int_equal(app->mode, MODE_CONFIRM);
	assert_int_equal(app->confirm, CONFIRM_OPEN);
	app_apply(app, ACT_NO);
	assert_false(app->dirty);
	assert_int_equal(app->guest->model, M_TOP);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX2), CS_POLICY_DISABLE);
	assert_int_equal(engine_guest_policy(app->guest, F_VMX), CS_POLICY_REQUIRE);
	assert_int_equal(app->nundo, 0);
	assert_int_equal(view_tree_model(app), M_TOP);

	/* s with a file saves in place */
	feature_to(app, F_FPU);
	app_apply(app, ACT_POLICY_FORCE);
	app_apply(app, ACT_SAVE);
	assert_false(app->dirty);
	assert_non_null(strstr(slurp(path), "<feature policy='force' name='fpu'/>"));

	/* w: save as another file, which becomes the current one */
	char other[160];
	snprintf(other, sizeof(other), "%s/other.xml", fx->dir);
	feature_to(app, F_SSE);
	app_apply(app, ACT_POLICY_OPTIONAL);
	app_apply(app, ACT_SAVE_AS);
	assert_int_equal(app->mode, MODE_PROMPT);
	assert_string_equal(app->input, path); /* offers the current name */
	app_input(app, 21);
	type(app, other);
	app_input(app, '\n');
	assert_string_equal(app->path, other);
	assert_false(app->dirty);
	assert_non_null(strstr(slurp(other), "<feature policy='optional' name='sse'/>"));
	assert_null(strstr(slurp(path), "name='sse'"));

	/* an error keeps the state and says why */
	assert_int_equal(app_open(app, "/nonexistent/x.xml"), -1);
	assert_true(app->status_error);
	assert_int_equal(app->guest->model, M_TOP);
	assert_int_equal(app_save(app, "/nonexistent/dir/x.xml"), -1);
	assert_true(app->status_error);
}

static void test_domain_keeps_all_but_cpu(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	static const char head[] = "<domain type='kvm'>\n"
	                           "  <name>vm1</name>\n"
	                           "  <!-- keep me -->\n"
	                           "  <memory unit='KiB'>1048576</memory>\n";
	static const char cpu[] = "  <cpu mode='custom' match='exact' check='partial'>\n"
	                          "    <model fallback='allow'>mid</model>\n"
	                          "    <feature policy='require' name='vmx'/>\n"
	                          "    <numa>\n"
	                          "      <cell id='0' cpus='0' memory='1048576' unit='KiB'/>\n"
	                          "    </numa>\n"
	                          "  </cpu>\n";
	static const char tail[] =
	        "  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
	        "  </devices>\n</domain>\n";
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/vm1.xml", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s%s%s", head, cpu, tail);
	fclose(f);
	assert_int_equal(app_open(app, path), 0);
	assert_true(app->is_domain);
	assert_int_equal(app->guest->model, M_MID);
	assert_int_equal(app->guest->check, CS_CPU_CHECK_PARTIAL);
	assert_int_equal(engine_guest_policy(app->guest, F_VMX), CS_POLICY_REQUIRE);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	feature_to(app, F_AVX);
	app_apply(app, ACT_POLICY_REQUIRE);
	assert_true(app->dirty);
	app_apply(app, ACT_SAVE);
	assert_false(app->status_error);
	assert_false(app->dirty);
	const char *out = slurp(path);
	assert_memory_equal(out, head, strlen(head));
	assert_string_equal(out + strlen(out) - strlen(tail), tail);
	assert_non_null(strstr(out, "<feature policy='require' name='avx'/>"));
	assert_non_null(strstr(out, "<feature policy='require' name='vmx'/>"));
	assert_non_null(strstr(out, "<cell id='0' cpus='0' memory='1048576' unit='KiB'/>"));
	assert_non_null(strstr(out, "check='partial'"));
	/* the output view shows what will be written */
	app_apply(app, ACT_FOCUS_OUTPUT);
	app_prepare(app);
	bool numa = false;
	for (size_t i = 0; i < app->text[PANE_OUTPUT].n; i++)
		numa |= strstr(app->text[PANE_OUTPUT].lines[i], "<numa>") != NULL;
	assert_true(numa);
}

static void test_quit(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char path[128];

	assert_true(app_apply(app, ACT_QUIT) & APP_QUIT); /* clean: quits at once */
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_false(app_apply(app, ACT_QUIT) & APP_QUIT);
	assert_int_equal(app->mode, MODE_CONFIRM);
	app_apply(app, ACT_ESCAPE); /* cancel */
	assert_int_equal(app->mode, MODE_NORMAL);
	app_apply(app, ACT_QUIT);
	assert_true(app_apply(app, ACT_NO) & APP_QUIT);
	/* yes without a file: asks for a name, saves, then quits */
	app->mode = MODE_NORMAL;
	app_apply(app, ACT_QUIT);
	app_apply(app, ACT_YES);
	assert_int_equal(app->mode, MODE_PROMPT);
	snprintf(path, sizeof(path), "%s/q.xml", fx->dir);
	app_input(app, 21);
	type(app, path);
	assert_true(app_input(app, '\n') & APP_QUIT);
	assert_int_equal(access(path, F_OK), 0);
	/* Ctrl-C (quit) while asking quits */
	app->quit = false;
	feature_to(app, F_FPU);
	app_apply(app, ACT_POLICY_REQUIRE);
	app_apply(app, ACT_QUIT);
	assert_true(app_apply(app, ACT_QUIT) & APP_QUIT);
}

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

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_probe_files(void **state)
{
	struct fx *fx = *state;
	const struct cs_arch *arch = cs_map_arch(fx->map, "x86");
	struct engine_host_opts opts = {NULL, NULL};
	struct app_host cpu, kvm;
	char path[128];

	snprintf(path, sizeof(path), "%s/caps.xml", fx->dir);
	write_file(path, "<cpu>\n  <arch>x86_64</arch>\n  <model>top</model>\n"
	                 "  <vendor>Intel</vendor>\n  <feature name='vmx'/>\n</cpu>\n");
	opts.file = path;
	engine_probe(fx->map, arch, &opts, &cpu, &kvm);
	assert_true(cpu.present);
	assert_string_equal(cpu.source, "caps.xml");
	assert_int_equal(cpu.model, M_TOP);
	assert_true(cs_fset_test(&cpu.features, F_VMX));
	assert_true(cs_fset_test(&cpu.extra, F_VMX));
	assert_false(kvm.present);
	assert_non_null(strstr(kvm.detail, "--host"));
	engine_host_release(&cpu);
	engine_host_release(&kvm);

	/* domcapabilities: the host-model CPU is what KVM gives */
	snprintf(path, sizeof(path), "%s/domcaps.xml", fx->dir);
	write_file(path, "<domainCapabilities>\n  <arch>x86_64</arch>\n  <cpu>\n"
	                 "    <mode name='host-model' supported='yes'>\n"
	                 "      <model fallback='forbid'>top</model>\n"
	                 "      <vendor>Intel</vendor>\n"
	                 "      <feature policy='require' name='vmx'/>\n"
	                 "      <feature policy='disable' name='avx2'/>\n"
	                 "    </mode>\n  </cpu>\n</domainCapabilities>\n");
	engine_probe(fx->map, arch, &opts, &cpu, &kvm);
	assert_false(cpu.present);
	assert_true(kvm.present);
	assert_int_equal(kvm.model, M_TOP);
	assert_true(cs_fset_test(&kvm.features, F_VMX));
	assert_false(cs_fset_test(&kvm.features, F_AVX2));
	/* a guest of model top needs avx2, which the host-model disables */
	struct app app2;
	app_init(&app2, fx->map, &cpu, &kvm);
	tree_to(&app2, M_TOP);
	app_apply(&app2, ACT_PICK);
	assert_string_equal(VERDICT(app2.v_cpu), "NO HOST");
	assert_string_equal(VERDICT(app2.v_kvm), "INCOMPATIBLE");
	assert_true(cs_fset_test(&app2.v_kvm.missing, F_AVX2));
	app_release(&app2);

	/* a file that is no host at all */
	snprintf(path, sizeof(path), "%s/junk.xml", fx->dir);
	write_file(path, "not xml at all\n");
	engine_probe(fx->map, arch, &opts, &cpu, &kvm);
	assert_false(cpu.present);
	assert_true(strlen(cpu.detail) > 0);
	engine_host_release(&cpu);
	engine_host_release(&kvm);
}

/* ---- a pool of hosts ----------------------------------------------------- */

/* Two pool hosts: 'top' + vmx, and 'mid' + avx (no avx2). */
static void load_pool(struct fx *fx, struct cs_pool *pool)
{
	static const char xml[] = "<cpu><arch>x86_64</arch><model>top</model><vendor>Intel</vendor>"
	                          "<feature name='vmx'/></cpu>\n"
	                          "<cpu><arch>x86_64</arch><model>mid</model><vendor>Intel</vendor>"
	                          "<feature name='avx'/></cpu>\n";
	struct cs_error err = {0};

	cs_pool_init(pool, fx->map);
	if (cs_pool_add_buffer(pool, xml, strlen(xml), "nodes.xml", &err) != 2) {
		cs_error_print(&err, "pool: ", stderr);
		fail();
	}
}

static bool lines_have(char **lines, size_t n, const char *needle)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(lines[i], needle))
			return true;
	return false;
}

static void test_pool(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	struct cs_pool pool;
	unsigned n = 0;

	load_pool(fx, &pool);
	app_set_pool(app, &pool);
	assert_ptr_equal(app->pool, &app->pool_store);
	assert_int_equal(pool.n, 0); /* app took the hosts */
	assert_true(app->badge_pool);
	assert_string_equal(VERDICT(app->v_pool), "ERROR"); /* no model yet */
	/* the pool line takes a row of the verdict bar, after the start
	 * verdict and the compare answers */
	assert_int_equal(app->layout.verdict.h, 4);
	assert_int_equal(app_fix_row(app), 3);

	/* badges count the hosts that cannot run each model */
	assert_int_equal(app_badge(app, M_MID, &n), BADGE_RUNS);
	assert_int_equal(app_badge(app, M_TOP, &n), BADGE_MISSING);
	assert_int_equal(n, 1);
	assert_int_equal(app_badge(app, M_BIG, &n), BADGE_MISSING);
	assert_int_equal(n, 2);
	assert_int_equal(app_pool_have(app, F_AVX), 2);
	assert_int_equal(app_pool_have(app, F_AVX2), 1);
	assert_int_equal(app_pool_have(app, F_VMX), 1);
	app_apply(app, ACT_BADGES);
	assert_false(app->badge_pool);
	assert_int_equal(app_badge(app, M_TOP, &n), BADGE_RUNS); /* the host runs it */
	app_apply(app, ACT_BADGES);
	assert_true(app->badge_pool);

	/* 'top' runs on the host but not on the 'mid' node: it lacks avx2 */
	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_string_equal(VERDICT(app->v_cpu), "SUPERSET");
	assert_string_equal(VERDICT(app->v_pool), "INCOMPATIBLE");
	assert_int_equal(app->v_pool.nbad, 1);
	assert_int_equal(app->v_pool.first_bad, 1);
	assert_true(cs_fset_test(&app->v_pool.missing, F_AVX2));
	assert_non_null(strstr(app->v_pool.message, "nodes.xml+2"));
	assert_non_null(strstr(app->v_pool.message, "avx2"));
	assert_true(app_feature_is_problem(app, F_AVX2));
	/* the fix covers the pool; the fallback must run on the host and the pool */
	assert_non_null(strstr(app->fix_text, "disable 1 feature (avx2)"));
	assert_int_equal(app->fix_model, M_MID);

	/* the pool view names each host and its verdict */
	app_apply(app, ACT_POOL);
	assert_int_equal(app->view, PANE_POOL);
	assert_int_equal(app_key_context(app), KCTX_POOL);
	app_prepare(app);
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "2 hosts: 1 can run the guest, 1 cannot."));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n, "nodes.xml+1"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "nodes.xml+2  incompatible  mid +1"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "does not provide required features"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "avx2                 1 of 2 (the guest"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "Models every host runs:"));

	/* the fix makes it run everywhere */
	app_apply(app, ACT_FIX);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX2), CS_POLICY_DISABLE);
	assert_string_equal(VERDICT(app->v_pool), "SUPERSET");
	assert_int_equal(app->v_pool.nbad, 0);
	app_prepare(app);
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "every one can run the guest"));
	app_apply(app, ACT_UNDO);
	assert_string_equal(VERDICT(app->v_pool), "INCOMPATIBLE");

	/* forbidding what one node has fails on that node */
	feature_to(app, F_VMX);
	app_apply(app, ACT_POLICY_FORBID);
	assert_string_equal(VERDICT(app->v_pool), "INCOMPATIBLE");
	assert_true(cs_fset_test(&app->v_pool.forbidden, F_VMX));
	app_apply(app, ACT_UNDO);

	/* B: the pool's baseline as the guest, as cpu-baseline prints it */
	assert_non_null(app->pool_base);
	assert_non_null(strstr(app->pool_base_text, "mid, vendor Intel, 1 feature required"));
	app->guest->has_topology = true; /* as if edited: kept by B */
	app->guest->sockets = 2;
	app_apply(app, ACT_BASELINE);
	assert_int_equal(app->guest->model, M_MID);
	assert_int_equal(app->guest->vendor_idx, V_INTEL);
	assert_int_equal(engine_guest_policy(app->guest, F_AVX), CS_POLICY_REQUIRE);
	assert_int_equal(app->guest->sockets, 2); /* topology kept */
	assert_string_equal(VERDICT(app->v_pool), "SUPERSET");
	assert_int_equal(view_tree_model(app), M_MID);
	app_apply(app, ACT_UNDO);
	assert_int_equal(app->guest->model, M_TOP);

	/* Esc leaves the pool view */
	app_apply(app, ACT_POOL);
	app_apply(app, ACT_ESCAPE);
	assert_int_equal(app->view, PANE_FEATURES);

	/* no pool: the actions say so */
	app_set_pool(app, NULL);
	assert_null(app->pool);
	assert_string_equal(VERDICT(app->v_pool), "NO HOST");
	assert_int_equal(app_fix_row(app), 2);
	app_apply(app, ACT_BASELINE);
	assert_true(app->status_error);
	assert_non_null(strstr(app->status, "no pool"));
	cs_pool_release(&pool);
}

/* P: hosts added from a file while the explorer runs. */
static void test_pool_add(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char path[128], bad[128], ppc[128], line[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/nodes.xml", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("<cpu><arch>x86_64</arch><model>mid</model><vendor>Intel</vendor></cpu>\n", f);
	fclose(f);
	snprintf(bad, sizeof(bad), "%s/bad.xml", fx->dir);
	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("<cpu><arch>x86_64</arch>\n<model>mid\n", f);
	fclose(f);
	snprintf(ppc, sizeof(ppc), "%s/ppc.xml", fx->dir);
	f = fopen(ppc, "w");
	assert_non_null(f);
	fputs("<cpu><arch>ppc64</arch><model>POWER9</model></cpu>\n", f);
	fclose(f);

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_null(app->pool);
	/* a bad file: an error naming it, still no pool */
	assert_int_equal(app_add_pool_file(app, bad), -1);
	assert_true(app->status_error);
	assert_non_null(strstr(app->status, "bad.xml"));
	assert_null(app->pool);
	/* another architecture is refused */
	assert_int_equal(app_add_pool_file(app, ppc), -1);
	assert_true(app->status_error);
	assert_null(app->pool);
	/* through the prompt */
	app_apply(app, ACT_POOL_ADD);
	assert_int_equal(app->mode, MODE_PROMPT);
	assert_int_equal(app->prompt, PROMPT_POOL);
	type(app, path);
	app_input(app, '\n');
	assert_non_null(app->pool);
	assert_int_equal(app->pool->n, 1);
	assert_int_equal(app->view, PANE_POOL);
	assert_true(app->badge_pool);
	assert_int_equal(app->layout.verdict.h, 4);
	assert_string_equal(VERDICT(app->v_pool), "INCOMPATIBLE"); /* mid lacks avx, avx2 */
	snprintf(line, sizeof(line), "pool: 1 host added from %s, 1 in all", path);
	assert_string_equal(app->status, line);
	/* again: the same CPU twice is one distinct CPU */
	assert_int_equal(app_add_pool_file(app, path), 1);
	assert_int_equal(app->pool->n, 2);
	assert_int_equal(app->pool->ndistinct, 1);
	assert_int_equal(app->v_pool.nbad, 2);
	app_prepare(app);
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "2 hosts (1 distinct CPUs)"));
	assert_true(lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "nodes.xml+1, nodes.xml+2") ||
	            lines_have(app->text[PANE_POOL].lines, app->text[PANE_POOL].n,
	                       "nodes.xml, nodes.xml"));
	/* a bad file later leaves the pool as it was */
	assert_int_equal(app_add_pool_file(app, bad), -1);
	assert_int_equal(app->pool->n, 2);
}

/* A map whose models chain 200,000 deep: the tree is built without
 * recursion, each row one level deeper. */
static void test_deep_tree(void **state)
{
	size_t n = 200000, len;
	char *buf = chain_yaml(CHAIN_HEAD, n, false, "", &len);
	struct cs_error err = {0};
	struct app_host cpu, kvm;
	struct cs_map *map;
	struct app app;

	(void)state;
	map = cs_map_load_yaml_buffer(buf, len, "deep.yaml", &err);
	free(buf);
	assert_non_null(map);
	fixture_absent(&cpu, "host", "no host");
	fixture_absent(&kvm, "KVM", "no KVM");
	app_init(&app, map, &cpu, &kvm);
	assert_int_equal(app.ntrows, n);
	assert_int_equal(app.trows[n - 1].model, (int)n - 1);
	assert_int_equal(app.trows[n - 1].depth, n - 1);
	assert_true(app.trows[n - 1].last);
	assert_false(app.trows[n - 1].has_children);
	/* collapsing the root hides the rest */
	app_apply(&app, ACT_FOCUS_TREE);
	app_apply(&app, ACT_HOME);
	app_apply(&app, ACT_LEFT);
	assert_int_equal(app.ntrows, 1);
	app_release(&app);
	cs_map_free(map);
}

/* y and Y: the guest's XML and -cpu argument, as an OSC 52 sequence. */
static void test_copy(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	char *seq;

	/* the encoding: base64 with padding, selection c, ended by BEL */
	static const char *const cases[][2] = {
	        {"", "\033]52;c;\a"},
	        {"f", "\033]52;c;Zg==\a"},
	        {"fo", "\033]52;c;Zm8=\a"},
	        {"foobar", "\033]52;c;Zm9vYmFy\a"},
	        {"<cpu>\n\xff", "\033]52;c;PGNwdT4K/w==\a"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		seq = engine_osc52(cases[i][0]);
		assert_string_equal(seq, cases[i][1]);
		free(seq);
	}

	tree_to(app, M_TOP);
	app_apply(app, ACT_PICK);
	assert_int_equal(app_apply(app, ACT_COPY) & APP_CLIPBOARD, APP_CLIPBOARD);
	assert_non_null(strstr(app->clip, "<model fallback='allow'>top</model>"));
	assert_non_null(strstr(app->status, "copied the guest <cpu> XML"));
	assert_int_equal(app_apply(app, ACT_COPY_ARG) & APP_CLIPBOARD, APP_CLIPBOARD);
	assert_string_equal(app->clip, "-cpu top");
	assert_false(app->status_error);
	/* the keys */
	assert_int_equal(keys_lookup(KCTX_GLOBAL, 'y', true), ACT_COPY);
	assert_int_equal(keys_lookup(KCTX_GLOBAL, 'Y', true), ACT_COPY_ARG);
}

/* On a Haswell host with TSX off, Haswell fails for hle and rtm: the fix
 * falls back to Haswell-noTSX, and the output view says why. */
static void test_fix_without_tsx(void **state)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load("tests/data/cpu_map-9.0.0", &err);
	struct engine_host_opts opts = {"tests/data/cputest/x86_64-cpuid-Xeon-E5-2650-v3-host.xml",
	                                NULL};
	const struct cs_arch *arch;
	struct app_host cpu, kvm;
	struct app app;
	bool why = false, tsx = false;

	(void)state;
	assert_non_null(map);
	arch = cs_map_arch(map, "x86");
	engine_probe(map, arch, &opts, &cpu, &kvm);
	assert_true(cpu.present);
	app_init(&app, map, &cpu, &kvm);
	tree_to(&app, cs_arch_find_model(arch, "Haswell"));
	app_apply(&app, ACT_PICK);
	assert_string_equal(VERDICT(app.v_cpu), "INCOMPATIBLE");
	assert_int_equal(app.fix_model, cs_arch_find_model(arch, "Haswell-noTSX"));
	assert_non_null(strstr(app.fix_text, "fall back to model Haswell-noTSX"));
	app_apply(&app, ACT_FOCUS_OUTPUT);
	app_prepare(&app);
	for (size_t i = 0; i < app.text[PANE_OUTPUT].n; i++) {
		why |= !strcmp(app.text[PANE_OUTPUT].lines[i], "Why the host lacks them:");
		tsx |= strstr(app.text[PANE_OUTPUT].lines[i], "hle, rtm: TSX:") != NULL;
	}
	assert_true(why);
	assert_true(tsx);
	/* with a pool, its view names the model and how many hosts run it */
	{
		static const char *const files[] = {
		        "tests/data/cputest/x86_64-cpuid-Xeon-E5-2650-v3-host.xml",
		        "tests/data/cputest/x86_64-cpuid-Xeon-E5-2650-v4-host.xml",
		        "tests/data/cputest/x86_64-cpuid-Xeon-Gold-6148-host.xml",
		};
		struct cs_pool pool;

		cs_pool_init(&pool, map);
		for (size_t i = 0; i < 3; i++)
			assert_int_equal(cs_pool_add_file(&pool, files[i], &err), 1);
		app_set_pool(&app, &pool);
		app_apply(&app, ACT_POOL);
		app_prepare(&app);
		app_resize(&app, 40, 160);
		app_prepare(&app);
		assert_true(lines_have(app.text[PANE_POOL].lines, app.text[PANE_POOL].n,
		                       "Haswell-noTSX is Haswell without hle, rtm: 3 of 3 hosts "
		                       "run it."));
		app_apply(&app, ACT_ESCAPE);
	}
	app_apply(&app, ACT_FALLBACK);
	assert_int_equal(app.guest->model, cs_arch_find_model(arch, "Haswell-noTSX"));
	assert_string_equal(VERDICT(app.v_cpu), "SUPERSET");
	assert_string_equal(VERDICT(app.v_pool), "SUPERSET");
	app_release(&app);
	cs_map_free(map);
}

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
	        cmocka_unit_test_setup_teardown(test_save_and_open, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_domain_keeps_all_but_cpu, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_quit, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_filters_sort_source, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_focus_and_views, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mark_and_diff, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_help_and_redraw, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mouse, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_kvm_side, setup_kvm, teardown),
	        cmocka_unit_test_setup_teardown(test_probe_files, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pool, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_pool_add, setup, teardown),
	        cmocka_unit_test(test_deep_tree),
	        cmocka_unit_test(test_fix_without_tsx),
	        cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
