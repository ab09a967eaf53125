/* engine_pool.c: the explorer's pool of hosts: verdicts against all of them, and their baseline */
#include "tui/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/pool.h"

void engine_pool_compare(const struct cs_pool *pool, const struct cs_cpudef *def,
                         const struct app_guest *g, struct cs_compare_result *res,
                         struct app_pool_verdict *out)
{
	struct cs_pool_verdict v;
	struct cs_error err = {0};

	memset(out, 0, sizeof(*out));
	if (!pool || !pool->n) {
		out->result = COMPAT_NONE;
		snprintf(out->message, sizeof(out->message), "no pool: --pool FILE");
		return;
	}
	out->nhosts = pool->n;
	out->first_bad = pool->n;
	if (g->mode == GMODE_CUSTOM && g->model < 0) {
		out->result = COMPAT_ERROR;
		snprintf(out->message, sizeof(out->message), "no CPU model chosen");
		return;
	}
	if (cs_pool_compare(pool, def, res, &v, &err) < 0) {
		out->result = COMPAT_ERROR;
		cs_error_format(&err, out->message, sizeof(out->message));
		return;
	}
	out->nbad = v.incompatible;
	out->first_bad = v.first_bad;
	out->missing = v.missing;
	out->forbidden = v.forbidden;
	for (size_t i = 0; i < pool->ndistinct; i++) {
		if (res[i].reason == CS_REASON_STRICT)
			cs_fset_union(&out->extra, &out->extra, &res[i].extra);
		if (res[i].reason == CS_REASON_VENDOR)
			out->vendor_mismatch = true;
	}
	if (v.incompatible) {
		char *msg = cs_compare_message(&res[pool->hosts[v.first_bad].distinct]);
		out->result = COMPAT_INCOMPATIBLE;
		snprintf(out->message, sizeof(out->message), "%s: %s",
		         pool->hosts[v.first_bad].name, msg);
		free(msg);
	} else {
		out->result = v.identical == pool->n ? COMPAT_IDENTICAL : COMPAT_SUPERSET;
		snprintf(out->message, sizeof(out->message), "every host of the pool runs it");
	}
}

int engine_pool_baseline(const struct cs_pool *pool, struct app_guest *g, struct cs_error *err)
{
	struct cs_cpudef *base = cs_pool_baseline(pool, NULL, err);
	unsigned topo[TOPO_COUNT];

	if (!base)
		return -1;
	memcpy(topo, g->topo, sizeof(topo));
	engine_guest_from_def(base, g);
	memcpy(g->topo, topo, sizeof(topo));
	cs_cpudef_free(base);
	return 0;
}
