/* SPDX-License-Identifier: ISC */
/*
 * cdcp.c - one port's CDCP negotiation (see cdcp.h).  Each side keeps its
 * S-channels as a table sorted by SCID.  A new table is built as a map
 * SCID -> SVID from the neighbour's TLV and made the port's by apply(),
 * which reports every difference; the rules where the public sources are
 * silent (docs/protocol-choices.md, "CDCP") are in bridge_rx(),
 * free_svid() and station_rx().
 */
#include "cdcp.h"

#include <string.h>

/* SCID -> SVID, 0 = no channel. */
struct chan_map {
	uint16_t svid[CDCP_IDS];
};

/* Why a pair of the neighbour's TLV was dropped. */
enum drop_reason {
	DROP_DUP_SCID,
	DROP_DUP_SVID,
	DROP_OVER_CAP,
	DROP_BAD_SCID,
	DROP_BAD_SVID,
	DROP_OUT_OF_POOL,
	DROP_NOT_ASKED,
	DROP_DEFAULT,
	DROP_REASONS
};

static const char *const drop_text[DROP_REASONS] = {
    [DROP_DUP_SCID] = "a pair repeating an SCID already listed",
    [DROP_DUP_SVID] = "a pair granting an SVID already granted to another SCID",
    [DROP_OVER_CAP] = "more pairs than its ChnCap",
    [DROP_BAD_SCID] = "an SCID of 0 or 4095",
    [DROP_BAD_SVID] = "an SVID of 4095",
    [DROP_OUT_OF_POOL] = "an SVID outside this bridge's svid-pool",
    [DROP_NOT_ASKED] = "an SCID this station did not ask for",
    [DROP_DEFAULT] = "the default S-channel's SCID 1 or SVID 1 paired with another",
};

/* One look at a neighbour's TLV. */
struct rx {
	struct cdcp *c;
	cdcp_emit_fn emit;
	void *ctx;
	unsigned said;		       /* drop reasons already reported for this TLV */
	uint8_t refused[CDCP_IDS / 8]; /* SCIDs refused at this look */
};

static bool bit_get(const uint8_t *b, unsigned i)
{
	return b[i / 8] >> (i % 8) & 1;
}

static void bit_set(uint8_t *b, unsigned i)
{
	b[i / 8] |= (uint8_t)(1u << (i % 8));
}

static void emit_event(cdcp_emit_fn emit, void *ctx, const struct cdcp_event *ev)
{
	if (emit)
		emit(ctx, ev);
}

static bool id_ok(uint16_t id)
{
	return id >= 1 && id <= CDCP_ID_MAX;
}

static bool conf_equal(const struct cdcp_conf *a, const struct cdcp_conf *b)
{
	return a->enabled == b->enabled && a->station == b->station && a->channels == b->channels &&
	       a->chncap == b->chncap && a->pool_low == b->pool_low && a->pool_high == b->pool_high;
}

static bool tlv_equal(const struct cdcp_tlv *a, const struct cdcp_tlv *b)
{
	return a->role_s == b->role_s && a->scomp == b->scomp && a->chncap == b->chncap &&
	       a->npairs == b->npairs &&
	       !memcmp(a->pairs, b->pairs, a->npairs * sizeof(a->pairs[0]));
}

const char *cdcp_refusal_text(enum cdcp_refusal why)
{
	return why == CDCP_REFUSED_POOL ? "no SVID is left in the bridge's svid-pool"
					: "the bridge's cdcp-capacity is used up";
}

uint16_t cdcp_svid_of(const struct cdcp *c, uint16_t scid)
{
	for (uint16_t i = 0; i < c->nchan; i++)
		if (c->chan[i].scid == scid)
			return c->chan[i].svid;
	return 0;
}

/* The default S-channel alone (none when CDCP is off). */
static void default_map(const struct cdcp *c, struct chan_map *m)
{
	memset(m, 0, sizeof(*m));
	if (c->conf.enabled)
		m->svid[CDCP_DEFAULT_SCID] = CDCP_DEFAULT_SVID;
}

/* Make m the port's S-channels, reporting every difference; true if any. */
static bool apply(struct cdcp *c, const struct chan_map *m, cdcp_emit_fn emit, void *ctx)
{
	struct chan_map old = {{0}};
	bool changed = false;

	for (uint16_t i = 0; i < c->nchan; i++)
		old.svid[c->chan[i].scid] = c->chan[i].svid;
	c->nchan = 0;
	for (uint16_t scid = 1; scid <= CDCP_ID_MAX; scid++) {
		uint16_t o = old.svid[scid], n = m->svid[scid];

		if (o != n) {
			changed = true;
			if (o) {
				c->stats.down++;
				emit_event(emit, ctx,
					   &(struct cdcp_event){CDCP_EV_DOWN, scid, o, 0, NULL});
			}
			if (n) {
				c->stats.up++;
				emit_event(emit, ctx,
					   &(struct cdcp_event){CDCP_EV_UP, scid, n, 0, NULL});
			}
		}
		if (n && c->nchan < CDCP_MAX_PAIRS)
			c->chan[c->nchan++] = (struct cdcp_chan){scid, n};
	}
	return changed;
}

void cdcp_init(struct cdcp *c, const struct cdcp_conf *conf)
{
	memset(c, 0, sizeof(*c));
	c->conf = *conf;
	if (conf->enabled)
		c->chan[c->nchan++] = (struct cdcp_chan){CDCP_DEFAULT_SCID, CDCP_DEFAULT_SVID};
}

/* Forget the neighbour's TLV and go back to the default S-channel. */
static bool reset(struct cdcp *c, cdcp_emit_fn emit, void *ctx)
{
	struct chan_map m;

	c->peer = false;
	memset(&c->last, 0, sizeof(c->last));
	memset(c->refused, 0, sizeof(c->refused));
	default_map(c, &m);
	return apply(c, &m, emit, ctx);
}

/* A station asking for another number of channels keeps those it still
 * asks for and looks at the bridge's TLV again. */
static void trim(struct cdcp *c, cdcp_emit_fn emit, void *ctx)
{
	struct chan_map m = {{0}};

	for (uint16_t i = 0; i < c->nchan; i++)
		if (c->chan[i].scid <= 1u + c->conf.channels)
			m.svid[c->chan[i].scid] = c->chan[i].svid;
	memset(&c->last, 0, sizeof(c->last));
	apply(c, &m, emit, ctx);
}

void cdcp_configure(struct cdcp *c, const struct cdcp_conf *conf, cdcp_emit_fn emit, void *ctx)
{
	bool channels_only = c->conf.enabled && conf->enabled && c->conf.station && conf->station;

	if (conf_equal(&c->conf, conf))
		return;
	c->conf = *conf;
	if (channels_only)
		trim(c, emit, ctx);
	else
		reset(c, emit, ctx);
}

/* A pair of the neighbour's TLV dropped: counted, reported once per
 * reason and TLV. */
static void drop(struct rx *x, enum drop_reason why, uint16_t scid)
{
	struct cdcp_stats *s = &x->c->stats;

	if (why == DROP_DUP_SCID || why == DROP_DUP_SVID)
		s->rx_dup++;
	else if (why == DROP_OVER_CAP)
		s->rx_cap++;
	else
		s->rx_bad++;
	if (x->said & 1u << why)
		return;
	x->said |= 1u << why;
	emit_event(x->emit, x->ctx,
		   &(struct cdcp_event){CDCP_EV_DROPPED, scid, 0, 0, drop_text[why]});
}

/* A channel the bridge does not give: counted and reported when it was
 * not refused at the previous look already. */
static void refuse(struct rx *x, uint16_t scid, enum cdcp_refusal why)
{
	bit_set(x->refused, scid);
	if (bit_get(x->c->refused, scid))
		return;
	x->c->stats.refused++;
	emit_event(x->emit, x->ctx, &(struct cdcp_event){CDCP_EV_REFUSED, scid, 0, why, NULL});
}

static bool finish(struct rx *x, const struct chan_map *m)
{
	memcpy(x->c->refused, x->refused, sizeof(x->refused));
	return apply(x->c, m, x->emit, x->ctx);
}

static bool in_pool(const struct cdcp_conf *conf, uint16_t svid)
{
	return svid >= conf->pool_low && svid <= conf->pool_high && svid != CDCP_DEFAULT_SVID;
}

/* Choice: the lowest SVID of the pool no channel of the port uses, so that
 * a station asking the same SCIDs in the same order after a link flap gets
 * the same SVIDs again.  0 when the pool is used up. */
static uint16_t free_svid(const struct cdcp_conf *conf, const uint8_t *used)
{
	for (unsigned v = conf->pool_low; v <= conf->pool_high && v <= CDCP_ID_MAX; v++)
		if (in_pool(conf, (uint16_t)v) && !bit_get(used, v))
			return (uint16_t)v;
	return 0;
}

/* The SCIDs a station asks for, in its order (SCID 1 left out: the default
 * channel is always there); bad pairs dropped.  A proposed SVID is only
 * checked against the pool: the bridge assigns. */
static unsigned bridge_asked(struct rx *x, const struct cdcp_tlv *r, uint16_t *order,
			     uint8_t *asked)
{
	unsigned n = 0;

	for (uint16_t i = 0; i < r->npairs; i++) {
		const struct cdcp_pair *p = &r->pairs[i];

		if (i >= r->chncap) {
			drop(x, DROP_OVER_CAP, p->scid);
			continue;
		}
		if (!id_ok(p->scid)) {
			drop(x, DROP_BAD_SCID, p->scid);
			continue;
		}
		if (bit_get(asked, p->scid)) {
			drop(x, DROP_DUP_SCID, p->scid);
			continue;
		}
		bit_set(asked, p->scid);
		bool is_default = p->scid == CDCP_DEFAULT_SCID && p->svid == CDCP_DEFAULT_SVID;
		if (p->svid && !is_default && p->svid != cdcp_svid_of(x->c, p->scid) &&
		    !in_pool(&x->c->conf, p->svid))
			drop(x, DROP_OUT_OF_POOL, p->scid);
		if (p->scid != CDCP_DEFAULT_SCID)
			order[n++] = p->scid;
	}
	return n;
}

/* Choice: channels still asked for keep their SVIDs; channels no longer
 * asked for are released first; new ones get free_svid() in the station's
 * order while the ChnCap (the default channel included) and the pool last;
 * the rest are refused and left out of the answer. */
static bool bridge_rx(struct rx *x, const struct cdcp_tlv *r)
{
	struct cdcp *c = x->c;
	uint16_t order[CDCP_MAX_PAIRS];
	uint8_t asked[CDCP_IDS / 8] = {0}, used[CDCP_IDS / 8] = {0};
	unsigned n = bridge_asked(x, r, order, asked), count = 1;
	struct chan_map m;

	default_map(c, &m);
	for (uint16_t i = 0; i < c->nchan; i++) {
		const struct cdcp_chan *ch = &c->chan[i];

		if (ch->scid != CDCP_DEFAULT_SCID && bit_get(asked, ch->scid)) {
			m.svid[ch->scid] = ch->svid;
			bit_set(used, ch->svid);
			count++;
		}
	}
	for (unsigned k = 0; k < n; k++) {
		uint16_t scid = order[k], svid;

		if (m.svid[scid])
			continue;
		if (count >= c->conf.chncap) {
			refuse(x, scid, CDCP_REFUSED_CAPACITY);
			continue;
		}
		svid = free_svid(&c->conf, used);
		if (!svid) {
			refuse(x, scid, CDCP_REFUSED_POOL);
			continue;
		}
		m.svid[scid] = svid;
		bit_set(used, svid);
		count++;
	}
	return finish(x, &m);
}

/* Choice: the station takes every well-formed grant for an SCID it asked
 * for; an SVID of 0 is no grant; SCID 1 / SVID 1 is the default channel,
 * there whether the bridge lists it or not, and neither goes with another.  A channel
 * not granted is not counted as refused here: the bridge's first TLVs
 * precede its look at the request (the bridge counts its refusals). */
static bool station_rx(struct rx *x, const struct cdcp_tlv *r)
{
	struct cdcp *c = x->c;
	unsigned asked_max = 1u + c->conf.channels;
	uint8_t scids[CDCP_IDS / 8] = {0}, svids[CDCP_IDS / 8] = {0};
	struct chan_map m;

	default_map(c, &m);
	for (uint16_t i = 0; i < r->npairs; i++) {
		const struct cdcp_pair *p = &r->pairs[i];
		enum drop_reason bad = DROP_REASONS;

		if (i >= r->chncap)
			bad = DROP_OVER_CAP;
		else if (!id_ok(p->scid))
			bad = DROP_BAD_SCID;
		else if (p->scid > asked_max)
			bad = DROP_NOT_ASKED;
		else if (bit_get(scids, p->scid))
			bad = DROP_DUP_SCID;
		else if (p->svid > CDCP_ID_MAX)
			bad = DROP_BAD_SVID;
		else if (p->svid &&
			 (p->scid == CDCP_DEFAULT_SCID) != (p->svid == CDCP_DEFAULT_SVID))
			bad = DROP_DEFAULT;
		else if (p->svid && bit_get(svids, p->svid))
			bad = DROP_DUP_SVID;
		if (bad != DROP_REASONS) {
			drop(x, bad, p->scid);
			continue;
		}
		bit_set(scids, p->scid);
		if (!p->svid || p->scid == CDCP_DEFAULT_SCID)
			continue;
		bit_set(svids, p->svid);
		m.svid[p->scid] = p->svid;
	}
	return finish(x, &m);
}

bool cdcp_negotiate(struct cdcp *c, const struct cdcp_tlv *remote, cdcp_emit_fn emit, void *ctx)
{
	struct rx x = {.c = c, .emit = emit, .ctx = ctx};

	if (!c->conf.enabled)
		return false;
	if (!remote)
		return c->peer ? reset(c, emit, ctx) : false;
	if (c->peer && tlv_equal(&c->last, remote))
		return false;
	c->peer = true;
	c->last = *remote;
	c->stats.rx_tlvs++;
	if (remote->role_s == c->conf.station) {
		c->stats.rx_role++;
		emit_event(emit, ctx,
			   &(struct cdcp_event){CDCP_EV_ROLE, 0, 0, 0,
						c->conf.station ? "role S" : "role B"});
		return false;
	}
	return c->conf.station ? station_rx(&x, remote) : bridge_rx(&x, remote);
}

void cdcp_local_tlv(const struct cdcp *c, struct cdcp_tlv *t)
{
	memset(t, 0, sizeof(*t));
	t->role_s = c->conf.station;
	t->scomp = true;
	if (!c->conf.station) {
		t->chncap = c->conf.chncap;
		t->npairs = c->nchan;
		for (uint16_t i = 0; i < c->nchan; i++)
			t->pairs[i] = (struct cdcp_pair){c->chan[i].scid, c->chan[i].svid};
		return;
	}
	/* Station: SCID 1..1+channels, each with its granted SVID or 0 (asked) */
	t->chncap = (uint16_t)(1u + c->conf.channels);
	for (uint16_t scid = 1; scid <= t->chncap && t->npairs < CDCP_MAX_PAIRS; scid++)
		t->pairs[t->npairs++] = (struct cdcp_pair){scid, cdcp_svid_of(c, scid)};
}
