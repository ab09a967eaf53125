/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_domain.c: writing a guest <cpu> into domain XML, byte-identical elsewhere */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpuscope/guest.h"
#include "test_map_fixture.h"

#define DATA_DIR "tests/data/guest"

static struct cs_cpudef *load_cpu(const char *path)
{
	struct cs_error err = {0};
	struct cs_cpudef *def = cs_cpudef_load_one(map, path, 0, &err);

	if (!def)
		cs_error_print(&err, "load: ", stderr);
	assert_non_null(def);
	return def;
}

static char *set_cpu(const char *buf, const struct cs_cpudef *def)
{
	char *out = NULL;
	size_t out_len = 0;
	struct cs_error err = {0};

	if (cs_domain_set_cpu(buf, strlen(buf), "dom.xml", def, &out, &out_len, &err) < 0) {
		cs_error_print(&err, "set: ", stderr);
		fail();
	}
	assert_int_equal(strlen(out), out_len);
	return out;
}

/* Everything before "<cpu" and after "</cpu>" (or "/>") of the old text
 * must be in the new text unchanged. */
static void assert_same_outside(const char *old, const char *new_text)
{
	const char *start = strstr(old, "<cpu"), *end = strstr(old, "</cpu>");
	size_t pre, post;

	assert_non_null(start);
	end = end ? end + 6 : strstr(start, "/>") + 2;
	pre = (size_t)(start - old);
	post = strlen(end);
	assert_true(strlen(new_text) >= pre + post);
	assert_memory_equal(old, new_text, pre);
	assert_memory_equal(end, new_text + strlen(new_text) - post, post);
}

static void assert_golden(const char *got, const char *golden)
{
	char *want = slurp(golden, NULL);

	if (strcmp(got, want) != 0) {
		fprintf(stderr, "--- %s\n%s--- got\n%s---\n", golden, want, got);
		free(want);
		fail();
	}
	free(want);
}

static void test_round_trip(void **state)
{
	size_t len;
	char *buf = slurp(DATA_DIR "/domain-numa.xml", &len), *out;
	struct cs_cpudef *own = NULL;

	(void)state;
	assert_int_equal(cs_domain_get_cpu(map, buf, len, "dom.xml", &own, NULL), 0);
	assert_non_null(own);
	out = set_cpu(buf, own);
	assert_string_equal(out, buf);
	free(out);
	cs_cpudef_free(own);
	free(buf);
}

static void test_replace_keeps_layout(void **state)
{
	char *buf = slurp(DATA_DIR "/domain-numa.xml", NULL), *out;
	struct cs_cpudef *guest = load_cpu(DATA_DIR "/guest-skylake.xml"), *old = NULL;

	(void)state;
	assert_int_equal(cs_domain_get_cpu(map, buf, strlen(buf), "d", &old, NULL), 0);
	/* As given: only the guest's own element. */
	out = set_cpu(buf, guest);
	assert_same_outside(buf, out);
	assert_null(strstr(out, "<numa>"));
	assert_non_null(strstr(out, "  <cpu mode='custom' match='exact' check='full'>\n"
	                            "    <model fallback='forbid'>Skylake-Client-IBRS</model>\n"));
	free(out);
	/* Keeping the old element's topology, cache and numa. */
	cs_cpudef_keep_layout(guest, old);
	out = set_cpu(buf, guest);
	assert_same_outside(buf, out);
	assert_golden(out, DATA_DIR "/domain-numa.applied.xml");
	free(out);
	cs_cpudef_free(old);
	cs_cpudef_free(guest);
	free(buf);
}

static void test_insert(void **state)
{
	char *buf = slurp(DATA_DIR "/domain-nocpu.xml", NULL), *out;
	struct cs_cpudef *guest = load_cpu(DATA_DIR "/guest-skylake.xml"), *old = NULL;
	size_t n;

	(void)state;
	assert_int_equal(cs_domain_get_cpu(map, buf, strlen(buf), "d", &old, NULL), 0);
	assert_null(old);
	out = set_cpu(buf, guest);
	/* The file's tab indentation is followed; nothing else moves. */
	assert_golden(out, DATA_DIR "/domain-nocpu.applied.xml");
	n = strlen(out) - strlen(buf);
	{
		const char *at = strstr(out, "\n\t<cpu");

		assert_non_null(at);
		assert_memory_equal(out, buf, (size_t)(at - out));
		assert_string_equal(at + n, buf + (at - out));
	}
	free(out);
	cs_cpudef_free(guest);
	free(buf);
}

static void test_insert_places(void **state)
{
	struct cs_cpudef *guest = load_cpu(DATA_DIR "/guest-skylake.xml");
	static const struct {
		const char *in, *out;
	} cases[] = {
	        /* after <features>, four-space indentation */
	        {"<domain type='kvm'>\n    <name>a</name>\n    <features>\n      <acpi/>\n"
	         "    </features>\n    <clock offset='utc'/>\n</domain>\n",
	         "<domain type='kvm'>\n    <name>a</name>\n    <features>\n      <acpi/>\n"
	         "    </features>\n    <cpu mode='custom' match='exact' check='full'>\n"
	         "        <model fallback='forbid'>Skylake-Client-IBRS</model>\n"
	         "        <feature policy='require' name='vmx'/>\n"
	         "        <feature policy='disable' name='hle'/>\n"
	         "        <feature policy='disable' name='rtm'/>\n    </cpu>\n"
	         "    <clock offset='utc'/>\n</domain>\n"},
	        /* nothing libvirt puts before <cpu>: before the first child */
	        {"<domain type='kvm'>\n  <devices/>\n</domain>\n",
	         "<domain type='kvm'>\n  <cpu mode='custom' match='exact' check='full'>\n"
	         "    <model fallback='forbid'>Skylake-Client-IBRS</model>\n"
	         "    <feature policy='require' name='vmx'/>\n"
	         "    <feature policy='disable' name='hle'/>\n"
	         "    <feature policy='disable' name='rtm'/>\n  </cpu>\n  <devices/>\n</domain>\n"},
	        /* no children at all */
	        {"<domain type='kvm'></domain>",
	         "<domain type='kvm'>\n  <cpu mode='custom' match='exact' check='full'>\n"
	         "    <model fallback='forbid'>Skylake-Client-IBRS</model>\n"
	         "    <feature policy='require' name='vmx'/>\n"
	         "    <feature policy='disable' name='hle'/>\n"
	         "    <feature policy='disable' name='rtm'/>\n  </cpu>\n</domain>"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = set_cpu(cases[i].in, guest);

		assert_string_equal(out, cases[i].out);
		free(out);
	}
	cs_cpudef_free(guest);
}

static void test_remove_and_inline(void **state)
{
	static const char dom[] = "<domain>\n  <name>a</name>\n  <cpu mode='host-model'/>\n"
	                          "  <clock/>\n</domain>\n";
	static const char inline_dom[] = "<domain><name>a</name><cpu mode='host-model'/><clock/>"
	                                 "</domain>";
	struct cs_cpudef *empty = cs_cpudef_new(map, cs_map_arch(map, "x86"), CS_CPU_TYPE_GUEST);
	struct cs_cpudef *pt = load_cpu(DATA_DIR "/guest-skylake.xml");
	char *out;

	(void)state;
	/* Nothing to say: the element goes, with its line. */
	out = set_cpu(dom, empty);
	assert_string_equal(out, "<domain>\n  <name>a</name>\n  <clock/>\n</domain>\n");
	free(out);
	/* A one-line domain: the element is replaced where it is. */
	pt->mode = CS_CPU_MODE_HOST_PASSTHROUGH;
	cs_cpudef_set_model(pt, -1);
	cs_cpudef_clear_features(pt);
	out = set_cpu(inline_dom, pt);
	assert_string_equal(out, "<domain><name>a</name><cpu mode='host-passthrough' "
	                         "check='full'/><clock/></domain>");
	assert_same_outside(inline_dom, out);
	free(out);
	cs_cpudef_free(pt);
	cs_cpudef_free(empty);
}

static void test_errors(void **state)
{
	static const struct {
		const char *xml, *msg;
		unsigned line;
		size_t len; /* of xml, when it holds a NUL byte (0: strlen) */
	} cases[] = {
	        {"<cpu><model>Haswell</model></cpu>", "not a domain XML", 1, 0},
	        {"<domain>\n<name>x</name>\n</domian>", "malformed XML", 3, 0},
	        {"<!DOCTYPE domain [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain>&e;</domain>",
	         "document type declarations", 1, 0},
	        /* libxml2 would take the NUL for the end of the text */
	        {"<domain>\n<name>x</name>\n</domain>\0\n", "NUL byte", 3, 35},
	};
	struct cs_cpudef *guest = load_cpu(DATA_DIR "/guest-skylake.xml");

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = (char *)1;
		size_t len = 1;
		struct cs_error err = {0};

		size_t xlen = cases[i].len ? cases[i].len : strlen(cases[i].xml);

		assert_int_equal(
		        cs_domain_set_cpu(cases[i].xml, xlen, "bad.xml", guest, &out, &len, &err),
		        -1);
		assert_null(out);
		assert_int_equal(len, 0);
		if (!strstr(err.msg, cases[i].msg) || err.line != cases[i].line) {
			fprintf(stderr, "case %zu: %u: %s\n", i, err.line, err.msg);
			fail();
		}
	}
	cs_cpudef_free(guest);
}

static void test_apply_file_atomic(void **state)
{
	char dir[] = "/tmp/cs-domain-XXXXXX", path[256], *before, *after;
	struct cs_cpudef *guest = load_cpu(DATA_DIR "/guest-skylake.xml");
	struct cs_error err = {0};
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dom.xml", dir);
	before = slurp(DATA_DIR "/domain-nocpu.xml", NULL);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(before, f);
	fclose(f);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(cs_domain_apply_file(path, guest, &err), 0);
	after = slurp(path, NULL);
	assert_golden(after, DATA_DIR "/domain-nocpu.applied.xml");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	free(after);
	free(before);

	/* A file that is not a domain is left as it was. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("<cpu><model>Haswell</model></cpu>\n", f);
	fclose(f);
	assert_int_equal(cs_domain_apply_file(path, guest, &err), -1);
	after = slurp(path, NULL);
	assert_string_equal(after, "<cpu><model>Haswell</model></cpu>\n");
	free(after);
	/* A missing file is an error, and nothing is created. */
	assert_int_equal(unlink(path), 0);
	err.code = CS_ERR_NONE;
	assert_int_equal(cs_domain_apply_file(path, guest, &err), -1);
	assert_int_equal(err.code, CS_ERR_IO);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(rmdir(dir), 0);
	cs_cpudef_free(guest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_replace_keeps_layout),
	        cmocka_unit_test(test_insert),
	        cmocka_unit_test(test_insert_places),
	        cmocka_unit_test(test_remove_and_inline),
	        cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_apply_file_atomic),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
