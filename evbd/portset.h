/* SPDX-License-Identifier: ISC */
/*
 * portset.h - a port's own EVB settings changed while evbd runs (plugin
 * API port_evb_set: lldptool through the lldpad-clif plugin): R, RTE,
 * RWD, RKA, the reflective-relay request / capability and group IDs.  A
 * change is written to the state database (table meta, key
 * "evb.IFNAME"), then applied to the port; the stored settings outrank
 * the port's evbd.conf [port] keys at every start and SIGHUP, until they
 * are set again, as lldpad keeps what lldptool sets in its own
 * configuration file.
 */
#ifndef EVBD_PORTSET_H
#define EVBD_PORTSET_H

#include <stddef.h>

#include "evbd/config.h"
#include "evbd/evbd.h"

/* Keep l (the port's role unchanged) and apply it.  0, or -EINVAL (out of
 * range, another role) or -EIO (not saved, nothing changed) with a
 * sentence in err. */
int portset_set(struct evbd_port *p, const struct evb_local *l, char *err, size_t errlen);
/* Lay the stored settings over a configuration just read (start, SIGHUP). */
void portset_conf(struct evbd *d, struct evbd_conf *c);

#endif
