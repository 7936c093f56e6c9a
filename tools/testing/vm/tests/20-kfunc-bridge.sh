#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the kfunc bridge, end to end in a guest: a BPF-LSM
# lsm/file_open program (ebpf/kfunc_probe.bpf.c, loaded by kfunc-probe)
# calls tcpk_kfunc_security_level() in the module, sees the level the
# administrator set, is counted by the module, and pins the module while it
# is attached; an lsm_cgroup program calling the same kfunc is refused
# where the module has its kfunc filter (6.12, debug) and loads where it
# has none (6.1).
#
# Guest environment: root, busybox sh; kfunc-probe and tcp-policy on PATH;
# "modprobe tcp_kernel" works; $TCPK_TESTLIB holds tap.sh; $TCPK_KERNEL is
# 6.1, 6.12 or debug.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
LEVEL_PARAM=$SYSMOD/parameters/security_level
LSM_LIST=/sys/kernel/security/lsm
OPENS=20

tmp=$(mktemp -d /tmp/20-kfunc-bridge.XXXXXX) || exit 1
hold_pid=
cleanup() {
	exec 3>&-
	[ -z "$hold_pid" ] || kill "$hold_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

# Unload the module if it is loaded; the program references it drops only
# after an RCU grace period and a work item, so allow a few seconds.
unload() {
	[ -d "$SYSMOD" ] || return 0
	retry 10 rmmod "$MOD" 2>/dev/null
}

# A fresh load: the counters below start from zero.
if ! unload; then
	tap_diag "$MOD was loaded and cannot be removed: counters may not start at 0"
fi

tap_check "modprobe $MOD security_level=2 loads the module" \
	modprobe "$MOD" security_level=2

level_is() {
	[ "$(cat "$LEVEL_PARAM" 2>&1)" = "$1" ]
}
tap_check "$LEVEL_PARAM reads 2 after load" level_is 2

lsm_has_bpf() {
	tr ',' '\n' <"$LSM_LIST" | grep -qx bpf || {
		echo "$LSM_LIST: $(cat "$LSM_LIST" 2>&1)"
		return 1
	}
}
tap_check "bpf is an active LSM in $LSM_LIST" lsm_has_bpf

tap_check "kfunc-probe --expect-level 2 $OPENS: lsm/file_open called tcpk_kfunc_security_level() on each of $OPENS opens and got 2" \
	kfunc-probe --expect-level 2 "$OPENS"

set_level() {
	echo "$1" >"$LEVEL_PARAM" && level_is "$1"
}
tap_check "security_level set to 3 at run time through $LEVEL_PARAM" \
	set_level 3

tap_check "kfunc-probe --expect-level 3 $OPENS: the program sees the new level 3 without reload of the module" \
	kfunc-probe --expect-level 3 "$OPENS"

# The module's kfunc_calls counter, from "tcp-policy -j status"
# ({"stats":{"kfunc_calls":N,...}}), else from the text output
# ("  kfunc_calls  N").  busybox has no jq: sed, tolerant of spacing.
status_kfunc_calls() {
	_out=$(tcp-policy -j status 2>&1)
	_n=$(printf '%s\n' "$_out" |
	     sed -n 's/.*"kfunc_calls"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p' |
	     head -n 1)
	if [ -z "$_n" ]; then
		_out="$_out
$(tcp-policy status 2>&1)"
		_n=$(printf '%s\n' "$_out" |
		     sed -n 's/^[[:space:]]*kfunc_calls[[:space:]:=]*\([0-9][0-9]*\)[[:space:]]*$/\1/p' |
		     head -n 1)
	fi
	[ -n "$_n" ] || {
		printf 'no kfunc_calls in tcp-policy output:\n%s\n' "$_out"
		return 1
	}
	echo "$_n"
}
kfunc_calls_at_least() {
	_calls=$(status_kfunc_calls) || { echo "$_calls"; return 1; }
	[ "$_calls" -ge "$1" ] || {
		echo "tcp-policy reports kfunc_calls=$_calls, expected >= $1"
		return 1
	}
}
tap_check "tcp-policy status reports stats kfunc_calls >= $((2 * OPENS)) after two probe runs" \
	kfunc_calls_at_least $((2 * OPENS))
tap_diag "module kfunc_calls: $(status_kfunc_calls 2>&1 | tail -n 1)"

# Hold a program that calls into the module attached; kfunc-probe keeps it
# attached until its stdin (a FIFO whose write end is our fd 3) closes.
mkfifo "$tmp/hold.fifo"
kfunc-probe --hold --expect-level 3 5 <"$tmp/hold.fifo" >"$tmp/hold.out" 2>&1 &
hold_pid=$!
exec 3>"$tmp/hold.fifo"

holding() {
	grep -q 'attached, holding' "$tmp/hold.out" 2>/dev/null
}
if retry 60 holding; then
	tap_ok "kfunc-probe --hold attached its lsm/file_open program"
else
	tap_not_ok "kfunc-probe --hold attached its lsm/file_open program" \
		"$(cat "$tmp/hold.out")"
fi

# busybox rmmod: "Resource temporarily unavailable" (EAGAIN); kmod's:
# "Module tcp_kernel is in use".
rmmod_refused() {
	if _out=$(rmmod "$MOD" 2>&1); then
		echo "rmmod succeeded"
		return 1
	fi
	echo "$_out"
	[ -d "$SYSMOD" ] || { echo "$SYSMOD is gone"; return 1; }
	printf '%s\n' "$_out" | grep -qiE 'temporarily unavailable|in use|busy'
}
if _why=$(rmmod_refused); then
	tap_ok "rmmod $MOD fails (in use) while a program calling its kfunc is attached"
	tap_diag "rmmod said: $_why (refcnt $(cat "$SYSMOD/refcnt" 2>/dev/null))"
else
	tap_not_ok "rmmod $MOD fails (in use) while a program calling its kfunc is attached" \
		"$_why"
fi
tap_check "tcp-policy status: 1 BPF program holds the module" \
	sh -c "tcp-policy status | grep -q '^bpf programs: *1 hold the module'"
tap_check "tcp-policy -j status: bpf_programs is 1" \
	sh -c "tcp-policy -j status | grep -Eq '\"bpf_programs\": *1([^0-9]|\$)'"

exec 3>&-
if wait "$hold_pid"; then
	tap_ok "kfunc-probe --hold detaches and exits 0 once stdin closes"
else
	tap_not_ok "kfunc-probe --hold detaches and exits 0 once stdin closes" \
		"$(cat "$tmp/hold.out")"
fi
hold_pid=

# The kfunc filter (lsm/kfuncs.c): built where the kernel's struct
# btf_kfunc_id_set has a .filter (6.12 and the debug kernel; not 6.1), it
# lets only BPF_LSM_MAC programs call the module, so an lsm_cgroup program
# (BPF_LSM_CGROUP) calling tcpk_kfunc_security_level() is refused by the
# verifier; without it the kernel lets any LSM program call a kfunc
# registered for BPF_PROG_TYPE_LSM, and the program loads.
# The kernel's side: its BTF names the filter's type, btf_kfunc_filter_t.
# The module's: its filter function is in /proc/kallsyms.  The two must
# agree; the module's side decides what to expect.
kernel_has_filter() {
	tr '\000' '\n' </sys/kernel/btf/vmlinux | grep -qx btf_kfunc_filter_t
}
module_has_filter() {
	grep -q "[[:space:]]tcpk_kfunc_filter[[:space:]]*\[$MOD\]" /proc/kallsyms
}
kfilter=no
mfilter=no
kernel_has_filter && kfilter=yes
module_has_filter && mfilter=yes
if [ "$kfilter" = "$mfilter" ]; then
	tap_ok "the module has a kfunc filter iff the kernel's btf_kfunc_id_set has .filter (both: $kfilter)"
else
	tap_not_ok "the module has a kfunc filter iff the kernel's btf_kfunc_id_set has .filter (both: $kfilter)" \
		"kernel BTF has btf_kfunc_filter_t: $kfilter; tcpk_kfunc_filter in /proc/kallsyms: $mfilter"
fi
# Agreement alone would pass if both probes failed: the pinned kernels
# are known, 6.12 and the debug kernel (6.12) have the filter, 6.1 not.
case "${TCPK_KERNEL:-}" in
6.1) want_filter=no ;;
*) want_filter=yes ;;
esac
tap_check "$(uname -r): the module's kfunc filter is $want_filter, as this kernel series has it" \
	test "$mfilter" = "$want_filter"

cgroup_out=$(kfunc-probe --try-cgroup 2>&1)
cgroup_rc=$?
tap_diag "kfunc-probe --try-cgroup (exit $cgroup_rc): $(printf '%s\n' "$cgroup_out" | grep '^lsm_cgroup:' || echo 'no outcome')"
if [ "$mfilter" = yes ]; then
	cgroup_desc="with the kfunc filter ($(uname -r)): an lsm_cgroup/socket_bind program calling tcpk_kfunc_security_level() is refused by the verifier (EACCES)"
	cgroup_want='^lsm_cgroup: refused by the verifier \(Permission denied\): calling kernel function tcpk_kfunc_security_level is not allowed$'
else
	cgroup_desc="without a kfunc filter ($(uname -r)): an lsm_cgroup/socket_bind program calling tcpk_kfunc_security_level() loads"
	cgroup_want='^lsm_cgroup: loaded$'
fi
if [ "$cgroup_rc" -eq 0 ] && printf '%s\n' "$cgroup_out" | grep -Eq "$cgroup_want"; then
	tap_ok "$cgroup_desc"
else
	tap_not_ok "$cgroup_desc" "$(printf '%s\n' "exit $cgroup_rc" "$cgroup_out" | tail -n 40)"
fi

rmmod_ok() {
	retry 10 rmmod "$MOD" && [ ! -d "$SYSMOD" ]
}
tap_check "rmmod $MOD succeeds once the program is detached" rmmod_ok

tap_done
