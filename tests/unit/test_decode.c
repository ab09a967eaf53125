/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_decode.c: libvirt 9.0 decoding: the cputest dumps byte for byte, and the rules one by one */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/decode.h"
#include "cpuscope/host.h"
#include "test_map_fixture.h"

#define DATA    "tests/data/"
#define CPUTEST DATA "cputest/"
#define GEN     CPUTEST "generated-by-libvirt-9.0.0/"

/* ---- the cputest dumps -------------------------------------------------------- */

/* The 23 CPUs of libvirt 9.0.0's own test suite, and the three newer dumps
 * whose 9.0.0 answers were produced by the 9.0.0 library.  guest = whether a
 * -guest.xml expectation exists. */
static const struct dump {
	const char *name;
	bool generated;
	bool guest;
	const char *host_model;
} dumps[] = {
        {"Core2-E6850", false, true, "Conroe"},
        {"Xeon-X5460", false, true, "Penryn"},
        {"Atom-D510", false, true, "n270"},
        {"Xeon-W3520", false, true, "Nehalem"},
        {"Core-i5-650", false, true, "Westmere"},
        {"Xeon-E5-2650", false, true, "SandyBridge-IBRS"},
        {"Core-i7-3770", false, true, "IvyBridge"},
        {"Xeon-E5-2650-v3", false, true, "Haswell-noTSX"},
        {"Xeon-E5-2650-v4", false, true, "Broadwell"},
        {"Core-i5-6600", false, true, "Skylake-Client"},
        {"Xeon-Gold-6148", false, true, "Skylake-Server"},
        {"Xeon-Platinum-8268", false, true, "Cascadelake-Server"},
        {"Ice-Lake-Server", false, true, "Icelake-Server"},
        {"Cooperlake", false, true, "Cooperlake"},
        {"Atom-P5362", false, false, "Westmere-IBRS"},
        {"Opteron-2350", false, true, "Opteron_G3"},
        {"Phenom-B95", false, true, "athlon"},
        {"Opteron-6234", false, true, "Opteron_G4"},
        {"A10-5800K", false, true, "Opteron_G5"},
        {"EPYC-7601-32-Core", false, true, "EPYC"},
        {"Ryzen-7-1800X-Eight-Core", false, true, "EPYC"},
        {"EPYC-7502-32-Core", false, true, "EPYC-Rome"},
        {"Hygon-C86-7185-32-core", false, true, "Dhyana"},
        {"EPYC-9334-32-Core", true, true, "EPYC-Milan"},
        {"EPYC-7713-64-Core", true, true, "EPYC-Milan"},
        {"Xeon-w7-3465X", true, true, "Snowridge"},
};

static void check_dump(const struct dump *d)
{
	char path[256], expect[256];
	struct cs_error err = {0};
	struct cs_host *h;
	struct cs_decoded dec;
	char *got, *want;

	snprintf(path, sizeof(path), CPUTEST "x86_64-cpuid-%s.xml", d->name);
	h = cs_host_load(map, path, &err);
	if (!h)
		fail_msg("%s: %s", path, err.msg);
	assert_int_equal(h->file_kind, CS_HOST_FILE_CPUDATA);

	if (cs_host_decode(h, &dec, &err) < 0)
		fail_msg("%s: host decode: %s", d->name, err.msg);
	assert_string_equal(x86->models[dec.model].name, d->host_model);
	assert_true(cs_fset_is_empty(&dec.disable));
	got = cs_decoded_format_xml(x86, &dec, CS_CPU_XML_HOST, h->arch_name);
	snprintf(expect, sizeof(expect), "%sx86_64-cpuid-%s-host.xml", d->generated ? GEN : CPUTEST,
	         d->name);
	want = slurp(expect, NULL);
	if (strcmp(got, want))
		fail_msg("%s: host decode differs from %s:\n%s", d->name, expect, got);
	free(got);
	free(want);

	if (d->guest) {
		if (cs_host_decode_guest(h, &dec, &err) < 0)
			fail_msg("%s: guest decode: %s", d->name, err.msg);
		got = cs_decoded_format_xml(x86, &dec, CS_CPU_XML_GUEST, h->arch_name);
		snprintf(expect, sizeof(expect), "%sx86_64-cpuid-%s-guest.xml",
		         d->generated ? GEN : CPUTEST, d->name);
		want = slurp(expect, NULL);
		if (strcmp(got, want))
			fail_msg("%s: guest decode differs from %s:\n%s", d->name, expect, got);
		free(got);
		free(want);
	}
	cs_host_free(h);
}

static void test_cputest_dumps(void **state)
{
	size_t n = 0, guests = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		check_dump(&dumps[i]);
		n++;
		guests += dumps[i].guest;
	}
	assert_int_equal(n, 26);
	assert_int_equal(guests, 25);
}

/* The signature file names of libvirt's .sig expectations, by hand. */
static void test_dump_signatures(void **state)
{
	struct cs_error err = {0};
	struct cs_host *h = cs_host_load(map, CPUTEST "x86_64-cpuid-Xeon-E5-2650-v3.xml", &err);
	unsigned f, m, s;

	(void)state;
	assert_non_null(h);
	assert_int_equal(h->facts.signature, 0x0306f2);
	cs_signature_split(h->facts.signature, &f, &m, &s);
	assert_int_equal(f, 6);
	assert_int_equal(m, 63);
	assert_int_equal(s, 2);
	assert_string_equal(h->vendor_string, "GenuineIntel");
	assert_string_equal(x86->vendors[h->facts.vendor].name, "Intel");
	cs_host_free(h);
}

/* ---- signatures ------------------------------------------------------------------ */

static void test_signature_split_make(void **state)
{
	unsigned f, m, s;

	(void)state;
	cs_signature_split(0x00a10f11, &f, &m, &s); /* EPYC 9334 */
	assert_int_equal(f, 25);
	assert_int_equal(m, 17);
	assert_int_equal(s, 1);
	assert_int_equal(cs_signature_make(25, 17, 1), 0x00a10f11);
	assert_int_equal(cs_signature_make(6, 85, 7), 0x00050657);
	assert_int_equal(cs_signature_make(15, 4, 1), 0x00000f41);
	for (unsigned fam = 1; fam < 40; fam++)
		for (unsigned mod = 0; mod < 256; mod += 7) {
			cs_signature_split(cs_signature_make(fam, mod, 9), &f, &m, &s);
			assert_int_equal(f, fam);
			assert_int_equal(m, mod);
			assert_int_equal(s, 9);
		}
}

static void test_signature_steppings(void **state)
{
	const struct cs_model *sky = &x86->models[mid("Skylake-Server")];
	const struct cs_model *cas = &x86->models[mid("Cascadelake-Server")];
	const struct cs_model *hsw = &x86->models[mid("Haswell")];
	const struct cs_model *q64 = &x86->models[mid("qemu64")];

	(void)state;
	assert_true(cs_model_matches_signature(sky, cs_signature_make(6, 85, 4)));
	assert_false(cs_model_matches_signature(sky, cs_signature_make(6, 85, 5)));
	assert_true(cs_model_matches_signature(cas, cs_signature_make(6, 85, 7)));
	assert_false(cs_model_matches_signature(cas, cs_signature_make(6, 85, 8)));
	assert_true(cs_model_matches_signature(hsw, cs_signature_make(6, 60, 15)));
	assert_false(cs_model_matches_signature(hsw, cs_signature_make(7, 60, 1)));
	assert_false(cs_model_matches_signature(q64, cs_signature_make(6, 60, 1)));
}

/* ---- the rules, on hand-made CPUs ----------------------------------------------------- */

static struct cs_cpu_facts facts_of(const char *model, const char *vendor)
{
	struct cs_cpu_facts f = {.vendor = -1};

	f.features = x86->models[mid(model)].features;
	if (vendor)
		f.vendor = cs_arch_find_vendor(x86, vendor);
	return f;
}

static void add(struct cs_cpu_facts *f, const char *names)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", names);
	for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		cs_fset_set(&f->features, (unsigned)fid(t));
}

/* Feature names of a set, space separated, in map order. */
static char *names(const struct cs_fset *s)
{
	static char buf[4096];
	size_t n = 0;
	int id;

	buf[0] = '\0';
	cs_fset_foreach (id, s)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? " " : "",
		                      x86->features[id].name);
	return buf;
}

/* libvirt-semantics.md §8.3: one preferred model is taken outright (baseline of one CPU). */
static void test_single_preferred(void **state)
{
	struct cs_cpu_facts f = facts_of("pentium3", "Intel");
	int pref = mid("pentium3");
	struct cs_decode_opts o = {.mode = CS_DECODE_GUEST, .preferred = &pref, .npreferred = 1};
	struct cs_decoded d;

	(void)state;
	add(&f, "lahf_lm lm xtpr cx16 ssse3 tm2 est vmx ds_cpl monitor pni pbe tm ht ss sse2 acpi "
	        "ds clflush apic");
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "pentium3");
	assert_string_equal(names(&d.require), "apic clflush ds acpi sse2 ss ht tm pbe pni monitor "
	                                       "ds_cpl vmx est tm2 ssse3 cx16 xtpr lm lahf_lm");
	assert_true(cs_fset_is_empty(&d.disable));
}

/* libvirt-semantics.md §8.9: a decode guest='off' model cannot win even as the only preference. */
static void test_guest_off_model(void **state)
{
	struct cs_cpu_facts f = facts_of("Cascadelake-Server-noTSX", "Intel");
	int pref = mid("Cascadelake-Server-noTSX");
	struct cs_decode_opts o = {.mode = CS_DECODE_GUEST, .preferred = &pref, .npreferred = 1};
	struct cs_decoded d;

	(void)state;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Cascadelake-Server");
	assert_true(cs_fset_is_empty(&d.require));
	assert_string_equal(names(&d.disable), "hle rtm");
	/* In host mode the same CPU is its own model (host='on'). */
	o.mode = CS_DECODE_HOST;
	o.npreferred = 0;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Cascadelake-Server-noTSX");
}

/* libvirt-semantics.md §8.8: penalties let a model with a missing feature win. */
static void test_disabled_feature_wins(void **state)
{
	struct cs_cpu_facts f = {.vendor = -1};
	int pref[2] = {mid("486"), mid("Haswell")};
	struct cs_decode_opts o = {.mode = CS_DECODE_GUEST, .preferred = pref, .npreferred = 2};
	struct cs_decoded d;

	(void)state;
	add(&f, "fpu pse sse2");
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "486");
	assert_string_equal(names(&d.require), "sse2");
	assert_string_equal(names(&d.disable), "vme");
}

/* libvirt-semantics.md §8.2: the vendor of the data filters models; kvm32 + 6 wins. */
static void test_vendor_filter_and_score(void **state)
{
	struct cs_cpu_facts lap = facts_of("pentium3", NULL), srv = facts_of("phenom", NULL);
	struct cs_cpu_facts f = {.vendor = cs_arch_find_vendor(x86, "AMD")};
	int pref[2] = {mid("pentium3"), mid("phenom")};
	struct cs_decode_opts o = {.mode = CS_DECODE_GUEST, .preferred = pref, .npreferred = 2};
	struct cs_decoded d;

	(void)state;
	add(&lap, "lahf_lm lm xtpr cx16 ssse3 tm2 est vmx ds_cpl monitor pni pbe tm ht ss sse2 "
	          "acpi ds clflush apic");
	add(&srv, "osvw 3dnowprefetch misalignsse sse4a abm cr8legacy extapic cmp_legacy lahf_lm "
	          "rdtscp pdpe1gb popcnt cx16 ht vme");
	cs_fset_intersect(&f.features, &lap.features, &srv.features);
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "kvm32");
	assert_string_equal(names(&d.require), "vme ht monitor cx16 lm lahf_lm");
	assert_true(cs_fset_is_empty(&d.disable));
}

/* A matching signature beats a better feature score. */
static void test_signature_beats_score(void **state)
{
	struct cs_cpu_facts f = facts_of("Haswell-noTSX", "Intel");
	struct cs_decode_opts o = {.mode = CS_DECODE_HOST};
	struct cs_decoded d;

	(void)state;
	/* Broadwell-noTSX features but a Haswell signature: Broadwell-noTSX
	 * would leave fewer extras, the signature picks a Haswell model. */
	f.features = x86->models[mid("Broadwell-noTSX")].features;
	f.signature = cs_signature_make(6, 63, 4);
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Haswell-noTSX");
	assert_string_equal(names(&d.require), "rdseed adx smap 3dnowprefetch");
	/* Without a signature the feature count decides. */
	f.signature = 0;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Broadwell-noTSX");
}

/* The TSX erratum filter: Intel family 6 model 63 before stepping 4. */
static void test_tsx_filter(void **state)
{
	struct cs_cpu_facts f = facts_of("Haswell", "Intel");
	struct cs_decode_opts o = {.mode = CS_DECODE_HOST};
	struct cs_decoded d;

	(void)state;
	f.signature = cs_signature_make(6, 63, 2);
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Haswell-noTSX");
	f.signature = cs_signature_make(6, 63, 4);
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Haswell");
	/* Not for AMD. */
	f.vendor = cs_arch_find_vendor(x86, "AMD");
	f.signature = cs_signature_make(6, 63, 2);
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_true(cs_fset_test(&d.require, (unsigned)fid("hle")) ||
	            cs_fset_test(&x86->models[d.model].features, (unsigned)fid("hle")));
}

/* One preferred model inside the allowed list wins outright, even when it
 * needs disabled features; without it the exact fit wins. */
static void test_one_preferred_with_allowed(void **state)
{
	struct cs_cpu_facts f = facts_of("Westmere", "Intel");
	int pref = mid("Haswell");
	struct cs_allowed_model allowed[2] = {{.model = mid("Westmere")},
	                                      {.model = mid("Haswell")}};
	struct cs_decode_opts o = {.mode = CS_DECODE_GUEST,
	                           .allowed = allowed,
	                           .nallowed = 2,
	                           .preferred = &pref,
	                           .npreferred = 1};
	struct cs_decoded d;

	(void)state;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Haswell");
	/* Without preference Westmere fits exactly. */
	o.npreferred = 0;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Westmere");
	assert_true(cs_fset_is_empty(&d.require));
	assert_true(cs_fset_is_empty(&d.disable));
}

/* libvirt's penalty loop charges only the first half of the disabled
 * features (its bound shrinks as it goes).  IvyBridge with 2 disabled
 * scores 0 + 1 + 2 = 3 and beats SandyBridge with 4 extras; charging both
 * disabled features (2 + 3) would have picked SandyBridge. */
static void test_penalty_quirk(void **state)
{
	struct cs_cpu_facts f = facts_of("SandyBridge", "Intel");
	struct cs_allowed_model allowed[2] = {{.model = mid("SandyBridge")},
	                                      {.model = mid("IvyBridge")}};
	struct cs_decode_opts o = {.mode = CS_DECODE_GUEST, .allowed = allowed, .nallowed = 2};
	struct cs_decoded d;

	(void)state;
	add(&f, "erms f16c fsgsbase rdrand");
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "IvyBridge");
	assert_true(cs_fset_is_empty(&d.require));
	assert_string_equal(names(&d.disable), "vme smep");
	/* In host mode a model with missing features is never chosen. */
	o.mode = CS_DECODE_HOST;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "SandyBridge");
	assert_string_equal(names(&d.require), "f16c rdrand fsgsbase erms");
}

static void test_allowed_and_blockers(void **state)
{
	struct cs_cpu_facts f = facts_of("Westmere", "Intel");
	struct cs_allowed_model allowed[2] = {{.model = mid("Nehalem")},
	                                      {.model = mid("Westmere")}};
	struct cs_decode_opts o = {.mode = CS_DECODE_GUEST, .allowed = allowed, .nallowed = 1};
	struct cs_decoded d;
	struct cs_error err = {0};
	int pref = mid("Westmere");

	(void)state;
	/* Westmere not allowed: Nehalem + the extras. */
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Nehalem");
	assert_string_equal(names(&d.require), "aes");
	/* A blocker the CPU lacks becomes a disabled feature. */
	cs_fset_set(&allowed[0].blockers, (unsigned)fid("avx"));
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(names(&d.disable), "avx");
	/* So does a blocker the CPU has when the model has it too (QEMU cannot
	 * give the model's copy); one the CPU has beyond the model is listed
	 * as required only. */
	cs_fset_set(&allowed[0].blockers, (unsigned)fid("sse4.2"));
	cs_fset_set(&allowed[0].blockers, (unsigned)fid("aes"));
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(names(&d.require), "aes");
	assert_string_equal(names(&d.disable), "sse4.2 avx");
	cs_fset_zero(&allowed[0].blockers);
	/* The only preferred model is not allowed: an error with forbid. */
	o.preferred = &pref;
	o.npreferred = 1;
	o.fallback_forbid = true;
	assert_int_equal(cs_decode(x86, &f, &o, &d, &err), -1);
	assert_string_equal(err.msg, "CPU model Westmere is not supported by hypervisor");
	o.fallback_forbid = false;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Nehalem");
}

static void test_migratable(void **state)
{
	struct cs_cpu_facts f = facts_of("Westmere", "Intel");
	struct cs_decode_opts o = {.mode = CS_DECODE_GUEST};
	struct cs_decoded d;

	(void)state;
	add(&f, "invtsc vmx");
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(names(&d.require), "vmx invtsc");
	o.migratable = true;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(names(&d.require), "vmx");
}

static void test_no_candidate(void **state)
{
	struct cs_cpu_facts f = {.vendor = -1};
	struct cs_decode_opts o = {.mode = CS_DECODE_HOST};
	struct cs_decoded d = {.model = 12345};
	struct cs_error err = {0};

	(void)state;
	add(&f, "sse2");
	assert_int_equal(cs_decode(x86, &f, &o, &d, &err), -1);
	assert_int_equal(err.code, CS_ERR_UNSUPPORTED);
	assert_string_equal(err.msg, "Cannot find suitable CPU model for given data");
	assert_int_equal(d.model, 12345); /* untouched on failure */
	/* A guest decode always finds something. */
	o.mode = CS_DECODE_GUEST;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
}

/* Ties keep the model met first in the backward walk (later in map order). */
static void test_tie_keeps_later_model(void **state)
{
	struct cs_cpu_facts f = facts_of("Skylake-Client-IBRS", "Intel");
	struct cs_decode_opts o = {.mode = CS_DECODE_HOST};
	struct cs_decoded d;

	(void)state;
	assert_int_equal(cs_decode(x86, &f, &o, &d, NULL), 0);
	assert_string_equal(x86->models[d.model].name, "Skylake-Client-IBRS");
	assert_true(cs_fset_is_empty(&d.require));
}

/* A guest decode lists the model's removed features (Icelake-Server's
 * intel-pt) as disabled after the features the CPU misses, even those that
 * come later in map order (umip). */
static void test_removed_features_last(void **state)
{
	struct cs_cpu_facts cpu = {.vendor = cs_arch_find_vendor(x86, "Intel"), .signature = 0};
	int pref = mid("Icelake-Server");
	struct cs_decode_opts opts = {.mode = CS_DECODE_GUEST, .preferred = &pref, .npreferred = 1};
	struct cs_decoded dec;
	struct cs_error err = {0};
	char *xml, *umip, *ipt;

	(void)state;
	cpu.features = x86->models[pref].features;
	cs_fset_clear(&cpu.features, (unsigned)fid("umip"));
	assert_int_equal(cs_decode(x86, &cpu, &opts, &dec, &err), 0);
	assert_int_equal(dec.model, pref);
	assert_true(cs_fset_test(&dec.disable, (unsigned)fid("umip")));
	assert_true(cs_fset_test(&dec.disable, (unsigned)fid("intel-pt")));
	assert_true(fid("umip") > fid("intel-pt"));
	xml = cs_decoded_format_xml(x86, &dec, CS_CPU_XML_GUEST, "x86_64");
	umip = strstr(xml, "name='umip'");
	ipt = strstr(xml, "name='intel-pt'");
	assert_non_null(umip);
	assert_non_null(ipt);
	assert_true(umip < ipt);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cputest_dumps),
	        cmocka_unit_test(test_dump_signatures),
	        cmocka_unit_test(test_signature_split_make),
	        cmocka_unit_test(test_signature_steppings),
	        cmocka_unit_test(test_single_preferred),
	        cmocka_unit_test(test_guest_off_model),
	        cmocka_unit_test(test_disabled_feature_wins),
	        cmocka_unit_test(test_vendor_filter_and_score),
	        cmocka_unit_test(test_signature_beats_score),
	        cmocka_unit_test(test_tsx_filter),
	        cmocka_unit_test(test_one_preferred_with_allowed),
	        cmocka_unit_test(test_penalty_quirk),
	        cmocka_unit_test(test_allowed_and_blockers),
	        cmocka_unit_test(test_migratable),
	        cmocka_unit_test(test_no_candidate),
	        cmocka_unit_test(test_tie_keeps_later_model),
	        cmocka_unit_test(test_removed_features_last),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
