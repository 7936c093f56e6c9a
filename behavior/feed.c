// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the behavioural feed
 *
 * What processes do over time, beyond single operations, for the
 * processes the module tracks (agents and their descendants, processes
 * with a decision history or quarantined: the per-process table of
 * policy/proc.c); other processes cost one racy read of the table's size
 * and, while any process is tracked, one table lookup.
 *
 * - sys_exit tracepoint (module probe, not BPF: measured cheaper, see
 *   Documentation/behavior.rst): counts system calls, and those failing
 *   with EACCES, EPERM or ENOENT in a window (fail_burst_window_ms); a
 *   window reaching fail_burst failures is a burst (probing): an event
 *   and score_fail_burst points.  A write-family call that wrote at least
 *   large_write_bytes is a large write: an event with the size and the
 *   file, and score_large_write points.  It also closes the rate window.
 * - context switches: the scheduler's own per-thread counts, summed when
 *   a rate window closes and when the table is read; no sched_switch
 *   probe (toggling that tracepoint's static key at every load and unload
 *   crashed a 6.12 guest under QEMU TCG, and it would cost every switch).
 * - socket_sendmsg hook: bytes sent.  mmap_file and file_mprotect hooks:
 *   W+X memory, score_wx points.
 *
 * Registering a sys_exit probe makes every task take the slow system
 * call exit path (TIF_SYSCALL_TRACEPOINT), as any user of the tracepoint
 * does.  It is off by default (syscall_feed=1 at load turns it on): each
 * load and unload with it repatches the sys_exit static-key site, and
 * under QEMU TCG (our test machines) that crashed a stock 6.12 guest
 * with an int3 left in syscall_exit_to_user_mode_prepare() during the
 * load/unload test.
 */

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/unistd.h>
#include <asm/syscall.h>

#include "behavior/feed.h"
#include "behavior/sequence.h"
#include "core/common.h"
#include "core/events.h"
#include "core/params.h"
#include "policy/proc.h"

/*
 * Room for the file name of a large write; the event keeps
 * TCPK_EVENT_PATH_LEN bytes of it.
 */
#define TCPK_FEED_PATH_LEN	512

bool tcpk_syscall_feed;
module_param_named(syscall_feed, tcpk_syscall_feed, bool, 0444);
MODULE_PARM_DESC(syscall_feed,
		 "Follow system call exits of tracked processes (failure bursts, large writes, rates); read at load (default N)");

static unsigned int fail_burst = 64;
module_param_cb(fail_burst, &tcpk_frozen_uint_ops, &fail_burst, 0644);
MODULE_PARM_DESC(fail_burst,
		 "Failing system calls (EACCES, EPERM, ENOENT) in one window that make a burst; 0 disables (default 64)");

static unsigned int fail_burst_window_ms = 1000;
module_param_cb(fail_burst_window_ms, &tcpk_frozen_uint_ops,
		&fail_burst_window_ms, 0644);
MODULE_PARM_DESC(fail_burst_window_ms,
		 "Length of the failure and rate windows, in ms (default 1000)");

static unsigned int large_write_bytes = 1U << 20;
module_param_cb(large_write_bytes, &tcpk_frozen_uint_ops,
		&large_write_bytes, 0644);
MODULE_PARM_DESC(large_write_bytes,
		 "A write of at least this many bytes by a tracked process is a large write; 0 disables (default 1048576)");

static unsigned int score_fail_burst = 200;
module_param_cb(score_fail_burst, &tcpk_frozen_uint_ops,
		&score_fail_burst, 0644);
MODULE_PARM_DESC(score_fail_burst,
		 "Anomaly score points of a failure burst (default 200; scores run from 0 to 1000)");

static unsigned int score_large_write = 100;
module_param_cb(score_large_write, &tcpk_frozen_uint_ops,
		&score_large_write, 0644);
MODULE_PARM_DESC(score_large_write,
		 "Anomaly score points of a large write (default 100)");

static unsigned int score_half_life_ms = 600000;
module_param_cb(score_half_life_ms, &tcpk_frozen_uint_ops,
		&score_half_life_ms, 0644);
MODULE_PARM_DESC(score_half_life_ms,
		 "Anomaly scores halve every this many ms (default 600000, 10 minutes; 0: no decay)");

static unsigned int quarantine_score;
module_param_cb(quarantine_score, &tcpk_frozen_uint_ops,
		&quarantine_score, 0644);
MODULE_PARM_DESC(quarantine_score,
		 "Anomaly score at which a process is quarantined (levels 2 and 3; an event at level 1); 0: the level's (900 at 2, 600 at 3, none below); above 1000: never (default 0)");

static unsigned int score_wx = 300;
module_param_cb(score_wx, &tcpk_frozen_uint_ops, &score_wx, 0644);
MODULE_PARM_DESC(score_wx,
		 "Anomaly score points of a W+X mapping or W to X mprotect (default 300)");

/*
 * Per-CPU buffer for the file name of a large write: used with
 * preemption disabled (get_cpu_ptr()), never from interrupts.
 */
static DEFINE_PER_CPU(char [TCPK_FEED_PATH_LEN], tcpk_feed_path);

static bool tcpk_feed_on(void)
{
	return tcpk_security_level_get() != TCPK_LEVEL_OFF &&
	       tcpk_proc_tracking() && !(current->flags & PF_KTHREAD);
}

/**
 * tcpk_score_half_life() - the anomaly scores' half-life
 *
 * Return: ``score_half_life_ms``; 0 means scores do not decay.
 */
u32 tcpk_score_half_life(void)
{
	return READ_ONCE(score_half_life_ms);
}

/**
 * tcpk_quarantine_threshold() - the score at which a process is quarantined
 * @level: the security level.
 *
 * ``quarantine_score`` if set, else the level's default: 900 at enforce,
 * 600 at paranoid, none at monitor and off.
 *
 * Return: the threshold, 1 to 1000, or 0 for none.
 */
u32 tcpk_quarantine_threshold(unsigned int level)
{
	unsigned int t = READ_ONCE(quarantine_score);

	if (level == TCPK_LEVEL_OFF)
		return 0;
	if (!t)
		return level == TCPK_LEVEL_PARANOID ? 600 :
		       level == TCPK_LEVEL_ENFORCE ? 900 : 0;
	return t > TCPK_SCORE_MAX ? 0 : t;
}

/**
 * tcpk_behavior_scored() - current's process's score changed
 * @score: the new score.
 *
 * At or above the level's quarantine threshold (tcpk_quarantine_threshold())
 * this is a ``threshold`` event, and at levels 2 and 3 the process is
 * quarantined (held until ``tcp-policy release``) unless it is already.
 * Called after every addition to a score, outside the features' lock.
 * Any context that may not sleep.
 */
void tcpk_behavior_scored(u32 score)
{
	tcpk_behavior_scored_of(current, score);
}

/**
 * tcpk_behavior_scored_of() - a process's score changed
 * @task: a thread of the process (current, or one the caller holds a
 *	reference to).
 * @score: the new score.
 *
 * As tcpk_behavior_scored(), for any process.  Any context that may not
 * sleep.
 */
void tcpk_behavior_scored_of(struct task_struct *task, u32 score)
{
	struct tcpk_behavior_report b = { .kind = TCPK_BEHAVIOR_THRESHOLD };
	unsigned int level = tcpk_security_level_get();
	u32 t = tcpk_quarantine_threshold(level);
	u32 pid = task->tgid;

	if (!t || score < t)
		return;
	if (level >= TCPK_LEVEL_ENFORCE) {
		if (tcpk_proc_quarantined(pid))
			return;
		tcpk_proc_quarantine(pid);
	}
	b.count = t;
	b.score = score;
	tcpk_event_behavior_of(task, &b);
}

/* Adds @points to @f's score; returns the new score.  Takes @f->lock. */
static u32 tcpk_feed_score(struct tcpk_features *f, u32 points)
{
	unsigned long flags;
	u32 score;

	spin_lock_irqsave(&f->lock, flags);
	score = tcpk_features_score_add(f, points, ktime_get_coarse_ns(),
					tcpk_score_half_life());
	spin_unlock_irqrestore(&f->lock, flags);
	return score;
}

/**
 * tcpk_behavior_cost_score() - score updates of a scratch state, for the
 *	cost command (core/cost.c)
 * @f: the caller's private features (tcpk_features_init()), never a
 *	process's.
 * @n: updates.
 *
 * Each update is what a behaviour that scores does to its process's
 * features (tcpk_feed_score()): the lock, the decay of the score to now
 * and the addition of one point.  Nothing else: no threshold check,
 * quarantine, event or counter.  Never sleeps.
 *
 * Return: the last score, so that the compiler keeps the work.
 */
u32 tcpk_behavior_cost_score(struct tcpk_features *f, u32 n)
{
	u32 i, score = 0;

	for (i = 0; i < n; i++)
		score = tcpk_feed_score(f, 1);
	return score;
}

/*
 * The file descriptor a write-family system call @nr wrote to, or -1 if
 * @nr is not one.  Native x86_64 calls only: a 32-bit (compat) call has
 * other numbers and is not looked at.
 */
static int tcpk_feed_write_fd(struct pt_regs *regs, long nr)
{
	unsigned long args[6];

	if (in_ia32_syscall())
		return -1;
	syscall_get_arguments(current, regs, args);
	switch (nr) {
	case __NR_write:
	case __NR_pwrite64:
	case __NR_writev:
	case __NR_pwritev:
	case __NR_pwritev2:
	case __NR_sendfile:		/* out_fd, in_fd, ... */
		return (int)args[0];
	case __NR_copy_file_range:	/* fd_in, off_in, fd_out, ... */
	case __NR_splice:
		return (int)args[2];
	default:
		return -1;
	}
}

/* The name of current's file @fd into @buf, or "?" (no sleeping). */
static const char *tcpk_feed_fd_path(int fd, char *buf, size_t len)
{
	struct file *file = fget(fd);
	const char *s = "?";
	char *p;

	if (!file)
		return s;
	p = d_path(&file->f_path, buf, len);
	if (!IS_ERR(p))
		s = p;
	/* The last reference, if it is, is put from task work. */
	fput(file);
	return s;
}

static void tcpk_feed_large_write(struct tcpk_features *f, int fd, long ret)
{
	struct tcpk_behavior_report b = {
		.kind = TCPK_BEHAVIOR_LARGE_WRITE, .count = 1, .bytes = ret,
	};
	char *buf;

	atomic64_inc(&f->large_writes);
	atomic64_add(ret, &f->large_write_bytes);
	b.score = tcpk_feed_score(f, READ_ONCE(score_large_write));
	buf = get_cpu_ptr(tcpk_feed_path);
	b.path = tcpk_feed_fd_path(fd, buf, TCPK_FEED_PATH_LEN);
	tcpk_event_behavior(&b);
	put_cpu_ptr(tcpk_feed_path);
	tcpk_behavior_scored(b.score);
}

static void tcpk_feed_exit(struct tcpk_features *f, struct pt_regs *regs,
			   long ret)
{
	struct tcpk_behavior_report b = { .kind = TCPK_BEHAVIOR_FAIL_BURST };
	unsigned int large = READ_ONCE(large_write_bytes);
	unsigned int window_ms = READ_ONCE(fail_burst_window_ms);
	/* The coarse clock (one tick's resolution) is enough for windows. */
	u64 now = ktime_get_coarse_ns(), len = (u64)window_ms * NSEC_PER_MSEC;
	bool failed, burst = false;
	unsigned long flags;
	int fd = -1;

	atomic64_inc(&f->syscalls);
	failed = ret == -EACCES || ret == -EPERM || ret == -ENOENT;
	if (failed)
		atomic64_inc(&f->failures);
	if (failed || now - READ_ONCE(f->rate_start) >= len) {
		spin_lock_irqsave(&f->lock, flags);
		if (now - f->rate_start >= len)
			atomic64_set(&f->ctxsw, tcpk_behavior_ctxsw(current));
		tcpk_features_tick(f, now, len);
		if (failed) {
			burst = tcpk_window_add(&f->fails, now, len,
						READ_ONCE(fail_burst));
			b.count = f->fails.count;
		}
		if (burst)
			b.score = tcpk_features_score_add(f,
							  READ_ONCE(score_fail_burst),
							  now, tcpk_score_half_life());
		spin_unlock_irqrestore(&f->lock, flags);
	}
	if (burst) {
		atomic64_inc(&f->fail_bursts);
		b.window_ms = window_ms;
		tcpk_event_behavior(&b);
		tcpk_behavior_scored(b.score);
	}
	if (large && ret >= (long)large)
		fd = tcpk_feed_write_fd(regs, syscall_get_nr(current, regs));
	if (fd >= 0)
		tcpk_feed_large_write(f, fd, ret);
	tcpk_sequence_syscall(f, syscall_get_nr(current, regs), ret);
}

/**
 * tcpk_sys_exit_probe() - probe of the sys_exit tracepoint
 * @data: unused.
 * @regs: the registers of the system call.
 * @ret: its return value.
 *
 * Process context, on the way out of a system call; must not sleep.
 */
void tcpk_sys_exit_probe(void *data, struct pt_regs *regs, long ret)
{
	struct tcpk_features *f;

	if (!tcpk_feed_on())
		return;
	rcu_read_lock();
	f = tcpk_proc_features(current);
	if (f)
		tcpk_feed_exit(f, regs, ret);
	rcu_read_unlock();
}

/**
 * tcpk_behavior_ctxsw() - context switches of a process so far
 * @task: a thread of it.
 *
 * What the scheduler counts anyway (voluntary and involuntary, of the
 * live threads and of those gone, as getrusage() adds them): no probe on
 * sched_switch is needed.  Counts since the process started.  Caller
 * holds rcu_read_lock(); never sleeps.
 *
 * Return: the count.
 */
u64 tcpk_behavior_ctxsw(struct task_struct *task)
{
	struct signal_struct *sig = task->signal;
	struct task_struct *t;
	u64 n = READ_ONCE(sig->nvcsw) + READ_ONCE(sig->nivcsw);

	for_each_thread(task, t)
		n += READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw);
	return n;
}

/**
 * tcpk_behavior_add_points() - raise a process's score from outside it
 * @task: a thread of the process, whose reference the caller holds.
 * @points: the points.
 * @b: the behaviour event to queue; its score is filled in.
 *
 * For the hardware monitors, whose evaluation runs in a worker.  Nothing
 * happens if the process is not tracked, or at security level 0.
 * Otherwise the score rises, @b is queued and the threshold is checked
 * (tcpk_behavior_scored_of()).  Any context that may not sleep.
 *
 * Return: the new score, or 0 if nothing happened.
 */
u32 tcpk_behavior_add_points(struct task_struct *task, u32 points,
			     struct tcpk_behavior_report *b)
{
	struct tcpk_features *f;

	if (tcpk_security_level_get() == TCPK_LEVEL_OFF)
		return 0;
	rcu_read_lock();
	f = tcpk_proc_features(task);
	if (f) {
		b->score = tcpk_feed_score(f, points);
		tcpk_event_behavior_of(task, b);
		tcpk_behavior_scored_of(task, b->score);
	}
	rcu_read_unlock();
	return f ? b->score : 0;
}

/**
 * tcpk_behavior_sent() - count bytes current's process hands to sendmsg
 * @size: the bytes (from the socket_sendmsg hook).
 *
 * Any context that may not sleep.
 */
void tcpk_behavior_sent(int size)
{
	struct tcpk_features *f;

	if (size <= 0 || !in_task() || !tcpk_feed_on())
		return;
	rcu_read_lock();
	f = tcpk_proc_features(current);
	if (f) {
		atomic64_inc(&f->sends);
		atomic64_add(size, &f->bytes_sent);
	}
	rcu_read_unlock();
}

/**
 * tcpk_behavior_wx() - current's process asked for W+X memory
 *
 * From the mmap_file and file_mprotect hooks, whatever policy then
 * decides.  Starts tracking the process if it was not (W+X memory is
 * worth watching), raises its score by score_wx and queues an event.
 * Any context that may not sleep.
 */
void tcpk_behavior_wx(void)
{
	struct tcpk_behavior_report b = { .kind = TCPK_BEHAVIOR_WX };
	struct tcpk_features *f;

	if (!in_task() || tcpk_security_level_get() == TCPK_LEVEL_OFF ||
	    (current->flags & PF_KTHREAD))
		return;
	rcu_read_lock();
	f = tcpk_proc_features_get(current);
	if (f) {
		b.count = atomic64_inc_return(&f->wx);
		b.score = tcpk_feed_score(f, READ_ONCE(score_wx));
		tcpk_event_behavior(&b);
		tcpk_behavior_scored(b.score);
	}
	rcu_read_unlock();
}
