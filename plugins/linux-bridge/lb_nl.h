/* SPDX-License-Identifier: ISC */
/*
 * lb_nl.h - the linux-bridge plugin's rtnetlink requests (libmnl): bridge
 * VLAN membership, static FDB entries, hairpin mode of a bridge port, the
 * VLANs of a port, whether a port's bridge filters VLANs, the
 * macvlan/macvtap devices on a lower device, and a port's locked, learning
 * and unicast-flood flags with its dynamic FDB entries (enforcement).
 */
#ifndef LB_NL_H
#define LB_NL_H

#include <stdbool.h>
#include <stdint.h>

struct mnl_socket;

struct lb_nl {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
};

int lb_nl_open(struct lb_nl *n);
void lb_nl_close(struct lb_nl *n);
/* VLAN vid (tagged) on bridge port ifindex: add or remove.  0 / -errno. */
int lb_nl_vlan(struct lb_nl *n, int ifindex, uint16_t vid, bool add);
/* Static FDB entry mac (vid 0: no VLAN) -> ifindex on its master bridge.
 * add: -EEXIST when an entry is already there. */
int lb_nl_fdb(struct lb_nl *n, int ifindex, const uint8_t mac[6], uint16_t vid, bool add);
/* The same, replacing an entry of the MAC/VID that is there (dynamic, or on
 * another port of the bridge): NLM_F_REPLACE. */
int lb_nl_fdb_replace(struct lb_nl *n, int ifindex, const uint8_t mac[6], uint16_t vid);
/* The bridge's FDB entry for mac/vid, asked through its port ifindex:
 * *port the port it points to, *dynamic whether it was learned (neither
 * static nor permanent).  0, -ENOENT (none), or -errno. */
int lb_nl_fdb_get(struct lb_nl *n, int ifindex, const uint8_t mac[6], uint16_t vid, int *port,
		  bool *dynamic);
/* Remove the dynamic (learned) FDB entries pointing to bridge port ifindex;
 * *removed counts them.  0 / -errno. */
int lb_nl_fdb_flush_dynamic(struct lb_nl *n, int ifindex, unsigned *removed);
/* Flags of a bridge port (IFLA_BRPORT_*): 1 on, 0 off, -1 not known / not
 * to be set. */
struct lb_brport {
	int locked;   /* IFLA_BRPORT_LOCKED (kernel >= 5.18) */
	int learning; /* IFLA_BRPORT_LEARNING */
	int flood;    /* IFLA_BRPORT_UNICAST_FLOOD */
};
/* Read them (-ENOENT: not a bridge port). */
int lb_nl_brport_get(struct lb_nl *n, int ifindex, struct lb_brport *bp);
/* Set those that are not -1. */
int lb_nl_brport_set(struct lb_nl *n, int ifindex, const struct lb_brport *bp);
/* Hairpin (reflective relay) on bridge port ifindex. */
int lb_nl_hairpin(struct lb_nl *n, int ifindex, bool on);
/* Set the VLANs configured on bridge port ifindex in bits (4096 bits). */
int lb_nl_port_vlans(struct lb_nl *n, int ifindex, uint8_t bits[512]);
/* Whether the bridge port ifindex is enslaved to filters VLANs
 * (IFLA_BR_VLAN_FILTERING): 1 or 0, *bridge its ifindex; -ENOENT: not a
 * bridge port; -EOPNOTSUPP: a kernel without bridge VLAN filtering (it says
 * 0 without the VLAN attributes); -ENODATA: the bridge does not say;
 * -EBADMSG: a malformed answer; else -errno. */
int lb_nl_vlan_filtering(struct lb_nl *n, int ifindex, int *bridge);
/* Every macvlan/macvtap on lower device ifindex not in mode (MACVLAN_MODE_*)
 * to that mode; *changed counts the devices whose mode was set.  0 / -errno. */
int lb_nl_macvlan_mode(struct lb_nl *n, int lower, uint32_t mode, unsigned *changed);

#endif
