#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_tmux.sh: drive the real explorer in tmux and check what the screen shows.
# Open, pick a model, require a feature the host lacks, see INCOMPATIBLE
# naming it, fix it, undo/redo, resize, save, and check the saved XML;
# then with a pool: the pool line, the pool view and its baseline.
# Skipped (exit 0, saying so) when tmux is missing.
set -u

BIN=${CPUSCOPE_BIN:-build/cpuscope}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if ! command -v tmux >/dev/null 2>&1; then
	echo "tui_tmux: SKIP: tmux is not installed"
	exit 0
fi
MAP=$(pwd)/maps/libvirt-9.0.0.yaml
[ -f "$MAP" ] || MAP=/usr/share/libvirt/cpu_map
if [ ! -e "$MAP" ]; then
	echo "tui_tmux: SKIP: no CPU map found"
	exit 0
fi

T=$(mktemp -d)
SOCK=cs-e2e-$$
pass=0
fail=0
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

# The host: a Skylake client without TSX, plus vmx.
cat >"$T/host.xml" <<'XML'
<cpu>
  <arch>x86_64</arch>
  <model>Skylake-Client-noTSX-IBRS</model>
  <vendor>Intel</vendor>
  <feature name='vmx'/>
</cpu>
XML

screen() {
	tmux -L "$SOCK" capture-pane -p -t cs 2>/dev/null
}

# wait_for TEXT [seconds]: poll the screen until TEXT shows.
wait_for() {
	i=0
	limit=$(( ${2:-10} * 10 ))
	while [ $i -lt $limit ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_gone TEXT: poll until TEXT is no longer on the screen.
wait_gone() {
	i=0
	while [ $i -lt 100 ]; do
		if ! screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
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

text() {
	tmux -L "$SOCK" send-keys -t cs -l "$1"
}

tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 100 -y 30 \
	"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --host host.xml; echo EXITED \$?; sleep 30"
# tmux keeps what a program sends with OSC 52 as a paste buffer.
tmux -L "$SOCK" set -g set-clipboard on

# clip_has TEXT: poll tmux's newest paste buffer until it holds TEXT.
clip_has() {
	i=0
	while [ $i -lt 100 ]; do
		if tmux -L "$SOCK" show-buffer 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	tmux -L "$SOCK" show-buffer 2>&1 | sed 's/^/  buffer: /'
	return 1
}

check "starts and shows the tree, the host and the verdict bar" wait_for "Models"
check "header names the host file and its model" wait_for "host.xml: Skylake-Client-noTSX-IBRS"
check "opens on the best model the host runs" wait_for "model Skylake-Client-noTSX-IBRS"

# Pick a model: search the tree, Enter uses it.
keys /
text "Skylake-Client-noTSX"
keys Enter Enter
check "guest model picked" wait_for "model Skylake-Client-noTSX-IBRS"
check "compatible with the host" wait_for "runs, host has more"

# Require a feature the host lacks.
keys 3 v /
text "avx512f"
keys Enter R
check "INCOMPATIBLE after requiring avx512f" wait_for "INCOMPATIBLE"
check "the verdict names avx512f" wait_for "missing avx512f"
check "libvirt's message" wait_for "Host CPU does not provide required features: avx512f"
check "a fix is offered" wait_for "fix: disable 1 feature (avx512f)"

# Undo and redo.
keys u
check "undo makes it compatible again" wait_gone "INCOMPATIBLE"
keys C-r
check "redo brings the problem back" wait_for "INCOMPATIBLE"

# Fix it.
keys a
check "fix applied" wait_gone "INCOMPATIBLE"
check "compatible after the fix" wait_for "runs, host has more"

# A change to keep: require vmx (the host has it).
keys /
text "vmx"
keys Enter R
check "vmx required, still compatible" wait_for "vmx: require"
check "identical now" wait_for "IDENTICAL"

# Resize: too small, then back.
tmux -L "$SOCK" resize-window -t cs -x 50 -y 12 >/dev/null 2>&1
check "too small message" wait_for "terminal too small"
tmux -L "$SOCK" resize-window -t cs -x 100 -y 30 >/dev/null 2>&1
check "redrawn after the resize" wait_for "Models"

# q with unsaved changes asks first.
keys q
check "quit asks about unsaved changes" wait_for "unsaved changes"
keys Escape
check "cancel keeps running" wait_gone "unsaved changes"

# Help overlay.
keys ?
check "help lists the keys" wait_for "quit (asks first when there are unsaved changes)"
keys Escape
wait_gone "Keys (from the binding table)" >/dev/null

# The output view.
keys x
check "output shows the -cpu argument" wait_for "-cpu Skylake-Client-noTSX-IBRS"
keys Escape

# Copy to the clipboard (OSC 52).
keys y
check "y says what it copied" wait_for "copied the guest <cpu> XML"
check "the clipboard holds the guest <cpu>" clip_has "<model fallback='allow'>Skylake-Client-noTSX-IBRS</model>"
check "with the vmx the guest requires" clip_has "<feature policy='require' name='vmx'/>"
keys Y
check "Y says what it copied" wait_for "copied the QEMU -cpu argument"
check "the clipboard holds the -cpu argument" clip_has "-cpu Skylake-Client-noTSX-IBRS"

# Save to a new file, then quit cleanly.
keys s
check "save asks for a name" wait_for "save as:"
keys C-u
text "$T/guest.xml"
keys Enter
check "saved" wait_for "saved $T/guest.xml"
keys q
check "quits" wait_for "EXITED 0"

# The terminal is given back on Ctrl-C, on SIGTERM and on a crash.
n=0
restart() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	n=$((n + 1))
	SOCK=cs-e2e-$$-$n
	tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 100 -y 30 \
		"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --host host.xml; echo EXITED \$?; sleep 30"
	wait_for "Models"
}
explorer_pid() {
	shell=$(tmux -L "$SOCK" list-panes -t cs -F '#{pane_pid}')
	ps -o pid= --ppid "$shell" | tr -d ' '
}
restart
keys C-c
check "Ctrl-C quits a clean session" wait_for "EXITED 0"
check "the screen is restored after Ctrl-C" wait_gone "Models"
restart
kill -TERM "$(explorer_pid)"
check "SIGTERM ends it" wait_for "EXITED 143"
check "the screen is restored after SIGTERM" wait_gone "Models"
restart
kill -SEGV "$(explorer_pid)"
check "a crash ends it" wait_for "EXITED 139"
check "the screen is restored after a crash" wait_gone "Models"

# A pool: the host above and a Haswell node that lacks what Skylake added.
cat >"$T/pool.xml" <<'XML'
<cpu>
  <arch>x86_64</arch>
  <model>Skylake-Client-noTSX-IBRS</model>
  <vendor>Intel</vendor>
  <feature name='vmx'/>
</cpu>
<cpu>
  <arch>x86_64</arch>
  <model>Haswell-noTSX</model>
  <vendor>Intel</vendor>
  <feature name='vmx'/>
</cpu>
XML
cp "$T/guest.xml" "$T/pguest.xml"
tmux -L "$SOCK" kill-server >/dev/null 2>&1
SOCK=cs-e2e-$$-pool
tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 100 -y 30 \
	"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --host host.xml --pool pool.xml pguest.xml; echo EXITED \$?; sleep 30"
check "pool: the header counts the hosts" wait_for "pool 2 hosts"
check "pool: the tree badges count pool hosts" wait_for "vs pool"
check "pool: the saved guest fails on the Haswell node" wait_for "pool (2)  INCOMPATIBLE  1 of 2 cannot"
check "pool: the features at fault are named" wait_for "missing vme, f16c, rdrand"
keys p
check "pool: the view lists each host" wait_for "pool.xml+2  incompatible  Haswell-noTSX +1"
keys B
check "pool: B takes the pool's baseline" wait_for "guest = the pool's baseline: Haswell-noTSX"
check "pool: every host runs the baseline" wait_for "all 2 hosts can run it"
keys s
check "pool: saved" wait_for "saved"
keys q
check "pool: quits" wait_for "EXITED 0"
check "pool: the saved guest is the baseline" grep -q "<model fallback='allow'>Haswell-noTSX</model>" "$T/pguest.xml"
check "pool: cpuscope compare --pool agrees" sh -c "'$BIN' --map '$MAP' compare --pool '$T/pool.xml' '$T/pguest.xml' | grep -q '2 of 2 hosts can run'"

# Mitigations: a host with md-clear and ssbd, which the model lacks; M requires them.
cat >"$T/host-mit.xml" <<'XML'
<cpu>
  <arch>x86_64</arch>
  <model>Skylake-Client-noTSX-IBRS</model>
  <vendor>Intel</vendor>
  <feature name='ssbd'/>
  <feature name='md-clear'/>
</cpu>
XML
tmux -L "$SOCK" kill-server >/dev/null 2>&1
SOCK=cs-e2e-$$-mit
tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 120 -y 30 \
	"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --host host-mit.xml; echo EXITED \$?; sleep 30"
wait_for "Models" >/dev/null
keys /
text "Skylake-Client-noTSX"
keys Enter Enter
check "mitigations: two are off" wait_for "2 mitigations the host has are off (M)"
keys M
check "mitigations: M requires them" wait_for "required 2 mitigation features: md-clear, ssbd"
check "mitigations: identical to the host now" wait_for "IDENTICAL"
keys x
check "mitigations: the -cpu asks for them" wait_for "-cpu Skylake-Client-noTSX-IBRS,md-clear=on,ssbd=on"
tmux -L "$SOCK" kill-server >/dev/null 2>&1

check "saved file exists" test -s "$T/guest.xml"
check "saved XML has the model" grep -q "<model fallback='allow'>Skylake-Client-noTSX-IBRS</model>" "$T/guest.xml"
check "saved XML requires vmx" grep -q "<feature policy='require' name='vmx'/>" "$T/guest.xml"
check "saved XML has no avx512f" sh -c "! grep -q avx512f '$T/guest.xml'"
if "$BIN" compare --help >/dev/null 2>&1; then
	check "cpuscope compare agrees (identical)" sh -c "'$BIN' --map '$MAP' compare --host '$T/host.xml' '$T/guest.xml' | grep -qi identical"
fi

echo "tui_tmux: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
