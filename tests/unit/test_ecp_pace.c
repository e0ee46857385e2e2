/* SPDX-License-Identifier: ISC */
/*
 * test_ecp_pace.c - the ECP pacing controller (vdp/ecp_pace.c): the first
 * paced gap, doubling up to the bound, the hold time after an increase,
 * the additive decrease after quiet periods, the fixed setting, and which
 * changes are worth a log line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vdp/ecp_pace.h"

#define T0   1000000u
#define HOLD 2000000u

static void test_starts_ack_clocked(void **state)
{
	(void)state;
	struct ecp_pace c;
	ecp_pace_init(&c, false, 12345, T0);
	assert_int_equal(c.gap_us, 0);
	assert_int_equal(ecp_pace_next(&c), 0); /* nothing to shrink */
	assert_int_equal(ecp_pace_tick(&c, T0 + 1000u * ECP_PACE_QUIET_US), ECP_PACE_SAME);
	assert_int_equal(c.gap_us, 0);
}

static void test_loss_doubles_up_to_bound(void **state)
{
	(void)state;
	struct ecp_pace c;
	ecp_pace_init(&c, false, 0, T0);
	ecp_pace_set_hold(&c, HOLD);
	uint64_t now = T0;
	assert_int_equal(ecp_pace_loss(&c, now), ECP_PACE_SLOWER);
	assert_int_equal(c.gap_us, ECP_PACE_FIRST_US);
	uint64_t want = ECP_PACE_FIRST_US;
	while (want < ECP_PACE_MAX_US) {
		now += HOLD;
		want = want * 2 > ECP_PACE_MAX_US ? ECP_PACE_MAX_US : want * 2;
		assert_int_equal(ecp_pace_loss(&c, now), ECP_PACE_SLOWER);
		assert_int_equal(c.gap_us, want);
	}
	now += HOLD;
	assert_int_equal(ecp_pace_loss(&c, now), ECP_PACE_SAME); /* at the bound */
	assert_int_equal(c.gap_us, ECP_PACE_MAX_US);
	assert_int_equal(c.max_gap_us, ECP_PACE_MAX_US);
}

/* Signs within the hold time of an increase may be about frames sent at the
 * old pace: they count (losses) but do not slow further. */
static void test_hold_after_increase(void **state)
{
	(void)state;
	struct ecp_pace c;
	ecp_pace_init(&c, false, 0, T0);
	ecp_pace_set_hold(&c, HOLD);
	assert_int_equal(ecp_pace_loss(&c, T0), ECP_PACE_SLOWER);
	for (unsigned i = 1; i < 50; i++)
		assert_int_equal(ecp_pace_loss(&c, T0 + i * (HOLD / 50)), ECP_PACE_SAME);
	assert_int_equal(c.gap_us, ECP_PACE_FIRST_US);
	assert_int_equal(c.losses, 50);
	assert_int_equal(c.ups, 1);
	assert_int_equal(ecp_pace_loss(&c, T0 + HOLD), ECP_PACE_SLOWER);
	assert_int_equal(c.gap_us, 2 * ECP_PACE_FIRST_US);
}

/* The port's bound caps the adaptive gap, the first one too. */
static void test_bound(void **state)
{
	(void)state;
	struct ecp_pace c;
	ecp_pace_init(&c, false, 0, T0);
	ecp_pace_set_bound(&c, 2560);
	assert_int_equal(ecp_pace_loss(&c, T0), ECP_PACE_SLOWER);
	assert_int_equal(c.gap_us, 2560);
	assert_int_equal(ecp_pace_loss(&c, T0 + 10u * HOLD), ECP_PACE_SAME);
	ecp_pace_set_bound(&c, 1000); /* lowered: the gap comes down */
	assert_int_equal(c.gap_us, 1000);
	ecp_pace_set_bound(&c, 1); /* floor */
	assert_int_equal(c.bound_us, ECP_PACE_STEP_US);
	ecp_pace_set_bound(&c, 10u * ECP_PACE_MAX_US); /* ceiling */
	assert_int_equal(c.bound_us, ECP_PACE_MAX_US);
	ecp_pace_init(&c, true, 50000, T0); /* a fixed gap is the operator's */
	ecp_pace_set_bound(&c, 1000);
	assert_int_equal(c.gap_us, 50000);
}

static void test_hold_has_a_floor(void **state)
{
	(void)state;
	struct ecp_pace c;
	ecp_pace_init(&c, false, 0, T0);
	ecp_pace_set_hold(&c, 10);
	assert_int_equal(c.hold_us, ECP_PACE_HOLD_MIN);
}

/* After a quiet period the gap shrinks by one step per period; a loss
 * starts the quiet period again. */
static void test_quiet_shrinks_additively(void **state)
{
	(void)state;
	struct ecp_pace c;
	ecp_pace_init(&c, false, 0, T0);
	ecp_pace_loss(&c, T0);
	uint64_t now = T0;
	assert_int_equal(ecp_pace_next(&c), T0 + ECP_PACE_QUIET_US);
	assert_int_equal(ecp_pace_tick(&c, T0 + ECP_PACE_QUIET_US - 1), ECP_PACE_SAME);
	unsigned steps = 0;
	while (c.gap_us) {
		now = ecp_pace_next(&c);
		assert_int_equal(ecp_pace_tick(&c, now), ECP_PACE_FASTER);
		steps++;
	}
	assert_int_equal(steps, ECP_PACE_FIRST_US / ECP_PACE_STEP_US);
	assert_int_equal(ecp_pace_next(&c), 0);
	assert_int_equal(c.downs, steps);

	/* a loss in the middle of a quiet period restarts it */
	ecp_pace_loss(&c, now + 1);
	ecp_pace_loss(&c, now + 2); /* held: no increase, but not quiet either */
	assert_int_equal(ecp_pace_next(&c), now + 2 + ECP_PACE_QUIET_US);
}

static void test_fixed_never_adapts(void **state)
{
	(void)state;
	struct ecp_pace c;
	ecp_pace_init(&c, true, 3000, T0);
	assert_int_equal(c.gap_us, 3000);
	assert_int_equal(ecp_pace_loss(&c, T0), ECP_PACE_SAME);
	assert_int_equal(ecp_pace_next(&c), 0);
	assert_int_equal(ecp_pace_tick(&c, T0 + 10u * ECP_PACE_QUIET_US), ECP_PACE_SAME);
	assert_int_equal(c.gap_us, 3000);
	assert_int_equal(c.losses, 1);

	ecp_pace_init(&c, true, 0, T0); /* ecp-pace = 0: ack-clocked for good */
	assert_int_equal(ecp_pace_loss(&c, T0), ECP_PACE_SAME);
	assert_int_equal(c.gap_us, 0);
}

/* One log line per direction: the first slow-down, the first speed-up, and
 * the return to full speed; repeated steps the same way are not told. */
static void test_tell_once_per_direction(void **state)
{
	(void)state;
	struct ecp_pace c;
	ecp_pace_init(&c, false, 0, T0);
	ecp_pace_set_hold(&c, HOLD);
	assert_true(ecp_pace_tell(&c, ecp_pace_loss(&c, T0)));
	assert_false(ecp_pace_tell(&c, ecp_pace_loss(&c, T0 + HOLD)));
	assert_false(ecp_pace_tell(&c, ecp_pace_loss(&c, T0 + 1))); /* SAME */
	uint64_t now = ecp_pace_next(&c);
	assert_true(ecp_pace_tell(&c, ecp_pace_tick(&c, now))); /* first faster */
	now = ecp_pace_next(&c);
	assert_false(ecp_pace_tell(&c, ecp_pace_tick(&c, now)));
	assert_true(ecp_pace_tell(&c, ecp_pace_loss(&c, now + HOLD))); /* slower again */
	while (c.gap_us > ECP_PACE_STEP_US) {
		now = ecp_pace_next(&c);
		ecp_pace_tell(&c, ecp_pace_tick(&c, now));
	}
	now = ecp_pace_next(&c);
	assert_true(ecp_pace_tell(&c, ecp_pace_tick(&c, now))); /* back at full speed */
	assert_int_equal(c.gap_us, 0);
	assert_true(ecp_pace_tell(&c, ecp_pace_loss(&c, now + 1))); /* told afresh */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_starts_ack_clocked),
	    cmocka_unit_test(test_loss_doubles_up_to_bound),
	    cmocka_unit_test(test_hold_after_increase),
	    cmocka_unit_test(test_hold_has_a_floor),
	    cmocka_unit_test(test_bound),
	    cmocka_unit_test(test_quiet_shrinks_additively),
	    cmocka_unit_test(test_fixed_never_adapts),
	    cmocka_unit_test(test_tell_once_per_direction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
