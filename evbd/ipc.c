/*
 * ipc.c - evbd's control channel server (see ipc.h, schema in ipc_schema.h):
 * the socket, reading and validating requests, authorization, dispatch to
 * the handlers of ipc_vsi.c and ipc_admin.c, and the way answers go out.
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
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

#include "evbd/ipc_priv.h"
#include "evbd/log.h"
#include "evbd/port.h"

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
	pr->progress = loop_now(&ipc->d->loop);
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
			pr->progress = loop_now(&ipc->d->loop);
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
	if (err == -EAGAIN && loop_now(&ipc->d->loop) - pr->progress < IPC_STALL_US)
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
void ipc_send_to(struct evbd_ipc *ipc, uint32_t pid, const void *buf, size_t len)
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

/* ---------------- request parsing ---------------- */

static const struct evb_attr_policy req_policy[EVB_A_MAX] = {
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

static const struct evb_attr_policy filter_policy[EVB_FA_MAX] = {
    [EVB_FA_MAC] = {MNL_TYPE_BINARY, 6, 6}, [EVB_FA_VID] = {MNL_TYPE_U16, 2, 2},
    [EVB_FA_PCP] = {MNL_TYPE_U8, 1, 1},	    [EVB_FA_PS] = {MNL_TYPE_U8, 1, 1},
    [EVB_FA_GROUP] = {MNL_TYPE_U32, 4, 4},
};

struct parse {
	const struct evb_attr_policy *pol;
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
	if (!evb_attr_ok(a, &ps->pol[type])) {
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

int ipc_parse_filter(const struct nlattr *n, uint8_t fif, struct vdp_filter *f, char *what,
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
int ipc_authorize(struct req *rq, const char *what)
{
	if (rq->cred.uid == 0)
		return 0;
	struct evbd_ipc *ipc = rq->ipc;
	const char *group = ipc->d->conf.admin_group;
	if (!group[0]) {
		ipc_fail(
		    rq, EPERM,
		    "%s needs root (uid %u is not; set admin_group in evbd.conf to allow a group)",
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

/* ---------------- dumps ---------------- */

/* Build the next dump item into buf.  Octets, 0 when the dump has no more
 * items, -ENOSPC when the next one does not fit (cursor unchanged). */
static int dump_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap)
{
	const struct evbd *d = ipc->d;
	if (dm->type == EVB_MSG_VSITYPE_GET)
		return ipc_vsitype_item(ipc, dm, buf, cap);
	if (dm->type == EVB_MSG_MIB_GET)
		return ipc_mib_item(ipc, dm, buf, cap);
	for (; dm->port < d->nports; dm->port++, dm->cur = (struct vsi_cursor){0}) {
		const struct evbd_port *p = d->ports[dm->port];
		if (dm->ifname[0] && strcmp(p->ifname, dm->ifname))
			continue;
		struct nlb b;
		struct vsi_cursor save = dm->cur;
		if (dm->type == EVB_MSG_PORT_GET) {
			if (dm->cur.pos)
				continue; /* this port was sent */
			ipc_msg_start(&b, buf, cap, EVB_MSG_PORT, NLM_F_MULTI, dm->seq);
			ipc_put_port(&b, p);
			dm->cur.pos = 1;
		} else {
			const struct vdp_vsi *v = vsi_table_next(&p->vdp.vsis, &dm->cur);
			if (!v)
				continue;
			ipc_msg_start(&b, buf, cap, EVB_MSG_VSI, NLM_F_MULTI, dm->seq);
			ipc_put_vsi(&b, p, v, loop_now(&d->loop));
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
			    ipc_put_done(j->data + off, limit > off ? limit - off : 0, dm->seq);
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
	if (rq->tb[EVB_A_IFNAME] && !(p = ipc_req_port(rq, false)))
		return;
	struct mib_oid *walk = NULL; /* MIB walk: [0] where it is, [1] its subtree */
	if (type == EVB_MSG_MIB_GET) {
		walk = calloc(2, sizeof(*walk));
		if (walk && ipc_req_oid(rq, &walk[1], false)) {
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
		ipc_fail(rq, ENOMEM, "evbd is out of memory; cannot list %s",
			 type == EVB_MSG_PORT_GET      ? "ports"
			 : type == EVB_MSG_VSITYPE_GET ? "VSI types"
			 : type == EVB_MSG_MIB_GET     ? "the MIB"
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
		ipc_fail(&rq, EINVAL,
			 "malformed request: the message is shorter than the evbd header");
		return;
	}
	const struct evb_ipc_hdr *h = mnl_nlmsg_get_payload(nlh);
	if (h->version != EVBD_IPC_VERSION) {
		ipc_fail(
		    &rq, EPROTONOSUPPORT,
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
		ipc_fail(&rq, EOPNOTSUPP,
			 "evbd does not understand control message type %u; is evbctl newer than "
			 "evbd?",
			 type);
		return;
	}
	char what[128];
	if (parse_request(&rq, what, sizeof(what))) {
		ipc_fail(&rq, EINVAL, "malformed request: %s", what);
		return;
	}
	if (type == EVB_MSG_VSI_CMD)
		ipc_handle_vsi_cmd(&rq);
	else if (type == EVB_MSG_VSITYPE_SET)
		ipc_handle_vsitype_set(&rq);
	else if (type == EVB_MSG_VSITYPE_DEL)
		ipc_handle_vsitype_del(&rq);
	else if (type == EVB_MSG_VSITYPE_GET && !(nlh->nlmsg_flags & NLM_F_DUMP))
		ipc_handle_vsitype_get(&rq);
	else if (type == EVB_MSG_PLUGIN_CMD)
		ipc_handle_plugin_cmd(&rq);
	else if (type == EVB_MSG_MIB_GET && !(nlh->nlmsg_flags & NLM_F_DUMP))
		ipc_handle_mib_get(&rq);
	else if (type == EVB_MSG_MIB_SET)
		ipc_handle_mib_set(&rq);
	else
		handle_dump(&rq, type);
}

void ipc_input(struct evbd_ipc *ipc, const struct evb_ipc_from *from, const void *buf, size_t n)
{
	const struct sockaddr_nl *sa = &from->sa;
	const struct ucred *cred = &from->cred;
	if ((from->flags & (MSG_TRUNC | MSG_CTRUNC)) || from->salen < sizeof(*sa) ||
	    sa->nl_family != AF_NETLINK || sa->nl_pid == 0 || !from->has_cred) {
		ipc->stats.rx_dropped++;
		return;
	}
	const uint8_t *p = buf;
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
		ipc_input(ipc, &from, ipc->rbuf, (size_t)n);
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
		goto ipc_fail;
	}
	ipc->fd = mnl_socket_get_fd(ipc->nl);
	if (setsockopt(ipc->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one))) {
		err = -errno;
		log_err("cannot enable credentials on the control socket: %s", strerror(errno));
		goto ipc_fail;
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
		goto ipc_fail;
	}
	ipc->rx_ev = event_new(d->loop.base, ipc->fd, EV_READ | EV_PERSIST, on_read, ipc);
	ipc->retry_ev = evtimer_new(d->loop.base, on_retry, ipc);
	if (!ipc->rx_ev || !ipc->retry_ev || event_add(ipc->rx_ev, NULL)) {
		err = -ENOMEM;
		log_err("cannot watch the control socket: out of memory");
		goto ipc_fail;
	}
	d->ipc = ipc;
	return 0;
ipc_fail:
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
	ipc_waiters_shutdown(ipc, NULL, "evbd is shutting down");
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
