/* SPDX-License-Identifier: ISC */
/*
 * ipc_client.c - evbctl's client of the evbd control channel (see
 * ipc_client.h): a NETLINK_USERSOCK socket with an automatic port id and
 * SO_PASSCRED, answers accepted only from EVBD_IPC_PORTID with the
 * credentials of root or of the user evbd runs as ([global] user: the
 * account named by $EVBD_USER, default "evbd", when it exists; only root
 * creates accounts) (ipc/sock.h), and parsed with attribute validation
 * (ipc/codec.h).
 */
#include "ipc_client.h"

#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "ipc/sock.h"

#define CLIENT_RCVBUF	  (8 << 20)
#define CLIENT_SNDTIMEO_S 5
#define QUEUE_FLUSH	  16384 /* queued requests are sent once they reach this size */

struct ipc_client {
	struct mnl_socket *nl;
	int fd;
	uint32_t portid;
	uint32_t seq;
	uint32_t ignored; /* datagrams from other senders */
	uid_t evbd_uid;	  /* the non-root uid evbd may run as, or 0 */
	char err[512];
	char msg[EVB_ERRMSG_MAX]; /* sentence of the last RESULT of ipc_client_call() */
	size_t qlen;		  /* octets of queued requests in qbuf */
	uint8_t buf[EVBD_IPC_MAX_MSG];
	uint8_t qbuf[QUEUE_FLUSH + EVBD_IPC_MAX_MSG];
};

static int set_err(struct ipc_client *c, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set_err(struct ipc_client *c, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return err;
}

const char *ipc_client_error(const struct ipc_client *c)
{
	return c->err;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The uid of [global] user that evbd may run as: $EVBD_USER, or the
 * system account "evbd"; 0 (root only) when there is no such account. */
static uid_t evbd_user(void)
{
	const char *name = getenv("EVBD_USER");
	const struct passwd *pw = getpwnam(name && name[0] ? name : "evbd");
	return pw ? pw->pw_uid : 0;
}

int ipc_client_open(struct ipc_client **cp, char *err, size_t errlen)
{
	struct ipc_client *c = calloc(1, sizeof(*c));
	*cp = NULL;
	if (!c) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->evbd_uid = evbd_user();
	c->nl = mnl_socket_open2(EVBD_IPC_FAMILY, SOCK_CLOEXEC);
	int one = 1, size = CLIENT_RCVBUF;
	struct timeval tv = {.tv_sec = CLIENT_SNDTIMEO_S};
	if (!c->nl || mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(c->nl), SOL_SOCKET, SO_PASSCRED, &one, sizeof(one))) {
		int e = errno;
		if (err)
			snprintf(err, errlen, "cannot open a netlink socket to talk to evbd: %s",
				 strerror(e));
		if (c->nl)
			mnl_socket_close(c->nl);
		free(c);
		return -e;
	}
	c->fd = mnl_socket_get_fd(c->nl);
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->portid = mnl_socket_get_portid(c->nl);
	c->seq = (uint32_t)time(NULL) ^ ((uint32_t)getpid() << 16);
	*cp = c;
	return 0;
}

void ipc_client_close(struct ipc_client *c)
{
	if (!c)
		return;
	mnl_socket_close(c->nl);
	free(c);
}

void ipc_req(struct ipc_msg *m, void *buf, uint16_t type, uint16_t nl_flags, uint8_t evb_flags)
{
	ipc_msg_start(m, buf, EVBD_IPC_MAX_MSG, type, (uint16_t)(NLM_F_REQUEST | nl_flags),
		      evb_flags);
}

struct nlmsghdr *ipc_req_start(void *buf, uint16_t type, uint16_t nl_flags, uint8_t evb_flags)
{
	struct ipc_msg m;
	ipc_req(&m, buf, type, nl_flags, evb_flags);
	return m.nlh;
}

static uint32_t next_seq(struct ipc_client *c)
{
	if (!++c->seq)
		c->seq = 1;
	return c->seq;
}

uint32_t ipc_client_next_seq(const struct ipc_client *c)
{
	return c->seq + 1 ? c->seq + 1 : 1;
}

/* Send len octets of requests at p. 0 or negative errno with a sentence. */
static int send_raw(struct ipc_client *c, const void *p, size_t len)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = EVBD_IPC_PORTID};
	for (;;) {
		if (sendto(c->fd, p, len, 0, (struct sockaddr *)&sa, sizeof(sa)) >= 0)
			return 0;
		if (errno != EINTR)
			break;
	}
	int e = errno;
	if (e == ECONNREFUSED)
		return set_err(c, -e,
			       "evbd is not running (nothing listens on its control socket); "
			       "start it with `evbd`");
	if (e == EAGAIN || e == EWOULDBLOCK)
		return set_err(c, -e,
			       "evbd is not taking requests (its control socket stayed full for "
			       "%d s)",
			       CLIENT_SNDTIMEO_S);
	return set_err(c, -e, "cannot send a request to evbd: %s", strerror(e));
}

int64_t ipc_client_send(struct ipc_client *c, struct nlmsghdr *nlh)
{
	nlh->nlmsg_seq = next_seq(c);
	nlh->nlmsg_pid = c->portid;
	int err = send_raw(c, nlh, nlh->nlmsg_len);
	return err ? err : (int64_t)nlh->nlmsg_seq;
}

int ipc_client_flush(struct ipc_client *c)
{
	if (!c->qlen)
		return 0;
	int err = send_raw(c, c->qbuf, c->qlen);
	c->qlen = 0;
	return err;
}

int64_t ipc_client_queue(struct ipc_client *c, const struct nlmsghdr *nlh)
{
	size_t len = MNL_ALIGN(nlh->nlmsg_len);
	if (len > EVBD_IPC_MAX_MSG)
		return set_err(c, -EMSGSIZE, "a request is too large (%zu octets)", len);
	if (c->qlen && c->qlen + len > QUEUE_FLUSH) {
		int err = ipc_client_flush(c);
		if (err)
			return err;
	}
	struct nlmsghdr *q = (struct nlmsghdr *)(c->qbuf + c->qlen);
	memcpy(q, nlh, nlh->nlmsg_len);
	memset((uint8_t *)q + nlh->nlmsg_len, 0, len - nlh->nlmsg_len);
	q->nlmsg_seq = next_seq(c);
	q->nlmsg_pid = c->portid;
	c->qlen += len;
	return q->nlmsg_seq;
}

/* ---------------- receiving ---------------- */

/* One datagram into c->buf.  Octets, or a negative errno. */
static ssize_t recv_one(struct ipc_client *c, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		int64_t left = deadline - now_ms();
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int r = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return set_err(c, -ETIMEDOUT, "evbd did not answer within %d.%d s",
				       timeout_ms / 1000, timeout_ms % 1000 / 100);
		if (r < 0)
			return set_err(c, -errno, "cannot wait for evbd: %s", strerror(errno));
		struct evb_ipc_from from;
		ssize_t n = evb_ipc_recv(c->fd, c->buf, sizeof(c->buf), &from);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			if (errno == ENOBUFS)
				return set_err(c, -ENOBUFS,
					       "answers from evbd were lost (evbctl's receive "
					       "buffer overflowed)");
			return set_err(c, -errno, "cannot read evbd's answer: %s", strerror(errno));
		}
		if (from.salen < sizeof(from.sa) || from.sa.nl_pid != EVBD_IPC_PORTID) {
			c->ignored++; /* not from evbd's port id */
			continue;
		}
		const struct ucred cred = from.cred;
		if (!from.has_cred)
			return set_err(c, -EPERM,
				       "the answer did not come from a privileged evbd (it carried "
				       "no credentials)");
		if (cred.uid != 0 && cred.uid != c->evbd_uid)
			return set_err(
			    c, -EPERM,
			    "the answer did not come from a privileged evbd (netlink port "
			    "id %u is held by a process of uid %u, pid %d); evbctl trusts uid 0 "
			    "and the user named by EVBD_USER (default evbd)",
			    EVBD_IPC_PORTID, (unsigned)cred.uid, (int)cred.pid);
		if (from.flags & MSG_TRUNC)
			return set_err(c, -EBADMSG, "an answer from evbd was cut (over %zu octets)",
				       sizeof(c->buf));
		return n;
	}
}

/* The length of the well-formed message at p (n octets left), or 0.
 * (mnl_nlmsg_ok() casts nlmsg_len to int: a length >= 2^31 would pass.) */
static size_t msg_len(const uint8_t *p, size_t n)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
	if (n < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > n)
		return 0;
	return MNL_ALIGN(nlh->nlmsg_len) < n ? MNL_ALIGN(nlh->nlmsg_len) : n;
}

int ipc_client_recv(struct ipc_client *c, int timeout_ms, ipc_msg_cb cb, void *data)
{
	ssize_t n = recv_one(c, timeout_ms);
	if (n < 0)
		return (int)n;
	/* Check the whole datagram before handing out any message. */
	size_t off = 0, step;
	while (off < (size_t)n && (step = msg_len(c->buf + off, (size_t)n - off)))
		off += step;
	if (off != (size_t)n || !n)
		return set_err(c, -EBADMSG, "evbd sent a malformed answer (bad netlink framing)");
	for (off = 0; off < (size_t)n; off += msg_len(c->buf + off, (size_t)n - off))
		cb((const struct nlmsghdr *)(c->buf + off), data);
	return 0;
}

/* ---------------- answers ---------------- */

int ipc_parse_answer(const struct nlmsghdr *nlh, struct ipc_attrs *a)
{
	size_t off = MNL_ALIGN(sizeof(struct evb_ipc_hdr));
	memset(a, 0, sizeof(*a));
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return -EBADMSG;
	const struct evb_ipc_hdr *h = mnl_nlmsg_get_payload(nlh);
	if (h->version != EVBD_IPC_VERSION || ipc_attrs_parse(nlh, a, NULL, 0))
		return -EBADMSG;
	return 0;
}

/* ---------------- synchronous call ---------------- */

struct call {
	struct ipc_client *c;
	uint32_t seq;
	ipc_msg_cb cb;
	void *data;
	bool done;
	unsigned seen; /* messages of this sequence so far */
	int result;    /* answer errno, or negative local error */
};

static void call_msg(const struct nlmsghdr *nlh, void *data)
{
	struct call *k = data;
	if (k->done || nlh->nlmsg_seq != k->seq)
		return; /* a late answer to an earlier request */
	k->seen++;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		k->done = true;
		int status = 0;
		if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
			memcpy(&status, mnl_nlmsg_get_payload(nlh), sizeof(int));
		k->result = status < 0 && status > -4096 ? -status : 0;
		k->c->msg[0] = '\0';
		if (status)
			snprintf(k->c->msg, sizeof(k->c->msg), "the listing ended early: %s",
				 strerror(-status));
		return;
	}
	if (nlh->nlmsg_type == EVB_MSG_RESULT) {
		struct ipc_attrs *a = malloc(sizeof(*a));
		const char *m = "";
		int e = a && !ipc_parse_answer(nlh, a) ? ipc_get_result(a, &m) : -EBADMSG;
		free(a);
		k->done = true;
		if (e < 0) {
			k->result = set_err(k->c, -EBADMSG, "evbd sent a malformed result");
			return;
		}
		snprintf(k->c->msg, sizeof(k->c->msg), "%s", m);
		k->result = e;
	} else if (nlh->nlmsg_type != EVB_MSG_VSI && nlh->nlmsg_type != EVB_MSG_PORT &&
		   nlh->nlmsg_type != EVB_MSG_VSITYPE && nlh->nlmsg_type != EVB_MSG_MIB_VB &&
		   nlh->nlmsg_type != EVB_MSG_FLEET_VSI && nlh->nlmsg_type != EVB_MSG_EVENT) {
		return; /* not part of an answer: ignored */
	}
	if (k->cb)
		k->cb(nlh, k->data);
}

int ipc_client_call(struct ipc_client *c, struct nlmsghdr *nlh, int timeout_ms, ipc_msg_cb cb,
		    void *data, const char **msg)
{
	*msg = "";
	int64_t seq = ipc_client_send(c, nlh);
	if (seq < 0)
		return (int)seq;
	struct call k = {.c = c, .seq = (uint32_t)seq, .cb = cb, .data = data};
	/* The limit is on silence: a long listing may take longer in all. */
	int64_t deadline = now_ms() + timeout_ms;
	while (!k.done) {
		int64_t left = deadline - now_ms();
		unsigned seen = k.seen;
		int err = ipc_client_recv(c, left > 0 ? (int)left : 0, call_msg, &k);
		if (!err && k.seen != seen)
			deadline = now_ms() + timeout_ms;
		if (err == -ETIMEDOUT)
			return set_err(c, err, "evbd did not answer within %d s",
				       (timeout_ms + 999) / 1000);
		if (err)
			return err;
	}
	*msg = c->msg;
	return k.result;
}
