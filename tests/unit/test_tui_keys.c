/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_keys.c: the binding table, key names and the help generated from it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "tui/actions.h"
#include "tui/keys.h"

static void test_no_duplicates(void **state)
{
	size_t n;
	const struct keys_binding *t = keys_table(&n);

	(void)state;
	assert_true(n > 50);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (t[i].ctx == t[j].ctx && t[i].key == t[j].key)
				fail_msg("key %d bound twice in context %s", t[i].key,
				         keys_ctx_name(t[i].ctx));
}

static void test_every_action_bound_and_helped(void **state)
{
	size_t n, nhelp = keys_help_count();
	const struct keys_binding *t = keys_table(&n);
	char line[256];

	(void)state;
	for (int a = 1; a < ACT_COUNT; a++) {
		bool bound = false, helped = false;
		for (size_t i = 0; i < n; i++)
			bound |= t[i].action == (enum action)a;
		if (!bound)
			fail_msg("action %s has no key", action_name((enum action)a));
		assert_true(strlen(action_help((enum action)a)) > 5);
		for (size_t i = 0; i < nhelp; i++)
			helped |= strstr(keys_help_line(i, line, sizeof(line)),
			                 action_help((enum action)a)) != NULL;
		if (!helped)
			fail_msg("action %s is missing from the help", action_name((enum action)a));
	}
}

static void test_names_round_trip(void **state)
{
	size_t n;
	const struct keys_binding *t = keys_table(&n);
	char name[32];

	(void)state;
	for (size_t i = 0; i < n; i++) {
		keys_name(t[i].key, name, sizeof(name));
		assert_int_equal(keys_parse(name), t[i].key);
	}
	assert_string_equal(keys_name(KEY_UP, name, sizeof(name)), "Up");
	assert_string_equal(keys_name(KEYS_CTRL('r'), name, sizeof(name)), "C-r");
	assert_string_equal(keys_name(KEY_F(1), name, sizeof(name)), "F1");
	assert_string_equal(keys_name(' ', name, sizeof(name)), "Space");
	assert_int_equal(keys_parse("F13"), -1);
	assert_int_equal(keys_parse("Nope"), -1);
	for (int a = 0; a < ACT_COUNT; a++)
		assert_int_equal(action_from_name(action_name((enum action)a)), a);
	assert_int_equal(action_from_name("no-such-action"), ACT_NONE);
	assert_string_equal(action_name(ACT_COUNT), "?");
}

static void test_lookup_order(void **state)
{
	(void)state;
	/* the pane's context first */
	assert_int_equal(keys_lookup(KCTX_FEATURES, ' ', true), ACT_POLICY_CYCLE);
	assert_int_equal(keys_lookup(KCTX_TREE, ' ', true), ACT_MARK);
	assert_int_equal(keys_lookup(KCTX_GUEST, ' ', true), ACT_VALUE_NEXT);
	assert_int_equal(keys_lookup(KCTX_FEATURES, 'R', true), ACT_POLICY_REQUIRE);
	/* then the global table */
	assert_int_equal(keys_lookup(KCTX_FEATURES, 'q', true), ACT_QUIT);
	assert_int_equal(keys_lookup(KCTX_TREE, 'j', true), ACT_DOWN);
	assert_int_equal(keys_lookup(KCTX_TREE, '\n', true), ACT_PICK);
	assert_int_equal(keys_lookup(KCTX_GLOBAL, 'u', true), ACT_UNDO);
	assert_int_equal(keys_lookup(KCTX_GLOBAL, KEYS_CTRL('r'), true), ACT_REDO);
	/* modal contexts do not fall back */
	assert_int_equal(keys_lookup(KCTX_CONFIRM, 'n', false), ACT_NO);
	assert_int_equal(keys_lookup(KCTX_CONFIRM, 's', false), ACT_NONE);
	assert_int_equal(keys_lookup(KCTX_HELP, 'j', false), ACT_DOWN);
	assert_int_equal(keys_lookup(KCTX_HELP, 'R', false), ACT_NONE);
	/* unbound */
	assert_int_equal(keys_lookup(KCTX_TREE, 'R', true), ACT_NONE);
}

static void test_key_bar(void **state)
{
	char key[16];
	const char *label;
	enum action a;

	(void)state;
	for (int c = 0; c < KCTX_COUNT; c++) {
		size_t i = 0;
		for (; keys_bar_entry((enum keys_ctx)c, i, key, sizeof(key), &label, &a); i++) {
			assert_true(a > ACT_NONE && a < ACT_COUNT);
			assert_true(strlen(label) > 0);
			/* the key shown really does that here */
			enum action got = keys_lookup((enum keys_ctx)c, keys_parse(key),
			                              c != KCTX_HELP && c != KCTX_CONFIRM);
			assert_int_equal(got, a);
		}
		assert_true(i >= 2);
	}
	assert_true(keys_bar_entry(KCTX_FEATURES, 0, key, sizeof(key), &label, &a));
	assert_string_equal(key, "?");
	assert_int_equal(a, ACT_HELP);
}

static void test_help_text(void **state)
{
	char line[256];
	size_t n = keys_help_count();
	bool undo = false;

	(void)state;
	assert_string_equal(keys_help_line(0, line, sizeof(line)), "Everywhere");
	for (size_t i = 0; i < n; i++) {
		keys_help_line(i, line, sizeof(line));
		if (strstr(line, "u C-r") || (strstr(line, " u ") && strstr(line, "undo")))
			undo = true;
	}
	assert_true(undo);
	assert_string_equal(keys_help_line(n + 5, line, sizeof(line)), "");
}

/* The manual lists every action with the help text the overlay shows. */
static void test_manual_lists_every_action(void **state)
{
	FILE *f = fopen("doc/cpuscope.1", "r");
	static char man[65536];
	size_t n;

	(void)state;
	if (!f) {
		print_message("doc/cpuscope.1 not found (run from the top directory); skipped\n");
		skip();
	}
	n = fread(man, 1, sizeof(man) - 1, f);
	man[n] = '\0';
	fclose(f);
	for (int a = 1; a < ACT_COUNT; a++)
		if (!strstr(man, action_help((enum action)a)))
			fail_msg("doc/cpuscope.1 does not describe '%s' (%s)",
			         action_name((enum action)a), action_help((enum action)a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_no_duplicates),
	        cmocka_unit_test(test_every_action_bound_and_helped),
	        cmocka_unit_test(test_names_round_trip),
	        cmocka_unit_test(test_lookup_order),
	        cmocka_unit_test(test_key_bar),
	        cmocka_unit_test(test_help_text),
	        cmocka_unit_test(test_manual_lists_every_action),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
