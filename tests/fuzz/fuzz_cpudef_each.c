/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_cpudef_each.c: cs_cpudef_parse_each() over the bundled libvirt 9.0 map
 *
 * The first byte picks the flags and when the callback stops; the rest is
 * the XML. */
#include "cpuscope/cpudef.h"
#include "fuzz.h"

struct ctx {
	unsigned seen, stop_at;
};

static int each(void *opaque, struct cs_cpudef *def, struct cs_error *err)
{
	struct ctx *c = opaque;
	char *text = cs_cpudef_format(def, 2);

	(void)err;
	free(text);
	cs_cpudef_free(def);
	return ++c->seen == c->stop_at ? 1 : 0;
}

FUZZ_INIT_WITH_MAP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct ctx c = {0};
	unsigned flags;
	int rc;

	if (size < 1)
		return 0;
	flags = data[0] & (CS_CPUDEF_AS_HOST | CS_CPUDEF_AS_GUEST | CS_CPUDEF_STRICT);
	if ((flags & CS_CPUDEF_AS_HOST) && (flags & CS_CPUDEF_AS_GUEST))
		flags &= ~CS_CPUDEF_AS_GUEST;
	c.stop_at = data[0] >> 4;
	rc = cs_cpudef_parse_each(fuzz_map(), (const char *)data + 1, size - 1, "fuzz.xml", flags,
	                          each, &c, &err);
	fuzz_check(rc == 0, &err);
	return 0;
}
