/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - lock: the running policy made tamper-resistant until reboot
 *
 * %TCPK_CMD_LOCK sets a flag that is never cleared while the module is
 * loaded, and takes a reference on the module, so it stays loaded until
 * reboot.  From then on every change that could loosen enforcement is
 * refused with -EPERM.  The "does this change loosen" questions are pure
 * functions (core/lockcheck.c) so that KUnit tests them as they are.
 *
 * Lock ordering: tcpk_lock_sem, then the module's kernel_param_lock(),
 * then the engines' own mutexes (tcpk_policy_mutex, the database's lock).
 */
#ifndef _TCPK_LOCK_H
#define _TCPK_LOCK_H

#include <linux/types.h>
#include <linux/tcp_kernel.h>

struct tcpk_mode;

/*
 * The message of a refusal: "tcp_kernel is locked: WHAT would loosen the
 * policy"; WHAT must be a string literal.
 */
#define TCPK_LOCKED_MSG(what) \
	"tcp_kernel is locked: " what " would loosen the policy"

/* State (core/lock.c; a fake in the KUnit module). */
/*
 * The directory at the root of a bpffs where tcp-bpf pins the programs
 * and links (tools/tcp-bpf/tcp-bpf.h: TB_PIN_DIR): what the lock keeps.
 */
#define TCPK_PIN_DIR_NAME	"tcp_kernel"
#define TCPK_PIN_PATH		"/sys/fs/bpf/" TCPK_PIN_DIR_NAME

bool tcpk_locked(void);
bool tcpk_lock_change_begin(void);
void tcpk_lock_change_end(void);
int tcpk_lock_engage(void);

/* Pure questions (core/lockcheck.c). */
bool tcpk_lock_level_loosens(u32 now, u32 next);
bool tcpk_lock_mask_loosens(u32 now, u32 next);
const char *tcpk_lock_mode_loosens(const struct tcpk_mode *now,
				   const struct tcpk_mode *next,
				   bool set_level, bool set_alerts,
				   bool set_block_ops);
bool tcpk_lock_action_restricts(u32 action);
bool tcpk_lock_rule_shadows(u32 new_action, u32 new_flags, u32 old_action,
			    u32 old_flags);
bool tcpk_lock_pin_dir_name(const unsigned char *name, u32 len);

#endif /* _TCPK_LOCK_H */
