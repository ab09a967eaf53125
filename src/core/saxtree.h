/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* saxtree.h: internal: read-only element trees built from SAX2 events in an arena */
#ifndef CPUSCOPE_SAXTREE_H
#define CPUSCOPE_SAXTREE_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

/* A tree of libxml2 nodes (elements, attributes, text, CDATA, comments,
 * processing instructions) with the shape libxml2's own tree builder gives
 * them, for code that reads a tree: children, attributes, content, lines,
 * xmlGetProp(), xmlNodeGetContent().  The nodes live in an arena: nothing
 * may free, unlink or change them, and cs_saxtree_reset() drops them all at
 * once.  Names come from the parser's dictionary and must outlive the tree.
 * Blank text next to a child element is not kept (an element holding only
 * blanks keeps them).  An element's line is exact even past 65,535: see
 * cs_saxtree_line(). */
/* Room a new text node is given (and blanks that may be held back). */
#define CS_SAXTREE_TEXT_ROOM 64u

struct cs_saxtree {
	struct cs_saxblock *blocks; /* the arena's blocks, oldest first */
	struct cs_saxblock *blk;    /* the block in use */
	xmlNode *root, *cur;        /* the top element; the element open */
	xmlNode *text;              /* the text node being appended to, or NULL */
	size_t text_cap;            /* room in text->content */
	bool text_blank;            /* text holds only blanks so far */
	/* Blanks that opened the element being read, held back until it is
	 * known whether a child element follows (then they are not kept). */
	char pend[CS_SAXTREE_TEXT_ROOM];
	size_t pend_len;
	size_t bytes; /* arena bytes in use */
};

void cs_saxtree_init(struct cs_saxtree *t);
/* Drop every node (the arena's blocks are kept for the next trees). */
void cs_saxtree_reset(struct cs_saxtree *t);
void cs_saxtree_release(struct cs_saxtree *t);

/* SAX2 startElementNs, endElementNs and text events (line: the parser's). */
void cs_saxtree_start(struct cs_saxtree *t, const xmlChar *name, const xmlChar *prefix,
                      const xmlChar *uri, int nattrs, const xmlChar **attrs, long line);
/* true when the top element is complete. */
bool cs_saxtree_end(struct cs_saxtree *t);
void cs_saxtree_text(struct cs_saxtree *t, const xmlChar *text, int len);
/* CDATA, comments and processing instructions. */
void cs_saxtree_other(struct cs_saxtree *t, xmlElementType type, const xmlChar *name,
                      const xmlChar *content);

/* The element's line (as xmlGetLineNo(), exact for this tree's elements). */
long cs_saxtree_line(const xmlNode *node);

#endif
