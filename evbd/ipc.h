/* SPDX-License-Identifier: ISC */
/*
 * ipc.h - evbd's control channel server: a NETLINK_USERSOCK socket bound to
 * the well-known port id EVBD_IPC_PORTID (schema in ipc/schema.h), driven by
 * the daemon's libevent loop.  It authorizes requests by the sender's
 * credentials, turns VSI commands into vdp_port requests, answers
 * immediately or when the bridge has answered (EVB_F_WAIT), and streams
 * VSI and port listings as multipart dumps with flow control.
 *
 * The server is split into parts that call downwards only, each with its
 * header; all share ipc_state.h:
 *   ipc.c        socket, reading requests, the dispatch table (authorized
 *                from the row before the handler runs), starting dumps
 *   ipc_vsi.c    VSI commands, the requests waiting for their outcome, and
 *                the VSI and port dumps
 *   ipc_admin.c  the VSI type database, plugin commands and the EVB MIB
 *   ipc_msg.c    answers: RESULT messages and sentences, the daemon's VSIs
 *                and ports as codec structs (ipc/codec.h), authorization
 *   ipc_monitor.c  event subscriptions (monitor) and a VSI's history from the
 *                journal
 *   ipc_out.c    sending: per-peer backlogs, dumps built lazily through
 *                their item function, the retry timer
 * The public functions the lower parts implement are declared in their
 * headers, included here: ipc_vsi_changed(), ipc_port_removed(),
 * ipc_wait_outcome() (ipc_vsi.h), ipc_monitor_publish() (ipc_monitor.h)
 * and ipc_flush() (ipc_out.h).
 */
#ifndef EVBD_IPC_H
#define EVBD_IPC_H

#include <stddef.h>

#include "evbd/evbd.h"
#include "evbd/ipc_monitor.h"
#include "evbd/ipc_msg.h"
#include "evbd/ipc_out.h"
#include "evbd/ipc_state.h"
#include "evbd/ipc_vsi.h"

struct evb_ipc_from;

/* Open the control socket and register it on d->base; sets d->ipc.  0, or a
 * negative errno after logging a sentence (-EADDRINUSE: another evbd runs). */
int ipc_open(struct evbd *d);
/* Answer every waiter with ESHUTDOWN, drop queued output, close.  NULL ok. */
void ipc_close(struct evbd_ipc *ipc);

/* The server's drops and oddities (struct ipc_stats, ipc_state.h). */
const struct ipc_stats *ipc_get_stats(const struct evbd_ipc *ipc);

/* One datagram of n octets in buf, received from `from` (what the socket's
 * read callback does with each; fuzzers call it directly).  Every request
 * in it is answered; ipc_flush() sends the answers. */
void ipc_input(struct evbd_ipc *ipc, const struct evb_ipc_from *from, const void *buf, size_t n);

#endif
