/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_saxtree.c: the arena tree built from SAX2 events has the shape
 * libxml2's own tree builder gives the same text */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include "core/saxtree.h"

/* ---- building a tree from a text ------------------------------------------ */

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
	xmlParserCtxtPtr c = ctx;

	(void)nns;
	(void)ns;
	(void)ndef;
	cs_saxtree_start(c->_private, name, prefix, uri, nattrs, attrs, c->input->line);
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	(void)name;
	(void)prefix;
	(void)uri;
	cs_saxtree_end(((xmlParserCtxtPtr)ctx)->_private);
}

static void on_text(void *ctx, const xmlChar *text, int len)
{
	cs_saxtree_text(((xmlParserCtxtPtr)ctx)->_private, text, len);
}

static void on_comment(void *ctx, const xmlChar *text)
{
	cs_saxtree_other(((xmlParserCtxtPtr)ctx)->_private, XML_COMMENT_NODE, NULL, text);
}

/* Parse text into t; the parser context (whose dictionary holds the names)
 * is returned for the caller to free after the tree. */
static xmlParserCtxtPtr build(struct cs_saxtree *t, const char *text)
{
	xmlSAXHandler sax;
	xmlParserCtxtPtr c;

	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.comment = on_comment;
	c = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, "t.xml");
	assert_non_null(c);
	c->_private = t;
	xmlCtxtUseOptions(c, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	c->linenumbers = 1;
	assert_int_equal(xmlParseChunk(c, text, (int)strlen(text), 1), 0);
	assert_true(c->wellFormed);
	return c;
}

static void done(struct cs_saxtree *t, xmlParserCtxtPtr c)
{
	cs_saxtree_release(t);
	xmlFreeDoc(c->myDoc);
	xmlFreeParserCtxt(c);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_shape(void **state)
{
	static const char text[] = "<cpu match='exact' a='x&amp;y&#38;z'>\n"
	                           "  <model fallback='forbid'>Sky<!-- c -->lake</model>\n"
	                           "  <vendor>  </vendor>\n"
	                           "  <feature policy='require' name='vmx'/>\n"
	                           "</cpu>";
	struct cs_saxtree t;
	xmlParserCtxtPtr c;
	xmlNode *root, *model, *vendor, *feature;
	xmlChar *v;

	(void)state;
	cs_saxtree_init(&t);
	c = build(&t, text);
	root = t.root;
	assert_non_null(root);
	assert_string_equal((const char *)root->name, "cpu");
	/* attributes, read as libxml2's own functions read them */
	v = xmlGetProp(root, (const xmlChar *)"a");
	assert_string_equal((const char *)v, "x&y&z");
	xmlFree(v);
	assert_non_null(xmlHasProp(root, (const xmlChar *)"match"));
	/* blank text between elements is not kept: the children are elements */
	model = root->children;
	assert_int_equal(model->type, XML_ELEMENT_NODE);
	assert_string_equal((const char *)model->name, "model");
	vendor = model->next;
	feature = vendor->next;
	assert_string_equal((const char *)feature->name, "feature");
	assert_null(feature->next);
	assert_ptr_equal(root->last, feature);
	assert_ptr_equal(feature->prev, vendor);
	assert_ptr_equal(feature->parent, root);
	/* text split by a comment reads whole, as from libxml2's tree */
	v = xmlNodeGetContent(model);
	assert_string_equal((const char *)v, "Skylake");
	xmlFree(v);
	/* an element holding only blanks keeps them */
	v = xmlNodeGetContent(vendor);
	assert_string_equal((const char *)v, "  ");
	xmlFree(v);
	/* lines */
	assert_int_equal(cs_saxtree_line(root), 1);
	assert_int_equal(cs_saxtree_line(model), 2);
	assert_int_equal(cs_saxtree_line(feature), 4);
	done(&t, c);
}

/* Lines past 65,535 (libxml2 keeps 16 bits in a node) are exact. */
static void test_big_lines(void **state)
{
	size_t n = 70000, len = 0;
	char *text = malloc(n + 64);
	struct cs_saxtree t;
	xmlParserCtxtPtr c;

	(void)state;
	len += (size_t)sprintf(text, "<cpu>");
	memset(text + len, '\n', n);
	len += n;
	sprintf(text + len, "<model>Haswell</model></cpu>");
	cs_saxtree_init(&t);
	c = build(&t, text);
	assert_int_equal(cs_saxtree_line(t.root->children), (long)n + 1);
	done(&t, c);
	free(text);
}

/* A long text grows in place: its content is whole and the arena's use
 * stays within twice the text. */
static void test_long_text(void **state)
{
	size_t n = 1u << 20;
	char *text = malloc(n + 64);
	struct cs_saxtree t;
	xmlParserCtxtPtr c;
	xmlNode *model;

	(void)state;
	strcpy(text, "<cpu><model>");
	memset(text + 12, 'a', n);
	strcpy(text + 12 + n, "</model></cpu>");
	cs_saxtree_init(&t);
	c = build(&t, text);
	model = t.root->children;
	assert_int_equal(strlen((const char *)model->children->content), n);
	assert_true(t.bytes < 3 * n);
	/* reset: a new tree in the same arena */
	cs_saxtree_reset(&t);
	assert_null(t.root);
	assert_int_equal(t.bytes, 0);
	done(&t, c);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_shape),
	        cmocka_unit_test(test_big_lines),
	        cmocka_unit_test(test_long_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
