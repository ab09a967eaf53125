#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_start.sh: the explorer's "will it start" line against `cpuscope guest`.
# A TCG domain is opened in the real explorer (in tmux) over the recorded
# domcapabilities of tests/data/start; mode, match, check, fallback and
# the topology are changed in turn, and after each change the guest is
# saved and the screen must say what `cpuscope guest --json` says of the
# saved domain: STARTS, DROPS with the same features, or REFUSED by the
# same one.  Skipped (exit 0, saying so) when tmux is missing.
set -u

BIN=${CPUSCOPE_BIN:-build/cpuscope}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if ! command -v tmux >/dev/null 2>&1; then
	echo "tui_start: SKIP: tmux is not installed"
	exit 0
fi
MAP=$(pwd)/tests/data/cpu_map-9.0.0
HOST=$(pwd)/tests/data/start/domcaps-tcg.xml
T=$(mktemp -d)
SOCK=cs-start-$$
pass=0
fail=0
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

cat >"$T/dom.xml" <<'XML'
<domain type='qemu'>
  <name>tui-start</name>
  <memory unit='MiB'>64</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <cpu mode='custom' match='exact'>
    <model>Haswell</model>
  </cpu>
</domain>
XML

screen() {
	tmux -L "$SOCK" capture-pane -p -J -t cs 2>/dev/null
}

# The "will it start" line as `cpuscope guest --json` predicts it for the
# saved domain: the badge and what follows it.
expected() {
	"$BIN" --map "$MAP" guest --json --host "$HOST" "$T/dom.xml" >"$T/json" 2>"$T/err"
	case $(sed -n 's/.*"outcome": "\([^"]*\)".*/\1/p' "$T/json") in
	starts) echo "STARTS  as defined" ;;
	"starts with features dropped")
		printf 'DROPS  without %s\n' "$(sed -n 's/.*"dropped": \[\(.*\)\], "cpu_arg".*/\1/p' "$T/json" |
			tr '}' '\n' | sed -n 's/.*"name": "\([^"]*\)".*/\1/p' | paste -sd, - | sed 's/,/, /g')"
		;;
	refused)
		printf 'REFUSED  %s:\n' "$(sed -n 's/.*"refused_by": "\([^"]*\)".*/\1/p' "$T/json")"
		;;
	*) echo "?? $(cat "$T/err")" ;;
	esac
}

# step NAME KEYS...: send KEYS, save, and compare the screen with guest --json.
step() {
	name=$1
	shift
	tmux -L "$SOCK" send-keys -t cs "$@"
	sleep 0.3
	tmux -L "$SOCK" send-keys -t cs s
	i=0
	while [ $i -lt 50 ] && ! screen | grep -q "saved"; do
		sleep 0.1
		i=$((i + 1))
	done
	want=$(expected)
	# the line may be cut at the window's edge: compare what fits
	got=$(screen | sed -n 's/^ will it start  //p' | head -1)
	short=$(printf '%s' "$want" | cut -c1-$((${#got} < ${#want} ? ${#got} : ${#want})))
	if [ -n "$got" ] && [ "${got#"$short"}" != "$got" ]; then
		pass=$((pass + 1))
		echo "ok   $name: $want"
	else
		fail=$((fail + 1))
		echo "FAIL $name: screen says '$got', cpuscope guest says '$want'"
		grep -A12 "<cpu" "$T/dom.xml"
	fi
	tmux -L "$SOCK" send-keys -t cs Escape
}

tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 200 -y 40 \
	"'$BIN' --map '$MAP' --host '$HOST' '$T/dom.xml'"
i=0
while [ $i -lt 50 ] && ! screen | grep -q "will it start"; do
	sleep 0.1
	i=$((i + 1))
done
step "Haswell, TCG, check defaulting to none" ""
# The guest editor: mode, match, check, model, fallback, vendor, sockets, ...
step "mode host-model" 2 Enter
step "mode host-passthrough" Enter
step "mode maximum" Enter
step "mode custom again" Enter
step "match minimum" j Enter
step "match strict" Enter
step "match exact again" Enter
step "check none" j Enter
step "check partial" Enter
step "check full" Enter
step "fallback forbid" j j Enter
step "sockets given: topology against <vcpu>" j j Enter
step "cores up: matches two vcpus" j j j Enter
echo "tui_start: $pass passed, $fail failed"
[ $fail -eq 0 ]
