#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_migrate.sh: the explorer's migration view (T with --migrate-to) says
# for each destination what 'cpuscope migrate-check' says for the same
# domain and URIs, best first.  Three domains are defined on this host's
# libvirtd (a CPU that starts, one whose feature is dropped, one refused);
# the destinations are qemu:///system, the same daemon through libvirt's
# external-command transport (as tests/cli/conn_cli.sh), and a dead one.
# Skipped (saying so) without virsh or a running libvirtd.
set -u

BIN=${CPUSCOPE_BIN:-build/cpuscope}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
MAP=/usr/share/libvirt/cpu_map
URI=qemu:///system
DEAD=qemu+tcp://127.0.0.1:1/system
P=cs-conn2-mig-$$
skip() {
	echo "tui_migrate: SKIP: $1"
	exit 0
}
command -v virsh >/dev/null 2>&1 || skip "virsh is not installed"
[ -d "$MAP" ] || skip "no $MAP"
virsh -c "$URI" version >/dev/null 2>&1 || skip "cannot connect to $URI (scripts/start-libvirt.sh starts it)"

T=$(mktemp -d)
fails=0
cleanup() {
	for d in starts drops refused; do
		virsh -c "$URI" undefine "$P-$d" >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

# domain NAME CHECK MODEL [FEATURE]
domain() {
	cat <<EOF2
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <cpu mode='custom' match='exact' check='$2'>
    <model fallback='forbid'>$3</model>
    ${4:+<feature policy='require' name='$4'/>}
  </cpu>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
  </devices>
</domain>
EOF2
}
domain "$P-starts" partial Nehalem >"$T/starts.xml"
domain "$P-drops" none Nehalem rtm >"$T/drops.xml"
domain "$P-refused" partial Skylake-Client >"$T/refused.xml"
for d in starts drops refused; do
	virsh -c "$URI" define "$T/$d.xml" >/dev/null 2>"$T/err" || skip "virsh define failed: $(head -1 "$T/err")"
done

set -- --migrate-to "$URI" --migrate-to "$DEAD"
PY=$(command -v python3 2>/dev/null)
if [ -n "$PY" ] && [ -S /run/libvirt/libvirt-sock ]; then
	cat >"$T/relay" <<EOF2
#!$PY
import os, select, socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect("/run/libvirt/libvirt-sock")
while True:
    r = select.select([0, s], [], [])[0]
    if 0 in r:
        b = os.read(0, 65536)
        if not b:
            break
        s.sendall(b)
    if s in r:
        b = s.recv(65536)
        if not b:
            break
        os.write(1, b)
EOF2
	chmod +x "$T/relay"
	set -- "$@" --migrate-to "qemu+ext:///system?command=$T/relay"
else
	echo "note tui_migrate: no python3 or no /run/libvirt/libvirt-sock: no second transport"
fi
TO=$(printf '%s\n' "$@" | sed 's/^--migrate-to$/--to/')

printf 'T\n' >"$T/keys"
for d in starts drops refused; do
	# shellcheck disable=SC2086
	"$BIN" --map "$MAP" migrate-check "$P-$d" --connect "$URI" $TO >"$T/cli.$d" 2>&1
	"$BIN" --map "$MAP" --connect "$URI" --domain "$P-$d" "$@" --keys "$T/keys" \
		--dump-screen "$T/tui.$d" --size 149x80 2>"$T/err" ||
		{ bad "$d: the explorer ran"; cat "$T/err"; continue; }
	# destination, verdict and whether it can take the domain, one line each
	awk '/^[^ ].*:$/ && !/^domain / { u = $0; sub(/ \(.*\)?:$/, "", u); sub(/:$/, "", u) }
	     /^  cpuscope: / { v = $0; sub(/^  cpuscope: /, "", v) }
	     /^  unreachable, left out: / { v = $0; sub(/^  unreachable, left out: /, "unreachable: ", v)
	                                    print u " | " v " | cannot take it" }
	     /^  cannot judge: / { v = $0; sub(/^  /, "", v) }
	     /^  can(not)? take it$/ { t = $0; sub(/^  /, "", t); print u " | " v " | " t }' \
		"$T/cli.$d" | sort >"$T/want.$d"
	sed 's/^.*│ //' "$T/tui.$d" |
		awk '{ sub(/ *$/, "") }
		     /^[-+] [a-z+]*:\/\// { u = substr($0, 3); sub(/ \(.*\)$/, "", u); c = "" }
		     /^      / && c == "v" { l = $0; sub(/^ */, " ", l); v = v l; next }
		     /^    / { c = "" }
		     /^    cpuscope: / { v = $0; sub(/^    cpuscope: /, "", v); c = "v" }
		     /^    can(not)? take it$/ { t = $0; sub(/^    /, "", t); print u " | " v " | " t }' \
		>"$T/got.$d"
	# wrapped lines may lose or gain a blank at the cut
	sed 's/  */ /g; s/, /,/g' "$T/want.$d" >"$T/w" && mv "$T/w" "$T/want.$d"
	sed 's/  */ /g; s/, /,/g' "$T/got.$d" | sort >"$T/gots.$d"
	if [ -s "$T/want.$d" ] && cmp -s "$T/want.$d" "$T/gots.$d"; then
		ok "$d: each destination as migrate-check says"
	else
		bad "$d: each destination as migrate-check says"
		diff "$T/want.$d" "$T/gots.$d"
	fi
	# best first: starts, drops, refused, unreachable
	awk -F' [|] ' '{ r = $2 ~ /^starts$/ ? 0 : $2 ~ /^starts without/ ? 1 : $2 ~ /^refused/ ? 3 : 4
	                  if (r < last) bad = 1; last = r } END { exit bad }' "$T/got.$d" &&
		ok "$d: best first" || { bad "$d: best first"; cat "$T/got.$d"; }
done
grep -q "| starts | can take it" "$T/gots.starts" && ok "starts: seen" || bad "starts: seen"

# a narrower terminal: the answers are wrapped again, none lost
printf 'T\nresize:100x80\n' >"$T/keys"
"$BIN" --map "$MAP" --connect "$URI" --domain "$P-starts" "$@" --keys "$T/keys" \
	--dump-screen "$T/tui.narrow" --size 149x80 2>"$T/err" || bad "narrower: the explorer ran"
n_wide=$(grep -c "can\(not\)\? take it *│\?$" "$T/tui.starts")
n_narrow=$(grep -c "can\(not\)\? take it *│\?$" "$T/tui.narrow")
# the summary line, cut at 100 columns unless it is wrapped again
if [ "$n_wide" -gt 0 ] && [ "$n_wide" = "$n_narrow" ] &&
	[ "$(LC_ALL=C.UTF-8 wc -L <"$T/tui.narrow")" -le 100 ] && grep -q "its CPU as libvirt has it" "$T/tui.narrow"; then
	ok "after a resize every destination is shown again ($n_narrow)"
else
	bad "after a resize every destination is shown again ($n_wide wide, $n_narrow narrow)"
fi
grep -q "| starts without rtm | can take it" "$T/gots.drops" && ok "drops rtm: seen" || bad "drops rtm: seen"
grep -q "| refused by libvirt: .* | cannot take it" "$T/gots.refused" && ok "refused: seen" || bad "refused: seen"
tail -1 "$T/got.starts" | grep -q "^$DEAD | unreachable: cannot connect: " && ok "unreachable: seen, last" || bad "unreachable: seen, last"
[ $fails -eq 0 ] && echo "tui_migrate: all passed"
[ $fails -eq 0 ]
