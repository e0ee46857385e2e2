/* SPDX-License-Identifier: ISC */
/*
 * vdp_sm.h - the per-VSI VDP state machines of the station and the bridge
 * (802.1Qbg-2012 clause 41.5) as pure transition functions:
 *     (VSI, event, now) -> actions in struct vdp_sm_out + the next deadline.
 * State names follow lldpad's reading of the standard; transient states
 * (PROC, PROCWAIT_2, ASSOC_NEW, TXMIT_KA, SEND, KEEP, ALIVE, ...) are passed
 * through inside one call and never stored.
 *
 * Where the reference says "not confirmed" this module chooses:
 *  - station: a new local command supersedes one in progress (lldpad answers
 *    EBUSY); a reply whose TLV type is not the outstanding command's is stale
 *    and ignored;
 *  - station: a lost exchange (respWaitDelay expiry or ECP failure) is
 *    retried up to max_tries times before the VSI fails (lldpad gives up at
 *    once); keep-alives likewise, so a lossy link does not drop associations;
 *  - station: a bridge-initiated De-Associate gets no VDP answer (ECP ACK
 *    only, like lldpad);
 *  - bridge: a keep-alive (same type as in force) is acknowledged without
 *    asking the policy again (lldpad re-runs resource allocation);
 *  - bridge: no policy answer within resourceWaitDelay -> KEEP with reason 3
 *    ("unable to contact VSI manager") when a state is in force, else a
 *    De-Associate reply with reason 3.
 * and, in vdp_sm.c:
 *  - station: while waiting for a reply to a request or keep-alive, a
 *    De-Associate response with a non-zero reason is the bridge refusing it
 *    (41.5, station "reply De-Assoc -> END"): FAILED; with reason 0 it is stale;
 *  - station: KEEP on a keep-alive of a Pre-Associate keeps it (41.5,
 *    station KAWAIT_2), on an Associate it sends a De-Associate;
 *  - station: notify on success only when result or reason changed (a link-up
 *    re-send of the state in force is silent); always when the VSI ends;
 *  - bridge: a keep-alive must also carry the same VSI type ID and version;
 *  - bridge: a De-Associate is answered at once in every state, PROCESS too
 *    (the pending policy answer is then dropped);
 *  - bridge: a refusal never carries reason 0 (4 "other failure" instead);
 *    no memory for the request's or the policy's filters refuses with
 *    reason 2 (as lldpad answers an invalid request).
 */
#ifndef VDP_VDP_SM_H
#define VDP_VDP_SM_H

#include <stdbool.h>
#include <stdint.h>

#include "vsi.h"

/* One state change a step made (transient states are not seen). */
struct vdp_sm_trans {
	uint8_t from, to;
	bool legal; /* in the role's state table (vdp_st_transition_ok / vdp_br_...) */
};

#define VDP_SM_MAX_TRANS 3 /* a step changes state at most twice (INIT, PROCESS, END) */

/* Actions for the caller, in this order: send, bind/unbind, decide, notify, remove. */
struct vdp_sm_out {
	bool send; /* queue a VSI TLV: type tx_type, status tx_status, from the VSI */
	uint8_t tx_type;
	uint8_t tx_status;
	bool decide;  /* bridge: ask the policy about v->cmd (answer with VDP_BR_EV_DECISION) */
	bool bind;    /* bridge: the VSI is now associated: bind the dataplane */
	bool unbind;  /* bridge: the VSI left the associated state: unbind */
	bool notify;  /* the VSI's result/reason changed: tell the requester */
	bool remove;  /* the machine ended: remove the VSI from the table and free it */
	bool restore; /* after the TLV is queued: put back what is in force (vsi_restore) */
	uint64_t deadline; /* next wake-up for this VSI (µs), 0 = none */
	/* What the step did to v->state, for the caller to report: */
	uint8_t event;	      /* the step's event */
	uint8_t start;	      /* v->state before the step */
	uint8_t start_result; /* v->result before the step */
	uint8_t ntrans;	      /* changes in trans[], in order (a change back is one too) */
	struct vdp_sm_trans trans[VDP_SM_MAX_TRANS];
	uint8_t illegal; /* assignments the state table does not allow: defects */
};

/* ---------------- station ---------------- */

enum vdp_st_state {
	VDP_ST_INIT = 0,    /* created, no command yet */
	VDP_ST_PROCWAIT,    /* request sent, waiting for the reply (respWaitDelay) */
	VDP_ST_WAIT_SYSCMD, /* state confirmed; reinitKeepAlive running */
	VDP_ST_KAWAIT,	    /* keep-alive sent, waiting for the reply */
	VDP_ST_DEAWAIT,	    /* De-Associate sent (local command), waiting for the reply */
	VDP_ST_LINKDOWN,    /* link down: timers stopped, resent on link up */
	VDP_ST_END,	    /* ended: remove */
};
#define VDP_ST_NSTATES (VDP_ST_END + 1)

enum vdp_st_event {
	VDP_ST_EV_CMD = 0,	  /* caller set v->cmd (+ v->hints, filters): send it */
	VDP_ST_EV_REPLY,	  /* a bridge TLV with the response bit for this VSI */
	VDP_ST_EV_BRIDGE_DEASSOC, /* a De-Associate from the bridge without the response bit */
	VDP_ST_EV_TIMER,	  /* v->timer reached */
	VDP_ST_EV_TX_FAILED,	  /* ECP gave up on the ECPDU carrying this VSI's TLV */
	VDP_ST_EV_LINK_DOWN,
	VDP_ST_EV_LINK_UP,
};
#define VDP_ST_NEVENTS (VDP_ST_EV_LINK_UP + 1)

struct vdp_st_params {
	uint64_t resp_wait_us; /* respWaitDelay */
	uint64_t keepalive_us; /* reinitKeepAlive */
	uint8_t max_tries;     /* VDP-level attempts per exchange (>= 1) */
};

void vdp_station_step(struct vdp_vsi *v, enum vdp_st_event ev, const struct vdp_vsi_tlv *reply,
		      const struct vdp_st_params *p, uint64_t now, struct vdp_sm_out *out);
const char *vdp_st_state_name(uint8_t state);
const char *vdp_st_event_name(uint8_t ev);
/* The station's state table (vdp_sm.c): may `ev` take a VSI from `from` to
 * `to`?  Staying where it is is always allowed. */
bool vdp_st_transition_ok(uint8_t from, uint8_t ev, uint8_t to);

/* ---------------- bridge ---------------- */

enum vdp_br_state {
	VDP_BR_INIT = 0, /* created by a station request, nothing in force */
	VDP_BR_PROCESS,	 /* waiting for the policy (resourceWaitDelay) */
	VDP_BR_WAITCMD,	 /* state in force; toutKeepAlive running */
	VDP_BR_END,	 /* ended: remove */
};
#define VDP_BR_NSTATES (VDP_BR_END + 1)

enum vdp_br_event {
	VDP_BR_EV_REQUEST = 0,	 /* a station TLV (response bit clear) for this VSI */
	VDP_BR_EV_DECISION,	 /* the policy answered (decision argument) */
	VDP_BR_EV_TIMER,	 /* v->timer reached */
	VDP_BR_EV_ADMIN_DEASSOC, /* local decision to end the VSI (operator, type removed) */
	VDP_BR_EV_TX_FAILED,	 /* ECP gave up on a reply for this VSI (nothing to do but count) */
	VDP_BR_EV_RESTORED,	 /* a VSI in force loaded from storage: wait for keep-alives */
};
#define VDP_BR_NEVENTS (VDP_BR_EV_RESTORED + 1)

enum vdp_verdict {
	VDP_GRANT = 0,	 /* accept; filters may carry bridge-chosen VIDs */
	VDP_REFUSE_KEEP, /* refuse, keep what is in force (KEEP bit) */
	VDP_REFUSE,	 /* refuse and end the VSI (De-Associate reply) */
};

struct vdp_decision {
	enum vdp_verdict verdict;
	uint8_t reason; /* VDP_RSN_* for refusals */
	bool hard;	/* HARD bit on a refusal */
	/* GRANT: the filters to answer with and keep (VID 0 filled in), or
	 * NULL to keep the requested ones. */
	const struct vdp_filter *filters;
	uint16_t nfilters;
};

struct vdp_br_params {
	uint64_t resource_wait_us;  /* resourceWaitDelay */
	uint64_t tout_keepalive_us; /* toutKeepAlive */
	/* A VSI in force after a restart or a link-up: the station may be
	 * waiting out a reply lost with the old process or the link, and asks
	 * again only after its respWaitDelay; kept for that plus toutKeepAlive
	 * (never less than toutKeepAlive). */
	uint64_t resume_wait_us;
};

/* REQUEST: `req` is the station's TLV; the machine records type, filters
 * and org TLVs from it.  DECISION: `dec` is the policy's answer. */
void vdp_bridge_step(struct vdp_vsi *v, enum vdp_br_event ev, const struct vdp_vsi_tlv *req,
		     const struct vdp_decision *dec, const struct vdp_br_params *p, uint64_t now,
		     struct vdp_sm_out *out);
const char *vdp_br_state_name(uint8_t state);
/* How long a VSI in force waits for the station after a restart or link-up. */
uint64_t vdp_br_resume_wait_us(const struct vdp_br_params *p);
const char *vdp_br_event_name(uint8_t ev);
bool vdp_br_transition_ok(uint8_t from, uint8_t ev, uint8_t to);

#endif
