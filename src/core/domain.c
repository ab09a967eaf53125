/* domain.c: write a guest <cpu> into domain XML, leaving every other byte as it was */
#include "cpuscope/guest.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "cpudef_int.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/xalloc.h"
#include "xmlsafe.h"

/* The children libvirt writes before <cpu> in a domain, in its order. */
static const char *const before_cpu[] = {
	"name",	       "uuid",	       "genid",	  "title",     "description",
	"metadata",    "maxMemory",    "memory",  "currentMemory", "blkiotune",
	"memtune",     "memoryBacking", "vcpu",   "vcpus",     "iothreads",
	"iothreadids", "cputune",      "numatune", "resource", "sysinfo",
	"bootloader",  "bootloader_args", "os",   "idmap",     "features",
};

static bool is_before_cpu(const xmlNode *n)
{
	for (size_t i = 0; i < sizeof(before_cpu) / sizeof(before_cpu[0]); i++)
		if (!strcmp((const char *)n->name, before_cpu[i]))
			return true;
	return false;
}

static void attach(xmlNode *node, struct xml_span *spans, size_t n, size_t *k, bool *ok)
{
	for (; node && *ok; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (*k >= n) {
			*ok = false;
			return;
		}
		node->_private = &spans[(*k)++];
		attach(node->children, spans, n, k, ok);
	}
}

/* Indentation as a number of columns (tabs count as 8). */
static unsigned indent_width(const char *indent)
{
	unsigned w = 0;

	for (; indent && *indent; indent++)
		w = *indent == '\t' ? (w / 8 + 1) * 8 : w + 1;
	return w;
}

int cs_domain_set_cpu(const char *buf, size_t len, const char *name, const struct cs_cpudef *def,
		      char **out, size_t *out_len, struct cs_error *err)
{
	xmlDocPtr doc;
	xmlNode *root, *cpu = NULL, *after = NULL, *first = NULL;
	struct xml_span *spans = NULL;
	struct sbuf b = { 0 };
	char *indent = NULL, *text = NULL;
	long nspans;
	size_t k = 0;
	bool ok = true;
	int ret = -1;

	*out = NULL;
	*out_len = 0;
	doc = cs_xml_parse(buf, len, name, err);
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (!cs_xml_is(root, "domain")) {
		cs_error_set(err, CS_ERR_INVALID, name, cs_xml_line(root),
			     "not a domain XML: the root element is <%s>, not <domain>",
			     (const char *)root->name);
		goto out;
	}
	nspans = xml_scan_elements(buf, len, &spans);
	if (nspans >= 0)
		attach(root, spans, (size_t)nspans, &k, &ok);
	if (nspans < 0 || !ok || k != (size_t)nspans) {
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

	if (cpu) {
		const struct xml_span *sp = cpu->_private;
		size_t start = sp->start, end = sp->end;

		indent = xml_line_indent(buf, start);
		text = cs_cpudef_format(def, indent_width(indent ? indent : "  "));
		if (!*text) {
			/* Nothing left to say: drop the element, and its line when
			 * it had one to itself. */
			if (indent && end < len && buf[end] == '\n') {
				start -= strlen(indent);
				end++;
			}
			sbuf_addn(&b, buf, start);
		} else {
			/* The source keeps its own indentation before the
			 * element and its own line break after it. */
			size_t skip = strspn(text, " "), tl = strlen(text);

			sbuf_addn(&b, buf, start);
			sbuf_addn(&b, text + skip, tl - skip - 1);
		}
		sbuf_addn(&b, buf + end, len - end);
	} else {
		const xmlNode *anchor = after ? after : first;
		const struct xml_span *sp = anchor ? anchor->_private : root->_private;

		indent = anchor ? xml_line_indent(buf, sp->start) : NULL;
		if (!indent)
			indent = cs_xstrdup("  ");
		text = cs_cpudef_format(def, indent_width(indent));
		if (!*text) {
			sbuf_addn(&b, buf, len);
		} else if (after) {
			size_t tl = strlen(text);

			sbuf_addn(&b, buf, sp->end);
			sbuf_add(&b, "\n");
			sbuf_addn(&b, text, tl - 1);
			sbuf_addn(&b, buf + sp->end, len - sp->end);
		} else if (first) {
			size_t skip = strspn(text, " ");

			sbuf_addn(&b, buf, sp->start);
			sbuf_add(&b, text + skip);
			sbuf_add(&b, indent);
			sbuf_addn(&b, buf + sp->start, len - sp->start);
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
			sbuf_addn(&b, buf, (size_t)(close - buf));
			sbuf_add(&b, "\n");
			sbuf_add(&b, text);
			sbuf_addn(&b, close, len - (size_t)(close - buf));
		}
	}
	*out_len = b.len;
	*out = sbuf_take(&b);
	ret = 0;
out:
	free(b.s);
	free(text);
	free(indent);
	free(spans);
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
