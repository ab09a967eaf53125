#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# qemu_argv_virsh.sh: the -cpu of 'cpuscope guest' against the -cpu libvirt builds
# (virsh domxml-to-native qemu-argv) for generated domains on this host
#
# Needs libvirtd with the QEMU driver (qemu:///system;
# scripts/start-libvirt.sh brings one up).  Minimal KVM domains are generated afresh
# from a seed: <cpu check='none'> over every model (a quarter name a model
# QEMU 7.2 lacks, which libvirt translates), every mode, match, policy and
# fallback.  cpuscope is given the host as libvirt sees it, the saved `virsh
# domcapabilities` (host-model for the update, the KVM view for QEMU's
# blockers), and, where /dev/kvm is usable, also --source kvm.  The -cpu
# values must be equal; where libvirt refuses the domain, cpuscope must
# refuse it with the same message.  Nothing else of the domain sets CPU
# options, so the whole -cpu value is what libvirt derives from <cpu>.
#   CPUSCOPE_GUESTS  number of domains (default 300)
#   CPUSCOPE_SEED    generator seed (default: a new one per run, printed)
#   CPUSCOPE_SHOW    how many differences to show in full (default 5)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
GUESTS=${CPUSCOPE_GUESTS:-300}
SEED=${CPUSCOPE_SEED:-$(date +%s)}
SYSMAP=/usr/share/libvirt/cpu_map
URI=qemu:///system

skip_without_virsh qemu_argv_virsh
if ! virsh -c "$URI" domcapabilities --virttype kvm --arch x86_64 >"$T/domcaps.xml" 2>"$T/err"; then
	echo "skip qemu_argv_virsh: no libvirtd with KVM answers on $URI" \
		"($(head -1 "$T/err"); start one with scripts/start-libvirt.sh)"
	exit 0
fi
qemu=$(virsh -c "$URI" version 2>/dev/null | sed -n 's/^Running hypervisor: QEMU //p')
case "$qemu" in
7.2.*) ;;
*)
	echo "skip qemu_argv_virsh: cpuscope knows QEMU 7.2's models; this libvirt runs QEMU ${qemu:-?}"
	exit 0
	;;
esac
if ! grep -q "<mode name='host-model' supported='yes'>" "$T/domcaps.xml"; then
	echo "skip qemu_argv_virsh: libvirt reports no host-model CPU here"
	exit 0
fi
need_gen qemu_argv_virsh
mkdir "$T/g"
"$GEN" domains "$SYSMAP" "$SEED" "$GUESTS" "$T/g" "$T/domcaps.xml" || exit 1
kvm=0
"$BIN" --map "$SYSMAP" host --source kvm --no-fallback >/dev/null 2>&1 && kvm=1

# The -cpu value of a QEMU command line, or "(none)".
cpu_of_argv() { tr ' ' '\n' | sed -n '/^-cpu$/{n;p;q}' | grep . || echo "(none)"; }
# cpuscope's "qemu:" line as the same value.
cpu_of_ours() { sed -n 's/^qemu: -cpu //p; s/^qemu: no -cpu option.*/(none)/p'; }
# Error texts: virsh says "error: <category>: MSG", cpuscope "cpuscope: error: [FILE:LINE: ]MSG".
norm_virsh() { grep -v '^error: Failed to convert' | sed 's/^error: [^:]*: //; /^$/d'; }
norm_ours() { sed 's/^cpuscope: error: //; s/^[^ :]*:[0-9][0-9]*: //'; }

# ours NAME HOST-OPTION...: the result of cpuscope into $T/NAME (value or "error: MSG")
ours() {
	n=$1
	shift
	if "$BIN" --map "$SYSMAP" guest "$@" "$f" >"$T/o.out" 2>"$T/o.err"; then
		cpu_of_ours <"$T/o.out" >"$T/$n"
	else
		printf 'error: %s\n' "$(norm_ours <"$T/o.err")" >"$T/$n"
	fi
}

same=0 diff=0 errors=0 translated=0 kvm_same=0 kvm_diff=0
for f in "$T"/g/domain-*.xml; do
	if virsh -c "$URI" domxml-to-native qemu-argv "$f" >"$T/v.out" 2>"$T/v.err"; then
		cpu_of_argv <"$T/v.out" >"$T/virsh"
	else
		printf 'error: %s\n' "$(norm_virsh <"$T/v.err")" >"$T/virsh"
	fi
	ours domcaps --host "$T/domcaps.xml"
	if cmp -s "$T/virsh" "$T/domcaps"; then
		same=$((same + 1))
		grep -q '^error: ' "$T/virsh" && errors=$((errors + 1))
		# a custom guest that keeps its own model but starts another one
		model=$(sed -n 's/.*<model[^>]*>\(.*\)<\/model>.*/\1/p' "$f")
		if grep -q "<cpu mode='custom'" "$f" && ! grep -q "match='minimum'" "$f" &&
			[ -n "$model" ] && ! grep -q '^error: ' "$T/virsh" &&
			[ "$(cut -d, -f1 "$T/virsh")" != "$model" ]; then
			translated=$((translated + 1))
		fi
	else
		diff=$((diff + 1))
		if [ $diff -le "${CPUSCOPE_SHOW:-5}" ]; then
			echo "FAIL $(basename "$f"):"
			sed -n '/<cpu/,/<\/cpu>/p' "$f" | sed 's/^/  input: /' | head -40
			echo "  virsh:    $(cat "$T/virsh")"
			echo "  cpuscope: $(cat "$T/domcaps")"
		fi
	fi
	if [ $kvm -eq 1 ]; then
		ours kvm --source kvm
		if cmp -s "$T/domcaps" "$T/kvm"; then
			kvm_same=$((kvm_same + 1))
		else
			kvm_diff=$((kvm_diff + 1))
			if [ $kvm_diff -le 3 ]; then
				echo "FAIL $(basename "$f"): --source kvm differs from --host domcapabilities"
				echo "  --host:   $(cat "$T/domcaps")"
				echo "  --source: $(cat "$T/kvm")"
			fi
		fi
	fi
done
total=$((same + diff))
echo "qemu_argv_virsh: seed $SEED, $total domains: $same with the -cpu of virsh" \
	"domxml-to-native ($translated with a model libvirt translated, $errors refused by both" \
	"with the same message), $diff different"
if [ $kvm -eq 1 ]; then
	echo "qemu_argv_virsh: --source kvm gave the same as --host domcapabilities for" \
		"$kvm_same, not for $kvm_diff"
else
	echo "qemu_argv_virsh: KVM not usable by cpuscope here: --source kvm not compared"
fi
[ $diff -eq 0 ] && [ $kvm_diff -eq 0 ]
