/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_pipe.c: element trees read on one thread and taken on another */
#include "pool_pipe.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"

/* Batches in flight at most: one being filled, the others waiting or
 * being taken. */
#define PIPE_BATCHES 4
/* Items in a batch handed to another thread (one handed over at a time
 * costs more in waking the other thread than it saves; many, more memory
 * touched): measured best for pools of 10,000 hosts. */
#define BATCH_ITEMS 16u

struct cs_pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct cs_pipe_batch *full, *full_tail; /* handed over, oldest first */
	struct cs_pipe_batch *spare;            /* taken, ready for reuse */
	struct cs_pipe_batch *cur;              /* being filled */
	unsigned nbatches;
	bool threaded, done;
	atomic_bool stop;
	cs_pipe_read_fn read;
	void *rctx;
	cs_pipe_take_fn take;
	void *tctx;
	int rc;
};

static struct cs_pipe_batch *batch_new(void)
{
	struct cs_pipe_batch *b = cs_xcalloc(1, sizeof(*b));

	cs_saxtree_init(&b->tree);
	return b;
}

static void batch_clear(struct cs_pipe_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->items[i].text);
		free(b->items[i].host_name);
	}
	b->n = 0;
	b->bytes = 0;
	b->next = NULL;
	cs_saxtree_reset(&b->tree);
}

static void batch_free(struct cs_pipe_batch *b)
{
	while (b) {
		struct cs_pipe_batch *next = b->next;

		batch_clear(b);
		cs_saxtree_release(&b->tree);
		free(b->items);
		free(b);
		b = next;
	}
}

struct cs_pipe_batch *cs_pipe_batch(struct cs_pipe *p)
{
	return p->cur;
}

struct cs_pipe_item *cs_pipe_add(struct cs_pipe *p)
{
	struct cs_pipe_batch *b = p->cur;
	struct cs_pipe_item *it;

	CS_GROW(b->items, b->cap, b->n + 1);
	it = &b->items[b->n++];
	memset(it, 0, sizeof(*it));
	return it;
}

bool cs_pipe_full(struct cs_pipe *p)
{
	return p->cur->n >= (p->threaded ? BATCH_ITEMS : 1u);
}

bool cs_pipe_stopped(struct cs_pipe *p)
{
	return atomic_load_explicit(&p->stop, memory_order_relaxed);
}

/* Take one batch (on the taking thread), unless taking has stopped. */
static void take_one(struct cs_pipe *p, struct cs_pipe_batch *b)
{
	if (!cs_pipe_stopped(p) && !p->take(b, p->tctx))
		atomic_store(&p->stop, true);
	batch_clear(b);
}

void cs_pipe_push(struct cs_pipe *p)
{
	struct cs_pipe_batch *b = p->cur, *next;
	unsigned long long bytes = b->bytes;

	if (!p->threaded) {
		take_one(p, b);
		b->bytes = bytes;
		return;
	}
	pthread_mutex_lock(&p->mu);
	if (p->full_tail)
		p->full_tail->next = b;
	else
		p->full = b;
	p->full_tail = b;
	pthread_cond_broadcast(&p->cv);
	while (!p->spare && p->nbatches >= PIPE_BATCHES)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->spare) {
		next = p->spare;
		p->spare = next->next;
		next->next = NULL;
	} else {
		next = batch_new();
		p->nbatches++;
	}
	pthread_mutex_unlock(&p->mu);
	next->bytes = bytes;
	p->cur = next;
}

static void *reader_main(void *arg)
{
	struct cs_pipe *p = arg;

	p->rc = p->read(p, p->rctx);
	cs_pipe_push(p); /* the last elements, and how far the file was read */
	pthread_mutex_lock(&p->mu);
	p->done = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The taking thread: every batch, in order, until the reader is done. */
static void take_all(struct cs_pipe *p)
{
	for (;;) {
		struct cs_pipe_batch *b;

		pthread_mutex_lock(&p->mu);
		while (!p->full && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		b = p->full;
		if (b) {
			p->full = b->next;
			if (!p->full)
				p->full_tail = NULL;
			b->next = NULL;
		}
		pthread_mutex_unlock(&p->mu);
		if (!b)
			return;
		take_one(p, b);
		pthread_mutex_lock(&p->mu);
		b->next = p->spare;
		p->spare = b;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

int cs_pipe_run(bool thread, cs_pipe_read_fn read, void *rctx, cs_pipe_take_fn take, void *tctx)
{
	struct cs_pipe p = {.read = read, .rctx = rctx, .take = take, .tctx = tctx};
	pthread_t th;
	int rc;

	atomic_init(&p.stop, false);
	p.cur = batch_new();
	p.nbatches = 1;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	p.threaded = thread && pthread_create(&th, NULL, reader_main, &p) == 0;
	if (p.threaded) {
		take_all(&p);
		pthread_join(th, NULL);
		rc = p.rc;
	} else {
		rc = read(&p, rctx);
		cs_pipe_push(&p);
	}
	batch_free(p.cur);
	batch_free(p.spare);
	batch_free(p.full);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return rc;
}
