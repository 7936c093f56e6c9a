#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tcp_kernel - tcp-replay on tiny synthetic traces with known numbers
# (make -C tools check-replay).  usage: selftest.sh TCP-REPLAY
set -eu

bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/train" "$tmp/normal" "$tmp/attack"
fail() {
	echo "  FAIL $*"
	exit 1
}

# Trigrams learnt: 0 1 2, 1 2 3, 2 3 0, 3 0 1.
echo '0 1 2 3 0 1 2 3' > "$tmp/train/t1"
# All known: no novel trigram, peak LFC 0, no pattern.
printf '# a comment\n0 1 2\n3 0 1\n' > "$tmp/normal/n1"
# open, read, socket: exfiltration (300); one novel trigram.
echo '2 0 41' > "$tmp/attack/a1"
# strace, two pids: pid 7 setuid, setgid, execve (privilege-escalation,
# 300); pid 8's failed open does not start exfiltration.  Nine calls,
# all trigrams novel: four of pid 7 (105 106 59, 106 59 12, 59 12 12,
# 12 12 12: its peak LFC), one of pid 8 (257 0 41).
cat > "$tmp/attack/a2" <<'TRACE'
7  setuid(0) = 0
8  openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)
7  setgid(0 <unfinished ...>
8  read(3, "", 1) = 0
7  <... setgid resumed>) = 0
7  execve("/bin/sh", ["sh"], 0x0 /* 0 vars */) = 0
8  socket(AF_INET, SOCK_STREAM, 0) = 3
7  --- SIGCHLD {si_signo=SIGCHLD} ---
7  brk(NULL) = 0x1000
7  brk(NULL) = 0x1000
7  brk(NULL) = 0x1000
7  +++ exited with 0 +++
TRACE

"$bin" train --exe /bin/x -o "$tmp/p" "$tmp/train" 2> /dev/null
[ "$(cat "$tmp/p")" = "$(printf '# tcp_kernel profile v1\n# exe /bin/x\n# 4 trigrams learnt from 1 traces\n0 1 2\n1 2 3\n2 3 0\n3 0 1')" ] ||
	fail "train: unexpected profile: $(cat "$tmp/p")"
echo "  OK  train: 4 trigrams, sorted, with the exe line"

"$bin" score --profile "$tmp/p" --normal "$tmp/normal" --attack "$tmp/attack" \
	--thresholds 1,4,5 > "$tmp/out" || fail "score exited $?"
# name class syscalls tasks trigrams novel lfc weight patterns
for want in \
	'n1 normal 6 1 4 0 0 0 -' \
	'a1 attack 3 1 1 1 1 300 exfiltration' \
	'a2 attack 9 2 5 5 4 300 privilege-escalation' \
	'1 1.000 0.000' '4 0.500 0.000' '5 0.000 0.000' 'AUC 1.000' \
	'any 1.000 0.000 (2/2 attack, 0/1 normal traces)'; do
	tr -s ' ' < "$tmp/out" | sed 's/^ //' | grep -qxF -- "$want" ||
		fail "score: no line '$want' in: $(cat "$tmp/out")"
done
echo "  OK  score: novel trigrams, peak LFC, patterns, ROC and AUC as expected"

printf '# tcp_kernel profile v1\n0 1 2\n0 1 x\n' > "$tmp/bad"
if "$bin" score --profile "$tmp/bad" --normal "$tmp/normal" > /dev/null 2> "$tmp/err"; then
	fail "a malformed profile was accepted"
fi
grep -q "bad:3: malformed trigram" "$tmp/err" || fail "no file:line message: $(cat "$tmp/err")"
echo "  OK  a malformed profile is refused with file:line"
rc=0
"$bin" score > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "a usage error exited $rc, not 2"
echo "  OK  a usage error exits 2"

# The model: one window of 64 calls each.  Features (Q8): 64 reads make
# file-read 256, 64 getpid other 256, 32 of each 128 and 128.  With
# bias 0 and only the file-read weight 256 (1.0), z is 1.0, 0.5 and 0:
# the kernel's table gives 731, 622 and 500 per mille; 63 calls make no
# window.
mkdir -p "$tmp/mn" "$tmp/ma"
rep() {
	_i=0
	while [ $_i -lt "$2" ]; do
		printf '%s\n' "$1"
		_i=$((_i + 1))
	done
}
rep 0 64 > "$tmp/ma/reads"
{ rep 0 32; rep 39 32; } > "$tmp/ma/half"
rep 39 64 > "$tmp/mn/getpid"
rep 39 63 > "$tmp/mn/short"
printf '# tcp_kernel model v1\n# by hand\nbias 0\nthreshold 600\npoints 300\nweights 0 256 0 0 0 0 0 0 0 0 0\n' \
	> "$tmp/m"
"$bin" score --model "$tmp/m" --normal "$tmp/mn" --attack "$tmp/ma" > "$tmp/out" ||
	fail "score --model exited $?"
# name class syscalls tasks trigrams novel lfc model flag weight patterns
for want in \
	'half attack 64 1 0 0 - 622 yes 0 -' \
	'reads attack 64 1 0 0 - 731 yes 0 -' \
	'getpid normal 64 1 0 0 - 500 no 0 -' \
	'short normal 63 1 0 0 - - no 0 -' \
	'600 1.000 0.000 (2/2 attack, 0/2 normal traces)' \
	'700 0.500 0.000' 'model AUC 1.000'; do
	tr -s ' ' < "$tmp/out" | sed 's/^ //' | grep -qxF -- "$want" ||
		fail "score --model: no line '$want' in: $(cat "$tmp/out")"
done
echo "  OK  score --model: window probabilities 731, 622, 500 as computed by hand"

"$bin" model --profile "$tmp/p" --normal "$tmp/mn" --attack "$tmp/ma" \
	--folds 2 -o "$tmp/m2" > "$tmp/out" || fail "model exited $?"
head -n 1 "$tmp/m2" | grep -qxF '# tcp_kernel model v1' || fail "model: no header: $(cat "$tmp/m2")"
"$bin" score --profile "$tmp/p" --model "$tmp/m2" --normal "$tmp/mn" \
	--attack "$tmp/ma" > "$tmp/out2" || fail "score of the trained model exited $?"
tr -s ' ' < "$tmp/out2" | grep -qxF 'model AUC 1.000' ||
	fail "the trained model does not separate its training traces: $(cat "$tmp/m2" "$tmp/out2")"
grep -q '^cross-validated ' "$tmp/out" || fail "model: no cross-validated line: $(cat "$tmp/out")"
echo "  OK  model: trains, writes a model that score reads back and that separates its traces"

printf '# tcp_kernel model v1\nbias 0\nthreshold 0\npoints 300\nweights 0 0 0 0 0 0 0 0 0 0 0\n' > "$tmp/mbad"
if "$bin" score --model "$tmp/mbad" --normal "$tmp/mn" > /dev/null 2> "$tmp/err"; then
	fail "a model with threshold 0 was accepted"
fi
grep -q "mbad: model: the threshold is 1 to 1000" "$tmp/err" || fail "no check message: $(cat "$tmp/err")"
printf '# tcp_kernel model v1\nbias 0\nthreshold 500\nthreshold 500\n' > "$tmp/mbad"
"$bin" score --model "$tmp/mbad" --normal "$tmp/mn" > /dev/null 2> "$tmp/err" &&
	fail "a repeated line was accepted"
grep -q "mbad:4: a second threshold line" "$tmp/err" || fail "no file:line message: $(cat "$tmp/err")"
echo "  OK  a model out of the kernel's ranges, or malformed, is refused"
