// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the behavioural features: windows, rates,
 * scores, at their extremes
 */

#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/time64.h>

#include "../behavior/features.c"

#define MS	NSEC_PER_MSEC

static void features_window_burst(struct kunit *test)
{
	struct tcpk_window w = {};
	unsigned int i;

	/* Four events in the window: the fourth makes the burst, once. */
	for (i = 1; i <= 3; i++)
		KUNIT_EXPECT_FALSE(test, tcpk_window_add(&w, 100 * MS + i, 1000 * MS, 4));
	KUNIT_EXPECT_TRUE(test, tcpk_window_add(&w, 200 * MS, 1000 * MS, 4));
	KUNIT_EXPECT_EQ(test, w.count, 4U);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_FALSE(test, tcpk_window_add(&w, 300 * MS, 1000 * MS, 4));
	KUNIT_EXPECT_EQ(test, w.count, 14U);
}

static void features_window_expiry(struct kunit *test)
{
	struct tcpk_window w = {};

	/* Three events, then the window ends: the count starts again. */
	tcpk_window_add(&w, 1 * MS, 1000 * MS, 4);
	tcpk_window_add(&w, 2 * MS, 1000 * MS, 4);
	tcpk_window_add(&w, 3 * MS, 1000 * MS, 4);
	KUNIT_EXPECT_FALSE(test, tcpk_window_add(&w, 1001 * MS, 1000 * MS, 4));
	KUNIT_EXPECT_EQ(test, w.count, 1U);
	KUNIT_EXPECT_EQ(test, w.start, 1001 * MS);
	/* A burst in the new window fires again. */
	tcpk_window_add(&w, 1002 * MS, 1000 * MS, 4);
	tcpk_window_add(&w, 1003 * MS, 1000 * MS, 4);
	KUNIT_EXPECT_TRUE(test, tcpk_window_add(&w, 1004 * MS, 1000 * MS, 4));
	/* One ns before the end still counts in the window. */
	KUNIT_EXPECT_FALSE(test, tcpk_window_add(&w, 2001 * MS - 1, 1000 * MS, 4));
	KUNIT_EXPECT_EQ(test, w.count, 5U);
}

static void features_window_extremes(struct kunit *test)
{
	struct tcpk_window w = {};

	/* Threshold 0 disables bursts. */
	KUNIT_EXPECT_FALSE(test, tcpk_window_add(&w, 5, 1000, 0));
	/* Threshold 1: the first event is a burst. */
	w = (struct tcpk_window){};
	KUNIT_EXPECT_TRUE(test, tcpk_window_add(&w, 5, 1000, 1));
	/* Length 0: every event opens its own window. */
	w = (struct tcpk_window){};
	KUNIT_EXPECT_TRUE(test, tcpk_window_add(&w, 5, 0, 1));
	KUNIT_EXPECT_TRUE(test, tcpk_window_add(&w, 5, 0, 1));
	KUNIT_EXPECT_EQ(test, w.count, 1U);
	/* Time 0 is a valid first event (start is never left at 0). */
	w = (struct tcpk_window){};
	tcpk_window_add(&w, 0, 1000, 3);
	tcpk_window_add(&w, 10, 1000, 3);
	KUNIT_EXPECT_EQ(test, w.count, 2U);
	/* The count saturates instead of wrapping. */
	w.count = U32_MAX - 1;
	tcpk_window_add(&w, 11, 1000, 3);
	tcpk_window_add(&w, 12, 1000, 3);
	KUNIT_EXPECT_EQ(test, w.count, U32_MAX);
	/* The largest times and lengths do not overflow the test. */
	w = (struct tcpk_window){};
	tcpk_window_add(&w, U64_MAX - 10, U64_MAX, 2);
	KUNIT_EXPECT_TRUE(test, tcpk_window_add(&w, U64_MAX, U64_MAX, 2));
}

static void features_rate(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(0, NSEC_PER_SEC), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(500, NSEC_PER_SEC), 500U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(500, NSEC_PER_SEC / 2), 1000U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(3, 2 * NSEC_PER_SEC), 1U);
	/* No division by zero. */
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(12345, 0), 0U);
	/* Saturation, and no overflow of delta * NSEC_PER_SEC. */
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(U64_MAX, 1), U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(U64_MAX, U64_MAX),
			(u32)NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(1ULL << 40, NSEC_PER_SEC * 1024),
			1U << 30);
	/* Around saturation: 4 and 5 events per ns, 4.29 per ns. */
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(4, 1), 4000000000U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(5, 1), U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(4294967295ULL, 1000000000ULL),
			U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(4294967296ULL, 1000000000ULL),
			U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(U64_MAX, U64_MAX / 3), 3000000000U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_per_sec(U64_MAX / 2, U64_MAX), 499999999U);
}

/* The moving average: a quarter of the way, reaching a steady rate exactly. */
static void features_ewma(struct kunit *test)
{
	u32 avg = 0;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, tcpk_rate_ewma(0, 0), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_ewma(0, 400), 100U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_ewma(400, 0), 300U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_ewma(0, 1), 1U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_ewma(1, 0), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_rate_ewma(0, U32_MAX), 1U << 30);
	KUNIT_EXPECT_EQ(test, tcpk_rate_ewma(U32_MAX, 0), U32_MAX - (1U << 30));
	KUNIT_EXPECT_EQ(test, tcpk_rate_ewma(U32_MAX, U32_MAX), U32_MAX);
	/* A steady 1000 is reached, and then kept. */
	for (i = 0; i < 64; i++)
		avg = tcpk_rate_ewma(avg, 1000);
	KUNIT_EXPECT_EQ(test, avg, 1000U);
	/* And a quiet process goes back to 0. */
	for (i = 0; i < 64; i++)
		avg = tcpk_rate_ewma(avg, 0);
	KUNIT_EXPECT_EQ(test, avg, 0U);
}

static void features_score(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tcpk_score_add(0, 0), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_score_add(0, 200), 200U);
	KUNIT_EXPECT_EQ(test, tcpk_score_add(900, 99), 999U);
	KUNIT_EXPECT_EQ(test, tcpk_score_add(900, 100), TCPK_SCORE_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_score_add(900, U32_MAX), TCPK_SCORE_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_score_add(U32_MAX, U32_MAX), TCPK_SCORE_MAX);
	/* A score above the maximum is brought back to it. */
	KUNIT_EXPECT_EQ(test, tcpk_score_add(5000, 0), TCPK_SCORE_MAX);
}

static void features_tick(struct kunit *test)
{
	struct tcpk_features f = {};
	struct tcpk_features_info info;

	tcpk_features_init(&f);
	/* The first tick only opens the window. */
	tcpk_features_tick(&f, 10 * MS, 1000 * MS);
	KUNIT_EXPECT_EQ(test, f.rate_start, 10 * MS);
	atomic64_add(300, &f.syscalls);
	atomic64_add(40, &f.ctxsw);
	atomic64_add(1 << 20, &f.bytes_sent);
	/* Before the window's end nothing changes. */
	tcpk_features_tick(&f, 500 * MS, 1000 * MS);
	KUNIT_EXPECT_EQ(test, f.syscall_rate, 0U);
	/* After 1.5 s: rates over the 1.5 s that passed. */
	tcpk_features_tick(&f, 1510 * MS, 1000 * MS);
	KUNIT_EXPECT_EQ(test, f.syscall_rate, 200U);
	KUNIT_EXPECT_EQ(test, f.ctxsw_rate, 26U);
	KUNIT_EXPECT_EQ(test, f.sent_rate, (u32)((1 << 20) * 2 / 3));
	/* A quiet window moves the averages a quarter of the way to 0. */
	tcpk_features_tick(&f, 2510 * MS, 1000 * MS);
	KUNIT_EXPECT_EQ(test, f.syscall_rate, 150U);
	KUNIT_EXPECT_EQ(test, f.ctxsw_rate, 19U);
	/* Length 0 and the same time twice: no division by zero. */
	tcpk_features_tick(&f, 2510 * MS, 0);
	KUNIT_EXPECT_EQ(test, f.rate_start, 2510 * MS);

	tcpk_features_score_set(&f, 123, 2600 * MS);
	atomic64_set(&f.wx, 2);
	tcpk_features_read(&f, 2600 * MS, 1000, &info);
	KUNIT_EXPECT_EQ(test, info.score, 123U);
	/* A read one half-life later gets half of it. */
	tcpk_features_read(&f, 3600 * MS, 1000, &info);
	KUNIT_EXPECT_EQ(test, info.score, 61U);
	KUNIT_EXPECT_EQ(test, info.wx, 2ULL);
	KUNIT_EXPECT_EQ(test, info.syscalls, 300ULL);
}

/* Before a window has ended, readers get the rates of the window so far. */
static void features_first_window(struct kunit *test)
{
	struct tcpk_features f = {};
	struct tcpk_features_info info;

	tcpk_features_init(&f);
	/* Nothing yet: no rate, no division by zero. */
	tcpk_features_read(&f, 5 * MS, 0, &info);
	KUNIT_EXPECT_EQ(test, info.syscall_rate, 0U);
	tcpk_features_tick(&f, 1000 * MS, 10000 * MS);
	atomic64_add(50, &f.syscalls);
	atomic64_add(4000, &f.bytes_sent);
	tcpk_features_read(&f, 1500 * MS, 0, &info);
	KUNIT_EXPECT_EQ(test, info.syscall_rate, 100U);
	KUNIT_EXPECT_EQ(test, info.sent_rate, 8000U);
	/* Read at the window's start, or before it: 0, not a division. */
	tcpk_features_read(&f, 1000 * MS, 0, &info);
	KUNIT_EXPECT_EQ(test, info.syscall_rate, 0U);
	tcpk_features_read(&f, 10, 0, &info);
	KUNIT_EXPECT_EQ(test, info.syscall_rate, 0U);
	/* Once a window has ended, its rates are what readers get. */
	tcpk_features_tick(&f, 11000 * MS, 10000 * MS);
	atomic64_add(1000, &f.syscalls);
	tcpk_features_read(&f, 11001 * MS, 0, &info);
	KUNIT_EXPECT_EQ(test, info.syscall_rate, 5U);
}

/*
 * Decay: exact at whole half-lives, within 0.2% of 2^(-t/h) between them,
 * never rising with time, 0 after eleven half-lives, none with h = 0.
 */
static void features_decay(struct kunit *test)
{
	/* 1000 * 2^(-k/8), k = 0..8, rounded down: the reference. */
	static const u32 eighth[9] = {
		1000, 917, 840, 771, 707, 648, 594, 545, 500,
	};
	u32 prev = TCPK_SCORE_MAX, v;
	unsigned int k;
	u64 t;

	KUNIT_EXPECT_EQ(test, tcpk_score_decay(1000, 0, 1000), 1000U);
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(1000, 1000, 1000), 500U);
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(1000, 2000, 1000), 250U);
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(200, 60000, 60000), 100U);
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(1000, 10 * 1000, 1000), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(1000, 11 * 1000, 1000), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(1000, U64_MAX, 1), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(1000, U64_MAX, 0), 1000U);
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(0, 5, 1000), 0U);
	/* Above the maximum is the maximum. */
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(5000, 0, 1000), TCPK_SCORE_MAX);
	for (k = 0; k <= 8; k++) {
		v = tcpk_score_decay(1000, k * 125, 1000);
		KUNIT_EXPECT_LE_MSG(test, v, eighth[k] + 1, "k=%u", k);
		KUNIT_EXPECT_GE_MSG(test, v + 2, eighth[k], "k=%u", k);
	}
	for (t = 0; t <= 12000; t += 7) {
		v = tcpk_score_decay(1000, t, 1000);
		KUNIT_EXPECT_LE_MSG(test, v, prev, "t=%llu", t);
		prev = v;
	}
	KUNIT_EXPECT_EQ(test, prev, 0U);
	/* A half-life near U32_MAX does not overflow the fraction. */
	KUNIT_EXPECT_EQ(test, tcpk_score_decay(1000, U32_MAX, U32_MAX), 500U);
	KUNIT_EXPECT_GE(test, tcpk_score_decay(1000, U32_MAX - 1, U32_MAX), 500U);
}

/* A score decays from when it was set; additions start from the decayed. */
static void features_score_decay_add(struct kunit *test)
{
	struct tcpk_features f = {}, child = {};

	tcpk_features_init(&f);
	tcpk_features_score_set(&f, 400, 10000 * MS);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(&f, 10000 * MS, 2000), 400U);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(&f, 12000 * MS, 2000), 200U);
	/* A clock read before the set (another CPU) is no decay. */
	KUNIT_EXPECT_EQ(test, tcpk_features_score(&f, 9000 * MS, 2000), 400U);
	/* 200 left after a half-life, plus 300. */
	KUNIT_EXPECT_EQ(test, tcpk_features_score_add(&f, 300, 12000 * MS, 2000),
			500U);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(&f, 14000 * MS, 2000), 250U);
	KUNIT_EXPECT_EQ(test, tcpk_features_score_add(&f, 5000, 14000 * MS, 2000),
			TCPK_SCORE_MAX);
	/* A child gets half the parent's score now, and decays from now. */
	tcpk_features_init(&child);
	tcpk_features_inherit(&child, &f, 16000 * MS, 2000);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(&child, 16000 * MS, 2000), 250U);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(&child, 18000 * MS, 2000), 125U);
	/* Without decay, the child of 1000 has 500. */
	tcpk_features_score_set(&f, TCPK_SCORE_MAX, 0);
	tcpk_features_inherit(&child, &f, 99999 * MS, 0);
	KUNIT_EXPECT_EQ(test, tcpk_features_score(&child, 99999 * MS, 0), 500U);
}

static struct kunit_case features_cases[] = {
	KUNIT_CASE(features_decay),
	KUNIT_CASE(features_ewma),
	KUNIT_CASE(features_score_decay_add),
	KUNIT_CASE(features_window_burst),
	KUNIT_CASE(features_window_expiry),
	KUNIT_CASE(features_window_extremes),
	KUNIT_CASE(features_rate),
	KUNIT_CASE(features_score),
	KUNIT_CASE(features_tick),
	KUNIT_CASE(features_first_window),
	{}
};

static struct kunit_suite features_suite = {
	.name = "tcp_kernel_features",
	.test_cases = features_cases,
};

kunit_test_suites(&features_suite);
