#!/bin/sh
# A QEMU whose QMP channel (fd 3) carries something other than QMP.
echo 'this is not QMP' >&3
exec sleep 60
