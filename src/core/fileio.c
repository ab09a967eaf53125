/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fileio.c: bounded file reading and atomic file writing */
#include "cpuscope/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpuscope/xalloc.h"

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static bool readable_kind(mode_t m)
{
	return S_ISREG(m) || S_ISFIFO(m);
}

int cs_file_open(const char *path, struct stat *st, struct cs_error *err)
{
	struct stat before, after;
	int fd, fl;

	if (!strcmp(path, "-")) {
		fd = fcntl(0, F_DUPFD_CLOEXEC, 3);
		if (fd < 0) {
			cs_error_set(err, CS_ERR_IO, "<stdin>", 0, "cannot read standard input: %s",
			             strerror(errno));
			return -1;
		}
		if (fstat(fd, &after) < 0 || S_ISDIR(after.st_mode)) {
			cs_error_set(err, CS_ERR_IO, "<stdin>", 0,
			             "standard input is not readable");
			close(fd);
			return -1;
		}
		if (st)
			*st = after;
		return fd;
	}
	/* Refuse what is not a file before opening it: opening a device can
	 * block or act, and a FIFO must not wait for its writer. */
	if (stat(path, &before) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (!readable_kind(before.st_mode)) {
		cs_error_set(err, CS_ERR_IO, path, 0, "is %s, not a file",
		             file_kind(before.st_mode));
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &after) < 0 || !readable_kind(after.st_mode)) {
		cs_error_set(err, CS_ERR_IO, path, 0, "changed while being opened");
		close(fd);
		return -1;
	}
	/* A FIFO is read blocking once open; O_NONBLOCK means nothing to a
	 * regular file. */
	fl = S_ISFIFO(after.st_mode) ? fcntl(fd, F_GETFL) : 0;
	if (fl < 0 || (S_ISFIFO(after.st_mode) && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (st)
		*st = after;
	return fd;
}

int cs_read_fd(int fd, const char *name, size_t size_hint, size_t max, char **out, size_t *len,
               struct cs_error *err)
{
	size_t have = 0, cap;
	char *buf;

	*out = NULL;
	if (size_hint > max) {
		cs_error_set(err, CS_ERR_SECURITY, name, 0, "file too large: %zu bytes (limit %zu)",
		             size_hint, max);
		return -1;
	}
	/* Pipes and /proc files report no size: read until EOF, within max. */
	cap = size_hint ? size_hint + 1 : 65536;
	if (cap > max + 1)
		cap = max + 1;
	buf = cs_xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (have + 1 >= cap) {
			if (cap >= max + 1) {
				/* Full at the limit: one more byte means too large. */
				char probe;

				n = read(fd, &probe, 1);
				if (n < 0 && errno == EINTR)
					continue;
				if (n == 0)
					break;
				free(buf);
				if (n < 0) {
					cs_error_set(err, CS_ERR_IO, name, 0, "cannot read: %s",
					             strerror(errno));
					return -1;
				}
				cs_error_set(err, CS_ERR_SECURITY, name, 0,
				             "file too large (limit %zu bytes)", max);
				return -1;
			}
			cap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
			buf = cs_xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + have, cap - have - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_error_set(err, CS_ERR_IO, name, 0, "cannot read: %s", strerror(errno));
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	buf[have] = '\0';
	*out = buf;
	if (len)
		*len = have;
	return 0;
}

int cs_read_file(const char *path, size_t max, char **out, size_t *len, struct cs_error *err)
{
	struct stat st;
	int fd, ret;

	*out = NULL;
	fd = cs_file_open(path, &st, err);
	if (fd < 0)
		return -1;
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		cs_error_set(err, CS_ERR_SECURITY, path, 0,
		             "file too large: %lld bytes (limit %zu)", (long long)st.st_size, max);
		close(fd);
		return -1;
	}
	ret = cs_read_fd(fd, strcmp(path, "-") ? path : "<stdin>",
	                 S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, max, out, len, err);
	close(fd);
	return ret;
}

/* The temporary file of the write in progress, for the signal handlers:
 * they unlink it (async-signal-safe) and re-raise with the default action. */
static char tmp_path[4096];
static volatile sig_atomic_t tmp_live;
static const int caught_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ};
#define NCAUGHT (sizeof(caught_signals) / sizeof(caught_signals[0]))

static void remove_tmp_and_reraise(int sig)
{
	if (tmp_live)
		(void)unlink(tmp_path);
	tmp_live = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* SIGXFSZ and SIGPIPE are ignored during the write (write() then fails with
 * EFBIG or EPIPE and the message says why); the others remove the temporary
 * file and end the process as they would have. */
static void guard_signals(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaddset(&sa.sa_mask, caught_signals[i]);
	for (size_t i = 0; i < NCAUGHT; i++) {
		int sig = caught_signals[i];

		sa.sa_handler = sig == SIGXFSZ || sig == SIGPIPE ? SIG_IGN : remove_tmp_and_reraise;
		sigaction(sig, NULL, &old[i]);
		/* A signal the caller ignores stays ignored. */
		if (old[i].sa_handler == SIG_IGN)
			continue;
		sigaction(sig, &sa, NULL);
	}
}

static void unguard_signals(const struct sigaction *old)
{
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught_signals[i], &old[i], NULL);
}

static const char *write_errmsg(int e)
{
	if (e == EFBIG)
		return "file size limit exceeded (ulimit -f)";
	if (e == ENOSPC)
		return "no space left on the device";
	if (e == EDQUOT)
		return "disk quota exceeded";
	return strerror(e);
}

/* The file a save replaces: path itself, or what its symbolic links lead
 * to (the links stay links).  Refuses a file with several hard links, which
 * renaming would split.  *exists says whether it exists; *st describes it. */
static char *save_target(const char *path, struct stat *st, bool *exists, struct cs_error *err)
{
	char *real;

	*exists = false;
	if (lstat(path, st) < 0) {
		if (errno != ENOENT) {
			cs_error_set(err, CS_ERR_IO, path, 0, "cannot save: %s", strerror(errno));
			return NULL;
		}
		return cs_xstrdup(path);
	}
	if (S_ISLNK(st->st_mode)) {
		real = realpath(path, NULL);
		if (!real) {
			cs_error_set(err, CS_ERR_IO, path, 0,
			             "cannot save: the symbolic link leads nowhere usable: %s",
			             strerror(errno));
			return NULL;
		}
		if (stat(real, st) < 0) {
			cs_error_set(err, CS_ERR_IO, path, 0, "cannot save: %s", strerror(errno));
			free(real);
			return NULL;
		}
	} else {
		real = cs_xstrdup(path);
	}
	if (!S_ISREG(st->st_mode)) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot save: %s is %s", real,
		             file_kind(st->st_mode));
		free(real);
		return NULL;
	}
	if (st->st_nlink > 1) {
		cs_error_set(err, CS_ERR_IO, path, 0,
		             "cannot save: the file has %lu hard links, which replacing it would "
		             "split; write to a new file instead",
		             (unsigned long)st->st_nlink);
		free(real);
		return NULL;
	}
	*exists = true;
	return real;
}

/* Give the new file the old one's owner, group and mode (owner and group as
 * far as we may: a file we cannot chown keeps our own). */
static int copy_attributes(int fd, const char *path, const struct stat *st, bool exists,
                           struct cs_error *err)
{
	mode_t mode;

	if (exists) {
		/* A file not ours to give away becomes ours (and keeps its
		 * group when we belong to it). */
		if (fchown(fd, st->st_uid, st->st_gid) < 0)
			(void)!fchown(fd, (uid_t)-1, st->st_gid);
		mode = st->st_mode & 07777;
	} else {
		mode_t um = umask(0);

		umask(um);
		mode = 0666 & ~um;
	}
	if (fchmod(fd, mode) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot set permissions: %s",
		             strerror(errno));
		return -1;
	}
	return 0;
}

static int write_all(int fd, const char *path, const char *data, size_t len, struct cs_error *err)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_error_set(err, CS_ERR_IO, path, 0, "cannot write: %s",
			             write_errmsg(errno));
			return -1;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot write: %s", write_errmsg(errno));
		return -1;
	}
	return 0;
}

int cs_write_file_atomic(const char *path, const char *data, size_t len, struct cs_error *err)
{
	struct sigaction old[NCAUGHT];
	struct stat st;
	bool exists;
	char *target, *dircopy;
	const char *dir;
	int fd, dfd, ret = -1;

	target = save_target(path, &st, &exists, err);
	if (!target)
		return -1;
	dircopy = cs_xstrdup(target);
	dir = dirname(dircopy);
	if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s.tmp.XXXXXX", target) >=
	    sizeof(tmp_path)) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot save: the path is too long");
		goto out;
	}
	guard_signals(old);
	tmp_live = 1;
	fd = mkstemp(tmp_path);
	if (fd < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot create temporary file in %s: %s", dir,
		             strerror(errno));
		tmp_live = 0;
		goto unguard;
	}
	if (copy_attributes(fd, path, &st, exists, err) < 0 ||
	    write_all(fd, path, data, len, err) < 0) {
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot write: %s", write_errmsg(errno));
		goto fail;
	}
	if (rename(tmp_path, target) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot rename %s into place: %s", tmp_path,
		             strerror(errno));
		goto fail;
	}
	tmp_live = 0;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	ret = 0;
	goto unguard;
fail:
	tmp_live = 0;
	unlink(tmp_path);
unguard:
	unguard_signals(old);
out:
	free(dircopy);
	free(target);
	return ret;
}

/* ---- The cache directory ------------------------------------------------- */

char *cs_cache_dir_default(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (xdg && *xdg == '/')
		return cs_xasprintf("%s/cpuscope", xdg);
	if (home && *home)
		return cs_xasprintf("%s/.cache/cpuscope", home);
	return NULL;
}

int cs_make_dirs(const char *dir)
{
	char *p = cs_xstrdup(dir);
	int ret = 0;

	for (char *s = p + 1; *s && ret == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			ret = -1;
		*s = '/';
	}
	if (ret == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
		ret = -1;
	free(p);
	return ret;
}
