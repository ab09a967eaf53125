/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench_map.c: map load time for each format, median of repeated loads, and peak RSS */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/mapcache.h"

#include "bench_util.h"

#define RUNS 41

/* The split map from its cache entry, as a command loads it on a hit: the
 * entry read, every file's identity checked, the map rebuilt. */
static int bench_cached(const char *label, const char *path, const char *cache)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load(path, &err);
	char *entry = cs_map_cache_file(path, cache), *buf;
	size_t len;
	double t[RUNS];

	if (!map || cs_make_dirs(cache) < 0 || cs_map_cache_encode(map, &buf, &len) < 0 ||
	    cs_write_file_atomic(entry, buf, len, &err) < 0) {
		printf("%-28s cannot make the entry: %s\n", label, err.msg);
		cs_map_free(map);
		free(entry);
		return -1;
	}
	free(buf);
	cs_map_free(map);
	for (int i = 0; i < RUNS; i++) {
		double t0 = now_us();
		bool hit = false;
		struct cs_map *m = cs_map_load_cached(path, cache, &hit, &err);

		t[i] = now_us() - t0;
		cs_map_free(m);
		if (!hit) {
			printf("%-28s the entry was not used\n", label);
			unlink(entry);
			free(entry);
			return -1;
		}
	}
	sort_times(t, RUNS);
	printf("%-28s median %8.0f us   min %8.0f us   max %8.0f us   (%d loads, %zu-byte entry)\n",
	       label, t[RUNS / 2], t[0], t[RUNS - 1], RUNS, len);
	unlink(entry);
	free(entry);
	return 0;
}

static int bench_load(const char *label, const char *path)
{
	double t[RUNS];

	for (int i = 0; i < RUNS; i++) {
		struct cs_error err = {0};
		double t0 = now_us();
		struct cs_map *map = cs_map_load(path, &err);

		t[i] = now_us() - t0;
		if (!map) {
			printf("%-28s error: %s:%u: %s\n", label, err.file, err.line, err.msg);
			return -1;
		}
		cs_map_free(map);
	}
	sort_times(t, RUNS);
	printf("%-28s median %8.0f us   min %8.0f us   max %8.0f us   (%d loads)\n", label,
	       t[RUNS / 2], t[0], t[RUNS - 1], RUNS);
	return 0;
}

int main(void)
{
	const char *src = "/usr/share/libvirt/cpu_map";
	char dir[] = "/tmp/cpuscope-bench-XXXXXX";
	char legacy[64], yaml[64], cache[64];
	struct cs_error err = {0};
	struct cs_map *map;
	struct rusage ru;
	struct stat st;
	int rc = 0;

	if (stat("/usr/share/libvirt/cpu_map/index.xml", &st) != 0)
		src = "tests/data/cpu_map-9.0.0";
	printf("map load (%s)\n", src);
	if (!mkdtemp(dir))
		return 1;
	snprintf(legacy, sizeof(legacy), "%s/cpu_map.xml", dir);
	snprintf(yaml, sizeof(yaml), "%s/cpu_map.yaml", dir);
	map = cs_map_load(src, &err);
	if (!map || cs_map_save(map, legacy, &err) < 0) {
		printf("cannot prepare the benchmark: %s:%u: %s\n", err.file, err.line, err.msg);
		cs_map_free(map);
		return 1;
	}
	if (cs_map_save(map, yaml, &err) < 0) {
		printf("YAML output unavailable: %s\n", err.msg);
		yaml[0] = '\0';
	}
	cs_map_free(map);
	rc |= bench_load("split XML directory", src);
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	rc |= bench_cached("split XML, from the cache", src, cache);
	rmdir(cache);
	rc |= bench_load("legacy single-file XML", legacy);
	if (yaml[0])
		rc |= bench_load("cpuscope YAML", yaml);
	getrusage(RUSAGE_SELF, &ru);
	printf("%-28s %ld KiB\n", "peak RSS", ru.ru_maxrss);
	unlink(legacy);
	if (yaml[0])
		unlink(yaml);
	rmdir(dir);
	return rc ? 1 : 0;
}
