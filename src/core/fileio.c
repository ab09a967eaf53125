/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fileio.c: bounded file reading and atomic file writing */
#include "cpuscope/cpumap.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpuscope/xalloc.h"

int cs_read_file(const char *path, size_t max, char **out, size_t *len, struct cs_error *err)
{
	int fd = -1;
	struct stat st;
	char *buf = NULL;
	size_t have = 0, cap;
	int ret = -1;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		cs_error_set(err, CS_ERR_IO, path, 0, "is a directory");
		goto out;
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		cs_error_set(err, CS_ERR_SECURITY, path, 0,
		             "file too large: %lld bytes (limit %zu)", (long long)st.st_size, max);
		goto out;
	}
	/* Pipes and /proc files report no size: read until EOF, within max. */
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
	buf = cs_xmalloc(cap);
	for (;;) {
		ssize_t n;

		if (have + 1 >= cap) {
			if (cap > max + 1) {
				cs_error_set(err, CS_ERR_SECURITY, path, 0,
				             "file too large (limit %zu bytes)", max);
				goto out;
			}
			cap *= 2;
			buf = cs_xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + have, cap - have - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_error_set(err, CS_ERR_IO, path, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (have > max) {
			cs_error_set(err, CS_ERR_SECURITY, path, 0,
			             "file too large (limit %zu bytes)", max);
			goto out;
		}
	}
	buf[have] = '\0';
	*out = buf;
	buf = NULL;
	if (len)
		*len = have;
	ret = 0;
out:
	free(buf);
	if (fd >= 0)
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
