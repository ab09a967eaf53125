#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A QEMU that never answers on its QMP channel.  The sleep runs as a child
# of this shell, so that stopping must reach the whole process group; its
# pid goes to $CS_FAKE_PIDFILE when that is set.
sleep 60 &
[ -n "${CS_FAKE_PIDFILE:-}" ] && echo $! > "$CS_FAKE_PIDFILE"
wait
