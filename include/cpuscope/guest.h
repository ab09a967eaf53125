/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* guest.h: what a guest CPU becomes at start-up: effective features, QEMU's -cpu, domain XML */
#ifndef CPUSCOPE_GUEST_H
#define CPUSCOPE_GUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/decode.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"

/* ---- the effective guest CPU --------------------------------------------- */

/* What a guest sees when it runs on a host (libvirt-semantics.md §5.2): for custom mode the
 * model with its require/force features added and disable/forbid removed;
 * optional features follow the host; host-model and match='minimum' start
 * from the host's CPU instead of the named model; host-passthrough and
 * maximum see the host's features, less what they disable. */
struct cs_effective {
	int model;                /* the model the guest starts with; -1 for passthrough/maximum */
	struct cs_fset features;  /* what the guest sees */
	struct cs_fset undecided; /* optional features, when no host was given */
	struct cs_fset added;     /* features beyond the model's own */
	struct cs_fset removed;   /* model features the guest does not get */
};

/* Compute the effective CPU of guest on host.  host may be NULL: then a
 * custom guest's optional features are reported as undecided, and modes
 * that depend on the host (host-model, host-passthrough, maximum,
 * match='minimum') fail with err set.  host may be a host-type CPU (virsh
 * capabilities) or a guest-type one (domcapabilities' host-model, which is
 * what libvirt really updates guests against); as libvirt, only its
 * migratable part counts (features with migratable='no', invtsc and
 * xsaves, are taken as not listed).  The model is the one the guest names
 * (or the host's): translation to QEMU's models is not done here.  Pure:
 * no allocation. */
int cs_guest_effective(const struct cs_cpudef *guest, const struct cs_cpudef *host,
                       struct cs_effective *out, struct cs_error *err);

/* The guest CPU libvirt 9.0 starts QEMU 7.2 with (KVM), in libvirt's order:
 * 1. update (virCPUUpdate, libvirt-semantics.md §5.2) against the migratable part of host
 *    (features with migratable='no' are ignored): optional features
 *    resolved, host-model and match='minimum' replaced by the host's model
 *    and features (updated with the guest's own), the model's removed='yes'
 *    features added as disable;
 * 2. translation to QEMU's models (cs_guest_translate, libvirt-semantics.md §5.3) over the
 *    models QEMU 7.2 defines, with the blockers host gives them
 *    (cs_qemu_allowed_models with host's full feature set as the view).
 *    host should be what KVM can give, as the host-model of `virsh
 *    domcapabilities` (or cpuscope's from the kvm source) describes it; a
 *    host-type CPU (virsh capabilities, the CPU's own view) is used the
 *    same way, which approximates KVM by the CPU.  Without a host there
 *    are no blockers;
 * 3. fallback becomes forbid;
 * 4. the features QEMU has no property for are dropped (libvirt-semantics.md §5.4), and
 *    so are disabled and forbidden ones QEMU 7.2 does not know
 *    (cs_qemu_knows_feature).
 * host-passthrough and maximum skip 1-3; host-passthrough without a
 * migratable attribute gets migratable='on', libvirt's default with QEMU
 * 7.2.  host may be NULL when the guest does not depend on it.  Returns a
 * new guest-type definition (custom mode, or the guest's passthrough/maximum
 * mode), or NULL with err set; CS_ERR_INCOMPATIBLE ("CPU model %s is not
 * supported by hypervisor") when the model needs translating and says
 * fallback='forbid', so libvirt would refuse to start the guest. */
struct cs_cpudef *cs_guest_update(const struct cs_cpudef *guest, const struct cs_cpudef *host,
                                  struct cs_error *err);

/* cs_guest_update() with the models QEMU has given explicitly (as `virsh
 * domcapabilities` lists them, with their blockers) instead of cpuscope's
 * table of QEMU's models; allowed NULL means that table. */
struct cs_cpudef *cs_guest_update_models(const struct cs_cpudef *guest,
                                         const struct cs_cpudef *host,
                                         const struct cs_allowed_model *allowed, size_t nallowed,
                                         struct cs_error *err);

/* libvirt's model translation (virCPUTranslate, libvirt-semantics.md §5.3) of a custom-mode
 * def in place.  Nothing happens when allowed is NULL, def is not custom
 * mode, names no model, is not x86 or its model is in allowed.  Otherwise,
 * with fallback='forbid', it fails with CS_ERR_INCOMPATIBLE, "CPU model %s
 * is not supported by hypervisor"; else the CPU def asks for (model +
 * force/require - disable/forbid, with the model's vendor and its first
 * signature at the lowest stepping) is decoded in guest mode over allowed
 * and its blockers, and def gets the decoded model and list (require, then
 * disable), each of def's own features then updating it in place or
 * appended, in def's order.  def's vendor and vendor_id are kept.  Returns
 * 0, or -1 with err set (def unchanged). */
int cs_guest_translate(struct cs_cpudef *def, const struct cs_allowed_model *allowed,
                       size_t nallowed, struct cs_error *err);

/* ---- QEMU ------------------------------------------------------------------ */

/* Remove cmt, mbm_total, mbm_local, osxsave and ospke from the feature list,
 * keeping the order of the rest (QEMU has no properties for them). */
void cs_cpudef_filter_qemu(struct cs_cpudef *def);

/* The -cpu argument libvirt 9.0 builds for a guest CPU already updated by
 * cs_guest_update (libvirt-semantics.md §5.5): MODEL, "host" or "max", then ",migratable=",
 * ",vendor=", and ",NAME=on" / ",NAME=off" per feature in list order with
 * QEMU's spelling (libvirt-semantics.md §7).  enforce appends ",enforce" so that QEMU itself
 * refuses to start when the host cannot provide a feature.  A custom guest
 * without a model gives NULL (no -cpu option: QEMU's default), or
 * "qemu64,enforce" with enforce.  The result is the caller's. */
char *cs_qemu_cpu_arg(const struct cs_cpudef *def, bool enforce);

/* QEMU's name for a libvirt feature name (pclmuldq -> pclmulqdq, lahf_lm ->
 * lahf-lm, ...); other names are returned unchanged.  Borrowed. */
const char *cs_qemu_feature_name(const char *libvirt_name);

/* ---- domain XML ----------------------------------------------------------- */

/* Put def into the domain XML held in buf (len bytes; name is used in
 * messages): the existing /domain/cpu element is replaced, or a new one is
 * inserted where libvirt places it (after <features>, <os>, <vcpu>, ...).
 * Every byte outside that element is kept as it was.  Returns 0 with a new
 * document in *out (caller frees) and its length in *out_len, or -1 with
 * err set (not well-formed, not a <domain>). */
int cs_domain_set_cpu(const char *buf, size_t len, const char *name, const struct cs_cpudef *def,
                      char **out, size_t *out_len, struct cs_error *err);

/* The <cpu> of the domain XML in buf, parsed as a guest CPU: 0 with a new
 * definition in *out, or with *out NULL when the domain has no <cpu>; -1
 * with err set when the XML or the element is bad. */
int cs_domain_get_cpu(const struct cs_map *map, const char *buf, size_t len, const char *name,
                      struct cs_cpudef **out, struct cs_error *err);

/* Keep what a replaced <cpu> says about the machine rather than the CPU
 * model: old's <topology> when def has none, and old's kept elements (numa,
 * cache, maxphysaddr, ...) of a kind def does not have. */
void cs_cpudef_keep_layout(struct cs_cpudef *def, const struct cs_cpudef *old);

/* cs_domain_set_cpu() on a file, written back atomically (temporary file,
 * fsync, rename): a failure leaves the original untouched. */
int cs_domain_apply_file(const char *path, const struct cs_cpudef *def, struct cs_error *err);

#endif
