#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - run the integration tests (or the demo, or the benchmark)
# in a QEMU VM.
#
# Builds the module for the chosen kernel, an initramfs holding busybox,
# kmod, our tools and test programs with the shared libraries they need,
# the descriptor packs, the tests and (for the tests) python3 with the
# kernel's YNL cli.py, boots the kernel under QEMU TCG with no network
# device, streams the guest's console (TAP) and returns the guest's
# verdict, read from a second serial port that only the guest's init
# writes after the last test.  A panic reboots, which QEMU turns into an
# exit (-no-reboot); a hang is killed after the timeout with a message
# saying so.
#
# usage: run.sh [--demo|--bench] [--icount] [--timeout SECONDS] <6.1|6.12|debug>
#
# --bench runs tools/testing/vm/bench.sh instead of the tests (make bench,
# through tools/testing/bench.sh); --icount adds QEMU's
# -icount shift=0,sleep=off: guest time counts instructions (1 ns each),
# so repeated runs agree, whatever else the host is doing.
#
# Environment: TCPK_VM_OUT, the build directory (default build/vm-KERNEL);
# TCPK_VM_TESTS, shell patterns of the tests to run (default all);
# TCPK_FUZZ_SEED, TCPK_FUZZ_ITERATIONS and TCPK_FUZZ_OPS_ITERATIONS, the
# fuzzers' seed and budgets (32-desc-fuzz, 57-genl-fuzz-ops), passed on;
# TCPK_BENCH_ROUNDS, TCPK_BENCH_MS and TCPK_BENCH_PROCS, the benchmark's
# rounds, milliseconds per measurement and sleeping processes (bench.sh),
# passed on;
# TCPK_STRESS_SECONDS, the length of the stress run (58-stress), likewise;
# TCPK_CACHE, where the extracted linux-source is (default
# /var/cache/tcp_kernel).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tools/testing/vm
# shellcheck source=tools/testing/kernels.conf
. "$top/tools/testing/kernels.conf"

mode="test"
timeout=
icount=
while [ $# -gt 1 ]; do
	case "$1" in
	--demo) mode=demo; shift ;;
	--bench) mode=bench; shift ;;
	--icount) icount=1; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--demo|--bench] [--icount] [--timeout S] <6.1|6.12|debug>" >&2; exit 2; }
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
# The three guests share two host cores in make check, so a stock guest
# that takes ~900 s on a quiet host can pass 1500 s on a busy one (a CI
# run lost its last tests to that): the bounds leave room for a hang to
# be told from slowness and still end within CI's 90 minutes.  A clean
# CI run here (2026-12-07) took about 2450 s in a stock guest and 3650 s
# in each debug shard (four guests on two cores): 3600 and 4800 leave
# them about a quarter more.
[ -n "$timeout" ] || { [ "$kernel" = debug ] && timeout=4800 || timeout=3600; }

# TCPK_VM_OUT: another build directory, so two runs on one kernel can
# proceed side by side.
out=${TCPK_VM_OUT:-$top/build/vm-$kernel}
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
printf 'root:x:0:0:root:/root:/bin/sh\ndev:x:1000:1000:dev:/home/dev:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\ndev:x:1000:\nnogroup:x:65534:\n' > "$root/etc/group"
printf 'TCPK_KERNEL=%s\nTCPK_MODE=%s\n' "$kernel" "$mode" > "$root/tcpk/env"
# The fuzzers' seed and budgets, the benchmark's knobs and the stress
# run's length, for a longer run on demand (numbers only).
for v in TCPK_FUZZ_SEED TCPK_FUZZ_ITERATIONS TCPK_FUZZ_OPS_ITERATIONS \
	TCPK_BENCH_ROUNDS TCPK_BENCH_MS TCPK_BENCH_PROCS TCPK_BENCH_COST_ROUNDS \
	TCPK_STRESS_SECONDS; do
	[ -n "${!v:-}" ] || continue
	[[ ${!v} =~ ^[0-9]+$ ]] || { echo "run.sh: $v must be a number, not '${!v}'" >&2; exit 2; }
	printf '%s=%s\n' "$v" "${!v}" >> "$root/tcpk/env"
done

cp "$out/src/tcp_kernel.ko" "$root/lib/modules/$krel/extra/"
# veth, for the XDP flow monitor's test (52-xdp-flows): a module of
# Debian's kernels (xz-compressed on 6.12), built into the debug kernel.
vmod=$(modinfo -k "$krel" -n veth 2> /dev/null || true)
case "$vmod" in
*.ko) cp "$vmod" "$root/lib/modules/$krel/extra/" ;;
*.ko.xz) xz -dc "$vmod" > "$root/lib/modules/$krel/extra/veth.ko" ;;
esac
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
# ldd reports (none for a static one: tcpk-bench).
add_prog() {
	local prog=$1 lib
	[ -x "$prog" ] || { log "missing program $prog"; exit 1; }
	cp "$prog" "$root/tcpk/bin/"
	for lib in $(ldd "$prog" 2> /dev/null | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
add_prog "$(command -v kmod)"
for t in modprobe rmmod insmod lsmod modinfo depmod; do
	ln -s kmod "$root/tcpk/bin/$t"
done
add_prog "$top/tools/tcp-policy/tcp-policy"
# iproute2's ip: network namespaces and veth pairs (52-xdp-flows).
add_prog "$(command -v ip)"
add_prog "$top/tools/tcp-bpf/tcp-bpf"
# tcp-replay, and strace to record the traces it replays (54-replay).
add_prog "$top/tools/tcp-replay/tcp-replay"
[ "$mode" != test ] || add_prog "$(command -v strace || echo /usr/bin/strace)"
cp "$top/tools/bringup/tcp-kernel-up" "$root/tcpk/bin/"
for p in "$top"/tools/testing/progs/*.c; do
	add_prog "${p%.c}"
done
# TCPK_VM_EXTRA_PROGS: more programs for the guest, while a test of them
# is being worked on (not used by make check).
for p in ${TCPK_VM_EXTRA_PROGS:-}; do
	add_prog "$p"
done

# The TCP descriptor packs, where a real host installs them.
if compgen -G "$top/tools/descriptors/*.tcp" > /dev/null; then
	mkdir -p "$root/etc/tcp_kernel/descriptors.d"
	cp "$top"/tools/descriptors/*.tcp "$root/etc/tcp_kernel/descriptors.d/"
fi
# The default rule files, likewise (/etc/tcp_kernel/policy.rules,
# agent.rules).
if compgen -G "$top/tools/policy/*.rules" > /dev/null; then
	mkdir -p "$root/etc/tcp_kernel"
	cp "$top"/tools/policy/*.rules "$root/etc/tcp_kernel/"
fi

# --- python3 and the kernel's YNL cli.py (tests only) -----------------------
# Debian's python3.11 with its standard library (minus what no test
# imports: test suites, GUIs, 2to3, docs, build configuration, bytecode),
# python3-yaml and python3-jsonschema (with the packages jsonschema
# imports), all at their Debian paths; then tools/net/ynl/cli.py with its
# lib/ and the netlink schemas and specs of the pinned linux-source, and
# our spec.  The guest compiles the bytecode it needs on first import.
ynl_src() {
	local cache=${TCPK_CACHE:-/var/cache/tcp_kernel} src tarball t
	src=$cache/linux-source-$TCPK_SRC_VERSION
	if [ -f "$src/.tcpk-extracted" ]; then
		echo "$src"
		return
	fi
	# Only the YNL part, in a directory of its own (static-checks.sh
	# owns the full tree), under the same lock.
	src=$cache/linux-ynl-$TCPK_SRC_VERSION
	if [ ! -f "$src/.tcpk-extracted" ]; then
		if ! mkdir -p "$cache" || ! exec 8> "$cache/.linux-source.lock" ||
			! flock -w 1800 8; then
			log "cannot lock $cache/.linux-source.lock (set TCPK_CACHE)"
			exit 1
		fi
		if [ ! -f "$src/.tcpk-extracted" ]; then
			tarball=$(dpkg -L "$TCPK_SRC_PKG" 2> /dev/null | grep -m1 '^/usr/src/.*\.tar\.xz$') ||
				{ log "$TCPK_SRC_PKG is not installed (run tools/testing/deps.sh)"; exit 1; }
			log "extracting YNL from $tarball into $src (once)"
			t=$(mktemp -d "$cache/.linux-ynl.XXXXXX")
			tar -C "$t" --strip-components=1 -xJf "$tarball" --wildcards \
				'*/tools/net/ynl/cli.py' '*/tools/net/ynl/lib/*' \
				'*/Documentation/netlink/*' ||
				{ rm -rf "$t"; log "cannot extract $tarball"; exit 1; }
			touch "$t/.tcpk-extracted"
			rm -rf "$src"
			mv "$t" "$src"
		fi
		exec 8>&-
	fi
	echo "$src"
}

# add_libs FILE: the shared libraries FILE needs, at the paths ldd reports.
add_libs() {
	local lib
	for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# add_deb_files PKG REGEX: PKG's files (not directories) matching REGEX,
# minus the pruned ones, at their paths; shared objects with their
# libraries.
py_prune='/(__pycache__|test|tests|idlelib|tkinter|turtledemo|ensurepip|lib2to3|pydoc_data|distutils|venv|config-[^/]*|sqlite3|dbm|curses|asyncio|unittest)(/|$)'
py_prune_so='/(_test[^/]*|xxlimited[^/]*|_xx[^/]*|_ctypes_test|_ssl|_hashlib|_sqlite3|_dbm|_gdbm|nis|ossaudiodev|readline|_curses[^/]*|_tkinter|_crypt|audioop|_codecs_[^/]*)\.cpython'
add_deb_files() {
	local pkg=$1 re=$2 f
	dpkg -L "$pkg" > /dev/null 2>&1 ||
		{ log "$pkg is not installed (run tools/testing/deps.sh)"; exit 1; }
	dpkg -L "$pkg" | grep -E "$re" | grep -Ev "$py_prune" | grep -Ev "$py_prune_so" |
		while read -r f; do
			if [ ! -f "$f" ] || [ -L "$f" ]; then
				continue
			fi
			mkdir -p "$root$(dirname "$f")"
			cp "$f" "$root$f"
			case "$f" in *.so) add_libs "$f" ;; esac
		done
}

add_python() {
	local src pkg
	add_deb_files python3.11-minimal '^/usr/bin/python3\.11$'
	add_libs /usr/bin/python3.11
	ln -s python3.11 "$root/usr/bin/python3"
	for pkg in libpython3.11-minimal libpython3.11-stdlib; do
		add_deb_files "$pkg" '^/usr/lib/python3\.11/'
	done
	for pkg in python3-yaml python3-jsonschema python3-attr python3-pyrsistent; do
		add_deb_files "$pkg" '^/usr/lib/python3/dist-packages/'
	done

	src=$(ynl_src)
	mkdir -p "$root/tcpk/ynl/lib" "$root/tcpk/spec"
	cp "$src/tools/net/ynl/cli.py" "$root/tcpk/ynl/"
	cp "$src"/tools/net/ynl/lib/*.py "$root/tcpk/ynl/lib/"
	cp -r "$src/Documentation/netlink" "$root/tcpk/netlink"
	# Our spec: where the tests look, and among the kernel's
	# specs, where cli.py finds the schema by itself (../<protocol>.yaml).
	if [ -f "$top/Documentation/netlink/specs/tcp_kernel.yaml" ]; then
		cp "$top/Documentation/netlink/specs/tcp_kernel.yaml" "$root/tcpk/spec/"
		ln -s ../../spec/tcp_kernel.yaml "$root/tcpk/netlink/specs/tcp_kernel.yaml"
	fi
}
# The demo and the benchmark need none of it.
[ "$mode" != test ] || add_python

cp "$top/tools/testing/lib/tap.sh" "$top/tools/testing/lib/events.sh" "$top/tools/testing/lib/fuzz.sh" "$root/tcpk/lib/"
cp "$here/demo.sh" "$root/tcpk/demo.sh"
cp "$here/bench.sh" "$root/tcpk/bench.sh"
# A test declares the kernels it is for with a "# tcpk-kernels: ..." line.
# TCPK_VM_TESTS="30-* 34-ynl-cli" picks tests by name (shell patterns)
# while one is being worked on.
for t in "$here"/tests/*.sh; do
	only=$(sed -n 's/^# tcpk-kernels: *//p' "$t")
	if [ -n "$only" ] && ! grep -qw -- "$kernel" <<<"$only"; then
		continue
	fi
	if [ -n "${TCPK_VM_TESTS:-}" ]; then
		pick=
		read -ra pats <<<"$TCPK_VM_TESTS"	# split, not globbed
		for pat in "${pats[@]}"; do
			# shellcheck disable=SC2254 # the pattern is meant to match
			case "$(basename "$t" .sh)" in $pat) pick=1 ;; esac
		done
		[ -n "$pick" ] || continue
	fi
	cp "$t" "$root/tcpk/tests/"
done
# stress-ng (58-stress), only when that test runs: with its libraries
# (libIPSec_MB alone is 12 MB) it would double the initramfs of every
# other guest.
if [ -e "$root/tcpk/tests/58-stress.sh" ]; then
	add_prog "$(command -v stress-ng || echo /usr/bin/stress-ng)"
fi
# Signed policy (59-signed, 99-lock): keyctl, and two throwaway signing
# keys made for this image only ("trusted", which the tests add to the
# module's keyring, and "other", which no keyring holds): self-signed
# RSA-2048 X.509 certificates in PEM and DER, and their PEM keys.
if [ -e "$root/tcpk/tests/59-signed.sh" ] || [ -e "$root/tcpk/tests/99-lock.sh" ]; then
	add_prog "$(command -v keyctl || echo /usr/bin/keyctl)"
	mkdir -p "$root/tcpk/keys"
	for k in trusted other; do
		if ! openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 7 \
			-subj "/CN=tcp_kernel test $k/" \
			-addext basicConstraints=critical,CA:FALSE \
			-addext keyUsage=digitalSignature \
			-keyout "$root/tcpk/keys/$k.key" \
			-out "$root/tcpk/keys/$k.pem" > /dev/null 2>&1 ||
			! openssl x509 -in "$root/tcpk/keys/$k.pem" -outform DER \
				-out "$root/tcpk/keys/$k.der"; then
			log "openssl cannot make the test key $k"
			exit 1
		fi
	done
fi

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$out/initramfs.cpio.gz"

# --- boot ------------------------------------------------------------------
cmdline="console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1"
# The debug kernel runs with 4-level paging: under -cpu max (LA57) its KASAN
# once reported an interrupt taken early in boot (before our module exists)
# as a wild access in do_raw_spin_lock, on a loaded host.  4-level paging
# is what KASAN is mostly tested with.
if [ "$kernel" = debug ]; then
	cmdline="$cmdline no5lvl"
fi
# Single-threaded TCG: the two vCPUs take turns on one host thread.  With
# multi-threaded TCG (QEMU's default) stock 6.12 guests died three times,
# on busy hosts, at a static-key site the kernel had just repatched with
# text_poke_bp() (an int3 left in syscall_exit_to_user_mode_prepare(),
# __schedule() and bprm_execve(), right after a tracepoint was toggled at
# module load or unload, none of the module's code on the stack): the
# cross-modifying-code race of MTTCG, which one translation thread cannot
# have.  The host has two cores and make check runs three guests, so one
# thread each costs little.
# --icount: one nanosecond of guest time per instruction, and no time
# passes while the guest is idle (sleep=off).
qicount=()
[ -z "$icount" ] || qicount=(-icount "shift=0,sleep=off")
log "booting $kimg ($mode${icount:+, icount}, timeout ${timeout}s)"
result=$out/result
: > "$result"
set +e
timeout --foreground -k 10 "$timeout" \
	qemu-system-x86_64 -accel tcg,thread=single "${qicount[@]}" -machine q35 -cpu max -smp 2 -m "$mem" \
	-display none -monitor none -nic none -no-reboot \
	-serial stdio -serial "file:$result" \
	-kernel "$kimg" -initrd "$out/initramfs.cpio.gz" \
	-append "$cmdline" \
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
if [ "$mode" = bench ]; then
	grep -q 'TCPK-BENCH-DONE rc=0' "$result" ||
		{ log "bench failed (see $out/console.log)"; exit 1; }
	exit 0
fi
if ! grep -q TCPK-GUEST-DONE "$result"; then
	log "the guest never reported completion (panic or crash: see $out/console.log)"
	echo "# TCPK-HOST guest did not report completion" >> "$out/console.log"
	exit 1
fi
python3 "$top/tools/testing/tap-summary.py" "$out/console.log"
