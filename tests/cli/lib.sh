# SPDX-License-Identifier: LGPL-2.1-or-later
# lib.sh: what the command-line tests share, sourced as '. "$(dirname "$0")/lib.sh"'
# from scripts run in the top directory: the binary under test ($BIN), a
# scratch directory ($T, removed on exit) and the ok/bad/check reporters,
# which count failures in $fails.

BIN=${CPUSCOPE_BIN:-build/cpuscope}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
check() { # check NAME EXPECTED-RC COMMAND...: output in $T/out and $T/err
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else bad "$name (exit $rc, want $want)"; cat "$T/err"; fi
}

# skip_without_virsh NAME: unless virsh and libvirt's map $SYSMAP are here,
# say that test NAME is skipped and why, and exit 0.
skip_without_virsh() {
	if ! command -v virsh >/dev/null 2>&1; then
		echo "skip $1: virsh not found (Debian: apt-get install libvirt-clients)"
		exit 0
	fi
	if [ ! -f "$SYSMAP/index.xml" ]; then
		echo "skip $1: $SYSMAP missing, so virsh and cpuscope would not share a map"
		exit 0
	fi
}

# need_gen NAME: the CPU generator tests/data/guest/gen_cpus.c, which make
# builds next to the binary under test ($BIN) with the project's flags, as
# $GEN; when it is not there, fail as test NAME and exit 1.
need_gen() {
	GEN=${CPUSCOPE_GEN:-$(dirname "$BIN")/gen_cpus}
	if [ ! -x "$GEN" ]; then
		echo "FAIL $1: $GEN not built (make $GEN)"
		exit 1
	fi
}
