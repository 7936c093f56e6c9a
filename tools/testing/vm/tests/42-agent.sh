#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - agents: "tcp-policy run --agent demo --workspace /tmp/ws --
# sh -c ..." labels the shell, and the label reaches its child, a
# grandchild after exec and a daemon (double fork and setsid, its parent
# gone), all in one session, as "tcp-policy agents" shows; processes
# outside the tree are not labelled.  With the default agent policy
# (agent.rules) in force, what-if queries for each of these processes:
# removing or overwriting files outside the workspace, reading
# /etc/shadow, appending to a shell start-up file, executing an
# agent-written file outside the workspace, setuid, kernel modules, ptrace
# outside the session and W+X memory are denied, by the rule meant for
# them; ordinary work in the workspace (reading, writing, creating,
# deleting, executing its scripts), reads elsewhere, scratch space and
# sockets are allowed.  An unlabelled process is unaffected.  A labelled
# process cannot start another agent.  run's exit status, workspace
# resolution and errors.
#
# Guest environment: root, busybox sh (setsid); tcp-policy on PATH;
# python3; /etc/tcp_kernel/agent.rules.

# The sh -c scripts below expand their arguments themselves.
# shellcheck disable=SC2016
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$TCPK_TESTLIB/tap.sh"

MOD=tcp_kernel
SYSMOD=/sys/module/$MOD
WS=/tmp/ws

tmp=$(mktemp -d /tmp/42-agent.XXXXXX) || exit 1
kill_list=
cleanup() {
	for f in "$tmp"/pid.*; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	for p in $kill_list; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp" "$WS" /tmp/wslink /srv/tcpk42
}
trap cleanup EXIT

tap_diag "kernel: ${TCPK_KERNEL:-unset} ($(uname -r))"

# wait_file FILE: until FILE is not empty (10 s at most).
wait_file() {
	_i=0
	while [ ! -s "$1" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "$1" ]
}

[ -d "$SYSMOD" ] && rmmod "$MOD" 2>/dev/null
tap_check "modprobe $MOD" modprobe "$MOD"
mkdir -p "$WS/src" "$WS/build" /srv/tcpk42
: > /srv/tcpk42/data

# --- the agent and its descendants ------------------------------------------------
# main: the shell run executes; child: a sleep it starts; grandchild: a
# sleep that a child shell forks and execs; daemon: a sleep forked by a
# subshell of a setsid shell, both of which exit.
tcp-policy run --agent=demo --workspace="$WS" -- sh -c '
	D=$1
	echo $$ > "$D/pid.main"
	sleep 600 &
	echo $! > "$D/pid.child"
	sh -c "sleep 600 & echo \$! > $D/pid.grandchild; wait" &
	setsid sh -c "(sleep 600 & echo \$! > $D/pid.daemon); exit 0" &
	wait
' sh "$tmp" &
runner=$!
kill_list="$kill_list $runner"
for p in main child grandchild daemon; do
	tap_check "the agent's $p started" wait_file "$tmp/pid.$p"
done
main=$(cat "$tmp/pid.main")
child=$(cat "$tmp/pid.child")
grandchild=$(cat "$tmp/pid.grandchild")
daemon=$(cat "$tmp/pid.daemon")
tap_check "run executed the command in its own process (pid $runner)" test "$main" = "$runner"
sleep 0.5
# The daemon: reparented (its parent exited) and in a session of its own.
ppid_of() { awk '{ print $4 }' "/proc/$1/stat"; }
sid_of() { awk '{ print $6 }' "/proc/$1/stat"; }
tap_check "the daemon ($daemon) lost its parent (ppid $(ppid_of "$daemon"))" test "$(ppid_of "$daemon")" = 1
tap_check "the daemon is in another session ($(sid_of "$daemon") vs $(sid_of "$main"))" \
	test "$(sid_of "$daemon")" != "$(sid_of "$main")"
tap_check "the grandchild ran exec (its comm is sleep)" test "$(cat "/proc/$grandchild/comm")" = sleep

sleep 600 &
outsider=$!
kill_list="$kill_list $outsider"

tcp-policy -j agents > "$tmp/agents.json"
tap_check "agents -j is JSON" python3 -c "import json; json.load(open('$tmp/agents.json'))"
for p in main child grandchild daemon; do
	eval "pid=\$$p"
	tap_check "agents: the $p ($pid) is labelled demo, workspace $WS" \
		expect_json "$tmp/agents.json" "[(a['agent'], a['workspace']) for a in d if a['pid'] == $pid] == [('demo', '$WS')]"
done
tap_check "agents: the four share one session" \
	expect_json "$tmp/agents.json" "len(set(a['session'] for a in d if a['pid'] in ($main, $child, $grandchild, $daemon))) == 1"
tap_check "agents: the test shell ($$) and a sleep it started ($outsider) are not labelled" \
	expect_json "$tmp/agents.json" "not [a for a in d if a['pid'] in ($$, $outsider)]"
tap_check "agents (text) shows demo and the workspace" \
	sh -c "tcp-policy agents | grep -E '^$main +sh +demo +[0-9]+ +$WS\$'"

# Another user's processes: without CAP_NET_ADMIN the dump shows only the
# caller's own, and what-if questions may name only its own processes.
as_nobody tcp-policy run --agent=nb -- sleep 600 &
nb_runner=$!
kill_list="$kill_list $nb_runner"
tap_check "uid 65534 labels its own sleep nb" \
	retry 30 sh -c "tcp-policy agents | awk '\$3 == \"nb\"' | grep -q ."
nb=$(tcp-policy agents | awk '$3 == "nb" { print $1; exit }')
kill_list="$kill_list $nb"
as_nobody tcp-policy -j agents > "$tmp/agents-nobody.json"
tap_check "agents as uid 65534: its own nb ($nb) only, none of root's demo processes" \
	expect_json "$tmp/agents-nobody.json" "[(a['agent'], a['pid']) for a in d] == [('nb', ${nb:-0})]"
tap_check "agents as root: both demo and nb" \
	sh -c "tcp-policy agents | awk '\$3 == \"nb\" { n++ } \$3 == \"demo\" { d++ } END { exit !(n && d) }'"
expect_fail "test --pid=$main (root's agent) as uid 65534: refused, another user's process" \
	"another user's process \\(needs CAP_NET_ADMIN\\)" \
	as_nobody tcp-policy test --op=open --pid="$main" --path=/etc/passwd --access=read
expect_fail "test --target-pid=$main as uid 65534: refused as well" \
	"another user's process" \
	as_nobody tcp-policy test --op=ptrace --target-pid="$main"
tap_check "test --pid=$nb (its own agent) as uid 65534 works" \
	as_nobody tcp-policy test --op=open --pid="${nb:-0}" --path=/etc/passwd --access=read
tap_check "test without a pid as uid 65534 works" \
	as_nobody tcp-policy test --op=open --path=/etc/passwd --access=read

# --- the default agent policy, asked for each process ---------------------------------
tap_check "load /etc/tcp_kernel/agent.rules" tcp-policy load /etc/tcp_kernel/agent.rules
tap_check "mode enforce" tcp-policy mode enforce
tcp-policy -j list > "$tmp/rules.json"

# decide DESC PRIO VERDICT TEST-OPTIONS...: the what-if answer is VERDICT,
# from the rule of priority PRIO (0: no rule, the default).
decide() {
	_d=$1
	_prio=$2
	_v=$3
	shift 3
	if ! tcp-policy -j test "$@" > "$tmp/w.json" 2> "$tmp/err"; then
		tap_not_ok "$_d" "$(cat "$tmp/err")"
		return
	fi
	tap_check "$_d -> $_v (rule of priority $_prio)" python3 -c "
import json
d = json.load(open('$tmp/w.json'))
prio = {r['id']: r['priority'] for r in json.load(open('$tmp/rules.json'))}
got = prio.get(d['rule'], 0)
assert d['verdict'] == '$_v' and got == $_prio, 'verdict %s, rule %d of priority %d: %s' % (d['verdict'], d['rule'], got, d)
"
}

for p in main child grandchild daemon; do
	eval "pid=\$$p"
	decide "$p: unlink /srv/tcpk42/data (outside)" 300 deny --op=unlink --pid="$pid" --path=/srv/tcpk42/data
	decide "$p: unlink $WS/build/a.o (inside)" 100 allow --op=unlink --pid="$pid" --path="$WS/build/a.o"
	decide "$p: read /etc/shadow" 10 deny --op=open --pid="$pid" --path=/etc/shadow --access=read
	decide "$p: write $WS/src/main.c" 100 allow --op=open --pid="$pid" --path="$WS/src/main.c" --access=write,create
done

pid=$main
decide "unlink of /srv/tcpk42/data, with the write access given" 300 deny --op=unlink --pid="$pid" --path=/srv/tcpk42/data --access=write
decide "truncating /srv/tcpk42/data" 300 deny --op=open --pid="$pid" --path=/srv/tcpk42/data --access=write
decide "appending to /srv/tcpk42/data" 300 deny --op=open --pid="$pid" --path=/srv/tcpk42/data --access=append
decide "rmdir /srv/tcpk42" 300 deny --op=rmdir --pid="$pid" --path=/srv/tcpk42
decide "rename /srv/tcpk42/data" 300 deny --op=rename --pid="$pid" --path=/srv/tcpk42/data
decide "overwrite /usr/bin/ls" 20 deny --op=open --pid="$pid" --path=/usr/bin/ls --access=write
decide "unlink /etc/passwd" 21 deny --op=unlink --pid="$pid" --path=/etc/passwd
decide "append to /etc/sudoers" 21 deny --op=open --pid="$pid" --path=/etc/sudoers --access=append
decide "read root's SSH key" 11 deny --op=open --pid="$pid" --path=/root/.ssh/id_ed25519 --access=read
decide "read a user's AWS credentials" 13 deny --op=open --pid="$pid" --path=/home/alice/.aws/credentials --access=read
decide "read a user's .netrc" 14 deny --op=open --pid="$pid" --path=/home/alice/.netrc --access=read
decide "read a user's kube config" 15 deny --op=open --pid="$pid" --path=/home/alice/.kube/config --access=read
decide "write a crontab" 30 deny --op=open --pid="$pid" --path=/var/spool/cron/crontabs/root --access=write,create
decide "write a systemd user unit" 31 deny --op=open --pid="$pid" --path=/home/alice/.config/systemd/user/x.service --access=write,create
decide "append to /root/.bashrc" 32 deny --op=open --pid="$pid" --path=/root/.bashrc --access=append
decide "overwrite a user's .zshrc" 34 deny --op=open --pid="$pid" --path=/home/alice/.zshrc --access=write
decide "chmod u+s in the workspace" 40 deny --op=chmod --pid="$pid" --path="$WS/build/tool" --access=write,setid
decide "load a kernel module" 41 deny --op=capable --pid="$pid" --capability=CAP_SYS_MODULE
decide "ptrace a process outside the session" 42 deny --op=ptrace --pid="$pid" --target-pid="$outsider"
decide "ptrace its own child" 0 allow --op=ptrace --pid="$pid" --target-pid="$child"
decide "W+X memory" 43 deny --op=mprotect --pid="$pid" --access=read,write,exec
decide "use CAP_NET_ADMIN (tcp-policy mode off as root)" 44 deny --op=capable --pid="$pid" --capability=CAP_NET_ADMIN
decide "write the module's security_level in sysfs" 45 deny --op=open --pid="$pid" --path=/sys/module/tcp_kernel/parameters/security_level --access=write
decide "read the module's security_level" 0 allow --op=open --pid="$pid" --path=/sys/module/tcp_kernel/parameters/security_level --access=read
decide "W^X memory (write, no exec)" 0 allow --op=mmap --pid="$pid" --access=read,write
decide "exec of a file it wrote in /tmp" 50 deny --op=exec --pid="$pid" --path=/tmp/payload --access=exec,agent-written
decide "exec of a script it wrote in the workspace" 100 allow --op=exec --pid="$pid" --path="$WS/run.sh" --access=exec,agent-written
decide "rm -rf build/ (rmdir in the workspace)" 100 allow --op=rmdir --pid="$pid" --path="$WS/build"
decide "read a header outside" 0 allow --op=open --pid="$pid" --path=/usr/include/stdio.h --access=read
decide "exec /usr/bin/make" 0 allow --op=exec --pid="$pid" --path=/usr/bin/make --access=exec
decide "write /tmp/cc-tmp.s" 200 allow --op=open --pid="$pid" --path=/tmp/cc-tmp.s --access=write,create
decide "write /dev/null" 201 allow --op=open --pid="$pid" --path=/dev/null --access=write
decide "write a user's pip cache" 203 allow --op=open --pid="$pid" --path=/home/alice/.cache/pip/x --access=write,create
decide "connect (a loopback service)" 0 allow --op=connect --pid="$pid"
decide "a test of a hypothetical agent with the workspace given" 300 deny --op=unlink --agent=other --workspace=/srv/ws2 --path=/srv/tcpk42/data
decide "the test shell (unlabelled): unlink /srv/tcpk42/data" 0 allow --op=unlink --pid=$$ --path=/srv/tcpk42/data
decide "the test shell (unlabelled): read /etc/shadow" 0 allow --op=open --pid=$$ --path=/etc/shadow --access=read
decide "a sleep outside the tree: overwrite /usr/bin/ls" 0 allow --op=open --pid=$outsider --path=/usr/bin/ls --access=write

# --- no relabelling ------------------------------------------------------------------------
expect_fail "a labelled process cannot start another agent (EPERM), and runs nothing" \
	"Operation not permitted" \
	tcp-policy run --agent=demo2 --workspace="$WS" -- tcp-policy run --agent=evil -- sh -c "echo ran > $tmp/evil"
tap_check "the refused command did not run" test ! -e "$tmp/evil"
tap_check "no process is labelled evil" sh -c "! tcp-policy agents | grep -q evil"

# --- run: exit status, workspace, errors -----------------------------------------------------
tcp-policy run --agent=status -- sh -c 'exit 7'
tap_check "run exits with the command's status (7)" test $? = 7
tcp-policy run --agent=nothere -- /nonexistent/tcpk42 2> "$tmp/err"
tap_check "run of a missing command exits 127" test $? = 127
tap_check "... and says why" grep -q "No such file or directory" "$tmp/err"
expect_fail "run with a bad agent name is refused" "a name has 1 to" tcp-policy run --agent='a b' -- true
expect_fail "run without --agent is refused" "--agent=NAME is required" tcp-policy run -- true
expect_fail "run with a missing workspace is refused" "workspace=/nonexistent" tcp-policy run --agent=x --workspace=/nonexistent -- true
ln -s "$WS" /tmp/wslink
(cd /tmp/wslink/src && exec tcp-policy run --agent=cwd -- sh -c "echo \$\$ > $tmp/pid.cwd; exec sleep 600") &
tap_check "the cwd agent started" wait_file "$tmp/pid.cwd"
tcp-policy -j agents > "$tmp/agents2.json"
tap_check "the default workspace is the current directory, resolved ($WS/src)" \
	expect_json "$tmp/agents2.json" "[a['workspace'] for a in d if a['pid'] == $(cat "$tmp/pid.cwd")] == ['$WS/src']"
tap_check "run's options end at the command (sh -c ... --agent=x is the command's)" \
	sh -c 'test "$(tcp-policy run --agent=opts -- sh -c "echo \$1" sh --agent=x)" = --agent=x'

# --- gone -----------------------------------------------------------------------------------------
for f in "$tmp"/pid.*; do kill "$(cat "$f")" 2>/dev/null; done
for p in $kill_list; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
kill_list=
sleep 0.5
tcp-policy -j agents > "$tmp/agents3.json"
tap_check "killed agents leave the table" \
	expect_json "$tmp/agents3.json" "not [a for a in d if a['pid'] in ($main, $child, $grandchild, $daemon)]"
tcp-policy -j stats > "$tmp/stats.json"
tap_check "stats: labels were given (start and forks), none lost" \
	expect_json "$tmp/stats.json" "d['agent_labels'] >= 8 and d['agent_labels_lost'] == 0"

tap_check "flush" tcp-policy flush
tap_check "mode alerts (the default)" tcp-policy mode alerts
tap_check "rmmod $MOD" rmmod "$MOD"

tap_done
