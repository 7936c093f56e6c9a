#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the demo, run inside the VM by `make demo`.

step() {
	echo
	echo "### $*"
}

set -e
step "Running $(uname -sr); active LSMs: $(cat /sys/kernel/security/lsm)"
step "modprobe tcp_kernel security_level=2 syscall_feed=1 (the behavioural feed is off by default)"
modprobe tcp_kernel security_level=2 syscall_feed=1
dmesg | grep "tcp_kernel:" | sed "s/^\[[ 0-9.]*\] //" | tail -n 2
step "Module parameters (/sys/module/tcp_kernel/parameters)"
grep . /sys/module/tcp_kernel/parameters/*
step "tcp-policy status"
tcp-policy status
step "A BPF-LSM program on file_open calls the module's kfunc 5 times"
kfunc-probe --expect-level 2 5
step "tcp-policy -p status (pretty JSON; -j for one line)"
tcp-policy -p status
step "Load the default descriptor packs from /etc (one batch each, all or nothing)"
for f in /etc/tcp_kernel/descriptors.d/*.tcp; do  # one batch per file, to show each
	echo "tcp-policy desc load $f"
	tcp-policy desc load "$f"
done
tcp-policy desc count
step "What the module knows about rm (by name), /usr/bin/curl (by path) and execve (by syscall)"
tcp-policy desc get rm
tcp-policy desc get --path /usr/bin/curl
tcp-policy desc get --syscall execve
step "The first descriptors of the database (tcp-policy desc list)"
tcp-policy desc list | head -n 12
step "A descriptor with a bad check field is refused (the tool checks, and the kernel checks again)"
printf 'TCP\002\000\002\326\177\044\233\000\000\002\210\000\005\000\002\000\000\000\002\350\031' > /tmp/bad.raw
tcp-policy desc load /tmp/bad.raw || echo "(refused, as it should be)"
tcp-policy desc count

step "The policy engine: the default agent policy and the seed's two rules, loaded as one atomic replace"
cat /etc/tcp_kernel/agent.rules /etc/tcp_kernel/policy.rules | grep -v '^#' | grep . | tail -n 4
cat /etc/tcp_kernel/agent.rules /etc/tcp_kernel/policy.rules | tcp-policy load -
tcp-policy list | tail -n 5
tcp-policy mode
step "What-if (no side effect): the seed's rule denies uid 1000 exec of /tmp/x, root is allowed"
tcp-policy test --op exec --comm python3 --uid 1000 --path /tmp/x
tcp-policy test --op exec --comm python3 --uid 0 --path /tmp/x
step "An agent: tcp-policy run --agent demo --workspace /tmp/ws -- sh (the label follows its children)"
mkdir -p /tmp/ws
tcp-policy monitor > /tmp/events.txt 2>/dev/null &
monitor=$!
sleep 0.5
tcp-policy run --agent demo --workspace /tmp/ws -- sh -c 'sleep 60 & sleep 60' &
agent=$!  # tcp-policy labels itself, then becomes sh: same pid
sleep 1
tcp-policy agents
step "What the default agent policy says to agent process $agent"
for q in "--op unlink --path /tmp/ws/build/main.o" "--op open --access read --path /etc/shadow" \
	"--op unlink --path /etc/passwd" "--op open --access write --path /root/.bashrc" \
	"--op mmap --access write,exec" "--op capable --capability CAP_SYS_MODULE"; do
	echo "\$ tcp-policy test --pid $agent $q"
	# shellcheck disable=SC2086 # $q holds several options
	tcp-policy test --pid "$agent" $q
done
step "Rollout: monitor mode, then an agent executes a binary that a rule denies (would-deny event)"
tcp-policy add --priority=5 --match-agent=demo --match-op=exec --match-path='/tmp/ws/*' --action=deny
cp /bin/busybox /tmp/ws/true
tcp-policy mode monitor
tcp-policy run --agent demo --workspace /tmp/ws -- /tmp/ws/true
sleep 1
kill "$monitor"
echo "tcp-policy monitor printed:"
cat /tmp/events.txt
step "Enforcement: tcp-bpf attach puts one BPF-LSM program on each hook, each calling the module"
tcp-bpf attach
tcp-bpf status
tcp-policy mode enforce
printf 'root:*:19000:0:99999:7:::\n' > /etc/shadow
mkdir -p /tmp/ws/build
tcp-policy monitor > /tmp/events.txt 2>/dev/null &
monitor=$!
sleep 0.5
step "The agent works in its workspace: allowed"
tcp-policy run --agent demo --workspace /tmp/ws -- sh -c \
	'echo "int main(void) { return 0; }" > /tmp/ws/main.c && cat /tmp/ws/main.c && rm -rf /tmp/ws/build && echo "edited, read, rm -rf build/: ok"'
step "The agent reaches outside it: refused by the kernel"
audit0=$(dmesg | grep -c 'tcp_kernel="DENIED"' || true)
refused=0
mkdir -p /etc/cron.d
for c in "cat /etc/shadow" "rm -f /etc/passwd" "sh -c 'echo evil >> /root/.bashrc'" \
	"sh -c 'echo \"* * * * * root sh /tmp/x\" > /etc/cron.d/agent'"; do
	echo "\$ $c"
	# shellcheck disable=SC2086 # $c is a command line
	if tcp-policy run --agent demo --workspace /tmp/ws -- sh -c "$c" 2>&1; then
		echo "(allowed: the demo expected a refusal)"
	else
		echo "(refused)"
		refused=$((refused + 1))
	fi
done
sleep 1
echo "tcp-policy monitor printed:"
cat /tmp/events.txt
echo "the kernel's audit log:"
dmesg | grep 'tcp_kernel="DENIED"' | sed "s/^\[[ 0-9.]*\] //" | tail -n 3
audit=$(($(dmesg | grep -c 'tcp_kernel="DENIED"' || true) - audit0))
echo "refused: $refused of 4 commands; new audit records: $audit"
if [ -e /etc/cron.d/agent ]; then
	echo "demo: the refused cron job was created all the same" >&2
	exit 1
fi
echo "/etc/cron.d/agent was not created: the kernel refused the create itself (path_mknod)"
if [ "$refused" -ne 4 ] || [ "$audit" -lt 4 ]; then
	echo "demo: the kernel did not refuse the agent's reach outside its workspace" >&2
	exit 1
fi
if ! grep demo /tmp/events.txt | grep /etc/shadow | grep -q deny; then
	echo "demo: tcp-policy monitor printed no deny event of the agent's read of /etc/shadow" >&2
	exit 1
fi
step "Quarantine: the agent opens a file a rule guards; it is refused everything until released"
: > /tmp/ws/trigger
qrule=$(tcp-policy add --priority=1 --match-agent=demo --match-op=open --match-path=/tmp/ws/trigger --action=quarantine)
echo "rule $qrule: $(tcp-policy save | grep -- '--action=quarantine')"
# Its messages come after the release: a quarantined process cannot even
# write to its terminal.  It waits for a child started before (waiting is
# not an operation the module decides).
# shellcheck disable=SC2016 # the agent's shell expands it
tcp-policy run --agent demo --workspace /tmp/ws -- sh -c '
	sleep 30 & echo $! > /tmp/ws/sleeper
	true < /tmp/ws/trigger
	cat /tmp/ws/main.c > /dev/null; r=$?
	wait
	echo "agent: while quarantined, cat main.c exited $r; after the release it works:"
	cat /tmp/ws/main.c' 2> /dev/null &
quarantined=$!
sleep 2
echo "\$ tcp-policy ps --pid $quarantined"
tcp-policy ps --pid "$quarantined"
echo "\$ tcp-policy explain $quarantined | tail -n 2"
tcp-policy explain "$quarantined" | tail -n 2
echo "\$ tcp-policy release $quarantined"
tcp-policy release "$quarantined"
kill "$(cat /tmp/ws/sleeper)"
wait "$quarantined" || true
tcp-policy del "$qrule"
step "Behaviour: an agent probes for files (200 failing stat()s) and writes 2 MiB; its score rises"
# shellcheck disable=SC2016 # the agent's shell expands it
tcp-policy run --agent demo --workspace /tmp/ws -- sh -c '
	i=0; while [ $i -lt 200 ]; do [ -e "/nonexistent/$i" ]; i=$((i + 1)); done
	dd if=/dev/zero of=/tmp/ws/dump bs=2097152 count=1 2>/dev/null
	sleep 6
	wait' &
behaving=$!
sleep 4
echo "\$ tcp-policy ps"
tcp-policy ps
wait "$behaving"
step "Sequences: the agent reads a key, then runs nc: the pattern 'exfiltration' (open, read, socket) raises its score before connect(), which a rule refuses at that score"
tcp-policy seq list
srule=$(tcp-policy add --match-agent=demo --match-op=connect --match-anomaly=300 --action=deny)
echo "rule $srule: $(tcp-policy save | grep -- '--match-anomaly=300')"
echo "demo-key" > /tmp/ws/key
# The shell opens and reads the key, then becomes nc (an exec keeps the
# progress through a pattern): its socket() completes the pattern.
# shellcheck disable=SC2016 # the agent's shell expands it
tcp-policy run --agent demo --workspace /tmp/ws -- sh -c '
	read -r k < /tmp/ws/key
	exec nc 127.0.0.1 9 < /dev/null' > /tmp/nc.out 2>&1 || true
echo "agent: $(cat /tmp/nc.out)"
if ! grep -q "Permission denied" /tmp/nc.out; then
	echo "demo: the agent's connect after reading the key was not refused" >&2
	exit 1
fi
tcp-policy del "$srule" > /dev/null
sleep 1
if ! grep -q 'behavior=sequence pattern=exfiltration' /tmp/events.txt; then
	echo "demo: tcp-policy monitor printed no exfiltration sequence event" >&2
	exit 1
fi
grep 'behavior=sequence pattern=exfiltration' /tmp/events.txt | tail -n 1
step "Hardware monitors: each says what it found (QEMU TCG has no PMU, Intel PT or CET); an agent that spins is seen by its perf software counters and its busy run raises its score"
echo 1500 > /sys/module/tcp_kernel/parameters/hwmon_busy_ms
tcp-policy run --agent demo --workspace /tmp/ws -- sh -c 'while :; do :; done' &
spinner=$!
i=0
until grep -q 'behavior=hwmon signal=busy' /tmp/events.txt || [ $i -ge 90 ]; do
	sleep 1
	i=$((i + 1))
done
echo "\$ tcp-policy hwmon"
tcp-policy hwmon
kill "$spinner"
{ wait "$spinner"; } 2> /dev/null || true
if ! grep -q 'behavior=hwmon signal=busy' /tmp/events.txt; then
	echo "demo: tcp-policy monitor printed no busy signal of the spinning agent" >&2
	exit 1
fi
grep 'behavior=hwmon signal=busy' /tmp/events.txt | tail -n 1
sleep 1
kill "$monitor"
echo "tcp-policy monitor printed (behaviour):"
grep ' behavior ' /tmp/events.txt
step "Network: the XDP flow monitor on a veth pair (tcp-bpf attach --xdp veth0)"
# iproute2's ip, not busybox's applet; the client side in its own netns.
IP=/tcpk/bin/ip
modprobe veth 2> /dev/null || true   # built into the debug kernel
$IP netns add cli
$IP link add veth0 type veth peer name veth1
$IP link set veth1 netns cli
$IP addr add 10.99.0.1/24 dev veth0
$IP link set veth0 up
$IP netns exec cli sh -c "$IP link set lo up && $IP addr add 10.99.0.2/24 dev veth1 &&
	$IP addr add 10.99.0.3/24 dev veth1 && $IP link set veth1 up"
tcpk-xdp-traffic serve --addr=10.99.0.1 --port=8080 > /dev/null &
server=$!
mac=$(cat /sys/class/net/veth0/address)
tcp-bpf attach --xdp veth0
tcp-policy monitor > /tmp/flow-events.txt 2> /dev/null &
flowmon=$!
sleep 1
cli() {
	$IP netns exec cli tcpk-xdp-traffic "$@"
}
echo "\$ a normal client, 10.99.0.2, connects to 10.99.0.1:8080"
cli connect --src=10.99.0.2 --dst=10.99.0.1 --port=8080
echo "\$ 10.99.0.3 sends a SYN+FIN packet, then SYNs to 64 ports (a scan)"
cli send --if=veth1 --dst-mac="$mac" --src=10.99.0.3 --dst=10.99.0.1 --sport=40000 --dport=8080 --flags=SF
cli send --if=veth1 --dst-mac="$mac" --src=10.99.0.3 --dst=10.99.0.1 --sport=50000 --dport=1000 --flags=S --count=64 --vary=dport
echo "\$ at security_level 2 the scanner's connection is dropped at XDP, the client's is not"
cli connect --src=10.99.0.3 --dst=10.99.0.1 --port=8080 --timeout-ms=2000 || echo "(dropped, as it should be)"
cli connect --src=10.99.0.2 --dst=10.99.0.1 --port=8080
echo "\$ tcp-policy flows --top=6"
tcp-policy flows --top=6
sleep 1
kill "$flowmon"
echo "tcp-policy monitor printed (flows):"
grep ' flow ' /tmp/flow-events.txt
tcp-bpf status | grep '^xdp:'
kill "$server"
step "tcp-bpf stats"
tcp-bpf stats
step "tcp-policy stats"
tcp-policy stats
step "tcp-bpf detach (the programs, XDP's too, held the module: rmmod works only now)"
tcp-bpf detach

step "security_level=4 is refused"
echo 4 > /sys/module/tcp_kernel/parameters/security_level || echo "(refused, as it should be)"
step "rmmod tcp_kernel"
rmmod tcp_kernel
echo "done"
