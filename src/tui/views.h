/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* views.h: the explorer's views, registered once */
#ifndef CPUSCOPE_TUI_VIEWS_H
#define CPUSCOPE_TUI_VIEWS_H

/* VIEW(ID, name): the view PANE_ID, whose operations are view_name_ops in
 * view_name.c (struct view_ops, tui/view.h).  This list is the one table
 * of views: it makes enum app_pane here and the operations table in
 * views.c.  Adding a view means a line here and its own file.  The order
 * is the order the mouse looks for a view under the pointer and the order
 * actions no other handler took are offered in. */
/* clang-format off */
#define APP_VIEWS(VIEW) \
	VIEW(TREE,     tree) \
	VIEW(GUEST,    guest) \
	VIEW(FEATURES, features) \
	VIEW(SUMMARY,  summary) \
	VIEW(OUTPUT,   output) \
	VIEW(DIFF,     diff) \
	VIEW(POOL,     pool) \
	VIEW(HELP,     help)
/* clang-format on */

#define APP_VIEW_ENUM(id, name) PANE_##id,
enum app_pane { APP_VIEWS(APP_VIEW_ENUM) PANE_COUNT };
#undef APP_VIEW_ENUM

/* The view the slot shows when no other is asked for (Esc goes back to it). */
#define APP_VIEW_DEFAULT PANE_FEATURES

#endif
