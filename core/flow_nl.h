/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - netlink encoding of the XDP flow monitor's flow events
 * (%TCPK_A_EVENT_FLOW)
 */
#ifndef _TCPK_FLOW_NL_H
#define _TCPK_FLOW_NL_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct tcpk_xdp_flow_report;

size_t tcpk_nl_flow_size(void);
int tcpk_nl_flow_fill(struct sk_buff *skb,
		      const struct tcpk_xdp_flow_report *r);

#endif /* _TCPK_FLOW_NL_H */
