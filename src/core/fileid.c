/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fileid.c: which file a path names (device and inode) */
#include "cpuscope/fileid.h"

#include <string.h>
#include <sys/stat.h>

bool cs_file_id(const char *path, struct cs_file_id *out)
{
	struct stat st;

	memset(out, 0, sizeof(*out));
	if (!path || stat(path, &st) < 0)
		return false;
	out->dev = st.st_dev;
	out->ino = st.st_ino;
	return true;
}

bool cs_file_id_equal(const struct cs_file_id *a, const struct cs_file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

bool cs_same_file(const char *a, const char *b)
{
	struct cs_file_id x, y;

	return cs_file_id(a, &x) && cs_file_id(b, &y) && cs_file_id_equal(&x, &y);
}
