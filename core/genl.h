/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/tcp_kernel.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_TCPK_GEN_H
#define _LINUX_TCPK_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/tcp_kernel.h>
#include <linux/tcp_kernel.h>

/* Common nested types */
extern const struct nla_policy tcpk_agent_nl_policy[TCPK_A_AGENT_COMM + 1];
extern const struct nla_policy tcpk_desc_nl_policy[TCPK_A_DESC_SYSCALL + 1];
extern const struct nla_policy tcpk_mode_nl_policy[TCPK_A_MODE_BLOCK_OPS + 1];
extern const struct nla_policy tcpk_model_nl_policy[TCPK_A_MODEL_FLAGGED + 1];
extern const struct nla_policy tcpk_profile_nl_policy[TCPK_A_PROFILE_FULL + 1];
extern const struct nla_policy tcpk_req_nl_policy[TCPK_A_REQ_ACCESS + 1];
extern const struct nla_policy tcpk_rule_nl_policy[TCPK_A_RULE_HITS + 1];
extern const struct nla_policy tcpk_seq_nl_policy[TCPK_A_SEQ_MATCHES + 1];

/* Global operation policy for tcpk */
extern const struct nla_policy tcpk_nl_policy[TCPK_A_COST_ITERATIONS + 1];

/* Ops table for tcpk */
extern const struct genl_small_ops tcpk_nl_ops[31];

int tcpk_nl_get_status_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_desc_add_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_desc_del_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_desc_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_desc_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpk_nl_desc_flush_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_desc_count_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_rule_add_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_rule_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_rule_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpk_nl_rule_flush_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_rule_replace_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_policy_test_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_policy_explain_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_mode_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_agent_start_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_agent_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpk_nl_proc_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_proc_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpk_nl_proc_release_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_seq_add_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_seq_del_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_seq_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpk_nl_profile_set_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_profile_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_profile_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int tcpk_nl_profile_del_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_model_set_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_model_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_model_del_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_hwmon_get_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_hwmon_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int tcpk_nl_lock_doit(struct sk_buff *skb, struct genl_info *info);
int tcpk_nl_cost_get_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	TCPK_NLGRP_EVENTS,
};

#endif /* _LINUX_TCPK_GEN_H */
