#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the hardware monitors (issue 8): perf counters, Intel PT
# and CET, live where the hardware is and honest where it is not.
#
#  1. Each monitor reports truthfully: perf is available with its
#     software events, and its hardware flag says whether the guest has a
#     core PMU (/sys/bus/event_source/devices/cpu: QEMU TCG has none);
#     intel_pt's hardware flag matches the intel_pt PMU, and it is never
#     available (capture is not possible from a module); cet's matches the
#     ibt and user_shstk CPU flags.  get-status shows the perf part.
#  2. A busy agent (a shell loop) is watched: its task-clock and sampling
#     overflows move between two reads, its CPU share is high, and with
#     hwmon_busy_ms=1000 the busy signal raises its score by
#     score_hwmon_busy (a "hwmon" behaviour event with signal busy, and
#     ps shows the score).  An idle agent gets no points.
#  3. When the agent exits its slot is freed; hwmon_max_tasks bounds the
#     slots (2 with 4 agents).
#  4. Load and unload are clean with every monitor disabled (each says
#     why) and with all enabled while a watched process runs (its
#     counters are released under it; it goes on running).
#  5. uid 65534 cannot read the monitors (hwmon-get needs CAP_NET_ADMIN).
#
# Nothing here asserts a time: waits are bounded retries.

# The sh -c scripts below expand their arguments themselves.
# shellcheck disable=SC2016
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"
# shellcheck source=SCRIPTDIR/../../lib/events.sh
. "$TCPK_TESTLIB/events.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
CLI=/tcpk/ynl/cli.py
SPEC=/tcpk/spec/tcp_kernel.yaml
WS=/tmp/ws56

tmp=$(mktemp -d /tmp/56-hwmon.XXXXXX) || exit 1
chmod 755 "$tmp"
MON=$tmp/events.json
bg=
cleanup() {
	for p in $bg; do kill "$p" 2>/dev/null; done
	stop_monitor
	wait 2>/dev/null
	unload_module
	rm -rf "$tmp" "$WS"
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

ynl() {
	python3 "$CLI" --spec "$SPEC" --no-schema --output-json "$@"
}

# monitors: hwmon-get (do) into $tmp/mon.json.
monitors() {
	ynl --do hwmon-get > "$tmp/mon.json" 2>&1
}

# tasks: "tcp-policy -j hwmon" (the monitors and the watched processes)
# into $tmp/tasks.json.
tasks() {
	tcp-policy -j hwmon > "$tmp/tasks.json" 2>&1
}

# task_has PID EXPR: the dump lists PID and EXPR holds for its nest t.
task_has() {
	tasks || return 1
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = [m for m in d["tasks"] if m["pid"] == int(sys.argv[2])]
if not t or not eval(sys.argv[3], {"t": t[0]}):
    print("false: " + sys.argv[3])
    print("tasks: " + json.dumps(d)[:1500])
    sys.exit(1)
' "$tmp/tasks.json" "$1" "$2"
}

# task_value PID KEY: one attribute of PID's nest, or nothing.
task_value() {
	tasks && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = [m for m in d["tasks"] if m["pid"] == int(sys.argv[2])]
print(t[0].get(sys.argv[3], "") if t else "")
' "$tmp/tasks.json" "$1" "$2"
}

# task_gone PID...: the dump lists none of the PIDs.
task_gone() {
	tasks && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(any(t["pid"] in map(int, sys.argv[2:]) for t in d["tasks"]))
' "$tmp/tasks.json" "$@"
}

# mon_field NAME KEY: one attribute of monitor NAME.
mon_field() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = [x for x in d["hwmon"] if x["name"] == sys.argv[2]]
v = m[0][sys.argv[3]]
print(v)
' "$tmp/mon.json" "$1" "$2"
}

# busy_agent NAME: a labelled shell spinning; its pid in $last.
busy_agent() {
	tcp-policy run --agent="$1" --workspace="$WS" -- \
		sh -c 'while :; do :; done' > /dev/null 2>&1 &
	last=$!
	bg="$bg $last"
}

# idle_agent NAME: a labelled sleep; its pid in $last.
idle_agent() {
	tcp-policy run --agent="$1" --workspace="$WS" -- sleep 600 \
		> /dev/null 2>&1 &
	last=$!
	bg="$bg $last"
}

mkdir -p "$WS"

# --- 1. what each monitor reports ---------------------------------------------
modprobe "$MOD" security_level=1 hwmon_interval_ms=300 hwmon_busy_ms=1000 \
	hwmon_busy_pm=300
tap_check "modprobe with every monitor enabled (the default)" test -d "$SYSMOD"
tap_check "hwmon-get (do) answers" monitors
tap_diag "$(cat "$tmp/mon.json")"
tap_check "three monitors: perf, intel_pt, cet" \
	expect_json "$tmp/mon.json" "[m['name'] for m in d['hwmon']] == ['perf', 'intel_pt', 'cet']"
tap_check "perf: enabled and available (software events work everywhere)" \
	expect_json "$tmp/mon.json" "d['hwmon'][0]['enabled'] == 1 and d['hwmon'][0]['available'] == 1 and d['hwmon'][0]['task-limit'] == 64"
if [ -e /sys/bus/event_source/devices/cpu ]; then pmu=1; else pmu=0; fi
tap_diag "core PMU in the guest: $pmu ($(cd /sys/bus/event_source/devices && echo *))"
tap_check "perf: hardware is $pmu, as /sys/bus/event_source/devices/cpu says, and the reason says so" \
	expect_json "$tmp/mon.json" "d['hwmon'][0]['hardware'] == $pmu and (('software events only' in d['hwmon'][0]['reason']) == ($pmu == 0))"
if [ -e /sys/bus/event_source/devices/intel_pt ]; then pt=1; else pt=0; fi
tap_check "intel_pt: hardware is $pt (the intel_pt PMU), never available, with a reason" \
	expect_json "$tmp/mon.json" "d['hwmon'][1]['hardware'] == $pt and d['hwmon'][1]['available'] == 0 and d['hwmon'][1]['enabled'] == 1 and len(d['hwmon'][1]['reason']) > 10"
if grep -qw -e ibt -e user_shstk /proc/cpuinfo; then cet=1; else cet=0; fi
tap_check "cet: hardware and available are $cet (the ibt and user_shstk CPU flags)" \
	expect_json "$tmp/mon.json" "d['hwmon'][2]['hardware'] == $cet and d['hwmon'][2]['available'] == $cet and 'kernel IBT' in d['hwmon'][2]['reason']"
ynl --do get-status > "$tmp/status.json" 2>&1
tap_check "get-status: the perf part, available, with the same reason" \
	expect_json "$tmp/status.json" "any(p['name'] == 'perf' and p['available'] == 1 for p in d['part'])"

# --- 2. a busy agent's counters reach its score ---------------------------------
start_monitor
busy_agent h56busy
busy=$last
idle_agent h56idle
idle=$last
tap_check "the busy agent is watched: its task-clock counts" \
	retry 60 task_has "$busy" "t.get('task-clock', 0) > 0 and t['periods'] >= 1"
c1=$(task_value "$busy" task-clock)
o1=$(task_value "$busy" overflows)
sleep 2
tap_check "its task-clock and overflows move (was $c1 ns, $o1 overflows)" \
	retry 30 task_has "$busy" "t['task-clock'] > $c1 and t['overflows'] > $o1"
tap_diag "$(cat "$tmp/tasks.json")"
tap_check "its CPU share is at least hwmon_busy_pm (300 per mille)" \
	retry 30 task_has "$busy" "t['cpu-pm'] >= 300"
if [ "$pmu" = 0 ]; then
	tap_check "without a PMU it has no hardware counter and no IPC" \
		task_has "$busy" "'instructions' not in t and 'cycles' not in t and 'ipc-q8' not in t"
else
	tap_check "with a PMU it counts instructions and cycles and has an IPC" \
		task_has "$busy" "t['instructions'] > 0 and t['cycles'] > 0 and 'ipc-q8' in t"
fi
tap_check "the busy signal gave it score_hwmon_busy (100) points" \
	retry 60 task_has "$busy" "t['points'] >= 100 and t['busy-ms'] >= 1000"
tap_check "a hwmon behaviour event with signal busy for pid $busy" \
	mon_has '"hwmon"' '"busy"' "\"pid\":$busy"
tcp-policy -j ps --pid="$busy" > "$tmp/ps.json" 2>&1
tap_diag "$(cat "$tmp/ps.json")"
tap_check "ps shows its score raised by the monitor" \
	expect_json "$tmp/ps.json" "d[0]['score'] >= 90"
tap_check "the idle agent is watched with no points and a low CPU share" \
	retry 30 task_has "$idle" "t['points'] == 0 and t['cpu-pm'] < 300"

# --- 3. exit frees the slot; the slots are bounded ---------------------------------
kill "$busy" "$idle" 2>/dev/null
wait "$busy" "$idle" 2>/dev/null
tap_check "the exited agents' slots are freed" retry 30 task_gone "$busy" "$idle"
tap_check "perf watches no task once they are gone" \
	expect_json "$tmp/tasks.json" "d['monitors'][0]['tasks'] == 0 and d['tasks'] == []"
stop_monitor
rmmod "$MOD"
tap_check "rmmod after the agents exited" test ! -d "$SYSMOD"

modprobe "$MOD" security_level=1 hwmon_max_tasks=2 hwmon_interval_ms=300
for n in 1 2 3 4; do idle_agent "h56m$n"; done
sleep 3
monitors
tap_diag "$(cat "$tmp/mon.json")"
tap_check "hwmon_max_tasks=2: perf watches 2 of the 4 agents" \
	expect_json "$tmp/mon.json" "d['hwmon'][0]['tasks'] == 2 and d['hwmon'][0]['task-limit'] == 2"
ynl --dump hwmon-get > "$tmp/dump.json" 2>&1
tap_check "the dump (hwmon-get through YNL) lists 2 processes" \
	expect_json "$tmp/dump.json" "len(d) == 2 and all(m['hwmon-task']['pid'] > 0 for m in d)"
tcp-policy hwmon > "$tmp/hwmon.txt" 2>&1
tap_diag "$(cat "$tmp/hwmon.txt")"
tap_check "tcp-policy hwmon: the monitors' table with perf's reason" \
	grep -q "^perf .*yes .*yes .*software events only" "$tmp/hwmon.txt"
tap_check "tcp-policy hwmon: a row per watched process, without hardware columns" \
	sh -c "[ \$(grep -c '^[0-9]' '$tmp/hwmon.txt') -eq 2 ] && grep -q '^PID .*CPU .*TASK-CLOCK' '$tmp/hwmon.txt'"
expect_fail "tcp-policy hwmon --pid of a process not watched: an error" \
	"not watched" tcp-policy hwmon --pid=1
for p in $bg; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
bg=

# --- 5. privilege -----------------------------------------------------------------------
if out=$(as_nobody python3 "$CLI" --spec "$SPEC" --no-schema --output-json --do hwmon-get 2>&1); then
	tap_not_ok "uid 65534: hwmon-get is refused" "succeeded: $out"
else
	tap_check "uid 65534: hwmon-get is refused with EPERM" \
		sh -c "printf '%s' '$out' | grep -q 'Operation not permitted'"
fi

# --- 4. unload under load, and every monitor disabled -----------------------------
busy_agent h56rm
spin=$last
tap_check "a busy agent is watched before the unload" \
	retry 60 task_has "$spin" "t.get('task-clock', 0) > 0"
rmmod "$MOD"
tap_check "rmmod while a watched process runs" test ! -d "$SYSMOD"
tap_check "the process goes on running after its counters were released" \
	kill -0 "$spin"
kill "$spin" 2>/dev/null

modprobe "$MOD" enable_perf=0 enable_cet=0 enable_intel_pt=0
monitors
tap_diag "$(cat "$tmp/mon.json")"
tap_check "every monitor disabled: none enabled or available, each says why" \
	expect_json "$tmp/mon.json" "all(m['enabled'] == 0 and m['available'] == 0 for m in d['hwmon']) and 'enable_perf=0' in d['hwmon'][0]['reason'] and 'enable_cet=0' in d['hwmon'][2]['reason']"
idle_agent h56off
sleep 2
tasks
tap_check "with every monitor disabled no process is watched" \
	expect_json "$tmp/tasks.json" "d['tasks'] == []"
kill "$last" 2>/dev/null
rmmod "$MOD"
tap_check "rmmod with every monitor disabled" test ! -d "$SYSMOD"

tap_done
