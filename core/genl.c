// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/tcp_kernel.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "genl.h"

#include <uapi/linux/tcp_kernel.h>
#include <linux/tcp_kernel.h>

/* Common nested types */
const struct nla_policy tcpk_agent_nl_policy[TCPK_A_AGENT_COMM + 1] = {
	[TCPK_A_AGENT_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[TCPK_A_AGENT_WORKSPACE] = { .type = NLA_NUL_STRING, .len = 4095, },
	[TCPK_A_AGENT_SESSION] = { .type = NLA_U64, },
	[TCPK_A_AGENT_PID] = { .type = NLA_U32, },
	[TCPK_A_AGENT_COMM] = { .type = NLA_NUL_STRING, },
};

const struct nla_policy tcpk_desc_nl_policy[TCPK_A_DESC_SYSCALL + 1] = {
	[TCPK_A_DESC_RAW] = NLA_POLICY_EXACT_LEN(TCPK_DESC_LEN),
	[TCPK_A_DESC_KEY_KIND] = NLA_POLICY_MAX(NLA_U32, 4),
	[TCPK_A_DESC_KEY] = { .type = NLA_U64, },
	[TCPK_A_DESC_CMD_HASH] = { .type = NLA_U32, },
	[TCPK_A_DESC_PATH] = { .type = NLA_NUL_STRING, .len = 4095, },
	[TCPK_A_DESC_SHA256] = NLA_POLICY_EXACT_LEN(TCPK_DESC_DIGEST_LEN),
	[TCPK_A_DESC_SYSCALL] = NLA_POLICY_MAX(NLA_U32, 1023),
};

const struct nla_policy tcpk_mode_nl_policy[TCPK_A_MODE_BLOCK_OPS + 1] = {
	[TCPK_A_MODE_LEVEL] = NLA_POLICY_MAX(NLA_U32, 3),
	[TCPK_A_MODE_ALERTS] = NLA_POLICY_MAX(NLA_U8, 1),
	[TCPK_A_MODE_BLOCK_OPS] = NLA_POLICY_MASK(NLA_U32, 0x3ffff),
};

const struct nla_policy tcpk_model_nl_policy[TCPK_A_MODEL_FLAGGED + 1] = {
	[TCPK_A_MODEL_WEIGHTS] = NLA_POLICY_EXACT_LEN(22),
	[TCPK_A_MODEL_BIAS] = { .type = NLA_S32, },
	[TCPK_A_MODEL_THRESHOLD] = NLA_POLICY_RANGE(NLA_U32, 1, 1000),
	[TCPK_A_MODEL_POINTS] = NLA_POLICY_RANGE(NLA_U32, 1, 1000),
	[TCPK_A_MODEL_WINDOWS] = { .type = NLA_U64, },
	[TCPK_A_MODEL_FLAGGED] = { .type = NLA_U64, },
};

const struct nla_policy tcpk_profile_nl_policy[TCPK_A_PROFILE_FULL + 1] = {
	[TCPK_A_PROFILE_PATH] = { .type = NLA_NUL_STRING, .len = 4095, },
	[TCPK_A_PROFILE_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[TCPK_A_PROFILE_NGRAMS] = { .type = NLA_BINARY, },
	[TCPK_A_PROFILE_COUNT] = { .type = NLA_U32, },
	[TCPK_A_PROFILE_LIMIT] = { .type = NLA_U32, },
	[TCPK_A_PROFILE_DEV] = { .type = NLA_U64, },
	[TCPK_A_PROFILE_INO] = { .type = NLA_U64, },
	[TCPK_A_PROFILE_CHECKED] = { .type = NLA_U64, },
	[TCPK_A_PROFILE_NOVEL] = { .type = NLA_U64, },
	[TCPK_A_PROFILE_FULL] = { .type = NLA_U64, },
};

const struct nla_policy tcpk_req_nl_policy[TCPK_A_REQ_ACCESS + 1] = {
	[TCPK_A_REQ_OP] = NLA_POLICY_MAX(NLA_U32, 17),
	[TCPK_A_REQ_PID] = { .type = NLA_U32, },
	[TCPK_A_REQ_UID] = { .type = NLA_U32, },
	[TCPK_A_REQ_GID] = { .type = NLA_U32, },
	[TCPK_A_REQ_COMM] = { .type = NLA_NUL_STRING, .len = 63, },
	[TCPK_A_REQ_EXE] = { .type = NLA_NUL_STRING, .len = 4095, },
	[TCPK_A_REQ_PATH] = { .type = NLA_NUL_STRING, .len = 4095, },
	[TCPK_A_REQ_CAPABILITY] = { .type = NLA_U32, },
	[TCPK_A_REQ_SYSCALL] = NLA_POLICY_MAX(NLA_U32, 1023),
	[TCPK_A_REQ_DESC_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1ffff),
	[TCPK_A_REQ_ANOMALY] = { .type = NLA_U32, },
	[TCPK_A_REQ_AGENT] = { .type = NLA_NUL_STRING, .len = 31, },
	[TCPK_A_REQ_WORKSPACE] = { .type = NLA_NUL_STRING, .len = 4095, },
	[TCPK_A_REQ_CGROUP] = { .type = NLA_U64, },
	[TCPK_A_REQ_TARGET_PID] = { .type = NLA_U32, },
	[TCPK_A_REQ_ACCESS] = NLA_POLICY_MASK(NLA_U32, 0x7f),
};

const struct nla_policy tcpk_rule_nl_policy[TCPK_A_RULE_HITS + 1] = {
	[TCPK_A_RULE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[TCPK_A_RULE_PRIORITY] = { .type = NLA_U32, },
	[TCPK_A_RULE_ACTION] = NLA_POLICY_RANGE(NLA_U32, 1, 6),
	[TCPK_A_RULE_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1),
	[TCPK_A_RULE_PID] = { .type = NLA_U32, },
	[TCPK_A_RULE_UID] = { .type = NLA_U32, },
	[TCPK_A_RULE_GID] = { .type = NLA_U32, },
	[TCPK_A_RULE_COMM] = { .type = NLA_NUL_STRING, .len = 63, },
	[TCPK_A_RULE_EXE] = { .type = NLA_NUL_STRING, .len = 1023, },
	[TCPK_A_RULE_PATH] = { .type = NLA_NUL_STRING, .len = 1023, },
	[TCPK_A_RULE_PATH_SCOPE] = NLA_POLICY_MAX(NLA_U32, 2),
	[TCPK_A_RULE_CAPABILITY] = { .type = NLA_U32, },
	[TCPK_A_RULE_SYSCALL] = NLA_POLICY_MAX(NLA_U32, 1023),
	[TCPK_A_RULE_OPS] = NLA_POLICY_MASK(NLA_U32, 0x3ffff),
	[TCPK_A_RULE_DESC_ANY] = NLA_POLICY_MASK(NLA_U32, 0x1ffff),
	[TCPK_A_RULE_DESC_ALL] = NLA_POLICY_MASK(NLA_U32, 0x1ffff),
	[TCPK_A_RULE_ANOMALY_MIN] = { .type = NLA_U32, },
	[TCPK_A_RULE_AGENT] = { .type = NLA_NUL_STRING, .len = 31, },
	[TCPK_A_RULE_CGROUP] = { .type = NLA_U64, },
	[TCPK_A_RULE_TARGET_SCOPE] = NLA_POLICY_MAX(NLA_U32, 2),
	[TCPK_A_RULE_ACCESS] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[TCPK_A_RULE_HITS] = { .type = NLA_U64, },
};

const struct nla_policy tcpk_seq_nl_policy[TCPK_A_SEQ_MATCHES + 1] = {
	[TCPK_A_SEQ_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[TCPK_A_SEQ_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[TCPK_A_SEQ_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, 1, TCPK_SEQ_WEIGHT_MAX),
	[TCPK_A_SEQ_MAX_GAP] = NLA_POLICY_MAX(NLA_U32, TCPK_SEQ_GAP_MAX),
	[TCPK_A_SEQ_STEP] = NLA_POLICY_EXACT_LEN(64),
	[TCPK_A_SEQ_MATCHES] = { .type = NLA_U64, },
};

/* Global operation policy for tcpk */
const struct nla_policy tcpk_nl_policy[TCPK_A_COST_ITERATIONS + 1] = {
	[TCPK_A_DESC] = NLA_POLICY_NESTED(tcpk_desc_nl_policy),
	[TCPK_A_RULE] = NLA_POLICY_NESTED(tcpk_rule_nl_policy),
	[TCPK_A_REQ] = NLA_POLICY_NESTED(tcpk_req_nl_policy),
	[TCPK_A_AGENT] = NLA_POLICY_NESTED(tcpk_agent_nl_policy),
	[TCPK_A_MODE] = NLA_POLICY_NESTED(tcpk_mode_nl_policy),
	[TCPK_A_PID] = { .type = NLA_U32, },
	[TCPK_A_SEQ] = NLA_POLICY_NESTED(tcpk_seq_nl_policy),
	[TCPK_A_PROFILE] = NLA_POLICY_NESTED(tcpk_profile_nl_policy),
	[TCPK_A_MODEL] = NLA_POLICY_NESTED(tcpk_model_nl_policy),
	[TCPK_A_LOCK_CONFIRM] = { .type = NLA_U32, },
	[TCPK_A_SIGNATURE] = { .type = NLA_BINARY, },
	[TCPK_A_COST_ITERATIONS] = NLA_POLICY_MIN(NLA_U32, TCPK_COST_ITERATIONS_MIN),
};

/* Ops table for tcpk */
const struct genl_small_ops tcpk_nl_ops[31] = {
	{
		.cmd	= TCPK_CMD_GET_STATUS,
		.doit	= tcpk_nl_get_status_doit,
	},
	{
		.cmd	= TCPK_CMD_DESC_ADD,
		.doit	= tcpk_nl_desc_add_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_DESC_DEL,
		.doit	= tcpk_nl_desc_del_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_DESC_GET,
		.doit	= tcpk_nl_desc_get_doit,
		.dumpit	= tcpk_nl_desc_get_dumpit,
	},
	{
		.cmd	= TCPK_CMD_DESC_FLUSH,
		.doit	= tcpk_nl_desc_flush_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_DESC_COUNT,
		.doit	= tcpk_nl_desc_count_doit,
	},
	{
		.cmd	= TCPK_CMD_RULE_ADD,
		.doit	= tcpk_nl_rule_add_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_RULE_DEL,
		.doit	= tcpk_nl_rule_del_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_RULE_GET,
		.doit	= tcpk_nl_rule_get_doit,
		.dumpit	= tcpk_nl_rule_get_dumpit,
	},
	{
		.cmd	= TCPK_CMD_RULE_FLUSH,
		.doit	= tcpk_nl_rule_flush_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_RULE_REPLACE,
		.doit	= tcpk_nl_rule_replace_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_POLICY_TEST,
		.doit	= tcpk_nl_policy_test_doit,
	},
	{
		.cmd	= TCPK_CMD_POLICY_EXPLAIN,
		.doit	= tcpk_nl_policy_explain_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_MODE_SET,
		.doit	= tcpk_nl_mode_set_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_MODE_GET,
		.doit	= tcpk_nl_mode_get_doit,
	},
	{
		.cmd	= TCPK_CMD_AGENT_START,
		.doit	= tcpk_nl_agent_start_doit,
	},
	{
		.cmd	= TCPK_CMD_AGENT_GET,
		.dumpit	= tcpk_nl_agent_get_dumpit,
	},
	{
		.cmd	= TCPK_CMD_PROC_GET,
		.doit	= tcpk_nl_proc_get_doit,
		.dumpit	= tcpk_nl_proc_get_dumpit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_PROC_RELEASE,
		.doit	= tcpk_nl_proc_release_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_SEQ_ADD,
		.doit	= tcpk_nl_seq_add_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_SEQ_DEL,
		.doit	= tcpk_nl_seq_del_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_SEQ_GET,
		.dumpit	= tcpk_nl_seq_get_dumpit,
	},
	{
		.cmd	= TCPK_CMD_PROFILE_SET,
		.doit	= tcpk_nl_profile_set_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_PROFILE_GET,
		.doit	= tcpk_nl_profile_get_doit,
		.dumpit	= tcpk_nl_profile_get_dumpit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_PROFILE_DEL,
		.doit	= tcpk_nl_profile_del_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_MODEL_SET,
		.doit	= tcpk_nl_model_set_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_MODEL_GET,
		.doit	= tcpk_nl_model_get_doit,
	},
	{
		.cmd	= TCPK_CMD_MODEL_DEL,
		.doit	= tcpk_nl_model_del_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_HWMON_GET,
		.doit	= tcpk_nl_hwmon_get_doit,
		.dumpit	= tcpk_nl_hwmon_get_dumpit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_LOCK,
		.doit	= tcpk_nl_lock_doit,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= TCPK_CMD_COST_GET,
		.doit	= tcpk_nl_cost_get_doit,
	},
};

static const struct genl_multicast_group tcpk_nl_mcgrps[] = {
	[TCPK_NLGRP_EVENTS] = { "events", },
};
