#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_firstscreen.sh: the explorer's first screen in a real terminal (tmux):
# the host named by its brand string, the best model of its vendor as the
# guest, models of that vendor only, host-model and host-passthrough with
# the start verdicts the CLI gives, and why not the model under the cursor.
# Skipped (exit 0, saying so) when tmux is missing.
set -u

BIN=${CPUSCOPE_BIN:-build/cpuscope}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if ! command -v tmux >/dev/null 2>&1; then
	echo "tui_firstscreen: SKIP: tmux is not installed"
	exit 0
fi
MAP=$(pwd)/maps/libvirt-9.0.0.yaml
HOST=$(pwd)/tests/data/cputest/x86_64-cpuid-EPYC-7713-64-Core.xml
if [ ! -f "$MAP" ] || [ ! -f "$HOST" ]; then
	echo "tui_firstscreen: SKIP: the map or the CPUID dump is missing"
	exit 0
fi

T=$(mktemp -d)
SOCK=cs-first-$$
pass=0
fail=0
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

screen() {
	tmux -L "$SOCK" capture-pane -p -t cs 2>/dev/null
}

wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

absent() {
	! screen | grep -qF -- "$1"
}

check() {
	name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
		echo "ok - $name"
	else
		fail=$((fail + 1))
		echo "not ok - $name"
		echo "--- screen ---"
		screen
		echo "--------------"
	fi
}

keys() {
	tmux -L "$SOCK" send-keys -t cs "$@"
}

# What the command line says of host-model and host-passthrough here.
printf "<cpu mode='host-model'/>\n" >"$T/hm.xml"
printf "<cpu mode='host-passthrough'/>\n" >"$T/hp.xml"
hm=$("$BIN" --map "$MAP" guest --host "$HOST" "$T/hm.xml" | sed -n 's/^verdict: //p')
hp=$("$BIN" --map "$MAP" guest --host "$HOST" "$T/hp.xml" | sed -n 's/^verdict: //p')

tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 120 -y 40 \
	"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --host '$HOST'; echo EXITED \$?; sleep 30"

check "the header names the CPU by its brand string" wait_for "host AMD EPYC 7713 64-Core Processor"
check "opens on the best AMD model it runs" wait_for "model EPYC-Milan "
check "no verdict reads ERROR" absent "ERROR"
check "the tree shows AMD models" wait_for "AMD vs host"
check "no Intel model fills the tree" absent "Skylake"
check "the summary names the brand" wait_for "Host CPU: AMD EPYC 7713 64-Core Processor"
check "the best model per vendor, AMD first" wait_for "AMD      EPYC-Milan, x86-64-v3  <- the guest"
check "host-model as the CLI says it ($hm)" wait_for "host-model        DROPS    $hm"
check "host-passthrough as the CLI says it ($hp)" wait_for "host-passthrough  STARTS   $hp"
check "the model under the cursor is explained" wait_for "Model under the cursor: EPYC-Milan"
keys k
check "moving up explains another model" wait_for "Model under the cursor: EPYC-Rome"
keys V V
check "the vendor filter still cycles to all vendors" wait_for "models of all vendors"
keys q
check "quits without asking (nothing changed)" wait_for "EXITED 0"

echo "tui_firstscreen: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
