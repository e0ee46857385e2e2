/* SPDX-License-Identifier: ISC */
/*
 * link.h - link monitoring over rtnetlink (libmnl): an initial dump of the
 * interfaces, then RTM_NEWLINK / RTM_DELLINK events, handed to the ports they
 * concern (appearing, going up/down, changing MAC, disappearing).
 */
#ifndef EVBD_LINK_H
#define EVBD_LINK_H

#include "evbd/evbd.h"

/* Open the rtnetlink socket, dump the current links into the ports, and
 * follow changes.  0 or -1 (logged). */
int link_open(struct evbd *d);
void link_close(struct evbd *d);
/* Re-dump (after SIGHUP added ports). */
void link_refresh(struct evbd *d);

#endif
