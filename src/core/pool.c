/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool.c: a pool of host CPUs read from files, and one guest compared with all of them */
#include "cpuscope/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpuscope/fileio.h"
#include "cpuscope/host.h"
#include "cpuscope/xalloc.h"
#include "pool_int.h"

void cs_pool_init(struct cs_pool *pool, const struct cs_map *map)
{
	memset(pool, 0, sizeof(*pool));
	pool->map = map;
}

void cs_pool_init_arch(struct cs_pool *pool, const struct cs_map *map, const struct cs_arch *arch)
{
	cs_pool_init(pool, map);
	pool->arch = arch;
}

void cs_pool_release(struct cs_pool *pool)
{
	if (!pool)
		return;
	for (size_t i = 0; i < pool->n; i++) {
		free(pool->hosts[i].name);
		free(pool->hosts[i].cpu);
	}
	for (size_t i = 0; i < pool->nstrs; i++)
		free(pool->strs[i]);
	free(pool->strs);
	pool->strs = NULL;
	pool->nstrs = pool->strs_cap = 0;
	for (size_t i = 0; i < pool->nfiles; i++)
		free(pool->files[i].name);
	free(pool->files);
	pool->files = NULL;
	pool->nfiles = pool->files_cap = 0;
	free(pool->hosts);
	free(pool->have);
	free(pool->tab);
	free(pool->firsts);
	pool->firsts = NULL;
	pool->firsts_cap = 0;
	pool->hosts = NULL;
	pool->have = NULL;
	pool->tab = NULL;
	pool->n = pool->cap = pool->ndistinct = pool->tab_cap = 0;
	pool->arch = NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

/* One file being read: its hosts go into the pool as they are parsed (so
 * that copies of a CPU already there cost no definition), and are taken out
 * again if the file turns out bad, leaving the pool as it was. */
struct batch {
	struct cs_pool *pool;
	const char *name;
	size_t n0;             /* the pool's size before the file */
	bool had_arch;         /* whether the pool had its architecture then */
	const char *host_name; /* the name of the host being added, or NULL */
	const char *file;      /* name, held by the pool (for its CPUs) */
};

static void classify(struct cs_pool *pool, size_t i, const struct cs_pool_cpu *cpu);
static void name_hosts(struct cs_pool *pool, size_t n0, const char *base);

static int batch_add(struct batch *b, struct cs_cpudef *cpu, struct cs_error *err)
{
	struct cs_pool *pool = b->pool;
	struct cs_pool_host h = {0};
	union cs_pool_cpu_buf buf;
	unsigned line = cpu->line;
	int id;

	if (!cpu->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, b->name, line,
		             "the CPU map has no section for architecture %s",
		             cpu->arch_name ? cpu->arch_name : "?");
		goto fail;
	}
	if (cpu->type == CS_CPU_TYPE_GUEST && cpu->origin != CS_CPU_ORIGIN_DOMCAPS) {
		cs_error_set(err, CS_ERR_INVALID, b->name, line,
		             "a pool host needs <arch> (a host CPU), or a capabilities or "
		             "domcapabilities file");
		goto fail;
	}
	if (cpu->model < 0) {
		cs_error_set(err, CS_ERR_INVALID, b->name, line, "a pool host needs a CPU model");
		goto fail;
	}
	if (pool->n >= CS_POOL_MAX_HOSTS) {
		cs_error_set(err, CS_ERR_SECURITY, b->name, line, "more than %u hosts in the pool",
		             CS_POOL_MAX_HOSTS);
		goto fail;
	}
	if (pool->arch && cpu->arch != pool->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, b->name, line,
		             "host CPU of architecture %s in a pool of %s hosts", cpu->arch->name,
		             pool->arch->name);
		goto fail;
	}
	if (cs_cpudef_to_facts(cpu, &h.facts, err) < 0) {
		if (err && !err->file[0]) {
			struct cs_error e = *err;
			cs_error_clear(err);
			cs_error_set(err, e.code, b->name, line, "%s", e.msg);
		}
		goto fail;
	}
	if (!pool->arch)
		pool->arch = cpu->arch;
	if (!pool->have)
		pool->have = cs_xcalloc(pool->arch->nfeatures + 1, sizeof(*pool->have));
	if (!b->file)
		b->file = cs_pool_intern(pool, b->name);
	cs_pool_cpu_make(pool, cpu, b->file, &buf);
	h.name = b->host_name ? cs_xstrdup(b->host_name) : NULL;
	h.kvm_view = cpu->origin == CS_CPU_ORIGIN_DOMCAPS;
	cs_cpudef_free(cpu);
	CS_GROW(pool->hosts, pool->cap, pool->n + 1);
	pool->hosts[pool->n++] = h;
	cs_fset_foreach (id, &h.facts.features)
		pool->have[id]++;
	classify(pool, pool->n - 1, &buf.cpu);
	return 0;
fail:
	cs_cpudef_free(cpu);
	return -1;
}

static int batch_cb(void *ctx, struct cs_cpudef *def, struct cs_error *err)
{
	return batch_add(ctx, def, err);
}

static void tab_insert(struct cs_pool *pool, size_t first);

/* Take the file's hosts out of the pool again. */
static void batch_undo(struct batch *b)
{
	struct cs_pool *pool = b->pool;
	int id;

	while (pool->n > b->n0) {
		size_t i = --pool->n;
		struct cs_pool_host *h = &pool->hosts[i];

		cs_fset_foreach (id, &h->facts.features)
			pool->have[id]--;
		if (h->same_as == i)
			pool->ndistinct--; /* its CPU is the last distinct one */
		else
			pool->hosts[h->same_as].copies--;
		free(h->cpu);
		free(h->name);
	}
	if (pool->tab) {
		for (size_t k = 0; k < pool->tab_cap; k++)
			pool->tab[k].idx = SIZE_MAX;
		for (size_t k = 0; k < pool->ndistinct; k++)
			tab_insert(pool, pool->firsts[k]);
	}
	if (!b->had_arch) {
		pool->arch = NULL;
		free(pool->have);
		pool->have = NULL;
	}
}

/* Raw CPU data (a CPUID dump, cpuid -r, cpuinfo): decoded as virsh
 * capabilities would show that host. */
static int add_raw(struct batch *b, const char *buf, size_t len, struct cs_error *err)
{
	struct cs_host *host = cs_host_parse(b->pool->map, buf, len, b->name, err);
	struct cs_decoded dec;
	struct cs_cpudef *cpu;
	int rc = -1;

	if (!host)
		return -1;
	if (!host->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, b->name, 0,
		             "the CPU map has no section for architecture %s",
		             host->arch_name ? host->arch_name : "?");
		goto out;
	}
	if (cs_host_decode(host, &dec, err) < 0)
		goto out;
	if (dec.model < 0) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, b->name, 0,
		             "no CPU model of the map fits this host");
		goto out;
	}
	cpu = cs_cpudef_from_decoded(b->pool->map, host->arch, &dec);
	rc = batch_add(b, cpu, err);
out:
	cs_host_free(host);
	return rc;
}

/* ---- hosts that compare alike ---------------------------------------------- */

static void tab_insert(struct cs_pool *pool, size_t first)
{
	uint64_t key = pool->hosts[first].key;
	size_t mask = pool->tab_cap - 1, i = (size_t)key & mask;

	while (pool->tab[i].idx != SIZE_MAX)
		i = (i + 1) & mask;
	pool->tab[i] = (struct cs_pool_slot){key, first};
}

static void tab_grow(struct cs_pool *pool)
{
	size_t cap = pool->tab_cap ? pool->tab_cap * 2 : 64;

	free(pool->tab);
	pool->tab = cs_xreallocarray(NULL, cap, sizeof(*pool->tab));
	for (size_t k = 0; k < cap; k++)
		pool->tab[k].idx = SIZE_MAX;
	pool->tab_cap = cap;
	for (size_t k = 0; k < pool->ndistinct; k++)
		tab_insert(pool, pool->firsts[k]);
}

/* Host i, the last one added, whose CPU is cpu: find the first host that
 * compares like it, or make it a first host with a copy of cpu. */
static void classify(struct cs_pool *pool, size_t i, const struct cs_pool_cpu *cpu)
{
	struct cs_pool_host *h = &pool->hosts[i];
	size_t mask, j;

	h->key = cs_pool_cpu_key(cpu);
	h->cpu = NULL;
	if ((pool->ndistinct + 1) * 2 > pool->tab_cap)
		tab_grow(pool);
	mask = pool->tab_cap - 1;
	for (j = (size_t)h->key & mask; pool->tab[j].idx != SIZE_MAX; j = (j + 1) & mask) {
		struct cs_pool_host *f;

		if (pool->tab[j].key != h->key)
			continue;
		f = &pool->hosts[pool->tab[j].idx];
		if (cs_pool_cpu_same(f->cpu, cpu)) {
			h->same_as = pool->tab[j].idx;
			h->copies = 0;
			h->distinct = f->distinct;
			f->copies++;
			return;
		}
	}
	h->cpu = cs_pool_cpu_dup(cpu);
	h->same_as = i;
	h->copies = 1;
	h->distinct = pool->ndistinct;
	pool->tab[j] = (struct cs_pool_slot){h->key, i};
	CS_GROW(pool->firsts, pool->firsts_cap, pool->ndistinct + 1);
	pool->firsts[pool->ndistinct++] = i;
}

void cs_pool_add_copy(struct cs_pool *pool, const struct cs_pool *from, size_t i)
{
	const struct cs_pool_host *src = &from->hosts[i];
	const struct cs_pool_cpu *c = cs_pool_host_cpu(from, i);
	union cs_pool_cpu_buf buf;
	struct cs_pool_host h = {0};
	int id;

	memcpy(&buf, c, cs_pool_cpu_size(c));
	buf.cpu.arch_name = cs_pool_intern(pool, c->arch_name);
	buf.cpu.file = cs_pool_intern(pool, c->file);
	if (!pool->arch)
		pool->arch = from->arch;
	if (!pool->have)
		pool->have = cs_xcalloc(pool->arch->nfeatures + 1, sizeof(*pool->have));
	h.name = cs_xstrdup(src->name);
	h.facts = src->facts;
	h.kvm_view = src->kvm_view;
	CS_GROW(pool->hosts, pool->cap, pool->n + 1);
	pool->hosts[pool->n++] = h;
	cs_fset_foreach (id, &h.facts.features)
		pool->have[id]++;
	classify(pool, pool->n - 1, &buf.cpu);
}

long cs_pool_add_buffer(struct cs_pool *pool, const char *buf, size_t len, const char *name,
                        struct cs_error *err)
{
	struct batch b = {
	        .pool = pool, .name = name, .n0 = pool->n, .had_arch = pool->arch != NULL};
	enum cs_host_file kind = cs_host_detect(buf, len);
	const char *base = base_name(name);
	int rc;

	if (kind == CS_HOST_FILE_CPUDATA || kind == CS_HOST_FILE_CPUID_RAW ||
	    kind == CS_HOST_FILE_CPUINFO)
		rc = add_raw(&b, buf, len, err);
	else
		rc = cs_cpudef_parse_each(pool->map, buf, len, name, 0, batch_cb, &b, err);
	if (rc < 0) {
		batch_undo(&b);
		return -1;
	}
	name_hosts(pool, b.n0, base);
	return (long)(pool->n - b.n0);
}

static void name_hosts(struct cs_pool *pool, size_t n0, const char *base)
{
	size_t added = pool->n - n0, size = strlen(base) + 24;

	for (size_t i = 0; i < added; i++) {
		char **hn = &pool->hosts[n0 + i].name;

		if (*hn)
			continue;
		*hn = cs_xmalloc(size);
		if (added > 1)
			snprintf(*hn, size, "%s+%zu", base, i + 1);
		else
			snprintf(*hn, size, "%s", base);
	}
}

static int stream_cb(struct cs_stream *s, struct cs_cpudef *def, struct cs_error *err)
{
	struct batch *b = s->ctx;

	b->host_name = s->host_name;
	return batch_add(b, def, err);
}

static bool file_id(const char *path, struct stat *st)
{
	return strcmp(path, "-") != 0 && stat(path, st) == 0 && S_ISREG(st->st_mode);
}

const char *cs_pool_file_seen(const struct cs_pool *pool, const char *path)
{
	struct stat st;

	if (!file_id(path, &st))
		return NULL;
	for (size_t i = 0; i < pool->nfiles; i++)
		if (pool->files[i].dev == (unsigned long long)st.st_dev &&
		    pool->files[i].ino == (unsigned long long)st.st_ino)
			return pool->files[i].name;
	return NULL;
}

long cs_pool_add_file_progress(struct cs_pool *pool, const char *path, const char *label,
                               cs_pool_read_fn fn, void *opaque, struct cs_error *err)
{
	struct batch b = {
	        .pool = pool, .name = path, .n0 = pool->n, .had_arch = pool->arch != NULL};
	struct cs_stream s = {.map = pool->map,
	                      .name = path,
	                      .fn = stream_cb,
	                      .ctx = &b,
	                      .progress = fn,
	                      .opaque = opaque};
	struct stat st;

	if (cs_stream_read(&s, path, err) < 0) {
		batch_undo(&b);
		return -1;
	}
	name_hosts(pool, b.n0, label ? label : base_name(path));
	if (file_id(path, &st)) {
		CS_GROW(pool->files, pool->files_cap, pool->nfiles + 1);
		pool->files[pool->nfiles++] =
		        (struct cs_pool_file){(unsigned long long)st.st_dev,
		                              (unsigned long long)st.st_ino, cs_xstrdup(path)};
	}
	return (long)(pool->n - b.n0);
}

long cs_pool_add_file(struct cs_pool *pool, const char *path, struct cs_error *err)
{
	return cs_pool_add_file_progress(pool, path, NULL, NULL, NULL, err);
}

void cs_pool_split_arg(char *arg, const char **path, const char **label)
{
	char *eq = strchr(arg, '=');
	struct stat st;

	*path = arg;
	*label = NULL;
	if (!eq || eq == arg || !eq[1] || stat(arg, &st) == 0)
		return;
	*eq = '\0';
	*label = arg;
	*path = eq + 1;
}

int cs_pool_add_files(struct cs_pool *pool, char *const *files, size_t nfiles, struct cs_error *err)
{
	for (size_t i = 0; i < nfiles; i++)
		if (cs_pool_add_file(pool, files[i], err) < 0)
			return -1;
	return 0;
}

int cs_pool_compare(const struct cs_pool *pool, const struct cs_cpudef *guest,
                    struct cs_compare_result *res, struct cs_pool_verdict *out,
                    struct cs_error *err)
{
	struct cs_compare_result one;
	struct cs_pool_cpu_view view;

	memset(out, 0, sizeof(*out));
	out->first_bad = pool->n;
	/* Each distinct CPU is compared once; its copies share the result. */
	for (size_t k = 0; k < pool->ndistinct; k++) {
		size_t i = pool->firsts[k];
		const struct cs_pool_host *h = &pool->hosts[i];
		struct cs_compare_result *r = res ? &res[k] : &one;

		if (cs_compare(cs_pool_cpu_def(pool, h->cpu, &view), guest, r, err) < 0)
			return -1;
		switch (r->compat) {
		case CS_COMPAT_IDENTICAL:
			out->identical += h->copies;
			break;
		case CS_COMPAT_SUPERSET:
			out->superset += h->copies;
			break;
		case CS_COMPAT_INCOMPATIBLE:
			out->incompatible += h->copies;
			if (out->first_bad == pool->n)
				out->first_bad = i;
			break;
		}
		cs_fset_union(&out->missing, &out->missing, &r->missing);
		cs_fset_union(&out->forbidden, &out->forbidden, &r->forbidden);
	}
	return 0;
}

int cs_pool_host_compare(const struct cs_pool *pool, size_t i, const struct cs_cpudef *guest,
                         struct cs_compare_result *res, struct cs_error *err)
{
	struct cs_pool_cpu_view view;

	return cs_compare(cs_pool_cpu_def(pool, cs_pool_host_cpu(pool, i), &view), guest, res, err);
}

size_t cs_pool_model_runs(const struct cs_pool *pool, int model)
{
	const struct cs_fset *want;
	size_t n = 0;

	if (!pool->arch || model < 0 || (size_t)model >= pool->arch->nmodels)
		return 0;
	want = &pool->arch->models[model].features;
	for (size_t k = 0; k < pool->ndistinct; k++) {
		const struct cs_pool_host *h = &pool->hosts[pool->firsts[k]];
		if (cs_fset_is_subset(want, &h->facts.features))
			n += h->copies;
	}
	return n;
}

struct cs_cpudef *cs_pool_baseline(const struct cs_pool *pool, const struct cs_baseline_opts *opts,
                                   struct cs_error *err)
{
	struct cs_baseline b;
	struct cs_pool_cpu_view view;
	struct cs_cpudef *res = NULL;

	/* A CPU given again changes nothing in a baseline (the features are
	 * intersected, the models and vendors counted as distinct names), so
	 * the distinct CPUs are enough. */
	cs_baseline_init(&b, pool->map, opts);
	for (size_t k = 0; k < pool->ndistinct; k++)
		if (cs_baseline_add(&b,
		                    cs_pool_cpu_def(pool, pool->hosts[pool->firsts[k]].cpu, &view),
		                    err) < 0)
			goto out;
	res = cs_baseline_finish(&b, err);
out:
	cs_baseline_release(&b);
	return res;
}
