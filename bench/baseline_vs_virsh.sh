#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# baseline_vs_virsh.sh: 'cpuscope baseline' and 'virsh cpu-baseline' side by
# side on the same pools of 1,000 and 10,000 hosts (real Intel CPUs from the
# libvirt CPUID dumps, as 'cpuscope host --from' describes them), median of
# repeated runs; the two outputs must be identical.
set -u
BIN=${CPUSCOPE_BIN:-build/cpuscope}
MAP=/usr/share/libvirt/cpu_map
[ -f "$MAP/index.xml" ] || MAP=tests/data/cpu_map-9.0.0
RUNS=7
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# One host <cpu> per Intel dump.
n=0
for d in tests/data/cputest/x86_64-cpuid-*.xml; do
	case $d in *-host.xml | *-guest.xml) continue ;; esac
	"$BIN" --map "$MAP" host --from "$d" >"$T/cpu" 2>/dev/null || continue
	grep -q '<vendor>Intel</vendor>' "$T/cpu" || continue
	n=$((n + 1))
	cp "$T/cpu" "$T/cpu.$n"
done
if [ "$n" -eq 0 ]; then
	echo "baseline vs virsh: no host CPUs could be prepared"
	exit 1
fi

# pool N: N host <cpu> elements cycling through the prepared CPUs.
pool() {
	i=0
	while [ "$i" -lt "$1" ]; do
		cat "$T/cpu.$((i % n + 1))"
		i=$((i + 1))
	done
}

# median_ms CMD...: the median wall time of $RUNS runs, in milliseconds
# (walltime, bench/tools/walltime.c: the clock around the command alone).
WALLTIME=${WALLTIME:-$(dirname "$BIN")/walltime}
[ -x "$WALLTIME" ] || { echo "baseline vs virsh: $WALLTIME not built (make $WALLTIME)"; exit 1; }
median_ms() {
	"$WALLTIME" "$RUNS" "$@" | awk '{ printf "%.1f", $1 * 1000 }'
}

have_virsh=no
command -v virsh >/dev/null 2>&1 && [ "$MAP" = /usr/share/libvirt/cpu_map ] &&
	virsh -c test:///default cpu-baseline "$T/cpu.1" >/dev/null 2>&1 && have_virsh=yes
echo "baseline, cpuscope vs virsh -c test:///default cpu-baseline ($n distinct Intel hosts, median of $RUNS runs)"
for size in 1000 10000; do
	pool "$size" >"$T/pool.xml"
	kb=$(($(wc -c <"$T/pool.xml") / 1024))
	ours=$(median_ms "$BIN" --map "$MAP" baseline "$T/pool.xml")
	if [ "$have_virsh" = yes ]; then
		theirs=$(median_ms virsh -c test:///default cpu-baseline "$T/pool.xml")
		"$BIN" --map "$MAP" baseline "$T/pool.xml" >"$T/ours.out" 2>&1
		virsh -c test:///default cpu-baseline "$T/pool.xml" >"$T/virsh.out" 2>&1
		same=$(cmp -s "$T/ours.out" "$T/virsh.out" && echo "same output" || echo "OUTPUTS DIFFER")
		ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.1fx", b / a }')
		printf '  %6d hosts (%5d KiB): cpuscope %8s ms   virsh %8s ms (%s)   %s\n' "$size" "$kb" \
			"$ours" "$theirs" "$ratio" "$same"
	else
		printf '  %6d hosts (%5d KiB): cpuscope %8s ms   (virsh or the system map absent)\n' \
			"$size" "$kb" "$ours"
	fi
done
