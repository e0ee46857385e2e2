/* SPDX-License-Identifier: ISC */
/*
 * evb.c - EVB negotiation over LLDP (802.1Q D.2.13) and the ECP/VDP timer
 * arithmetic (802.1Qbg 43.3.6.1, 41.5.5).
 *
 * Negotiation: each of R, RTE, RWD and RKA operates at the larger of the
 * local and the remote value (the local one only in manual mode), the remote
 * one first clamped to the port's bound (max_r .. max_rka) and the clamp
 * reported in oper.clamped.  The TLV we transmit carries our own values with
 * ROL 0 ("the sender's own value", D.2.13), not the operating ones: lldpad
 * sends its operating values, and two sides that echo the larger value back
 * to each other can never come down again, so one forged TLV would raise
 * both for ever.  The neighbour's max() gives it the same operating values
 * either way.  A remote TLV that is absent or not of the opposite EVB mode
 * is treated as no remote at all: local values, RRSTAT unknown, no echo.
 */
#include "evb.h"

#include <errno.h>

#include "proto.h"

void evb_local_defaults(struct evb_local *l, enum evb_role role)
{
	bool station = role == EVB_ROLE_STATION;

	*l = (struct evb_local){
	    .role = role,
	    .r = EVB_DEFAULT_R,
	    .rte = EVB_DEFAULT_RTE,
	    .rwd = station ? EVB_DEFAULT_RWD_STATION : EVB_DEFAULT_RWD,
	    .rka = EVB_DEFAULT_RKA,
	    .rrreq = station,
	    .rrcap = !station,
	    .max_r = EVB_DEFAULT_MAX_R,
	    .max_rte = EVB_DEFAULT_MAX_RTE,
	    .max_rwd = EVB_DEFAULT_MAX_RWD,
	    .max_rka = EVB_DEFAULT_MAX_RKA,
	};
}

int evb_local_check(const struct evb_local *l)
{
	if (l->role != EVB_ROLE_STATION && l->role != EVB_ROLE_BRIDGE)
		return -ERANGE;
	if (l->r > EVB_R_MAX || l->rte > EVB_EXP_MAX || l->rwd > EVB_EXP_MAX ||
	    l->rka > EVB_EXP_MAX)
		return -ERANGE;
	if (l->max_r > EVB_R_MAX || l->max_rte > EVB_EXP_MAX || l->max_rwd > EVB_EXP_MAX ||
	    l->max_rka > EVB_EXP_MAX)
		return -ERANGE;
	return 0;
}

static uint8_t own_mode(enum evb_role role)
{
	return role == EVB_ROLE_STATION ? EVB_MODE_STATION : EVB_MODE_BRIDGE;
}

static uint8_t peer_mode(enum evb_role role)
{
	return role == EVB_ROLE_STATION ? EVB_MODE_BRIDGE : EVB_MODE_STATION;
}

/* The operating value of one field: the larger of local and the remote's
 * value clamped to bound; `flag` is or-ed into *clamped when it was clamped. */
static uint8_t pick(uint8_t local, const uint8_t *remote, uint8_t bound, uint8_t flag,
		    uint8_t *clamped)
{
	if (!remote)
		return local;
	uint8_t v = *remote;

	if (v > bound) {
		v = bound;
		*clamped |= flag;
	}
	return v > local ? v : local;
}

/* R, RTE, RWD, RKA into o; `rem` NULL: local values only. */
static void negotiate_values(const struct evb_local *l, const struct evb_tlv *rem,
			     struct evb_oper *o)
{
	o->clamped = 0;
	o->r = pick(l->r, rem ? &rem->r : NULL, l->max_r, EVB_CLAMPED_R, &o->clamped);
	o->rte = pick(l->rte, rem ? &rem->rte : NULL, l->max_rte, EVB_CLAMPED_RTE, &o->clamped);
	o->rwd = pick(l->rwd, rem ? &rem->rwd : NULL, l->max_rwd, EVB_CLAMPED_RWD, &o->clamped);
	o->rka = pick(l->rka, rem ? &rem->rka : NULL, l->max_rka, EVB_CLAMPED_RKA, &o->clamped);
}

/* Station: own station status; bridge status echoed from the bridge's TLV. */
static void station_status(const struct evb_local *l, const struct evb_tlv *rem, struct evb_tlv *tx)
{
	tx->sgid = l->gid;
	tx->rrreq = l->rrreq;
	if (!rem) {
		tx->rrstat = EVB_RRSTAT_UNKNOWN;
		return;
	}
	tx->bgid = rem->bgid;
	tx->rrcap = rem->rrcap;
	tx->rrctr = rem->rrctr;
	tx->rrstat = rem->rrctr ? EVB_RRSTAT_ON : EVB_RRSTAT_OFF;
}

/* Bridge: own bridge status; station status echoed from the station's TLV. */
static void bridge_status(const struct evb_local *l, const struct evb_tlv *rem, struct evb_tlv *tx)
{
	tx->bgid = l->gid;
	tx->rrcap = l->rrcap;
	if (!rem)
		return;
	tx->rrctr = rem->rrreq && l->rrcap;
	tx->sgid = rem->sgid;
	tx->rrreq = rem->rrreq;
	tx->rrstat = rem->rrstat;
}

static bool tlv_equal(const struct evb_tlv *a, const struct evb_tlv *b)
{
	return a->bgid == b->bgid && a->rrcap == b->rrcap && a->rrctr == b->rrctr &&
	       a->sgid == b->sgid && a->rrreq == b->rrreq && a->rrstat == b->rrstat &&
	       a->r == b->r && a->rte == b->rte && a->mode == b->mode && a->rol_rwd == b->rol_rwd &&
	       a->rwd == b->rwd && a->rol_rka == b->rol_rka && a->rka == b->rka &&
	       a->reserved_bits == b->reserved_bits;
}

static bool oper_equal(const struct evb_oper *a, const struct evb_oper *b)
{
	return a->valid == b->valid && a->r == b->r && a->rte == b->rte && a->rwd == b->rwd &&
	       a->rka == b->rka && a->clamped == b->clamped && a->rr == b->rr && a->gid == b->gid;
}

bool evb_negotiate(const struct evb_local *l, const struct evb_tlv *remote, struct evb_oper *oper,
		   struct evb_tlv *tx)
{
	const struct evb_tlv *rem = remote && remote->mode == peer_mode(l->role) ? remote : NULL;
	struct evb_tlv t = {
	    .mode = own_mode(l->role), .r = l->r, .rte = l->rte, .rwd = l->rwd, .rka = l->rka};
	struct evb_oper o = {.valid = rem != NULL};

	if (l->role == EVB_ROLE_STATION)
		station_status(l, rem, &t);
	else
		bridge_status(l, rem, &t);
	negotiate_values(l, l->manual ? NULL : rem, &o);
	/* without a partner RRCTR and the partner's GID bit are never set */
	o.rr = t.rrctr;
	o.gid = t.bgid && t.sgid;

	bool changed = !tlv_equal(&t, tx) || !oper_equal(&o, oper);

	*tx = t;
	*oper = o;
	return changed;
}

uint64_t evb_exp_us(uint8_t exp)
{
	if (exp > EVB_EXP_MAX)
		exp = EVB_EXP_MAX;
	return UINT64_C(10) << exp;
}

uint64_t evb_ack_timer_us(const struct evb_oper *o)
{
	return evb_exp_us(o->rte);
}

uint64_t evb_resource_wait_us(const struct evb_oper *o)
{
	return evb_exp_us(o->rwd);
}

uint64_t evb_reinit_keepalive_us(const struct evb_oper *o)
{
	return evb_exp_us(o->rka);
}

/* 1.5 * (10*2^exp + (2R+1) * 10*2^RTE): the time a delay of 10*2^exp may take
 * plus every ECP (re)transmission of the request and its answer.  Both terms
 * are even, so the 1.5 is exact. */
static uint64_t with_ecp_margin(uint64_t delay_us, const struct evb_oper *o)
{
	uint64_t r = o->r > EVB_R_MAX ? EVB_R_MAX : o->r;
	uint64_t sum = delay_us + (2 * r + 1) * evb_ack_timer_us(o);

	return sum / 2 * 3;
}

uint64_t evb_resp_wait_us(const struct evb_oper *o)
{
	return with_ecp_margin(evb_resource_wait_us(o), o);
}

uint64_t evb_tout_keepalive_us(const struct evb_oper *o)
{
	return with_ecp_margin(evb_reinit_keepalive_us(o), o);
}
