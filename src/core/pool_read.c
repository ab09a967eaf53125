/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_read.c: every host CPU of a file, read once with libxml2's SAX2 parser */
#include "pool_int.h"

#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpudef_int.h"
#include "cpuscope/fileio.h"
#include "cpuscope/host.h"
#include "cpuscope/xalloc.h"
#include "pool_pipe.h"
#include "saxtree.h"

/* virsh wraps a file's text in an element of its own, so a file may hold
 * several top-level elements; so does the reader.  The name never shows in
 * a message: errors naming it are said in the file's own terms. */
#define WRAP       "cpuscope-hosts"
#define HEAD_BYTES (64u * 1024u)
/* The file is read in chunks of this size: each is checked once (NUL
 * bytes, DTDs), then handed to libxml2 in the pieces it asks for.  A file
 * read on one thread takes smaller ones: every page of a chunk is a page
 * fault once, which costs more there than the reads it saves. */
#define CHUNK_BYTES       (256u * 1024u)
#define SMALL_CHUNK_BYTES (32u * 1024u)
/* Largest tree one <cpu> element may take (a host's is a few KiB). */
#define MAX_CPU_TREE (64u * 1024u * 1024u)
/* The CPUs read are handed over once this many bytes of the file were
 * read, if not before (for progress). */
#define BATCH_BYTES (1024u * 1024u)
/* A file this large (or of unknown size) is read on a thread of its own
 * while its CPUs are parsed: a smaller one is done before the thread
 * would pay for itself. */
#define THREAD_BYTES (8u * 1024u * 1024u)

enum act { ACT_SKIP, ACT_DESCEND, ACT_CPU, ACT_CPUDATA, ACT_NAME };
enum top { TOP_NONE, TOP_DOMAIN, TOP_CAPS, TOP_DOMCAPS, TOP_HOST, TOP_DCPU };

struct rd {
	struct cs_stream *s;
	const char *name;
	int fd;
	char *head; /* the first bytes of the file, read to detect its kind */
	size_t head_len, head_off;
	int state;      /* 0 the wrapper's start tag, 1 the file, 2 its end tag, 3 done */
	size_t emitted; /* bytes of the wrapper's tag handed over */
	unsigned long long bytes, total;
	unsigned lines; /* newlines in the bytes handed to libxml2 */
	char tail[8];   /* the last bytes of the previous chunk */
	size_t tail_len;
	char *chunk; /* chunk_size bytes read from the file, checked */
	size_t chunk_size, chunk_len, chunk_off;
	/* The reading thread's errors: what stopped reading (NUL, DTD, size,
	 * read error), and libxml2's. */
	struct cs_error io;
	struct cs_error xml;
	/* The taking thread's: a CPU's own error, and a cancel. */
	struct cs_error *err;
	struct cs_error cancel;
	xmlParserCtxtPtr ctxt;
	struct cs_pipe *pipe;        /* CPU trees go to its batches */
	size_t tree_base;            /* where the <cpu> being read starts in the arena */
	unsigned long long pushed;   /* bytes read when a batch was last handed over */
	unsigned long long reported; /* bytes last reported as progress (taker) */
	char *host_name;             /* the <name> of the domain being read, or NULL */
	/* Where the parser is: the element depth (the wrapper is 0), what the
	 * elements above are, the element whose subtree is skipped or built
	 * (-1 when none). */
	int depth, skip_depth, build_depth;
	enum top stack[4];
	enum act build_act;
	enum cs_cpu_origin origin;
	bool done; /* CS_CPUDEF_FIRST and the first CPU taken */
};

/* ---- the bytes libxml2 reads ------------------------------------------------ */

static unsigned count_lines(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80, low = ones * 0x7f;
	unsigned c = 0;
	size_t i = 0;

#ifdef __SSE2__
	/* sixteen bytes at a time: each newline subtracts -1 from its byte's
	 * counter, and the counters are added up before they can overflow */
	while (i + 16 <= n) {
		const __m128i nl = _mm_set1_epi8('\n');
		__m128i acc = _mm_setzero_si128(), sums;

		for (unsigned k = 0; k < 255 && i + 16 <= n; k++, i += 16)
			acc = _mm_sub_epi8(
			        acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), nl));
		sums = _mm_sad_epu8(acc, _mm_setzero_si128());
		c += (unsigned)_mm_cvtsi128_si32(sums) + (unsigned)_mm_extract_epi16(sums, 4);
	}
#endif
	/* eight bytes at a time: a byte's high bit ends up set exactly when
	 * it was a newline, and a multiplication adds the eight bits up */
	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		w ^= ones * '\n';
		w = ~(((w & low) + low) | w) & high;
		c += (unsigned)(((w >> 7) * ones) >> 56);
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

bool cs_stream_progress(struct cs_stream *s, unsigned long long bytes, unsigned long long total)
{
	struct cs_pool_progress pr = {s->hosts, bytes, total, s->name};

	if (!s->progress)
		return true;
	return s->progress(&pr, s->opaque);
}

/* Check a chunk of the file before libxml2 sees it: no NUL byte, no
 * document type declaration, the size limit.  false with r->io set. */
static bool check_chunk(struct rd *r, const char *p, size_t n)
{
	static const char dt[] = "<!DOCTYPE";
	char join[2 * sizeof(r->tail)];
	const char *q;
	size_t k;

	if ((q = memchr(p, '\0', n)) != NULL) {
		cs_error_set(&r->io, CS_ERR_SYNTAX, r->name,
		             r->lines + 1 + count_lines(p, (size_t)(q - p)),
		             "malformed XML: NUL byte (not allowed in XML)");
		return false;
	}
	k = n < sizeof(r->tail) ? n : sizeof(r->tail);
	memcpy(join, r->tail, r->tail_len);
	memcpy(join + r->tail_len, p, k);
	/* '!' is rare in these files: the whole chunk is searched only when
	 * one is there */
	q = memchr(p, '!', n) ? memmem(p, n, dt, sizeof(dt) - 1) : NULL;
	if (q || memmem(join, r->tail_len + k, dt, sizeof(dt) - 1)) {
		cs_error_set(&r->io, CS_ERR_SECURITY, r->name,
		             r->lines + 1 + (q ? count_lines(p, (size_t)(q - p)) : 0),
		             "document type declarations (DTDs, entities) are not allowed");
		return false;
	}
	memcpy(r->tail, p + n - k, k);
	r->tail_len = k;
	r->bytes += n;
	r->lines += count_lines(p, n);
	if (r->bytes > CS_POOL_MAX_FILE) {
		cs_error_set(&r->io, CS_ERR_SECURITY, r->name, 0, "file too large (limit %u bytes)",
		             CS_POOL_MAX_FILE);
		return false;
	}
	cs_pipe_batch(r->pipe)->bytes = r->bytes;
	return true;
}

/* Hand libxml2 the rest of text (from r->emitted on); true when it is all
 * handed. */
static bool emit(struct rd *r, char *buf, int len, const char *text, int *n)
{
	size_t k = strlen(text) - r->emitted;

	if (k > (size_t)len)
		k = (size_t)len;
	memcpy(buf, text + r->emitted, k);
	r->emitted += k;
	*n = (int)k;
	if (r->emitted < strlen(text))
		return false;
	r->emitted = 0;
	return true;
}

static int io_read(void *ctx, char *buf, int len)
{
	struct rd *r = ctx;
	ssize_t n;
	int k;

	if (cs_pipe_stopped(r->pipe))
		return -1;
	switch (r->state) {
	case 0:
		if (emit(r, buf, len, "<" WRAP ">", &k))
			r->state = 1;
		return k;
	case 1:
		if (r->head_off < r->head_len) {
			size_t h = r->head_len - r->head_off;

			if (h > (size_t)len)
				h = (size_t)len;
			memcpy(buf, r->head + r->head_off, h);
			r->head_off += h;
			return check_chunk(r, buf, h) ? (int)h : -1;
		}
		if (r->chunk_off == r->chunk_len) {
			/* between CPUs: the progress so far goes to the taker */
			if (r->build_depth < 0 && r->bytes - r->pushed >= BATCH_BYTES) {
				cs_pipe_push(r->pipe);
				r->pushed = r->bytes;
			}
			if (!r->chunk)
				r->chunk = cs_xmalloc(r->chunk_size);
			do
				n = read(r->fd, r->chunk, r->chunk_size);
			while (n < 0 && errno == EINTR);
			if (n < 0) {
				cs_error_set(&r->io, CS_ERR_IO, r->name, 0, "cannot read: %s",
				             strerror(errno));
				return -1;
			}
			if (n > 0 && !check_chunk(r, r->chunk, (size_t)n))
				return -1;
			r->chunk_len = (size_t)n;
			r->chunk_off = 0;
		}
		if (r->chunk_len) {
			size_t h = r->chunk_len - r->chunk_off;

			if (h > (size_t)len)
				h = (size_t)len;
			memcpy(buf, r->chunk + r->chunk_off, h);
			r->chunk_off += h;
			return (int)h;
		}
		r->state = 2;
		return io_read(ctx, buf, len); /* the end tag */
	case 2:
		if (emit(r, buf, len, "</" WRAP ">", &k))
			r->state = 3;
		return k;
	default:
		r->state = 3;
		return 0;
	}
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* libxml2's errors, said without the wrapper element. */
static void xml_error(void *ctx, xmlErrorPtr e)
{
	struct rd *r = ((xmlParserCtxtPtr)ctx)->_private;
	char msg[400];
	size_t n;

	if (!e || e->level < XML_ERR_ERROR || cs_error_isset(&r->xml))
		return;
	if (e->code == XML_ERR_TAG_NAME_MISMATCH && e->str2 && !strcmp(e->str2, WRAP))
		snprintf(msg, sizeof(msg), "<%s> (line %d) is not closed at the end of the file",
		         e->str1 ? e->str1 : "?", e->int1);
	else if (e->message && strstr(e->message, WRAP))
		snprintf(msg, sizeof(msg), "unexpected end of the file");
	else
		snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	cs_error_setc(&r->xml, CS_ERR_SYNTAX, r->name, e->line > 0 ? (unsigned)e->line : 0,
	              e->int2 > 0 ? (unsigned)e->int2 : 0, "malformed XML: %s", msg);
	xmlStopParser(r->ctxt);
}

/* ---- the elements that are CPUs ------------------------------------------- */

/* SAX2 gives an element's attributes as (name, prefix, URI, value, end). */
static bool attr_is(const xmlChar **attrs, int n, const char *name, const char *value)
{
	size_t len = strlen(value);

	for (int i = 0; i < n; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (!a[1] && !strcmp((const char *)a[0], name))
			return (size_t)(a[4] - a[3]) == len && !memcmp(a[3], value, len);
	}
	return false;
}

/* What to do with an element at depth d (1 = a top-level element of the
 * file) under the elements stack[1..d-1]; r->origin for a CPU. */
static enum act classify(struct rd *r, const char *n, int d, const xmlChar **attrs, int nattrs)
{
	enum top *stack = r->stack;

	if (d == 1) {
		stack[1] = TOP_NONE;
		if (!strcmp(n, "cpu"))
			return r->origin = CS_CPU_ORIGIN_BARE, ACT_CPU;
		if (!strcmp(n, "cpudata"))
			return ACT_CPUDATA;
		if (!strcmp(n, "domain"))
			stack[1] = TOP_DOMAIN;
		else if (!strcmp(n, "capabilities"))
			stack[1] = TOP_CAPS;
		else if (!strcmp(n, "domainCapabilities"))
			stack[1] = TOP_DOMCAPS;
		return stack[1] == TOP_NONE ? ACT_SKIP : ACT_DESCEND;
	}
	if (d == 2 && stack[1] == TOP_DOMAIN) {
		if (!strcmp(n, "cpu"))
			return r->origin = CS_CPU_ORIGIN_DOMAIN, ACT_CPU;
		return !strcmp(n, "name") ? ACT_NAME : ACT_SKIP;
	}
	if (d == 2 && (stack[1] == TOP_CAPS || stack[1] == TOP_DOMCAPS)) {
		bool caps = stack[1] == TOP_CAPS;

		if (strcmp(n, caps ? "host" : "cpu") != 0)
			return ACT_SKIP;
		stack[2] = caps ? TOP_HOST : TOP_DCPU;
		return ACT_DESCEND;
	}
	if (d == 3 && stack[2] == TOP_HOST && !strcmp(n, "cpu"))
		return r->origin = CS_CPU_ORIGIN_CAPS, ACT_CPU;
	if (d == 3 && stack[2] == TOP_DCPU && !strcmp(n, "mode") &&
	    attr_is(attrs, nattrs, "name", "host-model") &&
	    attr_is(attrs, nattrs, "supported", "yes"))
		return r->origin = CS_CPU_ORIGIN_DOMCAPS, ACT_CPU;
	return ACT_SKIP;
}

/* Raw CPU data: decoded as virsh capabilities would show that host. */
static struct cs_cpudef *raw_cpu(const struct cs_map *map, const char *buf, size_t len,
                                 const char *name, struct cs_error *err)
{
	struct cs_host *host = cs_host_parse(map, buf, len, name, err);
	struct cs_cpudef *cpu = NULL;
	struct cs_decoded dec;

	if (!host)
		return NULL;
	if (!host->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, 0,
		             "the CPU map has no section for architecture %s",
		             host->arch_name ? host->arch_name : "?");
	} else if (cs_host_decode(host, &dec, err) == 0) {
		if (dec.model < 0)
			cs_error_set(err, CS_ERR_UNSUPPORTED, name, 0,
			             "no CPU model of the map fits this host");
		else
			cpu = cs_cpudef_from_decoded(map, host->arch, &dec);
	}
	cs_host_free(host);
	return cpu;
}

static int hand(struct cs_stream *s, struct cs_cpudef *def, struct cs_error *err)
{
	if (!def)
		return -1;
	s->hosts++;
	return s->fn(s, def, err);
}

/* ---- the reading thread: elements into batches ------------------------------ */

static struct cs_saxtree *tree_of(struct rd *r)
{
	return &cs_pipe_batch(r->pipe)->tree;
}

/* The element just read: a host's name is kept for the CPUs that follow,
 * a CPU goes into the batch (a <cpudata> as its text). */
static void produce(struct rd *r, xmlNode *node)
{
	struct cs_pipe_item *it;

	if (r->build_act == ACT_NAME) {
		xmlChar *t = xmlNodeGetContent(node);

		free(r->host_name);
		r->host_name = t && *t ? cs_xstrdup((const char *)t) : NULL;
		xmlFree(t);
		return;
	}
	it = cs_pipe_add(r->pipe);
	it->act = r->build_act;
	it->origin = r->origin;
	it->host_name = r->host_name ? cs_xstrdup(r->host_name) : NULL;
	if (r->build_act == ACT_CPUDATA) {
		xmlBufferPtr b = xmlBufferCreate();

		xmlNodeDump(b, node->doc, node, 0, 0);
		it->text_len = (size_t)xmlBufferLength(b);
		it->text = cs_xmalloc(it->text_len + 1);
		memcpy(it->text, xmlBufferContent(b), it->text_len);
		it->text[it->text_len] = '\0';
		xmlBufferFree(b);
	} else {
		it->root = node;
	}
}

/* The SAX2 events.  A <cpu> element is built into a tree in the batch's
 * arena; a domain's <name> and a <cpudata> by libxml2's own tree builder,
 * one at a time, and freed once read; every other element costs its
 * parsing and a few comparisons. */
static struct rd *rd_of(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

static long line_of(void *ctx)
{
	xmlParserCtxtPtr ctxt = ctx;

	return ctxt->input ? ctxt->input->line : 0;
}

static void cpu_start(struct rd *r, void *ctx, const xmlChar *name, const xmlChar *prefix,
                      const xmlChar *uri, int nattrs, const xmlChar **attrs)
{
	struct cs_saxtree *t = tree_of(r);

	if (!t->cur)
		r->tree_base = t->bytes;
	cs_saxtree_start(t, name, prefix, uri, nattrs, attrs, line_of(ctx));
	if (t->bytes - r->tree_base > MAX_CPU_TREE) {
		cs_error_set(&r->io, CS_ERR_SECURITY, r->name, (unsigned)line_of(ctx),
		             "a <cpu> element larger than %u MiB", MAX_CPU_TREE >> 20);
		xmlStopParser(ctx);
	}
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndef, const xmlChar **attrs)
{
	struct rd *r = rd_of(ctx);
	int d = r->depth++;
	enum act a;

	if (r->build_depth >= 0 && r->build_act == ACT_CPU) {
		cpu_start(r, ctx, name, prefix, uri, nattrs, attrs);
		return;
	}
	if (r->build_depth >= 0) {
		xmlSAX2StartElementNs(ctx, name, prefix, uri, nns, ns, nattrs, ndef, attrs);
		return;
	}
	if (r->skip_depth >= 0 || r->done || d < 1)
		return;
	if (d == 1) {
		free(r->host_name);
		r->host_name = NULL;
	}
	a = d < 4 ? classify(r, (const char *)name, d, attrs, nattrs) : ACT_SKIP;
	if (a == ACT_DESCEND)
		return;
	if (a == ACT_SKIP) {
		r->skip_depth = d;
		return;
	}
	r->build_depth = d;
	r->build_act = a;
	if (a == ACT_CPU)
		cpu_start(r, ctx, name, prefix, uri, nattrs, attrs);
	else
		xmlSAX2StartElementNs(ctx, name, prefix, uri, nns, ns, nattrs, ndef, attrs);
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	struct rd *r = rd_of(ctx);
	xmlParserCtxtPtr ctxt = ctx;
	int d = --r->depth;
	xmlNode *node;

	if (r->skip_depth == d)
		r->skip_depth = -1;
	if (r->build_depth < 0)
		return;
	if (r->build_act == ACT_CPU) {
		cs_saxtree_end(tree_of(r));
		node = tree_of(r)->root;
	} else {
		xmlSAX2EndElementNs(ctx, name, prefix, uri);
		node = xmlDocGetRootElement(ctxt->myDoc);
	}
	if (d != r->build_depth)
		return;
	r->build_depth = -1;
	if (!node)
		return;
	if (r->build_act != ACT_CPU)
		xmlUnlinkNode(node);
	produce(r, node);
	if (r->build_act != ACT_CPU)
		xmlFreeNode(node);
	else if (r->s->flags & CS_CPUDEF_FIRST)
		r->done = true;
	if (cs_pipe_full(r->pipe)) {
		cs_pipe_push(r->pipe);
		r->pushed = r->bytes;
	}
	if (cs_pipe_stopped(r->pipe))
		xmlStopParser(ctxt);
}

/* Whether events go to the <cpu> tree (1), to libxml2's builder (0), or
 * nowhere (-1). */
static int building(void *ctx)
{
	struct rd *r = rd_of(ctx);

	return r->build_depth < 0 ? -1 : r->build_act == ACT_CPU;
}

static void on_text(void *ctx, const xmlChar *text, int len)
{
	int b = building(ctx);

	if (b > 0)
		cs_saxtree_text(tree_of(rd_of(ctx)), text, len);
	else if (b == 0)
		xmlSAX2Characters(ctx, text, len);
}

static void on_cdata(void *ctx, const xmlChar *text, int len)
{
	int b = building(ctx);

	if (b > 0) {
		xmlChar *t = xmlStrndup(text, len);
		cs_saxtree_other(tree_of(rd_of(ctx)), XML_CDATA_SECTION_NODE, NULL, t);
		xmlFree(t);
	} else if (b == 0) {
		xmlSAX2CDataBlock(ctx, text, len);
	}
}

static void on_comment(void *ctx, const xmlChar *text)
{
	int b = building(ctx);

	if (b > 0)
		cs_saxtree_other(tree_of(rd_of(ctx)), XML_COMMENT_NODE, NULL, text);
	else if (b == 0)
		xmlSAX2Comment(ctx, text);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	int b = building(ctx);

	if (b > 0)
		cs_saxtree_other(tree_of(rd_of(ctx)), XML_PI_NODE, target, data);
	else if (b == 0)
		xmlSAX2ProcessingInstruction(ctx, target, data);
}

static void on_reference(void *ctx, const xmlChar *name)
{
	if (building(ctx) == 0)
		xmlSAX2Reference(ctx, name);
}

/* The reading thread: the whole file through libxml2.  Its errors stay in
 * r->io and r->xml. */
static int read_xml(struct cs_pipe *pipe, void *ctx)
{
	struct rd *r = ctx;
	xmlSAXHandler sax;
	int rc;

	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_cdata;
	sax.comment = on_comment;
	sax.processingInstruction = on_pi;
	sax.reference = on_reference;
	sax.serror = xml_error;
	sax.warning = NULL;
	sax.error = NULL;
	sax.fatalError = NULL;
	r->pipe = pipe;
	r->skip_depth = r->build_depth = -1;
	r->ctxt = xmlCreateIOParserCtxt(&sax, NULL, io_read, io_close, r, XML_CHAR_ENCODING_NONE);
	if (!r->ctxt) {
		cs_error_set(&r->io, CS_ERR_IO, r->name, 0, "cannot create XML parser");
		return -1;
	}
	r->ctxt->_private = r;
	/* Blank text between elements is not built: a streamed CPU keeps none
	 * of its text verbatim (an element holding only blanks keeps them). */
	xmlCtxtUseOptions(r->ctxt, XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES |
	                                   XML_PARSE_NOBLANKS);
	r->ctxt->linenumbers = 1;
	/* No attribute is an ID here: libxml2 need not look each one up. */
	r->ctxt->loadsubset |= XML_SKIP_IDS;
	rc = xmlParseDocument(r->ctxt);
	return rc < 0 || !r->ctxt->wellFormed ? -1 : 0;
}

/* The taking thread: the progress (the bytes read when the batch was
 * handed over), then each CPU of the batch parsed and handed on; false on
 * a cancel or the first error. */
static bool take_batch(struct cs_pipe_batch *b, void *ctx)
{
	struct rd *r = ctx;
	struct cs_stream *s = r->s;

	if (b->bytes != r->reported) {
		r->reported = b->bytes;
		if (!cs_stream_progress(s, b->bytes, r->total)) {
			cs_error_set(&r->cancel, CS_ERR_IO, r->name, 0, "reading cancelled");
			s->cancelled = true;
			return false;
		}
	}
	for (size_t i = 0; i < b->n; i++) {
		struct cs_pipe_item *it = &b->items[i];
		struct cs_cpudef *def;

		free(s->host_name);
		s->host_name = it->host_name;
		it->host_name = NULL;
		if (it->act == ACT_CPUDATA)
			def = raw_cpu(s->map, it->text, it->text_len, r->name, r->err);
		else
			def = cs_cpudef_parse_node(s->map, r->name, s->flags, it->root,
			                           (enum cs_cpu_origin)it->origin, r->err);
		if (hand(s, def, r->err) < 0)
			return false;
	}
	return true;
}

/* The file read, on a thread of its own when it is large, while its CPUs
 * are taken here. */
static int walk(struct rd *r, struct cs_error *err)
{
	bool threaded;
	int rc;

	xmlInitParser();
	r->err = err;
	threaded = !r->total || r->total >= THREAD_BYTES;
	r->chunk_size = threaded ? CHUNK_BYTES : SMALL_CHUNK_BYTES;
	rc = cs_pipe_run(threaded, read_xml, r, take_batch, r);
	if (cs_error_isset(err))
		return -1;
	if (cs_error_isset(&r->cancel)) {
		*err = r->cancel;
		return -1;
	}
	if (rc < 0 || cs_error_isset(&r->io) || cs_error_isset(&r->xml)) {
		if (cs_error_isset(&r->io))
			*err = r->io;
		else if (cs_error_isset(&r->xml))
			*err = r->xml;
		else
			cs_error_set(err, CS_ERR_SYNTAX, r->name, 0, "malformed XML");
		return -1;
	}
	return 0;
}

/* ---- a whole file ----------------------------------------------------------- */

/* The first bytes of the file (up to HEAD_BYTES, fewer at its end). */
static int read_head(struct rd *r, struct cs_error *err)
{
	r->head = cs_xmalloc(HEAD_BYTES + 1);
	while (r->head_len < HEAD_BYTES) {
		ssize_t n = read(r->fd, r->head + r->head_len, HEAD_BYTES - r->head_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cs_error_set(err, CS_ERR_IO, r->name, 0, "cannot read: %s",
			             strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		r->head_len += (size_t)n;
	}
	r->head[r->head_len] = '\0';
	return 0;
}

/* A byte order mark and an XML declaration are blanked (newlines kept),
 * as virsh drops the declaration before wrapping the text. */
static void blank_declaration(struct rd *r)
{
	char *p = r->head, *end = r->head + r->head_len, *q;

	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		memset(p, ' ', 3);
		p += 3;
	}
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (end - p < 5 || memcmp(p, "<?xml", 5) != 0)
		return;
	q = memmem(p, (size_t)(end - p), "?>", 2);
	if (!q)
		return;
	for (; p < q + 2; p++)
		if (*p != '\n')
			*p = ' ';
}

/* Text CPU data (cpuid -r, cpuinfo): read whole, within CS_MAX_FILE_SIZE. */
static int read_text(struct rd *r, struct cs_error *err)
{
	char *rest = NULL, *all;
	size_t len = 0;
	int rc;

	if (cs_read_fd(r->fd, r->name, 0, CS_MAX_FILE_SIZE - r->head_len, &rest, &len, err) < 0)
		return -1;
	all = cs_xmalloc(r->head_len + len + 1);
	memcpy(all, r->head, r->head_len);
	memcpy(all + r->head_len, rest, len);
	all[r->head_len + len] = '\0';
	free(rest);
	r->s->hosts = 0;
	rc = hand(r->s, raw_cpu(r->s->map, all, r->head_len + len, r->name, err), err);
	free(all);
	if (rc == 0)
		cs_stream_progress(r->s, r->head_len + len, r->head_len + len);
	return rc;
}

long cs_stream_read(struct cs_stream *s, const char *path, struct cs_error *err)
{
	struct rd r = {.s = s, .name = s->name ? s->name : path, .fd = -1};
	struct stat st;
	enum cs_host_file kind;
	long ret = -1;

	s->hosts = 0;
	s->cancelled = false;
	r.fd = cs_file_open(path, &st, err);
	if (r.fd < 0)
		return -1;
	r.total = S_ISREG(st.st_mode) ? (unsigned long long)st.st_size : 0;
	if (read_head(&r, err) < 0)
		goto out;
	kind = cs_host_detect(r.head, r.head_len);
	if (kind == CS_HOST_FILE_CPUID_RAW || kind == CS_HOST_FILE_CPUINFO) {
		ret = read_text(&r, err) < 0 ? -1 : (long)s->hosts;
		goto out;
	}
	blank_declaration(&r);
	if (walk(&r, err) < 0)
		goto out;
	if (!s->hosts) {
		cs_error_set(err, CS_ERR_INVALID, r.name, 0,
		             "File '%s' does not contain any <cpu> element or valid domain XML, "
		             "host capabilities XML, or domain capabilities XML",
		             r.name);
		goto out;
	}
	cs_stream_progress(s, r.bytes, r.total);
	ret = (long)s->hosts;
out:
	if (r.ctxt) {
		xmlFreeDoc(r.ctxt->myDoc);
		xmlFreeParserCtxt(r.ctxt);
	}
	free(r.host_name);
	free(r.chunk);
	free(r.head);
	free(s->host_name);
	s->host_name = NULL;
	close(r.fd);
	return ret;
}

struct plain {
	cs_cpudef_fn fn;
	void *ctx;
};

static int plain_cb(struct cs_stream *s, struct cs_cpudef *def, struct cs_error *err)
{
	struct plain *p = s->ctx;

	return p->fn(p->ctx, def, err);
}

long cs_cpu_read_file(const struct cs_map *map, const char *path, unsigned flags, cs_cpudef_fn fn,
                      void *ctx, cs_pool_read_fn progress, void *opaque, struct cs_error *err)
{
	struct plain p = {fn, ctx};
	struct cs_stream s = {.map = map,
	                      .flags = flags,
	                      .fn = plain_cb,
	                      .ctx = &p,
	                      .progress = progress,
	                      .opaque = opaque};

	if (!strcmp(path, "-"))
		s.name = "-";
	return cs_stream_read(&s, path, err);
}
