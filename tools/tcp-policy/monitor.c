// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - the "monitor" command: the module's events, as they come */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include <linux/tcp_kernel.h>

#include "flows.h"
#include "nl.h"
#include "polnl.h"
#include "rulefmt.h"
#include "tcp-policy.h"

/* Receive buffer asked for, so bursts of events are not lost here. */
#define RCVBUF_BYTES	(4 << 20)

static const struct nla_policy msg_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]	= { .type = NLA_UNSPEC },
	[TCPK_A_EVENT]	= { .type = NLA_NESTED },
};

static const struct nla_policy event_policy[TCPK_A_EVENT_MAX + 1] = {
	[TCPK_A_EVENT_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_EVENT_TYPE]		= { .type = NLA_U32 },
	[TCPK_A_EVENT_SEQ]		= { .type = NLA_U64 },
	[TCPK_A_EVENT_DROPPED]		= { .type = NLA_U64 },
	[TCPK_A_EVENT_TIME]		= { .type = NLA_U64 },
	[TCPK_A_EVENT_PID]		= { .type = NLA_U32 },
	[TCPK_A_EVENT_UID]		= { .type = NLA_U32 },
	[TCPK_A_EVENT_COMM]		= { .type = NLA_STRING },
	[TCPK_A_EVENT_AGENT]		= { .type = NLA_STRING },
	[TCPK_A_EVENT_DECISION]		= { .type = NLA_NESTED },
	[TCPK_A_EVENT_GENERATION]	= { .type = NLA_U64 },
	[TCPK_A_EVENT_RULES]		= { .type = NLA_U32 },
	[TCPK_A_EVENT_MODE]		= { .type = NLA_NESTED },
	[TCPK_A_EVENT_BEHAVIOR]		= { .type = NLA_NESTED },
	[TCPK_A_EVENT_FLOW]		= { .type = NLA_NESTED },
};

static void put_kv(const char *k, const char *v)
{
	printf(" %s=", k);
	tp_quote(stdout, v);
}

static const struct nla_policy behavior_policy[TCPK_A_BEHAVIOR_MAX + 1] = {
	[TCPK_A_BEHAVIOR_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_BEHAVIOR_KIND]		= { .type = NLA_U32 },
	[TCPK_A_BEHAVIOR_COUNT]		= { .type = NLA_U64 },
	[TCPK_A_BEHAVIOR_BYTES]		= { .type = NLA_U64 },
	[TCPK_A_BEHAVIOR_PATH]		= { .type = NLA_STRING },
	[TCPK_A_BEHAVIOR_SCORE]		= { .type = NLA_U32 },
	[TCPK_A_BEHAVIOR_WINDOW_MS]	= { .type = NLA_U32 },
	[TCPK_A_BEHAVIOR_PATTERN]	= { .type = NLA_STRING },
	[TCPK_A_BEHAVIOR_PATTERN_ID]	= { .type = NLA_U32 },
	[TCPK_A_BEHAVIOR_SIGNAL]	= { .type = NLA_U32 },
};

static const char *const behavior_names[] = {
	[TCPK_BEHAVIOR_UNSPEC]		= NULL,
	[TCPK_BEHAVIOR_FAIL_BURST]	= "fail-burst",
	[TCPK_BEHAVIOR_LARGE_WRITE]	= "large-write",
	[TCPK_BEHAVIOR_WX]		= "wx",
	[TCPK_BEHAVIOR_SEQUENCE]	= "sequence",
	[TCPK_BEHAVIOR_NOVEL]		= "novel",
	[TCPK_BEHAVIOR_MODEL]		= "model",
	[TCPK_BEHAVIOR_THRESHOLD]	= "threshold",
	[TCPK_BEHAVIOR_HWMON]		= "hwmon",
};

_Static_assert(sizeof(behavior_names) / sizeof(behavior_names[0]) ==
	       __TCPK_BEHAVIOR_MAX,
	       "name every enum tcpk_behavior in behavior_names[]");

/* enum tcpk_hwmon_signal, as in the YNL spec. */
static const char *const signal_names[] = {
	[TCPK_HWMON_SIGNAL_UNSPEC]	= NULL,
	[TCPK_HWMON_SIGNAL_BUSY]	= "busy",
	[TCPK_HWMON_SIGNAL_LOW_IPC]	= "low-ipc",
	[TCPK_HWMON_SIGNAL_NO_SHSTK]	= "no-shstk",
	[TCPK_HWMON_SIGNAL_CP_FAULT]	= "cp-fault",
};

_Static_assert(sizeof(signal_names) / sizeof(signal_names[0]) ==
	       __TCPK_HWMON_SIGNAL_MAX,
	       "name every enum tcpk_hwmon_signal in signal_names[]");

/**
 * struct behavior - a %TCPK_A_EVENT_BEHAVIOR nest
 * @kind: &enum tcpk_behavior.
 * @count: how many.
 * @bytes: bytes written.
 * @score: the score after it.
 * @window_ms: the window (bursts).
 * @path: the file (large writes) or the profile's executable (novel), or
 *	NULL; points into the message.
 * @pattern: the pattern's name (sequences), or NULL; points into the
 *	message.
 * @has_pattern_id: @pattern_id is set.
 * @pattern_id: the pattern's id (sequences).
 * @has_signal: @signal is set.
 * @signal: what the hardware monitor saw, &enum tcpk_hwmon_signal (hwmon).
 */
struct behavior {
	uint32_t kind;
	uint64_t count;
	uint64_t bytes;
	uint32_t score;
	uint32_t window_ms;
	const char *path;
	const char *pattern;
	bool has_pattern_id;
	uint32_t pattern_id;
	bool has_signal;
	uint32_t signal;
};

static int behavior_parse(struct nlattr *nest, struct behavior *b)
{
	struct nlattr *bt[TCPK_A_BEHAVIOR_MAX + 1];

	if (tp_nl_parse(bt, TCPK_A_BEHAVIOR_MAX, nla_data(nest), nla_len(nest),
			behavior_policy, "monitor", "behavior"))
		return -EINVAL;
	memset(b, 0, sizeof(*b));
	if (bt[TCPK_A_BEHAVIOR_KIND])
		b->kind = nla_get_u32(bt[TCPK_A_BEHAVIOR_KIND]);
	if (bt[TCPK_A_BEHAVIOR_COUNT])
		b->count = nla_get_u64(bt[TCPK_A_BEHAVIOR_COUNT]);
	if (bt[TCPK_A_BEHAVIOR_BYTES])
		b->bytes = nla_get_u64(bt[TCPK_A_BEHAVIOR_BYTES]);
	if (bt[TCPK_A_BEHAVIOR_SCORE])
		b->score = nla_get_u32(bt[TCPK_A_BEHAVIOR_SCORE]);
	if (bt[TCPK_A_BEHAVIOR_WINDOW_MS])
		b->window_ms = nla_get_u32(bt[TCPK_A_BEHAVIOR_WINDOW_MS]);
	if (bt[TCPK_A_BEHAVIOR_PATH])
		b->path = nla_get_string(bt[TCPK_A_BEHAVIOR_PATH]);
	if (bt[TCPK_A_BEHAVIOR_PATTERN])
		b->pattern = nla_get_string(bt[TCPK_A_BEHAVIOR_PATTERN]);
	b->has_pattern_id = bt[TCPK_A_BEHAVIOR_PATTERN_ID];
	if (b->has_pattern_id)
		b->pattern_id = nla_get_u32(bt[TCPK_A_BEHAVIOR_PATTERN_ID]);
	b->has_signal = bt[TCPK_A_BEHAVIOR_SIGNAL];
	if (b->has_signal)
		b->signal = nla_get_u32(bt[TCPK_A_BEHAVIOR_SIGNAL]);
	return 0;
}

static const char *behavior_name(uint32_t kind)
{
	return kind < __TCPK_BEHAVIOR_MAX ? behavior_names[kind] : NULL;
}

static const char *signal_name(uint32_t signal)
{
	return signal < __TCPK_HWMON_SIGNAL_MAX ? signal_names[signal] : NULL;
}

static struct json_object *behavior_json(const struct behavior *b)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (behavior_name(b->kind))
		json_object_object_add(o, "kind", json_object_new_string(
				       behavior_name(b->kind)));
	else
		json_object_object_add(o, "kind", json_object_new_int64(b->kind));
	json_object_object_add(o, "count", json_object_new_uint64(b->count));
	json_object_object_add(o, "bytes", json_object_new_uint64(b->bytes));
	json_object_object_add(o, "score", json_object_new_int64(b->score));
	json_object_object_add(o, "window_ms",
			       json_object_new_int64(b->window_ms));
	if (b->path)
		json_object_object_add(o, "path",
				       json_object_new_string(b->path));
	if (b->pattern)
		json_object_object_add(o, "pattern",
				       json_object_new_string(b->pattern));
	if (b->has_pattern_id)
		json_object_object_add(o, "pattern_id",
				       json_object_new_int64(b->pattern_id));
	if (b->has_signal) {
		const char *name = signal_name(b->signal);

		json_object_object_add(o, "signal", name ?
				       json_object_new_string(name) :
				       json_object_new_int64(b->signal));
	}
	return o;
}

static void behavior_text(const struct behavior *b)
{
	if (behavior_name(b->kind))
		printf(" behavior=%s", behavior_name(b->kind));
	else
		printf(" behavior=%" PRIu32, b->kind);
	if (b->kind == TCPK_BEHAVIOR_SEQUENCE) {
		/* sequence pattern=NAME id=N patterns=N score=S */
		if (b->pattern)
			put_kv("pattern", b->pattern);
		if (b->has_pattern_id)
			printf(" id=%" PRIu32, b->pattern_id);
		printf(" patterns=%" PRIu64 " score=%" PRIu32, b->count,
		       b->score);
		return;
	}
	if (b->kind == TCPK_BEHAVIOR_NOVEL) {
		/* novel lfc=N profile=PATH score=S */
		printf(" lfc=%" PRIu64, b->count);
		if (b->path)
			put_kv("profile", b->path);
		printf(" score=%" PRIu32, b->score);
		return;
	}
	if (b->kind == TCPK_BEHAVIOR_THRESHOLD) {
		/* threshold threshold=T score=S */
		printf(" threshold=%" PRIu64 " score=%" PRIu32, b->count,
		       b->score);
		return;
	}
	if (b->kind == TCPK_BEHAVIOR_MODEL) {
		/* model p=PERMILLE score=S */
		printf(" p=%" PRIu64 " score=%" PRIu32, b->count, b->score);
		return;
	}
	if (b->kind == TCPK_BEHAVIOR_HWMON) {
		/* hwmon signal=NAME count=N score=S */
		if (b->has_signal && signal_name(b->signal))
			printf(" signal=%s", signal_name(b->signal));
		else if (b->has_signal)
			printf(" signal=%" PRIu32, b->signal);
		printf(" count=%" PRIu64 " score=%" PRIu32, b->count, b->score);
		return;
	}
	printf(" count=%" PRIu64, b->count);
	if (b->kind == TCPK_BEHAVIOR_FAIL_BURST)
		printf(" window_ms=%" PRIu32, b->window_ms);
	if (b->bytes)
		printf(" bytes=%" PRIu64, b->bytes);
	if (b->path)
		put_kv("path", b->path);
	printf(" score=%" PRIu32, b->score);
}

/**
 * struct monitor - state of the event loop
 * @count: stop after this many events; 0 for never.
 * @seen: events printed.
 * @have_seq: @last_seq is set.
 * @last_seq: sequence number of the last event.
 * @have_dropped: @last_dropped is set.
 * @last_dropped: the module's drop counter in the last event.
 * @err: a fatal error (negative errno) stops the loop.
 */
struct monitor {
	unsigned long count;
	unsigned long seen;
	bool have_seq;
	uint64_t last_seq;
	bool have_dropped;
	uint64_t last_dropped;
	int err;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Notifications carry sequence number 0: no check. */
static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static void usage(void)
{
	printf("Usage: " TP_NAME " monitor [-j] [--count=N]\n"
	       "\n"
	       "Print the module's events as they come, one a line (one JSON object\n"
	       "a line with -j): decisions that denied, would have denied or\n"
	       "alerted, new rule sets, mode changes, agent starts, behaviour\n"
	       "(failure bursts, large writes, W+X memory, completed system call\n"
	       "patterns, novel calls against a learned profile, hardware monitor\n"
	       "signals) and the XDP flow monitor's flows (scored or dropped).\n"
	       "Lost events (a gap in the sequence numbers, or a higher drop\n"
	       "counter) are reported on standard error.  Runs until interrupted.\n"
	       "\n"
	       "Options:\n"
	       "  --count=N       exit after N events\n"
	       "  -j, --json      one JSON object per event\n"
	       "\n"
	       "Needs CAP_NET_ADMIN.\n");
}


static void check_loss(struct monitor *m, struct nlattr **tb)
{
	if (tb[TCPK_A_EVENT_SEQ]) {
		uint64_t seq = nla_get_u64(tb[TCPK_A_EVENT_SEQ]);

		if (m->have_seq && seq > m->last_seq + 1)
			tp_err("monitor: %" PRIu64 " events lost (sequence %" PRIu64 " to %" PRIu64 ")",
			       seq - m->last_seq - 1, m->last_seq + 1, seq - 1);
		m->have_seq = true;
		m->last_seq = seq;
	}
	if (tb[TCPK_A_EVENT_DROPPED]) {
		uint64_t dropped = nla_get_u64(tb[TCPK_A_EVENT_DROPPED]);

		if (m->have_dropped && dropped > m->last_dropped)
			tp_err("monitor: the module dropped %" PRIu64 " events (%" PRIu64 " since it was loaded)",
			       dropped - m->last_dropped, dropped);
		m->have_dropped = true;
		m->last_dropped = dropped;
	}
}

static int print_event_json(struct nlattr **tb, uint32_t type,
			    const struct tp_decision *d, bool has_d,
			    const struct tp_mode *mode, bool has_mode,
			    const struct behavior *b, const struct tp_flow *f)
{
	struct json_object *o = json_object_new_object();
	char buf[64];
	int ret;

	if (!o)
		return -ENOMEM;
	if (tb[TCPK_A_EVENT_SEQ])
		json_object_object_add(o, "seq", json_object_new_uint64(
				       nla_get_u64(tb[TCPK_A_EVENT_SEQ])));
	if (tp_event_type_name(type))
		json_object_object_add(o, "type", json_object_new_string(
				       tp_event_type_name(type)));
	else
		json_object_object_add(o, "type", json_object_new_int64(type));
	if (tb[TCPK_A_EVENT_TIME]) {
		uint64_t t = nla_get_u64(tb[TCPK_A_EVENT_TIME]);

		json_object_object_add(o, "time_ns", json_object_new_uint64(t));
		tp_format_time(t, buf, sizeof(buf));
		json_object_object_add(o, "time", json_object_new_string(buf));
	}
	if (tb[TCPK_A_EVENT_DROPPED])
		json_object_object_add(o, "dropped", json_object_new_uint64(
				       nla_get_u64(tb[TCPK_A_EVENT_DROPPED])));
	if (tb[TCPK_A_EVENT_PID])
		json_object_object_add(o, "pid", json_object_new_int64(
				       nla_get_u32(tb[TCPK_A_EVENT_PID])));
	if (tb[TCPK_A_EVENT_UID])
		json_object_object_add(o, "uid", json_object_new_int64(
				       nla_get_u32(tb[TCPK_A_EVENT_UID])));
	if (tb[TCPK_A_EVENT_COMM])
		json_object_object_add(o, "comm", json_object_new_string(
				       nla_get_string(tb[TCPK_A_EVENT_COMM])));
	if (tb[TCPK_A_EVENT_AGENT])
		json_object_object_add(o, "agent", json_object_new_string(
				       nla_get_string(tb[TCPK_A_EVENT_AGENT])));
	if (has_d)
		json_object_object_add(o, "decision", tp_decision_json(d));
	if (tb[TCPK_A_EVENT_GENERATION])
		json_object_object_add(o, "generation", json_object_new_uint64(
				       nla_get_u64(tb[TCPK_A_EVENT_GENERATION])));
	if (tb[TCPK_A_EVENT_RULES])
		json_object_object_add(o, "rules", json_object_new_int64(
				       nla_get_u32(tb[TCPK_A_EVENT_RULES])));
	if (has_mode)
		json_object_object_add(o, "mode", tp_mode_json(mode));
	if (b)
		json_object_object_add(o, "behavior", behavior_json(b));
	if (f)
		json_object_object_add(o, "flow", tp_flow_json(f, true));
	ret = tp_json_line(o);
	json_object_put(o);
	return ret ? -ENOMEM : 0;
}

static void print_event_text(struct nlattr **tb, uint32_t type,
			     const struct tp_decision *d, bool has_d,
			     const struct tp_mode *mode, bool has_mode,
			     const struct behavior *b, const struct tp_flow *f)
{
	char buf[256];

	if (tb[TCPK_A_EVENT_TIME])
		tp_format_time(nla_get_u64(tb[TCPK_A_EVENT_TIME]), buf,
			       sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "-");
	printf("%s", buf);
	if (tb[TCPK_A_EVENT_SEQ])
		printf(" #%" PRIu64, nla_get_u64(tb[TCPK_A_EVENT_SEQ]));
	if (tp_event_type_name(type))
		printf(" %s", tp_event_type_name(type));
	else
		printf(" event-%" PRIu32, type);
	if (tb[TCPK_A_EVENT_PID])
		printf(" pid=%" PRIu32, nla_get_u32(tb[TCPK_A_EVENT_PID]));
	if (tb[TCPK_A_EVENT_UID])
		printf(" uid=%" PRIu32, nla_get_u32(tb[TCPK_A_EVENT_UID]));
	if (tb[TCPK_A_EVENT_COMM])
		put_kv("comm", nla_get_string(tb[TCPK_A_EVENT_COMM]));
	if (tb[TCPK_A_EVENT_AGENT])
		put_kv("agent", nla_get_string(tb[TCPK_A_EVENT_AGENT]));
	if (has_d) {
		const char *op = d->has_op ? tp_op_name(d->op) : NULL;

		if (op)
			printf(" op=%s", op);
		else if (d->has_op)
			printf(" op=%" PRIu32, d->op);
		if (d->path)
			put_kv("path", d->path);
		printf(": ");
		tp_decision_text(stdout, d);
	}
	if (tb[TCPK_A_EVENT_GENERATION])
		printf(" generation=%" PRIu64,
		       nla_get_u64(tb[TCPK_A_EVENT_GENERATION]));
	if (tb[TCPK_A_EVENT_RULES])
		printf(" rules=%" PRIu32, nla_get_u32(tb[TCPK_A_EVENT_RULES]));
	if (has_mode) {
		tp_format_block_ops(mode->block_ops, buf, sizeof(buf));
		printf(" mode=%s level=%" PRIu32 " alerts=%s block_ops=%s",
		       tp_mode_name(mode), mode->level,
		       mode->alerts ? "on" : "off", buf);
	}
	if (b)
		behavior_text(b);
	if (f)
		tp_flow_text(f, true);
	putchar('\n');
	fflush(stdout);
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *tb[TCPK_A_MAX + 1], *et[TCPK_A_EVENT_MAX + 1];
	struct tp_decision d = { 0 };
	struct tp_mode mode = { 0 };
	struct behavior beh, *b = NULL;
	struct tp_flow flow, *f = NULL;
	struct monitor *m = arg;
	bool has_d = false, has_mode = false;
	uint32_t type;

	if (!genlmsg_valid_hdr(nlh, 0) || gnlh->cmd != TCPK_CMD_EVENT)
		return NL_SKIP;
	if (tp_nl_parse(tb, TCPK_A_MAX, genlmsg_attrdata(gnlh, 0),
			genlmsg_attrlen(gnlh, 0), msg_policy, "monitor",
			"event message") || !tb[TCPK_A_EVENT])
		return NL_SKIP;
	if (tp_nl_parse(et, TCPK_A_EVENT_MAX, nla_data(tb[TCPK_A_EVENT]),
			nla_len(tb[TCPK_A_EVENT]), event_policy, "monitor",
			"event"))
		return NL_SKIP;
	type = et[TCPK_A_EVENT_TYPE] ? nla_get_u32(et[TCPK_A_EVENT_TYPE]) :
	       TCPK_EVENT_UNSPEC;
	if (et[TCPK_A_EVENT_DECISION]) {
		if (tp_decision_parse_nest(et[TCPK_A_EVENT_DECISION], &d,
					   "monitor"))
			goto out;
		has_d = true;
	}
	if (et[TCPK_A_EVENT_MODE]) {
		if (tp_mode_parse_nest(et[TCPK_A_EVENT_MODE], &mode, "monitor"))
			goto out;
		has_mode = true;
	}
	if (et[TCPK_A_EVENT_BEHAVIOR]) {
		if (behavior_parse(et[TCPK_A_EVENT_BEHAVIOR], &beh))
			goto out;
		b = &beh;
	}
	if (et[TCPK_A_EVENT_FLOW]) {
		if (tp_flow_parse_nest(et[TCPK_A_EVENT_FLOW], &flow))
			goto out;
		f = &flow;
	}
	check_loss(m, et);
	if (tp_opts.json) {
		m->err = print_event_json(et, type, &d, has_d, &mode, has_mode,
					  b, f);
	} else {
		print_event_text(et, type, &d, has_d, &mode, has_mode, b, f);
		if (ferror(stdout))
			m->err = -EIO;
	}
	m->seen++;
out:
	tp_decision_free(&d);
	if (m->err || (m->count && m->seen >= m->count))
		return NL_STOP;
	return NL_OK;
}

/**
 * tp_cmd_monitor() - "tcp-policy monitor [--count=N]"
 * @argc: argument count, argv[0] being "monitor".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value; 0 when stopped by SIGINT or SIGTERM.
 */
int tp_cmd_monitor(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "count",	required_argument,	NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct monitor m = { 0 };
	sigset_t block, orig;
	struct nl_cb *cb = NULL;
	int opt, grp, err, fd, ret = TP_EXIT_FAIL;
	struct tp_nl nl;
	uint32_t count;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjpc:", longopts, NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			usage();
			return TP_EXIT_OK;
		}
		if (opt == 'c') {
			if (tp_parse_u32(optarg, &count) || !count) {
				tp_err("monitor: --count=%s: not a number from 1",
				       optarg);
				return TP_EXIT_USAGE;
			}
			m.count = count;
			continue;
		}
		return tp_bad_option("monitor", "hjpc:", argc, argv);
	}
	if (optind < argc)
		return tp_bad_argument("monitor", argv[optind]);

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	grp = genl_ctrl_resolve_grp(nl.sk, TCPK_GENL_NAME, TCPK_MCGRP_EVENTS);
	if (grp < 0) {
		tp_err("monitor: the module has no multicast group \"%s\": %s",
		       TCPK_MCGRP_EVENTS, grp == -NLE_OBJ_NOTFOUND ?
		       "it predates uapi 3" : nl_geterror(grp));
		goto out;
	}
	err = nl_socket_add_membership(nl.sk, grp);
	if (err < 0) {
		tp_err("monitor: cannot join the multicast group \"%s\": %s%s",
		       TCPK_MCGRP_EVENTS, nl_geterror(err),
		       err == -NLE_PERM ? " (CAP_NET_ADMIN needed)" : "");
		goto out;
	}
	fd = nl_socket_get_fd(nl.sk);
	(void)nl_socket_set_buffer_size(nl.sk, RCVBUF_BYTES, 0);
	{
		int v = RCVBUF_BYTES;

		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v));
	}
	if (nl_socket_set_nonblocking(nl.sk) < 0) {
		tp_err("monitor: %s", strerror(errno));
		goto out;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		tp_err("monitor: %s", strerror(ENOMEM));
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &m);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);

	/*
	 * The signals are blocked but while waiting in ppoll(), so one that
	 * arrives between a check of stop_signal and the wait is not lost.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigdelset(&orig, SIGINT);
	sigdelset(&orig, SIGTERM);

	tp_err("monitor: listening to %s/%s", TCPK_GENL_NAME,
	       TCPK_MCGRP_EVENTS);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (stop_signal)
			break;
		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			tp_err("monitor: %s", strerror(errno));
			goto out;
		}
		err = nl_recvmsgs(nl.sk, cb);
		if (m.err) {
			if (m.err == -EIO)
				tp_err("monitor: write error on standard output");
			goto out;
		}
		if (m.count && m.seen >= m.count)
			break;
		if (err == -NLE_AGAIN || err >= 0)
			continue;
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed; go on. */
			tp_err("monitor: events lost: the receive buffer overflowed");
			continue;
		}
		tp_err("monitor: cannot receive: %s", nl_geterror(err));
		goto out;
	}
	ret = TP_EXIT_OK;
out:
	if (cb)
		nl_cb_put(cb);
	tp_nl_close(&nl);
	return ret;
}
