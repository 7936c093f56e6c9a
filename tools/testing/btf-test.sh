#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the module carries BTF on both pinned kernels, with its
# kfuncs in it: build for each kernel (in a private copy of the tree) and
# list the kfunc with `bpftool btf dump file tcp_kernel.ko`, whose BTF is
# split on top of the kernel's.  TAP on stdout.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tools/testing/kernels.conf
. "$top/tools/testing/kernels.conf"
# shellcheck source=tools/testing/lib/tap.sh
. "$top/tools/testing/lib/tap.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for krel in "$TCPK_K61_RELEASE" "$TCPK_K612_RELEASE"; do
	src=$work/$krel
	rsync -a --exclude /build --exclude .git --exclude '*.o' --exclude '*.ko' \
		--exclude '.*.cmd' "$top/" "$src/"
	if ! make -s -C "$src" module KVER="$krel" > "$work/$krel.log" 2>&1; then
		tap_not_ok "module builds for $krel" "$(tail -n 30 "$work/$krel.log")"
		continue
	fi
	ko=$src/tcp_kernel.ko
	tap_check "tcp_kernel.ko for $krel has a .BTF section" \
		sh -c "readelf -S '$ko' | grep -q ' \.BTF '"

	base=/lib/modules/$krel/build/vmlinux
	if [ ! -r "$base" ]; then
		base=$work/vmlinux-$krel
		"$top/tools/build/extract-vmlinux.sh" "/boot/vmlinuz-$krel" "$base"
	fi
	bpftool btf dump file "$ko" --base-btf "$base" > "$work/$krel.btf" 2>&1
	line=$(grep "FUNC 'tcpk_kfunc_security_level'" "$work/$krel.btf")
	if [ -n "$line" ]; then
		tap_ok "bpftool btf dump file tcp_kernel.ko lists kfunc tcpk_kfunc_security_level ($krel)"
		tap_diag "$line"
	else
		tap_not_ok "bpftool btf dump file tcp_kernel.ko lists kfunc tcpk_kfunc_security_level ($krel)" \
			"$(head -n 5 "$work/$krel.btf")"
	fi

	# resolve_btfids must have written that BTF id into the kfunc set:
	# struct btf_id_set8 { u32 cnt; u32 flags; { u32 id; u32 flags; } pairs[] }
	id=$(sed -n 's/^\[\([0-9]*\)\].*/\1/p' <<<"$line")
	objcopy -O binary --only-section=.BTF_ids "$ko" "$work/$krel.ids"
	set8=$(od -An -v -t u4 "$work/$krel.ids" | tr -s ' \n' ' ')
	if [ -n "$id" ] && grep -qE "^ ?1 [0-9]+ $id " <<<"$set8 "; then
		tap_ok "the kfunc set in .BTF_ids holds BTF id $id ($krel)"
	else
		tap_not_ok "the kfunc set in .BTF_ids holds BTF id ${id:-?} ($krel)" "set8: $set8"
	fi
done

tap_done
