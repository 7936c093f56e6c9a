/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the hardware monitors' arithmetic: fixed-point IPC, miss
 * rates and CPU share from two samples of a task's counters, and the
 * signals they raise
 *
 * Integer only, no allocation, no lock and no side effect but on the
 * structures given, so KUnit tests it as it is.
 */
#ifndef _TCPK_HWMON_METRICS_H
#define _TCPK_HWMON_METRICS_H

#include <linux/bits.h>
#include <linux/time64.h>
#include <linux/types.h>

/**
 * enum tcpk_hwc - the counters a watched task may have
 * @TCPK_HWC_TASK_CLOCK: CPU time in ns (software).
 * @TCPK_HWC_CTXSW: context switches (software).
 * @TCPK_HWC_FAULTS: page faults (software).
 * @TCPK_HWC_INSTRUCTIONS: instructions retired (hardware).
 * @TCPK_HWC_CYCLES: CPU cycles (hardware).
 * @TCPK_HWC_BRANCH_MISSES: mispredicted branches (hardware).
 * @TCPK_HWC_CACHE_MISSES: last-level cache misses (hardware).
 * @__TCPK_HWC_MAX: one past the last counter, not a counter.
 */
enum tcpk_hwc {
	TCPK_HWC_TASK_CLOCK,
	TCPK_HWC_CTXSW,
	TCPK_HWC_FAULTS,
	TCPK_HWC_INSTRUCTIONS,
	TCPK_HWC_CYCLES,
	TCPK_HWC_BRANCH_MISSES,
	TCPK_HWC_CACHE_MISSES,
	__TCPK_HWC_MAX
};

/* The software counters, which every kernel with perf events has. */
#define TCPK_HWC_SOFTWARE	(BIT(TCPK_HWC_TASK_CLOCK) | BIT(TCPK_HWC_CTXSW) | \
				 BIT(TCPK_HWC_FAULTS))

/**
 * struct tcpk_hwmon_sample - a task's counters read at one time
 * @time: when (CLOCK_MONOTONIC ns); 0 for no sample yet.
 * @val: the counts, by &enum tcpk_hwc.
 * @have: BIT(counter) of the counters the task has.
 */
struct tcpk_hwmon_sample {
	u64 time;
	u64 val[__TCPK_HWC_MAX];
	u32 have;
};

/**
 * struct tcpk_hwmon_metrics - what two samples say about a period
 * @elapsed_ns: the period's length.
 * @cpu_pm: CPU time over wall time, per mille of one CPU (above 1000
 *	with several threads running); saturates at U32_MAX.
 * @ipc_q8: instructions per cycle, Q8 (256 is 1.0); 0 without both
 *	counters or without cycles.
 * @branch_mpki_q8: branch misses per 1000 instructions, Q8.
 * @cache_mpki_q8: cache misses per 1000 instructions, Q8.
 * @fault_rate: page faults per second.
 * @ctxsw_rate: context switches per second.
 * @have_ipc: the task has the instruction and cycle counters, and cycles
 *	were counted in the period.
 */
struct tcpk_hwmon_metrics {
	u64 elapsed_ns;
	u32 cpu_pm;
	u32 ipc_q8;
	u32 branch_mpki_q8;
	u32 cache_mpki_q8;
	u32 fault_rate;
	u32 ctxsw_rate;
	bool have_ipc;
};

/* A period shorter than this is not evaluated (its rates would be noise). */
#define TCPK_HWMON_MIN_PERIOD_NS	(50 * NSEC_PER_MSEC)

u32 tcpk_hwmon_ratio(u64 num, u64 den, u32 scale);
bool tcpk_hwmon_period_ok(u64 prev, u64 now);
void tcpk_hwmon_metrics(const struct tcpk_hwmon_sample *prev,
			const struct tcpk_hwmon_sample *cur,
			struct tcpk_hwmon_metrics *m);

/**
 * struct tcpk_hwmon_limits - when the metrics raise a signal
 * @busy_pm: a period at or above this CPU share is busy; 0 turns the
 *	busy and low-IPC signals off.
 * @busy_ms: a busy run this long (wall time, without a break) raises
 *	%TCPK_HWMON_SIGNAL_BUSY, once per run.
 * @min_ipc_q8: a busy period below this IPC (Q8) raises
 *	%TCPK_HWMON_SIGNAL_LOW_IPC, once per run; 0 turns it off.
 */
struct tcpk_hwmon_limits {
	u32 busy_pm;
	u32 busy_ms;
	u32 min_ipc_q8;
};

/**
 * struct tcpk_hwmon_judge - a task's state between periods
 * @busy_ms: how long its current busy run has lasted (0: not busy).
 * @busy_fired: %TCPK_HWMON_SIGNAL_BUSY was raised in this run.
 * @low_ipc_fired: %TCPK_HWMON_SIGNAL_LOW_IPC was raised in this run.
 */
struct tcpk_hwmon_judge {
	u32 busy_ms;
	bool busy_fired;
	bool low_ipc_fired;
};

u32 tcpk_hwmon_judge(struct tcpk_hwmon_judge *j,
		     const struct tcpk_hwmon_metrics *m,
		     const struct tcpk_hwmon_limits *l);

#endif /* _TCPK_HWMON_METRICS_H */
