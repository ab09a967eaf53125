#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_pool.sh: the explorer's pool view from the command line (key scripts):
# its answer first, a baseline per vendor for mixed vendors, --pool
# NAME=FILE labels, a file given twice counted once, D taking a host out.
. "$(dirname "$0")/../cli/lib.sh"

MAP=maps/libvirt-9.0.0.yaml
D=tests/data/cputest
AMD=$D/x86_64-cpuid-EPYC-7713-64-Core.xml
GOLD=$D/x86_64-cpuid-Xeon-Gold-6148.xml
PLAT=$D/x86_64-cpuid-Xeon-Platinum-8268.xml

run() { # run KEYS ARGS...: the screen after the keys, in $T/out
	keys=$1
	shift
	printf '%b' "$keys" >"$T/k"
	check "$name" 0 "$BIN" --map "$MAP" --host "$PLAT" --keys "$T/k" --dump-screen - \
		--size 140x50 "$@"
}

name="pool view opens"
run 'p\n' --pool "web1=$AMD" --pool "$GOLD" --pool "./$GOLD" --pool "$PLAT"
grep -q "Pool: 3 hosts" "$T/out" && ok "a file given twice counts once" || bad "a file given twice counts once"
line=$(grep -n "Models every host runs" "$T/out" | cut -d: -f1)
[ -n "$line" ] && [ "$line" -le 10 ] && ok "the answer comes first (row $line)" || bad "the answer comes first"
grep -q "(best)" "$T/out" && ok "the best model is marked" || bad "the best model is marked"
grep -q "none: CPU vendors do not match" "$T/out" && ok "libvirt's refusal kept" || bad "libvirt's refusal kept"
grep -q "AMD (1 host): EPYC-Milan" "$T/out" && grep -q "Intel (2 hosts): " "$T/out" &&
	ok "a baseline per vendor" || bad "a baseline per vendor"
grep -q " web1 " "$T/out" && ok "NAME=FILE labels the host" || bad "NAME=FILE labels the host"

name="D removes the first failing host"
run 'p\nD\nEnter\n' --pool "web1=$AMD" --pool "$GOLD" --pool "$PLAT"
grep -q "Pool: 2 hosts" "$T/out" && ! grep -q " web1 " "$T/out" &&
	ok "web1 is out of the pool" || bad "web1 is out of the pool"
grep -q "AMD (" "$T/out" && bad "no AMD baseline left" || ok "no AMD baseline left"

name="D with a name typed"
run 'p\nD\nC-u\n' --pool "web1=$AMD" --pool "$GOLD"
grep -q "remove from the pool the host:" "$T/out" && ok "D asks which host" || bad "D asks which host"

[ "$fails" -eq 0 ]
