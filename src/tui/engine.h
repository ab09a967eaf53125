/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine.h: the explorer's one doorway to the core's CPU semantics */
#ifndef CPUSCOPE_TUI_ENGINE_H
#define CPUSCOPE_TUI_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuscope/advice.h"
#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"
#include "cpuscope/level.h"

/* The explorer holds its guest as the core's own guest-type struct
 * cs_cpudef and reads its plain fields (mode, match, check, fallback,
 * model, vendor_idx, topology, features) directly; it assigns mode, match,
 * check and fallback directly too.  Everything else it asks of the core --
 * feature lists, verdicts, effective feature sets, <cpu> XML, QEMU -cpu,
 * export forms, files, the pool, the map's advice -- goes through the
 * functions below.  The core's value types (struct cs_fset and its
 * operations, struct cs_error, the cs_x* allocators) are used freely. */

struct cs_cpudef;
struct cs_compare_result;
struct cs_pool;

/* ---- the guest definition ------------------------------------------------- */

/* A new empty guest over arch: custom mode, no model, nothing listed. */
struct cs_cpudef *engine_guest_new(const struct cs_map *map, const struct cs_arch *arch);
/* A snapshot of def (engine_guest_free frees it). */
struct cs_cpudef *engine_guest_copy(const struct cs_cpudef *def);
void engine_guest_free(struct cs_cpudef *def);
/* Whether a and b say the same <cpu>. */
bool engine_guest_equal(const struct cs_cpudef *a, const struct cs_cpudef *b);
/* The policy feature id is listed with; CS_POLICY_NONE when not listed
 * (a guest never lists a feature without a policy). */
enum cs_policy engine_guest_policy(const struct cs_cpudef *def, unsigned id);
/* *out = every feature the guest lists, whatever its policy. */
void engine_guest_listed(const struct cs_cpudef *def, struct cs_fset *out);
/* Give feature id policy p (CS_POLICY_NONE removes it from the list). */
void engine_guest_set_policy(struct cs_cpudef *def, unsigned id, enum cs_policy p);
void engine_guest_set_model(struct cs_cpudef *def, int model);
void engine_guest_set_vendor(struct cs_cpudef *def, int vendor);
/* Whether the guest lacks what it needs to be judged: custom mode without
 * a model. */
bool engine_guest_is_incomplete(const struct cs_cpudef *def);
/* Topology value i (0 sockets, 1 dies, 2 clusters, 3 cores, 4 threads);
 * 0 when the guest gives no topology (and for clusters not given). */
#define ENGINE_TOPO_COUNT 5
unsigned engine_guest_topology(const struct cs_cpudef *def, unsigned i);
/* Step topology value i by dir (+1 or -1).  The first step up gives the
 * guest a topology (libvirt's defaults: 1, clusters not given); a step down
 * from the defaults takes it away again. */
void engine_guest_step_topology(struct cs_cpudef *def, unsigned i, int dir);
/* Set topology value i to v (1 to 4096; clusters 0, not given, to 4096),
 * giving the guest a topology (libvirt's defaults) first when it has none. */
void engine_guest_set_topology(struct cs_cpudef *def, unsigned i, unsigned v);
/* The guest def takes the CPU of base (mode, match, check, fallback,
 * model, vendor, features with their policies), keeping its topology. */
void engine_guest_take_cpu(struct cs_cpudef *def, const struct cs_cpudef *base);

/* Names as libvirt spells them ("require"; "" for CS_POLICY_NONE). */
const char *engine_policy_name(enum cs_policy p);
const char *engine_mode_name(enum cs_cpu_mode m);
const char *engine_match_name(enum cs_cpu_match m);
const char *engine_check_name(enum cs_cpu_check c); /* "default" for CS_CPU_CHECK_DEFAULT */
const char *engine_fallback_name(enum cs_cpu_fallback f);
/* How many values each field has (the core's enums count from 0). */
#define ENGINE_MODE_COUNT     (CS_CPU_MODE_MAXIMUM + 1)
#define ENGINE_MATCH_COUNT    (CS_CPU_MATCH_STRICT + 1)
#define ENGINE_CHECK_COUNT    (CS_CPU_CHECK_FULL + 1)
#define ENGINE_FALLBACK_COUNT (CS_CPU_FALLBACK_FORBID + 1)

/* One side the guest is compared with: the host CPU (cpu-compare) or what
 * KVM can give a guest (hypervisor-cpu-compare). */
struct app_host {
	bool present;
	char source[64];         /* "CPUID", "KVM", "cpuinfo", or a file's base name */
	char detail[160];        /* why it is absent, or where it came from */
	int vendor;              /* -1 = unknown */
	int model;               /* decoded model, -1 = none */
	struct cs_fset features; /* every map feature it has */
	struct cs_fset extra;    /* features beyond the decoded model */
	struct cs_cpudef *def;   /* what compare takes (owned: engine_host_release) */
};

/* Whether a verdict was reached: no host (or no pool) to compare with,
 * the guest itself is wrong, or the core's answer in compat. */
enum app_verdict_state { VERDICT_NONE, VERDICT_ERROR, VERDICT_DONE };

/* A compare verdict with its reasons (libvirt's cpu-compare wording). */
struct app_verdict {
	enum app_verdict_state state;
	enum cs_compat compat; /* when state is VERDICT_DONE */
	char message[2048];
	struct cs_fset missing;   /* required features the host lacks */
	struct cs_fset forbidden; /* forbidden features the host has */
	struct cs_fset extra;     /* match='strict': host features beyond the guest */
	bool vendor_mismatch;
};

/* A verdict in one word: "IDENTICAL", "SUPERSET", "INCOMPATIBLE", "NO HOST", "ERROR". */
const char *engine_verdict_name(enum app_verdict_state state, enum cs_compat compat);
/* Whether a verdict says the guest runs, or that it cannot. */
bool engine_verdict_runs(enum app_verdict_state state, enum cs_compat compat);
bool engine_verdict_fails(enum app_verdict_state state, enum cs_compat compat);

struct app_pool_verdict;

/* Every verdict on guest def, in one place: against the host CPU
 * (cpu-compare), against what KVM gives (hypervisor-cpu-compare) and
 * against each host of pool (NULL: none); pool_res (pool->ndistinct
 * entries) gets the result of each distinct CPU of the pool. */
void engine_judge(const struct app_host *cpu, const struct app_host *kvm,
                  const struct cs_pool *pool, const struct cs_cpudef *def,
                  struct cs_compare_result *pool_res, struct app_verdict *v_cpu,
                  struct app_verdict *v_kvm, struct app_pool_verdict *v_pool);
/* The features guest def would see on host h (h may be absent), and, when
 * level is not NULL, the x86-64 level (cs_x86_level) of what it gets from
 * QEMU there, with the features the next level lacks (next may be NULL). */
void engine_effective(const struct cs_arch *arch, const struct app_host *h,
                      const struct cs_cpudef *def, struct cs_fset *out, int *level,
                      struct cs_fset *next);
/* Whether QEMU (7.2) has model; libvirt starts another model for one it
 * lacks, or refuses it with fallback='forbid'. */
bool engine_model_in_qemu(const struct cs_arch *arch, int model);
/* Whether host h runs model as a plain custom guest; *nmissing gets the
 * count of model features h lacks.  scratch is a guest definition to use. */
bool engine_model_runs(const struct app_host *h, struct cs_cpudef *scratch, int model,
                       unsigned *nmissing);
/* The whole verdict of model as a plain custom guest on h (what it lacks,
 * libvirt's message). */
void engine_model_verdict(const struct app_host *h, struct cs_cpudef *scratch, int model,
                          struct app_verdict *v);

/* The model to fall back to (cs_fallback_model): of those with runs[m],
 * not exclude, of vendor (-1: any), the one that keeps the most of want
 * without going below its x86-64 level or losing long mode; -1 if none. */
int engine_fallback_model(const struct cs_arch *arch, const struct cs_fset *want, int exclude,
                          int vendor, const bool *runs);

/* The guest as a <cpu> element (newline-terminated), and the QEMU -cpu
 * argument libvirt builds for it on host h; the caller frees both. */
char *engine_guest_xml(const struct cs_cpudef *def);
char *engine_qemu_arg(const struct cs_cpudef *def, const struct app_host *h);

/* The OSC 52 escape sequence that puts text on the terminal's clipboard
 * (selection c, base64, ended by BEL).  The result is the caller's. */
char *engine_osc52(const char *text);

/* Load the first <cpu> of a bare <cpu> file or a domain XML: *def gets the
 * definition (owned by the caller), *is_domain tells which, *vcpus the
 * domain's <vcpu> (0 when not a domain or not given).  Returns 0, or -1
 * with err set. */
int engine_load_guest(const struct cs_map *map, const char *path, struct cs_cpudef **def,
                      bool *is_domain, unsigned *vcpus, struct cs_error *err);
/* Save def to path atomically: a domain XML keeps everything but its
 * <cpu>, any other file gets the bare <cpu> element; either holds only
 * what a guest <cpu> may (engine_guest_for_file). */
int engine_save_guest(const struct cs_cpudef *def, const char *path, bool is_domain,
                      struct cs_error *err);

/* A copy of def fit for a guest file: without the elements only a host's
 * <cpu> holds (<arch>, <signature>, <microcode>, <counter>, <pages> ...). */
struct cs_cpudef *engine_guest_for_file(const struct cs_cpudef *def);
/* Whether def was read from a host's file (capabilities, domcapabilities),
 * which saving the guest must never overwrite. */
bool engine_guest_from_host_file(const struct cs_cpudef *def);
/* 0 when path is a regular file (or, with pipes, a pipe), which reading
 * cannot block on; else -1 with err saying what it is. */
int engine_check_plain_file(const char *path, bool pipes, struct cs_error *err);

/* ---- a pool of hosts ------------------------------------------------------ */

/* The guest against every host of a pool: INCOMPATIBLE when one host or
 * more cannot run it, else SUPERSET (IDENTICAL when every host is
 * identical); NONE without a pool, ERROR when the guest itself is wrong. */
struct app_pool_verdict {
	enum app_verdict_state state; /* VERDICT_NONE: no pool */
	enum cs_compat compat;
	size_t nhosts, nbad;      /* hosts, and those that cannot run the guest */
	size_t first_bad;         /* the first of them (nhosts when none) */
	struct cs_fset missing;   /* required features one host or more lacks */
	struct cs_fset forbidden; /* forbidden features one host or more has */
	struct cs_fset extra;     /* match='strict': extras on one host or more */
	bool vendor_mismatch;
	char message[2048]; /* the first failing host and libvirt's reason, or the error */
};

/* The pool's baseline (virsh cpu-baseline of its hosts): a new
 * definition, or NULL with err set. */
struct cs_cpudef *engine_pool_baseline(const struct cs_pool *pool, struct cs_error *err);

/* How the host is learnt: a file (capabilities, domcapabilities, <cpu>,
 * CPUID dump), or a probe source name ("cpuid", "kvm", "cpuinfo"). */
struct engine_host_opts {
	const char *file;
	const char *source;
};
/* Fill cpu (the host CPU) and kvm (what KVM gives; present only where
 * /dev/kvm is usable and no file or other source was asked for).  A side
 * that cannot be learnt stays !present with the reason in detail.  Returns
 * -1 with err set (err may be NULL) when opts->file cannot be read or is no
 * host file, else 0. */
int engine_probe(const struct cs_map *map, const struct cs_arch *arch,
                 const struct engine_host_opts *opts, struct app_host *cpu, struct app_host *kvm,
                 struct cs_error *err);
/* The brand string of the host opts describes (cs_host_brand) into buf;
 * "" when unknown. */
void engine_host_brand(const struct cs_map *map, const struct engine_host_opts *opts, char *buf,
                       size_t size);
/* Fill side from the host definition *def (taken over: *def becomes NULL)
 * labelled source, or, when *def is NULL or unusable, as absent for why. */
void engine_host_set(struct app_host *side, const struct cs_arch *arch, struct cs_cpudef **def,
                     const char *source, const char *why);
/* Free what a host side owns (its definition); NULL is fine. */
void engine_host_release(struct app_host *h);

/* ---- the map: models, features, levels, advice (engine_map.c) ------------- */

/* The map's x86 section, else its first. */
const struct cs_arch *engine_arch(const struct cs_map *map);
/* Derive the inheritance tree of a flat map's models (cs_arch_derive_tree). */
void engine_arch_derive_tree(struct cs_arch *arch);
/* Model m's parent in the tree, -1 for a root; *derived (may be NULL) says
 * whether the edge was derived rather than given by the map. */
int engine_model_parent(const struct cs_arch *arch, const struct cs_model *m, bool *derived);
/* The model of the inheritance chain of model that brings feature id, or -1. */
int engine_feature_origin(const struct cs_arch *arch, int model, unsigned id);
/* "CPUID 7.0 EBX[5]" or "MSR 0x10a bit 0". */
void engine_feature_location(const struct cs_feature *f, char *buf, size_t size);
/* Why the host lacks feature id (or what else is known about it), for the
 * feature line; NULL when there is nothing to add to what the line says.
 * tcg: the second side is QEMU's TCG, not KVM. */
const char *engine_feature_reason(const struct cs_arch *arch, unsigned id,
                                  const struct app_host *cpu, const struct app_host *kvm, bool tcg);
/* The features of missing grouped by why the sides lack them (see
 * cs_missing_reasons_hv); returns the number of groups written to out. */
size_t engine_missing_reasons(const struct cs_arch *arch, const struct cs_fset *missing, int vendor,
                              const struct cs_fset *cpu, const struct cs_fset *kvm, bool tcg,
                              struct cs_reason_group *out, size_t max);
/* The map's mitigation features. */
void engine_mitigations(const struct cs_arch *arch, struct cs_fset *out);
/* The map's variant of model without (some of) missing, or -1; *drop (may
 * be NULL) gets what it leaves out. */
int engine_model_variant_without(const struct cs_arch *arch, int model,
                                 const struct cs_fset *missing, struct cs_fset *drop);
/* The x86-64 level of a feature set, and a level's name ("x86-64-v3"). */
#define ENGINE_LEVEL_MAX CS_LEVEL_MAX
int engine_level(const struct cs_arch *arch, const struct cs_fset *features);
const char *engine_level_name(int level);
/* A file's contents (at most max bytes), NUL-terminated; 0 or -1 with err set. */
int engine_read_file(const char *path, size_t max, char **out, size_t *len, struct cs_error *err);

/* ---- texts ---------------------------------------------------------------- */

/* The export forms of the output view. */
enum engine_export {
	ENGINE_EXPORT_VIRT_XML, /* virt-xml --cpu's argument */
	ENGINE_EXPORT_KUBEVIRT,
	ENGINE_EXPORT_PROXMOX,
	ENGINE_EXPORT_NOVA,
};
/* The guest in that form, and in *notes what it cannot say (both the
 * caller's, either may be NULL). */
char *engine_export(const struct cs_cpudef *def, enum engine_export form, char **notes);
/* The core's word for a compare result ("superset"). */
const char *engine_compat_name(enum cs_compat c);
/* libvirt's reason for an incompatible compare result (the caller's). */
char *engine_compare_message(const struct cs_compare_result *res);

/* ---- pools (engine_pool.c) ---------------------------------------------------- */

void engine_pool_init(struct cs_pool *pool, const struct cs_map *map);
void engine_pool_init_arch(struct cs_pool *pool, const struct cs_map *map,
                           const struct cs_arch *arch);
void engine_pool_release(struct cs_pool *pool);
/* The hosts of a file, or of several; see cs_pool_add_file(s). */
long engine_pool_add_file(struct cs_pool *pool, const char *path, struct cs_error *err);
int engine_pool_add_files(struct cs_pool *pool, char *const *files, size_t nfiles,
                          struct cs_error *err);
/* The baseline of the pool's hosts of vendor (-1: those without one), in
 * words ("Skylake-Client, 3 features required", or "none: why") into buf;
 * *nhosts gets how many hosts that is (engine_pool_view.c). */
void engine_pool_vendor_baseline(const struct cs_pool *pool, int vendor, size_t *nhosts, char *buf,
                                 size_t size);
/* Whether a --pool item is a libvirt URI rather than a file. */
bool engine_pool_is_uri(const char *item);
/* Add the host of libvirt connection uri (its capabilities, named by its
 * hostname): the hosts added, or -1 with err set. */
long engine_pool_add_uri(struct cs_pool *pool, const char *uri, struct cs_error *err);
/* How many hosts of the pool run model as a plain guest. */
size_t engine_pool_model_runs(const struct cs_pool *pool, int model);

/* Loading pool files in the background: a worker thread reads them into a
 * pool of its own, handed over once every file is read. */
struct engine_pool_load;
/* Start reading the files paths[i] (labelled labels[i] when labels and it
 * are not NULL; both arrays must outlive the load) into a new pool of
 * arch; NULL when no thread could be started. */
struct engine_pool_load *engine_pool_load_start(const struct cs_map *map,
                                                const struct cs_arch *arch, char *const *paths,
                                                char *const *labels, size_t nfiles);
/* Ask the worker to stop (it stops within one read). */
void engine_pool_load_cancel(struct engine_pool_load *load);
/* Where the load stands, in words for the status line ("pool: 12,345 hosts
 * read, 40%"), and whether it has ended. */
bool engine_pool_load_done(struct engine_pool_load *load, char *msg, size_t size);
/* Once done: wait for the worker, move the pool read into *out and the
 * hosts each file gave into counts (nfiles of them, when not NULL), and
 * into left_out (when not NULL) the libvirt connection that could not be
 * reached and why ("" when none): 0; or -1 with the error (or the cancel)
 * in err.  A path holding "://" is a libvirt URI whose host is fetched
 * through the connection.  load is freed. */
int engine_pool_load_finish(struct engine_pool_load *load, struct cs_pool *out, size_t *counts,
                            char *left_out, size_t size, struct cs_error *err);

#endif
