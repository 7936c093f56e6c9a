// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-policy - the kernel's sequence core, behavior/seq.c, compiled
 * unchanged into the tool (with behavior/seq_user.h), as in tcp-replay:
 * the trigram tables that profile files are read into and written from.
 */
#include "behavior/seq.c"
