/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - netlink encoding of the hardware monitors
 */
#ifndef _TCPK_HWMON_NL_H
#define _TCPK_HWMON_NL_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct tcpk_hwmon_info;
struct tcpk_hwmon_task;

size_t tcpk_nl_hwmon_size(void);
int tcpk_nl_hwmon_fill(struct sk_buff *skb, const struct tcpk_hwmon_info *info);
size_t tcpk_nl_hwmon_task_size(void);
int tcpk_nl_hwmon_task_fill(struct sk_buff *skb,
			    const struct tcpk_hwmon_task *t);

#endif /* _TCPK_HWMON_NL_H */
