/* engine_host.c: learning the host CPU and what KVM gives, for the explorer */
#include "tui/engine.h"

#include <stdio.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/decode.h"
#include "cpuscope/host.h"

static void side_from_facts(struct app_host *side, const struct cs_cpu_facts *facts,
                            const struct cs_decoded *dec, const char *source)
{
	side->present = true;
	snprintf(side->source, sizeof(side->source), "%s", source);
	side->vendor = facts->vendor;
	side->features = facts->features;
	side->model = dec ? dec->model : -1;
	cs_fset_zero(&side->extra);
	if (dec)
		side->extra = dec->require;
}

static void side_absent(struct app_host *side, const char *source, const char *why)
{
	memset(side, 0, sizeof(*side));
	side->vendor = -1;
	side->model = -1;
	snprintf(side->source, sizeof(side->source), "%s", source);
	snprintf(side->detail, sizeof(side->detail), "%s", why);
}

/* The host-model CPU as domcapabilities lists it: a guest-type <cpu>. */
static struct cs_cpudef *host_model_def(const struct cs_map *map, const struct cs_arch *arch,
                                        const struct cs_decoded *hm)
{
	struct cs_cpudef *def = cs_cpudef_new(map, arch, CS_CPU_TYPE_GUEST);
	int id;

	cs_cpudef_set_model(def, hm->model);
	cs_cpudef_set_vendor(def, hm->vendor);
	def->fallback = CS_CPU_FALLBACK_FORBID;
	cs_fset_foreach (id, &hm->require)
		cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_REQUIRE);
	cs_fset_foreach (id, &hm->disable)
		cs_cpudef_set_feature(def, (unsigned)id, CS_POLICY_DISABLE);
	return def;
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

void engine_probe(const struct cs_map *map, const struct cs_arch *arch,
                  const struct engine_host_opts *opts, struct app_host *cpu, struct app_host *kvm)
{
	struct cs_probe_env env = {0};
	struct cs_error err = {0};
	struct cs_decoded dec;
	struct cs_host *host = NULL;
	enum cs_host_source src = CS_HOST_SOURCE_CPUID;
	char msg[160];

	side_absent(cpu, "host", "no host CPU");
	side_absent(kvm, "KVM", opts->file ? "not used with --host" : "not probed");
	if (opts->file) {
		host = cs_host_load(map, opts->file, &err);
	} else {
		if (opts->source && cs_host_source_parse(opts->source, &src) < 0)
			src = CS_HOST_SOURCE_CPUID;
		env.with_kvm = src != CS_HOST_SOURCE_CPUINFO;
		host = cs_host_probe(map, src == CS_HOST_SOURCE_KVM ? CS_HOST_SOURCE_CPUID : src,
		                     &env, &err);
	}
	if (!host) {
		cs_error_format(&err, msg, sizeof(msg));
		side_absent(cpu, "host", msg);
		return;
	}
	if (cs_host_decode(host, &dec, NULL) < 0)
		dec.model = -1;
	if (dec.model >= 0)
		cpu->def = cs_cpudef_from_decoded(map, arch, &dec);
	side_from_facts(cpu, &host->facts, dec.model >= 0 ? &dec : NULL,
	                opts->file
	                        ? base_name(opts->file)
	                        : (host->source == CS_HOST_SOURCE_CPUINFO ? "cpuinfo" : "CPUID"));
	if (host->has_kvm) {
		struct cs_decoded hm;
		if (cs_host_model(host, &hm, NULL) == 0) {
			/* hypervisor-cpu-compare compares with the host-model CPU. */
			struct cs_fset set = arch->models[hm.model].features;
			struct cs_cpu_facts f = host->kvm_facts;
			cs_fset_union(&set, &set, &hm.require);
			cs_fset_diff(&set, &set, &hm.disable);
			f.features = set;
			side_from_facts(kvm, &f, &hm, "KVM");
			kvm->def = host_model_def(map, arch, &hm);
		} else {
			side_from_facts(kvm, &host->kvm_facts, NULL, "KVM");
		}
	} else if (!opts->file) {
		side_absent(kvm, "KVM", "/dev/kvm not usable");
	}
	cs_host_free(host);
}
