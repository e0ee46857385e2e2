/* SPDX-License-Identifier: ISC */
/*
 * priv.h - evbd's privileges for the rest of its life, once start-up has
 * opened what needs root (control socket, the ports' packet sockets, the
 * rtnetlink sockets, the pid file, the state directory and its lock, the
 * plugins): the capability set shrinks to CAP_NET_RAW (a port reopens its
 * packet socket when its interface comes back) and CAP_NET_ADMIN (the
 * linux-bridge plugin's FDB, VLAN and hairpin changes), the bounding set to the
 * same two, PR_SET_NO_NEW_PRIVS is set, and with [global] user = NAME the
 * process becomes that user (the state directory is given to it first).
 */
#ifndef EVBD_PRIV_H
#define EVBD_PRIV_H

#include "evbd/config.h"

/* The capabilities evbd keeps, as /proc/PID/status shows them (CapEff,
 * CapPrm and CapBnd): 1 << CAP_NET_ADMIN | 1 << CAP_NET_RAW. */
#define PRIV_CAPS_MASK 0x3000ULL

/* Drop to the set above (and to c->user when set).  0, or -1 with a
 * sentence logged: evbd must not run on with more than it needs. */
int priv_drop(const struct evbd_conf *c);

#endif
