#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tui_safety.sh: the explorer never freezes, spins or overwrites what it
# should not: TERM=dumb gives a message and exit 2; a terminal that goes
# away without SIGHUP ends it; key scripts with bad sizes are refused with
# file and line; the open prompt refuses pipes and devices; a guest read
# from a capabilities file is saved beside it, never over it; "save as"
# asks before replacing a file and knows ./f and f are the same file.
# The pseudo-terminal checks need python3 (skipped, saying so, without it).
. "$(dirname "$0")/../cli/lib.sh"

MAP=maps/libvirt-9.0.0.yaml
CAPS=tests/data/start/caps-tcg-host.xml
DOM=tests/data/guest/domain-numa.xml
BINABS=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

# run_pty TERM SECONDS [ARGS...]: run the explorer on a pseudo-terminal with
# SIGHUP ignored, close the terminal after SECONDS, print how it ended.
run_pty() {
	python3 - "$BINABS" "$@" <<'PY'
import os, pty, select, signal, sys, time
binary, term, wait = sys.argv[1], sys.argv[2], float(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    os.environ['TERM'] = term
    os.execv(binary, [binary, '--map', 'maps/libvirt-9.0.0.yaml'] + sys.argv[4:])
out = b''
t0 = time.time()
status = None
while time.time() - t0 < wait:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        out += data
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
if status is not None:
    print("exited", os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status))
    print(out.decode(errors='replace'))
    sys.exit(0)
os.close(fd)
t1 = time.time()
while time.time() - t1 < 5:
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        cpu = os.times()
        print("gone", os.WEXITSTATUS(st) if os.WIFEXITED(st) else -os.WTERMSIG(st),
              "%.2f" % (time.time() - t1), "cpu %.2f" % (cpu.children_user + cpu.children_system))
        sys.exit(0)
    time.sleep(0.05)
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
print("hung")
PY
}

if command -v python3 >/dev/null 2>&1; then
	run_pty dumb 3 >"$T/dumb"
	if grep -q "^exited 2" "$T/dumb" && grep -q "TERM is 'dumb'" "$T/dumb"; then
		ok "TERM=dumb: a message and exit 2"
	else
		bad "TERM=dumb: a message and exit 2"; cat "$T/dumb"
	fi
	run_pty xterm 1.5 >"$T/gone"
	set -- $(head -1 "$T/gone")
	if [ "$1" = gone ] && [ "$2" = 1 ]; then
		ok "a terminal gone without SIGHUP ends the explorer ($3 s, $5 s of CPU)"
	else
		bad "a terminal gone without SIGHUP ends the explorer"; cat "$T/gone"
	fi
else
	echo "skip pseudo-terminal checks: python3 not found"
fi

printf 'j\nresize:99999x5\n' >"$T/big.keys"
check "a key script's huge size is refused" 2 "$BIN" --map "$MAP" --keys "$T/big.keys" --dump-screen /dev/null
grep -q "big.keys:2: bad size '99999x5'" "$T/err" && ok "the error names file and line" || bad "the error names file and line"
printf 'resize:0x0\n' >"$T/zero.keys"
check "a key script's zero size is refused" 2 "$BIN" --map "$MAP" --keys "$T/zero.keys" --dump-screen /dev/null
check "--size out of range is refused" 2 "$BIN" --map "$MAP" --size 5000x20 --keys "$T/zero.keys" --dump-screen /dev/null

mkfifo "$T/fifo"
printf 'o\ntype:%s\nEnter\n' "$T/fifo" >"$T/fifo.keys"
check "open a pipe: no freeze" 0 timeout 10 "$BIN" --map "$MAP" --keys "$T/fifo.keys" --dump-screen - --size 100x30
grep -q "a pipe" "$T/out" && ok "open a pipe: refused, saying why" || bad "open a pipe: refused, saying why"
printf 'o\ntype:/dev/zero\nEnter\n' >"$T/dev.keys"
check "open a device: no freeze" 0 timeout 10 "$BIN" --map "$MAP" --keys "$T/dev.keys" --dump-screen - --size 100x30
grep -q "a device" "$T/out" && ok "open a device: refused, saying why" || bad "open a device: refused, saying why"

# A guest read from capabilities: s saves it beside, as a guest file.
mkdir "$T/w"
cp "$CAPS" "$T/w/caps.xml"
cksum <"$T/w/caps.xml" >"$T/caps.sum"
printf 's\nEnter\n' >"$T/s.keys"
(cd "$T/w" && "$BINABS" --map "$OLDPWD/$MAP" --keys "$T/s.keys" --dump-screen - --size 100x30 caps.xml) >"$T/out" 2>&1
cksum <"$T/w/caps.xml" | cmp -s - "$T/caps.sum" && ok "s leaves the capabilities file alone" || bad "s leaves the capabilities file alone"
grep -q "saved caps-guest.xml" "$T/out" && ok "s saves caps-guest.xml" || bad "s saves caps-guest.xml"
if grep -qE "<arch>|<pages|<signature|<microcode|<counter" "$T/w/caps-guest.xml"; then
	bad "the guest file holds only what a guest <cpu> may"
else
	ok "the guest file holds only what a guest <cpu> may"
fi
printf 'w\nC-u\ntype:./caps.xml\nEnter\n' >"$T/w.keys"
(cd "$T/w" && "$BINABS" --map "$OLDPWD/$MAP" --keys "$T/w.keys" --dump-screen - --size 100x30 caps.xml) >"$T/out" 2>&1
cksum <"$T/w/caps.xml" | cmp -s - "$T/caps.sum" && ok "w ./caps.xml does not overwrite caps.xml" || bad "w ./caps.xml does not overwrite caps.xml"
grep -q "a host's file" "$T/out" && ok "w ./caps.xml says why" || bad "w ./caps.xml says why"

# Save as: asks before replacing another file; n keeps it.
printf 'keep me\n' >"$T/w/other.xml"
printf 'w\nC-u\ntype:other.xml\nEnter\nn\n' >"$T/n.keys"
(cd "$T/w" && "$BINABS" --map "$OLDPWD/$MAP" --keys "$T/n.keys" --dump-screen - --size 100x30 caps.xml) >"$T/out" 2>&1
grep -q "keep me" "$T/w/other.xml" && ok "save as over a file asks, n keeps it" || bad "save as over a file asks, n keeps it"

# A domain saved as ./dom.xml is the same file: it stays a domain.
cp "$DOM" "$T/w/dom.xml"
printf 'a\nw\nC-u\ntype:./dom.xml\nEnter\n' >"$T/d.keys"
(cd "$T/w" && "$BINABS" --map "$OLDPWD/$MAP" --keys "$T/d.keys" --dump-screen - --size 100x30 dom.xml) >"$T/out" 2>&1
grep -q "<domain" "$T/w/dom.xml" && grep -q "<numa" "$T/w/dom.xml" && ok "./dom.xml is dom.xml: the domain keeps its elements" || bad "./dom.xml is dom.xml: the domain keeps its elements"

printf 'q\n' >"$T/q.keys"
check "--host naming no file fails before any screen" 2 "$BIN" --map "$MAP" --host "$T/no-such-host.xml" \
	--keys "$T/q.keys" --dump-screen /dev/null
grep -q "no-such-host.xml: cannot open" "$T/err" && ok "the error names the host file" ||
	bad "the error names the host file"

[ "$fails" -eq 0 ]
