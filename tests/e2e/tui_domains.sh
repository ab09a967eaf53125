#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_domains.sh: the explorer's domain picker (o with --connect), in tmux.
# Two domains are defined on this host's libvirtd, one of them started
# (TCG); o must list both with the state virsh gives, Enter must open the
# one chosen as --domain does, and the host must stay the connection's.
# Skipped (saying so) without tmux, virsh or a running libvirtd.
set -u

BIN=${CPUSCOPE_BIN:-build/cpuscope}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
MAP=/usr/share/libvirt/cpu_map
URI=qemu:///system
A=cs-conn2-pick-a-$$
B=cs-conn2-pick-b-$$
skip() {
	echo "tui_domains: SKIP: $1"
	exit 0
}
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
command -v virsh >/dev/null 2>&1 || skip "virsh is not installed"
[ -d "$MAP" ] || skip "no $MAP"
virsh -c "$URI" version >/dev/null 2>&1 || skip "cannot connect to $URI (scripts/start-libvirt.sh starts it)"

T=$(mktemp -d)
SOCK=cs-doms-$$
fails=0
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	for d in "$A" "$B"; do
		virsh -c "$URI" destroy "$d" >/dev/null 2>&1
		virsh -c "$URI" undefine "$d" >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
screen() { tmux -L "$SOCK" capture-pane -p -t cs 2>/dev/null; }
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -qE -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
keys() { tmux -L "$SOCK" send-keys -t cs "$@"; }

# domain NAME MODEL
domain() {
	cat <<EOF2
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <cpu mode='custom' match='exact' check='partial'>
    <model fallback='forbid'>$2</model>
  </cpu>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <console type='pty'/>
  </devices>
</domain>
EOF2
}
domain "$A" Nehalem >"$T/a.xml"
domain "$B" Westmere >"$T/b.xml"
for d in a b; do
	virsh -c "$URI" define "$T/$d.xml" >/dev/null 2>"$T/err" || skip "virsh define failed: $(head -1 "$T/err")"
done
virsh -c "$URI" start "$B" >/dev/null 2>"$T/err" || echo "note: $B not started: $(head -1 "$T/err")"
SA=$(virsh -c "$URI" domstate "$A" 2>/dev/null | head -1)
SB=$(virsh -c "$URI" domstate "$B" 2>/dev/null | head -1)

tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 140 -y 30 \
	"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --connect '$URI' --domain '$A'"
wait_for "opened $URI#$A" && ok "domain opened by name" || { bad "domain opened by name"; screen | tail -3; }
keys o
wait_for "Domains on $URI" && ok "o: the connection's domains" || { bad "o: the connection's domains"; screen | tail -5; }
wait_for "$A +$SA +persistent +\(open\)" && ok "$A listed: $SA, open" || { bad "$A listed: $SA, open"; screen; }
wait_for "$B +$SB +persistent" && ok "$B listed: $SB" || { bad "$B listed: $SB"; screen; }
# every domain virsh lists is there
for d in $(virsh -c "$URI" list --all --name); do
	wait_for "│ $d " || { bad "every domain listed ($d missing)"; break; }
done
keys /
tmux -L "$SOCK" send-keys -t cs -l "$B"
keys Enter Enter
wait_for "opened $URI#$B" && ok "Enter opens the domain picked" || { bad "Enter opens the domain picked"; screen | tail -3; }
wait_for "model Westmere " && ok "its CPU shown" || bad "its CPU shown"
HN=$(virsh -c "$URI" hostname 2>/dev/null)
wait_for "host $URI on $HN " && ok "the host still the connection's" || bad "the host still the connection's"
case $SB in running) wait_for "opened $URI#$B .*it runs" && ok "said to run" || bad "said to run" ;; esac
keys o Escape
wait_for "opened|Models" && ok "Esc closes the picker" || bad "Esc closes the picker"
keys q

# --connect alone: the connection's host, and o lists its domains
tmux -L "$SOCK" kill-server >/dev/null 2>&1
SOCK=$SOCK-c
tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 140 -y 30 \
	"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --connect '$URI'"
wait_for "host $URI on $HN " && ok "--connect alone: the host is the connection's" ||
	{ bad "--connect alone: the host is the connection's"; screen | head -2; }
# the second side is named by the hypervisor libvirt offers: KVM, or QEMU's TCG
case $(virsh -c "$URI" domcapabilities 2>/dev/null | sed -n 's:.*<domain>\(.*\)</domain>.*:\1:p') in
qemu) HV=TCG ;;
*) HV=KVM ;;
esac
wait_for "vs $HV " && ok "the models are judged vs $HV, as domcapabilities says" ||
	{ bad "the models are judged vs $HV"; screen | head -3; }
keys o
wait_for "$A +$SA +persistent" && ok "--connect alone: o lists the domains" || { bad "--connect alone: o lists the domains"; screen; }
keys q
[ $fails -eq 0 ] && echo "tui_domains: all passed"
[ $fails -eq 0 ]
