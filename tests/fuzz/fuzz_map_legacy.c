/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_map_legacy.c: a single-file XML map from memory, written back as
 * legacy XML, must read back (the round trip `convert` relies on) */
#include <stdio.h>
#include <string.h>

#include "cpuscope/cpumap.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct cs_map *map, *again;
	char *out = NULL;
	size_t len = 0;

	map = cs_map_load_xml_buffer((const char *)data, size, "/tmp/fuzz.xml", &err);
	if (!map)
		return 0;
	if (cs_map_to_legacy_xml(map, &out, &len, &err) == 0) {
		cs_error_clear(&err);
		again = cs_map_load_xml_buffer(out, len, "/tmp/again.xml", &err);
		if (!again) {
			fprintf(stderr, "written map does not read back: %s:%u: %s\n", err.file,
			        err.line, err.msg);
			abort();
		}
		cs_map_free(again);
	}
	free(out);
	cs_map_free(map);
	return 0;
}
