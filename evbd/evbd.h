/* SPDX-License-Identifier: ISC */
/*
 * evbd.h - the daemon's shared types: the daemon context (loop, ports,
 * configuration, store, IPC) and the port object.  Each subsystem has its
 * own module; this header is what they share.
 */
#ifndef EVBD_EVBD_H
#define EVBD_EVBD_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "evbd/config.h"
#include "evbd/loop.h"
#include "ipc/schema.h" /* EVBD_VERSION */
#include "vdp/evb.h"
#include "vdp/lldp_agent.h"
#include "vdp/vdp_port.h"

struct event;
struct evbd_store;
struct evbd_ipc;
struct evbd_trace;
struct evbd_link;
struct vsitype_db;
struct policy_port;
struct evbd_plugins;
struct evbd_mib;
struct cluster;
struct evbd_journal;

struct evbd_port {
	struct evbd *d;
	struct port_conf conf; /* role, EVB settings, LLDP interval */
	char ifname[IF_NAMESIZE];
	int ifindex; /* 0 while the interface does not exist */
	uint8_t mac[6];
	bool link_up;
	bool present; /* interface exists */

	/* frame I/O (port.c) */
	int fd; /* AF_PACKET socket bound to the interface; -1 closed */
	struct event *rx_ev;
	uint32_t rx_overflow;  /* overflow drops of closed sockets: port_rx_overflow() */
	uint64_t reopen_at;    /* µs: reopen after a receive error then (0 = no) */
	unsigned reopen_tries; /* failed reopen attempts since the error */
	bool rx_busy;	       /* frames being read: no nested read (port.c rx_drain) */

	/* LLDP agent: neighbour, EVB negotiation, counters */
	struct lldp_agent lldp;
	/* the nearest non-TPMR bridge's agent: CDCP and the S-channels
	 * (conf.cdcp.enabled; idle otherwise) */
	struct lldp_agent cdcp;
	/* the S-channels' 802.1ad devices (evbd/schan.h), NULL: none yet */
	struct schan_set *schan;
	/* an S-channel's port: the port whose CDCP made it (it goes with it
	 * and is in no configuration); NULL for a configured port */
	struct evbd_port *parent;
	/* the last rogue sender logged (a second LLDP neighbour, VDP from
	 * another station), so that each is logged once per change */
	uint8_t rogue_lldp[6], rogue_vdp[6], long_ttl[6];
	/* draft 0.2 (protocol = draft or auto): ECPDUs and VSIs dropped at the
	 * conversion (vdp/draft_edge.h), each kind logged once */
	uint32_t draft_rx_dropped, draft_tx_dropped;
	bool draft_rx_said, draft_tx_said, draft_off_said;

	/* ECP + VDP */
	struct vdp_port vdp;
	/* bridge: what policy decisions look at (evbd/policy.h) */
	struct policy_port *policy;
	struct event *timer_ev; /* the port's single timer */
	bool kick_pending;
	/* bridge: VDP responses are held (vdp.tx_hold) until the store's
	 * generation hold_gen, which holds the VSI changes they acknowledge,
	 * is durable (ports_synced) */
	uint64_t hold_gen;
};

struct evbd {
	struct evbd_loop loop; /* event base, clock, end-of-turn work, fan-out */
	struct evbd_conf conf;
	struct evbd_port **ports;
	unsigned nports;
	struct evbd_store *store;
	struct evbd_ipc *ipc;
	struct evbd_trace *trace;
	struct evbd_link *link;
	/* the VSI type database (evbd/vsitype.h) */
	struct vsitype_db *types;
	struct evbd_plugins *plugins; /* loaded plugins (evbd/plugin.c), NULL when none */
	struct evbd_mib *mib;	      /* the EVB MIB over this state (evbd/mib.h) */
	struct cluster *cluster;      /* the fleet on etcd (evbd/cluster.h), NULL when none */
	struct evbd_journal *journal; /* port and VSI events (evbd/journal.h), NULL: none */
	bool stopping;
};

struct evbd_port *evbd_port_find(struct evbd *d, const char *ifname);
/* Add p to d->ports (0, or -1: out of memory); take it out (if there). */
int evbd_port_attach(struct evbd *d, struct evbd_port *p);
void evbd_port_detach(struct evbd *d, struct evbd_port *p);
/* Ask for vdp_port_run() + timer re-arm of this port at the end of the
 * current loop turn (after a batch of requests): see loop_kick(). */
void evbd_port_kick(struct evbd_port *p);

#endif
