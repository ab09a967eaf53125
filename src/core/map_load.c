/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_load.c: detect a map's format from its content, and save by file extension */
#include "cpuscope/cpumap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct cs_map *cs_map_load(const char *path, struct cs_error *err)
{
	struct stat st;
	char head[512];
	ssize_t n;
	int fd;
	size_t i = 0;

	if (!path || !*path) {
		cs_error_set(err, CS_ERR_IO, NULL, 0, "no CPU map path given");
		return NULL;
	}
	if (stat(path, &st) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot open CPU map: %s", strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode))
		return cs_map_load_xml(path, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot open CPU map: %s", strerror(errno));
		return NULL;
	}
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot read CPU map: %s", strerror(errno));
		return NULL;
	}
	head[n] = '\0';
	/* Skip a UTF-8 byte order mark and white space: XML starts with '<'. */
	if (n >= 3 && !memcmp(head, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < (size_t)n && strchr(" \t\r\n", head[i]))
		i++;
	if (i == (size_t)n) {
		cs_error_set(err, CS_ERR_INVALID, path, 0, "empty CPU map file");
		return NULL;
	}
	if (head[i] == '<')
		return cs_map_load_xml(path, err);
	return cs_map_load_yaml(path, err);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcasecmp(s + ls - lx, suffix);
}

int cs_map_save(const struct cs_map *map, const char *path, struct cs_error *err)
{
	char *out = NULL;
	size_t len = 0;
	int rc;

	if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
		rc = cs_map_to_yaml(map, &out, &len, err);
	} else if (ends_with(path, ".xml")) {
		rc = cs_map_to_legacy_xml(map, &out, &len, err);
	} else {
		cs_error_set(err, CS_ERR_INVALID, path, 0,
		             "cannot tell the output format: use a .yaml, .yml or .xml file name");
		return -1;
	}
	if (rc == 0)
		rc = cs_write_file_atomic(path, out, len, err);
	free(out);
	return rc;
}
