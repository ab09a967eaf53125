/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compare.h: libvirt 9.0's CPU verdicts: compare a guest with a host, baseline a pool of hosts */
#ifndef CPUSCOPE_COMPARE_H
#define CPUSCOPE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"

/* ---- compare (virsh cpu-compare, libvirt-semantics.md §4) --------------------------------- */

enum cs_compat {
	CS_COMPAT_IDENTICAL,    /* the host has exactly what the guest asks for */
	CS_COMPAT_SUPERSET,     /* the host has more */
	CS_COMPAT_INCOMPATIBLE, /* the guest cannot run on the host */
};

/* Why a guest is incompatible: the first of libvirt's checks that failed. */
enum cs_compare_reason {
	CS_REASON_NONE,      /* compatible */
	CS_REASON_NO_HOST,   /* the host CPU has no model: "unknown host CPU" */
	CS_REASON_ARCH,      /* the guest's <arch> is not x86 */
	CS_REASON_VENDOR,    /* the guest names a vendor the host does not have */
	CS_REASON_FORBIDDEN, /* the host has features the guest forbids */
	CS_REASON_MISSING,   /* the host lacks features the guest requires */
	CS_REASON_STRICT,    /* match='strict' and the host has extra features */
};

/* The verdict and everything the live editor may want to show.  The sets
 * are computed for every verdict, not just for the reason that decided it
 * (except when reason is NO_HOST or ARCH: then they are empty). */
struct cs_compare_result {
	enum cs_compat compat;
	enum cs_compare_reason reason;
	struct cs_fset features;    /* the features the reason names (empty for NONE/ARCH/VENDOR) */
	struct cs_fset missing;     /* required by the guest, absent on the host */
	struct cs_fset forbidden;   /* forbidden by the guest, present on the host */
	struct cs_fset extra;       /* on the host, neither required nor optional/disabled/forced */
	struct cs_fset host;        /* the host's feature set */
	const struct cs_arch *arch; /* the section feature ids refer to */
	const char *name; /* the arch or vendor the reason names (borrowed from the guest) */
};

/* Compare guest with host exactly as libvirt 9.0's x86 driver does (libvirt-semantics.md
 * §4.2).  host is normally a host-type definition (virsh capabilities); a
 * guest-type host (domcapabilities' host-model) counts its require/force
 * features and not its disable/forbid ones.  guest may be either type: a
 * host-type guest requires its model and every listed feature, and
 * match='strict' only applies to guest types.  Pure: no allocation; a
 * few microseconds.  Returns 0 with *res filled, or -1 with err set when
 * a name could not be resolved ("Unknown CPU model %s"). */
int cs_compare(const struct cs_cpudef *host, const struct cs_cpudef *guest,
               struct cs_compare_result *res, struct cs_error *err);

/* libvirt's message for an incompatible result ("Host CPU does not provide
 * required features: hle, rtm", ...), or "" when compatible.  The result
 * is the caller's. */
char *cs_compare_message(const struct cs_compare_result *res);

/* "identical", "superset", "incompatible". */
const char *cs_compat_name(enum cs_compat c);

/* ---- baseline (virsh cpu-baseline, libvirt-semantics.md §3) -------------------------------- */

struct cs_baseline_opts {
	bool expand_features; /* --features: list every feature of the model, sorted by name */
	bool migratable;      /* --migratable: drop listed non-migratable features */
	/* The QEMU driver's flavour (qemu:///system): also drop cmt, mbm_total,
	 * mbm_local, osxsave and ospke, which QEMU has no property for.  The
	 * test driver (test:///default) does not. */
	bool qemu;
};

/* A baseline computed one CPU at a time, so that a pool of any size needs
 * constant memory: cs_baseline_init, cs_baseline_add for each CPU in order,
 * then cs_baseline_finish.  Time is linear in the number of CPUs. */
struct cs_baseline {
	const struct cs_map *map;
	const struct cs_arch *arch; /* of the first CPU */
	struct cs_baseline_opts opts;
	size_t ncpus;
	struct cs_fset base; /* features every CPU so far has */
	int vendor;          /* working vendor index, -1 = none yet */
	bool output_vendor;  /* every CPU so far had a <vendor> */
	int *models;         /* distinct model ids in input order */
	size_t nmodels, models_cap;
	unsigned char *model_seen; /* per model id of arch */
	bool ppc64;                /* ppc64 rules: one model for all */
	bool arm;                  /* arm rules: the first CPU's model, whatever follows */
	char *arm_model;           /* that model's name (it need not be in the map) */
};

void cs_baseline_init(struct cs_baseline *b, const struct cs_map *map,
                      const struct cs_baseline_opts *opts);
/* Add the next CPU (host type as virsh parses them; a guest-type CPU counts
 * its require/force features).  Fails with libvirt's messages: "Unknown CPU
 * vendor %s", "CPU vendor %s of model %s differs from vendor %s", "CPU
 * vendors do not match", or an architecture cpuscope cannot baseline. */
int cs_baseline_add(struct cs_baseline *b, const struct cs_cpudef *cpu, struct cs_error *err);
/* The baseline CPU of everything added (guest type, mode custom, match
 * exact) as a new definition, or NULL with err set ("no CPUs given", "CPUs
 * are incompatible", "Cannot find suitable CPU model for given data"). */
struct cs_cpudef *cs_baseline_finish(struct cs_baseline *b, struct cs_error *err);
void cs_baseline_release(struct cs_baseline *b);

/* All three in one call over an array of CPUs. */
struct cs_cpudef *cs_baseline_cpus(const struct cs_map *map, struct cs_cpudef *const *cpus,
                                   size_t ncpus, const struct cs_baseline_opts *opts,
                                   struct cs_error *err);

/* What --features does to a definition (virCPUExpandFeatures): the model's
 * features in map order as require, then the definition's require/disable
 * features updated or appended, then the removed='yes' features of the
 * model as disable, and the whole list sorted by name (strcmp). */
void cs_cpudef_expand_features(struct cs_cpudef *def);

#endif
