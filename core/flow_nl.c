// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - netlink encoding of the XDP flow monitor's flow events
 *
 * The XDP program keeps addresses IPv4-mapped and ports in network byte
 * order (lsm/xdp.h); the uapi has 4-byte IPv4 addresses, the
 * family, and ports in host byte order.
 */

#include <linux/socket.h>
#include <net/netlink.h>
#include <linux/tcp_kernel.h>

#include "core/flow_nl.h"
#include "lsm/xdp.h"

static_assert(TCPK_XDP_R_INVALID_FLAGS == TCPK_FLOW_INVALID_FLAGS);
static_assert(TCPK_XDP_R_PORT_SCAN == TCPK_FLOW_PORT_SCAN);
static_assert(TCPK_XDP_R_SYN_FLOOD == TCPK_FLOW_SYN_FLOOD);
static_assert(TCPK_XDP_R_DROPPING == TCPK_FLOW_DROPPING);

/* A port of the flow key (network byte order in a __u16) in host order. */
static u16 tcpk_port(__u16 port)
{
	return be16_to_cpu((__force __be16)port);
}

/**
 * tcpk_nl_flow_size() - room a %TCPK_A_EVENT_FLOW nest takes at most
 *
 * Return: the size in bytes, padding included.
 */
size_t tcpk_nl_flow_size(void)
{
	return nla_total_size(0) + 4 * nla_total_size(sizeof(u32)) +
	       3 * nla_total_size(sizeof(u8)) +
	       2 * nla_total_size(sizeof(u16)) + 2 * nla_total_size(16) +
	       3 * nla_total_size_64bit(sizeof(u64));
}

/**
 * tcpk_nl_flow_fill() - encode a flow event's flow
 * @skb: message being built.
 * @r: the report the XDP program made.
 *
 * An IPv4 flow has 4-byte addresses and family AF_INET, an IPv6 one
 * 16-byte addresses and AF_INET6.  On failure nothing of the nest is left
 * in @skb.  Never sleeps.
 *
 * Return: 0, or -EMSGSIZE if @skb is too small.
 */
int tcpk_nl_flow_fill(struct sk_buff *skb,
		      const struct tcpk_xdp_flow_report *r)
{
	const struct tcpk_xdp_flow *f = &r->flow;
	bool v4 = f->family == 4;
	unsigned int alen = v4 ? 4 : 16, off = v4 ? 12 : 0;
	struct nlattr *nest;

	nest = nla_nest_start(skb, TCPK_A_EVENT_FLOW);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TCPK_A_FLOW_IFINDEX, f->ifindex) ||
	    nla_put_u8(skb, TCPK_A_FLOW_FAMILY, v4 ? AF_INET : AF_INET6) ||
	    nla_put(skb, TCPK_A_FLOW_SADDR, alen, r->key.saddr + off) ||
	    nla_put(skb, TCPK_A_FLOW_DADDR, alen, r->key.daddr + off) ||
	    nla_put_u16(skb, TCPK_A_FLOW_SPORT, tcpk_port(r->key.sport)) ||
	    nla_put_u16(skb, TCPK_A_FLOW_DPORT, tcpk_port(r->key.dport)) ||
	    nla_put_u8(skb, TCPK_A_FLOW_PROTO, r->key.proto) ||
	    nla_put_u8(skb, TCPK_A_FLOW_TCP_FLAGS, f->tcp_flags) ||
	    nla_put_u32(skb, TCPK_A_FLOW_REASONS, f->reasons) ||
	    nla_put_u32(skb, TCPK_A_FLOW_NEW_REASONS, r->new_reasons) ||
	    nla_put_u32(skb, TCPK_A_FLOW_SCORE, f->score) ||
	    nla_put_u64_64bit(skb, TCPK_A_FLOW_PACKETS, f->packets,
			      TCPK_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_FLOW_BYTES, f->bytes,
			      TCPK_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, TCPK_A_FLOW_DROPPED, f->dropped,
			      TCPK_A_FLOW_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
