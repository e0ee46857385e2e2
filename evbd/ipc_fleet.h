/* SPDX-License-Identifier: ISC */
/*
 * ipc_fleet.h - the control channel's fleet requests (EVB_MSG_FLEET_GET,
 * EVB_MSG_FLEET_STATUS; ipc/schema.h): where the fleet's VSIs are and the
 * cluster's state, read from evbd/cluster.h.  A part of the IPC server
 * (ipc.h), above ipc_msg.h and ipc_out.h.
 */
#ifndef EVBD_IPC_FLEET_H
#define EVBD_IPC_FLEET_H

#include "evbd/ipc_state.h"

void ipc_handle_fleet_get(struct req *rq);
void ipc_handle_fleet_status(struct req *rq);

#endif
