/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape.c: what may be written in each output syntax, and how it is quoted */
#include "cpuscope/escape.h"

#include <string.h>

#include "cpuscope/xalloc.h"
#include "strbuf.h"

#define MAX_QEMU_NAME 64

bool cs_qemu_name_ok(const char *s)
{
	size_t n;

	if (!s || !*s)
		return false;
	n = strlen(s);
	if (n > MAX_QEMU_NAME)
		return false;
	/* QEMU's own names: letters, digits, '-', '.', '_' (and '+' in a few
	 * old aliases); anything else could end the name or the option. */
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._+") == n;
}

bool cs_optlist_value_ok(const char *s)
{
	if (!s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == ',' || *p == '=')
			return false;
	return true;
}

char *cs_qemu_opt_escape(const char *s)
{
	struct cs_buf b = {0};

	for (const char *p = s; *p; p++) {
		if (*p == ',')
			cs_buf_add(&b, ",,");
		else
			cs_buf_addn(&b, p, 1);
	}
	return cs_buf_detach(&b);
}

bool cs_ini_value_ok(const char *s)
{
	if (!s || *s == '[' || *s == ';' || *s == '#')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return true;
}

char *cs_shell_quote(const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                           "-._+,=:/@%";
	struct cs_buf b = {0};

	if (*s && strspn(s, safe) == strlen(s))
		return cs_xstrdup(s);
	cs_buf_add(&b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			cs_buf_add(&b, "'\\''");
		else
			cs_buf_addn(&b, p, 1);
	}
	cs_buf_add(&b, "'");
	return cs_buf_detach(&b);
}

/* Length of the well-formed UTF-8 sequence at p (2 to 4), or 0. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n = (p[0] & 0xe0) == 0xc0   ? 2
	           : (p[0] & 0xf0) == 0xe0 ? 3
	           : (p[0] & 0xf8) == 0xf0 ? 4
	                                   : 0;

	if (!n || p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	for (size_t k = 1; k < n; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return n;
}

bool cs_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p >= 0x80 ? utf8_len(p) : 1;

		if (!n)
			return false;
		/* overlong 3- and 4-byte forms, surrogates, beyond U+10FFFF */
		if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
		    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
			return false;
		p += n;
	}
	return true;
}

static char *term(const char *s, bool lines)
{
	struct cs_buf b = {0};
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p >= 0x80 ? utf8_len(p) : 1;

		/* U+0080..U+009F (C1 controls, CSI among them) are \xc2\x80..\x9f */
		if (n == 1 &&
		    ((*p >= 0x20 && *p != 0x7f) || (lines && (*p == '\n' || *p == '\t')))) {
			cs_buf_addn(&b, (const char *)p, 1);
		} else if (n >= 2 && !(p[0] == 0xc2 && p[1] < 0xa0)) {
			cs_buf_addn(&b, (const char *)p, n);
		} else {
			n = n ? n : 1;
			for (size_t k = 0; k < n; k++)
				cs_buf_addf(&b, "\\x%02x", p[k]);
		}
		p += n;
	}
	return cs_buf_detach(&b);
}

char *cs_term_text(const char *s)
{
	return term(s, false);
}

char *cs_term_lines(const char *s)
{
	return term(s, true);
}
