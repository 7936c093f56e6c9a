// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - module bring-up, parameters and teardown
 *
 * Parts come up in dependency order: CPU feature detection, the kfunc
 * bridge, the descriptor database, the event queue, the policy engine, the
 * per-process table (its tracepoints feed decisions and events), then the
 * netlink family (last, so that
 * user space sees the module only once everything behind the interface is
 * up).  A failed mandatory step unwinds the earlier ones; optional parts
 * (the kfunc bridge, hardware monitors) report why they are unavailable and
 * never fail the load.
 * Teardown mirrors bring-up.
 */

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "core/common.h"
#include "core/events.h"
#include "core/lock.h"
#include "core/main.h"
#include "core/netlink.h"
#include "core/params.h"
#include "core/signed.h"
#include "core/stats.h"
#include "core/status.h"
#include "descdb/descdb.h"
#include "hwmon/hwmon.h"
#include "lsm/kfuncs.h"
#include "policy/policy.h"
#include "policy/proc.h"
#include "behavior/sequence.h"

unsigned int tcpk_security_level = TCPK_LEVEL_MONITOR;
module_param_cb(security_level, &tcpk_security_level_ops,
		&tcpk_security_level, 0644);
MODULE_PARM_DESC(security_level,
		 "0 off, 1 monitor (default), 2 enforce critical, 3 paranoid; writable at run time");

struct tcpk_config tcpk_config __ro_after_init = {
	.enable_ebpf = true,
	.enable_lsm = true,
	.enable_intel_pt = true,
	.enable_cet = true,
	.enable_perf = true,
};
module_param_named(enable_ebpf, tcpk_config.enable_ebpf, bool, 0444);
MODULE_PARM_DESC(enable_ebpf, "Register the kfunc bridge for BPF programs (default 1)");
module_param_named(enable_lsm, tcpk_config.enable_lsm, bool, 0444);
MODULE_PARM_DESC(enable_lsm, "Enforce verdicts at LSM hooks through BPF-LSM (default 1)");
module_param_named(enable_intel_pt, tcpk_config.enable_intel_pt, bool, 0444);
MODULE_PARM_DESC(enable_intel_pt, "Use Intel Processor Trace where present (default 1)");
module_param_named(enable_cet, tcpk_config.enable_cet, bool, 0444);
MODULE_PARM_DESC(enable_cet, "Use CET (IBT, shadow stacks) where present (default 1)");
module_param_named(enable_perf, tcpk_config.enable_perf, bool, 0444);
MODULE_PARM_DESC(enable_perf, "Count watched processes' perf events: software everywhere, hardware where the CPU has a PMU (default 1)");

/*
 * State of each part, written once during module_init() and read-only
 * afterwards, so netlink readers need no lock.
 */
static struct tcpk_part_status tcpk_parts[__TCPK_PART_MAX] __ro_after_init;

/**
 * tcpk_status_collect() - take a snapshot of the module's status
 * @st: receives the snapshot.
 *
 * Process context; takes no lock (the counters are summed locklessly).
 */
void tcpk_status_collect(struct tcpk_status *st)
{
	st->module_version = TCPK_MODULE_VERSION;
	st->kernel_release = init_utsname()->release;
	st->security_level = tcpk_security_level_get();
	memcpy(st->parts, tcpk_parts, sizeof(st->parts));
	st->kfunc_calls = tcpk_stats_sum(TCPK_STAT_KFUNC_CALLS);
	st->genl_requests = tcpk_stats_sum(TCPK_STAT_GENL_REQUESTS);
	tcpk_policy_stats_sum(&st->policy);
	tcpk_events_stats_get(&st->events);
	tcpk_proc_stats_sum(&st->procs);
	st->locked = tcpk_locked();
	st->signed_required = READ_ONCE(tcpk_require_signed);
	st->keyring = tcpk_signed_keyring_serial();
}

static void __init tcpk_bridge_init(void)
{
	struct tcpk_part_status *ebpf = &tcpk_parts[TCPK_PART_EBPF];
	struct tcpk_part_status *lsm = &tcpk_parts[TCPK_PART_LSM];
	int err;

	ebpf->enabled = tcpk_config.enable_ebpf;
	err = tcpk_kfuncs_init(tcpk_config.enable_ebpf);
	if (!err)
		err = tcpk_xdp_kfuncs_init(tcpk_config.enable_ebpf);
	if (!err) {
		ebpf->available = true;
		strscpy(ebpf->reason,
			"kfuncs registered for BPF-LSM and XDP programs",
			sizeof(ebpf->reason));
	} else if (err == -EOPNOTSUPP) {
		strscpy(ebpf->reason, "disabled by enable_ebpf=0",
			sizeof(ebpf->reason));
	} else {
		snprintf(ebpf->reason, sizeof(ebpf->reason),
			 "kfunc registration failed (%d): module built without BTF?",
			 err);
		pr_warn("kfunc bridge unavailable: %s\n", ebpf->reason);
	}

	lsm->enabled = tcpk_config.enable_lsm;
	if (!IS_ENABLED(CONFIG_BPF_LSM))
		strscpy(lsm->reason, "kernel built without CONFIG_BPF_LSM",
			sizeof(lsm->reason));
	else if (!ebpf->available)
		strscpy(lsm->reason, "needs the ebpf part", sizeof(lsm->reason));
	else if (!lsm->enabled)
		strscpy(lsm->reason, "disabled by enable_lsm=0",
			sizeof(lsm->reason));
	else
		strscpy(lsm->reason, "BPF-LSM programs may call the module",
			sizeof(lsm->reason));
	lsm->available = lsm->enabled && ebpf->available &&
			 IS_ENABLED(CONFIG_BPF_LSM);
}

static int __init tcpk_init(void)
{
	int err;

	tcpk_bridge_init();

	err = tcpk_descdb_init();
	if (err)
		goto err_descdb;

	err = tcpk_events_init();
	if (err)
		goto err_events;

	err = tcpk_policy_init();
	if (err)
		goto err_policy;

	err = tcpk_sequence_init();
	if (err)
		goto err_sequence;

	err = tcpk_proc_init();
	if (err)
		goto err_proc;

	err = tcpk_hooks_init();
	if (err)
		goto err_hooks;

	/* Watches tracked processes; never fails (a missing monitor says why). */
	tcpk_hwmon_init();
	tcpk_hwmon_part(TCPK_HWMON_INTEL_PT, &tcpk_parts[TCPK_PART_INTEL_PT]);
	tcpk_hwmon_part(TCPK_HWMON_CET, &tcpk_parts[TCPK_PART_CET]);
	tcpk_hwmon_part(TCPK_HWMON_PERF, &tcpk_parts[TCPK_PART_PERF]);

	/* Never fails: without its keyring, the kernel's keys still verify. */
	tcpk_signed_init();

	err = tcpk_netlink_init();
	if (err)
		goto err_netlink;

	pr_info("version %s loaded, security_level=%u (%s)\n",
		TCPK_MODULE_VERSION, tcpk_security_level_get(),
		tcpk_security_level_name(tcpk_security_level_get()));
	pr_info("the hooks are enforced once the BPF-LSM programs are attached (tcp-bpf attach)\n");
	return 0;

err_netlink:
	tcpk_signed_exit();
	tcpk_hwmon_exit();
	tcpk_hooks_exit();
err_hooks:
	tcpk_proc_exit();
err_proc:
	tcpk_sequence_exit();
err_sequence:
	tcpk_policy_exit();
err_policy:
	tcpk_events_exit();
err_events:
	tcpk_descdb_exit();
err_descdb:
	/* Detection and the kfunc registration hold nothing to release. */
	pr_err("load failed: %d\n", err);
	return err;
}

static void __exit tcpk_exit(void)
{
	tcpk_netlink_exit();
	tcpk_signed_exit();
	tcpk_hwmon_exit();
	tcpk_hooks_exit();
	tcpk_proc_exit();
	tcpk_sequence_exit();
	tcpk_policy_exit();
	tcpk_events_exit();
	tcpk_descdb_exit();
	pr_info("unloaded\n");
}

module_init(tcpk_init);
module_exit(tcpk_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tcp_kernel: kernel-boundary safety for AI agents (Tool Capability Protocol)");
MODULE_AUTHOR("tcp_kernel developers");
MODULE_VERSION(TCPK_MODULE_VERSION);
