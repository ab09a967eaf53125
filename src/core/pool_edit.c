/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_edit.c: a pool without one of its hosts */
#include "cpuscope/pool_edit.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/xalloc.h"
#include "pool_int.h"

int cs_pool_without(const struct cs_pool *pool, size_t skip, struct cs_pool *out,
                    struct cs_error *err)
{
	(void)err;
	if (pool->arch)
		cs_pool_init_arch(out, pool->map, pool->arch);
	else
		cs_pool_init(out, pool->map);
	for (size_t i = 0; i < pool->n; i++)
		if (i != skip)
			cs_pool_add_copy(out, pool, i);
	return 0;
}
