/* advice.c: the mitigation features of a map */
#include "cpuscope/advice.h"

static const char *const mitigations[] = {
        "pcid",      "spec-ctrl",      "stibp",
        "ssbd",      "md-clear",       "arch-capabilities",
        "rdctl-no",  "ibrs-all",       "skip-l1dfl-vmentry",
        "mds-no",    "pschange-mc-no", "tsx-ctrl",
        "taa-no",    "ibpb",           "amd-stibp",
        "virt-ssbd", "amd-ssbd",       "amd-no-ssb",
        "ssb-no",
};

void cs_mitigations(const struct cs_arch *arch, struct cs_fset *out)
{
	cs_fset_zero(out);
	if (!arch)
		return;
	for (size_t i = 0; i < sizeof(mitigations) / sizeof(mitigations[0]); i++) {
		int id = cs_arch_find_feature(arch, mitigations[i]);
		if (id >= 0)
			cs_fset_set(out, (unsigned)id);
	}
}
