/* SPDX-License-Identifier: ISC */
/*
 * vdp_sm.c - the per-VSI VDP state machines of the station and the bridge
 * (802.1Qbg-2012 clause 41.5) as pure transition functions (see vdp_sm.h for the
 * choices made where the reference says "not confirmed").
 *
 * Each step starts from "nothing to do, deadline unchanged" and fills in the
 * actions of the transition it takes; an event that does not apply to the
 * current state leaves the VSI untouched.
 *
 * The tables below are the machines of IEEE 802.1Qbg-2012 clause 41.5 as
 * this code runs them: for each stored state (rows) and event (columns),
 * the states the event may lead to.  The standard's transient states
 * (station PROC, PROCWAIT_2, ASSOC_NEW, TXMIT_KA, TXMIT_DEASSOC, ...;
 * bridge SEND, KEEP, DEASSOC, ALIVE, DEASSOCIATED, WAITCMD_2) are passed
 * through within one step and never stored; a step may store two states in
 * turn (bridge INIT -> PROCESS -> END when a request cannot be stored), each
 * checked against the row of the state the step started in.  0: the event
 * leaves the state as it is, which every cell also allows.
 *
 * Every assignment of v->state goes through st_change_state() or
 * br_change_state(): the one place that checks the change against the table
 * (an illegal one is a defect: counted in the step's output, never silent)
 * and records it for the caller to report.
 */
#include "vdp_sm.h"

#include <errno.h>

#include <string.h>

/* clang-format off */
#define I (1u << VDP_ST_INIT)
#define P (1u << VDP_ST_PROCWAIT)
#define W (1u << VDP_ST_WAIT_SYSCMD)
#define K (1u << VDP_ST_KAWAIT)
#define D (1u << VDP_ST_DEAWAIT)
#define L (1u << VDP_ST_LINKDOWN)
#define E (1u << VDP_ST_END)
static const uint8_t st_table[VDP_ST_NSTATES][VDP_ST_NEVENTS] = {
/* station             CMD    REPLY   BRIDGE_DEASSOC  TIMER  TX_FAILED  LINK_DOWN  LINK_UP */
[VDP_ST_INIT]        = {P|E,  0,      0,              0,     0,         L,         0},
[VDP_ST_PROCWAIT]    = {P|D,  W|E,    E,              E,     0,         L,         0},
[VDP_ST_WAIT_SYSCMD] = {P|D,  0,      E,              K,     0,         L,         0},
[VDP_ST_KAWAIT]      = {P|D,  W|D|E,  E,              E,     E,         L,         0},
[VDP_ST_DEAWAIT]     = {P|D,  E,      E,              E,     0,         L,         0},
[VDP_ST_LINKDOWN]    = {E,    0,      E,              0,     0,         0,         I|P|D},
[VDP_ST_END]         = {0,    0,      0,              0,     0,         0,         0},
};
#undef I
#undef P
#undef W
#undef K
#undef D
#undef L
#undef E

#define I (1u << VDP_BR_INIT)
#define P (1u << VDP_BR_PROCESS)
#define W (1u << VDP_BR_WAITCMD)
#define E (1u << VDP_BR_END)
static const uint8_t br_table[VDP_BR_NSTATES][VDP_BR_NEVENTS] = {
/* bridge          REQUEST  DECISION  TIMER  ADMIN_DEASSOC  TX_FAILED  RESTORED */
[VDP_BR_INIT]    = {P|E,    0,        0,     E,             0,         W},
[VDP_BR_PROCESS] = {E,      W|E,      W|E,   E,             0,         0},
[VDP_BR_WAITCMD] = {P|W|E,  0,        E,     E,             0,         0},
[VDP_BR_END]     = {0,      0,        0,     0,             0,         0},
};
#undef I
#undef P
#undef W
#undef E
/* clang-format on */

/* ---------------- common ---------------- */

/* The deadline the caller has armed for v (0: none). */
static uint64_t sm_armed(const struct vdp_vsi *v)
{
	return v->timer.idx != DL_NONE ? v->timer.at : 0;
}

static void sm_begin(const struct vdp_vsi *v, uint8_t ev, struct vdp_sm_out *out)
{
	memset(out, 0, sizeof(*out));
	out->deadline = sm_armed(v);
	out->event = ev;
	out->start = v->state;
	out->start_result = v->result;
}

static bool sm_allowed(const uint8_t *row, size_t nevents, uint8_t from, uint8_t ev, uint8_t to)
{
	return from == to || (ev < nevents && to < 8 && (row[ev] >> to) & 1u);
}

/* Store `to` in v->state and record the change in out (a full record merges
 * into its last entry, which keeps the final state right). */
static void sm_set_state(struct vdp_vsi *v, struct vdp_sm_out *out, uint8_t to, bool legal)
{
	if (!legal)
		out->illegal++;
	if (v->state != to) {
		struct vdp_sm_trans t = {.from = v->state, .to = to, .legal = legal};
		if (out->ntrans < VDP_SM_MAX_TRANS)
			out->trans[out->ntrans++] = t;
		else
			out->trans[VDP_SM_MAX_TRANS - 1].to = to;
	}
	v->state = to;
}

static void sm_send(struct vdp_sm_out *out, uint8_t type, uint8_t status)
{
	out->send = true;
	out->tx_type = type;
	out->tx_status = status;
}

static bool sm_is_vsi_type(uint8_t type)
{
	return type >= VDP_TLV_PREASSOC && type <= VDP_TLV_DEASSOC;
}

/* What a confirmed TLV type (Pre-Associate, with RR, Associate) means for the
 * requester. */
static uint8_t sm_result_of(uint8_t type)
{
	switch (type) {
	case VDP_TLV_PREASSOC:
		return VSI_PREASSOCIATED;
	case VDP_TLV_PREASSOC_RR:
		return VSI_PREASSOCIATED_RR;
	default:
		return VSI_ASSOCIATED;
	}
}

/* ---------------- station ---------------- */

bool vdp_st_transition_ok(uint8_t from, uint8_t ev, uint8_t to)
{
	if (from >= VDP_ST_NSTATES || to >= VDP_ST_NSTATES)
		return false;
	return sm_allowed(st_table[from], VDP_ST_NEVENTS, from, ev, to);
}

/* Every station state change: checked against st_table from the state the
 * step started in. */
static void st_change_state(struct vdp_vsi *v, struct vdp_sm_out *out, enum vdp_st_state to)
{
	sm_set_state(v, out, (uint8_t)to,
		     vdp_st_transition_ok(out->start, out->event, (uint8_t)to));
}

static uint8_t st_hints(const struct vdp_vsi *v)
{
	return v->hints & (VDP_STATUS_SBIT | VDP_STATUS_MBIT);
}

static bool st_waiting(const struct vdp_vsi *v)
{
	return v->state == VDP_ST_PROCWAIT || v->state == VDP_ST_KAWAIT ||
	       v->state == VDP_ST_DEAWAIT;
}

/* The TLV type whose reply the station waits for (0: none). */
static uint8_t st_outstanding(const struct vdp_vsi *v)
{
	switch (v->state) {
	case VDP_ST_PROCWAIT:
		return v->cmd;
	case VDP_ST_KAWAIT:
		return v->confirmed;
	case VDP_ST_DEAWAIT:
		return VDP_TLV_DEASSOC;
	default:
		return 0;
	}
}

/* Status octet of what the station sends in its current state: the request's
 * M/S hints, none on keep-alives. */
static uint8_t st_tx_status(const struct vdp_vsi *v)
{
	return v->state == VDP_ST_KAWAIT ? 0 : st_hints(v);
}

static void st_set_result(struct vdp_vsi *v, struct vdp_sm_out *out, uint8_t result, uint8_t reason)
{
	if (v->result != result || v->reason != reason)
		out->notify = true;
	v->result = result;
	v->reason = reason;
}

/* Send the outstanding TLV of the current waiting state, wait for the reply. */
static void st_transmit(struct vdp_vsi *v, const struct vdp_st_params *p, uint64_t now,
			struct vdp_sm_out *out)
{
	uint64_t wait = p->resp_wait_us;

	/* A keep-alive whose reply is lost is repeated after one
	 * reinitKeepAlive, not after respWaitDelay: the bridge's toutKeepAlive
	 * counts from the last keep-alive it received and, with RWD = RKA,
	 * equals respWaitDelay, so the later retry would race the bridge
	 * dropping the VSI.  (Not confirmed by the standard; lldpad gives up.) */
	if (v->state == VDP_ST_KAWAIT && p->keepalive_us < wait)
		wait = p->keepalive_us;
	sm_send(out, st_outstanding(v), st_tx_status(v));
	out->deadline = now + wait;
}

/* PROC / TXMIT_DEASSOC: a new exchange for v->cmd. */
static void st_start(struct vdp_vsi *v, const struct vdp_st_params *p, uint64_t now,
		     struct vdp_sm_out *out)
{
	st_change_state(v, out, v->cmd == VDP_TLV_DEASSOC ? VDP_ST_DEAWAIT : VDP_ST_PROCWAIT);
	v->tries = 1;
	st_transmit(v, p, now, out);
}

/* WAIT_SYSCMD: a state is in force, reinitKeepAlive running. */
static void st_wait_syscmd(struct vdp_vsi *v, const struct vdp_st_params *p, uint64_t now,
			   struct vdp_sm_out *out)
{
	st_change_state(v, out, VDP_ST_WAIT_SYSCMD);
	v->tries = 0;
	out->deadline = now + p->keepalive_us;
}

static void st_end(struct vdp_vsi *v, struct vdp_sm_out *out, uint8_t result, uint8_t reason)
{
	st_change_state(v, out, VDP_ST_END);
	v->tries = 0;
	v->flags &= (uint8_t)~VSI_F_LINKDOWN;
	v->result = result;
	v->reason = reason;
	out->notify = true;
	out->remove = true;
	out->deadline = 0;
}

static void st_fail(struct vdp_vsi *v, struct vdp_sm_out *out, uint8_t reason)
{
	v->n_fail++;
	st_end(v, out, VSI_FAILED, reason);
}

/* Nothing of this VSI ever reached the bridge (created, maybe link down). */
static bool st_nothing_sent(const struct vdp_vsi *v)
{
	return v->state == VDP_ST_INIT ||
	       (v->state == VDP_ST_LINKDOWN && !v->confirmed && !(v->flags & VSI_F_LINKDOWN));
}

static void st_cmd(struct vdp_vsi *v, const struct vdp_st_params *p, uint64_t now,
		   struct vdp_sm_out *out)
{
	if (!sm_is_vsi_type(v->cmd) || v->state == VDP_ST_END)
		return;
	if (v->cmd == VDP_TLV_DEASSOC && st_nothing_sent(v)) {
		st_end(v, out, VSI_DEASSOCIATED, 0);
		return;
	}
	v->result = VSI_PENDING;
	v->reason = 0;
	if (v->state == VDP_ST_LINKDOWN) {
		v->flags |= VSI_F_LINKDOWN; /* sent on link up */
		out->deadline = 0;
		return;
	}
	st_start(v, p, now, out);
}

/* Take the bridge's choices (VID 0 filled in, PS/PCP) from a matching reply. */
static void st_adopt_filters(struct vdp_vsi *v, const struct vdp_vsi_tlv *r)
{
	struct vdp_filter *f = vsi_filters_mut(v);

	for (uint16_t i = 0; i < v->nfilters; i++) {
		f[i].vid = r->filters[i].vid;
		f[i].ps = r->filters[i].ps;
		f[i].pcp = r->filters[i].pcp;
	}
}

/* A refusal with KEEP: what is in force stays, keep-alives go on. */
static void st_revert(struct vdp_vsi *v, uint8_t reason, const struct vdp_st_params *p,
		      uint64_t now, struct vdp_sm_out *out)
{
	v->n_fail++;
	v->n_revert++;
	vsi_restore(v); /* the filters of the refused command go */
	st_set_result(v, out, sm_result_of(v->confirmed), reason);
	st_wait_syscmd(v, p, now, out);
}

/* PROCWAIT_2: the reply to a command. */
static void st_cmd_reply(struct vdp_vsi *v, const struct vdp_vsi_tlv *r,
			 const struct vdp_st_params *p, uint64_t now, struct vdp_sm_out *out)
{
	uint8_t reason = r->status & VDP_STATUS_REASON;

	if (!reason) {
		v->confirmed = r->type;
		st_adopt_filters(v, r);
		vsi_drop_saved(v);
		v->n_ok++;
		st_set_result(v, out, sm_result_of(r->type), 0);
		st_wait_syscmd(v, p, now, out);
		return;
	}
	if (!(r->status & VDP_STATUS_KEEP) || !v->confirmed)
		st_fail(v, out, reason);
	else
		st_revert(v, reason, p, now, out);
}

/* KAWAIT_2: the reply to a keep-alive. */
static void st_ka_reply(struct vdp_vsi *v, const struct vdp_vsi_tlv *r,
			const struct vdp_st_params *p, uint64_t now, struct vdp_sm_out *out)
{
	uint8_t reason = r->status & VDP_STATUS_REASON;

	if (!reason) {
		st_wait_syscmd(v, p, now, out);
		return;
	}
	if (!(r->status & VDP_STATUS_KEEP)) {
		st_fail(v, out, reason);
		return;
	}
	if (v->confirmed != VDP_TLV_ASSOC) {
		st_revert(v, reason, p, now, out);
		return;
	}
	/* TXMIT_DEASSOC: the bridge no longer holds the association. */
	v->n_fail++;
	v->reason = reason;
	v->cmd = VDP_TLV_DEASSOC;
	v->hints = 0;
	st_start(v, p, now, out);
}

/* A De-Associate response: the answer to ours, or a refusal of a request. */
static void st_deassoc_reply(struct vdp_vsi *v, uint8_t reason, struct vdp_sm_out *out)
{
	if (v->state != VDP_ST_DEAWAIT) {
		st_fail(v, out, reason);
		return;
	}
	if (reason)
		v->n_fail++;
	else
		v->n_ok++;
	/* Keep the reason that made us de-associate (keep-alive refused). */
	st_end(v, out, VSI_DEASSOCIATED, reason ? reason : v->reason);
}

static void st_reply(struct vdp_vsi *v, const struct vdp_vsi_tlv *r, const struct vdp_st_params *p,
		     uint64_t now, struct vdp_sm_out *out)
{
	uint8_t want = st_outstanding(v);
	uint8_t reason;

	if (!r || !want)
		return;
	reason = r->status & VDP_STATUS_REASON;
	/* A failed De-Associate reply to a request is the bridge refusing it;
	 * any other type than the one outstanding is stale. */
	if (r->type != want && !(r->type == VDP_TLV_DEASSOC && reason))
		return;
	/* The bridge granting what was in force while a change is pending:
	 * the late answer to a keep-alive sent before the change, not the
	 * change's answer (which carries the new filters). */
	if (!reason && v->state == VDP_ST_PROCWAIT && !vsi_filters_match(v, r, true) &&
	    vsi_saved_match(v, r))
		return;
	v->status = r->status;
	if (r->type == VDP_TLV_DEASSOC) {
		st_deassoc_reply(v, reason, out);
		return;
	}
	if (!vsi_filters_match(v, r, true)) {
		st_fail(v, out, VDP_RSN_INVALID_ID);
		return;
	}
	if (v->state == VDP_ST_KAWAIT)
		st_ka_reply(v, r, p, now, out);
	else
		st_cmd_reply(v, r, p, now, out);
}

/* respWaitDelay expired or ECP gave up: send again or give up. */
static void st_retry(struct vdp_vsi *v, const struct vdp_st_params *p, uint64_t now,
		     struct vdp_sm_out *out)
{
	/* tries counts the first send too: max_tries 0 behaves as 1 */
	if (v->tries < p->max_tries) {
		v->tries++;
		st_transmit(v, p, now, out);
		return;
	}
	v->n_fail++;
	/* A De-Associate that gets no answer ends the VSI all the same. */
	st_end(v, out, v->state == VDP_ST_DEAWAIT ? VSI_DEASSOCIATED : VSI_FAILED, v->reason);
}

static void st_timer(struct vdp_vsi *v, const struct vdp_st_params *p, uint64_t now,
		     struct vdp_sm_out *out)
{
	if (v->state == VDP_ST_WAIT_SYSCMD && v->confirmed) {
		/* TXMIT_KA */
		st_change_state(v, out, VDP_ST_KAWAIT);
		v->tries = 1;
		st_transmit(v, p, now, out);
	} else if (st_waiting(v)) {
		st_retry(v, p, now, out);
	}
}

static void st_bridge_deassoc(struct vdp_vsi *v, const struct vdp_vsi_tlv *r,
			      struct vdp_sm_out *out)
{
	if (v->state == VDP_ST_INIT || v->state == VDP_ST_END)
		return;
	v->status = r ? r->status : 0;
	st_end(v, out, VSI_DEASSOCIATED, v->status & VDP_STATUS_REASON);
}

static void st_link_down(struct vdp_vsi *v, struct vdp_sm_out *out)
{
	if (v->state == VDP_ST_LINKDOWN || v->state == VDP_ST_END)
		return;
	if (st_waiting(v))
		v->flags |= VSI_F_LINKDOWN;
	st_change_state(v, out, VDP_ST_LINKDOWN);
	v->tries = 0;
	out->deadline = 0;
}

static void st_link_up(struct vdp_vsi *v, const struct vdp_st_params *p, uint64_t now,
		       struct vdp_sm_out *out)
{
	if (v->state != VDP_ST_LINKDOWN)
		return;
	v->flags &= (uint8_t)~VSI_F_LINKDOWN;
	if (!sm_is_vsi_type(v->cmd)) {
		st_change_state(v, out, VDP_ST_INIT);
		out->deadline = 0;
		return;
	}
	if (v->cmd != v->confirmed)
		v->result = VSI_PENDING;
	st_start(v, p, now, out);
}

void vdp_station_step(struct vdp_vsi *v, enum vdp_st_event ev, const struct vdp_vsi_tlv *reply,
		      const struct vdp_st_params *p, uint64_t now, struct vdp_sm_out *out)
{
	sm_begin(v, (uint8_t)ev, out);
	switch (ev) {
	case VDP_ST_EV_CMD:
		st_cmd(v, p, now, out);
		break;
	case VDP_ST_EV_REPLY:
		st_reply(v, reply, p, now, out);
		break;
	case VDP_ST_EV_BRIDGE_DEASSOC:
		st_bridge_deassoc(v, reply, out);
		break;
	case VDP_ST_EV_TIMER:
		st_timer(v, p, now, out);
		break;
	case VDP_ST_EV_TX_FAILED:
		/* ECP gave up.  A keep-alive is repeated at once: the bridge's
		 * toutKeepAlive is running.  A command's answer may still come
		 * (a stalled bridge -- lldpad under load was seen 90 ms late --
		 * reads the frames later): it is retried when the wait runs out. */
		if (v->state == VDP_ST_KAWAIT)
			st_retry(v, p, now, out);
		break;
	case VDP_ST_EV_LINK_DOWN:
		st_link_down(v, out);
		break;
	case VDP_ST_EV_LINK_UP:
		st_link_up(v, p, now, out);
		break;
	}
}

const char *vdp_st_state_name(uint8_t state)
{
	static const char *const names[] = {
	    [VDP_ST_INIT] = "init",
	    [VDP_ST_PROCWAIT] = "procwait",
	    [VDP_ST_WAIT_SYSCMD] = "wait-syscmd",
	    [VDP_ST_KAWAIT] = "kawait",
	    [VDP_ST_DEAWAIT] = "deawait",
	    [VDP_ST_LINKDOWN] = "linkdown",
	    [VDP_ST_END] = "end",
	};

	if (state >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[state];
}

const char *vdp_st_event_name(uint8_t ev)
{
	static const char *const names[] = {
	    [VDP_ST_EV_CMD] = "command",
	    [VDP_ST_EV_REPLY] = "reply",
	    [VDP_ST_EV_BRIDGE_DEASSOC] = "bridge-deassociate",
	    [VDP_ST_EV_TIMER] = "timer",
	    [VDP_ST_EV_TX_FAILED] = "ecp-failed",
	    [VDP_ST_EV_LINK_DOWN] = "link-down",
	    [VDP_ST_EV_LINK_UP] = "link-up",
	};

	if (ev >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[ev];
}

/* ---------------- bridge ---------------- */

bool vdp_br_transition_ok(uint8_t from, uint8_t ev, uint8_t to)
{
	if (from >= VDP_BR_NSTATES || to >= VDP_BR_NSTATES)
		return false;
	return sm_allowed(br_table[from], VDP_BR_NEVENTS, from, ev, to);
}

/* Every bridge state change: checked against br_table from the state the
 * step started in. */
static void br_change_state(struct vdp_vsi *v, struct vdp_sm_out *out, enum vdp_br_state to)
{
	sm_set_state(v, out, (uint8_t)to,
		     vdp_br_transition_ok(out->start, out->event, (uint8_t)to));
}

static void br_reply(struct vdp_vsi *v, struct vdp_sm_out *out, uint8_t type, uint8_t status)
{
	sm_send(out, type, status);
	v->status = status;
}

static void br_unbind(struct vdp_vsi *v, struct vdp_sm_out *out)
{
	if (!(v->flags & VSI_F_BOUND))
		return;
	v->flags &= (uint8_t)~VSI_F_BOUND;
	out->unbind = true;
}

static void br_end(struct vdp_vsi *v, struct vdp_sm_out *out)
{
	br_unbind(v, out);
	br_change_state(v, out, VDP_BR_END);
	v->confirmed = 0;
	v->result = VSI_DEASSOCIATED;
	out->notify = true;
	out->remove = true;
	out->deadline = 0;
}

/* WAITCMD: a state is in force, toutKeepAlive running. */
static void br_waitcmd(struct vdp_vsi *v, const struct vdp_br_params *p, uint64_t now,
		       struct vdp_sm_out *out)
{
	br_change_state(v, out, VDP_BR_WAITCMD);
	out->deadline = now + p->tout_keepalive_us;
}

uint64_t vdp_br_resume_wait_us(const struct vdp_br_params *p)
{
	return p->resume_wait_us > p->tout_keepalive_us ? p->resume_wait_us : p->tout_keepalive_us;
}

/* DEASSOCIATED: tell the station with an unsolicited De-Associate. */
static void br_deassociate(struct vdp_vsi *v, struct vdp_sm_out *out)
{
	br_reply(v, out, VDP_TLV_DEASSOC, 0);
	v->reason = 0;
	br_end(v, out);
}

/* Copy what the station asks for into v (the policy reads it from there). */
static int br_store_request(struct vdp_vsi *v, const struct vdp_vsi_tlv *req)
{
	int rc;

	/* A change to what is in force may be refused with KEEP. */
	if (v->confirmed && vsi_save(v) < 0)
		return -ENOMEM;
	v->type_id = req->type_id & 0xffffff;
	v->type_ver = req->type_ver;
	rc = vsi_set_filters(v, req->fif, req->filters, req->nfilters);
	if (rc < 0)
		return rc;
	return vsi_set_org(v, req->org, req->org_len);
}

/* A keep-alive: the type in force with the same VSI type and filters. */
static bool br_same_request(const struct vdp_vsi *v, const struct vdp_vsi_tlv *req)
{
	return req->type == v->confirmed && (req->type_id & 0xffffff) == v->type_id &&
	       req->type_ver == v->type_ver && vsi_filters_match(v, req, false);
}

static uint8_t br_refusal_status(uint8_t reason, bool hard, bool keep)
{
	reason &= VDP_STATUS_REASON;
	if (!reason)
		reason = VDP_RSN_OTHER; /* a refusal must not read as success */
	return (uint8_t)(VDP_STATUS_RESPONSE | reason | (keep ? VDP_STATUS_KEEP : 0) |
			 (hard ? VDP_STATUS_HARD : 0));
}

/* KEEP: refuse v->cmd, what was in force stays (or the VSI ends if nothing was). */
static void br_refuse_keep(struct vdp_vsi *v, uint8_t reason, bool hard,
			   const struct vdp_br_params *p, uint64_t now, struct vdp_sm_out *out)
{
	uint8_t status = br_refusal_status(reason, hard, true);

	br_reply(v, out, v->cmd, status);
	/* The reply echoes the request (lldpad stations check the filters of
	 * every reply); then what is in force comes back. */
	out->restore = true;
	v->reason = status & VDP_STATUS_REASON;
	v->n_fail++;
	v->n_revert++;
	if (!v->confirmed) {
		br_end(v, out);
		return;
	}
	out->notify = true;
	br_waitcmd(v, p, now, out);
}

/* DEASSOC: refuse with a De-Associate reply and end the VSI. */
static void br_refuse(struct vdp_vsi *v, uint8_t reason, bool hard, struct vdp_sm_out *out)
{
	uint8_t status = br_refusal_status(reason, hard, false);

	br_reply(v, out, VDP_TLV_DEASSOC, status);
	v->reason = status & VDP_STATUS_REASON;
	v->n_fail++;
	br_end(v, out);
}

/* The policy (or resource shortage) says no to v->cmd. */
static void br_refuse_cmd(struct vdp_vsi *v, bool keep, uint8_t reason, bool hard,
			  const struct vdp_br_params *p, uint64_t now, struct vdp_sm_out *out)
{
	if (keep)
		br_refuse_keep(v, reason, hard, p, now, out);
	else
		br_refuse(v, reason, hard, out);
}

/* SEND: v->cmd is granted. */
static int br_grant(struct vdp_vsi *v, const struct vdp_decision *dec,
		    const struct vdp_br_params *p, uint64_t now, struct vdp_sm_out *out)
{
	if (dec->filters && dec->nfilters &&
	    vsi_set_filters(v, v->fif, dec->filters, dec->nfilters) < 0)
		return -1;
	if (v->cmd == VDP_TLV_ASSOC && !(v->flags & VSI_F_BOUND)) {
		v->flags |= VSI_F_BOUND;
		out->bind = true;
	} else if (v->cmd != VDP_TLV_ASSOC) {
		br_unbind(v, out);
	}
	vsi_drop_saved(v);
	v->confirmed = v->cmd;
	v->result = sm_result_of(v->cmd);
	v->reason = 0;
	v->n_ok++;
	br_reply(v, out, v->cmd, VDP_STATUS_RESPONSE);
	out->notify = true;
	br_waitcmd(v, p, now, out);
	return 0;
}

static void br_decision(struct vdp_vsi *v, const struct vdp_decision *dec,
			const struct vdp_br_params *p, uint64_t now, struct vdp_sm_out *out)
{
	if (!dec || v->state != VDP_BR_PROCESS)
		return;
	switch (dec->verdict) {
	case VDP_GRANT:
		if (br_grant(v, dec, p, now, out) < 0)
			br_refuse_cmd(v, v->confirmed != 0, VDP_RSN_NO_RESOURCES, false, p, now,
				      out);
		break;
	case VDP_REFUSE_KEEP:
		br_refuse_keep(v, dec->reason, dec->hard, p, now, out);
		break;
	default:
		br_refuse(v, dec->reason, dec->hard, out);
		break;
	}
}

/* De-Associate from the station: always granted, also for an unknown VSI. */
static void br_deassoc_request(struct vdp_vsi *v, const struct vdp_vsi_tlv *req,
			       struct vdp_sm_out *out)
{
	/* Answer with the filters in force; an unknown VSI echoes the request. */
	if (!v->nfilters)
		(void)br_store_request(v, req);
	v->cmd = VDP_TLV_DEASSOC;
	v->reason = 0;
	v->n_ok++;
	br_reply(v, out, VDP_TLV_DEASSOC, VDP_STATUS_RESPONSE);
	br_end(v, out);
}

static void br_request(struct vdp_vsi *v, const struct vdp_vsi_tlv *req,
		       const struct vdp_br_params *p, uint64_t now, struct vdp_sm_out *out)
{
	if (!req || !sm_is_vsi_type(req->type) || v->state == VDP_BR_END)
		return;
	if (req->type == VDP_TLV_DEASSOC) {
		br_deassoc_request(v, req, out);
		return;
	}
	if (v->state == VDP_BR_PROCESS)
		return; /* still deciding the previous request */
	if (v->state == VDP_BR_WAITCMD && br_same_request(v, req)) {
		/* ALIVE */
		br_reply(v, out, req->type, VDP_STATUS_RESPONSE);
		v->reason = 0;
		br_waitcmd(v, p, now, out);
		return;
	}
	v->cmd = req->type;
	br_change_state(v, out, VDP_BR_PROCESS);
	if (br_store_request(v, req) < 0) {
		br_refuse_cmd(v, v->confirmed != 0, VDP_RSN_NO_RESOURCES, false, p, now, out);
		return;
	}
	out->decide = true;
	out->deadline = now + p->resource_wait_us;
}

static void br_timer(struct vdp_vsi *v, const struct vdp_br_params *p, uint64_t now,
		     struct vdp_sm_out *out)
{
	if (v->state == VDP_BR_PROCESS)
		br_refuse_cmd(v, v->confirmed != 0, VDP_RSN_NO_MANAGER, false, p, now, out);
	else if (v->state == VDP_BR_WAITCMD)
		br_deassociate(v, out); /* toutKeepAlive: the station went silent */
}

static void br_admin_deassoc(struct vdp_vsi *v, struct vdp_sm_out *out)
{
	if (v->state == VDP_BR_END)
		return;
	if (v->state == VDP_BR_INIT)
		br_end(v, out); /* nothing was said to the station yet */
	else
		br_deassociate(v, out);
}

void vdp_bridge_step(struct vdp_vsi *v, enum vdp_br_event ev, const struct vdp_vsi_tlv *req,
		     const struct vdp_decision *dec, const struct vdp_br_params *p, uint64_t now,
		     struct vdp_sm_out *out)
{
	sm_begin(v, (uint8_t)ev, out);
	switch (ev) {
	case VDP_BR_EV_REQUEST:
		br_request(v, req, p, now, out);
		break;
	case VDP_BR_EV_DECISION:
		br_decision(v, dec, p, now, out);
		break;
	case VDP_BR_EV_TIMER:
		br_timer(v, p, now, out);
		break;
	case VDP_BR_EV_ADMIN_DEASSOC:
		br_admin_deassoc(v, out);
		break;
	case VDP_BR_EV_TX_FAILED:
		break;
	case VDP_BR_EV_RESTORED:
		if (v->state == VDP_BR_INIT) {
			br_waitcmd(v, p, now, out);
			out->deadline = now + vdp_br_resume_wait_us(p);
		}
		break;
	}
}

const char *vdp_br_event_name(uint8_t ev)
{
	static const char *const names[] = {
	    [VDP_BR_EV_REQUEST] = "request",	  [VDP_BR_EV_DECISION] = "decision",
	    [VDP_BR_EV_TIMER] = "timer",	  [VDP_BR_EV_ADMIN_DEASSOC] = "admin-deassociate",
	    [VDP_BR_EV_TX_FAILED] = "ecp-failed", [VDP_BR_EV_RESTORED] = "restored",
	};

	if (ev >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[ev];
}

const char *vdp_br_state_name(uint8_t state)
{
	static const char *const names[] = {
	    [VDP_BR_INIT] = "init",
	    [VDP_BR_PROCESS] = "process",
	    [VDP_BR_WAITCMD] = "waitcmd",
	    [VDP_BR_END] = "end",
	};

	if (state >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[state];
}
