/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape.h: the one rule per output syntax: QEMU names and options, INI values, shell words,
 * terminal text */
#ifndef CPUSCOPE_ESCAPE_H
#define CPUSCOPE_ESCAPE_H

#include <stdbool.h>

/* True when s may stand as a CPU model or feature name in QEMU's -cpu
 * option and in the tools built on it (virt-xml, Proxmox, Nova, KubeVirt):
 * non-empty, at most 64 bytes, only letters, digits and "-._+".  Names
 * with anything else (a comma, '=', a quote, white space, a control
 * character) are refused rather than escaped: no exporter quotes them. */
bool cs_qemu_name_ok(const char *s);

/* True when s may be the value of a "key=value" in a comma-separated
 * option list (virt-xml's --cpu, QEMU's -cpu): printable ASCII without ','
 * or '=' (which would start another option). */
bool cs_optlist_value_ok(const char *s);

/* s as one value of QEMU's own option syntax (-cpu MODEL,key=value,...):
 * each ',' doubled, which QEMU reads back as one literal comma, so a value
 * can never start another option.  A new string the caller frees. */
char *cs_qemu_opt_escape(const char *s);

/* True when s may be the value of an INI line ("key = value", nova.conf):
 * printable ASCII, no line break, and not starting with '[', ';' or '#'. */
bool cs_ini_value_ok(const char *s);

/* s as one word of a POSIX shell command line: unchanged when it holds
 * only characters no shell interprets, else in single quotes with each
 * ' written '\''.  A new string the caller frees. */
char *cs_shell_quote(const char *s);

/* Whether s is well-formed UTF-8: no stray or missing continuation byte, no
 * overlong form, no surrogate, nothing above U+10FFFF. */
bool cs_utf8_valid(const char *s);

/* s safe to print on a terminal: control characters (C0, DEL, and C1 in
 * UTF-8 or as single bytes) and bytes that are not UTF-8 written \xNN.
 * A new string the caller frees. */
char *cs_term_text(const char *s);
/* As cs_term_text(), keeping line breaks and tabs: a multi-line report. */
char *cs_term_lines(const char *s);

#endif
