#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - hostile generic-netlink input to every command: genl-fuzz -P
# (tools/testing/progs/genl-fuzz.c) reads the family's operations and
# attribute policies from the kernel's own policy dump (CTRL_CMD_GETPOLICY)
# and, from a fixed seed, sends each command (do and dump) requests that
# are well shaped (random attributes of the right types and ranges, nests
# filled from their policies), wrong in exactly one attribute (an integer
# of the wrong size or out of range, a string without its NUL or over its
# length, a nest without NLA_F_NESTED, with half an attribute or an
# unknown type inside, an attribute type past the family's last, anywhere
# in the nesting), replayed, or cut short inside their attributes.
# Checked: every request is answered (no hang); each one-attribute-wrong
# request is refused with an extended ack; every refusal of any request
# carries one (a message, a missing attribute or an offset); the module
# still answers and unloads afterwards; no splat, and on the debug kernel
# kmemleak finds no leak.  The BPF side is not attached: well-shaped
# requests may change rules, modes and agents, and nothing here may be
# refused by them.  The lock command (uapi 10) is fuzzed too but cannot
# lock the module: it needs lock-confirm equal to TCPK_LOCK_CONFIRM, which
# a random u32 matches once in 2^32; a lock would fail the unload check.
#
# TCPK_FUZZ_OPS_ITERATIONS sets the budget (10000; longer on demand),
# TCPK_FUZZ_SEED the seed.
#
# Guest environment: root, busybox sh; genl-fuzz and tcp-policy on PATH.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"
# shellcheck source=SCRIPTDIR/../../lib/fuzz.sh
. "$TCPK_TESTLIB/fuzz.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
SEED=${TCPK_FUZZ_SEED:-20261207}
ITERATIONS=${TCPK_FUZZ_OPS_ITERATIONS:-10000}

tmp=$(mktemp -d /tmp/57-genl-fuzz-ops.XXXXXX) || exit 1
cleanup() {
	unload_module
	rm -rf "$tmp"
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r)); seed $SEED, $ITERATIONS requests"

if [ -d "$SYSMOD" ]; then
	tcp-bpf detach > /dev/null 2>&1
	rmmod "$MOD" 2>/dev/null
fi
tap_check "modprobe $MOD security_level=2, no BPF program attached" \
	modprobe "$MOD" security_level=2

kmemleak_start
fuzz_log_start
start=$(cut -d' ' -f1 /proc/uptime)
genl-fuzz -P -s "$SEED" -n "$ITERATIONS" > "$tmp/out" 2> "$tmp/err"
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
tap_diag "genl-fuzz -P exited $rc after $(awk "BEGIN { print $end - $start }") s (guest time)"
[ -s "$tmp/err" ] && tap_diag "stderr: $(cat "$tmp/err")"
fuzz_report "$tmp/out"
tap_check "genl-fuzz -P ran to the end and reported (exit $rc, $results results)" \
	test "$rc" -le 1 -a "$results" -ge 6

# The module after the storm.
tap_check "tcp-policy status still answers" tcp-policy status
tap_check "tcp-policy flush still works" tcp-policy flush
fuzz_log_check "the fuzzing"
tap_check "rmmod $MOD after the fuzzing" rmmod "$MOD"
kmemleak_check "after the fuzzing and the unload"

tap_done
