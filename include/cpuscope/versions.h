/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* versions.h: what cpuscope reproduces of one libvirt or QEMU release, looked up by version */
#ifndef CPUSCOPE_VERSIONS_H
#define CPUSCOPE_VERSIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/error.h"

/* Everything release-specific that cpuscope reproduces lives in two
 * tables, one per project, each entry keyed by its major.minor version:
 * QEMU's CPU models and property names, and libvirt's message wordings.
 * The first entries are QEMU 7.2 and libvirt 9.0, and they are the
 * defaults the rest of the core uses.  A lookup takes the entry of that
 * exact version, else the newest entry not newer than asked, else the
 * first entry.  Every entry is static: the returned pointers are never
 * freed and stay valid for the life of the program. */

/* ---- QEMU ------------------------------------------------------------------ */

/* A libvirt feature name whose QEMU property is spelled differently. */
struct cs_qemu_feature_name {
	const char *libvirt, *qemu;
};

/* Where QEMU's model of a name differs from the paired libvirt map's model
 * of the same name when it runs with KVM: map feature names, space
 * separated, that QEMU turns on and off beyond the map's list. */
struct cs_qemu_model_delta {
	const char *model, *on, *off;
};

/* One CPU model as QEMU itself reports it under an accelerator: the
 * features it turns on and those the accelerator filters out when QEMU
 * starts with it, space-separated libvirt names. */
struct cs_qemu_model_row {
	const char *model, *on, *unavailable;
};

struct cs_qemu_version {
	int major, minor;
	/* The libvirt release whose CPU map the names below refer to. */
	int map_major, map_minor;
	/* The x86_64 CPU models QEMU defines, as `qemu-system-x86_64 -cpu
	 * help` lists them (versioned names included; the special "host",
	 * "max" and "base" left out). */
	const char *const *models;
	size_t nmodels;
	/* Models of the paired libvirt map that QEMU does not define. */
	const char *const *map_models_absent;
	size_t nmap_models_absent;
	/* Features of the paired libvirt map that QEMU has no property for. */
	const char *const *features_absent;
	size_t nfeatures_absent;
	/* libvirt's name translation for QEMU (virQEMUCapsCPUFeaturesX86). */
	const struct cs_qemu_feature_name *feature_names;
	size_t nfeature_names;
	/* Features QEMU turns on (kvm_on) and off (kvm_off) in every model
	 * when it runs with KVM, space separated. */
	const char *kvm_on, *kvm_off;
	/* Per-model differences from the paired map, in map order. */
	const struct cs_qemu_model_delta *model_deltas;
	size_t nmodel_deltas;
	/* The models of the paired map as QEMU reports them under TCG
	 * (written by scripts/qemu-models.py), ended by a row of NULLs. */
	const struct cs_qemu_model_row *tcg_models;
};

/* Every QEMU entry, oldest first; *n gets their number. */
const struct cs_qemu_version *cs_qemu_versions(size_t *n);
/* The entry for QEMU major.minor (see the lookup rule above); never NULL. */
const struct cs_qemu_version *cs_qemu_version_find(int major, int minor);
/* The entry the rest of the core uses (QEMU 7.2); never NULL. */
const struct cs_qemu_version *cs_qemu_version_default(void);

/* In each function below a NULL v means the default entry. */

/* QEMU's name for a libvirt feature name under v; other names are returned
 * unchanged.  Borrowed (from the table or from libvirt_name). */
const char *cs_qemu_version_feature_name(const struct cs_qemu_version *v, const char *libvirt_name);
/* The reverse: libvirt's name for a QEMU property name under v, as libvirt
 * reads QEMU's answers; other names are returned unchanged.  Borrowed. */
const char *cs_qemu_version_feature_from_qemu(const struct cs_qemu_version *v,
                                              const char *qemu_name);
/* True when QEMU v lists name among its x86_64 models. */
bool cs_qemu_version_defines_model(const struct cs_qemu_version *v, const char *name);
/* False for the paired map's models QEMU v does not define; true for any
 * other name (a model of another map is taken to exist). */
bool cs_qemu_version_knows_model(const struct cs_qemu_version *v, const char *name);
/* False for the paired map's features QEMU v has no property for. */
bool cs_qemu_version_knows_feature(const struct cs_qemu_version *v, const char *name);
/* QEMU v's differences from the paired map for model, or NULL when it has
 * none (or does not define the model).  Borrowed. */
const struct cs_qemu_model_delta *cs_qemu_version_model_delta(const struct cs_qemu_version *v,
                                                              const char *model);

/* ---- libvirt --------------------------------------------------------------- */

/* The libvirt messages cpuscope prints word for word.  Every conversion in
 * them is %s: the arguments are strings, as many as cs_libvirt_msg_nargs()
 * says.  Three of them (the compare reasons) are, as in libvirt, followed
 * by ": " and a list of features. */
enum cs_libvirt_msg {
	CS_LIBVIRT_MSG_UNKNOWN_MODEL,           /* model name */
	CS_LIBVIRT_MSG_UNKNOWN_FEATURE,         /* feature name */
	CS_LIBVIRT_MSG_UNKNOWN_VENDOR,          /* vendor name */
	CS_LIBVIRT_MSG_MISSING_MODEL_NAME,      /* (none) */
	CS_LIBVIRT_MSG_UNKNOWN_HOST,            /* (none) */
	CS_LIBVIRT_MSG_ARCH_MISMATCH,           /* the guest's arch */
	CS_LIBVIRT_MSG_VENDOR_MISMATCH,         /* the guest's vendor */
	CS_LIBVIRT_MSG_FORBIDDEN_FEATURES,      /* (none); ": " and the features follow */
	CS_LIBVIRT_MSG_MISSING_FEATURES,        /* (none); ": " and the features follow */
	CS_LIBVIRT_MSG_STRICT_EXTRA_FEATURES,   /* (none); ": " and the features follow */
	CS_LIBVIRT_MSG_CPU_INCOMPATIBLE,        /* (none) */
	CS_LIBVIRT_MSG_CPU_INCOMPATIBLE_REASON, /* the reason */
	CS_LIBVIRT_MSG_MODEL_UNSUPPORTED,       /* model name */
	CS_LIBVIRT_MSG_NO_SUITABLE_MODEL,       /* (none) */
	CS_LIBVIRT_MSG_MODEL_VENDOR_DIFFERS,    /* model's vendor, model, given vendor */
	CS_LIBVIRT_MSG_VENDORS_DIFFER,          /* (none) */
	CS_LIBVIRT_MSG_CPUS_INCOMPATIBLE,       /* (none) */
	CS_LIBVIRT_MSG_FORBIDDEN_FEATURE,       /* feature name */
	CS_LIBVIRT_MSG_MODE_UNSUPPORTED,        /* mode, guest arch, virt type, host arch */
	CS_LIBVIRT_MSG_TOPOLOGY_VCPUS,          /* (none) */
	CS_LIBVIRT_MSG_LIVE_EXTRA_MISSING, /* extra features, missing features (comma-joined) */
	CS_LIBVIRT_MSG_LIVE_EXTRA,         /* extra features */
	CS_LIBVIRT_MSG_LIVE_MISSING,       /* missing features */
	CS_LIBVIRT_MSG_LIVE_MISMATCH,      /* (none) */
	CS_LIBVIRT_MSG_NO_INVTSC,          /* (none) */
	/* How libvirt's error codes prefix a message (all: the message). */
	CS_LIBVIRT_MSG_ERR_CONFIG_UNSUPPORTED,
	CS_LIBVIRT_MSG_ERR_OPERATION_FAILED,
	CS_LIBVIRT_MSG_ERR_INTERNAL,
	CS_LIBVIRT_MSG_QEMU_EXITED, /* QEMU's own message, when it stops at start */
	CS_LIBVIRT_MSG_COUNT
};

struct cs_libvirt_version {
	int major, minor;
	/* CS_LIBVIRT_MSG_COUNT wordings, indexed by enum cs_libvirt_msg. */
	const char *const *msgs;
};

/* Every libvirt entry, oldest first; *n gets their number. */
const struct cs_libvirt_version *cs_libvirt_versions(size_t *n);
/* The entry for libvirt major.minor (see the lookup rule above); never NULL. */
const struct cs_libvirt_version *cs_libvirt_version_find(int major, int minor);
/* The entry the rest of the core uses (libvirt 9.0); never NULL. */
const struct cs_libvirt_version *cs_libvirt_version_default(void);

/* The wording of id in v (NULL: the default entry), a printf format whose
 * conversions are all %s; "" for an id out of range.  Borrowed. */
const char *cs_libvirt_msg(const struct cs_libvirt_version *v, enum cs_libvirt_msg id);
/* How many string arguments id's wording takes (the same in every entry);
 * -1 for an id out of range. */
int cs_libvirt_msg_nargs(enum cs_libvirt_msg id);
/* An identifier for id ("UNKNOWN_MODEL", ...), for tests and messages. */
const char *cs_libvirt_msg_id_name(enum cs_libvirt_msg id);

/* Format id's wording in v (NULL: the default entry) into buf (size bytes,
 * always terminated when size > 0), as snprintf does; the arguments must be
 * cs_libvirt_msg_nargs(id) strings (const char *, never NULL).  Returns
 * the length the full message needs. */
int cs_libvirt_msg_format(char *buf, size_t size, const struct cs_libvirt_version *v,
                          enum cs_libvirt_msg id, ...);

/* cs_error_set with id's wording in v (NULL: the default entry) as the
 * format; the arguments must be cs_libvirt_msg_nargs(id) strings (const
 * char *, never NULL). */
void cs_error_set_libvirt(struct cs_error *err, enum cs_errcode code, const char *file,
                          unsigned line, const struct cs_libvirt_version *v, enum cs_libvirt_msg id,
                          ...);

#endif
