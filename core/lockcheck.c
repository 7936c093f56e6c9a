// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - lock: which changes loosen enforcement
 *
 * Pure functions of their arguments: the KUnit suite builds this file
 * into the test module as it is.  Each answers whether a change, applied
 * while the module is locked, could let through something that the
 * running policy refuses or reports; the lock refuses those changes.
 */

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "core/common.h"
#include "core/lock.h"
#include "policy/policy.h"

/**
 * tcpk_lock_level_loosens() - does a new security level loosen?
 * @now: the level in force.
 * @next: the level asked for.
 *
 * Every level enforces at least what the lower ones do (monitor only
 * reports, enforce refuses block_ops, paranoid refuses every deny), so
 * only a lower level loosens.
 *
 * Return: true if @next is lower than @now.
 */
bool tcpk_lock_level_loosens(u32 now, u32 next)
{
	return next < now;
}

/**
 * tcpk_lock_mask_loosens() - does a new mask of enforced things loosen?
 * @now: the mask in force (e.g. block_ops).
 * @next: the mask asked for.
 *
 * Return: true if @next lacks a bit of @now.
 */
bool tcpk_lock_mask_loosens(u32 now, u32 next)
{
	return (now & ~next) != 0;
}

/**
 * tcpk_lock_mode_loosens() - does a mode change loosen?
 * @now: the mode in force.
 * @next: the values asked for; only those with their set_ flag count.
 * @set_level: @next->level is to be set.
 * @set_alerts: @next->alerts is to be set.
 * @set_block_ops: @next->block_ops is to be set.
 *
 * Lowering the level, turning alert events off (they are the record of
 * what alert rules saw) and removing operations from block_ops loosen.
 *
 * Return: NULL if nothing loosens, else what does, for the message.
 */
const char *tcpk_lock_mode_loosens(const struct tcpk_mode *now,
				   const struct tcpk_mode *next,
				   bool set_level, bool set_alerts,
				   bool set_block_ops)
{
	if (set_level && tcpk_lock_level_loosens(now->level, next->level))
		return TCPK_LOCKED_MSG("lowering the security level");
	if (set_alerts && now->alerts && !next->alerts)
		return TCPK_LOCKED_MSG("turning alerts off");
	if (set_block_ops && tcpk_lock_mask_loosens(now->block_ops,
						    next->block_ops))
		return TCPK_LOCKED_MSG("removing operations from block_ops");
	return NULL;
}

/* How much an action refuses: 0 allows, 1 denies, 2 denies and more. */
static int tcpk_lock_strength(u32 action)
{
	switch (action) {
	case TCPK_ACTION_DENY:
		return 1;
	case TCPK_ACTION_KILL:
	case TCPK_ACTION_QUARANTINE:
		return 2;
	default:
		return 0;
	}
}

/**
 * tcpk_lock_action_restricts() - may a rule of this action be added?
 * @action: &enum tcpk_action of the new rule.
 *
 * Only deny, kill and quarantine refuse; allow, monitor and alert rules
 * allow what they match, and the first matching rule decides, so they
 * could hide a deny rule evaluated after them.
 *
 * Return: true for deny, kill and quarantine.
 */
bool tcpk_lock_action_restricts(u32 action)
{
	return tcpk_lock_strength(action) > 0;
}

/**
 * tcpk_lock_rule_shadows() - would a new rule weaken an existing one?
 * @new_action: action of the new rule.
 * @new_flags: its flags (mask of ``1 << enum tcpk_rule_flag``).
 * @old_action: action of an existing rule that the new one is evaluated
 *	before (lower priority value), so that it decides in its place
 *	wherever both match.
 * @old_flags: that rule's flags.
 *
 * The new rule weakens the old one if it refuses less (deny before kill
 * or quarantine), refuses differently (kill before quarantine and the
 * reverse: neither contains the other), or drops the alert flag.  A rule
 * evaluated after every existing rule only decides what the level's
 * default decided before, which allows or denies: a restricting action
 * never weakens that.
 *
 * Return: true if the new rule may not be placed before the old one.
 */
bool tcpk_lock_rule_shadows(u32 new_action, u32 new_flags, u32 old_action,
			    u32 old_flags)
{
	if (old_flags & ~new_flags)
		return true;
	if (new_action == old_action)
		return false;
	return tcpk_lock_strength(new_action) <= tcpk_lock_strength(old_action);
}

/**
 * tcpk_lock_pin_dir_name() - is a name that of the loader's pin directory?
 * @name: a directory entry's name, not NUL-terminated.
 * @len: its length.
 *
 * tcp-bpf pins its programs and links under %TCPK_PIN_DIR_NAME at the
 * root of a bpffs (/sys/fs/bpf/tcp_kernel); while the module is locked,
 * nothing in that directory may be unpinned, moved or replaced.
 *
 * Return: true if @name is %TCPK_PIN_DIR_NAME.
 */
bool tcpk_lock_pin_dir_name(const unsigned char *name, u32 len)
{
	return len == sizeof(TCPK_PIN_DIR_NAME) - 1 &&
	       !memcmp(name, TCPK_PIN_DIR_NAME, len);
}
