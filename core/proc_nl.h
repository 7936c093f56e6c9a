/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - netlink encoding of tracked processes (%TCPK_A_PROC) and of
 * behaviour events (%TCPK_A_EVENT_BEHAVIOR)
 */
#ifndef _TCPK_PROC_NL_H
#define _TCPK_PROC_NL_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct tcpk_event;
struct tcpk_proc_info;

size_t tcpk_nl_proc_size(void);
int tcpk_nl_proc_fill(struct sk_buff *skb, const struct tcpk_proc_info *info);

size_t tcpk_nl_behavior_size(void);
int tcpk_nl_behavior_fill(struct sk_buff *skb, const struct tcpk_event *ev);

#endif /* _TCPK_PROC_NL_H */
