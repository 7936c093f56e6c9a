// SPDX-License-Identifier: GPL-2.0
/*
 * genl-fuzz - hostile generic-netlink input for the tcp_kernel family
 *
 * Sends N requests built to be wrong in one known way each (random,
 * truncated and mistyped attributes, garbage nests, corrupted descriptors
 * in batches of every size, bad bindings, zero-length and short messages,
 * unknown command numbers) from a fixed seed, and checks the kernel's
 * answer to each against what that kind of input must get: an error, an
 * error with an extended-ack message (naming the field and the batch
 * index where the module validates a descriptor), any answer at all, or
 * no answer (a message the netlink core drops).  The database is flushed
 * first; no request may add anything, so it must still be empty at the
 * end, and the module must still answer GET_STATUS.
 *
 * Output: "# " diagnostic lines (the seed, every distinct extended-ack
 * message with its errno and count), then one line per kind of input
 * that ran:
 *
 *	RESULT ok|fail <kind>: <N> requests <what was checked>
 *
 * and "RESULT ok|fail after-fuzzing: ..." lines for the end state.  Exit status 0
 * if every line is ok, 1 otherwise, 2 on a usage or setup error.
 *
 * With -P it fuzzes every command instead: the family's operations and
 * attribute policies come from the kernel's own policy dump
 * (CTRL_CMD_GETFAMILY, CTRL_CMD_GETPOLICY), and each request is well
 * shaped (attributes of the right types and ranges, nests filled from
 * their policies), wrong in exactly one attribute anywhere in the nesting
 * (must be refused with an extended ack), replayed, or cut short inside
 * its attributes; every refusal must carry an extended ack, and every
 * operation must have been sent requests.
 *
 * Built on libnl-genl-3 (socket, family resolution, attribute parsing);
 * the requests themselves are assembled byte by byte, since most of them
 * are deliberately malformed.
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <zlib.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <linux/tcp_kernel.h>

#include "desc-bytes.h"

#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED	0x100
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS	0x200
#endif

/* What an answer must be. */
#define X_ERR	0x01	/* an error (negative errno) */
#define X_MSG	0x02	/* ... with an extended-ack message */
#define X_EXT	0x04	/* ... with a message, a missing-attribute or an offset */
#define X_ANY	0x08	/* any final answer (ack, error or end of dump) */
#define X_NONE	0x10	/* no answer: the netlink core drops it */
#define X_WHY	0x20	/* if refused, with a message, a missing attribute or an offset */

#define MAX_REQ		(4 << 20)
#define REPLY_TIMEOUT	30	/* seconds: no answer by then is a hang */

static struct nl_sock *sk;
static int family;
static uint32_t seq = 1000;
static int verbose;

/* --- reproducible randomness ------------------------------------------ */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd();
}

/* --- valid descriptors (put16/put32/crc32_ieee: desc-bytes.h) -------- */

static void desc_seal(uint8_t *d)
{
	put16(d + 22, crc32_ieee(d, 22) & 0xffff);
}

/*
 * A valid descriptor with a command hash no other request of the run
 * uses (a bijective mix of a counter), so that a batch never holds the
 * same identity twice.
 */
static uint32_t name_ctr;

static void desc_valid(uint8_t *d)
{
	uint32_t h = ++name_ctr * 0x9e3779b1u;

	h ^= h >> 16;
	memcpy(d, TCPK_DESC_MAGIC, 4);
	put16(d + 4, TCPK_DESC_VERSION);
	put32(d + 6, h);
	put32(d + 10, (rnd() & TCPK_DESC_FLAGS_KNOWN) | 1);
	put16(d + 14, (uint16_t)rnd());
	put16(d + 16, (uint16_t)rnd());
	put16(d + 18, (uint16_t)rnd());
	put16(d + 20, 1 + rnd_below(TCPK_DESC_NAME_MAX));
	desc_seal(d);
}

static const char *const desc_fields[] = {
	"magic", "version", "check", "name_len", "flags",
};

/* Make @field of a valid descriptor wrong, and only that field. */
static void desc_break(uint8_t *d, const char *field)
{
	if (!strcmp(field, "magic")) {
		d[rnd_below(4)] ^= 1 + rnd_below(255);
	} else if (!strcmp(field, "version")) {
		uint16_t v;

		do
			v = (uint16_t)rnd();
		while (v == TCPK_DESC_VERSION);
		put16(d + 4, v);
	} else if (!strcmp(field, "name_len")) {
		put16(d + 20, rnd_below(2) ? 0 :
		      TCPK_DESC_NAME_MAX + 1 + rnd_below(65535 - TCPK_DESC_NAME_MAX));
	} else if (!strcmp(field, "flags")) {
		put32(d + 10, (1u << (__TCPK_DESC_FLAG_MAX + rnd_below(32 - __TCPK_DESC_FLAG_MAX))) |
			      (rnd() & TCPK_DESC_FLAGS_KNOWN));
	}
	if (!strcmp(field, "check"))
		d[22 + rnd_below(2)] ^= 1 + rnd_below(255);
	else
		desc_seal(d);
}

/* --- request assembly --------------------------------------------------- */

struct req {
	uint8_t *p;
	size_t len;
	const char *kind;
	unsigned int expect;
	const char *need[2];	/* substrings the message must hold */
	const char *need_text;	/* what they are, for the report */
	int need_index;		/* the message names @index, or the extack */
	unsigned long index;	/* offset points into [@nest_off, @nest_end) */
	size_t nest_off, nest_end;
	uint32_t seq;
	const char *what;	/* what is wrong in it, for the report */
	int fixed;		/* nlmsg_len and send_len set by the builder */
	size_t send_len;	/* bytes to send when fixed */
};

static void *req_put(struct req *r, const void *data, size_t n)
{
	void *at = r->p + r->len;

	if (r->len + NLA_ALIGN(n) > MAX_REQ) {
		fprintf(stderr, "genl-fuzz: request too large\n");
		exit(2);
	}
	if (data)
		memcpy(at, data, n);
	else
		memset(at, 0, n);
	memset(r->p + r->len + n, 0, NLA_ALIGN(n) - n);
	r->len += NLA_ALIGN(n);
	return at;
}

static void req_begin(struct req *r, const char *kind, uint8_t cmd,
		      uint16_t flags, unsigned int expect)
{
	struct nlmsghdr nlh = {
		.nlmsg_type = (uint16_t)family,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags,
		.nlmsg_seq = ++seq,
	};
	struct genlmsghdr gh = { .cmd = cmd, .version = TCPK_GENL_VERSION };

	r->len = 0;
	r->kind = kind;
	r->expect = expect;
	r->need[0] = r->need[1] = NULL;
	r->need_text = NULL;
	r->need_index = 0;
	r->what = NULL;
	r->seq = nlh.nlmsg_seq;
	r->fixed = 0;
	r->send_len = 0;
	req_put(r, &nlh, sizeof(nlh));
	req_put(r, &gh, sizeof(gh));
}

static size_t attr_put(struct req *r, uint16_t type, const void *data,
		       size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type };
	size_t off = r->len;

	req_put(r, &a, sizeof(a));
	req_put(r, data, n);
	return off;
}

static size_t nest_start(struct req *r, uint16_t type)
{
	struct nlattr a = { .nla_type = type | NLA_F_NESTED };
	size_t off = r->len;

	req_put(r, &a, sizeof(a));
	return off;
}

static void nest_end(struct req *r, size_t off)
{
	((struct nlattr *)(r->p + off))->nla_len = (uint16_t)(r->len - off);
}

static void attr_u32(struct req *r, uint16_t type, uint32_t v)
{
	attr_put(r, type, &v, sizeof(v));
}

static void req_end(struct req *r)
{
	((struct nlmsghdr *)r->p)->nlmsg_len = (uint32_t)r->len;
}

static void need(struct req *r, const char *s)
{
	r->need[r->need[0] ? 1 : 0] = s;
}

/*
 * The answer must name batch index @index: in its message, as a whole
 * number, or (kernels whose extended ack has only static messages, 6.1)
 * with an attribute offset inside that nest.
 */
static void need_index(struct req *r, unsigned long index, size_t off,
		       size_t end)
{
	r->need_index = 1;
	r->index = index;
	r->nest_off = off;
	r->nest_end = end;
}

/* @msg holds @n as a whole number. */
static int has_number(const char *msg, unsigned long n)
{
	const char *p = msg;

	while (*p) {
		if (*p >= '0' && *p <= '9') {
			char *end;
			unsigned long v = strtoul(p, &end, 10);

			if (v == n)
				return 1;
			p = end;
		} else {
			p++;
		}
	}
	return 0;
}

/* A desc nest holding one valid descriptor and maybe a good binding. */
static void nest_valid(struct req *r)
{
	uint8_t d[TCPK_DESC_LEN];
	size_t n = nest_start(r, TCPK_A_DESC);

	desc_valid(d);
	attr_put(r, TCPK_A_DESC_RAW, d, sizeof(d));
	nest_end(r, n);
}

/* Random attributes: random types (some nested), lengths and bytes. */
static void attrs_random(struct req *r, int depth)
{
	int i, n = (int)rnd_below(6);

	for (i = 0; i < n; i++) {
		uint16_t type = (uint16_t)rnd_below(depth ? 16 : 24);
		uint8_t buf[64];

		if (depth < 2 && rnd_below(3) == 0) {
			size_t o = nest_start(r, type);

			attrs_random(r, depth + 1);
			nest_end(r, o);
			continue;
		}
		if (rnd_below(4) == 0)
			type |= NLA_F_NESTED;
		rnd_bytes(buf, sizeof(buf));
		attr_put(r, type, buf, rnd_below(sizeof(buf) + 1));
	}
}

/* --- the kinds of hostile input ----------------------------------------- */

static unsigned long db_limit;

static void k_add_empty(struct req *r)
{
	req_begin(r, "add-no-attributes", TCPK_CMD_DESC_ADD, 0, X_ERR | X_EXT);
}

static void k_add_no_raw(struct req *r)
{
	size_t n;

	req_begin(r, "add-nest-without-raw", TCPK_CMD_DESC_ADD, 0, X_ERR | X_EXT);
	n = nest_start(r, TCPK_A_DESC);
	if (rnd_below(2))
		attr_u32(r, TCPK_A_DESC_SYSCALL, rnd_below(1024));
	nest_end(r, n);
}

static void k_add_raw_len(struct req *r)
{
	uint8_t buf[64];
	size_t len, n;

	do
		len = rnd_below(sizeof(buf) + 1);
	while (len == TCPK_DESC_LEN);
	req_begin(r, "add-raw-wrong-length", TCPK_CMD_DESC_ADD, 0, X_ERR | X_MSG);
	rnd_bytes(buf, sizeof(buf));
	n = nest_start(r, TCPK_A_DESC);
	attr_put(r, TCPK_A_DESC_RAW, buf, len);
	nest_end(r, n);
}

/* A batch of up to @max descriptors with one field of one of them bad. */
static void add_batch_bad(struct req *r, const char *kind, unsigned long max)
{
	const char *field = desc_fields[rnd_below(5)];
	unsigned long count = 1 + rnd_below(max), bad = rnd_below(count), i;

	req_begin(r, kind, TCPK_CMD_DESC_ADD, 0, X_ERR | X_MSG);
	for (i = 0; i < count; i++) {
		uint8_t d[TCPK_DESC_LEN];
		size_t n = nest_start(r, TCPK_A_DESC);

		desc_valid(d);
		if (i == bad)
			desc_break(d, field);
		attr_put(r, TCPK_A_DESC_RAW, d, sizeof(d));
		if (i < 1024 && rnd_below(4) == 0)
			attr_u32(r, TCPK_A_DESC_SYSCALL, (uint32_t)i);
		nest_end(r, n);
		if (i == bad)
			need_index(r, bad, n, r->len);
	}
	need(r, field);
	r->need_text = "naming the bad field, and its index in the batch in the message or by the extack's attribute offset";
}

static void k_add_bad_field(struct req *r)
{
	add_batch_bad(r, "add-batch-one-bad-field", 64);
}

static void k_add_big_batch(struct req *r)
{
	add_batch_bad(r, "add-batch-4096-one-bad-field", 4096);
}

static void k_add_bad_binding(struct req *r)
{
	static char long_path[TCPK_DESC_PATH_MAX + 64];
	uint8_t d[TCPK_DESC_LEN], sha[TCPK_DESC_DIGEST_LEN + 1];
	uint64_t u64 = rnd();
	uint16_t u16 = 1024;
	size_t n;

	req_begin(r, "add-bad-binding", TCPK_CMD_DESC_ADD, 0, X_ERR | X_MSG);
	n = nest_start(r, TCPK_A_DESC);
	desc_valid(d);
	attr_put(r, TCPK_A_DESC_RAW, d, sizeof(d));
	rnd_bytes(sha, sizeof(sha));
	switch (rnd_below(10)) {
	case 0:
		attr_put(r, TCPK_A_DESC_PATH, "usr/bin/relative", 17);
		need(r, "path");
		break;
	case 1:
		attr_put(r, TCPK_A_DESC_PATH, "", 1);
		break;
	case 2:
		memset(long_path, 'a', sizeof(long_path) - 1);
		long_path[0] = '/';
		long_path[sizeof(long_path) - 1] = '\0';
		attr_put(r, TCPK_A_DESC_PATH, long_path, sizeof(long_path));
		break;
	case 3:
		attr_put(r, TCPK_A_DESC_PATH, "/usr/bin/no-nul", 15);
		break;
	case 4:
		attr_put(r, TCPK_A_DESC_SHA256, sha,
			 rnd_below(2) ? TCPK_DESC_DIGEST_LEN - 1 : TCPK_DESC_DIGEST_LEN + 1);
		break;
	case 5:
		attr_u32(r, TCPK_A_DESC_SYSCALL, 1024 + rnd_below(0xfffffbff));
		break;
	case 6:
		attr_put(r, TCPK_A_DESC_SYSCALL, &u16, sizeof(u16));
		break;
	case 7:
		attr_put(r, TCPK_A_DESC_SYSCALL, &u64, sizeof(u64));
		break;
	case 8:
		/* two bindings */
		attr_put(r, TCPK_A_DESC_PATH, "/usr/bin/two", 13);
		attr_u32(r, TCPK_A_DESC_SYSCALL, 59);
		r->kind = "add-two-bindings";
		break;
	default:
		attr_put(r, TCPK_A_DESC_SHA256, sha, TCPK_DESC_DIGEST_LEN);
		attr_u32(r, TCPK_A_DESC_SYSCALL, rnd_below(1024));
		r->kind = "add-two-bindings";
		break;
	}
	nest_end(r, n);
}

static void k_nest_garbage(struct req *r)
{
	uint8_t buf[96];
	size_t len = 1 + rnd_below(sizeof(buf));
	uint8_t cmd = (uint8_t[]){ TCPK_CMD_DESC_ADD, TCPK_CMD_DESC_DEL,
				   TCPK_CMD_DESC_GET }[rnd_below(3)];
	size_t n;

	req_begin(r, "nest-of-garbage", cmd, 0, X_ERR | X_EXT);
	rnd_bytes(buf, len);
	n = nest_start(r, TCPK_A_DESC);
	req_put(r, buf, len);
	nest_end(r, n);
}

static void k_truncated(struct req *r)
{
	uint8_t d[TCPK_DESC_LEN];
	struct nlattr *a;
	size_t n, raw;

	req_begin(r, "attribute-longer-than-message", TCPK_CMD_DESC_ADD, 0,
		  X_ERR | X_MSG);
	n = nest_start(r, TCPK_A_DESC);
	desc_valid(d);
	raw = attr_put(r, TCPK_A_DESC_RAW, d, sizeof(d));
	nest_end(r, n);
	switch (rnd_below(3)) {
	case 0:	/* the nest claims more than the message has */
		a = (struct nlattr *)(r->p + n);
		a->nla_len += 4 + rnd_below(64);
		break;
	case 1:	/* the raw attribute claims more than its nest */
		a = (struct nlattr *)(r->p + raw);
		a->nla_len += 4 + rnd_below(64);
		break;
	default: /* the nest claims 0xffff bytes */
		a = (struct nlattr *)(r->p + n);
		a->nla_len = 0xffff;
		break;
	}
}

static void k_cut_short(struct req *r)
{
	size_t n;

	/* An attribute header cut in the middle: 2 bytes of it are left. */
	req_begin(r, "attribute-header-cut", TCPK_CMD_DESC_ADD, 0, X_ERR | X_MSG);
	nest_valid(r);
	n = r->len;
	attr_u32(r, TCPK_A_DESC, 0);
	r->len = n + 2;	/* nlmsg_len covers 2 bytes of the header */
	req_end(r);
	r->fixed = 1;
	r->send_len = NLMSG_ALIGN(r->len);
}

static void k_wrong_type(struct req *r)
{
	uint8_t d[TCPK_DESC_LEN];
	size_t n;

	req_begin(r, "wrong-attribute-type", TCPK_CMD_DESC_ADD, 0, X_ERR | X_MSG);
	desc_valid(d);
	switch (rnd_below(6)) {
	case 0:	/* desc without NLA_F_NESTED */
		n = nest_start(r, TCPK_A_DESC);
		((struct nlattr *)(r->p + n))->nla_type = TCPK_A_DESC;
		attr_put(r, TCPK_A_DESC_RAW, d, sizeof(d));
		nest_end(r, n);
		break;
	case 1:	/* desc as a u32 */
		attr_u32(r, TCPK_A_DESC, rnd());
		break;
	case 2:	/* an attribute type past the last one */
		nest_valid(r);
		attr_u32(r, (uint16_t)(__TCPK_A_MAX + rnd_below(200)), rnd());
		break;
	case 3:	/* type 0 */
		nest_valid(r);
		attr_u32(r, TCPK_A_UNSPEC, rnd());
		break;
	case 4:	/* raw flagged as a nest */
		n = nest_start(r, TCPK_A_DESC);
		attr_put(r, TCPK_A_DESC_RAW | NLA_F_NESTED, d, sizeof(d));
		nest_end(r, n);
		break;
	default: /* an attribute type past the last one inside the nest */
		n = nest_start(r, TCPK_A_DESC);
		attr_put(r, TCPK_A_DESC_RAW, d, sizeof(d));
		attr_u32(r, (uint16_t)(__TCPK_A_DESC_MAX + rnd_below(100)), rnd());
		nest_end(r, n);
		break;
	}
}

static void k_random_attrs(struct req *r)
{
	static const uint8_t cmds[] = {
		TCPK_CMD_DESC_ADD, TCPK_CMD_DESC_DEL, TCPK_CMD_DESC_GET,
	};

	/* the database is empty: nothing can be deleted or found */
	req_begin(r, "random-attributes-add-del-get", cmds[rnd_below(3)], 0, X_ERR);
	attrs_random(r, 0);
}

static void k_random_attrs_other(struct req *r)
{
	static const uint8_t cmds[] = {
		TCPK_CMD_GET_STATUS, TCPK_CMD_DESC_COUNT, TCPK_CMD_DESC_FLUSH,
	};
	int dump = rnd_below(4) == 0;

	req_begin(r, dump ? "random-attributes-get-dump" :
		  "random-attributes-status-count-flush",
		  dump ? TCPK_CMD_DESC_GET : cmds[rnd_below(3)],
		  dump ? NLM_F_DUMP : 0, X_ANY);
	attrs_random(r, 0);
}

static void k_random_cmd(struct req *r)
{
	uint8_t cmd;

	do
		cmd = (uint8_t)rnd();
	while (cmd >= TCPK_CMD_GET_STATUS && cmd <= TCPK_CMD_MAX);
	req_begin(r, "unknown-command-number", cmd, rnd_below(2) ? NLM_F_DUMP : 0,
		  X_ERR);
	attrs_random(r, 0);
}

static void k_reserved(struct req *r)
{
	req_begin(r, "nonzero-genl-reserved-or-version", TCPK_CMD_GET_STATUS, 0,
		  X_ANY);
	((struct genlmsghdr *)(r->p + NLMSG_HDRLEN))->reserved = (uint16_t)(1 + rnd_below(65535));
	((struct genlmsghdr *)(r->p + NLMSG_HDRLEN))->version = (uint8_t)rnd();
}

static void k_short_msg(struct req *r)
{
	req_begin(r, "message-shorter-than-genl-header", TCPK_CMD_DESC_ADD, 0,
		  X_ERR);
	r->len = NLMSG_HDRLEN + rnd_below(GENL_HDRLEN);
}

static void k_zero_len(struct req *r)
{
	req_begin(r, "zero-length-datagram", TCPK_CMD_DESC_ADD, 0, X_NONE);
	r->fixed = 1;
	r->send_len = 0;
}

static void k_nlmsg_len_lies(struct req *r)
{
	req_begin(r, "nlmsg_len-past-datagram-end", TCPK_CMD_DESC_ADD, 0, X_NONE);
	nest_valid(r);
	req_end(r);
	((struct nlmsghdr *)r->p)->nlmsg_len += 4 + rnd_below(1 << 20);
	r->fixed = 1;
	r->send_len = r->len;
}

static void k_identity_missing(struct req *r)
{
	uint8_t sha[TCPK_DESC_DIGEST_LEN];
	uint8_t cmd = rnd_below(2) ? TCPK_CMD_DESC_DEL : TCPK_CMD_DESC_GET;
	char path[64];
	size_t n;

	req_begin(r, "del-get-of-absent-identity", cmd, 0, X_ERR);
	n = nest_start(r, TCPK_A_DESC);
	switch (rnd_below(4)) {
	case 0:
		attr_u32(r, TCPK_A_DESC_CMD_HASH, rnd());
		break;
	case 1:
		snprintf(path, sizeof(path), "/nonexistent/%08x", rnd());
		attr_put(r, TCPK_A_DESC_PATH, path, strlen(path) + 1);
		break;
	case 2:
		rnd_bytes(sha, sizeof(sha));
		attr_put(r, TCPK_A_DESC_SHA256, sha, sizeof(sha));
		break;
	default:
		attr_u32(r, TCPK_A_DESC_SYSCALL, rnd_below(1024));
		break;
	}
	nest_end(r, n);
}

static void k_identity_bad(struct req *r)
{
	uint8_t cmd = rnd_below(2) ? TCPK_CMD_DESC_DEL : TCPK_CMD_DESC_GET;
	size_t n;

	req_begin(r, "del-get-without-one-identity", cmd, 0, X_ERR | X_EXT);
	switch (rnd_below(3)) {
	case 0:	/* no nest */
		break;
	case 1:	/* an empty nest */
		n = nest_start(r, TCPK_A_DESC);
		nest_end(r, n);
		break;
	default: /* two identities */
		n = nest_start(r, TCPK_A_DESC);
		attr_u32(r, TCPK_A_DESC_SYSCALL, rnd_below(1024));
		attr_put(r, TCPK_A_DESC_PATH, "/usr/bin/two", 13);
		nest_end(r, n);
		break;
	}
}

static void k_over_limit(struct req *r)
{
	unsigned long i;

	/* one more valid, distinct descriptor than the database takes */
	req_begin(r, "add-batch-over-db-limit", TCPK_CMD_DESC_ADD, 0, X_ERR | X_MSG);
	for (i = 0; i <= db_limit; i++)
		nest_valid(r);
	need(r, "max_descriptors");
	r->need_text = "naming max_descriptors";
}

struct kind {
	void (*build)(struct req *r);
	unsigned int weight;
};

static const struct kind kinds[] = {
	{ k_add_empty, 2 },
	{ k_add_no_raw, 3 },
	{ k_add_raw_len, 5 },
	{ k_add_bad_field, 20 },
	{ k_add_big_batch, 1 },
	{ k_add_bad_binding, 10 },
	{ k_nest_garbage, 10 },
	{ k_truncated, 6 },
	{ k_cut_short, 3 },
	{ k_wrong_type, 8 },
	{ k_random_attrs, 12 },
	{ k_random_attrs_other, 6 },
	{ k_random_cmd, 5 },
	{ k_reserved, 2 },
	{ k_short_msg, 2 },
	{ k_zero_len, 1 },
	{ k_nlmsg_len_lies, 1 },
	{ k_identity_missing, 6 },
	{ k_identity_bad, 4 },
};

/* --- every command, from the family's own policy (-P) ------------------- */

/*
 * The family's operations and attribute policies, as the kernel exports
 * them (CTRL_CMD_GETFAMILY and CTRL_CMD_GETPOLICY): the requests below are
 * built from what each command accepts, so every command and attribute is
 * covered without a hand-kept table.
 */
#define MAX_OPS		64
#define MAX_POLICIES	64
#define MAX_PATTRS	128	/* attribute types per policy */

struct pattr {
	uint32_t type;		/* NL_ATTR_TYPE_*, 0 where the policy has none */
	int has_min, has_max;
	int64_t min_s, max_s;
	uint64_t min_u, max_u;
	uint32_t min_len, max_len;	/* max_len 0: none given */
	int nested;		/* the policy index of a nest, -1 */
	uint32_t maxtype;	/* the nested policy's last attribute type */
};

static struct pattr policies[MAX_POLICIES][MAX_PATTRS];
static unsigned int npolicies;

static struct op {
	uint8_t cmd;
	int can_do, can_dump;
	int pol_do, pol_dump;	/* policy index, -1 if the op has none */
	unsigned long sent[2];	/* requests sent: do, dump */
} ops[MAX_OPS];
static unsigned int nops;

/* Whether policy @idx is one the dump told about. */
static int policy_known(int idx)
{
	return idx >= 0 && idx < MAX_POLICIES && (unsigned int)idx < npolicies;
}

static struct op *op_of(uint8_t cmd)
{
	unsigned int i;

	for (i = 0; i < nops; i++)
		if (ops[i].cmd == cmd)
			return &ops[i];
	if (nops == MAX_OPS)
		return NULL;
	ops[nops] = (struct op){ .cmd = cmd, .pol_do = -1, .pol_dump = -1 };
	return &ops[nops++];
}

static void parse_pattr(struct pattr *pa, struct nlattr *nest)
{
	struct nlattr *a;
	int rem;

	memset(pa, 0, sizeof(*pa));
	pa->nested = -1;
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case NL_POLICY_TYPE_ATTR_TYPE:
			pa->type = nla_get_u32(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			pa->has_min = 1;
			pa->min_s = (int64_t)nla_get_u64(a);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			pa->has_max = 1;
			pa->max_s = (int64_t)nla_get_u64(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			pa->has_min = 1;
			pa->min_u = nla_get_u64(a);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			pa->has_max = 1;
			pa->max_u = nla_get_u64(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			pa->min_len = nla_get_u32(a);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			pa->max_len = nla_get_u32(a);
			break;
		case NL_POLICY_TYPE_ATTR_POLICY_IDX:
			pa->nested = (int)nla_get_u32(a);
			break;
		case NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE:
			pa->maxtype = nla_get_u32(a);
			break;
		}
	}
}

static int policy_msg(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *p, *a, *o, *x;
	int rem, rem2, rem3;

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[CTRL_ATTR_OP_POLICY]) {
		nla_for_each_nested(o, tb[CTRL_ATTR_OP_POLICY], rem) {
			struct op *op = op_of((uint8_t)nla_type(o));

			if (!op)
				continue;
			nla_for_each_nested(x, o, rem2) {
				if (nla_type(x) == CTRL_ATTR_POLICY_DO)
					op->pol_do = (int)nla_get_u32(x);
				else if (nla_type(x) == CTRL_ATTR_POLICY_DUMP)
					op->pol_dump = (int)nla_get_u32(x);
			}
		}
	}
	if (tb[CTRL_ATTR_POLICY]) {
		nla_for_each_nested(p, tb[CTRL_ATTR_POLICY], rem) {
			unsigned int idx = nla_type(p);

			if (idx >= MAX_POLICIES)
				continue;
			if (idx >= npolicies)
				npolicies = idx + 1;
			nla_for_each_nested(a, p, rem3) {
				if (nla_type(a) >= MAX_PATTRS)
					continue;
				parse_pattr(&policies[idx][nla_type(a)], a);
			}
		}
	}
	return NL_OK;
}

static int family_msg(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *o, *x;
	int rem, rem2;

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_OPS])
		return NL_SKIP;
	nla_for_each_nested(o, tb[CTRL_ATTR_OPS], rem) {
		uint32_t id = 0, flags = 0;
		struct op *op;

		nla_for_each_nested(x, o, rem2) {
			if (nla_type(x) == CTRL_ATTR_OP_ID)
				id = nla_get_u32(x);
			else if (nla_type(x) == CTRL_ATTR_OP_FLAGS)
				flags = nla_get_u32(x);
		}
		op = op_of((uint8_t)id);
		if (!op)
			continue;
		op->can_do = !!(flags & GENL_CMD_CAP_DO);
		op->can_dump = !!(flags & GENL_CMD_CAP_DUMP);
	}
	return NL_OK;
}

/* Ask the controller (on a socket of its own) for @cmd about our family. */
static int ctrl_query(uint8_t cmd, int dump, nl_recvmsg_msg_cb_t cb)
{
	struct nl_sock *cs = nl_socket_alloc();
	struct nl_msg *msg = nlmsg_alloc();
	int err = -1;

	if (!cs || !msg || genl_connect(cs) < 0)
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
			 dump ? NLM_F_DUMP : 0, cmd, 1) ||
	    nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, (uint16_t)family) < 0)
		goto out;
	nl_socket_modify_cb(cs, NL_CB_VALID, NL_CB_CUSTOM, cb, NULL);
	if (nl_send_auto(cs, msg) < 0)
		goto out;
	err = nl_recvmsgs_default(cs);
out:
	nlmsg_free(msg);
	nl_socket_free(cs);
	return err;
}

static int load_policies(void)
{
	unsigned int i, n = 0;

	if (ctrl_query(CTRL_CMD_GETFAMILY, 0, family_msg) < 0 ||
	    ctrl_query(CTRL_CMD_GETPOLICY, 1, policy_msg) < 0) {
		fprintf(stderr, "genl-fuzz: the controller does not tell %s's policies\n",
			TCPK_GENL_NAME);
		return -1;
	}
	for (i = 0; i < nops; i++)
		n += ops[i].can_do + ops[i].can_dump;
	printf("# %u operations (%u do or dump), %u attribute policies, from the family's own policy dump\n",
	       nops, n, npolicies);
	return n ? 0 : -1;
}

/* Where a request is mutated: one attribute, chosen while it is built. */
static struct {
	int left;		/* attributes still to pass before mutating */
	int done;
	char what[96];		/* what was made wrong, for the report */
} mut;

static uint64_t umax_of(uint32_t type)
{
	switch (type) {
	case NL_ATTR_TYPE_U8: return UINT8_MAX;
	case NL_ATTR_TYPE_U16: return UINT16_MAX;
	case NL_ATTR_TYPE_U32: return UINT32_MAX;
	default: return UINT64_MAX;
	}
}

static size_t int_size(uint32_t type)
{
	switch (type) {
	case NL_ATTR_TYPE_U8: case NL_ATTR_TYPE_S8: return 1;
	case NL_ATTR_TYPE_U16: case NL_ATTR_TYPE_S16: return 2;
	case NL_ATTR_TYPE_U32: case NL_ATTR_TYPE_S32: return 4;
	case NL_ATTR_TYPE_U64: case NL_ATTR_TYPE_S64: return 8;
	default: return 0;
	}
}

static int is_signed(uint32_t type)
{
	return type >= NL_ATTR_TYPE_S8 && type <= NL_ATTR_TYPE_S64;
}

static void put_int(struct req *r, uint16_t type, uint32_t ptype, uint64_t v)
{
	uint8_t b[8];
	size_t n = int_size(ptype);

	memcpy(b, &v, sizeof(b));	/* little-endian: the low bytes first */
	attr_put(r, type, b, n);
}

/* A value the policy accepts: small numbers often, the bounds sometimes. */
static uint64_t int_valid(const struct pattr *pa)
{
	if (is_signed(pa->type)) {
		int64_t lo = pa->has_min ? pa->min_s : -1000;
		int64_t hi = pa->has_max ? pa->max_s : 1000;

		return (uint64_t)(lo + (int64_t)rnd_below((uint32_t)(hi - lo + 1)));
	}
	{
		uint64_t lo = pa->has_min ? pa->min_u : 0;
		uint64_t hi = pa->has_max ? pa->max_u : umax_of(pa->type);
		uint64_t v;

		switch (rnd_below(5)) {
		case 0: return lo;
		case 1: return hi;
		case 2: v = ((uint64_t)rnd() << 32 | rnd()); break;
		default: v = lo + rnd_below(16); break;
		}
		if (hi - lo != UINT64_MAX)
			v = lo + v % (hi - lo + 1);
		return v;
	}
}

static void str_valid(char *s, size_t max)
{
	static const char *const words[] = {
		"/tmp/x", "/usr/bin/curl", "/etc/shadow", "agent", "*", "**",
		"exec", "open", "connect", "deny", "59", "", "..", "/",
	};
	size_t n;

	if (rnd_below(2)) {
		snprintf(s, max, "%s", words[rnd_below(sizeof(words) / sizeof(words[0]))]);
		return;
	}
	n = rnd_below((uint32_t)max);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(' ' + rnd_below(95));
	s[n] = '\0';
}

static void policy_attrs(struct req *r, int idx, int depth);

/* Attribute @type of policy @pa, valid, or wrong if it is the one to mutate. */
static void pattr_put(struct req *r, uint16_t type, const struct pattr *pa,
		      int depth)
{
	uint8_t buf[512];
	char s[256];
	size_t n, o, smax;
	int wrong = !mut.done && mut.left-- == 0;

	if (wrong)
		mut.done = 1;
	switch (pa->type) {
	case NL_ATTR_TYPE_FLAG:
		if (wrong) {
			snprintf(mut.what, sizeof(mut.what), "flag %u with a payload", type);
			attr_u32(r, type, rnd());
		} else {
			attr_put(r, type, NULL, 0);
		}
		return;
	case NL_ATTR_TYPE_U8: case NL_ATTR_TYPE_U16: case NL_ATTR_TYPE_U32:
	case NL_ATTR_TYPE_U64: case NL_ATTR_TYPE_S8: case NL_ATTR_TYPE_S16:
	case NL_ATTR_TYPE_S32: case NL_ATTR_TYPE_S64:
		if (!wrong) {
			put_int(r, type, pa->type, int_valid(pa));
		} else if (!is_signed(pa->type) && pa->has_max &&
			   pa->max_u < umax_of(pa->type) && rnd_below(2)) {
			snprintf(mut.what, sizeof(mut.what), "integer %u past its maximum %llu",
				 type, (unsigned long long)pa->max_u);
			put_int(r, type, pa->type, pa->max_u + 1 + rnd_below(3) %
				(umax_of(pa->type) - pa->max_u));
		} else if (!is_signed(pa->type) && pa->has_min && pa->min_u > 0 &&
			   rnd_below(2)) {
			snprintf(mut.what, sizeof(mut.what), "integer %u under its minimum %llu",
				 type, (unsigned long long)pa->min_u);
			put_int(r, type, pa->type, pa->min_u - 1);
		} else {
			n = rnd_below((uint32_t)int_size(pa->type));
			snprintf(mut.what, sizeof(mut.what), "integer %u of %zu bytes, not %zu",
				 type, n, int_size(pa->type));
			rnd_bytes(buf, n);
			attr_put(r, type, buf, n);
		}
		return;
	case NL_ATTR_TYPE_STRING:
	case NL_ATTR_TYPE_NUL_STRING:
		smax = pa->max_len ? pa->max_len : 200;
		if (smax > sizeof(s) - 1)
			smax = sizeof(s) - 1;
		if (!wrong) {
			str_valid(s, pa->type == NL_ATTR_TYPE_NUL_STRING ? smax : smax + 1);
			attr_put(r, type, s, strlen(s) + 1);
		} else if (pa->max_len && pa->max_len < 60000 && rnd_below(2)) {
			n = pa->max_len + 1 + rnd_below(3000);
			snprintf(mut.what, sizeof(mut.what), "string %u of %zu bytes, over %u",
				 type, n, pa->max_len);
			o = attr_put(r, type, NULL, n + 1);
			memset(r->p + o + NLA_HDRLEN, 'A', n);
		} else if (pa->type == NL_ATTR_TYPE_NUL_STRING) {
			n = 1 + rnd_below(40);
			snprintf(mut.what, sizeof(mut.what), "string %u without its NUL", type);
			memset(buf, 'B', n);
			attr_put(r, type, buf, n);
		} else {
			/* a string without a maximum: wrong as a nest */
			snprintf(mut.what, sizeof(mut.what), "string %u flagged as a nest", type);
			attr_put(r, type | NLA_F_NESTED, "x", 2);
		}
		return;
	case NL_ATTR_TYPE_BINARY:
		if (!wrong) {
			uint32_t lo = pa->min_len, hi = pa->max_len ? pa->max_len : 64;

			if (hi > sizeof(buf))
				hi = sizeof(buf);
			n = lo >= hi ? lo : lo + rnd_below(hi - lo + 1);
			if (n > sizeof(buf))
				n = sizeof(buf);
			rnd_bytes(buf, n);
			attr_put(r, type, buf, n);
		} else if (pa->max_len && pa->max_len < 60000 &&
			   (rnd_below(2) || !pa->min_len)) {
			n = pa->max_len + 1 + rnd_below(300);
			snprintf(mut.what, sizeof(mut.what), "binary %u of %zu bytes, over %u",
				 type, n, pa->max_len);
			attr_put(r, type, NULL, n);
		} else if (pa->min_len) {
			n = rnd_below(pa->min_len);
			snprintf(mut.what, sizeof(mut.what), "binary %u of %zu bytes, under %u",
				 type, n, pa->min_len);
			attr_put(r, type, NULL, n);
		} else {
			snprintf(mut.what, sizeof(mut.what), "binary %u flagged as a nest", type);
			attr_put(r, type | NLA_F_NESTED, "xyz", 3);
		}
		return;
	case NL_ATTR_TYPE_NESTED:
	case NL_ATTR_TYPE_NESTED_ARRAY:
		if (wrong) {
			switch (rnd_below(pa->type == NL_ATTR_TYPE_NESTED ? 3 : 2)) {
			case 0:
				snprintf(mut.what, sizeof(mut.what), "nest %u without NLA_F_NESTED", type);
				o = attr_put(r, type, NULL, 0);
				((struct nlattr *)(r->p + o))->nla_type = type;
				return;
			case 1:
				snprintf(mut.what, sizeof(mut.what), "nest %u holding half an attribute", type);
				o = nest_start(r, type);
				req_put(r, "\x08\x00", 2);
				nest_end(r, o);
				return;
			default:
				snprintf(mut.what, sizeof(mut.what), "nest %u holding attribute type %u past its last",
					 type, pa->maxtype + 1);
				o = nest_start(r, type);
				attr_u32(r, (uint16_t)(pa->maxtype + 1 + rnd_below(50)), rnd());
				nest_end(r, o);
				return;
			}
		}
		o = nest_start(r, type);
		if (pa->type == NL_ATTR_TYPE_NESTED_ARRAY) {
			unsigned int i, k = 1 + rnd_below(3);

			for (i = 0; i < k; i++) {
				size_t e = nest_start(r, (uint16_t)i);

				if (depth < 3)
					policy_attrs(r, pa->nested, depth + 1);
				nest_end(r, e);
			}
		} else if (depth < 3) {
			policy_attrs(r, pa->nested, depth + 1);
		}
		nest_end(r, o);
		return;
	default:	/* a type this tool does not know: random bytes */
		n = rnd_below(16);
		rnd_bytes(buf, n);
		attr_put(r, type, buf, n);
		if (wrong)
			mut.done = 0;	/* no known way to make it wrong */
		return;
	}
}

/* Some of policy @idx's attributes, each valid but maybe the mutated one. */
static void policy_attrs(struct req *r, int idx, int depth)
{
	uint16_t types[MAX_PATTRS];
	unsigned int i, n = 0, k;

	if (!policy_known(idx))
		return;
	for (i = 1; i < MAX_PATTRS; i++)
		if (policies[idx][i].type)
			types[n++] = (uint16_t)i;
	if (!n)
		return;
	k = rnd_below(n + 1);
	if (!depth && k == 0)
		k = 1;
	for (i = 0; i < k; i++) {
		uint16_t t = types[rnd_below(n)];

		pattr_put(r, t, &policies[idx][t], depth);
	}
}

/* An operation and a mode (do or dump); with @need_policy one that has one. */
static int pick_op(int need_policy, uint8_t *cmd, int *dump, int *pol)
{
	unsigned int tries;

	for (tries = 0; tries < 1000; tries++) {
		const struct op *op = &ops[rnd_below(nops)];
		int d = rnd_below(2);

		if (d ? !op->can_dump : !op->can_do)
			continue;
		*pol = d ? op->pol_dump : op->pol_do;
		if (need_policy && !policy_known(*pol))
			continue;
		ops[op - ops].sent[d]++;
		*cmd = op->cmd;
		*dump = d;
		return 0;
	}
	return -1;
}

/* The last well-shaped request, to be sent again. */
static uint8_t last_shaped[1 << 16];
static size_t last_shaped_len;

static void k_op_shaped(struct req *r)
{
	uint8_t cmd;
	int dump, pol;

	if (pick_op(0, &cmd, &dump, &pol) < 0)
		exit(2);
	req_begin(r, "every-op-policy-shaped", cmd, dump ? NLM_F_DUMP : 0,
		  X_ANY | X_WHY);
	mut.done = 1;
	policy_attrs(r, pol, 0);
	req_end(r);
	if (r->len <= sizeof(last_shaped)) {
		memcpy(last_shaped, r->p, r->len);
		last_shaped_len = r->len;
	}
}

static void k_op_mutated(struct req *r)
{
	uint8_t cmd;
	int dump, pol;

	if (pick_op(1, &cmd, &dump, &pol) < 0)
		exit(2);
	req_begin(r, "every-op-policy-one-attribute-wrong", cmd,
		  dump ? NLM_F_DUMP : 0, X_ERR | X_EXT);
	mut.done = 0;
	mut.left = (int)rnd_below(6);
	policy_attrs(r, pol, 0);
	if (!mut.done) {
		uint16_t type = (uint16_t)(0x3000 + rnd_below(0x0fff));

		snprintf(mut.what, sizeof(mut.what), "attribute type %u past the family's last", type);
		attr_u32(r, type, rnd());
		mut.done = 1;
	}
	r->what = mut.what;
}

static void k_op_replayed(struct req *r)
{
	if (!last_shaped_len) {
		k_op_shaped(r);
		return;
	}
	req_begin(r, "every-op-replayed", 0, 0, X_ANY | X_WHY);
	r->len = 0;
	req_put(r, last_shaped, last_shaped_len);
	((struct nlmsghdr *)r->p)->nlmsg_seq = r->seq;
}

static void k_op_truncated(struct req *r)
{
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;

	k_op_shaped(r);
	r->kind = "every-op-cut-inside-its-attributes";
	if (r->len > hdr)
		r->len = hdr + rnd_below((uint32_t)(r->len - hdr));
}

/*
 * After the run: every command of the uapi but the event notification is
 * an operation, and each of its modes was sent requests.
 */
static int op_coverage(void)
{
	unsigned int cmd, i, missing = 0, unsent = 0, modes = 0;
	char list[512] = "";

	for (cmd = TCPK_CMD_GET_STATUS; cmd <= TCPK_CMD_MAX; cmd++) {
		for (i = 0; i < nops && ops[i].cmd != cmd; i++)
			;
		if (cmd == TCPK_CMD_EVENT || (i < nops && (ops[i].can_do || ops[i].can_dump)))
			continue;
		missing++;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), " %u", cmd);
	}
	printf("RESULT %s policy-dump: every command of the uapi (%u) but the event notification is an operation%s%s\n",
	       missing ? "fail" : "ok", TCPK_CMD_MAX, missing ? "; missing:" : "", list);
	list[0] = '\0';
	for (i = 0; i < nops; i++) {
		int d;

		for (d = 0; d < 2; d++) {
			if (!(d ? ops[i].can_dump : ops[i].can_do))
				continue;
			modes++;
			if (ops[i].sent[d])
				continue;
			unsent++;
			snprintf(list + strlen(list), sizeof(list) - strlen(list), " %u%s",
				 ops[i].cmd, d ? "/dump" : "");
		}
	}
	printf("RESULT %s coverage: each of the %u operations (do and dump) was sent requests%s%s\n",
	       unsent ? "fail" : "ok", modes, unsent ? "; never:" : "", list);
	return missing || unsent;
}

static const struct kind op_kinds[] = {
	{ k_op_shaped, 10 },
	{ k_op_mutated, 10 },
	{ k_op_replayed, 3 },
	{ k_op_truncated, 3 },
};

/* --- answers ------------------------------------------------------------- */

struct answer {
	int final;		/* 1: an error/ack or end of dump for the request */
	int err;		/* errno, 0 for success */
	char msg[256];		/* extended-ack message, "" if none */
	int has_miss, has_offs;
	uint32_t miss_type, offs;
	/* parsed replies to status and count */
	uint32_t db_count, db_limit, uapi_version;
	int has_count, has_limit, has_uapi;
};

static void parse_extack(struct nlmsghdr *nlh, struct answer *a)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	len = (int)nlmsg_datalen(nlh) - (int)off;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + off), len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(a->msg, sizeof(a->msg), "%.*s",
			 (int)nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	a->msg[strcspn(a->msg, "\n")] = '\0';
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		a->has_miss = 1;
		a->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	if (tb[NLMSGERR_ATTR_OFFS]) {
		a->has_offs = 1;
		a->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
}

static void parse_done_extack(struct nlmsghdr *nlh, struct answer *a)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int len = (int)nlmsg_datalen(nlh) - (int)sizeof(int);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + sizeof(int)),
		      len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(a->msg, sizeof(a->msg), "%.*s",
			 (int)nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static void parse_reply(struct nlmsghdr *nlh, struct answer *a)
{
	struct nlattr *tb[TCPK_A_MAX + 1];

	if (genlmsg_parse(nlh, 0, tb, TCPK_A_MAX, NULL) < 0)
		return;
	if (tb[TCPK_A_DB_COUNT]) {
		a->has_count = 1;
		a->db_count = nla_get_u32(tb[TCPK_A_DB_COUNT]);
	}
	if (tb[TCPK_A_DB_LIMIT]) {
		a->has_limit = 1;
		a->db_limit = nla_get_u32(tb[TCPK_A_DB_LIMIT]);
	}
	if (tb[TCPK_A_UAPI_VERSION]) {
		a->has_uapi = 1;
		a->uapi_version = nla_get_u32(tb[TCPK_A_UAPI_VERSION]);
	}
}

/*
 * Read until the final answer to @want arrives.  Answers to other
 * sequence numbers are reported in @stray (the requests that must get no
 * answer).  Returns 0, or -1 on a timeout or socket error.
 */
static int await(uint32_t want, struct answer *a, int *stray)
{
	memset(a, 0, sizeof(*a));
	while (!a->final) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;
		struct nlmsghdr *nlh;
		int n;

		n = nl_recv(sk, &peer, &buf, NULL);
		if (n <= 0) {
			free(buf);
			return -1;
		}
		nlh = (struct nlmsghdr *)buf;
		for (; nlmsg_ok(nlh, n); nlh = nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != want) {
				(*stray)++;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = nlmsg_data(nlh);

				a->final = 1;
				a->err = -e->error;
				parse_extack(nlh, a);
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				/*
				 * End of a dump (no ack follows one): an int
				 * error, then extended-ack attributes.
				 */
				if (nlmsg_datalen(nlh) >= (int)sizeof(int)) {
					int e = *(int *)nlmsg_data(nlh);

					a->err = -e;
				}
				parse_done_extack(nlh, a);
				a->final = 1;
			} else if (nlh->nlmsg_type == family) {
				parse_reply(nlh, a);
			}
		}
		free(buf);
	}
	return 0;
}

static int send_req(struct req *r)
{
	size_t len = r->len;
	int ret;

	if (r->fixed) {
		len = r->send_len;
	} else {
		req_end(r);
	}
	if (!len) {
		/* a zero-length datagram: nl_sendto() refuses to send one */
		ret = (int)send(nl_socket_get_fd(sk), r->p, 0, 0);
		return ret < 0 ? -errno : 0;
	}
	ret = nl_sendto(sk, r->p, len);
	return ret < 0 ? ret : 0;
}

/* A simple request with no attributes; returns its answer. */
static int simple(uint8_t cmd, struct answer *a)
{
	static uint8_t buf[64];
	struct req r = { .p = buf };
	int stray = 0;

	req_begin(&r, "simple", cmd, 0, X_ANY);
	req_end(&r);
	if (send_req(&r) < 0)
		return -1;
	return await(r.seq, a, &stray);
}

/* --- bookkeeping --------------------------------------------------------- */

#define MAX_KINDS	32
#define MAX_MSGS	256

static struct tally {
	const char *kind;
	unsigned int expect;
	const char *need_text;
	unsigned long n, bad, by_msg, by_offs, accepted;
	char first_bad[512];
} tally[MAX_KINDS];

static struct seen_msg {
	const char *kind;
	int err;
	char msg[256];
	unsigned long n;
} seen[MAX_MSGS];

static struct tally *tally_of(const struct req *r)
{
	int i;

	for (i = 0; i < MAX_KINDS && tally[i].kind; i++)
		if (!strcmp(tally[i].kind, r->kind))
			return &tally[i];
	if (i == MAX_KINDS) {
		fprintf(stderr, "genl-fuzz: too many kinds\n");
		exit(2);
	}
	tally[i].kind = r->kind;
	tally[i].expect = r->expect;
	tally[i].need_text = r->need_text;
	return &tally[i];
}

static void note_msg(const char *kind, const struct answer *a)
{
	char norm[256];
	const char *p;
	char *q = norm;
	int i;

	/* numbers vary from request to request: count messages by shape */
	for (p = a->msg; *p && q < norm + sizeof(norm) - 2; p++) {
		if (*p >= '0' && *p <= '9') {
			*q++ = 'N';
			while (p[1] >= '0' && p[1] <= '9')
				p++;
		} else {
			*q++ = *p;
		}
	}
	*q = '\0';
	for (i = 0; i < MAX_MSGS && seen[i].kind; i++)
		if (!strcmp(seen[i].kind, kind) && seen[i].err == a->err &&
		    !strcmp(seen[i].msg, norm))
			break;
	if (i == MAX_MSGS)
		return;
	if (!seen[i].kind) {
		seen[i].kind = kind;
		seen[i].err = a->err;
		strcpy(seen[i].msg, norm);
	}
	seen[i].n++;
}

static const char *expect_text(unsigned int x)
{
	if (x & X_NONE)
		return "dropped by the netlink core without an answer (or refused by sendmsg), the socket keeps working";
	if (x & X_MSG)
		return "refused with an error and an extended-ack message";
	if (x & X_EXT)
		return "refused with an error and an extended ack (message or missing attribute)";
	if (x & X_ERR)
		return "refused with an error";
	if (x & X_WHY)
		return "answered (ack, error or end of dump), no hang, every refusal with an extended ack";
	return "answered (ack, error or end of dump), no hang";
}

static void judge(struct req *r, int rc, const struct answer *a, int stray)
{
	struct tally *t = tally_of(r);
	char why[512] = "";
	int i;

	t->n++;
	if (rc >= 0 && !a->err && !(r->expect & X_NONE))
		t->accepted++;
	if (rc < 0) {
		snprintf(why, sizeof(why), "no answer within %d s or socket error", REPLY_TIMEOUT);
	} else if (r->expect & X_NONE) {
		if (stray)
			snprintf(why, sizeof(why), "got %d answer(s) to a message the core should drop", stray);
	} else if (stray) {
		snprintf(why, sizeof(why), "%d answer(s) with an unexpected sequence number", stray);
	} else if ((r->expect & X_ERR) && !a->err) {
		snprintf(why, sizeof(why), "accepted (no error)");
	} else if ((r->expect & X_MSG) && !a->msg[0]) {
		snprintf(why, sizeof(why), "error %d (%s) without an extended-ack message",
			 a->err, strerror(a->err));
	} else if ((r->expect & (X_EXT | X_WHY)) && a->err && !a->msg[0] &&
		   !a->has_miss && !a->has_offs) {
		snprintf(why, sizeof(why), "error %d (%s) without any extended ack",
			 a->err, strerror(a->err));
	} else {
		for (i = 0; i < 2; i++) {
			if (r->need[i] && !strstr(a->msg, r->need[i])) {
				snprintf(why, sizeof(why), "message \"%s\" does not name \"%s\"",
					 a->msg, r->need[i]);
				break;
			}
		}
		if (!why[0] && r->need_index) {
			if (has_number(a->msg, r->index))
				t->by_msg++;
			else if (a->has_offs && a->offs >= r->nest_off && a->offs < r->nest_end)
				t->by_offs++;
			else if (a->has_offs)
				snprintf(why, sizeof(why), "message \"%s\" does not name index %lu and the attribute offset %u is outside its nest [%zu, %zu)",
					 a->msg, r->index, a->offs, r->nest_off, r->nest_end);
			else
				snprintf(why, sizeof(why), "message \"%s\" does not name index %lu and there is no attribute offset",
					 a->msg, r->index);
		}
	}
	if (!(r->expect & X_NONE) && rc >= 0 && a->err)
		note_msg(r->kind, a);
	if (verbose)
		printf("# seq %u %s: err %d msg \"%s\"%s%s\n", r->seq, r->kind,
		       a->err, a->msg, why[0] ? " FAIL: " : "", why);
	if (why[0]) {
		const struct genlmsghdr *gh = (const void *)(r->p + NLMSG_HDRLEN);

		if (!t->bad++)
			snprintf(t->first_bad, sizeof(t->first_bad), "seq %u (command %u%s%s%s): %s",
				 r->seq, gh->cmd,
				 ((struct nlmsghdr *)r->p)->nlmsg_flags & NLM_F_DUMP ? ", dump" : "",
				 r->what ? ", " : "", r->what ? r->what : "", why);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "usage: genl-fuzz [-P] [-s SEED] [-n ITERATIONS] [-v]\n"
		   "       genl-fuzz -B FILE\n"
		   "       genl-fuzz -D\n"
		   "       genl-fuzz -L\n"
		   "  -B FILE  send FILE's raw 24-byte descriptors, unchecked, in one\n"
		   "           DESC_ADD (one desc nest each, bound by name) and print\n"
		   "           the answer: \"errno N (text)\" and \"extack: MESSAGE\"\n"
		   "  -D       dump DESC_GET and print how many entries, distinct keys and\n"
		   "           datagrams (socket buffers) it took, and whether it was\n"
		   "           flagged NLM_F_DUMP_INTR\n"
		   "  -P       every command instead of the descriptor database's: the\n"
		   "           requests are built from the family's policy dump (well-\n"
		   "           shaped, one attribute wrong, replayed, cut short); they may\n"
		   "           change the module's state\n"
		   "  -L       instead of random requests, send one batch of DB_LIMIT + 1\n"
		   "           valid descriptors (DB_LIMIT at most 20000) and check it\n"
		   "           is refused whole\n");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* -D: one dump, counted by an independent reader. */
static int dump_count(struct req *r)
{
	unsigned long n = 0, cap = 0, datagrams = 0, distinct = 0, nokey = 0, i;
	uint64_t *keys = NULL;
	int intr = 0, done = 0, err = 0;

	req_begin(r, "dump", TCPK_CMD_DESC_GET, NLM_F_DUMP, X_ANY);
	if (send_req(r) < 0) {
		fprintf(stderr, "genl-fuzz: cannot send the dump request\n");
		return 2;
	}
	while (!done) {
		struct sockaddr_nl peer;
		unsigned char *buf = NULL;
		struct nlmsghdr *nlh;
		int len = nl_recv(sk, &peer, &buf, NULL);

		if (len <= 0) {
			fprintf(stderr, "genl-fuzz: dump: no answer (%d)\n", len);
			free(buf);
			return 2;
		}
		datagrams++;
		for (nlh = (struct nlmsghdr *)buf; nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			struct nlattr *tb[TCPK_A_MAX + 1], *db[TCPK_A_DESC_MAX + 1];

			if (nlh->nlmsg_seq != r->seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = 1;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = -((struct nlmsgerr *)nlmsg_data(nlh))->error;
				done = 1;
				break;
			}
			if (genlmsg_parse(nlh, 0, tb, TCPK_A_MAX, NULL) < 0 ||
			    !tb[TCPK_A_DESC] ||
			    nla_parse_nested(db, TCPK_A_DESC_MAX, tb[TCPK_A_DESC], NULL) < 0 ||
			    !db[TCPK_A_DESC_KEY]) {
				nokey++;
				continue;
			}
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				keys = realloc(keys, cap * sizeof(*keys));
				if (!keys) {
					fprintf(stderr, "genl-fuzz: out of memory\n");
					return 2;
				}
			}
			keys[n++] = nla_get_u64(db[TCPK_A_DESC_KEY]);
		}
		free(buf);
	}
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (i = 0; i < n; i++)
		if (!i || keys[i] != keys[i - 1])
			distinct++;
	printf("dump: entries %lu, distinct keys %lu, without key %lu, datagrams %lu, NLM_F_DUMP_INTR %s, error %d\n",
	       n, distinct, nokey, datagrams, intr ? "yes" : "no", err);
	free(keys);
	return err ? 1 : 0;
}

/* -B: one batch straight from a raw file, as no careful client would send. */
static int send_file_batch(const char *file, struct req *r)
{
	uint8_t d[TCPK_DESC_LEN];
	unsigned long n = 0;
	struct answer a;
	int stray = 0;
	size_t first;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "genl-fuzz: %s: %s\n", file, strerror(errno));
		return 2;
	}
	req_begin(r, "file-batch", TCPK_CMD_DESC_ADD, 0, X_ANY);
	first = r->len;
	while (fread(d, 1, sizeof(d), f) == sizeof(d)) {
		size_t o = nest_start(r, TCPK_A_DESC);

		attr_put(r, TCPK_A_DESC_RAW, d, sizeof(d));
		nest_end(r, o);
		n++;
	}
	fclose(f);
	if (send_req(r) < 0 || await(r->seq, &a, &stray) < 0) {
		fprintf(stderr, "genl-fuzz: %s: no answer to the batch of %lu\n", file, n);
		return 2;
	}
	printf("descriptors %lu, message %zu bytes\n", n, r->len);
	printf("errno %d (%s)\n", a.err, a.err ? strerror(a.err) : "success");
	printf("extack: %s\n", a.msg);
	/* every nest is the same size: the offset names one of them */
	if (a.has_offs && a.offs >= first && n)
		printf("extack offset: %u (nest index %zu)\n", a.offs,
		       (a.offs - first) / NLA_ALIGN(NLA_HDRLEN * 2 + TCPK_DESC_LEN));
	else if (a.has_offs)
		printf("extack offset: %u (before the first nest)\n", a.offs);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 20240521;
	unsigned long iters = 2000, it;
	unsigned int total_weight = 0;
	struct answer a;
	struct req r;
	int opt, one = 1, failed = 0, i, stray;
	unsigned long enodata = 0;
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT };

	const char *batch_file = NULL;
	int dump = 0, over_limit = 0, every_op = 0;
	const struct kind *ks = kinds;
	int nks = (int)(sizeof(kinds) / sizeof(kinds[0]));

	while ((opt = getopt(argc, argv, "s:n:vB:DLPh")) != -1) {
		switch (opt) {
		case 'P': every_op = 1; break;
		case 'L': over_limit = 1; break;
		case 'D': dump = 1; break;
		case 'B': batch_file = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': iters = strtoul(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	if (!batch_file && !dump && !over_limit)
		printf("# seed %llu, %lu requests\n", seed, iters);

	r.p = malloc(MAX_REQ);
	sk = nl_socket_alloc();
	if (!r.p || !sk || genl_connect(sk) < 0) {
		fprintf(stderr, "genl-fuzz: cannot open a generic netlink socket\n");
		return 2;
	}
	family = genl_ctrl_resolve(sk, TCPK_GENL_NAME);
	if (family < 0) {
		fprintf(stderr, "genl-fuzz: family %s: %s\n", TCPK_GENL_NAME,
			nl_geterror(family));
		return 2;
	}
	if (setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    nl_socket_set_buffer_size(sk, 8 << 20, 1 << 20) < 0) {
		fprintf(stderr, "genl-fuzz: setsockopt: %s\n", strerror(errno));
		return 2;
	}
	{
		int big = 8 << 20;

		/* root may exceed wmem_max: a 4096-descriptor batch is ~150 KiB */
		setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	}
	nl_socket_enable_msg_peek(sk);
	nl_socket_disable_seq_check(sk);
	if (batch_file)
		return send_file_batch(batch_file, &r);
	if (dump)
		return dump_count(&r);

	if (simple(TCPK_CMD_DESC_FLUSH, &a) < 0 || a.err) {
		fprintf(stderr, "genl-fuzz: DESC_FLUSH failed: %s %s\n", strerror(a.err), a.msg);
		return 2;
	}
	if (simple(TCPK_CMD_DESC_COUNT, &a) < 0 || a.err || !a.has_count) {
		fprintf(stderr, "genl-fuzz: DESC_COUNT failed: %s %s\n", strerror(a.err), a.msg);
		return 2;
	}
	printf("# database flushed: count %u, limit %u\n", a.db_count, a.db_limit);
	db_limit = a.has_limit ? a.db_limit : 0;

	if (every_op) {
		if (load_policies() < 0)
			return 2;
		ks = op_kinds;
		nks = (int)(sizeof(op_kinds) / sizeof(op_kinds[0]));
	}
	for (i = 0; i < nks; i++)
		total_weight += ks[i].weight;

	/*
	 * -L: one batch of valid descriptors, one more than the database
	 * takes, instead of the random requests (the caller lowers
	 * max_descriptors first: the batch is one message).
	 */
	if (over_limit) {
		if (!db_limit || db_limit > 20000) {
			fprintf(stderr, "genl-fuzz: -L needs a DB_LIMIT of 1 to 20000, not %lu\n",
				db_limit);
			return 2;
		}
		iters = 0;
		k_over_limit(&r);
		stray = 0;
		if (send_req(&r) < 0)
			judge(&r, -1, &a, 0);
		else
			judge(&r, await(r.seq, &a, &stray), &a, stray);
	}

	for (it = 0; it < iters; it++) {
		uint32_t w = rnd_below(total_weight);
		int rc;

		for (i = 0; w >= ks[i].weight; i++)
			w -= ks[i].weight;
		ks[i].build(&r);
		stray = 0;
		rc = send_req(&r);
		/*
		 * netlink_sendmsg() of 6.12 refuses a zero-length datagram
		 * with ENODATA; kernels without that check drop it.
		 */
		if (rc == -ENODATA && r.fixed && !r.send_len) {
			enodata++;
			rc = 0;
		}
		if (rc < 0) {
			judge(&r, -1, &a, 0);
			continue;
		}
		if (r.expect & X_NONE) {
			/* the next request's answer proves nothing came for this one */
			struct req probe;
			static uint8_t pbuf[64];

			probe.p = pbuf;
			req_begin(&probe, "probe", TCPK_CMD_GET_STATUS, 0, X_ANY);
			req_end(&probe);
			rc = send_req(&probe);
			if (rc >= 0)
				rc = await(probe.seq, &a, &stray);
			if (rc >= 0 && (a.err || !a.has_uapi))
				rc = -1;
		} else {
			rc = await(r.seq, &a, &stray);
		}
		judge(&r, rc, &a, stray);
	}


	if (enodata)
		printf("# zero-length datagrams refused by sendmsg() with ENODATA: %lu\n", enodata);
	for (i = 0; i < MAX_MSGS && seen[i].kind; i++)
		printf("# %-38s %-28s x%-5lu \"%s\"\n", seen[i].kind,
		       strerror(seen[i].err), seen[i].n, seen[i].msg);

	for (i = 0; i < MAX_KINDS && tally[i].kind; i++) {
		struct tally *t = &tally[i];

		printf("RESULT %s %s: %lu request%s %s%s%s\n", t->bad ? "fail" : "ok",
		       t->kind, t->n, t->n == 1 ? "" : "s", expect_text(t->expect),
		       t->need_text ? ", " : "", t->need_text ? t->need_text : "");
		if (!(t->expect & X_NONE))
			printf("# %s: %lu accepted, %lu refused or unanswered\n", t->kind,
			       t->accepted, t->n - t->accepted);
		if (t->by_msg || t->by_offs)
			printf("# %s: the batch index named in the message %lu times, by the extack attribute offset %lu times\n",
			       t->kind, t->by_msg, t->by_offs);
		if (t->bad) {
			printf("# %lu of %lu failed; first: %s\n", t->bad, t->n, t->first_bad);
			failed = 1;
		}
	}

	if (every_op) {
		/* well-shaped requests may apply: nothing to count */
		failed |= op_coverage();
	} else if (simple(TCPK_CMD_DESC_COUNT, &a) < 0 || a.err || !a.has_count) {
		printf("RESULT fail after-fuzzing: DESC_COUNT answers\n");
		failed = 1;
	} else {
		printf("RESULT %s after-fuzzing: nothing was applied, DESC_COUNT is %u (0 expected)\n",
		       a.db_count ? "fail" : "ok", a.db_count);
		failed |= a.db_count != 0;
	}
	if (simple(TCPK_CMD_GET_STATUS, &a) < 0 || a.err || !a.has_uapi) {
		printf("RESULT fail after-fuzzing: GET_STATUS answers\n");
		failed = 1;
	} else {
		printf("RESULT ok after-fuzzing: GET_STATUS answers (uapi %u)\n",
		       a.uapi_version);
	}
	nl_socket_free(sk);
	free(r.p);
	return failed;
}
