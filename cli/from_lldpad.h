/* SPDX-License-Identifier: ISC */
/*
 * from_lldpad.h - lldpad's EVB settings (its configuration file, read by
 * lldpad_conf.h) as an evbd.conf: one [port IF] per interface whose
 * nearest-customer-bridge agent carries the IEEE 802.1Qbg-2012 EVB TLV
 * (lldpad's tlvid0080c20d: evbmode, evbrrreq/evbrrcap, evbgpid, ecpretries,
 * ecprte, vdprwd, vdprka, enableTx), and plugins = lldpad-nl so that libvirt
 * finds evbd as it found lldpad.  What evbd cannot do is refused, one
 * sentence per thing: the draft 0.2 EVB TLV and draft VDP (evbcfg/vdp), EVB
 * toward another agent than the nearest customer bridge, LLDP in one
 * direction only, a key or value it does not know.
 */
#ifndef EVBCTL_FROM_LLDPAD_H
#define EVBCTL_FROM_LLDPAD_H

#include <stdio.h>

#include "lldpad_conf.h"

/* Write the evbd.conf for t (read from the file src) to conf, and one
 * sentence per refusal to why (each on its own line).  Returns the number
 * of refusals: 0 means conf is complete. */
unsigned lldpad_to_evbd(const struct lc_tree *t, const char *src, FILE *conf, FILE *why);

#endif
