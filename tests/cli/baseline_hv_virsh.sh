#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# baseline_hv_virsh.sh: 'cpuscope baseline --hypervisor' against 'virsh hypervisor-cpu-baseline'
#
# The hypervisor is this host's libvirtd (qemu:///system), under TCG when it
# has no KVM: its domcapabilities are saved to a file, and cpuscope answers
# from that file alone.  The CPU sets are generated afresh from a seed:
# host pools (bare <cpu> elements and capabilities documents), sets of guest
# CPUs (every mode, match and policy), pools and guests mixed, libvirt's own
# CPUID-derived CPUs of tests/data/cputest, and the domcapabilities
# host-model itself.  Each set is baselined with no flag, --features,
# --migratable and both; output must be byte for byte what virsh prints,
# and failures must carry the same message.  A sample is also run with
# --connect, where cpuscope asks libvirt too and must say it agrees.
#   CPUSCOPE_SETS  number of generated sets of each kind (default 150)
#   CPUSCOPE_SEED  generator seed (default: a new one per run, printed)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
SETS=${CPUSCOPE_SETS:-150}
SEED=${CPUSCOPE_SEED:-$(date +%s)}
SYSMAP=/usr/share/libvirt/cpu_map
URI=qemu:///system
DATA=tests/data/cputest

skip_without_virsh baseline_hv_virsh
if ! virsh -c "$URI" domcapabilities >"$T/domcaps.xml" 2>"$T/err"; then
	echo "skip baseline_hv_virsh: no libvirtd answers on $URI ($(head -1 "$T/err");" \
		"scripts/start-libvirt.sh starts one)"
	exit 0
fi
virt=$(sed -n 's:.*<domain>\(.*\)</domain>.*:\1:p' "$T/domcaps.xml")
need_gen baseline_hv_virsh
mkdir "$T/gen" "$T/sets"
"$GEN" pools "$SYSMAP" "$SEED" "$SETS" "$T/gen" || exit 1
virsh -c "$URI" capabilities >"$T/caps.xml" || exit 1
"$GEN" guests "$SYSMAP" "$SEED" "$((SETS * 3))" "$T/gen" "$T/caps.xml" || exit 1

# Sets: each pool alone; guests one to three at a time; a pool with a
# guest; each of libvirt's CPUID-derived CPUs alone and beside the next.
i=0
for p in "$T"/gen/pool-*.xml; do
	i=$((i + 1))
	n=$(printf %04d $i)
	cp "$p" "$T/sets/pool-$n.xml"
	cat "$T/gen/guest-$n.xml" >"$T/sets/guests-$n.xml"
	[ $((i % 3)) -ne 0 ] && cat "$T/gen/guest-$(printf %04d $((SETS + i)))".xml >>"$T/sets/guests-$n.xml"
	[ $((i % 2)) -eq 0 ] && cat "$T/gen/guest-$(printf %04d $((2 * SETS + i)))".xml >>"$T/sets/guests-$n.xml"
	# a capabilities document cannot share a file with a bare <cpu>
	grep -q '<capabilities' "$p" || cat "$p" "$T/gen/guest-$n.xml" >"$T/sets/mixed-$n.xml"
done
prev=
for f in "$DATA"/x86_64-cpuid-*-host.xml "$DATA"/x86_64-cpuid-*-guest.xml; do
	[ -f "$f" ] || continue
	b=$(basename "$f" .xml)
	cp "$f" "$T/sets/cputest-$b.xml"
	[ -n "$prev" ] && cat "$prev" "$f" >"$T/sets/cputest2-$b.xml"
	prev=$f
done
cp "$T/domcaps.xml" "$T/sets/domcaps-host-model.xml"

# Error texts: virsh says "error: <category>: MSG", cpuscope "cpuscope: error: FILE:LINE: MSG".
norm_virsh() { sed 's/^error: [^:]*: //'; }
norm_ours() { sed 's/^cpuscope: error: //; s/^[^ :]*:[0-9][0-9]*: //; s/^[^ :]*: //'; }

same=0 diff=0 errs=0
run() { # run FILE OPTS
	f=$1 o=$2
	# shellcheck disable=SC2086
	virsh -c "$URI" hypervisor-cpu-baseline $o "$f" >"$T/v.out" 2>"$T/v.err"
	vrc=$?
	# shellcheck disable=SC2086
	"$BIN" --map "$SYSMAP" baseline --hypervisor "$T/domcaps.xml" $o "$f" >"$T/o.out" 2>"$T/o.err"
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
		echo "FAIL $(basename "$f") [$o]: virsh exit $vrc, cpuscope exit $orc"
		sed 's/^/  input: /' "$f" | head -30
		diff "$T/v.out" "$T/o.out" | sed 's/^/  /' | head -20
		cat "$T/v.err" "$T/o.err" | sed 's/^/  /'
	fi
}

nsets=0
for f in "$T"/sets/*.xml; do
	nsets=$((nsets + 1))
	for o in "" --features --migratable "--features --migratable"; do
		run "$f" "$o"
	done
done
total=$((same + diff))
echo "baseline_hv_virsh: seed $SEED, $virt domcapabilities, $nsets CPU sets, $total runs:" \
	"$same/$total agree with virsh hypervisor-cpu-baseline ($errs of them the same error)"

# --connect: cpuscope asks libvirt itself and says whether the answers agree.
agree=0 asked=0
for f in "$T"/sets/pool-000*.xml "$T"/sets/guests-000*.xml; do
	asked=$((asked + 1))
	"$BIN" --map "$SYSMAP" baseline --connect "$URI" "$f" >"$T/o.out" 2>"$T/o.err"
	if grep -q '^libvirt: same answer' "$T/o.err"; then
		agree=$((agree + 1))
	elif [ $fails -lt 3 ]; then
		echo "FAIL --connect $(basename "$f"): libvirt not reported as agreeing"
		cat "$T/o.err"
		fails=$((fails + 1))
	fi
done
echo "baseline_hv_virsh: --connect $URI: $agree/$asked report libvirt's same answer"

# A disagreement is printed, never hidden: a recorded domcapabilities that
# is not this host's makes one.
printf '<cpu><arch>x86_64</arch><model>Haswell</model></cpu>\n' >"$T/haswell.xml"
sed 's/<model usable=.yes. vendor=.Intel.>Haswell<\/model>//; s/<model usable=.no. vendor=.Intel.>Haswell<\/model>//' \
	"$T/domcaps.xml" >"$T/nohaswell.xml"
"$BIN" --map "$SYSMAP" baseline --hypervisor "$T/nohaswell.xml" "$T/haswell.xml" >"$T/o.out" 2>&1
if grep -q '>Haswell<' "$T/o.out"; then
	bad "a hypervisor without Haswell still gave Haswell"
else
	ok "a hypervisor without Haswell gives another model"
fi
[ $diff -eq 0 ] && [ $fails -eq 0 ]
