#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - install the Debian packages the build, the demo and the
# test suite need, the pinned kernels included.  Idempotent: only what is
# missing is installed, and `apt-get update` runs only then.
#
# usage: deps.sh [all|demo|bench]
#
# demo: the build and QEMU; bench: those and matplotlib (the report's
# plot); all: everything but matplotlib.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tools/testing/kernels.conf
. "$top/tools/testing/kernels.conf"
# shellcheck source=tools/testing/lib/pkgs.sh
. "$top/tools/testing/lib/pkgs.sh"

pkgs=(
	build-essential gcc make bc flex bison cpio kmod rsync xz-utils zstd
	libelf-dev libssl-dev dwarves pkg-config python3
	qemu-system-x86 busybox-static iproute2
	clang llvm libbpf-dev bpftool
	libnl-3-dev libnl-genl-3-dev libjson-c-dev
	"linux-image-$TCPK_K612_RELEASE=$TCPK_K612_VERSION"
	"linux-headers-$TCPK_K612_RELEASE=$TCPK_K612_VERSION"
	"$TCPK_KBUILD612_PKG=$TCPK_K612_VERSION"
)
if [ "${1:-all}" = all ]; then
	pkgs+=(
		dkms sparse coccinelle shellcheck groff-base man-db strace stress-ng
		openssl keyutils
		python3-yaml python3-jsonschema python3-attr python3-pyrsistent
		"$TCPK_SRC_PKG=$TCPK_SRC_VERSION"
		"linux-image-$TCPK_K61_RELEASE=$TCPK_K61_VERSION"
		"linux-headers-$TCPK_K61_RELEASE=$TCPK_K61_VERSION"
	)
fi

if [ "${1:-all}" = bench ]; then
	pkgs+=(python3-matplotlib)
fi

need_pkgs "${pkgs[@]}"
