/* SPDX-License-Identifier: ISC */
/*
 * lldpad_nl.c - the lldpad-nl plugin: evbd answers libvirt's 802.1Qbg
 * requests over rtnetlink exactly as lldpad does (docs/protocol.md,
 * "libvirt's rtnetlink contract"), so libvirt works unchanged.
 *
 *  - a NETLINK_ROUTE socket bound to port id = evbd's pid, and lldpad's pid
 *    file (default /var/run/lldpad.pid) naming that pid: libvirt sends there;
 *  - RTM_SETLINK (IFLA_VF_PORTS, IFLA_VFINFO_LIST) becomes a VSI request on
 *    the station port, answered at once with NLMSG_ERROR 0 or -errno
 *    (EINVAL, EBUSY, ENODEV, EOPNOTSUPP, EPERM) to the sender's address;
 *  - RTM_GETLINK polls get an RTM_NEWLINK listing every VSI of the port
 *    (UUID, PORT_VF -1, IFLA_PORT_RESPONSE once the bridge answered); a VSI
 *    that ended stays listed with its final answer until reported once;
 *  - when the bridge ends an associated VSI that libvirt asked for (its
 *    De-Associate, or keep-alives lost), an unsolicited RTM_SETLINK with
 *    PORT_REQUEST = 3 goes to the port id in the request's nlmsg_pid.
 *
 *  - the kernel's link events (RTNLGRP_LINK on the same socket): a macvtap
 *    or macvlan created on a station port and removed again within 30 s
 *    with no request from libvirt for that port is logged with what it
 *    means: libvirt 9.0 gave up before sending (its event socket's netlink
 *    port >= 2^31: "sending of PortProfileRequest failed", restart libvirtd;
 *    or a veth as the source device).  See docs/libvirt.md.
 *
 * A port removed from evbd's configuration (port_removed) is forgotten with
 * its records: libvirt's requests and polls on it then get ENODEV.
 *
 * Choices where lldpad is no model: a different command while one is pending
 * gets EBUSY as in lldpad, but a De-Associate always goes through (it
 * supersedes); the same command while pending is accepted without re-sending;
 * a De-Associate of a VSI that already ended and was not yet reported
 * succeeds (docs/protocol.md, lldpad quirk 13); VSI changes need uid 0 (EPERM), polls do not; a VSI
 * that ends without a reason gets RESPONSE 0x105 (PORT_PROFILE_RESPONSE_ERROR).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lnl_msg.h"
#include "plugins/plugin_api.h"

#define NAME	      "lldpad-nl"
#define PIDFILE_DFLT  "/var/run/lldpad.pid"
#define RX_BUF	      65536
#define RX_BURST      64
#define RCVBUF	      (1 << 20)
#define BUCKETS	      1024	  /* records of VSIs requested over netlink */
#define ENDED_KEEP_US 60000000ULL /* an ended VSI is listed this long at most */
#define SWEEP_US      10000000ULL

struct rec {
	struct rec *next;
	struct evbd_port *port;
	uint8_t uuid[LNL_PORT_UUID_MAX];
	uint32_t event_pid; /* nlmsg_pid of the request: libvirt's event socket */
	uint32_t seq;
	uint8_t cmd;	  /* VDP TLV type last asked */
	bool established; /* associated as asked: a later end is notified */
	bool ended;
	int final_resp;
	uint64_t ended_at;
	uint8_t mgrid, type_ver;
	uint32_t type_id;
	uint16_t nfilters;
	struct lnl_filter *f;
};

struct lnl_stats {
	uint32_t requests, polls, errors, malformed, dropped, notified, tx_lost, truncated;
};

struct lnl {
	const struct evbd_plugin_ops *ops;
	int fd;
	uint32_t pid;
	struct evbd_plugin_fd *fdev;
	struct evbd_plugin_timer *sweep;
	char pidfile[PATH_MAX];
	int pid_fd;
	bool bad_key;
	struct rec *b[BUCKETS];
	size_t nended;
	struct lnl_stats st;
	struct lnl_watch watch; /* macvtaps on station ports with no request yet */
	struct lnl_setlink sl;	/* scratch */
	struct evbd_vsi_filter filt[LNL_MAX_FILTERS];
	uint8_t rx[RX_BUF] __attribute__((aligned(8)));
};

#define LOG(l, lvl, ...) (l)->ops->log(lvl, NAME ": " __VA_ARGS__)

/* ---------------- records ---------------- */

static unsigned rec_hash(const struct evbd_port *p, const uint8_t *uuid)
{
	uint32_t h = (uint32_t)(uintptr_t)p * 2654435761u;
	for (int i = 0; i < LNL_PORT_UUID_MAX; i++)
		h = (h ^ uuid[i]) * 16777619u;
	return h & (BUCKETS - 1);
}

static struct rec **rec_slot(struct lnl *l, const struct evbd_port *p, const uint8_t *uuid)
{
	struct rec **pp = &l->b[rec_hash(p, uuid)];
	while (*pp && ((*pp)->port != p || memcmp((*pp)->uuid, uuid, LNL_PORT_UUID_MAX)))
		pp = &(*pp)->next;
	return pp;
}

static void rec_free(struct lnl *l, struct rec **pp)
{
	struct rec *r = *pp;
	*pp = r->next;
	if (r->ended)
		l->nended--;
	free(r->f);
	free(r);
}

static int rec_set_filters(struct rec *r, const struct lnl_setlink *s)
{
	if (!s->nfilters) /* a De-Associate may come without them: keep the known ones */
		return 0;
	struct lnl_filter *f = malloc(s->nfilters * sizeof(*f));
	if (!f)
		return -ENOMEM;
	memcpy(f, s->f, s->nfilters * sizeof(*f));
	free(r->f);
	r->f = f;
	r->nfilters = s->nfilters;
	return 0;
}

static void rec_end(struct lnl *l, struct rec *r, int resp)
{
	if (!r->ended)
		l->nended++;
	r->ended = true;
	r->established = false;
	r->final_resp = resp;
	r->ended_at = l->ops->now();
	l->ops->timer_arm(l->sweep, SWEEP_US);
}

static void rec_revive(struct lnl *l, struct rec *r)
{
	if (r->ended)
		l->nended--;
	r->ended = false;
}

/* Forget ended VSIs nobody polled for within ENDED_KEEP_US. */
static void on_sweep(void *arg)
{
	struct lnl *l = arg;
	uint64_t now = l->ops->now();
	for (unsigned i = 0; i < BUCKETS && l->nended; i++) {
		struct rec **pp = &l->b[i];
		while (*pp) {
			if ((*pp)->ended && now - (*pp)->ended_at >= ENDED_KEEP_US)
				rec_free(l, pp);
			else
				pp = &(*pp)->next;
		}
	}
	if (l->nended)
		l->ops->timer_arm(l->sweep, SWEEP_US);
}

/* ---------------- output ---------------- */

static void send_to(struct lnl *l, uint32_t port, const void *buf, size_t len)
{
	struct sockaddr_nl to = {.nl_family = AF_NETLINK, .nl_pid = port};
	if (!len || sendto(l->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		l->st.tx_lost++;
		LOG(l, EVBD_PL_INFO, "cannot send %zu octets to netlink port %u: %s", len, port,
		    len ? strerror(errno) : "message too large");
	}
}

static void answer(struct lnl *l, uint32_t port, const struct nlmsghdr *req, int err)
{
	uint8_t buf[LNL_ERROR_MSG_LEN];
	if (err)
		l->st.errors++;
	send_to(l, port, buf, lnl_build_error(buf, sizeof(buf), req, err));
}

static void notify(struct lnl *l, const struct rec *r)
{
	struct evbd_plugin_port_info pi;
	l->ops->port_info(r->port, &pi);
	struct lnl_notify n = {.pid = l->pid,
			       .seq = r->seq,
			       .ifindex = pi.ifindex,
			       .ifname = pi.ifname,
			       .mgrid = r->mgrid,
			       .type_id = r->type_id,
			       .type_ver = r->type_ver,
			       .request = LNL_REQ_DISASSOCIATE,
			       .nfilters = r->nfilters,
			       .f = r->f};
	memcpy(n.uuid, r->uuid, sizeof(n.uuid));
	size_t cap = lnl_notify_size(r->nfilters);
	uint8_t *buf = malloc(cap);
	if (!buf) {
		l->st.tx_lost++;
		return;
	}
	l->st.notified++;
	LOG(l, EVBD_PL_NOTICE,
	    "%s: the bridge ended VSI %02x%02x%02x%02x-...; telling netlink port %u", pi.ifname,
	    r->uuid[0], r->uuid[1], r->uuid[2], r->uuid[3], r->event_pid);
	send_to(l, r->event_pid, buf, lnl_build_notify(buf, cap, &n));
	free(buf);
}

/* ---------------- requests ---------------- */

static struct evbd_port *find_port(struct lnl *l, const char *ifname, int ifindex)
{
	struct evbd *d = l->ops->d;
	return ifname[0] ? l->ops->port_find(d, ifname) : l->ops->port_find_ifindex(d, ifindex);
}

/* The port for a request, or a negative errno as lldpad answers. */
static int station_port(struct lnl *l, const char *ifname, int ifindex, struct evbd_port **pp)
{
	struct evbd_plugin_port_info pi;
	struct evbd_port *p = find_port(l, ifname, ifindex);
	if (!p)
		return -ENODEV; /* no VDP on that interface */
	l->ops->port_info(p, &pi);
	if (!pi.station)
		return -EOPNOTSUPP; /* bridge role */
	if (!pi.present)
		return -ENODEV;
	*pp = p;
	return 0;
}

static int submit(struct lnl *l, struct evbd_port *p, const struct nlmsghdr *nlh,
		  const struct evbd_vsi_request *r)
{
	const struct lnl_setlink *s = &l->sl;
	struct rec **pp = rec_slot(l, p, s->uuid);
	const struct evbd_vsi_view *v = l->ops->vsi_find(p, &r->key);
	if (!v && r->command == EVBD_VDP_DEASSOC) {
		if (*pp && (*pp)->ended) { /* ended, not yet reported: done */
			(*pp)->final_resp = 0;
			return 0;
		}
		return -EINVAL; /* De-Associate of an unknown VSI (lldpad) */
	}
	if (v && v->result == EVBD_VSI_PENDING && r->command != EVBD_VDP_DEASSOC) {
		if (v->command != r->command)
			return -EBUSY;
		if (*pp) { /* the same request again: answer, do not re-send */
			(*pp)->event_pid = nlh->nlmsg_pid;
			return 0;
		}
	}
	bool created = !*pp;
	if (created && !(*pp = calloc(1, sizeof(**pp))))
		return -ENOMEM;
	struct rec *rc = *pp;
	bool was_ended = rc->ended;
	int was_resp = rc->final_resp;
	if (rec_set_filters(rc, s)) {
		if (created)
			rec_free(l, pp);
		return -ENOMEM;
	}
	rc->port = p;
	memcpy(rc->uuid, s->uuid, sizeof(rc->uuid));
	rc->event_pid = nlh->nlmsg_pid;
	rc->seq = nlh->nlmsg_seq;
	rc->cmd = r->command;
	if (s->has_vsi_type) {
		rc->mgrid = s->mgrid;
		rc->type_id = s->type_id;
		rc->type_ver = s->type_ver;
	}
	rec_revive(l, rc);
	/* The record is in place first: the request may end the VSI at once. */
	uint8_t reason = 0;
	int err = l->ops->vsi_request(p, r, &reason);
	if (!err)
		return 0;
	if (created)
		rec_free(l, rec_slot(l, p, s->uuid));
	else if (was_ended)
		rec_end(l, rc, was_resp);
	LOG(l, EVBD_PL_INFO, "request refused: %s (reason %u)", strerror(-err), reason);
	return err == -ENOENT ? -EINVAL : err;
}

static int handle_setlink(struct lnl *l, const struct nlmsghdr *nlh, uid_t uid)
{
	const char *what = "";
	struct evbd_vsi_request r;
	struct evbd_port *p = NULL;
	l->st.requests++;
	if (uid != 0)
		return -EPERM;
	int err = lnl_parse_setlink(nlh, &l->sl, &what);
	if (!err)
		err = station_port(l, l->sl.ifname, l->sl.ifindex, &p);
	if (!err) {
		struct evbd_plugin_port_info pi;
		l->ops->port_info(p, &pi);
		lnl_watch_request(&l->watch, pi.ifindex);
		err = lnl_to_request(&l->sl, &r, l->filt, &what);
	}
	if (err == -EINVAL)
		LOG(l, EVBD_PL_INFO, "invalid RTM_SETLINK from port %u: %s", nlh->nlmsg_pid, what);
	if (err)
		return err;
	return submit(l, p, nlh, &r);
}

/* ---------------- polls ---------------- */

struct entries {
	struct lnl_entry *e;
	size_t n, cap;
	size_t first; /* entries with a record come first */
};

static void add_entry(struct entries *es, const uint8_t *uuid, int resp, bool first)
{
	struct lnl_entry *e;
	if (es->n == es->cap) { /* full: a requested VSI displaces another (counted) */
		if (!first || es->first == es->cap)
			return;
		e = &es->e[es->first++];
		memcpy(e->uuid, uuid, LNL_PORT_UUID_MAX);
		e->response = resp;
		return;
	}
	e = &es->e[es->n++];
	memcpy(e->uuid, uuid, LNL_PORT_UUID_MAX);
	e->response = resp;
	if (first) { /* keep requested VSIs at the front: they are the ones polled */
		struct lnl_entry t = es->e[es->first];
		es->e[es->first++] = *e;
		*e = t;
	}
}

/* Every UUID VSI of the port, then the ended ones not yet reported. */
static size_t collect(struct lnl *l, struct evbd_port *p, struct entries *es)
{
	struct evbd_vsi_cursor c = {0};
	const struct evbd_vsi_view *v;
	size_t want = 0;
	while ((v = l->ops->vsi_next(p, &c))) {
		if (v->key.format != EVBD_VSIID_UUID)
			continue;
		want++;
		add_entry(es, v->key.id,
			  lnl_response(v->command, v->result, v->status, v->reason, false),
			  *rec_slot(l, p, v->key.id) != NULL);
	}
	struct evbd_vsi_key k = {.format = EVBD_VSIID_UUID};
	for (unsigned i = 0; i < BUCKETS && l->nended; i++)
		for (struct rec *r = l->b[i]; r; r = r->next) {
			memcpy(k.id, r->uuid, sizeof(k.id));
			if (r->port == p && r->ended && !l->ops->vsi_find(p, &k)) {
				want++;
				add_entry(es, r->uuid, r->final_resp, true);
			}
		}
	return want;
}

/* Ended VSIs that this reply reported are forgotten. */
static void forget_reported(struct lnl *l, struct evbd_port *p, const struct entries *es)
{
	for (size_t i = 0; i < es->first && l->nended; i++) {
		struct rec **pp = rec_slot(l, p, es->e[i].uuid);
		if (*pp && (*pp)->ended)
			rec_free(l, pp);
	}
}

static int handle_getlink(struct lnl *l, const struct nlmsghdr *nlh, uint32_t from)
{
	struct lnl_getlink g;
	const char *what = "";
	struct evbd_port *p = NULL;
	l->st.polls++;
	int err = lnl_parse_getlink(nlh, &g, &what);
	if (err)
		LOG(l, EVBD_PL_INFO, "invalid RTM_GETLINK from port %u: %s", nlh->nlmsg_pid, what);
	if (!err)
		err = station_port(l, g.ifname, g.ifindex, &p);
	if (err)
		return err;
	size_t cap = l->ops->vsi_count(p) + l->nended;
	if (cap > LNL_MAX_ENTRIES)
		cap = LNL_MAX_ENTRIES;
	struct entries es = {.e = calloc(cap ? cap : 1, sizeof(*es.e)), .cap = cap};
	uint8_t *buf = malloc(lnl_reply_size(cap));
	if (!es.e || !buf) {
		free(es.e);
		free(buf);
		return -ENOMEM;
	}
	size_t want = collect(l, p, &es);
	if (want > es.n) {
		l->st.truncated++;
		LOG(l, EVBD_PL_WARN,
		    "the poll reply lists %zu of the %zu VSIs of the port (a reply holds %d); the "
		    "VSIs requested over netlink come first",
		    es.n, want, LNL_MAX_ENTRIES);
	}
	struct evbd_plugin_port_info pi;
	l->ops->port_info(p, &pi);
	send_to(l, from, buf,
		lnl_build_reply(buf, lnl_reply_size(es.n), nlh, pi.ifindex, es.e, es.n));
	forget_reported(l, p, &es);
	free(es.e);
	free(buf);
	return 0;
}

/* ---------------- receive ---------------- */

static void handle_msg(struct lnl *l, const struct nlmsghdr *nlh, uint32_t from, uid_t uid)
{
	int err;
	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) || nlh->nlmsg_type < NLMSG_MIN_TYPE) {
		l->st.dropped++; /* not a request: nothing to answer */
		return;
	}
	switch (nlh->nlmsg_type) {
	case RTM_SETLINK:
		err = handle_setlink(l, nlh, uid);
		break;
	case RTM_GETLINK:
		err = handle_getlink(l, nlh, from);
		if (!err)
			return; /* answered with the reply */
		break;
	default:
		err = -EOPNOTSUPP;
	}
	answer(l, from, nlh, err);
}

static void handle_datagram(struct lnl *l, size_t len, uint32_t from, uid_t uid)
{
	size_t off = 0;
	const struct nlmsghdr *nlh;
	int rc;
	while ((rc = lnl_next(l->rx, len, &off, &nlh)) > 0)
		handle_msg(l, nlh, from, uid);
	if (rc < 0) {
		l->st.malformed++;
		if (nlh)
			answer(l, from, nlh, -EINVAL);
		else
			l->st.dropped++;
	}
}

/* ---------------- the kernel's link events ---------------- */

static void link_gone(struct lnl *l, const struct lnl_link_event *ev)
{
	struct lnl_watched w;
	struct evbd_plugin_port_info pi;
	uint64_t now = l->ops->now();
	if (!lnl_watch_gone(&l->watch, ev->ifindex, now, &w))
		return;
	struct evbd_port *p = l->ops->port_find_ifindex(l->ops->d, w.lower);
	if (p)
		l->ops->port_info(p, &pi);
	LOG(l, EVBD_PL_WARN,
	    "%s: %s was created on this port and removed %llu ms later with no port-profile "
	    "request from libvirt. If virsh start failed with 'sending of PortProfileRequest "
	    "failed', libvirtd's netlink port id is >= 2^31 (a libvirt 9.0 fault): restart "
	    "libvirtd. If the source device is a veth, libvirt cannot use it: use a physical NIC, "
	    "a dummy or a macvlan-capable device (docs/libvirt.md).",
	    p ? pi.ifname : "a station port", w.ifname[0] ? w.ifname : "a macvtap",
	    (unsigned long long)((now - w.at) / 1000));
}

static void link_event(struct lnl *l, const struct nlmsghdr *nlh)
{
	struct lnl_link_event ev;
	struct evbd_plugin_port_info pi;
	const char *what;
	if (lnl_parse_link_event(nlh, &ev, &what))
		return;
	if (ev.removed) {
		link_gone(l, &ev);
		return;
	}
	if (!ev.link || (strcmp(ev.kind, "macvtap") && strcmp(ev.kind, "macvlan")))
		return;
	struct evbd_port *p = l->ops->port_find_ifindex(l->ops->d, ev.link);
	if (!p)
		return;
	l->ops->port_info(p, &pi);
	if (pi.station)
		lnl_watch_add(&l->watch, &ev, l->ops->now());
}

static void kernel_datagram(struct lnl *l, size_t len)
{
	size_t off = 0;
	const struct nlmsghdr *nlh;
	while (lnl_next(l->rx, len, &off, &nlh) > 0)
		link_event(l, nlh);
}

static uid_t sender_uid(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cr;
			memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			return cr.uid;
		}
	return (uid_t)-1;
}

static void on_readable(int fd, void *arg)
{
	struct lnl *l = arg;
	for (int i = 0; i < RX_BURST; i++) {
		struct sockaddr_nl from;
		struct iovec iov = {l->rx, sizeof(l->rx)};
		char cbuf[CMSG_SPACE(sizeof(struct ucred))];
		struct msghdr mh = {.msg_name = &from,
				    .msg_namelen = sizeof(from),
				    .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf)};
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			l->st.dropped++;
			LOG(l, EVBD_PL_WARN, "netlink receive buffer overrun: requests were lost");
			continue;
		}
		if (n < 0)
			return;
		if (mh.msg_namelen == sizeof(from) && from.nl_pid == 0 && from.nl_groups &&
		    !(mh.msg_flags & MSG_TRUNC)) {
			kernel_datagram(l, (size_t)n); /* a link event */
			continue;
		}
		if (mh.msg_namelen != sizeof(from) || from.nl_pid == 0) {
			l->st.dropped++; /* from the kernel (e.g. an error about a notification) */
			continue;
		}
		if (mh.msg_flags & MSG_TRUNC) { /* larger than any request: answer EMSGSIZE */
			size_t off = 0;
			const struct nlmsghdr *nlh;
			l->st.malformed++;
			if (lnl_next(l->rx, (size_t)n, &off, &nlh) != 0 && nlh)
				answer(l, from.nl_pid, nlh, -EMSGSIZE);
			continue;
		}
		handle_datagram(l, (size_t)n, from.nl_pid, sender_uid(&mh));
	}
}

/* ---------------- hooks ---------------- */

static void vsi_changed(void *state, struct evbd_port *p, const struct evbd_vsi_view *v)
{
	struct lnl *l = state;
	if (v->key.format != EVBD_VSIID_UUID ||
	    !(v->events & (EVBD_VSI_EV_NOTIFY | EVBD_VSI_EV_REMOVE)))
		return;
	struct rec *r = *rec_slot(l, p, v->key.id);
	if (!r)
		return; /* not requested over netlink */
	if (v->events & EVBD_VSI_EV_REMOVE) {
		bool tell = r->established && v->command != EVBD_VDP_DEASSOC;
		rec_end(l, r, lnl_response(v->command, v->result, v->status, v->reason, true));
		if (tell)
			notify(l, r);
		return;
	}
	if (v->command == EVBD_VDP_ASSOC &&
	    !lnl_response(v->command, v->result, v->status, v->reason, false))
		r->established = true;
}

/* p left evbd's configuration: its records go, so libvirt's later requests
 * and polls on the interface get what a missing port gets (ENODEV), and an
 * association it asked for is not notified when the port comes back. */
static void port_removed(void *state, struct evbd_port *p)
{
	struct lnl *l = state;
	struct evbd_plugin_port_info pi;
	unsigned n = 0;
	for (unsigned i = 0; i < BUCKETS; i++) {
		struct rec **pp = &l->b[i];
		while (*pp)
			if ((*pp)->port == p) {
				rec_free(l, pp);
				n++;
			} else {
				pp = &(*pp)->next;
			}
	}
	if (!n)
		return;
	l->ops->port_info(p, &pi);
	LOG(l, EVBD_PL_NOTICE,
	    "%s: no longer a port of evbd: forgot the %u VSI(s) libvirt asked for on it", pi.ifname,
	    n);
}

/* ---------------- start / stop ---------------- */

static void check_key(void *arg, const char *key, unsigned line)
{
	struct lnl *l = arg;
	if (!strcmp(key, "pid-file"))
		return;
	LOG(l, EVBD_PL_ERR,
	    "unknown key '%s' at line %u of [plugin " NAME "]; the only key is pid-file.", key,
	    line);
	l->bad_key = true;
}

static int open_socket(struct lnl *l)
{
	struct sockaddr_nl a = {.nl_family = AF_NETLINK, .nl_pid = l->pid};
	int one = 1, rcv = RCVBUF;
	l->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (l->fd < 0) {
		LOG(l, EVBD_PL_ERR, "cannot open a NETLINK_ROUTE socket: %s", strerror(errno));
		return -errno;
	}
	setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	setsockopt(l->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if (bind(l->fd, (struct sockaddr *)&a, sizeof(a))) {
		int e = errno;
		LOG(l, EVBD_PL_ERR,
		    "cannot bind netlink port id %u (evbd's pid, where libvirt sends): %s%s",
		    l->pid, strerror(e),
		    e == EADDRINUSE ? "; is lldpad running in this network namespace?" : "");
		return -e;
	}
	/* The kernel's link events, for the link watch (a hint, not needed);
	 * after bind, which sets the groups to its nl_groups. */
	int grp = RTNLGRP_LINK;
	if (setsockopt(l->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		LOG(l, EVBD_PL_INFO,
		    "cannot follow link events (%s): no hint when libvirt gives up",
		    strerror(errno));
	return 0;
}

/* Refuse a pid file that a live process other than evbd holds. */
static int take_pidfile(struct lnl *l)
{
	char buf[32] = "";
	l->pid_fd = open(l->pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (l->pid_fd < 0) {
		LOG(l, EVBD_PL_ERR,
		    "cannot open the pid file %s: %s; libvirt finds evbd through it.", l->pidfile,
		    strerror(errno));
		return -errno;
	}
	ssize_t n = read(l->pid_fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	long holder = strtol(buf, NULL, 10);
	bool locked = flock(l->pid_fd, LOCK_EX | LOCK_NB) != 0;
	bool alive =
	    holder > 0 && holder != (long)l->pid && (kill((pid_t)holder, 0) == 0 || errno == EPERM);
	if (locked || alive) {
		LOG(l, EVBD_PL_ERR,
		    "the pid file %s is held by running process %ld (lldpad or another evbd); "
		    "libvirt would send to it, so " NAME " does not start. Stop that process, or "
		    "set pid-file in [plugin " NAME "].",
		    l->pidfile, holder);
		close(l->pid_fd);
		l->pid_fd = -1;
		return -EBUSY;
	}
	n = snprintf(buf, sizeof(buf), "%u\n", l->pid);
	if (ftruncate(l->pid_fd, 0) || pwrite(l->pid_fd, buf, (size_t)n, 0) != n) {
		LOG(l, EVBD_PL_ERR, "cannot write the pid file %s: %s", l->pidfile,
		    strerror(errno));
		return -EIO;
	}
	return 0;
}

static void stop(struct lnl *l)
{
	l->ops->fd_del(l->fdev);
	l->ops->timer_free(l->sweep);
	if (l->fd >= 0)
		close(l->fd);
	if (l->pid_fd >= 0) {
		unlink(l->pidfile);
		close(l->pid_fd);
	}
	for (unsigned i = 0; i < BUCKETS; i++)
		while (l->b[i])
			rec_free(l, &l->b[i]);
	free(l);
}

static int init(const struct evbd_plugin_ops *ops, void **state)
{
	struct lnl *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ops = ops;
	l->fd = l->pid_fd = -1;
	l->pid = (uint32_t)getpid();
	ops->conf_keys(ops->d, NAME, check_key, l);
	const char *pf = ops->conf_get(ops->d, NAME, "pid-file");
	int err = 0;
	if (l->bad_key)
		err = -EINVAL;
	else if (pf && pf[0] != '/')
		LOG(l, EVBD_PL_ERR,
		    "pid-file in [plugin " NAME "] must be an absolute path, not '%s'.", pf),
		    err = -EINVAL;
	snprintf(l->pidfile, sizeof(l->pidfile), "%s", pf ? pf : PIDFILE_DFLT);
	if (!err)
		err = open_socket(l);
	if (!err)
		err = take_pidfile(l);
	if (!err && (!(l->sweep = ops->timer_new(ops->d, on_sweep, l)) ||
		     !(l->fdev = ops->fd_add(ops->d, l->fd, on_readable, l))))
		err = -ENOMEM;
	if (err) {
		stop(l);
		return err;
	}
	LOG(l, EVBD_PL_NOTICE, "serving libvirt on netlink port %u, pid file %s", l->pid,
	    l->pidfile);
	*state = l;
	return 0;
}

static void fini(void *state)
{
	struct lnl *l = state;
	LOG(l, EVBD_PL_INFO,
	    "stopping: %u requests, %u polls, %u errors, %u malformed, %u dropped, %u notified, %u "
	    "sends lost, %u truncated replies",
	    l->st.requests, l->st.polls, l->st.errors, l->st.malformed, l->st.dropped,
	    l->st.notified, l->st.tx_lost, l->st.truncated);
	stop(l);
}

const struct evbd_plugin evbd_plugin = {
    .name = NAME,
    .abi = EVBD_PLUGIN_ABI,
    .init = init,
    .fini = fini,
    .vsi_changed = vsi_changed,
    .port_removed = port_removed,
};
