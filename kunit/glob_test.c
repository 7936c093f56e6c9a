// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kernel - KUnit suite of the glob matcher
 *
 * Edge cases from a table, the validator, the length limits, a
 * pathological case that an exponential matcher would not finish, and a
 * differential test against a plain recursive matcher written here from
 * the documented semantics (it shares no code with policy/glob.c) on
 * small globs and texts from a fixed-seed generator.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include "../policy/glob.c"

/* --- the table ------------------------------------------------------------ */

struct glob_case {
	const char *glob;
	const char *text;
	bool path;
	bool match;
};

static const struct glob_case glob_cases[] = {
	/* The examples of Documentation/policy.rst. */
	{ "/tmp/*", "/tmp/x", true, true },
	{ "/tmp/*", "/tmp/a/b", true, false },
	{ "/tmp/**", "/tmp/x", true, true },
	{ "/tmp/**", "/tmp/a/b", true, true },
	{ "/tmp/**", "/tmp/", true, true },
	{ "/tmp/**", "/tmp", true, false },
	{ "/tmp/*", "/tmp/", true, true },
	/* Stars. */
	{ "*", "", true, true },
	{ "*", "/", true, false },
	{ "*", "abc", true, true },
	{ "**", "", true, true },
	{ "**", "/", true, true },
	{ "**", "/a/b/c", true, true },
	{ "***", "a/b", true, true },
	{ "*/*", "a/b", true, true },
	{ "*/*", "a/b/c", true, false },
	{ "*.c", ".c", true, true },
	{ "*.c", "a.h", true, false },
	{ "a*b*c", "axxbyyc", true, true },
	{ "a*b*c", "a/b/c", true, false },
	{ "a*b*c", "a/b/c", false, true },
	{ "a*b*c", "abcbc", true, true },
	{ "a*b*c", "abcb", true, false },
	{ "/a/**/b", "/a/b", true, false },
	{ "/a/**/b", "/a//b", true, true },
	{ "/a/**/b", "/a/x/b", true, true },
	{ "/a/**/b", "/a/x/y/b", true, true },
	{ "/a/**b", "/a/b", true, true },
	{ "/a/**b", "/a/x/yb", true, true },
	{ "**/*.c", "src/a/b.c", true, true },
	{ "**/*.c", "b.c", true, false },
	{ "/usr/**/lib*.so", "/usr/lib/x86_64-linux-gnu/libc.so", true, true },
	{ "/usr/**/lib*.so", "/usr/lib/libc.so", true, true },
	{ "/usr/**/lib*.so", "/usr/libc.so", true, false },
	{ "/home/*/.ssh/**", "/home/u/.ssh/id_rsa", true, true },
	{ "/home/*/.ssh/**", "/home/u/x/.ssh/id_rsa", true, false },
	/* One character. */
	{ "?", "", true, false },
	{ "?", "/", true, false },
	{ "?", "/", false, true },
	{ "??", "ab", true, true },
	{ "??", "a", true, false },
	{ "b?sh", "bash", false, true },
	/* Sets. */
	{ "[abc]", "b", true, true },
	{ "[abc]", "d", true, false },
	{ "[a-c]x", "bx", true, true },
	{ "[a-c]x", "dx", true, false },
	{ "[!a-c]", "d", true, true },
	{ "[!a-c]", "b", true, false },
	{ "[^a-c]", "b", true, false },
	{ "[^a-c]", "z", true, true },
	{ "[/]", "/", true, false },
	{ "[/]", "/", false, true },
	{ "[!a]", "/", true, false },
	{ "[!a]", "/", false, true },
	{ "[]]", "]", true, true },
	{ "[]a]", "a", true, true },
	{ "[!]]", "a", true, true },
	{ "[!]]", "]", true, false },
	{ "[a-]", "-", true, true },
	{ "[-a]", "-", true, true },
	{ "[-a]", "b", true, false },
	{ "[\\]]", "]", true, true },
	{ "[a\\-z]", "-", true, true },
	{ "[a\\-z]", "b", true, false },
	{ "[!]", "!", true, false },	/* unterminated: a literal "[!]" */
	{ "[x-y]", "", true, false },
	{ "[\x80-\xff]", "\xe9", true, true },
	{ "[\x80-\xff]", "e", true, false },
	/* Quoting. */
	{ "\\*", "*", true, true },
	{ "\\*", "a", true, false },
	{ "\\?", "?", true, true },
	{ "\\?", "a", true, false },
	{ "\\[a]", "[a]", true, true },
	{ "\\\\", "\\", true, true },
	{ "\\a", "a", true, true },
	/* Globs the validator refuses are still matched deterministically. */
	{ "[ab", "[ab", true, true },
	{ "[ab", "a", true, false },
	{ "a\\", "a\\", true, true },
	/* Whole text, whole glob. */
	{ "abc", "abcd", true, false },
	{ "abcd", "abc", true, false },
	{ "", "", true, true },
	{ "", "a", true, false },
	/* Non-path mode (comm, agent). */
	{ "py*", "python3", false, true },
	{ "*sh", "bash", false, true },
	{ "*sh", "bash ", false, false },
	{ "claude-*", "claude-code", false, true },
	{ "claude-*", "claude", false, false },
	{ "**", "a/b", false, true },
};

static void glob_table(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(glob_cases); i++) {
		const struct glob_case *c = &glob_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, tcpk_glob_match(c->glob, c->text, c->path),
				    c->match, "glob \"%s\" text \"%s\" path %d",
				    c->glob, c->text, c->path);
	}
}

/* --- the validator -------------------------------------------------------- */

struct check_case {
	const char *glob;
	size_t max;
	enum tcpk_glob_err err;
};

static const struct check_case check_cases[] = {
	{ NULL, 64, TCPK_GLOB_EMPTY },
	{ "", 64, TCPK_GLOB_EMPTY },
	{ "a", 64, TCPK_GLOB_OK },
	{ "a", 2, TCPK_GLOB_OK },
	{ "ab", 2, TCPK_GLOB_TOO_LONG },
	{ "a\\", 64, TCPK_GLOB_TRAILING_ESCAPE },
	{ "\\\\", 64, TCPK_GLOB_OK },
	{ "\\", 64, TCPK_GLOB_TRAILING_ESCAPE },
	{ "[ab", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "[", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "[]", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "[!]", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "[^]", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "[a\\", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "[a-\\", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "[a\\]", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "[]]", 64, TCPK_GLOB_OK },
	{ "[\\]]", 64, TCPK_GLOB_OK },
	{ "\\[", 64, TCPK_GLOB_OK },
	{ "[a-z]", 64, TCPK_GLOB_OK },
	{ "[a-a]", 64, TCPK_GLOB_OK },
	{ "[z-a]", 64, TCPK_GLOB_BAD_RANGE },
	{ "x[b-a]y", 64, TCPK_GLOB_BAD_RANGE },
	{ "[a-]", 64, TCPK_GLOB_OK },
	{ "[z-a", 64, TCPK_GLOB_UNTERMINATED_SET },
	{ "/tmp/**", 1024, TCPK_GLOB_OK },
	{ "**/[!.]*", 1024, TCPK_GLOB_OK },
};

static void glob_check_cases(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(check_cases); i++) {
		const struct check_case *c = &check_cases[i];
		const char *msg = NULL;
		int err;

		KUNIT_EXPECT_EQ_MSG(test, tcpk_glob_classify(c->glob, c->max),
				    c->err, "glob \"%s\" max %zu",
				    c->glob ?: "(null)", c->max);
		err = tcpk_glob_check(c->glob, c->max, &msg);
		if (c->err == TCPK_GLOB_OK) {
			KUNIT_EXPECT_EQ(test, err, 0);
			KUNIT_EXPECT_NULL(test, msg);
		} else {
			KUNIT_EXPECT_EQ(test, err, -EINVAL);
			KUNIT_EXPECT_PTR_EQ(test, msg, tcpk_glob_msgs[c->err]);
		}
	}
}

/* --- limits --------------------------------------------------------------- */

/* @g = "*a" @pairs times, then "c". */
static void star_pairs(char *g, unsigned int pairs)
{
	unsigned int i;

	for (i = 0; i < pairs; i++) {
		g[2 * i] = '*';
		g[2 * i + 1] = 'a';
	}
	g[2 * pairs] = 'c';
	g[2 * pairs + 1] = '\0';
}

static void glob_limits(struct kunit *test)
{
	char *g = kunit_kzalloc(test, TCPK_RULE_GLOB_MAX + 2, GFP_KERNEL);
	char *t = kunit_kzalloc(test, TCPK_PATH_MAX + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_NOT_NULL(test, t);

	/* The longest glob: 1023 bytes. */
	memset(g, 'a', TCPK_GLOB_LEN_MAX);
	memset(t, 'a', TCPK_GLOB_LEN_MAX);
	KUNIT_EXPECT_EQ(test, tcpk_glob_classify(g, TCPK_RULE_GLOB_MAX),
			TCPK_GLOB_OK);
	KUNIT_EXPECT_TRUE(test, tcpk_glob_match(g, t, true));
	g[TCPK_GLOB_LEN_MAX - 1] = 'b';
	KUNIT_EXPECT_FALSE(test, tcpk_glob_match(g, t, true));
	t[TCPK_GLOB_LEN_MAX - 1] = 'b';
	KUNIT_EXPECT_TRUE(test, tcpk_glob_match(g, t, true));

	/* One more byte: refused, and never matched. */
	g[TCPK_GLOB_LEN_MAX] = 'b';
	t[TCPK_GLOB_LEN_MAX] = 'b';
	KUNIT_EXPECT_EQ(test, tcpk_glob_classify(g, TCPK_RULE_GLOB_MAX),
			TCPK_GLOB_TOO_LONG);
	KUNIT_EXPECT_EQ(test, tcpk_glob_classify(g, 4 * TCPK_RULE_GLOB_MAX),
			TCPK_GLOB_TOO_LONG);
	KUNIT_EXPECT_FALSE(test, tcpk_glob_match(g, t, true));

	/*
	 * The worst case: 511 "*a" pairs and a "c" (1023 bytes) against 1999
	 * 'a's and a 'b'.  A backtracking matcher would try every way to
	 * split the text among the stars (far beyond the age of the
	 * universe); this one takes at most m x n steps.
	 */
	star_pairs(g, 511);
	KUNIT_EXPECT_EQ(test, strlen(g), (size_t)TCPK_GLOB_LEN_MAX);
	memset(t, 0, TCPK_PATH_MAX + 1);
	memset(t, 'a', 1999);
	t[1999] = 'b';
	KUNIT_EXPECT_FALSE(test, tcpk_glob_match(g, t, true));
	t[1999] = 'c';
	KUNIT_EXPECT_TRUE(test, tcpk_glob_match(g, t, true));

	/* The same shape, smaller, for the star-and-slash rules. */
	star_pairs(g, 50);
	memset(t, 0, TCPK_PATH_MAX + 1);
	memset(t, 'a', 299);
	t[299] = 'b';
	KUNIT_EXPECT_FALSE(test, tcpk_glob_match(g, t, true));
	KUNIT_EXPECT_FALSE(test, tcpk_glob_match(g, t, false));
	t[299] = 'c';
	KUNIT_EXPECT_TRUE(test, tcpk_glob_match(g, t, true));
	t[100] = '/';		/* only a literal '/' or "**" may match it */
	KUNIT_EXPECT_FALSE(test, tcpk_glob_match(g, t, true));
	KUNIT_EXPECT_TRUE(test, tcpk_glob_match(g, t, false));
	g[1] = '*';		/* "***a*a...": the leading "**" crosses '/' */
	KUNIT_EXPECT_TRUE(test, tcpk_glob_match(g, t, true));
	t[280] = '/';		/* too few 'a's after the last '/' */
	KUNIT_EXPECT_FALSE(test, tcpk_glob_match(g, t, true));
	KUNIT_EXPECT_TRUE(test, tcpk_glob_match(g, t, false));
}

/* --- differential test ------------------------------------------------------ */

/*
 * The reference: the documented semantics written as directly as
 * possible, recursive and exponential, for tiny inputs only.
 */
static bool ref_set(const char **gp, unsigned char c, bool *in)
{
	const char *g = *gp + 1;
	bool neg = false, hit = false, first = true;

	if (*g == '!' || *g == '^') {
		neg = true;
		g++;
	}
	for (;; first = false) {
		unsigned char lo, hi;

		if (*g == ']' && !first)
			break;
		if (!*g)
			return false;
		if (*g == '\\')
			g++;
		if (!*g)
			return false;
		lo = *g++;
		hi = lo;
		if (g[0] == '-' && g[1] && g[1] != ']') {
			g++;
			if (*g == '\\')
				g++;
			if (!*g)
				return false;
			hi = *g++;
		}
		if (c >= lo && c <= hi)
			hit = true;
	}
	*gp = g + 1;
	*in = hit != neg;
	return true;
}

static bool ref_match(const char *g, const char *t, bool path)
{
	const char *set_end;
	bool in;

	if (!*g)
		return !*t;
	if (*g == '*') {
		bool crosses = !path || g[1] == '*';
		const char *rest = g + (path && g[1] == '*' ? 2 : 1);

		for (;; t++) {
			if (ref_match(rest, t, path))
				return true;
			if (!*t || (!crosses && *t == '/'))
				return false;
		}
	}
	if (!*t)
		return false;
	switch (*g) {
	case '?':
		return !(path && *t == '/') && ref_match(g + 1, t + 1, path);
	case '[':
		set_end = g;
		if (!ref_set(&set_end, *t, &in))
			break;
		return in && !(path && *t == '/') &&
		       ref_match(set_end, t + 1, path);
	case '\\':
		if (!g[1])
			break;
		return g[1] == *t && ref_match(g + 2, t + 1, path);
	}
	return *g == *t && ref_match(g + 1, t + 1, path);
}

static u32 xorshift32(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/*
 * Globs are made of these pieces; a text is either random or an instance
 * of the glob (each piece replaced by one of its examples), sometimes with
 * one character changed, so that both outcomes are frequent.
 */
static const struct {
	const char *glob;
	const char *ex[3];
} glob_pieces[] = {
	{ "a", { "a", "a", "a" } },
	{ "b", { "b", "b", "b" } },
	{ "/", { "/", "/", "/" } },
	{ "*", { "", "ab", "/" } },
	{ "**", { "", "a/b", "/" } },
	{ "?", { "a", "/", "*" } },
	{ "[ab]", { "a", "b", "/" } },
	{ "[!a]", { "b", "/", "[" } },
	{ "[^/b]", { "a", "/", "*" } },
	{ "[a-b]", { "a", "b", "[" } },
	{ "[/]", { "/", "/", "a" } },
	{ "\\*", { "*", "*", "a" } },
	{ "\\[", { "[", "[", "a" } },
	{ "[]a]", { "]", "a", "b" } },
	{ "[-a]", { "-", "a", "b" } },
};

static const char text_chars[] = "ab/ab/*[]-";

static void glob_differential(struct kunit *test)
{
	unsigned int n, fails = 0, matches = 0;
	u32 seed = 0x7c9e5a31;
	char g[64], t[32];

	for (n = 0; n < 40000 && fails < 10; n++) {
		unsigned int pieces = xorshift32(&seed) % 7, tl, i;
		bool path = n & 1, instance = n & 2, got, want;

		g[0] = '\0';
		t[0] = '\0';
		for (i = 0; i < pieces; i++) {
			unsigned int p = xorshift32(&seed) % ARRAY_SIZE(glob_pieces);

			strcat(g, glob_pieces[p].glob);
			strcat(t, glob_pieces[p].ex[xorshift32(&seed) % 3]);
		}
		tl = strlen(t);
		if (!instance) {
			tl = xorshift32(&seed) % 10;
			for (i = 0; i < tl; i++)
				t[i] = text_chars[xorshift32(&seed) %
						  (sizeof(text_chars) - 1)];
			t[tl] = '\0';
		} else if (tl && xorshift32(&seed) % 4 == 0) {
			t[xorshift32(&seed) % tl] =
				text_chars[xorshift32(&seed) %
					   (sizeof(text_chars) - 1)];
		}

		got = tcpk_glob_match(g, t, path);
		want = ref_match(g, t, path);
		matches += want;
		if (got != want) {
			fails++;
			KUNIT_FAIL(test, "glob \"%s\" text \"%s\" path %d: %d, reference %d",
				   g, t, path, got, want);
		}
	}
	/* The generator must produce both outcomes in fair numbers. */
	KUNIT_EXPECT_GT(test, matches, 5000U);
	KUNIT_EXPECT_LT(test, matches, 35000U);
}

static struct kunit_case tcpk_glob_cases[] = {
	KUNIT_CASE(glob_table),
	KUNIT_CASE(glob_check_cases),
	KUNIT_CASE(glob_limits),
	KUNIT_CASE(glob_differential),
	{}
};

static struct kunit_suite tcpk_glob_suite = {
	.name = "tcp_kernel_glob",
	.test_cases = tcpk_glob_cases,
};

kunit_test_suite(tcpk_glob_suite);
