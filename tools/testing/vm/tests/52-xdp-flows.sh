#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the XDP flow monitor with real packets (issue 6, items 1
# and 6): two network namespaces joined by a veth pair, the monitor on
# the root namespace's end (veth0, 10.99.0.1, fd99::1), the traffic from
# the other ("cli": 10.99.0.2 the normal client, .3 the scanner, .4 the
# SYN+FIN sender, fd99::2..4), hand-made frames from tcpk-xdp-traffic.
#
#  1. tcp-bpf attach --xdp=veth0: status, the default bound (100,000),
#     refusals (twice, no such interface, bad mode), rmmod refused.
#  2. Level 1: a normal connection works and its flow has score 0; a
#     SYN+FIN flow scores (invalid-flags), is reported once, and nothing
#     is dropped.
#  3. Level 2: a new SYN+FIN flow is dropped (every packet), reported as
#     dropping; the normal connection still works.
#  4. Port scan from .3 (64 ports): the source is flagged once; its
#     connection to the server is dropped at level 2 while .2's works;
#     allow-listed (tcp-bpf config --xdp-allow) it passes; at level 1 too.
#  5. Parsing: an IPv6 SYN+FIN, a VLAN-tagged frame, a UDP flow.
#  6. Configuration: values and prefixes refused with a message; the
#     threshold change takes effect (drop_score 0 never drops).
#  7. A flood of 6000 distinct flows into a table of 2048: it stays
#     within its bound; a SYN flood from one source is flagged once;
#     flow events over flow_events_per_sec are counted as dropped.
#  8. Native mode on veth; tcp-bpf detach --xdp: the link, the program
#     and the pins are gone, rmmod works.

# The sh -c scripts below expand their arguments themselves.
# shellcheck disable=SC2016
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"
# shellcheck source=SCRIPTDIR/../../lib/events.sh
. "$TCPK_TESTLIB/events.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
PARAMS=$SYSMOD/parameters
XDPDIR=/sys/fs/bpf/tcp_kernel/xdp
# iproute2's ip: busybox's shell would run its own ip applet (no netns,
# no veth) for a plain "ip".
IP=/tcpk/bin/ip
export IP

tmp=$(mktemp -d /tmp/52-xdp.XXXXXX) || exit 1
MON=$tmp/events.json
srv=
cleanup() {
	[ -z "$srv" ] || kill "$srv" 2>/dev/null
	stop_monitor
	wait 2>/dev/null
	tcp-bpf detach > /dev/null 2>&1
	$IP link del veth0 2>/dev/null
	$IP netns del cli 2>/dev/null
	[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

in_cli() {
	$IP netns exec cli "$@"
}
# send ARGS...: frames from the client's end to veth0.
send() {
	in_cli tcpk-xdp-traffic send --if=veth1 --dst-mac="$MAC0" "$@" > /dev/null
}
# conn SRC: a TCP connection from SRC to the server, 3 s to answer.
conn() {
	in_cli tcpk-xdp-traffic connect --src="$1" --dst=10.99.0.1 --port=8080 \
		--timeout-ms=3000
}
# flows_json: "tcp-policy -j flows --top=0" into $tmp/flows.json.
flows_json() {
	tcp-policy -j flows --top=0 > "$tmp/flows.json" 2> "$tmp/flows.err"
}
# flow_expr SADDR SPORT EXPR: EXPR over the flow "f" from SADDR:SPORT.
flow_expr() {
	flows_json || { cat "$tmp/flows.err"; return 1; }
	expect_json "$tmp/flows.json" "[f for f in d['flows'] if f['saddr'] == '$1' and f['sport'] == $2 and ($3)]"
}
level() {
	echo "$1" > "$PARAMS/security_level"
}
# send_ns: the best of 3 times (ns) to send 20000 frames of one flow.
send_ns() {
	for _r in 1 2 3; do
		in_cli tcpk-xdp-traffic send --if=veth1 --dst-mac="$MAC0" \
			--src=10.95.0.1 --dst=10.99.0.1 --sport=7 --dport=9 \
			--flags=A --count=20000 | sed -n 's/.* in \([0-9]*\) ns$/\1/p'
	done | sort -n | head -n 1
}
stat_of() {
	tcp-policy -j stats | sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p"
}

# === 1. attach ===============================================================
if [ -d "$SYSMOD" ]; then
	tcp-bpf detach > /dev/null 2>&1
	retry 10 rmmod "$MOD" 2>/dev/null || tap_diag "$MOD could not be removed"
fi
tap_check "modprobe $MOD security_level=1" modprobe "$MOD" security_level=1
tap_check "the flow events budget defaults to 100 a second" \
	grep -qx 100 "$PARAMS/flow_events_per_sec"
modprobe veth 2>/dev/null
tap_check "two network namespaces joined by veth0 (root) and veth1 (cli)" sh -c '
	$IP netns add cli &&
	$IP link add veth0 type veth peer name veth1 &&
	$IP link set veth1 netns cli &&
	$IP addr add 10.99.0.1/24 dev veth0 &&
	$IP -6 addr add fd99::1/64 dev veth0 nodad &&
	$IP link set veth0 up &&
	$IP netns exec cli sh -c "
		$IP link set lo up &&
		$IP addr add 10.99.0.2/24 dev veth1 &&
		$IP addr add 10.99.0.3/24 dev veth1 &&
		$IP addr add 10.99.0.4/24 dev veth1 &&
		$IP -6 addr add fd99::2/64 dev veth1 nodad &&
		$IP -6 addr add fd99::4/64 dev veth1 nodad &&
		$IP link set veth1 up"'
MAC0=$(cat /sys/class/net/veth0/address)
tcpk-xdp-traffic serve --addr=10.99.0.1 --port=8080 > "$tmp/serve.out" 2>&1 &
srv=$!
tap_check "the server listens on 10.99.0.1:8080" wait_grep listening "$tmp/serve.out"
tap_check "before the monitor, 10.99.0.2 connects" retry 5 conn 10.99.0.2

cost_none=$(send_ns)
tcp-bpf attach --xdp=veth0 > "$tmp/attach.out" 2>&1
tap_check "tcp-bpf attach --xdp=veth0 (status $?)" grep -q "attached the XDP flow monitor to veth0 (generic mode), flow table of 100000 flows" "$tmp/attach.out"
tap_diag "$(cat "$tmp/attach.out")"
tap_check "ip link shows an XDP program on veth0 (generic)" sh -c '$IP link show veth0 | grep -q xdpgeneric'
tcp-bpf status > "$tmp/status.txt" 2>&1
tap_diag "$(grep '^xdp:' "$tmp/status.txt")"
tap_check "status: xdp on veth0 (generic), flows of 100000" \
	grep -Eq '^xdp: +prog [0-9]+ on veth0 \(generic\); flows [0-9]+ of 100000 \([0-9]+ KiB\)' "$tmp/status.txt"
tap_check "the program, maps and link are pinned under $XDPDIR" sh -c "
	for f in prog flows sources allow config stats link:veth0; do
		test -e '$XDPDIR/'\$f || { echo missing \$f; exit 1; }
	done"
cost_xdp=$(send_ns)
tap_diag "20000 frames sent and received: $((cost_none / 20000)) ns each without XDP, $((cost_xdp / 20000)) ns with the monitor (generic mode); ratio $(awk -v a="$cost_xdp" -v b="$cost_none" 'BEGIN { printf "%.2f", a / b }')"
expect_fail "attach --xdp=veth0 again is refused" "attached to veth0 already" \
	tcp-bpf attach --xdp=veth0
expect_fail "attach --xdp=nosuch0 is refused" "no such interface" \
	tcp-bpf attach --xdp=nosuch0
expect_fail "attach --xdp-mode=fast is refused" "give generic or native" \
	tcp-bpf attach --xdp=veth1 --xdp-mode=fast
expect_fail "attach --xdp with --hooks is refused" "XDP flow monitor only" \
	tcp-bpf attach --xdp=veth0 --hooks=file_open
expect_fail "rmmod while the XDP program holds the module is refused" \
	"in use|Resource temporarily|busy" rmmod "$MOD"

# === 2. level 1: score, no drop ==============================================
start_monitor
tap_check "level 1: 10.99.0.2 connects through the monitor" conn 10.99.0.2
tap_check "its flow is listed: tcp, SYN and ACK seen, score 0, nothing dropped" \
	flow_expr 10.99.0.2 "f['sport']" "f['dport'] == 8080 and f['proto'] == 'tcp' and 'S' in f['tcp_flags'] and '.' in f['tcp_flags'] and f['score'] == 0 and f['dropped'] == 0 and f['ifname'] == 'veth0'"
send --src=10.99.0.4 --dst=10.99.0.1 --sport=40001 --dport=8080 --flags=SF
send --src=10.99.0.4 --dst=10.99.0.1 --sport=40001 --dport=8080 --flags=A --count=5
tap_check "level 1: the SYN+FIN flow scores 100 for invalid-flags, 6 packets, none dropped" \
	flow_expr 10.99.0.4 40001 "f['score'] == 100 and f['reasons'] == ['invalid-flags'] and f['packets'] == 6 and f['dropped'] == 0"
tap_check "the flow event: invalid-flags, new, from 10.99.0.4:40001" \
	mon_has '"type":"flow"' '"saddr":"10.99.0.4"' '"sport":40001' '"new_reasons":["invalid-flags"]'
tap_check "one event for the flow, not one per packet" \
	test "$(mon_lines '"type":"flow"' '"sport":40001' | wc -l)" -eq 1
tcp-policy monitor --help > /dev/null
tcp-policy flows > "$tmp/flows.txt" 2>&1
tap_diag "$(head -n 8 "$tmp/flows.txt")"
tap_check "tcp-policy flows (text): the SYN+FIN flow first, with its reason" \
	sh -c "sed -n 3p '$tmp/flows.txt' | grep -Eq '^10\.99\.0\.4:40001 +10\.99\.0\.1:8080 +tcp +FS\. .* 100 .*invalid-flags'"

# === 3. level 2: drop =========================================================
level 2
send --src=10.99.0.4 --dst=10.99.0.1 --sport=40002 --dport=8080 --flags=SF
send --src=10.99.0.4 --dst=10.99.0.1 --sport=40002 --dport=8080 --flags=A --count=5
tap_check "level 2: every packet of a new SYN+FIN flow is dropped (6 of 6)" \
	flow_expr 10.99.0.4 40002 "f['packets'] == 6 and f['dropped'] == 6 and 'dropping' not in f['reasons']"
tap_check "level 2: the event says invalid-flags and dropping" \
	mon_has '"type":"flow"' '"sport":40002' '"new_reasons":["invalid-flags","dropping"]'
tap_check "level 2: the normal connection from 10.99.0.2 still works" conn 10.99.0.2

# === 4. port scan =============================================================
send --src=10.99.0.3 --dst=10.99.0.1 --sport=50000 --dport=1000 --flags=S \
	--count=64 --vary=dport
if mon_has '"type":"flow"' '"saddr":"10.99.0.3"' 'port-scan' > "$tmp/scan.err"; then
	n=$(mon_lines '"type":"flow"' '"saddr":"10.99.0.3"' '"new_reasons":["port-scan' | wc -l)
	if [ "$n" -eq 1 ]; then
		tap_ok "the scan (64 ports from 10.99.0.3) is reported once, as a port scan"
	else
		tap_not_ok "the scan (64 ports from 10.99.0.3) is reported once, as a port scan" "$n events"
	fi
else
	tap_not_ok "the scan (64 ports from 10.99.0.3) is reported once, as a port scan" "$(cat "$tmp/scan.err")"
fi
expect_fail "level 2: the scanner's connection to the server is dropped" \
	"no answer" conn 10.99.0.3
if flows_json && expect_json "$tmp/flows.json" "[f for f in d['flows'] if f['saddr'] == '10.99.0.3' and f['dport'] == 8080 and 'port-scan' in f['reasons'] and f['dropped'] >= 1]" > "$tmp/scan.err"; then
	tap_ok "its flow is scored for the scan and dropped"
else
	tap_not_ok "its flow is scored for the scan and dropped" "$(cat "$tmp/scan.err")"
fi
tap_check "level 2: 10.99.0.2 still connects during the scan" conn 10.99.0.2
tap_check "tcp-bpf config --xdp-allow=10.99.0.0/30 (the scanner's prefix)" \
	sh -c "tcp-bpf config --xdp-allow=10.99.0.0/30 | grep -q '^allow  *10.99.0.0/30'"
tap_check "allow-listed, the scanner connects at level 2 (scored, not dropped)" conn 10.99.0.3
tap_check "tcp-bpf config --xdp-disallow=10.99.0.0/30" \
	sh -c "tcp-bpf config --xdp-disallow=10.99.0.0/30 | grep -q '^allow  *(none)'"
expect_fail "off the list again, it is dropped" "no answer" conn 10.99.0.3
level 1
tap_check "level 1: the flagged scanner connects (counted, never dropped)" conn 10.99.0.3
level 2

# === 5. parsing ===============================================================
send --src=fd99::4 --dst=fd99::1 --sport=40003 --dport=8080 --flags=SF
tap_check "IPv6: a SYN+FIN flow from fd99::4 scores and is dropped" \
	flow_expr fd99::4 40003 "f['family'] == 6 and f['daddr'] == 'fd99::1' and f['reasons'] == ['invalid-flags'] and f['dropped'] == 1"
send --src=10.99.0.5 --dst=10.99.0.1 --sport=40004 --dport=8080 --flags=SF --vlan=5
tap_check "VLAN: a tagged SYN+FIN frame from 10.99.0.5 is parsed through the tag" \
	flow_expr 10.99.0.5 40004 "f['reasons'] == ['invalid-flags']"
send --src=10.99.0.2 --dst=10.99.0.1 --sport=40005 --dport=53 --udp --count=3
tap_check "UDP: a flow from 10.99.0.2:40005 to port 53, 3 packets, score 0" \
	flow_expr 10.99.0.2 40005 "f['proto'] == 'udp' and f['dport'] == 53 and f['packets'] == 3 and f['score'] == 0"

# === 6. configuration =========================================================
tcp-bpf -j config --xdp > "$tmp/config.json" 2>&1
tap_diag "$(cat "$tmp/config.json")"
tap_check "config --xdp -j: the defaults (drop 100, scan 32 ports, window 10 s)" \
	expect_json "$tmp/config.json" "d['drop_score'] == 100 and d['scan_ports'] == 32 and d['window_ms'] == 10000 and d['allow'] == []"
expect_fail "config --xdp-scan-ports=abc is refused" "not a number" \
	tcp-bpf config --xdp-scan-ports=abc
expect_fail "config --xdp-scan-ports=999 (above the 256-bit port set) is refused" \
	"not a number from 0 to 256" tcp-bpf config --xdp-scan-ports=999
expect_fail "config --xdp-allow=10.1.2.3/33 is refused" "not an IPv4 or IPv6" \
	tcp-bpf config --xdp-allow=10.1.2.3/33
expect_fail "config --xdp-window-ms=0 is refused" "at least 1" \
	tcp-bpf config --xdp-window-ms=0
tap_check "config --xdp-drop-score=0: dropping is off" \
	sh -c "tcp-bpf config --xdp-drop-score=0 | grep -q 'never drops'"
send --src=10.99.0.4 --dst=10.99.0.1 --sport=40006 --dport=8080 --flags=SF --count=3
tap_check "drop_score 0 at level 2: the SYN+FIN flow is scored, not dropped" \
	flow_expr 10.99.0.4 40006 "f['score'] == 100 and f['dropped'] == 0"
tcp-bpf config --xdp-drop-score=100 > /dev/null

# === 7. bounds =================================================================
stop_monitor
tcp-bpf detach --xdp > /dev/null 2>&1
tap_check "re-attach with --xdp-flows=2048" sh -c \
	"tcp-bpf attach --xdp=veth0 --xdp-flows=2048 | grep -q 'flow table of 2048 flows'"
expect_fail "a second interface cannot ask for another bound" "holds 2048 flows" \
	tcp-bpf attach --xdp=lo --xdp-flows=4096
send --src=10.98.0.1 --dst=10.99.0.1 --sport=1000 --dport=80 --flags=S \
	--count=6000 --vary=saddr
flows_json
tap_diag "after 6000 distinct flows: $(head -c 80 "$tmp/flows.json")"
tap_check "the flow table holds at most its bound (2048) after 6000 new flows" \
	expect_json "$tmp/flows.json" "d['max_entries'] == 2048 and 1000 <= d['count'] <= 2048"
tcp-bpf -j status > "$tmp/status.json"
tap_diag "status -j: $(sed -n 's/.*\("xdp":{[^}]*}\).*/\1/p' "$tmp/status.json")"
tap_check "status counts 6000 new flows or more" \
	expect_json "$tmp/status.json" "d['xdp']['new_flows'] >= 6000 and d['xdp']['max_flows'] == 2048"
start_monitor
send --src=10.99.0.6 --dst=10.99.0.1 --sport=20000 --dport=9 --flags=S \
	--count=600 --vary=sport
if mon_has '"saddr":"10.99.0.6"' 'syn-flood' > "$tmp/flood.err" &&
	[ "$(mon_lines '"saddr":"10.99.0.6"' '"new_reasons":["syn-flood' | wc -l)" -eq 1 ]; then
	tap_ok "600 SYNs from 10.99.0.6 in one window: a SYN flood, reported once"
else
	tap_not_ok "600 SYNs from 10.99.0.6 in one window: a SYN flood, reported once" \
		"$(cat "$tmp/flood.err"; mon_lines '"saddr":"10.99.0.6"' | head -n 3)"
fi
dropped0=$(stat_of events_dropped)
echo 10 > "$PARAMS/flow_events_per_sec"
send --src=10.97.0.1 --dst=10.99.0.1 --sport=1000 --dport=80 --flags=SF \
	--count=400 --vary=saddr
sleep 1
dropped1=$(stat_of events_dropped)
nflow=$(mon_lines '"type":"flow"' '"saddr":"10.97.' | wc -l)
tap_diag "400 SYN+FIN flows at 10 events/s: $nflow events, events_dropped $dropped0 -> $dropped1"
tap_check "over flow_events_per_sec, flow events are counted as dropped, not lost silently" \
	test "${dropped1:-0}" -gt "${dropped0:-0}" -a "$nflow" -lt 400 -a "$nflow" -ge 1
# The next second has a budget again: its first event shows the gap.
sleep 1
send --src=10.96.0.1 --dst=10.99.0.1 --sport=999 --dport=80 --flags=SF
tap_check "the next second's event is delivered" mon_has '"saddr":"10.96.0.1"'
tap_check "and the monitor reports the loss before it" grep -Eq "events lost|dropped [0-9]+ events" "$tmp/mon.err"
tap_diag "$(cat "$tmp/mon.err")"
echo 100 > "$PARAMS/flow_events_per_sec"
stop_monitor

# === 8. native mode, detach ===================================================
tcp-bpf detach --xdp=veth0 > "$tmp/detach.out" 2>&1
tap_check "detach --xdp=veth0: the last interface, so the program is unloaded" \
	grep -q "from 1 interface, unloaded it" "$tmp/detach.out"
tap_check "no XDP program on veth0, nothing pinned under $XDPDIR" sh -c "
	! $IP link show veth0 | grep -q xdp && test ! -e '$XDPDIR'"
expect_fail "tcp-policy flows without the monitor says so" "not attached" \
	tcp-policy flows
tap_check "attach --xdp=veth0 --xdp-mode=native" sh -c \
	"tcp-bpf attach --xdp=veth0 --xdp-mode=native | grep -q '(native mode)'"
tap_check "status: veth0 (native)" sh -c "tcp-bpf status | grep -q 'veth0 (native)'"
tap_check "native mode: 10.99.0.2 connects" conn 10.99.0.2
tap_check "native mode: its packets are counted" \
	flow_expr 10.99.0.2 "f['sport']" "f['dport'] == 8080 and f['packets'] >= 2"
tcp-bpf detach > "$tmp/detach.out" 2>&1
tap_check "tcp-bpf detach (everything) detaches XDP too" \
	grep -q "detached XDP from 1 interface" "$tmp/detach.out"
tap_diag "$(cat "$tmp/detach.out")"
tap_check "after detach, rmmod $MOD works" retry 10 rmmod "$MOD"
tap_check "after the module is gone, 10.99.0.2 still connects" conn 10.99.0.2

tap_done
