// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-policy - the model file format v1, read by tcp-replay's own code
 * (tools/tcp-replay/model.c, compiled in unchanged), so that "tcp-replay
 * model -o" output loads as it is.  Its messages start "tcp-policy: ".
 * Its training code (tr_model_fit(), tr_model_max()) and writer come
 * along, unused: they need nothing but behavior/model.c (model-core.c).
 */
#define TR_NAME "tcp-policy"
#include "../tcp-replay/model.c"
