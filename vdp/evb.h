/* SPDX-License-Identifier: ISC */
/*
 * evb.h - EVB negotiation over LLDP (802.1Q D.2.13) and the timer arithmetic of
 * ECP and VDP (802.1Qbg 43.3.6.1, 41.5.5).  Pure: local settings + the neighbour's EVB TLV
 * in, operating values + the TLV to transmit out.
 */
#ifndef VDP_EVB_H
#define VDP_EVB_H

#include <stdbool.h>
#include <stdint.h>

#include "evb_tlv.h"

enum evb_role { EVB_ROLE_STATION = 0, EVB_ROLE_BRIDGE = 1 };

/* What the administrator configured for one port. */
struct evb_local {
	enum evb_role role;
	uint8_t r, rte, rwd, rka; /* proposed values (exponents, R 0..7) */
	bool rrreq;		  /* station: request reflective relay */
	bool rrcap;		  /* bridge: capable of reflective relay */
	bool gid;		  /* BGID (bridge) / SGID (station) */
	bool manual;		  /* MIB LldpManual: operate on local values only */
	/* Upper bounds on the neighbour's values this port adopts (evbd.conf
	 * max-r, max-rte, max-rwd, max-rka): a larger one is clamped. */
	uint8_t max_r, max_rte, max_rwd, max_rka;
};

/* Default bounds: with R 7 and RTE 16 (HPE's 655 ms ack timer), RWD and RKA
 * 22 keep respWaitDelay and toutKeepAlive at 77.7 s (41.5.5.9, 41.5.5.13);
 * lldpad's defaults (R 3, RTE 8, RWD = RKA = 20) are within them. */
#define EVB_DEFAULT_MAX_R   EVB_R_MAX
#define EVB_DEFAULT_MAX_RTE 16
#define EVB_DEFAULT_MAX_RWD 22
#define EVB_DEFAULT_MAX_RKA 22

/* Fields of the neighbour's TLV clamped to a bound (evb_oper.clamped). */
#define EVB_CLAMPED_R	0x01
#define EVB_CLAMPED_RTE 0x02
#define EVB_CLAMPED_RWD 0x04
#define EVB_CLAMPED_RKA 0x08

/* Operating values after negotiation. */
struct evb_oper {
	bool valid;		  /* a compatible neighbour TLV was seen */
	uint8_t r, rte, rwd, rka; /* max(local, min(remote, bound)) each (local when manual) */
	uint8_t clamped;	  /* EVB_CLAMPED_*: the neighbour's values above a bound */
	bool rr;		  /* reflective relay in force */
	bool gid;		  /* Group IDs usable (BGID && SGID) */
};

void evb_local_defaults(struct evb_local *l, enum evb_role role);

/* Validate the ranges of local settings and bounds: 0 or -ERANGE. */
int evb_local_check(const struct evb_local *l);

/* Negotiate.  `remote` may be NULL (no neighbour TLV yet).  Fills `oper`
 * (valid only with a remote TLV of the opposite role: a station needs a
 * bridge-mode TLV and vice versa) and the TLV this port must now transmit:
 * its own R, RTE, RWD and RKA (ROL 0), never the adopted ones, so that a
 * value can never ratchet between the two sides, and the RR status echo as
 * lldpad does.  Returns true when the
 * TLV to transmit or the operating values changed compared to `oper`'s
 * previous content (the caller re-advertises on change). */
bool evb_negotiate(const struct evb_local *l, const struct evb_tlv *remote, struct evb_oper *oper,
		   struct evb_tlv *tx);

/* Timer arithmetic, all in microseconds (802.1Qbg 43.3.6.1, 41.5.5.5-41.5.5.13). */
uint64_t evb_exp_us(uint8_t exp);			    /* 10 * 2^exp */
uint64_t evb_ack_timer_us(const struct evb_oper *o);	    /* 10 * 2^RTE */
uint64_t evb_resource_wait_us(const struct evb_oper *o);    /* 10 * 2^RWD */
uint64_t evb_reinit_keepalive_us(const struct evb_oper *o); /* 10 * 2^RKA */
/* 1.5 * (10*2^RWD + (2R+1) * 10*2^RTE) */
uint64_t evb_resp_wait_us(const struct evb_oper *o);
/* 1.5 * (10*2^RKA + (2R+1) * 10*2^RTE) */
uint64_t evb_tout_keepalive_us(const struct evb_oper *o);

#endif
