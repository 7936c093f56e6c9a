/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - behavioural features of a process: failure bursts, rates,
 * bytes sent, large writes, W+X memory, and the anomaly score they feed
 *
 * The arithmetic here is integer only and has no side effect but on the
 * structures it is given, so KUnit tests it as it is.  The feed
 * (behavior/feed.c) calls it from the syscall-exit
 * tracepoints and from the hooks.
 */
#ifndef _TCPK_FEATURES_H
#define _TCPK_FEATURES_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/**
 * define TCPK_SCORE_MAX - the highest anomaly score
 *
 * Scores are integers from 0 (nothing seen) to %TCPK_SCORE_MAX; rules
 * match them with ``--match-anomaly=N``.  The contributions saturate.
 */
#define TCPK_SCORE_MAX	1000U

/**
 * struct tcpk_window - events counted in a fixed time window
 * @start: when the window began (CLOCK_MONOTONIC ns); 0 before the first
 *	event.
 * @count: events in the window, saturating at U32_MAX.
 * @fired: the threshold was reached in this window (reported once).
 */
struct tcpk_window {
	u64 start;
	u32 count;
	bool fired;
};

bool tcpk_window_add(struct tcpk_window *w, u64 now, u64 len,
		     u32 threshold);
u32 tcpk_rate_per_sec(u64 delta, u64 elapsed_ns);
u32 tcpk_score_add(u32 score, u32 add);

/**
 * struct tcpk_features - what the module has seen a process do
 * @lock: protects @fails, @score and the @rate_* fields; taken with
 *	interrupts off, never held across anything that may sleep or take
 *	a scheduler lock.
 * @fails: failing system calls (EACCES, EPERM, ENOENT) in the current
 *	window.
 * @score: the anomaly score, 0..%TCPK_SCORE_MAX.  Written under @lock,
 *	read with READ_ONCE().
 * @rate_start: start of the current rate window (ns), under @lock.
 * @rate_full: a rate window has ended (the rates are its), under @lock.
 * @rate_syscalls: system calls counted when it started.
 * @rate_ctxsw: context switches counted when it started.
 * @rate_sent: bytes sent counted when it started.
 * @syscall_rate: system calls per second over the last full window.
 * @ctxsw_rate: context switches per second over the last full window.
 * @sent_rate: bytes sent per second over the last full window.
 *	Until a window has ended, readers get the rates of the window so
 *	far instead (tcpk_features_read()).
 * @syscalls: system calls completed.
 * @failures: of which failed with EACCES, EPERM or ENOENT.
 * @fail_bursts: windows in which failures reached the burst threshold.
 * @ctxsw: context switches of the process's threads since it started
 *	(the scheduler's counts, copied when a rate window closes).
 * @bytes_sent: bytes handed to sendmsg (socket_sendmsg hook).
 * @sends: sendmsg calls.
 * @large_writes: writes of at least the large-write size.
 * @large_write_bytes: bytes those wrote.
 * @wx: W+X mappings and W to X protection changes asked for.
 */
struct tcpk_features {
	spinlock_t lock;	/* @fails, @score, @rate_* */
	struct tcpk_window fails;
	u32 score;
	u64 rate_start;
	bool rate_full;
	u64 rate_syscalls;
	u64 rate_ctxsw;
	u64 rate_sent;
	u32 syscall_rate;
	u32 ctxsw_rate;
	u32 sent_rate;
	atomic64_t syscalls;
	atomic64_t failures;
	atomic64_t fail_bursts;
	atomic64_t ctxsw;
	atomic64_t bytes_sent;
	atomic64_t sends;
	atomic64_t large_writes;
	atomic64_t large_write_bytes;
	atomic64_t wx;
};

/**
 * struct tcpk_features_info - a copy of &struct tcpk_features for readers
 * @score: anomaly score.
 * @syscall_rate: system calls per second (last full window, or the
 *	first window so far).
 * @ctxsw_rate: context switches per second (likewise).
 * @sent_rate: bytes sent per second (likewise).
 * @syscalls: system calls completed.
 * @failures: failing system calls.
 * @fail_bursts: failure bursts.
 * @ctxsw: context switches.
 * @bytes_sent: bytes sent.
 * @sends: sendmsg calls.
 * @large_writes: large writes.
 * @large_write_bytes: their bytes.
 * @wx: W+X requests.
 */
struct tcpk_features_info {
	u32 score;
	u32 syscall_rate;
	u32 ctxsw_rate;
	u32 sent_rate;
	u64 syscalls;
	u64 failures;
	u64 fail_bursts;
	u64 ctxsw;
	u64 bytes_sent;
	u64 sends;
	u64 large_writes;
	u64 large_write_bytes;
	u64 wx;
};

void tcpk_features_init(struct tcpk_features *f);
void tcpk_features_tick(struct tcpk_features *f, u64 now, u64 len);
void tcpk_features_read(struct tcpk_features *f, u64 now,
			struct tcpk_features_info *out);

#endif /* _TCPK_FEATURES_H */
