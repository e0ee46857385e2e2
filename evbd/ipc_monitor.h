/* SPDX-License-Identifier: ISC */
/*
 * ipc_monitor.h - evbd's events over the control channel (ipc_monitor.c,
 * on top of ipc_msg.h and ipc_out.h): subscriptions (EVB_MSG_MONITOR,
 * `evbctl monitor`), bounded in number and in what waits for each
 * subscriber, and a VSI's history from the journal (EVB_MSG_HISTORY_GET,
 * `evbctl vsi show`).  ipc_monitor_publish() is public (see ipc.h).
 */
#ifndef EVBD_IPC_MONITOR_H
#define EVBD_IPC_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "evbd/ipc_state.h"

struct ipc_event;

/* Subscribe the sender ([IFNAME]: one port's events only). */
void ipc_handle_monitor(struct req *rq);
/* Send e to every subscriber that wants it; drop the ones that do not keep
 * up.  NULL ipc: nothing. */
void ipc_monitor_publish(struct evbd_ipc *ipc, const struct ipc_event *e);
/* The client at port id pid is gone: end its subscription. */
void ipc_monitor_peer_gone(struct evbd_ipc *ipc, uint32_t pid);
/* Tell every subscriber that evbd stops (ESHUTDOWN) and forget them. */
void ipc_monitor_shutdown(struct evbd_ipc *ipc);
/* A HISTORY_GET dump (its VSI's key in dm->key): 0, or answered with EINVAL. */
int ipc_history_start(struct req *rq, struct ipc_dump *dm);
int ipc_history_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);
/* The inode of the NETLINK_USERSOCK socket bound to portid in this
 * network namespace (/proc/net/netlink), 0 when none. */
unsigned long ipc_portid_inode(uint32_t portid);

#endif
