#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A QEMU whose QMP channel (fd 3) carries something other than QMP.
echo 'this is not QMP' >&3
exec sleep 60
