/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_cpumap.c: map loading (split, legacy), inheritance, derived tree, bad input, round trip */
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
#include "test_util.h"

#define DATA    "tests/data/"
#define FULLMAP DATA "cpu_map-9.0.0"

static const struct cs_model *model(const struct cs_arch *a, const char *name)
{
	return &a->models[model_id(a, name)];
}

static bool has(const struct cs_arch *a, const struct cs_model *m, const char *feature)
{
	return cs_fset_test(&m->features, (unsigned)feature_id(a, feature));
}

/* ---- the split fixture -------------------------------------------------------- */

static void test_split_fixture(void **state)
{
	struct cs_map *map = map_load_ok(DATA "maps/split");
	const struct cs_arch *x86, *ppc, *arm;
	const struct cs_model *plus, *v2;
	const struct cs_feature *f;

	(void)state;
	assert_int_equal(map->format, CS_MAP_FORMAT_XML_SPLIT);
	assert_int_equal(map->narches, 3);
	x86 = cs_map_arch(map, "x86_64");
	assert_non_null(x86);
	assert_int_equal(x86->nvendors, 2);
	assert_string_equal(x86->vendors[1].string, "AuthenticAMD");
	assert_int_equal(x86->nfeatures, 5);
	assert_int_equal(x86->nmodels, 3);
	/* map order and ids */
	assert_int_equal(cs_arch_find_feature(x86, "fpu"), 0);
	assert_int_equal(cs_arch_find_feature(x86, "ibrs-all"), 4);
	assert_int_equal(cs_arch_find_feature(x86, "nosuch"), -1);
	f = &x86->features[cs_arch_find_feature(x86, "pni")];
	assert_int_equal(f->naliases, 1);
	assert_string_equal(f->aliases[0].name, "sse3");
	assert_string_equal(f->aliases[0].source, "qemu");
	f = &x86->features[cs_arch_find_feature(x86, "avx2")];
	assert_int_equal(f->items[0].kind, CS_ITEM_CPUID);
	assert_int_equal(f->items[0].leaf, 7);
	assert_int_equal(f->items[0].reg[CS_REG_EBX], 0x20);
	f = &x86->features[cs_arch_find_feature(x86, "ibrs-all")];
	assert_int_equal(f->items[0].kind, CS_ITEM_MSR);
	assert_int_equal(f->items[0].leaf, 0x10a);
	assert_int_equal(f->items[0].reg[CS_REG_EAX], 2);
	assert_false(x86->features[cs_arch_find_feature(x86, "invtsc")].migratable);
	assert_true(x86->features[cs_arch_find_feature(x86, "fpu")].migratable);

	plus = model(x86, "Plus");
	assert_true(plus->decode_host);
	assert_false(plus->decode_guest);
	assert_int_equal(plus->nsigs, 2);
	assert_int_equal(plus->sigs[0].family, 6);
	assert_int_equal(plus->sigs[0].model, 85);
	assert_int_equal(plus->sigs[0].steppings, 0x1f);
	assert_int_equal(plus->sigs[1].steppings, 0);
	assert_string_equal(x86->vendors[plus->vendor].name, "Intel");
	assert_int_equal(cs_fset_count(&plus->features), 4);

	/* PlusV2 inherits features, vendor and signatures; decode is its own. */
	v2 = model(x86, "PlusV2");
	assert_int_equal(v2->parent, cs_arch_find_model(x86, "Plus"));
	assert_int_equal(cs_fset_count(&v2->features), 5);
	assert_true(has(x86, v2, "invtsc") && has(x86, v2, "ibrs-all") && has(x86, v2, "fpu"));
	assert_int_equal(v2->nown, 1);
	assert_int_equal(v2->vendor, plus->vendor);
	assert_false(v2->vendor_own);
	assert_int_equal(v2->nsigs, 2);
	assert_false(v2->sigs_own);
	assert_true(v2->decode_guest);

	ppc = cs_map_arch(map, "ppc64le");
	assert_non_null(ppc);
	assert_int_equal(ppc->nmodels, 1);
	assert_int_equal(ppc->models[0].npvrs, 1);
	assert_int_equal(ppc->models[0].pvrs[0].value, 0x004e0000);
	assert_true(ppc->models[0].pvrs[0].has_mask);
	assert_null(ppc->vendors[0].string);
	arm = cs_map_arch(map, "aarch64");
	assert_non_null(arm);
	assert_true(arm->vendors[0].has_value);
	assert_int_equal(arm->vendors[0].value, 0x41);
	assert_int_equal(arm->features[0].nitems, 0);
	assert_false(arm->models[0].pvrs[0].has_mask);
	assert_null(cs_map_arch(map, "s390x"));
	cs_map_free(map);
}

/* ---- the full libvirt 9.0.0 map -------------------------------------------------- */

static const char *const models90[] = {
        "486",
        "pentium",
        "pentium2",
        "pentium3",
        "pentiumpro",
        "coreduo",
        "n270",
        "core2duo",
        "qemu32",
        "kvm32",
        "cpu64-rhel5",
        "cpu64-rhel6",
        "qemu64",
        "kvm64",
        "Conroe",
        "Penryn",
        "Nehalem",
        "Nehalem-IBRS",
        "Westmere",
        "Westmere-IBRS",
        "SandyBridge",
        "SandyBridge-IBRS",
        "IvyBridge",
        "IvyBridge-IBRS",
        "Haswell-noTSX",
        "Haswell-noTSX-IBRS",
        "Haswell",
        "Haswell-IBRS",
        "Broadwell-noTSX",
        "Broadwell-noTSX-IBRS",
        "Broadwell",
        "Broadwell-IBRS",
        "Skylake-Client",
        "Skylake-Client-IBRS",
        "Skylake-Client-noTSX-IBRS",
        "Skylake-Server",
        "Skylake-Server-IBRS",
        "Skylake-Server-noTSX-IBRS",
        "Cascadelake-Server",
        "Cascadelake-Server-noTSX",
        "Icelake-Client",
        "Icelake-Client-noTSX",
        "Icelake-Server",
        "Icelake-Server-noTSX",
        "Cooperlake",
        "Snowridge",
        "athlon",
        "phenom",
        "Opteron_G1",
        "Opteron_G2",
        "Opteron_G3",
        "Opteron_G4",
        "Opteron_G5",
        "EPYC",
        "EPYC-IBPB",
        "EPYC-Rome",
        "EPYC-Milan",
        "Dhyana",
};

/* Every feature a model file lists, read with plain string scanning so the
 * check does not share code with the loader. */
static void check_model_file(const struct cs_arch *a, const struct cs_model *m)
{
	char path[256];
	FILE *fp;
	char line[512];
	unsigned listed = 0;

	snprintf(path, sizeof(path), FULLMAP "/x86_%s.xml", m->name);
	fp = fopen(path, "r");
	assert_non_null(fp);
	bool comment = false;

	while (fgets(line, sizeof(line), fp)) {
		char *p = strstr(line, "<feature name='");
		char *q;

		/* features inside comments are not part of the model */
		if (strstr(line, "<!--") && !strstr(line, "-->"))
			comment = true;
		if (comment && strstr(line, "-->"))
			comment = false;
		if (!p || comment)
			continue;
		p += strlen("<feature name='");
		q = strchr(p, '\'');
		assert_non_null(q);
		*q = '\0';
		if (strstr(q + 1, "removed='yes'")) {
			/* removed features are remembered, not part of the model */
			int id = cs_arch_find_feature(a, p);

			assert_true(id >= 0);
			assert_true(cs_fset_test(&m->removed, (unsigned)id));
			assert_false(cs_fset_test(&m->features, (unsigned)id));
			continue;
		}
		if (!has(a, m, p))
			fail_msg("model %s lacks %s", m->name, p);
		listed++;
	}
	fclose(fp);
	assert_int_equal(listed, cs_fset_count(&m->features));
}

static void test_full_map(void **state)
{
	struct cs_map *map = map_load_ok(FULLMAP);
	const struct cs_arch *a = cs_map_arch(map, "x86");
	const struct cs_model *m;

	(void)state;
	assert_int_equal(map->format, CS_MAP_FORMAT_XML_SPLIT);
	assert_int_equal(a->nmodels, sizeof(models90) / sizeof(models90[0]));
	for (size_t i = 0; i < a->nmodels; i++) {
		assert_string_equal(a->models[i].name, models90[i]);
		assert_int_equal(a->models[i].parent, -1);
		check_model_file(a, &a->models[i]);
	}
	assert_int_equal(a->nfeatures, 212);
	assert_int_equal(a->nvendors, 3);
	assert_string_equal(a->vendors[2].string, "HygonGenuine");
	m = model(a, "cpu64-rhel5");
	assert_false(m->decode_host || m->decode_guest);
	m = model(a, "Cascadelake-Server-noTSX");
	assert_true(m->decode_host);
	assert_false(m->decode_guest);
	m = model(a, "Skylake-Server");
	assert_int_equal(m->sigs[0].steppings, 0x1f);
	m = model(a, "Cascadelake-Server");
	assert_int_equal(m->sigs[0].steppings, 0xe0);
	assert_false(a->features[cs_arch_find_feature(a, "xsaves")].migratable);
	assert_int_equal(cs_map_arch(map, "ppc64")->nmodels, 7);
	assert_int_equal(cs_map_arch(map, "arm")->nmodels, 12);
	assert_int_equal(cs_map_arch(map, "arm")->nfeatures, 17);
	cs_map_free(map);
}

static void test_derived_tree(void **state)
{
	struct cs_map *map = map_load_ok(FULLMAP);
	struct cs_arch *a = &map->arches[0];
	const struct cs_model *h;
	bool derived;
	int parent, hi;

	(void)state;
	assert_string_equal(a->name, "x86");
	cs_arch_derive_tree(a);
	hi = cs_arch_find_model(a, "Haswell");
	h = &a->models[hi];
	parent = cs_model_tree_parent(a, h, &derived);
	assert_true(derived);
	assert_string_equal(a->models[parent].name, "Haswell-noTSX");
	/* Derived parents are proper subsets from the same vendor or none. */
	for (size_t i = 0; i < a->nmodels; i++) {
		const struct cs_model *m = &a->models[i];
		const struct cs_model *p;

		if (m->derived_parent < 0)
			continue;
		p = &a->models[m->derived_parent];
		assert_true(cs_fset_is_subset(&p->features, &m->features));
		assert_false(cs_fset_equal(&p->features, &m->features));
		assert_true(p->vendor < 0 || p->vendor == m->vendor);
	}
	/* hle and rtm are what Haswell adds to Haswell-noTSX */
	assert_int_equal(cs_model_feature_origin(a, hi, (unsigned)cs_arch_find_feature(a, "rtm")),
	                 hi);
	assert_int_not_equal(
	        cs_model_feature_origin(a, hi, (unsigned)cs_arch_find_feature(a, "avx2")), hi);
	assert_int_equal(cs_model_feature_origin(a, hi, (unsigned)cs_arch_find_feature(a, "svm")),
	                 -1);
	/* AMD models never get an Intel parent */
	parent = cs_model_tree_parent(a, model(a, "EPYC"), &derived);
	assert_true(a->models[parent].vendor != cs_arch_find_vendor(a, "Intel"));
	cs_map_free(map);
}

/* ---- legacy single file --------------------------------------------------------- */

static void test_legacy_demo(void **state)
{
	struct cs_map *map = map_load_ok("maps/legacy-demo.xml");
	const struct cs_arch *a = cs_map_arch(map, "x86");
	const struct cs_model *w, *n, *c;
	static const char *const chain[] = {"Westmere", "Nehalem", "Penryn", "Conroe",
	                                    "pentiumpro"};
	int cur;

	(void)state;
	assert_int_equal(map->format, CS_MAP_FORMAT_XML_LEGACY);
	assert_non_null(map->comment);
	w = model(a, "Westmere");
	n = model(a, "Nehalem");
	c = model(a, "Conroe");
	/* the chain pentiumpro > Conroe > Penryn > Nehalem > Westmere */
	cur = cs_arch_find_model(a, "Westmere");
	for (size_t i = 0; i < 5; i++) {
		assert_true(cur >= 0);
		assert_string_equal(a->models[cur].name, chain[i]);
		cur = a->models[cur].parent;
	}
	assert_int_equal(cur, -1);
	assert_true(cs_fset_is_subset(&n->features, &w->features));
	assert_int_equal(cs_fset_count(&w->features), cs_fset_count(&n->features) + 1);
	assert_true(has(a, w, "aes") && has(a, w, "fpu") && has(a, w, "ssse3"));
	assert_false(has(a, c, "aes"));
	assert_int_equal(w->vendor, cs_arch_find_vendor(a, "Intel"));
	assert_false(w->vendor_own);
	/* the 'function' attribute is read as eax_in */
	assert_int_equal(a->features[cs_arch_find_feature(a, "lahf_lm")].items[0].leaf,
	                 0x80000001u);
	/* pentiumpro has no vendor; AMD models do */
	assert_int_equal(model(a, "pentiumpro")->vendor, -1);
	assert_int_equal(model(a, "Opteron_G3")->vendor, cs_arch_find_vendor(a, "AMD"));
	cs_map_free(map);
}

/* ---- round trip through the legacy writer ---------------------------------------------- */

static void roundtrip_legacy(const char *src)
{
	struct cs_map *a = map_load_ok(src), *b;
	struct cs_error err = {0};
	char tmpl[] = "/tmp/cpuscope-test-XXXXXX";
	char path[64];
	char *out1 = NULL, *out2 = NULL;
	size_t len1, len2;

	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/map.xml", tmpl);
	assert_int_equal(cs_map_save(a, path, &err), 0);
	b = map_load_ok(path);
	assert_int_equal(b->format, CS_MAP_FORMAT_XML_LEGACY);
	assert_same_map(a, b);
	/* writing the reloaded map gives the same bytes */
	assert_int_equal(cs_map_to_legacy_xml(a, &out1, &len1, &err), 0);
	assert_int_equal(cs_map_to_legacy_xml(b, &out2, &len2, &err), 0);
	assert_int_equal(len1, len2);
	assert_memory_equal(out1, out2, len1);
	free(out1);
	free(out2);
	cs_map_free(a);
	cs_map_free(b);
	unlink(path);
	rmdir(tmpl);
}

static void test_roundtrip_full_map(void **state)
{
	(void)state;
	roundtrip_legacy(FULLMAP);
}

static void test_roundtrip_fixtures(void **state)
{
	(void)state;
	roundtrip_legacy(DATA "maps/split");
	roundtrip_legacy("maps/legacy-demo.xml");
}

/* modern XML -> YAML -> legacy XML -> YAML: the two YAML texts are the same
 * bytes and every form resolves to the same map. */
static void roundtrip_all_forms(const char *src)
{
	char dir[] = "/tmp/cpuscope-rt-XXXXXX";
	char y1[64], x2[64], y3[64];
	struct cs_map *m0 = map_load_ok(src), *m1, *m2, *m3;
	struct cs_error err = {0};
	char *b1 = NULL, *b3 = NULL;
	size_t l1, l3;

	assert_non_null(mkdtemp(dir));
	snprintf(y1, sizeof(y1), "%s/a.yaml", dir);
	snprintf(x2, sizeof(x2), "%s/b.xml", dir);
	snprintf(y3, sizeof(y3), "%s/c.yaml", dir);
	assert_int_equal(cs_map_save(m0, y1, &err), 0);
	m1 = map_load_ok(y1);
	assert_int_equal(m1->format, CS_MAP_FORMAT_YAML);
	assert_int_equal(cs_map_save(m1, x2, &err), 0);
	m2 = map_load_ok(x2);
	assert_int_equal(m2->format, CS_MAP_FORMAT_XML_LEGACY);
	assert_int_equal(cs_map_save(m2, y3, &err), 0);
	m3 = map_load_ok(y3);
	assert_same_map(m0, m1);
	assert_same_map(m0, m2);
	assert_same_map(m0, m3);
	assert_int_equal(cs_read_file(y1, CS_MAX_FILE_SIZE, &b1, &l1, &err), 0);
	assert_int_equal(cs_read_file(y3, CS_MAX_FILE_SIZE, &b3, &l3, &err), 0);
	assert_int_equal(l1, l3);
	assert_memory_equal(b1, b3, l1);
	free(b1);
	free(b3);
	cs_map_free(m0);
	cs_map_free(m1);
	cs_map_free(m2);
	cs_map_free(m3);
	unlink(y1);
	unlink(x2);
	unlink(y3);
	rmdir(dir);
}

static void test_roundtrip_yaml(void **state)
{
	(void)state;
	roundtrip_all_forms(FULLMAP);
	roundtrip_all_forms(DATA "maps/split");
	roundtrip_all_forms("maps/legacy-demo.xml");
}

/* The bundled YAML is the libvirt 9.0.0 map, nothing more or less. */
static void test_bundled_map(void **state)
{
	struct cs_map *xml = map_load_ok(FULLMAP), *yaml = map_load_ok("maps/libvirt-9.0.0.yaml");

	(void)state;
	assert_int_equal(yaml->format, CS_MAP_FORMAT_YAML);
	assert_same_map(xml, yaml);
	cs_map_free(xml);
	cs_map_free(yaml);
}

/* ---- bad input ------------------------------------------------------------------- */

struct bad_case {
	const char *file;
	enum cs_errcode code;
	unsigned line;
	const char *msg;
};

/* clang-format off */
static const struct bad_case bad_cases[] = {
	{ "malformed.xml",       CS_ERR_SYNTAX,    9, "malformed XML: Opening and ending tag mismatch" },
	{ "unknown-parent.xml",  CS_ERR_UNKNOWN,   8, "unknown parent model 'Nope' for CPU model 'A'" },
	{ "cycle.xml",           CS_ERR_INVALID,   7, "inheritance cycle among CPU models: A -> B -> A" },
	{ "unknown-feature.xml", CS_ERR_UNKNOWN,   8, "unknown feature 'sse9' in CPU model 'A'" },
	{ "dup-feature.xml",     CS_ERR_DUPLICATE, 7, "CPU feature 'fpu' already defined" },
	{ "dup-model.xml",       CS_ERR_DUPLICATE, 8, "CPU model 'A' already defined" },
	{ "dup-vendor.xml",      CS_ERR_DUPLICATE, 7, "CPU vendor 'Intel' already defined" },
	{ "bad-hex.xml",         CS_ERR_INVALID,   8, "invalid number '0xZZ' in attribute 'edx'" },
	{ "no-data.xml",         CS_ERR_INVALID,   7, "CPU feature 'vme' has neither cpuid nor msr data" },
	{ "no-bits.xml",         CS_ERR_INVALID,   7, "CPU feature 'vme' sets no CPUID or MSR bits" },
	{ "empty.xml",           CS_ERR_INVALID,   0, "empty CPU map: no CPU models defined" },
	{ "empty-file.xml",      CS_ERR_INVALID,   0, "empty CPU map file" },
	{ "xxe.xml",             CS_ERR_SECURITY,  2, "document type declarations (DTDs, entities) are not allowed" },
	{ "laughs.xml",          CS_ERR_SECURITY,  2, "document type declarations (DTDs, entities) are not allowed" },
	{ "unknown-vendor.xml",  CS_ERR_UNKNOWN,   8, "unknown vendor 'Via' for CPU model 'A'" },
	{ "vendor-string.xml",   CS_ERR_INVALID,   3, "invalid CPUID vendor string 'Intel' for vendor 'Intel': must be 12 characters" },
	{ "bad-stepping.xml",    CS_ERR_INVALID,   8, "invalid stepping list '4-1'" },
	{ "family-zero.xml",     CS_ERR_INVALID,   8, "invalid CPU signature family 0" },
	{ "missing-name.xml",    CS_ERR_INVALID,   7, "<feature> without a name" },
	{ "no-eax-in.xml",       CS_ERR_INVALID,   8, "<cpuid> without 'eax_in' in CPU feature 'vme'" },
	{ "unknown-element.xml", CS_ERR_INVALID,   7, "unknown element <modle>" },
	{ "msr-missing.xml",     CS_ERR_INVALID,   8, "missing attribute 'edx' in <msr> of CPU feature 'rdctl-no'" },
	{ "wrong-root.xml",      CS_ERR_INVALID,   1, "not a CPU map: root element is <domain>" },
	{ "bad-decode.xml",      CS_ERR_INVALID,   8, "attribute 'host' of <decode> in CPU model 'A' must be 'on' or 'off'" },
	{ "two-parents.xml",     CS_ERR_INVALID,  11, "CPU model 'C' names more than one parent model" },
	{ "include-abs",         CS_ERR_SECURITY,  3, "include '/etc/passwd' is an absolute path" },
	{ "include-dotdot",      CS_ERR_SECURITY,  3, "leaves the map directory ('..' is not allowed)" },
	{ "include-symlink",     CS_ERR_SECURITY,  4, "outside the map directory" },
	{ "include-missing",     CS_ERR_IO,        4, "cannot open include 'nothere.xml': No such file or directory" },
	{ "include-nested",      CS_ERR_SECURITY,  3, "<include> is only allowed in the map's index" },
	{ "include-malformed",   CS_ERR_SYNTAX,    3, "malformed XML" },
	{ "too-many-items.xml",  CS_ERR_SECURITY,261, "CPU feature 'fpu' has more than 256 <cpuid> and <msr> entries" },
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

		snprintf(path, sizeof(path), DATA "maps/bad/%s", c->file);
		map = cs_map_load(path, &err);
		if (map)
			fail_msg("%s loaded but must not", c->file);
		if (!strstr(err.msg, c->msg))
			fail_msg("%s: message '%s' lacks '%s'", c->file, err.msg, c->msg);
		if (err.line != c->line)
			fail_msg("%s: line %u, expected %u", c->file, err.line, c->line);
		assert_int_equal(err.code, c->code);
		/* the file at fault is named */
		assert_true(strstr(err.file, "maps/bad/") != NULL);
	}
}

static void test_xxe_not_read(void **state)
{
	struct cs_error err = {0};

	(void)state;
	assert_null(cs_map_load(DATA "maps/bad/xxe.xml", &err));
	/* nothing of /etc/passwd may reach the message */
	assert_null(strstr(err.msg, "root"));
	assert_string_equal(err.file, DATA "maps/bad/xxe.xml");
}

static void test_huge_file(void **state)
{
	char path[] = "/tmp/cpuscope-huge-XXXXXX";
	int fd = mkstemp(path);
	struct cs_error err = {0};

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "<cpus>", 6), 6);
	assert_int_equal(ftruncate(fd, (off_t)CS_MAX_FILE_SIZE + 1), 0);
	close(fd);
	assert_null(cs_map_load(path, &err));
	assert_int_equal(err.code, CS_ERR_SECURITY);
	assert_non_null(strstr(err.msg, "file too large"));
	unlink(path);
}

static void test_missing_map(void **state)
{
	struct cs_error err = {0};

	(void)state;
	assert_null(cs_map_load(DATA "maps/nothere", &err));
	assert_int_equal(err.code, CS_ERR_IO);
	assert_non_null(strstr(err.msg, "No such file or directory"));
}

/* ---- saving ----------------------------------------------------------------------- */

static void test_atomic_save(void **state)
{
	char dir[] = "/tmp/cpuscope-save-XXXXXX";
	char path[128], blocker[128], inner[160];
	struct cs_map *map = map_load_ok("maps/legacy-demo.xml");
	struct cs_error err = {0};
	struct stat st;
	char *buf = NULL;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* an existing file keeps its mode when replaced */
	snprintf(path, sizeof(path), "%s/out.xml", dir);
	{
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		fputs("old", fp);
		fclose(fp);
		assert_int_equal(chmod(path, 0640), 0);
	}
	assert_int_equal(cs_map_save(map, path, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, &err), 0);
	assert_non_null(strstr(buf, "<model name='Westmere'>"));
	free(buf);
	/* a failed write leaves what was there: renaming onto a non-empty
	 * directory fails after the temporary file was written */
	snprintf(blocker, sizeof(blocker), "%s/blocked.xml", dir);
	assert_int_equal(mkdir(blocker, 0755), 0);
	snprintf(inner, sizeof(inner), "%s/keep", blocker);
	fclose(fopen(inner, "w"));
	assert_int_equal(cs_map_save(map, blocker, &err), -1);
	assert_int_equal(err.code, CS_ERR_IO);
	assert_int_equal(stat(inner, &st), 0);
	/* no temporary file is left behind */
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "ls %s | grep -c tmp >/dev/null", dir);
		assert_int_not_equal(system(cmd), 0);
	}
	/* unknown extension */
	cs_error_clear(&err);
	snprintf(inner, sizeof(inner), "%s/out.txt", dir);
	assert_int_equal(cs_map_save(map, inner, &err), -1);
	assert_non_null(strstr(err.msg, "use a .yaml, .yml or .xml file name"));
	assert_int_not_equal(stat(inner, &st), 0);
	cs_map_free(map);
	snprintf(inner, sizeof(inner), "rm -rf %s", dir);
	assert_int_equal(system(inner), 0);
}

/* ---- helpers ----------------------------------------------------------------------- */

static void test_parsers(void **state)
{
	uint32_t v;
	uint16_t st;
	char buf[64];

	(void)state;
	assert_int_equal(cs_parse_u32("0x10a", &v), 0);
	assert_int_equal(v, 0x10a);
	assert_int_equal(cs_parse_u32("010", &v), 0);
	assert_int_equal(v, 8);
	assert_int_equal(cs_parse_u32("85", &v), 0);
	assert_int_equal(v, 85);
	assert_int_equal(cs_parse_u32("0xffffffff", &v), 0);
	assert_int_equal(v, 0xffffffffu);
	assert_int_equal(cs_parse_u32("0x100000000", &v), -1);
	assert_int_equal(cs_parse_u32("0xZZ", &v), -1);
	assert_int_equal(cs_parse_u32("-1", &v), -1);
	assert_int_equal(cs_parse_u32("12abc", &v), -1);
	assert_int_equal(cs_parse_u32("", &v), -1);
	assert_int_equal(cs_steppings_parse("0-4", &st), 0);
	assert_int_equal(st, 0x1f);
	assert_int_equal(cs_steppings_parse("3,5,7-9", &st), 0);
	assert_int_equal(st, 0x3a8);
	assert_int_equal(cs_steppings_parse("16", &st), -1);
	assert_int_equal(cs_steppings_parse("4-1", &st), -1);
	assert_int_equal(cs_steppings_parse("1,", &st), -1);
	cs_steppings_format(0x3a8, buf, sizeof(buf));
	assert_string_equal(buf, "3,5,7-9");
	cs_steppings_format(0xe0, buf, sizeof(buf));
	assert_string_equal(buf, "5-7");
}

static void test_location(void **state)
{
	struct cs_map *map = map_load_ok(DATA "maps/split");
	const struct cs_arch *a = cs_map_arch(map, "x86");
	char buf[128];

	(void)state;
	cs_feature_location(&a->features[cs_arch_find_feature(a, "avx2")], buf, sizeof(buf));
	assert_string_equal(buf, "CPUID 0x7.0 ebx[5]");
	cs_feature_location(&a->features[cs_arch_find_feature(a, "ibrs-all")], buf, sizeof(buf));
	assert_string_equal(buf, "MSR 0x10a eax[1]");
	cs_feature_location(&a->features[cs_arch_find_feature(a, "invtsc")], buf, sizeof(buf));
	assert_string_equal(buf, "CPUID 0x80000007.0 edx[8]");
	cs_map_free(map);
}

/* Damaged maps: truncations and byte flips of a valid map must load or fail
 * with a positioned message, never crash (run under ASan by make check). */
static void test_mutations(void **state)
{
	char *orig = NULL;
	size_t len = 0;
	struct cs_error err = {0};
	char path[] = "/tmp/cpuscope-mut-XXXXXX";
	int fd = mkstemp(path);
	uint32_t seed = 12345;
	unsigned loaded = 0, failed = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(cs_read_file("maps/legacy-demo.xml", CS_MAX_FILE_SIZE, &orig, &len, &err),
	                 0);
	for (int round = 0; round < 400; round++) {
		char *buf = malloc(len + 1);
		size_t n = len;
		FILE *fp;
		struct cs_map *map;

		memcpy(buf, orig, len);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			if (round % 5 == 0) {
				n = (seed >> 8) % len; /* truncate */
			} else {
				static const char junk[] = "<>/='\"&x0 9\n";

				buf[(seed >> 8) % n] = junk[(seed >> 20) % (sizeof(junk) - 1)];
			}
		}
		fp = fopen(path, "w");
		assert_non_null(fp);
		assert_int_equal(fwrite(buf, 1, n, fp), n);
		fclose(fp);
		cs_error_clear(&err);
		map = cs_map_load(path, &err);
		if (map) {
			loaded++;
		} else {
			failed++;
			assert_true(err.msg[0] != '\0');
			assert_string_equal(err.file, path);
		}
		cs_map_free(map);
		free(buf);
	}
	assert_true(failed > 100);
	assert_int_equal(loaded + failed, 400);
	free(orig);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_split_fixture),
	        cmocka_unit_test(test_full_map),
	        cmocka_unit_test(test_derived_tree),
	        cmocka_unit_test(test_legacy_demo),
	        cmocka_unit_test(test_roundtrip_full_map),
	        cmocka_unit_test(test_roundtrip_fixtures),
	        cmocka_unit_test(test_bad_inputs),
	        cmocka_unit_test(test_xxe_not_read),
	        cmocka_unit_test(test_huge_file),
	        cmocka_unit_test(test_missing_map),
	        cmocka_unit_test(test_atomic_save),
	        cmocka_unit_test(test_parsers),
	        cmocka_unit_test(test_location),
	        cmocka_unit_test(test_mutations),
	        cmocka_unit_test(test_roundtrip_yaml),
	        cmocka_unit_test(test_bundled_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
