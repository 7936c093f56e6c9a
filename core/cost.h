/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - cost: the in-module cost of a decision's components
 * (%TCPK_CMD_COST_GET), and the arithmetic of its batches
 *
 * The arithmetic (batch sizes, minimum and median) is pure and inline
 * here so that KUnit tests it as it is (kunit/cost_test.c).
 */
#ifndef _TCPK_COST_H
#define _TCPK_COST_H

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/tcp_kernel.h>
#include <linux/types.h>

/*
 * Batches per component.  Odd, so that the median is one batch's figure.
 * Each batch runs with preemption disabled, for at most
 * TCPK_COST_BATCH_NS (it ends early, at the first clock read after that
 * is reached: within TCPK_COST_CHECK_NS or one operation), so a component
 * takes at most about TCPK_COST_BATCHES * TCPK_COST_BATCH_NS of CPU time
 * plus that much per batch, and a request at most __TCPK_COST_MAX times
 * that: about 70 ms.
 */
#define TCPK_COST_BATCHES	9U
#define TCPK_COST_BATCH_NS	(1000ULL * 1000)	/* 1 ms */

/*
 * A batch reads the clock every few operations, about every
 * TCPK_COST_CHECK_NS (from the time of a first operation): often enough
 * to keep to its time limit, seldom enough that the clock reads cost an
 * operation no more than a few percent.  At most TCPK_COST_STEP_MAX
 * operations between reads.
 */
#define TCPK_COST_CHECK_NS	(50ULL * 1000)		/* 50 us */
#define TCPK_COST_STEP_MAX	64U

static_assert(TCPK_COST_BATCHES % 2 == 1);
static_assert(TCPK_COST_ITERATIONS_MIN >= 1);

/**
 * struct tcpk_cost_result - the cost of one component
 * @available: it was measured (false: a descriptor hit with no descriptor).
 * @ops: operations timed, over every batch.
 * @batches: batches timed.
 * @min_ps: the lowest time per operation of a batch, in picoseconds.
 * @median_ps: the median over the batches, in picoseconds.
 */
struct tcpk_cost_result {
	bool available;
	u64 ops;
	u32 batches;
	u64 min_ps;
	u64 median_ps;
};

/**
 * struct tcpk_cost_report - what %TCPK_CMD_COST_GET replies
 * @iterations: operations asked per component.
 * @cpu: the CPU the costs were measured on.
 * @rules: rules in the current set when the measurement started.
 * @descriptors: descriptors in the database when it started.
 * @c: per &enum tcpk_cost_component.
 */
struct tcpk_cost_report {
	u32 iterations;
	u32 cpu;
	u32 rules;
	u32 descriptors;
	struct tcpk_cost_result c[__TCPK_COST_MAX];
};

int tcpk_cost_measure(u32 iterations, struct tcpk_cost_report *rep);

/**
 * tcpk_cost_iterations_valid() - is @n an iteration count the uapi accepts?
 * @n: operations per component.
 *
 * The generic netlink policy enforces the same range; this is for callers
 * that do not go through it.
 *
 * Return: true if %TCPK_COST_ITERATIONS_MIN <= @n <= %TCPK_COST_ITERATIONS_MAX.
 */
static inline bool tcpk_cost_iterations_valid(u32 n)
{
	return n >= TCPK_COST_ITERATIONS_MIN && n <= TCPK_COST_ITERATIONS_MAX;
}

/**
 * tcpk_cost_per_batch() - operations each batch is asked to run
 * @iterations: operations per component (clamped into the uapi range).
 *
 * Return: @iterations spread over %TCPK_COST_BATCHES batches, rounded up:
 * at least 1.
 */
static inline u32 tcpk_cost_per_batch(u32 iterations)
{
	iterations = clamp_t(u32, iterations, TCPK_COST_ITERATIONS_MIN,
			     TCPK_COST_ITERATIONS_MAX);
	return DIV_ROUND_UP(iterations, TCPK_COST_BATCHES);
}

/**
 * tcpk_cost_step() - operations between two clock reads of a batch
 * @op_ns: the time of one operation (a first one, untimed otherwise).
 *
 * Return: %TCPK_COST_CHECK_NS / @op_ns, at least 1 and at most
 * %TCPK_COST_STEP_MAX.
 */
static inline u32 tcpk_cost_step(u64 op_ns)
{
	u64 step = div64_u64(TCPK_COST_CHECK_NS, max_t(u64, op_ns, 1));

	return clamp_t(u64, step, 1, TCPK_COST_STEP_MAX);
}

/**
 * tcpk_cost_ps_per_op() - picoseconds per operation of a batch
 * @ns: the batch's time, in nanoseconds.
 * @ops: its operations; 0 gives 0.
 *
 * Return: @ns * 1000 / @ops, rounded down; saturates rather than wraps.
 */
static inline u64 tcpk_cost_ps_per_op(u64 ns, u64 ops)
{
	if (!ops)
		return 0;
	if (ns > U64_MAX / 1000)
		return div64_u64(U64_MAX, ops);
	return div64_u64(ns * 1000, ops);
}

/**
 * tcpk_cost_summarise() - minimum and median of the batches' figures
 * @v: per batch, picoseconds per operation; sorted in place.
 * @n: batches, at most %TCPK_COST_BATCHES; 0 gives zeros.
 * @min: receives the lowest.
 * @median: receives the middle one (of an even @n, the lower middle).
 */
static inline void tcpk_cost_summarise(u64 *v, unsigned int n, u64 *min,
				       u64 *median)
{
	unsigned int i, j;
	u64 x;

	*min = 0;
	*median = 0;
	if (!n)
		return;
	n = min_t(unsigned int, n, TCPK_COST_BATCHES);
	for (i = 1; i < n; i++) {	/* insertion sort: 9 values at most */
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	*min = v[0];
	*median = v[(n - 1) / 2];
}

#endif /* _TCPK_COST_H */
