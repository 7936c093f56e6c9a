// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - the "mode" command: the progressive rollout */

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
#include "polnl.h"
#include "rulefmt.h"
#include "tcp-policy.h"

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_MODE]		= { .type = NLA_NESTED },
	[TCPK_A_GENERATION]	= { .type = NLA_U64 },
	[TCPK_A_RULE_COUNT]	= { .type = NLA_U32 },
	[TCPK_A_RULE_LIMIT]	= { .type = NLA_U32 },
};

/* The modes, indexes of modes[]. */
enum {
	MODE_OFF,
	MODE_MONITOR,
	MODE_ALERTS,
	MODE_BLOCKING,
	MODE_ENFORCE,
	MODE_PARANOID,
	MODE_COUNT,
};

/*
 * The modes of "tcp-policy mode NAME", as Documentation/policy.rst gives
 * them: each sets the level and, where the table says so, alerts and the
 * operations enforced at level 2; "--" in the table leaves them as they
 * are.  @flag is the seed's spelling of the mode (tcp-bpf config's), an
 * alias of the word.
 */
static const struct {
	const char *name;
	const char *flag;	/* "--" + this, or NULL */
	uint32_t level;
	int alerts;		/* -1: unchanged */
	int block_ops;		/* -1: unchanged, 0: from --ops, 1: all */
} modes[MODE_COUNT] = {
	[MODE_OFF]	= { "off", NULL, TCPK_LEVEL_OFF, -1, -1 },
	[MODE_MONITOR]	= { "monitor", "monitor-only", TCPK_LEVEL_MONITOR,
			    0, -1 },
	[MODE_ALERTS]	= { "alerts", "enable-alerts", TCPK_LEVEL_MONITOR,
			    1, -1 },
	[MODE_BLOCKING]	= { "blocking", "enable-blocking", TCPK_LEVEL_ENFORCE,
			    1, 0 },
	[MODE_ENFORCE]	= { "enforce", "full-enforcement", TCPK_LEVEL_ENFORCE,
			    1, 1 },
	[MODE_PARANOID]	= { "paranoid", NULL, TCPK_LEVEL_PARANOID, 1, 1 },
};

/* getopt_long() values: OPT_FLAG + i is modes[i].flag. */
enum { OPT_OPS = 'o', OPT_FLAG = 256 };

static void usage(void)
{
	printf("Usage: " TP_NAME " mode [-j]\n"
	       "       " TP_NAME " mode off|monitor|alerts|enforce|paranoid\n"
	       "       " TP_NAME " mode blocking --ops=OP,...\n"
	       "       " TP_NAME " mode --monitor-only | --enable-alerts |\n"
	       "              --enable-blocking --ops=OP,... | --full-enforcement\n"
	       "\n"
	       "Show or set the rollout mode: the security level, whether alerts\n"
	       "are emitted and which operations' denials are enforced at level 2.\n"
	       "\n"
	       "  off        level 0: nothing is decided\n"
	       "  monitor    level 1, alerts off: denials are recorded as would-deny\n"
	       "  alerts     level 1, alerts on\n"
	       "  blocking   level 2, alerts on, denials of OPs enforced, others\n"
	       "             recorded as would-deny\n"
	       "  enforce    level 2, alerts on, every denial enforced\n"
	       "  paranoid   level 3, alerts on, every denial enforced, and the\n"
	       "             default denies risky operations of agents\n"
	       "\n"
	       "The seed's spellings (as tcp-bpf config's) are the same modes:\n"
	       "--monitor-only is monitor, --enable-alerts alerts, --enable-blocking\n"
	       "blocking and --full-enforcement enforce.  --syscalls= is an alias\n"
	       "of --ops=.\n"
	       "\n"
	       "Setting needs CAP_NET_ADMIN; showing needs no privilege.\n");
}

static int parse_mode_reply(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct tp_mode_info *mi = arg;
	int err;

	err = tp_nl_parse(tb, TCPK_A_MAX, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), reply_policy, "mode",
			  "reply");
	if (err)
		return err;
	if (!tb[TCPK_A_MODE]) {
		tp_err("mode: malformed reply: no TCPK_A_MODE");
		return -EBADMSG;
	}
	err = tp_mode_parse_nest(tb[TCPK_A_MODE], &mi->mode, "mode");
	if (err)
		return err;
	mi->have = true;
	if (tb[TCPK_A_GENERATION]) {
		mi->has_generation = true;
		mi->generation = nla_get_u64(tb[TCPK_A_GENERATION]);
	}
	if (tb[TCPK_A_RULE_COUNT]) {
		mi->has_rules = true;
		mi->rules = nla_get_u32(tb[TCPK_A_RULE_COUNT]);
	}
	if (tb[TCPK_A_RULE_LIMIT]) {
		mi->has_limit = true;
		mi->limit = nla_get_u32(tb[TCPK_A_RULE_LIMIT]);
	}
	return 0;
}

/**
 * tp_mode_get() - ask the module for its mode (%TCPK_CMD_MODE_GET)
 * @nl: socket opened by tp_nl_open().
 * @mi: the reply.
 * @quiet: report no error of the kernel (status asks a module that may
 *	predate uapi 3).
 *
 * Return: 0, or a negative errno.
 */
int tp_mode_get(struct tp_nl *nl, struct tp_mode_info *mi, bool quiet)
{
	struct tp_nl_ext ext = { .quiet = quiet };
	struct nl_msg *msg;
	int err;

	memset(mi, 0, sizeof(*mi));
	msg = tp_nl_msg(nl, TCPK_CMD_MODE_GET, 0);
	if (!msg)
		return -ENOMEM;
	err = tp_nl_request_ext(nl, msg, "mode", parse_mode_reply, mi, &ext);
	if (err)
		return err;
	if (!mi->have) {
		if (!quiet)
			tp_err("mode: the module sent no reply");
		return -EBADMSG;
	}
	return 0;
}

static int show(void)
{
	struct tp_mode_info mi;
	char ops[256];
	struct tp_nl nl;
	int ret = TP_EXIT_FAIL;

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	if (tp_mode_get(&nl, &mi, false))
		goto out;
	if (tp_opts.json) {
		struct json_object *o = tp_mode_json(&mi.mode);

		if (!o)
			goto out;
		if (mi.has_generation)
			json_object_object_add(o, "generation",
				json_object_new_uint64(mi.generation));
		if (mi.has_rules)
			json_object_object_add(o, "rules",
				json_object_new_int64(mi.rules));
		if (mi.has_limit)
			json_object_object_add(o, "rule_limit",
				json_object_new_int64(mi.limit));
		if (!tp_json_print(o))
			ret = TP_EXIT_OK;
		json_object_put(o);
		goto out;
	}
	tp_format_block_ops(mi.mode.block_ops, ops, sizeof(ops));
	printf("mode:       %s\n", tp_mode_name(&mi.mode));
	printf("level:      %" PRIu32 " (%s)\n", mi.mode.level,
	       tp_level_name(mi.mode.level));
	printf("alerts:     %s\n", mi.mode.alerts ? "on" : "off");
	printf("block ops:  %s\n", ops);
	if (mi.has_generation)
		printf("generation: %" PRIu64 "\n", mi.generation);
	if (mi.has_rules && mi.has_limit)
		printf("rules:      %" PRIu32 " (limit %" PRIu32 ")\n",
		       mi.rules, mi.limit);
	ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	return ret;
}

/* How the user named modes[@i]: 'blocking' or --enable-blocking. */
static void mode_spelling(size_t i, bool flag, char *buf, size_t size)
{
	if (flag)
		snprintf(buf, size, "--%s", modes[i].flag);
	else
		snprintf(buf, size, "'%s'", modes[i].name);
}

/**
 * tp_cmd_mode() - "tcp-policy mode [NAME [--ops=OP,...]]"
 * @argc: argument count, argv[0] being "mode".
 * @argv: arguments.
 *
 * NAME may also be given as the seed's flag (--monitor-only,
 * --enable-alerts, --enable-blocking, --full-enforcement), mapped as
 * tcp-bpf config maps it.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_mode(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "ops",		required_argument, NULL, OPT_OPS },
		{ "syscalls",		required_argument, NULL, OPT_OPS },
		{ "monitor-only",	no_argument, NULL,
		  OPT_FLAG + MODE_MONITOR },
		{ "enable-alerts",	no_argument, NULL,
		  OPT_FLAG + MODE_ALERTS },
		{ "enable-blocking",	no_argument, NULL,
		  OPT_FLAG + MODE_BLOCKING },
		{ "full-enforcement",	no_argument, NULL,
		  OPT_FLAG + MODE_ENFORCE },
		{ NULL, 0, NULL, 0 },
	};
	char named[32], other[32];
	const char *ops_arg = NULL;
	int opt, ret = TP_EXIT_FAIL;
	size_t i = MODE_COUNT, j;
	bool by_flag = false;
	uint32_t ops = 0;
	struct nlattr *nest;
	struct nl_msg *msg;
	struct tp_nl nl;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjpo:", longopts, NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			usage();
			return TP_EXIT_OK;
		}
		if (opt == OPT_OPS) {
			ops_arg = optarg;
			continue;
		}
		if (opt >= OPT_FLAG && opt < OPT_FLAG + MODE_COUNT) {
			j = (size_t)(opt - OPT_FLAG);
			if (i != MODE_COUNT && i != j) {
				mode_spelling(i, true, named, sizeof(named));
				mode_spelling(j, true, other, sizeof(other));
				tp_err("mode: %s and %s: give one mode", named,
				       other);
				return TP_EXIT_USAGE;
			}
			i = j;
			by_flag = true;
			continue;
		}
		return tp_bad_option("mode", "hjpo:", argc, argv);
	}
	if (optind < argc) {
		for (j = 0; j < MODE_COUNT; j++)
			if (!strcmp(argv[optind], modes[j].name))
				break;
		if (j == MODE_COUNT) {
			tp_err("mode: unknown mode '%s' (off, monitor, alerts, blocking, enforce or paranoid)",
			       argv[optind]);
			return TP_EXIT_USAGE;
		}
		if (optind + 1 < argc)
			return tp_bad_argument("mode", argv[optind + 1]);
		if (i != MODE_COUNT && i != j) {
			mode_spelling(i, true, named, sizeof(named));
			tp_err("mode: %s and '%s': give one mode", named,
			       argv[optind]);
			return TP_EXIT_USAGE;
		}
		i = j;
	}
	if (i == MODE_COUNT) {
		if (ops_arg) {
			tp_err("mode: --ops goes with 'mode blocking' (--enable-blocking)");
			return TP_EXIT_USAGE;
		}
		return show();
	}
	mode_spelling(i, by_flag, named, sizeof(named));
	if (modes[i].block_ops == 0) {
		char err[TP_ERR_MAX];

		if (!ops_arg) {
			tp_err("mode: %s needs --ops=OP,... (e.g. --ops=unlink,rmdir)",
			       by_flag ? named : modes[i].name);
			return TP_EXIT_USAGE;
		}
		if (tp_parse_ops(ops_arg, &ops, err, sizeof(err))) {
			tp_err("mode: --ops=%s: %s", ops_arg, err);
			return TP_EXIT_USAGE;
		}
	} else if (ops_arg) {
		tp_err("mode: --ops goes with 'mode blocking' (--enable-blocking) only, not %s",
		       named);
		return TP_EXIT_USAGE;
	} else if (modes[i].block_ops == 1) {
		ops = TCPK_OPS_ALL;
	}

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_MODE_SET, 0);
	nest = msg ? nla_nest_start(msg, TCPK_A_MODE) : NULL;
	if (!nest ||
	    nla_put_u32(msg, TCPK_A_MODE_LEVEL, modes[i].level) < 0 ||
	    (modes[i].alerts >= 0 &&
	     nla_put_u8(msg, TCPK_A_MODE_ALERTS, (uint8_t)modes[i].alerts) < 0) ||
	    (modes[i].block_ops >= 0 &&
	     nla_put_u32(msg, TCPK_A_MODE_BLOCK_OPS, ops) < 0) ||
	    nla_nest_end(msg, nest) < 0) {
		tp_err("mode: cannot build the message");
		if (msg)
			nlmsg_free(msg);
		goto out;
	}
	if (!tp_nl_request(&nl, msg, "mode", NULL, NULL))
		ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	return ret;
}
