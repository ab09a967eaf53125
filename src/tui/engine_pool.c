/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_pool.c: the explorer's pool of hosts: loading, the models they run, their baseline */
#include "tui/engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpuscope/pool.h"
#include "cpuscope/pool_conn.h"
#include "cpuscope/xalloc.h"

struct cs_cpudef *engine_pool_baseline(const struct cs_pool *pool, struct cs_error *err)
{
	return cs_pool_baseline(pool, NULL, err);
}

void engine_pool_init(struct cs_pool *pool, const struct cs_map *map)
{
	cs_pool_init(pool, map);
}

void engine_pool_init_arch(struct cs_pool *pool, const struct cs_map *map,
                           const struct cs_arch *arch)
{
	cs_pool_init_arch(pool, map, arch);
}

void engine_pool_release(struct cs_pool *pool)
{
	cs_pool_release(pool);
}

long engine_pool_add_file(struct cs_pool *pool, const char *path, struct cs_error *err)
{
	return cs_pool_add_file(pool, path, err);
}

int engine_pool_add_files(struct cs_pool *pool, char *const *files, size_t nfiles,
                          struct cs_error *err)
{
	return cs_pool_add_files(pool, files, nfiles, err);
}

long engine_pool_add_uri(struct cs_pool *pool, const char *uri, struct cs_error *err)
{
	struct cs_pool_fetch f = {.uri = uri};
	long n;

	cs_pool_fetch_all(&f, 1, 1, NULL, NULL);
	n = cs_pool_add_fetched(pool, &f, err);
	cs_pool_fetch_release(&f, 1);
	return n;
}

bool engine_pool_is_uri(const char *item)
{
	return cs_pool_is_uri(item);
}

size_t engine_pool_model_runs(const struct cs_pool *pool, int model)
{
	return cs_pool_model_runs(pool, model);
}

/* ---- loading in the background --------------------------------------------- */

struct engine_pool_load {
	pthread_t thread;
	struct cs_pool pool;
	char *const *paths, *const *labels;
	size_t nfiles;
	size_t *counts;     /* hosts added per file */
	char left_out[400]; /* the first connection that failed, and why */
	size_t nleft_out;
	struct cs_error err;
	int rc;
	atomic_bool cancel, done;
	atomic_size_t hosts, file_hosts;
	atomic_ullong bytes, total;
	struct timespec start;
};

static bool load_progress(const struct cs_pool_progress *p, void *opaque)
{
	struct engine_pool_load *l = opaque;

	atomic_store(&l->file_hosts, p->hosts);
	atomic_store(&l->bytes, p->bytes);
	atomic_store(&l->total, p->total);
	return !atomic_load(&l->cancel);
}

/* Add the host of the fetched connection f as file i; one that failed is
 * left out, and said. */
static void load_fetched(struct engine_pool_load *l, size_t i, const struct cs_pool_fetch *f)
{
	struct cs_error e = {0};
	long n = cs_pool_add_fetched(&l->pool, f, &e);

	if (n < 0) {
		if (!l->nleft_out++)
			cs_error_format(&e, l->left_out, sizeof(l->left_out));
		return;
	}
	l->counts[i] = (size_t)n;
}

static void *load_main(void *opaque)
{
	struct engine_pool_load *l = opaque;
	struct cs_pool_fetch *f = cs_xcalloc(l->nfiles ? l->nfiles : 1, sizeof(*f));
	size_t nuri = 0, k = 0;

	l->rc = 0;
	/* libvirt connections first, all at once; then every item in order */
	for (size_t i = 0; i < l->nfiles; i++)
		if (cs_pool_is_uri(l->paths[i]))
			f[nuri++].uri = l->paths[i];
	if (nuri)
		cs_pool_fetch_all(f, nuri, 0, NULL, NULL);
	for (size_t i = 0; i < l->nfiles && !atomic_load(&l->cancel); i++) {
		long n;

		if (cs_pool_is_uri(l->paths[i])) {
			load_fetched(l, i, &f[k++]);
			atomic_store(&l->hosts, l->pool.n);
			continue;
		}
		n = cs_pool_add_file_progress(&l->pool, l->paths[i],
		                              l->labels ? l->labels[i] : NULL, load_progress, l,
		                              &l->err);
		if (n < 0) {
			l->rc = -1;
			break;
		}
		l->counts[i] = (size_t)n;
		atomic_store(&l->hosts, l->pool.n);
		atomic_store(&l->file_hosts, 0);
	}
	cs_pool_fetch_release(f, nuri);
	free(f);
	if (!l->rc && atomic_load(&l->cancel)) {
		cs_error_set(&l->err, CS_ERR_IO, NULL, 0, "loading the pool cancelled");
		l->rc = -1;
	}
	atomic_store(&l->done, true);
	return NULL;
}

struct engine_pool_load *engine_pool_load_start(const struct cs_map *map,
                                                const struct cs_arch *arch, char *const *paths,
                                                char *const *labels, size_t nfiles)
{
	struct engine_pool_load *l = cs_xcalloc(1, sizeof(*l));

	cs_pool_init_arch(&l->pool, map, arch);
	l->paths = paths;
	l->labels = labels;
	l->nfiles = nfiles;
	l->counts = cs_xcalloc(nfiles ? nfiles : 1, sizeof(*l->counts));
	clock_gettime(CLOCK_MONOTONIC, &l->start);
	if (pthread_create(&l->thread, NULL, load_main, l) != 0) {
		cs_pool_release(&l->pool);
		free(l->counts);
		free(l);
		return NULL;
	}
	return l;
}

void engine_pool_load_cancel(struct engine_pool_load *load)
{
	atomic_store(&load->cancel, true);
}

bool engine_pool_load_done(struct engine_pool_load *load, char *msg, size_t size)
{
	size_t hosts = atomic_load(&load->hosts) + atomic_load(&load->file_hosts);
	unsigned long long bytes = atomic_load(&load->bytes), total = atomic_load(&load->total);
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - load->start.tv_sec) +
	       (double)(now.tv_nsec - load->start.tv_nsec) / 1e9;
	snprintf(msg, size, "pool: %zu hosts read, %.0f/s", hosts,
	         secs > 0 ? (double)hosts / secs : 0.0);
	if (total) {
		size_t len = strlen(msg);
		snprintf(msg + len, size - len, ", %.0f%%", 100.0 * (double)bytes / (double)total);
	}
	if (size > 40) {
		size_t len = strlen(msg);
		snprintf(msg + len, size - len, " (Esc cancels)");
	}
	return atomic_load(&load->done);
}

int engine_pool_load_finish(struct engine_pool_load *load, struct cs_pool *out, size_t *counts,
                            char *left_out, size_t size, struct cs_error *err)
{
	int rc;

	pthread_join(load->thread, NULL);
	rc = load->rc;
	if (left_out && size)
		left_out[0] = '\0';
	if (rc < 0) {
		if (err)
			*err = load->err;
		cs_pool_release(&load->pool);
	} else {
		*out = load->pool;
		if (left_out && size && load->nleft_out)
			snprintf(left_out, size, "%s%s", load->left_out,
			         load->nleft_out > 1 ? " (and other connections)" : "");
		if (counts)
			memcpy(counts, load->counts, load->nfiles * sizeof(*counts));
	}
	free(load->counts);
	free(load);
	return rc;
}
