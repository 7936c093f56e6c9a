// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - "ps": the processes the module tracks, with their behaviour */

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

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]	= { .type = NLA_UNSPEC },
	[TCPK_A_PROC]	= { .type = NLA_NESTED },
};

/**
 * struct ps_field - one attribute of a %TCPK_A_PROC nest
 * @attr: its type.
 * @key: its JSON key.
 * @u64: a u64 (else a u32).
 */
struct ps_field {
	int attr;
	const char *key;
	bool u64;
};

/* The numeric attributes, in the order of the JSON output. */
static const struct ps_field ps_fields[] = {
	{ TCPK_A_PROC_SCORE,		"score",		false },
	{ TCPK_A_PROC_SYSCALLS,		"syscalls",		true },
	{ TCPK_A_PROC_SYSCALL_RATE,	"syscalls_per_s",	false },
	{ TCPK_A_PROC_FAILURES,		"failures",		true },
	{ TCPK_A_PROC_FAIL_BURSTS,	"fail_bursts",		true },
	{ TCPK_A_PROC_CTXSW,		"ctxsw",		true },
	{ TCPK_A_PROC_CTXSW_RATE,	"ctxsw_per_s",		false },
	{ TCPK_A_PROC_BYTES_SENT,	"bytes_sent",		true },
	{ TCPK_A_PROC_SENDS,		"sends",		true },
	{ TCPK_A_PROC_SENT_RATE,	"sent_bytes_per_s",	false },
	{ TCPK_A_PROC_LARGE_WRITES,	"large_writes",		true },
	{ TCPK_A_PROC_LARGE_WRITE_BYTES, "large_write_bytes",	true },
	{ TCPK_A_PROC_WX,		"wx",			true },
	{ TCPK_A_PROC_VIOLATIONS,	"violations",		true },
	{ TCPK_A_PROC_PATTERNS,		"patterns",		true },
	{ TCPK_A_PROC_LFC,		"lfc",			false },
	{ TCPK_A_PROC_LFC_PEAK,		"lfc_peak",		false },
	{ TCPK_A_PROC_TRIGRAMS,		"trigrams",		true },
	{ TCPK_A_PROC_NOVEL,		"novel",		true },
};

#define PS_NFIELDS	(sizeof(ps_fields) / sizeof(ps_fields[0]))

static const struct nla_policy proc_policy[TCPK_A_PROC_MAX + 1] = {
	[TCPK_A_PROC_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_PROC_PID]		= { .type = NLA_U32 },
	[TCPK_A_PROC_COMM]		= { .type = NLA_STRING },
	[TCPK_A_PROC_AGENT]		= { .type = NLA_STRING },
	[TCPK_A_PROC_SESSION]		= { .type = NLA_U64 },
	[TCPK_A_PROC_QUARANTINED]	= { .type = NLA_U8 },
	[TCPK_A_PROC_SCORE]		= { .type = NLA_U32 },
	[TCPK_A_PROC_SYSCALLS]		= { .type = NLA_U64 },
	[TCPK_A_PROC_FAILURES]		= { .type = NLA_U64 },
	[TCPK_A_PROC_FAIL_BURSTS]	= { .type = NLA_U64 },
	[TCPK_A_PROC_CTXSW]		= { .type = NLA_U64 },
	[TCPK_A_PROC_BYTES_SENT]	= { .type = NLA_U64 },
	[TCPK_A_PROC_SENDS]		= { .type = NLA_U64 },
	[TCPK_A_PROC_LARGE_WRITES]	= { .type = NLA_U64 },
	[TCPK_A_PROC_LARGE_WRITE_BYTES]	= { .type = NLA_U64 },
	[TCPK_A_PROC_WX]		= { .type = NLA_U64 },
	[TCPK_A_PROC_SYSCALL_RATE]	= { .type = NLA_U32 },
	[TCPK_A_PROC_CTXSW_RATE]	= { .type = NLA_U32 },
	[TCPK_A_PROC_SENT_RATE]		= { .type = NLA_U32 },
	[TCPK_A_PROC_VIOLATIONS]	= { .type = NLA_U64 },
	[TCPK_A_PROC_PATTERNS]		= { .type = NLA_U64 },
	[TCPK_A_PROC_PROFILE]		= { .type = NLA_STRING },
	[TCPK_A_PROC_LFC]		= { .type = NLA_U32 },
	[TCPK_A_PROC_LFC_PEAK]		= { .type = NLA_U32 },
	[TCPK_A_PROC_TRIGRAMS]		= { .type = NLA_U64 },
	[TCPK_A_PROC_NOVEL]		= { .type = NLA_U64 },
	/* A newer module may add classes or calls: longer is fine. */
	[TCPK_A_PROC_CLASSES]		= { .type = NLA_UNSPEC,
					    .minlen = __TCPK_SC_MAX *
						      sizeof(uint64_t) },
	[TCPK_A_PROC_TOP_SYSCALLS]	= { .type = NLA_UNSPEC },
	[TCPK_A_PROC_FILEOPS]		= { .type = NLA_U64 },
	[TCPK_A_PROC_FILEOP_RATE]	= { .type = NLA_U32 },
};

/* enum tcpk_syscall_class: names in text, JSON keys (one per class). */
_Static_assert(TCPK_SC_IPC + 1 == __TCPK_SC_MAX,
	       "a class without a name in ps.c");

static const char *const class_names[__TCPK_SC_MAX] = {
	[TCPK_SC_OTHER]		= "other",
	[TCPK_SC_FILE_READ]	= "file-read",
	[TCPK_SC_FILE_WRITE]	= "file-write",
	[TCPK_SC_FILE_META]	= "file-meta",
	[TCPK_SC_NET]		= "net",
	[TCPK_SC_PROC]		= "proc",
	[TCPK_SC_MEM]		= "mem",
	[TCPK_SC_IPC]		= "ipc",
};

static const char *const class_keys[__TCPK_SC_MAX] = {
	[TCPK_SC_OTHER]		= "other",
	[TCPK_SC_FILE_READ]	= "file_read",
	[TCPK_SC_FILE_WRITE]	= "file_write",
	[TCPK_SC_FILE_META]	= "file_meta",
	[TCPK_SC_NET]		= "net",
	[TCPK_SC_PROC]		= "proc",
	[TCPK_SC_MEM]		= "mem",
	[TCPK_SC_IPC]		= "ipc",
};

/**
 * struct ps_top - one of a process's most frequent system calls
 * @nr: its number.
 * @count: how many times it was made (an estimate).
 */
struct ps_top {
	uint32_t nr;
	uint32_t count;
};

/**
 * struct ps_entry - one tracked process
 * @pid: its pid.
 * @session: its agent session, 0 if none.
 * @quarantined: refused everything from now on.
 * @comm: its command name.
 * @agent: its agent label, "" if none.
 * @profile: the executable whose learned profile its calls are checked
 *	against or added to (owned), or NULL.
 * @v: the values of ps_fields[], in that order.
 * @has_classes: the module sent @classes (uapi 8).
 * @classes: its system calls by &enum tcpk_syscall_class.
 * @has_top: the module sent @top (uapi 8), maybe empty.
 * @ntop: entries of @top.
 * @top: its most frequent system calls, most frequent first.
 * @has_fileops: the module sent @fileops (uapi 8).
 * @fileops: its file operations.
 * @has_fileop_rate: the module sent @fileop_rate (uapi 8).
 * @fileop_rate: its file operations per second.
 */
struct ps_entry {
	uint32_t pid;
	uint64_t session;
	bool quarantined;
	char comm[TCPK_AGENT_NAME_MAX];
	char agent[TCPK_AGENT_NAME_MAX];
	char *profile;
	uint64_t v[PS_NFIELDS];
	bool has_classes;
	uint64_t classes[__TCPK_SC_MAX];
	bool has_top;
	unsigned int ntop;
	struct ps_top top[TCPK_TOP_SYSCALLS];
	bool has_fileops;
	uint64_t fileops;
	bool has_fileop_rate;
	uint32_t fileop_rate;
};

/**
 * struct ps_list - processes from replies
 * @v: the entries.
 * @n: their number.
 */
struct ps_list {
	struct ps_entry *v;
	size_t n;
};

static void copy_str(char *dst, size_t len, const struct nlattr *nla)
{
	snprintf(dst, len, "%s", nla ? (const char *)nla_data(nla) : "");
}

/*
 * The uapi 8 attributes of a %TCPK_A_PROC nest @pt into @e.  Return: 0, or
 * -EBADMSG (reported) for a top list that is not whole pairs.
 */
static int parse_calls(struct nlattr **pt, struct ps_entry *e)
{
	const struct nlattr *a;
	unsigned int i;

	a = pt[TCPK_A_PROC_CLASSES];
	if (a) {
		/* Host order, maybe unaligned in the message. */
		memcpy(e->classes, nla_data(a), sizeof(e->classes));
		e->has_classes = true;
	}
	a = pt[TCPK_A_PROC_TOP_SYSCALLS];
	if (a) {
		int len = nla_len(a);

		if (len % (int)sizeof(struct ps_top)) {
			tp_err("ps: malformed proc: attribute %d: %d bytes, not pairs of u32",
			       TCPK_A_PROC_TOP_SYSCALLS, len);
			return -EBADMSG;
		}
		e->ntop = (unsigned int)len / sizeof(struct ps_top);
		if (e->ntop > TCPK_TOP_SYSCALLS)
			e->ntop = TCPK_TOP_SYSCALLS;
		for (i = 0; i < e->ntop; i++)
			memcpy(&e->top[i], (const char *)nla_data(a) +
			       i * sizeof(struct ps_top), sizeof(struct ps_top));
		e->has_top = true;
	}
	if (pt[TCPK_A_PROC_FILEOPS]) {
		e->fileops = nla_get_u64(pt[TCPK_A_PROC_FILEOPS]);
		e->has_fileops = true;
	}
	if (pt[TCPK_A_PROC_FILEOP_RATE]) {
		e->fileop_rate = nla_get_u32(pt[TCPK_A_PROC_FILEOP_RATE]);
		e->has_fileop_rate = true;
	}
	return 0;
}

static int parse_procs(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct ps_list *l = arg;
	struct nlattr *nla;
	size_t i;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, "ps",
			  "reply");
	if (err)
		return err;
	nla_for_each_attr(nla, attrs, len, rem) {
		struct nlattr *pt[TCPK_A_PROC_MAX + 1];
		struct ps_entry *e;

		if (nla_type(nla) != TCPK_A_PROC)
			continue;
		err = tp_nl_parse(pt, TCPK_A_PROC_MAX, nla_data(nla),
				  nla_len(nla), proc_policy, "ps", "proc");
		if (err)
			return err;
		if (!pt[TCPK_A_PROC_PID]) {
			tp_err("ps: a process without a pid in the reply");
			return -EINVAL;
		}
		e = reallocarray(l->v, l->n + 1, sizeof(*e));
		if (!e) {
			tp_err("ps: %s", strerror(ENOMEM));
			return -ENOMEM;
		}
		l->v = e;
		e = &l->v[l->n++];
		memset(e, 0, sizeof(*e));
		e->pid = nla_get_u32(pt[TCPK_A_PROC_PID]);
		if (pt[TCPK_A_PROC_SESSION])
			e->session = nla_get_u64(pt[TCPK_A_PROC_SESSION]);
		if (pt[TCPK_A_PROC_QUARANTINED])
			e->quarantined = nla_get_u8(pt[TCPK_A_PROC_QUARANTINED]);
		copy_str(e->comm, sizeof(e->comm), pt[TCPK_A_PROC_COMM]);
		copy_str(e->agent, sizeof(e->agent), pt[TCPK_A_PROC_AGENT]);
		if (pt[TCPK_A_PROC_PROFILE]) {
			e->profile = strdup(nla_get_string(pt[TCPK_A_PROC_PROFILE]));
			if (!e->profile) {
				tp_err("ps: %s", strerror(ENOMEM));
				return -ENOMEM;
			}
		}
		for (i = 0; i < PS_NFIELDS; i++) {
			const struct nlattr *f = pt[ps_fields[i].attr];

			if (f)
				e->v[i] = ps_fields[i].u64 ? nla_get_u64(f) :
					  nla_get_u32(f);
		}
		err = parse_calls(pt, e);
		if (err)
			return err;
	}
	return 0;
}

/* The value of field @attr of @e. */
static uint64_t ps_value(const struct ps_entry *e, int attr)
{
	size_t i;

	for (i = 0; i < PS_NFIELDS; i++)
		if (ps_fields[i].attr == attr)
			return e->v[i];
	return 0;
}

/* Highest score first, then by pid. */
static int ps_cmp(const void *a, const void *b)
{
	const struct ps_entry *x = a, *y = b;
	uint64_t sx = ps_value(x, TCPK_A_PROC_SCORE);
	uint64_t sy = ps_value(y, TCPK_A_PROC_SCORE);

	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void ps_free(struct ps_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].profile);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Fetch one process (@pid non-zero) or all of them into @l. */
static int ps_fetch(struct tp_nl *nl, uint32_t pid, struct ps_list *l)
{
	struct tp_nl_ext ext = { 0 };
	struct nl_msg *msg;
	int attempt;

	for (attempt = 1; attempt <= TP_DUMP_ATTEMPTS; attempt++) {
		ps_free(l);
		msg = tp_nl_msg(nl, TCPK_CMD_PROC_GET, pid ? 0 : NLM_F_DUMP);
		if (!msg)
			return -1;
		if (pid && nla_put_u32(msg, TCPK_A_PID, pid) < 0) {
			tp_err("ps: cannot build the message");
			nlmsg_free(msg);
			return -1;
		}
		ext.quiet = true;
		if (tp_nl_request_ext(nl, msg, "ps", parse_procs, l, &ext)) {
			tp_nl_report("ps", pid ? "--pid" : NULL, &ext);
			return -1;
		}
		if (!ext.dump_intr)
			break;
	}
	/* Processes come and go: an interrupted last dump is still shown. */
	qsort(l->v, l->n, sizeof(*l->v), ps_cmp);
	return 0;
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

/*
 * Add the uapi 8 keys of @e to @o: fileops, fileops_per_s, classes and
 * top_syscalls, each only if the module sent it.
 */
static void ps_json_calls(struct json_object *o, const struct ps_entry *e)
{
	unsigned int i;

	if (e->has_fileops)
		json_object_object_add(o, "fileops",
				       json_object_new_uint64(e->fileops));
	if (e->has_fileop_rate)
		json_object_object_add(o, "fileops_per_s",
				       json_object_new_uint64(e->fileop_rate));
	if (e->has_classes) {
		struct json_object *c = json_object_new_object();

		for (i = 0; c && i < __TCPK_SC_MAX; i++)
			json_object_object_add(c, class_keys[i],
					       json_object_new_uint64(e->classes[i]));
		json_object_object_add(o, "classes", c);
	}
	if (e->has_top) {
		struct json_object *a = json_object_new_array();

		for (i = 0; a && i < e->ntop; i++) {
			struct json_object *t = json_object_new_object();
			const char *name = tp_syscall_name(e->top[i].nr);

			if (!t)
				break;
			json_object_object_add(t, "name", name ?
					       json_object_new_string(name) : NULL);
			json_object_object_add(t, "nr",
					       json_object_new_int64(e->top[i].nr));
			json_object_object_add(t, "count",
					       json_object_new_uint64(e->top[i].count));
			json_object_array_add(a, t);
		}
		json_object_object_add(o, "top_syscalls", a);
	}
}

static int ps_print_json(const struct ps_list *l)
{
	struct json_object *a = json_object_new_array();
	size_t i, k;
	int ret = TP_EXIT_FAIL;

	for (i = 0; a && i < l->n; i++) {
		const struct ps_entry *e = &l->v[i];
		struct json_object *o = json_object_new_object();

		if (!o)
			break;
		json_object_object_add(o, "pid", json_object_new_int64(e->pid));
		json_object_object_add(o, "comm",
				       json_object_new_string(e->comm));
		json_object_object_add(o, "agent", e->agent[0] ?
				       json_object_new_string(e->agent) : NULL);
		json_object_object_add(o, "session",
				       json_object_new_uint64(e->session));
		json_object_object_add(o, "quarantined",
				       json_object_new_boolean(e->quarantined));
		if (e->profile)
			json_object_object_add(o, "profile",
					       json_object_new_string(e->profile));
		for (k = 0; k < PS_NFIELDS; k++)
			json_object_object_add(o, ps_fields[k].key,
					       json_object_new_uint64(e->v[k]));
		ps_json_calls(o, e);
		json_object_array_add(a, o);
	}
	if (a && i == l->n && !tp_json_print(a))
		ret = TP_EXIT_OK;
	json_object_put(a);
	return ret;
}

/* @e's top calls as "read:120,openat:33" in @buf, or "-" without any. */
static void format_top(const struct ps_entry *e, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;
	char num[16];

	snprintf(buf, len, "-");
	for (i = 0; i < e->ntop && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s:%" PRIu32,
				 i ? "," : "",
				 call_name(e->top[i].nr, num, sizeof(num)),
				 e->top[i].count);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/* The detail lines of @e's system calls by class and file operations. */
static void print_calls(const struct ps_entry *e)
{
	const char *sep = "";
	unsigned int i;

	printf("classes:");
	if (!e->has_classes)
		printf(" -");
	for (i = 0; e->has_classes && i < __TCPK_SC_MAX; i++) {
		if (!e->classes[i])
			continue;
		printf("%s %s %" PRIu64, sep, class_names[i], e->classes[i]);
		sep = ",";
	}
	if (e->has_classes && !*sep)
		printf(" none");
	printf("\n");
	if (e->has_fileops)
		printf("file operations: %" PRIu64 " (%" PRIu32 "/s)\n",
		       e->fileops, e->fileop_rate);
	else
		printf("file operations: -\n");
}

/*
 * The table; with @detail (ps --pid), the profile its calls are checked
 * against, the trigrams checked, its calls by class and its file
 * operations under it.
 */
static void ps_print_text(const struct ps_list *l, bool detail)
{
	size_t i;

	printf("%-8s %-16s %-12s %5s %9s %7s %6s %6s %7s %11s %6s %4s %4s %4s %7s %-11s %s\n",
	       "PID", "COMM", "AGENT", "SCORE", "SYSCALLS", "FAILED", "BURSTS",
	       "SYS/S", "CSW/S", "SENT", "LARGEW", "WX", "VIOL", "PAT", "LFC",
	       "STATE", "TOP");
	for (i = 0; i < l->n; i++) {
		const struct ps_entry *e = &l->v[i];
		char lfc[24], top[256];

		snprintf(lfc, sizeof(lfc), "%" PRIu64 "/%" PRIu64,
			 ps_value(e, TCPK_A_PROC_LFC),
			 ps_value(e, TCPK_A_PROC_LFC_PEAK));
		format_top(e, top, sizeof(top));
		printf("%-8" PRIu32 " %-16s %-12s %5" PRIu64 " %9" PRIu64
		       " %7" PRIu64 " %6" PRIu64 " %6" PRIu64 " %7" PRIu64
		       " %11" PRIu64 " %6" PRIu64 " %4" PRIu64 " %4" PRIu64
		       " %4" PRIu64 " %7s %-11s %s\n",
		       e->pid, e->comm, e->agent[0] ? e->agent : "-",
		       ps_value(e, TCPK_A_PROC_SCORE),
		       ps_value(e, TCPK_A_PROC_SYSCALLS),
		       ps_value(e, TCPK_A_PROC_FAILURES),
		       ps_value(e, TCPK_A_PROC_FAIL_BURSTS),
		       ps_value(e, TCPK_A_PROC_SYSCALL_RATE),
		       ps_value(e, TCPK_A_PROC_CTXSW_RATE),
		       ps_value(e, TCPK_A_PROC_BYTES_SENT),
		       ps_value(e, TCPK_A_PROC_LARGE_WRITES),
		       ps_value(e, TCPK_A_PROC_WX),
		       ps_value(e, TCPK_A_PROC_VIOLATIONS),
		       ps_value(e, TCPK_A_PROC_PATTERNS), lfc,
		       e->quarantined ? "quarantined" : "tracked", top);
	}
	for (i = 0; detail && i < l->n; i++) {
		const struct ps_entry *e = &l->v[i];

		printf("\nprofile: %s\n", e->profile ? e->profile : "-");
		if (e->profile)
			printf("trigrams: %" PRIu64 " checked, %" PRIu64
			       " novel\n", ps_value(e, TCPK_A_PROC_TRIGRAMS),
			       ps_value(e, TCPK_A_PROC_NOVEL));
		print_calls(e);
	}
}

/**
 * struct ps_watch - context of ps_screen()
 * @nl: the socket.
 * @pid: the process to show, 0 for all.
 * @every: seconds between two screens.
 * @l: the processes, fetched again for each screen.
 */
struct ps_watch {
	struct tp_nl *nl;
	uint32_t pid;
	uint32_t every;
	struct ps_list *l;
};

/* One screen of --watch, for tp_watch(). */
static int ps_screen(void *arg)
{
	struct ps_watch *w = arg;

	if (ps_fetch(w->nl, w->pid, w->l))
		return -1;
	printf(TP_WATCH_CLEAR TP_NAME " ps: %zu tracked, every %" PRIu32 " s\n\n",
	       w->l->n, w->every);
	ps_print_text(w->l, w->pid);
	return 0;
}

static void usage(void)
{
	printf("Usage: " TP_NAME " ps [-j] [--pid=PID] [--watch[=SECONDS] [--count=N]]\n"
	       "\n"
	       "Show the processes the module tracks (agents and their descendants,\n"
	       "processes with a decision history, W+X memory or quarantined), highest\n"
	       "anomaly score first: score, system calls, failing system calls and\n"
	       "failure bursts, rates per second (moving averages), bytes sent,\n"
	       "large writes, W+X requests, violations, system call patterns\n"
	       "completed (PAT) and the locality frame count against its learned\n"
	       "profile, now/peak (LFC), and its most frequent system calls (TOP).\n"
	       "--pid shows one process, with its profile, its system calls by class\n"
	       "and its file operations (exit 1 if it is not tracked).  --watch refreshes the screen every\n"
	       "SECONDS (default 2) like top, N times (default: until interrupted).\n"
	       "Needs CAP_NET_ADMIN.\n");
}

/**
 * tp_cmd_ps() - "tcp-policy ps"
 * @argc: argument count, argv[0] being "ps".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_ps(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "pid",	required_argument,	NULL, 'P' },
		{ "watch",	optional_argument,	NULL, 'w' },
		{ "count",	required_argument,	NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t pid = 0, watch = 0, count = 0;
	struct ps_list l = { 0 };
	struct ps_watch w;
	int opt, ret = TP_EXIT_FAIL;
	struct tp_nl nl;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "hjpP:w::c:", longopts,
				  NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return TP_EXIT_OK;
		case 'P':
			if (tp_parse_u32(optarg, &pid) || !pid) {
				tp_err("ps: --pid=%s: not a process id", optarg);
				return TP_EXIT_USAGE;
			}
			break;
		case 'w':
			watch = 2;
			if (optarg && (tp_parse_u32(optarg, &watch) || !watch ||
				       watch > 86400)) {
				tp_err("ps: --watch=%s: not a number of seconds from 1 to 86400",
				       optarg);
				return TP_EXIT_USAGE;
			}
			break;
		case 'c':
			if (tp_parse_u32(optarg, &count) || !count) {
				tp_err("ps: --count=%s: not a number from 1",
				       optarg);
				return TP_EXIT_USAGE;
			}
			break;
		default:
			return tp_bad_option("ps", "hjpP:w::c:", argc, argv);
		}
	}
	if (optind < argc)
		return tp_bad_argument("ps", argv[optind]);
	if (count && !watch) {
		tp_err("ps: --count goes with --watch");
		return TP_EXIT_USAGE;
	}
	if (watch && tp_opts.json) {
		tp_err("ps: --watch shows a screen; use --json without it");
		return TP_EXIT_USAGE;
	}

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	if (!watch) {
		if (!ps_fetch(&nl, pid, &l)) {
			if (tp_opts.json) {
				ret = ps_print_json(&l);
			} else {
				ps_print_text(&l, pid);
				ret = TP_EXIT_OK;
			}
		}
		goto out;
	}
	w = (struct ps_watch){ .nl = &nl, .pid = pid, .every = watch, .l = &l };
	ret = tp_watch(watch, count, ps_screen, &w);
out:
	tp_nl_close(&nl);
	ps_free(&l);
	return ret;
}
