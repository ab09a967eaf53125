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

/* ---- the pool's compact CPUs (pool_cpu.c) ---- */

/* A compact CPU being made, with room for every feature. */
union cs_pool_cpu_buf {
	struct cs_pool_cpu cpu;
	unsigned char room[sizeof(struct cs_pool_cpu) + CS_FSET_MAX * sizeof(unsigned short)];
};
/* Make def's compact form in out (nothing allocated); file is held by the pool. */
void cs_pool_cpu_make(struct cs_pool *pool, const struct cs_cpudef *def, const char *file,
                      union cs_pool_cpu_buf *out);
size_t cs_pool_cpu_size(const struct cs_pool_cpu *c);
uint64_t cs_pool_cpu_key(const struct cs_pool_cpu *c);
bool cs_pool_cpu_same(const struct cs_pool_cpu *a, const struct cs_pool_cpu *b);
struct cs_pool_cpu *cs_pool_cpu_dup(const struct cs_pool_cpu *c);
/* A name held by the pool (NULL stays NULL). */
const char *cs_pool_intern(struct cs_pool *pool, const char *s);
/* Add a copy of host i of from (its name, CPU and facts) to pool, which must
 * be over the same map and architecture. */
void cs_pool_add_copy(struct cs_pool *pool, const struct cs_pool *from, size_t i);

/* Report progress; false when the caller cancels. */
bool cs_stream_progress(struct cs_stream *s, unsigned long long bytes, unsigned long long total);

#endif
