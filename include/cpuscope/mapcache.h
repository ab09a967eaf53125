/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mapcache.h: a loaded CPU map kept on disk, reused while its files are unchanged */
#ifndef CPUSCOPE_MAPCACHE_H
#define CPUSCOPE_MAPCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/fileio.h"

/* Load path as cs_map_load() does, through the cache in cache_dir (NULL: no
 * cache, a plain cs_map_load()).  A cached map answers only when it was
 * written by this very executable and every file the map was read from still
 * has the device, inode, size, modification and change times it had then;
 * otherwise the map is loaded from its files and, when that succeeds and no
 * file changed in the last two seconds, the cache is rewritten.  Standard
 * input, pipes and FIFOs are never cached.  Failing to read or write the
 * cache is never an error.  *from_cache (when not NULL) says which it was. */
struct cs_map *cs_map_load_cached(const char *path, const char *cache_dir, bool *from_cache,
                                  struct cs_error *err);

/* The cache file for path under cache_dir (new string): one per map path
 * (and working directory, for a relative one) and running executable. */
char *cs_map_cache_file(const char *path, const char *cache_dir);

/* The cache's form of map, with each of its files as stat() sees it now:
 * 0 and a new buffer, or -1 when a file cannot be looked at. */
int cs_map_cache_encode(const struct cs_map *map, char **out, size_t *len);

/* The map held in buf, or NULL when buf is not a whole, sound cache entry
 * written for path.  With check set, also NULL unless this very executable
 * wrote it and none of the map's files changed since; without, those two
 * are not looked at (the tests and the fuzzer read entries that way). */
struct cs_map *cs_map_cache_decode(const char *buf, size_t len, const char *path, bool check);

#endif
