#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - enforcement with real effects (issue 5, item 6): the BPF-LSM
# programs of ebpf/tcpk_lsm.bpf.c, attached by "tcp-bpf attach", call the
# module's hook kfuncs (lsm/hooks.c) and the operations the policy denies
# fail in the guest, with their events (tcp-policy monitor -j) and audit
# records (dmesg, no auditd).  In order, each section from a clean state
# (rules and descriptors flushed, mode enforce):
#
#  1. modprobe tcp_kernel security_level=2; tcp-bpf attach; tcp-bpf status
#     lists every program loaded and attached, with run counts; rmmod
#     fails while attached.
#  2. The seed's exec rule (uid 65534 here, the guest's unprivileged user,
#     where the seed says 1000): exec from /tmp refused for 65534, allowed
#     for root.
#  3. Blocking mode: unlink refused with --ops=unlink while rmdir and open
#     are only would-deny; with --ops=unlink,rmdir both are refused.
#  4. The default agent policy: an agent cannot read /etc/shadow or
#     /root/.ssh/id_rsa (event and audit record), and works normally in its
#     workspace.
#  5. connect to a denied address refused (EACCES), to another accepted.
#  6. W+X memory: a PROT_WRITE|PROT_EXEC mapping and a W->X mprotect
#     refused, explain shows both; each raised the anomaly score
#     (tcp-policy ps) with a behavior event.
#  7. ptrace attach and kill -TERM by an agent of a process outside its
#     session refused, of its own child allowed; a CAP_SYS_ADMIN use by comm python3x
#     matched by the seed's monitor rule raises an alert event.
#  8. The kill action kills the exec'ing process (status 137); quarantine
#     refuses every later operation of the process.
#  9. Exec identity: a DESTRUCTIVE descriptor bound by digest (and by path
#     to the original) refuses an agent's exec of a copy at another path
#     (the digest applied); SKIP where the kernel gives no digest (no IMA);
#     at security_level 1 the exec is allowed with a would-deny event.
# 10. tcp-bpf detach, then rmmod works; tcp-bpf attach without the module
#     says why; the module without BPF: status says nothing is attached.
# 11. security_level 0: deny rules present, every operation succeeds.
#
# Guest environment: root, busybox sh (su, nc, timeout, dmesg);
# tcp-policy, tcp-bpf and tcpk-enforce (tools/testing/progs) on PATH;
# /etc/tcp_kernel/agent.rules; loopback up, no other network device.

# The sh -c scripts below expand their arguments themselves.
# shellcheck disable=SC2016
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"
# shellcheck source=SCRIPTDIR/../../lib/events.sh
. "$TCPK_TESTLIB/events.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
LEVEL_PARAM=$SYSMOD/parameters/security_level
AGENT_RULES=/etc/tcp_kernel/agent.rules
WS=/tmp/ws
SRV=/srv/x
PORT=7777
# The programs of ebpf/tcpk_lsm.bpf.c, one per hook.
HOOKS="bprm_check_security task_alloc task_free file_open file_permission
path_unlink path_rmdir path_rename path_chmod socket_create socket_connect
socket_sendmsg mmap_file file_mprotect msg_queue_msgsnd shm_shmat capable
task_kill ptrace_access_check"
NHOOKS=$(echo "$HOOKS" | wc -w)

tmp=$(mktemp -d /tmp/50-bpf-enforce.XXXXXX) || exit 1
chmod 755 "$tmp"
MON=$tmp/events.json
mon_pid=
bg=
cleanup() {
	for p in $bg $mon_pid; do kill "$p" 2>/dev/null; done
	# Everything started in the background was killed just above.
	wait 2>/dev/null
	if [ -d "$SYSMOD" ]; then
		tcp-policy flush > /dev/null 2>&1
		tcp-policy desc flush > /dev/null 2>&1
		tcp-bpf detach > /dev/null 2>&1
		rmmod "$MOD" 2>/dev/null
	fi
	rm -rf "$tmp" "$WS" "$SRV" /tmp/true /tmp/killme /tmp/python3x \
		/tmp/a /tmp/b /tmp/c /tmp/q /root/.ssh/id_rsa
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

# --- helpers ------------------------------------------------------------------------

level_is() {
	[ "$(cat "$LEVEL_PARAM" 2>&1)" = "$1" ]
}

# status_of CMD...: run CMD (output discarded), print its exit status.
status_of() {
	"$@" > /dev/null 2>&1
	echo $?
}

# A clean state between sections: no rule, no descriptor, mode enforce
# (security level 2, alerts on, every operation enforced).
reset_state() {
	tcp-policy flush > /dev/null &&
		tcp-policy desc flush > /dev/null &&
		tcp-policy mode enforce > /dev/null &&
		level_is 2
}

# section NAME: start a section (a clean state first); section_end prints
# the diagnostics of a section that had a failure.
section() {
	SECTION=$1
	SECTION_FAILED=$TAP_FAILED
	tap_diag "--- $SECTION"
	if [ -d "$SYSMOD" ] && ! reset_state; then
		tap_diag "could not reset the policy state"
	fi
}
section_end() {
	[ "$TAP_FAILED" -gt "$SECTION_FAILED" ] || return 0
	tap_diag "diagnostics of section: $SECTION"
	tap_diag "rules: $(tcp-policy list 2>&1)"
	tap_diag "mode: $(tcp-policy mode 2>&1)"
	[ -f "$MON" ] && tap_diag "monitor (last 15): $(tail -n 15 "$MON")"
	[ -s "$tmp/mon.err" ] && tap_diag "monitor stderr: $(cat "$tmp/mon.err")"
	tap_diag "dmesg (last 15): $(dmesg | tail -n 15)"
	for _p in "$@"; do
		tap_diag "explain $_p: $(tcp-policy explain "$_p" 2>&1)"
	done
}

# The agent of sections 4, 7 and 9.
agent() {
	tcp-policy run --agent="$AGENT" --workspace="$WS" -- "$@"
}
AGENT=t

mkdir -p "$WS" "$SRV"

# === 1. load, attach, status, rmmod refused ============================================
section "1. modprobe, tcp-bpf attach, status, rmmod while attached"
if [ -d "$SYSMOD" ]; then
	tcp-bpf detach > /dev/null 2>&1
	retry 10 rmmod "$MOD" 2>/dev/null ||
		tap_diag "$MOD was loaded and cannot be removed"
fi
tap_check "modprobe $MOD security_level=2" modprobe "$MOD" security_level=2
tap_check "$LEVEL_PARAM reads 2" level_is 2
tcp-bpf attach > "$tmp/attach.out" 2>&1
rc=$?
tap_check "tcp-bpf attach succeeds (status $rc)" test $rc = 0
tap_diag "$(cat "$tmp/attach.out")"
reset_state
# Some activity for the run counts: opens, execs.
cat /proc/version > /dev/null
/bin/true
tcp-bpf status > "$tmp/status.txt" 2>&1
tap_diag "$(cat "$tmp/status.txt")"
tap_check "status: programs: $NHOOKS, $NHOOKS loaded, $NHOOKS attached" \
	grep -Eq "^programs: +$NHOOKS, $NHOOKS loaded, $NHOOKS attached" "$tmp/status.txt"
# The table: one row per program after the HOOK header.
rows=$(awk 'f { n++ } /^HOOK / { f = 1 } END { print n + 0 }' "$tmp/status.txt")
attached=$(awk 'f && $2 == "yes" && $3 == "yes" { n++ } /^HOOK / { f = 1 } END { print n + 0 }' "$tmp/status.txt")
tap_check "status: $rows program rows, $attached loaded and attached (want $NHOOKS)" \
	test "$rows" = "$NHOOKS" -a "$attached" = "$NHOOKS"
missing=
for h in $HOOKS; do
	grep -Eq "^$h +yes +yes +[0-9]+ " "$tmp/status.txt" || missing="$missing $h"
done
tap_check "status: every hook is attached (missing:${missing:- none})" test -z "$missing"
runs_of() {
	awk -v h="$1" '$1 == h { print $5 }' "$tmp/status.txt"
}
tap_check "status: file_open ran ($(runs_of file_open) runs) and bprm_check_security ran ($(runs_of bprm_check_security) runs)" \
	test "$(runs_of file_open)" -gt 0 -a "$(runs_of bprm_check_security)" -gt 0
expect_fail "rmmod $MOD while attached fails: in use (EAGAIN)" \
	"in use|Resource temporarily unavailable" rmmod "$MOD"
tap_check "... and the module is still loaded" test -d "$SYSMOD"
tap_check "tcp-bpf status says why rmmod is refused and what to do" \
	grep -q "^rmmod: .*tcp-bpf detach first" "$tmp/status.txt"
start_monitor
section_end

# === 2. the seed's exec rule ===========================================================
section "2. exec from /tmp denied for uid 65534, allowed for root"
tap_diag "the seed's rule names uid 1000; the guest's unprivileged user is 65534 (nobody)"
cp /bin/busybox /tmp/true
chmod 755 /tmp/true
tap_check "add the seed's rule: --match-uid=65534 --match-syscall=execve --match-path='/tmp/*' --action=deny" \
	tcp-policy add --priority=200 --match-uid=65534 --match-syscall=execve --match-path="/tmp/*" --action=deny
expect_fail "uid 65534: exec of /tmp/true refused (Permission denied)" "Permission denied" \
	as_nobody /tmp/true
tap_check "uid 65534: exec of /bin/true (outside /tmp) allowed" as_nobody /bin/true
tap_check "root: exec of /tmp/true allowed" /tmp/true
tap_check "monitor: a deny event for uid 65534's exec of /tmp/true (op exec)" \
	mon_has '"uid":65534' '"op":"exec"' '"path":"/tmp/true"' '"verdict":"deny"'
# lsm/hooks.c, tcpk_hook_file_open(): "An open to execute is not decided
# here: tcpk_hook_exec() decides the exec."
tap_check "the exec's open of /tmp/true is not decided as an open (hooks.c: decided as the exec)" \
	sh -c "! grep '\"uid\":65534' '$MON' | grep '\"op\":\"open\"' | grep -q '\"path\":\"/tmp/true\"'"
section_end

# === 3. blocking mode ==================================================================
section "3. blocking mode: only the selected operations are refused"
mkdir -p "$SRV/d"
: > "$SRV/f"
echo secret > "$SRV/secret"
tap_check "rules: deny unlink and rmdir under $SRV/**, deny open of $SRV/secret" sh -c "
	tcp-policy add --match-op=unlink --match-path='$SRV/**' --action=deny &&
	tcp-policy add --match-op=rmdir --match-path='$SRV/**' --action=deny &&
	tcp-policy add --match-op=open --match-path='$SRV/secret' --action=deny"
tap_check "mode blocking --ops=unlink" tcp-policy mode blocking --ops=unlink
expect_fail "blocking unlink: rm $SRV/f refused (Permission denied)" "Permission denied" rm "$SRV/f"
tap_check "... and $SRV/f still exists" test -e "$SRV/f"
tap_check "blocking unlink: rmdir $SRV/d allowed" rmdir "$SRV/d"
tap_check "... $SRV/d is gone" test ! -e "$SRV/d"
tap_check "... recorded as would-deny" mon_has '"op":"rmdir"' "\"path\":\"$SRV/d\"" '"would_deny":true'
tap_check "blocking unlink: open of $SRV/secret (a deny rule of another operation) succeeds" \
	sh -c "cat '$SRV/secret' | grep -q secret"
tap_check "... recorded as would-deny" mon_has '"op":"open"' "\"path\":\"$SRV/secret\"" '"would_deny":true'
tap_check "mode blocking --ops=unlink,rmdir" tcp-policy mode blocking --ops=unlink,rmdir
mkdir -p "$SRV/d"
expect_fail "blocking unlink,rmdir: rm $SRV/f refused" "Permission denied" rm "$SRV/f"
expect_fail "blocking unlink,rmdir: rmdir $SRV/d refused" "Permission denied" rmdir "$SRV/d"
tap_check "... both still exist" test -e "$SRV/f" -a -d "$SRV/d"
tap_check "blocking unlink,rmdir: open of $SRV/secret still succeeds (would-deny)" \
	sh -c "cat '$SRV/secret' | grep -q secret"
section_end

# === 4. agent secrets ==================================================================
section "4. the default agent policy: secrets refused, the workspace usable"
[ -e /etc/shadow ] || printf 'root:*:19000:0:99999:7:::\n' > /etc/shadow
mkdir -p /root/.ssh
echo "not a real key" > /root/.ssh/id_rsa
tap_check "load $AGENT_RULES" tcp-policy load "$AGENT_RULES"
tap_check "mode enforce" tcp-policy mode enforce
dmesg_before=$(dmesg | grep -c 'tcp_kernel="DENIED"')
expect_fail "agent $AGENT: cat /etc/shadow refused (Permission denied)" "Permission denied" \
	agent cat /etc/shadow
expect_fail "agent $AGENT: cat /root/.ssh/id_rsa refused (Permission denied)" "Permission denied" \
	agent cat /root/.ssh/id_rsa
tap_check "root, not an agent: cat /etc/shadow works" cat /etc/shadow
tap_check "monitor: a deny event of agent $AGENT opening /etc/shadow" \
	mon_has "\"agent\":\"$AGENT\"" '"op":"open"' '"path":"/etc/shadow"' '"verdict":"deny"'
tap_check "monitor: a deny event of agent $AGENT opening /root/.ssh/id_rsa" \
	mon_has "\"agent\":\"$AGENT\"" '"op":"open"' '"path":"/root/.ssh/id_rsa"' '"verdict":"deny"'
audit_shadow() {
	_j=0
	while [ $_j -lt 50 ]; do
		dmesg | grep 'tcp_kernel="DENIED"' | grep 'operation="open"' |
			grep "agent=\"$AGENT\"" | grep -q 'path="/etc/shadow"' && return 0
		sleep 0.1
		_j=$((_j + 1))
	done
	dmesg | grep 'tcp_kernel=' | tail -n 5
	return 1
}
tap_check "dmesg: an audit tcp_kernel=\"DENIED\" record of the open of /etc/shadow" audit_shadow
tap_diag "$(dmesg | grep 'tcp_kernel="DENIED"' | tail -n 2)"
tap_check "dmesg: audit records grew ($dmesg_before before)" \
	test "$(dmesg | grep -c 'tcp_kernel="DENIED"')" -gt "$dmesg_before"
tap_check "agent $AGENT: mkdir, write, read and rm -rf of a directory in $WS work" \
	agent sh -c '
		mkdir -p "$1/build/sub" &&
		echo hello > "$1/build/sub/f" &&
		grep -q hello "$1/build/sub/f" &&
		rm -rf "$1/build" &&
		test ! -e "$1/build"' sh "$WS"
section_end

# === 5. connect ========================================================================
section "5. connect: a denied address refused, another accepted"
tap_check "rule: deny connect to 127.0.0.2:*" \
	tcp-policy add --match-op=connect --match-path='127.0.0.2:*' --action=deny
# The listener takes any address: 127.0.0.2 would be accepted without the
# rule (all of 127/8 is loopback).
nc -l -p "$PORT" > "$tmp/nc.out" 2>&1 &
nc_pid=$!
bg="$bg $nc_pid"
port_hex=$(printf '%04X' "$PORT")
listening() {
	grep -Eq ":$port_hex [0-9A-F]+:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
tap_check "a listener on port $PORT" retry 10 listening
expect_fail "connect to 127.0.0.2:$PORT refused with Permission denied (not Connection refused)" \
	"Permission denied" sh -c "echo denied | timeout 10 nc -w 2 127.0.0.2 $PORT"
tap_check "connect to 127.0.0.1:$PORT accepted" \
	sh -c "echo tcpk50-hello | timeout 10 nc -w 2 127.0.0.1 $PORT"
tap_check "... the listener received the data" wait_grep tcpk50-hello "$tmp/nc.out"
tap_check "... and not the refused connection's" sh -c "! grep -q denied '$tmp/nc.out'"
tap_check "monitor: a deny event of the connect to 127.0.0.2:$PORT" \
	mon_has '"op":"connect"' "\"path\":\"127.0.0.2:$PORT\"" '"verdict":"deny"'
kill "$nc_pid" 2>/dev/null
wait "$nc_pid" 2>/dev/null
section_end

# === 6. W+X memory =====================================================================
section "6. W+X memory: mmap and mprotect refused"
tap_check "without a rule: a W+X mapping and a W->X mprotect work" \
	tcpk-enforce mmap-wx mprotect-wx
tap_check "rule: deny mmap,mprotect with write,exec" \
	tcp-policy add --match-op=mmap,mprotect --match-access=write,exec --action=deny
tcpk-enforce -H 60 mmap-wx mprotect-wx > "$tmp/wx.out" 2>&1 &
wx_pid=$!
bg="$bg $wx_pid"
tap_check "tcpk-enforce ran its operations" wait_grep '^done' "$tmp/wx.out"
tap_diag "$(cat "$tmp/wx.out")"
tap_check "mmap(PROT_READ|PROT_WRITE|PROT_EXEC, anonymous) refused: Permission denied" \
	grep -q '^mmap-wx: Permission denied' "$tmp/wx.out"
tap_check "mprotect(PROT_READ|PROT_EXEC) of a writable mapping refused: Permission denied" \
	grep -q '^mprotect-wx: Permission denied' "$tmp/wx.out"
tcp-policy explain "$wx_pid" > "$tmp/wx.explain" 2>&1
tap_diag "$(cat "$tmp/wx.explain")"
tap_check "explain $wx_pid: the mmap was denied by a rule" \
	grep -Eq ' mmap +deny +rule [0-9]+ \(deny\)' "$tmp/wx.explain"
tap_check "explain $wx_pid: the mprotect was denied by a rule" \
	grep -Eq ' mprotect +deny +rule [0-9]+ \(deny\)' "$tmp/wx.explain"
tap_check "monitor: a deny event of the mmap" \
	mon_has "\"pid\":$wx_pid," '"op":"mmap"' '"verdict":"deny"'
tap_check "monitor: a deny event of the mprotect" \
	mon_has "\"pid\":$wx_pid," '"op":"mprotect"' '"verdict":"deny"'
tcp-policy -j ps --pid="$wx_pid" > "$tmp/wx.ps" 2>&1
tap_diag "$(cat "$tmp/wx.ps")"
# 2 x 300 points, decaying with the default 10-minute half-life: at least
# 500 for the next 2.6 minutes.
tap_check "W+X memory raised the subject's anomaly score (ps: wx 2, score 500 to 600)" \
	sh -c "grep -Eq '\"wx\":2[,}]' '$tmp/wx.ps' &&
		grep -Eq '\"score\":(5[0-9]{2}|600),' '$tmp/wx.ps'"
tap_check "monitor: behavior events of the W+X requests" \
	mon_has "\"pid\":$wx_pid," '"type":"behavior"' '"kind":"wx"' '"count":2,'
section_end "$wx_pid"
kill "$wx_pid" 2>/dev/null
wait "$wx_pid" 2>/dev/null

# === 7. ptrace and capabilities ========================================================
section "7. ptrace and signals by an agent; a CAP_SYS_ADMIN use raises an alert"
sleep 600 &
outsider=$!
bg="$bg $outsider"
tap_check "load $AGENT_RULES" tcp-policy load "$AGENT_RULES"
tap_check "mode enforce" tcp-policy mode enforce
tap_check "root, not an agent: PTRACE_ATTACH to $outsider works" tcpk-enforce ptrace "$outsider"
expect_fail "agent $AGENT: PTRACE_ATTACH to $outsider (outside its session) refused (EPERM)" \
	"ptrace: Operation not permitted" agent tcpk-enforce ptrace "$outsider"
tap_check "monitor: a deny event of the agent's ptrace" \
	mon_has "\"agent\":\"$AGENT\"" '"op":"ptrace"' '"verdict":"deny"'
tap_check "agent $AGENT: PTRACE_ATTACH to its own child works" agent sh -c '
	sleep 600 &
	c=$!
	tcpk-enforce ptrace $c
	r=$?
	kill $c
	exit $r'
# Signals (task_kill): the same --match-target=outside rule of agent.rules.
expect_fail "agent $AGENT: kill -TERM of $outsider (outside its session) refused (EPERM)" \
	"Operation not permitted|Permission denied" agent kill -TERM "$outsider"
tap_check "... and $outsider is still alive" kill -0 "$outsider"
tap_check "monitor: a deny event of the agent's signal, object signal:15" \
	mon_has "\"agent\":\"$AGENT\"" '"op":"signal"' '"path":"signal:15"' '"verdict":"deny"'
tap_check "agent $AGENT: kill -TERM of its own child works, and the child ends" agent sh -c '
	sleep 600 &
	c=$!
	kill -TERM $c || exit 1
	wait $c
	[ $? = 143 ]'
tap_check "root, not an agent: kill -0 of $outsider works" kill -0 "$outsider"
tap_check "flush; the seed's rule: --match-comm='python*' --match-capability=CAP_SYS_ADMIN --action=monitor --alert=true" \
	sh -c 'tcp-policy flush && tcp-policy add --priority=100 --match-comm="python*" --match-capability=CAP_SYS_ADMIN --action=monitor --alert=true'
cp "$(command -v tcpk-enforce)" /tmp/python3x
/tmp/python3x comm sethostname > "$tmp/cap.out" 2>&1
rc=$?
tap_diag "$(cat "$tmp/cap.out")"
tap_check "a process with comm python3x (/proc/self/comm) used CAP_SYS_ADMIN (sethostname), allowed" \
	sh -c "test $rc = 0 && grep -q '^comm: python3x\$' '$tmp/cap.out' && grep -q '^sethostname: ok' '$tmp/cap.out'"
tap_check "monitor: an alert event of comm python3x's capable use, allowed" \
	mon_has '"comm":"python3x"' '"op":"capable"' '"alert"' '"verdict":"allow"'
kill "$outsider" 2>/dev/null
wait "$outsider" 2>/dev/null
section_end

# === 8. kill and quarantine ============================================================
section "8. the kill and quarantine actions"
cp /bin/busybox /tmp/killme
tap_check "rule: exec of /tmp/killme -> kill" \
	tcp-policy add --match-op=exec --match-path=/tmp/killme --action=kill
out=$(sh -c '/tmp/killme; echo "status=$?"' 2>&1)
tap_diag "$out"
tap_check "the process executing /tmp/killme dies of SIGKILL (status 137), its parent lives on" \
	sh -c "printf '%s\n' '$out' | grep -qx 'status=137'"
tap_check "monitor: a deny event with the kill flag for /tmp/killme" \
	mon_has '"op":"exec"' '"path":"/tmp/killme"' '"kill"' '"verdict":"deny"'
mkdir -p /tmp/q
: > /tmp/q/trigger
: > /tmp/q/other
tap_check "rule: open of /tmp/q/trigger -> quarantine" \
	tcp-policy add --match-op=open --match-path=/tmp/q/trigger --action=quarantine
# The script writes through a descriptor opened before the trigger; after
# it, every operation is refused, writes included, so the later results
# come back in the exit status: 10, plus 1 if the open of another file
# worked, plus 2 if a write to the open result file worked.
sh -c '
	exec 3>> "$1/result"
	if true < "$1/other"; then echo "before: open ok" >&3; else echo "before: open refused" >&3; fi
	echo "pid $$" >&3
	if true < "$1/trigger"; then echo "trigger: open ok" >&3; fi
	r=10
	if true < "$1/other"; then r=$((r + 1)); fi
	if echo "after: write ok" >&3; then r=$((r + 2)); fi
	exit $r
' sh /tmp/q 2> /dev/null
rc=$?
tap_diag "result file: $(cat /tmp/q/result 2>&1)"
tap_check "before the trigger the process opened and wrote files" \
	grep -q '^before: open ok' /tmp/q/result
tap_check "the trigger (open of /tmp/q/trigger) was refused" \
	sh -c "! grep -q '^trigger' /tmp/q/result"
tap_check "after it, an open of another file and a write to an open file are refused (status $rc, want 10)" \
	test "$rc" = 10
tap_check "... not written: $(grep -c '^after' /tmp/q/result) after-lines" \
	sh -c "! grep -q '^after' /tmp/q/result"
qpid=$(sed -n 's/^pid //p' /tmp/q/result)
tap_check "monitor: the quarantined process ($qpid) was refused the open of /tmp/q/other" \
	mon_has "\"pid\":$qpid," '"path":"/tmp/q/other"' '"quarantined"' '"verdict":"deny"'
tap_check "another process (this shell) still opens /tmp/q/other" cat /tmp/q/other
tap_diag "quarantine has no release command (tcp-policy(8) names none): the process stays quarantined until it exits"
section_end

# === 9. exec identity ==================================================================
section "9. exec identity: a copy of a DESTRUCTIVE tool keeps its descriptor"
mkdir -p /tmp/a /tmp/b /tmp/c
# Copies of busybox named after its applet "true", with a few bytes
# appended (ignored when it runs) so that its digest is its own and not
# that of /bin/busybox, which every other program of the guest is.
cp /bin/busybox /tmp/a/true
printf 'tcpk50-tool' >> /tmp/a/true
cp /tmp/a/true /tmp/b/true
cp /bin/busybox /tmp/c/true
printf 'tcpk50-other' >> /tmp/c/true
tap_check "the tool runs (before any descriptor)" /tmp/a/true
tap_check "desc add: tcpk50tool DESTRUCTIVE, bound to sha256=@/tmp/a/true and path=/tmp/a/true" \
	tcp-policy desc add tcpk50tool 'HIGH_RISK|DESTRUCTIVE' 5 2 0 sha256=@/tmp/a/true path=/tmp/a/true
tap_diag "$(tcp-policy desc list 2>&1)"
tap_check "rule: agents may not exec a DESTRUCTIVE tool" \
	tcp-policy add --match-agent='*' --match-op=exec --match-desc-any=DESTRUCTIVE --action=deny
expect_fail "agent $AGENT: exec of /tmp/a/true refused" "Permission denied" agent /tmp/a/true
tap_check "root, not an agent: /tmp/a/true runs" /tmp/a/true
tap_check "agent $AGENT: /tmp/c/true (same name, other content) runs" agent /tmp/c/true
out=$(agent /tmp/b/true 2>&1)
rc=$?
if [ $rc != 0 ] && printf '%s\n' "$out" | grep -q "Permission denied"; then
	tap_ok "agent $AGENT: exec of the copy /tmp/b/true refused (the path /tmp/b/true and the name true have no descriptor)"
	tap_diag "$out"
	tap_check "monitor: the deny event of /tmp/b/true says the identity that applied: desc-digest" \
		mon_has "\"agent\":\"$AGENT\"" '"op":"exec"' '"path":"/tmp/b/true"' '"verdict":"deny"' '"desc-digest"'
elif [ $rc = 0 ] && [ ! -d /sys/kernel/security/ima ] &&
	! tr ',' '\n' < /sys/kernel/security/lsm | grep -Eqx 'ima|integrity'; then
	tap_skip "agent $AGENT: exec of the copy /tmp/b/true refused by its digest" \
		"no content digest on this kernel (IMA not enabled): only the path identity applies"
else
	tap_not_ok "agent $AGENT: exec of the copy /tmp/b/true refused by its digest" \
		"status $rc: $out; lsm: $(cat /sys/kernel/security/lsm)"
fi
tap_check "security_level 1" sh -c "echo 1 > '$LEVEL_PARAM'"
tap_check "... tcp-policy mode says level 1" sh -c 'tcp-policy -j mode | grep -q "\"level\":1,"'
tap_check "level 1: agent lvl1's exec of /tmp/a/true is allowed" \
	tcp-policy run --agent=lvl1 --workspace="$WS" -- /tmp/a/true
tap_check "... with a would-deny event" \
	mon_has '"agent":"lvl1"' '"op":"exec"' '"path":"/tmp/a/true"' '"would_deny":true'
echo 2 > "$LEVEL_PARAM"
section_end

# === 10. detach, rmmod, the loader without the module, the module without BPF ==========
section "10. detach and rmmod; each side without the other"
stop_monitor
tcp-policy flush > /dev/null
tcp-policy desc flush > /dev/null
tap_check "tcp-bpf detach" tcp-bpf detach
tap_check "rmmod $MOD after detach" rmmod "$MOD"
if [ -d "$SYSMOD" ]; then
	retry 10 rmmod "$MOD" 2>/dev/null
fi
expect_fail "tcp-bpf attach without the module fails, naming it" \
	"tcp_kernel module is not loaded" tcp-bpf attach
tap_check "... and pins nothing" test ! -e /sys/fs/bpf/tcp_kernel/links
tap_check "modprobe $MOD security_level=2 (no BPF attached)" modprobe "$MOD" security_level=2
tcp-bpf status > "$tmp/status0.txt" 2>&1
rc=$?
tap_diag "$(cat "$tmp/status0.txt")"
tap_check "tcp-bpf status (status $rc): the module loaded, 0 of $NHOOKS programs loaded or attached" \
	sh -c "test $rc = 0 && grep -q '^module: *tcp_kernel loaded' '$tmp/status0.txt' &&
		grep -Eq '^programs: +$NHOOKS, 0 loaded, 0 attached' '$tmp/status0.txt'"
noatt=$(awk 'f && $2 == "no" && $3 == "no" { n++ } /^HOOK / { f = 1 } END { print n + 0 }' "$tmp/status0.txt")
tap_check "tcp-bpf status: every hook's row says not attached ($noatt of $NHOOKS)" test "$noatt" = "$NHOOKS"
mkdir -p "$SRV"
: > "$SRV/nobpf"
tcp-policy add --match-op=unlink --match-path="$SRV/**" --action=deny > /dev/null
tap_check "without BPF nothing is enforced: rm $SRV/nobpf under a deny rule works" rm "$SRV/nobpf"
section_end

# === 11. security level 0 ==============================================================
section "11. security_level 0: every decision is allow"
tap_check "tcp-bpf attach" tcp-bpf attach
start_monitor
cp /bin/busybox /tmp/true
: > "$SRV/f0"
echo secret > "$SRV/secret"
tap_check "deny rules: unlink under $SRV, open of $SRV/secret, exec of /tmp/true, connect to 127.0.0.2" sh -c "
	tcp-policy add --match-op=unlink --match-path='$SRV/**' --action=deny &&
	tcp-policy add --match-op=open --match-path='$SRV/secret' --action=deny &&
	tcp-policy add --match-op=exec --match-path=/tmp/true --action=deny &&
	tcp-policy add --match-op=connect --match-path='127.0.0.2:*' --action=deny"
expect_fail "level 2 (control): rm $SRV/f0 refused" "Permission denied" rm "$SRV/f0"
tap_check "security_level 0" sh -c "echo 0 > '$LEVEL_PARAM'"
tap_check "... tcp-policy mode says level 0" sh -c 'tcp-policy -j mode | grep -q "\"level\":0,"'
ev0=$(wc -l < "$MON")
tap_check "level 0: rm $SRV/f0 works" rm "$SRV/f0"
tap_check "level 0: cat $SRV/secret works" sh -c "cat '$SRV/secret' | grep -q secret"
tap_check "level 0: exec of /tmp/true works" /tmp/true
tap_check "level 0: exec of /tmp/true works as uid 65534" as_nobody /tmp/true
nc -l -p "$PORT" > "$tmp/nc0.out" 2>&1 &
nc_pid=$!
bg="$bg $nc_pid"
retry 10 listening
tap_check "level 0: connect to 127.0.0.2:$PORT works" \
	sh -c "echo level0 | timeout 10 nc -w 2 127.0.0.2 $PORT"
kill "$nc_pid" 2>/dev/null
wait "$nc_pid" 2>/dev/null
sleep 0.5
tap_check "level 0: no decision event (events before: $ev0)" \
	sh -c "! tail -n +$((ev0 + 1)) '$MON' | grep -q '\"type\":\"decision\"'"
echo 2 > "$LEVEL_PARAM"
stop_monitor
tcp-policy flush > /dev/null
tap_check "tcp-bpf detach" tcp-bpf detach
tap_check "rmmod $MOD" retry 10 rmmod "$MOD"
section_end

tap_done
