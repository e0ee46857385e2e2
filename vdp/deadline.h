/* SPDX-License-Identifier: ISC */
/*
 * deadline.h - an indexed binary min-heap of deadlines.  Each timed object
 * embeds a struct dl_node; one heap per port serves every VSI, so the daemon
 * arms a single timer per port at dl_next().  Insert and cancel are
 * O(log n); the node remembers its heap position.  The heap's array holds
 * each node's key beside its pointer, so ordering never touches the nodes.
 * Moving a deadline later (a keep-alive re-armed) is O(1): only the node's
 * `at` changes and its entry keeps the earlier key; when that key comes due,
 * dl_pop_expired() re-files the entry under its true deadline instead of
 * returning it.  So dl_next() is a time not after the earliest deadline (the
 * owner may wake early and find nothing due), and a VSI re-armed on every
 * keep-alive costs one heap move per deadline period, not one per re-arm.
 * dl_earliest() merges the next wake-ups the machines report (0 = none).
 */
#ifndef VDP_DEADLINE_H
#define VDP_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

#define DL_NONE UINT32_MAX

struct dl_node {
	uint64_t at;  /* µs: the deadline (its heap entry's key may be earlier) */
	uint32_t idx; /* position in the heap, DL_NONE when not armed */
};

struct dl_ent {
	uint64_t key; /* <= n->at */
	struct dl_node *n;
};

struct dl_heap {
	struct dl_ent *a;
	uint32_t n, cap;
};

/* The earlier of two deadlines, where 0 means none (the other one). */
static inline uint64_t dl_earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

static inline void dl_node_init(struct dl_node *n)
{
	n->at = 0;
	n->idx = DL_NONE;
}

void dl_heap_init(struct dl_heap *h);
void dl_heap_free(struct dl_heap *h);
/* Arm or re-arm n to fire at `at`.  0, -ENOMEM, or -EINVAL when n is armed in
 * another heap. */
int dl_set(struct dl_heap *h, struct dl_node *n, uint64_t at);
/* Disarm (no-op when not armed). */
void dl_cancel(struct dl_heap *h, struct dl_node *n);
/* A time not after the earliest armed deadline (the smallest key), or 0
 * when nothing is armed. */
uint64_t dl_next(const struct dl_heap *h);
/* Remove and return a node whose deadline is <= now (the earliest one
 * first), else NULL; entries whose key is due but whose deadline moved
 * later are re-filed on the way. */
struct dl_node *dl_pop_expired(struct dl_heap *h, uint64_t now);

#endif
