#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - give a built module its BTF when Kbuild could not.
#
# Kbuild emits module BTF only when the build tree holds a vmlinux with BTF
# (Debian's 6.12 headers do; 6.1's do not).  Without it the module cannot
# offer kfuncs.  This does what scripts/Makefile.modfinal would have done,
# against a base BTF found elsewhere:
#   pahole -J --btf_base <base> <ko>; resolve_btfids -b <base> <ko>
#
# The base is, in order: $TCPK_BTF_BASE; /sys/kernel/btf/vmlinux when
# building for the running kernel; the vmlinux inside /boot/vmlinuz-<kver>.
# resolve_btfids is $RESOLVE_BTFIDS, the build tree's, or the newest of
# Debian's linux-kbuild-* packages (linux-kbuild-6.12.* ships one that
# works for 6.1 modules).
#
# usage: btf-postlink.sh <module.ko> <kdir> <kver>
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 <module.ko> <kdir> <kver>" >&2; exit 2; }
ko=$1 kdir=$2 kver=$3
here=$(dirname "$(readlink -f "$0")")

die() { echo "btf-postlink: $*" >&2; exit 1; }
has_btf() { readelf -S "$1" 2>/dev/null | grep ' \.BTF ' >/dev/null; }

has_btf "$ko" && exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

base=${TCPK_BTF_BASE:-}
if [ -z "$base" ] && [ "$kver" = "$(uname -r)" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	base=/sys/kernel/btf/vmlinux
fi
if [ -z "$base" ]; then
	img=/boot/vmlinuz-$kver
	[ -r "$img" ] || die "no BTF base for $kver: set TCPK_BTF_BASE, or install the kernel image ($img)"
	"$here/extract-vmlinux.sh" "$img" "$tmp/vmlinux" ||
		die "cannot extract vmlinux from $img"
	base=$tmp/vmlinux
fi

resolve=${RESOLVE_BTFIDS:-}
if [ -z "$resolve" ] && [ -x "$kdir/tools/bpf/resolve_btfids/resolve_btfids" ]; then
	resolve=$kdir/tools/bpf/resolve_btfids/resolve_btfids
fi
if [ -z "$resolve" ]; then
	for f in /usr/lib/linux-kbuild-*/tools/bpf/resolve_btfids/resolve_btfids; do
		[ -x "$f" ] && printf '%s\n' "$f"
	done | sort -V | tail -n 1 > "$tmp/resolve"
	resolve=$(cat "$tmp/resolve")
fi
if [ -z "$resolve" ] || [ ! -x "$resolve" ]; then
	die "resolve_btfids not found: apt-get install linux-kbuild-6.12.<N>+deb12 or set RESOLVE_BTFIDS"
fi
command -v pahole >/dev/null || die "pahole not found: apt-get install dwarves"

flags="--btf_gen_floats"
if [ -r "$kdir/scripts/pahole-flags.sh" ]; then
	flags=$(PAHOLE=pahole sh "$kdir/scripts/pahole-flags.sh")
fi

echo "  BTF [M] $ko (post-link, base $base)"
# shellcheck disable=SC2086 # flags are words
LLVM_OBJCOPY=${OBJCOPY:-objcopy} pahole -J $flags --btf_base "$base" "$ko" ||
	die "pahole failed on $ko"
"$resolve" -b "$base" "$ko" || die "resolve_btfids failed on $ko"
has_btf "$ko" || die "$ko still has no .BTF section"
