// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - the "profile" commands: learned profiles of executables */

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
#include "polnl.h"
#include "tcp-policy.h"

/* The file format's reader and writer: tcp-replay's (profile-file.c). */
#define TR_NAME TP_NAME
#include "../tcp-replay/tcp-replay.h"

#define SUB_SHORTOPTS	"hjp"

/* Most trigrams a profile of the module holds (its nest fits a u16). */
#define NGRAMS_ATTR_MAX	TCPK_PROFILE_NGRAMS_MAX

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_PROFILE]	= { .type = NLA_NESTED },
};

static const struct nla_policy profile_policy[TCPK_A_PROFILE_MAX + 1] = {
	[TCPK_A_PROFILE_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_PROFILE_PATH]		= { .type = NLA_STRING },
	[TCPK_A_PROFILE_MODE]		= { .type = NLA_U32 },
	[TCPK_A_PROFILE_NGRAMS]		= { .type = NLA_UNSPEC },
	[TCPK_A_PROFILE_COUNT]		= { .type = NLA_U32 },
	[TCPK_A_PROFILE_LIMIT]		= { .type = NLA_U32 },
	[TCPK_A_PROFILE_DEV]		= { .type = NLA_U64 },
	[TCPK_A_PROFILE_INO]		= { .type = NLA_U64 },
	[TCPK_A_PROFILE_CHECKED]	= { .type = NLA_U64 },
	[TCPK_A_PROFILE_NOVEL]		= { .type = NLA_U64 },
	[TCPK_A_PROFILE_FULL]		= { .type = NLA_U64 },
};

/**
 * struct prof_entry - a profile as the module reports it
 * @path: the executable (owned).
 * @mode: &enum tcpk_profile_mode.
 * @count: trigrams in it.
 * @limit: most it takes.
 * @dev: the executable's device.
 * @ino: its inode number.
 * @checked: trigrams checked in detection.
 * @novel: of which novel.
 * @full: new trigrams not learned because it was full.
 * @keys: its trigrams (owned; export only), or NULL.
 * @n: how many in @keys.
 */
struct prof_entry {
	char *path;
	uint32_t mode;
	uint32_t count;
	uint32_t limit;
	uint64_t dev;
	uint64_t ino;
	uint64_t checked;
	uint64_t novel;
	uint64_t full;
	uint32_t *keys;
	uint32_t n;
};

/**
 * struct prof_list - profiles from replies
 * @what: name of the request, for messages.
 * @v: the profiles.
 * @n: their number.
 */
struct prof_list {
	const char *what;
	struct prof_entry *v;
	size_t n;
};

static void usage(void)
{
	printf("Usage: " TP_NAME " [OPTIONS] profile COMMAND [ARGS]\n"
	       "\n"
	       "Manage the module's learned profiles: per executable, the trigrams\n"
	       "(three consecutive system calls) its tracked processes make.  In\n"
	       "learn mode new trigrams are added; in detect mode a trigram not in\n"
	       "the profile is novel, and many novel ones among the last %d (the\n"
	       "locality frame count, LFC) raise the process's anomaly score.\n"
	       "\n"
	       "Commands:\n"
	       "  list            show every profile\n"
	       "  learn PATH      create an empty profile of the executable PATH in\n"
	       "                  learn mode, or switch its profile to learn\n"
	       "  detect PATH     the same in detect mode\n"
	       "  export PATH [-o FILE]\n"
	       "                  write the profile of PATH as a profile file (to\n"
	       "                  standard output without -o)\n"
	       "  import FILE [--path=PATH] [--learn]\n"
	       "                  replace the profile of PATH (default: FILE's\n"
	       "                  '# exe' line) by FILE's trigrams, in detect mode\n"
	       "                  (learn with --learn); FILE - is standard input\n"
	       "  del PATH        delete the profile of PATH\n"
	       "\n"
	       "FILE      the profile file format v1 of tcp-replay(1): a line\n"
	       "          '# tcp_kernel profile v1', '# exe PATH', then one trigram\n"
	       "          'A B C' (system call numbers) a line\n"
	       "\n"
	       "Options:\n"
	       "  -o, --output=FILE  export: write FILE (replaced atomically)\n"
	       "  --path=PATH     import: the executable\n"
	       "  --learn         import: in learn mode\n"
	       "  -j, --json      list: print JSON\n"
	       "  -p, --pretty    print indented JSON (implies --json)\n"
	       "  -h, --help      print this help and exit\n"
	       "\n"
	       "Every command needs CAP_NET_ADMIN. See tcp-policy(8).\n",
	       TCPK_PROFILE_FRAME);
}

static const char *mode_name(uint32_t mode)
{
	switch (mode) {
	case TCPK_PROFILE_LEARN:
		return "learn";
	case TCPK_PROFILE_DETECT:
		return "detect";
	}
	return "unknown";
}

/* --- replies ------------------------------------------------------------ */

static void list_free(struct prof_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].keys);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* list_free() for tp_nl_dump(), which empties the list before each try. */
static void list_reset(void *arg)
{
	list_free(arg);
}

static int parse_profile(struct prof_list *l, struct nlattr *nest)
{
	struct nlattr *pt[TCPK_A_PROFILE_MAX + 1];
	struct prof_entry *e;
	int err;

	err = tp_nl_parse(pt, TCPK_A_PROFILE_MAX, nla_data(nest),
			  nla_len(nest), profile_policy, l->what, "profile");
	if (err)
		return err;
	if (!pt[TCPK_A_PROFILE_PATH]) {
		tp_err("%s: malformed reply: a profile without a path",
		       l->what);
		return -EBADMSG;
	}
	e = reallocarray(l->v, l->n + 1, sizeof(*e));
	if (!e)
		goto nomem;
	l->v = e;
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->path = strdup(nla_get_string(pt[TCPK_A_PROFILE_PATH]));
	if (!e->path)
		goto nomem;
	if (pt[TCPK_A_PROFILE_MODE])
		e->mode = nla_get_u32(pt[TCPK_A_PROFILE_MODE]);
	if (pt[TCPK_A_PROFILE_COUNT])
		e->count = nla_get_u32(pt[TCPK_A_PROFILE_COUNT]);
	if (pt[TCPK_A_PROFILE_LIMIT])
		e->limit = nla_get_u32(pt[TCPK_A_PROFILE_LIMIT]);
	if (pt[TCPK_A_PROFILE_DEV])
		e->dev = nla_get_u64(pt[TCPK_A_PROFILE_DEV]);
	if (pt[TCPK_A_PROFILE_INO])
		e->ino = nla_get_u64(pt[TCPK_A_PROFILE_INO]);
	if (pt[TCPK_A_PROFILE_CHECKED])
		e->checked = nla_get_u64(pt[TCPK_A_PROFILE_CHECKED]);
	if (pt[TCPK_A_PROFILE_NOVEL])
		e->novel = nla_get_u64(pt[TCPK_A_PROFILE_NOVEL]);
	if (pt[TCPK_A_PROFILE_FULL])
		e->full = nla_get_u64(pt[TCPK_A_PROFILE_FULL]);
	if (pt[TCPK_A_PROFILE_NGRAMS]) {
		int len = nla_len(pt[TCPK_A_PROFILE_NGRAMS]);

		if (len % (int)sizeof(uint32_t)) {
			tp_err("%s: malformed reply: trigrams of %d bytes, not an array of u32",
			       l->what, len);
			return -EBADMSG;
		}
		e->n = (uint32_t)len / sizeof(uint32_t);
		e->keys = malloc(len ? (size_t)len : 1);
		if (!e->keys)
			goto nomem;
		memcpy(e->keys, nla_data(pt[TCPK_A_PROFILE_NGRAMS]), len);
	}
	return 0;
nomem:
	tp_err("%s: %s", l->what, strerror(ENOMEM));
	return -ENOMEM;
}

static int parse_profiles(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct prof_list *l = arg;
	struct nlattr *nla;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, l->what,
			  "reply");
	if (err)
		return err;
	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) != TCPK_A_PROFILE)
			continue;
		err = parse_profile(l, nla);
		if (err)
			return err;
	}
	return 0;
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

/* Exactly one argument after the options: *@arg.  Return as sub_opts(). */
static int one_arg(const char *what, const char *name, int argc, char **argv,
		   const char **arg)
{
	if (optind >= argc) {
		tp_err("%s: no %s given", what, name);
		fprintf(stderr, "Try '" TP_NAME " profile --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	if (optind + 1 < argc)
		return tp_bad_argument(what, argv[optind + 1]);
	*arg = argv[optind];
	return -1;
}

/*
 * Send a request of one %TCPK_A_PROFILE nest naming @path, with @mode if
 * non-zero and @n trigrams @keys if @keys; parse the replies into @l if
 * not NULL.  Return: a TP_EXIT_* value.
 */
static int profile_request(const char *what, uint8_t cmd, const char *path,
			   uint32_t mode, const uint32_t *keys, uint32_t n,
			   struct prof_list *l)
{
	size_t size = 4096 + strlen(path) + (keys ? n * sizeof(*keys) : 0);
	int ret = TP_EXIT_FAIL;
	struct nlattr *nest;
	struct nl_msg *msg;
	struct tp_nl nl;

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	/* An export's reply is up to 64 KiB: read it whole. */
	nl_socket_enable_msg_peek(nl.sk);
	if (keys && tp_nl_sndbuf(&nl, size, what))
		goto out;
	msg = tp_nl_msg_size(&nl, cmd, 0, size);
	if (!msg)
		goto out;
	nest = nla_nest_start(msg, TCPK_A_PROFILE);
	if (!nest || nla_put_string(msg, TCPK_A_PROFILE_PATH, path) < 0 ||
	    (mode && nla_put_u32(msg, TCPK_A_PROFILE_MODE, mode) < 0) ||
	    (keys && nla_put(msg, TCPK_A_PROFILE_NGRAMS, n * sizeof(*keys),
			     keys) < 0)) {
		tp_err("%s: cannot build the message", what);
		nlmsg_free(msg);
		goto out;
	}
	nla_nest_end(msg, nest);
	if (!tp_nl_request(&nl, msg, what, l ? parse_profiles : NULL, l))
		ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	return ret;
}

/* --- list --------------------------------------------------------------- */

static void print_table(const struct prof_list *l)
{
	size_t i;
	int w = 4;

	for (i = 0; i < l->n; i++)
		if ((int)strlen(l->v[i].path) > w)
			w = (int)strlen(l->v[i].path);
	printf("%-*s %-6s %11s %10s %10s %8s\n", w, "PATH", "MODE",
	       "TRIGRAMS", "CHECKED", "NOVEL", "FULL");
	for (i = 0; i < l->n; i++) {
		const struct prof_entry *e = &l->v[i];
		char tri[24];

		snprintf(tri, sizeof(tri), "%" PRIu32 "/%" PRIu32, e->count,
			 e->limit);
		printf("%-*s %-6s %11s %10" PRIu64 " %10" PRIu64 " %8" PRIu64
		       "\n", w, e->path, mode_name(e->mode), tri, e->checked,
		       e->novel, e->full);
	}
}

static int print_json(const struct prof_list *l)
{
	struct json_object *a = json_object_new_array();
	int ret = TP_EXIT_FAIL;
	size_t i;

	for (i = 0; a && i < l->n; i++) {
		const struct prof_entry *e = &l->v[i];
		struct json_object *o = json_object_new_object();

		if (!o)
			break;
		json_object_object_add(o, "path",
				       json_object_new_string(e->path));
		json_object_object_add(o, "mode",
				       json_object_new_string(mode_name(e->mode)));
		json_object_object_add(o, "trigrams",
				       json_object_new_int64(e->count));
		json_object_object_add(o, "limit",
				       json_object_new_int64(e->limit));
		json_object_object_add(o, "checked",
				       json_object_new_uint64(e->checked));
		json_object_object_add(o, "novel",
				       json_object_new_uint64(e->novel));
		json_object_object_add(o, "full",
				       json_object_new_uint64(e->full));
		json_object_object_add(o, "dev", json_object_new_uint64(e->dev));
		json_object_object_add(o, "ino", json_object_new_uint64(e->ino));
		json_object_array_add(a, o);
	}
	if (!a || i < l->n)
		tp_err("%s: %s", l->what, strerror(ENOMEM));
	else if (!tp_json_print(a))
		ret = TP_EXIT_OK;
	json_object_put(a);
	return ret;
}

static int cmd_list(int argc, char **argv)
{
	struct prof_list l = { .what = "profile list" };
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
	if (tp_nl_dump(&nl, TCPK_CMD_PROFILE_GET, l.what, "the profiles",
		       parse_profiles, &l, list_reset))
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

/* --- learn, detect, del ------------------------------------------------- */

static int path_cmd(int argc, char **argv, const char *what, uint8_t cmd,
		    uint32_t mode)
{
	const char *path;
	int r;

	r = sub_opts(what, argc, argv, SUB_SHORTOPTS, common_longopts, NULL,
		     NULL);
	if (r >= 0)
		return r;
	r = one_arg(what, "executable path", argc, argv, &path);
	if (r >= 0)
		return r;
	return profile_request(what, cmd, path, mode, NULL, 0, NULL);
}

static int cmd_learn(int argc, char **argv)
{
	return path_cmd(argc, argv, "profile learn", TCPK_CMD_PROFILE_SET,
			TCPK_PROFILE_LEARN);
}

static int cmd_detect(int argc, char **argv)
{
	return path_cmd(argc, argv, "profile detect", TCPK_CMD_PROFILE_SET,
			TCPK_PROFILE_DETECT);
}

static int cmd_del(int argc, char **argv)
{
	return path_cmd(argc, argv, "profile del", TCPK_CMD_PROFILE_DEL, 0);
}

/* --- export ------------------------------------------------------------- */

static int output_opt(int opt, void *arg)
{
	if (opt != 'o')
		return -1;
	*(const char **)arg = optarg;
	return 0;
}

static int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "output",	required_argument,	NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct prof_list l = { .what = "profile export" };
	struct tcpk_ngram_table *t = NULL;
	const char *path, *out = "-";
	int r, ret = TP_EXIT_FAIL;
	char *source = NULL;
	uint32_t i;

	r = sub_opts(l.what, argc, argv, SUB_SHORTOPTS "o:", longopts,
		     output_opt, &out);
	if (r >= 0)
		return r;
	r = one_arg(l.what, "executable path", argc, argv, &path);
	if (r >= 0)
		return r;
	r = profile_request(l.what, TCPK_CMD_PROFILE_GET, path, 0, NULL, 0,
			    &l);
	if (r)
		goto out;
	if (l.n != 1 || !l.v[0].keys) {
		tp_err("%s: malformed reply: %zu profiles%s", l.what, l.n,
		       l.n == 1 ? " without trigrams" : "");
		goto out;
	}
	t = tr_profile_new();
	if (!t)
		goto out;
	for (i = 0; i < l.v[0].n; i++) {
		if (!tcpk_ngram_key_valid(l.v[0].keys[i]) ||
		    tcpk_ngram_add(t, l.v[0].keys[i]) < 0) {
			tp_err("%s: malformed reply: trigram key %#" PRIx32,
			       l.what, l.v[0].keys[i]);
			goto out;
		}
	}
	if (asprintf(&source, "tcp_kernel (%s mode)",
		     mode_name(l.v[0].mode)) < 0) {
		source = NULL;
		tp_err("%s: %s", l.what, strerror(ENOMEM));
		goto out;
	}
	if (!tr_profile_write(out, t, l.v[0].path, source))
		ret = TP_EXIT_OK;
out:
	free(source);
	free(t);
	list_free(&l);
	return ret;
}

/* --- import ------------------------------------------------------------- */

/**
 * struct import_args - the options of "profile import"
 * @path: --path, or NULL.
 * @mode: detect, or learn with --learn.
 */
struct import_args {
	const char *path;
	uint32_t mode;
};

static int import_opt(int opt, void *arg)
{
	struct import_args *a = arg;

	switch (opt) {
	case 'P':
		a->path = optarg;
		return 0;
	case 'L':
		a->mode = TCPK_PROFILE_LEARN;
		return 0;
	}
	return -1;
}

static int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "path",	required_argument,	NULL, 'P' },
		{ "learn",	no_argument,		NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_args a = { .mode = TCPK_PROFILE_DETECT };
	const char *what = "profile import";
	struct tcpk_ngram_table *t = NULL;
	int r, ret = TP_EXIT_FAIL;
	uint32_t *keys = NULL, i, n = 0;
	const char *file;
	char *exe = NULL;

	r = sub_opts(what, argc, argv, SUB_SHORTOPTS, longopts, import_opt,
		     &a);
	if (r >= 0)
		return r;
	r = one_arg(what, "profile file", argc, argv, &file);
	if (r >= 0)
		return r;
	/* Read and check it all before anything is sent. */
	if (tr_profile_read(file, &t, &exe))
		goto out;
	if (!a.path && !exe) {
		tp_err("%s: %s has no '# exe PATH' line: give --path=PATH",
		       what, file);
		goto out;
	}
	keys = malloc(((size_t)t->mask + 1) * sizeof(*keys));
	if (!keys) {
		tp_err("%s: %s", what, strerror(ENOMEM));
		goto out;
	}
	for (i = 0; i <= t->mask; i++)
		if (t->slot[i])
			keys[n++] = t->slot[i];
	if (n > NGRAMS_ATTR_MAX) {
		tp_err("%s: %s: %" PRIu32 " trigrams; a profile holds at most %zu",
		       what, file, n, (size_t)NGRAMS_ATTR_MAX);
		goto out;
	}
	ret = profile_request(what, TCPK_CMD_PROFILE_SET,
			      a.path ? a.path : exe, a.mode, keys, n, NULL);
out:
	free(keys);
	free(exe);
	free(t);
	return ret;
}

static const struct tp_subcmd profile_cmds[] = {
	{ "list",	cmd_list },
	{ "learn",	cmd_learn },
	{ "detect",	cmd_detect },
	{ "export",	cmd_export },
	{ "import",	cmd_import },
	{ "del",	cmd_del },
};

/**
 * tp_cmd_profile() - "tcp-policy profile COMMAND ..."
 * @argc: argument count, argv[0] being "profile".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_profile(int argc, char **argv)
{
	return tp_subcommand("profile", "list, learn, detect, export, import or del", profile_cmds,
			     sizeof(profile_cmds) / sizeof(profile_cmds[0]), usage,
			     argc, argv);
}
