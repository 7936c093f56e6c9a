#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - an unprivileged user (uid 65534, no capabilities) gets
# EPERM from the kernel for every mutation of the descriptor database
# (add, load of a text and of a raw file, del, flush), each leaving the
# database as it was, while get, list, count and status work.
#
# Guest environment: root, busybox sh (su for as_nobody); tcp-policy on
# PATH; python3.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD

# Files uid 65534 can read.
tmp=$(mktemp -d /tmp/33-desc-privilege.XXXXXX) || exit 1
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

db_count() {
	tcp-policy -j desc count | python3 -c "import json, sys; print(json.load(sys.stdin)['count'])"
}

# eperm DESC CMD...: CMD, run as uid 65534, fails with "Operation not
# permitted (CAP_NET_ADMIN needed)" and the database count is unchanged.
eperm() {
	_d=$1
	shift
	_n0=$(db_count)
	if _o=$(as_nobody "$@" 2>&1); then
		tap_not_ok "uid 65534: $_d is refused with EPERM, the message naming CAP_NET_ADMIN" "succeeded: $_o"
	else
		case "$_o" in
		*"Operation not permitted (CAP_NET_ADMIN needed)"*) tap_ok "uid 65534: $_d is refused with EPERM, the message naming CAP_NET_ADMIN" ;;
		*) tap_not_ok "uid 65534: $_d is refused with EPERM, the message naming CAP_NET_ADMIN" "got: $_o" ;;
		esac
	fi
	tap_check "uid 65534: after the refused $_d the count is still $_n0" \
		test "$(db_count)" = "$_n0"
}

[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
tap_check "modprobe $MOD" modprobe "$MOD"
tap_check "desc flush (root)" tcp-policy desc flush
tap_check "root adds tcpk33-rm (name) and tcpk33-sys (syscall kill)" \
	sh -c 'tcp-policy desc add tcpk33-rm DESTRUCTIVE 1 1 1 &&
		tcp-policy desc add tcpk33-sys HIGH_RISK 1 1 1 syscall=kill'
tap_check "the test runs as uid 65534" test "$(as_nobody id -u)" = 65534

printf 'tcpk33-new  SAFE  1 1 1\n' > "$tmp/new.tcp"
python3 - "$tmp/new.raw" <<'EOF'
import hashlib, struct, sys, zlib
name = b"tcpk33-raw"
d = b"TCP\x02" + struct.pack(">H", 2) + hashlib.md5(name).digest()[:4]
d += struct.pack(">IHHHH", 1, 1, 1, 1, len(name))
open(sys.argv[1], "wb").write(d + struct.pack(">H", zlib.crc32(d) & 0xffff))
EOF
chmod 644 "$tmp/new.tcp" "$tmp/new.raw"

# --- every mutation: EPERM, nothing changed ----------------------------------
eperm "desc add of a new name" tcp-policy desc add tcpk33-new SAFE 1 1 1
eperm "desc add replacing tcpk33-rm" tcp-policy desc add tcpk33-rm SAFE 9 9 9
eperm "desc add with a path= binding" tcp-policy desc add tcpk33-p SAFE 1 1 1 path=/usr/bin/tcpk33
eperm "desc load of a text file" tcp-policy desc load "$tmp/new.tcp"
eperm "desc load of a raw file" tcp-policy desc load "$tmp/new.raw"
eperm "desc del tcpk33-rm" tcp-policy desc del tcpk33-rm
eperm "desc del --syscall kill" tcp-policy desc del --syscall kill
eperm "desc del of an absent identity" tcp-policy desc del tcpk33-absent
eperm "desc flush" tcp-policy desc flush

# The kernel's own check, without the tool: an unchecked DESC_ADD.
out=$(as_nobody genl-fuzz -B "$tmp/new.raw" 2>&1)
case "$out" in
*"errno 1 ("*) tap_ok "uid 65534: the kernel refuses a DESC_ADD sent by genl-fuzz -B with EPERM" ;;
*) tap_not_ok "uid 65534: the kernel refuses a DESC_ADD sent by genl-fuzz -B with EPERM" "got: $out" ;;
esac
tap_check "uid 65534: the count is still 2" test "$(db_count)" = 2

tp_get() {
	tcp-policy -j desc get "$@" > "$tmp/root.json"
}
tp_get tcpk33-rm
tap_check "tcpk33-rm kept its values (DESTRUCTIVE, 1 ms) after the refused replace" \
	python3 -c "import json; d = json.load(open('$tmp/root.json')); assert d['flag_names'] == ['DESTRUCTIVE'] and d['exec_ms'] == 1, d"

# --- reads work ------------------------------------------------------------
tap_check "uid 65534: desc get tcpk33-rm works" as_nobody tcp-policy desc get tcpk33-rm
tap_check "uid 65534: desc get --syscall kill works" as_nobody tcp-policy desc get --syscall kill
tap_check "uid 65534: -j desc list shows the 2 entries" \
	sh -c "su -s /bin/sh -c 'tcp-policy -j desc list' nobody | python3 -c 'import json, sys; assert len(json.load(sys.stdin)) == 2'"
tap_check "uid 65534: -j desc count says 2" \
	sh -c "su -s /bin/sh -c 'tcp-policy -j desc count' nobody | python3 -c 'import json, sys; assert json.load(sys.stdin)[\"count\"] == 2'"
tap_check "uid 65534: status works" as_nobody tcp-policy status
out=$(as_nobody tcp-policy desc get tcpk33-absent 2>&1)
case "$out" in
*"Operation not permitted"*) tap_not_ok "uid 65534: get of an absent identity is 'not found', not EPERM" "got: $out" ;;
*) tap_ok "uid 65534: get of an absent identity is 'not found', not EPERM" ;;
esac

# A dry run reads files and sends nothing: allowed.
tap_check "uid 65534: desc load --dry-run of a text file works (sends nothing)" \
	as_nobody tcp-policy desc load --dry-run "$tmp/new.tcp"

tap_check "desc flush (root)" tcp-policy desc flush
tap_check "rmmod $MOD" rmmod "$MOD"

tap_done
