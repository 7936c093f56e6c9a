// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - the "desc" commands: the module's TCP descriptor database */

#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <linux/tcp_kernel.h>

#include "descfmt.h"
#include "nl.h"
#include "sign.h"
#include "tcp-policy.h"

#ifndef TP_DESCDIR
#define TP_DESCDIR "/etc/tcp_kernel/descriptors.d"
#endif

/* Environment variable naming another directory of descriptor files. */
#define TP_DESCDIR_ENV	"TCP_POLICY_DESCRIPTORS_DIR"

/* Attempts at a dump that the database keeps changing under. */
#define DUMP_ATTEMPTS	5

/* Widest first column of a table; longer identities overflow it. */
#define IDENT_WIDTH_MAX	48

/**
 * struct desc_entry - a descriptor as the module reports it, or as a dry
 *	run would send it
 * @desc: the descriptor.
 * @kind: &enum tcpk_desc_key_kind.
 * @has_key: @key is set (replies of the module).
 * @key: the module's 64-bit key.
 * @path: %TCPK_DESC_KEY_PATH: the path (owned).
 * @has_sha256: @sha256 is set.
 * @sha256: %TCPK_DESC_KEY_DIGEST: the digest.
 * @has_syscall: @syscall is set.
 * @syscall: %TCPK_DESC_KEY_SYSCALL: the system call number.
 * @name: the command name, if known (not owned).
 * @source: where a dry run's descriptor comes from (owned), or NULL.
 */
struct desc_entry {
	struct tcpk_desc desc;
	uint32_t kind;
	bool has_key;
	uint64_t key;
	char *path;
	bool has_sha256;
	uint8_t sha256[TCPK_DESC_DIGEST_LEN];
	bool has_syscall;
	uint32_t syscall;
	const char *name;
	char *source;
};

/**
 * struct desc_list - descriptors collected from replies
 * @v: the descriptors, in reply order.
 * @n: their number.
 * @cap: allocated entries of @v.
 * @what: name of the request, for messages.
 */
struct desc_list {
	struct desc_entry *v;
	size_t n;
	size_t cap;
	const char *what;
};

/**
 * struct desc_count - the reply to %TCPK_CMD_DESC_COUNT
 * @have: a reply was parsed.
 * @count: %TCPK_A_DB_COUNT.
 * @bytes: %TCPK_A_DB_BYTES.
 * @limit: %TCPK_A_DB_LIMIT.
 */
struct desc_count {
	bool have;
	uint32_t count;
	uint64_t bytes;
	uint32_t limit;
};

/**
 * struct selector - the identity named on the command line of get and del
 * @what: name of the request, for messages.
 * @kind: &enum tcpk_desc_key_kind, %TCPK_DESC_KEY_UNSPEC if none given.
 * @name: NAME, when the identity was given as a command name.
 * @cmd_hash: %TCPK_DESC_KEY_NAME: the name hash.
 * @path: %TCPK_DESC_KEY_PATH: the path.
 * @sha256: %TCPK_DESC_KEY_DIGEST: the digest.
 * @syscall: %TCPK_DESC_KEY_SYSCALL: the number.
 */
struct selector {
	const char *what;
	uint32_t kind;
	const char *name;
	uint32_t cmd_hash;
	const char *path;
	uint8_t sha256[TCPK_DESC_DIGEST_LEN];
	uint32_t syscall;
};

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_MODULE_VERSION]	= { .type = NLA_STRING },
	[TCPK_A_UAPI_VERSION]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[TCPK_A_SECURITY_LEVEL]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[TCPK_A_KERNEL_RELEASE]	= { .type = NLA_STRING },
	[TCPK_A_PART]		= { .type = NLA_NESTED },
	[TCPK_A_STATS]		= { .type = NLA_NESTED },
	[TCPK_A_DESC]		= { .type = NLA_NESTED },
	[TCPK_A_DB_COUNT]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[TCPK_A_DB_BYTES]	= { .type = NLA_U64, .maxlen = sizeof(uint64_t) },
	[TCPK_A_DB_LIMIT]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
};

static const struct nla_policy desc_policy[TCPK_A_DESC_MAX + 1] = {
	[TCPK_A_DESC_PAD]	= { .type = NLA_UNSPEC },
	[TCPK_A_DESC_RAW]	= { .type = NLA_UNSPEC, .minlen = TCPK_DESC_LEN,
				    .maxlen = TCPK_DESC_LEN },
	[TCPK_A_DESC_KEY_KIND]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[TCPK_A_DESC_KEY]	= { .type = NLA_U64, .maxlen = sizeof(uint64_t) },
	[TCPK_A_DESC_CMD_HASH]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[TCPK_A_DESC_PATH]	= { .type = NLA_STRING,
				    .maxlen = TCPK_DESC_PATH_MAX },
	[TCPK_A_DESC_SHA256]	= { .type = NLA_UNSPEC,
				    .minlen = TCPK_DESC_DIGEST_LEN,
				    .maxlen = TCPK_DESC_DIGEST_LEN },
	[TCPK_A_DESC_SYSCALL]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
};

static void usage(void)
{
	printf("Usage: " TP_NAME " [OPTIONS] desc COMMAND [ARGS]\n"
	       "\n"
	       "Manage the module's database of TCP descriptors.\n"
	       "\n"
	       "Commands:\n"
	       "  add NAME FLAGS EXEC_MS MEM_MB OUT_KB [BINDING...]\n"
	       "                  add or replace one descriptor (one per binding)\n"
	       "  load FILE...    add every descriptor of raw or text FILEs (- is\n"
	       "                  standard input), all in one batch, all or none\n"
	       "  get SELECTOR    show the descriptor of one identity\n"
	       "  del SELECTOR    delete the descriptor of one identity\n"
	       "  list            show every descriptor\n"
	       "  count           show the number of descriptors, their memory\n"
	       "                  and the limit\n"
	       "  flush           delete every descriptor\n"
	       "\n"
	       "FLAGS     names (any case) or numbers joined by '|' or ',',\n"
	       "          e.g. 'HIGH_RISK|DESTRUCTIVE|FILE_MODIFICATION'\n"
	       "BINDING   path=PATH, sha256=HEX, sha256=@FILE, syscall=NR|NAME;\n"
	       "          none binds the descriptor to NAME\n"
	       "SELECTOR  NAME, --hash HASH, --path PATH, --sha256 HEX|@FILE\n"
	       "          or --syscall NR|NAME\n"
	       "\n"
	       "Options:\n"
	       "  -n, --dry-run   add, load: check and encode, print what would\n"
	       "                  be sent, send nothing\n"
	       "  -j, --json      print JSON\n"
	       "  -p, --pretty    print indented JSON (implies --json)\n"
	       "  -h, --help      print this help and exit\n"
	       "\n"
	       "Names of name hashes are recovered from the text files in\n"
	       TP_DESCDIR ". See tcp-policy(8).\n");
}

/* --- replies ------------------------------------------------------------ */

static void entry_free(struct desc_entry *e)
{
	free(e->path);
	free(e->source);
}

static void list_free(struct desc_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static struct desc_entry *list_add(struct desc_list *l)
{
	struct desc_entry *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		e = reallocarray(l->v, cap, sizeof(*e));
		if (!e) {
			tp_err("%s: %s", l->what, strerror(ENOMEM));
			return NULL;
		}
		l->v = e;
		l->cap = cap;
	}
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

static int parse_desc(struct desc_list *l, struct nlattr *nest)
{
	struct nlattr *tb[TCPK_A_DESC_MAX + 1];
	struct desc_entry *e;
	int err;

	err = tp_nl_parse(tb, TCPK_A_DESC_MAX, nla_data(nest), nla_len(nest),
			  desc_policy, l->what, "descriptor");
	if (err)
		return err;
	if (!tb[TCPK_A_DESC_RAW]) {
		tp_err("%s: malformed descriptor: no TCPK_A_DESC_RAW", l->what);
		return -EBADMSG;
	}

	e = list_add(l);
	if (!e)
		return -ENOMEM;
	memcpy(&e->desc, nla_data(tb[TCPK_A_DESC_RAW]), TCPK_DESC_LEN);
	if (tb[TCPK_A_DESC_KEY]) {
		e->has_key = true;
		e->key = nla_get_u64(tb[TCPK_A_DESC_KEY]);
	}
	if (tb[TCPK_A_DESC_PATH]) {
		e->path = strdup(nla_get_string(tb[TCPK_A_DESC_PATH]));
		if (!e->path) {
			tp_err("%s: %s", l->what, strerror(ENOMEM));
			return -ENOMEM;
		}
	}
	if (tb[TCPK_A_DESC_SHA256]) {
		e->has_sha256 = true;
		memcpy(e->sha256, nla_data(tb[TCPK_A_DESC_SHA256]),
		       TCPK_DESC_DIGEST_LEN);
	}
	if (tb[TCPK_A_DESC_SYSCALL]) {
		e->has_syscall = true;
		e->syscall = nla_get_u32(tb[TCPK_A_DESC_SYSCALL]);
	}
	/* Documented as always present; else told by the binding. */
	if (tb[TCPK_A_DESC_KEY_KIND])
		e->kind = nla_get_u32(tb[TCPK_A_DESC_KEY_KIND]);
	else if (e->path)
		e->kind = TCPK_DESC_KEY_PATH;
	else if (e->has_sha256)
		e->kind = TCPK_DESC_KEY_DIGEST;
	else if (e->has_syscall)
		e->kind = TCPK_DESC_KEY_SYSCALL;
	else
		e->kind = TCPK_DESC_KEY_NAME;
	return 0;
}

/* One message of a GET reply or dump: its TCPK_A_DESC nests. */
static int parse_descs(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct desc_list *l = arg;
	struct nlattr *nla;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, l->what,
			  "reply");
	if (err)
		return err;
	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) != TCPK_A_DESC)
			continue;
		err = parse_desc(l, nla);
		if (err)
			return err;
	}
	return 0;
}

static int parse_count(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct desc_count *c = arg;
	int err;

	if (c->have) {
		tp_err("desc count: malformed reply: more than one message");
		return -EBADMSG;
	}
	err = tp_nl_parse(tb, TCPK_A_MAX, genlmsg_attrdata(gnlh, 0),
			  genlmsg_attrlen(gnlh, 0), reply_policy,
			  "desc count", "reply");
	if (err)
		return err;
	if (!tb[TCPK_A_DB_COUNT] || !tb[TCPK_A_DB_BYTES] ||
	    !tb[TCPK_A_DB_LIMIT]) {
		tp_err("desc count: malformed reply: no %s",
		       !tb[TCPK_A_DB_COUNT] ? "TCPK_A_DB_COUNT" :
		       !tb[TCPK_A_DB_BYTES] ? "TCPK_A_DB_BYTES" :
		       "TCPK_A_DB_LIMIT");
		return -EBADMSG;
	}
	c->have = true;
	c->count = nla_get_u32(tb[TCPK_A_DB_COUNT]);
	c->bytes = nla_get_u64(tb[TCPK_A_DB_BYTES]);
	c->limit = nla_get_u32(tb[TCPK_A_DB_LIMIT]);
	return 0;
}

/* --- output --------------------------------------------------------------- */

static const char *descdir(void)
{
	const char *d = getenv(TP_DESCDIR_ENV);

	return d && *d ? d : TP_DESCDIR;
}

/* The first column: a name, a path, a digest or a system call. */
static void identity_text(const struct desc_entry *e, char *buf, size_t len)
{
	switch (e->kind) {
	case TCPK_DESC_KEY_NAME:
		if (e->name)
			snprintf(buf, len, "%s", e->name);
		else
			snprintf(buf, len, "0x%08" PRIx32,
				 be32toh(e->desc.cmd_hash));
		return;
	case TCPK_DESC_KEY_PATH:
		if (e->path) {
			snprintf(buf, len, "%s", e->path);
			return;
		}
		break;
	case TCPK_DESC_KEY_DIGEST:
		if (e->has_sha256 && len > 2 * TCPK_DESC_DIGEST_LEN) {
			tp_format_hex(e->sha256, sizeof(e->sha256), buf);
			return;
		}
		break;
	case TCPK_DESC_KEY_SYSCALL:
		if (e->has_syscall) {
			const char *s = tp_syscall_name(e->syscall);

			if (s)
				snprintf(buf, len, "%s", s);
			else
				snprintf(buf, len, "%" PRIu32, e->syscall);
			return;
		}
		break;
	}
	if (e->has_key)
		snprintf(buf, len, "key 0x%016" PRIx64, e->key);
	else
		snprintf(buf, len, "?");
}

static int ident_width(const struct desc_entry *v, size_t n, bool source)
{
	char buf[TCPK_DESC_PATH_MAX + 64];
	int w = source ? (int)strlen("SOURCE") : (int)strlen("IDENTITY");
	size_t i;

	for (i = 0; i < n; i++) {
		int l;

		if (source)
			l = (int)strlen(v[i].source ? v[i].source : "");
		else {
			identity_text(&v[i], buf, sizeof(buf));
			l = (int)strlen(buf);
		}
		if (l > w)
			w = l;
	}
	return w > IDENT_WIDTH_MAX ? IDENT_WIDTH_MAX : w;
}

/* A table, one descriptor a line; a dry run has SOURCE and no KEY. */
static void print_table(const struct desc_entry *v, size_t n, bool dry)
{
	char ident[TCPK_DESC_PATH_MAX + 64], flags[TP_FLAGS_TEXT_MAX];
	int wi = ident_width(v, n, false);
	int ws = dry ? ident_width(v, n, true) : 0;
	size_t i;

	if (dry)
		printf("%-*s  ", ws, "SOURCE");
	printf("%-*s  %-7s  %7s  %6s  %6s  ", wi, "IDENTITY", "KIND",
	       "EXEC_MS", "MEM_MB", "OUT_KB");
	if (!dry)
		printf("%-18s  ", "KEY");
	printf("FLAGS\n");

	for (i = 0; i < n; i++) {
		const struct desc_entry *e = &v[i];

		identity_text(e, ident, sizeof(ident));
		tp_desc_format_flags(be32toh(e->desc.flags), flags,
				     sizeof(flags));
		if (dry)
			printf("%-*s  ", ws, e->source ? e->source : "");
		printf("%-*s  %-7s  %7u  %6u  %6u  ", wi, ident,
		       tp_desc_kind_name(e->kind), be16toh(e->desc.exec_ms),
		       be16toh(e->desc.mem_mb), be16toh(e->desc.out_kb));
		if (!dry) {
			if (e->has_key)
				printf("0x%016" PRIx64 "  ", e->key);
			else
				printf("%-18s  ", "-");
		}
		printf("%s\n", flags);
	}
}

/* One descriptor, one field a line (desc get). */
static void print_block(const struct desc_entry *e)
{
	char ident[TCPK_DESC_PATH_MAX + 64], flags[TP_FLAGS_TEXT_MAX];
	uint32_t f = be32toh(e->desc.flags);

	identity_text(e, ident, sizeof(ident));
	tp_desc_format_flags(f, flags, sizeof(flags));
	printf("identity:  %s\n", ident);
	printf("kind:      %s\n", tp_desc_kind_name(e->kind));
	if (e->has_key)
		printf("key:       0x%016" PRIx64 "\n", e->key);
	printf("name:      %s\n", e->name ? e->name : "(unknown: the module stores its hash)");
	printf("cmd_hash:  0x%08" PRIx32 "\n", be32toh(e->desc.cmd_hash));
	printf("flags:     0x%08" PRIx32 " %s\n", f, flags);
	printf("exec_ms:   %u\n", be16toh(e->desc.exec_ms));
	printf("mem_mb:    %u\n", be16toh(e->desc.mem_mb));
	printf("out_kb:    %u\n", be16toh(e->desc.out_kb));
	printf("name_len:  %u\n", be16toh(e->desc.name_len));
	printf("check:     0x%04x\n", be16toh(e->desc.check));
}

static struct json_object *json_entry(const struct desc_entry *e)
{
	char hex[2 * TCPK_DESC_LEN + 1];
	uint32_t f = be32toh(e->desc.flags);
	struct json_object *o, *names;
	unsigned int bit;
	const char *s;

	o = json_object_new_object();
	if (!o)
		return NULL;
	if (e->source)
		json_object_object_add(o, "source",
				       json_object_new_string(e->source));
	json_object_object_add(o, "kind",
			       json_object_new_string(tp_desc_kind_name(e->kind)));
	if (e->name)
		json_object_object_add(o, "name",
				       json_object_new_string(e->name));
	if (e->path)
		json_object_object_add(o, "path",
				       json_object_new_string(e->path));
	if (e->has_sha256) {
		tp_format_hex(e->sha256, sizeof(e->sha256), hex);
		json_object_object_add(o, "sha256",
				       json_object_new_string(hex));
	}
	if (e->has_syscall) {
		json_object_object_add(o, "syscall",
				       json_object_new_int64(e->syscall));
		s = tp_syscall_name(e->syscall);
		if (s)
			json_object_object_add(o, "syscall_name",
					       json_object_new_string(s));
	}
	if (e->has_key) {
		char key[32];

		/* A string: doubles, as many JSON parsers use, lose 64 bits. */
		snprintf(key, sizeof(key), "0x%016" PRIx64, e->key);
		json_object_object_add(o, "key", json_object_new_string(key));
	}
	json_object_object_add(o, "cmd_hash",
			       json_object_new_int64(be32toh(e->desc.cmd_hash)));
	json_object_object_add(o, "flags", json_object_new_int64(f));
	names = json_object_new_array();
	for (bit = 0; names && bit < 32; bit++) {
		if (!(f & (1U << bit)))
			continue;
		s = tp_desc_flag_name(bit);
		if (s)
			json_object_array_add(names,
					      json_object_new_string(s));
	}
	json_object_object_add(o, "flag_names", names);
	json_object_object_add(o, "exec_ms",
			       json_object_new_int64(be16toh(e->desc.exec_ms)));
	json_object_object_add(o, "mem_mb",
			       json_object_new_int64(be16toh(e->desc.mem_mb)));
	json_object_object_add(o, "out_kb",
			       json_object_new_int64(be16toh(e->desc.out_kb)));
	json_object_object_add(o, "name_len",
			       json_object_new_int64(be16toh(e->desc.name_len)));
	json_object_object_add(o, "check",
			       json_object_new_int64(be16toh(e->desc.check)));
	tp_format_hex((const uint8_t *)&e->desc, TCPK_DESC_LEN, hex);
	json_object_object_add(o, "raw", json_object_new_string(hex));
	return o;
}

/*
 * A JSON array, one element at a time: a dump of 100,000 descriptors need
 * not be one document in memory.
 */
static int print_json_array(const struct desc_entry *v, size_t n)
{
	size_t i;

	fputs("[", stdout);
	for (i = 0; i < n; i++) {
		struct json_object *o = json_entry(&v[i]);
		int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
		const char *s;

		flags |= tp_opts.pretty ? JSON_C_TO_STRING_PRETTY :
					  JSON_C_TO_STRING_PLAIN;
		s = o ? json_object_to_json_string_ext(o, flags) : NULL;
		if (!s) {
			json_object_put(o);
			fputs("\n", stdout);
			tp_err("cannot format JSON: %s", strerror(ENOMEM));
			return TP_EXIT_FAIL;
		}
		printf("%s%s%s", i ? "," : "", tp_opts.pretty ? "\n" : "", s);
		json_object_put(o);
	}
	printf("%s]\n", tp_opts.pretty && n ? "\n" : "");
	return TP_EXIT_OK;
}

static void name_entries(struct desc_entry *v, size_t n)
{
	struct tp_desc_names names;
	static struct tp_desc_names kept;
	size_t i;

	tp_desc_names_free(&kept);
	tp_desc_names_load(&names, descdir());
	for (i = 0; i < n; i++)
		if (!v[i].name)
			v[i].name = tp_desc_names_find(&names, &v[i].desc);
	/* The entries point into it until the program ends. */
	kept = names;
}

/* --- the command line ------------------------------------------------------ */

/*
 * Subcommands parse with permutation, so options may follow arguments
 * ("desc get rm -j"); "--" ends options, for a NAME that starts with '-'.
 */
#define SUB_SHORTOPTS	"hjp"

/*
 * Parse a subcommand's options.  @opt_cb handles its own options: it
 * returns 0 if it took @opt, 1 if @opt's argument was bad (reported), -1 if
 * @opt is not its own.
 *
 * Return: -1 to go on with the arguments at optind, or the exit status the
 * subcommand ends with (after --help or a bad option).
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

static int dry_opt(int opt, void *arg)
{
	if (opt != 'n')
		return -1;
	*(bool *)arg = true;
	return 0;
}

static const struct option dry_longopts[] = {
	TP_COMMON_LONGOPTS,
	{ "dry-run",	no_argument,	NULL, 'n' },
	TP_SIGNATURE_LONGOPT,
	{ NULL, 0, NULL, 0 },
};

static const struct option common_longopts[] = {
	TP_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

/* --- add and load ------------------------------------------------------- */

static size_t item_msg_size(const struct tp_desc_item *it)
{
	size_t n = nla_total_size(0) + nla_total_size(TCPK_DESC_LEN);

	switch (it->kind) {
	case TCPK_DESC_KEY_PATH:
		n += nla_total_size((int)strlen(it->path) + 1);
		break;
	case TCPK_DESC_KEY_DIGEST:
		n += nla_total_size(TCPK_DESC_DIGEST_LEN);
		break;
	case TCPK_DESC_KEY_SYSCALL:
		n += nla_total_size(sizeof(uint32_t));
		break;
	default:
		break;
	}
	return n;
}

static int put_item(struct nl_msg *msg, const struct tp_desc_item *it)
{
	struct nlattr *nest = nla_nest_start(msg, TCPK_A_DESC);
	int err;

	if (!nest)
		return -1;
	err = nla_put(msg, TCPK_A_DESC_RAW, TCPK_DESC_LEN, &it->desc);
	switch (it->kind) {
	case TCPK_DESC_KEY_PATH:
		err = err ?: nla_put_string(msg, TCPK_A_DESC_PATH, it->path);
		break;
	case TCPK_DESC_KEY_DIGEST:
		err = err ?: nla_put(msg, TCPK_A_DESC_SHA256,
				     TCPK_DESC_DIGEST_LEN, it->sha256);
		break;
	case TCPK_DESC_KEY_SYSCALL:
		err = err ?: nla_put_u32(msg, TCPK_A_DESC_SYSCALL,
					 it->syscall);
		break;
	default:
		break;		/* bound by name: no binding attribute */
	}
	if (err < 0)
		return -1;
	return nla_nest_end(msg, nest) < 0 ? -1 : 0;
}

/*
 * The index of the batch that an extended ACK message names, in the forms
 * "index N", "descriptor N", "entry N" or "[N]".  Return: 0, or -1.
 */
static int msg_index(const char *msg, size_t *idx)
{
	static const char *const words[] = { "index", "descriptor", "entry",
					     "[" };
	size_t w;

	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		const char *p = msg;

		while ((p = strstr(p, words[w]))) {
			char *end;
			unsigned long v;

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

/* Name the descriptor of the batch that the kernel refused. */
static void report_refused(const char *what, const struct tp_desc_batch *b,
			   const uint32_t *offs, const struct tp_nl_ext *ext)
{
	char where[PATH_MAX + TCPK_DESC_PATH_MAX + 128];
	char src[PATH_MAX + 64], id[TCPK_DESC_PATH_MAX + 64];
	bool found = false;
	size_t i = 0;

	if (tp_sig_refused(what, ext))
		return;
	if (ext->has_offs && b->n && ext->offs >= offs[0]) {
		size_t lo = 0, hi = b->n;

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
	if (!found && ext->msg[0] && !msg_index(ext->msg, &i) && i < b->n)
		found = true;
	if (!found) {
		tp_nl_report(what, NULL, ext);
		return;
	}
	tp_desc_item_identity(&b->items[i], id, sizeof(id));
	snprintf(where, sizeof(where), "%s (batch index %zu, %s)",
		 tp_desc_src_str(&b->items[i].src, src, sizeof(src)), i, id);
	tp_nl_report(what, where, ext);
}

static int send_batch(const char *what, const struct tp_desc_batch *b)
{
	size_t size = NLMSG_HDRLEN + GENL_HDRLEN + 64, i;
	struct tp_nl_ext ext = { .quiet = true };
	int ret = TP_EXIT_FAIL, err;
	uint32_t *offs = NULL;
	struct nl_msg *msg;
	struct tp_nl nl;

	for (i = 0; i < b->n; i++)
		size += item_msg_size(&b->items[i]);
	if (size > INT_MAX / 2) {
		tp_err("%s: a batch of %zu bytes is too large", what, size);
		return TP_EXIT_FAIL;
	}
	offs = calloc(b->n ? b->n : 1, sizeof(*offs));
	if (!offs) {
		tp_err("%s: %s", what, strerror(ENOMEM));
		return TP_EXIT_FAIL;
	}
	if (tp_sig_open(&nl)) {
		free(offs);
		return TP_EXIT_FAIL;
	}
	size += TCPK_SIGNATURE_MAX + NLA_HDRLEN;
	msg = tp_nl_msg_size(&nl, TCPK_CMD_DESC_ADD, 0, size);
	if (!msg)
		goto out;
	for (i = 0; i < b->n; i++) {
		offs[i] = (uint32_t)((char *)nlmsg_tail(nlmsg_hdr(msg)) -
				     (char *)nlmsg_hdr(msg));
		if (put_item(msg, &b->items[i])) {
			tp_err("%s: cannot build the message (descriptor %zu)",
			       what, i);
			nlmsg_free(msg);
			goto out;
		}
	}
	err = tp_sig_finish(msg, what);
	if (err) {
		nlmsg_free(msg);
		if (err > 0)
			ret = TP_EXIT_OK;
		goto out;
	}
	if (tp_nl_sndbuf(&nl, nlmsg_hdr(msg)->nlmsg_len, what)) {
		nlmsg_free(msg);
		goto out;
	}
	err = tp_nl_request_ext(&nl, msg, what, NULL, NULL, &ext);
	if (err && ext.err)
		report_refused(what, b, offs, &ext);
	if (!err)
		ret = TP_EXIT_OK;
out:
	tp_nl_close(&nl);
	free(offs);
	return ret;
}

/* What a dry run prints: the batch as the table or JSON of "desc list". */
static int print_batch(const struct tp_desc_batch *b)
{
	char src[PATH_MAX + 64];
	struct desc_entry *v;
	int ret = TP_EXIT_FAIL;
	size_t i;

	v = calloc(b->n ? b->n : 1, sizeof(*v));
	if (!v) {
		tp_err("%s", strerror(ENOMEM));
		return TP_EXIT_FAIL;
	}
	for (i = 0; i < b->n; i++) {
		const struct tp_desc_item *it = &b->items[i];
		struct desc_entry *e = &v[i];

		e->desc = it->desc;
		e->kind = it->kind;
		e->name = it->name;
		if (it->kind == TCPK_DESC_KEY_PATH)
			e->path = strdup(it->path);
		e->has_sha256 = it->kind == TCPK_DESC_KEY_DIGEST;
		memcpy(e->sha256, it->sha256, sizeof(e->sha256));
		e->has_syscall = it->kind == TCPK_DESC_KEY_SYSCALL;
		e->syscall = it->syscall;
		e->source = strdup(tp_desc_src_str(&it->src, src, sizeof(src)));
		if (!e->source || (it->kind == TCPK_DESC_KEY_PATH && !e->path)) {
			tp_err("%s", strerror(ENOMEM));
			goto out;
		}
	}
	name_entries(v, b->n);
	if (tp_opts.json)
		ret = print_json_array(v, b->n);
	else {
		print_table(v, b->n, true);
		ret = TP_EXIT_OK;
	}
out:
	for (i = 0; i < b->n; i++)
		entry_free(&v[i]);
	free(v);
	return ret;
}

static int cmd_add(int argc, char **argv)
{
	struct tp_desc_src src = { 0 };
	struct tp_desc_batch b = { 0 };
	bool dry = false;
	int r, ret;

	r = sub_opts("desc add", argc, argv, SUB_SHORTOPTS "n", dry_longopts,
		     dry_opt, &dry);
	if (r >= 0)
		return r;
	if (argc - optind < 5) {
		tp_err("desc add: expected NAME FLAGS EXEC_MS MEM_MB OUT_KB [BINDING...]");
		fprintf(stderr, "Try '" TP_NAME " desc --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	if (tp_desc_parse_args(argv + optind, argc - optind, &src, &b))
		return TP_EXIT_USAGE;
	if (tp_desc_check_dups(&b)) {
		tp_desc_batch_free(&b);
		return TP_EXIT_USAGE;
	}
	ret = dry ? print_batch(&b) : send_batch("desc add", &b);
	tp_desc_batch_free(&b);
	return ret;
}

static int cmd_load(int argc, char **argv)
{
	struct tp_desc_batch b = { 0 };
	int r, ret = TP_EXIT_FAIL, i;
	bool dry = false, bad = false;

	r = sub_opts("desc load", argc, argv, SUB_SHORTOPTS "n", dry_longopts,
		     dry_opt, &dry);
	if (r >= 0)
		return r;
	if (optind >= argc) {
		tp_err("desc load: expected FILE...");
		fprintf(stderr, "Try '" TP_NAME " desc --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	/* Every file is read, so one run reports the errors of all. */
	for (i = optind; i < argc; i++)
		if (tp_desc_read_file(argv[i], &b))
			bad = true;
	if (bad)
		goto out;
	if (!b.n) {
		tp_err("desc load: no descriptors in %s%s", argv[optind],
		       argc - optind > 1 ? " and the other files" : "");
		goto out;
	}
	if (tp_desc_check_dups(&b))
		goto out;
	ret = dry ? print_batch(&b) : send_batch("desc load", &b);
out:
	tp_desc_batch_free(&b);
	return ret;
}

/* --- get and del ---------------------------------------------------------- */

/*
 * Selector options have no short form; values above any character make
 * getopt_long() report their errors by the long name.
 */
enum {
	OPT_HASH = 256,
	OPT_PATH,
	OPT_SHA256,
	OPT_SYSCALL,
};

static int sel_set(struct selector *s, uint32_t kind)
{
	if (s->kind != TCPK_DESC_KEY_UNSPEC) {
		tp_err("%s: give one identity: NAME, --hash, --path, --sha256 or --syscall",
		       s->what);
		return -1;
	}
	s->kind = kind;
	return 0;
}

static int sel_opt(int opt, void *arg)
{
	struct selector *s = arg;
	unsigned long v;
	char *end;

	switch (opt) {
	case OPT_HASH:
		if (sel_set(s, TCPK_DESC_KEY_NAME))
			return 1;
		errno = 0;
		v = strtoul(optarg, &end, 0);
		if (errno || *end || !*optarg || v > UINT32_MAX) {
			tp_err("%s: --hash %s: not a 32-bit number", s->what,
			       optarg);
			return 1;
		}
		s->cmd_hash = (uint32_t)v;
		return 0;
	case OPT_PATH:
		if (sel_set(s, TCPK_DESC_KEY_PATH))
			return 1;
		if (optarg[0] != '/' || strlen(optarg) >= TCPK_DESC_PATH_MAX) {
			tp_err("%s: --path %s: not an absolute path of fewer than %d bytes",
			       s->what, optarg, TCPK_DESC_PATH_MAX);
			return 1;
		}
		s->path = optarg;
		return 0;
	case OPT_SHA256:
		if (sel_set(s, TCPK_DESC_KEY_DIGEST))
			return 1;
		if (optarg[0] == '@') {
			char err[PATH_MAX + 128];

			if (tp_sha256_file(optarg + 1, s->sha256, err,
					   sizeof(err))) {
				tp_err("%s: --sha256 %s: %s", s->what, optarg,
				       err);
				return 1;
			}
		} else if (tp_parse_hex(optarg, s->sha256,
					TCPK_DESC_DIGEST_LEN)) {
			tp_err("%s: --sha256 %s: not 64 hex digits (or @FILE)",
			       s->what, optarg);
			return 1;
		}
		return 0;
	case OPT_SYSCALL:
		if (sel_set(s, TCPK_DESC_KEY_SYSCALL))
			return 1;
		if (tp_desc_parse_syscall(optarg, &s->syscall)) {
			tp_err("%s: --syscall %s: not an x86_64 system call name or a number below %d",
			       s->what, optarg, TP_SYSCALL_LIMIT);
			return 1;
		}
		return 0;
	}
	return -1;
}

/* Parse the identity of get and del.  Return: -1, or an exit status. */
static int parse_selector(const char *what, int argc, char **argv,
			  struct selector *s)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "hash",	required_argument,	NULL, OPT_HASH },
		{ "path",	required_argument,	NULL, OPT_PATH },
		{ "sha256",	required_argument,	NULL, OPT_SHA256 },
		{ "syscall",	required_argument,	NULL, OPT_SYSCALL },
		{ NULL, 0, NULL, 0 },
	};
	int r;

	memset(s, 0, sizeof(*s));
	s->what = what;
	r = sub_opts(what, argc, argv, SUB_SHORTOPTS, longopts, sel_opt, s);
	if (r >= 0)
		return r;
	if (optind < argc) {
		if (sel_set(s, TCPK_DESC_KEY_NAME))
			return TP_EXIT_USAGE;
		s->name = argv[optind++];
		if (!*s->name || strlen(s->name) > TCPK_DESC_NAME_MAX) {
			tp_err("%s: a command name has 1 to %d bytes", what,
			       TCPK_DESC_NAME_MAX);
			return TP_EXIT_USAGE;
		}
		if (tp_desc_name_hash(s->name, strlen(s->name), &s->cmd_hash))
			return TP_EXIT_FAIL;
	}
	if (optind < argc)
		return tp_bad_argument(what, argv[optind]);
	if (s->kind == TCPK_DESC_KEY_UNSPEC) {
		tp_err("%s: expected NAME, --hash, --path, --sha256 or --syscall",
		       what);
		fprintf(stderr, "Try '" TP_NAME " desc --help' for more information.\n");
		return TP_EXIT_USAGE;
	}
	return -1;
}

static void sel_text(const struct selector *s, char *buf, size_t len)
{
	char hex[2 * TCPK_DESC_DIGEST_LEN + 1];
	const char *n;

	switch (s->kind) {
	case TCPK_DESC_KEY_PATH:
		snprintf(buf, len, "path %s", s->path);
		break;
	case TCPK_DESC_KEY_DIGEST:
		tp_format_hex(s->sha256, sizeof(s->sha256), hex);
		snprintf(buf, len, "sha256 %s", hex);
		break;
	case TCPK_DESC_KEY_SYSCALL:
		n = tp_syscall_name(s->syscall);
		snprintf(buf, len, "syscall %" PRIu32 "%s%s%s", s->syscall,
			 n ? " (" : "", n ? n : "", n ? ")" : "");
		break;
	default:
		if (s->name)
			snprintf(buf, len, "name %s (hash 0x%08" PRIx32 ")",
				 s->name, s->cmd_hash);
		else
			snprintf(buf, len, "name hash 0x%08" PRIx32,
				 s->cmd_hash);
		break;
	}
}

static int put_selector(struct nl_msg *msg, const struct selector *s)
{
	struct nlattr *nest = nla_nest_start(msg, TCPK_A_DESC);
	int err;

	if (!nest)
		return -1;
	switch (s->kind) {
	case TCPK_DESC_KEY_PATH:
		err = nla_put_string(msg, TCPK_A_DESC_PATH, s->path);
		break;
	case TCPK_DESC_KEY_DIGEST:
		err = nla_put(msg, TCPK_A_DESC_SHA256, TCPK_DESC_DIGEST_LEN,
			      s->sha256);
		break;
	case TCPK_DESC_KEY_SYSCALL:
		err = nla_put_u32(msg, TCPK_A_DESC_SYSCALL, s->syscall);
		break;
	default:
		err = nla_put_u32(msg, TCPK_A_DESC_CMD_HASH, s->cmd_hash);
		break;
	}
	if (err < 0)
		return -1;
	return nla_nest_end(msg, nest) < 0 ? -1 : 0;
}

/* GET (do) or DEL of one identity; @l receives a GET's reply. */
static int sel_request(const char *what, uint8_t cmd,
		       const struct selector *s, struct desc_list *l)
{
	struct tp_nl_ext ext = { .quiet = true };
	char id[TCPK_DESC_PATH_MAX + 128];
	int ret = TP_EXIT_FAIL, err;
	struct nl_msg *msg;
	struct tp_nl nl;

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, cmd, 0);
	if (!msg)
		goto out;
	if (put_selector(msg, s)) {
		tp_err("%s: cannot build the message", what);
		nlmsg_free(msg);
		goto out;
	}
	err = tp_nl_request_ext(&nl, msg, what, l ? parse_descs : NULL, l,
				&ext);
	if (err == -ENOENT && ext.err == -ENOENT) {
		sel_text(s, id, sizeof(id));
		tp_err("%s: no such descriptor: nothing is bound to %s", what,
		       id);
	} else if (err && ext.err) {
		tp_nl_report(what, NULL, &ext);
	} else if (!err) {
		ret = TP_EXIT_OK;
	}
out:
	tp_nl_close(&nl);
	return ret;
}

static int cmd_get(int argc, char **argv)
{
	struct desc_list l = { .what = "desc get" };
	struct selector s;
	int r, ret;

	r = parse_selector("desc get", argc, argv, &s);
	if (r >= 0)
		return r;
	ret = sel_request("desc get", TCPK_CMD_DESC_GET, &s, &l);
	if (ret)
		goto out;
	ret = TP_EXIT_FAIL;
	if (l.n != 1) {
		tp_err("desc get: malformed reply: %zu descriptors", l.n);
		goto out;
	}
	if (s.name && be32toh(l.v[0].desc.cmd_hash) == s.cmd_hash &&
	    be16toh(l.v[0].desc.name_len) == strlen(s.name))
		l.v[0].name = s.name;
	else
		name_entries(l.v, l.n);
	if (tp_opts.json) {
		struct json_object *o = json_entry(&l.v[0]);

		if (!o) {
			tp_err("desc get: %s", strerror(ENOMEM));
			goto out;
		}
		if (!tp_json_print(o))
			ret = TP_EXIT_OK;
		json_object_put(o);
	} else {
		print_block(&l.v[0]);
		ret = TP_EXIT_OK;
	}
out:
	list_free(&l);
	return ret;
}

static int cmd_del(int argc, char **argv)
{
	struct selector s;
	int r;

	r = parse_selector("desc del", argc, argv, &s);
	if (r >= 0)
		return r;
	return sel_request("desc del", TCPK_CMD_DESC_DEL, &s, NULL);
}

/* --- list, count, flush -------------------------------------------------- */

static int no_args(const char *what, int argc, char **argv)
{
	int r;

	r = sub_opts(what, argc, argv, SUB_SHORTOPTS, common_longopts, NULL,
		     NULL);
	if (r >= 0)
		return r;
	if (optind < argc)
		return tp_bad_argument(what, argv[optind]);
	return -1;
}

static int cmd_list(int argc, char **argv)
{
	struct desc_list l = { .what = "desc list" };
	struct tp_nl_ext ext = { 0 };
	int r, ret = TP_EXIT_FAIL, attempt;
	struct nl_msg *msg;
	struct tp_nl nl;

	r = no_args("desc list", argc, argv);
	if (r >= 0)
		return r;
	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;

	/*
	 * A dump that overlapped a change may have missed or repeated
	 * entries (NLM_F_DUMP_INTR): start again, a few times.
	 */
	for (attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
		list_free(&l);
		msg = tp_nl_msg(&nl, TCPK_CMD_DESC_GET, NLM_F_DUMP);
		if (!msg)
			goto out;
		if (tp_nl_request_ext(&nl, msg, "desc list", parse_descs, &l,
				      &ext))
			goto out;
		if (!ext.dump_intr)
			break;
	}
	if (ext.dump_intr) {
		tp_err("desc list: the database changed during each of %d dumps; try again",
		       DUMP_ATTEMPTS);
		goto out;
	}

	name_entries(l.v, l.n);
	if (tp_opts.json)
		ret = print_json_array(l.v, l.n);
	else {
		print_table(l.v, l.n, false);
		ret = TP_EXIT_OK;
	}
out:
	tp_nl_close(&nl);
	list_free(&l);
	return ret;
}

static int cmd_count(int argc, char **argv)
{
	struct desc_count c = { 0 };
	int r, ret = TP_EXIT_FAIL;
	struct nl_msg *msg;
	struct tp_nl nl;

	r = no_args("desc count", argc, argv);
	if (r >= 0)
		return r;
	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_DESC_COUNT, 0);
	if (!msg)
		goto out;
	if (tp_nl_request(&nl, msg, "desc count", parse_count, &c))
		goto out;
	if (!c.have) {
		tp_err("desc count: the module sent no reply");
		goto out;
	}
	if (tp_opts.json) {
		struct json_object *o = json_object_new_object();

		if (!o) {
			tp_err("desc count: %s", strerror(ENOMEM));
			goto out;
		}
		json_object_object_add(o, "count",
				       json_object_new_int64(c.count));
		json_object_object_add(o, "bytes",
				       json_object_new_uint64(c.bytes));
		json_object_object_add(o, "limit",
				       json_object_new_int64(c.limit));
		if (!tp_json_print(o))
			ret = TP_EXIT_OK;
		json_object_put(o);
	} else {
		printf("count: %" PRIu32 "\n", c.count);
		printf("bytes: %" PRIu64 "\n", c.bytes);
		printf("limit: %" PRIu32 "\n", c.limit);
		ret = TP_EXIT_OK;
	}
out:
	tp_nl_close(&nl);
	return ret;
}

static int cmd_flush(int argc, char **argv)
{
	int r, ret = TP_EXIT_FAIL;
	struct nl_msg *msg;
	struct tp_nl nl;

	r = no_args("desc flush", argc, argv);
	if (r >= 0)
		return r;
	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	msg = tp_nl_msg(&nl, TCPK_CMD_DESC_FLUSH, 0);
	if (msg && !tp_nl_request(&nl, msg, "desc flush", NULL, NULL))
		ret = TP_EXIT_OK;
	tp_nl_close(&nl);
	return ret;
}

static const struct tp_subcmd desc_cmds[] = {
	{ "add",	cmd_add },
	{ "del",	cmd_del },
	{ "get",	cmd_get },
	{ "list",	cmd_list },
	{ "load",	cmd_load },
	{ "flush",	cmd_flush },
	{ "count",	cmd_count },
};

/**
 * tp_cmd_desc() - "tcp-policy desc COMMAND ..."
 * @argc: argument count, argv[0] being "desc".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_desc(int argc, char **argv)
{
	return tp_subcommand("desc", "add, del, get, list, load, flush or count", desc_cmds,
			     sizeof(desc_cmds) / sizeof(desc_cmds[0]), usage,
			     argc, argv);
}
