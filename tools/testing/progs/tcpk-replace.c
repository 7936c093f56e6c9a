// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - replace the policy at a fixed rate, for the stress run
 * (tools/testing/vm/tests/58-stress.sh).
 *
 *   tcpk-replace [-r RATE] [-d SECONDS] [-f FILLER]
 *
 * Reads the rule set in force (one TCPK_CMD_RULE_GET dump), then sends
 * TCPK_CMD_RULE_REPLACE requests, RATE a second (default 100) for
 * SECONDS (default 10) or until SIGTERM/SIGINT, each waiting for its
 * acknowledgement.  Every request holds the rules read (their ids and
 * conditions, without hit counters), then a marker rule that matches no
 * process (action allow, comm "rep-N", N the request's number from 1);
 * odd-numbered ones also hold FILLER (default 16) deny rules for paths
 * that do not exist, so the set's size changes from one replace to the
 * next.  The decisions of the rules read do not change.  When behind its
 * schedule by more than a second the helper starts it anew (no burst).
 *
 * Last line on standard output:
 *   replaces N errors E seconds S rate R max_ms M last rep-N rules K
 * (K: the rules of the last request).  Exit status 0 when every replace
 * was acknowledged without error, 1 otherwise, 2 on a usage or setup
 * error.  Plain netlink sockets: no library beyond libc.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <linux/tcp_kernel.h>

#define BUF_SIZE	(1 << 20)

static int fd = -1;
static uint16_t family;
static uint32_t seq = 1;
static volatile sig_atomic_t stop;
static unsigned char rules[BUF_SIZE];	/* TCPK_A_RULE nests, read */
static size_t rules_len;
static unsigned int nrules;
static unsigned char req[BUF_SIZE];
static unsigned char rbuf[BUF_SIZE];

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *put(size_t *len, const void *data, size_t n)
{
	void *p = req + *len;

	if (*len + NLA_ALIGN(n) > sizeof(req)) {
		fprintf(stderr, "tcpk-replace: request too large\n");
		exit(2);
	}
	memset(p, 0, NLA_ALIGN(n));
	if (data)
		memcpy(p, data, n);
	*len += NLA_ALIGN(n);
	return p;
}

static void attr(size_t *len, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + n, .nla_type = type };

	put(len, &a, sizeof(a));
	put(len, data, n);
}

static void attr_u32(size_t *len, uint16_t type, uint32_t v)
{
	attr(len, type, &v, sizeof(v));
}

static size_t nest_start(size_t *len, uint16_t type)
{
	size_t off = *len;
	struct nlattr a = { .nla_type = type | NLA_F_NESTED };

	put(len, &a, sizeof(a));
	return off;
}

static void nest_end(size_t len, size_t off)
{
	((struct nlattr *)(req + off))->nla_len = len - off;
}

static size_t msg_start(uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr h = {
		.nlmsg_type = type,
		.nlmsg_flags = NLM_F_REQUEST | flags,
		.nlmsg_seq = ++seq,
	};
	struct genlmsghdr g = { .cmd = cmd, .version = TCPK_GENL_VERSION };
	size_t len = 0;

	put(&len, &h, sizeof(h));
	put(&len, &g, sizeof(g));
	return len;
}

static int msg_send(size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	((struct nlmsghdr *)req)->nlmsg_len = len;
	if (sendto(fd, req, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("tcpk-replace: sendto");
		return -1;
	}
	return 0;
}

/* The attributes after the generic header of @h, for each call of @fn. */
static void each_attr(struct nlmsghdr *h,
		      void (*fn)(struct nlattr *a, void *arg), void *arg)
{
	struct nlattr *a = (void *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	int rem = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	while (rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= rem) {
		fn(a, arg);
		rem -= NLA_ALIGN(a->nla_len);
		a = (void *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

/*
 * Receive until the answer to the last request is complete: an error
 * message (acknowledgement) or NLMSG_DONE.  @fn sees every data message.
 * Return: the request's errno (0 on success), -1 on a socket error.
 */
static int recv_answer(void (*fn)(struct nlmsghdr *h))
{
	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR && !stop)
				continue;
			perror("tcpk-replace: recv");
			return -1;
		}
		for (h = (void *)rbuf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (fn)
				fn(h);
		}
	}
}

static void family_attr(struct nlattr *a, void *arg)
{
	(void)arg;
	if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
		family = *(uint16_t *)((char *)a + NLA_HDRLEN);
}

static void family_msg(struct nlmsghdr *h)
{
	each_attr(h, family_attr, NULL);
}

/* A rule of the dump, copied without its hit counter and padding. */
static void rule_attr(struct nlattr *a, void *arg)
{
	struct nlattr *in, *nest = (struct nlattr *)(rules + rules_len);
	int rem;

	(void)arg;
	if ((a->nla_type & NLA_TYPE_MASK) != TCPK_A_RULE)
		return;
	if (rules_len + NLA_ALIGN(a->nla_len) > sizeof(rules)) {
		fprintf(stderr, "tcpk-replace: too many rules\n");
		exit(2);
	}
	nest->nla_type = TCPK_A_RULE | NLA_F_NESTED;
	rules_len += NLA_HDRLEN;
	in = (void *)((char *)a + NLA_HDRLEN);
	rem = a->nla_len - NLA_HDRLEN;
	while (rem >= (int)NLA_HDRLEN && in->nla_len >= NLA_HDRLEN &&
	       in->nla_len <= rem) {
		uint16_t t = in->nla_type & NLA_TYPE_MASK;

		if (t != TCPK_A_RULE_HITS && t != TCPK_A_RULE_PAD) {
			memcpy(rules + rules_len, in, in->nla_len);
			rules_len += NLA_ALIGN(in->nla_len);
		}
		rem -= NLA_ALIGN(in->nla_len);
		in = (void *)((char *)in + NLA_ALIGN(in->nla_len));
	}
	nest->nla_len = (char *)(rules + rules_len) - (char *)nest;
	nrules++;
}

static void rule_msg(struct nlmsghdr *h)
{
	each_attr(h, rule_attr, NULL);
}

/* The request of replace number @n; returns its length. */
static size_t build(unsigned long n, unsigned int filler, unsigned int *count)
{
	size_t len = msg_start(family, NLM_F_ACK, TCPK_CMD_RULE_REPLACE);
	char s[64];
	size_t nest;
	unsigned int i;

	memcpy(put(&len, NULL, rules_len), rules, rules_len);
	*count = nrules + 1;
	nest = nest_start(&len, TCPK_A_RULE);
	attr_u32(&len, TCPK_A_RULE_PRIORITY, 65000);
	attr_u32(&len, TCPK_A_RULE_ACTION, TCPK_ACTION_ALLOW);
	snprintf(s, sizeof(s), "rep-%lu", n);
	attr(&len, TCPK_A_RULE_COMM, s, strlen(s) + 1);
	nest_end(len, nest);
	for (i = 0; (n & 1) && i < filler; i++) {
		nest = nest_start(&len, TCPK_A_RULE);
		attr_u32(&len, TCPK_A_RULE_PRIORITY, 64000 + i);
		attr_u32(&len, TCPK_A_RULE_ACTION, TCPK_ACTION_DENY);
		snprintf(s, sizeof(s), "/nonexistent/tcpk-replace/%lu/%u/**",
			 n, i);
		attr(&len, TCPK_A_RULE_PATH, s, strlen(s) + 1);
		nest_end(len, nest);
		(*count)++;
	}
	return len;
}

static void usage(void)
{
	fprintf(stderr, "usage: tcpk-replace [-r RATE] [-d SECONDS] [-f FILLER]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double rate = 100, seconds = 10, t0, next, t, lat, max_lat = 0;
	unsigned long n = 0, errors = 0;
	unsigned int filler = 16, count = 0;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct sigaction sact = { 0 };
	int opt, bufsz = BUF_SIZE, err;
	size_t len;

	while ((opt = getopt(argc, argv, "r:d:f:")) != -1) {
		switch (opt) {
		case 'r':
			rate = atof(optarg);
			break;
		case 'd':
			seconds = atof(optarg);
			break;
		case 'f':
			filler = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || rate <= 0 || seconds <= 0 || filler > 1000)
		usage();
	/* No SA_RESTART: a signal ends a wait for an answer. */
	sigemptyset(&sact.sa_mask);
	sact.sa_handler = on_signal;
	sigaction(SIGTERM, &sact, NULL);
	sigaction(SIGINT, &sact, NULL);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("tcpk-replace: netlink socket");
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));

	/* With an acknowledgement: the reply alone would not end the wait. */
	len = msg_start(GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)(req + NLMSG_HDRLEN))->version = 1;
	attr(&len, CTRL_ATTR_FAMILY_NAME, TCPK_GENL_NAME, sizeof(TCPK_GENL_NAME));
	if (msg_send(len) || recv_answer(family_msg) || !family) {
		fprintf(stderr, "tcpk-replace: no family %s (module not loaded?)\n",
			TCPK_GENL_NAME);
		return 2;
	}

	len = msg_start(family, NLM_F_DUMP, TCPK_CMD_RULE_GET);
	if (msg_send(len) || (err = recv_answer(rule_msg))) {
		fprintf(stderr, "tcpk-replace: cannot read the rules\n");
		return 2;
	}
	printf("rules read %u (%zu bytes); rate %.1f/s for %.1f s, %u filler rules\n",
	       nrules, rules_len, rate, seconds, filler);
	fflush(stdout);

	t0 = now();
	next = t0;
	while (!stop) {
		t = now();
		if (t - t0 >= seconds)
			break;
		if (t < next) {
			struct timespec ts;
			double d = next - t;

			ts.tv_sec = (time_t)d;
			ts.tv_nsec = (long)((d - ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
			continue;
		}
		if (t - next > 1)
			next = t;	/* far behind: a new schedule */
		next += 1 / rate;
		n++;
		len = build(n, filler, &count);
		if (msg_send(len))
			return 2;
		err = recv_answer(NULL);
		lat = now() - t;
		if (lat > max_lat)
			max_lat = lat;
		if (err) {
			if (errors++ < 5)
				fprintf(stderr, "tcpk-replace: replace %lu: %s\n",
					n, err > 0 ? strerror(err) : "socket error");
			if (err < 0)
				return 2;
		}
	}
	t = now() - t0;
	printf("replaces %lu errors %lu seconds %.2f rate %.1f max_ms %.1f last rep-%lu rules %u\n",
	       n, errors, t, t > 0 ? n / t : 0.0, max_lat * 1000, n, count);
	return errors ? 1 : 0;
}
