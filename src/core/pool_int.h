/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_int.h: internal: the streaming reader behind pool and baseline files */
#ifndef CPUSCOPE_POOL_INT_H
#define CPUSCOPE_POOL_INT_H

#include <stdbool.h>

#include "cpuscope/pool.h"

/* One file being streamed: each CPU found goes to fn as soon as it is read
 * (fn owns it then). */
struct cs_stream {
	const struct cs_map *map;
	const char *name; /* used in messages; the path when NULL */
	unsigned flags;   /* CS_CPUDEF_* */
	int (*fn)(struct cs_stream *s, struct cs_cpudef *def, struct cs_error *err);
	void *ctx;
	cs_pool_read_fn progress;
	void *opaque;
	size_t hosts;    /* CPUs read so far */
	char *host_name; /* the <name> of the domain being read, or NULL */
	bool cancelled;  /* progress returned false */
};

/* Read path (cs_file_open()) to its end.  The number of CPUs, or -1 with
 * err set. */
long cs_stream_read(struct cs_stream *s, const char *path, struct cs_error *err);

/* Report progress; false when the caller cancels. */
bool cs_stream_progress(struct cs_stream *s, unsigned long long bytes, unsigned long long total);

#endif
