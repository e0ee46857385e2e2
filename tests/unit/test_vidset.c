/* SPDX-License-Identifier: ISC */
/*
 * test_vidset.c - unit tests of VLAN ID sets (vdp/vidset.c): membership,
 * ranges both ways, the text form with every parse error and its offset,
 * cut output, and the longest text forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/vidset.h"

static struct vidset parsed(const char *text)
{
	struct vidset s;
	const char *what = NULL;
	size_t at = 99;
	assert_int_equal(vidset_parse(text, &s, &what, &at), 0);
	assert_null(what);
	assert_int_equal(at, 99);
	return s;
}

static void test_parse_ok(void **state)
{
	(void)state;
	struct vidset s = parsed("100-199,300");
	assert_int_equal(vidset_count(&s), 101);
	assert_true(vidset_has(&s, 100));
	assert_true(vidset_has(&s, 199));
	assert_true(vidset_has(&s, 300));
	assert_false(vidset_has(&s, 99));
	assert_false(vidset_has(&s, 200));
	assert_false(vidset_has(&s, 299));
	assert_false(vidset_has(&s, 301));

	s = parsed(" 5 , 7 - 9\t");
	assert_int_equal(vidset_count(&s), 4);
	assert_true(vidset_has(&s, 5) && vidset_has(&s, 7) && vidset_has(&s, 9));

	s = parsed("all");
	assert_int_equal(vidset_count(&s), 4094);
	assert_true(vidset_has(&s, 1) && vidset_has(&s, 4094));
	assert_false(vidset_has(&s, 0));
	assert_false(vidset_has(&s, 4095));
	s = parsed(" all ");
	assert_int_equal(vidset_count(&s), 4094);

	s = parsed("4094,1,1-2,2"); /* any order, overlaps */
	assert_int_equal(vidset_count(&s), 3);
	s = parsed("0004"); /* leading zeros: still a number of at most 5 digits */
	assert_true(vidset_has(&s, 4));
}

static void expect_bad(const char *text, const char *what, size_t at)
{
	struct vidset s;
	const char *w = NULL;
	size_t a = 999;
	vidset_clear(&s);
	vidset_add(&s, 7, 7);
	assert_int_equal(vidset_parse(text, &s, &w, &a), -EINVAL);
	assert_string_equal(w, what);
	assert_int_equal(a, at);
	/* a failed parse leaves the set as it was */
	assert_int_equal(vidset_count(&s), 1);
	assert_true(vidset_has(&s, 7));
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_bad("", "the VLAN list is empty", 0);
	expect_bad("   ", "the VLAN list is empty", 0);
	expect_bad("0", "VLAN ID 0 is the wildcard a station sends, not a VLAN; use 1 to 4094", 0);
	expect_bad("5,4095", "VLAN ID 4095 is reserved; use 1 to 4094", 2);
	expect_bad("5000", "a VLAN ID is at most 4094", 0);
	expect_bad("123456", "a VLAN ID is at most 4094", 0);
	expect_bad("20-10", "a range runs backwards (write it low-high)", 0);
	expect_bad("1,,2", "expected a VLAN ID from 1 to 4094", 2);
	expect_bad("1;2", "expected ',' or '-' between VLAN IDs", 1);
	expect_bad("abc", "expected a VLAN ID from 1 to 4094", 0);
	expect_bad("1-", "expected a VLAN ID from 1 to 4094", 2);
	expect_bad("-5", "expected a VLAN ID from 1 to 4094", 0);
	expect_bad("1,", "expected a VLAN ID from 1 to 4094", 2);
	expect_bad("1-2-3", "expected ',' or '-' between VLAN IDs", 3);
	expect_bad("all,5", "expected a VLAN ID from 1 to 4094", 0);
	expect_bad("7 8", "expected ',' or '-' between VLAN IDs", 2);
	/* NULL outputs are allowed */
	struct vidset s;
	assert_int_equal(vidset_parse("x", &s, NULL, NULL), -EINVAL);
	assert_int_equal(vidset_parse(NULL, &s, NULL, NULL), -EINVAL);
}

static void test_add_and_ranges(void **state)
{
	(void)state;
	struct vidset s, t;
	struct vid_range r[8];
	vidset_clear(&s);
	assert_true(vidset_empty(&s));
	assert_int_equal(vidset_ranges(&s, r, 8), 0);
	assert_int_equal(vidset_add(&s, 0, 5), -EINVAL);
	assert_int_equal(vidset_add(&s, 5, 4095), -EINVAL);
	assert_int_equal(vidset_add(&s, 6, 5), -EINVAL);
	assert_true(vidset_empty(&s));
	assert_int_equal(vidset_add(&s, 1, 3), 0);
	assert_int_equal(vidset_add(&s, 5, 5), 0);
	assert_int_equal(vidset_add(&s, 63, 65), 0); /* across a word boundary */
	assert_int_equal(vidset_add(&s, 4094, 4094), 0);
	assert_false(vidset_empty(&s));
	assert_int_equal(vidset_ranges(&s, r, 8), 4);
	assert_int_equal(r[0].lo, 1);
	assert_int_equal(r[0].hi, 3);
	assert_int_equal(r[1].lo, 5);
	assert_int_equal(r[1].hi, 5);
	assert_int_equal(r[2].lo, 63);
	assert_int_equal(r[2].hi, 65);
	assert_int_equal(r[3].lo, 4094);
	assert_int_equal(r[3].hi, 4094);
	/* a short array gets the first ranges, the count is the whole */
	memset(r, 0, sizeof(r));
	assert_int_equal(vidset_ranges(&s, r, 1), 4);
	assert_int_equal(r[0].hi, 3);
	assert_int_equal(r[1].lo, 0);

	struct vid_range in[] = {{63, 65}, {4094, 4094}, {1, 2}, {2, 3}, {5, 5}};
	size_t bad = 99;
	assert_int_equal(vidset_from_ranges(&t, in, 5, &bad), 0);
	assert_int_equal(bad, 99);
	assert_true(vidset_equal(&s, &t));
	struct vid_range wrong[] = {{1, 2}, {9, 8}};
	assert_int_equal(vidset_from_ranges(&t, wrong, 2, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	struct vid_range zero[] = {{0, 2}};
	assert_int_equal(vidset_from_ranges(&t, zero, 1, &bad), -EINVAL);
	assert_int_equal(bad, 0);
	struct vid_range high[] = {{4000, 4095}};
	assert_int_equal(vidset_from_ranges(&t, high, 1, NULL), -EINVAL);
	assert_false(vidset_has(&s, 0));
	assert_false(vidset_has(&s, 4095));
	assert_false(vidset_has(&s, 65535));
}

static void test_format(void **state)
{
	(void)state;
	char buf[64];
	struct vidset s = parsed("5,1-3,4094,10-11");
	assert_int_equal(vidset_format(&s, buf, sizeof(buf)), strlen("1-3,5,10-11,4094"));
	assert_string_equal(buf, "1-3,5,10-11,4094");
	/* round trip */
	struct vidset t = parsed(buf);
	assert_true(vidset_equal(&s, &t));
	/* cut: whole items only, the length is the full one */
	assert_int_equal(vidset_format(&s, buf, 8), 16);
	assert_string_equal(buf, "1-3,5");
	assert_int_equal(vidset_format(&s, buf, 1), 16);
	assert_string_equal(buf, "");
	assert_int_equal(vidset_format(&s, NULL, 0), 16);
	vidset_clear(&s);
	assert_int_equal(vidset_format(&s, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	s = parsed("all");
	vidset_format(&s, buf, sizeof(buf));
	assert_string_equal(buf, "1-4094");
}

/* The longest texts fit VIDSET_TEXT_MAX and the range count VIDSET_RANGES. */
static void test_longest(void **state)
{
	(void)state;
	static char buf[VIDSET_TEXT_MAX];
	static struct vid_range r[VIDSET_RANGES + 1];
	for (unsigned step = 2; step <= 4; step++) {
		for (unsigned run = 1; run < step; run++) {
			struct vidset s, t;
			vidset_clear(&s);
			for (unsigned v = 1; v + run - 1 <= 4094; v += step)
				vidset_add(&s, (uint16_t)v, (uint16_t)(v + run - 1));
			size_t n = vidset_format(&s, buf, sizeof(buf));
			assert_true(n < sizeof(buf));
			assert_int_equal(strlen(buf), n);
			assert_true(vidset_ranges(&s, r, VIDSET_RANGES + 1) <= VIDSET_RANGES);
			const char *what = NULL;
			assert_int_equal(vidset_parse(buf, &t, &what, NULL), 0);
			assert_true(vidset_equal(&s, &t));
		}
	}
	struct vidset odd;
	vidset_clear(&odd);
	for (uint16_t v = 1; v <= 4094; v += 2)
		vidset_add(&odd, v, v);
	assert_int_equal(vidset_ranges(&odd, r, VIDSET_RANGES), VIDSET_RANGES);
	assert_int_equal(vidset_count(&odd), 2047);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_ok),	   cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_add_and_ranges), cmocka_unit_test(test_format),
	    cmocka_unit_test(test_longest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
