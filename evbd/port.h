/* SPDX-License-Identifier: ISC */
/*
 * port.h - an EVB port of the daemon: frame I/O through libpcap, the LLDP
 * agent for the nearest customer bridge with EVB negotiation, and the
 * vdp_port engine, all driven by one libevent timer per port.  VSI and port
 * changes go out through the loop's fan-out (loop.h).
 */
#ifndef EVBD_PORT_H
#define EVBD_PORT_H

#include "evbd/evbd.h"

/* Create a port from its configuration; VSIs stored for it are restored.
 * The interface need not exist yet (link monitoring attaches it later). */
struct evbd_port *port_create(struct evbd *d, const struct port_conf *pc);
void port_destroy(struct evbd_port *p);
/* The port left the configuration (SIGHUP): its interface is let go, the
 * loop's listeners hear it vanish (port_changed) and go (port_removed: IPC
 * requests waiting on it are answered, plugins drop it), then it is destroyed.  Its VSIs end
 * as on shutdown: nothing is sent, the state database keeps them.  The
 * caller takes it out of d->ports first. */
void port_remove(struct evbd_port *p);
/* What port_remove does, without its log line (an S-channel's port going
 * with its S-channel, evbd/schan.h). */
void port_stop(struct evbd_port *p);

/* Link monitoring reports the interface's state (present = it exists). */
void port_link_update(struct evbd_port *p, bool present, int ifindex, const uint8_t mac[6],
		      bool up);

/* Apply changed EVB settings (SIGHUP): renegotiate and re-advertise. */
void port_reconfigure(struct evbd_port *p, const struct port_conf *pc);

/* Why the port cannot send this command's VSI (a phrase, see
 * draft_cannot_say): the port speaks draft 0.2 and the draft cannot say
 * it.  NULL when it can be sent; a De-Associate always can. */
const char *port_cannot_say(const struct evbd_port *p, const struct vdp_request *r);

/* Station: submit a VSI command (persisted, sent at the end of the loop turn).
 * Same returns as vdp_port_request(), and -EPROTONOSUPPORT when
 * port_cannot_say() refuses it. */
int port_vsi_request(struct evbd_port *p, const struct vdp_request *r, struct vdp_vsi **vp,
		     uint8_t *reason);

/* Frames the kernel dropped on this port since it was created, its receive
 * buffer being full (evbctl port show: drops.rx_overflow). */
uint32_t port_rx_overflow(const struct evbd_port *p);

/* Run the port's protocol work now and re-arm its timer. */
void port_run(struct evbd_port *p);
/* End of a loop turn: run every port evbd_port_kick() asked for. */
void ports_run_kicked(struct evbd *d);
/* A sync point of the store ended (loop.h, synced): bridge ports whose held
 * VDP responses wait for generation gen or before (or any, err != 0) send
 * them. */
void ports_synced(struct evbd *d, uint64_t gen, int err);

#endif
