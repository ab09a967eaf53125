/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_cpudef_edit.c: cs_cpudef_equal, which tells whether an edit changed a <cpu> */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/cpudef.h"
#include "test_map_fixture.h"

static const char guest_xml[] = "<cpu mode='custom' match='exact'>\n"
                                "  <model fallback='allow'>Haswell-noTSX</model>\n"
                                "  <topology sockets='1' dies='1' cores='2' threads='1'/>\n"
                                "  <numa><cell id='0' cpus='0-1' memory='1024'/></numa>\n"
                                "  <feature policy='require' name='vmx'/>\n"
                                "  <feature policy='disable' name='pcid'/>\n"
                                "</cpu>\n";

static void test_copy_is_equal(void **state)
{
	struct cs_cpudef *a = parse_cpu(guest_xml, CS_CPUDEF_AS_GUEST), *b = cs_cpudef_copy(a);

	(void)state;
	assert_true(cs_cpudef_equal(a, b));
	assert_true(cs_cpudef_equal(a, a));
	assert_true(cs_cpudef_equal(NULL, NULL));
	assert_false(cs_cpudef_equal(a, NULL));
	b->line = 99; /* where it came from does not count */
	assert_true(cs_cpudef_equal(a, b));
	cs_cpudef_free(a);
	cs_cpudef_free(b);
}

static void test_each_edit_differs(void **state)
{
	struct cs_cpudef *a = parse_cpu(guest_xml, CS_CPUDEF_AS_GUEST), *b;

	(void)state;
	b = cs_cpudef_copy(a);
	b->mode = CS_CPU_MODE_HOST_MODEL;
	assert_false(cs_cpudef_equal(a, b));
	cs_cpudef_free(b);

	b = cs_cpudef_copy(a);
	cs_cpudef_set_model(b, mid("Haswell"));
	assert_false(cs_cpudef_equal(a, b));
	cs_cpudef_free(b);

	b = cs_cpudef_copy(a);
	b->cores = 4;
	assert_false(cs_cpudef_equal(a, b));
	b->has_topology = false;
	a->has_topology = false; /* values without a topology do not count */
	assert_true(cs_cpudef_equal(a, b));
	a->has_topology = true;
	cs_cpudef_free(b);

	b = cs_cpudef_copy(a);
	cs_cpudef_set_feature(b, (unsigned)fid("vmx"), CS_POLICY_FORBID);
	assert_false(cs_cpudef_equal(a, b));
	cs_cpudef_set_feature(b, (unsigned)fid("vmx"), CS_POLICY_REQUIRE);
	assert_true(cs_cpudef_equal(a, b));
	cs_cpudef_free(b);

	/* the same features in another order are another <cpu> */
	b = cs_cpudef_copy(a);
	cs_cpudef_remove_feature(b, (unsigned)fid("vmx"));
	cs_cpudef_set_feature(b, (unsigned)fid("vmx"), CS_POLICY_REQUIRE);
	assert_false(cs_cpudef_equal(a, b));
	cs_cpudef_free(b);

	b = cs_cpudef_copy(a);
	cs_cpudef_set_vendor(b, 0);
	assert_false(cs_cpudef_equal(a, b));
	cs_cpudef_free(b);
	cs_cpudef_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_copy_is_equal),
	        cmocka_unit_test(test_each_edit_differs),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
