// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the hardware monitors' arithmetic (see metrics.h)
 *
 * Every ratio goes through tcpk_hwmon_ratio(): a zero denominator gives 0
 * and a quotient past 32 bits saturates, so no input divides by zero or
 * overflows (counters are 64-bit and may be anything).
 */

#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <linux/tcp_kernel.h>

#include "hwmon/metrics.h"

/**
 * tcpk_hwmon_ratio() - @num * @scale / @den, saturating
 * @num: the numerator.
 * @den: the denominator.
 * @scale: the fixed-point scale (1000 for per mille, 256 for Q8), not 0.
 *
 * While @num * @scale would not fit 64 bits both are halved, which keeps
 * the ratio to within the precision the result can show.
 *
 * Return: the ratio, U32_MAX if it is larger, 0 if @den is 0.
 */
u32 tcpk_hwmon_ratio(u64 num, u64 den, u32 scale)
{
	if (!den || !scale)
		return 0;
	while (num > U64_MAX / scale) {
		num >>= 1;
		den >>= 1;
	}
	if (!den)
		return U32_MAX;
	return min_t(u64, div64_u64(num * scale, den), U32_MAX);
}

/**
 * tcpk_hwmon_period_ok() - whether a period is long enough to evaluate
 * @prev: the time of the last evaluation (ns), 0 for none.
 * @now: now (ns).
 *
 * Return: true if there was none or it is at least
 * %TCPK_HWMON_MIN_PERIOD_NS ago.
 */
bool tcpk_hwmon_period_ok(u64 prev, u64 now)
{
	return !prev || (now > prev && now - prev >= TCPK_HWMON_MIN_PERIOD_NS);
}

/* How much counter @c grew from @prev to @cur; 0 if it went back. */
static u64 tcpk_hwmon_delta(const struct tcpk_hwmon_sample *prev,
			    const struct tcpk_hwmon_sample *cur,
			    enum tcpk_hwc c)
{
	if (!(prev->have & cur->have & BIT(c)) || cur->val[c] < prev->val[c])
		return 0;
	return cur->val[c] - prev->val[c];
}

/**
 * tcpk_hwmon_metrics() - the metrics of the period between two samples
 * @prev: the earlier sample.
 * @cur: the later one.
 * @m: receives the metrics; all 0 if @prev is not earlier than @cur.
 *
 * A counter missing from either sample counts as not grown.
 */
void tcpk_hwmon_metrics(const struct tcpk_hwmon_sample *prev,
			const struct tcpk_hwmon_sample *cur,
			struct tcpk_hwmon_metrics *m)
{
	u64 instr, cycles;

	memset(m, 0, sizeof(*m));
	if (!prev->time || cur->time <= prev->time)
		return;
	m->elapsed_ns = cur->time - prev->time;
	m->cpu_pm = tcpk_hwmon_ratio(tcpk_hwmon_delta(prev, cur,
						      TCPK_HWC_TASK_CLOCK),
				     m->elapsed_ns, 1000);
	m->fault_rate = tcpk_hwmon_ratio(tcpk_hwmon_delta(prev, cur,
							  TCPK_HWC_FAULTS),
					 m->elapsed_ns, NSEC_PER_SEC);
	m->ctxsw_rate = tcpk_hwmon_ratio(tcpk_hwmon_delta(prev, cur,
							  TCPK_HWC_CTXSW),
					 m->elapsed_ns, NSEC_PER_SEC);
	instr = tcpk_hwmon_delta(prev, cur, TCPK_HWC_INSTRUCTIONS);
	cycles = tcpk_hwmon_delta(prev, cur, TCPK_HWC_CYCLES);
	/* No cycle counted (the PMU multiplexed it out): no IPC. */
	m->have_ipc = (prev->have & cur->have & BIT(TCPK_HWC_INSTRUCTIONS)) &&
		      cycles;
	m->ipc_q8 = tcpk_hwmon_ratio(instr, cycles, 256);
	m->branch_mpki_q8 =
		tcpk_hwmon_ratio(tcpk_hwmon_delta(prev, cur,
						  TCPK_HWC_BRANCH_MISSES),
				 instr, 1000 * 256);
	m->cache_mpki_q8 =
		tcpk_hwmon_ratio(tcpk_hwmon_delta(prev, cur,
						  TCPK_HWC_CACHE_MISSES),
				 instr, 1000 * 256);
}

/**
 * tcpk_hwmon_judge() - the signals a period raises
 * @j: the task's state, updated.
 * @m: the period's metrics (a period of 0 ns changes nothing).
 * @l: the limits.
 *
 * A period at or above @l->busy_pm extends the busy run by its length;
 * any other period ends the run.  A run that reaches @l->busy_ms raises
 * the busy signal, and a busy period with counted cycles and an IPC below
 * @l->min_ipc_q8 raises the low-IPC signal, each once per run.
 *
 * Return: BIT(&enum tcpk_hwmon_signal) of the signals raised now.
 */
u32 tcpk_hwmon_judge(struct tcpk_hwmon_judge *j,
		     const struct tcpk_hwmon_metrics *m,
		     const struct tcpk_hwmon_limits *l)
{
	u64 run;
	u32 sig = 0;

	if (!m->elapsed_ns)
		return 0;
	if (!l->busy_pm || m->cpu_pm < l->busy_pm) {
		j->busy_ms = 0;
		j->busy_fired = false;
		j->low_ipc_fired = false;
		return 0;
	}
	run = (u64)j->busy_ms + div_u64(m->elapsed_ns, NSEC_PER_MSEC);
	j->busy_ms = min_t(u64, run, U32_MAX);
	if (!j->busy_fired && j->busy_ms >= l->busy_ms) {
		j->busy_fired = true;
		sig |= BIT(TCPK_HWMON_SIGNAL_BUSY);
	}
	if (!j->low_ipc_fired && m->have_ipc && l->min_ipc_q8 &&
	    m->ipc_q8 < l->min_ipc_q8) {
		j->low_ipc_fired = true;
		sig |= BIT(TCPK_HWMON_SIGNAL_LOW_IPC);
	}
	return sig;
}
