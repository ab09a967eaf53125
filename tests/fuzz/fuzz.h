/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz.h: shared helpers for the libFuzzer harnesses */
#ifndef CPUSCOPE_FUZZ_H
#define CPUSCOPE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/host.h"

#ifndef CS_FUZZ_DATA
#define CS_FUZZ_DATA "tests/data"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The bundled libvirt 9.0 map, loaded once (the harness stops if it cannot). */
static inline const struct cs_map *fuzz_map(void)
{
	static struct cs_map *map;
	struct cs_error err = {0};

	if (map)
		return map;
	map = cs_map_load(CS_FUZZ_DATA "/cpu_map-9.0.0", &err);
	if (!map) {
		cs_error_print(&err, "fuzz: ", stderr);
		abort();
	}
	return map;
}

/* The LLVMFuzzerInitialize of a harness that needs only the map: it is
 * loaded once, before the first input, so that no input pays for it. */
#define FUZZ_INIT_WITH_MAP                                \
	int LLVMFuzzerInitialize(int *argc, char ***argv) \
	{                                                 \
		(void)argc;                               \
		(void)argv;                               \
		fuzz_map();                               \
		return 0;                                 \
	}

/* A successful parse must not leave an error set, and a failed one must
 * say what went wrong. */
static inline void fuzz_check(int ok, const struct cs_error *err)
{
	if (ok && cs_error_isset(err)) {
		fprintf(stderr, "fuzz: success with an error set: %s\n", err->msg);
		abort();
	}
	if (!ok && (!cs_error_isset(err) || !err->msg[0])) {
		fprintf(stderr, "fuzz: failure without an error message\n");
		abort();
	}
}

/* True when d has an item that cs_cpudata_format_xml() writes (it leaves
 * out all-zero items, and a dump of nothing is refused on reading). */
static inline bool fuzz_dump_has_items(const struct cs_cpudata *d)
{
	for (size_t i = 0; i < d->nitems; i++)
		if (d->items[i].reg[0] | d->items[i].reg[1] | d->items[i].reg[2] |
		    d->items[i].reg[3])
			return true;
	return false;
}

#endif
