// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-replay - the kernel's behaviour model, behavior/model.c, compiled
 * unchanged into the tool (with tools/tcp-replay/seq_user.h), so that a
 * model trained and evaluated offline scores as the module's.
 */
#include "behavior/model.c"
