/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* version.h: the cpuscope version */
#ifndef CPUSCOPE_VERSION_H
#define CPUSCOPE_VERSION_H

#define CPUSCOPE_VERSION "0.1.0"

#endif
