#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - load, parameters, GET_STATUS over netlink, privilege, unload.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

P=/sys/module/tcp_kernel/parameters

rmmod tcp_kernel 2>/dev/null

tap_check "modprobe refuses security_level=4" sh -c '! modprobe tcp_kernel security_level=4'
tap_check "nothing left after the refused load" sh -c '! test -d /sys/module/tcp_kernel'
tap_check "modprobe tcp_kernel security_level=2" modprobe tcp_kernel security_level=2

for p in security_level enable_ebpf enable_lsm enable_intel_pt enable_cet enable_perf; do
	tap_check "parameter $p is visible" test -r "$P/$p"
done
tap_check "security_level reads 2" grep -qx 2 "$P/security_level"
tap_check "enable_* default to Y" sh -c "grep -qx Y $P/enable_ebpf && grep -qx Y $P/enable_lsm && grep -qx Y $P/enable_intel_pt && grep -qx Y $P/enable_cet && grep -qx Y $P/enable_perf"
tap_check "security_level is 0644, enable_* are 0444" sh -c "
	[ \$(stat -c %a $P/security_level) = 644 ] &&
	[ \$(stat -c %a $P/enable_ebpf) = 444 ] && [ \$(stat -c %a $P/enable_cet) = 444 ]"

tap_check "security_level changes at run time (3)" sh -c "echo 3 > $P/security_level && grep -qx 3 $P/security_level"
err=$(sh -c "echo 7 > $P/security_level" 2>&1)
case "$err" in
*"Invalid argument"*) tap_ok "out-of-range security_level=7 refused with EINVAL" ;;
*) tap_not_ok "out-of-range security_level=7 refused with EINVAL" "got: '$err'" ;;
esac
tap_check "refused write leaves the level at 3" grep -qx 3 "$P/security_level"
tap_check "non-numeric security_level refused" sh -c "! echo high > $P/security_level"
echo 2 > "$P/security_level"

tap_check "tcp-policy status succeeds" sh -c 'tcp-policy status > /tmp/status.txt'
sed 's/^/# /' /tmp/status.txt
tap_check "status shows security level 2 (enforce)" grep -q 'security level: 2 (enforce)' /tmp/status.txt
tap_check "status shows the module version" grep -q "module version: $(cat /sys/module/tcp_kernel/version)" /tmp/status.txt
tap_check "status shows the running kernel release" grep -q "kernel release: $(uname -r)" /tmp/status.txt
for p in ebpf lsm intel_pt cet perf; do
	tap_check "status lists part $p" grep -q "^  $p " /tmp/status.txt
done

tap_check "tcp-policy -j status succeeds" sh -c 'tcp-policy -j status > /tmp/status.json'
tap_check "JSON reports level 2" grep -q '"security_level": *2' /tmp/status.json
mod_uapi=$(sed -n 's/.*"uapi_version": *\([0-9]*\).*/\1/p' /tmp/status.json)
tool_uapi=$(sed -n 's/.*"tool_uapi_version": *\([0-9]*\).*/\1/p' /tmp/status.json)
tap_check "JSON reports the module's uapi version, the one the tool was built with ($tool_uapi)" \
	test -n "$mod_uapi" -a "$mod_uapi" = "$tool_uapi"
tap_check "JSON reports the kfunc bridge available" grep -q '"name": *"ebpf", *"enabled": *true, *"available": *true' /tmp/status.json
tap_check "JSON reports the bpf LSM active" grep -q '"bpf_lsm_active": *true' /tmp/status.json
tap_check "status says no BPF program holds the module: the hooks are not enforced" \
	grep -q '^bpf programs: *none: the hooks are not enforced (tcp-bpf attach)' /tmp/status.txt
tap_check "JSON reports 0 BPF programs" grep -Eq '"bpf_programs": *0([^0-9]|$)' /tmp/status.json
tap_check "the module says at load that the hooks wait for tcp-bpf attach" \
	sh -c "dmesg | grep -q 'tcp_kernel: the hooks are enforced once the BPF-LSM programs are attached (tcp-bpf attach)'"
tap_check "JSON counts netlink requests" grep -q '"genl_requests": *[1-9]' /tmp/status.json

# As an unprivileged user: status is readable, the level is not writable.
uid=$(as_nobody id -u)
tap_check "tests can run commands as uid 65534" test "$uid" = 65534
tap_check "unprivileged user reads status" as_nobody tcp-policy status
err=$(as_nobody sh -c "echo 0 > $P/security_level" 2>&1)
case "$err" in
*"Permission denied"*) tap_ok "unprivileged user cannot change security_level (EACCES)" ;;
*) tap_not_ok "unprivileged user cannot change security_level (EACCES)" "got: '$err'" ;;
esac
tap_check "security_level still 2" grep -qx 2 "$P/security_level"
err=$(as_nobody rmmod tcp_kernel 2>&1)
case "$err" in
*"Operation not permitted"*) tap_ok "unprivileged user cannot unload the module (EPERM)" ;;
*) tap_not_ok "unprivileged user cannot unload the module (EPERM)" "got: '$err'" ;;
esac

tap_check "rmmod tcp_kernel" rmmod tcp_kernel
tap_check "module gone after rmmod" sh -c '! test -d /sys/module/tcp_kernel'
err=$(tcp-policy status 2>&1)
case "$err" in
*"not loaded"*) tap_ok "tcp-policy status says the module is not loaded" ;;
*) tap_not_ok "tcp-policy status says the module is not loaded" "got: $err" ;;
esac

tap_check "load with enable_ebpf=0 works" modprobe tcp_kernel enable_ebpf=0
tap_check "status reports ebpf disabled and why" sh -c "tcp-policy status | grep -q 'disabled by enable_ebpf=0'"
rmmod tcp_kernel

tap_done
