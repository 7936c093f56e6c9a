#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - extract the ELF vmlinux from a compressed kernel image
# (bzImage), so its BTF can serve as the base of the module's BTF when a
# kernel's headers ship no vmlinux (Debian 6.1).  Our own small extractor:
# scripts/extract-vmlinux is only in linux-source.
#
# usage: extract-vmlinux.sh <vmlinuz> <output>
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 <vmlinuz> <output>" >&2; exit 2; }
img=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

is_elf() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' \n')" = '177ELF' ]; }

# try <magic as printf/grep pattern> <decompressor...>
try() {
	local magic=$1; shift
	local off
	LC_ALL=C grep -obUaP "$magic" "$img" | cut -d: -f1 > "$tmp/offsets" || true
	while read -r off; do
		tail -c "+$((off + 1))" "$img" | "$@" > "$tmp/vmlinux" 2>/dev/null || true
		if [ -s "$tmp/vmlinux" ] && is_elf "$tmp/vmlinux"; then
			mv "$tmp/vmlinux" "$out"
			exit 0
		fi
	done < "$tmp/offsets"
}

if is_elf "$img"; then
	cp "$img" "$out"
	exit 0
fi
try '\x28\xb5\x2f\xfd' zstd -dc
try '\xfd7zXZ\x00' xz -dc
try '\x1f\x8b\x08' gzip -dc
try '\x02\x21\x4c\x18' lz4 -dc
try '\x5d\x00\x00\x00' xz -F lzma -dc
try 'BZh' bzip2 -dc
echo "$0: no vmlinux found in $img" >&2
exit 1
