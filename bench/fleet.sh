#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fleet.sh: pool files of generated hosts in the shape of 'virsh capabilities'
# (<capabilities><host><cpu> with arch, model, vendor, microcode, signature,
# counter, topology, maxphysaddr, features and pages: about 2.3 KB each).
# Sourced by the bench scripts: fleet N DISTINCT > FILE, DISTINCT 0 making
# nearly every host different (features, model and microcode vary per host).
fleet() {
	awk -v n="$1" -v distinct="$2" 'BEGIN {
		split("Skylake-Server Cascadelake-Server Icelake-Server Haswell Broadwell", models, " ")
		nf = split("ds acpi ss ht tm pbe dtes64 monitor ds_cpl vmx smx est tm2 xtpr pdcm " \
		           "dca osxsave tsc_adjust clflushopt intel-pt pku ospke md-clear stibp " \
		           "arch-capabilities ssbd xsaves invtsc ibpb ibrs amd-stibp amd-ssbd " \
		           "rdctl-no ibrs-all skip-l1dfl-vmentry mds-no pschange-mc-no tsx-ctrl " \
		           "umip waitpkg cldemote movdiri movdir64b fsrm serialize avx512-bf16", f, " ")
		srand(7)
		for (h = 0; h < n; h++) {
			k = distinct ? h % distinct : h
			printf "<capabilities>\n  <host>\n    <uuid>%08x-0000-4000-8000-%012x</uuid>\n", h, h
			printf "    <cpu>\n      <arch>x86_64</arch>\n"
			printf "      <model>%s</model>\n      <vendor>Intel</vendor>\n", models[k % 5 + 1]
			printf "      <microcode version=\"%d\"/>\n", distinct ? 33554440 : 33554432 + h
			printf "      <signature family=\"6\" model=\"85\" stepping=\"%d\"/>\n", k % 8
			printf "      <counter name=\"tsc\" frequency=\"2095078000\" scaling=\"no\"/>\n"
			printf "      <topology sockets=\"1\" dies=\"1\" cores=\"20\" threads=\"2\"/>\n"
			printf "      <maxphysaddr mode=\"emulate\" bits=\"46\"/>\n"
			for (i = 1; i <= nf; i++) {
				# a host keeps each feature unless bit i of its number says otherwise
				if (i <= 24 && int(k / 2 ^ (i - 1)) % 2)
					continue
				printf "      <feature name=\"%s\"/>\n", f[i]
			}
			printf "      <pages unit=\"KiB\" size=\"4\"/>\n      <pages unit=\"KiB\" size=\"2048\"/>\n"
			printf "      <pages unit=\"KiB\" size=\"1048576\"/>\n    </cpu>\n"
			printf "    <power_management>\n      <suspend_mem/>\n      <suspend_disk/>\n"
			printf "      <suspend_hybrid/>\n    </power_management>\n"
			printf "    <iommu support=\"no\"/>\n    <migration_features>\n      <live/>\n"
			printf "      <uri_transports>\n        <uri_transport>tcp</uri_transport>\n"
			printf "        <uri_transport>rdma</uri_transport>\n      </uri_transports>\n"
			printf "    </migration_features>\n  </host>\n</capabilities>\n"
		}
	}'
}
