#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - hostile generic-netlink input, without the CLI: genl-fuzz
# (tools/testing/progs/genl-fuzz.c) sends requests that are each wrong in
# one known way (random, truncated and mistyped attributes, garbage
# nests, corrupted descriptors in batches of 1 to 4096, bad bindings,
# short and zero-length messages, unknown commands, a batch over the
# database's limit) from a fixed seed and checks every answer: refused
# with an error and the extended-ack message the kind of input calls for,
# naming the field and batch index where a descriptor is at fault.  After
# it, nothing may have been applied, the module must still answer and
# the kernel log must hold no splat (init.sh checks the whole run again
# at the end).
#
# Guest environment: root, busybox sh; genl-fuzz and tcp-policy on PATH.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"
# shellcheck source=SCRIPTDIR/../../lib/fuzz.sh
. "$TCPK_TESTLIB/fuzz.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
SEED=${TCPK_FUZZ_SEED:-20240521}
ITERATIONS=${TCPK_FUZZ_ITERATIONS:-3000}
# The over-limit batch is one message of limit + 1 descriptors: keep it small.
FUZZ_LIMIT=1000

tmp=$(mktemp -d /tmp/32-desc-fuzz.XXXXXX) || exit 1
old_limit=
cleanup() {
	[ -z "$old_limit" ] || echo "$old_limit" > "$SYSMOD/parameters/max_descriptors" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r)); seed $SEED, $ITERATIONS requests"

[ -d "$SYSMOD" ] || modprobe "$MOD"
tap_check "$MOD is loaded" test -d "$SYSMOD"

fuzz_log_start
start=$(cut -d' ' -f1 /proc/uptime)
genl-fuzz -s "$SEED" -n "$ITERATIONS" > "$tmp/out" 2> "$tmp/err"
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
tap_diag "genl-fuzz exited $rc after $(awk "BEGIN { print $end - $start }") s (guest time)"
[ -s "$tmp/err" ] && tap_diag "stderr: $(cat "$tmp/err")"
fuzz_report "$tmp/out"
tap_check "genl-fuzz ran to the end and reported (exit $rc, $results results)" \
	test "$rc" -le 1 -a "$results" -gt 2

# A batch one over the limit, refused whole.
if [ -w "$SYSMOD/parameters/max_descriptors" ]; then
	old_limit=$(cat "$SYSMOD/parameters/max_descriptors")
	tap_check "max_descriptors lowered to $FUZZ_LIMIT for the over-limit batch" \
		sh -c "echo $FUZZ_LIMIT > $SYSMOD/parameters/max_descriptors"
	results=0
	genl-fuzz -L > "$tmp/out.limit" 2>&1
	rc=$?
	fuzz_report "$tmp/out.limit"
	tap_check "genl-fuzz -L ran and reported (exit $rc, $results results)" \
		test "$rc" -le 1 -a "$results" -ge 2
	echo "$old_limit" > "$SYSMOD/parameters/max_descriptors"
	tap_check "max_descriptors restored to $old_limit" grep -qx "$old_limit" "$SYSMOD/parameters/max_descriptors"
	old_limit=
else
	tap_not_ok "max_descriptors is a writable module parameter" "$(ls -l "$SYSMOD/parameters/" 2>&1)"
fi

# The module after the storm.
tap_check "tcp-policy status still answers" tcp-policy status
tap_check "the database is empty: tcp-policy desc count reports 0" \
	sh -c 'tcp-policy -j desc count | grep -q "\"count\": *0[,}]"'

fuzz_log_check "the fuzzing"

tap_check "rmmod $MOD after the fuzzing" rmmod "$MOD"

tap_done
