/*
 * ipc_client.c - evbctl's client of the evbd control channel (see
 * ipc_client.h): a NETLINK_USERSOCK socket with an automatic port id and
 * SO_PASSCRED, requests built with libmnl, answers accepted only from
 * EVBD_IPC_PORTID with root credentials and parsed with attribute
 * validation.
 */
#include "ipc_client.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#define CLIENT_RCVBUF	  (8 << 20)
#define CLIENT_SNDTIMEO_S 5
#define ERRMSG_MAX	  4096
#define QUEUE_FLUSH	  16384 /* queued requests are sent once they reach this size */

struct ipc_client {
	struct mnl_socket *nl;
	int fd;
	uint32_t portid;
	uint32_t seq;
	uint32_t ignored; /* datagrams from other senders */
	char err[512];
	char msg[ERRMSG_MAX]; /* sentence of the last RESULT of ipc_client_call() */
	size_t qlen;	      /* octets of queued requests in qbuf */
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

int ipc_client_open(struct ipc_client **cp, char *err, size_t errlen)
{
	struct ipc_client *c = calloc(1, sizeof(*c));
	*cp = NULL;
	if (!c) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
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

struct nlmsghdr *ipc_req_start(void *buf, uint16_t type, uint16_t nl_flags, uint8_t evb_flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | nl_flags);
	struct evb_ipc_hdr *h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
	h->version = EVBD_IPC_VERSION;
	h->flags = evb_flags;
	return nlh;
}

static uint32_t next_seq(struct ipc_client *c)
{
	if (!++c->seq)
		c->seq = 1;
	return c->seq;
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
		if (cred.uid != 0)
			return set_err(
			    c, -EPERM,
			    "the answer did not come from a privileged evbd (netlink port "
			    "id %u is held by a process of uid %u, pid %d)",
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

/* ---------------- attribute validation ---------------- */

static const struct evb_attr_policy answer_policy[EVB_A_MAX] = {
    [EVB_A_ERRNO] = {MNL_TYPE_U32, 4, 4},
    [EVB_A_ERRMSG] = {MNL_TYPE_NUL_STRING, 1, ERRMSG_MAX},
    [EVB_A_IFNAME] = {MNL_TYPE_NUL_STRING, 2, 16},
    [EVB_A_CMD] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_HINTS] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_MGRID] = {MNL_TYPE_BINARY, VDP_MGRID_LEN, VDP_MGRID_LEN},
    [EVB_A_TYPE_ID] = {MNL_TYPE_U32, 4, 4},
    [EVB_A_TYPE_VER] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_VSIID_FMT] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_VSIID] = {MNL_TYPE_BINARY, VDP_VSIID_LEN, VDP_VSIID_LEN},
    [EVB_A_FIF] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_FILTER] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_STATE] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_RESULT] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_REASON] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_STATUS] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_ROLE] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_LINK] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_PORT_MAC] = {MNL_TYPE_BINARY, 6, 6},
    [EVB_A_OPER] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_NEIGHBOR] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_ECP] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_VSI_COUNTS] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_CREATED_AGE] = {MNL_TYPE_U64, 8, 8},
    [EVB_A_DROPS] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_CONFIRMED] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_PRESENT] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_VSITYPE] = {MNL_TYPE_NESTED, 0, UINT16_MAX},
    [EVB_A_COUNT] = {MNL_TYPE_U32, 4, 4},
    [EVB_A_POLICY] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_TEXT] = {MNL_TYPE_NUL_STRING, 1, UINT16_MAX},
    [EVB_A_MIB_OID] = {MNL_TYPE_BINARY, 4, 4 * 128},
    [EVB_A_MIB_TYPE] = {MNL_TYPE_U8, 1, 1},
    [EVB_A_MIB_VALUE] = {MNL_TYPE_BINARY, 0, 32},
    [EVB_A_MIB_ERR] = {MNL_TYPE_U8, 1, 1},
};

static const struct evb_attr_policy filter_policy[EVB_FA_MAX] = {
    [EVB_FA_MAC] = {MNL_TYPE_BINARY, 6, 6}, [EVB_FA_VID] = {MNL_TYPE_U16, 2, 2},
    [EVB_FA_PCP] = {MNL_TYPE_U8, 1, 1},	    [EVB_FA_PS] = {MNL_TYPE_U8, 1, 1},
    [EVB_FA_GROUP] = {MNL_TYPE_U32, 4, 4},
};

static const struct evb_attr_policy oper_policy[EVB_OA_MAX] = {
    [EVB_OA_VALID] = {MNL_TYPE_U8, 1, 1}, [EVB_OA_R] = {MNL_TYPE_U8, 1, 1},
    [EVB_OA_RTE] = {MNL_TYPE_U8, 1, 1},	  [EVB_OA_RWD] = {MNL_TYPE_U8, 1, 1},
    [EVB_OA_RKA] = {MNL_TYPE_U8, 1, 1},	  [EVB_OA_RR] = {MNL_TYPE_U8, 1, 1},
    [EVB_OA_GID] = {MNL_TYPE_U8, 1, 1},
};

static const struct evb_attr_policy nbr_policy[EVB_NA_MAX] = {
    [EVB_NA_MAC] = {MNL_TYPE_BINARY, 6, 6},    [EVB_NA_CHASSIS] = {MNL_TYPE_BINARY, 0, 255},
    [EVB_NA_CHASSIS_ST] = {MNL_TYPE_U8, 1, 1}, [EVB_NA_PORT] = {MNL_TYPE_BINARY, 0, 255},
    [EVB_NA_PORT_ST] = {MNL_TYPE_U8, 1, 1},    [EVB_NA_TTL] = {MNL_TYPE_U16, 2, 2},
    [EVB_NA_MODE] = {MNL_TYPE_U8, 1, 1},
};

static const struct evb_attr_policy ecp_policy[EVB_EA_MAX] = {
    [EVB_EA_TX_FRAMES] = {MNL_TYPE_U32, 4, 4},	 [EVB_EA_TX_RETRIES] = {MNL_TYPE_U32, 4, 4},
    [EVB_EA_TX_FAILURES] = {MNL_TYPE_U32, 4, 4}, [EVB_EA_RX_FRAMES] = {MNL_TYPE_U32, 4, 4},
    [EVB_EA_RX_DUPS] = {MNL_TYPE_U32, 4, 4},
};

static const struct evb_attr_policy count_policy[EVB_CA_MAX] = {
    [EVB_CA_TOTAL] = {MNL_TYPE_U32, 4, 4},	   [EVB_CA_PENDING] = {MNL_TYPE_U32, 4, 4},
    [EVB_CA_PREASSOCIATED] = {MNL_TYPE_U32, 4, 4}, [EVB_CA_ASSOCIATED] = {MNL_TYPE_U32, 4, 4},
    [EVB_CA_FAILED] = {MNL_TYPE_U32, 4, 4},
};

static const struct evb_attr_policy vsitype_policy[EVB_TA_MAX] = {
    [EVB_TA_ID] = {MNL_TYPE_U32, 4, 4},		  [EVB_TA_VER] = {MNL_TYPE_U8, 1, 1},
    [EVB_TA_NAME] = {MNL_TYPE_NUL_STRING, 1, 64}, [EVB_TA_VLANS] = {MNL_TYPE_BINARY, 0, UINT16_MAX},
    [EVB_TA_ASSIGN_VID] = {MNL_TYPE_U16, 2, 2},	  [EVB_TA_FORMATS] = {MNL_TYPE_U8, 1, 1},
    [EVB_TA_MAX_PER_PORT] = {MNL_TYPE_U32, 4, 4}, [EVB_TA_PCP] = {MNL_TYPE_U8, 1, 1},
    [EVB_TA_IN_USE] = {MNL_TYPE_U32, 4, 4},
};

static const struct evb_attr_policy drop_policy[EVB_DA_MAX] = {
    [EVB_DA_LLDP_BAD] = {MNL_TYPE_U32, 4, 4},	 [EVB_DA_ECP_BAD] = {MNL_TYPE_U32, 4, 4},
    [EVB_DA_TLV_BAD] = {MNL_TYPE_U32, 4, 4},	 [EVB_DA_VSI_BAD] = {MNL_TYPE_U32, 4, 4},
    [EVB_DA_UNKNOWN_VSI] = {MNL_TYPE_U32, 4, 4}, [EVB_DA_WRONG_DIR] = {MNL_TYPE_U32, 4, 4},
};

struct parse {
	const struct evb_attr_policy *pol;
	uint16_t max;
	const struct nlattr **tb;
	struct ipc_attrs *rep; /* collects EVB_A_FILTER (top level only) */
	const char *end;
};

static int parse_cb(const struct nlattr *a, void *data)
{
	struct parse *ps = data;
	uint16_t type = mnl_attr_get_type(a);
	ps->end = (const char *)a + MNL_ALIGN(a->nla_len);
	if (type >= ps->max || !ps->pol[type].type)
		return MNL_CB_OK; /* newer evbd: ignored */
	if (!evb_attr_ok(a, &ps->pol[type]))
		return MNL_CB_ERROR;
	if (ps->rep && type == EVB_A_FILTER) {
		if (ps->rep->nfilters >= VDP_MAX_FILTERS)
			return MNL_CB_ERROR;
		ps->rep->filters[ps->rep->nfilters++] = a;
		return MNL_CB_OK;
	}
	if (ps->tb[type])
		return MNL_CB_ERROR;
	ps->tb[type] = a;
	return MNL_CB_OK;
}

static bool covers(const struct parse *ps, const void *start, const void *tail)
{
	return ps->end ? (const void *)ps->end == tail : start == tail;
}

int ipc_parse_answer(const struct nlmsghdr *nlh, struct ipc_attrs *a)
{
	memset(a, 0, sizeof(*a));
	size_t off = MNL_ALIGN(sizeof(struct evb_ipc_hdr));
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return -EBADMSG;
	const struct evb_ipc_hdr *h = mnl_nlmsg_get_payload(nlh);
	if (h->version != EVBD_IPC_VERSION)
		return -EBADMSG;
	struct parse ps = {.pol = answer_policy, .max = EVB_A_MAX, .tb = a->tb, .rep = a};
	if (mnl_attr_parse(nlh, (unsigned)off, parse_cb, &ps) < 0 ||
	    !covers(&ps, mnl_nlmsg_get_payload_offset(nlh, off), mnl_nlmsg_get_payload_tail(nlh)))
		return -EBADMSG;
	return 0;
}

int ipc_parse_nested(const struct nlattr *nest, const struct nlattr **tb)
{
	struct parse ps = {.tb = tb};
	switch (mnl_attr_get_type(nest)) {
	case EVB_A_FILTER:
		ps.pol = filter_policy, ps.max = EVB_FA_MAX;
		break;
	case EVB_A_OPER:
		ps.pol = oper_policy, ps.max = EVB_OA_MAX;
		break;
	case EVB_A_NEIGHBOR:
		ps.pol = nbr_policy, ps.max = EVB_NA_MAX;
		break;
	case EVB_A_ECP:
		ps.pol = ecp_policy, ps.max = EVB_EA_MAX;
		break;
	case EVB_A_VSI_COUNTS:
		ps.pol = count_policy, ps.max = EVB_CA_MAX;
		break;
	case EVB_A_DROPS:
		ps.pol = drop_policy, ps.max = EVB_DA_MAX;
		break;
	case EVB_A_VSITYPE:
		ps.pol = vsitype_policy, ps.max = EVB_TA_MAX;
		break;
	default:
		return -EBADMSG;
	}
	memset(tb, 0, ps.max * sizeof(*tb));
	const char *start = mnl_attr_get_payload(nest);
	if (mnl_attr_parse_nested(nest, parse_cb, &ps) < 0 ||
	    !covers(&ps, start, start + mnl_attr_get_payload_len(nest)))
		return -EBADMSG;
	return 0;
}

int ipc_result_errno(const struct ipc_attrs *a, const char **msg)
{
	*msg = a->tb[EVB_A_ERRMSG] ? mnl_attr_get_str(a->tb[EVB_A_ERRMSG]) : "";
	if (!a->tb[EVB_A_ERRNO])
		return -EBADMSG;
	uint32_t e = mnl_attr_get_u32(a->tb[EVB_A_ERRNO]);
	return e > 4095 ? -EBADMSG : (int)e;
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
		int e = a && !ipc_parse_answer(nlh, a) ? ipc_result_errno(a, &m) : -EBADMSG;
		free(a);
		k->done = true;
		if (e < 0) {
			k->result = set_err(k->c, -EBADMSG, "evbd sent a malformed result");
			return;
		}
		snprintf(k->c->msg, sizeof(k->c->msg), "%s", m);
		k->result = e;
	} else if (nlh->nlmsg_type != EVB_MSG_VSI && nlh->nlmsg_type != EVB_MSG_PORT &&
		   nlh->nlmsg_type != EVB_MSG_VSITYPE && nlh->nlmsg_type != EVB_MSG_MIB_VB) {
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
