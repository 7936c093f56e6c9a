/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp-policy - policy rules in the syntax of "tcp-policy add": parsing,
 * canonical formatting, shell-like line splitting and rule files; the
 * names of operations, access bits, actions, flags and capabilities.
 *
 * Nothing here talks to the module: add, load, save, list and the dry
 * runs share it.
 */
#ifndef TP_RULEFMT_H
#define TP_RULEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/tcp_kernel.h>

/**
 * enum tp_cond - bit numbers of &struct tp_rule.present
 * @TP_COND_PID: --match-pid.
 * @TP_COND_UID: --match-uid.
 * @TP_COND_GID: --match-gid.
 * @TP_COND_COMM: --match-comm.
 * @TP_COND_EXE: --match-exe.
 * @TP_COND_PATH: --match-path with a glob.
 * @TP_COND_PATH_SCOPE: --match-path=@workspace or !@workspace.
 * @TP_COND_CAPABILITY: --match-capability.
 * @TP_COND_SYSCALL: --match-syscall.
 * @TP_COND_OPS: --match-op.
 * @TP_COND_DESC_ANY: --match-desc-any.
 * @TP_COND_DESC_ALL: --match-desc-all.
 * @TP_COND_ANOMALY: --match-anomaly.
 * @TP_COND_AGENT: --match-agent.
 * @TP_COND_CGROUP: --match-cgroup.
 * @TP_COND_TARGET: --match-target.
 * @TP_COND_ACCESS: --match-access.
 * @__TP_COND_MAX: number of conditions.
 */
enum tp_cond {
	TP_COND_PID,
	TP_COND_UID,
	TP_COND_GID,
	TP_COND_COMM,
	TP_COND_EXE,
	TP_COND_PATH,
	TP_COND_PATH_SCOPE,
	TP_COND_CAPABILITY,
	TP_COND_SYSCALL,
	TP_COND_OPS,
	TP_COND_DESC_ANY,
	TP_COND_DESC_ALL,
	TP_COND_ANOMALY,
	TP_COND_AGENT,
	TP_COND_CGROUP,
	TP_COND_TARGET,
	TP_COND_ACCESS,

	__TP_COND_MAX
};

#define TP_HAS(r, c)	(((r)->present >> (c)) & 1)

/**
 * struct tp_rule - one rule, from the command line, a file or the module
 * @has_id: @id was given (or reported).
 * @id: the rule's id, 1 or more.
 * @has_priority: @priority was given (or reported).
 * @priority: lower is evaluated first.
 * @action: &enum tcpk_action; %TCPK_ACTION_UNSPEC if not given.
 * @flags: mask of ``1 << enum tcpk_rule_flag``.
 * @present: mask of ``1 << enum tp_cond``.
 * @pid: --match-pid, and so on below.
 * @uid: real uid.
 * @gid: real gid.
 * @capability: CAP_* number.
 * @ops: mask of ``1 << enum tcpk_op``.
 * @desc_any: descriptor flags, any of.
 * @desc_all: descriptor flags, all of.
 * @anomaly_min: lowest anomaly score.
 * @access: mask of ``1 << enum tcpk_access``.
 * @path_scope: %TCPK_SCOPE_INSIDE or %TCPK_SCOPE_OUTSIDE.
 * @target_scope: %TCPK_SCOPE_INSIDE or %TCPK_SCOPE_OUTSIDE.
 * @n_syscalls: entries of @syscalls.
 * @syscalls: system call numbers.
 * @cgroup: cgroup v2 id.
 * @comm: comm glob (owned), or NULL.
 * @exe: executable glob (owned), or NULL.
 * @path: object path glob (owned), or NULL.
 * @agent: agent glob (owned), or NULL.
 * @has_hits: @hits was reported.
 * @hits: the module's hit counter.
 * @line: line of a rule file where the rule starts; 0 if none.
 */
struct tp_rule {
	bool has_id;
	uint32_t id;
	bool has_priority;
	uint32_t priority;
	uint32_t action;
	uint32_t flags;
	uint32_t present;
	uint32_t pid;
	uint32_t uid;
	uint32_t gid;
	uint32_t capability;
	uint32_t ops;
	uint32_t desc_any;
	uint32_t desc_all;
	uint32_t anomaly_min;
	uint32_t access;
	uint8_t path_scope;
	uint8_t target_scope;
	unsigned int n_syscalls;
	uint32_t syscalls[TCPK_RULE_SYSCALLS_MAX];
	uint64_t cgroup;
	char *comm;
	char *exe;
	char *path;
	char *agent;
	bool has_hits;
	uint64_t hits;
	unsigned int line;
};

/**
 * struct tp_rules - the rules of a file, in file order
 * @v: the rules.
 * @n: their number.
 * @cap: allocated entries of @v.
 */
struct tp_rules {
	struct tp_rule *v;
	size_t n;
	size_t cap;
};

/**
 * struct tp_cli_flags - options of the command line that are not rule
 *	options, recognised by tp_rule_parse() with %TP_PARSE_CLI
 * @help: -h, --help.
 * @dry_run: -n, --dry-run.
 */
struct tp_cli_flags {
	bool help;
	bool dry_run;
};

/* tp_rule_parse() flags */
#define TP_PARSE_CLI	0x1	/* also -h -j -p -n and their long forms */

/* tp_rule_format() flags */
#define TP_FMT_ADD	0x1	/* "add " first */
#define TP_FMT_ID	0x2	/* --id= and --priority= */

/* Longest message of the parsers, with its NUL. */
#define TP_ERR_MAX	1024

int tp_rule_parse(struct tp_rule *r, char **tok, int ntok, unsigned int fl,
		  struct tp_cli_flags *cli, char *err, size_t errlen);
char *tp_rule_format(const struct tp_rule *r, unsigned int fl);
void tp_rule_free(struct tp_rule *r);
int tp_rule_copy(struct tp_rule *dst, const struct tp_rule *src);

struct tp_rule *tp_rules_add(struct tp_rules *rs);
void tp_rules_free(struct tp_rules *rs);
int tp_rules_read(const char *file, struct tp_rules *rs);
int tp_rules_write(FILE *f, const struct tp_rules *rs);

int tp_split_line(char *line, char ***tok, int *ntok, size_t *cap,
		  char *err, size_t errlen);
void tp_quote(FILE *f, const char *s);

/* Names of the uapi's enums and masks. */
const char *tp_op_name(uint32_t op);
const char *tp_access_name(uint32_t bit);
const char *tp_action_name(uint32_t action);
const char *tp_verdict_name(uint32_t verdict);
const char *tp_scope_name(uint32_t scope);
const char *tp_decision_flag_name(uint32_t bit);
const char *tp_event_type_name(uint32_t type);
const char *tp_cap_name(uint32_t cap);

int tp_parse_op(const char *s, uint32_t *op);
int tp_parse_ops(const char *s, uint32_t *mask, char *err, size_t errlen);
int tp_parse_access(const char *s, uint32_t *mask, char *err, size_t errlen);
int tp_parse_cap(const char *s, uint32_t *cap);
int tp_parse_u32(const char *s, uint32_t *v);
int tp_parse_u64(const char *s, uint64_t *v);
int tp_parse_user(const char *s, uint32_t *uid);
int tp_parse_group(const char *s, uint32_t *gid);
int tp_parse_cgroup(const char *s, uint64_t *id, char *err, size_t errlen);
int tp_parse_desc_flags(const char *s, uint32_t *mask, char *err,
			size_t errlen);

void tp_format_ops(uint32_t mask, char *buf, size_t len);
void tp_format_access(uint32_t mask, char *buf, size_t len);
void tp_format_decision_flags(uint32_t mask, char *buf, size_t len);
void tp_format_desc_flags(uint32_t mask, char *buf, size_t len);

#endif /* TP_RULEFMT_H */
