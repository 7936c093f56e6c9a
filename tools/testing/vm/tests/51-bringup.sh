#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - bring-up on a host, as tcp-kernel.service does it: one run of
# tcp-kernel-up (ExecStart) loads the module, the descriptor packs and the
# rule files from /etc and attaches every BPF program; a second run changes
# nothing; the policy it loaded is enforced.  Then what the udev rule
# makes of an rmmod and a modprobe by hand: the run after the new load
# (ExecReload, from the rule's reload-or-restart) attaches everything
# again and reloads /etc, and tcp-kernel-up --stop (ExecStop) detaches,
# also once the module is gone.  (systemd and udev are not in the guest:
# their unit and rule only run this script; tools/testing/dkms-test.sh
# checks the unit with systemd-analyze and the rule's match on the host.)
#
# Guest environment: root, busybox sh; tcp-kernel-up, tcp-policy and
# tcp-bpf in /tcpk/bin; the packs and rule files in /etc/tcp_kernel.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

SYSMOD=/sys/module/tcp_kernel

# programs FIELD: from tcp-bpf status's "programs:   N, N loaded, N
# attached" line, the total (1), the loaded (2) or the attached (3).
programs() {
	tcp-bpf status 2> /dev/null |
		sed -n 's/^programs: *\([0-9]*\), \([0-9]*\) loaded, \([0-9]*\) attached.*/\1 \2 \3/p' |
		awk -v f="$1" '{ print $f }'
}

# all_attached: every program of the object is loaded and attached, and
# the per-hook table agrees with the summary line.
all_attached() {
	_total=$(programs 1)
	_loaded=$(programs 2)
	_attached=$(programs 3)
	_rows=$(tcp-bpf status | awk '$3 == "yes"' | wc -l)
	echo "programs: total ${_total:-?}, loaded ${_loaded:-?}, attached ${_attached:-?}; $_rows rows attached"
	[ "${_total:-0}" -gt 0 ] && [ "$_loaded" -eq "$_total" ] &&
		[ "$_attached" -eq "$_total" ] && [ "$_rows" -eq "$_total" ]
}

none_loaded() {
	_loaded=$(programs 2)
	_attached=$(programs 3)
	echo "programs: loaded ${_loaded:-?}, attached ${_attached:-?}"
	[ "${_loaded:-1}" -eq 0 ] && [ "${_attached:-1}" -eq 0 ]
}

desc_count() {
	tcp-policy desc count 2>&1 | grep -o '[0-9][0-9]*' | head -n 1
}

rule_count() {
	tcp-policy list | tail -n +2 | grep -c .
}

[ ! -d "$SYSMOD" ] || tcp-bpf detach > /dev/null 2>&1
[ ! -d "$SYSMOD" ] || retry 10 rmmod tcp_kernel 2> /dev/null
tap_check "the module is not loaded before bring-up" test ! -d "$SYSMOD"

tap_check "tcp-kernel-up succeeds" sh -c 'tcp-kernel-up > /tmp/up.out 2>&1'
tap_diag "$(cat /tmp/up.out)"
tap_check "it loaded the module" test -d "$SYSMOD"
tap_check "... which is live" grep -qx live "$SYSMOD/initstate"
tap_check "at security_level 2 (the default of TCPK_MODPROBE_ARGS)" \
	grep -qx 2 "$SYSMOD/parameters/security_level"

# Descriptors: as many as the packs hold (lines that are not comments).
want_desc=$(cat /etc/tcp_kernel/descriptors.d/*.tcp | sed 's/#.*//' | grep -c '[^[:space:]]')
have_desc=$(desc_count)
tap_check "the descriptor packs are loaded ($have_desc of $want_desc)" \
	test "${have_desc:-0}" -eq "$want_desc"

# Rules: as many as the two rule files hold.
want_rules=$(cat /etc/tcp_kernel/agent.rules /etc/tcp_kernel/policy.rules |
	sed 's/^[[:space:]]*#.*//' | grep -c '[^[:space:]]')
have_rules=$(rule_count)
tap_check "the rule files are loaded as the policy ($have_rules of $want_rules rules)" \
	test "$have_rules" -eq "$want_rules"

tap_check "every BPF program is loaded and attached (tcp-bpf status's programs line)" all_attached
n_progs=$(programs 1)
tap_diag "$(tcp-bpf status 2>&1 | head -n 8)"

tap_check "a second run succeeds (idempotent)" sh -c 'tcp-kernel-up > /tmp/up2.out 2>&1'
tap_check "... and leaves the same $have_rules rules" test "$(rule_count)" -eq "$have_rules"
tap_check "... and the same $n_progs programs, all attached" all_attached

# The loaded policy is live: an agent cannot read /etc/shadow.
[ -e /etc/shadow ] || printf 'root:*:19000:0:99999:7:::\n' > /etc/shadow
mkdir -p /tmp/ws-up
expect_fail "an agent's read of /etc/shadow is refused by the policy tcp-kernel-up loaded" \
	"Permission denied" tcp-policy run --agent up --workspace /tmp/ws-up -- cat /etc/shadow

# rmmod while attached is refused: the programs hold the module (the udev
# rule's "remove" never fires, the unit stays active and true).
expect_fail "rmmod while the programs are attached is refused" \
	"in use|Resource temporarily unavailable|busy" rmmod tcp_kernel
tap_check "... and the module stays" test -d "$SYSMOD"

# By hand: detach, rmmod, modprobe.  The new load's udev "add" makes
# systemd run tcp-kernel-up again (a reload of the still-active unit, or
# a start): it must attach everything to the new module and load /etc
# into it, not find "already up" and stop.
tap_check "tcp-bpf detach" tcp-bpf detach
tap_check "rmmod tcp_kernel after detach" retry 10 rmmod tcp_kernel
tap_check "tcp-kernel-up --stop with the module gone (the rule's \"remove\": ExecStop) succeeds" \
	tcp-kernel-up --stop
tap_check "modprobe tcp_kernel by hand" modprobe tcp_kernel security_level=2
tap_check "... and the attached count is 0 before the rule's run" none_loaded
tap_check "the rule's run (tcp-kernel-up as ExecReload) succeeds" \
	sh -c 'tcp-kernel-up > /tmp/up3.out 2>&1'
tap_diag "$(cat /tmp/up3.out)"
if grep -q "loaded tcp_kernel" /tmp/up3.out; then
	tap_not_ok "it used the module that was loaded (no second modprobe)" "$(cat /tmp/up3.out)"
else
	tap_ok "it used the module that was loaded (no second modprobe)"
fi
tap_check "every BPF program is attached to the new module again ($n_progs)" all_attached
tap_check "... the descriptors are back ($want_desc)" test "$(desc_count)" -eq "$want_desc"
tap_check "... and so are the $want_rules rules" test "$(rule_count)" -eq "$want_rules"
expect_fail "... and enforced: an agent's read of /etc/shadow is refused again" \
	"Permission denied" tcp-policy run --agent up --workspace /tmp/ws-up -- cat /etc/shadow

# ExecStop: detach everything, leave the module loaded.
tap_check "tcp-kernel-up --stop (ExecStop) succeeds" tcp-kernel-up --stop
tap_check "... no program is loaded any more" none_loaded
tap_check "... the module stays loaded" test -d "$SYSMOD"

# Away from the tools (a DKMS install of the bring-up files), $PATH finds them.
mkdir -p /tmp/up-alone
cp "$(command -v tcp-kernel-up)" /tmp/up-alone/
tap_check "tcp-kernel-up away from the tools finds them in \$PATH" /tmp/up-alone/tcp-kernel-up --stop
expect_fail "... and names the one it cannot find" "tcp-bpf not found" \
	env PATH=/bin:/sbin:/usr/bin:/usr/sbin /tmp/up-alone/tcp-kernel-up --stop
expect_fail "tcp-kernel-up with a bad argument prints its usage" "usage: tcp-kernel-up" \
	tcp-kernel-up --bogus

tap_check "rmmod tcp_kernel after --stop" retry 10 rmmod tcp_kernel
tap_done
