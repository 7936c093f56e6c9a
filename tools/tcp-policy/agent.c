// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - agents: "run" labels itself and executes a command; "agents" */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/tcp_kernel.h>

#include "nl.h"
#include "polnl.h"
#include "tcp-policy.h"

/* Exit status of "run" when the command cannot be executed, as sh's. */
#define TP_EXIT_NOEXEC	126
#define TP_EXIT_NOTFOUND	127

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]	= { .type = NLA_UNSPEC },
	[TCPK_A_AGENT]	= { .type = NLA_NESTED },
};

static const struct nla_policy agent_policy[TCPK_A_AGENT_MAX + 1] = {
	[TCPK_A_AGENT_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_AGENT_NAME]		= { .type = NLA_STRING },
	[TCPK_A_AGENT_WORKSPACE]	= { .type = NLA_STRING },
	[TCPK_A_AGENT_SESSION]		= { .type = NLA_U64 },
	[TCPK_A_AGENT_PID]		= { .type = NLA_U32 },
	[TCPK_A_AGENT_COMM]		= { .type = NLA_STRING },
};

/**
 * struct agent_entry - a %TCPK_A_AGENT nest of a reply
 * @pid: the labelled process, 0 if not given.
 * @session: the session id, 0 if not given.
 * @name: the label (owned), or NULL.
 * @workspace: the workspace (owned), or NULL.
 * @comm: the command name (owned), or NULL.
 */
struct agent_entry {
	uint32_t pid;
	uint64_t session;
	char *name;
	char *workspace;
	char *comm;
};

/**
 * struct agent_list - agents from replies
 * @what: name of the request, for messages.
 * @v: the entries.
 * @n: their number.
 */
struct agent_list {
	const char *what;
	struct agent_entry *v;
	size_t n;
};

static int dup_str(char **dst, struct nlattr *nla, const char *what)
{
	if (!nla)
		return 0;
	*dst = strdup(nla_get_string(nla));
	if (!*dst) {
		tp_err("%s: %s", what, strerror(ENOMEM));
		return -ENOMEM;
	}
	return 0;
}

static int parse_agents(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct agent_list *l = arg;
	struct nlattr *nla;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, l->what,
			  "reply");
	if (err)
		return err;
	nla_for_each_attr(nla, attrs, len, rem) {
		struct nlattr *at[TCPK_A_AGENT_MAX + 1];
		struct agent_entry *e;

		if (nla_type(nla) != TCPK_A_AGENT)
			continue;
		err = tp_nl_parse(at, TCPK_A_AGENT_MAX, nla_data(nla),
				  nla_len(nla), agent_policy, l->what, "agent");
		if (err)
			return err;
		e = reallocarray(l->v, l->n + 1, sizeof(*e));
		if (!e) {
			tp_err("%s: %s", l->what, strerror(ENOMEM));
			return -ENOMEM;
		}
		l->v = e;
		e = &l->v[l->n++];
		memset(e, 0, sizeof(*e));
		if (at[TCPK_A_AGENT_PID])
			e->pid = nla_get_u32(at[TCPK_A_AGENT_PID]);
		if (at[TCPK_A_AGENT_SESSION])
			e->session = nla_get_u64(at[TCPK_A_AGENT_SESSION]);
		if (dup_str(&e->name, at[TCPK_A_AGENT_NAME], l->what) ||
		    dup_str(&e->workspace, at[TCPK_A_AGENT_WORKSPACE],
			    l->what) ||
		    dup_str(&e->comm, at[TCPK_A_AGENT_COMM], l->what))
			return -ENOMEM;
	}
	return 0;
}

static void agents_free(struct agent_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].workspace);
		free(l->v[i].comm);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* --- run ------------------------------------------------------------------------------ */

static void run_usage(void)
{
	printf("Usage: " TP_NAME " run --agent=NAME [--workspace=DIR] [--] COMMAND [ARG...]\n"
	       "\n"
	       "Label this process as the agent NAME, with the workspace DIR (default:\n"
	       "the current directory), then execute COMMAND.  The label follows\n"
	       "every process COMMAND creates; it cannot be removed or changed.\n"
	       "NAME: 1 to %d characters of A-Z a-z 0-9 . _ -.  Needs no privilege.\n"
	       "\n"
	       "Exit status: COMMAND's; 1 if labelling failed, 2 for a usage error,\n"
	       "126 if COMMAND cannot be executed, 127 if it is not found.\n",
	       TCPK_AGENT_NAME_MAX - 1);
}

static bool valid_agent_name(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n >= TCPK_AGENT_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

/**
 * tp_cmd_run() - "tcp-policy run --agent NAME [--workspace DIR] -- CMD..."
 * @argc: argument count, argv[0] being "run".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value, or 126/127 when CMD cannot be executed; does
 * not return when CMD runs.
 */
int tp_cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "agent",	required_argument,	NULL, 'a' },
		{ "workspace",	required_argument,	NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *ws = ".";
	struct agent_list l = { .what = "run" };
	struct tp_nl_ext ext = { .quiet = true };
	char *workspace = NULL;
	struct nlattr *nest;
	struct nl_msg *msg;
	struct tp_nl nl;
	struct stat st;
	int opt, err;

	optind = 0;
	/* '+': the options of COMMAND are its own. */
	while ((opt = getopt_long(argc, argv, "+hjpa:w:", longopts, NULL)) !=
	       -1) {
		if (tp_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			run_usage();
			return TP_EXIT_OK;
		case 'a':
			name = optarg;
			break;
		case 'w':
			ws = optarg;
			break;
		default:
			return tp_bad_option("run", "+hjpa:w:", argc, argv);
		}
	}
	if (!name) {
		tp_err("run: --agent=NAME is required");
		fprintf(stderr, "Try '" TP_NAME " run --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	if (!valid_agent_name(name)) {
		tp_err("run: --agent=%s: a name has 1 to %d characters of A-Z a-z 0-9 . _ -",
		       name, TCPK_AGENT_NAME_MAX - 1);
		return TP_EXIT_USAGE;
	}
	if (optind >= argc) {
		tp_err("run: no command given");
		fprintf(stderr, "Try '" TP_NAME " run --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	workspace = realpath(ws, NULL);
	if (!workspace || stat(workspace, &st) || !S_ISDIR(st.st_mode)) {
		tp_err("run: --workspace=%s: %s", ws,
		       workspace ? "not a directory" : strerror(errno));
		free(workspace);
		return TP_EXIT_FAIL;
	}
	if (strlen(workspace) >= TCPK_PATH_MAX) {
		tp_err("run: --workspace=%s: path too long", ws);
		free(workspace);
		return TP_EXIT_FAIL;
	}

	if (tp_nl_open(&nl)) {
		free(workspace);
		return TP_EXIT_FAIL;
	}
	msg = tp_nl_msg(&nl, TCPK_CMD_AGENT_START, 0);
	nest = msg ? nla_nest_start(msg, TCPK_A_AGENT) : NULL;
	if (!nest || nla_put_string(msg, TCPK_A_AGENT_NAME, name) < 0 ||
	    nla_put_string(msg, TCPK_A_AGENT_WORKSPACE, workspace) < 0 ||
	    nla_nest_end(msg, nest) < 0) {
		tp_err("run: cannot build the message");
		if (msg)
			nlmsg_free(msg);
		tp_nl_close(&nl);
		free(workspace);
		return TP_EXIT_FAIL;
	}
	err = tp_nl_request_ext(&nl, msg, "run", parse_agents, &l, &ext);
	if (err && ext.err == -EPERM)
		tp_err("run: %s: this process is labelled as an agent already, and an agent cannot start another%s%s",
		       strerror(EPERM), ext.msg[0] ? ": " : "", ext.msg);
	else if (err && ext.err)
		tp_nl_report("run", NULL, &ext);
	tp_nl_close(&nl);
	free(workspace);
	agents_free(&l);
	if (err)
		return TP_EXIT_FAIL;

	if (fflush(stdout)) {
		tp_err("run: write error on standard output: %s",
		       strerror(errno));
		return TP_EXIT_FAIL;
	}
	execvp(argv[optind], argv + optind);
	err = errno;
	tp_err("run: %s: %s", argv[optind], strerror(err));
	return err == ENOENT ? TP_EXIT_NOTFOUND : TP_EXIT_NOEXEC;
}

/* --- agents --------------------------------------------------------------------------- */

static void agents_usage(void)
{
	printf("Usage: " TP_NAME " agents [-j]\n"
	       "\n"
	       "Show every process labelled as an agent: pid, command name, agent\n"
	       "name, session and workspace.  Needs no privilege.\n");
}

/**
 * tp_cmd_agents() - "tcp-policy agents"
 * @argc: argument count, argv[0] being "agents".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_agents(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct agent_list l = { .what = "agents" };
	struct tp_nl_ext ext = { 0 };
	int opt, ret = TP_EXIT_FAIL, attempt;
	struct nl_msg *msg;
	struct tp_nl nl;
	size_t i;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjp", longopts, NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			agents_usage();
			return TP_EXIT_OK;
		}
		return tp_bad_option("agents", "hjp", argc, argv);
	}
	if (optind < argc)
		return tp_bad_argument("agents", argv[optind]);

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	for (attempt = 1; attempt <= TP_DUMP_ATTEMPTS; attempt++) {
		agents_free(&l);
		msg = tp_nl_msg(&nl, TCPK_CMD_AGENT_GET, NLM_F_DUMP);
		if (!msg)
			goto out;
		if (tp_nl_request_ext(&nl, msg, "agents", parse_agents, &l,
				      &ext))
			goto out;
		if (!ext.dump_intr)
			break;
	}
	/* Processes come and go: an interrupted last dump is still shown. */

	if (tp_opts.json) {
		struct json_object *a = json_object_new_array();

		for (i = 0; a && i < l.n; i++) {
			const struct agent_entry *e = &l.v[i];
			struct json_object *o = json_object_new_object();

			if (!o)
				break;
			json_object_object_add(o, "pid",
					       json_object_new_int64(e->pid));
			json_object_object_add(o, "comm", e->comm ?
				json_object_new_string(e->comm) : NULL);
			json_object_object_add(o, "agent", e->name ?
				json_object_new_string(e->name) : NULL);
			json_object_object_add(o, "session",
					       json_object_new_uint64(e->session));
			json_object_object_add(o, "workspace", e->workspace ?
				json_object_new_string(e->workspace) : NULL);
			json_object_array_add(a, o);
		}
		if (a && i == l.n && !tp_json_print(a))
			ret = TP_EXIT_OK;
		json_object_put(a);
		goto out;
	}
	printf("%-8s  %-16s  %-16s  %8s  %s\n", "PID", "COMM", "AGENT",
	       "SESSION", "WORKSPACE");
	for (i = 0; i < l.n; i++) {
		const struct agent_entry *e = &l.v[i];

		printf("%-8" PRIu32 "  %-16s  %-16s  %8" PRIu64 "  %s\n",
		       e->pid, e->comm ? e->comm : "-",
		       e->name ? e->name : "-", e->session,
		       e->workspace ? e->workspace : "-");
	}
	ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	agents_free(&l);
	return ret;
}
