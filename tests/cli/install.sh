#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# install.sh: 'make install' puts a working binary and its maps under PREFIX,
# and the installed binary falls back to the bundled map without libvirt's.
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$BIN")

if make --no-print-directory -s install BUILD="$BUILD" PREFIX="$T/prefix" >"$T/log" 2>&1; then
	ok "make install"
else
	bad "make install"
	cat "$T/log"
	exit 1
fi
[ -x "$T/prefix/bin/cpuscope" ] && ok "binary installed" || bad "binary installed"
[ -f "$T/prefix/share/cpuscope/maps/libvirt-9.0.0.yaml" ] && ok "bundled map installed" ||
	bad "bundled map installed"
out=$(env -u CPUSCOPE_MAP CPUSCOPE_SYSTEM_MAP="$T/none" "$T/prefix/bin/cpuscope" --version)
echo "$out" | grep -q "share/cpuscope/maps/libvirt-9.0.0.yaml (the bundled" &&
	ok "installed binary finds the bundled map" || bad "installed binary finds the bundled map: $out"
n=$(env -u CPUSCOPE_MAP CPUSCOPE_SYSTEM_MAP="$T/none" "$T/prefix/bin/cpuscope" models | wc -l)
[ "$n" -eq 58 ] && ok "bundled map lists 58 models" || bad "bundled map lists 58 models ($n)"
out=$(env -u CPUSCOPE_MAP CPUSCOPE_SYSTEM_MAP="$T/none" "$BIN" --version)
echo "$out" | grep -q "maps/libvirt-9.0.0.yaml (the bundled" &&
	ok "source-tree binary finds the bundled map" || bad "source-tree binary finds the bundled map: $out"
mkdir -p "$T/sys" && cp tests/data/cpu_map-9.0.0/* "$T/sys/"
out=$(env -u CPUSCOPE_MAP CPUSCOPE_SYSTEM_MAP="$T/sys" "$BIN" --version)
echo "$out" | grep -q "map: $T/sys (the installed libvirt" && ok "system map preferred" ||
	bad "system map preferred: $out"
[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
