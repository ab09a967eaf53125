/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_conn.c: the explorer's host follows the libvirt domain it opens */
#include "tui/app_int.h"

#include <stdio.h>
#include <string.h>

#include "tui/engine.h"
#include "tui/engine_conn.h"
#include "tui/engine_start.h"

void app_conn_host(struct app *app, const char *ref)
{
	struct app_host cpu, kvm;
	struct cs_error err = {0};
	char label[sizeof(app->host_brand)];

	/* only while a connection is the host, and for another domain */
	if (!engine_conn_current() || !engine_is_domain_ref(ref) || !strcmp(engine_conn_ref(), ref))
		return;
	/* on failure the opening that follows says why */
	if (engine_conn_probe(app->map, app->arch, ref, &cpu, &kvm, label, sizeof(label), &err) < 0)
		return;
	engine_host_release(&app->cpu);
	engine_host_release(&app->kvm);
	app->cpu = cpu;
	app->kvm = kvm;
	engine_start_release(&app->start);
	engine_start_setup(&app->start, app->map, &app->cpu, &app->kvm);
	engine_conn_start_setup(&app->start, app->map);
	snprintf(app->host_brand, sizeof(app->host_brand), "%s", label);
	app_compute_badges(app);
}
