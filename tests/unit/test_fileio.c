/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_fileio.c: the one opener and the one writer: odd files, links, owners, limits, signals */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpuscope/fileio.h"
#include "test_util.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cpuscope-fileio-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void assert_content(const char *path, const char *text)
{
	char *buf = slurp(path, NULL);

	assert_string_equal(buf, text);
	free(buf);
}

/* No "*.tmp.*" file is left in dir. */
static void assert_no_temp(void)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "ls -A %s | grep -q '\\.tmp\\.'", dir);
	assert_int_not_equal(system(cmd), 0);
}

static void test_read_refuses_devices(void **state)
{
	struct cs_error err = {0};
	char *buf = NULL;

	(void)state;
	assert_int_equal(cs_read_file("/dev/zero", 1024, &buf, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "character device"));
	assert_string_equal(err.file, "/dev/zero");
	cs_error_clear(&err);
	assert_int_equal(cs_read_file("/tmp", 1024, &buf, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "directory"));
}

static void test_read_fifo_without_writer(void **state)
{
	struct cs_error err = {0};
	char path[96], *buf = NULL;
	size_t len = 1;

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* does not wait for a writer: an empty read */
	assert_int_equal(cs_read_file(path, 1024, &buf, &len, &err), 0);
	assert_int_equal(len, 0);
	free(buf);
}

static void test_read_bounded(void **state)
{
	struct cs_error err = {0};
	char path[96], *buf = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/big", dir);
	put(path, "0123456789");
	assert_int_equal(cs_read_file(path, 9, &buf, NULL, &err), -1);
	assert_int_equal(err.code, CS_ERR_SECURITY);
	assert_int_equal(cs_read_file(path, 10, &buf, NULL, &err), 0);
	free(buf);
}

static void test_write_follows_symlink(void **state)
{
	struct cs_error err = {0};
	char target[96], link[96];
	struct stat st;

	(void)state;
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	put(target, "old");
	assert_int_equal(symlink("target", link), 0);
	assert_int_equal(cs_write_file_atomic(link, "new", 3, &err), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_content(target, "new");
	assert_no_temp();
}

static void test_write_keeps_mode_and_owner(void **state)
{
	struct cs_error err = {0};
	char path[96];
	struct passwd *nobody = getpwnam("nobody");
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/owned", dir);
	put(path, "old");
	assert_int_equal(chmod(path, 0604), 0);
	if (geteuid() == 0 && nobody)
		assert_int_equal(chown(path, nobody->pw_uid, nobody->pw_gid), 0);
	assert_int_equal(cs_write_file_atomic(path, "new", 3, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0604);
	if (geteuid() == 0 && nobody) {
		assert_int_equal(st.st_uid, nobody->pw_uid);
		assert_int_equal(st.st_gid, nobody->pw_gid);
	}
	assert_content(path, "new");
}

static void test_write_refuses_hard_link(void **state)
{
	struct cs_error err = {0};
	char a[96], b[96];

	(void)state;
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	put(a, "old");
	assert_int_equal(link(a, b), 0);
	assert_int_equal(cs_write_file_atomic(a, "new", 3, &err), -1);
	assert_non_null(strstr(err.msg, "hard links"));
	assert_string_equal(err.file, a);
	assert_content(a, "old");
	assert_content(b, "old");
	assert_no_temp();
}

/* Under `ulimit -f`, the write fails with a message, the old file stays and
 * no temporary file remains (SIGXFSZ does not kill the process). */
static void test_write_file_size_limit(void **state)
{
	char path[96];
	pid_t pid;
	int status;

	(void)state;
	snprintf(path, sizeof(path), "%s/limited", dir);
	put(path, "old");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = {4096, 4096};
		struct cs_error err = {0};
		size_t n = 1 << 20;
		char *big = malloc(n);

		memset(big, 'x', n);
		setrlimit(RLIMIT_FSIZE, &rl);
		if (cs_write_file_atomic(path, big, n, &err) == 0)
			_exit(3);
		_exit(strstr(err.msg, "file size limit") ? 0 : 4);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_content(path, "old");
	assert_no_temp();
}

/* SIGTERM in the middle of a large write: the original is intact and the
 * temporary file gone, every time. */
static void test_write_sigterm(void **state)
{
	char path[96];
	size_t n = 32 << 20;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	memset(big, 'y', n);
	snprintf(path, sizeof(path), "%s/killed", dir);
	put(path, "old");
	for (int i = 0; i < 20; i++) {
		int status;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			for (;;)
				(void)cs_write_file_atomic(path, big, n, NULL);
		}
		usleep(2000 + 1500 * (useconds_t)i);
		kill(pid, SIGTERM);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGTERM);
		assert_no_temp();
		{
			struct stat st;

			assert_int_equal(stat(path, &st), 0);
			assert_true(st.st_size == 3 || (size_t)st.st_size == n);
		}
	}
	free(big);
}

/* ---- maps: read once, sniffed past any blank prefix, encodings named ---- */

static struct cs_map *load_text(const char *name, const char *text, size_t len,
                                struct cs_error *err)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return cs_map_load(path, err);
}

static void test_map_blank_prefix(void **state)
{
	struct cs_error err = {0};
	size_t len;
	char *yaml = slurp("maps/libvirt-9.0.0.yaml", &len);
	char *text = malloc(len + 600);
	struct cs_map *map;

	(void)state;
	memset(text, '\n', 600);
	memcpy(text + 600, yaml, len);
	map = load_text("blank.yaml", text, len + 600, &err);
	assert_non_null(map);
	cs_map_free(map);
	map = load_text("allblank.yaml", text, 600, &err);
	assert_null(map);
	assert_non_null(strstr(err.msg, "empty"));
	free(text);
	free(yaml);
}

/* ASCII text as UTF-16LE with a byte order mark. */
static char *utf16(const char *ascii, size_t len, size_t *out_len)
{
	char *w = calloc(2 * len + 2, 1);

	w[0] = (char)0xff;
	w[1] = (char)0xfe;
	for (size_t i = 0; i < len; i++)
		w[2 + 2 * i] = ascii[i];
	*out_len = 2 * len + 2;
	return w;
}

static void test_map_encodings(void **state)
{
	struct cs_error err = {0};
	size_t len, wlen;
	char *xml = slurp("maps/legacy-demo.xml", &len), *w;
	struct cs_map *map;

	(void)state;
	/* UTF-16 XML: libxml2 decodes it */
	w = utf16(xml, len, &wlen);
	map = load_text("u16.xml", w, wlen, &err);
	assert_non_null(map);
	cs_map_free(map);
	free(w);
	free(xml);
	/* UTF-16 YAML: named as such */
	w = utf16("format: 1\n", 10, &wlen);
	assert_null(load_text("u16.yaml", w, wlen, &err));
	assert_non_null(strstr(err.msg, "UTF-16"));
	free(w);
	/* EBCDIC-like bytes that are not UTF-8: named, not a YAML error */
	cs_error_clear(&err);
	assert_null(load_text("e.yaml", "\x86\x96\x99\x94\x81\xa3", 6, &err));
	assert_non_null(strstr(err.msg, "encoding"));
	assert_non_null(strstr(err.file, "e.yaml"));
}

/* A map from a pipe (as `--map <(cat map)` gives) is read exactly once. */
static void test_map_from_pipe(void **state)
{
	struct cs_error err = {0};
	size_t len;
	char *xml = slurp("maps/legacy-demo.xml", &len);
	char path[64];
	int fds[2];
	pid_t pid;
	struct cs_map *map;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		(void)!write(fds[1], xml, len);
		_exit(0);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	map = cs_map_load(path, &err);
	if (!map)
		fail_msg("%s: %s", err.file, err.msg);
	cs_map_free(map);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_read_refuses_devices),
	        cmocka_unit_test(test_read_fifo_without_writer),
	        cmocka_unit_test(test_read_bounded),
	        cmocka_unit_test(test_write_follows_symlink),
	        cmocka_unit_test(test_write_keeps_mode_and_owner),
	        cmocka_unit_test(test_write_refuses_hard_link),
	        cmocka_unit_test(test_write_file_size_limit),
	        cmocka_unit_test(test_write_sigterm),
	        cmocka_unit_test(test_map_blank_prefix),
	        cmocka_unit_test(test_map_encodings),
	        cmocka_unit_test(test_map_from_pipe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
