// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - glob matching for rule conditions
 *
 * How a glob is read.  The glob is cut into tokens from left to right:
 * ``\x`` (the character x), ``?``, a set ``[...]``, ``*``, in path mode
 * ``**``, and any other single character.  The cut is unique: a token's
 * end depends only on the bytes from its start, and the first token starts
 * at 0.  A set is ``[``, an optional ``!`` or ``^``, then items up to the
 * first ``]`` that is not the set's first item; an item is a character
 * (``\`` quotes it) or a range ``lo-hi``; a ``-`` first or last is itself.
 * A glob that tcpk_glob_check() refuses is still matched
 * deterministically: an unterminated ``[`` and a trailing ``\`` are then
 * ordinary characters.
 *
 * How it is matched.  A state is the start offset of a token, or the
 * glob's length m (everything matched).  After reading k characters of
 * the text, the state set S holds exactly the states i such that the
 * tokens before i match the first k characters of the text:
 *
 * - before any character S = closure({0});
 * - reading character c, every i in S moves: a single-character token
 *   (literal, ``?``, set) that accepts c goes to its end, a star that
 *   accepts c stays at i (it may absorb more), anything else dies; then
 * - closure: a star may match the empty run, so if a star's start is in S,
 *   its end is too (repeatedly, ascending, for runs of stars).
 *
 * By induction on k this is the invariant above (it is the textbook
 * simulation of the glob's nondeterministic automaton), so the text
 * matches iff m is in S at its end.  Each glob byte belongs to exactly one
 * token and each state's token is read once per pass, so one text
 * character costs O(m) steps and the whole match O(m x n): no recursion,
 * no backtracking, no allocation; S is a bitmap of TCPK_GLOB_LEN_MAX + 1
 * bits on the stack (128 bytes).  The move pass runs through S downwards
 * in place: a state only moves to itself or upwards, so a bit above the
 * one being read is already new and a bit below it still old.
 */

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "policy/glob.h"

/* What a text character does to a state (see the comment at the top). */
enum tcpk_glob_move {
	TCPK_GLOB_DIES,
	TCPK_GLOB_NEXT,
	TCPK_GLOB_STAYS,
};

static const char *const tcpk_glob_msgs[__TCPK_GLOB_ERR_MAX] = {
	[TCPK_GLOB_OK] = "glob is well formed",
	[TCPK_GLOB_EMPTY] = "empty glob",
	[TCPK_GLOB_TOO_LONG] = "glob too long",
	[TCPK_GLOB_TRAILING_ESCAPE] = "glob ends in a lone backslash",
	[TCPK_GLOB_UNTERMINATED_SET] = "unterminated [ set in glob",
	[TCPK_GLOB_BAD_RANGE] = "range in a [ set ends before it starts",
};

/*
 * The set at @g[@i] ('['): its length with both brackets, or 0 if it is
 * unterminated.  *@hit (if not NULL): @c is in it (negation applied);
 * *@backwards (if not NULL) set true if a range ends before it starts.
 */
static unsigned int tcpk_glob_set(const char *g, unsigned int i,
				  unsigned char c, bool *hit, bool *backwards)
{
	unsigned int j = i + 1, first;
	bool neg = false, in = false;

	if (g[j] == '!' || g[j] == '^') {
		neg = true;
		j++;
	}
	first = j;
	while (g[j] != ']' || j == first) {
		unsigned char lo, hi;

		if (!g[j])
			return 0;
		if (g[j] == '\\' && !g[++j])
			return 0;
		lo = g[j++];
		hi = lo;
		if (g[j] == '-' && g[j + 1] && g[j + 1] != ']') {
			j++;
			if (g[j] == '\\' && !g[++j])
				return 0;
			hi = g[j++];
		}
		if (hi < lo && backwards)
			*backwards = true;
		if (lo <= c && c <= hi)
			in = true;
	}
	if (hit)
		*hit = in != neg;
	return j + 1 - i;
}

/*
 * The token at state @i (< the glob's length) reads @c: returns the
 * token's length and sets *@move.
 */
static unsigned int tcpk_glob_step(const char *g, unsigned int i, bool path,
				   unsigned char c, enum tcpk_glob_move *move)
{
	unsigned int len;
	bool hit;

	switch (g[i]) {
	case '*':
		if (path && g[i + 1] == '*') {
			*move = TCPK_GLOB_STAYS;
			return 2;
		}
		*move = path && c == '/' ? TCPK_GLOB_DIES : TCPK_GLOB_STAYS;
		return 1;
	case '?':
		*move = path && c == '/' ? TCPK_GLOB_DIES : TCPK_GLOB_NEXT;
		return 1;
	case '[':
		len = tcpk_glob_set(g, i, c, &hit, NULL);
		if (!len)
			break;		/* unterminated: a literal '[' */
		*move = hit && !(path && c == '/') ? TCPK_GLOB_NEXT :
						     TCPK_GLOB_DIES;
		return len;
	case '\\':
		if (!g[i + 1])
			break;		/* trailing: a literal '\' */
		*move = (unsigned char)g[i + 1] == c ? TCPK_GLOB_NEXT :
						       TCPK_GLOB_DIES;
		return 2;
	}
	*move = (unsigned char)g[i] == c ? TCPK_GLOB_NEXT : TCPK_GLOB_DIES;
	return 1;
}

/* Closure of @st over the empty runs of stars (ascending, see above). */
static void tcpk_glob_close(const char *g, unsigned int m, unsigned long *st,
			    bool path)
{
	unsigned int i;

	for (i = find_first_bit(st, m); i < m; i = find_next_bit(st, m, i + 1))
		if (g[i] == '*')
			__set_bit(i + (path && g[i + 1] == '*' ? 2 : 1), st);
}

/**
 * tcpk_glob_match() - match a text against a glob
 * @glob: the glob, at most %TCPK_GLOB_LEN_MAX bytes (a longer one never
 *	matches); normally checked with tcpk_glob_check() beforehand.
 * @text: the text, any length.
 * @path: path mode: ``*``, ``?`` and sets never match ``/`` and ``**``
 *	matches any run; otherwise ``*`` matches any run.
 *
 * Any context; no allocation, no recursion, about 150 bytes of stack and at
 * most (glob length + 1) x (text length + 1) token steps.
 *
 * Return: true if the whole @text matches the whole @glob.
 */
bool tcpk_glob_match(const char *glob, const char *text, bool path)
{
	unsigned long st[BITS_TO_LONGS(TCPK_GLOB_LEN_MAX + 1)];
	const unsigned char *t;
	unsigned int m, words;

	m = strnlen(glob, TCPK_GLOB_LEN_MAX + 1);
	if (m > TCPK_GLOB_LEN_MAX)
		return false;
	words = BITS_TO_LONGS(m + 1);
	memset(st, 0, words * sizeof(st[0]));
	__set_bit(0, st);
	tcpk_glob_close(glob, m, st, path);

	for (t = (const unsigned char *)text; *t; t++) {
		unsigned int w = words;

		while (w--) {
			unsigned long bits = st[w];

			while (bits) {
				unsigned int b = __fls(bits);
				unsigned int i = w * BITS_PER_LONG + b;
				enum tcpk_glob_move move;
				unsigned int len;

				bits &= ~BIT(b);
				__clear_bit(i, st);
				if (i == m)
					continue;	/* nothing left to match */
				len = tcpk_glob_step(glob, i, path, *t, &move);
				if (move == TCPK_GLOB_STAYS)
					__set_bit(i, st);
				else if (move == TCPK_GLOB_NEXT)
					__set_bit(i + len, st);
			}
		}
		tcpk_glob_close(glob, m, st, path);
		if (bitmap_empty(st, m + 1))
			return false;
	}
	return test_bit(m, st);
}

/**
 * tcpk_glob_classify() - check that a glob is well formed
 * @glob: the glob, or NULL.
 * @max: size of the buffer it must fit, with its NUL.
 *
 * Any context.
 *
 * Return: %TCPK_GLOB_OK, or what is wrong (the first fault from the left).
 */
enum tcpk_glob_err tcpk_glob_classify(const char *glob, size_t max)
{
	size_t len, i = 0;

	if (!glob || !*glob)
		return TCPK_GLOB_EMPTY;
	len = strnlen(glob, max);
	if (len >= max || len > TCPK_GLOB_LEN_MAX)
		return TCPK_GLOB_TOO_LONG;
	while (i < len) {
		bool backwards = false;
		unsigned int n;

		switch (glob[i]) {
		case '\\':
			if (!glob[i + 1])
				return TCPK_GLOB_TRAILING_ESCAPE;
			i += 2;
			break;
		case '[':
			n = tcpk_glob_set(glob, i, 0, NULL, &backwards);
			if (!n)
				return TCPK_GLOB_UNTERMINATED_SET;
			if (backwards)
				return TCPK_GLOB_BAD_RANGE;
			i += n;
			break;
		default:
			i++;
		}
	}
	return TCPK_GLOB_OK;
}

/**
 * tcpk_glob_check() - check that a glob is well formed, with a message
 * @glob: the glob, or NULL.
 * @max: size of the buffer it must fit, with its NUL.
 * @errmsg: receives a static message on error.
 *
 * Return: 0, or -EINVAL with *@errmsg set.
 */
int tcpk_glob_check(const char *glob, size_t max, const char **errmsg)
{
	enum tcpk_glob_err err = tcpk_glob_classify(glob, max);

	if (err == TCPK_GLOB_OK)
		return 0;
	*errmsg = tcpk_glob_msgs[err];
	return -EINVAL;
}
