// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - the generic-netlink family "tcp_kernel"
 *
 * The uapi is uapi/linux/tcp_kernel.h.  Read-only commands need no
 * privilege; commands that change state will carry GENL_ADMIN_PERM.
 */

#include <linux/slab.h>
#include <net/genetlink.h>

#include "core/main.h"
#include "core/netlink.h"
#include "core/stats.h"
#include "core/status.h"

static struct genl_family tcpk_genl_family;

static int tcpk_nl_get_status_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpk_status *st;
	struct sk_buff *msg;
	void *hdr;
	int err;

	tcpk_stat_inc(TCPK_STAT_GENL_REQUESTS);

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return -ENOMEM;
	tcpk_status_collect(st);

	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto out_free;

	hdr = genlmsg_put_reply(msg, info, &tcpk_genl_family, 0,
				TCPK_CMD_GET_STATUS);
	if (!hdr)
		goto err_msg;

	err = tcpk_status_fill(msg, st);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "status does not fit in one message");
		goto err_msg;
	}
	genlmsg_end(msg, hdr);
	kfree(st);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
out_free:
	kfree(st);
	return err;
}

/*
 * Commands from resv_start_op on get strict validation (reserved header
 * fields must be zero, and with no policy the core refuses every
 * attribute, which is right for GET_STATUS).  All our commands are new,
 * so all of them are strict.
 */
static const struct genl_small_ops tcpk_genl_ops[] = {
	{
		.cmd = TCPK_CMD_GET_STATUS,
		.doit = tcpk_nl_get_status_doit,
	},
};

static struct genl_family tcpk_genl_family __ro_after_init = {
	.name = TCPK_GENL_NAME,
	.version = TCPK_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = tcpk_genl_ops,
	.n_small_ops = ARRAY_SIZE(tcpk_genl_ops),
	.resv_start_op = TCPK_CMD_UNSPEC + 1,
};

/**
 * tcpk_netlink_init() - register the generic-netlink family
 *
 * Return: 0 or the error of genl_register_family().
 */
int tcpk_netlink_init(void)
{
	return genl_register_family(&tcpk_genl_family);
}

/**
 * tcpk_netlink_exit() - unregister the family; waits for running requests
 */
void tcpk_netlink_exit(void)
{
	genl_unregister_family(&tcpk_genl_family);
}
