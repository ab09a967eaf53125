#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# hostile_cli.sh: odd and hostile files through every command that reads one:
# each run ends, within a generous timeout, with a correct answer (exit 0) or
# exit 1 or 2 and a message naming the file; never a signal, a hang or a
# temporary file left behind.  Large generated inputs check that reading
# stays linear (a quadratic reader would hit the timeout).
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
MAP=tests/data/cpu_map-9.0.0
G=tests/data/guest/guest-skylake.xml
DOM=tests/data/guest/domain-numa.xml
HOSTF=tests/data/cputest/host-nested-epyc
TMO=${CPUSCOPE_HOSTILE_TIMEOUT:-60}
H=$T/hostile
mkdir -p "$H"

# ---- the hostile files ------------------------------------------------------
: >"$H/empty"
printf '<cpu mode="custom"><model>Skylake-Client</model></cpu>\0garbage\n' >"$H/nul.xml"
head -c 4096 /dev/urandom >"$H/random.bin" 2>/dev/null || printf '\377\376\001\002' >"$H/random.bin"
{ head -c 600 /dev/zero | tr '\0' ' '; cat "$G"; } >"$H/blank600.xml"
{ printf '\377\376'; sed 's/./&\n/g' "$G" | tr -d '\n' | sed 's/./&\x00/g'; } >"$H/utf16.xml" 2>/dev/null
printf '<cpu mode="custom"><model>Skylake-Client</model></cpu></cpu>\n' >"$H/trailing.xml"
sed 's/$/\r/' "$G" >"$H/crlf.xml"
awk 'BEGIN { s = "<cpu>"; for (i = 0; i < 15; i++) s = s s; print s }' >"$H/longline.xml"
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "<a>"; print "" }' >"$H/deep.xml"
cat >"$H/dtd.xml" <<'X'
<?xml version="1.0"?>
<!DOCTYPE cpu [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<cpu mode="custom"><model>&b;</model></cpu>
X
printf "<cpu mode='custom'><model vendor_id='a\$(reboot)cd'>Skylake-Client</model></cpu>\n" >"$H/vendorid.xml"
printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Evil \033]0;x\007\033[2J\nflags\t: fpu sse\n' >"$H/escape-cpuinfo"
mkfifo "$H/fifo"
mkdir "$H/dir"
ln -s loop1 "$H/loop2" && ln -s loop2 "$H/loop1"
FILES="empty nul.xml random.bin blank600.xml utf16.xml trailing.xml crlf.xml longline.xml deep.xml
dtd.xml vendorid.xml escape-cpuinfo fifo dir loop1 missing"

# run NAME FILE COMMAND...: the outcome rules above, for input FILE
run() {
	name=$1 file=$2
	shift 2
	timeout "$TMO" "$@" </dev/null >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 124 ]; then
		bad "$name: no answer within ${TMO}s"
	elif [ "$rc" -gt 2 ]; then
		bad "$name: exit $rc (a signal?)"
		head -5 "$T/err"
	elif [ "$rc" -eq 1 ] && [ -s "$T/out" ]; then
		ok "$name (a negative answer)"
	elif [ "$rc" -ne 0 ] && ! grep -qF -- "$file" "$T/err"; then
		bad "$name: exit $rc without naming $file"
		head -3 "$T/err"
	elif grep -q "$(printf '\033')" "$T/out" "$T/err"; then
		bad "$name: a terminal escape sequence printed"
	else
		ok "$name (exit $rc)"
	fi
	if find "$T" "$H" -name '*.tmp.*' | grep -q .; then
		bad "$name: temporary file left"
		find "$T" "$H" -name '*.tmp.*' -exec rm -f {} +
	fi
}

for f in $FILES; do
	p=$H/$f
	run "--map $f models" "$p" "$BIN" --map "$p" models
	run "convert $f" "$p" "$BIN" convert "$p" "$T/conv.yaml"
	run "mapdiff $f" "$p" "$BIN" mapdiff "$p" "$MAP"
	run "host --from $f" "$p" "$BIN" --map "$MAP" host --from "$p" --format text
	run "compare $f" "$p" "$BIN" --map "$MAP" compare --host "$HOSTF/cpuid-cpudata.xml" "$p"
	run "compare --host $f" "$p" "$BIN" --map "$MAP" compare --host "$p" "$G"
	run "compare --pool $f" "$p" "$BIN" --map "$MAP" compare --pool "$p" "$G"
	run "baseline $f" "$p" "$BIN" --map "$MAP" baseline "$p"
	run "models --pool $f" "$p" "$BIN" --map "$MAP" models --pool "$p"
	run "guest $f" "$p" "$BIN" --map "$MAP" guest --host "$HOSTF/cpuid-cpudata.xml" "$p"
	run "guest --host $f" "$p" "$BIN" --map "$MAP" guest --host "$p" "$G"
	for fmt in virt-xml kubevirt proxmox nova; do
		run "export $fmt $f" "$p" "$BIN" --map "$MAP" export --format "$fmt" "$p"
	done
	run "apply $f" "$p" "$BIN" --map "$MAP" apply --dry-run "$p" "$DOM"
	if [ -f "$p" ]; then
		cp "$p" "$T/dom-$f"
		run "apply into $f" "$T/dom-$f" "$BIN" --map "$MAP" apply "$G" "$T/dom-$f"
	else
		run "apply into $f" "$p" "$BIN" --map "$MAP" apply "$G" "$p"
	fi
done

# ---- the answers that must be right ------------------------------------------
"$BIN" --map "$MAP" export --format virt-xml "$H/vendorid.xml" >"$T/out" 2>/dev/null
grep -qF -- "--cpu 'clearxml=yes" "$T/out" && ok "virt-xml --cpu is one quoted shell word" ||
	bad "virt-xml --cpu is one quoted shell word"
# shellcheck disable=SC2016
printf '%s\n' "$(sed -n 's/^--cpu //p' "$T/out")" | grep -q '^'"'"'.*\$(reboot).*'"'"'$' &&
	ok "vendor_id inside the quotes" || bad "vendor_id inside the quotes"
check "map from a pipe" 0 sh -c "cat '$MAP/index.xml' >/dev/null; cat maps/legacy-demo.xml | '$BIN' --map - models"
cp "$DOM" "$T/crlf-dom.xml" && sed -i 's/$/\r/' "$T/crlf-dom.xml"
check "apply keeps CRLF" 0 "$BIN" --map "$MAP" apply "$G" "$T/crlf-dom.xml"
[ "$(grep -c "$(printf '\r')\$" "$T/crlf-dom.xml")" -eq "$(wc -l <"$T/crlf-dom.xml")" ] &&
	ok "every line still ends in CRLF" || bad "every line still ends in CRLF"
printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<domain type="kvm">\n  <name>caf\351</name>\n</domain>\n' >"$T/latin1.xml"
check "apply into ISO-8859-1" 0 "$BIN" --map "$MAP" apply "$G" "$T/latin1.xml"
grep -q "$(printf 'caf\351')" "$T/latin1.xml" && ok "ISO-8859-1 bytes kept" || bad "ISO-8859-1 bytes kept"
check "apply again, over its <cpu>" 0 "$BIN" --map "$MAP" apply "$G" "$T/latin1.xml"
# a declaration naming an odd encoding: what apply writes reads back
cp tests/data/hostile/domain-encoding-utf8-dash.xml "$T/odd-enc.xml"
check "apply --replace, odd encoding name" 0 "$BIN" --map "$MAP" apply --replace "$G" "$T/odd-enc.xml"
check "its <cpu> reads back" 0 "$BIN" --map "$MAP" apply "$G" "$T/odd-enc.xml"

# ---- saves: symbolic links, hard links -----------------------------------------
cp "$DOM" "$T/target.xml" && ln -s target.xml "$T/link.xml"
check "apply through a symlink" 0 "$BIN" --map "$MAP" apply "$G" "$T/link.xml"
[ -L "$T/link.xml" ] && ok "the link stays a link" || bad "the link stays a link"
cp "$DOM" "$T/hard1.xml" && ln "$T/hard1.xml" "$T/hard2.xml"
check "apply into a hard-linked file" 2 "$BIN" --map "$MAP" apply "$G" "$T/hard1.xml"
grep -q "hard link" "$T/err" && ok "hard link named" || bad "hard link named"

# owner and group kept (as root: a file given to nobody stays nobody's)
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	cp "$DOM" "$T/owned.xml" && chown nobody "$T/owned.xml"
	check "apply into nobody's file" 0 "$BIN" --map "$MAP" apply "$G" "$T/owned.xml"
	[ "$(stat -c %U "$T/owned.xml")" = nobody ] && ok "owner kept" || bad "owner kept"
else
	echo "skip owner kept: needs root and a user nobody"
fi
# a file size limit: a message, the original intact, no temporary file
"$BIN" convert maps/libvirt-9.0.0.yaml "$T/limited.xml" >/dev/null 2>&1
cp "$T/limited.xml" "$T/limited.orig"
(ulimit -f 16 && exec "$BIN" convert maps/libvirt-9.0.0.yaml "$T/limited.xml") >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q "file size limit" "$T/err" && ok "ulimit -f: exit 2, named" ||
	{ bad "ulimit -f: exit 2, named (exit $rc)"; cat "$T/err"; }
cmp -s "$T/limited.xml" "$T/limited.orig" && ok "ulimit -f: original intact" || bad "ulimit -f: original intact"
find "$T" -name '*.tmp.*' | grep -q . && bad "ulimit -f: temporary file left" || ok "ulimit -f: no temporary file"

# kill loop: SIGTERM and SIGKILL at random moments of a save of an 8 MB
# domain.  The file is always the old or the new text in full; SIGTERM
# leaves no temporary file.
awk 'BEGIN { print "<domain type=\"kvm\">\n  <name>big</name>"; for (i = 0; i < 100000; i++)
	printf "  <!-- %070d -->\n", i; print "</domain>" }' >"$T/old.xml"
"$BIN" --map "$MAP" apply --dry-run "$G" "$T/old.xml" >"$T/new.xml" 2>/dev/null
cp "$T/old.xml" "$T/killed.xml"
torn=0 leftover=0 loops=${CPUSCOPE_KILL_LOOPS:-150}
for i in $(seq 1 "$loops"); do
	sig=TERM
	[ $((i % 2)) -eq 0 ] && sig=KILL
	"$BIN" --map "$MAP" apply "$G" "$T/killed.xml" >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf %02d $((i * 7 % 25)))"
	kill -s "$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if ! cmp -s "$T/killed.xml" "$T/old.xml" && ! cmp -s "$T/killed.xml" "$T/new.xml"; then
		torn=$((torn + 1))
	fi
	if [ "$sig" = TERM ] && find "$T" -name 'killed.xml.tmp.*' | grep -q .; then
		leftover=$((leftover + 1))
	fi
	rm -f "$T"/killed.xml.tmp.*
	cp "$T/old.xml" "$T/killed.xml"
done
[ "$torn" -eq 0 ] && ok "kill loop: file always whole" || bad "kill loop: $torn torn files"
[ "$leftover" -eq 0 ] && ok "kill loop: SIGTERM leaves no temporary file" ||
	bad "kill loop: $leftover temporary files after SIGTERM"

# ---- large generated inputs: linear time --------------------------------------
awk 'BEGIN { print "CPU 0:"; for (i = 65000; i > 0; i--)
	printf "   0x%08x 0x00: eax=0x00000001 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n", i
	print "   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69" }' >"$T/big-cpuid-r.txt"
run "cpuid -r, 65k leaves descending" "$T/big-cpuid-r.txt" "$BIN" --map "$MAP" host --from "$T/big-cpuid-r.txt"
awk 'BEGIN { print "<cpudata arch=\"x86\">"; for (i = 65000; i >= 0; i--)
	printf "<cpuid eax_in=\"0x%x\" eax=\"0x1\"/>\n", i; print "</cpudata>" }' >"$T/big-cpudata.xml"
run "CPU data, 65k leaves descending" "$T/big-cpudata.xml" "$BIN" --map "$MAP" host --from "$T/big-cpudata.xml"
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "<cpuid eax_in=\"0x%x\"/>\n", i }' >"$T/too-many.xml"
run "CPU data, 300k leaves: refused unread" "$T/too-many.xml" "$BIN" --map "$MAP" host --from "$T/too-many.xml"
awk 'BEGIN { print "<domain type=\"kvm\">\n  <name>x</name>"; for (i = 0; i < 100000; i++)
	printf "  <e%d/>\n", i; print "</domain>" }' >"$T/big-dom.xml"
run "apply into 100k children" "$T/big-dom.xml" "$BIN" --map "$MAP" apply "$G" "$T/big-dom.xml"
awk 'BEGIN { printf "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t:"; for (i = 0; i < 3000000; i++)
	printf " f%d", i % 50000; print "" }' >"$T/big-cpuinfo"
run "cpuinfo, 3M flags" "$T/big-cpuinfo" "$BIN" --map "$MAP" host --from "$T/big-cpuinfo"

rm -f "$H/loop1" "$H/loop2"
[ "$fails" -eq 0 ]
