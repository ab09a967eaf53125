/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_pool.c: the explorer's pool of hosts: loading, the models they run, their baseline */
#include "tui/engine.h"

#include "cpuscope/pool.h"

struct cs_cpudef *engine_pool_baseline(const struct cs_pool *pool, struct cs_error *err)
{
	return cs_pool_baseline(pool, NULL, err);
}

void engine_pool_init(struct cs_pool *pool, const struct cs_map *map)
{
	cs_pool_init(pool, map);
}

void engine_pool_init_arch(struct cs_pool *pool, const struct cs_map *map,
                           const struct cs_arch *arch)
{
	cs_pool_init_arch(pool, map, arch);
}

void engine_pool_release(struct cs_pool *pool)
{
	cs_pool_release(pool);
}

long engine_pool_add_file(struct cs_pool *pool, const char *path, struct cs_error *err)
{
	return cs_pool_add_file(pool, path, err);
}

int engine_pool_add_files(struct cs_pool *pool, char *const *files, size_t nfiles,
                          struct cs_error *err)
{
	return cs_pool_add_files(pool, files, nfiles, err);
}

size_t engine_pool_model_runs(const struct cs_pool *pool, int model)
{
	return cs_pool_model_runs(pool, model);
}
