// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suites of the hardware monitors' registry
 * (hwmon/hwmon.c) and of their netlink encoding (core/hwmon_nl.c)
 *
 * The three monitors are fakes here: each case says what they find at
 * load and whether they start, and counts what the registry asks of them.
 * No process is tracked in this module, so the registry's scan attaches
 * none; the cases that need a watched process fill a slot themselves
 * with the scan stopped.
 */

#include <kunit/test.h>
#include <linux/sched/task.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "../core/common.h"
#include "../hwmon/hwmon.h"

/* The module's parameters, which hwmon.c reads. */
struct tcpk_config tcpk_config = {
	.enable_intel_pt = true,
	.enable_cet = true,
	.enable_perf = true,
};

/**
 * struct fake_hwmon - what one fake monitor does and what was asked of it
 * @avail: its available() finds it can work.
 * @init_err: what its init() returns.
 * @enable_err: what its enable() returns.
 * @available: calls of available().
 * @init: calls of init().
 * @exit: calls of exit().
 * @enable: calls of enable().
 * @disable: calls of disable().
 */
struct fake_hwmon {
	bool avail;
	int init_err;
	int enable_err;
	unsigned int available;
	unsigned int init;
	unsigned int exit;
	unsigned int enable;
	unsigned int disable;
};

static struct fake_hwmon fakes[__TCPK_HWMON_MAX];

static bool fake_available(struct tcpk_hwmon_entry *mon)
{
	struct fake_hwmon *f = &fakes[mon->ops->type];

	f->available++;
	snprintf(mon->reason, sizeof(mon->reason), "fake %s: %s",
		 mon->ops->name, f->avail ? "found" : "absent");
	mon->hardware = f->avail;
	return f->avail;
}

static int fake_init(struct fake_hwmon *f)
{
	f->init++;
	return f->init_err;
}

static int fake_enable(struct fake_hwmon *f)
{
	f->enable++;
	return f->enable_err;
}

static int fake_init_perf(void)
{
	return fake_init(&fakes[TCPK_HWMON_PERF]);
}

static void fake_exit_perf(void)
{
	fakes[TCPK_HWMON_PERF].exit++;
}

static int fake_enable_perf(struct tcpk_hwmon_task *t)
{
	return fake_enable(&fakes[TCPK_HWMON_PERF]);
}

static void fake_disable_perf(struct tcpk_hwmon_task *t)
{
	fakes[TCPK_HWMON_PERF].disable++;
}

static int fake_init_cet(void)
{
	return fake_init(&fakes[TCPK_HWMON_CET]);
}

static void fake_exit_cet(void)
{
	fakes[TCPK_HWMON_CET].exit++;
}

static int fake_enable_cet(struct tcpk_hwmon_task *t)
{
	return fake_enable(&fakes[TCPK_HWMON_CET]);
}

static void fake_disable_cet(struct tcpk_hwmon_task *t)
{
	fakes[TCPK_HWMON_CET].disable++;
}

const struct tcpk_hwmon_ops tcpk_hwmon_perf_ops = {
	.name = "perf",
	.type = TCPK_HWMON_PERF,
	.available = fake_available,
	.init = fake_init_perf,
	.exit = fake_exit_perf,
	.enable = fake_enable_perf,
	.disable = fake_disable_perf,
};

/* Like the real one: detection only, no per-task work, no init. */
const struct tcpk_hwmon_ops tcpk_hwmon_intel_pt_ops = {
	.name = "intel_pt",
	.type = TCPK_HWMON_INTEL_PT,
	.available = fake_available,
};

const struct tcpk_hwmon_ops tcpk_hwmon_cet_ops = {
	.name = "cet",
	.type = TCPK_HWMON_CET,
	.available = fake_available,
	.init = fake_init_cet,
	.exit = fake_exit_cet,
	.enable = fake_enable_cet,
	.disable = fake_disable_cet,
};

#include "../hwmon/hwmon.c"
#include "../core/hwmon_nl.c"

static int hwmon_registry_init(struct kunit *test)
{
	unsigned int id;

	memset(fakes, 0, sizeof(fakes));
	for (id = 0; id < __TCPK_HWMON_MAX; id++) {
		fakes[id].avail = true;
		memset(&tcpk_hwmons[id], 0, sizeof(tcpk_hwmons[id]));
	}
	tcpk_hwmons[TCPK_HWMON_PERF].ops = &tcpk_hwmon_perf_ops;
	tcpk_hwmons[TCPK_HWMON_INTEL_PT].ops = &tcpk_hwmon_intel_pt_ops;
	tcpk_hwmons[TCPK_HWMON_CET].ops = &tcpk_hwmon_cet_ops;
	tcpk_config.enable_perf = true;
	tcpk_config.enable_intel_pt = true;
	tcpk_config.enable_cet = true;
	hwmon_max_tasks = 64;
	return 0;
}

/* The registry is stopped whatever a case left behind. */
static void hwmon_registry_exit(struct kunit *test)
{
	tcpk_hwmon_exit();
}

/* Stop the scan so that a case may fill slots itself. */
static void stop_scan(void)
{
	WRITE_ONCE(tcpk_hwmon_running, false);
	cancel_delayed_work_sync(&tcpk_hwmon_scan_work);
}

/* Make slot @i watch the current task, as tcpk_hwmon_task_take() would. */
static void take_current(unsigned int i, u32 tgid, u32 enabled)
{
	struct tcpk_hwmon_task *t = &tcpk_hwmon_tasks[i];
	unsigned int id;

	memset(t, 0, sizeof(*t));
	get_task_struct(current);
	t->task = current;
	strscpy(t->comm, "watched", sizeof(t->comm));
	t->enabled = enabled;
	for (id = 0; id < __TCPK_HWMON_MAX; id++)
		if (enabled & BIT(id))
			tcpk_hwmons[id].tasks++;
	t->tgid = tgid;
}

/* Every monitor found and started: slots, the reasons, the exits. */
static void hwmon_registry_all(struct kunit *test)
{
	struct tcpk_part_status ps;
	struct tcpk_hwmon_info info;
	unsigned int id;

	tcpk_hwmon_init();
	for (id = 0; id < __TCPK_HWMON_MAX; id++) {
		KUNIT_EXPECT_EQ(test, fakes[id].available, 1U);
		KUNIT_EXPECT_TRUE(test, tcpk_hwmons[id].enabled);
		KUNIT_EXPECT_TRUE(test, tcpk_hwmons[id].available);
	}
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_PERF].init, 1U);
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_CET].init, 1U);
	/* Two monitors watch tasks: the slots are there. */
	KUNIT_ASSERT_NOT_NULL(test, tcpk_hwmon_tasks);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ntasks, 64U);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(tcpk_hwmon_running));

	tcpk_hwmon_info(TCPK_HWMON_CET, &info);
	KUNIT_EXPECT_EQ(test, info.id, (u32)TCPK_HWMON_CET);
	KUNIT_EXPECT_STREQ(test, info.name, "cet");
	KUNIT_EXPECT_TRUE(test, info.enabled);
	KUNIT_EXPECT_TRUE(test, info.available);
	KUNIT_EXPECT_TRUE(test, info.hardware);
	KUNIT_EXPECT_STREQ(test, info.reason, "fake cet: found");
	KUNIT_EXPECT_EQ(test, info.tasks, 0U);
	KUNIT_EXPECT_EQ(test, info.task_limit, 64U);

	memset(&ps, 0, sizeof(ps));
	tcpk_hwmon_part(TCPK_HWMON_INTEL_PT, &ps);
	KUNIT_EXPECT_TRUE(test, ps.enabled);
	KUNIT_EXPECT_TRUE(test, ps.available);
	KUNIT_EXPECT_STREQ(test, ps.reason, "fake intel_pt: found");

	tcpk_hwmon_exit();
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_PERF].exit, 1U);
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_CET].exit, 1U);
	KUNIT_EXPECT_NULL(test, tcpk_hwmon_tasks);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ntasks, 0U);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(tcpk_hwmon_running));
	/* A second stop (the suite's exit makes one) stops nothing twice. */
	tcpk_hwmon_exit();
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_PERF].exit, 1U);
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_CET].exit, 1U);
}

/*
 * What the administrator turned off is still detected (its reason is
 * reported) but neither started nor stopped.
 */
static void hwmon_registry_disabled(struct kunit *test)
{
	struct tcpk_hwmon_info info;

	tcpk_config.enable_perf = false;
	tcpk_hwmon_init();
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_PERF].available, 1U);
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_PERF].init, 0U);
	tcpk_hwmon_info(TCPK_HWMON_PERF, &info);
	KUNIT_EXPECT_FALSE(test, info.enabled);
	KUNIT_EXPECT_FALSE(test, info.available);
	KUNIT_EXPECT_STREQ(test, info.reason, "fake perf: found");
	/* CET still watches tasks. */
	KUNIT_EXPECT_NOT_NULL(test, tcpk_hwmon_tasks);
	tcpk_hwmon_exit();
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_PERF].exit, 0U);
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_CET].exit, 1U);
}

/* A monitor whose init fails is reported, not fatal, and never exits. */
static void hwmon_registry_init_fails(struct kunit *test)
{
	struct tcpk_hwmon_info info;

	fakes[TCPK_HWMON_PERF].init_err = -ENODEV;
	tcpk_hwmon_init();
	tcpk_hwmon_info(TCPK_HWMON_PERF, &info);
	KUNIT_EXPECT_TRUE(test, info.enabled);
	KUNIT_EXPECT_FALSE(test, info.available);
	KUNIT_EXPECT_STREQ(test, info.reason, "perf: init failed (-19)");
	tcpk_hwmon_info(TCPK_HWMON_CET, &info);
	KUNIT_EXPECT_TRUE(test, info.available);
	tcpk_hwmon_exit();
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_PERF].exit, 0U);
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_CET].exit, 1U);
}

/* Nothing found: no slots, no scan, and unload is still clean. */
static void hwmon_registry_none(struct kunit *test)
{
	struct tcpk_hwmon_info info;
	unsigned int id;

	for (id = 0; id < __TCPK_HWMON_MAX; id++)
		fakes[id].avail = false;
	tcpk_hwmon_init();
	for (id = 0; id < __TCPK_HWMON_MAX; id++) {
		tcpk_hwmon_info(id, &info);
		KUNIT_EXPECT_TRUE(test, info.enabled);
		KUNIT_EXPECT_FALSE(test, info.available);
		KUNIT_EXPECT_FALSE(test, info.hardware);
		KUNIT_EXPECT_EQ(test, fakes[id].init, 0U);
	}
	KUNIT_EXPECT_NULL(test, tcpk_hwmon_tasks);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(tcpk_hwmon_running));
	/* Nobody watched: a fault is ignored. */
	tcpk_hwmon_cp_fault(1);
	tcpk_hwmon_exit();
	for (id = 0; id < __TCPK_HWMON_MAX; id++)
		KUNIT_EXPECT_EQ(test, fakes[id].exit, 0U);
}

/* Only a monitor without per-task work: no slots are allocated. */
static void hwmon_registry_detect_only(struct kunit *test)
{
	fakes[TCPK_HWMON_PERF].avail = false;
	fakes[TCPK_HWMON_CET].avail = false;
	tcpk_hwmon_init();
	KUNIT_EXPECT_TRUE(test, tcpk_hwmons[TCPK_HWMON_INTEL_PT].available);
	KUNIT_EXPECT_NULL(test, tcpk_hwmon_tasks);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(tcpk_hwmon_running));
}

/* hwmon_max_tasks is clamped to 1 and TCPK_HWMON_TASKS_LIMIT. */
static void hwmon_registry_limit(struct kunit *test)
{
	struct tcpk_hwmon_info info;

	hwmon_max_tasks = 0;
	tcpk_hwmon_init();
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ntasks, 1U);
	tcpk_hwmon_info(TCPK_HWMON_PERF, &info);
	KUNIT_EXPECT_EQ(test, info.task_limit, 1U);
	tcpk_hwmon_exit();

	hwmon_max_tasks = UINT_MAX;
	tcpk_hwmon_init();
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_ntasks, TCPK_HWMON_TASKS_LIMIT);
	tcpk_hwmon_exit();
}

/* Slots: the walk visits taken ones, resumes, stops on an error. */
struct walk_seen {
	u32 tgids[4];
	unsigned int n;
	unsigned int stop_after;
};

static int walk_fill(const struct tcpk_hwmon_task *t, void *arg)
{
	struct walk_seen *w = arg;

	if (w->n == w->stop_after)
		return -EMSGSIZE;
	if (w->n < ARRAY_SIZE(w->tgids))
		w->tgids[w->n] = t->tgid;
	w->n++;
	return 0;
}

static void hwmon_registry_walk(struct kunit *test)
{
	struct walk_seen w = { .stop_after = UINT_MAX };
	struct tcpk_hwmon_info info;
	unsigned long pos = 0;

	tcpk_hwmon_init();
	stop_scan();
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_walk(&pos, walk_fill, &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, 0U);

	take_current(3, 1003, BIT(TCPK_HWMON_PERF));
	take_current(10, 1010, BIT(TCPK_HWMON_PERF) | BIT(TCPK_HWMON_CET));
	take_current(63, 1063, BIT(TCPK_HWMON_CET));
	tcpk_hwmon_info(TCPK_HWMON_PERF, &info);
	KUNIT_EXPECT_EQ(test, info.tasks, 2U);

	pos = 0;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_walk(&pos, walk_fill, &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, 3U);
	KUNIT_EXPECT_EQ(test, w.tgids[0], 1003U);
	KUNIT_EXPECT_EQ(test, w.tgids[1], 1010U);
	KUNIT_EXPECT_EQ(test, w.tgids[2], 1063U);
	KUNIT_EXPECT_EQ(test, pos, 64UL);

	/* A full message stops the walk where the next one resumes. */
	w = (struct walk_seen){ .stop_after = 1 };
	pos = 0;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_walk(&pos, walk_fill, &w), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pos, 10UL);
	w = (struct walk_seen){ .stop_after = UINT_MAX };
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_walk(&pos, walk_fill, &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, 2U);
	KUNIT_EXPECT_EQ(test, w.tgids[0], 1010U);

	/* Unload releases each slot from each monitor watching it. */
	tcpk_hwmon_exit();
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_PERF].disable, 2U);
	KUNIT_EXPECT_EQ(test, fakes[TCPK_HWMON_CET].disable, 2U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmons[TCPK_HWMON_PERF].tasks, 0U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmons[TCPK_HWMON_CET].tasks, 0U);
}

/* A control-protection fault counts on its process's slot only. */
static void hwmon_registry_cp_fault(struct kunit *test)
{
	tcpk_hwmon_init();
	stop_scan();
	take_current(5, 2005, BIT(TCPK_HWMON_CET));
	take_current(6, 2006, BIT(TCPK_HWMON_CET));
	tcpk_hwmon_cp_fault(2006);
	tcpk_hwmon_cp_fault(2006);
	tcpk_hwmon_cp_fault(4242);
	tcpk_hwmon_cp_fault(0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&tcpk_hwmon_tasks[5].cp_faults), 0LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&tcpk_hwmon_tasks[6].cp_faults), 2LL);
	/* The kick's scan must not run on a stopped registry. */
	irq_work_sync(&tcpk_hwmon_kick_work);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&tcpk_hwmon_scan_work));
}

/* Parameters reach the monitors within their bounds. */
static void hwmon_registry_params(struct kunit *test)
{
	struct tcpk_hwmon_limits l;
	unsigned int save = hwmon_sample_ms;

	hwmon_sample_ms = 0;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_sample_ns(), 10ULL * NSEC_PER_MSEC);
	hwmon_sample_ms = UINT_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_sample_ns(), 10000ULL * NSEC_PER_MSEC);
	hwmon_sample_ms = save;

	tcpk_hwmon_limits(&l);
	KUNIT_EXPECT_EQ(test, l.busy_pm, hwmon_busy_pm);
	KUNIT_EXPECT_EQ(test, l.busy_ms, hwmon_busy_ms);
	KUNIT_EXPECT_EQ(test, l.min_ipc_q8, hwmon_min_ipc);

	KUNIT_EXPECT_EQ(test, tcpk_hwmon_points(TCPK_HWMON_SIGNAL_BUSY),
			score_hwmon_busy);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_points(TCPK_HWMON_SIGNAL_LOW_IPC),
			score_hwmon_ipc);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_points(TCPK_HWMON_SIGNAL_NO_SHSTK),
			score_cet);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_points(TCPK_HWMON_SIGNAL_CP_FAULT),
			score_cet);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_points(TCPK_HWMON_SIGNAL_UNSPEC), 0U);
	KUNIT_EXPECT_EQ(test, tcpk_hwmon_points(__TCPK_HWMON_SIGNAL_MAX), 0U);
}

static struct kunit_case hwmon_registry_cases[] = {
	KUNIT_CASE(hwmon_registry_all),
	KUNIT_CASE(hwmon_registry_disabled),
	KUNIT_CASE(hwmon_registry_init_fails),
	KUNIT_CASE(hwmon_registry_none),
	KUNIT_CASE(hwmon_registry_detect_only),
	KUNIT_CASE(hwmon_registry_limit),
	KUNIT_CASE(hwmon_registry_walk),
	KUNIT_CASE(hwmon_registry_cp_fault),
	KUNIT_CASE(hwmon_registry_params),
	{}
};

static struct kunit_suite hwmon_registry_suite = {
	.name = "tcp_kernel_hwmon_registry",
	.init = hwmon_registry_init,
	.exit = hwmon_registry_exit,
	.test_cases = hwmon_registry_cases,
};

/* --- netlink ------------------------------------------------------------- */

static const struct nla_policy hwmon_policy[TCPK_A_HWMON_MAX + 1] = {
	[TCPK_A_HWMON_ID] = { .type = NLA_U32 },
	[TCPK_A_HWMON_NAME] = { .type = NLA_NUL_STRING },
	[TCPK_A_HWMON_ENABLED] = { .type = NLA_U8 },
	[TCPK_A_HWMON_AVAILABLE] = { .type = NLA_U8 },
	[TCPK_A_HWMON_REASON] = { .type = NLA_NUL_STRING },
	[TCPK_A_HWMON_TASKS] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_LIMIT] = { .type = NLA_U32 },
	[TCPK_A_HWMON_HARDWARE] = { .type = NLA_U8 },
};

static const struct nla_policy hwmon_task_policy[TCPK_A_HWMON_TASK_MAX + 1] = {
	[TCPK_A_HWMON_TASK_PID] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_COMM] = { .type = NLA_NUL_STRING },
	[TCPK_A_HWMON_TASK_TASK_CLOCK] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_CONTEXT_SWITCHES] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_PAGE_FAULTS] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_INSTRUCTIONS] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_CYCLES] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_BRANCH_MISSES] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_CACHE_MISSES] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_CPU_PM] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_IPC_Q8] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_BRANCH_MPKI_Q8] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_CACHE_MPKI_Q8] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_FAULT_RATE] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_CTXSW_RATE] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_OVERFLOWS] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_PERIODS] = { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_BUSY_MS] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_POINTS] = { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_SHSTK] = { .type = NLA_U8 },
	[TCPK_A_HWMON_TASK_CP_FAULTS] = { .type = NLA_U64 },
};

/* An skb with exactly @room bytes of tailroom left. */
static struct sk_buff *short_skb(struct kunit *test, unsigned int room)
{
	struct sk_buff *skb = alloc_skb(1024, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_GE(test, skb_tailroom(skb), (int)room);
	skb_put(skb, skb_tailroom(skb) - room);
	return skb;
}

/* A monitor's nest: every attribute, the size bound holds. */
static void hwmon_nl_monitor(struct kunit *test)
{
	struct nlattr *tb[TCPK_A_HWMON_MAX + 1];
	struct tcpk_hwmon_info info = {
		.id = TCPK_HWMON_INTEL_PT,
		.name = "intel_pt",
		.enabled = true,
		.task_limit = TCPK_HWMON_TASKS_LIMIT,
	};
	unsigned int full, room;
	struct sk_buff *skb;
	struct nlattr *nest;

	/* The longest reason there can be. */
	memset(info.reason, 'r', sizeof(info.reason) - 1);
	info.reason[sizeof(info.reason) - 1] = '\0';
	skb = alloc_skb(tcpk_nl_hwmon_size(), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, tcpk_nl_hwmon_fill(skb, &info), 0);
	KUNIT_EXPECT_LE(test, skb->len, tcpk_nl_hwmon_size());
	nest = (struct nlattr *)skb->data;
	KUNIT_EXPECT_EQ(test, nla_type(nest), TCPK_A_HWMON);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_HWMON_MAX, nest,
					       hwmon_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_HWMON_ID]),
			(u32)TCPK_HWMON_INTEL_PT);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_HWMON_NAME]),
			   "intel_pt");
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPK_A_HWMON_ENABLED]), 1);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPK_A_HWMON_AVAILABLE]), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPK_A_HWMON_HARDWARE]), 0);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[TCPK_A_HWMON_REASON]),
			   info.reason);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_HWMON_TASKS]), 0U);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_HWMON_TASK_LIMIT]),
			TCPK_HWMON_TASKS_LIMIT);
	full = skb->len;
	kfree_skb(skb);

	/* Any room short of the nest: refused, nothing of it left. */
	for (room = 0; room < full; room += 4) {
		skb = short_skb(test, room);
		KUNIT_EXPECT_EQ(test, tcpk_nl_hwmon_fill(skb, &info), -EMSGSIZE);
		KUNIT_EXPECT_EQ(test, skb_tailroom(skb), room);
		kfree_skb(skb);
	}
}

/* A watched task: the counters it has, and only those. */
static void hwmon_nl_task(struct kunit *test)
{
	struct nlattr *tb[TCPK_A_HWMON_TASK_MAX + 1];
	unsigned int c, full, room;
	struct tcpk_hwmon_task *t;
	struct sk_buff *skb;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->tgid = 77;
	memset(t->comm, 'c', sizeof(t->comm) - 1);
	t->prev.have = TCPK_HWC_SOFTWARE;
	t->prev.val[TCPK_HWC_TASK_CLOCK] = U64_MAX;
	t->prev.val[TCPK_HWC_CTXSW] = 12;
	t->prev.val[TCPK_HWC_FAULTS] = 34;
	t->prev.val[TCPK_HWC_INSTRUCTIONS] = 99;	/* not had: not sent */
	t->m.cpu_pm = 1000;
	t->m.ipc_q8 = 55;
	t->periods = 9;
	t->judge.busy_ms = 3000;
	t->points = 100;
	atomic64_set(&t->overflows, 1ULL << 40);

	skb = alloc_skb(tcpk_nl_hwmon_task_size(), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, tcpk_nl_hwmon_task_fill(skb, t), 0);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_HWMON_TASK_MAX,
					       (struct nlattr *)skb->data,
					       hwmon_task_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_HWMON_TASK_PID]), 77U);
	KUNIT_EXPECT_EQ(test, strlen(nla_data(tb[TCPK_A_HWMON_TASK_COMM])),
			(size_t)TASK_COMM_LEN - 1);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_HWMON_TASK_TASK_CLOCK]),
			U64_MAX);
	KUNIT_EXPECT_EQ(test,
			nla_get_u64(tb[TCPK_A_HWMON_TASK_CONTEXT_SWITCHES]),
			12ULL);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_HWMON_TASK_PAGE_FAULTS]),
			34ULL);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_HWMON_TASK_INSTRUCTIONS]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_HWMON_TASK_CYCLES]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_HWMON_TASK_IPC_Q8]);
	KUNIT_EXPECT_NULL(test, tb[TCPK_A_HWMON_TASK_SHSTK]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_HWMON_TASK_CPU_PM]), 1000U);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_HWMON_TASK_OVERFLOWS]),
			1ULL << 40);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_HWMON_TASK_PERIODS]), 9ULL);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_HWMON_TASK_BUSY_MS]),
			3000U);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_HWMON_TASK_POINTS]), 100U);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_HWMON_TASK_CP_FAULTS]),
			0ULL);
	kfree_skb(skb);

	/* Every counter, the hardware metrics, the shadow stack: it fits. */
	t->prev.have = GENMASK(__TCPK_HWC_MAX - 1, 0);
	for (c = 0; c < __TCPK_HWC_MAX; c++)
		t->prev.val[c] = U64_MAX - c;
	t->shstk_known = true;
	t->shstk = true;
	skb = alloc_skb(tcpk_nl_hwmon_task_size(), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, tcpk_nl_hwmon_task_fill(skb, t), 0);
	KUNIT_EXPECT_LE(test, skb->len, tcpk_nl_hwmon_task_size());
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, TCPK_A_HWMON_TASK_MAX,
					       (struct nlattr *)skb->data,
					       hwmon_task_policy, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[TCPK_A_HWMON_TASK_CACHE_MISSES]),
			U64_MAX - TCPK_HWC_CACHE_MISSES);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[TCPK_A_HWMON_TASK_IPC_Q8]), 55U);
	KUNIT_EXPECT_NOT_NULL(test, tb[TCPK_A_HWMON_TASK_BRANCH_MPKI_Q8]);
	KUNIT_EXPECT_NOT_NULL(test, tb[TCPK_A_HWMON_TASK_CACHE_MPKI_Q8]);
	KUNIT_EXPECT_EQ(test, nla_get_u8(tb[TCPK_A_HWMON_TASK_SHSTK]), 1);

	full = skb->len;
	kfree_skb(skb);

	/* Any room short of the nest: refused, nothing of it left. */
	for (room = 0; room < full; room += 4) {
		skb = short_skb(test, room);
		KUNIT_EXPECT_EQ(test, tcpk_nl_hwmon_task_fill(skb, t), -EMSGSIZE);
		KUNIT_EXPECT_EQ(test, skb_tailroom(skb), room);
		kfree_skb(skb);
	}
}

static struct kunit_case hwmon_nl_cases[] = {
	KUNIT_CASE(hwmon_nl_monitor),
	KUNIT_CASE(hwmon_nl_task),
	{}
};

static struct kunit_suite hwmon_nl_suite = {
	.name = "tcp_kernel_hwmon_netlink",
	.test_cases = hwmon_nl_cases,
};

kunit_test_suites(&hwmon_registry_suite, &hwmon_nl_suite);
