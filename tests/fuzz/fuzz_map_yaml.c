/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_map_yaml.c: cs_map_load_yaml_buffer() on arbitrary bytes */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load_yaml_buffer((const char *)data, size, "fuzz.yaml", &err);
	char *out = NULL;
	size_t len = 0;

	fuzz_check(map != NULL, &err);
	if (!map)
		return 0;
	/* A loaded map must serialise. */
	cs_error_clear(&err);
	if (cs_map_to_yaml(map, &out, &len, &err) < 0) {
		cs_error_print(&err, "fuzz: cannot write a loaded map as YAML: ", stderr);
		abort();
	}
	free(out);
	out = NULL;
	if (cs_map_to_legacy_xml(map, &out, &len, &err) < 0) {
		cs_error_print(&err, "fuzz: cannot write a loaded map as XML: ", stderr);
		abort();
	}
	free(out);
	cs_map_free(map);
	return 0;
}
