/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_host_fixture.h: loading hosts and checking their decode, shared by the host tests */
#ifndef CPUSCOPE_TEST_HOST_FIXTURE_H
#define CPUSCOPE_TEST_HOST_FIXTURE_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/host.h"
#include "test_map_fixture.h"

#define DATA    "tests/data/"
#define CPUTEST DATA "cputest/"
#define NESTED  CPUTEST "host-nested-epyc/"

/* The host XML of a decode, compared with a file. */
static inline void assert_host_xml(const struct cs_host *h, const char *expect_path,
                                   bool host_model)
{
	struct cs_decoded d;
	struct cs_error err = {0};
	char *got, *want;

	if ((host_model ? cs_host_model(h, &d, &err) : cs_host_decode(h, &d, &err)) < 0)
		fail_msg("decode: %s", err.msg);
	got = cs_decoded_format_xml(
	        h->arch, &d, host_model ? CS_CPU_XML_HOST_MODEL : CS_CPU_XML_HOST, h->arch_name);
	want = slurp(expect_path, NULL);
	if (strcmp(got, want))
		fail_msg("differs from %s:\n%s", expect_path, got);
	free(got);
	free(want);
}

static inline struct cs_host *load_ok(const char *path)
{
	struct cs_error err = {0};
	struct cs_host *h = cs_host_load(map, path, &err);

	if (!h)
		fail_msg("%s: %s:%u: %s", path, err.file, err.line, err.msg);
	return h;
}

#endif
