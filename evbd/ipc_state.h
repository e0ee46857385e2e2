/* SPDX-License-Identifier: ISC */
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

#define IPC_CHUNK      16384		/* dump datagrams are filled up to this size */
#define IPC_BUF	       EVBD_IPC_MAX_MSG /* largest datagram either way */
#define IPC_READ_BURST 256		/* datagrams per read callback */
/* Memory held for clients (answers not yet taken, dumps being built),
 * counted as allocated: a client's requests are refused (ENOBUFS) while
 * its answers would exceed IPC_PEER_BUDGET, an unprivileged client's too
 * while those of all clients would exceed IPC_GLOBAL_BUDGET; refusals have
 * IPC_REFUSAL_ROOM beyond either, then requests are dropped; answers owed
 * for requests already taken may reach IPC_PEER_HARD, then are dropped. */
#define IPC_PEER_BUDGET	  (4u << 20)
#define IPC_PEER_HARD	  (2 * IPC_PEER_BUDGET)
#define IPC_GLOBAL_BUDGET (32u << 20)
#define IPC_REFUSAL_ROOM  (1u << 20)
/* A client with a backlog must take IPC_STALL_BYTES (or all of it) in each
 * IPC_STALL_US, else its backlog is dropped: reading a datagram now and then
 * does not keep memory held. */
#define IPC_STALL_US	 (10 * 1000000ull)
#define IPC_STALL_BYTES	 (256u << 10)
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
	uint32_t over_budget;	/* requests refused (ENOBUFS) or dropped: answers over budget */
	uint32_t stalled;	/* peers whose backlog was dropped: they stopped reading */
	size_t held;		/* octets held for clients now (IPC_GLOBAL_BUDGET) */
	size_t held_peak;	/* the most ever held */
	uint32_t waiters;	/* waiting VSI commands now */
	uint32_t not_durable;	/* OK answers replaced by an error: the sync point failed */
	uint32_t subs_dropped;	/* monitor subscribers dropped (slow, or the table full) */
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
	bool finished;		/* NLMSG_DONE built */
	struct mib_oid *mib;	/* EVB_MSG_MIB_GET: [0] where the walk is, [1] its subtree */
	struct vdp_vsi_key key; /* EVB_MSG_HISTORY_GET: the VSI */
	bool fleet_one;		/* EVB_MSG_FLEET_GET of one VSIID: fleet_key */
	struct vdp_vsi_key fleet_key;
	uint32_t jseq; /* EVB_MSG_HISTORY_GET: the next journal event to look at */
};

/* Where a port's counters start again after `evbctl port clear-stats`
 * (ipc_msg.c): their values then, subtracted from what evbctl is shown. */
struct ipc_base {
	struct ipc_base *next;
	const struct evbd_port *p;
	uint64_t at; /* µs */
	struct ipc_ecp ecp;
	struct ipc_drops drops;
	struct ipc_frames frames;
	struct cdcp_stats cdcp;
};

/* Monitor subscriptions (ipc_monitor.c): at most IPC_MONITOR_MAX at once.
 * A subscriber is dropped (told so by a last RESULT ENOBUFS) when more than
 * IPC_MONITOR_HARD octets wait for it, or more than IPC_MONITOR_QUEUE have
 * waited for IPC_MONITOR_LAG_US: a burst (thousands of VSIs in one read of
 * the socket) may exceed the second for a moment, a reader that keeps up
 * drains it at once.  16 stuck subscribers hold 32 MiB at most. */
#define IPC_MONITOR_MAX	   16
#define IPC_MONITOR_QUEUE  (256u << 10)
#define IPC_MONITOR_HARD   (2u << 20)
#define IPC_MONITOR_LAG_US (2 * 1000000ull)

struct ipc_sub {
	uint32_t pid, seq;
	char ifname[IF_NAMESIZE]; /* "" = every port */
	uint64_t over_since;	  /* µs: since when over IPC_MONITOR_QUEUE (0: not) */
};

struct ipc_job {
	struct ipc_job *next;
	struct ipc_dump *dump; /* NULL: a ready datagram */
	size_t len;	       /* octets ready in data, 0 = none */
	size_t cap;	       /* room in data (answers share a datagram up to IPC_CHUNK) */
	size_t cost;	       /* octets this job holds (counted in the budgets) */
	uint8_t *data;
};

struct ipc_peer {
	struct ipc_peer *next;
	uint32_t pid;
	struct ipc_job *head, *tail;
	size_t held;		/* octets its jobs hold (IPC_PEER_BUDGET) */
	uint64_t window;	/* µs: start of the current IPC_STALL_US window */
	size_t window_sent;	/* octets it took in that window */
	uint32_t lost, refused; /* answers dropped, requests refused (logged once) */
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
	struct ipc_sub subs[IPC_MONITOR_MAX];
	unsigned nsubs;
	struct ipc_base *bases; /* ports whose counters were cleared */
	/* Called by ipc_out.c when a peer's socket is gone (set by ipc.c:
	 * its subscription ends). */
	void (*peer_gone)(struct evbd_ipc *ipc, uint32_t pid);
	uint64_t opened_us; /* when the socket opened (evbd's uptime) */
	uint64_t sent;	    /* datagrams sent (back-off pacing) */
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
