// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - "cost": the in-module cost of a decision's components */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/tcp_kernel.h>

#include "nl.h"
#include "rulefmt.h"
#include "tcp-policy.h"

#define COST_SHORTOPTS	"hjpn:"

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		 = { .type = NLA_UNSPEC },
	[TCPK_A_COST_ITERATIONS] = { .type = NLA_U32 },
	[TCPK_A_COST]		 = { .type = NLA_NESTED },
	[TCPK_A_COST_CPU]	 = { .type = NLA_U32 },
	[TCPK_A_RULE_COUNT]	 = { .type = NLA_U32 },
	[TCPK_A_DB_COUNT]	 = { .type = NLA_U32 },
};

static const struct nla_policy cost_policy[TCPK_A_COST_MAX + 1] = {
	[TCPK_A_COST_PAD]	= { .type = NLA_UNSPEC },
	[TCPK_A_COST_COMPONENT]	= { .type = NLA_U32 },
	[TCPK_A_COST_AVAILABLE]	= { .type = NLA_U8 },
	[TCPK_A_COST_OPS]	= { .type = NLA_U64 },
	[TCPK_A_COST_BATCHES]	= { .type = NLA_U32 },
	[TCPK_A_COST_MIN_PS]	= { .type = NLA_U64 },
	[TCPK_A_COST_MEDIAN_PS]	= { .type = NLA_U64 },
};

/* The components' names (JSON keys and text), by &enum tcpk_cost_component. */
static const char *const cost_names[__TCPK_COST_MAX] = {
	[TCPK_COST_DESC_HIT]	 = "desc-hit",
	[TCPK_COST_DESC_MISS]	 = "desc-miss",
	[TCPK_COST_CACHE_HIT]	 = "cache-hit",
	[TCPK_COST_CACHE_MISS]	 = "cache-miss",
	[TCPK_COST_EVAL_EXEC]	 = "eval-exec",
	[TCPK_COST_EVAL_OPEN]	 = "eval-open",
	[TCPK_COST_SCORE_UPDATE] = "score-update",
};

/**
 * struct cost_comp - one %TCPK_A_COST nest
 * @seen: the module sent it.
 * @available: it was measured.
 * @ops: operations timed.
 * @batches: batches timed.
 * @min_ps: lowest picoseconds per operation of a batch.
 * @median_ps: median over the batches.
 */
struct cost_comp {
	bool seen;
	bool available;
	uint64_t ops;
	uint32_t batches;
	uint64_t min_ps;
	uint64_t median_ps;
};

/**
 * struct cost_reply - a %TCPK_CMD_COST_GET reply
 * @iterations: operations asked per component.
 * @cpu: the CPU measured on.
 * @rules: rules at the time.
 * @descriptors: descriptors at the time.
 * @c: per component.
 */
struct cost_reply {
	uint32_t iterations;
	uint32_t cpu;
	uint32_t rules;
	uint32_t descriptors;
	struct cost_comp c[__TCPK_COST_MAX];
};

static int parse_comp(struct cost_reply *r, struct nlattr *nest)
{
	struct nlattr *ct[TCPK_A_COST_MAX + 1];
	struct cost_comp *c;
	uint32_t id;
	int err;

	err = tp_nl_parse(ct, TCPK_A_COST_MAX, nla_data(nest), nla_len(nest),
			  cost_policy, "cost", "cost");
	if (err)
		return err;
	if (!ct[TCPK_A_COST_COMPONENT] || !ct[TCPK_A_COST_AVAILABLE]) {
		tp_err("cost: malformed reply: a cost nest without component or available");
		return -EBADMSG;
	}
	id = nla_get_u32(ct[TCPK_A_COST_COMPONENT]);
	if (id >= __TCPK_COST_MAX)
		return 0;	/* a component this tool does not know */
	c = &r->c[id];
	c->seen = true;
	c->available = nla_get_u8(ct[TCPK_A_COST_AVAILABLE]);
	if (!c->available)
		return 0;
	if (!ct[TCPK_A_COST_OPS] || !ct[TCPK_A_COST_BATCHES] ||
	    !ct[TCPK_A_COST_MIN_PS] || !ct[TCPK_A_COST_MEDIAN_PS]) {
		tp_err("cost: malformed reply: %s without its figures",
		       cost_names[id]);
		return -EBADMSG;
	}
	c->ops = nla_get_u64(ct[TCPK_A_COST_OPS]);
	c->batches = nla_get_u32(ct[TCPK_A_COST_BATCHES]);
	c->min_ps = nla_get_u64(ct[TCPK_A_COST_MIN_PS]);
	c->median_ps = nla_get_u64(ct[TCPK_A_COST_MEDIAN_PS]);
	return 0;
}

static int parse_reply(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct cost_reply *r = arg;
	struct nlattr *a;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), reply_policy, "cost",
			  "reply");
	if (err)
		return err;
	if (!tb[TCPK_A_COST_ITERATIONS] || !tb[TCPK_A_COST_CPU] ||
	    !tb[TCPK_A_RULE_COUNT] || !tb[TCPK_A_DB_COUNT]) {
		tp_err("cost: malformed reply: no iterations, cpu, rule or descriptor count");
		return -EBADMSG;
	}
	r->iterations = nla_get_u32(tb[TCPK_A_COST_ITERATIONS]);
	r->cpu = nla_get_u32(tb[TCPK_A_COST_CPU]);
	r->rules = nla_get_u32(tb[TCPK_A_RULE_COUNT]);
	r->descriptors = nla_get_u32(tb[TCPK_A_DB_COUNT]);
	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0),
			  rem) {
		if (nla_type(a) != TCPK_A_COST)
			continue;
		err = parse_comp(r, a);
		if (err)
			return err;
	}
	return 0;
}

/* Picoseconds as nanoseconds with one decimal. */
static void print_ns(uint64_t ps)
{
	printf(" %10" PRIu64 ".%" PRIu64, ps / 1000, ps % 1000 / 100);
}

static void print_text(const struct cost_reply *r)
{
	unsigned int i;

	printf("cpu %u, %u rules, %u descriptors, %u iterations per component\n",
	       r->cpu, r->rules, r->descriptors, r->iterations);
	printf("%-13s %13s %13s %10s %8s\n", "COMPONENT", "MIN-NS/OP",
	       "MEDIAN-NS/OP", "OPS", "BATCHES");
	for (i = 0; i < __TCPK_COST_MAX; i++) {
		const struct cost_comp *c = &r->c[i];

		if (!c->seen)
			continue;
		printf("%-13s", cost_names[i]);
		if (!c->available) {
			printf(" %13s %13s %10s %8s\n", "n/a", "n/a", "-", "-");
			continue;
		}
		print_ns(c->min_ps);
		print_ns(c->median_ps);
		printf(" %10" PRIu64 " %8u\n", c->ops, c->batches);
	}
}

/* Picoseconds as a number of nanoseconds, printed with three decimals. */
static struct json_object *ns_json(uint64_t ps)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64 ".%03" PRIu64, ps / 1000,
		 ps % 1000);
	return json_object_new_double_s(ps / 1000.0, buf);
}

static int print_json(const struct cost_reply *r)
{
	struct json_object *root = json_object_new_object();
	struct json_object *comps = json_object_new_object();
	unsigned int i;
	int err;

	json_object_object_add(root, "cpu", json_object_new_int64(r->cpu));
	json_object_object_add(root, "rules", json_object_new_int64(r->rules));
	json_object_object_add(root, "descriptors",
			       json_object_new_int64(r->descriptors));
	json_object_object_add(root, "iterations",
			       json_object_new_int64(r->iterations));
	for (i = 0; i < __TCPK_COST_MAX; i++) {
		const struct cost_comp *c = &r->c[i];
		struct json_object *o;

		if (!c->seen)
			continue;
		if (!c->available) {
			json_object_object_add(comps, cost_names[i], NULL);
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "min_ns", ns_json(c->min_ps));
		json_object_object_add(o, "median_ns", ns_json(c->median_ps));
		json_object_object_add(o, "ops", json_object_new_uint64(c->ops));
		json_object_object_add(o, "batches",
				       json_object_new_int64(c->batches));
		json_object_object_add(comps, cost_names[i], o);
	}
	json_object_object_add(root, "components", comps);
	err = tp_json_print(root);
	json_object_put(root);
	return err;
}

static void usage(void)
{
	printf("Usage: " TP_NAME " cost [-j] [--iterations=N]\n"
	       "\n"
	       "Measure, inside the module and on one CPU, what each component of a\n"
	       "decision costs, in nanoseconds per operation (the lowest of the\n"
	       "batches and their median): a descriptor lookup that finds one\n"
	       "(desc-hit; n/a when the database is empty) and one that does not\n"
	       "(desc-miss), a decision answered by the decision cache (cache-hit)\n"
	       "and one that is not (cache-miss: key, lookup, walk of the rules,\n"
	       "store), a full decision without the cache of an exec-like and an\n"
	       "open-like request (eval-exec, eval-open) against the current rules,\n"
	       "and a behavioural score update (score-update).  Private state only:\n"
	       "no counter, cache entry, event or process changes.  N operations\n"
	       "per component (the module accepts %d to %d, default %d), in %d\n"
	       "batches, each of which stops after 1 ms.\n"
	       "Needs CAP_NET_ADMIN.\n",
	       TCPK_COST_ITERATIONS_MIN, TCPK_COST_ITERATIONS_MAX,
	       TCPK_COST_ITERATIONS_DEFAULT, 9);
}

/**
 * tp_cmd_cost() - "tcp-policy cost"
 * @argc: argument count, argv[0] being "cost".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_cost(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "iterations",	required_argument,	NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct cost_reply r = { 0 };
	int opt, ret = TP_EXIT_FAIL;
	bool has_iter = false;
	uint32_t iter = 0;
	struct nl_msg *msg;
	struct tp_nl nl;

	optind = 0;
	while ((opt = getopt_long(argc, argv, COST_SHORTOPTS, longopts,
				  NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return TP_EXIT_OK;
		case 'n':
			/* Any u32: the module checks the range. */
			if (tp_parse_u32(optarg, &iter)) {
				tp_err("cost: --iterations=%s: not a number",
				       optarg);
				return TP_EXIT_USAGE;
			}
			has_iter = true;
			break;
		default:
			return tp_bad_option("cost", COST_SHORTOPTS, argc, argv);
		}
	}
	if (optind < argc)
		return tp_bad_argument("cost", argv[optind]);

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_COST_GET, 0);
	if (!msg)
		goto out;
	if (has_iter && nla_put_u32(msg, TCPK_A_COST_ITERATIONS, iter) < 0) {
		nlmsg_free(msg);
		goto out;
	}
	if (tp_nl_request(&nl, msg, "cost", parse_reply, &r))
		goto out;
	if (tp_opts.json) {
		if (print_json(&r))
			goto out;
	} else {
		print_text(&r);
	}
	ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	return ret;
}
