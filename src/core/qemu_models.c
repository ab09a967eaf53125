/* qemu_models.c: QEMU 7.2's x86_64 CPU models as libvirt 9.0 sees them: features, blockers */
#include "cpuscope/host.h"

#include <string.h>

#include "cpuscope/guest.h"
#include "cpuscope/xalloc.h"

/* Models of the libvirt 9.0 map that QEMU 7.2 does not define: QEMU never
 * reports them, so libvirt never picks them for host-model and translates a
 * guest that names one (doc §5.3). */
static const char *const not_in_qemu[] = {
        "pentiumpro", "cpu64-rhel5", "cpu64-rhel6", "Icelake-Client", "Icelake-Client-noTSX",
};

bool cs_model_known_to_qemu(const char *name)
{
	for (size_t i = 0; i < sizeof(not_in_qemu) / sizeof(not_in_qemu[0]); i++)
		if (!strcmp(name, not_in_qemu[i]))
			return false;
	return true;
}

/* Map features QEMU 7.2 has no property for. */
static const char *const unknown_to_qemu[] = {
        "osxsave", "cmt", "ospke", "pconfig", "mbm_total", "mbm_local", "cvt16",
};

bool cs_qemu_knows_feature(const char *name)
{
	for (size_t i = 0; i < sizeof(unknown_to_qemu) / sizeof(unknown_to_qemu[0]); i++)
		if (!strcmp(name, unknown_to_qemu[i]))
			return false;
	return true;
}

/* With KVM, QEMU turns these on and off in every model. */
static const char kvm_on[] = "x2apic hypervisor";
static const char kvm_off[] = "monitor svm";

/* Where QEMU 7.2's x86_64 model (its v1, as the unversioned name resolves)
 * differs from the libvirt 9.0 map's model of the same name, in map
 * feature names, once the KVM defaults above are applied.  Models not
 * listed have the map's features. */
// clang-format off
static const struct {
	const char *model, *on, *off;
} qemu_delta[] = {
	{"pentium",                   "apic", ""},
	{"pentium2",                  "apic", ""},
	{"pentium3",                  "apic", ""},
	{"coreduo",                   "ss", ""},
	{"n270",                      "ss movbe lahf_lm", ""},
	{"core2duo",                  "ss cx16 lahf_lm", ""},
	{"kvm32",                     "vme", ""},
	{"qemu64",                    "lahf_lm", ""},
	{"kvm64",                     "vme", ""},
	{"Conroe",                    "vme", ""},
	{"Penryn",                    "vme", ""},
	{"Nehalem",                   "vme", ""},
	{"Nehalem-IBRS",              "vme", ""},
	{"Westmere",                  "vme pclmuldq arat", ""},
	{"Westmere-IBRS",             "vme pclmuldq arat", ""},
	{"SandyBridge",               "vme arat xsaveopt", ""},
	{"SandyBridge-IBRS",          "vme arat xsaveopt", ""},
	{"IvyBridge",                 "arat xsaveopt", ""},
	{"IvyBridge-IBRS",            "arat xsaveopt", ""},
	{"Haswell-noTSX",             "vme f16c rdrand arat xsaveopt abm", ""},
	{"Haswell-noTSX-IBRS",        "vme f16c rdrand arat xsaveopt abm", ""},
	{"Haswell",                   "vme f16c rdrand arat xsaveopt abm", ""},
	{"Haswell-IBRS",              "vme f16c rdrand arat xsaveopt abm", ""},
	{"Broadwell-noTSX",           "vme f16c rdrand arat xsaveopt abm", ""},
	{"Broadwell-noTSX-IBRS",      "vme f16c rdrand arat xsaveopt abm", ""},
	{"Broadwell",                 "vme f16c rdrand arat xsaveopt abm", ""},
	{"Broadwell-IBRS",            "vme f16c rdrand arat xsaveopt abm", ""},
	{"Skylake-Client",            "", "mpx"},
	{"Skylake-Client-IBRS",       "", "mpx"},
	{"Skylake-Client-noTSX-IBRS", "", "mpx"},
	{"Skylake-Server",            "clflushopt pku", "mpx"},
	{"Skylake-Server-IBRS",       "pku", "mpx"},
	{"Skylake-Server-noTSX-IBRS", "pku", "mpx"},
	{"Cascadelake-Server",        "pku", "mpx"},
	{"Cascadelake-Server-noTSX",  "pku arch-capabilities rdctl-no ibrs-all skip-l1dfl-vmentry mds-no",
	                              "mpx"},
	{"Icelake-Server",            "", "mpx"},
	{"Icelake-Server-noTSX",      "", "mpx"},
	{"Snowridge",                 "mpx", ""},
	{"athlon",                    "mca", ""},
	{"phenom",                    "vme cx16 popcnt pdpe1gb rdtscp lahf_lm abm sse4a", ""},
	{"Opteron_G1",                "vme", ""},
	{"Opteron_G2",                "vme", "rdtscp"},
	{"Opteron_G3",                "vme", ""},
	{"Opteron_G4",                "vme", ""},
	{"Opteron_G5",                "vme", ""},
	{"EPYC",                      "topoext", ""},
	{"EPYC-IBPB",                 "topoext", ""},
	{"EPYC-Rome",                 "xsaves topoext", "npt nrip-save"},
	{"EPYC-Milan",                "topoext", "npt nrip-save svme-addr-chk"},
	{"Dhyana",                    "topoext", ""},
};
// clang-format on

/* Set (on) or clear the features named in the space-separated list; names
 * the map lacks are skipped. */
static void apply_names(const struct cs_arch *arch, const char *list, bool on, struct cs_fset *s)
{
	char name[64];

	while (*list) {
		size_t n = strcspn(list, " ");

		if (n && n < sizeof(name)) {
			int id;

			memcpy(name, list, n);
			name[n] = '\0';
			id = cs_arch_find_feature(arch, name);
			if (id >= 0 && on)
				cs_fset_set(s, (unsigned)id);
			else if (id >= 0)
				cs_fset_clear(s, (unsigned)id);
		}
		list += n;
		list += strspn(list, " ");
	}
}

static bool is_x86(const struct cs_arch *arch)
{
	return arch && !strcmp(arch->name, "x86");
}

bool cs_qemu_model_features(const struct cs_arch *arch, int model, struct cs_fset *out)
{
	const char *name;

	cs_fset_zero(out);
	if (!is_x86(arch) || model < 0 || (size_t)model >= arch->nmodels)
		return false;
	name = arch->models[model].name;
	if (!cs_model_known_to_qemu(name))
		return false;
	*out = arch->models[model].features;
	apply_names(arch, kvm_on, true, out);
	apply_names(arch, kvm_off, false, out);
	for (size_t i = 0; i < sizeof(qemu_delta) / sizeof(qemu_delta[0]); i++) {
		if (strcmp(qemu_delta[i].model, name))
			continue;
		apply_names(arch, qemu_delta[i].on, true, out);
		apply_names(arch, qemu_delta[i].off, false, out);
		break;
	}
	return true;
}

struct cs_allowed_model *cs_qemu_allowed_models(const struct cs_arch *arch,
                                                const struct cs_fset *view, size_t *n)
{
	struct cs_allowed_model *allowed;
	struct cs_fset can;
	size_t k = 0;

	*n = 0;
	if (!is_x86(arch) || !arch->nmodels)
		return NULL;
	allowed = cs_xcalloc(arch->nmodels, sizeof(*allowed));
	if (view) {
		/* KVM always gives these (see cs_kvm_probe), so they block
		 * nothing even when view is the CPU's own; and QEMU never
		 * reports topoext missing, whatever KVM says. */
		can = *view;
		apply_names(arch, "hypervisor x2apic tsc-deadline arat topoext", true, &can);
	}
	for (size_t i = 0; i < arch->nmodels; i++) {
		struct cs_fset want;

		if (!cs_qemu_model_features(arch, (int)i, &want))
			continue;
		allowed[k].model = (int)i;
		if (view)
			cs_fset_diff(&allowed[k].blockers, &want, &can);
		k++;
	}
	*n = k;
	return allowed;
}

/* Features of the map QEMU has no property for, which libvirt's QEMU driver
 * drops from host-model and baseline CPUs. */
static const char *const qemu_dropped[] = {"cmt", "mbm_total", "mbm_local", "osxsave", "ospke"};

void cs_decoded_filter_qemu(const struct cs_arch *arch, struct cs_decoded *d)
{
	for (size_t i = 0; i < sizeof(qemu_dropped) / sizeof(qemu_dropped[0]); i++) {
		int id = cs_arch_find_feature(arch, qemu_dropped[i]);

		if (id < 0)
			continue;
		cs_fset_clear(&d->require, (unsigned)id);
		cs_fset_clear(&d->disable, (unsigned)id);
	}
}

void cs_cpudef_filter_qemu(struct cs_cpudef *def)
{
	if (!def->arch || strcmp(def->arch->name, "x86") != 0)
		return;
	for (size_t i = 0; i < sizeof(qemu_dropped) / sizeof(qemu_dropped[0]); i++) {
		int id = cs_arch_find_feature(def->arch, qemu_dropped[i]);

		if (id >= 0)
			cs_cpudef_remove_feature(def, (unsigned)id);
	}
}
