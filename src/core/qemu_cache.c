/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu_cache.c: the options QEMU is asked with, and the cache of its answers */
#include "qemu_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/fileio.h"
#include "cpuscope/xalloc.h"

#define DEFAULT_BINARY  "qemu-system-x86_64"
#define DEFAULT_MACHINE "pc"
#define CACHE_FORMAT    "cpuscope-qemu-cache/1"
#define CACHE_MAX       (8u * 1024u * 1024u)

/* ---- Options and the environment --------------------------------------- */

/* name on $PATH, as a new string, or NULL. */
static char *find_on_path(const char *name)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL, *found = NULL;

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	copy = cs_xstrdup(path);
	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *cand = cs_xasprintf("%s/%s", *dir ? dir : ".", name);
		struct stat st;

		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
			found = cand;
		else
			free(cand);
	}
	free(copy);
	return found;
}

void cs_qemu_run_release(struct cs_qemu_run *r)
{
	free(r->binary);
	free(r->cache_dir);
	memset(r, 0, sizeof(*r));
}

int cs_qemu_run_init(struct cs_qemu_run *r, const struct cs_qemu_opts *o, struct cs_error *err)
{
	static const struct cs_qemu_opts none;
	const char *bin;
	char *found = NULL;
	struct utsname u;

	memset(r, 0, sizeof(*r));
	if (!o)
		o = &none;
	bin = o->binary ? o->binary : DEFAULT_BINARY;
	if (!strchr(bin, '/')) {
		found = find_on_path(bin);
		if (!found) {
			cs_error_set(err, CS_ERR_SYSTEM, bin, 0, "not found on PATH");
			return -1;
		}
		bin = found;
	}
	r->binary = realpath(bin, NULL);
	if (!r->binary || stat(r->binary, &r->st) < 0) {
		cs_error_set(err, CS_ERR_SYSTEM, bin, 0, "cannot run: %s", strerror(errno));
		free(found);
		cs_qemu_run_release(r);
		return -1;
	}
	free(found);
	if (o->accel) {
		r->accel = o->accel;
	} else {
		int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

		r->accel = fd >= 0 ? "kvm" : "tcg";
		if (fd >= 0)
			close(fd);
	}
	r->machine = o->machine ? o->machine : DEFAULT_MACHINE;
	r->timeout_ms = o->timeout_ms ? o->timeout_ms : CS_QEMU_TIMEOUT_MS;
	if (!o->no_cache)
		r->cache_dir = o->cache_dir ? cs_xstrdup(o->cache_dir) : cs_cache_dir_default();
	if (uname(&u) == 0)
		snprintf(r->kernel, sizeof(r->kernel), "%s", u.release);
	return 0;
}

/* ---- The cache ----------------------------------------------------------- */

static char *stat_time(const struct timespec *ts)
{
	return cs_xasprintf("%lld.%09ld", (long long)ts->tv_sec, ts->tv_nsec);
}

static void add_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val ? val : ""));
}

/* What a cached answer depends on.  cpu is NULL for the probe. */
struct json_object *cs_qemu_cache_key(const struct cs_qemu_run *r, const char *cpu)
{
	struct json_object *k = json_object_new_object();
	char *mt = stat_time(&r->st.st_mtim), *ct = stat_time(&r->st.st_ctim);

	add_str(k, "format", CACHE_FORMAT);
	add_str(k, "binary", r->binary);
	json_object_object_add(k, "size", json_object_new_int64((int64_t)r->st.st_size));
	json_object_object_add(k, "inode", json_object_new_int64((int64_t)r->st.st_ino));
	add_str(k, "mtime", mt);
	add_str(k, "ctime", ct);
	add_str(k, "accel", r->accel);
	add_str(k, "machine", r->machine);
	add_str(k, "kernel", r->kernel);
	if (cpu)
		add_str(k, "cpu", cpu);
	free(mt);
	free(ct);
	return k;
}

/* The entry's file: its kind and a hash of its key. */
char *cs_qemu_cache_path(const struct cs_qemu_run *r, const char *kind, struct json_object *key)
{
	const char *s = json_object_to_json_string_ext(key, JSON_C_TO_STRING_PLAIN);
	uint64_t h = 0xcbf29ce484222325ull;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return cs_xasprintf("%s/%s-%016llx.json", r->cache_dir, kind, (unsigned long long)h);
}

/* The entry's answer (a new reference) when the file holds one for key. */
struct json_object *cs_qemu_cache_load(const char *path, struct json_object *key)
{
	struct json_object *doc, *k, *a, *ret = NULL;
	char *text = NULL;

	if (cs_read_file(path, CACHE_MAX, &text, NULL, NULL) < 0)
		return NULL;
	doc = json_tokener_parse(text);
	free(text);
	if (doc && json_object_object_get_ex(doc, "key", &k) && json_object_equal(k, key) &&
	    json_object_object_get_ex(doc, "answer", &a) &&
	    json_object_is_type(a, json_type_object))
		ret = json_object_get(a);
	json_object_put(doc);
	return ret;
}

/* Write {key, answer} atomically; failures leave no cache, nothing more. */
void cs_qemu_cache_store(const struct cs_qemu_run *r, const char *path, struct json_object *key,
                         struct json_object *answer)
{
	struct json_object *doc;
	const char *s;

	if (cs_make_dirs(r->cache_dir) < 0)
		return;
	doc = json_object_new_object();
	json_object_object_add(doc, "key", json_object_get(key));
	json_object_object_add(doc, "answer", json_object_get(answer));
	s = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	(void)cs_write_file_atomic(path, s, strlen(s), NULL);
	json_object_put(doc);
}
