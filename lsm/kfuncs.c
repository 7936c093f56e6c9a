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
#include <linux/dcache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "core/compat.h"
#include "core/common.h"
#include "core/lock.h"
#include "core/stats.h"
#include "lsm/kfuncs.h"
#include "policy/proc.h"

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

/*
 * The guard of the BPF side: while the module is locked, and always for
 * a process of an agent session (tcp-policy run --agent), the pins of
 * tcp-bpf (TCPK_PIN_DIR_NAME at the root of a bpffs) stay, the bpffs
 * holding them stays mounted, and no link is detached or updated.  The
 * programs of ebpf/tcpk_lsm.bpf.c call these from inode_unlink,
 * inode_rmdir, inode_rename, sb_umount and bpf.  For agents it does not
 * depend on the rules nor on security_level: a rule set that lets an
 * agent run as root must not let it take the enforcement away.
 */

/* Whether current is in an agent session; if so, its name (for the log). */
static bool tcpk_current_agent(char *name, size_t len)
{
	struct tcpk_agent *agent;

	rcu_read_lock();
	agent = tcpk_agent_of(current);
	if (agent)
		strscpy(name, agent->name, len);
	rcu_read_unlock();
	return agent;
}

/* Is @dentry, on a bpffs, the pin directory or below it? */
static bool tcpk_in_pin_dir(struct dentry *dentry)
{
	struct dentry *d, *parent;
	bool ours = false;

	if (dentry->d_sb->s_magic != BPF_FS_MAGIC)
		return false;
	/*
	 * Up to the child of the root, under RCU (dentries are freed after a
	 * grace period).  A concurrent rename may move an ancestor: then the
	 * answer is that of the tree just before or after it.  The name is
	 * read under the dentry's d_lock, which a rename of it holds.
	 */
	rcu_read_lock();
	for (d = dentry; ; d = parent) {
		parent = READ_ONCE(d->d_parent);
		if (parent == d)
			break;		/* @dentry is the root */
		if (IS_ROOT(parent)) {
			spin_lock(&d->d_lock);
			ours = tcpk_lock_pin_dir_name(d->d_name.name,
						      d->d_name.len);
			spin_unlock(&d->d_lock);
			break;
		}
	}
	rcu_read_unlock();
	return ours;
}

static int tcpk_guard_refuse(const char *what)
{
	pr_notice_ratelimited("tcp_kernel is locked: %s refused until reboot (pid %d, %s)\n",
			      what, task_tgid_nr(current), current->comm);
	return -EPERM;
}

static int tcpk_guard_refuse_agent(const char *agent, const char *what)
{
	pr_notice_ratelimited("agent %s: %s refused (pid %d, %s)\n",
			      agent, what, task_tgid_nr(current), current->comm);
	return -EPERM;
}

/*
 * Is @mnt the mount of the pin directory, as current sees the path
 * TCPK_PIN_PATH, or a mount above it?  Unmounting it (lazily too) would
 * take the pins along.  False if current cannot see the pins.  May sleep.
 */
static bool tcpk_mount_holds_pins(struct vfsmount *mnt)
{
	struct path path;
	bool holds = false;

	if (kern_path(TCPK_PIN_PATH, 0, &path))
		return false;
	do {
		if (path.mnt == mnt) {
			holds = true;
			break;
		}
	} while (follow_up(&path));
	path_put(&path);
	return holds;
}

/**
 * tcpk_hook_pin_guard() - may this entry of a bpffs be removed or moved?
 * @dentry: the entry unlinked, removed, renamed or replaced
 *	(inode_unlink, inode_rmdir, inode_rename: old and new).
 *
 * Any context that may take a spinlock; does not sleep.
 *
 * Return: -EPERM if @dentry is tcp-bpf's pin directory or below it and
 * the module is locked or current is an agent's, else 0.
 */
__bpf_kfunc int tcpk_hook_pin_guard(struct dentry *dentry)
{
	char agent[TCPK_AGENT_NAME_MAX];

	/* The walk up the dentries only for a caller the guard binds. */
	if (!dentry)
		return 0;
	if (tcpk_locked())
		return tcpk_in_pin_dir(dentry) ? tcpk_guard_refuse("unpinning") : 0;
	if (tcpk_current_agent(agent, sizeof(agent)) && tcpk_in_pin_dir(dentry))
		return tcpk_guard_refuse_agent(agent, "unpinning");
	return 0;
}

/**
 * tcpk_hook_sb_umount() - may this mount be unmounted?
 * @mnt: the mount (sb_umount).
 *
 * Sleepable programs only (KF_SLEEPABLE): the lookups may sleep.
 *
 * Return: -EPERM if the module is locked and @mnt's superblock is a bpffs
 * holding tcp-bpf's pin directory at its root (the lock holds the pin
 * directory itself against unmounts above it), or if current is an
 * agent's and @mnt is the mount of the pins it sees at TCPK_PIN_PATH or a
 * mount above it; else 0.
 */
__bpf_kfunc int tcpk_hook_sb_umount(struct vfsmount *mnt)
{
	struct qstr name = QSTR_INIT(TCPK_PIN_DIR_NAME,
				     sizeof(TCPK_PIN_DIR_NAME) - 1);
	char agent[TCPK_AGENT_NAME_MAX];
	struct dentry *d;
	bool ours;

	if (!mnt)
		return 0;
	if (!tcpk_locked()) {
		if (tcpk_current_agent(agent, sizeof(agent)) &&
		    tcpk_mount_holds_pins(mnt))
			return tcpk_guard_refuse_agent(agent,
						       "unmounting the pins");
		return 0;
	}
	if (mnt->mnt_sb->s_magic != BPF_FS_MAGIC)
		return 0;
	d = d_hash_and_lookup(mnt->mnt_sb->s_root, &name);
	if (IS_ERR_OR_NULL(d))
		return 0;
	ours = d_really_is_positive(d);
	dput(d);
	return ours ? tcpk_guard_refuse("unmounting the bpffs of the pins") : 0;
}

/**
 * tcpk_hook_bpf_link() - may the bpf() syscall detach or update a link?
 * @cmd: the bpf() command (the bpf hook).
 *
 * While locked, and always for an agent's process, %BPF_LINK_DETACH and
 * %BPF_LINK_UPDATE are refused for every link, not only tcp-bpf's.  The
 * hook cannot know which link the command will act on: the system call
 * looks the link's descriptor up again after the hook, and another
 * thread may dup2() a descriptor of one of our links over it in between.
 * Other links still go away when their last descriptor and pin do.
 *
 * Any context; does not sleep.
 *
 * Return: -EPERM if @cmd detaches or updates a link and the module is
 * locked or current is an agent's, else 0.
 */
__bpf_kfunc int tcpk_hook_bpf_link(int cmd)
{
	const char *what = cmd == BPF_LINK_DETACH ? "BPF_LINK_DETACH" :
						     "BPF_LINK_UPDATE";
	char agent[TCPK_AGENT_NAME_MAX];

	if (cmd != BPF_LINK_DETACH && cmd != BPF_LINK_UPDATE)
		return 0;
	if (tcpk_locked())
		return tcpk_guard_refuse(what);
	if (tcpk_current_agent(agent, sizeof(agent)))
		return tcpk_guard_refuse_agent(agent, what);
	return 0;
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
BTF_ID_FLAGS(func, tcpk_hook_pin_guard)
BTF_ID_FLAGS(func, tcpk_hook_sb_umount, KF_SLEEPABLE)
BTF_ID_FLAGS(func, tcpk_hook_bpf_link)
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
