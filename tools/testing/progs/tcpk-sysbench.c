// SPDX-License-Identifier: GPL-2.0
/*
 * tcpk-sysbench - the cost of a system call, for the behavioural feed's
 * measurement (tools/testing/vm/tests/53-behavior.sh)
 *
 *   tcpk-sysbench [N]
 *
 * Makes N (default 200000) getppid() system calls and prints
 * "getppid: N calls, T ns each" on standard output.  Times are
 * CLOCK_MONOTONIC; under TCG only ratios measured in one boot mean
 * anything.
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200000, i;
	struct timespec a, b;
	double ns;

	if (argc > 2 || n <= 0) {
		fprintf(stderr, "usage: tcpk-sysbench [N]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("getppid: %ld calls, %.0f ns each\n", n, ns / n);
	return 0;
}
