// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - XDP flow monitor
 *
 * Parses Ethernet (up to two VLAN tags), IPv4 and IPv6 (up to four
 * extension headers), TCP and UDP, every header bounds-checked against
 * the packet's end, and keeps one entry per flow in an LRU hash: packets,
 * bytes, TCP flags seen, score.  A flow scores for an invalid TCP flag
 * combination, and for coming from a source that scans ports or floods
 * SYNs within one window (a per-source LRU hash).  At security_level 2
 * or more, which the module tells through a kfunc, the packets of a flow
 * whose score reaches the drop threshold are dropped unless the source is
 * on the allow-list; below that the monitor only counts and reports.
 *
 * Each newly earned reason is one flow event, handed to the module
 * (tcpk_xdp_flow_event()), which rate-limits them and delivers them with
 * the other events; a scan or a flood reports once per source, not once
 * per flow.  Thresholds, scores and the allow-list are maps that tcp-bpf
 * writes; the scoring itself is in lsm/xdp.h, shared with KUnit.
 */

#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "lsm/kfuncs.h"
#include "lsm/xdp.h"

char LICENSE[] SEC("license") = "GPL";

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88A8
#define IP_MF		0x2000
#define IP_OFFSET	0x1FFF

/* IPv6 extension headers the parser steps over. */
#define NEXTHDR_HOP	0
#define NEXTHDR_ROUTING	43
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_DEST	60
#define IPV6_EXT_MAX	4

/* The loader may set another max_entries before loading. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TCPK_XDP_FLOWS_DEFAULT);
	__type(key, struct tcpk_xdp_flow_key);
	__type(value, struct tcpk_xdp_flow);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TCPK_XDP_SOURCES_MAX);
	__type(key, __u8[16]);
	__type(value, struct tcpk_xdp_source);
} sources SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, TCPK_XDP_ALLOW_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct tcpk_xdp_allow_key);
	__type(value, __u8);
} allow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tcpk_xdp_config);
} xdp_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tcpk_xdp_stats);
} xdp_stats SEC(".maps");

/* A parsed packet. */
struct pkt {
	struct tcpk_xdp_flow_key key;
	__u8 family;
	__u8 tcp_flags;
	bool has_ports;
};

/* An IPv4 address as an IPv4-mapped IPv6 one (::ffff:a.b.c.d). */
static __always_inline void map_v4(__u8 *dst, __be32 addr)
{
	__builtin_memset(dst, 0, 10);
	dst[10] = 0xff;
	dst[11] = 0xff;
	__builtin_memcpy(dst + 12, &addr, 4);
}

/* The L4 header at @l4 for @p->key.proto; 0, or -1 if truncated. */
static __always_inline int parse_l4(struct pkt *p, void *l4, void *end)
{
	if (p->key.proto == IPPROTO_TCP) {
		struct tcphdr *th = l4;

		if ((void *)(th + 1) > end || th->doff < 5)
			return -1;
		p->key.sport = th->source;
		p->key.dport = th->dest;
		/* The flags byte: the 14th of the header. */
		p->tcp_flags = ((__u8 *)th)[13] & 0x3f;
		p->has_ports = true;
	} else if (p->key.proto == IPPROTO_UDP) {
		struct udphdr *uh = l4;

		if ((void *)(uh + 1) > end)
			return -1;
		p->key.sport = uh->source;
		p->key.dport = uh->dest;
		p->has_ports = true;
	}
	return 0;
}

static __always_inline int parse_v4(struct pkt *p, void *l3, void *end)
{
	struct iphdr *ip = l3;
	__u32 hlen;

	if ((void *)(ip + 1) > end || ip->ihl < 5)
		return -1;
	hlen = ip->ihl * 4;
	if (l3 + hlen > end)
		return -1;
	p->family = 4;
	map_v4(p->key.saddr, ip->saddr);
	map_v4(p->key.daddr, ip->daddr);
	p->key.proto = ip->protocol;
	/* A later fragment has no L4 header: a flow without ports. */
	if (ip->frag_off & bpf_htons(IP_OFFSET))
		return 0;
	return parse_l4(p, l3 + hlen, end);
}

static __always_inline int parse_v6(struct pkt *p, void *l3, void *end)
{
	struct ipv6hdr *ip6 = l3;
	void *cur = ip6 + 1;
	__u8 next;
	int i;

	if (cur > end)
		return -1;
	p->family = 6;
	__builtin_memcpy(p->key.saddr, &ip6->saddr, 16);
	__builtin_memcpy(p->key.daddr, &ip6->daddr, 16);
	next = ip6->nexthdr;
	for (i = 0; i < IPV6_EXT_MAX; i++) {
		struct ipv6_opt_hdr *opt = cur;

		if (next != NEXTHDR_HOP && next != NEXTHDR_ROUTING &&
		    next != NEXTHDR_DEST && next != NEXTHDR_FRAGMENT)
			break;
		if ((void *)(opt + 1) > end)
			return -1;
		if (next == NEXTHDR_FRAGMENT) {
			struct frag_hdr *fh = cur;

			if ((void *)(fh + 1) > end)
				return -1;
			next = fh->nexthdr;
			cur = fh + 1;
			/* Not the first fragment: no L4 header. */
			if (fh->frag_off & bpf_htons(0xFFF8)) {
				p->key.proto = next;
				return 0;
			}
			continue;
		}
		next = opt->nexthdr;
		cur += (opt->hdrlen + 1) * 8;
	}
	p->key.proto = next;
	return parse_l4(p, cur, end);
}

/* Ethernet and VLAN tags, then the IP version; 1 for non-IP traffic. */
static __always_inline int parse(struct pkt *p, void *data, void *end)
{
	struct ethhdr *eth = data;
	void *cur = eth + 1;
	__u16 proto;
	int i;

	if (cur > end)
		return -1;
	proto = eth->h_proto;
	for (i = 0; i < 2; i++) {
		struct vlan_hdr *vh = cur;

		if (proto != bpf_htons(ETH_P_8021Q) &&
		    proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(vh + 1) > end)
			return -1;
		proto = vh->h_vlan_encapsulated_proto;
		cur = vh + 1;
	}
	if (proto == bpf_htons(ETH_P_IP))
		return parse_v4(p, cur, end);
	if (proto == bpf_htons(ETH_P_IPV6))
		return parse_v6(p, cur, end);
	return 1;
}

static __always_inline bool allow_listed(const __u8 *saddr)
{
	struct tcpk_xdp_allow_key k = { .prefixlen = 128 };

	__builtin_memcpy(k.addr, saddr, 16);
	return !!bpf_map_lookup_elem(&allow, &k);
}

static __always_inline void report(const struct pkt *p,
				   const struct tcpk_xdp_flow *f,
				   __u32 new_reasons, struct tcpk_xdp_stats *st)
{
	struct tcpk_xdp_flow_report r = {};

	__builtin_memcpy(&r.key, &p->key, sizeof(r.key));
	__builtin_memcpy(&r.flow, f, sizeof(r.flow));
	r.new_reasons = new_reasons;
	if (!tcpk_xdp_flow_event((__u8 *)&r, sizeof(r)) && st)
		st->events++;
}

SEC("xdp")
int tcpk_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct tcpk_xdp_source *src, new_src = {};
	struct tcpk_xdp_flow *f, new_flow = {};
	__u32 zero = 0, len = end - data;
	__u32 src_reasons, reasons, events;
	const struct tcpk_xdp_config *c;
	struct tcpk_xdp_stats *st;
	struct pkt p = {};
	bool is_new, drop, syn;
	__u64 now;
	int ret;

	st = bpf_map_lookup_elem(&xdp_stats, &zero);
	c = bpf_map_lookup_elem(&xdp_config, &zero);
	if (!c)
		return XDP_PASS;
	ret = parse(&p, data, end);
	if (ret) {
		if (ret < 0 && st)
			st->parse_errors++;
		return XDP_PASS;
	}
	now = bpf_ktime_get_ns();
	if (st) {
		st->packets++;
		st->bytes += len;
	}

	f = bpf_map_lookup_elem(&flows, &p.key);
	is_new = !f;
	if (is_new) {
		new_flow.first_ns = now;
		new_flow.family = p.family;
		new_flow.ifindex = ctx->ingress_ifindex;
		bpf_map_update_elem(&flows, &p.key, &new_flow, BPF_NOEXIST);
		f = bpf_map_lookup_elem(&flows, &p.key);
		if (!f)
			return XDP_PASS;
		if (st)
			st->new_flows++;
	}
	__sync_fetch_and_add(&f->packets, 1);
	__sync_fetch_and_add(&f->bytes, len);
	f->last_ns = now;
	f->tcp_flags |= p.tcp_flags;

	src = bpf_map_lookup_elem(&sources, p.key.saddr);
	if (!src) {
		bpf_map_update_elem(&sources, p.key.saddr, &new_src,
				    BPF_NOEXIST);
		src = bpf_map_lookup_elem(&sources, p.key.saddr);
		if (!src)
			return XDP_PASS;
	}
	syn = p.key.proto == IPPROTO_TCP &&
	      (p.tcp_flags & (TCPK_XDP_TCP_SYN | TCPK_XDP_TCP_ACK)) ==
	      TCPK_XDP_TCP_SYN;
	src_reasons = tcpk_xdp_source_update(src, c, now,
					     is_new && p.has_ports,
					     p.key.dport, syn);

	reasons = src_reasons;
	if (p.key.proto == IPPROTO_TCP &&
	    tcpk_xdp_tcp_flags_invalid(p.tcp_flags))
		reasons |= TCPK_XDP_R_INVALID_FLAGS;
	if (reasons & ~f->reasons) {
		f->reasons |= reasons;
		f->score = tcpk_xdp_flow_score(f->reasons, c);
	}

	drop = tcpk_xdp_should_drop(tcpk_xdp_security_level(), f->score, c,
				    allow_listed(p.key.saddr));
	if (drop) {
		__sync_fetch_and_add(&f->dropped, 1);
		if (st)
			st->dropped++;
	}

	/*
	 * What is new: an invalid flag combination once per flow; a scan,
	 * a flood and the first drop once per flagged source (per flow
	 * for a source that is not flagged).
	 */
	events = f->reasons & TCPK_XDP_R_INVALID_FLAGS & ~f->reported;
	f->reported |= events;
	if (src_reasons) {
		__u32 s_new = (src_reasons | (drop ? TCPK_XDP_R_DROPPING : 0)) &
			      ~src->reported;

		src->reported |= s_new;
		events |= s_new;
	} else if (drop && !(f->reported & TCPK_XDP_R_DROPPING)) {
		events |= TCPK_XDP_R_DROPPING;
	}
	if (events & TCPK_XDP_R_DROPPING)
		f->reported |= TCPK_XDP_R_DROPPING;
	if (events)
		report(&p, f, events, st);

	return drop ? XDP_DROP : XDP_PASS;
}
