/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app_text.c: text helpers of the explorer: names, appending, line arrays */
#include "tui/app_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cpuscope/xalloc.h"

void app_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

void app_names_of(const struct app *app, const struct cs_fset *s, unsigned max, char *buf,
                  size_t size)
{
	unsigned n = 0, total = cs_fset_count(s);
	int id;

	cs_fset_foreach (id, s) {
		if (n == max)
			break;
		app_append(buf, size, "%s%s", n ? ", " : "", app->arch->features[id].name);
		n++;
	}
	if (total > n)
		app_append(buf, size, ", +%u", total - n);
}

bool app_contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return true;
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return false;
}

void app_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

void app_text_clear(struct app_text *text)
{
	app_lines_free(text->lines, text->n);
	text->lines = NULL;
	text->n = 0;
}

void app_lines_reset(struct app_lines *t, struct app_text *text)
{
	app_text_clear(text);
	t->text = text;
	t->cap = 0;
}

/* Add s[0..len) as a line, a tab shown as four spaces. */
static void lines_add(struct app_lines *t, const char *s, size_t len)
{
	size_t tabs = 0, k = 0;
	char *line;

	for (size_t i = 0; i < len; i++)
		tabs += s[i] == '\t';
	line = cs_xmalloc(len + 3 * tabs + 1);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\t') {
			memcpy(line + k, "    ", 4);
			k += 4;
		} else {
			line[k++] = s[i];
		}
	}
	line[k] = '\0';
	CS_GROW(t->text->lines, t->cap, t->text->n + 1);
	t->text->lines[t->text->n++] = line;
}

void app_lines_text(struct app_lines *t, const char *text)
{
	if (!*text)
		lines_add(t, "", 0);
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		lines_add(t, text, len);
		text += len + (nl ? 1 : 0);
	}
}

void app_lines_wrapped(struct app_lines *t, const char *s, size_t width)
{
	char buf[512];
	bool first = true;
	/* Continuation lines go two columns in from the line's own indent. */
	size_t cont = strspn(s, " ") + 2;

	if (width < 20)
		width = 20;
	if (cont > width / 2)
		cont = width / 2;
	while (strlen(s) + (first ? 0 : cont) > width) {
		size_t ind = first ? 0 : cont, room = width - ind, cut = room;
		while (cut > 1 && s[cut - 1] != ',' && s[cut - 1] != ' ')
			cut--;
		if (cut <= 1)
			cut = room;
		if (cut > sizeof(buf) - 1 - ind)
			cut = sizeof(buf) - 1 - ind;
		memset(buf, ' ', ind);
		memcpy(buf + ind, s, cut);
		lines_add(t, buf, ind + cut);
		s += cut;
		s += strspn(s, " ");
		first = false;
	}
	size_t ind = first ? 0 : cont, len = strlen(s);
	if (len > sizeof(buf) - 1 - ind)
		len = sizeof(buf) - 1 - ind;
	memset(buf, ' ', ind);
	memcpy(buf + ind, s, len);
	lines_add(t, buf, ind + len);
}
