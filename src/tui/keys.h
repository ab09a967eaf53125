/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* keys.h: the key binding table, key lookup and the help built from it */
#ifndef CPUSCOPE_TUI_KEYS_H
#define CPUSCOPE_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/actions.h"

/* Where a binding applies.  A key is looked up in the focused pane's
 * context first, then in KCTX_GLOBAL; the help overlay and the
 * confirmation question have their own contexts and nothing else. */
enum keys_ctx {
	KCTX_GLOBAL,
	KCTX_TREE,
	KCTX_GUEST,
	KCTX_FEATURES,
	KCTX_OUTPUT,
	KCTX_DIFF,
	KCTX_POOL,
	KCTX_HELP,
	KCTX_CONFIRM,
	KCTX_COUNT
};

struct keys_binding {
	enum keys_ctx ctx;
	int key; /* a character, a curses KEY_* code, or KEYS_CTRL('x') */
	enum action action;
};

#define KEYS_CTRL(c) ((c)&0x1f)

/* The whole table (static storage) and its length. */
const struct keys_binding *keys_table(size_t *n);

/* The action bound to key in ctx, falling back to the global context when
 * fallback is true; ACT_NONE when unbound. */
enum action keys_lookup(enum keys_ctx ctx, int key, bool fallback);

/* A key's display name: "j", "Up", "PgDn", "Tab", "C-r", "F1", "Space".
 * Returns buf. */
const char *keys_name(int key, char *buf, size_t size);
/* A key given by that name (as in a --keys script), or -1. */
int keys_parse(const char *name);

const char *keys_ctx_name(enum keys_ctx ctx);

/* Help text generated from the table: line i of n (borrowed, valid until
 * the next call).  keys_help_count() gives n. */
size_t keys_help_count(void);
const char *keys_help_line(size_t i, char *buf, size_t size);

/* The key bar for ctx: entry i (0-based) as "KEY label"; false past the end.
 * The bar lists the most useful actions, each with its first key from
 * the table (the pane's context first, then global). */
bool keys_bar_entry(enum keys_ctx ctx, size_t i, char *key, size_t ksize, const char **label,
                    enum action *action);

#endif
