/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host_brand.c: the host CPU's brand string, from CPUID, /proc/cpuinfo or a host file */
#include "cpuscope/host_brand.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "cpuscope/xalloc.h"

char *cs_brand_from_regs(const uint32_t regs[12])
{
	char s[49];
	size_t n = 0;
	char *b, *e;

	for (int r = 0; r < 12; r++)
		for (int i = 0; i < 4; i++) {
			unsigned char c = (unsigned char)(regs[r] >> (8 * i));
			s[n++] = (char)(isprint(c) ? c : ' ');
		}
	s[48] = '\0';
	b = s;
	while (*b == ' ')
		b++;
	e = b + strlen(b);
	while (e > b && e[-1] == ' ')
		*--e = '\0';
	return *b ? cs_xstrdup(b) : NULL;
}

/* The brand string from the CPUID instruction (or the probe environment's
 * CPUID source), or NULL. */
static char *cpuid_brand(const struct cs_probe_env *env)
{
	struct cs_cpuid_source src;
	struct cs_error err = {0};
	uint32_t regs[12], out[4];

	if (env && env->cpuid)
		src = *env->cpuid;
	else if (!cs_cpuid_native_available() || cs_cpuid_source_native(&src, &err) < 0)
		return NULL;
	if (src.leaf(src.ctx, 0x80000000u, 0, out, &err) < 0 || out[0] < 0x80000004u)
		return NULL;
	for (uint32_t leaf = 0; leaf < 3; leaf++)
		if (src.leaf(src.ctx, 0x80000002u + leaf, 0, regs + 4 * leaf, &err) < 0)
			return NULL;
	return cs_brand_from_regs(regs);
}

/* A host's own brand, cleaned of what a screen cannot show. */
static char *host_brand(struct cs_host *h)
{
	char *b = NULL;

	if (h && h->brand) {
		b = cs_xstrdup(h->brand);
		for (char *p = b; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
	}
	cs_host_free(h);
	return b;
}

char *cs_host_brand(const struct cs_map *map, const struct cs_host_opts *opts)
{
	struct cs_error err = {0};
	char *b;

	switch (opts->from) {
	case CS_HOST_FROM_FILE:
		return opts->file ? host_brand(cs_host_load(map, opts->file, &err)) : NULL;
	case CS_HOST_FROM_PROBE:
		if (opts->source != CS_HOST_SOURCE_CPUINFO) {
			b = cpuid_brand(opts->env);
			if (b)
				return b;
		}
		return host_brand(cs_host_probe(map, CS_HOST_SOURCE_CPUINFO, opts->env, &err));
	case CS_HOST_FROM_NONE:
		break;
	}
	return NULL;
}
