/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* actions.h: every user action of the explorer, defined once */
#ifndef CPUSCOPE_TUI_ACTIONS_H
#define CPUSCOPE_TUI_ACTIONS_H

/* ACTION(ID, name, help): the enum value ACT_ID, a short name used in key
 * scripts and the help overlay, and the help text.  The binding table in
 * keys.c maps keys to these; the help overlay and the key bar are generated
 * from that table, so they cannot drift from what the keys do. */
/* clang-format off */
#define APP_ACTIONS(ACTION) \
	ACTION(NONE,            "none",            "do nothing") \
	ACTION(QUIT,            "quit",            "quit (asks first when there are unsaved changes)") \
	ACTION(HELP,            "help",            "show or hide this help") \
	ACTION(ESCAPE,          "escape",          "close the overlay or view, cancel a prompt") \
	ACTION(REDRAW,          "redraw",          "redraw the whole screen") \
	ACTION(NEXT_PANE,       "next-pane",       "focus the next pane") \
	ACTION(PREV_PANE,       "prev-pane",       "focus the previous pane") \
	ACTION(FOCUS_TREE,      "focus-tree",      "focus the model tree") \
	ACTION(FOCUS_GUEST,     "focus-guest",     "focus the guest editor") \
	ACTION(FOCUS_FEATURES,  "focus-features",  "focus the feature list") \
	ACTION(FOCUS_OUTPUT,    "focus-output",    "show the output: guest <cpu> XML and QEMU -cpu") \
	ACTION(UP,              "up",              "move up") \
	ACTION(DOWN,            "down",            "move down") \
	ACTION(PAGE_UP,         "page-up",         "move up one page") \
	ACTION(PAGE_DOWN,       "page-down",       "move down one page") \
	ACTION(HOME,            "home",            "go to the first row") \
	ACTION(END,             "end",             "go to the last row") \
	ACTION(LEFT,            "left",            "collapse the model / previous value") \
	ACTION(RIGHT,           "right",           "expand the model / next value") \
	ACTION(PICK,            "pick",            "use the model for the guest / change the field") \
	ACTION(SEARCH,          "search",          "search by name") \
	ACTION(SEARCH_NEXT,     "search-next",     "next match") \
	ACTION(SEARCH_PREV,     "search-prev",     "previous match") \
	ACTION(FILTER,          "filter",          "filter features by name (empty: no filter)") \
	ACTION(FILTER_MISSING,  "filter-missing",  "show only features the host lacks") \
	ACTION(FILTER_CHANGED,  "filter-changed",  "show only features with a guest policy") \
	ACTION(SORT,            "sort",            "sort features: map order, name, location, status") \
	ACTION(SOURCE,          "source",          "list the features of the guest or of the tree's model") \
	ACTION(VENDOR,          "vendor",          "show models of all vendors or one vendor") \
	ACTION(FLAT,            "flat",            "show the models as a tree or as a flat list") \
	ACTION(MARK,            "mark",            "mark the model for the diff (two marks)") \
	ACTION(DIFF,            "diff",            "diff the two marked models (or mark and cursor)") \
	ACTION(SUMMARY,         "summary",         "show the summary: the host, the best models it runs, why not the model under the cursor") \
	ACTION(POOL,            "pool",            "show the pool: each host's verdict, what it lacks") \
	ACTION(BADGES,          "badges",          "tree badges against the host or the whole pool") \
	ACTION(BASELINE,        "baseline",        "make the guest the pool's baseline (cpu-baseline)") \
	ACTION(POOL_ADD,        "pool-add",        "add the hosts of a file to the pool") \
	ACTION(POOL_REMOVE,     "pool-remove",     "remove a host from the pool (asks which: the first failing one)") \
	ACTION(MITIGATE,        "mitigate",        "require the mitigations the host has and the guest lacks") \
	ACTION(POLICY_CYCLE,    "policy-cycle",    "cycle the feature's policy") \
	ACTION(POLICY_FORCE,    "policy-force",    "policy force: expose even if the host lacks it") \
	ACTION(POLICY_REQUIRE,  "policy-require",  "policy require: the host must have it") \
	ACTION(POLICY_OPTIONAL, "policy-optional", "policy optional: expose if the host has it") \
	ACTION(POLICY_DISABLE,  "policy-disable",  "policy disable: hide it from the guest") \
	ACTION(POLICY_FORBID,   "policy-forbid",   "policy forbid: refuse a host that has it") \
	ACTION(POLICY_CLEAR,    "policy-clear",    "remove the feature from the guest's list") \
	ACTION(VALUE_NEXT,      "value-next",      "next value of the guest field") \
	ACTION(VALUE_PREV,      "value-prev",      "previous value of the guest field") \
	ACTION(DIGIT,           "digit",           "type a topology number (digits; Enter ends it)") \
	ACTION(FIX,             "fix",             "apply the suggested fix to the guest") \
	ACTION(FALLBACK,        "fallback",        "use the model the fix suggests falling back to") \
	ACTION(VERIFY,          "ask-qemu",        "ask QEMU itself whether the guest starts (runs in the background)") \
	ACTION(UNDO,            "undo",            "undo the last guest change") \
	ACTION(REDO,            "redo",            "redo the change undone last") \
	ACTION(COPY,            "copy",            "copy the guest <cpu> XML to the clipboard (OSC 52)") \
	ACTION(COPY_ARG,        "copy-arg",        "copy the QEMU -cpu argument to the clipboard (OSC 52)") \
	ACTION(SAVE,            "save",            "save the guest (a domain XML keeps all but <cpu>)") \
	ACTION(SAVE_AS,         "save-as",         "save the guest to a new file") \
	ACTION(OPEN,            "open",            "open a guest <cpu> or domain XML") \
	ACTION(YES,             "yes",             "answer yes") \
	ACTION(NO,              "no",              "answer no")
/* clang-format on */

#define APP_ACTION_ENUM(id, name, help) ACT_##id,
enum action { APP_ACTIONS(APP_ACTION_ENUM) ACT_COUNT };
#undef APP_ACTION_ENUM

/* The action's short name ("policy-cycle"); "?" when out of range. */
const char *action_name(enum action a);
/* The action's help text. */
const char *action_help(enum action a);
/* The action called name, or ACT_NONE. */
enum action action_from_name(const char *name);

#endif
