/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_xml_write.c: write a map as a legacy single-file cpu_map.xml */
#include "cpuscope/cpumap.h"

#include <libxml/entities.h>
#include <libxml/xmlstring.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/escape.h"
#include "cpuscope/xalloc.h"

/* Every writer call returns < 0 on failure; collect failures in one flag. */
struct xw {
	xmlTextWriterPtr w;
	bool failed;
	const char *unwritable; /* a value XML cannot carry */
};

static void xw_check(struct xw *x, int rc)
{
	if (rc < 0)
		x->failed = true;
}

static void xw_start(struct xw *x, const char *name)
{
	xw_check(x, xmlTextWriterStartElement(x->w, (const xmlChar *)name));
}

static void xw_end(struct xw *x)
{
	xw_check(x, xmlTextWriterEndElement(x->w));
}

/* True when XML 1.0 can carry s: UTF-8 without control characters other
 * than tab and line breaks. */
static bool xml_text_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return false;
	return xmlCheckUTF8((const xmlChar *)s) != 0;
}

/* An attribute in single quotes: libxml2 escapes the value's markup
 * characters, and the quote character, which its writer leaves alone when
 * it is ', is written as &apos;. */
static void xw_attr(struct xw *x, const char *name, const char *value)
{
	xmlChar *esc;

	if (!xml_text_ok(value)) {
		x->failed = true;
		if (!x->unwritable)
			x->unwritable = value;
		return;
	}
	if (!strchr(value, '\'')) {
		xw_check(x, xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name,
		                                        (const xmlChar *)value));
		return;
	}
	esc = xmlEncodeSpecialChars(NULL, (const xmlChar *)value);
	xw_check(x, xmlTextWriterStartAttribute(x->w, (const xmlChar *)name));
	for (const xmlChar *p = esc; p && *p; p++)
		xw_check(x, *p == '\'' ? xmlTextWriterWriteRaw(x->w, (const xmlChar *)"&apos;")
		                       : xmlTextWriterWriteRawLen(x->w, p, 1));
	xw_check(x, xmlTextWriterEndAttribute(x->w));
	xmlFree(esc);
}

static void xw_attr_hex(struct xw *x, const char *name, uint32_t v, int digits)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%0*x", digits, v);
	xw_attr(x, name, buf);
}

static void xw_attr_uint(struct xw *x, const char *name, unsigned v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	xw_attr(x, name, buf);
}

static void write_feature(struct xw *x, const struct cs_feature *f)
{
	static const char *const regs[CS_REG_COUNT] = {"eax", "ebx", "ecx", "edx"};

	xw_start(x, "feature");
	xw_attr(x, "name", f->name);
	if (!f->migratable)
		xw_attr(x, "migratable", "no");
	for (size_t i = 0; i < f->naliases; i++) {
		xw_start(x, "alias");
		xw_attr(x, "name", f->aliases[i].name);
		if (f->aliases[i].source)
			xw_attr(x, "source", f->aliases[i].source);
		xw_end(x);
	}
	for (size_t i = 0; i < f->nitems; i++) {
		const struct cs_item *it = &f->items[i];

		if (it->kind == CS_ITEM_CPUID) {
			xw_start(x, "cpuid");
			xw_attr_hex(x, "eax_in", it->leaf, 8);
			if (it->subleaf)
				xw_attr_hex(x, "ecx_in", it->subleaf, 8);
			for (int r = 0; r < CS_REG_COUNT; r++)
				if (it->reg[r])
					xw_attr_hex(x, regs[r], it->reg[r], 8);
		} else {
			xw_start(x, "msr");
			xw_attr_hex(x, "index", it->leaf, 0);
			xw_attr_hex(x, "edx", it->reg[CS_REG_EDX], 8);
			xw_attr_hex(x, "eax", it->reg[CS_REG_EAX], 8);
		}
		xw_end(x);
	}
	xw_end(x);
}

static void write_model(struct xw *x, const struct cs_arch *a, const struct cs_model *m)
{
	int id;

	xw_start(x, "model");
	xw_attr(x, "name", m->name);
	if (m->parent >= 0) {
		xw_start(x, "model");
		xw_attr(x, "name", a->models[m->parent].name);
		xw_end(x);
	}
	if (m->has_decode) {
		xw_start(x, "decode");
		xw_attr(x, "host", m->decode_host ? "on" : "off");
		xw_attr(x, "guest", m->decode_guest ? "on" : "off");
		xw_end(x);
	}
	if (m->sigs_own) {
		for (size_t i = 0; i < m->nsigs; i++) {
			xw_start(x, "signature");
			xw_attr_uint(x, "family", m->sigs[i].family);
			xw_attr_uint(x, "model", m->sigs[i].model);
			if (m->sigs[i].steppings) {
				char st[64];

				cs_steppings_format(m->sigs[i].steppings, st, sizeof(st));
				xw_attr(x, "stepping", st);
			}
			xw_end(x);
		}
	}
	if (m->vendor_own && m->vendor >= 0) {
		xw_start(x, "vendor");
		xw_attr(x, "name", a->vendors[m->vendor].name);
		xw_end(x);
	}
	/* A child with pvrs of its own is written with them; inherited ones are
	 * not repeated (the loader copies them down again). */
	if (m->parent < 0 || a->models[m->parent].npvrs != m->npvrs ||
	    (m->npvrs && memcmp(a->models[m->parent].pvrs, m->pvrs, m->npvrs * sizeof(*m->pvrs)))) {
		for (size_t i = 0; i < m->npvrs; i++) {
			xw_start(x, "pvr");
			xw_attr_hex(x, "value", m->pvrs[i].value, 8);
			if (m->pvrs[i].has_mask)
				xw_attr_hex(x, "mask", m->pvrs[i].mask, 8);
			xw_end(x);
		}
	}
	for (size_t i = 0; i < m->nown; i++) {
		xw_start(x, "feature");
		xw_attr(x, "name", a->features[m->own_list[i]].name);
		xw_end(x);
	}
	cs_fset_foreach (id, &m->removed) {
		xw_start(x, "feature");
		xw_attr(x, "name", a->features[id].name);
		xw_attr(x, "removed", "yes");
		xw_end(x);
	}
	xw_end(x);
}

int cs_map_to_legacy_xml(const struct cs_map *map, char **out, size_t *len, struct cs_error *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	struct xw x = {NULL, false, NULL};
	int ret = -1;

	*out = NULL;
	if (!buf) {
		cs_error_set(err, CS_ERR_IO, NULL, 0, "cannot create XML buffer");
		return -1;
	}
	x.w = xmlNewTextWriterMemory(buf, 0);
	if (!x.w) {
		cs_error_set(err, CS_ERR_IO, NULL, 0, "cannot create XML writer");
		goto out;
	}
	xw_check(&x, xmlTextWriterSetIndent(x.w, 1));
	xw_check(&x, xmlTextWriterSetIndentString(x.w, (const xmlChar *)"  "));
	xw_check(&x, xmlTextWriterSetQuoteChar(x.w, '\''));
	xw_check(&x, xmlTextWriterStartDocument(x.w, NULL, NULL, NULL));
	if (map->comment) {
		char *c = cs_xasprintf(" %s ", map->comment);

		/* "--" cannot appear inside an XML comment. */
		for (char *p = strstr(c, "--"); p; p = strstr(p, "--"))
			p[1] = '=';
		xw_check(&x, xmlTextWriterWriteComment(x.w, (const xmlChar *)c));
		free(c);
	}
	xw_start(&x, "cpus");
	for (size_t k = 0; k < map->narches; k++) {
		const struct cs_arch *a = &map->arches[k];

		xw_start(&x, "arch");
		xw_attr(&x, "name", a->name);
		for (size_t i = 0; i < a->nvendors; i++) {
			const struct cs_vendor *v = &a->vendors[i];

			xw_start(&x, "vendor");
			xw_attr(&x, "name", v->name);
			if (v->string)
				xw_attr(&x, "string", v->string);
			if (v->has_value)
				xw_attr_hex(&x, "value", v->value, 0);
			xw_end(&x);
		}
		for (size_t i = 0; i < a->nfeatures; i++)
			write_feature(&x, &a->features[i]);
		for (size_t i = 0; i < a->nmodels; i++)
			write_model(&x, a, &a->models[i]);
		xw_end(&x);
	}
	xw_end(&x);
	xw_check(&x, xmlTextWriterEndDocument(x.w));
	xmlFreeTextWriter(x.w);
	x.w = NULL;
	if (x.unwritable) {
		char *shown = cs_term_text(x.unwritable);

		cs_error_set(err, CS_ERR_INVALID, NULL, 0,
		             "the name '%.80s' has a character XML cannot carry", shown);
		free(shown);
		goto out;
	}
	if (x.failed) {
		cs_error_set(err, CS_ERR_IO, NULL, 0, "cannot format the map as XML");
		goto out;
	}
	*len = (size_t)xmlBufferLength(buf);
	*out = cs_xstrndup((const char *)xmlBufferContent(buf), *len);
	ret = 0;
out:
	if (x.w)
		xmlFreeTextWriter(x.w);
	xmlBufferFree(buf);
	return ret;
}
