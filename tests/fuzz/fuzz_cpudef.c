/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_cpudef.c: cs_cpudef_parse() over the bundled libvirt 9.0 map
 *
 * The first byte picks the flags; the rest is the XML. */
#include "cpuscope/cpudef.h"
#include "fuzz.h"

FUZZ_INIT_WITH_MAP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cs_map *map = fuzz_map();
	struct cs_error err = {0};
	struct cs_cpudef **defs = NULL;
	size_t ndefs = 0;
	unsigned flags;
	int rc;

	if (size < 1)
		return 0;
	flags = data[0] &
	        (CS_CPUDEF_AS_HOST | CS_CPUDEF_AS_GUEST | CS_CPUDEF_STRICT | CS_CPUDEF_FIRST);
	if ((flags & CS_CPUDEF_AS_HOST) && (flags & CS_CPUDEF_AS_GUEST))
		flags &= ~CS_CPUDEF_AS_GUEST;
	rc = cs_cpudef_parse(map, (const char *)data + 1, size - 1, "fuzz.xml", flags, &defs,
	                     &ndefs, &err);
	fuzz_check(rc == 0, &err);
	for (size_t i = 0; rc == 0 && i < ndefs; i++) {
		struct cs_cpudef *copy = cs_cpudef_copy(defs[i]);
		char *text = cs_cpudef_format(defs[i], 0);

		free(text);
		cs_cpudef_free(copy);
	}
	cs_cpudef_list_free(defs, ndefs);
	return 0;
}
