/* SPDX-License-Identifier: ISC */
/*
 * lldp_agent.h - one port's LLDP agent (IEEE 802.1AB) for the nearest
 * customer bridge, the one that carries the EVB TLV (IEEE 802.1Q annex
 * D.2.13): transmit at msgTxInterval and fast after a change, receive,
 * neighbour ageing, the shutdown LLDPDU, and EVB negotiation (evb.h) on
 * every change of the neighbour, the link or the settings.  The same agent
 * serves the nearest non-TPMR bridge (kind LLDP_AGENT_CDCP), the one that
 * carries the CDCP TLV (802.1Qbg 42, H3C's choice too): there it runs CDCP
 * (cdcp.h) where the other runs EVB.
 *
 * Pure like vdp_port: the caller passes `now` (µs, monotonic), hands in the
 * LLDPDUs it receives, and gets frames to send and events through the ops
 * callbacks.  After any call the caller re-arms its timer at
 * lldp_agent_next_wakeup().
 */
#ifndef VDP_LLDP_AGENT_H
#define VDP_LLDP_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdcp.h"
#include "draft_edge.h"
#include "evb.h"
#include "lldp.h"

/* After a change: one LLDPDU at once, then this many more 1 s apart
 * (802.1AB txFast), then one every msgTxInterval. */
#define LLDP_AGENT_FAST_TX 3
#define LLDP_AGENT_FAST_US 1000000ULL
#define LLDP_AGENT_TTL_MAX 65535 /* the TTL TLV's 16 bits, seconds */

/* The neighbour seen by the agent. */
struct lldp_neighbor {
	bool valid;
	struct lldp_id chassis;
	struct lldp_id port;
	uint16_t ttl;
	uint64_t expires; /* µs, monotonic */
	bool has_evb;
	struct evb_tlv evb;
	bool has_draft_evb; /* draft 0.2 EVB TLV (OUI 00-1B-3F) */
	struct draft_evb_tlv draft_evb;
	bool has_cdcp;
	struct cdcp_tlv cdcp;
	uint8_t mac[6]; /* source address of its last LLDPDU */
};

struct lldp_agent_stats {
	uint32_t tx_frames;
	uint32_t rx_frames;
	uint32_t rx_bad;  /* malformed LLDPDUs (counted, dropped) */
	uint32_t ageouts; /* neighbour expired */
	/* LLDPDUs of a second neighbour (another chassis ID, port ID or source
	 * address while the first has not left): ignored, the port is
	 * point-to-point (802.1Qbg 40) */
	uint32_t rx_other_nbr;
	uint32_t rx_clamped;	 /* neighbour's LLDPDUs with an EVB value above its bound */
	uint32_t rx_ttl_clamped; /* neighbour's LLDPDUs with a TTL above conf.max_ttl */
};

struct lldp_agent;

struct lldp_agent_ops {
	/* Transmit one Ethernet frame. */
	void (*send)(void *ctx, const uint8_t *frame, size_t len);
	/* After every negotiation (a received LLDPDU, an age-out, a link or a
	 * settings change): `was` holds the operating values before it,
	 * a->oper the values now.  May be NULL. */
	void (*negotiated)(void *ctx, struct lldp_agent *a, const struct evb_oper *was,
			   uint64_t now);
	/* The neighbour appeared, left (TTL 0, age-out, link down) or changed
	 * what it advertises; a TTL refresh is no change.  May be NULL. */
	void (*neighbor_changed)(void *ctx, struct lldp_agent *a);
	/* The neighbour's TTL ran out; called before neighbor_changed and the
	 * negotiation that follow.  May be NULL. */
	void (*aged_out)(void *ctx, struct lldp_agent *a);
	/* A malformed LLDPDU from src was dropped (counted in stats.rx_bad).
	 * May be NULL. */
	void (*rx_dropped)(void *ctx, struct lldp_agent *a, const uint8_t src[6],
			   const struct lldp_err *err);
	/* An LLDPDU of a second neighbour from src was ignored (counted in
	 * stats.rx_other_nbr).  May be NULL. */
	void (*rx_other)(void *ctx, struct lldp_agent *a, const uint8_t src[6]);
	/* CDCP agents: an S-channel came or went, a channel was refused, the
	 * neighbour's TLV had bad pairs (cdcp.h).  May be NULL. */
	void (*cdcp_event)(void *ctx, struct lldp_agent *a, const struct cdcp_event *ev);
};

/* Which agent: the nearest customer bridge's, with the EVB TLV (and the
 * negotiated callback), or the nearest non-TPMR bridge's, with the CDCP
 * TLV (and the cdcp_event callback). */
enum lldp_agent_kind { LLDP_AGENT_EVB = 0, LLDP_AGENT_CDCP };

/* Which EVB the port speaks (evbd.conf protocol): the two EVB TLVs
 * exclude each other on a port, as in lldpad.  Auto follows the
 * neighbour: draft 0.2 while its LLDPDUs carry the draft EVB TLV and not
 * the 2012 one, else 2012. */
enum lldp_protocol { LLDP_PROTO_AUTO = 0, LLDP_PROTO_2012, LLDP_PROTO_DRAFT };

/* The administrator's settings the agent runs on. */
struct lldp_agent_conf {
	enum lldp_agent_kind kind;
	struct cdcp_conf cdcp; /* LLDP_AGENT_CDCP */
	struct evb_local evb;
	enum lldp_protocol protocol;
	unsigned tx_interval; /* seconds, msgTxInterval */
	unsigned tx_hold;     /* msgTxHold: TTL = interval * hold, at most 65535 s */
	/* The longest TTL adopted from a neighbour (seconds, 0 = the TLV's
	 * 65535): a longer one is cut to it and counted, so that one forged
	 * LLDPDU holds the port for this long at most (evbd.conf lldp-max-ttl). */
	unsigned max_ttl;
};

struct lldp_agent {
	struct lldp_agent_conf conf;
	uint8_t mac[6];		/* chassis ID (MAC address subtype) and source address */
	struct lldp_id port_id; /* interface name subtype */
	bool link_up;
	bool shut; /* the shutdown LLDPDU went out: silent until the link comes up */
	struct lldp_neighbor nbr;
	bool draft;		       /* draft 0.2 in use (conf.protocol and the neighbour) */
	struct evb_tlv evb_tx;	       /* the EVB TLV advertised (2012) */
	struct draft_evb_tlv draft_tx; /* the draft EVB TLV advertised (draft) */
	struct evb_oper oper;	       /* the negotiated values */
	struct cdcp cdcp;	       /* LLDP_AGENT_CDCP: the S-channels */
	struct lldp_agent_stats stats;
	uint64_t next_tx;   /* µs */
	uint16_t fast_left; /* fast transmissions left after a change */
	const struct lldp_agent_ops *ops;
	void *ctx;
};

/* Link down, no neighbour, negotiated on the local settings alone (no
 * callbacks).  port_name (the interface name) is cut at LLDP_ID_MAX. */
void lldp_agent_init(struct lldp_agent *a, const struct lldp_agent_conf *conf, const uint8_t mac[6],
		     const char *port_name, const struct lldp_agent_ops *ops, void *ctx);
/* The name of a protocol setting, "auto", "2012" or "draft". */
const char *lldp_protocol_name(enum lldp_protocol p);
/* New settings (SIGHUP): renegotiate; a change is advertised at once. */
void lldp_agent_configure(struct lldp_agent *a, const struct lldp_agent_conf *conf, uint64_t now);
/* The link came up (transmit at once, then fast) or went down (the
 * neighbour is forgotten); renegotiate either way.  Down may be repeated
 * (the interface went away). */
void lldp_agent_link(struct lldp_agent *a, bool up, uint64_t now);
/* A received LLDPDU (the Ethernet payload) from src: a malformed one is
 * counted and dropped; one from a second neighbour (another chassis ID, port
 * ID or src than the neighbour in place) is counted and ignored, the first
 * stays until it sends TTL 0 or ages out (after its TTL, cut to conf.max_ttl
 * and counted); the neighbour's TTL 0 removes it; then renegotiate (an EVB value above its bound is
 * clamped and counted). */
void lldp_agent_rx(struct lldp_agent *a, const uint8_t src[6], const uint8_t *pl, size_t len,
		   uint64_t now);
/* Age the neighbour out and transmit when due. */
void lldp_agent_run(struct lldp_agent *a, uint64_t now);
/* When lldp_agent_run() wants to be called next (µs), 0 = nothing pending. */
uint64_t lldp_agent_next_wakeup(const struct lldp_agent *a);
/* The LLDPDU's TLVs (802.1AB 8.4, End TLV included) this agent sends
 * now, or (neighbour) the neighbour's as the agent keeps them: chassis ID,
 * port ID, TTL and its EVB or CDCP TLV.  Octets written, 0 when there is no
 * neighbour, -ENOSPC. */
int lldp_agent_tlvs(const struct lldp_agent *a, bool neighbour, uint8_t *out, size_t cap);
/* The agent stops (the port stops, the daemon exits): send the shutdown
 * LLDPDU (chassis ID, port ID, TTL 0, End; 802.1AB) when the link is up, so
 * the neighbour forgets this port at once; then transmit nothing until the
 * link comes up again. */
void lldp_agent_shutdown(struct lldp_agent *a);

#endif
