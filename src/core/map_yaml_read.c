/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_yaml_read.c: load cpuscope's own YAML form of a CPU map (cpuscope-map/1) */
#include "cpuscope/cpumap.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "cpuscope/xalloc.h"
#include "map_yaml_int.h"

#define FORMAT_PREFIX  "cpuscope-map/"
#define FORMAT_CURRENT "cpuscope-map/1"

/* ==========================================================================
 * Loading
 *
 * The parser is driven event by event (no document tree is built): every
 * mapping of the schema has a fixed set of keys, so each is read by its own
 * small function that rejects what it does not expect.  Nothing is ever
 * skipped, hence no unbounded recursion on hostile nesting.
 * ========================================================================== */

/* ---- vendors, features ------------------------------------------------------ */

enum { VK_NAME, VK_STRING, VK_VALUE };
static const char *const vendor_keys[] = {"name", "string", "value", NULL};

static int parse_vendor(struct loader *ld, void *obj)
{
	struct cs_arch *a = obj;
	bool x86 = ld->x86;
	yaml_mark_t at;
	const char *name = cs_yaml_read_name(ld, "vendor", &at);
	struct cs_vendor *v;
	uint32_t seen = 1u << VK_NAME;
	struct ctx c = {"vendor", NULL};
	const char *s;
	int k;

	if (!name)
		return -1;
	v = cs_arch_add_vendor(a, name, ld->file, (unsigned)at.line + 1, ld->err);
	if (!v) {
		cs_yaml_dup_column(ld, at);
		return -1;
	}
	c.name = v->name;
	while ((k = cs_yaml_next_key(ld, vendor_keys, &c, &seen)) >= 0) {
		switch (k) {
		case VK_STRING:
			s = cs_yaml_next_text(ld, "string", &c);
			if (!s)
				return -1;
			if (x86 && strlen(s) != 12)
				return cs_yaml_fail(
				        ld, CS_ERR_INVALID, ld->ev.start_mark,
				        "vendor string '%s' of vendor '%s' is %zu bytes long, "
				        "not 12",
				        s, v->name, strlen(s));
			v->string = cs_xstrdup(s);
			break;
		case VK_VALUE:
			if (cs_yaml_next_u32(ld, "value", &c, &v->value) < 0)
				return -1;
			v->has_value = true;
			break;
		}
	}
	if (k == -1)
		return -1;
	if (x86 && !v->string)
		return cs_yaml_fail(ld, CS_ERR_INVALID, at, "x86 vendor '%s' has no 'string'",
		                    v->name);
	return 0;
}

enum { AK_NAME, AK_SOURCE };
static const char *const alias_keys[] = {"name", "source", NULL};

static int parse_alias(struct loader *ld, void *obj)
{
	struct cs_feature *f = obj;
	yaml_mark_t at;
	struct ctx c = {"alias of feature", f->name};
	uint32_t seen = 1u << AK_NAME;
	const char *s = cs_yaml_read_name(ld, "alias", &at);
	char *name, *source = NULL;
	int k;

	if (!s)
		return -1;
	name = cs_xstrdup(s);
	while ((k = cs_yaml_next_key(ld, alias_keys, &c, &seen)) >= 0) {
		/* The only other key is 'source'. */
		s = cs_yaml_next_text(ld, "source", &c);
		if (!s) {
			k = -1;
			break;
		}
		source = cs_xstrdup(s);
	}
	if (k == -2)
		cs_feature_add_alias(f, name, source);
	free(name);
	free(source);
	return k == -2 ? 0 : -1;
}

enum { CK_EAX_IN, CK_ECX_IN, CK_EAX, CK_EBX, CK_ECX, CK_EDX };
static const char *const cpuid_keys[] = {"eax_in", "ecx_in", "eax", "ebx", "ecx", "edx", NULL};

static int add_item(struct loader *ld, struct cs_feature *f, const struct cs_item *it,
                    yaml_mark_t at)
{
	cs_feature_add_item(f, it);
	if (f->nitems > CS_MAX_FEATURE_ITEMS)
		return cs_yaml_fail(ld, CS_ERR_SECURITY, at,
		                    "feature '%s' has more than %d cpuid and msr entries", f->name,
		                    CS_MAX_FEATURE_ITEMS);
	return 0;
}

static int parse_cpuid(struct loader *ld, void *obj)
{
	struct cs_feature *f = obj;
	struct ctx c = {"cpuid entry of feature", f->name};
	struct cs_item it = {.kind = CS_ITEM_CPUID};
	yaml_mark_t start = ld->ev.start_mark;
	uint32_t seen = 0;
	int k;

	while ((k = cs_yaml_next_key(ld, cpuid_keys, &c, &seen)) >= 0) {
		uint32_t *dst = k == CK_EAX_IN   ? &it.leaf
		                : k == CK_ECX_IN ? &it.subleaf
		                                 : &it.reg[k - CK_EAX + CS_REG_EAX];

		if (cs_yaml_next_u32(ld, cpuid_keys[k], &c, dst) < 0)
			return -1;
	}
	if (k == -1)
		return -1;
	if (!(seen & (1u << CK_EAX_IN)))
		return cs_yaml_fail(ld, CS_ERR_INVALID, start,
		                    "cpuid entry of feature '%s' has no 'eax_in'", f->name);
	return add_item(ld, f, &it, start);
}

enum { MK_INDEX, MK_EAX, MK_EDX };
static const char *const msr_keys[] = {"index", "eax", "edx", NULL};

static int parse_msr(struct loader *ld, void *obj)
{
	struct cs_feature *f = obj;
	struct ctx c = {"msr entry of feature", f->name};
	struct cs_item it = {.kind = CS_ITEM_MSR};
	yaml_mark_t start = ld->ev.start_mark;
	uint32_t seen = 0;
	int k;

	while ((k = cs_yaml_next_key(ld, msr_keys, &c, &seen)) >= 0) {
		uint32_t *dst = k == MK_INDEX ? &it.leaf
		                : k == MK_EAX ? &it.reg[CS_REG_EAX]
		                              : &it.reg[CS_REG_EDX];

		if (cs_yaml_next_u32(ld, msr_keys[k], &c, dst) < 0)
			return -1;
	}
	if (k == -1)
		return -1;
	if (!(seen & (1u << MK_INDEX)))
		return cs_yaml_fail(ld, CS_ERR_INVALID, start,
		                    "msr entry of feature '%s' has no 'index'", f->name);
	return add_item(ld, f, &it, start);
}

/* Read the value of key as a sequence of mappings, calling fn(ld, obj) for
 * each with its mapping start current. */
typedef int parse_fn(struct loader *ld, void *obj);

static int parse_mappings(struct loader *ld, const char *key, const struct ctx *c, parse_fn *fn,
                          void *obj)
{
	int r;

	if (cs_yaml_next_value(ld, YAML_SEQUENCE_START_EVENT, key, c) < 0)
		return -1;
	while ((r = cs_yaml_next_item(ld, YAML_MAPPING_START_EVENT, key, c)) > 0)
		if (fn(ld, obj) < 0)
			return -1;
	return r;
}

enum { FK_NAME, FK_ALIASES, FK_MIGRATABLE, FK_CPUID, FK_MSR };
static const char *const feature_keys[] = {"name", "aliases", "migratable", "cpuid", "msr", NULL};

static int parse_feature(struct loader *ld, void *obj)
{
	struct cs_arch *a = obj;
	yaml_mark_t at;
	const char *name = cs_yaml_read_name(ld, "feature", &at);
	struct ctx c = {"feature", NULL};
	uint32_t seen = 1u << FK_NAME;
	struct cs_feature *f;
	int k;

	if (!name)
		return -1;
	f = cs_arch_add_feature(a, name, ld->file, (unsigned)at.line + 1, ld->err);
	if (!f) {
		cs_yaml_dup_column(ld, at);
		return -1;
	}
	c.name = f->name;
	while ((k = cs_yaml_next_key(ld, feature_keys, &c, &seen)) >= 0) {
		switch (k) {
		case FK_ALIASES:
			if (parse_mappings(ld, "aliases", &c, parse_alias, f) < 0)
				return -1;
			break;
		case FK_MIGRATABLE:
			if (cs_yaml_next_bool(ld, "migratable", &c, &f->migratable) < 0)
				return -1;
			break;
		case FK_CPUID:
			if (parse_mappings(ld, "cpuid", &c, parse_cpuid, f) < 0)
				return -1;
			break;
		case FK_MSR:
			if (parse_mappings(ld, "msr", &c, parse_msr, f) < 0)
				return -1;
			break;
		}
	}
	if (k == -1)
		return -1;
	/* libvirt requires CPU data for every x86 feature; arm features have none. */
	if (ld->x86 && !f->nitems)
		return cs_yaml_fail(ld, CS_ERR_INVALID, at,
		                    "CPU feature '%s' has neither 'cpuid' nor 'msr' data", f->name);
	if (ld->x86 && !cs_feature_has_bits(f))
		return cs_yaml_fail(ld, CS_ERR_INVALID, at,
		                    "CPU feature '%s' sets no CPUID or MSR bits", f->name);
	return 0;
}

/* ---- models ------------------------------------------------------------------- */

static void add_ref(struct loader *ld, enum ref_kind kind, size_t model, const char *name)
{
	size_t n = strlen(name) + 1;
	struct ref *r;

	CS_GROW(ld->refs, ld->refcap, ld->nrefs + 1);
	CS_GROW(ld->pool, ld->poolcap, ld->poollen + n);
	r = &ld->refs[ld->nrefs++];
	r->kind = kind;
	r->model = model;
	r->name = ld->poollen;
	r->mark = ld->ev.start_mark;
	memcpy(ld->pool + ld->poollen, name, n);
	ld->poollen += n;
}

/* Read a sequence of names under key into refs of the given kind. */
static int parse_name_list(struct loader *ld, enum ref_kind kind, size_t model, const char *key,
                           const struct ctx *c)
{
	int r;

	if (cs_yaml_next_value(ld, YAML_SEQUENCE_START_EVENT, key, c) < 0)
		return -1;
	while ((r = cs_yaml_next_item(ld, YAML_SCALAR_EVENT, key, c)) > 0) {
		const char *s = cs_yaml_scalar_text(ld, key, c);

		if (!s)
			return -1;
		add_ref(ld, kind, model, s);
	}
	return r;
}

enum { DK_HOST, DK_GUEST };
static const char *const decode_keys[] = {"host", "guest", NULL};

static int parse_decode(struct loader *ld, struct cs_model *m)
{
	struct ctx mc = {"model", m->name};
	struct ctx c = {"decode of model", m->name};
	uint32_t seen = 0;
	int k;

	if (cs_yaml_next_value(ld, YAML_MAPPING_START_EVENT, "decode", &mc) < 0)
		return -1;
	m->has_decode = true;
	while ((k = cs_yaml_next_key(ld, decode_keys, &c, &seen)) >= 0)
		if (cs_yaml_next_bool(ld, decode_keys[k], &c,
		                      k == DK_HOST ? &m->decode_host : &m->decode_guest) < 0)
			return -1;
	return k == -2 ? 0 : -1;
}

enum { SK_FAMILY, SK_MODEL, SK_STEPPING };
static const char *const signature_keys[] = {"family", "model", "stepping", NULL};

static int parse_signature(struct loader *ld, void *obj)
{
	struct cs_model *m = obj;
	struct ctx c = {"signature of model", m->name};
	yaml_mark_t start = ld->ev.start_mark;
	struct cs_signature sig = {0, 0, 0};
	uint32_t seen = 0, v;
	const char *s;
	int k;

	while ((k = cs_yaml_next_key(ld, signature_keys, &c, &seen)) >= 0) {
		switch (k) {
		case SK_FAMILY:
		case SK_MODEL:
			if (cs_yaml_next_u32(ld, signature_keys[k], &c, &v) < 0)
				return -1;
			if (k == SK_FAMILY)
				sig.family = v;
			else
				sig.model = v;
			break;
		case SK_STEPPING:
			s = cs_yaml_next_text(ld, "stepping", &c);
			if (!s)
				return -1;
			if (cs_steppings_parse(s, &sig.steppings) < 0)
				return cs_yaml_fail(
				        ld, CS_ERR_INVALID, ld->ev.start_mark,
				        "invalid stepping list '%s' in signature of model '%s' "
				        "(expected numbers 0-15 and ranges, e.g. 0-4,7)",
				        s, m->name);
			break;
		}
	}
	if (k == -1)
		return -1;
	if ((seen & 3u) != 3u)
		return cs_yaml_fail(ld, CS_ERR_INVALID, start,
		                    "signature of model '%s' needs both 'family' and 'model'",
		                    m->name);
	if (!sig.family)
		return cs_yaml_fail(ld, CS_ERR_INVALID, start,
		                    "invalid CPU signature family 0 in signature of model '%s'",
		                    m->name);
	/* As in the XML maps: listing signatures replaces the inherited ones. */
	cs_model_add_signature(m, &sig);
	m->sigs_own = true;
	return 0;
}

enum { PK_VALUE, PK_MASK };
static const char *const pvr_keys[] = {"value", "mask", NULL};

static int parse_pvr(struct loader *ld, void *obj)
{
	struct cs_model *m = obj;
	struct ctx c = {"pvr of model", m->name};
	yaml_mark_t start = ld->ev.start_mark;
	struct cs_pvr pvr = {0, 0, false};
	uint32_t seen = 0;
	int k;

	while ((k = cs_yaml_next_key(ld, pvr_keys, &c, &seen)) >= 0) {
		if (cs_yaml_next_u32(ld, pvr_keys[k], &c, k == PK_VALUE ? &pvr.value : &pvr.mask) <
		    0)
			return -1;
		if (k == PK_MASK)
			pvr.has_mask = true;
	}
	if (k == -1)
		return -1;
	if (!(seen & (1u << PK_VALUE)))
		return cs_yaml_fail(ld, CS_ERR_INVALID, start, "pvr of model '%s' has no 'value'",
		                    m->name);
	cs_model_add_pvr(m, &pvr);
	return 0;
}

enum { OK_NAME, OK_PARENT, OK_VENDOR, OK_DECODE, OK_SIGNATURES, OK_PVR, OK_FEATURES, OK_REMOVED };
static const char *const model_keys[] = {"name", "parent",   "vendor",  "decode", "signatures",
                                         "pvr",  "features", "removed", NULL};

static int parse_model(struct loader *ld, void *obj)
{
	struct cs_arch *a = obj;
	yaml_mark_t at;
	const char *name = cs_yaml_read_name(ld, "model", &at);
	struct ctx c = {"model", NULL};
	uint32_t seen = 1u << OK_NAME;
	struct cs_model *m;
	size_t idx;
	const char *s;
	int k;

	if (!name)
		return -1;
	m = cs_arch_add_model(a, name, ld->file, (unsigned)at.line + 1, ld->err);
	if (!m) {
		cs_yaml_dup_column(ld, at);
		return -1;
	}
	idx = a->nmodels - 1;
	c.name = m->name;
	while ((k = cs_yaml_next_key(ld, model_keys, &c, &seen)) >= 0) {
		switch (k) {
		case OK_PARENT:
		case OK_VENDOR:
			s = cs_yaml_next_text(ld, model_keys[k], &c);
			if (!s)
				return -1;
			add_ref(ld, k == OK_PARENT ? REF_PARENT : REF_VENDOR, idx, s);
			break;
		case OK_DECODE:
			if (parse_decode(ld, m) < 0)
				return -1;
			break;
		case OK_SIGNATURES:
			if (parse_mappings(ld, "signatures", &c, parse_signature, m) < 0)
				return -1;
			break;
		case OK_PVR:
			if (parse_mappings(ld, "pvr", &c, parse_pvr, m) < 0)
				return -1;
			break;
		case OK_FEATURES:
		case OK_REMOVED:
			if (parse_name_list(ld, k == OK_FEATURES ? REF_FEATURE : REF_REMOVED, idx,
			                    model_keys[k], &c) < 0)
				return -1;
			break;
		}
	}
	return k == -2 ? 0 : -1;
}

/* Resolve the names models of arch a refer to, in the order they were
 * listed, so that own_list keeps the file's order. */
static int resolve_refs(struct loader *ld, struct cs_arch *a)
{
	for (size_t i = 0; i < ld->nrefs; i++) {
		const struct ref *r = &ld->refs[i];
		const char *name = ld->pool + r->name;
		struct cs_model *m = &a->models[r->model];
		int id;

		switch (r->kind) {
		case REF_FEATURE:
		case REF_REMOVED:
			id = cs_arch_find_feature(a, name);
			if (id < 0)
				return cs_yaml_fail(ld, CS_ERR_UNKNOWN, r->mark,
				                    "unknown feature '%s' in CPU model '%s'", name,
				                    m->name);
			if (r->kind == REF_FEATURE)
				cs_model_add_feature(m, (unsigned)id);
			else
				cs_fset_set(&m->removed, (unsigned)id);
			break;
		case REF_VENDOR:
			id = cs_arch_find_vendor(a, name);
			if (id < 0)
				return cs_yaml_fail(ld, CS_ERR_UNKNOWN, r->mark,
				                    "unknown vendor '%s' for CPU model '%s'", name,
				                    m->name);
			m->vendor = id;
			m->vendor_own = true;
			break;
		case REF_PARENT:
			id = cs_arch_find_model(a, name);
			if (id < 0)
				return cs_yaml_fail(ld, CS_ERR_UNKNOWN, r->mark,
				                    "unknown parent model '%s' for CPU model '%s'",
				                    name, m->name);
			m->parent = id;
			break;
		}
	}
	ld->nrefs = 0;
	ld->poollen = 0;
	return 0;
}

/* ---- arches and the document -------------------------------------------------- */

enum { RK_NAME, RK_VENDORS, RK_FEATURES, RK_MODELS };
static const char *const arch_keys[] = {"name", "vendors", "features", "models", NULL};

static int parse_arch(struct loader *ld, void *obj)
{
	yaml_mark_t at;
	const char *name = cs_yaml_read_name(ld, "arch", &at);
	struct ctx c = {"arch", NULL};
	uint32_t seen = 1u << RK_NAME;
	struct cs_arch *a;
	int k;

	(void)obj;

	if (!name)
		return -1;
	if (cs_map_get_arch(ld->map, name, false))
		return cs_yaml_fail(ld, CS_ERR_DUPLICATE, at, "arch '%s' already defined", name);
	a = cs_map_get_arch(ld->map, name, true);
	ld->x86 = !strcmp(a->name, "x86");
	c.name = a->name;
	while ((k = cs_yaml_next_key(ld, arch_keys, &c, &seen)) >= 0) {
		switch (k) {
		case RK_VENDORS:
			if (parse_mappings(ld, "vendors", &c, parse_vendor, a) < 0)
				return -1;
			break;
		case RK_FEATURES:
			if (parse_mappings(ld, "features", &c, parse_feature, a) < 0)
				return -1;
			break;
		case RK_MODELS:
			if (parse_mappings(ld, "models", &c, parse_model, a) < 0)
				return -1;
			break;
		}
	}
	if (k == -1)
		return -1;
	return resolve_refs(ld, a);
}

enum { TK_FORMAT, TK_COMMENT, TK_ARCHES };
static const char *const top_keys[] = {"format", "comment", "arches", NULL};

static int parse_format(struct loader *ld)
{
	struct ctx c = {"the map", NULL};
	const char *s = cs_yaml_next_text(ld, "format", &c);

	if (!s)
		return -1;
	if (!strcmp(s, FORMAT_CURRENT))
		return 0;
	if (!strncmp(s, FORMAT_PREFIX, strlen(FORMAT_PREFIX)))
		return cs_yaml_fail(ld, CS_ERR_UNSUPPORTED, ld->ev.start_mark,
		                    "unsupported map format version '%s' (this cpuscope reads %s)",
		                    s, FORMAT_CURRENT);
	return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
	                    "not a cpuscope map: format is '%s', expected '%s'", s, FORMAT_CURRENT);
}

static int parse_document(struct loader *ld)
{
	struct ctx c = {"the map", NULL};
	uint32_t seen = 1u << TK_FORMAT;
	char found[64];
	const char *s;
	int k;

	if (cs_yaml_next_event(ld) < 0 ||
	    cs_yaml_next_event(ld) < 0) /* stream start, document start */
		return -1;
	if (ld->ev.type == YAML_STREAM_END_EVENT)
		return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
		                    "empty file: not a cpuscope map (expected 'format: %s')",
		                    FORMAT_CURRENT);
	if (cs_yaml_next_event(ld) < 0)
		return -1;
	if (ld->ev.type != YAML_MAPPING_START_EVENT) {
		cs_yaml_describe_event(ld, found, sizeof(found));
		return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
		                    "expected a mapping at the top level, found %s", found);
	}
	/* The version comes first, so that a map of another version is
	 * reported as such rather than by its first unknown key. */
	if (cs_yaml_next_event(ld) < 0)
		return -1;
	if (ld->ev.type != YAML_SCALAR_EVENT || strcmp(cs_yaml_ev_text(ld), "format")) {
		cs_yaml_describe_event(ld, found, sizeof(found));
		return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
		                    "missing 'format: %s' as the first key (found %s)",
		                    FORMAT_CURRENT, found);
	}
	if (parse_format(ld) < 0)
		return -1;
	while ((k = cs_yaml_next_key(ld, top_keys, &c, &seen)) >= 0) {
		switch (k) {
		case TK_COMMENT:
			s = cs_yaml_next_text(ld, "comment", &c);
			if (!s)
				return -1;
			ld->map->comment = cs_xstrdup(s);
			break;
		case TK_ARCHES:
			if (parse_mappings(ld, "arches", &c, parse_arch, NULL) < 0)
				return -1;
			break;
		}
	}
	if (k == -1)
		return -1;
	if (cs_yaml_next_event(ld) < 0 ||
	    cs_yaml_next_event(ld) < 0) /* document end, then stream end */
		return -1;
	if (ld->ev.type != YAML_STREAM_END_EVENT)
		return cs_yaml_fail(ld, CS_ERR_INVALID, ld->ev.start_mark,
		                    "a CPU map is a single YAML document; found a second one");
	return 0;
}

struct cs_map *cs_map_load_yaml_buffer(const char *buf, size_t len, const char *name,
                                       struct cs_error *err)
{
	struct loader ld;
	struct cs_map *map = NULL;

	if (!name)
		name = "<yaml>";
	if (!buf) {
		buf = "";
		len = 0;
	}
	if (len > CS_MAX_FILE_SIZE) {
		cs_error_set(err, CS_ERR_SECURITY, name, 0, "file too large: %zu bytes (limit %u)",
		             len, CS_MAX_FILE_SIZE);
		return NULL;
	}
	memset(&ld, 0, sizeof(ld));
	if (!yaml_parser_initialize(&ld.parser)) {
		cs_error_set(err, CS_ERR_SYSTEM, name, 0, "cannot initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&ld.parser, (const unsigned char *)buf, len);
	ld.buf = buf;
	ld.len = len;
	ld.err = err;
	ld.map = cs_map_new(CS_MAP_FORMAT_YAML, name);
	ld.file = cs_map_intern_file(ld.map, name);
	if (parse_document(&ld) < 0 || cs_map_resolve(ld.map, err) < 0 ||
	    cs_map_validate(ld.map, err) < 0) {
		cs_map_free(ld.map);
		ld.map = NULL;
	}
	map = ld.map;
	if (ld.have_ev)
		yaml_event_delete(&ld.ev);
	yaml_parser_delete(&ld.parser);
	free(ld.refs);
	free(ld.pool);
	return map;
}

struct cs_map *cs_map_load_yaml(const char *path, struct cs_error *err)
{
	struct cs_map *map;
	char *buf;
	size_t len;

	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return NULL;
	map = cs_map_load_yaml_buffer(buf, len, path, err);
	free(buf);
	return map;
}
