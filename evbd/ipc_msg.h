/* SPDX-License-Identifier: ISC */
/*
 * ipc_msg.h - the answering part of evbd's control channel server
 * (ipc_msg.c, on top of ipc_out.h): RESULT messages and error sentences,
 * the daemon's ports and VSIs as the codec carries them (ipc/codec.h), and
 * authorization by the sender's credentials.
 */
#ifndef EVBD_IPC_MSG_H
#define EVBD_IPC_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

#include "evbd/ipc_state.h"

/* Start an answer of `type` in buf, from evbd's port id. */
void ipc_answer_start(struct ipc_msg *m, void *buf, size_t cap, uint16_t type, uint16_t flags,
		      uint32_t seq);
/* Count the request answered and queue the answer. */
void ipc_answer_send(struct evbd_ipc *ipc, uint32_t pid, const struct ipc_msg *m);
void ipc_answer_result(struct evbd_ipc *ipc, uint32_t pid, uint32_t seq, const struct answer *a);
/* The OK answer to a change (what: "associate VSI X on port Y"), sent once
 * the store's sync point that makes the change durable has passed (held
 * until then; a sync point is asked for at the end of the turn). */
void ipc_answer_send_durable(struct evbd_ipc *ipc, uint32_t pid, const struct ipc_msg *m,
			     const char *what);
void ipc_answer_durable(struct evbd_ipc *ipc, uint32_t pid, uint32_t seq, const struct answer *a,
			const char *what);
/* A sync point ended (loop.h, synced): send the held answers of generations
 * up to gen, or, when err, answer them with err and a sentence (why) saying
 * the change is not durable.  Public: events.c calls it. */
void ipc_synced(struct evbd_ipc *ipc, uint64_t gen, int err, const char *why);
/* Answer every held answer with ESHUTDOWN (evbd stops). */
void ipc_held_drop(struct evbd_ipc *ipc);
void ipc_fail(struct req *rq, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 0 when the sender may change state, else EPERM answered; `what` names
 * the change ("changing VSIs"). */
int ipc_authorize(struct req *rq, const char *what);
/* The same rule without a request: uid 0 or a member of admin-group (not
 * cached; the lldpad-clif plugin asks through the plugin API). */
bool ipc_cred_trusted(const struct evbd *d, uid_t uid, gid_t gid);
const char *ipc_cmd_verb(uint8_t cmd);
const char *ipc_key_str(const struct vdp_vsi_key *k, char *buf, size_t cap);
/* Start port p's counters from zero again (EVB_MSG_STATS_CLEAR): 0 or
 * -ENOMEM.  Forget p's start (p NULL: every port's). */
int ipc_counters_clear(struct evbd_ipc *ipc, const struct evbd_port *p);
void ipc_counters_forget(struct evbd_ipc *ipc, const struct evbd_port *p);
/* The daemon's port and VSI as the codec carries them; a port's counters
 * count since evbd started or they were cleared. */
void ipc_put_port_of(struct ipc_msg *m, const struct evbd_port *p);
void ipc_put_vsi_of(struct ipc_msg *m, const struct evbd_port *p, const struct vdp_vsi *v,
		    uint64_t now);

#endif
