#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - signed policy: the module's keyring .tcp_kernel takes the
# throwaway certificate run.sh made for this image (root only); with
# require_signed_policy=1 a rule set, descriptor batch and model signed by
# tcp-policy sign are loaded, while an unsigned load, one altered byte, a
# signature by a key no keyring holds, a rules signature given to a model
# and every change that cannot be signed are refused with a message that
# names the cause; uid 65534 can neither add a key nor load.  Unloading
# while a process holds the keyring leaves it revoked, and a reload makes
# a new one.  The lock's part (1 -> 0 refused, no key added) is in
# 99-lock.sh, which runs last.
#
# Guest environment: root, busybox sh (su for as_nobody); tcp-policy,
# keyctl on PATH; python3; the keys in /tcpk/keys.

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
REQ=$SYSMOD/parameters/require_signed_policy
K=/tcpk/keys

tmp=$(mktemp -d /tmp/59-signed.XXXXXX) || exit 1
chmod 755 "$tmp"
trap 'echo 0 > "$REQ" 2>/dev/null; unload_module; rm -rf "$tmp"' EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

# status_json EXPR: tcp-policy -j status makes the python EXPR true.
status_json() {
	tcp-policy -j status > "$tmp/st.json" && expect_json "$tmp/st.json" "$1"
}

keyring() {
	tcp-policy -j status | python3 -c 'import json, sys; print(json.load(sys.stdin)["keyring"])'
}

rules() {
	tcp-policy -j mode | python3 -c 'import json, sys; print(json.load(sys.stdin)["rules"])'
}

descs() {
	tcp-policy -j desc count | python3 -c 'import json, sys; print(json.load(sys.stdin)["count"])'
}

# sign KEYNAME KIND FILE OUT
sign() {
	tcp-policy sign --key "$K/$1.key" --cert "$K/$1.pem" -o "$4" "$2" "$3"
}

cat > "$tmp/a.rules" <<'RULES'
--priority=100 --match-comm=tcpk59-a --action=deny
--priority=200 --match-comm=tcpk59-b --action=deny
RULES
cat > "$tmp/a.desc" <<'DESC'
tcpk59-a SAFE 1 1 1
tcpk59-b HIGH_RISK 2 2 2
DESC
cat > "$tmp/a.model" <<'MODEL'
# tcp_kernel model v1
bias -131072
threshold 700
points 123
weights 0 0 0 0 1024 0 0 0 0 0 0
MODEL

[ -d "$SYSMOD" ] && unload_module
kmemleak_start
tap_check "modprobe $MOD" modprobe "$MOD"
tap_check "require_signed_policy is 0 by default" test "$(cat "$REQ")" = N
tap_check "status -j: signed_policy_required false, keyring serial non-zero" \
	status_json "d['signed_policy_required'] is False and d['keyring'] > 0"
ring=$(keyring)
tap_diag "keyring .tcp_kernel: $ring"
tap_check "keyctl: the keyring is named .tcp_kernel" \
	sh -c "keyctl rdescribe $ring | grep -q ';.tcp_kernel\$'"

# --- keys -----------------------------------------------------------------------
tap_check "uid 65534 runs the checks" test "$(as_nobody id -u)" = 65534
expect_fail "uid 65534: tcp-policy key add is refused (EACCES)" "Permission denied" \
	as_nobody tcp-policy key add "$K/trusted.der"
expect_fail "uid 65534: keyctl padd into .tcp_kernel is refused" "Permission denied" \
	as_nobody sh -c "keyctl padd asymmetric '' $ring < $K/trusted.der"
tap_check "root: tcp-policy key add of the trusted certificate" \
	tcp-policy key add "$K/trusted.der"
tap_check "key list shows it (asymmetric, tcp_kernel test trusted)" \
	sh -c 'tcp-policy key list | grep -q "asymmetric;.*tcp_kernel test trusted"'
tap_check "keyctl sees one key in the keyring" \
	test "$(keyctl rdescribe "$ring" >/dev/null && keyctl list "$ring" | head -n 1)" = "1 key in keyring:"
expect_fail "key add of a file that is no certificate is refused" "." \
	tcp-policy key add "$tmp/a.rules"

# --- signatures -----------------------------------------------------------------
tap_check "sign rules" sign trusted rules "$tmp/a.rules" "$tmp/rules.p7s"
tap_check "sign desc" sign trusted desc "$tmp/a.desc" "$tmp/desc.p7s"
tap_check "sign model" sign trusted model "$tmp/a.model" "$tmp/model.p7s"
tap_check "sign rules with the unknown key" sign other rules "$tmp/a.rules" "$tmp/other.p7s"
tap_check "sign: the default output is FILE.p7s" \
	sh -c "tcp-policy sign --key $K/trusted.key --cert $K/trusted.pem rules $tmp/a.rules && test -s $tmp/a.rules.p7s"
expect_fail "sign: a key that is not the certificate's is refused" "not the key of the certificate" \
	tcp-policy sign --key "$K/other.key" --cert "$K/trusted.pem" -o "$tmp/x.p7s" rules "$tmp/a.rules"
expect_fail "sign: without --key it is a usage error" "required" \
	tcp-policy sign --cert "$K/trusted.pem" rules "$tmp/a.rules"

# Not required yet: a signature given is verified all the same.
expect_fail "not required: a rules signature by the unknown key is refused" "unknown key" \
	tcp-policy load --signature "$tmp/other.p7s" "$tmp/a.rules"
tap_check "not required: an unsigned rule load works" tcp-policy load "$tmp/a.rules"
tap_check "not required: rule flush works" tcp-policy flush

# --- required -------------------------------------------------------------------
tap_check "echo 1 > require_signed_policy" sh -c "echo 1 > $REQ"
tap_check "status -j: signed_policy_required true" \
	status_json "d['signed_policy_required'] is True"
tap_check "status: signed policy: required" \
	sh -c 'tcp-policy status | grep -q "^signed policy: *required"'

expect_fail "required: an unsigned rule load is refused (unsigned)" "signature: unsigned" \
	tcp-policy load "$tmp/a.rules"
tap_check "required: no rule was loaded" test "$(rules)" = 0
tap_check "required: the signed rule set loads" \
	tcp-policy load --signature "$tmp/rules.p7s" "$tmp/a.rules"
tap_check "required: 2 rules in force" test "$(rules)" = 2
expect_fail "required: an unsigned desc load is refused (unsigned)" "signature: unsigned" \
	tcp-policy desc load "$tmp/a.desc"
tap_check "required: the signed descriptor batch loads" \
	tcp-policy desc load --signature "$tmp/desc.p7s" "$tmp/a.desc"
tap_check "required: 2 descriptors" test "$(descs)" = 2
expect_fail "required: an unsigned model load is refused (unsigned)" "signature: unsigned" \
	tcp-policy model load "$tmp/a.model"
tap_check "required: the signed model loads" \
	tcp-policy model load --signature "$tmp/model.p7s" "$tmp/a.model"
tap_check "required: the model is loaded (threshold 700)" \
	sh -c 'tcp-policy model show | grep -q "^threshold: 700"'

# One altered byte: of the content (a rule's comm), then of the signature.
sed 's/tcpk59-b/tcpk59-c/' "$tmp/a.rules" > "$tmp/b.rules"
expect_fail "required: a rule set altered by one byte is refused (bad signature)" \
	"bad signature: it does not match the content" \
	tcp-policy load --signature "$tmp/rules.p7s" "$tmp/b.rules"
python3 -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[-1] ^= 1
open(sys.argv[2], "wb").write(b)
' "$tmp/rules.p7s" "$tmp/flip.p7s"
expect_fail "required: a signature altered by one byte is refused (bad signature)" \
	"bad signature" tcp-policy load --signature "$tmp/flip.p7s" "$tmp/a.rules"
head -c 100 "$tmp/rules.p7s" > "$tmp/cut.p7s"
expect_fail "required: a truncated signature is refused (not PKCS#7)" \
	"bad signature: not a detached PKCS#7" \
	tcp-policy load --signature "$tmp/cut.p7s" "$tmp/a.rules"
expect_fail "required: a signature by the unknown key is refused (unknown key)" \
	"unknown key" tcp-policy load --signature "$tmp/other.p7s" "$tmp/a.rules"
expect_fail "required: the rules signature given to a model is refused (wrong content)" \
	"does not match the content" \
	tcp-policy model load --signature "$tmp/rules.p7s" "$tmp/a.model"
expect_fail "required: the desc signature given to a rule set is refused (wrong content)" \
	"does not match the content" \
	tcp-policy load --signature "$tmp/desc.p7s" "$tmp/a.rules"
tap_check "required: still the 2 signed rules" test "$(rules)" = 2

# Changes that cannot carry a signature.
UNSIGNABLE='signature: require_signed_policy=1: this change cannot be signed'
expect_fail "required: rule add is refused" "$UNSIGNABLE" \
	tcp-policy add --match-comm=tcpk59-x --action=deny
expect_fail "required: rule del is refused" "$UNSIGNABLE" tcp-policy del 1
expect_fail "required: rule flush is refused" "$UNSIGNABLE" tcp-policy flush
expect_fail "required: desc add (single, unsigned) is refused" "signature: unsigned" \
	tcp-policy desc add tcpk59-x SAFE 1 1 1
expect_fail "required: desc del is refused" "$UNSIGNABLE" tcp-policy desc del tcpk59-a
expect_fail "required: desc flush is refused" "$UNSIGNABLE" tcp-policy desc flush
expect_fail "required: model del is refused" "$UNSIGNABLE" tcp-policy model del
tap_check "required: rules, descriptors and model unchanged" \
	sh -c "test \"\$(tcp-policy -j mode | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"rules\"])')\" = 2 &&
		tcp-policy model show > /dev/null"
tap_check "required: still 2 descriptors" test "$(descs)" = 2

expect_fail "uid 65534: a signed load is refused (EPERM)" "Operation not permitted" \
	as_nobody tcp-policy load --signature "$tmp/rules.p7s" "$tmp/a.rules"
expect_fail "uid 65534: cannot write require_signed_policy" "denied" \
	as_nobody sh -c "echo 0 > $REQ"
tap_check "kernel log: the refusals are logged" \
	sh -c 'dmesg | grep -q "tcp_kernel: signed load (command [0-9]*) refused by uid 0"'

# --- back to not required (the module is not locked) ------------------------------
tap_check "echo 0 > require_signed_policy (not locked)" sh -c "echo 0 > $REQ"
tap_check "not required: model del works" tcp-policy model del
tap_check "not required: rule flush and desc flush work" \
	sh -c 'tcp-policy flush && tcp-policy desc flush'

# --- unload while a process holds the keyring --------------------------------------
tap_check "keyctl link .tcp_kernel into root's user keyring (a reference)" \
	keyctl link "$ring" @u
tap_check "rmmod $MOD with the keyring held" rmmod "$MOD"
expect_fail "the held keyring is revoked after rmmod" "revoked" \
	sh -c "keyctl padd asymmetric '' $ring < $K/other.der"
tap_check "modprobe $MOD again" modprobe "$MOD"
ring2=$(keyring)
tap_check "a new keyring ($ring2, was $ring)" test "$ring2" != "$ring" -a "$ring2" -gt 0
expect_fail "the new keyring is empty: the signature is of an unknown key" "unknown key" \
	tcp-policy load --signature "$tmp/rules.p7s" "$tmp/a.rules"
tap_check "key add into the new keyring, then the signed load works" \
	sh -c "tcp-policy key add $K/trusted.der && tcp-policy load --signature $tmp/rules.p7s $tmp/a.rules"
tap_check "keyctl unlink the old keyring" keyctl unlink "$ring" @u
tap_check "echo 0 > require_signed_policy" sh -c "echo 0 > $REQ"
tap_check "rmmod $MOD" sh -c 'tcp-policy flush && rmmod tcp_kernel'
tap_check "modprobe and rmmod once more" sh -c 'modprobe tcp_kernel && rmmod tcp_kernel'
kmemleak_check "after the signed loads, refusals and reloads"

tap_done
