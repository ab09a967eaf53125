/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_map.c: what the explorer asks of the map: models, features, levels, advice, texts */
#include "tui/engine.h"

#include "cpuscope/advice.h"
#include "cpuscope/compare.h"
#include "cpuscope/export.h"
#include "cpuscope/level.h"

const struct cs_arch *engine_arch(const struct cs_map *map)
{
	const struct cs_arch *arch = cs_map_arch(map, "x86");

	if (!arch && map->narches)
		arch = &map->arches[0];
	return arch;
}

void engine_arch_derive_tree(struct cs_arch *arch)
{
	cs_arch_derive_tree(arch);
}

int engine_model_parent(const struct cs_arch *arch, const struct cs_model *m, bool *derived)
{
	return cs_model_tree_parent(arch, m, derived);
}

int engine_feature_origin(const struct cs_arch *arch, int model, unsigned id)
{
	return cs_model_feature_origin(arch, model, id);
}

void engine_feature_location(const struct cs_feature *f, char *buf, size_t size)
{
	cs_feature_location(f, buf, size);
}

const char *engine_feature_reason(const struct cs_arch *arch, unsigned id,
                                  const struct app_host *cpu, const struct app_host *kvm, bool tcg)
{
	const char *why;

	if (!cpu->present)
		return NULL;
	why = cs_missing_reason_hv(arch, id, cpu->vendor, cs_fset_test(&cpu->features, id),
	                           kvm->present ? cs_fset_test(&kvm->features, id) : -1, tcg);
	/* The feature line says that the hypervisor cannot give it already. */
	return why == cs_reason_kvm_lacks || why == cs_reason_tcg_lacks ? NULL : why;
}

size_t engine_missing_reasons(const struct cs_arch *arch, const struct cs_fset *missing, int vendor,
                              const struct cs_fset *cpu, const struct cs_fset *kvm, bool tcg,
                              struct cs_reason_group *out, size_t max)
{
	return cs_missing_reasons_hv(arch, missing, vendor, cpu, kvm, tcg, out, max);
}

void engine_mitigations(const struct cs_arch *arch, struct cs_fset *out)
{
	cs_mitigations(arch, out);
}

int engine_model_variant_without(const struct cs_arch *arch, int model,
                                 const struct cs_fset *missing, struct cs_fset *drop)
{
	return cs_model_variant_without(arch, model, missing, drop);
}

int engine_level(const struct cs_arch *arch, const struct cs_fset *features)
{
	return cs_x86_level(arch, features, NULL);
}

const char *engine_level_name(int level)
{
	return cs_x86_level_name(level);
}

int engine_read_file(const char *path, size_t max, char **out, size_t *len, struct cs_error *err)
{
	return cs_read_file(path, max, out, len, err);
}

char *engine_export(const struct cs_cpudef *def, enum engine_export form, char **notes)
{
	switch (form) {
	case ENGINE_EXPORT_VIRT_XML:
		return cs_export_virt_xml(def, notes);
	case ENGINE_EXPORT_KUBEVIRT:
		return cs_export_kubevirt(def, notes);
	case ENGINE_EXPORT_PROXMOX:
		return cs_export_proxmox(def, "cpuscope", notes);
	case ENGINE_EXPORT_NOVA:
		break;
	}
	return cs_export_nova(def, notes);
}

const char *engine_compat_name(enum cs_compat c)
{
	return cs_compat_name(c);
}

char *engine_compare_message(const struct cs_compare_result *res)
{
	return cs_compare_message(res);
}
