/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_map_yaml.c: cpuscope YAML maps: loading, canonical output, round trips, bad input */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/decode.h"
#include "cpuscope/xalloc.h"
#include "test_chain.h"
#include "test_util.h"

#define YDATA   "tests/data/yaml/"
#define FULLMAP "tests/data/cpu_map-9.0.0"

/* ---- helpers ------------------------------------------------------------------- */

static struct cs_map *load_yaml_ok(const char *path)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load_yaml(path, &err);

	if (!map)
		fail_msg("loading %s: %s:%u:%u: %s", path, err.file, err.line, err.col, err.msg);
	return map;
}

static struct cs_map *load_buffer_ok(const char *buf, size_t len)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load_yaml_buffer(buf, len, "buffer.yaml", &err);

	if (!map)
		fail_msg("loading buffer: %s:%u:%u: %s", err.file, err.line, err.col, err.msg);
	return map;
}

static char *to_yaml(const struct cs_map *map, size_t *len)
{
	struct cs_error err = {0};
	char *out = NULL;

	if (cs_map_to_yaml(map, &out, len, &err) < 0)
		fail_msg("writing YAML: %s", err.msg);
	assert_non_null(out);
	assert_int_equal(strlen(out), *len);
	return out;
}

static const struct cs_arch *arch(const struct cs_map *map, const char *name)
{
	const struct cs_arch *a = cs_map_arch(map, name);

	assert_non_null(a);
	return a;
}

static const struct cs_model *model(const struct cs_arch *a, const char *name)
{
	return &a->models[model_id(a, name)];
}

static const struct cs_feature *feature(const struct cs_arch *a, const char *name)
{
	return &a->features[feature_id(a, name)];
}

/* The names of a model's resolved features, in id order, space-separated. */
static void feature_names(const struct cs_arch *a, const struct cs_fset *s, char *buf, size_t size)
{
	size_t n = 0;
	int id;

	buf[0] = '\0';
	cs_fset_foreach (id, s) {
		int w = snprintf(buf + n, size - n, "%s%s", n ? " " : "", a->features[id].name);

		assert_true(w > 0 && (size_t)w < size - n);
		n += (size_t)w;
	}
}

static void assert_features(const struct cs_arch *a, const char *m, const char *expected)
{
	char buf[1024];

	feature_names(a, &model(a, m)->features, buf, sizeof(buf));
	assert_string_equal(buf, expected);
}

/* ---- loading the fixtures ------------------------------------------------------ */

/* test_load_full's ppc64 and arm sections: PVRs, vendor values, features
 * without CPUID bits. */
static void check_other_arches(const struct cs_map *map)
{
	const struct cs_arch *ppc, *arm;
	const struct cs_model *m;

	ppc = arch(map, "ppc64le");
	assert_int_equal(ppc->nvendors, 1);
	assert_null(ppc->vendors[0].string);
	assert_false(ppc->vendors[0].has_value);
	assert_int_equal(ppc->nfeatures, 0);
	m = model(ppc, "POWER9");
	assert_int_equal(m->npvrs, 1);
	assert_int_equal(m->pvrs[0].value, 0x004e0000);
	assert_true(m->pvrs[0].has_mask);
	assert_int_equal(m->pvrs[0].mask, 0xffff0000u);
	/* a child without pvrs of its own gets its parent's */
	m = model(ppc, "POWER9-alias");
	assert_int_equal(m->npvrs, 1);
	assert_int_equal(m->vendor, 0);

	arm = arch(map, "aarch64");
	assert_true(arm->vendors[0].has_value);
	assert_int_equal(arm->vendors[0].value, 0x41);
	assert_null(arm->vendors[0].string);
	assert_int_equal(arm->nfeatures, 2);
	assert_int_equal(feature(arm, "sve")->nitems, 0);
	m = model(arm, "Neoverse-N1");
	assert_int_equal(m->pvrs[0].value, 0xd0c);
	assert_false(m->pvrs[0].has_mask);
	assert_features(arm, "Neoverse-N1", "sve sve128");
	assert_int_equal(model(arm, "FT-2000+")->vendor, 1);
}

static void test_load_full(void **state)
{
	struct cs_map *map = load_yaml_ok(YDATA "good-full.yaml");
	const struct cs_arch *x86;
	const struct cs_feature *f;
	const struct cs_model *m;

	(void)state;
	assert_int_equal(map->format, CS_MAP_FORMAT_YAML);
	assert_string_equal(map->path, YDATA "good-full.yaml");
	assert_string_equal(map->comment, "cpuscope test map: an x86 chain with MSR features and "
	                                  "aliases, plus ppc64 and arm sections");
	assert_int_equal(map->narches, 3);

	x86 = arch(map, "x86_64");
	assert_int_equal(x86->nvendors, 2);
	assert_string_equal(x86->vendors[0].string, "GenuineIntel");
	assert_false(x86->vendors[0].has_value);
	assert_int_equal(x86->nfeatures, 13);
	assert_int_equal(feature_id(x86, "fpu"), 0);
	assert_int_equal(feature_id(x86, "on"), 12);
	f = feature(x86, "pni");
	assert_int_equal(f->naliases, 1);
	assert_string_equal(f->aliases[0].name, "sse3");
	assert_string_equal(f->aliases[0].source, "qemu");
	assert_null(feature(x86, "3dnow")->aliases[0].source);
	f = feature(x86, "xsaves");
	assert_false(f->migratable);
	assert_int_equal(f->nitems, 1);
	assert_int_equal(f->items[0].kind, CS_ITEM_CPUID);
	assert_int_equal(f->items[0].leaf, 0xd);
	assert_int_equal(f->items[0].subleaf, 1);
	assert_int_equal(f->items[0].reg[CS_REG_EAX], 8);
	assert_true(feature(x86, "fpu")->migratable);
	f = feature(x86, "two-leaves");
	assert_int_equal(f->nitems, 2);
	assert_int_equal(f->items[1].leaf, 0x80000001u);
	assert_int_equal(f->items[1].reg[CS_REG_EBX], 0x10);
	assert_int_equal(f->items[1].reg[CS_REG_ECX], 4);
	f = feature(x86, "high-half");
	assert_int_equal(f->items[0].kind, CS_ITEM_MSR);
	assert_int_equal(f->items[0].leaf, 0xc0000080u);
	assert_int_equal(f->items[0].reg[CS_REG_EAX], 0);
	assert_int_equal(f->items[0].reg[CS_REG_EDX], 1);
	f = feature(x86, "ibrs-all");
	assert_int_equal(f->items[0].kind, CS_ITEM_MSR);
	assert_int_equal(f->items[0].leaf, 0x10a);
	assert_int_equal(f->items[0].reg[CS_REG_EAX], 2);
	assert_int_equal(f->line, 19);
	assert_string_equal(f->file, YDATA "good-full.yaml");

	/* the chain pentiumpro > Conroe > Penryn > Nehalem */
	assert_int_equal(x86->nmodels, 5);
	m = model(x86, "pentiumpro");
	assert_int_equal(m->parent, -1);
	assert_int_equal(m->vendor, -1);
	assert_false(m->has_decode);
	m = model(x86, "Conroe");
	assert_int_equal(m->parent, cs_arch_find_model(x86, "pentiumpro"));
	assert_int_equal(m->vendor, cs_arch_find_vendor(x86, "Intel"));
	assert_true(m->vendor_own);
	assert_true(m->has_decode);
	assert_true(m->decode_host);
	assert_false(m->decode_guest);
	assert_int_equal(m->nsigs, 1);
	assert_int_equal(m->sigs[0].family, 6);
	assert_int_equal(m->sigs[0].model, 15);
	assert_int_equal(m->sigs[0].steppings, 0);
	assert_int_equal(m->nown, 3);
	assert_int_equal(m->own_list[0], feature_id(x86, "sse2"));
	assert_int_equal(m->own_list[2], feature_id(x86, "pni"));
	m = model(x86, "Penryn");
	assert_true(m->sigs_own);
	assert_int_equal(m->nsigs, 2);
	assert_int_equal(m->sigs[0].steppings, 0x9f); /* 0-4,7 */
	assert_true(cs_fset_test(&m->removed, feature_id(x86, "monitor")));
	assert_false(cs_fset_test(&m->features, feature_id(x86, "monitor")));
	assert_int_equal(cs_fset_count(&m->removed), 1);
	/* Nehalem inherits vendor and signatures, and every ancestor's features */
	m = model(x86, "Nehalem");
	assert_int_equal(m->vendor, cs_arch_find_vendor(x86, "Intel"));
	assert_false(m->vendor_own);
	assert_false(m->sigs_own);
	assert_int_equal(m->nsigs, 2);
	assert_int_equal(m->sigs[1].model, 29);
	assert_features(x86, "pentiumpro", "fpu apic");
	assert_features(x86, "Conroe", "fpu apic sse2 pni ssse3");
	assert_features(x86, "Penryn", "fpu apic sse2 pni ssse3 two-leaves rdctl-no");
	assert_features(x86, "Nehalem",
	                "fpu apic sse2 pni ssse3 xsaves two-leaves rdctl-no "
	                "ibrs-all");
	assert_features(x86, "Opteron", "fpu 3dnow high-half on");
	assert_int_equal(model(x86, "Opteron")->vendor, cs_arch_find_vendor(x86, "AMD"));

	check_other_arches(map);
	cs_map_free(map);
}

/* Writing a map loaded from canonical YAML gives the file back, byte for byte. */
static void test_output_is_canonical(void **state)
{
	struct cs_map *map = load_yaml_ok(YDATA "good-full.yaml");
	size_t flen, olen;
	char *file = slurp(YDATA "good-full.yaml", &flen);
	char *out = to_yaml(map, &olen);

	(void)state;
	assert_string_equal(out, file);
	assert_int_equal(olen, flen);
	free(out);
	free(file);
	cs_map_free(map);
}

/* Comments, another key order, flow/block styles, decimal numbers, quoting,
 * yes/no booleans, split CPUID entries: the same map, the same output. */
static void test_handwritten(void **state)
{
	struct cs_map *hand = load_yaml_ok(YDATA "good-handwritten.yaml");
	struct cs_map *canon = load_yaml_ok(YDATA "good-full.yaml");
	size_t flen, olen;
	char *file = slurp(YDATA "good-full.yaml", &flen);
	char *out = to_yaml(hand, &olen);

	(void)state;
	assert_same_map(hand, canon);
	assert_string_equal(out, file);
	free(out);
	free(file);
	cs_map_free(hand);
	cs_map_free(canon);
}

static void test_forward_references(void **state)
{
	struct cs_map *map = load_yaml_ok(YDATA "good-forward.yaml");
	const struct cs_arch *x86 = arch(map, "x86");
	const struct cs_model *child = model(x86, "Child");

	(void)state;
	assert_int_equal(child->parent, cs_arch_find_model(x86, "Parent"));
	assert_int_equal(child->vendor, 0);
	assert_false(child->vendor_own);
	assert_int_equal(child->nsigs, 1);
	assert_int_equal(child->sigs[0].model, 42);
	/* own features keep the listed order */
	assert_int_equal(child->nown, 2);
	assert_int_equal(child->own_list[0], feature_id(x86, "sse2"));
	assert_int_equal(child->own_list[1], feature_id(x86, "fpu"));
	assert_features(x86, "Child", "fpu apic sse2");
	cs_map_free(map);
}

/* cs_map_load tells YAML from XML by content. */
static void test_detected_by_content(void **state)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load(YDATA "good-handwritten.yaml", &err);

	(void)state;
	if (!map)
		fail_msg("%s:%u: %s", err.file, err.line, err.msg);
	assert_int_equal(map->format, CS_MAP_FORMAT_YAML);
	cs_map_free(map);
}

/* ---- round trips ------------------------------------------------------------------- */

/* A map built through the API, with names and a comment that need quoting. */
static struct cs_map *build_map(void)
{
	struct cs_map *map = cs_map_new(CS_MAP_FORMAT_XML_LEGACY, "built");
	const char *file = cs_map_intern_file(map, "built.xml");
	struct cs_arch *x86 = cs_map_get_arch(map, "x86", true);
	struct cs_arch *arm;
	struct cs_vendor *v;
	struct cs_feature *f;
	struct cs_model *m;
	static const char *const names[] = {
	        "fpu", "null", "1.5", "a: b", "#hash",      "- dash",    "caf\xc3\xa9",
	        "yes", "0x10", "[x]", "it's", "\"quoted\"", "trailing ", "3dnowext",
	};
	struct cs_item it = {.kind = CS_ITEM_CPUID, .leaf = 1};
	struct cs_item msr = {.kind = CS_ITEM_MSR, .leaf = 0x48};
	struct cs_signature sig = {6, 60, 0x0f0f};
	struct cs_pvr pvr = {0x003f0000, 0xffff0000, true};

	map->comment = cs_xstrdup("line one: \"quoted\"\n  indented line\n\ttab # not a comment\n");
	v = cs_arch_add_vendor(x86, "Intel", file, 1, NULL);
	v->string = cs_xstrdup("GenuineIntel");
	v = cs_arch_add_vendor(x86, "Zhaoxin", file, 2, NULL);
	v->string = cs_xstrdup("  Shanghai  ");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		f = cs_arch_add_feature(x86, names[i], file, 3, NULL);
		assert_non_null(f);
		it.reg[CS_REG_EDX] = 1u << i;
		cs_feature_add_item(f, &it);
		if (i % 3 == 1)
			cs_feature_add_alias(f, names[(i + 1) % 14], i % 2 ? "qemu" : NULL);
	}
	/* CPUID entries are written before MSR ones, so build them in that order */
	f = cs_arch_add_feature(x86, "spec-ctrl-msr", file, 4, NULL);
	msr.reg[CS_REG_EAX] = 1;
	msr.reg[CS_REG_EDX] = 0x80000000u;
	cs_feature_add_item(f, &it);
	cs_feature_add_item(f, &msr);
	f->migratable = false;

	m = cs_arch_add_model(x86, "base", file, 5, NULL);
	cs_model_add_feature(m, 0);
	cs_model_add_feature(m, 3);
	m = cs_arch_add_model(x86, "mid", file, 6, NULL);
	m->parent = 0;
	m->vendor = 1;
	m->vendor_own = true;
	m->has_decode = true;
	m->decode_guest = false;
	cs_model_add_signature(m, &sig);
	m->sigs_own = true;
	for (unsigned id = 14; id > 4; id--)
		cs_model_add_feature(m, id);
	cs_fset_set(&m->removed, 2);
	cs_fset_set(&m->removed, 13);
	m = cs_arch_add_model(x86, "top", file, 7, NULL);
	m->parent = 1;
	cs_model_add_feature(m, 1);
	m = cs_arch_add_model(x86, "null", file, 8, NULL); /* quoted as a model name too */
	m->parent = 2;

	arm = cs_map_get_arch(map, "arm", true);
	v = cs_arch_add_vendor(arm, "ARM", file, 9, NULL);
	v->value = 0x41;
	v->has_value = true;
	f = cs_arch_add_feature(arm, "sve", file, 10, NULL);
	m = cs_arch_add_model(arm, "cortex-a57", file, 11, NULL);
	m->vendor = 0;
	m->vendor_own = true;
	cs_model_add_pvr(m, &pvr);
	pvr.has_mask = false;
	pvr.mask = 0;
	pvr.value = 0xd07;
	cs_model_add_pvr(m, &pvr);
	cs_model_add_feature(m, 0);
	m = cs_arch_add_model(arm, "a57-child", file, 12, NULL);
	m->parent = 0;
	(void)f;

	cs_map_get_arch(map, "ppc64", true); /* an empty section */
	assert_int_equal(cs_map_resolve(map, NULL), 0);
	return map;
}

static void test_roundtrip_built(void **state)
{
	struct cs_map *a = build_map(), *b, *c;
	size_t len1, len2, len3;
	char *y1 = to_yaml(a, &len1), *y2, *y3;

	(void)state;
	b = load_buffer_ok(y1, len1);
	assert_same_map(a, b);
	y2 = to_yaml(b, &len2);
	assert_string_equal(y1, y2);
	/* and once more, from the reloaded map */
	c = load_buffer_ok(y2, len2);
	y3 = to_yaml(c, &len3);
	assert_string_equal(y2, y3);
	assert_same_map(b, c);
	/* spot checks on the emitted text: quoting where a YAML reader would
	 * take a name for something else */
	assert_non_null(strstr(y1, "{name: 'null', "));
	assert_non_null(strstr(y1, "{name: '1.5', "));
	assert_non_null(strstr(y1, "{name: '0x10', "));
	assert_non_null(strstr(y1, "{name: 'yes', "));
	assert_non_null(strstr(y1, "{name: 3dnowext, "));
	assert_non_null(strstr(y1, "{name: caf\xc3\xa9, "));
	assert_non_null(strstr(y1, "stepping: '0-3,8-11'"));
	assert_non_null(strstr(y1, "msr: [{index: 0x00000048, eax: 0x00000001, edx: 0x80000000}]"));
	assert_non_null(
	        strstr(y1, "pvr: [{value: 0x003f0000, mask: 0xffff0000}, {value: 0x00000d07}]"));
	assert_non_null(strstr(y1, "{name: ARM, value: 0x41}"));
	assert_non_null(strstr(y1, "- name: ppc64\n"));
	/* the child's inherited pvrs are not written as its own */
	assert_null(strstr(y1, "- name: a57-child\n    parent: cortex-a57\n    pvr"));
	free(y1);
	free(y2);
	free(y3);
	cs_map_free(a);
	cs_map_free(b);
	cs_map_free(c);
}

static char *save_and_read(const struct cs_map *map, const char *path, size_t *len)
{
	struct cs_error err = {0};

	if (cs_map_save(map, path, &err) < 0)
		fail_msg("saving %s: %s", path, err.msg);
	return slurp(path, len);
}

/* libvirt's split map -> YAML -> legacy XML -> YAML gives the same YAML, and
 * the same resolved features in every form. */
static void test_roundtrip_libvirt(void **state)
{
	char dir[] = "/tmp/cpuscope-yaml-XXXXXX";
	char y1path[64], xpath[64], y2path[64];
	struct cs_map *split, *y1, *legacy, *y2;
	struct stat st;
	char *t1, *t2;
	size_t n1, n2;

	(void)state;
	if (stat(FULLMAP, &st) < 0)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(y1path, sizeof(y1path), "%s/a.yaml", dir);
	snprintf(xpath, sizeof(xpath), "%s/b.xml", dir);
	snprintf(y2path, sizeof(y2path), "%s/c.yml", dir);

	split = cs_map_load_xml(FULLMAP, NULL);
	assert_non_null(split);
	t1 = save_and_read(split, y1path, &n1);
	y1 = load_yaml_ok(y1path);
	free(save_and_read(y1, xpath, &n2));
	legacy = cs_map_load_xml(xpath, NULL);
	assert_non_null(legacy);
	t2 = save_and_read(legacy, y2path, &n2);
	y2 = load_yaml_ok(y2path);

	assert_int_equal(n1, n2);
	assert_string_equal(t1, t2);
	assert_same_map(y1, y2);
	/* the split map's own_lists and resolved sets survive too (its models
	 * are flat, so comparing field by field holds) */
	assert_same_map(split, y1);
	assert_same_map(legacy, y2);
	assert_true(arch(y1, "x86")->nmodels > 50);

	free(t1);
	free(t2);
	cs_map_free(split);
	cs_map_free(y1);
	cs_map_free(legacy);
	cs_map_free(y2);
	unlink(y1path);
	unlink(xpath);
	unlink(y2path);
	rmdir(dir);
}

/* ---- bad input ------------------------------------------------------------------- */

struct bad_case {
	const char *file;
	enum cs_errcode code;
	unsigned line, col;
	const char *msg;
};

/* clang-format off */
static const struct bad_case bad_cases[] = {
	{ "bad-syntax.yaml",        CS_ERR_SYNTAX,      6,  3, "malformed YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 5)" },
	{ "bad-indent.yaml",        CS_ERR_SYNTAX,      6,  4, "malformed YAML: did not find expected key (while parsing a block mapping at line 3)" },
	{ "bad-empty.yaml",         CS_ERR_INVALID,     1,  1, "empty file: not a cpuscope map (expected 'format: cpuscope-map/1')" },
	{ "bad-format-missing.yaml", CS_ERR_INVALID,    2,  1, "missing 'format: cpuscope-map/1' as the first key (found 'arches')" },
	{ "bad-format-version.yaml", CS_ERR_UNSUPPORTED, 1, 9, "unsupported map format version 'cpuscope-map/2' (this cpuscope reads cpuscope-map/1)" },
	{ "bad-format-other.yaml",  CS_ERR_INVALID,     1,  9, "not a cpuscope map: format is 'ansible-playbook', expected 'cpuscope-map/1'" },
	{ "bad-top-sequence.yaml",  CS_ERR_INVALID,     1,  1, "expected a mapping at the top level, found a sequence" },
	{ "bad-arches-scalar.yaml", CS_ERR_INVALID,     2,  9, "expected a sequence for 'arches' in the map, found 'x86'" },
	{ "bad-arch-item-scalar.yaml", CS_ERR_INVALID,  3,  3, "expected a mapping in 'arches' of the map, found 'x86'" },
	{ "bad-name-type.yaml",     CS_ERR_INVALID,     5, 11, "expected a scalar for 'name' in model entry, found a sequence" },
	{ "bad-decode-type.yaml",   CS_ERR_INVALID,     6, 13, "expected a mapping for 'decode' in model 'base', found 'on'" },
	{ "bad-features-scalar.yaml", CS_ERR_INVALID,   8, 15, "expected a sequence for 'features' in model 'base', found 'fpu'" },
	{ "bad-features-mapping.yaml", CS_ERR_INVALID, 10,  7, "expected a name in 'features' of model 'base', found a mapping" },
	{ "bad-complex-key.yaml",   CS_ERR_INVALID,     2,  3, "expected a key in the map, found a sequence" },
	{ "bad-unknown-key.yaml",   CS_ERR_INVALID,     6,  3, "unknown key 'featurs' in arch 'x86' (expected one of: name, vendors, features, models)" },
	{ "bad-unknown-top-key.yaml", CS_ERR_INVALID,   3,  1, "unknown key 'archs' in the map (expected one of: format, comment, arches)" },
	{ "bad-unknown-cpuid-key.yaml", CS_ERR_INVALID, 5, 39, "unknown key 'exd' in cpuid entry of feature 'fpu' (expected one of: eax_in, ecx_in, eax, ebx, ecx, edx)" },
	{ "bad-dup-key.yaml",       CS_ERR_INVALID,    10,  5, "duplicate key 'parent' in model 'base'" },
	{ "bad-missing-name.yaml",  CS_ERR_INVALID,     5,  6, "feature entry must begin with its 'name' (found key 'cpuid')" },
	{ "bad-empty-entry.yaml",   CS_ERR_INVALID,     5,  5, "model entry has no 'name'" },
	{ "bad-empty-name.yaml",    CS_ERR_INVALID,     5, 11, "empty name for model entry" },
	{ "bad-hex.yaml",           CS_ERR_INVALID,     6, 44, "invalid number '0xZ2' for 'edx' in cpuid entry of feature 'vme'" },
	{ "bad-hex-overflow.yaml",  CS_ERR_INVALID,     5, 31, "invalid number '0x100000000' for 'index' in msr entry of feature 'big'" },
	{ "bad-bool.yaml",          CS_ERR_INVALID,     5, 32, "invalid boolean 'maybe' for 'migratable' in feature 'invtsc' (use true/false or on/off)" },
	{ "bad-no-cpuid.yaml",      CS_ERR_INVALID,     6, 12, "CPU feature 'ghost' has neither 'cpuid' nor 'msr' data" },
	{ "bad-no-bits.yaml",       CS_ERR_INVALID,     5, 12, "CPU feature 'empty' sets no CPUID or MSR bits" },
	{ "bad-no-eax-in.yaml",     CS_ERR_INVALID,     5, 25, "cpuid entry of feature 'fpu' has no 'eax_in'" },
	{ "bad-msr-no-index.yaml",  CS_ERR_INVALID,     5, 28, "msr entry of feature 'rdctl-no' has no 'index'" },
	{ "bad-unknown-feature.yaml", CS_ERR_UNKNOWN,  11,  7, "unknown feature 'apci' in CPU model 'base'" },
	{ "bad-unknown-removed.yaml", CS_ERR_UNKNOWN,   9, 15, "unknown feature 'monitor' in CPU model 'base'" },
	{ "bad-unknown-vendor.yaml", CS_ERR_UNKNOWN,   10, 13, "unknown vendor 'Intle' for CPU model 'base'" },
	{ "bad-unknown-parent.yaml", CS_ERR_UNKNOWN,   10, 13, "unknown parent model 'Haswel' for CPU model 'Broadwell'" },
	{ "bad-cycle.yaml",         CS_ERR_INVALID,     9,  0, "inheritance cycle among CPU models: A -> C -> B -> A" },
	{ "bad-self-parent.yaml",   CS_ERR_INVALID,     5,  0, "inheritance cycle among CPU models: loop -> loop" },
	{ "bad-dup-feature.yaml",   CS_ERR_DUPLICATE,   7, 12, "CPU feature 'fpu' already defined (first at " YDATA "bad-dup-feature.yaml:5)" },
	{ "bad-dup-model.yaml",     CS_ERR_DUPLICATE,   7, 13, "CPU model 'base' already defined (first at " YDATA "bad-dup-model.yaml:5)" },
	{ "bad-dup-vendor.yaml",    CS_ERR_DUPLICATE,   6, 12, "CPU vendor 'Intel' already defined (first at " YDATA "bad-dup-vendor.yaml:5)" },
	{ "bad-dup-arch.yaml",      CS_ERR_DUPLICATE,   5,  9, "arch 'arm' already defined" },
	{ "bad-vendor-string.yaml", CS_ERR_INVALID,     5, 27, "vendor string 'GenuineIntl' of vendor 'Intel' is 11 bytes long, not 12" },
	{ "bad-vendor-nostring.yaml", CS_ERR_INVALID,   5, 11, "x86 vendor 'Intel' has no 'string'" },
	{ "bad-stepping.yaml",      CS_ERR_INVALID,     6, 51, "invalid stepping list '0-16' in signature of model 'base' (expected numbers 0-15 and ranges, e.g. 0-4,7)" },
	{ "bad-family-zero.yaml",   CS_ERR_INVALID,     7,  7, "invalid CPU signature family 0 in signature of model 'base'" },
	{ "bad-signature-incomplete.yaml", CS_ERR_INVALID, 7, 7, "signature of model 'base' needs both 'family' and 'model'" },
	{ "bad-anchor.yaml",        CS_ERR_SECURITY,    5,  5, "YAML anchors are not allowed in a CPU map (&a)" },
	{ "bad-laughs.yaml",        CS_ERR_SECURITY,    2, 10, "YAML anchors are not allowed in a CPU map (&a)" },
	{ "bad-alias.yaml",         CS_ERR_SECURITY,    6, 15, "YAML aliases are not allowed in a CPU map (*features)" },
	{ "bad-tag.yaml",           CS_ERR_UNSUPPORTED, 3,  9, "YAML tags are not allowed in a CPU map (tag:yaml.org,2002:str)" },
	{ "bad-two-docs.yaml",      CS_ERR_INVALID,     5,  1, "a CPU map is a single YAML document; found a second one" },
	{ "bad-empty-map.yaml",     CS_ERR_INVALID,     0,  0, "empty CPU map: no CPU models defined" },
};
/* clang-format on */

static void test_bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct cs_error err = {0};
		char path[256];
		struct cs_map *map;

		snprintf(path, sizeof(path), YDATA "%s", c->file);
		map = cs_map_load_yaml(path, &err);
		if (map)
			fail_msg("%s: loaded without error", c->file);
		if (err.code != c->code || err.line != c->line || err.col != c->col ||
		    strcmp(err.msg, c->msg) || strcmp(err.file, path))
			fail_msg("%s: got %d %s:%u:%u: %s", c->file, (int)err.code, err.file,
			         err.line, err.col, err.msg);
		/* without an error report too: no crash, no leak */
		assert_null(cs_map_load_yaml(path, NULL));
	}
}

struct bad_buffer {
	const char *text;
	size_t len; /* 0: strlen */
	enum cs_errcode code;
	unsigned line, col;
	const char *msg;
};

/* clang-format off */
static const struct bad_buffer bad_buffers[] = {
	{ "format: cpuscope-map/1\ncomment: \"caf\xe9\"\n", 0, CS_ERR_SYNTAX, 2, 15,
	  "malformed YAML: invalid trailing UTF-8 octet (#x22)" },
	{ "format: cpuscope-map/1\ncomment: \x80\n", 0, CS_ERR_SYNTAX, 2, 10,
	  "malformed YAML: invalid leading UTF-8 octet (#x80)" },
	{ "format: cpuscope-map/1\ncomment: a\x01z\n", 0, CS_ERR_SYNTAX, 2, 11,
	  "malformed YAML: control characters are not allowed (#x1)" },
	{ "format: cpuscope-map/1\n\0arches: []\n", 35, CS_ERR_SYNTAX, 2, 1,
	  "malformed YAML: control characters are not allowed (#x0)" },
	{ "format: cpuscope-map/1\narches:\n- name: \"x8\\06\"\n", 0, CS_ERR_INVALID, 3, 9,
	  "NUL byte in 'name' of arch entry" },
	{ "format: cpuscope-map/1\narches:\n- name: arm\n  models:\n  - {name: a, features: [\"s\\0\"]}\n",
	  0, CS_ERR_INVALID, 5, 26, "NUL byte in 'features' of model 'a'" },
	{ "", 0, CS_ERR_INVALID, 1, 1, "empty file: not a cpuscope map (expected 'format: cpuscope-map/1')" },
	{ "format: cpuscope-map/1\n", 0, CS_ERR_INVALID, 0, 0, "empty CPU map: no CPU models defined" },
	{ "format: cpuscope-map/1\narches:\n- {name: arm, models: [{name: a}]}\n...\n# trailing\n",
	  0, CS_ERR_NONE, 0, 0, NULL },
	{ "format: [cpuscope-map/1]\n", 0, CS_ERR_INVALID, 1, 9,
	  "expected a scalar for 'format' in the map, found a sequence" },
	{ "format: cpuscope-map/1\narches:\n- name: arm\n  models:\n  - name: a\n    features:\n",
	  0, CS_ERR_INVALID, 6, 14, "expected a sequence for 'features' in model 'a', found an empty value" },
};
/* clang-format on */

static void test_bad_buffers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_buffers) / sizeof(bad_buffers[0]); i++) {
		const struct bad_buffer *c = &bad_buffers[i];
		size_t len = c->len ? c->len : strlen(c->text);
		struct cs_error err = {0};
		/* a private copy, exactly len bytes, so ASan sees any overread */
		char *copy = cs_xmalloc(len ? len : 1);
		struct cs_map *map;

		memcpy(copy, c->text, len);
		map = cs_map_load_yaml_buffer(copy, len, "buf.yaml", &err);
		if (c->code == CS_ERR_NONE) {
			if (!map)
				fail_msg("case %zu: %s", i, err.msg);
			cs_map_free(map);
			free(copy);
			continue;
		}
		if (map)
			fail_msg("case %zu: loaded without error", i);
		if (err.code != c->code || err.line != c->line || err.col != c->col ||
		    strcmp(err.msg, c->msg) || strcmp(err.file, "buf.yaml"))
			fail_msg("case %zu: got %d %s:%u:%u: %s", i, (int)err.code, err.file,
			         err.line, err.col, err.msg);
		free(copy);
	}
}

/* Deep nesting is refused at the first node of the wrong kind, and neither
 * libyaml nor the loader recurses on it. */
static void test_deep_nesting(void **state)
{
	static const char head[] = "format: cpuscope-map/1\narches: ";
	size_t depth = 200000, len = sizeof(head) - 1 + depth;
	char *buf = cs_xmalloc(len);
	struct cs_error err = {0};

	(void)state;
	memcpy(buf, head, sizeof(head) - 1);
	memset(buf + sizeof(head) - 1, '[', depth);
	assert_null(cs_map_load_yaml_buffer(buf, len, "deep.yaml", &err));
	assert_int_equal(err.code, CS_ERR_INVALID);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 10);
	assert_string_equal(err.msg, "expected a mapping in 'arches' of the map, found a sequence");
	free(buf);
}

/* Entries of a feature are merged by key, in time quadratic in their
 * number: a feature may have at most CS_MAX_FEATURE_ITEMS of them. */
static void test_too_many_items(void **state)
{
	static const char head[] = "format: cpuscope-map/1\n"
	                           "arches:\n"
	                           "- name: x86\n"
	                           "  features:\n"
	                           "  - name: fpu\n"
	                           "    cpuid:\n";
	static const char tail[] = "  models:\n"
	                           "  - {name: A, features: [fpu]}\n";
	size_t cap = sizeof(head) + sizeof(tail) + (CS_MAX_FEATURE_ITEMS + 1) * 64, len;
	char *buf = cs_xmalloc(cap);
	struct cs_error err = {0};
	struct cs_map *map;

	(void)state;
	len = (size_t)snprintf(buf, cap, "%s", head);
	for (unsigned i = 0; i < CS_MAX_FEATURE_ITEMS; i++)
		len += (size_t)snprintf(buf + len, cap - len, "    - {eax_in: 0x%x, edx: 1}\n",
		                        0x40000000u + i);
	snprintf(buf + len, cap - len, "%s", tail);
	map = cs_map_load_yaml_buffer(buf, strlen(buf), "items.yaml", &err);
	assert_non_null(map);
	cs_map_free(map);

	len += (size_t)snprintf(buf + len, cap - len, "    - {eax_in: 0x1, edx: 1}\n");
	snprintf(buf + len, cap - len, "%s", tail);
	assert_null(cs_map_load_yaml_buffer(buf, strlen(buf), "items.yaml", &err));
	assert_int_equal(err.code, CS_ERR_SECURITY);
	assert_string_equal(err.file, "items.yaml");
	assert_int_equal(err.line, 7 + CS_MAX_FEATURE_ITEMS);
	assert_int_equal(err.col, 7);
	assert_string_equal(err.msg, "feature 'fpu' has more than 256 cpuid and msr entries");
	free(buf);
}

/* A long chain of models loads in linear time (the model array grows
 * geometrically: one by one, this took 90 s under AddressSanitizer). */
static void test_many_models(void **state)
{
	size_t n = 50000, len;
	char *buf = chain_yaml(CHAIN_HEAD, n, false, "", &len);
	struct cs_error err = {0};
	const struct cs_arch *a;
	struct cs_map *map;

	(void)state;
	map = cs_map_load_yaml_buffer(buf, len, "chain.yaml", &err);
	assert_non_null(map);
	a = cs_map_arch(map, "x86");
	assert_int_equal(a->nmodels, n);
	assert_string_equal(a->models[n - 1].name, "m49999");
	assert_true(cs_fset_test(&a->models[n - 1].features, 0));
	cs_map_free(map);
	free(buf);
}

/* Parents named before they are defined, in a chain far deeper than the
 * stack would allow a recursive resolver: loads, and the deepest model
 * inherits from the root.  The decoder and the map's tree stay linear too. */
static void test_deep_forward_chain(void **state)
{
	static const char head[] = "format: cpuscope-map/1\n"
	                           "arches:\n"
	                           "- name: x86\n"
	                           "  vendors:\n"
	                           "  - {name: Intel, string: GenuineIntel}\n"
	                           "  features:\n"
	                           "  - {name: fpu, cpuid: [{eax_in: 1, edx: 1}]}\n"
	                           "  - {name: sse, cpuid: [{eax_in: 1, edx: 0x02000000}]}\n"
	                           "  models:\n";
	size_t n = 300000, len;
	char *buf = chain_yaml(head, n, true, "  - {name: m0, features: [fpu]}\n", &len);
	struct cs_error err = {0};
	struct cs_cpu_facts cpu = {-1, 0, {{0}}};
	struct cs_decode_opts opts = {0};
	struct cs_allowed_model *allowed;
	struct cs_decoded dec;
	const struct cs_arch *a;
	struct cs_map *map;

	(void)state;
	map = cs_map_load_yaml_buffer(buf, len, "deep.yaml", &err);
	assert_non_null(map);
	a = cs_map_arch(map, "x86");
	assert_int_equal(a->nmodels, n);
	assert_string_equal(a->models[0].name, "m299999");
	assert_true(cs_fset_test(&a->models[0].features, 0));
	/* decoding over every model, with an allowed list of all of them */
	cs_fset_set(&cpu.features, 0);
	cs_fset_set(&cpu.features, 1);
	allowed = cs_xcalloc(n, sizeof(*allowed));
	for (size_t i = 0; i < n; i++)
		allowed[i].model = (int)i;
	opts.mode = CS_DECODE_GUEST;
	opts.allowed = allowed;
	opts.nallowed = n;
	assert_int_equal(cs_decode(a, &cpu, &opts, &dec, &err), 0);
	assert_true(cs_fset_test(&dec.require, 1)); /* sse beyond the model */
	free(allowed);
	cs_map_free(map);
	free(buf);
}

/* A flat section too big to compare every pair of models gets no derived
 * tree, and says so; a small one does. */
static void test_derive_cap(void **state)
{
	static const char head[] = "format: cpuscope-map/1\n"
	                           "arches:\n"
	                           "- name: x86\n"
	                           "  features:\n"
	                           "  - {name: fpu, cpuid: [{eax_in: 1, edx: 1}]}\n"
	                           "  - {name: sse, cpuid: [{eax_in: 1, edx: 2}]}\n"
	                           "  models:\n"
	                           "  - {name: m0, features: [fpu]}\n";
	size_t n = CS_DERIVE_MAX_MODELS + 1, cap = sizeof(head) + n * 48, len;
	char *buf = cs_xmalloc(cap);
	struct cs_error err = {0};
	struct cs_arch *a;
	struct cs_map *map;

	(void)state;
	for (int big = 0; big < 2; big++) {
		size_t count = big ? n : 3;
		len = (size_t)snprintf(buf, cap, "%s", head);
		for (size_t i = 1; i < count; i++)
			len += (size_t)snprintf(buf + len, cap - len,
			                        "  - {name: m%zu, features: [fpu, sse]}\n", i);
		map = cs_map_load_yaml_buffer(buf, len, "flat.yaml", &err);
		assert_non_null(map);
		a = cs_map_get_arch(map, "x86", false);
		cs_arch_derive_tree(a);
		assert_int_equal(a->tree_too_big, big);
		assert_int_equal(a->models[1].derived_parent, big ? -1 : 0);
		cs_map_free(map);
	}
	free(buf);
}

static void test_size_cap(void **state)
{
	char dir[] = "/tmp/cpuscope-yaml-XXXXXX";
	char path[64];
	struct cs_error err = {0};
	size_t len = (size_t)CS_MAX_FILE_SIZE + 1;
	char *big;
	FILE *fp;

	(void)state;
	/* from memory: refused before a byte is parsed */
	big = cs_xcalloc(len, 1);
	assert_null(cs_map_load_yaml_buffer(big, len, "big.yaml", &err));
	assert_int_equal(err.code, CS_ERR_SECURITY);
	assert_string_equal(err.file, "big.yaml");
	assert_non_null(strstr(err.msg, "file too large"));
	free(big);

	/* from a (sparse) file */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.yaml", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("format: cpuscope-map/1\n", fp);
	assert_int_equal(ftruncate(fileno(fp), (off_t)len), 0);
	fclose(fp);
	cs_error_clear(&err);
	assert_null(cs_map_load_yaml(path, &err));
	assert_int_equal(err.code, CS_ERR_SECURITY);
	assert_string_equal(err.file, path);
	unlink(path);
	rmdir(dir);
}

static void test_missing_file(void **state)
{
	struct cs_error err = {0};

	(void)state;
	assert_null(cs_map_load_yaml(YDATA "nothere.yaml", &err));
	assert_int_equal(err.code, CS_ERR_IO);
	assert_string_equal(err.file, YDATA "nothere.yaml");
	cs_error_clear(&err);
	assert_null(cs_map_load_yaml(YDATA, &err));
	assert_int_equal(err.code, CS_ERR_IO);
}

static void test_null_buffer(void **state)
{
	struct cs_error err = {0};

	(void)state;
	assert_null(cs_map_load_yaml_buffer(NULL, 0, NULL, &err));
	assert_int_equal(err.code, CS_ERR_INVALID);
	assert_string_equal(err.file, "<yaml>");
	assert_non_null(strstr(err.msg, "empty file"));
}

/* The emitter refuses what YAML cannot carry, leaving *out NULL. */
static void test_emit_invalid_utf8(void **state)
{
	struct cs_map *map = cs_map_new(CS_MAP_FORMAT_YAML, "bad-utf8");
	struct cs_arch *arm = cs_map_get_arch(map, "arm", true);
	struct cs_error err = {0};
	static char untouched[] = "untouched";
	char *out = untouched;
	size_t len = 99;

	(void)state;
	assert_non_null(cs_arch_add_model(arm, "caf\xe9", "x", 1, NULL));
	assert_int_equal(cs_map_to_yaml(map, &out, &len, &err), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(err.code, CS_ERR_INVALID);
	assert_string_equal(err.msg, "cannot write YAML: invalid UTF-8 in a name or comment");
	out = untouched;
	assert_int_equal(cs_map_to_yaml(map, &out, NULL, NULL), -1);
	assert_null(out);
	cs_map_free(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_load_full),
	        cmocka_unit_test(test_output_is_canonical),
	        cmocka_unit_test(test_handwritten),
	        cmocka_unit_test(test_forward_references),
	        cmocka_unit_test(test_detected_by_content),
	        cmocka_unit_test(test_roundtrip_built),
	        cmocka_unit_test(test_roundtrip_libvirt),
	        cmocka_unit_test(test_bad_inputs),
	        cmocka_unit_test(test_bad_buffers),
	        cmocka_unit_test(test_deep_nesting),
	        cmocka_unit_test(test_too_many_items),
	        cmocka_unit_test(test_many_models),
	        cmocka_unit_test(test_deep_forward_chain),
	        cmocka_unit_test(test_derive_cap),
	        cmocka_unit_test(test_size_cap),
	        cmocka_unit_test(test_missing_file),
	        cmocka_unit_test(test_null_buffer),
	        cmocka_unit_test(test_emit_invalid_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
