// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-policy - the policy commands: add, del, list, flush, load, save,
 * test (what-if) and explain
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/tcp_kernel.h>

#include "descfmt.h"
#include "nl.h"
#include "polnl.h"
#include "rulefmt.h"
#include "sign.h"
#include "tcp-policy.h"

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_RULE]		= { .type = NLA_NESTED },
	[TCPK_A_DECISION]	= { .type = NLA_NESTED },
	[TCPK_A_MODE]		= { .type = NLA_NESTED },
	[TCPK_A_AGENT]		= { .type = NLA_NESTED },
	[TCPK_A_GENERATION]	= { .type = NLA_U64 },
	[TCPK_A_RULE_COUNT]	= { .type = NLA_U32 },
	[TCPK_A_RULE_LIMIT]	= { .type = NLA_U32 },
	[TCPK_A_PID]		= { .type = NLA_U32 },
};

static void try_help(const char *cmd)
{
	fprintf(stderr, "Try '" TP_NAME " %s --help' for more information.\n",
		cmd);
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	char msg[2 * TP_ERR_MAX + 128];

	snprintf(msg, sizeof(msg), fmt, arg);
	tp_err("%s: %s", cmd, msg);
	try_help(cmd);
	return TP_EXIT_USAGE;
}

/*
 * Options of a command that has only the common ones and positional
 * arguments.  Return: -1 to go on with argv[optind...], or an exit status
 * (after --help or a bad option).
 */
static int common_opts(const char *cmd, int argc, char **argv,
		       void (*usage)(void))
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjp", longopts, NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			usage();
			return TP_EXIT_OK;
		}
		return tp_bad_option(cmd, "hjp", argc, argv);
	}
	return -1;
}

/* --- reply parsers ---------------------------------------------------------------- */

/**
 * struct rule_reply - rules and the generation from replies
 * @what: name of the request, for messages.
 * @rules: the rules, in reply order.
 * @has_generation: a reply carried %TCPK_A_GENERATION.
 * @generation: its value.
 */
struct rule_reply {
	const char *what;
	struct tp_rules rules;
	bool has_generation;
	uint64_t generation;
};

static int parse_rules(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct rule_reply *rr = arg;
	struct nlattr *nla;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, rr->what,
			  "reply");
	if (err)
		return err;
	if (tb[TCPK_A_GENERATION]) {
		rr->has_generation = true;
		rr->generation = nla_get_u64(tb[TCPK_A_GENERATION]);
	}
	nla_for_each_attr(nla, attrs, len, rem) {
		struct tp_rule *r;

		if (nla_type(nla) != TCPK_A_RULE)
			continue;
		r = tp_rules_add(&rr->rules);
		if (!r)
			return -ENOMEM;
		err = tp_rule_parse_nest(nla, r, rr->what);
		if (err)
			return err;
	}
	return 0;
}

/**
 * struct decision_reply - decisions from replies
 * @what: name of the request, for messages.
 * @v: the decisions, in reply order.
 * @n: their number.
 */
struct decision_reply {
	const char *what;
	struct tp_decision *v;
	size_t n;
};

static int parse_decisions(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct decision_reply *dr = arg;
	struct nlattr *nla;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, dr->what,
			  "reply");
	if (err)
		return err;
	nla_for_each_attr(nla, attrs, len, rem) {
		struct tp_decision *d;

		if (nla_type(nla) != TCPK_A_DECISION)
			continue;
		d = reallocarray(dr->v, dr->n + 1, sizeof(*d));
		if (!d) {
			tp_err("%s: %s", dr->what, strerror(ENOMEM));
			return -ENOMEM;
		}
		dr->v = d;
		d = &dr->v[dr->n++];
		memset(d, 0, sizeof(*d));
		err = tp_decision_parse_nest(nla, d, dr->what);
		if (err)
			return err;
	}
	return 0;
}

static void decisions_free(struct decision_reply *dr)
{
	size_t i;

	for (i = 0; i < dr->n; i++)
		tp_decision_free(&dr->v[i]);
	free(dr->v);
	dr->v = NULL;
	dr->n = 0;
}

/* --- add --------------------------------------------------------------------------- */

static void add_usage(void)
{
	printf("Usage: " TP_NAME " add [--id=N] [--priority=N] [CONDITION...] --action=ACTION\n"
	       "                  [--alert=true|false] [-n] [-j]\n"
	       "\n"
	       "Add one rule to the policy and print its id.  Rules are evaluated\n"
	       "by priority, lower first (default 1000); the first that matches\n"
	       "decides.  Every condition given must hold:\n"
	       "\n"
	       "  --match-pid=PID            the process (tgid)\n"
	       "  --match-uid=USER|UID       its real user\n"
	       "  --match-gid=GROUP|GID      its real group\n"
	       "  --match-comm=GLOB          its command name\n"
	       "  --match-exe=GLOB           its executable's path\n"
	       "  --match-path=GLOB          the object's path; or @workspace,\n"
	       "                             !@workspace: inside, outside the agent's\n"
	       "                             workspace (one glob and one scope allowed)\n"
	       "  --match-capability=CAP     CAP_SYS_ADMIN, sys_admin or a number\n"
	       "  --match-syscall=S,...      system call names or numbers\n"
	       "  --match-op=OP,...          operations (alias --match-hook)\n"
	       "  --match-desc-any=F,...     descriptor flags, any of\n"
	       "  --match-desc-all=F,...     descriptor flags, all of\n"
	       "  --match-anomaly=N          anomaly score at least N\n"
	       "  --match-agent=GLOB         the agent label\n"
	       "  --match-cgroup=PATH|ID     a cgroup v2, or below it\n"
	       "  --match-target=inside|outside  ptrace target in/out of the session\n"
	       "  --match-access=A,...       read, write, exec, append, create,\n"
	       "                             setid, agent-written: all of these\n"
	       "\n"
	       "ACTION: allow, monitor, alert, deny, kill or quarantine.\n"
	       "OP: exec, fork, open, permission, unlink, rmdir, rename, socket,\n"
	       "connect, sendmsg, mmap, mprotect, msgsnd, shmat, capable, ptrace,\n"
	       "chmod.\n"
	       "\n"
	       "Options:\n"
	       "  -n, --dry-run   print the rule in canonical form, send nothing\n"
	       "  -j, --json      print JSON\n"
	       "  -h, --help      print this help and exit\n"
	       "\n"
	       "Needs CAP_NET_ADMIN. See tcp-policy(8).\n");
}

static int print_rule_json(const struct tp_rule *r)
{
	struct json_object *o = tp_rule_json(r);
	int ret;

	if (!o) {
		tp_err("%s", strerror(ENOMEM));
		return TP_EXIT_FAIL;
	}
	ret = tp_json_print(o) ? TP_EXIT_FAIL : TP_EXIT_OK;
	json_object_put(o);
	return ret;
}

/**
 * tp_cmd_add() - "tcp-policy add OPTIONS..."
 * @argc: argument count, argv[0] being "add".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_add(int argc, char **argv)
{
	struct rule_reply rr = { .what = "add" };
	struct tp_cli_flags cli = { 0 };
	char err[TP_ERR_MAX];
	struct tp_rule r = { 0 };
	int ret = TP_EXIT_FAIL;
	struct nl_msg *msg;
	struct tp_nl nl;

	if (tp_rule_parse(&r, argv + 1, argc - 1, TP_PARSE_CLI, &cli, err,
			  sizeof(err))) {
		tp_rule_free(&r);
		return usage_error("add", "%s", err);
	}
	if (cli.help) {
		tp_rule_free(&r);
		add_usage();
		return TP_EXIT_OK;
	}
	if (cli.dry_run) {
		if (tp_opts.json) {
			ret = print_rule_json(&r);
		} else {
			char *s = tp_rule_format(&r, TP_FMT_ADD | TP_FMT_ID);

			if (s)
				printf("%s\n", s);
			else
				tp_err("add: %s", strerror(ENOMEM));
			ret = s ? TP_EXIT_OK : TP_EXIT_FAIL;
			free(s);
		}
		tp_rule_free(&r);
		return ret;
	}

	if (tp_nl_open(&nl)) {
		tp_rule_free(&r);
		return TP_EXIT_FAIL;
	}
	msg = tp_nl_msg(&nl, TCPK_CMD_RULE_ADD, 0);
	if (!msg)
		goto out;
	if (tp_rule_put(msg, &r)) {
		tp_err("add: cannot build the message");
		nlmsg_free(msg);
		goto out;
	}
	if (tp_nl_request(&nl, msg, "add", parse_rules, &rr))
		goto out;
	ret = TP_EXIT_OK;
	if (rr.rules.n != 1) {
		tp_err("add: the rule was added but the module did not say its id");
		goto out;
	}
	if (tp_opts.json) {
		struct json_object *o = json_object_new_object();

		if (!o)
			goto out;
		json_object_object_add(o, "id",
				       json_object_new_int64(rr.rules.v[0].id));
		if (rr.has_generation)
			json_object_object_add(o, "generation",
				json_object_new_uint64(rr.generation));
		if (tp_json_print(o))
			ret = TP_EXIT_FAIL;
		json_object_put(o);
	} else {
		printf("%" PRIu32 "\n", rr.rules.v[0].id);
	}
out:
	tp_nl_close(&nl);
	tp_rule_free(&r);
	tp_rules_free(&rr.rules);
	return ret;
}

/* --- del, flush ---------------------------------------------------------------------- */

static void del_usage(void)
{
	printf("Usage: " TP_NAME " del ID...\n"
	       "\n"
	       "Delete the rules of these ids, one request each.  Needs\n"
	       "CAP_NET_ADMIN.\n");
}

/**
 * tp_cmd_del() - "tcp-policy del ID..."
 * @argc: argument count, argv[0] being "del".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_del(int argc, char **argv)
{
	int ret = TP_EXIT_OK, r, i;
	struct tp_nl nl;

	r = common_opts("del", argc, argv, del_usage);
	if (r >= 0)
		return r;
	if (optind >= argc)
		return usage_error("del", "%s", "expected ID...");
	for (i = optind; i < argc; i++) {
		uint32_t id;

		if (tp_parse_u32(argv[i], &id) || !id)
			return usage_error("del", "'%s' is not a rule id",
					   argv[i]);
	}
	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	for (i = optind; i < argc; i++) {
		struct tp_nl_ext ext = { .quiet = true };
		struct nlattr *nest;
		struct nl_msg *msg;
		uint32_t id;
		int err;

		tp_parse_u32(argv[i], &id);
		msg = tp_nl_msg(&nl, TCPK_CMD_RULE_DEL, 0);
		if (!msg) {
			ret = TP_EXIT_FAIL;
			break;
		}
		nest = nla_nest_start(msg, TCPK_A_RULE);
		if (!nest || nla_put_u32(msg, TCPK_A_RULE_ID, id) < 0 ||
		    nla_nest_end(msg, nest) < 0) {
			tp_err("del: cannot build the message");
			nlmsg_free(msg);
			ret = TP_EXIT_FAIL;
			break;
		}
		err = tp_nl_request_ext(&nl, msg, "del", NULL, NULL, &ext);
		if (err == -ENOENT && ext.err == -ENOENT)
			tp_err("del: no rule has id %" PRIu32, id);
		else if (err && ext.err)
			tp_nl_report("del", NULL, &ext);
		if (err)
			ret = TP_EXIT_FAIL;
	}
	tp_nl_close(&nl);
	return ret;
}

static void flush_usage(void)
{
	printf("Usage: " TP_NAME " flush\n"
	       "\n"
	       "Delete every rule.  Needs CAP_NET_ADMIN.\n");
}

/**
 * tp_cmd_flush() - "tcp-policy flush"
 * @argc: argument count, argv[0] being "flush".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_flush(int argc, char **argv)
{
	int r, ret = TP_EXIT_FAIL;
	struct nl_msg *msg;
	struct tp_nl nl;

	r = common_opts("flush", argc, argv, flush_usage);
	if (r >= 0)
		return r;
	if (optind < argc)
		return tp_bad_argument("flush", argv[optind]);
	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_RULE_FLUSH, 0);
	if (msg && !tp_nl_request(&nl, msg, "flush", NULL, NULL))
		ret = TP_EXIT_OK;
	tp_nl_close(&nl);
	return ret;
}

/* --- list, save -------------------------------------------------------------------------- */

/* Every rule, in evaluation order.  0, or -1 (reported). */
static int dump_rules(const char *what, struct tp_rules *rules)
{
	struct rule_reply rr = { .what = what };
	struct tp_nl_ext ext = { 0 };
	struct nl_msg *msg;
	struct tp_nl nl;
	int attempt, ret = -1;

	if (tp_nl_open(&nl))
		return -1;
	for (attempt = 1; attempt <= TP_DUMP_ATTEMPTS; attempt++) {
		tp_rules_free(&rr.rules);
		msg = tp_nl_msg(&nl, TCPK_CMD_RULE_GET, NLM_F_DUMP);
		if (!msg)
			goto out;
		if (tp_nl_request_ext(&nl, msg, what, parse_rules, &rr, &ext))
			goto out;
		if (!ext.dump_intr)
			break;
	}
	if (ext.dump_intr) {
		tp_err("%s: the policy changed during each of %d dumps; try again",
		       what, TP_DUMP_ATTEMPTS);
		goto out;
	}
	*rules = rr.rules;
	rr.rules = (struct tp_rules){ 0 };
	ret = 0;
out:
	tp_rules_free(&rr.rules);
	tp_nl_close(&nl);
	return ret;
}

static void list_usage(void)
{
	printf("Usage: " TP_NAME " list [-j]\n"
	       "\n"
	       "Show every rule in evaluation order: id, priority, hits and the\n"
	       "rule in the syntax of add.  Needs no privilege.\n");
}

/**
 * tp_cmd_list() - "tcp-policy list"
 * @argc: argument count, argv[0] being "list".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_list(int argc, char **argv)
{
	struct tp_rules rules = { 0 };
	int r, ret = TP_EXIT_FAIL;
	size_t i;

	r = common_opts("list", argc, argv, list_usage);
	if (r >= 0)
		return r;
	if (optind < argc)
		return tp_bad_argument("list", argv[optind]);
	if (dump_rules("list", &rules))
		return TP_EXIT_FAIL;

	if (tp_opts.json) {
		struct json_object *a = json_object_new_array();

		for (i = 0; a && i < rules.n; i++) {
			struct json_object *o = tp_rule_json(&rules.v[i]);

			if (!o)
				break;
			json_object_array_add(a, o);
		}
		if (!a || i < rules.n)
			tp_err("list: %s", strerror(ENOMEM));
		else if (!tp_json_print(a))
			ret = TP_EXIT_OK;
		json_object_put(a);
		goto out;
	}

	printf("%-6s  %-10s  %10s  %s\n", "ID", "PRIORITY", "HITS", "RULE");
	for (i = 0; i < rules.n; i++) {
		const struct tp_rule *ru = &rules.v[i];
		char *s = tp_rule_format(ru, 0);

		if (!s) {
			tp_err("list: %s", strerror(ENOMEM));
			goto out;
		}
		printf("%-6" PRIu32 "  %-10" PRIu32 "  %10" PRIu64 "  %s\n",
		       ru->id, ru->priority, ru->hits, s);
		free(s);
	}
	ret = TP_EXIT_OK;
out:
	tp_rules_free(&rules);
	return ret;
}

static void save_usage(void)
{
	printf("Usage: " TP_NAME " save [FILE]\n"
	       "\n"
	       "Write the policy as a rule file, in canonical form, to FILE\n"
	       "(replaced atomically) or to standard output.  'tcp-policy load'\n"
	       "reads it back.  Needs no privilege.\n");
}

/* Write @rules to @file through a temporary file and rename(). */
static int save_file(const char *file, const struct tp_rules *rules)
{
	char *d = strdup(file), *tmp = NULL;
	int fd = -1, ret = -1;
	FILE *f = NULL;

	if (!d || asprintf(&tmp, "%s/.%s.XXXXXX", dirname(d),
			   strrchr(file, '/') ? strrchr(file, '/') + 1 : file) < 0) {
		tp_err("save: %s", strerror(ENOMEM));
		tmp = NULL;
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		tp_err("save: %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0644)) {
		tp_err("save: %s: %s", tmp, strerror(errno));
		goto unlink;
	}
	f = fdopen(fd, "w");
	if (!f) {
		tp_err("save: %s: %s", tmp, strerror(errno));
		goto unlink;
	}
	fd = -1;
	if (tp_rules_write(f, rules))
		goto unlink;
	if (fflush(f) || ferror(f) || fsync(fileno(f))) {
		tp_err("save: %s: %s", tmp, strerror(errno ? errno : EIO));
		goto unlink;
	}
	if (fclose(f)) {
		f = NULL;
		tp_err("save: %s: %s", tmp, strerror(errno));
		goto unlink;
	}
	f = NULL;
	if (rename(tmp, file)) {
		tp_err("save: %s: %s", file, strerror(errno));
		goto unlink;
	}
	ret = 0;
	goto out;
unlink:
	unlink(tmp);
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	free(tmp);
	free(d);
	return ret;
}

/**
 * tp_cmd_save() - "tcp-policy save [FILE]"
 * @argc: argument count, argv[0] being "save".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_save(int argc, char **argv)
{
	struct tp_rules rules = { 0 };
	const char *file = NULL;
	int r, ret = TP_EXIT_FAIL;

	r = common_opts("save", argc, argv, save_usage);
	if (r >= 0)
		return r;
	if (optind < argc)
		file = argv[optind++];
	if (optind < argc)
		return tp_bad_argument("save", argv[optind]);
	if (dump_rules("save", &rules))
		return TP_EXIT_FAIL;
	if (!file || !strcmp(file, "-")) {
		if (!tp_rules_write(stdout, &rules))
			ret = TP_EXIT_OK;
	} else if (!save_file(file, &rules)) {
		ret = TP_EXIT_OK;
	}
	tp_rules_free(&rules);
	return ret;
}

/* --- load --------------------------------------------------------------------------------- */

static void load_usage(void)
{
	printf("Usage: " TP_NAME " load [-n] FILE\n"
	       "\n"
	       "Replace the whole policy by the rules of FILE (- for standard\n"
	       "input), atomically: all of them apply or, if one is refused,\n"
	       "none, and the error names its line.  One rule a line, in the\n"
	       "syntax of add, with or without the word add; # comments.\n"
	       "\n"
	       "Options:\n"
	       "  -n, --dry-run   check FILE and print it in canonical form,\n"
	       "                  send nothing\n"
	       "\n"
	       "Needs CAP_NET_ADMIN. See tcp-policy(8).\n");
}

/*
 * The index of the rule that an extended ACK message names, in the forms
 * "rule N", "index N" or "[N]", counted from 0.  Return: 0, or -1.
 */
static int msg_index(const char *msg, size_t *idx)
{
	static const char *const words[] = { "index", "rule", "[" };
	size_t w;

	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		const char *p = msg;

		while ((p = strstr(p, words[w]))) {
			unsigned long v;
			char *end;

			p += strlen(words[w]);
			while (*p == ' ' || *p == '#' || *p == '=')
				p++;
			if (*p < '0' || *p > '9')
				continue;
			errno = 0;
			v = strtoul(p, &end, 10);
			if (!errno) {
				*idx = v;
				return 0;
			}
		}
	}
	return -1;
}

/* Name the line of the rule that the module refused. */
static void report_refused(const char *file, const struct tp_rules *rs,
			   const uint32_t *offs, const struct tp_nl_ext *ext)
{
	char where[PATH_MAX + 64];
	bool found = false;
	size_t i = 0;

	if (tp_sig_refused("load", ext))
		return;
	if (ext->has_offs && rs->n && ext->offs >= offs[0]) {
		size_t lo = 0, hi = rs->n;

		/* The last nest that starts at or before the offset. */
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			if (offs[mid] <= ext->offs)
				lo = mid;
			else
				hi = mid;
		}
		i = lo;
		found = true;
	}
	if (!found && ext->msg[0] && !msg_index(ext->msg, &i) && i < rs->n)
		found = true;
	if (!found) {
		tp_nl_report("load", NULL, ext);
		return;
	}
	snprintf(where, sizeof(where), "%s:%u",
		 strcmp(file, "-") ? file : "<stdin>", rs->v[i].line);
	tp_nl_report("load", where, ext);
}

static int send_replace(const char *file, const struct tp_rules *rs)
{
	size_t size = NLMSG_HDRLEN + GENL_HDRLEN + 64, i;
	struct tp_nl_ext ext = { .quiet = true };
	int ret = TP_EXIT_FAIL, err;
	uint32_t *offs;
	struct nl_msg *msg;
	struct tp_nl nl;

	for (i = 0; i < rs->n; i++)
		size += tp_rule_msg_size(&rs->v[i]);
	if (size > INT_MAX / 2) {
		tp_err("load: %s: too large a policy (%zu bytes)", file, size);
		return TP_EXIT_FAIL;
	}
	offs = calloc(rs->n ? rs->n : 1, sizeof(*offs));
	if (!offs) {
		tp_err("load: %s", strerror(ENOMEM));
		return TP_EXIT_FAIL;
	}
	if (tp_sig_open(&nl)) {
		free(offs);
		return TP_EXIT_FAIL;
	}
	size += TCPK_SIGNATURE_MAX + NLA_HDRLEN;
	msg = tp_nl_msg_size(&nl, TCPK_CMD_RULE_REPLACE, 0, size);
	if (!msg)
		goto out;
	for (i = 0; i < rs->n; i++) {
		offs[i] = (uint32_t)((char *)nlmsg_tail(nlmsg_hdr(msg)) -
				     (char *)nlmsg_hdr(msg));
		if (tp_rule_put(msg, &rs->v[i])) {
			tp_err("load: cannot build the message (rule %zu)", i);
			nlmsg_free(msg);
			goto out;
		}
	}
	err = tp_sig_finish(msg, "load");
	if (err) {
		nlmsg_free(msg);
		if (err > 0)
			ret = TP_EXIT_OK;
		goto out;
	}
	if (tp_nl_sndbuf(&nl, nlmsg_hdr(msg)->nlmsg_len, "load")) {
		nlmsg_free(msg);
		goto out;
	}
	err = tp_nl_request_ext(&nl, msg, "load", NULL, NULL, &ext);
	if (err && ext.err)
		report_refused(file, rs, offs, &ext);
	if (!err)
		ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	free(offs);
	return ret;
}

/**
 * tp_cmd_load() - "tcp-policy load [-n] FILE"
 * @argc: argument count, argv[0] being "load".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "dry-run",	no_argument,	NULL, 'n' },
		TP_SIGNATURE_LONGOPT,
		{ NULL, 0, NULL, 0 },
	};
	struct tp_rules rs = { 0 };
	int opt, ret = TP_EXIT_FAIL;
	bool dry = false;
	const char *file;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjpn", longopts, NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			load_usage();
			return TP_EXIT_OK;
		}
		if (opt == 'n') {
			dry = true;
			continue;
		}
		return tp_bad_option("load", "hjpn", argc, argv);
	}
	if (optind >= argc)
		return usage_error("load", "%s", "expected FILE");
	file = argv[optind++];
	if (optind < argc)
		return tp_bad_argument("load", argv[optind]);

	if (tp_rules_read(file, &rs))
		return TP_EXIT_FAIL;
	if (dry)
		ret = tp_rules_write(stdout, &rs) ? TP_EXIT_FAIL : TP_EXIT_OK;
	else
		ret = send_replace(file, &rs);
	tp_rules_free(&rs);
	return ret;
}

/* --- test (what-if) ------------------------------------------------------------------------ */

static void test_usage(void)
{
	printf("Usage: " TP_NAME " test --op=OP [REQUEST OPTIONS] [-j]\n"
	       "\n"
	       "Ask the module how it would decide an operation now, under the\n"
	       "current rules and mode, without any effect.  Needs no privilege.\n"
	       "Exits 0 whatever the verdict.\n"
	       "\n"
	       "  --op=OP               the operation (required): exec, open, unlink...\n"
	       "  --pid=PID             a live process: comm, uid, gid, exe, cgroup\n"
	       "                        and agent label taken from it unless given\n"
	       "  --comm=NAME           the command name\n"
	       "  --uid=USER|UID        the real user\n"
	       "  --gid=GROUP|GID       the real group\n"
	       "  --exe=PATH            the executable\n"
	       "  --path=PATH           the object's path\n"
	       "  --capability=CAP      the capability used\n"
	       "  --syscall=NAME|NR     the system call (default: the usual one of OP)\n"
	       "  --desc-flags=F,...    the object's descriptor flags (default: those\n"
	       "                        bound to the path and system call)\n"
	       "  --anomaly=N           the anomaly score\n"
	       "  --agent=NAME          the agent label\n"
	       "  --workspace=DIR       the agent's workspace\n"
	       "  --cgroup=PATH|ID      the cgroup v2\n"
	       "  --target-pid=PID      the ptrace target, a live process\n"
	       "  --access=A,...        read, write, exec, append, create, setid,\n"
	       "                        agent-written (unlink, rmdir, rename and\n"
	       "                        chmod always carry write)\n"
	       "  -j, --json            print JSON\n");
}

enum {
	T_OP = 256, T_PID, T_COMM, T_UID, T_GID, T_EXE, T_PATH, T_CAP,
	T_SYSCALL, T_DESC, T_ANOMALY, T_AGENT, T_WORKSPACE, T_CGROUP,
	T_TARGET, T_ACCESS,
};

/* An absolute path for @s: as is, or relative to the current directory. */
static char *abs_path(const char *s)
{
	char cwd[PATH_MAX], *p = NULL;

	if (s[0] == '/')
		return strdup(s);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (asprintf(&p, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", s) < 0)
		return NULL;
	return p;
}

/* The workspace as the module wants it: canonical, absolute, no slash. */
static char *workspace_path(const char *s)
{
	char *p = realpath(s, NULL);
	size_t n;

	if (p)
		return p;
	if (s[0] != '/')
		return NULL;
	p = strdup(s);
	if (!p)
		return NULL;
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	return p;
}

/* Operations that always modify their object: they carry "write". */
#define WRITING_OPS	((1U << TCPK_OP_UNLINK) | (1U << TCPK_OP_RMDIR) | \
			 (1U << TCPK_OP_RENAME) | (1U << TCPK_OP_CHMOD))

/**
 * struct test_req - what "test" gathers before the message is built
 * @op: &enum tcpk_op.
 * @has_access: --access was given.
 * @access: its mask.
 */
struct test_req {
	uint32_t op;
	bool has_access;
	uint32_t access;
};

static int test_opt(struct nl_msg *msg, struct test_req *tr, int opt,
		    const char *v, char *err, size_t errlen)
{
	uint32_t u;
	uint64_t w;
	char *p;
	int ret;

	switch (opt) {
	case T_OP:
		if (tp_parse_op(v, &u)) {
			snprintf(err, errlen, "unknown operation");
			return -1;
		}
		tr->op = u;
		return nla_put_u32(msg, TCPK_A_REQ_OP, u);
	case T_PID:
	case T_TARGET:
		if (tp_parse_u32(v, &u) || !u) {
			snprintf(err, errlen, "not a process id");
			return -1;
		}
		return nla_put_u32(msg, opt == T_PID ? TCPK_A_REQ_PID :
				   TCPK_A_REQ_TARGET_PID, u);
	case T_COMM:
		if (!*v || strlen(v) >= 16) {
			snprintf(err, errlen, "a command name has 1 to 15 bytes");
			return -1;
		}
		return nla_put_string(msg, TCPK_A_REQ_COMM, v);
	case T_UID:
		if (tp_parse_user(v, &u)) {
			snprintf(err, errlen, "no such user, nor a number");
			return -1;
		}
		return nla_put_u32(msg, TCPK_A_REQ_UID, u);
	case T_GID:
		if (tp_parse_group(v, &u)) {
			snprintf(err, errlen, "no such group, nor a number");
			return -1;
		}
		return nla_put_u32(msg, TCPK_A_REQ_GID, u);
	case T_EXE:
	case T_PATH:
		p = *v ? abs_path(v) : NULL;
		if (!p || strlen(p) >= TCPK_PATH_MAX) {
			free(p);
			snprintf(err, errlen, "not a path of fewer than %d bytes",
				 TCPK_PATH_MAX);
			return -1;
		}
		ret = nla_put_string(msg, opt == T_EXE ? TCPK_A_REQ_EXE :
				     TCPK_A_REQ_PATH, p);
		free(p);
		return ret;
	case T_WORKSPACE:
		p = *v ? workspace_path(v) : NULL;
		if (!p || strlen(p) >= TCPK_PATH_MAX) {
			free(p);
			snprintf(err, errlen, "not an existing directory or an absolute path");
			return -1;
		}
		ret = nla_put_string(msg, TCPK_A_REQ_WORKSPACE, p);
		free(p);
		return ret;
	case T_CAP:
		if (tp_parse_cap(v, &u)) {
			snprintf(err, errlen, "not a capability");
			return -1;
		}
		return nla_put_u32(msg, TCPK_A_REQ_CAPABILITY, u);
	case T_SYSCALL:
		if (tp_desc_parse_syscall(v, &u)) {
			snprintf(err, errlen, "not an x86_64 system call name or a number below %d",
				 TP_SYSCALL_LIMIT);
			return -1;
		}
		return nla_put_u32(msg, TCPK_A_REQ_SYSCALL, u);
	case T_DESC:
		if (tp_desc_parse_flags(v, &u, err, errlen))
			return -1;
		return nla_put_u32(msg, TCPK_A_REQ_DESC_FLAGS, u);
	case T_ANOMALY:
		if (tp_parse_u32(v, &u)) {
			snprintf(err, errlen, "not a number");
			return -1;
		}
		return nla_put_u32(msg, TCPK_A_REQ_ANOMALY, u);
	case T_AGENT:
		if (!*v || strlen(v) >= TCPK_AGENT_NAME_MAX) {
			snprintf(err, errlen, "an agent name has 1 to %d bytes",
				 TCPK_AGENT_NAME_MAX - 1);
			return -1;
		}
		return nla_put_string(msg, TCPK_A_REQ_AGENT, v);
	case T_CGROUP:
		if (tp_parse_cgroup(v, &w, err, errlen))
			return -1;
		return nla_put_u64(msg, TCPK_A_REQ_CGROUP, w);
	case T_ACCESS:
		if (tp_parse_access(v, &u, err, errlen))
			return -1;
		tr->has_access = true;
		tr->access = u;
		return 0;	/* put last, with the write bit of the op */
	}
	snprintf(err, errlen, "internal error");
	return -1;
}

/**
 * tp_cmd_test() - "tcp-policy test --op=OP ..."
 * @argc: argument count, argv[0] being "test".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value; 0 whatever the verdict.
 */
int tp_cmd_test(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "op",		required_argument, NULL, T_OP },
		{ "pid",	required_argument, NULL, T_PID },
		{ "comm",	required_argument, NULL, T_COMM },
		{ "uid",	required_argument, NULL, T_UID },
		{ "gid",	required_argument, NULL, T_GID },
		{ "exe",	required_argument, NULL, T_EXE },
		{ "path",	required_argument, NULL, T_PATH },
		{ "capability",	required_argument, NULL, T_CAP },
		{ "syscall",	required_argument, NULL, T_SYSCALL },
		{ "desc-flags",	required_argument, NULL, T_DESC },
		{ "anomaly",	required_argument, NULL, T_ANOMALY },
		{ "agent",	required_argument, NULL, T_AGENT },
		{ "workspace",	required_argument, NULL, T_WORKSPACE },
		{ "cgroup",	required_argument, NULL, T_CGROUP },
		{ "target-pid",	required_argument, NULL, T_TARGET },
		{ "access",	required_argument, NULL, T_ACCESS },
		{ NULL, 0, NULL, 0 },
	};
	struct decision_reply dr = { .what = "test" };
	struct test_req tr = { 0 };
	struct nl_msg *req, *msg;
	uint32_t seen = 0;
	int opt, ret = TP_EXIT_FAIL, li = 0;
	struct tp_nl nl;

	/* The attributes of the TCPK_A_REQ nest, before the module is asked. */
	req = nlmsg_alloc();
	if (!req) {
		tp_err("test: %s", strerror(ENOMEM));
		return TP_EXIT_FAIL;
	}
	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjp", longopts, &li)) != -1) {
		char err[TP_ERR_MAX];

		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			test_usage();
			ret = TP_EXIT_OK;
			goto out_req;
		}
		if (opt < T_OP) {
			ret = tp_bad_option("test", "hjp", argc, argv);
			goto out_req;
		}
		if (seen & (1U << (opt - T_OP))) {
			ret = usage_error("test", "--%s given twice",
					  longopts[li].name);
			goto out_req;
		}
		seen |= 1U << (opt - T_OP);
		err[0] = '\0';
		if (test_opt(req, &tr, opt, optarg, err, sizeof(err))) {
			char m[2 * TP_ERR_MAX];

			snprintf(m, sizeof(m), "--%s=%.900s: %s",
				 longopts[li].name, optarg,
				 err[0] ? err : "message full");
			ret = usage_error("test", "%s", m);
			goto out_req;
		}
	}
	if (optind < argc) {
		ret = tp_bad_argument("test", argv[optind]);
		goto out_req;
	}
	if (!(seen & 1U)) {
		ret = usage_error("test", "%s", "--op=OP is required");
		goto out_req;
	}
	/* As the hooks report them: removing, renaming, chmod write. */
	if (tr.op < 32 && (WRITING_OPS & (1U << tr.op))) {
		tr.has_access = true;
		tr.access |= 1U << TCPK_ACCESS_WRITE;
	}
	if (tr.has_access &&
	    nla_put_u32(req, TCPK_A_REQ_ACCESS, tr.access) < 0) {
		tp_err("test: cannot build the message");
		goto out_req;
	}

	if (tp_nl_open(&nl))
		goto out_req;
	msg = tp_nl_msg(&nl, TCPK_CMD_POLICY_TEST, 0);
	if (!msg)
		goto out;
	/* nla_put_nested() would not flag the nest: the module checks. */
	if (nla_put(msg, TCPK_A_REQ | NLA_F_NESTED,
		    nlmsg_datalen(nlmsg_hdr(req)),
		    nlmsg_data(nlmsg_hdr(req))) < 0) {
		tp_err("test: cannot build the message");
		nlmsg_free(msg);
		goto out;
	}
	if (tp_nl_request(&nl, msg, "test", parse_decisions, &dr))
		goto out;
	if (dr.n != 1) {
		tp_err("test: malformed reply: %zu decisions", dr.n);
		goto out;
	}
	if (tp_opts.json) {
		struct json_object *o = tp_decision_json(&dr.v[0]);

		if (o && !tp_json_print(o))
			ret = TP_EXIT_OK;
		json_object_put(o);
	} else {
		tp_decision_text(stdout, &dr.v[0]);
		putchar('\n');
		ret = TP_EXIT_OK;
	}
out:
	tp_nl_close(&nl);
	decisions_free(&dr);
out_req:
	nlmsg_free(req);
	return ret;
}

/* --- explain ------------------------------------------------------------------------------ */

static void explain_usage(void)
{
	printf("Usage: " TP_NAME " explain PID [-j]\n"
	       "\n"
	       "Show the last decisions the module took for process PID, oldest\n"
	       "first: time, operation, outcome, rule, action, flags and path.\n"
	       "Needs CAP_NET_ADMIN.\n");
}

/**
 * tp_cmd_explain() - "tcp-policy explain PID"
 * @argc: argument count, argv[0] being "explain".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_explain(int argc, char **argv)
{
	struct decision_reply dr = { .what = "explain" };
	int r, ret = TP_EXIT_FAIL;
	struct nl_msg *msg;
	struct tp_nl nl;
	uint32_t pid;
	size_t i;

	r = common_opts("explain", argc, argv, explain_usage);
	if (r >= 0)
		return r;
	if (optind >= argc)
		return usage_error("explain", "%s", "expected PID");
	if (tp_parse_u32(argv[optind], &pid) || !pid)
		return usage_error("explain", "'%s' is not a process id",
				   argv[optind]);
	if (++optind < argc)
		return tp_bad_argument("explain", argv[optind]);

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_POLICY_EXPLAIN, 0);
	if (!msg)
		goto out;
	if (nla_put_u32(msg, TCPK_A_PID, pid) < 0) {
		nlmsg_free(msg);
		goto out;
	}
	{
		struct tp_nl_ext ext = { .quiet = true };
		int err = tp_nl_request_ext(&nl, msg, "explain",
					    parse_decisions, &dr, &ext);

		/* The module says ENOENT when it remembers nothing. */
		if (err == -ENOENT && ext.err == -ENOENT) {
			decisions_free(&dr);
		} else if (err) {
			if (ext.err)
				tp_nl_report("explain", NULL, &ext);
			goto out;
		}
	}

	if (tp_opts.json) {
		struct json_object *a = json_object_new_array();

		for (i = 0; a && i < dr.n; i++) {
			struct json_object *o = tp_decision_json(&dr.v[i]);

			if (!o)
				break;
			json_object_array_add(a, o);
		}
		if (a && i == dr.n && !tp_json_print(a))
			ret = TP_EXIT_OK;
		json_object_put(a);
		goto out;
	}
	if (!dr.n) {
		printf("no decisions recorded for process %" PRIu32 "\n", pid);
		ret = TP_EXIT_OK;
		goto out;
	}
	for (i = 0; i < dr.n; i++) {
		const struct tp_decision *d = &dr.v[i];
		char t[32] = "-", opbuf[16];
		const char *op = "-";

		if (d->has_time)
			tp_format_time(d->time, t, sizeof(t));
		if (d->has_op) {
			op = tp_op_name(d->op);
			if (!op) {
				snprintf(opbuf, sizeof(opbuf), "%" PRIu32,
					 d->op);
				op = opbuf;
			}
		}
		printf("%s  %-10s  ", t, op);
		tp_decision_text(stdout, d);
		printf("  path %s\n", d->path && d->path[0] ? d->path : "-");
	}
	ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	decisions_free(&dr);
	return ret;
}

/* --- release ------------------------------------------------------------------------------ */

static void release_usage(void)
{
	printf("Usage: " TP_NAME " release PID\n"
	       "\n"
	       "End the quarantine of process PID: its later operations are decided\n"
	       "by the policy again (a quarantine rule may quarantine it again).\n"
	       "Fails if PID is not quarantined.  Needs CAP_NET_ADMIN.\n");
}

/**
 * tp_cmd_release() - "tcp-policy release PID"
 * @argc: argument count, argv[0] being "release".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_release(int argc, char **argv)
{
	int r, ret = TP_EXIT_FAIL;
	struct nl_msg *msg;
	struct tp_nl nl;
	uint32_t pid;

	r = common_opts("release", argc, argv, release_usage);
	if (r >= 0)
		return r;
	if (optind >= argc)
		return usage_error("release", "%s", "expected PID");
	if (tp_parse_u32(argv[optind], &pid) || !pid)
		return usage_error("release", "'%s' is not a process id",
				   argv[optind]);
	if (++optind < argc)
		return tp_bad_argument("release", argv[optind]);

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_PROC_RELEASE, 0);
	if (!msg)
		goto out;
	if (nla_put_u32(msg, TCPK_A_PID, pid) < 0) {
		nlmsg_free(msg);
		goto out;
	}
	if (!tp_nl_request(&nl, msg, "release", NULL, NULL)) {
		if (!tp_opts.json)
			printf("process %" PRIu32 " released\n", pid);
		ret = TP_EXIT_OK;
	}
out:
	tp_nl_close(&nl);
	return ret;
}

/* Where tcp-bpf pins the links of the programs it attached. */
#define TP_GUARD_LINKS_DIR	"/sys/fs/bpf/tcp_kernel/links"

static void lock_usage(void)
{
	printf("Usage: " TP_NAME " lock [--force]\n"
	       "\n"
	       "Lock the running policy until reboot.  From then on every change\n"
	       "that could loosen enforcement is refused (EPERM): lowering the\n"
	       "security level, removing block_ops operations or turning alerts off\n"
	       "(netlink and sysfs), deleting, flushing or replacing rules or\n"
	       "descriptors, adding a rule that does not refuse or that comes before\n"
	       "a stronger one, releasing a quarantine, deleting patterns, profiles\n"
	       "or the model, setting a profile or the model, and writing any other\n"
	       "module parameter; the BPF side's pins and links cannot be removed.\n"
	       "Adding deny, kill or quarantine rules, new descriptors and patterns,\n"
	       "and raising the level still work.  The module cannot be unloaded.\n"
	       "There is no unlock.  Needs CAP_NET_ADMIN.\n"
	       "\n"
	       "Refused unless tcp-bpf attached the guard programs, which keep the\n"
	       "BPF side attached while locked (their links pinned in\n"
	       TP_GUARD_LINKS_DIR "):\n"
	       "  --force  lock all the same\n");
}

/*
 * The BPF-LSM programs that refuse, while locked, what would detach the
 * BPF side: removing its pins, unmounting their bpffs, BPF_LINK_DETACH.
 * tcp-bpf pins each one's link as TP_GUARD_LINKS_DIR/<hook>.
 */
static const char *const guard_hooks[] = {
	"inode_unlink", "inode_rmdir", "inode_rename", "sb_umount", "bpf",
};

/*
 * missing_guards() - the guard programs whose link is not pinned, as a
 * comma-separated list in @buf (empty if every one is, or if the pins
 * cannot be read: then the lock request goes on and the kernel answers).
 */
static void missing_guards(char *buf, size_t len)
{
	char path[sizeof(TP_GUARD_LINKS_DIR) + 32];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(guard_hooks) / sizeof(guard_hooks[0]); i++) {
		snprintf(path, sizeof(path), TP_GUARD_LINKS_DIR "/%s",
			 guard_hooks[i]);
		/* Unreadable (not root): the kernel decides. */
		if (access(path, F_OK) == 0 || errno != ENOENT)
			continue;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? "," : "", guard_hooks[i]);
		if (used >= len)
			return;
	}
}

/**
 * tp_cmd_lock() - "tcp-policy lock"
 * @argc: argument count, argv[0] being "lock".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_lock(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "force",	no_argument,	NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	char missing[128];
	int opt, ret = TP_EXIT_FAIL;
	bool force = false;
	struct nl_msg *msg;
	struct tp_nl nl;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjp", longopts, NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			lock_usage();
			return TP_EXIT_OK;
		}
		if (opt == 'f') {
			force = true;
			continue;
		}
		return tp_bad_option("lock", "hjp", argc, argv);
	}
	if (optind < argc)
		return tp_bad_argument("lock", argv[optind]);

	missing_guards(missing, sizeof(missing));
	if (missing[0] && !force) {
		tp_err("lock: the guard programs are not attached (no link pinned in "
		       TP_GUARD_LINKS_DIR " for %s): locked now, the BPF side could "
		       "still be detached; run tcp-bpf attach first, or lock with --force",
		       missing);
		return TP_EXIT_FAIL;
	}

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_LOCK, 0);
	if (!msg)
		goto out;
	if (nla_put_u32(msg, TCPK_A_LOCK_CONFIRM, TCPK_LOCK_CONFIRM) < 0) {
		nlmsg_free(msg);
		goto out;
	}
	if (!tp_nl_request(&nl, msg, "lock", NULL, NULL)) {
		if (!tp_opts.json)
			printf("tcp_kernel locked until reboot\n");
		ret = TP_EXIT_OK;
	}
out:
	tp_nl_close(&nl);
	return ret;
}
