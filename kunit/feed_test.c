// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the behavioural feed: what a system call
 * exit does to a process's features, which calls are writes
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/unistd.h>

#include "fakes.h"
#include "../behavior/feed.c"

/* Registers of a native system call @nr with arguments @a0, @a2. */
/* The score as last set, without decay. */
static u32 raw_score(const struct tcpk_features *f)
{
	return tcpk_features_score(f, 0, 0);
}

/* tcpk_feed_exit() under the RCU read lock the probe holds. */
static void feed_exit(struct tcpk_features *f, struct pt_regs *regs, long ret)
{
	rcu_read_lock();
	tcpk_feed_exit(f, regs, ret);
	rcu_read_unlock();
}

static void feed_regs(struct pt_regs *regs, long nr, unsigned long a0,
		      unsigned long a2)
{
	memset(regs, 0, sizeof(*regs));
	regs->orig_ax = nr;
	regs->di = a0;
	regs->dx = a2;
}

static void feed_write_fd(struct kunit *test)
{
	static const long first_arg[] = {
		__NR_write, __NR_pwrite64, __NR_writev, __NR_pwritev,
		__NR_pwritev2, __NR_sendfile,
	};
	struct pt_regs regs;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(first_arg); i++) {
		feed_regs(&regs, first_arg[i], 5, 9);
		KUNIT_EXPECT_EQ(test, tcpk_feed_write_fd(&regs, first_arg[i]), 5);
	}
	feed_regs(&regs, __NR_copy_file_range, 5, 9);
	KUNIT_EXPECT_EQ(test, tcpk_feed_write_fd(&regs, __NR_copy_file_range), 9);
	feed_regs(&regs, __NR_splice, 5, 9);
	KUNIT_EXPECT_EQ(test, tcpk_feed_write_fd(&regs, __NR_splice), 9);
	feed_regs(&regs, __NR_read, 5, 9);
	KUNIT_EXPECT_EQ(test, tcpk_feed_write_fd(&regs, __NR_read), -1);
	feed_regs(&regs, __NR_openat, 5, 9);
	KUNIT_EXPECT_EQ(test, tcpk_feed_write_fd(&regs, __NR_openat), -1);
}

/* Failures make one burst per window, raising the score once. */
static void feed_fail_burst(struct kunit *test)
{
	unsigned int saved = fail_burst, i;
	struct tcpk_features *f;
	struct pt_regs regs;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	tcpk_features_init(f);
	tcpk_fake_events_reset();
	fail_burst = 8;
	feed_regs(&regs, __NR_openat, 0, 0);
	/* Successes and other errors are not failures. */
	for (i = 0; i < 20; i++) {
		feed_exit(f, &regs, 3);
		feed_exit(f, &regs, -EAGAIN);
	}
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->failures), 0);
	for (i = 0; i < 7; i++)
		feed_exit(f, &regs, i % 3 ? -ENOENT : -EACCES);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 0U);
	feed_exit(f, &regs, -EPERM);
	for (i = 0; i < 20; i++)
		feed_exit(f, &regs, -ENOENT);
	fail_burst = saved;

	KUNIT_EXPECT_EQ(test, atomic64_read(&f->syscalls), 68);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->failures), 28);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->fail_bursts), 1);
	KUNIT_EXPECT_EQ(test, raw_score(f), score_fail_burst);
	KUNIT_ASSERT_EQ(test, tcpk_fake_events.behaviors, 1U);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.kind,
			(u32)TCPK_BEHAVIOR_FAIL_BURST);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.count, 8ULL);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.score,
			score_fail_burst);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.window_ms,
			fail_burst_window_ms);
}

/* A write of the large size or more is reported with its size. */
static void feed_large_write(struct kunit *test)
{
	struct tcpk_features *f;
	struct pt_regs regs;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	tcpk_features_init(f);
	tcpk_fake_events_reset();
	/* One byte short, or not a write: nothing. */
	feed_regs(&regs, __NR_write, 1000, 0);
	feed_exit(f, &regs, large_write_bytes - 1);
	feed_regs(&regs, __NR_read, 1000, 0);
	feed_exit(f, &regs, large_write_bytes);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 0U);
	/* fd 1000 is not open in the test's thread: the file is "?". */
	feed_regs(&regs, __NR_write, 1000, 0);
	feed_exit(f, &regs, large_write_bytes);
	KUNIT_ASSERT_EQ(test, tcpk_fake_events.behaviors, 1U);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.kind,
			(u32)TCPK_BEHAVIOR_LARGE_WRITE);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.bytes,
			(u64)large_write_bytes);
	KUNIT_EXPECT_STREQ(test, tcpk_fake_events.last_behavior_path, "?");
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->large_writes), 1);
	KUNIT_EXPECT_EQ(test, raw_score(f), score_large_write);
	/* Scores saturate at the maximum. */
	tcpk_features_score_set(f, TCPK_SCORE_MAX - 1, ktime_get_coarse_ns());
	feed_exit(f, &regs, large_write_bytes);
	KUNIT_EXPECT_EQ(test, raw_score(f), TCPK_SCORE_MAX);
}

/* The quarantine threshold by level, and quarantine_score over it. */
static void feed_quarantine_threshold(struct kunit *test)
{
	unsigned int saved = quarantine_score;

	quarantine_score = 0;
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_OFF), 0);
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_MONITOR), 0);
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_ENFORCE), 900);
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_PARANOID), 600);
	quarantine_score = 500;
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_OFF), 0);
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_MONITOR), 500);
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_PARANOID), 500);
	quarantine_score = TCPK_SCORE_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_ENFORCE),
			TCPK_SCORE_MAX);
	quarantine_score = TCPK_SCORE_MAX + 1;
	KUNIT_EXPECT_EQ(test, tcpk_quarantine_threshold(TCPK_LEVEL_ENFORCE), 0);

	/*
	 * At monitor (this module's level) a score at or above the threshold
	 * is an event each time, and nothing is quarantined.
	 */
	KUNIT_ASSERT_EQ(test, tcpk_security_level_get(), TCPK_LEVEL_MONITOR);
	tcpk_fake_events_reset();
	quarantine_score = 300;
	tcpk_behavior_scored(299);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 0);
	tcpk_behavior_scored(300);
	tcpk_behavior_scored(450);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.behaviors, 2);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.kind,
			TCPK_BEHAVIOR_THRESHOLD);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.count, 300);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_behavior.score, 450);
	KUNIT_EXPECT_FALSE(test, tcpk_proc_quarantined(current->tgid));
	quarantine_score = saved;
}

static struct kunit_case feed_cases[] = {
	KUNIT_CASE(feed_write_fd),
	KUNIT_CASE(feed_fail_burst),
	KUNIT_CASE(feed_large_write),
	KUNIT_CASE(feed_quarantine_threshold),
	{}
};

static struct kunit_suite feed_suite = {
	.name = "tcp_kernel_feed",
	.test_cases = feed_cases,
};

kunit_test_suites(&feed_suite);
