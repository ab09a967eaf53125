/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_int.h: what the explorer's state modules and views share beyond app.h */
#ifndef CPUSCOPE_TUI_APP_INT_H
#define CPUSCOPE_TUI_APP_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/app.h"

/* ---- editing the guest, shown views (app.c) -------------------------------- */

/* A snapshot of the guest before an edit; app_edit_commit takes it. */
struct cs_cpudef *app_edit_begin(const struct app *app);
/* Record before as an undo step when the guest really changed, and
 * recompute; else free it.  Returns APP_* flags. */
int app_edit_commit(struct app *app, struct cs_cpudef *before);
/* Tell every view what changed (VIEW_CHANGED_*, tui/view.h). */
void app_changed(struct app *app, unsigned what);
/* Show view v: in the slot, or focused in its own place. */
int app_show_view(struct app *app, enum app_pane v);
/* Whether view p is on screen now. */
bool app_view_visible(const struct app *app, enum app_pane p);

/* ---- the fix, the badges, the mitigations (app_fix.c) ------------------------ */

/* The tree badges against the reference host (they follow from the host only). */
void app_compute_badges(struct app *app);
/* The fix and the model to fall back to, from the verdicts. */
void app_compute_fix(struct app *app);
/* a, A and M: returns APP_* flags. */
int app_apply_fix(struct app *app);
int app_use_fallback(struct app *app);
int app_mitigate(struct app *app);

/* ---- the pool (app_pool.c) ------------------------------------------------- */

/* B: the pool's baseline becomes the guest. */
int app_use_baseline(struct app *app);
/* Free what the pool adds to the state. */
void app_pool_release(struct app *app);

/* ---- prompts and questions (app_prompt.c) ---------------------------------- */

void app_open_prompt(struct app *app, enum app_prompt p, const char *initial);
/* n and N: the next (dir 1) or previous (-1) match, from the cursor itself
 * when here. */
int app_search_step(struct app *app, int dir, bool here);
/* The view a search moves in. */
enum app_pane app_search_view(const struct app *app);
/* y or n to the question asked. */
int app_answer(struct app *app, bool yes);

/* ---- file name completion (app_complete.c) --------------------------------- */

/* Whether prompt p asks for a file name. */
bool app_prompt_is_file(enum app_prompt p);
/* Tab at a file prompt: complete the name (a directory gets its '/'), or
 * extend it to what the names share; a second Tab with nothing more in
 * common lists them (in the status, shown after the prompt). */
int app_complete(struct app *app);

/* ---- texts (app_text.c) ------------------------------------------------------ */

void app_append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Up to max feature names of s after buf's text, then ", +N" for the rest. */
void app_names_of(const struct app *app, const struct cs_fset *s, unsigned max, char *buf,
                  size_t size);
bool app_contains_nocase(const char *hay, const char *needle);
/* What changed from guest from to guest to, in words, after an undo or a
 * redo: "+avx2, -hle, model Haswell and 2 more changes". */
void app_describe_change(const struct app *app, const struct cs_cpudef *from,
                         const struct cs_cpudef *to, char *buf, size_t size);

/* Free an array of n strings. */
void app_lines_free(char **lines, size_t n);
/* Empty a text view's lines. */
void app_text_clear(struct app_text *text);
/* Text being built into a text view's lines. */
struct app_lines {
	struct app_text *text;
	size_t cap;
};
/* Start text afresh (freeing what it held). */
void app_lines_reset(struct app_lines *t, struct app_text *text);
/* Add text, one line per newline (a tab shown as four spaces). */
void app_lines_text(struct app_lines *t, const char *text);
/* Add s split after commas or spaces so that no line is wider than width;
 * continuation lines start two columns in from the line's own indent. */
void app_lines_wrapped(struct app_lines *t, const char *s, size_t width);

/* ---- what other modules ask of a view ------------------------------------------ */

/* Put the tree cursor on model m (view_tree.c). */
void view_tree_show_model(struct app *app, int m);
/* The tree's rows again (view_tree.c), and the columns they would like
 * (for the layout). */
void view_tree_build(struct app *app);
int view_tree_need(const struct app *app);

#endif
