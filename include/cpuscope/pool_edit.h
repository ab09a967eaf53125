/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_edit.h: a pool without one of its hosts */
#ifndef CPUSCOPE_POOL_EDIT_H
#define CPUSCOPE_POOL_EDIT_H

#include <stddef.h>

#include "cpuscope/error.h"
#include "cpuscope/pool.h"

/* Fill out (initialised here, over pool's map and architecture) with every
 * host of pool but host skip, in order and under the same names, each
 * with its CPU and facts (a domcapabilities host-model stays what KVM can
 * give).  pool is not changed.  0 (err is for failures to come: -1 with err
 * set and out empty). */
int cs_pool_without(const struct cs_pool *pool, size_t skip, struct cs_pool *out,
                    struct cs_error *err);

#endif
