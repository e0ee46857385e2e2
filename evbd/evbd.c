/* SPDX-License-Identifier: ISC */
/*
 * evbd.c - what evbd.h offers: finding a port, and asking for a port's
 * work at the end of the loop turn (loop.h runs it).
 */
#include "evbd/evbd.h"

#include <string.h>

struct evbd_port *evbd_port_find(struct evbd *d, const char *ifname)
{
	for (unsigned i = 0; i < d->nports; i++)
		if (!strcmp(d->ports[i]->ifname, ifname))
			return d->ports[i];
	return NULL;
}

void evbd_port_kick(struct evbd_port *p)
{
	p->kick_pending = true;
	loop_kick(&p->d->loop);
}
