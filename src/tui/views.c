/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* views.c: the table of the explorer's views (the list is in views.h) */
#include "tui/view.h"

#define APP_VIEW_ROW(id, name) [PANE_##id] = &view_##name##_ops,
static const struct view_ops *const views[PANE_COUNT] = {APP_VIEWS(APP_VIEW_ROW)};
#undef APP_VIEW_ROW

const struct view_ops *view_of(enum app_pane p)
{
	return (unsigned)p < PANE_COUNT ? views[p] : NULL;
}
