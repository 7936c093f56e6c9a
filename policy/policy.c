// SPDX-License-Identifier: GPL-2.0
/* STUB - replaced by the policy engine implementation. */
#include <linux/err.h>
#include <linux/module.h>
#include "policy/policy.h"

unsigned int tcpk_max_rules = 4096;
int tcpk_policy_init(void) { return 0; }
void tcpk_policy_exit(void) { }
struct tcpk_rule *tcpk_rule_create(const struct tcpk_rule_spec *spec, const char **errmsg) { *errmsg = "stub"; return ERR_PTR(-EOPNOTSUPP); }
void tcpk_rule_put(struct tcpk_rule *rule) { }
void tcpk_rule_to_spec(const struct tcpk_rule *rule, struct tcpk_rule_spec *spec) { }
u64 tcpk_rule_hits(const struct tcpk_rule *rule) { return 0; }
int tcpk_policy_add(struct tcpk_rule *rule, u32 *id, u64 *generation, const char **errmsg) { return -EOPNOTSUPP; }
int tcpk_policy_del(u32 id, u64 *generation) { return -EOPNOTSUPP; }
int tcpk_policy_flush(u64 *generation) { return -EOPNOTSUPP; }
int tcpk_policy_replace(struct tcpk_rule **rules, unsigned int n, u64 *generation, const char **errmsg, unsigned int *bad_index) { return -EOPNOTSUPP; }
int tcpk_policy_rules_walk(unsigned int *pos, u64 *generation, u32 only_id, tcpk_rule_fill_t fill, void *arg) { return 0; }
u64 tcpk_policy_generation(void) { return 0; }
unsigned int tcpk_policy_count(void) { return 0; }
void tcpk_policy_decide(const struct tcpk_request *req, struct tcpk_decision *d) { memset(d, 0, sizeof(*d)); }
void tcpk_policy_what_if(const struct tcpk_request *req, struct tcpk_decision *d) { memset(d, 0, sizeof(*d)); }
s32 tcpk_op_default_syscall(u32 op) { return -1; }
const char *tcpk_op_name(u32 op) { return "?"; }
const char *tcpk_action_name(u32 action) { return "?"; }
void tcpk_policy_mode_get(struct tcpk_mode *mode) { memset(mode, 0, sizeof(*mode)); }
int tcpk_policy_mode_set(const struct tcpk_mode *mode, bool set_level, bool set_alerts, bool set_block_ops) { return -EOPNOTSUPP; }
void tcpk_policy_stats_sum(struct tcpk_policy_stats *st) { memset(st, 0, sizeof(*st)); }
