/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu_int.h: internals shared by the modules that ask QEMU: resolved options, the answer cache */
#ifndef CPUSCOPE_QEMU_INT_H
#define CPUSCOPE_QEMU_INT_H

#include <sys/stat.h>

#include "cpuscope/qmp.h"

/* The options with every default filled in. */
struct cs_qemu_run {
	char *binary; /* real path */
	struct stat st;
	const char *accel, *machine; /* borrowed from the options, or constants */
	unsigned timeout_ms;
	char *cache_dir; /* NULL: no cache */
	char kernel[65]; /* uname -r */
};

/* Resolve o (NULL: all defaults) into r: find the binary on PATH, pick the
 * accelerator, the machine, the time limit and the cache directory.
 * Returns -1 with err naming the binary when it cannot be found; r is then
 * empty.  Release r with cs_qemu_run_release(). */
int cs_qemu_run_init(struct cs_qemu_run *r, const struct cs_qemu_opts *o, struct cs_error *err);
void cs_qemu_run_release(struct cs_qemu_run *r);

/* The key a cached answer depends on (a new JSON object): the binary's
 * identity, accelerator, machine and kernel, and cpu (NULL for the probe). */
struct json_object *cs_qemu_cache_key(const struct cs_qemu_run *r, const char *cpu);
/* The file for key under r->cache_dir, kind "probe" or "verify" (new string). */
char *cs_qemu_cache_path(const struct cs_qemu_run *r, const char *kind, struct json_object *key);
/* The answer stored at path for exactly key (a new reference), or NULL when
 * the file is missing, unreadable, malformed or for another key. */
struct json_object *cs_qemu_cache_load(const char *path, struct json_object *key);
/* Store answer for key at path, atomically; creates the directory (0700).
 * A failure only means there is no cache. */
void cs_qemu_cache_store(const struct cs_qemu_run *r, const char *path, struct json_object *key,
                         struct json_object *answer);

#endif
