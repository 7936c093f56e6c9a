#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the policy engine through tcp-policy: the seed's two rules
# added verbatim and listed (text and JSON); what-if answers for uid 1000
# executing /tmp/x (deny at level 2, would-deny at level 1, allow for
# root); one matching and one non-matching what-if for every condition
# type; save -> load -> save byte-identical; a rule file with a syntax
# error, and one with a rule the module refuses, each report their line
# and change nothing; an unprivileged user can test, list, save and show
# the mode but not add, del, flush, load or set the mode; each mode, by
# its word and by the seed's flag (--monitor-only, --enable-alerts,
# --enable-blocking --ops=, --full-enforcement), sets the documented
# security_level, alerts and block_ops; the counters of stats.  The
# cgroup conditions need cgroup2, which the test mounts if the guest has
# not.
#
# Guest environment: root, busybox sh (su for as_nobody); tcp-policy on
# PATH; python3; /etc/tcp_kernel/{policy,agent}.rules.

# The sh -c scripts below expand their arguments themselves.
# shellcheck disable=SC2016
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
PARAMS=$SYSMOD/parameters
RULES=/etc/tcp_kernel

tmp=$(mktemp -d /tmp/40-policy-cli.XXXXXX) || exit 1
chmod 755 "$tmp"
pids=
cg_mounted=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rmdir /sys/fs/cgroup/tcpk40/sub /sys/fs/cgroup/tcpk40 2>/dev/null
	[ -z "$cg_mounted" ] || umount /sys/fs/cgroup
	rm -rf "$tmp"
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

rule_count() {
	tcp-policy -j list | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

generation() {
	tcp-policy -j mode | python3 -c 'import json, sys; print(json.load(sys.stdin)["generation"])'
}

# whatif FILE ARGS...: tcp-policy -j test ARGS into FILE.
whatif() {
	_f=$1
	shift
	tcp-policy -j test "$@" > "$_f"
}

[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
tap_check "modprobe $MOD" modprobe "$MOD"
tap_check "flush: no rules" tcp-policy flush
tcp-policy -j list > "$tmp/empty.json"
tap_check "list -j of an empty policy is []" expect_json "$tmp/empty.json" "d == []"

# --- the seed's rules, verbatim ------------------------------------------------
id1=$(tcp-policy add --priority=100 --match-comm="python*" --match-capability=CAP_SYS_ADMIN --action=monitor --alert=true)
tap_check "seed rule 1 added, id printed ($id1)" test -n "$id1" -a "$id1" -gt 0
id2=$(tcp-policy add --priority=200 --match-uid=1000 --match-syscall=execve --match-path="/tmp/*" --action=deny)
tap_check "seed rule 2 added, id printed ($id2)" test -n "$id2" -a "$id2" -gt 0 -a "$id2" != "$id1"

tcp-policy list > "$tmp/list.txt"
tap_check "list shows rule $id1 as --match-comm='python*' --match-capability=CAP_SYS_ADMIN --action=monitor --alert=true" \
	grep -Eq "^$id1 +100 +[0-9]+ +--match-comm='python\\*' --match-capability=CAP_SYS_ADMIN --action=monitor --alert=true\$" "$tmp/list.txt"
tap_check "list shows rule $id2 as --match-uid=1000 --match-syscall=execve --match-path='/tmp/*' --action=deny" \
	grep -Eq "^$id2 +200 +[0-9]+ +--match-uid=1000 --match-syscall=execve --match-path='/tmp/\\*' --action=deny\$" "$tmp/list.txt"
tcp-policy -j list > "$tmp/list.json"
tap_check "list -j: two rules in priority order with ids, priorities, hits, actions and conditions" \
	expect_json "$tmp/list.json" "[r['id'] for r in d] == [$id1, $id2] and [r['priority'] for r in d] == [100, 200] and all(isinstance(r['hits'], int) for r in d) and d[0]['action'] == 'monitor' and d[0]['alert'] is True and d[0]['match'] in ({'comm': 'python*', 'capability': 'CAP_SYS_ADMIN', 'ops': ['capable']}, {'comm': 'python*', 'capability': 'CAP_SYS_ADMIN'})"
tap_check "list -j: rule $id2 is uid 1000, execve, /tmp/*, deny, no alert" \
	expect_json "$tmp/list.json" "d[1]['action'] == 'deny' and d[1]['alert'] is False and d[1]['match']['uid'] == 1000 and d[1]['match']['syscalls'] == ['execve'] and d[1]['match']['path'] == '/tmp/*'"
tap_check "rule list is list" sh -c 'tcp-policy rule list | cmp -s - "$1"' sh "$tmp/list.txt"

# --- what-if of the seed: uid 1000 executing /tmp/x ------------------------------
tap_check "mode enforce" tcp-policy mode enforce
whatif "$tmp/w.json" --op=exec --uid=1000 --path=/tmp/x
tap_check "enforce: uid 1000 exec /tmp/x -> deny by rule $id2 at level 2" \
	expect_json "$tmp/w.json" "d['verdict'] == 'deny' and d['rule'] == $id2 and d['action'] == 'deny' and d['level'] == 2 and 'matched' in d['flags'] and not d['would_deny']"
out=$(tcp-policy test --op exec --uid 1000 --path /tmp/x)
case "$out" in
"deny "*"rule $id2 (deny)"*"level 2"*) tap_ok "text: $out" ;;
*) tap_not_ok "text answer starts with deny and names rule $id2, level 2" "got: $out" ;;
esac
tap_check "mode monitor" tcp-policy mode monitor
whatif "$tmp/w.json" --op=exec --uid=1000 --path=/tmp/x
tap_check "monitor: uid 1000 exec /tmp/x -> allow, would-deny, rule $id2, level 1" \
	expect_json "$tmp/w.json" "d['verdict'] == 'allow' and d['would_deny'] and 'would-deny' in d['flags'] and d['outcome'] == 'would-deny' and d['rule'] == $id2 and d['level'] == 1"
tap_check "mode enforce" tcp-policy mode enforce
whatif "$tmp/w.json" --op=exec --uid=0 --path=/tmp/x
tap_check "enforce: root exec /tmp/x -> allow by the default (rule 0)" \
	expect_json "$tmp/w.json" "d['verdict'] == 'allow' and d['rule'] == 0 and not d['would_deny']"
whatif "$tmp/w.json" --op=exec --uid=1000 --path=/tmp/a/b
tap_check "enforce: uid 1000 exec /tmp/a/b -> allow (/tmp/* is one level)" \
	expect_json "$tmp/w.json" "d['verdict'] == 'allow' and d['rule'] == 0"
whatif "$tmp/w.json" --op=exec --uid=1000 --path=/tmp/x --syscall=execveat
tap_check "enforce: uid 1000 execveat /tmp/x -> allow (the rule names execve)" \
	expect_json "$tmp/w.json" "d['verdict'] == 'allow' and d['rule'] == 0"
whatif "$tmp/w.json" --op=capable --comm=python3 --capability=CAP_SYS_ADMIN
tap_check "python3 using CAP_SYS_ADMIN -> allow by rule $id1 (monitor), alert" \
	expect_json "$tmp/w.json" "d['verdict'] == 'allow' and d['rule'] == $id1 and d['action'] == 'monitor' and 'alert' in d['flags']"
whatif "$tmp/w.json" --op=capable --comm=python3 --capability=sys_module
tap_check "python3 using CAP_SYS_MODULE -> default" \
	expect_json "$tmp/w.json" "d['rule'] == 0"

# --- every condition: one match, one non-match --------------------------------------
# cond_rule DESC RULE-OPTIONS...: the policy is this one rule (deny); its id in $rid.
cond_rule() {
	_d=$1
	shift
	tcp-policy flush
	if rid=$(tcp-policy add "$@" --action=deny 2>"$tmp/err"); then
		tap_ok "$_d: add $*"
	else
		rid=-1
		tap_not_ok "$_d: add $*" "$(cat "$tmp/err")"
	fi
}
# match DESC TEST-OPTIONS...: the rule $rid denies.
match() {
	_d=$1
	shift
	if whatif "$tmp/c.json" "$@" 2>"$tmp/err"; then
		tap_check "$_d: test $* -> deny by rule $rid" \
			expect_json "$tmp/c.json" "d['rule'] == $rid and d['verdict'] == 'deny'"
	else
		tap_not_ok "$_d: test $* -> deny by rule $rid" "$(cat "$tmp/err")"
	fi
}
# nomatch DESC TEST-OPTIONS...: the default decides (allow).
nomatch() {
	_d=$1
	shift
	if whatif "$tmp/c.json" "$@" 2>"$tmp/err"; then
		tap_check "$_d: test $* -> default allow" \
			expect_json "$tmp/c.json" "d['rule'] == 0 and d['verdict'] == 'allow'"
	else
		tap_not_ok "$_d: test $* -> default allow" "$(cat "$tmp/err")"
	fi
}

sleep 600 &
other=$!
pids="$pids $other"

cond_rule pid --match-pid=$$ --match-op=open
match pid --op=open --pid=$$ --path=/x
nomatch pid --op=open --pid="$other" --path=/x

cond_rule uid --match-uid=1000
match uid --op=open --uid=1000 --path=/x
nomatch uid --op=open --uid=1001 --path=/x

cond_rule "gid by name" --match-gid=nogroup
match "gid by name" --op=open --gid=65534 --path=/x
nomatch "gid by name" --op=open --gid=0 --path=/x

cond_rule comm "--match-comm=py*"
match comm --op=open --comm=python3 --path=/x
nomatch comm --op=open --comm=bash --path=/x

cond_rule exe "--match-exe=/usr/bin/*"
match exe --op=open --exe=/usr/bin/python3 --path=/x
nomatch exe --op=open --exe=/usr/bin/sub/python3 --path=/x

cond_rule "path /tmp/**" "--match-path=/tmp/**"
match "path /tmp/**" --op=open --path=/tmp/a/b/c
nomatch "path /tmp/**" --op=open --path=/tmpx/a
nomatch "path /tmp/** (no path)" --op=capable --capability=CAP_CHOWN

cond_rule "path @workspace" --match-path=@workspace
match "path @workspace" --op=open --agent=demo --workspace=/srv/ws --path=/srv/ws/src/a.c
nomatch "path @workspace" --op=open --agent=demo --workspace=/srv/ws --path=/srv/wsx
cond_rule "path !@workspace" "--match-path=!@workspace"
match "path !@workspace" --op=open --agent=demo --workspace=/srv/ws --path=/etc/passwd
nomatch "path !@workspace" --op=open --agent=demo --workspace=/srv/ws --path=/srv/ws/a
nomatch "path !@workspace (no workspace)" --op=open --path=/etc/passwd
cond_rule "path glob and scope" "--match-path=/srv/**" "--match-path=!@workspace"
match "path glob and scope" --op=open --agent=demo --workspace=/srv/ws --path=/srv/other/a
nomatch "path glob and scope" --op=open --agent=demo --workspace=/srv/ws --path=/srv/ws/a

cond_rule capability --match-capability=CAP_SYS_ADMIN
match capability --op=capable --capability=sys_admin
nomatch capability --op=capable --capability=CAP_NET_ADMIN
nomatch "capability (implies capable)" --op=open --path=/x --capability=CAP_SYS_ADMIN

cond_rule syscall --match-syscall=unlinkat,rmdir
match syscall --op=unlink --path=/x --syscall=unlinkat
match "syscall (unlinkat is unlink's usual)" --op=unlink --path=/x
nomatch syscall --op=unlink --path=/x --syscall=unlink

cond_rule op --match-op=unlink,rmdir
match op --op=rmdir --path=/x
nomatch op --op=open --path=/x
cond_rule "op (--match-hook)" --match-hook=rename
match "op (--match-hook)" --op=rename --path=/x
nomatch "op (--match-hook)" --op=unlink --path=/x

cond_rule desc-any --match-desc-any=CRITICAL,kernel_module
match desc-any --op=exec --path=/x --desc-flags=KERNEL_MODULE,SAFE
nomatch desc-any --op=exec --path=/x --desc-flags=SAFE

cond_rule desc-all --match-desc-all=DESTRUCTIVE,FILE_MODIFICATION
match desc-all --op=exec --path=/x --desc-flags=DESTRUCTIVE,FILE_MODIFICATION,HIGH_RISK
nomatch desc-all --op=exec --path=/x --desc-flags=DESTRUCTIVE

cond_rule anomaly --match-anomaly=50
match anomaly --op=open --path=/x --anomaly=50
nomatch anomaly --op=open --path=/x --anomaly=49

cond_rule agent "--match-agent=dem?"
match agent --op=open --path=/x --agent=demo
nomatch agent --op=open --path=/x --agent=other
nomatch "agent (unlabelled)" --op=open --path=/x

cond_rule access --match-access=write,exec
match access --op=mmap --access=write,exec,read
nomatch access --op=mmap --access=write

# cgroup v2: a cgroup and a child, a process in the child.  Every kernel
# the tests run (6.1, 6.12, debug) has cgroup2; the guest's init mounts
# none, so the test mounts it (and unmounts it at the end).
if ! grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts &&
	mount -t cgroup2 none /sys/fs/cgroup; then
	cg_mounted=1
fi
tap_check "cgroup2 is mounted on /sys/fs/cgroup" grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts
if mkdir -p /sys/fs/cgroup/tcpk40/sub 2> "$tmp/err"; then
	sleep 600 &
	incg=$!
	pids="$pids $incg"
	echo "$incg" > /sys/fs/cgroup/tcpk40/sub/cgroup.procs
	cgid=$(stat -c %i /sys/fs/cgroup/tcpk40)
	cond_rule "cgroup by path" --match-cgroup=/tcpk40
	tap_check "cgroup by path: saved as the id $cgid" \
		sh -c "tcp-policy list | grep -q -- '--match-cgroup=$cgid '"
	match "cgroup by path" --op=open --path=/x --cgroup="$cgid"
	match "cgroup (a process in a child cgroup)" --op=open --path=/x --pid="$incg"
	nomatch "cgroup (a process in the root cgroup)" --op=open --path=/x --pid="$other"
	cond_rule "cgroup by id" --match-cgroup="$cgid"
	match "cgroup by id" --op=open --path=/x --cgroup=/sys/fs/cgroup/tcpk40
	nomatch "cgroup by id" --op=open --path=/x --cgroup=/sys/fs/cgroup
else
	tap_not_ok "cgroup conditions: mkdir /sys/fs/cgroup/tcpk40/sub" "$(cat "$tmp/err")"
fi

# ptrace target: an agent session of two processes, and one outside it.
tcp-policy run --agent=tcpk40 --workspace=/ -- sh -c 'sleep 600 & echo $! > '"$tmp"'/child; wait' &
agent_sh=$!
pids="$pids $agent_sh"
i=0
while [ ! -s "$tmp/child" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
agent_child=$(cat "$tmp/child" 2>/dev/null)
pids="$pids $agent_child"
cond_rule target --match-target=outside
match target --op=ptrace --pid="$agent_sh" --target-pid="$other"
nomatch target --op=ptrace --pid="$agent_sh" --target-pid="$agent_child"
cond_rule "target inside" --match-target=inside
match "target inside" --op=ptrace --pid="$agent_sh" --target-pid="$agent_child"
nomatch "target inside" --op=ptrace --pid="$agent_sh" --target-pid="$other"

tap_check "flush" tcp-policy flush

# --- save -> load -> save ---------------------------------------------------------------
cat "$RULES/agent.rules" "$RULES/policy.rules" > "$tmp/all.rules"
chmod 644 "$tmp/all.rules"
nrules=$(grep -c '^add ' "$tmp/all.rules")
tap_check "load agent.rules + policy.rules ($nrules rules)" tcp-policy load "$tmp/all.rules"
tap_check "list counts $nrules rules" test "$(rule_count)" = "$nrules"
tap_check "save to a file" tcp-policy save "$tmp/s1.rules"
tap_check "load the saved file" tcp-policy load "$tmp/s1.rules"
tap_check "save again" tcp-policy save "$tmp/s2.rules"
tap_check "the two saves are byte-identical" cmp "$tmp/s1.rules" "$tmp/s2.rules"
tap_check "save to stdout is the same" sh -c 'tcp-policy save | cmp -s - "$1"' sh "$tmp/s1.rules"
tap_check "the saved file has --id and --priority on every rule" \
	sh -c "! grep '^add ' '$tmp/s1.rules' | grep -v '^add --id=[0-9]* --priority=[0-9]* '"
tcp-policy load -n "$tmp/all.rules" > "$tmp/canon.rules"
# Evaluation order: by priority, then file order.
tap_check "the saved rules are the loaded ones (canonical form), in evaluation order" \
	python3 -c "
import re
def rules(f, strip_id):
    out = []
    for l in open(f):
        if l.startswith('add '):
            if strip_id:
                l = re.sub(r'^add --id=[0-9]+ ', 'add ', l)
            out.append(l)
    return out
canon = rules('$tmp/canon.rules', False)
canon.sort(key=lambda l: int(re.match(r'add --priority=([0-9]+) ', l).group(1)))
saved = rules('$tmp/s1.rules', True)
assert canon == saved, [(a, b) for a, b in zip(canon, saved) if a != b][:3]
"

# --- a syntax error at line N, a refused rule at line N: nothing changes ---------------
gen0=$(generation)
awk 'NR == 7 { print "add --priority=5 --match-uid=tcpk-no-such-user --action=deny" } { print }' \
	"$tmp/s1.rules" > "$tmp/bad1.rules"
expect_fail "load of a file with a bad user on line 7 names FILE:7" \
	"bad1\\.rules:7: .*--match-uid=tcpk-no-such-user" tcp-policy load "$tmp/bad1.rules"
awk 'NR == 9 { print "add --priority=5 --match-comm=\"unterminated --action=deny" } { print }' \
	"$tmp/s1.rules" > "$tmp/bad2.rules"
expect_fail "load of a file with an unterminated quote on line 9 names FILE:9" \
	"bad2\\.rules:9: unterminated double quote" tcp-policy load "$tmp/bad2.rules"
awk 'NR == 20 { print "add --priority=5 --match-path=/tmp/[abc --action=deny" } { print }' \
	"$tmp/s1.rules" > "$tmp/bad3.rules"
tap_check "the file refused by the module parses (load -n)" tcp-policy load -n "$tmp/bad3.rules"
expect_fail "load of a file whose line 20 the module refuses (unterminated set) names FILE:20" \
	"bad3\\.rules:20: " tcp-policy load "$tmp/bad3.rules"
tap_check "after the refused loads, the generation is still $gen0" test "$(generation)" = "$gen0"
tap_check "after the refused loads, the policy is unchanged" \
	sh -c 'tcp-policy save | cmp -s - "$1"' sh "$tmp/s1.rules"

# --- privilege --------------------------------------------------------------------------
tap_check "the test runs as uid 65534" test "$(as_nobody id -u)" = 65534
# eperm DESC CMD...: as uid 65534, refused with EPERM, the policy unchanged.
eperm() {
	_d=$1
	shift
	if _o=$(as_nobody "$@" 2>&1); then
		tap_not_ok "uid 65534: $_d is refused" "succeeded: $_o"
	else
		case "$_o" in
		*"Operation not permitted"*) tap_ok "uid 65534: $_d is refused with EPERM" ;;
		*) tap_not_ok "uid 65534: $_d is refused with EPERM" "got: $_o" ;;
		esac
	fi
	tap_check "uid 65534: after $_d the generation is still $gen0" test "$(generation)" = "$gen0"
}
firstid=$(tcp-policy -j list | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
eperm "add" tcp-policy add --match-uid=1 --action=deny
eperm "del $firstid" tcp-policy del "$firstid"
eperm "flush" tcp-policy flush
eperm "load" tcp-policy load "$tmp/all.rules"
eperm "mode off" tcp-policy mode off
eperm "mode blocking" tcp-policy mode blocking --ops=unlink
tap_check "uid 65534: test works" as_nobody tcp-policy test --op=exec --uid=1000 --path=/tmp/x
tap_check "uid 65534: list works and shows $nrules rules" \
	sh -c "su -s /bin/sh -c 'tcp-policy -j list' nobody | python3 -c 'import json, sys; assert len(json.load(sys.stdin)) == $nrules'"
tap_check "uid 65534: save to stdout works" sh -c "su -s /bin/sh -c 'tcp-policy save' nobody | cmp -s - '$tmp/s1.rules'"
tap_check "uid 65534: mode (show) works" as_nobody tcp-policy mode
tap_check "uid 65534: stats works" as_nobody tcp-policy stats

# --- del -------------------------------------------------------------------------------------
n=$(rule_count)
tap_check "del $firstid" tcp-policy del "$firstid"
tap_check "one rule fewer" test "$(rule_count)" = $((n - 1))
expect_fail "del $firstid again: no such rule" "no rule has id $firstid" tcp-policy del "$firstid"
expect_fail "add with an id in use is refused: EEXIST, the module's message" \
	"add: File exists: id: a rule with this id exists" tcp-policy add --id="$(tcp-policy -j list | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')" --action=allow
tap_check "add --id=4000 gives that id" test "$(tcp-policy add --id=4000 --match-uid=7 --action=allow)" = 4000
expect_fail "add without --action is a usage error" "no --action" tcp-policy add --match-uid=1
expect_fail "add with an unknown option names it" "unknown option '--match-ui'" tcp-policy add --match-ui=1 --action=deny
tap_check "flush" tcp-policy flush
tap_check "no rules left" test "$(rule_count)" = 0

# --- modes ----------------------------------------------------------------------------------
# param NAME: the module parameter as a number (Y/N for booleans).
param() {
	python3 -c 'import sys; v = open(sys.argv[1]).read().strip(); print({"Y": 1, "N": 0}.get(v, None) if v in "YN" else int(v, 0))' "$PARAMS/$1"
}
all_ops=$(( (1 << 18) - 1 ))  # the 18 operations of uapi 4
# mode_is NAME LEVEL ALERTS BLOCK_OPS: the parameters and mode -j agree.
mode_is() {
	tap_check "mode $1: security_level=$2 alerts=$3 block_ops=$4" \
		test "$(param security_level)" = "$2" -a "$(param alerts)" = "$3" -a "$(param block_ops)" = "$4"
	tcp-policy -j mode > "$tmp/mode.json"
	tap_check "mode $1: mode -j says $1, level $2" \
		expect_json "$tmp/mode.json" "d['mode'] == '$1' and d['level'] == $2 and d['alerts'] == bool($3) and d['block_ops'] == $4"
}
tap_check "mode enforce" tcp-policy mode enforce
mode_is enforce 2 1 $all_ops
tap_check "mode monitor" tcp-policy mode monitor
mode_is monitor 1 0 $all_ops
tap_check "mode alerts" tcp-policy mode alerts
mode_is alerts 1 1 $all_ops
tap_check "mode blocking --ops=unlink,rmdir" tcp-policy mode blocking --ops=unlink,rmdir
mode_is blocking 2 1 $(( (1 << 4) | (1 << 5) ))
tap_check "mode monitor (block_ops stays)" tcp-policy mode monitor
mode_is monitor 1 0 $(( (1 << 4) | (1 << 5) ))
tap_check "mode paranoid" tcp-policy mode paranoid
mode_is paranoid 3 1 $all_ops
tap_check "mode off" tcp-policy mode off
mode_is off 0 1 $all_ops
expect_fail "mode blocking without --ops is a usage error" "needs --ops" tcp-policy mode blocking
expect_fail "mode bogus is a usage error" "unknown mode" tcp-policy mode bogus
tap_check "mode text output names the mode" sh -c 'tcp-policy mode | grep -q "^mode: *off$"'

# The seed's flag spellings (tcp-bpf config's) set the same modes.
tap_check "mode --full-enforcement" tcp-policy mode --full-enforcement
mode_is enforce 2 1 $all_ops
tap_check "mode --monitor-only" tcp-policy mode --monitor-only
mode_is monitor 1 0 $all_ops
tap_check "mode --enable-alerts" tcp-policy mode --enable-alerts
mode_is alerts 1 1 $all_ops
tap_check "mode --enable-blocking --ops=unlink,rmdir" tcp-policy mode --enable-blocking --ops=unlink,rmdir
mode_is blocking 2 1 $(( (1 << 4) | (1 << 5) ))
tap_check "mode --enable-blocking --syscalls=unlink (tcp-bpf's spelling of --ops)" \
	tcp-policy mode --enable-blocking --syscalls=unlink
mode_is blocking 2 1 $(( 1 << 4 ))
expect_fail "mode --enable-blocking without --ops is a usage error" "--enable-blocking needs --ops" \
	tcp-policy mode --enable-blocking
expect_fail "mode --monitor-only --full-enforcement is a usage error" "give one mode" \
	tcp-policy mode --monitor-only --full-enforcement
expect_fail "mode --enable-alerts enforce is a usage error" "give one mode" \
	tcp-policy mode --enable-alerts enforce
expect_fail "mode --monitor-only --ops=unlink is a usage error" "--ops goes with" \
	tcp-policy mode --monitor-only --ops=unlink
mode_is blocking 2 1 $(( 1 << 4 ))
tap_check "mode off" tcp-policy mode off

# blocking: unlink enforced, open only would-deny.
tap_check "mode blocking --ops=unlink,rmdir" tcp-policy mode blocking --ops=unlink,rmdir
rid=$(tcp-policy add --match-path='/srv/**' --action=deny)
whatif "$tmp/w.json" --op=unlink --path=/srv/a
tap_check "blocking: unlink of /srv/a -> deny" expect_json "$tmp/w.json" "d['verdict'] == 'deny' and d['rule'] == $rid"
whatif "$tmp/w.json" --op=open --path=/srv/a --access=write
tap_check "blocking: open of /srv/a -> would-deny" expect_json "$tmp/w.json" "d['verdict'] == 'allow' and d['would_deny'] and d['rule'] == $rid"
tap_check "mode off" tcp-policy mode off
whatif "$tmp/w.json" --op=unlink --path=/srv/a
tap_check "off: unlink of /srv/a -> allow, nothing decided" expect_json "$tmp/w.json" "d['verdict'] == 'allow' and not d['would_deny']"
tap_check "flush" tcp-policy flush

# --- status and stats ------------------------------------------------------------------------
tap_check "mode alerts" tcp-policy mode alerts
tcp-policy -j status > "$tmp/status.json"
tap_check "status -j has the policy summary" \
	expect_json "$tmp/status.json" "d['policy']['mode'] == 'alerts' and d['policy']['rules'] == 0 and isinstance(d['policy']['generation'], int)"
tap_check "status text shows the policy mode" sh -c 'tcp-policy status | grep -q "^policy mode: *alerts"'
tcp-policy add --match-op=exec --match-comm=tcpk40-nothing --action=deny > /dev/null
tcp-policy -j stats > "$tmp/st0.json"
tap_check "stats -j: every counter, and allow/deny/would_deny per operation" \
	expect_json "$tmp/st0.json" "all(isinstance(d[k], int) for k in ('decisions', 'cache_hits', 'cache_misses', 'fast_path', 'events', 'events_dropped', 'audit_records', 'agent_labels', 'agent_labels_lost')) and set(d['ops']['exec']) == {'allow', 'deny', 'would_deny'}"
for i in 1 2 3 4 5; do /bin/true; done
tcp-policy -j stats > "$tmp/st1.json"
tap_check "stats: executions are live decisions (decisions and exec allows grew)" \
	python3 -c "
import json
a = json.load(open('$tmp/st0.json')); b = json.load(open('$tmp/st1.json'))
assert b['decisions'] >= a['decisions'] + 5, (a['decisions'], b['decisions'])
assert b['ops']['exec']['allow'] >= a['ops']['exec']['allow'] + 5, (a['ops'], b['ops'])
assert b['cache_hits'] + b['cache_misses'] + b['fast_path'] > a['cache_hits'] + a['cache_misses'] + a['fast_path']
"
tap_check "stats text shows the counters and the per-operation table" \
	sh -c 'tcp-policy stats > "$1" && grep -q "^decisions " "$1" && grep -q "^exec " "$1"' sh "$tmp/stats.txt"
tap_check "stats --interval=1 --count=2 prints a header and two lines of rates" \
	sh -c 'test "$(tcp-policy stats --interval=1 --count=2 | wc -l)" = 3'
tap_check "stats -j --interval=1 --count=1 prints one JSON object with the interval" \
	sh -c 'tcp-policy -j stats --interval=1 --count=1 | python3 -c "import json, sys; d = json.loads(sys.stdin.readline()); assert d[\"interval\"] == 1 and \"decisions\" in d"'

# --- cost (uapi 12): the in-module component costs ---------------------------
# Structure only: timing is never asserted.  A rule that the cost probes'
# requests match (open of /tmp/tcpk-cost/probe) shows that they are
# what-if decisions: its hit counter must not move.
cid=$(tcp-policy add --match-op=open --match-path=/tmp/tcpk-cost/probe --action=monitor)
rule_hits() {
	tcp-policy -j list | python3 -c "import json, sys; print(sum(r.get('hits', 0) for r in json.load(sys.stdin) if r['id'] == $cid))"
}
h0=$(rule_hits)
tap_check "cost -j --iterations=900 as root" \
	sh -c 'tcp-policy -j cost --iterations=900 > "$1"' sh "$tmp/cost.json"
tap_check "cost -j: counts, cpu, iterations and the seven components" \
	expect_json "$tmp/cost.json" "d['iterations'] == 900 and isinstance(d['cpu'], int) and d['rules'] >= 1 and isinstance(d['descriptors'], int) and sorted(d['components']) == sorted(['desc-hit', 'desc-miss', 'cache-hit', 'cache-miss', 'eval-exec', 'eval-open', 'score-update'])"
tap_check "cost -j: every measured component has 9 batches, ops, 0 < min <= median" \
	expect_json "$tmp/cost.json" "all(c['batches'] == 9 and 9 <= c['ops'] <= 900 and 0 < c['min_ns'] <= c['median_ns'] for c in d['components'].values() if c is not None)"
tap_check "cost -j: desc-hit is n/a exactly when there is no descriptor; the rest are measured" \
	expect_json "$tmp/cost.json" "(d['components']['desc-hit'] is None) == (d['descriptors'] == 0) and all(d['components'][k] is not None for k in ('desc-miss', 'cache-hit', 'cache-miss', 'eval-exec', 'eval-open', 'score-update'))"
tap_check "cost: the probes' what-if decisions left the matching rule's hits alone" \
	test "$(rule_hits)" = "$h0"
tap_check "cost (text): the header and a cache-hit row" \
	sh -c 'tcp-policy cost --iterations=9 > "$1" && grep -q "^COMPONENT " "$1" && grep -q "^cache-hit " "$1"' sh "$tmp/cost.txt"
tap_diag "$(tcp-policy cost 2>&1)"
tap_check "cost: the default iterations (no --iterations) are 10000" \
	sh -c 'tcp-policy -j cost | python3 -c "import json, sys; assert json.load(sys.stdin)[\"iterations\"] == 10000"'
expect_fail "cost --iterations=0 is refused (policy minimum)" 'out of range|Numerical result' \
	tcp-policy cost --iterations=0
expect_fail "cost --iterations=1000001 is refused with the module's message" 'cost-iterations: out of range' \
	tcp-policy cost --iterations=1000001
expect_fail "uid 65534: cost is refused with its extack message" 'needs CAP_NET_ADMIN' \
	as_nobody tcp-policy cost
tap_check "cost: desc add tcpk40-cost (a descriptor for the hit)" \
	tcp-policy desc add tcpk40-cost SAFE 1 1 1
tap_check "cost -j with a descriptor: desc-hit is measured" \
	sh -c 'tcp-policy -j cost --iterations=90 > "$1"' sh "$tmp/cost2.json"
tap_check "cost -j with a descriptor: descriptors >= 1, desc-hit has 9 batches and 0 < min <= median" \
	expect_json "$tmp/cost2.json" "d['descriptors'] >= 1 and d['components']['desc-hit'] is not None and d['components']['desc-hit']['batches'] == 9 and 0 < d['components']['desc-hit']['min_ns'] <= d['components']['desc-hit']['median_ns']"
tap_check "cost: desc del tcpk40-cost" tcp-policy desc del tcpk40-cost
tap_check "cost: the probe rule deleted" tcp-policy del "$cid"

tap_check "flush" tcp-policy flush
for p in $pids; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
pids=
tap_check "rmmod $MOD" rmmod "$MOD"

tap_done
