// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - BPF_LINK_DETACH and BPF_LINK_UPDATE of a pinned link, for
 * the lock test (tools/testing/vm/tests/99-lock.sh); the guests have no
 * bpftool.
 *
 *   tcpk-link detach LINK_PIN
 *   tcpk-link update LINK_PIN PROG_PIN
 *
 * Opens the pinned link (and program), then detaches the link, or
 * replaces its program with the pinned one.  Prints "ok" and exits 0 on
 * success; prints the errno's name and message (e.g. "EPERM: Operation
 * not permitted") on standard output and exits 1 when the syscall fails;
 * exits 2 when a pin cannot be opened or on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

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
	} else {
		fprintf(stderr, "usage: tcpk-link detach LINK_PIN | update LINK_PIN PROG_PIN\n");
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
