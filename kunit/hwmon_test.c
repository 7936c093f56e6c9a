// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the hardware monitors' arithmetic
 * (hwmon/metrics.c): ratios, the metrics of a period and the signals they
 * raise, at their extremes (no overflow, no division by zero)
 */

#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/time64.h>

#include "../hwmon/metrics.c"

#define MS	NSEC_PER_MSEC
#define SEC	NSEC_PER_SEC

/* Every field of @m is 0. */
static void expect_no_metrics(struct kunit *test,
			      const struct tcpk_hwmon_metrics *m)
{
	KUNIT_EXPECT_EQ(test, m->elapsed_ns, 0ULL);
	KUNIT_EXPECT_EQ(test, m->cpu_pm, 0U);
	KUNIT_EXPECT_EQ(test, m->ipc_q8, 0U);
	KUNIT_EXPECT_EQ(test, m->branch_mpki_q8, 0U);
	KUNIT_EXPECT_EQ(test, m->cache_mpki_q8, 0U);
	KUNIT_EXPECT_EQ(test, m->fault_rate, 0U);
	KUNIT_EXPECT_EQ(test, m->ctxsw_rate, 0U);
	KUNIT_EXPECT_FALSE(test, m->have_ipc);
}

/* Two samples @elapsed ns apart with every counter, all at 0 in @prev. */
static void samples(struct tcpk_hwmon_sample *prev,
		    struct tcpk_hwmon_sample *cur, u64 elapsed)
{
	memset(prev, 0, sizeof(*prev));
	memset(cur, 0, sizeof(*cur));
	prev->time = 10 * SEC;
	cur->time = prev->time + elapsed;
	prev->have = GENMASK(__TCPK_HWC_MAX - 1, 0);
	cur->have = prev->have;
}

static void hwmon_ratio(struct kunit *test)
{
	/* No division by zero: a zero denominator or scale is 0. */
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(5, 0, 1000), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(0, 0, 1000), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, 0, 256), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(5, 10, 0), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, U64_MAX, 0), 0U);
	/* Ordinary values are exact, rounded down. */
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(0, 7, 1000), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(500 * MS, SEC, 1000), 500U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(2000000000, 1000000000, 256),
			512U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(1, 3, 1000), 333U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(2, 3, 1000), 666U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(7, 7, 1), 1U);
	/* Equal extremes are the scale. */
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, U64_MAX, 1000), 1000U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, U64_MAX, 256), 256U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, U64_MAX, 1), 1U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, U64_MAX, U32_MAX),
			U32_MAX);
	/* A quotient past 32 bits saturates. */
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, 1, 1000), U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, 3, 1), U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, 1ULL << 40, 1000),
			U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio((u64)U32_MAX + 1, 1, 1), U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U32_MAX, 1, 1), U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U32_MAX - 1, 1, 1), U32_MAX - 1);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(1, 1, U32_MAX), U32_MAX);
	/* num * scale past 64 bits: still the ratio, within rounding. */
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(1ULL << 62, 1ULL << 61, 1000),
			2000U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(3000000000000000000ULL,
					       1000000000000000000ULL, 1000),
			3000U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(10000000000000000000ULL,
					       10000000000000000000ULL / 3, 1000),
			3000U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, U64_MAX - 1, 1000),
			1000U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ratio(U64_MAX, U64_MAX - 1, SEC),
			(u32)SEC);
	KUNIT_EXPECT_GE(test, tcpk_hwmon_ratio(U64_MAX / 2, U64_MAX, 1000), 499U);
	KUNIT_EXPECT_LE(test, tcpk_hwmon_ratio(U64_MAX / 2, U64_MAX, 1000), 500U);
}

static void hwmon_period_ok(struct kunit *test)
{
	/* No evaluation yet: any time will do. */
	KUNIT_EXPECT_TRUE(test, tcpk_hwmon_period_ok(0, 0));
	KUNIT_EXPECT_TRUE(test, tcpk_hwmon_period_ok(0, 5));
	KUNIT_EXPECT_TRUE(test, tcpk_hwmon_period_ok(0, U64_MAX));
	/* Shorter than 50 ms: not yet. */
	KUNIT_EXPECT_FALSE(test, tcpk_hwmon_period_ok(100 * MS, 100 * MS));
	KUNIT_EXPECT_FALSE(test, tcpk_hwmon_period_ok(100 * MS, 149 * MS));
	KUNIT_EXPECT_FALSE(test, tcpk_hwmon_period_ok(100 * MS, 150 * MS - 1));
	/* 50 ms and more. */
	KUNIT_EXPECT_TRUE(test, tcpk_hwmon_period_ok(100 * MS, 150 * MS));
	KUNIT_EXPECT_TRUE(test, tcpk_hwmon_period_ok(100 * MS, 10 * SEC));
	KUNIT_EXPECT_TRUE(test, tcpk_hwmon_period_ok(1, U64_MAX));
	/* A clock read before the last evaluation: not a period. */
	KUNIT_EXPECT_FALSE(test, tcpk_hwmon_period_ok(100 * MS, 99 * MS));
	KUNIT_EXPECT_FALSE(test, tcpk_hwmon_period_ok(U64_MAX, 1));
}

/* No period: the first sample, the same time, time going back. */
static void hwmon_metrics_no_period(struct kunit *test)
{
	struct tcpk_hwmon_sample prev, cur;
	struct tcpk_hwmon_metrics m;

	samples(&prev, &cur, SEC);
	cur.val[TCPK_HWC_TASK_CLOCK] = SEC;
	cur.val[TCPK_HWC_INSTRUCTIONS] = 1000;
	cur.val[TCPK_HWC_CYCLES] = 1000;
	prev.time = 0;
	memset(&m, 0xff, sizeof(m));
	tcpk_hwmon_metrics(&prev, &cur, &m);
	expect_no_metrics(test, &m);

	prev.time = cur.time;
	memset(&m, 0xff, sizeof(m));
	tcpk_hwmon_metrics(&prev, &cur, &m);
	expect_no_metrics(test, &m);

	prev.time = cur.time + 1;
	memset(&m, 0xff, sizeof(m));
	tcpk_hwmon_metrics(&prev, &cur, &m);
	expect_no_metrics(test, &m);

	/* And the next period is one again. */
	prev.time = cur.time - SEC;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.elapsed_ns, (u64)SEC);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 1000U);
}

/* CPU share per mille of one CPU; several threads go past 1000. */
static void hwmon_metrics_cpu(struct kunit *test)
{
	struct tcpk_hwmon_sample prev, cur;
	struct tcpk_hwmon_metrics m;

	samples(&prev, &cur, SEC);
	prev.val[TCPK_HWC_TASK_CLOCK] = 7 * SEC;
	cur.val[TCPK_HWC_TASK_CLOCK] = 7 * SEC + 500 * MS;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.elapsed_ns, (u64)SEC);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 500U);

	/* Two threads busy for the whole second. */
	cur.val[TCPK_HWC_TASK_CLOCK] = 9 * SEC;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 2000U);

	/* Over 250 ms: 100 ms of CPU is 400. */
	samples(&prev, &cur, 250 * MS);
	cur.val[TCPK_HWC_TASK_CLOCK] = 100 * MS;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 400U);
}

/* A counter that went back grew by nothing: it does not wrap. */
static void hwmon_metrics_backwards(struct kunit *test)
{
	struct tcpk_hwmon_sample prev, cur;
	struct tcpk_hwmon_metrics m;
	unsigned int c;

	samples(&prev, &cur, SEC);
	for (c = 0; c < __TCPK_HWC_MAX; c++) {
		prev.val[c] = 1000000000;
		cur.val[c] = 999999999;
	}
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.elapsed_ns, (u64)SEC);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 0U);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 0U);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 0U);
	KUNIT_EXPECT_EQ(test, m.cache_mpki_q8, 0U);
	KUNIT_EXPECT_EQ(test, m.fault_rate, 0U);
	KUNIT_EXPECT_EQ(test, m.ctxsw_rate, 0U);
	/* No cycle counted: no IPC. */
	KUNIT_EXPECT_FALSE(test, m.have_ipc);

	/* One counter back, the others forward. */
	cur.val[TCPK_HWC_CTXSW] = prev.val[TCPK_HWC_CTXSW] + 40;
	cur.val[TCPK_HWC_INSTRUCTIONS] = prev.val[TCPK_HWC_INSTRUCTIONS] + 300;
	cur.val[TCPK_HWC_CYCLES] = prev.val[TCPK_HWC_CYCLES] + 100;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 0U);
	KUNIT_EXPECT_EQ(test, m.ctxsw_rate, 40U);
	KUNIT_EXPECT_TRUE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 768U);
}

/* Instructions per cycle, Q8; none without counted cycles. */
static void hwmon_metrics_ipc(struct kunit *test)
{
	struct tcpk_hwmon_sample prev, cur;
	struct tcpk_hwmon_metrics m;

	samples(&prev, &cur, SEC);
	cur.val[TCPK_HWC_INSTRUCTIONS] = 2000000000;
	cur.val[TCPK_HWC_CYCLES] = 1000000000;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_TRUE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 512U);

	/* 0.3 instructions per cycle: 76.8, rounded down. */
	cur.val[TCPK_HWC_INSTRUCTIONS] = 300000000;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_TRUE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 76U);

	/* Instructions but no cycle counted (multiplexed out). */
	cur.val[TCPK_HWC_CYCLES] = 0;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_FALSE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 0U);

	/* Cycles but no instruction: an IPC of 0, and a real one. */
	cur.val[TCPK_HWC_INSTRUCTIONS] = 0;
	cur.val[TCPK_HWC_CYCLES] = 1000;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_TRUE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 0U);
}

/* A counter missing from either sample counts as not grown. */
static void hwmon_metrics_missing(struct kunit *test)
{
	struct tcpk_hwmon_sample prev, cur;
	struct tcpk_hwmon_metrics m;

	samples(&prev, &cur, SEC);
	cur.val[TCPK_HWC_TASK_CLOCK] = 500 * MS;
	cur.val[TCPK_HWC_FAULTS] = 10;
	cur.val[TCPK_HWC_INSTRUCTIONS] = 2000000000;
	cur.val[TCPK_HWC_CYCLES] = 1000000000;
	cur.val[TCPK_HWC_BRANCH_MISSES] = 5000000;

	/* Software counters only (no PMU): no IPC, no miss rates. */
	prev.have = TCPK_HWC_SOFTWARE;
	cur.have = TCPK_HWC_SOFTWARE;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 500U);
	KUNIT_EXPECT_EQ(test, m.fault_rate, 10U);
	KUNIT_EXPECT_FALSE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 0U);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 0U);

	/* The task clock missing from the earlier sample only. */
	prev.have = GENMASK(__TCPK_HWC_MAX - 1, 0) & ~BIT(TCPK_HWC_TASK_CLOCK);
	cur.have = GENMASK(__TCPK_HWC_MAX - 1, 0);
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 0U);
	KUNIT_EXPECT_EQ(test, m.fault_rate, 10U);
	KUNIT_EXPECT_TRUE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 512U);

	/* The instruction counter missing from the later one. */
	prev.have = GENMASK(__TCPK_HWC_MAX - 1, 0);
	cur.have = prev.have & ~BIT(TCPK_HWC_INSTRUCTIONS);
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 500U);
	KUNIT_EXPECT_FALSE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 0U);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 0U);

	/* The cycle counter missing: no cycle, the miss rates still. */
	cur.have = prev.have & ~BIT(TCPK_HWC_CYCLES);
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_FALSE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 0U);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 640U);

	/* No counter at all. */
	prev.have = 0;
	cur.have = 0;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.elapsed_ns, (u64)SEC);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 0U);
	KUNIT_EXPECT_EQ(test, m.fault_rate, 0U);
	KUNIT_EXPECT_FALSE(test, m.have_ipc);
}

/* Misses per 1000 instructions, Q8; per second rates. */
static void hwmon_metrics_rates(struct kunit *test)
{
	struct tcpk_hwmon_sample prev, cur;
	struct tcpk_hwmon_metrics m;

	samples(&prev, &cur, SEC);
	prev.val[TCPK_HWC_INSTRUCTIONS] = 1ULL << 40;
	cur.val[TCPK_HWC_INSTRUCTIONS] = (1ULL << 40) + 1000000000;
	cur.val[TCPK_HWC_CYCLES] = 1000000000;
	cur.val[TCPK_HWC_BRANCH_MISSES] = 5000000;	/* 5 per kilo */
	cur.val[TCPK_HWC_CACHE_MISSES] = 500000;	/* 0.5 per kilo */
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 256U);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 1280U);
	KUNIT_EXPECT_EQ(test, m.cache_mpki_q8, 128U);

	/* No instruction: no miss rate (not a division by zero). */
	cur.val[TCPK_HWC_INSTRUCTIONS] = prev.val[TCPK_HWC_INSTRUCTIONS];
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 0U);
	KUNIT_EXPECT_EQ(test, m.cache_mpki_q8, 0U);

	/* More misses than instructions: 1000 per kilo and more. */
	cur.val[TCPK_HWC_INSTRUCTIONS] = prev.val[TCPK_HWC_INSTRUCTIONS] + 1000;
	cur.val[TCPK_HWC_BRANCH_MISSES] = 2000;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 2000U * 256);

	/* Faults and context switches per second, over 1.5 s and 0.5 s. */
	samples(&prev, &cur, 1500 * MS);
	cur.val[TCPK_HWC_FAULTS] = 300;
	cur.val[TCPK_HWC_CTXSW] = 45;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.fault_rate, 200U);
	KUNIT_EXPECT_EQ(test, m.ctxsw_rate, 30U);
	samples(&prev, &cur, 500 * MS);
	cur.val[TCPK_HWC_FAULTS] = 300;
	cur.val[TCPK_HWC_CTXSW] = 45;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.fault_rate, 600U);
	KUNIT_EXPECT_EQ(test, m.ctxsw_rate, 90U);
}

/* The largest counters and periods saturate; nothing overflows. */
static void hwmon_metrics_extremes(struct kunit *test)
{
	struct tcpk_hwmon_sample prev, cur;
	struct tcpk_hwmon_metrics m;
	unsigned int c;

	/* Every counter grows by U64_MAX in 1 ns. */
	samples(&prev, &cur, 1);
	for (c = 0; c < __TCPK_HWC_MAX; c++)
		cur.val[c] = U64_MAX;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.elapsed_ns, 1ULL);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, U32_MAX);
	KUNIT_EXPECT_EQ(test, m.fault_rate, U32_MAX);
	KUNIT_EXPECT_EQ(test, m.ctxsw_rate, U32_MAX);
	KUNIT_EXPECT_TRUE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 256U);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 256000U);
	KUNIT_EXPECT_EQ(test, m.cache_mpki_q8, 256000U);

	/* The same over the longest period. */
	prev.time = 1;
	cur.time = U64_MAX;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.elapsed_ns, U64_MAX - 1);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 1000U);
	KUNIT_EXPECT_EQ(test, m.fault_rate, (u32)SEC);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 256U);

	/* One instruction in U64_MAX cycles; U64_MAX in one cycle. */
	samples(&prev, &cur, SEC);
	cur.val[TCPK_HWC_INSTRUCTIONS] = 1;
	cur.val[TCPK_HWC_CYCLES] = U64_MAX;
	cur.val[TCPK_HWC_BRANCH_MISSES] = U64_MAX;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_TRUE(test, m.have_ipc);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 0U);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, U32_MAX);
	cur.val[TCPK_HWC_INSTRUCTIONS] = U64_MAX;
	cur.val[TCPK_HWC_CYCLES] = 1;
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, U32_MAX);
	KUNIT_EXPECT_EQ(test, m.branch_mpki_q8, 256000U);

	/* Counters near the top that grow a little: the delta, exactly. */
	for (c = 0; c < __TCPK_HWC_MAX; c++) {
		prev.val[c] = U64_MAX - 2 * SEC;
		cur.val[c] = U64_MAX - SEC;
	}
	tcpk_hwmon_metrics(&prev, &cur, &m);
	KUNIT_EXPECT_EQ(test, m.cpu_pm, 1000U);
	KUNIT_EXPECT_EQ(test, m.fault_rate, (u32)SEC);
	KUNIT_EXPECT_EQ(test, m.ipc_q8, 256U);
}

static const struct tcpk_hwmon_limits limits = {
	.busy_pm = 900, .busy_ms = 3000, .min_ipc_q8 = 77,
};

/* A busy run accumulates and fires once; a quiet period starts over. */
static void hwmon_judge_busy(struct kunit *test)
{
	struct tcpk_hwmon_metrics busy = { .elapsed_ns = SEC, .cpu_pm = 950 };
	struct tcpk_hwmon_metrics quiet = { .elapsed_ns = SEC, .cpu_pm = 899 };
	struct tcpk_hwmon_judge j = {};
	unsigned int run, i;

	for (run = 0; run < 2; run++) {
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &busy, &limits), 0U);
		KUNIT_EXPECT_EQ(test, j.busy_ms, 1000U);
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &busy, &limits), 0U);
		KUNIT_EXPECT_EQ(test, j.busy_ms, 2000U);
		/* 3000 ms busy: the signal, once. */
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &busy, &limits),
				(u32)BIT(TCPK_HWMON_SIGNAL_BUSY));
		KUNIT_EXPECT_EQ(test, j.busy_ms, 3000U);
		KUNIT_EXPECT_TRUE(test, j.busy_fired);
		for (i = 0; i < 5; i++)
			KUNIT_EXPECT_EQ(test,
					tcpk_hwmon_judge(&j, &busy, &limits), 0U);
		KUNIT_EXPECT_EQ(test, j.busy_ms, 8000U);
		/* A period below the share ends the run and its flags. */
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &quiet, &limits), 0U);
		KUNIT_EXPECT_EQ(test, j.busy_ms, 0U);
		KUNIT_EXPECT_FALSE(test, j.busy_fired);
		KUNIT_EXPECT_FALSE(test, j.low_ipc_fired);
	}

	/* At the share exactly is busy; in ms, not in periods. */
	busy.cpu_pm = 900;
	busy.elapsed_ns = 2999 * MS;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &busy, &limits), 0U);
	busy.elapsed_ns = 1 * MS;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &busy, &limits),
			(u32)BIT(TCPK_HWMON_SIGNAL_BUSY));

	/* A period shorter than 1 ms adds nothing to the run. */
	j = (struct tcpk_hwmon_judge){};
	busy.elapsed_ns = MS - 1;
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &busy, &limits), 0U);
	KUNIT_EXPECT_EQ(test, j.busy_ms, 0U);

	/* busy_ms 0: the first busy period fires. */
	{
		struct tcpk_hwmon_limits l = limits;

		l.busy_ms = 0;
		busy.elapsed_ns = 100 * MS;
		j = (struct tcpk_hwmon_judge){};
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &busy, &l),
				(u32)BIT(TCPK_HWMON_SIGNAL_BUSY));
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &busy, &l), 0U);
	}
}

/* busy_pm 0 turns the signals off; a period of 0 ns changes nothing. */
static void hwmon_judge_off(struct kunit *test)
{
	struct tcpk_hwmon_metrics m = {
		.elapsed_ns = 10 * SEC, .cpu_pm = U32_MAX, .ipc_q8 = 1,
		.have_ipc = true,
	};
	struct tcpk_hwmon_limits l = limits;
	struct tcpk_hwmon_judge j = {};
	unsigned int i;

	l.busy_pm = 0;
	l.busy_ms = 0;
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
	KUNIT_EXPECT_EQ(test, j.busy_ms, 0U);
	/* Turning them off ends a run under way. */
	j.busy_ms = 5000;
	j.busy_fired = true;
	j.low_ipc_fired = true;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
	KUNIT_EXPECT_EQ(test, j.busy_ms, 0U);
	KUNIT_EXPECT_FALSE(test, j.busy_fired);
	KUNIT_EXPECT_FALSE(test, j.low_ipc_fired);

	/* elapsed 0, busy or quiet: no signal and the state unchanged. */
	j.busy_ms = 1234;
	j.busy_fired = true;
	j.low_ipc_fired = false;
	m.elapsed_ns = 0;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &limits), 0U);
	m.cpu_pm = 0;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &limits), 0U);
	KUNIT_EXPECT_EQ(test, j.busy_ms, 1234U);
	KUNIT_EXPECT_TRUE(test, j.busy_fired);
	KUNIT_EXPECT_FALSE(test, j.low_ipc_fired);
}

/* Low IPC: once per run, busy periods with counted cycles only. */
static void hwmon_judge_low_ipc(struct kunit *test)
{
	struct tcpk_hwmon_metrics m = {
		.elapsed_ns = SEC, .cpu_pm = 1000, .ipc_q8 = 50, .have_ipc = true,
	};
	struct tcpk_hwmon_metrics quiet = { .elapsed_ns = SEC, .cpu_pm = 10 };
	struct tcpk_hwmon_limits l = limits;
	struct tcpk_hwmon_judge j = {};
	unsigned int run;

	for (run = 0; run < 2; run++) {
		/* At once, before the run is long enough to be busy. */
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l),
				(u32)BIT(TCPK_HWMON_SIGNAL_LOW_IPC));
		KUNIT_EXPECT_TRUE(test, j.low_ipc_fired);
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l),
				(u32)BIT(TCPK_HWMON_SIGNAL_BUSY));
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
		/* A quiet period, even with a low IPC, fires nothing. */
		quiet.ipc_q8 = 1;
		quiet.have_ipc = true;
		KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &quiet, &l), 0U);
		KUNIT_EXPECT_FALSE(test, j.low_ipc_fired);
	}

	/* Both signals in one period. */
	l.busy_ms = 1000;
	j = (struct tcpk_hwmon_judge){};
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l),
			(u32)(BIT(TCPK_HWMON_SIGNAL_BUSY) |
			      BIT(TCPK_HWMON_SIGNAL_LOW_IPC)));

	/* At the limit is not below it. */
	l.busy_ms = 3000;
	j = (struct tcpk_hwmon_judge){};
	m.ipc_q8 = 77;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
	m.ipc_q8 = 76;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l),
			(u32)BIT(TCPK_HWMON_SIGNAL_LOW_IPC));

	/* Without counted cycles an IPC of 0 is not low. */
	j = (struct tcpk_hwmon_judge){};
	m.ipc_q8 = 0;
	m.have_ipc = false;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
	KUNIT_EXPECT_FALSE(test, j.low_ipc_fired);

	/* min_ipc 0 turns it off. */
	j = (struct tcpk_hwmon_judge){};
	m.have_ipc = true;
	l.min_ipc_q8 = 0;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
	KUNIT_EXPECT_FALSE(test, j.low_ipc_fired);
}

/* The run saturates at U32_MAX ms instead of wrapping. */
static void hwmon_judge_saturate(struct kunit *test)
{
	struct tcpk_hwmon_metrics m = { .elapsed_ns = U64_MAX, .cpu_pm = 1000 };
	struct tcpk_hwmon_limits l = limits;
	struct tcpk_hwmon_judge j = {};

	l.busy_ms = U32_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l),
			(u32)BIT(TCPK_HWMON_SIGNAL_BUSY));
	KUNIT_EXPECT_EQ(test, j.busy_ms, U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
	KUNIT_EXPECT_EQ(test, j.busy_ms, U32_MAX);

	/* One ms short of the top, then 2 ms. */
	j = (struct tcpk_hwmon_judge){ .busy_ms = U32_MAX - 1 };
	m.elapsed_ns = 2 * MS;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l),
			(u32)BIT(TCPK_HWMON_SIGNAL_BUSY));
	KUNIT_EXPECT_EQ(test, j.busy_ms, U32_MAX);
	j = (struct tcpk_hwmon_judge){ .busy_ms = U32_MAX - 2 };
	m.elapsed_ns = 1 * MS;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_judge(&j, &m, &l), 0U);
	KUNIT_EXPECT_EQ(test, j.busy_ms, U32_MAX - 1);
}

static struct kunit_case hwmon_metrics_cases[] = {
	KUNIT_CASE(hwmon_ratio),
	KUNIT_CASE(hwmon_period_ok),
	KUNIT_CASE(hwmon_metrics_no_period),
	KUNIT_CASE(hwmon_metrics_cpu),
	KUNIT_CASE(hwmon_metrics_backwards),
	KUNIT_CASE(hwmon_metrics_ipc),
	KUNIT_CASE(hwmon_metrics_missing),
	KUNIT_CASE(hwmon_metrics_rates),
	KUNIT_CASE(hwmon_metrics_extremes),
	KUNIT_CASE(hwmon_judge_busy),
	KUNIT_CASE(hwmon_judge_off),
	KUNIT_CASE(hwmon_judge_low_ipc),
	KUNIT_CASE(hwmon_judge_saturate),
	{}
};

static struct kunit_suite hwmon_metrics_suite = {
	.name = "tcp_kernel_hwmon_metrics",
	.test_cases = hwmon_metrics_cases,
};

kunit_test_suites(&hwmon_metrics_suite);
