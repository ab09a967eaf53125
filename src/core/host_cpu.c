/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host_cpu.c: a host described by libvirt XML: capabilities, domcapabilities or a bare <cpu> */
#include "core/host_int.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/xalloc.h"

/* The <cpu> of the origin the file's kind calls for. */
static const struct cs_cpudef *pick(struct cs_cpudef *const *defs, size_t n, enum cs_host_file kind)
{
	enum cs_cpu_origin want = kind == CS_HOST_FILE_CAPABILITIES ? CS_CPU_ORIGIN_CAPS
	                          : kind == CS_HOST_FILE_DOMCAPS    ? CS_CPU_ORIGIN_DOMCAPS
	                                                            : CS_CPU_ORIGIN_BARE;

	for (size_t i = 0; i < n; i++)
		if (defs[i]->origin == want)
			return defs[i];
	return NULL;
}

int cs_host_load_cpu_xml(struct cs_host *h, const struct cs_map *map, const char *buf, size_t len,
                         const char *name, struct cs_error *err)
{
	struct cs_cpudef **defs = NULL;
	size_t ndefs = 0;
	const struct cs_cpudef *def;
	int ret = -1;

	if (cs_cpudef_parse(map, buf, len, name, 0, &defs, &ndefs, err) < 0)
		return -1;
	def = pick(defs, ndefs, h->file_kind);
	if (!def) {
		cs_error_set(err, CS_ERR_INVALID, name, 0,
		             h->file_kind == CS_HOST_FILE_DOMCAPS
		                     ? "no supported host-model mode in the domain capabilities"
		                     : "no host <cpu> element");
		goto out;
	}
	free(h->arch_name);
	if (def->arch_name)
		h->arch_name = cs_xstrdup(def->arch_name);
	else if (def->arch && !strcmp(def->arch->name, "x86"))
		h->arch_name = cs_xstrdup("x86_64");
	else
		h->arch_name = cs_xstrdup(def->arch ? def->arch->name : "unknown");
	h->arch = def->arch;
	if (!h->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, def->line,
		             "the CPU map has no section for %s", h->arch_name);
		goto out;
	}
	if (def->model < 0) {
		cs_error_set(err, CS_ERR_INVALID, name, def->line,
		             "the <cpu> names no <model>: nothing to describe the host with");
		goto out;
	}
	if (cs_cpudef_to_facts(def, &h->facts, err) < 0)
		goto out;
	h->given_model = def->model;
	h->given_is_guest = def->type == CS_CPU_TYPE_GUEST;
	cs_fset_union(&h->given_require, &def->by_policy[CS_POLICY_REQUIRE],
	              &def->by_policy[CS_POLICY_FORCE]);
	cs_fset_union(&h->given_require, &h->given_require, &def->by_policy[CS_POLICY_NONE]);
	cs_fset_union(&h->given_disable, &def->by_policy[CS_POLICY_DISABLE],
	              &def->by_policy[CS_POLICY_FORBID]);
	if (h->facts.vendor >= 0 && h->arch->vendors[h->facts.vendor].string)
		snprintf(h->vendor_string, sizeof(h->vendor_string), "%s",
		         h->arch->vendors[h->facts.vendor].string);
	h->has_cpu = !h->given_is_guest;
	if (h->has_cpu)
		h->cpu_facts = h->facts;
	ret = 0;
out:
	cs_cpudef_list_free(defs, ndefs);
	return ret;
}
