#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# compare_virsh.sh: 'cpuscope compare' against 'virsh cpu-compare' on this host
#
# Needs libvirtd with the QEMU driver (qemu:///system;
# scripts/start-libvirt.sh brings one up).  Guests are generated afresh from a seed
# over every model, mode, match and policy, many close to the host CPU, and
# some equal to it.  The host CPU cpuscope compares with is the one virsh
# capabilities shows.  Verdicts must agree, and for incompatible guests the
# --error message too.  The same guests go through virsh
# hypervisor-cpu-compare and cpuscope compare --host domcapabilities.
#   CPUSCOPE_GUESTS  number of guests (default 300)
#   CPUSCOPE_SEED    generator seed (default: a new one per run, printed)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
GUESTS=${CPUSCOPE_GUESTS:-300}
SEED=${CPUSCOPE_SEED:-$(date +%s)}
SYSMAP=/usr/share/libvirt/cpu_map
URI=qemu:///system

skip_without_virsh compare_virsh
if ! virsh -c "$URI" capabilities >"$T/caps.xml" 2>/dev/null; then
	echo "skip compare_virsh: no libvirtd answers on $URI (start one with scripts/start-libvirt.sh)"
	exit 0
fi
need_gen compare_virsh
mkdir "$T/g"
"$GEN" guests "$SYSMAP" "$SEED" "$GUESTS" "$T/g" "$T/caps.xml" || exit 1
# The host CPU itself, as a host <cpu> and as a copy of the capabilities.
sed -n '/<host>/,/<\/host>/p' "$T/caps.xml" | sed -n '/<cpu>/,/<\/cpu>/p' >"$T/g/guest-host.xml"
cp "$T/caps.xml" "$T/g/guest-caps.xml"

verdict() { # the verdict a cpu-compare sentence names
	case "$1" in
	*"is identical to host CPU"* | *"is identical to the CPU provided by hypervisor"*) echo identical ;;
	*"is a superset of CPU"*) echo superset ;;
	*"is incompatible with host CPU"* | *"is incompatible with the CPU provided by hypervisor"*) echo incompatible ;;
	*) echo "error" ;;
	esac
}

# same_reason VIRSH-COMMAND HOST GUEST: the --error reason of virsh's command
# (against qemu:///system) and of cpuscope compare --host HOST agree; they
# are left in $vm and $om.
same_reason() {
	vm=$(virsh -c "$URI" "$1" --error "$3" 2>&1 >/dev/null |
		sed -n 's/^error: the CPU is incompatible with host CPU: //p')
	om=$("$BIN" --map "$SYSMAP" compare --error --host "$2" "$3" 2>&1 >/dev/null |
		sed -n 's/^cpuscope: error: the CPU is incompatible with host CPU: //p')
	[ "$vm" = "$om" ]
}

same=0 diff=0 incompatible=0 errors=0 identical=0 superset=0
for f in "$T"/g/guest-*.xml; do
	v=$(virsh -c "$URI" cpu-compare "$f" 2>"$T/v.err" | sed '/^$/d')
	o=$("$BIN" --map "$SYSMAP" compare --host "$T/caps.xml" "$f" 2>"$T/o.err" | head -1)
	vv=$(verdict "$v")
	ov=$(verdict "$o")
	ok=0
	if [ "$vv" = "$ov" ]; then
		ok=1
		if [ "$vv" = incompatible ]; then
			incompatible=$((incompatible + 1))
			same_reason cpu-compare "$T/caps.xml" "$f" || ok=0
		elif [ "$vv" = error ]; then
			errors=$((errors + 1))
		elif [ "$vv" = identical ]; then
			identical=$((identical + 1))
		else
			superset=$((superset + 1))
		fi
	fi
	if [ $ok -eq 1 ]; then
		same=$((same + 1))
	else
		diff=$((diff + 1))
		if [ $diff -le 5 ]; then
			echo "FAIL $(basename "$f"): virsh '$v' / cpuscope '$o'"
			sed 's/^/  input: /' "$f" | head -40
			cat "$T/v.err" "$T/o.err" | sed 's/^/  /'
			[ "$vv" = incompatible ] && echo "  virsh: $vm" && echo "  ours:  $om"
		fi
	fi
done
total=$((same + diff))
echo "compare_virsh: seed $SEED, $total guests: $same same verdict as virsh cpu-compare" \
	"($identical identical, $superset superset, $incompatible incompatible with the same" \
	"message, $errors rejected by both), $diff different"

# The same guests against what KVM can give: virsh hypervisor-cpu-compare
# and cpuscope compare --host on the domcapabilities it reads.
hsame=0 hdiff=0
if virsh -c "$URI" domcapabilities >"$T/domcaps.xml" 2>/dev/null; then
	for f in "$T"/g/guest-*.xml; do
		v=$(virsh -c "$URI" hypervisor-cpu-compare "$f" 2>/dev/null | sed '/^$/d')
		o=$("$BIN" --map "$SYSMAP" compare --host "$T/domcaps.xml" "$f" 2>/dev/null | head -1)
		vv=$(verdict "$v")
		ok=0
		if [ "$v" = "$o" ]; then # the same sentence
			ok=1
			if [ "$vv" = incompatible ]; then
				same_reason hypervisor-cpu-compare "$T/domcaps.xml" "$f" || ok=0
			fi
		fi
		if [ $ok -eq 1 ]; then
			hsame=$((hsame + 1))
		else
			hdiff=$((hdiff + 1))
			if [ $hdiff -le 5 ]; then
				echo "FAIL $(basename "$f") (KVM): virsh '$v' / cpuscope '$o'"
				sed 's/^/  input: /' "$f" | head -40
				[ "$vv" = incompatible ] && echo "  virsh: $vm" && echo "  ours:  $om"
			fi
		fi
	done
	echo "compare_virsh: $((hsame + hdiff)) guests against domcapabilities: $hsame same" \
		"verdict as virsh hypervisor-cpu-compare, $hdiff different"
else
	echo "skip hypervisor-cpu-compare comparison: virsh domcapabilities failed"
fi
[ $diff -eq 0 ] && [ $hdiff -eq 0 ]
