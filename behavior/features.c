// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - behavioural features: windows, rates and the score
 *
 * Integer arithmetic only, no floating point; every operation saturates
 * instead of wrapping, and a zero length or elapsed time gives 0 instead
 * of dividing by it.
 */

#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/time64.h>

#include "behavior/features.h"

/**
 * tcpk_window_add() - count one event in a fixed window
 * @w: the window.
 * @now: the event's time (monotonic ns, never before @w->start).
 * @len: the window's length in ns; 0 makes every event its own window.
 * @threshold: events in one window that make a burst; 0 disables.
 *
 * An event @len or more after the window's start opens a new window.
 * Caller serialises calls on @w.
 *
 * Return: true for the event that makes the window's count reach
 * @threshold (once per window), false otherwise.
 */
bool tcpk_window_add(struct tcpk_window *w, u64 now, u64 len, u32 threshold)
{
	if (!w->start || now - w->start >= len) {
		w->start = now ? now : 1;
		w->count = 0;
		w->fired = false;
	}
	if (w->count < U32_MAX)
		w->count++;
	if (!threshold || w->fired || w->count < threshold)
		return false;
	w->fired = true;
	return true;
}

/**
 * tcpk_rate_per_sec() - events per second
 * @delta: events counted.
 * @elapsed_ns: over how long.
 *
 * Return: @delta per second, rounded down and saturated at U32_MAX; 0 if
 * @elapsed_ns is 0.
 */
u32 tcpk_rate_per_sec(u64 delta, u64 elapsed_ns)
{
	u64 whole, rest, rate;

	if (!elapsed_ns)
		return 0;
	/*
	 * delta / elapsed in whole events per ns, and the rest: a quotient
	 * that does not fit 64 bits traps in x86's mul_u64_u64_div_u64()
	 * (a divide error), so only the rest, below elapsed_ns, goes
	 * through it, and 5 or more events per ns saturate first.
	 */
	whole = div64_u64_rem(delta, elapsed_ns, &rest);
	if (whole > U32_MAX / NSEC_PER_SEC)
		return U32_MAX;
	rate = whole * NSEC_PER_SEC +
	       mul_u64_u64_div_u64(rest, NSEC_PER_SEC, elapsed_ns);
	return min_t(u64, rate, U32_MAX);
}

/**
 * tcpk_score_add() - add to an anomaly score
 * @score: the score.
 * @add: the contribution.
 *
 * Return: @score + @add, at most %TCPK_SCORE_MAX.
 */
u32 tcpk_score_add(u32 score, u32 add)
{
	score = min(score, TCPK_SCORE_MAX);
	return add >= TCPK_SCORE_MAX - score ? TCPK_SCORE_MAX : score + add;
}

/**
 * tcpk_features_init() - start the features of a new process
 * @f: zeroed memory.
 */
void tcpk_features_init(struct tcpk_features *f)
{
	spin_lock_init(&f->lock);
}

/**
 * tcpk_features_tick() - close the rate window if it is over
 * @f: the features; caller holds @f->lock.
 * @now: monotonic ns.
 * @len: the window's length in ns (0: every call closes it).
 *
 * The rates become those of the window that ends now, and a new one
 * starts.  The first call only starts a window.
 */
void tcpk_features_tick(struct tcpk_features *f, u64 now, u64 len)
{
	u64 syscalls = atomic64_read(&f->syscalls);
	u64 ctxsw = atomic64_read(&f->ctxsw);
	u64 sent = atomic64_read(&f->bytes_sent);
	u64 elapsed;

	if (f->rate_start) {
		elapsed = now - f->rate_start;
		if (elapsed < len || !elapsed)
			return;
		f->syscall_rate = tcpk_rate_per_sec(syscalls - f->rate_syscalls,
						    elapsed);
		f->ctxsw_rate = tcpk_rate_per_sec(ctxsw - f->rate_ctxsw,
						  elapsed);
		f->sent_rate = tcpk_rate_per_sec(sent - f->rate_sent, elapsed);
		f->rate_full = true;
	}
	f->rate_start = now ? now : 1;
	f->rate_syscalls = syscalls;
	f->rate_ctxsw = ctxsw;
	f->rate_sent = sent;
}

/**
 * tcpk_features_read() - copy the features out
 * @f: the features.
 * @now: monotonic ns, for the rates of a first window not yet ended.
 * @out: receives the copy.
 *
 * Takes @f->lock with interrupts off; never sleeps.
 */
void tcpk_features_read(struct tcpk_features *f, u64 now,
			struct tcpk_features_info *out)
{
	unsigned long flags;
	u64 elapsed = 0;

	memset(out, 0, sizeof(*out));
	out->syscalls = atomic64_read(&f->syscalls);
	out->ctxsw = atomic64_read(&f->ctxsw);
	out->bytes_sent = atomic64_read(&f->bytes_sent);
	spin_lock_irqsave(&f->lock, flags);
	out->score = f->score;
	if (f->rate_full || !f->rate_start) {
		out->syscall_rate = f->syscall_rate;
		out->ctxsw_rate = f->ctxsw_rate;
		out->sent_rate = f->sent_rate;
	} else if (now > f->rate_start) {
		elapsed = now - f->rate_start;
		out->syscall_rate = tcpk_rate_per_sec(out->syscalls -
						      f->rate_syscalls, elapsed);
		out->ctxsw_rate = tcpk_rate_per_sec(out->ctxsw - f->rate_ctxsw,
						    elapsed);
		out->sent_rate = tcpk_rate_per_sec(out->bytes_sent -
						   f->rate_sent, elapsed);
	}
	spin_unlock_irqrestore(&f->lock, flags);
	out->failures = atomic64_read(&f->failures);
	out->fail_bursts = atomic64_read(&f->fail_bursts);
	out->sends = atomic64_read(&f->sends);
	out->large_writes = atomic64_read(&f->large_writes);
	out->large_write_bytes = atomic64_read(&f->large_write_bytes);
	out->wx = atomic64_read(&f->wx);
}
