/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_host.c: CPU data, file formats, CPUID enumeration, sources and their failure paths */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/host.h"
#include "test_map_fixture.h"

#define DATA    "tests/data/"
#define CPUTEST DATA "cputest/"
#define NESTED  CPUTEST "host-nested-epyc/"

static struct cs_item cpuid_item(uint32_t leaf, uint32_t sub, uint32_t a, uint32_t b, uint32_t c,
                                 uint32_t d)
{
	struct cs_item it = {.kind = CS_ITEM_CPUID, .leaf = leaf, .subleaf = sub};

	it.reg[0] = a;
	it.reg[1] = b;
	it.reg[2] = c;
	it.reg[3] = d;
	return it;
}

/* The host XML of a decode, compared with a file. */
static void assert_host_xml(const struct cs_host *h, const char *expect_path, bool host_model)
{
	struct cs_decoded d;
	struct cs_error err = {0};
	char *got, *want;

	if ((host_model ? cs_host_model(h, &d, &err) : cs_host_decode(h, &d, &err)) < 0)
		fail_msg("decode: %s", err.msg);
	got = cs_decoded_format_xml(
	        h->arch, &d, host_model ? CS_CPU_XML_HOST_MODEL : CS_CPU_XML_HOST, h->arch_name);
	want = slurp(expect_path, NULL);
	if (strcmp(got, want))
		fail_msg("differs from %s:\n%s", expect_path, got);
	free(got);
	free(want);
}

static struct cs_host *load_ok(const char *path)
{
	struct cs_error err = {0};
	struct cs_host *h = cs_host_load(map, path, &err);

	if (!h)
		fail_msg("%s: %s:%u: %s", path, err.file, err.line, err.msg);
	return h;
}

/* ---- cs_cpudata ------------------------------------------------------------------ */

static void test_cpudata_order_and_merge(void **state)
{
	struct cs_cpudata d;
	struct cs_item msr = {.kind = CS_ITEM_MSR, .leaf = 0x10a};
	struct cs_item it;
	const struct cs_item *f;

	(void)state;
	cs_cpudata_init(&d);
	msr.reg[CS_REG_EAX] = 0x20;
	msr.reg[CS_REG_EBX] = 0xffff; /* ignored for MSRs */
	cs_cpudata_add(&d, &msr);
	it = cpuid_item(7, 0, 0, 1, 0, 0);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(0x80000001u, 0, 0, 0, 4, 0);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(7, 1, 0x10, 0, 0, 0);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(7, 0, 0, 2, 0, 0);
	cs_cpudata_add(&d, &it);
	assert_int_equal(d.nitems, 4);
	assert_int_equal(d.items[0].leaf, 7);
	assert_int_equal(d.items[0].subleaf, 0);
	assert_int_equal(d.items[0].reg[CS_REG_EBX], 3); /* OR-ed */
	assert_int_equal(d.items[1].subleaf, 1);
	assert_int_equal(d.items[2].leaf, 0x80000001u);
	assert_int_equal(d.items[3].kind, CS_ITEM_MSR);
	assert_int_equal(d.items[3].reg[CS_REG_EBX], 0);
	f = cs_cpudata_find(&d, CS_ITEM_MSR, 0x10a, 0);
	assert_non_null(f);
	assert_int_equal(f->reg[CS_REG_EAX], 0x20);
	assert_null(cs_cpudata_find(&d, CS_ITEM_CPUID, 7, 2));
	it = cpuid_item(7, 0, 0, 3, 0, 0);
	assert_true(cs_cpudata_has(&d, &it));
	it = cpuid_item(7, 0, 0, 4, 0, 0);
	assert_false(cs_cpudata_has(&d, &it));
	it = cpuid_item(9, 0, 0, 0, 0, 0);
	assert_true(cs_cpudata_has(&d, &it)); /* an empty mask is always there */
	assert_int_equal(cs_cpudata_signature(&d), 0);
	cs_cpudata_release(&d);
	assert_int_equal(d.nitems, 0);
	cs_cpudata_release(NULL);
}

static void test_vendor_and_facts(void **state)
{
	struct cs_cpudata d = {0};
	struct cs_item it = cpuid_item(0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	struct cs_cpu_facts f;
	char vs[13];

	(void)state;
	cs_cpudata_add(&d, &it);
	it = cpuid_item(1, 0, 0x000306f2 | 0xf000c000u, 0, 1u << 0, 1u << 0);
	cs_cpudata_add(&d, &it);
	/* Bits no map feature uses are dropped without complaint. */
	it = cpuid_item(0x40000000u, 0, 0xffffffffu, 0xffffffffu, 0, 0);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(1, 0, 0, 0, 1u << 11, 0); /* reserved bit 11 of ecx */
	cs_cpudata_add(&d, &it);
	cs_cpudata_facts(x86, &d, &f);
	assert_string_equal(x86->vendors[f.vendor].name, "Intel");
	assert_int_equal(f.signature, 0x000306f2); /* masked with 0x0fff3fff */
	assert_int_equal(cs_fset_count(&f.features), 2);
	assert_true(cs_fset_test(&f.features, (unsigned)fid("pni")));
	assert_true(cs_fset_test(&f.features, (unsigned)fid("fpu")));
	assert_true(cs_cpudata_vendor_string(&d, vs, sizeof(vs)));
	assert_string_equal(vs, "GenuineIntel");
	cs_cpudata_release(&d);
	/* No leaf 0: no vendor. */
	it = cpuid_item(1, 0, 0, 0, 1, 0);
	cs_cpudata_add(&d, &it);
	cs_cpudata_facts(x86, &d, &f);
	assert_int_equal(f.vendor, -1);
	assert_false(cs_cpudata_vendor_string(&d, vs, sizeof(vs)));
	cs_cpudata_release(&d);
}

/* ---- the libvirt CPUID dump format -------------------------------------------------- */

static void test_dump_round_trip(void **state)
{
	size_t len;
	char *buf = slurp(CPUTEST "x86_64-cpuid-EPYC-9334-32-Core.xml", &len);
	struct cs_cpudata a = {0}, b = {0};
	struct cs_error err = {0};
	char *out;

	(void)state;
	assert_int_equal(cs_cpudata_parse_xml(buf, len, "epyc", &a, &err), 0);
	assert_non_null(cs_cpudata_find(&a, CS_ITEM_MSR, 0x10a, 0));
	out = cs_cpudata_format_xml(&a, "AMD EPYC 9334 32-Core Processor");
	assert_non_null(
	        strstr(out, "<!-- AMD EPYC 9334 32-Core Processor -->\n<cpudata arch='x86'>"));
	assert_int_equal(cs_cpudata_parse_xml(out, strlen(out), "again", &b, &err), 0);
	/* The writer leaves out all-zero items; everything else survives. */
	for (size_t i = 0, j = 0; i < a.nitems; i++) {
		const struct cs_item *x = &a.items[i];

		if (!(x->reg[0] | x->reg[1] | x->reg[2] | x->reg[3]) && (x->leaf || x->subleaf))
			continue;
		assert_true(j < b.nitems);
		assert_memory_equal(x, &b.items[j], sizeof(*x));
		j++;
	}
	free(out);
	free(buf);
	cs_cpudata_release(&a);
	cs_cpudata_release(&b);
}

/* A dump of nothing but zeros still reads back: leaf 0 is kept. */
static void test_dump_all_zero(void **state)
{
	struct cs_cpudata a = {0}, b = {0};
	struct cs_error err = {0};
	struct cs_item it = {.kind = CS_ITEM_CPUID};
	char *out;

	(void)state;
	cs_cpudata_add(&a, &it);
	it.leaf = 1;
	cs_cpudata_add(&a, &it);
	out = cs_cpudata_format_xml(&a, NULL);
	assert_int_equal(cs_cpudata_parse_xml(out, strlen(out), "zero.xml", &b, &err), 0);
	assert_int_equal(b.nitems, 1);
	assert_non_null(cs_cpudata_find(&b, CS_ITEM_CPUID, 0, 0));
	free(out);
	cs_cpudata_release(&a);
	cs_cpudata_release(&b);
}

/* A brand string is free text, but an XML comment cannot hold "--": the
 * dump written for a `cpuid -r` file with such a brand must read back. */
static void test_dump_comment_hyphens(void **state)
{
	const char *raw = "CPU:\n"
	                  "   0x00000000 0x00: eax=0x0000001c ebx=0x68747541 ecx=0x444d4163 "
	                  "edx=0x69746e65\n"
	                  "   0x80000002 0x00: eax=0x2d2d2041 ebx=0x00002d42 ecx=0x00000000 "
	                  "edx=0x00000000\n";
	struct cs_error err = {0};
	struct cs_host *h = cs_host_parse(map, raw, strlen(raw), "brand.txt", &err);
	struct cs_cpudata d = {0};
	char *out;

	(void)state;
	assert_non_null(h);
	assert_string_equal(h->brand, "A --B-");
	out = cs_cpudata_format_xml(&h->data, h->brand);
	assert_non_null(strstr(out, "<!-- A - -B- -->\n<cpudata arch='x86'>"));
	assert_int_equal(cs_cpudata_parse_xml(out, strlen(out), "brand.xml", &d, &err), 0);
	assert_int_equal(d.nitems, 2);
	free(out);
	cs_cpudata_release(&d);
	out = cs_cpudata_format_xml(&h->data, "tab\there\x01");
	assert_non_null(strstr(out, "<!-- tab\there? -->"));
	free(out);
	cs_host_free(h);
}

static void expect_dump_error(const char *text, enum cs_errcode code, unsigned line,
                              const char *msg_part)
{
	struct cs_cpudata d = {0};
	struct cs_error err = {0};

	assert_int_equal(cs_cpudata_parse_xml(text, strlen(text), "t.xml", &d, &err), -1);
	assert_int_equal(d.nitems, 0);
	if (err.code != code || (line && err.line != line) || !strstr(err.msg, msg_part))
		fail_msg("got code %d line %u '%s', expected code %d line %u '%s'", err.code,
		         err.line, err.msg, code, line, msg_part);
}

static void test_dump_errors(void **state)
{
	size_t len;
	char *buf = slurp(CPUTEST "x86_64-cpuid-Core2-E6850.xml", &len);
	struct cs_error err = {0};
	struct cs_host *h;

	(void)state;
	/* Truncated in the middle of an element. */
	buf[len / 2] = '\0';
	expect_dump_error(buf, CS_ERR_SYNTAX, 0, "malformed XML");
	h = cs_host_parse(map, buf, len / 2, "cut.xml", &err);
	assert_null(h);
	assert_int_equal(err.code, CS_ERR_SYNTAX);
	assert_string_equal(err.file, "cut.xml");
	assert_true(err.line > 1);
	free(buf);

	expect_dump_error("<cpudata arch='ppc64'>\n<cpuid eax_in='1'/>\n</cpudata>",
	                  CS_ERR_UNSUPPORTED, 1, "only 'x86'");
	expect_dump_error("<cpudata arch='x86'>\n  <cpuid ecx_in='0' eax='1'/>\n</cpudata>",
	                  CS_ERR_INVALID, 2, "missing attribute 'eax_in'");
	expect_dump_error("<cpudata arch='x86'>\n\n  <cpuid eax_in='0x1' eax='0xzz'/>\n</cpudata>",
	                  CS_ERR_INVALID, 3, "invalid number '0xzz'");
	expect_dump_error("<cpudata arch='x86'>\n  <msr index='0x10a' eax='1'/>\n</cpudata>",
	                  CS_ERR_INVALID, 2, "missing attribute 'edx'");
	expect_dump_error("<cpudata arch='x86'>\n  <leaf eax_in='1'/>\n</cpudata>", CS_ERR_INVALID,
	                  2, "unexpected element <leaf>");
	expect_dump_error("<cpudata arch='x86'>\n</cpudata>", CS_ERR_INVALID, 1, "no <cpuid>");
	expect_dump_error("<cpudata arch='x86'><cpuid eax_in='0x100000000'/></cpudata>",
	                  CS_ERR_INVALID, 1, "invalid number");
}

/* An undefined namespace prefix is an error libxml2 recovers from: the dump
 * is read, and the message of a later, real error is not replaced by it. */
static void test_dump_namespace_prefix(void **state)
{
	const char *ok = "<cpudata arch='x86'>\n"
	                 "  <cpuid e:x='1' eax_in='0x0' eax='0x1' ebx='0x756e6547' "
	                 "ecx='0x6c65746e' edx='0x49656e69'/>\n"
	                 "</cpudata>\n";
	struct cs_cpudata d = {0};
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_cpudata_parse_xml(ok, strlen(ok), "ns.xml", &d, &err), 0);
	assert_int_equal(err.code, CS_ERR_NONE);
	assert_int_equal(d.nitems, 1);
	cs_cpudata_release(&d);
	expect_dump_error("<cpudata arch='x86'>\n  <cpuid e:x='1' eax_in='0x0'/>\n"
	                  "  <cpuid eax_in='0x1' eax='0xzz'/>\n</cpudata>",
	                  CS_ERR_INVALID, 3, "invalid number '0xzz'");
}

/* Leaves the map knows nothing about are carried and ignored. */
static void test_dump_unknown_leaf(void **state)
{
	const char *text = "<cpudata arch='x86'>\n"
	                   "  <cpuid eax_in='0x00000000' ecx_in='0x00' eax='0x00000001' "
	                   "ebx='0x756e6547' ecx='0x6c65746e' edx='0x49656e69'/>\n"
	                   "  <cpuid eax_in='0x00000001' eax='0x000006fb' ecx='0x0000e3bd' "
	                   "edx='0xbfebfbff'/>\n"
	                   "  <cpuid eax_in='0x4fffffff' ecx_in='0x07' eax='0xffffffff' "
	                   "ebx='0xffffffff' ecx='0xffffffff' edx='0xffffffff'/>\n"
	                   "  <msr index='0x999' eax='0xffffffff' edx='0xffffffff'/>\n"
	                   "</cpudata>\n";
	char plain[1024];
	struct cs_error err = {0};
	struct cs_host *h = cs_host_parse(map, text, strlen(text), "unknown-leaf.xml", &err);
	struct cs_host *p;
	struct cs_decoded d, dp;
	const char *cut = strstr(text, "  <cpuid eax_in='0x4fffffff'");

	(void)state;
	assert_non_null(h);
	assert_int_equal(h->data.nitems, 4);
	/* The same data without the two unknown items. */
	snprintf(plain, sizeof(plain), "%.*s</cpudata>\n", (int)(cut - text), text);
	p = cs_host_parse(map, plain, strlen(plain), "plain.xml", &err);
	assert_non_null(p);
	assert_int_equal(p->data.nitems, 2);
	assert_true(cs_fset_equal(&h->facts.features, &p->facts.features));
	assert_int_equal(cs_host_decode(h, &d, &err), 0);
	assert_int_equal(cs_host_decode(p, &dp, &err), 0);
	assert_int_equal(d.model, dp.model);
	assert_true(cs_fset_equal(&d.require, &dp.require));
	cs_host_free(h);
	cs_host_free(p);
}

/* ---- `cpuid -r` ------------------------------------------------------------------------ */

static void test_cpuid_raw(void **state)
{
	struct cs_host *one = load_ok(NESTED "cpuid-r.txt");
	struct cs_host *all = load_ok(NESTED "cpuid-r-all.txt");
	struct cs_host *dump = load_ok(NESTED "cpuid-cpudata.xml");

	(void)state;
	assert_int_equal(one->file_kind, CS_HOST_FILE_CPUID_RAW);
	assert_int_equal(all->file_kind, CS_HOST_FILE_CPUID_RAW);
	assert_true(cs_fset_equal(&one->facts.features, &all->facts.features));
	assert_true(cs_fset_equal(&one->facts.features, &dump->facts.features));
	assert_int_equal(one->facts.signature, 0xb00f21);
	assert_string_equal(one->brand, "AMD EPYC");
	assert_host_xml(one, NESTED "expected-host.xml", false);
	assert_host_xml(all, NESTED "expected-host.xml", false);
	cs_host_free(one);
	cs_host_free(all);
	cs_host_free(dump);
}

static void expect_raw_error(const char *text, unsigned line, const char *msg_part)
{
	struct cs_cpudata d = {0};
	struct cs_error err = {0};

	assert_int_equal(cs_cpudata_parse_cpuid_raw(text, strlen(text), "r.txt", &d, &err), -1);
	assert_int_equal(d.nitems, 0);
	if (err.code != CS_ERR_INVALID || err.line != line || !strstr(err.msg, msg_part))
		fail_msg("got line %u '%s', expected line %u '%s'", err.line, err.msg, line,
		         msg_part);
}

static void test_cpuid_raw_errors(void **state)
{
	(void)state;
	expect_raw_error("CPU:\n   0x00000000 0x00: eax=0x0000001c ebx=0x68747541 ecx=0x444d4163 "
	                 "edx=0x69746e65\n   0x00000001 0x00: eax=0x00b00f21 ebx=0x01020800 ec",
	                 3, "truncated");
	expect_raw_error("CPU:\n   0x00000001 0x00: eax=0x00b00f21 ebx=0x01020800 ecx=0x1 "
	                 "edx=0x123456789\n",
	                 2, "truncated");
	expect_raw_error("CPU:\nhello world\n", 2, "not a `cpuid -r` line");
	expect_raw_error("CPU:\n\n", 2, "no CPUID lines");
	expect_raw_error("   0x00000001 0x00: eax=0x1 ebx=0x2 ecx=0x3 edx=0x4\n", 1,
	                 "leaf 0 is missing");
	{
		/* a good line padded past 255 characters, then garbage */
		char text[400];
		int n = snprintf(text, sizeof(text),
		                 "CPU:\n   0x00000000 0x00: eax=0x1 ebx=0x2 "
		                 "ecx=0x3 edx=0x4%270s\n",
		                 "x");

		assert_true(n > 0 && (size_t)n < sizeof(text));
		expect_raw_error(text, 2, "longer than 255");
	}
}

/* ---- enumeration ------------------------------------------------------------------------ */

struct counting {
	struct cs_cpuid_source inner;
	unsigned calls;
	uint32_t last_leaf, last_sub;
	bool asked[0x20][64];
};

static int counting_leaf(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4],
                         struct cs_error *err)
{
	struct counting *c = ctx;

	c->calls++;
	if (leaf < 0x20 && sub < 64)
		c->asked[leaf][sub] = true;
	return c->inner.leaf(c->inner.ctx, leaf, sub, out, err);
}

/* Enumerating a dump through the replay source finds the same features. */
static void test_enumerate_replay(void **state)
{
	static const char *const names[] = {"Xeon-Gold-6148", "EPYC-7502-32-Core", "Atom-P5362",
	                                    "Core2-E6850"};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[256];
		struct cs_host *h;
		struct cs_cpuid_replay rp;
		struct cs_cpuid_source src;
		struct cs_cpudata out = {0};
		struct cs_cpu_facts f1, f2;
		struct cs_error err = {0};
		struct cs_item msr_mask = {.kind = CS_ITEM_MSR, .leaf = 0x10a};

		snprintf(path, sizeof(path), CPUTEST "x86_64-cpuid-%s.xml", names[i]);
		h = load_ok(path);
		rp.data = &h->data;
		rp.strict = false;
		cs_cpuid_source_replay(&src, &rp);
		assert_int_equal(cs_cpuid_enumerate(&src, &out, &err), 0);
		/* MSRs do not come from CPUID: compare without them. */
		cs_cpudata_facts(x86, &out, &f1);
		msr_mask.reg[CS_REG_EAX] = 0;
		for (size_t j = 0; j < h->data.nitems; j++)
			if (h->data.items[j].kind == CS_ITEM_MSR)
				h->data.items[j].reg[CS_REG_EAX] =
				        h->data.items[j].reg[CS_REG_EDX] = 0;
		cs_cpudata_facts(x86, &h->data, &f2);
		if (!cs_fset_equal(&f1.features, &f2.features))
			fail_msg("%s: enumeration lost features", names[i]);
		assert_int_equal(f1.vendor, f2.vendor);
		assert_int_equal(f1.signature, f2.signature);
		(void)msr_mask;
		cs_cpudata_release(&out);
		cs_host_free(h);
	}
}

static void test_enumerate_subleaves(void **state)
{
	struct cs_cpudata d = {0}, out = {0};
	struct cs_cpuid_replay rp = {&d, false};
	struct counting c = {0};
	struct cs_cpuid_source src = {counting_leaf, &c};
	struct cs_error err = {0};
	struct cs_item it;

	(void)state;
	it = cpuid_item(0, 0, 0x14, 0x756e6547, 0x6c65746e, 0x49656e69);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(4, 0, 0x21, 0, 0, 0); /* cache type 1: go on */
	cs_cpudata_add(&d, &it);
	it = cpuid_item(4, 1, 0x22, 0, 0, 0);
	cs_cpudata_add(&d, &it);           /* sub-leaf 2 reads zero: stop after it */
	it = cpuid_item(7, 0, 2, 0, 0, 0); /* two more sub-leaves; no SGX */
	cs_cpudata_add(&d, &it);
	it = cpuid_item(0xb, 0, 1, 2, 0x100, 0);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(0xb, 1, 4, 8, 0x201, 0);
	cs_cpudata_add(&d, &it); /* sub-leaf 2: ecx[15:8] = 0 ends it */
	it = cpuid_item(0xd, 0, (1u << 2) | (1u << 9), 0, 0, 0);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(0xd, 1, 1, 0, 1u << 8, 0);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(0xf, 0, 0, 0, 0, 1u << 1);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(0x12, 0, 3, 0, 0, 0); /* ignored: no SGX in leaf 7 */
	cs_cpudata_add(&d, &it);
	it = cpuid_item(0x14, 0, 1, 0, 0, 0);
	cs_cpudata_add(&d, &it);
	c.inner.leaf = NULL;
	cs_cpuid_source_replay(&c.inner, &rp);
	assert_int_equal(cs_cpuid_enumerate(&src, &out, &err), 0);
	assert_true(c.asked[4][1] && c.asked[4][2] && !c.asked[4][3]);
	assert_true(c.asked[7][1] && c.asked[7][2] && !c.asked[7][3]);
	assert_true(c.asked[0xb][1] && c.asked[0xb][2] && !c.asked[0xb][3]);
	assert_true(c.asked[0xd][1] && c.asked[0xd][2] && c.asked[0xd][8] && c.asked[0xd][9]);
	assert_false(c.asked[0xd][3]);
	assert_true(c.asked[0xf][1] && !c.asked[0xf][2]);
	assert_false(c.asked[0x12][0]);
	assert_true(c.asked[0x14][1] && !c.asked[0x14][2]);
	assert_null(cs_cpudata_find(&out, CS_ITEM_CPUID, 0x12, 0));
	assert_non_null(cs_cpudata_find(&out, CS_ITEM_CPUID, 0xd, 1));
	cs_cpudata_release(&out);

	/* With SGX (leaf 7 ebx bit 2), leaf 0x12 and its sub-leaves are read. */
	it = cpuid_item(7, 0, 0, 1u << 2, 0, 0);
	cs_cpudata_add(&d, &it);
	it = cpuid_item(0x12, 2, 1, 0, 0, 0);
	cs_cpudata_add(&d, &it);
	memset(c.asked, 0, sizeof(c.asked));
	assert_int_equal(cs_cpuid_enumerate(&src, &out, &err), 0);
	assert_true(c.asked[0x12][0] && c.asked[0x12][1] && c.asked[0x12][2] && c.asked[0x12][3]);
	assert_false(c.asked[0x12][4]);
	assert_non_null(cs_cpudata_find(&out, CS_ITEM_CPUID, 0x12, 0));
	cs_cpudata_release(&out);
	cs_cpudata_release(&d);
}

static void test_enumerate_strict_unknown_leaf(void **state)
{
	struct cs_cpudata d = {0}, out = {0};
	struct cs_cpuid_replay rp = {&d, true};
	struct cs_cpuid_source src;
	struct cs_error err = {0};
	struct cs_item it = cpuid_item(0, 0, 2, 0x756e6547, 0x6c65746e, 0x49656e69);

	(void)state;
	cs_cpudata_add(&d, &it);
	it = cpuid_item(1, 0, 0x6fb, 0, 0, 1);
	cs_cpudata_add(&d, &it);
	cs_cpuid_source_replay(&src, &rp);
	assert_int_equal(cs_cpuid_enumerate(&src, &out, &err), -1);
	assert_non_null(strstr(err.msg, "CPUID leaf 0x2.0 not in data"));
	assert_int_equal(out.nitems, 0);
	/* Not strict: the missing leaf reads as zeros. */
	rp.strict = false;
	cs_error_clear(&err);
	assert_int_equal(cs_cpuid_enumerate(&src, &out, &err), 0);
	assert_int_equal(out.nitems, 2);
	cs_cpudata_release(&out);
	cs_cpudata_release(&d);
	/* No source at all. */
	assert_int_equal(cs_cpuid_enumerate(NULL, &out, &err), -1);
}

/* ---- probing with injected sources ---------------------------------------------------- */

static int fake_msr(void *ctx, uint32_t index, uint64_t *value, struct cs_error *err)
{
	(void)err;
	if (index != 0x10a)
		return -1;
	*value = *(const uint64_t *)ctx;
	return 0;
}

static int broken_msr(void *ctx, uint32_t index, uint64_t *value, struct cs_error *err)
{
	(void)ctx;
	(void)value;
	cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "cannot open /dev/cpu/0/msr: no such device");
	(void)index;
	return -1;
}

static int not_x86(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4], struct cs_error *err)
{
	(void)ctx;
	(void)leaf;
	(void)sub;
	(void)out;
	cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "this machine is not x86");
	return -1;
}

static void test_probe_cpuid_with_msr(void **state)
{
	struct cs_host *dump = load_ok(CPUTEST "x86_64-cpuid-Xeon-Platinum-8268.xml");
	struct cs_cpuid_replay rp = {&dump->data, false};
	struct cs_cpuid_source src;
	uint64_t msrval = 0;
	struct cs_msr_source msr = {fake_msr, &msrval};
	struct cs_probe_env env = {.cpuid = &src, .msr = &msr, .kvm_path = "/nonexistent/kvm"};
	struct cs_error err = {0};
	const struct cs_item *m;
	struct cs_host *h;

	(void)state;
	m = cs_cpudata_find(&dump->data, CS_ITEM_MSR, 0x10a, 0);
	assert_non_null(m);
	msrval = m->reg[CS_REG_EAX] | (uint64_t)m->reg[CS_REG_EDX] << 32;
	cs_cpuid_source_replay(&src, &rp);
	h = cs_host_probe(map, CS_HOST_SOURCE_CPUID, &env, &err);
	assert_non_null(h);
	assert_int_equal(h->source, CS_HOST_SOURCE_CPUID);
	assert_true(cs_fset_equal(&h->facts.features, &dump->facts.features));
	assert_host_xml(h, CPUTEST "x86_64-cpuid-Xeon-Platinum-8268-host.xml", false);
	assert_null(h->notes);
	cs_host_free(h);

	/* An unreadable MSR is noted and the rest goes on. */
	msr.read = broken_msr;
	h = cs_host_probe(map, CS_HOST_SOURCE_CPUID, &env, &err);
	assert_non_null(h);
	assert_non_null(h->notes);
	assert_non_null(strstr(h->notes, "MSR 0x10a"));
	assert_false(cs_fset_test(&h->facts.features, (unsigned)fid("mds-no")));
	assert_true(cs_fset_test(&dump->facts.features, (unsigned)fid("mds-no")));
	cs_host_free(h);
	cs_host_free(dump);
}

static void test_probe_no_kvm(void **state)
{
	struct cs_host *dump = load_ok(CPUTEST "x86_64-cpuid-Core-i7-3770.xml");
	struct cs_cpuid_replay rp = {&dump->data, false};
	struct cs_cpuid_source src;
	struct cs_probe_env env = {.cpuid = &src, .kvm_path = "/nonexistent/kvm"};
	struct cs_cpudata d = {0};
	struct cs_error err = {0};
	struct cs_host *h;

	(void)state;
	cs_cpuid_source_replay(&src, &rp);
	assert_int_equal(cs_kvm_probe("/nonexistent/kvm", &d, &err), -1);
	assert_int_equal(err.code, CS_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "cannot open /nonexistent/kvm: No such file or directory"));

	/* The kvm source falls back to CPUID and says so. */
	h = cs_host_probe(map, CS_HOST_SOURCE_KVM, &env, &err);
	assert_non_null(h);
	assert_int_equal(h->requested, CS_HOST_SOURCE_KVM);
	assert_int_equal(h->source, CS_HOST_SOURCE_CPUID);
	assert_false(h->has_kvm);
	assert_non_null(strstr(h->notes, "kvm source unavailable (cannot open /nonexistent/kvm"));
	assert_host_xml(h, CPUTEST "x86_64-cpuid-Core-i7-3770-host.xml", false);
	cs_host_free(h);

	/* ... unless told not to. */
	env.no_fallback = true;
	cs_error_clear(&err);
	h = cs_host_probe(map, CS_HOST_SOURCE_KVM, &env, &err);
	assert_null(h);
	assert_int_equal(err.code, CS_ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "/nonexistent/kvm"));

	/* A device that is not KVM. */
	cs_error_clear(&err);
	assert_int_equal(cs_kvm_probe("/dev/null", &d, &err), -1);
	assert_int_equal(err.code, CS_ERR_SYSTEM);
	cs_host_free(dump);
}

static void test_probe_not_x86(void **state)
{
	struct cs_cpuid_source src = {not_x86, NULL};
	struct cs_probe_env env = {
	        .cpuid = &src, .cpuinfo_path = CPUTEST "arm-cpuinfo.txt", .machine = "aarch64"};
	struct cs_error err = {0};
	struct cs_decoded d;
	struct cs_host *h = cs_host_probe(map, CS_HOST_SOURCE_CPUID, &env, &err);
	char *text;

	(void)state;
	assert_non_null(h);
	assert_int_equal(h->source, CS_HOST_SOURCE_CPUINFO);
	assert_non_null(strstr(h->notes, "cpuid source unavailable (this machine is not x86)"));
	assert_string_equal(h->arch_name, "aarch64");
	assert_non_null(h->arch);
	assert_string_equal(h->arch->name, "arm");
	/* sve is an arm map feature; the rest are not. */
	assert_int_equal(cs_fset_count(&h->facts.features), 1);
	assert_true(h->nunknown > 10);
	assert_int_equal(cs_host_decode(h, &d, &err), -1);
	assert_int_equal(err.code, CS_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "only defined for x86"));
	text = cs_host_format_text(h);
	assert_non_null(strstr(text, "arch:        aarch64"));
	free(text);
	cs_host_free(h);

	/* With no fallback the probe fails plainly. */
	env.no_fallback = true;
	cs_error_clear(&err);
	assert_null(cs_host_probe(map, CS_HOST_SOURCE_CPUID, &env, &err));
	assert_non_null(strstr(err.msg, "not x86"));
}

/* The real machine, whatever it is: a probe answers or fails plainly. */
static void test_probe_live(void **state)
{
	struct cs_error err = {0};
	struct cs_host *h = cs_host_probe(map, CS_HOST_SOURCE_CPUID, NULL, &err);
	struct cs_decoded d;

	(void)state;
	assert_non_null(h);
	if (cs_cpuid_native_available()) {
		assert_int_equal(h->source, CS_HOST_SOURCE_CPUID);
		assert_true(h->has_data);
		assert_int_equal(cs_host_decode(h, &d, &err), 0);
	}
	cs_host_free(h);
	h = cs_host_probe(map, CS_HOST_SOURCE_KVM, NULL, &err);
	assert_non_null(h);
	assert_true(h->source == CS_HOST_SOURCE_KVM || h->notes);
	cs_host_free(h);
}

/* ---- cpuinfo ---------------------------------------------------------------------------- */

static void test_cpuinfo_table(void **state)
{
	size_t n;
	const struct cs_linux_name *t = cs_cpuinfo_name_table(&n);

	(void)state;
	assert_true(n > 30);
	for (size_t i = 0; i < n; i++) {
		if (cs_arch_find_feature(x86, t[i].libvirt_name) < 0)
			fail_msg("table row %s -> %s: no such map feature", t[i].linux_name,
			         t[i].libvirt_name);
		if (strcmp(t[i].linux_name, t[i].libvirt_name) &&
		    (!t[i].note || strncmp(t[i].note, "vendor:", 7)) &&
		    cs_arch_find_feature(x86, t[i].linux_name) >= 0)
			fail_msg("table row %s shadows a map feature", t[i].linux_name);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(t[i].linux_name, t[j].linux_name))
				fail_msg("duplicate row %s", t[i].linux_name);
	}
	assert_string_equal(cs_cpuinfo_translate(x86, "pni", NULL), "pni");
	assert_string_equal(cs_cpuinfo_translate(x86, "sse3", NULL), "pni");
	assert_string_equal(cs_cpuinfo_translate(x86, "sse4_1", NULL), "sse4.1");
	assert_string_equal(cs_cpuinfo_translate(x86, "sse4_2", NULL), "sse4.2");
	assert_string_equal(cs_cpuinfo_translate(x86, "pclmulqdq", NULL), "pclmuldq");
	assert_string_equal(cs_cpuinfo_translate(x86, "lahf_lm", NULL), "lahf_lm");
	assert_string_equal(cs_cpuinfo_translate(x86, "tsc_deadline_timer", NULL), "tsc-deadline");
	assert_string_equal(cs_cpuinfo_translate(x86, "cqm", NULL), "cmt");
	assert_string_equal(cs_cpuinfo_translate(x86, "md_clear", NULL), "md-clear");
	assert_string_equal(cs_cpuinfo_translate(x86, "cr8_legacy", NULL), "cr8legacy");
	assert_string_equal(cs_cpuinfo_translate(x86, "ibpb", "GenuineIntel"), "spec-ctrl");
	assert_string_equal(cs_cpuinfo_translate(x86, "ibpb", "AuthenticAMD"), "ibpb");
	assert_string_equal(cs_cpuinfo_translate(x86, "stibp", "AuthenticAMD"), "amd-stibp");
	assert_string_equal(cs_cpuinfo_translate(x86, "stibp", "GenuineIntel"), "stibp");
	assert_null(cs_cpuinfo_translate(x86, "constant_tsc", NULL));
	assert_null(cs_cpuinfo_translate(x86, "rep_good", NULL));
}

/* On the nested EPYC, Linux hides osxsave and has turned rdseed off: the
 * cpuinfo view is the CPUID view less exactly those two. */
static void test_cpuinfo_file(void **state)
{
	struct cs_host *ci = load_ok(NESTED "cpuinfo.txt");
	struct cs_host *raw = load_ok(NESTED "cpuid-r.txt");
	struct cs_fset diff;

	(void)state;
	assert_int_equal(ci->file_kind, CS_HOST_FILE_CPUINFO);
	assert_string_equal(ci->arch_name, "x86_64");
	assert_string_equal(ci->vendor_string, "AuthenticAMD");
	assert_int_equal(ci->facts.vendor, raw->facts.vendor);
	assert_int_equal(ci->facts.signature, raw->facts.signature);
	assert_string_equal(ci->brand, "AMD EPYC");
	cs_fset_diff(&diff, &raw->facts.features, &ci->facts.features);
	assert_int_equal(cs_fset_count(&diff), 2);
	assert_true(cs_fset_test(&diff, (unsigned)fid("osxsave")));
	assert_true(cs_fset_test(&diff, (unsigned)fid("rdseed")));
	cs_fset_diff(&diff, &ci->facts.features, &raw->facts.features);
	assert_true(cs_fset_is_empty(&diff));
	assert_true(ci->nunknown > 0);
	cs_host_free(ci);
	cs_host_free(raw);
}

static void test_cpuinfo_errors(void **state)
{
	struct cs_error err = {0};
	const char *text = "processor\t: 0\nvendor_id\t: GenuineIntel\n";

	(void)state;
	assert_null(cs_host_parse(map, text, strlen(text), "ci.txt", &err));
	assert_non_null(strstr(err.msg, "no 'flags'"));
	cs_error_clear(&err);
	assert_null(cs_host_load(map, "/nonexistent/cpuinfo", &err));
	assert_int_equal(err.code, CS_ERR_IO);
}

/* cs_host_parse() takes a buffer and a length, with no NUL after it. */
static void test_host_parse_unterminated(void **state)
{
	static const char cpuinfo[] = "processor\t: 0\nvendor_id\t: GenuineIntel\n"
	                              "flags\t\t: fpu sse2";
	static const char comment[] = "<!-- x -->\n<cpudata arch='x86'/>";
	static const char nul[] = "processor\t: 0\nflags\t\t: fpu\0 sse2\n";
	size_t n = sizeof(cpuinfo) - 1;
	char *buf = malloc(n);
	struct cs_error err = {0};
	struct cs_host *h;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, cpuinfo, n);
	h = cs_host_parse(map, buf, n, "ci.txt", &err);
	assert_non_null(h);
	assert_int_equal(h->file_kind, CS_HOST_FILE_CPUINFO);
	assert_true(cs_fset_test(&h->facts.features, (unsigned)fid("fpu")));
	assert_true(cs_fset_test(&h->facts.features, (unsigned)fid("sse2")));
	cs_host_free(h);
	free(buf);

	/* Content sniffing stays within the buffer: an XML comment that is
	 * closed only past its end is not closed. */
	n = 6; /* "<!-- x" */
	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, comment, n);
	assert_int_equal(cs_host_detect(buf, n), CS_HOST_FILE_NONE);
	free(buf);

	/* A NUL byte is not silently taken as the end of the text. */
	assert_null(cs_host_parse(map, nul, sizeof(nul) - 1, "nul.txt", &err));
	assert_int_equal(err.code, CS_ERR_INVALID);
	assert_string_equal(err.file, "nul.txt");
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "NUL byte"));
}

/* ---- libvirt XML files --------------------------------------------------------------- */

static void test_capabilities_file(void **state)
{
	struct cs_host *h = load_ok(NESTED "capabilities.xml");
	struct cs_host *raw = load_ok(NESTED "cpuid-r.txt");

	(void)state;
	assert_int_equal(h->file_kind, CS_HOST_FILE_CAPABILITIES);
	assert_string_equal(x86->models[h->given_model].name, "kvm64");
	assert_false(h->given_is_guest);
	assert_int_equal(h->facts.signature, 0xb00f21);
	assert_host_xml(h, NESTED "expected-host.xml", false);
	/* The capabilities' model + features are the CPUID facts. */
	assert_true(cs_fset_equal(&h->facts.features, &raw->facts.features));
	cs_host_free(h);
	cs_host_free(raw);
}

static void test_domcaps_file(void **state)
{
	struct cs_host *h = load_ok(NESTED "domcapabilities.xml");
	struct cs_host *kvm = load_ok(NESTED "kvm-cpudata.xml");

	(void)state;
	assert_int_equal(h->file_kind, CS_HOST_FILE_DOMCAPS);
	assert_true(h->given_is_guest);
	assert_true(cs_fset_test(&h->given_disable, (unsigned)fid("pni")));
	assert_host_xml(h, NESTED "expected-host-model.xml", true);
	/* The KVM dump decodes to the same host-model. */
	assert_host_xml(kvm, NESTED "expected-host-model.xml", true);
	cs_host_free(h);
	cs_host_free(kvm);
}

static void test_bare_cpu_file(void **state)
{
	const char *host = "<cpu>\n  <arch>x86_64</arch>\n  <model>Westmere</model>\n"
	                   "  <vendor>Intel</vendor>\n  <feature name='vmx'/>\n</cpu>\n";
	const char *guest = "<?xml version='1.0'?>\n<!-- a guest -->\n"
	                    "<cpu mode='custom' match='exact'>\n  <model>Haswell</model>\n"
	                    "  <feature policy='disable' name='rtm'/>\n"
	                    "  <feature policy='require' name='vmx'/>\n</cpu>\n";
	const char *bad = "<cpu>\n  <model>Foolake</model>\n</cpu>\n";
	const char *badf =
	        "<cpu>\n  <model>Haswell</model>\n\n  <feature name='foobar'/>\n</cpu>\n";
	struct cs_error err = {0};
	struct cs_host *h;
	struct cs_decoded d;

	(void)state;
	h = cs_host_parse(map, host, strlen(host), "host.xml", &err);
	assert_non_null(h);
	assert_int_equal(h->file_kind, CS_HOST_FILE_CPU);
	assert_int_equal(cs_host_decode(h, &d, &err), 0);
	assert_string_equal(x86->models[d.model].name, "Westmere");
	assert_int_equal(cs_fset_count(&d.require), 1);
	cs_host_free(h);

	h = cs_host_parse(map, guest, strlen(guest), "guest.xml", &err);
	assert_non_null(h);
	assert_true(h->given_is_guest);
	assert_false(cs_fset_test(&h->facts.features, (unsigned)fid("rtm")));
	assert_true(cs_fset_test(&h->facts.features, (unsigned)fid("vmx")));
	assert_int_equal(cs_host_model(h, &d, &err), 0);
	assert_string_equal(x86->models[d.model].name, "Haswell");
	assert_true(cs_fset_test(&d.disable, (unsigned)fid("rtm")));
	cs_host_free(h);

	assert_null(cs_host_parse(map, bad, strlen(bad), "bad.xml", &err));
	assert_int_equal(err.code, CS_ERR_UNKNOWN);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "Unknown CPU model Foolake");
	cs_error_clear(&err);
	assert_null(cs_host_parse(map, badf, strlen(badf), "badf.xml", &err));
	assert_int_equal(err.line, 4);
	assert_string_equal(err.msg, "Unknown CPU feature foobar");
}

static void test_detect(void **state)
{
	static const struct {
		const char *text;
		enum cs_host_file kind;
	} cases[] = {
	        {"<!-- x -->\n<cpudata arch='x86'/>", CS_HOST_FILE_CPUDATA},
	        {"<?xml version='1.0'?><capabilities/>", CS_HOST_FILE_CAPABILITIES},
	        {"  <domainCapabilities>", CS_HOST_FILE_DOMCAPS},
	        {"\xef\xbb\xbf<cpu>", CS_HOST_FILE_CPU},
	        {"CPU 0:\n   0x00000000 0x00: eax=0x1", CS_HOST_FILE_CPUID_RAW},
	        {"   0x00000000 0x00: eax=0x1", CS_HOST_FILE_CPUID_RAW},
	        {"processor\t: 0\n", CS_HOST_FILE_CPUINFO},
	        {"<domain type='kvm'/>", CS_HOST_FILE_NONE},
	        {"hello", CS_HOST_FILE_NONE},
	        {"", CS_HOST_FILE_NONE},
	        {"<!-- unterminated", CS_HOST_FILE_NONE},
	};
	struct cs_error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (cs_host_detect(cases[i].text, strlen(cases[i].text)) != cases[i].kind)
			fail_msg("case %zu: '%s'", i, cases[i].text);
	assert_null(cs_host_parse(map, "hello", 5, "hello.txt", &err));
	assert_non_null(strstr(err.msg, "unrecognised host file"));
}

static void test_text_report(void **state)
{
	struct cs_host *h = load_ok(CPUTEST "x86_64-cpuid-Phenom-B95.xml");
	char *text = cs_host_format_text(h);

	(void)state;
	assert_non_null(strstr(text, "brand:       AMD Phenom(tm) II X4 B95 Processor\n"));
	assert_non_null(strstr(text, "vendor:      AMD (AuthenticAMD)\n"));
	assert_non_null(strstr(text, "signature:   family 16 model 4 stepping 2 (0x100f42)\n"));
	assert_non_null(strstr(text, "host model:  athlon + 30 features"));
	assert_non_null(strstr(text, "host-model:  Opteron_G3 + 21 required, 1 disabled"));
	assert_non_null(strstr(text, "\nsvm                    yes  ?    no\n"));
	assert_non_null(strstr(text, "\nfpu                    yes  ?    yes\n"));
	assert_null(strstr(text, "\nnx "));
	free(text);
	cs_host_free(h);
}

static void test_qemu_filters(void **state)
{
	struct cs_decoded d = {0};

	(void)state;
	assert_false(cs_model_known_to_qemu("pentiumpro"));
	assert_false(cs_model_known_to_qemu("Icelake-Client"));
	assert_true(cs_model_known_to_qemu("Icelake-Server"));
	cs_fset_set(&d.require, (unsigned)fid("osxsave"));
	cs_fset_set(&d.require, (unsigned)fid("vmx"));
	cs_fset_set(&d.disable, (unsigned)fid("cmt"));
	cs_decoded_filter_qemu(x86, &d);
	assert_int_equal(cs_fset_count(&d.require), 1);
	assert_true(cs_fset_is_empty(&d.disable));
}

/* host-model decodes with QEMU's blockers: QEMU's Snowridge has mpx, which
 * the map's lacks, so on a CPU without mpx it is listed as disabled. */
static void test_host_model_blockers(void **state)
{
	struct cs_host *h = load_ok(CPUTEST "x86_64-cpuid-Atom-P5362.xml");
	struct cs_decoded d;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_host_model(h, &d, &err), 0);
	assert_string_equal(x86->models[d.model].name, "Snowridge");
	assert_false(cs_fset_test(&x86->models[d.model].features, (unsigned)fid("mpx")));
	assert_true(cs_fset_test(&d.disable, (unsigned)fid("mpx")));
	cs_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cpudata_order_and_merge),
	        cmocka_unit_test(test_vendor_and_facts),
	        cmocka_unit_test(test_dump_round_trip),
	        cmocka_unit_test(test_dump_comment_hyphens),
	        cmocka_unit_test(test_dump_errors),
	        cmocka_unit_test(test_dump_namespace_prefix),
	        cmocka_unit_test(test_dump_unknown_leaf),
	        cmocka_unit_test(test_dump_all_zero),
	        cmocka_unit_test(test_cpuid_raw),
	        cmocka_unit_test(test_cpuid_raw_errors),
	        cmocka_unit_test(test_enumerate_replay),
	        cmocka_unit_test(test_enumerate_subleaves),
	        cmocka_unit_test(test_enumerate_strict_unknown_leaf),
	        cmocka_unit_test(test_probe_cpuid_with_msr),
	        cmocka_unit_test(test_probe_no_kvm),
	        cmocka_unit_test(test_probe_not_x86),
	        cmocka_unit_test(test_probe_live),
	        cmocka_unit_test(test_cpuinfo_table),
	        cmocka_unit_test(test_cpuinfo_file),
	        cmocka_unit_test(test_cpuinfo_errors),
	        cmocka_unit_test(test_host_parse_unterminated),
	        cmocka_unit_test(test_capabilities_file),
	        cmocka_unit_test(test_domcaps_file),
	        cmocka_unit_test(test_bare_cpu_file),
	        cmocka_unit_test(test_detect),
	        cmocka_unit_test(test_text_report),
	        cmocka_unit_test(test_qemu_filters),
	        cmocka_unit_test(test_host_model_blockers),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
