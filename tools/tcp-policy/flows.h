/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-policy - flows of the XDP flow monitor: the table and the events */
#ifndef TP_FLOWS_H
#define TP_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

struct nlattr;

/* The flow table the XDP program keeps, pinned by tcp-bpf attach --xdp. */
#define TP_XDP_FLOWS_PIN	"/sys/fs/bpf/tcp_kernel/xdp/flows"

/**
 * struct tp_flow - a flow, from the table or from a flow event
 * @family: 4 or 6.
 * @saddr: source address (the first 4 bytes for IPv4).
 * @daddr: destination address, the same way.
 * @sport: source port, host byte order.
 * @dport: destination port, host byte order.
 * @proto: IP protocol.
 * @tcp_flags: TCP flags seen, ORed.
 * @reasons: &enum tcpk_flow_reason bits.
 * @new_reasons: those the event reports first (events only).
 * @score: the flow's score.
 * @ifindex: the interface.
 * @packets: packets seen.
 * @bytes: their bytes.
 * @dropped: packets dropped.
 * @last_ns: CLOCK_MONOTONIC of the last packet (table only).
 */
struct tp_flow {
	uint8_t family;
	uint8_t saddr[16];
	uint8_t daddr[16];
	uint16_t sport;
	uint16_t dport;
	uint8_t proto;
	uint8_t tcp_flags;
	uint32_t reasons;
	uint32_t new_reasons;
	uint32_t score;
	uint32_t ifindex;
	uint64_t packets;
	uint64_t bytes;
	uint64_t dropped;
	uint64_t last_ns;
};

int tp_flow_parse_nest(struct nlattr *nest, struct tp_flow *f);
void tp_flow_text(const struct tp_flow *f, bool event);
struct json_object *tp_flow_json(const struct tp_flow *f, bool event);

#endif /* TP_FLOWS_H */
