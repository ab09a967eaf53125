/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_qmp.c: asking QEMU over QMP: the protocol, probe, verify, cache, and QEMUs that misbehave */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "cpuscope/qmp.h"

#define FAKE_DIR     "tests/data/qmp/"
#define FAKE_TIMEOUT 1500u

struct fixture {
	char dir[64];   /* XDG_CACHE_HOME */
	char cache[96]; /* the cache directory inside it */
};

static char *qemu_path; /* the real QEMU on PATH, or NULL */

static char *on_path(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = strdup(path ? path : "/usr/bin:/bin"), *save = NULL, *found = NULL;

	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char buf[4096];

		snprintf(buf, sizeof(buf), "%s/%s", d, name);
		if (access(buf, X_OK) == 0)
			found = strdup(buf);
	}
	free(copy);
	return found;
}

#define NEED_QEMU()                                                                                \
	do {                                                                                       \
		if (!qemu_path) {                                                                  \
			print_message("qemu-system-x86_64 is not installed: skipped\n");           \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/cs-qmp-XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->cache, sizeof(fx->cache), "%s/cpuscope", fx->dir);
	setenv("XDG_CACHE_HOME", fx->dir, 1);
	*state = fx;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* No child of ours is left, running or a zombie. */
static void assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static bool has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

static bool any_contains(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(v[i], s))
			return true;
	return false;
}

static void assert_sorted(char *const *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(v[i - 1], v[i]) < 0);
}

/* ---- The protocol ----------------------------------------------------- */

static void test_handshake(void **state)
{
	static const char *const args[] = {"-S",       "-nodefaults", "-no-user-config",
	                                   "-display", "none",        "-machine",
	                                   "pc",       "-accel",      "tcg"};
	struct cs_error err = {0};
	struct json_object *ret = NULL, *st;
	struct cs_qmp *q = NULL;

	(void)state;
	NEED_QEMU();
	assert_int_equal(cs_qmp_start(qemu_path, args, 9, 20000, &q, &err), 0);
	assert_false(cs_qmp_has_exited(q));
	assert_true(json_object_object_get_ex(cs_qmp_greeting(q), "QMP", NULL));
	assert_int_equal(cs_qmp_command(q, "query-status", NULL, &ret, &err), 0);
	assert_true(json_object_object_get_ex(ret, "status", &st));
	assert_string_equal(json_object_get_string(st), "prelaunch");
	json_object_put(ret);
	/* QEMU's error answer is reported, and the monitor stays usable. */
	assert_int_equal(cs_qmp_command(q, "no-such-command", NULL, &ret, &err), -1);
	assert_null(ret);
	assert_int_equal(err.code, CS_ERR_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "no-such-command"));
	cs_error_clear(&err);
	assert_int_equal(cs_qmp_command(q, "query-version", NULL, &ret, &err), 0);
	json_object_put(ret);
	assert_int_equal(cs_qmp_stop(q), 0); /* "quit" ends it cleanly */
	cs_qmp_free(q);
	assert_no_children();
}

/* ---- The probe ------------------------------------------------------------ */

static void test_probe(void **state)
{
	struct fixture *fx = *state;
	struct cs_qemu_opts o = {.accel = "tcg"};
	struct cs_qemu_info *a = NULL, *b = NULL;
	const struct cs_qemu_model *m;
	struct cs_error err = {0};
	double t0, t1, t2;

	NEED_QEMU();
	t0 = now_s();
	if (cs_qemu_probe(&o, &a, &err) < 0)
		fail_msg("probe: %s", err.msg);
	t1 = now_s();
	assert_false(a->from_cache);
	assert_string_equal(a->accel, "tcg");
	assert_string_equal(a->machine, "pc");
	assert_true(a->major >= 2);
	assert_non_null(strchr(a->version, '.'));
	assert_non_null(cs_qemu_info_find(a, "qemu64"));
	assert_non_null(cs_qemu_info_find(a, "Haswell"));
	assert_null(cs_qemu_info_find(a, "pentiumpro"));
	assert_null(cs_qemu_info_find(a, NULL));
	m = cs_qemu_info_find(a, "EPYC");
	assert_non_null(m);
	assert_true(m->nunavailable > 0); /* TCG lacks some of EPYC */
	assert_sorted(m->unavailable, m->nunavailable);
	m = cs_qemu_info_find(a, "Haswell");
	if (a->major >= 4)
		assert_non_null(m->alias_of); /* versioned models since 4.1 */

	/* The second probe comes from the cache, under $XDG_CACHE_HOME. */
	if (cs_qemu_probe(&o, &b, &err) < 0)
		fail_msg("probe: %s", err.msg);
	t2 = now_s();
	assert_true(b->from_cache);
	assert_int_equal(b->nmodels, a->nmodels);
	assert_string_equal(b->version, a->version);
	assert_string_equal(b->models[3].name, a->models[3].name);
	m = cs_qemu_info_find(b, "EPYC");
	assert_int_equal(m->nunavailable, cs_qemu_info_find(a, "EPYC")->nunavailable);
	print_message("probe: %.0f ms from QEMU, %.2f ms from the cache (%zu models)\n",
	              (t1 - t0) * 1e3, (t2 - t1) * 1e3, a->nmodels);
	{
		struct stat st;

		assert_int_equal(stat(fx->cache, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
	}
	cs_qemu_info_free(a);
	cs_qemu_info_free(b);
	cs_qemu_info_free(NULL);
	assert_no_children();
}

/* A different accelerator string and a changed binary are other keys. */
static void test_probe_cache_keys(void **state)
{
	struct fixture *fx = *state;
	struct cs_qemu_opts o = {.accel = "tcg"};
	struct cs_qemu_info *info = NULL;
	struct cs_error err = {0};
	char wrapper[256];
	struct timespec ts[2] = {{0, 0}, {0, 0}};
	FILE *f;

	NEED_QEMU();
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	cs_qemu_info_free(info);
	o.accel = "tcg,thread=single";
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	assert_false(info->from_cache);
	assert_string_equal(info->accel, "tcg,thread=single");
	cs_qemu_info_free(info);
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	assert_true(info->from_cache);
	cs_qemu_info_free(info);

	/* A copy of the wrapper script: the binary's identity is the key. */
	snprintf(wrapper, sizeof(wrapper), "%s/qemu-wrapper", fx->dir);
	{
		FILE *in = fopen(FAKE_DIR "wrapper.sh", "r");
		char buf[1024];
		size_t n;

		assert_non_null(in);
		n = fread(buf, 1, sizeof(buf), in);
		fclose(in);
		f = fopen(wrapper, "w");
		assert_non_null(f);
		fwrite(buf, 1, n, f);
		fclose(f);
	}
	assert_int_equal(chmod(wrapper, 0755), 0);
	o.accel = "tcg";
	o.binary = wrapper;
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	assert_false(info->from_cache);
	cs_qemu_info_free(info);
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	assert_true(info->from_cache);
	cs_qemu_info_free(info);
	ts[0].tv_sec = ts[1].tv_sec = 1000000000; /* touch it */
	assert_int_equal(utimensat(AT_FDCWD, wrapper, ts, 0), 0);
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	assert_false(info->from_cache);
	cs_qemu_info_free(info);
	assert_no_children();
}

/* A corrupt entry is ignored and rewritten. */
static void test_probe_corrupt_cache(void **state)
{
	struct fixture *fx = *state;
	struct cs_qemu_opts o = {.accel = "tcg", .cache_dir = fx->cache};
	struct cs_qemu_info *info = NULL;
	struct cs_error err = {0};
	char pattern[160];
	glob_t g;
	FILE *f;

	NEED_QEMU();
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	cs_qemu_info_free(info);
	snprintf(pattern, sizeof(pattern), "%s/probe-*.json", fx->cache);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 1);
	f = fopen(g.gl_pathv[0], "w");
	assert_non_null(f);
	fputs("{\"key\": {\"format\": \"cpuscope-qemu-cache/1\"}, \"answer\": [", f);
	fclose(f);
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	assert_false(info->from_cache);
	cs_qemu_info_free(info);
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	assert_true(info->from_cache);
	cs_qemu_info_free(info);
	/* no_cache neither reads nor writes. */
	o.no_cache = true;
	assert_int_equal(cs_qemu_probe(&o, &info, &err), 0);
	assert_false(info->from_cache);
	cs_qemu_info_free(info);
	globfree(&g);
}

/* With no accelerator given, kvm where /dev/kvm opens read-write. */
static void test_probe_default_accel(void **state)
{
	struct cs_qemu_opts o = {.no_cache = true};
	struct cs_qemu_info *info = NULL;
	struct cs_error err = {0};
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int rc;

	(void)state;
	NEED_QEMU();
	if (fd >= 0)
		close(fd);
	rc = cs_qemu_probe(&o, &info, &err);
	if (fd >= 0 && rc < 0) {
		print_message("kvm did not start here: %s\n", err.msg);
		return;
	}
	assert_int_equal(rc, 0);
	assert_string_equal(info->accel, fd >= 0 ? "kvm" : "tcg");
	cs_qemu_info_free(info);
}

/* ---- Verifying one -cpu ------------------------------------------------- */

static void verify(const char *cpu, struct cs_qemu_verify *v)
{
	struct cs_qemu_opts o = {.accel = "tcg"};
	struct cs_error err = {0};

	if (cs_qemu_verify_cpu(&o, cpu, v, &err) < 0)
		fail_msg("verify %s: %s", cpu, err.msg);
}

static void test_verify_starts(void **state)
{
	struct cs_qemu_verify v, w;
	double t0, t1, t2;

	(void)state;
	NEED_QEMU();
	t0 = now_s();
	verify("qemu64", &v);
	t1 = now_s();
	assert_true(v.started);
	assert_null(v.message);
	assert_false(v.from_cache);
	assert_non_null(v.version);
	assert_non_null(strchr(v.version, '.'));
	assert_true(has(v.enabled, v.nenabled, "lm"));
	assert_true(has(v.enabled, v.nenabled, "sse2"));
	assert_true(has(v.enabled, v.nenabled, "sse3") || has(v.enabled, v.nenabled, "pni"));
	assert_false(has(v.enabled, v.nenabled, "avx512f"));
	assert_false(has(v.enabled, v.nenabled, "realized"));
	assert_false(has(v.enabled, v.nenabled, "lahf_lm")); /* aliases folded */
	assert_sorted(v.enabled, v.nenabled);
	assert_int_equal(v.nfiltered, 0);
	assert_int_equal(v.filtered_bits, 0);

	verify("qemu64", &w);
	t2 = now_s();
	assert_true(w.from_cache);
	assert_true(w.started);
	assert_int_equal(w.nenabled, v.nenabled);
	for (size_t i = 0; i < v.nenabled; i++)
		assert_string_equal(w.enabled[i], v.enabled[i]);
	print_message("verify qemu64: %.0f ms from QEMU (%zu features), %.2f ms from the cache\n",
	              (t1 - t0) * 1e3, v.nenabled, (t2 - t1) * 1e3);
	cs_qemu_verify_release(&v);
	cs_qemu_verify_release(&w);
	cs_qemu_verify_release(NULL);
	assert_no_children();
}

static void test_verify_filtered(void **state)
{
	struct cs_qemu_verify v;

	(void)state;
	NEED_QEMU();
	verify("qemu64,avx512f=on", &v);
	assert_true(v.started);
	assert_true(has(v.filtered, v.nfiltered, "avx512f"));
	assert_false(has(v.enabled, v.nenabled, "avx512f"));
	assert_true(v.filtered_bits >= 1);
	assert_true(any_contains(v.warnings, v.nwarnings, "avx512f"));
	assert_true(any_contains(v.warnings, v.nwarnings, "requested feature"));
	assert_null(strstr(v.warnings[0], "warning:"));
	cs_qemu_verify_release(&v);

	/* sse4.2 holds a dot; the "+" spelling asks for it as well. */
	verify("qemu64,+sse4.2,+avx2", &v);
	assert_true(v.started);
	assert_true(has(v.enabled, v.nenabled, "sse4.2"));
	assert_true(has(v.filtered, v.nfiltered, "avx2") || has(v.enabled, v.nenabled, "avx2"));
	cs_qemu_verify_release(&v);
	assert_no_children();
}

static void test_verify_refused(void **state)
{
	struct cs_qemu_verify v;

	(void)state;
	NEED_QEMU();
	/* QEMU 7.2 has no pconfig property: it refuses to start. */
	verify("Haswell,pconfig=on", &v);
	if (v.started) {
		print_message("this QEMU knows pconfig: refusal not tested\n");
	} else {
		assert_non_null(strstr(v.message, "pconfig"));
		assert_int_equal(v.nenabled, 0);
	}
	cs_qemu_verify_release(&v);

	verify("pentiumpro", &v);
	assert_false(v.started);
	assert_non_null(strstr(v.message, "pentiumpro"));
	cs_qemu_verify_release(&v);

	/* enforce turns a filtered feature into a refusal. */
	verify("qemu64,avx512f=on,enforce", &v);
	assert_false(v.started);
	assert_true(has(v.filtered, v.nfiltered, "avx512f"));
	assert_true(any_contains(v.warnings, v.nwarnings, "avx512f"));
	cs_qemu_verify_release(&v);

	/* A refusal is an answer and is cached as one. */
	verify("pentiumpro", &v);
	assert_false(v.started);
	assert_true(v.from_cache);
	cs_qemu_verify_release(&v);
	assert_no_children();
}

/* ---- QEMUs that misbehave ----------------------------------------------- */

static void test_missing_binary(void **state)
{
	struct cs_qemu_opts o = {.binary = FAKE_DIR "absent.sh", .timeout_ms = FAKE_TIMEOUT};
	struct cs_qemu_info *info = (struct cs_qemu_info *)&o; /* must be reset */
	struct cs_qemu_verify v;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_qemu_probe(&o, &info, &err), -1);
	assert_null(info);
	assert_non_null(strstr(err.file, "absent.sh"));
	assert_int_equal(err.code, CS_ERR_SYSTEM);
	cs_error_clear(&err);
	assert_int_equal(cs_qemu_verify_cpu(&o, "qemu64", &v, &err), -1);
	assert_false(v.started);
	assert_null(v.enabled);
	cs_error_clear(&err);
	o.binary = "cs-no-such-qemu";
	assert_int_equal(cs_qemu_probe(&o, &info, &err), -1);
	assert_non_null(strstr(err.msg, "PATH"));
	assert_no_children();
}

static void test_exits_at_once(void **state)
{
	struct cs_qemu_opts o = {.binary = FAKE_DIR "exit-error.sh", .timeout_ms = FAKE_TIMEOUT};
	struct cs_qemu_info *info = NULL;
	struct cs_qemu_verify v;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_qemu_probe(&o, &info, &err), -1);
	assert_non_null(strstr(err.msg, "unsupported machine type"));
	assert_non_null(strstr(err.file, "exit-error.sh"));
	cs_error_clear(&err);
	/* For verify, the refusal is the answer. */
	assert_int_equal(cs_qemu_verify_cpu(&o, "qemu64", &v, &err), 0);
	assert_false(v.started);
	assert_string_equal(v.message, "fake-qemu: -machine pc: unsupported machine type");
	assert_null(v.version);
	cs_qemu_verify_release(&v);
	assert_no_children();
}

/* A QMP peer that sends its greeting in pieces and an event before every
 * reply: the probe still reads its answers. */
static void test_fake_peer(void **state)
{
	struct cs_qemu_opts o = {.binary = FAKE_DIR "fake-qmp.sh", .timeout_ms = 5000};
	struct cs_qemu_info *info = NULL;
	const struct cs_qemu_model *m;
	struct cs_error err = {0};

	(void)state;
	if (cs_qemu_probe(&o, &info, &err) < 0)
		fail_msg("probe: %s", err.msg);
	assert_string_equal(info->version, "9.8.7");
	assert_string_equal(info->package, "fake");
	assert_int_equal(info->nmodels, 2);
	m = cs_qemu_info_find(info, "fake64");
	assert_non_null(m);
	assert_true(m->deprecated);
	assert_true(m->migration_safe);
	assert_string_equal(m->alias_of, "fake64-v1");
	assert_int_equal(m->nunavailable, 2);
	assert_string_equal(m->unavailable[0], "aes"); /* sorted */
	m = cs_qemu_info_find(info, "fake64-v1");
	assert_null(m->alias_of);
	assert_false(m->deprecated);
	assert_int_equal(m->nunavailable, 0);
	cs_qemu_info_free(info);
	assert_no_children();
}

static void test_exits_silently(void **state)
{
	struct cs_qemu_opts o = {.binary = FAKE_DIR "exit-silent.sh", .timeout_ms = FAKE_TIMEOUT};
	struct cs_qemu_verify v;
	struct cs_error err = {0};

	(void)state;
	/* Without a message there is no answer. */
	assert_int_equal(cs_qemu_verify_cpu(&o, "qemu64", &v, &err), -1);
	assert_non_null(strstr(err.msg, "status 3"));
	assert_no_children();
}

/* Is pid gone (or a zombie waiting for init)? */
static bool process_gone(pid_t pid)
{
	char path[64], buf[256];
	FILE *f;
	bool gone = true;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	if (fgets(buf, sizeof(buf), f)) {
		const char *p = strrchr(buf, ')');

		gone = p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
	}
	fclose(f);
	return gone;
}

static void test_never_answers(void **state)
{
	struct fixture *fx = *state;
	struct cs_qemu_opts o = {.binary = FAKE_DIR "silent.sh", .timeout_ms = FAKE_TIMEOUT};
	struct cs_qemu_info *info = NULL;
	struct cs_qemu_verify v;
	struct cs_error err = {0};
	char pidfile[160];
	double t0, t1;
	FILE *f;
	int pid = 0;
	bool gone = false;

	snprintf(pidfile, sizeof(pidfile), "%s/sleep.pid", fx->dir);
	setenv("CS_FAKE_PIDFILE", pidfile, 1);
	t0 = now_s();
	assert_int_equal(cs_qemu_probe(&o, &info, &err), -1);
	t1 = now_s();
	print_message("a silent QEMU fails after %.0f ms (limit %u ms)\n", (t1 - t0) * 1e3,
	              FAKE_TIMEOUT);
	assert_true(t1 - t0 >= FAKE_TIMEOUT / 1e3 - 0.05);
	assert_true(t1 - t0 < FAKE_TIMEOUT / 1e3 + 1.0);
	assert_non_null(strstr(err.msg, "time limit"));
	assert_non_null(strstr(err.file, "silent.sh"));
	assert_no_children();
	/* The shell's own child went with it. */
	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &pid), 1);
	fclose(f);
	for (int i = 0; i < 50 && !gone; i++) {
		gone = process_gone((pid_t)pid);
		if (!gone)
			usleep(10000);
	}
	assert_true(gone);

	cs_error_clear(&err);
	assert_int_equal(cs_qemu_verify_cpu(&o, "qemu64", &v, &err), -1);
	assert_non_null(strstr(err.msg, "time limit"));
	unsetenv("CS_FAKE_PIDFILE");
	assert_no_children();
}

static void test_garbage(void **state)
{
	struct cs_qemu_opts o = {.binary = FAKE_DIR "garbage.sh", .timeout_ms = 10000};
	struct cs_qemu_info *info = NULL;
	struct cs_error err = {0};
	double t0 = now_s();

	(void)state;
	assert_int_equal(cs_qemu_probe(&o, &info, &err), -1);
	assert_non_null(strstr(err.msg, "garbage"));
	assert_non_null(strstr(err.file, "garbage.sh"));
	assert_true(now_s() - t0 < 5.0); /* at once, not at the deadline */
	assert_no_children();
}

static void test_bad_arguments(void **state)
{
	struct cs_qemu_verify v;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_qemu_verify_cpu(NULL, "", &v, &err), -1);
	assert_int_equal(err.code, CS_ERR_INVALID);
	cs_error_clear(&err);
	assert_int_equal(cs_qemu_verify_cpu(NULL, NULL, &v, &err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_handshake, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_probe, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_probe_cache_keys, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_probe_corrupt_cache, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_probe_default_accel, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_verify_starts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_verify_filtered, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_verify_refused, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_missing_binary, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_exits_at_once, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_exits_silently, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_fake_peer, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_never_answers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
	};
	int rc;

	signal(SIGPIPE, SIG_IGN);
	qemu_path = on_path("qemu-system-x86_64");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(qemu_path);
	return rc;
}
