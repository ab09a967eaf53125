/* test_level.c: x86-64 micro-architecture levels of models, hosts and guests */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_map_fixture.h"

#include "cpuscope/advice.h"
#include "cpuscope/guest.h"
#include "cpuscope/host.h"
#include "cpuscope/level.h"

static int model_level(const char *name, struct cs_fset *next)
{
	return cs_x86_level(x86, &x86->models[mid(name)].features, next);
}

static void test_models(void **state)
{
	struct cs_fset next, want;

	(void)state;
	assert_int_equal(model_level("486", NULL), 0);
	/* 32-bit: no long mode, no syscall */
	assert_int_equal(model_level("pentium3", &next), 0);
	assert_true(cs_fset_test(&next, (unsigned)fid("lm")));
	assert_true(cs_fset_test(&next, (unsigned)fid("syscall")));
	assert_int_equal(model_level("qemu64", NULL), 1);
	assert_int_equal(model_level("kvm64", NULL), 1);
	assert_int_equal(model_level("Nehalem", NULL), 2);
	assert_int_equal(model_level("EPYC", NULL), 3);
	assert_int_equal(model_level("Skylake-Client", NULL), 3);
	assert_int_equal(model_level("Skylake-Server", &next), 4);
	assert_true(cs_fset_is_empty(&next));
	assert_int_equal(model_level("Cooperlake", NULL), 4);
	/* libvirt's Haswell lacks f16c and abm, so it is only v2 in the map ... */
	assert_int_equal(model_level("Haswell", &next), 2);
	cs_fset_zero(&want);
	cs_fset_set(&want, (unsigned)fid("f16c"));
	cs_fset_set(&want, (unsigned)fid("abm"));
	assert_true(cs_fset_equal(&next, &want));
	/* ... while QEMU's Haswell has both */
	assert_true(cs_qemu_model_features(x86, mid("Haswell"), &want));
	assert_int_equal(cs_x86_level(x86, &want, NULL), 3);
	assert_string_equal(cs_x86_level_name(0), "below x86-64");
	assert_string_equal(cs_x86_level_name(3), "x86-64-v3");
	/* another arch has no levels */
	assert_int_equal(cs_x86_level(cs_map_arch(map, "ppc64"), &want, &next), 0);
}

static void test_guests(void **state)
{
	struct cs_effective eff;
	struct cs_error err = {0};
	struct cs_cpudef *g;
	struct cs_fset q, next;

	(void)state;
	g = cpu("<cpu><model>Haswell</model></cpu>");
	assert_int_equal(cs_guest_effective(g, NULL, &eff, &err), 0);
	cs_effective_qemu_features(x86, &eff, g, &q);
	assert_int_equal(cs_x86_level(x86, &q, NULL), 3);
	cs_cpudef_free(g);
	/* disabling LZCNT (abm) takes QEMU's Haswell down to v2 */
	g = cpu("<cpu><model>Haswell</model><feature policy='disable' name='abm'/></cpu>");
	assert_int_equal(cs_guest_effective(g, NULL, &eff, &err), 0);
	cs_effective_qemu_features(x86, &eff, g, &q);
	assert_int_equal(cs_x86_level(x86, &q, &next), 2);
	assert_true(cs_fset_test(&next, (unsigned)fid("abm")));
	assert_int_equal(cs_fset_count(&next), 1);
	cs_cpudef_free(g);
	/* requiring what v4 needs on a Skylake client */
	g = cpu("<cpu><model>Skylake-Client</model><feature name='avx512f'/>"
	        "<feature name='avx512bw'/><feature name='avx512cd'/><feature name='avx512dq'/>"
	        "<feature name='avx512vl'/></cpu>");
	assert_int_equal(cs_guest_effective(g, NULL, &eff, &err), 0);
	cs_effective_qemu_features(x86, &eff, g, &q);
	assert_int_equal(cs_x86_level(x86, &q, NULL), 4);
	cs_cpudef_free(g);
	/* a model QEMU does not have: the map's view */
	g = cpu("<cpu><model>Icelake-Client</model></cpu>");
	assert_int_equal(cs_guest_effective(g, NULL, &eff, &err), 0);
	cs_effective_qemu_features(x86, &eff, g, &q);
	assert_true(cs_fset_equal(&q, &eff.features));
	assert_int_equal(cs_x86_level(x86, &q, NULL), 3);
	cs_cpudef_free(g);
}

/* The mitigation features: those the map defines, and what a model lacks. */
static void test_mitigations(void **state)
{
	struct cs_fset m, lack;

	(void)state;
	cs_mitigations(x86, &m);
	assert_int_equal(cs_fset_count(&m), 19);
	assert_true(cs_fset_test(&m, (unsigned)fid("md-clear")));
	assert_true(cs_fset_test(&m, (unsigned)fid("virt-ssbd")));
	assert_true(cs_fset_test(&m, (unsigned)fid("taa-no")));
	assert_false(cs_fset_test(&m, (unsigned)fid("avx2")));
	/* the -IBRS models add spec-ctrl, not md-clear or ssbd */
	cs_fset_diff(&lack, &m, &x86->models[mid("Skylake-Client-IBRS")].features);
	assert_false(cs_fset_test(&lack, (unsigned)fid("spec-ctrl")));
	assert_true(cs_fset_test(&lack, (unsigned)fid("md-clear")));
	assert_true(cs_fset_test(&lack, (unsigned)fid("ssbd")));
	cs_mitigations(NULL, &m);
	assert_true(cs_fset_is_empty(&m));
	cs_mitigations(cs_map_arch(map, "ppc64"), &m);
	assert_true(cs_fset_is_empty(&m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_models),
	        cmocka_unit_test(test_guests),
	        cmocka_unit_test(test_mitigations),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
