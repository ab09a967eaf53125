/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* baseline_hv.c: libvirt 9.0's hypervisor-cpu-baseline over one hypervisor's models and features */
#include "cpuscope/baseline_hv.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "cpuscope/compare.h"
#include "cpuscope/decode.h"
#include "cpuscope/guest.h"
#include "cpuscope/versions.h"
#include "cpuscope/xalloc.h"
#include "xmlsafe.h"

/* The features QEMU reports a property for, as the QEMU driver passes them
 * to the baseline: every map feature but those QEMU lacks; with
 * --migratable under KVM, also without the map's non-migratable ones. */
static void qemu_features(const struct cs_hypervisor *hv, bool migratable, struct cs_fset *out)
{
	const struct cs_qemu_version *qv = cs_qemu_version_default();
	const struct cs_arch *arch = hv->arch;

	cs_fset_zero(out);
	for (size_t id = 0; id < arch->nfeatures; id++) {
		const struct cs_feature *f = &arch->features[id];

		if (!cs_qemu_version_knows_feature(qv, f->name))
			continue;
		if (migratable && hv->virt == CS_VIRT_KVM && !f->migratable)
			continue;
		cs_fset_set(out, (unsigned)id);
	}
}

/* libvirt checks every CPU for a model before it looks at any of them. */
static int check_models(struct cs_cpudef *const *cpus, size_t ncpus, struct cs_error *err)
{
	if (!ncpus) {
		cs_error_set(err, CS_ERR_INVALID, NULL, 0, "no CPUs given");
		return -1;
	}
	for (size_t i = 0; i < ncpus; i++) {
		if (cpus[i]->model < 0 && !cpus[i]->model_name) {
			cs_error_set(err, CS_ERR_INVALID, cpus[i]->file, cpus[i]->line,
			             "no CPU model specified at index %zu", i);
			return -1;
		}
	}
	return 0;
}

/* A CPU of another architecture: the x86 driver looks its model up in its
 * own map, where it is normally unknown. */
static int refuse_other_arch(const struct cs_arch *x86, const struct cs_cpudef *cpu,
                             struct cs_error *err)
{
	const char *name = cs_cpudef_model_name(cpu);

	if (name && cs_arch_find_model(x86, name) < 0)
		cs_error_set_libvirt(err, CS_ERR_UNKNOWN, cpu->file, cpu->line, NULL,
		                     CS_LIBVIRT_MSG_UNKNOWN_MODEL, name);
	else
		cs_error_set(err, CS_ERR_UNSUPPORTED, cpu->file, cpu->line,
		             "cpuscope baselines x86 CPUs only");
	return -1;
}

/* Decode the common features among the hypervisor's models. */
static struct cs_cpudef *decode(const struct cs_hypervisor *hv, const struct cs_baseline *b,
                                const struct cs_fset *data, struct cs_error *err)
{
	struct cs_cpu_facts facts;
	struct cs_decode_opts dopts;
	struct cs_decoded dec;
	struct cs_cpudef *def;

	memset(&facts, 0, sizeof(facts));
	facts.vendor = b->vendor;
	facts.signature = 0; /* no leaf 1 in baseline data */
	facts.features = *data;
	memset(&dopts, 0, sizeof(dopts));
	dopts.mode = CS_DECODE_GUEST;
	dopts.preferred = b->models;
	dopts.npreferred = b->nmodels;
	dopts.allowed = hv->models;
	dopts.nallowed = hv->nmodels;
	/* The result's fallback is still 'allow' while it is decoded: a
	 * preferred model the hypervisor lacks is passed over, not an error.
	 * Non-migratable features went with the feature list. */
	if (cs_decode(hv->arch, &facts, &dopts, &dec, err) < 0)
		return NULL;
	def = cs_cpudef_guest_from_decoded(hv->map, hv->arch, &dec);
	def->fallback = CS_CPU_FALLBACK_FORBID;
	if (!b->output_vendor)
		cs_cpudef_set_vendor(def, -1);
	return def;
}

struct cs_cpudef *cs_baseline_hypervisor(const struct cs_hypervisor *hv,
                                         struct cs_cpudef *const *cpus, size_t ncpus,
                                         const struct cs_hv_baseline_opts *opts,
                                         struct cs_error *err)
{
	struct cs_hv_baseline_opts o = {0};
	struct cs_baseline b;
	struct cs_fset data, known;
	struct cs_cpudef *def = NULL;

	if (opts)
		o = *opts;
	if (!hv->arch || strcmp(hv->arch->name, "x86") != 0) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, NULL, 0,
		             "computing baseline hypervisor CPU is not supported for arch %s",
		             hv->arch ? hv->arch->name : "(none)");
		return NULL;
	}
	if (!hv->nmodels) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, NULL, 0,
		             "QEMU does not support any CPU models for virttype '%s'",
		             cs_virt_type_name(hv->virt));
		return NULL;
	}
	if (check_models(cpus, ncpus, err) < 0)
		return NULL;
	/* The per-CPU part (models, vendors, intersection) is cpu-baseline's. */
	cs_baseline_init(&b, hv->map, NULL);
	for (size_t i = 0; i < ncpus; i++) {
		if (!cpus[i]->arch || strcmp(cpus[i]->arch->name, "x86") != 0) {
			refuse_other_arch(hv->arch, cpus[i], err);
			goto out;
		}
		if (cs_baseline_add(&b, cpus[i], err) < 0)
			goto out;
	}
	qemu_features(hv, o.migratable, &known);
	cs_fset_intersect(&data, &b.base, &known);
	if (cs_fset_is_empty(&data)) {
		cs_error_set_libvirt(err, CS_ERR_INCOMPATIBLE, NULL, 0, NULL,
		                     CS_LIBVIRT_MSG_CPUS_INCOMPATIBLE);
		goto out;
	}
	def = decode(hv, &b, &data, err);
	if (def && o.expand_features)
		cs_cpudef_expand_features(def);
out:
	cs_baseline_release(&b);
	return def;
}

/* ---- the CPU texts libvirt is handed ------------------------------------------ */

static void add_text(xmlDocPtr doc, xmlNode *n, char ***out, size_t *cnt)
{
	xmlBufferPtr b = xmlBufferCreate();

	xmlNodeDump(b, doc, n, 0, 0);
	*out = cs_xreallocarray(*out, *cnt + 1, sizeof(**out));
	(*out)[(*cnt)++] = cs_xstrdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
}

static bool mode_is_host_model(const xmlNode *n)
{
	char *name = cs_xml_prop(n, "name"), *sup = cs_xml_prop(n, "supported");
	bool yes = name && sup && !strcmp(name, "host-model") && !strcmp(sup, "yes");

	free(name);
	free(sup);
	return yes;
}

static void collect_texts(xmlDocPtr doc, xmlNode *top, char ***out, size_t *cnt)
{
	for (xmlNode *n = top->children; n; n = n->next) {
		xmlNode *c;

		if (cs_xml_is(n, "cpu")) {
			add_text(doc, n, out, cnt);
		} else if (cs_xml_is(n, "domain")) {
			for (c = n->children; c; c = c->next)
				if (cs_xml_is(c, "cpu"))
					add_text(doc, c, out, cnt);
		} else if (cs_xml_is(n, "capabilities")) {
			for (xmlNode *h = n->children; h; h = h->next)
				for (c = cs_xml_is(h, "host") ? h->children : NULL; c; c = c->next)
					if (cs_xml_is(c, "cpu"))
						add_text(doc, c, out, cnt);
		} else if (cs_xml_is(n, "domainCapabilities")) {
			for (xmlNode *k = n->children; k; k = k->next) {
				for (c = cs_xml_is(k, "cpu") ? k->children : NULL; c; c = c->next) {
					if (!cs_xml_is(c, "mode") || !mode_is_host_model(c))
						continue;
					xmlNodeSetName(c, (const xmlChar *)"cpu");
					while (c->properties)
						xmlRemoveProp(c->properties);
					add_text(doc, c, out, cnt);
				}
			}
		}
	}
}

int cs_cpu_texts(const char *buf, size_t len, const char *name, char ***out, size_t *n,
                 struct cs_error *err)
{
	static const char open_tag[] = "<container>", close_tag[] = "</container>";
	const char *doc_start = buf;
	size_t dlen = len, wlen;
	char *wrapped;
	xmlDocPtr doc;

	*out = NULL;
	*n = 0;
	/* virsh drops a leading XML declaration before it wraps the rest. */
	if (len >= 5 && !memcmp(buf, "<?xml", 5)) {
		const char *end = memmem(buf, len, "?>", 2);

		if (end) {
			doc_start = end + 2;
			dlen = len - (size_t)(doc_start - buf);
		}
	}
	wlen = sizeof(open_tag) - 1 + dlen + sizeof(close_tag) - 1;
	wrapped = cs_xmalloc(wlen + 1);
	memcpy(wrapped, open_tag, sizeof(open_tag) - 1);
	memcpy(wrapped + sizeof(open_tag) - 1, doc_start, dlen);
	memcpy(wrapped + sizeof(open_tag) - 1 + dlen, close_tag, sizeof(close_tag));
	doc = cs_xml_parse(wrapped, wlen, name, err);
	free(wrapped);
	if (!doc)
		return -1;
	collect_texts(doc, xmlDocGetRootElement(doc), out, n);
	xmlFreeDoc(doc);
	if (!*n) {
		cs_error_set(
		        err, CS_ERR_INVALID, name, 0,
		        "File '%s' does not contain any <cpu> element or valid domain XML, host "
		        "capabilities XML, or domain capabilities XML",
		        name);
		return -1;
	}
	return 0;
}

void cs_cpu_texts_free(char **texts, size_t n)
{
	for (size_t i = 0; texts && i < n; i++)
		free(texts[i]);
	free(texts);
}
