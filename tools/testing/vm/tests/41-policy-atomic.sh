#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - a rule-set replace is atomic for readers: while one loop
# loads two policies, A and B, alternately (tcp-policy load, one
# TCPK_CMD_RULE_REPLACE each), two loops of what-if queries run beside it.
# Every answer must come from A or from B, never from a mix or from an
# empty set:
#
#   A: 11 (prio 10) uid 1000, /srv/a -> deny    12 (prio 20) uid 1000 -> allow
#   B: 21 (prio 10) uid 1000, /srv/b -> deny    22 (prio 20) uid 1000 -> monitor
#
# q1 (uid 1000, /srv/a) is answered 11 by A and 22 by B; q2 (uid 1000,
# /srv/b) 12 by A and 21 by B.  A set holding rules of both, or none,
# answers otherwise (a half-replaced [11, 22] answers q2 with 22, [21, 12]
# answers q1 with 12, an empty one 0).  Every replace publishes one
# generation, so the generations of A and B alternate in parity: an
# answer whose rule and generation belong to different policies is a mix
# too.
#
# Guest environment: root, busybox sh; tcp-policy on PATH; python3.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
ROUNDS=${TCPK_ATOMIC_ROUNDS:-100}

tmp=$(mktemp -d /tmp/41-policy-atomic.XXXXXX) || exit 1
qpids=
cleanup() {
	touch "$tmp/stop" 2>/dev/null
	for p in $qpids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r)), $ROUNDS rounds"

cat > "$tmp/a.rules" <<'EOF'
add --id=11 --priority=10 --match-uid=1000 --match-path=/srv/a --action=deny
add --id=12 --priority=20 --match-uid=1000 --action=allow
EOF
cat > "$tmp/b.rules" <<'EOF'
add --id=21 --priority=10 --match-uid=1000 --match-path=/srv/b --action=deny
add --id=22 --priority=20 --match-uid=1000 --action=monitor
EOF

generation() {
	tcp-policy -j mode | python3 -c 'import json, sys; print(json.load(sys.stdin)["generation"])'
}

# query NAME PATH: what-if answers "rule generation" a line, until stopped.
query() {
	while [ ! -e "$tmp/stop" ]; do
		tcp-policy -j test --op=open --uid=1000 --path="$2" |
			python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["rule"], d["generation"])' \
			>> "$tmp/$1.out" 2>> "$tmp/$1.err" || echo "error" >> "$tmp/$1.out"
	done
}

[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
tap_check "modprobe $MOD" modprobe "$MOD"
tap_check "mode enforce" tcp-policy mode enforce
tap_check "load A" tcp-policy load "$tmp/a.rules"
gen_a=$(generation)
tap_check "A: q1 -> rule 11" sh -c 'tcp-policy -j test --op=open --uid=1000 --path=/srv/a | grep -q "\"rule\":11,"'
tap_check "A: q2 -> rule 12" sh -c 'tcp-policy -j test --op=open --uid=1000 --path=/srv/b | grep -q "\"rule\":12,"'
tap_check "load B" tcp-policy load "$tmp/b.rules"
tap_check "one replace is one generation ($gen_a -> $((gen_a + 1)))" test "$(generation)" = $((gen_a + 1))
tap_check "B: q1 -> rule 22" sh -c 'tcp-policy -j test --op=open --uid=1000 --path=/srv/a | grep -q "\"rule\":22,"'
tap_check "B: q2 -> rule 21" sh -c 'tcp-policy -j test --op=open --uid=1000 --path=/srv/b | grep -q "\"rule\":21,"'
tap_check "load A" tcp-policy load "$tmp/a.rules"
gen_a=$(generation)

query q1 /srv/a &
qpids="$qpids $!"
query q2 /srv/b &
qpids="$qpids $!"

fails=0
i=0
while [ $i -lt "$ROUNDS" ]; do
	tcp-policy load "$tmp/b.rules" 2>> "$tmp/load.err" || fails=$((fails + 1))
	tcp-policy load "$tmp/a.rules" 2>> "$tmp/load.err" || fails=$((fails + 1))
	i=$((i + 1))
done
touch "$tmp/stop"
wait
qpids=

tap_check "$((2 * ROUNDS)) replaces, none failed" test "$fails" = 0
gen_end=$(generation)
tap_check "each replace published one generation ($gen_a + $((2 * ROUNDS)) = $gen_end)" \
	test "$gen_end" = $((gen_a + 2 * ROUNDS))
tcp-policy -j list > "$tmp/list.json"
tap_check "the policy in force is A (11, 12)" \
	expect_json "$tmp/list.json" "[r['id'] for r in d] == [11, 12]"

# check NAME A-RULE B-RULE: every answer of NAME is A's or B's, and its
# generation has the parity of the policy whose rule answered.
check() {
	python3 - "$tmp/$1.out" "$2" "$3" "$gen_a" <<'EOF'
import sys
path, ra, rb, gen_a = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
seen = {"A": 0, "B": 0}
bad = []
for n, line in enumerate(open(path), 1):
    f = line.split()
    if len(f) != 2:
        bad.append("line %d: %r" % (n, line))
        continue
    rule, gen = int(f[0]), int(f[1])
    pol = "A" if rule == ra else "B" if rule == rb else None
    if pol is None:
        bad.append("line %d: rule %d of neither policy (generation %d)" % (n, rule, gen))
        continue
    # A is in force at generations of gen_a's parity, B at the others.
    if ((gen - gen_a) % 2 == 0) != (pol == "A"):
        bad.append("line %d: rule %d of %s with generation %d" % (n, rule, pol, gen))
        continue
    seen[pol] += 1
print("answers from A: %d, from B: %d" % (seen["A"], seen["B"]))
if bad:
    print("\n".join(bad[:20]))
    sys.exit(1)
if not seen["A"] or not seen["B"]:
    print("the queries never saw both policies: no interleaving was tested")
    sys.exit(1)
EOF
}
tap_diag "q1: $(wc -l < "$tmp/q1.out") answers, q2: $(wc -l < "$tmp/q2.out") answers"
[ -s "$tmp/q1.err" ] && tap_diag "q1 errors: $(head -n 5 "$tmp/q1.err")"
[ -s "$tmp/q2.err" ] && tap_diag "q2 errors: $(head -n 5 "$tmp/q2.err")"
tap_check "q1 (uid 1000, /srv/a): every answer is A's 11 or B's 22, with a generation of the same policy" check q1 11 22
tap_check "q2 (uid 1000, /srv/b): every answer is A's 12 or B's 21, with a generation of the same policy" check q2 12 21

tap_check "flush" tcp-policy flush
tap_check "mode alerts (the default)" tcp-policy mode alerts
tap_check "rmmod $MOD" rmmod "$MOD"

tap_done
