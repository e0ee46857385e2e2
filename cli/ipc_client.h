/* SPDX-License-Identifier: ISC */
/*
 * ipc_client.h - evbctl's side of the evbd control channel (schema in
 * ipc/schema.h, read and written by ipc/codec.h): the socket, sending
 * requests with sequence numbers, and receiving answers that are checked to
 * come from evbd's port id with the credentials of root or of the user evbd
 * runs as ($EVBD_USER, default evbd), with every attribute
 * validated.  Several
 * requests may be outstanding at once (batch mode); answers are matched by
 * sequence number.
 *
 * Errors are negative errnos with a sentence in the client's error buffer
 * (ipc_client_error()).
 */
#ifndef EVBCTL_IPC_CLIENT_H
#define EVBCTL_IPC_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "ipc/codec.h"
#include "ipc/schema.h"

#define IPC_TIMEOUT_MS	    5000  /* default wait for an answer */
#define IPC_WAIT_TIMEOUT_MS 30000 /* default for commands with `wait` */

struct ipc_client;

/* Open the socket.  0 or negative errno (sentence in *err, may be NULL). */
int ipc_client_open(struct ipc_client **cp, char *err, size_t errlen);
void ipc_client_close(struct ipc_client *c);
/* The sentence describing the last failure. */
const char *ipc_client_error(const struct ipc_client *c);

/* Start a request of `type` in buf (EVBD_IPC_MAX_MSG octets) with netlink
 * flags (NLM_F_REQUEST added) and EVB_F_* flags; ipc_req_start() gives
 * only its header. */
void ipc_req(struct ipc_msg *m, void *buf, uint16_t type, uint16_t nl_flags, uint8_t evb_flags);
struct nlmsghdr *ipc_req_start(void *buf, uint16_t type, uint16_t nl_flags, uint8_t evb_flags);

/* Send a request; its sequence number is assigned here.  Returns the
 * sequence number (>= 0 as int64) or a negative errno: -ECONNREFUSED when no
 * evbd listens ("evbd is not running ..."). */
int64_t ipc_client_send(struct ipc_client *c, struct nlmsghdr *nlh);

/* Pipelining: queue a request (copied; sequence number assigned and
 * returned, or a negative errno) into one datagram of up to ~16 KiB, sent
 * when it is full or by ipc_client_flush() (0 or a negative errno). */
int64_t ipc_client_queue(struct ipc_client *c, const struct nlmsghdr *nlh);
int ipc_client_flush(struct ipc_client *c);
/* The sequence number the next request sent or queued will get. */
uint32_t ipc_client_next_seq(const struct ipc_client *c);

/* Called for every message of an accepted answer datagram. */
typedef void (*ipc_msg_cb)(const struct nlmsghdr *nlh, void *data);

/* Wait up to timeout_ms for one datagram from evbd and hand each message in
 * it to cb.  0, -ETIMEDOUT, -EPERM (not from a privileged evbd), -EBADMSG
 * (malformed), or another negative errno. */
int ipc_client_recv(struct ipc_client *c, int timeout_ms, ipc_msg_cb cb, void *data);

/* Index and validate the attributes of an answer (RESULT, VSI, PORT, ...),
 * evbd's header version included.  0 or -EBADMSG. */
int ipc_parse_answer(const struct nlmsghdr *nlh, struct ipc_attrs *a);

/* One synchronous exchange: send nlh, then receive until its final message
 * (EVB_MSG_RESULT, or NLMSG_DONE of a dump), handing every message of this
 * sequence to cb (may be NULL).  Returns the answer's errno (>= 0; its
 * sentence via *msg, valid until the next call) or a negative errno for a
 * local failure (ipc_client_error()). */
int ipc_client_call(struct ipc_client *c, struct nlmsghdr *nlh, int timeout_ms, ipc_msg_cb cb,
		    void *data, const char **msg);

#endif
