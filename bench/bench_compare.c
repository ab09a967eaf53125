/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench_compare.c: time compare and the effective set per guest, and baseline of large pools */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/guest.h"
#include "cpuscope/start.h"

#include "bench_util.h"

#define NGUESTS 256
#define NPOOL   1024

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)((rng >> 16) % n);
}

static const char *map_path(void)
{
	const char *env = getenv("CPUSCOPE_MAP");

	if (env && *env)
		return env;
	return "tests/data/cpu_map-9.0.0";
}

/* A guest over a random model: a handful of features under every policy. */
static struct cs_cpudef *random_guest(const struct cs_map *map, const struct cs_arch *a)
{
	struct cs_cpudef *g = cs_cpudef_new(map, a, CS_CPU_TYPE_GUEST);
	unsigned n = 2 + rnd(12);

	cs_cpudef_set_model(g, (int)rnd((unsigned)a->nmodels));
	g->match = (enum cs_cpu_match)rnd(3);
	for (unsigned i = 0; i < n; i++)
		cs_cpudef_set_feature(g, rnd((unsigned)a->nfeatures), (enum cs_policy)rnd(5));
	return g;
}

/* A host around a model of one vendor: some features dropped, some added. */
static struct cs_cpudef *random_host(const struct cs_map *map, const struct cs_arch *a, int vendor)
{
	struct cs_cpudef *h = cs_cpudef_new(map, a, CS_CPU_TYPE_HOST);
	int m;

	do
		m = (int)rnd((unsigned)a->nmodels);
	while (a->models[m].vendor != vendor && a->models[m].vendor >= 0);
	cs_cpudef_set_model(h, m);
	cs_cpudef_set_vendor(h, vendor);
	for (unsigned i = rnd(8); i > 0; i--)
		cs_cpudef_set_feature(h, rnd((unsigned)a->nfeatures), CS_POLICY_NONE);
	return h;
}

static int add_cpu(void *ctx, struct cs_cpudef *def, struct cs_error *err)
{
	int rc = cs_baseline_add(ctx, def, err);

	cs_cpudef_free(def);
	return rc;
}

/* The start verdict (libvirt's start path and QEMU's steps), which the
 * explorer recomputes on every keystroke. */
static int bench_start(const struct cs_map *map, const struct cs_cpudef *host,
                       struct cs_cpudef *const *guests, unsigned long iters, unsigned long *sink)
{
	struct cs_hypervisor hv;
	struct cs_error err = {0};
	double t0, t;

	if (cs_hypervisor_from_cpus(&hv, map, host, NULL, CS_VIRT_KVM, &err) < 0) {
		cs_error_print(&err, "bench_compare: start: ", stderr);
		return -1;
	}
	t0 = now_us();
	for (unsigned long i = 0; i < iters; i++) {
		struct cs_start_input in = {guests[i % NGUESTS], 0, false};
		struct cs_start_verdict v;

		if (cs_start_verdict(&hv, &in, NULL, &v, NULL) == 0) {
			*sink += v.outcome;
			cs_start_verdict_release(&v);
		}
	}
	t = (now_us() - t0) / 1e6;
	printf("  start verdict:              %8.3f us per guest\n", t / (double)iters * 1e6);
	cs_hypervisor_release(&hv);
	return 0;
}

/* cpu-baseline of n hosts already parsed, for n = 1,000 to 100,000. */
static int bench_baseline(const struct cs_map *map, struct cs_cpudef *const *pool,
                          unsigned long *sink)
{
	struct cs_error err = {0};
	double t0, t;

	for (unsigned long n = 1000; n <= 100000; n *= 10) {
		struct cs_baseline_opts opts = {0};
		struct cs_baseline b;
		struct cs_cpudef *r;
		int reps = n == 1000 ? 100 : n == 10000 ? 10 : 3;

		t0 = now_us();
		for (int rep = 0; rep < reps; rep++) {
			cs_baseline_init(&b, map, &opts);
			for (unsigned long i = 0; i < n; i++)
				if (cs_baseline_add(&b, pool[i % NPOOL], &err) < 0)
					break;
			r = cs_baseline_finish(&b, &err);
			if (!r) {
				cs_error_print(&err, "bench_compare: baseline: ", stderr);
				return -1;
			}
			*sink += (unsigned long)r->model;
			cs_cpudef_free(r);
			cs_baseline_release(&b);
		}
		t = (now_us() - t0) / 1e6 / reps;
		printf("  baseline of %6lu hosts (in memory): %8.3f ms (%.3f us per host)\n", n,
		       t * 1e3, t / (double)n * 1e6);
	}
	return 0;
}

/* The same from XML text, as 'cpuscope baseline FILE' does it. */
static int bench_baseline_xml(const struct cs_map *map, struct cs_cpudef *const *pool,
                              unsigned long *sink)
{
	struct cs_error err = {0};
	double t0, t;
	char *texts[NPOOL];
	size_t lens[NPOOL];

	for (int i = 0; i < NPOOL; i++) {
		texts[i] = cs_cpudef_format(pool[i], 0);
		lens[i] = strlen(texts[i]);
	}
	for (unsigned long n = 1000; n <= 100000; n *= 100) {
		struct cs_baseline_opts opts = {0};
		struct cs_baseline b;
		struct cs_cpudef *r;
		size_t total = 0, at = 0;
		char *xml;

		for (unsigned long i = 0; i < n; i++)
			total += lens[i % NPOOL];
		xml = malloc(total + 1);
		if (!xml)
			return -1;
		for (unsigned long i = 0; i < n; i++) {
			memcpy(xml + at, texts[i % NPOOL], lens[i % NPOOL]);
			at += lens[i % NPOOL];
		}
		xml[at] = '\0';
		t0 = now_us();
		cs_baseline_init(&b, map, &opts);
		if (cs_cpudef_parse_each(map, xml, total, "pool.xml", CS_CPUDEF_AS_HOST, add_cpu,
		                         &b, &err) < 0 ||
		    !(r = cs_baseline_finish(&b, &err))) {
			cs_error_print(&err, "bench_compare: baseline: ", stderr);
			return -1;
		}
		t = (now_us() - t0) / 1e6;
		printf("  parse + baseline of %6lu hosts: %8.3f ms (%.2f MB of XML, %.3f us per "
		       "host)\n",
		       n, t * 1e3, (double)total / 1e6, t / (double)n * 1e6);
		*sink += (unsigned long)r->model;
		cs_cpudef_free(r);
		cs_baseline_release(&b);
		free(xml);
	}
	for (int i = 0; i < NPOOL; i++)
		free(texts[i]);
	return 0;
}

int main(void)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load(map_path(), &err);
	const struct cs_arch *a;
	struct cs_cpudef *host, *guests[NGUESTS], *pool[NPOOL];
	struct cs_compare_result res;
	struct cs_effective eff;
	unsigned long iters = 200000, sink = 0;
	double t0, t;
	int intel;

	if (!map) {
		cs_error_print(&err, "bench_compare: ", stderr);
		return 1;
	}
	a = cs_map_arch(map, "x86");
	intel = cs_arch_find_vendor(a, "Intel");
	host = random_host(map, a, intel);
	cs_cpudef_set_model(host, cs_arch_find_model(a, "Cascadelake-Server"));
	for (int i = 0; i < NGUESTS; i++)
		guests[i] = random_guest(map, a);

	printf("bench_compare (map %s, %zu features, %zu models)\n", map_path(), a->nfeatures,
	       a->nmodels);

	t0 = now_us();
	for (unsigned long i = 0; i < iters; i++) {
		cs_compare(host, guests[i % NGUESTS], &res, NULL);
		sink += res.compat;
	}
	t = (now_us() - t0) / 1e6;
	printf("  compare:                    %8.3f us per guest (%lu guests)\n",
	       t / (double)iters * 1e6, iters);

	t0 = now_us();
	for (unsigned long i = 0; i < iters; i++) {
		cs_guest_effective(guests[i % NGUESTS], host, &eff, NULL);
		sink += (unsigned long)eff.model;
	}
	t = (now_us() - t0) / 1e6;
	printf("  effective set:              %8.3f us per guest\n", t / (double)iters * 1e6);

	t0 = now_us();
	for (unsigned long i = 0; i < iters; i++) {
		struct cs_cpudef *g = guests[i % NGUESTS];
		unsigned id = (unsigned)(i % a->nfeatures);

		/* what the editor does on a keystroke: edit one policy, recompute */
		cs_cpudef_set_feature(g, id, CS_POLICY_REQUIRE);
		cs_compare(host, g, &res, NULL);
		cs_guest_effective(g, host, &eff, NULL);
		cs_cpudef_remove_feature(g, id);
		sink += res.compat;
	}
	t = (now_us() - t0) / 1e6;
	printf("  edit + compare + effective: %8.3f us per keystroke\n", t / (double)iters * 1e6);
	if (bench_start(map, host, guests, iters / 10, &sink) < 0)
		return 1;

	for (int i = 0; i < NPOOL; i++)
		pool[i] = random_host(map, a, intel);
	if (bench_baseline(map, pool, &sink) < 0 || bench_baseline_xml(map, pool, &sink) < 0)
		return 1;
	printf("  (checksum %lu)\n", sink);

	for (int i = 0; i < NGUESTS; i++)
		cs_cpudef_free(guests[i]);
	for (int i = 0; i < NPOOL; i++)
		cs_cpudef_free(pool[i]);
	cs_cpudef_free(host);
	cs_map_free(map);
	return 0;
}
