/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_baseline.c: cpu-baseline on fixed cases whose answers virsh gave (libvirt-semantics.md §8)
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpuscope/compare.h"
#include "cpuscope/guest.h"
#include "test_map_fixture.h"

#define CASES_DIR "tests/data/guest/baseline"

/* The file of case name with extension ext, or NULL when it does not exist. */
static char *read_case(const char *name, const char *ext)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s%s", CASES_DIR, name, ext);
	return read_text(path, NULL);
}

/* Baseline a case the way the CLI does and return what it would print:
 * virsh's output (element plus a blank line), or the bare error message. */
static char *run(const char *name, const struct cs_baseline_opts *opts, bool *failed)
{
	char path[1024], *out;
	struct cs_cpudef **defs = NULL, *res;
	size_t n = 0;
	struct cs_error err = {0};

	snprintf(path, sizeof(path), "%s/%s.xml", CASES_DIR, name);
	*failed = true;
	if (cs_cpudef_load(map, path, 0, CS_CPUDEF_AS_HOST, &defs, &n, &err) < 0)
		return strdup(err.msg);
	res = cs_baseline_cpus(map, defs, n, opts, &err);
	cs_cpudef_list_free(defs, n);
	if (!res)
		return strdup(err.msg);
	*failed = false;
	{
		char *text = cs_cpudef_format(res, 0);

		out = malloc(strlen(text) + 2);
		assert_non_null(out);
		sprintf(out, "%s\n", text);
		free(text);
	}
	cs_cpudef_free(res);
	return out;
}

static int check_output(const char *name, const char *what, const struct cs_baseline_opts *opts,
                        const char *want)
{
	bool failed;
	char *got = run(name, opts, &failed);
	int bad = failed || strcmp(got, want) != 0;

	if (bad)
		fprintf(stderr, "%s (%s):\n--- virsh\n%s--- cpuscope\n%s\n---\n", name, what, want,
		        got);
	free(got);
	return bad;
}

static void test_fixed_cases(void **state)
{
	DIR *d = opendir(CASES_DIR);
	struct dirent *e;
	unsigned cases = 0, bad = 0, errors = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char name[512], *err_text, *want;
		size_t l = strlen(e->d_name);

		if (l < 5 || strcmp(e->d_name + l - 4, ".xml") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(l - 4), e->d_name);
		cases++;
		err_text = read_case(name, ".err");
		if (err_text) {
			/* "error: <category>: MESSAGE\n" */
			const char *msg = strchr(err_text + 7, ':');
			struct cs_baseline_opts none = {0};
			bool failed;
			char *got = run(name, &none, &failed);

			assert_non_null(msg);
			msg += 2;
			err_text[strcspn(err_text, "\n")] = '\0';
			if (!failed || strcmp(got, msg) != 0) {
				fprintf(stderr, "%s: want error '%s', got '%s'\n", name, msg, got);
				bad++;
			}
			errors++;
			free(got);
			free(err_text);
			continue;
		}
		want = read_case(name, ".out");
		assert_non_null(want);
		bad += check_output(name, "plain", &(struct cs_baseline_opts){0}, want);
		free(want);
		want = read_case(name, ".features.out");
		if (want)
			bad += check_output(name, "--features",
			                    &(struct cs_baseline_opts){.expand_features = true},
			                    want);
		free(want);
		want = read_case(name, ".migratable.out");
		if (want)
			bad += check_output(
			        name, "--migratable (qemu)",
			        &(struct cs_baseline_opts){.migratable = true, .qemu = true}, want);
		free(want);
	}
	closedir(d);
	fprintf(stderr, "%u fixed cases (%u errors), %u mismatches\n", cases, errors, bad);
	assert_true(cases >= 19);
	assert_int_equal(bad, 0);
}

static void test_streaming_and_edges(void **state)
{
	struct cs_cpudef *a = parse_cpu("<cpu><arch>x86_64</arch><model>Penryn</model>"
	                                "<vendor>Intel</vendor></cpu>",
	                                CS_CPUDEF_AS_HOST),
	                 *b = parse_cpu("<cpu><arch>x86_64</arch><model>Opteron_G3</model></cpu>",
	                                CS_CPUDEF_AS_HOST);
	struct cs_baseline bl;
	struct cs_error err = {0};
	struct cs_cpudef *res;
	char *text;

	(void)state;
	/* No CPUs. */
	cs_baseline_init(&bl, map, NULL);
	assert_null(cs_baseline_finish(&bl, &err));
	assert_string_equal(err.msg, "no CPUs given");
	cs_baseline_release(&bl);

	/* The same CPU many times: its own model, forbid. */
	cs_baseline_init(&bl, map, NULL);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(cs_baseline_add(&bl, a, NULL), 0);
	res = cs_baseline_finish(&bl, NULL);
	assert_non_null(res);
	text = cs_cpudef_format(res, 0);
	assert_string_equal(text, "<cpu mode='custom' match='exact'>\n"
	                          "  <model fallback='forbid'>Penryn</model>\n"
	                          "  <vendor>Intel</vendor>\n"
	                          "</cpu>\n");
	free(text);
	cs_cpudef_free(res);
	cs_baseline_release(&bl);

	/* Penryn (Intel) with an AMD model and no vendor tag: the model's vendor counts. */
	{
		struct cs_cpudef *both[] = {a, b};

		err.code = CS_ERR_NONE;
		assert_null(cs_baseline_cpus(map, both, 2, NULL, &err));
		assert_string_equal(err.msg, "CPU vendors do not match");
	}
	cs_baseline_release(NULL);
	cs_cpudef_free(a);
	cs_cpudef_free(b);
}

static void test_expand_and_filter(void **state)
{
	struct cs_cpudef *def = parse_cpu("<cpu><arch>x86_64</arch><model>486</model>"
	                                  "<feature name='osxsave'/><feature name='cmt'/>"
	                                  "<feature name='sse2'/></cpu>",
	                                  CS_CPUDEF_AS_HOST);
	char *text;

	(void)state;
	cs_cpudef_filter_qemu(def);
	text = cs_cpudef_format(def, 0);
	assert_string_equal(text, "<cpu>\n  <arch>x86_64</arch>\n  <model>486</model>\n"
	                          "  <feature name='sse2'/>\n</cpu>\n");
	free(text);
	cs_cpudef_expand_features(def);
	text = cs_cpudef_format(def, 0);
	assert_string_equal(text, "<cpu>\n  <arch>x86_64</arch>\n  <model>486</model>\n"
	                          "  <feature name='fpu'/>\n  <feature name='pse'/>\n"
	                          "  <feature name='sse2'/>\n  <feature name='vme'/>\n</cpu>\n");
	free(text);
	cs_cpudef_free(def);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_fixed_cases),
	        cmocka_unit_test(test_streaming_and_edges),
	        cmocka_unit_test(test_expand_and_filter),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
