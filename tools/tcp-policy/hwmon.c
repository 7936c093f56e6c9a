// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - "hwmon": the hardware monitors and the processes they watch */

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

#define HWMON_SHORTOPTS	"hjpP:w::c:"

static const struct nla_policy reply_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_HWMON]		= { .type = NLA_NESTED },
	[TCPK_A_HWMON_TASK]	= { .type = NLA_NESTED },
};

static const struct nla_policy mon_policy[TCPK_A_HWMON_MAX + 1] = {
	[TCPK_A_HWMON_ID]		= { .type = NLA_U32 },
	[TCPK_A_HWMON_NAME]		= { .type = NLA_STRING },
	[TCPK_A_HWMON_ENABLED]		= { .type = NLA_U8 },
	[TCPK_A_HWMON_AVAILABLE]	= { .type = NLA_U8 },
	[TCPK_A_HWMON_REASON]		= { .type = NLA_STRING },
	[TCPK_A_HWMON_TASKS]		= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_LIMIT]	= { .type = NLA_U32 },
	[TCPK_A_HWMON_HARDWARE]		= { .type = NLA_U8 },
};

static const struct nla_policy task_policy[TCPK_A_HWMON_TASK_MAX + 1] = {
	[TCPK_A_HWMON_TASK_PAD]			= { .type = NLA_UNSPEC },
	[TCPK_A_HWMON_TASK_PID]			= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_COMM]		= { .type = NLA_STRING },
	[TCPK_A_HWMON_TASK_TASK_CLOCK]		= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_CONTEXT_SWITCHES]	= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_PAGE_FAULTS]		= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_INSTRUCTIONS]	= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_CYCLES]		= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_BRANCH_MISSES]	= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_CACHE_MISSES]	= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_CPU_PM]		= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_IPC_Q8]		= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_BRANCH_MPKI_Q8]	= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_CACHE_MPKI_Q8]	= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_FAULT_RATE]		= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_CTXSW_RATE]		= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_OVERFLOWS]		= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_PERIODS]		= { .type = NLA_U64 },
	[TCPK_A_HWMON_TASK_BUSY_MS]		= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_POINTS]		= { .type = NLA_U32 },
	[TCPK_A_HWMON_TASK_SHSTK]		= { .type = NLA_U8 },
	[TCPK_A_HWMON_TASK_CP_FAULTS]		= { .type = NLA_U64 },
};

/* The width of a value of a %TCPK_A_HWMON_TASK nest. */
enum hwmon_type {
	HWMON_U32,
	HWMON_U64,
	HWMON_BOOL,	/* a u8, true or false in JSON */
};

/**
 * struct hwmon_field - one numeric attribute of a %TCPK_A_HWMON_TASK nest
 * @attr: its type.
 * @key: its JSON key, its name in the YNL spec.
 * @type: its width.
 */
struct hwmon_field {
	int attr;
	const char *key;
	enum hwmon_type type;
};

/* After pid and comm, every attribute, in the order of the JSON output. */
static const struct hwmon_field task_fields[] = {
	{ TCPK_A_HWMON_TASK_TASK_CLOCK,		"task-clock",	  HWMON_U64 },
	{ TCPK_A_HWMON_TASK_CONTEXT_SWITCHES,	"context-switches", HWMON_U64 },
	{ TCPK_A_HWMON_TASK_PAGE_FAULTS,	"page-faults",	  HWMON_U64 },
	{ TCPK_A_HWMON_TASK_INSTRUCTIONS,	"instructions",	  HWMON_U64 },
	{ TCPK_A_HWMON_TASK_CYCLES,		"cycles",	  HWMON_U64 },
	{ TCPK_A_HWMON_TASK_BRANCH_MISSES,	"branch-misses",  HWMON_U64 },
	{ TCPK_A_HWMON_TASK_CACHE_MISSES,	"cache-misses",	  HWMON_U64 },
	{ TCPK_A_HWMON_TASK_CPU_PM,		"cpu-pm",	  HWMON_U32 },
	{ TCPK_A_HWMON_TASK_IPC_Q8,		"ipc-q8",	  HWMON_U32 },
	{ TCPK_A_HWMON_TASK_BRANCH_MPKI_Q8,	"branch-mpki-q8", HWMON_U32 },
	{ TCPK_A_HWMON_TASK_CACHE_MPKI_Q8,	"cache-mpki-q8",  HWMON_U32 },
	{ TCPK_A_HWMON_TASK_FAULT_RATE,		"fault-rate",	  HWMON_U32 },
	{ TCPK_A_HWMON_TASK_CTXSW_RATE,		"ctxsw-rate",	  HWMON_U32 },
	{ TCPK_A_HWMON_TASK_OVERFLOWS,		"overflows",	  HWMON_U64 },
	{ TCPK_A_HWMON_TASK_PERIODS,		"periods",	  HWMON_U64 },
	{ TCPK_A_HWMON_TASK_BUSY_MS,	"busy-ms",	  HWMON_U32 },
	{ TCPK_A_HWMON_TASK_POINTS,		"points",	  HWMON_U32 },
	{ TCPK_A_HWMON_TASK_SHSTK,		"shstk",	  HWMON_BOOL },
	{ TCPK_A_HWMON_TASK_CP_FAULTS,		"cp-faults",	  HWMON_U64 },
};

#define HWMON_NFIELDS	(sizeof(task_fields) / sizeof(task_fields[0]))

/**
 * struct hwmon_mon - one monitor, a %TCPK_A_HWMON nest
 * @id: &enum tcpk_hwmon; may be one this tool does not know.
 * @name: its name.
 * @enabled: the administrator enabled it.
 * @available: it works here and is running.
 * @reason: why it is not available, or what was detected (owned).
 * @has_tasks: @tasks is set.
 * @tasks: tasks it watches now.
 * @has_limit: @limit is set.
 * @limit: the most tasks the monitors watch at once.
 * @has_hardware: @hardware is set.
 * @hardware: its hardware part works.
 */
struct hwmon_mon {
	uint32_t id;
	char name[32];
	bool enabled;
	bool available;
	char *reason;
	bool has_tasks;
	uint32_t tasks;
	bool has_limit;
	uint32_t limit;
	bool has_hardware;
	bool hardware;
};

/**
 * struct hwmon_task - one watched process, a %TCPK_A_HWMON_TASK nest
 * @pid: its tgid.
 * @comm: its command name.
 * @has: which of @v the module sent.
 * @v: the values of task_fields[], in that order.
 */
struct hwmon_task {
	uint32_t pid;
	char comm[TCPK_AGENT_NAME_MAX];
	bool has[HWMON_NFIELDS];
	uint64_t v[HWMON_NFIELDS];
};

/**
 * struct hwmon_state - what one screen shows
 * @pid: only this process's row, 0 for all.
 * @mons: the monitors, in the module's order.
 * @nmons: their number.
 * @tasks: the watched processes, highest CPU share first after sorting.
 * @ntasks: their number.
 */
struct hwmon_state {
	uint32_t pid;
	struct hwmon_mon *mons;
	size_t nmons;
	struct hwmon_task *tasks;
	size_t ntasks;
};

/* --- replies ------------------------------------------------------------ */

static int missing(const char *where, const char *attr)
{
	tp_err("hwmon: malformed %s: no %s", where, attr);
	return -EBADMSG;
}

static int parse_mon(struct hwmon_state *st, struct nlattr *nest)
{
	struct nlattr *mt[TCPK_A_HWMON_MAX + 1];
	struct hwmon_mon *m;
	const char *reason;
	int err;

	err = tp_nl_parse(mt, TCPK_A_HWMON_MAX, nla_data(nest), nla_len(nest),
			  mon_policy, "hwmon", "hwmon");
	if (err)
		return err;
	if (!mt[TCPK_A_HWMON_ID])
		return missing("hwmon", "TCPK_A_HWMON_ID");
	if (!mt[TCPK_A_HWMON_NAME])
		return missing("hwmon", "TCPK_A_HWMON_NAME");
	if (!mt[TCPK_A_HWMON_ENABLED])
		return missing("hwmon", "TCPK_A_HWMON_ENABLED");
	if (!mt[TCPK_A_HWMON_AVAILABLE])
		return missing("hwmon", "TCPK_A_HWMON_AVAILABLE");

	m = reallocarray(st->mons, st->nmons + 1, sizeof(*m));
	if (!m) {
		tp_err("hwmon: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	st->mons = m;
	m = &st->mons[st->nmons++];
	memset(m, 0, sizeof(*m));

	m->id = nla_get_u32(mt[TCPK_A_HWMON_ID]);
	snprintf(m->name, sizeof(m->name), "%s",
		 nla_get_string(mt[TCPK_A_HWMON_NAME]));
	m->enabled = nla_get_u8(mt[TCPK_A_HWMON_ENABLED]) != 0;
	m->available = nla_get_u8(mt[TCPK_A_HWMON_AVAILABLE]) != 0;
	/* Documented as always present; an absent reason reads as empty. */
	reason = mt[TCPK_A_HWMON_REASON] ?
		 nla_get_string(mt[TCPK_A_HWMON_REASON]) : "";
	m->reason = strdup(reason);
	if (!m->reason) {
		tp_err("hwmon: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	m->has_tasks = mt[TCPK_A_HWMON_TASKS];
	if (m->has_tasks)
		m->tasks = nla_get_u32(mt[TCPK_A_HWMON_TASKS]);
	m->has_limit = mt[TCPK_A_HWMON_TASK_LIMIT];
	if (m->has_limit)
		m->limit = nla_get_u32(mt[TCPK_A_HWMON_TASK_LIMIT]);
	m->has_hardware = mt[TCPK_A_HWMON_HARDWARE];
	if (m->has_hardware)
		m->hardware = nla_get_u8(mt[TCPK_A_HWMON_HARDWARE]) != 0;
	return 0;
}

static int parse_task(struct hwmon_state *st, struct nlattr *nest)
{
	struct nlattr *tt[TCPK_A_HWMON_TASK_MAX + 1];
	struct hwmon_task *t;
	uint32_t pid;
	size_t i;
	int err;

	err = tp_nl_parse(tt, TCPK_A_HWMON_TASK_MAX, nla_data(nest),
			  nla_len(nest), task_policy, "hwmon", "hwmon-task");
	if (err)
		return err;
	if (!tt[TCPK_A_HWMON_TASK_PID])
		return missing("hwmon-task", "TCPK_A_HWMON_TASK_PID");
	pid = nla_get_u32(tt[TCPK_A_HWMON_TASK_PID]);
	if (st->pid && pid != st->pid)
		return 0;

	t = reallocarray(st->tasks, st->ntasks + 1, sizeof(*t));
	if (!t) {
		tp_err("hwmon: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	st->tasks = t;
	t = &st->tasks[st->ntasks++];
	memset(t, 0, sizeof(*t));

	t->pid = pid;
	snprintf(t->comm, sizeof(t->comm), "%s", tt[TCPK_A_HWMON_TASK_COMM] ?
		 nla_get_string(tt[TCPK_A_HWMON_TASK_COMM]) : "");
	for (i = 0; i < HWMON_NFIELDS; i++) {
		const struct nlattr *f = tt[task_fields[i].attr];

		if (!f)
			continue;
		t->has[i] = true;
		switch (task_fields[i].type) {
		case HWMON_U64:
			t->v[i] = nla_get_u64(f);
			break;
		case HWMON_U32:
			t->v[i] = nla_get_u32(f);
			break;
		case HWMON_BOOL:
			t->v[i] = nla_get_u8(f) != 0;
			break;
		}
	}
	return 0;
}

/*
 * A reply: the do's carries one %TCPK_A_HWMON nest per monitor, each
 * message of the dump %TCPK_A_HWMON_TASK nests.  Both repeat: walk the
 * stream, not the index.
 */
static int parse_reply(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct hwmon_state *st = arg;
	struct nlattr *nla;
	int rem, err;

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, reply_policy, "hwmon",
			  "reply");
	if (err)
		return err;
	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) == TCPK_A_HWMON)
			err = parse_mon(st, nla);
		else if (nla_type(nla) == TCPK_A_HWMON_TASK)
			err = parse_task(st, nla);
		if (err)
			return err;
	}
	return 0;
}

static void free_mons(struct hwmon_state *st)
{
	size_t i;

	for (i = 0; i < st->nmons; i++)
		free(st->mons[i].reason);
	free(st->mons);
	st->mons = NULL;
	st->nmons = 0;
}

/* Empties the task list; tp_nl_dump() calls it before each attempt. */
static void reset_tasks(void *arg)
{
	struct hwmon_state *st = arg;

	free(st->tasks);
	st->tasks = NULL;
	st->ntasks = 0;
}

/* The value of field @attr of @t in @v; false if the module sent none. */
static bool task_value(const struct hwmon_task *t, int attr, uint64_t *v)
{
	size_t i;

	for (i = 0; i < HWMON_NFIELDS; i++) {
		if (task_fields[i].attr != attr)
			continue;
		*v = t->v[i];
		return t->has[i];
	}
	*v = 0;
	return false;
}

/* Highest CPU share first, then by pid. */
static int task_cmp(const void *a, const void *b)
{
	const struct hwmon_task *x = a, *y = b;
	uint64_t cx, cy;

	task_value(x, TCPK_A_HWMON_TASK_CPU_PM, &cx);
	task_value(y, TCPK_A_HWMON_TASK_CPU_PM, &cy);
	if (cx != cy)
		return cx > cy ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/*
 * The monitors (do), then the watched processes (dump) into @st.
 * Return: 0, or -1 after a message.
 */
static int hwmon_fetch(struct tp_nl *nl, struct hwmon_state *st)
{
	struct nl_msg *msg;

	free_mons(st);
	msg = tp_nl_msg(nl, TCPK_CMD_HWMON_GET, 0);
	if (!msg)
		return -1;
	if (tp_nl_request(nl, msg, "hwmon", parse_reply, st))
		return -1;
	if (tp_nl_dump(nl, TCPK_CMD_HWMON_GET, "hwmon", "the watched tasks",
		       parse_reply, st, reset_tasks))
		return -1;
	qsort(st->tasks, st->ntasks, sizeof(*st->tasks), task_cmp);
	return 0;
}

/* --- text --------------------------------------------------------------- */

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static void print_mons(const struct hwmon_state *st)
{
	int wname = (int)strlen("NAME");
	size_t i;

	if (!st->nmons) {
		printf("no hardware monitor reported\n");
		return;
	}
	for (i = 0; i < st->nmons; i++)
		if ((int)strlen(st->mons[i].name) > wname)
			wname = (int)strlen(st->mons[i].name);
	printf("%-*s  %-7s  %-9s  %-8s  %-7s  %s\n", wname, "NAME", "ENABLED",
	       "AVAILABLE", "HARDWARE", "TASKS", "REASON");
	for (i = 0; i < st->nmons; i++) {
		const struct hwmon_mon *m = &st->mons[i];
		char tasks[24];

		if (m->has_tasks && m->has_limit)
			snprintf(tasks, sizeof(tasks), "%" PRIu32 "/%" PRIu32,
				 m->tasks, m->limit);
		else if (m->has_tasks)
			snprintf(tasks, sizeof(tasks), "%" PRIu32, m->tasks);
		else
			snprintf(tasks, sizeof(tasks), "-");
		printf("%-*s  %-7s  %-9s  %-8s  %-7s  %s\n", wname, m->name,
		       yes_no(m->enabled), yes_no(m->available),
		       m->has_hardware ? yes_no(m->hardware) : "-", tasks,
		       m->reason[0] ? m->reason : "-");
	}
}

/* Field @attr of @t as a decimal integer in @buf, or "-" if absent. */
static const char *fmt_u64(const struct hwmon_task *t, int attr, char *buf,
			   size_t len)
{
	uint64_t v;

	if (!task_value(t, attr, &v))
		return "-";
	snprintf(buf, len, "%" PRIu64, v);
	return buf;
}

/* Field @attr of @t, a Q8 value, with two decimals in @buf, or "-". */
static const char *fmt_q8(const struct hwmon_task *t, int attr, char *buf,
			  size_t len)
{
	uint64_t v;

	if (!task_value(t, attr, &v))
		return "-";
	snprintf(buf, len, "%.2f", (double)v / 256.0);
	return buf;
}

static void print_task(const struct hwmon_task *t)
{
	char cpu[24], clk[24], csw[24], flt[24], ipc[24], br[24], llc[24];
	char ovf[24], busy[24], pts[24], cp[24];
	const char *shstk = "-";
	uint64_t v;

	if (task_value(t, TCPK_A_HWMON_TASK_CPU_PM, &v))
		snprintf(cpu, sizeof(cpu), "%" PRIu64 ".%" PRIu64 "%%",
			 v / 10, v % 10);
	else
		snprintf(cpu, sizeof(cpu), "-");
	if (task_value(t, TCPK_A_HWMON_TASK_TASK_CLOCK, &v))
		snprintf(clk, sizeof(clk), "%" PRIu64, v / 1000000);
	else
		snprintf(clk, sizeof(clk), "-");
	if (task_value(t, TCPK_A_HWMON_TASK_SHSTK, &v))
		shstk = v ? "on" : "off";
	printf("%-8" PRIu32 " %-16s %7s %10s %9s %9s %5s %7s %8s %8s %7s %6s %-5s %s\n",
	       t->pid, t->comm, cpu, clk,
	       fmt_u64(t, TCPK_A_HWMON_TASK_CONTEXT_SWITCHES, csw, sizeof(csw)),
	       fmt_u64(t, TCPK_A_HWMON_TASK_PAGE_FAULTS, flt, sizeof(flt)),
	       fmt_q8(t, TCPK_A_HWMON_TASK_IPC_Q8, ipc, sizeof(ipc)),
	       fmt_q8(t, TCPK_A_HWMON_TASK_BRANCH_MPKI_Q8, br, sizeof(br)),
	       fmt_q8(t, TCPK_A_HWMON_TASK_CACHE_MPKI_Q8, llc, sizeof(llc)),
	       fmt_u64(t, TCPK_A_HWMON_TASK_OVERFLOWS, ovf, sizeof(ovf)),
	       fmt_u64(t, TCPK_A_HWMON_TASK_BUSY_MS, busy, sizeof(busy)),
	       fmt_u64(t, TCPK_A_HWMON_TASK_POINTS, pts, sizeof(pts)), shstk,
	       fmt_u64(t, TCPK_A_HWMON_TASK_CP_FAULTS, cp, sizeof(cp)));
}

/* The monitors, a blank line, then the watched processes. */
static void print_text(const struct hwmon_state *st)
{
	size_t i;

	print_mons(st);
	printf("\n");
	if (!st->ntasks) {
		if (st->pid)
			printf("process %" PRIu32 " is not watched\n", st->pid);
		else
			printf("no task is watched\n");
		return;
	}
	printf("%-8s %-16s %7s %10s %9s %9s %5s %7s %8s %8s %7s %6s %-5s %s\n",
	       "PID", "COMM", "CPU", "TASK-CLOCK", "CTXSW", "FAULTS", "IPC",
	       "BR-MPKI", "LLC-MPKI", "OVF", "BUSY", "POINTS", "SHSTK", "CP");
	for (i = 0; i < st->ntasks; i++)
		print_task(&st->tasks[i]);
}

/* --- JSON --------------------------------------------------------------- */

static struct json_object *mon_json(const struct hwmon_mon *m)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "id", json_object_new_int64(m->id));
	json_object_object_add(o, "name", json_object_new_string(m->name));
	json_object_object_add(o, "enabled",
			       json_object_new_boolean(m->enabled));
	json_object_object_add(o, "available",
			       json_object_new_boolean(m->available));
	json_object_object_add(o, "reason", json_object_new_string(m->reason));
	if (m->has_tasks)
		json_object_object_add(o, "tasks",
				       json_object_new_int64(m->tasks));
	if (m->has_limit)
		json_object_object_add(o, "task-limit",
				       json_object_new_int64(m->limit));
	if (m->has_hardware)
		json_object_object_add(o, "hardware",
				       json_object_new_boolean(m->hardware));
	return o;
}

static struct json_object *task_json(const struct hwmon_task *t)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	if (!o)
		return NULL;
	json_object_object_add(o, "pid", json_object_new_int64(t->pid));
	json_object_object_add(o, "comm", json_object_new_string(t->comm));
	for (i = 0; i < HWMON_NFIELDS; i++) {
		if (!t->has[i])
			continue;
		json_object_object_add(o, task_fields[i].key,
				       task_fields[i].type == HWMON_BOOL ?
				       json_object_new_boolean(t->v[i] != 0) :
				       json_object_new_uint64(t->v[i]));
	}
	return o;
}

static int print_json(const struct hwmon_state *st)
{
	struct json_object *root = json_object_new_object();
	struct json_object *mons = json_object_new_array();
	struct json_object *tasks = json_object_new_array();
	struct json_object *o;
	int ret = TP_EXIT_FAIL;
	size_t i;

	for (i = 0; mons && i < st->nmons; i++) {
		o = mon_json(&st->mons[i]);
		if (!o || json_object_array_add(mons, o)) {
			json_object_put(o);
			goto out;
		}
	}
	for (i = 0; tasks && i < st->ntasks; i++) {
		o = task_json(&st->tasks[i]);
		if (!o || json_object_array_add(tasks, o)) {
			json_object_put(o);
			goto out;
		}
	}
	if (!root || !mons || !tasks)
		goto out;
	json_object_object_add(root, "monitors", mons);
	json_object_object_add(root, "tasks", tasks);
	mons = NULL;
	tasks = NULL;
	if (!tp_json_print(root))
		ret = TP_EXIT_OK;
	json_object_put(root);
	return ret;
out:
	tp_err("hwmon: %s", strerror(ENOMEM));
	json_object_put(root);
	json_object_put(mons);
	json_object_put(tasks);
	return ret;
}

/* --- command ------------------------------------------------------------ */

/**
 * struct hwmon_watch - context of hwmon_screen()
 * @nl: the socket.
 * @st: the state, fetched again for each screen.
 * @every: seconds between two screens.
 */
struct hwmon_watch {
	struct tp_nl *nl;
	struct hwmon_state *st;
	uint32_t every;
};

/* One screen of --watch, for tp_watch(). */
static int hwmon_screen(void *arg)
{
	struct hwmon_watch *w = arg;

	if (hwmon_fetch(w->nl, w->st))
		return -1;
	printf(TP_WATCH_CLEAR TP_NAME " hwmon: %zu watched, every %" PRIu32 " s\n\n",
	       w->st->ntasks, w->every);
	print_text(w->st);
	return 0;
}

static void usage(void)
{
	printf("Usage: " TP_NAME " hwmon [-j] [--pid=PID] [--watch[=SECONDS] [--count=N]]\n"
	       "\n"
	       "Show the hardware monitors (perf: per-task performance counters;\n"
	       "intel_pt: Intel Processor Trace; cet: Control-flow Enforcement\n"
	       "Technology): whether each is enabled, available and has its hardware\n"
	       "part, the tasks watched and the most watched at once, and the module's\n"
	       "reason.  Then the processes the monitors watch, highest CPU share\n"
	       "first: CPU share over the last period (per mille of one CPU, shown in\n"
	       "percent), CPU time in ms (TASK-CLOCK), context switches (CTXSW), page\n"
	       "faults (FAULTS), instructions per cycle (IPC), branch and last-level\n"
	       "cache misses per 1000 instructions (BR-MPKI, LLC-MPKI), overflows of\n"
	       "the sampling counter (OVF), how long in ms it has been busy without a\n"
	       "break (BUSY), anomaly score points given (POINTS), its user shadow\n"
	       "stack (SHSTK) and control-protection faults (CP).  Hardware columns\n"
	       "are - without a PMU.\n"
	       "--pid shows one process (exit 1 if it is not watched).  --watch\n"
	       "refreshes the screen every SECONDS (default 2) like top, N times\n"
	       "(default: until interrupted).\n"
	       "Needs CAP_NET_ADMIN.\n");
}

/**
 * tp_cmd_hwmon() - "tcp-policy hwmon"
 * @argc: argument count, argv[0] being "hwmon".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_hwmon(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ "pid",	required_argument,	NULL, 'P' },
		{ "watch",	optional_argument,	NULL, 'w' },
		{ "count",	required_argument,	NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t watch = 0, count = 0;
	struct hwmon_state st = { 0 };
	int opt, ret = TP_EXIT_FAIL;
	struct hwmon_watch w;
	struct tp_nl nl;

	optind = 0;
	while ((opt = getopt_long(argc, argv, HWMON_SHORTOPTS, longopts,
				  NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		switch (opt) {
		case 'h':
			usage();
			return TP_EXIT_OK;
		case 'P':
			if (tp_parse_u32(optarg, &st.pid) || !st.pid) {
				tp_err("hwmon: --pid=%s: not a process id",
				       optarg);
				return TP_EXIT_USAGE;
			}
			break;
		case 'w':
			watch = 2;
			if (optarg && (tp_parse_u32(optarg, &watch) || !watch ||
				       watch > 86400)) {
				tp_err("hwmon: --watch=%s: not a number of seconds from 1 to 86400",
				       optarg);
				return TP_EXIT_USAGE;
			}
			break;
		case 'c':
			if (tp_parse_u32(optarg, &count) || !count) {
				tp_err("hwmon: --count=%s: not a number from 1",
				       optarg);
				return TP_EXIT_USAGE;
			}
			break;
		default:
			return tp_bad_option("hwmon", HWMON_SHORTOPTS, argc,
					     argv);
		}
	}
	if (optind < argc)
		return tp_bad_argument("hwmon", argv[optind]);
	if (count && !watch) {
		tp_err("hwmon: --count goes with --watch");
		return TP_EXIT_USAGE;
	}
	if (watch && tp_opts.json) {
		tp_err("hwmon: --watch shows a screen; use --json without it");
		return TP_EXIT_USAGE;
	}

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;
	if (watch) {
		w = (struct hwmon_watch){ .nl = &nl, .st = &st, .every = watch };
		ret = tp_watch(watch, count, hwmon_screen, &w);
		goto out;
	}
	if (hwmon_fetch(&nl, &st))
		goto out;
	if (st.pid && !st.ntasks) {
		tp_err("hwmon: process %" PRIu32 " is not watched", st.pid);
		goto out;
	}
	if (tp_opts.json) {
		ret = print_json(&st);
	} else {
		print_text(&st);
		ret = TP_EXIT_OK;
	}
out:
	tp_nl_close(&nl);
	free_mons(&st);
	reset_tasks(&st);
	return ret;
}
