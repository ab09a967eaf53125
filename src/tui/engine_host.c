/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_host.c: the host CPU and what KVM gives, for the explorer, from the core's host loader */
#include "tui/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/host.h"
#include "cpuscope/host_brand.h"

/* Copy s into a zeroed buffer of size bytes, cut to fit. */
static void copy_cut(char *buf, size_t size, const char *s)
{
	memcpy(buf, s, strnlen(s, size - 1));
}

static void side_absent(struct app_host *side, const char *source, const char *why)
{
	memset(side, 0, sizeof(*side));
	side->vendor = -1;
	side->model = -1;
	copy_cut(side->source, sizeof(side->source), source);
	copy_cut(side->detail, sizeof(side->detail), why);
}

/* A known side: it takes def over (*def is set to NULL). */
static void side_present(struct app_host *side, const struct cs_arch *arch, struct cs_cpudef **def,
                         const struct cs_cpu_facts *facts, const char *source)
{
	const struct cs_cpudef *d = *def;

	if (d->arch != arch) {
		char why[160];

		snprintf(why, sizeof(why), "the host is %s, not %s",
		         d->arch        ? d->arch->name
		         : d->arch_name ? d->arch_name
		                        : "?",
		         arch->name);
		side_absent(side, source, why);
		return;
	}
	side_absent(side, source, "");
	side->present = true;
	side->vendor = facts->vendor;
	side->features = facts->features;
	side->model = d->model;
	/* the features listed beside the model */
	cs_fset_union(&side->extra, &d->by_policy[CS_POLICY_NONE],
	              &d->by_policy[CS_POLICY_REQUIRE]);
	cs_fset_union(&side->extra, &side->extra, &d->by_policy[CS_POLICY_FORCE]);
	side->def = *def;
	*def = NULL;
}

void engine_host_set(struct app_host *side, const struct cs_arch *arch, struct cs_cpudef **def,
                     const char *source, const char *why)
{
	struct cs_cpu_facts facts;

	if (!*def || cs_cpudef_to_facts(*def, &facts, NULL) < 0)
		side_absent(side, source, why);
	else
		side_present(side, arch, def, &facts, source);
}

void engine_host_release(struct app_host *h)
{
	if (!h)
		return;
	cs_cpudef_free(h->def);
	h->def = NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

int engine_probe(const struct cs_map *map, const struct cs_arch *arch,
                 const struct engine_host_opts *opts, struct app_host *cpu, struct app_host *kvm,
                 struct cs_error *err)
{
	int rc;

	struct cs_host_opts ho = {.from = CS_HOST_FROM_PROBE, .source = CS_HOST_SOURCE_CPUID};
	struct cs_host_sides sides;
	char why[400]; /* cut to the detail's size by side_absent() */

	if (opts->file) {
		ho.from = CS_HOST_FROM_FILE;
		ho.file = opts->file;
	} else if (opts->source && cs_host_source_parse(opts->source, &ho.source) < 0) {
		ho.source = CS_HOST_SOURCE_CPUID;
	}
	/* A probe that fails shows its reason as the host's (sides.cpu_why);
	 * a --host file that cannot be read is an error. */
	rc = cs_host_sides_load(map, &ho, &sides, opts->file ? err : NULL);
	if (sides.cpu)
		side_present(cpu, arch, &sides.cpu, &sides.cpu_facts,
		             opts->file                               ? base_name(opts->file)
		             : sides.source == CS_HOST_SOURCE_CPUINFO ? "cpuinfo"
		                                                      : "CPUID");
	else
		side_absent(cpu, "host", sides.cpu_why);
	if (sides.kvm) {
		side_present(kvm, arch, &sides.kvm, &sides.kvm_facts,
		             opts->file ? base_name(opts->file) : "KVM");
	} else {
		if (opts->file)
			snprintf(why, sizeof(why), "--host %s: %s", base_name(opts->file),
			         sides.kvm_why);
		else
			snprintf(why, sizeof(why), "%s", sides.kvm_why);
		side_absent(kvm, "KVM", why);
	}
	cs_host_sides_release(&sides);
	return rc < 0 && opts->file ? -1 : 0;
}

void engine_host_brand(const struct cs_map *map, const struct engine_host_opts *opts, char *buf,
                       size_t size)
{
	struct cs_host_opts ho = {.from = CS_HOST_FROM_PROBE, .source = CS_HOST_SOURCE_CPUID};
	char *b;

	if (opts->file) {
		ho.from = CS_HOST_FROM_FILE;
		ho.file = opts->file;
	} else if (opts->source && cs_host_source_parse(opts->source, &ho.source) < 0) {
		ho.source = CS_HOST_SOURCE_CPUID;
	}
	b = cs_host_brand(map, &ho);
	snprintf(buf, size, "%s", b ? b : "");
	free(b);
}
