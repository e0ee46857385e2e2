/* SPDX-License-Identifier: ISC */
/*
 * deadline.c - indexed binary min-heap of deadlines (see deadline.h).  Each
 * entry holds its key beside the node pointer, and each node keeps its
 * array position in idx, so re-arming and cancelling never search and
 * comparisons stay within the array; a[0] holds the smallest key.
 */
#include "deadline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DL_MIN_CAP 16u
#define DL_MAX_CAP (DL_NONE / 2) /* idx must never reach DL_NONE */

void dl_heap_init(struct dl_heap *h)
{
	memset(h, 0, sizeof(*h));
}

void dl_heap_free(struct dl_heap *h)
{
	for (uint32_t i = 0; i < h->n; i++)
		h->a[i].n->idx = DL_NONE;
	free(h->a);
	dl_heap_init(h);
}

static void dl_place(struct dl_heap *h, struct dl_ent e, uint32_t i)
{
	h->a[i] = e;
	e.n->idx = i;
}

static void dl_sift_up(struct dl_heap *h, uint32_t i)
{
	struct dl_ent e = h->a[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (h->a[parent].key <= e.key)
			break;
		dl_place(h, h->a[parent], i);
		i = parent;
	}
	dl_place(h, e, i);
}

static void dl_sift_down(struct dl_heap *h, uint32_t i)
{
	struct dl_ent e = h->a[i];

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->a[c + 1].key < h->a[c].key)
			c++;
		if (e.key <= h->a[c].key)
			break;
		dl_place(h, h->a[c], i);
		i = c;
	}
	dl_place(h, e, i);
}

/* Restore the heap order around position i after its key changed. */
static void dl_fix(struct dl_heap *h, uint32_t i)
{
	if (i > 0 && h->a[i].key < h->a[(i - 1) / 2].key)
		dl_sift_up(h, i);
	else
		dl_sift_down(h, i);
}

static int dl_grow(struct dl_heap *h)
{
	uint32_t cap = h->cap ? h->cap * 2 : DL_MIN_CAP;
	struct dl_ent *a;

	if (h->cap >= DL_MAX_CAP)
		return -ENOMEM;
	a = realloc(h->a, (size_t)cap * sizeof(*a));
	if (!a)
		return -ENOMEM;
	h->a = a;
	h->cap = cap;
	return 0;
}

int dl_set(struct dl_heap *h, struct dl_node *n, uint64_t at)
{
	if (n->idx != DL_NONE) {
		if (n->idx >= h->n || h->a[n->idx].n != n)
			return -EINVAL; /* armed in another heap */
		n->at = at;
		if (at >= h->a[n->idx].key)
			return 0; /* later: re-filed when the old key comes due */
		h->a[n->idx].key = at;
		dl_sift_up(h, n->idx);
		return 0;
	}
	if (h->n == h->cap && dl_grow(h) < 0)
		return -ENOMEM;
	n->at = at;
	dl_place(h, (struct dl_ent){.key = at, .n = n}, h->n++);
	dl_sift_up(h, n->idx);
	return 0;
}

void dl_cancel(struct dl_heap *h, struct dl_node *n)
{
	uint32_t i = n->idx;

	if (i == DL_NONE || i >= h->n || h->a[i].n != n)
		return;
	n->idx = DL_NONE;
	h->n--;
	if (i == h->n)
		return;
	dl_place(h, h->a[h->n], i);
	dl_fix(h, i);
}

uint64_t dl_next(const struct dl_heap *h)
{
	return h->n ? h->a[0].key : 0;
}

struct dl_node *dl_pop_expired(struct dl_heap *h, uint64_t now)
{
	while (h->n && h->a[0].key <= now) {
		struct dl_node *n = h->a[0].n;

		if (n->at == h->a[0].key) {
			dl_cancel(h, n);
			return n;
		}
		/* Moved later: file it under its deadline (even when that is due
		 * too, so nodes come out in deadline order). */
		h->a[0].key = n->at;
		dl_sift_down(h, 0);
	}
	return NULL;
}
