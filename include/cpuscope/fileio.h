/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fileio.h: the one way cpuscope opens and reads the files it is given */
#ifndef CPUSCOPE_FILEIO_H
#define CPUSCOPE_FILEIO_H

#include <stddef.h>
#include <sys/stat.h>

#include "cpuscope/error.h"

/* Open path for reading, as every reader does.  "-" is standard input (a
 * duplicate of descriptor 0; anything but a directory is accepted there).
 * A named path must be a regular file, a pipe or a FIFO: directories,
 * devices and sockets are refused before they are opened, so that opening
 * never blocks and never has a device's side effects.  A FIFO is opened
 * without waiting for a writer; reading it then ends at once when it has
 * none.  Returns a blocking, close-on-exec descriptor with *st (when not
 * NULL) describing it, or -1 with err set naming the path. */
int cs_file_open(const char *path, struct stat *st, struct cs_error *err);

/* Read fd to its end, at most max bytes, into a NUL-terminated buffer
 * (*out, caller frees; *len its length when len is not NULL).  size_hint is
 * the expected size (0 when unknown); the buffer never grows past max + 1.
 * name is used in messages.  0, or -1 with err set. */
int cs_read_fd(int fd, const char *name, size_t size_hint, size_t max, char **out, size_t *len,
               struct cs_error *err);

/* cs_file_open() then cs_read_fd(): a whole file in memory. */
int cs_read_file(const char *path, size_t max, char **out, size_t *len, struct cs_error *err);

/* Write data to path atomically: a temporary file in the same directory,
 * fsync, rename over path, fsync of the directory.  A symbolic link is
 * followed (the file it leads to is replaced; the link stays); an existing
 * file keeps its mode, and its owner and group as far as we may set them; a
 * file with several hard links is refused (renaming would split it).  While
 * writing, SIGINT, SIGTERM, SIGHUP and SIGQUIT remove the temporary file and
 * then take their usual effect; SIGXFSZ and SIGPIPE turn into write errors.
 * On failure path is left untouched and no temporary file remains. */
int cs_write_file_atomic(const char *path, const char *data, size_t len, struct cs_error *err);

/* Where cpuscope keeps what it caches: $XDG_CACHE_HOME/cpuscope when that is
 * an absolute path, else ~/.cache/cpuscope; NULL without a home.  New string. */
char *cs_cache_dir_default(void);

/* Create dir and its missing parents, mode 0700.  0, or -1 with errno. */
int cs_make_dirs(const char *dir);

#endif
