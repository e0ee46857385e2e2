/* SPDX-License-Identifier: ISC */
/*
 * loop.h - evbd's event loop: the libevent base, the clock every module
 * reads, the end-of-turn work (a "kick" asks for it), the store's sync
 * points (group commit at the end of a turn when an answer waits for one,
 * else the batch timer; retries after a failure), and the fan-out of VSI
 * and port events and of "durable up to generation G" to the subsystems
 * that listen (store, policy, IPC, plugins: events.c registers them).
 *
 * It calls only the log and the store (whose sync points it runs), and
 * neither includes it; the other subsystems are listeners it does not name:
 * they reach each other through it, so evbd/ has no circle of imports.  Tests
 * and fuzzers replace the clock (`clock`) and run the end of a turn
 * themselves (loop_turn_end()) or dispatch the base.
 */
#ifndef EVBD_LOOP_H
#define EVBD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct event;
struct event_base;
struct evbd_port;
struct evbd_store;
struct vdp_sm_out;
struct vdp_vsi;

/* What a subsystem hears; any hook may be NULL.  Listeners are called in
 * the order they were registered. */
struct loop_listener {
	void *ctx;
	/* End of a loop turn, after a kick: send what the turn queued. */
	void (*turn_end)(void *ctx);
	/* A VSI's machine step produced notify / bind / unbind / remove (out);
	 * called before a removed VSI is freed. */
	void (*vsi_changed)(void *ctx, struct evbd_port *p, struct vdp_vsi *v,
			    const struct vdp_sm_out *out);
	/* A port's interface appeared, vanished, its link or negotiation changed. */
	void (*port_changed)(void *ctx, struct evbd_port *p);
	/* The port is about to be destroyed (it left the configuration). */
	void (*port_removed)(void *ctx, struct evbd_port *p);
	/* A sync point of the store ended: err 0, every generation up to gen is
	 * durable; else (-ENOSPC, -EIO) the changes of generation gen and before
	 * that were not yet durable are still not, and why says so. */
	void (*synced)(void *ctx, uint64_t gen, int err, const char *why);
};

#define LOOP_MAX_LISTENERS 16

/* When a sync point runs.  An answer that says a change was made (a VSI
 * request, evbctl's OK) waits for the sync point that makes it durable, and
 * asks for one at the end of the turn (loop_commit_soon()): every change
 * read in that turn shares the transaction (group commit), so an OK means
 * the change is in the state database, and evbd killed at any moment loses
 * no change it answered OK for.  A bridge's VDP responses wait the same way
 * (evbd/port.c holds its transmit queue until the sync point that stores
 * the VSI changes they acknowledge).  Changes nobody waits for (the
 * machines' own steps) are written by the batch timer, at most
 * LOOP_STORE_BATCH_US after they happen: evbd killed in that window loses
 * them; the station re-sends and the bridge's keep-alives re-confirm.
 * A failed sync point is retried after LOOP_RETRY_MIN_US, doubling up to
 * LOOP_RETRY_MAX_US; meanwhile answers that wait for one get the error at
 * once. */
#define LOOP_STORE_BATCH_US 20000
/* Free pages a flush left (too few to give back then) are given back once
 * the store has had no change for this long. */
#define LOOP_RECLAIM_US	  1000000
#define LOOP_RETRY_MIN_US 100000
#define LOOP_RETRY_MAX_US 5000000

struct evbd_loop {
	struct event_base *base;
	uint64_t (*clock)(void);  /* monotonic µs (CLOCK_MONOTONIC) unless replaced */
	struct event *turn_ev;	  /* deferred: the end-of-turn work */
	struct event *batch_ev;	  /* the store's batch timer */
	struct event *reclaim_ev; /* gives the store's space back when changes stop */
	struct evbd_store *store; /* flushed by batch_ev; NULL: none */
	bool commit_wanted;	  /* a sync point at the end of this turn */
	uint64_t retry_us;	  /* the back-off after a failed one; 0: none failed */
	int sync_err;		  /* the last failure's errno (negative) */
	struct loop_listener listeners[LOOP_MAX_LISTENERS];
	unsigned nlisteners;
};

/* A new event base, the monotonic clock, no listener.  0, or -ENOMEM after
 * logging a sentence. */
int loop_init(struct evbd_loop *l);
/* Free the events and the base.  Safe on a zeroed or half-initialised loop. */
void loop_fini(struct evbd_loop *l);

/* The loop's clock, µs. */
static inline uint64_t loop_now(const struct evbd_loop *l)
{
	return l->clock();
}

/* Add a listener (copied).  0, or -ENOSPC when LOOP_MAX_LISTENERS listen. */
int loop_listen(struct evbd_loop *l, const struct loop_listener *li);
/* The store whose queued changes the batch timer writes (NULL: none). */
void loop_batch_store(struct evbd_loop *l, struct evbd_store *s);

/* Ask for the end-of-turn work once the current loop turn is over. */
void loop_kick(struct evbd_loop *l);
/* The end-of-turn work: every listener's turn_end, then a sync point when
 * one was asked for (or, while the store is failing and a retry is due,
 * the failure told again), else the batch timer armed when changes are
 * queued. */
void loop_turn_end(struct evbd_loop *l);
/* Ask for a sync point at the end of this turn (and for that end). */
void loop_commit_soon(struct evbd_loop *l);
/* A sync point now, its outcome fanned out (synced); 0 or its error. */
int loop_commit(struct evbd_loop *l);

/* The fan-out: tell every listener, in order. */
void loop_vsi_changed(struct evbd_loop *l, struct evbd_port *p, struct vdp_vsi *v,
		      const struct vdp_sm_out *out);
void loop_port_changed(struct evbd_loop *l, struct evbd_port *p);
void loop_port_removed(struct evbd_loop *l, struct evbd_port *p);
void loop_synced(struct evbd_loop *l, uint64_t gen, int err, const char *why);

#endif
