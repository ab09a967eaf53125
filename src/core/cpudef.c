/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpudef.c: build, copy and edit libvirt <cpu> definitions; what CPU one describes */
#include "cpuscope/cpudef.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpudef_int.h"
#include "cpuscope/xalloc.h"

static const char *host_arch_name(const struct cs_arch *arch)
{
	if (!arch)
		return NULL;
	if (!strcmp(arch->name, "x86"))
		return "x86_64";
	if (!strcmp(arch->name, "arm"))
		return "aarch64";
	return arch->name;
}

struct cs_cpudef *cs_cpudef_new(const struct cs_map *map, const struct cs_arch *arch,
                                enum cs_cpu_type type)
{
	struct cs_cpudef *def = cs_xcalloc(1, sizeof(*def));

	def->map = map;
	def->arch = arch;
	def->type = type;
	def->mode = CS_CPU_MODE_CUSTOM;
	def->match = CS_CPU_MATCH_EXACT;
	def->model = -1;
	def->vendor_idx = -1;
	if (type == CS_CPU_TYPE_HOST)
		def->arch_name = cs_xstrdup(host_arch_name(arch));
	return def;
}

static void raw_release(struct cs_cpu_raw *r)
{
	free(r->name);
	free(r->text);
	free(r->indent);
}

void cs_cpudef_free(struct cs_cpudef *def)
{
	if (!def)
		return;
	for (size_t i = 0; i < def->nfeatures; i++)
		free(def->features[i].name);
	free(def->features);
	for (size_t i = 0; i < def->nraw; i++)
		raw_release(&def->raw[i]);
	free(def->raw);
	free(def->arch_name);
	free(def->model_name);
	free(def->vendor_id);
	free(def->vendor);
	free(def->file);
	free(def);
}

void cs_cpudef_list_free(struct cs_cpudef **defs, size_t ndefs)
{
	if (!defs)
		return;
	for (size_t i = 0; i < ndefs; i++)
		cs_cpudef_free(defs[i]);
	free(defs);
}

struct cs_cpudef *cs_cpudef_copy(const struct cs_cpudef *def)
{
	struct cs_cpudef *c = cs_xmalloc(sizeof(*c));

	*c = *def;
	c->arch_name = cs_xstrdup(def->arch_name);
	c->model_name = cs_xstrdup(def->model_name);
	c->vendor_id = cs_xstrdup(def->vendor_id);
	c->vendor = cs_xstrdup(def->vendor);
	c->file = cs_xstrdup(def->file);
	c->features = NULL;
	c->features_cap = 0;
	if (def->nfeatures) {
		CS_GROW(c->features, c->features_cap, def->nfeatures);
		for (size_t i = 0; i < def->nfeatures; i++) {
			c->features[i] = def->features[i];
			c->features[i].name = cs_xstrdup(def->features[i].name);
		}
	}
	c->raw = NULL;
	if (def->nraw) {
		c->raw = cs_xcalloc(def->nraw, sizeof(*c->raw));
		for (size_t i = 0; i < def->nraw; i++) {
			c->raw[i] = def->raw[i];
			c->raw[i].name = cs_xstrdup(def->raw[i].name);
			c->raw[i].text = cs_xstrdup(def->raw[i].text);
			c->raw[i].indent = cs_xstrdup(def->raw[i].indent);
		}
	}
	return c;
}

void cs_cpudef_set_model(struct cs_cpudef *def, int model)
{
	def->model = model;
	free(def->model_name);
	def->model_name = NULL;
}

void cs_cpudef_set_vendor(struct cs_cpudef *def, int vendor)
{
	free(def->vendor);
	def->vendor = NULL;
	def->vendor_idx = -1;
	if (vendor >= 0 && def->arch && (size_t)vendor < def->arch->nvendors) {
		def->vendor = cs_xstrdup(def->arch->vendors[vendor].name);
		def->vendor_idx = vendor;
	}
}

static long find_feature(const struct cs_cpudef *def, unsigned id)
{
	for (size_t i = 0; i < def->nfeatures; i++)
		if (def->features[i].id == (int)id)
			return (long)i;
	return -1;
}

int cs_cpudef_feature_policy(const struct cs_cpudef *def, unsigned id)
{
	if (id >= CS_FSET_MAX)
		return -1;
	for (int p = 0; p < CS_POLICY_COUNT; p++)
		if (cs_fset_test(&def->by_policy[p], id))
			return p;
	return -1;
}

void cs_cpudef_set_feature(struct cs_cpudef *def, unsigned id, enum cs_policy policy)
{
	long i;

	if (id >= CS_FSET_MAX)
		return;
	if (def->type == CS_CPU_TYPE_HOST)
		policy = CS_POLICY_NONE;
	i = cs_cpudef_feature_policy(def, id) >= 0 ? find_feature(def, id) : -1;
	if (i >= 0) {
		cs_fset_clear(&def->by_policy[def->features[i].policy], id);
		def->features[i].policy = policy;
	} else {
		CS_GROW(def->features, def->features_cap, def->nfeatures + 1);
		def->features[def->nfeatures].id = (int)id;
		def->features[def->nfeatures].name = NULL;
		def->features[def->nfeatures].policy = policy;
		def->features[def->nfeatures].line = 0;
		def->nfeatures++;
	}
	cs_fset_set(&def->by_policy[policy], id);
}

bool cs_cpudef_remove_feature(struct cs_cpudef *def, unsigned id)
{
	long i;

	if (cs_cpudef_feature_policy(def, id) < 0)
		return false;
	i = find_feature(def, id);
	if (i < 0)
		return false;
	cs_fset_clear(&def->by_policy[def->features[i].policy], id);
	free(def->features[i].name);
	memmove(&def->features[i], &def->features[i + 1],
	        (def->nfeatures - (size_t)i - 1) * sizeof(def->features[0]));
	def->nfeatures--;
	return true;
}

void cs_cpudef_clear_features(struct cs_cpudef *def)
{
	for (size_t i = 0; i < def->nfeatures; i++)
		free(def->features[i].name);
	def->nfeatures = 0;
	for (int p = 0; p < CS_POLICY_COUNT; p++)
		cs_fset_zero(&def->by_policy[p]);
}

const char *cs_cpudef_model_name(const struct cs_cpudef *def)
{
	if (def->model >= 0 && def->arch && (size_t)def->model < def->arch->nmodels)
		return def->arch->models[def->model].name;
	return def->model_name;
}

const char *cs_cpudef_feature_name(const struct cs_cpudef *def, size_t i)
{
	const struct cs_cpu_feature *f = &def->features[i];

	if (f->id >= 0 && def->arch && (size_t)f->id < def->arch->nfeatures)
		return def->arch->features[f->id].name;
	return f->name ? f->name : "";
}

uint32_t cs_cpudef_signature(const struct cs_cpudef *def)
{
	uint32_t sig = 0;
	unsigned family = def->sig_family;

	if (!family)
		return 0;
	if (family > 0xf)
		sig |= (0xfu << 8) | ((uint32_t)(family - 0xf) << 20);
	else
		sig |= (uint32_t)family << 8;
	sig |= ((uint32_t)(def->sig_model & 0xf) << 4) | ((uint32_t)(def->sig_model & 0xf0) << 12);
	sig |= def->sig_stepping & 0xf;
	return sig;
}

int cs_cpudef_check_resolved(const struct cs_cpudef *def, struct cs_error *err)
{
	if (def->model_name) {
		cs_error_set(err, CS_ERR_UNKNOWN, def->file, def->line, "Unknown CPU model %s",
		             def->model_name);
		return -1;
	}
	for (size_t i = 0; i < def->nfeatures; i++) {
		if (def->features[i].id < 0) {
			cs_error_set(err, CS_ERR_UNKNOWN, def->file, def->features[i].line,
			             "Unknown CPU feature %s", def->features[i].name);
			return -1;
		}
	}
	return 0;
}

int cs_cpudef_to_facts(const struct cs_cpudef *def, struct cs_cpu_facts *out, struct cs_error *err)
{
	struct cs_cpu_facts f;

	memset(&f, 0, sizeof(f));
	f.vendor = -1;
	if (!def->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, def->file, def->line,
		             "the CPU map has no section for architecture %s",
		             def->arch_name ? def->arch_name : "x86");
		return -1;
	}
	if (cs_cpudef_check_resolved(def, err) < 0)
		return -1;
	if (def->vendor) {
		if (def->vendor_idx < 0) {
			cs_error_set(err, CS_ERR_UNKNOWN, def->file, def->line,
			             "Unknown CPU vendor %s", def->vendor);
			return -1;
		}
		f.vendor = def->vendor_idx;
	}
	f.signature = cs_cpudef_signature(def);
	if (def->model >= 0)
		f.features = def->arch->models[def->model].features;
	cs_fset_union(&f.features, &f.features, &def->by_policy[CS_POLICY_FORCE]);
	cs_fset_union(&f.features, &f.features, &def->by_policy[CS_POLICY_REQUIRE]);
	cs_fset_union(&f.features, &f.features, &def->by_policy[CS_POLICY_NONE]);
	cs_fset_diff(&f.features, &f.features, &def->by_policy[CS_POLICY_DISABLE]);
	cs_fset_diff(&f.features, &f.features, &def->by_policy[CS_POLICY_FORBID]);
	*out = f;
	return 0;
}

struct cs_cpudef *cs_cpudef_from_decoded(const struct cs_map *map, const struct cs_arch *arch,
                                         const struct cs_decoded *dec)
{
	struct cs_cpudef *def = cs_cpudef_new(map, arch, CS_CPU_TYPE_HOST);
	int id;

	cs_cpudef_set_model(def, dec->model);
	cs_cpudef_set_vendor(def, dec->vendor);
	if (dec->signature)
		cs_signature_split(dec->signature, &def->sig_family, &def->sig_model,
		                   &def->sig_stepping);
	cs_fset_foreach (id, &dec->require)
		cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_NONE);
	return def;
}

struct cs_cpudef *cs_cpudef_guest_from_decoded(const struct cs_map *map, const struct cs_arch *arch,
                                               const struct cs_decoded *dec)
{
	struct cs_cpudef *def = cs_cpudef_new(map, arch, CS_CPU_TYPE_GUEST);
	struct cs_fset missing, appended;
	int id;

	cs_cpudef_set_model(def, dec->model);
	cs_cpudef_set_vendor(def, dec->vendor);
	cs_fset_foreach (id, &dec->require)
		cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_REQUIRE);
	cs_fset_zero(&appended);
	if (dec->model >= 0)
		appended = arch->models[dec->model].removed;
	cs_fset_diff(&missing, &dec->disable, &appended);
	cs_fset_intersect(&appended, &dec->disable, &appended);
	cs_fset_foreach (id, &missing)
		cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_DISABLE);
	cs_fset_foreach (id, &appended)
		cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_DISABLE);
	return def;
}
