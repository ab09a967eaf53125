/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_escape.c: one rule per output syntax, the exports that use them, and the legacy XML round
 * trip */
#include "cpuscope/cpudef.h"
#include "cpuscope/escape.h"
#include "cpuscope/export.h"
#include "cpuscope/fileio.h"
#include "cpuscope/xalloc.h"
#include "test_util.h"

static void test_qemu_names(void **state)
{
	(void)state;
	assert_true(cs_qemu_name_ok("Skylake-Client-IBRS"));
	assert_true(cs_qemu_name_ok("sse4.1"));
	assert_true(cs_qemu_name_ok("486"));
	assert_false(cs_qemu_name_ok(""));
	assert_false(cs_qemu_name_ok("M,x,file=/etc/passwd=on"));
	assert_false(cs_qemu_name_ok("a b"));
	assert_false(cs_qemu_name_ok("a\nb"));
	assert_false(cs_qemu_name_ok("O'Brien"));
	assert_true(cs_optlist_value_ok("a$(reboot)cd"));
	assert_false(cs_optlist_value_ok("a,b"));
	assert_false(cs_optlist_value_ok("a=b"));
	assert_false(cs_optlist_value_ok("a\x1b"));
}

static void test_qemu_option_syntax(void **state)
{
	char *v;

	(void)state;
	v = cs_qemu_opt_escape("M,x,file=/etc/passwd=on");
	assert_string_equal(v, "M,,x,,file=/etc/passwd=on");
	free(v);
	v = cs_qemu_opt_escape("Westmere");
	assert_string_equal(v, "Westmere");
	free(v);
}

static void test_ini_values(void **state)
{
	(void)state;
	assert_true(cs_ini_value_ok("Westmere"));
	assert_false(cs_ini_value_ok("x\n[DEFAULT]"));
	assert_false(cs_ini_value_ok("[DEFAULT]"));
	assert_false(cs_ini_value_ok("x\ry"));
	assert_false(cs_ini_value_ok("# comment"));
}

static void assert_str(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void test_shell_quote(void **state)
{
	(void)state;
	assert_str(cs_shell_quote("clearxml=yes,model=Westmere"), "clearxml=yes,model=Westmere");
	assert_str(cs_shell_quote("a$(reboot)cd"), "'a$(reboot)cd'");
	assert_str(cs_shell_quote("O'Brien"), "'O'\\''Brien'");
	assert_str(cs_shell_quote(""), "''");
	assert_str(cs_shell_quote("a b;c"), "'a b;c'");
}

static void test_term_text(void **state)
{
	(void)state;
	assert_str(cs_term_text("Intel\x1b]0;x\x07 CPU"), "Intel\\x1b]0;x\\x07 CPU");
	assert_str(cs_term_text("caf\xc3\xa9"), "caf\xc3\xa9");
	/* C1 controls, as UTF-8 and as lone bytes */
	assert_str(cs_term_text("a\xc2\x9b"
	                        "1m"),
	           "a\\xc2\\x9b1m");
	assert_str(cs_term_text("a\x9b"), "a\\x9b");
	assert_str(cs_term_text("a\nb\x7f"), "a\\x0ab\\x7f");
	assert_str(cs_term_lines("a\nb\tc\x1b"), "a\nb\tc\\x1b");
}

/* The bundled YAML map's text with its Westmere renamed to name. */
static char *renamed_map(const char *name)
{
	static const char key[] = "name: Westmere\n";
	char *yaml = NULL, *text;
	const char *at;
	size_t len;

	if (cs_read_file("maps/libvirt-9.0.0.yaml", CS_MAX_FILE_SIZE, &yaml, &len, NULL) < 0)
		fail_msg("cannot read the bundled map");
	at = strstr(yaml, key);
	if (!at)
		fail_msg("no Westmere in the bundled map");
	text = cs_xasprintf("%.*sname: \"%s\"\n%s", (int)(at - yaml), yaml, name, at + strlen(key));
	free(yaml);
	return text;
}

/* A map whose Westmere is renamed to name, and a guest naming it (name
 * holds no '<' or '&'). */
static struct cs_cpudef *guest_with_model(struct cs_map **map, const char *name)
{
	size_t ndefs = 0;
	char *text = renamed_map(name), *xml;
	struct cs_error err = {0};
	struct cs_cpudef **defs = NULL, *def;

	*map = cs_map_load_yaml_buffer(text, strlen(text), "evil.yaml", &err);
	if (!*map)
		fail_msg("%s:%u: %s", err.file, err.line, err.msg);
	xml = cs_xasprintf("<cpu mode='custom'><model>%s</model></cpu>", name);
	if (cs_cpudef_parse(*map, xml, strlen(xml), "guest.xml", CS_CPUDEF_AS_GUEST, &defs, &ndefs,
	                    &err) < 0)
		fail_msg("%s:%u: %s", err.file, err.line, err.msg);
	assert_int_equal(ndefs, 1);
	def = defs[0];
	free(defs);
	free(xml);
	free(text);
	return def;
}

/* Well-formed UTF-8 only: what libxml2 and libyaml would accept. */
static void test_utf8_valid(void **state)
{
	static const char *const good[] = {"",
	                                   "avx512-bf16",
	                                   "caf\xc3\xa9",
	                                   "\xe2\x82\xac",
	                                   "\xf0\x9f\x98\x80",
	                                   "\xf4\x8f\xbf\xbf",
	                                   "\xed\x9f\xbf"};
	static const char *const bad[] = {
	        "\x80",             /* a stray continuation byte */
	        "\xc3",             /* cut short */
	        "\xc0\xaf",         /* overlong '/' */
	        "\xe0\x80\xaf",     /* overlong, three bytes */
	        "\xf0\x80\x80\xaf", /* overlong, four bytes */
	        "\xed\xa0\x80",     /* a surrogate */
	        "\xf4\x90\x80\x80", /* beyond U+10FFFF */
	        "\xf5\x80\x80\x80",
	        "a\xff"
	        "b",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(cs_utf8_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(cs_utf8_valid(bad[i]));
}

static void test_exports_refuse_bad_names(void **state)
{
	struct cs_map *map;
	struct cs_cpudef *def = guest_with_model(&map, "M,x,file=/etc/passwd=on");
	char *notes = NULL;

	(void)state;
	assert_null(cs_export_virt_xml(def, &notes));
	assert_non_null(strstr(notes, "refused"));
	free(notes);
	assert_null(cs_export_kubevirt(def, &notes));
	free(notes);
	assert_null(cs_export_proxmox(def, "x", &notes));
	free(notes);
	assert_null(cs_export_nova(def, &notes));
	free(notes);
	cs_cpudef_free(def);
	cs_map_free(map);
}

/* convert to legacy XML, read back: a name with a quote survives. */
static void test_legacy_xml_round_trip(void **state)
{
	struct cs_error err = {0};
	size_t xlen;
	char *text = renamed_map("O'Brien & <co>"), *xml = NULL;
	struct cs_map *map, *again;

	(void)state;
	map = cs_map_load_yaml_buffer(text, strlen(text), "ob.yaml", &err);
	assert_non_null(map);
	assert_int_equal(cs_map_to_legacy_xml(map, &xml, &xlen, &err), 0);
	again = cs_map_load_xml_buffer(xml, xlen, "maps/ob.xml", &err);
	if (!again)
		fail_msg("%s:%u: %s", err.file, err.line, err.msg);
	assert_true(cs_arch_find_model(&again->arches[0], "O'Brien & <co>") >= 0);
	cs_map_free(again);
	cs_map_free(map);
	free(xml);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_qemu_names),
	        cmocka_unit_test(test_qemu_option_syntax),
	        cmocka_unit_test(test_ini_values),
	        cmocka_unit_test(test_shell_quote),
	        cmocka_unit_test(test_term_text),
	        cmocka_unit_test(test_utf8_valid),
	        cmocka_unit_test(test_exports_refuse_bad_names),
	        cmocka_unit_test(test_legacy_xml_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
