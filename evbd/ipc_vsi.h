/* SPDX-License-Identifier: ISC */
/*
 * ipc_vsi.h - the VSI part of evbd's control channel server (ipc_vsi.c, on
 * top of ipc_msg.h and ipc_out.h): VSI commands, the commands that wait for
 * the bridge's answer (EVB_F_WAIT) and their outcome, and the items of the
 * VSI and port dumps.  ipc_vsi_changed(), ipc_port_removed() and
 * ipc_wait_outcome() are public (see ipc.h).
 */
#ifndef EVBD_IPC_VSI_H
#define EVBD_IPC_VSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evbd/ipc_state.h"

/* From the port's vdp vsi_changed callback (before a removed VSI is freed):
 * answers the requests waiting for v's outcome.  Cheap when nobody waits. */
void ipc_vsi_changed(struct evbd_ipc *ipc, struct evbd_port *p, struct vdp_vsi *v,
		     const struct vdp_sm_out *out);
/* The port is about to be destroyed: its waiters get ESHUTDOWN.  NULL ok. */
void ipc_port_removed(struct evbd_ipc *ipc, struct evbd_port *p);

/* The outcome of a waited-for command, given the VSI's result: 0 when the
 * result is what the command asked for (with reason 0; a De-Associate
 * succeeds whenever the VSI ends deassociated), -EINPROGRESS while pending
 * (or, for a De-Associate, while the old state is still shown), else a
 * positive errno: ECONNREFUSED (bridge refused, reason != 0 or another
 * result), ETIMEDOUT (failed without a reason: no answer from the bridge).
 * `removed`: the VSI ended (a De-Associate then succeeded). */
int ipc_wait_outcome(uint8_t cmd, uint8_t result, uint8_t reason, bool removed);

void ipc_handle_vsi_cmd(struct req *rq);
struct evbd_port *ipc_req_port(struct req *rq, bool required);
/* Answer every waiter on p (every waiter when p is NULL) with ESHUTDOWN,
 * saying why. */
void ipc_waiters_shutdown(struct evbd_ipc *ipc, const struct evbd_port *p, const char *why);
int ipc_vsi_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);
int ipc_port_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);

#endif
