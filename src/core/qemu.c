/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu.c: the guest CPU libvirt 9.0 starts QEMU with: update, effective features, -cpu */
#include "cpuscope/guest.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/compare.h"
#include "cpuscope/escape.h"
#include "cpuscope/host.h"
#include "cpuscope/versions.h"
#include "cpuscope/xalloc.h"
#include "strbuf.h"

const char *cs_qemu_feature_name(const char *name)
{
	return cs_qemu_version_feature_name(NULL, name);
}

static bool is_passthrough(const struct cs_cpudef *def)
{
	return def->mode == CS_CPU_MODE_HOST_PASSTHROUGH || def->mode == CS_CPU_MODE_MAXIMUM;
}

/* Does the guest take its model from the host at start-up? */
static bool takes_host_model(const struct cs_cpudef *g)
{
	return g->mode == CS_CPU_MODE_HOST_MODEL ||
	       (g->mode == CS_CPU_MODE_CUSTOM && g->match == CS_CPU_MATCH_MINIMUM);
}

/* The features host lists as on (optional too when asked) and as off, less
 * those that are not migratable (invtsc, xsaves): libvirt updates a guest
 * against the host's migratable CPU, which does not list them. */
static void host_lists(const struct cs_cpudef *host, bool optional, struct cs_fset *on,
                       struct cs_fset *off)
{
	const struct cs_fset *p = host->by_policy;

	cs_fset_union(on, &p[CS_POLICY_FORCE], &p[CS_POLICY_REQUIRE]);
	cs_fset_union(on, on, &p[CS_POLICY_NONE]);
	if (optional)
		cs_fset_union(on, on, &p[CS_POLICY_OPTIONAL]);
	cs_fset_union(off, &p[CS_POLICY_DISABLE], &p[CS_POLICY_FORBID]);
	for (size_t f = 0; f < host->arch->nfeatures; f++) {
		if (host->arch->features[f].migratable)
			continue;
		cs_fset_clear(on, (unsigned)f);
		cs_fset_clear(off, (unsigned)f);
	}
}

/* The host CPU as facts: its model's features with its own list applied,
 * only the migratable part of the list unless all is set. */
static int host_facts(const struct cs_cpudef *guest, const struct cs_cpudef *host, bool all,
                      struct cs_cpu_facts *facts, struct cs_error *err)
{
	struct cs_fset on, off;

	if (!host) {
		cs_error_set(err, CS_ERR_INVALID, guest->file, guest->line,
		             "a %s guest CPU depends on the host CPU: give one",
		             guest->mode == CS_CPU_MODE_CUSTOM ? "match='minimum'"
		                                               : cs_cpu_mode_name(guest->mode));
		return -1;
	}
	if (host->arch != guest->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, host->file, host->line,
		             "the guest and host CPUs use different maps");
		return -1;
	}
	if (cs_cpudef_to_facts(host, facts, err) < 0)
		return -1;
	if (all)
		return 0;
	host_lists(host, false, &on, &off);
	cs_fset_zero(&facts->features);
	if (host->model >= 0)
		facts->features = host->arch->models[host->model].features;
	cs_fset_union(&facts->features, &facts->features, &on);
	cs_fset_diff(&facts->features, &facts->features, &off);
	return 0;
}

int cs_guest_effective(const struct cs_cpudef *guest, const struct cs_cpudef *host,
                       struct cs_effective *out, struct cs_error *err)
{
	const struct cs_fset *p = guest->by_policy;
	const struct cs_arch *arch = guest->arch;
	struct cs_cpu_facts hf;
	struct cs_fset on, off, model_set;
	int model = guest->model;

	memset(out, 0, sizeof(*out));
	out->model = -1;
	if (!arch || guest->model_name) {
		cs_error_set_libvirt(err, CS_ERR_UNKNOWN, guest->file, guest->line, NULL,
		                     CS_LIBVIRT_MSG_UNKNOWN_MODEL,
		                     guest->model_name ? guest->model_name : "");
		return -1;
	}
	cs_fset_union(&on, &p[CS_POLICY_FORCE], &p[CS_POLICY_REQUIRE]);
	cs_fset_union(&on, &on, &p[CS_POLICY_NONE]);
	cs_fset_union(&off, &p[CS_POLICY_DISABLE], &p[CS_POLICY_FORBID]);

	if (is_passthrough(guest) || takes_host_model(guest) ||
	    (host && !cs_fset_is_empty(&p[CS_POLICY_OPTIONAL]))) {
		struct cs_fset opt_on, opt_off;
		/* host-passthrough and maximum with migratable='off' see all of
		 * the host; otherwise QEMU and libvirt keep to its migratable
		 * part. */
		bool all = is_passthrough(guest) && guest->migratable == CS_TRISTATE_OFF;

		if (host_facts(guest, host, all, &hf, err) < 0)
			return -1;
		/* optional features follow the host */
		cs_fset_intersect(&opt_on, &p[CS_POLICY_OPTIONAL], &hf.features);
		cs_fset_diff(&opt_off, &p[CS_POLICY_OPTIONAL], &hf.features);
		cs_fset_union(&on, &on, &opt_on);
		cs_fset_union(&off, &off, &opt_off);
	} else {
		out->undecided = p[CS_POLICY_OPTIONAL];
	}

	if (is_passthrough(guest)) {
		cs_fset_union(&out->features, &hf.features, &on);
		cs_fset_diff(&out->features, &out->features, &off);
		out->added = out->features;
		return 0;
	}
	if (takes_host_model(guest)) {
		/* The host's model and list, with the guest's own features
		 * updating it. */
		struct cs_fset listed, host_on, host_off;

		model = host->model;
		cs_fset_union(&listed, &on, &off);
		host_lists(host, true, &host_on, &host_off);
		cs_fset_diff(&host_on, &host_on, &listed);
		cs_fset_diff(&host_off, &host_off, &listed);
		cs_fset_union(&on, &on, &host_on);
		cs_fset_union(&off, &off, &host_off);
	}
	cs_fset_zero(&model_set);
	if (model >= 0)
		model_set = arch->models[model].features;
	cs_fset_union(&out->features, &model_set, &on);
	cs_fset_diff(&out->features, &out->features, &off);
	cs_fset_diff(&out->features, &out->features, &out->undecided);
	cs_fset_diff(&out->added, &out->features, &model_set);
	cs_fset_diff(&out->removed, &model_set, &out->features);
	out->model = model;
	return 0;
}

static bool in_allowed(const struct cs_allowed_model *allowed, size_t n, int model)
{
	for (size_t i = 0; i < n; i++)
		if (allowed[i].model == model)
			return true;
	return false;
}

int cs_guest_translate(struct cs_cpudef *def, const struct cs_allowed_model *allowed,
                       size_t nallowed, struct cs_error *err)
{
	struct cs_decode_opts opts = {.mode = CS_DECODE_GUEST};
	const struct cs_fset *p = def->by_policy;
	const struct cs_model *m;
	struct cs_cpu_facts data;
	struct cs_decoded dec;
	struct cs_cpudef *tr;

	if (def->mode != CS_CPU_MODE_CUSTOM || def->model < 0 || !allowed || !def->arch ||
	    strcmp(def->arch->name, "x86") != 0 || in_allowed(allowed, nallowed, def->model))
		return 0;
	m = &def->arch->models[def->model];
	if (def->fallback == CS_CPU_FALLBACK_FORBID) {
		cs_error_set_libvirt(err, CS_ERR_INCOMPATIBLE, def->file, def->line, NULL,
		                     CS_LIBVIRT_MSG_MODEL_UNSUPPORTED, m->name);
		return -1;
	}
	/* The CPU the definition asks for, as CPUID data would show it: the
	 * model's vendor and first signature (lowest stepping) included, so
	 * that decoding prefers a model of the same family and generation. */
	data.vendor = m->vendor;
	data.signature = 0;
	if (m->nsigs) {
		unsigned stepping = 0;

		while (m->sigs[0].steppings && !((m->sigs[0].steppings >> stepping) & 1))
			stepping++;
		data.signature = cs_signature_make(m->sigs[0].family, m->sigs[0].model, stepping);
	}
	data.features = m->features;
	cs_fset_union(&data.features, &data.features, &p[CS_POLICY_FORCE]);
	cs_fset_union(&data.features, &data.features, &p[CS_POLICY_REQUIRE]);
	cs_fset_diff(&data.features, &data.features, &p[CS_POLICY_DISABLE]);
	cs_fset_diff(&data.features, &data.features, &p[CS_POLICY_FORBID]);

	opts.allowed = allowed;
	opts.nallowed = nallowed;
	if (cs_decode(def->arch, &data, &opts, &dec, err) < 0)
		return -1;
	/* The decoded list first, then the definition's own features, each
	 * changing an entry in place or appended (so force and forbid stay). */
	tr = cs_cpudef_guest_from_decoded(def->map, def->arch, &dec);
	for (size_t i = 0; i < def->nfeatures; i++)
		cs_cpudef_set_feature(tr, (unsigned)def->features[i].id, def->features[i].policy);
	cs_cpudef_set_model(def, dec.model);
	cs_cpudef_clear_features(def);
	for (size_t i = 0; i < tr->nfeatures; i++)
		cs_cpudef_set_feature(def, (unsigned)tr->features[i].id, tr->features[i].policy);
	cs_cpudef_free(tr);
	return 0;
}

/* Drop the disabled and forbidden features QEMU has no property for: what
 * QEMU does not know, a guest does not get anyway.  Required ones stay (and
 * make QEMU fail), as libvirt leaves them. */
static void drop_unknown_to_qemu(struct cs_cpudef *def)
{
	size_t i = 0;

	if (!def->arch || strcmp(def->arch->name, "x86") != 0)
		return;
	while (i < def->nfeatures) {
		const struct cs_cpu_feature *f = &def->features[i];

		if ((f->policy == CS_POLICY_DISABLE || f->policy == CS_POLICY_FORBID) &&
		    !cs_qemu_knows_feature(cs_cpudef_feature_name(def, i)) && f->id >= 0)
			cs_cpudef_remove_feature(def, (unsigned)f->id);
		else
			i++;
	}
}

/* Translate def to QEMU 7.2's models, with the blockers host's features
 * give (none without a host). */
static int translate(struct cs_cpudef *def, const struct cs_cpudef *host,
                     const struct cs_allowed_model *given, size_t ngiven, struct cs_error *err)
{
	struct cs_allowed_model *allowed;
	struct cs_cpu_facts hf;
	size_t n;
	int ret;

	if (def->mode != CS_CPU_MODE_CUSTOM || def->model < 0)
		return 0;
	if (given)
		return cs_guest_translate(def, given, ngiven, err);
	if (host && host->arch == def->arch && cs_cpudef_to_facts(host, &hf, NULL) == 0)
		allowed = cs_qemu_allowed_models(def->arch, &hf.features, &n);
	else
		allowed = cs_qemu_allowed_models(def->arch, NULL, &n);
	ret = cs_guest_translate(def, allowed, n, err);
	free(allowed);
	return ret;
}

struct cs_cpudef *cs_guest_update(const struct cs_cpudef *guest, const struct cs_cpudef *host,
                                  struct cs_error *err)
{
	return cs_guest_update_models(guest, host, NULL, 0, err);
}

struct cs_cpudef *cs_guest_update_models(const struct cs_cpudef *guest,
                                         const struct cs_cpudef *host,
                                         const struct cs_allowed_model *allowed, size_t nallowed,
                                         struct cs_error *err)
{
	struct cs_cpudef *def;
	struct cs_cpu_facts hf;
	bool relative;
	int id;

	if (!guest->arch || guest->model_name) {
		cs_error_set_libvirt(err, CS_ERR_UNKNOWN, guest->file, guest->line, NULL,
		                     CS_LIBVIRT_MSG_UNKNOWN_MODEL,
		                     guest->model_name ? guest->model_name : "");
		return NULL;
	}
	def = cs_cpudef_copy(guest);
	def->type = CS_CPU_TYPE_GUEST;
	free(def->arch_name);
	def->arch_name = NULL;
	if (is_passthrough(guest)) {
		/* libvirt defaults host-passthrough to migratable='on' when
		 * QEMU has the property (QEMU 7.2 has it); maximum stays as is. */
		if (def->mode == CS_CPU_MODE_HOST_PASSTHROUGH &&
		    def->migratable == CS_TRISTATE_DEFAULT)
			def->migratable = CS_TRISTATE_ON;
		cs_cpudef_filter_qemu(def);
		drop_unknown_to_qemu(def);
		return def;
	}
	/* Optional features are resolved against the host; without one they
	 * stay optional (and -cpu leaves them to the model's default). */
	relative = takes_host_model(guest) ||
	           (host && !cs_fset_is_empty(&guest->by_policy[CS_POLICY_OPTIONAL]));
	if (relative) {
		if (host_facts(guest, host, false, &hf, err) < 0)
			goto fail;
		for (size_t i = 0; i < def->nfeatures; i++) {
			struct cs_cpu_feature *f = &def->features[i];

			if (f->policy != CS_POLICY_OPTIONAL)
				continue;
			cs_fset_clear(&def->by_policy[CS_POLICY_OPTIONAL], (unsigned)f->id);
			f->policy = cs_fset_test(&hf.features, (unsigned)f->id) ? CS_POLICY_REQUIRE
			                                                        : CS_POLICY_DISABLE;
			cs_fset_set(&def->by_policy[f->policy], (unsigned)f->id);
		}
	}
	if (takes_host_model(guest)) {
		struct cs_cpudef *own = cs_cpudef_copy(def);

		cs_cpudef_set_model(def, host->model);
		cs_cpudef_clear_features(def);
		for (size_t i = 0; i < host->nfeatures; i++) {
			enum cs_policy pol = host->features[i].policy;

			if (host->features[i].id < 0 ||
			    !host->arch->features[host->features[i].id].migratable)
				continue;
			cs_cpudef_set_feature(def, (unsigned)host->features[i].id,
			                      pol == CS_POLICY_NONE ? CS_POLICY_REQUIRE : pol);
		}
		for (size_t i = 0; i < own->nfeatures; i++)
			cs_cpudef_set_feature(def, (unsigned)own->features[i].id,
			                      own->features[i].policy);
		if (guest->mode == CS_CPU_MODE_HOST_MODEL) {
			free(def->vendor);
			def->vendor = cs_xstrdup(host->vendor);
			def->vendor_idx = host->vendor_idx;
		}
		def->mode = CS_CPU_MODE_CUSTOM;
		def->match = CS_CPU_MATCH_EXACT;
		cs_cpudef_free(own);
	}
	if (def->model >= 0) {
		cs_fset_foreach (id, &def->arch->models[def->model].removed)
			if (cs_cpudef_feature_policy(def, (unsigned)id) < 0)
				cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_DISABLE);
	}
	if (translate(def, host, allowed, nallowed, err) < 0)
		goto fail;
	def->fallback = CS_CPU_FALLBACK_FORBID;
	cs_cpudef_filter_qemu(def);
	drop_unknown_to_qemu(def);
	return def;
fail:
	cs_cpudef_free(def);
	return NULL;
}

/* prefix, then value in QEMU's option syntax (escape.h). */
static void add_opt(struct cs_buf *b, const char *prefix, const char *value)
{
	char *v = cs_qemu_opt_escape(value);

	cs_buf_addf(b, "%s%s", prefix, v);
	free(v);
}

char *cs_qemu_cpu_arg(const struct cs_cpudef *def, bool enforce)
{
	struct cs_buf b = {0};
	const char *model = cs_cpudef_model_name(def);

	switch (def->mode) {
	case CS_CPU_MODE_HOST_PASSTHROUGH:
	case CS_CPU_MODE_MAXIMUM:
		cs_buf_add(&b, def->mode == CS_CPU_MODE_MAXIMUM ? "max" : "host");
		if (def->migratable != CS_TRISTATE_DEFAULT)
			cs_buf_addf(&b, ",migratable=%s",
			            def->migratable == CS_TRISTATE_ON ? "on" : "off");
		break;
	case CS_CPU_MODE_HOST_MODEL:
	case CS_CPU_MODE_CUSTOM:
		if (!model && !def->nfeatures) {
			if (!enforce)
				return NULL;
			cs_buf_add(&b, "qemu64");
			break;
		}
		add_opt(&b, "", model ? model : "qemu64");
		break;
	}
	if (def->vendor_id)
		add_opt(&b, ",vendor=", def->vendor_id);
	for (size_t i = 0; i < def->nfeatures; i++) {
		char *name =
		        cs_qemu_opt_escape(cs_qemu_feature_name(cs_cpudef_feature_name(def, i)));

		switch (def->features[i].policy) {
		case CS_POLICY_FORCE:
		case CS_POLICY_REQUIRE:
		case CS_POLICY_NONE:
			cs_buf_addf(&b, ",%s=on", name);
			break;
		case CS_POLICY_DISABLE:
		case CS_POLICY_FORBID:
			cs_buf_addf(&b, ",%s=off", name);
			break;
		case CS_POLICY_OPTIONAL:
			break;
		}
		free(name);
	}
	if (enforce)
		cs_buf_add(&b, ",enforce");
	return cs_buf_detach(&b);
}
