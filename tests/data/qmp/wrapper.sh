#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs the real QEMU; a test copies it and changes the copy's time stamp.
exec qemu-system-x86_64 "$@"
