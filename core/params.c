// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - validation of module parameters
 *
 * Pure functions of their arguments: the KUnit suite builds this file
 * into the test module as it is.
 */

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/sysfs.h>

#include "core/params.h"
#include "core/common.h"
#include "core/lock.h"
#include "policy/policy.h"

static const char *const tcpk_level_names[__TCPK_LEVEL_MAX] = {
	[TCPK_LEVEL_OFF] = "off",
	[TCPK_LEVEL_MONITOR] = "monitor",
	[TCPK_LEVEL_ENFORCE] = "enforce",
	[TCPK_LEVEL_PARANOID] = "paranoid",
};

/**
 * tcpk_security_level_parse() - parse and range-check a security level
 * @val: decimal text as written to the parameter, with an optional newline.
 * @level: receives the level on success, untouched on failure.
 *
 * Return: 0, or -EINVAL if @val is not a number in 0..3.
 */
int tcpk_security_level_parse(const char *val, unsigned int *level)
{
	unsigned int v;

	if (!val || kstrtouint(val, 10, &v))
		return -EINVAL;
	if (v >= __TCPK_LEVEL_MAX)
		return -EINVAL;
	*level = v;
	return 0;
}

/**
 * tcpk_security_level_name() - the name of a security level
 * @level: a level.
 *
 * Return: "off", "monitor", "enforce", "paranoid", or "invalid".
 */
const char *tcpk_security_level_name(unsigned int level)
{
	if (level >= __TCPK_LEVEL_MAX)
		return "invalid";
	return tcpk_level_names[level];
}

static int tcpk_security_level_set(const char *val,
				   const struct kernel_param *kp)
{
	unsigned int level;
	int err;

	err = tcpk_security_level_parse(val, &level);
	if (err)
		return err;
	/*
	 * Under kernel_param_lock(), as tcpk_lock_engage() sets the flag and
	 * tcpk_policy_mode_set() writes the level.
	 */
	if (tcpk_locked() &&
	    tcpk_lock_level_loosens(*(unsigned int *)kp->arg, level)) {
		pr_notice_ratelimited("security_level: %s\n",
				      TCPK_LOCKED_MSG("lowering the security level"));
		return -EPERM;
	}
	/* Readers load it with READ_ONCE() from any context. */
	WRITE_ONCE(*(unsigned int *)kp->arg, level);
	tcpk_policy_mode_announce();
	return 0;
}

static int tcpk_security_level_show(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(*(unsigned int *)kp->arg));
}

/*
 * security_level may be changed at run time; an out-of-range value is
 * refused with -EINVAL, and a lower level while the module is locked with
 * -EPERM, and either leaves the level as it was.  A write that is taken
 * queues a mode event, as a change over netlink does.
 */
const struct kernel_param_ops tcpk_security_level_ops = {
	.set = tcpk_security_level_set,
	.get = tcpk_security_level_show,
};

/**
 * tcpk_param_frozen() - refuse a write of a parameter the lock freezes
 * @kp: the parameter being written.
 *
 * Called by the set operation, under kernel_param_lock(), as
 * tcpk_lock_engage() sets the flag.
 *
 * Return: 0 if the module is not locked, else -EPERM (logged).
 */
int tcpk_param_frozen(const struct kernel_param *kp)
{
	if (!tcpk_locked())
		return 0;
	pr_notice_ratelimited("%s: tcp_kernel is locked: the parameter is frozen until reboot\n",
			      kp->name);
	return -EPERM;
}

static int tcpk_frozen_uint_set(const char *val, const struct kernel_param *kp)
{
	return tcpk_param_frozen(kp) ?: param_set_uint(val, kp);
}

static int tcpk_frozen_bool_set(const char *val, const struct kernel_param *kp)
{
	return tcpk_param_frozen(kp) ?: param_set_bool(val, kp);
}

/*
 * Tunables that could loosen enforcement or the record of it one way or
 * another (thresholds, scores, windows, limits): while the module is
 * locked, every write is refused with -EPERM.  Use with module_param_cb().
 */
const struct kernel_param_ops tcpk_frozen_uint_ops = {
	.set = tcpk_frozen_uint_set,
	.get = param_get_uint,
};

const struct kernel_param_ops tcpk_frozen_bool_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = tcpk_frozen_bool_set,
	.get = param_get_bool,
};
