/* SPDX-License-Identifier: ISC */
/*
 * lldp_agent.c - one port's LLDP agent (see lldp_agent.h): the LLDPDU it
 * transmits, the neighbour it keeps, and the EVB (or, for the nearest
 * non-TPMR bridge, CDCP) negotiation run on every change of either.
 */
#include "lldp_agent.h"

#include <string.h>

#include "deadline.h"
#include "eth.h"

static const uint8_t evb_dst[6] = MAC_NEAREST_CUSTOMER_BRIDGE;
static const uint8_t cdcp_dst[6] = MAC_NEAREST_NONTPMR_BRIDGE;

#define SEC 1000000ULL

void lldp_agent_init(struct lldp_agent *a, const struct lldp_agent_conf *conf, const uint8_t mac[6],
		     const char *port_name, const struct lldp_agent_ops *ops, void *ctx)
{
	memset(a, 0, sizeof(*a));
	a->conf = *conf;
	memcpy(a->mac, mac, 6);
	a->port_id.subtype = LLDP_PORT_IFNAME;
	a->port_id.len = (uint8_t)strnlen(port_name, LLDP_ID_MAX);
	memcpy(a->port_id.id, port_name, a->port_id.len);
	a->ops = ops;
	a->ctx = ctx;
	if (conf->kind == LLDP_AGENT_CDCP) {
		cdcp_init(&a->cdcp, &conf->cdcp);
		return;
	}
	a->draft = conf->protocol == LLDP_PROTO_DRAFT;
	if (a->draft)
		draft_evb_negotiate(&a->conf.evb, NULL, &a->oper, &a->draft_tx);
	else
		evb_negotiate(&a->conf.evb, NULL, &a->oper, &a->evb_tx);
}

const char *lldp_protocol_name(enum lldp_protocol p)
{
	return p == LLDP_PROTO_DRAFT ? "draft" : p == LLDP_PROTO_2012 ? "2012" : "auto";
}

/* ---------------- transmit ---------------- */

static bool may_transmit(const struct lldp_agent *a)
{
	return a->link_up && !a->shut;
}

static uint16_t ttl_of(const struct lldp_agent *a)
{
	unsigned long ttl = (unsigned long)a->conf.tx_interval * a->conf.tx_hold;

	return (uint16_t)(ttl > LLDP_AGENT_TTL_MAX ? LLDP_AGENT_TTL_MAX : ttl);
}

/* Chassis ID, port ID and TTL of an LLDPDU from this port. */
static void pdu_begin(const struct lldp_agent *a, struct lldp_pdu *pdu, uint16_t ttl)
{
	memset(pdu, 0, sizeof(*pdu));
	pdu->chassis.subtype = LLDP_CHASSIS_MAC;
	pdu->chassis.len = 6;
	memcpy(pdu->chassis.id, a->mac, 6);
	pdu->port = a->port_id;
	pdu->ttl = ttl;
}

/* Build the frame and hand it to ops->send; false if it does not build
 * (an empty port name). */
static bool send_pdu(struct lldp_agent *a, const struct lldp_pdu *pdu)
{
	uint8_t payload[ETH_MAX_PAYLOAD], frame[ETH_HDR_LEN + ETH_MAX_PAYLOAD];
	int n = lldp_build(pdu, payload, sizeof(payload));

	if (n < 0)
		return false;
	n = eth_build(a->conf.kind == LLDP_AGENT_CDCP ? cdcp_dst : evb_dst, a->mac, ETHERTYPE_LLDP,
		      payload, (size_t)n, frame, sizeof(frame));
	if (n < 0)
		return false;
	if (a->ops->send)
		a->ops->send(a->ctx, frame, (size_t)n);
	a->stats.tx_frames++;
	return true;
}

/* The EVB TLV of the protocol in use: the 2012 one or the draft one; or
 * the CDCP TLV. */
static void pdu_evb(const struct lldp_agent *a, struct lldp_pdu *pdu)
{
	if (a->conf.kind == LLDP_AGENT_CDCP) {
		pdu->has_cdcp = true;
		cdcp_local_tlv(&a->cdcp, &pdu->cdcp);
		return;
	}
	pdu->has_evb = !a->draft;
	pdu->evb = a->evb_tx;
	pdu->has_draft_evb = a->draft;
	pdu->draft_evb = a->draft_tx;
}

static void transmit(struct lldp_agent *a, uint64_t now)
{
	struct lldp_pdu pdu;

	pdu_begin(a, &pdu, ttl_of(a));
	pdu_evb(a, &pdu);
	if (!send_pdu(a, &pdu))
		return;
	uint64_t next = a->fast_left ? LLDP_AGENT_FAST_US : a->conf.tx_interval * SEC;

	if (a->fast_left)
		a->fast_left--;
	a->next_tx = now + next;
}

int lldp_agent_tlvs(const struct lldp_agent *a, bool neighbour, uint8_t *out, size_t cap)
{
	struct lldp_pdu pdu;

	if (neighbour && !a->nbr.valid)
		return 0;
	pdu_begin(a, &pdu, ttl_of(a));
	pdu_evb(a, &pdu);
	if (neighbour) {
		pdu.chassis = a->nbr.chassis;
		pdu.port = a->nbr.port;
		pdu.ttl = a->nbr.ttl;
		pdu.has_evb = a->nbr.has_evb;
		pdu.evb = a->nbr.evb;
		pdu.has_draft_evb = a->nbr.has_draft_evb;
		pdu.draft_evb = a->nbr.draft_evb;
		pdu.has_cdcp = a->nbr.has_cdcp;
		pdu.cdcp = a->nbr.cdcp;
	}
	return lldp_build(&pdu, out, cap);
}

void lldp_agent_shutdown(struct lldp_agent *a)
{
	struct lldp_pdu pdu;

	if (!may_transmit(a))
		return;
	pdu_begin(a, &pdu, 0);
	send_pdu(a, &pdu);
	a->shut = true;
}

/* ---------------- negotiation ---------------- */

/* Renegotiate on the neighbour's EVB TLV; a change in what we advertise or
 * operate on is advertised at once and fast. */
static bool draft_in_use(const struct lldp_agent *a)
{
	if (a->conf.protocol != LLDP_PROTO_AUTO)
		return a->conf.protocol == LLDP_PROTO_DRAFT;
	return a->nbr.valid && a->nbr.has_draft_evb && !a->nbr.has_evb;
}

/* Negotiate the EVB TLV of the protocol in use; true on a change of it,
 * of the operating values or of the TLV to send. */
static bool negotiate_tlv(struct lldp_agent *a)
{
	bool draft = draft_in_use(a);
	bool switched = draft != a->draft;

	a->draft = draft;
	if (draft) {
		const struct draft_evb_tlv *r =
		    a->nbr.valid && a->nbr.has_draft_evb ? &a->nbr.draft_evb : NULL;
		return draft_evb_negotiate(&a->conf.evb, r, &a->oper, &a->draft_tx) || switched;
	}
	const struct evb_tlv *remote = a->nbr.valid && a->nbr.has_evb ? &a->nbr.evb : NULL;
	return evb_negotiate(&a->conf.evb, remote, &a->oper, &a->evb_tx) || switched;
}

static void on_cdcp_event(void *ctx, const struct cdcp_event *ev)
{
	struct lldp_agent *a = ctx;

	if (a->ops->cdcp_event)
		a->ops->cdcp_event(a->ctx, a, ev);
}

/* Act on the neighbour's CDCP TLV; true when the S-channels changed. */
static bool negotiate_cdcp(struct lldp_agent *a)
{
	const struct cdcp_tlv *r = a->nbr.valid && a->nbr.has_cdcp ? &a->nbr.cdcp : NULL;

	return cdcp_negotiate(&a->cdcp, r, on_cdcp_event, a);
}

static void negotiate(struct lldp_agent *a, uint64_t now)
{
	struct evb_oper was = a->oper;
	bool cdcp = a->conf.kind == LLDP_AGENT_CDCP;

	if (cdcp ? negotiate_cdcp(a) : negotiate_tlv(a)) {
		a->fast_left = LLDP_AGENT_FAST_TX;
		if (may_transmit(a))
			transmit(a, now);
	}
	if (!cdcp && a->ops->negotiated)
		a->ops->negotiated(a->ctx, a, &was, now);
}

void lldp_agent_configure(struct lldp_agent *a, const struct lldp_agent_conf *conf, uint64_t now)
{
	a->conf = *conf;
	if (conf->kind == LLDP_AGENT_CDCP)
		cdcp_configure(&a->cdcp, &conf->cdcp, on_cdcp_event, a);
	negotiate(a, now);
}

/* ---------------- neighbour ---------------- */

static bool id_equal(const struct lldp_id *x, const struct lldp_id *y)
{
	return x->subtype == y->subtype && x->len == y->len && !memcmp(x->id, y->id, x->len);
}

/* Did the neighbour come, go, or change what it advertises? */
static bool neighbor_differs(const struct lldp_neighbor *x, const struct lldp_neighbor *y)
{
	if (x->valid != y->valid)
		return true;
	if (!x->valid)
		return false;
	return !id_equal(&x->chassis, &y->chassis) || !id_equal(&x->port, &y->port) ||
	       x->has_evb != y->has_evb ||
	       (x->has_evb && memcmp(&x->evb, &y->evb, sizeof(x->evb))) ||
	       x->has_draft_evb != y->has_draft_evb ||
	       (x->has_draft_evb && memcmp(&x->draft_evb, &y->draft_evb, sizeof(x->draft_evb))) ||
	       x->has_cdcp != y->has_cdcp ||
	       (x->has_cdcp && memcmp(&x->cdcp, &y->cdcp, sizeof(x->cdcp))) ||
	       memcmp(x->mac, y->mac, 6);
}

static void set_neighbor(struct lldp_agent *a, const struct lldp_neighbor *n)
{
	bool changed = neighbor_differs(&a->nbr, n);

	a->nbr = *n;
	if (changed && a->ops->neighbor_changed)
		a->ops->neighbor_changed(a->ctx, a);
}

static void forget_neighbor(struct lldp_agent *a)
{
	static const struct lldp_neighbor none;

	set_neighbor(a, &none);
}

void lldp_agent_link(struct lldp_agent *a, bool up, uint64_t now)
{
	a->link_up = up;
	if (up) {
		a->shut = false;
		a->fast_left = LLDP_AGENT_FAST_TX;
		a->next_tx = now;
	} else {
		forget_neighbor(a);
	}
	negotiate(a, now);
}

/* Is this LLDPDU from another system than the neighbour in place?  An EVB
 * port has one neighbour, the station or bridge at the other end of the
 * link (802.1Qbg 40); a second one (a VM behind a VEPA, a forger) must not
 * replace it. */
static bool second_neighbor(const struct lldp_agent *a, const uint8_t src[6],
			    const struct lldp_pdu *pdu)
{
	return a->nbr.valid && (!id_equal(&a->nbr.chassis, &pdu->chassis) ||
				!id_equal(&a->nbr.port, &pdu->port) || memcmp(a->nbr.mac, src, 6));
}

/* The TTL the neighbour is kept for: its own, cut to conf.max_ttl (counted).
 * 802.1AB clause 9 keeps the neighbour for the TTL it sends (rxTTL); a port
 * whose neighbour binds its VDP must not be held by one forged LLDPDU for
 * 18 hours. */
static uint16_t adopted_ttl(struct lldp_agent *a, uint16_t ttl)
{
	if (!a->conf.max_ttl || ttl <= a->conf.max_ttl)
		return ttl;
	a->stats.rx_ttl_clamped++;
	return (uint16_t)a->conf.max_ttl;
}

void lldp_agent_rx(struct lldp_agent *a, const uint8_t src[6], const uint8_t *pl, size_t len,
		   uint64_t now)
{
	struct lldp_pdu pdu;
	struct lldp_err err = {0};

	if (lldp_parse(pl, len, &pdu, &err)) {
		a->stats.rx_bad++;
		if (a->ops->rx_dropped)
			a->ops->rx_dropped(a->ctx, a, src, &err);
		return;
	}
	a->stats.rx_frames++;
	if (second_neighbor(a, src, &pdu)) {
		a->stats.rx_other_nbr++;
		if (a->ops->rx_other)
			a->ops->rx_other(a->ctx, a, src);
		return;
	}
	if (pdu.ttl == 0) {
		forget_neighbor(a);
	} else {
		uint16_t ttl = adopted_ttl(a, pdu.ttl);
		struct lldp_neighbor n = {
		    .valid = true,
		    .chassis = pdu.chassis,
		    .port = pdu.port,
		    .ttl = ttl,
		    .expires = now + ttl * SEC,
		    .has_evb = pdu.has_evb,
		    .evb = pdu.evb,
		    .has_draft_evb = pdu.has_draft_evb,
		    .draft_evb = pdu.draft_evb,
		    .has_cdcp = pdu.has_cdcp,
		    .cdcp = pdu.cdcp,
		};
		memcpy(n.mac, src, 6);
		set_neighbor(a, &n);
	}
	negotiate(a, now);
	if (a->oper.clamped)
		a->stats.rx_clamped++;
}

void lldp_agent_run(struct lldp_agent *a, uint64_t now)
{
	if (a->nbr.valid && now >= a->nbr.expires) {
		a->stats.ageouts++;
		if (a->ops->aged_out)
			a->ops->aged_out(a->ctx, a);
		forget_neighbor(a);
		negotiate(a, now);
	}
	if (may_transmit(a) && now >= a->next_tx)
		transmit(a, now);
}

uint64_t lldp_agent_next_wakeup(const struct lldp_agent *a)
{
	uint64_t t = may_transmit(a) ? a->next_tx : 0;

	if (a->nbr.valid)
		t = dl_earliest(t, a->nbr.expires);
	return t;
}
