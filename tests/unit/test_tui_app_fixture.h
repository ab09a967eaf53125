/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_app_fixture.h: the explorer state over the fixture map, shared by the app tests */
#ifndef CPUSCOPE_TEST_TUI_APP_FIXTURE_H
#define CPUSCOPE_TEST_TUI_APP_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_tui_fixture.h"
#include "tui/app.h"
#include "tui/engine.h"
#include "tui/view.h"

struct fx {
	struct cs_map *map;
	struct app app;
	char dir[64];
};

static inline int setup_with(void **state, bool with_kvm)
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

static inline int setup(void **state)
{
	return setup_with(state, false);
}

static inline int setup_kvm(void **state)
{
	return setup_with(state, true);
}

static inline int teardown(void **state)
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
static inline void tree_to(struct app *app, int m)
{
	app_apply(app, ACT_FOCUS_TREE);
	app_apply(app, ACT_HOME);
	for (size_t i = 0; i < app->ntrows && view_tree_model(app) != m; i++)
		app_apply(app, ACT_DOWN);
	assert_int_equal(view_tree_model(app), m);
}

/* Put the feature cursor on feature id, listing all features. */
static inline void feature_to(struct app *app, unsigned id)
{
	app_apply(app, ACT_FOCUS_FEATURES);
	while (app->source != SOURCE_ALL)
		app_apply(app, ACT_SOURCE);
	app_apply(app, ACT_HOME);
	for (size_t i = 0; i < app->nfrows && view_features_cursor(app) != (int)id; i++)
		app_apply(app, ACT_DOWN);
	assert_int_equal(view_features_cursor(app), (int)id);
}

static inline void type(struct app *app, const char *s)
{
	for (; *s; s++)
		app_input(app, (unsigned char)*s);
}

#endif
