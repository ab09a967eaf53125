/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpudef_names.c: the names of <cpu> attribute values (policy, mode, match, check, fallback, arch)
 */
#include "cpuscope/cpudef.h"

#include <string.h>

#include "cpudef_int.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define NAMES(a)                                                                                   \
	{                                                                                          \
		(a), NELEMS(a)                                                                     \
	}

static const char *const policy_v[] = {"force", "require", "optional", "disable", "forbid"};
static const char *const mode_v[] = {"custom", "host-model", "host-passthrough", "maximum"};
static const char *const match_v[] = {"exact", "minimum", "strict"};
static const char *const check_v[] = {"default", "none", "partial", "full"};
static const char *const fallback_v[] = {"allow", "forbid"};
/* Architecture names libvirt 9.0 knows (virArch); any other <arch> is refused. */
static const char *const arch_v[] = {
        "alpha",    "armv6l",  "armv7l",    "armv7b",   "aarch64",    "cris",
        "i686",     "ia64",    "lm32",      "m68k",     "microblaze", "microblazeel",
        "mips",     "mipsel",  "mips64",    "mips64el", "openrisc",   "parisc",
        "parisc64", "ppc",     "ppcle",     "ppc64",    "ppc64le",    "ppcemb",
        "riscv32",  "riscv64", "s390",      "s390x",    "sh4",        "sh4eb",
        "sparc",    "sparc64", "unicore32", "x86_64",   "xtensa",     "xtensaeb",
};

const struct cs_names cs_policy_names = NAMES(policy_v);
const struct cs_names cs_mode_names = NAMES(mode_v);
const struct cs_names cs_match_names = NAMES(match_v);
const struct cs_names cs_check_names = NAMES(check_v);
const struct cs_names cs_fallback_names = NAMES(fallback_v);
const struct cs_names cs_known_arch_names = NAMES(arch_v);

int cs_names_find(const struct cs_names *t, const char *s)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], s))
			return (int)i;
	return -1;
}

static const char *name_of(const struct cs_names *t, size_t i)
{
	return i < t->n ? t->v[i] : "";
}

const char *cs_policy_name(enum cs_policy p)
{
	return name_of(&cs_policy_names, (size_t)p);
}

int cs_policy_parse(const char *s)
{
	return s ? cs_names_find(&cs_policy_names, s) : -1;
}

const char *cs_cpu_mode_name(enum cs_cpu_mode m)
{
	return name_of(&cs_mode_names, (size_t)m);
}

const char *cs_cpu_match_name(enum cs_cpu_match m)
{
	return name_of(&cs_match_names, (size_t)m);
}

const char *cs_cpu_check_name(enum cs_cpu_check c)
{
	return name_of(&cs_check_names, (size_t)c);
}

const char *cs_cpu_fallback_name(enum cs_cpu_fallback f)
{
	return name_of(&cs_fallback_names, (size_t)f);
}
