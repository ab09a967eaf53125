/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpumap.c: the CPU map data model: building, resolving and querying */
#include "cpuscope/cpumap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"
#include "nametab.h"
#include "strbuf.h"

struct cs_map *cs_map_new(enum cs_map_format format, const char *path)
{
	struct cs_map *map = cs_xcalloc(1, sizeof(*map));

	map->format = format;
	map->path = cs_xstrdup(path);
	return map;
}

static void arch_release(struct cs_arch *a)
{
	for (size_t i = 0; i < a->nvendors; i++) {
		free(a->vendors[i].name);
		free(a->vendors[i].string);
	}
	for (size_t i = 0; i < a->nfeatures; i++) {
		struct cs_feature *f = &a->features[i];

		free(f->name);
		free(f->items);
		for (size_t j = 0; j < f->naliases; j++) {
			free(f->aliases[j].name);
			free(f->aliases[j].source);
		}
		free(f->aliases);
	}
	for (size_t i = 0; i < a->nmodels; i++) {
		struct cs_model *m = &a->models[i];

		free(m->name);
		free(m->sigs);
		free(m->pvrs);
		free(m->own_list);
	}
	free(a->vendors);
	free(a->features);
	free(a->models);
	cs_nametab_release(&a->vendor_tab);
	cs_nametab_release(&a->feature_tab);
	cs_nametab_release(&a->model_tab);
	free(a->name);
}

void cs_map_free(struct cs_map *map)
{
	if (!map)
		return;
	for (size_t i = 0; i < map->narches; i++)
		arch_release(&map->arches[i]);
	free(map->arches);
	for (size_t i = 0; i < map->nfiles; i++)
		free(map->files[i]);
	free(map->files);
	free(map->path);
	free(map->comment);
	free(map);
}

const char *cs_map_intern_file(struct cs_map *map, const char *file)
{
	if (!file)
		return NULL;
	for (size_t i = 0; i < map->nfiles; i++)
		if (!strcmp(map->files[i], file))
			return map->files[i];
	map->files = cs_xreallocarray(map->files, map->nfiles + 1, sizeof(char *));
	map->files[map->nfiles] = cs_xstrdup(file);
	return map->files[map->nfiles++];
}

struct cs_arch *cs_map_get_arch(struct cs_map *map, const char *name, bool create)
{
	struct cs_arch *a;

	for (size_t i = 0; i < map->narches; i++)
		if (!strcmp(map->arches[i].name, name))
			return &map->arches[i];
	if (!create)
		return NULL;
	map->arches = cs_xreallocarray(map->arches, map->narches + 1, sizeof(*map->arches));
	a = &map->arches[map->narches++];
	memset(a, 0, sizeof(*a));
	a->name = cs_xstrdup(name);
	return a;
}

/* The small arrays of an entry grow one by one; the name tables keep
 * pointers to the heap-allocated names, which never move. */
#define APPEND(arr, n) ((arr) = cs_xreallocarray((arr), (n) + 1, sizeof(*(arr))), &(arr)[(n)++])

/* An arch's vendor, feature and model arrays only ever grow here, so their
 * capacity follows from their length: 8, then each power of two.  Growing
 * them geometrically keeps loading a map of many models linear whatever
 * realloc does. */
static void *grow_entries(void *arr, size_t n, size_t size)
{
	if (n == 0 || (n >= 8 && !(n & (n - 1))))
		arr = cs_xreallocarray(arr, n ? 2 * n : 8, size);
	return arr;
}
#define APPEND_ENTRY(arr, n) ((arr) = grow_entries((arr), (n), sizeof(*(arr))), &(arr)[(n)++])

struct cs_vendor *cs_arch_add_vendor(struct cs_arch *arch, const char *name, const char *file,
                                     unsigned line, struct cs_error *err)
{
	struct cs_vendor *v;
	int old = cs_nametab_get(&arch->vendor_tab, name);

	if (old >= 0) {
		cs_error_set(err, CS_ERR_DUPLICATE, file, line,
		             "CPU vendor '%s' already defined (first at %s:%u)", name,
		             arch->vendors[old].file ? arch->vendors[old].file : "?",
		             arch->vendors[old].line);
		return NULL;
	}
	v = APPEND_ENTRY(arch->vendors, arch->nvendors);
	memset(v, 0, sizeof(*v));
	v->name = cs_xstrdup(name);
	v->file = file;
	v->line = line;
	cs_nametab_put(&arch->vendor_tab, v->name, (int)(arch->nvendors - 1));
	return v;
}

struct cs_feature *cs_arch_add_feature(struct cs_arch *arch, const char *name, const char *file,
                                       unsigned line, struct cs_error *err)
{
	struct cs_feature *f;
	int old = cs_nametab_get(&arch->feature_tab, name);

	if (old >= 0) {
		cs_error_set(err, CS_ERR_DUPLICATE, file, line,
		             "CPU feature '%s' already defined (first at %s:%u)", name,
		             arch->features[old].file ? arch->features[old].file : "?",
		             arch->features[old].line);
		return NULL;
	}
	if (arch->nfeatures >= CS_FSET_MAX) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, file, line,
		             "too many features in arch '%s' (at most %d)", arch->name,
		             CS_FSET_MAX);
		return NULL;
	}
	f = APPEND_ENTRY(arch->features, arch->nfeatures);
	memset(f, 0, sizeof(*f));
	f->name = cs_xstrdup(name);
	f->migratable = true;
	f->file = file;
	f->line = line;
	cs_nametab_put(&arch->feature_tab, f->name, (int)(arch->nfeatures - 1));
	return f;
}

struct cs_model *cs_arch_add_model(struct cs_arch *arch, const char *name, const char *file,
                                   unsigned line, struct cs_error *err)
{
	struct cs_model *m;
	int old = cs_nametab_get(&arch->model_tab, name);

	if (old >= 0) {
		cs_error_set(err, CS_ERR_DUPLICATE, file, line,
		             "CPU model '%s' already defined (first at %s:%u)", name,
		             arch->models[old].file ? arch->models[old].file : "?",
		             arch->models[old].line);
		return NULL;
	}
	m = APPEND_ENTRY(arch->models, arch->nmodels);
	memset(m, 0, sizeof(*m));
	m->name = cs_xstrdup(name);
	m->parent = -1;
	m->derived_parent = -1;
	m->vendor = -1;
	m->decode_host = true;
	m->decode_guest = true;
	m->file = file;
	m->line = line;
	cs_nametab_put(&arch->model_tab, m->name, (int)(arch->nmodels - 1));
	arch->tree_derived = false;
	return m;
}

void cs_feature_add_item(struct cs_feature *f, const struct cs_item *item)
{
	/* Items with the same key are OR-ed together, as libvirt does. */
	for (size_t i = 0; i < f->nitems; i++) {
		struct cs_item *it = &f->items[i];

		if (it->kind == item->kind && it->leaf == item->leaf &&
		    it->subleaf == item->subleaf) {
			for (int r = 0; r < CS_REG_COUNT; r++)
				it->reg[r] |= item->reg[r];
			return;
		}
	}
	*APPEND(f->items, f->nitems) = *item;
}

void cs_feature_add_alias(struct cs_feature *f, const char *name, const char *source)
{
	struct cs_alias *a = APPEND(f->aliases, f->naliases);

	a->name = cs_xstrdup(name);
	a->source = cs_xstrdup(source);
}

void cs_model_add_signature(struct cs_model *m, const struct cs_signature *sig)
{
	*APPEND(m->sigs, m->nsigs) = *sig;
}

void cs_model_add_pvr(struct cs_model *m, const struct cs_pvr *pvr)
{
	*APPEND(m->pvrs, m->npvrs) = *pvr;
}

void cs_model_add_feature(struct cs_model *m, unsigned id)
{
	if (cs_fset_test(&m->own, id))
		return;
	cs_fset_set(&m->own, id);
	*APPEND(m->own_list, m->nown) = id;
}

/* ---- inheritance --------------------------------------------------------- */

enum { UNSEEN, VISITING, DONE };

/* Give m what it inherits from its parent (already resolved), or make its
 * own features its features when it has none. */
static void inherit(struct cs_arch *a, struct cs_model *m)
{
	struct cs_model *p;

	if (m->parent < 0) {
		m->features = m->own;
		return;
	}
	p = &a->models[m->parent];
	cs_fset_union(&m->features, &p->features, &m->own);
	if (!m->vendor_own)
		m->vendor = p->vendor;
	if (!m->sigs_own && p->nsigs) {
		m->sigs = cs_xreallocarray(m->sigs, p->nsigs, sizeof(*m->sigs));
		memcpy(m->sigs, p->sigs, p->nsigs * sizeof(*m->sigs));
		m->nsigs = p->nsigs;
	}
	if (!m->npvrs && p->npvrs) {
		m->pvrs = cs_xreallocarray(m->pvrs, p->npvrs, sizeof(*m->pvrs));
		memcpy(m->pvrs, p->pvrs, p->npvrs * sizeof(*m->pvrs));
		m->npvrs = p->npvrs;
	}
}

static void cycle_error(const struct cs_arch *a, size_t i, struct cs_error *err)
{
	const struct cs_model *m = &a->models[i];
	char chain[400];
	size_t len = 0;
	size_t j = i;

	/* Walk the loop once to name every model on it. */
	do {
		int n = snprintf(chain + len, sizeof(chain) - len, "%s -> ", a->models[j].name);
		if (n < 0 || (size_t)n >= sizeof(chain) - len)
			break;
		len += (size_t)n;
		j = (size_t)a->models[j].parent;
	} while (j != i);
	snprintf(chain + len, sizeof(chain) - len, "%s", m->name);
	cs_error_set(err, CS_ERR_INVALID, m->file, m->line,
	             "inheritance cycle among CPU models: %s", chain);
}

/* Resolve model i and the ancestors it needs, without recursion (a map may
 * chain hundreds of thousands of models): walk up to a resolved model or a
 * root, then resolve back down.  stack has room for every model. */
static int resolve_model(struct cs_arch *a, size_t i, unsigned char *state, size_t *stack,
                         struct cs_error *err)
{
	size_t n = 0, j = i;

	for (;;) {
		if (state[j] == DONE)
			break;
		if (state[j] == VISITING) {
			cycle_error(a, j, err);
			return -1;
		}
		state[j] = VISITING;
		stack[n++] = j;
		if (a->models[j].parent < 0)
			break;
		j = (size_t)a->models[j].parent;
	}
	while (n) {
		size_t k = stack[--n];
		inherit(a, &a->models[k]);
		state[k] = DONE;
	}
	return 0;
}

int cs_map_resolve(struct cs_map *map, struct cs_error *err)
{
	for (size_t k = 0; k < map->narches; k++) {
		struct cs_arch *a = &map->arches[k];
		unsigned char *state = cs_xcalloc(a->nmodels + 1, 1);
		size_t *stack = cs_xcalloc(a->nmodels + 1, sizeof(*stack));
		int rc = 0;

		for (size_t i = 0; i < a->nmodels && rc == 0; i++)
			rc = resolve_model(a, i, state, stack, err);
		free(state);
		free(stack);
		if (rc < 0)
			return -1;
		a->tree_derived = false;
	}
	return 0;
}

int cs_map_validate(const struct cs_map *map, struct cs_error *err)
{
	size_t models = 0;

	for (size_t i = 0; i < map->narches; i++)
		models += map->arches[i].nmodels;
	if (!models) {
		cs_error_set(err, CS_ERR_INVALID, map->path, 0,
		             "empty CPU map: no CPU models defined");
		return -1;
	}
	return 0;
}

/* ---- queries --------------------------------------------------------------- */

const struct cs_arch *cs_map_arch(const struct cs_map *map, const char *name)
{
	static const struct {
		const char *alias, *arch;
	} aliases[] = {
	        {"x86_64", "x86"}, {"i686", "x86"},      {"i386", "x86"},
	        {"amd64", "x86"},  {"ppc64le", "ppc64"}, {"aarch64", "arm"},
	        {"armv7l", "arm"}, {"armv7b", "arm"},    {"armv6l", "arm"},
	};

	if (!map || !name)
		return NULL;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i].alias))
			name = aliases[i].arch;
	for (size_t i = 0; i < map->narches; i++)
		if (!strcmp(map->arches[i].name, name))
			return &map->arches[i];
	return NULL;
}

int cs_arch_find_vendor(const struct cs_arch *arch, const char *name)
{
	return cs_nametab_get(&arch->vendor_tab, name);
}

int cs_arch_find_feature(const struct cs_arch *arch, const char *name)
{
	return cs_nametab_get(&arch->feature_tab, name);
}

int cs_arch_find_model(const struct cs_arch *arch, const char *name)
{
	return cs_nametab_get(&arch->model_tab, name);
}

char *cs_arch_feature_list(const struct cs_arch *arch, const struct cs_fset *set, const char *sep)
{
	struct cs_buf b = {0};
	int id;

	cs_fset_foreach (id, set) {
		if ((size_t)id >= arch->nfeatures)
			break;
		if (b.len)
			cs_buf_add(&b, sep);
		cs_buf_add(&b, arch->features[id].name);
	}
	return cs_buf_detach(&b);
}

void cs_arch_derive_tree(struct cs_arch *arch)
{
	unsigned *count;

	if (arch->tree_derived)
		return;
	arch->tree_derived = true;
	arch->tree_too_big = false;
	for (size_t i = 0; i < arch->nmodels; i++)
		arch->models[i].derived_parent = -1;
	/* Every pair is looked at: beyond this many models that is too slow to
	 * wait for, and the models stay roots. */
	if (arch->nmodels > CS_DERIVE_MAX_MODELS) {
		arch->tree_too_big = true;
		return;
	}
	count = cs_xcalloc(arch->nmodels + 1, sizeof(*count));
	for (size_t i = 0; i < arch->nmodels; i++)
		count[i] = cs_fset_count(&arch->models[i].features);
	for (size_t i = 0; i < arch->nmodels; i++) {
		struct cs_model *m = &arch->models[i];
		int best = -1;
		unsigned best_n = 0;

		if (m->parent >= 0)
			continue;
		for (size_t j = 0; j < arch->nmodels; j++) {
			const struct cs_model *c = &arch->models[j];

			/* A proper subset has fewer features; only more than the
			 * best so far can win (ties keep the earliest). */
			if (count[j] >= count[i] || (best >= 0 && count[j] <= best_n))
				continue;
			if (j == i || (c->vendor >= 0 && c->vendor != m->vendor))
				continue;
			if (!cs_fset_is_subset(&c->features, &m->features))
				continue;
			best = (int)j;
			best_n = count[j];
		}
		m->derived_parent = best;
	}
	free(count);
}

int cs_model_tree_parent(const struct cs_arch *arch, const struct cs_model *m, bool *derived)
{
	(void)arch;
	if (derived)
		*derived = false;
	if (m->parent >= 0)
		return m->parent;
	if (m->derived_parent >= 0 && derived)
		*derived = true;
	return m->derived_parent;
}

int cs_model_feature_origin(const struct cs_arch *arch, int model, unsigned feature)
{
	int cur = model;
	size_t steps = 0;

	if (model < 0 || (size_t)model >= arch->nmodels ||
	    !cs_fset_test(&arch->models[model].features, feature))
		return -1;
	for (;;) {
		int p = cs_model_tree_parent(arch, &arch->models[cur], NULL);

		/* The steps bound guards against a corrupted parent chain. */
		if (p < 0 || !cs_fset_test(&arch->models[p].features, feature) ||
		    ++steps > arch->nmodels)
			return cur;
		cur = p;
	}
}

/* ---- text helpers ---------------------------------------------------------- */

const char *cs_reg_name(enum cs_reg reg)
{
	switch (reg) {
	case CS_REG_EAX:
		return "eax";
	case CS_REG_EBX:
		return "ebx";
	case CS_REG_ECX:
		return "ecx";
	case CS_REG_EDX:
		return "edx";
	case CS_REG_COUNT:
		break;
	}
	return "?";
}

bool cs_feature_has_bits(const struct cs_feature *f)
{
	for (size_t i = 0; i < f->nitems; i++)
		for (int r = 0; r < CS_REG_COUNT; r++)
			if (f->items[i].reg[r])
				return true;
	return false;
}

static size_t bits_format(uint32_t mask, char *buf, size_t size)
{
	size_t len = 0;
	int lo = -1;

	/* Runs of set bits print as ranges: "5", "3,7", "0-3". */
	for (int b = 0; b <= 32; b++) {
		bool set = b < 32 && (mask >> b) & 1;

		if (set && lo < 0)
			lo = b;
		if (!set && lo >= 0) {
			int n = lo == b - 1 ? snprintf(buf + len, size - len, "%s%d",
			                               len ? "," : "", lo)
			                    : snprintf(buf + len, size - len, "%s%d-%d",
			                               len ? "," : "", lo, b - 1);
			if (n < 0 || (size_t)n >= size - len)
				return len;
			len += (size_t)n;
			lo = -1;
		}
	}
	return len;
}

void cs_feature_location(const struct cs_feature *f, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	if (!f->nitems) {
		snprintf(buf, size, "-");
		return;
	}
	for (size_t i = 0; i < f->nitems && len < size; i++) {
		const struct cs_item *it = &f->items[i];

		for (int r = 0; r < CS_REG_COUNT && len < size; r++) {
			char bits[64];
			int n;

			if (!it->reg[r])
				continue;
			bits_format(it->reg[r], bits, sizeof(bits));
			if (it->kind == CS_ITEM_CPUID)
				n = snprintf(buf + len, size - len, "%sCPUID 0x%x.%u %s[%s]",
				             len ? " " : "", it->leaf, it->subleaf,
				             cs_reg_name((enum cs_reg)r), bits);
			else
				n = snprintf(buf + len, size - len, "%sMSR 0x%x %s[%s]",
				             len ? " " : "", it->leaf, cs_reg_name((enum cs_reg)r),
				             bits);
			if (n < 0 || (size_t)n >= size - len)
				return;
			len += (size_t)n;
		}
	}
}

void cs_steppings_format(uint16_t steppings, char *buf, size_t size)
{
	buf[0] = '\0';
	bits_format(steppings, buf, size);
}

int cs_steppings_parse(const char *s, uint16_t *out)
{
	uint16_t mask = 0;
	const char *p = s;

	if (!s || !*s)
		return -1;
	for (;;) {
		char *end;
		unsigned long lo, hi;

		if (*p < '0' || *p > '9')
			return -1;
		lo = strtoul(p, &end, 10);
		hi = lo;
		p = end;
		if (*p == '-') {
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			hi = strtoul(p, &end, 10);
			p = end;
		}
		if (lo > 15 || hi > 15 || hi < lo)
			return -1;
		for (unsigned long b = lo; b <= hi; b++)
			mask |= (uint16_t)(1u << b);
		if (*p == '\0')
			break;
		if (*p != ',')
			return -1;
		p++;
	}
	*out = mask;
	return 0;
}

int cs_parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!s)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || v > UINT32_MAX)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end)
		return -1;
	*out = (uint32_t)v;
	return 0;
}
