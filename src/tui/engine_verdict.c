/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_verdict.c: every verdict the explorer shows, from one place */
#include "tui/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/pool.h"

const char *engine_verdict_name(enum app_verdict_state state, enum cs_compat compat)
{
	switch (state) {
	case VERDICT_NONE:
		return "NO HOST";
	case VERDICT_ERROR:
		return "ERROR";
	case VERDICT_DONE:
		break;
	}
	switch (compat) {
	case CS_COMPAT_IDENTICAL:
		return "IDENTICAL";
	case CS_COMPAT_SUPERSET:
		return "SUPERSET";
	case CS_COMPAT_INCOMPATIBLE:
		break;
	}
	return "INCOMPATIBLE";
}

bool engine_verdict_runs(enum app_verdict_state state, enum cs_compat compat)
{
	return state == VERDICT_DONE && compat != CS_COMPAT_INCOMPATIBLE;
}

bool engine_verdict_fails(enum app_verdict_state state, enum cs_compat compat)
{
	return state == VERDICT_DONE && compat == CS_COMPAT_INCOMPATIBLE;
}

/* The guest against one host side, as virsh cpu-compare answers.
 *
 * This is the one place a single verdict is computed: the verdict bar's two
 * sides and every tree badge come through here.  When the core offers its
 * own "start verdict" entry point (whether the guest would start, with its
 * reasons), it replaces the cs_compare() call and the wording below. */
static void verdict_one(const struct app_host *h, const struct cs_cpudef *def,
                        struct app_verdict *out)
{
	struct cs_compare_result res;
	struct cs_error err = {0};
	char *msg;

	memset(out, 0, sizeof(*out));
	if (!h->present || !h->def) {
		out->state = VERDICT_NONE;
		snprintf(out->message, sizeof(out->message), "%s", h->detail);
		return;
	}
	if (engine_guest_is_incomplete(def)) {
		out->state = VERDICT_ERROR;
		snprintf(out->message, sizeof(out->message), "no CPU model chosen");
		return;
	}
	if (cs_compare(h->def, def, &res, &err) < 0) {
		out->state = VERDICT_ERROR;
		cs_error_format(&err, out->message, sizeof(out->message));
		return;
	}
	out->state = VERDICT_DONE;
	out->compat = res.compat;
	out->missing = res.missing;
	out->forbidden = res.forbidden;
	if (res.reason == CS_REASON_STRICT)
		out->extra = res.extra;
	out->vendor_mismatch = res.reason == CS_REASON_VENDOR;
	if (res.compat == CS_COMPAT_INCOMPATIBLE) {
		msg = cs_compare_message(&res);
		snprintf(out->message, sizeof(out->message), "%s", msg ? msg : "incompatible");
		free(msg);
	} else {
		snprintf(out->message, sizeof(out->message), "%s",
		         res.compat == CS_COMPAT_IDENTICAL
		                 ? "identical to the host CPU"
		                 : "the host CPU is a superset of the guest");
	}
}

/* The guest against every host of the pool. */
static void verdict_pool(const struct cs_pool *pool, const struct cs_cpudef *def,
                         struct cs_compare_result *res, struct app_pool_verdict *out)
{
	struct cs_pool_verdict v;
	struct cs_error err = {0};

	memset(out, 0, sizeof(*out));
	if (!pool || !pool->n) {
		out->state = VERDICT_NONE;
		snprintf(out->message, sizeof(out->message), "no pool: --pool FILE");
		return;
	}
	out->nhosts = pool->n;
	out->first_bad = pool->n;
	if (engine_guest_is_incomplete(def)) {
		out->state = VERDICT_ERROR;
		snprintf(out->message, sizeof(out->message), "no CPU model chosen");
		return;
	}
	if (cs_pool_compare(pool, def, res, &v, &err) < 0) {
		out->state = VERDICT_ERROR;
		cs_error_format(&err, out->message, sizeof(out->message));
		return;
	}
	out->state = VERDICT_DONE;
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
		out->compat = CS_COMPAT_INCOMPATIBLE;
		snprintf(out->message, sizeof(out->message), "%s: %s",
		         pool->hosts[v.first_bad].name, msg);
		free(msg);
	} else {
		out->compat = v.identical == pool->n ? CS_COMPAT_IDENTICAL : CS_COMPAT_SUPERSET;
		snprintf(out->message, sizeof(out->message), "every host of the pool runs it");
	}
}

void engine_judge(const struct app_host *cpu, const struct app_host *kvm,
                  const struct cs_pool *pool, const struct cs_cpudef *def,
                  struct cs_compare_result *pool_res, struct app_verdict *v_cpu,
                  struct app_verdict *v_kvm, struct app_pool_verdict *v_pool)
{
	verdict_one(cpu, def, v_cpu);
	verdict_one(kvm, def, v_kvm);
	verdict_pool(pool, def, pool_res, v_pool);
}

void engine_model_verdict(const struct app_host *h, struct cs_cpudef *scratch, int model,
                          struct app_verdict *v)
{
	scratch->mode = CS_CPU_MODE_CUSTOM;
	scratch->match = CS_CPU_MATCH_EXACT;
	scratch->check = CS_CPU_CHECK_DEFAULT;
	scratch->fallback = CS_CPU_FALLBACK_ALLOW;
	scratch->has_topology = false;
	cs_cpudef_set_model(scratch, model);
	cs_cpudef_set_vendor(scratch, -1);
	cs_cpudef_clear_features(scratch);
	verdict_one(h, scratch, v);
}

bool engine_model_runs(const struct app_host *h, struct cs_cpudef *scratch, int model,
                       unsigned *nmissing)
{
	struct app_verdict v;

	engine_model_verdict(h, scratch, model, &v);
	if (nmissing)
		*nmissing = cs_fset_count(&v.missing);
	return engine_verdict_runs(v.state, v.compat);
}
