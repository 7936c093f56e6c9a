// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - the "status" command */

#include <errno.h>
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
#include "tcp-policy.h"

#define LSM_FILE "/sys/kernel/security/lsm"

/**
 * struct tp_part - one part of the module as reported
 * @id: &enum tcpk_part; may be one this tool does not know.
 * @name: short name given by the module.
 * @enabled: the administrator enabled the part.
 * @available: the part works here and is running.
 * @reason: why it is unavailable, or what was detected; may be empty.
 */
struct tp_part {
	uint32_t id;
	char *name;
	bool enabled;
	bool available;
	char *reason;
};

/*
 * Counters of the TCPK_A_STATS nest, in output order.  A counter is
 * required in the reply of a module whose uapi is at least @since; a newer
 * module's counters that this table lacks are ignored.
 */
static const struct {
	int attr;
	uint32_t since;
	const char *name;
} tp_stats[] = {
	{ TCPK_A_STATS_KFUNC_CALLS,	1, "kfunc_calls" },
	{ TCPK_A_STATS_GENL_REQUESTS,	1, "genl_requests" },
};

#define TP_NSTATS (sizeof(tp_stats) / sizeof(tp_stats[0]))

/**
 * struct tp_status - the reply to %TCPK_CMD_GET_STATUS
 * @have: a reply was parsed.
 * @module_version: %TCPK_A_MODULE_VERSION.
 * @uapi_version: %TCPK_A_UAPI_VERSION.
 * @security_level: %TCPK_A_SECURITY_LEVEL.
 * @kernel_release: %TCPK_A_KERNEL_RELEASE.
 * @parts: the %TCPK_A_PART nests, in reply order.
 * @nparts: number of @parts.
 * @stats: counters, indexed like tp_stats[].
 * @have_stat: which of @stats the reply carried.
 * @have_locked: the reply carried %TCPK_A_LOCKED (uapi 10).
 * @locked: %TCPK_A_LOCKED.
 * @have_signed: the reply carried %TCPK_A_SIGNED_REQUIRED and
 *	%TCPK_A_KEYRING (uapi 11).
 * @signed_required: %TCPK_A_SIGNED_REQUIRED.
 * @keyring: %TCPK_A_KEYRING.
 */
struct tp_status {
	bool have;
	char *module_version;
	uint32_t uapi_version;
	uint32_t security_level;
	char *kernel_release;
	struct tp_part *parts;
	size_t nparts;
	uint64_t stats[TP_NSTATS];
	bool have_stat[TP_NSTATS];
	bool have_locked;
	bool locked;
	bool have_signed;
	bool signed_required;
	uint32_t keyring;
};

static const struct nla_policy status_policy[TCPK_A_MAX + 1] = {
	[TCPK_A_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_MODULE_VERSION]	= { .type = NLA_STRING },
	[TCPK_A_UAPI_VERSION]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[TCPK_A_SECURITY_LEVEL]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[TCPK_A_KERNEL_RELEASE]	= { .type = NLA_STRING },
	[TCPK_A_PART]		= { .type = NLA_NESTED },
	[TCPK_A_STATS]		= { .type = NLA_NESTED },
	[TCPK_A_LOCKED]		= { .type = NLA_U8, .maxlen = sizeof(uint8_t) },
	[TCPK_A_SIGNED_REQUIRED] = { .type = NLA_U8, .maxlen = sizeof(uint8_t) },
	[TCPK_A_KEYRING]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
};

static const struct nla_policy part_policy[TCPK_A_PART_MAX + 1] = {
	[TCPK_A_PART_ID]	= { .type = NLA_U32, .maxlen = sizeof(uint32_t) },
	[TCPK_A_PART_NAME]	= { .type = NLA_STRING },
	[TCPK_A_PART_ENABLED]	= { .type = NLA_U8, .maxlen = sizeof(uint8_t) },
	[TCPK_A_PART_AVAILABLE]	= { .type = NLA_U8, .maxlen = sizeof(uint8_t) },
	[TCPK_A_PART_REASON]	= { .type = NLA_STRING },
};

static const struct nla_policy stats_policy[TCPK_A_STATS_MAX + 1] = {
	[TCPK_A_STATS_PAD]		= { .type = NLA_UNSPEC },
	[TCPK_A_STATS_KFUNC_CALLS]	= { .type = NLA_U64,
					    .maxlen = sizeof(uint64_t) },
	[TCPK_A_STATS_GENL_REQUESTS]	= { .type = NLA_U64,
					    .maxlen = sizeof(uint64_t) },
};

static int missing(const char *where, const char *attr)
{
	tp_err("status: malformed %s: no %s", where, attr);
	return -EBADMSG;
}

static char *dup_string(struct nlattr *nla)
{
	char *s = strdup(nla_get_string(nla));

	if (!s)
		tp_err("status: %s", strerror(ENOMEM));
	return s;
}

static int parse_part(struct tp_status *st, struct nlattr *nest)
{
	struct nlattr *tb[TCPK_A_PART_MAX + 1];
	struct tp_part *part;
	int err;

	err = tp_nl_parse(tb, TCPK_A_PART_MAX, nla_data(nest), nla_len(nest),
			  part_policy, "status", "part");
	if (err)
		return err;
	if (!tb[TCPK_A_PART_ID])
		return missing("part", "TCPK_A_PART_ID");
	if (!tb[TCPK_A_PART_NAME])
		return missing("part", "TCPK_A_PART_NAME");
	if (!tb[TCPK_A_PART_ENABLED])
		return missing("part", "TCPK_A_PART_ENABLED");
	if (!tb[TCPK_A_PART_AVAILABLE])
		return missing("part", "TCPK_A_PART_AVAILABLE");

	part = realloc(st->parts, (st->nparts + 1) * sizeof(*part));
	if (!part) {
		tp_err("status: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	st->parts = part;
	part += st->nparts;
	memset(part, 0, sizeof(*part));
	st->nparts++;

	part->id = nla_get_u32(tb[TCPK_A_PART_ID]);
	part->enabled = nla_get_u8(tb[TCPK_A_PART_ENABLED]) != 0;
	part->available = nla_get_u8(tb[TCPK_A_PART_AVAILABLE]) != 0;
	part->name = dup_string(tb[TCPK_A_PART_NAME]);
	/* Documented as always present; an absent reason reads as empty. */
	part->reason = tb[TCPK_A_PART_REASON] ?
		       dup_string(tb[TCPK_A_PART_REASON]) : strdup("");
	if (!part->name || !part->reason)
		return -ENOMEM;
	return 0;
}

static int parse_stats(struct tp_status *st, struct nlattr *nest)
{
	struct nlattr *tb[TCPK_A_STATS_MAX + 1];
	size_t i;
	int err;

	err = tp_nl_parse(tb, TCPK_A_STATS_MAX, nla_data(nest), nla_len(nest),
			  stats_policy, "status", "stats");
	if (err)
		return err;

	for (i = 0; i < TP_NSTATS; i++) {
		struct nlattr *nla = tb[tp_stats[i].attr];

		if (!nla) {
			if (st->uapi_version >= tp_stats[i].since)
				return missing("stats", tp_stats[i].name);
			continue;
		}
		st->stats[i] = nla_get_u64(nla);
		st->have_stat[i] = true;
	}
	return 0;
}

static int parse_status(struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attrs = genlmsg_attrdata(gnlh, 0);
	int len = genlmsg_attrlen(gnlh, 0);
	struct nlattr *tb[TCPK_A_MAX + 1];
	struct tp_status *st = arg;
	struct nlattr *nla;
	int rem, err;

	if (st->have) {
		tp_err("status: malformed reply: more than one message");
		return -EBADMSG;
	}

	err = tp_nl_parse(tb, TCPK_A_MAX, attrs, len, status_policy,
			  "status", "reply");
	if (err)
		return err;
	if (!tb[TCPK_A_MODULE_VERSION])
		return missing("reply", "TCPK_A_MODULE_VERSION");
	if (!tb[TCPK_A_UAPI_VERSION])
		return missing("reply", "TCPK_A_UAPI_VERSION");
	if (!tb[TCPK_A_SECURITY_LEVEL])
		return missing("reply", "TCPK_A_SECURITY_LEVEL");
	if (!tb[TCPK_A_KERNEL_RELEASE])
		return missing("reply", "TCPK_A_KERNEL_RELEASE");
	if (!tb[TCPK_A_STATS])
		return missing("reply", "TCPK_A_STATS");

	st->have = true;
	st->uapi_version = nla_get_u32(tb[TCPK_A_UAPI_VERSION]);
	st->security_level = nla_get_u32(tb[TCPK_A_SECURITY_LEVEL]);
	st->module_version = dup_string(tb[TCPK_A_MODULE_VERSION]);
	st->kernel_release = dup_string(tb[TCPK_A_KERNEL_RELEASE]);
	if (!st->module_version || !st->kernel_release)
		return -ENOMEM;
	st->have_locked = tb[TCPK_A_LOCKED];
	st->locked = st->have_locked && nla_get_u8(tb[TCPK_A_LOCKED]);
	st->have_signed = tb[TCPK_A_SIGNED_REQUIRED] && tb[TCPK_A_KEYRING];
	if (st->have_signed) {
		st->signed_required = nla_get_u8(tb[TCPK_A_SIGNED_REQUIRED]);
		st->keyring = nla_get_u32(tb[TCPK_A_KEYRING]);
	}

	/* TCPK_A_PART repeats: walk the stream, not the index. */
	nla_for_each_attr(nla, attrs, len, rem) {
		if (nla_type(nla) != TCPK_A_PART)
			continue;
		err = parse_part(st, nla);
		if (err)
			return err;
	}

	return parse_stats(st, tb[TCPK_A_STATS]);
}

static void free_status(struct tp_status *st)
{
	size_t i;

	for (i = 0; i < st->nparts; i++) {
		free(st->parts[i].name);
		free(st->parts[i].reason);
	}
	free(st->parts);
	free(st->module_version);
	free(st->kernel_release);
}

/*
 * Whether the kernel runs the BPF LSM, from the list of active LSMs in
 * securityfs.  Return: 1 yes, 0 no, -1 unknown (securityfs not mounted or
 * not readable).
 */
static int bpf_lsm_active(void)
{
	char buf[4096], *tok, *save;
	size_t n;
	FILE *f;

	f = fopen(LSM_FILE, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	if (ferror(f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[n] = '\0';

	for (tok = strtok_r(buf, ",\n", &save); tok;
	     tok = strtok_r(NULL, ",\n", &save))
		if (!strcmp(tok, "bpf"))
			return 1;
	return 0;
}

/*
 * BPF programs that hold the module: a program that calls one of its
 * kfuncs takes a reference on the module for as long as it is loaded,
 * and nothing else keeps one but the lock (one more, subtracted by the
 * caller when the module is locked), so the module's reference count is
 * the number of its BPF programs (LSM and XDP).  Return: the count, or -1
 * if sysfs does not say.
 */
static long bpf_programs(void)
{
	long n = -1;
	FILE *f;

	f = fopen("/sys/module/" TCPK_GENL_NAME "/refcnt", "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1 || n < 0)
		n = -1;
	fclose(f);
	return n;
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static int print_text(const struct tp_status *st, int lsm, long progs,
		      const struct tp_mode_info *mi)
{
	int wname = (int)strlen("NAME");
	int wstat = 0;
	size_t i;

	printf("module version: %s\n", st->module_version);
	printf("uapi version:   %" PRIu32, st->uapi_version);
	if (st->uapi_version != TCPK_UAPI_VERSION)
		printf(" (note: " TP_NAME " was built for uapi %d)",
		       TCPK_UAPI_VERSION);
	printf("\n");
	printf("kernel release: %s\n", st->kernel_release);
	printf("security level: %" PRIu32 " (%s)\n", st->security_level,
	       tp_level_name(st->security_level));
	if (st->have_locked)
		printf("locked:         %s\n", st->locked ?
		       "yes, until reboot (no loosening change, no unload)" :
		       "no");
	if (st->have_signed)
		printf("signed policy:  %s (keyring .tcp_kernel: %" PRIu32 ")\n",
		       st->signed_required ? "required" : "not required",
		       st->keyring);
	printf("bpf LSM active: %s\n",
	       lsm < 0 ? "unknown" : yes_no(lsm));
	if (progs > 0)
		printf("bpf programs:   %ld hold the module (tcp-bpf status)\n",
		       progs);
	else if (!progs)
		printf("bpf programs:   none: the hooks are not enforced (tcp-bpf attach)\n");
	else
		printf("bpf programs:   unknown (no /sys/module/" TCPK_GENL_NAME "/refcnt)\n");
	if (mi->have) {
		char ops[256];

		tp_format_block_ops(mi->mode.block_ops, ops, sizeof(ops));
		printf("policy mode:    %s (alerts %s, block ops %s)\n",
		       tp_mode_name(&mi->mode), mi->mode.alerts ? "on" : "off",
		       ops);
		if (mi->has_rules)
			printf("policy rules:   %" PRIu32, mi->rules);
		if (mi->has_rules && mi->has_limit)
			printf(" (limit %" PRIu32 ")", mi->limit);
		if (mi->has_rules && mi->has_generation)
			printf(", generation %" PRIu64, mi->generation);
		if (mi->has_rules)
			printf("\n");
	}

	printf("\nparts:\n");
	if (!st->nparts)
		printf("  none reported\n");
	else {
		for (i = 0; i < st->nparts; i++)
			if ((int)strlen(st->parts[i].name) > wname)
				wname = (int)strlen(st->parts[i].name);
		printf("  %-*s  %-7s  %-9s  %s\n", wname, "NAME", "ENABLED",
		       "AVAILABLE", "REASON");
	}
	for (i = 0; i < st->nparts; i++) {
		const struct tp_part *p = &st->parts[i];

		printf("  %-*s  %-7s  %-9s  %s\n", wname, p->name,
		       yes_no(p->enabled), yes_no(p->available),
		       p->reason[0] ? p->reason : "-");
	}

	printf("\nstats:\n");
	for (i = 0; i < TP_NSTATS; i++)
		if ((int)strlen(tp_stats[i].name) > wstat)
			wstat = (int)strlen(tp_stats[i].name);
	for (i = 0; i < TP_NSTATS; i++)
		if (st->have_stat[i])
			printf("  %-*s  %" PRIu64 "\n", wstat, tp_stats[i].name,
			       st->stats[i]);
	return TP_EXIT_OK;
}

static struct json_object *json_str(const char *s)
{
	return json_object_new_string(s);
}

static int print_json(const struct tp_status *st, int lsm, long progs,
		      const struct tp_mode_info *mi)
{
	struct json_object *root, *parts, *stats;
	int ret = TP_EXIT_FAIL;
	size_t i;

	root = json_object_new_object();
	if (!root) {
		tp_err("status: %s", strerror(ENOMEM));
		return TP_EXIT_FAIL;
	}

	json_object_object_add(root, "module_version",
			       json_str(st->module_version));
	json_object_object_add(root, "uapi_version",
			       json_object_new_int64(st->uapi_version));
	json_object_object_add(root, "tool_uapi_version",
			       json_object_new_int64(TCPK_UAPI_VERSION));
	json_object_object_add(root, "security_level",
			       json_object_new_int64(st->security_level));
	json_object_object_add(root, "security_level_name",
			       json_str(tp_level_name(st->security_level)));
	json_object_object_add(root, "kernel_release",
			       json_str(st->kernel_release));

	parts = json_object_new_array();
	json_object_object_add(root, "parts", parts);
	for (i = 0; parts && i < st->nparts; i++) {
		const struct tp_part *p = &st->parts[i];
		struct json_object *o = json_object_new_object();

		json_object_array_add(parts, o);
		if (!o)
			break;
		json_object_object_add(o, "id", json_object_new_int64(p->id));
		json_object_object_add(o, "name", json_str(p->name));
		json_object_object_add(o, "enabled",
				       json_object_new_boolean(p->enabled));
		json_object_object_add(o, "available",
				       json_object_new_boolean(p->available));
		json_object_object_add(o, "reason", json_str(p->reason));
	}

	stats = json_object_new_object();
	json_object_object_add(root, "stats", stats);
	for (i = 0; stats && i < TP_NSTATS; i++)
		if (st->have_stat[i])
			json_object_object_add(stats, tp_stats[i].name,
				json_object_new_uint64(st->stats[i]));

	/* null before uapi 10 */
	json_object_object_add(root, "locked", st->have_locked ?
			       json_object_new_boolean(st->locked) : NULL);
	/* null before uapi 11 */
	json_object_object_add(root, "signed_policy_required", st->have_signed ?
			       json_object_new_boolean(st->signed_required) : NULL);
	json_object_object_add(root, "keyring", st->have_signed ?
			       json_object_new_int64(st->keyring) : NULL);
	/* null when unknown */
	json_object_object_add(root, "bpf_lsm_active",
			       lsm < 0 ? NULL : json_object_new_boolean(lsm));
	json_object_object_add(root, "bpf_programs",
			       progs < 0 ? NULL : json_object_new_int64(progs));

	/* null before uapi 3 */
	if (mi->have) {
		struct json_object *pol = tp_mode_json(&mi->mode);

		if (pol && mi->has_generation)
			json_object_object_add(pol, "generation",
				json_object_new_uint64(mi->generation));
		if (pol && mi->has_rules)
			json_object_object_add(pol, "rules",
				json_object_new_int64(mi->rules));
		if (pol && mi->has_limit)
			json_object_object_add(pol, "rule_limit",
				json_object_new_int64(mi->limit));
		json_object_object_add(root, "policy", pol);
	} else {
		json_object_object_add(root, "policy", NULL);
	}

	if (tp_json_print(root) == 0)
		ret = TP_EXIT_OK;
	json_object_put(root);
	return ret;
}

static void usage(void)
{
	printf("Usage: " TP_NAME " [OPTIONS] status [OPTIONS]\n"
	       "\n"
	       "Show the module's version, uapi version, security level, the\n"
	       "state of its parts and its counters, whether the kernel runs\n"
	       "the BPF LSM, and the policy's mode and rules.  Needs no\n"
	       "privilege.\n"
	       "\n"
	       "Options:\n"
	       "  -j, --json      print one JSON object\n"
	       "  -p, --pretty    print indented JSON (implies --json)\n"
	       "  -h, --help      print this help and exit\n");
}

/**
 * tp_status_keyring() - the serial of the module's keyring
 * @serial: receives it; 0 if the module has none.
 *
 * Return: 0, or -1 (reported) if the status cannot be had or predates
 * uapi 11.
 */
int tp_status_keyring(uint32_t *serial)
{
	struct tp_status st = { 0 };
	struct nl_msg *msg;
	struct tp_nl nl;
	int ret = -1;

	if (tp_nl_open(&nl))
		return -1;
	msg = tp_nl_msg(&nl, TCPK_CMD_GET_STATUS, 0);
	if (msg && !tp_nl_request(&nl, msg, "status", parse_status, &st)) {
		if (!st.have_signed)
			tp_err("key: the module predates signed policy (uapi 11)");
		else
			ret = 0;
		*serial = st.keyring;
	}
	tp_nl_close(&nl);
	free_status(&st);
	return ret;
}

/**
 * tp_cmd_status() - "tcp-policy status"
 * @argc: argument count, argv[0] being "status".
 * @argv: arguments.
 *
 * Return: a TP_EXIT_* value.
 */
int tp_cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		TP_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct tp_status st = { 0 };
	struct tp_mode_info mi = { 0 };
	int ret = TP_EXIT_FAIL;
	struct nl_msg *msg;
	struct tp_nl nl;
	long progs;
	int opt;

	while ((opt = getopt_long(argc, argv, TP_COMMON_SHORTOPTS, longopts,
				  NULL)) != -1) {
		if (tp_common_opt(opt))
			continue;
		if (opt == 'h') {
			usage();
			return TP_EXIT_OK;
		}
		return tp_bad_option("status", TP_COMMON_SHORTOPTS, argc, argv);
	}
	if (optind < argc)
		return tp_bad_argument("status", argv[optind]);

	if (tp_nl_open(&nl))
		return TP_EXIT_FAIL;

	msg = tp_nl_msg(&nl, TCPK_CMD_GET_STATUS, 0);
	if (!msg)
		goto out;
	if (tp_nl_request(&nl, msg, "status", parse_status, &st))
		goto out;
	if (!st.have) {
		tp_err("status: the module sent no reply");
		goto out;
	}

	/* The policy's summary, from a module that has one. */
	if (st.uapi_version >= 3 && tp_mode_get(&nl, &mi, true))
		mi.have = false;

	/* The lock holds one reference of its own on the module. */
	progs = bpf_programs();
	if (progs > 0 && st.locked)
		progs--;
	if (tp_opts.json)
		ret = print_json(&st, bpf_lsm_active(), progs, &mi);
	else
		ret = print_text(&st, bpf_lsm_active(), progs, &mi);
out:
	tp_nl_close(&nl);
	free_status(&st);
	return ret;
}
