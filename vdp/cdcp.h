/* SPDX-License-Identifier: ISC */
/*
 * cdcp.h - one port's CDCP negotiation (S-channel discovery, 802.1Qbg
 * clause 42, the TLV of 802.1Q D.2.14) as a pure machine: the S-channels
 * (SCID/SVID pairs) the port has, the CDCP TLV it advertises, and what it
 * makes of the neighbour's TLV.  A station (role S) asks for the default
 * S-channel (SCID 1) and N more; a bridge (role B) answers with SVIDs from
 * its pool, SCID 1 getting the default SVID 1.  No I/O, no clock: the LLDP
 * agent for the nearest non-TPMR bridge (lldp_agent.h) carries the TLVs.
 *
 * The public sources say nothing of CDCP's state machines or of how SVIDs
 * are assigned; what evbd chose is in docs/protocol-choices.md ("CDCP") and
 * lives in the functions named there.
 */
#ifndef VDP_CDCP_H
#define VDP_CDCP_H

#include <stdbool.h>
#include <stdint.h>

#include "cdcp_tlv.h"

#define CDCP_DEFAULT_SCID 1
#define CDCP_DEFAULT_SVID 1
#define CDCP_ID_MAX	  4094 /* SCIDs and SVIDs are 1..4094; 0 and 4095 are not channels */
#define CDCP_IDS	  (CDCP_ID_MASK + 1)

/* The administrator's settings (evbd.conf cdcp, cdcp-channels,
 * cdcp-capacity, svid-pool). */
struct cdcp_conf {
	bool enabled;
	bool station;	    /* role S; else role B */
	uint16_t channels;  /* station: S-channels asked beyond the default one, 0..166 */
	uint16_t chncap;    /* bridge: S-channels it supports, the default one included, 1..167 */
	uint16_t pool_low;  /* bridge: the SVIDs given to SCIDs other than 1, */
	uint16_t pool_high; /* pool_low..pool_high within 2..4094 */
};

struct cdcp_chan {
	uint16_t scid;
	uint16_t svid;
};

/* Counters; a neighbour's TLV is looked at when it changes, so a TLV
 * repeated every LLDP interval counts once. */
struct cdcp_stats {
	uint32_t rx_tlvs; /* distinct TLVs of the neighbour acted on */
	uint32_t up;	  /* S-channels set up */
	uint32_t down;	  /* S-channels taken down */
	uint32_t refused; /* bridge: channels refused, once per SCID until it is granted or
			     no longer asked for */
	uint32_t rx_role; /* neighbour's TLVs in our own role: ignored */
	uint32_t rx_dup;  /* pairs repeating an SCID (or, from a bridge, an SVID): dropped */
	uint32_t rx_cap;  /* pairs beyond the sender's ChnCap: dropped */
	uint32_t rx_bad;  /* pairs with SCID or SVID 0/4095 where a channel is meant, an SVID
			     outside the pool, an SCID the station did not ask for: dropped */
	uint32_t dev_err; /* kept by the daemon: S-channel devices it could not create */
};

/* Why a channel was refused. */
enum cdcp_refusal {
	CDCP_REFUSED_CAPACITY, /* bridge: its ChnCap is used up */
	CDCP_REFUSED_POOL,     /* bridge: no SVID left in its pool */
};

enum cdcp_event_kind {
	CDCP_EV_UP,	 /* S-channel scid/svid set up */
	CDCP_EV_DOWN,	 /* S-channel scid/svid taken down */
	CDCP_EV_REFUSED, /* SCID scid refused, why */
	CDCP_EV_DROPPED, /* the neighbour's TLV had pairs of one bad kind (what; scid, the first) */
	CDCP_EV_ROLE,	 /* the neighbour's TLV is in our own role (what: which), ignored */
};

struct cdcp_event {
	enum cdcp_event_kind kind;
	uint16_t scid, svid;
	enum cdcp_refusal why;
	const char *what; /* CDCP_EV_DROPPED, CDCP_EV_ROLE: a sentence fragment, static */
};

typedef void (*cdcp_emit_fn)(void *ctx, const struct cdcp_event *ev);

struct cdcp {
	struct cdcp_conf conf;
	uint16_t nchan;
	struct cdcp_chan chan[CDCP_MAX_PAIRS]; /* sorted by SCID; the default one first */
	uint8_t refused[CDCP_IDS / 8];	       /* SCIDs refused at the last look */
	bool peer;			       /* a neighbour's TLV is in force (last) */
	struct cdcp_tlv last;		       /* the neighbour's TLV last looked at */
	struct cdcp_stats stats;
};

/* Only the default S-channel (when enabled), no neighbour. */
void cdcp_init(struct cdcp *c, const struct cdcp_conf *conf);
/* New settings: a station asking for another number of channels keeps
 * those it still asks for; any other change takes every S-channel but the
 * default one down (events).  The next cdcp_negotiate() looks at the
 * neighbour's TLV afresh. */
void cdcp_configure(struct cdcp *c, const struct cdcp_conf *conf, cdcp_emit_fn emit, void *ctx);
/* Act on the neighbour's CDCP TLV (NULL: no neighbour, or one without
 * CDCP: back to the default S-channel).  Events go to emit (may be NULL).
 * True when the S-channels changed, so that the TLV to send changed. */
bool cdcp_negotiate(struct cdcp *c, const struct cdcp_tlv *remote, cdcp_emit_fn emit, void *ctx);
/* The CDCP TLV this port advertises now. */
void cdcp_local_tlv(const struct cdcp *c, struct cdcp_tlv *t);
/* The SVID of S-channel scid, 0 when the port has none. */
uint16_t cdcp_svid_of(const struct cdcp *c, uint16_t scid);
/* Why a channel was refused, as a sentence fragment. */
const char *cdcp_refusal_text(enum cdcp_refusal why);

#endif
