/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_util.h: helpers the unit tests share: reading files, name look-ups, comparing maps */
#ifndef CPUSCOPE_TEST_UTIL_H
#define CPUSCOPE_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/cpumap.h"

/* The whole file at path, NUL-terminated and the caller's to free, or NULL
 * when it cannot be read.  *len (len may be NULL) gets its length. */
static inline char *read_text(const char *path, size_t *len)
{
	char *buf = NULL;

	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, len, NULL) < 0)
		return NULL;
	return buf;
}

/* As read_text(), but a file that cannot be read fails the test. */
static inline char *slurp(const char *path, size_t *len)
{
	struct cs_error err = {0};
	char *buf = NULL;

	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, len, &err) < 0)
		fail_msg("cannot read %s: %s", path, err.msg);
	return buf;
}

/* The id of feature name in a; fails the test when there is none. */
static inline int feature_id(const struct cs_arch *a, const char *name)
{
	int id = cs_arch_find_feature(a, name);

	if (id < 0)
		fail_msg("no feature '%s'", name);
	return id;
}

/* The id of model name in a; fails the test when there is none. */
static inline int model_id(const struct cs_arch *a, const char *name)
{
	int id = cs_arch_find_model(a, name);

	if (id < 0)
		fail_msg("no model '%s'", name);
	return id;
}

/* cs_map_load(path); a map that does not load fails the test. */
static inline struct cs_map *map_load_ok(const char *path)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load(path, &err);

	if (!map)
		fail_msg("loading %s: %s:%u: %s", path, err.file, err.line, err.msg);
	return map;
}

/* Both NULL, or the same string. */
static inline bool same_str(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/* Everything a map carries, compared field by field: the structs have
 * padding, so they are not compared as memory. */
static inline void assert_same_map(const struct cs_map *x, const struct cs_map *y)
{
	assert_true(same_str(x->comment, y->comment));
	assert_int_equal(x->narches, y->narches);
	for (size_t k = 0; k < x->narches; k++) {
		const struct cs_arch *a = &x->arches[k], *b = &y->arches[k];

		assert_string_equal(a->name, b->name);
		assert_int_equal(a->nvendors, b->nvendors);
		assert_int_equal(a->nfeatures, b->nfeatures);
		assert_int_equal(a->nmodels, b->nmodels);
		for (size_t i = 0; i < a->nvendors; i++) {
			const struct cs_vendor *v = &a->vendors[i], *w = &b->vendors[i];

			assert_string_equal(v->name, w->name);
			assert_true(same_str(v->string, w->string));
			assert_int_equal(v->has_value, w->has_value);
			assert_int_equal(v->value, w->value);
		}
		for (size_t i = 0; i < a->nfeatures; i++) {
			const struct cs_feature *f = &a->features[i], *g = &b->features[i];

			assert_string_equal(f->name, g->name);
			assert_int_equal(f->migratable, g->migratable);
			assert_int_equal(f->nitems, g->nitems);
			if (f->nitems)
				assert_memory_equal(f->items, g->items,
				                    f->nitems * sizeof(*f->items));
			assert_int_equal(f->naliases, g->naliases);
			for (size_t j = 0; j < f->naliases; j++) {
				assert_string_equal(f->aliases[j].name, g->aliases[j].name);
				assert_true(same_str(f->aliases[j].source, g->aliases[j].source));
			}
		}
		for (size_t i = 0; i < a->nmodels; i++) {
			const struct cs_model *m = &a->models[i], *n = &b->models[i];

			assert_string_equal(m->name, n->name);
			assert_int_equal(m->parent, n->parent);
			assert_int_equal(m->vendor, n->vendor);
			assert_int_equal(m->has_decode, n->has_decode);
			assert_int_equal(m->decode_host, n->decode_host);
			assert_int_equal(m->decode_guest, n->decode_guest);
			assert_int_equal(m->nsigs, n->nsigs);
			for (size_t j = 0; j < m->nsigs; j++) {
				assert_int_equal(m->sigs[j].family, n->sigs[j].family);
				assert_int_equal(m->sigs[j].model, n->sigs[j].model);
				assert_int_equal(m->sigs[j].steppings, n->sigs[j].steppings);
			}
			assert_int_equal(m->npvrs, n->npvrs);
			for (size_t j = 0; j < m->npvrs; j++) {
				assert_int_equal(m->pvrs[j].value, n->pvrs[j].value);
				assert_int_equal(m->pvrs[j].mask, n->pvrs[j].mask);
				assert_int_equal(m->pvrs[j].has_mask, n->pvrs[j].has_mask);
			}
			assert_int_equal(m->nown, n->nown);
			if (m->nown)
				assert_memory_equal(m->own_list, n->own_list,
				                    m->nown * sizeof(*m->own_list));
			assert_true(cs_fset_equal(&m->features, &n->features));
			assert_true(cs_fset_equal(&m->removed, &n->removed));
		}
	}
}

#endif
