/*
 * ipc_priv.h - what the parts of evbd's control channel server share (not
 * for other modules): limits, the server's and a request's state, and what
 * each part offers.  The parts call downwards only:
 *   ipc.c        socket, reading requests, the dispatch table (authorized
 *                from the row before the handler runs), starting dumps
 *   ipc_vsi.c    VSI commands, the requests waiting for their outcome, and
 *                the VSI and port dumps
 *   ipc_admin.c  the VSI type database, plugin commands and the EVB MIB
 *   ipc_msg.c    answers: RESULT messages and sentences, the daemon's VSIs
 *                and ports as codec structs (ipc/codec.h), authorization
 *   ipc_out.c    sending: per-peer backlogs, dumps built lazily through
 *                their item function, the retry timer
 */
#ifndef EVBD_IPC_PRIV_H
#define EVBD_IPC_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "evbd/ipc.h"
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

/* sending (ipc_out.c) */
int ipc_out_init(struct evbd_ipc *ipc);
/* One last attempt for every backlog, then whatever is left is lost. */
void ipc_out_close(struct evbd_ipc *ipc);
/* Queue a copy of a ready message for pid (sent by ipc_flush()). */
void ipc_send_to(struct evbd_ipc *ipc, uint32_t pid, const void *buf, size_t len);
/* Queue a dump (malloc'd; taken over, freed on failure) and start sending
 * it.  0 or -ENOMEM. */
int ipc_queue_dump(struct evbd_ipc *ipc, uint32_t pid, struct ipc_dump *dm);

/* answers (ipc_msg.c) */
/* Start an answer of `type` in buf, from evbd's port id. */
void ipc_answer_start(struct ipc_msg *m, void *buf, size_t cap, uint16_t type, uint16_t flags,
		      uint32_t seq);
/* Count the request answered and queue the answer. */
void ipc_answer_send(struct evbd_ipc *ipc, uint32_t pid, const struct ipc_msg *m);
void ipc_answer_result(struct evbd_ipc *ipc, uint32_t pid, uint32_t seq, const struct answer *a);
void ipc_fail(struct req *rq, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 0 when the sender may change state, else EPERM answered; `what` names
 * the change ("changing VSIs"). */
int ipc_authorize(struct req *rq, const char *what);
const char *ipc_cmd_verb(uint8_t cmd);
const char *ipc_key_str(const struct vdp_vsi_key *k, char *buf, size_t cap);
/* The daemon's port and VSI as the codec carries them. */
void ipc_put_port_of(struct ipc_msg *m, const struct evbd_port *p);
void ipc_put_vsi_of(struct ipc_msg *m, const struct evbd_port *p, const struct vdp_vsi *v,
		    uint64_t now);

/* VSI commands, waiters, the VSI and port dumps (ipc_vsi.c) */
void ipc_handle_vsi_cmd(struct req *rq);
struct evbd_port *ipc_req_port(struct req *rq, bool required);
void ipc_waiters_shutdown(struct evbd_ipc *ipc, const struct evbd_port *p, const char *why);
int ipc_vsi_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);
int ipc_port_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);

/* VSI types, plugin commands, the MIB (ipc_admin.c) */
void ipc_handle_mib_get(struct req *rq);
void ipc_handle_mib_set(struct req *rq);
void ipc_handle_plugin_cmd(struct req *rq);
void ipc_handle_vsitype_del(struct req *rq);
void ipc_handle_vsitype_get(struct req *rq);
void ipc_handle_vsitype_set(struct req *rq);
int ipc_mib_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);
int ipc_req_oid(struct req *rq, struct mib_oid *o, bool required);
int ipc_vsitype_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);

#endif
