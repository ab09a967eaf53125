/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app.h: the explorer's single state and the actions that change it (no curses) */
#ifndef CPUSCOPE_TUI_APP_H
#define CPUSCOPE_TUI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/fileid.h"
#include "cpuscope/pool.h"
#include "tui/actions.h"
#include "tui/engine.h"
#include "tui/engine_start.h"
#include "tui/keys.h"
#include "tui/views.h"

/* The views (enum app_pane) are listed in tui/views.h.  The views placed in
 * the slot (features, diff, pool and, on narrow screens, output) share it:
 * app.view says which of them is shown there. */

/* What the keyboard is talking to. */
enum app_mode { MODE_NORMAL, MODE_HELP, MODE_PROMPT, MODE_CONFIRM };
enum app_prompt {
	PROMPT_SEARCH,
	PROMPT_FILTER,
	PROMPT_OPEN,
	PROMPT_SAVE_AS,
	PROMPT_POOL,
	PROMPT_POOL_REMOVE
};
enum app_confirm { CONFIRM_QUIT, CONFIRM_OPEN, CONFIRM_REPLACE };
enum app_sort { SORT_MAP, SORT_NAME, SORT_LOCATION, SORT_STATUS, SORT_COUNT };
/* Whose features the feature pane lists. */
enum app_source { SOURCE_GUEST, SOURCE_ALL, SOURCE_MODEL, SOURCE_COUNT };
/* Guest editor fields, in cursor order. */
enum app_field {
	FIELD_MODE,
	FIELD_MATCH,
	FIELD_CHECK,
	FIELD_MODEL,
	FIELD_FALLBACK,
	FIELD_VENDOR,
	FIELD_SOCKETS,
	FIELD_DIES,
	FIELD_CLUSTERS,
	FIELD_CORES,
	FIELD_THREADS,
	FIELD_COUNT
};
/* Whether the host (KVM where usable, else the CPU) runs a model. */
/* BADGE_NO_QEMU: QEMU has no such model; libvirt starts another one. */
enum app_badge { BADGE_UNKNOWN, BADGE_RUNS, BADGE_MISSING, BADGE_VENDOR, BADGE_NO_QEMU };

/* What app_apply() and the views' handlers ask the caller to do (0: the
 * action was not theirs, or there is nothing to do). */
enum {
	APP_REDRAW = 1 << 0,    /* draw again */
	APP_RECOMPUTE = 1 << 1, /* the guest changed (app_apply already recomputed) */
	APP_QUIT = 1 << 2,      /* leave the loop */
	APP_RELAYOUT = 1 << 3,  /* throw the windows away and lay out again */
	APP_CLIPBOARD = 1 << 4, /* hand app->clip to the terminal's clipboard */
};

struct app_rect {
	int y, x, h, w;
	bool visible;
};

/* Screen geometry, a pure function of the terminal size (app_layout). */
struct app_layout {
	int rows, cols;
	bool too_small;
	bool wide; /* the output has a column of its own */
	struct app_rect header, verdict, keybar, separator;
	struct app_rect pane[PANE_COUNT]; /* per view; the help overlay's too */
};

#define APP_MIN_COLS 60
#define APP_MIN_ROWS 16

struct app_tree_row {
	int model;
	unsigned depth;
	bool has_children;
	bool last;          /* last child of its parent */
	unsigned long cont; /* bit d: the ancestor at depth d has later siblings */
};

/* The lines of a text view. */
struct app_text {
	char **lines;
	size_t n;
	bool stale; /* rebuild before the next drawing */
};

/* Cursor and scroll of a list pane; scroll is kept so that the cursor is
 * inside the viewport of 'height' rows. */
struct app_list {
	size_t cursor, scroll, height;
};

#define APP_UNDO_MAX 256

/* The whole state.  app*.c and the views' handlers change it; the views'
 * drawing only reads it.  map is borrowed (the caller keeps it alive);
 * every array is owned. */
struct app {
	const struct cs_map *map;
	const struct cs_arch *arch;
	char map_label[200]; /* header text for the map */
	bool no_cache;       /* QEMU's answers bypass the cache (--no-cache) */

	struct app_host cpu, kvm; /* the two sides of the verdict bar */
	char host_brand[160];     /* the host CPU's brand string, or "" */
	/* The start verdicts of host-model and host-passthrough (outcome, -1
	 * unknown, and in words), from the host alone (app_first_screen). */
#define APP_HOST_MODES 2
	int mode_outcome[APP_HOST_MODES];
	char mode_text[APP_HOST_MODES][400];
	/* The pool of hosts the guest must run on: &pool_store when it has
	 * hosts, else NULL. */
	struct cs_pool *pool;
	struct cs_pool pool_store;          /* owned */
	struct cs_compare_result *pool_res; /* per distinct CPU of the pool */
	char **pool_names;                  /* per distinct CPU: its hosts, in short */
	size_t npool_names;
	size_t *pool_runs;           /* per model: pool hosts that run it */
	bool badge_pool;             /* tree badges count pool hosts */
	struct cs_cpudef *pool_base; /* the pool's baseline (owned), or NULL */
	struct cs_file_id *pool_ids; /* the files the pool's hosts came from (owned) */
	size_t *pool_ids_hosts;      /* per file: its hosts still in the pool */
	size_t npool_ids, pool_ids_cap, pool_ids_hosts_cap;
	size_t *pool_src; /* per pool host: the file (index of pool_ids) it came from */
	size_t npool_src, pool_src_cap;
	/* The --pool files being read in the background, or NULL
	 * (app_pool_load_begin); their paths and labels (owned), and each one's
	 * index in pool_ids. */
	struct engine_pool_load *pool_load;
	char **pool_load_paths, **pool_load_labels;
	size_t *pool_load_ids, pool_load_n;
	char pool_base_text[320]; /* the baseline in words, or why there is none */

	/* The guest being edited, as the core's own definition (owned), and
	 * what follows from it (app_recompute). */
	struct cs_cpudef *guest;
	struct cs_cpudef *saved;   /* a snapshot as in the file: dirty = guest != saved */
	struct cs_cpudef *scratch; /* a definition for one-off compares (badges) */
	bool dirty;
	struct cs_fset effective;
	int level;                  /* x86-64 level of what QEMU gives the guest (cs_x86_level) */
	struct cs_fset level_next;  /* what the next level lacks */
	struct cs_fset mitigations; /* the map's mitigation features (cs_mitigations) */
	struct cs_fset mitig_off;   /* those the reference host has and the guest does not get */
	struct app_verdict v_cpu, v_kvm;
	/* Will it start: libvirt's start path, and QEMU's word when asked. */
	struct engine_start start;
	unsigned vcpus; /* the domain's <vcpu>, 0 when not known */
	struct app_pool_verdict v_pool;
	int fix_model;      /* a model the reference host runs that fits, or -1 */
	char fix_text[200]; /* what to change, in words */
	char *path;         /* the guest file, or NULL for a new guest */
	bool is_domain;
	bool path_is_host; /* path is a host's file the guest came from: never written */

	/* Undo: a ring of APP_UNDO_MAX snapshots of the guest (owned), nundo of
	 * them from undo_first on, oldest first (so a full history frees its
	 * oldest step without moving the rest); redo[0..nredo) next first at
	 * the end. */
	struct cs_cpudef **undo, **redo;
	size_t nundo, nredo, undo_first;

	/* Tree. */
	struct app_tree_row *trows;
	size_t ntrows;
	bool *collapsed;         /* per model */
	enum app_badge *badge;   /* per model */
	unsigned *badge_missing; /* per model: features the host lacks */
	int vendor_filter;       /* -1 = all vendors */
	bool flat;               /* a flat list in map order instead of the tree */
	int tree_need;           /* columns the whole tree wants, badges included */
	int tree_widest;         /* the widest row of trows (view_tree_row_need), normal */
	int tree_widest_compact; /* ... and compact */
	int mark[2];             /* models marked for the diff, -1 = none */

	/* Features. */
	unsigned *frows;
	size_t nfrows;
	enum app_source source;
	enum app_sort sort;
	bool only_missing, only_changed;
	char filter[256];

	/* Guest editor cursor. */
	enum app_field field;
	/* Typing a topology number: digits so far replace the field's value
	 * (the key that made the action is in last_key, set by the caller). */
	bool topo_typing;
	int last_key;

	/* A text view's lines (output, diff, pool), rebuilt by its prepare
	 * operation when stale; app_release frees them. */
	struct app_text text[PANE_COUNT];
	int diff_a, diff_b; /* the models the diff view compares, -1 = none */
	/* State a view keeps for itself beyond its list and its text (made by
	 * its operations, freed by its release operation). */
	void *view_data[PANE_COUNT];

	struct app_list list[PANE_COUNT]; /* per view: cursor and scroll */
	enum app_pane focus;
	enum app_pane view; /* the view in the slot (VIEW_PLACE_SLOT or _SIDE) */
	struct app_layout layout;

	enum app_mode mode;
	enum app_prompt prompt;
	enum app_confirm confirm;
	char input[256];
	size_t input_len;
	unsigned complete_tabs; /* Tabs in a row at a file prompt */
	char search[256];
	size_t search_origin;   /* the cursor when the search prompt opened */
	char open_pending[256]; /* file to open after a confirmation */
	char save_pending[256]; /* file to replace after a confirmation */

	char *clip; /* the text the last copy action took (owned), or NULL */

	char status[256];
	bool status_error;
	bool quit;
	bool utf8; /* line drawing may use UTF-8 glyphs (set by the caller) */
};

/* Set app up over map (borrowed, must stay alive) with the given host
 * sides (copied).  The guest starts empty (or loaded with app_open). */
void app_init(struct app *app, const struct cs_map *map, const struct app_host *cpu,
              const struct app_host *kvm);
/* Give app a pool of hosts: app takes what *pool holds (which is left
 * empty) and frees it in the end; NULL or an empty pool drops the pool.
 * The pool must be over app's map and architecture.  The tree badges then
 * count pool hosts, the verdict bar gets a pool line and the fix covers the
 * pool too. */
void app_set_pool(struct app *app, struct cs_pool *pool);
/* Load pool files into pool (not yet app's: app_set_pool gives it), each
 * file once however often or however spelt it is given (device and
 * inode; the status says so), the hosts of files[i] named labels[i] when
 * labels and labels[i] are not NULL.  0, or -1 with err set. */
int app_pool_load(struct app *app, struct cs_pool *pool, char *const *files, char *const *labels,
                  size_t n, struct cs_error *err);
/* The same on a worker thread, the explorer running on: progress shows in
 * the status line (app_poll), Esc cancels (app_pool_load_cancel), and the
 * pool replaces the app's once read.  0, or -1 when no thread could start
 * (then nothing was read). */
int app_pool_load_begin(struct app *app, char *const *files, char *const *labels, size_t n);
void app_pool_load_cancel(struct app *app);
/* Stop a background load and throw away what it read (the app is ending). */
void app_pool_load_drop(struct app *app);
/* Progress or the end of a background load: true when the screen changed. */
bool app_pool_load_poll(struct app *app);
/* Take the pool host called name out of the pool (0), or say why not
 * (-1, in the status line). */
int app_pool_remove(struct app *app, const char *name);
/* Add the hosts of a file to the pool (see cs_pool_add_file).  Returns the
 * number added, or -1 with the error in the status line. */
long app_add_pool_file(struct app *app, const char *path);
/* The first screen, once the host, pool and guest file are in: models of
 * the host's vendor, host-model and host-passthrough judged, and without a
 * guest file (have_guest false) the best model the host runs (else
 * host-model) as the guest, with the summary shown. */
void app_first_screen(struct app *app, bool have_guest);
/* The best model the reference host runs as a plain guest, of vendor (-1:
 * any): the one that keeps the host's x86-64 level and most of its
 * features (cs_fallback_model); -1 when none runs or no host is known. */
int app_best_model(const struct app *app, int vendor);
/* Free what app owns (not the map or the pool).  NULL is fine. */
void app_release(struct app *app);

/* Apply one action; returns APP_* flags. */
int app_apply(struct app *app, enum action a);
/* A character typed while a prompt is open (printable text, or one of
 * '\b' / 127 (erase), '\n' (accept), 27 (cancel)). */
int app_input(struct app *app, wint_t ch);
/* Mouse: button 1 click or double click at (y, x), wheel up/down. */
enum app_mouse { MOUSE_CLICK, MOUSE_DOUBLE, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };
int app_mouse(struct app *app, enum app_mouse ev, int y, int x);

/* New terminal size: lay out and fit every list's scroll. */
void app_resize(struct app *app, int rows, int cols);
/* Compute the layout for a rows x cols terminal. */
void app_layout(struct app_layout *l, int rows, int cols);
/* The same with extra rows for the verdict bar (a pool line), and the
 * columns the model tree would like (app->tree_need; 0 = no wish): a deep
 * tree gets a wider pane on wide terminals. */
void app_layout_rows(struct app_layout *l, int rows, int cols, int extra_verdict, int tree_need);
/* The row of the verdict bar (0-based) that shows the fix. */
int app_fix_row(const struct app *app);
/* The hypervisor the second side stands for: "TCG" when the start verdict's
 * host is a domain type qemu (no KVM), else "KVM". */
const char *app_hv_name(const struct app *app);
/* Collect QEMU's answer when a question to it has ended (status line
 * updated); true when something changed on screen. */
bool app_poll(struct app *app);
/* A tree badge as the tree shows it: against the pool (*n = hosts that
 * cannot run it) when app->badge_pool, else against the reference host
 * (*n = features it lacks). */
enum app_badge app_badge(const struct app *app, int model, unsigned *n);
/* Pool hosts that have feature id (0 without a pool). */
unsigned app_pool_have(const struct app *app, unsigned id);
/* Place the guest editor's fields in a pane width columns wide: pos[f].y is
 * the row (0-based, below the title), x and w the columns.  Returns the
 * number of rows. */
int app_guest_grid(int width, struct app_rect pos[FIELD_COUNT]);
/* The key context of the current mode and focus. */
enum keys_ctx app_key_context(const struct app *app);
/* The key bar entry at column x: true with *out set, or false. */
int app_keybar_hit(const struct app *app, int x, enum action *out);

/* Recompute everything that follows from the guest (effective set,
 * verdicts, fix, the views' rows), from the definition alone.  Cheap: run
 * on every edit. */
void app_recompute(struct app *app);
/* Before drawing: the visible views rebuild texts that went stale. */
void app_prepare(struct app *app);

/* Open a guest or domain XML (replacing the current guest, undo cleared),
 * or save to path (NULL: the current file).  0, or -1 with the error in
 * the status line. */
int app_open(struct app *app, const char *path);
int app_save(struct app *app, const char *path);
/* "save as" path: asks before replacing an existing file other than the
 * guest's own (same device and inode), then saves.  APP_* flags. */
int app_save_as(struct app *app, const char *path);
/* A name for the guest file of a guest read from a host's file:
 * "caps.xml" gives "caps-guest.xml". */
void app_guest_file_name(const struct app *app, char *buf, size_t size);

/* Set the status line (printf-style); error selects the error colour. */
void app_status(struct app *app, bool error, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* The host the tree badges and the fix are computed against. */
const struct app_host *app_ref_host(const struct app *app);
/* True when a feature row should be flagged: required but missing, or
 * forbidden but present, on either side. */
bool app_feature_is_problem(const struct app *app, unsigned id);
const char *app_field_name(enum app_field f);

#endif
