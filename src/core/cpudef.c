/* cpudef.c: parse, edit and format libvirt <cpu> definitions */
#include "cpuscope/cpudef.h"

#include <errno.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpudef_int.h"
#include "cpuscope/xalloc.h"
#include "xmlsafe.h"

/* ---- names ------------------------------------------------------------------ */

static const char *const policy_names[] = {"force", "require", "optional", "disable", "forbid"};
static const char *const mode_names[] = {"custom", "host-model", "host-passthrough", "maximum"};
static const char *const match_names[] = {"exact", "minimum", "strict"};
static const char *const check_names[] = {"default", "none", "partial", "full"};
static const char *const fallback_names[] = {"allow", "forbid"};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return (int)i;
	return -1;
}

const char *cs_policy_name(enum cs_policy p)
{
	return (size_t)p < NELEMS(policy_names) ? policy_names[p] : "";
}

int cs_policy_parse(const char *s)
{
	return s ? lookup(policy_names, NELEMS(policy_names), s) : -1;
}

const char *cs_cpu_mode_name(enum cs_cpu_mode m)
{
	return (size_t)m < NELEMS(mode_names) ? mode_names[m] : "";
}

const char *cs_cpu_match_name(enum cs_cpu_match m)
{
	return (size_t)m < NELEMS(match_names) ? match_names[m] : "";
}

const char *cs_cpu_check_name(enum cs_cpu_check c)
{
	return (size_t)c < NELEMS(check_names) ? check_names[c] : "";
}

const char *cs_cpu_fallback_name(enum cs_cpu_fallback f)
{
	return (size_t)f < NELEMS(fallback_names) ? fallback_names[f] : "";
}

/* Architecture names libvirt 9.0 knows (virArch); any other <arch> is refused. */
static const char *const known_archs[] = {
        "alpha",    "armv6l",  "armv7l",    "armv7b",   "aarch64",    "cris",
        "i686",     "ia64",    "lm32",      "m68k",     "microblaze", "microblazeel",
        "mips",     "mipsel",  "mips64",    "mips64el", "openrisc",   "parisc",
        "parisc64", "ppc",     "ppcle",     "ppc64",    "ppc64le",    "ppcemb",
        "riscv32",  "riscv64", "s390",      "s390x",    "sh4",        "sh4eb",
        "sparc",    "sparc64", "unicore32", "x86_64",   "xtensa",     "xtensaeb",
};

/* ---- string buffers --------------------------------------------------------- */

static void sbuf_reserve(struct sbuf *b, size_t more)
{
	if (b->len + more + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + more + 1)
			cap *= 2;
		b->s = cs_xreallocarray(b->s, cap, 1);
		b->cap = cap;
	}
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	sbuf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_add(struct sbuf *b, const char *s)
{
	sbuf_addn(b, s, strlen(s));
}

void sbuf_addf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sbuf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sbuf_indent(struct sbuf *b, unsigned n)
{
	sbuf_reserve(b, n);
	memset(b->s + b->len, ' ', n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sbuf_add_escaped(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			sbuf_add(b, "&lt;");
			break;
		case '>':
			sbuf_add(b, "&gt;");
			break;
		case '&':
			sbuf_add(b, "&amp;");
			break;
		case '\'':
			sbuf_add(b, "&apos;");
			break;
		case '"':
			sbuf_add(b, "&quot;");
			break;
		default:
			sbuf_addn(b, s, 1);
		}
	}
}

char *sbuf_take(struct sbuf *b)
{
	char *s = b->s ? b->s : cs_xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void sbuf_add_feature_list(struct sbuf *b, const struct cs_arch *arch, const struct cs_fset *set,
                           const char *sep)
{
	int id;
	bool first = true;

	cs_fset_foreach (id, set) {
		if ((size_t)id >= arch->nfeatures)
			break;
		if (!first)
			sbuf_add(b, sep);
		sbuf_add(b, arch->features[id].name);
		first = false;
	}
}

/* ---- element spans ---------------------------------------------------------- */

static const char *find_str(const char *p, const char *end, const char *what)
{
	size_t n = strlen(what);

	for (; p + n <= end; p++)
		if (!memcmp(p, what, n))
			return p;
	return NULL;
}

/* What starts at a '<' of well-formed XML text. */
enum lex_kind { LEX_SKIP, LEX_OPEN, LEX_EMPTY, LEX_CLOSE, LEX_BAD };

/* Classify the construct starting at p (*p == '<') and set *next just past
 * it: comments, CDATA and processing instructions are skipped, start tags
 * are read over their quoted attribute values. */
static enum lex_kind lex_step(const char *p, const char *end, const char **next)
{
	const char *q;
	char quote = 0;

	if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
		q = find_str(p + 4, end, "-->");
		*next = q ? q + 3 : end;
		return q ? LEX_SKIP : LEX_BAD;
	}
	if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
		q = find_str(p + 9, end, "]]>");
		*next = q ? q + 3 : end;
		return q ? LEX_SKIP : LEX_BAD;
	}
	if (end - p >= 2 && p[1] == '?') {
		q = find_str(p + 2, end, "?>");
		*next = q ? q + 2 : end;
		return q ? LEX_SKIP : LEX_BAD;
	}
	if (end - p < 2 || p[1] == '!')
		return LEX_BAD; /* a DOCTYPE is never accepted */
	if (p[1] == '/') {
		q = memchr(p, '>', (size_t)(end - p));
		*next = q ? q + 1 : end;
		return q ? LEX_CLOSE : LEX_BAD;
	}
	for (q = p + 1; q < end; q++) {
		if (quote) {
			if (*q == quote)
				quote = 0;
		} else if (*q == '"' || *q == '\'') {
			quote = *q;
		} else if (*q == '>') {
			break;
		}
	}
	if (q >= end)
		return LEX_BAD;
	*next = q + 1;
	return q[-1] == '/' ? LEX_EMPTY : LEX_OPEN;
}

/* Find every element of well-formed XML text buf.  Returns the number of
 * elements and a new array in *out (caller frees), or -1 when the text is
 * not something the scanner understands (a DOCTYPE, an unterminated
 * construct). */
static long scan_elements(const char *buf, size_t len, struct xml_span **out)
{
	const char *p = buf, *end = buf + len, *next;
	struct xml_span *spans = NULL;
	size_t n = 0, cap = 0, *stack = NULL, depth = 0, stack_cap = 0;
	long ret = -1;

	*out = NULL;
	while (p < end) {
		if (*p != '<') {
			p++;
			continue;
		}
		switch (lex_step(p, end, &next)) {
		case LEX_SKIP:
			break;
		case LEX_BAD:
			goto out;
		case LEX_CLOSE:
			if (!depth)
				goto out;
			spans[stack[--depth]].end = (size_t)(next - buf);
			break;
		case LEX_OPEN:
		case LEX_EMPTY:
			CS_GROW(spans, cap, n + 1);
			spans[n].start = (size_t)(p - buf);
			spans[n].end = 0;
			if (next[-2] == '/') {
				spans[n].end = (size_t)(next - buf);
			} else {
				CS_GROW(stack, stack_cap, depth + 1);
				stack[depth++] = n;
			}
			n++;
			break;
		}
		p = next;
	}
	if (depth)
		goto out;
	*out = spans;
	spans = NULL;
	ret = (long)n;
out:
	free(spans);
	free(stack);
	return ret;
}

static void attach_spans(xmlNode *node, struct xml_span *spans, size_t n, size_t *k, bool *ok)
{
	for (; node && *ok; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (*k >= n) {
			*ok = false;
			return;
		}
		node->_private = &spans[(*k)++];
		attach_spans(node->children, spans, n, k, ok);
	}
}

struct xml_span *xml_attach_spans(xmlNode *root, const char *buf, size_t len)
{
	struct xml_span *spans;
	size_t k = 0;
	bool ok = true;
	long n = scan_elements(buf, len, &spans);

	if (n >= 0)
		attach_spans(root, spans, (size_t)n, &k, &ok);
	if (n < 0 || !ok || k != (size_t)n) {
		free(spans);
		return NULL;
	}
	return spans;
}

/* The next top-level element of buf at or after *pos: its span in
 * [*start, *end).  Returns 1 when found, 0 at the end, -1 when the text is
 * not well-formed enough to split. */
static int next_top_element(const char *buf, size_t len, size_t *pos, size_t *start,
                            size_t *end_out)
{
	const char *p = buf + *pos, *end = buf + len, *next, *first = NULL;
	size_t depth = 0;

	while (p < end) {
		if (*p != '<') {
			p++;
			continue;
		}
		switch (lex_step(p, end, &next)) {
		case LEX_SKIP:
			break;
		case LEX_BAD:
			return -1;
		case LEX_CLOSE:
			if (!depth)
				return -1;
			if (--depth == 0) {
				*start = (size_t)(first - buf);
				*end_out = *pos = (size_t)(next - buf);
				return 1;
			}
			break;
		case LEX_EMPTY:
			if (!depth) {
				*start = (size_t)(p - buf);
				*end_out = *pos = (size_t)(next - buf);
				return 1;
			}
			break;
		case LEX_OPEN:
			if (!depth++)
				first = p;
			break;
		}
		p = next;
	}
	*pos = len;
	return depth ? -1 : 0;
}

char *xml_line_indent(const char *buf, size_t pos)
{
	size_t i = pos;

	while (i > 0 && (buf[i - 1] == ' ' || buf[i - 1] == '\t'))
		i--;
	if (i > 0 && buf[i - 1] != '\n')
		return NULL;
	return cs_xstrndup(buf + i, pos - i);
}

/* ---- building and editing ------------------------------------------------- */

static const char *host_arch_name(const struct cs_arch *arch)
{
	if (!arch)
		return NULL;
	if (!strcmp(arch->name, "x86"))
		return "x86_64";
	if (!strcmp(arch->name, "arm"))
		return "aarch64";
	return arch->name;
}

struct cs_cpudef *cs_cpudef_new(const struct cs_map *map, const struct cs_arch *arch,
                                enum cs_cpu_type type)
{
	struct cs_cpudef *def = cs_xcalloc(1, sizeof(*def));

	def->map = map;
	def->arch = arch;
	def->type = type;
	def->mode = CS_CPU_MODE_CUSTOM;
	def->match = CS_CPU_MATCH_EXACT;
	def->model = -1;
	def->vendor_idx = -1;
	if (type == CS_CPU_TYPE_HOST)
		def->arch_name = cs_xstrdup(host_arch_name(arch));
	return def;
}

static void raw_release(struct cs_cpu_raw *r)
{
	free(r->name);
	free(r->text);
	free(r->indent);
}

void cs_cpudef_free(struct cs_cpudef *def)
{
	if (!def)
		return;
	for (size_t i = 0; i < def->nfeatures; i++)
		free(def->features[i].name);
	free(def->features);
	for (size_t i = 0; i < def->nraw; i++)
		raw_release(&def->raw[i]);
	free(def->raw);
	free(def->arch_name);
	free(def->model_name);
	free(def->vendor_id);
	free(def->vendor);
	free(def->file);
	free(def);
}

void cs_cpudef_list_free(struct cs_cpudef **defs, size_t ndefs)
{
	if (!defs)
		return;
	for (size_t i = 0; i < ndefs; i++)
		cs_cpudef_free(defs[i]);
	free(defs);
}

struct cs_cpudef *cs_cpudef_copy(const struct cs_cpudef *def)
{
	struct cs_cpudef *c = cs_xmalloc(sizeof(*c));

	*c = *def;
	c->arch_name = cs_xstrdup(def->arch_name);
	c->model_name = cs_xstrdup(def->model_name);
	c->vendor_id = cs_xstrdup(def->vendor_id);
	c->vendor = cs_xstrdup(def->vendor);
	c->file = cs_xstrdup(def->file);
	c->features = NULL;
	c->features_cap = 0;
	if (def->nfeatures) {
		CS_GROW(c->features, c->features_cap, def->nfeatures);
		for (size_t i = 0; i < def->nfeatures; i++) {
			c->features[i] = def->features[i];
			c->features[i].name = cs_xstrdup(def->features[i].name);
		}
	}
	c->raw = NULL;
	if (def->nraw) {
		c->raw = cs_xcalloc(def->nraw, sizeof(*c->raw));
		for (size_t i = 0; i < def->nraw; i++) {
			c->raw[i] = def->raw[i];
			c->raw[i].name = cs_xstrdup(def->raw[i].name);
			c->raw[i].text = cs_xstrdup(def->raw[i].text);
			c->raw[i].indent = cs_xstrdup(def->raw[i].indent);
		}
	}
	return c;
}

void cs_cpudef_set_model(struct cs_cpudef *def, int model)
{
	def->model = model;
	free(def->model_name);
	def->model_name = NULL;
}

void cs_cpudef_set_vendor(struct cs_cpudef *def, int vendor)
{
	free(def->vendor);
	def->vendor = NULL;
	def->vendor_idx = -1;
	if (vendor >= 0 && def->arch && (size_t)vendor < def->arch->nvendors) {
		def->vendor = cs_xstrdup(def->arch->vendors[vendor].name);
		def->vendor_idx = vendor;
	}
}

static long find_feature(const struct cs_cpudef *def, unsigned id)
{
	for (size_t i = 0; i < def->nfeatures; i++)
		if (def->features[i].id == (int)id)
			return (long)i;
	return -1;
}

int cs_cpudef_feature_policy(const struct cs_cpudef *def, unsigned id)
{
	if (id >= CS_FSET_MAX)
		return -1;
	for (int p = 0; p < CS_POLICY_COUNT; p++)
		if (cs_fset_test(&def->by_policy[p], id))
			return p;
	return -1;
}

void cs_cpudef_set_feature(struct cs_cpudef *def, unsigned id, enum cs_policy policy)
{
	long i;

	if (id >= CS_FSET_MAX)
		return;
	if (def->type == CS_CPU_TYPE_HOST)
		policy = CS_POLICY_NONE;
	i = cs_cpudef_feature_policy(def, id) >= 0 ? find_feature(def, id) : -1;
	if (i >= 0) {
		cs_fset_clear(&def->by_policy[def->features[i].policy], id);
		def->features[i].policy = policy;
	} else {
		CS_GROW(def->features, def->features_cap, def->nfeatures + 1);
		def->features[def->nfeatures].id = (int)id;
		def->features[def->nfeatures].name = NULL;
		def->features[def->nfeatures].policy = policy;
		def->features[def->nfeatures].line = 0;
		def->nfeatures++;
	}
	cs_fset_set(&def->by_policy[policy], id);
}

bool cs_cpudef_remove_feature(struct cs_cpudef *def, unsigned id)
{
	long i;

	if (cs_cpudef_feature_policy(def, id) < 0)
		return false;
	i = find_feature(def, id);
	if (i < 0)
		return false;
	cs_fset_clear(&def->by_policy[def->features[i].policy], id);
	free(def->features[i].name);
	memmove(&def->features[i], &def->features[i + 1],
	        (def->nfeatures - (size_t)i - 1) * sizeof(def->features[0]));
	def->nfeatures--;
	return true;
}

void cs_cpudef_clear_features(struct cs_cpudef *def)
{
	for (size_t i = 0; i < def->nfeatures; i++)
		free(def->features[i].name);
	def->nfeatures = 0;
	for (int p = 0; p < CS_POLICY_COUNT; p++)
		cs_fset_zero(&def->by_policy[p]);
}

const char *cs_cpudef_model_name(const struct cs_cpudef *def)
{
	if (def->model >= 0 && def->arch && (size_t)def->model < def->arch->nmodels)
		return def->arch->models[def->model].name;
	return def->model_name;
}

const char *cs_cpudef_feature_name(const struct cs_cpudef *def, size_t i)
{
	const struct cs_cpu_feature *f = &def->features[i];

	if (f->id >= 0 && def->arch && (size_t)f->id < def->arch->nfeatures)
		return def->arch->features[f->id].name;
	return f->name ? f->name : "";
}

uint32_t cs_cpudef_signature(const struct cs_cpudef *def)
{
	uint32_t sig = 0;
	unsigned family = def->sig_family;

	if (!family)
		return 0;
	if (family > 0xf)
		sig |= (0xfu << 8) | ((uint32_t)(family - 0xf) << 20);
	else
		sig |= (uint32_t)family << 8;
	sig |= ((uint32_t)(def->sig_model & 0xf) << 4) | ((uint32_t)(def->sig_model & 0xf0) << 12);
	sig |= def->sig_stepping & 0xf;
	return sig;
}

int cpudef_check_resolved(const struct cs_cpudef *def, struct cs_error *err)
{
	if (def->model_name) {
		cs_error_set(err, CS_ERR_UNKNOWN, def->file, def->line, "Unknown CPU model %s",
		             def->model_name);
		return -1;
	}
	for (size_t i = 0; i < def->nfeatures; i++) {
		if (def->features[i].id < 0) {
			cs_error_set(err, CS_ERR_UNKNOWN, def->file, def->features[i].line,
			             "Unknown CPU feature %s", def->features[i].name);
			return -1;
		}
	}
	return 0;
}

int cs_cpudef_to_facts(const struct cs_cpudef *def, struct cs_cpu_facts *out, struct cs_error *err)
{
	struct cs_cpu_facts f;

	memset(&f, 0, sizeof(f));
	f.vendor = -1;
	if (!def->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, def->file, def->line,
		             "the CPU map has no section for architecture %s",
		             def->arch_name ? def->arch_name : "x86");
		return -1;
	}
	if (cpudef_check_resolved(def, err) < 0)
		return -1;
	if (def->vendor) {
		if (def->vendor_idx < 0) {
			cs_error_set(err, CS_ERR_UNKNOWN, def->file, def->line,
			             "Unknown CPU vendor %s", def->vendor);
			return -1;
		}
		f.vendor = def->vendor_idx;
	}
	f.signature = cs_cpudef_signature(def);
	if (def->model >= 0)
		f.features = def->arch->models[def->model].features;
	cs_fset_union(&f.features, &f.features, &def->by_policy[CS_POLICY_FORCE]);
	cs_fset_union(&f.features, &f.features, &def->by_policy[CS_POLICY_REQUIRE]);
	cs_fset_union(&f.features, &f.features, &def->by_policy[CS_POLICY_NONE]);
	cs_fset_diff(&f.features, &f.features, &def->by_policy[CS_POLICY_DISABLE]);
	cs_fset_diff(&f.features, &f.features, &def->by_policy[CS_POLICY_FORBID]);
	*out = f;
	return 0;
}

struct cs_cpudef *cs_cpudef_from_decoded(const struct cs_map *map, const struct cs_arch *arch,
                                         const struct cs_decoded *dec)
{
	struct cs_cpudef *def = cs_cpudef_new(map, arch, CS_CPU_TYPE_HOST);
	int id;

	cs_cpudef_set_model(def, dec->model);
	cs_cpudef_set_vendor(def, dec->vendor);
	if (dec->signature)
		cs_signature_split(dec->signature, &def->sig_family, &def->sig_model,
		                   &def->sig_stepping);
	cs_fset_foreach (id, &dec->require)
		cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_NONE);
	return def;
}

/* ---- parsing ------------------------------------------------------------------ */

struct pctx {
	const struct cs_map *map;
	const char *name;
	const char *buf; /* the text being parsed */
	size_t len;
	unsigned flags;
	struct cs_error *err;
	xmlDocPtr doc;          /* its document */
	struct xml_span *spans; /* element spans, found when first needed */
	bool spans_done;
};

static bool ensure_spans(struct pctx *p);

static void perr(struct pctx *p, enum cs_errcode code, const xmlNode *node, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void perr(struct pctx *p, enum cs_errcode code, const xmlNode *node, const char *fmt, ...)
{
	char msg[sizeof(p->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cs_error_set(p->err, code, p->name, node ? cs_xml_line(node) : 0, "%s", msg);
}

/* An attribute's value, borrowed from the document when it is a single
 * text node (the usual case); otherwise a copy is made in *tmp, which the
 * caller frees.  NULL when the attribute is absent. */
static const char *attr_value(const xmlNode *node, const char *name, char **tmp)
{
	*tmp = NULL;
	for (const xmlAttr *a = node->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0)
			continue;
		if (a->children && !a->children->next && a->children->type == XML_TEXT_NODE &&
		    a->children->content)
			return (const char *)a->children->content;
		*tmp = cs_xml_prop(node, name);
		return *tmp ? *tmp : "";
	}
	return NULL;
}

/* The first child element of each kind parse_cpu() reads, found in one
 * pass over the children. */
struct cpu_kids {
	xmlNode *arch, *model, *vendor, *topology, *signature, *feature, *cache;
	size_t ncache;
};

static void find_kids(const xmlNode *cpu, struct cpu_kids *k)
{
	memset(k, 0, sizeof(*k));
	for (xmlNode *c = cpu->children; c; c = c->next) {
		const char *n = (const char *)c->name;
		xmlNode **slot = NULL;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		switch (n[0]) {
		case 'a':
			slot = !strcmp(n, "arch") ? &k->arch : NULL;
			break;
		case 'c':
			if (!strcmp(n, "cache")) {
				slot = &k->cache;
				k->ncache++;
			}
			break;
		case 'f':
			slot = !strcmp(n, "feature") ? &k->feature : NULL;
			break;
		case 'm':
			slot = !strcmp(n, "model") ? &k->model : NULL;
			break;
		case 's':
			slot = !strcmp(n, "signature") ? &k->signature : NULL;
			break;
		case 't':
			slot = !strcmp(n, "topology") ? &k->topology : NULL;
			break;
		case 'v':
			slot = !strcmp(n, "vendor") ? &k->vendor : NULL;
			break;
		default:
			break;
		}
		if (slot && !*slot)
			*slot = c;
	}
}

/* The string value of an element, or NULL when it is empty (libvirt's
 * virXPathString("string(...)") treats "" as absent). */
static char *node_text(const xmlNode *node)
{
	xmlChar *t;
	char *s = NULL;

	if (!node)
		return NULL;
	t = xmlNodeGetContent(node);
	if (t && *t)
		s = cs_xstrdup((const char *)t);
	xmlFree(t);
	return s;
}

static bool parse_uint(const char *s, unsigned *out)
{
	unsigned long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (unsigned)v;
	return true;
}

/* A non-zero unsigned attribute, libvirt's messages.  Returns 1 when found,
 * 0 when absent (an error if required), -1 on error. */
static int prop_uint(struct pctx *p, const xmlNode *node, const char *attr, bool required,
                     unsigned *out)
{
	char *v = cs_xml_prop(node, attr);
	int ret = -1;

	if (!v) {
		if (!required)
			return 0;
		perr(p, CS_ERR_INVALID, node, "Missing required attribute '%s' in element '%s'",
		     attr, (const char *)node->name);
		return -1;
	}
	if (!parse_uint(v, out)) {
		perr(p, CS_ERR_INVALID, node,
		     "Invalid value for attribute '%s' in element '%s': '%s'. Expected "
		     "non-negative integer value",
		     attr, (const char *)node->name, v);
	} else if (*out == 0) {
		perr(p, CS_ERR_INVALID, node,
		     "Invalid value for attribute '%s' in element '%s': Zero is not permitted",
		     attr, (const char *)node->name);
	} else {
		ret = 1;
	}
	free(v);
	return ret;
}

/* An enumerated attribute: 1 and *out when given, 0 when absent, -1 on error. */
static int prop_enum(struct pctx *p, const xmlNode *node, const char *attr,
                     const char *const *names, size_t n, int *out)
{
	char *v = cs_xml_prop(node, attr);
	int i;

	if (!v)
		return 0;
	i = lookup(names, n, v);
	if (i < 0) {
		perr(p, CS_ERR_INVALID, node,
		     "Invalid value for attribute '%s' in element '%s': '%s'.", attr,
		     (const char *)node->name, v);
		free(v);
		return -1;
	}
	free(v);
	*out = i;
	return 1;
}

static enum cs_cpu_slot raw_slot(const char *name)
{
	static const char *const hostinfo[] = {"microcode", "signature", "counter"};
	static const char *const before[] = {"cache", "maxphysaddr"};

	if (lookup(hostinfo, NELEMS(hostinfo), name) >= 0)
		return CS_CPU_SLOT_HOSTINFO;
	if (lookup(before, NELEMS(before), name) >= 0)
		return CS_CPU_SLOT_BEFORE_FEATURES;
	return CS_CPU_SLOT_AFTER_FEATURES;
}

static void keep_raw(struct pctx *p, struct cs_cpudef *def, const xmlNode *node)
{
	const struct xml_span *sp;
	struct cs_cpu_raw *r;

	if (!ensure_spans(p))
		return;
	sp = node->_private;
	if (!sp || sp->end <= sp->start)
		return;
	def->raw = cs_xreallocarray(def->raw, def->nraw + 1, sizeof(*def->raw));
	r = &def->raw[def->nraw++];
	r->name = cs_xstrdup((const char *)node->name);
	r->text = cs_xstrndup(p->buf + sp->start, sp->end - sp->start);
	r->indent = xml_line_indent(p->buf, sp->start);
	r->slot = raw_slot(r->name);
	r->line = cs_xml_line(node);
}

static int check_cache(struct pctx *p, const struct cpu_kids *k)
{
	static const char *const cache_modes[] = {"emulate", "passthrough", "disable"};
	xmlNode *cache = k->cache;
	char *level;
	int mode;

	if (k->ncache > 1) {
		perr(p, CS_ERR_INVALID, cache, "at most one CPU cache element may be specified");
		return -1;
	}
	level = cs_xml_prop(cache, "level");
	if (level) {
		unsigned l;
		bool ok = parse_uint(level, &l) && l >= 1 && l <= 3;

		free(level);
		if (!ok) {
			perr(p, CS_ERR_INVALID, cache,
			     "invalid CPU cache level, must be in range [1,3]");
			return -1;
		}
	}
	switch (prop_enum(p, cache, "mode", cache_modes, NELEMS(cache_modes), &mode)) {
	case 0:
		perr(p, CS_ERR_INVALID, cache,
		     "Missing required attribute 'mode' in element 'cache'");
		return -1;
	case 1:
		return 0;
	default:
		return -1;
	}
}

static int parse_signature(struct pctx *p, struct cs_cpudef *def, const xmlNode *node)
{
	unsigned family = 0, model = 0, stepping = 0;
	char *v;
	bool ok = true;

	v = cs_xml_prop(node, "family");
	ok = ok && (!v || parse_uint(v, &family));
	free(v);
	v = cs_xml_prop(node, "model");
	ok = ok && (!v || parse_uint(v, &model));
	free(v);
	v = cs_xml_prop(node, "stepping");
	ok = ok && (!v || parse_uint(v, &stepping));
	free(v);
	if (!ok) {
		perr(p, CS_ERR_INVALID, node, "invalid CPU signature");
		return -1;
	}
	def->sig_family = family;
	def->sig_model = model;
	def->sig_stepping = stepping;
	return 0;
}

static int parse_topology(struct pctx *p, struct cs_cpudef *def, const xmlNode *topo)
{
	int rc;

	if (prop_uint(p, topo, "sockets", true, &def->sockets) < 0)
		return -1;
	rc = prop_uint(p, topo, "dies", false, &def->dies);
	if (rc < 0)
		return -1;
	if (rc == 0)
		def->dies = 1;
	if (prop_uint(p, topo, "clusters", false, &def->clusters) < 0)
		return -1;
	if (prop_uint(p, topo, "cores", true, &def->cores) < 0 ||
	    prop_uint(p, topo, "threads", true, &def->threads) < 0)
		return -1;
	def->has_topology = true;
	return 0;
}

/* Read the <feature> children: libvirt's checks, then names resolved
 * against the map. */
/* libvirt's arm driver never looks models or features up (its baseline is
 * the first CPU's model, whatever it is): there, a name the map lacks stays
 * a name until something needs it resolved. */
static bool keeps_unknown_names(const struct cs_arch *arch)
{
	return !strcmp(arch->name, "arm");
}

static int parse_features(struct pctx *p, struct cs_cpudef *def, xmlNode *first)
{
	struct cs_fset seen;

	cs_fset_zero(&seen);
	for (xmlNode *c = first; c; c = c->next) {
		enum cs_policy policy = CS_POLICY_NONE;
		const char *vname;
		char *tmp, *name = NULL;
		int id = -1;

		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "feature") != 0)
			continue;
		if (def->type == CS_CPU_TYPE_GUEST) {
			const char *pol = attr_value(c, "policy", &tmp);
			int pv = pol ? cs_policy_parse(pol) : CS_POLICY_REQUIRE;

			free(tmp);
			if (pv < 0) {
				perr(p, CS_ERR_INVALID, c, "Invalid CPU feature policy");
				return -1;
			}
			policy = (enum cs_policy)pv;
		}
		vname = attr_value(c, "name", &tmp);
		if (!vname || !*vname) {
			free(tmp);
			perr(p, CS_ERR_INVALID, c, "Invalid CPU feature name");
			return -1;
		}
		/* An arch whose map section has no features (ppc64) keeps the
		 * names as written: libvirt ignores them there.  So does arm for a
		 * name its section lacks (libvirt's arm baseline looks at none). */
		if (def->arch && def->arch->nfeatures)
			id = cs_arch_find_feature(def->arch, vname);
		if (def->arch && def->arch->nfeatures &&
		    (id >= 0 || !keeps_unknown_names(def->arch))) {
			if (id < 0)
				perr(p, CS_ERR_UNKNOWN, c, "Unknown CPU feature %s", vname);
			else if (cs_fset_test(&seen, (unsigned)id))
				perr(p, CS_ERR_DUPLICATE, c,
				     "CPU feature '%s' specified more than once", vname);
			free(tmp);
			if (id < 0 || cs_fset_test(&seen, (unsigned)id))
				return -1;
			cs_fset_set(&seen, (unsigned)id);
		} else {
			name = tmp ? tmp : cs_xstrdup(vname);
			for (size_t j = 0; j < def->nfeatures; j++) {
				if (!strcmp(def->features[j].name, name)) {
					perr(p, CS_ERR_DUPLICATE, c,
					     "CPU feature '%s' specified more than once", name);
					free(name);
					return -1;
				}
			}
		}
		CS_GROW(def->features, def->features_cap, def->nfeatures + 1);
		def->features[def->nfeatures].id = id;
		def->features[def->nfeatures].name = name;
		def->features[def->nfeatures].policy = policy;
		def->features[def->nfeatures].line = cs_xml_line(c);
		def->nfeatures++;
		if (id >= 0)
			cs_fset_set(&def->by_policy[policy], (unsigned)id);
	}
	return 0;
}

static bool is_interpreted(const struct cs_cpudef *def, const struct cpu_kids *k, const xmlNode *c)
{
	const char *n = (const char *)c->name;

	if (!strcmp(n, "feature"))
		return true;
	if (!strcmp(n, "arch") && def->type == CS_CPU_TYPE_HOST)
		return k->arch == c;
	if (!strcmp(n, "model") || !strcmp(n, "vendor") || !strcmp(n, "topology"))
		return true; /* the first is read; libvirt drops the others */
	return false;
}

static struct cs_cpudef *parse_cpu(struct pctx *p, const xmlNode *cpu, enum cs_cpu_origin origin)
{
	struct cs_cpudef *def = cs_xcalloc(1, sizeof(*def));
	struct cpu_kids k;
	xmlNode *model_node, *vendor_node;
	char *s = NULL;
	int v;
	bool attrs = origin != CS_CPU_ORIGIN_DOMCAPS;

	def->map = p->map;
	def->model = -1;
	def->vendor_idx = -1;
	def->origin = origin;
	def->file = cs_xstrdup(p->name);
	def->line = cs_xml_line(cpu);
	find_kids(cpu, &k);

	/* Which kind of CPU: forced by the caller, or libvirt's "auto". */
	if (origin == CS_CPU_ORIGIN_DOMCAPS) {
		def->type = CS_CPU_TYPE_GUEST;
	} else if (p->flags & CS_CPUDEF_AS_HOST) {
		def->type = CS_CPU_TYPE_HOST;
	} else if (p->flags & CS_CPUDEF_AS_GUEST) {
		def->type = CS_CPU_TYPE_GUEST;
	} else if (k.arch) {
		if (xmlHasProp(cpu, (const xmlChar *)"match")) {
			perr(p, CS_ERR_INVALID, cpu,
			     "'arch' element cannot be used inside 'cpu' element with 'match' "
			     "attribute'");
			goto fail;
		}
		def->type = CS_CPU_TYPE_HOST;
	} else {
		def->type = CS_CPU_TYPE_GUEST;
	}

	def->mode = CS_CPU_MODE_CUSTOM;
	if (attrs && (s = cs_xml_prop(cpu, "mode"))) {
		if (def->type == CS_CPU_TYPE_HOST) {
			perr(p, CS_ERR_INVALID, cpu,
			     "Attribute mode is only allowed for guest CPU");
			goto fail;
		}
		v = lookup(mode_names, NELEMS(mode_names), s);
		if (v < 0) {
			perr(p, CS_ERR_INVALID, cpu, "Invalid mode attribute '%s'", s);
			goto fail;
		}
		def->mode = (enum cs_cpu_mode)v;
		free(s);
		s = NULL;
	}

	if (attrs) {
		static const char *const onoff[] = {"on", "off"};

		switch (prop_enum(p, cpu, "migratable", onoff, 2, &v)) {
		case -1:
			goto fail;
		case 1:
			if (def->type == CS_CPU_TYPE_HOST ||
			    (def->mode != CS_CPU_MODE_HOST_PASSTHROUGH &&
			     def->mode != CS_CPU_MODE_MAXIMUM)) {
				perr(p, CS_ERR_INVALID, cpu,
				     "Attribute migratable is only allowed for 'host-passthrough' "
				     "/ "
				     "'maximum' CPU mode");
				goto fail;
			}
			def->migratable = v == 0 ? CS_TRISTATE_ON : CS_TRISTATE_OFF;
			break;
		default:
			break;
		}
	}

	if (attrs && def->type == CS_CPU_TYPE_GUEST) {
		v = 0;
		if (prop_enum(p, cpu, "match", match_names, NELEMS(match_names), &v) < 0)
			goto fail;
		def->match = (enum cs_cpu_match)v;
		v = 0;
		if (prop_enum(p, cpu, "check", check_names, NELEMS(check_names), &v) < 0)
			goto fail;
		def->check = (enum cs_cpu_check)v;
	}

	if (def->type == CS_CPU_TYPE_HOST) {
		def->arch_name = node_text(k.arch);
		if (!def->arch_name) {
			perr(p, CS_ERR_INVALID, cpu, "Missing CPU architecture");
			goto fail;
		}
		if (lookup(known_archs, NELEMS(known_archs), def->arch_name) < 0) {
			perr(p, CS_ERR_UNSUPPORTED, k.arch, "Unknown architecture %s",
			     def->arch_name);
			goto fail;
		}
		def->arch = cs_map_arch(p->map, def->arch_name);
		if (k.signature && parse_signature(p, def, k.signature) < 0)
			goto fail;
	} else {
		def->arch = cs_map_arch(p->map, "x86");
	}

	model_node = k.model;
	s = node_text(model_node);
	if (!s && def->type == CS_CPU_TYPE_HOST) {
		perr(p, CS_ERR_INVALID, model_node ? model_node : cpu, "Missing CPU model name");
		goto fail;
	}
	if (model_node && def->type == CS_CPU_TYPE_GUEST &&
	    def->mode != CS_CPU_MODE_HOST_PASSTHROUGH && def->mode != CS_CPU_MODE_MAXIMUM) {
		char *fb = cs_xml_prop(model_node, "fallback");

		if (fb) {
			v = lookup(fallback_names, NELEMS(fallback_names), fb);
			free(fb);
			if (v < 0) {
				perr(p, CS_ERR_INVALID, model_node, "Invalid fallback attribute");
				goto fail;
			}
			def->fallback = (enum cs_cpu_fallback)v;
		}
		def->vendor_id = cs_xml_prop(model_node, "vendor_id");
		if (def->vendor_id && strlen(def->vendor_id) != 12) {
			perr(p, CS_ERR_INVALID, model_node,
			     "vendor_id must be exactly 12 characters long");
			goto fail;
		}
		if (def->vendor_id && strchr(def->vendor_id, ',')) {
			perr(p, CS_ERR_INVALID, model_node, "vendor id is invalid");
			goto fail;
		}
	}

	vendor_node = k.vendor;
	def->vendor = node_text(vendor_node);
	if (def->vendor && !s) {
		perr(p, CS_ERR_INVALID, vendor_node, "CPU vendor specified without CPU model");
		goto fail;
	}

	if (k.topology && parse_topology(p, def, k.topology) < 0)
		goto fail;

	if (s && def->arch)
		def->model = cs_arch_find_model(def->arch, s);
	if (s && def->arch && def->model < 0 && !keeps_unknown_names(def->arch)) {
		perr(p, CS_ERR_UNKNOWN, model_node, "Unknown CPU model %s", s);
		goto fail;
	}
	if (def->model >= 0)
		free(s);
	else
		def->model_name = s; /* no map section, or an unknown arm model */
	s = NULL;
	if (def->vendor && def->arch)
		def->vendor_idx = cs_arch_find_vendor(def->arch, def->vendor);

	if (k.feature && !cs_cpudef_model_name(def) && def->mode == CS_CPU_MODE_CUSTOM) {
		perr(p, CS_ERR_INVALID, k.feature,
		     "Non-empty feature list specified without CPU model");
		goto fail;
	}
	if (k.feature && parse_features(p, def, k.feature) < 0)
		goto fail;
	if (k.cache && check_cache(p, &k) < 0)
		goto fail;

	if ((p->flags & CS_CPUDEF_STRICT) && model_node &&
	    (def->mode == CS_CPU_MODE_HOST_PASSTHROUGH || def->mode == CS_CPU_MODE_MAXIMUM)) {
		perr(p, CS_ERR_INVALID, model_node, "a <model> has no effect in %s mode",
		     cs_cpu_mode_name(def->mode));
		goto fail;
	}

	for (xmlNode *c = cpu->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !is_interpreted(def, &k, c))
			keep_raw(p, def, c);
	return def;

fail:
	free(s);
	cs_cpudef_free(def);
	return NULL;
}

/* Locate every element of the text (for copying kept elements verbatim);
 * done once per text, and only when an element has to be kept. */
static bool ensure_spans(struct pctx *p)
{
	if (p->spans_done)
		return p->spans != NULL;
	p->spans_done = true;
	p->spans = xml_attach_spans(xmlDocGetRootElement(p->doc), p->buf, p->len);
	return p->spans != NULL;
}

static void add_def(struct cs_cpudef ***defs, size_t *n, size_t *cap, struct cs_cpudef *def)
{
	CS_GROW(*defs, *cap, *n + 1);
	(*defs)[(*n)++] = def;
}

/* The <cpu>-like elements found under one top-level element. */
struct found_cpus {
	struct found_cpu {
		const xmlNode *node;
		enum cs_cpu_origin origin;
	} * cpus;
	size_t n, cap;
};

static void found_add(struct found_cpus *f, const xmlNode *node, enum cs_cpu_origin origin)
{
	CS_GROW(f->cpus, f->cap, f->n + 1);
	f->cpus[f->n++] = (struct found_cpu){node, origin};
}

/* Whether m is <mode name='host-model' supported='yes'>. */
static bool is_host_model_mode(const xmlNode *m)
{
	char *name, *sup;
	bool ok;

	if (!cs_xml_is(m, "mode"))
		return false;
	name = cs_xml_prop(m, "name");
	sup = cs_xml_prop(m, "supported");
	ok = name && sup && !strcmp(name, "host-model") && !strcmp(sup, "yes");
	free(name);
	free(sup);
	return ok;
}

/* The <cpu>-like elements under one top-level element, in document order,
 * into f (emptied first). */
static void collect(const xmlNode *top, struct found_cpus *f)
{
	f->n = 0;
	if (cs_xml_is(top, "cpu")) {
		found_add(f, top, CS_CPU_ORIGIN_BARE);
		return;
	}
	for (const xmlNode *c = top->children; c; c = c->next) {
		if (cs_xml_is(top, "domain") && cs_xml_is(c, "cpu")) {
			found_add(f, c, CS_CPU_ORIGIN_DOMAIN);
		} else if (cs_xml_is(top, "capabilities") && cs_xml_is(c, "host")) {
			for (const xmlNode *h = c->children; h; h = h->next)
				if (cs_xml_is(h, "cpu"))
					found_add(f, h, CS_CPU_ORIGIN_CAPS);
		} else if (cs_xml_is(top, "domainCapabilities") && cs_xml_is(c, "cpu")) {
			for (const xmlNode *m = c->children; m; m = m->next)
				if (is_host_model_mode(m))
					found_add(f, m, CS_CPU_ORIGIN_DOMCAPS);
		}
	}
}

/* Where a document type declaration starts in buf (outside comments,
 * CDATA sections and processing instructions), or NULL. */
static const char *find_doctype(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *q = memchr(p, '<', (size_t)(end - p));

		if (!q || end - q < 2)
			return NULL;
		if (end - q >= 4 && !memcmp(q, "<!--", 4)) {
			q = find_str(q + 4, end, "-->");
		} else if (end - q >= 9 && !memcmp(q, "<![CDATA[", 9)) {
			q = find_str(q + 9, end, "]]>");
		} else if (q[1] == '?') {
			q = find_str(q + 2, end, "?>");
		} else if (q[1] == '!') {
			return q;
		} else {
			q++;
		}
		if (!q)
			return NULL;
		p = q + 1;
	}
	return NULL;
}

static unsigned line_of(const char *buf, const char *pos)
{
	unsigned line = 1;

	for (const char *p = buf; p < pos; p++)
		line += *p == '\n';
	return line;
}

/* Move every line number of def down by off lines. */
static void shift_lines(struct cs_cpudef *def, unsigned off)
{
	if (def->line)
		def->line += off;
	for (size_t i = 0; i < def->nfeatures; i++)
		if (def->features[i].line)
			def->features[i].line += off;
	for (size_t i = 0; i < def->nraw; i++)
		if (def->raw[i].line)
			def->raw[i].line += off;
}

/* Parse the <cpu> elements of one piece of the input (one or more
 * top-level elements) whose first line is line first_line of the file,
 * handing each to cb.  Returns the number found, or -1 with p->err set. */
static long parse_chunk(struct pctx *p, const char *chunk, size_t clen, unsigned first_line,
                        cs_cpudef_fn cb, void *ctx, bool *stop)
{
	static const char open_tag[] = "<container>", close_tag[] = "</container>";
	struct cs_error local = {0}, *outer = p->err;
	size_t wlen = sizeof(open_tag) - 1 + clen + sizeof(close_tag) - 1;
	char *wrapped = cs_xmalloc(wlen + 1);
	xmlDocPtr doc = NULL;
	long found = 0, ret = -1;
	struct found_cpus f = {0};

	/* The wrapper adds no line break, so libxml2's lines are the chunk's. */
	memcpy(wrapped, open_tag, sizeof(open_tag) - 1);
	memcpy(wrapped + sizeof(open_tag) - 1, chunk, clen);
	memcpy(wrapped + wlen - (sizeof(close_tag) - 1), close_tag, sizeof(close_tag));
	p->err = &local;
	doc = cs_xml_parse(wrapped, wlen, p->name, &local);
	if (!doc)
		goto out;
	p->buf = wrapped;
	p->len = wlen;
	p->doc = doc;
	p->spans = NULL;
	p->spans_done = false;
	for (xmlNode *top = xmlDocGetRootElement(doc)->children; top && !*stop; top = top->next) {
		if (top->type != XML_ELEMENT_NODE)
			continue;
		collect(top, &f);
		for (size_t i = 0; i < f.n && !*stop; i++) {
			struct cs_cpudef *def = parse_cpu(p, f.cpus[i].node, f.cpus[i].origin);
			int rc;

			if (!def)
				goto out;
			shift_lines(def, first_line - 1);
			found++;
			rc = cb(ctx, def, &local);
			if (rc < 0)
				goto out;
			if (rc > 0 || (p->flags & CS_CPUDEF_FIRST))
				*stop = true;
		}
	}
	ret = found;
out:
	if (ret < 0) {
		if (local.line)
			local.line += first_line - 1;
		if (outer && !cs_error_isset(outer))
			*outer = local;
	}
	p->err = outer;
	p->buf = NULL;
	p->doc = NULL;
	free(p->spans);
	p->spans = NULL;
	free(f.cpus);
	xmlFreeDoc(doc);
	free(wrapped);
	return ret;
}

int cs_cpudef_parse_each(const struct cs_map *map, const char *buf, size_t len, const char *name,
                         unsigned flags, cs_cpudef_fn fn, void *ctx, struct cs_error *err)
{
	struct pctx p = {.map = map, .name = name ? name : "<input>", .flags = flags, .err = err};
	const char *dt = find_doctype(buf, len), *doc = buf, *counted, *nul;
	size_t dlen, pos = 0, start, end, from = 0;
	unsigned line = 1;
	long total = 0;
	bool stop = false;

	if (dt) {
		cs_error_set(err, CS_ERR_SECURITY, p.name, line_of(buf, dt),
		             "document type declarations (DTDs, entities) are not allowed");
		return -1;
	}
	/* Checked here for the whole text, as a NUL between two top-level
	 * elements never reaches libxml2. */
	if (len && (nul = memchr(buf, '\0', len))) {
		cs_error_set(err, CS_ERR_SYNTAX, p.name, line_of(buf, nul),
		             "malformed XML: NUL byte (not allowed in XML)");
		return -1;
	}
	/* virsh drops a leading XML declaration and wraps the rest, so a file
	 * may hold several top-level elements. */
	if (len >= 5 && !memcmp(buf, "<?xml", 5)) {
		const char *q = find_str(buf, buf + len, "?>");

		if (q)
			doc = q + 2;
	}
	dlen = len - (size_t)(doc - buf);
	line = line_of(buf, doc);
	counted = doc;
	/* Each top-level element is parsed on its own: memory stays small
	 * and time linear however many CPUs a pool file holds. */
	while (!stop) {
		int r = next_top_element(doc, dlen, &pos, &start, &end);
		long n;

		if (r == 0)
			break;
		if (r < 0) {
			/* Let libxml2 say what is wrong with the rest. */
			start = from;
			end = dlen;
		}
		for (; counted < doc + start; counted++)
			line += *counted == '\n';
		n = parse_chunk(&p, doc + start, end - start, line, fn, ctx, &stop);
		if (n < 0)
			return -1;
		total += n;
		from = end;
		if (r < 0)
			break;
	}
	if (!total) {
		cs_error_set(err, CS_ERR_INVALID, p.name, 0,
		             "File '%s' does not contain any <cpu> element or valid domain XML, "
		             "host capabilities XML, or domain capabilities XML",
		             p.name);
		return -1;
	}
	return 0;
}

struct collected {
	struct cs_cpudef **defs;
	size_t n, cap;
};

static int collect_def(void *ctx, struct cs_cpudef *def, struct cs_error *err)
{
	struct collected *c = ctx;

	(void)err;
	add_def(&c->defs, &c->n, &c->cap, def);
	return 0;
}

int cs_cpudef_parse(const struct cs_map *map, const char *buf, size_t len, const char *name,
                    unsigned flags, struct cs_cpudef ***defs, size_t *ndefs, struct cs_error *err)
{
	struct collected c = {NULL, 0, 0};

	*defs = NULL;
	*ndefs = 0;
	if (cs_cpudef_parse_each(map, buf, len, name, flags, collect_def, &c, err) < 0) {
		cs_cpudef_list_free(c.defs, c.n);
		return -1;
	}
	*defs = c.defs;
	*ndefs = c.n;
	return 0;
}

int cs_cpudef_load(const struct cs_map *map, const char *path, size_t max_size, unsigned flags,
                   struct cs_cpudef ***defs, size_t *ndefs, struct cs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int ret;

	*defs = NULL;
	*ndefs = 0;
	if (cs_read_file(path, max_size ? max_size : CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return -1;
	ret = cs_cpudef_parse(map, buf, len, path, flags, defs, ndefs, err);
	free(buf);
	return ret;
}

struct cs_cpudef *cs_cpudef_load_one(const struct cs_map *map, const char *path, unsigned flags,
                                     struct cs_error *err)
{
	struct cs_cpudef **defs = NULL, *def;
	size_t n = 0;

	if (cs_cpudef_load(map, path, 0, flags | CS_CPUDEF_FIRST, &defs, &n, err) < 0)
		return NULL;
	def = defs[0];
	defs[0] = NULL;
	cs_cpudef_list_free(defs, n);
	return def;
}

/* ---- formatting --------------------------------------------------------------- */

/* Copy a kept element, moving its continuation lines from the source
 * indentation to the new one. */
static void format_raw(struct sbuf *b, const struct cs_cpu_raw *r, unsigned indent)
{
	const char *s = r->text;
	size_t ilen = r->indent ? strlen(r->indent) : 0;

	sbuf_indent(b, indent);
	for (;;) {
		const char *nl = strchr(s, '\n');

		if (!nl) {
			sbuf_add(b, s);
			break;
		}
		sbuf_addn(b, s, (size_t)(nl + 1 - s));
		s = nl + 1;
		if (r->indent && !strncmp(s, r->indent, ilen)) {
			s += ilen;
			sbuf_indent(b, indent);
		}
	}
	sbuf_add(b, "\n");
}

static void format_raw_slot(struct sbuf *b, const struct cs_cpudef *def, enum cs_cpu_slot slot,
                            unsigned indent)
{
	for (size_t i = 0; i < def->nraw; i++)
		if (def->raw[i].slot == slot)
			format_raw(b, &def->raw[i], indent);
}

char *cs_cpudef_format(const struct cs_cpudef *def, unsigned indent)
{
	struct sbuf attrs = {0}, kids = {0}, out = {0};
	unsigned ci = indent + 2;
	bool guest = def->type == CS_CPU_TYPE_GUEST;
	bool format_model = def->mode == CS_CPU_MODE_CUSTOM || def->mode == CS_CPU_MODE_HOST_MODEL;
	const char *model = cs_cpudef_model_name(def);

	if (guest && (def->mode != CS_CPU_MODE_CUSTOM || model)) {
		sbuf_addf(&attrs, " mode='%s'", cs_cpu_mode_name(def->mode));
		if (def->mode == CS_CPU_MODE_CUSTOM)
			sbuf_addf(&attrs, " match='%s'", cs_cpu_match_name(def->match));
		if (def->check != CS_CPU_CHECK_DEFAULT)
			sbuf_addf(&attrs, " check='%s'", cs_cpu_check_name(def->check));
		if ((def->mode == CS_CPU_MODE_HOST_PASSTHROUGH ||
		     def->mode == CS_CPU_MODE_MAXIMUM) &&
		    def->migratable != CS_TRISTATE_DEFAULT)
			sbuf_addf(&attrs, " migratable='%s'",
			          def->migratable == CS_TRISTATE_ON ? "on" : "off");
	}

	if (!guest && def->arch_name) {
		sbuf_indent(&kids, ci);
		sbuf_add(&kids, "<arch>");
		sbuf_add_escaped(&kids, def->arch_name);
		sbuf_add(&kids, "</arch>\n");
	}
	if (format_model && (model || def->vendor_id)) {
		sbuf_indent(&kids, ci);
		sbuf_add(&kids, "<model");
		if (guest && model)
			sbuf_addf(&kids, " fallback='%s'", cs_cpu_fallback_name(def->fallback));
		if (guest && def->vendor_id) {
			sbuf_add(&kids, " vendor_id='");
			sbuf_add_escaped(&kids, def->vendor_id);
			sbuf_add(&kids, "'");
		}
		if (model) {
			sbuf_add(&kids, ">");
			sbuf_add_escaped(&kids, model);
			sbuf_add(&kids, "</model>\n");
		} else {
			sbuf_add(&kids, "/>\n");
		}
	}
	if (format_model && def->vendor) {
		sbuf_indent(&kids, ci);
		sbuf_add(&kids, "<vendor>");
		sbuf_add_escaped(&kids, def->vendor);
		sbuf_add(&kids, "</vendor>\n");
	}
	format_raw_slot(&kids, def, CS_CPU_SLOT_HOSTINFO, ci);
	if (def->has_topology && def->sockets && def->dies && def->cores && def->threads) {
		sbuf_indent(&kids, ci);
		sbuf_addf(&kids, "<topology sockets='%u' dies='%u'", def->sockets, def->dies);
		if (def->clusters)
			sbuf_addf(&kids, " clusters='%u'", def->clusters);
		sbuf_addf(&kids, " cores='%u' threads='%u'/>\n", def->cores, def->threads);
	}
	format_raw_slot(&kids, def, CS_CPU_SLOT_BEFORE_FEATURES, ci);
	for (size_t i = 0; i < def->nfeatures; i++) {
		sbuf_indent(&kids, ci);
		if (guest && def->features[i].policy != CS_POLICY_NONE)
			sbuf_addf(&kids, "<feature policy='%s' name='%s'/>\n",
			          cs_policy_name(def->features[i].policy),
			          cs_cpudef_feature_name(def, i));
		else if (guest)
			sbuf_addf(&kids, "<feature policy='require' name='%s'/>\n",
			          cs_cpudef_feature_name(def, i));
		else
			sbuf_addf(&kids, "<feature name='%s'/>\n", cs_cpudef_feature_name(def, i));
	}
	format_raw_slot(&kids, def, CS_CPU_SLOT_AFTER_FEATURES, ci);

	if (attrs.len || kids.len) {
		sbuf_indent(&out, indent);
		sbuf_add(&out, "<cpu");
		if (attrs.len)
			sbuf_add(&out, attrs.s);
		if (kids.len) {
			sbuf_add(&out, ">\n");
			sbuf_add(&out, kids.s);
			sbuf_indent(&out, indent);
			sbuf_add(&out, "</cpu>\n");
		} else {
			sbuf_add(&out, "/>\n");
		}
	}
	free(attrs.s);
	free(kids.s);
	return sbuf_take(&out);
}
