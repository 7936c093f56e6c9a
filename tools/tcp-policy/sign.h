/* SPDX-License-Identifier: GPL-2.0 */
/* tcp-policy - signed policy: signing loads, and sending a signature */
#ifndef TP_SIGN_H
#define TP_SIGN_H

#include <stdbool.h>

#include <netlink/msg.h>

#include "nl.h"

/* The option --signature=FILE of the loads that can carry one. */
#define TP_OPT_SIGNATURE	0x153
#define TP_SIGNATURE_LONGOPT \
	{ "signature",	required_argument,	NULL, TP_OPT_SIGNATURE }

bool tp_sig_opt(int opt);
int tp_sig_open(struct tp_nl *nl);
int tp_sig_finish(struct nl_msg *msg, const char *what);
bool tp_sig_signing(void);
bool tp_sig_refused(const char *what, const struct tp_nl_ext *ext);

#endif /* TP_SIGN_H */
