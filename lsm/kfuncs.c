// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - kfunc bridge between BPF-LSM programs and the module
 *
 * Modules cannot register LSM hooks.  BPF-LSM programs attach to the hooks
 * and call the module through the kfuncs registered here.  While such a
 * program is loaded the kernel holds a reference on this module, so it
 * cannot be unloaded under a running program.
 */

#include <linux/bpf.h>
#include <linux/module.h>

#include "core/compat.h"
#include "core/common.h"
#include "core/stats.h"
#include "lsm/kfuncs.h"

__bpf_kfunc_start_defs();

/**
 * tcpk_kfunc_security_level() - the module's current security level
 *
 * The first and simplest entry of the bridge: it proves end to end that a
 * BPF-LSM program reaches the module.  Callable from BPF_PROG_TYPE_LSM
 * programs attached with BPF_LSM_MAC, from any hook, sleepable or not;
 * it takes no lock and never sleeps.  Each call is counted in
 * %TCPK_A_STATS_KFUNC_CALLS.
 *
 * Return: the &enum tcpk_security_level in force.
 */
__bpf_kfunc u32 tcpk_kfunc_security_level(void)
{
	tcpk_stat_inc(TCPK_STAT_KFUNC_CALLS);
	return tcpk_security_level_get();
}

__bpf_kfunc_end_defs();

/* The hook kfuncs are in lsm/hooks.c. */
BTF_KFUNCS_START(tcpk_kfunc_ids)
BTF_ID_FLAGS(func, tcpk_kfunc_security_level)
BTF_ID_FLAGS(func, tcpk_hook_exec_wants_digest)
BTF_ID_FLAGS(func, tcpk_hook_exec)
BTF_ID_FLAGS(func, tcpk_hook_task_alloc)
BTF_ID_FLAGS(func, tcpk_hook_task_free)
BTF_ID_FLAGS(func, tcpk_hook_ptrace)
BTF_ID_FLAGS(func, tcpk_hook_task_kill)
BTF_ID_FLAGS(func, tcpk_hook_file_open)
BTF_ID_FLAGS(func, tcpk_hook_file_permission)
BTF_ID_FLAGS(func, tcpk_hook_path_mknod)
BTF_ID_FLAGS(func, tcpk_hook_path_unlink)
BTF_ID_FLAGS(func, tcpk_hook_path_rmdir)
BTF_ID_FLAGS(func, tcpk_hook_path_rename)
BTF_ID_FLAGS(func, tcpk_hook_path_chmod)
BTF_ID_FLAGS(func, tcpk_hook_socket_create)
BTF_ID_FLAGS(func, tcpk_hook_socket_connect)
BTF_ID_FLAGS(func, tcpk_hook_socket_sendmsg)
BTF_ID_FLAGS(func, tcpk_hook_mmap_file)
BTF_ID_FLAGS(func, tcpk_hook_file_mprotect)
BTF_ID_FLAGS(func, tcpk_hook_msgsnd)
BTF_ID_FLAGS(func, tcpk_hook_shmat)
BTF_ID_FLAGS(func, tcpk_hook_capable)
BTF_KFUNCS_END(tcpk_kfunc_ids)

#ifdef TCPK_HAVE_KFUNC_FILTER
/*
 * Only LSM programs attached to LSM hooks proper (not the cgroup-scoped
 * flavour, whose verdict is per cgroup) may call into the module.
 */
static int tcpk_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	if (prog->type == BPF_PROG_TYPE_LSM &&
	    prog->expected_attach_type == BPF_LSM_MAC)
		return 0;
	return -EACCES;
}
#endif

static const struct btf_kfunc_id_set tcpk_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &tcpk_kfunc_ids,
#ifdef TCPK_HAVE_KFUNC_FILTER
	.filter = tcpk_kfunc_filter,
#endif
};

/**
 * tcpk_kfuncs_init() - register the kfunc bridge for BPF-LSM programs
 * @enabled: the administrator's ``enable_ebpf``; nothing is registered
 *	when false.
 *
 * The registration lives as long as the module's BTF, i.e. until unload;
 * there is nothing to undo.  It fails if the module was built without BTF.
 *
 * Return: 0, -EOPNOTSUPP if disabled, or the kernel's error.
 */
int tcpk_kfuncs_init(bool enabled)
{
	if (!enabled)
		return -EOPNOTSUPP;
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_LSM, &tcpk_kfunc_set);
}
