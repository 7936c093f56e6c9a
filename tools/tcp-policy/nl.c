// SPDX-License-Identifier: GPL-2.0
/* tcp-policy - generic netlink helpers: connect, resolve, request, reply */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include <linux/tcp_kernel.h>

#include "nl.h"
#include "tcp-policy.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/**
 * struct tp_nl_req - state of one request while its replies arrive
 * @what: name of the request, for messages.
 * @parse: parser of reply messages, may be NULL.
 * @arg: context of @parse.
 * @ext: where to record the kernel's error, may be NULL.
 * @state: 1 while waiting, 0 once acknowledged or done, -errno on error.
 * @parse_err: first error returned by @parse.
 * @dump_intr: a reply carried NLM_F_DUMP_INTR.
 */
struct tp_nl_req {
	const char *what;
	tp_nl_parse_fn parse;
	void *arg;
	struct tp_nl_ext *ext;
	int state;
	int parse_err;
	bool dump_intr;
};

static const struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS]		= { .type = NLA_U32, .maxlen = 4 },
	[NLMSGERR_ATTR_MISS_TYPE]	= { .type = NLA_U32, .maxlen = 4 },
};

/*
 * Parse the extended ACK attributes that start @off bytes into @nlh.
 * Return: 0 and @tb filled, or -1 if there are none or they are malformed.
 */
static int parse_tlvs(struct nlmsghdr *nlh, size_t off, struct nlattr **tb)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= off)
		return -1;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      (int)(nlh->nlmsg_len - off), extack_policy) < 0)
		return -1;
	return 0;
}

/*
 * Find the extended ACK attributes of an NLMSG_ERROR message (error or
 * acknowledgement).  They follow struct nlmsgerr and, unless the kernel
 * capped the message, a copy of the request's payload.  The caller has
 * checked that struct nlmsgerr is complete.
 */
static int parse_extack(struct nlmsghdr *nlh, struct nlattr **tb)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e));

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return -1;
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	return parse_tlvs(nlh, off, tb);
}

/*
 * Is CAP_NET_ADMIN in this process's effective set?  Then an EPERM of the
 * capability check means that a security module refused its use (a
 * tcp_kernel rule for agents, for one), not that the caller lacks it.
 */
static bool has_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_NET_ADMIN / 32].effective &
	       (1U << (CAP_NET_ADMIN % 32));
}

/**
 * tp_nl_report() - print an error of the kernel
 * @what: name of the request.
 * @where: what in the request was at fault (e.g. "tools.tcp:12"), or NULL.
 * @ext: the error, as recorded by tp_nl_request_ext().
 */
void tp_nl_report(const char *what, const char *where,
		  const struct tp_nl_ext *ext)
{
	const char *hint = "";
	int err = ext->err < 0 ? ext->err : -EPROTO;

	/*
	 * The capability check of the genetlink core sends no message; a
	 * refusal of the module's own (the lock, a labelled process) does.
	 */
	if (err == -EPERM && !ext->msg[0])
		hint = has_net_admin() ?
		       " (this process has CAP_NET_ADMIN, but its use was refused: a security policy, such as a tcp_kernel rule for agents, denies it)" :
		       " (CAP_NET_ADMIN needed)";
	else if (err == -EOPNOTSUPP)
		hint = " (the loaded module does not know this command: older uapi?)";

	tp_err("%s: %s%s%s%s%s%s", what, where ? where : "", where ? ": " : "",
	       strerror(-err), hint, ext->msg[0] ? ": " : "", ext->msg);
	if (ext->has_miss && ext->miss_type == TCPK_A_SIGNATURE)
		tp_err("%s: the request lacks a signature (--signature)", what);
	else if (ext->has_miss)
		tp_err("%s: the request lacks attribute %u", what,
		       ext->miss_type);
}

/* Record and report an error of the kernel; @tb may be NULL. */
static void kernel_error(struct tp_nl_req *req, int err, struct nlattr **tb)
{
	struct tp_nl_ext local = { 0 };
	struct tp_nl_ext *ext = req->ext ? req->ext : &local;

	/* A positive value is not an errno; never report success by mistake. */
	if (err >= 0)
		err = -EPROTO;
	req->state = err;

	ext->err = err;
	ext->msg[0] = '\0';
	if (tb && tb[NLMSGERR_ATTR_MSG])
		snprintf(ext->msg, sizeof(ext->msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	ext->has_offs = tb && tb[NLMSGERR_ATTR_OFFS];
	if (ext->has_offs)
		ext->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	ext->has_miss = tb && tb[NLMSGERR_ATTR_MISS_TYPE];
	if (ext->has_miss)
		ext->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);

	if (!ext->quiet)
		tp_nl_report(req->what, NULL, ext);
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (void *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	(void)nla;
	kernel_error(arg, e->error, parse_extack(nlh, tb) == 0 ? tb : NULL);
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct tp_nl_req *req = arg;

	/* An acknowledgement may carry a warning from the kernel. */
	if (nlmsg_datalen(nlh) >= (int)sizeof(struct nlmsgerr) &&
	    parse_extack(nlh, tb) == 0 && tb[NLMSGERR_ATTR_MSG])
		tp_err("%s: kernel warning: %s", req->what,
		       nla_get_string(tb[NLMSGERR_ATTR_MSG]));

	req->state = 0;
	return NL_STOP;
}

/*
 * NLMSG_DONE ends a dump.  Its payload is an int: 0, or the error that
 * cut the dump short, then possibly extended ACK attributes.
 */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct tp_nl_req *req = arg;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));
	int err = 0;

	if (nlmsg_datalen(nlh) >= (int)sizeof(err))
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err < 0) {
		kernel_error(req, err, parse_tlvs(nlh, off, tb) == 0 ? tb : NULL);
		return NL_STOP;
	}
	req->state = 0;
	return NL_STOP;
}

/* The data changed during a dump: note it and keep reading to the end. */
static int dump_intr_cb(struct nl_msg *msg, void *arg)
{
	struct tp_nl_req *req = arg;

	(void)msg;
	req->dump_intr = true;
	return NL_OK;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct tp_nl_req *req = arg;
	int err;

	if (req->parse_err || !req->parse)
		return NL_SKIP;

	if (!genlmsg_valid_hdr(nlh, 0)) {
		tp_err("%s: malformed reply: short generic netlink header",
		       req->what);
		req->parse_err = -EBADMSG;
		return NL_SKIP;
	}

	err = req->parse(nlh, req->arg);
	if (err)
		req->parse_err = err < 0 ? err : -EBADMSG;
	return NL_SKIP;
}

/**
 * tp_nl_open() - connect to generic netlink and resolve the family
 * @nl: socket to fill.
 *
 * Reports errors on stderr, including the case of the module not being
 * loaded.  Return: 0 on success, -1 on failure.
 */
int tp_nl_open(struct tp_nl *nl)
{
	int one = 1;
	int err;

	nl->family = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		tp_err("cannot allocate a netlink socket: %s", strerror(ENOMEM));
		return -1;
	}

	err = genl_connect(nl->sk);
	if (err < 0) {
		tp_err("cannot open a generic netlink socket: %s",
		       nl_geterror(err));
		goto fail;
	}

	/*
	 * Ask for the kernel's error messages and for errors without a copy
	 * of our request.  Kernels that lack either option simply do not
	 * send the extra data, so failures here are not errors.
	 */
	(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK,
			 NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK,
			 NETLINK_CAP_ACK, &one, sizeof(one));

	err = genl_ctrl_resolve(nl->sk, TCPK_GENL_NAME);
	if (err == -NLE_OBJ_NOTFOUND) {
		tp_err("module tcp_kernel is not loaded (generic netlink family \"%s\" not found)",
		       TCPK_GENL_NAME);
		goto fail;
	}
	if (err < 0) {
		tp_err("cannot resolve generic netlink family \"%s\": %s",
		       TCPK_GENL_NAME, nl_geterror(err));
		goto fail;
	}
	nl->family = err;
	return 0;

fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return -1;
}

/**
 * tp_nl_close() - release a socket opened by tp_nl_open()
 * @nl: the socket; may be one whose opening failed.
 */
void tp_nl_close(struct tp_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/**
 * tp_nl_msg() - start a request of the family
 * @nl: socket the request will be sent on.
 * @cmd: &enum tcpk_cmd.
 * @flags: extra netlink flags, e.g. %NLM_F_DUMP.
 *
 * Return: the message, to which attributes can be added, or NULL when out
 * of memory (already reported).
 */
struct nl_msg *tp_nl_msg(const struct tp_nl *nl, uint8_t cmd, int flags)
{
	return tp_nl_msg_size(nl, cmd, flags, 0);
}

/**
 * tp_nl_msg_size() - start a request of the family that may be large
 * @nl: socket the request will be sent on.
 * @cmd: &enum tcpk_cmd.
 * @flags: extra netlink flags.
 * @size: room for the whole message, headers included; 0 for libnl's
 *	default (a page).  Attributes beyond it fail to be added.
 *
 * Return: the message, or NULL when out of memory (already reported).
 */
struct nl_msg *tp_nl_msg_size(const struct tp_nl *nl, uint8_t cmd, int flags,
			      size_t size)
{
	struct nl_msg *msg;

	msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();
	if (!msg)
		goto nomem;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, TCPK_GENL_VERSION)) {
		nlmsg_free(msg);
		goto nomem;
	}
	return msg;

nomem:
	tp_err("cannot build a netlink message: %s", strerror(ENOMEM));
	return NULL;
}

static int sndbuf(int fd)
{
	socklen_t len = sizeof(int);
	int v = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len))
		return 0;
	return v;
}

/**
 * tp_nl_sndbuf() - make the socket's send buffer hold one message
 * @nl: socket opened by tp_nl_open().
 * @len: length of the message.
 * @what: name of the request, for messages.
 *
 * Netlink refuses (EMSGSIZE) a message longer than the socket's send
 * buffer less a little.  The buffer is raised with SO_SNDBUF, which
 * net.core.wmem_max caps, then with SO_SNDBUFFORCE, which needs
 * CAP_NET_ADMIN (as every request that changes the module does).
 *
 * Return: 0, or -1 (reported).
 */
int tp_nl_sndbuf(struct tp_nl *nl, size_t len, const char *what)
{
	int fd = nl_socket_get_fd(nl->sk);
	size_t need = len + 4096;
	socklen_t sl = sizeof(int);
	int rcv = 0, val;

	if (need > INT_MAX / 2) {
		tp_err("%s: a message of %zu bytes is too large for netlink",
		       what, len);
		return -1;
	}
	if ((size_t)sndbuf(fd) >= need)
		return 0;

	/* The kernel doubles what it is given; keep the receive buffer. */
	val = (int)need;
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, &sl))
		rcv = 0;
	(void)nl_socket_set_buffer_size(nl->sk, rcv / 2, val);
	if ((size_t)sndbuf(fd) >= need)
		return 0;
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &val, sizeof(val));
	if ((size_t)sndbuf(fd) >= need)
		return 0;

	tp_err("%s: the message is %zu bytes but the socket send buffer only %d: raising it above net.core.wmem_max needs CAP_NET_ADMIN",
	       what, len, sndbuf(fd));
	return -1;
}

/**
 * tp_nl_request() - send a request and process every reply to it
 * @nl: socket opened by tp_nl_open().
 * @msg: request from tp_nl_msg(); always consumed.
 * @what: name of the request, prefixed to every message.
 * @parse: called for each reply message; may be NULL.
 * @arg: context of @parse.
 *
 * Waits for the acknowledgement (or NLMSG_DONE of a dump).  Errors of the
 * kernel are reported with the kernel's extended ACK message when it sent
 * one.  Return: 0 on success, else a negative errno (already reported).
 */
int tp_nl_request(struct tp_nl *nl, struct nl_msg *msg, const char *what,
		  tp_nl_parse_fn parse, void *arg)
{
	return tp_nl_request_ext(nl, msg, what, parse, arg, NULL);
}

/**
 * tp_nl_request_ext() - tp_nl_request(), telling more about a failure
 * @nl: socket opened by tp_nl_open().
 * @msg: request from tp_nl_msg(); always consumed.
 * @what: name of the request, prefixed to every message.
 * @parse: called for each reply message; may be NULL.
 * @arg: context of @parse.
 * @ext: filled with the kernel's error and whether a dump was
 *	interrupted; with @ext->quiet set, the kernel's error is not printed.
 *	May be NULL.
 *
 * Return: 0 on success, else a negative errno (reported unless the kernel's
 * and @ext->quiet).
 */
int tp_nl_request_ext(struct tp_nl *nl, struct nl_msg *msg, const char *what,
		      tp_nl_parse_fn parse, void *arg, struct tp_nl_ext *ext)
{
	struct tp_nl_req req = {
		.what = what,
		.parse = parse,
		.arg = arg,
		.ext = ext,
		.state = 1,
	};
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		tp_err("%s: %s", what, strerror(ENOMEM));
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &req);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, dump_intr_cb, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &req);

	if (ext) {
		bool quiet = ext->quiet;

		memset(ext, 0, sizeof(*ext));
		ext->quiet = quiet;
	}

	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		tp_err("%s: cannot send request: %s", what, nl_geterror(err));
		req.state = -EIO;
		goto out;
	}

	while (req.state > 0) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && req.state > 0) {
			tp_err("%s: cannot receive reply: %s", what,
			       nl_geterror(err));
			req.state = -EIO;
		}
	}

out:
	nl_cb_put(cb);
	if (req.state < 0)
		return req.state;
	if (req.dump_intr) {
		if (ext) {
			ext->dump_intr = true;
		} else {
			tp_err("%s: the data changed during the dump; try again",
			       what);
			return -EAGAIN;
		}
	}
	return req.parse_err;
}

/**
 * tp_nl_parse() - validate a stream of attributes and index it
 * @tb: index to fill, @maxtype + 1 entries.
 * @maxtype: highest attribute type this tool knows; higher ones are
 *	skipped, so replies of a newer module still parse.
 * @head: first attribute.
 * @len: length of the stream.
 * @policy: type and length of each known attribute.
 * @what: name of the request, for messages.
 * @where: part of the reply being parsed, for messages.
 *
 * Unlike nla_parse() alone, names the attribute that fails validation and
 * refuses bytes left over after the last attribute.  Repeated attributes
 * are all validated; @tb holds the last one.  Return: 0, or -EBADMSG
 * (already reported).
 */
int tp_nl_parse(struct nlattr **tb, int maxtype, struct nlattr *head, int len,
		const struct nla_policy *policy, const char *what,
		const char *where)
{
	struct nlattr *nla;
	int rem, err;

	nla_for_each_attr(nla, head, len, rem) {
		if (nla_type(nla) > maxtype)
			continue;
		err = nla_validate(nla, nla->nla_len, maxtype, policy);
		if (err < 0) {
			tp_err("%s: malformed %s: attribute %d: %s", what,
			       where, nla_type(nla), nl_geterror(err));
			return -EBADMSG;
		}
	}
	if (rem > 0) {
		tp_err("%s: malformed %s: %d bytes after the last attribute",
		       what, where, rem);
		return -EBADMSG;
	}

	err = nla_parse(tb, maxtype, head, len, policy);
	if (err < 0) {
		tp_err("%s: malformed %s: %s", what, where, nl_geterror(err));
		return -EBADMSG;
	}
	return 0;
}

/**
 * tp_nl_dump() - dump @cmd, again if the module's data changed meanwhile
 * @nl: socket opened by tp_nl_open().
 * @cmd: the command to dump.
 * @what: name of the request, prefixed to every message.
 * @changed: what changed, for the message after the last attempt ("the
 *	patterns").
 * @parse: called for each reply message.
 * @arg: context of @parse.
 * @reset: empties @arg before each attempt.
 *
 * Return: 0, or -1 after a message.
 */
int tp_nl_dump(struct tp_nl *nl, uint8_t cmd, const char *what,
	       const char *changed, tp_nl_parse_fn parse, void *arg,
	       void (*reset)(void *arg))
{
	struct tp_nl_ext ext = { 0 };
	struct nl_msg *msg;
	int attempt;

	for (attempt = 1; attempt <= TP_DUMP_ATTEMPTS; attempt++) {
		reset(arg);
		msg = tp_nl_msg(nl, cmd, NLM_F_DUMP);
		if (!msg)
			return -1;
		if (tp_nl_request_ext(nl, msg, what, parse, arg, &ext))
			return -1;
		if (!ext.dump_intr)
			return 0;
	}
	fprintf(stderr, TP_NAME ": %s: %s changed during each of %d dumps; try again\n",
		what, changed, TP_DUMP_ATTEMPTS);
	return -1;
}
