/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* strbuf.c: a growable string for the core's text output */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"

/* Room for more bytes and the NUL: capacities double from 256. */
static void reserve(struct cs_buf *b, size_t more)
{
	size_t cap;

	if (b->len + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->s = cs_xreallocarray(b->s, cap, 1);
	b->cap = cap;
}

void cs_buf_addn(struct cs_buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void cs_buf_add(struct cs_buf *b, const char *s)
{
	cs_buf_addn(b, s, strlen(s));
}

void cs_buf_addf(struct cs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void cs_buf_indent(struct cs_buf *b, unsigned n)
{
	reserve(b, n);
	memset(b->s + b->len, ' ', n);
	b->len += n;
	b->s[b->len] = '\0';
}

void cs_buf_add_escaped(struct cs_buf *b, const char *s)
{
	while (*s) {
		/* Copy the longest run that needs no escaping in one go. */
		size_t run = strcspn(s, "<>&'\"");

		if (run)
			cs_buf_addn(b, s, run);
		s += run;
		switch (*s) {
		case '<':
			cs_buf_add(b, "&lt;");
			break;
		case '>':
			cs_buf_add(b, "&gt;");
			break;
		case '&':
			cs_buf_add(b, "&amp;");
			break;
		case '\'':
			cs_buf_add(b, "&apos;");
			break;
		case '"':
			cs_buf_add(b, "&quot;");
			break;
		default:
			return; /* the end of s */
		}
		s++;
	}
}

const char *cs_buf_str(const struct cs_buf *b)
{
	return b->s ? b->s : "";
}

char *cs_buf_detach(struct cs_buf *b)
{
	char *s = b->s ? b->s : cs_xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void cs_buf_release(struct cs_buf *b)
{
	if (!b)
		return;
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
