#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the kernel's own YNL client (tools/net/ynl/cli.py of the
# pinned linux-source) drives the family from our spec alone: status,
# descriptor add/get/dump/count/del, a refused descriptor and a refused
# unprivileged mutation.  An independent client: if the spec and the
# module disagree, this fails.
#
# Guest environment: root, busybox sh; python3 with yaml and jsonschema
# at /usr/bin; cli.py and lib/ in /tcpk/ynl; the kernel's netlink schemas
# and specs in /tcpk/netlink; our spec in /tcpk/spec (and linked among the
# specs, where cli.py finds its schema by itself).

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
CLI=/tcpk/ynl/cli.py
SPEC=/tcpk/spec/tcp_kernel.yaml
SPEC_IN_TREE=/tcpk/netlink/specs/tcp_kernel.yaml
SCHEMA=/tcpk/netlink/genetlink-legacy.yaml

tmp=$(mktemp -d /tmp/34-ynl-cli.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

# ynl ARGS...: cli.py on our spec, without the schema (checked once
# below), JSON on stdout.
ynl() {
	python3 "$CLI" --spec "$SPEC" --no-schema --output-json "$@"
}

# ynl_to FILE ARGS...: ynl with its output in FILE.
ynl_to() {
	_f=$1
	shift
	ynl "$@" > "$_f"
}

# ynl_ops FILE: the operations, with the schema checked.
ynl_ops() {
	python3 "$CLI" --spec "$SPEC" --schema "$SCHEMA" --list-ops > "$1"
}

# desc_hex NAME FLAGS_MASK [EXEC_MS MEM_MB OUT_KB]: a valid descriptor, as
# the hex string cli.py takes for a binary attribute.
desc_hex() {
	python3 -c '
import hashlib, struct, sys, zlib
name = sys.argv[1].encode()
flags, ms, mb, kb = (int(x, 0) for x in sys.argv[2:6])
d = b"TCP\x02" + struct.pack(">H", 2) + hashlib.md5(name).digest()[:4]
d += struct.pack(">IHHHH", flags, ms, mb, kb, len(name))
print((d + struct.pack(">H", zlib.crc32(d) & 0xffff)).hex())
' "$1" "$2" "${3:-10}" "${4:-1}" "${5:-4}"
}

# name_hash NAME: the descriptor's cmd_hash as a number.
name_hash() {
	python3 -c 'import hashlib, sys; print(int.from_bytes(hashlib.md5(sys.argv[1].encode()).digest()[:4], "big"))' "$1"
}

# --- the toolchain itself, before the module is involved ----------------
tap_check "python3 runs in the guest ($(python3 --version 2>&1))" \
	python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)'
# The initramfs has no bytecode: the first import compiles (and caches in
# the guest's rootfs); say what that costs.
t0=$(cut -d' ' -f1 /proc/uptime)
tap_check "python3 imports yaml and jsonschema from Debian's packages" \
	python3 -c 'import yaml, jsonschema; assert "/usr/lib/python3/dist-packages/" in jsonschema.__file__'
t1=$(cut -d' ' -f1 /proc/uptime)
python3 -c 'import yaml, jsonschema'
t2=$(cut -d' ' -f1 /proc/uptime)
tap_diag "python3 -c 'import yaml, jsonschema': $(awk "BEGIN { print $t1 - $t0 }") s the first time (compiling), $(awk "BEGIN { print $t2 - $t1 }") s the second (guest time)"
python3 "$CLI" --spec /tcpk/netlink/specs/nlctrl.yaml --output-json \
	--do getfamily --json '{"family-name": "nlctrl"}' > "$tmp/nlctrl.json" 2>&1
tap_check "cli.py reads nlctrl's family from the kernel (spec nlctrl.yaml, schema validated)" \
	expect_json "$tmp/nlctrl.json" "d['family-name'] == 'nlctrl'"

[ -f "$SPEC" ] || {
	tap_not_ok "our spec is in the guest at $SPEC" "Documentation/netlink/specs/tcp_kernel.yaml was missing at build time"
	tap_done
	exit
}

if [ -d "$SYSMOD" ]; then
	rmmod "$MOD" 2>/dev/null
fi
tap_check "modprobe $MOD security_level=2" modprobe "$MOD" security_level=2

# The spec against the kernel's genetlink-legacy schema, both ways of
# naming the schema.
tap_check "spec validates against $SCHEMA (--schema) and lists its operations" \
	ynl_ops "$tmp/ops.txt"
sed 's/^/# /' "$tmp/ops.txt"
tap_check "spec validates with the schema cli.py finds by itself beside specs/" \
	python3 "$CLI" --spec "$SPEC_IN_TREE" --list-ops
for op in get-status desc-add desc-del desc-get desc-flush desc-count; do
	tap_check "spec has operation $op" grep -q "^$op " "$tmp/ops.txt"
done

# --- get-status ------------------------------------------------------------
level_names="off monitor enforce paranoid"
level=$(cat "$SYSMOD/parameters/security_level")
level_name=$(echo "$level_names" | cut -d' ' -f$((level + 1)))
tap_check "get-status succeeds" ynl_to "$tmp/status.json" --do get-status
tap_diag "$(cat "$tmp/status.json")"
tap_check "get-status: security-level is '$level_name', as $SYSMOD/parameters/security_level ($level)" \
	expect_json "$tmp/status.json" "d['security-level'] == '$level_name'"
tap_check "get-status: module-version is $SYSMOD/version ($(cat $SYSMOD/version))" \
	expect_json "$tmp/status.json" "d['module-version'] == '$(cat $SYSMOD/version)'"
# The uapi version of the header the tools were built from (tcp-policy -j
# status reports it as tool_uapi_version).
hdr_uapi=$(tcp-policy -j status 2>/dev/null |
	sed -n 's/.*"tool_uapi_version": *\([0-9]*\).*/\1/p')
tap_check "get-status: uapi-version is the header's (${hdr_uapi:-unknown})" \
	expect_json "$tmp/status.json" "d['uapi-version'] == ${hdr_uapi:-0}"
tap_check "get-status: kernel-release is $(uname -r)" \
	expect_json "$tmp/status.json" "d['kernel-release'] == '$(uname -r)'"
tap_check "get-status: five parts named ebpf, lsm, intel_pt, cet, perf" \
	expect_json "$tmp/status.json" "sorted(p['name'] for p in d['part']) == ['cet', 'ebpf', 'intel_pt', 'lsm', 'perf']"
tap_check "get-status: stats nest with genl-requests >= 1" \
	expect_json "$tmp/status.json" "d['stats']['genl-requests'] >= 1"

# Level changes are seen by the next request.
echo 3 > "$SYSMOD/parameters/security_level"
ynl_to "$tmp/status3.json" --do get-status
tap_check "get-status follows security_level=3 (paranoid)" \
	expect_json "$tmp/status3.json" "d['security-level'] == 'paranoid'"
echo 2 > "$SYSMOD/parameters/security_level"

# --- descriptors -----------------------------------------------------------
tap_check "desc-flush succeeds" ynl --do desc-flush

# One descriptor of each binding in one desc-add batch (a list of desc
# nests: multi-attr).
F_EXECVE=$(( (1 << 3) | (1 << 11) | (1 << 16) ))	# HIGH_RISK PRIVILEGE_ESCALATION DANGEROUS_EXEC
F_RM=$(( (1 << 7) | (1 << 9) ))				# DESTRUCTIVE FILE_MODIFICATION
F_CURL=$(( 1 << 8 ))					# NETWORK_ACCESS
F_SSH=$(( (1 << 8) | (1 << 14) ))			# NETWORK_ACCESS CRYPTO_OPERATION
raw_execve=$(desc_hex execve $F_EXECVE 1 2 3)
raw_rm=$(desc_hex ynl-rm $F_RM 5 1 1)
raw_curl=$(desc_hex curl $F_CURL 800 8 64)
raw_ssh=$(desc_hex ssh $F_SSH 2000 6 2)
SHA=5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
cat > "$tmp/add.json" <<EOF
{"desc": [
  {"raw": "$raw_execve", "syscall": 59},
  {"raw": "$raw_rm"},
  {"raw": "$raw_curl", "path": "/usr/bin/curl"},
  {"raw": "$raw_ssh", "sha256": "$SHA"}
]}
EOF
tap_check "desc-add of 4 descriptors (syscall, name, path, sha256 bindings; raw as hex) in one batch" \
	ynl --do desc-add --json "$(cat "$tmp/add.json")"
ynl_to "$tmp/count.json" --do desc-count
tap_check "desc-count: db-count 4, db-bytes > 0, db-limit >= 100000" \
	expect_json "$tmp/count.json" "d['db-count'] == 4 and d['db-bytes'] > 0 and d['db-limit'] >= 100000"

get() {
	# get NAME JSON: desc-get --do into $tmp/NAME.json
	ynl --do desc-get --json "$2" > "$tmp/$1.json"
}

hash_execve=$(name_hash execve)
tap_check "desc-get by syscall 59" get sys '{"desc": {"syscall": 59}}'
tap_check "desc-get reply carries exactly one desc nest (multi-attr, a list of one)" \
	expect_json "$tmp/sys.json" "isinstance(d['desc'], list) and len(d['desc']) == 1"
tap_check "desc-get by syscall: key-kind syscall, syscall 59, raw decoded as struct desc with execve's cmd-hash" \
	expect_json "$tmp/sys.json" "d['desc'][0]['key-kind'] == 'syscall' and d['desc'][0]['syscall'] == 59 and int(d['desc'][0]['raw']['cmd-hash'], 16) == $hash_execve"
tap_check "desc-get by syscall: flags decoded by name (high-risk, privilege-escalation, dangerous-exec), version 2, name-len 6" \
	expect_json "$tmp/sys.json" "sorted(d['desc'][0]['raw']['flags']) == ['dangerous-exec', 'high-risk', 'privilege-escalation'] and d['desc'][0]['raw']['version'] == 2 and d['desc'][0]['raw']['name-len'] == 6"
tap_check "desc-get by syscall: exec-ms 1, mem-mb 2, out-kb 3, magic 54 43 50 02" \
	expect_json "$tmp/sys.json" "[d['desc'][0]['raw'][k] for k in ('exec-ms', 'mem-mb', 'out-kb')] == [1, 2, 3] and d['desc'][0]['raw']['magic'].replace(' ', '') == '54435002'"
tap_check "desc-get by syscall: key has kind 4 in its top 4 bits" \
	expect_json "$tmp/sys.json" "int(str(d['desc'][0]['key']), 0) >> 60 == 4"

tap_check "desc-get by path /usr/bin/curl" get path '{"desc": {"path": "/usr/bin/curl"}}'
tap_check "desc-get by path: key-kind path, the path, network-access, exec-ms 800" \
	expect_json "$tmp/path.json" "d['desc'][0]['key-kind'] == 'path' and d['desc'][0]['path'] == '/usr/bin/curl' and d['desc'][0]['raw']['flags'] == ['network-access'] and d['desc'][0]['raw']['exec-ms'] == 800"

tap_check "desc-get by sha256" get sha "{\"desc\": {\"sha256\": \"$SHA\"}}"
tap_check "desc-get by sha256: key-kind digest, the digest, ssh's cmd-hash" \
	expect_json "$tmp/sha.json" "d['desc'][0]['key-kind'] == 'digest' and d['desc'][0]['sha256'].replace(' ', '') == '$SHA' and int(d['desc'][0]['raw']['cmd-hash'], 16) == $(name_hash ssh)"

hash_rm=$(name_hash ynl-rm)
tap_check "desc-get by cmd-hash (name binding)" get name "{\"desc\": {\"cmd-hash\": $hash_rm}}"
tap_check "desc-get by cmd-hash: key-kind name, destructive and file-modification" \
	expect_json "$tmp/name.json" "d['desc'][0]['key-kind'] == 'name' and sorted(d['desc'][0]['raw']['flags']) == ['destructive', 'file-modification']"

tap_check "desc-get --dump succeeds" ynl_to "$tmp/dump.json" --dump desc-get
tap_check "desc-get --dump: 4 entries, one of each key-kind" \
	expect_json "$tmp/dump.json" "sorted(m['desc'][0]['key-kind'] for m in d) == ['digest', 'name', 'path', 'syscall']"

# Replace: the same identity with other flags; the count stays.
raw_execve2=$(desc_hex execve $(( 1 << 4 )) 9 9 9)
tap_check "desc-add of an existing identity (syscall 59) replaces it" \
	ynl --do desc-add --json "{\"desc\": {\"raw\": \"$raw_execve2\", \"syscall\": 59}}"
get sys2 '{"desc": {"syscall": 59}}'
tap_check "desc-get by syscall 59 shows the new flags (critical) and exec-ms 9" \
	expect_json "$tmp/sys2.json" "d['desc'][0]['raw']['flags'] == ['critical'] and d['desc'][0]['raw']['exec-ms'] == 9"

tap_check "desc-del by syscall 59" ynl --do desc-del --json '{"desc": {"syscall": 59}}'
ynl_to "$tmp/count3.json" --do desc-count
tap_check "desc-count: db-count 3 after the delete" \
	expect_json "$tmp/count3.json" "d['db-count'] == 3"
out=$(ynl --do desc-get --json '{"desc": {"syscall": 59}}' 2>&1)
case "$out" in
*"No such file or directory"*) tap_ok "desc-get of the deleted syscall 59: ENOENT" ;;
*) tap_not_ok "desc-get of the deleted syscall 59: ENOENT" "got: $out" ;;
esac

# A descriptor with a broken check: refused, the extack names the field.
bad=$(python3 -c "import sys; h = bytearray.fromhex('$raw_curl'); h[23] ^= 0xff; print(h.hex())")
out=$(ynl --do desc-add --json "{\"desc\": [{\"raw\": \"$raw_rm\", \"syscall\": 2}, {\"raw\": \"$bad\", \"syscall\": 1}]}" 2>&1)
tap_diag "cli.py said: $out"
# The index is in the message where the kernel formats extack messages
# (6.12); on 6.1 only the offset of the nest tells it, which cli.py turns
# into an attribute path ('bad-attr': '.desc') without its position.
if printf '%s\n' "$out" | grep -q 'Invalid argument' &&
	printf '%s\n' "$out" | grep "'msg'" | grep -qw check &&
	{ printf '%s\n' "$out" | grep "'msg'" | grep -Eq '(descriptor|index) 1[^0-9]' ||
		printf '%s\n' "$out" | grep -q "'bad-attr': '.desc'"; }; then
	tap_ok "desc-add with a bad check in nest 1: EINVAL, extack names 'check' and index 1 (or, 6.1, points at a desc nest)"
else
	tap_not_ok "desc-add with a bad check in nest 1: EINVAL, extack names 'check' and index 1 (or, 6.1, points at a desc nest)" "got: $out"
fi
ynl_to "$tmp/count3b.json" --do desc-count
tap_check "the refused batch applied nothing: db-count still 3" \
	expect_json "$tmp/count3b.json" "d['db-count'] == 3"
out=$(ynl --do desc-get --json '{"desc": {"syscall": 2}}' 2>&1)
case "$out" in
*"No such file or directory"*) tap_ok "the refused batch applied nothing: its valid syscall 2 entry is absent (ENOENT)" ;;
*) tap_not_ok "the refused batch applied nothing: its valid syscall 2 entry is absent (ENOENT)" "got: $out" ;;
esac

# Unprivileged: reads work, mutations get EPERM.
tap_check "uid 65534 reads desc-count through cli.py" \
	as_nobody python3 "$CLI" --spec "$SPEC" --no-schema --do desc-count
out=$(as_nobody python3 "$CLI" --spec "$SPEC" --no-schema --do desc-flush 2>&1)
case "$out" in
*"Operation not permitted"*) tap_ok "uid 65534 desc-flush through cli.py: EPERM" ;;
*) tap_not_ok "uid 65534 desc-flush through cli.py: EPERM" "got: $out" ;;
esac

ynl --do desc-flush > /dev/null
ynl_to "$tmp/count0.json" --do desc-count
tap_check "desc-flush empties the database (db-count 0)" \
	expect_json "$tmp/count0.json" "d['db-count'] == 0"

tap_check "rmmod $MOD" rmmod "$MOD"

tap_done
