/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - validation of module parameters
 */
#ifndef _TCPK_PARAMS_H
#define _TCPK_PARAMS_H

#include <linux/moduleparam.h>

int tcpk_security_level_parse(const char *val, unsigned int *level);
const char *tcpk_security_level_name(unsigned int level);

extern const struct kernel_param_ops tcpk_security_level_ops;

/* The lock's frozen tunables (see core/lock.h). */
int tcpk_param_frozen(const struct kernel_param *kp);
extern const struct kernel_param_ops tcpk_frozen_uint_ops;
extern const struct kernel_param_ops tcpk_frozen_bool_ops;

#endif /* _TCPK_PARAMS_H */
