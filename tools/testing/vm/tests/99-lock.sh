#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - tcp-policy lock: an unprivileged user can neither lock nor
# change the policy; root locks the module, after which it cannot be
# unloaded and every loosening change is refused with EPERM and the
# message "tcp_kernel is locked: ... would loosen the policy" (netlink)
# or EPERM (sysfs), while tightening changes still work.  The BPF side
# stays attached: tcp-bpf detach fails with "tcp_kernel is locked: detach
# refused until reboot", and the kernel refuses root's unpinning (rm, mv,
# rmdir), unmounting of the bpffs (umount, umount -l), BPF_LINK_DETACH and
# BPF_LINK_UPDATE of our links (EPERM); a deny rule still refuses after.
#
# MUST RUN LAST in its guest: the lock lasts until reboot and pins the
# module, so no later test could reload it.  Hence the name 99-, which
# sorts after every other test (init.sh runs them in glob order); the
# debug kernel's shard 2 ("[6-9]*" in tools/testing/check.sh) picks it.
#
# Guest environment: root, busybox sh (su for as_nobody); tcp-policy,
# tcp-bpf and tcpk-link on PATH; python3; keyctl and the throwaway keys in
# /tcpk/keys (run.sh).

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
LOCKED='tcp_kernel is locked: .* would loosen the policy'
PINS=/sys/fs/bpf/tcp_kernel
SECRET=/tmp/tcpk99-secret

tmp=$(mktemp -d /tmp/99-lock.XXXXXX) || exit 1
chmod 755 "$tmp"
mon=
trap '[ -n "$mon" ] && kill "$mon" 2>/dev/null; rm -rf "$tmp" "$SECRET"' EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

# locked_is true|false: tcp-policy -j status reports locked as that.
locked_is() {
	case "$1" in
	true) _py=True ;;
	*) _py=False ;;
	esac
	tcp-policy -j status > "$tmp/st.json" &&
		expect_json "$tmp/st.json" "d['locked'] is $_py"
}

level_is() {
	test "$(cat "$SYSMOD/parameters/security_level")" = "$1"
}

refs_are() {
	test "$(cat "$SYSMOD/refcnt")" -eq "$1"
}

rules() {
	tcp-policy -j mode | python3 -c 'import json, sys; print(json.load(sys.stdin)["rules"])'
}

# eperm_locked DESC CMD...: root's CMD fails with the lock's message.
eperm_locked() {
	_d=$1
	shift
	expect_fail "locked: $_d is refused (EPERM, lock message)" "$LOCKED" "$@"
}

# sysfs_eperm PARAM VALUE: writing VALUE to the parameter fails with
# EPERM and leaves it as it was.
sysfs_eperm() {
	_p=$SYSMOD/parameters/$1
	_v0=$(cat "$_p")
	if _o=$(sh -c "echo $2 > $_p" 2>&1); then
		tap_not_ok "locked: echo $2 > $1 is refused" "succeeded"
	else
		case "$_o" in
		*"not permitted"*) tap_ok "locked: echo $2 > $1 is refused with EPERM" ;;
		*) tap_not_ok "locked: echo $2 > $1 is refused with EPERM" "got: $_o" ;;
		esac
	fi
	tap_check "locked: $1 is still $_v0" test "$(cat "$_p")" = "$_v0"
}

# --- before the lock ----------------------------------------------------------
[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
tap_check "modprobe $MOD" modprobe "$MOD"
tap_check "mode enforce (level 2, alerts, every operation blocking)" \
	tcp-policy mode enforce
tap_check "root adds a deny rule (priority 100) and a kill rule (priority 200)" \
	sh -c 'tcp-policy add --priority=100 --match-comm=tcpk99-a --action=deny > '"$tmp"'/id1 &&
		tcp-policy add --priority=200 --match-comm=tcpk99-b --action=kill > '"$tmp"'/id2'
id1=$(cat "$tmp/id1")
tap_check "root adds descriptor tcpk99-d" tcp-policy desc add tcpk99-d DESTRUCTIVE 1 1 1
tap_check "status: not locked (JSON locked false)" locked_is false
tap_check "root adds the throwaway certificate to .tcp_kernel" \
	tcp-policy key add /tcpk/keys/trusted.der

# Without the guard programs a lock could not keep the BPF side attached:
# tcp-policy lock refuses, naming the five missing.
NOGUARD='guard programs are not attached .*inode_unlink,inode_rmdir,inode_rename,sb_umount,bpf'
expect_fail "before tcp-bpf attach: lock is refused (no guard program attached)" \
	"$NOGUARD" tcp-policy lock
tap_check "... and the module is not locked" locked_is false

# The BPF side: every LSM program, and the XDP flow monitor on lo; a deny
# rule for the open of $SECRET, which the LSM programs enforce.
echo secret > "$SECRET"
tap_check "tcp-bpf attach (every LSM program)" tcp-bpf attach
tap_check "tcp-bpf attach --xdp=lo (the XDP flow monitor)" tcp-bpf attach --xdp=lo
tap_check "root adds a deny rule for the open of $SECRET (priority 300)" \
	tcp-policy add --priority=300 --match-op=open --match-path="$SECRET" --action=deny
expect_fail "unlocked: cat $SECRET is refused by the deny rule" \
	"Permission denied" cat "$SECRET"
nprogs=$(tcp-bpf -j status | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')
tap_diag "$nprogs LSM programs"
# all_attached WHEN: tcp-bpf -j status says every LSM program is attached,
# and the XDP link's pin is there.
all_attached() {
	tcp-bpf -j status > "$tmp/bpf.json" 2>&1 &&
		expect_json "$tmp/bpf.json" "d['total'] == $nprogs and d['attached'] == $nprogs" &&
		test -e "$PINS/xdp/link:lo"
}
tap_check "unlocked: every LSM program ($nprogs) and the XDP link attached" all_attached
# A tracing link cannot be detached by BPF_LINK_DETACH (EOPNOTSUPP): the
# EPERM after the lock is the lock's.
expect_fail "unlocked: BPF_LINK_DETACH of the file_open link: EOPNOTSUPP" \
	"EOPNOTSUPP" tcpk-link detach "$PINS/links/file_open"
# A link that is not ours: an XDP program of tcpk-link's own on a veth.
modprobe veth 2>/dev/null
tap_check "ip link add tcpk99a type veth peer name tcpk99b" \
	sh -c '/tcpk/bin/ip link add tcpk99a type veth peer name tcpk99b &&
		/tcpk/bin/ip link set tcpk99a up'
tap_check "unlocked: BPF_LINK_DETACH of another program's XDP link works" \
	tcpk-link other tcpk99a

tap_check "the test runs as uid 65534" test "$(as_nobody id -u)" = 65534
expect_fail "uid 65534: lock is refused with EPERM" "Operation not permitted" \
	as_nobody tcp-policy lock
expect_fail "uid 65534: mode off is refused with EPERM" "Operation not permitted" \
	as_nobody tcp-policy mode off
expect_fail "uid 65534: rule add is refused with EPERM" "Operation not permitted" \
	as_nobody tcp-policy add --match-uid=1 --action=deny
tap_check "after uid 65534's attempts: still not locked" locked_is false
tap_check "after uid 65534's attempts: level still 2" level_is 2

# --- the lock -----------------------------------------------------------------
# Without one guard program the lock is refused; --force locks all the
# same, and the guard attached after the lock keeps the bpffs mounted
# (the umount checks below).
tap_check "tcp-bpf detach --hooks=sb_umount (one guard program)" \
	tcp-bpf detach --hooks=sb_umount
expect_fail "without the sb_umount guard: lock is refused, naming it" \
	"guard programs are not attached .*for sb_umount\)" tcp-policy lock
tap_check "... and the module is not locked" locked_is false
tcp-policy monitor -j > "$tmp/events.json" 2> "$tmp/monitor.err" &
mon=$!
wait_grep listening "$tmp/monitor.err"
refs0=$(cat "$SYSMOD/refcnt")
tap_check "root: tcp-policy lock --force (without the sb_umount guard)" \
	tcp-policy lock --force
tap_check "status -j: locked true" locked_is true
tap_check "status: locked: yes" sh -c 'tcp-policy status | grep -q "^locked: *yes"'
tap_check "the lock holds one more module reference ($refs0 before)" \
	refs_are $((refs0 + 1))
tap_check "kernel log: locked until reboot by this uid 0" \
	sh -c 'dmesg | grep -q "tcp_kernel: locked until reboot by pid [0-9]* (tcp-policy), uid 0"'
tap_check "a lock event names the locker (pid, uid 0, comm tcp-policy)" \
	wait_grep '"type": *"lock"' "$tmp/events.json"
tap_diag "$(grep '"lock"' "$tmp/events.json" | head -n 1)"
kill "$mon" 2>/dev/null
mon=
tap_check "locked: tcp-bpf attach --hooks=sb_umount (adding enforcement works)" \
	tcp-bpf attach --hooks=sb_umount
tap_check "lock again (every guard attached) succeeds" tcp-policy lock
tap_check "lock again takes no other reference" refs_are $((refs0 + 1))
expect_fail "uid 65534: lock is still refused with EPERM" "Operation not permitted" \
	as_nobody tcp-policy lock

# --- no unload ----------------------------------------------------------------
expect_fail "rmmod $MOD fails" "in use|Resource temporarily unavailable|busy" \
	rmmod "$MOD"
tap_check "the module is still loaded" test -d "$SYSMOD"

# --- no detach ----------------------------------------------------------------
DETACH='tcp_kernel is locked: detach refused until reboot'
NOPERM='not permitted'
expect_fail "locked: tcp-bpf detach fails with the lock's message" "$DETACH" \
	tcp-bpf detach
expect_fail "locked: tcp-bpf detach --hooks=file_open fails likewise" "$DETACH" \
	tcp-bpf detach --hooks=file_open
expect_fail "locked: tcp-bpf detach --xdp fails likewise" "$DETACH" \
	tcp-bpf detach --xdp
tap_check "after tcp-bpf detach: every program and the XDP link still attached" \
	all_attached
expect_fail "locked: rm of the file_open link's pin: EPERM" "$NOPERM" \
	rm "$PINS/links/file_open"
expect_fail "locked: rm of the file_open program's pin: EPERM" "$NOPERM" \
	rm "$PINS/progs/file_open"
expect_fail "locked: rm of the XDP link's pin: EPERM" "$NOPERM" \
	rm "$PINS/xdp/link:lo"
expect_fail "locked: rm -rf of the pin directory: EPERM" "$NOPERM" \
	rm -rf "$PINS"
expect_fail "locked: rmdir of the links directory: EPERM" "$NOPERM" \
	rmdir "$PINS/links"
expect_fail "locked: mv of the pin directory: EPERM" "$NOPERM" \
	mv "$PINS" /sys/fs/bpf/moved
expect_fail "locked: mv of the file_open link's pin out: EPERM" "$NOPERM" \
	mv "$PINS/links/file_open" /sys/fs/bpf/file_open
tap_check "mkdir /sys/fs/bpf/other (outside the pin directory)" mkdir -p /sys/fs/bpf/other
expect_fail "locked: umount /sys/fs/bpf: EPERM" "$NOPERM" umount /sys/fs/bpf
expect_fail "locked: umount -l /sys/fs/bpf: EPERM" "$NOPERM" umount -l /sys/fs/bpf
tap_check "/sys/fs/bpf is still a bpffs" \
	sh -c 'grep -q " /sys/fs/bpf bpf " /proc/mounts'
expect_fail "locked: BPF_LINK_DETACH of the file_open link: EPERM" "EPERM" \
	tcpk-link detach "$PINS/links/file_open"
expect_fail "locked: BPF_LINK_DETACH of the XDP link: EPERM" "EPERM" \
	tcpk-link detach "$PINS/xdp/link:lo"
expect_fail "locked: BPF_LINK_UPDATE of the XDP link: EPERM" "EPERM" \
	tcpk-link update "$PINS/xdp/link:lo" "$PINS/xdp/prog"
# The bpf hook cannot know which link the system call will act on (it
# looks the descriptor up again), so every link's detach is refused.
expect_fail "locked: BPF_LINK_DETACH of another program's XDP link: EPERM too" \
	"EPERM" tcpk-link other tcpk99a
tap_check "after every attempt: every program and the XDP link still attached" \
	all_attached
tap_check "after every attempt: the pins are all there" \
	test -e "$PINS/links/file_open" -a -e "$PINS/progs/file_open"
expect_fail "locked: cat $SECRET is still refused by the deny rule" \
	"Permission denied" cat "$SECRET"
tap_check "kernel log: the refusals are logged" \
	sh -c 'dmesg | grep -q "tcp_kernel is locked: unpinning refused until reboot"'
tap_check "a bpffs entry outside the pin directory can still be removed" \
	rmdir /sys/fs/bpf/other

# --- loosening: refused ---------------------------------------------------------
eperm_locked "mode monitor (lower level)" tcp-policy mode monitor
eperm_locked "mode off" tcp-policy mode off
eperm_locked "mode blocking --ops=exec (fewer block_ops)" \
	tcp-policy mode blocking --ops=exec
tap_check "level still 2" level_is 2
sysfs_eperm security_level 1
sysfs_eperm security_level 0
sysfs_eperm alerts 0
sysfs_eperm block_ops 0x1
sysfs_eperm max_violations 1000
sysfs_eperm quarantine_score 1000
n=$(rules)
eperm_locked "rule del $id1" tcp-policy del "$id1"
eperm_locked "rule flush" tcp-policy flush
printf -- '--match-comm=tcpk99-z --action=deny\n' > "$tmp/one.rules"
eperm_locked "rule load (replace)" tcp-policy load "$tmp/one.rules"
eperm_locked "rule add of an allow rule" \
	tcp-policy add --priority=1 --match-uid=0 --action=allow
eperm_locked "rule add of a deny rule before the kill rule (priority 150)" \
	tcp-policy add --priority=150 --match-comm=tcpk99-c --action=deny
tap_check "the policy still has its $n rules" test "$(rules)" = "$n"
eperm_locked "desc del tcpk99-d" tcp-policy desc del tcpk99-d
eperm_locked "desc flush" tcp-policy desc flush
eperm_locked "desc add replacing tcpk99-d" tcp-policy desc add tcpk99-d SAFE 1 1 1
eperm_locked "release (quarantine)" tcp-policy release 1
eperm_locked "model del" tcp-policy model del
eperm_locked "seq del 1" tcp-policy seq del 1
eperm_locked "profile learn /bin/true" tcp-policy profile learn /bin/true
eperm_locked "profile del /bin/true" tcp-policy profile del /bin/true

# --- tightening: works ----------------------------------------------------------
tap_check "rule add of a deny rule evaluated last (priority 5000)" \
	tcp-policy add --priority=5000 --match-comm=tcpk99-e --action=deny
tap_check "rule add of a kill rule before the kill and the deny rules (priority 150)" \
	tcp-policy add --priority=150 --match-comm=tcpk99-f --action=kill
eperm_locked "rule add of a quarantine rule before the kill rules (priority 1)" \
	tcp-policy add --priority=1 --match-comm=tcpk99-g --action=quarantine
tap_check "rule add of a quarantine rule evaluated last (priority 6000)" \
	tcp-policy add --priority=6000 --match-comm=tcpk99-g --action=quarantine
tap_check "the policy has $((n + 3)) rules" test "$(rules)" = "$((n + 3))"
tap_check "desc add of a new name" tcp-policy desc add tcpk99-new HIGH_RISK 1 1 1
tap_check "seq add of a new pattern" \
	tcp-policy seq add --name=tcpk99 --weight=10 openat unlink
tap_check "mode paranoid (level 3)" tcp-policy mode paranoid
tap_check "level is 3" level_is 3
tap_check "echo 3 > security_level (not lower)" \
	sh -c "echo 3 > $SYSMOD/parameters/security_level"
sysfs_eperm security_level 2
tap_check "echo 1 > alerts (turning alerts on)" \
	sh -c "echo 1 > $SYSMOD/parameters/alerts"
expect_fail "uid 65534: rule add is still refused with EPERM" "Operation not permitted" \
	as_nobody tcp-policy add --match-uid=1 --action=deny

# --- signed policy (after the other checks: it refuses unsigned changes) --------
K=/tcpk/keys
signed_required() {
	tcp-policy -j status > "$tmp/st.json" &&
		expect_json "$tmp/st.json" "d['signed_policy_required'] is True"
}
ring=$(tcp-policy -j status | python3 -c 'import json, sys; print(json.load(sys.stdin)["keyring"])')
expect_fail "locked: key add into .tcp_kernel is refused (EPERM)" "Operation not permitted" \
	tcp-policy key add "$K/other.der"
expect_fail "locked: keyctl padd into .tcp_kernel is refused" "not permitted" \
	sh -c "keyctl padd asymmetric '' $ring < $K/other.der"
only_trusted_key() {
	tcp-policy key list > "$tmp/keys" &&
		test "$(wc -l < "$tmp/keys")" = 1 &&
		grep -q "tcp_kernel test trusted" "$tmp/keys"
}
tap_check "locked: the keyring still holds only the certificate added before" \
	only_trusted_key
tap_check "locked: echo 1 > require_signed_policy (0 -> 1 tightens)" \
	sh -c "echo 1 > $SYSMOD/parameters/require_signed_policy"
sysfs_eperm require_signed_policy 0
tap_check "status -j: signed_policy_required is true" signed_required
printf 'tcpk99-s1 SAFE 1 1 1\ntcpk99-s2 HIGH_RISK 1 1 1\n' > "$tmp/new.desc"
tap_check "sign a batch of new descriptors" \
	tcp-policy sign --key "$K/trusted.key" --cert "$K/trusted.pem" -o "$tmp/new.p7s" desc "$tmp/new.desc"
expect_fail "locked and required: the unsigned batch is refused (unsigned)" "signature: unsigned" \
	tcp-policy desc load "$tmp/new.desc"
tap_check "locked and required: the signed batch of new descriptors loads" \
	tcp-policy desc load --signature "$tmp/new.p7s" "$tmp/new.desc"
tap_check "sign a rule set" \
	tcp-policy sign --key "$K/trusted.key" --cert "$K/trusted.pem" -o "$tmp/one.p7s" rules "$tmp/one.rules"
eperm_locked "signed rule load (replace)" \
	tcp-policy load --signature "$tmp/one.p7s" "$tmp/one.rules"
expect_fail "locked and required: a deny rule add is refused (cannot be signed)" \
	"this change cannot be signed" \
	tcp-policy add --priority=7000 --match-comm=tcpk99-h --action=deny
tap_check "still locked at the end" locked_is true

# --- last: a lazy unmount of /sys, above the bpffs ------------------------------
# umount -l /sys takes /sys/fs/bpf with it and calls sb_umount for the
# sysfs mount only, which the guard program lets through.  Without the
# lock's reference on the pin directory the bpffs dies once the detached
# tree is released: its pins go, the links detach, and the programs drop
# their module references (measured on 6.12 without the reference: after
# 10 s the refcnt fell from 27 to 1 and the deny rule no longer refused).
# With it, nothing changes.  /sys is mounted again (without the old
# bpffs) to read the refcnt; nothing below needs the pins.
refs1=$(cat "$SYSMOD/refcnt")
tap_check "umount -l /sys (the bpffs below it goes too)" umount -l /sys
tap_check "mount sysfs on /sys again" mount -t sysfs sysfs /sys
sleep 15
tap_check "15 s after umount -l /sys: the module still has its $refs1 references" \
	refs_are "$refs1"
expect_fail "15 s after umount -l /sys: cat $SECRET is still refused by the deny rule" \
	"Permission denied" cat "$SECRET"

tap_done
