/* advice.h: features a guest should have for its security: CPU vulnerability mitigations */
#ifndef CPUSCOPE_ADVICE_H
#define CPUSCOPE_ADVICE_H

#include "cpuscope/cpumap.h"
#include "cpuscope/fset.h"

/* The map features that tell a guest kernel how to protect itself from the
 * speculative-execution and data-sampling vulnerabilities, as QEMU's CPU
 * model notes recommend passing them to guests when the host has them:
 * pcid, spec-ctrl, stibp, ssbd, md-clear, arch-capabilities and the
 * IA32_ARCH_CAPABILITIES bits (rdctl-no, ibrs-all, skip-l1dfl-vmentry,
 * mds-no, pschange-mc-no, tsx-ctrl, taa-no), and on AMD ibpb, amd-stibp,
 * virt-ssbd, amd-ssbd, amd-no-ssb and ssb-no.  Named models often lack
 * them (the -IBRS models add only some).  Names the map does not define
 * are left out; *out is empty for an arch without them. */
void cs_mitigations(const struct cs_arch *arch, struct cs_fset *out);

#endif
