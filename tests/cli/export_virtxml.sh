#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# export_virtxml.sh: 'cpuscope export' against virt-xml itself: for generated
# guests over every model, mode, match, check and policy, the --cpu argument
# cpuscope prints must make virt-xml build the same <cpu> (read back by
# cpuscope: the same attributes and the same feature policies; virt-xml
# groups features by policy, which does not change the CPU).  Skipped, saying
# so, without virt-xml (Debian: apt-get install virtinst).
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0
N=${EXPORT_GUESTS:-120}

if ! command -v virt-xml >/dev/null 2>&1; then
	echo "skip export_virtxml: virt-xml not found (Debian: apt-get install virtinst)"
	exit 0
fi
# virt-xml needs a libvirt connection even to build XML; the test driver runs
# in the client, so no daemon is needed, but a broken install still skips.
if ! virt-xml --connect test:///default --build-xml --cpu model=qemu64 >/dev/null 2>"$T/probe"; then
	echo "skip export_virtxml: virt-xml cannot open test:///default: $(head -n 1 "$T/probe")"
	rm -f "$T/probe"
	exit 0
fi
rm -f "$T/probe"
need_gen export_virtxml
SEED=${CPUSCOPE_SEED:-$(date +%s)}
mkdir -p "$T/g"
"$GEN" guests "$MAP" "$SEED" "$N" "$T/g" tests/data/cputest/x86_64-cpuid-Xeon-Gold-6148-host.xml ||
	{ echo "FAIL export_virtxml: the generator failed"; exit 1; }

# canon FILE: the export of FILE's <cpu>, one item per line, sorted.
canon() {
	"$BIN" --map "$MAP" export "$1" 2>/dev/null | sed 's/^--cpu //' | tr ',' '\n' | sort
}

same=0 differ=0 refused=0
for g in "$T"/g/*.xml; do
	args=$("$BIN" --map "$MAP" export "$g" 2>/dev/null) || { refused=$((refused + 1)); continue; }
	args=${args#--cpu }
	if ! virt-xml --connect test:///default --build-xml --cpu "$args" >"$T/vx.xml" 2>"$T/vx.err"; then
		differ=$((differ + 1))
		echo "FAIL virt-xml refused the --cpu of $(basename "$g"): $args"
		sed 's/^/  /' "$T/vx.err"
		continue
	fi
	canon "$g" >"$T/a"
	canon "$T/vx.xml" >"$T/b"
	if cmp -s "$T/a" "$T/b"; then
		same=$((same + 1))
	else
		differ=$((differ + 1))
		echo "FAIL $(basename "$g"): virt-xml built another <cpu>"
		sed 's/^/  /' "$g"
		echo "  virt-xml --cpu $args gave:"
		sed 's/^/  /' "$T/vx.xml"
	fi
done
echo "export_virtxml: seed $SEED, $N guests: $same built alike by virt-xml, $differ different, $refused not exportable"
[ "$differ" -eq 0 ] && [ "$same" -gt 0 ]
