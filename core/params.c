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
	/* Readers load it with READ_ONCE() from any context. */
	WRITE_ONCE(*(unsigned int *)kp->arg, level);
	return 0;
}

static int tcpk_security_level_show(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(*(unsigned int *)kp->arg));
}

/*
 * security_level may be changed at run time; an out-of-range value is
 * refused with -EINVAL and leaves the level as it was.
 */
const struct kernel_param_ops tcpk_security_level_ops = {
	.set = tcpk_security_level_set,
	.get = tcpk_security_level_show,
};
