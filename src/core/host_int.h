/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host_int.h: internal: pieces of the host module shared between its files */
#ifndef CPUSCOPE_HOST_INT_H
#define CPUSCOPE_HOST_INT_H

#include <stddef.h>

#include "cpuscope/host.h"

/* Fill h from a <cpu>-based file (capabilities, domcapabilities, a bare
 * <cpu>) whose kind h->file_kind already names: arch, vendor, signature,
 * the given model and lists, and the facts they describe. */
int cs_host_load_cpu_xml(struct cs_host *h, const struct cs_map *map, const char *buf, size_t len,
                         const char *name, struct cs_error *err);

#endif
