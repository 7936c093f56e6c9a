#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the stress run (issue 9, item 3): under full enforcement
# (security_level 2, the BPF-LSM programs attached, agent.rules and the
# default descriptor packs loaded, mode enforce), for TCPK_STRESS_SECONDS
# (default 30), all at once:
#
#  - stress-ng as the agent "stress" (tcp-policy run, root, temporary
#    files in its workspace): fork, open, dentry, rename, getdent, chmod,
#    mmap; and stress-ng outside any agent as user dev (the exec stressor
#    refuses to run as root): exec, fork, open.  Both niced (10), so that
#    the control plane below gets its share of the guest's CPUs;
#  - the agent reading /etc/shadow in a loop: refused each time by
#    agent.rules, a deny event each time (the event flood);
#  - tcpk-replace: the rule set replaced 100 times a second (one
#    TCPK_CMD_RULE_REPLACE each: agent.rules' rules, a marker rule
#    "rep-N", and on odd N 16 filler rules);
#  - a descriptor churner: flush, then the packs and 10,000 generated
#    descriptors loaded in one batch, in a loop;
#  - tcp-policy monitor -j, receiving every event.
#
# Then: both stress-ng runs exit 0 (a stressor refused by the policy
# would be a failure: agent.rules allows an agent's work in its
# workspace); the replace rate is at least 20/s (1/s on the debug
# kernel; the rate achieved is a diagnostic) with no replace refused; the rule set in force is the
# last one sent; the descriptor count is back to the packs' once the
# churner is stopped and the packs reloaded; every event is accounted:
# between two marker events (mode enforce, the guest quiet) the
# monitor's sequence numbers are either received or reported lost, and
# the losses it reports equal the module's dropped-events delta (plus
# what the monitor's socket lost, which it reports separately); then
# tcp-bpf detach, rmmod, no KASAN, lockdep, RCU, hung-task or other splat
# in the kernel log, kmemleak clean.
#
# Guest environment: root, busybox sh; users dev (1000); tcp-policy,
# tcp-bpf, tcpk-replace, tcpk-descgen, stress-ng and python3 on PATH;
# /etc/tcp_kernel/agent.rules and descriptors.d.
#
# tcpk-kernels: debug 6.12

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"
# shellcheck source=SCRIPTDIR/../../lib/fuzz.sh
. "$TCPK_TESTLIB/fuzz.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
AGENT_RULES=/etc/tcp_kernel/agent.rules
PACKS=/etc/tcp_kernel/descriptors.d
# 30 s in make check (the debug guest's share of CI's 90 minutes);
# longer on demand through TCPK_STRESS_SECONDS.
SECONDS_=${TCPK_STRESS_SECONDS:-30}
RATE=100
# The floor of the replace rate: a stock guest under TCG reached 81.6/s
# in the stress (20 s, 2026-12-07), the debug kernel (KASAN, lockdep,
# kmemleak) 6.6/s, its slowest replace taking 336 ms, and 4.6/s in a
# 30 s run beside other guests: there the floor only says that replaces
# kept going (one a second), as a host busy with other guests slows the
# guest's every step.
MIN_RATE=20
[ "${TCPK_KERNEL:-}" = debug ] && MIN_RATE=1
CHURN=10000
WS=/tmp/stress-ws
DEVDIR=/tmp/stress-dev
# How long past the end the stressors may take to stop.  The dentry
# stressor's clean-up (each unlink decided by the module) ran 150 s past
# a 30 s run on the debug kernel with its default 2048 dentries per
# iteration, hence --dentries 256 and a grace that leaves room for a
# host busy with other guests.  The overrun grows with the run: a 300 s
# run on the debug kernel, four guests on the host's two cores, had
# stress-ng's chmod and mmap stressors end by themselves after 621 s.
# So the grace is 300 s plus the run's own length.
GRACE=$((300 + SECONDS_))

tmp=$(mktemp -d /tmp/58-stress.XXXXXX) || exit 1
chmod 755 "$tmp"
MON=$tmp/events.json
pids=
made_shadow=
cleanup() {
	touch "$tmp/stop"
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	unload_module
	rm -rf "$tmp" "$WS" "$DEVDIR" ${made_shadow:+"$made_shadow"}
}
trap cleanup EXIT

now() { cut -d' ' -f1 /proc/uptime; }
since() { awk "BEGIN { printf \"%.1f\", $(now) - $1 }"; }
stat_of() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}
db_count() {
	tcp-policy -j desc count | python3 -c "import json, sys; print(json.load(sys.stdin)['count'])"
}

t_start=$(now)
tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r)); $SECONDS_ s of stress, $(nproc) CPUs"

# --- full enforcement ----------------------------------------------------------
if [ -d "$SYSMOD" ]; then
	tcp-bpf detach > /dev/null 2>&1
	retry 10 rmmod "$MOD" 2>/dev/null
fi
kmemleak_start
fuzz_log_start
tap_check "modprobe $MOD security_level=2" modprobe "$MOD" security_level=2
tap_check "tcp-bpf load" tcp-bpf load
tap_check "tcp-bpf attach" tcp-bpf attach
tap_check "load $AGENT_RULES" tcp-policy load "$AGENT_RULES"
tcp-policy -j list > "$tmp/base.json"
nbase=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/base.json")
tap_check "desc load of the default packs" sh -c "tcp-policy desc load $PACKS/*.tcp"
npack=$(db_count)
tap_diag "rules: $nbase; descriptors of the packs: $npack"
tap_check "mode enforce" tcp-policy mode enforce
tap_check "tcpk-descgen: $CHURN raw descriptors for the churner" \
	tcpk-descgen -f raw -o "$tmp/churn.bin" $CHURN

mkdir -p "$WS" "$DEVDIR"
chown dev:dev "$DEVDIR"
# A secret to refuse; removed at the end only if this test made it.
if [ ! -e /etc/shadow ]; then
	echo 'root:*:20000:0:99999:7:::' > /etc/shadow
	chmod 640 /etc/shadow
	made_shadow=/etc/shadow
fi

tcp-policy monitor -j > "$MON" 2> "$tmp/mon.err" &
mon_pid=$!
pids=$mon_pid
tap_check "tcp-policy monitor -j joined the event group" wait_grep "listening" "$tmp/mon.err"
tcp-policy -j stats > "$tmp/stats0.json"
tcp-policy mode enforce > /dev/null
tap_check "marker: the mode event before the run is received" \
	wait_grep '"type":"mode"' "$MON"

# --- the stress ------------------------------------------------------------------
# busybox has no nice: python3 lowers the priority, then runs the command.
cat > "$tmp/nice10" <<'EOF'
#!/bin/sh
exec python3 -c 'import os, sys; os.nice(10); os.execvp(sys.argv[1], sys.argv[1:])' "$@"
EOF
chmod 755 "$tmp/nice10"
common="--timeout ${SECONDS_}s --metrics-brief --verbose"
t0=$(now)
# shellcheck disable=SC2086 # $common is a list of options
tcp-policy run --agent=stress --workspace="$WS" -- \
	"$tmp/nice10" stress-ng --temp-path "$WS" $common \
	--fork 1 --open 1 --dentry 1 --dentries 256 --rename 1 --getdent 1 --chmod 1 --mmap 1 --mmap-bytes 16M \
	> "$tmp/ng-agent.out" 2>&1 &
ng_agent=$!
# shellcheck disable=SC2086
su -s /bin/sh -c "cd $DEVDIR && exec $tmp/nice10 stress-ng --temp-path $DEVDIR $common --exec 1 --fork 1 --open 1" dev \
	> "$tmp/ng-dev.out" 2>&1 &
ng_dev=$!
pids="$pids $ng_agent $ng_dev"

# The agent reads a secret, again and again: refused, one deny event each.
# shellcheck disable=SC2016 # the loop's shell expands its variables
tcp-policy run --agent=stress --workspace="$WS" -- sh -c '
	n=0
	while [ ! -e "$1/stop" ]; do
		cat /etc/shadow > /dev/null 2>&1 && echo "read /etc/shadow"
		n=$((n + 1))
	done
	echo "$n"' sh "$tmp" > "$tmp/deny.out" 2>&1 &
deny_pid=$!
pids="$pids $deny_pid"

tcpk-replace -r $RATE -d "$SECONDS_" > "$tmp/replace.out" 2>&1 &
rep_pid=$!
pids="$pids $rep_pid"

# The churner: flush, then the packs and $CHURN more in one batch.
(
	n=0
	fail=0
	while [ ! -e "$tmp/stop" ]; do
		tcp-policy desc flush > /dev/null 2>> "$tmp/churn.err" || fail=$((fail + 1))
		tcp-policy desc load "$PACKS"/*.tcp "$tmp/churn.bin" > /dev/null 2>> "$tmp/churn.err" ||
			fail=$((fail + 1))
		n=$((n + 1))
	done
	echo "$n $fail"
) > "$tmp/churn.out" &
churn_pid=$!
pids="$pids $churn_pid"

# The watchdog: what still runs $GRACE s after the end is shown, then
# stopped (a failure: the checks below see its status).
(
	sleep $((SECONDS_ + GRACE))
	[ -e "$tmp/stop" ] && exit 0
	tap_diag "watchdog: still running $GRACE s after the end of the stress:"
	ps 2>&1 | sed 's/^/# /' | head -n 60
	for f in replace.out churn.err ng-agent.out ng-dev.out; do
		tap_diag "$f (last lines): $(tail -n 5 "$tmp/$f" 2>/dev/null)"
	done
	touch "$tmp/watchdog"
	kill "$ng_agent" "$ng_dev" "$rep_pid" 2>/dev/null
	sleep 10
	kill -9 "$ng_agent" "$ng_dev" "$rep_pid" 2>/dev/null
) &
wd_pid=$!
pids="$pids $wd_pid"

wait "$ng_agent"
rc_agent=$?
tap_diag "stress-ng (agent) ended after $(since "$t0") s"
wait "$ng_dev"
rc_dev=$?
tap_diag "stress-ng (dev) ended after $(since "$t0") s"
wait "$rep_pid"
rc_rep=$?
tap_diag "tcpk-replace ended after $(since "$t0") s"
touch "$tmp/stop"
kill "$wd_pid" 2>/dev/null
# Not a plain wait: the monitor runs on.
wait "$deny_pid" "$churn_pid"
pids=$mon_pid
run_s=$(since "$t0")
tap_check "everything stopped by itself (no watchdog)" test ! -e "$tmp/watchdog"

tap_diag "stress-ng (agent) exit $rc_agent:"
grep -E 'metrc|info:.*(successful|unsuccessful|failed)|error|fail' "$tmp/ng-agent.out" | head -n 30 | sed 's/^/# /'
tap_diag "stress-ng (dev) exit $rc_dev:"
grep -E 'metrc|info:.*(successful|unsuccessful|failed)|error|fail' "$tmp/ng-dev.out" | head -n 30 | sed 's/^/# /'
tap_check "stress-ng as the agent exits 0 (status $rc_agent)" test "$rc_agent" = 0
tap_check "stress-ng as dev, no agent, exits 0 (status $rc_dev)" test "$rc_dev" = 0
tap_diag "the stress phase took $run_s s (guest time)"

# --- the replacer, the churner, the denials ------------------------------------------
tap_diag "tcpk-replace: $(cat "$tmp/replace.out")"
rep_line=$(grep '^replaces ' "$tmp/replace.out")
replaces=$(echo "$rep_line" | awk '{ print $2 }')
rep_errors=$(echo "$rep_line" | awk '{ print $4 }')
rep_rate=$(echo "$rep_line" | awk '{ print $8 }')
rep_rules=$(echo "$rep_line" | awk '{ print $14 }')
tap_check "tcpk-replace exits 0: every replace acknowledged (status $rc_rep, ${rep_errors:-?} errors)" \
	test "$rc_rep" = 0 -a "${rep_errors:-1}" = 0
tap_check "replace rate ${rep_rate:-?}/s (target $RATE/s) is at least $MIN_RATE/s" \
	awk "BEGIN { exit !(${rep_rate:-0} >= $MIN_RATE) }"
tcp-policy -j list > "$tmp/list.json"
tap_check "the rule set in force is the last one sent: the $nbase rules of agent.rules, the marker rep-$replaces, $rep_rules rules in all" \
	python3 -c "
import json
def strip(r):
    return {k: v for k, v in r.items() if k != 'hits'}
base = [strip(r) for r in json.load(open('$tmp/base.json'))]
now = [strip(r) for r in json.load(open('$tmp/list.json'))]
ids = {r['id'] for r in base}
assert len(now) == ${rep_rules:-0}, (len(now), ${rep_rules:-0})
assert sorted([r for r in now if r['id'] in ids], key=lambda r: r['id']) == sorted(base, key=lambda r: r['id']), 'the rules of agent.rules changed'
assert len([r for r in now if r['match'].get('comm') == 'rep-${replaces:-0}']) == 1, 'no marker rep-${replaces:-0}'
"

churns=$(awk '{ print $1 }' "$tmp/churn.out")
churn_fail=$(awk '{ print $2 }' "$tmp/churn.out")
churns=${churns:-0}
tap_diag "descriptor churner: $churns cycles of flush + load of $((npack + CHURN)), $churn_fail failures"
[ -s "$tmp/churn.err" ] && tap_diag "churner errors: $(head -n 5 "$tmp/churn.err")"
tap_check "the churner ran ($churns cycles) without a failure" test "$churns" -gt 0 -a "$churn_fail" = 0
tap_check "desc flush and desc load of the packs" \
	sh -c "tcp-policy desc flush > /dev/null && tcp-policy desc load $PACKS/*.tcp > /dev/null"
tap_check "descriptor count back to the packs' ($npack)" test "$(db_count)" = "$npack"

denials=$(tail -n 1 "$tmp/deny.out")
tap_diag "the agent tried /etc/shadow $denials times"
tap_check "the agent never read /etc/shadow" sh -c "! grep -q 'read /etc/shadow' '$tmp/deny.out'"

# --- events: every one received or counted as dropped ---------------------------------
sleep 1
tcp-policy mode enforce > /dev/null
tap_check "marker: the mode event after the run is received" \
	retry 30 sh -c "test \$(grep -c '\"type\":\"mode\"' '$MON') -ge 2"
tcp-policy -j stats > "$tmp/stats1.json"
kill -INT "$mon_pid"
wait "$mon_pid"
tap_check "the monitor exits 0 on SIGINT" test $? = 0
pids=
e0=$(stat_of "$tmp/stats0.json" events)
e1=$(stat_of "$tmp/stats1.json" events)
d0=$(stat_of "$tmp/stats0.json" events_dropped)
d1=$(stat_of "$tmp/stats1.json" events_dropped)
lost=$(sed -n 's/.*monitor: \([0-9]*\) events lost (sequence [0-9]* to [0-9]*)$/\1/p' "$tmp/mon.err" |
	awk '{ n += $1 } END { print n + 0 }')
overflows=$(grep -c 'receive buffer overflowed' "$tmp/mon.err")
received=$(wc -l < "$MON")
tap_diag "stats: events emitted $e0 -> $e1 (+$((e1 - e0))), dropped $d0 -> $d1 (+$((d1 - d0)))"
tap_diag "monitor: $received events received, $lost reported lost in sequence gaps, $overflows receive-buffer overflows"
python3 - "$MON" > "$tmp/types.txt" <<'EOF'
import collections, json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
t = collections.Counter(e['type'] for e in ev)
v = collections.Counter(e['decision'].get('verdict', '?') for e in ev if e['type'] == 'decision')
print("event types: " + ", ".join("%s %d" % kv for kv in sorted(t.items())))
print("decision verdicts: " + ", ".join("%s %d" % kv for kv in sorted(v.items())))
top = collections.Counter((e['decision'].get('op', '?'), e['decision'].get('path', '?').rsplit('/', 1)[0],
                           e['decision'].get('rule', 0))
                          for e in ev if e['type'] == 'decision').most_common(6)
print("most frequent decisions (op, directory, rule): " + "; ".join("%s %s rule %s: %d" % (o, d, r, n) for (o, d, r), n in top))
EOF
tap_diag "$(cat "$tmp/types.txt")"
tap_check "monitor: between the markers every sequence number was received or reported lost" python3 -c "
import json
ev = [json.loads(l) for l in open('$MON')]
modes = [e for e in ev if e['type'] == 'mode']
s0, s1 = modes[0]['seq'], modes[-1]['seq']
seq = [e['seq'] for e in ev if s0 <= e['seq'] <= s1]
assert seq == sorted(seq) and len(set(seq)) == len(seq), 'out of order or repeated'
gaps = sum(b - a - 1 for a, b in zip(seq, seq[1:]))
assert len(seq) + gaps == s1 - s0 + 1, (len(seq), gaps, s0, s1)
assert gaps == $lost, (gaps, $lost)
print('received', len(seq), 'gaps', gaps)
"
tap_check "stats: emitted + dropped between the markers = the monitor's sequence span (every event counted once)" \
	python3 -c "
import json
ev = [json.loads(l) for l in open('$MON')]
modes = [e for e in ev if e['type'] == 'mode']
span = modes[-1]['seq'] - modes[0]['seq'] + 1
# stats0 was read before the first marker, stats1 after the last.
assert $((e1 - e0 + d1 - d0)) == span, ($((e1 - e0 + d1 - d0)), span)
"
if [ "$overflows" = 0 ]; then
	tap_check "the monitor's reported losses ($lost) equal the module's dropped delta ($((d1 - d0)))" \
		test "$lost" = $((d1 - d0))
else
	tap_check "the monitor's reported losses ($lost) cover the module's dropped delta ($((d1 - d0))), the rest lost in its socket ($overflows overflows reported)" \
		test "$lost" -ge $((d1 - d0))
fi
tcp-policy -j stats > "$tmp/stats.json"
tap_diag "stats: $(cat "$tmp/stats.json")"
tap_check "stats: the agent's reads of /etc/shadow were refused (ops open deny > 0)" \
	expect_json "$tmp/stats.json" "d['ops']['open']['deny'] > 0"
tap_diag "$(tcp-bpf stats 2>&1 | head -n 12)"

# --- detach, unload, the kernel log, kmemleak ------------------------------------------
tcp-policy flush > /dev/null
tcp-policy desc flush > /dev/null
tap_check "tcp-bpf detach" tcp-bpf detach
tap_check "rmmod $MOD" retry 10 rmmod "$MOD"
fuzz_log_check "the stress run"
kmemleak_check "after the stress run and the unload"
tap_diag "the whole test took $(since "$t_start") s (guest time)"

tap_done
