/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* decode.h: choose "model + extra features" for a CPU exactly as libvirt 9.0 does */
#ifndef CPUSCOPE_DECODE_H
#define CPUSCOPE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"

/* What decode needs to know about one CPU, over one arch of a map.
 * vendor: index into arch->vendors, or -1 when none was detected/given.
 * signature: CPUID leaf 1 eax & 0x0fff3fff, or 0 when unknown (baseline).
 * features: the map features the CPU has (a feature is present when all of
 * its bits are set). */
struct cs_cpu_facts {
	int vendor;
	uint32_t signature;
	struct cs_fset features;
};

enum cs_decode_mode {
	CS_DECODE_HOST,  /* virsh capabilities: only models the CPU fully contains */
	CS_DECODE_GUEST, /* baseline, host-model, translation: penalty-weighted */
};

/* An allowed model (QEMU's model list) with the features that block it:
 * those QEMU reports unavailable for it.  Decoding lists a blocker as
 * disabled unless the CPU has it beyond the model (as an extra feature). */
struct cs_allowed_model {
	int model;
	struct cs_fset blockers;
};

struct cs_decode_opts {
	enum cs_decode_mode mode;
	const int *preferred; /* model ids; NULL/0 = no preference */
	size_t npreferred;
	const struct cs_allowed_model *allowed; /* NULL = every model allowed */
	size_t nallowed;
	bool fallback_forbid; /* with a one-entry preferred list that is not allowed: error */
	bool migratable;      /* drop listed features that are not migratable */
};

/* The result: model and vendor indexes (vendor -1 = none), the signature that
 * was used, and the listed features: require (extra) and disable (missing).
 * Output order is feature map order, i.e. increasing feature id, except that
 * in guest mode disable also holds the model's removed='yes' features the
 * list did not already name; libvirt appends those after the rest, so a
 * formatter prints disable minus model.removed first, then the intersection. */
struct cs_decoded {
	int model;
	int vendor;
	uint32_t signature;
	struct cs_fset require;
	struct cs_fset disable;
};

/* Decode cpu over arch with libvirt 9.0's x86Decode rules.  Returns 0 and
 * fills *out, or -1 with err set ("Cannot find suitable CPU model for given
 * data", ...).  Pure: no allocation, no I/O. */
int cs_decode(const struct cs_arch *arch, const struct cs_cpu_facts *cpu,
              const struct cs_decode_opts *opts, struct cs_decoded *out, struct cs_error *err);

/* Split a signature into family/model/stepping the way libvirt does. */
void cs_signature_split(uint32_t sig, unsigned *family, unsigned *model, unsigned *stepping);
/* True when one of m's signatures matches sig (family, model, stepping list). */
bool cs_model_matches_signature(const struct cs_model *m, uint32_t sig);

#endif
