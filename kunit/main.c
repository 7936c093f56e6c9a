// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit test module
 *
 * The suites register themselves with kunit_test_suites() in their own
 * files; loading this module runs them and prints KTAP on the console.
 */

#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites of tcp_kernel");
