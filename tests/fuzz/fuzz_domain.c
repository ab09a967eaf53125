/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_domain.c: cs_domain_get_cpu() and cs_domain_set_cpu() on a domain XML
 *
 * The <cpu> put in is that of tests/data/guest/guest-skylake.xml; what comes
 * out must be a domain XML whose <cpu> reads back as it. */
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/guest.h"
#include "fuzz.h"

static struct cs_cpudef *guest;
static char *guest_text;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cs_error err = {0};

	(void)argc;
	(void)argv;
	guest = cs_cpudef_load_one(fuzz_map(), CS_FUZZ_DATA "/guest/guest-skylake.xml",
	                           CS_CPUDEF_AS_GUEST, &err);
	if (!guest) {
		cs_error_print(&err, "fuzz: ", stderr);
		abort();
	}
	guest_text = cs_cpudef_format(guest, 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct cs_cpudef *cpu = NULL, *back = NULL;
	char *out = NULL, *text;
	size_t out_len = 0;
	int rc;

	rc = cs_domain_get_cpu(fuzz_map(), (const char *)data, size, "fuzz.xml", &cpu, &err);
	fuzz_check(rc == 0, &err);
	cs_error_clear(&err);
	rc = cs_domain_set_cpu((const char *)data, size, "fuzz.xml", guest, &out, &out_len, &err);
	fuzz_check(rc == 0, &err);
	if (rc < 0)
		goto done;
	if (out_len != strlen(out)) {
		fprintf(stderr, "fuzz: output length %zu, string length %zu\n", out_len,
		        strlen(out));
		abort();
	}
	cs_error_clear(&err);
	if (cs_domain_get_cpu(fuzz_map(), out, out_len, "fuzz-out.xml", &back, &err) < 0 || !back) {
		fprintf(stderr, "fuzz: the domain written does not read back: %s\n--\n%s\n",
		        err.msg[0] ? err.msg : "no <cpu>", out);
		abort();
	}
	text = cs_cpudef_format(back, 0);
	if (strcmp(text, guest_text)) {
		fprintf(stderr, "fuzz: the <cpu> read back differs:\n%s\n--\n%s\n", text,
		        guest_text);
		abort();
	}
	free(text);
done:
	cs_cpudef_free(back);
	cs_cpudef_free(cpu);
	free(out);
	return 0;
}
