/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_export.c: every export of a guest <cpu>, and the escaping rules they rest on
 *
 * What an export writes must not break out of its syntax: no line break in
 * virt-xml's --cpu word, no control character anywhere, and every escape
 * function's result holds what escape.h promises. */
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/escape.h"
#include "cpuscope/export.h"
#include "fuzz.h"

FUZZ_INIT_WITH_MAP

static void check_clean(const char *text, bool lines)
{
	for (const unsigned char *p = (const unsigned char *)text; text && *p; p++)
		if ((*p < 0x20 && !(lines && (*p == '\n' || *p == '\t'))) || *p == 0x7f)
			abort();
}

/* The escape functions on the raw input as a string. */
static void check_escapes(const char *s)
{
	char *q = cs_shell_quote(s), *t = cs_term_text(s), *l = cs_term_lines(s);

	/* a quoted word starts and ends with a quote, or is all safe */
	if (q[0] == '\'' ? q[strlen(q) - 1] != '\'' || strlen(q) < 2
	                 : strpbrk(q, "'\"$`\\ \n;&|<>()*?[]#~") != NULL)
		abort();
	check_clean(t, false);
	check_clean(l, true);
	if (cs_qemu_name_ok(s) && strpbrk(s, ",= \n\"'"))
		abort();
	if (cs_ini_value_ok(s) && strpbrk(s, "\n\r"))
		abort();
	free(q);
	free(t);
	free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = {0};
	struct cs_cpudef **defs = NULL;
	size_t ndefs = 0;
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	check_escapes(s);
	free(s);
	if (cs_cpudef_parse(fuzz_map(), (const char *)data, size, "fuzz.xml", CS_CPUDEF_AS_GUEST,
	                    &defs, &ndefs, &err) < 0)
		return 0;
	for (size_t i = 0; i < ndefs; i++) {
		char *notes = NULL, *text;

		text = cs_export_virt_xml(defs[i], &notes);
		if (text && strchr(text, '\n'))
			abort();
		check_clean(text, false);
		free(text);
		free(notes);
		text = cs_export_kubevirt(defs[i], &notes);
		check_clean(text, true);
		free(text);
		free(notes);
		text = cs_export_proxmox(defs[i], "fuzz", &notes);
		check_clean(text, true);
		free(text);
		free(notes);
		text = cs_export_nova(defs[i], &notes);
		check_clean(text, true);
		free(text);
		free(notes);
	}
	cs_cpudef_list_free(defs, ndefs);
	return 0;
}
