// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-policy - the "flows" command: the XDP flow monitor's table, top
 * flows first; and the formatting of flow events for "monitor"
 *
 * The table is the XDP program's LRU hash, pinned by "tcp-bpf attach
 * --xdp"; its layout is lsm/xdp.h, checked against the pinned map's
 * key and value sizes before anything is read.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <json-c/json.h>
#include <netlink/attr.h>

#include <linux/tcp_kernel.h>
#include <linux/types.h>

#include "lsm/xdp.h"
#include "flows.h"
#include "nl.h"
#include "polnl.h"
#include "rulefmt.h"
#include "tcp-policy.h"

/* Entries asked for per bpf_map_lookup_batch() call. */
#define BATCH	1024

static const struct {
	uint32_t bit;
	const char *name;
} reason_names[] = {
	{ TCPK_FLOW_INVALID_FLAGS,	"invalid-flags" },
	{ TCPK_FLOW_PORT_SCAN,		"port-scan" },
	{ TCPK_FLOW_SYN_FLOOD,		"syn-flood" },
	{ TCPK_FLOW_DROPPING,		"dropping" },
};

static const struct nla_policy flow_policy[TCPK_A_FLOW_MAX + 1] = {
	[TCPK_A_FLOW_PAD]	= { .type = NLA_UNSPEC },
	[TCPK_A_FLOW_IFINDEX]	= { .type = NLA_U32 },
	[TCPK_A_FLOW_FAMILY]	= { .type = NLA_U8 },
	[TCPK_A_FLOW_SADDR]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[TCPK_A_FLOW_DADDR]	= { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[TCPK_A_FLOW_SPORT]	= { .type = NLA_U16 },
	[TCPK_A_FLOW_DPORT]	= { .type = NLA_U16 },
	[TCPK_A_FLOW_PROTO]	= { .type = NLA_U8 },
	[TCPK_A_FLOW_TCP_FLAGS]	= { .type = NLA_U8 },
	[TCPK_A_FLOW_REASONS]	= { .type = NLA_U32 },
	[TCPK_A_FLOW_NEW_REASONS] = { .type = NLA_U32 },
	[TCPK_A_FLOW_SCORE]	= { .type = NLA_U32 },
	[TCPK_A_FLOW_PACKETS]	= { .type = NLA_U64 },
	[TCPK_A_FLOW_BYTES]	= { .type = NLA_U64 },
	[TCPK_A_FLOW_DROPPED]	= { .type = NLA_U64 },
};

/**
 * tp_flow_parse_nest() - read a %TCPK_A_EVENT_FLOW nest
 * @nest: the nest.
 * @f: (out) the flow.
 *
 * Return: 0, or -1 after a message (a malformed nest, or an address
 * whose length does not match the family).
 */
int tp_flow_parse_nest(struct nlattr *nest, struct tp_flow *f)
{
	struct nlattr *ft[TCPK_A_FLOW_MAX + 1];
	size_t alen;

	if (tp_nl_parse(ft, TCPK_A_FLOW_MAX, nla_data(nest), nla_len(nest),
			flow_policy, "monitor", "flow"))
		return -1;
	memset(f, 0, sizeof(*f));
	if (ft[TCPK_A_FLOW_FAMILY])
		f->family = nla_get_u8(ft[TCPK_A_FLOW_FAMILY]) == AF_INET6 ?
			    6 : 4;
	alen = f->family == 6 ? 16 : 4;
	if (!ft[TCPK_A_FLOW_SADDR] || !ft[TCPK_A_FLOW_DADDR] ||
	    (size_t)nla_len(ft[TCPK_A_FLOW_SADDR]) != alen ||
	    (size_t)nla_len(ft[TCPK_A_FLOW_DADDR]) != alen) {
		tp_err("monitor: a flow event without addresses of its family");
		return -1;
	}
	memcpy(f->saddr, nla_data(ft[TCPK_A_FLOW_SADDR]), alen);
	memcpy(f->daddr, nla_data(ft[TCPK_A_FLOW_DADDR]), alen);
#define GET(attr, field, type)					\
	do {							\
		if (ft[attr])					\
			f->field = nla_get_##type(ft[attr]);	\
	} while (0)
	GET(TCPK_A_FLOW_SPORT, sport, u16);
	GET(TCPK_A_FLOW_DPORT, dport, u16);
	GET(TCPK_A_FLOW_PROTO, proto, u8);
	GET(TCPK_A_FLOW_TCP_FLAGS, tcp_flags, u8);
	GET(TCPK_A_FLOW_REASONS, reasons, u32);
	GET(TCPK_A_FLOW_NEW_REASONS, new_reasons, u32);
	GET(TCPK_A_FLOW_SCORE, score, u32);
	GET(TCPK_A_FLOW_IFINDEX, ifindex, u32);
	GET(TCPK_A_FLOW_PACKETS, packets, u64);
	GET(TCPK_A_FLOW_BYTES, bytes, u64);
	GET(TCPK_A_FLOW_DROPPED, dropped, u64);
#undef GET
	return 0;
}

/* "a.b.c.d:port" or "[v6]:port" (no port for a protocol without). */
static void endpoint(char *buf, size_t len, const struct tp_flow *f,
		     const uint8_t *addr, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];
	bool ports = f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP;

	inet_ntop(f->family == 6 ? AF_INET6 : AF_INET, addr, a, sizeof(a));
	if (!ports)
		snprintf(buf, len, "%s", a);
	else if (f->family == 6)
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s:%u", a, port);
}

static void addr_str(char *buf, size_t len, const struct tp_flow *f,
		     const uint8_t *addr)
{
	inet_ntop(f->family == 6 ? AF_INET6 : AF_INET, addr, buf, len);
}

static const char *proto_name(uint8_t proto, char *buf, size_t len)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	}
	snprintf(buf, len, "%u", proto);
	return buf;
}

/* "invalid-flags,port-scan", or "-". */
static void reasons_str(uint32_t reasons, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(reason_names) / sizeof(reason_names[0]); i++)
		if (reasons & reason_names[i].bit)
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "," : "", reason_names[i].name);
	if (!n)
		snprintf(buf, len, "-");
}

/* TCP flags as letters, tcpdump's: F S R P . U; "-" for none. */
static void flags_str(uint8_t flags, char *buf)
{
	static const char letters[] = "FSRP.U";
	int i, n = 0;

	for (i = 0; i < 6; i++)
		if (flags & (1U << i))
			buf[n++] = letters[i];
	if (!n)
		buf[n++] = '-';
	buf[n] = '\0';
}

static struct json_object *reasons_json(uint32_t reasons)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < sizeof(reason_names) / sizeof(reason_names[0]); i++)
		if (reasons & reason_names[i].bit)
			json_object_array_add(a, json_object_new_string(
					      reason_names[i].name));
	return a;
}

/**
 * tp_flow_json() - a flow as a JSON object
 * @f: the flow.
 * @event: it comes from an event (new_reasons), else from the table.
 *
 * Return: the object, or NULL without memory.
 */
struct json_object *tp_flow_json(const struct tp_flow *f, bool event)
{
	struct json_object *o = json_object_new_object();
	char buf[INET6_ADDRSTRLEN + 8], ifname[IF_NAMESIZE];

	if (!o)
		return NULL;
	json_object_object_add(o, "family", json_object_new_int(f->family));
	addr_str(buf, sizeof(buf), f, f->saddr);
	json_object_object_add(o, "saddr", json_object_new_string(buf));
	addr_str(buf, sizeof(buf), f, f->daddr);
	json_object_object_add(o, "daddr", json_object_new_string(buf));
	json_object_object_add(o, "sport", json_object_new_int(f->sport));
	json_object_object_add(o, "dport", json_object_new_int(f->dport));
	json_object_object_add(o, "proto", json_object_new_string(
			       proto_name(f->proto, buf, sizeof(buf))));
	flags_str(f->tcp_flags, buf);
	json_object_object_add(o, "tcp_flags", json_object_new_string(buf));
	json_object_object_add(o, "score", json_object_new_int64(f->score));
	json_object_object_add(o, "reasons", reasons_json(f->reasons));
	if (event)
		json_object_object_add(o, "new_reasons",
				       reasons_json(f->new_reasons));
	json_object_object_add(o, "packets", json_object_new_uint64(f->packets));
	json_object_object_add(o, "bytes", json_object_new_uint64(f->bytes));
	json_object_object_add(o, "dropped", json_object_new_uint64(f->dropped));
	json_object_object_add(o, "ifindex", json_object_new_int64(f->ifindex));
	if (if_indextoname(f->ifindex, ifname))
		json_object_object_add(o, "ifname",
				       json_object_new_string(ifname));
	return o;
}

/**
 * tp_flow_text() - a flow event's fields, " key=value" each, for monitor
 * @f: the flow.
 * @event: print the reasons the event reports first as well.
 */
void tp_flow_text(const struct tp_flow *f, bool event)
{
	char a[INET6_ADDRSTRLEN + 8], b[INET6_ADDRSTRLEN + 8], r[96], fl[8];

	endpoint(a, sizeof(a), f, f->saddr, f->sport);
	endpoint(b, sizeof(b), f, f->daddr, f->dport);
	printf(" flow=%s->%s proto=%s", a, b,
	       proto_name(f->proto, r, sizeof(r)));
	flags_str(f->tcp_flags, fl);
	reasons_str(f->reasons, r, sizeof(r));
	printf(" tcp_flags=%s score=%" PRIu32 " reasons=%s", fl, f->score, r);
	if (event) {
		reasons_str(f->new_reasons, r, sizeof(r));
		printf(" new=%s", r);
	}
	printf(" packets=%" PRIu64 " dropped=%" PRIu64, f->packets, f->dropped);
}

/* The table's entry as a tp_flow. */
static void from_map(struct tp_flow *f, const struct tcpk_xdp_flow_key *k,
		     const struct tcpk_xdp_flow *v)
{
	size_t off = v->family == 6 ? 0 : 12;

	memset(f, 0, sizeof(*f));
	f->family = v->family == 6 ? 6 : 4;
	memcpy(f->saddr, k->saddr + off, 16 - off);
	memcpy(f->daddr, k->daddr + off, 16 - off);
	f->sport = ntohs(k->sport);
	f->dport = ntohs(k->dport);
	f->proto = k->proto;
	f->tcp_flags = v->tcp_flags;
	f->reasons = v->reasons;
	f->score = v->score;
	f->ifindex = v->ifindex;
	f->packets = v->packets;
	f->bytes = v->bytes;
	f->dropped = v->dropped;
	f->last_ns = v->last_ns;
}

/* Highest score first, then most packets. */
static int by_score(const void *a, const void *b)
{
	const struct tp_flow *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->packets != y->packets)
		return x->packets < y->packets ? 1 : -1;
	return 0;
}

/**
 * struct flow_table - what was read of the pinned table
 * @f: the flows.
 * @n: how many.
 * @max: the table's bound (max_entries).
 */
struct flow_table {
	struct tp_flow *f;
	size_t n;
	uint32_t max;
};

static int read_table(struct flow_table *t)
{
	struct bpf_map_info info = { 0 };
	__u32 info_len = sizeof(info), count;
	struct tcpk_xdp_flow_key *keys = NULL;
	struct tcpk_xdp_flow *vals = NULL;
	__u64 in = 0, out = 0;
	bool first = true;
	int fd, err = 0;
	size_t i;

	fd = bpf_obj_get(TP_XDP_FLOWS_PIN);
	if (fd < 0) {
		if (errno == ENOENT)
			tp_err("flows: the XDP flow monitor is not attached (no %s): tcp-bpf attach --xdp IFACE",
			       TP_XDP_FLOWS_PIN);
		else
			tp_err("flows: cannot open %s: %s%s", TP_XDP_FLOWS_PIN,
			       strerror(errno), errno == EPERM || errno == EACCES ?
			       " (needs CAP_BPF and CAP_SYS_ADMIN)" : "");
		return -1;
	}
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len)) {
		tp_err("flows: cannot read the table's description: %s",
		       strerror(errno));
		goto fail;
	}
	if (info.key_size != sizeof(*keys) || info.value_size != sizeof(*vals)) {
		tp_err("flows: %s has %u-byte keys and %u-byte values, this tool expects %zu and %zu: a tcp-bpf of another version pinned it",
		       TP_XDP_FLOWS_PIN, info.key_size, info.value_size,
		       sizeof(*keys), sizeof(*vals));
		goto fail;
	}
	t->max = info.max_entries;
	t->n = 0;
	t->f = calloc(t->max ? t->max : 1, sizeof(*t->f));
	keys = calloc(BATCH, sizeof(*keys));
	vals = calloc(BATCH, sizeof(*vals));
	if (!t->f || !keys || !vals) {
		tp_err("flows: %s", strerror(ENOMEM));
		goto fail;
	}
	while (!err) {
		count = BATCH;
		err = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, keys,
					   vals, &count, NULL);
		if (err && errno != ENOENT) {
			tp_err("flows: cannot read the table: %s",
			       strerror(errno));
			goto fail;
		}
		for (i = 0; i < count && t->n < t->max; i++)
			from_map(&t->f[t->n++], &keys[i], &vals[i]);
		in = out;
		first = false;
	}
	free(keys);
	free(vals);
	close(fd);
	return 0;
fail:
	free(keys);
	free(vals);
	free(t->f);
	t->f = NULL;
	close(fd);
	return -1;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void usage(void)
{
	printf("Usage: " TP_NAME " flows [-j] [--top=N] [--min-score=N]\n"
	       "\n"
	       "List the flows of the XDP flow monitor (tcp-bpf attach --xdp), highest\n"
	       "score first: source and destination, protocol, TCP flags seen\n"
	       "(F S R P . U), packets, bytes, packets dropped, score and the reasons\n"
	       "for it (invalid-flags, port-scan, syn-flood, dropping), and how long\n"
	       "ago the last packet came.  The first line says how many flows the\n"
	       "table holds and its bound.\n"
	       "\n"
	       "Options:\n"
	       "  --top=N         show N flows (default 20; 0 for all)\n"
	       "  --min-score=N   only flows scoring at least N\n"
	       "  -j, --json      one JSON document: count, max_entries, flows\n"
	       "\n"
	       "Reads " TP_XDP_FLOWS_PIN "; needs CAP_BPF and CAP_SYS_ADMIN.\n");
}

/**
 * tp_cmd_flows() - "tcp-policy flows [--top=N] [--min-score=N]"
 * @argc: argument count, argv[0] being "flows".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_flows(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "top",	required_argument,	NULL, 't' },
		{ "min-score",	required_argument,	NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t top = 20, min_score = 0;
	struct flow_table t = { 0 };
	struct json_object *o, *a;
	size_t i, shown = 0;
	uint64_t now;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjpt:s:", longopts,
				  NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return TP_EXIT_OK;
		case 't':
			if (tp_parse_u32(optarg, &top)) {
				tp_err("flows: --top=%s: not a number", optarg);
				return TP_EXIT_USAGE;
			}
			break;
		case 's':
			if (tp_parse_u32(optarg, &min_score)) {
				tp_err("flows: --min-score=%s: not a number",
				       optarg);
				return TP_EXIT_USAGE;
			}
			break;
		default:
			return tp_bad_option("flows", "hjpt:s:", argc, argv);
		}
	}
	if (optind < argc)
		return tp_bad_argument("flows", argv[optind]);

	if (read_table(&t))
		return TP_EXIT_FAIL;
	qsort(t.f, t.n, sizeof(*t.f), by_score);
	now = mono_ns();

	if (tp_opts.json) {
		o = json_object_new_object();
		a = json_object_new_array();
		if (!o || !a) {
			free(t.f);
			return TP_EXIT_FAIL;
		}
		json_object_object_add(o, "count", json_object_new_int64((int64_t)t.n));
		json_object_object_add(o, "max_entries",
				       json_object_new_int64(t.max));
		for (i = 0; i < t.n && (!top || shown < top); i++) {
			struct json_object *fo;

			if (t.f[i].score < min_score)
				continue;
			fo = tp_flow_json(&t.f[i], false);
			if (fo && now >= t.f[i].last_ns)
				json_object_object_add(fo, "idle_ms", json_object_new_uint64(
						       (now - t.f[i].last_ns) / 1000000));
			json_object_array_add(a, fo);
			shown++;
		}
		json_object_object_add(o, "flows", a);
		ret = tp_json_print(o) ? TP_EXIT_FAIL : TP_EXIT_OK;
		json_object_put(o);
		free(t.f);
		return ret;
	}

	printf("%zu flows (table bound %" PRIu32 ")\n", t.n, t.max);
	printf("%-44s %-44s %-5s %-6s %9s %11s %9s %6s %7s %s\n", "SOURCE",
	       "DESTINATION", "PROTO", "FLAGS", "PACKETS", "BYTES", "DROPPED",
	       "SCORE", "IDLE", "REASONS");
	for (i = 0; i < t.n && (!top || shown < top); i++) {
		const struct tp_flow *f = &t.f[i];
		char s[INET6_ADDRSTRLEN + 8], d[INET6_ADDRSTRLEN + 8];
		char r[96], fl[8], p[8], idle[24];

		if (f->score < min_score)
			continue;
		endpoint(s, sizeof(s), f, f->saddr, f->sport);
		endpoint(d, sizeof(d), f, f->daddr, f->dport);
		flags_str(f->tcp_flags, fl);
		reasons_str(f->reasons, r, sizeof(r));
		if (now >= f->last_ns)
			snprintf(idle, sizeof(idle), "%.1fs",
				 (double)(now - f->last_ns) / 1e9);
		else
			snprintf(idle, sizeof(idle), "-");
		printf("%-44s %-44s %-5s %-6s %9" PRIu64 " %11" PRIu64 " %9" PRIu64 " %6" PRIu32 " %7s %s\n",
		       s, d, proto_name(f->proto, p, sizeof(p)), fl, f->packets,
		       f->bytes, f->dropped, f->score, idle, r);
		shown++;
	}
	free(t.f);
	return ferror(stdout) ? TP_EXIT_FAIL : TP_EXIT_OK;
}
