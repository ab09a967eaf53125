/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench_util.h: timing helpers the benchmarks share */
#ifndef CPUSCOPE_BENCH_UTIL_H
#define CPUSCOPE_BENCH_UTIL_H

#include <stddef.h>
#include <stdlib.h>
#include <time.h>

/* The monotonic clock, in microseconds. */
static inline double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sort n times in ascending order: t[0] is then the minimum, t[n / 2] the
 * median and t[n - 1] the maximum. */
static inline void sort_times(double *t, size_t n)
{
	qsort(t, n, sizeof(*t), cmp_double);
}

#endif
