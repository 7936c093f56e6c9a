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

#include "behavior/model.h"
#include "behavior/seq.h"

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
/**
 * define TCPK_RATE_EWMA_SHIFT - weight of a window in the rates' averages
 *
 * Each window that ends moves a rate's average by 1/2^N of the distance
 * to the window's rate (N = 2: a quarter).
 */
#define TCPK_RATE_EWMA_SHIFT	2

u32 tcpk_rate_per_sec(u64 delta, u64 elapsed_ns);
u32 tcpk_rate_ewma(u32 avg, u32 sample);
u32 tcpk_score_add(u32 score, u32 add);
u32 tcpk_score_decay(u32 score, u64 elapsed_ms, u32 half_life_ms);

/**
 * struct tcpk_features - what the module has seen a process do
 * @lock: serialises the writers of @fails, @score and the @rate_* fields;
 *	taken with interrupts off, never held across anything that may
 *	sleep or take a scheduler lock.
 * @fails: failing system calls (EACCES, EPERM, ENOENT) in the current
 *	window.
 * @score: the anomaly score as last set, 0..%TCPK_SCORE_MAX, in the low
 *	16 bits, and when it was set (CLOCK_MONOTONIC ms) in the others, so
 *	that a reader gets both in one load: the score in force decays from
 *	there (tcpk_features_score()).  Written under @lock, read
 *	locklessly.
 * @rate_start: start of the current rate window (ns), under @lock.
 * @rate_full: a rate window has ended (the rates are averages of
 *	windows), under @lock.
 * @rate_syscalls: system calls counted when it started.
 * @rate_ctxsw: context switches counted when it started.
 * @rate_sent: bytes sent counted when it started.
 * @syscall_rate: system calls per second, a moving average of the
 *	windows' rates (tcpk_rate_ewma()).
 * @ctxsw_rate: context switches per second, likewise.
 * @sent_rate: bytes sent per second, likewise.
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
 * @seq: progress through the patterns and the locality frame of the
 *	executable's profile (behavior/sequence.c), under @lock.
 * @seq_dev: the executable's device, once @seq_exe is set, under @lock.
 * @seq_ino: its inode number, likewise.
 * @seq_exe: @seq_dev and @seq_ino are known (cleared at exec), under
 *	@lock; read locklessly as a hint.
 * @novel_fired: the locality frame count is at or above the novelty
 *	threshold and its event has been sent, under @lock.
 * @patterns: patterns completed.
 * @classes: system calls by &enum tcpk_syscall_class, saturating, under
 *	@lock.
 * @top: the most frequent calls, under @lock.
 * @fileops: file operations (the three file classes).
 * @rate_fileops: @fileops when the rate window started, under @lock.
 * @fileop_rate: file operations per second, like @syscall_rate.
 * @mwin: the behaviour model's current window, under @lock.
 * @model_peak: the highest probability (per mille) the model gave a
 *	window, under @lock.
 */
struct tcpk_features {
	spinlock_t lock;	/* @fails, @score, @rate_* */
	struct tcpk_window fails;
	atomic64_t score;
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
	struct tcpk_seq_state seq;
	u64 seq_dev;
	u64 seq_ino;
	bool seq_exe;
	bool novel_fired;
	atomic64_t patterns;
	u32 classes[__TCPK_SC_MAX];
	struct tcpk_topk top;
	atomic64_t fileops;
	u64 rate_fileops;
	u32 fileop_rate;
	struct tcpk_model_window mwin;
	u16 model_peak;
};

/**
 * struct tcpk_features_info - a copy of &struct tcpk_features for readers
 * @score: anomaly score, decayed to the time of the read.
 * @syscall_rate: system calls per second (the windows' moving average,
 *	or the first window so far).
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
 * @patterns: patterns completed.
 * @lfc: locality frame count now.
 * @lfc_peak: its highest.
 * @trigrams: trigrams checked against a profile.
 * @novel: of which novel.
 * @classes: system calls by class.
 * @top: the most frequent calls.
 * @fileops: file operations.
 * @fileop_rate: file operations per second.
 * @model_peak: the highest probability the model gave a window.
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
	u64 patterns;
	u32 lfc;
	u32 lfc_peak;
	u64 trigrams;
	u64 novel;
	u64 classes[__TCPK_SC_MAX];
	struct tcpk_topk top;
	u64 fileops;
	u32 fileop_rate;
	u32 model_peak;
};

void tcpk_features_init(struct tcpk_features *f);
void tcpk_features_tick(struct tcpk_features *f, u64 now, u64 len);
void tcpk_features_read(struct tcpk_features *f, u64 now, u32 half_life_ms,
			struct tcpk_features_info *out);
u32 tcpk_features_score(const struct tcpk_features *f, u64 now,
			u32 half_life_ms);
void tcpk_features_score_set(struct tcpk_features *f, u32 score, u64 now);
u32 tcpk_features_score_add(struct tcpk_features *f, u32 points, u64 now,
			    u32 half_life_ms);
void tcpk_features_inherit(struct tcpk_features *child,
			   const struct tcpk_features *parent, u64 now,
			   u32 half_life_ms);

#endif /* _TCPK_FEATURES_H */
