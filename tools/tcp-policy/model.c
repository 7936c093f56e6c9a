// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - the "model" commands: the module's behaviour model */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include <linux/tcp_kernel.h>

#include "nl.h"
#include "sign.h"
#include "tcp-policy.h"

/* The file format's reader: tcp-replay's (model-file.c, model-core.c). */
#define TR_NAME TP_NAME
#include "../tcp-replay/tcp-replay.h"

#define SUB_SHORTOPTS	"hjp"

_Static_assert(TCPK_MODEL_FEATURES == TCPK_MF_COUNT,
	       "the uapi's feature count is behavior/model.h's");

/* The features' names, in order: the classes, then the window's others. */
static const char *const feature_names[TCPK_MODEL_FEATURES] = {
	[TCPK_MF_CLASS + TCPK_SC_OTHER]		= "other",
	[TCPK_MF_CLASS + TCPK_SC_FILE_READ]	= "file-read",
	[TCPK_MF_CLASS + TCPK_SC_FILE_WRITE]	= "file-write",
	[TCPK_MF_CLASS + TCPK_SC_FILE_META]	= "file-meta",
	[TCPK_MF_CLASS + TCPK_SC_NET]		= "net",
	[TCPK_MF_CLASS + TCPK_SC_PROC]		= "proc",
	[TCPK_MF_CLASS + TCPK_SC_MEM]		= "mem",
	[TCPK_MF_CLASS + TCPK_SC_IPC]		= "ipc",
	[TCPK_MF_NOVEL]				= "novel",
	[TCPK_MF_FAILED]			= "failed",
	[TCPK_MF_PATTERNS]			= "patterns",
};

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_MODEL]		= { .type = NLA_NESTED },
};

static const struct nla_policy model_policy[TCPK_A_MODEL_MAX + 1] = {
	[TCPK_A_MODEL_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_MODEL_WEIGHTS]		= { .type = NLA_UNSPEC },
	[TCPK_A_MODEL_BIAS]		= { .type = NLA_U32 },
	[TCPK_A_MODEL_THRESHOLD]	= { .type = NLA_U32 },
	[TCPK_A_MODEL_POINTS]		= { .type = NLA_U32 },
	[TCPK_A_MODEL_WINDOWS]		= { .type = NLA_U64 },
	[TCPK_A_MODEL_FLAGGED]		= { .type = NLA_U64 },
};

/**
 * struct model_info - the loaded model as the module reports it
 * @what: name of the request, for messages.
 * @found: a %TCPK_A_MODEL nest was in the reply.
 * @weight: Q8 weights, in feature order.
 * @bias: Q16 bias.
 * @threshold: per mille.
 * @points: anomaly score points of an anomalous window.
 * @windows: windows evaluated since it was loaded.
 * @flagged: of which anomalous.
 */
struct model_info {
	const char *what;
	bool found;
	int16_t weight[TCPK_MODEL_FEATURES];
	int32_t bias;
	uint32_t threshold;
	uint32_t points;
	uint64_t windows;
	uint64_t flagged;
};

static void usage(void)
{
	printf("Usage: " TP_NAME " [OPTIONS] model COMMAND [ARGS]\n"
	       "\n"
	       "Manage the module's behaviour model: a logistic regression over the\n"
	       "features of each window of %d system calls of a tracked process (the\n"
	       "fraction of each call class, of novel trigrams and of failed calls,\n"
	       "and pattern completions).  A window whose probability reaches the\n"
	       "model's threshold adds its points to the process's anomaly score.\n"
	       "\n"
	       "Commands:\n"
	       "  load FILE       load the model of FILE, replacing any loaded one\n"
	       "  show            show the loaded model and its counters\n"
	       "  del             unload the model\n"
	       "\n"
	       "FILE      the model file format v1 of tcp-replay(1), as written by\n"
	       "          'tcp-replay model -o FILE': a line '# tcp_kernel model v1',\n"
	       "          then 'bias N' (Q16), 'threshold N' (per mille),\n"
	       "          'points N' and 'weights W0 ... W10' (Q8)\n"
	       "\n"
	       "Options:\n"
	       "  -j, --json      show: print JSON\n"
	       "  -p, --pretty    print indented JSON (implies --json)\n"
	       "  -h, --help      print this help and exit\n"
	       "\n"
	       "load and del need CAP_NET_ADMIN. See tcp-policy(8).\n",
	       TCPK_MODEL_WINDOW);
}

/* --- replies ------------------------------------------------------------ */

static int parse_model(struct model_info *mi, struct nlattr *nest)
{
	struct nlattr *mt[TCPK_A_MODEL_MAX + 1];
	static const int need[] = {
		TCPK_A_MODEL_WEIGHTS, TCPK_A_MODEL_BIAS,
		TCPK_A_MODEL_THRESHOLD, TCPK_A_MODEL_POINTS,
	};
	unsigned int i;
	int err;

	err = tp_nl_parse(mt, TCPK_A_MODEL_MAX, nla_data(nest), nla_len(nest),
			  model_policy, mi->what, "model");
	if (err)
		return err;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (!mt[need[i]]) {
			tp_err("%s: malformed reply: a model without attribute %d",
			       mi->what, need[i]);
			return -EBADMSG;
		}
	}
	if (nla_len(mt[TCPK_A_MODEL_WEIGHTS]) != (int)sizeof(mi->weight)) {
		tp_err("%s: malformed reply: weights of %d bytes, not %d s16",
		       mi->what, nla_len(mt[TCPK_A_MODEL_WEIGHTS]),
		       TCPK_MODEL_FEATURES);
		return -EBADMSG;
	}
	memcpy(mi->weight, nla_data(mt[TCPK_A_MODEL_WEIGHTS]),
	       sizeof(mi->weight));
	mi->bias = (int32_t)nla_get_u32(mt[TCPK_A_MODEL_BIAS]);
	mi->threshold = nla_get_u32(mt[TCPK_A_MODEL_THRESHOLD]);
	mi->points = nla_get_u32(mt[TCPK_A_MODEL_POINTS]);
	if (mt[TCPK_A_MODEL_WINDOWS])
		mi->windows = nla_get_u64(mt[TCPK_A_MODEL_WINDOWS]);
	if (mt[TCPK_A_MODEL_FLAGGED])
		mi->flagged = nla_get_u64(mt[TCPK_A_MODEL_FLAGGED]);
	mi->found = true;
	return 0;
}

static int parse_reply(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct model_info *mi = arg;
	int err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, mi->what,
			  "reply");
	if (err)
		return err;
	if (!tb[TCPK_A_MODEL])
		return 0;
	return parse_model(mi, tb[TCPK_A_MODEL]);
}

/* --- options ------------------------------------------------------------ */

static const struct option common_longopts[] = {
	TP_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

static const struct option load_longopts[] = {
	TP_COMMON_LONGOPTS,
	TP_SIGNATURE_LONGOPT,
	{ NULL, 0, NULL, 0 },
};

/*
 * Parse a subcommand's options (only the common ones: none of the model
 * commands has its own).
 *
 * Return: -1 to go on with the arguments at optind, or the exit status
 * the subcommand ends with (after --help or a bad option).
 */
static int sub_opts_with(const char *what, int argc, char **argv,
			 const struct option *longopts)
{
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, SUB_SHORTOPTS, longopts,
				  NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			usage();
			return TP_EXIT_OK;
		}
		return tp_bad_option(what, SUB_SHORTOPTS, argc, argv);
	}
	return -1;
}

static int sub_opts(const char *what, int argc, char **argv)
{
	return sub_opts_with(what, argc, argv, common_longopts);
}

/*
 * Send @cmd, with the %TCPK_A_MODEL nest of @m if not NULL; parse the
 * reply into @mi if not NULL.  Return: a TP_EXIT_* value.
 */
static int model_request(const char *what, uint8_t cmd,
			 const struct tcpk_model *m, struct model_info *mi)
{
	int ret = TP_EXIT_FAIL, err;
	struct nlattr *nest;
	struct nl_msg *msg;
	struct tp_nl nl;

	if (tp_sig_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, cmd, 0);
	if (!msg)
		goto out;
	if (m) {
		nest = nla_nest_start(msg, TCPK_A_MODEL);
		if (!nest ||
		    nla_put(msg, TCPK_A_MODEL_WEIGHTS, sizeof(m->weight),
			    m->weight) < 0 ||
		    nla_put_s32(msg, TCPK_A_MODEL_BIAS, m->bias) < 0 ||
		    nla_put_u32(msg, TCPK_A_MODEL_THRESHOLD, m->threshold) < 0 ||
		    nla_put_u32(msg, TCPK_A_MODEL_POINTS, m->points) < 0) {
			tp_err("%s: cannot build the message", what);
			nlmsg_free(msg);
			goto out;
		}
		nla_nest_end(msg, nest);
	}
	err = m ? tp_sig_finish(msg, what) : 0;
	if (err) {
		nlmsg_free(msg);
		if (err > 0)
			ret = TP_EXIT_OK;
		goto out;
	}
	if (!tp_nl_request(&nl, msg, what, mi ? parse_reply : NULL, mi))
		ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	return ret;
}

/* --- load, del ---------------------------------------------------------- */

static int cmd_load(int argc, char **argv)
{
	const char *what = "model load", *file;
	struct tcpk_model m;
	int r;

	r = sub_opts_with(what, argc, argv, load_longopts);
	if (r >= 0)
		return r;
	if (optind >= argc) {
		tp_err("%s: no model file given", what);
		fprintf(stderr, "Try '" TP_NAME " model --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	if (optind + 1 < argc)
		return tp_bad_argument(what, argv[optind + 1]);
	file = argv[optind];
	/* Read and check it all (the kernel's ranges) before it is sent. */
	if (tr_model_read(file, &m))
		return TP_EXIT_FAIL;
	r = model_request(what, TCPK_CMD_MODEL_SET, &m, NULL);
	if (!r && !tp_sig_signing())
		printf("model loaded: threshold %u, points %u\n",
		       (unsigned int)m.threshold, (unsigned int)m.points);
	return r;
}

static int cmd_del(int argc, char **argv)
{
	const char *what = "model del";
	int r;

	r = sub_opts(what, argc, argv);
	if (r >= 0)
		return r;
	if (optind < argc)
		return tp_bad_argument(what, argv[optind]);
	return model_request(what, TCPK_CMD_MODEL_DEL, NULL, NULL);
}

/* --- show --------------------------------------------------------------- */

static void print_text(const struct model_info *mi)
{
	unsigned int j;

	printf("threshold: %" PRIu32 " per mille\n", mi->threshold);
	printf("points:    %" PRIu32 "\n", mi->points);
	printf("bias:      %" PRId32 " (%.3f)\n", mi->bias, mi->bias / 65536.0);
	printf("weights:\n");
	for (j = 0; j < TCPK_MODEL_FEATURES; j++)
		printf("  %-11s %6d (%.3f)\n", feature_names[j], mi->weight[j],
		       mi->weight[j] / 256.0);
	printf("windows:   %" PRIu64 "\n", mi->windows);
	printf("flagged:   %" PRIu64 "\n", mi->flagged);
}

static int print_json(const struct model_info *mi)
{
	struct json_object *o = json_object_new_object();
	struct json_object *w = json_object_new_object();
	int ret = TP_EXIT_FAIL;
	unsigned int j;

	if (!o || !w) {
		tp_err("%s: %s", mi->what, strerror(ENOMEM));
		json_object_put(o);
		json_object_put(w);
		return ret;
	}
	json_object_object_add(o, "threshold",
			       json_object_new_int64(mi->threshold));
	json_object_object_add(o, "points", json_object_new_int64(mi->points));
	json_object_object_add(o, "bias", json_object_new_int64(mi->bias));
	for (j = 0; j < TCPK_MODEL_FEATURES; j++)
		json_object_object_add(w, feature_names[j],
				       json_object_new_int(mi->weight[j]));
	json_object_object_add(o, "weights", w);
	json_object_object_add(o, "windows",
			       json_object_new_uint64(mi->windows));
	json_object_object_add(o, "flagged",
			       json_object_new_uint64(mi->flagged));
	if (!tp_json_print(o))
		ret = TP_EXIT_OK;
	json_object_put(o);
	return ret;
}

static int cmd_show(int argc, char **argv)
{
	struct model_info mi = { .what = "model show" };
	int r;

	r = sub_opts(mi.what, argc, argv);
	if (r >= 0)
		return r;
	if (optind < argc)
		return tp_bad_argument(mi.what, argv[optind]);
	r = model_request(mi.what, TCPK_CMD_MODEL_GET, NULL, &mi);
	if (r)
		return r;
	if (!mi.found) {
		tp_err("%s: malformed reply: no model", mi.what);
		return TP_EXIT_FAIL;
	}
	if (tp_opts.json)
		return print_json(&mi);
	print_text(&mi);
	return TP_EXIT_OK;
}

static const struct tp_subcmd model_cmds[] = {
	{ "load",	cmd_load },
	{ "show",	cmd_show },
	{ "del",	cmd_del },
};

/**
 * tp_cmd_model() - "tcp-policy model COMMAND ..."
 * @argc: argument count, argv[0] being "model".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_model(int argc, char **argv)
{
	return tp_subcommand("model", "load, show or del", model_cmds,
			     sizeof(model_cmds) / sizeof(model_cmds[0]), usage,
			     argc, argv);
}
