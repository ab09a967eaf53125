/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xmlspan.h: where elements lie in XML text, found by a small lexer (internal to the core) */
#ifndef CPUSCOPE_XMLSPAN_H
#define CPUSCOPE_XMLSPAN_H

#include <stddef.h>

#include <libxml/tree.h>

/* Where one element of an XML text lies: [start, end) covers it from '<' to
 * the end of its end tag (or of "/>").  node is the libxml2 node parsed
 * from it; it is only compared, never read, so a table may outlive its
 * document (its lookups then simply find nothing new). */
struct cs_xml_span {
	const xmlNode *node;
	size_t start, end;
};

/* The spans of every element of one text, in document (pre)order.  The
 * table owns its array and nothing else: libxml2's nodes are left
 * untouched.  Zero-initialised = empty. */
struct cs_xml_spans {
	struct cs_xml_span *v;
	size_t n;
};

/* Find every element of buf, the well-formed XML text the tree that starts
 * at root (and its following siblings) was parsed from, and pair each
 * element node with its span.  Returns 0, or -1 with out empty when the
 * text is not something the lexer understands (a DOCTYPE, an unterminated
 * construct) or its elements do not match the tree. */
int cs_xml_spans_find(struct cs_xml_spans *out, const xmlNode *root, const char *buf, size_t len);

/* The span of node, or NULL when the table has none (borrowed from s). */
const struct cs_xml_span *cs_xml_spans_get(const struct cs_xml_spans *s, const xmlNode *node);

/* Free the table's array; s is left empty.  NULL is fine. */
void cs_xml_spans_release(struct cs_xml_spans *s);

/* The next top-level element of buf at or after *pos: its span in
 * [*start, *end).  Returns 1 when found (then *pos is its end), 0 at the
 * end of the text, -1 when the text is not well-formed enough to split. */
int cs_xml_next_top_element(const char *buf, size_t len, size_t *pos, size_t *start, size_t *end);

/* Where a document type declaration starts in buf (outside comments,
 * CDATA sections and processing instructions), or NULL. */
const char *cs_xml_find_doctype(const char *buf, size_t len);

/* Where the string what first occurs in [p, end), or NULL. */
const char *cs_xml_find_str(const char *p, const char *end, const char *what);

/* The whitespace between the start of the line and offset pos, as a new
 * string; NULL when something other than blanks precedes pos on its line. */
char *cs_xml_line_indent(const char *buf, size_t pos);

#endif
