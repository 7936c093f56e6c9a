#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - PID 1 of the test VM (busybox sh).
#
# Mounts what the tests need, runs every test in /tcpk/tests in order (or
# the demo, or the benchmark), checks the kernel log for splats, then writes the verdict on
# the second serial port (ttyS1), a channel that only this script writes:
# a panic, an oops or a hang can never produce it, so it can never read
# as a pass.  Finally powers off.

/bin/busybox --install -s /bin
export PATH=/tcpk/bin:/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root TCPK_TESTLIB=/tcpk/lib TCPK_TESTDIR=/tcpk/tests

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /tmp /run /root
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
chmod 1777 /tmp
hostname tcpk-vm
ip link set lo up

# shellcheck disable=SC1091
. /tcpk/env
export TCPK_KERNEL TCPK_MODE
[ -z "${TCPK_FUZZ_SEED:-}" ] || export TCPK_FUZZ_SEED
[ -z "${TCPK_FUZZ_ITERATIONS:-}" ] || export TCPK_FUZZ_ITERATIONS
[ -z "${TCPK_FUZZ_OPS_ITERATIONS:-}" ] || export TCPK_FUZZ_OPS_ITERATIONS
[ -z "${TCPK_BENCH_ROUNDS:-}" ] || export TCPK_BENCH_ROUNDS
[ -z "${TCPK_BENCH_MS:-}" ] || export TCPK_BENCH_MS
[ -z "${TCPK_BENCH_PROCS:-}" ] || export TCPK_BENCH_PROCS
[ -z "${TCPK_STRESS_SECONDS:-}" ] || export TCPK_STRESS_SECONDS

# Guest seconds from boot to here: the cost of unpacking the initramfs.
echo "tcpk: kernel $(uname -r) ($TCPK_KERNEL), mode $TCPK_MODE, up $(cut -d' ' -f1 /proc/uptime) s"

splat_re='BUG:|WARNING:|KASAN|UBSAN|possible circular locking|possible recursive locking|suspicious RCU usage|inconsistent lock state|sleeping function called from invalid context|Oops|general protection fault|Call Trace:|unreferenced object|rcu: INFO|rcu_sched self-detected stall|rcu_preempt self-detected stall|detected stalls on CPUs|hung task|blocked for more than'

if [ "$TCPK_MODE" = demo ]; then
	sh /tcpk/demo.sh
	rc=$?
	echo "TCPK-DEMO-DONE rc=$rc" > /dev/ttyS1
	poweroff -f
fi

# make bench: the measurements instead of the tests, then the kernel log's
# splats (a bench whose kernel warned is not to be trusted).
if [ "$TCPK_MODE" = bench ]; then
	sh /tcpk/bench.sh
	rc=$?
	if dmesg | grep -E "$splat_re" > /tmp/splats; then
		echo "bench: the kernel log has a splat:"
		head -n 60 /tmp/splats
		rc=1
	fi
	echo "TCPK-BENCH-DONE rc=$rc" > /dev/ttyS1
	poweroff -f
fi

uptime_s() { cut -d' ' -f1 /proc/uptime; }

for t in /tcpk/tests/*.sh; do
	name=$(basename "$t" .sh)
	echo "# TCPK-TEST-BEGIN $name"
	t0=$(uptime_s)
	sh "$t"
	rc=$?
	# guest seconds after the status: tap-summary.py reads "rc=N" only
	echo "# TCPK-TEST-END $name rc=$rc ($(awk "BEGIN { printf \"%.1f\", $(uptime_s) - $t0 }") s)"
done

# The kernel log of the whole run must be free of splats: KASAN, lockdep,
# RCU (and RCU stall) and sleep-in-atomic reports, hung tasks, warnings
# and oopses all fail the run.
echo "# TCPK-TEST-BEGIN kernel-log"
if dmesg | grep -E "$splat_re" > /tmp/splats; then
	echo "not ok 1 - kernel log of the run has no splat"
	sed 's/^/# /' /tmp/splats | head -n 60
else
	echo "ok 1 - kernel log of the run has no splat"
fi
echo "1..1"
echo "# TCPK-TEST-END kernel-log rc=0"

echo "TCPK-GUEST-DONE" > /dev/ttyS1
sync
poweroff -f
