/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_cpuid_raw.c: cs_cpudata_parse_cpuid_raw() on arbitrary bytes */
#include "cpuscope/host.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct cs_cpudata d;
	int rc;

	cs_cpudata_init(&d);
	rc = cs_cpudata_parse_cpuid_raw((const char *)data, size, "fuzz.txt", &d, &err);
	fuzz_check(rc == 0, &err);
	if (rc != 0 && d.nitems) {
		fprintf(stderr, "fuzz: failed parse left items behind\n");
		abort();
	}
	cs_cpudata_release(&d);
	return 0;
}
