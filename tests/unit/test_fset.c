/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_fset.c: feature bitset operations */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpuscope/fset.h"

static struct cs_fset make(const unsigned *ids, size_t n)
{
	struct cs_fset s;

	cs_fset_zero(&s);
	for (size_t i = 0; i < n; i++)
		cs_fset_set(&s, ids[i]);
	return s;
}

static void test_set_test_clear(void **state)
{
	struct cs_fset s;

	(void)state;
	cs_fset_zero(&s);
	assert_true(cs_fset_is_empty(&s));
	cs_fset_set(&s, 0);
	cs_fset_set(&s, 63);
	cs_fset_set(&s, 64);
	cs_fset_set(&s, CS_FSET_MAX - 1);
	assert_true(cs_fset_test(&s, 0));
	assert_true(cs_fset_test(&s, 63));
	assert_true(cs_fset_test(&s, 64));
	assert_true(cs_fset_test(&s, CS_FSET_MAX - 1));
	assert_false(cs_fset_test(&s, 1));
	assert_false(cs_fset_test(&s, 65));
	assert_int_equal(cs_fset_count(&s), 4);
	cs_fset_clear(&s, 63);
	assert_false(cs_fset_test(&s, 63));
	assert_int_equal(cs_fset_count(&s), 3);
	assert_false(cs_fset_is_empty(&s));
}

static void test_algebra(void **state)
{
	static const unsigned ai[] = {1, 5, 70, 200};
	static const unsigned bi[] = {5, 70, 900};
	struct cs_fset a = make(ai, 4), b = make(bi, 3), r;

	(void)state;
	cs_fset_union(&r, &a, &b);
	assert_int_equal(cs_fset_count(&r), 5);
	assert_true(cs_fset_test(&r, 900) && cs_fset_test(&r, 1));
	cs_fset_intersect(&r, &a, &b);
	assert_int_equal(cs_fset_count(&r), 2);
	assert_true(cs_fset_test(&r, 5) && cs_fset_test(&r, 70));
	cs_fset_diff(&r, &a, &b);
	assert_int_equal(cs_fset_count(&r), 2);
	assert_true(cs_fset_test(&r, 1) && cs_fset_test(&r, 200));
	assert_false(cs_fset_is_subset(&a, &b));
	cs_fset_intersect(&r, &a, &b);
	assert_true(cs_fset_is_subset(&r, &a));
	assert_true(cs_fset_is_subset(&r, &b));
	assert_true(cs_fset_intersects(&a, &b));
	cs_fset_diff(&r, &a, &b);
	assert_false(cs_fset_intersects(&r, &b));
	/* aliasing: dst == a */
	r = a;
	cs_fset_union(&r, &r, &b);
	assert_int_equal(cs_fset_count(&r), 5);
	assert_false(cs_fset_equal(&r, &a));
	r = a;
	assert_true(cs_fset_equal(&r, &a));
}

static void test_iteration_order(void **state)
{
	static const unsigned ids[] = {900, 3, 64, 63, 0, 1023};
	static const unsigned want[] = {0, 3, 63, 64, 900, 1023};
	struct cs_fset s = make(ids, 6);
	int id;
	size_t n = 0;

	(void)state;
	cs_fset_foreach (id, &s) {
		assert_true(n < 6);
		assert_int_equal(id, want[n]);
		n++;
	}
	assert_int_equal(n, 6);
	assert_int_equal(cs_fset_next(&s, 901), 1023);
	assert_int_equal(cs_fset_next(&s, CS_FSET_MAX), -1);
	cs_fset_zero(&s);
	assert_int_equal(cs_fset_next(&s, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_set_test_clear),
	        cmocka_unit_test(test_algebra),
	        cmocka_unit_test(test_iteration_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
