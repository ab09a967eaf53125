/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_complete.c: Tab completion of file names at the explorer's file prompts */
#include "tui/app_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpuscope/xalloc.h"

/* A directory may be huge: completion looks at this many names at most. */
#define COMPLETE_SCAN_MAX 20000

struct matches {
	char **names;
	size_t n, cap;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir that start with base (hidden ones only when base
 * starts with a dot), sorted. */
static void collect(const char *dir, const char *base, struct matches *m)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t blen = strlen(base), seen = 0;

	if (!d)
		return;
	while ((e = readdir(d)) && seen++ < COMPLETE_SCAN_MAX) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_name[0] == '.' && base[0] != '.')
			continue;
		if (strncmp(e->d_name, base, blen))
			continue;
		CS_GROW(m->names, m->cap, m->n + 1);
		m->names[m->n++] = cs_xstrdup(e->d_name);
	}
	closedir(d);
	if (m->n > 1)
		qsort(m->names, m->n, sizeof(*m->names), cmp_names);
}

static size_t common_prefix(const struct matches *m)
{
	size_t len = strlen(m->names[0]);

	for (size_t i = 1; i < m->n; i++) {
		size_t k = 0;
		while (k < len && m->names[i][k] == m->names[0][k])
			k++;
		len = k;
	}
	return len;
}

bool app_prompt_is_file(enum app_prompt p)
{
	return p == PROMPT_OPEN || p == PROMPT_SAVE_AS || p == PROMPT_POOL;
}

int app_complete(struct app *app)
{
	char dir[sizeof(app->input) + 8], path[sizeof(app->input) * 2 + 8];
	const char *slash = strrchr(app->input, '/');
	size_t dlen = slash ? (size_t)(slash - app->input) + 1 : 0;
	const char *base = app->input + dlen;
	struct matches m = {0};
	struct stat st;

	app->complete_tabs++;
	snprintf(dir, sizeof(dir), "%.*s", (int)dlen, app->input);
	collect(dlen ? dir : ".", base, &m);
	app->status[0] = '\0';
	if (!m.n) {
		app_status(app, true, "no file name starts with '%s'", base);
	} else {
		size_t len = common_prefix(&m), blen = strlen(base);
		if (len > blen && dlen + len < sizeof(app->input)) {
			snprintf(app->input + dlen, sizeof(app->input) - dlen, "%.*s", (int)len,
			         m.names[0]);
		}
		snprintf(path, sizeof(path), "%s%s", dlen ? dir : "", m.names[0]);
		if (m.n == 1 && stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
		    strlen(app->input) + 1 < sizeof(app->input))
			strcat(app->input, "/");
		/* Several and nothing more in common: the second Tab lists them. */
		if (m.n > 1 && app->complete_tabs >= 2) {
			char list[sizeof(app->status)] = "";
			size_t i;
			for (i = 0;
			     i < m.n && strlen(list) + strlen(m.names[i]) + 12 < sizeof(list); i++)
				app_append(list, sizeof(list), "%s%s", i ? " " : "", m.names[i]);
			if (i < m.n)
				app_append(list, sizeof(list), " +%zu", m.n - i);
			app_status(app, false, "%s", list);
		} else if (m.n > 1) {
			app_status(app, false, "%zu names: Tab again lists them", m.n);
		}
	}
	app->input_len = strlen(app->input);
	app_lines_free(m.names, m.n);
	return APP_REDRAW;
}
