/* SPDX-License-Identifier: ISC */
/*
 * schan.h - the Linux devices of a port's S-channels (802.1Qbg clause 40,
 * set up by CDCP, clause 42): each S-channel but the default one (SCID 1 /
 * SVID 1, which is the port's interface itself) becomes an 802.1ad VLAN
 * device on the port's interface, with the channel's SVID as its VLAN ID,
 * created and deleted by evbd over rtnetlink.  Its name is
 * "<interface>.s<SVID>" (veth0.s2), or "s<ifindex in hex>.<SVID>" when that
 * would be longer than 15 characters.  A device that cannot be created (the
 * name is taken, the kernel has no 802.1ad) is logged once and counted
 * (cdcp.dev_err); the S-channel stays negotiated without a device, and
 * the other channels are not touched.
 */
#ifndef EVBD_SCHAN_H
#define EVBD_SCHAN_H

#include <net/if.h>
#include <stdint.h>

#include "evbd/evbd.h"

struct schan_dev {
	uint16_t scid, svid;
	int ifindex; /* 0: not created (the failure was logged and counted) */
	char name[IF_NAMESIZE];
	struct evbd_port *port; /* the S-channel's own EVB port (port.c), NULL: none */
};

/* The devices of one port's S-channels (in no particular order). */
struct schan_set {
	uint16_t n;
	struct schan_dev dev[CDCP_MAX_PAIRS];
};

/* The name of the device of S-channel svid on interface ifname (index
 * ifindex). */
void schan_name(char out[IF_NAMESIZE], const char *ifname, int ifindex, uint16_t svid);
/* S-channel scid came up with svid (CDCP): create its device.  The
 * device, NULL when none was created. */
struct schan_dev *schan_up(struct evbd_port *p, uint16_t scid, uint16_t svid);
/* S-channel scid went down: delete its device. */
void schan_down(struct evbd_port *p, uint16_t scid);
/* Delete every device of the port (it goes, evbd stops). */
void schan_clear(struct evbd_port *p);
/* The device of S-channel scid, NULL when it has none. */
struct schan_dev *schan_find(const struct evbd_port *p, uint16_t scid);

#endif
