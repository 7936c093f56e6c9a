/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - module bring-up and the state of its parts
 */
#ifndef _TCPK_MAIN_H
#define _TCPK_MAIN_H

#include "core/status.h"

void tcpk_status_collect(struct tcpk_status *st);

#endif /* _TCPK_MAIN_H */
