/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* export.h: a guest <cpu> in the forms other tools take (virt-xml/virt-install --cpu, KubeVirt,
 * Proxmox) */
#ifndef CPUSCOPE_EXPORT_H
#define CPUSCOPE_EXPORT_H

#include "cpuscope/cpudef.h"

/* The --cpu argument of virt-xml and virt-install (virt-manager 4.1) that
 * builds the same <cpu> element: clearxml=yes (replace the whole element
 * with `virt-xml DOMAIN --edit --cpu ...`), the mode (unless custom with a
 * model), the model, match,
 * check, model.fallback, model.vendor_id, vendor, migratable, topology.*
 * and one POLICY=NAME per feature, in the element's order (virt-xml
 * writes them grouped by policy; the order does not change the CPU).
 * Attributes left at libvirt's default are left out.  *notes, when not
 * NULL, gets what virt-xml 4.1 cannot say (topology clusters) or NULL.
 * The result and *notes are the caller's. */
char *cs_export_virt_xml(const struct cs_cpudef *def, char **notes);

/* The spec.domain.cpu of a KubeVirt VirtualMachineInstance (YAML, two-space
 * indentation, from "cpu:" on): model (a named model, host-model or
 * host-passthrough), sockets/cores/threads and the features with their
 * policies (names quoted: a model may be called 486).  What KubeVirt has no
 * field for (match, check, fallback, vendor, vendor_id, dies, clusters,
 * the maximum mode) goes into *notes instead (or NULL when nothing).  The
 * result and *notes are the caller's. */
char *cs_export_kubevirt(const struct cs_cpudef *def, char **notes);

/* The same CPU for Proxmox VE, which runs QEMU itself: a custom CPU model
 * section for /etc/pve/virtual-guest/cpu-models.conf ("cpu-model: NAME",
 * reported-model and flags +FEAT;-FEAT in QEMU's spelling), then the qm
 * command that gives a VM that CPU and the topology (sockets, cores).
 * host-passthrough and maximum become Proxmox's host and max types, with
 * the features Proxmox takes per VM.  Policies: force and require are
 * +FEAT, disable and forbid -FEAT; optional has no form and is left out.
 * What Proxmox cannot express goes into *notes (or NULL).  NULL, with the
 * reason in *notes, when there is no Proxmox form at all (host-model, a
 * model QEMU lacks, no model).  name is the custom model's name.  The
 * result and *notes are the caller's. */
char *cs_export_proxmox(const struct cs_cpudef *def, const char *name, char **notes);

/* The same CPU for OpenStack Nova's libvirt driver: the [libvirt] section
 * of nova.conf (cpu_mode, cpu_models, cpu_model_extra_flags with +NAME to
 * require and -NAME to disable), then the flavor extra specs for the
 * topology (hw:cpu_sockets, hw:cpu_cores, hw:cpu_threads).  Nova writes the
 * <cpu> itself (match exact, fallback forbid); what it cannot express (the
 * optional policy, forbid, force, match, check, vendor, maximum mode...)
 * goes into *notes.  NULL, with the reason in *notes, when Nova has no such
 * CPU (the maximum mode, no model).  The result and *notes are the
 * caller's. */
char *cs_export_nova(const struct cs_cpudef *def, char **notes);

#endif
