/* SPDX-License-Identifier: ISC */
/*
 * mib.h - the IEEE8021-EVB-MIB over evbd's live state: the source of
 * mib/evb_mib.h.  Ports are numbered 1.. in the order of d->ports (the
 * configuration's order, ports added by a reload after them; a port a
 * reload removes renumbers those after it).  Get-next
 * over VSIs uses each port's VSI keys sorted on demand: rebuilt when VSIs
 * came or went, at most once a second for ports of 10,000 VSIs or more
 * (a walk then may miss a VSI added within that second); a get finds its
 * VSI by key.  Writable objects are validated, applied to the ports
 * (renegotiating EVB) and kept in the state database, so that they survive
 * a restart and a reload:
 *   - the Sys defaults (SysEvbLldpManual, SysEcpMaxRetries,
 *     SysEcpDfltAckTimerExp, SysVdpDfltRsrcWaitDelayExp,
 *     SysVdpDfltReinitKeepAliveExp) apply to every port whose [port]
 *     section does not set that key itself;
 *   - SbpLldpManual / URPLldpManual set one port's "manual", over its
 *     [port] section.
 * Both IPC (`evbctl mib`) and the snmp plugin use this tree.
 */
#ifndef EVBD_MIB_H
#define EVBD_MIB_H

#include "evbd/evbd.h"
#include "mib/tree.h"

/* Build the tree and read the stored writes (needs d->store).  0 or -1
 * (logged). */
int evbd_mib_open(struct evbd *d);
void evbd_mib_close(struct evbd *d);
/* Apply the stored writes to a configuration just read (start, SIGHUP). */
void evbd_mib_conf(struct evbd *d, struct evbd_conf *c);
/* A port left d->ports: the sorted VSI keys kept per port number are
 * rebuilt at their next use. */
void evbd_mib_ports_renumbered(struct evbd *d);
/* The tree (NULL before evbd_mib_open). */
const struct mib_tree *evbd_mib_tree(const struct evbd *d);

#endif
