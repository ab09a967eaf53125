/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* keys.c: key bindings, lookup, key names and the generated help */
#include "tui/keys.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

/* clang-format off */
static const struct keys_binding bindings[] = {
	{ KCTX_GLOBAL,   'q',             ACT_QUIT },
	{ KCTX_GLOBAL,   KEYS_CTRL('c'),  ACT_QUIT },
	{ KCTX_GLOBAL,   '?',             ACT_HELP },
	{ KCTX_GLOBAL,   KEY_F(1),        ACT_HELP },
	{ KCTX_GLOBAL,   27,              ACT_ESCAPE },
	{ KCTX_GLOBAL,   KEYS_CTRL('l'),  ACT_REDRAW },
	{ KCTX_GLOBAL,   '\t',            ACT_NEXT_PANE },
	{ KCTX_GLOBAL,   KEY_BTAB,        ACT_PREV_PANE },
	{ KCTX_GLOBAL,   '1',             ACT_FOCUS_TREE },
	{ KCTX_GLOBAL,   '2',             ACT_FOCUS_GUEST },
	{ KCTX_GLOBAL,   '3',             ACT_FOCUS_FEATURES },
	{ KCTX_GLOBAL,   'x',             ACT_FOCUS_OUTPUT },
	{ KCTX_GLOBAL,   '4',             ACT_FOCUS_OUTPUT },
	{ KCTX_GLOBAL,   KEY_UP,          ACT_UP },
	{ KCTX_GLOBAL,   'k',             ACT_UP },
	{ KCTX_GLOBAL,   KEY_DOWN,        ACT_DOWN },
	{ KCTX_GLOBAL,   'j',             ACT_DOWN },
	{ KCTX_GLOBAL,   KEY_PPAGE,       ACT_PAGE_UP },
	{ KCTX_GLOBAL,   KEYS_CTRL('b'),  ACT_PAGE_UP },
	{ KCTX_GLOBAL,   KEY_NPAGE,       ACT_PAGE_DOWN },
	{ KCTX_GLOBAL,   KEYS_CTRL('f'),  ACT_PAGE_DOWN },
	{ KCTX_GLOBAL,   KEY_HOME,        ACT_HOME },
	{ KCTX_GLOBAL,   'g',             ACT_HOME },
	{ KCTX_GLOBAL,   KEY_END,         ACT_END },
	{ KCTX_GLOBAL,   'G',             ACT_END },
	{ KCTX_GLOBAL,   KEY_LEFT,        ACT_LEFT },
	{ KCTX_GLOBAL,   'h',             ACT_LEFT },
	{ KCTX_GLOBAL,   KEY_RIGHT,       ACT_RIGHT },
	{ KCTX_GLOBAL,   'l',             ACT_RIGHT },
	{ KCTX_GLOBAL,   '\n',            ACT_PICK },
	{ KCTX_GLOBAL,   KEY_ENTER,       ACT_PICK },
	{ KCTX_GLOBAL,   '/',             ACT_SEARCH },
	{ KCTX_GLOBAL,   'n',             ACT_SEARCH_NEXT },
	{ KCTX_GLOBAL,   'N',             ACT_SEARCH_PREV },
	{ KCTX_GLOBAL,   '\\',            ACT_FILTER },
	{ KCTX_GLOBAL,   'f',             ACT_FILTER },
	{ KCTX_GLOBAL,   'm',             ACT_FILTER_MISSING },
	{ KCTX_GLOBAL,   'c',             ACT_FILTER_CHANGED },
	{ KCTX_GLOBAL,   'S',             ACT_SORT },
	{ KCTX_GLOBAL,   KEY_F(6),        ACT_SORT },
	{ KCTX_GLOBAL,   'v',             ACT_SOURCE },
	{ KCTX_GLOBAL,   'V',             ACT_VENDOR },
	{ KCTX_GLOBAL,   't',             ACT_FLAT },
	{ KCTX_GLOBAL,   'd',             ACT_DIFF },
	{ KCTX_GLOBAL,   'i',             ACT_SUMMARY },
	{ KCTX_GLOBAL,   'p',             ACT_POOL },
	{ KCTX_GLOBAL,   'b',             ACT_BADGES },
	{ KCTX_GLOBAL,   'B',             ACT_BASELINE },
	{ KCTX_GLOBAL,   'P',             ACT_POOL_ADD },
	{ KCTX_GLOBAL,   'M',             ACT_MITIGATE },
	{ KCTX_GLOBAL,   'a',             ACT_FIX },
	{ KCTX_GLOBAL,   'A',             ACT_FALLBACK },
	{ KCTX_GLOBAL,   'u',             ACT_UNDO },
	{ KCTX_GLOBAL,   KEYS_CTRL('r'),  ACT_REDO },
	{ KCTX_GLOBAL,   'y',             ACT_COPY },
	{ KCTX_GLOBAL,   'Y',             ACT_COPY_ARG },
	{ KCTX_GLOBAL,   'Q',             ACT_VERIFY },
	{ KCTX_GLOBAL,   's',             ACT_SAVE },
	{ KCTX_GLOBAL,   KEY_F(2),        ACT_SAVE },
	{ KCTX_GLOBAL,   'w',             ACT_SAVE_AS },
	{ KCTX_GLOBAL,   'o',             ACT_OPEN },

	{ KCTX_TREE,     ' ',             ACT_MARK },

	{ KCTX_GUEST,    ' ',             ACT_VALUE_NEXT },
	{ KCTX_GUEST,    KEY_RIGHT,       ACT_VALUE_NEXT },
	{ KCTX_GUEST,    'l',             ACT_VALUE_NEXT },
	{ KCTX_GUEST,    '+',             ACT_VALUE_NEXT },
	{ KCTX_GUEST,    KEY_LEFT,        ACT_VALUE_PREV },
	{ KCTX_GUEST,    'h',             ACT_VALUE_PREV },
	{ KCTX_GUEST,    '-',             ACT_VALUE_PREV },
	{ KCTX_GUEST,    '0',             ACT_DIGIT },
	{ KCTX_GUEST,    '1',             ACT_DIGIT },
	{ KCTX_GUEST,    '2',             ACT_DIGIT },
	{ KCTX_GUEST,    '3',             ACT_DIGIT },
	{ KCTX_GUEST,    '4',             ACT_DIGIT },
	{ KCTX_GUEST,    '5',             ACT_DIGIT },
	{ KCTX_GUEST,    '6',             ACT_DIGIT },
	{ KCTX_GUEST,    '7',             ACT_DIGIT },
	{ KCTX_GUEST,    '8',             ACT_DIGIT },
	{ KCTX_GUEST,    '9',             ACT_DIGIT },

	{ KCTX_FEATURES, ' ',             ACT_POLICY_CYCLE },
	{ KCTX_FEATURES, '\n',            ACT_POLICY_CYCLE },
	{ KCTX_FEATURES, KEY_ENTER,       ACT_POLICY_CYCLE },
	{ KCTX_FEATURES, 'F',             ACT_POLICY_FORCE },
	{ KCTX_FEATURES, 'R',             ACT_POLICY_REQUIRE },
	{ KCTX_FEATURES, '+',             ACT_POLICY_REQUIRE },
	{ KCTX_FEATURES, 'O',             ACT_POLICY_OPTIONAL },
	{ KCTX_FEATURES, 'D',             ACT_POLICY_DISABLE },
	{ KCTX_FEATURES, '-',             ACT_POLICY_DISABLE },
	{ KCTX_FEATURES, 'X',             ACT_POLICY_FORBID },
	{ KCTX_FEATURES, KEY_DC,          ACT_POLICY_CLEAR },
	{ KCTX_FEATURES, KEY_BACKSPACE,   ACT_POLICY_CLEAR },
	{ KCTX_FEATURES, 127,             ACT_POLICY_CLEAR },

	{ KCTX_POOL,     'D',             ACT_POOL_REMOVE },
	{ KCTX_POOL,     KEY_DC,          ACT_POOL_REMOVE },

	{ KCTX_HELP,     'q',             ACT_ESCAPE },
	{ KCTX_HELP,     27,              ACT_ESCAPE },
	{ KCTX_HELP,     '?',             ACT_ESCAPE },
	{ KCTX_HELP,     KEY_F(1),        ACT_ESCAPE },
	{ KCTX_HELP,     KEY_UP,          ACT_UP },
	{ KCTX_HELP,     'k',             ACT_UP },
	{ KCTX_HELP,     KEY_DOWN,        ACT_DOWN },
	{ KCTX_HELP,     'j',             ACT_DOWN },
	{ KCTX_HELP,     KEY_PPAGE,       ACT_PAGE_UP },
	{ KCTX_HELP,     KEY_NPAGE,       ACT_PAGE_DOWN },
	{ KCTX_HELP,     ' ',             ACT_PAGE_DOWN },
	{ KCTX_HELP,     'g',             ACT_HOME },
	{ KCTX_HELP,     'G',             ACT_END },
	{ KCTX_HELP,     KEYS_CTRL('c'),  ACT_QUIT },

	{ KCTX_CONFIRM,  'y',             ACT_YES },
	{ KCTX_CONFIRM,  'n',             ACT_NO },
	{ KCTX_CONFIRM,  27,              ACT_ESCAPE },
	{ KCTX_CONFIRM,  KEYS_CTRL('c'),  ACT_QUIT },
};

/* The key bar: the actions worth a reminder, per context. */
struct bar_item {
	enum keys_ctx ctx; /* KCTX_GLOBAL: shown in every pane */
	enum action action;
	const char *label;
};

static const struct bar_item bar[] = {
	{ KCTX_GLOBAL,   ACT_HELP,           "help" },
	{ KCTX_TREE,     ACT_PICK,           "use model" },
	{ KCTX_TREE,     ACT_MARK,           "mark" },
	{ KCTX_TREE,     ACT_DIFF,           "diff" },
	{ KCTX_TREE,     ACT_VENDOR,         "vendor" },
	{ KCTX_GUEST,    ACT_VALUE_NEXT,     "change" },
	{ KCTX_FEATURES, ACT_POLICY_CYCLE,   "policy" },
	{ KCTX_FEATURES, ACT_FILTER_MISSING, "missing" },
	{ KCTX_FEATURES, ACT_SOURCE,         "list" },
	{ KCTX_FEATURES, ACT_SORT,           "sort" },
	{ KCTX_OUTPUT,   ACT_COPY,           "copy xml" },
	{ KCTX_OUTPUT,   ACT_COPY_ARG,       "copy -cpu" },
	{ KCTX_POOL,     ACT_POOL_REMOVE,    "remove host" },
	{ KCTX_POOL,     ACT_BASELINE,       "baseline" },
	{ KCTX_GLOBAL,   ACT_NEXT_PANE,      "pane" },
	{ KCTX_GLOBAL,   ACT_SEARCH,         "search" },
	{ KCTX_GLOBAL,   ACT_FIX,            "fix" },
	{ KCTX_GLOBAL,   ACT_UNDO,           "undo" },
	{ KCTX_GLOBAL,   ACT_FOCUS_OUTPUT,   "xml" },
	{ KCTX_GLOBAL,   ACT_SAVE,           "save" },
	{ KCTX_GLOBAL,   ACT_OPEN,           "open" },
	{ KCTX_GLOBAL,   ACT_QUIT,           "quit" },
	{ KCTX_HELP,     ACT_ESCAPE,         "close help" },
	{ KCTX_HELP,     ACT_DOWN,           "scroll" },
	{ KCTX_CONFIRM,  ACT_YES,            "yes" },
	{ KCTX_CONFIRM,  ACT_NO,             "no" },
	{ KCTX_CONFIRM,  ACT_ESCAPE,         "cancel" },
};

static const struct { int key; const char *name; } key_names[] = {
	{ KEY_UP,        "Up" },
	{ KEY_DOWN,      "Down" },
	{ KEY_LEFT,      "Left" },
	{ KEY_RIGHT,     "Right" },
	{ KEY_PPAGE,     "PgUp" },
	{ KEY_NPAGE,     "PgDn" },
	{ KEY_HOME,      "Home" },
	{ KEY_END,       "End" },
	{ KEY_BTAB,      "S-Tab" },
	{ KEY_ENTER,     "KpEnter" },
	{ KEY_DC,        "Del" },
	{ KEY_BACKSPACE, "BS" },
	{ '\t',          "Tab" },
	{ '\n',          "Enter" },
	{ ' ',           "Space" },
	{ 27,            "Esc" },
	{ 127,           "DEL" },
};

static const char *const ctx_names[KCTX_COUNT] = {
	[KCTX_GLOBAL]   = "Everywhere",
	[KCTX_TREE]     = "Model tree",
	[KCTX_GUEST]    = "Guest editor",
	[KCTX_FEATURES] = "Feature list",
	[KCTX_OUTPUT]   = "Output",
	[KCTX_DIFF]     = "Model diff",
	[KCTX_POOL]     = "Pool",
	[KCTX_HELP]     = "This help",
	[KCTX_CONFIRM]  = "Questions",
};
/* clang-format on */

#define NBINDINGS (sizeof(bindings) / sizeof(bindings[0]))
#define NBAR      (sizeof(bar) / sizeof(bar[0]))
#define NKEYNAMES (sizeof(key_names) / sizeof(key_names[0]))

const struct keys_binding *keys_table(size_t *n)
{
	*n = NBINDINGS;
	return bindings;
}

enum action keys_lookup(enum keys_ctx ctx, int key, bool fallback)
{
	for (size_t i = 0; i < NBINDINGS; i++)
		if (bindings[i].ctx == ctx && bindings[i].key == key)
			return bindings[i].action;
	if (fallback && ctx != KCTX_GLOBAL)
		return keys_lookup(KCTX_GLOBAL, key, false);
	return ACT_NONE;
}

const char *keys_name(int key, char *buf, size_t size)
{
	for (size_t i = 0; i < NKEYNAMES; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, size, "%s", key_names[i].name);
			return buf;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, size, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, size, "C-%c", key + 'a' - 1);
	else if (key > 32 && key < 127)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "#%d", key);
	return buf;
}

int keys_parse(const char *name)
{
	for (size_t i = 0; i < NKEYNAMES; i++)
		if (!strcmp(key_names[i].name, name))
			return key_names[i].key;
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = 0;
		for (const char *p = name + 1; *p; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			n = n * 10 + (*p - '0');
		}
		return n >= 1 && n <= 12 ? KEY_F(n) : -1;
	}
	if (name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z' && !name[3])
		return KEYS_CTRL(name[2]);
	if (name[0] && !name[1])
		return (unsigned char)name[0];
	return -1;
}

const char *keys_ctx_name(enum keys_ctx ctx)
{
	return ctx < KCTX_COUNT ? ctx_names[ctx] : "?";
}

/* ---- help ------------------------------------------------------------- */

/* Contexts in the order the help lists them. */
static const enum keys_ctx help_order[] = {
        KCTX_GLOBAL, KCTX_TREE, KCTX_GUEST, KCTX_FEATURES, KCTX_POOL, KCTX_HELP, KCTX_CONFIRM,
};
#define NHELP_ORDER (sizeof(help_order) / sizeof(help_order[0]))

/* Terminal variants of another key (keypad Enter, DEL as backspace):
 * bound, but not worth a place in the help. */
static bool is_variant(int key)
{
	return key == KEY_ENTER || key == 127;
}

static bool ctx_has_action(enum keys_ctx ctx, enum action a)
{
	for (size_t i = 0; i < NBINDINGS; i++)
		if (bindings[i].ctx == ctx && bindings[i].action == a)
			return true;
	return false;
}

/* Visit help line number target: sections of a title, one line per action
 * with bindings, and a blank line.  Returns the total when target is past
 * the end (and writes nothing). */
static size_t help_walk(size_t target, char *buf, size_t size)
{
	size_t line = 0;

	for (size_t s = 0; s < NHELP_ORDER; s++) {
		enum keys_ctx ctx = help_order[s];

		if (line++ == target) {
			snprintf(buf, size, "%s", keys_ctx_name(ctx));
			return target;
		}
		for (int a = 1; a < ACT_COUNT; a++) {
			if (!ctx_has_action(ctx, (enum action)a))
				continue;
			if (line++ != target)
				continue;
			char keys[48] = "";
			size_t len = 0;
			for (size_t i = 0; i < NBINDINGS; i++) {
				char k[16];
				if (bindings[i].ctx != ctx ||
				    bindings[i].action != (enum action)a ||
				    is_variant(bindings[i].key))
					continue;
				int n = snprintf(keys + len, sizeof(keys) - len, "%s%s",
				                 len ? " " : "",
				                 keys_name(bindings[i].key, k, sizeof(k)));
				if (n < 0 || (size_t)n >= sizeof(keys) - len)
					break;
				len += (size_t)n;
			}
			snprintf(buf, size, "  %-16s %s", keys, action_help((enum action)a));
			return target;
		}
		if (line++ == target) {
			buf[0] = '\0';
			return target;
		}
	}
	return line;
}

size_t keys_help_count(void)
{
	char buf[8];
	return help_walk((size_t)-1, buf, sizeof(buf));
}

const char *keys_help_line(size_t i, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	help_walk(i, buf, size);
	return buf;
}

/* ---- key bar ----------------------------------------------------------- */

static bool first_key(enum keys_ctx ctx, enum action a, int *key)
{
	for (size_t i = 0; i < NBINDINGS; i++) {
		if (bindings[i].ctx == ctx && bindings[i].action == a) {
			*key = bindings[i].key;
			return true;
		}
	}
	return false;
}

bool keys_bar_entry(enum keys_ctx ctx, size_t i, char *key, size_t ksize, const char **label,
                    enum action *action)
{
	bool modal = ctx == KCTX_HELP || ctx == KCTX_CONFIRM;
	size_t n = 0;

	for (size_t b = 0; b < NBAR; b++) {
		int k;
		if (modal ? bar[b].ctx != ctx : bar[b].ctx != ctx && bar[b].ctx != KCTX_GLOBAL)
			continue;
		if (!first_key(ctx, bar[b].action, &k) &&
		    (modal || !first_key(KCTX_GLOBAL, bar[b].action, &k)))
			continue;
		if (n++ != i)
			continue;
		keys_name(k, key, ksize);
		*label = bar[b].label;
		*action = bar[b].action;
		return true;
	}
	return false;
}
