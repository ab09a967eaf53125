/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* actions.c: names and help texts of the explorer's actions */
#include "tui/actions.h"

#include <string.h>

#define APP_ACTION_NAME(id, name, help) name,
#define APP_ACTION_HELP(id, name, help) help,
static const char *const names[] = {APP_ACTIONS(APP_ACTION_NAME)};
static const char *const helps[] = {APP_ACTIONS(APP_ACTION_HELP)};
#undef APP_ACTION_NAME
#undef APP_ACTION_HELP

const char *action_name(enum action a)
{
	return (unsigned)a < ACT_COUNT ? names[a] : "?";
}

const char *action_help(enum action a)
{
	return (unsigned)a < ACT_COUNT ? helps[a] : "?";
}

enum action action_from_name(const char *name)
{
	for (unsigned a = 0; a < ACT_COUNT; a++)
		if (!strcmp(names[a], name))
			return (enum action)a;
	return ACT_NONE;
}
