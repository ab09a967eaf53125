#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# host.sh: 'cpuscope host' end to end on saved hosts (no libvirt needed)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0
D=tests/data/cputest
N=$D/host-nested-epyc
same() { # same NAME EXPECTED-FILE: the last output equals the file byte for byte
	if cmp -s "$T/out" "$2"; then ok "$1"; else bad "$1"; diff "$T/out" "$2" | head -20; fi
}

check "host --help" 0 "$BIN" host --help
grep -q -- '--host-model' "$T/out" && ok "help names --host-model" || bad "help names --host-model"

# Every libvirt 9.0 dump, host and guest form.
n=0
for dump in "$D"/x86_64-cpuid-*.xml; do
	case $dump in *-host.xml | *-guest.xml) continue ;; esac
	base=${dump%.xml}
	name=$(basename "$base")
	host=$base-host.xml guest=$base-guest.xml
	[ -f "$host" ] || host=$D/generated-by-libvirt-9.0.0/$name-host.xml
	[ -f "$guest" ] || guest=$D/generated-by-libvirt-9.0.0/$name-guest.xml
	"$BIN" --map "$MAP" host --from "$dump" >"$T/out" 2>"$T/err" && cmp -s "$T/out" "$host" ||
		bad "host form of $name"
	if [ -f "$guest" ]; then
		"$BIN" --map "$MAP" host --guest --from "$dump" >"$T/out" 2>"$T/err" &&
			cmp -s "$T/out" "$guest" || bad "guest form of $name"
	fi
	n=$((n + 1))
done
[ "$n" -eq 26 ] && ok "26 dumps decode as libvirt 9.0 does" || bad "26 dumps (saw $n)"

# One real host saved in every form cpuscope reads.
for f in cpuid-r.txt cpuid-r-all.txt cpuid-cpudata.xml capabilities.xml; do
	check "host --from $f" 0 "$BIN" --map "$MAP" host --from "$N/$f"
	same "$f gives virsh capabilities' host CPU" "$N/expected-host.xml"
done
for f in domcapabilities.xml kvm-cpudata.xml; do
	check "host --host-model --from $f" 0 "$BIN" --map "$MAP" host --host-model --from "$N/$f"
	same "$f gives virsh domcapabilities' host-model" "$N/expected-host-model.xml"
done
check "host --from cpuinfo" 0 "$BIN" --map "$MAP" host --from "$N/cpuinfo.txt"
grep -q "<model>kvm64</model>" "$T/out" && ok "cpuinfo names kvm64" || bad "cpuinfo names kvm64"

check "text report" 0 "$BIN" --map "$MAP" host --format text --from "$D/x86_64-cpuid-Phenom-B95.xml"
grep -q '^host model:  athlon + 30 features' "$T/out" && ok "text: host model" || bad "text: host model"
grep -q '^svm  *yes  ?    no$' "$T/out" && ok "text: feature rows" || bad "text: feature rows"
# A K10 Phenom has SSE3 but no SSSE3: x86-64 only; a Skylake Xeon is v4
grep -q '^level:       x86-64 (the CPU)$' "$T/out" && ok "text: level of a K10" || bad "text: level of a K10"
check "text report, Xeon Gold" 0 "$BIN" --map "$MAP" host --format text --from "$D/x86_64-cpuid-Xeon-Gold-6148.xml"
grep -q '^level:       x86-64-v4 (the CPU)$' "$T/out" && ok "text: level of a Skylake Xeon" ||
	bad "text: level of a Skylake Xeon"
check "cpudata round trip" 0 "$BIN" --map "$MAP" host --format cpudata --from "$D/x86_64-cpuid-Cooperlake.xml"
cp "$T/out" "$T/re.xml"
check "re-read the dump" 0 "$BIN" --map "$MAP" host --from "$T/re.xml"
same "same host after the round trip" "$D/x86_64-cpuid-Cooperlake-host.xml"

# Live probes answer (or fall back with a note) on any machine.
check "live cpuid probe" 0 "$BIN" --map "$MAP" host
grep -q '^<cpu>$' "$T/out" && ok "live probe prints a <cpu>" || bad "live probe prints a <cpu>"
check "live kvm probe" 0 "$BIN" --map "$MAP" host --source kvm --format text
check "live host-model" 0 "$BIN" --map "$MAP" host --host-model
grep -q "^<mode name='host-model' supported='yes'>$" "$T/out" && ok "host-model form" || bad "host-model form"

# Bad usage and bad input.
check "unknown source" 2 "$BIN" --map "$MAP" host --source magic
check "unknown format" 2 "$BIN" --map "$MAP" host --format yaml
check "--source with --from" 2 "$BIN" --map "$MAP" host --source kvm --from "$N/cpuinfo.txt"
check "unknown option" 2 "$BIN" --map "$MAP" host --frobnicate
check "missing file" 2 "$BIN" --map "$MAP" host --from /nonexistent/host.xml
grep -q 'cpuscope: error: /nonexistent/host.xml' "$T/err" && ok "error names the file" || bad "error names the file"
head -c 1400 "$D/x86_64-cpuid-Core2-E6850.xml" >"$T/cut.xml"
check "truncated dump" 2 "$BIN" --map "$MAP" host --from "$T/cut.xml"
grep -q "cut.xml:[0-9]*.*malformed XML" "$T/err" && ok "truncated dump: file and line" || bad "truncated dump: file and line"
printf 'hello\n' >"$T/junk"
check "unrecognised file" 2 "$BIN" --map "$MAP" host --from "$T/junk"
check "no raw data in capabilities" 1 "$BIN" --map "$MAP" host --format cpudata --from "$N/capabilities.xml"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
