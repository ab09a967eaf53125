/* fuzz_host.c: cs_host_parse() (every host file kind) over the bundled map,
 * then the decodes a loaded host goes through */
#include <string.h>

#include "cpuscope/decode.h"
#include "cpuscope/host.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_map();
	return 0;
}

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
