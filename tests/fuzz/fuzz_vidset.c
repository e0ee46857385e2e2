/* SPDX-License-Identifier: ISC */
/*
 * fuzz_vidset.c - libFuzzer target for VLAN ID sets (vdp/vidset.c), whose
 * text form comes from users (evbctl arguments, JSON imports) and from the
 * state database, and whose ranges come over the control socket.  The
 * input is parsed as text; a set that parses is formatted, parsed again
 * (same set) and its ranges rebuild it.  The same octets, read as ranges,
 * go through vidset_from_ranges; a set it accepts has only VIDs 1..4094.
 * Any mismatch aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/vidset.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char text[VIDSET_TEXT_MAX];
static struct vid_range r[VIDSET_RANGES];

static void round_trip(const struct vidset *s)
{
	struct vidset t;
	const char *what = NULL;
	size_t n = vidset_format(s, text, sizeof(text));
	CHECK(n < sizeof(text) && strlen(text) == n);
	if (vidset_empty(s)) {
		CHECK(n == 0);
		return;
	}
	CHECK(vidset_parse(text, &t, &what, NULL) == 0 && vidset_equal(s, &t));
	size_t nr = vidset_ranges(s, r, VIDSET_RANGES);
	CHECK(nr <= VIDSET_RANGES);
	unsigned count = 0;
	for (size_t i = 0; i < nr; i++) {
		CHECK(r[i].lo >= 1 && r[i].lo <= r[i].hi && r[i].hi <= 4094);
		CHECK(i == 0 || r[i].lo > r[i - 1].hi + 1);
		count += r[i].hi - r[i].lo + 1u;
	}
	CHECK(count == vidset_count(s));
	CHECK(vidset_from_ranges(&t, r, nr, NULL) == 0 && vidset_equal(s, &t));
	CHECK(!vidset_has(s, 0) && !vidset_has(s, 4095));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[4096];
	struct vidset s;
	const char *what = NULL;
	size_t at = 0, n = size < sizeof(in) - 1 ? size : sizeof(in) - 1;

	memcpy(in, data, n);
	in[n] = '\0';
	if (vidset_parse(in, &s, &what, &at) == 0)
		round_trip(&s);
	else
		CHECK(what && at <= strlen(in));

	size_t nr = size / sizeof(struct vid_range), bad = 0;
	if (nr > VIDSET_RANGES)
		nr = VIDSET_RANGES;
	memcpy(r, data, nr * sizeof(r[0]));
	if (vidset_from_ranges(&s, r, nr, &bad) == 0)
		round_trip(&s);
	else
		CHECK(bad < nr);
	return 0;
}
