#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# baseline_virsh.sh: 'cpuscope baseline' against 'virsh cpu-baseline' on generated host pools
#
# Pools of realistic hosts (map models with features dropped and added, written
# the way libvirt accepts them) are generated afresh from a seed; each pool is
# baselined by virsh (test:///default, and qemu:///system for --migratable when
# a libvirtd answers) and by cpuscope, with and without --features; output and
# failure must agree byte for byte (error texts without their prefixes).
#   CPUSCOPE_POOLS  number of pools (default 300)
#   CPUSCOPE_SEED   generator seed (default: a new one per run, printed)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
POOLS=${CPUSCOPE_POOLS:-300}
SEED=${CPUSCOPE_SEED:-$(date +%s)}
SYSMAP=/usr/share/libvirt/cpu_map

skip_without_virsh baseline_virsh
printf '<cpu><arch>x86_64</arch><model>Haswell</model></cpu>\n' >"$T/probe.xml"
if ! virsh -c test:///default cpu-baseline "$T/probe.xml" >/dev/null 2>&1; then
	echo "skip baseline_virsh: virsh -c test:///default cpu-baseline does not work here"
	exit 0
fi
need_gen baseline_virsh
mkdir "$T/pools"
"$GEN" pools "$SYSMAP" "$SEED" "$POOLS" "$T/pools" || exit 1

# Error texts: virsh says "error: <category>: MSG", cpuscope "cpuscope: error: FILE:LINE: MSG".
norm_virsh() { sed 's/^error: [^:]*: //'; }
norm_ours() { sed 's/^cpuscope: error: //; s/^[^ :]*:[0-9][0-9]*: //; s/^[^ :]*: //'; }

same=0 diff=0 errs=0
run() { # run NAME URI VIRSH-OPTS -- OUR-OPTS
	f=$1 uri=$2 vopts=$3 oopts=$4
	# shellcheck disable=SC2086
	virsh -c "$uri" "${VCMD:-cpu-baseline}" $vopts "$f" >"$T/v.out" 2>"$T/v.err"
	vrc=$?
	# shellcheck disable=SC2086
	"$BIN" --map "$SYSMAP" baseline $oopts "$f" >"$T/o.out" 2>"$T/o.err"
	orc=$?
	if [ $vrc -ne 0 ]; then
		norm_virsh <"$T/v.err" | sed '/^$/d' >"$T/v.msg"
		norm_ours <"$T/o.err" >"$T/o.msg"
		if [ $orc -ne 0 ] && cmp -s "$T/v.msg" "$T/o.msg"; then
			same=$((same + 1))
			errs=$((errs + 1))
			return
		fi
	elif [ $orc -eq 0 ] && cmp -s "$T/v.out" "$T/o.out"; then
		same=$((same + 1))
		return
	fi
	diff=$((diff + 1))
	if [ $diff -le 5 ]; then
		echo "FAIL $(basename "$f") [$uri $vopts]: virsh exit $vrc, cpuscope exit $orc"
		sed 's/^/  input: /' "$f" | head -40
		diff "$T/v.out" "$T/o.out" | sed 's/^/  /' | head -20
		cat "$T/v.err" "$T/o.err" | sed 's/^/  /'
	fi
}

for f in "$T"/pools/pool-*.xml; do
	run "$f" test:///default "" "--driver test"
	run "$f" test:///default --features "--driver test --features"
done
qemu=0
if virsh -c qemu:///system version >/dev/null 2>&1; then
	qemu=1
	for f in "$T"/pools/pool-*.xml; do
		# the default is the QEMU driver's answer
		run "$f" qemu:///system "" ""
		run "$f" qemu:///system --features --features
		run "$f" qemu:///system --migratable --migratable
		run "$f" qemu:///system "--migratable --features" "--migratable --features"
	done
	# virsh cpu-baseline refuses a domcapabilities file (no <arch>); cpuscope
	# answers as virsh hypervisor-cpu-baseline does for it.
	if virsh -c qemu:///system domcapabilities >"$T/domcaps.xml" 2>/dev/null &&
		! grep -q "<domain>kvm</domain>" "$T/domcaps.xml"; then
		echo "skip hypervisor-cpu-baseline comparison: this libvirtd has no KVM, and" \
			"cpuscope answers for KVM"
	elif [ -s "$T/domcaps.xml" ]; then
		for o in "" --features --migratable "--features --migratable"; do
			VCMD=hypervisor-cpu-baseline run "$T/domcaps.xml" qemu:///system "$o" "$o"
		done
	fi
else
	echo "skip qemu:///system --migratable comparison: no libvirtd answering (scripts/start-libvirt.sh starts one)"
fi
total=$((same + diff))
echo "baseline_virsh: seed $SEED, $POOLS pools, $total runs: $same identical to virsh" \
	"($errs of them the same error), $diff different; qemu:///system used: $qemu"
[ $diff -eq 0 ]
