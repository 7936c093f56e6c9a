// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the cost command's arithmetic (core/cost.h):
 * the iteration bounds, the batch sizes, the clock reads' spacing,
 * picoseconds per operation, and
 * the minimum and median over the batches
 */

#include <kunit/test.h>

#include "../core/cost.h"

/* The uapi bounds, and nothing outside them. */
static void tcpk_cost_test_bounds(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, tcpk_cost_iterations_valid(0));
	KUNIT_EXPECT_TRUE(test, tcpk_cost_iterations_valid(1));
	KUNIT_EXPECT_TRUE(test, tcpk_cost_iterations_valid(TCPK_COST_ITERATIONS_DEFAULT));
	KUNIT_EXPECT_TRUE(test, tcpk_cost_iterations_valid(1000000));
	KUNIT_EXPECT_FALSE(test, tcpk_cost_iterations_valid(1000001));
	KUNIT_EXPECT_FALSE(test, tcpk_cost_iterations_valid(U32_MAX));
	KUNIT_EXPECT_EQ(test, TCPK_COST_ITERATIONS_MIN, 1);
	KUNIT_EXPECT_EQ(test, TCPK_COST_ITERATIONS_MAX, 1000000);
}

/* Iterations spread over the batches, rounded up, clamped into range. */
static void tcpk_cost_test_per_batch(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tcpk_cost_per_batch(1), 1U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_per_batch(9), 1U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_per_batch(10), 2U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_per_batch(900), 100U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_per_batch(10000), 1112U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_per_batch(1000000), 111112U);
	/* Out of range: clamped, never 0 and never more than the maximum's. */
	KUNIT_EXPECT_EQ(test, tcpk_cost_per_batch(0), 1U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_per_batch(U32_MAX), 111112U);
}

/* Clock reads about every 50 us, between every operation and every 64th. */
static void tcpk_cost_test_step(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tcpk_cost_step(0), 64U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_step(20), 64U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_step(781), 64U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_step(1000), 50U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_step(3500), 14U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_step(50000), 1U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_step(3000000), 1U);
	KUNIT_EXPECT_EQ(test, tcpk_cost_step(U64_MAX), 1U);
}

static void tcpk_cost_test_ps(struct kunit *test)
{
	u64 zero = 0;

	/* Hidden, or sparse sees the guarded division by a constant 0. */
	OPTIMIZER_HIDE_VAR(zero);
	KUNIT_EXPECT_EQ(test, tcpk_cost_ps_per_op(1000, zero), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_cost_ps_per_op(0, 5), 0ULL);
	KUNIT_EXPECT_EQ(test, tcpk_cost_ps_per_op(1000, 1), 1000000ULL);
	KUNIT_EXPECT_EQ(test, tcpk_cost_ps_per_op(1000, 64), 15625ULL);
	KUNIT_EXPECT_EQ(test, tcpk_cost_ps_per_op(1, 3), 333ULL);
	/* Saturates instead of wrapping. */
	KUNIT_EXPECT_EQ(test, tcpk_cost_ps_per_op(U64_MAX, 1), U64_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_cost_ps_per_op(U64_MAX / 1000 + 1, 2),
			U64_MAX / 2);
}

struct summary_case {
	const char *name;
	unsigned int n;
	u64 v[TCPK_COST_BATCHES];
	u64 min;
	u64 median;
};

static const struct summary_case summary_cases[] = {
	{ "none", 0, { 0 }, 0, 0 },
	{ "one", 1, { 42 }, 42, 42 },
	{ "two (lower middle)", 2, { 7, 3 }, 3, 3 },
	{ "three", 3, { 9, 1, 5 }, 1, 5 },
	{ "nine sorted", 9, { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 1, 5 },
	{ "nine reversed", 9, { 9, 8, 7, 6, 5, 4, 3, 2, 1 }, 1, 5 },
	{ "nine with an outlier", 9,
	  { 100, 101, 99, 100000, 102, 98, 100, 103, 97 }, 97, 100 },
	{ "nine equal", 9, { 4, 4, 4, 4, 4, 4, 4, 4, 4 }, 4, 4 },
	{ "huge values", 3, { U64_MAX, 0, U64_MAX - 1 }, 0, U64_MAX - 1 },
};

static void summary_case_desc(const struct summary_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(summary, summary_cases, summary_case_desc);

/* The minimum and the median (lower middle for an even count). */
static void tcpk_cost_test_summarise(struct kunit *test)
{
	const struct summary_case *c = test->param_value;
	u64 v[TCPK_COST_BATCHES], min = 1, median = 1;
	unsigned int i;

	memcpy(v, c->v, sizeof(v));
	tcpk_cost_summarise(v, c->n, &min, &median);
	KUNIT_EXPECT_EQ(test, min, c->min);
	KUNIT_EXPECT_EQ(test, median, c->median);
	for (i = 1; i < c->n; i++)	/* sorted in place */
		KUNIT_EXPECT_LE(test, v[i - 1], v[i]);
}

/* More batches than the array holds are not read past its end. */
static void tcpk_cost_test_summarise_clamp(struct kunit *test)
{
	u64 v[TCPK_COST_BATCHES] = { 5, 4, 3, 2, 1, 9, 8, 7, 6 };
	u64 min, median;

	tcpk_cost_summarise(v, 1000, &min, &median);
	KUNIT_EXPECT_EQ(test, min, 1ULL);
	KUNIT_EXPECT_EQ(test, median, 5ULL);
}

static struct kunit_case tcpk_cost_test_cases[] = {
	KUNIT_CASE(tcpk_cost_test_bounds),
	KUNIT_CASE(tcpk_cost_test_per_batch),
	KUNIT_CASE(tcpk_cost_test_step),
	KUNIT_CASE(tcpk_cost_test_ps),
	KUNIT_CASE_PARAM(tcpk_cost_test_summarise, summary_gen_params),
	KUNIT_CASE(tcpk_cost_test_summarise_clamp),
	{}
};

static struct kunit_suite tcpk_cost_test_suite = {
	.name = "tcp_kernel_cost",
	.test_cases = tcpk_cost_test_cases,
};

kunit_test_suites(&tcpk_cost_test_suite);
