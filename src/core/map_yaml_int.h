/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_yaml_int.h: the YAML map reader's state and its event cursor (internal to the core) */
#ifndef CPUSCOPE_MAP_YAML_INT_H
#define CPUSCOPE_MAP_YAML_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "cpuscope/cpumap.h"

/* What a mapping being read is, for messages: "feature 'pni'", "cpuid entry
 * of feature 'pni'", "the map". */
struct ctx {
	const char *kind;
	const char *name; /* may be NULL */
};

/* A name a model refers to.  These are resolved when their arch section
 * ends, so that a section may list models before the vendors and features
 * they use, and parents may be forward references. */
enum ref_kind { REF_FEATURE, REF_REMOVED, REF_VENDOR, REF_PARENT };

struct ref {
	enum ref_kind kind;
	size_t model;
	size_t name; /* offset into loader.pool */
	yaml_mark_t mark;
};

struct loader {
	yaml_parser_t parser;
	yaml_event_t ev; /* the current event, valid when have_ev */
	bool have_ev;
	bool x86; /* the arch section being read is x86 */
	const char *buf;
	size_t len;
	struct cs_map *map;
	const char *file; /* interned in map */
	struct cs_error *err;
	struct ref *refs;
	size_t nrefs, refcap;
	char *pool; /* NUL-separated names of refs */
	size_t poollen, poolcap;
};

/* ---- the event cursor (map_yaml_events.c) ------------------------------------ */

/* Set the loader's error at mark (file:line:column) and return -1. */
int cs_yaml_fail(struct loader *ld, enum cs_errcode code, yaml_mark_t mark, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* The current scalar's text, borrowed from the event. */
const char *cs_yaml_ev_text(const struct loader *ld);

/* Describe the current event for "expected X, found Y" messages. */
void cs_yaml_describe_event(const struct loader *ld, char *buf, size_t size);

/* Advance to the next event.  Anchors and aliases are refused outright:
 * a map has no use for them, and refusing them rules out exponential
 * expansion ("billion laughs").  Tags have no meaning in the schema. */
int cs_yaml_next_event(struct loader *ld);

/* Read the value of key, which must be of the given kind. */
int cs_yaml_next_value(struct loader *ld, yaml_event_type_t type, const char *key,
                       const struct ctx *c);

/* Inside a sequence whose start was read: advance to the next item.
 * Returns 1 with an item of the given kind current, 0 at the end, -1 on
 * error. */
int cs_yaml_next_item(struct loader *ld, yaml_event_type_t type, const char *key,
                      const struct ctx *c);

/* The text of the current scalar, refusing embedded NUL bytes, which a C
 * string cannot carry. */
const char *cs_yaml_scalar_text(struct loader *ld, const char *key, const struct ctx *c);

/* The value of key as text, a 32-bit number (decimal or 0x hex) or a
 * boolean; NULL or -1 with the error set when it is not one. */
const char *cs_yaml_next_text(struct loader *ld, const char *key, const struct ctx *c);
int cs_yaml_next_u32(struct loader *ld, const char *key, const struct ctx *c, uint32_t *out);
int cs_yaml_next_bool(struct loader *ld, const char *key, const struct ctx *c, bool *out);

/* Inside a mapping: advance to the next key.  Returns its index in keys
 * (NULL-terminated, at most 32), -2 at the end of the mapping, -1 on error.
 * Unknown and repeated keys are errors: a typo must not pass unnoticed. */
int cs_yaml_next_key(struct loader *ld, const char *const *keys, const struct ctx *c,
                     uint32_t *seen);

/* With the start of a named entry's mapping current, read its first key,
 * which must be 'name', and the name.  On success the name is the current
 * scalar event (*at its position).  Requiring the name first lets every
 * later key be checked against the entry it belongs to. */
const char *cs_yaml_read_name(struct loader *ld, const char *kind, yaml_mark_t *at);

/* The add_* functions report duplicates by line only; add the column. */
void cs_yaml_dup_column(struct loader *ld, yaml_mark_t at);

#endif
