/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xmlsafe.h: internal: parse XML with libxml2 safely and report errors by file and line */
#ifndef CPUSCOPE_XMLSAFE_H
#define CPUSCOPE_XMLSAFE_H

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cpuscope/error.h"
#include "saxtree.h"

/* Parse buf (len bytes) as XML.  No network, no DTD loading, no entity
 * substitution; a document type declaration and NUL bytes are refused.  name is
 * used in messages.  Returns a document (free with xmlFreeDoc) or NULL with
 * err set to "NAME:LINE: message". */
xmlDocPtr cs_xml_parse(const char *buf, size_t len, const char *name, struct cs_error *err);

/* Read the file (size-capped) and parse it as cs_xml_parse does. */
xmlDocPtr cs_xml_parse_file(const char *path, struct cs_error *err);

/* The same parse (the same refusals and messages) building a read-only
 * tree in an arena instead of a document (saxtree.h: blank text beside
 * elements is not kept): far fewer allocations for a file read once and
 * walked.  Returns its root element, valid until cs_xml_tree_release(out),
 * or NULL with err set (out is then released). */
struct cs_xml_tree {
	struct cs_saxtree tree;
	xmlParserCtxtPtr ctxt; /* its dictionary holds the tree's names */
	xmlDocPtr doc;         /* the (empty) document libxml2 made */
};
xmlNode *cs_xml_parse_tree(const char *buf, size_t len, const char *name, struct cs_xml_tree *out,
                           struct cs_error *err);
xmlNode *cs_xml_parse_tree_file(const char *path, struct cs_xml_tree *out, struct cs_error *err);
void cs_xml_tree_release(struct cs_xml_tree *t);

/* Line of a node (0 when unknown). */
unsigned cs_xml_line(const xmlNode *node);

/* An attribute's value as a new string the caller frees, or NULL. */
char *cs_xml_prop(const xmlNode *node, const char *name);

/* True when node is an element named name. */
int cs_xml_is(const xmlNode *node, const char *name);

/* The first child element of node named name; NULL when there is none or
 * node is NULL. */
xmlNode *cs_xml_child(const xmlNode *node, const char *name);

/* The text content of node as a new string the caller frees; NULL when
 * node is NULL. */
char *cs_xml_text(const xmlNode *node);

/* cs_xml_parse() of a domain XML: NULL, with the error, when it is not
 * well-formed or its root element is not <domain>. */
xmlDocPtr cs_xml_parse_domain(const char *buf, size_t len, const char *name, struct cs_error *err);

#endif
