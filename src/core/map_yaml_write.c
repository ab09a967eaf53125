/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_yaml_write.c: write a map in cpuscope's own YAML form (cpuscope-map/1) */
#include "cpuscope/cpumap.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cpuscope/xalloc.h"

#define FORMAT_CURRENT "cpuscope-map/1"

/* ==========================================================================
 * Writing
 *
 * The output is canonical: it depends only on the map's content, so loading
 * a file written here and writing it again gives the same bytes.  Lines are
 * never wrapped; each vendor and feature is one flow mapping on one line,
 * each model a block mapping with one feature per line (readable diffs).
 * ========================================================================== */

struct emitter {
	yaml_emitter_t em;
	char *out;
	size_t len, cap;
	const char *problem; /* set on the first failure; later calls do nothing */
};

static int write_out(void *data, unsigned char *buffer, size_t size)
{
	struct emitter *e = data;

	CS_GROW(e->out, e->cap, e->len + size + 1);
	memcpy(e->out + e->len, buffer, size);
	e->len += size;
	return 1;
}

/* Hand an initialised event to the emitter (which takes it over). */
static void emit(struct emitter *e, yaml_event_t *ev, int initialised)
{
	if (!initialised) {
		e->problem = "invalid UTF-8 in a name or comment";
		return;
	}
	if (!yaml_emitter_emit(&e->em, ev))
		e->problem = e->em.problem ? e->em.problem : "YAML emitter error";
}

/* Would a YAML 1.1 reader take s, written plain, for a non-string (bool,
 * null, number)?  Such names are quoted so that other tools read them
 * right; cpuscope itself reads every value by its key. */
static bool looks_typed(const char *s)
{
	static const char *const words[] = {
	        "y",  "Y",    "yes",  "Yes",  "YES",   "n",     "N",     "no", "No",
	        "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
	        "ON", "off",  "Off",  "OFF",  "null",  "Null",  "NULL",  "~",  "",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(s, words[i]))
			return true;
	if (!strchr("0123456789+-.", s[0]))
		return false;
	/* Erring towards quotes is harmless; "3dnow" stays plain. */
	return strspn(s, "0123456789abcdefABCDEFxXoO._+-:") == strlen(s) ||
	       !strcmp(s + (s[0] == '.' ? 0 : 1), ".inf") || !strcmp(s, ".nan") ||
	       !strcmp(s, ".NaN");
}

static void put_scalar(struct emitter *e, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	size_t n = strlen(s);

	if (e->problem)
		return;
	if (n > INT_MAX) {
		e->problem = "value too long";
		return;
	}
	emit(e, &ev,
	     yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s, (int)n, 1, 1,
	                                  style));
}

/* Names and other free text. */
static void put_text(struct emitter *e, const char *s)
{
	put_scalar(e, s,
	           looks_typed(s) ? YAML_SINGLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE);
}

static void put_key_text(struct emitter *e, const char *key, const char *s)
{
	put_scalar(e, key, YAML_PLAIN_SCALAR_STYLE);
	put_text(e, s);
}

/* A number: hexadecimal with at least digits digits, or decimal when
 * digits is 0. */
static void put_key_num(struct emitter *e, const char *key, uint32_t v, int digits)
{
	char buf[32];

	if (digits)
		snprintf(buf, sizeof(buf), "0x%0*x", digits, (unsigned)v);
	else
		snprintf(buf, sizeof(buf), "%u", (unsigned)v);
	put_scalar(e, key, YAML_PLAIN_SCALAR_STYLE);
	put_scalar(e, buf, YAML_PLAIN_SCALAR_STYLE);
}

static void put_key_hex(struct emitter *e, const char *key, uint32_t v)
{
	put_key_num(e, key, v, 8);
}

static void put_key_bool(struct emitter *e, const char *key, bool v, const char *yes,
                         const char *no)
{
	put_scalar(e, key, YAML_PLAIN_SCALAR_STYLE);
	put_scalar(e, v ? yes : no, YAML_PLAIN_SCALAR_STYLE);
}

static void begin_map(struct emitter *e, bool flow)
{
	yaml_event_t ev;

	if (e->problem)
		return;
	emit(e, &ev,
	     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	                                         flow ? YAML_FLOW_MAPPING_STYLE
	                                              : YAML_BLOCK_MAPPING_STYLE));
}

static void end_map(struct emitter *e)
{
	yaml_event_t ev;

	if (e->problem)
		return;
	emit(e, &ev, yaml_mapping_end_event_initialize(&ev));
}

/* Start a sequence under key in the current mapping. */
static void begin_seq(struct emitter *e, const char *key, bool flow)
{
	yaml_event_t ev;

	put_scalar(e, key, YAML_PLAIN_SCALAR_STYLE);
	if (e->problem)
		return;
	emit(e, &ev,
	     yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	                                          flow ? YAML_FLOW_SEQUENCE_STYLE
	                                               : YAML_BLOCK_SEQUENCE_STYLE));
}

static void end_seq(struct emitter *e)
{
	yaml_event_t ev;

	if (e->problem)
		return;
	emit(e, &ev, yaml_sequence_end_event_initialize(&ev));
}

static void put_vendor(struct emitter *e, const struct cs_vendor *v)
{
	begin_map(e, true);
	put_key_text(e, "name", v->name);
	if (v->string)
		put_key_text(e, "string", v->string);
	if (v->has_value)
		put_key_num(e, "value", v->value, 2);
	end_map(e);
}

static void put_feature(struct emitter *e, const struct cs_feature *f)
{
	bool any_cpuid = false, any_msr = false;

	for (size_t i = 0; i < f->nitems; i++) {
		any_cpuid |= f->items[i].kind == CS_ITEM_CPUID;
		any_msr |= f->items[i].kind == CS_ITEM_MSR;
	}
	begin_map(e, true);
	put_key_text(e, "name", f->name);
	if (f->naliases) {
		begin_seq(e, "aliases", true);
		for (size_t i = 0; i < f->naliases; i++) {
			begin_map(e, true);
			put_key_text(e, "name", f->aliases[i].name);
			if (f->aliases[i].source)
				put_key_text(e, "source", f->aliases[i].source);
			end_map(e);
		}
		end_seq(e);
	}
	if (!f->migratable)
		put_key_bool(e, "migratable", false, "true", "false");
	if (any_cpuid) {
		begin_seq(e, "cpuid", true);
		for (size_t i = 0; i < f->nitems; i++) {
			const struct cs_item *it = &f->items[i];

			if (it->kind != CS_ITEM_CPUID)
				continue;
			begin_map(e, true);
			put_key_hex(e, "eax_in", it->leaf);
			if (it->subleaf)
				put_key_hex(e, "ecx_in", it->subleaf);
			for (int r = CS_REG_EAX; r < CS_REG_COUNT; r++)
				if (it->reg[r])
					put_key_hex(e, cs_reg_name((enum cs_reg)r), it->reg[r]);
			end_map(e);
		}
		end_seq(e);
	}
	if (any_msr) {
		begin_seq(e, "msr", true);
		for (size_t i = 0; i < f->nitems; i++) {
			const struct cs_item *it = &f->items[i];

			if (it->kind != CS_ITEM_MSR)
				continue;
			begin_map(e, true);
			put_key_hex(e, "index", it->leaf);
			if (it->reg[CS_REG_EAX])
				put_key_hex(e, "eax", it->reg[CS_REG_EAX]);
			if (it->reg[CS_REG_EDX])
				put_key_hex(e, "edx", it->reg[CS_REG_EDX]);
			end_map(e);
		}
		end_seq(e);
	}
	end_map(e);
}

/* pvrs carry no "own" flag: after resolution a child holds a copy of its
 * parent's.  Writing them only where they differ keeps the output the same
 * whether or not the map was resolved. */
static bool pvrs_inherited(const struct cs_arch *a, const struct cs_model *m)
{
	const struct cs_model *p;

	if (m->parent < 0)
		return false;
	p = &a->models[m->parent];
	if (p->npvrs != m->npvrs)
		return false;
	for (size_t i = 0; i < m->npvrs; i++)
		if (p->pvrs[i].value != m->pvrs[i].value || p->pvrs[i].mask != m->pvrs[i].mask ||
		    p->pvrs[i].has_mask != m->pvrs[i].has_mask)
			return false;
	return true;
}

static void put_model(struct emitter *e, const struct cs_arch *a, const struct cs_model *m)
{
	begin_map(e, false);
	put_key_text(e, "name", m->name);
	if (m->parent >= 0)
		put_key_text(e, "parent", a->models[m->parent].name);
	if (m->vendor >= 0 && (m->vendor_own || m->parent < 0))
		put_key_text(e, "vendor", a->vendors[m->vendor].name);
	if (m->has_decode) {
		put_scalar(e, "decode", YAML_PLAIN_SCALAR_STYLE);
		begin_map(e, true);
		put_key_bool(e, "host", m->decode_host, "on", "off");
		put_key_bool(e, "guest", m->decode_guest, "on", "off");
		end_map(e);
	}
	if (m->nsigs && (m->sigs_own || m->parent < 0)) {
		begin_seq(e, "signatures", true);
		for (size_t i = 0; i < m->nsigs; i++) {
			begin_map(e, true);
			put_key_num(e, "family", m->sigs[i].family, 0);
			put_key_num(e, "model", m->sigs[i].model, 0);
			if (m->sigs[i].steppings) {
				char steps[64];

				cs_steppings_format(m->sigs[i].steppings, steps, sizeof(steps));
				put_scalar(e, "stepping", YAML_PLAIN_SCALAR_STYLE);
				put_scalar(e, steps, YAML_SINGLE_QUOTED_SCALAR_STYLE);
			}
			end_map(e);
		}
		end_seq(e);
	}
	if (m->npvrs && !pvrs_inherited(a, m)) {
		begin_seq(e, "pvr", true);
		for (size_t i = 0; i < m->npvrs; i++) {
			begin_map(e, true);
			put_key_hex(e, "value", m->pvrs[i].value);
			if (m->pvrs[i].has_mask)
				put_key_hex(e, "mask", m->pvrs[i].mask);
			end_map(e);
		}
		end_seq(e);
	}
	if (m->nown) {
		begin_seq(e, "features", false);
		for (size_t i = 0; i < m->nown; i++)
			put_text(e, a->features[m->own_list[i]].name);
		end_seq(e);
	}
	if (!cs_fset_is_empty(&m->removed)) {
		int id;

		begin_seq(e, "removed", false);
		cs_fset_foreach (id, &m->removed)
			put_text(e, a->features[id].name);
		end_seq(e);
	}
	end_map(e);
}

static void put_arch(struct emitter *e, const struct cs_arch *a)
{
	begin_map(e, false);
	put_key_text(e, "name", a->name);
	if (a->nvendors) {
		begin_seq(e, "vendors", false);
		for (size_t i = 0; i < a->nvendors; i++)
			put_vendor(e, &a->vendors[i]);
		end_seq(e);
	}
	if (a->nfeatures) {
		begin_seq(e, "features", false);
		for (size_t i = 0; i < a->nfeatures; i++)
			put_feature(e, &a->features[i]);
		end_seq(e);
	}
	if (a->nmodels) {
		begin_seq(e, "models", false);
		for (size_t i = 0; i < a->nmodels; i++)
			put_model(e, a, &a->models[i]);
		end_seq(e);
	}
	end_map(e);
}

int cs_map_to_yaml(const struct cs_map *map, char **out, size_t *len, struct cs_error *err)
{
	struct emitter e;
	yaml_event_t ev;

	*out = NULL;
	if (len)
		*len = 0;
	memset(&e, 0, sizeof(e));
	if (!yaml_emitter_initialize(&e.em)) {
		cs_error_set(err, CS_ERR_SYSTEM, map->path, 0,
		             "cannot initialise the YAML emitter");
		return -1;
	}
	yaml_emitter_set_output(&e.em, write_out, &e);
	yaml_emitter_set_encoding(&e.em, YAML_UTF8_ENCODING);
	yaml_emitter_set_unicode(&e.em, 1);
	yaml_emitter_set_indent(&e.em, 2);
	yaml_emitter_set_width(&e.em, -1);
	yaml_emitter_set_break(&e.em, YAML_LN_BREAK);

	emit(&e, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	if (!e.problem)
		emit(&e, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
	begin_map(&e, false);
	put_key_text(&e, "format", FORMAT_CURRENT);
	if (map->comment) {
		put_scalar(&e, "comment", YAML_PLAIN_SCALAR_STYLE);
		put_scalar(&e, map->comment,
		           strchr(map->comment, '\n') ? YAML_LITERAL_SCALAR_STYLE
		                                      : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	}
	if (map->narches) {
		begin_seq(&e, "arches", false);
		for (size_t i = 0; i < map->narches; i++)
			put_arch(&e, &map->arches[i]);
		end_seq(&e);
	}
	end_map(&e);
	if (!e.problem)
		emit(&e, &ev, yaml_document_end_event_initialize(&ev, 1));
	if (!e.problem)
		emit(&e, &ev, yaml_stream_end_event_initialize(&ev));
	if (!e.problem && !yaml_emitter_flush(&e.em))
		e.problem = e.em.problem ? e.em.problem : "cannot flush the YAML emitter";
	yaml_emitter_delete(&e.em);
	if (e.problem) {
		cs_error_set(err, CS_ERR_INVALID, map->path, 0, "cannot write YAML: %s", e.problem);
		free(e.out);
		return -1;
	}
	if (!e.out)
		e.out = cs_xstrdup("");
	else
		e.out[e.len] = '\0';
	*out = e.out;
	if (len)
		*len = e.len;
	return 0;
}
