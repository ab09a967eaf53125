/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host_load.c: the host CPU and what KVM gives, from a file or a probe, by one set of rules */
#include "cpuscope/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/xalloc.h"

static void side_facts(const struct cs_cpudef *def, struct cs_cpu_facts *out)
{
	if (cs_cpudef_to_facts(def, out, NULL) < 0) {
		memset(out, 0, sizeof(*out));
		out->vendor = -1;
	}
}

/* A <cpu>-based file: its first <cpu>, as written, is the host CPU, or
 * for domcapabilities what KVM gives. */
static int load_cpu_file(const struct cs_map *map, const char *file, const char *buf, size_t len,
                         struct cs_host_sides *out, struct cs_error *err)
{
	struct cs_cpudef **defs = NULL, *def;
	size_t n = 0;

	if (cs_cpudef_parse(map, buf, len, file, CS_CPUDEF_FIRST, &defs, &n, err) < 0)
		return -1;
	def = defs[0];
	defs[0] = NULL;
	cs_cpudef_list_free(defs, n);
	if (def->origin == CS_CPU_ORIGIN_DOMCAPS) {
		out->kvm = def;
		out->model = cs_cpudef_copy(def);
		side_facts(def, &out->kvm_facts);
		snprintf(out->cpu_why, sizeof(out->cpu_why),
		         "a domcapabilities file says only what KVM gives");
	} else {
		out->cpu = def;
		side_facts(def, &out->cpu_facts);
		snprintf(out->kvm_why, sizeof(out->kvm_why), "%s says nothing of what KVM gives",
		         out->file_kind == CS_HOST_FILE_CAPABILITIES ? "virsh capabilities"
		                                                     : "a <cpu> element");
	}
	return 0;
}

/* CPU data (a probe, a CPUID dump, cpuid -r, cpuinfo): the host CPU as
 * libvirt decodes it, the host-model CPU, and what KVM gives when the
 * probe could ask /dev/kvm. */
static int sides_from_host(const struct cs_map *map, const struct cs_host *host,
                           struct cs_host_sides *out, struct cs_error *err)
{
	struct cs_decoded dec;

	if (!host->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, host->path, 0,
		             "the CPU map has no section for architecture %s",
		             host->arch_name ? host->arch_name : "?");
		return -1;
	}
	if (cs_host_decode(host, &dec, err) < 0)
		return -1;
	out->cpu = cs_cpudef_from_decoded(map, host->arch, &dec);
	out->cpu_facts = host->facts;
	if (cs_host_model(host, &dec, NULL) == 0) {
		/* as domcapabilities lists it */
		out->model = cs_cpudef_guest_from_decoded(map, host->arch, &dec);
		out->model->fallback = CS_CPU_FALLBACK_FORBID;
		out->model->origin = CS_CPU_ORIGIN_DOMCAPS;
	}
	if (host->has_kvm && out->model) {
		out->kvm = cs_cpudef_copy(out->model);
		side_facts(out->kvm, &out->kvm_facts);
	} else if (host->has_kvm) {
		snprintf(out->kvm_why, sizeof(out->kvm_why),
		         "no host-model CPU fits what KVM gives");
	} else if (host->source == CS_HOST_SOURCE_FILE) {
		snprintf(out->kvm_why, sizeof(out->kvm_why), "a %s says nothing of what KVM gives",
		         cs_host_file_name(host->file_kind));
	} else if (host->source == CS_HOST_SOURCE_CPUINFO) {
		snprintf(out->kvm_why, sizeof(out->kvm_why), "not probed with /proc/cpuinfo");
	} else {
		snprintf(out->kvm_why, sizeof(out->kvm_why), "/dev/kvm not usable");
	}
	if (host->notes)
		out->notes = cs_xstrdup(host->notes);
	return 0;
}

static int load_file(const struct cs_map *map, const char *file, struct cs_host_sides *out,
                     struct cs_error *err)
{
	struct cs_host *host = NULL;
	char *buf = NULL;
	size_t len = 0;
	int ret = -1;

	out->source = CS_HOST_SOURCE_FILE;
	if (cs_read_file(file, CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return -1;
	out->file_kind = cs_host_detect(buf, len);
	switch (out->file_kind) {
	case CS_HOST_FILE_CAPABILITIES:
	case CS_HOST_FILE_DOMCAPS:
	case CS_HOST_FILE_CPU:
	case CS_HOST_FILE_NONE: /* the <cpu> parser says what is wrong with it */
		ret = load_cpu_file(map, file, buf, len, out, err);
		break;
	case CS_HOST_FILE_CPUDATA:
	case CS_HOST_FILE_CPUID_RAW:
	case CS_HOST_FILE_CPUINFO:
		host = cs_host_parse(map, buf, len, file, err);
		ret = host ? sides_from_host(map, host, out, err) : -1;
		break;
	}
	cs_host_free(host);
	free(buf);
	return ret;
}

static int probe(const struct cs_map *map, const struct cs_host_opts *opts,
                 struct cs_host_sides *out, struct cs_error *err)
{
	struct cs_probe_env env = {0};
	struct cs_host *host;
	enum cs_host_source src = opts->source;
	int ret;

	if (opts->env)
		env = *opts->env;
	/* What KVM gives is learnt beside the CPU's own view, whichever of
	 * the two was asked for: capabilities always show the CPU itself. */
	if (src == CS_HOST_SOURCE_KVM || src == CS_HOST_SOURCE_FILE)
		src = CS_HOST_SOURCE_CPUID;
	env.with_kvm = src == CS_HOST_SOURCE_CPUID;
	host = cs_host_probe(map, src, &env, err);
	if (!host)
		return -1;
	out->source = host->source;
	ret = sides_from_host(map, host, out, err);
	cs_host_free(host);
	return ret;
}

int cs_host_sides_load(const struct cs_map *map, const struct cs_host_opts *opts,
                       struct cs_host_sides *out, struct cs_error *err)
{
	struct cs_error local = {0};
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->cpu_facts.vendor = out->kvm_facts.vendor = -1;
	switch (opts->from) {
	case CS_HOST_FROM_NONE:
		snprintf(out->cpu_why, sizeof(out->cpu_why), "no host given");
		snprintf(out->kvm_why, sizeof(out->kvm_why), "no host given");
		return 0;
	case CS_HOST_FROM_FILE:
		ret = load_file(map, opts->file, out, &local);
		break;
	case CS_HOST_FROM_PROBE:
		ret = probe(map, opts, out, &local);
		break;
	}
	if (ret < 0) {
		enum cs_host_file kind = out->file_kind;

		cs_host_sides_release(out);
		out->file_kind = kind;
		cs_error_format(&local, out->cpu_why, sizeof(out->cpu_why));
		snprintf(out->kvm_why, sizeof(out->kvm_why), "no host");
		if (err)
			*err = local;
	}
	return ret;
}

void cs_host_sides_release(struct cs_host_sides *sides)
{
	if (!sides)
		return;
	cs_cpudef_free(sides->cpu);
	cs_cpudef_free(sides->kvm);
	cs_cpudef_free(sides->model);
	free(sides->notes);
	memset(sides, 0, sizeof(*sides));
	sides->cpu_facts.vendor = sides->kvm_facts.vendor = -1;
}
