/* SPDX-License-Identifier: ISC */
/*
 * ipc_vsi.c - VSI commands over the control channel, and the commands that
 * wait (EVB_F_WAIT): they live in a hash table keyed by (port, VSI key) and
 * are answered from ipc_vsi_changed() once the VSI's result is final.  Also
 * the items of the VSI and port dumps.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evbd/ipc_msg.h"
#include "evbd/ipc_out.h"
#include "evbd/ipc_vsi.h"
#include "evbd/journal.h"
#include "evbd/log.h"
#include "evbd/port.h"

/* ---------------- waiters ---------------- */

static uint32_t waiter_hash(const struct evbd_port *p, const struct vdp_vsi_key *k)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)p;
	h = (h ^ k->fmt) * 1099511628211ull;
	for (size_t i = 0; i < VDP_VSIID_LEN; i++)
		h = (h ^ k->id[i]) * 1099511628211ull;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

static bool waiter_is(const struct ipc_waiter *w, const struct evbd_port *p,
		      const struct vdp_vsi_key *k)
{
	return w->port == p && w->key.fmt == k->fmt && !memcmp(w->key.id, k->id, VDP_VSIID_LEN);
}

static int wtable_grow(struct wtable *t)
{
	size_t nb = t->nb ? t->nb * 2 : 64;
	struct ipc_waiter **b = calloc(nb, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < t->nb; i++) {
		struct ipc_waiter *w = t->b[i];
		while (w) {
			struct ipc_waiter *next = w->next;
			w->next = b[w->hash & (nb - 1)];
			b[w->hash & (nb - 1)] = w;
			w = next;
		}
	}
	free(t->b);
	t->b = b;
	t->nb = nb;
	return 0;
}

static int waiter_add(struct evbd_ipc *ipc, const struct req *rq, const struct evbd_port *p,
		      const struct vdp_vsi_key *k, uint8_t cmd)
{
	struct wtable *t = &ipc->w;
	if ((t->n >= t->nb || !t->nb) && wtable_grow(t) && !t->nb)
		return -ENOMEM;
	struct ipc_waiter *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct ipc_waiter){.port = p,
				 .key = *k,
				 .hash = waiter_hash(p, k),
				 .pid = rq->pid,
				 .seq = rq->seq,
				 .cmd = cmd};
	w->next = t->b[w->hash & (t->nb - 1)];
	t->b[w->hash & (t->nb - 1)] = w;
	t->n++;
	ipc->stats.waiters = (uint32_t)t->n;
	return 0;
}

/* Unlink the waiter *pp points at and return it. */
static struct ipc_waiter *waiter_unlink(struct evbd_ipc *ipc, struct ipc_waiter **pp)
{
	struct ipc_waiter *w = *pp;
	*pp = w->next;
	ipc->w.n--;
	ipc->stats.waiters = (uint32_t)ipc->w.n;
	return w;
}

/* Answer one waiter with err/sentence (no VSI attributes) and free it. */
static void waiter_end(struct evbd_ipc *ipc, struct ipc_waiter *w, int err, const char *msg)
{
	struct answer a = {.err = err, .msg = msg, .p = w->port, .key = &w->key};
	ipc_answer_result(ipc, w->pid, w->seq, &a);
	free(w);
}

/* Remove the waiter of request (pid, seq) on (p, k) without answering. */
static void waiter_forget(struct evbd_ipc *ipc, const struct evbd_port *p,
			  const struct vdp_vsi_key *k, uint32_t pid, uint32_t seq)
{
	if (!ipc->w.n)
		return;
	struct ipc_waiter **pp = &ipc->w.b[waiter_hash(p, k) & (ipc->w.nb - 1)];
	for (; *pp; pp = &(*pp)->next) {
		if (waiter_is(*pp, p, k) && (*pp)->pid == pid && (*pp)->seq == seq) {
			free(waiter_unlink(ipc, pp));
			return;
		}
	}
}

/* A new command on (p, k) supersedes waiters for a different command. */
static void waiters_supersede(struct evbd_ipc *ipc, const struct evbd_port *p,
			      const struct vdp_vsi_key *k, uint8_t cmd)
{
	if (!ipc->w.n)
		return;
	uint32_t h = waiter_hash(p, k);
	struct ipc_waiter **pp = &ipc->w.b[h & (ipc->w.nb - 1)];
	while (*pp) {
		if (!waiter_is(*pp, p, k) || (*pp)->cmd == cmd) {
			pp = &(*pp)->next;
			continue;
		}
		struct ipc_waiter *w = waiter_unlink(ipc, pp);
		char ks[KEY_STR_MAX], msg[IPC_MSG_MAX];
		snprintf(msg, sizeof(msg),
			 "the %s request for VSI %s on port %s was superseded by a later %s "
			 "request",
			 ipc_cmd_verb(w->cmd), ipc_key_str(k, ks, sizeof(ks)), p->ifname,
			 ipc_cmd_verb(cmd));
		waiter_end(ipc, w, ECANCELED, msg);
	}
}

/* End every waiter matching pred (port p, or all when p is NULL). */
void ipc_waiters_shutdown(struct evbd_ipc *ipc, const struct evbd_port *p, const char *why)
{
	for (size_t i = 0; i < ipc->w.nb && ipc->w.n; i++) {
		struct ipc_waiter **pp = &ipc->w.b[i];
		while (*pp) {
			if (p && (*pp)->port != p) {
				pp = &(*pp)->next;
				continue;
			}
			struct ipc_waiter *w = waiter_unlink(ipc, pp);
			char ks[KEY_STR_MAX], msg[IPC_MSG_MAX];
			snprintf(msg, sizeof(msg), "the %s request for VSI %s on port %s ended: %s",
				 ipc_cmd_verb(w->cmd), ipc_key_str(&w->key, ks, sizeof(ks)),
				 w->port->ifname, why);
			waiter_end(ipc, w, ESHUTDOWN, msg);
		}
	}
}

int ipc_wait_outcome(uint8_t cmd, uint8_t result, uint8_t reason, bool removed)
{
	if (cmd == VDP_TLV_DEASSOC) {
		if (result == VSI_DEASSOCIATED)
			return 0;
		if (!removed && result != VSI_FAILED)
			return -EINPROGRESS; /* still pending, or the old state shown */
		return reason ? ECONNREFUSED : ETIMEDOUT;
	}
	if (result == VSI_PENDING)
		return removed ? ETIMEDOUT : -EINPROGRESS;
	bool asked = (cmd == VDP_TLV_PREASSOC && result == VSI_PREASSOCIATED) ||
		     (cmd == VDP_TLV_PREASSOC_RR && result == VSI_PREASSOCIATED_RR) ||
		     (cmd == VDP_TLV_ASSOC && result == VSI_ASSOCIATED);
	if (asked && !reason && !removed)
		return 0;
	if (result == VSI_FAILED && !reason)
		return ETIMEDOUT;
	return ECONNREFUSED;
}

/* "associate VSI X on port Y": what a held answer's request did. */
static const char *what_of(char *buf, size_t cap, uint8_t cmd, const struct vdp_vsi_key *k,
			   const struct evbd_port *p)
{
	char ks[KEY_STR_MAX];
	snprintf(buf, cap, "%s VSI %s on port %s", ipc_cmd_verb(cmd),
		 ipc_key_str(k, ks, sizeof(ks)), p->ifname);
	return buf;
}

static void outcome_msg(char *msg, size_t cap, int outcome, uint8_t cmd, const char *ks,
			const char *ifname, const struct vdp_vsi *v)
{
	if (outcome == ETIMEDOUT)
		snprintf(msg, cap,
			 "no answer from the bridge to the %s request for VSI %s on port %s; the "
			 "VSI is %s",
			 ipc_cmd_verb(cmd), ks, ifname, vsi_result_name(v->result));
	else if (v->reason)
		snprintf(msg, cap, "bridge refused to %s VSI %s on port %s: %s (reason %u)%s%s",
			 ipc_cmd_verb(cmd), ks, ifname, vdp_reason_name(v->reason), v->reason,
			 v->status & VDP_STATUS_KEEP ? "; the VSI stays " : "",
			 v->status & VDP_STATUS_KEEP ? vsi_result_name(v->result) : "");
	else
		snprintf(msg, cap, "bridge refused to %s VSI %s on port %s: the VSI is now %s",
			 ipc_cmd_verb(cmd), ks, ifname, vsi_result_name(v->result));
}

void ipc_vsi_changed(struct evbd_ipc *ipc, struct evbd_port *p, struct vdp_vsi *v,
		     const struct vdp_sm_out *out)
{
	if (!ipc || !ipc->w.n || !(out->notify || out->remove))
		return;
	struct ipc_waiter **pp = &ipc->w.b[waiter_hash(p, &v->key) & (ipc->w.nb - 1)];
	while (*pp) {
		if (!waiter_is(*pp, p, &v->key)) {
			pp = &(*pp)->next;
			continue;
		}
		int o = ipc_wait_outcome((*pp)->cmd, v->result, v->reason, out->remove);
		if (o == -EINPROGRESS) {
			pp = &(*pp)->next;
			continue;
		}
		struct ipc_waiter *w = waiter_unlink(ipc, pp);
		char ks[KEY_STR_MAX], msg[IPC_MSG_MAX] = "";
		if (o)
			outcome_msg(msg, sizeof(msg), o, w->cmd,
				    ipc_key_str(&v->key, ks, sizeof(ks)), p->ifname, v);
		struct answer a = {.err = o, .msg = msg, .p = p, .v = v};
		if (o) {
			ipc_answer_result(ipc, w->pid, w->seq, &a);
		} else {
			char what[IPC_WHAT_MAX];
			ipc_answer_durable(ipc, w->pid, w->seq, &a,
					   what_of(what, sizeof(what), w->cmd, &v->key, p));
		}
		free(w);
		evbd_port_kick(p); /* the end of the turn flushes the answers */
	}
}

void ipc_port_removed(struct evbd_ipc *ipc, struct evbd_port *p)
{
	ipc_counters_forget(ipc, p);
	if (ipc && ipc->w.n) {
		ipc_waiters_shutdown(ipc, p, "the port is being removed from evbd");
		ipc_flush(ipc);
	}
}

/* ---------------- VSI commands ---------------- */

/* ENODEV with the list of managed ports. */
static void fail_no_port(struct req *rq, const char *ifname)
{
	char list[IPC_MSG_MAX / 2] = "";
	size_t off = 0;
	const struct evbd *d = rq->ipc->d;
	for (unsigned i = 0; i < d->nports && off < sizeof(list); i++) {
		int n = snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "",
				 d->ports[i]->ifname);
		off += n > 0 ? (size_t)n : 0;
	}
	if (d->nports)
		ipc_fail(rq, ENODEV, "no EVB port named %s; evbd manages: %s", ifname, list);
	else
		ipc_fail(rq, ENODEV, "no EVB port named %s; evbd manages no ports", ifname);
}

/* The port named by IFNAME, or NULL after answering. */
struct evbd_port *ipc_req_port(struct req *rq, bool required)
{
	const char *name = ipc_get_ifname(&rq->at);
	if (!name) {
		if (required)
			ipc_fail(rq, EINVAL,
				 "the request names no port (attribute IFNAME missing)");
		return NULL;
	}
	struct evbd_port *p = evbd_port_find(rq->ipc->d, name);
	if (!p)
		fail_no_port(rq, name);
	return p;
}

/* The content rules a bridge applies, with the problem named.  0 or reason. */
static uint8_t check_content(const struct evbd_port *p, const struct vdp_request *r,
			     const char **what)
{
	return vdp_request_check(r, p->vdp.oper.gid || !p->vdp.oper.valid, what);
}

static void fail_submit(struct req *rq, int err, const struct evbd_port *p,
			const struct vdp_request *r, uint8_t reason)
{
	char ks[KEY_STR_MAX];
	ipc_key_str(&r->key, ks, sizeof(ks));
	switch (err) {
	case -ENOENT:
		ipc_fail(rq, ENOENT, "VSI %s is not known on port %s", ks, p->ifname);
		break;
	case -EOPNOTSUPP:
		ipc_fail(rq, EOPNOTSUPP,
			 "port %s is a bridge port; VSIs are requested on station ports",
			 p->ifname);
		break;
	case -EINVAL:
		ipc_fail(rq, EINVAL, "cannot %s VSI %s on port %s: %s (reason %u)",
			 ipc_cmd_verb(r->type), ks, p->ifname, vdp_reason_name(reason), reason);
		break;
	case -ENOMEM:
		ipc_fail(rq, ENOMEM, "evbd is out of memory; VSI %s on port %s was not changed", ks,
			 p->ifname);
		break;
	default:
		ipc_fail(rq, -err, "cannot %s VSI %s on port %s: %s", ipc_cmd_verb(r->type), ks,
			 p->ifname, strerror(-err));
	}
}

void ipc_handle_vsi_cmd(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct evbd_port *p = ipc_req_port(rq, true);
	if (!p)
		return;
	if (p->vdp.role != EVB_ROLE_STATION) {
		ipc_fail(rq, EOPNOTSUPP,
			 "port %s is a bridge port; VSIs are requested on station ports",
			 p->ifname);
		return;
	}
	struct vdp_request r;
	char what[160];
	if (ipc_get_vsi_request(&rq->at, &r, ipc->filt, what, sizeof(what))) {
		ipc_fail(rq, EINVAL, "invalid VSI request for port %s: %s", p->ifname, what);
		return;
	}
	char ks[KEY_STR_MAX];
	const char *problem;
	uint8_t rsn = check_content(p, &r, &problem);
	if (rsn != VDP_RSN_SUCCESS) {
		ipc_fail(rq, EINVAL, "cannot %s VSI %s on port %s: %s (%s, reason %u)",
			 ipc_cmd_verb(r.type), ipc_key_str(&r.key, ks, sizeof(ks)), p->ifname,
			 problem ? problem : "invalid request", vdp_reason_name(rsn), rsn);
		return;
	}
	const char *why = port_cannot_say(p, &r);
	if (why) {
		ipc_fail(
		    rq, EPROTONOSUPPORT,
		    "cannot %s VSI %s on port %s: the port speaks draft 0.2 with its neighbour "
		    "and %s; give a UUID and MAC/VLAN filters, or use the VSI on a port whose "
		    "neighbour speaks 802.1Qbg-2012",
		    ipc_cmd_verb(r.type), ipc_key_str(&r.key, ks, sizeof(ks)), p->ifname, why);
		return;
	}
	bool wait = rq->flags & EVB_F_WAIT;
	waiters_supersede(ipc, p, &r.key, r.type);
	/* Registered first: the request may already produce the final answer. */
	if (wait && waiter_add(ipc, rq, p, &r.key, r.type)) {
		ipc_fail(rq, ENOMEM, "evbd is out of memory; cannot wait for VSI %s",
			 ipc_key_str(&r.key, ks, sizeof(ks)));
		return;
	}
	uint8_t reason = 0;
	journal_vsi_request(ipc->d->journal, p, &r);
	int err = port_vsi_request(p, &r, NULL, &reason);
	if (err) {
		if (wait)
			waiter_forget(ipc, p, &r.key, rq->pid, rq->seq);
		fail_submit(rq, err, p, &r, reason);
		return;
	}
	if (wait)
		return; /* answered by ipc_vsi_changed() (or already was) */
	struct answer a = {.p = p, .key = &r.key, .vanished = true};
	a.v = vsi_table_find(&p->vdp.vsis, &r.key);
	ipc_answer_durable(ipc, rq->pid, rq->seq, &a,
			   what_of(what, sizeof(what), r.type, &r.key, p));
}

/* ---------------- VSI and port dumps ---------------- */

/* The next port of the dump (dm->ifname: that one only), or NULL. */
static const struct evbd_port *dump_port(const struct evbd *d, struct ipc_dump *dm)
{
	for (; dm->port < d->nports; dm->port++, dm->cur = (struct vsi_cursor){0}) {
		const struct evbd_port *p = d->ports[dm->port];
		if (!dm->ifname[0] || !strcmp(p->ifname, dm->ifname))
			return p;
	}
	return NULL;
}

int ipc_port_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct evbd_port *p;
	struct ipc_msg m;
	while ((p = dump_port(ipc->d, dm)) && dm->cur.pos) { /* this port was sent */
		dm->port++;
		dm->cur = (struct vsi_cursor){0};
	}
	if (!p)
		return 0;
	ipc_answer_start(&m, buf, cap, EVB_MSG_PORT, NLM_F_MULTI, dm->seq);
	ipc_put_port_of(&m, p);
	if (m.full)
		return -ENOSPC;
	dm->cur.pos = 1;
	return (int)m.nlh->nlmsg_len;
}

/* The next VSI of port p for the dump: every one in turn, or the one
 * named by dm->key (once). */
static const struct vdp_vsi *dump_vsi(const struct evbd_port *p, struct ipc_dump *dm)
{
	if (!dm->key.fmt)
		return vsi_table_next(&p->vdp.vsis, &dm->cur);
	if (dm->cur.pos)
		return NULL;
	dm->cur.pos = 1;
	return vsi_table_find(&p->vdp.vsis, &dm->key);
}

int ipc_vsi_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct evbd_port *p;
	struct ipc_msg m;
	for (; (p = dump_port(ipc->d, dm)); dm->port++, dm->cur = (struct vsi_cursor){0}) {
		struct vsi_cursor save = dm->cur;
		const struct vdp_vsi *v = dump_vsi(p, dm);
		if (!v)
			continue;
		ipc_answer_start(&m, buf, cap, EVB_MSG_VSI, NLM_F_MULTI, dm->seq);
		ipc_put_vsi_of(&m, p, v, loop_now(&p->d->loop));
		if (m.full) {
			dm->cur = save;
			return -ENOSPC;
		}
		return (int)m.nlh->nlmsg_len;
	}
	return 0;
}
