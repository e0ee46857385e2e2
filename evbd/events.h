/* SPDX-License-Identifier: ISC */
/*
 * events.h - the daemon's wiring: which subsystem hears which of the loop's
 * events (loop.h).  It names every subsystem and nothing includes it but
 * main.c (and tests and fuzzers that want the daemon's real fan-out), so the
 * subsystems never name each other to pass an event on.
 */
#ifndef EVBD_EVENTS_H
#define EVBD_EVENTS_H

#include "evbd/evbd.h"

/* Create the event journal (d->journal, evbd/journal.h: it hears VSI and
 * port events first and publishes them to IPC monitor subscribers), then
 * register the subsystems as listeners of d->loop, in the order of the
 * work: at the end of a turn ports send, the trace reaches the disk, IPC
 * answers go out; a VSI change is stored, unbound from the policy, answered
 * to IPC waiters, then shown to plugins; a removed port's IPC waiters are
 * answered and the MIB renumbers the ports.  They read d->store, d->ipc, d->trace, d->plugins when
 * called (NULL: that subsystem is not running).  0, or -1 when the loop has no room
 * (LOOP_MAX_LISTENERS). */
int events_wire(struct evbd *d);

#endif
