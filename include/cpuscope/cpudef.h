/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpudef.h: libvirt <cpu> definitions: parse, edit and format them as libvirt does */
#ifndef CPUSCOPE_CPUDEF_H
#define CPUSCOPE_CPUDEF_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/decode.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"

/* A host CPU (virsh capabilities: <arch>, features without policy) or a
 * guest CPU (domain XML: mode, match, policies).  A bare <cpu> is a host CPU
 * when it has an <arch> child, else a guest CPU, as libvirt decides. */
enum cs_cpu_type { CS_CPU_TYPE_HOST, CS_CPU_TYPE_GUEST };

enum cs_cpu_mode {
	CS_CPU_MODE_CUSTOM,
	CS_CPU_MODE_HOST_MODEL,
	CS_CPU_MODE_HOST_PASSTHROUGH,
	CS_CPU_MODE_MAXIMUM,
};

/* The default (no match attribute) is exact, as in libvirt. */
enum cs_cpu_match { CS_CPU_MATCH_EXACT, CS_CPU_MATCH_MINIMUM, CS_CPU_MATCH_STRICT };

/* DEFAULT = no check attribute (libvirt fills one in when it defines a domain). */
enum cs_cpu_check {
	CS_CPU_CHECK_DEFAULT,
	CS_CPU_CHECK_NONE,
	CS_CPU_CHECK_PARTIAL,
	CS_CPU_CHECK_FULL,
};

enum cs_cpu_fallback { CS_CPU_FALLBACK_ALLOW, CS_CPU_FALLBACK_FORBID };

enum cs_tristate { CS_TRISTATE_DEFAULT, CS_TRISTATE_ON, CS_TRISTATE_OFF };

/* Feature policies, in libvirt's order.  CS_POLICY_NONE is the policy of a
 * host-type CPU's features: they are simply present. */
enum cs_policy {
	CS_POLICY_FORCE,
	CS_POLICY_REQUIRE,
	CS_POLICY_OPTIONAL,
	CS_POLICY_DISABLE,
	CS_POLICY_FORBID,
	CS_POLICY_NONE,
};
#define CS_POLICY_COUNT 6

/* Where a <cpu> element was found. */
enum cs_cpu_origin {
	CS_CPU_ORIGIN_BARE,    /* a <cpu> at the top level of the file */
	CS_CPU_ORIGIN_DOMAIN,  /* /domain/cpu */
	CS_CPU_ORIGIN_CAPS,    /* /capabilities/host/cpu */
	CS_CPU_ORIGIN_DOMCAPS, /* /domainCapabilities/cpu/mode[@name='host-model'] */
};

/* One <feature>.  id is the feature's index in def->arch; a feature whose
 * name could not be resolved (only when def->arch is NULL) has id -1 and
 * its own copy of the name. */
struct cs_cpu_feature {
	int id;
	char *name;
	enum cs_policy policy;
	unsigned line; /* source line, 0 when added by code */
};

/* Where a child element cpuscope does not interpret goes on output, in
 * libvirt's element order. */
enum cs_cpu_slot {
	CS_CPU_SLOT_HOSTINFO,        /* microcode, signature, counter: after <vendor> */
	CS_CPU_SLOT_BEFORE_FEATURES, /* cache, maxphysaddr: after <topology> */
	CS_CPU_SLOT_AFTER_FEATURES,  /* numa, pages and anything else */
};

/* A child element kept verbatim: its source bytes, and the whitespace that
 * preceded it on its source line (used to re-indent continuation lines). */
struct cs_cpu_raw {
	char *name;
	char *text;
	char *indent;
	enum cs_cpu_slot slot;
	unsigned line;
};

/* A <cpu> definition.  All of it is plain data the caller may read; change
 * the feature list only through the cs_cpudef_*_feature functions so the
 * per-policy sets stay in step with it. */
struct cs_cpudef {
	const struct cs_map *map;   /* borrowed; must outlive the definition */
	const struct cs_arch *arch; /* the map section ids refer to; NULL when the map has none */
	char *arch_name;            /* <arch> text (host type), or NULL */
	enum cs_cpu_type type;
	enum cs_cpu_mode mode;
	enum cs_cpu_match match;
	enum cs_cpu_check check;
	enum cs_tristate migratable; /* host-passthrough / maximum only */
	int model;                   /* model id in arch, or -1 */
	char *model_name;            /* the model's name when it could not be resolved, else NULL */
	enum cs_cpu_fallback fallback;
	char *vendor_id; /* <model vendor_id=>: exactly 12 characters, or NULL */
	char *vendor;    /* <vendor> text, or NULL */
	int vendor_idx;  /* vendor index in arch, -1 when none or unknown */
	bool has_topology;
	unsigned sockets, dies, clusters, cores, threads; /* clusters 0 = not given */
	unsigned sig_family, sig_model, sig_stepping;     /* host <signature>; family 0 = none */

	struct cs_cpu_feature *features; /* document order = output order */
	size_t nfeatures, features_cap;
	struct cs_fset by_policy[CS_POLICY_COUNT]; /* ids listed with each policy */

	struct cs_cpu_raw *raw; /* uninterpreted children, in source order */
	size_t nraw;

	enum cs_cpu_origin origin;
	char *file;    /* source file name, or NULL */
	unsigned line; /* line of the <cpu> element, 0 if unknown */
};

/* ---- parsing ------------------------------------------------------------ */

/* Flags for the parsers. */
enum {
	/* Parse every element as a host CPU (cpu-baseline): <arch> and <model>
	 * required, mode= refused, policies ignored.  A domcapabilities
	 * host-model is still read as a guest CPU (its policies matter). */
	CS_CPUDEF_AS_HOST = 1u << 0,
	/* Parse every element as a guest CPU (domain XML). */
	CS_CPUDEF_AS_GUEST = 1u << 1,
	/* Also refuse what libvirt accepts but ignores: a <model> in
	 * host-passthrough/maximum mode.  (Features are used in every mode:
	 * host-model applies them to the host's CPU, host-passthrough and
	 * maximum pass them to QEMU.) */
	CS_CPUDEF_STRICT = 1u << 2,
	/* Stop after the first <cpu> found. */
	CS_CPUDEF_FIRST = 1u << 3,
};

/* Parse the <cpu> elements held in buf (len bytes; name is used in error
 * messages), as virsh collects them for cpu-baseline and cpu-compare: the
 * text (less a leading <?xml ...?> declaration) may hold several top-level
 * elements, and each <cpu> at the top level, /domain/cpu,
 * /capabilities/host/cpu and domainCapabilities' supported host-model mode
 * is taken, in document order.  Without AS_HOST/AS_GUEST the type is decided
 * per element: host when it has <arch>, else guest.  Names are resolved
 * against map (the section named by <arch>, x86 when there is none).
 *
 * The XML is read with libxml2 without network access, DTDs or entity
 * expansion (a DOCTYPE is refused).  Errors carry name and line: XML syntax,
 * unknown model or feature, bad mode/match/check/policy/fallback, vendor_id
 * not 12 characters, a zero or missing topology value, a feature listed
 * twice, and libvirt's host-CPU errors (missing <arch> or <model>).
 *
 * On success *defs is a new array of *ndefs (>= 1) definitions; free it
 * with cs_cpudef_list_free().  No <cpu> at all is an error. */
int cs_cpudef_parse(const struct cs_map *map, const char *buf, size_t len, const char *name,
                    unsigned flags, struct cs_cpudef ***defs, size_t *ndefs, struct cs_error *err);

/* Called by cs_cpudef_parse_each() for each definition, which it now owns
 * (free it with cs_cpudef_free).  Return 0 to go on, 1 to stop, -1 to fail
 * (then set err). */
typedef int (*cs_cpudef_fn)(void *ctx, struct cs_cpudef *def, struct cs_error *err);

/* cs_cpudef_parse() handing each definition to fn as soon as it is read,
 * so that a pool file of any size takes constant memory: each top-level
 * element of the text is parsed on its own.  Returns 0, or -1 with err set
 * (definitions already handed over stay the callee's). */
int cs_cpudef_parse_each(const struct cs_map *map, const char *buf, size_t len, const char *name,
                         unsigned flags, cs_cpudef_fn fn, void *ctx, struct cs_error *err);

/* cs_cpudef_parse() on the contents of a file (at most max_size bytes;
 * 0 means CS_MAX_FILE_SIZE). */
int cs_cpudef_load(const struct cs_map *map, const char *path, size_t max_size, unsigned flags,
                   struct cs_cpudef ***defs, size_t *ndefs, struct cs_error *err);

/* The first <cpu> of a file, as virsh cpu-compare takes it.  Returns a new
 * definition (cs_cpudef_free) or NULL with err set. */
struct cs_cpudef *cs_cpudef_load_one(const struct cs_map *map, const char *path, unsigned flags,
                                     struct cs_error *err);

/* Free an array from cs_cpudef_parse/load and its definitions (NULL is fine). */
void cs_cpudef_list_free(struct cs_cpudef **defs, size_t ndefs);

/* ---- building and editing ------------------------------------------------ */

/* A new, empty definition over arch (which must belong to map; may be NULL
 * for an arch the map lacks).  Guest: mode custom, match exact, fallback
 * allow, no model.  Host: arch_name set from arch ("x86" becomes "x86_64"). */
struct cs_cpudef *cs_cpudef_new(const struct cs_map *map, const struct cs_arch *arch,
                                enum cs_cpu_type type);
/* A deep copy. */
struct cs_cpudef *cs_cpudef_copy(const struct cs_cpudef *def);
void cs_cpudef_free(struct cs_cpudef *def);

/* Set the model (id in def->arch, -1 for none). */
void cs_cpudef_set_model(struct cs_cpudef *def, int model);
/* Set the vendor by map index (-1 removes it). */
void cs_cpudef_set_vendor(struct cs_cpudef *def, int vendor);

/* Give feature id the policy: changes it in place when listed (keeping its
 * position), else appends it (libvirt's update-or-append).  A host-type
 * definition stores CS_POLICY_NONE whatever policy is given. */
void cs_cpudef_set_feature(struct cs_cpudef *def, unsigned id, enum cs_policy policy);
/* Remove feature id from the list; false when it was not listed. */
bool cs_cpudef_remove_feature(struct cs_cpudef *def, unsigned id);
/* The policy feature id is listed with, or -1 when it is not listed. */
int cs_cpudef_feature_policy(const struct cs_cpudef *def, unsigned id);
/* Remove every feature. */
void cs_cpudef_clear_features(struct cs_cpudef *def);

/* Borrowed names: the model's name (NULL when none) and feature i's name. */
const char *cs_cpudef_model_name(const struct cs_cpudef *def);
const char *cs_cpudef_feature_name(const struct cs_cpudef *def, size_t i);

/* The CPU a definition describes, for decode and compare: vendor index,
 * signature (from <signature>, 0 when absent) and the feature set = model
 * features + listed features with policy force/require/none - those with
 * disable/forbid (optional ignored).  Fails when def->arch is NULL or the
 * vendor name is not in the map. */
int cs_cpudef_to_facts(const struct cs_cpudef *def, struct cs_cpu_facts *out, struct cs_error *err);

/* A host-type definition from a decode result (what virsh capabilities
 * shows): model, vendor, signature and the required features in map order.
 * Disabled features are not listed (a host decode never has any). */
struct cs_cpudef *cs_cpudef_from_decoded(const struct cs_map *map, const struct cs_arch *arch,
                                         const struct cs_decoded *dec);

/* A guest-type definition from a decode result (custom mode, match exact):
 * model, vendor, required features in map order, then disabled features
 * in map order with the model's removed='yes' features last, as libvirt
 * lists them.  fallback is 'allow'. */
struct cs_cpudef *cs_cpudef_guest_from_decoded(const struct cs_map *map, const struct cs_arch *arch,
                                               const struct cs_decoded *dec);

/* The signature as CPUID leaf 1 eax (0 when family is 0). */
uint32_t cs_cpudef_signature(const struct cs_cpudef *def);

/* ---- formatting ---------------------------------------------------------- */

/* Format def as libvirt 9.0 does (virCPUDefFormat): two-space indentation
 * starting at indent spaces, single quotes, one element per line, a final
 * newline; elements cpuscope does not interpret are copied verbatim into
 * libvirt's position for them.  When the element would have neither
 * attributes nor children libvirt omits it: the result is then "".
 * Returns a new string (caller frees). */
char *cs_cpudef_format(const struct cs_cpudef *def, unsigned indent);

/* ---- names ---------------------------------------------------------------- */

const char *cs_policy_name(enum cs_policy p);       /* "require", ...; NONE gives "" */
int cs_policy_parse(const char *s);                 /* -1 when unknown */
const char *cs_cpu_mode_name(enum cs_cpu_mode m);   /* "custom", "host-model", ... */
const char *cs_cpu_match_name(enum cs_cpu_match m); /* "exact", ... */
const char *cs_cpu_check_name(enum cs_cpu_check c); /* "default", "none", ... */
const char *cs_cpu_fallback_name(enum cs_cpu_fallback f);

/* ---- comparing definitions (cpudef_edit.c) --------------------------------- */

/* Whether a and b say the same <cpu>: type, mode, match, check, migratable,
 * model, fallback, vendor, vendor_id, signature, topology (its values only
 * when given), the features in order with their policies, and the
 * uninterpreted elements.  Source file and line are not compared.  Either
 * may be NULL (equal only to NULL). */
bool cs_cpudef_equal(const struct cs_cpudef *a, const struct cs_cpudef *b);

#endif
