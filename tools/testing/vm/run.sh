#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - run the integration tests (or the demo) in a QEMU VM.
#
# Builds the module for the chosen kernel, an initramfs holding busybox,
# kmod, our tools with the shared libraries they need and the tests, boots
# the kernel under QEMU TCG with no network device, streams the guest's
# console (TAP) and returns the guest's verdict, read from a second serial
# port that only the guest's init writes after the last test.  A panic
# reboots, which QEMU turns into an exit (-no-reboot); a hang is killed
# after the timeout with a message saying so.
#
# usage: run.sh [--demo] [--timeout SECONDS] <6.1|6.12|debug>
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tools/testing/vm
# shellcheck source=tools/testing/kernels.conf
. "$top/tools/testing/kernels.conf"

mode="test"
timeout=
while [ $# -gt 1 ]; do
	case "$1" in
	--demo) mode=demo; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--demo] [--timeout S] <6.1|6.12|debug>" >&2; exit 2; }
kernel=$1

mem=1G
case "$kernel" in
6.1) krel=$TCPK_K61_RELEASE; kimg=/boot/vmlinuz-$krel; kdir=/lib/modules/$krel/build ;;
6.12) krel=$TCPK_K612_RELEASE; kimg=/boot/vmlinuz-$krel; kdir=/lib/modules/$krel/build ;;
debug)
	out=$("$top/tools/testing/kernel/build-debug-kernel.sh" | tail -n 3)
	kdir=$(sed -n 's/^KDIR=//p' <<<"$out")
	kimg=$(sed -n 's/^BZIMAGE=//p' <<<"$out")
	krel=$(sed -n 's/^KRELEASE=//p' <<<"$out")
	mem=2G
	;;
*) echo "run.sh: unknown kernel '$kernel' (6.1, 6.12 or debug)" >&2; exit 2 ;;
esac
[ -r "$kimg" ] || { echo "run.sh: no kernel image $kimg (run tools/testing/deps.sh)" >&2; exit 1; }
[ -d "$kdir" ] || { echo "run.sh: no kernel build tree $kdir" >&2; exit 1; }
# KASAN and kmemleak under TCG are slow: the debug kernel gets longer.
[ -n "$timeout" ] || { [ "$kernel" = debug ] && timeout=1500 || timeout=600; }

out=$top/build/vm-$kernel
rm -rf "$out"
mkdir -p "$out"

log() { echo "run.sh[$kernel]: $*" >&2; }

# --- the module, built in a private copy of the tree per kernel ---------
log "building tcp_kernel.ko for $krel"
rsync -a --delete --exclude /build --exclude .git --exclude '*.o' --exclude '*.ko' \
	--exclude '.*.cmd' "$top/" "$out/src/"
make -s -C "$out/src" module KVER="$krel" KDIR="$kdir" > "$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log" >&2; log "module build failed"; exit 1; }

# --- user-space programs, the same for every kernel ---------------------
log "building tools and BPF programs"
if ! { make -s -C "$top/tools" && make -s -C "$top/ebpf" &&
	make -s -C "$top/tools/testing/progs"; } >> "$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	log "tools build failed"
	exit 1
fi

# --- initramfs -----------------------------------------------------------
root=$out/initramfs
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,run,root,etc,tcpk/bin,tcpk/lib,tcpk/tests}
mkdir -p "$root/lib/modules/$krel/extra"
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$here/init.sh" "$root/init"
chmod 755 "$root/init"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
printf 'TCPK_KERNEL=%s\nTCPK_MODE=%s\n' "$kernel" "$mode" > "$root/tcpk/env"

cp "$out/src/tcp_kernel.ko" "$root/lib/modules/$krel/extra/"
if [ -f "$out/src/kunit/tcp_kernel_kunit.ko" ]; then
	cp "$out/src/kunit/tcp_kernel_kunit.ko" "$root/lib/modules/$krel/extra/"
fi
for f in modules.builtin modules.builtin.modinfo; do
	for d in "/lib/modules/$krel" "$kdir"; do
		if [ -f "$d/$f" ]; then
			cp "$d/$f" "$root/lib/modules/$krel/"
			break
		fi
	done
done
(cd "$root/lib/modules/$krel" && find extra -name '*.ko' > modules.order)
depmod -b "$root" "$krel"

# Programs with the shared libraries and loader they need, at the paths
# ldd reports.
add_prog() {
	local prog=$1 lib
	[ -x "$prog" ] || { log "missing program $prog"; exit 1; }
	cp "$prog" "$root/tcpk/bin/"
	for lib in $(ldd "$prog" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
add_prog "$(command -v kmod)"
for t in modprobe rmmod insmod lsmod modinfo depmod; do
	ln -s kmod "$root/tcpk/bin/$t"
done
add_prog "$top/tools/tcp-policy/tcp-policy"
add_prog "$top/tools/testing/progs/kfunc-probe"

cp "$top/tools/testing/lib/tap.sh" "$root/tcpk/lib/"
cp "$here/demo.sh" "$root/tcpk/demo.sh"
# A test declares the kernels it is for with a "# tcpk-kernels: ..." line.
for t in "$here"/tests/*.sh; do
	only=$(sed -n 's/^# tcpk-kernels: *//p' "$t")
	if [ -z "$only" ] || grep -qw -- "$kernel" <<<"$only"; then
		cp "$t" "$root/tcpk/tests/"
	fi
done

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$out/initramfs.cpio.gz"

# --- boot ------------------------------------------------------------------
log "booting $kimg ($mode, timeout ${timeout}s)"
result=$out/result
: > "$result"
set +e
timeout --foreground -k 10 "$timeout" \
	qemu-system-x86_64 -machine q35 -cpu max -smp 2 -m "$mem" \
	-display none -monitor none -nic none -no-reboot \
	-serial stdio -serial "file:$result" \
	-kernel "$kimg" -initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1" \
	< /dev/null 2>&1 | tr -d '\r' | tee "$out/console.log"
qrc=${PIPESTATUS[0]}
set -e

if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	log "TIMEOUT: the guest did not finish within ${timeout}s and was killed (hung test or kernel?)"
	echo "# TCPK-HOST guest timed out after ${timeout}s" >> "$out/console.log"
	exit 1
fi
if [ "$mode" = demo ]; then
	grep -q 'TCPK-DEMO-DONE rc=0' "$result" || { log "demo failed"; exit 1; }
	exit 0
fi
if ! grep -q TCPK-GUEST-DONE "$result"; then
	log "the guest never reported completion (panic or crash: see $out/console.log)"
	echo "# TCPK-HOST guest did not report completion" >> "$out/console.log"
	exit 1
fi
python3 "$top/tools/testing/tap-summary.py" "$out/console.log"
