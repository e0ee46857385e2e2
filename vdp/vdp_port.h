/* SPDX-License-Identifier: ISC */
/*
 * vdp_port.h - one EVB port's ECP + VDP engine: the ECP transmit and
 * receive machines, the VSI table, one deadline heap for every VSI timer,
 * the queue of TLVs waiting for ECP, and the glue that feeds received
 * VDPDUs to the per-VSI machines and applies their actions.
 *
 * Pure like the rest of vdp/: the caller passes `now` (µs, monotonic), hands
 * in received ECP payloads, and gets frames to send and VSI changes through
 * the ops callbacks.  After any call the caller re-arms its single port
 * timer at vdp_port_next_wakeup().
 *
 * Requests are queued, not sent: call vdp_port_run() once after a batch of
 * vdp_port_request() calls, so that they share as few ECPDUs as fit.
 */
#ifndef VDP_VDP_PORT_H
#define VDP_VDP_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "ecp.h"
#include "ecp_pace.h"
#include "evb.h"
#include "txq.h"
#include "vdp_sm.h"
#include "vsi.h"

struct vdp_port;

struct vdp_port_ops {
	/* Transmit one Ethernet frame (already padded). */
	void (*send)(void *ctx, const uint8_t *frame, size_t len);
	/* A machine step produced notify / bind / unbind / remove for v.  Called
	 * before a removed VSI is freed.  May be NULL. */
	void (*vsi_changed)(void *ctx, struct vdp_port *p, struct vdp_vsi *v,
			    const struct vdp_sm_out *out);
	/* Bridge policy for v->cmd on v (filters, type, mgrid in v).  Return 0
	 * with *dec filled, or -EINPROGRESS and answer later with
	 * vdp_port_decision().  NULL grants everything. */
	int (*decide)(void *ctx, struct vdp_port *p, const struct vdp_vsi *v,
		      struct vdp_decision *dec);
	/* The machine moved v from t->from to t->to on event ev (enum
	 * vdp_st_event or vdp_br_event by the port's role); t->legal false: the
	 * change is not in the state table, a defect (also counted in
	 * stats.sm_illegal).  Called before the step's actions.  May be NULL. */
	void (*vsi_state)(void *ctx, struct vdp_port *p, const struct vdp_vsi *v,
			  const struct vdp_sm_trans *t, uint8_t ev);
	/* The pacing gap changed (p->pace.gap_us); why: the peer lost a frame
	 * (ECP_PACE_SLOWER) or a quiet period passed.  May be NULL. */
	void (*paced)(void *ctx, struct vdp_port *p, enum ecp_pace_change ch);
	/* The peer's cadence (vdp_port_cadence) was found (gap_us, the port
	 * now paces) or ended (0).  May be NULL. */
	void (*cadence)(void *ctx, struct vdp_port *p, uint64_t gap_us);
};

/* Drops and oddities, each counted (never silent). */
struct vdp_port_stats {
	uint32_t rx_bad_ecp;	   /* ECP header malformed (short, version, op) */
	uint32_t rx_other_subtype; /* ECP subtype not VDP */
	uint32_t rx_bad_tlv;	   /* VDP TLVs malformed beyond recovery */
	uint32_t rx_bad_vsi;	   /* VSI TLVs rejected with a reason */
	uint32_t rx_unknown_vsi;   /* station: response for a VSI we do not have */
	uint32_t rx_wrong_dir;	   /* request at a station / response at a bridge */
	uint32_t rx_skipped;	   /* reserved / stray TLVs skipped */
	uint32_t tx_dropped;	   /* TLVs that could not be queued (queue full, ENOMEM) */
	uint32_t vsi_limit;	   /* bridge: new VSIs refused, table full */
	uint32_t filter_limit;	   /* bridge: requests refused, more filters than max_filters */
	uint32_t rx_queue_full;	   /* bridge: requests dropped unanswered, transmit queue full */
	uint32_t sm_illegal;	   /* state changes not in the machine's table (defects) */
	uint32_t rx_other_src;	   /* bridge: ECPDUs from another station than the bound one,
				    * or (any_source) from one too many */
	uint32_t station_limit;	   /* bridge, any_source: new VSIs refused, the sender's share */
	/* The signs of a lost VDPDU the pacing was given, by kind (see pace
	 * below; those within the hold time of an ECP failure included). */
	uint32_t pace_answers; /* station: an answer to a repeated request or to none */
	uint32_t pace_repeats; /* bridge: a request repeating the one in force */
	uint32_t pace_dups;    /* VDP_PACE_DUPS late duplicate ECP requests in a window */
};

/* Bridge, any_source: one station sending VDP on the port (vdp_port.stations). */
struct vdp_station {
	uint8_t mac[6];
	bool used;
	struct ecp_rx rx; /* its own sequence numbers and duplicate detection */
	uint32_t vsis;	  /* VSIs it created that are still in the table */
	uint64_t seen;	  /* µs, its last ECPDU */
};

/* Stations a port set to any_source tells apart; a further sender takes
 * the slot of the longest silent one that holds no VSI, else its ECPDUs
 * are dropped and counted (stats.rx_other_src). */
#define VDP_PORT_MAX_STATIONS 32

struct vdp_request {
	uint8_t type;  /* VDP_TLV_PREASSOC .. VDP_TLV_DEASSOC */
	uint8_t hints; /* VDP_STATUS_MBIT / VDP_STATUS_SBIT */
	uint8_t mgrid[VDP_MGRID_LEN];
	uint32_t type_id;
	uint8_t type_ver;
	struct vdp_vsi_key key;
	uint8_t fif;
	uint16_t nfilters;
	const struct vdp_filter *filters;
	uint32_t tag; /* stored in the VSI for the caller */
};

#define VDP_CADENCE_K	2 /* the peer's cadence: this many short gaps end it (see pace) */
#define VDP_CADENCE_MIN 4 /* gaps in a window before a cadence is taken */

struct vdp_port {
	enum evb_role role;
	uint8_t mac[6];
	bool running; /* ECP/VDP active (link up and, on a station, EVB negotiated) */
	struct evb_oper oper;
	struct vdp_st_params st;
	struct vdp_br_params br;
	struct ecp_tx tx;
	struct ecp_rx rx;
	struct ecp_counters ecp;
	struct vsi_table vsis;
	struct dl_heap timers;
	struct txq q;
	/* Pacing: no new ECPDU sooner than pace.gap_us after the ACK of the
	 * previous one (vdp_port_set_pace; adaptive by default, ack-clocked
	 * until the peer shows a loss).  lldpad reads a VDPDU 2 ms after it
	 * arrived, from one buffer per port, and loses the first of two that
	 * arrive closer together.  Signs of a lost VDPDU: at a station a VDP
	 * response to a repeated request or one that answers nothing
	 * outstanding (a duplicate); at a bridge a request repeating the one
	 * in force within half a reinitKeepAlive of the answer; in both roles
	 * duplicate ECP requests, VDP_PACE_DUPS of them among
	 * VDP_PACE_WINDOW new ones, each arriving (rx_at) at least half an
	 * ackTimer after our ACK of the original left (so that the peer's
	 * timer ran out after our ACK; a duplicate that queued up behind the
	 * original while we were busy says nothing about the peer).  Not our own ECP
	 * retransmissions: a busy peer's late ACK causes them too, and pacing an evbd peer would
	 * only slow it; and no sign counts within the pacing's hold time of an
	 * ECP failure (a peer too busy to acknowledge: what is repeated then
	 * is ours, not its loss).  The adaptive gap never holds the queued
	 * TLVs longer than half a respWaitDelay: it is cut to that divided by
	 * the ECPDUs they fill (VDP_PACE_PER_PDU TLVs each, an estimate); nor
	 * does it keep the port's VSIs from one keep-alive exchange each per
	 * a quarter of a reinitKeepAlive (the same estimate over every VSI), so that
	 * pacing never times VSIs out; and when either cut leaves less than
	 * VDP_PACE_MIN_US (a timer a loop cannot keep finer) the port is not
	 * paced at all: the timers then ask for every ECPDU the wire gives.
	 * Besides the signs, the peer's cadence (vdp_port_cadence): a peer
	 * that never sends two new ECPDUs closer than about an ackTimer
	 * (lldpad: its transmit machine moves on only when its ack timer runs
	 * out) though it had them queued (at a station: no request of ours
	 * between them) reads no faster: the port paces at least
	 * ECP_PACE_FIRST_US, as after a first sign.  This spares lldpad the
	 * losses the signs need (an lldpad station never repeats a request
	 * whose answer it lost: it ends the VSI, and nothing shows on the
	 * wire until the bridge's toutKeepAlive); an evbd peer sends back to
	 * back when busy, and is not slowed. */
	struct ecp_pace pace;
	uint64_t tx_next;     /* µs: no new ECPDU before this */
	uint64_t rx_fresh_at; /* µs: the last new ECP request was acknowledged */
	uint64_t ecp_fail_at; /* µs: ECP last gave up on an ECPDU (0: never) */
	/* The peer's cadence (see pace): its last new ECP request's arrival,
	 * the gap it keeps (0: none seen, or it sends back to back), the least
	 * gaps of the current window of VDP_PACE_WINDOW and their count, and
	 * whether one of our new ECPDUs left since its last one. */
	uint64_t peer_req_at, cad_gap, cad_least[VDP_CADENCE_K];
	uint64_t tx_acked_at; /* µs: our last new ECPDU was acknowledged */
	uint16_t cad_n;
	bool tx_since_peer;
	size_t q_burst;	    /* most TLVs queued since the queue was last empty */
	uint16_t win_fresh; /* new ECP requests in the current window */
	uint16_t win_dups;  /* duplicates counted as signs in it */
	/* Set by the caller before vdp_port_rx(): when the frame arrived (µs,
	 * the kernel's receive time on the caller's clock; 0 = now).  A
	 * duplicate ECP request that arrived before our ACK of its original
	 * left is no sign of loss (see pace). */
	uint64_t rx_at;
	/* Set by the caller: no new ECPDU leaves the queue while set (ACKs,
	 * retransmissions of the outstanding ECPDU and the VSI timers go on);
	 * vdp_port_run() after clearing it sends what waits.  A bridge holds
	 * its VDP responses until the VSI changes they acknowledge are stored. */
	bool tx_hold;
	/* Set by the caller: the largest ULPDU (End TLV included) to send, 0 =
	 * ECP_MAX_ULPDU; a port that converts its ECPDUs to draft 0.2 sets
	 * DRAFT_ULPDU_2012_MAX (draft_edge.h), so that they still fit a frame. */
	size_t ulpdu_max;
	struct vdp_port_stats stats;
	size_t max_vsis;      /* bridge: refuse new VSIs beyond this (0 = no limit) */
	uint16_t max_filters; /* bridge: refuse requests with more filters (0 = no limit) */
	uint32_t by_result[VSI_RESULTS]; /* VSIs in the table per result, kept up to date */
	/* Bridge: the station whose ECPDUs the port takes (vdp_port_rx_from):
	 * the LLDP neighbour, or before one is known the first sender. */
	bool any_source; /* take every sender's (evbd.conf vdp-sources = any) */
	bool src_bound;
	uint8_t src[6];
	/* any_source: each sender's ECP receive state and VSI count, and the
	 * most new VSIs one sender may hold (evbd.conf max-vsis-per-station;
	 * 0 = max_vsis / 4).  The bound station (the LLDP neighbour or the
	 * first sender) keeps room for its share: another station's new VSI is
	 * refused while it would leave less. */
	size_t station_share;
	struct vdp_station stations[VDP_PORT_MAX_STATIONS];
	uint8_t rx_station; /* 1 + index of the station whose ECPDU is handled, 0 = none */
	const struct vdp_port_ops *ops;
	void *ctx;
};

#define VDP_PACE_WINDOW	 64   /* new ECP requests per duplicate-counting window */
#define VDP_PACE_DUPS	 4    /* late duplicates in one window: a sign of loss */
#define VDP_PACE_PER_PDU 32   /* queued VSI TLVs per ECPDU, for the gap's cut */
#define VDP_PACE_MIN_US	 1000 /* a shorter cut means no pacing (see pace) */

/* A bridge port's bounds unless configured otherwise (evbd.conf(5) max-vsis,
 * max-filters, tx-queue; the sizing is in docs/protocol-choices.md). */
#define VDP_PORT_MAX_VSIS    4096
#define VDP_PORT_MAX_FILTERS 64
#define VDP_PORT_TX_QUEUE    4096

/* Bounds of a bridge port, where a peer's requests fill the table and the
 * transmit queue: at most max_vsis VSIs and max_filters filters per VSI
 * (further requests refused with reason 2, insufficient resources, clause
 * 41.2.3), and at most tx_queue TLVs waiting for ECP (a request that finds
 * the queue full is dropped unanswered and counted: the station retries
 * after respWaitDelay, clause 41.5).  0 = no bound.  A station's queue holds
 * only what local commands ask and is not bounded here. */
void vdp_port_set_limits(struct vdp_port *p, size_t max_vsis, uint16_t max_filters,
			 size_t tx_queue);

int vdp_port_init(struct vdp_port *p, enum evb_role role, const uint8_t mac[6],
		  const struct vdp_port_ops *ops, void *ctx, uint16_t first_seq);
/* Pacing: adaptive (fixed false), or a fixed gap of gap_us. */
void vdp_port_set_pace(struct vdp_port *p, bool fixed, uint64_t gap_us, uint64_t now);

/* Frees every VSI without callbacks. */
void vdp_port_free(struct vdp_port *p);

/* Start (or update the operating values of) the protocol: link up and, on a
 * station, EVB negotiated.  VSIs waiting for the link are (re)sent. */
void vdp_port_start(struct vdp_port *p, const struct evb_oper *oper, uint64_t now);
/* Stop: link down.  Timers stop, the outstanding ECPDU and queued TLVs are
 * dropped, station VSIs are kept and re-sent by the next start; bridge VSIs
 * are kept with their timers stopped (keep-alives confirm them later). */
void vdp_port_stop(struct vdp_port *p, uint64_t now);

/* A received ECP payload (after the EtherType).  0, or -EINVAL when it was
 * dropped as malformed (counted). */
int vdp_port_rx(struct vdp_port *p, const uint8_t *pl, size_t len, uint64_t now);

/* A received ECP payload from the source address src.  A bridge port not
 * set to any_source takes ECPDUs from one station only: the one bound with
 * vdp_port_bind(), else the first that sends a well-formed ECPDU, which
 * binds it (lldpad stations start VDP before the LLDP exchange,
 * docs/protocol.md quirk 8).  Another sender's ECPDU is dropped unanswered
 * and counted (stats.rx_other_src): -EPERM.  Else as vdp_port_rx(). */
int vdp_port_rx_from(struct vdp_port *p, const uint8_t src[6], const uint8_t *pl, size_t len,
		     uint64_t now);
/* Bridge, any_source: the share of max_vsis one station may hold (0 = no
 * bound). */
size_t vdp_port_station_share(const struct vdp_port *p);
/* Bridge: bind the port's VDP to the station at mac (the LLDP neighbour's
 * source address); a new station starts a fresh ECP receive state.  NULL
 * (the neighbour left): unbound, the next sender binds (a replaced lldpad
 * station starts VDP before its LLDPDUs, which then re-bind the port). */
void vdp_port_bind(struct vdp_port *p, const uint8_t mac[6]);

/* Station: submit a command for a VSI (creates it on first use).  0,
 * -EOPNOTSUPP (bridge port), -EINVAL (bad request; *reason says why when
 * non-NULL), -ENOENT (De-Associate of an unknown VSI), -ENOMEM. */
int vdp_port_request(struct vdp_port *p, const struct vdp_request *r, uint64_t now,
		     struct vdp_vsi **vp, uint8_t *reason);
/* The content rules a bridge applies, checked on a request before it is
 * sent: VDP_RSN_SUCCESS or the reason, with *what naming the problem. */
uint8_t vdp_request_check(const struct vdp_request *r, bool gid_ok, const char **what);
/* Bridge: end a VSI locally (unsolicited De-Associate).  0 or -ENOENT. */
int vdp_port_admin_deassoc(struct vdp_port *p, const struct vdp_vsi_key *k, uint64_t now);
/* Bridge: the asynchronous answer of ops->decide for the VSI with key k. */
void vdp_port_decision(struct vdp_port *p, const struct vdp_vsi_key *k,
		       const struct vdp_decision *dec, uint64_t now);

/* Whether the outstanding ECPDU's ack timer has run out by now: a caller
 * whose loop was busy reads what waits first, its ACK perhaps. */
bool vdp_port_ack_due(const struct vdp_port *p, uint64_t now);
/* The peer's cadence (see pace): the least gap between two new ECPDUs it
 * sent without waiting for ours, in a window of VDP_PACE_WINDOW, when it
 * is VDP_PACE_MIN_US .. 4 ackTimers (a sender clocked by its ack timer);
 * 0 when none was, or VDP_CADENCE_K gaps of a window were shorter. */
uint64_t vdp_port_cadence(const struct vdp_port *p);
/* Run expired timers and send what is queued. */
void vdp_port_run(struct vdp_port *p, uint64_t now);
/* When vdp_port_run() wants to be called next (µs), 0 = nothing pending. */
uint64_t vdp_port_next_wakeup(const struct vdp_port *p);

/* Station VSIs restored from storage: insert v (filled by the caller with
 * key, ids, filters, cmd) to be sent at the next start.  0, -EEXIST, or
 * -ENOMEM (not inserted; the caller keeps v). */
int vdp_port_restore(struct vdp_port *p, struct vdp_vsi *v, uint64_t now);

#endif
