// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the policy engine
 *
 * Each case runs on a fresh engine: init sets it up (with a fixed cache
 * key, so that the cache behaves the same on every run), exit tears it
 * down and waits for its RCU callbacks.  The engine's calls into the
 * per-process table are redirected to doubles in this file (the #defines
 * before the #include), so quarantine and records are observed exactly
 * whatever policy/proc.c does; events go to the doubles of kunit/fakes.c.
 *
 * Decisions that must meet the same CPU's cache are taken with preemption
 * disabled (the engine allows any context), and checked afterwards.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/preempt.h>
#include <linux/slab.h>

#include "fakes.h"

#define tcpk_proc_record tcpk_test_proc_record
#define tcpk_proc_quarantine tcpk_test_proc_quarantine
#define tcpk_proc_quarantined tcpk_test_proc_quarantined
#define tcpk_proc_violation tcpk_test_proc_violation
#define tcpk_proc_violations tcpk_test_proc_violations
#include "../policy/policy.c"
#include "../policy/decide.c"
#undef tcpk_proc_record
#undef tcpk_proc_quarantine
#undef tcpk_proc_quarantined
#undef tcpk_proc_violation
#undef tcpk_proc_violations

/* --- doubles of policy/proc.c --------------------------------------------- */

#define QUARANTINED_MAX	8

static struct {
	unsigned int records;
	unsigned int quarantines;
	struct tcpk_decision last;
	u32 last_pid;
	u32 quarantined[QUARANTINED_MAX];
	unsigned int n_quarantined;
	u32 violator;
	unsigned int violations;
	unsigned int other_violations;
} proc_fake;

/**
 * tcpk_test_proc_record() - double of tcpk_proc_record(): counts, keeps
 * the last decision
 * @req: the request.
 * @d: its decision.
 */
void tcpk_test_proc_record(const struct tcpk_request *req,
			   const struct tcpk_decision *d)
{
	proc_fake.records++;
	proc_fake.last = *d;
	proc_fake.last_pid = req->pid;
}

/**
 * tcpk_test_proc_quarantine() - double of tcpk_proc_quarantine(): counts,
 * remembers the pid
 * @pid: the process.
 */
void tcpk_test_proc_quarantine(u32 pid)
{
	proc_fake.quarantines++;
	if (proc_fake.n_quarantined < QUARANTINED_MAX)
		proc_fake.quarantined[proc_fake.n_quarantined++] = pid;
}

/**
 * tcpk_test_proc_quarantined() - double of tcpk_proc_quarantined()
 * @pid: the process.
 *
 * Return: whether tcpk_test_proc_quarantine() was called for @pid.
 */
bool tcpk_test_proc_quarantined(u32 pid)
{
	unsigned int i;

	for (i = 0; i < proc_fake.n_quarantined; i++)
		if (proc_fake.quarantined[i] == pid)
			return true;
	return false;
}

/**
 * tcpk_test_proc_violation() - double of tcpk_proc_violation(): counts
 * the violations of proc_fake.violator, and those of every other pid
 * @pid: the process.
 */
void tcpk_test_proc_violation(u32 pid)
{
	if (pid == proc_fake.violator)
		proc_fake.violations++;
	else
		proc_fake.other_violations++;
}

/**
 * tcpk_test_proc_violations() - double of tcpk_proc_violations()
 * @pid: the process.
 *
 * Return: the violations counted for @pid if it is proc_fake.violator,
 * else 0.
 */
unsigned int tcpk_test_proc_violations(u32 pid)
{
	return pid == proc_fake.violator ? proc_fake.violations : 0;
}

/* --- fixture and helpers ---------------------------------------------------- */

#define P(c)		BIT(TCPK_COND_##c)
#define F(f)		BIT(TCPK_DECISION_F_##f)
#define OPB(o)		BIT(TCPK_OP_##o)
#define DESC(f)		BIT(TCPK_DESC_##f)
#define ACC(a)		BIT(TCPK_ACCESS_##a)

/* Flags that tell how a decision was reached, not what it is. */
#define HOW_FLAGS	(F(CACHED) | F(FAST_PATH))

static const siphash_key_t test_key = {
	.key = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL },
};

static int policy_test_init(struct kunit *test)
{
	int err;

	tcpk_fake_events_reset();
	memset(&proc_fake, 0, sizeof(proc_fake));
	WRITE_ONCE(tcpk_security_level, TCPK_LEVEL_MONITOR);
	WRITE_ONCE(tcpk_alerts, true);
	WRITE_ONCE(tcpk_block_ops, TCPK_OPS_ALL);
	WRITE_ONCE(tcpk_max_rules, 4096);
	err = tcpk_policy_init();
	if (err)
		return err;
	tcpk_decider.key = test_key;
	return 0;
}

static void policy_test_exit(struct kunit *test)
{
	tcpk_fake_locked = false;
	tcpk_policy_exit();
	tcpk_decision_cache_size = 1024;
	WRITE_ONCE(tcpk_security_level, TCPK_LEVEL_MONITOR);
	WRITE_ONCE(tcpk_alerts, true);
	WRITE_ONCE(tcpk_block_ops, TCPK_OPS_ALL);
	WRITE_ONCE(tcpk_max_rules, 4096);
}

static void set_mode(u32 level, bool alerts, u32 block_ops)
{
	WRITE_ONCE(tcpk_security_level, level);
	WRITE_ONCE(tcpk_alerts, alerts);
	WRITE_ONCE(tcpk_block_ops, block_ops);
}

static struct tcpk_request req_of(u32 op)
{
	struct tcpk_request r = {
		.op = op,
		.pid = 1000,
		.uid = 1000,
		.gid = 1000,
		.syscall = -1,
		.target = TCPK_SCOPE_ANY,
		.comm = "test",
	};

	return r;
}

static struct tcpk_rule_spec spec_of(u32 action)
{
	struct tcpk_rule_spec s = {
		.priority = TCPK_RULE_PRIORITY_DEFAULT,
		.action = action,
	};

	return s;
}

static struct tcpk_rule *make_rule(struct kunit *test,
				   const struct tcpk_rule_spec *spec)
{
	const char *msg = NULL;
	struct tcpk_rule *rule = tcpk_rule_create(spec, &msg);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(rule), "create: %s", msg);
	return rule;
}

static u32 add_rule(struct kunit *test, const struct tcpk_rule_spec *spec)
{
	struct tcpk_rule *rule = make_rule(test, spec);
	const char *msg = NULL;
	u64 gen = 0;
	u32 id = 0;

	KUNIT_ASSERT_EQ_MSG(test, tcpk_policy_add(rule, &id, &gen, &msg), 0,
			    "add: %s", msg);
	KUNIT_EXPECT_EQ(test, gen, tcpk_policy_generation());
	return id;
}

/* A rule matching every request of @op, with @action, at @priority. */
static u32 add_op_rule(struct kunit *test, u32 op, u32 action, u32 priority)
{
	struct tcpk_rule_spec s = spec_of(action);

	s.present = P(OPS);
	s.ops = BIT(op);
	s.priority = priority;
	return add_rule(test, &s);
}

static int hits_fill(const struct tcpk_rule *rule,
		     const struct tcpk_rule_spec *spec, u64 hits, void *arg)
{
	*(u64 *)arg = hits;
	return 0;
}

static u64 rule_hits(struct kunit *test, u32 id)
{
	unsigned int pos = 0;
	u64 hits = U64_MAX, gen;

	KUNIT_EXPECT_EQ(test, tcpk_policy_rules_walk(&pos, &gen, id,
						     hits_fill, &hits), 0);
	return hits;
}

#define IDS_MAX	16

struct ids {
	unsigned int n;
	unsigned int limit;
	u32 id[IDS_MAX];
	u32 prio[IDS_MAX];
};

static int ids_fill(const struct tcpk_rule *rule,
		    const struct tcpk_rule_spec *spec, u64 hits, void *arg)
{
	struct ids *ids = arg;

	if (ids->n >= ids->limit || ids->n >= IDS_MAX)
		return -EMSGSIZE;
	ids->prio[ids->n] = spec->priority;
	ids->id[ids->n++] = spec->id;
	return 0;
}

static void walk_ids(struct kunit *test, struct ids *ids)
{
	unsigned int pos = 0;
	u64 gen;

	memset(ids, 0, sizeof(*ids));
	ids->limit = IDS_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_policy_rules_walk(&pos, &gen, 0, ids_fill,
						     ids), 0);
	KUNIT_EXPECT_EQ(test, pos, ids->n);
	KUNIT_EXPECT_EQ(test, gen, tcpk_policy_generation());
}

/* --- rules: validation, round trip ----------------------------------------- */

struct bad_case {
	const char *name;
	struct tcpk_rule_spec spec;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "no action", { .action = 0 },
	  "action: required, one of allow, monitor, alert, deny, kill, quarantine" },
	{ "action 7", { .action = 7 },
	  "action: required, one of allow, monitor, alert, deny, kill, quarantine" },
	{ "flags", { .action = 1, .flags = 2 }, "flags: unknown flag" },
	{ "condition 17", { .action = 1, .present = BIT(__TCPK_COND_MAX) },
	  "rule: unknown condition" },
	{ "pid 0", { .action = 1, .present = P(PID) }, "pid: must not be 0" },
	{ "cgroup 0", { .action = 1, .present = P(CGROUP) },
	  "cgroup: must not be 0" },
	{ "ops 0", { .action = 1, .present = P(OPS) },
	  "ops: no operation given" },
	{ "ops beyond the last", { .action = 1, .present = P(OPS),
				   .ops = BIT(__TCPK_OP_MAX) },
	  "ops: unknown operation" },
	{ "capability", { .action = 1, .present = P(CAPABILITY),
			  .capability = CAP_LAST_CAP + 1 },
	  "capability: not a capability (above CAP_LAST_CAP)" },
	{ "capability ops", { .action = 1, .present = P(CAPABILITY) | P(OPS),
			      .ops = OPB(EXEC) | OPB(PTRACE) },
	  "capability: the ops must include capable" },
	{ "target 3", { .action = 1, .present = P(TARGET_SCOPE),
			.target_scope = 3 },
	  "target_scope: not any, inside or outside" },
	{ "target ops", { .action = 1, .present = P(TARGET_SCOPE) | P(OPS),
			  .target_scope = 1, .ops = OPB(CAPABLE) },
	  "target_scope: the ops must include ptrace or signal" },
	{ "target capability", { .action = 1,
				 .present = P(TARGET_SCOPE) | P(CAPABILITY),
				 .target_scope = 1 },
	  "target_scope: not with capability" },
	{ "syscall none", { .action = 1, .present = P(SYSCALL) },
	  "syscall: no system call given" },
	{ "syscall 17", { .action = 1, .present = P(SYSCALL),
			  .n_syscalls = 17 },
	  "syscall: more than 16 system calls" },
	{ "syscall 1024", { .action = 1, .present = P(SYSCALL),
			    .n_syscalls = 2, .syscalls = { 59, 1024 } },
	  "syscall: number 1024 or above" },
	{ "desc_any 0", { .action = 1, .present = P(DESC_ANY) },
	  "desc_any: no flag given" },
	{ "desc_any 17", { .action = 1, .present = P(DESC_ANY),
			   .desc_any = BIT(17) },
	  "desc_any: unknown descriptor flag" },
	{ "desc_all 0", { .action = 1, .present = P(DESC_ALL) },
	  "desc_all: no flag given" },
	{ "desc_all 31", { .action = 1, .present = P(DESC_ALL),
			   .desc_all = BIT(31) | 1 },
	  "desc_all: unknown descriptor flag" },
	{ "access 0", { .action = 1, .present = P(ACCESS) },
	  "access: no access bit given" },
	{ "access 7", { .action = 1, .present = P(ACCESS), .access = BIT(7) },
	  "access: unknown access bit" },
	{ "path_scope 3", { .action = 1, .present = P(PATH_SCOPE),
			    .path_scope = 3 },
	  "path_scope: not any, inside or outside" },
	{ "comm missing", { .action = 1, .present = P(COMM) },
	  "comm: empty glob" },
	{ "comm empty", { .action = 1, .present = P(COMM), .comm = "" },
	  "comm: empty glob" },
	{ "exe set", { .action = 1, .present = P(EXE), .exe = "/bin/[ab" },
	  "exe: unterminated [ set in glob" },
	{ "path escape", { .action = 1, .present = P(PATH), .path = "/tmp\\" },
	  "path: glob ends in a lone backslash" },
	{ "agent range", { .action = 1, .present = P(AGENT),
			   .agent = "[z-a]" },
	  "agent: range in a [ set ends before it starts" },
};

static void rule_validation(struct kunit *test)
{
	char *long_glob = kunit_kzalloc(test, TCPK_RULE_GLOB_MAX + 1,
					GFP_KERNEL);
	struct tcpk_rule_spec s;
	struct tcpk_rule *rule;
	const char *msg;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, long_glob);
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		msg = NULL;
		rule = tcpk_rule_create(&bad_cases[i].spec, &msg);
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(rule), -EINVAL, "%s",
				    bad_cases[i].name);
		KUNIT_EXPECT_STREQ_MSG(test, msg ?: "(none)", bad_cases[i].msg,
				       "%s", bad_cases[i].name);
		if (!IS_ERR(rule))
			tcpk_rule_put(rule);
	}

	/* The length limits, each at the edge. */
	s = spec_of(TCPK_ACTION_DENY);
	s.present = P(COMM);
	s.comm = long_glob;
	memset(long_glob, 'a', TCPK_RULE_COMM_MAX - 1);
	tcpk_rule_put(make_rule(test, &s));
	long_glob[TCPK_RULE_COMM_MAX - 1] = 'a';
	KUNIT_EXPECT_EQ(test, PTR_ERR(tcpk_rule_create(&s, &msg)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, msg, "comm: glob longer than 63 bytes");

	s.present = P(AGENT);
	s.agent = long_glob;
	memset(long_glob, 0, TCPK_RULE_GLOB_MAX + 1);
	memset(long_glob, 'a', TCPK_AGENT_NAME_MAX - 1);
	tcpk_rule_put(make_rule(test, &s));
	long_glob[TCPK_AGENT_NAME_MAX - 1] = 'a';
	KUNIT_EXPECT_EQ(test, PTR_ERR(tcpk_rule_create(&s, &msg)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, msg, "agent: glob longer than 31 bytes");

	s.present = P(PATH) | P(EXE);
	s.path = long_glob;
	s.exe = "/usr/bin/*";
	memset(long_glob, 'a', TCPK_RULE_GLOB_MAX - 1);
	tcpk_rule_put(make_rule(test, &s));
	long_glob[TCPK_RULE_GLOB_MAX - 1] = 'a';
	KUNIT_EXPECT_EQ(test, PTR_ERR(tcpk_rule_create(&s, &msg)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, msg, "path: glob longer than 1023 bytes");

	/* Valid edges: CAP_LAST_CAP with capable among other ops, 16 syscalls. */
	s = spec_of(TCPK_ACTION_KILL);
	s.present = P(CAPABILITY) | P(OPS) | P(SYSCALL);
	s.capability = CAP_LAST_CAP;
	s.ops = OPB(CAPABLE) | OPB(EXEC);
	s.n_syscalls = TCPK_RULE_SYSCALLS_MAX;
	s.syscalls[15] = 1023;
	rule = make_rule(test, &s);
	KUNIT_EXPECT_EQ(test, rule->ops, (u32)OPB(CAPABLE));
	tcpk_rule_put(rule);

	s = spec_of(TCPK_ACTION_ALLOW);
	s.present = P(TARGET_SCOPE);
	s.target_scope = TCPK_SCOPE_OUTSIDE;
	rule = make_rule(test, &s);
	KUNIT_EXPECT_EQ(test, rule->ops, (u32)TCPK_TARGET_OPS);
	tcpk_rule_put(rule);

	tcpk_rule_put(NULL);
}

static void rule_round_trip(struct kunit *test)
{
	char comm[] = "py*", exe[] = "/usr/bin/**", path[] = "/etc/[!s]*",
	     agent[] = "claude-?";
	struct tcpk_rule_spec in = {
		.id = 77,
		.priority = 12,
		.action = TCPK_ACTION_QUARANTINE,
		.flags = BIT(TCPK_RULE_F_ALERT),
		.present = (BIT(__TCPK_COND_MAX) - 1) & ~P(TARGET_SCOPE),
		.pid = 4242,
		.uid = 1001,
		.gid = 1002,
		.capability = 21,
		.ops = OPB(CAPABLE) | OPB(OPEN),
		.desc_any = DESC(CRITICAL),
		.desc_all = DESC(DESTRUCTIVE) | DESC(HIGH_RISK),
		.anomaly_min = 70,
		.access = ACC(WRITE),
		.path_scope = TCPK_SCOPE_OUTSIDE,
		.n_syscalls = 3,
		.syscalls = { 1, 2, 1023 },
		.cgroup = 0x123456789ULL,
		.comm = comm,
		.exe = exe,
		.path = path,
		.agent = agent,
	};
	struct tcpk_rule_spec out;
	struct tcpk_rule *rule = make_rule(test, &in);

	/* The rule owns copies: scribbling on the input changes nothing. */
	comm[0] = 'X';
	exe[1] = 'X';
	path[1] = 'X';
	agent[0] = 'X';
	tcpk_rule_to_spec(rule, &out);
	KUNIT_EXPECT_STREQ(test, out.comm, "py*");
	KUNIT_EXPECT_STREQ(test, out.exe, "/usr/bin/**");
	KUNIT_EXPECT_STREQ(test, out.path, "/etc/[!s]*");
	KUNIT_EXPECT_STREQ(test, out.agent, "claude-?");
	KUNIT_EXPECT_EQ(test, out.id, in.id);
	KUNIT_EXPECT_EQ(test, out.priority, in.priority);
	KUNIT_EXPECT_EQ(test, out.action, in.action);
	KUNIT_EXPECT_EQ(test, out.flags, in.flags);
	KUNIT_EXPECT_EQ(test, out.present, in.present);
	KUNIT_EXPECT_EQ(test, out.pid, in.pid);
	KUNIT_EXPECT_EQ(test, out.uid, in.uid);
	KUNIT_EXPECT_EQ(test, out.gid, in.gid);
	KUNIT_EXPECT_EQ(test, out.capability, in.capability);
	KUNIT_EXPECT_EQ(test, out.ops, in.ops);
	KUNIT_EXPECT_EQ(test, out.desc_any, in.desc_any);
	KUNIT_EXPECT_EQ(test, out.desc_all, in.desc_all);
	KUNIT_EXPECT_EQ(test, out.anomaly_min, in.anomaly_min);
	KUNIT_EXPECT_EQ(test, out.access, in.access);
	KUNIT_EXPECT_EQ(test, out.path_scope, in.path_scope);
	KUNIT_EXPECT_EQ(test, out.target_scope, in.target_scope);
	KUNIT_EXPECT_EQ(test, out.n_syscalls, in.n_syscalls);
	KUNIT_EXPECT_EQ(test, memcmp(out.syscalls, in.syscalls,
				     sizeof(in.syscalls)), 0);
	KUNIT_EXPECT_EQ(test, out.cgroup, in.cgroup);
	tcpk_rule_put(rule);

	/* Absent strings come back NULL; the target scope round-trips too. */
	in = spec_of(TCPK_ACTION_DENY);
	in.present = P(TARGET_SCOPE);
	in.target_scope = TCPK_SCOPE_INSIDE;
	in.comm = "ignored: no COMM bit";
	rule = make_rule(test, &in);
	tcpk_rule_to_spec(rule, &out);
	KUNIT_EXPECT_NULL(test, out.comm);
	KUNIT_EXPECT_EQ(test, out.target_scope, TCPK_SCOPE_INSIDE);
	KUNIT_EXPECT_EQ(test, out.id, 0U);
	tcpk_rule_put(rule);
}

/* --- conditions -------------------------------------------------------------- */

struct cond_case {
	const char *name;
	struct tcpk_rule_spec spec;
	struct tcpk_request yes;
	struct tcpk_request no;
};

#define EXEC	TCPK_OP_EXEC
#define INSIDE	TCPK_SCOPE_INSIDE
#define OUTSIDE	TCPK_SCOPE_OUTSIDE

static const struct cond_case cond_cases[] = {
	{ "none", { .present = 0 }, { .op = TCPK_OP_SIGNAL },
	  { .op = __TCPK_OP_MAX } },
	{ "pid", { .present = P(PID), .pid = 42 }, { .pid = 42 }, { .pid = 43 } },
	{ "pid hypothetical", { .present = P(PID), .pid = 42 }, { .pid = 42 },
	  { .pid = 0 } },
	{ "uid", { .present = P(UID), .uid = 1000 }, { .uid = 1000 },
	  { .uid = 1001 } },
	{ "uid 0", { .present = P(UID), .uid = 0 }, { .uid = 0 }, { .uid = 1 } },
	{ "gid", { .present = P(GID), .gid = 27 }, { .gid = 27 }, { .gid = 0 } },
	{ "comm", { .present = P(COMM), .comm = "py*" }, { .comm = "python3" },
	  { .comm = "bash" } },
	{ "comm star crosses /", { .present = P(COMM), .comm = "a*" },
	  { .comm = "a/b" }, { .comm = "b/a" } },
	{ "exe", { .present = P(EXE), .exe = "/usr/bin/*" },
	  { .exe = "/usr/bin/python3" }, { .exe = "/usr/bin/x/python3" } },
	{ "exe absent", { .present = P(EXE), .exe = "**" },
	  { .exe = "/bin/sh" }, { .exe = NULL } },
	{ "path", { .present = P(PATH), .path = "/etc/**" },
	  { .path = "/etc/ssh/sshd_config" }, { .path = "/etc" } },
	{ "path absent", { .present = P(PATH), .path = "**" },
	  { .op = TCPK_OP_OPEN, .path = "/x" }, { .op = TCPK_OP_OPEN } },
	{ "inside", { .present = P(PATH_SCOPE), .path_scope = INSIDE },
	  { .path = "/home/u/proj/a.c", .workspace = "/home/u/proj" },
	  { .path = "/home/u/project2/a.c", .workspace = "/home/u/proj" } },
	{ "inside: the workspace itself",
	  { .present = P(PATH_SCOPE), .path_scope = INSIDE },
	  { .path = "/home/u/proj", .workspace = "/home/u/proj" },
	  { .path = "/home/u", .workspace = "/home/u/proj" } },
	{ "inside: no workspace",
	  { .present = P(PATH_SCOPE), .path_scope = INSIDE },
	  { .path = "/w/a", .workspace = "/w" }, { .path = "/w/a" } },
	{ "inside: root workspace",
	  { .present = P(PATH_SCOPE), .path_scope = INSIDE },
	  { .path = "/etc/passwd", .workspace = "/" },
	  { .path = "/etc/passwd", .workspace = "/e" } },
	{ "outside", { .present = P(PATH_SCOPE), .path_scope = OUTSIDE },
	  { .path = "/etc/passwd", .workspace = "/home/u/proj" },
	  { .path = "/home/u/proj/x", .workspace = "/home/u/proj" } },
	{ "outside: no workspace",
	  { .present = P(PATH_SCOPE), .path_scope = OUTSIDE },
	  { .path = "/etc/passwd", .workspace = "/w" },
	  { .path = "/etc/passwd" } },
	{ "outside: no path",
	  { .present = P(PATH_SCOPE), .path_scope = OUTSIDE },
	  { .path = "/etc/passwd", .workspace = "/w" },
	  { .op = TCPK_OP_CAPABLE, .workspace = "/w" } },
	{ "outside: root workspace",
	  { .present = P(PATH_SCOPE), .path_scope = OUTSIDE },
	  { .path = "/etc", .workspace = "/home" },
	  { .path = "/etc", .workspace = "/" } },
	{ "scope any", { .present = P(PATH_SCOPE), .path_scope = 0 },
	  { .op = TCPK_OP_CAPABLE }, { .op = 99 } },
	{ "path and scope",
	  { .present = P(PATH) | P(PATH_SCOPE), .path = "/**.c",
	    .path_scope = OUTSIDE },
	  { .path = "/tmp/a.c", .workspace = "/w" },
	  { .path = "/w/a.c", .workspace = "/w" } },
	{ "capability", { .present = P(CAPABILITY), .capability = 21 },
	  { .op = TCPK_OP_CAPABLE, .capability = 21 },
	  { .op = TCPK_OP_CAPABLE, .capability = 0 } },
	{ "capability implies capable",
	  { .present = P(CAPABILITY), .capability = 0 },
	  { .op = TCPK_OP_CAPABLE, .capability = 0 },
	  { .op = TCPK_OP_OPEN, .capability = 0 } },
	{ "syscall", { .present = P(SYSCALL), .n_syscalls = 2,
		       .syscalls = { 59, 322 } },
	  { .syscall = 322 }, { .syscall = 57 } },
	{ "syscall default",
	  { .present = P(SYSCALL), .n_syscalls = 2, .syscalls = { 59, 322 } },
	  { .op = EXEC, .syscall = -1 }, { .op = TCPK_OP_FORK, .syscall = -1 } },
	{ "syscall default of a write",
	  { .present = P(SYSCALL), .n_syscalls = 1, .syscalls = { 1 } },
	  { .op = TCPK_OP_PERMISSION, .syscall = -1, .access = ACC(WRITE) },
	  { .op = TCPK_OP_PERMISSION, .syscall = -1, .access = ACC(READ) } },
	{ "syscall: capable has none",
	  { .present = P(SYSCALL), .n_syscalls = 1, .syscalls = { 0 } },
	  { .op = TCPK_OP_PERMISSION, .syscall = -1 },
	  { .op = TCPK_OP_CAPABLE, .syscall = -1 } },
	{ "ops", { .present = P(OPS), .ops = OPB(EXEC) | OPB(OPEN) },
	  { .op = TCPK_OP_OPEN }, { .op = TCPK_OP_UNLINK } },
	{ "desc_any",
	  { .present = P(DESC_ANY), .desc_any = DESC(CRITICAL) | DESC(DESTRUCTIVE) },
	  { .desc_flags = DESC(DESTRUCTIVE) },
	  { .desc_flags = DESC(NETWORK_ACCESS) } },
	{ "desc_all",
	  { .present = P(DESC_ALL), .desc_all = DESC(CRITICAL) | DESC(DESTRUCTIVE) },
	  { .desc_flags = DESC(CRITICAL) | DESC(DESTRUCTIVE) | DESC(SAFE) },
	  { .desc_flags = DESC(CRITICAL) } },
	{ "anomaly", { .present = P(ANOMALY), .anomaly_min = 50 },
	  { .anomaly = 50 }, { .anomaly = 49 } },
	{ "agent", { .present = P(AGENT), .agent = "claude*" },
	  { .agent = "claude-code" }, { .agent = "gpt" } },
	{ "agent: unlabelled", { .present = P(AGENT), .agent = "*" },
	  { .agent = "x" }, { .agent = NULL } },
	{ "cgroup", { .present = P(CGROUP), .cgroup = 1234 },
	  { .n_cgroups = 3, .cgroups = { 99, 1234, 1 } },
	  { .n_cgroups = 2, .cgroups = { 99, 7, 1234 } } },
	{ "target inside", { .present = P(TARGET_SCOPE), .target_scope = INSIDE },
	  { .op = TCPK_OP_PTRACE, .target = INSIDE },
	  { .op = TCPK_OP_PTRACE, .target = OUTSIDE } },
	{ "target outside",
	  { .present = P(TARGET_SCOPE), .target_scope = OUTSIDE },
	  { .op = TCPK_OP_PTRACE, .target = OUTSIDE },
	  { .op = TCPK_OP_PTRACE, .target = TCPK_SCOPE_ANY } },
	{ "target implies ptrace",
	  { .present = P(TARGET_SCOPE), .target_scope = INSIDE },
	  { .op = TCPK_OP_PTRACE, .target = INSIDE },
	  { .op = EXEC, .target = INSIDE } },
	{ "target: signal",
	  { .present = P(TARGET_SCOPE), .target_scope = OUTSIDE },
	  { .op = TCPK_OP_SIGNAL, .target = OUTSIDE },
	  { .op = TCPK_OP_SIGNAL, .target = INSIDE } },
	{ "target with op signal only",
	  { .present = P(TARGET_SCOPE) | P(OPS), .target_scope = OUTSIDE,
	    .ops = OPB(SIGNAL) },
	  { .op = TCPK_OP_SIGNAL, .target = OUTSIDE },
	  { .op = TCPK_OP_PTRACE, .target = OUTSIDE } },
	{ "access", { .present = P(ACCESS), .access = ACC(WRITE) | ACC(EXEC) },
	  { .op = TCPK_OP_MMAP, .access = ACC(READ) | ACC(WRITE) | ACC(EXEC) },
	  { .op = TCPK_OP_MMAP, .access = ACC(WRITE) } },
	{ "all of them",
	  { .present = P(UID) | P(COMM) | P(OPS) | P(DESC_ANY) | P(AGENT) |
		       P(PATH),
	    .uid = 1000, .comm = "sh", .ops = OPB(UNLINK),
	    .desc_any = DESC(DESTRUCTIVE), .agent = "a", .path = "/srv/**" },
	  { .op = TCPK_OP_UNLINK, .uid = 1000, .comm = "sh",
	    .desc_flags = DESC(DESTRUCTIVE), .agent = "a", .path = "/srv/x" },
	  { .op = TCPK_OP_UNLINK, .uid = 1000, .comm = "sh",
	    .desc_flags = DESC(DESTRUCTIVE), .agent = "a", .path = "/srv" } },
};

static bool matched(const struct tcpk_decision *d, u32 id)
{
	return (d->flags & F(MATCHED)) && d->rule_id == id;
}

static void conditions(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cond_cases); i++) {
		const struct cond_case *c = &cond_cases[i];
		struct tcpk_decision w[2], live[3];
		struct tcpk_rule_spec s = c->spec;
		u64 gen;
		u32 id;

		KUNIT_ASSERT_EQ(test, tcpk_policy_flush(&gen), 0);
		s.action = TCPK_ACTION_DENY;
		id = add_rule(test, &s);

		tcpk_policy_what_if(&c->yes, &w[0]);
		tcpk_policy_what_if(&c->no, &w[1]);
		/*
		 * yes, no, yes on one CPU: if the cache key missed a field
		 * that tells them apart, "no" would hit "yes"'s entry.
		 */
		preempt_disable();
		tcpk_policy_decide(&c->yes, &live[0]);
		tcpk_policy_decide(&c->no, &live[1]);
		tcpk_policy_decide(&c->yes, &live[2]);
		preempt_enable();

		KUNIT_EXPECT_TRUE_MSG(test, matched(&w[0], id), "%s: what-if yes",
				      c->name);
		KUNIT_EXPECT_FALSE_MSG(test, w[1].flags & F(MATCHED),
				       "%s: what-if no", c->name);
		KUNIT_EXPECT_TRUE_MSG(test, matched(&live[0], id), "%s: yes",
				      c->name);
		KUNIT_EXPECT_FALSE_MSG(test, live[1].flags & F(MATCHED),
				       "%s: no", c->name);
		KUNIT_EXPECT_TRUE_MSG(test, matched(&live[2], id),
				      "%s: yes again", c->name);
		KUNIT_EXPECT_EQ_MSG(test, live[1].rule_id, 0U, "%s", c->name);
		KUNIT_EXPECT_EQ_MSG(test, live[1].action, TCPK_ACTION_ALLOW,
				    "%s", c->name);
		KUNIT_EXPECT_EQ_MSG(test, w[0].flags & F(WOULD_DENY),
				    F(WOULD_DENY), "%s", c->name);
	}
}

/* --- ordering ------------------------------------------------------------------ */

/* The identity a hook found the descriptor by becomes a decision flag. */
static void desc_identity_flags(struct kunit *test)
{
	static const struct {
		u8 kind;
		u32 flag;
	} cases[] = {
		{ TCPK_DESC_KEY_UNSPEC, 0 },
		{ TCPK_DESC_KEY_NAME, BIT(TCPK_DECISION_F_DESC_NAME) },
		{ TCPK_DESC_KEY_PATH, BIT(TCPK_DECISION_F_DESC_PATH) },
		{ TCPK_DESC_KEY_DIGEST, BIT(TCPK_DECISION_F_DESC_DIGEST) },
		{ TCPK_DESC_KEY_SYSCALL, BIT(TCPK_DECISION_F_DESC_SYSCALL) },
		{ __TCPK_DESC_KEY_MAX, 0 },	/* not a kind: no flag */
	};
	const u32 all = BIT(TCPK_DECISION_F_DESC_NAME) |
			BIT(TCPK_DECISION_F_DESC_PATH) |
			BIT(TCPK_DECISION_F_DESC_DIGEST) |
			BIT(TCPK_DECISION_F_DESC_SYSCALL);
	struct tcpk_request r = req_of(TCPK_OP_EXEC);
	struct tcpk_decision d;
	unsigned int i;
	u32 id;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		r.desc_kind = cases[i].kind;
		tcpk_policy_what_if(&r, &d);
		KUNIT_EXPECT_EQ_MSG(test, d.flags & all, cases[i].flag,
				    "kind %u, no rule", cases[i].kind);
	}
	/* With a rule deciding, and with the rule from the cache. */
	id = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 10);
	r.desc_kind = TCPK_DESC_KEY_DIGEST;
	for (i = 0; i < 2; i++) {
		tcpk_policy_decide(&r, &d);
		KUNIT_EXPECT_EQ(test, d.rule_id, id);
		KUNIT_EXPECT_EQ(test, d.flags & all,
				(u32)BIT(TCPK_DECISION_F_DESC_DIGEST));
	}
}

static void ordering(struct kunit *test)
{
	struct tcpk_request r = req_of(TCPK_OP_EXEC);
	struct tcpk_rule *batch[3];
	struct tcpk_rule_spec s;
	u32 a, b, c, e, bad = 0;
	struct tcpk_decision d;
	const char *msg;
	struct ids ids;
	unsigned int pos;
	u64 gen;

	a = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_ALLOW, 10);
	b = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 5);
	c = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_MONITOR, 10);
	e = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_ALERT, U32_MAX);

	tcpk_policy_what_if(&r, &d);
	KUNIT_EXPECT_EQ(test, d.rule_id, b);		/* lowest priority */
	walk_ids(test, &ids);
	KUNIT_ASSERT_EQ(test, ids.n, 4U);
	KUNIT_EXPECT_EQ(test, ids.id[0], b);
	KUNIT_EXPECT_EQ(test, ids.id[1], a);		/* tie: added first */
	KUNIT_EXPECT_EQ(test, ids.id[2], c);
	KUNIT_EXPECT_EQ(test, ids.id[3], e);

	KUNIT_EXPECT_EQ(test, tcpk_policy_del(b, &gen), 0);
	tcpk_policy_what_if(&r, &d);
	KUNIT_EXPECT_EQ(test, d.rule_id, a);
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(a, &gen), 0);
	tcpk_policy_what_if(&r, &d);
	KUNIT_EXPECT_EQ(test, d.rule_id, c);
	/* Added later at the same priority: still after c. */
	add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 10);
	tcpk_policy_what_if(&r, &d);
	KUNIT_EXPECT_EQ(test, d.rule_id, c);
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(b, &gen), -ENOENT);
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(0, &gen), -ENOENT);

	/* A walk split over calls resumes where the callback stopped. */
	memset(&ids, 0, sizeof(ids));
	ids.limit = 2;
	pos = 0;
	KUNIT_EXPECT_EQ(test, tcpk_policy_rules_walk(&pos, &gen, 0, ids_fill,
						     &ids), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pos, 2U);
	ids.limit = IDS_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_policy_rules_walk(&pos, &gen, 0, ids_fill,
						     &ids), 0);
	KUNIT_EXPECT_EQ(test, pos, 3U);
	KUNIT_EXPECT_EQ(test, ids.n, 3U);
	KUNIT_EXPECT_EQ(test, ids.id[0], c);
	KUNIT_EXPECT_EQ(test, ids.id[2], e);
	KUNIT_EXPECT_EQ(test, gen, tcpk_policy_generation());
	/* One rule by id; an unknown id. */
	memset(&ids, 0, sizeof(ids));
	ids.limit = IDS_MAX;
	KUNIT_EXPECT_EQ(test, tcpk_policy_rules_walk(&pos, &gen, e, ids_fill,
						     &ids), 0);
	KUNIT_EXPECT_EQ(test, ids.n, 1U);
	KUNIT_EXPECT_EQ(test, ids.id[0], e);
	KUNIT_EXPECT_EQ(test, tcpk_policy_rules_walk(&pos, &gen, 999, ids_fill,
						     &ids), -ENOENT);

	/* replace: ties in the order of the batch. */
	s = spec_of(TCPK_ACTION_ALLOW);
	s.priority = 10;
	batch[0] = make_rule(test, &s);
	batch[1] = make_rule(test, &s);
	s.priority = 1;
	batch[2] = make_rule(test, &s);
	KUNIT_ASSERT_EQ(test, tcpk_policy_replace(batch, 3, &gen, &msg, &bad),
			0);
	walk_ids(test, &ids);
	KUNIT_ASSERT_EQ(test, ids.n, 3U);
	KUNIT_EXPECT_EQ(test, ids.prio[0], 1U);
	KUNIT_EXPECT_LT(test, ids.id[1], ids.id[2]);
	KUNIT_EXPECT_LT(test, ids.id[1], ids.id[0]);
}

/* --- defaults and verdicts ---------------------------------------------------- */

struct default_case {
	u32 level;
	const char *agent;
	u32 desc;
	bool observe;
	u32 verdict;
	u32 action;
	u32 flags;
};

static const struct default_case default_cases[] = {
	{ 0, "a", DESC(CRITICAL), false, TCPK_VERDICT_ALLOW, TCPK_ACTION_ALLOW, 0 },
	{ 1, "a", DESC(CRITICAL), false, TCPK_VERDICT_ALLOW, TCPK_ACTION_ALLOW, 0 },
	{ 2, "a", DESC(CRITICAL), false, TCPK_VERDICT_ALLOW, TCPK_ACTION_ALLOW, 0 },
	{ 3, "a", DESC(CRITICAL), false, TCPK_VERDICT_DENY, TCPK_ACTION_DENY, 0 },
	{ 3, "a", DESC(PRIVILEGE_ESCALATION), false, TCPK_VERDICT_DENY,
	  TCPK_ACTION_DENY, 0 },
	{ 3, "a", DESC(KERNEL_MODULE) | DESC(SAFE), false, TCPK_VERDICT_DENY,
	  TCPK_ACTION_DENY, 0 },
	{ 3, "a", DESC(CONTAINER_ESCAPE), false, TCPK_VERDICT_DENY,
	  TCPK_ACTION_DENY, 0 },
	{ 3, "a", DESC(HIGH_RISK) | DESC(DESTRUCTIVE), false,
	  TCPK_VERDICT_ALLOW, TCPK_ACTION_ALLOW, 0 },
	{ 3, NULL, DESC(CRITICAL), false, TCPK_VERDICT_ALLOW, TCPK_ACTION_ALLOW, 0 },
	{ 3, "a", DESC(CRITICAL), true, TCPK_VERDICT_ALLOW, TCPK_ACTION_DENY,
	  F(WOULD_DENY) },
};

static void defaults(struct kunit *test)
{
	unsigned int i, with_rule;

	/* First on the fast path (no rule), then walking an unrelated rule. */
	for (with_rule = 0; with_rule < 2; with_rule++) {
		if (with_rule) {
			struct tcpk_rule_spec s = spec_of(TCPK_ACTION_DENY);

			s.present = P(UID);
			s.uid = 4321;
			add_rule(test, &s);
		}
		for (i = 0; i < ARRAY_SIZE(default_cases); i++) {
			const struct default_case *c = &default_cases[i];
			struct tcpk_request r = req_of(TCPK_OP_EXEC);
			struct tcpk_decision d, w;

			set_mode(c->level, true, TCPK_OPS_ALL);
			r.agent = c->agent;
			r.desc_flags = c->desc;
			r.observe = c->observe;
			tcpk_policy_what_if(&r, &w);
			tcpk_policy_decide(&r, &d);
			KUNIT_EXPECT_EQ_MSG(test, d.verdict, c->verdict,
					    "case %u rule %u", i, with_rule);
			KUNIT_EXPECT_EQ_MSG(test, d.action, c->action,
					    "case %u rule %u", i, with_rule);
			KUNIT_EXPECT_EQ_MSG(test, d.flags & ~HOW_FLAGS, c->flags,
					    "case %u rule %u", i, with_rule);
			KUNIT_EXPECT_EQ(test, d.rule_id, 0U);
			KUNIT_EXPECT_EQ(test, d.level, c->level);
			KUNIT_EXPECT_EQ(test, d.generation,
					tcpk_policy_generation());
			KUNIT_EXPECT_EQ(test, w.verdict, d.verdict);
			KUNIT_EXPECT_EQ(test, w.action, d.action);
			KUNIT_EXPECT_EQ(test, w.flags & ~HOW_FLAGS,
					d.flags & ~HOW_FLAGS);
			if (c->level)
				KUNIT_EXPECT_EQ_MSG(test, !!(d.flags & F(FAST_PATH)),
						    !with_rule, "case %u", i);
		}
	}
}

struct mode_case {
	u32 level;
	bool alerts;
	u32 block_ops;
	u32 action;
	bool rule_alert;
	bool observe;
	u32 op;
	u32 verdict;
	u32 flags;	/* besides MATCHED and the HOW_FLAGS */
};

#define ALLOW	TCPK_VERDICT_ALLOW
#define DENY	TCPK_VERDICT_DENY
#define A(x)	TCPK_ACTION_##x
#define O(x)	TCPK_OP_##x

static const struct mode_case mode_cases[] = {
	/* monitor: everything allowed, denials are would-denies */
	{ 1, false, TCPK_OPS_ALL, A(DENY), false, false, O(EXEC), ALLOW,
	  F(WOULD_DENY) },
	{ 1, false, TCPK_OPS_ALL, A(KILL), false, false, O(EXEC), ALLOW,
	  F(WOULD_DENY) },
	{ 1, false, TCPK_OPS_ALL, A(QUARANTINE), false, false, O(EXEC), ALLOW,
	  F(WOULD_DENY) },
	{ 1, false, TCPK_OPS_ALL, A(ALERT), false, false, O(EXEC), ALLOW, 0 },
	{ 1, false, TCPK_OPS_ALL, A(ALLOW), false, false, O(EXEC), ALLOW, 0 },
	/* alerts */
	{ 1, true, TCPK_OPS_ALL, A(DENY), false, false, O(EXEC), ALLOW,
	  F(WOULD_DENY) },
	{ 1, true, TCPK_OPS_ALL, A(ALERT), false, false, O(EXEC), ALLOW,
	  F(ALERT) },
	{ 1, true, TCPK_OPS_ALL, A(MONITOR), false, false, O(EXEC), ALLOW, 0 },
	{ 1, true, TCPK_OPS_ALL, A(MONITOR), true, false, O(EXEC), ALLOW,
	  F(ALERT) },
	{ 1, true, TCPK_OPS_ALL, A(ALLOW), true, false, O(EXEC), ALLOW,
	  F(ALERT) },
	{ 1, true, TCPK_OPS_ALL, A(DENY), true, false, O(EXEC), ALLOW,
	  F(ALERT) | F(WOULD_DENY) },
	/* blocking some operations */
	{ 2, true, OPB(UNLINK) | OPB(RMDIR), A(DENY), false, false, O(UNLINK),
	  DENY, 0 },
	{ 2, true, OPB(UNLINK) | OPB(RMDIR), A(DENY), false, false, O(RMDIR),
	  DENY, 0 },
	{ 2, true, OPB(UNLINK) | OPB(RMDIR), A(DENY), false, false, O(EXEC),
	  ALLOW, F(WOULD_DENY) },
	{ 2, true, OPB(UNLINK) | OPB(RMDIR), A(KILL), false, false, O(EXEC),
	  ALLOW, F(WOULD_DENY) },
	{ 2, true, 0, A(DENY), false, false, O(UNLINK), ALLOW, F(WOULD_DENY) },
	/* enforce */
	{ 2, true, TCPK_OPS_ALL, A(DENY), false, false, O(EXEC), DENY, 0 },
	{ 2, true, TCPK_OPS_ALL, A(KILL), false, false, O(EXEC), DENY, F(KILL) },
	{ 2, true, TCPK_OPS_ALL, A(QUARANTINE), false, false, O(OPEN), DENY,
	  F(QUARANTINE) },
	{ 2, true, TCPK_OPS_ALL, A(ALERT), false, false, O(EXEC), ALLOW,
	  F(ALERT) },
	{ 2, false, TCPK_OPS_ALL, A(DENY), true, false, O(EXEC), DENY, 0 },
	{ 2, true, TCPK_OPS_ALL, A(DENY), true, false, O(EXEC), DENY, F(ALERT) },
	/* observe requests are never enforced */
	{ 2, true, TCPK_OPS_ALL, A(DENY), false, true, O(EXEC), ALLOW,
	  F(WOULD_DENY) },
	{ 2, true, TCPK_OPS_ALL, A(KILL), false, true, O(EXEC), ALLOW,
	  F(WOULD_DENY) },
	{ 3, true, TCPK_OPS_ALL, A(QUARANTINE), false, true, O(EXEC), ALLOW,
	  F(WOULD_DENY) },
	/* paranoid: block_ops does not matter */
	{ 3, true, 0, A(DENY), false, false, O(CONNECT), DENY, 0 },
	{ 3, true, 0, A(KILL), false, false, O(CONNECT), DENY, F(KILL) },
	{ 3, true, 0, A(ALLOW), false, false, O(CONNECT), ALLOW, 0 },
	/* off: what-if reports the rule, nothing else */
	{ 0, true, TCPK_OPS_ALL, A(DENY), true, false, O(EXEC), ALLOW, 0 },
	{ 0, true, TCPK_OPS_ALL, A(ALERT), false, false, O(EXEC), ALLOW, 0 },
};

static void verdicts(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mode_cases); i++) {
		const struct mode_case *c = &mode_cases[i];
		struct tcpk_request r = req_of(c->op);
		unsigned int events, records, quarantines;
		struct tcpk_rule_spec s = spec_of(c->action);
		struct tcpk_decision d, w;
		bool eventful;
		u64 gen;
		u32 id;

		KUNIT_ASSERT_EQ(test, tcpk_policy_flush(&gen), 0);
		proc_fake.n_quarantined = 0;	/* the last case's subject */
		s.flags = c->rule_alert ? BIT(TCPK_RULE_F_ALERT) : 0;
		id = add_rule(test, &s);
		set_mode(c->level, c->alerts, c->block_ops);
		r.observe = c->observe;

		tcpk_policy_what_if(&r, &w);
		KUNIT_EXPECT_EQ_MSG(test, w.verdict, c->verdict, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w.flags & ~HOW_FLAGS,
				    c->flags | F(MATCHED), "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w.rule_id, id, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w.action, c->action, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, w.level, c->level, "case %u", i);

		events = tcpk_fake_events.decisions;
		records = proc_fake.records;
		quarantines = proc_fake.quarantines;
		tcpk_policy_decide(&r, &d);
		if (c->level == TCPK_LEVEL_OFF) {
			/* Live at level 0: allowed, nothing looked at. */
			KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
			KUNIT_EXPECT_EQ(test, d.flags, 0U);
			KUNIT_EXPECT_EQ(test, d.rule_id, 0U);
			KUNIT_EXPECT_EQ(test, proc_fake.records, records);
			KUNIT_EXPECT_EQ(test, tcpk_fake_events.decisions, events);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, d.verdict, w.verdict, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, d.flags & ~HOW_FLAGS,
				    w.flags & ~HOW_FLAGS, "case %u", i);
		KUNIT_EXPECT_EQ(test, d.rule_id, id);
		KUNIT_EXPECT_EQ(test, d.generation, gen + 1);

		/* A matched rule is recorded; events for denials and alerts. */
		eventful = d.verdict == DENY ||
			   (d.flags & (F(WOULD_DENY) | F(ALERT)));
		KUNIT_EXPECT_EQ_MSG(test, proc_fake.records, records + 1,
				    "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, tcpk_fake_events.decisions,
				    events + eventful, "case %u", i);
		if (eventful) {
			KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_op, c->op);
			KUNIT_EXPECT_EQ(test, tcpk_fake_events.last.flags,
					d.flags);
		}
		KUNIT_EXPECT_EQ_MSG(test, proc_fake.quarantines,
				    quarantines + !!(d.flags & F(QUARANTINE)),
				    "case %u", i);
	}
}

static void quarantine(struct kunit *test)
{
	struct tcpk_request r = req_of(TCPK_OP_OPEN);
	struct tcpk_rule_spec s = spec_of(TCPK_ACTION_QUARANTINE);
	struct tcpk_decision d;
	unsigned int records;
	u32 id;

	s.present = P(PATH);
	s.path = "/secret/**";
	id = add_rule(test, &s);
	set_mode(TCPK_LEVEL_ENFORCE, true, TCPK_OPS_ALL);
	r.pid = 4242;
	r.path = "/secret/key";

	/* What-if: the flag, but nobody is quarantined. */
	tcpk_policy_what_if(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, DENY);
	KUNIT_EXPECT_TRUE(test, d.flags & F(QUARANTINE));
	KUNIT_EXPECT_EQ(test, proc_fake.quarantines, 0U);

	/* A hypothetical subject (pid 0) is not quarantined either. */
	r.pid = 0;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_TRUE(test, d.flags & F(QUARANTINE));
	KUNIT_EXPECT_EQ(test, proc_fake.quarantines, 0U);

	r.pid = 4242;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, DENY);
	KUNIT_EXPECT_EQ(test, d.rule_id, id);
	KUNIT_EXPECT_EQ(test, d.flags & ~HOW_FLAGS, F(MATCHED) | F(QUARANTINE));
	KUNIT_ASSERT_EQ(test, proc_fake.quarantines, 1U);
	KUNIT_EXPECT_EQ(test, proc_fake.quarantined[0], 4242U);

	/* Every later operation of the process is refused, rules unread. */
	r = req_of(TCPK_OP_EXEC);
	r.pid = 4242;
	r.path = "/bin/ls";
	records = proc_fake.records;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, DENY);
	KUNIT_EXPECT_EQ(test, d.flags, F(QUARANTINED));
	KUNIT_EXPECT_EQ(test, d.rule_id, 0U);
	KUNIT_EXPECT_EQ(test, d.action, TCPK_ACTION_QUARANTINE);
	KUNIT_EXPECT_EQ(test, proc_fake.records, records + 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last.flags, F(QUARANTINED));
	tcpk_policy_what_if(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(QUARANTINED));

	/* Not for what already happened, not for others, not below level 2. */
	r.observe = true;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	r.observe = false;
	r.pid = 4243;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	r.pid = 4242;
	set_mode(TCPK_LEVEL_MONITOR, true, TCPK_OPS_ALL);
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	KUNIT_EXPECT_EQ(test, d.flags & F(QUARANTINED), 0U);
	set_mode(TCPK_LEVEL_PARANOID, true, 0);
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(QUARANTINED));
	KUNIT_EXPECT_EQ(test, proc_fake.quarantines, 1U);
}

/*
 * Violations: a refusal, a would-deny and the exec of a DESTRUCTIVE tool
 * count (not a system call bound to a DESTRUCTIVE descriptor); at
 * the limit, DESTRUCTIVE operations are refused at levels 2 and 3 (flag
 * violations), the others are not, and neither are other processes.
 */
static void violations(struct kunit *test)
{
	struct tcpk_request r = req_of(TCPK_OP_OPEN);
	struct tcpk_request x = req_of(TCPK_OP_EXEC);
	struct tcpk_rule_spec s = spec_of(TCPK_ACTION_DENY);
	unsigned int saved = tcpk_max_violations;
	struct tcpk_decision d;

	s.present = P(PATH);
	s.path = "/secret/**";
	add_rule(test, &s);
	set_mode(TCPK_LEVEL_ENFORCE, true, TCPK_OPS_ALL);
	WRITE_ONCE(tcpk_max_violations, 3);
	proc_fake.violator = 4242;
	r.pid = 4242;
	r.path = "/secret/key";
	x.pid = 4242;
	x.path = "/bin/rm";
	x.desc_flags = DESC(DESTRUCTIVE);

	/* A refusal counts; what-if, an observed or a hypothetical one not. */
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, DENY);
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 1U);
	tcpk_policy_what_if(&r, &d);
	r.observe = true;
	tcpk_policy_decide(&r, &d);
	r.observe = false;
	r.pid = 0;
	tcpk_policy_decide(&r, &d);
	r.pid = 4242;
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 1U);
	KUNIT_EXPECT_EQ(test, proc_fake.other_violations, 0U);

	/* An unlink bound to a DESTRUCTIVE descriptor does not count... */
	r.op = TCPK_OP_UNLINK;
	r.path = "/tmp/build/x.o";
	r.desc_flags = DESC(DESTRUCTIVE);
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 1U);

	/* ... two execs of a DESTRUCTIVE tool, allowed (no rule), do. */
	tcpk_policy_decide(&x, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	tcpk_policy_decide(&x, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	KUNIT_EXPECT_EQ(test, d.flags & F(VIOLATIONS), 0U);
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 3U);

	/*
	 * At the limit: the next DESTRUCTIVE one is refused, and not counted
	 * (the count must not run on to a wrap by its own refusals).
	 */
	tcpk_policy_decide(&x, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, DENY);
	KUNIT_EXPECT_EQ(test, d.flags, F(VIOLATIONS));
	KUNIT_EXPECT_EQ(test, d.action, TCPK_ACTION_DENY);
	KUNIT_EXPECT_EQ(test, d.rule_id, 0U);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last.flags, F(VIOLATIONS));
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 3U);
	tcpk_policy_what_if(&x, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(VIOLATIONS));
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 3U);

	/* Blocking mode without exec: a would-deny, as for a rule. */
	set_mode(TCPK_LEVEL_ENFORCE, true, OPB(UNLINK));
	tcpk_policy_decide(&x, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	KUNIT_EXPECT_EQ(test, d.flags, F(VIOLATIONS) | F(WOULD_DENY));
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 3U);
	set_mode(TCPK_LEVEL_ENFORCE, true, TCPK_OPS_ALL);

	/* The unlink is DESTRUCTIVE: refused now. */
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(VIOLATIONS));
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 3U);

	/* Not an operation on another object, not another process. */
	r = req_of(TCPK_OP_OPEN);
	r.pid = 4242;
	r.path = "/tmp/ok";
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	x.pid = 4343;
	tcpk_policy_decide(&x, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	KUNIT_EXPECT_EQ(test, proc_fake.other_violations, 1U);
	x.pid = 4242;

	/* Not at level 1 (a would-deny is a violation, though). */
	set_mode(TCPK_LEVEL_MONITOR, true, TCPK_OPS_ALL);
	tcpk_policy_decide(&x, &d);
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
	KUNIT_EXPECT_EQ(test, d.flags & F(VIOLATIONS), 0U);
	r.path = "/secret/key";
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_TRUE(test, d.flags & F(WOULD_DENY));
	KUNIT_EXPECT_EQ(test, proc_fake.violations, 5U);

	/* Paranoid refuses too; a limit of 0 never. */
	set_mode(TCPK_LEVEL_PARANOID, true, TCPK_OPS_ALL);
	tcpk_policy_decide(&x, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(VIOLATIONS));
	WRITE_ONCE(tcpk_max_violations, 0);
	tcpk_policy_decide(&x, &d);
	KUNIT_EXPECT_EQ(test, d.flags & F(VIOLATIONS), 0U);
	WRITE_ONCE(tcpk_max_violations, saved);
}

/* --- cache, fast path, counters ------------------------------------------------- */

static void cache(struct kunit *test)
{
	struct tcpk_rule_spec s = spec_of(TCPK_ACTION_DENY);
	struct tcpk_request r = req_of(TCPK_OP_OPEN), other;
	struct tcpk_policy_stats st;
	struct tcpk_decision d[8];
	u32 r1, r0;
	u64 gen;

	r.path = "/a/x";
	other = r;
	other.path = "/b/x";
	s.present = P(PATH);
	s.path = "/a/**";
	r1 = add_rule(test, &s);

	preempt_disable();
	tcpk_policy_decide(&r, &d[0]);
	tcpk_policy_decide(&r, &d[1]);
	tcpk_policy_decide(&other, &d[2]);	/* walks, matches nothing */
	tcpk_policy_decide(&other, &d[3]);	/* "nothing" is cached too */
	preempt_enable();
	KUNIT_EXPECT_FALSE(test, d[0].flags & F(CACHED));
	KUNIT_EXPECT_TRUE(test, d[1].flags & F(CACHED));
	KUNIT_EXPECT_TRUE(test, matched(&d[0], r1));
	KUNIT_EXPECT_TRUE(test, matched(&d[1], r1));
	KUNIT_EXPECT_EQ(test, d[1].flags & ~HOW_FLAGS, d[0].flags);
	KUNIT_EXPECT_FALSE(test, d[2].flags & (F(CACHED) | F(MATCHED)));
	KUNIT_EXPECT_EQ(test, d[3].flags, F(CACHED));
	tcpk_policy_stats_sum(&st);
	KUNIT_EXPECT_EQ(test, st.cache_hits, 2ULL);
	KUNIT_EXPECT_EQ(test, st.cache_misses, 2ULL);
	KUNIT_EXPECT_EQ(test, st.decisions, 4ULL);
	KUNIT_EXPECT_EQ(test, st.fast_path, 0ULL);
	/* Cache hits count as hits of the rule. */
	KUNIT_EXPECT_EQ(test, rule_hits(test, r1), 2ULL);

	/* A new rule is seen by the very next decision. */
	r0 = add_op_rule(test, TCPK_OP_OPEN, TCPK_ACTION_ALLOW, 1);
	preempt_disable();
	tcpk_policy_decide(&r, &d[0]);
	tcpk_policy_decide(&r, &d[1]);
	preempt_enable();
	KUNIT_EXPECT_TRUE(test, matched(&d[0], r0));
	KUNIT_EXPECT_FALSE(test, d[0].flags & F(CACHED));
	KUNIT_EXPECT_TRUE(test, matched(&d[1], r0));
	KUNIT_EXPECT_TRUE(test, d[1].flags & F(CACHED));

	/* So is a deletion; and a mode change needs no invalidation. */
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(r0, &gen), 0);
	preempt_disable();
	tcpk_policy_decide(&r, &d[0]);
	tcpk_policy_decide(&r, &d[1]);
	WRITE_ONCE(tcpk_security_level, TCPK_LEVEL_ENFORCE);
	tcpk_policy_decide(&r, &d[2]);
	preempt_enable();
	KUNIT_EXPECT_TRUE(test, matched(&d[0], r1));
	KUNIT_EXPECT_FALSE(test, d[0].flags & F(CACHED));
	KUNIT_EXPECT_EQ(test, d[1].flags,
			F(CACHED) | F(MATCHED) | F(WOULD_DENY));
	KUNIT_EXPECT_EQ(test, d[1].verdict, ALLOW);
	KUNIT_EXPECT_EQ(test, d[2].flags, F(CACHED) | F(MATCHED));
	KUNIT_EXPECT_EQ(test, d[2].verdict, DENY);
	KUNIT_EXPECT_EQ(test, d[2].level, TCPK_LEVEL_ENFORCE);
	KUNIT_EXPECT_EQ(test, d[2].generation, gen);
}

static void cache_off(struct kunit *test)
{
	struct tcpk_request r = req_of(TCPK_OP_EXEC);
	struct tcpk_policy_stats st;
	struct tcpk_decision d[2];
	u32 id;

	tcpk_policy_exit();
	tcpk_decision_cache_size = 0;
	KUNIT_ASSERT_EQ(test, tcpk_policy_init(), 0);
	KUNIT_EXPECT_NULL(test, tcpk_decider.cache);
	id = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 1);
	preempt_disable();
	tcpk_policy_decide(&r, &d[0]);
	tcpk_policy_decide(&r, &d[1]);
	preempt_enable();
	KUNIT_EXPECT_TRUE(test, matched(&d[0], id));
	KUNIT_EXPECT_TRUE(test, matched(&d[1], id));
	KUNIT_EXPECT_FALSE(test, d[1].flags & F(CACHED));
	tcpk_policy_stats_sum(&st);
	KUNIT_EXPECT_EQ(test, st.cache_hits, 0ULL);
	KUNIT_EXPECT_EQ(test, st.cache_misses, 2ULL);

	/* The parameter: a power of two up to 65536, or 0. */
	{
		unsigned int v = 7;
		struct kernel_param kp = { .arg = &v };

		KUNIT_EXPECT_EQ(test, tcpk_cache_size_ops.set("1000", &kp), -EINVAL);
		KUNIT_EXPECT_EQ(test, tcpk_cache_size_ops.set("131072", &kp),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, tcpk_cache_size_ops.set("x", &kp), -EINVAL);
		KUNIT_EXPECT_EQ(test, v, 7U);
		KUNIT_EXPECT_EQ(test, tcpk_cache_size_ops.set("65536", &kp), 0);
		KUNIT_EXPECT_EQ(test, v, 65536U);
		KUNIT_EXPECT_EQ(test, tcpk_cache_size_ops.set("0", &kp), 0);
		KUNIT_EXPECT_EQ(test, v, 0U);
	}
}

static void fast_path(struct kunit *test)
{
	struct tcpk_request r = req_of(TCPK_OP_EXEC);
	struct tcpk_policy_stats st;
	struct tcpk_rule_spec s;
	struct tcpk_decision d;
	unsigned int records;
	u32 id;

	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(FAST_PATH));
	add_op_rule(test, TCPK_OP_OPEN, TCPK_ACTION_DENY, 1);
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(FAST_PATH));
	r.op = TCPK_OP_OPEN;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_FALSE(test, d.flags & F(FAST_PATH));
	tcpk_policy_stats_sum(&st);
	KUNIT_EXPECT_EQ(test, st.fast_path, 2ULL);
	KUNIT_EXPECT_EQ(test, st.decisions, 3ULL);
	KUNIT_EXPECT_EQ(test, st.cache_hits + st.cache_misses, 1ULL);

	/* Every exec rule needs an agent: unlabelled execs take the default. */
	s = spec_of(TCPK_ACTION_DENY);
	s.present = P(AGENT) | P(OPS);
	s.agent = "*";
	s.ops = OPB(EXEC);
	id = add_rule(test, &s);
	r.op = TCPK_OP_EXEC;
	records = proc_fake.records;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(FAST_PATH));
	KUNIT_EXPECT_EQ(test, proc_fake.records, records);
	r.agent = "claude";
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_TRUE(test, matched(&d, id));
	KUNIT_EXPECT_FALSE(test, d.flags & F(FAST_PATH));
	KUNIT_EXPECT_EQ(test, proc_fake.records, records + 1);

	/* A labelled subject on the fast path is not recorded ... */
	r.op = TCPK_OP_UNLINK;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(FAST_PATH));
	KUNIT_EXPECT_EQ(test, proc_fake.records, records + 1);
	/* ... one that walked the rules is, even when none matched. */
	r.op = TCPK_OP_RENAME;
	s = spec_of(TCPK_ACTION_DENY);
	s.present = P(PATH);
	s.path = "/nothing";
	add_rule(test, &s);
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags & ~F(CACHED), 0U);
	KUNIT_EXPECT_EQ(test, proc_fake.records, records + 2);
	KUNIT_EXPECT_EQ(test, proc_fake.last_pid, r.pid);

	/* One exec rule without an agent condition ends the shortcut. */
	add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_ALLOW, 5000);
	r.op = TCPK_OP_EXEC;
	r.agent = NULL;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_FALSE(test, d.flags & F(FAST_PATH));
	/* An unknown operation decides nothing. */
	r.op = __TCPK_OP_MAX;
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, d.flags, F(FAST_PATH));
	KUNIT_EXPECT_EQ(test, d.verdict, ALLOW);
}

static void counters(struct kunit *test)
{
	struct tcpk_request r = req_of(TCPK_OP_UNLINK);
	struct tcpk_policy_stats st;
	struct tcpk_decision d;
	unsigned int i;

	set_mode(TCPK_LEVEL_ENFORCE, true, OPB(UNLINK));
	add_op_rule(test, TCPK_OP_UNLINK, TCPK_ACTION_DENY, 1);
	add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 1);
	for (i = 0; i < 3; i++)
		tcpk_policy_decide(&r, &d);
	r.op = TCPK_OP_EXEC;
	for (i = 0; i < 2; i++)
		tcpk_policy_decide(&r, &d);
	r.op = TCPK_OP_OPEN;
	tcpk_policy_decide(&r, &d);
	tcpk_policy_what_if(&r, &d);
	tcpk_policy_stats_sum(&st);
	KUNIT_EXPECT_EQ(test, st.decisions, 6ULL);
	KUNIT_EXPECT_EQ(test, st.fast_path, 1ULL);
	KUNIT_EXPECT_EQ(test, st.verdicts[TCPK_OP_UNLINK][0], 0ULL);
	KUNIT_EXPECT_EQ(test, st.verdicts[TCPK_OP_UNLINK][1], 3ULL);
	KUNIT_EXPECT_EQ(test, st.verdicts[TCPK_OP_UNLINK][2], 0ULL);
	KUNIT_EXPECT_EQ(test, st.verdicts[TCPK_OP_EXEC][2], 2ULL);
	KUNIT_EXPECT_EQ(test, st.verdicts[TCPK_OP_EXEC][1], 0ULL);
	KUNIT_EXPECT_EQ(test, st.verdicts[TCPK_OP_OPEN][0], 1ULL);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.decisions, 5U);
}

static void hits_survive(struct kunit *test)
{
	struct tcpk_request r = req_of(TCPK_OP_EXEC);
	struct tcpk_rule *batch[1];
	unsigned int bad, pos = 0;
	struct tcpk_decision d;
	const char *msg;
	u32 id, other;
	u64 gen, hits;

	id = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_MONITOR, 100);
	tcpk_policy_decide(&r, &d);
	tcpk_policy_decide(&r, &d);
	tcpk_policy_what_if(&r, &d);
	KUNIT_EXPECT_EQ(test, rule_hits(test, id), 2ULL);
	other = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 200);
	KUNIT_EXPECT_EQ(test, rule_hits(test, id), 2ULL);
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(other, &gen), 0);
	KUNIT_EXPECT_EQ(test, rule_hits(test, id), 2ULL);
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_TRUE(test, matched(&d, id));
	KUNIT_EXPECT_EQ(test, rule_hits(test, id), 3ULL);
	/* The other one is gone. */
	KUNIT_EXPECT_EQ(test, tcpk_policy_rules_walk(&pos, &gen, other,
						     hits_fill, &hits), -ENOENT);

	/* A rule that takes over (higher priority) starts at 0. */
	other = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 1);
	tcpk_policy_decide(&r, &d);
	KUNIT_EXPECT_EQ(test, rule_hits(test, other), 1ULL);
	KUNIT_EXPECT_EQ(test, rule_hits(test, id), 3ULL);
	/* A failed replace changes nothing, hits included. */
	batch[0] = make_rule(test, &(struct tcpk_rule_spec){ .action = 1 });
	WRITE_ONCE(tcpk_max_rules, 0);
	KUNIT_EXPECT_EQ(test, tcpk_policy_replace(batch, 1, &gen, &msg, &bad),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, rule_hits(test, id), 3ULL);
	KUNIT_EXPECT_EQ(test, tcpk_policy_count(), 2U);
}

/* --- changes: replace, ids, limits, events ------------------------------------- */

static struct tcpk_rule *rule_with_id(struct kunit *test, u32 id)
{
	struct tcpk_rule_spec s = spec_of(TCPK_ACTION_ALLOW);

	s.id = id;
	return make_rule(test, &s);
}

static void replace(struct kunit *test)
{
	unsigned int bad = 12345, policies;
	struct tcpk_rule *batch[5];
	const char *msg = NULL;
	struct ids ids;
	u64 gen, before;

	add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 1);
	add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 2);
	before = tcpk_policy_generation();
	policies = tcpk_fake_events.policies;

	batch[0] = rule_with_id(test, 0);
	batch[1] = rule_with_id(test, 5);
	batch[2] = rule_with_id(test, 0);
	batch[3] = rule_with_id(test, 5);
	KUNIT_EXPECT_EQ(test, tcpk_policy_replace(batch, 4, &gen, &msg, &bad),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, bad, 3U);
	KUNIT_EXPECT_STREQ(test, msg, "id: two rules have the same id");

	batch[0] = rule_with_id(test, 9);
	batch[1] = rule_with_id(test, 7);
	batch[2] = rule_with_id(test, 9);
	batch[3] = rule_with_id(test, 7);
	batch[4] = rule_with_id(test, 9);
	KUNIT_EXPECT_EQ(test, tcpk_policy_replace(batch, 5, &gen, &msg, &bad),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, bad, 2U);

	WRITE_ONCE(tcpk_max_rules, 2);
	batch[0] = rule_with_id(test, 0);
	batch[1] = rule_with_id(test, 0);
	batch[2] = rule_with_id(test, 0);
	KUNIT_EXPECT_EQ(test, tcpk_policy_replace(batch, 3, &gen, &msg, &bad),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, bad, 2U);
	KUNIT_EXPECT_STREQ(test, msg,
			   "max_rules: more rules than the policy may hold");
	WRITE_ONCE(tcpk_max_rules, 4096);

	/* Nothing happened. */
	KUNIT_EXPECT_EQ(test, tcpk_policy_generation(), before);
	KUNIT_EXPECT_EQ(test, tcpk_policy_count(), 2U);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, policies);

	/* Explicit ids kept, next_id moved past them, the rest assigned. */
	batch[0] = rule_with_id(test, 0);
	batch[1] = rule_with_id(test, 50);
	batch[2] = rule_with_id(test, 0);
	gen = 0;
	KUNIT_ASSERT_EQ(test, tcpk_policy_replace(batch, 3, &gen, &msg, &bad),
			0);
	KUNIT_EXPECT_EQ(test, gen, before + 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, policies + 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_generation, gen);
	walk_ids(test, &ids);
	KUNIT_ASSERT_EQ(test, ids.n, 3U);
	KUNIT_EXPECT_EQ(test, ids.id[0], 51U);
	KUNIT_EXPECT_EQ(test, ids.id[1], 50U);
	KUNIT_EXPECT_EQ(test, ids.id[2], 52U);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 53U);

	/* An empty replace empties the policy, a new generation. */
	KUNIT_EXPECT_EQ(test, tcpk_policy_replace(NULL, 0, &gen, &msg, &bad), 0);
	KUNIT_EXPECT_EQ(test, tcpk_policy_count(), 0U);
	KUNIT_EXPECT_EQ(test, gen, before + 3);
}

static void id_assignment(struct kunit *test)
{
	struct tcpk_rule *rule;
	const char *msg = NULL;
	struct ids ids;
	u64 gen, before;
	u32 id = 0;

	KUNIT_EXPECT_EQ(test, tcpk_policy_generation(), 1ULL);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 1U);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 2U);
	rule = rule_with_id(test, 10);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), 0);
	KUNIT_EXPECT_EQ(test, id, 10U);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 11U);

	before = tcpk_policy_generation();
	rule = rule_with_id(test, 10);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -EEXIST);
	KUNIT_EXPECT_STREQ(test, msg, "id: a rule with this id exists");
	KUNIT_EXPECT_EQ(test, tcpk_policy_generation(), before);
	rule = rule_with_id(test, 5);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), 0);
	KUNIT_EXPECT_EQ(test, id, 5U);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 12U);
	/* Ids are not reused, not even after a flush. */
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(12, &gen), 0);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 13U);
	KUNIT_EXPECT_EQ(test, tcpk_policy_flush(&gen), 0);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 14U);

	/* Once U32_MAX is taken, the lowest free ids. */
	rule = rule_with_id(test, U32_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), 0);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 1U);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 2U);
	rule = rule_with_id(test, 3);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), 0);
	KUNIT_EXPECT_EQ(test, add_op_rule(test, TCPK_OP_EXEC, 1, 1), 4U);
	{
		struct tcpk_rule *batch[4] = {
			rule_with_id(test, 0), rule_with_id(test, 2),
			rule_with_id(test, 0), rule_with_id(test, 0),
		};
		unsigned int bad;

		KUNIT_EXPECT_EQ(test, tcpk_policy_replace(batch, 4, &gen, &msg,
							  &bad), 0);
	}
	walk_ids(test, &ids);
	KUNIT_ASSERT_EQ(test, ids.n, 4U);
	KUNIT_EXPECT_EQ(test, ids.id[0], 1U);
	KUNIT_EXPECT_EQ(test, ids.id[1], 2U);
	KUNIT_EXPECT_EQ(test, ids.id[2], 3U);
	KUNIT_EXPECT_EQ(test, ids.id[3], 4U);
}

static void max_rules_limit(struct kunit *test)
{
	struct tcpk_rule *rule;
	const char *msg = NULL;
	u32 id = 0, first;
	u64 gen;

	WRITE_ONCE(tcpk_max_rules, 3);
	first = add_op_rule(test, TCPK_OP_EXEC, 1, 1);
	add_op_rule(test, TCPK_OP_EXEC, 1, 1);
	add_op_rule(test, TCPK_OP_EXEC, 1, 1);
	rule = rule_with_id(test, 0);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -ENOSPC);
	KUNIT_EXPECT_STREQ(test, msg,
			   "max_rules: the policy holds as many rules as it may");
	/* Lowered below the count: nothing deleted, nothing added. */
	WRITE_ONCE(tcpk_max_rules, 2);
	KUNIT_EXPECT_EQ(test, tcpk_policy_count(), 3U);
	rule = rule_with_id(test, 0);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -ENOSPC);
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(first, &gen), 0);
	rule = rule_with_id(test, 0);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -ENOSPC);
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(first + 1, &gen), 0);
	add_op_rule(test, TCPK_OP_EXEC, 1, 1);

	/* The parameter: 0 to 65535. */
	{
		unsigned int v = 9;
		struct kernel_param kp = { .arg = &v };

		KUNIT_EXPECT_EQ(test, tcpk_max_rules_ops.set("65536", &kp),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, tcpk_max_rules_ops.set("-1", &kp), -EINVAL);
		KUNIT_EXPECT_EQ(test, v, 9U);
		KUNIT_EXPECT_EQ(test, tcpk_max_rules_ops.set("65535", &kp), 0);
		KUNIT_EXPECT_EQ(test, v, 65535U);
		KUNIT_EXPECT_EQ(test, tcpk_max_rules_ops.set("0", &kp), 0);
		KUNIT_EXPECT_EQ(test, v, 0U);
	}
}

static void policy_events(struct kunit *test)
{
	struct tcpk_rule *rule;
	const char *msg;
	u32 id = 0, a;
	u64 gen;

	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, 0U);
	a = add_op_rule(test, TCPK_OP_EXEC, 1, 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, 1U);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_generation, 2ULL);
	rule = rule_with_id(test, a);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -EEXIST);
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(a + 100, &gen), -ENOENT);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, 1U);
	KUNIT_EXPECT_EQ(test, tcpk_policy_del(a, &gen), 0);
	KUNIT_EXPECT_EQ(test, gen, 3ULL);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, 2U);
	/* Flushing an empty policy is a change too. */
	KUNIT_EXPECT_EQ(test, tcpk_policy_flush(&gen), 0);
	KUNIT_EXPECT_EQ(test, gen, 4ULL);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, 3U);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.last_generation, 4ULL);
	KUNIT_EXPECT_EQ(test, tcpk_policy_generation(), 4ULL);
}

static void mode_set_get(struct kunit *test)
{
	struct tcpk_mode m = { .level = 2, .alerts = false,
			       .block_ops = OPB(UNLINK) };
	struct kernel_param kp = { .arg = &tcpk_block_ops };
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	const char *msg = NULL;
	struct tcpk_mode got;
	char val[16];

	KUNIT_ASSERT_NOT_NULL(test, buf);

	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, true, true, true, &msg), 0);
	tcpk_policy_mode_get(&got);
	KUNIT_EXPECT_EQ(test, got.level, 2U);
	KUNIT_EXPECT_FALSE(test, got.alerts);
	KUNIT_EXPECT_EQ(test, got.block_ops, (u32)OPB(UNLINK));
	KUNIT_EXPECT_EQ(test, tcpk_security_level_get(), 2U);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, 1U);

	/* Only what is asked for changes. */
	m.level = 3;
	m.alerts = true;
	m.block_ops = 0;
	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, false, true, false, &msg), 0);
	tcpk_policy_mode_get(&got);
	KUNIT_EXPECT_EQ(test, got.level, 2U);
	KUNIT_EXPECT_TRUE(test, got.alerts);
	KUNIT_EXPECT_EQ(test, got.block_ops, (u32)OPB(UNLINK));
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, 2U);

	/* Refused as a whole. */
	m.level = 4;
	m.block_ops = OPB(EXEC);
	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, true, true, true, &msg),
			-EINVAL);
	m.level = 3;
	m.block_ops = BIT(__TCPK_OP_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, true, true, true, &msg),
			-EINVAL);
	tcpk_policy_mode_get(&got);
	KUNIT_EXPECT_EQ(test, got.level, 2U);
	KUNIT_EXPECT_EQ(test, got.block_ops, (u32)OPB(UNLINK));
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, 2U);
	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, false, false, false, &msg), 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, 2U);

	/* The block_ops parameter refuses unknown operations too. */
	snprintf(val, sizeof(val), "%#x", TCPK_OPS_ALL + 1);
	KUNIT_EXPECT_EQ(test, tcpk_block_ops_ops.set(val, &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_block_ops_ops.set("nope", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tcpk_block_ops), (u32)OPB(UNLINK));
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, 2U);
	/* A write taken through sysfs is announced like a netlink change. */
	KUNIT_EXPECT_EQ(test, tcpk_block_ops_ops.set("0x30", &kp), 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, 3U);
	KUNIT_EXPECT_EQ(test, tcpk_block_ops_ops.get(buf, &kp), 5);
	KUNIT_EXPECT_STREQ(test, buf, "0x30\n");
	snprintf(val, sizeof(val), "%u", TCPK_OPS_ALL);
	KUNIT_EXPECT_EQ(test, tcpk_block_ops_ops.set(val, &kp), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tcpk_block_ops), TCPK_OPS_ALL);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, 4U);
}

/* While locked, tcpk_policy_add() takes only rules that cannot loosen. */
static void locked_add(struct kunit *test)
{
	struct tcpk_rule_spec s;
	struct tcpk_rule *rule;
	const char *msg = NULL;
	u64 gen, before;
	u32 id;

	add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 100);
	add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_KILL, 200);
	tcpk_fake_locked = true;
	before = tcpk_policy_generation();

	/* Not a refusing action. */
	s = spec_of(TCPK_ACTION_ALLOW);
	s.priority = 5000;
	rule = make_rule(test, &s);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -EPERM);
	KUNIT_EXPECT_STREQ(test, msg,
			   "tcp_kernel is locked: a rule that does not refuse would loosen the policy");
	s = spec_of(TCPK_ACTION_ALERT);
	rule = make_rule(test, &s);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -EPERM);

	/* A deny before the kill rule would hide it. */
	s = spec_of(TCPK_ACTION_DENY);
	s.priority = 150;
	rule = make_rule(test, &s);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -EPERM);
	KUNIT_EXPECT_STREQ(test, msg,
			   "tcp_kernel is locked: a rule evaluated before a stronger one would loosen the policy");
	KUNIT_EXPECT_EQ(test, tcpk_policy_generation(), before);
	KUNIT_EXPECT_EQ(test, tcpk_policy_count(), 2U);

	/* After the kill rule, or at its priority (after it), a deny is fine. */
	s.priority = 200;
	add_rule(test, &s);
	s.priority = 5000;
	add_rule(test, &s);
	/* A kill before denies and kills, a quarantine after everything. */
	s = spec_of(TCPK_ACTION_KILL);
	s.priority = 50;
	add_rule(test, &s);
	s = spec_of(TCPK_ACTION_QUARANTINE);
	s.priority = 6000;
	add_rule(test, &s);
	/* Neither a kill nor a quarantine contains the other. */
	s = spec_of(TCPK_ACTION_KILL);
	s.priority = 5500;
	rule = make_rule(test, &s);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -EPERM);
	s = spec_of(TCPK_ACTION_QUARANTINE);
	s.priority = 10;
	rule = make_rule(test, &s);
	KUNIT_EXPECT_EQ(test, tcpk_policy_add(rule, &id, &gen, &msg), -EPERM);
	KUNIT_EXPECT_EQ(test, tcpk_policy_count(), 6U);

	tcpk_fake_locked = false;
	s = spec_of(TCPK_ACTION_ALLOW);
	add_rule(test, &s);
}

/* While locked, a mode change may only tighten; nothing changes if not. */
static void locked_mode_set(struct kunit *test)
{
	struct tcpk_mode m = { .level = 2, .alerts = true,
			       .block_ops = OPB(EXEC) | OPB(OPEN) };
	struct tcpk_mode got;
	const char *msg = NULL;

	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, true, true, true, &msg), 0);
	tcpk_fake_locked = true;

	m.level = 1;
	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, true, true, true, &msg),
			-EPERM);
	KUNIT_EXPECT_STREQ(test, msg,
			   "tcp_kernel is locked: lowering the security level would loosen the policy");
	m.level = 2;
	m.alerts = false;
	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, true, true, true, &msg),
			-EPERM);
	m.alerts = true;
	m.block_ops = OPB(EXEC);
	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, true, true, true, &msg),
			-EPERM);
	tcpk_policy_mode_get(&got);
	KUNIT_EXPECT_EQ(test, got.level, 2U);
	KUNIT_EXPECT_TRUE(test, got.alerts);
	KUNIT_EXPECT_EQ(test, got.block_ops, (u32)(OPB(EXEC) | OPB(OPEN)));
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.modes, 1U);

	m.level = 3;
	m.block_ops = TCPK_OPS_ALL;
	KUNIT_EXPECT_EQ(test, tcpk_policy_mode_set(&m, true, true, true, &msg), 0);
	tcpk_policy_mode_get(&got);
	KUNIT_EXPECT_EQ(test, got.level, 3U);
	KUNIT_EXPECT_EQ(test, got.block_ops, (u32)TCPK_OPS_ALL);
	tcpk_fake_locked = false;
}

static void what_if_no_side_effects(struct kunit *test)
{
	struct tcpk_policy_stats *before, *after;
	struct tcpk_fake_events ev;
	struct tcpk_request *reqs;
	struct tcpk_rule_spec s;
	struct tcpk_decision d;
	unsigned int i, records;
	u32 deny, alert, quar;

	reqs = kunit_kcalloc(test, 5, sizeof(*reqs), GFP_KERNEL);
	before = kunit_kzalloc(test, sizeof(*before), GFP_KERNEL);
	after = kunit_kzalloc(test, sizeof(*after), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reqs);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	set_mode(TCPK_LEVEL_ENFORCE, true, TCPK_OPS_ALL);
	deny = add_op_rule(test, TCPK_OP_EXEC, TCPK_ACTION_DENY, 1);
	alert = add_op_rule(test, TCPK_OP_OPEN, TCPK_ACTION_ALERT, 1);
	quar = add_op_rule(test, TCPK_OP_UNLINK, TCPK_ACTION_QUARANTINE, 1);
	s = spec_of(TCPK_ACTION_KILL);
	s.present = P(AGENT);
	s.agent = "x";
	add_rule(test, &s);
	reqs[0] = req_of(TCPK_OP_EXEC);
	reqs[1] = req_of(TCPK_OP_OPEN);
	reqs[2] = req_of(TCPK_OP_UNLINK);
	reqs[3] = req_of(TCPK_OP_CHMOD);
	reqs[3].agent = "x";
	reqs[4] = req_of(TCPK_OP_SOCKET);	/* fast path */

	tcpk_policy_stats_sum(before);
	ev = tcpk_fake_events;
	records = proc_fake.records;
	preempt_disable();
	for (i = 0; i < 2 * 5; i++)
		tcpk_policy_what_if(&reqs[i % 5], &d);
	/* The what-ifs left nothing in this CPU's cache. */
	tcpk_policy_decide(&reqs[0], &d);
	preempt_enable();
	KUNIT_EXPECT_FALSE(test, d.flags & F(CACHED));
	KUNIT_EXPECT_EQ(test, d.verdict, DENY);

	tcpk_policy_stats_sum(after);
	KUNIT_EXPECT_EQ(test, after->decisions, before->decisions + 1);
	KUNIT_EXPECT_EQ(test, after->cache_hits, before->cache_hits);
	KUNIT_EXPECT_EQ(test, after->cache_misses, before->cache_misses + 1);
	KUNIT_EXPECT_EQ(test, after->fast_path, before->fast_path);
	KUNIT_EXPECT_EQ(test, memcmp(after->verdicts[TCPK_OP_OPEN],
				     before->verdicts[TCPK_OP_OPEN],
				     sizeof(after->verdicts[0])), 0);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.decisions, ev.decisions + 1);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, ev.policies);
	KUNIT_EXPECT_EQ(test, proc_fake.records, records + 1);
	KUNIT_EXPECT_EQ(test, proc_fake.quarantines, 0U);
	KUNIT_EXPECT_EQ(test, rule_hits(test, deny), 1ULL);
	KUNIT_EXPECT_EQ(test, rule_hits(test, alert), 0ULL);
	KUNIT_EXPECT_EQ(test, rule_hits(test, quar), 0ULL);
}

static void names(struct kunit *test)
{
	static const char *const ops[] = {
		"exec", "fork", "open", "permission", "unlink", "rmdir",
		"rename", "socket", "connect", "sendmsg", "mmap", "mprotect",
		"msgsnd", "shmat", "capable", "ptrace", "chmod", "signal",
	};
	static const s32 syscalls[] = {
		59, 56, 257, 0, 263, 84, 316, 41, 42, 46, 9, 10, 69, 30, -1,
		101, 268, 62,
	};
	struct tcpk_request r = req_of(TCPK_OP_PERMISSION);
	unsigned int op;

	BUILD_BUG_ON(ARRAY_SIZE(ops) != __TCPK_OP_MAX);
	BUILD_BUG_ON(ARRAY_SIZE(syscalls) != __TCPK_OP_MAX);
	for (op = 0; op < __TCPK_OP_MAX; op++) {
		KUNIT_EXPECT_STREQ(test, tcpk_op_name(op), ops[op]);
		KUNIT_EXPECT_EQ(test, tcpk_op_default_syscall(op), syscalls[op]);
	}
	KUNIT_EXPECT_STREQ(test, tcpk_op_name(__TCPK_OP_MAX), "unknown");
	KUNIT_EXPECT_EQ(test, tcpk_op_default_syscall(__TCPK_OP_MAX), -1);
	KUNIT_EXPECT_STREQ(test, tcpk_action_name(TCPK_ACTION_ALLOW), "allow");
	KUNIT_EXPECT_STREQ(test, tcpk_action_name(TCPK_ACTION_MONITOR), "monitor");
	KUNIT_EXPECT_STREQ(test, tcpk_action_name(TCPK_ACTION_ALERT), "alert");
	KUNIT_EXPECT_STREQ(test, tcpk_action_name(TCPK_ACTION_DENY), "deny");
	KUNIT_EXPECT_STREQ(test, tcpk_action_name(TCPK_ACTION_KILL), "kill");
	KUNIT_EXPECT_STREQ(test, tcpk_action_name(TCPK_ACTION_QUARANTINE),
			   "quarantine");
	KUNIT_EXPECT_STREQ(test, tcpk_action_name(__TCPK_ACTION_MAX), "unknown");

	KUNIT_EXPECT_EQ(test, tcpk_req_syscall(&r), 0);
	r.access = ACC(WRITE);
	KUNIT_EXPECT_EQ(test, tcpk_req_syscall(&r), 1);
	r.syscall = 17;
	KUNIT_EXPECT_EQ(test, tcpk_req_syscall(&r), 17);
}

/* --- readers racing changes ------------------------------------------------------ */

/*
 * Two policies, A (even generations) and B (odd), each of a deny rule on
 * its own directory and an allow-everything rule behind it:
 *
 *   request  A         B
 *   /a/x     1001      2002
 *   /b/x     1002      2001
 *
 * Any mix of the two (a rule of one with the generation of the other, or
 * one half of a set with the other's) gives an answer outside the table.
 */
#define SWAPS	1000

struct swapper {
	struct kunit *test;
	int err;
	unsigned int swaps;
	bool done;
};

static int install(u32 base, const char *dir)
{
	struct tcpk_rule_spec s = spec_of(TCPK_ACTION_DENY);
	struct tcpk_rule *rules[2];
	const char *msg;
	unsigned int bad;
	u64 gen;

	s.id = base + 1;
	s.priority = 10;
	s.present = P(PATH) | P(OPS);
	s.path = dir;
	s.ops = OPB(EXEC);
	rules[0] = tcpk_rule_create(&s, &msg);
	s = spec_of(TCPK_ACTION_ALLOW);
	s.id = base + 2;
	s.priority = 20;
	s.present = P(OPS);
	s.ops = OPB(EXEC);
	rules[1] = tcpk_rule_create(&s, &msg);
	if (IS_ERR(rules[0]) || IS_ERR(rules[1])) {
		if (!IS_ERR(rules[0]))
			tcpk_rule_put(rules[0]);
		if (!IS_ERR(rules[1]))
			tcpk_rule_put(rules[1]);
		return -ENOMEM;
	}
	return tcpk_policy_replace(rules, 2, &gen, &msg, &bad);
}

static int swapper_fn(void *arg)
{
	struct swapper *sw = arg;
	unsigned int i;

	for (i = 0; i < SWAPS && !sw->err; i++) {
		sw->err = i & 1 ? install(1000, "/a/**") :
				  install(2000, "/b/**");
		WRITE_ONCE(sw->swaps, i + 1);
		cond_resched();
	}
	WRITE_ONCE(sw->done, true);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

struct race_walk {
	unsigned int n;
	u32 id[2];
};

static int race_fill(const struct tcpk_rule *rule,
		     const struct tcpk_rule_spec *spec, u64 hits, void *arg)
{
	struct race_walk *w = arg;

	if (w->n < 2)
		w->id[w->n] = spec->id;
	w->n++;
	return 0;
}

static void race(struct kunit *test)
{
	struct tcpk_request ra = req_of(TCPK_OP_EXEC), rb;
	struct swapper sw = { .test = test };
	unsigned long n = 0, bad = 0, gens = 0;
	u64 last_gen = 0;
	struct task_struct *task;

	ra.path = "/a/x";
	rb = ra;
	rb.path = "/b/x";
	KUNIT_ASSERT_EQ(test, install(1000, "/a/**"), 0);
	KUNIT_ASSERT_EQ(test, tcpk_policy_generation(), 2ULL);

	task = kthread_run(swapper_fn, &sw, "tcpk-swapper");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	while (!READ_ONCE(sw.done)) {
		struct tcpk_decision da, db, wa;
		struct race_walk walk = {};
		unsigned int pos = 0;
		bool a;
		u64 gen;

		tcpk_policy_decide(&ra, &da);
		tcpk_policy_decide(&rb, &db);
		tcpk_policy_what_if(&ra, &wa);
		n++;

		a = !(da.generation & 1);
		bad += da.rule_id != (a ? 1001 : 2002);
		a = !(db.generation & 1);
		bad += db.rule_id != (a ? 1002 : 2001);
		a = !(wa.generation & 1);
		bad += wa.rule_id != (a ? 1001 : 2002);
		/* Time never goes backwards for one reader. */
		bad += db.generation < da.generation ||
		       wa.generation < db.generation ||
		       da.generation < last_gen;
		gens += da.generation != last_gen;
		last_gen = wa.generation;

		tcpk_policy_rules_walk(&pos, &gen, 0, race_fill, &walk);
		a = !(gen & 1);
		bad += walk.n != 2 || walk.id[0] != (a ? 1001 : 2001) ||
		       walk.id[1] != (a ? 1002 : 2002);
		if (bad)
			break;
		cond_resched();
	}
	kthread_stop(task);

	KUNIT_EXPECT_EQ(test, sw.err, 0);
	KUNIT_EXPECT_EQ(test, sw.swaps, SWAPS);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0UL, "after %lu rounds", n);
	KUNIT_EXPECT_EQ(test, tcpk_policy_generation(), 2ULL + SWAPS);
	KUNIT_EXPECT_EQ(test, tcpk_fake_events.policies, 1U + SWAPS);
	/* The reader did see the policy change under it. */
	KUNIT_EXPECT_GT(test, gens, 2UL);
	kunit_info(test, "%lu rounds over %lu generations", n, gens);
}

/* KUnit marks slow cases since 6.6; before, they are ordinary ones. */
#ifdef KUNIT_CASE_SLOW
#define POLICY_CASE_SLOW(test_name)	KUNIT_CASE_SLOW(test_name)
#else
#define POLICY_CASE_SLOW(test_name)	KUNIT_CASE(test_name)
#endif

static struct kunit_case tcpk_policy_cases[] = {
	KUNIT_CASE(rule_validation),
	KUNIT_CASE(rule_round_trip),
	KUNIT_CASE(conditions),
	KUNIT_CASE(ordering),
	KUNIT_CASE(defaults),
	KUNIT_CASE(verdicts),
	KUNIT_CASE(quarantine),
	KUNIT_CASE(violations),
	KUNIT_CASE(cache),
	KUNIT_CASE(cache_off),
	KUNIT_CASE(fast_path),
	KUNIT_CASE(counters),
	KUNIT_CASE(hits_survive),
	KUNIT_CASE(replace),
	KUNIT_CASE(id_assignment),
	KUNIT_CASE(max_rules_limit),
	KUNIT_CASE(policy_events),
	KUNIT_CASE(desc_identity_flags),
	KUNIT_CASE(mode_set_get),
	KUNIT_CASE(locked_add),
	KUNIT_CASE(locked_mode_set),
	KUNIT_CASE(what_if_no_side_effects),
	KUNIT_CASE(names),
	POLICY_CASE_SLOW(race),
	{}
};

static struct kunit_suite tcpk_policy_suite = {
	.name = "tcp_kernel_policy",
	.init = policy_test_init,
	.exit = policy_test_exit,
	.test_cases = tcpk_policy_cases,
};

kunit_test_suite(tcpk_policy_suite);
