/*
 * evbd.c - what evbd.h offers that needs neither the event loop nor the
 * clock (those stay in main.c, which tests replace): finding a port.
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
