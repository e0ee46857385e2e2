/* SPDX-License-Identifier: ISC */
/*
 * ecp_pace.c - the ECP pacing controller (see ecp_pace.h).  802.1Qbg-2012
 * clause 43 leaves the rate of new ECPDUs to the sender (one outstanding at
 * a time); this slows a port whose peer loses frames it acknowledged.
 */
#include "ecp_pace.h"

#include <string.h>

void ecp_pace_init(struct ecp_pace *c, bool fixed, uint64_t gap_us, uint64_t now)
{
	memset(c, 0, sizeof(*c));
	c->fixed = fixed;
	c->gap_us = fixed ? gap_us : 0;
	c->max_gap_us = c->gap_us;
	c->hold_us = ECP_PACE_HOLD_MIN;
	c->bound_us = ECP_PACE_MAX_US;
	c->last_change = now;
}

void ecp_pace_set_bound(struct ecp_pace *c, uint64_t bound_us)
{
	if (bound_us < ECP_PACE_STEP_US)
		bound_us = ECP_PACE_STEP_US;
	c->bound_us = bound_us < ECP_PACE_MAX_US ? bound_us : ECP_PACE_MAX_US;
	if (!c->fixed && c->gap_us > c->bound_us)
		c->gap_us = c->bound_us;
}

void ecp_pace_set_hold(struct ecp_pace *c, uint64_t hold_us)
{
	c->hold_us = hold_us > ECP_PACE_HOLD_MIN ? hold_us : ECP_PACE_HOLD_MIN;
}

enum ecp_pace_change ecp_pace_loss(struct ecp_pace *c, uint64_t now)
{
	c->losses++;
	if (c->fixed)
		return ECP_PACE_SAME;
	c->last_change = now;
	if (c->last_up && now - c->last_up < c->hold_us)
		return ECP_PACE_SAME;
	uint64_t gap = c->gap_us ? c->gap_us * 2 : ECP_PACE_FIRST_US;
	if (gap > c->bound_us)
		gap = c->bound_us;
	if (gap == c->gap_us)
		return ECP_PACE_SAME;
	c->gap_us = gap;
	c->last_up = now ? now : 1;
	c->ups++;
	if (gap > c->max_gap_us)
		c->max_gap_us = gap;
	return ECP_PACE_SLOWER;
}

uint64_t ecp_pace_next(const struct ecp_pace *c)
{
	if (c->fixed || !c->gap_us)
		return 0;
	return c->last_change + ECP_PACE_QUIET_US;
}

enum ecp_pace_change ecp_pace_tick(struct ecp_pace *c, uint64_t now)
{
	uint64_t at = ecp_pace_next(c);
	if (!at || now < at)
		return ECP_PACE_SAME;
	c->gap_us = c->gap_us > ECP_PACE_STEP_US ? c->gap_us - ECP_PACE_STEP_US : 0;
	c->last_change = now;
	c->downs++;
	return ECP_PACE_FASTER;
}

bool ecp_pace_tell(struct ecp_pace *c, enum ecp_pace_change ch)
{
	if (ch == ECP_PACE_SAME)
		return false;
	if (ch == ECP_PACE_FASTER && !c->gap_us) {
		c->told = ECP_PACE_SAME; /* full speed: the next slow-down is told again */
		return true;
	}
	if (ch == c->told)
		return false;
	c->told = ch;
	return true;
}
