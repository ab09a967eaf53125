/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_map_cache.c: the cache of loaded maps: exact round trips, when an entry
 * answers and when it does not, and damaged entries */
#include <fcntl.h>
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
#include "cpuscope/mapcache.h"
#include "cpuscope/xalloc.h"
#include "test_util.h"

#define FULLMAP  "tests/data/cpu_map-9.0.0"
#define SMALLMAP "tests/data/maps/split"
#define YAMLMAP  "maps/libvirt-9.0.0.yaml"
#define LEGACY   "maps/legacy-demo.xml"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cpuscope-mapcache-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = cs_xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* Both NULL, or the same map file name. */
static void assert_same_file(const char *x, const char *y)
{
	assert_true(same_str(x, y));
}

/* assert_same_map() and what it leaves out: where each entry came from, the
 * map's format, path and files, and which data a model gave itself. */
static void assert_identical(const struct cs_map *x, const struct cs_map *y)
{
	assert_same_map(x, y);
	assert_int_equal(x->format, y->format);
	assert_string_equal(x->path, y->path);
	assert_int_equal(x->nfiles, y->nfiles);
	for (size_t i = 0; i < x->nfiles; i++)
		assert_string_equal(x->files[i], y->files[i]);
	for (size_t k = 0; k < x->narches; k++) {
		const struct cs_arch *a = &x->arches[k], *b = &y->arches[k];

		for (size_t i = 0; i < a->nvendors; i++) {
			assert_int_equal(a->vendors[i].line, b->vendors[i].line);
			assert_same_file(a->vendors[i].file, b->vendors[i].file);
		}
		for (size_t i = 0; i < a->nfeatures; i++) {
			assert_int_equal(a->features[i].line, b->features[i].line);
			assert_same_file(a->features[i].file, b->features[i].file);
		}
		for (size_t i = 0; i < a->nmodels; i++) {
			const struct cs_model *m = &a->models[i], *n = &b->models[i];

			assert_int_equal(m->line, n->line);
			assert_same_file(m->file, n->file);
			assert_int_equal(m->vendor_own, n->vendor_own);
			assert_int_equal(m->sigs_own, n->sigs_own);
			assert_int_equal(m->derived_parent, n->derived_parent);
			assert_true(cs_fset_equal(&m->own, &n->own));
		}
		/* the lookups are rebuilt too */
		for (size_t i = 0; i < a->nfeatures; i++)
			assert_int_equal(cs_arch_find_feature(b, a->features[i].name), (int)i);
		for (size_t i = 0; i < a->nmodels; i++)
			assert_int_equal(cs_arch_find_model(b, a->models[i].name), (int)i);
		for (size_t i = 0; i < a->nvendors; i++)
			assert_int_equal(cs_arch_find_vendor(b, a->vendors[i].name), (int)i);
	}
}

static char *encode_ok(const struct cs_map *map, size_t *len)
{
	char *buf = NULL;

	assert_int_equal(cs_map_cache_encode(map, &buf, len), 0);
	assert_non_null(buf);
	return buf;
}

/* Every format comes back exactly as it was loaded, checked or not. */
static void test_round_trip(void **state)
{
	const char *paths[] = {FULLMAP, SMALLMAP, YAMLMAP, LEGACY, FULLMAP "/index.xml"};

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct cs_map *map = map_load_ok(paths[i]), *back;
		size_t len;
		char *buf = encode_ok(map, &len);

		for (int check = 0; check < 2; check++) {
			back = cs_map_cache_decode(buf, len, paths[i], check);
			if (!back)
				fail_msg("%s: the entry did not decode (check %d)", paths[i],
				         check);
			assert_identical(map, back);
			cs_map_free(back);
		}
		/* an entry answers for its own path only */
		assert_null(cs_map_cache_decode(buf, len, "elsewhere", false));
		free(buf);
		cs_map_free(map);
	}
}

/* The derived tree, computed on demand, comes out the same from a cached map. */
static void test_derived_tree(void **state)
{
	struct cs_map *map = map_load_ok(FULLMAP), *back;
	size_t len;
	char *buf = encode_ok(map, &len);
	struct cs_arch *a, *b;

	(void)state;
	back = cs_map_cache_decode(buf, len, FULLMAP, true);
	assert_non_null(back);
	a = cs_map_get_arch(map, "x86", false);
	b = cs_map_get_arch(back, "x86", false);
	cs_arch_derive_tree(a);
	cs_arch_derive_tree(b);
	for (size_t i = 0; i < a->nmodels; i++)
		assert_int_equal(a->models[i].derived_parent, b->models[i].derived_parent);
	free(buf);
	cs_map_free(back);
	cs_map_free(map);
}

/* Any cut of an entry is refused; a changed byte gives no entry or a whole
 * map, never a crash (the sanitizer build looks at every byte). */
static void test_damaged(void **state)
{
	struct cs_map *map = map_load_ok(SMALLMAP), *back;
	size_t len;
	char *buf = encode_ok(map, &len), *copy = cs_xmalloc(len);

	(void)state;
	for (size_t cut = 0; cut < len; cut++)
		assert_null(cs_map_cache_decode(buf, cut, SMALLMAP, false));
	for (size_t i = 0; i < len; i++) {
		static const unsigned char flips[] = {0x01, 0x80, 0xff};

		for (size_t f = 0; f < sizeof(flips); f++) {
			memcpy(copy, buf, len);
			copy[i] = (char)(copy[i] ^ flips[f]);
			back = cs_map_cache_decode(copy, len, SMALLMAP, false);
			cs_map_free(back);
		}
	}
	/* one byte more is not an entry either */
	copy = cs_xreallocarray(copy, len + 1, 1);
	memcpy(copy, buf, len);
	copy[len] = 0;
	assert_null(cs_map_cache_decode(copy, len + 1, SMALLMAP, false));
	free(copy);
	free(buf);
	cs_map_free(map);
}

/* The identity of the executable follows the version string: with check
 * set, an entry written by another executable is not used. */
static void test_other_executable(void **state)
{
	struct cs_map *map = map_load_ok(SMALLMAP), *back;
	size_t len, at;
	char *buf = encode_ok(map, &len);
	const char *magic = "cpuscope-map-cache\n";
	uint32_t vlen;

	(void)state;
	at = strlen(magic) + 8;
	memcpy(&vlen, buf + at, sizeof(vlen));
	at += sizeof(vlen) + vlen + 1; /* the executable's device number */
	buf[at] = (char)(buf[at] ^ 1);
	assert_null(cs_map_cache_decode(buf, len, SMALLMAP, true));
	back = cs_map_cache_decode(buf, len, SMALLMAP, false);
	assert_non_null(back);
	cs_map_free(back);
	free(buf);
	cs_map_free(map);
}

static void run(const char *cmd)
{
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static struct cs_map *load_cached(const char *path, const char *cache, bool *hit)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load_cached(path, cache, hit, &err);

	if (!map)
		fail_msg("loading %s: %s:%u: %s", path, err.file, err.line, err.msg);
	return map;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Load mapdir through cache: from the entry or not, as want_hit says, and
 * the same map as its files give. */
static void expect_load(const char *mapdir, const char *cache, bool want_hit)
{
	bool hit = !want_hit;
	struct cs_map *map = load_cached(mapdir, cache, &hit), *fresh = map_load_ok(mapdir);

	assert_int_equal(hit, want_hit);
	assert_identical(fresh, map);
	cs_map_free(map);
	cs_map_free(fresh);
}

/* The whole life of an entry: a freshly written map is not cached; once
 * settled it is, and answers; any change to one of its files is seen. */
static void test_load_cached(void **state)
{
	char *mapdir = cs_xasprintf("%s/map", dir), *cache = cs_xasprintf("%s/cache/sub", dir);
	char *cmd = cs_xasprintf("cp -r " SMALLMAP " '%s'", mapdir);
	char *entry = cs_map_cache_file(mapdir, cache);
	struct cs_map *map;
	bool hit = true;

	(void)state;
	run(cmd);
	free(cmd);
	map = load_cached(mapdir, cache, &hit);
	assert_false(hit);
	assert_false(exists(entry)); /* the files are too new to trust */
	cs_map_free(map);
	sleep(3);
	map = load_cached(mapdir, cache, &hit);
	assert_false(hit);
	assert_true(exists(entry));
	cs_map_free(map);
	expect_load(mapdir, cache, true);

	/* an include changed in place, size and all: not the cached answer */
	cmd = cs_xasprintf("sed -i 's/ecx=.0x00000001./ecx=\"0x00000002\"/' '%s/features.xml'",
	                   mapdir);
	run(cmd);
	free(cmd);
	expect_load(mapdir, cache, false);

	/* without a cache directory nothing is cached */
	map = load_cached(mapdir, NULL, &hit);
	assert_false(hit);
	cs_map_free(map);
	free(entry);
	free(cache);
	free(mapdir);
}

/* A cache that cannot be written or read is no error. */
static void test_unusable_cache(void **state)
{
	char *file = cs_xasprintf("%s/plain", dir);
	char *cache = cs_xasprintf("%s/plain/cache", dir);
	bool hit = true;
	struct cs_map *map;
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	map = load_cached(FULLMAP, cache, &hit);
	assert_false(hit);
	cs_map_free(map);
	/* an entry that is not one is ignored, and the map is loaded */
	free(cache);
	cache = cs_xasprintf("%s/junk", dir);
	assert_int_equal(cs_make_dirs(cache), 0);
	free(file);
	file = cs_map_cache_file(FULLMAP, cache);
	assert_int_equal(cs_write_file_atomic(file, "cpuscope-map-cache\nxx", 21, NULL), 0);
	map = load_cached(FULLMAP, cache, &hit);
	assert_false(hit);
	cs_map_free(map);
	free(file);
	free(cache);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_derived_tree),
	        cmocka_unit_test(test_damaged),     cmocka_unit_test(test_other_executable),
	        cmocka_unit_test(test_load_cached), cmocka_unit_test(test_unusable_cache),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
