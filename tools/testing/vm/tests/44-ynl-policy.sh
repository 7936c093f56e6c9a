#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the policy engine's uapi (uapi 3) driven by the kernel's own
# YNL client (tools/net/ynl/cli.py and its lib) from our spec alone: rules
# (add, get, dump, del, replace, flush), what-if, explain, the mode,
# agents, the events group, and what an unprivileged user may and may
# not do.  An independent client: if the spec, the handlers and the
# engine disagree, this fails.
#
# Guest environment: root, busybox sh (su for as_nobody); python3 with
# yaml and jsonschema; cli.py and lib/ in /tcpk/ynl; our spec in
# /tcpk/spec.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
YNLDIR=/tcpk/ynl
CLI=$YNLDIR/cli.py
SPEC=/tcpk/spec/tcp_kernel.yaml

# Files uid 65534 can read.
tmp=$(mktemp -d /tmp/44-ynl-policy.XXXXXX) || exit 1
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

# ynl ARGS...: cli.py on our spec, JSON on stdout.
ynl() {
	python3 "$CLI" --spec "$SPEC" --no-schema --output-json "$@"
}

# ynl_to FILE ARGS...: ynl with its output in FILE.
ynl_to() {
	_f=$1
	shift
	ynl "$@" > "$_f"
}

# ynl_nobody ARGS...: ynl as uid 65534.
ynl_nobody() {
	as_nobody python3 "$CLI" --spec "$SPEC" --no-schema --output-json "$@"
}

# json FILE EXPR: print the python expression EXPR over the document d.
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# A client of the YNL library for what one cli.py call cannot do: an
# agent that labels itself, looks itself up, then execs; and a listener
# of the events group that says when it has joined.
cat > "$tmp/agent.py" <<'EOF'
# agent.py SPEC NAME WORKSPACE [SLEEP]: agent-start, a second agent-start
# (refused), agent-get dump; prints JSON; then execs sleep SLEEP.
import json, os, sys
sys.path.insert(0, "/tcpk/ynl")
from lib import YnlFamily, NlError

ynl = YnlFamily(sys.argv[1], "")
out = {"pid": os.getpid()}
req = {"name": sys.argv[2]}
if sys.argv[3] != "-":
    req["workspace"] = sys.argv[3]
out["start"] = ynl.do("agent-start", {"agent": req})
try:
    ynl.do("agent-start", {"agent": {"name": "again"}})
    out["again"] = 0
except NlError as e:
    out["again"] = e.error
    out["again_msg"] = str(e)
out["mine"] = [m["agent"] for m in ynl.dump("agent-get", {})
               if m["agent"].get("pid") == os.getpid()]
print(json.dumps(out), flush=True)
if len(sys.argv) > 4:
    os.execv("/bin/sleep", ["sleep", sys.argv[4]])
EOF
cat > "$tmp/listen.py" <<'EOF'
# listen.py SPEC DIR SECONDS: joins "events", creates DIR/ready, collects
# events until DIR/stop exists or SECONDS pass (a bound far above the
# test's own length, which grows on a loaded host), writes DIR/events.json.
import json, os, sys, time
sys.path.insert(0, "/tcpk/ynl")
from lib import YnlFamily

ynl = YnlFamily(sys.argv[1], "")
ynl.ntf_subscribe("events")
d = sys.argv[2]
open(os.path.join(d, "ready"), "w").close()
deadline = time.time() + int(sys.argv[3])
while time.time() < deadline and not os.path.exists(os.path.join(d, "stop")):
    ynl.check_ntf()
    time.sleep(0.1)
time.sleep(0.5)
ynl.check_ntf()
# Flags decode as sets, binary as bytes: as cli.py's own encoder does.
json.dump([m["msg"]["event"] for m in ynl.async_msg_queue],
          open(os.path.join(d, "events.json"), "w"),
          default=lambda o: list(o) if isinstance(o, set) else o.hex())
EOF
chmod 644 "$tmp/agent.py" "$tmp/listen.py"

# wait_file FILE SECONDS: until FILE exists.
wait_file() {
	_n=0
	while [ ! -e "$1" ] && [ "$_n" -lt $(($2 * 10)) ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	[ -e "$1" ]
}

# eperm DESC ARGS...: cli.py ARGS as uid 65534 fails with EPERM.
eperm() {
	_d=$1
	shift
	if _o=$(ynl_nobody "$@" 2>&1); then
		tap_not_ok "uid 65534: $_d is refused with EPERM" "succeeded: $_o"
	else
		case "$_o" in
		*"Operation not permitted"*) tap_ok "uid 65534: $_d is refused with EPERM" ;;
		*) tap_not_ok "uid 65534: $_d is refused with EPERM" "got: $_o" ;;
		esac
	fi
}

# refused DESC ERRNO_RE MSG ARGS...: cli.py ARGS fails with an error
# matching the extended regex ERRNO_RE and, unless MSG is empty, an
# extack message containing MSG.
refused() {
	_d=$1
	_e=$2
	_m=$3
	shift 3
	if _o=$(ynl "$@" 2>&1); then
		tap_not_ok "$_d" "succeeded: $_o"
	elif printf '%s\n' "$_o" | grep -Eq "$_e" &&
		{ [ -z "$_m" ] || printf '%s\n' "$_o" | grep "'msg'" | grep -qF "$_m"; }; then
		tap_ok "$_d"
		tap_diag "$(printf '%s\n' "$_o" | grep "'msg'")"
	else
		tap_not_ok "$_d" "expected $_e and a message with '$_m'; got: $_o"
	fi
}

if [ -d "$SYSMOD" ]; then
	rmmod "$MOD" 2>/dev/null
fi
tap_check "modprobe $MOD security_level=2" modprobe "$MOD" security_level=2

# --- the spec lists the new operations -------------------------------------
python3 "$CLI" --spec "$SPEC" --no-schema --list-ops > "$tmp/ops.txt"
for op in rule-add rule-del rule-get rule-flush rule-replace policy-test \
	policy-explain mode-set mode-get agent-start agent-get; do
	tap_check "spec has operation $op" grep -q "^$op " "$tmp/ops.txt"
done

# --- status: uapi 3 and the new counters ------------------------------------
ynl_to "$tmp/status.json" --do get-status
hdr_uapi=$(tcp-policy -j status 2>/dev/null |
	sed -n 's/.*"tool_uapi_version": *\([0-9]*\).*/\1/p')
tap_check "get-status: uapi-version is the header's (${hdr_uapi:-unknown}), 3 or later" \
	expect_json "$tmp/status.json" "d['uapi-version'] == ${hdr_uapi:-0} and d['uapi-version'] >= 3"
tap_check "get-status: stats has the policy, event and agent counters" \
	expect_json "$tmp/status.json" "all(k in d['stats'] for k in ('decisions', 'cache-hits', 'cache-misses', 'fast-path', 'events', 'events-dropped', 'audit-records', 'agent-labels', 'agent-labels-lost'))"
tap_check "get-status: stats has one op nest per operation, in order, with allow/deny/would-deny" \
	expect_json "$tmp/status.json" "[o['op'] for o in d['stats']['op']] == ['exec', 'fork', 'open', 'permission', 'unlink', 'rmdir', 'rename', 'socket', 'connect', 'sendmsg', 'mmap', 'mprotect', 'msgsnd', 'shmat', 'capable', 'ptrace', 'chmod', 'signal'] and all(set(o) >= {'allow', 'deny', 'would-deny'} for o in d['stats']['op'])"

# --- mode ---------------------------------------------------------------------
tap_check "rule-flush" ynl --do rule-flush
tap_check "mode-get" ynl_to "$tmp/mode.json" --do mode-get
tap_diag "$(cat "$tmp/mode.json")"
tap_check "mode-get: level enforce (security_level=2), alerts on, every op blocked, 0 rules, a limit, a generation" \
	expect_json "$tmp/mode.json" "d['mode']['level'] == 'enforce' and d['mode']['alerts'] == 1 and len(d['mode']['block-ops']) == 18 and d['rule-count'] == 0 and d['rule-limit'] >= 1 and 'generation' in d"
gen0=$(json "$tmp/mode.json" "d['generation']")

# --- the events listener, from here on --------------------------------------
mkdir "$tmp/ev"
python3 "$tmp/listen.py" "$SPEC" "$tmp/ev" 1800 2> "$tmp/ev/err" &
listener=$!
tap_check "root joins the events group (YNL lib ntf_subscribe)" wait_file "$tmp/ev/ready" 120

# --- rule-add, rule-get -------------------------------------------------------
ynl_to "$tmp/add1.json" --do rule-add --json \
	'{"rule": {"action": "deny", "ops": ["unlink", "rmdir"], "path": "/tmp/ynl44-*", "comm": "rm*"}}'
tap_diag "$(cat "$tmp/add1.json")"
tap_check "rule-add: the reply carries the rule with an id and a new generation" \
	expect_json "$tmp/add1.json" "d['rule'][0]['id'] >= 1 and d['rule'][0]['action'] == 'deny' and d['rule'][0]['priority'] == 1000 and d['generation'] > $gen0"
id1=$(json "$tmp/add1.json" "d['rule'][0]['id']")
gen1=$(json "$tmp/add1.json" "d['generation']")

full='{"rule": {"id": 4400, "priority": 5, "action": "kill", "flags": ["alert"],
 "pid": 12345, "uid": 1000, "gid": 1001, "comm": "py*", "exe": "/usr/bin/**",
 "path": "/etc/**", "path-scope": "outside", "syscall": [59, 322],
 "ops": ["exec"], "desc-any": ["critical"], "desc-all": ["destructive", "dangerous-exec"],
 "anomaly-min": 70, "agent": "ynl44-*", "cgroup": 1, "access": ["exec"]}}'
tap_check "rule-add of a rule with every condition, id 4400" \
	ynl_to "$tmp/add2.json" --do rule-add --json "$full"
ynl_to "$tmp/get2.json" --do rule-get --json '{"rule": {"id": 4400}}'
tap_diag "$(cat "$tmp/get2.json")"
tap_check "rule-get 4400 gives back every attribute as added, hits 0" \
	expect_json "$tmp/get2.json" "(lambda r: r['id'] == 4400 and r['priority'] == 5 and r['action'] == 'kill' and r['flags'] == ['alert'] and r['pid'] == 12345 and r['uid'] == 1000 and r['gid'] == 1001 and r['comm'] == 'py*' and r['exe'] == '/usr/bin/**' and r['path'] == '/etc/**' and r['path-scope'] == 'outside' and r['syscall'] == [59, 322] and r['ops'] == ['exec'] and r['desc-any'] == ['critical'] and sorted(r['desc-all']) == ['dangerous-exec', 'destructive'] and r['anomaly-min'] == 70 and r['agent'] == 'ynl44-*' and r['cgroup'] == 1 and r['access'] == ['exec'] and r['hits'] == 0)(d['rule'][0])"

tap_check "rule-get --dump" ynl_to "$tmp/dump.json" --dump rule-get
tap_check "rule-get --dump: two rules in evaluation order (priority 5 first), with hits" \
	expect_json "$tmp/dump.json" "[m['rule'][0]['id'] for m in d] == [4400, $id1] and all('hits' in m['rule'][0] for m in d)"

refused "rule-add of id 4400 again: refused" "File exists|Invalid argument" "" \
	--do rule-add --json '{"rule": {"id": 4400, "action": "allow"}}'
refused "rule-add without an action: EINVAL, 'action: missing'" \
	"Invalid argument" "action: missing" --do rule-add --json '{"rule": {"comm": "x"}}'
refused "rule-add with hits: EINVAL, 'hits: only in replies'" \
	"Invalid argument" "hits: only in replies" \
	--do rule-add --json '{"rule": {"action": "allow", "hits": 1}}'
refused "rule-add with an empty ops set: EINVAL, 'ops: empty'" \
	"Invalid argument" "ops: empty" --do rule-add --json '{"rule": {"action": "allow", "ops": []}}'
refused "rule-add with a comm glob of 64 bytes: refused by the policy" \
	"Invalid argument" "" --do rule-add --json \
	"{\"rule\": {\"action\": \"allow\", \"comm\": \"$(printf '%064d' 0)\"}}"
refused "rule-add with action 7: out of range" "Numerical result out of range" "" \
	--do rule-add --json '{"rule": {"action": 7}}'
refused "rule-add with 17 syscalls: EINVAL, 'more than 16'" "Invalid argument" \
	"syscall: more than 16" --do rule-add --json \
	'{"rule": {"action": "allow", "syscall": [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}}'
refused "rule-add with a desc nest too: EINVAL, 'desc: not taken'" "Invalid argument" \
	"desc: not taken by this command" --do rule-add --json \
	'{"rule": {"action": "allow"}, "desc": {"syscall": 1}}'

# --- policy-test (what-if) ----------------------------------------------------
ynl_to "$tmp/t1.json" --do policy-test --json \
	'{"req": {"op": "unlink", "path": "/tmp/ynl44-x", "comm": "rm"}}'
tap_diag "$(cat "$tmp/t1.json")"
tap_check "policy-test: unlink of /tmp/ynl44-x by rm is denied by rule $id1 ('rule $id1 (deny)')" \
	expect_json "$tmp/t1.json" "(lambda x: x['verdict'] == 'deny' and x['rule-id'] == $id1 and x['action'] == 'deny' and 'matched' in x['flags'] and x['reason'] == 'rule $id1 (deny)' and x['level'] == 'enforce')(d['decision'][0]) and d['generation'] >= $gen1"
ynl_to "$tmp/t2.json" --do policy-test --json \
	'{"req": {"op": "unlink", "path": "/home/x", "comm": "rm"}}'
tap_check "policy-test: unlink of /home/x is allowed by the default (rule-id 0)" \
	expect_json "$tmp/t2.json" "(lambda x: x['verdict'] == 'allow' and x['rule-id'] == 0 and 'matched' not in x['flags'])(d['decision'][0])"
ynl_to "$tmp/t3.json" --do policy-test --json '{"req": {"op": "socket"}}'
tap_check "policy-test: socket (no rule for it) takes the fast path" \
	expect_json "$tmp/t3.json" "(lambda x: x['verdict'] == 'allow' and 'fast-path' in x['flags'] and x['reason'] == 'fast path: no rule for socket')(d['decision'][0])"
ynl_to "$tmp/t4.json" --do policy-test --json "{\"req\": {\"op\": \"unlink\", \"pid\": $$, \"path\": \"/tmp/ynl44-y\", \"comm\": \"rm\"}}"
tap_check "policy-test with the pid of a live process (this shell) and its comm overridden: denied" \
	expect_json "$tmp/t4.json" "d['decision'][0]['verdict'] == 'deny'"
refused "policy-test of a pid that does not exist: ESRCH" "No such process" "pid: no such process" \
	--do policy-test --json '{"req": {"op": "exec", "pid": 4000000}}'
refused "policy-test without op: EINVAL, 'op: missing'" "Invalid argument" "op: missing" \
	--do policy-test --json '{"req": {"comm": "x"}}'
refused "policy-test of a relative path: EINVAL" "Invalid argument" "path: not absolute" \
	--do policy-test --json '{"req": {"op": "open", "path": "x"}}'
tap_check "uid 65534 may ask policy-test" \
	ynl_nobody --do policy-test --json '{"req": {"op": "unlink", "path": "/tmp/ynl44-x", "comm": "rm"}}'

# --- mode-set -------------------------------------------------------------------
tap_check "mode-set level monitor" ynl --do mode-set --json '{"mode": {"level": "monitor"}}'
ynl_to "$tmp/mode1.json" --do mode-get
tap_check "mode-get: level monitor, the rest unchanged" \
	expect_json "$tmp/mode1.json" "d['mode']['level'] == 'monitor' and d['mode']['alerts'] == 1 and len(d['mode']['block-ops']) == 18"
tap_check "security_level follows: 1" test "$(cat $SYSMOD/parameters/security_level)" = 1
ynl_to "$tmp/t5.json" --do policy-test --json \
	'{"req": {"op": "unlink", "path": "/tmp/ynl44-x", "comm": "rm"}}'
tap_check "policy-test at level monitor: allowed, would-deny" \
	expect_json "$tmp/t5.json" "(lambda x: x['verdict'] == 'allow' and 'would-deny' in x['flags'] and 'would deny' in x['reason'])(d['decision'][0])"
tap_check "mode-set level enforce, block-ops rmdir only" \
	ynl --do mode-set --json '{"mode": {"level": "enforce", "block-ops": ["rmdir"]}}'
ynl_to "$tmp/t6.json" --do policy-test --json \
	'{"req": {"op": "unlink", "path": "/tmp/ynl44-x", "comm": "rm"}}'
ynl_to "$tmp/t7.json" --do policy-test --json \
	'{"req": {"op": "rmdir", "path": "/tmp/ynl44-x", "comm": "rm"}}'
tap_check "level enforce, block-ops rmdir: unlink would-deny, rmdir denied" \
	sh -c "python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))[\"decision\"][0]; b=json.load(open(sys.argv[2]))[\"decision\"][0]; assert a[\"verdict\"] == \"allow\" and \"would-deny\" in a[\"flags\"] and b[\"verdict\"] == \"deny\", (a, b)' $tmp/t6.json $tmp/t7.json"
refused "mode-set with an empty mode nest: EINVAL" "Invalid argument" "mode: nothing to set" \
	--do mode-set --json '{"mode": {}}'
refused "mode-set level 4: out of range" "Numerical result out of range" "" \
	--do mode-set --json '{"mode": {"level": 4}}'
tap_check "mode-set back: every op blocked" ynl --do mode-set --json \
	'{"mode": {"block-ops": ["exec", "fork", "open", "permission", "unlink", "rmdir", "rename", "socket", "connect", "sendmsg", "mmap", "mprotect", "msgsnd", "shmat", "capable", "ptrace", "chmod", "signal"]}}'

# --- rule-replace ---------------------------------------------------------------
ynl_to "$tmp/genb.json" --do mode-get
genb=$(json "$tmp/genb.json" "d['generation']")
out=$(ynl --do rule-replace --json '{"rule": [{"action": "allow", "comm": "a"}, {"action": "deny", "comm": ""}, {"action": "deny"}]}' 2>&1)
tap_diag "cli.py said: $out"
# The index is in the message where the kernel formats extack messages
# (6.12); on 6.1 the bad attribute points into the nest (cli.py names
# it '.rule').
if printf '%s\n' "$out" | grep -q 'Invalid argument' &&
	printf '%s\n' "$out" | grep "'msg'" | grep -qF 'comm: empty' &&
	{ printf '%s\n' "$out" | grep "'msg'" | grep -q 'rule 1: ' ||
		printf '%s\n' "$out" | grep -q "'bad-attr': '.rule"; }; then
	tap_ok "rule-replace with an empty comm in rule 1: EINVAL, extack names rule 1 and the field"
else
	tap_not_ok "rule-replace with an empty comm in rule 1: EINVAL, extack names rule 1 and the field" "got: $out"
fi
ynl_to "$tmp/dump2.json" --dump rule-get
ynl_to "$tmp/genb2.json" --do mode-get
tap_check "the refused replace changed nothing: the same two rules, the same generation" \
	sh -c "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); g=json.load(open(sys.argv[2])); assert [m[\"rule\"][0][\"id\"] for m in d] == [4400, $id1] and g[\"generation\"] == $genb' $tmp/dump2.json $tmp/genb2.json"
out=$(ynl --do rule-replace --json '{"rule": [{"action": "allow", "comm": "a"}, {"action": "deny", "path": "[oops"}]}' 2>&1)
if printf '%s\n' "$out" | grep -q 'Invalid argument'; then
	tap_ok "rule-replace with an unterminated glob in rule 1: refused by the engine"
	tap_diag "$(printf '%s\n' "$out" | grep "'msg'")"
else
	tap_not_ok "rule-replace with an unterminated glob in rule 1: refused by the engine" "got: $out"
fi
tap_check "rule-replace with 3 rules" ynl --do rule-replace --json \
	'{"rule": [{"id": 7, "action": "allow", "comm": "a"}, {"action": "monitor", "ops": ["exec"], "agent": "ynl44-*"}, {"id": 9, "priority": 1, "action": "deny", "ops": ["exec"], "agent": "ynl44ev"}]}'
ynl_to "$tmp/dump3.json" --dump rule-get
tap_diag "$(cat "$tmp/dump3.json")"
tap_check "rule-get --dump after replace: 3 rules, 9 (priority 1) first, then 7 and the one with an assigned id" \
	expect_json "$tmp/dump3.json" "[m['rule'][0]['id'] for m in d][:2] == [9, 7] and len(d) == 3 and d[2]['rule'][0]['id'] not in (7, 9)"
monid=$(json "$tmp/dump3.json" "d[2]['rule'][0]['id']")
ynl_to "$tmp/mode3.json" --do mode-get
tap_check "mode-get: rule-count 3, a new generation" \
	expect_json "$tmp/mode3.json" "d['rule-count'] == 3 and d['generation'] > $genb"

# --- rule-del ---------------------------------------------------------------------
tap_check "rule-del 7" ynl --do rule-del --json '{"rule": {"id": 7}}'
refused "rule-del 7 again: ENOENT" "No such file or directory" "id: no rule has this id" \
	--do rule-del --json '{"rule": {"id": 7}}'
refused "rule-get 7: ENOENT" "No such file or directory" "id: no rule has this id" \
	--do rule-get --json '{"rule": {"id": 7}}'
refused "rule-del naming a rule by more than its id: EINVAL" "Invalid argument" \
	"rule: only id names a rule here" --do rule-del --json '{"rule": {"id": 9, "comm": "x"}}'

# --- agents -----------------------------------------------------------------------
python3 "$tmp/agent.py" "$SPEC" ynl44-a /tmp > "$tmp/agent1.json" 2>&1
tap_diag "$(cat "$tmp/agent1.json")"
tap_check "agent-start: the reply carries the name, workspace, a session, the caller's pid" \
	expect_json "$tmp/agent1.json" "d['start']['agent']['name'] == 'ynl44-a' and d['start']['agent']['workspace'] == '/tmp' and d['start']['agent']['session'] >= 1 and d['start']['agent']['pid'] == d['pid']"
tap_check "agent-start a second time: EPERM (a label cannot be changed)" \
	expect_json "$tmp/agent1.json" "d['again'] == 1"
tap_check "agent-get --dump lists the labelled caller with its session" \
	expect_json "$tmp/agent1.json" "len(d['mine']) == 1 and d['mine'][0]['name'] == 'ynl44-a' and d['mine'][0]['session'] == d['start']['agent']['session']"
as_nobody python3 "$tmp/agent.py" "$SPEC" ynl44-n - > "$tmp/agent2.json" 2>&1
tap_check "uid 65534 may label itself (agent-start needs no privilege) and dump agents" \
	expect_json "$tmp/agent2.json" "d['start']['agent']['name'] == 'ynl44-n' and 'workspace' not in d['start']['agent'] and len(d['mine']) == 1"
refused "agent-start with a relative workspace: EINVAL" "Invalid argument" \
	"workspace: not absolute" --do agent-start --json '{"agent": {"name": "x", "workspace": "rel"}}'
refused "agent-start without a name: EINVAL" "Invalid argument" "name: missing" \
	--do agent-start --json '{"agent": {"workspace": "/tmp"}}'

# An agent that execs: its decision is remembered for explain (rule
# $monid, monitor, exec of agents ynl44-*), and the exec of an agent
# ynl44ev is a would-deny decision event (rule 9; an exec seen by the
# tracepoint has happened, so it is never enforced).
python3 "$tmp/agent.py" "$SPEC" ynl44-x /tmp 900 > "$tmp/agent3.json" 2>&1 &
apid=$!
python3 "$tmp/agent.py" "$SPEC" ynl44ev /tmp 900 > "$tmp/agent4.json" 2>&1 &
epid=$!
wait_file "$tmp/agent3.json" 60
n=0
while [ "$(cat /proc/$apid/comm 2>/dev/null)" != sleep ] && [ $n -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
n=0
while [ "$(cat /proc/$epid/comm 2>/dev/null)" != sleep ] && [ $n -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
tap_check "the agents exec'd sleep" test "$(cat /proc/$apid/comm)$(cat /proc/$epid/comm)" = sleepsleep
ynl_to "$tmp/explain.json" --do policy-explain --json "{\"pid\": $apid}"
tap_diag "$(cat "$tmp/explain.json")"
tap_check "policy-explain of the agent: a decision of rule $monid (monitor) for exec, with its time" \
	expect_json "$tmp/explain.json" "any(x['rule-id'] == $monid and x['action'] == 'monitor' and x['op'] == 'exec' and x['time'] > 0 for x in d['decision'])"
refused "policy-explain of a process without history: ENOENT" "No such file or directory" \
	"no decision is remembered" --do policy-explain --json '{"pid": 4000000}'
ynl_to "$tmp/agents.json" --dump agent-get
tap_check "agent-get --dump: both agents, by pid, with their labels" \
	expect_json "$tmp/agents.json" "{m['agent']['pid']: m['agent']['name'] for m in d}.get($apid) == 'ynl44-x' and {m['agent']['pid']: m['agent']['name'] for m in d}.get($epid) == 'ynl44ev'"
kill "$apid" "$epid" 2>/dev/null
wait "$apid" "$epid" 2>/dev/null

# --- privilege --------------------------------------------------------------------
eperm "rule-add" --do rule-add --json '{"rule": {"action": "allow"}}'
eperm "rule-del" --do rule-del --json '{"rule": {"id": 9}}'
eperm "rule-flush" --do rule-flush
eperm "rule-replace" --do rule-replace --json '{"rule": []}'
eperm "mode-set" --do mode-set --json '{"mode": {"level": 0}}'
eperm "policy-explain" --do policy-explain --json "{\"pid\": $$}"
tap_check "uid 65534: mode-get" ynl_nobody --do mode-get
tap_check "uid 65534: rule-get --dump" ynl_nobody --dump rule-get
tap_check "uid 65534: agent-get --dump" ynl_nobody --dump agent-get
ynl_to "$tmp/dump4.json" --dump rule-get
tap_check "after the refused mutations the rules are as they were (2 rules)" \
	expect_json "$tmp/dump4.json" "len(d) == 2"

# --- events -----------------------------------------------------------------------
out=$(ynl_nobody --subscribe events --sleep 1 2>&1)
case "$out" in
*"Operation not permitted"*) tap_ok "uid 65534: joining the events group (cli.py --subscribe events) is refused with EPERM" ;;
*) tap_not_ok "uid 65534: joining the events group (cli.py --subscribe events) is refused with EPERM" "got: $out" ;;
esac

ynl_to "$tmp/flush.json" --do rule-flush
ynl_to "$tmp/mode5.json" --do mode-get
genf=$(json "$tmp/mode5.json" "d['generation']")
tap_check "mode-set alerts off" ynl --do mode-set --json '{"mode": {"alerts": 0}}'
ynl --do mode-set --json '{"mode": {"alerts": 1}}' > /dev/null
sleep 1
touch "$tmp/ev/stop"
wait "$listener"
tap_check "the listener wrote what it received" test -s "$tmp/ev/events.json"
tap_diag "$(head -c 3000 "$tmp/ev/events.json")"
tap_check "events: a policy event for the first rule-add (generation $gen1, 1 rule)" \
	expect_json "$tmp/ev/events.json" "any(e['type'] == 'policy' and e['generation'] == $gen1 and e['rules'] == 1 for e in d)"
tap_check "events: a policy event for the flush (generation $genf, 0 rules)" \
	expect_json "$tmp/ev/events.json" "any(e['type'] == 'policy' and e['generation'] == $genf and e['rules'] == 0 for e in d)"
tap_check "events: mode events, one with level monitor, one with alerts 0" \
	expect_json "$tmp/ev/events.json" "any(e['type'] == 'mode' and e['mode']['level'] == 'monitor' for e in d) and any(e['type'] == 'mode' and e['mode']['alerts'] == 0 for e in d)"
tap_check "events: an agent-start event for ynl44-a" \
	expect_json "$tmp/ev/events.json" "any(e['type'] == 'agent-start' and e.get('agent') == 'ynl44-a' for e in d)"
tap_check "events: a would-deny decision event of rule 9 for the exec of agent ynl44ev (pid $epid)" \
	expect_json "$tmp/ev/events.json" "any(e['type'] == 'decision' and e['pid'] == $epid and e.get('agent') == 'ynl44ev' and e['decision']['rule-id'] == 9 and 'would-deny' in e['decision']['flags'] and e['decision']['op'] == 'exec' for e in d)"
tap_check "events: sequence numbers increase, no drop reported" \
	expect_json "$tmp/ev/events.json" "all(a['seq'] < b['seq'] for a, b in zip(d, d[1:])) and all(e['dropped'] == 0 for e in d)"

# cli.py's own --subscribe, as root: it joins, sleeps, then prints what
# it received.  When it has joined is not known from outside, so rule
# flushes (each a new rule set, each a policy event) are made until it
# is done; those after the join reach it.
ynl --subscribe events --sleep 8 > "$tmp/cli-ev.json" 2>&1 &
clipid=$!
n=0
while kill -0 "$clipid" 2>/dev/null && [ $n -lt 60 ]; do
	ynl --do rule-flush > /dev/null
	n=$((n + 1))
done
wait "$clipid"
tap_diag "$(head -c 600 "$tmp/cli-ev.json")"
if grep -q '"type": "policy"' "$tmp/cli-ev.json"; then
	tap_ok "cli.py --subscribe events (root) receives the policy event of a rule-flush"
else
	tap_not_ok "cli.py --subscribe events (root) receives the policy event of a rule-flush" "$(cat "$tmp/cli-ev.json")"
fi

ynl_to "$tmp/status2.json" --do get-status
tap_diag "$(json "$tmp/status2.json" "{k: v for k, v in d['stats'].items() if k != 'op'}")"
tap_check "get-status: events emitted > 0, none dropped, agent labels >= 4, decisions > 0" \
	expect_json "$tmp/status2.json" "d['stats']['events'] > 0 and d['stats']['events-dropped'] == 0 and d['stats']['agent-labels'] >= 4 and d['stats']['decisions'] > 0"
tap_check "get-status: the exec would-deny is counted for exec" \
	expect_json "$tmp/status2.json" "d['stats']['op'][0]['op'] == 'exec' and d['stats']['op'][0]['would-deny'] >= 1"

ynl --do rule-flush > /dev/null
tap_check "rmmod $MOD" rmmod "$MOD"

tap_done
