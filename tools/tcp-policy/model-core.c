// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-policy - the kernel's behaviour model, behavior/model.c, compiled
 * unchanged into the tool (with tools/tcp-replay/seq_user.h), as in
 * tcp-replay: tcpk_model_check(), which the model file reader runs.
 */
#include "behavior/model.c"
