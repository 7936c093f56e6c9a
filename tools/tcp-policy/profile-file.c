// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-policy - the profile file format v1, read and written by
 * tcp-replay's own code (tools/tcp-replay/profile.c, compiled in
 * unchanged), so that "tcp-replay train -o" output imports and an export
 * is read by "tcp-replay --profile".  Its messages start "tcp-policy: ".
 */
#define TR_NAME "tcp-policy"
#include "../tcp-replay/profile.c"
