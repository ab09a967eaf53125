#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# pool_cli.sh: pool files on the command line: host forms, labels, a file given twice, stdin, limits; model names
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0
C=tests/data/cputest
G=$T/guest.xml
echo "<cpu><model>Nehalem</model></cpu>" >"$G"

cat "$C/x86_64-cpuid-Xeon-Gold-6148-host.xml" "$C/x86_64-cpuid-Xeon-Gold-6148.xml" >"$T/mixed.xml"
check "a <cpu> then a CPUID dump: two hosts" 0 "$BIN" --map "$MAP" compare --pool "$T/mixed.xml" "$G"
grep -q "2 of 2 hosts" "$T/out" && ok "both counted" || bad "both counted"
check "NAME=FILE" 0 "$BIN" --map "$MAP" compare --pool "rack=$T/mixed.xml" "$G"
grep -q "^rack+2 " "$T/out" && ok "hosts labelled" || bad "hosts labelled"
cp "$T/mixed.xml" "$T/a=b.xml"
check "a path with '=' that exists" 0 "$BIN" --map "$MAP" compare --pool "$T/a=b.xml" "$G"
grep -q "^a=b.xml+1 " "$T/out" && ok "stays a path" || bad "stays a path"
"$BIN" --map "$MAP" compare --pool "$T/mixed.xml" --pool "$T/mixed.xml" "$G" >"$T/out" 2>"$T/err"
grep -q "2 of 2 hosts" "$T/out" && ok "a file given twice counts once" || bad "a file given twice counts once"
grep -q "same file" "$T/err" && ok "and says so" || bad "and says so"
[ "$(grep -c . "$T/err")" -eq 1 ] && ok "no progress line off a terminal" || bad "no progress line off a terminal"
check "guest from stdin" 0 sh -c "'$BIN' --map '$MAP' compare --pool '$T/mixed.xml' - <'$G'"
check "pool from /dev/zero refused" 2 "$BIN" --map "$MAP" compare --pool /dev/zero "$G"
printf '<domain><name>db7</name><cpu><arch>x86_64</arch><model>Haswell</model></cpu></domain>\n' >"$T/dom.xml"
check "a domain names its host" 0 "$BIN" --map "$MAP" compare --pool "$T/dom.xml" "$G"
grep -q "^db7 " "$T/out" && ok "named db7" || bad "named db7"
check "models --pool" 0 "$BIN" --map "$MAP" models --pool "$T/mixed.xml"

# Model names whatever their case; the nearest name suggested.
check "show epyc-rome" 0 "$BIN" --map "$MAP" show epyc-rome
grep -q "^model: *EPYC-Rome" "$T/out" && ok "found" || bad "found"
check "show a misspelt model" 2 "$BIN" --map "$MAP" show EPYC-Rom
grep -q "did you mean 'EPYC-Rome'" "$T/err" && ok "nearest name" || bad "nearest name"
check "compare with no guest: short usage" 2 "$BIN" --map "$MAP" compare
[ "$(wc -l <"$T/err")" -le 10 ] && ok "a few lines" || bad "a few lines"

[ $fails -eq 0 ] && echo "pool_cli: all passed" || echo "pool_cli: $fails failed"
[ $fails -eq 0 ]
