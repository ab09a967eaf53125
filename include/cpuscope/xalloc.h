/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xalloc.h: allocation helpers that abort on out-of-memory */
#ifndef CPUSCOPE_XALLOC_H
#define CPUSCOPE_XALLOC_H

#include <stddef.h>

/* Allocate, or print a message to stderr and abort() when memory is exhausted.
 * These are the only core functions that may end the process. */
void *cs_xmalloc(size_t size);
/* Zeroed allocation of n elements of size bytes; aborts on overflow too. */
void *cs_xcalloc(size_t n, size_t size);
/* Resize p to n elements of size bytes; aborts on overflow. */
void *cs_xreallocarray(void *p, size_t n, size_t size);
/* Copy of s (NULL gives NULL). */
char *cs_xstrdup(const char *s);
char *cs_xstrndup(const char *s, size_t n);
/* printf into a new string; the caller frees it. */
char *cs_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *array (holding *cap elements of size bytes) so that it can hold at
 * least need elements.  Capacity doubles. */
void cs_xgrow(void **array, size_t *cap, size_t need, size_t size);
#define CS_GROW(arr, cap, need) cs_xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
