#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_domain.sh: the explorer on a libvirt domain (--connect URI --domain NAME), in tmux.
# A domain is defined on this host's libvirtd, opened by name, its CPU
# edited (vmx required) and saved with w; 'virsh dumpxml' must then show
# the new <cpu> and every other element as before.  Skipped (saying so)
# without tmux, virsh or a running libvirtd.
set -u

BIN=${CPUSCOPE_BIN:-build/cpuscope}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
MAP=/usr/share/libvirt/cpu_map
URI=qemu:///system
NAME=cs-conn-tui-$$
skip() {
	echo "tui_domain: SKIP: $1"
	exit 0
}
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
command -v virsh >/dev/null 2>&1 || skip "virsh is not installed"
[ -d "$MAP" ] || skip "no $MAP"
virsh -c "$URI" version >/dev/null 2>&1 || skip "cannot connect to $URI (scripts/start-libvirt.sh starts it)"

T=$(mktemp -d)
SOCK=cs-dom-$$
fails=0
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	virsh -c "$URI" undefine "$NAME" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
screen() { tmux -L "$SOCK" capture-pane -p -t cs 2>/dev/null; }
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
keys() { tmux -L "$SOCK" send-keys -t cs "$@"; }
text() { tmux -L "$SOCK" send-keys -t cs -l "$1"; }

cat >"$T/dom.xml" <<EOF2
<domain type='qemu'>
  <name>$NAME</name>
  <memory unit='MiB'>64</memory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <cpu mode='custom' match='exact' check='partial'>
    <model fallback='forbid'>Nehalem</model>
    <topology sockets='1' dies='1' cores='2' threads='1'/>
  </cpu>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <console type='pty'/>
  </devices>
</domain>
EOF2
virsh -c "$URI" define "$T/dom.xml" >/dev/null 2>"$T/err" || skip "virsh define failed: $(head -1 "$T/err")"
virsh -c "$URI" dumpxml --security-info --inactive "$NAME" >"$T/before.xml"

tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 140 -y 30 \
	"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --connect '$URI' --domain '$NAME'"
wait_for "opened $URI#$NAME" && ok "domain opened by name" || { bad "domain opened by name"; screen | tail -3; }
wait_for "model Nehalem " && ok "its CPU shown" || bad "its CPU shown"
keys 3 /
text sse4.2
keys Enter D
keys w Enter
wait_for "saved $URI#$NAME" && ok "saved through libvirt" || { bad "saved through libvirt"; screen | tail -3; }
sleep 0.2
virsh -c "$URI" dumpxml --security-info --inactive "$NAME" >"$T/after.xml"
grep -q "<feature policy='disable' name='sse4.2'/>" "$T/after.xml" && ok "the <cpu> changed" ||
	{ bad "the <cpu> changed"; sed -n '/<cpu/,/<\/cpu>/p' "$T/after.xml"; }
grep -q "<topology sockets='1' dies='1' cores='2' threads='1'/>" "$T/after.xml" && ok "its topology kept" || bad "its topology kept"
sed '/<cpu /,/<\/cpu>/d' "$T/before.xml" >"$T/a"
sed '/<cpu /,/<\/cpu>/d' "$T/after.xml" >"$T/b"
cmp -s "$T/a" "$T/b" && ok "every other element as before" || { bad "every other element as before"; diff "$T/a" "$T/b"; }
keys q
[ $fails -eq 0 ] && echo "tui_domain: all passed"
[ $fails -eq 0 ]
