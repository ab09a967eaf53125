/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_map_fixture.h: the libvirt 9.0.0 map most unit tests share, loaded once per group */
#ifndef CPUSCOPE_TEST_MAP_FIXTURE_H
#define CPUSCOPE_TEST_MAP_FIXTURE_H

#include "test_util.h"

#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"

#define MAP_DIR "tests/data/cpu_map-9.0.0"

/* Loaded by map_setup() and freed by map_teardown(); the tests only read them. */
static struct cs_map *map;
static const struct cs_arch *x86;

/* A cmocka group setup: load MAP_DIR and find its x86 arch. */
static inline int map_setup(void **state)
{
	struct cs_error err = {0};

	(void)state;
	map = cs_map_load(MAP_DIR, &err);
	if (!map) {
		cs_error_print(&err, "setup: ", stderr);
		return -1;
	}
	x86 = cs_map_arch(map, "x86");
	return x86 ? 0 : -1;
}

/* The cmocka group teardown that goes with map_setup(). */
static inline int map_teardown(void **state)
{
	(void)state;
	cs_map_free(map);
	return 0;
}

/* The id of an x86 feature or model; fails the test when there is none. */
static inline int fid(const char *name)
{
	return feature_id(x86, name);
}

static inline int mid(const char *name)
{
	return model_id(x86, name);
}

/* The first <cpu> element of xml, parsed against the map with flags
 * (CS_CPUDEF_FIRST added); fails the test when it does not parse.  The
 * result is the caller's. */
static inline struct cs_cpudef *parse_cpu(const char *xml, unsigned flags)
{
	struct cs_cpudef **defs = NULL, *def;
	size_t n = 0;
	struct cs_error err = {0};

	if (cs_cpudef_parse(map, xml, strlen(xml), "t.xml", flags | CS_CPUDEF_FIRST, &defs, &n,
	                    &err) < 0) {
		cs_error_print(&err, "parse: ", stderr);
		fail();
	}
	def = defs[0];
	free(defs);
	return def;
}

/* A guest <cpu>: parse_cpu() without flags. */
static inline struct cs_cpudef *cpu(const char *xml)
{
	return parse_cpu(xml, 0);
}

#endif
