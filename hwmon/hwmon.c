// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the hardware monitors' registry and the tasks they watch
 *
 * Guiding rules:
 *
 * - Each monitor is an ops table (hwmon.h) in a fixed registry.  At load
 *   each enabled monitor says whether it can work here; one that cannot,
 *   or whose init fails, is reported with the reason and never fails the
 *   load.
 * - The monitors watch tracked processes (policy/proc.c), at most
 *   hwmon_max_tasks at once, in slots allocated at load.  A scan, a
 *   delayed work every hwmon_interval_ms, takes free slots for tracked
 *   processes (a bounded step round the table each time), evaluates the
 *   watched ones and frees the slots of processes that exited or are no
 *   longer tracked.  Creating and releasing perf counters sleeps, so all
 *   of this is done by the scan, never in a hook or probe.
 * - A perf overflow (every hwmon_sample_ms of a task's CPU time) and a
 *   control-protection fault ask for a scan now through an irq_work,
 *   which is safe from NMI; the scan then evaluates at once.
 * - The slots are under tcpk_hwmon_mutex, but for the lockless fields
 *   documented in &struct tcpk_hwmon_task.
 * - Signals become anomaly score points and behaviour events through
 *   tcpk_behavior_add_points(), from the scan's process context.
 */

#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "behavior/features.h"
#include "behavior/feed.h"
#include "core/common.h"
#include "core/events.h"
#include "core/params.h"
#include "hwmon/hwmon.h"
#include "policy/proc.h"

/* Most slots hwmon_max_tasks may ask for. */
#define TCPK_HWMON_TASKS_LIMIT	4096

/* Tracked processes the scan looks at, at most, to fill free slots. */
#define TCPK_HWMON_ATTACH_VISIT	256

/* Processes the scan starts watching, at most, per run. */
#define TCPK_HWMON_ATTACH_BATCH	16

static unsigned int hwmon_max_tasks = 64;
module_param(hwmon_max_tasks, uint, 0444);
MODULE_PARM_DESC(hwmon_max_tasks,
		 "Most processes the hardware monitors watch at once (default 64, at most 4096)");

static unsigned int hwmon_interval_ms = 1000;
module_param_cb(hwmon_interval_ms, &tcpk_frozen_uint_ops,
		&hwmon_interval_ms, 0644);
MODULE_PARM_DESC(hwmon_interval_ms,
		 "Period of the hardware monitors' scan in ms (default 1000, 100 to 60000)");

static unsigned int hwmon_sample_ms = 200;
module_param(hwmon_sample_ms, uint, 0444);
MODULE_PARM_DESC(hwmon_sample_ms,
		 "CPU time of a watched process between two overflows of its sampling counter, in ms (default 200, 10 to 10000)");

static unsigned int hwmon_busy_pm = 900;
module_param_cb(hwmon_busy_pm, &tcpk_frozen_uint_ops, &hwmon_busy_pm, 0644);
MODULE_PARM_DESC(hwmon_busy_pm,
		 "CPU share, per mille of one CPU, at which a period is busy (default 900; 0 turns the busy and low-IPC signals off)");

static unsigned int hwmon_busy_ms = 3000;
module_param_cb(hwmon_busy_ms, &tcpk_frozen_uint_ops, &hwmon_busy_ms, 0644);
MODULE_PARM_DESC(hwmon_busy_ms,
		 "How long a process must stay busy for the busy signal, in ms (default 3000)");

static unsigned int hwmon_min_ipc = 77;
module_param_cb(hwmon_min_ipc, &tcpk_frozen_uint_ops, &hwmon_min_ipc, 0644);
MODULE_PARM_DESC(hwmon_min_ipc,
		 "Instructions per cycle, Q8 (256 is 1.0), below which a busy process raises the low-IPC signal (default 77, 0.30; 0 off; hardware counters only)");

static unsigned int score_hwmon_busy = 100;
module_param_cb(score_hwmon_busy, &tcpk_frozen_uint_ops,
		&score_hwmon_busy, 0644);
MODULE_PARM_DESC(score_hwmon_busy,
		 "Anomaly score points of the busy signal (default 100)");

static unsigned int score_hwmon_ipc = 200;
module_param_cb(score_hwmon_ipc, &tcpk_frozen_uint_ops, &score_hwmon_ipc, 0644);
MODULE_PARM_DESC(score_hwmon_ipc,
		 "Anomaly score points of the low-IPC signal (default 200)");

static bool cet_expect_shstk;
module_param_cb(cet_expect_shstk, &tcpk_frozen_bool_ops,
		&cet_expect_shstk, 0644);
MODULE_PARM_DESC(cet_expect_shstk,
		 "A watched process without a user shadow stack, on a kernel and CPU that offer one, raises the no-shstk signal (default 0)");

static unsigned int score_cet = 300;
module_param_cb(score_cet, &tcpk_frozen_uint_ops, &score_cet, 0644);
MODULE_PARM_DESC(score_cet,
		 "Anomaly score points of the no-shstk signal and of each control-protection fault (default 300)");

/*
 * The registry, in &enum tcpk_hwmon order.  Filled at load
 * (tcpk_hwmon_init()), read-only afterwards but for &tcpk_hwmon.tasks.
 */
static struct tcpk_hwmon_entry tcpk_hwmons[__TCPK_HWMON_MAX] = {
	[TCPK_HWMON_PERF] = { .ops = &tcpk_hwmon_perf_ops },
	[TCPK_HWMON_INTEL_PT] = { .ops = &tcpk_hwmon_intel_pt_ops },
	[TCPK_HWMON_CET] = { .ops = &tcpk_hwmon_cet_ops },
};

/* Protects the slots and &tcpk_hwmon.tasks; held by the scan and dumps. */
static DEFINE_MUTEX(tcpk_hwmon_mutex);

/* hwmon_max_tasks slots, or NULL if no monitor watches tasks. */
static struct tcpk_hwmon_task *tcpk_hwmon_tasks;
static unsigned int tcpk_hwmon_ntasks;

/* Where the next scan resumes looking for tracked processes (mutex). */
static unsigned long tcpk_hwmon_cursor;

/* The scan may run and rearm; cleared first at unload.  READ_ONCE(). */
static bool tcpk_hwmon_running;

static void tcpk_hwmon_scan(struct work_struct *work);
static DECLARE_DELAYED_WORK(tcpk_hwmon_scan_work, tcpk_hwmon_scan);

static void tcpk_hwmon_kick_fn(struct irq_work *work)
{
	if (READ_ONCE(tcpk_hwmon_running))
		mod_delayed_work(system_wq, &tcpk_hwmon_scan_work, 0);
}

static DEFINE_IRQ_WORK(tcpk_hwmon_kick_work, tcpk_hwmon_kick_fn);

/**
 * tcpk_hwmon_kick() - ask for a scan now
 *
 * Any context, NMI included.
 */
void tcpk_hwmon_kick(void)
{
	irq_work_queue(&tcpk_hwmon_kick_work);
}

/**
 * tcpk_hwmon_sample_ns() - CPU time between two overflows of a task's
 *	sampling counter
 *
 * Return: hwmon_sample_ms in ns, within 10 ms and 10 s.
 */
u64 tcpk_hwmon_sample_ns(void)
{
	u64 ms = clamp(READ_ONCE(hwmon_sample_ms), 10U, 10000U);

	return ms * NSEC_PER_MSEC;
}

/**
 * tcpk_hwmon_limits() - the limits of the perf signals now
 * @l: receives them (module parameters).
 */
void tcpk_hwmon_limits(struct tcpk_hwmon_limits *l)
{
	l->busy_pm = READ_ONCE(hwmon_busy_pm);
	l->busy_ms = READ_ONCE(hwmon_busy_ms);
	l->min_ipc_q8 = READ_ONCE(hwmon_min_ipc);
}

/**
 * tcpk_hwmon_expect_shstk() - whether a task without a shadow stack is a
 *	signal
 *
 * Return: cet_expect_shstk.
 */
bool tcpk_hwmon_expect_shstk(void)
{
	return READ_ONCE(cet_expect_shstk);
}

/* Anomaly score points of @sig. */
static u32 tcpk_hwmon_points(enum tcpk_hwmon_signal sig)
{
	switch (sig) {
	case TCPK_HWMON_SIGNAL_BUSY:
		return READ_ONCE(score_hwmon_busy);
	case TCPK_HWMON_SIGNAL_LOW_IPC:
		return READ_ONCE(score_hwmon_ipc);
	case TCPK_HWMON_SIGNAL_NO_SHSTK:
	case TCPK_HWMON_SIGNAL_CP_FAULT:
		return READ_ONCE(score_cet);
	default:
		return 0;
	}
}

/* Turn the signals @sigs of @t into points and events.  Mutex held. */
static void tcpk_hwmon_signal(struct tcpk_hwmon_task *t, u32 sigs)
{
	struct tcpk_behavior_report b;
	unsigned int sig;
	u32 points;

	for (sig = TCPK_HWMON_SIGNAL_UNSPEC + 1; sig < __TCPK_HWMON_SIGNAL_MAX;
	     sig++) {
		if (!(sigs & BIT(sig)))
			continue;
		t->signals[sig]++;
		points = min(tcpk_hwmon_points(sig), TCPK_SCORE_MAX);
		memset(&b, 0, sizeof(b));
		b.kind = TCPK_BEHAVIOR_HWMON;
		b.signal = sig;
		b.count = t->signals[sig];
		if (tcpk_behavior_add_points(t->task, points, &b))
			t->points = min_t(u64, (u64)t->points + points, U32_MAX);
	}
}

/* Whether @t's process has exited or is no longer tracked. */
static bool tcpk_hwmon_task_gone(struct tcpk_hwmon_task *t)
{
	bool tracked;

	if (!atomic_read(&t->task->signal->live))
		return true;
	rcu_read_lock();
	tracked = tcpk_proc_features(t->task);
	rcu_read_unlock();
	return !tracked;
}

/* Free slot @t: every monitor stops watching it.  Mutex held. */
static void tcpk_hwmon_task_release(struct tcpk_hwmon_task *t)
{
	unsigned int id;

	for (id = 0; id < __TCPK_HWMON_MAX; id++) {
		if (!(t->enabled & BIT(id)))
			continue;
		tcpk_hwmons[id].ops->disable(t);
		tcpk_hwmons[id].tasks--;
	}
	WRITE_ONCE(t->tgid, 0);
	put_task_struct(t->task);
	t->task = NULL;
	t->enabled = 0;
}

/*
 * Watch the process @tgid in the free slot @t, if it is still tracked and
 * alive: every available monitor with per-task work is enabled on it.
 * Mutex held; sleeps.
 */
static void tcpk_hwmon_task_take(struct tcpk_hwmon_task *t, u32 tgid)
{
	struct task_struct *task;
	unsigned int id;
	bool tracked;

	rcu_read_lock();
	task = pid_task(find_pid_ns(tgid, &init_pid_ns), PIDTYPE_TGID);
	tracked = task && tcpk_proc_features(task) &&
		  atomic_read(&task->signal->live);
	if (tracked)
		get_task_struct(task);
	rcu_read_unlock();
	if (!tracked)
		return;

	memset(t, 0, sizeof(*t));
	t->task = task;
	get_task_comm(t->comm, task);
	for (id = 0; id < __TCPK_HWMON_MAX; id++) {
		const struct tcpk_hwmon_ops *ops = tcpk_hwmons[id].ops;

		if (!tcpk_hwmons[id].available || !ops->enable)
			continue;
		if (ops->enable(t)) {
			pr_debug("%s cannot watch pid %u\n", ops->name, tgid);
			continue;
		}
		t->enabled |= BIT(id);
		tcpk_hwmons[id].tasks++;
	}
	if (!t->enabled) {
		put_task_struct(task);
		t->task = NULL;
		return;
	}
	/* The slot is set up before the signal probe can find it. */
	smp_store_release(&t->tgid, tgid);
}

/* Whether a slot watches @tgid.  Mutex held. */
static bool tcpk_hwmon_watched(u32 tgid)
{
	unsigned int i;

	for (i = 0; i < tcpk_hwmon_ntasks; i++)
		if (tcpk_hwmon_tasks[i].tgid == tgid)
			return true;
	return false;
}

/* Fill free slots with tracked processes not yet watched.  Mutex held. */
static void tcpk_hwmon_attach(void)
{
	u32 tgids[TCPK_HWMON_ATTACH_BATCH];
	unsigned int i, n, got;

	if (!tcpk_proc_tracking())
		return;
	got = tcpk_proc_tgids(&tcpk_hwmon_cursor, tgids, ARRAY_SIZE(tgids),
			      TCPK_HWMON_ATTACH_VISIT);
	for (n = 0; n < got; n++) {
		if (tcpk_hwmon_watched(tgids[n]))
			continue;
		for (i = 0; i < tcpk_hwmon_ntasks; i++)
			if (!tcpk_hwmon_tasks[i].tgid)
				break;
		if (i == tcpk_hwmon_ntasks)
			return;
		tcpk_hwmon_task_take(&tcpk_hwmon_tasks[i], tgids[n]);
	}
}

/* Evaluate @t at @now: each monitor watching it, then the signals. */
static void tcpk_hwmon_evaluate(struct tcpk_hwmon_task *t, u64 now)
{
	unsigned int id;
	u32 sigs = 0;

	/* The name it runs under now (an exec changes it). */
	get_task_comm(t->comm, t->task);
	for (id = 0; id < __TCPK_HWMON_MAX; id++)
		if ((t->enabled & BIT(id)) &&
		    tcpk_hwmons[id].ops->check_violation)
			sigs |= tcpk_hwmons[id].ops->check_violation(t, now);
	if (sigs)
		tcpk_hwmon_signal(t, sigs);
}

static void tcpk_hwmon_scan(struct work_struct *work)
{
	unsigned int i;
	u64 now;

	mutex_lock(&tcpk_hwmon_mutex);
	now = ktime_get_ns();
	for (i = 0; i < tcpk_hwmon_ntasks; i++) {
		struct tcpk_hwmon_task *t = &tcpk_hwmon_tasks[i];

		if (!t->tgid)
			continue;
		if (tcpk_hwmon_task_gone(t))
			tcpk_hwmon_task_release(t);
		else
			tcpk_hwmon_evaluate(t, now);
	}
	tcpk_hwmon_attach();
	mutex_unlock(&tcpk_hwmon_mutex);

	if (READ_ONCE(tcpk_hwmon_running))
		queue_delayed_work(system_wq, &tcpk_hwmon_scan_work,
				   msecs_to_jiffies(clamp(READ_ONCE(hwmon_interval_ms),
							  100U, 60000U)));
}

/**
 * tcpk_hwmon_cp_fault() - a process received a control-protection fault
 * @tgid: its tgid.
 *
 * Counted on its slot, if it is watched, and a scan is asked for.  A
 * slot freed and taken again at the same time may count it for the
 * next process: harmless, and the window is one scan.  Any context.
 */
void tcpk_hwmon_cp_fault(u32 tgid)
{
	/* Pairs with the release in tcpk_hwmon_init(): the count is set. */
	struct tcpk_hwmon_task *tasks = smp_load_acquire(&tcpk_hwmon_tasks);
	unsigned int i;

	if (!tasks || !tgid)
		return;
	for (i = 0; i < tcpk_hwmon_ntasks; i++) {
		/* Pairs with tcpk_hwmon_task_take(): the slot is set up. */
		if (smp_load_acquire(&tasks[i].tgid) == tgid) {
			atomic64_inc(&tasks[i].cp_faults);
			tcpk_hwmon_kick();
			return;
		}
	}
}

/**
 * tcpk_hwmon_walk() - visit every watched process
 * @pos: the slot to start from; on return where to resume.
 * @fill: called for each, with the registry's mutex held.
 * @arg: passed to @fill.
 *
 * Process context; sleeps.
 *
 * Return: 0 when every one has been visited, or the error of @fill.
 */
int tcpk_hwmon_walk(unsigned long *pos, tcpk_hwmon_fill_t fill, void *arg)
{
	int err = 0;

	mutex_lock(&tcpk_hwmon_mutex);
	for (; *pos < tcpk_hwmon_ntasks; (*pos)++) {
		if (!tcpk_hwmon_tasks[*pos].tgid)
			continue;
		err = fill(&tcpk_hwmon_tasks[*pos], arg);
		if (err)
			break;
	}
	mutex_unlock(&tcpk_hwmon_mutex);
	return err;
}

/**
 * tcpk_hwmon_info() - a monitor's state
 * @id: which monitor.
 * @info: receives its state.
 *
 * Process context; sleeps.
 */
void tcpk_hwmon_info(enum tcpk_hwmon id, struct tcpk_hwmon_info *info)
{
	const struct tcpk_hwmon_entry *mon = &tcpk_hwmons[id];

	memset(info, 0, sizeof(*info));
	info->id = id;
	info->name = mon->ops->name;
	info->enabled = mon->enabled;
	info->available = mon->available;
	info->hardware = mon->hardware;
	strscpy(info->reason, mon->reason, sizeof(info->reason));
	info->task_limit = clamp(hwmon_max_tasks, 1U, TCPK_HWMON_TASKS_LIMIT);
	mutex_lock(&tcpk_hwmon_mutex);
	info->tasks = mon->tasks;
	mutex_unlock(&tcpk_hwmon_mutex);
}

/**
 * tcpk_hwmon_part() - a monitor as a part of get-status
 * @id: which monitor.
 * @ps: receives enabled, available and the reason.
 */
void tcpk_hwmon_part(enum tcpk_hwmon id, struct tcpk_part_status *ps)
{
	ps->enabled = tcpk_hwmons[id].enabled;
	ps->available = tcpk_hwmons[id].available;
	strscpy(ps->reason, tcpk_hwmons[id].reason, sizeof(ps->reason));
}

/* The administrator's choice for monitor @id. */
static bool tcpk_hwmon_enabled(enum tcpk_hwmon id)
{
	switch (id) {
	case TCPK_HWMON_PERF:
		return tcpk_config.enable_perf;
	case TCPK_HWMON_INTEL_PT:
		return tcpk_config.enable_intel_pt;
	case TCPK_HWMON_CET:
		return tcpk_config.enable_cet;
	default:
		return false;
	}
}

/**
 * tcpk_hwmon_init() - detect and start the monitors
 *
 * Each enabled monitor is asked whether it can work here and started;
 * one that cannot says why.  If any watches tasks, the slots are
 * allocated and the scan starts.  Never fails: a monitor that cannot run
 * is reported, not fatal.  Process context, at load.
 */
void tcpk_hwmon_init(void)
{
	struct tcpk_hwmon_task *tasks;
	bool per_task = false;
	unsigned int id, n;
	int err;

	for (id = 0; id < __TCPK_HWMON_MAX; id++) {
		struct tcpk_hwmon_entry *mon = &tcpk_hwmons[id];
		const char *name = mon->ops->name;

		mon->enabled = tcpk_hwmon_enabled(id);
		mon->available = mon->ops->available(mon) && mon->enabled;
		if (!mon->available)
			continue;
		if (mon->ops->init) {
			err = mon->ops->init();
			if (err) {
				mon->available = false;
				snprintf(mon->reason, sizeof(mon->reason),
					 "%s: init failed (%d)", name, err);
				pr_warn("hardware monitor %s unavailable: init failed (%d)\n",
					name, err);
				continue;
			}
		}
		per_task |= !!mon->ops->enable;
	}
	if (!per_task)
		return;

	n = clamp(hwmon_max_tasks, 1U, TCPK_HWMON_TASKS_LIMIT);
	tasks = kvcalloc(n, sizeof(*tasks), GFP_KERNEL_ACCOUNT);
	if (!tasks) {
		for (id = 0; id < __TCPK_HWMON_MAX; id++) {
			struct tcpk_hwmon_entry *mon = &tcpk_hwmons[id];

			if (!mon->available || !mon->ops->enable)
				continue;
			if (mon->ops->exit)
				mon->ops->exit();
			mon->available = false;
			strscpy(mon->reason, "no memory for the task slots",
				sizeof(mon->reason));
		}
		pr_warn("hardware monitors unavailable: no memory for %u task slots\n",
			n);
		return;
	}
	tcpk_hwmon_ntasks = n;
	/* tcpk_hwmon_cp_fault() reads the count once it sees the slots. */
	smp_store_release(&tcpk_hwmon_tasks, tasks);
	WRITE_ONCE(tcpk_hwmon_running, true);
	queue_delayed_work(system_wq, &tcpk_hwmon_scan_work, 0);
}

/**
 * tcpk_hwmon_exit() - stop the monitors
 *
 * Stops the scan, frees every slot (releasing the counters), then stops
 * each monitor.  No overflow handler or signal probe runs after this.
 * Idempotent: a second call stops nothing twice.  Process context; sleeps.
 */
void tcpk_hwmon_exit(void)
{
	unsigned int i, id;

	WRITE_ONCE(tcpk_hwmon_running, false);
	irq_work_sync(&tcpk_hwmon_kick_work);
	cancel_delayed_work_sync(&tcpk_hwmon_scan_work);

	mutex_lock(&tcpk_hwmon_mutex);
	for (i = 0; i < tcpk_hwmon_ntasks; i++)
		if (tcpk_hwmon_tasks[i].tgid)
			tcpk_hwmon_task_release(&tcpk_hwmon_tasks[i]);
	mutex_unlock(&tcpk_hwmon_mutex);
	/* A handler that ran before its counter was released may have kicked. */
	irq_work_sync(&tcpk_hwmon_kick_work);

	/*
	 * With every slot free, the monitors' probes find none; then they go,
	 * each once: a second call (the KUnit suites' exit after a case's
	 * own) finds none available.
	 */
	for (id = 0; id < __TCPK_HWMON_MAX; id++) {
		if (tcpk_hwmons[id].available && tcpk_hwmons[id].ops->exit)
			tcpk_hwmons[id].ops->exit();
		tcpk_hwmons[id].available = false;
	}
	kvfree(tcpk_hwmon_tasks);
	tcpk_hwmon_tasks = NULL;
	tcpk_hwmon_ntasks = 0;
}
