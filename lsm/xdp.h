/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the XDP flow monitor's maps, configuration and scoring
 *
 * Shared by the XDP program (ebpf/tcpk_xdp.bpf.c), the module (the flow
 * event kfunc and the KUnit tests of the scoring) and the tools (tcp-bpf
 * writes the configuration and the allow-list, tcp-policy reads the flow
 * table), so that all agree on every layout.  The maps are pinned under
 * /sys/fs/bpf/tcp_kernel/xdp; see Documentation/xdp.rst.
 *
 * The scoring helpers below are plain C over these structures, with no
 * loop and no helper call, so that the verifier accepts them in the
 * program and KUnit tests them in the module.
 *
 * Include after the definitions of __u8, __u16, __u32 and __u64
 * (<linux/types.h>, or vmlinux.h in a BPF program).
 */
#ifndef _TCPK_LSM_XDP_H
#define _TCPK_LSM_XDP_H

/**
 * define TCPK_XDP_FLOWS_DEFAULT - flows the flow table holds by default
 *
 * The table is an LRU hash: a new flow evicts the least recently used one
 * when it is full, so it never holds more.  ``tcp-bpf attach --xdp
 * --xdp-flows=N`` sets another bound before the program is loaded.
 */
#define TCPK_XDP_FLOWS_DEFAULT		100000

/**
 * define TCPK_XDP_SOURCES_MAX - sources whose windows are tracked (LRU)
 */
#define TCPK_XDP_SOURCES_MAX		16384

/**
 * define TCPK_XDP_ALLOW_MAX - size of the allow list, in prefixes
 */
#define TCPK_XDP_ALLOW_MAX		1024

/* Reasons, as &enum tcpk_flow_reason of the uapi (checked at build). */
#define TCPK_XDP_R_INVALID_FLAGS	0x1U
#define TCPK_XDP_R_PORT_SCAN		0x2U
#define TCPK_XDP_R_SYN_FLOOD		0x4U
#define TCPK_XDP_R_DROPPING		0x8U

/* The TCP flags byte (RFC 9293), as the flow table keeps it. */
#define TCPK_XDP_TCP_FIN		0x01
#define TCPK_XDP_TCP_SYN		0x02
#define TCPK_XDP_TCP_RST		0x04
#define TCPK_XDP_TCP_PSH		0x08
#define TCPK_XDP_TCP_ACK		0x10
#define TCPK_XDP_TCP_URG		0x20

/* Bits of the per-source set of destination ports (4 x 64). */
#define TCPK_XDP_PORT_BITS		256

/**
 * struct tcpk_xdp_flow_key - a flow, one direction, as the program sees it
 * @saddr: source address; IPv4 as an IPv4-mapped IPv6 address.
 * @daddr: destination address, the same way.
 * @sport: source port, network byte order (0 if the protocol has none).
 * @dport: destination port, network byte order (0 if none).
 * @proto: IP protocol (the last IPv6 next header seen).
 * @pad: zero.
 */
struct tcpk_xdp_flow_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

/**
 * struct tcpk_xdp_flow - what the flow table holds for a flow
 * @packets: packets seen (dropped ones included).
 * @bytes: bytes of those packets, link-layer headers included.
 * @dropped: packets the program dropped.
 * @first_ns: bpf_ktime_get_ns() of the first packet.
 * @last_ns: and of the last one.
 * @score: the flow's anomaly score: the sum of the configured scores of
 *	its @reasons.
 * @reasons: &enum tcpk_flow_reason bits the flow has earned.
 * @reported: reasons already sent as a flow event.
 * @ifindex: the interface it arrived on.
 * @tcp_flags: every TCP flag seen on the flow, ORed.
 * @family: 4 or 6.
 * @pad: zero.
 *
 * The counters are updated with atomic adds; the rest by whichever CPU
 * sees the packet (a race may lose a flag bit, never a packet).
 */
struct tcpk_xdp_flow {
	__u64 packets;
	__u64 bytes;
	__u64 dropped;
	__u64 first_ns;
	__u64 last_ns;
	__u32 score;
	__u32 reasons;
	__u32 reported;
	__u32 ifindex;
	__u8 tcp_flags;
	__u8 family;
	__u8 pad[6];
};

/**
 * struct tcpk_xdp_source - a source address's current window
 * @window_start_ns: when the window began.
 * @flagged_until_ns: the source's @reasons hold until then.
 * @ports: set of the destination ports of the new flows in the window,
 *	hashed to %TCPK_XDP_PORT_BITS bits.
 * @syns: SYNs without ACK in the window.
 * @distinct_ports: bits set in @ports (distinct ports, approximately:
 *	two ports may share a bit).
 * @reasons: %TCPK_XDP_R_PORT_SCAN and %TCPK_XDP_R_SYN_FLOOD while
 *	flagged.
 * @reported: reasons (and %TCPK_XDP_R_DROPPING) already reported for
 *	this flagging, so that a scan or a flood makes one event, not one
 *	per flow.
 */
struct tcpk_xdp_source {
	__u64 window_start_ns;
	__u64 flagged_until_ns;
	__u64 ports[TCPK_XDP_PORT_BITS / 64];
	__u32 syns;
	__u32 distinct_ports;
	__u32 reasons;
	__u32 reported;
};

/**
 * struct tcpk_xdp_config - thresholds and scores (the "config" map, key 0)
 * @drop_score: at security_level 2 or more a packet of a flow whose score
 *	is at least this is dropped, unless its source is allow-listed;
 *	0 never drops.
 * @invalid_flags_score: added for an invalid TCP flag combination.
 * @scan_ports: distinct destination ports from one source within one
 *	window that make a port scan; 0 disables the check.
 * @scan_score: added to each later flow of a scanning source.
 * @flood_syns: SYNs from one source within one window that make a SYN
 *	flood; 0 disables the check.
 * @flood_score: added to each later flow of a flooding source.
 * @window_ms: length of a source's window.
 * @penalty_ms: how long a source stays flagged once it scanned or
 *	flooded.
 */
struct tcpk_xdp_config {
	__u32 drop_score;
	__u32 invalid_flags_score;
	__u32 scan_ports;
	__u32 scan_score;
	__u32 flood_syns;
	__u32 flood_score;
	__u32 window_ms;
	__u32 penalty_ms;
};

/* The defaults tcp-bpf writes when it loads the program. */
#define TCPK_XDP_CONFIG_DEFAULT {		\
	.drop_score = 100,			\
	.invalid_flags_score = 100,		\
	.scan_ports = 32,			\
	.scan_score = 100,			\
	.flood_syns = 512,			\
	.flood_score = 100,			\
	.window_ms = 10000,			\
	.penalty_ms = 60000,			\
}

/**
 * struct tcpk_xdp_allow_key - an allow-list prefix (LPM trie key)
 * @prefixlen: prefix length in bits over @addr (an IPv4 /N is 96 + N).
 * @addr: the address, IPv4 mapped as in &struct tcpk_xdp_flow_key.
 */
struct tcpk_xdp_allow_key {
	__u32 prefixlen;
	__u8 addr[16];
};

/**
 * struct tcpk_xdp_stats - the program's counters (per-CPU "stats" map)
 * @packets: packets seen.
 * @bytes: their bytes.
 * @dropped: packets dropped.
 * @parse_errors: packets too short for the headers they announce
 *	(passed, not tracked).
 * @new_flows: flows created in the table.
 * @events: flow events the program sent to the module.
 */
struct tcpk_xdp_stats {
	__u64 packets;
	__u64 bytes;
	__u64 dropped;
	__u64 parse_errors;
	__u64 new_flows;
	__u64 events;
};

/**
 * struct tcpk_xdp_flow_report - a flow event, as the program hands it to
 *	tcpk_xdp_flow_event()
 * @key: the flow.
 * @flow: its state after the packet that made the event.
 * @new_reasons: what this event reports: the reasons (and
 *	%TCPK_XDP_R_DROPPING) not reported before.
 * @pad: zero.
 */
struct tcpk_xdp_flow_report {
	struct tcpk_xdp_flow_key key;
	struct tcpk_xdp_flow flow;
	__u32 new_reasons;
	__u32 pad;
};

/**
 * tcpk_xdp_tcp_flags_invalid() - whether a TCP flag combination is one no
 *	conforming stack sends
 * @flags: the flags byte.
 *
 * No flag at all (a "null scan"), SYN with FIN or RST, FIN with RST, and
 * FIN without ACK (FIN and "Xmas" scans: a FIN is sent only on an
 * established connection, which acknowledges).
 *
 * Return: true if invalid.
 */
static inline bool tcpk_xdp_tcp_flags_invalid(__u8 flags)
{
	if (!(flags & (TCPK_XDP_TCP_FIN | TCPK_XDP_TCP_SYN | TCPK_XDP_TCP_RST |
		       TCPK_XDP_TCP_PSH | TCPK_XDP_TCP_ACK | TCPK_XDP_TCP_URG)))
		return true;
	if ((flags & TCPK_XDP_TCP_SYN) &&
	    (flags & (TCPK_XDP_TCP_FIN | TCPK_XDP_TCP_RST)))
		return true;
	if ((flags & TCPK_XDP_TCP_FIN) && (flags & TCPK_XDP_TCP_RST))
		return true;
	return (flags & TCPK_XDP_TCP_FIN) && !(flags & TCPK_XDP_TCP_ACK);
}

/**
 * tcpk_xdp_port_bit() - the bit of a destination port in a source's set
 * @port: the port, in any byte order (used consistently).
 *
 * Return: a bit number below %TCPK_XDP_PORT_BITS.
 */
static inline __u32 tcpk_xdp_port_bit(__u16 port)
{
	/* Fibonacci hashing: the top 8 bits of port * 2^32 / phi. */
	return ((__u32)port * 2654435769U) >> 24;
}

/**
 * tcpk_xdp_source_update() - count a packet against its source's window
 * @s: the source's state.
 * @c: the configuration.
 * @now: bpf_ktime_get_ns().
 * @new_flow: the packet starts a flow the table did not have.
 * @dport: its destination port (counted when @new_flow).
 * @syn: it is a TCP SYN without ACK.
 *
 * A window that has run out starts over; a flag whose penalty has run out
 * is cleared (and may be reported again).  A new flow's port joins the
 * window's set; reaching @c->scan_ports distinct ports flags a port scan,
 * @c->flood_syns SYNs a SYN flood, each for @c->penalty_ms.
 *
 * Return: the source's reasons in force after the packet.
 */
static inline __u32 tcpk_xdp_source_update(struct tcpk_xdp_source *s,
					   const struct tcpk_xdp_config *c,
					   __u64 now, bool new_flow,
					   __u16 dport, bool syn)
{
	__u64 window = (__u64)c->window_ms * 1000000ULL;
	__u32 bit;

	if (now - s->window_start_ns >= window) {
		s->window_start_ns = now;
		s->syns = 0;
		s->distinct_ports = 0;
		s->ports[0] = 0;
		s->ports[1] = 0;
		s->ports[2] = 0;
		s->ports[3] = 0;
	}
	if (s->reasons && now >= s->flagged_until_ns) {
		s->reasons = 0;
		s->reported = 0;
	}
	if (new_flow) {
		bit = tcpk_xdp_port_bit(dport);
		if (!(s->ports[(bit >> 6) & 3] & (1ULL << (bit & 63)))) {
			s->ports[(bit >> 6) & 3] |= 1ULL << (bit & 63);
			s->distinct_ports++;
		}
	}
	if (syn)
		s->syns++;
	if (c->scan_ports && s->distinct_ports >= c->scan_ports &&
	    !(s->reasons & TCPK_XDP_R_PORT_SCAN)) {
		s->reasons |= TCPK_XDP_R_PORT_SCAN;
		s->flagged_until_ns = now + (__u64)c->penalty_ms * 1000000ULL;
	}
	if (c->flood_syns && s->syns >= c->flood_syns &&
	    !(s->reasons & TCPK_XDP_R_SYN_FLOOD)) {
		s->reasons |= TCPK_XDP_R_SYN_FLOOD;
		s->flagged_until_ns = now + (__u64)c->penalty_ms * 1000000ULL;
	}
	return s->reasons;
}

/**
 * tcpk_xdp_flow_score() - a flow's score from its reasons
 * @reasons: &enum tcpk_flow_reason bits.
 * @c: the configuration.
 *
 * Return: the sum of the scores of @reasons, saturated at 1,000,000.
 */
static inline __u32 tcpk_xdp_flow_score(__u32 reasons,
					const struct tcpk_xdp_config *c)
{
	__u64 score = 0;

	if (reasons & TCPK_XDP_R_INVALID_FLAGS)
		score += c->invalid_flags_score;
	if (reasons & TCPK_XDP_R_PORT_SCAN)
		score += c->scan_score;
	if (reasons & TCPK_XDP_R_SYN_FLOOD)
		score += c->flood_score;
	return score > 1000000 ? 1000000 : (__u32)score;
}

/**
 * tcpk_xdp_should_drop() - the monitor's verdict on a packet
 * @level: the module's security level.
 * @score: the flow's score.
 * @c: the configuration.
 * @allowed: the source is on the allow-list.
 *
 * Return: true to drop: level 2 or more, a threshold set and reached, a
 * source not allow-listed.
 */
static inline bool tcpk_xdp_should_drop(__u32 level, __u32 score,
					const struct tcpk_xdp_config *c,
					bool allowed)
{
	return level >= 2 && c->drop_score && score >= c->drop_score &&
	       !allowed;
}

#endif /* _TCPK_LSM_XDP_H */
