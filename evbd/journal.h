/* SPDX-License-Identifier: ISC */
/*
 * journal.h - evbd's event journal: every port event (its interface came
 * or went, link up or down, EVB negotiated, changed or lost, an LLDP
 * neighbour appeared or aged out) and VSI event (a request over the control
 * socket, a result change, a timeout, the VSI's end), each as a struct
 * ipc_event (ipc/codec.h) numbered in order.  The journal keeps the last
 * JOURNAL_EVENTS in one ring for `evbctl vsi show` (a VSI's history) and
 * hands each new event to its publisher (the control socket's monitor
 * subscribers, wired in events.c); VSI result changes are logged at info
 * level.
 *
 * Memory: one global ring, nothing per VSI (a million VSIs cost nothing
 * more); the price is that a VSI's history is what the last JOURNAL_EVENTS
 * events of the whole daemon hold of it.  Per port a few octets of the
 * port's last seen state, to tell what changed.
 */
#ifndef EVBD_JOURNAL_H
#define EVBD_JOURNAL_H

#include <stdint.h>

#include "ipc/codec.h"

struct evbd;
struct evbd_port;
struct vdp_request;
struct vdp_sm_out;
struct vdp_vsi;
struct evbd_journal;

#define JOURNAL_EVENTS 4096 /* events remembered (a power of two) */

/* Where each new event goes (may be NULL). */
typedef void (*journal_publish_fn)(void *ctx, const struct ipc_event *e);

/* A new, empty journal; NULL after logging a sentence. */
struct evbd_journal *journal_new(journal_publish_fn publish, void *ctx);
void journal_free(struct evbd_journal *j);

/* A VSI's machine step (the loop's vsi_changed): a result change, a
 * timeout or the VSI's end is journaled (and a result change logged). */
void journal_vsi_changed(struct evbd_journal *j, const struct evbd_port *p, const struct vdp_vsi *v,
			 const struct vdp_sm_out *out);
/* A VSI command taken from the control socket for port p. */
void journal_vsi_request(struct evbd_journal *j, const struct evbd_port *p,
			 const struct vdp_request *r);
/* Port p may have changed (link, presence, EVB, neighbour): journal what
 * did since the last call.  Cheap when nothing did. */
void journal_port(struct evbd_journal *j, const struct evbd_port *p);
/* Port p leaves the configuration: forget its last seen state. */
void journal_port_removed(struct evbd_journal *j, const struct evbd_port *p);

/* Events journaled so far (the next event's number minus one). */
uint32_t journal_count(const struct evbd_journal *j);
/* The oldest event still remembered whose number is >= *seq, and *seq set
 * past it; NULL when there is none. */
const struct ipc_event *journal_next(const struct evbd_journal *j, uint32_t *seq);

#endif
