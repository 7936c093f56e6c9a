/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the hardware monitors: their ops tables, the registry and
 * the tasks they watch
 */
#ifndef _TCPK_HWMON_H
#define _TCPK_HWMON_H

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/tcp_kernel.h>

#include "core/status.h"
#include "hwmon/metrics.h"

struct perf_event;
struct tcpk_hwmon_entry;

/**
 * struct tcpk_hwmon_task - one process the monitors watch (a slot)
 * @tgid: its tgid, 0 while the slot is free.  Written under the registry's
 *	mutex (WRITE_ONCE(), after the rest of the slot is set up); read
 *	locklessly by tcpk_hwmon_cp_fault().
 * @task: its group leader, whose reference the slot holds.
 * @comm: its command name at the last evaluation.
 * @enabled: BIT(&enum tcpk_hwmon) of the monitors watching it.
 * @ev: its perf counters by &enum tcpk_hwc, NULL where it has none.
 * @prev: the counters at the last evaluation.
 * @m: the metrics of the last period.
 * @judge: the busy run.
 * @periods: evaluations of its counters.
 * @overflows: overflows of its sampling counter; atomic, bumped by the
 *	overflow handler (NMI or interrupt context).
 * @cp_faults: control-protection faults; atomic, bumped by the signal
 *	probe.
 * @cp_faults_seen: @cp_faults at the last evaluation.
 * @shstk: its user shadow stack is on (as of the last evaluation).
 * @shstk_known: the kernel tells (user shadow stacks are supported).
 * @no_shstk_fired: %TCPK_HWMON_SIGNAL_NO_SHSTK was raised for it.
 * @signals: signals raised so far, by &enum tcpk_hwmon_signal.
 * @points: anomaly score points given to the process.
 *
 * Every field but @tgid, @overflows and @cp_faults is under the
 * registry's mutex.
 */
struct tcpk_hwmon_task {
	u32 tgid;
	struct task_struct *task;
	char comm[TASK_COMM_LEN];
	u32 enabled;
	struct perf_event *ev[__TCPK_HWC_MAX];
	struct tcpk_hwmon_sample prev;
	struct tcpk_hwmon_metrics m;
	struct tcpk_hwmon_judge judge;
	u64 periods;
	atomic64_t overflows;
	atomic64_t cp_faults;
	u64 cp_faults_seen;
	bool shstk;
	bool shstk_known;
	bool no_shstk_fired;
	u64 signals[__TCPK_HWMON_SIGNAL_MAX];
	u32 points;
};

/**
 * struct tcpk_hwmon_ops - what a monitor does (the seed's ops table)
 * @name: its name ("perf", "intel_pt", "cet").
 * @type: which monitor it is.
 * @available: detect whether it can work here; writes what was found to
 *	@mon's reason and hardware.  Process context, at load.
 * @init: start it (optional); an error leaves it unavailable.  Process
 *	context, at load.
 * @exit: stop it (optional), after every task it watched was disabled.
 * @enable: start watching a task (optional: a monitor without it watches
 *	none); may sleep.  Registry mutex held.
 * @disable: stop watching a task that @enable accepted; may sleep.
 *	Registry mutex held.
 * @check_violation: evaluate a task it watches at time @now (ns);
 *	returns BIT(&enum tcpk_hwmon_signal) of the signals raised.  May
 *	sleep; registry mutex held.
 * @get_trace: copy the task's recent trace to @buf (@len bytes)
 *	(optional); returns the bytes copied or a negative errno.
 */
struct tcpk_hwmon_ops {
	const char *name;
	enum tcpk_hwmon type;
	bool (*available)(struct tcpk_hwmon_entry *mon);
	int (*init)(void);
	void (*exit)(void);
	int (*enable)(struct tcpk_hwmon_task *t);
	void (*disable)(struct tcpk_hwmon_task *t);
	u32 (*check_violation)(struct tcpk_hwmon_task *t, u64 now);
	int (*get_trace)(struct tcpk_hwmon_task *t, void *buf, size_t len);
};

/**
 * struct tcpk_hwmon_entry - a monitor in the registry
 * @ops: what it does.
 * @enabled: the administrator enabled it.
 * @available: it works here and is running.
 * @hardware: its hardware part works (see %TCPK_A_HWMON_HARDWARE).
 * @reason: why it is not available, or what was detected.
 * @tasks: tasks it watches now, under the registry's mutex.
 *
 * All but @tasks are written once at load and read-only afterwards.
 */
struct tcpk_hwmon_entry {
	const struct tcpk_hwmon_ops *ops;
	bool enabled;
	bool available;
	bool hardware;
	char reason[TCPK_PART_REASON_LEN];
	unsigned int tasks;
};

extern const struct tcpk_hwmon_ops tcpk_hwmon_perf_ops;
extern const struct tcpk_hwmon_ops tcpk_hwmon_intel_pt_ops;
extern const struct tcpk_hwmon_ops tcpk_hwmon_cet_ops;

void tcpk_hwmon_init(void);
void tcpk_hwmon_exit(void);
void tcpk_hwmon_part(enum tcpk_hwmon id, struct tcpk_part_status *ps);

/**
 * struct tcpk_hwmon_info - a monitor, as hwmon-get reports it
 * @id: which.
 * @name: its name.
 * @enabled: the administrator enabled it.
 * @available: it works here and is running.
 * @hardware: its hardware part works.
 * @reason: why it is not available, or what was detected.
 * @tasks: tasks it watches now.
 * @task_limit: the most tasks the monitors watch (hwmon_max_tasks).
 */
struct tcpk_hwmon_info {
	u32 id;
	const char *name;
	bool enabled;
	bool available;
	bool hardware;
	char reason[TCPK_PART_REASON_LEN];
	u32 tasks;
	u32 task_limit;
};

void tcpk_hwmon_info(enum tcpk_hwmon id, struct tcpk_hwmon_info *info);

/**
 * typedef tcpk_hwmon_fill_t - callback of tcpk_hwmon_walk()
 * @t: one watched task (read-only; the registry's mutex is held).
 * @arg: the caller's argument.
 *
 * 0 goes on, an error stops.
 */
typedef int (*tcpk_hwmon_fill_t)(const struct tcpk_hwmon_task *t, void *arg);
int tcpk_hwmon_walk(unsigned long *pos, tcpk_hwmon_fill_t fill, void *arg);

/* For the monitors. */
void tcpk_hwmon_kick(void);
void tcpk_hwmon_cp_fault(u32 tgid);
u64 tcpk_hwmon_sample_ns(void);
void tcpk_hwmon_limits(struct tcpk_hwmon_limits *l);
bool tcpk_hwmon_expect_shstk(void);

#endif /* _TCPK_HWMON_H */
