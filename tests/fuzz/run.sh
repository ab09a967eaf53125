#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh: seed and run libFuzzer harnesses, at most FUZZ_JOBS at a time.
# Usage: run.sh OUTDIR SECONDS JOBS HARNESS...
# Each harness NAME gets OUTDIR/corpus/NAME (seeded from tests/data on first
# use), writes crash inputs to OUTDIR/artifacts/ and its log to OUTDIR/NAME.log.
set -eu

out=$1
secs=$2
jobs=$3
shift 3
here=$(dirname "$0")
data=$here/../data

# seed DIR FLAGBYTE FILE...: copy each file, prefixed with a byte when given
seed() {
	dir=$1
	flag=$2
	shift 2
	n=0
	for f in "$@"; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		if [ -n "$flag" ]; then
			{ printf "\\$flag"; cat "$f"; } >"$dir/seed-$n"
		else
			cp "$f" "$dir/seed-$n"
		fi
	done
}

# A split map as fuzz_map_xml reads it: index, then "--- NAME" parts.
split_seed() {
	s=$data/maps/split
	{
		sed -e 's|vendors.xml|a.xml|' -e 's|features.xml|b.xml|' \
			-e 's|models/base.xml|models/c.xml|' -e '/models\/plus.xml/d' "$s/index.xml"
		echo '--- a.xml'
		cat "$s/vendors.xml"
		echo '--- b.xml'
		cat "$s/features.xml"
		echo '--- models/c.xml'
		cat "$s/models/base.xml"
	} >"$1/seed-split"
}

populate() {
	name=$1
	dir=$2
	case $name in
	fuzz_map_yaml)
		seed "$dir" "" "$data"/yaml/*.yaml "$here"/../../maps/libvirt-9.0.0.yaml ;;
	fuzz_map_xml)
		seed "$dir" "" "$data"/maps/bad/*.xml "$here"/../../maps/legacy-demo.xml
		split_seed "$dir" ;;
	fuzz_cpudef | fuzz_cpudef_each)
		seed "$dir" "000" "$data"/guest/*.xml "$data"/guest/baseline/*.xml \
			"$data"/cputest/*-guest.xml "$data"/cputest/host-nested-epyc/*.xml
		seed "$dir" "001" "$data"/cputest/*-host.xml
		for f in "$dir"/seed-*; do mv "$f" "$f-a"; done
		seed "$dir" "042" "$data"/guest/baseline/*.xml ;;
	fuzz_export)
		seed "$dir" "" "$data"/guest/*.xml ;;
	fuzz_map_legacy)
		seed "$dir" "" "$here"/../../maps/legacy-demo.xml "$data"/maps/bad/*.xml ;;
	fuzz_domain)
		seed "$dir" "" "$data"/guest/domain-*.xml ;;
	fuzz_host)
		seed "$dir" "" "$data"/cputest/x86_64-cpuid-[A-E]*[a-z0-9].xml \
			"$data"/cputest/host-nested-epyc/* "$data"/cputest/arm-cpuinfo.txt \
			"$data"/cputest/*Xeon-E5-2650-host.xml ;;
	fuzz_cpudata_xml)
		seed "$dir" "" "$data"/cputest/x86_64-cpuid-[A-Z]*[a-z0-9].xml \
			"$data"/cputest/host-nested-epyc/*cpudata.xml ;;
	fuzz_cpuid_raw)
		seed "$dir" "" "$data"/cputest/host-nested-epyc/cpuid-r*.txt ;;
	fuzz_pool_stream)
		seed "$dir" "" "$data"/cputest/*-host.xml "$data"/cputest/host-nested-epyc/* \
			"$data"/guest/domain-*.xml ;;
	fuzz_pool)
		# first byte: where the input is cut in two files (octal 200: the middle)
		seed "$dir" "200" "$data"/cputest/*-host.xml "$data"/cputest/host-nested-epyc/*
		for f in "$dir"/seed-*; do mv "$f" "$f-a"; done
		seed "$dir" "377" "$data"/cputest/*-host.xml ;;
	esac
}

dict_for() {
	case $1 in
	fuzz_map_yaml) echo "$here/yaml.dict" ;;
	fuzz_cpuid_raw) echo "$here/cpuid.dict" ;;
	*) echo "$here/xml.dict" ;;
	esac
}

mkdir -p "$out/corpus" "$out/artifacts"
for bin in "$@"; do
	name=$(basename "$bin")
	if [ ! -d "$out/corpus/$name" ]; then
		mkdir -p "$out/corpus/$name"
		populate "$name" "$out/corpus/$name"
	fi
done

fail=0
for bin in "$@"; do
	name=$(basename "$bin")
	echo "$bin -max_total_time=$secs -rss_limit_mb=2048 -timeout=5" \
		"-dict=$(dict_for "$name") -artifact_prefix=$out/artifacts/$name-" \
		"$out/corpus/$name"
done | xargs -P "$jobs" -I{} sh -c 'set -- {}; name=$(basename "$1");
	echo "  FUZZ    $name (log: '"$out"'/$name.log)";
	if ! "$@" >'"$out"'/$name.log 2>&1; then echo "FAILED: $name"; tail -n 40 '"$out"'/$name.log; exit 1; fi' ||
	fail=1

for bin in "$@"; do
	name=$(basename "$bin")
	last=$(grep -E '^#[0-9]+' "$out/$name.log" | tail -n 1 | sed 's/ *corp:.*//')
	echo "  $name: $last"
done
exit $fail
