/* SPDX-License-Identifier: ISC */
/*
 * test_deadline.c - unit tests of the deadline heap (vdp/deadline.c): exact
 * orderings, re-arming (later: lazily), cancelling, expiry against `now`, and 100k-node
 * random operations checked against a brute-force model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/deadline.h"

#include "alloc_fail.h"

/* Heap order, keys not after deadlines and back-pointers hold everywhere. */
static void check_heap(const struct dl_heap *h)
{
	assert_true(h->n <= h->cap);
	for (uint32_t i = 0; i < h->n; i++) {
		assert_int_equal(h->a[i].n->idx, i);
		assert_true(h->a[i].key <= h->a[i].n->at);
		if (i)
			assert_true(h->a[(i - 1) / 2].key <= h->a[i].key);
	}
}

/* The node at the root (the earliest when no deadline moved later). */
static const struct dl_node *top(const struct dl_heap *h)
{
	return h->n ? h->a[0].n : NULL;
}

static void test_empty(void **state)
{
	struct dl_heap h;
	struct dl_node n;

	(void)state;
	dl_heap_init(&h);
	dl_node_init(&n);
	assert_int_equal(n.idx, DL_NONE);
	assert_int_equal(n.at, 0);
	assert_int_equal(dl_next(&h), 0);
	assert_null(dl_pop_expired(&h, UINT64_MAX));
	dl_cancel(&h, &n); /* not armed: no-op */
	assert_int_equal(n.idx, DL_NONE);
	assert_int_equal(h.n, 0);
	dl_heap_free(&h);
}

static void test_order(void **state)
{
	static const uint64_t at[] = {50, 10, 40, 20, 30, 10, 60};
	static const int expect[] = {1, 5, 3, 4, 2, 0, 6}; /* ties: either 1 or 5 first */
	struct dl_node n[7];
	struct dl_heap h;

	(void)state;
	dl_heap_init(&h);
	for (int i = 0; i < 7; i++) {
		dl_node_init(&n[i]);
		assert_int_equal(dl_set(&h, &n[i], at[i]), 0);
		check_heap(&h);
	}
	assert_int_equal(h.n, 7);
	assert_int_equal(dl_next(&h), 10);
	for (int i = 0; i < 7; i++) {
		struct dl_node *got = dl_pop_expired(&h, UINT64_MAX);

		assert_non_null(got);
		if (i < 2)
			assert_true(got == &n[1] || got == &n[5]);
		else
			assert_ptr_equal(got, &n[expect[i]]);
		assert_int_equal(got->idx, DL_NONE);
		assert_int_equal(got->at, at[got - n]); /* at kept */
		check_heap(&h);
	}
	assert_int_equal(dl_next(&h), 0);
	dl_heap_free(&h);
}

static void test_pop_expired_boundary(void **state)
{
	struct dl_node a, b;
	struct dl_heap h;

	(void)state;
	dl_heap_init(&h);
	dl_node_init(&a);
	dl_node_init(&b);
	dl_set(&h, &a, 1000);
	dl_set(&h, &b, 2000);
	assert_null(dl_pop_expired(&h, 999));
	assert_ptr_equal(top(&h), &a);			/* not removed */
	assert_ptr_equal(dl_pop_expired(&h, 1000), &a); /* at == now is expired */
	assert_null(dl_pop_expired(&h, 1999));
	assert_ptr_equal(dl_pop_expired(&h, 5000), &b);
	assert_null(dl_pop_expired(&h, 5000));
	dl_heap_free(&h);
}

static void test_rearm(void **state)
{
	struct dl_node n[5];
	struct dl_heap h;

	(void)state;
	dl_heap_init(&h);
	for (int i = 0; i < 5; i++) {
		dl_node_init(&n[i]);
		dl_set(&h, &n[i], 100 * (uint64_t)(i + 1));
	}
	/* Later: nothing moves until the old key comes due (O(1)). */
	assert_int_equal(dl_set(&h, &n[0], 450), 0);
	check_heap(&h);
	assert_int_equal(h.n, 5); /* re-armed, not added twice */
	assert_int_equal(n[0].idx, 0);
	assert_int_equal(n[0].at, 450);
	assert_int_equal(dl_next(&h), 100); /* an early wake-up: nothing due */
	assert_null(dl_pop_expired(&h, 100));
	check_heap(&h);
	assert_ptr_equal(top(&h), &n[1]); /* re-filed under 450 */
	assert_int_equal(dl_next(&h), 200);
	/* Earlier: the last moves to the root. */
	assert_int_equal(dl_set(&h, &n[4], 5), 0);
	check_heap(&h);
	assert_ptr_equal(top(&h), &n[4]);
	/* Same value: nothing moves. */
	uint32_t idx = n[2].idx;
	assert_int_equal(dl_set(&h, &n[2], 300), 0);
	assert_int_equal(n[2].idx, idx);
	const struct dl_node *order[] = {&n[4], &n[1], &n[2], &n[3], &n[0]};
	for (int i = 0; i < 5; i++)
		assert_ptr_equal(dl_pop_expired(&h, UINT64_MAX), order[i]);
	dl_heap_free(&h);
}

static void test_cancel(void **state)
{
	struct dl_node n[8];
	struct dl_heap h;

	(void)state;
	dl_heap_init(&h);
	for (int i = 0; i < 8; i++) {
		dl_node_init(&n[i]);
		dl_set(&h, &n[i], (uint64_t)(8 - i) * 10); /* n[7] earliest */
	}
	dl_cancel(&h, &n[7]); /* the root */
	check_heap(&h);
	assert_int_equal(n[7].idx, DL_NONE);
	assert_ptr_equal(top(&h), &n[6]);
	dl_cancel(&h, h.a[h.n - 1].n); /* the last slot */
	check_heap(&h);
	dl_cancel(&h, &n[3]); /* somewhere in the middle */
	check_heap(&h);
	assert_int_equal(h.n, 5);
	dl_cancel(&h, &n[3]); /* twice: no-op */
	assert_int_equal(h.n, 5);
	/* Re-arm a cancelled node. */
	assert_int_equal(dl_set(&h, &n[3], 1), 0);
	assert_ptr_equal(top(&h), &n[3]);
	check_heap(&h);
	dl_heap_free(&h);
}

static void test_other_heap(void **state)
{
	struct dl_heap h1, h2;
	struct dl_node a, b;

	(void)state;
	dl_heap_init(&h1);
	dl_heap_init(&h2);
	dl_node_init(&a);
	dl_node_init(&b);
	dl_set(&h1, &a, 10);
	/* a is armed in h1 at index 0; h2 is empty. */
	assert_int_equal(dl_set(&h2, &a, 5), -EINVAL);
	assert_int_equal(a.at, 10);
	dl_cancel(&h2, &a); /* h2 is empty: no-op */
	assert_int_equal(a.idx, 0);
	dl_set(&h2, &b, 7);
	assert_int_equal(dl_set(&h2, &a, 5), -EINVAL); /* index 0 of h2 is b */
	dl_cancel(&h2, &a);			       /* not in h2: no-op */
	assert_int_equal(h2.n, 1);
	assert_int_equal(a.idx, 0);
	dl_heap_free(&h1);
	assert_int_equal(a.idx, DL_NONE); /* free disarms */
	dl_heap_free(&h2);
	assert_int_equal(b.idx, DL_NONE);
}

static void test_enomem(void **state)
{
	struct dl_node n[17];
	struct dl_heap h;

	(void)state;
	if (!fail_next_alloc())
		skip();
	fail_no_alloc();
	dl_heap_init(&h);
	dl_node_init(&n[0]);
	fail_next_alloc();
	assert_int_equal(dl_set(&h, &n[0], 1), -ENOMEM);
	assert_int_equal(n[0].idx, DL_NONE);
	assert_int_equal(h.n, 0);
	for (int i = 0; i < 16; i++) {
		dl_node_init(&n[i]);
		assert_int_equal(dl_set(&h, &n[i], 100 - (uint64_t)i), 0);
	}
	assert_int_equal(h.cap, 16);
	dl_node_init(&n[16]);
	fail_next_alloc();
	assert_int_equal(dl_set(&h, &n[16], 1), -ENOMEM);
	assert_int_equal(h.n, 16);
	check_heap(&h);
	/* Re-arming an armed node needs no memory. */
	fail_next_alloc();
	assert_int_equal(dl_set(&h, &n[0], 0), 0);
	fail_no_alloc();
	assert_ptr_equal(top(&h), &n[0]);
	assert_int_equal(dl_set(&h, &n[16], 1), 0);
	assert_int_equal(h.cap, 32);
	check_heap(&h);
	dl_heap_free(&h);
}

static void test_capacity_limit(void **state)
{
	/* Positions must stay below DL_NONE: growth stops at DL_NONE / 2
	 * (faked here; no memory is touched before the check). */
	struct dl_heap h = {.a = NULL, .n = DL_NONE / 2, .cap = DL_NONE / 2};
	struct dl_node n;

	(void)state;
	dl_node_init(&n);
	assert_int_equal(dl_set(&h, &n, 1), -ENOMEM);
	assert_int_equal(n.idx, DL_NONE);
	assert_int_equal(h.cap, DL_NONE / 2);
}

/* xorshift64*: a fixed-seed PRNG so failures replay. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* Smallest armed deadline of the model, UINT64_MAX when none. */
static uint64_t model_min(size_t nn, const bool *armed, const uint64_t *at)
{
	uint64_t m = UINT64_MAX;

	for (size_t i = 0; i < nn; i++)
		if (armed[i] && at[i] < m)
			m = at[i];
	return m;
}

struct model {
	size_t nn;
	struct dl_node *n;
	bool *armed;
	uint64_t *at;
	size_t narmed;
	uint64_t now;
};

static void model_arm(struct dl_heap *h, struct model *m, size_t i, uint64_t at)
{
	m->at[i] = at;
	m->narmed += !m->armed[i];
	m->armed[i] = true;
	assert_int_equal(dl_set(h, &m->n[i], at), 0);
}

static void model_expire(struct dl_heap *h, struct model *m)
{
	struct dl_node *got;

	while ((got = dl_pop_expired(h, m->now))) {
		size_t k = (size_t)(got - m->n);

		assert_true(k < m->nn && m->armed[k]);
		assert_true(m->at[k] <= m->now);
		assert_int_equal(got->at, m->at[k]);
		assert_int_equal(got->idx, DL_NONE);
		m->armed[k] = false;
		m->narmed--;
	}
	/* Nothing due is left behind. */
	assert_true(!dl_next(h) || dl_next(h) > m->now);
}

/* One random operation: arm/re-arm (3/8), cancel (1/8), advance + expire (4/8). */
static void model_op(struct dl_heap *h, struct model *m)
{
	size_t i = rng() % m->nn;

	switch (rng() % 8) {
	case 0:
	case 1:
	case 2:
		model_arm(h, m, i, m->now + rng() % 1000000);
		break;
	case 3:
		m->narmed -= m->armed[i];
		m->armed[i] = false;
		dl_cancel(h, &m->n[i]);
		break;
	default:
		m->now += rng() % 50;
		model_expire(h, m);
		break;
	}
	assert_int_equal(h->n, m->narmed);
	assert_true(m->n[i].idx == DL_NONE ? !m->armed[i]
					   : m->armed[i] && h->a[m->n[i].idx].n == &m->n[i]);
}

static void model_drain(struct dl_heap *h, struct model *m)
{
	uint64_t last = 0;
	size_t popped = 0;
	struct dl_node *got;

	while ((got = dl_pop_expired(h, UINT64_MAX))) {
		size_t k = (size_t)(got - m->n);

		assert_true(m->armed[k]);
		m->armed[k] = false;
		assert_true(got->at >= last);
		last = got->at;
		popped++;
	}
	assert_int_equal(popped, m->narmed);
	assert_int_equal(model_min(m->nn, m->armed, m->at), UINT64_MAX);
}

/* nn nodes all armed, then ops random operations; the heap's minimum is
 * compared with the model's every check_every operations. */
static void run_model(size_t nn, int ops, int check_every)
{
	struct model m = {.nn = nn};
	struct dl_heap h;

	m.n = calloc(nn, sizeof(*m.n));
	m.armed = calloc(nn, sizeof(*m.armed));
	m.at = calloc(nn, sizeof(*m.at));
	assert_non_null(m.n);
	assert_non_null(m.armed);
	assert_non_null(m.at);
	dl_heap_init(&h);
	for (size_t i = 0; i < nn; i++)
		dl_node_init(&m.n[i]);
	for (size_t i = 0; i < nn; i++)
		model_arm(&h, &m, i, rng() % 1000000);
	check_heap(&h);
	for (int op = 0; op < ops; op++) {
		model_op(&h, &m);
		if (op % check_every == 0) {
			uint64_t next = dl_next(&h);

			check_heap(&h); /* the smallest key is not after the earliest deadline */
			assert_true((next ? next : UINT64_MAX) <= model_min(nn, m.armed, m.at));
		}
	}
	check_heap(&h);
	model_drain(&h, &m);
	dl_heap_free(&h);
	free(m.n);
	free(m.armed);
	free(m.at);
}

static void test_random_100k(void **state)
{
	(void)state;
	run_model(100000, 400000, 20000);
}

static void test_random_small_every_op(void **state)
{
	(void)state;
	run_model(300, 200000, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_order),
	    cmocka_unit_test(test_pop_expired_boundary),
	    cmocka_unit_test(test_rearm),
	    cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_other_heap),
	    cmocka_unit_test(test_enomem),
	    cmocka_unit_test(test_capacity_limit),
	    cmocka_unit_test(test_random_100k),
	    cmocka_unit_test(test_random_small_every_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
