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
};

/* Operating values after negotiation. */
struct evb_oper {
	bool valid;		  /* a compatible neighbour TLV was seen */
	uint8_t r, rte, rwd, rka; /* max(local, remote) each (or local when manual) */
	bool rr;		  /* reflective relay in force */
	bool gid;		  /* Group IDs usable (BGID && SGID) */
};

void evb_local_defaults(struct evb_local *l, enum evb_role role);

/* Validate the ranges of local settings: 0 or -ERANGE. */
int evb_local_check(const struct evb_local *l);

/* Negotiate.  `remote` may be NULL (no neighbour TLV yet).  Fills `oper`
 * (valid only with a remote TLV of the opposite role: a station needs a
 * bridge-mode TLV and vice versa) and the TLV this port must now transmit
 * (with ROL bits and RR status echo as lldpad does).  Returns true when the
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
