#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A QEMU that refuses its command line at once.
echo "fake-qemu: -machine pc: unsupported machine type" >&2
exit 1
