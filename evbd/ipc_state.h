/*
 * ipc_state.h - what every part of evbd's control channel server shares
 * (not for other modules): the limits, the server's state (struct
 * evbd_ipc with its counters, peers and their backlogs, dumps, waiters,
 * the authorization cache), one request being handled and one RESULT
 * answer.  Which part offers what: ipc_out.h, ipc_msg.h, ipc_vsi.h,
 * ipc_admin.h; how the parts stack: ipc.h.
 */
#ifndef EVBD_IPC_STATE_H
#define EVBD_IPC_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "evbd/evbd.h"
#include "ipc/codec.h"
#include "ipc/schema.h"
#include "mib/oid.h"
#include "vdp/vdp_tlv.h"
#include "vdp/vsi.h"

struct event;
struct nlattr;
struct nlmsghdr;
struct ipc_dump;
struct evbd_ipc;

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
#define IPC_HELD_MAX	 65536 /* OK answers waiting for a sync point; more forces one */
#define IPC_WHAT_MAX	 160   /* what a held answer's request did, for its error */

/* Drops and oddities, each counted. */
struct ipc_stats {
	uint32_t rx_dropped;	/* datagrams without credentials, truncated, from the kernel */
	uint32_t rx_malformed;	/* netlink messages that cannot be answered (bad header) */
	uint32_t requests;	/* requests answered (including errors) */
	uint32_t refused;	/* EPERM answers */
	uint32_t tx_backlogged; /* sends that met a full receive buffer (retried) */
	uint32_t tx_lost;	/* answers dropped: peer gone, stalled or over its backlog cap */
	uint32_t waiters;	/* waiting VSI commands now */
	uint32_t not_durable;	/* OK answers replaced by an error: the sync point failed */
};

/* Build the next item of a dump into buf: its octets, 0 when the dump has
 * no more items, -ENOSPC when the next one does not fit (cursor unchanged). */
typedef int (*ipc_item_fn)(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);

struct ipc_dump {
	ipc_item_fn item;
	uint32_t seq;
	char ifname[IF_NAMESIZE]; /* "" = every port */
	unsigned port;		  /* index into d->ports */
	struct vsi_cursor cur;
	bool finished;	     /* NLMSG_DONE built */
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

/* An OK answer to a change, held until the store's sync point of its
 * generation (loop.h): sent then, or replaced by an error if it failed. */
struct ipc_held {
	struct ipc_held *next;
	uint64_t gen;
	uint32_t pid, seq;
	char what[IPC_WHAT_MAX];
	size_t len;
	uint8_t data[]; /* the answer */
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
	struct ipc_held *held, *held_tail; /* in generation order */
	size_t nheld;
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
	struct ipc_attrs at;
};

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

#endif
