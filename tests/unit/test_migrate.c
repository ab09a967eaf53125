/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_migrate.c: migrate-check's verdict in the core: ranks, disagreement, unreachable
 * destinations */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_map_fixture.h"

#include "cpuscope/migrate.h"

#define TEST_URI "test:///default"
#define DEAD_URI "qemu+tcp://127.0.0.1:1/system"

/* "Best first": starts, drops (a shut-off guest), drops a running guest
 * would notice, refused, not judged. */
static void test_rank(void **state)
{
	struct cs_migrate_dest d = {0};

	(void)state;
	assert_int_equal(cs_migrate_rank(&d), 4);
	d.judged = true;
	d.v.outcome = CS_START_STARTS;
	assert_int_equal(cs_migrate_rank(&d), 0);
	d.v.outcome = CS_START_DROPS;
	assert_int_equal(cs_migrate_rank(&d), 1);
	cs_fset_set(&d.lost, 3);
	assert_int_equal(cs_migrate_rank(&d), 2);
	d.v.outcome = CS_START_REFUSED;
	assert_int_equal(cs_migrate_rank(&d), 3);
}

static void test_disagrees(void **state)
{
	struct cs_migrate_dest d = {0};

	(void)state;
	d.judged = true;
	d.v.outcome = CS_START_REFUSED;
	assert_false(cs_migrate_disagrees(&d)); /* no answer from libvirt */
	d.cmp_ok = true;
	d.cmp = CS_COMPAT_INCOMPATIBLE;
	assert_false(cs_migrate_disagrees(&d));
	d.cmp = CS_COMPAT_SUPERSET;
	assert_true(cs_migrate_disagrees(&d));
	d.v.outcome = CS_START_DROPS;
	assert_false(cs_migrate_disagrees(&d));
	d.cmp = CS_COMPAT_INCOMPATIBLE;
	assert_true(cs_migrate_disagrees(&d));
}

/* The test driver's domain read as a source; an unreachable destination
 * and one without domain capabilities are reported, never judged. */
static void test_check(void **state)
{
	const char *uris[] = {DEAD_URI, TEST_URI};
	struct cs_migrate_source ms;
	struct cs_migrate_dest d[2];
	struct cs_error err = {0};
	struct cs_conn *c = NULL;

	(void)state;
	assert_int_equal(cs_conn_open(TEST_URI, 0, &c, &err), 0);
	assert_int_equal(cs_migrate_source_read(c, map, "nosuch", &ms, &err), -1);
	assert_int_equal(err.code, CS_ERR_UNKNOWN);
	assert_null(ms.cpu_xml);
	cs_error_clear(&err);
	assert_int_equal(cs_migrate_source_read(c, map, "test", &ms, &err), 0);
	assert_string_equal(ms.dom.info.name, "test");
	assert_true(ms.dom.info.active);
	assert_ptr_equal(ms.cpu_xml, ms.dom.live); /* it runs: the live CPU */
	cs_migrate_check(&ms, map, uris, d, 2, NULL, NULL);
	assert_false(d[0].reachable);
	assert_false(d[0].judged);
	assert_non_null(strstr(d[0].err.msg, "cannot connect"));
	assert_true(d[1].reachable);
	assert_false(d[1].judged); /* the test driver has no domain capabilities */
	assert_true(d[1].err.msg[0]);
	for (int i = 0; i < 2; i++) {
		assert_false(d[i].can_take);
		assert_int_equal(cs_migrate_rank(&d[i]), 4);
		cs_migrate_dest_release(&d[i]);
	}
	cs_migrate_source_release(&ms);
	cs_conn_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rank),
	        cmocka_unit_test(test_disagrees),
	        cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
