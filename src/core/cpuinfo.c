/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpuinfo.c: Linux /proc/cpuinfo flag names and their libvirt map names */
#include "cpuscope/host.h"

#include <string.h>

/* Linux flag -> libvirt map name, where they differ.  Linux names come from
 * the kernel's x86 feature list (arch/x86/include/asm/cpufeatures.h, shown in
 * the "flags" line); libvirt names from x86_features.xml.  Rows marked
 * "vendor" are resolved per vendor in cs_cpuinfo_translate().
 * Limits: Linux hides some bits from "flags" (osxsave, spec-ctrl and
 * several AMD speculation bits, the SGX sub-features), shows some synthetic
 * flags, and never shows most MSR bits, so a cpuinfo host is an
 * approximation of the CPUID host. */
/* clang-format off */
static const struct cs_linux_name table[] = {
	{ "sse3",                "pni",                 "alias; Linux prints pni" },
	{ "dts",                 "ds",                  "CPUID 1 EDX[21], debug store" },
	{ "pclmulqdq",           "pclmuldq",            NULL },
	{ "sse4_1",              "sse4.1",              NULL },
	{ "sse4_2",              "sse4.2",              NULL },
	{ "tsc_deadline_timer",  "tsc-deadline",        NULL },
	{ "cqm",                 "cmt",                 "libvirt alias source='linux'" },
	{ "intel_pt",            "intel-pt",            NULL },
	{ "sha_ni",              "sha-ni",              NULL },
	{ "avx512_vbmi2",        "avx512vbmi2",         NULL },
	{ "avx512_vnni",         "avx512vnni",          NULL },
	{ "avx512_bitalg",       "avx512bitalg",        NULL },
	{ "avx512_vpopcntdq",    "avx512-vpopcntdq",    NULL },
	{ "bus_lock_detect",     "bus-lock-detect",     NULL },
	{ "sgx_lc",              "sgxlc",               NULL },
	{ "avx512_4vnniw",       "avx512-4vnniw",       NULL },
	{ "avx512_4fmaps",       "avx512-4fmaps",       NULL },
	{ "avx512_vp2intersect", "avx512-vp2intersect", NULL },
	{ "md_clear",            "md-clear",            "libvirt alias source='linux'" },
	{ "tsxldtrk",            "tsx-ldtrk",           NULL },
	{ "arch_lbr",            "arch-lbr",            NULL },
	{ "amx_bf16",            "amx-bf16",            NULL },
	{ "avx512_fp16",         "avx512-fp16",         NULL },
	{ "amx_tile",            "amx-tile",            NULL },
	{ "amx_int8",            "amx-int8",            NULL },
	{ "arch_capabilities",   "arch-capabilities",   "libvirt alias source='linux'" },
	{ "avx_vnni",            "avx-vnni",            NULL },
	{ "avx512_bf16",         "avx512-bf16",         NULL },
	{ "cqm_mbm_total",       "mbm_total",           NULL },
	{ "cqm_mbm_local",       "mbm_local",           NULL },
	{ "cr8_legacy",          "cr8legacy",           NULL },
	{ "nonstop_tsc",         "invtsc",              "set from CPUID 0x80000007 EDX[8]" },
	{ "virt_ssbd",           "virt-ssbd",           NULL },
	{ "svm_lock",            "svm-lock",            NULL },
	{ "nrip_save",           "nrip-save",           NULL },
	{ "tsc_scale",           "tsc-scale",           NULL },
	{ "vmcb_clean",          "vmcb-clean",          NULL },
	{ "pausefilter",         "pause-filter",        NULL },
	{ "v_vmsave_vmload",     "v-vmsave-vmload",     NULL },
	{ "svme_addr_chk",       "svme-addr-chk",       NULL },
	{ "split_lock_detect",   "split-lock-detect",   "from MSR 0xcf" },
	{ "ibrs_enhanced",       "ibrs-all",            "from MSR 0x10a" },
	{ "ibrs",                "spec-ctrl",           "vendor: Intel spec-ctrl, AMD ibrs" },
	{ "ibpb",                "spec-ctrl",           "vendor: Intel spec-ctrl, AMD ibpb" },
	{ "stibp",               "stibp",               "vendor: Intel stibp, AMD amd-stibp" },
	{ "ssbd",                "ssbd",                "vendor: Intel ssbd, AMD amd-ssbd" },
};
/* clang-format on */

const struct cs_linux_name *cs_cpuinfo_name_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

/* Linux prints one synthetic flag for speculation controls that Intel and
 * AMD enumerate in different CPUID bits. */
static const char *amd_name(const char *flag)
{
	static const char *const amd[][2] = {
	        {"ibrs", "ibrs"},
	        {"ibpb", "ibpb"},
	        {"stibp", "amd-stibp"},
	        {"ssbd", "amd-ssbd"},
	};

	for (size_t i = 0; i < sizeof(amd) / sizeof(amd[0]); i++)
		if (!strcmp(flag, amd[i][0]))
			return amd[i][1];
	return NULL;
}

const char *cs_cpuinfo_translate(const struct cs_arch *arch, const char *flag,
                                 const char *vendor_string)
{
	const char *name = flag;
	bool amd = vendor_string && (!strcmp(vendor_string, "AuthenticAMD") ||
	                             !strcmp(vendor_string, "HygonGenuine"));
	int id;

	if (amd && amd_name(flag)) {
		name = amd_name(flag);
	} else {
		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
			if (!strcmp(table[i].linux_name, flag)) {
				name = table[i].libvirt_name;
				break;
			}
	}
	id = cs_arch_find_feature(arch, name);
	if (id < 0 && name != flag)
		id = cs_arch_find_feature(arch, flag);
	if (id < 0) {
		/* The map's own aliases (source='linux' and others). */
		for (size_t f = 0; f < arch->nfeatures && id < 0; f++)
			for (size_t a = 0; a < arch->features[f].naliases; a++)
				if (!strcmp(arch->features[f].aliases[a].name, flag)) {
					id = (int)f;
					break;
				}
	}
	return id >= 0 ? arch->features[id].name : NULL;
}
