// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the CET monitor: kernel IBT, user shadow stacks and
 * control-protection faults
 *
 * Kernel IBT is a property of the running kernel, reported only.  Where
 * the kernel and CPU offer user shadow stacks (6.6 and later with
 * CONFIG_X86_USER_SHADOW_STACK, a CPU with CET-SS), the monitor watches
 * tasks: whether each runs with its shadow stack (a signal when
 * cet_expect_shstk is set and it does not), and the control-protection
 * faults it receives, seen by a probe on the signal_generate tracepoint
 * (SIGSEGV with si_code SEGV_CPERR).  The probe runs under the target's
 * signal lock: it only counts on the task's slot and asks for a scan.
 */

#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/tracepoint.h>
#include <asm/cpufeature.h>

#include "hwmon/hwmon.h"

#if defined(TCPK_HAVE_USER_SHSTK) && IS_ENABLED(CONFIG_X86_USER_SHADOW_STACK) && \
	defined(SEGV_CPERR)
#define TCPK_CET_USER	1
#include <asm/prctl.h>
#else
#define TCPK_CET_USER	0
#endif

/* The kernel runs with IBT; user shadow stacks are offered.  At load. */
static bool tcpk_cet_ibt __ro_after_init;
static bool tcpk_cet_shstk __ro_after_init;

static bool tcpk_cet_available(struct tcpk_hwmon_entry *mon)
{
	tcpk_cet_ibt = cpu_feature_enabled(X86_FEATURE_IBT);
#if TCPK_CET_USER
	tcpk_cet_shstk = cpu_feature_enabled(X86_FEATURE_USER_SHSTK);
#endif
	mon->hardware = tcpk_cet_ibt || tcpk_cet_shstk;
	snprintf(mon->reason, sizeof(mon->reason),
		 "kernel IBT %s, user shadow stack %s%s",
		 str_on_off(tcpk_cet_ibt),
		 TCPK_CET_USER ? str_on_off(tcpk_cet_shstk) :
				 "not supported by this kernel",
		 mon->enabled ? "" : "; disabled by enable_cet=0");
	return mon->hardware;
}

#if TCPK_CET_USER
static struct tracepoint *tcpk_cet_tp;

/* signal_generate: under the target's siglock, interrupts off. */
static void tcpk_cet_signal_probe(void *data, int sig,
				  struct kernel_siginfo *info,
				  struct task_struct *task, int group,
				  int result)
{
	if (sig != SIGSEGV || info == SEND_SIG_NOINFO ||
	    info == SEND_SIG_PRIV || info->si_code != SEGV_CPERR)
		return;
	tcpk_hwmon_cp_fault(task->tgid);
}

static void tcpk_cet_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "signal_generate"))
		tcpk_cet_tp = tp;
}

static int tcpk_cet_init(void)
{
	if (!tcpk_cet_shstk)
		return 0;
	for_each_kernel_tracepoint(tcpk_cet_find_tp, NULL);
	if (!tcpk_cet_tp)
		return -ENOENT;
	return tracepoint_probe_register(tcpk_cet_tp, tcpk_cet_signal_probe,
					 NULL);
}

static void tcpk_cet_exit(void)
{
	if (!tcpk_cet_shstk || !tcpk_cet_tp)
		return;
	tracepoint_probe_unregister(tcpk_cet_tp, tcpk_cet_signal_probe, NULL);
	tracepoint_synchronize_unregister();
}

static int tcpk_cet_enable(struct tcpk_hwmon_task *t)
{
	if (!tcpk_cet_shstk)
		return -EOPNOTSUPP;
	t->shstk_known = true;
	return 0;
}

static void tcpk_cet_disable(struct tcpk_hwmon_task *t)
{
}

static u32 tcpk_cet_check(struct tcpk_hwmon_task *t, u64 now)
{
	u64 faults = atomic64_read(&t->cp_faults);
	u32 sigs = 0;

	t->shstk = READ_ONCE(t->task->thread.features) & ARCH_SHSTK_SHSTK;
	if (!t->shstk && !t->no_shstk_fired && tcpk_hwmon_expect_shstk()) {
		t->no_shstk_fired = true;
		sigs |= BIT(TCPK_HWMON_SIGNAL_NO_SHSTK);
	}
	if (faults != t->cp_faults_seen) {
		t->cp_faults_seen = faults;
		sigs |= BIT(TCPK_HWMON_SIGNAL_CP_FAULT);
	}
	return sigs;
}
#endif /* TCPK_CET_USER */

const struct tcpk_hwmon_ops tcpk_hwmon_cet_ops = {
	.name = "cet",
	.type = TCPK_HWMON_CET,
	.available = tcpk_cet_available,
#if TCPK_CET_USER
	.init = tcpk_cet_init,
	.exit = tcpk_cet_exit,
	.enable = tcpk_cet_enable,
	.disable = tcpk_cet_disable,
	.check_violation = tcpk_cet_check,
#endif
};
