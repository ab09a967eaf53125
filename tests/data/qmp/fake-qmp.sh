#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A small QMP peer on fd 3: a greeting sent in two pieces, then each command
# answered after an asynchronous event.  QMP commands carry ids 1, 2, 3...
# in the order cpuscope sends them, so the replies count along.
printf '{"QMP": {"version": {"qemu": {"major": 9, ' >&3
sleep 0.1
printf '"minor": 8, "micro": 7}, "package": "fake"}, "capabilities": []}}\r\n' >&3
id=0
while read -r line <&3; do
	id=$((id + 1))
	printf '{"event": "RESUME", "timestamp": {"seconds": 1, "microseconds": 2}}\r\n' >&3
	case "$line" in
	*'"quit"'*)
		exit 0 ;;
	*'"query-version"'*)
		printf '{"return": {"qemu": {"major": 9, "minor": 8, "micro": 7}, "package": "fake"}, "id": %d}\r\n' $id >&3 ;;
	*'"query-cpu-definitions"'*)
		printf '{"return": [{"name": "fake64", "unavailable-features": ["avx", "aes"], ' >&3
		printf '"migration-safe": true, "deprecated": true, "alias-of": "fake64-v1"}, ' >&3
		printf '{"name": "fake64-v1", "unavailable-features": []}], "id": %d}\r\n' $id >&3 ;;
	*)
		printf '{"return": {}, "id": %d}\r\n' $id >&3 ;;
	esac
done
