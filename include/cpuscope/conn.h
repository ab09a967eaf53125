/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* conn.h: a live hypervisor through libvirt: domains, their CPU, libvirt's own answers */
#ifndef CPUSCOPE_CONN_H
#define CPUSCOPE_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/error.h"
#include "cpuscope/start.h"

/* Every function here reports failure through err with libvirt's own
 * message, prefixed by what cpuscope was doing ("cannot connect: ...");
 * err->file holds the URI.  libvirt is told never to print errors itself.
 * A connection may be used by one thread at a time; different connections
 * may be used from different threads at once. */

/* An open connection, with what has been fetched through it (opaque). */
struct cs_conn;

/* Flags of cs_conn_open. */
enum {
	CS_CONN_READONLY = 1u << 0, /* open read-only (libvirt's VIR_CONNECT_RO) */
};

/* Open a connection to uri (NULL: libvirt's default choice, which honours
 * $LIBVIRT_DEFAULT_URI and libvirt's client configuration), with libvirt's
 * own authentication callbacks (which may prompt on the terminal).  Returns
 * 0 with a new connection in *out (close it with cs_conn_free), or -1 with
 * *out NULL and err set. */
int cs_conn_open(const char *uri, unsigned flags, struct cs_conn **out, struct cs_error *err);

/* Close the connection and free everything fetched through it, including
 * the hypervisors cs_conn_hypervisor returned (NULL is fine). */
void cs_conn_free(struct cs_conn *c);

/* The URI the connection really uses (libvirt's canonical form, e.g.
 * "qemu:///system" when the default was asked for).  Borrowed from c. */
const char *cs_conn_uri(const struct cs_conn *c);

/* True when the connection was opened read-only. */
bool cs_conn_is_readonly(const struct cs_conn *c);

/* The hypervisor host's name (virConnectGetHostname), fetched once.
 * Borrowed from c; NULL with err set when libvirt cannot tell. */
const char *cs_conn_hostname(struct cs_conn *c, struct cs_error *err);

/* ---- capabilities ---------------------------------------------------------- */

/* What virConnectGetDomainCapabilities is asked about: any field may be
 * NULL, and libvirt then chooses (the default emulator, the host's arch,
 * its default machine, kvm when usable else qemu).  Owned strings. */
struct cs_conn_target {
	char *emulator; /* <emulator> path */
	char *arch;     /* <os><type arch=...> */
	char *machine;  /* <os><type machine=...> */
	char *virttype; /* <domain type=...> */
};

/* Fill t from a domain XML (buf, len bytes; name for messages): its type,
 * arch, machine and emulator, each NULL when the domain does not say.
 * Returns 0, or -1 with err set (not well-formed, not a <domain>). */
int cs_conn_target_from_domain(const char *buf, size_t len, const char *name,
                               struct cs_conn_target *t, struct cs_error *err);

/* Free t's strings and zero it (NULL is fine). */
void cs_conn_target_release(struct cs_conn_target *t);

/* The `virsh capabilities` document, fetched once per connection.
 * Borrowed from c; NULL with err set on failure. */
const char *cs_conn_capabilities(struct cs_conn *c, struct cs_error *err);

/* The `virsh domcapabilities` document for t (NULL: all defaults), fetched
 * once per connection and target.  Borrowed from c; NULL with err set. */
const char *cs_conn_domcapabilities(struct cs_conn *c, const struct cs_conn_target *t,
                                    struct cs_error *err);

/* The hypervisor as the start verdict sees it for domains of target t
 * (NULL: defaults), built once per connection, map and target from the
 * domcapabilities (cs_hypervisor_from_domcaps) and the host <cpu> of the
 * capabilities.  map must outlive c.  Returns 0 with *out borrowed from c,
 * or -1 with *out NULL and err set. */
int cs_conn_hypervisor(struct cs_conn *c, const struct cs_map *map, const struct cs_conn_target *t,
                       const struct cs_hypervisor **out, struct cs_error *err);

/* ---- domains ------------------------------------------------------------------- */

/* A domain's state (virDomainState). */
enum cs_dom_state {
	CS_DOM_NOSTATE,
	CS_DOM_RUNNING,
	CS_DOM_BLOCKED,
	CS_DOM_PAUSED,
	CS_DOM_SHUTDOWN, /* being shut down */
	CS_DOM_SHUTOFF,
	CS_DOM_CRASHED,
	CS_DOM_PMSUSPENDED,
};

/* "running", "shut off", ... as virsh names them. */
const char *cs_dom_state_name(enum cs_dom_state s);

struct cs_conn_domain {
	char *name;    /* owned */
	char uuid[37]; /* the UUID as text */
	enum cs_dom_state state;
	bool active;     /* it has a running (or paused) QEMU */
	bool persistent; /* it has a persistent definition (virsh define) */
};

/* Every domain of the connection, active or not, sorted by name.  Returns
 * 0 with a new array in *out (free with cs_conn_domains_free; NULL when
 * there are none) and its length in *n, or -1 with err set. */
int cs_conn_list_domains(struct cs_conn *c, struct cs_conn_domain **out, size_t *n,
                         struct cs_error *err);

/* Free an array from cs_conn_list_domains (NULL is fine). */
void cs_conn_domains_free(struct cs_conn_domain *d, size_t n);

/* One domain and its definitions, all owned (cs_conn_domxml_release). */
struct cs_conn_domxml {
	struct cs_conn_domain info;
	/* The persistent definition, as `virsh edit` shows it
	 * (VIR_DOMAIN_XML_INACTIVE); NULL for a transient domain. */
	char *persistent;
	/* The running definition, with the CPU libvirt started QEMU with;
	 * NULL when the domain is not active. */
	char *live;
	/* The live <cpu> is not the persistent one (the CPU changes at the
	 * next start, or libvirt expanded it at start-up). */
	bool cpu_differs;
	/* The definition libvirt sends to a migration destination
	 * (VIR_DOMAIN_XML_MIGRATABLE).  While the domain runs it is the live
	 * one, yet with the <cpu> as defined: libvirt sends the CPU it
	 * started the domain with (the live <cpu>) beside it, and the
	 * destination starts with that.  NULL on a read-only connection, to
	 * which libvirt refuses it. */
	char *migratable;
};

/* Find the domain named by name_or_uuid (a UUID is tried first when the
 * text has the form of one) and fetch its definitions.  No domain of that
 * name or UUID gives CS_ERR_UNKNOWN.  Returns 0 with *out filled, or -1
 * with *out zeroed and err set. */
int cs_conn_get_domain(struct cs_conn *c, const char *name_or_uuid, struct cs_conn_domxml *out,
                       struct cs_error *err);

/* Free what d owns and zero it (NULL is fine). */
void cs_conn_domxml_release(struct cs_conn_domxml *d);

/* Flags of cs_conn_domain_with_cpu and cs_conn_define_cpu. */
enum {
	/* Keep what the old <cpu> says about the machine rather than the CPU
	 * (cs_cpudef_keep_layout): topology, numa, cache, maxphysaddr. */
	CS_CONN_KEEP_LAYOUT = 1u << 0,
};

/* The persistent definition of the domain with its <cpu> replaced by def
 * (cs_domain_set_cpu: every other byte kept).  It includes what libvirt
 * shows only on a read-write connection (VIR_DOMAIN_XML_SECURE, as `virsh
 * edit`), so that defining it loses nothing.  Changes nothing.  Returns 0
 * with the new XML in *out (caller frees; length in *len, len may be NULL),
 * or -1 with *out NULL and err set (a transient domain has no persistent
 * definition: CS_ERR_UNSUPPORTED). */
int cs_conn_domain_with_cpu(struct cs_conn *c, const char *name_or_uuid,
                            const struct cs_cpudef *def, unsigned flags, char **out, size_t *len,
                            struct cs_error *err);

/* What cs_conn_define_cpu did. */
struct cs_conn_defined {
	bool running;  /* the domain runs: it gets the new CPU at its next start */
	bool changed;  /* the persistent <cpu> libvirt stored differs from before */
	char *cpu_xml; /* the <cpu> element libvirt stored, as it formats it (owned), or NULL */
};

/* Define the domain again with only its <cpu> replaced by def
 * (cs_conn_domain_with_cpu, then virDomainDefineXMLFlags validating the
 * document against libvirt's schema).  When libvirt refuses, the domain
 * stays as it was and err carries libvirt's words.  Another client
 * changing the domain between the read and the define is not detected.
 * Returns 0 with *out filled (out may be NULL; release with
 * cs_conn_defined_release), or -1 with err set. */
int cs_conn_define_cpu(struct cs_conn *c, const char *name_or_uuid, const struct cs_cpudef *def,
                       unsigned flags, struct cs_conn_defined *out, struct cs_error *err);

/* Free what d owns (NULL is fine). */
void cs_conn_defined_release(struct cs_conn_defined *d);

/* ---- libvirt's own answers ------------------------------------------------------ */

/* libvirt's answer to `virsh hypervisor-cpu-compare` for the CPU in xml
 * (len bytes; a <cpu>, or a domain XML whose <cpu> is taken) on target t
 * (NULL: defaults): 0 with *result set and, when incompatible, libvirt's
 * reason in msg (size bytes, "" otherwise); -1 with err set when libvirt
 * cannot answer (the driver lacks the call, the CPU is invalid, a domain
 * without <cpu>). */
int cs_conn_compare_cpu(struct cs_conn *c, const struct cs_conn_target *t, const char *xml,
                        size_t len, enum cs_compat *result, char *msg, size_t size,
                        struct cs_error *err);

/* Flags of cs_conn_baseline_cpu. */
enum {
	CS_CONN_BASELINE_EXPAND = 1u << 0,     /* every feature of the model (--features) */
	CS_CONN_BASELINE_MIGRATABLE = 1u << 1, /* without non-migratable features */
};

/* libvirt's answer to `virsh hypervisor-cpu-baseline` over the ncpus CPU
 * definitions in cpus (each a <cpu> XML text) on target t (NULL:
 * defaults).  Returns 0 with the baseline <cpu> XML in *out (caller
 * frees), or -1 with *out NULL and err set. */
int cs_conn_baseline_cpu(struct cs_conn *c, const struct cs_conn_target *t, const char *const *cpus,
                         size_t ncpus, unsigned flags, char **out, struct cs_error *err);

#endif
