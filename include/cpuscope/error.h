/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* error.h: error reports with file and line */
#ifndef CPUSCOPE_ERROR_H
#define CPUSCOPE_ERROR_H

#include <stdio.h>

enum cs_errcode {
	CS_ERR_NONE = 0,
	CS_ERR_IO,           /* a file cannot be opened, read or written */
	CS_ERR_SYNTAX,       /* malformed XML or YAML */
	CS_ERR_INVALID,      /* well-formed but invalid content (bad hex, missing attribute) */
	CS_ERR_UNKNOWN,      /* reference to an unknown model, feature, vendor or parent */
	CS_ERR_DUPLICATE,    /* a name defined twice */
	CS_ERR_SECURITY,     /* include outside the map, DTD/entity, size cap */
	CS_ERR_UNSUPPORTED,  /* valid but not something cpuscope can do */
	CS_ERR_INCOMPATIBLE, /* a negative answer expressed as an error (compare --error) */
	CS_ERR_SYSTEM,       /* an OS facility is missing or refused (no /dev/kvm, not x86) */
};

/* An error report.  file is empty and line 0 when the error has no position. */
struct cs_error {
	enum cs_errcode code;
	char file[256];
	unsigned line, col;
	char msg[512];
};

/* Fill err (which may be NULL: then nothing happens).  file may be NULL.
 * The first error set wins: a later call does not overwrite an earlier one,
 * so the innermost, most precise report survives. */
void cs_error_set(struct cs_error *err, enum cs_errcode code, const char *file, unsigned line,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Like cs_error_set, with a column. */
void cs_error_setc(struct cs_error *err, enum cs_errcode code, const char *file, unsigned line,
                   unsigned col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Reset to "no error". */
void cs_error_clear(struct cs_error *err);
/* True when err holds an error. */
#define cs_error_isset(err) ((err) && (err)->code != CS_ERR_NONE)

/* Print compiler-style: "FILE:LINE[:COL]: MSG\n" (or just "MSG\n"), after prefix. */
void cs_error_print(const struct cs_error *err, const char *prefix, FILE *out);
/* Format into buf as cs_error_print does, without prefix and newline. */
void cs_error_format(const struct cs_error *err, char *buf, size_t size);

#endif
