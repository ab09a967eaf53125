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

# build_gen NAME WHAT: build the CPU generator tests/data/guest/gen_cpus.c as
# $T/gen_cpus, linked with the library next to $BIN; when that fails, say so
# as test NAME ("cannot build the WHAT generator") and exit 1.
gen_cc() {
	# shellcheck disable=SC2046
	${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 "$@" -Iinclude $(pkg-config --cflags libxml-2.0) \
		tests/data/guest/gen_cpus.c "$gen_lib" $(pkg-config --libs libxml-2.0 yaml-0.1) -lm \
		-o "$T/gen_cpus" 2>"$T/cc.err"
}
build_gen() {
	gen_lib=$(dirname "$BIN")/libcpuscope.a
	if [ ! -f "$gen_lib" ]; then
		echo "FAIL $1: $gen_lib not built"
		exit 1
	fi
	# The library may have been built with sanitizers (make check): link alike.
	if ! gen_cc && ! gen_cc -fsanitize=address,undefined; then
		echo "FAIL $1: cannot build the $2 generator"
		cat "$T/cc.err"
		exit 1
	fi
}
