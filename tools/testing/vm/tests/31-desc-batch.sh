#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - 100,000 descriptors in one batch: generated in the guest
# (tcpk-descgen, unique names and name hashes) as raw 24-byte records and
# as text with path=, sha256= and syscall= bindings; each file loaded with
# one "tcp-policy desc load"; the count; a dump that crosses many socket
# buffers returns every identity exactly once (tcp-policy and an
# independent reader, genl-fuzz -D); spot checks by name, hash, path,
# digest and syscall; a 100,000 batch with one bad check at index 54321
# refused whole by the tool and by the kernel, naming the index and the
# field; flush.  Timings are guest time (TCG: compare runs, not hosts).
#
# Guest environment: root, busybox sh; tcp-policy, tcpk-descgen and
# genl-fuzz on PATH; python3.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
N=100000
BAD=54321

tmp=$(mktemp -d /tmp/31-desc-batch.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

now() { cut -d' ' -f1 /proc/uptime; }
# timed LABEL CMD...: run CMD, record "LABEL SECONDS" in $tmp/timings.
timed() {
	_l=$1
	shift
	_t0=$(now)
	"$@"
	_rc=$?
	echo "$_l $(awk "BEGIN { printf \"%.2f\", $(now) - $_t0 }")" >> "$tmp/timings"
	return $_rc
}

db_count() {
	tcp-policy -j desc count | python3 -c "import json, sys; print(json.load(sys.stdin)['count'])"
}

# same_identities LIST_JSON KEYS: the dump holds every identity of the
# generator's KEYS file exactly once, and nothing else.
same_identities() {
	python3 - "$1" "$2" <<'EOF'
import collections, json, sys
def ident(e):
    k = e["kind"]
    if k == "name":
        return "name 0x%08x" % e["cmd_hash"]
    if k == "path":
        return "path " + e["path"]
    if k == "digest":
        return "sha256 " + e["sha256"]
    if k == "syscall":
        return "syscall %d" % e["syscall"]
    return "unknown " + json.dumps(e)
got = collections.Counter(ident(e) for e in json.load(open(sys.argv[1])))
want = collections.Counter(l.strip() for l in open(sys.argv[2]))
dups = [k for k, n in got.items() if n > 1]
missing = [k for k in want if k not in got]
extra = [k for k in got if k not in want]
kinds = collections.Counter(k.split()[0] for k in got.elements())
print("dump: %d entries, %d distinct; %d duplicated, %d missing, %d unexpected; kinds %s"
      % (sum(got.values()), len(got), len(dups), len(missing), len(extra), dict(kinds)))
for what, v in (("duplicated", dups), ("missing", missing), ("unexpected", extra)):
    if v:
        print(what + ": " + "; ".join(v[:5]))
sys.exit(0 if got == want else 1)
EOF
}

[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
tap_check "modprobe $MOD" modprobe "$MOD"
tap_check "desc flush" tcp-policy desc flush
tap_check "tcpk-descgen self-test: MD5 and CRC-32 known answers" tcpk-descgen -t

# --- raw: 100,000 descriptors bound by name ----------------------------------
tap_check "generate $N raw descriptors with unique names and name hashes" \
	timed "generate-raw" tcpk-descgen -f raw -k "$tmp/raw.keys" -o "$tmp/raw.bin" $N
tap_check "the raw file is $N x 24 bytes" test "$(wc -c < "$tmp/raw.bin")" -eq $((N * 24))
tap_check "desc load of $N raw descriptors in one batch" \
	timed "load-raw" tcp-policy desc load "$tmp/raw.bin"
tap_check "count is $N" test "$(db_count)" = $N
tap_check "-j desc list dumps the database" \
	timed "list-raw" sh -c "tcp-policy -j desc list > $tmp/raw.json"
tap_check "the dump holds every generated identity exactly once (sorted identities compared)" \
	timed "compare-raw" same_identities "$tmp/raw.json" "$tmp/raw.keys"
tap_check "an independent reader (genl-fuzz -D) dumps $N entries, $N distinct keys" \
	sh -c "genl-fuzz -D > $tmp/dump.txt && grep -q 'entries $N, distinct keys $N, without key 0' $tmp/dump.txt"
tap_diag "$(cat "$tmp/dump.txt")"
datagrams=$(sed -n 's/.*datagrams \([0-9]*\).*/\1/p' "$tmp/dump.txt")
tap_check "the dump crossed many socket buffers (${datagrams:-?} datagrams > 100)" \
	test "${datagrams:-0}" -gt 100

# spot checks by name and by hash
tap_check "get by name: gen-0000000" sh -c "tcp-policy -j desc get gen-0000000 > $tmp/g.json"
tap_check "get by name returns kind name and name_len 11" \
	expect_json "$tmp/g.json" "d['kind'] == 'name' and d['name_len'] == 11"
for line in 2 50000 $N; do
	h=$(sed -n "${line}p" "$tmp/raw.keys" | cut -d' ' -f2)
	tap_check "get by hash $h (generated entry $line)" \
		sh -c "tcp-policy -j desc get --hash $h > $tmp/h.json"
	tap_check "get by hash $h returns that hash" \
		expect_json "$tmp/h.json" "d['cmd_hash'] == $h"
done
tap_check "desc flush of $N" timed "flush-raw" tcp-policy desc flush
tap_check "count is 0 after flush" test "$(db_count)" = 0

# --- text: every binding kind at scale -----------------------------------------
tap_check "generate $N text descriptors: 1024 syscall=, then path=, sha256= and by name in turn" \
	timed "generate-text" tcpk-descgen -f text -S 1024 -P 3 -D 3 -k "$tmp/text.keys" -o "$tmp/text.tcp" $N
tap_diag "identities: $(cut -d' ' -f1 "$tmp/text.keys" | sort | uniq -c | tr -s ' \n' ' ')"
tap_check "desc load of $N text descriptors in one batch" \
	timed "load-text" tcp-policy desc load "$tmp/text.tcp"
tap_check "count is $N" test "$(db_count)" = $N
tap_check "-j desc list dumps the database" \
	timed "list-text" sh -c "tcp-policy -j desc list > $tmp/text.json"
tap_check "the dump holds every generated identity (name, path, digest, syscall) exactly once" \
	timed "compare-text" same_identities "$tmp/text.json" "$tmp/text.keys"
tap_check "an independent reader (genl-fuzz -D) dumps $N entries, $N distinct keys" \
	sh -c "genl-fuzz -D > $tmp/dump2.txt && grep -q 'entries $N, distinct keys $N, without key 0' $tmp/dump2.txt"
tap_diag "$(cat "$tmp/dump2.txt")"

# one of each kind, from the generated identities, near the start, middle and end
for kind in path sha256 syscall name; do
	for pick in first middle last; do
		case $pick in
		first) sel=$(grep -m1 "^$kind " "$tmp/text.keys") ;;
		middle) sel=$(grep "^$kind " "$tmp/text.keys" | sed -n "$(( $(grep -c "^$kind " "$tmp/text.keys") / 2 ))p") ;;
		last) sel=$(grep "^$kind " "$tmp/text.keys" | tail -n 1) ;;
		esac
		v=${sel#* }
		case $kind in
		path) arg="--path $v"; ok="d['kind'] == 'path' and d['path'] == '$v'" ;;
		sha256) arg="--sha256 $v"; ok="d['kind'] == 'digest' and d['sha256'] == '$v'" ;;
		syscall) arg="--syscall $v"; ok="d['kind'] == 'syscall' and d['syscall'] == $v" ;;
		name) arg="--hash $v"; ok="d['kind'] == 'name' and d['cmd_hash'] == $v" ;;
		esac
		# shellcheck disable=SC2086 # the selector is two words
		tcp-policy -j desc get $arg > "$tmp/s.json" 2>&1
		tap_check "get by $kind ($pick of the batch: $arg)" expect_json "$tmp/s.json" "$ok"
	done
done

# --- one bad entry at index 54321: nothing applied -------------------------------
tap_check "generate $N raw descriptors with a bad check at index $BAD (the $((BAD + 1))th)" \
	tcpk-descgen -f raw -n bad -b $BAD:check -o "$tmp/bad.bin" $N
expect_fail "desc load of the batch is refused, naming descriptor $((BAD + 1)) (index $BAD) and the check field" \
	"(descriptor $((BAD + 1))|index $BAD)[^0-9].*check" \
	timed "refuse-cli" tcp-policy desc load "$tmp/bad.bin"
tap_check "the refused batch applied nothing: count still $N" test "$(db_count)" = $N

# The tool checks before sending: the kernel must refuse the same batch on
# its own (genl-fuzz -B sends it unchecked, one DESC_ADD).
timed "refuse-kernel" genl-fuzz -B "$tmp/bad.bin" > "$tmp/kbad.txt" 2>&1
tap_diag "$(cat "$tmp/kbad.txt")"
tap_check "the kernel refuses the unchecked batch of $N with EINVAL" \
	grep -q '^errno 22 ' "$tmp/kbad.txt"
# extack_names FILE: the extack message names the field "check", and
# index $BAD: in the message (a whole number) or, where the kernel's
# extack messages are static strings (6.1), by the offset of the
# offending attribute, inside nest $BAD.
extack_names() {
	grep '^extack: ' "$1" | grep -qw check || return 1
	grep '^extack: ' "$1" | grep -qw "$BAD" ||
		grep -q "^extack offset: [0-9]* (nest index $BAD)" "$1"
}
tap_check "its extack names the field check, and index $BAD in the message or by the attribute offset" \
	extack_names "$tmp/kbad.txt"
tap_check "the kernel applied nothing: count still $N" test "$(db_count)" = $N
expect_fail "the batch's first, valid descriptor (bad-0000000) is absent" \
	'[Nn]o such|not found|ENOENT' tcp-policy desc get bad-0000000

# A good batch of 100,000 in one unchecked message: the kernel takes it.
tap_check "desc flush" tcp-policy desc flush
timed "load-kernel" genl-fuzz -B "$tmp/raw.bin" > "$tmp/kgood.txt" 2>&1
tap_check "the kernel takes the valid batch of $N in one DESC_ADD message (genl-fuzz -B)" \
	grep -q '^errno 0 ' "$tmp/kgood.txt"
tap_diag "$(cat "$tmp/kgood.txt")"
tap_check "count is $N" test "$(db_count)" = $N

tap_check "desc flush" timed "flush-kernel" tcp-policy desc flush
tap_check "count is 0" test "$(db_count)" = 0
tap_check "rmmod $MOD" rmmod "$MOD"

tap_diag "timings, guest seconds under TCG ($TCPK_KERNEL):"
tap_diag "$(cat "$tmp/timings")"

tap_done
