/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu_models.c: QEMU 7.2's x86_64 CPU models as libvirt 9.0 sees them: features, blockers */
#include "cpuscope/host.h"

#include <string.h>

#include "cpuscope/guest.h"
#include "cpuscope/versions.h"
#include "cpuscope/xalloc.h"
#include "qemu_tables.h"

/* The QEMU 7.2 tables (models, features, per-model differences) are in
 * versions.c; these functions use its default entry. */

bool cs_model_known_to_qemu(const char *name)
{
	return cs_qemu_version_knows_model(NULL, name);
}

bool cs_qemu_knows_feature(const char *name)
{
	return cs_qemu_version_knows_feature(NULL, name);
}

/* Set (on) or clear the features named in the space-separated list; names
 * the map lacks are skipped. */
static void apply_names(const struct cs_arch *arch, const char *list, bool on, struct cs_fset *s)
{
	char name[64];

	while (*list) {
		size_t n = strcspn(list, " ");

		if (n && n < sizeof(name)) {
			int id;

			memcpy(name, list, n);
			name[n] = '\0';
			id = cs_arch_find_feature(arch, name);
			if (id >= 0 && on)
				cs_fset_set(s, (unsigned)id);
			else if (id >= 0)
				cs_fset_clear(s, (unsigned)id);
		}
		list += n;
		list += strspn(list, " ");
	}
}

static bool is_x86(const struct cs_arch *arch)
{
	return arch && !strcmp(arch->name, "x86");
}

bool cs_qemu_model_features_tcg(const struct cs_arch *arch, int model, struct cs_fset *out)
{
	const struct cs_fset *own;
	struct cs_fset taken;
	int id;

	if (!cs_qemu_model_features(arch, model, out))
		return false;
	/* TCG adds no x2apic of its own and keeps what KVM takes away. */
	own = &arch->models[model].features;
	id = cs_arch_find_feature(arch, "x2apic");
	if (id >= 0 && !cs_fset_test(own, (unsigned)id))
		cs_fset_clear(out, (unsigned)id);
	cs_fset_zero(&taken);
	apply_names(arch, cs_qemu_version_default()->kvm_off, true, &taken);
	cs_fset_foreach (id, &taken)
		if (cs_fset_test(own, (unsigned)id))
			cs_fset_set(out, (unsigned)id);
	return true;
}

bool cs_qemu_model_features(const struct cs_arch *arch, int model, struct cs_fset *out)
{
	const struct cs_qemu_version *qv = cs_qemu_version_default();
	const struct cs_qemu_model_delta *delta;
	const char *name;

	cs_fset_zero(out);
	if (!is_x86(arch) || model < 0 || (size_t)model >= arch->nmodels)
		return false;
	name = arch->models[model].name;
	if (!cs_model_known_to_qemu(name))
		return false;
	*out = arch->models[model].features;
	apply_names(arch, qv->kvm_on, true, out);
	apply_names(arch, qv->kvm_off, false, out);
	delta = cs_qemu_version_model_delta(qv, name);
	if (delta) {
		apply_names(arch, delta->on, true, out);
		apply_names(arch, delta->off, false, out);
	}
	return true;
}

struct cs_allowed_model *cs_qemu_allowed_models(const struct cs_arch *arch,
                                                const struct cs_fset *view, size_t *n)
{
	struct cs_allowed_model *allowed;
	struct cs_fset can;
	size_t k = 0;

	*n = 0;
	if (!is_x86(arch) || !arch->nmodels)
		return NULL;
	allowed = cs_xcalloc(arch->nmodels, sizeof(*allowed));
	if (view) {
		/* KVM always gives these (see cs_kvm_probe), so they block
		 * nothing even when view is the CPU's own; and QEMU never
		 * reports topoext missing, whatever KVM says. */
		can = *view;
		apply_names(arch, "hypervisor x2apic tsc-deadline arat topoext", true, &can);
	}
	for (size_t i = 0; i < arch->nmodels; i++) {
		struct cs_fset want;

		if (!cs_qemu_model_features(arch, (int)i, &want))
			continue;
		allowed[k].model = (int)i;
		if (view)
			cs_fset_diff(&allowed[k].blockers, &want, &can);
		k++;
	}
	*n = k;
	return allowed;
}

/* ---- what QEMU reports of its models ---------------------------------------- */

const struct cs_qemu_model_row *cs_qemu_tcg_model(const struct cs_arch *arch, int model, int major,
                                                  int minor)
{
	const struct cs_qemu_model_row *rows = cs_qemu_version_find(major, minor)->tcg_models;

	if (!rows || !is_x86(arch) || model < 0 || (size_t)model >= arch->nmodels)
		return NULL;
	for (; rows->model; rows++)
		if (!strcmp(rows->model, arch->models[model].name))
			return rows;
	return NULL;
}

void cs_qemu_names_to_set(const struct cs_arch *arch, const char *list, struct cs_fset *s)
{
	apply_names(arch, list, true, s);
}

/* Features of the map QEMU has no property for, which libvirt's QEMU driver
 * drops from host-model and baseline CPUs. */
static const char *const qemu_dropped[] = {"cmt", "mbm_total", "mbm_local", "osxsave", "ospke"};

void cs_decoded_filter_qemu(const struct cs_arch *arch, struct cs_decoded *d)
{
	for (size_t i = 0; i < sizeof(qemu_dropped) / sizeof(qemu_dropped[0]); i++) {
		int id = cs_arch_find_feature(arch, qemu_dropped[i]);

		if (id < 0)
			continue;
		cs_fset_clear(&d->require, (unsigned)id);
		cs_fset_clear(&d->disable, (unsigned)id);
	}
}

void cs_cpudef_filter_qemu(struct cs_cpudef *def)
{
	if (!def->arch || strcmp(def->arch->name, "x86") != 0)
		return;
	for (size_t i = 0; i < sizeof(qemu_dropped) / sizeof(qemu_dropped[0]); i++) {
		int id = cs_arch_find_feature(def->arch, qemu_dropped[i]);

		if (id >= 0)
			cs_cpudef_remove_feature(def, (unsigned)id);
	}
}
