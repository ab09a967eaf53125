/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_pipe.h: internal: element trees read on one thread and taken on another */
#ifndef CPUSCOPE_POOL_PIPE_H
#define CPUSCOPE_POOL_PIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "saxtree.h"

/* One element read: a tree in its batch's arena, or a text of its own. */
struct cs_pipe_item {
	int act;       /* what the reader makes of it */
	int origin;    /* enum cs_cpu_origin, for a CPU */
	xmlNode *root; /* the element, in the batch's tree arena */
	char *text;    /* or its text (owned), text_len bytes */
	size_t text_len;
	char *host_name; /* the host's name where the file gives one (owned) */
};

/* Elements read one after the other, and how far the file was read when
 * the batch was handed over. */
struct cs_pipe_batch {
	struct cs_saxtree tree;
	struct cs_pipe_item *items;
	size_t n, cap;
	unsigned long long bytes;
	struct cs_pipe_batch *next;
};

struct cs_pipe;

/* Reads the whole input on the reading thread, filling cs_pipe_batch()
 * and handing each batch over with cs_pipe_push(). */
typedef int (*cs_pipe_read_fn)(struct cs_pipe *p, void *ctx);
/* Takes a batch on the caller's thread; false stops the reading. */
typedef bool (*cs_pipe_take_fn)(struct cs_pipe_batch *b, void *ctx);

/* With thread, run read on a thread of its own while take gets every
 * batch, in order, on the calling thread; at most a few batches are in
 * flight, so memory does not grow with the input.  Without (or when no
 * thread can be started), take is called from cs_pipe_push().  Returns
 * what read returned. */
int cs_pipe_run(bool thread, cs_pipe_read_fn read, void *rctx, cs_pipe_take_fn take, void *tctx);

/* The reader's side. */
struct cs_pipe_batch *cs_pipe_batch(struct cs_pipe *p);
/* A new item at the end of the batch being filled. */
struct cs_pipe_item *cs_pipe_add(struct cs_pipe *p);
/* Whether the batch holds as many items as it should. */
bool cs_pipe_full(struct cs_pipe *p);
/* Hand the batch over and start another. */
void cs_pipe_push(struct cs_pipe *p);
/* Whether take asked to stop (an error, or a cancel). */
bool cs_pipe_stopped(struct cs_pipe *p);

#endif
