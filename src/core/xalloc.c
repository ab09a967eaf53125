/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xalloc.c: allocation helpers that abort on out-of-memory */
#include "cpuscope/xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("cpuscope: out of memory\n", stderr);
	abort();
}

void *cs_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *cs_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *cs_xreallocarray(void *p, size_t n, size_t size)
{
	void *q;

	if (size && n > SIZE_MAX / size)
		oom();
	q = realloc(p, (n && size) ? n * size : 1);
	if (!q)
		oom();
	return q;
}

char *cs_xstrdup(const char *s)
{
	return s ? cs_xstrndup(s, strlen(s)) : NULL;
}

char *cs_xstrndup(const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	n = strnlen(s, n);
	p = cs_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *cs_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return s;
}

void cs_xgrow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			oom();
		ncap *= 2;
	}
	*array = cs_xreallocarray(*array, ncap, size);
	memset((char *)*array + *cap * size, 0, (ncap - *cap) * size);
	*cap = ncap;
}
