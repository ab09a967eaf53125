#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# screenshots.sh: PNG screenshots of the running explorer in a real terminal.
# xterm runs under Xvfb with tmux inside it; the script drives the explorer
# with tmux send-keys, waits for the screen to show what it should, and
# captures the xterm window with ImageMagick's import into screenshots/.
# Installs xvfb, xterm, imagemagick, x11-utils and a font when missing (root).
set -u

BIN=${CPUSCOPE_BIN:-build/cpuscope}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
OUT=$(pwd)/screenshots
PKGS="xvfb xterm imagemagick x11-utils fonts-dejavu-core tmux"

need=""
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "screenshots: installing$need" >&2
		apt-get update -qq >/dev/null 2>&1 || true
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need \
			>/dev/null || { echo "screenshots: error: cannot install$need" >&2; exit 1; }
	else
		echo "screenshots: error: missing packages:$need (run as root: apt-get install$need)" >&2
		exit 1
	fi
fi
[ -x "$BIN" ] || { echo "screenshots: error: no binary at $BIN (run make)" >&2; exit 1; }

T=$(mktemp -d)
DISP=:$((90 + $$ % 9))
SOCK=cs-shot-$$
XPID=""
cleanup() {
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	[ -n "$XPID" ] && kill "$XPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

Xvfb "$DISP" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
XPID=$!
sleep 1
mkdir -p "$OUT"

screen() {
	tmux -L "$SOCK" capture-pane -p -t cs 2>/dev/null
}

wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "screenshots: warning: '$1' never showed" >&2
	return 1
}

keys() {
	tmux -L "$SOCK" send-keys -t cs "$@"
}

text() {
	tmux -L "$SOCK" send-keys -t cs -l "$1"
}

# start COLSxROWS ENV ARGS...: an xterm of that size running the explorer.
XTPID=""
start() {
	size=$1
	envs=$2
	shift 2
	stop
	cat >"$T/run.sh" <<SH
#!/bin/sh
cd "$T"
export TERM=xterm-256color LANG=C.UTF-8 $envs
exec "$BIN" $*
SH
	chmod +x "$T/run.sh"
	tmux -L "$SOCK" -f /dev/null new-session -d -s cs -x "${size%x*}" -y "${size#*x}" "$T/run.sh"
	tmux -L "$SOCK" set -g status off >/dev/null
	tmux -L "$SOCK" set -g default-terminal tmux-256color >/dev/null
	DISPLAY=$DISP xterm -geometry "$size+0+0" -fa "DejaVu Sans Mono" -fs 11 \
		-bg "#1c1c1c" -fg "#d0d0d0" -T cpuscope-shot \
		-e tmux -L "$SOCK" attach -t cs >/dev/null 2>&1 &
	XTPID=$!
	i=0
	while [ $i -lt 100 ] && ! screen | grep -qE "Models|too small"; do
		sleep 0.1
		i=$((i + 1))
	done
}

stop() {
	if [ -n "$XTPID" ]; then
		tmux -L "$SOCK" kill-server >/dev/null 2>&1
		wait "$XTPID" 2>/dev/null
		XTPID=""
	fi
}

shot() {
	sleep 0.4
	id=""
	i=0
	while [ -z "$id" ] && [ $i -lt 50 ]; do
		id=$(DISPLAY=$DISP xwininfo -root -tree | awk '/cpuscope-shot/ { print $1; exit }')
		[ -n "$id" ] || sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$id" ]; then
		echo "screenshots: error: no xterm window" >&2
		exit 1
	fi
	DISPLAY=$DISP import -window "$id" "$OUT/$1.png"
	screen >"$OUT/$1.txt"
	echo "screenshots: $OUT/$1.png"
}

# A host file, so that some screens do not depend on the machine.
cat >"$T/host.xml" <<'XML'
<cpu>
  <arch>x86_64</arch>
  <model>Skylake-Client-noTSX-IBRS</model>
  <vendor>Intel</vendor>
  <feature name='vmx'/>
</cpu>
XML

# 1. This machine: CPUID and KVM side by side, a model picked.
start 132x40 "" ""
keys /
text "EPYC-Rome"
keys Enter Enter
wait_for "model EPYC-Rome"
shot 01-host-and-kvm

# 2. Only what the host lacks, and the fix the verdict bar offers.
keys 3 m
wait_for "missing"
shot 02-missing-features

# 3. The output view: <cpu> XML and -cpu.
keys m x
wait_for "QEMU argument"
shot 03-output

# 4. Model diff.
keys Escape 1 /
text "Skylake-Client-noTSX-IBRS"
keys Enter Space /
text "Icelake-Client-noTSX"
keys Enter d
wait_for "Diff:"
shot 04-diff

# 5. Help, generated from the binding table.
keys ?
wait_for "Keys (from the binding table)"
shot 05-help
stop

# 6. A saved host, a required feature it lacks: INCOMPATIBLE, at 80x24.
start 80x24 "" "--host host.xml"
keys /
text "Skylake-Client-noTSX"
keys Enter Enter 3 v /
text "avx512f"
keys Enter R
wait_for "INCOMPATIBLE"
shot 06-incompatible-80x24
stop

# 7. Monochrome (NO_COLOR) with ASCII line drawing.
start 100x30 "NO_COLOR=1" "--ascii --host host.xml"
keys /
text "Skylake-Client-noTSX"
keys Enter Enter
wait_for "model Skylake"
shot 07-no-color-ascii
stop

# 9. A pool of four hosts (libvirt's expected host CPUs for saved CPUID
# dumps): a Cascade Lake guest fails on two of them; the pool view says why.
C=$(pwd)/tests/data/cputest
for h in Xeon-Gold-6148 Xeon-Platinum-8268 Ice-Lake-Server Xeon-E5-2650-v4; do
	cp "$C/x86_64-cpuid-$h-host.xml" "$T/$h.xml"
done
start 132x40 "" "--host Xeon-Platinum-8268.xml --pool Xeon-Gold-6148.xml --pool Ice-Lake-Server.xml --pool Xeon-E5-2650-v4.xml"
keys /
text "Cascadelake-Server"
keys Enter Enter p
wait_for "Pool: 3 hosts"
shot 09-pool
stop

# 8. Too small.
start 50x12 "" ""
wait_for "too small"
shot 08-too-small
stop
echo "screenshots: done"
