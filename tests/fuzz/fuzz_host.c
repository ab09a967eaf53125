/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_host.c: cs_host_parse() (every host file kind) over the bundled map,
 * then the decodes a loaded host goes through */
#include <string.h>

#include "cpuscope/decode.h"
#include "cpuscope/host.h"
#include "fuzz.h"

FUZZ_INIT_WITH_MAP

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct cs_host *host;
	char *text;

	(void)cs_host_detect((const char *)data, size);
	host = cs_host_parse(fuzz_map(), (const char *)data, size, "fuzz-host", &err);
	fuzz_check(host != NULL, &err);
	if (!host)
		return 0;
	text = cs_host_format_text(host);
	free(text);
	if (host->has_data) {
		/* `cpuscope host --format cpudata` must write a dump it reads back. */
		struct cs_cpudata again;

		text = cs_cpudata_format_xml(&host->data, host->brand);
		cs_cpudata_init(&again);
		cs_error_clear(&err);
		if (fuzz_dump_has_items(&host->data) &&
		    cs_cpudata_parse_xml(text, strlen(text), "fuzz-out.xml", &again, &err) < 0) {
			cs_error_print(&err, "fuzz: cannot read back a written dump: ", stderr);
			abort();
		}
		cs_cpudata_release(&again);
		free(text);
	}
	if (host->arch) {
		struct cs_decoded d;

		memset(&d, 0, sizeof(d));
		cs_error_clear(&err);
		(void)cs_host_decode(host, &d, &err);
		memset(&d, 0, sizeof(d));
		cs_error_clear(&err);
		(void)cs_host_model(host, &d, &err);
	}
	cs_host_free(host);
	return 0;
}
