/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpudata.c: raw CPUID/MSR data: set operations, facts, and the dump and `cpuid -r` formats */
#include "cpuscope/host.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmlsafe.h"
#include "cpuscope/xalloc.h"

void cs_cpudata_init(struct cs_cpudata *d)
{
	memset(d, 0, sizeof(*d));
}

void cs_cpudata_release(struct cs_cpudata *d)
{
	if (!d)
		return;
	free(d->items);
	cs_cpudata_init(d);
}

/* libvirt's order: CPUID before MSR, then leaf, then sub-leaf. */
static int item_cmp(enum cs_item_kind ka, uint32_t la, uint32_t sa, const struct cs_item *b)
{
	if (ka != b->kind)
		return ka == CS_ITEM_CPUID ? -1 : 1;
	if (la != b->leaf)
		return la < b->leaf ? -1 : 1;
	if (sa != b->subleaf)
		return sa < b->subleaf ? -1 : 1;
	return 0;
}

/* Index of the item with that key, or of where it would go (*found false). */
static size_t locate(const struct cs_cpudata *d, enum cs_item_kind kind, uint32_t leaf,
                     uint32_t sub, bool *found)
{
	size_t lo = 0, hi = d->nitems;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = item_cmp(kind, leaf, sub, &d->items[mid]);

		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

/* OR the registers of item into it (an MSR has no EBX and ECX). */
static void merge_regs(struct cs_item *it, const struct cs_item *item)
{
	for (int r = 0; r < CS_REG_COUNT; r++) {
		if (item->kind == CS_ITEM_MSR && (r == CS_REG_EBX || r == CS_REG_ECX))
			continue;
		it->reg[r] |= item->reg[r];
	}
}

/* Append item at the end of d, unsorted (cpudata_sort() restores order). */
static void append(struct cs_cpudata *d, const struct cs_item *item)
{
	struct cs_item *it;

	CS_GROW(d->items, d->cap, d->nitems + 1);
	it = &d->items[d->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = item->kind;
	it->leaf = item->leaf;
	it->subleaf = item->kind == CS_ITEM_MSR ? 0 : item->subleaf;
	merge_regs(it, item);
}

static int item_qcmp(const void *a, const void *b)
{
	const struct cs_item *x = a;

	return item_cmp(x->kind, x->leaf, x->subleaf, b);
}

/* Sort items appended by append() and merge those with the same key:
 * n log n however the input is ordered. */
static void cpudata_sort(struct cs_cpudata *d)
{
	size_t out = 0;

	if (d->nitems < 2)
		return;
	qsort(d->items, d->nitems, sizeof(d->items[0]), item_qcmp);
	for (size_t i = 1; i < d->nitems; i++) {
		if (!item_qcmp(&d->items[out], &d->items[i]))
			merge_regs(&d->items[out], &d->items[i]);
		else
			d->items[++out] = d->items[i];
	}
	d->nitems = out + 1;
}

void cs_cpudata_add(struct cs_cpudata *d, const struct cs_item *item)
{
	bool found;
	uint32_t sub = item->kind == CS_ITEM_MSR ? 0 : item->subleaf;
	size_t at;
	struct cs_item *it;

	/* In order (the usual case): append without searching. */
	if (!d->nitems || item_cmp(item->kind, item->leaf, sub, &d->items[d->nitems - 1]) > 0) {
		append(d, item);
		return;
	}
	at = locate(d, item->kind, item->leaf, sub, &found);
	if (!found) {
		CS_GROW(d->items, d->cap, d->nitems + 1);
		memmove(&d->items[at + 1], &d->items[at], (d->nitems - at) * sizeof(d->items[0]));
		d->nitems++;
		it = &d->items[at];
		memset(it, 0, sizeof(*it));
		it->kind = item->kind;
		it->leaf = item->leaf;
		it->subleaf = sub;
	}
	merge_regs(&d->items[at], item);
}

const struct cs_item *cs_cpudata_find(const struct cs_cpudata *d, enum cs_item_kind kind,
                                      uint32_t leaf, uint32_t subleaf)
{
	bool found;
	size_t at = locate(d, kind, leaf, kind == CS_ITEM_MSR ? 0 : subleaf, &found);

	return found ? &d->items[at] : NULL;
}

bool cs_cpudata_has(const struct cs_cpudata *d, const struct cs_item *mask)
{
	const struct cs_item *it;
	bool empty = true;

	for (int r = 0; r < CS_REG_COUNT; r++)
		if (mask->reg[r])
			empty = false;
	if (empty)
		return true;
	it = cs_cpudata_find(d, mask->kind, mask->leaf, mask->subleaf);
	if (!it)
		return false;
	for (int r = 0; r < CS_REG_COUNT; r++)
		if ((it->reg[r] & mask->reg[r]) != mask->reg[r])
			return false;
	return true;
}

uint32_t cs_cpudata_signature(const struct cs_cpudata *d)
{
	const struct cs_item *it = cs_cpudata_find(d, CS_ITEM_CPUID, 1, 0);

	return it ? it->reg[CS_REG_EAX] & 0x0fff3fffu : 0;
}

uint32_t cs_signature_make(unsigned family, unsigned model, unsigned stepping)
{
	uint32_t sig = stepping & 0xf;

	if (family > 0xf) {
		sig |= 0xfu << 8;
		sig |= ((family - 0xf) & 0xff) << 20;
	} else {
		sig |= (family & 0xf) << 8;
	}
	sig |= (model & 0xf) << 4;
	sig |= ((model >> 4) & 0xf) << 16;
	return sig;
}

/* The leaf-0 item a 12-byte vendor string stands for. */
static void vendor_item(const char *s, struct cs_item *it)
{
	memset(it, 0, sizeof(*it));
	it->kind = CS_ITEM_CPUID;
	for (int i = 0; i < 4; i++) {
		it->reg[CS_REG_EBX] |= (uint32_t)(unsigned char)s[i] << (8 * i);
		it->reg[CS_REG_EDX] |= (uint32_t)(unsigned char)s[4 + i] << (8 * i);
		it->reg[CS_REG_ECX] |= (uint32_t)(unsigned char)s[8 + i] << (8 * i);
	}
}

int cs_cpudata_vendor(const struct cs_arch *arch, const struct cs_cpudata *d)
{
	for (size_t i = 0; i < arch->nvendors; i++) {
		const char *s = arch->vendors[i].string;
		struct cs_item it;

		if (!s || strlen(s) != 12)
			continue;
		vendor_item(s, &it);
		if (cs_cpudata_has(d, &it))
			return (int)i;
	}
	return -1;
}

bool cs_cpudata_vendor_string(const struct cs_cpudata *d, char *buf, size_t size)
{
	const struct cs_item *it = cs_cpudata_find(d, CS_ITEM_CPUID, 0, 0);
	const enum cs_reg order[3] = {CS_REG_EBX, CS_REG_EDX, CS_REG_ECX};

	if (size < 13 || !it || !(it->reg[CS_REG_EBX] | it->reg[CS_REG_ECX] | it->reg[CS_REG_EDX]))
		return false;
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < 4; i++) {
			unsigned char c = (unsigned char)(it->reg[order[r]] >> (8 * i));

			buf[r * 4 + i] = isprint(c) ? (char)c : '?';
		}
	buf[12] = '\0';
	return true;
}

void cs_cpudata_facts(const struct cs_arch *arch, const struct cs_cpudata *d,
                      struct cs_cpu_facts *out)
{
	out->vendor = cs_cpudata_vendor(arch, d);
	out->signature = cs_cpudata_signature(d);
	cs_fset_zero(&out->features);
	for (size_t f = 0; f < arch->nfeatures && f < CS_FSET_MAX; f++) {
		const struct cs_feature *feat = &arch->features[f];
		bool present = feat->nitems > 0;

		for (size_t i = 0; i < feat->nitems && present; i++)
			present = cs_cpudata_has(d, &feat->items[i]);
		if (present)
			cs_fset_set(&out->features, (unsigned)f);
	}
}

/* ---- libvirt CPUID dump ------------------------------------------------ */

static int get_u32(const xmlNode *node, const char *attr, bool required, uint32_t *out,
                   const char *name, struct cs_error *err)
{
	char *v = cs_xml_prop(node, attr);
	int ret = 0;

	*out = 0;
	if (!v) {
		if (required) {
			cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(node),
			             "missing attribute '%s' in <%s>", attr,
			             (const char *)node->name);
			ret = -1;
		}
		return ret;
	}
	if (cs_parse_u32(v, out) < 0) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(node),
		             "invalid number '%s' in attribute '%s' of <%s>", v, attr,
		             (const char *)node->name);
		ret = -1;
	}
	free(v);
	return ret;
}

static int parse_item(const xmlNode *node, const char *name, struct cs_item *it,
                      struct cs_error *err)
{
	memset(it, 0, sizeof(*it));
	if (cs_xml_is(node, "cpuid")) {
		it->kind = CS_ITEM_CPUID;
		if (get_u32(node, "eax_in", true, &it->leaf, name, err) < 0 ||
		    get_u32(node, "ecx_in", false, &it->subleaf, name, err) < 0 ||
		    get_u32(node, "eax", false, &it->reg[CS_REG_EAX], name, err) < 0 ||
		    get_u32(node, "ebx", false, &it->reg[CS_REG_EBX], name, err) < 0 ||
		    get_u32(node, "ecx", false, &it->reg[CS_REG_ECX], name, err) < 0 ||
		    get_u32(node, "edx", false, &it->reg[CS_REG_EDX], name, err) < 0)
			return -1;
		return 0;
	}
	/* As in libvirt, anything that is not <cpuid> must be a valid <msr>. */
	it->kind = CS_ITEM_MSR;
	if (!cs_xml_is(node, "msr")) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(node),
		             "unexpected element <%s> in CPU data", (const char *)node->name);
		return -1;
	}
	if (get_u32(node, "index", true, &it->leaf, name, err) < 0 ||
	    get_u32(node, "eax", true, &it->reg[CS_REG_EAX], name, err) < 0 ||
	    get_u32(node, "edx", true, &it->reg[CS_REG_EDX], name, err) < 0)
		return -1;
	return 0;
}

static size_t count_tags(const char *buf, size_t len)
{
	size_t n = 0;

	for (const char *p = buf, *end = buf + len; (p = memchr(p, '<', (size_t)(end - p))); p++)
		n++;
	return n;
}

int cs_cpudata_parse_xml(const char *buf, size_t len, const char *name, struct cs_cpudata *d,
                         struct cs_error *err)
{
	xmlDocPtr doc;
	xmlNode *root;
	char *arch = NULL;
	int ret = -1;

	cs_cpudata_release(d);
	/* Bound the tree before libxml2 builds it: each item is one element,
	 * so a text with far more tags than items allowed is refused unread. */
	if (count_tags(buf, len) > 2 * CS_MAX_CPUDATA_ITEMS + 16) {
		cs_error_set(err, CS_ERR_SECURITY, name, 0,
		             "more than %u CPUID and MSR items: not a CPU data dump",
		             CS_MAX_CPUDATA_ITEMS);
		return -1;
	}
	doc = cs_xml_parse(buf, len, name, err);
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (!root || !cs_xml_is(root, "cpudata")) {
		cs_error_set(err, CS_ERR_INVALID, name, root ? cs_xml_line(root) : 0,
		             "not a CPU data dump: the root element is not <cpudata>");
		goto out;
	}
	arch = cs_xml_prop(root, "arch");
	if (!arch || strcmp(arch, "x86")) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, cs_xml_line(root),
		             "CPU data for architecture '%s' is not supported (only 'x86')",
		             arch ? arch : "(none)");
		goto out;
	}
	for (xmlNode *n = root->children; n; n = n->next) {
		struct cs_item it;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (parse_item(n, name, &it, err) < 0)
			goto out;
		append(d, &it);
	}
	cpudata_sort(d);
	if (!d->nitems) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(root),
		             "CPU data dump holds no <cpuid> or <msr> item");
		goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		cs_cpudata_release(d);
	free(arch);
	xmlFreeDoc(doc);
	return ret;
}

/* Append comment to buf at *n as the text of an XML comment, which may not
 * hold "--" nor control characters: a space goes between two hyphens and a
 * control character becomes '?'.  buf has room for twice the comment. */
static void put_comment_text(char *buf, size_t *n, const char *comment)
{
	for (const char *c = comment; *c; c++) {
		unsigned char ch = (unsigned char)*c;

		if (ch == '-' && c > comment && c[-1] == '-')
			buf[(*n)++] = ' ';
		buf[(*n)++] =
		        (ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f ? '?' : (char)ch;
	}
}

char *cs_cpudata_format_xml(const struct cs_cpudata *d, const char *comment)
{
	size_t cap = 128 + d->nitems * 128 + (comment ? 2 * strlen(comment) : 0);
	char *buf = cs_xmalloc(cap);
	size_t n = 0;

	buf[0] = '\0';
	if (comment) {
		memcpy(buf, "<!-- ", 5);
		n = 5;
		put_comment_text(buf, &n, comment);
		n += (size_t)snprintf(buf + n, cap - n, " -->\n");
	}
	n += (size_t)snprintf(buf + n, cap - n, "<cpudata arch='x86'>\n");
	for (size_t i = 0; i < d->nitems; i++) {
		const struct cs_item *it = &d->items[i];

		bool leaf0 = it->kind == CS_ITEM_CPUID && it->leaf == 0 && it->subleaf == 0;

		/* Leaf 0 stays even when zero, so that the dump reads back. */
		if (!(it->reg[0] | it->reg[1] | it->reg[2] | it->reg[3]) && !leaf0)
			continue;
		if (it->kind == CS_ITEM_CPUID)
			n += (size_t)snprintf(
			        buf + n, cap - n,
			        "  <cpuid eax_in='0x%08x' ecx_in='0x%02x' eax='0x%08x' "
			        "ebx='0x%08x' ecx='0x%08x' edx='0x%08x'/>\n",
			        it->leaf, it->subleaf, it->reg[CS_REG_EAX], it->reg[CS_REG_EBX],
			        it->reg[CS_REG_ECX], it->reg[CS_REG_EDX]);
		else
			n += (size_t)snprintf(buf + n, cap - n,
			                      "  <msr index='0x%x' edx='0x%08x' eax='0x%08x'/>\n",
			                      it->leaf, it->reg[CS_REG_EDX], it->reg[CS_REG_EAX]);
	}
	snprintf(buf + n, cap - n, "</cpudata>\n");
	return buf;
}

/* ---- `cpuid -r` output ---------------------------------------------------- */

/* Parse "0x%x" at *p into *v, advancing *p; false when there is none. */
static bool scan_hex(const char **p, uint32_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int digits = 0;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	s += 2;
	while (isxdigit((unsigned char)*s) && digits < 9) {
		int c = tolower((unsigned char)*s);

		x = x * 16 + (uint64_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
		s++;
		digits++;
	}
	if (!digits || digits > 8 || isxdigit((unsigned char)*s))
		return false;
	*v = (uint32_t)x;
	*p = s;
	return true;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* One "0xLEAF 0xSUB: eax=.. ebx=.. ecx=.. edx=.." line.  Returns 1 for a
 * good line, 0 for a line that is not a CPUID line at all, -1 for a CPUID
 * line that is cut short or garbled. */
static int parse_raw_line(const char *p, struct cs_item *it)
{
	static const char *const regs[4] = {"eax=", "ebx=", "ecx=", "edx="};

	memset(it, 0, sizeof(*it));
	it->kind = CS_ITEM_CPUID;
	p = skip_blanks(p);
	if (!scan_hex(&p, &it->leaf))
		return 0;
	p = skip_blanks(p);
	if (!scan_hex(&p, &it->subleaf))
		return -1;
	if (*p++ != ':')
		return -1;
	for (int r = 0; r < 4; r++) {
		p = skip_blanks(p);
		if (strncmp(p, regs[r], 4))
			return -1;
		p += 4;
		if (!scan_hex(&p, &it->reg[r]))
			return -1;
	}
	p = skip_blanks(p);
	return (*p == '\0' || *p == '\n' || *p == '\r') ? 1 : -1;
}

/* True for the header `cpuid -r` prints before each logical CPU's lines:
 * "CPU:" or "CPU N:", nothing else on the line. */
static bool cpu_header(const char *p)
{
	p = skip_blanks(p);
	if (strncmp(p, "CPU", 3))
		return false;
	p = skip_blanks(p + 3);
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return false;
	p = skip_blanks(p);
	return *p == '\0' || *p == '\r';
}

int cs_cpudata_parse_cpuid_raw(const char *buf, size_t len, const char *name, struct cs_cpudata *d,
                               struct cs_error *err)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0, cpus = 0;
	char tmp[256];

	cs_cpudata_release(d);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct cs_item it;
		int rc;

		line++;
		if (n >= sizeof(tmp)) {
			/* cpuid -r lines are under 100 characters; a longer one is
			 * not one, and cutting it could make it look like one. */
			cs_error_set(err, CS_ERR_INVALID, name, line,
			             "line longer than %zu characters: not a `cpuid -r` line",
			             sizeof(tmp) - 1);
			goto fail;
		}
		if (memchr(p, '\0', n)) {
			cs_error_set(err, CS_ERR_INVALID, name, line,
			             "NUL byte: not a `cpuid -r` text");
			goto fail;
		}
		memcpy(tmp, p, n);
		tmp[n] = '\0';
		p = nl ? nl + 1 : end;
		if (cpu_header(tmp)) {
			/* "CPU:" or "CPU 0:": one block per logical CPU; keep the first. */
			if (++cpus > 1)
				break;
			continue;
		}
		rc = parse_raw_line(tmp, &it);
		if (rc == 0) {
			if (*skip_blanks(tmp) == '\0')
				continue;
			cs_error_set(err, CS_ERR_INVALID, name, line,
			             "not a `cpuid -r` line: '%.60s'", skip_blanks(tmp));
			goto fail;
		}
		if (rc < 0) {
			cs_error_set(err, CS_ERR_INVALID, name, line,
			             "truncated or malformed CPUID line: '%.60s'",
			             skip_blanks(tmp));
			goto fail;
		}
		if (d->nitems >= CS_MAX_CPUDATA_ITEMS) {
			cs_error_set(err, CS_ERR_SECURITY, name, line,
			             "more than %u CPUID lines: not a `cpuid -r` text",
			             CS_MAX_CPUDATA_ITEMS);
			goto fail;
		}
		append(d, &it);
	}
	cpudata_sort(d);
	if (!d->nitems) {
		cs_error_set(err, CS_ERR_INVALID, name, line, "no CPUID lines found");
		goto fail;
	}
	if (!cs_cpudata_find(d, CS_ITEM_CPUID, 0, 0)) {
		cs_error_set(err, CS_ERR_INVALID, name, line, "CPUID leaf 0 is missing");
		goto fail;
	}
	return 0;
fail:
	cs_cpudata_release(d);
	return -1;
}
