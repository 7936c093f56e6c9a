// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of module parameter validation
 */

#include <kunit/test.h>

#include "../core/params.c"
#include "fakes.h"

struct level_case {
	const char *text;
	int err;
	unsigned int level;
};

static const struct level_case level_cases[] = {
	{ "0", 0, 0 },
	{ "1", 0, 1 },
	{ "2", 0, 2 },
	{ "3", 0, 3 },
	{ "2\n", 0, 2 },
	{ "4", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "two", -EINVAL, 0 },
	{ "1x", -EINVAL, 0 },
	{ " 1", -EINVAL, 0 },
	{ "4294967296", -EINVAL, 0 },
	{ "4294967295", -EINVAL, 0 },
};

static void level_case_desc(const struct level_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->text);
	strreplace(desc, '\n', ' ');
}

KUNIT_ARRAY_PARAM(level, level_cases, level_case_desc);

/* Each text parses to its level, or is refused and leaves the output alone. */
static void tcpk_params_test_parse(struct kunit *test)
{
	const struct level_case *c = test->param_value;
	unsigned int level = 0xdead;
	int err;

	err = tcpk_security_level_parse(c->text, &level);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (!c->err)
		KUNIT_EXPECT_EQ(test, level, c->level);
	else
		KUNIT_EXPECT_EQ(test, level, 0xdead);
}

static void tcpk_params_test_parse_null(struct kunit *test)
{
	unsigned int level = 7;

	KUNIT_EXPECT_EQ(test, tcpk_security_level_parse(NULL, &level), -EINVAL);
	KUNIT_EXPECT_EQ(test, level, 7);
}

/* The parameter's set/get ops write through kp->arg and refuse bad input. */
static void tcpk_params_test_ops(struct kunit *test)
{
	unsigned int value = TCPK_LEVEL_MONITOR;
	struct kernel_param kp = { .name = "security_level", .arg = &value };
	unsigned int modes;
	char *buf;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/* Each write taken queues a mode event; a refused one none. */
	modes = tcpk_fake_events.modes;
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("3", &kp), 0);
	KUNIT_EXPECT_EQ(test, value, 3);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, modes + 1);
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("9", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, value, 3);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, modes + 1);
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("0\n", &kp), 0);
	KUNIT_EXPECT_EQ(test, value, 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, modes + 2);

	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.get(buf, &kp), 2);
	KUNIT_EXPECT_STREQ(test, buf, "0\n");
}

static void tcpk_params_test_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, tcpk_security_level_name(0), "off");
	KUNIT_EXPECT_STREQ(test, tcpk_security_level_name(1), "monitor");
	KUNIT_EXPECT_STREQ(test, tcpk_security_level_name(2), "enforce");
	KUNIT_EXPECT_STREQ(test, tcpk_security_level_name(3), "paranoid");
	KUNIT_EXPECT_STREQ(test, tcpk_security_level_name(4), "invalid");
	KUNIT_EXPECT_STREQ(test, tcpk_security_level_name(UINT_MAX), "invalid");
}

static struct kunit_case tcpk_params_cases[] = {
	KUNIT_CASE_PARAM(tcpk_params_test_parse, level_gen_params),
	KUNIT_CASE(tcpk_params_test_parse_null),
	KUNIT_CASE(tcpk_params_test_ops),
	KUNIT_CASE(tcpk_params_test_names),
	{}
};

static struct kunit_suite tcpk_params_suite = {
	.name = "tcp_kernel_params",
	.test_cases = tcpk_params_cases,
};

kunit_test_suites(&tcpk_params_suite);
