// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the behaviour model's fixed-point arithmetic
 * (behavior/model.c): the logistic table at its extremes, the window's
 * features, an evaluation, the range checks of a model to load
 */

#include <kunit/test.h>
#include <linux/limits.h>

#include "../behavior/model.c"

/* The table's sigmoid: exact at the half steps, bounded, monotonic. */
static void model_sigmoid(struct kunit *test)
{
	s64 z, step = 65536 / 7;
	u32 prev = 0, p;

	KUNIT_EXPECT_EQ(test, tcpk_model_sigmoid(0), 500);
	KUNIT_EXPECT_EQ(test, tcpk_model_sigmoid(65536), 731);	/* e: 0.7311 */
	KUNIT_EXPECT_EQ(test, tcpk_model_sigmoid(-65536), 268);
	KUNIT_EXPECT_EQ(test, tcpk_model_sigmoid(8LL << 16), 1000);
	KUNIT_EXPECT_EQ(test, tcpk_model_sigmoid(-(8LL << 16)), 0);
	KUNIT_EXPECT_EQ(test, tcpk_model_sigmoid(S64_MAX), 1000);
	KUNIT_EXPECT_EQ(test, tcpk_model_sigmoid(S64_MIN + 1), 0);
	for (z = -(9LL << 16); z <= (9LL << 16); z += step) {
		p = tcpk_model_sigmoid(z);
		KUNIT_EXPECT_LE(test, p, 1000);
		KUNIT_EXPECT_GE(test, p, prev);
		prev = p;
	}
}

/* A window ends at its 64th call with Q8 fractions, then starts again. */
static void model_window(struct kunit *test)
{
	struct tcpk_model_window w = {};
	s32 x[TCPK_MODEL_FEATURES] = {};
	unsigned int i;

	for (i = 0; i < TCPK_MODEL_WINDOW - 1; i++) {
		unsigned int cls = i < 16 ? TCPK_SC_NET : TCPK_SC_FILE_READ;

		KUNIT_ASSERT_FALSE(test, tcpk_model_feed(&w, cls, i < 8, i < 32,
							 i < 5 ? 1 : 0, x));
	}
	KUNIT_ASSERT_TRUE(test, tcpk_model_feed(&w, 99, false, false, 0, x));
	KUNIT_EXPECT_EQ(test, x[TCPK_MF_CLASS + TCPK_SC_NET], 64);	/* 16/64 */
	KUNIT_EXPECT_EQ(test, x[TCPK_MF_CLASS + TCPK_SC_FILE_READ], 188);
	KUNIT_EXPECT_EQ(test, x[TCPK_MF_CLASS + TCPK_SC_OTHER], 4);	/* 99 */
	KUNIT_EXPECT_EQ(test, x[TCPK_MF_NOVEL], 32);
	KUNIT_EXPECT_EQ(test, x[TCPK_MF_FAILED], 128);
	KUNIT_EXPECT_EQ(test, x[TCPK_MF_PATTERNS], 256);	/* 5: capped */
	KUNIT_EXPECT_EQ(test, w.calls, 0);
	KUNIT_EXPECT_EQ(test, w.classes[TCPK_SC_NET], 0);
	/* pattern counts saturate instead of wrapping */
	KUNIT_EXPECT_FALSE(test, tcpk_model_feed(&w, 0, false, false, 300, x));
	KUNIT_EXPECT_EQ(test, w.patterns, 255);
	KUNIT_EXPECT_FALSE(test, tcpk_model_feed(&w, 0, false, false, 300, x));
	KUNIT_EXPECT_EQ(test, w.patterns, 255);
}

/* Evaluations at the extremes of weights and features do not overflow. */
static void model_eval(struct kunit *test)
{
	struct tcpk_model m = { .threshold = 500, .points = 100 };
	s32 x[TCPK_MODEL_FEATURES];
	const char *errmsg;
	unsigned int i;

	for (i = 0; i < TCPK_MODEL_FEATURES; i++)
		x[i] = 256;
	KUNIT_EXPECT_EQ(test, tcpk_model_eval(&m, x), 500);
	m.weight[TCPK_MF_CLASS + TCPK_SC_NET] = 512;		/* 2.0 */
	m.bias = -65536;					/* -1.0 */
	KUNIT_EXPECT_EQ(test, tcpk_model_eval(&m, x), 731);	/* z = 1 */
	for (i = 0; i < TCPK_MODEL_FEATURES; i++)
		m.weight[i] = TCPK_MODEL_WEIGHT_MAX;
	m.bias = TCPK_MODEL_BIAS_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), 0);
	KUNIT_EXPECT_EQ(test, tcpk_model_eval(&m, x), 1000);
	for (i = 0; i < TCPK_MODEL_FEATURES; i++)
		m.weight[i] = -TCPK_MODEL_WEIGHT_MAX;
	m.bias = -TCPK_MODEL_BIAS_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_model_eval(&m, x), 0);
}

/* Each range of a model to load is checked, with a message. */
static void model_check(struct kunit *test)
{
	struct tcpk_model m = { .threshold = 1, .points = 1000 };
	const char *errmsg = NULL;

	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), 0);
	m.weight[3] = TCPK_MODEL_WEIGHT_MAX + 1;
	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(errmsg, "weight"));
	m.weight[3] = -TCPK_MODEL_WEIGHT_MAX - 1;
	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), -EINVAL);
	m.weight[3] = 0;
	m.bias = TCPK_MODEL_BIAS_MAX + 1;
	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(errmsg, "bias"));
	m.bias = 0;
	m.threshold = 0;
	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(errmsg, "threshold"));
	m.threshold = 1001;
	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), -EINVAL);
	m.threshold = 1000;
	m.points = 0;
	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(errmsg, "points"));
	m.points = 1001;
	KUNIT_EXPECT_EQ(test, tcpk_model_check(&m, &errmsg), -EINVAL);
}

static struct kunit_case model_cases[] = {
	KUNIT_CASE(model_sigmoid),
	KUNIT_CASE(model_window),
	KUNIT_CASE(model_eval),
	KUNIT_CASE(model_check),
	{}
};

static struct kunit_suite model_suite = {
	.name = "tcp_kernel_model",
	.test_cases = model_cases,
};

kunit_test_suite(model_suite);
