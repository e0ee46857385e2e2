/* SPDX-License-Identifier: ISC */
/*
 * ipc_msg.c - the control channel's answers: the daemon's VSIs and ports
 * handed to the codec (ipc/codec.h), RESULT messages with a sentence, the
 * OK answers to changes held until the state database has them, and
 * whether a request's sender may change state.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "evbd/ipc_msg.h"
#include "evbd/ipc_out.h"
#include "evbd/port.h"
#include "evbd/schan.h"
#include "evbd/store.h"

/* ---------------- the daemon's state as codec structs ---------------- */

void ipc_answer_start(struct ipc_msg *m, void *buf, size_t cap, uint16_t type, uint16_t flags,
		      uint32_t seq)
{
	if (ipc_msg_start(m, buf, cap, type, flags, 0)) {
		m->nlh->nlmsg_seq = seq;
		m->nlh->nlmsg_pid = EVBD_IPC_PORTID;
	}
}

void ipc_answer_send(struct evbd_ipc *ipc, uint32_t pid, const struct ipc_msg *m)
{
	ipc->stats.requests++;
	ipc_send_to(ipc, pid, m->nlh, m->nlh->nlmsg_len);
}

void ipc_put_vsi_of(struct ipc_msg *m, const struct evbd_port *p, const struct vdp_vsi *v,
		    uint64_t now)
{
	struct ipc_vsi iv = {.role = (uint8_t)p->vdp.role,
			     .key = v->key,
			     .type_id = v->type_id,
			     .type_ver = v->type_ver,
			     .cmd = v->cmd,
			     .hints = v->hints,
			     .state = v->state,
			     .result = v->result,
			     .reason = v->reason,
			     .status = v->status,
			     .confirmed = v->confirmed,
			     .has_result = true,
			     .has_age = true,
			     .age_us = now > v->created ? now - v->created : 0,
			     .fif = v->fif,
			     .nfilters = v->nfilters,
			     .filters = vsi_filters(v)};
	snprintf(iv.ifname, sizeof(iv.ifname), "%s", p->ifname);
	memcpy(iv.mgrid, v->mgrid, sizeof(iv.mgrid));
	ipc_put_vsi(m, &iv);
}

static void neighbor_of(const struct lldp_neighbor *nb, struct ipc_neighbor *out)
{
	memcpy(out->mac, nb->mac, sizeof(out->mac));
	out->chassis = nb->chassis;
	out->port = nb->port;
	out->ttl = nb->ttl;
	out->mode = nb->has_evb ? nb->evb.mode : 0;
}

/* The port's counters as they stand (ECP, drops, frames). */
static void raw_counters(const struct evbd_port *p, struct ipc_port *ip)
{
	const struct vdp_port *vp = &p->vdp;
	const struct ecp_counters *c = &vp->ecp;
	const struct vdp_port_stats *s = &vp->stats;
	const struct lldp_agent_stats *l = &p->lldp.stats;
	const struct lldp_agent_stats *cd = &p->cdcp.stats; /* the CDCP agent's LLDPDUs count too */
	ip->ecp = (struct ipc_ecp){.tx_frames = c->tx_frames,
				   .tx_retries = c->tx_retries,
				   .tx_failures = c->tx_failures,
				   .rx_frames = c->rx_frames,
				   .rx_dups = c->rx_dups,
				   .pace_losses = vp->pace.losses,
				   .pace_answers = s->pace_answers,
				   .pace_repeats = s->pace_repeats,
				   .pace_dups = s->pace_dups};
	ip->drops = (struct ipc_drops){.lldp_bad = l->rx_bad + cd->rx_bad,
				       .ecp_bad = s->rx_bad_ecp,
				       .tlv_bad = s->rx_bad_tlv,
				       .vsi_bad = s->rx_bad_vsi,
				       .unknown_vsi = s->rx_unknown_vsi,
				       .wrong_dir = s->rx_wrong_dir,
				       .lldp_other = l->rx_other_nbr + cd->rx_other_nbr,
				       .evb_clamped = l->rx_clamped,
				       .vdp_other = s->rx_other_src,
				       .rx_overflow = port_rx_overflow(p),
				       .vsi_limit = s->vsi_limit,
				       .filter_limit = s->filter_limit,
				       .queue_full = s->rx_queue_full,
				       .tx_dropped = s->tx_dropped,
				       .ttl_clamped = l->rx_ttl_clamped,
				       .station_limit = s->station_limit,
				       .draft_rx = p->draft_rx_dropped,
				       .draft_tx = p->draft_tx_dropped};
	ip->frames = (struct ipc_frames){.lldp_tx = l->tx_frames + cd->tx_frames,
					 .lldp_rx = l->rx_frames + cd->rx_frames,
					 .lldp_ageouts = l->ageouts + cd->ageouts,
					 .ecp_rx_acks = c->rx_acks,
					 .ecp_rx_stale_acks = c->rx_stale_acks,
					 .ecp_rx_other = s->rx_other_subtype,
					 .vdp_rx_skipped = s->rx_skipped,
					 .vdp_sm_illegal = s->sm_illegal};
}

static struct ipc_base *base_find(const struct evbd_ipc *ipc, const struct evbd_port *p)
{
	for (struct ipc_base *b = ipc ? ipc->bases : NULL; b; b = b->next)
		if (b->p == p)
			return b;
	return NULL;
}

/* now - then, member by member (counters wrap at 2^32 alike). */
static void sub_nest(const struct ipc_u32_nest *n, void *now, const void *then)
{
	for (size_t i = 0; i < n->n; i++) {
		uint32_t v = ipc_u32_field_get(now, &n->f[i]) - ipc_u32_field_get(then, &n->f[i]);
		memcpy((uint8_t *)now + n->f[i].off, &v, sizeof(v));
	}
}

/* The counters since evbd started, or since they were cleared. */
static void counters_since(const struct evbd_port *p, struct ipc_port *ip)
{
	const struct evbd_ipc *ipc = p->d->ipc;
	const struct ipc_base *b = base_find(ipc, p);
	uint64_t now = loop_now(&p->d->loop), from = b ? b->at : ipc ? ipc->opened_us : now;
	raw_counters(p, ip);
	ip->has_frames = true;
	ip->counters_age_us = now > from ? now - from : 0;
	if (b) {
		sub_nest(&ipc_ecp_nest, &ip->ecp, &b->ecp);
		sub_nest(&ipc_drops_nest, &ip->drops, &b->drops);
		sub_nest(&ipc_frames_nest, &ip->frames, &b->frames);
	}
	/* the pacing's gap is a gauge, not a counter: never cleared */
	ip->ecp.pace_us = (uint32_t)p->vdp.pace.gap_us;
	ip->ecp.pace_max_us = (uint32_t)p->vdp.pace.max_gap_us;
	ip->ecp.pace_cadence_us = (uint32_t)vdp_port_cadence(&p->vdp);
}

int ipc_counters_clear(struct evbd_ipc *ipc, const struct evbd_port *p)
{
	static struct ipc_port ip;
	struct ipc_base *b = base_find(ipc, p);
	if (!b) {
		if (!(b = calloc(1, sizeof(*b))))
			return -ENOMEM;
		b->p = p;
		b->next = ipc->bases;
		ipc->bases = b;
	}
	raw_counters(p, &ip);
	b->ecp = ip.ecp;
	b->drops = ip.drops;
	b->frames = ip.frames;
	b->cdcp = p->cdcp.cdcp.stats;
	b->at = loop_now(&ipc->d->loop);
	return 0;
}

void ipc_counters_forget(struct evbd_ipc *ipc, const struct evbd_port *p)
{
	struct ipc_base **pp = ipc ? &ipc->bases : NULL;
	while (pp && *pp) {
		if (p && (*pp)->p != p) {
			pp = &(*pp)->next;
			continue;
		}
		struct ipc_base *b = *pp;
		*pp = b->next;
		free(b);
	}
}

/* The port's CDCP: what it advertises, the neighbour's ChnCap, its
 * S-channels and counters. */
static void cdcp_of(const struct evbd_port *p, struct ipc_cdcp *out)
{
	const struct cdcp *c = &p->cdcp.cdcp;
	struct cdcp_tlv t;
	cdcp_local_tlv(c, &t);
	out->chncap = t.chncap;
	out->pool_low = c->conf.station ? 0 : c->conf.pool_low;
	out->pool_high = c->conf.station ? 0 : c->conf.pool_high;
	out->peer = c->peer;
	out->peer_chncap = c->peer ? c->last.chncap : 0;
	out->nchan = c->nchan;
	memcpy(out->chan, c->chan, c->nchan * sizeof(c->chan[0]));
	out->stats = c->stats;
	out->ndev = 0;
	for (uint16_t i = 0; p->schan && i < p->schan->n; i++) {
		const struct schan_dev *dv = &p->schan->dev[i];
		struct evb_schan_dev *o = &out->dev[out->ndev++];
		*o = (struct evb_schan_dev){.scid = dv->scid, .ifindex = dv->ifindex};
		snprintf(o->name, sizeof(o->name), "%s", dv->name);
	}
	const struct ipc_base *b = base_find(p->d->ipc, p);
	if (b)
		sub_nest(&ipc_cdcp_nest, &out->stats, &b->cdcp);
}

/* An S-channel's port: the port whose CDCP made it, and the S-channel. */
static void schan_of(const struct evbd_port *p, struct ipc_port *out)
{
	const struct schan_set *s = p->parent ? p->parent->schan : NULL;
	for (uint16_t i = 0; s && i < s->n; i++) {
		if (s->dev[i].port != p)
			continue;
		snprintf(out->schan_of, sizeof(out->schan_of), "%s", p->parent->ifname);
		out->schan = (struct cdcp_chan){s->dev[i].scid, s->dev[i].svid};
	}
}

void ipc_put_port_of(struct ipc_msg *m, const struct evbd_port *p)
{
	static struct ipc_port ip; /* a neighbour's IDs make it large */
	const struct vdp_port *vp = &p->vdp;
	const uint32_t *by = vp->by_result;

	memset(&ip, 0, sizeof(ip));
	snprintf(ip.ifname, sizeof(ip.ifname), "%s", p->ifname);
	ip.role = (uint8_t)vp->role;
	ip.link_up = p->link_up;
	ip.present = p->present;
	memcpy(ip.mac, p->mac, sizeof(ip.mac));
	ip.oper = p->lldp.oper;
	ip.has_neighbor = p->lldp.nbr.valid;
	if (p->lldp.nbr.valid)
		neighbor_of(&p->lldp.nbr, &ip.nbr);
	counters_since(p, &ip);
	ip.counts = (struct ipc_vsi_counts){.total = (uint32_t)vp->vsis.count,
					    .pending = by[VSI_PENDING],
					    .preassociated =
						by[VSI_PREASSOCIATED] + by[VSI_PREASSOCIATED_RR],
					    .associated = by[VSI_ASSOCIATED],
					    .failed = by[VSI_FAILED]};
	ip.protocol = p->lldp.draft;
	ip.protocol_set = (uint8_t)p->conf.protocol;
	ip.has_policy = vp->role == EVB_ROLE_BRIDGE;
	ip.policy = (uint8_t)p->conf.policy;
	ip.has_cdcp = p->conf.cdcp.enabled;
	if (ip.has_cdcp)
		cdcp_of(p, &ip.cdcp);
	schan_of(p, &ip);
	ipc_put_port(m, &ip);
}

/* ---------------- answers ---------------- */

const char *ipc_cmd_verb(uint8_t cmd)
{
	switch (cmd) {
	case VDP_TLV_PREASSOC:
		return "preassociate";
	case VDP_TLV_PREASSOC_RR:
		return "preassociate (with reflective relay)";
	case VDP_TLV_ASSOC:
		return "associate";
	case VDP_TLV_DEASSOC:
		return "deassociate";
	}
	return "change";
}

/* The VSI as users type it: a bare UUID, else "format:value". */
const char *ipc_key_str(const struct vdp_vsi_key *k, char *buf, size_t cap)
{
	char id[64];
	vdp_vsiid_str(k->fmt, k->id, id, sizeof(id));
	if (k->fmt == VDP_VSIID_UUID)
		snprintf(buf, cap, "%s", id);
	else
		snprintf(buf, cap, "%s:%s", vdp_vsiid_fmt_name(k->fmt), id);
	return buf;
}

/* A RESULT into ipc->tbuf (without the VSI's attributes if they do not fit). */
static void build_result(struct evbd_ipc *ipc, struct ipc_msg *m, uint32_t seq,
			 const struct answer *a)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		ipc_answer_start(m, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, seq);
		ipc_put_result(m, (uint32_t)a->err, a->msg);
		if (attempt == 0 && a->p && a->v) {
			ipc_put_vsi_of(m, a->p, a->v, loop_now(&ipc->d->loop));
		} else if (attempt == 0 && a->p && a->key) {
			ipc_put_vsi_key(m, a->p->ifname, (uint8_t)a->p->vdp.role, a->key);
			if (a->vanished)
				ipc_put_u8(m, EVB_A_RESULT, VSI_DEASSOCIATED);
		}
		if (!m->full)
			break;
	}
}

void ipc_answer_result(struct evbd_ipc *ipc, uint32_t pid, uint32_t seq, const struct answer *a)
{
	struct ipc_msg m;
	build_result(ipc, &m, seq, a);
	ipc_answer_send(ipc, pid, &m);
}

/* ---------------- answers held for a sync point ---------------- */

void ipc_answer_send_durable(struct evbd_ipc *ipc, uint32_t pid, const struct ipc_msg *m,
			     const char *what)
{
	struct evbd_loop *l = &ipc->d->loop;
	uint64_t gen = store_next_gen(ipc->d->store);
	if (!gen) { /* no state database: nothing is durable, nothing to wait for */
		ipc_answer_send(ipc, pid, m);
		return;
	}
	struct ipc_held *h = malloc(sizeof(*h) + m->nlh->nlmsg_len);
	if (!h) {
		char msg[IPC_MSG_MAX];
		snprintf(msg, sizeof(msg),
			 "evbd is out of memory; the request to %s was made but evbd cannot tell "
			 "when it is durable",
			 what);
		struct answer a = {.err = ENOMEM, .msg = msg};
		ipc_answer_result(ipc, pid, m->nlh->nlmsg_seq, &a);
		return;
	}
	*h = (struct ipc_held){
	    .gen = gen, .pid = pid, .seq = m->nlh->nlmsg_seq, .len = m->nlh->nlmsg_len};
	snprintf(h->what, sizeof(h->what), "%s", what);
	memcpy(h->data, m->nlh, h->len);
	if (ipc->held_tail)
		ipc->held_tail->next = h;
	else
		ipc->held = h;
	ipc->held_tail = h;
	if (++ipc->nheld >= IPC_HELD_MAX)
		loop_commit(l); /* releases (or fails) every held answer now */
	else
		loop_commit_soon(l);
}

void ipc_answer_durable(struct evbd_ipc *ipc, uint32_t pid, uint32_t seq, const struct answer *a,
			const char *what)
{
	struct ipc_msg m;
	build_result(ipc, &m, seq, a);
	ipc_answer_send_durable(ipc, pid, &m, what);
}

static struct ipc_held *held_pop(struct evbd_ipc *ipc)
{
	struct ipc_held *h = ipc->held;
	ipc->held = h->next;
	if (!ipc->held)
		ipc->held_tail = NULL;
	ipc->nheld--;
	return h;
}

/* Answer a held request with err: why, then what it means for its change. */
static void held_fail(struct evbd_ipc *ipc, struct ipc_held *h, int err, const char *why,
		      const char *meaning)
{
	char msg[IPC_MSG_MAX];
	snprintf(msg, sizeof(msg), "%s; the request to %s was not applied durably: %s", why,
		 h->what, meaning);
	struct answer a = {.err = err, .msg = msg};
	ipc->stats.not_durable++;
	ipc_answer_result(ipc, h->pid, h->seq, &a);
}

void ipc_synced(struct evbd_ipc *ipc, uint64_t gen, int err, const char *why)
{
	if (!ipc || !ipc->held)
		return;
	while (ipc->held && ipc->held->gen <= gen) {
		struct ipc_held *h = held_pop(ipc);
		if (err) {
			held_fail(ipc, h, -err,
				  why ? why : "the state database could not be written",
				  "it is in force in evbd, which keeps retrying the write, but a "
				  "restart before that succeeds loses it");
		} else {
			ipc->stats.requests++;
			ipc_send_to(ipc, h->pid, h->data, h->len);
		}
		free(h);
	}
	ipc_flush(ipc);
}

void ipc_held_drop(struct evbd_ipc *ipc)
{
	while (ipc->held) {
		struct ipc_held *h = held_pop(ipc);
		held_fail(ipc, h, ESHUTDOWN, "evbd stopped before the state database was written",
			  "it may be lost");
		free(h);
	}
}

void ipc_fail(struct req *rq, int err, const char *fmt, ...)
{
	char msg[IPC_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err == EPERM)
		rq->ipc->stats.refused++;
	struct answer a = {.err = err, .msg = msg};
	ipc_answer_result(rq->ipc, rq->pid, rq->seq, &a);
}

/* ---------------- authorization ---------------- */

static bool uid_in_group(uid_t uid, gid_t gid, gid_t want)
{
	if (gid == want)
		return true;
	struct passwd *pw = getpwuid(uid);
	if (!pw)
		return false;
	int n = 64;
	gid_t *gl = malloc((size_t)n * sizeof(*gl));
	if (gl && getgrouplist(pw->pw_name, pw->pw_gid, gl, &n) < 0) {
		gid_t *bigger = realloc(gl, (size_t)n * sizeof(*gl));
		gl = bigger ? bigger : gl;
		if (!bigger || getgrouplist(pw->pw_name, pw->pw_gid, gl, &n) < 0)
			n = 0;
	}
	bool in = false;
	for (int i = 0; gl && i < n && !in; i++)
		in = gl[i] == want;
	free(gl);
	return in;
}

bool ipc_cred_trusted(const struct evbd *d, uid_t uid, gid_t gid)
{
	if (uid == 0)
		return true;
	struct group *gr = d->conf.admin_group[0] ? getgrnam(d->conf.admin_group) : NULL;
	return gr && uid_in_group(uid, gid, gr->gr_gid);
}

int ipc_authorize(struct req *rq, const char *what)
{
	if (rq->cred.uid == 0)
		return 0;
	struct evbd_ipc *ipc = rq->ipc;
	const char *group = ipc->d->conf.admin_group;
	if (!group[0]) {
		ipc_fail(
		    rq, EPERM,
		    "%s needs root (uid %u is not; set admin-group in evbd.conf to allow a group)",
		    what, (unsigned)rq->cred.uid);
		return EPERM;
	}
	uint64_t now = loop_now(&ipc->d->loop);
	struct auth_cache *c = &ipc->auth;
	if (!c->valid || c->uid != rq->cred.uid || c->gid != rq->cred.gid ||
	    strcmp(c->group, group) || now >= c->until) {
		struct group *gr = getgrnam(group);
		c->valid = true;
		c->uid = rq->cred.uid;
		c->gid = rq->cred.gid;
		snprintf(c->group, sizeof(c->group), "%s", group);
		c->ok = gr && uid_in_group(rq->cred.uid, rq->cred.gid, gr->gr_gid);
		c->until = now + IPC_AUTH_TTL_US;
	}
	if (c->ok)
		return 0;
	ipc_fail(
	    rq, EPERM,
	    "%s needs root or membership in group '%s'; uid %u is neither (add the user to '%s' "
	    "or run as root)",
	    what, group, (unsigned)rq->cred.uid, group);
	return EPERM;
}
