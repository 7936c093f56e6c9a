// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - the "seq" commands: the module's system call patterns */

#include <ctype.h>
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

#include "descfmt.h"
#include "nl.h"
#include "polnl.h"
#include "rulefmt.h"
#include "tcp-policy.h"

/* Bytes of a step's bitmap (%TCPK_A_SEQ_STEP): call n, bit n % 8 of byte n / 8. */
#define STEP_BYTES	(TCPK_SEQ_SYSCALLS / 8)

#define SUB_SHORTOPTS	"hjp"

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]	= { .type = NLA_UNSPEC },
	[TCPK_A_SEQ]	= { .type = NLA_NESTED },
};

static const struct nla_policy seq_policy[TCPK_A_SEQ_MAX + 1] = {
	[TCPK_A_SEQ_PAD]	= { .type = NLA_UNSPEC },
	[TCPK_A_SEQ_ID]		= { .type = NLA_U32 },
	[TCPK_A_SEQ_NAME]	= { .type = NLA_STRING },
	[TCPK_A_SEQ_WEIGHT]	= { .type = NLA_U32 },
	[TCPK_A_SEQ_MAX_GAP]	= { .type = NLA_U32 },
	[TCPK_A_SEQ_STEP]	= { .type = NLA_UNSPEC, .minlen = STEP_BYTES },
	[TCPK_A_SEQ_MATCHES]	= { .type = NLA_U64 },
};

/**
 * struct seq_pattern - a pattern, as sent or as the module reports it
 * @id: its id (0: none given).
 * @weight: anomaly score points of a completion.
 * @has_gap: @max_gap is set.
 * @max_gap: most other calls between two steps.
 * @matches: completions since it was added (replies).
 * @steps: steps in @step.
 * @name: its name.
 * @step: the calls of each step, bitmaps as on the wire.
 */
struct seq_pattern {
	uint32_t id;
	uint32_t weight;
	bool has_gap;
	uint32_t max_gap;
	uint64_t matches;
	unsigned int steps;
	char name[TCPK_SEQ_NAME_MAX];
	uint8_t step[TCPK_SEQ_STEPS_MAX][STEP_BYTES];
};

/**
 * struct seq_list - patterns from replies
 * @what: name of the request, for messages.
 * @v: the patterns.
 * @n: their number.
 */
struct seq_list {
	const char *what;
	struct seq_pattern *v;
	size_t n;
};

static void usage(void)
{
	printf("Usage: " TP_NAME " [OPTIONS] seq COMMAND [ARGS]\n"
	       "\n"
	       "Manage the module's system call patterns: a process that makes a\n"
	       "call of every step in order, each within GAP other calls of the\n"
	       "previous step, completes the pattern and gains WEIGHT anomaly score\n"
	       "points (a behavior event of kind sequence).\n"
	       "\n"
	       "Commands:\n"
	       "  list            show every pattern with its completions\n"
	       "  add --name=NAME --weight=N [--gap=N] [--id=N] STEP STEP...\n"
	       "                  add a pattern of 2 to %d steps; prints its id\n"
	       "  del ID          delete a pattern\n"
	       "\n"
	       "STEP      system call names or numbers (x86_64, below %d) joined\n"
	       "          by ',', any of which matches the step, e.g.\n"
	       "          'openat,open read connect'\n"
	       "NAME      1 to %d characters; unique\n"
	       "N         --weight 1 to %d, --gap 0 to %d (default 0), --id from\n"
	       "          1 (default: the next free id)\n"
	       "\n"
	       "Options:\n"
	       "  -j, --json      print JSON\n"
	       "  -p, --pretty    print indented JSON (implies --json)\n"
	       "  -h, --help      print this help and exit\n"
	       "\n"
	       "add and del need CAP_NET_ADMIN. See tcp-policy(8).\n",
	       TCPK_SEQ_STEPS_MAX, TCPK_SEQ_SYSCALLS, TCPK_SEQ_NAME_MAX - 1,
	       TCPK_SEQ_WEIGHT_MAX, TCPK_SEQ_GAP_MAX);
}

/* --- replies ------------------------------------------------------------ */

static int parse_pattern(struct seq_list *l, struct nlattr *nest)
{
	struct nlattr *st[TCPK_A_SEQ_MAX + 1];
	struct seq_pattern *p;
	struct nlattr *a;
	int rem, err;

	err = tp_nl_parse(st, TCPK_A_SEQ_MAX, nla_data(nest), nla_len(nest),
			  seq_policy, l->what, "pattern");
	if (err)
		return err;
	if (!st[TCPK_A_SEQ_ID] || !st[TCPK_A_SEQ_NAME]) {
		tp_err("%s: malformed reply: a pattern without an id or a name",
		       l->what);
		return -EBADMSG;
	}
	p = reallocarray(l->v, l->n + 1, sizeof(*p));
	if (!p) {
		tp_err("%s: %s", l->what, strerror(ENOMEM));
		return -ENOMEM;
	}
	l->v = p;
	p = &l->v[l->n++];
	memset(p, 0, sizeof(*p));
	p->id = nla_get_u32(st[TCPK_A_SEQ_ID]);
	snprintf(p->name, sizeof(p->name), "%s",
		 nla_get_string(st[TCPK_A_SEQ_NAME]));
	if (st[TCPK_A_SEQ_WEIGHT])
		p->weight = nla_get_u32(st[TCPK_A_SEQ_WEIGHT]);
	p->has_gap = st[TCPK_A_SEQ_MAX_GAP];
	if (p->has_gap)
		p->max_gap = nla_get_u32(st[TCPK_A_SEQ_MAX_GAP]);
	if (st[TCPK_A_SEQ_MATCHES])
		p->matches = nla_get_u64(st[TCPK_A_SEQ_MATCHES]);
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != TCPK_A_SEQ_STEP)
			continue;
		if (p->steps == TCPK_SEQ_STEPS_MAX) {
			tp_err("%s: malformed reply: pattern %" PRIu32 " has more than %d steps",
			       l->what, p->id, TCPK_SEQ_STEPS_MAX);
			return -EBADMSG;
		}
		memcpy(p->step[p->steps++], nla_data(a), STEP_BYTES);
	}
	return 0;
}

static int parse_patterns(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct seq_list *l = arg;
	struct nlattr *nla;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, l->what,
			  "reply");
	if (err)
		return err;
	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) != TCPK_A_SEQ)
			continue;
		err = parse_pattern(l, nla);
		if (err)
			return err;
	}
	return 0;
}

/* --- output ------------------------------------------------------------- */

static bool step_has(const struct seq_pattern *p, unsigned int s,
		     uint32_t nr)
{
	return p->step[s][nr / 8] >> (nr % 8) & 1;
}

/* The name of call @nr, or its number in @buf. */
static const char *call_name(uint32_t nr, char *buf, size_t len)
{
	const char *name = tp_syscall_name(nr);

	if (name)
		return name;
	snprintf(buf, len, "%" PRIu32, nr);
	return buf;
}

/* "openat|open > read > connect" */
static void print_steps(const struct seq_pattern *p)
{
	unsigned int s;
	uint32_t nr;
	char buf[16];

	for (s = 0; s < p->steps; s++) {
		bool first = true;

		if (s)
			fputs(" > ", stdout);
		for (nr = 0; nr < TCPK_SEQ_SYSCALLS; nr++) {
			if (!step_has(p, s, nr))
				continue;
			printf("%s%s", first ? "" : "|",
			       call_name(nr, buf, sizeof(buf)));
			first = false;
		}
		if (first)
			fputs("-", stdout);
	}
}

static void print_table(const struct seq_list *l)
{
	size_t i;
	int w = 4;

	for (i = 0; i < l->n; i++)
		if ((int)strlen(l->v[i].name) > w)
			w = (int)strlen(l->v[i].name);
	printf("%-4s %-*s %6s %3s %8s %s\n", "ID", w, "NAME", "WEIGHT", "GAP",
	       "MATCHES", "STEPS");
	for (i = 0; i < l->n; i++) {
		const struct seq_pattern *p = &l->v[i];

		printf("%-4" PRIu32 " %-*s %6" PRIu32 " %3" PRIu32 " %8" PRIu64
		       " ", p->id, w, p->name, p->weight, p->max_gap,
		       p->matches);
		print_steps(p);
		putchar('\n');
	}
}

static struct json_object *pattern_json(const struct seq_pattern *p)
{
	struct json_object *o = json_object_new_object();
	struct json_object *steps = json_object_new_array();
	unsigned int s;
	uint32_t nr;
	char buf[16];

	if (!o || !steps) {
		json_object_put(o);
		json_object_put(steps);
		return NULL;
	}
	json_object_object_add(o, "id", json_object_new_int64(p->id));
	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "weight", json_object_new_int64(p->weight));
	json_object_object_add(o, "max_gap", json_object_new_int64(p->max_gap));
	json_object_object_add(o, "matches",
			       json_object_new_uint64(p->matches));
	for (s = 0; s < p->steps; s++) {
		struct json_object *calls = json_object_new_array();

		if (!calls)
			break;
		for (nr = 0; nr < TCPK_SEQ_SYSCALLS; nr++) {
			const char *name;

			if (!step_has(p, s, nr))
				continue;
			name = tp_syscall_name(nr);
			/* A call without a name is its number, as in the text. */
			json_object_array_add(calls, name ?
				json_object_new_string(name) :
				json_object_new_string(call_name(nr, buf,
								 sizeof(buf))));
		}
		json_object_array_add(steps, calls);
	}
	json_object_object_add(o, "steps", steps);
	return o;
}

static int print_json(const struct seq_list *l)
{
	struct json_object *a = json_object_new_array();
	int ret = TP_EXIT_FAIL;
	size_t i;

	for (i = 0; a && i < l->n; i++) {
		struct json_object *o = pattern_json(&l->v[i]);

		if (!o)
			break;
		json_object_array_add(a, o);
	}
	if (!a || i < l->n)
		tp_err("%s: %s", l->what, strerror(ENOMEM));
	else if (!tp_json_print(a))
		ret = TP_EXIT_OK;
	json_object_put(a);
	return ret;
}

/* --- options ------------------------------------------------------------ */

static const struct option common_longopts[] = {
	TP_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

/*
 * Parse a subcommand's options.  @opt_cb handles its own options: it
 * returns 0 if it took @opt, 1 if @opt's argument was bad (reported), -1
 * if @opt is not its own.
 *
 * Return: -1 to go on with the arguments at optind, or the exit status
 * the subcommand ends with (after --help or a bad option).
 */
static int sub_opts(const char *what, int argc, char **argv,
		    const char *shortopts, const struct option *longopts,
		    int (*opt_cb)(int opt, void *arg), void *arg)
{
	int opt, r;

	optind = 0;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	       -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			usage();
			return TP_EXIT_OK;
		}
		r = opt_cb && opt != '?' ? opt_cb(opt, arg) : -1;
		if (r == 0)
			continue;
		if (r > 0)
			return TP_EXIT_USAGE;
		return tp_bad_option(what, shortopts, argc, argv);
	}
	return -1;
}

/* --- list --------------------------------------------------------------- */

static void list_free(struct seq_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* list_free() for tp_nl_dump(), which empties the list before each try. */
static void list_reset(void *arg)
{
	list_free(arg);
}

static int cmd_list(int argc, char **argv)
{
	struct seq_list l = { .what = "seq list" };
	int r, ret = TP_EXIT_FAIL;
	struct tp_nl nl;

	r = sub_opts(l.what, argc, argv, SUB_SHORTOPTS, common_longopts, NULL,
		     NULL);
	if (r >= 0)
		return r;
	if (optind < argc)
		return tp_bad_argument(l.what, argv[optind]);
	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	if (tp_nl_dump(&nl, TCPK_CMD_SEQ_GET, l.what, "the patterns",
		       parse_patterns, &l, list_reset))
		goto out;
	if (tp_opts.json) {
		ret = print_json(&l);
	} else {
		print_table(&l);
		ret = TP_EXIT_OK;
	}
out:
	tp_nl_close(&nl);
	list_free(&l);
	return ret;
}

/* --- add ---------------------------------------------------------------- */

/**
 * struct add_args - the options of "seq add"
 * @p: the pattern being built.
 * @has_weight: --weight was given.
 */
struct add_args {
	struct seq_pattern p;
	bool has_weight;
};

static int add_opt(int opt, void *arg)
{
	struct add_args *a = arg;

	switch (opt) {
	case 'N':
		if (!optarg[0] || strlen(optarg) >= TCPK_SEQ_NAME_MAX) {
			tp_err("seq add: --name=%s: 1 to %d characters",
			       optarg, TCPK_SEQ_NAME_MAX - 1);
			return 1;
		}
		snprintf(a->p.name, sizeof(a->p.name), "%s", optarg);
		return 0;
	case 'W':
		if (tp_parse_u32(optarg, &a->p.weight)) {
			tp_err("seq add: --weight=%s: not a number", optarg);
			return 1;
		}
		a->has_weight = true;
		return 0;
	case 'G':
		if (tp_parse_u32(optarg, &a->p.max_gap)) {
			tp_err("seq add: --gap=%s: not a number", optarg);
			return 1;
		}
		a->p.has_gap = true;
		return 0;
	case 'I':
		if (tp_parse_u32(optarg, &a->p.id) || !a->p.id) {
			tp_err("seq add: --id=%s: not a number from 1", optarg);
			return 1;
		}
		return 0;
	}
	return -1;
}

/*
 * One STEP: "openat,open,2" into step @s of @p.  Return: 0, or -1
 * (reported).
 */
static int parse_step(struct seq_pattern *p, unsigned int s, const char *arg)
{
	char *copy, *tok, *save = NULL;
	unsigned int i;
	int ret = -1;

	copy = strdup(arg);
	if (!copy) {
		tp_err("seq add: %s", strerror(ENOMEM));
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		uint32_t nr;

		if (isdigit((unsigned char)tok[0])) {
			if (tp_parse_u32(tok, &nr) || nr >= TCPK_SEQ_SYSCALLS) {
				tp_err("seq add: step %u: '%s': not a system call number below %d",
				       s + 1, tok, TCPK_SEQ_SYSCALLS);
				goto out;
			}
		} else {
			int n = tp_syscall_nr(tok);

			if (n < 0) {
				tp_err("seq add: step %u: '%s': unknown system call (an x86_64 name or a number below %d)",
				       s + 1, tok, TCPK_SEQ_SYSCALLS);
				goto out;
			}
			if (n >= TCPK_SEQ_SYSCALLS) {
				tp_err("seq add: step %u: '%s' is call %d; patterns take calls below %d",
				       s + 1, tok, n, TCPK_SEQ_SYSCALLS);
				goto out;
			}
			nr = (uint32_t)n;
		}
		p->step[s][nr / 8] |= 1u << (nr % 8);
	}
	for (i = 0; i < STEP_BYTES && !p->step[s][i]; i++)
		;
	if (i == STEP_BYTES) {
		tp_err("seq add: step %u: '%s': no system call", s + 1, arg);
		goto out;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

static int cmd_add(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "name",	required_argument,	NULL, 'N' },
		{ "weight",	required_argument,	NULL, 'W' },
		{ "gap",	required_argument,	NULL, 'G' },
		{ "id",		required_argument,	NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	struct seq_list l = { .what = "seq add" };
	struct add_args a = { 0 };
	struct nlattr *nest;
	struct nl_msg *msg;
	struct tp_nl nl;
	unsigned int s;
	int r, ret = TP_EXIT_FAIL;

	r = sub_opts(l.what, argc, argv, SUB_SHORTOPTS, longopts, add_opt, &a);
	if (r >= 0)
		return r;
	if (!a.p.name[0] || !a.has_weight) {
		tp_err("seq add: --name and --weight are required");
		fprintf(stderr, "Try '" TP_NAME " seq --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	if (argc - optind < 2 || argc - optind > TCPK_SEQ_STEPS_MAX) {
		tp_err("seq add: a pattern has 2 to %d steps, not %d",
		       TCPK_SEQ_STEPS_MAX, argc - optind);
		fprintf(stderr, "Try '" TP_NAME " seq --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	for (s = 0; optind < argc; s++, optind++)
		if (parse_step(&a.p, s, argv[optind]))
			return TP_EXIT_USAGE;
	a.p.steps = s;

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_SEQ_ADD, 0);
	if (!msg)
		goto out;
	nest = nla_nest_start(msg, TCPK_A_SEQ);
	if (!nest ||
	    (a.p.id && nla_put_u32(msg, TCPK_A_SEQ_ID, a.p.id) < 0) ||
	    nla_put_string(msg, TCPK_A_SEQ_NAME, a.p.name) < 0 ||
	    nla_put_u32(msg, TCPK_A_SEQ_WEIGHT, a.p.weight) < 0 ||
	    (a.p.has_gap &&
	     nla_put_u32(msg, TCPK_A_SEQ_MAX_GAP, a.p.max_gap) < 0))
		goto nomsg;
	for (s = 0; s < a.p.steps; s++)
		if (nla_put(msg, TCPK_A_SEQ_STEP, STEP_BYTES, a.p.step[s]) < 0)
			goto nomsg;
	nla_nest_end(msg, nest);
	if (tp_nl_request(&nl, msg, l.what, parse_patterns, &l))
		goto out;
	if (l.n != 1) {
		tp_err("seq add: malformed reply: %zu patterns", l.n);
		goto out;
	}
	if (tp_opts.json) {
		struct json_object *o = pattern_json(&l.v[0]);

		if (!o)
			tp_err("seq add: %s", strerror(ENOMEM));
		else if (!tp_json_print(o))
			ret = TP_EXIT_OK;
		json_object_put(o);
	} else {
		printf("pattern %" PRIu32 " added\n", l.v[0].id);
		ret = TP_EXIT_OK;
	}
	goto out;
nomsg:
	tp_err("seq add: cannot build the message");
	nlmsg_free(msg);
out:
	tp_nl_close(&nl);
	list_free(&l);
	return ret;
}

/* --- del ---------------------------------------------------------------- */

static int cmd_del(int argc, char **argv)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	struct tp_nl nl;
	int r, ret = TP_EXIT_FAIL;
	uint32_t id;

	r = sub_opts("seq del", argc, argv, SUB_SHORTOPTS, common_longopts,
		     NULL, NULL);
	if (r >= 0)
		return r;
	if (optind >= argc) {
		tp_err("seq del: no pattern id given");
		fprintf(stderr, "Try '" TP_NAME " seq --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	if (tp_parse_u32(argv[optind], &id) || !id) {
		tp_err("seq del: '%s': not a pattern id (a number from 1)",
		       argv[optind]);
		return TP_EXIT_USAGE;
	}
	if (optind + 1 < argc)
		return tp_bad_argument("seq del", argv[optind + 1]);
	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_SEQ_DEL, 0);
	if (!msg)
		goto out;
	nest = nla_nest_start(msg, TCPK_A_SEQ);
	if (!nest || nla_put_u32(msg, TCPK_A_SEQ_ID, id) < 0) {
		tp_err("seq del: cannot build the message");
		nlmsg_free(msg);
		goto out;
	}
	nla_nest_end(msg, nest);
	if (!tp_nl_request(&nl, msg, "seq del", NULL, NULL))
		ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	return ret;
}

static const struct tp_subcmd seq_cmds[] = {
	{ "list",	cmd_list },
	{ "add",	cmd_add },
	{ "del",	cmd_del },
};

/**
 * tp_cmd_seq() - "tcp-policy seq COMMAND ..."
 * @argc: argument count, argv[0] being "seq".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_seq(int argc, char **argv)
{
	return tp_subcommand("seq", "list, add or del", seq_cmds,
			     sizeof(seq_cmds) / sizeof(seq_cmds[0]), usage,
			     argc, argv);
}
