/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_kernel - the few kernel interfaces behavior/seq.c uses, for its
 * user-space build (tools/tcp-replay)
 *
 * behavior/seq.c is freestanding: the same file is linked into the module
 * and into tcp-replay, so that the offline scores are the kernel's.  In
 * the kernel it includes the kernel's headers; in user space this file
 * stands in for them with the compiler's atomic builtins.  It is never
 * included by the module.
 */
#ifndef _TCPK_SEQ_USER_H
#define _TCPK_SEQ_USER_H

#ifdef __KERNEL__
#error "tcp-replay/seq_user.h is for the user-space build only"
#endif

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* Value-returning cmpxchg(), fully ordered, as the kernel's. */
#define cmpxchg(p, o, n)	__sync_val_compare_and_swap((p), (o), (n))

typedef struct {
	int counter;
} atomic_t;

#define ATOMIC_INIT(i)		{ (i) }

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline int atomic_inc_return(atomic_t *v)
{
	return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST);
}

static inline void atomic_dec(atomic_t *v)
{
	__atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST);
}

/* Adds @a unless the value is @u; true if it added. */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);

	do {
		if (c == u)
			return false;
	} while (!__atomic_compare_exchange_n(&v->counter, &c, c + a, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return true;
}

static inline unsigned int hweight32(u32 w)
{
	return (unsigned int)__builtin_popcount(w);
}

static inline unsigned int hweight64(u64 w)
{
	return (unsigned int)__builtin_popcountll(w);
}

#define BITS_PER_LONG		64
#define U16_MAX			((u16)~0U)
#define U32_MAX			((u32)~0U)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#endif /* _TCPK_SEQ_USER_H */
