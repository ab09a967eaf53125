/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fset.c: dense feature bitsets */
#include "cpuscope/fset.h"

void cs_fset_union(struct cs_fset *dst, const struct cs_fset *a, const struct cs_fset *b)
{
	for (size_t i = 0; i < CS_FSET_WORDS; i++)
		dst->w[i] = a->w[i] | b->w[i];
}

void cs_fset_intersect(struct cs_fset *dst, const struct cs_fset *a, const struct cs_fset *b)
{
	for (size_t i = 0; i < CS_FSET_WORDS; i++)
		dst->w[i] = a->w[i] & b->w[i];
}

void cs_fset_diff(struct cs_fset *dst, const struct cs_fset *a, const struct cs_fset *b)
{
	for (size_t i = 0; i < CS_FSET_WORDS; i++)
		dst->w[i] = a->w[i] & ~b->w[i];
}

bool cs_fset_is_subset(const struct cs_fset *a, const struct cs_fset *b)
{
	for (size_t i = 0; i < CS_FSET_WORDS; i++)
		if (a->w[i] & ~b->w[i])
			return false;
	return true;
}

bool cs_fset_equal(const struct cs_fset *a, const struct cs_fset *b)
{
	for (size_t i = 0; i < CS_FSET_WORDS; i++)
		if (a->w[i] != b->w[i])
			return false;
	return true;
}

bool cs_fset_is_empty(const struct cs_fset *s)
{
	for (size_t i = 0; i < CS_FSET_WORDS; i++)
		if (s->w[i])
			return false;
	return true;
}

bool cs_fset_intersects(const struct cs_fset *a, const struct cs_fset *b)
{
	for (size_t i = 0; i < CS_FSET_WORDS; i++)
		if (a->w[i] & b->w[i])
			return true;
	return false;
}

unsigned cs_fset_count(const struct cs_fset *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < CS_FSET_WORDS; i++)
		n += (unsigned)__builtin_popcountll(s->w[i]);
	return n;
}

int cs_fset_next(const struct cs_fset *s, unsigned from)
{
	size_t i = from >> 6;
	uint64_t w;

	if (from >= CS_FSET_MAX)
		return -1;
	w = s->w[i] & (~UINT64_C(0) << (from & 63));
	for (;;) {
		if (w)
			return (int)(i * 64 + (unsigned)__builtin_ctzll(w));
		if (++i >= CS_FSET_WORDS)
			return -1;
		w = s->w[i];
	}
}
