/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_cpu.c: a pool's distinct CPUs, kept compact: made from a definition, hashed,
 * compared, and turned back into a definition */
#include "pool_int.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"

size_t cs_pool_cpu_size(const struct cs_pool_cpu *c)
{
	size_t n = 0;

	for (int p = 0; p < CS_POLICY_COUNT; p++)
		n += c->count[p];
	return sizeof(*c) + n * sizeof(c->ids[0]);
}

/* A name the pool's CPUs point to, held by the pool.  Files come one after
 * another and architectures are few: the last few names are looked at. */
const char *cs_pool_intern(struct cs_pool *pool, const char *s)
{
	if (!s)
		return NULL;
	for (size_t i = pool->nstrs, k = 0; i > 0 && k < 4; i--, k++)
		if (!strcmp(pool->strs[i - 1], s))
			return pool->strs[i - 1];
	CS_GROW(pool->strs, pool->strs_cap, pool->nstrs + 1);
	pool->strs[pool->nstrs] = cs_xstrdup(s);
	return pool->strs[pool->nstrs++];
}

void cs_pool_cpu_make(struct cs_pool *pool, const struct cs_cpudef *def, const char *file,
                      union cs_pool_cpu_buf *out)
{
	struct cs_pool_cpu *c = &out->cpu;
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	c->arch_name = cs_pool_intern(pool, def->arch_name);
	c->file = def->file ? file : NULL; /* decoded CPU data names no file */
	c->line = def->line;
	c->model = def->model;
	c->vendor = def->vendor ? def->vendor_idx : -1;
	c->type = (unsigned char)def->type;
	c->origin = (unsigned char)def->origin;
	for (int p = 0; p < CS_POLICY_COUNT; p++) {
		int id;

		cs_fset_foreach (id, &def->by_policy[p]) {
			c->ids[n++] = (unsigned short)id;
			c->count[p]++;
		}
	}
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* What cs_compare reads of a host: its type, model, vendor and the features
 * it lists with each policy. */
uint64_t cs_pool_cpu_key(const struct cs_pool_cpu *c)
{
	uint64_t h = mix(mix(mix(0, c->type), (uint64_t)(int64_t)c->model),
	                 (uint64_t)(int64_t)c->vendor);
	size_t n = 0;

	for (int p = 0; p < CS_POLICY_COUNT; p++) {
		h = mix(h, c->count[p]);
		n += c->count[p];
	}
	for (size_t i = 0; i < n; i++)
		h = mix(h, c->ids[i]);
	return h;
}

bool cs_pool_cpu_same(const struct cs_pool_cpu *a, const struct cs_pool_cpu *b)
{
	if (a->type != b->type || a->model != b->model || a->vendor != b->vendor ||
	    memcmp(a->count, b->count, sizeof(a->count)) != 0)
		return false;
	return !memcmp(a->ids, b->ids, cs_pool_cpu_size(a) - sizeof(*a));
}

struct cs_pool_cpu *cs_pool_cpu_dup(const struct cs_pool_cpu *c)
{
	size_t size = cs_pool_cpu_size(c);
	struct cs_pool_cpu *d = cs_xmalloc(size);

	memcpy(d, c, size);
	return d;
}

const struct cs_cpudef *cs_pool_cpu_def(const struct cs_pool *pool, const struct cs_pool_cpu *c,
                                        struct cs_pool_cpu_view *view)
{
	struct cs_cpudef *d = &view->def;
	size_t n = 0;

	memset(d, 0, sizeof(*d));
	d->map = pool->map;
	d->arch = pool->arch;
	d->arch_name = (char *)c->arch_name;
	d->type = (enum cs_cpu_type)c->type;
	d->origin = (enum cs_cpu_origin)c->origin;
	d->model = c->model;
	d->vendor_idx = c->vendor;
	if (c->vendor >= 0)
		d->vendor = (char *)pool->arch->vendors[c->vendor].name;
	d->file = (char *)c->file;
	d->line = c->line;
	d->features = view->features;
	for (int p = 0; p < CS_POLICY_COUNT; p++) {
		for (unsigned k = 0; k < c->count[p]; k++, n++) {
			unsigned id = c->ids[n];

			cs_fset_set(&d->by_policy[p], id);
			view->features[n] = (struct cs_cpu_feature){.id = (int)id,
			                                            .name = NULL,
			                                            .policy = (enum cs_policy)p,
			                                            .line = 0};
		}
	}
	d->nfeatures = d->features_cap = n;
	return d;
}
