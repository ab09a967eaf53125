#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# conn_cli.sh: 'domains', 'apply --connect' and 'migrate-check' through libvirt's client library
#
# First against libvirt's test driver (test:///default, inside the client:
# no daemon), then, where libvirtd answers on qemu:///system, against it:
# a small type='qemu' domain is defined with virsh, its CPU changed with
# 'cpuscope apply --connect' (checked with virsh dumpxml: the <cpu> changed,
# every other line as before, secrets included), a definition libvirt
# refuses leaves it as it was, and 'migrate-check' judges it against
# qemu:///system and the same daemon over a second transport: qemu+ext,
# libvirt's external-command transport, through a relay to the daemon's
# socket (no listening daemon needed).  The domain is undefined at the end.
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0
SYSMAP=/usr/share/libvirt/cpu_map
D=tests/data/guest
URI=qemu:///system
NAME=cpuscope-conn-$$
DEAD=qemu+tcp://127.0.0.1:1/system

# ---- usage, and the test driver ----------------------------------------------
check "domains --help" 0 "$BIN" domains --help
check "migrate-check --help" 0 "$BIN" migrate-check --help
check "migrate-check without --to" 2 "$BIN" --map "$MAP" migrate-check test -c test:///default
check "migrate-check without DOMAIN" 2 "$BIN" --map "$MAP" migrate-check --to "$URI"

check "domains on the test driver" 0 "$BIN" domains --connect test:///default
grep -q '^test  *running  *yes  *6695eb01-f6a4-8304-79aa-97f2502e193f$' "$T/out" &&
	ok "the test domain listed with its state" || { bad "the test domain listed with its state"; cat "$T/out"; }
check "domains --json" 0 "$BIN" domains -c test:///default --json
grep -q '"name": "test", "uuid": "6695eb01-f6a4-8304-79aa-97f2502e193f", "state": "running", "active": true, "persistent": true' "$T/out" &&
	ok "domains --json content" || bad "domains --json content"
check "domains: \$LIBVIRT_DEFAULT_URI" 0 env LIBVIRT_DEFAULT_URI=test:///default "$BIN" domains
grep -q "^1 domain on test:///default " "$T/out" && ok "the default URI honoured" || bad "the default URI honoured"
check "domains: unreachable" 2 "$BIN" domains --connect "$DEAD"
grep -q "^cpuscope: error: $DEAD: cannot connect: " "$T/err" && ok "unreachable: libvirt's reason" ||
	{ bad "unreachable: libvirt's reason"; cat "$T/err"; }

check "apply --connect (test driver)" 0 "$BIN" --map "$MAP" apply --connect test:///default "$D/guest-skylake.xml" test
grep -q "running: it gets the new CPU when it is next started" "$T/out" && ok "a running domain: next start" ||
	bad "a running domain: next start"
check "apply --connect --dry-run" 0 "$BIN" --map "$MAP" apply -c test:///default -n "$D/guest-skylake.xml" test
grep -q "<name>test</name>" "$T/out" && grep -q "Skylake-Client" "$T/out" && ok "dry run prints the domain" ||
	bad "dry run prints the domain"
check "apply --connect: no such domain" 2 "$BIN" --map "$MAP" apply -c test:///default "$D/guest-skylake.xml" nosuch
grep -q "cannot find domain 'nosuch'" "$T/err" && ok "no such domain: said so" || bad "no such domain: said so"
check "migrate-check: only unreachable destinations" 1 "$BIN" --map "$MAP" migrate-check test -c test:///default --to "$DEAD"
grep -q "unreachable, left out: cannot connect: " "$T/out" && grep -q "^0 of 1 destinations can take test$" "$T/out" &&
	ok "unreachable destination reported" || { bad "unreachable destination reported"; cat "$T/out"; }
check "migrate-check: no such domain" 2 "$BIN" --map "$MAP" migrate-check nosuch -c test:///default --to "$DEAD"

# A file libvirt owns: written, with a warning naming the command libvirt needs.
mkdir -p "$T/etc/qemu"
cp "$D/domain-numa.xml" "$T/etc/qemu/vm.xml"
check "apply into libvirt's own file" 0 env CPUSCOPE_LIBVIRT_ETC="$T/etc" "$BIN" --map "$MAP" apply "$D/guest-skylake.xml" "$T/etc/qemu/vm.xml"
grep -q "libvirtd does not read it while it runs" "$T/err" &&
	grep -q "virsh -c qemu:///system define .*/etc/qemu/vm.xml$" "$T/err" &&
	ok "warned: libvirtd will not see it, virsh define will" || { bad "warned about libvirt's own file"; cat "$T/err"; }
check "apply outside libvirt's directory" 0 "$BIN" --map "$MAP" apply "$D/guest-skylake.xml" "$T/etc/qemu/vm.xml"
[ -s "$T/err" ] && bad "no warning elsewhere" || ok "no warning outside libvirt's directory"

# ---- libvirtd ------------------------------------------------------------------
finish() {
	[ $fails -eq 0 ] && echo "conn_cli: all passed" || echo "conn_cli: $fails failed"
	[ $fails -eq 0 ]
	exit
}
if ! command -v virsh >/dev/null 2>&1; then
	echo "skip conn_cli (libvirtd part): virsh not found (Debian: apt-get install libvirt-clients)"
	finish
fi
if ! virsh -c "$URI" version >/dev/null 2>"$T/err"; then
	echo "skip conn_cli (libvirtd part): no libvirtd answers on $URI ($(head -1 "$T/err");" \
		"start one with scripts/start-libvirt.sh)"
	finish
fi
[ -f "$SYSMAP/index.xml" ] || SYSMAP=$MAP
cleanup() {
	virsh -c "$URI" destroy "$NAME" >/dev/null 2>&1
	virsh -c "$URI" undefine "$NAME" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

cat >"$T/dom.xml" <<EOF
<domain type='qemu'>
  <name>$NAME</name>
  <memory unit='MiB'>64</memory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
  </os>
  <cpu mode='custom' match='exact' check='partial'>
    <model fallback='forbid'>qemu64</model>
  </cpu>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/>
    <console type='pty'/>
  </devices>
</domain>
EOF
if ! virsh -c "$URI" define "$T/dom.xml" >/dev/null 2>"$T/err"; then
	bad "virsh define the test domain: $(head -1 "$T/err")"
	finish
fi
virsh -c "$URI" dumpxml --security-info "$NAME" >"$T/before.xml"
printf "<cpu mode='custom' match='exact'>\n  <model fallback='allow'>Nehalem</model>\n  <feature policy='disable' name='x2apic'/>\n</cpu>\n" >"$T/nehalem.xml"

check "domains on $URI" 0 "$BIN" domains --connect "$URI"
grep -q "^$NAME  *shut off  *yes " "$T/out" && ok "the new domain listed, shut off" || bad "the new domain listed, shut off"

check "apply --connect $URI" 0 "$BIN" --map "$SYSMAP" apply --connect "$URI" "$T/nehalem.xml" "$NAME"
virsh -c "$URI" dumpxml --security-info "$NAME" >"$T/after.xml"
grep -q "<model fallback='allow'>Nehalem</model>" "$T/after.xml" &&
	grep -q "<feature policy='disable' name='x2apic'/>" "$T/after.xml" && ok "virsh dumpxml: the new CPU" ||
	{ bad "virsh dumpxml: the new CPU"; cat "$T/after.xml"; }
sed '/<cpu /,/<\/cpu>/d' "$T/before.xml" >"$T/a"
sed '/<cpu /,/<\/cpu>/d' "$T/after.xml" >"$T/b"
cmp -s "$T/a" "$T/b" && ok "virsh dumpxml: everything else as before" ||
	{ bad "virsh dumpxml: everything else as before"; diff "$T/a" "$T/b"; }
grep -q "passwd='s3cret'" "$T/after.xml" && ok "the VNC password kept" || bad "the VNC password kept"

# libvirt refuses this <cpu> (its schema wants a number); the domain stays.
printf "<cpu mode='custom'><model>Penryn</model><numa><cell id='0' cpus='0-1' memory='lots'/></numa></cpu>\n" >"$T/bad.xml"
check "a definition libvirt refuses" 2 "$BIN" --map "$SYSMAP" apply --connect "$URI" --replace "$T/bad.xml" "$NAME"
grep -q "libvirt refused the new definition of domain $NAME: .*schema" "$T/err" && ok "refused in libvirt's words" ||
	{ bad "refused in libvirt's words"; cat "$T/err"; }
virsh -c "$URI" dumpxml --security-info "$NAME" >"$T/kept.xml"
cmp -s "$T/after.xml" "$T/kept.xml" && ok "refused: domain as it was" || bad "refused: domain as it was"

# A second transport to the same daemon: libvirt runs the relay and speaks
# its protocol over the relay's standard input and output.
DESTS="--to $URI"
PY=$(command -v python3 2>/dev/null)
case "$PY" in /*) ;; *) PY= ;; esac
if [ -n "$PY" ] && [ -S /run/libvirt/libvirt-sock ]; then
	cat >"$T/relay" <<EOF
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
EOF
	chmod +x "$T/relay"
	EXT="qemu+ext:///system?command=$T/relay"
	DESTS="$DESTS --to $EXT"
	NDEST=2
else
	echo "note conn_cli: no python3 or no /run/libvirt/libvirt-sock: migrate-check uses $URI only"
	EXT=
	NDEST=1
fi
# shellcheck disable=SC2086
check "migrate-check: Nehalem" 0 "$BIN" --map "$SYSMAP" migrate-check "$NAME" --connect "$URI" $DESTS
grep -q "^$NDEST of $NDEST destinations can take $NAME$" "$T/out" && ok "every destination takes it" ||
	{ bad "every destination takes it"; cat "$T/out"; }
[ "$(grep -c '^  libvirt:  ' "$T/out")" -eq "$NDEST" ] && ok "libvirt's answer beside each" || bad "libvirt's answer beside each"
if [ -n "$EXT" ]; then
	grep -q "^qemu+ext:///system?command=.* (.*):$" "$T/out" && ok "second transport reached" ||
		bad "second transport reached"
fi
# shellcheck disable=SC2086
check "migrate-check --json" 0 "$BIN" --map "$SYSMAP" migrate-check "$NAME" $DESTS --json
grep -q '"reachable": true, "error": null, "can_take": true, "outcome": "starts"' "$T/out" &&
	ok "migrate-check --json content" || { bad "migrate-check --json content"; cat "$T/out"; }
check "migrate-check: one destination unreachable" 1 "$BIN" --map "$SYSMAP" migrate-check "$NAME" --to "$DEAD" --to "$URI"
grep -q "^1 of 2 destinations can take $NAME$" "$T/out" && grep -q "unreachable, left out" "$T/out" &&
	ok "the others judged still" || { bad "the others judged still"; cat "$T/out"; }

# A CPU QEMU's emulation cannot give, with check='partial': refused, and
# libvirt's compare agrees.
printf "<cpu mode='custom' match='exact' check='partial'>\n  <model fallback='allow'>Skylake-Client</model>\n</cpu>\n" >"$T/sky.xml"
check "apply Skylake-Client" 0 "$BIN" --map "$SYSMAP" apply -c "$URI" "$T/sky.xml" "$NAME"
check "migrate-check: refused" 1 "$BIN" --map "$SYSMAP" migrate-check "$NAME" --to "$URI"
grep -q "^  cpuscope: refused by libvirt: " "$T/out" && grep -q "^  libvirt:  incompatible: " "$T/out" &&
	! grep -q disagreement "$T/out" && ok "refused, as libvirt's compare says" ||
	{ bad "refused, as libvirt's compare says"; cat "$T/out"; }

# A feature QEMU's emulation cannot give, with check='none': the domain
# starts without it, which libvirt's compare (asking for every feature)
# calls incompatible; a shut-off domain can go, booting without it.
printf "<cpu mode='custom' match='exact' check='none'>\n  <model fallback='allow'>Nehalem</model>\n  <feature policy='require' name='rtm'/>\n</cpu>\n" >"$T/rtm.xml"
check "apply Nehalem + rtm" 0 "$BIN" --map "$SYSMAP" apply -c "$URI" "$T/rtm.xml" "$NAME"
check "migrate-check: features dropped" 0 "$BIN" --map "$SYSMAP" migrate-check "$NAME" --to "$URI"
grep -q "^  cpuscope: starts without rtm$" "$T/out" && grep -q "the guest boots there without them" "$T/out" &&
	grep -q "^  disagreement: cpuscope says it starts, libvirt's compare says incompatible$" "$T/out" &&
	ok "dropped, and the disagreement shown" || { bad "dropped, and the disagreement shown"; cat "$T/out"; }

# Running: the live definition is what migrates; a new CPU waits for the next start.
if pgrep -x virtlogd >/dev/null 2>&1 && virsh -c "$URI" start --paused "$NAME" >/dev/null 2>"$T/err"; then
	check "migrate-check: running" 0 "$BIN" --map "$SYSMAP" migrate-check "$NAME" --to "$URI"
	grep -q "^domain $NAME (paused) on $URI" "$T/out" && ok "running domain's state" || bad "running domain's state"
	# The live CPU, as libvirt updated it (rtm left out), is what a migration carries.
	grep -q "^its CPU as a destination gets it (the live one):" "$T/out" && grep -q "^  cpuscope: starts$" "$T/out" &&
		ok "running: judged on the live CPU" || { bad "running: judged on the live CPU"; cat "$T/out"; }
	check "apply while running" 0 "$BIN" --map "$SYSMAP" apply -c "$URI" "$T/sky.xml" "$NAME"
	grep -q "it gets the new CPU when it is next started" "$T/out" && ok "running: next start said" ||
		bad "running: next start said"
	virsh -c "$URI" dumpxml "$NAME" | grep -q "Skylake-Client" &&
		bad "live CPU unchanged" || ok "live CPU unchanged"
	virsh -c "$URI" dumpxml --inactive "$NAME" | grep -q "Skylake-Client" &&
		ok "next start's CPU defined" || bad "next start's CPU defined"
	virsh -c "$URI" destroy "$NAME" >/dev/null 2>&1
else
	echo "note conn_cli: the domain cannot be started here ($(head -1 "$T/err")): running case not tried"
fi
finish
