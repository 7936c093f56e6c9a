#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the descriptor database through tcp-policy: add -> get ->
# list -> del for every binding kind (name, path, sha256 given and
# computed from a file, syscall by number and by name), replacement of an
# identity, count and bytes, flush, JSON that parses, the default packs
# loaded whole, and text and raw files with one bad entry refused with
# their location, applying nothing.
#
# Guest environment: root, busybox sh; tcp-policy on PATH; python3 (for
# JSON and for computing descriptors independently of the tool); the
# default packs in /etc/tcp_kernel/descriptors.d.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
PACKS=/etc/tcp_kernel/descriptors.d

tmp=$(mktemp -d /tmp/30-desc-cli.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

# json_parses FILE: FILE is one JSON document.
json_parses() {
	python3 -c 'import json, sys; json.load(sys.stdin)' < "$1"
}

# tp_json FILE ARGS...: tcp-policy -j ARGS with its output in FILE.
tp_json() {
	_f=$1
	shift
	tcp-policy -j "$@" > "$_f"
}

# db_field count|bytes|limit: from tcp-policy -j desc count.
db_field() {
	tcp-policy -j desc count | python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])"
}

# name_hash NAME: the descriptor's cmd_hash (MD5 prefix), as a number.
name_hash() {
	python3 -c 'import hashlib, sys; print(int.from_bytes(hashlib.md5(sys.argv[1].encode()).digest()[:4], "big"))' "$1"
}

# raw_valid FILE: the "raw" hex of the JSON object in FILE is a valid
# descriptor (magic, version, check recomputed here, not by the tool).
raw_valid() {
	python3 -c '
import json, struct, sys, zlib
r = bytes.fromhex(json.load(open(sys.argv[1]))["raw"])
assert len(r) == 24 and r[:4] == b"TCP\x02", r.hex()
assert struct.unpack(">H", r[4:6])[0] == 2, r.hex()
assert struct.unpack(">H", r[22:24])[0] == zlib.crc32(r[:22]) & 0xffff, r.hex()
' "$1"
}

[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
tap_check "modprobe $MOD" modprobe "$MOD"
tap_check "tcp-policy desc flush" tcp-policy desc flush
tap_check "an empty database counts 0" test "$(db_field count)" = 0

# JSON of every desc command parses.
tp_json "$tmp/count.json" desc count
tap_check "tcp-policy -j desc count is JSON" json_parses "$tmp/count.json"
tap_check "desc count JSON: count 0, bytes and limit numbers, limit >= 100000" \
	expect_json "$tmp/count.json" "d['count'] == 0 and isinstance(d['bytes'], int) and d['limit'] >= 100000"
tp_json "$tmp/empty.json" desc list
tap_check "tcp-policy -j desc list of an empty database is the JSON []" \
	expect_json "$tmp/empty.json" "d == []"

# --- add -> get -> list -> del, one binding kind at a time ---------------
SHA_HEX=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
busybox_sha=$(sha256sum /bin/busybox | cut -d' ' -f1)

# roundtrip LABEL KIND SELECTOR IDENT_EXPR NAME FLAGS MASK MS MB KB [BINDING]
#   SELECTOR: the arguments of desc get/del naming the identity
#   IDENT_EXPR: python, over "d", true for the entry's identity
roundtrip() {
	label=$1 kind=$2 sel=$3 ident=$4 name=$5 flags=$6 mask=$7 ms=$8 mb=$9
	shift 9
	kb=$1 binding=${2:-}
	n0=$(db_field count)
	b0=$(db_field bytes)
	# shellcheck disable=SC2086 # the binding is one word or none
	tap_check "$label: desc add $name '$flags' $ms $mb $kb $binding" \
		tcp-policy desc add "$name" "$flags" "$ms" "$mb" "$kb" $binding
	tap_check "$label: count $n0 -> $((n0 + 1)), bytes grew from $b0" \
		test "$(db_field count)" = $((n0 + 1)) -a "$(db_field bytes)" -gt "$b0"

	# shellcheck disable=SC2086 # the selector is split on purpose
	tp_json "$tmp/get.json" desc get $sel
	tap_check "$label: -j desc get $sel is JSON" json_parses "$tmp/get.json"
	tap_check "$label: get shows kind $kind and the identity" \
		expect_json "$tmp/get.json" "d['kind'] == '$kind' and ($ident)"
	tap_check "$label: get shows flags $mask, $ms ms, $mb MB, $kb KB, cmd_hash of '$name', name_len ${#name}" \
		expect_json "$tmp/get.json" "d['flags'] == $mask and d['exec_ms'] == $ms and d['mem_mb'] == $mb and d['out_kb'] == $kb and d['cmd_hash'] == $(name_hash "$name") and d['name_len'] == ${#name}"
	tap_check "$label: the raw descriptor returned is valid (magic, version, crc32 check recomputed by python)" \
		raw_valid "$tmp/get.json"
	# shellcheck disable=SC2086
	tap_check "$label: text desc get $sel says kind: $kind" \
		sh -c "tcp-policy desc get $sel | grep -q '^kind: *$kind\$'"

	tp_json "$tmp/list.json" desc list
	tap_check "$label: -j desc list is JSON and holds the entry exactly once" \
		expect_json "$tmp/list.json" "len([d for d in d if d['kind'] == '$kind' and ($ident)]) == 1"

	# shellcheck disable=SC2086
	tap_check "$label: desc del $sel" tcp-policy desc del $sel
	tap_check "$label: count back to $n0, bytes back to $b0" \
		test "$(db_field count)" = "$n0" -a "$(db_field bytes)" = "$b0"
	# shellcheck disable=SC2086
	expect_fail "$label: desc get $sel after del fails: no such descriptor" \
		'[Nn]o such|not found|ENOENT' tcp-policy desc get $sel
	# shellcheck disable=SC2086
	expect_fail "$label: desc del $sel again fails: no such descriptor" \
		'[Nn]o such|not found|ENOENT' tcp-policy desc del $sel
}

roundtrip "name" name "tcpk30-rm" "d['cmd_hash'] == $(name_hash tcpk30-rm)" \
	tcpk30-rm "DESTRUCTIVE|FILE_MODIFICATION" $(( (1 << 7) | (1 << 9) )) 12 3 4
roundtrip "name by hash" name "--hash $(name_hash tcpk30-hash)" "d['cmd_hash'] == $(name_hash tcpk30-hash)" \
	tcpk30-hash "low_risk,AUDIT_LOGGING" $(( (1 << 1) | (1 << 15) )) 0 0 0
roundtrip "path" path "--path /usr/local/bin/tcpk30-curl" "d['path'] == '/usr/local/bin/tcpk30-curl'" \
	tcpk30-curl "NETWORK_ACCESS" $(( 1 << 8 )) 800 8 64 path=/usr/local/bin/tcpk30-curl
roundtrip "sha256" digest "--sha256 $SHA_HEX" "d['sha256'] == '$SHA_HEX'" \
	tcpk30-ssh "NETWORK_ACCESS|CRYPTO_OPERATION" $(( (1 << 8) | (1 << 14) )) 2000 6 2 sha256=$SHA_HEX
roundtrip "sha256 of a file" digest "--sha256 @/bin/busybox" "d['sha256'] == '$busybox_sha'" \
	busybox "DANGEROUS_EXEC" $(( 1 << 16 )) 1 1 1 sha256=@/bin/busybox
roundtrip "syscall by number" syscall "--syscall 101" "d['syscall'] == 101 and d.get('syscall_name') == 'ptrace'" \
	ptrace "PRIVILEGE_ESCALATION|HIGH_RISK" $(( (1 << 11) | (1 << 3) )) 1 1 1 syscall=101
roundtrip "syscall by name" syscall "--syscall unlinkat" "d['syscall'] == 263" \
	unlinkat "DESTRUCTIVE|FILE_MODIFICATION" $(( (1 << 7) | (1 << 9) )) 1 1 1 syscall=unlinkat

# --- replace ---------------------------------------------------------------
tcp-policy desc add tcpk30-tool SAFE 1 1 1
n0=$(db_field count)
tap_check "replace: desc add of an existing identity with other values succeeds" \
	tcp-policy desc add tcpk30-tool "CRITICAL|REQUIRES_ROOT" 7 8 9
tap_check "replace: the count stays $n0" test "$(db_field count)" = "$n0"
tp_json "$tmp/rep.json" desc get tcpk30-tool
tap_check "replace: get shows the new values (CRITICAL|REQUIRES_ROOT, 7 ms)" \
	expect_json "$tmp/rep.json" "d['flags'] == $(( (1 << 4) | (1 << 6) )) and d['exec_ms'] == 7 and sorted(d['flag_names']) == ['CRITICAL', 'REQUIRES_ROOT']"

# --- one name, several bindings: one entry per binding ----------------------
n0=$(db_field count)
tap_check "desc add with path=, sha256= and syscall= adds three entries" \
	tcp-policy desc add tcpk30-multi HIGH_RISK 1 2 3 path=/opt/tcpk30/multi sha256=$SHA_HEX syscall=kill
tap_check "count grew by 3" test "$(db_field count)" = $((n0 + 3))

# --- flush -----------------------------------------------------------------
tap_check "desc flush" tcp-policy desc flush
tap_check "flush empties the database: count 0" test "$(db_field count)" = 0
tp_json "$tmp/flushed.json" desc list
tap_check "flush empties the database: -j desc list is []" expect_json "$tmp/flushed.json" "d == []"
expect_fail "flush removed the path entry too" '[Nn]o such|not found|ENOENT' \
	tcp-policy desc get --path /opt/tcpk30/multi

# --- the default packs -------------------------------------------------------
# Expected entries: one per binding of each descriptor line, one for a
# line with none; '#' starts a comment.
pack_entries() {
	awk '{ n = 0; b = 0
	       for (i = 1; i <= NF; i++) { if ($i ~ /^#/) break; n++
	          if (n > 5 && $i ~ /^(path|sha256|syscall)=/) b++ }
	       if (n) total += (b ? b : 1) }
	     END { print total + 0 }' "$@"
}
set -- "$PACKS"/*.tcp
if [ ! -f "$1" ]; then
	tap_not_ok "default packs installed in $PACKS" "no *.tcp there (tools/descriptors/*.tcp missing at build time?)"
else
	tap_check "at least two default packs in $PACKS ($*)" test $# -ge 2
	want=$(pack_entries "$@")
	tap_diag "packs: $(for f in "$@"; do printf '%s: %s entries; ' "${f##*/}" "$(pack_entries "$f")"; done)"
	tap_check "desc load of every default pack in one batch" tcp-policy desc load "$@"
	tap_check "count equals the packs' descriptor lines (with one entry per binding): $want" \
		test "$(db_field count)" = "$want"
	tp_json "$tmp/packs.json" desc list
	tap_check "-j desc list of the packs is JSON with $want entries" \
		expect_json "$tmp/packs.json" "len(d) == $want"
	tap_check "every listed name-bound entry of the packs has its name recovered from $PACKS" \
		expect_json "$tmp/packs.json" "all(e.get('name') for e in d if e['kind'] == 'name')"
	tp_json "$tmp/rm.json" desc get rm
	tap_check "pack: rm is DESTRUCTIVE" expect_json "$tmp/rm.json" "'DESTRUCTIVE' in d['flag_names']"
	tp_json "$tmp/fm.json" desc get --syscall finit_module
	tap_check "pack: syscall finit_module is KERNEL_MODULE" \
		expect_json "$tmp/fm.json" "'KERNEL_MODULE' in d['flag_names']"
	tp_json "$tmp/ex.json" desc get --syscall execve
	tap_check "pack: syscall execve has a descriptor" expect_json "$tmp/ex.json" "d['syscall'] == 59"
	tap_check "loading the packs again replaces, count stays $want" \
		sh -c "tcp-policy desc load $* && [ \"\$(tcp-policy -j desc count | python3 -c 'import json, sys; print(json.load(sys.stdin)[\"count\"])')\" = $want ]"
fi

# --- refused files: nothing applied -------------------------------------------
n0=$(db_field count)
cat > "$tmp/bad.tcp" <<'EOF'
# three good lines and a bad one (line 5): the file must be refused whole
tcpk30-good1  SAFE  1 1 1
tcpk30-good2  NETWORK_ACCESS  2 2 2  path=/opt/tcpk30/good2

tcpk30-bad  HIGH_RISK|NO_SUCH_FLAG  3 3 3
tcpk30-good3  LOW_RISK  4 4 4  syscall=openat
EOF
expect_fail "text file with a bad flag on line 5 is refused, naming $tmp/bad.tcp:5" \
	"bad\\.tcp:5[^0-9]" tcp-policy desc load "$tmp/bad.tcp"
tap_check "the refused file applied nothing: count still $n0" test "$(db_field count)" = "$n0"
expect_fail "the refused file applied nothing: its good line 2 (tcpk30-good1) is absent" \
	'[Nn]o such|not found|ENOENT' tcp-policy desc get tcpk30-good1

# A good file and a bad one in the same load: all or nothing across files.
printf 'tcpk30-other  SAFE  1 1 1\n' > "$tmp/good.tcp"
expect_fail "load of a good file and the bad one is refused" "bad\\.tcp:5" \
	tcp-policy desc load "$tmp/good.tcp" "$tmp/bad.tcp"
expect_fail "nothing of the good file was applied either" '[Nn]o such|not found|ENOENT' \
	tcp-policy desc get tcpk30-other

# A raw file whose 3rd descriptor has a broken check.
python3 - "$tmp/bad.raw" <<'EOF'
import hashlib, struct, sys, zlib
out = b""
for i, name in enumerate(["tcpk30-r1", "tcpk30-r2", "tcpk30-r3", "tcpk30-r4"]):
    d = b"TCP\x02" + struct.pack(">H", 2) + hashlib.md5(name.encode()).digest()[:4]
    d += struct.pack(">IHHHH", 1, 1, 1, 1, len(name))
    c = zlib.crc32(d) & 0xffff
    out += d + struct.pack(">H", c ^ (0x0100 if i == 2 else 0))
open(sys.argv[1], "wb").write(out)
EOF
expect_fail "raw file with a bad check in its 3rd descriptor is refused, naming descriptor 3 and the check" \
	"bad\\.raw.*3.*check|check.*bad\\.raw.*3" tcp-policy desc load "$tmp/bad.raw"
tap_check "the refused raw file applied nothing: count still $n0" test "$(db_field count)" = "$n0"

tap_check "desc flush at the end" tcp-policy desc flush
tap_check "rmmod $MOD" rmmod "$MOD"

tap_done
