/* engine_pool.c: the explorer's pool of hosts: their baseline */
#include "tui/engine.h"

#include "cpuscope/pool.h"

struct cs_cpudef *engine_pool_baseline(const struct cs_pool *pool, struct cs_error *err)
{
	return cs_pool_baseline(pool, NULL, err);
}
