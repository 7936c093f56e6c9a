#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - bring-up on a host, as tcp-kernel.service does it: one run of
# tcp-kernel-up loads the module, the descriptor packs and the rule files
# from /etc and attaches the BPF side; a second run changes nothing; and
# the policy it loaded is enforced.  (systemd and udev are not in the
# guest: their unit and rule only start this script.)
#
# Guest environment: root, busybox sh; tcp-kernel-up, tcp-policy and
# tcp-bpf in /tcpk/bin; the packs and rule files in /etc/tcp_kernel.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

SYSMOD=/sys/module/tcp_kernel

[ ! -d "$SYSMOD" ] || tcp-bpf detach > /dev/null 2>&1
[ ! -d "$SYSMOD" ] || retry 10 rmmod tcp_kernel 2> /dev/null
tap_check "the module is not loaded before bring-up" test ! -d "$SYSMOD"

tap_check "tcp-kernel-up succeeds" sh -c 'tcp-kernel-up > /tmp/up.out 2>&1'
tap_diag "$(cat /tmp/up.out)"
tap_check "it loaded the module" test -d "$SYSMOD"
tap_check "at security_level 2 (the default of TCPK_MODPROBE_ARGS)" \
	grep -qx 2 "$SYSMOD/parameters/security_level"

# Descriptors: as many as the packs hold (lines that are not comments).
want_desc=$(cat /etc/tcp_kernel/descriptors.d/*.tcp | sed 's/#.*//' | grep -c '[^[:space:]]')
have_desc=$(tcp-policy desc count 2>&1 | grep -o '[0-9][0-9]*' | head -n 1)
tap_check "the descriptor packs are loaded ($have_desc of $want_desc)" \
	test "${have_desc:-0}" -eq "$want_desc"

# Rules: as many as the two rule files hold.
want_rules=$(cat /etc/tcp_kernel/agent.rules /etc/tcp_kernel/policy.rules |
	sed 's/^[[:space:]]*#.*//' | grep -c '[^[:space:]]')
have_rules=$(tcp-policy list | tail -n +2 | grep -c .)
tap_check "the rule files are loaded as the policy ($have_rules of $want_rules rules)" \
	test "$have_rules" -eq "$want_rules"

n_attached=$(tcp-bpf status | awk '$3 == "yes"' | wc -l)
tap_check "every BPF program is attached ($n_attached)" test "$n_attached" -ge 19
tap_diag "$(tcp-bpf status 2>&1 | head -n 8)"

tap_check "a second run succeeds (idempotent)" sh -c 'tcp-kernel-up > /tmp/up2.out 2>&1'
have_rules2=$(tcp-policy list | tail -n +2 | grep -c .)
tap_check "... and leaves the same $have_rules rules" test "$have_rules2" -eq "$have_rules"

# The loaded policy is live: an agent cannot read /etc/shadow.
[ -e /etc/shadow ] || printf 'root:*:19000:0:99999:7:::\n' > /etc/shadow
mkdir -p /tmp/ws-up
expect_fail "an agent's read of /etc/shadow is refused by the policy tcp-kernel-up loaded" \
	"Permission denied" tcp-policy run --agent up --workspace /tmp/ws-up -- cat /etc/shadow

tap_check "tcp-bpf detach" tcp-bpf detach
tap_check "rmmod tcp_kernel after detach" retry 10 rmmod tcp_kernel
tap_done
