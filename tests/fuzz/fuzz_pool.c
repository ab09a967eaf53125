/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_pool.c: cs_pool_add_buffer() over the bundled libvirt 9.0 map
 *
 * A known host goes in first; then the input is added, split at the place
 * the first byte picks, as two files.  Whatever they hold, the pool must
 * stay whole: a file that fails leaves it as it was, every host belongs to
 * one distinct CPU, the copies add up and the feature counts match. */
#include <string.h>

#include "cpuscope/pool.h"
#include "fuzz.h"

static const char known[] = "<cpu><arch>x86_64</arch><model>Haswell</model><vendor>Intel</vendor>"
                            "<feature policy='require' name='vmx'/></cpu>\n";

static void check_whole(const struct cs_pool *pool)
{
	size_t copies = 0;
	unsigned *have;

	if (!pool->arch)
		return;
	have = calloc(pool->arch->nfeatures + 1, sizeof(*have));
	for (size_t i = 0; i < pool->n; i++) {
		const struct cs_pool_host *h = &pool->hosts[i];
		const struct cs_pool_host *f = &pool->hosts[h->same_as];
		int id;

		if (!h->name || f->same_as != h->same_as || !f->cpu ||
		    (h->same_as == i) != !!h->cpu || h->distinct >= pool->ndistinct ||
		    pool->firsts[h->distinct] != h->same_as)
			abort();
		cs_fset_foreach (id, &h->facts.features)
			have[id]++;
	}
	for (size_t k = 0; k < pool->ndistinct; k++)
		copies += pool->hosts[pool->firsts[k]].copies;
	if (copies != pool->n ||
	    memcmp(have, pool->have, (pool->arch->nfeatures + 1) * sizeof(*have)))
		abort();
	free(have);
}

static void add(struct cs_pool *pool, const char *buf, size_t len, const char *name)
{
	struct cs_error err = {0};
	size_t n = pool->n, distinct = pool->ndistinct;
	long rc = cs_pool_add_buffer(pool, buf, len, name, &err);

	fuzz_check(rc > 0, &err);
	if (rc < 0 ? pool->n != n || pool->ndistinct != distinct : pool->n != n + (size_t)rc)
		abort();
	check_whole(pool);
}

FUZZ_INIT_WITH_MAP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_pool pool;
	size_t cut;

	if (size < 1)
		return 0;
	cut = size > 1 ? 1 + (size_t)data[0] * (size - 1) / 255 : 1;
	cs_pool_init(&pool, fuzz_map());
	add(&pool, known, sizeof(known) - 1, "known.xml");
	add(&pool, (const char *)data + 1, cut - 1, "a.xml");
	add(&pool, (const char *)data + cut, size - cut, "b.xml");
	cs_pool_release(&pool);
	return 0;
}
