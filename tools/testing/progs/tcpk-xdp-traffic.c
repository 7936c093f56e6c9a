// SPDX-License-Identifier: GPL-2.0
/*
 * tcpk-xdp-traffic - packets for the XDP flow monitor's test
 *
 *   tcpk-xdp-traffic send --if=IF --dst-mac=MAC --src=IP --dst=IP
 *                    [--sport=N] [--dport=N] [--flags=SFRPAU] [--udp]
 *                    [--count=N] [--vary=sport|dport|saddr] [--vlan=ID]
 *       Ethernet frames built by hand (IPv4 or IPv6, TCP or UDP, valid
 *       checksums), sent on IF through an AF_PACKET socket: --count of
 *       them, each with the next source port, destination port or source
 *       address when --vary says so (a flood of distinct flows, a port
 *       scan).  --flags are the TCP flags by letter (default S).  Prints
 *       how long the sending took: veth queues each frame to this CPU's
 *       backlog, which the kernel processes (XDP included) when the
 *       sender's bottom halves are enabled again, so the time includes
 *       the receiving side.
 *   tcpk-xdp-traffic serve --addr=IP --port=N
 *       Accept TCP connections forever, answering "ok\n" to each.
 *   tcpk-xdp-traffic connect --src=IP --dst=IP --port=N [--timeout-ms=N]
 *       Connect from IP, expect "ok"; exit 0 if it came, 1 if not (the
 *       reason on stderr).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

struct addr {
	int family;
	uint8_t a[16];
};

static int parse_addr(const char *s, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->a) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	fprintf(stderr, "tcpk-xdp-traffic: %s: not an address\n", s);
	return -1;
}

static uint32_t csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* An Ethernet frame for one packet; its length. */
static size_t build(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
		    int vlan, const struct addr *src, const struct addr *dst,
		    bool udp, uint16_t sport, uint16_t dport, uint8_t flags)
{
	size_t off = 12, l3, l4, l4len = udp ? 8 : 20, alen;
	uint8_t proto = udp ? IPPROTO_UDP : IPPROTO_TCP;
	bool v6 = src->family == AF_INET6;
	uint32_t sum;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	if (vlan >= 0) {
		f[off++] = 0x81;
		f[off++] = 0x00;
		f[off++] = (uint8_t)(vlan >> 8);
		f[off++] = (uint8_t)vlan;
	}
	f[off++] = v6 ? 0x86 : 0x08;
	f[off++] = v6 ? 0xdd : 0x00;
	l3 = off;
	alen = v6 ? 16 : 4;
	if (v6) {
		memset(f + l3, 0, 40);
		f[l3] = 0x60;
		f[l3 + 4] = (uint8_t)(l4len >> 8);
		f[l3 + 5] = (uint8_t)l4len;
		f[l3 + 6] = proto;
		f[l3 + 7] = 64;
		memcpy(f + l3 + 8, src->a, 16);
		memcpy(f + l3 + 24, dst->a, 16);
		l4 = l3 + 40;
	} else {
		uint16_t c;

		memset(f + l3, 0, 20);
		f[l3] = 0x45;
		f[l3 + 2] = (uint8_t)((20 + l4len) >> 8);
		f[l3 + 3] = (uint8_t)(20 + l4len);
		f[l3 + 8] = 64;
		f[l3 + 9] = proto;
		memcpy(f + l3 + 12, src->a, 4);
		memcpy(f + l3 + 16, dst->a, 4);
		c = csum_fold(csum_add(0, f + l3, 20));
		memcpy(f + l3 + 10, &c, 2);
		l4 = l3 + 20;
	}
	memset(f + l4, 0, l4len);
	f[l4] = (uint8_t)(sport >> 8);
	f[l4 + 1] = (uint8_t)sport;
	f[l4 + 2] = (uint8_t)(dport >> 8);
	f[l4 + 3] = (uint8_t)dport;
	if (udp) {
		f[l4 + 5] = (uint8_t)l4len;
	} else {
		f[l4 + 4] = 0x12;	/* sequence number */
		f[l4 + 12] = 5 << 4;	/* data offset: 5 words */
		f[l4 + 13] = flags;
		f[l4 + 14] = 0xff;	/* window */
	}
	/* The pseudo-header, then the L4 header. */
	sum = csum_add(0, f + l4 - (v6 ? 32 : 8), 2 * alen);
	sum += proto + (uint32_t)l4len;
	{
		uint16_t c = csum_fold(csum_add(sum, f + l4, l4len));

		memcpy(f + l4 + (udp ? 6 : 16), &c, 2);
	}
	return l4 + l4len;
}

static int parse_flags(const char *s, uint8_t *flags)
{
	static const char letters[] = "FSRPAU";
	const char *p;

	*flags = 0;
	for (; *s; s++) {
		p = strchr(letters, *s);
		if (!p) {
			fprintf(stderr, "tcpk-xdp-traffic: --flags: %c is not one of FSRPAU\n", *s);
			return -1;
		}
		*flags |= (uint8_t)(1U << (p - letters));
	}
	return 0;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6) {
		fprintf(stderr, "tcpk-xdp-traffic: %s: not a MAC address\n", s);
		return -1;
	}
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static int cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "if", required_argument, NULL, 'i' },
		{ "dst-mac", required_argument, NULL, 'm' },
		{ "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'd' },
		{ "sport", required_argument, NULL, 'S' },
		{ "dport", required_argument, NULL, 'D' },
		{ "flags", required_argument, NULL, 'f' },
		{ "udp", no_argument, NULL, 'u' },
		{ "count", required_argument, NULL, 'c' },
		{ "vary", required_argument, NULL, 'v' },
		{ "vlan", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifname = NULL, *vary = "";
	uint8_t dmac[6], smac[6], flags = 0x02, frame[128];
	unsigned long count = 1, i, sport = 40000, dport = 80;
	struct addr src = { 0 }, dst = { 0 };
	bool have_mac = false, udp = false;
	struct sockaddr_ll ll = { 0 };
	struct ifreq ifr = { 0 };
	int opt, fd, vlan = -1;
	struct timespec t0, t1;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'm': if (parse_mac(optarg, dmac)) return 2; have_mac = true; break;
		case 's': if (parse_addr(optarg, &src)) return 2; break;
		case 'd': if (parse_addr(optarg, &dst)) return 2; break;
		case 'S': sport = strtoul(optarg, NULL, 10); break;
		case 'D': dport = strtoul(optarg, NULL, 10); break;
		case 'f': if (parse_flags(optarg, &flags)) return 2; break;
		case 'u': udp = true; break;
		case 'c': count = strtoul(optarg, NULL, 10); break;
		case 'v': vary = optarg; break;
		case 'V': vlan = atoi(optarg) & 0xfff; break;
		default: return 2;
		}
	}
	if (!ifname || !have_mac || !src.family || src.family != dst.family) {
		fprintf(stderr, "tcpk-xdp-traffic send: give --if, --dst-mac, and --src and --dst of one family\n");
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("tcpk-xdp-traffic: AF_PACKET socket");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		perror("tcpk-xdp-traffic: SIOCGIFHWADDR");
		return 1;
	}
	memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ll.sll_family = AF_PACKET;
	ll.sll_ifindex = (int)if_nametoindex(ifname);
	ll.sll_halen = 6;
	memcpy(ll.sll_addr, dmac, 6);
	for (i = 0; i < count; i++) {
		struct addr s = src;
		uint16_t sp = (uint16_t)sport, dp = (uint16_t)dport;
		size_t len;

		if (!strcmp(vary, "sport"))
			sp = (uint16_t)(sport + i);
		else if (!strcmp(vary, "dport"))
			dp = (uint16_t)(dport + i);
		else if (!strcmp(vary, "saddr")) {
			/* The last two bytes of the address count up. */
			size_t last = src.family == AF_INET6 ? 15 : 3;
			unsigned int v = s.a[last] | s.a[last - 1] << 8;

			v += (unsigned int)i;
			s.a[last] = (uint8_t)v;
			s.a[last - 1] = (uint8_t)(v >> 8);
		}
		len = build(frame, dmac, smac, vlan, &s, &dst, udp, sp, dp, flags);
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&ll,
			   sizeof(ll)) != (ssize_t)len) {
			if (errno == ENOBUFS) {
				usleep(1000);
				i--;
				continue;
			}
			perror("tcpk-xdp-traffic: sendto");
			return 1;
		}
	}
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("sent %lu packets in %lld ns\n", count,
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
	       (t1.tv_nsec - t0.tv_nsec));
	return 0;
}

static int sockaddr_of(const struct addr *a, uint16_t port,
		       struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		memcpy(&in->sin_addr, a->a, 4);
		*len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		memcpy(&in6->sin6_addr, a->a, 16);
		*len = sizeof(*in6);
	}
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "addr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct sockaddr_storage ss;
	struct addr a = { 0 };
	int opt, fd, c, one = 1;
	uint16_t port = 0;
	socklen_t len;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'a' && !parse_addr(optarg, &a))
			continue;
		if (opt == 'p') {
			port = (uint16_t)strtoul(optarg, NULL, 10);
			continue;
		}
		return 2;
	}
	if (!a.family || !port) {
		fprintf(stderr, "tcpk-xdp-traffic serve: give --addr and --port\n");
		return 2;
	}
	sockaddr_of(&a, port, &ss, &len);
	fd = socket(a.family, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 64)) {
		perror("tcpk-xdp-traffic serve");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		if (write(c, "ok\n", 3) != 3)
			perror("tcpk-xdp-traffic serve: write");
		close(c);
	}
}

static int cmd_connect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "src", required_argument, NULL, 's' },
		{ "dst", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'p' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct addr src = { 0 }, dst = { 0 };
	struct sockaddr_storage ss;
	int opt, fd, timeout = 3000, err;
	socklen_t len, elen = sizeof(err);
	struct pollfd pfd;
	uint16_t port = 0;
	char buf[8] = "";

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's': if (parse_addr(optarg, &src)) return 2; break;
		case 'd': if (parse_addr(optarg, &dst)) return 2; break;
		case 'p': port = (uint16_t)strtoul(optarg, NULL, 10); break;
		case 't': timeout = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!src.family || src.family != dst.family || !port) {
		fprintf(stderr, "tcpk-xdp-traffic connect: give --src, --dst of one family and --port\n");
		return 2;
	}
	fd = socket(src.family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sockaddr_of(&src, 0, &ss, &len);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len)) {
		perror("tcpk-xdp-traffic connect: bind");
		return 1;
	}
	sockaddr_of(&dst, port, &ss, &len);
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		perror("tcpk-xdp-traffic connect");
		return 1;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, timeout) != 1) {
		fprintf(stderr, "tcpk-xdp-traffic connect: no answer within %d ms\n", timeout);
		return 1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) || err) {
		fprintf(stderr, "tcpk-xdp-traffic connect: %s\n", strerror(err));
		return 1;
	}
	pfd.events = POLLIN;
	if (poll(&pfd, 1, timeout) != 1 || read(fd, buf, sizeof(buf) - 1) < 2 ||
	    strncmp(buf, "ok", 2)) {
		fprintf(stderr, "tcpk-xdp-traffic connect: connected, but no \"ok\" within %d ms\n",
			timeout);
		return 1;
	}
	close(fd);
	printf("connected\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: tcpk-xdp-traffic send|serve|connect OPTIONS\n");
		return 2;
	}
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc - 1, argv + 1);
	if (!strcmp(argv[1], "serve"))
		return cmd_serve(argc - 1, argv + 1);
	if (!strcmp(argv[1], "connect"))
		return cmd_connect(argc - 1, argv + 1);
	fprintf(stderr, "tcpk-xdp-traffic: unknown command %s\n", argv[1]);
	return 2;
}
