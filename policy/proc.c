// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - per-process state: agent labels, decision history,
 * quarantine
 *
 * Guiding rules:
 *
 * - One entry per tracked thread group in an XArray indexed by tgid
 *   (initial pid namespace).  An entry belongs to the thread group whose
 *   leader started at &tcpk_proc.start_time: an entry whose start time is
 *   not the group's is stale (its pid was recycled) and reads as absent;
 *   creating an entry replaces it.
 * - Readers (hooks, tracepoints, dumps) take rcu_read_lock() only.
 *   Writers take the XArray's lock with interrupts off (decisions, and so
 *   the history and quarantine, may come from any context that may not
 *   sleep) and never sleep under it: node allocations are GFP_ATOMIC, an
 *   entry is allocated before the lock is taken.  Entries are freed, and
 *   drop their agent reference, after a grace period.
 * - The table is bounded by max_procs.  When it is full, a new entry
 *   takes the place of one that holds nothing a decision needs (no label,
 *   no quarantine, no violation, a score of 0: only a history and
 *   counters), found by
 *   a bounded clock scan (tcpk_proc_evict_locked()), and the eviction is
 *   counted.  A child of an agent that still cannot get an entry is
 *   counted in labels_lost; then, and only then, lookups
 *   also walk up the real parents to find a labelled ancestor, so a child
 *   still below its labelled parent keeps the label.
 * - The scheduler's tracepoints keep the table: sched_process_fork
 *   passes a label on to a new thread group, sched_process_exit removes
 *   the entry when the last thread of a group exits, sched_process_exec
 *   takes an observe-only exec decision.  The probes run with preemption
 *   disabled: no sleeping, GFP_ATOMIC only.
 */

#include <linux/atomic.h>
#include <linux/binfmts.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm_types.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/tracepoint.h>
#include <linux/uidgid.h>
#include <linux/xarray.h>

#include "core/common.h"
#include "core/events.h"
#include "behavior/feed.h"
#include "behavior/sequence.h"
#include "descdb/descdb.h"
#include "policy/proc.h"

/* Default of the module parameter max_procs. */
#define TCPK_PROC_MAX_DEFAULT	16384

/* Entries a full table looks at, at most, for one to evict. */
#define TCPK_EVICT_SCAN		64

/*
 * Real parents walked up, at most, to find a labelled ancestor of a
 * process without an entry (see tcpk_agent_of_ancestor()).
 */
#define TCPK_ANCESTOR_DEPTH	64

static unsigned int max_procs = TCPK_PROC_MAX_DEFAULT;
module_param(max_procs, uint, 0444);
MODULE_PARM_DESC(max_procs,
		 "Most processes tracked: labelled, with a decision history or quarantined (default 16384); when full, an entry with no label, no quarantine and no score is evicted (counted), else a child of an agent is left unlabelled and counted in labels_lost");

/**
 * struct tcpk_proc - the state of one thread group
 * @start_time: start time (CLOCK_MONOTONIC ns) of the group leader;
 *	immutable.  An entry whose start time is not that of the live
 *	group at its tgid is stale.
 * @labelled_at: when @agent was set (CLOCK_MONOTONIC ns); a process
 *	started before it is not a descendant in the session.  Written
 *	before @agent is published (rcu_assign_pointer()), read after
 *	rcu_dereference() of a non-NULL @agent and smp_rmb().
 * @agent: the agent session, or NULL.  Set once, NULL to a session,
 *	under the XArray lock; holds a reference that tcpk_proc_free_rcu()
 *	drops.  Read under RCU.
 * @quarantined: every later operation is refused.  Set by
 *	tcpk_proc_quarantine(), cleared only by tcpk_proc_release() (an
 *	administrator's request); written with WRITE_ONCE(), read with
 *	READ_ONCE(), no lock: a decision racing a release sees either.
 * @violations: operations refused (or that would be) and executions of
 *	DESTRUCTIVE tools (tcpk_proc_violation()); atomic, no lock.
 * @lock: protects @hist, @hist_next and @hist_count; taken with
 *	interrupts off (decisions come from any context).
 * @hist_next: next slot of @hist to write.
 * @hist_count: decisions in @hist, at most %TCPK_HISTORY_LEN.
 * @hist: the last decisions (ring of %TCPK_HISTORY_LEN), or NULL until
 *	the first one: a process that is only labelled costs no history.
 * @feat: behavioural features and the anomaly score (its own rules).
 * @rcu: frees the entry after a grace period.
 */
struct tcpk_proc {
	u64 start_time;
	u64 labelled_at;
	struct tcpk_agent __rcu *agent;
	bool quarantined;
	atomic_t violations;
	spinlock_t lock;	/* @hist, @hist_next, @hist_count */
	unsigned int hist_next;
	unsigned int hist_count;
	struct tcpk_history_entry *hist;
	struct tcpk_features feat;
	struct rcu_head rcu;
};

/*
 * tgid -> struct tcpk_proc.  Lookups: xa_load() under rcu_read_lock().
 * Changes: under xa_lock_irqsave() (or xa_lock_irq() in process context),
 * with GFP_ATOMIC node allocations that never drop the lock.  Nodes are
 * charged to the memory cgroup of the process that caused them.
 */
static DEFINE_XARRAY_FLAGS(tcpk_procs, XA_FLAGS_LOCK_IRQ | XA_FLAGS_ACCOUNT);

/* Entries in tcpk_procs; changed under its lock only. */
static atomic_t tcpk_proc_entries = ATOMIC_INIT(0);

/*
 * Entries evicted from the full table, and where the next scan for one
 * starts (a tgid; under the XArray's lock).
 */
static atomic64_t tcpk_proc_evicted = ATOMIC64_INIT(0);
static unsigned long tcpk_evict_next;

/*
 * Bytes of the entries and their histories (ksize(), slab rounding
 * included; the XArray's own nodes are not counted).
 */
static atomic64_t tcpk_proc_bytes = ATOMIC64_INIT(0);

/* Labels given (agent starts and inheritance) and children left without. */
static atomic64_t tcpk_proc_labels = ATOMIC64_INIT(0);
static atomic64_t tcpk_proc_labels_lost = ATOMIC64_INIT(0);

/* The last session id given; the first is 1. */
static atomic64_t tcpk_agent_sessions = ATOMIC64_INIT(0);

/*
 * Per-CPU path buffer of the exec probe (TCPK_PATH_MAX bytes a CPU): used
 * only by tcpk_exec_probe(), which runs with preemption disabled and is
 * never re-entered on a CPU (exec is not done from interrupts).
 */
static char __percpu *tcpk_exec_buf;

/*
 * Set once the BPF-LSM exec hook has called the module
 * (tcpk_proc_exec_hooked()): from then on execs are decided, and enforced,
 * at bprm_check_security, and the exec tracepoint no longer decides.
 */
static bool tcpk_exec_hooked;

/* --- agent sessions ------------------------------------------------------- */

static void tcpk_agent_free_rcu(struct rcu_head *head)
{
	struct tcpk_agent *agent = container_of(head, struct tcpk_agent, rcu);

	kfree(agent->workspace);
	kfree(agent);
}

/* Drops a reference; any context.  The last one frees after a grace period. */
static void tcpk_agent_put(struct tcpk_agent *agent)
{
	if (agent && refcount_dec_and_test(&agent->ref))
		call_rcu(&agent->rcu, tcpk_agent_free_rcu);
}

static bool tcpk_agent_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* 1 to TCPK_AGENT_NAME_MAX - 1 bytes of [A-Za-z0-9._-]. */
static int tcpk_agent_name_check(const char *name, const char **errmsg)
{
	size_t len, i;

	if (!name) {
		*errmsg = "agent name missing";
		return -EINVAL;
	}
	len = strnlen(name, TCPK_AGENT_NAME_MAX);
	if (!len) {
		*errmsg = "agent name is empty";
		return -EINVAL;
	}
	if (len >= TCPK_AGENT_NAME_MAX) {
		*errmsg = "agent name longer than 31 bytes";
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!tcpk_agent_name_char(name[i])) {
			*errmsg = "agent name has a character outside [A-Za-z0-9._-]";
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * An absolute, canonical path shorter than TCPK_PATH_MAX: no trailing
 * '/' (unless it is "/"), no empty, "." or ".." component - the spelling
 * d_path() gives, so that path scopes compare as strings.
 */
static int tcpk_agent_workspace_check(const char *ws, const char **errmsg)
{
	size_t len, start, i;

	len = strnlen(ws, TCPK_PATH_MAX);
	if (len >= TCPK_PATH_MAX) {
		*errmsg = "workspace path too long";
		return -EINVAL;
	}
	if (ws[0] != '/') {
		*errmsg = "workspace is not an absolute path";
		return -EINVAL;
	}
	if (len == 1)
		return 0;
	if (ws[len - 1] == '/') {
		*errmsg = "workspace ends with '/'";
		return -EINVAL;
	}
	for (start = 1, i = 1; i <= len; i++) {
		size_t clen;

		if (i < len && ws[i] != '/')
			continue;
		clen = i - start;
		if (!clen) {
			*errmsg = "workspace has an empty component ('//')";
			return -EINVAL;
		}
		if ((clen == 1 && ws[start] == '.') ||
		    (clen == 2 && ws[start] == '.' && ws[start + 1] == '.')) {
			*errmsg = "workspace has a '.' or '..' component";
			return -EINVAL;
		}
		start = i + 1;
	}
	return 0;
}

/*
 * A new session (one reference, no id yet) after checking @name and
 * @workspace (NULL: none).  Process context: allocates with
 * GFP_KERNEL_ACCOUNT.
 */
static struct tcpk_agent *tcpk_agent_create(const char *name,
					    const char *workspace,
					    const char **errmsg)
{
	struct tcpk_agent *agent;
	int err;

	err = tcpk_agent_name_check(name, errmsg);
	if (!err && workspace)
		err = tcpk_agent_workspace_check(workspace, errmsg);
	if (err)
		return ERR_PTR(err);

	agent = kzalloc(sizeof(*agent), GFP_KERNEL_ACCOUNT);
	if (!agent)
		return ERR_PTR(-ENOMEM);
	if (workspace) {
		agent->workspace = kstrdup(workspace, GFP_KERNEL_ACCOUNT);
		if (!agent->workspace) {
			kfree(agent);
			return ERR_PTR(-ENOMEM);
		}
	}
	refcount_set(&agent->ref, 1);
	strscpy(agent->name, name, sizeof(agent->name));
	spin_lock_init(&agent->lock);
	return agent;
}

/**
 * tcpk_agent_note_written() - remember that a session wrote a file
 * @agent: the session, held by the caller (RCU or a reference).
 * @inode_key: the file's inode key; 0 is ignored.
 *
 * The last %TCPK_AGENT_WRITTEN_MAX distinct keys are kept; noting a key
 * already there changes nothing.  Any context: takes &tcpk_agent.lock with
 * interrupts off.
 */
void tcpk_agent_note_written(struct tcpk_agent *agent, u64 inode_key)
{
	unsigned long flags;
	unsigned int i;

	if (!agent || !inode_key)
		return;
	spin_lock_irqsave(&agent->lock, flags);
	for (i = 0; i < TCPK_AGENT_WRITTEN_MAX; i++)
		if (agent->written[i] == inode_key)
			goto out;
	agent->written[agent->written_next] = inode_key;
	agent->written_next = (agent->written_next + 1) %
			      TCPK_AGENT_WRITTEN_MAX;
out:
	spin_unlock_irqrestore(&agent->lock, flags);
}

/**
 * tcpk_agent_wrote() - whether a session wrote a file lately
 * @agent: the session, held by the caller, or NULL.
 * @inode_key: the file's inode key.
 *
 * Any context (see tcpk_agent_note_written()).
 *
 * Return: true if @inode_key is among the keys the session noted last.
 */
bool tcpk_agent_wrote(struct tcpk_agent *agent, u64 inode_key)
{
	unsigned long flags;
	unsigned int i;
	bool found = false;

	if (!agent || !inode_key)
		return false;
	spin_lock_irqsave(&agent->lock, flags);
	for (i = 0; i < TCPK_AGENT_WRITTEN_MAX && !found; i++)
		found = agent->written[i] == inode_key;
	spin_unlock_irqrestore(&agent->lock, flags);
	return found;
}

/* --- the table ------------------------------------------------------------ */

static void tcpk_proc_free_rcu(struct rcu_head *head)
{
	struct tcpk_proc *p = container_of(head, struct tcpk_proc, rcu);

	/* A grace period has passed since the entry was unpublished. */
	tcpk_agent_put(rcu_dereference_protected(p->agent, 1));
	atomic64_sub(ksize(p) + (p->hist ? ksize(p->hist) : 0),
		     &tcpk_proc_bytes);
	kfree(p->hist);
	kfree(p);
}

/* The entry of (@tgid, @start_time), or NULL.  Caller holds RCU. */
static struct tcpk_proc *tcpk_proc_find(u32 tgid, u64 start_time)
{
	struct tcpk_proc *p = xa_load(&tcpk_procs, tgid);

	return p && p->start_time == start_time ? p : NULL;
}

/*
 * Start time of @task's thread group.  Caller holds RCU: the leader
 * changes at an exec by another thread (which takes over its start time)
 * and the old one is freed after a grace period.
 */
static u64 tcpk_task_start(struct task_struct *task)
{
	return READ_ONCE(task->group_leader)->start_time;
}

/* The entry of @task's thread group, or NULL.  Caller holds RCU. */
static struct tcpk_proc *tcpk_proc_of(struct task_struct *task)
{
	return tcpk_proc_find(task->tgid, tcpk_task_start(task));
}

/* The leader of thread group @tgid (initial namespace), or NULL.  RCU. */
static struct task_struct *tcpk_task_of_tgid(u32 tgid)
{
	if (!tgid || tgid > PID_MAX_LIMIT)
		return NULL;
	return pid_task(find_pid_ns(tgid, &init_pid_ns), PIDTYPE_TGID);
}

/* The entry of thread group @tgid if it is not stale, or NULL.  RCU. */
static struct tcpk_proc *tcpk_proc_find_pid(u32 tgid)
{
	struct tcpk_proc *p = xa_load(&tcpk_procs, tgid);
	struct task_struct *task;

	if (!p)
		return NULL;
	task = tcpk_task_of_tgid(tgid);
	return task && task->start_time == p->start_time ? p : NULL;
}

/*
 * Whether any thread of @task's group has yet to exit.  Read under the
 * XArray lock by a writer about to add an entry: sched_process_exit
 * removes the entry under the same lock after the last thread's decrement,
 * so an entry is either added before that removal or not at all.
 */
static bool tcpk_task_group_alive(struct task_struct *task)
{
	return atomic_read(&task->signal->live) > 0;
}

/* A new, zeroed entry (features initialised) to insert, or NULL. */
static struct tcpk_proc *tcpk_proc_alloc(gfp_t gfp)
{
	struct tcpk_proc *p = kzalloc(sizeof(*p), gfp);

	if (p) {
		tcpk_features_init(&p->feat);
		tcpk_sequence_start(&p->feat);
	}
	return p;
}

/*
 * Whether @p holds nothing a later decision needs: no label, no
 * quarantine, no violation, a score of 0 now.  Its history and counters would be lost.
 */
static bool tcpk_proc_evictable(struct tcpk_proc *p)
{
	return !rcu_access_pointer(p->agent) && !READ_ONCE(p->quarantined) &&
	       !atomic_read(&p->violations) &&
	       !tcpk_features_score(&p->feat, ktime_get_coarse_ns(),
				    tcpk_score_half_life());
}

/*
 * Makes room in the full table: removes the first evictable entry among
 * the next %TCPK_EVICT_SCAN from the clock hand (wrapping once), never
 * that of @keep.  Caller holds the XArray's lock (interrupts off); the
 * entry count does not change here.
 *
 * Return: true if an entry was evicted.
 */
static bool tcpk_proc_evict_locked(u32 keep)
{
	XA_STATE(xas, &tcpk_procs, tcpk_evict_next);
	unsigned int seen = 0;
	struct tcpk_proc *p;
	bool wrapped = false;

	for (;;) {
		xas_for_each(&xas, p, ULONG_MAX) {
			if (++seen > TCPK_EVICT_SCAN) {
				/* The next scan looks at the next ones. */
				tcpk_evict_next = xas.xa_index;
				return false;
			}
			if (xas.xa_index == keep || !tcpk_proc_evictable(p))
				continue;
			xas_store(&xas, NULL);
			tcpk_evict_next = xas.xa_index + 1;
			atomic_dec(&tcpk_proc_entries);
			atomic64_inc(&tcpk_proc_evicted);
			call_rcu(&p->rcu, tcpk_proc_free_rcu);
			return true;
		}
		if (wrapped || !tcpk_evict_next)
			return false;
		wrapped = true;
		xas_set(&xas, 0);
	}
}

/*
 * Find, create or label the entry of (@tgid, @start_time), under the
 * XArray lock.  @agent non-NULL labels it (the caller's reference passes
 * to the entry on success): an entry that is labelled already gives
 * -EPERM.  @task, if not NULL, is the group's leader, which must not have
 * exited.  *@new is a zeroed entry or NULL; it is set to NULL if it was
 * used (the caller frees it otherwise).  A stale entry is replaced.
 *
 * Return: the entry (valid while the caller holds RCU), or ERR_PTR():
 * -EPERM, -ESRCH (group exited), -ENOSPC (max_procs), -ENOMEM.
 */
static struct tcpk_proc *tcpk_proc_insert(u32 tgid, u64 start_time,
					  struct task_struct *task,
					  struct tcpk_agent *agent,
					  u64 labelled_at,
					  struct tcpk_proc **new)
{
	struct tcpk_proc *old, *p = *new;
	unsigned long flags;
	void *cur;

	xa_lock_irqsave(&tcpk_procs, flags);
	/* Present in the array under its lock, so not yet retired. */
	old = xa_load(&tcpk_procs, tgid);
	if (old && old->start_time == start_time) {
		p = old;
		if (agent) {
			if (rcu_access_pointer(old->agent)) {
				p = ERR_PTR(-EPERM);
			} else {
				WRITE_ONCE(old->labelled_at, labelled_at);
				rcu_assign_pointer(old->agent, agent);
			}
		}
		goto unlock;
	}
	if (task && !tcpk_task_group_alive(task)) {
		p = ERR_PTR(-ESRCH);
		goto unlock;
	}
	if (!p) {
		p = ERR_PTR(-ENOMEM);
		goto unlock;
	}
	/* Replacing a stale entry does not change the count. */
	if (!old && atomic_read(&tcpk_proc_entries) >= READ_ONCE(max_procs) &&
	    !tcpk_proc_evict_locked(tgid)) {
		p = ERR_PTR(-ENOSPC);
		goto unlock;
	}
	p->start_time = start_time;
	p->labelled_at = labelled_at;
	RCU_INIT_POINTER(p->agent, agent);
	spin_lock_init(&p->lock);
	/* Publishes with release semantics, as rcu_assign_pointer(). */
	cur = __xa_store(&tcpk_procs, tgid, p, GFP_ATOMIC | __GFP_NOWARN);
	if (xa_is_err(cur)) {
		RCU_INIT_POINTER(p->agent, NULL);
		p = ERR_PTR(xa_err(cur));
		goto unlock;
	}
	*new = NULL;
	atomic64_add(ksize(p), &tcpk_proc_bytes);
	if (old)
		call_rcu(&old->rcu, tcpk_proc_free_rcu);
	else
		atomic_inc(&tcpk_proc_entries);
unlock:
	xa_unlock_irqrestore(&tcpk_procs, flags);
	return p;
}

/*
 * Label (@tgid, @start_time) with @agent, whose reference passes to the
 * entry on success.  @gfp: GFP_KERNEL_ACCOUNT in process context without
 * RCU, GFP_ATOMIC otherwise.
 *
 * Return: 0, or -EPERM (labelled already), -ESRCH, -ENOSPC, -ENOMEM.
 */
static int tcpk_proc_label(u32 tgid, u64 start_time, struct task_struct *task,
			   struct tcpk_agent *agent, u64 labelled_at, gfp_t gfp)
{
	struct tcpk_proc *new, *p;

	new = tcpk_proc_alloc(gfp);
	p = tcpk_proc_insert(tgid, start_time, task, agent, labelled_at, &new);
	kfree(new);
	return PTR_ERR_OR_ZERO(p);
}

/*
 * The entry of (@tgid, @start_time), created unlabelled if there is none.
 * Caller holds RCU; any context that may not sleep.
 */
static struct tcpk_proc *tcpk_proc_get(u32 tgid, u64 start_time,
				       struct task_struct *task)
{
	struct tcpk_proc *new, *p;

	p = tcpk_proc_find(tgid, start_time);
	if (p)
		return p;
	new = tcpk_proc_alloc(GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
	p = tcpk_proc_insert(tgid, start_time, task, NULL, 0, &new);
	kfree(new);
	return p;
}

/* Removes whatever entry @tgid has.  Any context that may not sleep. */
static void tcpk_proc_remove(u32 tgid)
{
	struct tcpk_proc *p;
	unsigned long flags;

	xa_lock_irqsave(&tcpk_procs, flags);
	p = __xa_erase(&tcpk_procs, tgid);
	if (p) {
		atomic_dec(&tcpk_proc_entries);
		call_rcu(&p->rcu, tcpk_proc_free_rcu);
	}
	xa_unlock_irqrestore(&tcpk_procs, flags);
}

/*
 * Removes every entry and waits until they and the sessions they held are
 * freed.  Process context; may sleep.
 */
static void tcpk_proc_flush(void)
{
	struct tcpk_proc *p;
	unsigned long index;

	xa_for_each(&tcpk_procs, index, p) {
		xa_lock_irq(&tcpk_procs);
		if (__xa_cmpxchg(&tcpk_procs, index, p, NULL, 0) == p) {
			atomic_dec(&tcpk_proc_entries);
			call_rcu(&p->rcu, tcpk_proc_free_rcu);
		}
		xa_unlock_irq(&tcpk_procs);
		cond_resched();
	}
	/* Entries first; their callbacks queue the sessions' callbacks. */
	rcu_barrier();
	rcu_barrier();
}

/*
 * Gives @agent's label to a new thread group (@child may be NULL in
 * tests).  Caller holds RCU, in which it found @agent.  Counts the label
 * or its loss.
 */
static int tcpk_proc_inherit(struct tcpk_agent *agent, u32 tgid,
			     u64 start_time, struct task_struct *child)
{
	int err = -ENOENT;

	/* Found under RCU through an entry that still holds a reference. */
	if (refcount_inc_not_zero(&agent->ref)) {
		/* Labelled from birth: its own children qualify. */
		err = tcpk_proc_label(tgid, start_time, child, agent,
				      start_time, GFP_ATOMIC | __GFP_NOWARN |
				      __GFP_ACCOUNT);
		if (err)
			tcpk_agent_put(agent);
	}
	if (err)
		atomic64_inc(&tcpk_proc_labels_lost);
	else
		atomic64_inc(&tcpk_proc_labels);
	return err;
}

/* --- agents --------------------------------------------------------------- */

/*
 * The session of the nearest labelled ancestor of @task, if @task is a
 * descendant it had when it was labelled.  Walks real parents under RCU,
 * at most TCPK_ANCESTOR_DEPTH of them.  A daemonised orphan (reparented
 * to init or a subreaper) is not found: that is the loss labels_lost
 * counts.
 */
static struct tcpk_agent *tcpk_agent_of_ancestor(struct task_struct *task)
{
	struct task_struct *below = task, *t;
	struct tcpk_agent *agent;
	struct tcpk_proc *p;
	unsigned int depth;

	for (depth = 0; depth < TCPK_ANCESTOR_DEPTH; depth++) {
		t = rcu_dereference(below->real_parent);
		if (!t || t == below || !t->pid)
			break;
		p = tcpk_proc_of(t);
		agent = p ? rcu_dereference(p->agent) : NULL;
		if (agent) {
			/* Pairs with rcu_assign_pointer() of the label. */
			smp_rmb();
			if (tcpk_task_start(below) < READ_ONCE(p->labelled_at))
				return NULL;
			return agent;
		}
		below = t;
	}
	return NULL;
}

/**
 * tcpk_agent_of() - the agent session of a task's thread group
 * @task: any task.
 *
 * Caller holds rcu_read_lock(); the result is valid until it drops it.
 * Never sleeps.
 *
 * Return: the session, or NULL if the group is not labelled.
 */
struct tcpk_agent *tcpk_agent_of(struct task_struct *task)
{
	struct tcpk_agent *agent = NULL;
	struct tcpk_proc *p;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "agent lookup outside an RCU read-side critical section");
	p = tcpk_proc_of(task);
	if (p)
		agent = rcu_dereference(p->agent);
	/* No child ever missed its label: every descendant has an entry. */
	if (agent || likely(!atomic64_read(&tcpk_proc_labels_lost)))
		return agent;
	return tcpk_agent_of_ancestor(task);
}

/**
 * tcpk_agent_start() - label a thread group as an agent session
 * @task: a task of the group, held by the caller (usually current).
 * @name: the label: 1 to %TCPK_AGENT_NAME_MAX - 1 bytes of [A-Za-z0-9._-].
 * @workspace: absolute canonical path of the workspace, or NULL.
 * @session: receives the new session id.
 * @errmsg: receives a static message for the extack on -EINVAL, -EPERM,
 *	-ENOSPC and -ESRCH.
 *
 * Every later child of the group inherits the label.  Emits an agent
 * start event.  Process context; may sleep.
 *
 * Return: 0, -EINVAL (bad name or workspace), -EPERM (the group is
 * labelled already, or descends from a labelled process), -ENOSPC
 * (max_procs), -ESRCH (the group is exiting) or -ENOMEM.
 */
int tcpk_agent_start(struct task_struct *task, const char *name,
		     const char *workspace, u64 *session, const char **errmsg)
{
	char comm[TASK_COMM_LEN];
	struct tcpk_agent *agent;
	bool labelled;
	u64 start;
	u32 tgid;
	int err;

	agent = tcpk_agent_create(name, workspace, errmsg);
	if (IS_ERR(agent))
		return PTR_ERR(agent);

	rcu_read_lock();
	labelled = tcpk_agent_of(task);
	tgid = task->tgid;
	start = tcpk_task_start(task);
	rcu_read_unlock();
	if (labelled) {
		err = -EPERM;
		goto err;
	}

	agent->session = atomic64_inc_return(&tcpk_agent_sessions);
	/* One reference for the entry, one held until the event is out. */
	refcount_set(&agent->ref, 2);
	err = tcpk_proc_label(tgid, start, task, agent, ktime_get_ns(),
			      GFP_KERNEL_ACCOUNT);
	if (err) {
		refcount_set(&agent->ref, 1);
		goto err;
	}
	atomic64_inc(&tcpk_proc_labels);
	__get_task_comm(comm, sizeof(comm), task);
	tcpk_event_agent_start(tgid, comm, agent->name, agent->session);
	*session = agent->session;
	tcpk_agent_put(agent);
	return 0;

err:
	switch (err) {
	case -EPERM:
		*errmsg = "already labelled as an agent";
		break;
	case -ENOSPC:
		*errmsg = "too many processes tracked (max_procs)";
		break;
	case -ESRCH:
		*errmsg = "the process is exiting";
		break;
	}
	tcpk_agent_put(agent);
	return err;
}

/**
 * tcpk_agent_walk() - visit the labelled processes
 * @pos: the tgid to start at; 0 the first time.  Left at the process
 *	whose @fill failed, so that the next call starts with it, or one
 *	past the last process visited.
 * @fill: called for each labelled live process in tgid order, under
 *	rcu_read_lock() (it must not sleep); 0 goes on, an error stops.
 * @arg: passed to @fill.
 *
 * Entries of processes that are gone are skipped.  Not a snapshot:
 * processes labelled or exiting during the walk may be missed.
 *
 * Return: 0 when every process has been visited, or the error of @fill.
 */
int tcpk_agent_walk(unsigned long *pos, tcpk_agent_fill_t fill, void *arg)
{
	char comm[TASK_COMM_LEN];
	struct tcpk_agent *agent;
	struct task_struct *task;
	unsigned long index = *pos;
	struct tcpk_proc *p;
	int err = 0;

	rcu_read_lock();
	for (p = xa_find(&tcpk_procs, &index, ULONG_MAX, XA_PRESENT); p;
	     p = xa_find_after(&tcpk_procs, &index, ULONG_MAX, XA_PRESENT)) {
		*pos = index + 1;
		agent = rcu_dereference(p->agent);
		if (!agent)
			continue;
		task = tcpk_task_of_tgid(index);
		if (!task || task->start_time != p->start_time)
			continue;
		__get_task_comm(comm, sizeof(comm), task);
		err = fill(index, comm, agent, arg);
		if (err) {
			*pos = index;
			break;
		}
	}
	rcu_read_unlock();
	return err;
}

/**
 * tcpk_proc_walk() - visit every tracked process
 * @pos: the tgid to start from; on return where to resume (the process
 *	that @fill refused, or one past the last).
 * @fill: called for each live tracked process under rcu_read_lock() (it
 *	must not sleep); 0 goes on, an error stops.
 * @arg: passed to @fill.
 *
 * Stale entries (of exited processes whose pid was reused) are skipped.
 *
 * Return: 0 when every process has been visited, or the error of @fill.
 */
int tcpk_proc_walk(unsigned long *pos, tcpk_proc_fill_t fill, void *arg)
{
	struct tcpk_proc_info info;
	struct tcpk_agent *agent;
	struct task_struct *task;
	unsigned long index = *pos;
	struct tcpk_proc *p;
	int err = 0;

	rcu_read_lock();
	for (p = xa_find(&tcpk_procs, &index, ULONG_MAX, XA_PRESENT); p;
	     p = xa_find_after(&tcpk_procs, &index, ULONG_MAX, XA_PRESENT)) {
		*pos = index + 1;
		task = tcpk_task_of_tgid(index);
		if (!task || task->start_time != p->start_time)
			continue;
		memset(&info, 0, sizeof(info));
		info.pid = index;
		__get_task_comm(info.comm, sizeof(info.comm), task);
		agent = rcu_dereference(p->agent);
		if (agent) {
			info.agent = agent->name;
			info.session = agent->session;
		}
		info.quarantined = READ_ONCE(p->quarantined);
		info.violations = atomic_read(&p->violations);
		tcpk_features_read(&p->feat, ktime_get_coarse_ns(),
				   tcpk_score_half_life(), &info.feat);
		info.feat.ctxsw = tcpk_behavior_ctxsw(task);
		info.profile = tcpk_sequence_profile_of(&p->feat);
		err = fill(&info, arg);
		if (err) {
			*pos = index;
			break;
		}
	}
	rcu_read_unlock();
	return err;
}

/**
 * tcpk_proc_tgids() - list tracked processes cheaply
 * @pos: the tgid to start from; on return the next one to look at, or 0
 *	once the end of the table is reached (the next call starts over).
 * @tgids: receives their tgids.
 * @n: room in @tgids.
 * @visit: the most entries to look at.
 *
 * For the hardware monitors' scan, which goes round the table a little
 * at a time: entries are not checked for staleness (the caller looks up
 * each process anyway).  Takes rcu_read_lock(); any context.
 *
 * Return: how many tgids were written.
 */
unsigned int tcpk_proc_tgids(unsigned long *pos, u32 *tgids, unsigned int n,
			     unsigned int visit)
{
	unsigned long index = *pos;
	unsigned int got = 0;
	struct tcpk_proc *p;

	rcu_read_lock();
	for (p = xa_find(&tcpk_procs, &index, ULONG_MAX, XA_PRESENT);
	     p && got < n && visit;
	     p = xa_find_after(&tcpk_procs, &index, ULONG_MAX, XA_PRESENT)) {
		tgids[got++] = index;
		visit--;
	}
	rcu_read_unlock();
	*pos = p ? index : 0;
	return got;
}

/**
 * tcpk_proc_features() - the behavioural features of a process
 * @task: a thread of it.
 *
 * Caller holds rcu_read_lock(); the result is valid until it drops it.
 * Any context.
 *
 * Return: the features, or NULL if the process is not tracked.
 */
struct tcpk_features *tcpk_proc_features(struct task_struct *task)
{
	struct tcpk_proc *p = tcpk_proc_of(task);

	return p ? &p->feat : NULL;
}

/**
 * tcpk_proc_features_get() - the behavioural features of a process,
 *	tracking it from now on if it was not
 * @task: a thread of it (current, or a task that cannot exit meanwhile).
 *
 * Caller holds rcu_read_lock(); the result is valid until it drops it.
 * Any context that may not sleep (GFP_ATOMIC).
 *
 * Return: the features, or NULL (no memory, max_procs reached, exiting).
 */
struct tcpk_features *tcpk_proc_features_get(struct task_struct *task)
{
	struct task_struct *leader = READ_ONCE(task->group_leader);
	struct tcpk_proc *p;

	p = tcpk_proc_get(task->tgid, leader->start_time, leader);
	return IS_ERR(p) ? NULL : &p->feat;
}

/**
 * tcpk_proc_tracking() - whether any process is tracked at all
 *
 * A racy read, for probes that run on every system call or context
 * switch: they skip the table lookup while it is empty.  Any context.
 *
 * Return: true if the table has an entry.
 */
bool tcpk_proc_tracking(void)
{
	return atomic_read(&tcpk_proc_entries) > 0;
}

/* --- requests --------------------------------------------------------------- */

/* A reference to @mm's executable, or NULL.  Caller holds task_lock(). */
static struct file *tcpk_mm_exe_file(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
#ifdef get_file_rcu
	/* Up to 6.6 a macro: takes a reference unless the count is 0. */
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#else
	/* Since 6.7 a function: files are SLAB_TYPESAFE_BY_RCU. */
	exe = get_file_rcu(&mm->exe_file);
#endif
	rcu_read_unlock();
	return exe;
}

/* d_path() of @file into @buf, or NULL if it does not fit. */
static const char *tcpk_file_path(struct file *file, char *buf, size_t len)
{
	char *path = d_path(&file->f_path, buf, len);

	return IS_ERR(path) ? NULL : path;
}

/*
 * Fills @req's subject from @task but for the executable: pid, ids, comm,
 * cgroups, agent.  *@exe_file (if @exe_file is not NULL) receives a
 * reference to the executable, or NULL.  Caller holds RCU; never sleeps.
 */
static void tcpk_request_subject(struct tcpk_request *req,
				 struct task_struct *task, char *comm,
				 struct file **exe_file)
{
	const struct cred *cred = __task_cred(task);
	struct tcpk_agent *agent;
	struct cgroup *cgrp;
	struct tcpk_proc *p;
	unsigned int n = 0;

	req->pid = task->tgid;
	req->uid = from_kuid(&init_user_ns, cred->uid);
	req->gid = from_kgid(&init_user_ns, cred->gid);

	if (task == current) {
		/*
		 * The hooks' subject: no task_lock(), which a hook may be
		 * called under (ptrace checks hold the target's, and all
		 * alloc_locks are one lockdep class).  current's mm cannot
		 * change under it; its comm may be renamed by another thread
		 * as we copy it, and strscpy_pad() keeps any mix terminated.
		 */
		strscpy_pad(comm, task->comm, TASK_COMM_LEN);
		if (exe_file)
			*exe_file = task->mm && !(task->flags & PF_KTHREAD) ?
				    tcpk_mm_exe_file(task->mm) : NULL;
	} else {
		/* As get_task_comm() and get_task_exe_file(), in one lock. */
		task_lock(task);
		strscpy_pad(comm, task->comm, TASK_COMM_LEN);
		if (exe_file)
			*exe_file = task->mm && !(task->flags & PF_KTHREAD) ?
				    tcpk_mm_exe_file(task->mm) : NULL;
		task_unlock(task);
	}
	req->comm = comm;

	for (cgrp = task_dfl_cgroup(task); cgrp && n < TCPK_CGROUP_DEPTH;
	     cgrp = cgroup_parent(cgrp))
		req->cgroups[n++] = cgroup_id(cgrp);
	req->n_cgroups = n;

	agent = tcpk_agent_of(task);
	req->agent = agent ? agent->name : NULL;
	req->workspace = agent ? agent->workspace : NULL;
	req->session = agent ? agent->session : 0;

	p = tcpk_proc_of(task);
	req->anomaly = p ? tcpk_features_score(&p->feat, ktime_get_coarse_ns(),
					       tcpk_score_half_life()) : 0;
}

/**
 * tcpk_request_from_task() - fill in a request's subject from a task
 * @req: the request; only the fields named here are written.
 * @task: the subject.
 * @comm: receives its command name (%TASK_COMM_LEN bytes).
 * @exe: receives its executable's path (@exe_len bytes).
 * @exe_len: size of @exe.
 *
 * Sets pid, uid, gid (real, initial namespaces), comm, exe (NULL for a
 * kernel thread, a task without memory or a path longer than @exe_len),
 * the cgroup v2 ids (its own, then its ancestors', at most
 * %TCPK_CGROUP_DEPTH), and the agent label, workspace and session (NULL
 * and 0 if unlabelled), which point into the session.  Caller holds
 * rcu_read_lock() for as long as it uses them.  Takes the task's
 * alloc_lock; never sleeps.
 */
void tcpk_request_from_task(struct tcpk_request *req, struct task_struct *task,
			    char *comm, char *exe, size_t exe_len)
{
	struct file *exe_file;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(),
			 "request of a task outside an RCU read-side critical section");
	tcpk_request_subject(req, task, comm, &exe_file);
	req->exe = NULL;
	if (exe_file) {
		req->exe = tcpk_file_path(exe_file, exe, exe_len);
		/* Never the last reference to free here: fput() defers. */
		fput(exe_file);
	}
}

/* INSIDE, OUTSIDE or ANY (see tcpk_target_scope()) from the two sessions. */
static u8 tcpk_scope_of(const struct tcpk_agent *subject,
			const struct tcpk_agent *target)
{
	if (!subject)
		return TCPK_SCOPE_ANY;
	if (target && target->session == subject->session)
		return TCPK_SCOPE_INSIDE;
	return TCPK_SCOPE_OUTSIDE;
}

/**
 * tcpk_target_scope() - where a target is relative to a subject's session
 * @subject: the task acting (e.g. the tracer).
 * @target: the task acted upon.
 *
 * Any context that may not sleep.
 *
 * Return: %TCPK_SCOPE_INSIDE if both are in the same agent session,
 * %TCPK_SCOPE_OUTSIDE if the subject is labelled and the target is not in
 * its session, %TCPK_SCOPE_ANY if the subject is unlabelled.
 */
u8 tcpk_target_scope(struct task_struct *subject, struct task_struct *target)
{
	u8 scope;

	rcu_read_lock();
	scope = tcpk_scope_of(tcpk_agent_of(subject), tcpk_agent_of(target));
	rcu_read_unlock();
	return scope;
}

/* --- history and quarantine ------------------------------------------------- */

static void tcpk_proc_add_history(struct tcpk_proc *p, u64 time, u32 op,
				  const struct tcpk_decision *d,
				  const char *path)
{
	struct tcpk_history_entry *hist = NULL, *e;
	unsigned long flags;

	if (!READ_ONCE(p->hist)) {
		hist = kcalloc(TCPK_HISTORY_LEN, sizeof(*hist),
			       GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
		if (!hist)
			return;
	}
	spin_lock_irqsave(&p->lock, flags);
	if (!p->hist) {
		p->hist = hist;
		atomic64_add(ksize(hist), &tcpk_proc_bytes);
		hist = NULL;
	}
	e = &p->hist[p->hist_next];
	e->time = time;
	e->op = op;
	e->d = *d;
	strscpy_pad(e->path, path ? path : "", sizeof(e->path));
	p->hist_next = (p->hist_next + 1) % TCPK_HISTORY_LEN;
	if (p->hist_count < TCPK_HISTORY_LEN)
		p->hist_count++;
	spin_unlock_irqrestore(&p->lock, flags);
	kfree(hist);
}

/* Copies @p's history into @out, oldest first; returns how many. */
static unsigned int tcpk_proc_history_copy(struct tcpk_proc *p,
					   struct tcpk_history_entry *out)
{
	unsigned int i, n, first;
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	n = p->hist_count;
	first = (p->hist_next + TCPK_HISTORY_LEN - n) % TCPK_HISTORY_LEN;
	for (i = 0; i < n; i++)
		out[i] = p->hist[(first + i) % TCPK_HISTORY_LEN];
	spin_unlock_irqrestore(&p->lock, flags);
	return n;
}

/**
 * tcpk_proc_record() - remember a decision in the subject's history
 * @req: the request; nothing is recorded if its pid is 0 (hypothetical)
 *	or not a live thread group.
 * @d: the decision.
 *
 * Creates the process's entry if needed (GFP_ATOMIC; dropped silently if
 * there is no memory or max_procs is reached).  The path is truncated to
 * the history's 127 bytes.  Any context that may not sleep.
 */
void tcpk_proc_record(const struct tcpk_request *req,
		      const struct tcpk_decision *d)
{
	struct task_struct *task;
	struct tcpk_proc *p;

	if (!req->pid)
		return;
	rcu_read_lock();
	task = tcpk_task_of_tgid(req->pid);
	if (task) {
		p = tcpk_proc_get(req->pid, task->start_time, task);
		if (!IS_ERR(p))
			tcpk_proc_add_history(p, ktime_get_boottime_ns(),
					      req->op, d, req->path);
	}
	rcu_read_unlock();
}

/* The setters of tcpk_proc_set(). */
static void tcpk_proc_set_quarantined(struct tcpk_proc *p, unsigned int arg)
{
	WRITE_ONCE(p->quarantined, true);
}

static void tcpk_proc_add_violation(struct tcpk_proc *p, unsigned int arg)
{
	/* Saturates: a wrap to 0 would lift the limit. */
	atomic_add_unless(&p->violations, 1, INT_MAX);
}

static void tcpk_proc_inherit_violations(struct tcpk_proc *p, unsigned int n)
{
	if (atomic_read(&p->violations) < (int)min_t(unsigned int, n, INT_MAX))
		atomic_set(&p->violations, min_t(unsigned int, n, INT_MAX));
}

/*
 * Runs @set(@arg) on the entry of the live thread group (@tgid,
 * @start_time), created if needed (GFP_ATOMIC), under the XArray's lock:
 * tcpk_proc_evict_locked() looks at entries under that lock, so it never
 * evicts an entry between its lookup here and the change that makes it
 * worth keeping.  @task is the group's leader.  Caller holds RCU; any
 * context that may not sleep.
 *
 * Return: 0, or the error of the entry's creation (-ESRCH: the group is
 * exiting; -EAGAIN: evicted twice under our feet).
 */
static int tcpk_proc_set(u32 tgid, u64 start_time, struct task_struct *task,
			 void (*set)(struct tcpk_proc *p, unsigned int arg),
			 unsigned int arg)
{
	unsigned long flags;
	struct tcpk_proc *p;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		p = tcpk_proc_get(tgid, start_time, task);
		if (IS_ERR(p))
			return PTR_ERR(p);
		xa_lock_irqsave(&tcpk_procs, flags);
		if (xa_load(&tcpk_procs, tgid) == p) {
			set(p, arg);
			xa_unlock_irqrestore(&tcpk_procs, flags);
			return 0;
		}
		xa_unlock_irqrestore(&tcpk_procs, flags);
	}
	return -EAGAIN;
}

/* tcpk_proc_set() on the live process @pid; a failure is logged. */
static void tcpk_proc_set_pid(u32 pid, const char *what,
			      void (*set)(struct tcpk_proc *p,
					  unsigned int arg))
{
	struct task_struct *task;
	int err;

	rcu_read_lock();
	task = tcpk_task_of_tgid(pid);
	if (task) {
		err = tcpk_proc_set(pid, task->start_time, task, set, 0);
		if (err && err != -ESRCH)
			pr_warn_ratelimited("cannot %s pid %u: %d\n", what, pid,
					    err);
	}
	rcu_read_unlock();
}

/**
 * tcpk_proc_quarantine() - refuse every later operation of a process
 * @pid: its tgid (initial namespace).
 *
 * Creates the process's entry if needed (GFP_ATOMIC); if that fails the
 * failure is logged (rate limited).  Any context that may not sleep.
 */
void tcpk_proc_quarantine(u32 pid)
{
	tcpk_proc_set_pid(pid, "quarantine", tcpk_proc_set_quarantined);
}

/**
 * tcpk_proc_violation() - count a violation of a process
 * @pid: its tgid (initial namespace).
 *
 * Creates the process's entry if needed (GFP_ATOMIC; the violation is
 * lost, and logged rate limited, if that fails).  The count saturates.
 * Any context that may not sleep.
 */
void tcpk_proc_violation(u32 pid)
{
	tcpk_proc_set_pid(pid, "count a violation of", tcpk_proc_add_violation);
}

/**
 * tcpk_proc_violations() - the violations a process has made
 * @pid: its tgid (initial namespace).
 *
 * Any context that may not sleep; one lookup in the table.
 *
 * Return: the count, 0 for a process without an entry.
 */
unsigned int tcpk_proc_violations(u32 pid)
{
	struct tcpk_proc *p;
	unsigned int n;

	rcu_read_lock();
	p = tcpk_proc_find_pid(pid);
	n = p ? atomic_read(&p->violations) : 0;
	rcu_read_unlock();
	return n;
}

/**
 * tcpk_proc_restricted() - whether a process's operations need a decision
 * @pid: its tgid (initial namespace).
 * @max_violations: the limit of violations (0: none).
 *
 * For the hooks' fast path: a quarantined process, or one at or over the
 * violation limit (whose DESTRUCTIVE operations are refused), must not be
 * answered without a request.  One lookup in the table; any context that
 * may not sleep.
 *
 * Return: true if the process is quarantined or at the limit.
 */
bool tcpk_proc_restricted(u32 pid, unsigned int max_violations)
{
	struct tcpk_proc *p;
	bool r;

	rcu_read_lock();
	p = tcpk_proc_find_pid(pid);
	r = p && (READ_ONCE(p->quarantined) ||
		  (max_violations &&
		   atomic_read(&p->violations) >= max_violations));
	rcu_read_unlock();
	return r;
}

/**
 * tcpk_proc_release() - end the quarantine of a process
 * @pid: its tgid (initial namespace).
 *
 * The process's later operations are decided by the policy again (a rule
 * that quarantines may quarantine it again); its history and score are
 * kept.  Any context that may not sleep.
 *
 * Return: 0, or -ENOENT if @pid is not a quarantined process.
 */
int tcpk_proc_release(u32 pid)
{
	struct tcpk_proc *p;
	int ret = -ENOENT;

	rcu_read_lock();
	p = tcpk_proc_find_pid(pid);
	if (p && READ_ONCE(p->quarantined)) {
		WRITE_ONCE(p->quarantined, false);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

/**
 * tcpk_proc_quarantined() - whether a process is quarantined
 * @pid: its tgid (initial namespace).
 *
 * Any context that may not sleep; a lookup in the table, and one of the
 * pid only for processes that have an entry.
 *
 * Return: true if tcpk_proc_quarantine() was called for this process and
 * tcpk_proc_release() not since.
 */
bool tcpk_proc_quarantined(u32 pid)
{
	struct tcpk_proc *p;
	bool q;

	rcu_read_lock();
	p = tcpk_proc_find_pid(pid);
	q = p && READ_ONCE(p->quarantined);
	rcu_read_unlock();
	return q;
}

/**
 * tcpk_proc_history() - visit a process's last decisions
 * @pid: its tgid (initial namespace).
 * @fill: called for each decision, oldest first, under rcu_read_lock()
 *	(it must not sleep), on a copy taken under the entry's lock; 0 goes
 *	on, an error stops.
 * @arg: passed to @fill.
 *
 * Process context: allocates the copy with GFP_KERNEL.
 *
 * Return: 0, -ENOENT if the process has no entry, -ENOMEM, or the error
 * of @fill.
 */
int tcpk_proc_history(u32 pid, tcpk_history_fill_t fill, void *arg)
{
	struct tcpk_history_entry *snap;
	struct tcpk_proc *p;
	unsigned int i, n;
	int err = 0;

	snap = kmalloc_array(TCPK_HISTORY_LEN, sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	rcu_read_lock();
	p = tcpk_proc_find_pid(pid);
	if (!p) {
		err = -ENOENT;
		goto out;
	}
	n = tcpk_proc_history_copy(p, snap);
	for (i = 0; i < n && !err; i++)
		err = fill(&snap[i], arg);
out:
	rcu_read_unlock();
	kfree(snap);
	return err;
}

/**
 * tcpk_proc_stats_sum() - read the table's counters
 * @st: receives them.
 *
 * Any context.
 */
void tcpk_proc_stats_sum(struct tcpk_proc_stats *st)
{
	st->labels = atomic64_read(&tcpk_proc_labels);
	st->labels_lost = atomic64_read(&tcpk_proc_labels_lost);
	st->entries = atomic_read(&tcpk_proc_entries);
	st->evicted = atomic64_read(&tcpk_proc_evicted);
	st->bytes = atomic64_read(&tcpk_proc_bytes);
}

/* --- tracepoints ------------------------------------------------------------ */

/*
 * sched_process_fork: in kernel_clone() after copy_process(), before the
 * child is first woken, so the label is in place before the child runs.
 * @parent is the forking task (current).  A new thread only joins its
 * group's entry.  A labelled child also inherits half its parent's
 * anomaly score (tcpk_features_inherit()): a process cannot shed its
 * score by forking.
 */
static void tcpk_fork_probe(void *data, struct task_struct *parent,
			    struct task_struct *child)
{
	struct tcpk_proc *pp, *cp;
	struct tcpk_agent *agent;
	unsigned int violations;

	if (!thread_group_leader(child))
		return;
	rcu_read_lock();
	agent = tcpk_agent_of(parent);
	pp = tcpk_proc_of(parent);
	violations = pp ? atomic_read(&pp->violations) : 0;
	if (agent &&
	    !tcpk_proc_inherit(agent, child->tgid, child->start_time, child)) {
		cp = tcpk_proc_of(child);
		if (pp && cp)
			tcpk_features_inherit(&cp->feat, &pp->feat,
					      ktime_get_coarse_ns(),
					      tcpk_score_half_life());
	}
	/* A process cannot shed its violations by forking (any parent). */
	if (violations)
		tcpk_proc_set(child->tgid, child->start_time, child,
			      tcpk_proc_inherit_violations, violations);
	rcu_read_unlock();
}

/*
 * sched_process_exit: in do_exit() of every exiting thread, after the
 * decrement of signal->live (atomic_dec_and_test(), a full barrier), on
 * 6.1 as on 6.12.  The thread that takes it to 0 is the group's last and
 * sees 0 here; another one exiting at the same time may see 0 too, which
 * only removes the entry twice (the second time finds nothing).  The pid
 * stays taken until the group is reaped, so no new group can own the
 * entry yet.  sched_process_free was not used: it fires from an RCU
 * callback (softirq), per thread, and only when the task is reaped, so
 * entries of zombies would linger.
 */
static void tcpk_exit_probe(void *data, struct task_struct *p)
{
	if (atomic_read(&p->signal->live))
		return;
	tcpk_proc_remove(p->tgid);
}

/*
 * The exec request from the exec tracepoint: the subject is @task after
 * the exec, the object its new executable @file; observe-only.  Caller
 * holds RCU; @buf (@len bytes) receives the path, @comm the command name.
 */
static void tcpk_exec_request(struct tcpk_request *req,
			      struct task_struct *task, struct file *file,
			      char *comm, char *buf, size_t len)
{
	struct tcpk_desc_binding bind = { .kind = TCPK_DESC_KEY_PATH };
	const struct tcpk_desc_entry *e;

	tcpk_request_subject(req, task, comm, NULL);
	req->op = TCPK_OP_EXEC;
	req->syscall = -1;
	req->access = BIT(TCPK_ACCESS_EXEC);
	req->target = TCPK_SCOPE_ANY;
	req->observe = 1;
	req->path = tcpk_file_path(file, buf, len);
	/* The new image is the subject's executable now. */
	req->exe = req->path;
	req->desc_flags = 0;
	if (req->path) {
		bind.path = req->path;
		bind.path_len = strlen(req->path);
		e = tcpk_descdb_lookup(&bind);
		if (e)
			req->desc_flags = e->flags;
	}
}

/*
 * sched_process_exec: in exec_binprm() once the new image is in place
 * (bprm->file is the final executable: the interpreter of a script).
 * The exec has happened, so the decision is recorded, never enforced.
 */
static void tcpk_exec_probe(void *data, struct task_struct *p, pid_t old_pid,
			    struct linux_binprm *bprm)
{
	char comm[TASK_COMM_LEN];
	struct tcpk_request req = {};
	struct tcpk_features *f;
	struct tcpk_decision d;

	rcu_read_lock();
	f = tcpk_proc_features(p);
	if (f)
		tcpk_sequence_exec(f);
	rcu_read_unlock();
	if (tcpk_security_level_get() == TCPK_LEVEL_OFF ||
	    READ_ONCE(tcpk_exec_hooked))
		return;
	rcu_read_lock();
	/* Preemption is disabled in a tracepoint probe. */
	tcpk_exec_request(&req, p, bprm->file, comm,
			  this_cpu_ptr(tcpk_exec_buf), TCPK_PATH_MAX);
	tcpk_policy_decide(&req, &d);
	rcu_read_unlock();
}

/**
 * tcpk_proc_exec_hooked() - execs are decided at the exec hook from now on
 *
 * Called by the exec hook's kfunc.  The exec tracepoint then stops taking
 * its observe-only decisions, so that one exec makes one decision.  Any
 * context.
 */
void tcpk_proc_exec_hooked(void)
{
	if (!READ_ONCE(tcpk_exec_hooked))
		WRITE_ONCE(tcpk_exec_hooked, true);
}

/**
 * struct tcpk_tracepoint - a kernel tracepoint the module follows
 * @name: its name.
 * @probe: our probe.
 * @enabled: if not NULL, the probe is registered only if this is true
 *	(read once, at tcpk_proc_init(); it must not change after).
 * @tp: the tracepoint, once found.
 */
struct tcpk_tracepoint {
	const char *name;
	void *probe;
	const bool *enabled;
	struct tracepoint *tp;
};

/*
 * In registration order: exits first, so no entry outlives its process.
 * The behavioural feed's probe (behavior/feed.c) is registered when its
 * module parameter syscall_feed is on.
 */
static struct tcpk_tracepoint tcpk_tracepoints[] = {
	{ .name = "sched_process_exit", .probe = tcpk_exit_probe },
	{ .name = "sched_process_fork", .probe = tcpk_fork_probe },
	{ .name = "sched_process_exec", .probe = tcpk_exec_probe },
	{ .name = "sys_exit", .probe = tcpk_sys_exit_probe,
	  .enabled = &tcpk_syscall_feed },
};

/* Whether tcpk_proc_init() registers the probe of @t. */
static bool tcpk_tracepoint_used(const struct tcpk_tracepoint *t)
{
	return !t->enabled || *t->enabled;
}

static void tcpk_tracepoint_find(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tcpk_tracepoints); i++)
		if (!strcmp(tp->name, tcpk_tracepoints[i].name))
			tcpk_tracepoints[i].tp = tp;
}

static void tcpk_tracepoints_unregister(unsigned int n)
{
	while (n--)
		if (tcpk_tracepoint_used(&tcpk_tracepoints[n]))
			tracepoint_probe_unregister(tcpk_tracepoints[n].tp,
						    tcpk_tracepoints[n].probe,
						    NULL);
	/* No probe is running, or will run, after this. */
	tracepoint_synchronize_unregister();
}

/**
 * tcpk_proc_init() - start following processes
 *
 * Registers the probes of the scheduler's fork, exec and exit
 * tracepoints, and that of the behavioural feed (system call exits) unless
 * it is off.  Process context.
 *
 * Return: 0, -ENOENT if a tracepoint is missing, -ENOMEM, or the error of
 * the registration.
 */
int tcpk_proc_init(void)
{
	unsigned int i;
	int err;

	tcpk_exec_buf = __alloc_percpu(TCPK_PATH_MAX, SMP_CACHE_BYTES);
	if (!tcpk_exec_buf)
		return -ENOMEM;

	for (i = 0; i < ARRAY_SIZE(tcpk_tracepoints); i++)
		tcpk_tracepoints[i].tp = NULL;
	for_each_kernel_tracepoint(tcpk_tracepoint_find, NULL);
	for (i = 0; i < ARRAY_SIZE(tcpk_tracepoints); i++) {
		if (tcpk_tracepoint_used(&tcpk_tracepoints[i]) &&
		    !tcpk_tracepoints[i].tp) {
			pr_err("kernel tracepoint %s not found: cannot follow processes\n",
			       tcpk_tracepoints[i].name);
			err = -ENOENT;
			goto err_free;
		}
	}
	for (i = 0; i < ARRAY_SIZE(tcpk_tracepoints); i++) {
		if (!tcpk_tracepoint_used(&tcpk_tracepoints[i]))
			continue;
		err = tracepoint_probe_register(tcpk_tracepoints[i].tp,
						tcpk_tracepoints[i].probe, NULL);
		if (err) {
			pr_err("cannot register a probe on tracepoint %s: %d\n",
			       tcpk_tracepoints[i].name, err);
			goto err_unregister;
		}
	}
	return 0;

err_unregister:
	tcpk_tracepoints_unregister(i);
	tcpk_proc_flush();
err_free:
	free_percpu(tcpk_exec_buf);
	tcpk_exec_buf = NULL;
	return err;
}

/**
 * tcpk_proc_exit() - stop following processes and free the table
 *
 * Unregisters the probes, waits until none runs, then frees every entry
 * and session (waiting for their RCU callbacks).  Nothing else may use
 * the table any more.  Process context; sleeps.
 */
void tcpk_proc_exit(void)
{
	tcpk_tracepoints_unregister(ARRAY_SIZE(tcpk_tracepoints));
	tcpk_proc_flush();
	xa_destroy(&tcpk_procs);
	free_percpu(tcpk_exec_buf);
	tcpk_exec_buf = NULL;
}
