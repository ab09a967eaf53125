/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_conn.c: fetch pool hosts through libvirt connections concurrently, then add them to a pool
 */
#include "cpuscope/pool_conn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/conn.h"
#include "cpuscope/xalloc.h"

#define DEFAULT_THREADS 8u

bool cs_pool_is_uri(const char *s)
{
	return s && strstr(s, "://") != NULL;
}

struct fetch_job {
	struct cs_pool_fetch *f;
	size_t n, next, done;
	pthread_mutex_t lock;
	cs_pool_progress_fn progress;
	void *ctx;
};

static void fetch_one(struct cs_pool_fetch *f)
{
	struct cs_conn *c = NULL;
	const char *name, *caps;

	if (cs_conn_open(f->uri, CS_CONN_READONLY, &c, &f->err) < 0)
		return;
	caps = cs_conn_capabilities(c, &f->err);
	if (caps) {
		struct cs_error ignored = {0};

		name = cs_conn_hostname(c, &ignored);
		f->hostname = cs_xstrdup(name ? name : f->uri);
		f->caps = cs_xstrdup(caps);
		f->ok = true;
	}
	cs_conn_free(c);
}

static void *worker(void *arg)
{
	struct fetch_job *job = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&job->lock);
		i = job->next < job->n ? job->next++ : job->n;
		pthread_mutex_unlock(&job->lock);
		if (i == job->n)
			return NULL;
		fetch_one(&job->f[i]);
		pthread_mutex_lock(&job->lock);
		job->done++;
		if (job->progress)
			job->progress(job->ctx, job->done, job->n, &job->f[i]);
		pthread_mutex_unlock(&job->lock);
	}
}

void cs_pool_fetch_all(struct cs_pool_fetch *f, size_t n, unsigned max_threads,
                       cs_pool_progress_fn progress, void *ctx)
{
	struct fetch_job job = {.f = f, .n = n, .progress = progress, .ctx = ctx};
	size_t nthreads = max_threads ? max_threads : DEFAULT_THREADS, started = 0;
	pthread_t *th;

	if (!n)
		return;
	if (nthreads > n)
		nthreads = n;
	for (size_t i = 0; i < n; i++) {
		f[i].ok = false;
		f[i].hostname = f[i].caps = NULL;
		cs_error_clear(&f[i].err);
	}
	pthread_mutex_init(&job.lock, NULL);
	th = cs_xcalloc(nthreads, sizeof(*th));
	for (size_t i = 0; i < nthreads; i++)
		if (pthread_create(&th[started], NULL, worker, &job) == 0)
			started++;
	if (!started) /* no thread could start: fetch here, one after another */
		worker(&job);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&job.lock);
}

void cs_pool_fetch_release(struct cs_pool_fetch *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++) {
		free(f[i].hostname);
		free(f[i].caps);
		f[i].hostname = f[i].caps = NULL;
	}
}

long cs_pool_add_fetched(struct cs_pool *pool, const struct cs_pool_fetch *f, struct cs_error *err)
{
	if (!f->ok) {
		*err = f->err;
		return -1;
	}
	return cs_pool_add_buffer(pool, f->caps, strlen(f->caps), f->hostname, err);
}
