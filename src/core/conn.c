/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conn.c: a live hypervisor through libvirt: domains, their CPU, libvirt's own answers */
#include "cpuscope/conn.h"

#include <libxml/tree.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/guest.h"
#include "cpuscope/xalloc.h"
#include "libvirt_lib.h"
#include "xmlsafe.h"

struct domcaps_entry {
	struct cs_conn_target key;
	char *xml;
};

struct hv_entry {
	const struct cs_map *map;
	struct cs_conn_target key;
	struct cs_hypervisor hv;
};

struct cs_conn {
	virConnectPtr vc;
	char *uri;
	bool readonly;
	char *hostname;
	char *caps;
	struct domcaps_entry **domcaps;
	size_t ndomcaps;
	struct hv_entry **hvs;
	size_t nhvs;
};

/* ---- libvirt's errors -------------------------------------------------------- */

static enum cs_errcode errcode_of(int code)
{
	switch (code) {
	case VIR_ERR_NO_DOMAIN:
		return CS_ERR_UNKNOWN;
	case VIR_ERR_NO_SUPPORT:
	case VIR_ERR_OPERATION_UNSUPPORTED:
	case VIR_ERR_CONFIG_UNSUPPORTED:
		return CS_ERR_UNSUPPORTED;
	case VIR_ERR_XML_ERROR:
	case VIR_ERR_XML_DETAIL:
	case VIR_ERR_XML_INVALID_SCHEMA:
	case VIR_ERR_INVALID_ARG:
	case VIR_ERR_OPERATION_INVALID:
		return CS_ERR_INVALID;
	case VIR_ERR_CPU_INCOMPATIBLE:
		return CS_ERR_INCOMPATIBLE;
	default:
		return CS_ERR_SYSTEM;
	}
}

/* err gets "WHAT: libvirt's message" for the error libvirt has just
 * reported in this thread, which is then forgotten. */
__attribute__((format(printf, 3, 4))) static void virt_error(struct cs_error *err, const char *uri,
                                                             const char *fmt, ...)
{
	virErrorPtr e = cs_lv.virGetLastError();
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cs_error_set(err, e ? errcode_of(e->code) : CS_ERR_SYSTEM, uri, 0, "%s: %s", what,
	             e && e->message ? e->message : "libvirt gave no reason");
	cs_lv.virResetLastError();
}

/* ---- connection ---------------------------------------------------------------- */

int cs_conn_open(const char *uri, unsigned flags, struct cs_conn **out, struct cs_error *err)
{
	struct cs_conn *c;
	virConnectPtr vc;
	char *used;

	*out = NULL;
	if (cs_libvirt_load(err) < 0)
		return -1;
	vc = cs_lv.virConnectOpenAuth(uri, *cs_lv.virConnectAuthPtrDefault,
	                              flags & CS_CONN_READONLY ? VIR_CONNECT_RO : 0);
	if (!vc) {
		if (uri)
			virt_error(err, uri, "cannot connect");
		else
			virt_error(err, NULL, "cannot connect to libvirt's default hypervisor");
		return -1;
	}
	used = cs_lv.virConnectGetURI(vc);
	if (!used) {
		virt_error(err, uri ? uri : "", "cannot read the connection's URI");
		cs_lv.virConnectClose(vc);
		return -1;
	}
	c = cs_xcalloc(1, sizeof(*c));
	c->vc = vc;
	c->uri = cs_xstrdup(used);
	free(used);
	c->readonly = flags & CS_CONN_READONLY;
	*out = c;
	return 0;
}

void cs_conn_free(struct cs_conn *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ndomcaps; i++) {
		cs_conn_target_release(&c->domcaps[i]->key);
		free(c->domcaps[i]->xml);
		free(c->domcaps[i]);
	}
	free(c->domcaps);
	for (size_t i = 0; i < c->nhvs; i++) {
		cs_conn_target_release(&c->hvs[i]->key);
		cs_hypervisor_release(&c->hvs[i]->hv);
		free(c->hvs[i]);
	}
	free(c->hvs);
	free(c->hostname);
	free(c->caps);
	free(c->uri);
	cs_lv.virConnectClose(c->vc);
	free(c);
}

const char *cs_conn_uri(const struct cs_conn *c)
{
	return c->uri;
}

bool cs_conn_is_readonly(const struct cs_conn *c)
{
	return c->readonly;
}

const char *cs_conn_hostname(struct cs_conn *c, struct cs_error *err)
{
	char *h;

	if (c->hostname)
		return c->hostname;
	h = cs_lv.virConnectGetHostname(c->vc);
	if (!h) {
		virt_error(err, c->uri, "cannot get the host name");
		return NULL;
	}
	c->hostname = cs_xstrdup(h);
	free(h);
	return c->hostname;
}

/* ---- capabilities ---------------------------------------------------------------- */

int cs_conn_target_from_domain(const char *buf, size_t len, const char *name,
                               struct cs_conn_target *t, struct cs_error *err)
{
	xmlDocPtr doc = cs_xml_parse_domain(buf, len, name, err);
	xmlNode *root, *os_type;

	memset(t, 0, sizeof(*t));
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	t->virttype = cs_xml_prop(root, "type");
	os_type = cs_xml_child(cs_xml_child(root, "os"), "type");
	if (os_type) {
		t->arch = cs_xml_prop(os_type, "arch");
		t->machine = cs_xml_prop(os_type, "machine");
	}
	t->emulator = cs_xml_text(cs_xml_child(cs_xml_child(root, "devices"), "emulator"));
	xmlFreeDoc(doc);
	return 0;
}

void cs_conn_target_release(struct cs_conn_target *t)
{
	if (!t)
		return;
	free(t->emulator);
	free(t->arch);
	free(t->machine);
	free(t->virttype);
	memset(t, 0, sizeof(*t));
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_target(const struct cs_conn_target *a, const struct cs_conn_target *b)
{
	static const struct cs_conn_target none = {0};

	if (!a)
		a = &none;
	if (!b)
		b = &none;
	return same_str(a->emulator, b->emulator) && same_str(a->arch, b->arch) &&
	       same_str(a->machine, b->machine) && same_str(a->virttype, b->virttype);
}

static char *dup_or_null(const char *s)
{
	return s ? cs_xstrdup(s) : NULL;
}

static void copy_target(struct cs_conn_target *dst, const struct cs_conn_target *src)
{
	memset(dst, 0, sizeof(*dst));
	if (!src)
		return;
	dst->emulator = dup_or_null(src->emulator);
	dst->arch = dup_or_null(src->arch);
	dst->machine = dup_or_null(src->machine);
	dst->virttype = dup_or_null(src->virttype);
}

/* The target's fields for libvirt's calls, NULL for a NULL target. */
#define TARGET_ARGS(t)                                                                             \
	(t) ? (t)->emulator : NULL, (t) ? (t)->arch : NULL, (t) ? (t)->machine : NULL,             \
	        (t) ? (t)->virttype : NULL

const char *cs_conn_capabilities(struct cs_conn *c, struct cs_error *err)
{
	char *caps;

	if (c->caps)
		return c->caps;
	caps = cs_lv.virConnectGetCapabilities(c->vc);
	if (!caps) {
		virt_error(err, c->uri, "cannot get the capabilities");
		return NULL;
	}
	c->caps = cs_xstrdup(caps);
	free(caps);
	return c->caps;
}

const char *cs_conn_domcapabilities(struct cs_conn *c, const struct cs_conn_target *t,
                                    struct cs_error *err)
{
	struct domcaps_entry *e;
	char *xml;

	for (size_t i = 0; i < c->ndomcaps; i++)
		if (same_target(&c->domcaps[i]->key, t))
			return c->domcaps[i]->xml;
	xml = cs_lv.virConnectGetDomainCapabilities(c->vc, TARGET_ARGS(t), 0);
	if (!xml) {
		virt_error(err, c->uri, "cannot get the domain capabilities");
		return NULL;
	}
	e = cs_xcalloc(1, sizeof(*e));
	copy_target(&e->key, t);
	e->xml = cs_xstrdup(xml);
	free(xml);
	c->domcaps = cs_xreallocarray(c->domcaps, c->ndomcaps + 1, sizeof(*c->domcaps));
	c->domcaps[c->ndomcaps++] = e;
	return e->xml;
}

/* The host <cpu> of the capabilities, as a host CPU definition. */
static struct cs_cpudef *caps_host_cpu(struct cs_conn *c, const struct cs_map *map,
                                       const char *name, struct cs_error *err)
{
	const char *caps = cs_conn_capabilities(c, err);
	struct cs_cpudef **defs = NULL, *cpu;
	size_t n = 0;

	if (!caps)
		return NULL;
	if (cs_cpudef_parse(map, caps, strlen(caps), name, CS_CPUDEF_AS_HOST | CS_CPUDEF_FIRST,
	                    &defs, &n, err) < 0)
		return NULL;
	cpu = defs[0];
	defs[0] = NULL;
	cs_cpudef_list_free(defs, n);
	return cpu;
}

int cs_conn_hypervisor(struct cs_conn *c, const struct cs_map *map, const struct cs_conn_target *t,
                       const struct cs_hypervisor **out, struct cs_error *err)
{
	struct cs_cpudef *cpu = NULL;
	struct hv_entry *e = NULL;
	const char *domcaps;
	char cname[300], dname[300];

	*out = NULL;
	for (size_t i = 0; i < c->nhvs; i++) {
		if (c->hvs[i]->map == map && same_target(&c->hvs[i]->key, t)) {
			*out = &c->hvs[i]->hv;
			return 0;
		}
	}
	snprintf(cname, sizeof(cname), "capabilities");
	snprintf(dname, sizeof(dname), "%s domcapabilities", c->uri);
	domcaps = cs_conn_domcapabilities(c, t, err);
	if (!domcaps || !(cpu = caps_host_cpu(c, map, cname, err)))
		return -1;
	e = cs_xcalloc(1, sizeof(*e));
	if (cs_hypervisor_from_domcaps(&e->hv, map, domcaps, strlen(domcaps), dname, cpu, err) <
	    0) {
		free(e);
		cs_cpudef_free(cpu);
		return -1;
	}
	cs_cpudef_free(cpu);
	e->map = map;
	copy_target(&e->key, t);
	c->hvs = cs_xreallocarray(c->hvs, c->nhvs + 1, sizeof(*c->hvs));
	c->hvs[c->nhvs++] = e;
	*out = &e->hv;
	return 0;
}

/* ---- domains ------------------------------------------------------------------------ */

const char *cs_dom_state_name(enum cs_dom_state s)
{
	switch (s) {
	case CS_DOM_NOSTATE:
		return "no state";
	case CS_DOM_RUNNING:
		return "running";
	case CS_DOM_BLOCKED:
		return "idle";
	case CS_DOM_PAUSED:
		return "paused";
	case CS_DOM_SHUTDOWN:
		return "in shutdown";
	case CS_DOM_SHUTOFF:
		return "shut off";
	case CS_DOM_CRASHED:
		return "crashed";
	case CS_DOM_PMSUSPENDED:
		return "pmsuspended";
	}
	return "?";
}

static enum cs_dom_state state_of(int s)
{
	switch (s) {
	case VIR_DOMAIN_RUNNING:
		return CS_DOM_RUNNING;
	case VIR_DOMAIN_BLOCKED:
		return CS_DOM_BLOCKED;
	case VIR_DOMAIN_PAUSED:
		return CS_DOM_PAUSED;
	case VIR_DOMAIN_SHUTDOWN:
		return CS_DOM_SHUTDOWN;
	case VIR_DOMAIN_SHUTOFF:
		return CS_DOM_SHUTOFF;
	case VIR_DOMAIN_CRASHED:
		return CS_DOM_CRASHED;
	case VIR_DOMAIN_PMSUSPENDED:
		return CS_DOM_PMSUSPENDED;
	default:
		return CS_DOM_NOSTATE;
	}
}

static int domain_info(struct cs_conn *c, virDomainPtr dom, struct cs_conn_domain *d,
                       struct cs_error *err)
{
	const char *name = cs_lv.virDomainGetName(dom);
	int state = VIR_DOMAIN_NOSTATE, reason, active, persistent;

	memset(d, 0, sizeof(*d));
	if (!name || cs_lv.virDomainGetUUIDString(dom, d->uuid) < 0 ||
	    cs_lv.virDomainGetState(dom, &state, &reason, 0) < 0 ||
	    (active = cs_lv.virDomainIsActive(dom)) < 0 ||
	    (persistent = cs_lv.virDomainIsPersistent(dom)) < 0) {
		virt_error(err, c->uri, "cannot read domain %s", name ? name : "?");
		return -1;
	}
	d->name = cs_xstrdup(name);
	d->state = state_of(state);
	d->active = active == 1;
	d->persistent = persistent == 1;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct cs_conn_domain *)a)->name,
	              ((const struct cs_conn_domain *)b)->name);
}

int cs_conn_list_domains(struct cs_conn *c, struct cs_conn_domain **out, size_t *n,
                         struct cs_error *err)
{
	virDomainPtr *doms = NULL;
	struct cs_conn_domain *list = NULL;
	int count = cs_lv.virConnectListAllDomains(c->vc, &doms, 0);
	size_t got = 0;
	int ret = -1;

	*out = NULL;
	*n = 0;
	if (count < 0) {
		virt_error(err, c->uri, "cannot list the domains");
		return -1;
	}
	list = cs_xcalloc(count > 0 ? (size_t)count : 1, sizeof(*list));
	for (int i = 0; i < count; i++) {
		struct cs_error e = {0};

		if (domain_info(c, doms[i], &list[got], &e) == 0) {
			got++;
			continue;
		}
		/* A transient domain may be gone since it was listed. */
		if (e.code == CS_ERR_UNKNOWN)
			continue;
		if (err && !cs_error_isset(err))
			*err = e;
		goto out;
	}
	if (got) {
		qsort(list, got, sizeof(*list), by_name);
		*out = list;
		*n = got;
		list = NULL;
	}
	ret = 0;
out:
	for (int i = 0; i < count; i++)
		cs_lv.virDomainFree(doms[i]);
	free(doms);
	cs_conn_domains_free(list, got);
	return ret;
}

void cs_conn_domains_free(struct cs_conn_domain *d, size_t n)
{
	if (!d)
		return;
	for (size_t i = 0; i < n; i++)
		free(d[i].name);
	free(d);
}

/* True when s has the form of a UUID, with or without dashes. */
static bool looks_like_uuid(const char *s)
{
	size_t hex = 0;

	for (; *s; s++) {
		if (*s == '-')
			continue;
		if (!strchr("0123456789abcdefABCDEF", *s))
			return false;
		hex++;
	}
	return hex == 32;
}

static virDomainPtr lookup(struct cs_conn *c, const char *name_or_uuid, struct cs_error *err)
{
	virDomainPtr dom = NULL;

	if (looks_like_uuid(name_or_uuid)) {
		dom = cs_lv.virDomainLookupByUUIDString(c->vc, name_or_uuid);
		if (dom)
			return dom;
		cs_lv.virResetLastError();
	}
	dom = cs_lv.virDomainLookupByName(c->vc, name_or_uuid);
	if (!dom)
		virt_error(err, c->uri, "cannot find domain '%s'", name_or_uuid);
	return dom;
}

static char *domain_xml(struct cs_conn *c, virDomainPtr dom, unsigned flags, const char *what,
                        struct cs_error *err)
{
	/* Every libvirt call forgets the last error: the name is read first. */
	const char *name = cs_lv.virDomainGetName(dom);
	char *x = cs_lv.virDomainGetXMLDesc(dom, flags);
	char *copy;

	if (!x) {
		virt_error(err, c->uri, "cannot get the %s definition of domain %s", what,
		           name ? name : "?");
		return NULL;
	}
	copy = cs_xstrdup(x);
	free(x);
	return copy;
}

/* The <cpu> element of a <cpu> or domain XML, as libxml2 serialises it:
 * 0 with *out a new string, or NULL when there is no <cpu>; -1 with err
 * set when the XML is bad. */
static int cpu_element(const char *buf, size_t len, const char *name, char **out,
                       struct cs_error *err)
{
	xmlDocPtr doc = cs_xml_parse(buf, len, name, err);
	xmlBufferPtr b;
	xmlNode *root, *cpu;

	*out = NULL;
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	cpu = cs_xml_is(root, "cpu")      ? root
	      : cs_xml_is(root, "domain") ? cs_xml_child(root, "cpu")
	                                  : NULL;
	if (cpu) {
		b = xmlBufferCreate();
		if (xmlNodeDump(b, doc, cpu, 0, 0) >= 0)
			*out = cs_xstrdup((const char *)xmlBufferContent(b));
		xmlBufferFree(b);
	}
	xmlFreeDoc(doc);
	return 0;
}

/* The persistent and live <cpu> differ (both given, one may lack it). */
static int cpus_differ(const char *a, const char *b, bool *differ, struct cs_error *err)
{
	char *ca = NULL, *cb = NULL;
	int ret = -1;

	if (cpu_element(a, strlen(a), "persistent definition", &ca, err) < 0 ||
	    cpu_element(b, strlen(b), "live definition", &cb, err) < 0)
		goto out;
	*differ = !same_str(ca, cb);
	ret = 0;
out:
	free(ca);
	free(cb);
	return ret;
}

int cs_conn_get_domain(struct cs_conn *c, const char *name_or_uuid, struct cs_conn_domxml *out,
                       struct cs_error *err)
{
	virDomainPtr dom;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	dom = lookup(c, name_or_uuid, err);
	if (!dom)
		return -1;
	if (domain_info(c, dom, &out->info, err) < 0)
		goto out;
	if (out->info.persistent &&
	    !(out->persistent = domain_xml(c, dom, VIR_DOMAIN_XML_INACTIVE, "persistent", err)))
		goto out;
	if (out->info.active && !(out->live = domain_xml(c, dom, 0, "live", err)))
		goto out;
	/* libvirt gives the migratable definition to read-write clients only. */
	if (!c->readonly &&
	    !(out->migratable = domain_xml(c, dom, VIR_DOMAIN_XML_MIGRATABLE, "migratable", err)))
		goto out;
	if (out->persistent && out->live &&
	    cpus_differ(out->persistent, out->live, &out->cpu_differs, err) < 0)
		goto out;
	ret = 0;
out:
	cs_lv.virDomainFree(dom);
	if (ret < 0)
		cs_conn_domxml_release(out);
	return ret;
}

void cs_conn_domxml_release(struct cs_conn_domxml *d)
{
	if (!d)
		return;
	free(d->info.name);
	free(d->persistent);
	free(d->live);
	free(d->migratable);
	memset(d, 0, sizeof(*d));
}

/* ---- changing the CPU ---------------------------------------------------------------- */

/* The domain, its persistent XML (*old) and that XML with def as its
 * <cpu> (*new, *new_len). */
static int with_cpu(struct cs_conn *c, const char *name_or_uuid, const struct cs_cpudef *def,
                    unsigned flags, virDomainPtr *dom_out, char **old, char **new, size_t *new_len,
                    struct cs_error *err)
{
	struct cs_cpudef *prev = NULL, *use = NULL;
	virDomainPtr dom;
	unsigned xflags = VIR_DOMAIN_XML_INACTIVE;
	int persistent, ret = -1;
	const char *name;
	char *xml = NULL;

	*old = *new = NULL;
	dom = lookup(c, name_or_uuid, err);
	if (!dom)
		return -1;
	name = cs_lv.virDomainGetName(dom);
	persistent = cs_lv.virDomainIsPersistent(dom);
	if (persistent < 0) {
		virt_error(err, c->uri, "cannot read domain %s", name);
		goto out;
	}
	if (!persistent) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, c->uri, 0,
		             "domain %s is transient: it has no persistent definition to change",
		             name);
		goto out;
	}
	/* As `virsh edit`: what only a read-write client sees (passwords)
	 * must be in the document defined, or it would be lost. */
	if (!c->readonly)
		xflags |= VIR_DOMAIN_XML_SECURE;
	xml = domain_xml(c, dom, xflags, "persistent", err);
	if (!xml)
		goto out;
	if (flags & CS_CONN_KEEP_LAYOUT) {
		if (cs_domain_get_cpu(def->map, xml, strlen(xml), name, &prev, err) < 0)
			goto out;
		if (prev) {
			use = cs_cpudef_copy(def);
			cs_cpudef_keep_layout(use, prev);
		}
	}
	if (cs_domain_set_cpu(xml, strlen(xml), name, use ? use : def, new, new_len, err) < 0)
		goto out;
	*old = xml;
	xml = NULL;
	ret = 0;
out:
	free(xml);
	cs_cpudef_free(prev);
	cs_cpudef_free(use);
	if (ret < 0 || !dom_out)
		cs_lv.virDomainFree(dom);
	else
		*dom_out = dom;
	return ret;
}

int cs_conn_domain_with_cpu(struct cs_conn *c, const char *name_or_uuid,
                            const struct cs_cpudef *def, unsigned flags, char **out, size_t *len,
                            struct cs_error *err)
{
	char *old = NULL;
	size_t n = 0;

	if (with_cpu(c, name_or_uuid, def, flags, NULL, &old, out, &n, err) < 0)
		return -1;
	free(old);
	if (len)
		*len = n;
	return 0;
}

int cs_conn_define_cpu(struct cs_conn *c, const char *name_or_uuid, const struct cs_cpudef *def,
                       unsigned flags, struct cs_conn_defined *out, struct cs_error *err)
{
	virDomainPtr dom = NULL, defined = NULL;
	char *old = NULL, *new = NULL, *stored = NULL, *old_cpu = NULL, *new_cpu = NULL;
	size_t new_len = 0;
	int active, ret = -1;
	const char *name;

	if (out)
		memset(out, 0, sizeof(*out));
	if (with_cpu(c, name_or_uuid, def, flags, &dom, &old, &new, &new_len, err) < 0)
		return -1;
	name = cs_lv.virDomainGetName(dom);
	defined = cs_lv.virDomainDefineXMLFlags(c->vc, new, VIR_DOMAIN_DEFINE_VALIDATE);
	if (!defined) {
		virt_error(err, c->uri, "libvirt refused the new definition of domain %s", name);
		goto out;
	}
	active = cs_lv.virDomainIsActive(defined);
	stored = domain_xml(c, defined, VIR_DOMAIN_XML_INACTIVE, "new persistent", err);
	if (active < 0 || !stored) {
		if (active < 0)
			virt_error(err, c->uri, "domain %s was defined, but cannot be read back",
			           name);
		goto out;
	}
	if (cpu_element(old, strlen(old), "old definition", &old_cpu, err) < 0 ||
	    cpu_element(stored, strlen(stored), "new definition", &new_cpu, err) < 0)
		goto out;
	if (out) {
		out->running = active == 1;
		out->changed = !same_str(old_cpu, new_cpu);
		out->cpu_xml = new_cpu;
		new_cpu = NULL;
	}
	ret = 0;
out:
	if (defined)
		cs_lv.virDomainFree(defined);
	cs_lv.virDomainFree(dom);
	free(old);
	free(new);
	free(stored);
	free(old_cpu);
	free(new_cpu);
	return ret;
}

void cs_conn_defined_release(struct cs_conn_defined *d)
{
	if (!d)
		return;
	free(d->cpu_xml);
	memset(d, 0, sizeof(*d));
}

/* ---- libvirt's own answers ------------------------------------------------------------- */

int cs_conn_compare_cpu(struct cs_conn *c, const struct cs_conn_target *t, const char *xml,
                        size_t len, enum cs_compat *result, char *msg, size_t size,
                        struct cs_error *err)
{
	char *cpu = NULL;
	virErrorPtr e;
	int r, ret = -1;

	if (size)
		msg[0] = '\0';
	if (cpu_element(xml, len, "CPU definition", &cpu, err) < 0)
		return -1;
	if (!cpu) {
		cs_error_set(err, CS_ERR_INVALID, c->uri, 0, "no <cpu> to compare");
		return -1;
	}
	/* Only with FAIL_INCOMPATIBLE does libvirt say why. */
	r = cs_lv.virConnectCompareHypervisorCPU(c->vc, TARGET_ARGS(t), cpu,
	                                         VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE);
	switch (r) {
	case VIR_CPU_COMPARE_IDENTICAL:
		*result = CS_COMPAT_IDENTICAL;
		ret = 0;
		break;
	case VIR_CPU_COMPARE_SUPERSET:
		*result = CS_COMPAT_SUPERSET;
		ret = 0;
		break;
	case VIR_CPU_COMPARE_INCOMPATIBLE:
		*result = CS_COMPAT_INCOMPATIBLE;
		ret = 0;
		break;
	default:
		e = cs_lv.virGetLastError();
		if (e && e->code == VIR_ERR_CPU_INCOMPATIBLE) {
			*result = CS_COMPAT_INCOMPATIBLE;
			if (size)
				snprintf(msg, size, "%s", e->message ? e->message : "");
			cs_lv.virResetLastError();
			ret = 0;
		} else {
			virt_error(err, c->uri, "libvirt cannot compare the CPU");
		}
		break;
	}
	free(cpu);
	return ret;
}

int cs_conn_baseline_cpu(struct cs_conn *c, const struct cs_conn_target *t, const char *const *cpus,
                         size_t ncpus, unsigned flags, char **out, struct cs_error *err)
{
	const char **list;
	unsigned vflags = 0;
	char *x;

	*out = NULL;
	if (!ncpus || ncpus > 1u << 20) {
		cs_error_set(err, CS_ERR_INVALID, c->uri, 0, "a baseline needs 1 or more CPUs");
		return -1;
	}
	if (flags & CS_CONN_BASELINE_EXPAND)
		vflags |= VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES;
	if (flags & CS_CONN_BASELINE_MIGRATABLE)
		vflags |= VIR_CONNECT_BASELINE_CPU_MIGRATABLE;
	list = cs_xcalloc(ncpus, sizeof(*list));
	for (size_t i = 0; i < ncpus; i++)
		list[i] = cpus[i];
	x = cs_lv.virConnectBaselineHypervisorCPU(c->vc, TARGET_ARGS(t), list, (unsigned)ncpus,
	                                          vflags);
	free(list);
	if (!x) {
		virt_error(err, c->uri, "libvirt cannot compute the baseline");
		return -1;
	}
	*out = cs_xstrdup(x);
	free(x);
	return 0;
}
