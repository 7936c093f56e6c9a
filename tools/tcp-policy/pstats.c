// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - the "stats" command: the policy engine's counters */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/tcp_kernel.h>

#include "nl.h"
#include "polnl.h"
#include "rulefmt.h"
#include "tcp-policy.h"

/*
 * The values of the TCPK_A_STATS nest that stats shows, in order: counters
 * since load, and gauges (the event queue's fill now, its peak and size),
 * which --interval shows as they are, not as rates.
 */
static const struct {
	int attr;
	const char *name;
	bool gauge;
} counters[] = {
	{ TCPK_A_STATS_DECISIONS,		"decisions",	false },
	{ TCPK_A_STATS_CACHE_HITS,		"cache_hits",	false },
	{ TCPK_A_STATS_CACHE_MISSES,		"cache_misses",	false },
	{ TCPK_A_STATS_FAST_PATH,		"fast_path",	false },
	{ TCPK_A_STATS_EVENTS,			"events",	false },
	{ TCPK_A_STATS_EVENTS_DROPPED,		"events_dropped",	false },
	{ TCPK_A_STATS_AUDIT_RECORDS,		"audit_records",	false },
	{ TCPK_A_STATS_AUDIT_RECORDS_LOST,	"audit_records_lost",	false },
	{ TCPK_A_STATS_AGENT_LABELS,		"agent_labels",	false },
	{ TCPK_A_STATS_AGENT_LABELS_LOST,	"agent_labels_lost",	false },
	{ TCPK_A_STATS_EVENTS_QUEUED,		"events_queued",	true },
	{ TCPK_A_STATS_EVENTS_QUEUE_PEAK,	"events_queue_peak",	true },
	{ TCPK_A_STATS_EVENTS_QUEUE_LEN,	"events_queue_len",	true },
	{ TCPK_A_STATS_PROCS,			"procs",		true },
	{ TCPK_A_STATS_PROCS_EVICTED,		"procs_evicted",	false },
	{ TCPK_A_STATS_PROCS_BYTES,		"procs_bytes",		true },
};

#define NCOUNTERS	(sizeof(counters) / sizeof(counters[0]))

/* Per operation: allowed, denied, would-deny. */
#define NVERDICTS	3
static const char *const verdict_keys[NVERDICTS] = {
	"allow", "deny", "would_deny"
};

/**
 * struct pstats - the policy counters of one %TCPK_CMD_GET_STATUS reply
 * @have: a reply was parsed.
 * @uapi: the module's uapi version.
 * @v: the counters, indexed like counters[].
 * @has: which of @v the reply carried.
 * @op: per operation, the allowed, denied and would-deny decisions.
 * @has_op: which operations the reply carried.
 */
struct pstats {
	bool have;
	uint32_t uapi;
	uint64_t v[NCOUNTERS];
	bool has[NCOUNTERS];
	uint64_t op[__TCPK_OP_MAX][NVERDICTS];
	bool has_op[__TCPK_OP_MAX];
};

static const struct nla_policy status_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_MODULE_VERSION]	= { .type = NLA_STRING },
	[TCPK_A_UAPI_VERSION]	= { .type = NLA_U32 },
	[TCPK_A_SECURITY_LEVEL]	= { .type = NLA_U32 },
	[TCPK_A_KERNEL_RELEASE]	= { .type = NLA_STRING },
	[TCPK_A_PART]		= { .type = NLA_NESTED },
	[TCPK_A_STATS]		= { .type = NLA_NESTED },
};

static const struct nla_policy stats_policy[TCPK_A_STATS_MAX + 1] = {
	[TCPK_A_STATS_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_STATS_KFUNC_CALLS]	= { .type = NLA_U64 },
	[TCPK_A_STATS_GENL_REQUESTS]	= { .type = NLA_U64 },
	[TCPK_A_STATS_DECISIONS]	= { .type = NLA_U64 },
	[TCPK_A_STATS_CACHE_HITS]	= { .type = NLA_U64 },
	[TCPK_A_STATS_CACHE_MISSES]	= { .type = NLA_U64 },
	[TCPK_A_STATS_FAST_PATH]	= { .type = NLA_U64 },
	[TCPK_A_STATS_EVENTS]		= { .type = NLA_U64 },
	[TCPK_A_STATS_EVENTS_DROPPED]	= { .type = NLA_U64 },
	[TCPK_A_STATS_AUDIT_RECORDS]	= { .type = NLA_U64 },
	[TCPK_A_STATS_AGENT_LABELS]	= { .type = NLA_U64 },
	[TCPK_A_STATS_AGENT_LABELS_LOST] = { .type = NLA_U64 },
	[TCPK_A_STATS_OP]		= { .type = NLA_NESTED },
	[TCPK_A_STATS_EVENTS_QUEUED]	= { .type = NLA_U64 },
	[TCPK_A_STATS_EVENTS_QUEUE_PEAK] = { .type = NLA_U64 },
	[TCPK_A_STATS_EVENTS_QUEUE_LEN]	= { .type = NLA_U64 },
	[TCPK_A_STATS_AUDIT_RECORDS_LOST] = { .type = NLA_U64 },
	[TCPK_A_STATS_PROCS]		= { .type = NLA_U64 },
	[TCPK_A_STATS_PROCS_EVICTED]	= { .type = NLA_U64 },
	[TCPK_A_STATS_PROCS_BYTES]	= { .type = NLA_U64 },
};

static const struct nla_policy op_policy[TCPK_A_OP_STATS_MAX + 1] = {
	[TCPK_A_OP_STATS_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_OP_STATS_OP]		= { .type = NLA_U32 },
	[TCPK_A_OP_STATS_ALLOW]		= { .type = NLA_U64 },
	[TCPK_A_OP_STATS_DENY]		= { .type = NLA_U64 },
	[TCPK_A_OP_STATS_WOULD_DENY]	= { .type = NLA_U64 },
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static int parse_op(struct pstats *ps, struct nlattr *nest)
{
	static const int attrs[NVERDICTS] = {
		TCPK_A_OP_STATS_ALLOW, TCPK_A_OP_STATS_DENY,
		TCPK_A_OP_STATS_WOULD_DENY,
	};
	struct nlattr *tb[TCPK_A_OP_STATS_MAX + 1];
	uint32_t op;
	int err, i;

	err = tp_nl_parse(tb, TCPK_A_OP_STATS_MAX, nla_data(nest),
			  nla_len(nest), op_policy, "stats", "op stats");
	if (err)
		return err;
	if (!tb[TCPK_A_OP_STATS_OP]) {
		tp_err("stats: malformed op stats: no TCPK_A_OP_STATS_OP");
		return -EBADMSG;
	}
	op = nla_get_u32(tb[TCPK_A_OP_STATS_OP]);
	if (op >= __TCPK_OP_MAX)
		return 0;	/* an operation newer than this tool */
	ps->has_op[op] = true;
	for (i = 0; i < NVERDICTS; i++)
		ps->op[op][i] = tb[attrs[i]] ? nla_get_u64(tb[attrs[i]]) : 0;
	return 0;
}

static int parse_status(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *tb[TCPK_A_MAX + 1], *st[TCPK_A_STATS_MAX + 1];
	struct pstats *ps = arg;
	struct nlattr *nla;
	size_t i;
	int err, rem;

	err = tp_nl_parse(tb, TCPK_A_MAX, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), status_policy, "stats",
			  "reply");
	if (err)
		return err;
	if (!tb[TCPK_A_STATS]) {
		tp_err("stats: malformed reply: no TCPK_A_STATS");
		return -EBADMSG;
	}
	err = tp_nl_parse(st, TCPK_A_STATS_MAX, nla_data(tb[TCPK_A_STATS]),
			  nla_len(tb[TCPK_A_STATS]), stats_policy, "stats",
			  "stats");
	if (err)
		return err;
	ps->have = true;
	if (tb[TCPK_A_UAPI_VERSION])
		ps->uapi = nla_get_u32(tb[TCPK_A_UAPI_VERSION]);
	for (i = 0; i < NCOUNTERS; i++) {
		ps->has[i] = st[counters[i].attr] != NULL;
		ps->v[i] = ps->has[i] ? nla_get_u64(st[counters[i].attr]) : 0;
	}
	nla_for_each_nested(nla, tb[TCPK_A_STATS], rem) {
		if (nla_type(nla) != TCPK_A_STATS_OP)
			continue;
		err = parse_op(ps, nla);
		if (err)
			return err;
	}
	return 0;
}

static int fetch(struct tp_nl *nl, struct pstats *ps)
{
	struct nl_msg *msg;

	memset(ps, 0, sizeof(*ps));
	msg = tp_nl_msg(nl, TCPK_CMD_GET_STATUS, 0);
	if (!msg)
		return -ENOMEM;
	if (tp_nl_request(nl, msg, "stats", parse_status, ps))
		return -EIO;
	if (!ps->have) {
		tp_err("stats: the module sent no reply");
		return -EBADMSG;
	}
	if (ps->uapi < 3) {
		tp_err("stats: the module (uapi %" PRIu32 ") predates the policy engine (uapi 3)",
		       ps->uapi);
		return -EOPNOTSUPP;
	}
	return 0;
}

static void usage(void)
{
	printf("Usage: " TP_NAME " stats [-j] [--interval=SECONDS [--count=N]]\n"
	       "\n"
	       "Show the policy engine's counters since the module was loaded:\n"
	       "decisions, decision cache hits and misses, fast-path answers,\n"
	       "events emitted and dropped, audit records written and lost, agent\n"
	       "labels given and lost, the event queue's fill (now, peak, size;\n"
	       "uapi 7), the per-process table's size, evictions and bytes (uapi 7),\n"
	       "and per operation the decisions that allowed, denied or would have\n"
	       "denied.\n"
	       "With --interval, print the rates per second of each interval\n"
	       "instead (the queue's fill and the table's size as they are), N\n"
	       "times (default: until interrupted).\n"
	       "Needs no privilege.\n");
}

static int print_once(const struct pstats *ps)
{
	size_t i;
	int op, k;

	if (tp_opts.json) {
		struct json_object *o = json_object_new_object(), *ops;
		int ret;

		if (!o)
			return TP_EXIT_FAIL;
		for (i = 0; i < NCOUNTERS; i++)
			if (ps->has[i])
				json_object_object_add(o, counters[i].name,
					json_object_new_uint64(ps->v[i]));
		ops = json_object_new_object();
		json_object_object_add(o, "ops", ops);
		for (op = 0; ops && op < __TCPK_OP_MAX; op++) {
			struct json_object *e;

			if (!ps->has_op[op])
				continue;
			e = json_object_new_object();
			for (k = 0; e && k < NVERDICTS; k++)
				json_object_object_add(e, verdict_keys[k],
					json_object_new_uint64(ps->op[op][k]));
			json_object_object_add(ops, tp_op_name(op), e);
		}
		ret = tp_json_print(o) ? TP_EXIT_FAIL : TP_EXIT_OK;
		json_object_put(o);
		return ret;
	}
	for (i = 0; i < NCOUNTERS; i++)
		if (ps->has[i])
			printf("%-18s %" PRIu64 "\n", counters[i].name,
			       ps->v[i]);
	printf("\n%-12s %14s %14s %14s\n", "OP", "ALLOW", "DENY",
	       "WOULD_DENY");
	for (op = 0; op < __TCPK_OP_MAX; op++)
		if (ps->has_op[op])
			printf("%-12s %14" PRIu64 " %14" PRIu64 " %14" PRIu64 "\n",
			       tp_op_name(op), ps->op[op][0], ps->op[op][1],
			       ps->op[op][2]);
	return TP_EXIT_OK;
}

static double rate(uint64_t now, uint64_t before, double secs)
{
	return now >= before ? (double)(now - before) / secs : 0.0;
}

static int print_rates(const struct pstats *now, const struct pstats *prev,
		       double secs, bool header)
{
	uint64_t sum_now[NVERDICTS] = { 0 }, sum_prev[NVERDICTS] = { 0 };
	size_t i;
	int op, k;

	for (op = 0; op < __TCPK_OP_MAX; op++)
		for (k = 0; k < NVERDICTS; k++) {
			sum_now[k] += now->op[op][k];
			sum_prev[k] += prev->op[op][k];
		}

	if (tp_opts.json) {
		struct json_object *o = json_object_new_object(), *ops;
		int ret;

		if (!o)
			return -1;
		json_object_object_add(o, "interval",
				       json_object_new_double(secs));
		for (i = 0; i < NCOUNTERS; i++)
			if (now->has[i])
				json_object_object_add(o, counters[i].name,
					counters[i].gauge ?
					json_object_new_uint64(now->v[i]) :
					json_object_new_double(rate(now->v[i],
						prev->v[i], secs)));
		ops = json_object_new_object();
		json_object_object_add(o, "ops", ops);
		for (op = 0; ops && op < __TCPK_OP_MAX; op++) {
			struct json_object *e;

			if (!now->has_op[op])
				continue;
			e = json_object_new_object();
			for (k = 0; e && k < NVERDICTS; k++)
				json_object_object_add(e, verdict_keys[k],
					json_object_new_double(rate(now->op[op][k],
						prev->op[op][k], secs)));
			json_object_object_add(ops, tp_op_name(op), e);
		}
		ret = tp_json_line(o);
		json_object_put(o);
		return ret;
	}
	if (header) {
		for (i = 0; i < NCOUNTERS; i++)
			if (now->has[i])
				printf("%s%s%s", i ? "  " : "",
				       counters[i].name,
				       counters[i].gauge ? "" : "/s");
		printf("  allow/s  deny/s  would_deny/s\n");
	}
	for (i = 0; i < NCOUNTERS; i++) {
		int w = (int)strlen(counters[i].name) +
			(counters[i].gauge ? 0 : 2);

		if (!now->has[i])
			continue;
		if (counters[i].gauge)
			printf("%s%*" PRIu64, i ? "  " : "", w, now->v[i]);
		else
			printf("%s%*.1f", i ? "  " : "", w,
			       rate(now->v[i], prev->v[i], secs));
	}
	for (k = 0; k < NVERDICTS; k++)
		printf("  %*.1f", (int)strlen(verdict_keys[k]) + 2,
		       rate(sum_now[k], sum_prev[k], secs));
	putchar('\n');
	fflush(stdout);
	return ferror(stdout) ? -1 : 0;
}

/**
 * tp_cmd_stats() - "tcp-policy stats [--interval=S [--count=N]]"
 * @argc: argument count, argv[0] being "stats".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "interval",	required_argument,	NULL, 'i' },
		{ "count",	required_argument,	NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	uint32_t interval = 0, count = 0, n;
	struct pstats prev, now;
	int opt, ret = TP_EXIT_FAIL;
	struct tp_nl nl;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjpi:c:", longopts, NULL)) !=
	       -1) {
		if (tp_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return TP_EXIT_OK;
		case 'i':
			if (tp_parse_u32(optarg, &interval) || !interval ||
			    interval > 86400) {
				tp_err("stats: --interval=%s: not a number of seconds from 1 to 86400",
				       optarg);
				return TP_EXIT_USAGE;
			}
			break;
		case 'c':
			if (tp_parse_u32(optarg, &count) || !count) {
				tp_err("stats: --count=%s: not a number from 1",
				       optarg);
				return TP_EXIT_USAGE;
			}
			break;
		default:
			return tp_bad_option("stats", "hjpi:c:", argc, argv);
		}
	}
	if (optind < argc)
		return tp_bad_argument("stats", argv[optind]);
	if (count && !interval) {
		tp_err("stats: --count goes with --interval");
		return TP_EXIT_USAGE;
	}

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	if (fetch(&nl, &now))
		goto out;
	if (!interval) {
		ret = print_once(&now);
		goto out;
	}

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (n = 0; !count || n < count; n++) {
		struct timespec ts = { .tv_sec = interval };

		prev = now;
		while (nanosleep(&ts, &ts) && errno == EINTR && !stop_signal)
			;
		if (stop_signal)
			break;
		if (fetch(&nl, &now))
			goto out;
		if (print_rates(&now, &prev, interval, n == 0))
			goto out;
	}
	ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	return ret;
}
