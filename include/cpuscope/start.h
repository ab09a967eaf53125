/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* start.h: will a guest start, and with which CPU: libvirt's start path, then QEMU's answer */
#ifndef CPUSCOPE_START_H
#define CPUSCOPE_START_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/decode.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"

/* The domain's type: KVM, or QEMU's own emulation (TCG, domain type='qemu'). */
enum cs_virt_type { CS_VIRT_KVM, CS_VIRT_QEMU };

const char *cs_virt_type_name(enum cs_virt_type t); /* "kvm", "qemu" */
int cs_virt_type_parse(const char *s);              /* -1 when unknown */

/* One hypervisor as libvirt's QEMU driver sees it for one domain type: what
 * `virsh domcapabilities --virttype T` and `virsh capabilities` say.  Every
 * pointer is owned by the structure (cs_hypervisor_release). */
struct cs_hypervisor {
	const struct cs_map *map;
	const struct cs_arch *arch;
	enum cs_virt_type virt;
	/* Which <cpu mode=...> libvirt accepts for this domain type, indexed by
	 * enum cs_cpu_mode. */
	bool mode_supported[4];
	/* The host CPU libvirt judges forbidden features and check='partial'
	 * against (libvirt-semantics.md §5.1): with KVM the CPU `virsh
	 * capabilities` shows, with TCG what QEMU's emulation gives. */
	struct cs_cpudef *host_full;
	/* The migratable host CPU guests are updated against (domcapabilities'
	 * host-model); NULL when host-model is not supported. */
	struct cs_cpudef *host_model;
	/* QEMU's CPU models, usable or not, each with the features the
	 * accelerator cannot give it (domcapabilities' blockers). */
	struct cs_allowed_model *models;
	size_t nmodels;
	/* What the accelerator can give a vCPU, as map features: a feature a
	 * guest asks for outside this set is dropped by QEMU. */
	struct cs_fset gives;
	/* True when models and blockers come from libvirt's own
	 * domcapabilities (QEMU's word); false when cpuscope derived them from
	 * a probe or a CPU file and its QEMU tables. */
	bool from_domcaps;
	/* The domcapabilities listed blockers (libvirt does with KVM). */
	bool has_blockers;
	/* The host runs inside a VM (its CPU sets the hypervisor bit). */
	bool nested;
	char source[160]; /* where this came from, for reports */
};

/* Fill hv from a `virsh domcapabilities` document (buf, len; name for
 * messages) and, optionally, the host CPU of `virsh capabilities` (caps,
 * a host-type definition, copied; used as the full host CPU with KVM).
 * Without caps, or with TCG, the full host CPU is the domcapabilities
 * host-model.  Returns 0, or -1 with err set (not a domcapabilities
 * document, not x86, a model the map lacks is skipped, not an error). */
int cs_hypervisor_from_domcaps(struct cs_hypervisor *hv, const struct cs_map *map, const char *buf,
                               size_t len, const char *name, const struct cs_cpudef *caps,
                               struct cs_error *err);

/* Fill hv without libvirt's word, from what cpuscope knows of a host: cpu
 * is the host CPU (capabilities' view, host type), kvm_model the
 * host-model CPU (guest type, what the accelerator can give; NULL: taken
 * from cpu), virt the domain type.  QEMU's models and their blockers come
 * from cpuscope's tables of QEMU's models (cs_qemu_allowed_models).  With
 * no cpu at all (NULL) the host is unknown: the steps that judge a guest
 * against it are skipped, every mode is taken as supported and the
 * accelerator as giving every feature.  Returns 0, or -1 with err set. */
int cs_hypervisor_from_cpus(struct cs_hypervisor *hv, const struct cs_map *map,
                            const struct cs_cpudef *cpu, const struct cs_cpudef *kvm_model,
                            enum cs_virt_type virt, struct cs_error *err);

/* Free what hv owns and zero it (NULL and a zeroed hv are fine). */
void cs_hypervisor_release(struct cs_hypervisor *hv);

/* What a domain XML says beyond its <cpu> that the start path needs. */
struct cs_domain_info {
	bool is_domain; /* the document is a <domain> */
	bool has_virt;  /* <domain type=...> is kvm or qemu */
	enum cs_virt_type virt;
	unsigned vcpus; /* <vcpu>, 0 when absent */
	char name[128]; /* <name>, or "" */
};

/* Read the domain's type, <vcpu> and <name> from the XML in buf (len
 * bytes; name for messages).  A document that is not a <domain> gives 0
 * with is_domain false.  Returns -1 with err set on bad XML or a <vcpu>
 * that is not a positive number. */
int cs_domain_info_parse(const char *buf, size_t len, const char *name, struct cs_domain_info *out,
                         struct cs_error *err);

/* ---- the verdict ----------------------------------------------------------- */

enum cs_start_outcome {
	CS_START_STARTS,  /* starts, with exactly the CPU defined */
	CS_START_DROPS,   /* starts, QEMU leaving out features the host cannot give */
	CS_START_REFUSED, /* libvirt or QEMU refuses to start it */
};

enum cs_start_actor { CS_ACTOR_NONE, CS_ACTOR_LIBVIRT, CS_ACTOR_QEMU };

/* The step of the start path that decided (libvirt-semantics.md §5.1). */
enum cs_start_step {
	CS_STEP_NONE,          /* nothing refused */
	CS_STEP_TOPOLOGY,      /* <topology> against <vcpu> */
	CS_STEP_MODE,          /* the CPU mode is not supported for the domain type */
	CS_STEP_FORBIDDEN,     /* a forbidden feature the full host CPU lists */
	CS_STEP_PARTIAL,       /* check='partial': the guest against the full host CPU */
	CS_STEP_UPDATE,        /* virCPUUpdate against the migratable host CPU */
	CS_STEP_TRANSLATE,     /* a model QEMU lacks, with fallback='forbid' */
	CS_STEP_QEMU_PROPERTY, /* QEMU has no property for a feature asked for */
	CS_STEP_QEMU_ENFORCE,  /* ,enforce and a feature the host cannot give */
	CS_STEP_QEMU_START,    /* QEMU itself refused (known only by asking it) */
	CS_STEP_INVTSC,        /* invariant TSC asked for and the vCPU lacks it */
	CS_STEP_FULL,          /* check='full': the vCPU differs from the definition */
};

const char *cs_start_step_name(enum cs_start_step s); /* "topology", ... */
/* Whether libvirt takes that step once QEMU runs (on the vCPU QEMU made):
 * then QEMU's answer decides it. */
static inline bool cs_start_step_after_qemu(enum cs_start_step s)
{
	return s == CS_STEP_INVTSC || s == CS_STEP_FULL;
}
const char *cs_start_outcome_name(enum cs_start_outcome o); /* "starts", ... */
const char *cs_start_actor_name(enum cs_start_actor a);     /* "libvirt", "qemu", NULL */

struct cs_start_input {
	const struct cs_cpudef *guest; /* guest type; NULL = a domain without <cpu> */
	unsigned vcpus;                /* the domain's <vcpu>; 0 = not known */
	bool enforce;                  /* ask QEMU to refuse rather than drop */
};

/* What QEMU said when it was asked (cs_qemu_verify_cpu, filled by the
 * caller): the verdict then takes QEMU's word over the prediction. */
struct cs_start_qemu {
	bool asked;
	bool started;               /* QEMU created the vCPU */
	const char *message;        /* QEMU's refusal when !started */
	const char *const *enabled; /* QEMU feature names true on the vCPU */
	size_t nenabled;
	const char *const *filtered; /* QEMU feature names it left out */
	size_t nfiltered;
	const char *const *warnings; /* QEMU's warning lines */
	size_t nwarnings;
};

struct cs_qemu_verify;

/* q describing QEMU's answer v (cs_qemu_verify_cpu); q borrows v's lists,
 * so v must outlive it. */
void cs_start_qemu_from_verify(const struct cs_qemu_verify *v, struct cs_start_qemu *q);

/* The feature a QEMU warning line names when QEMU drops it ("... doesn't
 * support requested feature: CPUID.07H:EBX.hle [bit 4]" gives "hle"),
 * copied into buf; false when the line is no such warning or names only
 * a bit. */
bool cs_qemu_warning_feature(const char *line, char *buf, size_t size);

struct cs_start_verdict {
	enum cs_start_outcome outcome;
	enum cs_start_actor refused_by;
	enum cs_start_step step;
	char message[768];       /* libvirt's or QEMU's message when refused, else "" */
	enum cs_cpu_check check; /* the check libvirt applies (defaults resolved) */
	/* The CPU libvirt starts QEMU with (guest type, owned); NULL when the
	 * start was refused before it was computed or there is no <cpu>. */
	struct cs_cpudef *updated;
	char *cpu_arg; /* the -cpu argument (owned), NULL when there is none */
	/* Features QEMU leaves out because the host cannot give them. */
	struct cs_fset dropped;
	/* Features the vCPU gets (predicted, or read back from QEMU). */
	struct cs_fset vcpu;
	bool vcpu_known;
	/* check='full': what the vCPU has beyond / lacks from the definition. */
	struct cs_fset extra, missing;
	/* The partial check's result when it ran (has_partial). */
	bool has_partial;
	struct cs_compare_result partial;
	/* What cannot be known without asking QEMU, or "" (e.g. a nested host
	 * whose KVM may refuse an MSR). */
	char caveat[256];
	bool verified; /* QEMU was asked and its answer is in this verdict */
};

/* The verdict libvirt 9.0's QEMU driver and then QEMU reach when starting
 * in->guest on hv, step by step (libvirt-semantics.md §5.1): the topology
 * against <vcpu>, the mode, check's default, forbidden features and
 * check='partial' against the full host CPU, the update against the
 * migratable host CPU, translation to QEMU's models, the -cpu argument,
 * the features QEMU then drops (or refuses with enforce), and check='full'
 * against the vCPU QEMU creates.  q may be NULL; when q->asked, QEMU's own
 * answer replaces the prediction from the QEMU steps on.  Returns 0 with
 * *out filled (release with cs_start_verdict_release), or -1 with err set
 * when the input itself is bad (a guest over another arch). */
int cs_start_verdict(const struct cs_hypervisor *hv, const struct cs_start_input *in,
                     const struct cs_start_qemu *q, struct cs_start_verdict *out,
                     struct cs_error *err);

/* Free what v owns (NULL is fine). */
void cs_start_verdict_release(struct cs_start_verdict *v);

/* One line: "starts", "starts without pni, ssse3", "refused by libvirt: ...". */
char *cs_start_summary(const struct cs_start_verdict *v, const struct cs_arch *arch);

#endif
