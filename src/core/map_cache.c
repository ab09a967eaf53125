/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_cache.c: a loaded CPU map kept on disk in a compact binary form.
 *
 * An entry holds what it depends on (this executable and every file the
 * map was read from, as stat() saw them), then the map as built: each
 * entry's name, data, file and line.  Numbers are in the machine's byte
 * order (the entry names the executable that wrote it, so it is never read
 * on another machine); strings are a length, the bytes and a NUL.  A
 * reader trusts nothing: every count is bounded by the bytes left, every
 * index by what it points into, and the map is rebuilt through the same
 * calls the loaders use, then resolved. */
#include "cpuscope/mapcache.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cpuscope/escape.h"
#include "cpuscope/fileio.h"
#include "cpuscope/version.h"
#include "cpuscope/xalloc.h"
#include "strbuf.h"

#define MAGIC           "cpuscope-map-cache\n"
#define MAGIC_LEN       (sizeof(MAGIC) - 1)
#define CACHE_FORMAT    1u
#define BYTE_ORDER_MARK 0x01020304u
#define NO_STRING       UINT32_MAX
#define END_MARK        0x454e4421u
#define CACHE_MAX       (16u * 1024u * 1024u)
/* A file changed this recently may change again within the same clock
 * tick, unseen: such a map is not cached. */
#define SETTLE_SECONDS 2

/* ---- Where ------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

char *cs_map_cache_file(const char *path, const char *cache_dir)
{
	uint64_t h = 0xcbf29ce484222325ull;
	char buf[4096];
	ssize_t n;

	/* a relative path means a different map in another directory */
	if (path[0] != '/' && getcwd(buf, sizeof(buf)))
		h = fnv(h, buf, strlen(buf) + 1);
	h = fnv(h, path, strlen(path) + 1);
	/* each installed or built executable keeps its own entries, so that
	 * two of them used in turn do not replace each other's every time */
	n = readlink("/proc/self/exe", buf, sizeof(buf));
	if (n > 0)
		h = fnv(h, buf, (size_t)n);
	return cs_xasprintf("%s/map-%016llx.bin", cache_dir, (unsigned long long)h);
}

/* ---- Writing -------------------------------------------------------------- */

static void put(struct cs_buf *b, const void *p, size_t n)
{
	cs_buf_addn(b, p, n);
}

static void put_u8(struct cs_buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(b, &c, 1);
}

static void put_u16(struct cs_buf *b, unsigned v)
{
	uint16_t x = (uint16_t)v;

	put(b, &x, sizeof(x));
}

static void put_u32(struct cs_buf *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static void put_u64(struct cs_buf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

static void put_str(struct cs_buf *b, const char *s)
{
	if (!s) {
		put_u32(b, NO_STRING);
		return;
	}
	put_u32(b, (uint32_t)strlen(s));
	put(b, s, strlen(s) + 1);
}

/* What an entry depends on, for one file. */
static void put_stat(struct cs_buf *b, const struct stat *st)
{
	put_u64(b, (uint64_t)st->st_dev);
	put_u64(b, (uint64_t)st->st_ino);
	put_u64(b, (uint64_t)st->st_size);
	put_u64(b, (uint64_t)st->st_mtim.tv_sec);
	put_u64(b, (uint64_t)st->st_mtim.tv_nsec);
	put_u64(b, (uint64_t)st->st_ctim.tv_sec);
	put_u64(b, (uint64_t)st->st_ctim.tv_nsec);
}

/* The index of a map file pointer, or NO_STRING for none. */
static uint32_t file_index(const struct cs_map *map, const char *file)
{
	for (size_t i = 0; i < map->nfiles; i++)
		if (map->files[i] == file)
			return (uint32_t)i;
	return NO_STRING;
}

static void put_ids(struct cs_buf *b, const struct cs_fset *set)
{
	unsigned n = 0;
	int id;

	cs_fset_foreach (id, set)
		n++;
	put_u32(b, n);
	cs_fset_foreach (id, set)
		put_u16(b, (unsigned)id);
}

static void put_model(struct cs_buf *b, const struct cs_map *map, const struct cs_model *m)
{
	put_str(b, m->name);
	put_u32(b, (uint32_t)m->parent);
	put_u32(b, (uint32_t)m->vendor);
	put_u8(b, (unsigned)m->vendor_own | (unsigned)m->has_decode << 1 |
	                  (unsigned)m->decode_host << 2 | (unsigned)m->decode_guest << 3 |
	                  (unsigned)m->sigs_own << 4);
	put_u32(b, (uint32_t)m->nsigs);
	for (size_t i = 0; i < m->nsigs; i++) {
		put_u32(b, m->sigs[i].family);
		put_u32(b, m->sigs[i].model);
		put_u16(b, m->sigs[i].steppings);
	}
	put_u32(b, (uint32_t)m->npvrs);
	for (size_t i = 0; i < m->npvrs; i++) {
		put_u32(b, m->pvrs[i].value);
		put_u32(b, m->pvrs[i].mask);
		put_u8(b, m->pvrs[i].has_mask);
	}
	put_u32(b, (uint32_t)m->nown);
	for (size_t i = 0; i < m->nown; i++)
		put_u16(b, m->own_list[i]);
	put_ids(b, &m->removed);
	put_u32(b, m->line);
	put_u32(b, file_index(map, m->file));
}

static void put_arch(struct cs_buf *b, const struct cs_map *map, const struct cs_arch *a)
{
	put_str(b, a->name);
	put_u32(b, (uint32_t)a->nvendors);
	for (size_t i = 0; i < a->nvendors; i++) {
		const struct cs_vendor *v = &a->vendors[i];

		put_str(b, v->name);
		put_str(b, v->string);
		put_u32(b, v->value);
		put_u8(b, v->has_value);
		put_u32(b, v->line);
		put_u32(b, file_index(map, v->file));
	}
	put_u32(b, (uint32_t)a->nfeatures);
	for (size_t i = 0; i < a->nfeatures; i++) {
		const struct cs_feature *f = &a->features[i];

		put_str(b, f->name);
		put_u32(b, (uint32_t)f->nitems);
		for (size_t k = 0; k < f->nitems; k++) {
			put_u8(b, f->items[k].kind);
			put_u32(b, f->items[k].leaf);
			put_u32(b, f->items[k].subleaf);
			for (int r = 0; r < CS_REG_COUNT; r++)
				put_u32(b, f->items[k].reg[r]);
		}
		put_u32(b, (uint32_t)f->naliases);
		for (size_t k = 0; k < f->naliases; k++) {
			put_str(b, f->aliases[k].name);
			put_str(b, f->aliases[k].source);
		}
		put_u8(b, f->migratable);
		put_u32(b, f->line);
		put_u32(b, file_index(map, f->file));
	}
	put_u32(b, (uint32_t)a->nmodels);
	for (size_t i = 0; i < a->nmodels; i++)
		put_model(b, map, &a->models[i]);
}

/* The executable an entry was written by: the same one, rebuilt or not. */
static int exe_stat(struct stat *st)
{
	return stat("/proc/self/exe", st);
}

static void put_header(struct cs_buf *b, const struct stat *exe)
{
	put(b, MAGIC, MAGIC_LEN);
	put_u32(b, BYTE_ORDER_MARK);
	put_u32(b, CACHE_FORMAT);
	put_str(b, CPUSCOPE_VERSION);
	put_stat(b, exe);
}

/* The entry for map; with newest set, -1 as well when a file of the map
 * changed after it (a file may change again within its clock tick unseen). */
static int encode(const struct cs_map *map, time_t newest, char **out, size_t *len)
{
	struct cs_buf b = {0};
	struct stat st;

	*out = NULL;
	if (exe_stat(&st) < 0)
		return -1;
	put_header(&b, &st);
	put_str(&b, map->path);
	put_u32(&b, (uint32_t)map->nfiles);
	for (size_t i = 0; i < map->nfiles; i++) {
		if (stat(map->files[i], &st) < 0 || !S_ISREG(st.st_mode) ||
		    (newest && (st.st_mtim.tv_sec > newest || st.st_ctim.tv_sec > newest))) {
			cs_buf_release(&b);
			return -1;
		}
		put_str(&b, map->files[i]);
		put_stat(&b, &st);
	}
	put_u32(&b, map->format);
	put_str(&b, map->comment);
	put_u32(&b, (uint32_t)map->narches);
	for (size_t i = 0; i < map->narches; i++)
		put_arch(&b, map, &map->arches[i]);
	put_u32(&b, END_MARK);
	*len = b.len;
	*out = cs_buf_detach(&b);
	return 0;
}

int cs_map_cache_encode(const struct cs_map *map, char **out, size_t *len)
{
	return encode(map, 0, out, len);
}

/* ---- Reading -------------------------------------------------------------- */

struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static bool take(struct rd *r, void *dst, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		memset(dst, 0, n);
		return false;
	}
	memcpy(dst, r->p, n);
	r->p += n;
	return true;
}

static unsigned get_u8(struct rd *r)
{
	unsigned char c;

	take(r, &c, 1);
	return c;
}

static unsigned get_u16(struct rd *r)
{
	uint16_t v;

	take(r, &v, sizeof(v));
	return v;
}

static uint32_t get_u32(struct rd *r)
{
	uint32_t v;

	take(r, &v, sizeof(v));
	return v;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t v;

	take(r, &v, sizeof(v));
	return v;
}

/* A string borrowed from the buffer, UTF-8 as every loader gives; NULL for
 * none (or when bad). */
static const char *get_str(struct rd *r)
{
	uint32_t n = get_u32(r);
	const char *s;

	if (r->bad || n == NO_STRING)
		return NULL;
	if ((size_t)(r->end - r->p) <= n || r->p[n] != '\0' || memchr(r->p, '\0', n) ||
	    !cs_utf8_valid((const char *)r->p)) {
		r->bad = true;
		return NULL;
	}
	s = (const char *)r->p;
	r->p += (size_t)n + 1;
	return s;
}

/* A name: present and not empty, as every loader requires. */
static const char *get_name(struct rd *r)
{
	const char *s = get_str(r);

	if (!s || !*s)
		r->bad = true;
	return r->bad ? NULL : s;
}

/* What the loaders require of an x86 section and nowhere else. */
static bool is_x86(const struct cs_arch *a)
{
	return !strcmp(a->name, "x86");
}

/* A count of elements of at least unit bytes each, bounded by what is left. */
static size_t get_count(struct rd *r, size_t unit, size_t max)
{
	uint32_t n = get_u32(r);

	if (r->bad || n > max || (size_t)n * unit > (size_t)(r->end - r->p)) {
		r->bad = true;
		return 0;
	}
	return n;
}

static bool same_stat(struct rd *r, const struct stat *st)
{
	uint64_t v[7] = {0};

	for (int i = 0; i < 7; i++)
		v[i] = get_u64(r);
	return !r->bad && v[0] == (uint64_t)st->st_dev && v[1] == (uint64_t)st->st_ino &&
	       v[2] == (uint64_t)st->st_size && v[3] == (uint64_t)st->st_mtim.tv_sec &&
	       v[4] == (uint64_t)st->st_mtim.tv_nsec && v[5] == (uint64_t)st->st_ctim.tv_sec &&
	       v[6] == (uint64_t)st->st_ctim.tv_nsec;
}

static void skip_stat(struct rd *r)
{
	for (int i = 0; i < 7; i++)
		(void)get_u64(r);
}

/* The header, and with check set whether this executable wrote it. */
static bool get_header(struct rd *r, bool check)
{
	struct stat st;
	const char *version;

	if ((size_t)(r->end - r->p) < MAGIC_LEN || memcmp(r->p, MAGIC, MAGIC_LEN))
		return false;
	r->p += MAGIC_LEN;
	if (get_u32(r) != BYTE_ORDER_MARK || get_u32(r) != CACHE_FORMAT)
		return false;
	version = get_str(r);
	if (!version || strcmp(version, CPUSCOPE_VERSION))
		return false;
	if (!check) {
		skip_stat(r);
		return !r->bad;
	}
	return exe_stat(&st) == 0 && same_stat(r, &st);
}

/* A map file's index as stored: a file of the map, or none. */
static const char *get_file(struct rd *r, const struct cs_map *map)
{
	uint32_t i = get_u32(r);

	if (i == NO_STRING)
		return NULL;
	if (i >= map->nfiles) {
		r->bad = true;
		return NULL;
	}
	return map->files[i];
}

static void get_vendors(struct rd *r, struct cs_map *map, struct cs_arch *a)
{
	size_t n = get_count(r, 18, SIZE_MAX);

	for (size_t i = 0; i < n && !r->bad; i++) {
		const char *name = get_name(r), *string = get_str(r);
		uint32_t value = get_u32(r);
		unsigned has_value = get_u8(r), line = get_u32(r);
		const char *file = get_file(r, map);
		struct cs_vendor *v;

		if (r->bad || (string && strlen(string) != 12) || (is_x86(a) && !string) ||
		    has_value > 1)
			break;
		v = cs_arch_add_vendor(a, name, file, line, NULL);
		if (!v)
			break;
		v->string = cs_xstrdup(string);
		v->value = value;
		v->has_value = has_value;
	}
	if (a->nvendors != n)
		r->bad = true;
}

static void get_items(struct rd *r, struct cs_feature *f)
{
	size_t n = get_count(r, 25, CS_MAX_FEATURE_ITEMS);

	for (size_t k = 0; k < n && !r->bad; k++) {
		struct cs_item it;
		unsigned kind = get_u8(r);

		it.kind = kind == CS_ITEM_MSR ? CS_ITEM_MSR : CS_ITEM_CPUID;
		it.leaf = get_u32(r);
		it.subleaf = get_u32(r);
		for (int i = 0; i < CS_REG_COUNT; i++)
			it.reg[i] = get_u32(r);
		if (kind > CS_ITEM_MSR)
			r->bad = true;
		if (!r->bad)
			cs_feature_add_item(f, &it);
	}
	if (f->nitems != n)
		r->bad = true;
}

static void get_features(struct rd *r, struct cs_map *map, struct cs_arch *a)
{
	size_t n = get_count(r, 17, CS_FSET_MAX);

	for (size_t i = 0; i < n && !r->bad; i++) {
		const char *name = get_name(r);
		struct cs_feature *f = r->bad ? NULL : cs_arch_add_feature(a, name, NULL, 0, NULL);
		size_t naliases;
		unsigned migratable;

		if (!f)
			break;
		get_items(r, f);
		naliases = get_count(r, 8, SIZE_MAX);
		for (size_t k = 0; k < naliases && !r->bad; k++) {
			const char *alias = get_name(r), *source = get_str(r);

			if (!r->bad)
				cs_feature_add_alias(f, alias, source);
		}
		migratable = get_u8(r);
		f->migratable = migratable == 1;
		f->line = get_u32(r);
		f->file = get_file(r, map);
		if (migratable > 1 || (is_x86(a) && !cs_feature_has_bits(f)))
			r->bad = true;
	}
	if (a->nfeatures != n)
		r->bad = true;
}

/* A feature id list: each below the arch's count, called on each one. */
static size_t get_id(struct rd *r, const struct cs_arch *a)
{
	unsigned id = get_u16(r);

	if (id >= a->nfeatures)
		r->bad = true;
	return r->bad ? 0 : id;
}

static void get_model_data(struct rd *r, const struct cs_arch *a, struct cs_model *m,
                           size_t nmodels)
{
	uint32_t parent = get_u32(r), vendor = get_u32(r);
	unsigned flags = get_u8(r);
	size_t n;

	if (r->bad || (parent != NO_STRING && parent >= nmodels) ||
	    (vendor != NO_STRING && vendor >= a->nvendors) || flags > 0x1f) {
		r->bad = true;
		return;
	}
	m->parent = parent == NO_STRING ? -1 : (int)parent;
	m->vendor = vendor == NO_STRING ? -1 : (int)vendor;
	m->vendor_own = flags & 1;
	m->has_decode = flags >> 1 & 1;
	m->decode_host = flags >> 2 & 1;
	m->decode_guest = flags >> 3 & 1;
	m->sigs_own = flags >> 4 & 1;
	n = get_count(r, 10, SIZE_MAX);
	for (size_t i = 0; i < n && !r->bad; i++) {
		struct cs_signature s = {.family = get_u32(r), .model = get_u32(r)};

		s.steppings = (uint16_t)get_u16(r);
		if (!s.family)
			r->bad = true;
		cs_model_add_signature(m, &s);
	}
	n = get_count(r, 9, SIZE_MAX);
	for (size_t i = 0; i < n && !r->bad; i++) {
		struct cs_pvr p = {.value = get_u32(r), .mask = get_u32(r)};
		unsigned has_mask = get_u8(r);

		p.has_mask = has_mask == 1;
		if (has_mask > 1)
			r->bad = true;
		cs_model_add_pvr(m, &p);
	}
	n = get_count(r, 2, CS_FSET_MAX);
	for (size_t i = 0; i < n && !r->bad; i++)
		cs_model_add_feature(m, (unsigned)get_id(r, a));
	if (m->nown != n)
		r->bad = true;
	n = get_count(r, 2, CS_FSET_MAX);
	for (size_t i = 0; i < n && !r->bad; i++)
		cs_fset_set(&m->removed, (unsigned)get_id(r, a));
}

static void get_models(struct rd *r, struct cs_map *map, struct cs_arch *a)
{
	size_t n = get_count(r, 37, SIZE_MAX);

	for (size_t i = 0; i < n && !r->bad; i++) {
		const char *name = get_name(r);
		struct cs_model *m = r->bad ? NULL : cs_arch_add_model(a, name, NULL, 0, NULL);

		if (!m)
			break;
		get_model_data(r, a, m, n);
		m->line = get_u32(r);
		m->file = get_file(r, map);
	}
	if (a->nmodels != n)
		r->bad = true;
}

static void get_body(struct rd *r, struct cs_map *map)
{
	uint32_t format = get_u32(r);
	const char *comment = get_str(r);
	size_t n;

	if (format > CS_MAP_FORMAT_YAML) {
		r->bad = true;
		return;
	}
	map->format = (enum cs_map_format)format;
	map->comment = cs_xstrdup(comment);
	n = get_count(r, 16, SIZE_MAX);
	for (size_t i = 0; i < n && !r->bad; i++) {
		const char *name = get_name(r);
		struct cs_arch *a;

		if (r->bad || cs_map_get_arch(map, name, false)) {
			r->bad = true;
			break;
		}
		a = cs_map_get_arch(map, name, true);
		get_vendors(r, map, a);
		get_features(r, map, a);
		get_models(r, map, a);
	}
	if (get_u32(r) != END_MARK || r->p != r->end)
		r->bad = true;
}

struct cs_map *cs_map_cache_decode(const char *buf, size_t len, const char *path, bool check)
{
	struct rd r = {(const unsigned char *)buf, (const unsigned char *)buf + len, false};
	struct cs_map *map;
	const char *stored;
	size_t nfiles;

	if (!get_header(&r, check))
		return NULL;
	stored = get_str(&r);
	if (!stored || strcmp(stored, path))
		return NULL;
	nfiles = get_count(&r, 61, SIZE_MAX);
	map = cs_map_new(CS_MAP_FORMAT_YAML, path);
	for (size_t i = 0; i < nfiles && !r.bad; i++) {
		const char *name = get_name(&r);
		struct stat st;

		if (r.bad)
			break;
		if (!check)
			skip_stat(&r);
		else if (stat(name, &st) < 0 || !S_ISREG(st.st_mode) || !same_stat(&r, &st))
			r.bad = true;
		cs_map_intern_file(map, name);
		if (map->nfiles != i + 1)
			r.bad = true;
	}
	if (!r.bad)
		get_body(&r, map);
	if (r.bad || cs_map_resolve(map, NULL) < 0 || cs_map_validate(map, NULL) < 0) {
		cs_map_free(map);
		return NULL;
	}
	return map;
}

/* ---- Loading through the cache ------------------------------------------------ */

/* Whether the path is something the cache may stand for: a directory or a
 * regular file (not standard input, a pipe or a FIFO, read once only). */
static bool cacheable(const char *path)
{
	struct stat st;

	return strcmp(path, "-") && stat(path, &st) == 0 &&
	       (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
}

static void store(const struct cs_map *map, const char *file, const char *cache_dir)
{
	char *data;
	size_t len;

	if (encode(map, time(NULL) - SETTLE_SECONDS, &data, &len) < 0)
		return;
	if (cs_make_dirs(cache_dir) == 0)
		(void)cs_write_file_atomic(file, data, len, NULL);
	free(data);
}

struct cs_map *cs_map_load_cached(const char *path, const char *cache_dir, bool *from_cache,
                                  struct cs_error *err)
{
	struct cs_map *map = NULL;
	char *file = NULL, *buf;
	size_t len;

	if (from_cache)
		*from_cache = false;
	if (!cache_dir || !path || !*path || !cacheable(path))
		return cs_map_load(path, err);
	file = cs_map_cache_file(path, cache_dir);
	if (cs_read_file(file, CACHE_MAX, &buf, &len, NULL) == 0) {
		map = cs_map_cache_decode(buf, len, path, true);
		free(buf);
	}
	if (map) {
		if (from_cache)
			*from_cache = true;
	} else {
		map = cs_map_load(path, err);
		if (map)
			store(map, file, cache_dir);
	}
	free(file);
	return map;
}
