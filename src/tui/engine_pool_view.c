/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_pool_view.c: what the pool view asks of the core beyond loading: a baseline per vendor */
#include "tui/engine.h"

#include <stdio.h>

#include "cpuscope/compare.h"
#include "cpuscope/pool.h"

void engine_pool_vendor_baseline(const struct cs_pool *pool, int vendor, size_t *nhosts, char *buf,
                                 size_t size)
{
	struct cs_baseline b;
	struct cs_pool_cpu_view view;
	struct cs_error err = {0};
	struct cs_cpudef *res = NULL;
	char msg[300];

	*nhosts = 0;
	cs_baseline_init(&b, pool->map, NULL);
	for (size_t k = 0; k < pool->ndistinct; k++) {
		const struct cs_pool_host *h = &pool->hosts[pool->firsts[k]];
		if (h->facts.vendor != vendor)
			continue;
		*nhosts += h->copies;
		if (cs_baseline_add(&b, cs_pool_cpu_def(pool, h->cpu, &view), &err) < 0)
			goto out;
	}
	res = cs_baseline_finish(&b, &err);
out:
	if (res) {
		unsigned req = cs_fset_count(&res->by_policy[CS_POLICY_REQUIRE]);
		snprintf(buf, size, "%s, %u feature%s required",
		         res->model >= 0 ? pool->arch->models[res->model].name : "(no model)", req,
		         req == 1 ? "" : "s");
	} else {
		cs_error_format(&err, msg, sizeof(msg));
		snprintf(buf, size, "none: %s", msg);
	}
	cs_cpudef_free(res);
	cs_baseline_release(&b);
}
