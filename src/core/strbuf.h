/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* strbuf.h: a growable string for the core's text output (internal to the core) */
#ifndef CPUSCOPE_STRBUF_H
#define CPUSCOPE_STRBUF_H

#include <stddef.h>

/* A growable NUL-terminated string.  Zero-initialised = empty (s NULL).
 * s and len may be read; change them only through cs_buf_*.  Growing
 * aborts on out-of-memory (cs_xrealloc), so appending never fails. */
struct cs_buf {
	char *s;
	size_t len, cap;
};

/* Append n bytes of s / the string s / printf-style text / n spaces. */
void cs_buf_addn(struct cs_buf *b, const char *s, size_t n);
void cs_buf_add(struct cs_buf *b, const char *s);
void cs_buf_addf(struct cs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cs_buf_indent(struct cs_buf *b, unsigned n);
/* Append s with <, >, &, ' and " written as XML entities. */
void cs_buf_add_escaped(struct cs_buf *b, const char *s);
/* The text, borrowed: "" for an empty buffer, valid until b changes. */
const char *cs_buf_str(const struct cs_buf *b);
/* Hand the string over to the caller (never NULL: "" for an empty buffer);
 * b is left empty and reusable. */
char *cs_buf_detach(struct cs_buf *b);
/* Free the text; b is left empty.  NULL is fine. */
void cs_buf_release(struct cs_buf *b);

#endif
