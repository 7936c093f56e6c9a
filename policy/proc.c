// SPDX-License-Identifier: GPL-2.0
/* STUB - replaced by the per-process table implementation. */
#include <linux/module.h>
#include "policy/proc.h"

int tcpk_proc_init(void) { return 0; }
void tcpk_proc_exit(void) { }
int tcpk_agent_start(struct task_struct *task, const char *name, const char *workspace, u64 *session, const char **errmsg) { return -EOPNOTSUPP; }
struct tcpk_agent *tcpk_agent_of(struct task_struct *task) { return NULL; }
void tcpk_agent_note_written(struct tcpk_agent *agent, u64 inode_key) { }
bool tcpk_agent_wrote(struct tcpk_agent *agent, u64 inode_key) { return false; }
int tcpk_agent_walk(unsigned long *pos, tcpk_agent_fill_t fill, void *arg) { return 0; }
void tcpk_request_from_task(struct tcpk_request *req, struct task_struct *task, char *comm, char *exe, size_t exe_len) { }
u8 tcpk_target_scope(struct task_struct *subject, struct task_struct *target) { return 0; }
void tcpk_proc_record(const struct tcpk_request *req, const struct tcpk_decision *d) { }
void tcpk_proc_quarantine(u32 pid) { }
bool tcpk_proc_quarantined(u32 pid) { return false; }
int tcpk_proc_history(u32 pid, tcpk_history_fill_t fill, void *arg) { return -ENOENT; }
void tcpk_proc_stats_sum(struct tcpk_proc_stats *st) { memset(st, 0, sizeof(*st)); }
