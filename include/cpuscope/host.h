/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host.h: what the host CPU has, and what KVM can give a guest: probing, file sources, output */
#ifndef CPUSCOPE_HOST_H
#define CPUSCOPE_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/decode.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"

/* ---- raw CPU data ------------------------------------------------------ */

/* A set of CPUID and MSR items, kept sorted as libvirt keeps them: CPUID
 * before MSR, then by leaf (eax_in / MSR index), then by sub-leaf (ecx_in).
 * Items reuse struct cs_item: an MSR holds its low 32 bits in reg[CS_REG_EAX]
 * and its high 32 bits in reg[CS_REG_EDX].  Zero-initialised = empty. */
struct cs_cpudata {
	struct cs_item *items;
	size_t nitems, cap;
};

/* Most items a CPU data dump or a `cpuid -r` text may hold (a real CPU has
 * a few hundred). */
#define CS_MAX_CPUDATA_ITEMS 65536u

void cs_cpudata_init(struct cs_cpudata *d);
/* Free the items; d may be NULL.  d is left empty and reusable. */
void cs_cpudata_release(struct cs_cpudata *d);
/* OR item into d: an existing item with the same key is merged, otherwise
 * the item is inserted in order.  An MSR's reg[EBX]/reg[ECX] are ignored. */
void cs_cpudata_add(struct cs_cpudata *d, const struct cs_item *item);
/* The item with that key, or NULL (borrowed; valid until d changes). */
const struct cs_item *cs_cpudata_find(const struct cs_cpudata *d, enum cs_item_kind kind,
                                      uint32_t leaf, uint32_t subleaf);
/* True when every bit of mask is set in the same-key item of d (a mask
 * with no bits is always present). */
bool cs_cpudata_has(const struct cs_cpudata *d, const struct cs_item *mask);

/* libvirt's signature: CPUID leaf 1 eax & 0x0fff3fff, 0 without leaf 1. */
uint32_t cs_cpudata_signature(const struct cs_cpudata *d);
/* Build a signature from family/model/stepping (the inverse of
 * cs_signature_split for valid values). */
uint32_t cs_signature_make(unsigned family, unsigned model, unsigned stepping);
/* The first vendor of arch (map order) whose leaf-0 vendor string is in d,
 * or -1. */
int cs_cpudata_vendor(const struct cs_arch *arch, const struct cs_cpudata *d);
/* The 12-character vendor string of leaf 0 (ebx, edx, ecx) into buf (at
 * least 13 bytes); false when d has no non-zero leaf 0. */
bool cs_cpudata_vendor_string(const struct cs_cpudata *d, char *buf, size_t size);
/* Decode facts from raw data over arch: vendor, signature, and every map
 * feature whose bits are all present.  Bits that belong to no map feature are
 * dropped, as libvirt drops them. */
void cs_cpudata_facts(const struct cs_arch *arch, const struct cs_cpudata *d,
                      struct cs_cpu_facts *out);

/* Parse a libvirt CPUID dump (<cpudata arch='x86'> with <cpuid .../> and
 * <msr .../> children, libvirt-semantics.md §6.2) from buf.  name is used in messages.
 * Items with the same key are OR-ed.  On success d holds the data (it is
 * emptied first); on error d is empty and err says where. */
int cs_cpudata_parse_xml(const char *buf, size_t len, const char *name, struct cs_cpudata *d,
                         struct cs_error *err);
/* Parse the output of `cpuid -r` (or `cpuid -r -1`): lines of the form
 * "0x00000007 0x00: eax=0x... ebx=0x... ecx=0x... edx=0x...".  Only the
 * first CPU's block is used.  Same contract as cs_cpudata_parse_xml. */
int cs_cpudata_parse_cpuid_raw(const char *buf, size_t len, const char *name, struct cs_cpudata *d,
                               struct cs_error *err);
/* Write d as a libvirt CPUID dump (the format cs_cpudata_parse_xml reads;
 * all-zero items but CPUID leaf 0 are left out).  comment, if not NULL, becomes the leading
 * XML comment (e.g. the brand string), with a space put between two hyphens
 * and control characters written as '?', which a comment cannot hold.  The
 * result is the caller's. */
char *cs_cpudata_format_xml(const struct cs_cpudata *d, const char *comment);

/* ---- CPUID and MSR sources --------------------------------------------- */

/* Where CPUID leaves come from.  leaf() fills out[] = eax, ebx, ecx, edx for
 * (leaf, sub) and returns 0, or returns -1 (and may set err) when the leaf
 * cannot be read.  The real source executes CPUID; tests replay a dump. */
struct cs_cpuid_source {
	int (*leaf)(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4], struct cs_error *err);
	void *ctx;
};

/* Where model-specific registers come from.  read() returns 0 with *value
 * set, or -1 (and may set err) when the MSR cannot be read. */
struct cs_msr_source {
	int (*read)(void *ctx, uint32_t index, uint64_t *value, struct cs_error *err);
	void *ctx;
};

/* The CPUID instruction of the running CPU.  Fails with CS_ERR_SYSTEM on a
 * machine that is not x86. */
int cs_cpuid_source_native(struct cs_cpuid_source *src, struct cs_error *err);
/* True when the native source works on this machine. */
bool cs_cpuid_native_available(void);

/* A source that replays data (borrowed: it must outlive src).  Leaves absent
 * from data read as zeros, as libvirt's dumps leave out all-zero leaves; with
 * strict set they are an error instead ("CPUID leaf 0x%x.%u not in data"). */
struct cs_cpuid_replay {
	const struct cs_cpudata *data;
	bool strict;
};
void cs_cpuid_source_replay(struct cs_cpuid_source *src, struct cs_cpuid_replay *replay);

/* Enumerate CPUID as libvirt's host probe does (libvirt-semantics.md §2.5): basic and extended
 * ranges, with the sub-leaves of leaves 4, 7, 0xb, 0xd, 0xf, 0x10, 0x12,
 * 0x14 and 0x17.  All-zero results are not stored.  out is emptied first. */
int cs_cpuid_enumerate(const struct cs_cpuid_source *src, struct cs_cpudata *out,
                       struct cs_error *err);

/* Feature MSRs of the running host as libvirt reads them for the host CPU:
 * KVM_GET_MSRS on the /dev/kvm system fd when KVM lists the MSR as a feature
 * MSR, else the msr driver's /dev/cpu/0/msr.  kvm_path/msr_path NULL = the
 * defaults.  ctx must stay valid while src is used. */
struct cs_msr_host {
	const char *kvm_path;
	const char *msr_path;
};
void cs_msr_source_host(struct cs_msr_source *src, struct cs_msr_host *ctx);

/* ---- KVM ----------------------------------------------------------------- */

/* What KVM can give a guest, read with real ioctls on the system fd of
 * kvm_path (NULL = /dev/kvm): KVM_GET_SUPPORTED_CPUID, plus the feature MSRs
 * listed by KVM_GET_MSR_FEATURE_INDEX_LIST that the map uses, read with
 * KVM_GET_MSRS.  QEMU's adjustments for its "host" CPU model are applied
 * (hypervisor, x2apic and tsc-deadline with an in-kernel irqchip, arat, and
 * arch-capabilities only when KVM lists MSR 0x10a).  Errors are CS_ERR_SYSTEM
 * with a plain message: "cannot open /dev/kvm: No such file or directory". */
int cs_kvm_probe(const char *kvm_path, struct cs_cpudata *out, struct cs_error *err);

/* ---- /proc/cpuinfo -------------------------------------------------------- */

/* One row of the Linux <-> libvirt feature-name table. */
struct cs_linux_name {
	const char *linux_name;
	const char *libvirt_name;
	const char *note; /* why, or NULL */
};
/* The table (x86): Linux flag names that differ from the map's names.  Names
 * that are spelled the same are not listed.  *n receives the row count. */
const struct cs_linux_name *cs_cpuinfo_name_table(size_t *n);
/* The map name for a Linux flag on a CPU of vendor_string (NULL = unknown),
 * or NULL when the map has no such feature. */
const char *cs_cpuinfo_translate(const struct cs_arch *arch, const char *flag,
                                 const char *vendor_string);

/* ---- the host ---------------------------------------------------------- */

enum cs_host_source {
	CS_HOST_SOURCE_CPUID,   /* the CPUID instruction (+ feature MSRs) */
	CS_HOST_SOURCE_KVM,     /* what KVM can give a guest */
	CS_HOST_SOURCE_CPUINFO, /* Linux /proc/cpuinfo flags */
	CS_HOST_SOURCE_FILE,    /* a saved file (see enum cs_host_file) */
};

/* The kinds of file cs_host_load() recognises, by content. */
enum cs_host_file {
	CS_HOST_FILE_NONE,
	CS_HOST_FILE_CPUDATA,      /* libvirt CPUID dump <cpudata arch='x86'> */
	CS_HOST_FILE_CPUID_RAW,    /* `cpuid -r` output */
	CS_HOST_FILE_CPUINFO,      /* a copy of /proc/cpuinfo */
	CS_HOST_FILE_CAPABILITIES, /* `virsh capabilities` (host/cpu) */
	CS_HOST_FILE_DOMCAPS,      /* `virsh domcapabilities` (host-model mode) */
	CS_HOST_FILE_CPU,          /* a bare <cpu> element */
};

/* A probed or loaded host CPU.  facts are over arch (borrowed from the map
 * the host was made with; the map must outlive the host). */
struct cs_host {
	enum cs_host_source source;    /* the source that answered */
	enum cs_host_source requested; /* the source asked for */
	enum cs_host_file file_kind;   /* for CS_HOST_SOURCE_FILE */
	char *path;                    /* the file, or NULL */
	char *arch_name;               /* as <arch> prints it: "x86_64", "aarch64" ... */
	const struct cs_arch *arch;    /* NULL when the map has no section for it */
	bool has_data;                 /* data holds raw CPUID/MSR items */
	struct cs_cpudata data;
	struct cs_cpu_facts facts; /* vendor, signature, features */
	char vendor_string[13];    /* CPUID vendor string or cpuinfo vendor_id, or "" */
	char *brand;               /* model name / brand string, or NULL */
	/* A <cpu> element that already names a model (capabilities, domcaps,
	 * bare <cpu>): its model (-1 if none) and, for a guest-style <cpu> such
	 * as domcapabilities' host-model, its require/disable lists. */
	int given_model;
	bool given_is_guest;
	struct cs_fset given_require, given_disable;
	/* The CPU's own view (CPUID, a dump, cpuinfo, capabilities) when known;
	 * for the cpuid source it equals facts. */
	bool has_cpu;
	struct cs_cpu_facts cpu_facts;
	/* What KVM can give a guest, when known (kvm source, or probed beside the
	 * cpuid source for the text report). */
	bool has_kvm;
	struct cs_cpudata kvm_data;
	struct cs_cpu_facts kvm_facts;
	/* cpuinfo flags with no map feature (owned). */
	char **unknown;
	size_t nunknown;
	/* Fallbacks taken and other things a user should know, one per line,
	 * or NULL (owned). */
	char *notes;
};

/* How to probe; NULL fields mean the real thing. */
struct cs_probe_env {
	const struct cs_cpuid_source *cpuid; /* default: the CPUID instruction */
	const struct cs_msr_source *msr;     /* default: cs_msr_source_host() */
	const char *kvm_path;                /* default: /dev/kvm */
	const char *cpuinfo_path;            /* default: /proc/cpuinfo */
	const char *machine;                 /* default: uname -m */
	bool no_fallback;                    /* fail instead of falling back */
	bool with_kvm;                       /* cpuid source: also try KVM (for reports) */
};

/* Probe the running host from source.  When the source cannot be used (no
 * /dev/kvm or no permission, not an x86 machine), fall back kvm -> cpuid ->
 * cpuinfo and say so in host->notes, unless env->no_fallback.  env may be
 * NULL.  Returns a new host (free with cs_host_free) or NULL with err set. */
struct cs_host *cs_host_probe(const struct cs_map *map, enum cs_host_source source,
                              const struct cs_probe_env *env, struct cs_error *err);

/* Load a host from a file, detecting its kind from the content (see enum
 * cs_host_file).  Same contract as cs_host_probe. */
struct cs_host *cs_host_load(const struct cs_map *map, const char *path, struct cs_error *err);
/* The same from memory; name is used in messages. */
struct cs_host *cs_host_parse(const struct cs_map *map, const char *buf, size_t len,
                              const char *name, struct cs_error *err);
/* The kind of file buf holds (content sniffing only), or CS_HOST_FILE_NONE. */
enum cs_host_file cs_host_detect(const char *buf, size_t len);

void cs_host_free(struct cs_host *host);

/* Decode the host the way `virsh capabilities` does: host mode, every model
 * allowed (for a file that names a model, libvirt's own choice is kept). */
int cs_host_decode(const struct cs_host *host, struct cs_decoded *out, struct cs_error *err);
/* Decode as a guest CPU with every model allowed (cputest's -guest.xml). */
int cs_host_decode_guest(const struct cs_host *host, struct cs_decoded *out, struct cs_error *err);
/* The host-model CPU as `virsh domcapabilities` lists it: the KVM view when
 * known (else the CPU's own), decoded in guest mode over the models QEMU 7.2
 * defines, each with the blockers that view gives it
 * (cs_qemu_allowed_models), then without cmt, mbm_total, mbm_local, osxsave
 * and ospke. */
int cs_host_model(const struct cs_host *host, struct cs_decoded *out, struct cs_error *err);

/* ---- QEMU 7.2's CPU models ------------------------------------------------ */

/* False for the libvirt 9.0 map models QEMU 7.2 does not define
 * (pentiumpro, cpu64-rhel5, cpu64-rhel6, Icelake-Client,
 * Icelake-Client-noTSX): libvirt never picks them for host-model and
 * translates a guest that names one.  True for any other name. */
bool cs_model_known_to_qemu(const char *name);

/* False for the libvirt 9.0 map features QEMU 7.2 has no property for:
 * osxsave, cmt, ospke, pconfig, mbm_total, mbm_local and cvt16. */
bool cs_qemu_knows_feature(const char *name);

/* The features QEMU 7.2's x86_64 model of the same name as arch's model
 * enables when it runs with KVM, as map features: the map's model with
 * QEMU's own differences (QEMU's models are not always the map's; with KVM
 * every model also gets x2apic and hypervisor, and loses monitor and svm).
 * Exact for the libvirt 9.0 map; over another map the differences are
 * applied to that map's model of the same name.  False, with *out empty,
 * when QEMU has no such model or arch is not x86. */
bool cs_qemu_model_features(const struct cs_arch *arch, int model, struct cs_fset *out);

/* The same for QEMU's own emulation (TCG): the model's features with
 * hypervisor added, without KVM's x2apic and keeping monitor and svm. */
bool cs_qemu_model_features_tcg(const struct cs_arch *arch, int model, struct cs_fset *out);

/* The models libvirt lets decoding choose from for QEMU 7.2 (usable or
 * not): every model of x86 arch that QEMU defines, in map order, each with
 * its blockers, the features QEMU would report unavailable on a host whose
 * KVM gives the map features in view: cs_qemu_model_features minus view,
 * where view always counts hypervisor, x2apic, tsc-deadline and arat (KVM
 * emulates them) and topoext (QEMU never reports it).  view may be the
 * CPU's own features when KVM's are unknown; NULL gives no blockers.  Returns a new
 * array of *n entries (the caller frees it), or NULL with *n = 0 when arch
 * is not x86. */
struct cs_allowed_model *cs_qemu_allowed_models(const struct cs_arch *arch,
                                                const struct cs_fset *view, size_t *n);
/* Drop the features QEMU has no property for (libvirt-semantics.md §5.4) from both lists. */
void cs_decoded_filter_qemu(const struct cs_arch *arch, struct cs_decoded *d);

/* ---- the host as the commands and the explorer see it --------------------- */

struct cs_cpudef;

/* Where the host comes from. */
enum cs_host_from {
	CS_HOST_FROM_NONE,  /* no host: both sides unknown */
	CS_HOST_FROM_FILE,  /* a saved file, any kind cs_host_detect() knows */
	CS_HOST_FROM_PROBE, /* this machine, through a probe source */
};

struct cs_host_opts {
	enum cs_host_from from;
	const char *file;               /* CS_HOST_FROM_FILE */
	enum cs_host_source source;     /* CS_HOST_FROM_PROBE: CPUID, KVM or CPUINFO */
	const struct cs_probe_env *env; /* probe environment; NULL = the real machine */
};

/* The two things a guest is compared with, learnt by one set of rules:
 *
 *   cpu  the host CPU as `virsh capabilities` shows it, what `virsh
 *        cpu-compare` compares with (a host-type definition);
 *   kvm  what KVM can give a guest: the host-model CPU as `virsh
 *        domcapabilities` lists it, what `virsh hypervisor-cpu-compare`
 *        compares with (a guest-type definition).
 *
 * What each source gives:
 *   virsh capabilities, a bare <cpu>   cpu = its (first) <cpu> as written;
 *                                      kvm unknown
 *   virsh domcapabilities              kvm = its host-model <cpu> as written
 *                                      (origin CS_CPU_ORIGIN_DOMCAPS); cpu
 *                                      unknown
 *   CPUID dump, cpuid -r, cpuinfo      cpu = the data decoded as libvirt
 *                                      decodes the host CPU; kvm unknown
 *   probe cpuid or kvm                 cpu = CPUID decoded; kvm = host-model
 *                                      from what /dev/kvm gives, when usable
 *   probe cpuinfo                      cpu = /proc/cpuinfo decoded; kvm
 *                                      unknown
 *
 * model is the host-model CPU a guest is updated against when it starts
 * (host-model mode, optional features): the kvm side when known, else, as
 * libvirt does without QEMU's answer, the host-model decoded from the
 * CPU's own data; NULL for a <cpu> or capabilities file, which hold no
 * data to decode (then the host CPU stands in).
 *
 * A side that cannot be learnt is NULL and its *_why says why.  The
 * facts of a known side are what it has: for CPU data the decoded
 * features, for a definition cs_cpudef_to_facts() (zero with vendor -1
 * when that fails).  Everything is owned by the struct. */
struct cs_host_sides {
	struct cs_cpudef *cpu, *kvm, *model;
	struct cs_cpu_facts cpu_facts, kvm_facts;
	char cpu_why[160], kvm_why[160];
	enum cs_host_source source; /* the source that answered (FILE for a file) */
	enum cs_host_file file_kind;
	char *notes; /* fallbacks taken, one per line, or NULL */
};

/* Learn the host from opts (see struct cs_host_sides).  Returns 0, or -1
 * with err set when the file cannot be read or understood or no probe
 * source works; out is then empty, with the error in out->cpu_why.  An
 * unknown kvm side is not an error.  Release out with
 * cs_host_sides_release() in every case. */
int cs_host_sides_load(const struct cs_map *map, const struct cs_host_opts *opts,
                       struct cs_host_sides *out, struct cs_error *err);
/* Free what sides owns; it is left empty.  NULL is fine. */
void cs_host_sides_release(struct cs_host_sides *sides);

/* ---- output -------------------------------------------------------------- */

enum cs_cpu_xml_form {
	CS_CPU_XML_HOST,       /* <cpu><arch/><model/><vendor/><signature/><feature name/> */
	CS_CPU_XML_GUEST,      /* <cpu mode='custom' match='exact'> ... fallback='forbid' */
	CS_CPU_XML_HOST_MODEL, /* <mode name='host-model' supported='yes'> ... */
};

/* Format d as libvirt prints it in the given form: two-space indentation,
 * single quotes, final newline.  arch_name is used by the host form.  The
 * result is the caller's. */
char *cs_decoded_format_xml(const struct cs_arch *arch, const struct cs_decoded *d,
                            enum cs_cpu_xml_form form, const char *arch_name);

/* A readable report: source, vendor, signature, the host and host-model
 * decodes, then one line per map feature the CPU or KVM has, telling whether
 * the CPU has it, whether KVM can expose it, and whether the host model
 * includes it.  The result is the caller's. */
char *cs_host_format_text(const struct cs_host *host);

const char *cs_host_source_name(enum cs_host_source s); /* "cpuid", "kvm", ... */
const char *cs_host_file_name(enum cs_host_file k);     /* "libvirt CPUID dump", ... */
/* Parse "cpuid", "kvm", "cpuinfo"; -1 if unknown. */
int cs_host_source_parse(const char *s, enum cs_host_source *out);

#endif
