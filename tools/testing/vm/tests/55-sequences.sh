#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - system call sequences with real processes (issue 7, items
# 1, 3, 6 and 9): patterns as data, learned profiles, the score they
# raise and the refusals rules make of it.
#
#  1. modprobe with syscall_feed=1; the four built-in patterns are listed
#     (tcp-policy seq list); a pattern added at run time, and the
#     refusals of bad ones (extack messages).
#  2. Exfiltration: a real python3 agent reads a secret file, then opens
#     a socket and connects to a loopback listener.  The built-in
#     pattern "exfiltration" (open, read, socket/connect) completes at
#     socket(); its 300 points reach the score before connect(), which a
#     rule --match-op=connect --match-anomaly=300 refuses: the listener
#     gets nothing.  With the pattern deleted, the same script connects
#     and the listener gets the secret: the pattern (data) is what
#     refused it.
#  3. Privilege escalation: a root agent calls setresuid, setresgid,
#     then execve: the pattern completes at the execve, across the exec.
#  4. A pattern of one's own (getpid then getppid) completes, with an
#     event naming it.
#  5. Learned profile of python3: learned from three runs of a benign
#     script, then in detection: the same script stays below the novelty
#     threshold (no novel event, no points); a script that does something
#     else (a loop of calls the benign one never made) reaches it: a
#     novel event and score_novel points.  Export, delete, import: the
#     same trigrams; bad imports refused.
#  5b. The behaviour model: a hand-written model (socket calls make a
#     window anomalous) loaded with tcp-policy model load; a process whose
#     windows are socket calls gets model events and points, a benign one
#     none; bad models and unprivileged loads refused.
#  5c. Quarantine by score: with quarantine_score=200 an agent whose
#     failure burst brings its score to 200 is quarantined, with a
#     threshold event, until tcp-policy release.
#  6. 10,000 short-lived processes of an agent leave no state behind
#     (the per-process table back to where it was).

# The sh -c scripts below expand their arguments themselves.
# shellcheck disable=SC2016
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"
# shellcheck source=SCRIPTDIR/../../lib/events.sh
. "$TCPK_TESTLIB/events.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
PARAMS=$SYSMOD/parameters
WS=/tmp/ws55
PORT=7355

tmp=$(mktemp -d /tmp/55-sequences.XXXXXX) || exit 1
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

agent() {
	tcp-policy run --agent=s55 --workspace="$WS" -- "$@"
}

# ps_json PID: "tcp-policy -j ps --pid=PID" into $tmp/ps.PID, shown.
ps_json() {
	tcp-policy -j ps --pid="$1" > "$tmp/ps.$1" 2>&1
	tap_diag "ps --pid=$1: $(cat "$tmp/ps.$1")"
}

# field PID KEY: the number KEY of the last ps_json PID.
field() {
	sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$tmp/ps.$1"
}

# stat_field KEY: the number KEY of tcp-policy -j stats.
stat_field() {
	tcp-policy -j stats | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

mkdir -p "$WS"
echo "s3cr3t-token" > "$WS/secret"

# A loopback listener that appends what it receives to $tmp/received.
cat > "$tmp/listen.py" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
open(sys.argv[2] + ".ready", "w").close()
while True:
    c, _ = s.accept()
    data = c.recv(4096)
    with open(sys.argv[2], "ab") as f:
        f.write(data + b"\n")
    c.close()
EOF

# Reads the secret, then socket() and connect(): the exfiltration pattern.
# Each run prints the pid and what connect() did.
cat > "$tmp/exfil.py" <<'EOF'
import os, socket, sys
print("pid", os.getpid(), flush=True)
data = open(sys.argv[1], "rb").read()
s = socket.socket()
try:
    s.connect(("127.0.0.1", int(sys.argv[2])))
    s.sendall(data)
    print("connect: ok", flush=True)
except OSError as e:
    print("connect: refused", e.errno, flush=True)
EOF

# setresuid, setresgid (root to root: they succeed), then execve.
cat > "$tmp/privesc.py" <<'EOF'
import os
print("pid", os.getpid(), flush=True)
os.setresuid(0, 0, 0)
os.setresgid(0, 0, 0)
os.execv("/bin/sh", ["sh", "-c", "exit 0"])
EOF

# getpid then getppid, back to back, ten times.
cat > "$tmp/pids.py" <<'EOF'
import os
print("pid", os.getpid(), flush=True)
for _ in range(10):
    os.getpid()
    os.getppid()
EOF

# The benign script a profile learns: read and sum a file, print, then
# read its standard input to the end (a pipe: at once when learning, when
# the test is done looking at it otherwise; the same calls either way).
cat > "$tmp/benign.py" <<'EOF'
import os, sys
print("pid", os.getpid(), flush=True)
n = 0
with open(sys.argv[1]) as f:
    for line in f:
        n += len(line)
print("bytes", n, flush=True)
sys.stdin.read()
EOF

# Something else from the same executable: calls the benign run never
# makes, in a loop, so that every trigram of the loop is novel.
cat > "$tmp/odd.py" <<'EOF'
import os, sys
print("pid", os.getpid(), flush=True)
for _ in range(40):
    os.uname()
    os.getgroups()
    os.umask(0o22)
    os.getpriority(os.PRIO_PROCESS, 0)
print("looped", flush=True)
sys.stdin.read()
EOF

# run_py NAME SCRIPT ARGS...: runs python3 SCRIPT as the agent, output in
# $tmp/NAME.out; sets pid to the pid it printed.
run_py() {
	_n=$1
	shift
	agent python3 "$@" > "$tmp/$_n.out" 2>&1
	pid=$(sed -n 's/^pid //p' "$tmp/$_n.out")
	tap_diag "$_n: $(tr '\n' ' ' < "$tmp/$_n.out")"
}

# === 1. load, the built-in patterns ===========================================
if [ -d "$SYSMOD" ]; then
	tcp-bpf detach > /dev/null 2>&1
	retry 10 rmmod "$MOD" 2>/dev/null || tap_diag "$MOD could not be removed"
fi
tap_check "modprobe $MOD security_level=2 syscall_feed=1" \
	modprobe "$MOD" security_level=2 syscall_feed=1
tap_check "score_half_life_ms=0 (exact scores below)" \
	sh -c "echo 0 > '$PARAMS/score_half_life_ms'"
tap_check "quarantine_score is 0 by default (the level's threshold)" \
	grep -qx 0 "$PARAMS/quarantine_score"
tap_check "novel_threshold is 8 and score_novel 300 by default" \
	sh -c "grep -qx 8 '$PARAMS/novel_threshold' && grep -qx 300 '$PARAMS/score_novel'"
tcp-bpf attach > "$tmp/attach.out" 2>&1
tap_check "tcp-bpf attach" test $? = 0
tcp-policy mode enforce > /dev/null
start_monitor

tcp-policy seq list > "$tmp/seq.txt" 2>&1
tap_diag "seq list: $(cat "$tmp/seq.txt")"
for name in exfiltration privilege-escalation download-exec fileless-exec; do
	tap_check "seq list: the built-in pattern $name" grep -q " $name " "$tmp/seq.txt"
done
tap_check "seq list: exfiltration's steps name openat, read and connect" \
	sh -c "grep ' exfiltration ' '$tmp/seq.txt' | grep -q 'openat.*>.*read.*>.*connect'"
tcp-policy -j seq list > "$tmp/seq.json" 2>&1
tap_check "seq list -j: four patterns, ids 1 to 4, weights 300 or more" \
	expect_json "$tmp/seq.json" \
	"[p['id'] for p in d] == [1, 2, 3, 4] and all(p['weight'] >= 300 for p in d) and len(d[0]['steps']) == 3"

tap_check "seq add: a pattern getpid then getppid, weight 50, gap 2" \
	sh -c "tcp-policy seq add --name=pid-then-ppid --weight=50 --gap=2 getpid getppid > '$tmp/add.out' 2>&1 &&
		grep -q '^pattern 5 added' '$tmp/add.out'"
expect_fail "seq add: a second pattern of the same name is refused" \
	"of that name exists" tcp-policy seq add --name=pid-then-ppid --weight=50 getpid getppid
expect_fail "seq add: one step is refused" \
	"2 to 8 steps" tcp-policy seq add --name=one --weight=50 getpid
expect_fail "seq add: weight 1001 is refused" \
	"." tcp-policy seq add --name=heavy --weight=1001 getpid getppid
expect_fail "seq add: an unknown system call name is refused" \
	"no-such-call" tcp-policy seq add --name=bad --weight=5 no-such-call getpid
expect_fail "seq del: no pattern 99" "no pattern of that id" tcp-policy seq del 99
expect_fail "seq add as nobody: refused (CAP_NET_ADMIN)" \
	"." as_nobody tcp-policy seq add --name=nobody --weight=5 getpid getppid

# === 2. exfiltration =========================================================
python3 "$tmp/listen.py" "$PORT" "$tmp/received" > "$tmp/listen.out" 2>&1 &
bg="$bg $!"
tap_check "a loopback listener on port $PORT" retry 30 test -e "$tmp/received.ready"
tap_check "rule: deny connect at anomaly >= 300" \
	tcp-policy add --match-op=connect --match-anomaly=300 --action=deny

run_py exfil "$tmp/exfil.py" "$WS/secret" "$PORT"
epid=$pid
tap_check "exfiltration: the agent's connect() is refused" grep -q "connect: refused" "$tmp/exfil.out"
tap_check "exfiltration: the listener got nothing" \
	sh -c "sleep 1; ! grep -q s3cr3t '$tmp/received' 2>/dev/null"
tap_check "monitor: a behavior event sequence, pattern exfiltration (id 1), for pid $epid" \
	mon_has "\"pid\":$epid," '"kind":"sequence"' '"pattern":"exfiltration"' '"pattern_id":1'
tap_check "monitor: the connect of pid $epid denied" \
	mon_has "\"pid\":$epid," '"op":"connect"' '"verdict":"deny"'

tap_check "seq del 1 (exfiltration)" tcp-policy seq del 1
run_py exfil2 "$tmp/exfil.py" "$WS/secret" "$PORT"
tap_check "without the pattern, the same script connects" grep -q "connect: ok" "$tmp/exfil2.out"
tap_check "and the listener gets the secret" retry 10 grep -q s3cr3t "$tmp/received"
tcp-policy flush > /dev/null

# === 3. privilege escalation =================================================
run_py privesc "$tmp/privesc.py"
ppid_=$pid
tap_check "monitor: privilege-escalation (setresuid, setresgid, execve) for pid $ppid_" \
	mon_has "\"pid\":$ppid_," '"kind":"sequence"' '"pattern":"privilege-escalation"' '"score":300'

# === 4. a pattern of one's own ===============================================
sleep 60 &
keep=$!
bg="$bg $keep"
agent sh -c 'python3 "$1" > "$2"; echo finished >> "$2"; sleep 30' sh "$tmp/pids.py" "$tmp/pids.out" &
bg="$bg $!"
tap_check "the pid-then-ppid script ran" retry 60 grep -qx finished "$tmp/pids.out"
qpid=$(sed -n 's/^pid //p' "$tmp/pids.out")
tap_check "monitor: pid-then-ppid completed by pid $qpid (its own pattern, id 5)" \
	mon_has "\"pid\":$qpid," '"kind":"sequence"' '"pattern":"pid-then-ppid"' '"pattern_id":5'
tcp-policy -j seq list > "$tmp/seq2.json" 2>&1
# python3's start-up makes the pair too, so at least the script's 10.
tap_check "seq list -j: pid-then-ppid has at least 10 matches, exfiltration is gone" \
	expect_json "$tmp/seq2.json" \
	"[p['matches'] >= 10 for p in d if p['name'] == 'pid-then-ppid'] == [True] and 'exfiltration' not in [p['name'] for p in d]"

# === 5. learned profile ======================================================
PY=$(readlink -f "$(command -v python3)")
tap_diag "python3 is $PY"
seq 1 2000 > "$WS/numbers"
tap_check "profile learn $PY" tcp-policy profile learn "$PY"
for i in 1 2 3; do
	true | run_py learn$i "$tmp/benign.py" "$WS/numbers"
done
tcp-policy -j profile list > "$tmp/prof.json" 2>&1
tap_diag "profile list: $(cat "$tmp/prof.json")"
tap_check "profile list: learning, over 100 trigrams, none lost to a full table" \
	expect_json "$tmp/prof.json" \
	"len(d) == 1 and d[0]['mode'] == 'learn' and d[0]['trigrams'] > 100 and d[0]['full'] == 0"
tap_check "profile detect $PY" tcp-policy profile detect "$PY"

# The scripts wait on their standard input, a pipe from a sleep, while
# ps looks at them; killing the sleep ends them.
sleep 120 | agent python3 "$tmp/benign.py" "$WS/numbers" > "$tmp/benign.out" 2>&1 &
bg="$bg $!"
tap_check "the benign script ran again" retry 60 grep -q '^bytes ' "$tmp/benign.out"
bpid=$(sed -n 's/^pid //p' "$tmp/benign.out")
ps_json "$bpid"
tap_check "benign re-run: checked against the profile of $PY" grep -q "\"profile\":\"$PY\"" "$tmp/ps.$bpid"
tap_check "benign re-run: over 100 trigrams checked ($(field "$bpid" trigrams))" \
	test "$(field "$bpid" trigrams)" -gt 100
tap_check "benign re-run: its peak locality frame count ($(field "$bpid" lfc_peak)) is below novel_threshold (8)" \
	test "$(field "$bpid" lfc_peak)" -lt 8
tap_check "benign re-run: its score is 0" test "$(field "$bpid" score)" = 0
tap_check "benign re-run: no novel event" sh -c "! grep -q '\"pid\":$bpid,.*\"kind\":\"novel\"' '$MON'"
# uapi 8: its calls by class, its most frequent calls, its file operations.
tap_diag "$(tcp-policy ps --pid="$bpid" 2>&1)"
tap_check "benign re-run: classes has file_read > 0 ($(field "$bpid" file_read)), top_syscalls is not empty" \
	expect_json "$tmp/ps.$bpid" \
	"d[0]['classes']['file_read'] > 0 and len(d[0]['classes']) == 8 and len(d[0]['top_syscalls']) > 0"
tap_check "benign re-run: file operations ($(field "$bpid" fileops)) > 0" \
	test "$(field "$bpid" fileops)" -gt 0

sleep 120 | agent python3 "$tmp/odd.py" > "$tmp/odd.out" 2>&1 &
bg="$bg $!"
tap_check "the odd script ran" retry 60 grep -qx looped "$tmp/odd.out"
opid=$(sed -n 's/^pid //p' "$tmp/odd.out")
ps_json "$opid"
tap_check "odd script: peak locality frame count ($(field "$opid" lfc_peak)) reaches 8" \
	test "$(field "$opid" lfc_peak)" -ge 8
tap_check "odd script: score_novel (300) points ($(field "$opid" score))" \
	test "$(field "$opid" score)" -ge 300
tap_check "monitor: a novel event for pid $opid naming the profile" \
	mon_has "\"pid\":$opid," '"kind":"novel"' "\"path\":\"$PY\""

tcp-policy -j profile list > "$tmp/prof2.json" 2>&1
count=$(sed -n 's/.*"trigrams":\([0-9]*\).*/\1/p' "$tmp/prof2.json")
tap_check "profile export $PY" tcp-policy profile export "$PY" -o "$tmp/py.profile"
tap_check "the export: header, exe line, $count trigrams" sh -c "
	head -n 1 '$tmp/py.profile' | grep -qx '# tcp_kernel profile v1' &&
	grep -qx '# exe $PY' '$tmp/py.profile' &&
	test \$(grep -vc '^#' '$tmp/py.profile') = '$count'"
tap_check "tcp-replay reads the export" sh -c "
	printf '0 1 2 3\n' > '$tmp/t.trace' && tcp-replay score --profile '$tmp/py.profile' --normal '$tmp' > /dev/null 2>&1 ||
	tcp-replay score --profile '$tmp/py.profile' --attack '$tmp' > /dev/null"
tap_check "profile del $PY" tcp-policy profile del "$PY"
expect_fail "profile del again: no profile" "no profile" tcp-policy profile del "$PY"
tap_check "profile import of the export" tcp-policy profile import "$tmp/py.profile"
tcp-policy -j profile list > "$tmp/prof3.json" 2>&1
tap_check "after import: detection, the same $count trigrams" \
	expect_json "$tmp/prof3.json" "d[0]['mode'] == 'detect' and d[0]['trigrams'] == $count"
tcp-policy profile export "$PY" -o "$tmp/py2.profile"
tap_check "a second export has the same trigrams" \
	sh -c "grep -v '^#' '$tmp/py.profile' > '$tmp/a' && grep -v '^#' '$tmp/py2.profile' > '$tmp/b' && cmp '$tmp/a' '$tmp/b'"
printf '# tcp_kernel profile v1\n# exe %s\n1 2 3\n1 2\n' "$PY" > "$tmp/bad.profile"
expect_fail "import of a malformed file: refused with file:line" \
	"bad.profile:4" tcp-policy profile import "$tmp/bad.profile"
expect_fail "profile learn of a relative path: refused" "not absolute" \
	tcp-policy profile learn usr/bin/true
expect_fail "profile learn of a directory: refused" "not a regular file" \
	tcp-policy profile learn /tmp
expect_fail "profile learn of a missing file: refused" "cannot be looked up" \
	tcp-policy profile learn /nonexistent/x
expect_fail "profile learn as nobody: refused (CAP_NET_ADMIN)" \
	"." as_nobody tcp-policy profile learn /bin/sh
tap_check "profile del $PY" tcp-policy profile del "$PY"

# === 5b. the behaviour model =================================================
# p = sigmoid(-2 + 4 * the window's fraction of socket calls): 0.12 for a
# window with none, 0.88 for a window of socket calls only; threshold 0.7.
cat > "$tmp/net.model" <<'EOF'
# tcp_kernel model v1
bias -131072
threshold 700
points 123
weights 0 0 0 0 1024 0 0 0 0 0 0
EOF
# Socket options in a loop: every call of its windows is a socket call.
cat > "$tmp/sockopt.py" <<'EOF'
import os, socket, sys
print("pid", os.getpid(), flush=True)
s = socket.socket()
for _ in range(300):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)
print("looped", flush=True)
EOF
sed 's/^threshold 700/threshold 0/' "$tmp/net.model" > "$tmp/bad.model"
expect_fail "model load: threshold 0 is refused" "threshold" tcp-policy model load "$tmp/bad.model"
expect_fail "model show: none is loaded" "none is loaded" tcp-policy model show
tap_check "model load: the socket-call model" tcp-policy model load "$tmp/net.model"
tcp-policy -j model show > "$tmp/model.json" 2>&1
tap_check "model show -j: threshold 700, points 123, bias -131072, eleven weights" \
	expect_json "$tmp/model.json" \
	"d['threshold'] == 700 and d['points'] == 123 and d['bias'] == -131072 and len(d['weights']) == 11"
run_py sockopt "$tmp/sockopt.py"
spid=$pid
tap_check "monitor: a model event for pid $spid (p 880 per mille)" \
	mon_has "\"pid\":$spid," '"kind":"model"' '"count":880,'
# exfiltration (300, at its socket()) and eight or more windows of 123
# points pass 900, the quarantine threshold of level 2 (quarantine_score
# 0: the level's).
tap_check "monitor: pid $spid passed the level's quarantine threshold (900): a threshold event" \
	mon_has "\"pid\":$spid," '"kind":"threshold"' '"count":900,'
true | run_py benign4 "$tmp/benign.py" "$WS/numbers"
bpid4=$(sed -n 's/^pid //p' "$tmp/benign4.out")
tap_check "no model event for the benign script (pid $bpid4)" \
	sh -c "! grep '\"pid\":$bpid4,' '$MON' | grep -q '\"kind\":\"model\"'"
tcp-policy -j model show > "$tmp/model2.json" 2>&1
tap_diag "model show: $(cat "$tmp/model2.json")"
tap_check "model show -j: windows evaluated, some flagged, not all" \
	expect_json "$tmp/model2.json" "d['windows'] >= 9 and d['flagged'] >= 8 and d['flagged'] < d['windows']"
tap_check "model del" tcp-policy model del
expect_fail "model show after del: none is loaded" "none is loaded" tcp-policy model show
expect_fail "model load as nobody: refused (CAP_NET_ADMIN)" \
	"." as_nobody tcp-policy model load "$tmp/net.model"

# === 5c. quarantine by score =================================================
# quarantine_score=200: the agent's 200 failing stat()s make a burst (200
# points) and it is quarantined at once; its shell then waits for a child
# started before (waiting is not an operation the module decides) and, once
# released and the child gone, reads a file into a descriptor it opened
# before.
echo 10000 > "$PARAMS/fail_burst_window_ms"
tap_check "quarantine_score=200 (run time, 0644)" \
	sh -c "echo 200 > '$PARAMS/quarantine_score'"
agent sh -c '
	exec 3> "$1/q.after" 2> "$1/q.err"
	sleep 120 & echo $! > "$1/q.sleeper"
	echo $$ > "$1/q.pid"
	i=0
	while [ $i -lt 200 ]; do
		[ -e "/nonexistent/$i" ]
		i=$((i + 1))
	done
	wait
	cat /etc/passwd >&3
	echo "cat: $?" >&3' sh "$tmp" > /dev/null 2>&1 &
bg="$bg $!"
tap_check "the agent started" retry 30 test -s "$tmp/q.pid"
qpid=$(cat "$tmp/q.pid")
tap_check "ps: pid $qpid is quarantined once its score reaches 200" \
	retry 60 sh -c "tcp-policy -j ps --pid=$qpid | grep -q '\"quarantined\":true'"
tap_check "monitor: a threshold event for pid $qpid (threshold 200)" \
	mon_has "\"pid\":$qpid," '"kind":"threshold"' '"count":200,'
# Released once its loop is over (its 200 failures counted), so that no
# later burst quarantines it again.
tap_check "the quarantined agent's loop went on to its 200 failures" \
	retry 120 sh -c "test \"\$(tcp-policy -j ps --pid=$qpid | sed -n 's/.*\"failures\":\([0-9]*\).*/\\1/p')\" -ge 200"
tap_check "tcp-policy release $qpid" tcp-policy release "$qpid"
kill "$(cat "$tmp/q.sleeper")"
tap_check "released, the agent reads /etc/passwd" retry 30 grep -q "cat: 0" "$tmp/q.after"
tap_diag "agent: $(cat "$tmp/q.after" "$tmp/q.err" 2>&1 | tr '\n' ' ')"
tap_diag "pid $qpid's events: $(grep "\"pid\":$qpid," "$MON" | tr '\n' ' ' | cut -c1-1500)"
tap_diag "explain $qpid: $(tcp-policy explain "$qpid" 2>&1 | tail -n 4 | tr '\n' ' ')"
echo 0 > "$PARAMS/quarantine_score"
echo 1000 > "$PARAMS/fail_burst_window_ms"

# === 6. 10,000 short-lived processes =========================================
before=$(stat_field procs)
tap_diag "procs before: $before"
tap_check "an agent forks 10,000 short-lived children" \
	agent sh -c 'i=0; while [ $i -lt 10000 ]; do ( : ); i=$((i + 1)); done'
tap_check "the per-process table is back to $before entries" \
	retry 30 sh -c "test \"\$(tcp-policy -j stats | sed -n 's/.*\"procs\":\([0-9]*\).*/\1/p')\" -le $before"
tap_diag "procs after: $(stat_field procs), bytes $(stat_field procs_bytes), evicted $(stat_field procs_evicted)"

stop_monitor
tap_check "detach and rmmod" sh -c "tcp-bpf detach > /dev/null && rmmod $MOD"
tap_done
