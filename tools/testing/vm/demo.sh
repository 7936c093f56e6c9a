#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - the demo, run inside the VM by `make demo`.

step() {
	echo
	echo "### $*"
}

# --- the story ----------------------------------------------------------------
# A simulated coding agent (tcpk-agent-sim: one process that does every
# step itself) works normally, then goes wrong.  After each step the demo
# prints what the kernel decided, by which rule, and the agent's anomaly
# score; scores do not decay here (score_half_life_ms=0), so the same
# script gives the same result every run, and the demo fails if it does
# not.

WS=/work/proj
EV=/tmp/story-events.txt

# rule_label ID: the first clause of the comment above rule ID in the
# rule files loaded (ids are given in file order by story_rules).
rule_label() {
	awk -F '\t' -v id="$1" '$1 == id { print $2; exit }' /tmp/rule-labels
}

# story_rules FILE...: the rules of FILEs, each "add" given --id=N in
# order, on standard output; /tmp/rule-labels gets "N<TAB>first clause
# of the comment block above it".
story_rules() {
	cat "$@" | awk '
	/^# ---/ { next }
	/^#/ { c = c " " substr($0, 3); next }
	/^add / {
		n++
		sub(/^ +/, "", c)
		k = index(c, ":"); if (k) c = substr(c, 1, k - 1)
		k = index(c, ". "); if (k) c = substr(c, 1, k - 1)
		sub(/\.$/, "", c)
		if (length(c) > 64) c = substr(c, 1, 61) "..."
		printf "%d\t%s\n", n, c > "/tmp/rule-labels"
		sub(/^add /, "add --id=" n " ")
		print
		c = ""
		next
	}
	{ c = "" }'
}

# story_events PID FROM: the events of PID from line FROM of $EV on,
# one short line each.
story_events() {
	tail -n +"$2" "$EV" | grep " pid=$1 " | while read -r line; do
		case $line in
		*" decision "*)
			what=$(echo "$line" | sed -n 's/.* op=\([^ :]*\)\( path=\([^ ]*\)\)\{0,1\}: \([a-z-]*\) .*/\4 \1 \3/p')
			rule=$(echo "$line" | sed -n 's/.*: [a-z-]* *rule \([0-9]*\) (.*/\1/p')
			flags=$(echo "$line" | sed -n 's/.* flags \([^ :]*\).*/\1/p')
			case $flags in
			*quarantined*) why="quarantined" ;;
			*) why="rule ${rule:-0}: $(rule_label "${rule:-0}")" ;;
			esac
			case $flags in *alert*) why="$why (alert)" ;; esac
			printf '      %-40s %s\n' "$what" "$why"
			;;
		*" behavior "*)
			echo "      score: $(echo "$line" | sed -n 's/.* behavior=\([^ ]*\) \(.*\)/\1 \2/p')"
			;;
		esac
	done | awk '{ if (!($0 in n)) o[++k] = $0; n[$0]++ }
		END { for (i = 1; i <= k; i++) print o[i] (n[o[i]] > 1 ? "  (x" n[o[i]] ")" : "") }'
}

# ps_field PID COLUMN: a column of "tcp-policy ps --pid PID".
ps_field() {
	tcp-policy ps --pid "$1" 2>/dev/null | awk -v c="$2" 'NR > 1 { print $c; exit }'
}

story() {
	modprobe tcp_kernel security_level=2 syscall_feed=1 score_half_life_ms=0
	for f in /etc/tcp_kernel/descriptors.d/*.tcp; do
		tcp-policy desc load "$f" > /dev/null
	done
	cat > /tmp/example.rules <<-'RULES'
	# --- the example agent policy's own rules, before the defaults ---
	# A process whose anomaly score reached 300 connects nowhere.
	add --priority=1 --match-agent='*' --match-op=connect --match-anomaly=300 --action=deny
	# Secrets in the workspace (.env): readable, with an alert.
	add --priority=2 --match-agent='*' --match-op=open --match-path='**/.env' --action=monitor --alert=true
	RULES
	story_rules /tmp/example.rules /etc/tcp_kernel/agent.rules /etc/tcp_kernel/policy.rules |
		tcp-policy load - > /dev/null
	tcp-bpf attach > /dev/null
	tcp-policy mode enforce > /dev/null
	echo "tcp_kernel loaded (security_level=2, enforce), BPF-LSM programs attached;"
	echo "$(tcp-policy desc count | awk '$1 == "count:" { print $2 }') descriptors, $(tcp-policy list | tail -n +2 | grep -c .) rules: the two of /tmp/example.rules, then /etc/tcp_kernel/agent.rules and policy.rules"

	mkdir -p "$WS/src" /srv/data /root/.ssh
	printf 'int add(int a, int b) { return a + b; }\n' > "$WS/src/add.c"
	printf 'int add(int a, int b);\n' > "$WS/src/add.h"
	printf '#include "add.h"\nint main(void) { return add(1, 2) != 3; }\n' > "$WS/src/main.c"
	# shellcheck disable=SC2016 # the script expands it
	printf '#!/bin/sh\ngrep -q "a + b" "$(dirname "$0")/src/add.c"\n' > "$WS/run-tests.sh"
	printf 'API_TOKEN=demo-not-a-secret\n' > "$WS/.env"
	for f in orders.db users.db backup.tar; do echo "$f" > "/srv/data/$f"; done
	echo "not a real key" > /root/.ssh/id_rsa
	sleep 1000 &		# the user's editor: a sibling outside the agent
	sibling=$!
	tcp-policy monitor > "$EV" 2>/dev/null &
	story_monitor=$!
	sleep 0.5

	echo
	echo "The agent: tcp-policy run --agent coder --workspace $WS -- tcpk-agent-sim"
	rm -f /tmp/go /tmp/agent.out
	mkfifo /tmp/go
	tcp-policy run --agent coder --workspace "$WS" -- \
		tcpk-agent-sim "$WS" /srv/data "$sibling" < /tmp/go > /tmp/agent.out 2>&1 &
	sim=$!
	exec 3> /tmp/go
	# What must happen, step by step: the outcome, then the score after it.
	# Step 10's report is lost: its burst of failures quarantines it
	# mid-step, and then even its writes to standard output are refused.
	want="allowed:0 allowed:0 refused:0 refused:0 refused:300 refused:300 refused:400 refused:700 refused:700 :900"
	got=
	from=1
	n=0
	quarantined=
	while [ $n -lt 12 ]; do
		n=$((n + 1))
		i=0
		until grep -q "^RESULT $n " /tmp/agent.out ||
			[ "$(ps_field "$sim" 16)" = quarantined ] || [ $i -ge 600 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		sleep 0.3	# its events
		what=$(sed -n "s/^STEP $n //p" /tmp/agent.out)
		res=$(sed -n "s/^RESULT $n //p" /tmp/agent.out)
		score=$(ps_field "$sim" 4)
		printf '%2d. %s\n' "$n" "${what:-(no report: the agent is quarantined, its writes are refused)}"
		[ -z "$res" ] || printf '    %s\n' "$res"
		story_events "$sim" "$from"
		from=$(($(wc -l < "$EV") + 1))
		printf '    score %s, violations %s, %s\n' "$score" "$(ps_field "$sim" 13)" "$(ps_field "$sim" 16)"
		got="$got ${res%% *}:$score"
		if [ "$(ps_field "$sim" 16)" = quarantined ]; then
			quarantined=$n
			break
		fi
		echo >&3
	done
	exec 3>&-
	sleep 1
	echo
	echo "Quarantined at step $quarantined: every operation is refused until tcp-policy release."
	echo "\$ tcp-policy ps --pid $sim"
	tcp-policy ps --pid "$sim" || true
	echo "\$ tcp-policy explain $sim | tail -n 3"
	tcp-policy explain "$sim" | tail -n 3 || true
	alerts=$(grep " pid=$sim " "$EV" | grep -c ' decision .*flags [^ ]*alert') || true
	refusals=$(grep " pid=$sim " "$EV" | grep ' decision ' | grep -vc 'flags quarantined') || true
	refusals=$((refusals - alerts))
	rules=$(grep " pid=$sim " "$EV" | grep ' decision ' | grep -v 'flags quarantined' |
		sed -n 's/.*: deny *rule \([0-9]*\) (.*/\1/p' | sort -u | grep -c .) || true
	echo
	echo "In short: $(echo "$got" | grep -o allowed | grep -c .) steps allowed, $alerts alert, $refusals operations refused by $rules rules of the policy;"
	echo "the score climbed $(echo "${got# }" | tr ' ' '\n' | sed 's/.*://' | uniq | tr '\n' ' ' | sed 's/ $//; s/ / -> /g') and the agent was quarantined at step $quarantined."
	kill "$sim" "$sibling" 2>/dev/null || true
	wait "$sim" 2>/dev/null || true
	kill "$story_monitor"
	echo
	echo "\$ tcp-policy stats"
	tcp-policy stats
	tcp-bpf detach > /dev/null
	rmmod tcp_kernel
	rm -rf "$WS/.rootsh" /tmp/payload

	got=${got# }
	if [ "$got" != "$want" ]; then
		echo "demo: the story went otherwise than it must:" >&2
		echo "  want: $want" >&2
		echo "  got:  $got" >&2
		return 1
	fi
	if [ "$quarantined" != 10 ]; then
		echo "demo: the agent was not quarantined at step 10 (${quarantined:-never})" >&2
		return 1
	fi
	if [ ! -e /srv/data/orders.db ]; then
		echo "demo: the protected tree lost a file" >&2
		return 1
	fi
	echo
	echo "The same story, every run: $want, quarantined at step 10."
}

set -e
step "The story: a coding agent works, then goes wrong; what the kernel decides"
story
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
	"sh -c 'echo \"* * * * * root sh /tmp/x\" > /etc/cron.d/agent'" \
	"umount -l /sys"; do
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
echo "refused: $refused of 5 commands; new audit records: $audit"
if [ -e /etc/cron.d/agent ]; then
	echo "demo: the refused cron job was created all the same" >&2
	exit 1
fi
echo "/etc/cron.d/agent was not created: the kernel refused the create itself (path_mknod)"
echo "umount -l /sys (which would take the BPF side's pins along) was refused to the agent by the module's guard, whatever the rules:"
dmesg | grep 'tcp_kernel: agent demo: unmounting' | sed "s/^\[[ 0-9.]*\] //" | tail -n 1
if [ "$refused" -ne 5 ] || [ "$audit" -lt 4 ]; then
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
step "tcp-policy lock: the running policy cannot be loosened nor the BPF side detached until reboot, not even by root"
modprobe tcp_kernel security_level=2
tcp-policy load /etc/tcp_kernel/agent.rules > /dev/null
echo "\$ tcp-policy lock  (before tcp-bpf attach: the guard programs that keep the BPF side attached are missing)"
if tcp-policy lock 2>&1; then
	echo "demo: tcp-policy lock worked without the guard programs" >&2
	exit 1
fi
tcp-bpf attach > /dev/null
echo "\$ tcp-bpf attach; tcp-policy lock"
tcp-policy lock
tcp-policy status | grep -i lock
for c in "rmmod tcp_kernel" "tcp-policy mode monitor" "tcp-policy flush" \
	"sh -c 'echo 1 > /sys/module/tcp_kernel/parameters/security_level'" \
	"tcp-bpf detach" "rm /sys/fs/bpf/tcp_kernel/links/file_open" \
	"umount /sys/fs/bpf"; do
	echo "\$ $c"
	if sh -c "$c" 2>&1; then
		echo "demo: '$c' worked on a locked module" >&2
		exit 1
	fi
done
echo "\$ tcp-policy add --priority=1 --match-path=/srv/secret --action=deny  (tightening still works)"
tcp-policy add --priority=1 --match-path=/srv/secret --action=deny
echo "done"
