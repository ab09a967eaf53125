/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_brand.c: the host's brand string the explorer's header and summary show */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/host.h"
#include "cpuscope/host_brand.h"
#include "test_util.h"
#include "tui/engine.h"

#define DUMPS "tests/data/cputest/"

static void test_regs(void **state)
{
	uint32_t regs[12] = {0};
	char *b;

	(void)state;
	assert_null(cs_brand_from_regs(regs));
	/* "  Some CPU @ 1GHz" padded with blanks, as CPUs pad it */
	memset(regs, ' ', sizeof(regs));
	memcpy(regs, "  Some CPU @ 1GHz", 17);
	b = cs_brand_from_regs(regs);
	assert_string_equal(b, "Some CPU @ 1GHz");
	free(b);
	/* control bytes become blanks */
	memset(regs, ' ', sizeof(regs));
	memcpy(regs, "A\001B\033[2JC", 9);
	b = cs_brand_from_regs(regs);
	assert_string_equal(b, "A B [2JC");
	free(b);
}

static void test_files_and_replay(void **state)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load("tests/data/cpu_map-9.0.0", &err);
	struct cs_host_opts o = {.from = CS_HOST_FROM_FILE};
	struct engine_host_opts eo = {DUMPS "x86_64-cpuid-Xeon-Platinum-8268.xml", NULL};
	struct cs_cpudata data;
	struct cs_cpuid_replay rp;
	struct cs_cpuid_source src;
	struct cs_probe_env env = {0};
	char buf[160], *b, *text;
	size_t len;

	(void)state;
	assert_non_null(map);
	/* a CPUID dump: its leaves 0x80000002..4 */
	o.file = DUMPS "x86_64-cpuid-EPYC-7713-64-Core.xml";
	b = cs_host_brand(map, &o);
	assert_string_equal(b, "AMD EPYC 7713 64-Core Processor");
	free(b);
	engine_host_brand(map, &eo, buf, sizeof(buf));
	assert_string_equal(buf, "Intel(R) Xeon(R) Platinum 8268 CPU @ 2.90GHz");
	/* a <cpu> file holds none */
	o.file = DUMPS "x86_64-cpuid-Xeon-Platinum-8268-host.xml";
	assert_null(cs_host_brand(map, &o));
	/* the probe, replaying a dump as the CPUID instruction */
	text = read_text(DUMPS "x86_64-cpuid-EPYC-7713-64-Core.xml", &len);
	assert_non_null(text);
	cs_cpudata_init(&data);
	assert_int_equal(cs_cpudata_parse_xml(text, len, "dump", &data, &err), 0);
	rp.data = &data;
	rp.strict = false;
	cs_cpuid_source_replay(&src, &rp);
	env.cpuid = &src;
	o.from = CS_HOST_FROM_PROBE;
	o.source = CS_HOST_SOURCE_CPUID;
	o.env = &env;
	b = cs_host_brand(map, &o);
	assert_string_equal(b, "AMD EPYC 7713 64-Core Processor");
	free(b);
	cs_cpudata_release(&data);
	free(text);
	cs_map_free(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_regs),
	        cmocka_unit_test(test_files_and_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
