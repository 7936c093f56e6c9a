/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - glob matching for rule conditions
 *
 * ``*`` any run, ``?`` one character, ``[abc]``, ``[a-z]``, ``[!a-z]`` and
 * ``[^a-z]`` one character of (not of) a set, ``\`` quotes the next
 * character.  In path mode ``*``, ``?`` and sets never match ``/`` and
 * ``**`` matches any run including ``/``.  Matching takes no lock, never
 * sleeps, never allocates and never recurses; it may run in any context.
 */
#ifndef _TCPK_GLOB_H
#define _TCPK_GLOB_H

#include <linux/types.h>
#include <linux/tcp_kernel.h>

/**
 * define TCPK_GLOB_LEN_MAX - longest glob tcpk_glob_match() accepts, in
 * bytes without the NUL; longer globs never match
 */
#define TCPK_GLOB_LEN_MAX	(TCPK_RULE_GLOB_MAX - 1)

/**
 * enum tcpk_glob_err - what is wrong with a glob
 * @TCPK_GLOB_OK: nothing, the glob is well formed.
 * @TCPK_GLOB_EMPTY: the glob is empty (or missing).
 * @TCPK_GLOB_TOO_LONG: the glob does not fit the buffer size given.
 * @TCPK_GLOB_TRAILING_ESCAPE: the glob ends in a lone ``\``.
 * @TCPK_GLOB_UNTERMINATED_SET: a ``[`` set has no closing ``]``.
 * @TCPK_GLOB_BAD_RANGE: a range in a set ends before it starts (``[z-a]``).
 * @__TCPK_GLOB_ERR_MAX: one past the last value, not a value.
 */
enum tcpk_glob_err {
	TCPK_GLOB_OK,
	TCPK_GLOB_EMPTY,
	TCPK_GLOB_TOO_LONG,
	TCPK_GLOB_TRAILING_ESCAPE,
	TCPK_GLOB_UNTERMINATED_SET,
	TCPK_GLOB_BAD_RANGE,

	__TCPK_GLOB_ERR_MAX
};

enum tcpk_glob_err tcpk_glob_classify(const char *glob, size_t max);
int tcpk_glob_check(const char *glob, size_t max, const char **errmsg);
bool tcpk_glob_match(const char *glob, const char *text, bool path);

#endif /* _TCPK_GLOB_H */
