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
const struct nla_policy tcpk_desc_nl_policy[TCPK_A_DESC_SYSCALL + 1] = {
	[TCPK_A_DESC_RAW] = NLA_POLICY_EXACT_LEN(TCPK_DESC_LEN),
	[TCPK_A_DESC_KEY_KIND] = NLA_POLICY_MAX(NLA_U32, 4),
	[TCPK_A_DESC_KEY] = { .type = NLA_U64, },
	[TCPK_A_DESC_CMD_HASH] = { .type = NLA_U32, },
	[TCPK_A_DESC_PATH] = { .type = NLA_NUL_STRING, .len = 4095, },
	[TCPK_A_DESC_SHA256] = NLA_POLICY_EXACT_LEN(TCPK_DESC_DIGEST_LEN),
	[TCPK_A_DESC_SYSCALL] = NLA_POLICY_MAX(NLA_U32, 1023),
};

/* Global operation policy for tcpk */
const struct nla_policy tcpk_nl_policy[TCPK_A_DESC + 1] = {
	[TCPK_A_DESC] = NLA_POLICY_NESTED(tcpk_desc_nl_policy),
};

/* Ops table for tcpk */
const struct genl_small_ops tcpk_nl_ops[6] = {
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
};
