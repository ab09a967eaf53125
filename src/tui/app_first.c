/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_first.c: the first screen: the best model the host runs, host-model and host-passthrough */
#include "tui/app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"
#include "tui/view.h"

int app_best_model(const struct app *app, int vendor)
{
	const struct app_host *ref = app_ref_host(app);
	const struct cs_arch *arch = app->arch;
	bool *runs;
	int best;

	if (!ref->present)
		return -1;
	runs = cs_xcalloc(arch->nmodels + 1, sizeof(*runs));
	for (size_t m = 0; m < arch->nmodels; m++)
		runs[m] = app->badge[m] == BADGE_RUNS &&
		          (vendor < 0 || arch->models[m].vendor == vendor);
	/* What keeps the host's x86-64 level and most of its features. */
	best = engine_fallback_model(arch, &ref->features, -1, vendor, runs);
	free(runs);
	return best;
}

/* The start verdicts of host-model and host-passthrough: they follow from
 * the host alone. */
static void mode_verdicts(struct app *app)
{
	static const enum cs_cpu_mode modes[APP_HOST_MODES] = {CS_CPU_MODE_HOST_MODEL,
	                                                       CS_CPU_MODE_HOST_PASSTHROUGH};

	for (int i = 0; i < APP_HOST_MODES; i++)
		app->mode_outcome[i] =
		        engine_start_mode(&app->start, app->map, app->arch, modes[i],
		                          app->mode_text[i], sizeof(app->mode_text[i]));
}

void app_first_screen(struct app *app, bool have_guest)
{
	const struct app_host *ref = app_ref_host(app);
	int vendor = ref->present ? ref->vendor : -1;
	int g = app->guest->model;

	mode_verdicts(app);
	/* The host's vendor's models, unless the guest opened is another's. */
	if (vendor >= 0 && vendor < (int)app->arch->nvendors &&
	    (g < 0 || app->arch->models[g].vendor < 0 || app->arch->models[g].vendor == vendor))
		app->vendor_filter = vendor;
	if (!have_guest) {
		int best = app_best_model(app, vendor);
		if (best >= 0) {
			engine_guest_set_model(app->guest, best);
			app->guest->mode = CS_CPU_MODE_CUSTOM;
		} else if (ref->present) {
			app->guest->mode = CS_CPU_MODE_HOST_MODEL;
		}
		engine_guest_free(app->saved);
		app->saved = engine_guest_copy(app->guest);
		app->view = PANE_SUMMARY;
		app->focus = PANE_TREE;
	}
	view_tree_build(app);
	app->tree_need = view_tree_need(app);
	if (app->guest->model >= 0)
		view_tree_show_model(app, app->guest->model);
	app_resize(app, app->layout.rows ? app->layout.rows : 24,
	           app->layout.cols ? app->layout.cols : 80);
	app_recompute(app);
	app_changed(app, VIEW_CHANGED_MODEL);
}
