/* SPDX-License-Identifier: ISC */
/*
 * vdp_port.c - one port's ECP + VDP engine (see vdp_port.h): receive
 * dispatch, machine action application, the ack-clocked transmit pump, and
 * timer processing.
 */
#include "vdp_port.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "eth.h"
#include "vdp_pack.h"

static const uint8_t ecp_dst[6] = MAC_NEAREST_CUSTOMER_BRIDGE;

#define VDP_STATION_TRIES 3 /* VDP-level attempts per exchange (see vdp_sm.h) */

static void set_params(struct vdp_port *p, const struct evb_oper *o)
{
	p->oper = *o;
	p->st.resp_wait_us = evb_resp_wait_us(o);
	p->st.keepalive_us = evb_reinit_keepalive_us(o);
	p->st.max_tries = VDP_STATION_TRIES;
	p->br.resource_wait_us = evb_resource_wait_us(o);
	p->br.tout_keepalive_us = evb_tout_keepalive_us(o);
	p->br.resume_wait_us = p->st.resp_wait_us + p->br.tout_keepalive_us;
	ecp_tx_set_timers(&p->tx, o->r, evb_ack_timer_us(o));
	/* Signs of loss that come within one response wait of an increase may
	 * be about frames sent before it. */
	ecp_pace_set_hold(&p->pace, p->st.resp_wait_us + evb_ack_timer_us(o) * (o->r + 1u));
	/* 64 paced ECPDUs (some 2,700 VSIs) fit in one response wait. */
	ecp_pace_set_bound(&p->pace, p->st.resp_wait_us / 64);
}

int vdp_port_init(struct vdp_port *p, enum evb_role role, const uint8_t mac[6],
		  const struct vdp_port_ops *ops, void *ctx, uint16_t first_seq)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	memcpy(p->mac, mac, 6);
	p->ops = ops;
	p->ctx = ctx;
	struct evb_local l;
	evb_local_defaults(&l, role);
	struct evb_oper o = {.r = l.r, .rte = l.rte, .rwd = l.rwd, .rka = l.rka};
	ecp_tx_init(&p->tx, ECP_SUBTYPE_VDP, o.r, evb_ack_timer_us(&o), first_seq);
	ecp_rx_init(&p->rx);
	ecp_pace_init(&p->pace, false, 0, 0);
	set_params(p, &o);
	dl_heap_init(&p->timers);
	txq_init(&p->q);
	if (role == EVB_ROLE_BRIDGE)
		vdp_port_set_limits(p, VDP_PORT_MAX_VSIS, VDP_PORT_MAX_FILTERS, VDP_PORT_TX_QUEUE);
	return vsi_table_init(&p->vsis, 1024);
}

void vdp_port_set_limits(struct vdp_port *p, size_t max_vsis, uint16_t max_filters, size_t tx_queue)
{
	if (p->role != EVB_ROLE_BRIDGE)
		return;
	p->max_vsis = max_vsis;
	p->max_filters = max_filters;
	p->q.max = tx_queue;
}

void vdp_port_set_pace(struct vdp_port *p, bool fixed, uint64_t gap_us, uint64_t now)
{
	struct ecp_pace old = p->pace;
	ecp_pace_init(&p->pace, fixed, gap_us, now);
	ecp_pace_set_hold(&p->pace, old.hold_us);
	ecp_pace_set_bound(&p->pace, old.bound_us);
}

/* The peer showed that it lost a frame; sign counts it by kind. */
static void pace_loss(struct vdp_port *p, uint32_t *sign, uint64_t now)
{
	(*sign)++;
	if (p->ecp_fail_at && now - p->ecp_fail_at < p->pace.hold_us)
		return;
	enum ecp_pace_change ch = ecp_pace_loss(&p->pace, now);
	if (ch != ECP_PACE_SAME && p->ops->paced)
		p->ops->paced(p->ctx, p, ch);
}

void vdp_port_free(struct vdp_port *p)
{
	dl_heap_free(&p->timers); /* first: it resets the nodes inside the VSIs */
	vsi_table_free(&p->vsis);
	txq_free(&p->q);
}

/* ---------------- VSI table with per-result counts ---------------- */

static void tally(struct vdp_port *p, uint8_t result, int delta)
{
	if (result < VSI_RESULTS)
		p->by_result[result] += (uint32_t)delta;
}

/* Insert v and count it: 0, -EEXIST or -ENOMEM (not inserted).  A table
 * that could not grow still holds v: that is slower lookups, not a failure. */
static int table_insert(struct vdp_port *p, struct vdp_vsi *v)
{
	int err = vsi_table_insert(&p->vsis, v);
	if (err < 0)
		return err;
	tally(p, v->result, 1);
	return 0;
}

static void table_drop(struct vdp_port *p, struct vdp_vsi *v)
{
	if (v->station)
		p->stations[v->station - 1].vsis--;
	tally(p, v->result, -1);
	vsi_table_remove(&p->vsis, v);
	vsi_free(v);
}

static void result_changed(struct vdp_port *p, uint8_t before, const struct vdp_vsi *v)
{
	if (before != v->result) {
		tally(p, before, -1);
		tally(p, v->result, 1);
	}
}

/* ---------------- transmit ---------------- */

static void send_ecpdu(struct vdp_port *p, const uint8_t *pdu, size_t len)
{
	uint8_t frame[ETH_HDR_LEN + ETH_MAX_PAYLOAD];
	int n = eth_build(ecp_dst, p->mac, ETHERTYPE_ECP, pdu, len, frame, sizeof(frame));
	if (n > 0 && p->ops->send)
		p->ops->send(p->ctx, frame, (size_t)n);
}

static void send_outstanding(struct vdp_port *p)
{
	uint8_t pdu[ECP_HDR_LEN + ECP_MAX_ULPDU];
	int n = ecp_tx_pdu(&p->tx, pdu, sizeof(pdu));
	if (n > 0)
		send_ecpdu(p, pdu, (size_t)n);
}

uint64_t vdp_port_cadence(const struct vdp_port *p)
{
	return p->cad_gap;
}

/* A new ECP request of the peer, with nvsi VSI TLVs, arrived at `at`: a
 * sample of its cadence unless (station, ours) one of our ECPDUs left
 * since its previous one: its answers wait for our requests, their gaps
 * are ours.  The peer is clocked by its ack timer when, among at least
 * VDP_CADENCE_MIN gaps of a window, the VDP_CADENCE_K-th least is 0.9 .. 2
 * ackTimers (the negotiated one: lldpad's gaps are its ack timer and a
 * little); it is not when that one is shorter (one is not enough: lldpad
 * sends a rare pair closer).  An ECPDU of more or fewer than one VSI TLV
 * counts as a short gap: lldpad sends one VSI per ECPDU, a backlogged evbd
 * packs them (its gaps then are its own load, not a clock).  Returns
 * whether a cadence was known before. */
static bool cadence_sample(struct vdp_port *p, uint64_t at, unsigned nvsi, bool ours)
{
	bool had = p->cad_gap;
	bool own = p->role == EVB_ROLE_BRIDGE || !ours;
	if (own && p->peer_req_at && at > p->peer_req_at) {
		uint64_t gap = nvsi == 1 ? at - p->peer_req_at : 1, g = gap;
		uint64_t *l = p->cad_least; /* ascending, 0 = empty */
		for (unsigned i = 0; i < VDP_CADENCE_K && g; i++)
			if (!l[i] || g < l[i]) {
				uint64_t t = l[i];
				l[i] = g;
				g = t;
			}
		uint64_t lo = p->tx.ack_us * 9 / 10, least = l[VDP_CADENCE_K - 1];
		if (least && least < lo)
			p->cad_gap = 0;
		else if (least && p->cad_n + 1 >= VDP_CADENCE_MIN && least <= 2 * p->tx.ack_us)
			p->cad_gap = least;
		if (++p->cad_n >= VDP_PACE_WINDOW) {
			memset(l, 0, sizeof(p->cad_least));
			p->cad_n = 0;
		}
	}
	p->peer_req_at = at;
	p->tx_since_peer = false;
	if (had != !!p->cad_gap && p->ops->cadence)
		p->ops->cadence(p->ctx, p, p->cad_gap);
	return had;
}

/* If ECP is idle (and the pacing gap has passed), pack the next ULPDU from
 * the queue and send it.
 *
 * Every ULPDU ends with an End TLV (00 00).  The standard does not need it
 * and lldpad stopped sending it in 2014, but lldpad's VDP receiver parses
 * its one input buffer up to a zero TLV header rather than up to the
 * received length: without it a short VDPDU after a long one has the old
 * VSI TLVs re-processed (seen: 592 requests answered 13,452 times; see
 * docs/interop.md).  To a standard receiver it is padding. */
static void pump(struct vdp_port *p, uint64_t now)
{
	if (!p->running || p->tx_hold || !ecp_tx_idle(&p->tx) || !p->q.count || now < p->tx_next)
		return;
	uint8_t ulpdu[ECP_MAX_ULPDU];
	size_t cap = p->ulpdu_max && p->ulpdu_max < sizeof(ulpdu) ? p->ulpdu_max : sizeof(ulpdu);
	struct vdp_packer pk;
	vdp_pack_begin(&pk, ulpdu, cap - VDP_TLV_HDR_LEN);
	if (!txq_pack(&p->q, &pk))
		return;
	size_t len = vdp_pack_len(&pk);
	memset(ulpdu + len, 0, VDP_TLV_HDR_LEN);
	len += VDP_TLV_HDR_LEN;
	if (ecp_tx_start(&p->tx, ulpdu, len, now, &p->ecp) == ECP_TX_SEND) {
		p->tx_since_peer = true;
		send_outstanding(p);
	}
}

static void send_ack(struct vdp_port *p, uint16_t subtype, uint16_t seq)
{
	uint8_t pdu[ECP_HDR_LEN];
	if (ecp_build_ack(subtype, seq, pdu, sizeof(pdu)) == ECP_HDR_LEN)
		send_ecpdu(p, pdu, sizeof(pdu));
}

static void queue_tlv(struct vdp_port *p, const uint8_t *mgrid, const struct vdp_vsi_tlv *t)
{
	if (txq_push(&p->q, mgrid, t))
		p->stats.tx_dropped++;
}

/* ---------------- machine actions ---------------- */

static void step(struct vdp_port *p, struct vdp_vsi *v, int ev, const struct vdp_vsi_tlv *tlv,
		 const struct vdp_decision *dec, uint64_t now);

static void ask_policy(struct vdp_port *p, struct vdp_vsi *v, uint64_t now)
{
	struct vdp_decision dec = {.verdict = VDP_GRANT};
	if (p->ops->decide && p->ops->decide(p->ctx, p, v, &dec) == -EINPROGRESS)
		return;
	step(p, v, VDP_BR_EV_DECISION, NULL, &dec, now);
}

static void apply(struct vdp_port *p, struct vdp_vsi *v, const struct vdp_sm_out *out, uint64_t now)
{
	if (out->send) {
		struct vdp_vsi_tlv t;
		vsi_to_tlv(v, out->tx_type, out->tx_status, &t);
		queue_tlv(p, v->mgrid, &t);
	}
	if (out->restore)
		vsi_restore(v);
	if (out->deadline && !out->remove)
		dl_set(&p->timers, &v->timer, out->deadline);
	else
		dl_cancel(&p->timers, &v->timer);
	if ((out->notify || out->bind || out->unbind || out->remove) && p->ops->vsi_changed)
		p->ops->vsi_changed(p->ctx, p, v, out);
	if (out->remove) {
		table_drop(p, v);
		return;
	}
	if (out->decide)
		ask_policy(p, v, now);
}

/* The state changes of one step, to ops->vsi_state; illegal ones counted. */
static void report_states(struct vdp_port *p, const struct vdp_vsi *v, const struct vdp_sm_out *out)
{
	p->stats.sm_illegal += out->illegal;
	if (!p->ops->vsi_state)
		return;
	for (uint8_t i = 0; i < out->ntrans; i++)
		p->ops->vsi_state(p->ctx, p, v, &out->trans[i], out->event);
}

static void step(struct vdp_port *p, struct vdp_vsi *v, int ev, const struct vdp_vsi_tlv *tlv,
		 const struct vdp_decision *dec, uint64_t now)
{
	struct vdp_sm_out out;
	uint8_t before = v->result;
	if (p->role == EVB_ROLE_STATION)
		vdp_station_step(v, (enum vdp_st_event)ev, tlv, &p->st, now, &out);
	else
		vdp_bridge_step(v, (enum vdp_br_event)ev, tlv, dec, &p->br, now, &out);
	report_states(p, v, &out);
	result_changed(p, before, v);
	apply(p, v, &out, now);
}

/* ---------------- receive ---------------- */

static struct vdp_vsi *find(struct vdp_port *p, const struct vdp_vsi_tlv *t)
{
	struct vdp_vsi_key k = {.fmt = t->vsiid_fmt};
	memcpy(k.id, t->vsiid, sizeof(k.id));
	return vsi_table_find(&p->vsis, &k);
}

static void station_rx_vsi(struct vdp_port *p, const struct vdp_item *it, uint64_t now)
{
	const struct vdp_vsi_tlv *t = &it->vsi;
	bool response = t->status & VDP_STATUS_RESPONSE;
	if (!response && t->type != VDP_TLV_DEASSOC) {
		p->stats.rx_wrong_dir++;
		return;
	}
	struct vdp_vsi *v = find(p, t);
	if (!v) {
		p->stats.rx_unknown_vsi++;
		return;
	}
	/* An answer to a repeated request, or to none outstanding (the peer
	 * answered one request twice: it lost the VDPDU of another). */
	bool waiting =
	    v->state == VDP_ST_PROCWAIT || v->state == VDP_ST_KAWAIT || v->state == VDP_ST_DEAWAIT;
	if (response && (!waiting || v->tries > 1))
		pace_loss(p, &p->stats.pace_answers, now);
	step(p, v, response ? VDP_ST_EV_REPLY : VDP_ST_EV_BRIDGE_DEASSOC, t, NULL, now);
}

/* A request that finds the transmit queue full is dropped before it touches
 * any state: its answer could not be sent, and the station repeats an
 * unanswered request after respWaitDelay (clause 41.5). */
static bool bridge_queue_full(struct vdp_port *p)
{
	if (!txq_full(&p->q))
		return false;
	p->stats.rx_queue_full++;
	return true;
}

/* Answer a request we cannot take without touching any VSI state: the
 * request echoed with the response bit and the reason (KEEP when a state is
 * in force for that VSI). */
static void bridge_refuse(struct vdp_port *p, const struct vdp_item *it, uint8_t reason)
{
	if (bridge_queue_full(p))
		return;
	struct vdp_vsi_tlv t = it->vsi;
	t.status = (uint8_t)(VDP_STATUS_RESPONSE | (reason & VDP_STATUS_REASON));
	struct vdp_vsi *v = find(p, &t);
	if (v && v->confirmed)
		t.status |= VDP_STATUS_KEEP;
	else if (t.type != VDP_TLV_DEASSOC)
		t.type = VDP_TLV_DEASSOC;
	queue_tlv(p, it->mgrid, &t);
}

size_t vdp_port_station_share(const struct vdp_port *p)
{
	if (p->station_share)
		return p->station_share;
	return p->max_vsis ? (p->max_vsis + 3) / 4 : 0;
}

static struct vdp_station *station_of(struct vdp_port *p, const uint8_t mac[6])
{
	for (unsigned i = 0; i < VDP_PORT_MAX_STATIONS; i++)
		if (p->stations[i].used && !memcmp(p->stations[i].mac, mac, 6))
			return &p->stations[i];
	return NULL;
}

/* May the station handled now (p->rx_station) create one more VSI?  Its
 * share, and room left for the bound station's (see vdp_port.h). */
static bool station_may_add(struct vdp_port *p)
{
	size_t share = vdp_port_station_share(p);
	if (!p->rx_station || !share)
		return true;
	const struct vdp_station *st = &p->stations[p->rx_station - 1];
	if (st->vsis >= share)
		return false;
	const struct vdp_station *first = p->src_bound ? station_of(p, p->src) : NULL;
	if (!p->src_bound || first == st || !p->max_vsis)
		return true;
	size_t held = first ? first->vsis : 0;
	size_t reserve = held < share ? share - held : 0;
	return p->vsis.count + reserve < p->max_vsis;
}

static struct vdp_vsi *bridge_new_vsi(struct vdp_port *p, const struct vdp_item *it, uint64_t now)
{
	if (p->max_vsis && p->vsis.count >= p->max_vsis) {
		p->stats.vsi_limit++;
		return NULL;
	}
	if (!station_may_add(p)) {
		p->stats.station_limit++;
		return NULL;
	}
	struct vdp_vsi_key k = {.fmt = it->vsi.vsiid_fmt};
	memcpy(k.id, it->vsi.vsiid, sizeof(k.id));
	struct vdp_vsi *v = vsi_new(&k, now);
	if (!v)
		return NULL;
	memcpy(v->mgrid, it->mgrid, VDP_MGRID_LEN);
	v->type_id = it->vsi.type_id;
	v->type_ver = it->vsi.type_ver;
	if (table_insert(p, v) < 0) {
		vsi_free(v);
		return NULL;
	}
	v->station = p->rx_station;
	if (v->station)
		p->stations[v->station - 1].vsis++;
	return v;
}

/* A request that repeats the one in force within half a reinitKeepAlive of
 * its answer: the station did not get the answer (keep-alives come a whole
 * reinitKeepAlive apart).  The answer armed toutKeepAlive. */
static bool bridge_repeated(const struct vdp_port *p, const struct vdp_vsi *v,
			    const struct vdp_vsi_tlv *t, uint64_t now)
{
	if (v->state != VDP_BR_WAITCMD || v->confirmed != t->type || v->timer.idx == DL_NONE ||
	    !vsi_filters_match(v, t, false))
		return false;
	if (v->timer.at > now + p->br.tout_keepalive_us)
		return false; /* armed by a restart or link-up, not by an answer */
	uint64_t answered = v->timer.at - p->br.tout_keepalive_us;
	return now < answered + p->st.keepalive_us / 2;
}

static void bridge_rx_vsi(struct vdp_port *p, const struct vdp_item *it, uint64_t now)
{
	const struct vdp_vsi_tlv *t = &it->vsi;
	if (t->status & VDP_STATUS_RESPONSE) {
		p->stats.rx_wrong_dir++;
		return;
	}
	if (bridge_queue_full(p))
		return;
	const char *what;
	uint8_t reason = vdp_vsi_tlv_check(t, p->oper.gid, &what);
	if (reason != VDP_RSN_SUCCESS && t->type != VDP_TLV_DEASSOC) {
		p->stats.rx_bad_vsi++;
		bridge_refuse(p, it, reason);
		return;
	}
	if (p->max_filters && t->nfilters > p->max_filters && t->type != VDP_TLV_DEASSOC) {
		p->stats.filter_limit++;
		bridge_refuse(p, it, VDP_RSN_NO_RESOURCES);
		return;
	}
	struct vdp_vsi *v = find(p, t);
	if (v && bridge_repeated(p, v, t, now))
		pace_loss(p, &p->stats.pace_repeats, now);
	if (!v)
		v = bridge_new_vsi(p, it, now);
	if (!v) {
		bridge_refuse(p, it, VDP_RSN_NO_RESOURCES);
		return;
	}
	if (t->type != VDP_TLV_DEASSOC) {
		memcpy(v->mgrid, it->mgrid, VDP_MGRID_LEN);
		v->type_id = t->type_id;
		v->type_ver = t->type_ver;
	}
	step(p, v, VDP_BR_EV_REQUEST, t, NULL, now);
}

/* The VSIs of a ULPDU looked up together (vsi_table_prefetch): an ECPDU
 * holds at most some 55 VSI TLVs. */
#define RX_PREFETCH_MAX 64

static void rx_prefetch(struct vdp_port *p, const uint8_t *ulpdu, size_t len)
{
	struct vdp_vsi_key keys[RX_PREFETCH_MAX];
	size_t n = 0;
	struct vdp_unpacker u;
	struct vdp_item it;
	enum vdp_item_kind k;
	vdp_unpack_begin(&u, ulpdu, len);
	while (n < RX_PREFETCH_MAX && (k = vdp_unpack_next(&u, &it)) != VDP_ITEM_END &&
	       k != VDP_ITEM_ERROR) {
		if (k != VDP_ITEM_VSI)
			continue;
		keys[n].fmt = it.vsi.vsiid_fmt;
		memcpy(keys[n].id, it.vsi.vsiid, sizeof(keys[n].id));
		n++;
	}
	vsi_table_prefetch(&p->vsis, keys, n);
}

/* Handle the VDPDU; returns the number of VSI TLVs it held. */
static unsigned rx_ulpdu(struct vdp_port *p, const uint8_t *ulpdu, size_t len, uint64_t now)
{
	static const uint8_t zero_mgrid[VDP_MGRID_LEN];
	struct vdp_unpacker u;
	struct vdp_item it;
	rx_prefetch(p, ulpdu, len);
	unsigned n = 0;
	vdp_unpack_begin(&u, ulpdu, len);
	for (;; n++) {
		switch (vdp_unpack_next(&u, &it)) {
		case VDP_ITEM_END:
			return n;
		case VDP_ITEM_ERROR:
			p->stats.rx_bad_tlv++;
			return n;
		case VDP_ITEM_SKIPPED:
			p->stats.rx_skipped++;
			n--;
			break;
		case VDP_ITEM_BAD_VSI:
			p->stats.rx_bad_vsi++;
			if (p->role == EVB_ROLE_BRIDGE && !(it.vsi.status & VDP_STATUS_RESPONSE)) {
				it.vsi.nfilters = 0;
				if (!it.have_mgrid)
					memcpy(it.mgrid, zero_mgrid, sizeof(zero_mgrid));
				bridge_refuse(p, &it, it.reason);
			}
			break;
		case VDP_ITEM_VSI:
			if (p->role == EVB_ROLE_STATION)
				station_rx_vsi(p, &it, now);
			else
				bridge_rx_vsi(p, &it, now);
			break;
		}
	}
}

/* ECP gave up on the ULPDU in p->tx.ulpdu: tell each VSI it carried. */
static void tx_failed(struct vdp_port *p, uint64_t now)
{
	p->ecp_fail_at = now ? now : 1;
	struct vdp_unpacker u;
	struct vdp_item it;
	int ev = p->role == EVB_ROLE_STATION ? (int)VDP_ST_EV_TX_FAILED : (int)VDP_BR_EV_TX_FAILED;
	vdp_unpack_begin(&u, p->tx.ulpdu, p->tx.len);
	while (vdp_unpack_next(&u, &it) == VDP_ITEM_VSI || it.kind == VDP_ITEM_SKIPPED) {
		if (it.kind != VDP_ITEM_VSI)
			continue;
		struct vdp_vsi *v = find(p, &it.vsi);
		if (v)
			step(p, v, ev, NULL, NULL, now);
	}
}

/* The gap after an ACK: the controller's, cut so that the queued TLVs
 * leave within half a respWaitDelay and the port's VSIs' keep-alives within
 * a quarter of a reinitKeepAlive; none when that leaves less than
 * VDP_PACE_MIN_US (see vdp_port.h). */
static uint64_t pace_gap(struct vdp_port *p)
{
	/* the burst's size, not what is left of it: the tail has waited since
	 * the burst began */
	p->q_burst = p->q.count > p->q_burst || !p->q.count ? p->q.count : p->q_burst;
	uint64_t gap = p->pace.gap_us;
	if (p->pace.fixed)
		return gap;
	if (gap < ECP_PACE_FIRST_US && vdp_port_cadence(p))
		gap = ECP_PACE_FIRST_US; /* a peer clocked by its ack timer (see pace) */
	if (!gap)
		return 0;
	uint64_t pdus = p->q_burst / VDP_PACE_PER_PDU + 1;
	uint64_t cut = p->st.resp_wait_us / 2 / pdus;
	uint64_t ka_pdus = p->vsis.count / VDP_PACE_PER_PDU + 1;
	uint64_t ka_cut = p->st.keepalive_us / 4 / ka_pdus;
	if (p->st.keepalive_us && ka_cut < cut)
		cut = ka_cut;
	if (cut < VDP_PACE_MIN_US)
		return 0;
	return gap < cut ? gap : cut;
}

/* Duplicate ECP requests as signs of loss (see vdp_port.h): one counts
 * when it arrived at least half an ackTimer after we acknowledged its
 * original.  One that arrived sooner, or before that ACK left (it waited in
 * the socket behind the original while we were busy), tells only that our
 * ACK came late. */
static void dup_sign(struct vdp_port *p, bool fresh, uint64_t now)
{
	if (fresh) {
		p->rx_fresh_at = now; /* the ACK has just left */
		if (++p->win_fresh >= VDP_PACE_WINDOW)
			p->win_fresh = p->win_dups = 0;
		return;
	}
	uint64_t at = p->rx_at && p->rx_at < now ? p->rx_at : now;
	if (at < p->rx_fresh_at || at - p->rx_fresh_at < p->tx.ack_us / 2)
		return;
	if (++p->win_dups == VDP_PACE_DUPS)
		pace_loss(p, &p->stats.pace_dups, now);
}

/* A received ECP payload, duplicates told by rx (the port's, or with
 * any_source the sender's). */
static int rx_with(struct vdp_port *p, struct ecp_rx *rx, const uint8_t *pl, size_t len,
		   uint64_t now)
{
	struct ecp_hdr h;
	if (ecp_hdr_decode(pl, len, &h)) {
		p->stats.rx_bad_ecp++;
		return -EINVAL;
	}
	if (h.subtype != ECP_SUBTYPE_VDP) {
		p->stats.rx_other_subtype++;
		return 0;
	}
	if (h.op == ECP_OP_ACK) {
		if (ecp_tx_ack(&p->tx, h.seq, &p->ecp) == ECP_TX_ACKED) {
			p->tx_acked_at = now;
			p->tx_next = now + pace_gap(p);
			pump(p, now);
		}
		return 0;
	}
	bool fresh = ecp_rx_request(rx, h.seq, &p->ecp);
	send_ack(p, h.subtype, h.seq);
	dup_sign(p, fresh, now);
	if (fresh) {
		bool ours = p->tx_since_peer; /* before the answers this one brings */
		unsigned n = rx_ulpdu(p, pl + ECP_HDR_LEN, len - ECP_HDR_LEN, now);
		uint64_t at = p->rx_at && p->rx_at < now ? p->rx_at : now;
		if (!cadence_sample(p, at, n, ours) && vdp_port_cadence(p) &&
		    p->tx_acked_at + pace_gap(p) > p->tx_next)
			p->tx_next = p->tx_acked_at + pace_gap(p); /* for what waits now too */
	}
	pump(p, now);
	return 0;
}

int vdp_port_rx(struct vdp_port *p, const uint8_t *pl, size_t len, uint64_t now)
{
	return rx_with(p, &p->rx, pl, len, now);
}

void vdp_port_bind(struct vdp_port *p, const uint8_t mac[6])
{
	if (!mac) {
		p->src_bound = false;
		return;
	}
	if (p->src_bound && !memcmp(p->src, mac, 6))
		return;
	if (p->src_bound && !p->any_source)
		ecp_rx_init(&p->rx); /* another station: its own sequence numbers */
	memcpy(p->src, mac, 6);
	p->src_bound = true;
}

/* A free slot for a new sender: unused, else the longest silent one that
 * holds no VSI; NULL when every slot holds VSIs. */
static struct vdp_station *station_slot(struct vdp_port *p)
{
	struct vdp_station *best = NULL;
	for (unsigned i = 0; i < VDP_PORT_MAX_STATIONS; i++) {
		struct vdp_station *st = &p->stations[i];
		if (!st->used)
			return st;
		if (!st->vsis && (!best || st->seen < best->seen))
			best = st;
	}
	return best;
}

/* any_source: each sender with its own ECP receive state and VSI count;
 * the first binds the port while no LLDP neighbour does. */
static int rx_any(struct vdp_port *p, const uint8_t src[6], const uint8_t *pl, size_t len,
		  uint64_t now)
{
	struct vdp_station *st = station_of(p, src);
	if (!st && (st = station_slot(p))) {
		*st = (struct vdp_station){.used = true};
		memcpy(st->mac, src, 6);
		ecp_rx_init(&st->rx);
	}
	if (!st) {
		p->stats.rx_other_src++;
		return -ENOSPC;
	}
	if (!p->src_bound) {
		memcpy(p->src, src, 6);
		p->src_bound = true;
	}
	st->seen = now;
	p->rx_station = (uint8_t)(st - p->stations + 1);
	int err = rx_with(p, &st->rx, pl, len, now);
	p->rx_station = 0;
	return err;
}

int vdp_port_rx_from(struct vdp_port *p, const uint8_t src[6], const uint8_t *pl, size_t len,
		     uint64_t now)
{
	struct ecp_hdr h;

	if (p->role != EVB_ROLE_BRIDGE || ecp_hdr_decode(pl, len, &h))
		return vdp_port_rx(p, pl, len, now);
	if (p->any_source)
		return rx_any(p, src, pl, len, now);
	if (!p->src_bound) {
		memcpy(p->src, src, 6);
		p->src_bound = true;
	} else if (memcmp(p->src, src, 6)) {
		p->stats.rx_other_src++;
		return -EPERM;
	}
	return vdp_port_rx(p, pl, len, now);
}

/* ---------------- commands ---------------- */

uint8_t vdp_request_check(const struct vdp_request *r, bool gid_ok, const char **what)
{
	*what = NULL;
	if (r->type < VDP_TLV_PREASSOC || r->type > VDP_TLV_DEASSOC) {
		*what = "unknown command";
		return VDP_RSN_INVALID_FMT;
	}
	if (r->type == VDP_TLV_DEASSOC)
		return VDP_RSN_SUCCESS;
	if (r->type_id > 0xffffff) {
		*what = "VSI type ID is wider than 24 bits";
		return VDP_RSN_INVALID_FMT;
	}
	struct vdp_vsi_tlv t = {.type = r->type,
				.type_id = r->type_id,
				.type_ver = r->type_ver,
				.vsiid_fmt = r->key.fmt,
				.fif = r->fif,
				.nfilters = r->nfilters,
				.filters = r->filters};
	memcpy(t.vsiid, r->key.id, sizeof(t.vsiid));
	return vdp_vsi_tlv_check(&t, gid_ok, what);
}

static int check_request(const struct vdp_port *p, const struct vdp_request *r, uint8_t *reason)
{
	const char *what;
	uint8_t rsn = vdp_request_check(r, p->oper.gid, &what);
	if (reason)
		*reason = rsn;
	return rsn == VDP_RSN_SUCCESS ? 0 : -EINVAL;
}

static int fill_vsi(struct vdp_vsi *v, const struct vdp_request *r)
{
	memcpy(v->mgrid, r->mgrid, VDP_MGRID_LEN);
	v->type_id = r->type_id;
	v->type_ver = r->type_ver;
	v->tag = r->tag;
	return vsi_set_filters(v, r->fif, r->filters, r->nfilters);
}

int vdp_port_request(struct vdp_port *p, const struct vdp_request *r, uint64_t now,
		     struct vdp_vsi **vp, uint8_t *reason)
{
	if (p->role != EVB_ROLE_STATION)
		return -EOPNOTSUPP;
	int err = check_request(p, r, reason);
	if (err)
		return err;
	struct vdp_vsi *v = vsi_table_find(&p->vsis, &r->key);
	if (!v && r->type == VDP_TLV_DEASSOC)
		return -ENOENT;
	if (!v) {
		v = vsi_new(&r->key, now);
		if (!v || table_insert(p, v) < 0) { /* not -EEXIST: not found above */
			vsi_free(v);
			return -ENOMEM;
		}
	}
	/* A change to what is in force may be refused with KEEP: keep a copy. */
	if (r->type != VDP_TLV_DEASSOC && v->confirmed && vsi_save(v))
		return -ENOMEM;
	if (r->type != VDP_TLV_DEASSOC && fill_vsi(v, r))
		return -ENOMEM;
	v->cmd = r->type;
	v->hints = r->hints & (VDP_STATUS_MBIT | VDP_STATUS_SBIT);
	if (vp)
		*vp = v;
	if (p->running) {
		step(p, v, VDP_ST_EV_CMD, NULL, NULL, now);
		/* The step may have ended (and freed) the VSI. */
		if (vp)
			*vp = vsi_table_find(&p->vsis, &r->key);
	} else {
		/* Sent when the port starts (vdp_port_start steps LINK_UP): a VSI
		 * made while the port is down is in INIT, the others are down
		 * already. */
		step(p, v, VDP_ST_EV_LINK_DOWN, NULL, NULL, now);
		uint8_t before = v->result;
		v->result = v->confirmed ? v->result : VSI_PENDING;
		result_changed(p, before, v);
	}
	return 0;
}

int vdp_port_admin_deassoc(struct vdp_port *p, const struct vdp_vsi_key *k, uint64_t now)
{
	struct vdp_vsi *v = vsi_table_find(&p->vsis, k);
	if (!v)
		return -ENOENT;
	if (p->role == EVB_ROLE_STATION) {
		struct vdp_request r = {.type = VDP_TLV_DEASSOC, .key = *k};
		return vdp_port_request(p, &r, now, NULL, NULL);
	}
	step(p, v, VDP_BR_EV_ADMIN_DEASSOC, NULL, NULL, now);
	return 0;
}

void vdp_port_decision(struct vdp_port *p, const struct vdp_vsi_key *k,
		       const struct vdp_decision *dec, uint64_t now)
{
	struct vdp_vsi *v = vsi_table_find(&p->vsis, k);
	if (v && p->role == EVB_ROLE_BRIDGE)
		step(p, v, VDP_BR_EV_DECISION, NULL, dec, now);
}

int vdp_port_restore(struct vdp_port *p, struct vdp_vsi *v, uint64_t now)
{
	int err = table_insert(p, v);
	if (err < 0)
		return err;
	/* Loaded in INIT: a station's is sent when the port runs, a bridge's
	 * waits for keep-alives (toutKeepAlive). */
	if (p->role == EVB_ROLE_STATION) {
		step(p, v, VDP_ST_EV_LINK_DOWN, NULL, NULL, now);
		if (p->running)
			step(p, v, VDP_ST_EV_LINK_UP, NULL, NULL, now);
	} else {
		step(p, v, VDP_BR_EV_RESTORED, NULL, NULL, now);
	}
	return 0;
}

/* ---------------- start / stop / timers ---------------- */

/* Step ev on every VSI in only_state (0xff: all) without allocating, so no
 * VSI misses a link event for want of memory: mark them, then step each
 * marked one.  A step may remove a VSI or, through the callbacks, add one;
 * either changes the table's generation and the walk starts over, the marks
 * keeping a VSI from being stepped twice. */
static void step_all(struct vdp_port *p, int ev, uint8_t only_state, uint64_t now)
{
	struct vsi_cursor c = {0};
	struct vdp_vsi *v;
	while ((v = vsi_table_next(&p->vsis, &c)))
		if (only_state == 0xff || v->state == only_state)
			v->flags |= VSI_F_STEP;
	uint64_t gen = p->vsis.gen;
	c = (struct vsi_cursor){0};
	while ((v = vsi_table_next(&p->vsis, &c))) {
		if (!(v->flags & VSI_F_STEP))
			continue;
		v->flags &= (uint8_t)~VSI_F_STEP;
		step(p, v, ev, NULL, NULL, now);
		if (p->vsis.gen != gen) {
			gen = p->vsis.gen;
			c = (struct vsi_cursor){0};
		}
	}
}

void vdp_port_start(struct vdp_port *p, const struct evb_oper *oper, uint64_t now)
{
	set_params(p, oper);
	if (p->running)
		return;
	p->running = true;
	p->peer_req_at = 0; /* the cadence's next gap starts anew */
	if (p->role == EVB_ROLE_STATION) {
		step_all(p, VDP_ST_EV_LINK_UP, VDP_ST_LINKDOWN, now);
	} else {
		/* Bridge VSIs kept over a link flap wait for keep-alives again,
		 * or for a request the station repeats after a lost answer. */
		struct vsi_cursor c = {0};
		struct vdp_vsi *v;
		while ((v = vsi_table_next(&p->vsis, &c)))
			if (v->state == VDP_BR_WAITCMD)
				dl_set(&p->timers, &v->timer, now + vdp_br_resume_wait_us(&p->br));
	}
	pump(p, now);
}

void vdp_port_stop(struct vdp_port *p, uint64_t now)
{
	if (!p->running)
		return;
	p->running = false;
	ecp_tx_abort(&p->tx);
	txq_clear(&p->q);
	ecp_rx_init(&p->rx);
	for (unsigned i = 0; i < VDP_PORT_MAX_STATIONS; i++)
		ecp_rx_init(&p->stations[i].rx);
	if (p->role == EVB_ROLE_STATION) {
		step_all(p, VDP_ST_EV_LINK_DOWN, 0xff, now);
		return;
	}
	/* Bridge: stop every timer; VSIs stay until keep-alives time out after
	 * the next start. */
	struct dl_node *n;
	while ((n = dl_pop_expired(&p->timers, UINT64_MAX)))
		;
}

void vdp_port_run(struct vdp_port *p, uint64_t now)
{
	if (p->running) {
		switch (ecp_tx_timer(&p->tx, now, &p->ecp)) {
		case ECP_TX_SEND:
			send_outstanding(p);
			break;
		case ECP_TX_FAILED:
			tx_failed(p, now);
			break;
		default:
			break;
		}
	}
	struct dl_node *n;
	while ((n = dl_pop_expired(&p->timers, now))) {
		struct vdp_vsi *v = (struct vdp_vsi *)((char *)n - offsetof(struct vdp_vsi, timer));
		step(p, v,
		     p->role == EVB_ROLE_STATION ? (int)VDP_ST_EV_TIMER : (int)VDP_BR_EV_TIMER,
		     NULL, NULL, now);
	}
	enum ecp_pace_change ch = ecp_pace_tick(&p->pace, now);
	if (ch != ECP_PACE_SAME && p->ops->paced)
		p->ops->paced(p->ctx, p, ch);
	pump(p, now);
}

bool vdp_port_ack_due(const struct vdp_port *p, uint64_t now)
{
	return p->running && !ecp_tx_idle(&p->tx) && p->tx.deadline && now >= p->tx.deadline;
}

uint64_t vdp_port_next_wakeup(const struct vdp_port *p)
{
	uint64_t t = 0;
	if (p->running && !ecp_tx_idle(&p->tx))
		t = p->tx.deadline;
	t = dl_earliest(t, dl_next(&p->timers)); /* may be early: nothing due then */
	/* queued TLVs held back by the pacing gap (not by tx_hold: its release
	 * runs the port) */
	if (p->running && !p->tx_hold && ecp_tx_idle(&p->tx) && p->q.count)
		t = dl_earliest(t, p->tx_next);
	uint64_t pace = ecp_pace_next(&p->pace);
	if (pace)
		t = dl_earliest(t, pace);
	return t;
}
