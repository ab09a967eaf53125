/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* migrate.h: can each destination take a domain's CPU: the verdict of migrate-check */
#ifndef CPUSCOPE_MIGRATE_H
#define CPUSCOPE_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/compare.h"
#include "cpuscope/conn.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"
#include "cpuscope/start.h"

/* The domain on its source, as a destination gets it.  A migration carries
 * the live CPU (as libvirt updated it at start-up) beside the migratable
 * definition: cpu_xml is the live definition while the domain runs, else
 * the migratable one; what the start path needs around the CPU (vcpus,
 * type, emulator, machine, arch) comes from the migratable definition. */
struct cs_migrate_source {
	struct cs_conn_domxml dom;    /* owned */
	struct cs_cpudef *guest;      /* its <cpu>, or NULL: QEMU's default CPU (owned) */
	struct cs_domain_info info;   /* from the migratable definition */
	struct cs_conn_target target; /* the same (owned) */
	const char *cpu_xml;          /* the definition the <cpu> comes from (in dom) */
};

/* Read domain (a name or UUID) on src, which must be read-write (libvirt
 * gives the migratable definition to read-write clients only).  Returns 0
 * with *out filled (cs_migrate_source_release), or -1 with err set and
 * *out empty. */
int cs_migrate_source_read(struct cs_conn *src, const struct cs_map *map, const char *domain,
                           struct cs_migrate_source *out, struct cs_error *err);
void cs_migrate_source_release(struct cs_migrate_source *s);

/* One destination: its connection, libvirt's answer, then the verdict. */
struct cs_migrate_dest {
	const char *uri;      /* borrowed */
	struct cs_conn *conn; /* owned (cs_migrate_dest_release) */
	const char *hostname; /* borrowed from conn, or NULL */
	bool reachable;
	struct cs_error err; /* cannot connect, or cannot judge */
	/* libvirt's hypervisor-cpu-compare on the destination */
	bool cmp_ok;
	enum cs_compat cmp;
	char cmp_msg[768];
	struct cs_error cmp_err;
	/* cpuscope's start verdict there (cs_start_verdict) */
	bool judged;
	struct cs_start_verdict v; /* owned */
	struct cs_fset lost;       /* dropped features a running guest has now */
	bool can_take;
};

/* Called from the calling thread each time one more destination answered. */
typedef void (*cs_migrate_progress_fn)(void *ctx, size_t done, size_t n);

/* Open the n destinations (uris) at once, one thread each, fetch their
 * capabilities and domain capabilities for the source's target and ask
 * libvirt's compare; then judge each reachable one by the start path
 * (the live CPU lists what a running guest has: it would lose everything
 * dropped).  d gets n zeroed-then-filled entries; progress may be NULL.
 * A destination that cannot be reached is marked so and the others go on. */
void cs_migrate_check(const struct cs_migrate_source *s, const struct cs_map *map,
                      const char *const *uris, struct cs_migrate_dest *d, size_t n,
                      cs_migrate_progress_fn progress, void *ctx);

/* cpuscope and libvirt's compare disagree on whether the CPU runs there. */
bool cs_migrate_disagrees(const struct cs_migrate_dest *d);

/* Rank for "best first": 0 starts, 1 starts with features dropped (a
 * running guest that would lose some: 2), 3 refused, 4 not judged or
 * unreachable. */
int cs_migrate_rank(const struct cs_migrate_dest *d);

void cs_migrate_dest_release(struct cs_migrate_dest *d);

#endif
