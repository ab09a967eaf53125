#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# compare_guest_cli.sh: 'cpuscope compare' and 'cpuscope guest' end to end against a saved host
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0
D=tests/data/guest
HOST=$D/baseline/caps-kvm64-amd.xml
has() { grep -qF -- "$2" "$T/$1" && ok "$3" || { bad "$3"; sed 's/^/  /' "$T/$1"; }; }

check "compare --help" 0 "$BIN" compare --help
check "compare without GUEST" 2 "$BIN" --map "$MAP" compare
check "--host and --source" 2 "$BIN" --map "$MAP" compare --host "$HOST" --source cpuid "$D/guest-skylake.xml"

# The host CPU itself, taken from the capabilities file: identical.
check "host vs itself" 0 "$BIN" --map "$MAP" compare --host "$HOST" "$HOST"
has out "CPU described in $HOST is identical to host CPU" "identical sentence"
printf "<cpu><model>kvm64</model></cpu>\n" >"$T/kvm64.xml"
check "kvm64 is a subset" 0 "$BIN" --map "$MAP" compare --host "$HOST" "$T/kvm64.xml"
has out "Host CPU is a superset of CPU described in $T/kvm64.xml" "superset sentence"
check "Skylake guest" 1 "$BIN" --map "$MAP" compare --host "$HOST" "$D/guest-skylake.xml"
has out "is incompatible with host CPU" "incompatible sentence"
has out "Host CPU does not provide required features:" "reason named"
check "--error" 1 "$BIN" --map "$MAP" compare --error --host "$HOST" "$D/guest-skylake.xml"
has err "cpuscope: error: the CPU is incompatible with host CPU: Host CPU does not provide required features: " "--error message"
# Why the host lacks what the guest requires, and the model without it.
printf "<cpu><model>Haswell</model><feature policy='require' name='vmx'/></cpu>\n" >"$T/hsw.xml"
check "Haswell with vmx on AMD" 1 "$BIN" --map "$MAP" compare --host "$HOST" "$T/hsw.xml"
has out "  vmx: Intel's VT-x: AMD and Hygon hosts have svm instead" "why: vmx on AMD"
has out "  hle, rtm: an Intel extension other vendors' CPUs do not have" "why: TSX on AMD"
has out "  model Haswell-noTSX is Haswell without hle, rtm" "the model without TSX"
check "--json says why" 1 "$BIN" --map "$MAP" compare --json --host "$HOST" "$T/hsw.xml"
has out '"why": [{"features": ["vmx"], "reason": "Intel'"'"'s VT-x: AMD and Hygon hosts have svm instead"}, {"features": ["hle", "rtm"]' "json why"
has out '"variant": "Haswell-noTSX"}' "json variant"
check "--json compatible" 0 "$BIN" --map "$MAP" compare --json --host "$HOST" "$T/kvm64.xml"
has out '"why": [], "variant": null}' "json: nothing to explain"

printf "<cpu><model>Haswell</model></cpu>\n" >"$T/haswell.xml"
check "guest: Haswell where TSX is off" 1 "$BIN" --map "$MAP" guest \
	--host tests/data/cputest/x86_64-cpuid-Xeon-E5-2650-v3-host.xml "$T/haswell.xml"
has out "verdict: refused by libvirt: the CPU is incompatible with host CPU: Host CPU does not provide required features: hle, rtm" "guest: refused for TSX"
has out "  at: partial" "guest: at the partial check"
has out "  hle, rtm: TSX: in some Intel CPUs since Haswell, and often off" "guest: why"
has out "  model Haswell-noTSX is Haswell without hle, rtm" "guest: the model without TSX"

C=tests/data/cputest
cat "$C/x86_64-cpuid-Xeon-E5-2650-v3-host.xml" "$C/x86_64-cpuid-Xeon-E5-2650-v4-host.xml" \
	"$C/x86_64-cpuid-Xeon-Gold-6148-host.xml" >"$T/three.xml"
check "pool: Haswell where one host has TSX off" 1 "$BIN" --map "$MAP" compare --pool "$T/three.xml" "$T/haswell.xml"
has out "three.xml+1  incompatible: Host CPU does not provide required features: hle, rtm" "pool: the host without TSX"
has out "model Haswell-noTSX is Haswell without hle, rtm: 3 of 3 hosts run it" "pool: the model every host runs"

# Elements in another XML namespace are not libvirt's, as virsh sees it.
printf "<cpu xmlns='http://example.com/x'><model>kvm64</model></cpu>\n" >"$T/ns.xml"
check "a <cpu> in another namespace" 2 "$BIN" --map "$MAP" compare --host "$HOST" "$T/ns.xml"
has err "does not contain any <cpu> element or valid domain XML" "namespaced <cpu> refused as virsh does"
printf "<domain type='kvm' xmlns:q='http://libvirt.org/schemas/domain/qemu/1.0'><name>a</name><cpu><model>kvm64</model></cpu><q:commandline/></domain>\n" >"$T/dq.xml"
check "a domain with a qemu: namespace" 0 "$BIN" --map "$MAP" compare --host "$HOST" "$T/dq.xml"

# Against domcapabilities: virsh hypervisor-cpu-compare's answer, in its words.
DC=tests/data/cputest/host-nested-epyc/domcapabilities.xml
check "domcapabilities vs itself" 0 "$BIN" --map "$MAP" compare --host "$DC" "$DC"
has out "CPU described in $DC is identical to the CPU provided by hypervisor on the host" "hypervisor identical sentence"
check "kvm64 on KVM without pni" 1 "$BIN" --map "$MAP" compare --host "$DC" "$T/kvm64.xml"
has out "CPU described in $T/kvm64.xml is incompatible with the CPU provided by hypervisor on the host" "hypervisor incompatible sentence"
has out "Host CPU does not provide required features: pni" "KVM lacks pni"
printf "<cpu><model>486</model></cpu>\n" >"$T/486.xml"
check "486 on KVM" 0 "$BIN" --map "$MAP" compare --host "$DC" "$T/486.xml"
has out "The CPU provided by hypervisor on the host is a superset of CPU described in $T/486.xml" "hypervisor superset sentence"
printf "<cpu match='strict'><model>kvm64</model></cpu>\n" >"$T/strict.xml"
check "strict kvm64" 1 "$BIN" --map "$MAP" compare --host "$HOST" "$T/strict.xml"
has out "Host CPU does not strictly match guest CPU: Extra features: vme, ht" "strict extras"
printf "<cpu><model>kvm64</model><feature policy='forbid' name='vme'/></cpu>\n" >"$T/forbid.xml"
check "forbid" 1 "$BIN" --map "$MAP" compare --host "$HOST" "$T/forbid.xml"
has out "Host CPU provides forbidden features: vme" "forbidden named"
printf "<cpu><model>kvm64</model><vendor>Intel</vendor></cpu>\n" >"$T/intel.xml"
check "vendor" 1 "$BIN" --map "$MAP" compare --host "$HOST" "$T/intel.xml"
has out "host CPU vendor does not match required CPU vendor Intel" "vendor named"
# A domain XML works as GUEST, as with virsh.
check "domain XML guest" 1 "$BIN" --map "$MAP" compare --host "$HOST" "$D/domain-numa.xml"
printf "<cpu><model>Foolake</model></cpu>\n" >"$T/bad.xml"
check "unknown model" 2 "$BIN" --map "$MAP" compare --host "$HOST" "$T/bad.xml"
has err "bad.xml:1: Unknown CPU model Foolake" "unknown model at file:line"

# compare --pool: every host of a pool, one line each, then the count.
C=tests/data/cputest
cat $C/x86_64-cpuid-Xeon-Gold-6148-host.xml $C/x86_64-cpuid-Xeon-Platinum-8268-host.xml >"$T/pool.xml"
printf "<cpu><model>Cascadelake-Server</model></cpu>\n" >"$T/clx.xml"
printf "<cpu><model>Skylake-Server</model></cpu>\n" >"$T/skx.xml"
check "pool: one host cannot" 1 "$BIN" --map "$MAP" compare --pool "$T/pool.xml" \
	--pool $C/x86_64-cpuid-Ice-Lake-Server.xml "$T/clx.xml"
hasre() { grep -qE -- "$2" "$T/$1" && ok "$3" || { bad "$3"; sed 's/^/  /' "$T/$1"; }; }
hasre out "^pool\.xml\+1 +incompatible: Host CPU does not provide required features: avx512vnni, spec-ctrl, ssbd$" "pool: the failing host and its reason"
hasre out "^pool\.xml\+2 +superset$" "pool: a host that runs it"
hasre out "^x86_64-cpuid-Ice-Lake-Server\.xml +superset$" "pool: a CPUID dump as a host"
has out "2 of 3 hosts can run the CPU described in $T/clx.xml" "pool: the count"
check "pool: every host runs it" 0 "$BIN" --map "$MAP" compare --pool "$T/pool.xml" "$T/skx.xml"
has out "2 of 2 hosts can run the CPU described in $T/skx.xml" "pool: all of them"
check "pool --error" 1 "$BIN" --map "$MAP" compare --error --pool "$T/pool.xml" "$T/clx.xml"
has err "cpuscope: error: the CPU is incompatible with host CPU pool.xml+1: Host CPU does not provide required features: avx512vnni" "pool --error names the host"
check "pool: a guest is not a host" 2 "$BIN" --map "$MAP" compare --pool "$T/skx.xml" "$T/skx.xml"
has err "skx.xml:1: a pool host needs <arch>" "pool: guest refused with file:line"
check "pool and --host" 2 "$BIN" --map "$MAP" compare --pool "$T/pool.xml" --host "$HOST" "$T/skx.xml"
# Each host's verdict is the one 'compare --host' gives for that host alone.
for h in $C/x86_64-cpuid-*-host.xml; do
	"$BIN" --map "$MAP" compare --host "$h" "$T/clx.xml" >/dev/null 2>&1
	one=$?
	"$BIN" --map "$MAP" compare --pool "$h" "$T/clx.xml" >/dev/null 2>&1
	[ "$?" = "$one" ] || { bad "pool of one = compare --host for $h"; continue; }
done
ok "a pool of one host gives compare --host's answer, for every saved host"

# export: the same <cpu> for virt-xml, KubeVirt and Proxmox
check "export" 0 "$BIN" --map "$MAP" export "$D/guest-skylake.xml"
has out "--cpu clearxml=yes,model=Skylake-Client-IBRS,check=full,model.fallback=forbid,require=vmx,disable=hle,disable=rtm" "export: virt-xml --cpu"
check "export kubevirt" 0 "$BIN" --map "$MAP" export --format kubevirt "$D/guest-skylake.xml"
has out '  model: "Skylake-Client-IBRS"' "export: KubeVirt model"
has err "cpuscope: note: KubeVirt has no field for fallback='forbid'" "export: what KubeVirt cannot say"
check "export of a domain" 0 "$BIN" --map "$MAP" export "$D/domain-numa.xml"
has err "clearxml=yes drops the <cpu>'s <cache>, <numa>; 'cpuscope apply' keeps them" "export: numa would be lost"
check "export proxmox" 0 "$BIN" --map "$MAP" export --format proxmox "$D/guest-skylake.xml"
has out "cpu-model: guest-skylake" "export: Proxmox model named after the file"
has out "$(printf '\tflags +vmx;-hle;-rtm')" "export: Proxmox flags"
has out "$(printf '\treported-model Skylake-Client-IBRS')" "export: Proxmox reported model"
has out "# the VM: qm set VMID --cpu custom-guest-skylake" "export: the qm command"
check "export proxmox --name" 0 "$BIN" --map "$MAP" export --format proxmox --name web "$D/guest-skylake.xml"
has out "cpu-model: web" "export: --name"
check "export proxmox: a bad --name" 2 "$BIN" --map "$MAP" export --format proxmox --name "a b" "$D/guest-skylake.xml"
printf "<cpu mode='host-model'/>\n" >"$T/hostmodel.xml"
check "export proxmox: host-model has no form" 2 "$BIN" --map "$MAP" export --format proxmox "$T/hostmodel.xml"
has err "no Proxmox form: Proxmox has no host-model CPU" "export: why not"
check "export nova" 0 "$BIN" --map "$MAP" export --format nova "$D/guest-skylake.xml"
has out "cpu_models = Skylake-Client-IBRS" "export: Nova model"
has out "cpu_model_extra_flags = +vmx, -hle, -rtm" "export: Nova flags"
has err "cpuscope: note: Nova has no check='full'" "export: what Nova cannot say"
check "export: unknown format" 2 "$BIN" --map "$MAP" export --format xen "$D/guest-skylake.xml"
check "export: bad guest" 2 "$BIN" --map "$MAP" export "$T/bad.xml"

# compare --json, for scripts
check "compare --json" 1 "$BIN" --map "$MAP" compare --json --host "$HOST" "$D/guest-skylake.xml"
has out '{"guest": "tests/data/guest/guest-skylake.xml", "host": "tests/data/guest/baseline/caps-kvm64-amd.xml", "result": "incompatible", "message": "Host CPU does not provide required features: vmx, mpx, spec-ctrl", "missing": ["vmx", "mpx", "spec-ctrl"], "forbidden": [], "extra": [], "why": [{"features": ["vmx"], "reason": "Intel'"'"'s VT-x: AMD and Hygon hosts have svm instead"}, {"features": ["mpx"], "reason": "an Intel extension other vendors'"'"' CPUs do not have"}, {"features": ["spec-ctrl"], "reason": "Intel'"'"'s mitigation bits: AMD CPUs report theirs in other bits (ibpb, amd-stibp, amd-ssbd, virt-ssbd)"}], "variant": null}' "compare --json: one object"
check "compare --json, strict" 1 "$BIN" --map "$MAP" compare --json --host "$HOST" "$T/strict.xml"
has out '"extra": ["vme", "ht", ' "compare --json: strict extras"
check "compare --pool --json" 1 "$BIN" --map "$MAP" compare --json --pool "$T/pool.xml" "$T/clx.xml"
has out '"can_run": 1, "cannot_run": 1}' "compare --pool --json: counts"
has out '{"name": "pool.xml+1", "result": "incompatible", "message": "Host CPU does not provide required features: avx512vnni, spec-ctrl, ssbd", "missing": ["avx512vnni", "spec-ctrl", "ssbd"]' "compare --pool --json: per host"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; json.load(sys.stdin)' <"$T/out" && ok "compare --pool --json parses as JSON" ||
		bad "compare --pool --json parses as JSON"
fi
check "--json and --error" 2 "$BIN" --map "$MAP" compare --json --error --host "$HOST" "$T/clx.xml"

# guest: effective features and -cpu
check "guest --help" 0 "$BIN" guest --help
cat >"$T/g.xml" <<'XML'
<cpu mode='custom' match='exact'>
  <model>Haswell</model>
  <feature policy='disable' name='rtm'/>
  <feature policy='disable' name='hle'/>
  <feature policy='require' name='lahf_lm'/>
</cpu>
XML
check "guest without host" 0 "$BIN" --map "$MAP" guest "$T/g.xml"
has out "qemu: -cpu Haswell,rtm=off,hle=off,lahf-lm=on" "-cpu as libvirt builds it"
has out "removed from the model (2): hle rtm" "removed features"
has out "level: x86-64-v3 (x86-64-v4 also needs avx512f, avx512dq, avx512cd, avx512bw, avx512vl)" "guest: the level QEMU's Haswell gives"
printf "<cpu><model>Skylake-Client-noTSX-IBRS</model></cpu>\n" >"$T/skl.xml"
check "guest on a Cascade Lake host" 0 "$BIN" --map "$MAP" guest --host tests/data/cputest/x86_64-cpuid-Xeon-Platinum-8268-host.xml "$T/skl.xml"
has out "mitigations the host has and the guest lacks (8): md-clear stibp arch-capabilities ssbd rdctl-no ibrs-all skip-l1dfl-vmentry mds-no" "guest: the mitigations it lacks"
check "guest --enforce" 0 "$BIN" --map "$MAP" guest --enforce "$T/g.xml"
has out "qemu: -cpu Haswell,rtm=off,hle=off,lahf-lm=on,enforce" "enforce appended"
check "guest on a host that can run it" 0 "$BIN" --map "$MAP" guest --host "$HOST" "$T/g.xml"
has out "verdict: starts" "the guest starts"
check "guest --json" 0 "$BIN" --map "$MAP" guest --json --host "$HOST" "$T/g.xml"
has out '"starts": true, "outcome": "starts", "refused_by": null' "guest --json: starts"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; json.load(sys.stdin)' <"$T/out" && ok "guest --json parses as JSON" ||
		bad "guest --json parses as JSON"
fi
check "guest on a host it cannot run on" 1 "$BIN" --map "$MAP" guest --host "$HOST" "$D/guest-skylake.xml"
has out "verdict: refused by libvirt: operation failed: guest CPU doesn't match specification: extra features: hypervisor, missing features: vmx,mpx,spec-ctrl" "check='full' refuses after QEMU starts"
sed "s/check='full'/check='partial'/" "$D/guest-skylake.xml" >"$T/skl-partial.xml"
check "guest, check='partial', on a host it cannot run on" 1 "$BIN" --map "$MAP" guest --host "$HOST" "$T/skl-partial.xml"
has out "verdict: refused by libvirt: the CPU is incompatible with host CPU: Host CPU does not provide required features: vmx, mpx, spec-ctrl" "check='partial' refuses before QEMU starts"
printf "<cpu mode='host-model'/>\n" >"$T/hm.xml"
check "host-model needs a host" 2 "$BIN" --map "$MAP" guest "$T/hm.xml"
has err "depends on the host CPU" "host needed"
check "host-model on the host" 0 "$BIN" --map "$MAP" guest --xml --host "$HOST" "$T/hm.xml"
has out "qemu: -cpu kvm64,vme=on," "host's model on -cpu"
has out "<vendor>AMD</vendor>" "host's vendor in the updated CPU"
printf "<cpu mode='host-passthrough'><model>Haswell</model></cpu>\n" >"$T/pt.xml"
check "model in host-passthrough refused" 2 "$BIN" --map "$MAP" guest "$T/pt.xml"
has err "pt.xml:1: a <model> has no effect in host-passthrough mode" "strict check at file:line"

# A model QEMU 7.2 lacks is translated; with fallback='forbid' libvirt refuses it.
printf "<cpu><model>Icelake-Client</model><feature policy='disable' name='rtm'/></cpu>\n" >"$T/icl.xml"
check "model QEMU lacks" 0 "$BIN" --map "$MAP" guest "$T/icl.xml"
has out "translated: QEMU 7.2 has no Icelake-Client; libvirt starts Skylake-Client-IBRS instead" \
	"translation named"
has out "qemu: -cpu Skylake-Client-IBRS,avx512vbmi=on," "translated model on -cpu"
has out ",rtm=off,intel-pt=off" "guest's own features after the decoded ones"
printf "<cpu><model fallback='forbid'>Icelake-Client</model></cpu>\n" >"$T/iclf.xml"
check "model QEMU lacks, fallback='forbid'" 1 "$BIN" --map "$MAP" guest "$T/iclf.xml"
has out "verdict: refused by libvirt: unsupported configuration: CPU model Icelake-Client is not supported by hypervisor" "libvirt's refusal"

# The start path's other refusals.
cat >"$T/topo.xml" <<'XML'
<domain type='kvm'><name>t</name><vcpu>4</vcpu>
<cpu><model>Haswell</model><topology sockets='1' dies='1' cores='2' threads='1'/></cpu></domain>
XML
check "topology against <vcpu>" 1 "$BIN" --map "$MAP" guest "$T/topo.xml"
has out "verdict: refused by libvirt: unsupported configuration: CPU topology doesn't match maximum vcpu count" "topology refused"
printf "<cpu><model>qemu64</model><feature policy='require' name='pconfig'/></cpu>\n" >"$T/pconfig.xml"
check "a feature QEMU has no property for" 1 "$BIN" --map "$MAP" guest "$T/pconfig.xml"
has out "verdict: refused by qemu: internal error: qemu unexpectedly closed the monitor: qemu-system-x86_64: can't apply global qemu64-x86_64-cpu.pconfig=on: Property 'qemu64-x86_64-cpu.pconfig' not found" "QEMU refuses pconfig"
check "guest --json refused" 1 "$BIN" --map "$MAP" guest --json "$T/pconfig.xml"
has out '"starts": false, "outcome": "refused", "refused_by": "qemu", "step": "qemu-property"' "guest --json: refused by QEMU"

[ $fails -eq 0 ] && echo "compare_guest_cli: all passed" || echo "compare_guest_cli: $fails failed"
[ $fails -eq 0 ]
