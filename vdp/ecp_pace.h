/* SPDX-License-Identifier: ISC */
/*
 * ecp_pace.h - the ECP pacing controller of one port: how long the port
 * waits after the ACK of one ECPDU before it starts the next new one.
 *
 * Pure (no I/O, no clock): the port reports the signs that its peer lost a
 * frame and the passing of time; the controller answers with the gap.
 *
 * Adaptive (the default): ack-clocked (gap 0) until the peer shows a loss,
 * then a first gap of ECP_PACE_FIRST_US, doubled at each further loss up to
 * the port's bound (multiplicative increase); after ECP_PACE_QUIET_US with
 * no loss the gap shrinks by ECP_PACE_STEP_US (additive decrease), back to
 * 0.  A loss signal that comes within the hold time of an increase counts
 * no further: it may be about a frame sent at the earlier pace (the hold
 * time is the port's, about one VDP response wait).  The bound is the
 * port's too, at most ECP_PACE_MAX_US: a station's VDP response wait runs
 * while its request waits in the queue, so a long gap would time requests
 * out before they are sent.
 *
 * Fixed: the configured gap, never changed (evbd.conf ecp-pace = N).
 */
#ifndef VDP_ECP_PACE_H
#define VDP_ECP_PACE_H

#include <stdbool.h>
#include <stdint.h>

#define ECP_PACE_FIRST_US 4000u	    /* the first paced gap */
#define ECP_PACE_MAX_US	  16000u    /* the largest adaptive gap */
#define ECP_PACE_STEP_US  500u	    /* additive decrease per quiet period */
#define ECP_PACE_QUIET_US 60000000u /* 60 s without a loss: shrink the gap */
#define ECP_PACE_HOLD_MIN 100000u   /* the least hold time after an increase */

enum ecp_pace_change {
	ECP_PACE_SAME = 0,
	ECP_PACE_SLOWER, /* the gap grew */
	ECP_PACE_FASTER, /* the gap shrank */
};

struct ecp_pace {
	bool fixed;		   /* the configured gap, never adapted */
	uint64_t gap_us;	   /* the gap in force */
	uint64_t hold_us;	   /* loss signals this soon after an increase are ignored */
	uint64_t bound_us;	   /* the largest adaptive gap */
	uint64_t last_up;	   /* µs of the last increase (0: none) */
	uint64_t last_change;	   /* µs of the last loss or change: the quiet period's start */
	enum ecp_pace_change told; /* the direction last reported for logging */
	uint32_t losses;	   /* loss signals seen */
	uint32_t ups, downs;	   /* increases and decreases */
	uint64_t max_gap_us;	   /* the largest gap reached */
};

/* Adaptive when fixed is false (gap_us ignored), else a fixed gap. */
void ecp_pace_init(struct ecp_pace *c, bool fixed, uint64_t gap_us, uint64_t now);
/* The hold time after an increase (µs; raised to ECP_PACE_HOLD_MIN). */
void ecp_pace_set_hold(struct ecp_pace *c, uint64_t hold_us);
/* The largest adaptive gap (µs; ECP_PACE_STEP_US .. ECP_PACE_MAX_US);
 * a larger gap in force comes down to it. */
void ecp_pace_set_bound(struct ecp_pace *c, uint64_t bound_us);
/* The peer showed a loss.  ECP_PACE_SLOWER when the gap grew. */
enum ecp_pace_change ecp_pace_loss(struct ecp_pace *c, uint64_t now);
/* Time passed: ECP_PACE_FASTER when a quiet period shrank the gap. */
enum ecp_pace_change ecp_pace_tick(struct ecp_pace *c, uint64_t now);
/* When ecp_pace_tick() next has something to do (µs), 0 = never. */
uint64_t ecp_pace_next(const struct ecp_pace *c);
/* Whether change ch is worth a log line: the first change in each direction
 * (slower, then faster, then slower again ...), and the return to full
 * speed.  Records what was told. */
bool ecp_pace_tell(struct ecp_pace *c, enum ecp_pace_change ch);

#endif
