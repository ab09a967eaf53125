/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* saxtree.c: read-only element trees built from SAX2 events in an arena */
#include "saxtree.h"

#include <libxml/parserInternals.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"

#define BLOCK_BYTES (64u * 1024u)
/* libxml2 keeps lines in 16 bits; a larger one is kept in psvi. */
#define LINE_MAX16 65535

#define ZERO_STEP 4096u

struct cs_saxblock {
	struct cs_saxblock *next;
	size_t size, used;
	size_t zeroed; /* data[used..zeroed) is known to be zero */
	max_align_t data[];
};

void cs_saxtree_init(struct cs_saxtree *t)
{
	memset(t, 0, sizeof(*t));
}

/* n bytes of the arena, zeroed.  A block is cleared a step ahead of its
 * use and again, as far as it was used, when it is reused, so that nodes
 * need no clearing of their own. */
static void *arena(struct cs_saxtree *t, size_t n)
{
	struct cs_saxblock *b = t->blk;
	size_t align = sizeof(max_align_t);

	n = (n + align - 1) / align * align;
	if (!b || b->size - b->used < n) {
		/* the next block kept from an earlier tree, or a new one */
		if (b && b->next && b->next->size >= n) {
			b = b->next;
		} else {
			struct cs_saxblock *nb;
			size_t size = n > BLOCK_BYTES ? n : BLOCK_BYTES;

			nb = cs_xmalloc(sizeof(*nb) + size);
			nb->size = size;
			nb->used = nb->zeroed = 0;
			if (b) {
				nb->next = b->next;
				b->next = nb;
			} else {
				nb->next = NULL;
				t->blocks = nb;
			}
			b = nb;
		}
		t->blk = b;
	}
	if (b->used + n > b->zeroed) {
		size_t z = (b->used + n + ZERO_STEP - 1) / ZERO_STEP * ZERO_STEP;

		z = z < b->size ? z : b->size;
		memset((char *)b->data + b->zeroed, 0, z - b->zeroed);
		b->zeroed = z;
	}
	b->used += n;
	t->bytes += n;
	return (char *)b->data + b->used - n;
}

void cs_saxtree_reset(struct cs_saxtree *t)
{
	/* The blocks are kept for the next trees, cleared as far as used. */
	for (struct cs_saxblock *b = t->blocks; b; b = b->next) {
		memset(b->data, 0, b->used);
		b->used = 0;
	}
	t->blk = t->blocks;
	t->root = t->cur = t->text = NULL;
	t->text_cap = t->bytes = t->pend_len = 0;
	t->text_blank = false;
}

void cs_saxtree_release(struct cs_saxtree *t)
{
	struct cs_saxblock *b = t->blocks;

	while (b) {
		struct cs_saxblock *next = b->next;
		free(b);
		b = next;
	}
	cs_saxtree_init(t);
}

static void append(xmlNode *parent, xmlNode *n)
{
	n->parent = parent;
	if (parent->last) {
		parent->last->next = n;
		n->prev = parent->last;
	} else {
		parent->children = n;
	}
	parent->last = n;
}

/* Blank text before a child element is not kept. */
static void drop_blank_text(struct cs_saxtree *t)
{
	xmlNode *n = t->text;

	t->pend_len = 0;
	if (n && t->text_blank && n->parent->last == n) {
		n->parent->last = n->prev;
		if (n->prev)
			n->prev->next = NULL;
		else
			n->parent->children = NULL;
	}
	t->text = NULL;
}

static xmlNs *ns_of(struct cs_saxtree *t, const xmlChar *prefix, const xmlChar *uri)
{
	xmlNs *ns;

	if (!uri)
		return NULL;
	ns = arena(t, sizeof(*ns));
	ns->type = XML_NAMESPACE_DECL;
	ns->href = uri;
	ns->prefix = prefix;
	return ns;
}

static bool is_blank(const xmlChar *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/* A text node of n bytes, with room for cap. */
static xmlNode *text_node(struct cs_saxtree *t, const xmlChar *s, size_t n, size_t cap)
{
	xmlNode *x = arena(t, sizeof(*x));
	xmlChar *c = arena(t, cap + 1);

	x->type = XML_TEXT_NODE;
	x->name = xmlStringText;
	memcpy(c, s, n);
	c[n] = '\0';
	x->content = c;
	return x;
}

/* The blanks held back become the element's text after all. */
static void flush_pending(struct cs_saxtree *t)
{
	size_t n = t->pend_len;

	t->pend_len = 0;
	t->text_cap = CS_SAXTREE_TEXT_ROOM;
	t->text = text_node(t, (const xmlChar *)t->pend, n, t->text_cap);
	t->text_blank = true;
	append(t->cur, t->text);
}

/* An attribute value as SAX2 gives it: a '&' that was in the value is
 * handed over as "&#38;" (libxml2 then reads the value again). */
static xmlNode *attr_text(struct cs_saxtree *t, const xmlChar *v, const xmlChar *end)
{
	size_t n = (size_t)(end - v), k = 0;
	xmlNode *x = text_node(t, v, n, n);
	xmlChar *c = x->content;

	if (!memchr(v, '&', n))
		return x;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '&' && n - i >= 5 && !memcmp(v + i, "&#38;", 5)) {
			c[k++] = '&';
			i += 4;
		} else {
			c[k++] = v[i];
		}
	}
	c[k] = '\0';
	return x;
}

void cs_saxtree_start(struct cs_saxtree *t, const xmlChar *name, const xmlChar *prefix,
                      const xmlChar *uri, int nattrs, const xmlChar **attrs, long line)
{
	xmlNode *n = arena(t, sizeof(*n));
	xmlAttr *last = NULL;

	drop_blank_text(t);
	n->type = XML_ELEMENT_NODE;
	n->name = name;
	n->ns = ns_of(t, prefix, uri);
	n->line = (unsigned short)(line > 0 && line < LINE_MAX16 ? line : LINE_MAX16);
	if (line >= LINE_MAX16)
		n->psvi = (void *)(intptr_t)line;
	for (int i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;
		xmlAttr *at = arena(t, sizeof(*at));
		xmlNode *v = attr_text(t, a[3], a[4]);

		at->type = XML_ATTRIBUTE_NODE;
		at->name = a[0];
		at->ns = ns_of(t, a[1], a[2]);
		at->parent = n;
		at->children = at->last = v;
		v->parent = (xmlNode *)at;
		if (last) {
			last->next = at;
			at->prev = last;
		} else {
			n->properties = at;
		}
		last = at;
	}
	if (t->cur)
		append(t->cur, n);
	else
		t->root = n;
	t->cur = n;
}

bool cs_saxtree_end(struct cs_saxtree *t)
{
	xmlNode *n = t->cur;

	if (!n)
		return true;
	if (t->pend_len) /* an element holding only blanks keeps them */
		flush_pending(t);
	/* Blank text after the last child element is not kept either. */
	if (t->text && t->text_blank && n->children != t->text)
		drop_blank_text(t);
	t->text = NULL;
	t->cur = n ? n->parent : NULL;
	return t->cur == NULL;
}

void cs_saxtree_text(struct cs_saxtree *t, const xmlChar *s, int len)
{
	xmlNode *x = t->text;
	size_t n = len > 0 ? (size_t)len : 0, have;

	if (!t->cur || !n)
		return;
	if (t->pend_len) {
		if (t->pend_len + n <= sizeof(t->pend) && is_blank(s, n)) {
			memcpy(t->pend + t->pend_len, s, n);
			t->pend_len += n;
			return;
		}
		flush_pending(t);
		x = t->text;
	}
	if (!x) {
		bool blank = is_blank(s, n);
		xmlNode *l = t->cur->last;

		/* blank text after a child element is dropped at once */
		if (blank && l && l->type == XML_ELEMENT_NODE)
			return;
		/* blank text opening an element waits for what follows */
		if (blank && !l && n <= sizeof(t->pend)) {
			memcpy(t->pend, s, n);
			t->pend_len = n;
			return;
		}
		t->text_cap = n < CS_SAXTREE_TEXT_ROOM ? CS_SAXTREE_TEXT_ROOM : n;
		t->text = text_node(t, s, n, t->text_cap);
		t->text_blank = blank;
		append(t->cur, t->text);
		return;
	}
	/* more of the same text: room doubles, so that a long text costs
	 * linear time */
	have = strlen((const char *)x->content);
	if (have + n > t->text_cap) {
		size_t cap = (have + n) * 2;
		xmlChar *c = arena(t, cap + 1);

		memcpy(c, x->content, have);
		x->content = c;
		t->text_cap = cap;
	}
	memcpy(x->content + have, s, n);
	x->content[have + n] = '\0';
	if (t->text_blank)
		t->text_blank = is_blank(s, n);
}

void cs_saxtree_other(struct cs_saxtree *t, xmlElementType type, const xmlChar *name,
                      const xmlChar *content)
{
	xmlNode *x;
	size_t n = content ? strlen((const char *)content) : 0;

	if (!t->cur)
		return;
	drop_blank_text(t);
	x = text_node(t, content ? content : (const xmlChar *)"", n, n);
	x->type = type;
	x->name = type == XML_COMMENT_NODE ? xmlStringComment : type == XML_PI_NODE ? name : NULL;
	append(t->cur, x);
}

long cs_saxtree_line(const xmlNode *node)
{
	if (node->type == XML_ELEMENT_NODE && node->line == LINE_MAX16 && node->psvi)
		return (long)(intptr_t)node->psvi;
	if (node->type == XML_ELEMENT_NODE && node->line > 0 && node->line < LINE_MAX16)
		return node->line;
	return xmlGetLineNo(node);
}
