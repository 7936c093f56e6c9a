// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-replay - the kernel's sequence core, behavior/seq.c, compiled
 * unchanged into the tool (with tools/tcp-replay/seq_user.h), so that offline
 * scores are the module's exactly.
 */
#include "behavior/seq.c"
