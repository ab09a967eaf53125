#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_pool_load.sh: the explorer reads --pool files on a worker thread, in
# tmux: the first frame comes while a large pool is still being read, the
# status line shows the progress, the pool arrives whole, and Esc cancels.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../../bench/fleet.inc"

command -v tmux >/dev/null 2>&1 || { echo "skip tui_pool_load: tmux is not installed"; exit 0; }
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
MAP=$(pwd)/maps/libvirt-9.0.0.yaml
SOCK=cs-pool-load-$$
HOSTS=${CPUSCOPE_POOL_HOSTS:-60000}
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT

fleet "$HOSTS" 0 >"$T/fleet.xml"
screen() { tmux -L "$SOCK" capture-pane -p -t cs 2>/dev/null; }
wait_for() { # wait_for TEXT [TENTHS]
	i=0
	while [ $i -lt "${2:-600}" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
start() { # start SOCKET
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	SOCK=$1
	tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 140 -y 30 \
		"TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --pool '$T/fleet.xml'; echo EXIT=\$?; sleep 60"
}

start "$SOCK-a"
wait_for "will it start" && ok "the first frame is drawn while the pool loads" ||
	bad "the first frame is drawn while the pool loads"
if screen | grep -q "hosts read, "; then
	ok "the status line shows the progress"
elif screen | grep -q "hosts read from 1 file"; then
	ok "the status line shows the progress (the load ended first)"
else
	bad "the status line shows the progress"
fi
wait_for "pool: $HOSTS hosts read from 1 file" 1200 && ok "the whole pool arrives" ||
	{ bad "the whole pool arrives"; screen | tail -2; }
wait_for "pool ($HOSTS)" 50 && ok "the verdict bar counts every host" || bad "the verdict bar counts every host"

start "$SOCK-b"
wait_for "hosts read, " && tmux -L "$SOCK" send-keys -t cs Escape
wait_for "reading cancelled" 300 && ok "Esc cancels the load" || { bad "Esc cancels the load"; screen | tail -2; }
tmux -L "$SOCK" send-keys -t cs q
wait_for "EXIT=0" 50 || { tmux -L "$SOCK" send-keys -t cs y; wait_for "EXIT=0" 50; } &&
	ok "the explorer quits after a cancelled load" || bad "the explorer quits after a cancelled load"

# libvirt connections in the pool: each host named by its hostname, one
# that cannot be reached said and left out
if command -v virsh >/dev/null 2>&1 && HN=$(virsh -c qemu:///system hostname 2>/dev/null) && [ -n "$HN" ]; then
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	SOCK=$SOCK-c
	tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 160 -y 30 \
		"TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP' --pool qemu:///system --pool qemu+tcp://127.0.0.1:1/system --pool '$(pwd)/tests/data/cputest/x86_64-cpuid-Xeon-Gold-6148.xml'; sleep 60"
	wait_for "left out: qemu+tcp://127.0.0.1:1/system: cannot connect" 300 &&
		ok "an unreachable connection is said and left out" || { bad "an unreachable connection is said and left out"; screen | tail -1; }
	tmux -L "$SOCK" send-keys -t cs p
	wait_for "Pool: 2 hosts" 50 && ok "the pool holds the connection's host and the file's" ||
		bad "the pool holds the connection's host and the file's"
	screen | grep -qF " $HN " && ok "the connection's host is named $HN" || bad "the connection's host is named $HN"
else
	echo "skip tui_pool_load connections: no libvirtd answers on qemu:///system"
fi

[ "$fails" -eq 0 ] && echo "tui_pool_load: all passed"
[ "$fails" -eq 0 ]
