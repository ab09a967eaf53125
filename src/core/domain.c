/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain.c: write a guest <cpu> into domain XML, leaving every other byte as it was */
#include "cpuscope/guest.h"

#include <libxml/encoding.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/xalloc.h"
#include "strbuf.h"
#include "xmlsafe.h"
#include "xmlspan.h"

/* The children libvirt writes before <cpu> in a domain, in its order. */
static const char *const before_cpu[] = {
        "name",      "uuid",    "genid",         "title",           "description", "metadata",
        "maxMemory", "memory",  "currentMemory", "blkiotune",       "memtune",     "memoryBacking",
        "vcpu",      "vcpus",   "iothreads",     "iothreadids",     "cputune",     "numatune",
        "resource",  "sysinfo", "bootloader",    "bootloader_args", "os",          "idmap",
        "features",
};

static bool is_before_cpu(const xmlNode *n)
{
	for (size_t i = 0; i < sizeof(before_cpu) / sizeof(before_cpu[0]); i++)
		if (!strcmp((const char *)n->name, before_cpu[i]))
			return true;
	return false;
}

/* The <cpu> element as text for a file whose <domain> children are indented
 * by base: libvirt's two-space levels become levels of base (which may be
 * tabs or four spaces), every line starts with base, and the text ends with
 * a newline.  "" when there is nothing to write. */
static char *render(const struct cs_cpudef *def, const char *base)
{
	char *flat = cs_cpudef_format(def, 0);
	const char *unit = *base ? base : "  ";
	struct cs_buf b = {0};
	const char *line = flat;

	if (!*flat)
		return flat;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = strspn(line, " ");

		cs_buf_add(&b, base);
		for (size_t l = 0; l < n / 2; l++)
			cs_buf_add(&b, unit);
		if (n % 2)
			cs_buf_add(&b, " ");
		line += n;
		if (!nl) {
			cs_buf_add(&b, line);
			cs_buf_add(&b, "\n");
			break;
		}
		cs_buf_addn(&b, line, (size_t)(nl + 1 - line));
		line = nl + 1;
	}
	free(flat);
	return cs_buf_detach(&b);
}

/* The file's line ending: "\r\n" when its first line ends so, else "\n". */
static const char *line_ending(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);

	return nl && nl > buf && nl[-1] == '\r' ? "\r\n" : "\n";
}

/* text (a rendering with "\n" line ends) with eol at each line end. */
static char *with_line_ending(char *text, const char *eol)
{
	struct cs_buf b = {0};

	if (!strcmp(eol, "\n"))
		return text;
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			cs_buf_add(&b, eol);
		else
			cs_buf_addn(&b, p, 1);
	}
	free(text);
	return b.s ? cs_buf_detach(&b) : cs_xstrdup("");
}

/* True when the text is in an encoding whose bytes are not ASCII's
 * (UTF-16, UCS-4, EBCDIC): the new <cpu>, in ASCII, cannot be spliced in. */
static bool ascii_incompatible(const char *buf, size_t len)
{
	xmlCharEncoding enc = len >= 4 ? xmlDetectCharEncoding((const unsigned char *)buf, 4)
	                               : XML_CHAR_ENCODING_NONE;

	return enc != XML_CHAR_ENCODING_NONE && enc != XML_CHAR_ENCODING_UTF8;
}

int cs_domain_set_cpu(const char *buf, size_t len, const char *name, const struct cs_cpudef *def,
                      char **out, size_t *out_len, struct cs_error *err)
{
	xmlDocPtr doc;
	xmlNode *root, *cpu = NULL, *after = NULL, *first = NULL;
	struct cs_xml_spans spans = {0};
	const struct cs_xml_span *sp;
	struct cs_buf b = {0};
	char *indent = NULL, *text = NULL;
	const char *eol;
	int ret = -1;

	*out = NULL;
	*out_len = 0;
	doc = cs_xml_parse_domain(buf, len, name, err);
	if (!doc)
		return -1;
	if (ascii_incompatible(buf, len)) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, 0,
		             "cannot rewrite a domain XML in UTF-16, UCS-4 or EBCDIC in place; "
		             "convert it to UTF-8 first (iconv)");
		goto out;
	}
	eol = line_ending(buf, len);
	root = xmlDocGetRootElement(doc);
	if (cs_xml_spans_find(&spans, root, buf, len) < 0) {
		cs_error_set(err, CS_ERR_SYNTAX, name, 0, "cannot locate the elements of %s", name);
		goto out;
	}
	for (xmlNode *c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!first)
			first = c;
		if (!cpu && cs_xml_is(c, "cpu"))
			cpu = c;
		if (is_before_cpu(c))
			after = c;
	}

	sp = cs_xml_spans_get(&spans, cpu ? cpu : after ? after : first ? first : root);
	if (!sp) {
		/* cs_xml_spans_find() pairs every element, so this is not reached */
		cs_error_set(err, CS_ERR_SYNTAX, name, 0, "cannot locate the elements of %s", name);
		goto out;
	}
	if (cpu) {
		size_t start = sp->start, end = sp->end;

		indent = cs_xml_line_indent(buf, start);
		text = with_line_ending(render(def, indent ? indent : "  "), eol);
		if (!*text) {
			/* Nothing left to say: drop the element, and its line when
			 * it had one to itself. */
			if (indent && end < len && buf[end] == '\n') {
				start -= strlen(indent);
				end++;
			} else if (indent && end + 1 < len && !memcmp(buf + end, "\r\n", 2)) {
				start -= strlen(indent);
				end += 2;
			}
			cs_buf_addn(&b, buf, start);
		} else {
			/* The source keeps its own indentation before the
			 * element and its own line break after it. */
			size_t skip = indent ? strlen(indent) : strspn(text, " "),
			       tl = strlen(text);

			cs_buf_addn(&b, buf, start);
			cs_buf_addn(&b, text + skip, tl - skip - strlen(eol));
		}
		cs_buf_addn(&b, buf + end, len - end);
	} else {
		const xmlNode *anchor = after ? after : first;

		indent = anchor ? cs_xml_line_indent(buf, sp->start) : NULL;
		if (!indent)
			indent = cs_xstrdup("  ");
		text = with_line_ending(render(def, indent), eol);
		if (!*text) {
			cs_buf_addn(&b, buf, len);
		} else if (after) {
			size_t tl = strlen(text);

			cs_buf_addn(&b, buf, sp->end);
			cs_buf_add(&b, eol);
			cs_buf_addn(&b, text, tl - strlen(eol));
			cs_buf_addn(&b, buf + sp->end, len - sp->end);
		} else if (first) {
			size_t skip = strlen(indent);

			cs_buf_addn(&b, buf, sp->start);
			cs_buf_add(&b, text + skip);
			cs_buf_add(&b, indent);
			cs_buf_addn(&b, buf + sp->start, len - sp->start);
		} else {
			/* <domain .../> or a domain without children: before </domain>. */
			const char *close = NULL;

			for (size_t i = sp->end; i-- > sp->start;) {
				if (buf[i] == '<') {
					close = buf + i;
					break;
				}
			}
			if (!close || close[1] != '/') {
				cs_error_set(err, CS_ERR_UNSUPPORTED, name, cs_xml_line(root),
				             "cannot add a <cpu> to an empty <domain/> element");
				goto out;
			}
			cs_buf_addn(&b, buf, (size_t)(close - buf));
			cs_buf_add(&b, eol);
			cs_buf_add(&b, text);
			cs_buf_addn(&b, close, len - (size_t)(close - buf));
		}
	}
	*out_len = b.len;
	*out = cs_buf_detach(&b);
	ret = 0;
out:
	free(b.s);
	free(text);
	free(indent);
	cs_xml_spans_release(&spans);
	xmlFreeDoc(doc);
	return ret;
}

int cs_domain_apply_file(const char *path, const struct cs_cpudef *def, struct cs_error *err)
{
	char *buf = NULL, *out = NULL;
	size_t len = 0, out_len = 0;
	int ret = -1;

	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return -1;
	if (cs_domain_set_cpu(buf, len, path, def, &out, &out_len, err) < 0)
		goto out;
	if (cs_write_file_atomic(path, out, out_len, err) < 0)
		goto out;
	ret = 0;
out:
	free(buf);
	free(out);
	return ret;
}

int cs_domain_get_cpu(const struct cs_map *map, const char *buf, size_t len, const char *name,
                      struct cs_cpudef **out, struct cs_error *err)
{
	struct cs_cpudef **defs = NULL;
	size_t n = 0;
	xmlDocPtr doc;
	xmlNode *root;
	bool has_cpu = false;

	*out = NULL;
	doc = cs_xml_parse_domain(buf, len, name, err);
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	for (xmlNode *c = root->children; c; c = c->next)
		if (cs_xml_is(c, "cpu"))
			has_cpu = true;
	xmlFreeDoc(doc);
	if (!has_cpu)
		return 0;
	if (cs_cpudef_parse(map, buf, len, name, CS_CPUDEF_AS_GUEST | CS_CPUDEF_FIRST, &defs, &n,
	                    err) < 0)
		return -1;
	*out = defs[0];
	defs[0] = NULL;
	cs_cpudef_list_free(defs, n);
	return 0;
}

void cs_cpudef_keep_layout(struct cs_cpudef *def, const struct cs_cpudef *old)
{
	if (!def->has_topology && old->has_topology) {
		def->has_topology = true;
		def->sockets = old->sockets;
		def->dies = old->dies;
		def->clusters = old->clusters;
		def->cores = old->cores;
		def->threads = old->threads;
	}
	for (size_t i = 0; i < old->nraw; i++) {
		const struct cs_cpu_raw *r = &old->raw[i];
		bool have = false;

		for (size_t j = 0; j < def->nraw && !have; j++)
			have = !strcmp(def->raw[j].name, r->name);
		if (have)
			continue;
		def->raw = cs_xreallocarray(def->raw, def->nraw + 1, sizeof(*def->raw));
		def->raw[def->nraw] = *r;
		def->raw[def->nraw].name = cs_xstrdup(r->name);
		def->raw[def->nraw].text = cs_xstrdup(r->text);
		def->raw[def->nraw].indent = cs_xstrdup(r->indent);
		def->nraw++;
	}
}
