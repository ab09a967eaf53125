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
#include "test_host_fixture.h"
#include "test_map_fixture.h"

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
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
