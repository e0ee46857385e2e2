/* SPDX-License-Identifier: ISC */
/*
 * loop.c - evbd's event loop, clock, end-of-turn work, the store's sync
 * points (group commit, batch timer, retries) and event fan-out (see
 * loop.h).
 */
#include "evbd/loop.h"

#include <errno.h>
#include <event2/event.h>
#include <string.h>
#include <time.h>

#include "evbd/log.h"
#include "evbd/store.h"

static uint64_t loop_monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void on_turn_end(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	loop_turn_end(arg);
}

static void on_batch(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	loop_commit(arg);
}

static void on_reclaim(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct evbd_loop *l = arg;
	store_reclaim_idle(l->store);
}

int loop_init(struct evbd_loop *l)
{
	memset(l, 0, sizeof(*l));
	l->clock = loop_monotonic_us;
	l->base = event_base_new();
	if (l->base) {
		l->turn_ev = event_new(l->base, -1, 0, on_turn_end, l);
		l->batch_ev = evtimer_new(l->base, on_batch, l);
		l->reclaim_ev = evtimer_new(l->base, on_reclaim, l);
	}
	if (!l->base || !l->turn_ev || !l->batch_ev || !l->reclaim_ev) {
		log_err("cannot create the event loop: out of memory");
		loop_fini(l);
		return -ENOMEM;
	}
	return 0;
}

void loop_fini(struct evbd_loop *l)
{
	if (l->turn_ev)
		event_free(l->turn_ev);
	if (l->batch_ev)
		event_free(l->batch_ev);
	if (l->reclaim_ev)
		event_free(l->reclaim_ev);
	if (l->base)
		event_base_free(l->base);
	l->turn_ev = l->batch_ev = l->reclaim_ev = NULL;
	l->base = NULL;
	l->nlisteners = 0;
}

int loop_listen(struct evbd_loop *l, const struct loop_listener *li)
{
	if (l->nlisteners == LOOP_MAX_LISTENERS)
		return -ENOSPC;
	l->listeners[l->nlisteners++] = *li;
	return 0;
}

void loop_batch_store(struct evbd_loop *l, struct evbd_store *s)
{
	l->store = s;
}

void loop_kick(struct evbd_loop *l)
{
	event_active(l->turn_ev, EV_TIMEOUT, 0);
}

static void arm(struct evbd_loop *l, uint64_t us)
{
	struct timeval tv = {.tv_sec = (time_t)(us / 1000000),
			     .tv_usec = (suseconds_t)(us % 1000000)};
	evtimer_add(l->batch_ev, &tv);
}

int loop_commit(struct evbd_loop *l)
{
	int err = store_flush(l->store);

	if (err) {
		l->retry_us = l->retry_us ? l->retry_us * 2 : LOOP_RETRY_MIN_US;
		if (l->retry_us > LOOP_RETRY_MAX_US)
			l->retry_us = LOOP_RETRY_MAX_US;
		l->sync_err = err;
		arm(l, l->retry_us);
		loop_synced(l, store_next_gen(l->store), err, store_error(l->store));
		return err;
	}
	l->retry_us = 0;
	if (store_reclaim_wanted(l->store)) { /* again after every flush: fires once quiet */
		struct timeval tv = {.tv_sec = LOOP_RECLAIM_US / 1000000};
		evtimer_add(l->reclaim_ev, &tv);
	}
	loop_synced(l, store_synced_gen(l->store), 0, NULL);
	return 0;
}

void loop_commit_soon(struct evbd_loop *l)
{
	l->commit_wanted = true;
	loop_kick(l);
}

/* The sync point asked for at the end of the turn.  While a failed one
 * waits for its retry, the answers waiting now hear the failure at once
 * (a retry per turn would rewrite the whole queue on a full disk). */
static void commit_wanted(struct evbd_loop *l)
{
	l->commit_wanted = false;
	if (l->retry_us && evtimer_pending(l->batch_ev, NULL) && store_error(l->store))
		loop_synced(l, store_next_gen(l->store), l->sync_err, store_error(l->store));
	else
		loop_commit(l);
}

void loop_turn_end(struct evbd_loop *l)
{
	for (unsigned i = 0; i < l->nlisteners; i++)
		if (l->listeners[i].turn_end)
			l->listeners[i].turn_end(l->listeners[i].ctx);
	if (l->commit_wanted)
		commit_wanted(l);
	else if (store_pending(l->store) && !evtimer_pending(l->batch_ev, NULL)) {
		arm(l, LOOP_STORE_BATCH_US);
	}
}

void loop_vsi_changed(struct evbd_loop *l, struct evbd_port *p, struct vdp_vsi *v,
		      const struct vdp_sm_out *out)
{
	for (unsigned i = 0; i < l->nlisteners; i++)
		if (l->listeners[i].vsi_changed)
			l->listeners[i].vsi_changed(l->listeners[i].ctx, p, v, out);
}

void loop_port_changed(struct evbd_loop *l, struct evbd_port *p)
{
	for (unsigned i = 0; i < l->nlisteners; i++)
		if (l->listeners[i].port_changed)
			l->listeners[i].port_changed(l->listeners[i].ctx, p);
}

void loop_port_removed(struct evbd_loop *l, struct evbd_port *p)
{
	for (unsigned i = 0; i < l->nlisteners; i++)
		if (l->listeners[i].port_removed)
			l->listeners[i].port_removed(l->listeners[i].ctx, p);
}

void loop_synced(struct evbd_loop *l, uint64_t gen, int err, const char *why)
{
	for (unsigned i = 0; i < l->nlisteners; i++)
		if (l->listeners[i].synced)
			l->listeners[i].synced(l->listeners[i].ctx, gen, err, why);
}
