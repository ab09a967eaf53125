#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A QEMU that exits at once without saying why.
exit 3
