/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_cpudata_xml.c: cs_cpudata_parse_xml() on arbitrary bytes */
#include <string.h>

#include "cpuscope/host.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct cs_cpudata d;
	int rc;

	cs_cpudata_init(&d);
	rc = cs_cpudata_parse_xml((const char *)data, size, "fuzz.xml", &d, &err);
	fuzz_check(rc == 0, &err);
	if (rc == 0) {
		char *out = cs_cpudata_format_xml(&d, "fuzz");
		struct cs_cpudata again;

		/* What we write, we read back (all-zero items are left out, and a
		 * dump of nothing but those is refused). */
		cs_cpudata_init(&again);
		cs_error_clear(&err);
		if (fuzz_dump_has_items(&d) &&
		    cs_cpudata_parse_xml(out, strlen(out), "fuzz-out.xml", &again, &err) < 0) {
			cs_error_print(&err, "fuzz: cannot read back a written dump: ", stderr);
			abort();
		}
		cs_cpudata_release(&again);
		free(out);
	} else if (d.nitems) {
		fprintf(stderr, "fuzz: failed parse left items behind\n");
		abort();
	}
	cs_cpudata_release(&d);
	return 0;
}
