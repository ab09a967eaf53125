#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# baseline_cli.sh: 'cpuscope baseline' end to end on the fixed cases virsh answered
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0
D=tests/data/guest/baseline

check "--help" 0 "$BIN" baseline --help
grep -q -- '--migratable' "$T/out" && ok "help names --migratable" || bad "help names --migratable"
check "no FILE is bad usage" 2 "$BIN" --map "$MAP" baseline
check "unknown option" 2 "$BIN" --map "$MAP" baseline --bogus "$D/8.3-pentium3.xml"

# Every fixed case: byte-identical output, or the same error (the answers
# of test:///default, as --driver test gives them).
n=0
for f in "$D"/*.xml; do
	c=${f%.xml}
	n=$((n + 1))
	if [ -f "$c.err" ]; then
		"$BIN" --map "$MAP" baseline --driver test "$f" >"$T/out" 2>"$T/err"
		rc=$?
		want=$(sed 's/^error: [^:]*: //' "$c.err")
		got=$(sed 's/^cpuscope: error: //; s/^[^ :]*:[0-9][0-9]*: //; s/^[^ :]*: //' "$T/err")
		if [ $rc -ne 0 ] && [ "$got" = "$want" ]; then ok "$(basename "$c"): error as virsh"; else
			bad "$(basename "$c"): want '$want', got '$got' (exit $rc)"; fi
		continue
	fi
	for v in "out:--driver=test" "features.out:--driver=test --features" "migratable.out:--migratable"; do
		ext=${v%%:*} opt=${v#*:}
		[ -f "$c.$ext" ] || continue
		# shellcheck disable=SC2086
		"$BIN" --map "$MAP" baseline $opt "$f" >"$T/out" 2>"$T/err"
		if cmp -s "$T/out" "$c.$ext"; then ok "$(basename "$c") $opt"; else
			bad "$(basename "$c") $opt"; diff "$c.$ext" "$T/out" | head; fi
	done
done
[ $n -ge 19 ] && ok "$n fixed cases" || bad "only $n fixed cases"

# The default is the QEMU driver's answer: osxsave (set by the guest OS,
# not by QEMU) is dropped.
check "default driver: qemu" 0 "$BIN" --map "$MAP" baseline "$D/westmere-nehalem.xml"
grep -q osxsave "$T/out" && bad "qemu driver drops osxsave" || ok "qemu driver drops osxsave"
check "--driver qemu = default" 0 "$BIN" --map "$MAP" baseline --driver qemu "$D/westmere-nehalem.xml"
grep -q osxsave "$T/out" && bad "--driver qemu drops osxsave" || ok "--driver qemu drops osxsave"
check "--driver bogus" 2 "$BIN" --map "$MAP" baseline --driver xen "$D/westmere-nehalem.xml"
check "--driver test --migratable" 2 "$BIN" --map "$MAP" baseline --driver test --migratable "$D/westmere-nehalem.xml"
[ "$(wc -l <"$T/err")" -le 8 ] && ok "a usage error is short" || bad "a usage error is short"

# Every host form: a CPUID dump, and one after a <cpu> in the same file.
DUMP=tests/data/cputest/x86_64-cpuid-Xeon-Gold-6148.xml
check "CPUID dump" 0 "$BIN" --map "$MAP" baseline "$DUMP"
grep -q "Skylake-Server" "$T/out" && ok "dump decoded" || bad "dump decoded"
{ cat "$D/8.3-pentium3.xml" | sed 1d; cat "$DUMP"; } >"$T/mixed.xml"
check "a <cpu> then a CPUID dump" 0 "$BIN" --map "$MAP" baseline "$T/mixed.xml"
grep -q "pentium3\|Pentium" "$T/out" && ok "both hosts count" || bad "both hosts count"

# A one-line file cut short names its own element, not a wrapper.
printf '<cpu><arch>x86_64</arch><model>Haswell</model>' >"$T/short.xml"
check "unclosed <cpu>" 2 "$BIN" --map "$MAP" baseline "$T/short.xml"
grep -q "cpuscope-hosts\|container" "$T/err" && bad "no wrapper in the error" || ok "no wrapper in the error"
check "device refused" 2 "$BIN" --map "$MAP" baseline /dev/zero

# Exit status: 1 for CPUs with nothing to share, 2 for bad input.
check "vendors differ: exit 1" 1 "$BIN" --map "$MAP" baseline "$D/8.1-vendors-differ.xml"
check "unknown feature: exit 2" 2 "$BIN" --map "$MAP" baseline "$D/8.6-unknown-feature.xml"
grep -q '8.6-unknown-feature.xml:1: Unknown CPU feature foobar' "$T/err" && ok "error names file:line" ||
	bad "error names file:line"
check "missing file: exit 2" 2 "$BIN" --map "$MAP" baseline "$T/nope.xml"

# Several files and standard input add up, in order.
check "two files" 0 "$BIN" --map "$MAP" baseline "$D/8.3-pentium3.xml" "$D/westmere-nehalem.xml"
grep -q "<model fallback='allow'>" "$T/out" && ok "two models: fallback allow" || bad "two models: fallback allow"
check "stdin" 0 sh -c "cat '$D/8.8-486-haswell.xml' | '$BIN' --map '$MAP' baseline --driver test -"
cmp -s "$T/out" "$D/8.8-486-haswell.out" && ok "stdin gives the same answer" || bad "stdin gives the same answer"

# A pool of 5000 copies of one host: that host's model, fallback forbid.
i=0
while [ $i -lt 5000 ]; do cat "$D/8.3-pentium3.xml" | sed 1d; i=$((i + 1)); done >"$T/pool.xml"
check "5000-host pool" 0 "$BIN" --map "$MAP" baseline --driver test "$T/pool.xml"
cmp -s "$T/out" "$D/8.3-pentium3.out" && ok "5000 copies = one" || bad "5000 copies = one"

[ $fails -eq 0 ] && echo "baseline_cli: all passed" || echo "baseline_cli: $fails failed"
[ $fails -eq 0 ]
