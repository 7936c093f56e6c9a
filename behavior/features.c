// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - behavioural features: windows, rates and the score
 *
 * Integer arithmetic only, no floating point; every operation saturates
 * instead of wrapping, and a zero length or elapsed time gives 0 instead
 * of dividing by it.
 */

#include <linux/bitops.h>
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
 * tcpk_rate_ewma() - move a rate's moving average towards a new sample
 * @avg: the average so far.
 * @sample: the rate of the window that just ended.
 *
 * An exponentially weighted moving average with weight 1/4
 * (%TCPK_RATE_EWMA_SHIFT): a step of a quarter of the distance, rounded
 * away from @avg so that a steady rate is reached exactly, in either
 * direction.
 *
 * Return: the new average.
 */
u32 tcpk_rate_ewma(u32 avg, u32 sample)
{
	u32 d;

	if (sample >= avg) {
		d = sample - avg;
		return avg + (d >> TCPK_RATE_EWMA_SHIFT) +
		       !!(d & ((1U << TCPK_RATE_EWMA_SHIFT) - 1));
	}
	d = avg - sample;
	return avg - (d >> TCPK_RATE_EWMA_SHIFT) -
	       !!(d & ((1U << TCPK_RATE_EWMA_SHIFT) - 1));
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

/*
 * 2^(-i/16) for i = 0..16 in Q16: one halving in sixteen steps, between
 * which tcpk_score_decay() interpolates linearly.
 */
static const u32 tcpk_half_q16[17] = {
	65536, 62757, 60097, 57549, 55109, 52773, 50535, 48393, 46341,
	44376, 42495, 40693, 38968, 37316, 35734, 34219, 32768,
};

/**
 * tcpk_score_decay() - a score after it decayed for a while
 * @score: the score, at most %TCPK_SCORE_MAX.
 * @elapsed_ms: for how long it decayed.
 * @half_life_ms: the time it takes to halve; 0 for no decay.
 *
 * score * 2^(-elapsed / half_life) in fixed point: whole half-lives as
 * shifts, the fraction of one from a table of sixteenth steps with linear
 * interpolation (error below 0.1%), rounded down.  Never increases with
 * @elapsed_ms; 0 once eleven half-lives have passed (1000 >> 10 is 0).
 *
 * Return: the decayed score.
 */
u32 tcpk_score_decay(u32 score, u64 elapsed_ms, u32 half_life_ms)
{
	u64 halvings, rest, frac, factor;
	u32 i, t;

	score = min(score, TCPK_SCORE_MAX);
	if (!half_life_ms || !elapsed_ms || !score)
		return score;
	halvings = div64_u64_rem(elapsed_ms, half_life_ms, &rest);
	if (halvings >= 11)
		return 0;
	/* The fraction of a half-life, in Q16 (rest < half_life_ms < 2^32). */
	frac = div64_u64(rest << 16, half_life_ms);
	i = frac >> 12;
	t = frac & 0xfff;
	factor = tcpk_half_q16[i] -
		 (((u64)(tcpk_half_q16[i] - tcpk_half_q16[i + 1]) * t) >> 12);
	return (u32)((((u64)score * factor) >> 16) >> halvings);
}

/* The packed form of &tcpk_features.score. */
static u64 tcpk_score_pack(u32 score, u64 now)
{
	return (div_u64(now, NSEC_PER_MSEC) << 16) |
	       min(score, TCPK_SCORE_MAX);
}

/**
 * tcpk_features_score() - a process's anomaly score now
 * @f: its features.
 * @now: CLOCK_MONOTONIC ns.
 * @half_life_ms: the score's half-life (0: no decay).
 *
 * Lockless, any context.
 *
 * Return: the score as last set, decayed since.
 */
u32 tcpk_features_score(const struct tcpk_features *f, u64 now,
			u32 half_life_ms)
{
	u64 v = atomic64_read(&f->score), at = v >> 16;
	u64 now_ms = div_u64(now, NSEC_PER_MSEC);

	return tcpk_score_decay(v & 0xffff, now_ms > at ? now_ms - at : 0,
				half_life_ms);
}

/**
 * tcpk_features_score_set() - set a process's anomaly score
 * @f: its features; caller holds @f->lock (or owns @f alone).
 * @score: the score (saturated at %TCPK_SCORE_MAX).
 * @now: CLOCK_MONOTONIC ns: the score decays from then.
 */
void tcpk_features_score_set(struct tcpk_features *f, u32 score, u64 now)
{
	atomic64_set(&f->score, tcpk_score_pack(score, now));
}

/**
 * tcpk_features_score_add() - add to a process's decayed anomaly score
 * @f: its features; caller holds @f->lock.
 * @points: the contribution.
 * @now: CLOCK_MONOTONIC ns.
 * @half_life_ms: the score's half-life (0: no decay).
 *
 * Return: the new score, at most %TCPK_SCORE_MAX.
 */
u32 tcpk_features_score_add(struct tcpk_features *f, u32 points, u64 now,
			    u32 half_life_ms)
{
	u32 score = tcpk_score_add(tcpk_features_score(f, now, half_life_ms),
				   points);

	tcpk_features_score_set(f, score, now);
	return score;
}

/**
 * tcpk_features_inherit() - what a new process inherits at fork
 * @child: the child's features: it has not run yet, so nothing writes
 *	them but this (readers may look, locklessly).
 * @parent: the parent's.
 * @now: CLOCK_MONOTONIC ns.
 * @half_life_ms: the score's half-life (0: no decay).
 *
 * Half the parent's score now, rounded down; the counts start at 0.
 * Lockless (one atomic store), any context.
 */
void tcpk_features_inherit(struct tcpk_features *child,
			   const struct tcpk_features *parent, u64 now,
			   u32 half_life_ms)
{
	tcpk_features_score_set(child,
				tcpk_features_score(parent, now,
						    half_life_ms) / 2, now);
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
 * The rates of the window that ends now move the rates' moving averages
 * (tcpk_rate_ewma(); the first window's start them), and a new window
 * starts.  The first call only starts a window.
 */
void tcpk_features_tick(struct tcpk_features *f, u64 now, u64 len)
{
	u64 syscalls = atomic64_read(&f->syscalls);
	u64 ctxsw = atomic64_read(&f->ctxsw);
	u64 sent = atomic64_read(&f->bytes_sent);
	u64 fileops = atomic64_read(&f->fileops);
	u32 s_sys, s_ctx, s_sent, s_file;
	u64 elapsed;

	if (f->rate_start) {
		elapsed = now - f->rate_start;
		if (elapsed < len || !elapsed)
			return;
		s_sys = tcpk_rate_per_sec(syscalls - f->rate_syscalls, elapsed);
		s_ctx = tcpk_rate_per_sec(ctxsw - f->rate_ctxsw, elapsed);
		s_sent = tcpk_rate_per_sec(sent - f->rate_sent, elapsed);
		s_file = tcpk_rate_per_sec(fileops - f->rate_fileops, elapsed);
		/* The first window's rates start the averages. */
		f->syscall_rate = f->rate_full ?
				  tcpk_rate_ewma(f->syscall_rate, s_sys) : s_sys;
		f->ctxsw_rate = f->rate_full ?
				tcpk_rate_ewma(f->ctxsw_rate, s_ctx) : s_ctx;
		f->sent_rate = f->rate_full ?
			       tcpk_rate_ewma(f->sent_rate, s_sent) : s_sent;
		f->fileop_rate = f->rate_full ?
				 tcpk_rate_ewma(f->fileop_rate, s_file) : s_file;
		f->rate_full = true;
	}
	f->rate_start = now ? now : 1;
	f->rate_syscalls = syscalls;
	f->rate_ctxsw = ctxsw;
	f->rate_sent = sent;
	f->rate_fileops = fileops;
}

/**
 * tcpk_features_read() - copy the features out
 * @f: the features.
 * @now: monotonic ns, for the rates of a first window not yet ended and
 *	the score's decay.
 * @half_life_ms: the score's half-life (0: no decay).
 * @out: receives the copy.
 *
 * Takes @f->lock with interrupts off; never sleeps.
 */
void tcpk_features_read(struct tcpk_features *f, u64 now, u32 half_life_ms,
			struct tcpk_features_info *out)
{
	unsigned long flags;
	u64 elapsed = 0;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->syscalls = atomic64_read(&f->syscalls);
	out->ctxsw = atomic64_read(&f->ctxsw);
	out->bytes_sent = atomic64_read(&f->bytes_sent);
	out->fileops = atomic64_read(&f->fileops);
	out->score = tcpk_features_score(f, now, half_life_ms);
	spin_lock_irqsave(&f->lock, flags);
	if (f->rate_full || !f->rate_start) {
		out->syscall_rate = f->syscall_rate;
		out->ctxsw_rate = f->ctxsw_rate;
		out->sent_rate = f->sent_rate;
		out->fileop_rate = f->fileop_rate;
	} else if (now > f->rate_start) {
		elapsed = now - f->rate_start;
		out->syscall_rate = tcpk_rate_per_sec(out->syscalls -
						      f->rate_syscalls, elapsed);
		out->ctxsw_rate = tcpk_rate_per_sec(out->ctxsw - f->rate_ctxsw,
						    elapsed);
		out->sent_rate = tcpk_rate_per_sec(out->bytes_sent -
						   f->rate_sent, elapsed);
		out->fileop_rate = tcpk_rate_per_sec(out->fileops -
						     f->rate_fileops, elapsed);
	}
	for (i = 0; i < __TCPK_SC_MAX; i++)
		out->classes[i] = f->classes[i];
	out->top = f->top;
	out->model_peak = f->model_peak;
	out->lfc = hweight32(f->seq.novel);
	out->lfc_peak = f->seq.lfc_peak;
	out->trigrams = f->seq.trigrams;
	out->novel = f->seq.novel_total;
	spin_unlock_irqrestore(&f->lock, flags);
	out->patterns = atomic64_read(&f->patterns);
	out->failures = atomic64_read(&f->failures);
	out->fail_bursts = atomic64_read(&f->fail_bursts);
	out->sends = atomic64_read(&f->sends);
	out->large_writes = atomic64_read(&f->large_writes);
	out->large_write_bytes = atomic64_read(&f->large_write_bytes);
	out->wx = atomic64_read(&f->wx);
}
