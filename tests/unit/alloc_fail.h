/* SPDX-License-Identifier: ISC */
/*
 * alloc_fail.h - allocation failures on demand for unit tests: included by
 * one test file, it replaces malloc, calloc and realloc so that
 * fail_next_alloc() makes the next one return NULL.  AddressSanitizer replaces them too:
 * under it ALLOC_FAILS is 0 and fail_next_alloc() says it cannot.
 */
#ifndef TESTS_ALLOC_FAIL_H
#define TESTS_ALLOC_FAIL_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_FAILS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_FAILS 0
#endif
#endif

static int fail_alloc;

#ifndef ALLOC_FAILS
#define ALLOC_FAILS 1
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t sz);
extern void *__libc_realloc(void *p, size_t n);

void *malloc(size_t n)
{
	if (fail_alloc) {
		fail_alloc = 0;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t sz)
{
	if (fail_alloc) {
		fail_alloc = 0;
		return NULL;
	}
	return __libc_calloc(n, sz);
}

void *realloc(void *p, size_t n)
{
	if (fail_alloc) {
		fail_alloc = 0;
		return NULL;
	}
	return __libc_realloc(p, n);
}
#endif

/* Make the next allocation fail; false when that cannot be done. */
static inline bool fail_next_alloc(void)
{
	fail_alloc = ALLOC_FAILS;
	return ALLOC_FAILS;
}

/* Take it back when no allocation came. */
static inline void fail_no_alloc(void)
{
	fail_alloc = 0;
}

#endif
