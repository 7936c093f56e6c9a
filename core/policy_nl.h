/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - netlink attributes of the policy engine: rules, requests,
 * decisions, agents, the mode and events
 */
#ifndef _TCPK_POLICY_NL_H
#define _TCPK_POLICY_NL_H

#include <linux/sched.h>
#include <linux/types.h>
#include <net/netlink.h>

#include "lsm/xdp.h"
#include "policy/policy.h"

/**
 * struct tcpk_nl_refusal - why a nest of a policy request was refused
 * @index: index of the nest among the message's nests of its type.
 * @nest: the nest.
 * @attr: the attribute at fault, or NULL if it is the nest itself.
 * @missing: type of an attribute missing from @nest, or 0.
 * @msg: "field: reason", a static string that names the field.
 */
struct tcpk_nl_refusal {
	u32 index;
	const struct nlattr *nest;
	const struct nlattr *attr;
	u16 missing;
	const char *msg;
};

/**
 * struct tcpk_nl_req - a %TCPK_A_REQ nest, parsed
 * @req: the request as given; the subject fields not given are zero (comm
 *	"", syscall -1, target %TCPK_SCOPE_ANY).  Strings point into the
 *	message.
 * @given: mask of ``1 << enum tcpk_req_attr``: the attributes present.
 * @pid: %TCPK_A_REQ_PID, 0 if absent.
 * @target_pid: %TCPK_A_REQ_TARGET_PID, 0 if absent.
 */
struct tcpk_nl_req {
	struct tcpk_request req;
	u32 given;
	u32 pid;
	u32 target_pid;
};

/**
 * define TCPK_NL_REASON_LEN - room for the reason text of a decision
 */
#define TCPK_NL_REASON_LEN	96

/**
 * struct tcpk_nl_decision - a decision and what a reply says around it
 * @d: the decision.
 * @op: &enum tcpk_op of the request (for the reason text).
 * @context: also encode @op, @path and @time (explain and events).
 * @path: the object path, or NULL.
 * @time: CLOCK_BOOTTIME ns of the decision.
 */
struct tcpk_nl_decision {
	const struct tcpk_decision *d;
	u32 op;
	bool context;
	const char *path;
	u64 time;
};

/**
 * define TCPK_EVENT_PATH_LEN - room for the object path of an event, with
 * its NUL; longer paths are truncated
 */
#define TCPK_EVENT_PATH_LEN	256

/**
 * struct tcpk_event - one queued event, a self-contained copy
 * @type: &enum tcpk_event_type.
 * @seq: sequence number, assigned when the event is produced.
 * @time: CLOCK_BOOTTIME ns.
 * @pid: the subject's tgid (decisions, agent starts), else 0.
 * @uid: the subject's real uid (decisions).
 * @op: &enum tcpk_op of the decision.
 * @rules: rules in the new set (policy events).
 * @generation: the rule-set generation (policy events).
 * @d: the decision (decision events).
 * @mode: the mode (mode events).
 * @behavior: &enum tcpk_behavior (behaviour events).
 * @score: the subject's anomaly score after it (behaviour events).
 * @window_ms: the window's length (behaviour events: bursts).
 * @count: how many (behaviour events).
 * @bytes: bytes written (behaviour events: large writes).
 * @comm: the subject's command name, "" if none.
 * @agent: the subject's agent label, "" if none.
 * @path: the object path, truncated, "" if none.
 * @pattern: the pattern's name (sequence events), "" if none.
 * @pattern_id: the pattern's id (sequence events), else 0.
 * @signal: &enum tcpk_hwmon_signal (hardware monitor events), else 0.
 * @flow: the flow and its state (flow events).
 */
struct tcpk_event {
	u32 type;
	u64 seq;
	u64 time;
	u32 pid;
	u32 uid;
	u32 op;
	u32 rules;
	u64 generation;
	struct tcpk_decision d;
	struct tcpk_mode mode;
	u32 behavior;
	u32 score;
	u32 window_ms;
	u64 count;
	u64 bytes;
	char comm[TASK_COMM_LEN];
	char agent[TCPK_AGENT_NAME_MAX];
	char path[TCPK_EVENT_PATH_LEN];
	char pattern[TCPK_SEQ_NAME_MAX];
	u32 pattern_id;
	u32 signal;
	struct tcpk_xdp_flow_report flow;
};

u32 tcpk_nl_count(const struct nlattr *head, int len, int type);
const struct nlattr *tcpk_nl_nth(const struct nlattr *head, int len, int type,
				 u32 index);

int tcpk_nl_rule_parse(const struct nlattr *nest, u32 index,
		       const struct nla_policy *policy,
		       struct tcpk_rule_spec *spec,
		       struct tcpk_nl_refusal *err);
int tcpk_nl_rule_id_parse(const struct nlattr *nest,
			  const struct nla_policy *policy, u32 *id,
			  struct tcpk_nl_refusal *err);
size_t tcpk_nl_rule_size(const struct tcpk_rule_spec *spec);
size_t tcpk_nl_rule_size_max(void);
int tcpk_nl_rule_fill(struct sk_buff *skb, const struct tcpk_rule_spec *spec,
		      u64 hits);

int tcpk_nl_req_parse(const struct nlattr *nest,
		      const struct nla_policy *policy, struct tcpk_nl_req *r,
		      struct tcpk_nl_refusal *err);
void tcpk_nl_req_apply(const struct tcpk_nl_req *r, struct tcpk_request *req);

void tcpk_nl_decision_reason(const struct tcpk_decision *d, u32 op,
			     char *buf, size_t len);
size_t tcpk_nl_decision_size(const struct tcpk_nl_decision *nd);
int tcpk_nl_decision_fill(struct sk_buff *skb, int type,
			  const struct tcpk_nl_decision *nd);

int tcpk_nl_agent_parse(const struct nlattr *nest,
			const struct nla_policy *policy, const char **name,
			const char **workspace, struct tcpk_nl_refusal *err);
size_t tcpk_nl_agent_size(const char *comm, const char *name,
			  const char *workspace);
int tcpk_nl_agent_fill(struct sk_buff *skb, u32 pid, const char *comm,
		       const char *name, const char *workspace, u64 session);

int tcpk_nl_mode_parse(const struct nlattr *nest,
		       const struct nla_policy *policy, struct tcpk_mode *mode,
		       bool *set_level, bool *set_alerts, bool *set_block_ops,
		       struct tcpk_nl_refusal *err);
size_t tcpk_nl_mode_size(void);
int tcpk_nl_mode_fill(struct sk_buff *skb, int type,
		      const struct tcpk_mode *mode);

size_t tcpk_nl_event_size(const struct tcpk_event *ev);
int tcpk_nl_event_fill(struct sk_buff *skb, const struct tcpk_event *ev,
		       u64 dropped);

#endif /* _TCPK_POLICY_NL_H */
