#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - `make demo`: boot Debian's stock 6.12 kernel in QEMU, load
# the module with security_level=2 and show what a user would look at.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tools/testing/deps.sh" demo
exec "$top/tools/testing/vm/run.sh" --demo 6.12
