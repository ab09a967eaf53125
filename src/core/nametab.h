/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* nametab.h: internal name -> index hash tables (keys are borrowed) */
#ifndef CPUSCOPE_NAMETAB_H
#define CPUSCOPE_NAMETAB_H

#include <stdlib.h>

#include "cpuscope/cpumap.h"

/* Insert or replace key -> val.  key must outlive the table. */
void cs_nametab_put(struct cs_nametab *t, const char *key, int val);
/* Value for key, or -1. */
int cs_nametab_get(const struct cs_nametab *t, const char *key);
void cs_nametab_release(struct cs_nametab *t);

#endif
