/* SPDX-License-Identifier: ISC */
/*
 * ipc.c - evbd's control channel server (see ipc.h; the protocol is
 * ipc/schema.h, read and written by ipc/codec.h): the socket, reading and
 * validating requests, and dispatch through one table, handles[]: a row per
 * message type with its handler, its dump (the item function) and, when it
 * changes state, what the change is called.  The server authorizes a change
 * from its row before the handler runs.
 *
 * Reading: every datagram must carry SCM_CREDENTIALS and come from a user
 * space socket; each netlink request in it is validated attribute by
 * attribute and gets exactly one answer, sent to the address the datagram
 * came from (how answers go out: ipc_out.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

#include "evbd/ipc.h"
#include "evbd/ipc_admin.h"
#include "evbd/ipc_fleet.h"
#include "evbd/ipc_monitor.h"
#include "evbd/ipc_msg.h"
#include "evbd/ipc_out.h"
#include "evbd/ipc_state.h"
#include "evbd/ipc_vsi.h"
#include "evbd/log.h"
#include "ipc/sock.h"

/* ---------------- the dispatch table ---------------- */

struct ipc_handle {
	uint16_t type;
	void (*handle)(struct req *rq); /* NULL: always a dump */
	ipc_item_fn dump;		/* with NLM_F_DUMP (or no handler): the items */
	const char *noun;		/* what a dump lists, for sentences */
	const char *changes;		/* a change: needs root or the admin group */
};

/* Plugin commands say per command whether they change state: their handler
 * authorizes (ipc_authorize()) when one does. */
static const struct ipc_handle handles[] = {
    {EVB_MSG_VSI_CMD, ipc_handle_vsi_cmd, NULL, NULL, "changing VSIs"},
    {EVB_MSG_VSI_GET, NULL, ipc_vsi_item, "VSIs", NULL},
    {EVB_MSG_PORT_GET, NULL, ipc_port_item, "ports", NULL},
    {EVB_MSG_VSITYPE_SET, ipc_handle_vsitype_set, NULL, NULL, "changing the VSI type database"},
    {EVB_MSG_VSITYPE_DEL, ipc_handle_vsitype_del, NULL, NULL, "changing the VSI type database"},
    {EVB_MSG_VSITYPE_GET, ipc_handle_vsitype_get, ipc_vsitype_item, "VSI types", NULL},
    {EVB_MSG_PLUGIN_CMD, ipc_handle_plugin_cmd, NULL, NULL, NULL},
    {EVB_MSG_MIB_GET, ipc_handle_mib_get, ipc_mib_item, "the MIB", NULL},
    {EVB_MSG_MIB_SET, ipc_handle_mib_set, NULL, NULL, "setting a MIB object"},
    {EVB_MSG_STATS_GET, ipc_handle_stats_get, NULL, NULL, NULL},
    {EVB_MSG_FLEET_GET, ipc_handle_fleet_get, NULL, NULL, NULL},
    {EVB_MSG_FLEET_STATUS, ipc_handle_fleet_status, NULL, NULL, NULL},
    {EVB_MSG_MONITOR, ipc_handle_monitor, NULL, NULL, NULL},
    {EVB_MSG_HISTORY_GET, NULL, ipc_history_item, "the VSI's events", NULL},
    {EVB_MSG_STATS_CLEAR, ipc_handle_stats_clear, NULL, NULL, "clearing counters"},
};

static const struct ipc_handle *handle_of(uint16_t type)
{
	for (size_t i = 0; i < sizeof(handles) / sizeof(handles[0]); i++)
		if (handles[i].type == type)
			return &handles[i];
	return NULL;
}

/* ---------------- dumps ---------------- */

static void handle_dump(struct req *rq, const struct ipc_handle *h)
{
	struct evbd_ipc *ipc = rq->ipc;
	struct evbd_port *p = NULL;
	if (rq->at.tb[EVB_A_IFNAME] && !(p = ipc_req_port(rq, false)))
		return;
	struct ipc_dump *dm = calloc(1, sizeof(*dm));
	if (dm && h->dump == ipc_mib_item) {
		/* A MIB walk: [0] where it is, [1] its subtree. */
		dm->mib = calloc(2, sizeof(*dm->mib));
		if (dm->mib && ipc_req_oid(rq, &dm->mib[1], false)) {
			free(dm->mib);
			free(dm);
			return;
		}
		if (dm->mib)
			dm->mib[0] = dm->mib[1];
	}
	if (dm && rq->at.tb[EVB_A_VSIID_FMT] && rq->at.tb[EVB_A_VSIID]) {
		/* One VSI only (VSI_GET, HISTORY_GET). */
		dm->key.fmt = ipc_get_u8(rq->at.tb[EVB_A_VSIID_FMT], 0);
		memcpy(dm->key.id, mnl_attr_get_payload(rq->at.tb[EVB_A_VSIID]), VDP_VSIID_LEN);
	}
	if (dm && h->dump == ipc_history_item && ipc_history_start(rq, dm)) {
		free(dm);
		return;
	}
	if (!dm || (h->dump == ipc_mib_item && !dm->mib)) {
		if (dm)
			free(dm);
		ipc_fail(rq, ENOMEM, "evbd is out of memory; cannot list %s", h->noun);
		return;
	}
	dm->item = h->dump;
	dm->seq = rq->seq;
	if (p)
		snprintf(dm->ifname, sizeof(dm->ifname), "%s", p->ifname);
	if (ipc_queue_dump(ipc, rq->pid, dm))
		ipc_fail(rq, ENOMEM, "evbd is out of memory; cannot list %s", h->noun);
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
	char why[IPC_MSG_MAX];
	int admit = ipc_out_admit(ipc, pid, cred->uid, why, sizeof(why));
	if (admit) {
		if (admit == -ENOBUFS)
			ipc_fail(&rq, ENOBUFS, "%s", why);
		return;
	}
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
	const struct ipc_handle *row = handle_of(nlh->nlmsg_type);
	if (!row) {
		ipc_fail(&rq, EOPNOTSUPP,
			 "evbd does not understand control message type %u; is evbctl newer than "
			 "evbd?",
			 nlh->nlmsg_type);
		return;
	}
	char what[128];
	if (ipc_attrs_parse(nlh, &rq.at, what, sizeof(what))) {
		ipc_fail(&rq, EINVAL, "malformed request: %s", what);
		return;
	}
	if (row->changes && ipc_authorize(&rq, row->changes))
		return;
	if (row->dump && (!row->handle || (nlh->nlmsg_flags & NLM_F_DUMP)))
		handle_dump(&rq, row);
	else
		row->handle(&rq);
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

/* Whether process pid has the socket inode ino open. */
static bool holds_socket(const char *pid, unsigned long ino)
{
	char dir[300], path[600], link[64], want[40];
	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	snprintf(want, sizeof(want), "socket:[%lu]", ino);
	DIR *fds = opendir(dir);
	bool found = false;
	struct dirent *e;
	while (fds && !found && (e = readdir(fds))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		found = n > 0 && (link[n] = 0, !strcmp(link, want));
	}
	if (fds)
		closedir(fds);
	return found;
}

/* Say who holds the control socket's address: another evbd, or a process
 * that is not evbd (found through its socket inode in /proc). */
static void report_holder(void)
{
	unsigned long ino = ipc_portid_inode(EVBD_IPC_PORTID);
	DIR *proc = ino ? opendir("/proc") : NULL;
	struct dirent *e;
	while (proc && (e = readdir(proc))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' || !holds_socket(e->d_name, ino))
			continue;
		char path[300], comm[64] = "?", buf[256];
		unsigned uid = 0;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		FILE *f = fopen(path, "re");
		if (f && fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = 0;
		if (f)
			fclose(f);
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		f = fopen(path, "re");
		while (f && fgets(buf, sizeof(buf), f))
			if (sscanf(buf, "Uid: %u", &uid) == 1)
				break;
		if (f)
			fclose(f);
		char pid[sizeof(e->d_name)];
		snprintf(pid, sizeof(pid), "%s", e->d_name); /* e dies with proc */
		closedir(proc);
		if (!strcmp(comm, "evbd"))
			log_err(
			    "another evbd (process %s, uid %u) is already running: it holds the "
			    "control socket's address (netlink port id %u); stop it first, or run "
			    "this one in another network namespace",
			    pid, uid, EVBD_IPC_PORTID);
		else
			log_err("the control socket's address (netlink port id %u) is held by "
				"process %s (%s, uid %u), which is not evbd; stop it",
				EVBD_IPC_PORTID, pid, comm, uid);
		return;
	}
	if (proc)
		closedir(proc);
	log_err("the control socket's address (netlink port id %u) is taken, by a process this "
		"evbd cannot see (another evbd?); stop it first, or run this one in another "
		"network namespace",
		EVBD_IPC_PORTID);
}

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
			report_holder();
		else
			log_err("cannot bind the control socket to netlink port id %u: %s",
				EVBD_IPC_PORTID, strerror(errno));
		goto ipc_fail;
	}
	ipc->rx_ev = event_new(d->loop.base, ipc->fd, EV_READ | EV_PERSIST, on_read, ipc);
	if (!ipc->rx_ev || ipc_out_init(ipc) || event_add(ipc->rx_ev, NULL)) {
		err = -ENOMEM;
		log_err("cannot watch the control socket: out of memory");
		goto ipc_fail;
	}
	ipc->opened_us = loop_now(&d->loop);
	ipc->peer_gone = ipc_monitor_peer_gone;
	d->ipc = ipc;
	return 0;
ipc_fail:
	if (ipc->rx_ev)
		event_free(ipc->rx_ev);
	ipc_out_close(ipc);
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
	ipc_held_drop(ipc);
	ipc_monitor_shutdown(ipc);
	ipc_counters_forget(ipc, NULL);
	ipc_out_close(ipc);
	free(ipc->w.b);
	event_free(ipc->rx_ev);
	mnl_socket_close(ipc->nl);
	if (ipc->d->ipc == ipc)
		ipc->d->ipc = NULL;
	free(ipc);
}

const struct ipc_stats *ipc_get_stats(const struct evbd_ipc *ipc)
{
	return &ipc->stats;
}
