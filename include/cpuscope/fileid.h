/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fileid.h: which file a path names (device and inode), for "same file" questions */
#ifndef CPUSCOPE_FILEID_H
#define CPUSCOPE_FILEID_H

#include <stdbool.h>
#include <sys/types.h>

/* A file as the system knows it: two paths name the same file when their
 * ids are equal, whatever their spelling ("./dom.xml", "dom.xml", a link). */
struct cs_file_id {
	dev_t dev;
	ino_t ino;
};

/* The id of the file path names (links followed); false when it does not
 * exist or cannot be reached. */
bool cs_file_id(const char *path, struct cs_file_id *out);
bool cs_file_id_equal(const struct cs_file_id *a, const struct cs_file_id *b);
/* Whether both paths exist and name the same file. */
bool cs_same_file(const char *a, const char *b);

#endif
