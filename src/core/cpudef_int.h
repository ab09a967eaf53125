/* cpudef_int.h: internals shared by the <cpu> modules: string buffers, element spans, checks */
#ifndef CPUSCOPE_CPUDEF_INT_H
#define CPUSCOPE_CPUDEF_INT_H

#include <stdarg.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "cpuscope/cpudef.h"

/* A growable NUL-terminated string.  Zero-initialised = empty. */
struct sbuf {
	char *s;
	size_t len, cap;
};

void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_indent(struct sbuf *b, unsigned n);
/* Append s with <, >, &, ' and " escaped as XML entities. */
void sbuf_add_escaped(struct sbuf *b, const char *s);
/* Hand the string over (never NULL: "" for an empty buffer). */
char *sbuf_take(struct sbuf *b);

/* Where one element of an XML text lies: [start, end) covers it from '<' to
 * the end of its end tag (or of "/>"), in document (pre)order. */
struct xml_span {
	size_t start, end;
};

/* Find every element of buf, the well-formed XML text the tree under root
 * was parsed from, and point each element node's _private at its span.
 * Returns the spans (the caller frees them; _private is then dangling), or
 * NULL when the text is not something the scanner understands (a DOCTYPE,
 * an unterminated construct) or its elements do not match the tree. */
struct xml_span *xml_attach_spans(xmlNode *root, const char *buf, size_t len);

/* The whitespace between the start of the line and offset pos, as a new
 * string; NULL when something other than blanks precedes pos on its line. */
char *xml_line_indent(const char *buf, size_t pos);

/* 0 when the model and every feature def names were found in the map; else
 * -1 with libvirt's "Unknown CPU model/feature" error (the first one), as
 * set arithmetic on def needs them all. */
int cpudef_check_resolved(const struct cs_cpudef *def, struct cs_error *err);

/* Append a comma-separated list of the names of the features in set, in map
 * order (libvirt's message style: "a, b, c"). */
void sbuf_add_feature_list(struct sbuf *b, const struct cs_arch *arch, const struct cs_fset *set,
                           const char *sep);

#endif
