#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - print the path of the kernel's kunit.py (its `parse` counts
# KTAP), extracted once from the pinned linux-source into the cache.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=tools/testing/kernels.conf
. "$top/tools/testing/kernels.conf"

dir=${TCPK_CACHE:-/var/cache/tcp_kernel}/kunit-py-$TCPK_SRC_VERSION
if [ ! -x "$dir/tools/testing/kunit/kunit.py" ]; then
	tarball=/usr/src/$TCPK_SRC_PKG.tar.xz
	[ -r "$tarball" ] || { echo "kunit-py: $TCPK_SRC_PKG is not installed" >&2; exit 1; }
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	tar -xJf "$tarball" -C "$dir.tmp" --strip-components=1 \
		--wildcards '*/tools/testing/kunit/*'
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi
echo "$dir/tools/testing/kunit/kunit.py"
