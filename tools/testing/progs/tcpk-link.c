// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - BPF_LINK_DETACH and BPF_LINK_UPDATE of a pinned link, for
 * the lock test (tools/testing/vm/tests/99-lock.sh); the guests have no
 * bpftool.
 *
 *   tcpk-link detach LINK_PIN
 *   tcpk-link update LINK_PIN PROG_PIN
 *   tcpk-link other IFACE
 *
 * Opens the pinned link (and program), then detaches the link, or
 * replaces its program with the pinned one.  "other" loads a program of
 * its own ("other_pass", XDP_PASS), links it to IFACE (generic XDP) and
 * detaches that link: a link that is not tcp_kernel's.  Prints "ok" and
 * exits 0 on
 * success; prints the errno's name and message (e.g. "EPERM: Operation
 * not permitted") on standard output and exits 1 when the syscall fails;
 * exits 2 when a pin cannot be opened, the other link cannot be made,
 * or on a usage error.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/if_link.h>

static const char *errname(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	default: return "errno";
	}
}

static int open_pin(const char *path)
{
	int fd = bpf_obj_get(path);

	if (fd < 0)
		fprintf(stderr, "tcpk-link: cannot open %s: %s\n", path,
			strerror(errno));
	return fd;
}

/* A link of a program that is not tcp_kernel's, on @iface; -1 on error. */
static int other_link(const char *iface)
{
	static const struct bpf_insn pass[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_SKB_MODE);
	unsigned int ifindex = if_nametoindex(iface);
	int pfd, lfd;

	if (!ifindex) {
		fprintf(stderr, "tcpk-link: no interface %s\n", iface);
		return -1;
	}
	pfd = bpf_prog_load(BPF_PROG_TYPE_XDP, "other_pass", "GPL", pass,
			    sizeof(pass) / sizeof(pass[0]), NULL);
	if (pfd < 0) {
		fprintf(stderr, "tcpk-link: cannot load other_pass: %s\n",
			strerror(errno));
		return -1;
	}
	lfd = bpf_link_create(pfd, ifindex, BPF_XDP, &opts);
	if (lfd < 0)
		fprintf(stderr, "tcpk-link: cannot link other_pass to %s: %s\n",
			iface, strerror(errno));
	close(pfd);
	return lfd;
}

int main(int argc, char **argv)
{
	int lfd, pfd = -1, err;

	if (argc == 3 && !strcmp(argv[1], "detach")) {
		lfd = open_pin(argv[2]);
		if (lfd < 0)
			return 2;
		err = bpf_link_detach(lfd);
	} else if (argc == 4 && !strcmp(argv[1], "update")) {
		lfd = open_pin(argv[2]);
		pfd = lfd < 0 ? -1 : open_pin(argv[3]);
		if (pfd < 0)
			return 2;
		err = bpf_link_update(lfd, pfd, NULL);
	} else if (argc == 3 && !strcmp(argv[1], "other")) {
		lfd = other_link(argv[2]);
		if (lfd < 0)
			return 2;
		err = bpf_link_detach(lfd);
	} else {
		fprintf(stderr, "usage: tcpk-link detach LINK_PIN | update LINK_PIN PROG_PIN | other IFACE\n");
		return 2;
	}
	if (err) {
		err = errno;
		printf("%s: %s\n", errname(err), strerror(err));
		return 1;
	}
	printf("ok\n");
	return 0;
}
