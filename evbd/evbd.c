/* SPDX-License-Identifier: ISC */
/*
 * evbd.c - what evbd.h offers: finding a port, and asking for a port's
 * work at the end of the loop turn (loop.h runs it).
 */
#include "evbd/evbd.h"

#include <stdlib.h>
#include <string.h>

struct evbd_port *evbd_port_find(struct evbd *d, const char *ifname)
{
	for (unsigned i = 0; i < d->nports; i++)
		if (!strcmp(d->ports[i]->ifname, ifname))
			return d->ports[i];
	return NULL;
}

int evbd_port_attach(struct evbd *d, struct evbd_port *p)
{
	struct evbd_port **np = realloc(d->ports, (d->nports + 1) * sizeof(*d->ports));
	if (!np)
		return -1;
	d->ports = np;
	d->ports[d->nports++] = p;
	return 0;
}

void evbd_port_detach(struct evbd *d, struct evbd_port *p)
{
	for (unsigned i = 0; i < d->nports; i++) {
		if (d->ports[i] != p)
			continue;
		d->nports--;
		memmove(&d->ports[i], &d->ports[i + 1], (d->nports - i) * sizeof(*d->ports));
		return;
	}
}

void evbd_port_kick(struct evbd_port *p)
{
	p->kick_pending = true;
	loop_kick(&p->d->loop);
}
