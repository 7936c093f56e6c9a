// SPDX-License-Identifier: GPL-2.0
/* PLACEHOLDER - replaced by the per-process table's suites. */
#include <kunit/test.h>

#include "../policy/proc.c"

static void tcpk_proc_placeholder(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(1));
}

static struct kunit_case tcpk_proc_cases[] = {
	KUNIT_CASE(tcpk_proc_placeholder),
	{}
};

static struct kunit_suite tcpk_proc_suite = {
	.name = "tcp_kernel_proc",
	.test_cases = tcpk_proc_cases,
};

kunit_test_suite(tcpk_proc_suite);
