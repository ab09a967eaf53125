/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* baseline.c: libvirt 9.0's x86 CPU baseline (virsh cpu-baseline), one CPU at a time */
#include "cpuscope/compare.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/decode.h"
#include "cpuscope/guest.h"
#include "cpuscope/versions.h"
#include "cpuscope/xalloc.h"

void cs_baseline_init(struct cs_baseline *b, const struct cs_map *map,
                      const struct cs_baseline_opts *opts)
{
	memset(b, 0, sizeof(*b));
	b->map = map;
	if (opts)
		b->opts = *opts;
	b->vendor = -1;
	b->output_vendor = true;
}

void cs_baseline_release(struct cs_baseline *b)
{
	if (!b)
		return;
	free(b->models);
	free(b->model_seen);
	free(b->arm_model);
	b->arm_model = NULL;
	b->models = NULL;
	b->model_seen = NULL;
	b->nmodels = b->models_cap = 0;
}

/* The CPU's model and full feature set over arch, looked up by name when
 * the CPU was parsed against another section of the map. */
static int cpu_data(const struct cs_baseline *b, const struct cs_cpudef *cpu, int *model,
                    struct cs_fset *data, struct cs_error *err)
{
	const struct cs_arch *arch = b->arch;
	const char *name = cs_cpudef_model_name(cpu);
	int m = cpu->arch == arch ? cpu->model : -1;

	if (!name) {
		cs_error_set_libvirt(err, CS_ERR_INVALID, cpu->file, cpu->line, NULL,
		                     CS_LIBVIRT_MSG_MISSING_MODEL_NAME);
		return -1;
	}
	if (m < 0)
		m = cs_arch_find_model(arch, name);
	if (m < 0) {
		cs_error_set_libvirt(err, CS_ERR_UNKNOWN, cpu->file, cpu->line, NULL,
		                     CS_LIBVIRT_MSG_UNKNOWN_MODEL, name);
		return -1;
	}
	*data = arch->models[m].features;
	for (size_t i = 0; i < cpu->nfeatures; i++) {
		const struct cs_cpu_feature *f = &cpu->features[i];
		int id = cpu->arch == arch ? f->id : -1;

		if (id < 0)
			id = cs_arch_find_feature(arch, cs_cpudef_feature_name(cpu, i));
		if (id < 0) {
			cs_error_set_libvirt(err, CS_ERR_UNKNOWN, cpu->file, f->line, NULL,
			                     CS_LIBVIRT_MSG_UNKNOWN_FEATURE,
			                     cs_cpudef_feature_name(cpu, i));
			return -1;
		}
		/* virsh parses baseline input as host CPUs, whose policies are
		 * ignored; a guest-type input (domcapabilities) keeps its own. */
		switch (f->policy) {
		case CS_POLICY_NONE:
		case CS_POLICY_FORCE:
		case CS_POLICY_REQUIRE:
			cs_fset_set(data, (unsigned)id);
			break;
		case CS_POLICY_DISABLE:
		case CS_POLICY_FORBID:
			cs_fset_clear(data, (unsigned)id);
			break;
		case CS_POLICY_OPTIONAL:
			break;
		}
	}
	*model = m;
	return 0;
}

static int find_vendor(const struct cs_baseline *b, const struct cs_cpudef *cpu, const char *name,
                       struct cs_error *err)
{
	int v = cs_arch_find_vendor(b->arch, name);

	if (v < 0)
		cs_error_set_libvirt(err, CS_ERR_UNKNOWN, cpu->file, cpu->line, NULL,
		                     CS_LIBVIRT_MSG_UNKNOWN_VENDOR, name);
	return v;
}

/* ppc64 CPUs carry no feature data: every CPU must name the first one's
 * model, and the result is that model. */
static int add_ppc64(struct cs_baseline *b, const struct cs_cpudef *cpu, struct cs_error *err)
{
	const char *name = cs_cpudef_model_name(cpu);
	int model, v;

	if (!b->ncpus) {
		model = name ? cs_arch_find_model(b->arch, name) : -1;
		if (model < 0) {
			cs_error_set_libvirt(err, CS_ERR_UNKNOWN, cpu->file, cpu->line, NULL,
			                     CS_LIBVIRT_MSG_UNKNOWN_MODEL, name ? name : "");
			return -1;
		}
		b->models = cs_xcalloc(1, sizeof(*b->models));
		b->models[0] = model;
		b->nmodels = b->models_cap = 1;
	}
	model = b->models[0];
	if (!name || strcmp(name, b->arch->models[model].name) != 0) {
		cs_error_set_libvirt(err, CS_ERR_INCOMPATIBLE, cpu->file, cpu->line, NULL,
		                     CS_LIBVIRT_MSG_CPUS_INCOMPATIBLE);
		return -1;
	}
	if (cpu->vendor) {
		int mv = b->arch->models[model].vendor;

		v = find_vendor(b, cpu, cpu->vendor, err);
		if (v < 0)
			return -1;
		if (mv >= 0 && mv != v) {
			cs_error_set_libvirt(err, CS_ERR_INCOMPATIBLE, cpu->file, cpu->line, NULL,
			                     CS_LIBVIRT_MSG_MODEL_VENDOR_DIFFERS,
			                     b->arch->vendors[mv].name, b->arch->models[model].name,
			                     cpu->vendor);
			return -1;
		}
	}
	b->ncpus++;
	return 0;
}

/* arm (libvirt's arm driver): every CPU needs a model, as virsh parses
 * them; the baseline is the first CPU's model, unchecked, and the others
 * (even of other architectures) play no part. */
static int add_arm(struct cs_baseline *b, const struct cs_cpudef *cpu, struct cs_error *err)
{
	const char *name = cs_cpudef_model_name(cpu);

	if (!name) {
		cs_error_set_libvirt(err, CS_ERR_INVALID, cpu->file, cpu->line, NULL,
		                     CS_LIBVIRT_MSG_MISSING_MODEL_NAME);
		return -1;
	}
	if (!b->ncpus) {
		b->arch = cpu->arch;
		b->arm = true;
		b->arm_model = cs_xstrdup(name);
	}
	b->ncpus++;
	return 0;
}

int cs_baseline_add(struct cs_baseline *b, const struct cs_cpudef *cpu, struct cs_error *err)
{
	struct cs_fset data;
	int model;

	if (b->ncpus && b->arm)
		return add_arm(b, cpu, err);
	if (!b->ncpus && cpu->arch && !strcmp(cpu->arch->name, "arm"))
		return add_arm(b, cpu, err);
	if (b->ncpus && b->ppc64)
		return add_ppc64(b, cpu, err);
	if (!b->ncpus && cpu->arch && !strcmp(cpu->arch->name, "ppc64")) {
		b->arch = cpu->arch;
		b->ppc64 = true;
		return add_ppc64(b, cpu, err);
	}
	if (!b->ncpus) {
		if (!cpu->arch || strcmp(cpu->arch->name, "x86") != 0) {
			cs_error_set(err, CS_ERR_UNSUPPORTED, cpu->file, cpu->line,
			             "cannot compute baseline CPU of %s architecture",
			             cpu->arch_name ? cpu->arch_name : "this");
			return -1;
		}
		b->arch = cpu->arch;
		b->model_seen = cs_xcalloc(b->arch->nmodels ? b->arch->nmodels : 1, 1);
	}
	if (cpu_data(b, cpu, &model, &data, err) < 0)
		return -1;

	if (!b->ncpus) {
		if (!cpu->vendor)
			b->output_vendor = false;
		else
			b->vendor = find_vendor(b, cpu, cpu->vendor, err);
		if (cpu->vendor && b->vendor < 0)
			return -1;
		b->base = data;
	} else {
		int mv = b->arch->models[model].vendor;
		const char *vn = NULL;

		if (cpu->vendor && mv >= 0 && strcmp(cpu->vendor, b->arch->vendors[mv].name) != 0) {
			cs_error_set_libvirt(err, CS_ERR_INCOMPATIBLE, cpu->file, cpu->line, NULL,
			                     CS_LIBVIRT_MSG_MODEL_VENDOR_DIFFERS,
			                     b->arch->vendors[mv].name, b->arch->models[model].name,
			                     cpu->vendor);
			return -1;
		}
		if (cpu->vendor) {
			vn = cpu->vendor;
		} else {
			b->output_vendor = false;
			if (mv >= 0)
				vn = b->arch->vendors[mv].name;
		}
		if (vn) {
			if (b->vendor < 0) {
				b->vendor = find_vendor(b, cpu, vn, err);
				if (b->vendor < 0)
					return -1;
			} else if (strcmp(b->arch->vendors[b->vendor].name, vn) != 0) {
				cs_error_set_libvirt(err, CS_ERR_INCOMPATIBLE, cpu->file, cpu->line,
				                     NULL, CS_LIBVIRT_MSG_VENDORS_DIFFER);
				return -1;
			}
		}
		cs_fset_intersect(&b->base, &b->base, &data);
	}
	if (!b->model_seen[model]) {
		b->model_seen[model] = 1;
		CS_GROW(b->models, b->models_cap, b->nmodels + 1);
		b->models[b->nmodels++] = model;
	}
	b->ncpus++;
	return 0;
}

static int cmp_feature_name(const void *a, const void *b, void *arg)
{
	const struct cs_cpudef *def = arg;
	const struct cs_cpu_feature *fa = a, *fb = b;
	const struct cs_arch *arch = def->arch;

	return strcmp(arch->features[fa->id].name, arch->features[fb->id].name);
}

void cs_cpudef_expand_features(struct cs_cpudef *def)
{
	struct cs_cpudef *orig;
	const struct cs_model *m;
	int id;

	if (!def->arch || def->model < 0)
		return;
	orig = cs_cpudef_copy(def);
	m = &def->arch->models[def->model];
	cs_cpudef_clear_features(def);
	cs_fset_foreach (id, &m->features)
		cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_REQUIRE);
	for (size_t i = 0; i < orig->nfeatures; i++) {
		const struct cs_cpu_feature *f = &orig->features[i];

		if (f->id < 0)
			continue;
		if (def->type == CS_CPU_TYPE_HOST || f->policy == CS_POLICY_REQUIRE ||
		    f->policy == CS_POLICY_DISABLE)
			cs_cpudef_set_feature(def, (unsigned)f->id, f->policy);
	}
	if (def->type == CS_CPU_TYPE_GUEST) {
		cs_fset_foreach (id, &m->removed)
			if (cs_cpudef_feature_policy(def, (unsigned)id) < 0)
				cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_DISABLE);
	}
	if (def->nfeatures > 1)
		qsort_r(def->features, def->nfeatures, sizeof(def->features[0]), cmp_feature_name,
		        def);
	cs_cpudef_free(orig);
}

struct cs_cpudef *cs_baseline_finish(struct cs_baseline *b, struct cs_error *err)
{
	struct cs_cpu_facts facts;
	struct cs_decode_opts dopts;
	struct cs_decoded dec;
	struct cs_cpudef *def;

	if (!b->ncpus) {
		cs_error_set(err, CS_ERR_INVALID, NULL, 0, "no CPUs given");
		return NULL;
	}
	if (b->arm) {
		int m = cs_arch_find_model(b->arch, b->arm_model);

		def = cs_cpudef_new(b->map, b->arch, CS_CPU_TYPE_GUEST);
		cs_cpudef_set_model(def, m);
		if (m < 0)
			def->model_name = cs_xstrdup(b->arm_model);
		return def;
	}
	if (b->ppc64) {
		def = cs_cpudef_new(b->map, b->arch, CS_CPU_TYPE_GUEST);
		cs_cpudef_set_model(def, b->models[0]);
		def->fallback = CS_CPU_FALLBACK_FORBID;
		return def;
	}
	if (cs_fset_is_empty(&b->base)) {
		cs_error_set_libvirt(err, CS_ERR_INCOMPATIBLE, NULL, 0, NULL,
		                     CS_LIBVIRT_MSG_CPUS_INCOMPATIBLE);
		return NULL;
	}
	memset(&facts, 0, sizeof(facts));
	facts.vendor = b->vendor;
	facts.signature = 0; /* baseline data has no leaf 1: signatures play no role */
	facts.features = b->base;
	memset(&dopts, 0, sizeof(dopts));
	dopts.mode = CS_DECODE_GUEST;
	dopts.preferred = b->models;
	dopts.npreferred = b->nmodels;
	dopts.migratable = b->opts.migratable;
	if (cs_decode(b->arch, &facts, &dopts, &dec, err) < 0)
		return NULL;

	def = cs_cpudef_guest_from_decoded(b->map, b->arch, &dec);
	if (b->nmodels == 1 && b->models[0] == dec.model)
		def->fallback = CS_CPU_FALLBACK_FORBID;
	if (!b->output_vendor)
		cs_cpudef_set_vendor(def, -1);
	if (b->opts.qemu)
		cs_cpudef_filter_qemu(def);
	if (b->opts.expand_features)
		cs_cpudef_expand_features(def);
	return def;
}

struct cs_cpudef *cs_baseline_cpus(const struct cs_map *map, struct cs_cpudef *const *cpus,
                                   size_t ncpus, const struct cs_baseline_opts *opts,
                                   struct cs_error *err)
{
	struct cs_baseline b;
	struct cs_cpudef *def = NULL;

	cs_baseline_init(&b, map, opts);
	for (size_t i = 0; i < ncpus; i++)
		if (cs_baseline_add(&b, cpus[i], err) < 0)
			goto out;
	def = cs_baseline_finish(&b, err);
out:
	cs_baseline_release(&b);
	return def;
}
