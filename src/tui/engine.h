/* engine.h: the explorer's one doorway to the core's CPU semantics */
#ifndef CPUSCOPE_TUI_ENGINE_H
#define CPUSCOPE_TUI_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"

/* Everything the explorer knows about guest CPU semantics (compare verdicts,
 * effective feature sets, <cpu> XML, QEMU -cpu, host probing, files) goes
 * through the functions below, which call the core library.  The explorer's
 * own state keeps plain values so that undo can copy them. */

/* The values mirror the core's enums (cpudef.h) in the same order. */
enum app_gmode {
	GMODE_CUSTOM,
	GMODE_HOST_MODEL,
	GMODE_HOST_PASSTHROUGH,
	GMODE_MAXIMUM,
	GMODE_COUNT
};
enum app_match { MATCH_EXACT, MATCH_MINIMUM, MATCH_STRICT, MATCH_COUNT };
enum app_check { CHECK_DEFAULT, CHECK_NONE, CHECK_PARTIAL, CHECK_FULL, CHECK_COUNT };
enum app_fallback { FALLBACK_ALLOW, FALLBACK_FORBID, FALLBACK_COUNT };
/* POLICY_NONE: the feature is not listed in the guest's <cpu>. */
enum app_policy {
	POLICY_NONE,
	POLICY_FORCE,
	POLICY_REQUIRE,
	POLICY_OPTIONAL,
	POLICY_DISABLE,
	POLICY_FORBID,
	POLICY_COUNT
};
enum app_topo { TOPO_SOCKETS, TOPO_DIES, TOPO_CLUSTERS, TOPO_CORES, TOPO_THREADS, TOPO_COUNT };

struct cs_cpudef;

/* A guest <cpu> as plain data, so it can be copied with '=' (undo).
 * model and vendor index the arch's models and vendors, -1 = none.
 * topo[] 0 = not given.  policy[] is indexed by feature id; order[] lists
 * the listed features in the order they appear in <cpu>. */
struct app_guest {
	enum app_gmode mode;
	enum app_match match;
	enum app_check check;
	enum app_fallback fallback;
	int model;
	int vendor;
	unsigned topo[TOPO_COUNT];
	unsigned norder;
	uint16_t order[CS_FSET_MAX];
	unsigned char policy[CS_FSET_MAX];
};

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

enum app_compat {
	COMPAT_NONE,
	COMPAT_IDENTICAL,
	COMPAT_SUPERSET,
	COMPAT_INCOMPATIBLE,
	COMPAT_ERROR
};

/* A compare verdict with its reasons (libvirt's cpu-compare wording). */
struct app_verdict {
	enum app_compat result;
	char message[320];
	struct cs_fset missing;   /* required features the host lacks */
	struct cs_fset forbidden; /* forbidden features the host has */
	struct cs_fset extra;     /* match='strict': host features beyond the guest */
	bool vendor_mismatch;
};

/* Guest policy names as libvirt spells them ("require"); "" for NONE. */
const char *engine_policy_name(enum app_policy p);
const char *engine_gmode_name(enum app_gmode m);
const char *engine_match_name(enum app_match m);
const char *engine_check_name(enum app_check c); /* "default" for CHECK_DEFAULT */
const char *engine_fallback_name(enum app_fallback f);
const char *engine_compat_name(enum app_compat c); /* "IDENTICAL" ... */

/* An empty guest: custom mode, no model, nothing listed. */
void engine_guest_init(struct app_guest *g);
/* Give feature id policy p (POLICY_NONE removes it from the list). */
void engine_guest_set_policy(struct app_guest *g, unsigned id, enum app_policy p);
bool engine_guest_equal(const struct app_guest *a, const struct app_guest *b);

/* A new empty guest definition over arch (engine_def_free frees it). */
struct cs_cpudef *engine_def_new(const struct cs_map *map, const struct cs_arch *arch);
void engine_def_free(struct cs_cpudef *def);
/* Make def say what g says (elements g does not model are kept). */
void engine_sync(struct cs_cpudef *def, const struct app_guest *g);

/* Compare guest g (def: g synced by engine_sync) with host h, as virsh
 * cpu-compare does. */
void engine_compare(const struct cs_arch *arch, const struct app_host *h,
                    const struct cs_cpudef *def, const struct app_guest *g,
                    struct app_verdict *out);
/* The features guest def would see on host h (h may be absent), and, when
 * level is not NULL, the x86-64 level (cs_x86_level) of what it gets from
 * QEMU there, with the features the next level lacks (next may be NULL). */
void engine_effective(const struct cs_arch *arch, const struct app_host *h,
                      const struct cs_cpudef *def, struct cs_fset *out, int *level,
                      struct cs_fset *next);
/* Whether host h runs model as a plain custom guest; *nmissing gets the
 * count of model features h lacks.  scratch is a guest definition to use. */
bool engine_model_runs(const struct app_host *h, struct cs_cpudef *scratch, int model,
                       unsigned *nmissing);

/* The guest as a <cpu> element (newline-terminated), and the QEMU -cpu
 * argument libvirt builds for it on host h; the caller frees both. */
char *engine_guest_xml(const struct cs_cpudef *def);
char *engine_qemu_arg(const struct cs_cpudef *def, const struct app_host *h);

/* The OSC 52 escape sequence that puts text on the terminal's clipboard
 * (selection c, base64, ended by BEL).  The result is the caller's. */
char *engine_osc52(const char *text);

/* Load the first <cpu> of a bare <cpu> file or a domain XML: *out gets its
 * values, *def the definition (owned by the caller), *is_domain tells
 * which.  Returns 0, or -1 with err set. */
int engine_load_guest(const struct cs_map *map, const char *path, struct app_guest *out,
                      struct cs_cpudef **def, bool *is_domain, struct cs_error *err);
/* Save def to path atomically: a domain XML keeps everything but its
 * <cpu>, any other file gets the bare <cpu> element. */
int engine_save_guest(const struct cs_cpudef *def, const char *path, bool is_domain,
                      struct cs_error *err);

/* ---- a pool of hosts ------------------------------------------------------ */

struct cs_pool;
struct cs_compare_result;

/* The guest against every host of a pool: INCOMPATIBLE when one host or
 * more cannot run it, else SUPERSET (IDENTICAL when every host is
 * identical); NONE without a pool, ERROR when the guest itself is wrong. */
struct app_pool_verdict {
	enum app_compat result;
	size_t nhosts, nbad;      /* hosts, and those that cannot run the guest */
	size_t first_bad;         /* the first of them (nhosts when none) */
	struct cs_fset missing;   /* required features one host or more lacks */
	struct cs_fset forbidden; /* forbidden features one host or more has */
	struct cs_fset extra;     /* match='strict': extras on one host or more */
	bool vendor_mismatch;
	char message[320]; /* the first failing host and libvirt's reason, or the error */
};

/* Compare guest g (def: g synced) with every host of pool; res
 * (pool->ndistinct entries) gets the result of each distinct CPU (host i's
 * is res[pool->hosts[i].distinct]).  pool may be NULL (result NONE). */
void engine_pool_compare(const struct cs_pool *pool, const struct cs_cpudef *def,
                         const struct app_guest *g, struct cs_compare_result *res,
                         struct app_pool_verdict *out);
/* The pool's baseline (virsh cpu-baseline of its hosts) as a guest: *g
 * gets its mode, model, fallback, vendor and features, keeping the
 * topology g had.  0, or -1 with err set. */
int engine_pool_baseline(const struct cs_pool *pool, struct app_guest *g, struct cs_error *err);
/* *g from a guest definition (mode, match, check, fallback, model, vendor,
 * topology, features with their policies). */
void engine_guest_from_def(const struct cs_cpudef *def, struct app_guest *g);

/* How the host is learnt: a file (capabilities, domcapabilities, <cpu>,
 * CPUID dump), or a probe source name ("cpuid", "kvm", "cpuinfo"). */
struct engine_host_opts {
	const char *file;
	const char *source;
};
/* Fill cpu (the host CPU) and kvm (what KVM gives; present only where
 * /dev/kvm is usable and no file or other source was asked for).  A side
 * that cannot be learnt stays !present with the reason in detail. */
void engine_probe(const struct cs_map *map, const struct cs_arch *arch,
                  const struct engine_host_opts *opts, struct app_host *cpu, struct app_host *kvm);
/* Free what a host side owns (its definition); NULL is fine. */
void engine_host_release(struct app_host *h);

#endif
