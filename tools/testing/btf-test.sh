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

	# resolve_btfids must have written the BTF ids into the kfunc set:
	# struct btf_id_set8 { u32 cnt; u32 flags; { u32 id; u32 flags; } pairs[] }
	objcopy -O binary --only-section=.BTF_ids "$ko" "$work/$krel.ids"
	set8=$(od -An -v -t u4 "$work/$krel.ids" | tr -s ' \n' ' ')
	read -r -a words <<<"$set8"
	# Every kfunc of the set, as lsm/kfuncs.c lists it, in order.
	mapfile -t kfuncs < <(sed -n 's/^BTF_ID_FLAGS(func, \([a-z0-9_]*\).*/\1/p' "$top/lsm/kfuncs.c")
	tap_check "the kfunc set in .BTF_ids counts the ${#kfuncs[@]} kfuncs of lsm/kfuncs.c ($krel)" \
		test "${words[0]:-}" = "${#kfuncs[@]}"
	# The ids of the pairs (resolve_btfids sorts them by id); the XDP
	# flow monitor's set (lsm/xdp.c, linked after) follows the first one.
	ids=" "
	for ((i = 2; i < ${#words[@]}; i += 2)); do
		ids="$ids${words[$i]} "
	done
	mapfile -t -O "${#kfuncs[@]}" kfuncs < <(sed -n 's/^BTF_ID_FLAGS(func, \([a-z0-9_]*\).*/\1/p' "$top/lsm/xdp.c")
	missing=
	for f in "${kfuncs[@]}"; do
		id=$(sed -n "s/^\[\([0-9]*\)\] FUNC '$f' .*/\1/p" "$work/$krel.btf")
		if [ -z "$id" ] || [[ "$ids" != *" $id "* ]]; then
			missing="$missing $f(btf id ${id:-none})"
		fi
	done
	if [ -z "$missing" ]; then
		tap_ok "every kfunc (${#kfuncs[@]}, the XDP ones too) is in the module's BTF and its id in a kfunc set ($krel)"
		tap_diag "$(grep "FUNC 'tcpk_kfunc_security_level'" "$work/$krel.btf")"
	else
		tap_not_ok "every kfunc (${#kfuncs[@]}, the XDP ones too) is in the module's BTF and its id in a kfunc set ($krel)" \
			"not resolved:$missing; set8: $set8"
	fi
done

tap_done
