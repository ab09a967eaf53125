#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# map_commands.sh: the models, show, features and convert commands, end to end
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0

# models: the 58 x86 models of libvirt 9.0 in map order
check "models lists the map" 0 "$BIN" --map "$MAP" models
[ "$(wc -l <"$T/out")" -eq 58 ] && ok "58 x86 models" || bad "58 x86 models"
[ "$(head -1 "$T/out")" = 486 ] && [ "$(tail -1 "$T/out")" = Dhyana ] && ok "map order" || bad "map order"
if command -v virsh >/dev/null 2>&1 && [ -f /usr/share/libvirt/cpu_map/index.xml ]; then
	"$BIN" --map /usr/share/libvirt/cpu_map models >"$T/ours"
	# the test driver lists the installed map too, and runs without a daemon
	virsh -c test:///default cpu-models x86_64 2>/dev/null | sed '/^$/d' >"$T/virsh"
	if [ -s "$T/virsh" ]; then
		cmp -s "$T/ours" "$T/virsh" && ok "same list as virsh cpu-models x86_64" ||
			bad "same list as virsh cpu-models x86_64"
	else
		echo "skip virsh cpu-models comparison: virsh printed nothing"
	fi
else
	echo "skip virsh cpu-models comparison: virsh or /usr/share/libvirt/cpu_map absent"
fi
check "models --arch ppc64" 0 "$BIN" --map "$MAP" models --arch ppc64
grep -qx POWER9 "$T/out" && ok "ppc64 has POWER9" || bad "ppc64 has POWER9"
check "models --arch s390x is bad input" 2 "$BIN" --map "$MAP" models --arch s390x
check "models --tree" 0 "$BIN" --map "$MAP" models --tree
grep -q 'Haswell \*' "$T/out" && ok "derived edges marked" || bad "derived edges marked"
check "legacy tree" 0 "$BIN" --map maps/legacy-demo.xml models --tree
grep -q 'Westmere  (+1' "$T/out" && ! grep -q '\*' "$T/out" && ok "explicit parents unmarked" ||
	bad "explicit parents unmarked"

# show
check "show Haswell" 0 "$BIN" --map "$MAP" show Haswell
grep -q '^parent: *Haswell-noTSX (derived)' "$T/out" && ok "show derived parent" || bad "show derived parent"
grep -Eq '^  rtm +CPUID 0x7.0 ebx\[11\] +own' "$T/out" && ok "show own feature with bit" ||
	bad "show own feature with bit"
grep -qF "level:      x86-64-v2 (x86-64-v3 also needs f16c, abm); QEMU 7.2's Haswell is x86-64-v3" "$T/out" &&
	ok "show: the x86-64 level, map and QEMU" || bad "show: the x86-64 level, map and QEMU"
check "show Skylake-Server" 0 "$BIN" --map "$MAP" show Skylake-Server
grep -q '^level: *x86-64-v4$' "$T/out" && ok "show: x86-64-v4" || bad "show: x86-64-v4"
check "show in legacy map" 0 "$BIN" --map maps/legacy-demo.xml show Westmere
grep -Eq '^  sse4.2 .* from Nehalem$' "$T/out" && ok "show inherited-from" || bad "show inherited-from"
check "show unknown model" 2 "$BIN" --map "$MAP" show Foolake
grep -q "unknown CPU model 'Foolake'" "$T/err" && ok "unknown model named" || bad "unknown model named"

# features
check "features" 0 "$BIN" --map "$MAP" features
[ "$(wc -l <"$T/out")" -eq 212 ] && ok "212 features" || bad "212 features"
grep -Eq '^ibrs-all +MSR 0x10a eax\[1\]' "$T/out" && ok "MSR location" || bad "MSR location"
check "features --model" 0 "$BIN" --map maps/legacy-demo.xml features --model Conroe
[ "$(wc -l <"$T/out")" -eq 27 ] && ok "Conroe has 27 features" || bad "Conroe has 27 features"

# help and usage
for c in models show features convert host compare baseline guest apply export mapdiff; do
	check "$c --help" 0 "$BIN" "$c" --help
done
check "unknown command" 2 "$BIN" frobnicate
check "bad map" 2 "$BIN" --map tests/data/maps/bad/cycle.xml models
grep -q 'cycle.xml:7: inheritance cycle' "$T/err" && ok "error names file and line" || bad "error names file and line"
check "--version" 0 "$BIN" --map "$MAP" --version
grep -q "map: $MAP (--map)" "$T/out" && ok "--version names the map" || bad "--version names the map"
CPUSCOPE_MAP=maps/legacy-demo.xml "$BIN" --version | grep -q 'legacy-demo.xml (\$CPUSCOPE_MAP)' &&
	ok "CPUSCOPE_MAP honoured" || bad "CPUSCOPE_MAP honoured"

# convert to legacy XML and back
check "convert to legacy" 0 "$BIN" convert "$MAP" "$T/legacy.xml"
"$BIN" --map "$T/legacy.xml" models >"$T/m2"
"$BIN" --map "$MAP" models >"$T/m1"
cmp -s "$T/m1" "$T/m2" && ok "legacy keeps the models" || bad "legacy keeps the models"
for m in Haswell EPYC-Milan Icelake-Server 486; do
	"$BIN" --map "$MAP" features --model $m >"$T/f1"
	"$BIN" --map "$T/legacy.xml" features --model $m >"$T/f2"
	cmp -s "$T/f1" "$T/f2" && ok "legacy keeps $m" || bad "legacy keeps $m"
done
echo keep >"$T/keep.xml"
check "convert from a bad map fails" 2 "$BIN" convert tests/data/maps/bad/malformed.xml "$T/keep.xml"
[ "$(cat "$T/keep.xml")" = keep ] && ok "failed convert keeps the old file" || bad "failed convert keeps the old file"
check "convert to unknown extension" 2 "$BIN" convert "$MAP" "$T/out.txt"

# models --pool: how many hosts of a pool run each model as a plain guest
C=tests/data/cputest
check "models --pool" 0 "$BIN" --map "$MAP" models --pool $C/x86_64-cpuid-Xeon-Gold-6148-host.xml \
	--pool $C/x86_64-cpuid-Ice-Lake-Server-host.xml --pool $C/x86_64-cpuid-EPYC-7502-32-Core.xml
[ "$(wc -l <"$T/out")" -eq 58 ] && ok "models --pool: a line per model" || bad "models --pool: a line per model"
grep -qE "^Skylake-Server +2 of 3 hosts; not on x86_64-cpuid-EPYC-7502-32-Core.xml$" "$T/out" &&
	ok "models --pool: Skylake-Server not on the EPYC" || bad "models --pool: Skylake-Server not on the EPYC"
grep -qE "^kvm64 +3 of 3 hosts$" "$T/out" && ok "models --pool: kvm64 everywhere" ||
	bad "models --pool: kvm64 everywhere"
grep -qE "^EPYC-Rome +1 of 3 hosts; not on x86_64-cpuid-Xeon-Gold-6148-host.xml, x86_64-cpuid-Ice-Lake-Server-host.xml$" "$T/out" &&
	ok "models --pool: EPYC-Rome only on the EPYC" || bad "models --pool: EPYC-Rome only on the EPYC"
grep -qE "^pentiumpro +3 of 3 hosts; QEMU 7.2 lacks it: libvirt starts another model, or refuses with fallback='forbid'$" "$T/out" &&
	ok "models --pool: a model QEMU lacks says so" || bad "models --pool: a model QEMU lacks says so"
check "models --qemu" 0 "$BIN" --map "$MAP" models --qemu
grep -qE "^pentiumpro +QEMU 7.2 lacks it" "$T/out" && ok "models --qemu: pentiumpro lacking" ||
	bad "models --qemu: pentiumpro lacking"
grep -qE "^Haswell +QEMU 7.2 has it$" "$T/out" && ok "models --qemu: Haswell there" ||
	bad "models --qemu: Haswell there"
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
	check "models --verify asks QEMU" 0 env XDG_CACHE_HOME="$T/cache" "$BIN" --map "$MAP" \
		models --verify --accel tcg
	grep -qE "^qemu64 +usable$" "$T/out" && ok "models --verify: qemu64 usable under TCG" ||
		bad "models --verify: qemu64 usable under TCG"
	grep -qE "^Haswell +not usable here, [0-9]+ features missing: .*hle" "$T/out" &&
		ok "models --verify: Haswell lacks hle under TCG" || bad "models --verify: Haswell lacks hle under TCG"
else
	echo "skip models --verify: qemu-system-x86_64 is not on PATH"
fi
check "models --pool and --tree" 2 "$BIN" --map "$MAP" models --tree --pool $C/x86_64-cpuid-Xeon-Gold-6148-host.xml
check "models --pool with a bad file" 2 "$BIN" --map "$MAP" models --pool tests/data/maps/bad/malformed.xml

# mapdiff: the same map in two forms is the same; an edited copy shows its edits
check "mapdiff: split map and its YAML" 0 "$BIN" mapdiff "$MAP" maps/libvirt-9.0.0.yaml
[ -s "$T/out" ] && bad "mapdiff: nothing printed for the same CPUs" || ok "mapdiff: nothing printed for the same CPUs"
cp -r "$MAP" "$T/newmap"
sed -i "/<feature name='aes'\/>/d" "$T/newmap/x86_Haswell.xml"
sed -i "s/<decode host='on' guest='on'\/>/<decode host='on' guest='off'\/>/" "$T/newmap/x86_Broadwell.xml"
sed -i "/<feature name='abm'>/,/<\/feature>/s/ecx='0x00000020'/ecx='0x00000040'/" "$T/newmap/x86_features.xml"
check "mapdiff: an edited map" 1 "$BIN" mapdiff "$MAP" "$T/newmap"
grep -qx "feature abm: CPUID 0x80000001.0 ecx\[5\], now CPUID 0x80000001.0 ecx\[6\]" "$T/out" &&
	ok "mapdiff: a feature's bit moved" || bad "mapdiff: a feature's bit moved"
grep -qx "model Haswell: features -aes" "$T/out" && ok "mapdiff: a model lost a feature" ||
	bad "mapdiff: a model lost a feature"
grep -qx "model Broadwell: decode host on guest on, now host on guest off" "$T/out" &&
	ok "mapdiff: decode flags" || bad "mapdiff: decode flags"
[ "$(wc -l <"$T/out")" -eq 3 ] && ok "mapdiff: those three changes only" || { bad "mapdiff: those three changes only"; cat "$T/out"; }
check "mapdiff: legacy demo against 9.0" 1 "$BIN" mapdiff maps/legacy-demo.xml "$MAP"
grep -qx "vendor Hygon: added" "$T/out" && ok "mapdiff: a vendor added" || bad "mapdiff: a vendor added"
check "mapdiff: one map only" 2 "$BIN" mapdiff "$MAP"
check "mapdiff: a bad map" 2 "$BIN" mapdiff "$MAP" tests/data/maps/bad/malformed.xml

# the cache of loaded maps: a map is cached once its files have settled,
# answers as the map itself does, and gives way to any change in a file
C=$T/xdg
cp -r "$MAP" "$T/cmap"
XDG_CACHE_HOME=$C "$BIN" --map "$T/cmap" models --tree >"$T/cold" 2>&1
ls "$C"/cpuscope/map-*.bin >/dev/null 2>&1 && bad "cache: files just written are not cached" ||
	ok "cache: files just written are not cached"
sleep 3
XDG_CACHE_HOME=$C "$BIN" --map "$T/cmap" models --tree >"$T/first" 2>&1
ls "$C"/cpuscope/map-*.bin >/dev/null 2>&1 && ok "cache: a settled map is cached" ||
	bad "cache: a settled map is cached"
check "cache: the cached map answers" 0 env XDG_CACHE_HOME="$C" "$BIN" --map "$T/cmap" models --tree
cmp -s "$T/out" "$T/cold" && cmp -s "$T/out" "$T/first" && ok "cache: the same tree as the map's files" ||
	bad "cache: the same tree as the map's files"
sed -i "s/<model name='Haswell'>/<model name='Haswell-Renamed'>/" "$T/cmap/x86_Haswell.xml"
check "cache: a changed include is read" 0 env XDG_CACHE_HOME="$C" "$BIN" --map "$T/cmap" show Haswell-Renamed
grep -q '^model: *Haswell-Renamed' "$T/out" && ok "cache: the changed model is there" ||
	bad "cache: the changed model is there"
printf '<cpus>\n  <bogus/>\n</cpus>\n' >"$T/cmap/x86_Haswell.xml"
check "cache: a broken include is an error again" 2 env XDG_CACHE_HOME="$C" "$BIN" --map "$T/cmap" models
grep -q 'x86_Haswell.xml:2' "$T/err" && ok "cache: the error names file and line" ||
	bad "cache: the error names file and line"
rm -rf "$C"
check "cache: --no-cache" 0 env XDG_CACHE_HOME="$C" "$BIN" --no-cache --map "$MAP" models
[ ! -e "$C" ] && ok "cache: --no-cache writes nothing" || bad "cache: --no-cache writes nothing"
check "cache: an unwritable cache is no error" 0 env XDG_CACHE_HOME=/proc/self "$BIN" --map "$MAP" models

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
