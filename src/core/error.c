/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* error.c: error reports with file and line */
#include "cpuscope/error.h"

#include <stdarg.h>
#include <string.h>

__attribute__((format(printf, 6, 0))) static void error_vset(struct cs_error *err,
                                                             enum cs_errcode code, const char *file,
                                                             unsigned line, unsigned col,
                                                             const char *fmt, va_list ap)
{
	if (!err || err->code != CS_ERR_NONE)
		return;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

void cs_error_set(struct cs_error *err, enum cs_errcode code, const char *file, unsigned line,
                  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, code, file, line, 0, fmt, ap);
	va_end(ap);
}

void cs_error_setc(struct cs_error *err, enum cs_errcode code, const char *file, unsigned line,
                   unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, code, file, line, col, fmt, ap);
	va_end(ap);
}

void cs_error_clear(struct cs_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

void cs_error_format(const struct cs_error *err, char *buf, size_t size)
{
	if (!err || err->code == CS_ERR_NONE) {
		snprintf(buf, size, "no error");
	} else if (err->file[0] && err->line && err->col) {
		snprintf(buf, size, "%s:%u:%u: %s", err->file, err->line, err->col, err->msg);
	} else if (err->file[0] && err->line) {
		snprintf(buf, size, "%s:%u: %s", err->file, err->line, err->msg);
	} else if (err->file[0]) {
		snprintf(buf, size, "%s: %s", err->file, err->msg);
	} else {
		snprintf(buf, size, "%s", err->msg);
	}
}

void cs_error_print(const struct cs_error *err, const char *prefix, FILE *out)
{
	char buf[1024];

	cs_error_format(err, buf, sizeof(buf));
	fprintf(out, "%s%s\n", prefix ? prefix : "", buf);
}
