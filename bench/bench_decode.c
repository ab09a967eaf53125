/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench_decode.c: decode time of one host against the whole map, and probe time per source */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/decode.h"
#include "cpuscope/host.h"

#include "bench_util.h"

#define MAP_PATH "tests/data/cpu_map-9.0.0"
#define DUMP     "tests/data/cputest/x86_64-cpuid-Xeon-w7-3465X.xml"
#define NESTED   "tests/data/cputest/host-nested-epyc/"
#define DECODES  20000
#define PROBES   25

/* Median over batches of n decodes each, per decode. */
static void bench_decode(const char *label, const struct cs_arch *arch,
                         const struct cs_cpu_facts *facts, const struct cs_decode_opts *opts)
{
	enum { BATCHES = 21 };
	double t[BATCHES];
	volatile unsigned sink = 0;

	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_us();

		for (int i = 0; i < DECODES / BATCHES; i++) {
			struct cs_decoded d;

			if (cs_decode(arch, facts, opts, &d, NULL) == 0)
				sink += (unsigned)d.model;
		}
		t[b] = (now_us() - t0) / (DECODES / BATCHES);
	}
	sort_times(t, BATCHES);
	/* Printing the sink keeps the decodes from being optimised away. */
	printf("%-34s median %7.2f us   min %7.2f us   (%zu models, target < 20 us)%s\n", label,
	       t[BATCHES / 2], t[0], arch->nmodels, sink == 0xffffffffu ? " " : "");
}

static void bench_probe(const char *label, const struct cs_map *map, enum cs_host_source src,
                        const char *file)
{
	double t[PROBES];
	struct cs_probe_env env = {.no_fallback = true};

	for (int i = 0; i < PROBES; i++) {
		struct cs_error err = {0};
		double t0 = now_us();
		struct cs_host *h =
		        file ? cs_host_load(map, file, &err) : cs_host_probe(map, src, &env, &err);

		t[i] = now_us() - t0;
		if (!h) {
			printf("%-34s unavailable: %s\n", label, err.msg);
			return;
		}
		cs_host_free(h);
	}
	sort_times(t, PROBES);
	printf("%-34s median %7.0f us   min %7.0f us   (%d runs)\n", label, t[PROBES / 2], t[0],
	       PROBES);
}

int main(void)
{
	struct cs_error err = {0};
	const char *path = getenv("CPUSCOPE_MAP") ? getenv("CPUSCOPE_MAP") : MAP_PATH;
	struct cs_map *map = cs_map_load(path, &err);
	struct cs_host *h;
	struct cs_decode_opts host = {.mode = CS_DECODE_HOST};
	struct cs_decode_opts guest = {.mode = CS_DECODE_GUEST};

	if (!map) {
		fprintf(stderr, "bench_decode: cannot load %s: %s\n", path, err.msg);
		return 1;
	}
	h = cs_host_load(map, DUMP, &err);
	if (!h) {
		fprintf(stderr, "bench_decode: cannot load %s: %s\n", DUMP, err.msg);
		cs_map_free(map);
		return 1;
	}
	printf("decode (Xeon w7-3465X dump, map %s)\n", path);
	bench_decode("  host mode, every model", h->arch, &h->facts, &host);
	bench_decode("  guest mode, every model", h->arch, &h->facts, &guest);
	cs_host_free(h);

	printf("probe / load per source\n");
	bench_probe("  cpuid (CPUID + MSR 0x10a)", map, CS_HOST_SOURCE_CPUID, NULL);
	bench_probe("  kvm (/dev/kvm ioctls + CPUID)", map, CS_HOST_SOURCE_KVM, NULL);
	bench_probe("  cpuinfo (/proc/cpuinfo)", map, CS_HOST_SOURCE_CPUINFO, NULL);
	bench_probe("  file: libvirt CPUID dump", map, CS_HOST_SOURCE_FILE, DUMP);
	bench_probe("  file: cpuid -r output", map, CS_HOST_SOURCE_FILE, NESTED "cpuid-r.txt");
	bench_probe("  file: virsh capabilities", map, CS_HOST_SOURCE_FILE,
	            NESTED "capabilities.xml");
	bench_probe("  file: virsh domcapabilities", map, CS_HOST_SOURCE_FILE,
	            NESTED "domcapabilities.xml");
	cs_map_free(map);
	return 0;
}
