// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - lock: the state, and locking the module until reboot
 *
 * The flag is set once by tcpk_lock_engage() and never cleared: there is
 * no unlock, and the reference taken on the module keeps it (and so the
 * flag) in memory until the machine reboots.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/rwsem.h>
#include <linux/sched.h>

#include "core/events.h"
#include "core/lock.h"
#include "core/signed.h"

/*
 * @tcpk_lock_sem: held for reading by every netlink change that the lock
 * may refuse, from its check of the flag until it is applied; for writing
 * by tcpk_lock_engage() while it sets the flag.  So a change that saw the
 * module unlocked has been applied when tcpk_lock_engage() returns, and
 * every later one sees the flag.
 */
static DECLARE_RWSEM(tcpk_lock_sem);

/* Set once under tcpk_lock_sem (write) and kernel_param_lock(); read anywhere. */
static bool tcpk_lock_on;

/*
 * tcp-bpf's pin directory, if it was there when the module was locked
 * (looked up in the locker's namespace): set once, by the one
 * tcpk_lock_engage() call that locked it; never put.  Its reference on
 * the mount keeps the bpffs, and so the pins and the links, alive even
 * when the mount leaves every namespace (a lazy unmount of a mount above
 * it, which no sb_umount check of the bpffs sees).
 */
static struct path tcpk_lock_pins;

/**
 * tcpk_locked() - is the module locked?
 *
 * Any context.  Module parameters read it under kernel_param_lock(), which
 * tcpk_lock_engage() holds while it sets the flag.
 *
 * Return: true once tcpk_lock_engage() has locked it, until reboot.
 */
bool tcpk_locked(void)
{
	return READ_ONCE(tcpk_lock_on);
}

/**
 * tcpk_lock_change_begin() - start a change that the lock may refuse
 *
 * Call tcpk_lock_change_end() when the change is applied or refused.
 * Process context, may sleep.
 *
 * Return: true if the module is locked: the caller refuses, or applies
 * only, a change that does not loosen enforcement.
 */
bool tcpk_lock_change_begin(void)
{
	down_read(&tcpk_lock_sem);
	return tcpk_locked();
}

/**
 * tcpk_lock_change_end() - end a change started by tcpk_lock_change_begin()
 */
void tcpk_lock_change_end(void)
{
	up_read(&tcpk_lock_sem);
}

/* Hold TCPK_PIN_PATH's mount and dentry until reboot, if it is a bpffs. */
static void tcpk_lock_hold_pins(void)
{
	struct path path;

	if (kern_path(TCPK_PIN_PATH, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path))
		return;
	if (path.dentry->d_sb->s_magic != BPF_FS_MAGIC) {
		path_put(&path);
		return;
	}
	tcpk_lock_pins = path;
}

/**
 * tcpk_lock_engage() - lock the module until reboot
 *
 * Waits for the changes in progress, sets the flag under the module's
 * parameter lock (so a parameter write either finished before or sees
 * it), takes a reference on the module so that it cannot be unloaded and
 * one on tcp-bpf's pin directory (%TCPK_PIN_PATH) so that its bpffs lives,
 * logs who locked it and queues a %TCPK_EVENT_LOCK event.  Process
 * context, may sleep.
 *
 * Return: 0 if this call locked the module, -EALREADY if it was locked.
 */
int tcpk_lock_engage(void)
{
	int err = 0;

	down_write(&tcpk_lock_sem);
	kernel_param_lock(THIS_MODULE);
	if (tcpk_lock_on) {
		err = -EALREADY;
	} else {
		__module_get(THIS_MODULE);
		WRITE_ONCE(tcpk_lock_on, true);
	}
	kernel_param_unlock(THIS_MODULE);
	up_write(&tcpk_lock_sem);
	if (err)
		return err;

	/* No key can be added to ".tcp_kernel" from now on. */
	tcpk_signed_lock();
	tcpk_lock_hold_pins();

	pr_notice("locked until reboot by pid %d (%s), uid %u\n",
		  task_tgid_nr(current), current->comm,
		  from_kuid(&init_user_ns, current_uid()));
	tcpk_event_lock();
	return 0;
}
