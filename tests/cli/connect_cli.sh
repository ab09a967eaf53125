#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# connect_cli.sh: compare, guest and baseline with --connect: cpuscope's answer beside libvirt's
#
# Against this host's libvirtd (qemu:///system): generated guest CPUs (every
# mode, match and policy, many close to this host) are judged by 'compare
# --connect' and 'guest --connect', which ask libvirt's
# virConnectCompareHypervisorCPU too and say whether it agrees; the figures
# "N/M agree" are printed and every disagreement fails.  Also: the default
# from $LIBVIRT_DEFAULT_URI, the "libvirt" JSON field, and an unreachable
# URI reported as an error.
#   CPUSCOPE_GUESTS  number of generated guests (default 120)
#   CPUSCOPE_SEED    generator seed (default: a new one per run, printed)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
N=${CPUSCOPE_GUESTS:-120}
SEED=${CPUSCOPE_SEED:-$(date +%s)}
SYSMAP=/usr/share/libvirt/cpu_map
URI=qemu:///system

skip_without_virsh connect_cli
if ! virsh -c "$URI" capabilities >"$T/caps.xml" 2>"$T/err"; then
	echo "skip connect_cli: no libvirtd answers on $URI ($(head -1 "$T/err");" \
		"scripts/start-libvirt.sh starts one)"
	exit 0
fi
need_gen connect_cli
mkdir "$T/g"
"$GEN" guests "$SYSMAP" "$SEED" "$N" "$T/g" "$T/caps.xml" || exit 1

for cmd in compare guest; do
	agree=0 asked=0 dis=0
	for f in "$T"/g/guest-*.xml; do
		"$BIN" --map "$SYSMAP" "$cmd" --connect "$URI" "$f" >"$T/out" 2>"$T/err"
		rc=$?
		# guest refuses to judge CPUs cpuscope cannot parse as a domain would
		[ $rc -eq 2 ] && continue
		asked=$((asked + 1))
		if grep -q '^libvirt: same answer' "$T/out"; then
			agree=$((agree + 1))
		else # DISAGREE, or no word from libvirt at all
			dis=$((dis + 1))
			[ $dis -le 3 ] && { echo "DISAGREE $cmd $(basename "$f") (exit $rc):"; sed 's/^/  /' "$f" | head -12; tail -3 "$T/out"; head -5 "$T/err"; }
		fi
	done
	echo "connect_cli: $cmd --connect $URI, seed $SEED: $agree/$asked agree with libvirt ($dis disagree)"
	[ $dis -eq 0 ] && [ $asked -gt 0 ] && ok "$cmd --connect: no disagreement" || bad "$cmd --connect: $dis disagreements"
done

f=tests/data/start/drops-haswell.xml
LIBVIRT_DEFAULT_URI=$URI "$BIN" compare "$f" >"$T/out" 2>&1
grep -q '^libvirt: ' "$T/out" && ok "compare connects to \$LIBVIRT_DEFAULT_URI" ||
	{ bad "compare ignores \$LIBVIRT_DEFAULT_URI"; cat "$T/out"; }
LIBVIRT_DEFAULT_URI= "$BIN" compare --host "$T/caps.xml" "$f" >"$T/out" 2>&1
grep -q '^libvirt: ' "$T/out" && bad "compare --host asked libvirt" || ok "compare --host stays offline"
"$BIN" guest --json --connect "$URI" "$f" >"$T/out" 2>"$T/err"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["libvirt"]["agree"] is True' "$T/out" 2>/dev/null &&
	ok "guest --json carries libvirt's answer" || { bad "guest --json: no libvirt field"; cat "$T/out"; }
"$BIN" compare --json --connect "$URI" "$f" >"$T/out" 2>"$T/err"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["libvirt"]["result"] == d["result"]' "$T/out" 2>/dev/null &&
	ok "compare --json carries libvirt's answer" || { bad "compare --json: no libvirt field"; cat "$T/out"; }
check "unreachable URI" 2 "$BIN" compare --connect qemu+tcp://127.0.0.1:1/system "$f"
grep -q 'qemu+tcp://127.0.0.1:1/system.*cannot connect' "$T/err" && ok "unreachable URI named" ||
	{ bad "unreachable URI not named"; cat "$T/err"; }
[ $fails -eq 0 ] && echo "connect_cli: all passed"
[ $fails -eq 0 ]
