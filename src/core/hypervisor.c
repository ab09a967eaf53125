/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hypervisor.c: what libvirt's QEMU driver knows of a host for one domain type */
#include "cpuscope/start.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/host.h"
#include "cpuscope/xalloc.h"
#include "qemu_tables.h"
#include "xmlsafe.h"

const char *cs_virt_type_name(enum cs_virt_type t)
{
	switch (t) {
	case CS_VIRT_KVM:
		return "kvm";
	case CS_VIRT_QEMU:
		return "qemu";
	}
	return "?";
}

int cs_virt_type_parse(const char *s)
{
	if (!strcmp(s, "kvm"))
		return CS_VIRT_KVM;
	if (!strcmp(s, "qemu") || !strcmp(s, "tcg"))
		return CS_VIRT_QEMU;
	return -1;
}

void cs_hypervisor_release(struct cs_hypervisor *hv)
{
	if (!hv)
		return;
	cs_cpudef_free(hv->host_full);
	cs_cpudef_free(hv->host_model);
	free(hv->models);
	memset(hv, 0, sizeof(*hv));
}

/* The hypervisor bit in a host CPU's own view says the host is a VM. */
static bool cpu_is_nested(const struct cs_cpudef *cpu)
{
	int id = cpu && cpu->arch ? cs_arch_find_feature(cpu->arch, "hypervisor") : -1;
	struct cs_cpu_facts f;

	if (id < 0 || cs_cpudef_to_facts(cpu, &f, NULL) < 0)
		return false;
	return cs_fset_test(&f.features, (unsigned)id);
}

static void set_gives(struct cs_hypervisor *hv, const struct cs_cpudef *from)
{
	struct cs_cpu_facts f;

	cs_fset_zero(&hv->gives);
	if (from && cs_cpudef_to_facts(from, &f, NULL) == 0)
		hv->gives = f.features;
}

/* libvirt's domain capabilities list no blockers for TCG, yet libvirt
 * knows them from QEMU and decodes with them: take QEMU's own list. */
static void tcg_blockers(struct cs_hypervisor *hv)
{
	if (hv->virt != CS_VIRT_QEMU || hv->has_blockers)
		return;
	for (size_t i = 0; i < hv->nmodels; i++) {
		const struct cs_qemu_model_row *row =
		        cs_qemu_tcg_model(hv->arch, hv->models[i].model, 7, 2);

		if (row)
			cs_qemu_names_to_set(hv->arch, row->unavailable, &hv->models[i].blockers);
	}
}

/* ---- domcapabilities ---------------------------------------------------- */

static bool prop_is(const xmlNode *n, const char *name, const char *value)
{
	char *v = cs_xml_prop(n, name);
	bool yes = v && !strcmp(v, value);

	free(v);
	return yes;
}

static int mode_index(const char *name)
{
	static const char *const modes[] = {"custom", "host-model", "host-passthrough", "maximum"};

	for (int i = 0; i < 4; i++)
		if (!strcmp(name, modes[i]))
			return i;
	return -1;
}

/* The models of <mode name='custom'> and their <blockers>. */
static void read_custom_models(struct cs_hypervisor *hv, const xmlNode *mode)
{
	const struct cs_arch *arch = hv->arch;

	hv->models = cs_xcalloc(arch->nmodels ? arch->nmodels : 1, sizeof(*hv->models));
	for (xmlNode *c = mode->children; c; c = c->next) {
		char *name;
		int id;

		if (!cs_xml_is(c, "model"))
			continue;
		name = cs_xml_text(c);
		id = name ? cs_arch_find_model(arch, name) : -1;
		free(name);
		if (id < 0 || hv->nmodels >= arch->nmodels)
			continue;
		hv->models[hv->nmodels].model = id;
		cs_fset_zero(&hv->models[hv->nmodels].blockers);
		hv->nmodels++;
	}
	for (xmlNode *c = mode->children; c; c = c->next) {
		char *name;
		int id;

		if (!cs_xml_is(c, "blockers"))
			continue;
		hv->has_blockers = true;
		name = cs_xml_prop(c, "model");
		id = name ? cs_arch_find_model(arch, name) : -1;
		free(name);
		for (size_t i = 0; id >= 0 && i < hv->nmodels; i++) {
			if (hv->models[i].model != id)
				continue;
			for (xmlNode *f = c->children; f; f = f->next) {
				char *fn = cs_xml_is(f, "feature") ? cs_xml_prop(f, "name") : NULL;
				int fid = fn ? cs_arch_find_feature(arch, fn) : -1;

				if (fid >= 0)
					cs_fset_set(&hv->models[i].blockers, (unsigned)fid);
				free(fn);
			}
		}
	}
}

static int read_host_model(struct cs_hypervisor *hv, const char *buf, size_t len, const char *name,
                           struct cs_error *err)
{
	struct cs_cpudef **defs = NULL;
	size_t ndefs = 0;

	if (cs_cpudef_parse(hv->map, buf, len, name, CS_CPUDEF_AS_GUEST | CS_CPUDEF_FIRST, &defs,
	                    &ndefs, err) < 0)
		return -1;
	hv->host_model = defs[0];
	defs[0] = NULL;
	cs_cpudef_list_free(defs, ndefs);
	return 0;
}

int cs_hypervisor_from_domcaps(struct cs_hypervisor *hv, const struct cs_map *map, const char *buf,
                               size_t len, const char *name, const struct cs_cpudef *caps,
                               struct cs_error *err)
{
	xmlDocPtr doc = cs_xml_parse(buf, len, name, err);
	xmlNode *root, *n;
	char *s;
	int ret = -1;

	memset(hv, 0, sizeof(*hv));
	hv->map = map;
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (!cs_xml_is(root, "domainCapabilities")) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(root),
		             "not a domain capabilities document (virsh domcapabilities)");
		goto out;
	}
	s = cs_xml_text(cs_xml_child(root, "domain"));
	hv->virt = s && !strcmp(s, "qemu") ? CS_VIRT_QEMU : CS_VIRT_KVM;
	free(s);
	s = cs_xml_text(cs_xml_child(root, "arch"));
	if (!s || (strcmp(s, "x86_64") && strcmp(s, "i686"))) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, cs_xml_line(root),
		             "the start verdict covers x86 hosts; this is %s", s ? s : "no arch");
		free(s);
		goto out;
	}
	free(s);
	hv->arch = cs_map_arch(map, "x86");
	if (!hv->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, 0, "the CPU map has no x86 section");
		goto out;
	}
	for (n = cs_xml_child(cs_xml_child(root, "cpu"), "mode"); n; n = n->next) {
		char *mname = cs_xml_is(n, "mode") ? cs_xml_prop(n, "name") : NULL;
		int m = mname ? mode_index(mname) : -1;

		free(mname);
		if (m < 0)
			continue;
		hv->mode_supported[m] = prop_is(n, "supported", "yes");
		if (m == CS_CPU_MODE_CUSTOM && hv->mode_supported[m])
			read_custom_models(hv, n);
	}
	if (hv->mode_supported[CS_CPU_MODE_HOST_MODEL] &&
	    read_host_model(hv, buf, len, name, err) < 0)
		goto out;
	/* With KVM libvirt judges against the host's own CPU; with TCG against
	 * what QEMU emulates, which the host-model describes. */
	if (hv->virt == CS_VIRT_KVM && caps)
		hv->host_full = cs_cpudef_copy(caps);
	else if (hv->host_model)
		hv->host_full = cs_cpudef_copy(hv->host_model);
	set_gives(hv, hv->host_model);
	tcg_blockers(hv);
	hv->nested = cpu_is_nested(caps ? caps : hv->host_full);
	hv->from_domcaps = true;
	snprintf(hv->source, sizeof(hv->source), "%s%s%s", name, caps ? " + " : "",
	         caps && caps->file ? caps->file : "");
	ret = 0;
out:
	xmlFreeDoc(doc);
	if (ret < 0)
		cs_hypervisor_release(hv);
	return ret;
}

/* ---- from cpuscope's own knowledge ------------------------------------------ */

int cs_hypervisor_from_cpus(struct cs_hypervisor *hv, const struct cs_map *map,
                            const struct cs_cpudef *cpu, const struct cs_cpudef *kvm_model,
                            enum cs_virt_type virt, struct cs_error *err)
{
	const struct cs_cpudef *gives = kvm_model ? kvm_model : cpu;

	memset(hv, 0, sizeof(*hv));
	hv->map = map;
	hv->arch = cpu ? cpu->arch : cs_map_arch(map, "x86");
	if (!hv->arch || strcmp(hv->arch->name, "x86") != 0) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, cpu ? cpu->file : NULL, 0,
		             "the start verdict covers x86 hosts");
		return -1;
	}
	hv->virt = virt;
	for (int m = 0; m < 4; m++)
		hv->mode_supported[m] = true;
	if (!cpu) {
		for (size_t id = 0; id < hv->arch->nfeatures; id++)
			cs_fset_set(&hv->gives, (unsigned)id);
		hv->models = cs_qemu_allowed_models(hv->arch, NULL, &hv->nmodels);
		snprintf(hv->source, sizeof(hv->source), "no host");
		return 0;
	}
	hv->mode_supported[CS_CPU_MODE_HOST_PASSTHROUGH] = virt == CS_VIRT_KVM;
	hv->host_full = cs_cpudef_copy(virt == CS_VIRT_KVM ? cpu : gives);
	hv->host_model = cs_cpudef_copy(gives);
	set_gives(hv, gives);
	hv->models = cs_qemu_allowed_models(hv->arch, &hv->gives, &hv->nmodels);
	if (virt == CS_VIRT_QEMU) {
		for (size_t i = 0; i < hv->nmodels; i++)
			cs_fset_zero(&hv->models[i].blockers);
		tcg_blockers(hv);
	}
	hv->nested = cpu_is_nested(cpu);
	snprintf(hv->source, sizeof(hv->source), "%s", cpu->file ? cpu->file : "the host");
	return 0;
}

/* ---- the domain around the <cpu> ----------------------------------------------- */

int cs_domain_info_parse(const char *buf, size_t len, const char *name, struct cs_domain_info *out,
                         struct cs_error *err)
{
	xmlDocPtr doc;
	xmlNode *root, *n;
	char *s;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	doc = cs_xml_parse(buf, len, name, err);
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (!cs_xml_is(root, "domain")) {
		ret = 0;
		goto out;
	}
	out->is_domain = true;
	s = cs_xml_prop(root, "type");
	if (s && cs_virt_type_parse(s) >= 0 && strcmp(s, "tcg") != 0) {
		out->has_virt = true;
		out->virt = (enum cs_virt_type)cs_virt_type_parse(s);
	}
	free(s);
	if ((n = cs_xml_child(root, "name"))) {
		s = cs_xml_text(n);
		snprintf(out->name, sizeof(out->name), "%s", s ? s : "");
		free(s);
	}
	if ((n = cs_xml_child(root, "vcpu"))) {
		char *end = NULL;
		unsigned long v;

		s = cs_xml_text(n);
		v = s ? strtoul(s, &end, 10) : 0;
		if (!s || end == s || v == 0 || v > 16384 ||
		    (*end && strspn(end, " \t\n") != strlen(end))) {
			cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(n),
			             "<vcpu> must be a number of vCPUs, not '%s'", s ? s : "");
			free(s);
			goto out;
		}
		free(s);
		out->vcpus = (unsigned)v;
	}
	ret = 0;
out:
	xmlFreeDoc(doc);
	return ret;
}
