/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xmlsafe.c: hardened libxml2 parsing with captured, positioned errors */
#include "xmlsafe.h"

#include <libxml/SAX2.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/xalloc.h"
#include "saxtree.h"

struct capture {
	struct cs_error *err;
	const char *name;
	int refused_dtd;
	unsigned dtd_line;
	struct cs_saxtree *tree; /* the tree built instead of a document, or NULL */
};

static void capture_error(void *ctx, xmlErrorPtr e)
{
	struct capture *c = ctx;
	char msg[400];
	size_t n;

	if (!e || e->level < XML_ERR_ERROR)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	cs_error_setc(c->err, CS_ERR_SYNTAX, c->name, e->line > 0 ? (unsigned)e->line : 0,
	              e->int2 > 0 ? (unsigned)e->int2 : 0, "malformed XML: %s", msg);
}

/* A document type declaration is where external entities and entity
 * expansion bombs come from; cpu maps and libvirt XML never need one. */
static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr pctx = ctx;
	struct capture *c = pctx->_private;

	(void)name;
	(void)ext;
	(void)sys;
	if (!c->refused_dtd) {
		c->refused_dtd = 1;
		c->dtd_line = (unsigned)xmlSAX2GetLineNumber(ctx);
	}
	xmlStopParser(pctx);
}

/* True when buf starts as XML in UTF-16 or UCS-4, whose NUL bytes are
 * part of the characters (libxml2 decodes them and refuses U+0000). */
static bool wide_encoding(const char *buf, size_t len)
{
	switch (len >= 4 ? xmlDetectCharEncoding((const unsigned char *)buf, 4)
	                 : XML_CHAR_ENCODING_NONE) {
	case XML_CHAR_ENCODING_UTF16LE:
	case XML_CHAR_ENCODING_UTF16BE:
	case XML_CHAR_ENCODING_UCS4LE:
	case XML_CHAR_ENCODING_UCS4BE:
	case XML_CHAR_ENCODING_UCS4_2143:
	case XML_CHAR_ENCODING_UCS4_3412:
		return true;
	default:
		return false;
	}
}

/* ---- building an arena tree instead of a document (cs_xml_parse_tree) ---- */

static struct cs_saxtree *tree_of(void *ctx)
{
	return ((struct capture *)((xmlParserCtxtPtr)ctx)->_private)->tree;
}

static void tree_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                       int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
	xmlParserCtxtPtr c = ctx;

	(void)nns;
	(void)ns;
	(void)ndef;
	cs_saxtree_start(tree_of(ctx), name, prefix, uri, nattrs, attrs,
	                 c->input ? c->input->line : 0);
}

static void tree_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	(void)name;
	(void)prefix;
	(void)uri;
	cs_saxtree_end(tree_of(ctx));
}

static void tree_text(void *ctx, const xmlChar *text, int len)
{
	cs_saxtree_text(tree_of(ctx), text, len);
}

static void tree_comment(void *ctx, const xmlChar *text)
{
	cs_saxtree_other(tree_of(ctx), XML_COMMENT_NODE, NULL, text);
}

static void tree_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	cs_saxtree_other(tree_of(ctx), XML_PI_NODE, target, data);
}

/* cs_xml_parse(), or with tree the same parse building tree instead of a
 * document: *keep then gets the parser context (its dictionary holds the
 * tree's names) and the document returned is empty. */
static xmlDocPtr parse(const char *buf, size_t len, const char *name, struct cs_saxtree *tree,
                       xmlParserCtxtPtr *keep, struct cs_error *err)
{
	/* Errors are collected apart from err: libxml2 also reports errors it
	 * recovers from (an undefined namespace prefix, say) in a document it
	 * returns, and those must not stand in for a later, real error. */
	struct cs_error local = {0};
	struct capture cap = {&local, name, 0, 0, tree};
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	const char *nul;

	if (len > CS_MAX_FILE_SIZE) {
		cs_error_set(err, CS_ERR_SECURITY, name, 0, "file too large (limit %u bytes)",
		             CS_MAX_FILE_SIZE);
		return NULL;
	}
	/* libxml2 takes a NUL byte after the root element for the end of the
	 * text and ignores what follows; no XML text may hold one. */
	if (len && !wide_encoding(buf, len) && (nul = memchr(buf, '\0', len))) {
		unsigned line = 1, col = 1;

		for (const char *p = buf; p < nul; p++) {
			col = *p == '\n' ? 1 : col + 1;
			line += *p == '\n';
		}
		cs_error_setc(err, CS_ERR_SYNTAX, name, line, col,
		              "malformed XML: NUL byte (not allowed in XML)");
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		cs_error_set(err, CS_ERR_IO, name, 0, "cannot create XML parser");
		return NULL;
	}
	ctxt->_private = &cap;
	ctxt->sax->internalSubset = refuse_dtd;
	ctxt->sax->externalSubset = refuse_dtd;
	if (tree) {
		ctxt->sax->startElementNs = tree_start;
		ctxt->sax->endElementNs = tree_end;
		ctxt->sax->characters = tree_text;
		ctxt->sax->ignorableWhitespace = tree_text;
		ctxt->sax->comment = tree_comment;
		ctxt->sax->processingInstruction = tree_pi;
		ctxt->sax->reference = NULL;
	}
	xmlSetStructuredErrorFunc(&cap, capture_error);
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
	                                XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (cap.refused_dtd) {
		cs_error_clear(cap.err);
		cs_error_set(cap.err, CS_ERR_SECURITY, name, cap.dtd_line,
		             "document type declarations (DTDs, entities) are not allowed");
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (doc && !ctxt->wellFormed) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (!doc && !cs_error_isset(cap.err))
		cs_error_set(cap.err, CS_ERR_SYNTAX, name, 0, "malformed XML");
	if (!doc && err && !cs_error_isset(err))
		*err = *cap.err;
	if (doc && !(tree ? tree->root : xmlDocGetRootElement(doc))) {
		cs_error_set(err, CS_ERR_SYNTAX, name, 0, "malformed XML: no root element");
		xmlFreeDoc(doc);
		doc = NULL;
	}
	if (tree && doc)
		*keep = ctxt;
	else
		xmlFreeParserCtxt(ctxt);
	return doc;
}

xmlDocPtr cs_xml_parse(const char *buf, size_t len, const char *name, struct cs_error *err)
{
	return parse(buf, len, name, NULL, NULL, err);
}

xmlNode *cs_xml_parse_tree(const char *buf, size_t len, const char *name, struct cs_xml_tree *out,
                           struct cs_error *err)
{
	cs_saxtree_init(&out->tree);
	out->ctxt = NULL;
	out->doc = parse(buf, len, name, &out->tree, &out->ctxt, err);
	if (!out->doc) {
		cs_xml_tree_release(out);
		return NULL;
	}
	return out->tree.root;
}

xmlNode *cs_xml_parse_tree_file(const char *path, struct cs_xml_tree *out, struct cs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	xmlNode *root;

	cs_saxtree_init(&out->tree);
	out->ctxt = NULL;
	out->doc = NULL;
	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return NULL;
	root = cs_xml_parse_tree(buf, len, path, out, err);
	free(buf);
	return root;
}

void cs_xml_tree_release(struct cs_xml_tree *t)
{
	cs_saxtree_release(&t->tree);
	xmlFreeDoc(t->doc);
	t->doc = NULL;
	if (t->ctxt)
		xmlFreeParserCtxt(t->ctxt);
	t->ctxt = NULL;
}

xmlDocPtr cs_xml_parse_file(const char *path, struct cs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	xmlDocPtr doc;

	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return NULL;
	doc = cs_xml_parse(buf, len, path, err);
	free(buf);
	return doc;
}

unsigned cs_xml_line(const xmlNode *node)
{
	long l = cs_saxtree_line(node);

	return l > 0 ? (unsigned)l : 0;
}

char *cs_xml_prop(const xmlNode *node, const char *name)
{
	xmlChar *v;
	char *copy;

	/* The usual value, one text node, is copied once; anything else as
	 * xmlGetProp() gives it (the first attribute of that name, in any
	 * namespace; no DTD defaults: DTDs are refused). */
	for (const xmlAttr *a = node->type == XML_ELEMENT_NODE ? node->properties : NULL; a;
	     a = a->next) {
		const xmlNode *t = a->children;

		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (t && !t->next && t->type == XML_TEXT_NODE && t->content)
			return cs_xstrdup((const char *)t->content);
		break;
	}
	v = xmlGetProp(node, (const xmlChar *)name);
	if (!v)
		return NULL;
	copy = cs_xstrdup((const char *)v);
	xmlFree(v);
	return copy;
}

int cs_xml_is(const xmlNode *node, const char *name)
{
	return node && node->type == XML_ELEMENT_NODE && !node->ns &&
	       !strcmp((const char *)node->name, name);
}

xmlNode *cs_xml_child(const xmlNode *node, const char *name)
{
	for (xmlNode *c = node ? node->children : NULL; c; c = c->next)
		if (cs_xml_is(c, name))
			return c;
	return NULL;
}

char *cs_xml_text(const xmlNode *node)
{
	xmlChar *t = node ? xmlNodeGetContent(node) : NULL;
	char *s = t ? cs_xstrdup((const char *)t) : NULL;

	xmlFree(t);
	return s;
}

xmlDocPtr cs_xml_parse_domain(const char *buf, size_t len, const char *name, struct cs_error *err)
{
	xmlDocPtr doc = cs_xml_parse(buf, len, name, err);
	xmlNode *root;

	if (!doc)
		return NULL;
	root = xmlDocGetRootElement(doc);
	if (!cs_xml_is(root, "domain")) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(root),
		             "not a domain XML: the root element is <%s>, not <domain>",
		             root ? (const char *)root->name : "(none)");
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}
