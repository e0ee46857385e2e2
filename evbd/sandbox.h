/* SPDX-License-Identifier: ISC */
/*
 * sandbox.h - the system-call allow-list (seccomp, libseccomp) evbd runs
 * under once start-up is over: after the plugins are loaded and started, the
 * sockets, capture handles, database and log are open, and the privileges
 * are dropped (priv.h).  What evbd and its plugins (lldpad-nl, linux-bridge,
 * snmp with net-snmp's AgentX, and SQLite, libevent, SIGHUP's reload that
 * reopens ports and re-reads the configuration, pcap traces) call is
 * allowed; any other call fails with EPERM and is logged with its name
 * ("refused system call"), the daemon running on.  [global] seccomp = off
 * (evbd.conf(5)) leaves it out.
 */
#ifndef EVBD_SANDBOX_H
#define EVBD_SANDBOX_H

#include "evbd/config.h"

struct event_base;

/* Enter the sandbox when c->seccomp (a build with sanitizers, which make
 * calls of their own, stays out and says so).  0, or -1 with a sentence
 * logged: evbd must not run on without the sandbox it was told to use. */
int sandbox_enter(const struct evbd_conf *c, struct event_base *base);
/* Stop watching for refused calls (the filter stays: it cannot be left). */
void sandbox_fini(void);

#endif
