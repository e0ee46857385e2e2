/* SPDX-License-Identifier: ISC */
/*
 * ipc_admin.h - the administrative part of evbd's control channel server
 * (ipc_admin.c, on top of ipc_msg.h): the VSI type database, plugin
 * commands, the EVB MIB (walk, get, set), with the items of their
 * dumps, and evbd's own state (version, uptime, the control socket's
 * counters, the store).
 */
#ifndef EVBD_IPC_ADMIN_H
#define EVBD_IPC_ADMIN_H

#include <stdbool.h>
#include <stddef.h>

#include "evbd/ipc_state.h"
#include "mib/oid.h"

void ipc_handle_mib_get(struct req *rq);
void ipc_handle_mib_set(struct req *rq);
void ipc_handle_plugin_cmd(struct req *rq);
void ipc_handle_stats_get(struct req *rq);
/* Start the counters of every port (or the one named) from zero. */
void ipc_handle_stats_clear(struct req *rq);
void ipc_handle_vsitype_del(struct req *rq);
void ipc_handle_vsitype_get(struct req *rq);
void ipc_handle_vsitype_set(struct req *rq);
int ipc_mib_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);
int ipc_req_oid(struct req *rq, struct mib_oid *o, bool required);
int ipc_vsitype_item(struct evbd_ipc *ipc, struct ipc_dump *dm, void *buf, size_t cap);

#endif
