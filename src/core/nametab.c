/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nametab.c: name -> index hash tables for map lookups */
#include "nametab.h"

#include <string.h>

#include "cpuscope/xalloc.h"

static uint64_t hash_name(const char *s)
{
	/* FNV-1a: short names, no adversarial input worth a keyed hash. */
	uint64_t h = UINT64_C(1469598103934665603);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static void nametab_rehash(struct cs_nametab *t, size_t ncap)
{
	struct cs_nametab n = {cs_xcalloc(ncap, sizeof(char *)), cs_xcalloc(ncap, sizeof(int)),
	                       ncap, 0};

	for (size_t i = 0; i < t->cap; i++)
		if (t->keys[i])
			cs_nametab_put(&n, t->keys[i], t->vals[i]);
	free(t->keys);
	free(t->vals);
	*t = n;
}

void cs_nametab_put(struct cs_nametab *t, const char *key, int val)
{
	size_t i;

	if ((t->count + 1) * 2 > t->cap)
		nametab_rehash(t, t->cap ? t->cap * 2 : 64);
	i = hash_name(key) & (t->cap - 1);
	while (t->keys[i]) {
		if (!strcmp(t->keys[i], key)) {
			t->vals[i] = val;
			return;
		}
		i = (i + 1) & (t->cap - 1);
	}
	t->keys[i] = key;
	t->vals[i] = val;
	t->count++;
}

int cs_nametab_get(const struct cs_nametab *t, const char *key)
{
	size_t i;

	if (!t->cap || !key)
		return -1;
	i = hash_name(key) & (t->cap - 1);
	while (t->keys[i]) {
		if (!strcmp(t->keys[i], key))
			return t->vals[i];
		i = (i + 1) & (t->cap - 1);
	}
	return -1;
}

void cs_nametab_release(struct cs_nametab *t)
{
	free(t->keys);
	free(t->vals);
	memset(t, 0, sizeof(*t));
}
