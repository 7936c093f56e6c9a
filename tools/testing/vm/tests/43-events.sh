#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - events: "tcp-policy monitor -j", started in the background,
# receives a POLICY event for a load (generation and rule count), MODE
# events for mode changes (level, alerts, block_ops; over netlink and by
# writes of the module parameters in sysfs), AGENT_START for
# "tcp-policy run", and a DECISION event when the agent executes a file a
# deny rule matches: exec decisions are taken live from the
# sched_process_exec tracepoint, after the exec, so they are recorded as
# would-deny (allowed) at level 1 and at level 2 alike, with the subject
# (pid, uid, comm, agent) and the object (op, path), the rule and the
# verdict.  Sequence numbers have no gap, no event is dropped; monitor
# exits 0 on SIGINT and after --count events; its text lines; "explain
# PID" shows the exec decision with its rule; uid 65534 can neither join
# the group nor explain.  Then the drop path: with event_queue_len=1, a
# burst of exec decisions the worker cannot drain is dropped but for
# one; stats count the drops (emitted + dropped = produced), and both
# monitors (JSON and text) report the sequence gap and the module's
# drops; the module loads with the default queue again.
#
# Enforced denials (and so audit records) need the BPF-LSM hooks, which
# this test does not load.
#
# Guest environment: root, busybox sh (su, timeout); tcp-policy on PATH;
# python3.

# The sh -c scripts below expand their arguments themselves.
# shellcheck disable=SC2016
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
DIR=/tmp/tcpk43

tmp=$(mktemp -d /tmp/43-events.XXXXXX) || exit 1
chmod 755 "$tmp"
bg=
cleanup() {
	for p in $bg; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp" "$DIR"
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

generation() {
	tcp-policy -j mode | python3 -c 'import json, sys; print(json.load(sys.stdin)["generation"])'
}

# events_where EXPR: the events (one JSON object a line) for which the
# python expression EXPR over "e" holds, as a JSON array.
events_where() {
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(json.dumps([e for e in ev if eval(sys.argv[2])]))' "$tmp/events.json" "$1"
}

[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
tap_check "modprobe $MOD" modprobe "$MOD"
tap_check "flush" tcp-policy flush
tap_check "mode alerts" tcp-policy mode alerts
mkdir -p "$DIR/ws"
cp /bin/busybox "$DIR/sleep"

# --- the monitor --------------------------------------------------------------------------
tcp-policy monitor -j > "$tmp/events.json" 2> "$tmp/monitor.err" &
mon=$!
bg="$bg $mon"
tap_check "monitor joined the group" wait_grep "listening" "$tmp/monitor.err"
dropped0=$(tcp-policy -j stats | python3 -c 'import json, sys; print(json.load(sys.stdin)["events_dropped"])')

printf '%s\n' "add --priority=10 --match-agent='ev*' --match-op=exec --match-path='$DIR/*' --action=deny" > "$tmp/ev.rules"
tap_check "load a rule: agents ev* may not execute $DIR/*" tcp-policy load "$tmp/ev.rules"
rid=$(tcp-policy -j list | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
gen=$(generation)
tap_check "mode monitor" tcp-policy mode monitor

tcp-policy run --agent=ev1 --workspace="$DIR/ws" -- "$DIR/sleep" 600 &
agent1=$!
bg="$bg $agent1"
tap_check "the decision event of ev1's exec arrives" \
	wait_grep '"type":"decision".*"agent":"ev1"' "$tmp/events.json"
tap_check "mode enforce" tcp-policy mode enforce
tcp-policy run --agent=ev2 --workspace="$DIR/ws" -- "$DIR/sleep" 600 &
agent2=$!
bg="$bg $agent2"
tap_check "the decision event of ev2's exec arrives" \
	wait_grep '"type":"decision".*"agent":"ev2"' "$tmp/events.json"
sleep 0.5
kill -INT "$mon"
wait "$mon"
tap_check "monitor exits 0 on SIGINT" test $? = 0
tap_diag "$(cat "$tmp/events.json")"
[ -s "$tmp/monitor.err" ] && tap_diag "monitor stderr: $(cat "$tmp/monitor.err")"

tap_check "every line is one JSON object with seq, type, time and dropped" python3 -c "
import json
for l in open('$tmp/events.json'):
    e = json.loads(l)
    assert isinstance(e['seq'], int) and e['type'] in ('decision', 'policy', 'mode', 'agent-start'), e
    assert isinstance(e['time_ns'], int) and isinstance(e['dropped'], int), e
"
tap_check "sequence numbers follow each other, none dropped, no loss reported" python3 -c "
import json
ev = [json.loads(l) for l in open('$tmp/events.json')]
seq = [e['seq'] for e in ev]
assert seq == list(range(seq[0], seq[0] + len(seq))), seq
assert len(set(e['dropped'] for e in ev)) == 1, [e['dropped'] for e in ev]
assert 'lost' not in open('$tmp/monitor.err').read() and 'dropped' not in open('$tmp/monitor.err').read()
"

events_where "e['type'] == 'policy' and e.get('generation') == $gen" > "$tmp/policy.json"
tap_check "a POLICY event for the load: generation $gen, 1 rule" \
	expect_json "$tmp/policy.json" "len(d) == 1 and d[0]['rules'] == 1"
events_where "e['type'] == 'mode'" > "$tmp/mode.json"
tap_check "MODE events: monitor (level 1, alerts off), then enforce (level 2, all operations)" \
	expect_json "$tmp/mode.json" "[(m['mode']['level'], m['mode']['alerts']) for m in d] == [(1, False), (2, True)] and d[1]['mode']['block_ops'] == (1 << 18) - 1 and d[1]['mode']['mode'] == 'enforce'"
events_where "e['type'] == 'agent-start'" > "$tmp/start.json"
tap_check "AGENT_START events for ev1 (pid $agent1) and ev2 (pid $agent2), comm tcp-policy" \
	expect_json "$tmp/start.json" "[(a['agent'], a['pid'], a['comm']) for a in d] == [('ev1', $agent1, 'tcp-policy'), ('ev2', $agent2, 'tcp-policy')]"
events_where "e['type'] == 'decision'" > "$tmp/dec.json"
tap_check "DECISION event of ev1's exec: pid $agent1, uid 0, comm sleep, exec of $DIR/sleep, rule $rid (deny), would-deny at level 1" \
	expect_json "$tmp/dec.json" "[(e['pid'], e['uid'], e['comm'], e['decision']['op'], e['decision']['path'], e['decision']['rule'], e['decision']['action'], e['decision']['verdict'], e['decision']['would_deny'], e['decision']['level']) for e in d if e.get('agent') == 'ev1'] == [($agent1, 0, 'sleep', 'exec', '$DIR/sleep', $rid, 'deny', 'allow', True, 1)]"
tap_check "DECISION event of ev2's exec at level 2: observed, so still would-deny (allowed), rule $rid" \
	expect_json "$tmp/dec.json" "[(e['pid'], e['decision']['rule'], e['decision']['verdict'], e['decision']['would_deny'], e['decision']['level']) for e in d if e.get('agent') == 'ev2'] == [($agent2, $rid, 'allow', True, 2)]"
tap_check "the events come in order: policy, mode, agent-start ev1, decision ev1, mode, agent-start ev2, decision ev2" \
	python3 -c "
import json
ev = [json.loads(l) for l in open('$tmp/events.json')]
kinds = [(e['type'], e.get('agent')) for e in ev]
want = [('policy', None), ('mode', None), ('agent-start', 'ev1'), ('decision', 'ev1'), ('mode', None), ('agent-start', 'ev2'), ('decision', 'ev2')]
assert kinds == want, kinds
"

# --- explain ---------------------------------------------------------------------------------
tcp-policy -j explain "$agent1" > "$tmp/explain.json"
tap_check "explain $agent1: the exec of $DIR/sleep, rule $rid, would-deny" \
	expect_json "$tmp/explain.json" "[(x['op'], x['path'], x['rule'], x['would_deny']) for x in d if x['op'] == 'exec'] == [('exec', '$DIR/sleep', $rid, True)] and all(isinstance(x['time_ns'], int) for x in d)"
tcp-policy explain "$agent1" > "$tmp/explain.txt"
tap_check "explain (text): exec, would-deny, rule $rid, the path" \
	grep -Eq "exec +would-deny +rule $rid \\(deny\\).*path $DIR/sleep\$" "$tmp/explain.txt"
tap_check "explain of a process without decisions says so" \
	sh -c 'tcp-policy explain $$ | grep -q "no decisions recorded"'

# --- count, text, privilege, counters ------------------------------------------------------
tcp-policy monitor --count=2 > "$tmp/text.out" 2> "$tmp/text.err" &
mon=$!
bg="$bg $mon"
wait_grep "listening" "$tmp/text.err"
tcp-policy mode alerts
tcp-policy flush
i=0
while kill -0 "$mon" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
tap_check "monitor --count=2 exits by itself after 2 events" sh -c "! kill -0 $mon 2>/dev/null"
wait "$mon"
tap_check "... with status 0" test $? = 0
tap_check "text: a mode line, then a policy line" sh -c "
	sed -n 1p '$tmp/text.out' | grep -Eq '^[0-9T:.-]+Z #[0-9]+ mode mode=alerts level=1 alerts=on block_ops=all\$' &&
	sed -n 2p '$tmp/text.out' | grep -Eq '^[0-9T:.-]+Z #[0-9]+ policy generation=[0-9]+ rules=0\$'"
tap_check "text: 2 lines" test "$(wc -l < "$tmp/text.out")" = 2

out=$(as_nobody timeout 10 tcp-policy monitor 2>&1)
rc=$?
case "$out" in
*"Operation not permitted"*) tap_check "uid 65534: monitor is refused (EPERM), status 1" test $rc = 1 ;;
*) tap_not_ok "uid 65534: monitor is refused (EPERM)" "status $rc: $out" ;;
esac
expect_fail "uid 65534: explain is refused (EPERM)" "Operation not permitted" \
	as_nobody tcp-policy explain "$agent1"

tcp-policy -j stats > "$tmp/stats.json"
tap_check "stats: events emitted >= 9, none dropped while listening (still $dropped0)" \
	expect_json "$tmp/stats.json" "d['events'] >= 9 and d['events_dropped'] == $dropped0"
tap_check "stats: the two exec would-denies are counted" \
	expect_json "$tmp/stats.json" "d['ops']['exec']['would_deny'] >= 2 and d['ops']['exec']['deny'] == 0"

# --- mode changes through sysfs are events too ---------------------------------------
tcp-policy monitor -j --count=3 > "$tmp/sysfs.json" 2> "$tmp/sysfs.err" &
mon=$!
bg="$bg $mon"
wait_grep "listening" "$tmp/sysfs.err"
tap_check "sysfs: security_level 3" sh -c "echo 3 > $SYSMOD/parameters/security_level"
tap_check "sysfs: a refused write (security_level 9) fails" sh -c "! echo 9 > $SYSMOD/parameters/security_level"
tap_check "sysfs: alerts 0" sh -c "echo 0 > $SYSMOD/parameters/alerts"
tap_check "sysfs: block_ops 0x10" sh -c "echo 0x10 > $SYSMOD/parameters/block_ops"
i=0
while kill -0 "$mon" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
tap_check "monitor --count=3 got its three events" sh -c "! kill -0 $mon 2>/dev/null"
tap_check "three MODE events with the values written, the refused write none" python3 -c "
import json
ev = [json.loads(l) for l in open('$tmp/sysfs.json')]
got = [(e['type'], e['mode']['level'], e['mode']['alerts'], e['mode']['block_ops']) for e in ev]
assert got == [('mode', 3, True, (1 << 18) - 1), ('mode', 3, False, (1 << 18) - 1), ('mode', 3, False, 0x10)], got
"

for p in $bg; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
bg=
tap_check "flush" tcp-policy flush
tap_check "mode alerts (the default)" tcp-policy mode alerts
tap_check "rmmod $MOD" rmmod "$MOD"

# --- drops: a queue of one slot, a burst of exec decisions ---------------------------
# The smallest queue holds one event.  A chain of N execs (one process,
# $DIR/sh re-executing itself), SCHED_FIFO and pinned to CPU 0, produces
# N + 1 would-deny exec decisions while the worker, a SCHED_NORMAL
# kworker of CPU 0's pool (schedule_work() queues on the local CPU),
# cannot run: the first waits in the slot, the others are dropped.  Two
# mode changes around the burst are the markers: every event between
# them used a sequence number, so emitted + dropped grows by exactly
# N + 3 (both markers and the burst) while listeners are there.
# The chain's violations make it a tracked process, which the hardware
# monitors watch: on the debug kernel under TCG its 41 execs can keep
# a CPU busy for hwmon_busy_ms, and the busy signal's event would be
# one more (a CI run saw N + 4).  hwmon_busy_pm=0 turns the busy and
# low-IPC signals off, so the burst's decisions are the only events.
N=40
stat_of() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}
tap_check "modprobe $MOD event_queue_len=1 hwmon_busy_pm=0 (the smallest queue; no busy signal)" \
	modprobe "$MOD" event_queue_len=1 hwmon_busy_pm=0
tap_check "event_queue_len is 1" test "$(cat "$SYSMOD/parameters/event_queue_len")" = 1
tcp-policy flush
printf '%s\n' "add --priority=10 --match-op=exec --match-path='$DIR/*' --action=deny" > "$tmp/burst.rules"
tap_check "load a rule: nobody may execute $DIR/*" tcp-policy load "$tmp/burst.rules"
cp /bin/busybox "$DIR/sh"
printf '%s\n' 'n=$1' '[ "$n" -gt 0 ] || exit 0' "exec $DIR/sh \"\$0\" \$((n - 1))" > "$DIR/chain"

tcp-policy monitor -j > "$tmp/burst.json" 2> "$tmp/burst.err" &
mon=$!
tcp-policy monitor > "$tmp/burst.txt" 2> "$tmp/burst-text.err" &
mon_text=$!
bg="$mon $mon_text"
tap_check "the JSON monitor joined the group" wait_grep "listening" "$tmp/burst.err"
tap_check "the text monitor joined the group" wait_grep "listening" "$tmp/burst-text.err"
tcp-policy -j stats > "$tmp/burst0.json"
tap_check "marker: mode monitor" tcp-policy mode monitor
tap_check "... received" wait_grep '"type":"mode".*"alerts":false' "$tmp/burst.json"

# The burst: python3 sets the policy and affinity, then becomes the chain.
python3 -c '
import os, sys
os.sched_setaffinity(0, {0})
os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(50))
os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], sys.argv[3]])' "$DIR/sh" "$DIR/chain" "$N" 2> "$tmp/burst-py.err"
tap_check "the burst of $((N + 1)) execs ran (SCHED_FIFO on CPU 0)" test $? = 0 -a ! -s "$tmp/burst-py.err"
# The one slot's event is sent once the burst is over; then the second
# marker finds the queue empty.
tap_check "the queued decision event of the burst arrives" wait_grep '"type":"decision"' "$tmp/burst.json"
sleep 0.5
tap_check "marker: mode alerts" tcp-policy mode alerts
tap_check "... received" wait_grep '"type":"mode".*"alerts":true' "$tmp/burst.json"
wait_grep "mode=alerts" "$tmp/burst.txt"
sleep 0.5
tcp-policy -j stats > "$tmp/burst1.json"
kill -INT $mon $mon_text
wait $mon
tap_check "the JSON monitor exits 0 on SIGINT" test $? = 0
wait $mon_text
tap_check "the text monitor exits 0 on SIGINT" test $? = 0
bg=
tap_diag "$(cat "$tmp/burst.json")"
tap_diag "JSON monitor stderr: $(cat "$tmp/burst.err")"
tap_diag "text monitor stderr: $(cat "$tmp/burst-text.err")"

d0=$(stat_of "$tmp/burst0.json" events_dropped)
d1=$(stat_of "$tmp/burst1.json" events_dropped)
e0=$(stat_of "$tmp/burst0.json" events)
e1=$(stat_of "$tmp/burst1.json" events)
tap_diag "stats: events $e0 -> $e1, events_dropped $d0 -> $d1"
tap_check "stats: events_dropped grew ($d0 -> $d1)" test "$d1" -gt "$d0"
tap_check "stats: emitted + dropped grew by the $((N + 3)) events produced" \
	test $((e1 - e0 + d1 - d0)) = $((N + 3))
tap_check "stats: the queue of 1 slot was full (peak 1) and is empty now" \
	expect_json "$tmp/burst1.json" "d['events_queue_len'] == 1 and d['events_queue_peak'] == 1 and d['events_queued'] == 0"
tap_check "JSON monitor: markers $((N + 3)) sequence numbers apart; the gaps are the drops; dropped rose by as many" python3 -c "
import json
ev = [json.loads(l) for l in open('$tmp/burst.json')]
modes = [e for e in ev if e['type'] == 'mode']
assert len(modes) == 2, modes
assert {e['type'] for e in ev} == {'mode', 'decision'}, ev
s0, s1 = modes[0]['seq'], modes[1]['seq']
assert s1 - s0 + 1 == $N + 3, (s0, s1)
seq = [e['seq'] for e in ev]
assert seq == sorted(seq), seq
lost = sum(b - a - 1 for a, b in zip(seq, seq[1:]))
assert lost == $d1 - $d0 and lost > 0, (lost, seq)
assert len(ev) == $N + 3 - lost, (len(ev), lost)
assert modes[1]['dropped'] - modes[0]['dropped'] == lost, (modes, lost)
assert all(e['decision']['path'] == '$DIR/sh' and e['decision']['would_deny'] for e in ev if e['type'] == 'decision'), ev
"
# lost_total FILE: the events the "N events lost" messages of FILE add up to.
lost_total() {
	sed -n 's/.*monitor: \([0-9]*\) events lost (sequence [0-9]* to [0-9]*)$/\1/p' "$1" |
		awk '{ n += $1 } END { print n + 0 }'
}
tap_check "JSON monitor: reported the sequence gap, $((d1 - d0)) events lost" \
	test "$(lost_total "$tmp/burst.err")" = $((d1 - d0))
tap_check "JSON monitor: reported the module's drops" \
	grep -q "monitor: the module dropped [0-9]* events ([0-9]* since it was loaded)" "$tmp/burst.err"
tap_check "text monitor: reported the sequence gap, $((d1 - d0)) events lost" \
	test "$(lost_total "$tmp/burst-text.err")" = $((d1 - d0))
tap_check "text monitor: reported the module's drops" \
	grep -q "monitor: the module dropped [0-9]* events ([0-9]* since it was loaded)" "$tmp/burst-text.err"
tap_check "text monitor: the two mode lines and the burst's decision lines" sh -c "
	test \$(grep -c ' mode mode=' '$tmp/burst.txt') = 2 &&
	grep -q ' decision .*op=exec path=$DIR/sh: would-deny' '$tmp/burst.txt'"

tap_check "flush" tcp-policy flush
tap_check "rmmod $MOD" rmmod "$MOD"
# Later tests load the module as they please; it is left as found, and
# loads with the default queue again.
tap_check "modprobe $MOD: the default queue (event_queue_len 1024) again" \
	sh -c 'modprobe "$1" && test "$(cat "/sys/module/$1/parameters/event_queue_len")" = 1024' sh "$MOD"
tap_check "rmmod $MOD" rmmod "$MOD"

tap_done
