/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xmlspan.c: a small lexer over well-formed XML text: element spans, top-level elements */
#include "xmlspan.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"

const char *cs_xml_find_str(const char *p, const char *end, const char *what)
{
	size_t n = strlen(what);

	for (; p + n <= end; p++)
		if (!memcmp(p, what, n))
			return p;
	return NULL;
}

/* What starts at a '<' of well-formed XML text. */
enum lex_kind { LEX_SKIP, LEX_OPEN, LEX_EMPTY, LEX_CLOSE, LEX_BAD };

/* Classify the construct starting at p (*p == '<') and set *next just past
 * it: comments, CDATA and processing instructions are skipped, start tags
 * are read over their quoted attribute values. */
static enum lex_kind lex_step(const char *p, const char *end, const char **next)
{
	const char *q;
	char quote = 0;

	if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
		q = cs_xml_find_str(p + 4, end, "-->");
		*next = q ? q + 3 : end;
		return q ? LEX_SKIP : LEX_BAD;
	}
	if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
		q = cs_xml_find_str(p + 9, end, "]]>");
		*next = q ? q + 3 : end;
		return q ? LEX_SKIP : LEX_BAD;
	}
	if (end - p >= 2 && p[1] == '?') {
		q = cs_xml_find_str(p + 2, end, "?>");
		*next = q ? q + 2 : end;
		return q ? LEX_SKIP : LEX_BAD;
	}
	if (end - p < 2 || p[1] == '!')
		return LEX_BAD; /* a DOCTYPE is never accepted */
	if (p[1] == '/') {
		q = memchr(p, '>', (size_t)(end - p));
		*next = q ? q + 1 : end;
		return q ? LEX_CLOSE : LEX_BAD;
	}
	for (q = p + 1; q < end; q++) {
		if (quote) {
			if (*q == quote)
				quote = 0;
		} else if (*q == '"' || *q == '\'') {
			quote = *q;
		} else if (*q == '>') {
			break;
		}
	}
	if (q >= end)
		return LEX_BAD;
	*next = q + 1;
	return q[-1] == '/' ? LEX_EMPTY : LEX_OPEN;
}

/* Find every element of well-formed XML text buf.  Returns the number of
 * elements and a new array in *out (caller frees), or -1 when the text is
 * not something the scanner understands (a DOCTYPE, an unterminated
 * construct). */
static long scan_elements(const char *buf, size_t len, struct cs_xml_span **out)
{
	const char *p = buf, *end = buf + len, *next;
	struct cs_xml_span *spans = NULL;
	size_t n = 0, cap = 0, *stack = NULL, depth = 0, stack_cap = 0;
	long ret = -1;

	*out = NULL;
	while (p < end) {
		if (*p != '<') {
			p++;
			continue;
		}
		switch (lex_step(p, end, &next)) {
		case LEX_SKIP:
			break;
		case LEX_BAD:
			goto out;
		case LEX_CLOSE:
			if (!depth)
				goto out;
			spans[stack[--depth]].end = (size_t)(next - buf);
			break;
		case LEX_OPEN:
		case LEX_EMPTY:
			CS_GROW(spans, cap, n + 1);
			spans[n].node = NULL;
			spans[n].start = (size_t)(p - buf);
			spans[n].end = 0;
			if (next[-2] == '/') {
				spans[n].end = (size_t)(next - buf);
			} else {
				CS_GROW(stack, stack_cap, depth + 1);
				stack[depth++] = n;
			}
			n++;
			break;
		}
		p = next;
	}
	if (depth)
		goto out;
	*out = spans;
	spans = NULL;
	ret = (long)n;
out:
	free(spans);
	free(stack);
	return ret;
}

/* Pair the element nodes from node on (and their descendants), in
 * document order, with spans[*k...]; false when the counts differ. */
static bool pair_nodes(const xmlNode *node, struct cs_xml_span *spans, size_t n, size_t *k)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (*k >= n)
			return false;
		spans[(*k)++].node = node;
		if (!pair_nodes(node->children, spans, n, k))
			return false;
	}
	return true;
}

int cs_xml_spans_find(struct cs_xml_spans *out, const xmlNode *root, const char *buf, size_t len)
{
	struct cs_xml_span *spans;
	size_t k = 0;
	long n = scan_elements(buf, len, &spans);

	out->v = NULL;
	out->n = 0;
	if (n < 0)
		return -1;
	if (!pair_nodes(root, spans, (size_t)n, &k) || k != (size_t)n) {
		free(spans);
		return -1;
	}
	out->v = spans;
	out->n = (size_t)n;
	return 0;
}

const struct cs_xml_span *cs_xml_spans_get(const struct cs_xml_spans *s, const xmlNode *node)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].node == node)
			return &s->v[i];
	return NULL;
}

void cs_xml_spans_release(struct cs_xml_spans *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int cs_xml_next_top_element(const char *buf, size_t len, size_t *pos, size_t *start,
                            size_t *end_out)
{
	const char *p = buf + *pos, *end = buf + len, *next, *first = NULL;
	size_t depth = 0;

	while (p < end) {
		if (*p != '<') {
			p++;
			continue;
		}
		switch (lex_step(p, end, &next)) {
		case LEX_SKIP:
			break;
		case LEX_BAD:
			return -1;
		case LEX_CLOSE:
			if (!depth)
				return -1;
			if (--depth == 0) {
				*start = (size_t)(first - buf);
				*end_out = *pos = (size_t)(next - buf);
				return 1;
			}
			break;
		case LEX_EMPTY:
			if (!depth) {
				*start = (size_t)(p - buf);
				*end_out = *pos = (size_t)(next - buf);
				return 1;
			}
			break;
		case LEX_OPEN:
			if (!depth++)
				first = p;
			break;
		}
		p = next;
	}
	*pos = len;
	return depth ? -1 : 0;
}

const char *cs_xml_find_doctype(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *q = memchr(p, '<', (size_t)(end - p));

		if (!q || end - q < 2)
			return NULL;
		if (end - q >= 4 && !memcmp(q, "<!--", 4)) {
			q = cs_xml_find_str(q + 4, end, "-->");
		} else if (end - q >= 9 && !memcmp(q, "<![CDATA[", 9)) {
			q = cs_xml_find_str(q + 9, end, "]]>");
		} else if (q[1] == '?') {
			q = cs_xml_find_str(q + 2, end, "?>");
		} else if (q[1] == '!') {
			return q;
		} else {
			q++;
		}
		if (!q)
			return NULL;
		p = q + 1;
	}
	return NULL;
}

char *cs_xml_line_indent(const char *buf, size_t pos)
{
	size_t i = pos;

	while (i > 0 && (buf[i - 1] == ' ' || buf[i - 1] == '\t'))
		i--;
	if (i > 0 && buf[i - 1] != '\n')
		return NULL;
	return cs_xstrndup(buf + i, pos - i);
}
