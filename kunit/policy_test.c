// SPDX-License-Identifier: GPL-2.0
/* PLACEHOLDER - replaced by the policy engine's suites. */
#include <kunit/test.h>

#include "../policy/policy.c"

static void tcpk_policy_placeholder(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tcpk_policy_count(), 0U);
}

static struct kunit_case tcpk_policy_cases[] = {
	KUNIT_CASE(tcpk_policy_placeholder),
	{}
};

static struct kunit_suite tcpk_policy_suite = {
	.name = "tcp_kernel_policy",
	.test_cases = tcpk_policy_cases,
};

kunit_test_suite(tcpk_policy_suite);
