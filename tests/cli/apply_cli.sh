#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# apply_cli.sh: 'cpuscope apply' end to end: replace only <cpu>, atomically
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0
D=tests/data/guest

check "--help" 0 "$BIN" apply --help
check "missing DOMAIN" 2 "$BIN" --map "$MAP" apply "$D/guest-skylake.xml"

cp "$D/domain-numa.xml" "$T/dom.xml"
chmod 640 "$T/dom.xml"
check "apply" 0 "$BIN" --map "$MAP" apply "$D/guest-skylake.xml" "$T/dom.xml"
cmp -s "$T/dom.xml" "$D/domain-numa.applied.xml" && ok "only <cpu> changed, layout kept" ||
	{ bad "only <cpu> changed, layout kept"; diff "$D/domain-numa.applied.xml" "$T/dom.xml"; }
[ "$(stat -c %a "$T/dom.xml")" = 640 ] && ok "permissions kept" || bad "permissions kept"
ls "$T" | grep -qv '^\(dom.xml\|out\|err\)$' && bad "no temporary file left" || ok "no temporary file left"
# Applying the domain's own <cpu> again changes nothing.
cp "$T/dom.xml" "$T/again.xml"
check "apply own cpu" 0 "$BIN" --map "$MAP" apply "$T/again.xml" "$T/again.xml"
cmp -s "$T/dom.xml" "$T/again.xml" && ok "round trip byte-identical" || bad "round trip byte-identical"
# Original file intact: identical outside <cpu>.
sed '/<cpu /,/<\/cpu>/d' "$D/domain-numa.xml" >"$T/a"
sed '/<cpu /,/<\/cpu>/d' "$T/dom.xml" >"$T/b"
cmp -s "$T/a" "$T/b" && ok "byte-identical outside <cpu>" || bad "byte-identical outside <cpu>"

check "--replace" 0 "$BIN" --map "$MAP" apply --dry-run --replace "$D/guest-skylake.xml" "$D/domain-numa.xml"
grep -q '<numa>' "$T/out" && bad "--replace drops numa" || ok "--replace drops numa"
check "insert into a domain without <cpu>" 0 "$BIN" --map "$MAP" apply --dry-run "$D/guest-skylake.xml" "$D/domain-nocpu.xml"
cmp -s "$T/out" "$D/domain-nocpu.applied.xml" && ok "inserted after <os>, tabs kept" || bad "inserted after <os>, tabs kept"
# A host CPU becomes a custom guest requiring its features.
check "host CPU as guest" 0 "$BIN" --map "$MAP" apply --dry-run "$D/baseline/caps-kvm64-amd.xml" "$D/domain-nocpu.xml"
grep -q "<model fallback='allow'>kvm64</model>" "$T/out" && grep -q "policy='require' name='avx512f'" "$T/out" &&
	ok "host features required" || bad "host features required"

# Failures leave the file alone.
cp "$D/domain-numa.xml" "$T/keep.xml"
printf "<cpu><model>Foolake</model></cpu>\n" >"$T/bad.xml"
check "bad guest" 2 "$BIN" --map "$MAP" apply "$T/bad.xml" "$T/keep.xml"
cmp -s "$T/keep.xml" "$D/domain-numa.xml" && ok "bad guest: domain untouched" || bad "bad guest: domain untouched"
printf "<domain><name>x</name>\n<cpu mode='host-model'>\n</domain>\n" >"$T/broken.xml"
cp "$T/broken.xml" "$T/broken.orig"
check "broken domain" 2 "$BIN" --map "$MAP" apply "$D/guest-skylake.xml" "$T/broken.xml"
grep -q 'broken.xml:3:' "$T/err" && ok "error at file:line" || bad "error at file:line"
cmp -s "$T/broken.xml" "$T/broken.orig" && ok "broken domain untouched" || bad "broken domain untouched"
printf "<cpu mode='maximum'><model>Haswell</model></cpu>\n" >"$T/max.xml"
check "model in maximum mode refused" 2 "$BIN" --map "$MAP" apply "$T/max.xml" "$T/keep.xml"
cmp -s "$T/keep.xml" "$D/domain-numa.xml" && ok "refused: domain untouched" || bad "refused: domain untouched"
# Features are used in every mode (libvirt passes them to QEMU: max,vmx=off).
printf "<cpu mode='maximum'><feature policy='disable' name='vmx'/></cpu>\n" >"$T/max.xml"
check "features in maximum mode" 0 "$BIN" --map "$MAP" apply "$T/max.xml" "$T/keep.xml"
grep -q "<feature policy='disable' name='vmx'/>" "$T/keep.xml" && ok "maximum's feature written" ||
	bad "maximum's feature written"

[ $fails -eq 0 ] && echo "apply_cli: all passed" || echo "apply_cli: $fails failed"
[ $fails -eq 0 ]
