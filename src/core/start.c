/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* start.c: the start verdict: libvirt's start-up steps for a guest CPU, then QEMU's */
#include "cpuscope/start.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/guest.h"
#include "cpuscope/host.h"
#include "cpuscope/qmp.h"
#include "cpuscope/versions.h"
#include "cpuscope/xalloc.h"
#include "qemu_tables.h"

const char *cs_start_step_name(enum cs_start_step s)
{
	switch (s) {
	case CS_STEP_NONE:
		return "none";
	case CS_STEP_TOPOLOGY:
		return "topology";
	case CS_STEP_MODE:
		return "mode";
	case CS_STEP_FORBIDDEN:
		return "forbidden";
	case CS_STEP_PARTIAL:
		return "partial";
	case CS_STEP_UPDATE:
		return "update";
	case CS_STEP_TRANSLATE:
		return "translate";
	case CS_STEP_QEMU_PROPERTY:
		return "qemu-property";
	case CS_STEP_QEMU_ENFORCE:
		return "qemu-enforce";
	case CS_STEP_QEMU_START:
		return "qemu-start";
	case CS_STEP_INVTSC:
		return "invtsc";
	case CS_STEP_FULL:
		return "full";
	}
	return "?";
}

const char *cs_start_outcome_name(enum cs_start_outcome o)
{
	switch (o) {
	case CS_START_STARTS:
		return "starts";
	case CS_START_DROPS:
		return "starts with features dropped";
	case CS_START_REFUSED:
		return "refused";
	}
	return "?";
}

const char *cs_start_actor_name(enum cs_start_actor a)
{
	switch (a) {
	case CS_ACTOR_NONE:
		return NULL;
	case CS_ACTOR_LIBVIRT:
		return "libvirt";
	case CS_ACTOR_QEMU:
		return "qemu";
	}
	return NULL;
}

void cs_start_verdict_release(struct cs_start_verdict *v)
{
	if (!v)
		return;
	cs_cpudef_free(v->updated);
	free(v->cpu_arg);
	v->updated = NULL;
	v->cpu_arg = NULL;
}

/* Mark v refused at step by who, with message (already in libvirt's or
 * QEMU's words) under libvirt's prefix for the error it raises. */
static void refuse(struct cs_start_verdict *v, enum cs_start_actor who, enum cs_start_step step,
                   enum cs_libvirt_msg prefix, const char *message)
{
	v->outcome = CS_START_REFUSED;
	v->refused_by = who;
	v->step = step;
	cs_libvirt_msg_format(v->message, sizeof(v->message), NULL, prefix, message);
}

/* Names of the features in s, in map order, joined by sep. */
static void join_names(const struct cs_arch *arch, const struct cs_fset *s, const char *sep,
                       char *buf, size_t size)
{
	size_t len = 0;
	int id;

	buf[0] = '\0';
	cs_fset_foreach (id, s) {
		int n = snprintf(buf + len, size - len, "%s%s", len ? sep : "",
		                 arch->features[id].name);

		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
}

/* ---- libvirt's steps ------------------------------------------------------- */

/* check's default, filled in when libvirt defines the domain. */
static enum cs_cpu_check effective_check(const struct cs_cpudef *g, enum cs_virt_type virt)
{
	if (g->check != CS_CPU_CHECK_DEFAULT)
		return g->check;
	switch (g->mode) {
	case CS_CPU_MODE_HOST_MODEL:
		return CS_CPU_CHECK_PARTIAL;
	case CS_CPU_MODE_CUSTOM:
		if (g->model < 0 && !g->model_name)
			return CS_CPU_CHECK_DEFAULT;
		return virt == CS_VIRT_KVM ? CS_CPU_CHECK_PARTIAL : CS_CPU_CHECK_NONE;
	case CS_CPU_MODE_HOST_PASSTHROUGH:
	case CS_CPU_MODE_MAXIMUM:
		return CS_CPU_CHECK_NONE;
	}
	return CS_CPU_CHECK_NONE;
}

static bool topology_fits(const struct cs_cpudef *g, unsigned vcpus)
{
	unsigned long long n;

	if (!g->has_topology || !vcpus)
		return true;
	/* libvirt 9.0 has no clusters: the attribute is not read. */
	n = (unsigned long long)g->sockets * (g->dies ? g->dies : 1) * g->cores * g->threads;
	return n == vcpus;
}

/* virCPUCheckForbiddenFeatures: the features the full host CPU lists (not
 * its model's) that the guest forbids. */
static bool forbidden_listed(const struct cs_cpudef *host, const struct cs_cpudef *g,
                             struct cs_start_verdict *v)
{
	for (size_t i = 0; host && i < g->nfeatures; i++) {
		int pol;

		if (g->features[i].policy != CS_POLICY_FORBID || g->features[i].id < 0)
			continue;
		pol = cs_cpudef_feature_policy(host, (unsigned)g->features[i].id);
		if (pol < 0 || pol == CS_POLICY_DISABLE || pol == CS_POLICY_FORBID)
			continue;
		char msg[256];

		cs_libvirt_msg_format(msg, sizeof(msg), NULL, CS_LIBVIRT_MSG_FORBIDDEN_FEATURE,
		                      cs_cpudef_feature_name(g, i));
		refuse(v, CS_ACTOR_LIBVIRT, CS_STEP_FORBIDDEN,
		       CS_LIBVIRT_MSG_CPU_INCOMPATIBLE_REASON, msg);
		return true;
	}
	return false;
}

static int libvirt_steps(const struct cs_hypervisor *hv, const struct cs_start_input *in,
                         struct cs_start_verdict *v, struct cs_error *err)
{
	const struct cs_cpudef *g = in->guest;
	struct cs_error e = {0};
	char msg[512];

	if (!topology_fits(g, in->vcpus)) {
		refuse(v, CS_ACTOR_LIBVIRT, CS_STEP_TOPOLOGY, CS_LIBVIRT_MSG_ERR_CONFIG_UNSUPPORTED,
		       cs_libvirt_msg(NULL, CS_LIBVIRT_MSG_TOPOLOGY_VCPUS));
		return 0;
	}
	if (g->mode == CS_CPU_MODE_CUSTOM && g->model < 0 && !g->model_name)
		return 0; /* only a topology: no CPU work at all */
	if (!hv->mode_supported[g->mode]) {
		cs_libvirt_msg_format(msg, sizeof(msg), NULL, CS_LIBVIRT_MSG_MODE_UNSUPPORTED,
		                      cs_cpu_mode_name(g->mode), "x86_64",
		                      cs_virt_type_name(hv->virt), "x86_64");
		refuse(v, CS_ACTOR_LIBVIRT, CS_STEP_MODE, CS_LIBVIRT_MSG_ERR_CONFIG_UNSUPPORTED,
		       msg);
		return 0;
	}
	if (v->check != CS_CPU_CHECK_NONE && forbidden_listed(hv->host_full, g, v))
		return 0;
	if (g->mode == CS_CPU_MODE_CUSTOM || g->mode == CS_CPU_MODE_HOST_MODEL) {
		if (v->check == CS_CPU_CHECK_PARTIAL && hv->host_full) {
			if (cs_compare(hv->host_full, g, &v->partial, err) < 0)
				return -1;
			v->has_partial = true;
			if (v->partial.compat == CS_COMPAT_INCOMPATIBLE) {
				char *why = cs_compare_message(&v->partial);

				refuse(v, CS_ACTOR_LIBVIRT, CS_STEP_PARTIAL,
				       CS_LIBVIRT_MSG_CPU_INCOMPATIBLE_REASON, why);
				free(why);
				return 0;
			}
		}
	}
	v->updated = cs_guest_update_models(g, hv->host_model, hv->models, hv->nmodels, &e);
	if (!v->updated) {
		if (e.code == CS_ERR_INCOMPATIBLE)
			refuse(v, CS_ACTOR_LIBVIRT, CS_STEP_TRANSLATE,
			       CS_LIBVIRT_MSG_ERR_CONFIG_UNSUPPORTED, e.msg);
		else
			refuse(v, CS_ACTOR_LIBVIRT, CS_STEP_UPDATE, CS_LIBVIRT_MSG_ERR_INTERNAL,
			       e.msg);
	}
	return 0;
}

/* ---- what QEMU does --------------------------------------------------------- */

static const char *qemu_model_name(const struct cs_cpudef *def)
{
	switch (def->mode) {
	case CS_CPU_MODE_HOST_PASSTHROUGH:
		return "host";
	case CS_CPU_MODE_MAXIMUM:
		return "max";
	case CS_CPU_MODE_CUSTOM:
	case CS_CPU_MODE_HOST_MODEL:
		break;
	}
	return cs_cpudef_model_name(def) ? cs_cpudef_model_name(def) : "qemu64";
}

/* A feature asked for that QEMU has no property for: QEMU stops at the
 * first one, naming the model's QOM type. */
static bool unknown_property(const struct cs_cpudef *def, struct cs_start_verdict *v)
{
	for (size_t i = 0; i < def->nfeatures; i++) {
		const char *name = cs_cpudef_feature_name(def, i);
		const char *model = qemu_model_name(def);

		if (def->features[i].policy != CS_POLICY_REQUIRE &&
		    def->features[i].policy != CS_POLICY_FORCE)
			continue;
		if (cs_qemu_knows_feature(name))
			continue;
		char msg[384];

		/* QEMU's wording (qom/object.c, qdev globals), as QEMU 7.2 prints it */
		snprintf(msg, sizeof(msg),
		         "qemu-system-x86_64: can't apply global %s-x86_64-cpu.%s=on: "
		         "Property '%s-x86_64-cpu.%s' not found",
		         model, cs_qemu_feature_name(name), model, cs_qemu_feature_name(name));
		refuse(v, CS_ACTOR_QEMU, CS_STEP_QEMU_PROPERTY, CS_LIBVIRT_MSG_QEMU_EXITED, msg);
		return true;
	}
	return false;
}

/* QEMU clears the features whose parent the vCPU does not ask for before
 * it looks at the accelerator (its feature dependencies): the SVM leaf
 * (CPUID 0x8000000A) without svm, Intel PT's (CPUID 0x14) without
 * intel-pt, the IA32_ARCH_CAPABILITIES bits (MSR 0x10A) without
 * arch-capabilities, IA32_CORE_CAPABILITIES (MSR 0xCF) without
 * core-capability.  Asking for one of them then has no effect, and no
 * "doesn't support requested feature" warning. */
static void without_parents(const struct cs_arch *arch, struct cs_fset *s)
{
	static const struct {
		const char *parent;
		enum cs_item_kind kind;
		uint32_t leaf;
	} deps[] = {
	        {"svm", CS_ITEM_CPUID, 0x8000000a},
	        {"intel-pt", CS_ITEM_CPUID, 0x14},
	        {"arch-capabilities", CS_ITEM_MSR, 0x10a},
	        {"core-capability", CS_ITEM_MSR, 0xcf},
	};
	int id;

	for (size_t i = 0; i < sizeof(deps) / sizeof(deps[0]); i++) {
		int parent = cs_arch_find_feature(arch, deps[i].parent);

		if (parent < 0 || cs_fset_test(s, (unsigned)parent))
			continue;
		cs_fset_foreach (id, s)
			if (arch->features[id].nitems &&
			    arch->features[id].items[0].kind == deps[i].kind &&
			    arch->features[id].items[0].leaf == deps[i].leaf)
				cs_fset_clear(s, (unsigned)id);
	}
}

/* The features -cpu asks QEMU for, before the accelerator filters them. */
static void requested(const struct cs_hypervisor *hv, const struct cs_cpudef *def,
                      struct cs_fset *out)
{
	const struct cs_arch *arch = def->arch;

	cs_fset_zero(out);
	if (def->mode == CS_CPU_MODE_HOST_PASSTHROUGH || def->mode == CS_CPU_MODE_MAXIMUM) {
		*out = hv->gives;
	} else if (def->model >= 0) {
		const struct cs_qemu_model_row *row =
		        hv->virt == CS_VIRT_QEMU ? cs_qemu_tcg_model(arch, def->model, 7, 2) : NULL;

		if (row)
			cs_qemu_names_to_set(arch, row->on, out);
		else if (hv->virt == CS_VIRT_KVM)
			cs_qemu_model_features(arch, def->model, out);
		else
			cs_qemu_model_features_tcg(arch, def->model, out);
	}
	cs_fset_union(out, out, &def->by_policy[CS_POLICY_REQUIRE]);
	cs_fset_union(out, out, &def->by_policy[CS_POLICY_FORCE]);
	cs_fset_diff(out, out, &def->by_policy[CS_POLICY_DISABLE]);
	cs_fset_diff(out, out, &def->by_policy[CS_POLICY_FORBID]);
	without_parents(arch, out);
}

/* What QEMU leaves out: for a model, the blockers libvirt's domain
 * capabilities list for it (QEMU's own word), else what the accelerator
 * cannot give; for features asked for by name, what it cannot give. */
static void predict_dropped(const struct cs_hypervisor *hv, const struct cs_cpudef *def,
                            const struct cs_fset *req, struct cs_fset *out)
{
	const struct cs_qemu_model_row *row = NULL;
	struct cs_fset named;

	cs_fset_diff(out, req, &hv->gives);
	if (def->mode != CS_CPU_MODE_CUSTOM || def->model < 0)
		return;
	if (!hv->has_blockers && hv->virt == CS_VIRT_QEMU)
		row = cs_qemu_tcg_model(def->arch, def->model, 7, 2);
	if (!hv->has_blockers && !row)
		return;
	cs_fset_union(&named, &def->by_policy[CS_POLICY_REQUIRE], &def->by_policy[CS_POLICY_FORCE]);
	cs_fset_intersect(out, out, &named);
	if (row) {
		struct cs_fset b;

		cs_fset_zero(&b);
		cs_qemu_names_to_set(def->arch, row->unavailable, &b);
		cs_fset_intersect(&b, &b, req);
		cs_fset_union(out, out, &b);
		return;
	}
	for (size_t i = 0; i < hv->nmodels; i++) {
		struct cs_fset b;

		if (hv->models[i].model != def->model)
			continue;
		cs_fset_intersect(&b, &hv->models[i].blockers, req);
		cs_fset_union(out, out, &b);
	}
}

/* virCPUx86UpdateLive with check='full': the vCPU against the definition. */
static void full_check(const struct cs_cpudef *def, const struct cs_fset *filtered,
                       struct cs_start_verdict *v)
{
	const struct cs_arch *arch = def->arch;
	struct cs_fset on, off;
	char extra[384], missing[384], msg[840];
	int id;

	cs_fset_union(&on, &def->by_policy[CS_POLICY_REQUIRE], &def->by_policy[CS_POLICY_FORCE]);
	cs_fset_union(&off, &def->by_policy[CS_POLICY_DISABLE], &def->by_policy[CS_POLICY_FORBID]);
	if (def->mode == CS_CPU_MODE_CUSTOM && def->model >= 0) {
		cs_fset_union(&on, &on, &arch->models[def->model].features);
		cs_fset_diff(&on, &on, &off);
		cs_fset_zero(&off);
		for (id = 0; (size_t)id < arch->nfeatures; id++)
			if (!cs_fset_test(&on, (unsigned)id))
				cs_fset_set(&off, (unsigned)id);
	}
	/* QEMU has no property for these, so it never reports them. */
	for (id = 0; (size_t)id < arch->nfeatures; id++)
		if (!cs_qemu_knows_feature(arch->features[id].name)) {
			cs_fset_clear(&on, (unsigned)id);
			cs_fset_clear(&off, (unsigned)id);
		}
	cs_fset_intersect(&v->extra, &v->vcpu, &off);
	cs_fset_diff(&v->missing, &on, &v->vcpu);
	/* What QEMU filtered out counts as missing whatever the model says. */
	cs_fset_union(&v->missing, &v->missing, filtered);
	if (v->check != CS_CPU_CHECK_FULL)
		return;
	if (cs_fset_is_empty(&v->extra) && cs_fset_is_empty(&v->missing))
		return;
	join_names(arch, &v->extra, ",", extra, sizeof(extra));
	join_names(arch, &v->missing, ",", missing, sizeof(missing));
	if (*extra && *missing)
		cs_libvirt_msg_format(msg, sizeof(msg), NULL, CS_LIBVIRT_MSG_LIVE_EXTRA_MISSING,
		                      extra, missing);
	else if (*extra)
		cs_libvirt_msg_format(msg, sizeof(msg), NULL, CS_LIBVIRT_MSG_LIVE_EXTRA, extra);
	else
		cs_libvirt_msg_format(msg, sizeof(msg), NULL, CS_LIBVIRT_MSG_LIVE_MISSING, missing);
	refuse(v, CS_ACTOR_LIBVIRT, CS_STEP_FULL, CS_LIBVIRT_MSG_ERR_OPERATION_FAILED, msg);
}

/* qemuProcessVerifyCPUFeatures, once QEMU runs: a definition whose model
 * and features (required and forced, less disabled and forbidden) include
 * invariant TSC is refused when the vCPU QEMU made lacks it.  A custom CPU
 * without a model is not checked. */
static void invtsc_check(const struct cs_cpudef *def, struct cs_start_verdict *v)
{
	const struct cs_arch *arch = def->arch;
	int id = cs_arch_find_feature(arch, "invtsc");
	struct cs_fset on;

	if (id < 0 || (def->mode == CS_CPU_MODE_CUSTOM && def->model < 0))
		return;
	cs_fset_zero(&on);
	if (def->model >= 0)
		on = arch->models[def->model].features;
	cs_fset_union(&on, &on, &def->by_policy[CS_POLICY_REQUIRE]);
	cs_fset_union(&on, &on, &def->by_policy[CS_POLICY_FORCE]);
	cs_fset_diff(&on, &on, &def->by_policy[CS_POLICY_DISABLE]);
	cs_fset_diff(&on, &on, &def->by_policy[CS_POLICY_FORBID]);
	if (cs_fset_test(&on, (unsigned)id) && !cs_fset_test(&v->vcpu, (unsigned)id))
		refuse(v, CS_ACTOR_LIBVIRT, CS_STEP_INVTSC, CS_LIBVIRT_MSG_ERR_CONFIG_UNSUPPORTED,
		       cs_libvirt_msg(NULL, CS_LIBVIRT_MSG_NO_INVTSC));
}

/* QEMU feature names back to map features. */
static void names_to_set(const struct cs_arch *arch, const char *const *names, size_t n,
                         struct cs_fset *out)
{
	cs_fset_zero(out);
	for (size_t i = 0; i < n; i++) {
		int id = cs_arch_find_feature(arch,
		                              cs_qemu_version_feature_from_qemu(NULL, names[i]));

		if (id >= 0)
			cs_fset_set(out, (unsigned)id);
	}
}

void cs_start_qemu_from_verify(const struct cs_qemu_verify *v, struct cs_start_qemu *q)
{
	memset(q, 0, sizeof(*q));
	q->asked = true;
	q->started = v->started;
	q->message = v->message;
	q->enabled = (const char *const *)v->enabled;
	q->nenabled = v->nenabled;
	q->filtered = (const char *const *)v->filtered;
	q->nfiltered = v->nfiltered;
	q->warnings = (const char *const *)v->warnings;
	q->nwarnings = v->nwarnings;
}

bool cs_qemu_warning_feature(const char *line, char *buf, size_t size)
{
	static const char mark[] = "doesn't support requested feature: ";
	const char *p = strstr(line, mark), *end, *dot;
	size_t n;

	if (!p)
		return false;
	p += sizeof(mark) - 1;
	end = strstr(p, " [bit");
	if (!end)
		return false;
	for (dot = end; dot > p && dot[-1] != '.'; dot--)
		;
	n = (size_t)(end - dot);
	if (dot == p || !n || n >= size || memchr(dot, ':', n))
		return false;
	memcpy(buf, dot, n);
	buf[n] = '\0';
	return true;
}

/* The features QEMU's warnings name as dropped. */
static void warned_set(const struct cs_arch *arch, const struct cs_start_qemu *q,
                       struct cs_fset *out)
{
	char name[64];

	cs_fset_zero(out);
	for (size_t i = 0; i < q->nwarnings; i++) {
		const char *one[1] = {name};
		struct cs_fset s;

		if (!cs_qemu_warning_feature(q->warnings[i], name, sizeof(name)))
			continue;
		names_to_set(arch, one, 1, &s);
		cs_fset_union(out, out, &s);
	}
}

static void qemu_steps(const struct cs_hypervisor *hv, const struct cs_start_input *in,
                       const struct cs_start_qemu *q, struct cs_start_verdict *v)
{
	const struct cs_cpudef *def = v->updated;
	struct cs_fset req, filtered;

	if (q && q->asked) {
		v->verified = true;
		if (!q->started) {
			refuse(v, CS_ACTOR_QEMU, CS_STEP_QEMU_START, CS_LIBVIRT_MSG_QEMU_EXITED,
			       q->message ? q->message : "QEMU refused to start");
			return;
		}
		names_to_set(def->arch, q->enabled, q->nenabled, &v->vcpu);
		names_to_set(def->arch, q->filtered, q->nfiltered, &filtered);
		/* Named as dropped: what QEMU says it drops, as its log will. */
		warned_set(def->arch, q, &v->dropped);
		v->vcpu_known = true;
	} else {
		if (unknown_property(def, v))
			return;
		requested(hv, def, &req);
		predict_dropped(hv, def, &req, &filtered);
		cs_fset_diff(&v->vcpu, &req, &filtered);
		v->vcpu_known = true;
		v->dropped = filtered;
		if (hv->virt == CS_VIRT_KVM && hv->nested) {
			int id = cs_arch_find_feature(def->arch, "arch-capabilities");

			if (id >= 0 && cs_fset_test(&v->vcpu, (unsigned)id))
				snprintf(v->caveat, sizeof(v->caveat),
				         "on a nested host KVM may refuse the arch-capabilities "
				         "MSR; only QEMU can tell (ask it with --verify)");
		}
	}
	if (in->enforce && !cs_fset_is_empty(&v->dropped)) {
		char names[384], msg[448];

		join_names(def->arch, &v->dropped, ", ", names, sizeof(names));
		snprintf(msg, sizeof(msg),
		         "with enforce, QEMU refuses what the host cannot give: %s", names);
		refuse(v, CS_ACTOR_QEMU, CS_STEP_QEMU_ENFORCE, CS_LIBVIRT_MSG_QEMU_EXITED, msg);
		return;
	}
	invtsc_check(def, v);
	if (v->outcome == CS_START_REFUSED)
		return;
	full_check(def, &filtered, v);
	if (v->outcome != CS_START_REFUSED)
		v->outcome = cs_fset_is_empty(&v->dropped) ? CS_START_STARTS : CS_START_DROPS;
}

int cs_start_verdict(const struct cs_hypervisor *hv, const struct cs_start_input *in,
                     const struct cs_start_qemu *q, struct cs_start_verdict *out,
                     struct cs_error *err)
{
	const struct cs_cpudef *g = in->guest;

	memset(out, 0, sizeof(*out));
	out->outcome = CS_START_STARTS;
	if (!g)
		return 0; /* no <cpu>: QEMU's default CPU */
	if (!g->arch || g->arch != hv->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, g->file, g->line,
		             "the start verdict covers x86 guests");
		return -1;
	}
	out->check = effective_check(g, hv->virt);
	if (libvirt_steps(hv, in, out, err) < 0) {
		cs_start_verdict_release(out);
		return -1;
	}
	if (out->outcome == CS_START_REFUSED)
		return 0;
	if (!out->updated) /* a topology alone: QEMU's default CPU */
		return 0;
	out->cpu_arg = cs_qemu_cpu_arg(out->updated, in->enforce);
	qemu_steps(hv, in, q, out);
	return 0;
}

char *cs_start_summary(const struct cs_start_verdict *v, const struct cs_arch *arch)
{
	char names[512], *s;
	size_t size = sizeof(v->message) + 64;

	s = cs_xmalloc(size);
	switch (v->outcome) {
	case CS_START_STARTS:
		snprintf(s, size, "starts");
		break;
	case CS_START_DROPS:
		join_names(arch, &v->dropped, ", ", names, sizeof(names));
		snprintf(s, size, "starts without %s", names);
		break;
	case CS_START_REFUSED:
		snprintf(s, size, "refused by %s: %s", cs_start_actor_name(v->refused_by),
		         v->message);
		break;
	}
	return s;
}
