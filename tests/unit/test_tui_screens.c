/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_screens.c: draw the explorer on a virtual terminal and compare with golden screens */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpuscope/pool.h"
#include "test_tui_fixture.h"
#include "test_util.h"
#include "tui/app.h"
#include "tui/term.h"
#include "tui/tui.h"
#include "tui/view.h"

/* Screens live in tests/screens/NAME.txt; CPUSCOPE_UPDATE_SCREENS=1 rewrites
 * them from what is drawn. */
#define SCREENS "tests/screens/"

struct fx {
	struct cs_map *map;
	struct app app;
};

static int setup_kvm(void **state, bool kvm_side)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct app_host cpu, kvm;
	static const unsigned vmx[] = {F_VMX};

	fx->map = fixture_map();
	fixture_host(fx->map, &cpu, "CPUID", M_TOP, vmx, 1);
	if (kvm_side)
		fixture_host(fx->map, &kvm, "KVM", M_MID, NULL, 0);
	else
		fixture_absent(&kvm, "KVM", "/dev/kvm not usable");
	app_init(&fx->app, fx->map, &cpu, &kvm);
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return setup_kvm(state, false);
}

static int setup_both(void **state)
{
	return setup_kvm(state, true);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	term_close();
	app_release(&fx->app);
	cs_map_free(fx->map);
	free(fx);
	return 0;
}

/* Draw app on a rows x cols virtual terminal and compare with NAME. */
static void check_screen(struct app *app, int rows, int cols, bool ascii, const char *name)
{
	struct term_opts to = {false, true, ascii};
	char got_path[] = "/tmp/cs-screen-XXXXXX", want_path[256];
	int fd = mkstemp(got_path);
	char *got, *want;

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(term_open_virtual(rows, cols, &to, "xterm-256color"), 0);
	app->utf8 = term_utf8();
	tui_render(app);
	assert_int_equal(term_dump(got_path), 0);
	term_close();
	got = read_text(got_path, NULL);
	unlink(got_path);
	assert_non_null(got);
	snprintf(want_path, sizeof(want_path), SCREENS "%s.txt", name);
	if (getenv("CPUSCOPE_UPDATE_SCREENS")) {
		FILE *f = fopen(want_path, "w");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = read_text(want_path, NULL);
	if (!want)
		fail_msg("no golden screen %s (run with CPUSCOPE_UPDATE_SCREENS=1 from the top "
		         "directory)",
		         want_path);
	if (strcmp(got, want))
		fail_msg("screen differs from %s:\n--- got ---\n%s--- want ---\n%s", want_path, got,
		         want);
	free(got);
	free(want);
}

static void pick(struct app *app, int model)
{
	app_apply(app, ACT_FOCUS_TREE);
	app_apply(app, ACT_HOME);
	while (view_tree_model(app) != model)
		app_apply(app, ACT_DOWN);
	app_apply(app, ACT_PICK);
}

static void test_start(void **state)
{
	check_screen(&((struct fx *)*state)->app, 30, 100, false, "start");
}

static void test_incompatible(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	pick(app, M_BIG);
	app_apply(app, ACT_FOCUS_FEATURES);
	app_apply(app, ACT_END);
	check_screen(app, 30, 100, false, "incompatible");
}

static void test_kvm_side_by_side(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	pick(app, M_TOP);
	app_apply(app, ACT_SOURCE);
	app_apply(app, ACT_SORT);
	app_apply(app, ACT_SORT);
	app_apply(app, ACT_SORT);
	check_screen(app, 24, 80, false, "kvm_80x24");
}

/* A pool of two nodes: the pool line, pool badges and column, the pool view. */
static void test_pool(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	static const char xml[] = "<cpu><arch>x86_64</arch><model>top</model><vendor>Intel</vendor>"
	                          "<feature name='vmx'/></cpu>\n"
	                          "<cpu><arch>x86_64</arch><model>mid</model><vendor>Intel</vendor>"
	                          "<feature name='avx'/></cpu>\n";
	struct cs_error err = {0};
	struct cs_pool pool;

	cs_pool_init(&pool, fx->map);
	assert_int_equal(cs_pool_add_buffer(&pool, xml, strlen(xml), "nodes.xml", &err), 2);
	app_set_pool(app, &pool);
	pick(app, M_TOP);
	app_apply(app, ACT_FOCUS_FEATURES);
	check_screen(app, 24, 80, false, "pool_80x24");
	app_apply(app, ACT_POOL);
	check_screen(app, 30, 120, false, "pool_view");
	app_set_pool(app, NULL);
	cs_pool_release(&pool);
}

static void test_ascii(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	pick(app, M_TOP);
	app_apply(app, ACT_FOCUS_GUEST);
	app_apply(app, ACT_DOWN);
	check_screen(app, 24, 80, true, "ascii_80x24");
}

static void test_help(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	app_apply(app, ACT_HELP);
	check_screen(app, 30, 100, false, "help");
}

static void test_output_and_diff(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	pick(app, M_TOP);
	app_apply(app, ACT_FOCUS_OUTPUT);
	check_screen(app, 30, 100, false, "output");
	app_apply(app, ACT_FOCUS_TREE);
	app_apply(app, ACT_HOME);
	app_apply(app, ACT_DOWN);
	app_apply(app, ACT_MARK);
	app_apply(app, ACT_DOWN);
	app_apply(app, ACT_DOWN);
	app_apply(app, ACT_DIFF);
	check_screen(app, 30, 100, false, "diff");
}

static void test_wide(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	pick(app, M_BIG);
	check_screen(app, 40, 160, false, "wide_160x40");
}

static void test_prompt_and_confirm(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	pick(app, M_TOP);
	app_apply(app, ACT_QUIT);
	check_screen(app, 24, 80, false, "confirm_quit");
	app_apply(app, ACT_ESCAPE);
	app_apply(app, ACT_SEARCH);
	app_input(app, 'a');
	app_input(app, 'v');
	check_screen(app, 24, 80, false, "search");
}

static void test_too_small(void **state)
{
	check_screen(&((struct fx *)*state)->app, 10, 40, false, "too_small");
}

/* The first screen without a guest file: the best model of the host's
 * vendor as the guest, the summary beside it, the tree on that vendor. */
static void test_first_screen(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	snprintf(app->host_brand, sizeof(app->host_brand), "Fixture Lake CPU @ 3.00GHz");
	app_first_screen(app, false);
	assert_int_equal(app->guest->model, M_TOP);
	assert_int_equal(app->vendor_filter, 0); /* Intel, the host's */
	assert_int_equal(app->view, PANE_SUMMARY);
	assert_false(app->dirty);
	check_screen(app, 30, 100, false, "first_screen");
	/* The model under the cursor says what it lacks, without a key. */
	app_apply(app, ACT_DOWN);
	assert_int_equal(view_tree_model(app), M_BIG);
	check_screen(app, 24, 80, false, "first_screen_80x24");
}

/* A small terminal: names cut with an ellipsis, the verdict bar names the
 * count of missing features rather than "+2". */
static void test_narrow(void **state)
{
	struct app *app = &((struct fx *)*state)->app;

	pick(app, M_BIG);
	check_screen(app, 16, 60, false, "narrow_60x16");
}

/* A 5 MB text draws at once: only what fits is looked at, and the cut
 * ends in an ellipsis. */
static void test_huge_text(void **state)
{
	struct term_opts to = {false, true, false};
	size_t n = 5u << 20;
	char *big = malloc(n + 1), got[64];
	struct timespec t0, t1;

	(void)state;
	memset(big, 'x', n);
	big[n] = '\0';
	assert_int_equal(term_open_virtual(24, 80, &to, "xterm-256color"), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(view_put(stdscr, 0, 0, big, 20, A_NORMAL), 20);
	assert_true(view_width_upto(big, 30) <= 40);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* 100 draws of a 5 MB string: far below a second when bounded */
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 500);
	mvwinnstr(stdscr, 0, 0, got, 30);
	assert_memory_equal(got, "xxxxxxxxxxxxxxxxxxx\xe2\x80\xa6", 22);
	/* a text that fits is not marked */
	assert_int_equal(view_put(stdscr, 1, 0, "abc", 3, A_NORMAL), 3);
	mvwinnstr(stdscr, 1, 0, got, 4);
	assert_memory_equal(got, "abc ", 4);
	term_close();
	free(big);
}

/* NO_COLOR, --no-color and colourless terminals give monochrome attributes. */
static void test_no_color(void **state)
{
	struct term_opts to = {false, true, false};

	(void)state;
	unsetenv("NO_COLOR");
	assert_int_equal(term_open_virtual(24, 80, &to, "xterm-256color"), 0);
	assert_true(term_has_color());
	assert_true(term_attr(TC_V_INCOMPAT) & A_COLOR);
	term_close();
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(term_open_virtual(24, 80, &to, "xterm-256color"), 0);
	assert_false(term_has_color());
	assert_false(term_attr(TC_V_INCOMPAT) & A_COLOR);
	assert_true(term_attr(TC_V_INCOMPAT) & A_REVERSE);
	assert_true(term_attr(TC_CURSOR) & A_REVERSE);
	term_close();
	unsetenv("NO_COLOR");
	to.no_color = true;
	assert_int_equal(term_open_virtual(24, 80, &to, "xterm-256color"), 0);
	assert_false(term_has_color());
	term_close();
	to.no_color = false;
	assert_int_equal(term_open_virtual(24, 80, &to, "vt100"), 0); /* no colours at all */
	assert_false(term_has_color());
	term_close();
	/* ASCII where asked, UTF-8 otherwise (the locale is UTF-8 here) */
	to.ascii = true;
	assert_int_equal(term_open_virtual(24, 80, &to, "xterm"), 0);
	assert_false(term_utf8());
	assert_string_equal(term_glyphs()->yes, "y");
	term_close();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_start, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_incompatible, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_kvm_side_by_side, setup_both, teardown),
	        cmocka_unit_test_setup_teardown(test_pool, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_ascii, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_help, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_output_and_diff, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_wide, setup_both, teardown),
	        cmocka_unit_test_setup_teardown(test_prompt_and_confirm, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_too_small, setup, teardown),
	        cmocka_unit_test(test_no_color),
	        cmocka_unit_test_setup_teardown(test_first_screen, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_narrow, setup, teardown),
	        cmocka_unit_test(test_huge_text),
	};

	/* Line drawing is checked in UTF-8 whatever the caller's locale. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
