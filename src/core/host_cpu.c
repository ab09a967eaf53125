/* host_cpu.c: a host described by libvirt XML: capabilities, domcapabilities or a bare <cpu> */
#include "core/host_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/xmlsafe.h"
#include "cpuscope/xalloc.h"

static xmlNode *child(const xmlNode *parent, const char *name)
{
	for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && cs_xml_is(n, name))
			return n;
	return NULL;
}

/* The text of an element, trimmed, as a new string (or NULL). */
static char *text_of(const xmlNode *n)
{
	xmlChar *c;
	char *s, *b, *e;

	if (!n)
		return NULL;
	c = xmlNodeGetContent(n);
	if (!c)
		return NULL;
	b = (char *)c;
	while (*b == ' ' || *b == '\n' || *b == '\t' || *b == '\r')
		b++;
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	s = cs_xstrndup(b, (size_t)(e - b));
	xmlFree(c);
	return s;
}

/* Find the <cpu> (or host-model <mode>) element of the file's kind. */
static xmlNode *find_cpu(const struct cs_host *h, xmlNode *root, char **arch_name)
{
	switch (h->file_kind) {
	case CS_HOST_FILE_CAPABILITIES:
		return child(child(root, "host"), "cpu");
	case CS_HOST_FILE_DOMCAPS:
		*arch_name = text_of(child(root, "arch"));
		for (xmlNode *m = child(root, "cpu") ? child(root, "cpu")->children : NULL; m;
		     m = m->next) {
			char *name, *sup;
			bool ok;

			if (m->type != XML_ELEMENT_NODE || !cs_xml_is(m, "mode"))
				continue;
			name = cs_xml_prop(m, "name");
			sup = cs_xml_prop(m, "supported");
			ok = name && !strcmp(name, "host-model") && sup && !strcmp(sup, "yes");
			free(name);
			free(sup);
			if (ok)
				return m;
		}
		return NULL;
	case CS_HOST_FILE_CPU:
		return root;
	case CS_HOST_FILE_NONE:
	case CS_HOST_FILE_CPUDATA:
	case CS_HOST_FILE_CPUID_RAW:
	case CS_HOST_FILE_CPUINFO:
		break;
	}
	return NULL;
}

static int read_signature(struct cs_host *h, const xmlNode *sig, const char *name,
			  struct cs_error *err)
{
	char *f = cs_xml_prop(sig, "family"), *m = cs_xml_prop(sig, "model"),
	     *s = cs_xml_prop(sig, "stepping");
	uint32_t fam = 0, mod = 0, step = 0;
	int ret = -1;

	if (!f || cs_parse_u32(f, &fam) < 0 || !m || cs_parse_u32(m, &mod) < 0 ||
	    (s && cs_parse_u32(s, &step) < 0)) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(sig), "invalid <signature>");
		goto out;
	}
	h->facts.signature = cs_signature_make(fam, mod, step);
	ret = 0;
out:
	free(f);
	free(m);
	free(s);
	return ret;
}

static int read_cpu(struct cs_host *h, const xmlNode *cpu, const char *name, struct cs_error *err)
{
	const struct cs_arch *arch = h->arch;
	char *model = text_of(child(cpu, "model"));
	char *vendor = text_of(child(cpu, "vendor"));
	bool host_type = h->file_kind == CS_HOST_FILE_CAPABILITIES || child(cpu, "arch");
	int ret = -1;

	h->given_is_guest = !host_type;
	if (!model || !*model) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(cpu),
			     "the <cpu> names no <model>: nothing to describe the host with");
		goto out;
	}
	h->given_model = cs_arch_find_model(arch, model);
	if (h->given_model < 0) {
		cs_error_set(err, CS_ERR_UNKNOWN, name, cs_xml_line(child(cpu, "model")),
			     "Unknown CPU model %s", model);
		goto out;
	}
	if (vendor) {
		h->facts.vendor = cs_arch_find_vendor(arch, vendor);
		if (h->facts.vendor < 0) {
			cs_error_set(err, CS_ERR_UNKNOWN, name, cs_xml_line(child(cpu, "vendor")),
				     "Unknown CPU vendor %s", vendor);
			goto out;
		}
		if (arch->vendors[h->facts.vendor].string)
			snprintf(h->vendor_string, sizeof(h->vendor_string), "%s",
				 arch->vendors[h->facts.vendor].string);
	}
	if (child(cpu, "signature") && read_signature(h, child(cpu, "signature"), name, err) < 0)
		goto out;

	for (xmlNode *n = cpu->children; n; n = n->next) {
		char *fname, *policy;
		int id;
		bool off;

		if (n->type != XML_ELEMENT_NODE || !cs_xml_is(n, "feature"))
			continue;
		fname = cs_xml_prop(n, "name");
		policy = cs_xml_prop(n, "policy");
		id = fname ? cs_arch_find_feature(arch, fname) : -1;
		if (id < 0) {
			cs_error_set(err, CS_ERR_UNKNOWN, name, cs_xml_line(n),
				     "Unknown CPU feature %s", fname ? fname : "(no name)");
			free(fname);
			free(policy);
			goto out;
		}
		/* Host-type features have no policy: they are simply there. */
		off = !host_type && policy &&
		      (!strcmp(policy, "disable") || !strcmp(policy, "forbid"));
		if (!host_type && policy && strcmp(policy, "optional") && !off &&
		    strcmp(policy, "require") && strcmp(policy, "force")) {
			cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(n),
				     "invalid policy '%s' for feature %s", policy, fname);
			free(fname);
			free(policy);
			goto out;
		}
		if (off)
			cs_fset_set(&h->given_disable, (unsigned)id);
		else if (host_type || !policy || strcmp(policy, "optional"))
			cs_fset_set(&h->given_require, (unsigned)id);
		free(fname);
		free(policy);
	}
	cs_fset_union(&h->facts.features, &arch->models[h->given_model].features,
		      &h->given_require);
	cs_fset_diff(&h->facts.features, &h->facts.features, &h->given_disable);
	h->has_cpu = host_type;
	if (host_type)
		h->cpu_facts = h->facts;
	ret = 0;
out:
	free(model);
	free(vendor);
	return ret;
}

int cs_host_load_cpu_xml(struct cs_host *h, const struct cs_map *map, const char *buf,
			 size_t len, const char *name, struct cs_error *err)
{
	xmlDocPtr doc = cs_xml_parse(buf, len, name, err);
	xmlNode *root, *cpu;
	char *arch_name = NULL;
	int ret = -1;

	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	cpu = find_cpu(h, root, &arch_name);
	if (!cpu) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(root),
			     h->file_kind == CS_HOST_FILE_DOMCAPS
				     ? "no supported host-model mode in the domain capabilities"
				     : "no host <cpu> element");
		goto out;
	}
	if (!arch_name)
		arch_name = text_of(child(cpu, "arch"));
	free(h->arch_name);
	h->arch_name = cs_xstrdup(arch_name ? arch_name : "x86_64");
	h->arch = cs_map_arch(map, h->arch_name);
	if (!h->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, cs_xml_line(cpu),
			     "the CPU map has no section for %s", h->arch_name);
		goto out;
	}
	ret = read_cpu(h, cpu, name, err);
out:
	free(arch_name);
	xmlFreeDoc(doc);
	return ret;
}
