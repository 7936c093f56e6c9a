/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - detection of the hardware monitors' CPU features
 */
#ifndef _TCPK_HWMON_DETECT_H
#define _TCPK_HWMON_DETECT_H

#include "core/status.h"

void tcpk_hwmon_detect_intel_pt(bool enabled, struct tcpk_part_status *ps);
void tcpk_hwmon_detect_cet(bool enabled, struct tcpk_part_status *ps);

#endif /* _TCPK_HWMON_DETECT_H */
