/*
 * ipc.h - evbd's control channel server: a NETLINK_USERSOCK socket bound to
 * the well-known port id EVBD_IPC_PORTID (schema in ipc/schema.h), driven by
 * the daemon's libevent loop.  It authorizes requests by the sender's
 * credentials, turns VSI commands into vdp_port requests, answers
 * immediately or when the bridge has answered (EVB_F_WAIT), and streams
 * VSI and port listings as multipart dumps with flow control.
 */
#ifndef EVBD_IPC_H
#define EVBD_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "evbd/evbd.h"

struct evbd_ipc;
struct evb_ipc_from;

/* Drops and oddities, each counted. */
struct ipc_stats {
	uint32_t rx_dropped;	/* datagrams without credentials, truncated, from the kernel */
	uint32_t rx_malformed;	/* netlink messages that cannot be answered (bad header) */
	uint32_t requests;	/* requests answered (including errors) */
	uint32_t refused;	/* EPERM answers */
	uint32_t tx_backlogged; /* sends that met a full receive buffer (retried) */
	uint32_t tx_lost;	/* answers dropped: peer gone, stalled or over its backlog cap */
	uint32_t waiters;	/* waiting VSI commands now */
};

/* Open the control socket and register it on d->base; sets d->ipc.  0, or a
 * negative errno after logging a sentence (-EADDRINUSE: another evbd runs). */
int ipc_open(struct evbd *d);
/* Answer every waiter with ESHUTDOWN, drop queued output, close.  NULL ok. */
void ipc_close(struct evbd_ipc *ipc);

/* From the port's vdp vsi_changed callback (before a removed VSI is freed):
 * answers the requests waiting for v's outcome.  Cheap when nobody waits. */
void ipc_vsi_changed(struct evbd_ipc *ipc, struct evbd_port *p, struct vdp_vsi *v,
		     const struct vdp_sm_out *out);
/* Send the answers queued in this loop turn (called at its end). */
void ipc_flush(struct evbd_ipc *ipc);
/* The port is about to be destroyed: its waiters get ESHUTDOWN.  NULL ok. */
void ipc_port_removed(struct evbd_ipc *ipc, struct evbd_port *p);

const struct ipc_stats *ipc_get_stats(const struct evbd_ipc *ipc);

/* One datagram of n octets in buf, received from `from` (what the socket's
 * read callback does with each; fuzzers call it directly).  Every request
 * in it is answered; ipc_flush() sends the answers. */
void ipc_input(struct evbd_ipc *ipc, const struct evb_ipc_from *from, const void *buf, size_t n);

/* The outcome of a waited-for command, given the VSI's result: 0 when the
 * result is what the command asked for (with reason 0; a De-Associate
 * succeeds whenever the VSI ends deassociated), -EINPROGRESS while pending
 * (or, for a De-Associate, while the old state is still shown), else a
 * positive errno: ECONNREFUSED (bridge refused, reason != 0 or another
 * result), ETIMEDOUT (failed without a reason: no answer from the bridge).
 * `removed`: the VSI ended (a De-Associate then succeeded). */
int ipc_wait_outcome(uint8_t cmd, uint8_t result, uint8_t reason, bool removed);

#endif
