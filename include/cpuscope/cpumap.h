/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpumap.h: CPU model maps: vendors, features and models per architecture */
#ifndef CPUSCOPE_CPUMAP_H
#define CPUSCOPE_CPUMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuscope/error.h"
#include "cpuscope/fileio.h"
#include "cpuscope/fset.h"

/* Where a map came from. */
enum cs_map_format {
	CS_MAP_FORMAT_XML_SPLIT,  /* libvirt >= 4.7 cpu_map/ directory with index.xml */
	CS_MAP_FORMAT_XML_LEGACY, /* libvirt < 4.7 single cpu_map.xml */
	CS_MAP_FORMAT_YAML,       /* cpuscope-map/1 */
};

/* CPUID registers, in the order libvirt and the CPUID instruction use. */
enum cs_reg { CS_REG_EAX, CS_REG_EBX, CS_REG_ECX, CS_REG_EDX, CS_REG_COUNT };

enum cs_item_kind { CS_ITEM_CPUID, CS_ITEM_MSR };

/* One piece of CPU data a feature is made of.
 * CPUID: leaf = eax_in, subleaf = ecx_in, reg[] = the four register masks.
 * MSR:   leaf = MSR index, subleaf = 0, reg[CS_REG_EAX] and reg[CS_REG_EDX]
 *        are the masks of the low and high 32 bits, reg[EBX] = reg[ECX] = 0. */
struct cs_item {
	enum cs_item_kind kind;
	uint32_t leaf, subleaf;
	uint32_t reg[CS_REG_COUNT];
};

struct cs_alias {
	char *name;
	char *source; /* "qemu", "linux", ... or NULL */
};

struct cs_feature {
	char *name;
	struct cs_item *items; /* x86: at least one; arm: none */
	size_t nitems;
	struct cs_alias *aliases; /* documentation only, as in libvirt */
	size_t naliases;
	bool migratable; /* false for migratable='no' (invtsc, xsaves) */
	unsigned line;   /* where it was defined (0 = unknown) */
	const char *file;
};

struct cs_vendor {
	char *name;
	char *string;   /* x86 CPUID vendor string, exactly 12 bytes; NULL elsewhere */
	uint32_t value; /* arm MIDR implementer id when has_value */
	bool has_value;
	unsigned line;
	const char *file;
};

/* A CPUID signature.  steppings is a bitmap over 0..15; 0 means any stepping. */
struct cs_signature {
	unsigned family, model;
	uint16_t steppings;
};

/* Processor version register match (ppc64 value+mask, arm value only). */
struct cs_pvr {
	uint32_t value, mask;
	bool has_mask;
};

struct cs_model {
	char *name;
	int parent;         /* explicit ancestor (<model name=...> in a model), or -1 */
	int derived_parent; /* cs_map_derive_tree(): largest proper subset, or -1 */
	int vendor;         /* index into arch vendors, or -1 for vendor-neutral */
	bool vendor_own;    /* vendor given by this model rather than inherited */
	bool has_decode;    /* a <decode> element was given (split maps require it) */
	bool decode_host, decode_guest;
	struct cs_signature *sigs;
	size_t nsigs;
	bool sigs_own; /* signatures given by this model (they replace inherited ones) */
	struct cs_pvr *pvrs;
	size_t npvrs;
	unsigned *own_list; /* feature ids as listed by this model, in its order */
	size_t nown;
	struct cs_fset own;      /* the same, as a set */
	struct cs_fset removed;  /* features listed with removed='yes' */
	struct cs_fset features; /* resolved: ancestors' features | own */
	unsigned line;
	const char *file;
};

/* A name -> index hash table (open addressing).  Names are borrowed. */
struct cs_nametab {
	const char **keys;
	int *vals;
	size_t cap, count;
};

struct cs_arch {
	char *name; /* "x86", "ppc64", "arm" */
	struct cs_vendor *vendors;
	size_t nvendors;
	struct cs_feature *features; /* id = index = map order */
	size_t nfeatures;
	struct cs_model *models; /* map order */
	size_t nmodels;
	struct cs_nametab vendor_tab, feature_tab, model_tab;
	bool tree_derived; /* derived_parent fields are filled in */
	bool tree_too_big; /* ... or would be, but there are too many models */
};

struct cs_map {
	enum cs_map_format format;
	char *path;    /* what was loaded (directory, index.xml or file) */
	char *comment; /* free-text provenance carried by YAML and legacy XML, or NULL */
	struct cs_arch *arches;
	size_t narches;
	char **files; /* every file read (owned); items point their 'file' here */
	size_t nfiles;
};

/* ---- loading ---------------------------------------------------------- */

/* Load a map from path, detecting the format from the content: a directory
 * (its index.xml), a split-map index.xml, a legacy single-file cpu_map.xml, or
 * cpuscope YAML.  Returns a new map (free with cs_map_free) or NULL with err
 * set, naming the file and line at fault. */
struct cs_map *cs_map_load(const char *path, struct cs_error *err);

/* Load from each format explicitly (same contract as cs_map_load). */
struct cs_map *cs_map_load_xml(const char *path, struct cs_error *err);
struct cs_map *cs_map_load_yaml(const char *path, struct cs_error *err);
/* A single-file XML map already read from path (includes, if any, are
 * looked up beside path). */
struct cs_map *cs_map_load_xml_buffer(const char *buf, size_t len, const char *path,
                                      struct cs_error *err);
/* Parse YAML from memory; name is used in messages and as the map's path
 * (NULL: "<yaml>").  buf need not be NUL-terminated; more than
 * CS_MAX_FILE_SIZE bytes are refused.  The format is described in
 * maps/README.md. */
struct cs_map *cs_map_load_yaml_buffer(const char *buf, size_t len, const char *name,
                                       struct cs_error *err);

/* Largest file cpuscope reads (bytes). */
#define CS_MAX_FILE_SIZE (32u * 1024u * 1024u)
/* Most CPUID/MSR entries one feature of a map may have (libvirt's have one;
 * entries are merged by key, which takes time quadratic in their number). */
#define CS_MAX_FEATURE_ITEMS 256

/* ---- saving ----------------------------------------------------------- */

/* Serialise to cpuscope YAML (libyaml emitter).  *out is the caller's,
 * NUL-terminated, with *len its length (len may be NULL).  The output is
 * canonical: it depends only on the map's content, so loading it and
 * writing it again gives the same bytes. */
int cs_map_to_yaml(const struct cs_map *map, char **out, size_t *len, struct cs_error *err);
/* Serialise to a legacy single-file cpu_map.xml (libxml2 writer). */
int cs_map_to_legacy_xml(const struct cs_map *map, char **out, size_t *len, struct cs_error *err);
/* Write map to path, as YAML for .yaml/.yml and legacy XML for .xml,
 * atomically. */
int cs_map_save(const struct cs_map *map, const char *path, struct cs_error *err);

/* ---- building (used by the loaders) ------------------------------------ */

struct cs_map *cs_map_new(enum cs_map_format format, const char *path);
void cs_map_free(struct cs_map *map);
/* Remember a file name; returns the map's copy (valid while the map lives). */
const char *cs_map_intern_file(struct cs_map *map, const char *file);
/* Find or add an arch section. */
struct cs_arch *cs_map_get_arch(struct cs_map *map, const char *name, bool create);

/* Add entries; each fails with CS_ERR_DUPLICATE on an existing name. The new
 * entry is returned zeroed but for name/file/line (parent, derived_parent and
 * vendor set to -1; decode flags on; migratable true) and stays valid until
 * the next add of the same kind. */
struct cs_vendor *cs_arch_add_vendor(struct cs_arch *arch, const char *name, const char *file,
                                     unsigned line, struct cs_error *err);
struct cs_feature *cs_arch_add_feature(struct cs_arch *arch, const char *name, const char *file,
                                       unsigned line, struct cs_error *err);
struct cs_model *cs_arch_add_model(struct cs_arch *arch, const char *name, const char *file,
                                   unsigned line, struct cs_error *err);
void cs_feature_add_item(struct cs_feature *f, const struct cs_item *item);
void cs_feature_add_alias(struct cs_feature *f, const char *name, const char *source);
void cs_model_add_signature(struct cs_model *m, const struct cs_signature *sig);
void cs_model_add_pvr(struct cs_model *m, const struct cs_pvr *pvr);
void cs_model_add_feature(struct cs_model *m, unsigned id);

/* Resolve inheritance: each model's features = parent's features | own, and
 * vendor/signatures inherited where not given.  Errors: unknown parent was
 * caught by the loader; here a cycle (named with the models on it). */
int cs_map_resolve(struct cs_map *map, struct cs_error *err);

/* Check that the map is usable: at least one arch with at least one model. */
int cs_map_validate(const struct cs_map *map, struct cs_error *err);

/* ---- queries ------------------------------------------------------------ */

/* The arch section for name; accepts "x86", "x86_64", "i686", "ppc64",
 * "ppc64le", "arm", "aarch64".  NULL if absent. */
const struct cs_arch *cs_map_arch(const struct cs_map *map, const char *name);

/* Look up by name: index, or -1. */
int cs_arch_find_vendor(const struct cs_arch *arch, const char *name);
int cs_arch_find_feature(const struct cs_arch *arch, const char *name);
int cs_arch_find_model(const struct cs_arch *arch, const char *name);

/* The names of the features in set, in map order, joined by sep: ", " for
 * libvirt's messages ("a, b, c"), " " for plain lists.  Ids the arch does
 * not define are left out.  Returns a new string ("" for an empty set); the
 * caller frees it. */
char *cs_arch_feature_list(const struct cs_arch *arch, const struct cs_fset *set, const char *sep);

/* Fill derived_parent for every model: the same-vendor or vendor-neutral
 * model whose resolved set is the largest proper subset of the model's set
 * (ties: the earliest in map order).  Models with an explicit parent keep
 * it.  Idempotent.  Every pair of models is compared, so a section of more
 * than CS_DERIVE_MAX_MODELS models gets no derived parents (tree_too_big). */
#define CS_DERIVE_MAX_MODELS 20000
void cs_arch_derive_tree(struct cs_arch *arch);

/* The parent to show in a tree: explicit parent, else derived (if
 * *derived is non-NULL it tells which), else -1. */
int cs_model_tree_parent(const struct cs_arch *arch, const struct cs_model *m, bool *derived);

/* The model a feature of m comes from: the most distant ancestor (explicit
 * or derived chain) that has the feature in an unbroken line down to m;
 * m's own index when m introduces it, -1 when m lacks the feature. */
int cs_model_feature_origin(const struct cs_arch *arch, int model, unsigned feature);

/* True when one of f's CPUID or MSR items sets a register bit. */
bool cs_feature_has_bits(const struct cs_feature *f);

/* Text helpers. */
const char *cs_reg_name(enum cs_reg reg); /* "eax" ... */
/* Describe where a feature lives, e.g. "CPUID 0x7.0 EBX[5]" or "MSR 0x10a EAX[2]". */
void cs_feature_location(const struct cs_feature *f, char *buf, size_t size);
/* Format a stepping bitmap as a list, e.g. "0-4" or "3,5". */
void cs_steppings_format(uint16_t steppings, char *buf, size_t size);
/* Parse "0-4", "3,5,7-9"; values 0..15.  -1 on bad input. */
int cs_steppings_parse(const char *s, uint16_t *out);
/* Parse an unsigned number as libvirt does: 0x hex, leading 0 octal, else
 * decimal; the whole string must be used and fit in 32 bits. */
int cs_parse_u32(const char *s, uint32_t *out);

#endif
