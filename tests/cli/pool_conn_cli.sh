#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# pool_conn_cli.sh: --pool URI: pool hosts fetched through libvirt, mixed with files
#
# Against this host's libvirtd: qemu:///system, the same daemon over a
# second transport (qemu+ext through a relay to its socket), an unreachable
# URI that must be reported and left out while the others go on, a file
# beside them, and a pool of unreachable hosts only (exit 2).
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
SYSMAP=/usr/share/libvirt/cpu_map
URI=qemu:///system
DEAD=qemu+tcp://127.0.0.1:1/system
GUEST=tests/data/start/drops-haswell.xml
CAPS=tests/data/start/caps-tcg-host.xml

skip_without_virsh pool_conn_cli
if ! virsh -c "$URI" hostname >"$T/hostname" 2>"$T/err"; then
	echo "skip pool_conn_cli: no libvirtd answers on $URI ($(head -1 "$T/err"))"
	exit 0
fi
host=$(cat "$T/hostname")

check "compare --pool URI" 1 "$BIN" --map "$SYSMAP" compare --pool "$URI" "$GUEST"
grep -q "^$host  *incompatible" "$T/out" && ok "host named by its hostname" || { bad "host named by its hostname"; cat "$T/out"; }
grep -q "^0 of 1 hosts" "$T/out" && ok "one host" || bad "one host"

check "unreachable host left out" 1 "$BIN" --map "$SYSMAP" compare --pool "$DEAD" --pool "$URI" --pool "$CAPS" "$GUEST"
grep -q "^cpuscope: $DEAD: cannot connect: " "$T/err" && ok "unreachable host reported" || { bad "unreachable host reported"; cat "$T/err"; }
grep -q "^0 of 2 hosts" "$T/out" && ok "the others go on (a URI and a file)" || { bad "the others go on"; cat "$T/out"; }
[ "$(sed -n 1p "$T/out" | cut -d' ' -f1)" = "$host" ] && ok "hosts in the order given" || bad "hosts in the order given"

check "only unreachable hosts" 2 "$BIN" --map "$SYSMAP" compare --pool "$DEAD" --pool "$DEAD" "$GUEST"
[ "$(grep -c "cannot connect" "$T/err")" -eq 2 ] && ok "each unreachable host reported" || bad "each unreachable host reported"
grep -q "no host left in the pool" "$T/err" && ok "no host left" || bad "no host left"

check "models --pool URI" 0 "$BIN" --map "$SYSMAP" models --pool "$URI"
grep -q "^486  *1 of 1 hosts" "$T/out" && ok "models counted on the connection's host" || { bad "models on the connection's host"; head -5 "$T/out"; }

PY=$(command -v python3 2>/dev/null)
case "$PY" in /*) ;; *) PY= ;; esac
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
	EXT="qemu+ext:///system?command=$T/relay"
	check "two transports at once" 1 "$BIN" --map "$SYSMAP" compare --pool "$URI" --pool "$EXT" --pool "$DEAD" "$GUEST"
	grep -q "^0 of 2 hosts" "$T/out" && ok "both transports fetched" || { bad "both transports fetched"; cat "$T/out" "$T/err"; }
else
	echo "note pool_conn_cli: no python3 or no libvirt socket: one transport only"
fi
[ $fails -eq 0 ] && echo "pool_conn_cli: all passed"
[ $fails -eq 0 ]
