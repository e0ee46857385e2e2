/* SPDX-License-Identifier: ISC */
/*
 * vidset.h - sets of VLAN IDs (1..4094) as a 4096-bit map: membership, the
 * sorted list of maximal ranges, and the text form "100-199,300" that
 * evbd's VSI type database, its control protocol and evbctl share.
 *
 * VID 0 (the "bridge, choose" wildcard of a VDP filter, 802.1Qbg 41.2.9) and 4095
 * (reserved) are never members.
 */
#ifndef VDP_VIDSET_H
#define VDP_VIDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIDSET_WORDS	64    /* 4096 bits */
#define VIDSET_RANGES	2047  /* most ranges a set can have (every other VID) */
#define VIDSET_TEXT_MAX 16384 /* room for the longest text form, with its NUL */

struct vidset {
	uint64_t w[VIDSET_WORDS];
};

struct vid_range {
	uint16_t lo, hi; /* inclusive, lo <= hi */
};

void vidset_clear(struct vidset *s);
/* Add lo..hi.  0, or -EINVAL when lo > hi or the range leaves 1..4094. */
int vidset_add(struct vidset *s, uint16_t lo, uint16_t hi);
bool vidset_has(const struct vidset *s, uint16_t vid);
bool vidset_empty(const struct vidset *s);
unsigned vidset_count(const struct vidset *s);
bool vidset_equal(const struct vidset *a, const struct vidset *b);

/* The maximal ranges in ascending order: the first `cap` go to r; returns
 * how many there are. */
size_t vidset_ranges(const struct vidset *s, struct vid_range *r, size_t cap);
/* Build a set from ranges (any order, may overlap).  0, or -EINVAL with *bad
 * the index of the first range that is backwards or outside 1..4094. */
int vidset_from_ranges(struct vidset *s, const struct vid_range *r, size_t n, size_t *bad);

/* Parse "100-199,300" (blanks around numbers allowed; "all" = 1-4094) into
 * s.  0, or -EINVAL with *what naming the problem and *at its offset. */
int vidset_parse(const char *text, struct vidset *s, const char **what, size_t *at);
/* The text form ("" for an empty set) into buf; returns the length of the
 * whole text (as snprintf: the output is cut when it is >= cap). */
size_t vidset_format(const struct vidset *s, char *buf, size_t cap);

#endif
