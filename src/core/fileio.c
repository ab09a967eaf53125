/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fileio.c: bounded file reading and atomic file writing */
#include "cpuscope/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
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
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
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

int cs_write_file_atomic(const char *path, const char *data, size_t len, struct cs_error *err)
{
	char *dircopy = cs_xstrdup(path);
	const char *dir = dirname(dircopy);
	char *tmp = cs_xasprintf("%s.tmp.XXXXXX", path);
	struct stat st;
	int fd, dfd;
	size_t off = 0;
	int ret = -1;

	fd = mkstemp(tmp);
	if (fd < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot create temporary file in %s: %s", dir,
		             strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* Keep the permissions of the file being replaced, else the umask's. */
	if (stat(path, &st) == 0) {
		if (fchmod(fd, st.st_mode & 07777) < 0) {
			cs_error_set(err, CS_ERR_IO, path, 0, "cannot set permissions: %s",
			             strerror(errno));
			goto fail;
		}
	} else {
		mode_t um = umask(0);

		umask(um);
		if (fchmod(fd, 0666 & ~um) < 0) {
			cs_error_set(err, CS_ERR_IO, path, 0, "cannot set permissions: %s",
			             strerror(errno));
			goto fail;
		}
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_error_set(err, CS_ERR_IO, path, 0, "cannot write: %s", strerror(errno));
			goto fail;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot sync: %s", strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot close: %s", strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot rename %s into place: %s", tmp,
		             strerror(errno));
		goto fail;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	ret = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(dircopy);
	return ret;
}
