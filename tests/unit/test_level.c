/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

/* cs_level_report(): the level QEMU gives on a host and the mitigations
 * the host has and the guest lacks. */
static void test_level_report(void **state)
{
	struct cs_level_report r;
	struct cs_effective eff;
	struct cs_error err = {0};
	struct cs_fset host;
	struct cs_cpudef *g = cpu("<cpu><model>Haswell</model></cpu>");
	char *list;

	(void)state;
	assert_int_equal(cs_guest_effective(g, NULL, &eff, &err), 0);
	/* no host: QEMU's Haswell is v3, no mitigations to speak of */
	cs_level_report(x86, &eff, g, NULL, &r);
	assert_int_equal(r.level, 3);
	assert_true(cs_fset_is_empty(&r.mitigations));
	list = cs_arch_feature_list(x86, &r.next, ", ");
	assert_string_equal(list, "avx512f, avx512dq, avx512cd, avx512bw, avx512vl");
	free(list);
	/* a host with Haswell's features but abm, plus md-clear and ssbd */
	host = eff.features;
	cs_fset_clear(&host, (unsigned)fid("abm"));
	cs_fset_set(&host, (unsigned)fid("md-clear"));
	cs_fset_set(&host, (unsigned)fid("ssbd"));
	cs_level_report(x86, &eff, g, &host, &r);
	assert_int_equal(r.level, 2);
	assert_false(cs_fset_test(&r.qemu, (unsigned)fid("abm")));
	list = cs_arch_feature_list(x86, &r.mitigations, " ");
	assert_string_equal(list, "md-clear ssbd"); /* map order */
	free(list);
	cs_cpudef_free(g);
}

static int vid(const char *name)
{
	int v = cs_arch_find_vendor(x86, name);
	assert_true(v >= 0);
	return v;
}

static void has_words(const char *text, const char *words)
{
	if (!text || !strstr(text, words))
		fail_msg("'%s' does not say '%s'", text ? text : "(nothing)", words);
}

static void test_missing_reasons(void **state)
{
	int intel = vid("Intel"), amd = vid("AMD");

	(void)state;
	/* not missing: nothing to say */
	assert_null(cs_missing_reason(x86, (unsigned)fid("hle"), intel, true, 1));
	assert_null(cs_missing_reason(x86, (unsigned)fid("hle"), intel, true, -1));
	/* the CPU lacks it */
	has_words(cs_missing_reason(x86, (unsigned)fid("rtm"), intel, false, 0), "often off");
	has_words(cs_missing_reason(x86, (unsigned)fid("mpx"), intel, false, -1), "MPX");
	has_words(cs_missing_reason(x86, (unsigned)fid("hle"), amd, false, -1),
	          "other vendors' CPUs do not have");
	has_words(cs_missing_reason(x86, (unsigned)fid("avx512bw"), intel, false, 0), "Alder Lake");
	has_words(cs_missing_reason(x86, (unsigned)fid("vmx"), amd, false, 0), "svm instead");
	has_words(cs_missing_reason(x86, (unsigned)fid("svm"), intel, false, -1), "vmx instead");
	has_words(cs_missing_reason(x86, (unsigned)fid("md-clear"), intel, false, 0), "microcode");
	has_words(cs_missing_reason(x86, (unsigned)fid("md-clear"), amd, false, 0),
	          "AMD CPUs report theirs in other bits");
	has_words(cs_missing_reason(x86, (unsigned)fid("amd-ssbd"), intel, false, 0),
	          "Intel CPUs report theirs in other bits");
	has_words(cs_missing_reason(x86, (unsigned)fid("amd-ssbd"), amd, false, 0), "microcode");
	/* pcid comes with the CPU, not with microcode */
	assert_null(cs_missing_reason(x86, (unsigned)fid("pcid"), intel, false, 0));
	has_words(cs_missing_reason(x86, (unsigned)fid("vmx"), vid("Hygon"), false, 0),
	          "svm instead");
	/* vmx lacking on an Intel host is no vendor matter */
	has_words(cs_missing_reason(x86, (unsigned)fid("vmx"), intel, false, 0), "itself a VM");
	has_words(cs_missing_reason(x86, (unsigned)fid("svm"), amd, false, -1), "itself a VM");
	assert_null(cs_missing_reason(x86, (unsigned)fid("sse2"), intel, false, 0));
	/* the CPU has it, KVM does not give it */
	has_words(cs_missing_reason(x86, (unsigned)fid("vmx"), intel, true, 0), "nested");
	has_words(cs_missing_reason(x86, (unsigned)fid("sse2"), intel, true, 0),
	          "not given by KVM here");
	/* KVM emulates what the CPU lacks */
	has_words(cs_missing_reason(x86, (unsigned)fid("arch-capabilities"), amd, false, 1),
	          "emulated");
	/* without KVM: QEMU's TCG, in its own words */
	assert_ptr_equal(cs_missing_reason_hv(x86, (unsigned)fid("vmx"), intel, true, 0, true),
	                 cs_reason_tcg_lacks);
	has_words(cs_missing_reason_hv(x86, (unsigned)fid("sse2"), intel, true, 0, true),
	          "TCG does not emulate");
	has_words(cs_missing_reason_hv(x86, (unsigned)fid("x2apic"), amd, false, 1, true),
	          "starts under TCG");
	has_words(cs_missing_reason_hv(x86, (unsigned)fid("rtm"), intel, false, 0, true),
	          "often off");
	/* newer maps name the VMX controls */
	{
		static const char yaml[] =
		        "format: cpuscope-map/1\n"
		        "arches:\n"
		        "- name: x86\n"
		        "  vendors:\n"
		        "  - {name: Intel, string: GenuineIntel}\n"
		        "  features:\n"
		        "  - {name: vmx-invvpid, msr: [{index: 0x48c, edx: 1}]}\n"
		        "  models:\n"
		        "  - {name: m, features: [vmx-invvpid]}\n";
		struct cs_error err = {0};
		struct cs_map *m =
		        cs_map_load_yaml_buffer(yaml, sizeof(yaml) - 1, "vmx.yaml", &err);
		const struct cs_arch *a;

		assert_non_null(m);
		a = cs_map_arch(m, "x86");
		has_words(cs_missing_reason(a, 0, 0, true, 0), "nested VMX controls");
		has_words(cs_missing_reason(a, 0, 0, false, 0), "VMX controls of newer CPUs");
		cs_map_free(m);
	}
	assert_null(cs_missing_reason(NULL, 0, -1, false, 0));
	assert_null(cs_missing_reason(x86, (unsigned)x86->nfeatures, -1, false, 0));
}

static void test_reason_groups(void **state)
{
	struct cs_reason_group g[4];
	struct cs_fset missing, has, none;
	size_t n;

	(void)state;
	cs_fset_zero(&missing);
	cs_fset_zero(&has);
	cs_fset_set(&missing, (unsigned)fid("sse2")); /* no reason: left out */
	cs_fset_set(&missing, (unsigned)fid("hle"));
	cs_fset_set(&missing, (unsigned)fid("rtm"));
	cs_fset_set(&missing, (unsigned)fid("avx512f"));
	cs_fset_set(&missing, (unsigned)fid("avx512bw"));
	n = cs_missing_reasons(x86, &missing, vid("Intel"), NULL, NULL, g, 4);
	assert_int_equal(n, 2);
	has_words(g[0].reason, "TSX:");
	assert_int_equal(cs_fset_count(&g[0].features), 2);
	assert_true(cs_fset_test(&g[0].features, (unsigned)fid("rtm")));
	has_words(g[1].reason, "AVX-512");
	assert_int_equal(cs_fset_count(&g[1].features), 2);
	/* the CPU has sse2 but KVM gives nothing */
	cs_fset_set(&has, (unsigned)fid("sse2"));
	cs_fset_zero(&none);
	n = cs_missing_reasons(x86, &missing, vid("Intel"), &has, &none, g, 4);
	assert_int_equal(n, 3);
	has_words(g[0].reason, "not given by KVM here");
	assert_true(cs_fset_test(&g[0].features, (unsigned)fid("sse2")));
	/* KVM gives all of them: the ones the CPU lacks are emulated */
	n = cs_missing_reasons(x86, &missing, vid("Intel"), &has, &missing, g, 4);
	assert_int_equal(n, 1);
	has_words(g[0].reason, "emulated");
	assert_int_equal(cs_fset_count(&g[0].features), 4);
	/* room for one group only */
	assert_int_equal(cs_missing_reasons(x86, &missing, vid("Intel"), NULL, NULL, g, 1), 1);
	has_words(g[0].reason, "TSX:");
}

static int variant(const char *model, const char *const *drop)
{
	struct cs_fset d;

	cs_fset_zero(&d);
	for (; *drop; drop++)
		cs_fset_set(&d, (unsigned)fid(*drop));
	return cs_model_variant_without(x86, mid(model), &d, NULL);
}

static void test_model_variants(void **state)
{
	static const char *const tsx[] = {"hle", "rtm", NULL}, *const rtm[] = {"rtm", NULL},
	                         *const ibrs[] = {"spec-ctrl", NULL},
	                         *const ibpb[] = {"ibpb", NULL},
	                         *const both[] = {"hle", "rtm", "spec-ctrl", NULL},
	                         *const avx[] = {"avx2", NULL};

	(void)state;
	assert_int_equal(variant("Haswell", tsx), mid("Haswell-noTSX"));
	assert_int_equal(variant("Haswell-IBRS", rtm), mid("Haswell-noTSX-IBRS"));
	assert_int_equal(variant("Cascadelake-Server", tsx), mid("Cascadelake-Server-noTSX"));
	/* no Skylake-Client-noTSX: the -IBRS one is the map's TSX-less Skylake */
	assert_int_equal(variant("Skylake-Client", tsx), mid("Skylake-Client-noTSX-IBRS"));
	assert_int_equal(variant("Haswell-IBRS", ibrs), mid("Haswell"));
	assert_int_equal(variant("EPYC-IBPB", ibpb), mid("EPYC"));
	/* none that lacks all of them, or none of that kind */
	assert_int_equal(variant("Skylake-Client-IBRS", both), -1);
	assert_int_equal(variant("Haswell", avx), -1);
	assert_int_equal(variant("Haswell", ibrs), -1);
	assert_int_equal(variant("Haswell-noTSX", tsx), -1);
	assert_int_equal(cs_model_variant_without(x86, -1, NULL, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_models),         cmocka_unit_test(test_guests),
	        cmocka_unit_test(test_mitigations),    cmocka_unit_test(test_missing_reasons),
	        cmocka_unit_test(test_model_variants), cmocka_unit_test(test_reason_groups),
	        cmocka_unit_test(test_level_report),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
