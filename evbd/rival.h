/* SPDX-License-Identifier: ISC */
/*
 * rival.h - evbd refuses to start beside a running lldpad: both would run
 * LLDP and VDP on the same interfaces, answer libvirt at the same netlink
 * address and claim the same pid file.  lldpad is seen by its control
 * socket's address (the abstract unix name @/com/intel/lldpad, one per
 * network namespace) being taken, or by its pid file naming a live process
 * called lldpad in evbd's network namespace.
 */
#ifndef EVBD_RIVAL_H
#define EVBD_RIVAL_H

#include <stddef.h>

/* lldpad's addresses; tests give their own. */
#define RIVAL_LLDPAD_PIDFILE "/var/run/lldpad.pid"
#define RIVAL_LLDPAD_CLIF    "/com/intel/lldpad"

/* 0 when no lldpad runs beside evbd; -1 with a sentence in why (what was
 * found, what to do) when one does.  pidfile and clif: see above. */
int rival_lldpad(const char *pidfile, const char *clif, char *why, size_t len);

#endif
