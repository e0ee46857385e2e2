/*
 * ipc.c - evbd's control channel server (see ipc.h, schema in ipc_schema.h).
 *
 * Reading: every datagram must carry SCM_CREDENTIALS and come from a user
 * space socket; each netlink request in it is validated attribute by
 * attribute and gets exactly one answer, sent to the address the datagram
 * came from.
 *
 * Writing: answers go out at once when the peer can take them.  A peer whose
 * receive buffer is full gets a backlog: a FIFO of jobs (ready datagrams, or
 * a dump that builds its next ~16 KiB datagram lazily from a cursor), retried
 * on a short timer with back-off.  (Netlink sockets always poll writable --
 * the receiver's buffer is what fills -- so EV_WRITE cannot pace this.)
 *
 * Waiting commands (EVB_F_WAIT) live in a hash table keyed by (port, VSI
 * key) and are answered from ipc_vsi_changed() once the VSI's result is
 * final.
 */
#include "evbd/ipc.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

#include "evbd/ipc_schema.h"
#include "evbd/log.h"
#include "evbd/mib.h"
#include "evbd/plugin.h"
#include "evbd/policy.h"
#include "evbd/port.h"
#include "evbd/vsitype.h"
#include "mib/evb_mib.h"
#include "vdp/vdp_tlv.h"

#define IPC_CHUNK	 16384		   /* dump datagrams are filled up to this size */
#define IPC_BUF		 EVBD_IPC_MAX_MSG  /* largest datagram either way */
#define IPC_READ_BURST	 256		   /* datagrams per read callback */
#define IPC_PEER_CAP	 (32u << 20)	   /* queued answer octets per peer */
#define IPC_STALL_US	 (10 * 1000000ull) /* a backlog without progress is dropped */
#define IPC_RETRY_MIN_US 500
#define IPC_RETRY_MAX_US 20000
#define IPC_AUTH_TTL_US	 (5 * 1000000ull)
#define IPC_SOCK_BUF	 (4 << 20)
#define IPC_MSG_MAX	 512 /* error sentences */
#define KEY_STR_MAX	 80

/* ---------------- types ---------------- */

struct ipc_dump {
	uint16_t type; /* EVB_MSG_VSI_GET or EVB_MSG_PORT_GET */
	uint32_t seq;
	char ifname[IF_NAMESIZE]; /* "" = every port */
	unsigned port;		  /* index into d->ports */
	struct vsi_cursor cur;
	bool finished; /* NLMSG_DONE built */
	struct mib_oid *mib; /* EVB_MSG_MIB_GET: [0] where the walk is, [1] its subtree */
};

struct ipc_job {
	struct ipc_job *next;
	struct ipc_dump *dump; /* NULL: a ready datagram */
	size_t len;	       /* octets ready in data, 0 = none */
	size_t cap;	       /* room in data (answers share a datagram up to IPC_CHUNK) */
	uint8_t *data;
};

struct ipc_peer {
	struct ipc_peer *next;
	uint32_t pid;
	struct ipc_job *head, *tail;
	size_t bytes;	   /* queued octets of ready datagrams */
	uint64_t progress; /* µs of the last successful send (or creation) */
};

struct ipc_waiter {
	struct ipc_waiter *next;
	const struct evbd_port *port;
	struct vdp_vsi_key key;
	uint32_t hash;
	uint32_t pid, seq;
	uint8_t cmd;
};

struct wtable {
	struct ipc_waiter **b;
	size_t nb; /* power of two, 0 before the first waiter */
	size_t n;
};

struct auth_cache {
	bool valid;
	uid_t uid;
	gid_t gid;
	char group[sizeof(((struct evbd_conf *)0)->admin_group)];
	bool ok;
	uint64_t until;
};

struct evbd_ipc {
	struct evbd *d;
	struct mnl_socket *nl;
	int fd;
	struct event *rx_ev;
	struct event *retry_ev;
	uint64_t retry_us;
	struct ipc_peer *peers; /* peers with a backlog */
	struct wtable w;
	struct auth_cache auth;
	struct ipc_stats stats;
	uint64_t sent; /* datagrams sent (back-off pacing) */
	struct vdp_filter filt[VDP_MAX_FILTERS];
	uint8_t rbuf[IPC_BUF];
	uint8_t tbuf[IPC_BUF];
};

/* One request being handled. */
struct req {
	struct evbd_ipc *ipc;
	uint32_t pid, seq;
	struct ucred cred;
	const struct nlmsghdr *nlh;
	uint8_t flags; /* EVB_F_* */
	const struct nlattr *tb[EVB_A_MAX];
	const struct nlattr *filters[VDP_MAX_FILTERS];
	unsigned nfilters;
};

/* ---------------- message building ---------------- */

struct nlb {
	struct nlmsghdr *nlh;
	size_t cap; /* octets available from nlh */
	bool full;
};

static bool msg_start(struct nlb *b, void *buf, size_t cap, uint16_t type, uint16_t flags,
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

static void put(struct nlb *b, uint16_t type, size_t len, const void *data)
{
	if (!b->full && !mnl_attr_put_check(b->nlh, b->cap, type, len, data))
		b->full = true;
}

static void put_u8(struct nlb *b, uint16_t type, uint8_t v)
{
	put(b, type, sizeof(v), &v);
}

static void put_u16(struct nlb *b, uint16_t type, uint16_t v)
{
	put(b, type, sizeof(v), &v);
}

static void put_u32(struct nlb *b, uint16_t type, uint32_t v)
{
	put(b, type, sizeof(v), &v);
}

static void put_u64(struct nlb *b, uint16_t type, uint64_t v)
{
	put(b, type, sizeof(v), &v);
}

static void put_str(struct nlb *b, uint16_t type, const char *s)
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
	put_u8(b, EVB_FA_PCP, f->pcp);
	put_u8(b, EVB_FA_PS, f->ps);
	if (fif == VDP_FIF_MACVID || fif == VDP_FIF_GROUPMACVID)
		put(b, EVB_FA_MAC, 6, f->mac);
	if (fif == VDP_FIF_GROUPVID || fif == VDP_FIF_GROUPMACVID)
		put_u32(b, EVB_FA_GROUP, f->group);
	nest_end(b, n);
}

static void put_key(struct nlb *b, const struct evbd_port *p, const struct vdp_vsi_key *k)
{
	put_str(b, EVB_A_IFNAME, p->ifname);
	put_u8(b, EVB_A_ROLE, (uint8_t)p->vdp.role);
	put_u8(b, EVB_A_VSIID_FMT, k->fmt);
	put(b, EVB_A_VSIID, VDP_VSIID_LEN, k->id);
}

static void put_vsi(struct nlb *b, const struct evbd_port *p, const struct vdp_vsi *v, uint64_t now)
{
	put_key(b, p, &v->key);
	put_u32(b, EVB_A_TYPE_ID, v->type_id);
	put_u8(b, EVB_A_TYPE_VER, v->type_ver);
	put(b, EVB_A_MGRID, VDP_MGRID_LEN, v->mgrid);
	put_u8(b, EVB_A_CMD, v->cmd);
	put_u8(b, EVB_A_HINTS, v->hints);
	put_u8(b, EVB_A_STATE, v->state);
	put_u8(b, EVB_A_RESULT, v->result);
	put_u8(b, EVB_A_REASON, v->reason);
	put_u8(b, EVB_A_STATUS, v->status);
	put_u8(b, EVB_A_CONFIRMED, v->confirmed);
	put_u64(b, EVB_A_CREATED_AGE, now > v->created ? now - v->created : 0);
	put_u8(b, EVB_A_FIF, v->fif);
	const struct vdp_filter *f = vsi_filters(v);
	for (uint16_t i = 0; i < v->nfilters; i++)
		put_filter(b, v->fif, &f[i]);
}

static void put_oper(struct nlb *b, const struct evb_oper *o)
{
	struct nlattr *n = nest(b, EVB_A_OPER);
	put_u8(b, EVB_OA_VALID, o->valid);
	put_u8(b, EVB_OA_R, o->r);
	put_u8(b, EVB_OA_RTE, o->rte);
	put_u8(b, EVB_OA_RWD, o->rwd);
	put_u8(b, EVB_OA_RKA, o->rka);
	put_u8(b, EVB_OA_RR, o->rr);
	put_u8(b, EVB_OA_GID, o->gid);
	nest_end(b, n);
}

static void put_neighbor(struct nlb *b, const struct evbd_neighbor *nb)
{
	if (!nb->valid)
		return;
	struct nlattr *n = nest(b, EVB_A_NEIGHBOR);
	put(b, EVB_NA_MAC, 6, nb->mac);
	put(b, EVB_NA_CHASSIS, nb->chassis.len, nb->chassis.id);
	put_u8(b, EVB_NA_CHASSIS_ST, nb->chassis.subtype);
	put(b, EVB_NA_PORT, nb->port.len, nb->port.id);
	put_u8(b, EVB_NA_PORT_ST, nb->port.subtype);
	put_u16(b, EVB_NA_TTL, nb->ttl);
	put_u8(b, EVB_NA_MODE, nb->has_evb ? nb->evb.mode : 0);
	nest_end(b, n);
}

static void put_ecp(struct nlb *b, const struct ecp_counters *c)
{
	struct nlattr *n = nest(b, EVB_A_ECP);
	put_u32(b, EVB_EA_TX_FRAMES, c->tx_frames);
	put_u32(b, EVB_EA_TX_RETRIES, c->tx_retries);
	put_u32(b, EVB_EA_TX_FAILURES, c->tx_failures);
	put_u32(b, EVB_EA_RX_FRAMES, c->rx_frames);
	put_u32(b, EVB_EA_RX_DUPS, c->rx_dups);
	nest_end(b, n);
}

static void put_counts(struct nlb *b, const struct vdp_port *vp)
{
	const uint32_t *by = vp->by_result;
	struct nlattr *n = nest(b, EVB_A_VSI_COUNTS);
	put_u32(b, EVB_CA_TOTAL, (uint32_t)vp->vsis.count);
	put_u32(b, EVB_CA_PENDING, by[VSI_PENDING]);
	put_u32(b, EVB_CA_PREASSOCIATED, by[VSI_PREASSOCIATED] + by[VSI_PREASSOCIATED_RR]);
	put_u32(b, EVB_CA_ASSOCIATED, by[VSI_ASSOCIATED]);
	put_u32(b, EVB_CA_FAILED, by[VSI_FAILED]);
	nest_end(b, n);
}

static void put_drops(struct nlb *b, const struct evbd_port *p)
{
	const struct vdp_port_stats *s = &p->vdp.stats;
	struct nlattr *n = nest(b, EVB_A_DROPS);
	put_u32(b, EVB_DA_LLDP_BAD, p->lldp.rx_bad);
	put_u32(b, EVB_DA_ECP_BAD, s->rx_bad_ecp);
	put_u32(b, EVB_DA_TLV_BAD, s->rx_bad_tlv);
	put_u32(b, EVB_DA_VSI_BAD, s->rx_bad_vsi);
	put_u32(b, EVB_DA_UNKNOWN_VSI, s->rx_unknown_vsi);
	put_u32(b, EVB_DA_WRONG_DIR, s->rx_wrong_dir);
	nest_end(b, n);
}

static void put_port(struct nlb *b, const struct evbd_port *p)
{
	put_str(b, EVB_A_IFNAME, p->ifname);
	put_u8(b, EVB_A_ROLE, (uint8_t)p->vdp.role);
	put_u8(b, EVB_A_LINK, p->link_up);
	put_u8(b, EVB_A_PRESENT, p->present);
	put(b, EVB_A_PORT_MAC, 6, p->mac);
	put_oper(b, &p->oper);
	put_neighbor(b, &p->nbr);
	put_ecp(b, &p->vdp.ecp);
	put_counts(b, &p->vdp);
	put_drops(b, p);
	if (p->vdp.role == EVB_ROLE_BRIDGE)
		put_u8(b, EVB_A_POLICY, (uint8_t)p->conf.policy);
}

static size_t put_done(void *buf, size_t cap, uint32_t seq)
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

/* ---------------- sending and backlogs ---------------- */

static void arm_retry(struct evbd_ipc *ipc)
{
	if (evtimer_pending(ipc->retry_ev, NULL))
		return;
	struct timeval tv = {.tv_sec = (time_t)(ipc->retry_us / 1000000),
			     .tv_usec = (suseconds_t)(ipc->retry_us % 1000000)};
	evtimer_add(ipc->retry_ev, &tv);
}

/* 0 sent, -EAGAIN the peer's buffer is full, other negative errno: peer gone. */
static int raw_send(struct evbd_ipc *ipc, uint32_t pid, const void *buf, size_t len)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = pid};
	for (;;) {
		if (sendto(ipc->fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof(sa)) >=
		    0) {
			ipc->sent++;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
			ipc->stats.tx_backlogged++;
			return -EAGAIN;
		}
		return -errno;
	}
}

static struct ipc_peer *peer_find(struct evbd_ipc *ipc, uint32_t pid)
{
	for (struct ipc_peer *pr = ipc->peers; pr; pr = pr->next)
		if (pr->pid == pid)
			return pr;
	return NULL;
}

static struct ipc_peer *peer_get(struct evbd_ipc *ipc, uint32_t pid)
{
	struct ipc_peer *pr = peer_find(ipc, pid);
	if (pr)
		return pr;
	pr = calloc(1, sizeof(*pr));
	if (!pr)
		return NULL;
	pr->pid = pid;
	pr->progress = evbd_now();
	pr->next = ipc->peers;
	ipc->peers = pr;
	return pr;
}

static void job_free(struct ipc_job *j)
{
	if (j->dump)
		free(j->dump->mib);
	free(j->dump);
	free(j->data);
	free(j);
}

static void peer_append(struct ipc_peer *pr, struct ipc_job *j)
{
	j->next = NULL;
	if (pr->tail)
		pr->tail->next = j;
	else
		pr->head = j;
	pr->tail = j;
	if (!j->dump)
		pr->bytes += j->len;
}

static void peer_free(struct evbd_ipc *ipc, struct ipc_peer *pr, bool lost)
{
	struct ipc_peer **pp = &ipc->peers;
	while (*pp && *pp != pr)
		pp = &(*pp)->next;
	if (*pp)
		*pp = pr->next;
	struct ipc_job *j = pr->head;
	while (j) {
		struct ipc_job *next = j->next;
		if (lost)
			ipc->stats.tx_lost++;
		job_free(j);
		j = next;
	}
	free(pr);
}

/* Queue a copy of a ready message behind the peer's backlog.  Messages
 * queued back to back share one datagram up to IPC_CHUNK octets (netlink
 * carries several messages per datagram), so a burst of answers costs one
 * send and one wake-up of the client, not one each. */
static void peer_queue_copy(struct evbd_ipc *ipc, struct ipc_peer *pr, const void *buf, size_t len)
{
	struct ipc_job *t = pr->tail;
	if (t && !t->dump && t->len && t->len + len <= t->cap) {
		memcpy(t->data + t->len, buf, len);
		t->len += len;
		pr->bytes += len;
		return;
	}
	size_t cap = len > IPC_CHUNK ? len : IPC_CHUNK;
	struct ipc_job *j = calloc(1, sizeof(*j));
	uint8_t *data = malloc(cap);
	if (!j || !data || pr->bytes + len > IPC_PEER_CAP) {
		free(j);
		free(data);
		ipc->stats.tx_lost++;
		log_warn("control socket: answer to port id %u lost (client does not read)",
			 pr->pid);
		return;
	}
	memcpy(data, buf, len);
	j->data = data;
	j->len = len;
	j->cap = cap;
	peer_append(pr, j);
}

static void dump_fill(struct evbd_ipc *ipc, struct ipc_job *j);

/* Send what the peer's backlog holds.  0 all sent, -EAGAIN blocked, other:
 * the peer is gone. */
static int peer_flush(struct evbd_ipc *ipc, struct ipc_peer *pr)
{
	struct ipc_job *j;
	while ((j = pr->head)) {
		if (!j->len && j->dump && !j->dump->finished)
			dump_fill(ipc, j);
		if (j->len) {
			int err = raw_send(ipc, pr->pid, j->data, j->len);
			if (err)
				return err;
			if (!j->dump)
				pr->bytes -= j->len;
			j->len = 0;
			pr->progress = evbd_now();
		}
		if (j->dump && !j->dump->finished)
			continue;
		pr->head = j->next;
		if (!pr->head)
			pr->tail = NULL;
		job_free(j);
	}
	return 0;
}

/* Flush one peer; free it when done or gone.  True when it stays backlogged. */
static bool peer_service(struct evbd_ipc *ipc, struct ipc_peer *pr)
{
	int err = peer_flush(ipc, pr);
	if (!err) {
		peer_free(ipc, pr, false);
		return false;
	}
	if (err == -EAGAIN && evbd_now() - pr->progress < IPC_STALL_US)
		return true;
	log_warn("control socket: dropping output for port id %u: %s", pr->pid,
		 err == -EAGAIN ? "it stopped reading" : strerror(-err));
	peer_free(ipc, pr, true);
	return false;
}

static void on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct evbd_ipc *ipc = arg;
	uint64_t sent = ipc->sent;
	struct ipc_peer *pr = ipc->peers;
	bool busy = false;
	while (pr) {
		struct ipc_peer *next = pr->next;
		busy |= peer_service(ipc, pr);
		pr = next;
	}
	if (!busy || ipc->sent != sent)
		ipc->retry_us = IPC_RETRY_MIN_US;
	else if (ipc->retry_us < IPC_RETRY_MAX_US)
		ipc->retry_us *= 2; /* nobody reads: back off */
	if (busy)
		arm_retry(ipc);
}

/* Queue one answer for pid; ipc_flush() sends what is queued at the end of
 * the read burst or loop turn. */
static void send_to(struct evbd_ipc *ipc, uint32_t pid, const void *buf, size_t len)
{
	struct ipc_peer *pr = peer_get(ipc, pid);
	if (!pr) {
		ipc->stats.tx_lost++;
		return;
	}
	peer_queue_copy(ipc, pr, buf, len);
}

void ipc_flush(struct evbd_ipc *ipc)
{
	if (!ipc)
		return;
	bool busy = false;
	struct ipc_peer *pr = ipc->peers;
	while (pr) {
		struct ipc_peer *next = pr->next;
		busy |= peer_service(ipc, pr);
		pr = next;
	}
	if (busy) {
		ipc->retry_us = IPC_RETRY_MIN_US;
		arm_retry(ipc);
	}
}

/* ---------------- answers ---------------- */

static const char *cmd_verb(uint8_t cmd)
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
static const char *key_str(const struct vdp_vsi_key *k, char *buf, size_t cap)
{
	char id[64];
	vdp_vsiid_str(k->fmt, k->id, id, sizeof(id));
	if (k->fmt == VDP_VSIID_UUID)
		snprintf(buf, cap, "%s", id);
	else
		snprintf(buf, cap, "%s:%s", vdp_vsiid_fmt_name(k->fmt), id);
	return buf;
}

/* A RESULT answer: errno, sentence, and the VSI's attributes (v), or only
 * its key (key; with `vanished`, result deassociated: the VSI ended). */
struct answer {
	int err;
	const char *msg;
	const struct evbd_port *p;
	const struct vdp_vsi *v;
	const struct vdp_vsi_key *key;
	bool vanished;
};

static void answer_result(struct evbd_ipc *ipc, uint32_t pid, uint32_t seq, const struct answer *a)
{
	struct nlb b;
	for (int attempt = 0; attempt < 2; attempt++) {
		msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, seq);
		put_u32(&b, EVB_A_ERRNO, (uint32_t)a->err);
		if (a->msg && *a->msg)
			put_str(&b, EVB_A_ERRMSG, a->msg);
		if (attempt == 0 && a->p && a->v) {
			put_vsi(&b, a->p, a->v, evbd_now());
		} else if (attempt == 0 && a->p && a->key) {
			put_key(&b, a->p, a->key);
			if (a->vanished)
				put_u8(&b, EVB_A_RESULT, VSI_DEASSOCIATED);
		}
		if (!b.full)
			break;
	}
	ipc->stats.requests++;
	send_to(ipc, pid, b.nlh, b.nlh->nlmsg_len);
}

static void fail(struct req *rq, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct req *rq, int err, const char *fmt, ...)
{
	char msg[IPC_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err == EPERM)
		rq->ipc->stats.refused++;
	struct answer a = {.err = err, .msg = msg};
	answer_result(rq->ipc, rq->pid, rq->seq, &a);
}

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
	answer_result(ipc, w->pid, w->seq, &a);
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
			 cmd_verb(w->cmd), key_str(k, ks, sizeof(ks)), p->ifname, cmd_verb(cmd));
		waiter_end(ipc, w, ECANCELED, msg);
	}
}

/* End every waiter matching pred (port p, or all when p is NULL). */
static void waiters_shutdown(struct evbd_ipc *ipc, const struct evbd_port *p, const char *why)
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
				 cmd_verb(w->cmd), key_str(&w->key, ks, sizeof(ks)),
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

static void outcome_msg(char *msg, size_t cap, int outcome, uint8_t cmd, const char *ks,
			const char *ifname, const struct vdp_vsi *v)
{
	if (outcome == ETIMEDOUT)
		snprintf(msg, cap,
			 "no answer from the bridge to the %s request for VSI %s on port %s; the "
			 "VSI is %s",
			 cmd_verb(cmd), ks, ifname, vsi_result_name(v->result));
	else if (v->reason)
		snprintf(msg, cap, "bridge refused to %s VSI %s on port %s: %s (reason %u)%s%s",
			 cmd_verb(cmd), ks, ifname, vdp_reason_name(v->reason), v->reason,
			 v->status & VDP_STATUS_KEEP ? "; the VSI stays " : "",
			 v->status & VDP_STATUS_KEEP ? vsi_result_name(v->result) : "");
	else
		snprintf(msg, cap, "bridge refused to %s VSI %s on port %s: the VSI is now %s",
			 cmd_verb(cmd), ks, ifname, vsi_result_name(v->result));
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
			outcome_msg(msg, sizeof(msg), o, w->cmd, key_str(&v->key, ks, sizeof(ks)),
				    p->ifname, v);
		struct answer a = {.err = o, .msg = msg, .p = p, .v = v};
		answer_result(ipc, w->pid, w->seq, &a);
		free(w);
		evbd_port_kick(p); /* the end of the turn flushes the answers */
	}
}

void ipc_port_removed(struct evbd_ipc *ipc, struct evbd_port *p)
{
	if (ipc && ipc->w.n) {
		waiters_shutdown(ipc, p, "the port is being removed from evbd");
		ipc_flush(ipc);
	}
}

const struct ipc_stats *ipc_get_stats(const struct evbd_ipc *ipc)
{
	return &ipc->stats;
}

/* ---------------- request parsing ---------------- */

struct policy {
	enum mnl_attr_data_type type;
	uint16_t min, max; /* payload length bounds */
};

static const struct policy req_policy[EVB_A_MAX] = {
    [EVB_A_IFNAME] = {MNL_TYPE_NUL_STRING, 2, IF_NAMESIZE},
    [EVB_A_CMD] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_HINTS] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_MGRID] = {MNL_TYPE_BINARY, VDP_MGRID_LEN, VDP_MGRID_LEN},
    [EVB_A_TYPE_ID] = {MNL_TYPE_U32, 4, 4},
    [EVB_A_TYPE_VER] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_VSIID_FMT] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_VSIID] = {MNL_TYPE_BINARY, VDP_VSIID_LEN, VDP_VSIID_LEN},
    [EVB_A_FIF] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_FILTER] = {MNL_TYPE_NESTED, 4, UINT16_MAX},
    [EVB_A_VSITYPE] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_VSITYPES] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_PLUGIN_CMD] = {MNL_TYPE_NUL_STRING, 1, 32},
    [EVB_A_ARGS] = {MNL_TYPE_BINARY, 0, 4096},
    [EVB_A_MIB_OID] = {MNL_TYPE_BINARY, 4, 4 * MIB_OID_MAX},
    [EVB_A_MIB_TYPE] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_MIB_VALUE] = {MNL_TYPE_BINARY, 0, MIB_OCTETS_MAX},
};

static const struct policy filter_policy[EVB_FA_MAX] = {
    [EVB_FA_MAC] = {MNL_TYPE_BINARY, 6, 6}, [EVB_FA_VID] = {MNL_TYPE_U16, 2, 2},
    [EVB_FA_PCP] = {MNL_TYPE_U8, 1, 1},	    [EVB_FA_PS] = {MNL_TYPE_U8, 1, 1},
    [EVB_FA_GROUP] = {MNL_TYPE_U32, 4, 4},
};

static bool attr_ok(const struct nlattr *a, const struct policy *p)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	if (mnl_attr_validate(a, p->type) < 0)
		return false;
	return len >= p->min && len <= p->max;
}

struct parse {
	const struct policy *pol;
	uint16_t max;
	const struct nlattr **tb;
	const struct nlattr **rep; /* repeated attribute (EVB_A_FILTER) */
	unsigned *nrep, maxrep;
	uint16_t rep_type;
	const char *end; /* end of the last attribute seen */
	char what[96];
};

static int parse_cb(const struct nlattr *a, void *data)
{
	struct parse *ps = data;
	uint16_t type = mnl_attr_get_type(a);
	ps->end = (const char *)a + MNL_ALIGN(a->nla_len);
	if (type >= ps->max || !ps->pol[type].type)
		return MNL_CB_OK; /* unknown: newer client, ignored */
	if (!attr_ok(a, &ps->pol[type])) {
		snprintf(ps->what, sizeof(ps->what), "attribute %u has a bad length or value",
			 type);
		return MNL_CB_ERROR;
	}
	if (ps->rep && type == ps->rep_type) {
		if (*ps->nrep >= ps->maxrep) {
			snprintf(ps->what, sizeof(ps->what), "more than %u filters", ps->maxrep);
			return MNL_CB_ERROR;
		}
		ps->rep[(*ps->nrep)++] = a;
		return MNL_CB_OK;
	}
	if (ps->tb[type]) {
		snprintf(ps->what, sizeof(ps->what), "attribute %u appears twice", type);
		return MNL_CB_ERROR;
	}
	ps->tb[type] = a;
	return MNL_CB_OK;
}

/* Attributes must cover [start, tail) exactly. */
static bool parse_covers(const struct parse *ps, const char *start, const char *tail)
{
	return ps->end ? ps->end == tail : start == tail;
}

static int parse_request(struct req *rq, char *what, size_t cap)
{
	struct parse ps = {.pol = req_policy,
			   .max = EVB_A_MAX,
			   .tb = rq->tb,
			   .rep = rq->filters,
			   .nrep = &rq->nfilters,
			   .maxrep = VDP_MAX_FILTERS,
			   .rep_type = EVB_A_FILTER};
	size_t off = MNL_ALIGN(sizeof(struct evb_ipc_hdr));
	if (mnl_attr_parse(rq->nlh, (unsigned)off, parse_cb, &ps) < 0) {
		snprintf(what, cap, "%s", ps.what[0] ? ps.what : "attributes are malformed");
		return -EINVAL;
	}
	const char *start = (const char *)mnl_nlmsg_get_payload_offset(rq->nlh, off);
	if (!parse_covers(&ps, start, (const char *)mnl_nlmsg_get_payload_tail(rq->nlh))) {
		snprintf(what, cap, "attributes are truncated");
		return -EINVAL;
	}
	return 0;
}

static int parse_filter(const struct nlattr *n, uint8_t fif, struct vdp_filter *f, char *what,
			size_t cap)
{
	const struct nlattr *tb[EVB_FA_MAX] = {0};
	struct parse ps = {.pol = filter_policy, .max = EVB_FA_MAX, .tb = tb};
	if (mnl_attr_parse_nested(n, parse_cb, &ps) < 0 ||
	    !parse_covers(&ps, mnl_attr_get_payload(n),
			  (const char *)mnl_attr_get_payload(n) + mnl_attr_get_payload_len(n))) {
		snprintf(what, cap, "%s", ps.what[0] ? ps.what : "malformed filter attributes");
		return -EINVAL;
	}
	bool need_mac = fif == VDP_FIF_MACVID || fif == VDP_FIF_GROUPMACVID;
	bool need_group = fif == VDP_FIF_GROUPVID || fif == VDP_FIF_GROUPMACVID;
	if (!tb[EVB_FA_VID] || (need_mac && !tb[EVB_FA_MAC]) || (need_group && !tb[EVB_FA_GROUP])) {
		snprintf(what, cap, "a filter lacks the VLAN ID%s%s", need_mac ? ", MAC" : "",
			 need_group ? ", group" : "");
		return -EINVAL;
	}
	memset(f, 0, sizeof(*f));
	f->vid = mnl_attr_get_u16(tb[EVB_FA_VID]);
	if (tb[EVB_FA_PCP])
		f->pcp = mnl_attr_get_u8(tb[EVB_FA_PCP]);
	f->ps = tb[EVB_FA_PS] ? mnl_attr_get_u8(tb[EVB_FA_PS]) != 0 : tb[EVB_FA_PCP] != NULL;
	if (need_mac)
		memcpy(f->mac, mnl_attr_get_payload(tb[EVB_FA_MAC]), 6);
	if (need_group)
		f->group = mnl_attr_get_u32(tb[EVB_FA_GROUP]);
	if (f->pcp > 7) {
		snprintf(what, cap, "a filter has PCP %u (0..7 allowed)", f->pcp);
		return -EINVAL;
	}
	return 0;
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

/* 0 when the sender may change state, else EPERM answered; `what` names
 * the change ("changing VSIs"). */
static int authorize(struct req *rq, const char *what)
{
	if (rq->cred.uid == 0)
		return 0;
	struct evbd_ipc *ipc = rq->ipc;
	const char *group = ipc->d->conf.admin_group;
	if (!group[0]) {
		fail(rq, EPERM,
		     "%s needs root (uid %u is not; set admin_group in evbd.conf to allow a group)",
		     what, (unsigned)rq->cred.uid);
		return EPERM;
	}
	uint64_t now = evbd_now();
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
	fail(rq, EPERM,
	     "%s needs root or membership in group '%s'; uid %u is neither (add the user to '%s' "
	     "or run as root)",
	     what, group, (unsigned)rq->cred.uid, group);
	return EPERM;
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
		fail(rq, ENODEV, "no EVB port named %s; evbd manages: %s", ifname, list);
	else
		fail(rq, ENODEV, "no EVB port named %s; evbd manages no ports", ifname);
}

/* The port named by IFNAME, or NULL after answering. */
static struct evbd_port *req_port(struct req *rq, bool required)
{
	if (!rq->tb[EVB_A_IFNAME]) {
		if (required)
			fail(rq, EINVAL, "the request names no port (attribute IFNAME missing)");
		return NULL;
	}
	const char *name = mnl_attr_get_str(rq->tb[EVB_A_IFNAME]);
	struct evbd_port *p = evbd_port_find(rq->ipc->d, name);
	if (!p)
		fail_no_port(rq, name);
	return p;
}

static uint8_t attr_u8(const struct nlattr *a, uint8_t dflt)
{
	return a ? mnl_attr_get_u8(a) : dflt;
}

/* Fill r from the request; 0 or -EINVAL with what set. */
static int build_request(struct req *rq, struct vdp_request *r, struct vdp_filter *filt, char *what,
			 size_t cap)
{
	const struct nlattr *const *tb = rq->tb;
	memset(r, 0, sizeof(*r));
	r->type = attr_u8(tb[EVB_A_CMD], 0);
	if (r->type < VDP_TLV_PREASSOC || r->type > VDP_TLV_DEASSOC) {
		snprintf(what, cap,
			 "unknown VSI command %u (1 preassociate, 2 preassociate-rr, 3 associate, "
			 "4 deassociate)",
			 r->type);
		return -EINVAL;
	}
	if (!tb[EVB_A_VSIID_FMT] || !tb[EVB_A_VSIID]) {
		snprintf(what, cap, "the request names no VSI (VSIID format and value needed)");
		return -EINVAL;
	}
	r->key.fmt = mnl_attr_get_u8(tb[EVB_A_VSIID_FMT]);
	memcpy(r->key.id, mnl_attr_get_payload(tb[EVB_A_VSIID]), VDP_VSIID_LEN);
	if (!vdp_vsiid_valid(r->key.fmt, r->key.id)) {
		snprintf(what, cap, "the VSIID is not valid for format %u (%s)", r->key.fmt,
			 vdp_vsiid_fmt_name(r->key.fmt));
		return -EINVAL;
	}
	if (r->type == VDP_TLV_DEASSOC)
		return 0;
	if (!tb[EVB_A_TYPE_ID] || !tb[EVB_A_TYPE_VER] || !tb[EVB_A_FIF] || !rq->nfilters) {
		snprintf(what, cap, "the request lacks the VSI type, its version, or filters");
		return -EINVAL;
	}
	r->type_id = mnl_attr_get_u32(tb[EVB_A_TYPE_ID]);
	r->type_ver = mnl_attr_get_u8(tb[EVB_A_TYPE_VER]);
	r->hints = attr_u8(tb[EVB_A_HINTS], 0);
	if (r->type_id > 0xffffff || (r->hints & ~(VDP_STATUS_MBIT | VDP_STATUS_SBIT)) ||
	    r->hints == (VDP_STATUS_MBIT | VDP_STATUS_SBIT)) {
		snprintf(what, cap, "%s",
			 r->type_id > 0xffffff ? "the VSI type ID exceeds 24 bits"
					       : "hints must be none, migrate-to or migrate-from");
		return -EINVAL;
	}
	if (tb[EVB_A_MGRID])
		memcpy(r->mgrid, mnl_attr_get_payload(tb[EVB_A_MGRID]), VDP_MGRID_LEN);
	r->fif = mnl_attr_get_u8(tb[EVB_A_FIF]);
	for (unsigned i = 0; i < rq->nfilters; i++)
		if (parse_filter(rq->filters[i], r->fif, &filt[i], what, cap))
			return -EINVAL;
	r->nfilters = (uint16_t)rq->nfilters;
	r->filters = filt;
	return 0;
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
	key_str(&r->key, ks, sizeof(ks));
	switch (err) {
	case -ENOENT:
		fail(rq, ENOENT, "VSI %s is not known on port %s", ks, p->ifname);
		break;
	case -EOPNOTSUPP:
		fail(rq, EOPNOTSUPP,
		     "port %s is a bridge port; VSIs are requested on station ports", p->ifname);
		break;
	case -EINVAL:
		fail(rq, EINVAL, "cannot %s VSI %s on port %s: %s (reason %u)", cmd_verb(r->type),
		     ks, p->ifname, vdp_reason_name(reason), reason);
		break;
	case -ENOMEM:
		fail(rq, ENOMEM, "evbd is out of memory; VSI %s on port %s was not changed", ks,
		     p->ifname);
		break;
	default:
		fail(rq, -err, "cannot %s VSI %s on port %s: %s", cmd_verb(r->type), ks, p->ifname,
		     strerror(-err));
	}
}

static void handle_vsi_cmd(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	if (authorize(rq, "changing VSIs"))
		return;
	struct evbd_port *p = req_port(rq, true);
	if (!p)
		return;
	if (p->vdp.role != EVB_ROLE_STATION) {
		fail(rq, EOPNOTSUPP,
		     "port %s is a bridge port; VSIs are requested on station ports", p->ifname);
		return;
	}
	struct vdp_request r;
	char what[160];
	if (build_request(rq, &r, ipc->filt, what, sizeof(what))) {
		fail(rq, EINVAL, "invalid VSI request for port %s: %s", p->ifname, what);
		return;
	}
	char ks[KEY_STR_MAX];
	const char *problem;
	uint8_t rsn = check_content(p, &r, &problem);
	if (rsn != VDP_RSN_SUCCESS) {
		fail(rq, EINVAL, "cannot %s VSI %s on port %s: %s (%s, reason %u)",
		     cmd_verb(r.type), key_str(&r.key, ks, sizeof(ks)), p->ifname,
		     problem ? problem : "invalid request", vdp_reason_name(rsn), rsn);
		return;
	}
	bool wait = rq->flags & EVB_F_WAIT;
	waiters_supersede(ipc, p, &r.key, r.type);
	/* Registered first: the request may already produce the final answer. */
	if (wait && waiter_add(ipc, rq, p, &r.key, r.type)) {
		fail(rq, ENOMEM, "evbd is out of memory; cannot wait for VSI %s",
		     key_str(&r.key, ks, sizeof(ks)));
		return;
	}
	uint8_t reason = 0;
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
	answer_result(ipc, rq->pid, rq->seq, &a);
}

/* ---------------- VSI type database ---------------- */

static void put_vsitype(struct nlb *b, struct evbd *d, const struct vsitype *e)
{
	uint32_t in_use = e->id == VSITYPE_DEFAULT ? UINT32_MAX : policy_in_use(d, e->id, e->ver);
	if (!b->full && !vsitype_put_nest(b->nlh, b->cap, EVB_A_VSITYPE, e, in_use))
		b->full = true;
}

/* ---------------- plugin commands ---------------- */

#define PLUGIN_ARGS_MAX 64

/* EVB_A_ARGS: NUL-terminated strings back to back.  argc, or -1. */
static int split_args(const struct nlattr *a, const char **argv)
{
	if (!a)
		return 0;
	const char *p = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a);
	int argc = 0;
	if (len && p[len - 1])
		return -1;
	for (size_t off = 0; off < len; off += strlen(p + off) + 1) {
		if (argc == PLUGIN_ARGS_MAX)
			return -1;
		argv[argc++] = p + off;
	}
	return argc;
}

static void handle_plugin_cmd(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const char *name =
	    rq->tb[EVB_A_PLUGIN_CMD] ? mnl_attr_get_str(rq->tb[EVB_A_PLUGIN_CMD]) : "";
	const char *argv[PLUGIN_ARGS_MAX + 1] = {0};
	int argc = split_args(rq->tb[EVB_A_ARGS], argv);
	if (argc < 0) {
		fail(rq, EINVAL,
		     "malformed request: the arguments are not %d NUL-terminated strings "
		     "or fewer",
		     PLUGIN_ARGS_MAX);
		return;
	}
	static char out[IPC_CHUNK];
	bool changes;
	int rc = plugins_command(ipc->d, name, &changes, out, sizeof(out));
	if (rc == -1) {
		char what[80];
		snprintf(what, sizeof(what), "the plugin command '%s'", name);
		if (changes && authorize(rq, what))
			return;
		rc = plugins_command_run(ipc->d, name, argc, argv, out, sizeof(out));
	}
	if (rc) {
		fail(rq, rc, "%s", out[0] ? out : strerror(rc));
		return;
	}
	struct nlb b;
	msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	put_u32(&b, EVB_A_ERRNO, 0);
	put_str(&b, EVB_A_TEXT, out);
	ipc->stats.requests++;
	send_to(ipc, rq->pid, b.nlh, b.nlh->nlmsg_len);
}

/* A successful RESULT with an entry (e) and/or a count (count >= 0). */
static void answer_vsitype(struct req *rq, const struct vsitype *e, int64_t count)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct nlb b;
	msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	put_u32(&b, EVB_A_ERRNO, 0);
	if (e)
		put_vsitype(&b, ipc->d, e);
	if (count >= 0)
		put_u32(&b, EVB_A_COUNT, (uint32_t)count);
	ipc->stats.requests++;
	send_to(ipc, rq->pid, b.nlh, b.nlh->nlmsg_len);
}

/* The entry key in EVB_A_VSITYPE; 0, or -1 after answering. */
static int req_vsitype_key(struct req *rq, struct vsitype *e)
{
	char err[IPC_MSG_MAX / 2];
	if (!rq->tb[EVB_A_VSITYPE]) {
		fail(rq, EINVAL, "the request names no VSI type (attribute VSITYPE missing)");
		return -1;
	}
	if (vsitype_parse_nest(rq->tb[EVB_A_VSITYPE], e, true, err, sizeof(err))) {
		fail(rq, EINVAL, "malformed VSI type request: %s", err);
		return -1;
	}
	return 0;
}

/* The entries of EVB_A_VSITYPES into *out (malloc'd); their number, or
 * -1 after answering. */
static long req_vsitype_list(struct req *rq, struct vsitype **out)
{
	const struct nlattr *list = rq->tb[EVB_A_VSITYPES], *a;
	char err[IPC_MSG_MAX / 2];
	size_t n = 0;
	*out = NULL;
	if (!list) {
		fail(rq, EINVAL, "the request carries no VSI types (attribute VSITYPES missing)");
		return -1;
	}
	mnl_attr_for_each_nested(a, list) n++;
	if (n > VSITYPE_MAX) {
		fail(rq, ENOSPC, "the request carries %zu VSI types; evbd keeps at most %d", n,
		     VSITYPE_MAX);
		return -1;
	}
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out) {
		fail(rq, ENOMEM, "evbd is out of memory; the VSI type database was not changed");
		return -1;
	}
	n = 0;
	mnl_attr_for_each_nested(a, list)
	{
		if (mnl_attr_get_type(a) != EVB_A_VSITYPE ||
		    vsitype_parse_nest(a, &(*out)[n], false, err, sizeof(err))) {
			fail(rq, EINVAL, "VSI type entry %zu of the request: %s", n + 1,
			     mnl_attr_get_type(a) != EVB_A_VSITYPE ? "not a VSI type" : err);
			free(*out);
			*out = NULL;
			return -1;
		}
		n++;
	}
	return (long)n;
}

static void handle_vsitype_set(struct req *rq)
{
	struct vsitype *es;
	char err[IPC_MSG_MAX / 2];
	if (authorize(rq, "changing the VSI type database"))
		return;
	long n = req_vsitype_list(rq, &es);
	if (n < 0)
		return;
	bool all = rq->flags & EVB_F_REPLACE;
	int rc = vsitype_db_apply(rq->ipc->d->types, es, (size_t)n, all, err, sizeof(err));
	free(es);
	if (rc) {
		fail(rq, -rc, "the VSI type database was not changed: %s", err);
		return;
	}
	log_notice("VSI type database: %ld entr%s %s by uid %u", n, n == 1 ? "y" : "ies",
		   all ? "now make up the database" : "added or replaced", (unsigned)rq->cred.uid);
	answer_vsitype(rq, NULL, n);
}

static void handle_vsitype_del(struct req *rq)
{
	struct vsitype k;
	char err[IPC_MSG_MAX / 2], ks[48];
	if (authorize(rq, "changing the VSI type database") || req_vsitype_key(rq, &k))
		return;
	int rc = vsitype_db_del(rq->ipc->d->types, k.id, k.ver, err, sizeof(err));
	if (rc) {
		fail(rq, -rc, "%s", err);
		return;
	}
	unsigned ended = 0;
	if (rq->flags & EVB_F_DEASSOC)
		ended = policy_end_type(rq->ipc->d, k.id, k.ver);
	log_notice("VSI type database: %s removed by uid %u%s%u%s",
		   vsitype_key_str(k.id, k.ver, ks, sizeof(ks)), (unsigned)rq->cred.uid,
		   rq->flags & EVB_F_DEASSOC ? "; " : "", ended,
		   rq->flags & EVB_F_DEASSOC ? " of its VSIs de-associated" : "");
	answer_vsitype(rq, NULL, ended);
}

static void handle_vsitype_get(struct req *rq)
{
	struct vsitype k;
	char ks[48];
	if (req_vsitype_key(rq, &k))
		return;
	const struct vsitype *e = vsitype_db_find(rq->ipc->d->types, k.id, k.ver);
	if (!e) {
		fail(rq, ENOENT,
		     "%s is not in the VSI type database; 'evbctl vsitype list' shows what is",
		     vsitype_key_str(k.id, k.ver, ks, sizeof(ks)));
		return;
	}
	answer_vsitype(rq, e, -1);
}

/* The next entry of a VSI type dump (see dump_item). */
static int vsitype_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct vsitype *e = vsitype_db_at(ipc->d->types, dm->cur.pos);
	struct nlb b;
	if (!e)
		return 0;
	msg_start(&b, buf, cap, EVB_MSG_VSITYPE, NLM_F_MULTI, dm->seq);
	put_vsitype(&b, ipc->d, e);
	if (b.full)
		return -ENOSPC;
	dm->cur.pos++;
	return (int)b.nlh->nlmsg_len;
}

/* ---------------- the EVB MIB ---------------- */

static void put_vb(struct nlb *b, const struct mib_oid *o, const struct mib_value *v)
{
	put(b, EVB_A_MIB_OID, o->len * sizeof(o->a[0]), o->a);
	put_u8(b, EVB_A_MIB_TYPE, v->type);
	if (v->type == MIB_OCTETS)
		put(b, EVB_A_MIB_VALUE, v->len, v->s);
	else
		put(b, EVB_A_MIB_VALUE, sizeof(v->u), &v->u);
}

/* The request's EVB_A_MIB_OID (the whole MIB when absent and not
 * required).  0, or an errno after answering. */
static int req_oid(struct req *rq, struct mib_oid *o, bool required)
{
	const struct nlattr *a = rq->tb[EVB_A_MIB_OID];
	size_t len = a ? mnl_attr_get_payload_len(a) : 0;
	if (!a && required) {
		fail(rq, EINVAL, "malformed request: no OID given");
		return EINVAL;
	}
	if (!a) {
		o->len = MIB_EVB_ROOT_LEN;
		memcpy(o->a, mib_evb_root, sizeof(mib_evb_root));
		return 0;
	}
	if (len % sizeof(o->a[0])) {
		fail(rq, EINVAL, "malformed request: the OID is not a whole number of 32-bit "
				 "sub-identifiers");
		return EINVAL;
	}
	o->len = (uint32_t)(len / sizeof(o->a[0]));
	memcpy(o->a, mnl_attr_get_payload(a), len);
	return 0;
}

/* The next instance of a MIB walk (see dump_item). */
static int mib_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid next;
	struct mib_value v;
	struct nlb b;
	if (!t || mib_getnext(t, &dm->mib[0], &next, &v) != MIB_OK ||
	    !mib_oid_has_prefix(&next, dm->mib[1].a, dm->mib[1].len))
		return 0;
	msg_start(&b, buf, cap, EVB_MSG_MIB_VB, NLM_F_MULTI, dm->seq);
	put_vb(&b, &next, &v);
	if (b.full)
		return -ENOSPC;
	dm->mib[0] = next;
	return (int)b.nlh->nlmsg_len;
}

static void handle_mib_get(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid o;
	struct mib_value v;
	struct nlb b;
	if (req_oid(rq, &o, true))
		return;
	int r = t ? mib_get(t, &o, &v) : MIB_NO_SUCH_OBJECT;
	msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	put_u32(&b, EVB_A_ERRNO, 0);
	if (r == MIB_OK) {
		put_vb(&b, &o, &v);
	} else {
		put(&b, EVB_A_MIB_OID, o.len * sizeof(o.a[0]), o.a);
		put_u8(&b, EVB_A_MIB_ERR, (uint8_t)r);
	}
	ipc->stats.requests++;
	send_to(ipc, rq->pid, b.nlh, b.nlh->nlmsg_len);
}

/* The value of a set request.  0, or an errno after answering. */
static int req_value(struct req *rq, struct mib_value *v)
{
	const struct nlattr *ty = rq->tb[EVB_A_MIB_TYPE], *va = rq->tb[EVB_A_MIB_VALUE];
	if (!ty || !va) {
		fail(rq, EINVAL, "malformed request: a MIB set needs a type and a value");
		return EINVAL;
	}
	size_t len = mnl_attr_get_payload_len(va);
	memset(v, 0, sizeof(*v));
	v->type = mnl_attr_get_u8(ty);
	if (v->type == MIB_OCTETS) {
		v->len = (uint8_t)len;
		memcpy(v->s, mnl_attr_get_payload(va), len);
	} else if (len == sizeof(v->u)) {
		memcpy(&v->u, mnl_attr_get_payload(va), len);
	} else {
		fail(rq, EINVAL, "malformed request: an integer MIB value takes 4 octets, not %zu",
		     len);
		return EINVAL;
	}
	return 0;
}

static void handle_mib_set(struct req *rq)
{
	struct evbd_ipc *ipc = rq->ipc;
	const struct mib_tree *t = evbd_mib_tree(ipc->d);
	struct mib_oid o;
	struct mib_value v;
	char err[IPC_MSG_MAX - 64] = "";
	if (authorize(rq, "setting a MIB object") || req_oid(rq, &o, true) || req_value(rq, &v))
		return;
	int r = t ? mib_set(t, &o, &v, true, err, sizeof(err)) : MIB_ERR_NOT_WRITABLE;
	if (r == MIB_OK) {
		struct answer a = {0};
		answer_result(ipc, rq->pid, rq->seq, &a);
		return;
	}
	struct nlb b;
	msg_start(&b, ipc->tbuf, sizeof(ipc->tbuf), EVB_MSG_RESULT, 0, rq->seq);
	put_u32(&b, EVB_A_ERRNO, r == MIB_ERR_COMMIT_FAILED ? EIO : EINVAL);
	put_str(&b, EVB_A_ERRMSG, err[0] ? err : mib_err_name(r));
	put_u8(&b, EVB_A_MIB_ERR, (uint8_t)r);
	ipc->stats.requests++;
	send_to(ipc, rq->pid, b.nlh, b.nlh->nlmsg_len);
}

/* ---------------- dumps ---------------- */

/* Build the next dump item into buf.  Octets, 0 when the dump has no more
 * items, -ENOSPC when the next one does not fit (cursor unchanged). */
static int dump_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct evbd *d = ipc->d;
	if (dm->type == EVB_MSG_VSITYPE_GET)
		return vsitype_item(ipc, dm, buf, cap);
	if (dm->type == EVB_MSG_MIB_GET)
		return mib_item(ipc, dm, buf, cap);
	for (; dm->port < d->nports; dm->port++, dm->cur = (struct vsi_cursor){0}) {
		const struct evbd_port *p = d->ports[dm->port];
		if (dm->ifname[0] && strcmp(p->ifname, dm->ifname))
			continue;
		struct nlb b;
		struct vsi_cursor save = dm->cur;
		if (dm->type == EVB_MSG_PORT_GET) {
			if (dm->cur.pos)
				continue; /* this port was sent */
			msg_start(&b, buf, cap, EVB_MSG_PORT, NLM_F_MULTI, dm->seq);
			put_port(&b, p);
			dm->cur.pos = 1;
		} else {
			const struct vdp_vsi *v = vsi_table_next(&p->vdp.vsis, &dm->cur);
			if (!v)
				continue;
			msg_start(&b, buf, cap, EVB_MSG_VSI, NLM_F_MULTI, dm->seq);
			put_vsi(&b, p, v, evbd_now());
		}
		if (b.full) {
			dm->cur = save;
			return -ENOSPC;
		}
		return (int)b.nlh->nlmsg_len;
	}
	return 0;
}

/* Fill the job's datagram with as many items as fit in IPC_CHUNK (one item
 * at least), then NLMSG_DONE when the walk is over. */
static void dump_fill(struct evbd_ipc *ipc, struct ipc_job *j)
{
	struct ipc_dump *dm = j->dump;
	size_t off = 0;
	for (;;) {
		size_t limit = off ? IPC_CHUNK : IPC_BUF;
		int n = dump_item(ipc, dm, j->data + off, limit > off ? limit - off : 0);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -ENOSPC && !off) {
			/* Cannot happen with the schema's sizes; never loop. */
			dm->cur.pos++;
			ipc->stats.tx_lost++;
			continue;
		}
		if (n == 0) {
			size_t done =
			    put_done(j->data + off, limit > off ? limit - off : 0, dm->seq);
			dm->finished = done > 0;
			off += done;
		}
		break;
	}
	j->len = off;
}

static void handle_dump(struct req *rq, uint16_t type)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct evbd_port *p = NULL;
	if (rq->tb[EVB_A_IFNAME] && !(p = req_port(rq, false)))
		return;
	struct mib_oid *walk = NULL; /* MIB walk: [0] where it is, [1] its subtree */
	if (type == EVB_MSG_MIB_GET) {
		walk = calloc(2, sizeof(*walk));
		if (walk && req_oid(rq, &walk[1], false)) {
			free(walk);
			return;
		}
	}
	struct ipc_job *j = calloc(1, sizeof(*j));
	struct ipc_dump *dm = calloc(1, sizeof(*dm));
	uint8_t *data = malloc(IPC_BUF);
	bool ok = j && dm && data && (type != EVB_MSG_MIB_GET || walk);
	struct ipc_peer *pr = ok ? peer_get(ipc, rq->pid) : NULL;
	if (!pr) {
		free(j);
		free(dm);
		free(data);
		free(walk);
		fail(rq, ENOMEM, "evbd is out of memory; cannot list %s",
		     type == EVB_MSG_PORT_GET	   ? "ports"
		     : type == EVB_MSG_VSITYPE_GET ? "VSI types"
		     : type == EVB_MSG_MIB_GET	   ? "the MIB"
						   : "VSIs");
		return;
	}
	if (walk)
		walk[0] = walk[1];
	dm->mib = walk;
	dm->type = type;
	dm->seq = rq->seq;
	if (p)
		snprintf(dm->ifname, sizeof(dm->ifname), "%s", p->ifname);
	j->dump = dm;
	j->data = data;
	peer_append(pr, j);
	ipc->stats.requests++;
	if (peer_service(ipc, pr)) {
		ipc->retry_us = IPC_RETRY_MIN_US;
		arm_retry(ipc);
	}
}

/* ---------------- receiving ---------------- */

static void handle_msg(struct evbd_ipc *ipc, uint32_t pid, const struct ucred *cred,
		       const struct nlmsghdr *nlh)
{
	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) || nlh->nlmsg_type < NLMSG_MIN_TYPE) {
		ipc->stats.rx_malformed++;
		return;
	}
	struct req rq = {.ipc = ipc, .pid = pid, .seq = nlh->nlmsg_seq, .cred = *cred, .nlh = nlh};
	if (mnl_nlmsg_get_payload_len(nlh) < MNL_ALIGN(sizeof(struct evb_ipc_hdr))) {
		fail(&rq, EINVAL, "malformed request: the message is shorter than the evbd header");
		return;
	}
	const struct evb_ipc_hdr *h = mnl_nlmsg_get_payload(nlh);
	if (h->version != EVBD_IPC_VERSION) {
		fail(&rq, EPROTONOSUPPORT,
		     "the client speaks control protocol version %u but this evbd speaks %u; use "
		     "the evbctl that came with this evbd",
		     h->version, EVBD_IPC_VERSION);
		return;
	}
	rq.flags = h->flags;
	uint16_t type = nlh->nlmsg_type;
	if (type != EVB_MSG_VSI_CMD && type != EVB_MSG_VSI_GET && type != EVB_MSG_PORT_GET &&
	    type != EVB_MSG_VSITYPE_SET && type != EVB_MSG_VSITYPE_DEL &&
	    type != EVB_MSG_VSITYPE_GET && type != EVB_MSG_PLUGIN_CMD && type != EVB_MSG_MIB_GET &&
	    type != EVB_MSG_MIB_SET) {
		fail(&rq, EOPNOTSUPP,
		     "evbd does not understand control message type %u; is evbctl newer than "
		     "evbd?",
		     type);
		return;
	}
	char what[128];
	if (parse_request(&rq, what, sizeof(what))) {
		fail(&rq, EINVAL, "malformed request: %s", what);
		return;
	}
	if (type == EVB_MSG_VSI_CMD)
		handle_vsi_cmd(&rq);
	else if (type == EVB_MSG_VSITYPE_SET)
		handle_vsitype_set(&rq);
	else if (type == EVB_MSG_VSITYPE_DEL)
		handle_vsitype_del(&rq);
	else if (type == EVB_MSG_VSITYPE_GET && !(nlh->nlmsg_flags & NLM_F_DUMP))
		handle_vsitype_get(&rq);
	else if (type == EVB_MSG_PLUGIN_CMD)
		handle_plugin_cmd(&rq);
	else if (type == EVB_MSG_MIB_GET && !(nlh->nlmsg_flags & NLM_F_DUMP))
		handle_mib_get(&rq);
	else if (type == EVB_MSG_MIB_SET)
		handle_mib_set(&rq);
	else
		handle_dump(&rq, type);
}

static void handle_datagram(struct evbd_ipc *ipc, const struct evb_ipc_from *from, size_t n)
{
	const struct sockaddr_nl *sa = &from->sa;
	const struct ucred *cred = &from->cred;
	if ((from->flags & (MSG_TRUNC | MSG_CTRUNC)) || from->salen < sizeof(*sa) ||
	    sa->nl_family != AF_NETLINK || sa->nl_pid == 0 || !from->has_cred) {
		ipc->stats.rx_dropped++;
		return;
	}
	const uint8_t *p = ipc->rbuf;
	/* (mnl_nlmsg_ok() casts nlmsg_len to int: a length >= 2^31 would pass.) */
	while (n >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > n)
			break;
		handle_msg(ipc, sa->nl_pid, cred, nlh);
		size_t step = MNL_ALIGN(nlh->nlmsg_len);
		if (step >= n) {
			n = 0;
			break;
		}
		p += step;
		n -= step;
	}
	if (n > 0)
		ipc->stats.rx_malformed++;
}

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	(void)what;
	struct evbd_ipc *ipc = arg;
	for (int i = 0; i < IPC_READ_BURST; i++) {
		struct evb_ipc_from from;
		ssize_t n = evb_ipc_recv(fd, ipc->rbuf, sizeof(ipc->rbuf), &from);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				log_warn("control socket: requests were lost (receive buffer "
					 "overrun)");
				ipc->stats.rx_dropped++;
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_err("control socket: cannot read: %s", strerror(errno));
			break;
		}
		handle_datagram(ipc, &from, (size_t)n);
	}
	ipc_flush(ipc);
}

/* ---------------- open / close ---------------- */

static void set_buf(int fd, int force_opt, int opt, int size)
{
	if (setsockopt(fd, SOL_SOCKET, force_opt, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

int ipc_open(struct evbd *d)
{
	struct evbd_ipc *ipc = calloc(1, sizeof(*ipc));
	if (!ipc) {
		log_err("cannot open the control socket: out of memory");
		return -ENOMEM;
	}
	ipc->d = d;
	ipc->fd = -1;
	ipc->retry_us = IPC_RETRY_MIN_US;
	int err = 0, one = 1;
	ipc->nl = mnl_socket_open2(EVBD_IPC_FAMILY, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!ipc->nl) {
		err = -errno;
		log_err("cannot open the control socket (netlink family %d): %s", EVBD_IPC_FAMILY,
			strerror(errno));
		goto fail;
	}
	ipc->fd = mnl_socket_get_fd(ipc->nl);
	if (setsockopt(ipc->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one))) {
		err = -errno;
		log_err("cannot enable credentials on the control socket: %s", strerror(errno));
		goto fail;
	}
	set_buf(ipc->fd, SO_RCVBUFFORCE, SO_RCVBUF, IPC_SOCK_BUF);
	set_buf(ipc->fd, SO_SNDBUFFORCE, SO_SNDBUF, IPC_SOCK_BUF);
	if (mnl_socket_bind(ipc->nl, 0, (pid_t)EVBD_IPC_PORTID) < 0) {
		err = -errno;
		if (errno == EADDRINUSE)
			log_err(
			    "another evbd is already running (netlink port id %u is taken); stop "
			    "it first, or run this one in another network namespace",
			    EVBD_IPC_PORTID);
		else
			log_err("cannot bind the control socket to netlink port id %u: %s",
				EVBD_IPC_PORTID, strerror(errno));
		goto fail;
	}
	ipc->rx_ev = event_new(d->base, ipc->fd, EV_READ | EV_PERSIST, on_read, ipc);
	ipc->retry_ev = evtimer_new(d->base, on_retry, ipc);
	if (!ipc->rx_ev || !ipc->retry_ev || event_add(ipc->rx_ev, NULL)) {
		err = -ENOMEM;
		log_err("cannot watch the control socket: out of memory");
		goto fail;
	}
	d->ipc = ipc;
	return 0;
fail:
	if (ipc->rx_ev)
		event_free(ipc->rx_ev);
	if (ipc->retry_ev)
		event_free(ipc->retry_ev);
	if (ipc->nl)
		mnl_socket_close(ipc->nl);
	free(ipc);
	return err;
}

void ipc_close(struct evbd_ipc *ipc)
{
	if (!ipc)
		return;
	waiters_shutdown(ipc, NULL, "evbd is shutting down");
	while (ipc->peers) {
		/* One last attempt, then whatever is left is lost. */
		struct ipc_peer *pr = ipc->peers;
		peer_free(ipc, pr, peer_flush(ipc, pr) != 0);
	}
	free(ipc->w.b);
	event_free(ipc->rx_ev);
	event_free(ipc->retry_ev);
	mnl_socket_close(ipc->nl);
	if (ipc->d->ipc == ipc)
		ipc->d->ipc = NULL;
	free(ipc);
}
