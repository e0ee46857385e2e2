/* SPDX-License-Identifier: ISC */
/*
 * vidset.c - sets of VLAN IDs (see vidset.h): the bit map, its ranges, and
 * the text form with a strict parser.
 */
#include "vidset.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"

#define VID_MIN 1

static bool vid_ok(unsigned v)
{
	return v >= VID_MIN && v <= VDP_VID_MAX;
}

static void set_bit(struct vidset *s, unsigned v)
{
	s->w[v / 64] |= UINT64_C(1) << (v % 64);
}

void vidset_clear(struct vidset *s)
{
	memset(s, 0, sizeof(*s));
}

int vidset_add(struct vidset *s, uint16_t lo, uint16_t hi)
{
	if (lo > hi || !vid_ok(lo) || !vid_ok(hi))
		return -EINVAL;
	for (unsigned v = lo; v <= hi; v++)
		set_bit(s, v);
	return 0;
}

bool vidset_has(const struct vidset *s, uint16_t vid)
{
	return vid_ok(vid) && (s->w[vid / 64] >> (vid % 64) & 1);
}

bool vidset_empty(const struct vidset *s)
{
	for (size_t i = 0; i < VIDSET_WORDS; i++)
		if (s->w[i])
			return false;
	return true;
}

unsigned vidset_count(const struct vidset *s)
{
	unsigned n = 0;
	for (size_t i = 0; i < VIDSET_WORDS; i++)
		n += (unsigned)__builtin_popcountll(s->w[i]);
	return n;
}

bool vidset_equal(const struct vidset *a, const struct vidset *b)
{
	return !memcmp(a->w, b->w, sizeof(a->w));
}

size_t vidset_ranges(const struct vidset *s, struct vid_range *r, size_t cap)
{
	size_t n = 0;
	unsigned v = VID_MIN;
	while (v <= VDP_VID_MAX) {
		if (!vidset_has(s, (uint16_t)v)) {
			v++;
			continue;
		}
		unsigned lo = v;
		while (v + 1 <= VDP_VID_MAX && vidset_has(s, (uint16_t)(v + 1)))
			v++;
		if (n < cap)
			r[n] = (struct vid_range){.lo = (uint16_t)lo, .hi = (uint16_t)v};
		n++;
		v++;
	}
	return n;
}

int vidset_from_ranges(struct vidset *s, const struct vid_range *r, size_t n, size_t *bad)
{
	vidset_clear(s);
	for (size_t i = 0; i < n; i++) {
		if (vidset_add(s, r[i].lo, r[i].hi)) {
			if (bad)
				*bad = i;
			return -EINVAL;
		}
	}
	return 0;
}

/* ---------------- text ---------------- */

struct scan {
	const char *s;
	size_t i;
	const char *what;
	size_t at;
};

static void blanks(struct scan *sc)
{
	while (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t')
		sc->i++;
}

static int fail(struct scan *sc, size_t at, const char *what)
{
	sc->what = what;
	sc->at = at;
	return -EINVAL;
}

/* A VLAN ID at sc->i. */
static int number(struct scan *sc, unsigned *out)
{
	size_t start;
	unsigned v = 0;

	blanks(sc);
	start = sc->i;
	while (sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9' && sc->i - start < 5)
		v = v * 10 + (unsigned)(sc->s[sc->i++] - '0');
	if (sc->i == start)
		return fail(sc, start, "expected a VLAN ID from 1 to 4094");
	if (sc->s[sc->i] >= '0' && sc->s[sc->i] <= '9')
		return fail(sc, start, "a VLAN ID is at most 4094");
	if (v == 0)
		return fail(sc, start,
			    "VLAN ID 0 is the wildcard a station sends, not a VLAN; use 1 to 4094");
	if (v == 4095)
		return fail(sc, start, "VLAN ID 4095 is reserved; use 1 to 4094");
	if (v > VDP_VID_MAX)
		return fail(sc, start, "a VLAN ID is at most 4094");
	blanks(sc);
	*out = v;
	return 0;
}

/* One "VID" or "LO-HI" item. */
static int item(struct scan *sc, struct vidset *s)
{
	size_t start = sc->i;
	unsigned lo, hi;

	if (number(sc, &lo))
		return -EINVAL;
	hi = lo;
	if (sc->s[sc->i] == '-') {
		sc->i++;
		if (number(sc, &hi))
			return -EINVAL;
		if (hi < lo)
			return fail(sc, start, "a range runs backwards (write it low-high)");
	}
	return vidset_add(s, (uint16_t)lo, (uint16_t)hi);
}

static bool is_all(const char *t)
{
	while (*t == ' ' || *t == '\t')
		t++;
	if (strncmp(t, "all", 3))
		return false;
	for (t += 3; *t == ' ' || *t == '\t'; t++)
		;
	return !*t;
}

int vidset_parse(const char *text, struct vidset *s, const char **what, size_t *at)
{
	struct scan sc = {.s = text ? text : ""};
	struct vidset tmp;

	vidset_clear(&tmp);
	if (is_all(sc.s)) {
		vidset_add(&tmp, VID_MIN, VDP_VID_MAX);
		*s = tmp;
		return 0;
	}
	blanks(&sc);
	if (!sc.s[sc.i]) {
		fail(&sc, 0, "the VLAN list is empty");
		goto bad;
	}
	for (;;) {
		if (item(&sc, &tmp))
			goto bad;
		if (!sc.s[sc.i])
			break;
		if (sc.s[sc.i] != ',') {
			fail(&sc, sc.i, "expected ',' or '-' between VLAN IDs");
			goto bad;
		}
		sc.i++;
	}
	*s = tmp;
	return 0;
bad:
	if (what)
		*what = sc.what;
	if (at)
		*at = sc.at;
	return -EINVAL;
}

size_t vidset_format(const struct vidset *s, char *buf, size_t cap)
{
	struct vid_range r[VIDSET_RANGES];
	size_t n = vidset_ranges(s, r, VIDSET_RANGES), len = 0;

	if (cap)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[16];
		int k = r[i].lo == r[i].hi
			    ? snprintf(one, sizeof(one), "%s%u", i ? "," : "", r[i].lo)
			    : snprintf(one, sizeof(one), "%s%u-%u", i ? "," : "", r[i].lo, r[i].hi);
		if (len + (size_t)k < cap)
			memcpy(buf + len, one, (size_t)k + 1);
		else if (len < cap)
			buf[len] = '\0';
		len += (size_t)k;
	}
	return len;
}
