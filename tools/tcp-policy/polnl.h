/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp-policy - netlink attributes of the policy engine (uapi 3): rules,
 * decisions and the mode, to and from messages, as text and as JSON
 */
#ifndef TP_POLNL_H
#define TP_POLNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nl.h"
#include "rulefmt.h"

/**
 * struct tp_decision - a %TCPK_A_DECISION nest
 * @verdict: &enum tcpk_verdict.
 * @action: &enum tcpk_action.
 * @rule_id: the rule that matched, 0 for the default.
 * @flags: mask of ``1 << enum tcpk_decision_flag``.
 * @level: the security level that applied.
 * @generation: the rule set's generation.
 * @has_op: @op is set (explain and events).
 * @op: &enum tcpk_op.
 * @path: the object path (owned), or NULL.
 * @has_time: @time is set.
 * @time: CLOCK_BOOTTIME nanoseconds.
 * @reason: the module's account (owned), or NULL.
 */
struct tp_decision {
	uint32_t verdict;
	uint32_t action;
	uint32_t rule_id;
	uint32_t flags;
	uint32_t level;
	uint64_t generation;
	bool has_op;
	uint32_t op;
	char *path;
	bool has_time;
	uint64_t time;
	char *reason;
};

/**
 * struct tp_mode - a %TCPK_A_MODE nest
 * @has_level: @level is set.
 * @level: &enum tcpk_security_level.
 * @has_alerts: @alerts is set.
 * @alerts: alert events are emitted.
 * @has_block_ops: @block_ops is set.
 * @block_ops: mask of ``1 << enum tcpk_op`` enforced at level 2.
 */
struct tp_mode {
	bool has_level;
	uint32_t level;
	bool has_alerts;
	bool alerts;
	bool has_block_ops;
	uint32_t block_ops;
};

/**
 * struct tp_mode_info - the reply to %TCPK_CMD_MODE_GET
 * @have: a reply was parsed.
 * @mode: the %TCPK_A_MODE nest.
 * @has_generation: @generation is set.
 * @generation: %TCPK_A_GENERATION.
 * @has_rules: @rules is set.
 * @rules: %TCPK_A_RULE_COUNT.
 * @has_limit: @limit is set.
 * @limit: %TCPK_A_RULE_LIMIT.
 */
struct tp_mode_info {
	bool have;
	struct tp_mode mode;
	bool has_generation;
	uint64_t generation;
	bool has_rules;
	uint32_t rules;
	bool has_limit;
	uint32_t limit;
};

int tp_mode_get(struct tp_nl *nl, struct tp_mode_info *mi, bool quiet);

size_t tp_rule_msg_size(const struct tp_rule *r);
int tp_rule_put(struct nl_msg *msg, const struct tp_rule *r);
int tp_rule_parse_nest(struct nlattr *nest, struct tp_rule *r,
		       const char *what);
struct json_object *tp_rule_json(const struct tp_rule *r);

int tp_decision_parse_nest(struct nlattr *nest, struct tp_decision *d,
			   const char *what);
void tp_decision_free(struct tp_decision *d);
void tp_decision_text(FILE *f, const struct tp_decision *d);
struct json_object *tp_decision_json(const struct tp_decision *d);

int tp_mode_parse_nest(struct nlattr *nest, struct tp_mode *m,
		       const char *what);
const char *tp_mode_name(const struct tp_mode *m);
struct json_object *tp_mode_json(const struct tp_mode *m);
void tp_format_block_ops(uint32_t mask, char *buf, size_t len);

void tp_format_time(uint64_t boottime_ns, char *buf, size_t len);
int tp_json_line(struct json_object *obj);

#endif /* TP_POLNL_H */
