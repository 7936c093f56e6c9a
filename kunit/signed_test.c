// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit tests of the signed policy's questions
 * (core/signcheck.c): which request needs a signature, and the message and
 * errno of each refusal
 */

#include <kunit/test.h>
#include <linux/string.h>

#include "../core/signcheck.c"

/* The loads that carry a signature, and the changes that cannot. */
static bool signable(u8 cmd)
{
	return cmd == TCPK_CMD_RULE_REPLACE || cmd == TCPK_CMD_DESC_ADD ||
	       cmd == TCPK_CMD_MODEL_SET;
}

static bool unsignable(u8 cmd)
{
	return cmd == TCPK_CMD_RULE_ADD || cmd == TCPK_CMD_RULE_DEL ||
	       cmd == TCPK_CMD_RULE_FLUSH || cmd == TCPK_CMD_DESC_DEL ||
	       cmd == TCPK_CMD_DESC_FLUSH || cmd == TCPK_CMD_MODEL_DEL;
}

static void signed_test_signable(struct kunit *test)
{
	static const u8 cmds[] = {
		TCPK_CMD_RULE_REPLACE, TCPK_CMD_DESC_ADD, TCPK_CMD_MODEL_SET,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmds[i], false, false),
				TCPK_SIG_PASS);
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmds[i], true, false),
				TCPK_SIG_UNSIGNED);
		/* A signature present is verified, required or not. */
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmds[i], false, true),
				TCPK_SIG_VERIFY);
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmds[i], true, true),
				TCPK_SIG_VERIFY);
	}
}

static void signed_test_unsignable(struct kunit *test)
{
	static const u8 cmds[] = {
		TCPK_CMD_RULE_ADD, TCPK_CMD_RULE_DEL, TCPK_CMD_RULE_FLUSH,
		TCPK_CMD_DESC_DEL, TCPK_CMD_DESC_FLUSH, TCPK_CMD_MODEL_DEL,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmds[i], false, false),
				TCPK_SIG_PASS);
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmds[i], true, false),
				TCPK_SIG_UNSIGNABLE);
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmds[i], false, true),
				TCPK_SIG_NOT_TAKEN);
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmds[i], true, true),
				TCPK_SIG_NOT_TAKEN);
	}
}

/* Every other command (and one past the last) is not concerned. */
static void signed_test_others(struct kunit *test)
{
	unsigned int cmd;

	for (cmd = 0; cmd <= __TCPK_CMD_MAX; cmd++) {
		if (signable(cmd) || unsignable(cmd))
			continue;
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmd, true, false),
				TCPK_SIG_PASS);
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmd, false, false),
				TCPK_SIG_PASS);
		KUNIT_EXPECT_EQ(test, tcpk_sig_decide(cmd, true, true),
				TCPK_SIG_NOT_TAKEN);
	}
	/* Sequences, profiles, the mode and releases are not covered. */
	KUNIT_EXPECT_EQ(test, tcpk_sig_decide(TCPK_CMD_SEQ_ADD, true, false),
			TCPK_SIG_PASS);
	KUNIT_EXPECT_EQ(test, tcpk_sig_decide(TCPK_CMD_MODE_SET, true, false),
			TCPK_SIG_PASS);
	KUNIT_EXPECT_EQ(test, tcpk_sig_decide(TCPK_CMD_GET_STATUS, true, false),
			TCPK_SIG_PASS);
}

static void signed_test_messages(struct kunit *test)
{
	KUNIT_EXPECT_NOT_NULL(test, strstr(tcpk_sig_verify_msg(-ENOKEY),
					   "unknown key"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(tcpk_sig_verify_msg(-EKEYREJECTED),
					   "does not match the content"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(tcpk_sig_verify_msg(-EBADMSG),
					   "not a detached PKCS#7"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(tcpk_sig_verify_msg(-EINVAL),
					   "bad signature"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(tcpk_sig_verify_msg(-EMSGSIZE),
					   "too large"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(tcpk_sig_verify_msg(-ENOTUNIQ),
					   "last attribute"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(tcpk_sig_verify_msg(-ENOPKG),
					   "algorithm"));
	/* Every message names the attribute. */
	KUNIT_EXPECT_EQ(test, strncmp(tcpk_sig_verify_msg(-EIO), "signature: ",
				      11), 0);
}

static void signed_test_errno(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tcpk_sig_verify_errno(-ENOKEY), -ENOKEY);
	KUNIT_EXPECT_EQ(test, tcpk_sig_verify_errno(-ENOMEM), -ENOMEM);
	KUNIT_EXPECT_EQ(test, tcpk_sig_verify_errno(-EMSGSIZE), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, tcpk_sig_verify_errno(-ENOTUNIQ), -EINVAL);
	KUNIT_EXPECT_EQ(test, tcpk_sig_verify_errno(-EKEYREJECTED),
			-EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, tcpk_sig_verify_errno(-EBADMSG), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, tcpk_sig_verify_errno(-ENOPKG), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, tcpk_sig_verify_errno(-EINVAL), -EKEYREJECTED);
}

static void signed_test_loosens(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, tcpk_sig_required_loosens(true, false));
	KUNIT_EXPECT_FALSE(test, tcpk_sig_required_loosens(true, true));
	KUNIT_EXPECT_FALSE(test, tcpk_sig_required_loosens(false, true));
	KUNIT_EXPECT_FALSE(test, tcpk_sig_required_loosens(false, false));
}

static struct kunit_case signed_test_cases[] = {
	KUNIT_CASE(signed_test_signable),
	KUNIT_CASE(signed_test_unsignable),
	KUNIT_CASE(signed_test_others),
	KUNIT_CASE(signed_test_messages),
	KUNIT_CASE(signed_test_errno),
	KUNIT_CASE(signed_test_loosens),
	{}
};

static struct kunit_suite signed_test_suite = {
	.name = "tcp_kernel_signed",
	.test_cases = signed_test_cases,
};

kunit_test_suites(&signed_test_suite);
