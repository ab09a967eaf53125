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

/* One change between two guests, after the others in buf. */
static void change_add(char *buf, size_t size, unsigned *n, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void change_add(char *buf, size_t size, unsigned *n, const char *fmt, ...)
{
	char one[160];
	va_list ap;

	if ((*n)++ >= 3)
		return;
	va_start(ap, fmt);
	vsnprintf(one, sizeof(one), fmt, ap);
	va_end(ap);
	app_append(buf, size, "%s%s", buf[0] ? ", " : "", one);
}

void app_describe_change(const struct app *app, const struct cs_cpudef *from,
                         const struct cs_cpudef *to, char *buf, size_t size)
{
	static const char *const topo[ENGINE_TOPO_COUNT] = {"sockets", "dies", "clusters", "cores",
	                                                    "threads"};
	struct cs_fset all, b;
	unsigned n = 0;
	int id;

	buf[0] = '\0';
	if (from->mode != to->mode)
		change_add(buf, size, &n, "mode %s", engine_mode_name(to->mode));
	if (from->model != to->model)
		change_add(buf, size, &n, "model %s",
		           to->model >= 0 ? app->arch->models[to->model].name : "(none)");
	if (from->match != to->match)
		change_add(buf, size, &n, "match %s", engine_match_name(to->match));
	if (from->check != to->check)
		change_add(buf, size, &n, "check %s", engine_check_name(to->check));
	if (from->fallback != to->fallback)
		change_add(buf, size, &n, "fallback %s", engine_fallback_name(to->fallback));
	if (from->vendor_idx != to->vendor_idx)
		change_add(buf, size, &n, "vendor %s",
		           to->vendor_idx >= 0 ? app->arch->vendors[to->vendor_idx].name : "(any)");
	for (unsigned i = 0; i < ENGINE_TOPO_COUNT; i++) {
		unsigned x = engine_guest_topology(from, i), y = engine_guest_topology(to, i);
		if (x != y && y)
			change_add(buf, size, &n, "%s %u", topo[i], y);
		else if (x != y)
			change_add(buf, size, &n, "no %s", topo[i]);
	}
	engine_guest_listed(from, &all);
	engine_guest_listed(to, &b);
	cs_fset_union(&all, &all, &b);
	cs_fset_foreach (id, &all) {
		enum cs_policy p = engine_guest_policy(from, (unsigned)id),
		               q = engine_guest_policy(to, (unsigned)id);
		const char *name = app->arch->features[id].name;
		if (p == q)
			continue;
		if (q == CS_POLICY_REQUIRE)
			change_add(buf, size, &n, "+%s", name);
		else if (q == CS_POLICY_DISABLE)
			change_add(buf, size, &n, "-%s", name);
		else if (q == CS_POLICY_NONE)
			change_add(buf, size, &n, "%s unlisted", name);
		else
			change_add(buf, size, &n, "%s %s", name, engine_policy_name(q));
	}
	if (n > 3)
		app_append(buf, size, " and %u more change%s", n - 3, n - 3 == 1 ? "" : "s");
	if (!n)
		snprintf(buf, size, "no change");
}
