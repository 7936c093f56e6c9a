/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - per-process state: agent labels, decision history,
 * quarantine
 *
 * One entry per tracked thread group, in an XArray indexed by tgid (initial
 * pid namespace) and checked against the group leader's start time, so a
 * recycled pid never inherits an entry.  Entries are created lazily (agent
 * start, inheritance at fork, first recorded decision), bounded by the
 * module parameter max_procs, and freed after an RCU grace period when the
 * thread group exits.  The module learns forks, execs and exits from the
 * scheduler's tracepoints (sched_process_fork/exec/exit), so the label of
 * an agent follows every descendant, daemonised ones included.
 */
#ifndef _TCPK_PROC_H
#define _TCPK_PROC_H

#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/tcp_kernel.h>

#include "behavior/features.h"
#include "policy/policy.h"

/**
 * define TCPK_HISTORY_LEN - decisions remembered per process for explain
 */
#define TCPK_HISTORY_LEN	16

/**
 * define TCPK_AGENT_WRITTEN_MAX - files remembered per agent session as
 * written by it (for "exec of a file the agent just wrote")
 */
#define TCPK_AGENT_WRITTEN_MAX	64

/**
 * struct tcpk_agent - one agent session (one tcp-policy run)
 * @ref: one per process entry that points here, plus holders.
 * @rcu: frees the session after a grace period.
 * @session: id, unique since load.
 * @name: the label.
 * @workspace: absolute workspace path without trailing slash, or NULL.
 * @lock: protects @written and @written_next.
 * @written_next: next slot of @written to overwrite.
 * @written: inode keys of files the session wrote (ring).
 */
struct tcpk_agent {
	refcount_t ref;
	struct rcu_head rcu;
	u64 session;
	char name[TCPK_AGENT_NAME_MAX];
	char *workspace;
	spinlock_t lock;	/* @written, @written_next */
	unsigned int written_next;
	u64 written[TCPK_AGENT_WRITTEN_MAX];
};

/**
 * struct tcpk_history_entry - one remembered decision
 * @time: CLOCK_BOOTTIME ns.
 * @op: &enum tcpk_op.
 * @d: the decision.
 * @path: the object path, truncated.
 */
struct tcpk_history_entry {
	u64 time;
	u32 op;
	struct tcpk_decision d;
	char path[128];
};

int tcpk_proc_init(void);
void tcpk_proc_exit(void);

/*
 * Agents.  tcpk_agent_start() labels @task's thread group; -EPERM if it is
 * labelled already, -EINVAL (with *@errmsg) for a bad name or workspace.
 * Process context.
 */
int tcpk_agent_start(struct task_struct *task, const char *name,
		     const char *workspace, u64 *session, const char **errmsg);

/*
 * tcpk_agent_of() - the agent session of @task's thread group, or NULL.
 * Caller holds rcu_read_lock(); the result is valid until it drops it.
 */
struct tcpk_agent *tcpk_agent_of(struct task_struct *task);

void tcpk_agent_note_written(struct tcpk_agent *agent, u64 inode_key);
bool tcpk_agent_wrote(struct tcpk_agent *agent, u64 inode_key);

/**
 * typedef tcpk_agent_fill_t - callback of tcpk_agent_walk()
 * @pid: a labelled process.
 * @comm: its command name.
 * @agent: its session.
 * @arg: the caller's argument.
 *
 * Called under rcu_read_lock(): must not sleep.  0 goes on, an error stops.
 */
typedef int (*tcpk_agent_fill_t)(u32 pid, const char *comm,
				 const struct tcpk_agent *agent, void *arg);
int tcpk_agent_walk(unsigned long *pos, tcpk_agent_fill_t fill, void *arg);

/*
 * Requests from live tasks: fills @req's subject from @task: pid, uids,
 * comm (copied into @comm, TASK_COMM_LEN bytes), executable path (into
 * @exe, @exe_len bytes; NULL if it has none), cgroups, agent label,
 * workspace and session (pointing into the agent: valid while the caller
 * holds rcu_read_lock(), which it must).  Never sleeps.
 */
void tcpk_request_from_task(struct tcpk_request *req, struct task_struct *task,
			    char *comm, char *exe, size_t exe_len);
u8 tcpk_target_scope(struct task_struct *subject, struct task_struct *target);

void tcpk_proc_exec_hooked(void);

/* Decision history and quarantine, called by tcpk_policy_decide(). */
void tcpk_proc_record(const struct tcpk_request *req,
		      const struct tcpk_decision *d);
void tcpk_proc_quarantine(u32 pid);
int tcpk_proc_release(u32 pid);
void tcpk_proc_violation(u32 pid);
unsigned int tcpk_proc_violations(u32 pid);
bool tcpk_proc_restricted(u32 pid, unsigned int max_violations);
bool tcpk_proc_quarantined(u32 pid);

/**
 * typedef tcpk_history_fill_t - callback of tcpk_proc_history()
 * @e: one decision, oldest first.
 * @arg: the caller's argument.
 */
typedef int (*tcpk_history_fill_t)(const struct tcpk_history_entry *e,
				   void *arg);
int tcpk_proc_history(u32 pid, tcpk_history_fill_t fill, void *arg);

/**
 * struct tcpk_proc_stats - per-process table counters
 * @labels: labels given (starts and inheritance).
 * @labels_lost: children of labelled processes left unlabelled (no memory
 *	or max_procs reached).
 * @entries: entries in the table now.
 * @evicted: entries evicted to make room in the full table.
 * @bytes: memory of the entries and their histories now (ksize()).
 */
struct tcpk_proc_stats {
	u64 labels;
	u64 labels_lost;
	u64 entries;
	u64 evicted;
	u64 bytes;
};

void tcpk_proc_stats_sum(struct tcpk_proc_stats *st);

/**
 * struct tcpk_proc_info - a tracked process, as tcpk_proc_walk() shows it
 * @pid: its tgid (initial namespace).
 * @comm: its command name.
 * @agent: its agent label, or NULL; points into the session, valid under
 *	the walk's RCU read lock only.
 * @session: its agent session, or 0.
 * @quarantined: every later operation is refused.
 * @violations: its violations (tcpk_proc_violation()).
 * @feat: its behavioural features and score.
 * @profile: the executable of its learned profile, or NULL; valid under
 *	the walk's RCU read lock only.
 */
struct tcpk_proc_info {
	u32 pid;
	char comm[TASK_COMM_LEN];
	const char *agent;
	u64 session;
	bool quarantined;
	u32 violations;
	struct tcpk_features_info feat;
	const char *profile;
};

/**
 * typedef tcpk_proc_fill_t - callback of tcpk_proc_walk()
 * @info: one process.
 * @arg: the caller's argument.
 *
 * Called under rcu_read_lock(): must not sleep.  0 goes on, an error stops.
 */
typedef int (*tcpk_proc_fill_t)(const struct tcpk_proc_info *info,
				void *arg);
int tcpk_proc_walk(unsigned long *pos, tcpk_proc_fill_t fill, void *arg);

/*
 * The behavioural features of @task's process, or NULL if it is not
 * tracked (_get() starts tracking it).  Caller holds RCU.  tcpk_proc_tracking() says whether any
 * process is (a racy hint for the hottest probes).
 */
struct tcpk_features *tcpk_proc_features(struct task_struct *task);
struct tcpk_features *tcpk_proc_features_get(struct task_struct *task);
bool tcpk_proc_tracking(void);
unsigned int tcpk_proc_tgids(unsigned long *pos, u32 *tgids, unsigned int n,
			     unsigned int visit);

#endif /* _TCPK_PROC_H */
