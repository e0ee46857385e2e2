/*
 * ipc_msg.c - building the control channel's answers: attributes, VSI and
 * port messages, the end of a dump, and RESULT answers with a sentence.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "evbd/ipc_priv.h"
#include "evbd/port.h"

/* ---------------- message building ---------------- */

bool ipc_msg_start(struct nlb *b, void *buf, size_t cap, uint16_t type, uint16_t flags,
		   uint32_t seq)
{
	b->nlh = NULL;
	b->cap = cap;
	b->full = cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct evb_ipc_hdr));
	if (b->full)
		return false;
	b->nlh = mnl_nlmsg_put_header(buf);
	b->nlh->nlmsg_type = type;
	b->nlh->nlmsg_flags = flags;
	b->nlh->nlmsg_seq = seq;
	b->nlh->nlmsg_pid = EVBD_IPC_PORTID;
	struct evb_ipc_hdr *h = mnl_nlmsg_put_extra_header(b->nlh, sizeof(*h));
	h->version = EVBD_IPC_VERSION;
	return true;
}

void ipc_put(struct nlb *b, uint16_t type, size_t len, const void *data)
{
	if (!b->full && !mnl_attr_put_check(b->nlh, b->cap, type, len, data))
		b->full = true;
}

void ipc_put_u8(struct nlb *b, uint16_t type, uint8_t v)
{
	ipc_put(b, type, sizeof(v), &v);
}

static void put_u16(struct nlb *b, uint16_t type, uint16_t v)
{
	ipc_put(b, type, sizeof(v), &v);
}

void ipc_put_u32(struct nlb *b, uint16_t type, uint32_t v)
{
	ipc_put(b, type, sizeof(v), &v);
}

static void put_u64(struct nlb *b, uint16_t type, uint64_t v)
{
	ipc_put(b, type, sizeof(v), &v);
}

void ipc_put_str(struct nlb *b, uint16_t type, const char *s)
{
	if (!b->full && !mnl_attr_put_strz_check(b->nlh, b->cap, type, s))
		b->full = true;
}

static struct nlattr *nest(struct nlb *b, uint16_t type)
{
	struct nlattr *n = b->full ? NULL : mnl_attr_nest_start_check(b->nlh, b->cap, type);
	if (!n)
		b->full = true;
	return n;
}

static void nest_end(struct nlb *b, struct nlattr *n)
{
	if (n && !b->full)
		mnl_attr_nest_end(b->nlh, n);
}

static void put_filter(struct nlb *b, uint8_t fif, const struct vdp_filter *f)
{
	struct nlattr *n = nest(b, EVB_A_FILTER);
	put_u16(b, EVB_FA_VID, f->vid);
	ipc_put_u8(b, EVB_FA_PCP, f->pcp);
	ipc_put_u8(b, EVB_FA_PS, f->ps);
	if (fif == VDP_FIF_MACVID || fif == VDP_FIF_GROUPMACVID)
		ipc_put(b, EVB_FA_MAC, 6, f->mac);
	if (fif == VDP_FIF_GROUPVID || fif == VDP_FIF_GROUPMACVID)
		ipc_put_u32(b, EVB_FA_GROUP, f->group);
	nest_end(b, n);
}

static void put_key(struct nlb *b, const struct evbd_port *p, const struct vdp_vsi_key *k)
{
	ipc_put_str(b, EVB_A_IFNAME, p->ifname);
	ipc_put_u8(b, EVB_A_ROLE, (uint8_t)p->vdp.role);
	ipc_put_u8(b, EVB_A_VSIID_FMT, k->fmt);
	ipc_put(b, EVB_A_VSIID, VDP_VSIID_LEN, k->id);
}

void ipc_put_vsi(struct nlb *b, const struct evbd_port *p, const struct vdp_vsi *v, uint64_t now)
{
	put_key(b, p, &v->key);
	ipc_put_u32(b, EVB_A_TYPE_ID, v->type_id);
	ipc_put_u8(b, EVB_A_TYPE_VER, v->type_ver);
	ipc_put(b, EVB_A_MGRID, VDP_MGRID_LEN, v->mgrid);
	ipc_put_u8(b, EVB_A_CMD, v->cmd);
	ipc_put_u8(b, EVB_A_HINTS, v->hints);
	ipc_put_u8(b, EVB_A_STATE, v->state);
	ipc_put_u8(b, EVB_A_RESULT, v->result);
	ipc_put_u8(b, EVB_A_REASON, v->reason);
	ipc_put_u8(b, EVB_A_STATUS, v->status);
	ipc_put_u8(b, EVB_A_CONFIRMED, v->confirmed);
	put_u64(b, EVB_A_CREATED_AGE, now > v->created ? now - v->created : 0);
	ipc_put_u8(b, EVB_A_FIF, v->fif);
	const struct vdp_filter *f = vsi_filters(v);
	for (uint16_t i = 0; i < v->nfilters; i++)
		put_filter(b, v->fif, &f[i]);
}

static void put_oper(struct nlb *b, const struct evb_oper *o)
{
	struct nlattr *n = nest(b, EVB_A_OPER);
	ipc_put_u8(b, EVB_OA_VALID, o->valid);
	ipc_put_u8(b, EVB_OA_R, o->r);
	ipc_put_u8(b, EVB_OA_RTE, o->rte);
	ipc_put_u8(b, EVB_OA_RWD, o->rwd);
	ipc_put_u8(b, EVB_OA_RKA, o->rka);
	ipc_put_u8(b, EVB_OA_RR, o->rr);
	ipc_put_u8(b, EVB_OA_GID, o->gid);
	nest_end(b, n);
}

static void put_neighbor(struct nlb *b, const struct lldp_neighbor *nb)
{
	if (!nb->valid)
		return;
	struct nlattr *n = nest(b, EVB_A_NEIGHBOR);
	ipc_put(b, EVB_NA_MAC, 6, nb->mac);
	ipc_put(b, EVB_NA_CHASSIS, nb->chassis.len, nb->chassis.id);
	ipc_put_u8(b, EVB_NA_CHASSIS_ST, nb->chassis.subtype);
	ipc_put(b, EVB_NA_PORT, nb->port.len, nb->port.id);
	ipc_put_u8(b, EVB_NA_PORT_ST, nb->port.subtype);
	put_u16(b, EVB_NA_TTL, nb->ttl);
	ipc_put_u8(b, EVB_NA_MODE, nb->has_evb ? nb->evb.mode : 0);
	nest_end(b, n);
}

static void put_ecp(struct nlb *b, const struct ecp_counters *c)
{
	struct nlattr *n = nest(b, EVB_A_ECP);
	ipc_put_u32(b, EVB_EA_TX_FRAMES, c->tx_frames);
	ipc_put_u32(b, EVB_EA_TX_RETRIES, c->tx_retries);
	ipc_put_u32(b, EVB_EA_TX_FAILURES, c->tx_failures);
	ipc_put_u32(b, EVB_EA_RX_FRAMES, c->rx_frames);
	ipc_put_u32(b, EVB_EA_RX_DUPS, c->rx_dups);
	nest_end(b, n);
}

static void put_counts(struct nlb *b, const struct vdp_port *vp)
{
	const uint32_t *by = vp->by_result;
	struct nlattr *n = nest(b, EVB_A_VSI_COUNTS);
	ipc_put_u32(b, EVB_CA_TOTAL, (uint32_t)vp->vsis.count);
	ipc_put_u32(b, EVB_CA_PENDING, by[VSI_PENDING]);
	ipc_put_u32(b, EVB_CA_PREASSOCIATED, by[VSI_PREASSOCIATED] + by[VSI_PREASSOCIATED_RR]);
	ipc_put_u32(b, EVB_CA_ASSOCIATED, by[VSI_ASSOCIATED]);
	ipc_put_u32(b, EVB_CA_FAILED, by[VSI_FAILED]);
	nest_end(b, n);
}

static void put_drops(struct nlb *b, const struct evbd_port *p)
{
	const struct vdp_port_stats *s = &p->vdp.stats;
	struct nlattr *n = nest(b, EVB_A_DROPS);
	ipc_put_u32(b, EVB_DA_LLDP_BAD, p->lldp.stats.rx_bad);
	ipc_put_u32(b, EVB_DA_ECP_BAD, s->rx_bad_ecp);
	ipc_put_u32(b, EVB_DA_TLV_BAD, s->rx_bad_tlv);
	ipc_put_u32(b, EVB_DA_VSI_BAD, s->rx_bad_vsi);
	ipc_put_u32(b, EVB_DA_UNKNOWN_VSI, s->rx_unknown_vsi);
	ipc_put_u32(b, EVB_DA_WRONG_DIR, s->rx_wrong_dir);
	nest_end(b, n);
}

void ipc_put_port(struct nlb *b, const struct evbd_port *p)
{
	ipc_put_str(b, EVB_A_IFNAME, p->ifname);
	ipc_put_u8(b, EVB_A_ROLE, (uint8_t)p->vdp.role);
	ipc_put_u8(b, EVB_A_LINK, p->link_up);
	ipc_put_u8(b, EVB_A_PRESENT, p->present);
	ipc_put(b, EVB_A_PORT_MAC, 6, p->mac);
	put_oper(b, &p->lldp.oper);
	put_neighbor(b, &p->lldp.nbr);
	put_ecp(b, &p->vdp.ecp);
	put_counts(b, &p->vdp);
	put_drops(b, p);
	if (p->vdp.role == EVB_ROLE_BRIDGE)
		ipc_put_u8(b, EVB_A_POLICY, (uint8_t)p->conf.policy);
}

size_t ipc_put_done(void *buf, size_t cap, uint32_t seq)
{
	if (cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(int)))
		return 0;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = EVBD_IPC_PORTID;
	int *status = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*status = 0;
	return nlh->nlmsg_len;
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

void ipc_answer_result(struct evbd_ipc *ipc, uint32_t pid, uint32_t seq, const struct answer *a)
{
	struct nlb b;
	for (int attempt = 0; attempt < 2; attempt++) {
		ipc_msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, seq);
		ipc_put_u32(&b, EVB_A_ERRNO, (uint32_t)a->err);
		if (a->msg && *a->msg)
			ipc_put_str(&b, EVB_A_ERRMSG, a->msg);
		if (attempt == 0 && a->p && a->v) {
			ipc_put_vsi(&b, a->p, a->v, evbd_now());
		} else if (attempt == 0 && a->p && a->key) {
			put_key(&b, a->p, a->key);
			if (a->vanished)
				ipc_put_u8(&b, EVB_A_RESULT, VSI_DEASSOCIATED);
		}
		if (!b.full)
			break;
	}
	ipc->stats.requests++;
	ipc_send_to(ipc, pid, b.nlh, b.nlh->nlmsg_len);
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
