#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# start_virsh.sh: 'cpuscope guest' against libvirt really starting the guest
#
# Generated domains (every mode, check, match, policy and fallback; some
# topologies that do not match <vcpu>, some features QEMU has no property
# for, some models QEMU lacks) are started for real through libvirtd with a
# transient `virsh create --paused`, then destroyed.  KVM domains where
# /dev/kvm is usable, QEMU (TCG) domains elsewhere.  cpuscope is given the
# host as libvirt sees it (`virsh capabilities` and `domcapabilities`) and
# must say what really happened: refused (by libvirt or QEMU, with the same
# message), or started, naming the features QEMU dropped, which must be the
# ones QEMU warns about in the domain's log.  Each domain is judged twice:
# offline, and with --verify (QEMU itself asked, where it is on PATH).
# Offline at least 99 in 100 must agree; with --verify, every one.
#   CPUSCOPE_STARTS  number of domains (default 100)
#   CPUSCOPE_SEED    generator seed (default: a new one per run, printed)
#   CPUSCOPE_SHOW    how many differences to show in full (default 5)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
N=${CPUSCOPE_STARTS:-100}
SEED=${CPUSCOPE_SEED:-$(date +%s)}
SHOW=${CPUSCOPE_SHOW:-5}
SYSMAP=/usr/share/libvirt/cpu_map
URI=qemu:///system
LOGDIR=/var/log/libvirt/qemu

skip_without_virsh start_virsh
if ! virsh -c "$URI" version >/dev/null 2>"$T/err"; then
	echo "skip start_virsh: no libvirtd answers on $URI ($(head -1 "$T/err");" \
		"start one with scripts/start-libvirt.sh)"
	exit 0
fi
if ! pgrep -x virtlogd >/dev/null 2>&1; then
	echo "skip start_virsh: virtlogd is not running, so libvirtd cannot start guests" \
		"(scripts/start-libvirt.sh starts it)"
	exit 0
fi
VIRT=qemu
if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
	virsh -c "$URI" domcapabilities --virttype kvm --arch x86_64 >/dev/null 2>&1; then
	VIRT=kvm
fi
qemu=$(virsh -c "$URI" version 2>/dev/null | sed -n 's/^Running hypervisor: QEMU //p')
case "$qemu" in
7.2.*) ;;
*)
	echo "skip start_virsh: cpuscope knows QEMU 7.2's models; this libvirt runs QEMU ${qemu:-?}"
	exit 0
	;;
esac
virsh -c "$URI" capabilities >"$T/caps.xml" || exit 1
virsh -c "$URI" domcapabilities --virttype "$VIRT" --arch x86_64 >"$T/domcaps.xml" || exit 1
if ! grep -q "<mode name='host-model' supported='yes'>" "$T/domcaps.xml"; then
	echo "skip start_virsh: libvirt offers no host-model CPU for $VIRT domains here"
	exit 0
fi
need_gen start_virsh
mkdir -p "$T/d"
"$GEN" starts "$SYSMAP" "$SEED" "$N" "$T/d" "$T/domcaps.xml" "$VIRT" || exit 1
echo "start_virsh: $N $VIRT domains, seed $SEED (replay: CPUSCOPE_SEED=$SEED)"

# The message of a failed `virsh create`, without QEMU's timestamps.
# QEMU's own refusals are reported with one of two prefixes, depending on
# when libvirt notices QEMU is gone: both are taken as one.
norm() {
	sed -n 's/^error: //p' | grep -v '^Failed to create domain' | head -1 |
		sed 's/[0-9T:.-]*Z qemu-system-x86_64:/qemu-system-x86_64:/g' |
		sed 's/^internal error: process exited while connecting to monitor: /internal error: qemu unexpectedly closed the monitor: /'
}

# judge MODE [OPTION]: run `cpuscope guest --json` (with OPTION) on $f and
# compare it with what libvirt did ($real, $msg, $real_drop); counts go to
# the variables named after MODE (offline, verify).
judge() {
	mode=$1
	shift
	"$BIN" --map "$SYSMAP" guest --json "$@" --host "$T/caps.xml" --host "$T/domcaps.xml" "$f" \
		>"$T/c.out" 2>"$T/c.err"
	rc=$?
	our_msg=
	if [ $rc -eq 0 ]; then
		ours=starts
	elif [ $rc -eq 1 ]; then
		ours=refused
	elif [ "$real" = refused ] && [ -n "$msg" ] && grep -qF "${msg#XML error: }" "$T/c.err"; then
		# libvirt refuses the XML itself; cpuscope refuses to read it,
		# with the same words
		ours=refused
		our_msg=$msg
	else
		ours="error: $(head -1 "$T/c.err")"
	fi
	[ $rc -le 1 ] && our_msg=$(sed -n 's/.*"message": "\(.*\)", "dropped".*/\1/p' "$T/c.out" |
		sed 's/\\"/"/g; s/\\\\/\\/g')
	our_drop=$(sed -n 's/.*"dropped": \[\(.*\)\], "cpu_arg".*/\1/p' "$T/c.out" |
		tr '}' '\n' | sed -n 's/.*"qemu": "\([^"]*\)".*/\1/p' | sort -u | tr '\n' ' ')
	ok=yes
	[ "$real" = "$ours" ] || ok=no
	[ "$real" = refused ] && [ "$ok" = yes ] && [ "$msg" != "$our_msg" ] && ok=no
	if [ "$real" = starts ] && [ "$ok" = yes ]; then
		eval "${mode}_started=\$((${mode}_started + 1))"
		if [ "$real_drop" = "$our_drop" ]; then
			eval "${mode}_dropped=\$((${mode}_dropped + 1))"
		else
			ok=no
		fi
	fi
	if [ $ok = yes ]; then
		eval "${mode}_same=\$((${mode}_same + 1))"
		return
	fi
	eval "${mode}_differ=\$((${mode}_differ + 1))"
	[ $shown -lt "$SHOW" ] || return
	shown=$((shown + 1))
	echo "--- $(basename "$f") ($mode)"
	sed -n '/<cpu/,/<\/cpu>/p; /<vcpu>/p' "$f"
	echo "libvirt:  $real $msg"
	[ "$real" = starts ] && echo "  QEMU dropped: $real_drop"
	echo "cpuscope: $ours $our_msg"
	[ "$ours" = starts ] && echo "  dropped: $our_drop"
}

VERIFY=yes
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	VERIFY=no
	echo "skip start_virsh --verify: qemu-system-x86_64 is not on PATH"
fi
XDG_CACHE_HOME=$T/cache
export XDG_CACHE_HOME
shown=0 started=0
offline_same=0 offline_differ=0 offline_started=0 offline_dropped=0
verify_same=0 verify_differ=0 verify_started=0 verify_dropped=0
for f in "$T"/d/domain-*.xml; do
	name=$(sed -n 's:^<name>\(.*\)</name>$:\1:p' "$f")
	log=$LOGDIR/$name.log
	before=0
	[ -f "$log" ] && before=$(wc -l <"$log")
	if virsh -c "$URI" create --paused "$f" >"$T/v.out" 2>"$T/v.err"; then
		real=starts
		started=$((started + 1))
		msg=
		sleep 0.2
		real_drop=$(tail -n +"$((before + 1))" "$log" 2>/dev/null |
			sed -n "s/.*doesn't support requested feature: .*\.\([^.: ]*\) \[bit.*/\1/p" |
			sort -u | tr '\n' ' ')
		virsh -c "$URI" destroy "$name" >/dev/null 2>&1
	else
		real=refused
		msg=$(norm <"$T/v.err")
		real_drop=
	fi
	judge offline
	[ $VERIFY = yes ] && judge verify --verify
done
refused=$((N - started))
echo "start_virsh: offline, $offline_same/$N the same as libvirt really starting them" \
	"($offline_differ differ); of the $started that started, the dropped features are" \
	"QEMU's for $offline_dropped; $refused refused"
if [ $VERIFY = yes ]; then
	echo "start_virsh: with --verify (QEMU asked), $verify_same/$N the same ($verify_differ" \
		"differ); dropped features QEMU's for $verify_dropped/$started"
fi
# Offline, what only QEMU knows may differ now and then (at most 1 in 100);
# with QEMU asked, nothing may.
[ $((offline_differ * 100)) -le "$N" ] && [ "$verify_differ" -eq 0 ]
