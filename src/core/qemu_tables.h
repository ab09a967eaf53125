/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu_tables.h: internal: tables of what one QEMU version's CPU models are, keyed by version */
#ifndef CPUSCOPE_QEMU_TABLES_H
#define CPUSCOPE_QEMU_TABLES_H

#include <stdbool.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/fset.h"
#include "cpuscope/versions.h"

/* QEMU 7.2 under TCG (qemu_tcg_models.c, written by scripts/qemu-models.py),
 * ended by a row of NULLs. */
extern const struct cs_qemu_model_row cs_qemu_tcg_models_7_2[];

/* The TCG row of arch's model for QEMU major.minor (the version entry
 * cs_qemu_version_find picks), or NULL when its table lacks the model. */
const struct cs_qemu_model_row *cs_qemu_tcg_model(const struct cs_arch *arch, int model, int major,
                                                  int minor);

/* Set the map features named in the space-separated list (others are
 * skipped). */
void cs_qemu_names_to_set(const struct cs_arch *arch, const char *list, struct cs_fset *s);

#endif
