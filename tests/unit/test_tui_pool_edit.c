/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_pool_edit.c: the explorer's pool: a host taken out, a file given twice, labels */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cpuscope/pool.h"
#include "cpuscope/pool_edit.h"
#include "test_tui_app_fixture.h"
#include "test_tui_fixture.h"
#include "tui/app.h"
#include "tui/app_int.h"

static const char hosts_xml[] =
        "<cpu><arch>x86_64</arch><model>top</model><vendor>Intel</vendor>"
        "<feature name='vmx'/></cpu>\n"
        "<cpu><arch>x86_64</arch><model>mid</model><vendor>Intel</vendor></cpu>\n"
        "<cpu><arch>x86_64</arch><model>top</model><vendor>Intel</vendor>"
        "<feature name='vmx'/></cpu>\n"
        "<cpu><arch>x86_64</arch><model>big</model><vendor>Intel</vendor></cpu>\n";

static const char domcaps_xml[] =
        "<domainCapabilities>\n<arch>x86_64</arch>\n<cpu>\n"
        "<mode name='host-model' supported='yes'>\n"
        "<model fallback='forbid'>mid</model>\n<vendor>Intel</vendor>\n"
        "<feature policy='require' name='avx'/>\n<feature policy='disable' name='sse'/>\n"
        "</mode>\n</cpu>\n</domainCapabilities>\n";

/* Every host but one, each judged as before, under the same name. */
static void test_without(void **state)
{
	struct fx *fx = *state;
	struct cs_pool pool, rest;
	struct cs_error err = {0};
	struct cs_compare_result r1[8], r2[8];
	struct cs_pool_verdict v1, v2;
	struct cs_cpudef *guest = engine_guest_new(fx->map, fx->app.arch);

	cs_pool_init(&pool, fx->map);
	assert_int_equal(cs_pool_add_buffer(&pool, hosts_xml, strlen(hosts_xml), "n.xml", &err), 4);
	assert_int_equal(
	        cs_pool_add_buffer(&pool, domcaps_xml, strlen(domcaps_xml), "dc.xml", &err), 1);
	assert_true(pool.hosts[4].kvm_view);
	for (size_t skip = 0; skip < pool.n; skip++) {
		assert_int_equal(cs_pool_without(&pool, skip, &rest, &err), 0);
		assert_int_equal(rest.n, pool.n - 1);
		for (int m = 0; m < 4; m++) {
			engine_guest_set_model(guest, m);
			assert_int_equal(cs_pool_compare(&pool, guest, r1, &v1, &err), 0);
			assert_int_equal(cs_pool_compare(&rest, guest, r2, &v2, &err), 0);
			for (size_t i = 0, j = 0; i < pool.n; i++) {
				if (i == skip)
					continue;
				assert_string_equal(rest.hosts[j].name, pool.hosts[i].name);
				assert_int_equal(rest.hosts[j].kvm_view, pool.hosts[i].kvm_view);
				assert_int_equal(r2[rest.hosts[j].distinct].compat,
				                 r1[pool.hosts[i].distinct].compat);
				j++;
			}
		}
		cs_pool_release(&rest);
	}
	engine_guest_free(guest);
	cs_pool_release(&pool);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A file given twice, spelt two ways, counts once; a label names its
 * hosts; a host taken out lets its file be added again. */
static void test_load_label_remove(void **state)
{
	struct fx *fx = *state;
	struct app *app = &fx->app;
	struct cs_pool pool;
	struct cs_error err = {0};
	char a[128], a2[128], b[128], rack[] = "rack7";
	char *files[3] = {a, a2, b}, *labels[3] = {NULL, NULL, rack};
	static const char one[] = "<cpu><arch>x86_64</arch><model>mid</model>"
	                          "<vendor>Intel</vendor></cpu>\n";

	snprintf(a, sizeof(a), "%s/a.xml", fx->dir);
	snprintf(a2, sizeof(a2), "%s/./a.xml", fx->dir);
	snprintf(b, sizeof(b), "%s/b.xml", fx->dir);
	write_file(a, hosts_xml);
	write_file(b, one);
	cs_pool_init_arch(&pool, fx->map, app->arch);
	assert_int_equal(app_pool_load(app, &pool, files, labels, 3, &err), 0);
	assert_int_equal(pool.n, 5);
	assert_non_null(strstr(app->status, "given again, counted once"));
	assert_string_equal(pool.hosts[4].name, "rack7");
	app_set_pool(app, &pool);
	assert_int_equal(app->pool->n, 5);
	/* the same file by the prompt: refused */
	assert_int_equal(app_add_pool_file(app, a2), -1);
	assert_non_null(strstr(app->status, "in the pool already"));
	/* take out b's only host: b may come back */
	assert_int_equal(app_pool_remove(app, "rack7"), 0);
	assert_int_equal(app->pool->n, 4);
	assert_int_equal(app_pool_remove(app, "nosuch"), -1);
	assert_int_equal(app_add_pool_file(app, b), 1);
	assert_int_equal(app->pool->n, 5);
	/* down to none */
	while (app->pool)
		assert_int_equal(app_pool_remove(app, app->pool->hosts[0].name), 0);
	assert_int_equal(app->npool_ids, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_without, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_load_label_remove, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
