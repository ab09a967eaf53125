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

/* The KVM side from a host-model CPU: hypervisor-cpu-compare compares with
 * it, so its features are the model's plus required, less disabled. */
static void kvm_side(const struct cs_map *map, const struct cs_arch *arch, struct app_host *kvm,
                     const struct cs_cpu_facts *facts, const struct cs_decoded *hm,
                     const char *source)
{
	struct cs_cpu_facts f = *facts;

	f.features = arch->models[hm->model].features;
	cs_fset_union(&f.features, &f.features, &hm->require);
	cs_fset_diff(&f.features, &f.features, &hm->disable);
	side_from_facts(kvm, &f, hm, source);
	kvm->def = host_model_def(map, arch, hm);
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
	if (host->file_kind == CS_HOST_FILE_DOMCAPS && host->given_model >= 0) {
		/* domcapabilities lists what KVM gives: its host-model CPU is what
		 * hypervisor-cpu-compare uses, with its disabled features. */
		struct cs_decoded hm = {0};
		hm.model = host->given_model;
		hm.vendor = host->facts.vendor;
		hm.require = host->given_require;
		hm.disable = host->given_disable;
		kvm_side(map, arch, kvm, &host->facts, &hm, base_name(opts->file));
		side_absent(cpu, "host", "a domcapabilities file says only what KVM gives");
		cs_host_free(host);
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
			kvm_side(map, arch, kvm, &host->kvm_facts, &hm, "KVM");
		} else {
			side_from_facts(kvm, &host->kvm_facts, NULL, "KVM");
		}
	} else if (!opts->file) {
		side_absent(kvm, "KVM", "/dev/kvm not usable");
	}
	cs_host_free(host);
}
