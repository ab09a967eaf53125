/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_yaml_events.c: the YAML map reader's event cursor: events, typed values, keys, errors */
#include "map_yaml_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ctx_format(const struct ctx *c, char *buf, size_t size)
{
	if (c->name)
		snprintf(buf, size, "%s '%s'", c->kind, c->name);
	else
		snprintf(buf, size, "%s", c->kind);
}

int cs_yaml_fail(struct loader *ld, enum cs_errcode code, yaml_mark_t mark, const char *fmt, ...)
{
	char msg[sizeof(ld->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cs_error_setc(ld->err, code, ld->file, (unsigned)mark.line + 1, (unsigned)mark.column + 1,
	              "%s", msg);
	return -1;
}

const char *cs_yaml_ev_text(const struct loader *ld)
{
	return (const char *)ld->ev.data.scalar.value;
}

/* Describe the current event for "expected X, found Y" messages. */
void cs_yaml_describe_event(const struct loader *ld, char *buf, size_t size)
{
	switch (ld->ev.type) {
	case YAML_SCALAR_EVENT:
		if (!ld->ev.data.scalar.length)
			snprintf(buf, size, "an empty value");
		else if (ld->ev.data.scalar.length > 40)
			snprintf(buf, size, "'%.40s...'", cs_yaml_ev_text(ld));
		else
			snprintf(buf, size, "'%s'", cs_yaml_ev_text(ld));
		return;
	case YAML_SEQUENCE_START_EVENT:
		snprintf(buf, size, "a sequence");
		return;
	case YAML_MAPPING_START_EVENT:
		snprintf(buf, size, "a mapping");
		return;
	case YAML_SEQUENCE_END_EVENT:
		snprintf(buf, size, "the end of a sequence");
		return;
	case YAML_MAPPING_END_EVENT:
		snprintf(buf, size, "the end of a mapping");
		return;
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_STREAM_END_EVENT:
	case YAML_DOCUMENT_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
	case YAML_ALIAS_EVENT:
		break;
	}
	snprintf(buf, size, "the end of the document");
}

/* A mark for a byte offset into the input (reader errors carry only that). */
static yaml_mark_t offset_mark(const struct loader *ld, size_t offset)
{
	yaml_mark_t mark = {0, 0, 0};

	if (offset > ld->len)
		offset = ld->len;
	for (size_t i = 0; i < offset; i++) {
		if (ld->buf[i] == '\n') {
			mark.line++;
			mark.column = 0;
		} else if (((unsigned char)ld->buf[i] & 0xc0) != 0x80) {
			mark.column++;
		}
	}
	mark.index = offset;
	return mark;
}

static int parse_error(struct loader *ld)
{
	const yaml_parser_t *p = &ld->parser;
	const char *problem = p->problem ? p->problem : "unknown error";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		cs_error_set(ld->err, CS_ERR_SYSTEM, ld->file, 0,
		             "out of memory while parsing YAML");
		return -1;
	case YAML_READER_ERROR:
		if (p->problem_value >= 0)
			return cs_yaml_fail(ld, CS_ERR_SYNTAX, offset_mark(ld, p->problem_offset),
			                    "malformed YAML: %s (#x%X)", problem,
			                    (unsigned)p->problem_value);
		return cs_yaml_fail(ld, CS_ERR_SYNTAX, offset_mark(ld, p->problem_offset),
		                    "malformed YAML: %s", problem);
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		if (p->context)
			return cs_yaml_fail(ld, CS_ERR_SYNTAX, p->problem_mark,
			                    "malformed YAML: %s (%s at line %zu)", problem,
			                    p->context, p->context_mark.line + 1);
		return cs_yaml_fail(ld, CS_ERR_SYNTAX, p->problem_mark, "malformed YAML: %s",
		                    problem);
	case YAML_NO_ERROR:
	case YAML_COMPOSER_ERROR:
	case YAML_WRITER_ERROR:
	case YAML_EMITTER_ERROR:
		break;
	}
	return cs_yaml_fail(ld, CS_ERR_SYNTAX, p->problem_mark, "malformed YAML: %s", problem);
}

/* Advance to the next event.  Anchors and aliases are refused outright:
 * a map has no use for them, and refusing them rules out exponential
 * expansion ("billion laughs").  Tags have no meaning in the schema. */
int cs_yaml_next_event(struct loader *ld)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;

	if (ld->have_ev) {
		yaml_event_delete(&ld->ev);
		ld->have_ev = false;
	}
	if (!yaml_parser_parse(&ld->parser, &ld->ev))
		return parse_error(ld);
	ld->have_ev = true;
	switch (ld->ev.type) {
	case YAML_ALIAS_EVENT:
		return cs_yaml_fail(ld, CS_ERR_SECURITY, ld->ev.start_mark,
		                    "YAML aliases are not allowed in a CPU map (*%s)",
		                    (const char *)ld->ev.data.alias.anchor);
	case YAML_SCALAR_EVENT:
		anchor = ld->ev.data.scalar.anchor;
		tag = ld->ev.data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ld->ev.data.sequence_start.anchor;
		tag = ld->ev.data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ld->ev.data.mapping_start.anchor;
		tag = ld->ev.data.mapping_start.tag;
		break;
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_STREAM_END_EVENT:
	case YAML_DOCUMENT_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		break;
	}
	if (anchor)
		return cs_yaml_fail(ld, CS_ERR_SECURITY, ld->ev.start_mark,
		                    "YAML anchors are not allowed in a CPU map (&%s)",
		                    (const char *)anchor);
	if (tag)
		return cs_yaml_fail(ld, CS_ERR_UNSUPPORTED, ld->ev.start_mark,
		                    "YAML tags are not allowed in a CPU map (%s)",
		                    (const char *)tag);
	return 0;
}

/* Read the value of key, which must be of the given kind. */
int cs_yaml_next_value(struct loader *ld, yaml_event_type_t type, const char *key,
                       const struct ctx *c)
{
	static const char *const kinds[] = {
	        [YAML_SCALAR_EVENT] = "a scalar",
	        [YAML_SEQUENCE_START_EVENT] = "a sequence",
	        [YAML_MAPPING_START_EVENT] = "a mapping",
	};
	char found[64], where[160];

	if (cs_yaml_next_event(ld) < 0)
		return -1;
	if (ld->ev.type == type)
		return 0;
	cs_yaml_describe_event(ld, found, sizeof(found));
	ctx_format(c, where, sizeof(where));
	return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
	                    "expected %s for '%s' in %s, found %s", kinds[type], key, where, found);
}

/* Inside a sequence whose start was read: advance to the next item.
 * Returns 1 with an item of the given kind current, 0 at the end, -1 on
 * error. */
int cs_yaml_next_item(struct loader *ld, yaml_event_type_t type, const char *key,
                      const struct ctx *c)
{
	char found[64], where[160];

	if (cs_yaml_next_event(ld) < 0)
		return -1;
	if (ld->ev.type == YAML_SEQUENCE_END_EVENT)
		return 0;
	if (ld->ev.type == type)
		return 1;
	cs_yaml_describe_event(ld, found, sizeof(found));
	ctx_format(c, where, sizeof(where));
	return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
	                    "expected %s in '%s' of %s, found %s",
	                    type == YAML_SCALAR_EVENT ? "a name" : "a mapping", key, where, found);
}

/* The text of the current scalar, refusing embedded NUL bytes, which a C
 * string cannot carry. */
const char *cs_yaml_scalar_text(struct loader *ld, const char *key, const struct ctx *c)
{
	char where[160];

	if (strlen(cs_yaml_ev_text(ld)) == ld->ev.data.scalar.length)
		return cs_yaml_ev_text(ld);
	ctx_format(c, where, sizeof(where));
	cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark, "NUL byte in '%s' of %s", key, where);
	return NULL;
}

const char *cs_yaml_next_text(struct loader *ld, const char *key, const struct ctx *c)
{
	if (cs_yaml_next_value(ld, YAML_SCALAR_EVENT, key, c) < 0)
		return NULL;
	return cs_yaml_scalar_text(ld, key, c);
}

int cs_yaml_next_u32(struct loader *ld, const char *key, const struct ctx *c, uint32_t *out)
{
	const char *s = cs_yaml_next_text(ld, key, c);
	char where[160];

	if (!s)
		return -1;
	if (cs_parse_u32(s, out) == 0)
		return 0;
	ctx_format(c, where, sizeof(where));
	return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
	                    "invalid number '%s' for '%s' in %s", s, key, where);
}

int cs_yaml_next_bool(struct loader *ld, const char *key, const struct ctx *c, bool *out)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
	                                  "YES",  "on",   "On",   "ON"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No",
	                                 "NO",    "off",   "Off",   "OFF"};
	const char *s = cs_yaml_next_text(ld, key, c);
	char where[160];

	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	ctx_format(c, where, sizeof(where));
	return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
	                    "invalid boolean '%s' for '%s' in %s (use true/false or on/off)", s,
	                    key, where);
}

/* Inside a mapping: advance to the next key.  Returns its index in keys
 * (NULL-terminated, at most 32), -2 at the end of the mapping, -1 on error.
 * Unknown and repeated keys are errors: a typo must not pass unnoticed. */
int cs_yaml_next_key(struct loader *ld, const char *const *keys, const struct ctx *c,
                     uint32_t *seen)
{
	char where[160], valid[200];
	size_t n = 0;
	const char *k;

	if (cs_yaml_next_event(ld) < 0)
		return -1;
	if (ld->ev.type == YAML_MAPPING_END_EVENT)
		return -2;
	if (ld->ev.type != YAML_SCALAR_EVENT) {
		char found[64];

		cs_yaml_describe_event(ld, found, sizeof(found));
		ctx_format(c, where, sizeof(where));
		return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
		                    "expected a key in %s, found %s", where, found);
	}
	k = cs_yaml_ev_text(ld);
	for (int i = 0; keys[i]; i++) {
		if (strcmp(k, keys[i]))
			continue;
		if (*seen & (UINT32_C(1) << i)) {
			ctx_format(c, where, sizeof(where));
			return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
			                    "duplicate key '%s' in %s", k, where);
		}
		*seen |= UINT32_C(1) << i;
		return i;
	}
	valid[0] = '\0';
	for (int i = 0; keys[i] && n < sizeof(valid); i++) {
		int w = snprintf(valid + n, sizeof(valid) - n, "%s%s", i ? ", " : "", keys[i]);

		if (w < 0)
			break;
		n += (size_t)w;
	}
	ctx_format(c, where, sizeof(where));
	return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
	                    "unknown key '%.64s' in %s (expected one of: %s)", k, where, valid);
}

/* With the start of a named entry's mapping current, read its first key,
 * which must be 'name', and the name.  On success the name is the current
 * scalar event (*at its position).  Requiring the name first lets every
 * later key be checked against the entry it belongs to. */
const char *cs_yaml_read_name(struct loader *ld, const char *kind, yaml_mark_t *at)
{
	yaml_mark_t start = ld->ev.start_mark;
	char entry[32];
	struct ctx c = {entry, NULL};
	const char *name;

	snprintf(entry, sizeof(entry), "%s entry", kind);
	if (cs_yaml_next_event(ld) < 0)
		return NULL;
	if (ld->ev.type == YAML_MAPPING_END_EVENT) {
		cs_yaml_fail(ld, CS_ERR_INVALID, start, "%s entry has no 'name'", kind);
		return NULL;
	}
	if (ld->ev.type != YAML_SCALAR_EVENT || strcmp(cs_yaml_ev_text(ld), "name")) {
		char found[64];

		cs_yaml_describe_event(ld, found, sizeof(found));
		cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
		             "%s entry must begin with its 'name' (found key %s)", kind, found);
		return NULL;
	}
	name = cs_yaml_next_text(ld, "name", &c);
	if (!name)
		return NULL;
	if (!*name) {
		cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark, "empty name for %s entry",
		             kind);
		return NULL;
	}
	*at = ld->ev.start_mark;
	return name;
}

/* The add_* functions report duplicates by line only; add the column. */
void cs_yaml_dup_column(struct loader *ld, yaml_mark_t at)
{
	if (ld->err && ld->err->code == CS_ERR_DUPLICATE && !ld->err->col)
		ld->err->col = (unsigned)at.column + 1;
}
