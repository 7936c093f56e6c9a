// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit tests of the lock's questions (core/lockcheck.c) and
 * of the module parameters it guards
 */

#include <kunit/test.h>
#include <linux/moduleparam.h>

#include "../core/lockcheck.c"
#include "core/params.h"
#include "fakes.h"

static void lock_test_level(struct kunit *test)
{
	u32 now, next;

	for (now = 0; now < __TCPK_LEVEL_MAX; now++)
		for (next = 0; next < __TCPK_LEVEL_MAX; next++)
			KUNIT_EXPECT_EQ(test, tcpk_lock_level_loosens(now, next),
					next < now);
}

static void lock_test_mask(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, tcpk_lock_mask_loosens(0x5, 0x5));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_mask_loosens(0x5, 0x7));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_mask_loosens(0, 0xffffffff));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_mask_loosens(0x5, 0x4));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_mask_loosens(0x5, 0x3));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_mask_loosens(0xffffffff, 0));
}

static void lock_test_mode(struct kunit *test)
{
	struct tcpk_mode now = { .level = 2, .alerts = true, .block_ops = 0x6 };
	struct tcpk_mode next = now;

	KUNIT_EXPECT_NULL(test, tcpk_lock_mode_loosens(&now, &next, true, true, true));
	next.level = 3;
	next.block_ops = 0xf;
	KUNIT_EXPECT_NULL(test, tcpk_lock_mode_loosens(&now, &next, true, true, true));

	next.level = 1;
	KUNIT_EXPECT_STREQ(test, tcpk_lock_mode_loosens(&now, &next, true, false, false),
			   "tcp_kernel is locked: lowering the security level would loosen the policy");
	/* A value not asked for does not count. */
	KUNIT_EXPECT_NULL(test, tcpk_lock_mode_loosens(&now, &next, false, true, true));

	next = now;
	next.alerts = false;
	KUNIT_EXPECT_NOT_NULL(test, tcpk_lock_mode_loosens(&now, &next, false, true, false));
	KUNIT_EXPECT_NULL(test, tcpk_lock_mode_loosens(&now, &next, true, false, true));
	now.alerts = false;
	KUNIT_EXPECT_NULL(test, tcpk_lock_mode_loosens(&now, &next, true, true, true));
	next.alerts = true;
	KUNIT_EXPECT_NULL(test, tcpk_lock_mode_loosens(&now, &next, true, true, true));

	next = now;
	next.block_ops = 0x2;
	KUNIT_EXPECT_NOT_NULL(test, tcpk_lock_mode_loosens(&now, &next, false, false, true));
	KUNIT_EXPECT_NULL(test, tcpk_lock_mode_loosens(&now, &next, true, true, false));
}

static void lock_test_actions(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, tcpk_lock_action_restricts(TCPK_ACTION_UNSPEC));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_action_restricts(TCPK_ACTION_ALLOW));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_action_restricts(TCPK_ACTION_MONITOR));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_action_restricts(TCPK_ACTION_ALERT));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_action_restricts(TCPK_ACTION_DENY));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_action_restricts(TCPK_ACTION_KILL));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_action_restricts(TCPK_ACTION_QUARANTINE));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_action_restricts(__TCPK_ACTION_MAX));
}

static void lock_test_shadows(struct kunit *test)
{
	const u32 alert = BIT(TCPK_RULE_F_ALERT);

	/* Before a rule that allows: never weaker. */
	KUNIT_EXPECT_FALSE(test, tcpk_lock_rule_shadows(TCPK_ACTION_DENY, 0,
							TCPK_ACTION_ALLOW, 0));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_rule_shadows(TCPK_ACTION_DENY, 0,
							TCPK_ACTION_MONITOR, 0));
	/* Same action. */
	KUNIT_EXPECT_FALSE(test, tcpk_lock_rule_shadows(TCPK_ACTION_DENY, 0,
							TCPK_ACTION_DENY, 0));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_rule_shadows(TCPK_ACTION_KILL, 0,
							TCPK_ACTION_KILL, 0));
	/* Stronger before weaker. */
	KUNIT_EXPECT_FALSE(test, tcpk_lock_rule_shadows(TCPK_ACTION_KILL, 0,
							TCPK_ACTION_DENY, 0));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_rule_shadows(TCPK_ACTION_QUARANTINE, 0,
							TCPK_ACTION_DENY, 0));
	/* Weaker before stronger, or neither containing the other. */
	KUNIT_EXPECT_TRUE(test, tcpk_lock_rule_shadows(TCPK_ACTION_DENY, 0,
						       TCPK_ACTION_KILL, 0));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_rule_shadows(TCPK_ACTION_DENY, 0,
						       TCPK_ACTION_QUARANTINE, 0));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_rule_shadows(TCPK_ACTION_KILL, 0,
						       TCPK_ACTION_QUARANTINE, 0));
	KUNIT_EXPECT_TRUE(test, tcpk_lock_rule_shadows(TCPK_ACTION_QUARANTINE, 0,
						       TCPK_ACTION_KILL, 0));
	/* The alert flag must be kept. */
	KUNIT_EXPECT_TRUE(test, tcpk_lock_rule_shadows(TCPK_ACTION_DENY, 0,
						       TCPK_ACTION_ALLOW, alert));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_rule_shadows(TCPK_ACTION_DENY, alert,
							TCPK_ACTION_ALLOW, alert));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_rule_shadows(TCPK_ACTION_DENY, alert,
							TCPK_ACTION_DENY, 0));
}

/* The security_level parameter: raised while locked, never lowered. */
static void lock_test_security_level_param(struct kunit *test)
{
	unsigned int value = TCPK_LEVEL_ENFORCE;
	struct kernel_param kp = { .name = "security_level", .arg = &value };

	tcpk_fake_locked = true;
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("1", &kp), -EPERM);
	KUNIT_EXPECT_EQ(test, value, TCPK_LEVEL_ENFORCE);
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("0", &kp), -EPERM);
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("2", &kp), 0);
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("3", &kp), 0);
	KUNIT_EXPECT_EQ(test, value, TCPK_LEVEL_PARANOID);
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("9", &kp), -EINVAL);
	tcpk_fake_locked = false;
	KUNIT_EXPECT_EQ(test, tcpk_security_level_ops.set("1", &kp), 0);
	KUNIT_EXPECT_EQ(test, value, TCPK_LEVEL_MONITOR);
}

/* The frozen tunables: any write is refused while locked. */
static void lock_test_frozen_params(struct kunit *test)
{
	unsigned int u = 16;
	bool b = true;
	struct kernel_param ku = { .name = "max_violations", .arg = &u };
	struct kernel_param kb = { .name = "cet_expect_shstk", .arg = &b };

	KUNIT_EXPECT_EQ(test, tcpk_frozen_uint_ops.set("8", &ku), 0);
	KUNIT_EXPECT_EQ(test, u, 8U);
	KUNIT_EXPECT_EQ(test, tcpk_frozen_bool_ops.set("0", &kb), 0);
	KUNIT_EXPECT_FALSE(test, b);

	tcpk_fake_locked = true;
	KUNIT_EXPECT_EQ(test, tcpk_frozen_uint_ops.set("4", &ku), -EPERM);
	KUNIT_EXPECT_EQ(test, tcpk_frozen_uint_ops.set("32", &ku), -EPERM);
	KUNIT_EXPECT_EQ(test, u, 8U);
	KUNIT_EXPECT_EQ(test, tcpk_frozen_bool_ops.set("1", &kb), -EPERM);
	KUNIT_EXPECT_FALSE(test, b);
	tcpk_fake_locked = false;
}

static void lock_test_pin_dir(struct kunit *test)
{
	const unsigned char *n = (const unsigned char *)"tcp_kernelx";

	KUNIT_EXPECT_TRUE(test, tcpk_lock_pin_dir_name(n, 10));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_pin_dir_name(n, 11));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_pin_dir_name(n, 9));
	KUNIT_EXPECT_FALSE(test, tcpk_lock_pin_dir_name(n, 0));
	KUNIT_EXPECT_FALSE(test,
			   tcpk_lock_pin_dir_name((const unsigned char *)"tcp_kerneL", 10));
	KUNIT_EXPECT_FALSE(test,
			   tcpk_lock_pin_dir_name((const unsigned char *)"links", 5));
}

static struct kunit_case lock_test_cases[] = {
	KUNIT_CASE(lock_test_level),
	KUNIT_CASE(lock_test_mask),
	KUNIT_CASE(lock_test_mode),
	KUNIT_CASE(lock_test_actions),
	KUNIT_CASE(lock_test_shadows),
	KUNIT_CASE(lock_test_security_level_param),
	KUNIT_CASE(lock_test_frozen_params),
	KUNIT_CASE(lock_test_pin_dir),
	{}
};

static struct kunit_suite lock_test_suite = {
	.name = "tcp_kernel_lock",
	.test_cases = lock_test_cases,
};

kunit_test_suites(&lock_test_suite);
