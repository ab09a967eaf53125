#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_virsh.sh: the explorer's verdict bar against virsh on this host.
# For every x86 model of the system map, pick it in the real explorer (in
# tmux), save the guest, and check that the verdicts shown agree with
# 'virsh cpu-compare' and, where the explorer shows KVM, with 'virsh
# hypervisor-cpu-compare' on the saved file.  A few edited guests too.
# Skipped (saying so) without tmux, virsh, a running libvirtd or the map.
set -u

BIN=${CPUSCOPE_BIN:-build/cpuscope}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
MAP=/usr/share/libvirt/cpu_map
URI=qemu:///system
skip() {
	echo "tui_virsh: SKIP: $1"
	exit 0
}
command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"
command -v virsh >/dev/null 2>&1 || skip "virsh is not installed"
[ -d "$MAP" ] || skip "no $MAP"
virsh -c "$URI" capabilities >/dev/null 2>&1 || skip "cannot connect to $URI (scripts/start-libvirt.sh starts it)"

T=$(mktemp -d)
SOCK=cs-virsh-$$
pass=0
fail=0
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT INT TERM

screen() {
	tmux -L "$SOCK" capture-pane -p -t cs 2>/dev/null
}
# wait_for TEXT [TRIES]: TRIES checks 50 ms apart (100 unless given)
wait_for() {
	i=0
	while [ $i -lt "${2:-100}" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
keys() {
	tmux -L "$SOCK" send-keys -t cs "$@"
}
text() {
	tmux -L "$SOCK" send-keys -t cs -l "$1"
}
# The verdict word in the screen's verdict bar: side 1 = cpu-compare, 2 = KVM.
shown() {
	screen | grep -F "cpu-compare " | awk -F '│' -v side="$1" '{ print $side }' |
		grep -oE 'IDENTICAL|SUPERSET|INCOMPATIBLE' | head -1
}
virsh_says() {
	out=$(virsh -c "$URI" "$1" "$2" 2>&1)
	case $out in
	*identical*) echo IDENTICAL ;;
	*superset*) echo SUPERSET ;;
	*incompatible*) echo INCOMPATIBLE ;;
	*) echo "ERROR($out)" ;;
	esac
}

tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x 140 -y 30 \
	"cd '$T' && TERM=xterm-256color LANG=C.UTF-8 '$BIN' --map '$MAP'"
# a loaded machine may take long to start the first explorer
wait_for "Models" 600 || skip "the explorer did not start"
kvm=no
screen | grep -qE "│ (KVM|hypervisor-cpu-compare \(KVM\)) +(IDENTICAL|SUPERSET|INCOMPATIBLE|ERROR)" && kvm=yes

# check NAME FILE: compare what the screen shows with virsh on FILE.
check() {
	got=$(shown 1)
	want=$(virsh_says cpu-compare "$2")
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "not ok - $1: cpu-compare: explorer $got, virsh $want"
	fi
	if [ $kvm = yes ]; then
		got=$(shown 2)
		want=$(virsh_says hypervisor-cpu-compare "$2")
		if [ "$got" = "$want" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "not ok - $1: hypervisor-cpu-compare: explorer $got, virsh $want"
		fi
	fi
}

# save NAME: save the guest as $T/NAME.xml and wait for it.
save() {
	keys w C-u
	text "$T/$1.xml"
	keys Enter
	wait_for "saved $T/$1.xml"
}

models=$("$BIN" --map "$MAP" models 2>/dev/null)
for m in $models; do
	keys Escape 1 /
	text "$m"
	keys Enter Enter
	if ! wait_for "model $m "; then
		fail=$((fail + 1))
		echo "not ok - $m: could not pick it"
		continue
	fi
	save "$m" || { fail=$((fail + 1)); echo "not ok - $m: not saved"; continue; }
	check "$m" "$T/$m.xml"
done

# Edited guests: a feature required, a feature forbidden, match strict.
pick() {
	keys Escape 1 /
	text "$1"
	keys Enter Enter
	wait_for "model $1 "
}
feature() {
	keys 3 /
	text "$1"
	keys Enter "$2"
}
pick Nehalem && feature vmx R && save nehalem-vmx && check "Nehalem + require vmx" "$T/nehalem-vmx.xml"
pick Nehalem && feature sse2 X && save nehalem-forbid && check "Nehalem + forbid sse2" "$T/nehalem-forbid.xml"
pick pentium3 && feature pni D && save p3-disable && check "pentium3 + disable pni" "$T/p3-disable.xml"
keys 2 g j Enter Enter && save strict && check "match strict" "$T/strict.xml"

echo "tui_virsh: $pass passed, $fail failed (models: $(echo $models | wc -w), KVM side: $kvm)"
[ "$fail" -eq 0 ]
