/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fset.h: dense feature bitsets indexed by feature id */
#ifndef CPUSCOPE_FSET_H
#define CPUSCOPE_FSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Largest number of features one architecture of a map may define. */
#define CS_FSET_MAX   1024
#define CS_FSET_WORDS (CS_FSET_MAX / 64)

/* A set of feature ids.  A plain value: copy it with '=', compare with
 * cs_fset_equal.  No operation allocates.  Zero-initialised means empty. */
struct cs_fset {
	uint64_t w[CS_FSET_WORDS];
};

static inline void cs_fset_zero(struct cs_fset *s)
{
	memset(s, 0, sizeof(*s));
}

static inline void cs_fset_set(struct cs_fset *s, unsigned id)
{
	s->w[id >> 6] |= UINT64_C(1) << (id & 63);
}

static inline void cs_fset_clear(struct cs_fset *s, unsigned id)
{
	s->w[id >> 6] &= ~(UINT64_C(1) << (id & 63));
}

static inline bool cs_fset_test(const struct cs_fset *s, unsigned id)
{
	return (s->w[id >> 6] >> (id & 63)) & 1;
}

/* dst = a | b (dst may alias a or b) */
void cs_fset_union(struct cs_fset *dst, const struct cs_fset *a, const struct cs_fset *b);
/* dst = a & b */
void cs_fset_intersect(struct cs_fset *dst, const struct cs_fset *a, const struct cs_fset *b);
/* dst = a & ~b */
void cs_fset_diff(struct cs_fset *dst, const struct cs_fset *a, const struct cs_fset *b);
/* true when every member of a is in b */
bool cs_fset_is_subset(const struct cs_fset *a, const struct cs_fset *b);
bool cs_fset_equal(const struct cs_fset *a, const struct cs_fset *b);
bool cs_fset_is_empty(const struct cs_fset *s);
bool cs_fset_intersects(const struct cs_fset *a, const struct cs_fset *b);
/* number of members */
unsigned cs_fset_count(const struct cs_fset *s);
/* smallest member >= from, or -1 when there is none */
int cs_fset_next(const struct cs_fset *s, unsigned from);

/* Iterate id (an int lvalue) over the members of *s in increasing order. */
#define cs_fset_foreach(id, s)                                                                     \
	for ((id) = cs_fset_next((s), 0); (id) >= 0; (id) = cs_fset_next((s), (unsigned)(id) + 1))

#endif
