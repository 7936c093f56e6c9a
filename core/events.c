// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - policy events: the "events" multicast group and the audit log
 *
 * Producers (tcpk_event_*()) run wherever the policy decides or changes:
 * hooks and tracepoints that may not sleep, and netlink handlers.  Each
 * copies its event, strings included, into one slot of a ring of
 * ``event_queue_len`` slots allocated at load, takes a sequence number
 * and schedules the work item; if the ring is full the event is counted
 * as dropped instead.  Either way it used a sequence number, so a gap in
 * the numbers a listener sees means a loss.
 *
 * The work item (system workqueue, process context) takes the events out
 * one at a time and multicasts each to the "events" group, with the total
 * of drops so far; an event that finds no listener is not a loss, one
 * that cannot be allocated or delivered is.  Enforced denials are also
 * written to the audit log, as AUDIT_AVC records in the manner of
 * AppArmor; would-deny decisions and alerts are events only.
 */

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "core/events.h"
#include "core/params.h"
#include "core/netlink.h"
#include "core/policy_nl.h"
#include "policy/proc.h"

#define TCPK_EVENT_QUEUE_DEFAULT	1024
#define TCPK_EVENT_QUEUE_MAX		65536

/* Events the worker handles before it yields the workqueue to others. */
#define TCPK_EVENT_BATCH		64

static unsigned int tcpk_event_queue_len = TCPK_EVENT_QUEUE_DEFAULT;

static int tcpk_event_queue_len_set(const char *val,
				    const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || !n || n > TCPK_EVENT_QUEUE_MAX)
		return -EINVAL;
	if (tcpk_param_frozen(kp))
		return -EPERM;
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops tcpk_event_queue_len_ops = {
	.set = tcpk_event_queue_len_set,
	.get = param_get_uint,
};

module_param_cb(event_queue_len, &tcpk_event_queue_len_ops,
		&tcpk_event_queue_len, 0444);
MODULE_PARM_DESC(event_queue_len,
		 "Events queued for the events group and the audit log, 1 to 65536 (default 1024)");

/**
 * struct tcpk_event_queue - the ring of events waiting for the worker
 * @lock: protects every other member.  Taken with interrupts disabled:
 *	producers run in hooks and BPF programs, whose context this file
 *	cannot bound.
 * @ring: @size slots, allocated at init, freed at exit.
 * @size: number of slots (``event_queue_len`` at load).
 * @head: index of the oldest queued event.
 * @count: events queued.
 * @peak: most events queued at once since load.
 * @next_seq: sequence number of the next event produced.
 * @stopping: set by tcpk_events_exit(): producers queue nothing more and
 *	no longer schedule the worker.
 */
struct tcpk_event_queue {
	spinlock_t lock;	/* the members below; irqsave */
	struct tcpk_event *ring;
	unsigned int size;
	unsigned int head;
	unsigned int count;
	unsigned int peak;
	u64 next_seq;
	bool stopping;
};

static struct tcpk_event_queue tcpk_evq = {
	.lock = __SPIN_LOCK_UNLOCKED(tcpk_evq.lock),
	.stopping = true,
};

/*
 * Counters, read locklessly: @dropped and @audit_lost are written by
 * producers (ring full) and the worker (no memory, delivery failed, no
 * audit buffer), the others by the worker only.
 */
static atomic64_t tcpk_events_emitted;
static atomic64_t tcpk_events_dropped;
static atomic64_t tcpk_events_audit_records;
static atomic64_t tcpk_events_audit_lost;

/* The worker's copy of the event it handles (one worker at a time). */
static struct tcpk_event *tcpk_event_scratch;

static void tcpk_events_work_fn(struct work_struct *work);
static DECLARE_WORK(tcpk_events_work, tcpk_events_work_fn);

/*
 * Take a slot of the ring, fill it with @fill and queue it.  Never
 * sleeps.  An event that finds the ring full is dropped, but consumes
 * its sequence number.  Return: whether it was queued.
 */
static bool tcpk_event_queue(u32 type,
			     void (*fill)(struct tcpk_event *ev,
					  const void *arg),
			     const void *arg)
{
	struct tcpk_event *ev;
	unsigned long flags;
	u64 now = ktime_get_boottime_ns();
	bool queued = false;

	spin_lock_irqsave(&tcpk_evq.lock, flags);
	if (tcpk_evq.stopping)
		goto unlock;
	if (tcpk_evq.count == tcpk_evq.size) {
		tcpk_evq.next_seq++;
		atomic64_inc(&tcpk_events_dropped);
		goto unlock;
	}
	ev = &tcpk_evq.ring[(tcpk_evq.head + tcpk_evq.count) % tcpk_evq.size];
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->seq = tcpk_evq.next_seq++;
	ev->time = now;
	fill(ev, arg);
	tcpk_evq.count++;
	tcpk_evq.peak = max(tcpk_evq.peak, tcpk_evq.count);
	queued = true;
	/* Under the lock, so that tcpk_events_exit() has the last word. */
	schedule_work(&tcpk_events_work);
unlock:
	spin_unlock_irqrestore(&tcpk_evq.lock, flags);
	return queued;
}

/**
 * struct tcpk_event_decision_arg - what a decision event is made of
 * @req: the request.
 * @d: the decision.
 */
struct tcpk_event_decision_arg {
	const struct tcpk_request *req;
	const struct tcpk_decision *d;
};

static void tcpk_event_fill_decision(struct tcpk_event *ev, const void *data)
{
	const struct tcpk_event_decision_arg *arg = data;
	const struct tcpk_request *req = arg->req;

	ev->pid = req->pid;
	ev->uid = req->uid;
	ev->op = req->op;
	ev->d = *arg->d;
	if (req->comm)
		strscpy(ev->comm, req->comm, sizeof(ev->comm));
	if (req->agent)
		strscpy(ev->agent, req->agent, sizeof(ev->agent));
	if (req->path)
		strscpy(ev->path, req->path, sizeof(ev->path));
}

/**
 * tcpk_event_decision() - queue the event of a decision
 * @req: the request decided; its strings are copied (the path truncated
 *	to %TCPK_EVENT_PATH_LEN - 1 bytes).
 * @d: the decision.
 *
 * For decisions that denied, would have denied or alerted; the policy
 * engine decides which.  A denial whose event finds the queue full gets
 * no audit record either, and counts in audit_records_lost too.  Any
 * context that may not sleep.
 */
void tcpk_event_decision(const struct tcpk_request *req,
			 const struct tcpk_decision *d)
{
	struct tcpk_event_decision_arg arg = { .req = req, .d = d };

	if (!tcpk_event_queue(TCPK_EVENT_DECISION, tcpk_event_fill_decision,
			      &arg) &&
	    d->verdict == TCPK_VERDICT_DENY)
		atomic64_inc(&tcpk_events_audit_lost);
}

/**
 * struct tcpk_event_policy_arg - what a policy event is made of
 * @generation: the generation of the new rule set.
 * @rules: its number of rules.
 */
struct tcpk_event_policy_arg {
	u64 generation;
	unsigned int rules;
};

static void tcpk_event_fill_policy(struct tcpk_event *ev, const void *data)
{
	const struct tcpk_event_policy_arg *arg = data;

	ev->generation = arg->generation;
	ev->rules = arg->rules;
}

/**
 * tcpk_event_policy() - queue the event of a new rule set
 * @generation: its generation.
 * @rules: its number of rules.
 *
 * Any context that may not sleep.
 */
void tcpk_event_policy(u64 generation, unsigned int rules)
{
	struct tcpk_event_policy_arg arg = {
		.generation = generation, .rules = rules,
	};

	tcpk_event_queue(TCPK_EVENT_POLICY, tcpk_event_fill_policy, &arg);
}

static void tcpk_event_fill_mode(struct tcpk_event *ev, const void *data)
{
	ev->mode = *(const struct tcpk_mode *)data;
}

/**
 * tcpk_event_mode() - queue the event of a mode change
 * @mode: the mode now in force.
 *
 * Any context that may not sleep.
 */
void tcpk_event_mode(const struct tcpk_mode *mode)
{
	tcpk_event_queue(TCPK_EVENT_MODE, tcpk_event_fill_mode, mode);
}

/**
 * struct tcpk_event_agent_arg - what an agent-start event is made of
 * @pid: the labelled process.
 * @comm: its command name, or NULL.
 * @agent: the label.
 */
struct tcpk_event_agent_arg {
	u32 pid;
	const char *comm;
	const char *agent;
};

static void tcpk_event_fill_agent(struct tcpk_event *ev, const void *data)
{
	const struct tcpk_event_agent_arg *arg = data;

	ev->pid = arg->pid;
	if (arg->comm)
		strscpy(ev->comm, arg->comm, sizeof(ev->comm));
	if (arg->agent)
		strscpy(ev->agent, arg->agent, sizeof(ev->agent));
}

/**
 * tcpk_event_agent_start() - queue the event of a new agent session
 * @pid: the process labelled.
 * @comm: its command name, or NULL.
 * @agent: the label.
 * @session: the session id (not part of the event: the uapi has no
 *	attribute for it; tcp-policy agents shows it).
 *
 * Any context that may not sleep.
 */
void tcpk_event_agent_start(u32 pid, const char *comm, const char *agent,
			    u64 session)
{
	struct tcpk_event_agent_arg arg = {
		.pid = pid, .comm = comm, .agent = agent,
	};

	tcpk_event_queue(TCPK_EVENT_AGENT_START, tcpk_event_fill_agent, &arg);
}

static void tcpk_event_fill_lock(struct tcpk_event *ev, const void *data)
{
	ev->pid = task_tgid_nr(current);
	ev->uid = from_kuid(&init_user_ns, current_uid());
	get_task_comm(ev->comm, current);
	tcpk_policy_mode_get(&ev->mode);
}

/**
 * tcpk_event_lock() - queue the event of the module being locked
 *
 * The subject is the calling process (the one that locked it); the event
 * carries the mode in force.  Process context.
 */
void tcpk_event_lock(void)
{
	tcpk_event_queue(TCPK_EVENT_LOCK, tcpk_event_fill_lock, NULL);
}

/**
 * struct tcpk_event_behavior_arg - what a behaviour event is made of
 * @task: a thread of the process.
 * @b: what the process did.
 * @agent: its agent label, or NULL.
 */
struct tcpk_event_behavior_arg {
	struct task_struct *task;
	const struct tcpk_behavior_report *b;
	const char *agent;
};

static void tcpk_event_fill_behavior(struct tcpk_event *ev, const void *data)
{
	const struct tcpk_event_behavior_arg *arg = data;
	const struct tcpk_behavior_report *b = arg->b;

	ev->pid = arg->task->tgid;
	/* The caller holds RCU for the credentials. */
	ev->uid = from_kuid(&init_user_ns, task_uid(arg->task));
	strscpy_pad(ev->comm, arg->task->comm, sizeof(ev->comm));
	if (arg->agent)
		strscpy(ev->agent, arg->agent, sizeof(ev->agent));
	ev->behavior = b->kind;
	ev->count = b->count;
	ev->bytes = b->bytes;
	ev->score = b->score;
	ev->window_ms = b->window_ms;
	if (b->path)
		strscpy(ev->path, b->path, sizeof(ev->path));
	if (b->pattern)
		strscpy(ev->pattern, b->pattern, sizeof(ev->pattern));
	ev->pattern_id = b->pattern_id;
	ev->signal = b->signal;
}

/**
 * tcpk_event_behavior() - queue the event of something current's process
 *	did that raised its anomaly score
 * @b: what it did; the path is copied (truncated to
 *	%TCPK_EVENT_PATH_LEN - 1 bytes).
 *
 * The subject is current.  Any context that may not sleep, but not
 * under a runqueue lock (queueing wakes the events worker).
 */
void tcpk_event_behavior(const struct tcpk_behavior_report *b)
{
	tcpk_event_behavior_of(current, b);
}

/**
 * tcpk_event_behavior_of() - queue the event of something a process did
 *	that raised its anomaly score
 * @task: a thread of the process (current, or one the caller holds a
 *	reference to).
 * @b: what it did, as for tcpk_event_behavior().
 *
 * Any context that may not sleep, but not under a runqueue lock.
 */
void tcpk_event_behavior_of(struct task_struct *task,
			    const struct tcpk_behavior_report *b)
{
	struct tcpk_event_behavior_arg arg = { .task = task, .b = b };
	struct tcpk_agent *agent;

	rcu_read_lock();
	agent = tcpk_agent_of(task);
	arg.agent = agent ? agent->name : NULL;
	tcpk_event_queue(TCPK_EVENT_BEHAVIOR, tcpk_event_fill_behavior, &arg);
	rcu_read_unlock();
}

static void tcpk_event_fill_flow(struct tcpk_event *ev, const void *data)
{
	ev->flow = *(const struct tcpk_xdp_flow_report *)data;
}

/**
 * tcpk_event_flow() - queue a flow event of the XDP flow monitor
 * @r: the flow and what is new about it; copied.
 *
 * The event has no subject: a packet belongs to no process.  Any context
 * that may not sleep, softirq included.
 */
void tcpk_event_flow(const struct tcpk_xdp_flow_report *r)
{
	tcpk_event_queue(TCPK_EVENT_FLOW, tcpk_event_fill_flow, r);
}

/**
 * tcpk_event_lost() - count an event its producer chose not to queue
 *
 * For producers that rate-limit their events: the event consumes a
 * sequence number and counts as dropped, so that listeners see the gap.
 * Any context that may not sleep.
 */
void tcpk_event_lost(void)
{
	unsigned long flags;

	spin_lock_irqsave(&tcpk_evq.lock, flags);
	tcpk_evq.next_seq++;
	atomic64_inc(&tcpk_events_dropped);
	spin_unlock_irqrestore(&tcpk_evq.lock, flags);
}

/*
 * An untrusted string in an audit record, as the kernel's own
 * audit_log_untrustedstring() (not exported) writes it: quoted if it has
 * no quote, space or control character, else in upper-case hex, so that
 * a comm or a path cannot forge fields of the record; "?" for a string
 * the event does not have.
 */
static void tcpk_audit_string(struct audit_buffer *ab, const char *field,
			      const char *s)
{
	const unsigned char *p;

	audit_log_format(ab, " %s=", field);
	if (!*s) {
		audit_log_format(ab, "?");
		return;
	}
	for (p = s; *p; p++)
		if (*p == '"' || *p < 0x21 || *p > 0x7e)
			break;
	if (!*p) {
		audit_log_format(ab, "\"%s\"", s);
		return;
	}
	for (p = s; *p; p++)
		audit_log_format(ab, "%02X", *p);
}

/*
 * The AUDIT_AVC record of an enforced denial.  The worker has no audit
 * context (it is not a system call): the record stands alone.
 */
static void tcpk_event_audit(const struct tcpk_event *ev)
{
	struct audit_buffer *ab;

	/* NULL: audit is off, or its backlog is full (audit counts that). */
	ab = audit_log_start(NULL, GFP_KERNEL, AUDIT_AVC);
	if (!ab) {
		atomic64_inc(&tcpk_events_audit_lost);
		return;
	}
	audit_log_format(ab,
			 "tcp_kernel=\"DENIED\" operation=\"%s\" rule=%u action=\"%s\" pid=%u uid=%u",
			 tcpk_op_name(ev->op), ev->d.rule_id,
			 tcpk_action_name(ev->d.action), ev->pid, ev->uid);
	tcpk_audit_string(ab, "comm", ev->comm);
	tcpk_audit_string(ab, "agent", ev->agent);
	tcpk_audit_string(ab, "path", ev->path);
	audit_log_end(ab);
	atomic64_inc(&tcpk_events_audit_records);
}

/* Take the oldest event into @ev; false if there is none. */
static bool tcpk_event_dequeue(struct tcpk_event *ev)
{
	unsigned long flags;
	bool got = false;

	spin_lock_irqsave(&tcpk_evq.lock, flags);
	if (tcpk_evq.count) {
		*ev = tcpk_evq.ring[tcpk_evq.head];
		tcpk_evq.head = (tcpk_evq.head + 1) % tcpk_evq.size;
		tcpk_evq.count--;
		got = true;
	}
	spin_unlock_irqrestore(&tcpk_evq.lock, flags);
	return got;
}

static void tcpk_events_work_fn(struct work_struct *work)
{
	struct tcpk_event *ev = tcpk_event_scratch;
	unsigned int n;
	int err;

	for (n = 0; n < TCPK_EVENT_BATCH; n++) {
		if (!tcpk_event_dequeue(ev))
			return;
		err = tcpk_netlink_event_send(ev,
					      atomic64_read(&tcpk_events_dropped));
		if (!err)
			atomic64_inc(&tcpk_events_emitted);
		else if (err != -ESRCH)
			atomic64_inc(&tcpk_events_dropped);
		if (ev->type == TCPK_EVENT_DECISION &&
		    ev->d.verdict == TCPK_VERDICT_DENY)
			tcpk_event_audit(ev);
		cond_resched();
	}
	/* More may be queued: let other work run, then go on. */
	spin_lock_irq(&tcpk_evq.lock);
	if (tcpk_evq.count && !tcpk_evq.stopping)
		schedule_work(&tcpk_events_work);
	spin_unlock_irq(&tcpk_evq.lock);
}

/**
 * tcpk_events_init() - allocate the event ring and start taking events
 *
 * Return: 0, or -ENOMEM.
 */
int tcpk_events_init(void)
{
	unsigned int size = tcpk_event_queue_len;
	struct tcpk_event *ring;

	ring = kvcalloc(size, sizeof(*ring), GFP_KERNEL_ACCOUNT);
	if (!ring)
		return -ENOMEM;
	tcpk_event_scratch = kmalloc(sizeof(*tcpk_event_scratch),
				     GFP_KERNEL_ACCOUNT);
	if (!tcpk_event_scratch) {
		kvfree(ring);
		return -ENOMEM;
	}

	spin_lock_irq(&tcpk_evq.lock);
	tcpk_evq.ring = ring;
	tcpk_evq.size = size;
	tcpk_evq.head = 0;
	tcpk_evq.count = 0;
	tcpk_evq.stopping = false;
	spin_unlock_irq(&tcpk_evq.lock);
	return 0;
}

/**
 * tcpk_events_exit() - stop taking events and free the ring
 *
 * Producers that come later queue nothing; the worker is cancelled and
 * waited for, so events still queued are discarded (the family is
 * already unregistered when the module unloads).
 */
void tcpk_events_exit(void)
{
	struct tcpk_event *ring;

	spin_lock_irq(&tcpk_evq.lock);
	tcpk_evq.stopping = true;
	ring = tcpk_evq.ring;
	spin_unlock_irq(&tcpk_evq.lock);

	/* Nothing can queue the work any more. */
	cancel_work_sync(&tcpk_events_work);

	spin_lock_irq(&tcpk_evq.lock);
	tcpk_evq.ring = NULL;
	tcpk_evq.size = 0;
	tcpk_evq.count = 0;
	spin_unlock_irq(&tcpk_evq.lock);
	kvfree(ring);
	kfree(tcpk_event_scratch);
	tcpk_event_scratch = NULL;
}

/**
 * tcpk_events_stats_get() - read the event counters and the queue's use
 * @st: receives them.
 *
 * The counters are read locklessly, the queue's fill under its lock (a
 * few loads).  Any context.
 */
void tcpk_events_stats_get(struct tcpk_events_stats *st)
{
	unsigned long flags;

	st->emitted = atomic64_read(&tcpk_events_emitted);
	st->dropped = atomic64_read(&tcpk_events_dropped);
	st->audit_records = atomic64_read(&tcpk_events_audit_records);
	st->audit_lost = atomic64_read(&tcpk_events_audit_lost);
	spin_lock_irqsave(&tcpk_evq.lock, flags);
	st->queued = tcpk_evq.count;
	st->queue_peak = tcpk_evq.peak;
	st->queue_len = tcpk_evq.size;
	spin_unlock_irqrestore(&tcpk_evq.lock, flags);
}
