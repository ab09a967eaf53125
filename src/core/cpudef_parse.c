/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpudef_parse.c: read libvirt <cpu> definitions from XML text, as virsh collects them */
#include "cpuscope/cpudef.h"

#include <errno.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpudef_int.h"
#include "cpuscope/xalloc.h"
#include "xmlsafe.h"
#include "xmlspan.h"

struct pctx {
	const struct cs_map *map;
	const char *name;
	const char *buf; /* the text being parsed */
	size_t len;
	unsigned flags;
	struct cs_error *err;
	const char *decl; /* the text's XML declaration, or NULL */
	size_t decl_len;
	xmlDocPtr doc;             /* its document */
	struct cs_xml_spans spans; /* element spans, found when first needed */
	bool spans_done, spans_ok;
};

static bool ensure_spans(struct pctx *p);

static void perr(struct pctx *p, enum cs_errcode code, const xmlNode *node, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void perr(struct pctx *p, enum cs_errcode code, const xmlNode *node, const char *fmt, ...)
{
	char msg[sizeof(p->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cs_error_set(p->err, code, p->name, node ? cs_xml_line(node) : 0, "%s", msg);
}

/* An attribute's value, borrowed from the document when it is a single
 * text node (the usual case); otherwise a copy is made in *tmp, which the
 * caller frees.  NULL when the attribute is absent. */
static const char *attr_value(const xmlNode *node, const char *name, char **tmp)
{
	*tmp = NULL;
	for (const xmlAttr *a = node->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (a->children && !a->children->next && a->children->type == XML_TEXT_NODE &&
		    a->children->content)
			return (const char *)a->children->content;
		*tmp = cs_xml_prop(node, name);
		return *tmp ? *tmp : "";
	}
	return NULL;
}

/* The first child element of each kind parse_cpu() reads, found in one
 * pass over the children. */
struct cpu_kids {
	xmlNode *arch, *model, *vendor, *topology, *signature, *feature, *cache;
	size_t ncache;
};

static void find_kids(const xmlNode *cpu, struct cpu_kids *k)
{
	memset(k, 0, sizeof(*k));
	for (xmlNode *c = cpu->children; c; c = c->next) {
		const char *n = (const char *)c->name;
		xmlNode **slot = NULL;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		switch (n[0]) {
		case 'a':
			slot = !strcmp(n, "arch") ? &k->arch : NULL;
			break;
		case 'c':
			if (!strcmp(n, "cache")) {
				slot = &k->cache;
				k->ncache++;
			}
			break;
		case 'f':
			slot = !strcmp(n, "feature") ? &k->feature : NULL;
			break;
		case 'm':
			slot = !strcmp(n, "model") ? &k->model : NULL;
			break;
		case 's':
			slot = !strcmp(n, "signature") ? &k->signature : NULL;
			break;
		case 't':
			slot = !strcmp(n, "topology") ? &k->topology : NULL;
			break;
		case 'v':
			slot = !strcmp(n, "vendor") ? &k->vendor : NULL;
			break;
		default:
			break;
		}
		if (slot && !*slot)
			*slot = c;
	}
}

/* The string value of an element, or NULL when it is empty (libvirt's
 * virXPathString("string(...)") treats "" as absent). */
static char *node_text(const xmlNode *node)
{
	xmlChar *t;
	char *s = NULL;

	if (!node)
		return NULL;
	/* the usual case: one text node */
	if (node->children && !node->children->next && node->children->type == XML_TEXT_NODE)
		return node->children->content && *node->children->content
		               ? cs_xstrdup((const char *)node->children->content)
		               : NULL;
	t = xmlNodeGetContent(node);
	if (t && *t)
		s = cs_xstrdup((const char *)t);
	xmlFree(t);
	return s;
}

static bool parse_uint(const char *s, unsigned *out)
{
	unsigned long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (unsigned)v;
	return true;
}

/* A non-zero unsigned attribute, libvirt's messages.  Returns 1 when found,
 * 0 when absent (an error if required), -1 on error. */
static int prop_uint(struct pctx *p, const xmlNode *node, const char *attr, bool required,
                     unsigned *out)
{
	char *tmp;
	const char *v = attr_value(node, attr, &tmp);
	int ret = -1;

	if (!v) {
		if (!required)
			return 0;
		perr(p, CS_ERR_INVALID, node, "Missing required attribute '%s' in element '%s'",
		     attr, (const char *)node->name);
		return -1;
	}
	if (!parse_uint(v, out)) {
		perr(p, CS_ERR_INVALID, node,
		     "Invalid value for attribute '%s' in element '%s': '%s'. Expected "
		     "non-negative integer value",
		     attr, (const char *)node->name, v);
	} else if (*out == 0) {
		perr(p, CS_ERR_INVALID, node,
		     "Invalid value for attribute '%s' in element '%s': Zero is not permitted",
		     attr, (const char *)node->name);
	} else {
		ret = 1;
	}
	free(tmp);
	return ret;
}

/* An enumerated attribute: 1 and *out when given, 0 when absent, -1 on error. */
static int prop_enum(struct pctx *p, const xmlNode *node, const char *attr,
                     const struct cs_names *names, int *out)
{
	char *v = cs_xml_prop(node, attr);
	int i;

	if (!v)
		return 0;
	i = cs_names_find(names, v);
	if (i < 0) {
		perr(p, CS_ERR_INVALID, node,
		     "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
		     (const char *)node->name, v);
		free(v);
		return -1;
	}
	free(v);
	*out = i;
	return 1;
}

static enum cs_cpu_slot raw_slot(const char *name)
{
	static const char *const hostinfo_v[] = {"microcode", "signature", "counter"};
	static const char *const before_v[] = {"cache", "maxphysaddr"};
	static const struct cs_names hostinfo = {hostinfo_v, 3}, before = {before_v, 2};

	if (cs_names_find(&hostinfo, name) >= 0)
		return CS_CPU_SLOT_HOSTINFO;
	if (cs_names_find(&before, name) >= 0)
		return CS_CPU_SLOT_BEFORE_FEATURES;
	return CS_CPU_SLOT_AFTER_FEATURES;
}

static void keep_raw(struct pctx *p, struct cs_cpudef *def, const xmlNode *node)
{
	const struct cs_xml_span *sp;
	struct cs_cpu_raw *r;

	if (!p->buf || !ensure_spans(p))
		return; /* read from a stream: nothing to copy verbatim */
	sp = cs_xml_spans_get(&p->spans, node);
	if (!sp || sp->end <= sp->start)
		return;
	def->raw = cs_xreallocarray(def->raw, def->nraw + 1, sizeof(*def->raw));
	r = &def->raw[def->nraw++];
	r->name = cs_xstrdup((const char *)node->name);
	r->text = cs_xstrndup(p->buf + sp->start, sp->end - sp->start);
	r->indent = cs_xml_line_indent(p->buf, sp->start);
	r->slot = raw_slot(r->name);
	r->line = cs_xml_line(node);
}

static int check_cache(struct pctx *p, const struct cpu_kids *k)
{
	static const char *const cache_modes_v[] = {"emulate", "passthrough", "disable"};
	static const struct cs_names cache_modes = {cache_modes_v, 3};
	xmlNode *cache = k->cache;
	char *level;
	int mode;

	if (k->ncache > 1) {
		perr(p, CS_ERR_INVALID, cache, "at most one CPU cache element may be specified");
		return -1;
	}
	level = cs_xml_prop(cache, "level");
	if (level) {
		unsigned l;
		bool ok = parse_uint(level, &l) && l >= 1 && l <= 3;

		free(level);
		if (!ok) {
			perr(p, CS_ERR_INVALID, cache,
			     "invalid CPU cache level, must be in range [1,3]");
			return -1;
		}
	}
	switch (prop_enum(p, cache, "mode", &cache_modes, &mode)) {
	case 0:
		perr(p, CS_ERR_INVALID, cache,
		     "Missing required attribute 'mode' in element 'cache'");
		return -1;
	case 1:
		return 0;
	default:
		return -1;
	}
}

static int parse_signature(struct pctx *p, struct cs_cpudef *def, const xmlNode *node)
{
	unsigned family = 0, model = 0, stepping = 0;
	char *v;
	bool ok = true;

	v = cs_xml_prop(node, "family");
	ok = ok && (!v || parse_uint(v, &family));
	free(v);
	v = cs_xml_prop(node, "model");
	ok = ok && (!v || parse_uint(v, &model));
	free(v);
	v = cs_xml_prop(node, "stepping");
	ok = ok && (!v || parse_uint(v, &stepping));
	free(v);
	if (!ok) {
		perr(p, CS_ERR_INVALID, node, "invalid CPU signature");
		return -1;
	}
	def->sig_family = family;
	def->sig_model = model;
	def->sig_stepping = stepping;
	return 0;
}

static int parse_topology(struct pctx *p, struct cs_cpudef *def, const xmlNode *topo)
{
	int rc;

	if (prop_uint(p, topo, "sockets", true, &def->sockets) < 0)
		return -1;
	rc = prop_uint(p, topo, "dies", false, &def->dies);
	if (rc < 0)
		return -1;
	if (rc == 0)
		def->dies = 1;
	if (prop_uint(p, topo, "clusters", false, &def->clusters) < 0)
		return -1;
	if (prop_uint(p, topo, "cores", true, &def->cores) < 0 ||
	    prop_uint(p, topo, "threads", true, &def->threads) < 0)
		return -1;
	def->has_topology = true;
	return 0;
}

/* Read the <feature> children: libvirt's checks, then names resolved
 * against the map. */
/* libvirt's arm driver never looks models or features up (its baseline is
 * the first CPU's model, whatever it is): there, a name the map lacks stays
 * a name until something needs it resolved. */
static bool keeps_unknown_names(const struct cs_arch *arch)
{
	return !strcmp(arch->name, "arm");
}

static int parse_features(struct pctx *p, struct cs_cpudef *def, xmlNode *first)
{
	struct cs_fset seen;
	size_t n = def->nfeatures;

	/* The array is sized once: a host lists dozens of features. */
	for (xmlNode *c = first; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "feature"))
			n++;
	CS_GROW(def->features, def->features_cap, n);
	cs_fset_zero(&seen);
	for (xmlNode *c = first; c; c = c->next) {
		enum cs_policy policy = CS_POLICY_NONE;
		const char *vname;
		char *tmp, *name = NULL;
		int id = -1;

		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "feature") != 0)
			continue;
		if (def->type == CS_CPU_TYPE_GUEST) {
			const char *pol = attr_value(c, "policy", &tmp);
			int pv = pol ? cs_policy_parse(pol) : CS_POLICY_REQUIRE;

			free(tmp);
			if (pv < 0) {
				perr(p, CS_ERR_INVALID, c, "Invalid CPU feature policy");
				return -1;
			}
			policy = (enum cs_policy)pv;
		}
		vname = attr_value(c, "name", &tmp);
		if (!vname || !*vname) {
			free(tmp);
			perr(p, CS_ERR_INVALID, c, "Invalid CPU feature name");
			return -1;
		}
		/* An arch whose map section has no features (ppc64) keeps the
		 * names as written: libvirt ignores them there.  So does arm for a
		 * name its section lacks (libvirt's arm baseline looks at none). */
		if (def->arch && def->arch->nfeatures)
			id = cs_arch_find_feature(def->arch, vname);
		if (def->arch && def->arch->nfeatures &&
		    (id >= 0 || !keeps_unknown_names(def->arch))) {
			if (id < 0)
				perr(p, CS_ERR_UNKNOWN, c, "Unknown CPU feature %s", vname);
			else if (cs_fset_test(&seen, (unsigned)id))
				perr(p, CS_ERR_DUPLICATE, c,
				     "CPU feature '%s' specified more than once", vname);
			free(tmp);
			if (id < 0 || cs_fset_test(&seen, (unsigned)id))
				return -1;
			cs_fset_set(&seen, (unsigned)id);
		} else {
			name = tmp ? tmp : cs_xstrdup(vname);
			for (size_t j = 0; j < def->nfeatures; j++) {
				/* a known feature keeps no name of its own */
				if (!strcmp(cs_cpudef_feature_name(def, j), name)) {
					perr(p, CS_ERR_DUPLICATE, c,
					     "CPU feature '%s' specified more than once", name);
					free(name);
					return -1;
				}
			}
		}
		CS_GROW(def->features, def->features_cap, def->nfeatures + 1);
		def->features[def->nfeatures].id = id;
		def->features[def->nfeatures].name = name;
		def->features[def->nfeatures].policy = policy;
		def->features[def->nfeatures].line = cs_xml_line(c);
		def->nfeatures++;
		if (id >= 0)
			cs_fset_set(&def->by_policy[policy], (unsigned)id);
	}
	return 0;
}

static bool is_interpreted(const struct cs_cpudef *def, const struct cpu_kids *k, const xmlNode *c)
{
	const char *n = (const char *)c->name;

	if (!strcmp(n, "feature"))
		return true;
	if (!strcmp(n, "arch") && def->type == CS_CPU_TYPE_HOST)
		return k->arch == c;
	if (!strcmp(n, "model") || !strcmp(n, "vendor") || !strcmp(n, "topology"))
		return true; /* the first is read; libvirt drops the others */
	return false;
}

/* The kind of CPU: forced by the caller, or libvirt's "auto" (host when
 * it has <arch>). */
static int parse_type(struct pctx *p, struct cs_cpudef *def, const xmlNode *cpu,
                      const struct cpu_kids *k)
{
	if (def->origin == CS_CPU_ORIGIN_DOMCAPS) {
		def->type = CS_CPU_TYPE_GUEST;
	} else if (p->flags & CS_CPUDEF_AS_HOST) {
		def->type = CS_CPU_TYPE_HOST;
	} else if (p->flags & CS_CPUDEF_AS_GUEST) {
		def->type = CS_CPU_TYPE_GUEST;
	} else if (k->arch) {
		if (xmlHasProp(cpu, (const xmlChar *)"match")) {
			perr(p, CS_ERR_INVALID, cpu,
			     "'arch' element cannot be used inside 'cpu' element with 'match' "
			     "attribute'");
			return -1;
		}
		def->type = CS_CPU_TYPE_HOST;
	} else {
		def->type = CS_CPU_TYPE_GUEST;
	}
	return 0;
}

/* The attributes of <cpu>: mode, migratable, match and check. */
static int parse_cpu_attrs(struct pctx *p, struct cs_cpudef *def, const xmlNode *cpu)
{
	static const char *const onoff_v[] = {"on", "off"};
	static const struct cs_names onoff = {onoff_v, 2};
	char *s = cs_xml_prop(cpu, "mode");
	int v;

	if (s) {
		if (def->type == CS_CPU_TYPE_HOST) {
			perr(p, CS_ERR_INVALID, cpu,
			     "Attribute mode is only allowed for guest CPU");
			free(s);
			return -1;
		}
		v = cs_names_find(&cs_mode_names, s);
		if (v < 0) {
			perr(p, CS_ERR_INVALID, cpu, "Invalid mode attribute '%s'", s);
			free(s);
			return -1;
		}
		def->mode = (enum cs_cpu_mode)v;
		free(s);
	}
	switch (prop_enum(p, cpu, "migratable", &onoff, &v)) {
	case -1:
		return -1;
	case 1:
		if (def->type == CS_CPU_TYPE_HOST || (def->mode != CS_CPU_MODE_HOST_PASSTHROUGH &&
		                                      def->mode != CS_CPU_MODE_MAXIMUM)) {
			perr(p, CS_ERR_INVALID, cpu,
			     "Attribute migratable is only allowed for 'host-passthrough' / "
			     "'maximum' CPU mode");
			return -1;
		}
		def->migratable = v == 0 ? CS_TRISTATE_ON : CS_TRISTATE_OFF;
		break;
	default:
		break;
	}
	if (def->type != CS_CPU_TYPE_GUEST)
		return 0;
	v = 0;
	if (prop_enum(p, cpu, "match", &cs_match_names, &v) < 0)
		return -1;
	def->match = (enum cs_cpu_match)v;
	v = 0;
	if (prop_enum(p, cpu, "check", &cs_check_names, &v) < 0)
		return -1;
	def->check = (enum cs_cpu_check)v;
	return 0;
}

/* A host CPU's <arch> (required, and known to libvirt) and <signature>;
 * a guest CPU is x86. */
static int parse_arch(struct pctx *p, struct cs_cpudef *def, const xmlNode *cpu,
                      const struct cpu_kids *k)
{
	if (def->type != CS_CPU_TYPE_HOST) {
		def->arch = cs_map_arch(p->map, "x86");
		return 0;
	}
	def->arch_name = node_text(k->arch);
	if (!def->arch_name) {
		perr(p, CS_ERR_INVALID, cpu, "Missing CPU architecture");
		return -1;
	}
	if (cs_names_find(&cs_known_arch_names, def->arch_name) < 0) {
		perr(p, CS_ERR_UNSUPPORTED, k->arch, "Unknown architecture %s", def->arch_name);
		return -1;
	}
	def->arch = cs_map_arch(p->map, def->arch_name);
	if (k->signature && parse_signature(p, def, k->signature) < 0)
		return -1;
	return 0;
}

/* The attributes of a guest's <model>: fallback and vendor_id. */
static int parse_model_attrs(struct pctx *p, struct cs_cpudef *def, const xmlNode *model_node)
{
	char *fb = cs_xml_prop(model_node, "fallback");

	if (fb) {
		int v = cs_names_find(&cs_fallback_names, fb);

		free(fb);
		if (v < 0) {
			perr(p, CS_ERR_INVALID, model_node, "Invalid fallback attribute");
			return -1;
		}
		def->fallback = (enum cs_cpu_fallback)v;
	}
	def->vendor_id = cs_xml_prop(model_node, "vendor_id");
	if (def->vendor_id && strlen(def->vendor_id) != 12) {
		perr(p, CS_ERR_INVALID, model_node, "vendor_id must be exactly 12 characters long");
		return -1;
	}
	if (def->vendor_id && strchr(def->vendor_id, ',')) {
		perr(p, CS_ERR_INVALID, model_node, "vendor id is invalid");
		return -1;
	}
	return 0;
}

/* <model>, <vendor> and <topology>, with the model and vendor resolved
 * against the map. */
static int parse_model(struct pctx *p, struct cs_cpudef *def, const xmlNode *cpu,
                       const struct cpu_kids *k)
{
	char *s = node_text(k->model);

	if (!s && def->type == CS_CPU_TYPE_HOST) {
		perr(p, CS_ERR_INVALID, k->model ? k->model : cpu, "Missing CPU model name");
		return -1;
	}
	if (k->model && def->type == CS_CPU_TYPE_GUEST &&
	    def->mode != CS_CPU_MODE_HOST_PASSTHROUGH && def->mode != CS_CPU_MODE_MAXIMUM &&
	    parse_model_attrs(p, def, k->model) < 0)
		goto fail;
	def->vendor = node_text(k->vendor);
	if (def->vendor && !s) {
		perr(p, CS_ERR_INVALID, k->vendor, "CPU vendor specified without CPU model");
		goto fail;
	}
	if (k->topology && parse_topology(p, def, k->topology) < 0)
		goto fail;
	if (s && def->arch)
		def->model = cs_arch_find_model(def->arch, s);
	if (s && def->arch && def->model < 0 && !keeps_unknown_names(def->arch)) {
		perr(p, CS_ERR_UNKNOWN, k->model, "Unknown CPU model %s", s);
		goto fail;
	}
	if (def->model >= 0)
		free(s);
	else
		def->model_name = s; /* no map section, or an unknown arm model */
	if (def->vendor && def->arch)
		def->vendor_idx = cs_arch_find_vendor(def->arch, def->vendor);
	return 0;
fail:
	free(s);
	return -1;
}

static struct cs_cpudef *parse_cpu(struct pctx *p, const xmlNode *cpu, enum cs_cpu_origin origin)
{
	struct cs_cpudef *def = cs_xcalloc(1, sizeof(*def));
	struct cpu_kids k;

	def->map = p->map;
	def->model = -1;
	def->vendor_idx = -1;
	def->origin = origin;
	def->mode = CS_CPU_MODE_CUSTOM;
	def->file = cs_xstrdup(p->name);
	def->line = cs_xml_line(cpu);
	find_kids(cpu, &k);

	if (parse_type(p, def, cpu, &k) < 0)
		goto fail;
	/* domcapabilities' <mode> element has attributes of its own */
	if (origin != CS_CPU_ORIGIN_DOMCAPS && parse_cpu_attrs(p, def, cpu) < 0)
		goto fail;
	if (parse_arch(p, def, cpu, &k) < 0 || parse_model(p, def, cpu, &k) < 0)
		goto fail;
	if (k.feature && !cs_cpudef_model_name(def) && def->mode == CS_CPU_MODE_CUSTOM) {
		perr(p, CS_ERR_INVALID, k.feature,
		     "Non-empty feature list specified without CPU model");
		goto fail;
	}
	if (k.feature && parse_features(p, def, k.feature) < 0)
		goto fail;
	if (k.cache && check_cache(p, &k) < 0)
		goto fail;
	if ((p->flags & CS_CPUDEF_STRICT) && k.model &&
	    (def->mode == CS_CPU_MODE_HOST_PASSTHROUGH || def->mode == CS_CPU_MODE_MAXIMUM)) {
		perr(p, CS_ERR_INVALID, k.model, "a <model> has no effect in %s mode",
		     cs_cpu_mode_name(def->mode));
		goto fail;
	}
	/* A streamed CPU has no text to copy elements from (keep_raw). */
	for (xmlNode *c = p->buf ? cpu->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !is_interpreted(def, &k, c))
			keep_raw(p, def, c);
	return def;

fail:
	cs_cpudef_free(def);
	return NULL;
}

/* Locate every element of the text (for copying kept elements verbatim);
 * done once per text, and only when an element has to be kept. */
static bool ensure_spans(struct pctx *p)
{
	if (p->spans_done)
		return p->spans_ok;
	p->spans_done = true;
	p->spans_ok =
	        cs_xml_spans_find(&p->spans, xmlDocGetRootElement(p->doc), p->buf, p->len) == 0;
	return p->spans_ok;
}

static void add_def(struct cs_cpudef ***defs, size_t *n, size_t *cap, struct cs_cpudef *def)
{
	CS_GROW(*defs, *cap, *n + 1);
	(*defs)[(*n)++] = def;
}

/* The <cpu>-like elements found under one top-level element. */
struct found_cpus {
	struct found_cpu {
		const xmlNode *node;
		enum cs_cpu_origin origin;
	} * cpus;
	size_t n, cap;
};

static void found_add(struct found_cpus *f, const xmlNode *node, enum cs_cpu_origin origin)
{
	CS_GROW(f->cpus, f->cap, f->n + 1);
	f->cpus[f->n++] = (struct found_cpu){node, origin};
}

/* Whether m is <mode name='host-model' supported='yes'>. */
static bool is_host_model_mode(const xmlNode *m)
{
	char *name, *sup;
	bool ok;

	if (!cs_xml_is(m, "mode"))
		return false;
	name = cs_xml_prop(m, "name");
	sup = cs_xml_prop(m, "supported");
	ok = name && sup && !strcmp(name, "host-model") && !strcmp(sup, "yes");
	free(name);
	free(sup);
	return ok;
}

/* The <cpu>-like elements under one top-level element, in document order,
 * into f (emptied first). */
static void collect(const xmlNode *top, struct found_cpus *f)
{
	f->n = 0;
	if (cs_xml_is(top, "cpu")) {
		found_add(f, top, CS_CPU_ORIGIN_BARE);
		return;
	}
	for (const xmlNode *c = top->children; c; c = c->next) {
		if (cs_xml_is(top, "domain") && cs_xml_is(c, "cpu")) {
			found_add(f, c, CS_CPU_ORIGIN_DOMAIN);
		} else if (cs_xml_is(top, "capabilities") && cs_xml_is(c, "host")) {
			for (const xmlNode *h = c->children; h; h = h->next)
				if (cs_xml_is(h, "cpu"))
					found_add(f, h, CS_CPU_ORIGIN_CAPS);
		} else if (cs_xml_is(top, "domainCapabilities") && cs_xml_is(c, "cpu")) {
			for (const xmlNode *m = c->children; m; m = m->next)
				if (is_host_model_mode(m))
					found_add(f, m, CS_CPU_ORIGIN_DOMCAPS);
		}
	}
}

static unsigned line_of(const char *buf, const char *pos)
{
	unsigned line = 1;

	for (const char *p = buf; p < pos; p++)
		line += *p == '\n';
	return line;
}

/* Move every line number of def down by off lines. */
static void shift_lines(struct cs_cpudef *def, unsigned off)
{
	if (def->line)
		def->line += off;
	for (size_t i = 0; i < def->nfeatures; i++)
		if (def->features[i].line)
			def->features[i].line += off;
	for (size_t i = 0; i < def->nraw; i++)
		if (def->raw[i].line)
			def->raw[i].line += off;
}

/* Parse the <cpu> elements of one piece of the input (one or more
 * top-level elements) whose first line is line first_line of the file,
 * handing each to cb.  Returns the number found, or -1 with p->err set. */
static long parse_chunk(struct pctx *p, const char *chunk, size_t clen, unsigned first_line,
                        cs_cpudef_fn cb, void *ctx, bool *stop)
{
	static const char open_tag[] = "<container>", close_tag[] = "</container>";
	struct cs_error local = {0}, *outer = p->err;
	size_t dl = p->decl_len, ol = dl + sizeof(open_tag) - 1;
	size_t wlen = ol + clen + sizeof(close_tag) - 1;
	char *wrapped = cs_xmalloc(wlen + 1);
	xmlDocPtr doc = NULL;
	long found = 0, ret = -1;
	struct found_cpus f = {0};

	/* The text's XML declaration goes first, so that libxml2 reads each
	 * chunk in the encoding it names; its line breaks become spaces and
	 * the wrapper adds none, so libxml2's lines are the chunk's. */
	for (size_t i = 0; i < dl; i++)
		wrapped[i] = p->decl[i] == '\n' || p->decl[i] == '\r' ? ' ' : p->decl[i];
	memcpy(wrapped + dl, open_tag, sizeof(open_tag) - 1);
	memcpy(wrapped + ol, chunk, clen);
	memcpy(wrapped + wlen - (sizeof(close_tag) - 1), close_tag, sizeof(close_tag));
	p->err = &local;
	doc = cs_xml_parse(wrapped, wlen, p->name, &local);
	if (!doc)
		goto out;
	p->buf = wrapped;
	p->len = wlen;
	p->doc = doc;
	p->spans_done = false;
	p->spans_ok = false;
	for (xmlNode *top = xmlDocGetRootElement(doc)->children; top && !*stop; top = top->next) {
		if (top->type != XML_ELEMENT_NODE)
			continue;
		collect(top, &f);
		for (size_t i = 0; i < f.n && !*stop; i++) {
			struct cs_cpudef *def = parse_cpu(p, f.cpus[i].node, f.cpus[i].origin);
			int rc;

			if (!def)
				goto out;
			shift_lines(def, first_line - 1);
			found++;
			rc = cb(ctx, def, &local);
			if (rc < 0)
				goto out;
			if (rc > 0 || (p->flags & CS_CPUDEF_FIRST))
				*stop = true;
		}
	}
	ret = found;
out:
	if (ret < 0) {
		if (local.line)
			local.line += first_line - 1;
		if (outer && !cs_error_isset(outer))
			*outer = local;
	}
	p->err = outer;
	p->buf = NULL;
	p->doc = NULL;
	cs_xml_spans_release(&p->spans);
	free(f.cpus);
	xmlFreeDoc(doc);
	free(wrapped);
	return ret;
}

int cs_cpudef_parse_each(const struct cs_map *map, const char *buf, size_t len, const char *name,
                         unsigned flags, cs_cpudef_fn fn, void *ctx, struct cs_error *err)
{
	struct pctx p = {.map = map, .name = name ? name : "<input>", .flags = flags, .err = err};
	const char *dt = cs_xml_find_doctype(buf, len), *doc = buf, *counted, *nul;
	size_t dlen, pos = 0, start, end, from = 0;
	unsigned line = 1;
	long total = 0;
	bool stop = false;

	if (dt) {
		cs_error_set(err, CS_ERR_SECURITY, p.name, line_of(buf, dt),
		             "document type declarations (DTDs, entities) are not allowed");
		return -1;
	}
	/* Checked here for the whole text, as a NUL between two top-level
	 * elements never reaches libxml2. */
	if (len && (nul = memchr(buf, '\0', len))) {
		cs_error_set(err, CS_ERR_SYNTAX, p.name, line_of(buf, nul),
		             "malformed XML: NUL byte (not allowed in XML)");
		return -1;
	}
	/* virsh drops a leading XML declaration and wraps the rest, so a file
	 * may hold several top-level elements. */
	if (len >= 5 && !memcmp(buf, "<?xml", 5)) {
		const char *q = cs_xml_find_str(buf, buf + len, "?>");

		if (q) {
			doc = q + 2;
			p.decl = buf;
			p.decl_len = (size_t)(doc - buf);
		}
	}
	dlen = len - (size_t)(doc - buf);
	line = line_of(buf, doc);
	counted = doc;
	/* Each top-level element is parsed on its own: memory stays small
	 * and time linear however many CPUs a pool file holds. */
	for (;;) {
		int r = cs_xml_next_top_element(doc, dlen, &pos, &start, &end);
		long n;

		if (r == 0)
			break;
		if (r < 0) {
			/* Let libxml2 say what is wrong with the rest. */
			start = from;
			end = dlen;
		} else if (stop) {
			/* Enough CPUs: the rest is only checked to be well-formed
			 * (what follows is not read, but may not be garbage). */
			from = end;
			continue;
		}
		for (; counted < doc + start; counted++)
			line += *counted == '\n';
		n = parse_chunk(&p, doc + start, end - start, line, fn, ctx, &stop);
		if (n < 0)
			return -1;
		total += n;
		from = end;
		if (r < 0)
			break;
	}
	if (!total) {
		cs_error_set(err, CS_ERR_INVALID, p.name, 0,
		             "File '%s' does not contain any <cpu> element or valid domain XML, "
		             "host capabilities XML, or domain capabilities XML",
		             p.name);
		return -1;
	}
	return 0;
}

struct cs_cpudef *cs_cpudef_parse_node(const struct cs_map *map, const char *name, unsigned flags,
                                       const void *node, enum cs_cpu_origin origin,
                                       struct cs_error *err)
{
	struct pctx p = {.map = map, .name = name ? name : "<input>", .flags = flags, .err = err};

	return parse_cpu(&p, node, origin);
}

struct collected {
	struct cs_cpudef **defs;
	size_t n, cap;
};

static int collect_def(void *ctx, struct cs_cpudef *def, struct cs_error *err)
{
	struct collected *c = ctx;

	(void)err;
	add_def(&c->defs, &c->n, &c->cap, def);
	return 0;
}

int cs_cpudef_parse(const struct cs_map *map, const char *buf, size_t len, const char *name,
                    unsigned flags, struct cs_cpudef ***defs, size_t *ndefs, struct cs_error *err)
{
	struct collected c = {NULL, 0, 0};

	*defs = NULL;
	*ndefs = 0;
	if (cs_cpudef_parse_each(map, buf, len, name, flags, collect_def, &c, err) < 0) {
		cs_cpudef_list_free(c.defs, c.n);
		return -1;
	}
	*defs = c.defs;
	*ndefs = c.n;
	return 0;
}

int cs_cpudef_load(const struct cs_map *map, const char *path, size_t max_size, unsigned flags,
                   struct cs_cpudef ***defs, size_t *ndefs, struct cs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int ret;

	*defs = NULL;
	*ndefs = 0;
	if (cs_read_file(path, max_size ? max_size : CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return -1;
	ret = cs_cpudef_parse(map, buf, len, path, flags, defs, ndefs, err);
	free(buf);
	return ret;
}

struct cs_cpudef *cs_cpudef_load_one(const struct cs_map *map, const char *path, unsigned flags,
                                     struct cs_error *err)
{
	struct cs_cpudef **defs = NULL, *def;
	size_t n = 0;

	if (cs_cpudef_load(map, path, 0, flags | CS_CPUDEF_FIRST, &defs, &n, err) < 0)
		return NULL;
	def = defs[0];
	defs[0] = NULL;
	cs_cpudef_list_free(defs, n);
	return def;
}
