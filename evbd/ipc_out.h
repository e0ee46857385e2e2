/* SPDX-License-Identifier: ISC */
/*
 * ipc_out.h - the bottom part of evbd's control channel server (ipc_out.c):
 * sending.  Answers are queued per peer and sent by ipc_flush() at the end
 * of the read burst or loop turn; a dump starts at once and is built
 * lazily, a datagram at a time, through its item function; what a full
 * receive buffer refuses waits for the retry timer.  Calls no other part.
 */
#ifndef EVBD_IPC_OUT_H
#define EVBD_IPC_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "evbd/ipc_state.h"

int ipc_out_init(struct evbd_ipc *ipc);
/* One last attempt for every backlog, then whatever is left is lost. */
void ipc_out_close(struct evbd_ipc *ipc);
/* Whether a request from pid, sent by uid, may be taken (the budgets,
 * ipc_state.h): 0; -ENOBUFS with a sentence in why when the answers
 * waiting for pid, or (not root) for all clients, would exceed their
 * budget; -ENOSPC when even a refusal has no room (drop the request).
 * Both are counted (over_budget). */
int ipc_out_admit(struct evbd_ipc *ipc, uint32_t pid, uid_t uid, char *why, size_t cap);
/* Octets waiting for pid now (0: none, or no such peer). */
size_t ipc_peer_held(struct evbd_ipc *ipc, uint32_t pid);
/* Drop what waits for pid (counted lost) and give it a fresh
 * IPC_STALL_US to take what is queued next (a last word). */
void ipc_peer_discard(struct evbd_ipc *ipc, uint32_t pid);
/* Queue a copy of a ready message for pid (sent by ipc_flush()). */
void ipc_send_to(struct evbd_ipc *ipc, uint32_t pid, const void *buf, size_t len);
/* Queue a dump (malloc'd; taken over, freed on failure) and start sending
 * it.  0 or -ENOMEM. */
int ipc_queue_dump(struct evbd_ipc *ipc, uint32_t pid, struct ipc_dump *dm);
/* Send the answers queued in this loop turn (called at its end; public,
 * see ipc.h). */
void ipc_flush(struct evbd_ipc *ipc);

#endif
