/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_conn.c: the libvirt connection against libvirt's test driver (test:///default) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_map_fixture.h"

#include "cpuscope/conn.h"
#include "cpuscope/guest.h"
#include "cpuscope/pool_conn.h"

#define TEST_URI  "test:///default"
#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

/* One connection for the group: the test driver keeps its state (the
 * domain "test", running and persistent) while a connection is open. */
static struct cs_conn *conn;

static int setup(void **state)
{
	struct cs_error err = {0};

	if (map_setup(state) < 0)
		return -1;
	if (cs_conn_open(TEST_URI, 0, &conn, &err) < 0) {
		cs_error_print(&err, "setup: ", stderr);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	cs_conn_free(conn);
	return map_teardown(state);
}

/* text without the lines of its <cpu> element, for comparing everything
 * else of two definitions.  The caller frees the result. */
static char *without_cpu(const char *text)
{
	const char *a = strstr(text, "<cpu");
	const char *b;
	char *out;

	if (!a)
		return strdup(text);
	while (a > text && a[-1] != '\n')
		a--;
	b = strstr(a, "</cpu>");
	if (!b)
		b = strstr(a, "/>");
	assert_non_null(b);
	b = strchr(b, '\n');
	b = b ? b + 1 : text + strlen(text);
	out = malloc(strlen(text) + 1);
	assert_non_null(out);
	memcpy(out, text, (size_t)(a - text));
	strcpy(out + (a - text), b);
	return out;
}

static void test_open(void **state)
{
	struct cs_error err = {0};
	const char *host;

	(void)state;
	assert_string_equal(cs_conn_uri(conn), TEST_URI);
	assert_false(cs_conn_is_readonly(conn));
	host = cs_conn_hostname(conn, &err);
	assert_non_null(host);
	assert_true(host[0]);
	/* Fetched once: the same string again. */
	assert_ptr_equal(cs_conn_hostname(conn, &err), host);
	assert_non_null(cs_conn_capabilities(conn, &err));
	assert_ptr_equal(cs_conn_capabilities(conn, &err), cs_conn_capabilities(conn, &err));
}

static void test_readonly(void **state)
{
	struct cs_error err = {0};
	struct cs_conn *ro = NULL;
	struct cs_conn_domxml d;

	(void)state;
	if (cs_conn_open(TEST_URI, CS_CONN_READONLY, &ro, &err) < 0)
		fail_msg("%.200s", err.msg);
	assert_true(cs_conn_is_readonly(ro));
	if (cs_conn_get_domain(ro, "test", &d, &err) < 0)
		fail_msg("%.300s", err.msg);
	assert_non_null(d.persistent);
	assert_null(d.migratable); /* libvirt refuses it to read-only clients */
	cs_conn_domxml_release(&d);
	cs_conn_free(ro);
}

static void test_list(void **state)
{
	struct cs_error err = {0};
	struct cs_conn_domain *doms = NULL;
	size_t n = 0, found = 0;

	(void)state;
	assert_int_equal(cs_conn_list_domains(conn, &doms, &n, &err), 0);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(doms[i].name, "test") != 0)
			continue;
		found++;
		assert_string_equal(doms[i].uuid, TEST_UUID);
		assert_int_equal(doms[i].state, CS_DOM_RUNNING);
		assert_string_equal(cs_dom_state_name(doms[i].state), "running");
		assert_true(doms[i].active);
		assert_true(doms[i].persistent);
	}
	assert_int_equal(found, 1);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(doms[i - 1].name, doms[i].name) <= 0);
	cs_conn_domains_free(doms, n);
	cs_conn_domains_free(NULL, 0);
}

static void test_get_domain(void **state)
{
	struct cs_error err = {0};
	struct cs_conn_domxml d, u;

	(void)state;
	assert_int_equal(cs_conn_get_domain(conn, "test", &d, &err), 0);
	assert_string_equal(d.info.name, "test");
	assert_non_null(d.persistent);
	assert_non_null(d.live);
	assert_non_null(d.migratable);
	assert_non_null(strstr(d.persistent, "<name>test</name>"));
	assert_non_null(strstr(d.migratable, "<name>test</name>"));
	/* The same domain by its UUID. */
	assert_int_equal(cs_conn_get_domain(conn, TEST_UUID, &u, &err), 0);
	assert_string_equal(u.info.name, "test");
	cs_conn_domxml_release(&u);
	cs_conn_domxml_release(&d);
	cs_conn_domxml_release(NULL);
}

static void test_no_such_domain(void **state)
{
	struct cs_error err = {0};
	struct cs_conn_domxml d;
	struct cs_cpudef *def = cpu("<cpu><model>Haswell</model></cpu>");

	(void)state;
	assert_int_equal(cs_conn_get_domain(conn, "no-such-domain", &d, &err), -1);
	assert_int_equal(err.code, CS_ERR_UNKNOWN);
	assert_non_null(strstr(err.msg, "cannot find domain 'no-such-domain'"));
	assert_non_null(strstr(err.msg, "Domain not found")); /* libvirt's words */
	assert_null(d.persistent);
	cs_error_clear(&err);
	/* A UUID no domain has. */
	assert_int_equal(cs_conn_get_domain(conn, "00000000-0000-0000-0000-000000000001", &d, &err),
	                 -1);
	assert_int_equal(err.code, CS_ERR_UNKNOWN);
	cs_error_clear(&err);
	assert_int_equal(cs_conn_define_cpu(conn, "no-such-domain", def, 0, NULL, &err), -1);
	assert_int_equal(err.code, CS_ERR_UNKNOWN);
	cs_cpudef_free(def);
}

static void test_define_cpu(void **state)
{
	struct cs_error err = {0};
	struct cs_conn_domxml before, after;
	struct cs_conn_defined res;
	struct cs_cpudef *def = cpu("<cpu mode='custom' match='exact'>"
	                            "<model fallback='allow'>Haswell</model>"
	                            "<feature policy='disable' name='rtm'/></cpu>");
	struct cs_cpudef *got = NULL;
	char *a, *b, *preview = NULL;
	size_t plen = 0;

	(void)state;
	assert_int_equal(cs_conn_get_domain(conn, "test", &before, &err), 0);
	/* The preview changes nothing. */
	assert_int_equal(cs_conn_domain_with_cpu(conn, "test", def, 0, &preview, &plen, &err), 0);
	assert_int_equal(plen, strlen(preview));
	assert_non_null(strstr(preview, "Haswell"));
	assert_int_equal(cs_conn_define_cpu(conn, "test", def, CS_CONN_KEEP_LAYOUT, &res, &err), 0);
	assert_true(res.running);
	assert_true(res.changed);
	assert_non_null(res.cpu_xml);
	assert_non_null(strstr(res.cpu_xml, "Haswell"));
	assert_int_equal(cs_conn_get_domain(conn, "test", &after, &err), 0);
	/* The running domain keeps its CPU until it starts again. */
	assert_true(after.cpu_differs);
	assert_null(strstr(after.live, "Haswell"));
	assert_int_equal(cs_domain_get_cpu(map, after.persistent, strlen(after.persistent), "after",
	                                   &got, &err),
	                 0);
	assert_non_null(got);
	assert_int_equal(got->model, mid("Haswell"));
	assert_int_equal(cs_cpudef_feature_policy(got, (unsigned)fid("rtm")), CS_POLICY_DISABLE);
	/* Every other element as it was. */
	a = without_cpu(before.persistent);
	b = without_cpu(after.persistent);
	if (strcmp(a, b))
		fprintf(stderr, "before:\n%s\nafter:\n%s\n", a, b), fail();
	/* Defining the same CPU again changes nothing. */
	cs_conn_defined_release(&res);
	assert_int_equal(cs_conn_define_cpu(conn, "test", def, 0, &res, &err), 0);
	assert_false(res.changed);
	cs_conn_defined_release(&res);
	cs_conn_defined_release(NULL);
	free(a);
	free(b);
	free(preview);
	cs_cpudef_free(got);
	cs_conn_domxml_release(&before);
	cs_conn_domxml_release(&after);
	cs_cpudef_free(def);
}

static void test_define_rejected(void **state)
{
	struct cs_error err = {0};
	struct cs_conn_domxml before, after;
	struct cs_cpudef *def;

	(void)state;
	assert_int_equal(cs_conn_get_domain(conn, "test", &before, &err), 0);
	/* cpuscope keeps an element it does not interpret; libvirt refuses it. */
	def = cpu("<cpu mode='custom'><model>Penryn</model><numa><cell id='0' cpus='0-1' "
	          "memory='lots'/></numa></cpu>");
	assert_int_equal(cs_conn_define_cpu(conn, "test", def, 0, NULL, &err), -1);
	if (err.code != CS_ERR_INVALID)
		fail_msg("%.300s", err.msg);
	assert_non_null(strstr(err.msg, "libvirt refused the new definition of domain test: "));
	assert_non_null(strstr(err.msg, "schema")); /* libvirt's words */
	assert_string_equal(err.file, TEST_URI);
	assert_int_equal(cs_conn_get_domain(conn, "test", &after, &err), 0);
	assert_string_equal(before.persistent, after.persistent);
	assert_null(strstr(after.persistent, "Penryn"));
	cs_conn_domxml_release(&before);
	cs_conn_domxml_release(&after);
	cs_cpudef_free(def);
}

static void test_unreachable(void **state)
{
	struct cs_error err = {0};
	struct cs_conn *c = (struct cs_conn *)1;
	char text[1024];

	(void)state;
	assert_int_equal(cs_conn_open("qemu+tcp://127.0.0.1:1/system", 0, &c, &err), -1);
	assert_null(c);
	assert_int_equal(err.code, CS_ERR_SYSTEM);
	assert_string_equal(err.file, "qemu+tcp://127.0.0.1:1/system");
	cs_error_format(&err, text, sizeof(text));
	assert_non_null(strstr(text, "qemu+tcp://127.0.0.1:1/system: cannot connect: "));
	assert_non_null(strstr(text, "127.0.0.1:1")); /* libvirt's message names the server */
	cs_error_clear(&err);
	assert_int_equal(cs_conn_open("nosuchdriver:///x", 0, &c, &err), -1);
	assert_true(err.msg[0]);
	cs_conn_free(NULL);
}

static void test_target(void **state)
{
	static const char dom[] = "<domain type='qemu'><name>t</name>"
	                          "<os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>"
	                          "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
	                          "</devices></domain>";
	struct cs_error err = {0};
	struct cs_conn_target t;

	(void)state;
	assert_int_equal(cs_conn_target_from_domain(dom, strlen(dom), "t.xml", &t, &err), 0);
	assert_string_equal(t.virttype, "qemu");
	assert_string_equal(t.arch, "x86_64");
	assert_string_equal(t.machine, "pc-i440fx-7.2");
	assert_string_equal(t.emulator, "/usr/bin/qemu-system-x86_64");
	cs_conn_target_release(&t);
	assert_int_equal(cs_conn_target_from_domain("<cpu/>", 6, "c.xml", &t, &err), -1);
	assert_null(t.arch);
	cs_conn_target_release(NULL);
}

/* What the test driver cannot answer is an error in libvirt's words, not
 * a crash or a silent default. */
static void test_unsupported(void **state)
{
	struct cs_error err = {0};
	const struct cs_hypervisor *hv = (const struct cs_hypervisor *)1;
	enum cs_compat r;
	char msg[256];
	static const char c[] = "<cpu><model>Haswell</model></cpu>";

	(void)state;
	assert_int_equal(cs_conn_hypervisor(conn, map, NULL, &hv, &err), -1);
	assert_null(hv);
	assert_int_equal(err.code, CS_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "cannot get the domain capabilities: "));
	cs_error_clear(&err);
	assert_int_equal(cs_conn_compare_cpu(conn, NULL, c, strlen(c), &r, msg, sizeof(msg), &err),
	                 -1);
	assert_non_null(strstr(err.msg, "virConnectCompareHypervisorCPU"));
	cs_error_clear(&err);
	assert_int_equal(
	        cs_conn_compare_cpu(conn, NULL, "<domain/>", 9, &r, msg, sizeof(msg), &err), -1);
	assert_non_null(strstr(err.msg, "no <cpu>"));
}

/* libvirt's own answers and the hypervisor, where libvirtd answers on
 * qemu:///system (skipped elsewhere). */
static void test_qemu_system(void **state)
{
	static const char small[] = "<cpu><model>qemu64</model></cpu>";
	static const char big[] = "<cpu><model>Skylake-Client</model>"
	                          "<feature policy='require' name='avx512f'/></cpu>";
	static const char dom[] = "<domain type='qemu'><name>x</name><os><type arch='x86_64'>hvm"
	                          "</type></os><cpu><model>qemu64</model></cpu></domain>";
	const char *const two[] = {"<cpu><arch>x86_64</arch><model>Nehalem</model></cpu>",
	                           "<cpu><arch>x86_64</arch><model>Penryn</model></cpu>"};
	char virt[] = "qemu", arch[] = "x86_64";
	struct cs_conn_target t = {.virttype = virt, .arch = arch};
	const struct cs_hypervisor *hv = NULL, *again = NULL;
	struct cs_error err = {0};
	struct cs_conn *q = NULL;
	enum cs_compat r;
	char msg[768], *base = NULL;

	(void)state;
	if (cs_conn_open("qemu:///system", 0, &q, &err) < 0 ||
	    !cs_conn_domcapabilities(q, &t, &err)) {
		cs_conn_free(q);
		fprintf(stderr, "skip: %s\n", err.msg);
		skip();
	}
	assert_int_equal(cs_conn_hypervisor(q, map, &t, &hv, &err), 0);
	assert_int_equal(hv->virt, CS_VIRT_QEMU);
	assert_true(hv->from_domcaps);
	assert_non_null(hv->host_full);
	assert_int_equal(cs_conn_hypervisor(q, map, &t, &again, &err), 0);
	assert_ptr_equal(hv, again); /* built once */
	assert_int_equal(
	        cs_conn_compare_cpu(q, &t, small, strlen(small), &r, msg, sizeof(msg), &err), 0);
	assert_int_not_equal(r, CS_COMPAT_INCOMPATIBLE);
	assert_string_equal(msg, "");
	assert_int_equal(cs_conn_compare_cpu(q, &t, dom, strlen(dom), &r, msg, sizeof(msg), &err),
	                 0);
	assert_int_not_equal(r, CS_COMPAT_INCOMPATIBLE);
	assert_int_equal(cs_conn_compare_cpu(q, &t, big, strlen(big), &r, msg, sizeof(msg), &err),
	                 0);
	assert_int_equal(r, CS_COMPAT_INCOMPATIBLE);
	assert_non_null(strstr(msg, "avx512f")); /* libvirt's reason */
	assert_int_equal(cs_conn_baseline_cpu(q, &t, two, 2, 0, &base, &err), 0);
	assert_non_null(strstr(base, "<model"));
	free(base);
	assert_int_equal(cs_conn_baseline_cpu(q, &t, two, 0, 0, &base, &err), -1);
	assert_null(base);
	cs_conn_free(q);
}

/* --pool URI: connections fetched at once, a dead one reported, the others
 * added under their hostname. */
static size_t progress_calls;

static void count_progress(void *ctx, size_t done, size_t total, const struct cs_pool_fetch *f)
{
	(void)ctx;
	(void)f;
	assert_true(done <= total);
	progress_calls++;
}

static void test_pool_fetch(void **state)
{
	struct cs_pool_fetch f[3] = {
	        {.uri = TEST_URI}, {.uri = "qemu+tcp://127.0.0.1:1/system"}, {.uri = TEST_URI}};
	struct cs_error err = {0};
	struct cs_pool pool;

	(void)state;
	assert_true(cs_pool_is_uri("qemu+ssh://h/system"));
	assert_false(cs_pool_is_uri("hosts/caps.xml"));
	cs_pool_fetch_all(f, 3, 2, count_progress, NULL);
	assert_int_equal(progress_calls, 3);
	assert_true(f[0].ok);
	assert_false(f[1].ok);
	assert_non_null(strstr(f[1].err.msg, "cannot connect"));
	assert_string_equal(f[1].err.file, "qemu+tcp://127.0.0.1:1/system");
	assert_true(f[2].ok);
	cs_pool_init(&pool, map);
	assert_non_null(strstr(f[0].caps, "<capabilities>"));
	/* the test driver's host CPU names no model: refused, under its hostname */
	assert_int_equal(cs_pool_add_fetched(&pool, &f[0], &err), -1);
	assert_string_equal(err.file, f[0].hostname);
	assert_string_equal(err.msg, "Missing CPU model name");
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_fetched(&pool, &f[1], &err), -1);
	assert_non_null(strstr(err.msg, "cannot connect"));
	assert_int_equal(pool.n, 0);
	cs_pool_release(&pool);
	cs_pool_fetch_release(f, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_open),
	        cmocka_unit_test(test_readonly),
	        cmocka_unit_test(test_list),
	        cmocka_unit_test(test_get_domain),
	        cmocka_unit_test(test_no_such_domain),
	        cmocka_unit_test(test_define_cpu),
	        cmocka_unit_test(test_define_rejected),
	        cmocka_unit_test(test_unreachable),
	        cmocka_unit_test(test_target),
	        cmocka_unit_test(test_unsupported),
	        cmocka_unit_test(test_qemu_system),
	        cmocka_unit_test(test_pool_fetch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
