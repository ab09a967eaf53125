/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_conn.h: pool hosts fetched through libvirt connections, several at once */
#ifndef CPUSCOPE_POOL_CONN_H
#define CPUSCOPE_POOL_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/error.h"
#include "cpuscope/pool.h"

/* True when s names a libvirt connection rather than a file (it holds
 * "://", as every libvirt URI does). */
bool cs_pool_is_uri(const char *s);

/* What one connection gave: its host's name and `virsh capabilities`. */
struct cs_pool_fetch {
	const char *uri; /* borrowed from the caller */
	bool ok;         /* fetched; else err says why (cannot connect, ...) */
	char *hostname;  /* owned; the URI when libvirt cannot tell */
	char *caps;      /* owned capabilities XML */
	struct cs_error err;
};

/* Called from a fetching thread (one call at a time) each time a
 * connection is done: done of total, and that connection's result. */
typedef void (*cs_pool_progress_fn)(void *ctx, size_t done, size_t total,
                                    const struct cs_pool_fetch *f);

/* Fetch every URI of f[0..n) (f[i].uri set by the caller), each through
 * its own read-only connection, at most max_threads at once (0: 8).  A
 * connection that fails leaves ok false and err set, and never stops the
 * others.  progress may be NULL. */
void cs_pool_fetch_all(struct cs_pool_fetch *f, size_t n, unsigned max_threads,
                       cs_pool_progress_fn progress, void *ctx);

/* Free what f[0..n) own (not the array itself). */
void cs_pool_fetch_release(struct cs_pool_fetch *f, size_t n);

/* Add the host of a fetched connection to pool, named by its hostname
 * (its capabilities' host CPU, as `virsh cpu-compare` judges it there).
 * Returns the number of hosts added, or -1 with err set. */
long cs_pool_add_fetched(struct cs_pool *pool, const struct cs_pool_fetch *f, struct cs_error *err);

#endif
