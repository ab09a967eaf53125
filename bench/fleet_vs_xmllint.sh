#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fleet_vs_xmllint.sh: pool files read by cpuscope, side by side with
# 'virsh cpu-baseline' and 'xmllint --stream' reading the same files:
# baseline of 1,000 and 10,000 hosts, compare --pool of 100,000 hosts with
# peak memory, on a fleet where nearly every host differs and on one of 5
# distinct CPUs.  FLEET_MAX lowers the largest fleet (e.g. for a quick run).
set -u
BIN=${CPUSCOPE_BIN:-build/cpuscope}
MAX=${FLEET_MAX:-100000}
GUEST=tests/data/guest/guest-skylake.xml
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/fleet.inc"

# secs CMD...: the median wall time of $RUNS runs in seconds, the peak RSS
# of the largest in MB in $T/rss.  walltime (bench/tools/walltime.c) reads
# the clock around the command alone: no shell or date process is counted.
RUNS=${FLEET_RUNS:-7}
WALLTIME=${WALLTIME:-$(dirname "$BIN")/walltime}
[ -x "$WALLTIME" ] || { echo "fleet: $WALLTIME not built (make $WALLTIME)"; exit 1; }
secs() {
	# shellcheck disable=SC2046
	set -- $("$WALLTIME" "$RUNS" "$@")
	echo "$4" >"$T/rss"
	printf '%.4f\n' "$1"
}
# xmllint --stream reads the file's top-level elements wrapped, as virsh does.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.1fx", b / a; else print "-" }'; }

have_virsh=no
# virsh through the test driver, which runs inside virsh: the daemon's
# drivers refuse more than 256 CPUs in one call.
URI=${VIRSH_URI:-test:///default}
fleet 2 0 >"$T/two.xml"
command -v virsh >/dev/null 2>&1 && virsh -c "$URI" cpu-baseline "$T/two.xml" >/dev/null 2>&1 &&
	have_virsh=yes
command -v xmllint >/dev/null 2>&1 || { echo "fleet: xmllint absent, skipped"; exit 0; }
[ -x /usr/bin/time ] || { echo "fleet: /usr/bin/time absent, skipped"; exit 0; }
[ "$have_virsh" = yes ] || echo "fleet: virsh cpu-baseline unusable here: its column is skipped"

for shape in 0 5; do
	[ "$shape" = 0 ] && what="nearly every host different" || what="5 distinct CPUs"
	echo "fleet of $what (capabilities XML, seconds; ratio = other / cpuscope)"
	for n in 1000 10000; do
		fleet "$n" "$shape" >"$T/f.xml"
		ours=$(secs "$BIN" baseline "$T/f.xml")
		lint=$(secs sh -c '{ echo "<hosts>"; cat "$1"; echo "</hosts>"; } | xmllint --stream --noout -' sh "$T/f.xml")
		line=$(printf '  baseline %6d hosts: cpuscope %7s s  xmllint --stream %7s s (%s)' "$n" \
			"$ours" "$lint" "$(ratio "$ours" "$lint")")
		if [ "$have_virsh" = yes ]; then
			theirs=$(secs virsh -c "$URI" cpu-baseline "$T/f.xml")
			if virsh -c "$URI" cpu-baseline "$T/f.xml" >/dev/null 2>"$T/verr"; then
				line="$line  virsh cpu-baseline $theirs s ($(ratio "$ours" "$theirs"))"
			else
				line="$line  virsh cpu-baseline: $(sed -n 's/^error: //p' "$T/verr" | tail -n 1)"
			fi
		fi
		echo "$line"
	done
	fleet "$MAX" "$shape" >"$T/f.xml"
	mb=$(($(wc -c <"$T/f.xml") / 1048576))
	ours=$(secs "$BIN" compare --pool "$T/f.xml" "$GUEST")
	rss=$(cat "$T/rss")
	lint=$(secs sh -c '{ echo "<hosts>"; cat "$1"; echo "</hosts>"; } | xmllint --stream --noout -' sh "$T/f.xml")
	printf '  compare --pool %d hosts (%d MB): cpuscope %6s s, %s MB peak  xmllint --stream %6s s (%s)\n' \
		"$MAX" "$mb" "$ours" "$rss" "$lint" "$(ratio "$ours" "$lint")"
done
