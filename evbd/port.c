/* SPDX-License-Identifier: ISC */
/*
 * port.c - an EVB port of the daemon (see port.h): frame I/O through an
 * AF_PACKET socket bound to the interface, with a BPF filter for LLDP and
 * ECP and a receive buffer the kernel fills only while frames wait (no
 * memory-mapped ring: an idle port costs almost nothing), the LLDP agent (vdp/lldp_agent.h) and the
 * vdp_port engine fed with those frames and the time, what their events
 * mean to the daemon (logs, VDP start and stop), and the port's single
 * timer serving every deadline.  What a VSI or port change means to the
 * rest of evbd (store, policy, IPC, plugins) is told through the loop's
 * fan-out (loop.h), never by name.
 */
#include "evbd/port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sock_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "evbd/log.h"
#include "evbd/policy.h"
#include "evbd/schan.h"
#include "evbd/store.h"
#include "evbd/trace.h"
#include "vdp/deadline.h"
#include "vdp/draft_edge.h"
#include "vdp/eth.h"

/* The socket's receive buffer (SO_RCVBUF; the kernel doubles it for its
 * bookkeeping and caps the request at net.core.rmem_max).  EVB's traffic
 * on a port is an LLDPDU every few seconds and ECP, stop-and-wait (802.1Qbg
 * 43.3.4): one ECPDU of at most one MTU in flight each way plus its ACK, so
 * this holds about a hundred full-size frames, far more than the protocol
 * sends unanswered.  Kernel memory is used only while frames wait; what a
 * burst overflows is counted (rx_overflow) and ECP retransmits it. */
#define RX_BUF_BYTES (256 << 10)
#define RX_BATCH     512  /* frames per readable event */
#define RX_VLEN	     16	  /* frames per recvmmsg() */
#define RX_FRAME_MAX 9216 /* octets kept of a frame: a jumbo frame's; longer are cut */
#define SEC	     1000000ULL
#define RX_AGE_MAX   (10 * SEC) /* a frame's wait in the socket beyond which its stamp is doubted */
#define REOPEN_TRIES 5		/* reopen attempts after a receive error, 1, 2, 4, 8, 16 s apart */

/* What the socket passes up: the EtherType at offset 12 is LLDP (802.1AB),
 * ECP (802.1Qbg 43.3), the ECP lldpad sent before 2014 (docs/protocol.md
 * quirk 1) or draft 0.2's ECP (0x88B7, docs/protocol.md "Draft 0.2"); every other frame stays in
 * the kernel.  The kernel has already taken a VLAN tag off into the frame's metadata: untagged and
 * C-tagged frames pass, as through libpcap before; S-tagged ones (S-channels, 802.1Qbg clause 40)
 * are not this port's. */
static const struct sock_filter rx_filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TPID),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x8100, 0, 5),
    BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_LLDP, 4, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_ECP, 3, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_ECP_OLD, 2, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_ECP_DRAFT, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, 0),
    BPF_STMT(BPF_RET | BPF_K, 0xffff),
};

/* Room for one recvmmsg(), shared by every port: its frames are handled
 * before the next call.  Only the pages frames reach become resident. */
static uint8_t rx_buf[RX_VLEN][RX_FRAME_MAX];

static const uint8_t lldp_groups[3][6] = {MAC_NEAREST_CUSTOMER_BRIDGE, MAC_NEAREST_NONTPMR_BRIDGE,
					  MAC_NEAREST_BRIDGE};

static void port_rearm(struct evbd_port *p);

static uint64_t port_now(const struct evbd_port *p)
{
	return loop_now(&p->d->loop);
}

/* ---------------- frame output ---------------- */

static void port_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct evbd_port *p = ctx;
	if (p->fd < 0 || !p->link_up)
		return;
	if (send(p->fd, frame, len, 0) < 0)
		log_debug("%s: sending a frame failed: %s", p->ifname, strerror(errno));
	trace_frame(p->d->trace, frame, len);
}

/* ---------------- draft 0.2 at the engine's edge (vdp/draft_edge.h) ---------------- */

static const uint8_t draft_ecp_dst[6] = MAC_NEAREST_BRIDGE;

/* Log a warning the first time *said is false (counted by the caller). */
#define log_once(p, said, ...)                                                                     \
	do {                                                                                       \
		if (!*(said)) {                                                                    \
			*(said) = true;                                                            \
			log_warn(__VA_ARGS__);                                                     \
		}                                                                                  \
	} while (0)

/* The engine's 2012 ECPDU, sent as draft 0.2 while the port speaks it. */
static void vdp_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct evbd_port *p = ctx;
	if (!p->lldp.draft) {
		port_send(ctx, frame, len);
		return;
	}
	uint8_t pl[ETH_MAX_PAYLOAD], out[ETH_HDR_LEN + ETH_MAX_PAYLOAD];
	unsigned dropped = 0;
	int n = len > ETH_HDR_LEN ? draft_ecp_from_2012(frame + ETH_HDR_LEN, len - ETH_HDR_LEN, pl,
							sizeof(pl), &dropped)
				  : -EINVAL;
	if (n >= 0)
		n = eth_build(draft_ecp_dst, p->mac, ETHERTYPE_ECP_DRAFT, pl, (size_t)n, out,
			      sizeof(out));
	if (n < 0 || dropped) {
		p->draft_tx_dropped += dropped ? dropped : 1u;
		log_once(p, &p->draft_tx_said,
			 "%s: a VSI could not be said in draft 0.2 (a VSIID other than a UUID, "
			 "filters other than MAC/VID, or a manager ID above 255) and was not sent; "
			 "use UUIDs, MAC/VID filters and a one-octet manager ID on this port",
			 p->ifname);
	}
	if (n > 0)
		port_send(ctx, out, (size_t)n);
}

static void vdp_rx(struct evbd_port *p, const uint8_t src[6], const uint8_t *pl, size_t len,
		   uint64_t now);

/* Why a draft ECPDU did not convert (draft_ecp_to_2012's result). */
static const char *draft_drop_reason(int n, enum draft_vdp_err err)
{
	if (n == -EPROTO)
		return "not a draft ECP header: another OUI than 00-1b-3f, or a mode other than "
		       "request or ACK";
	if (n == -EINVAL)
		return "a TLV runs past the end of the frame";
	if (n == -ENOSPC)
		return "too large to convert";
	return draft_vdp_err_str(err);
}

/* Draft ECPDUs at a port that speaks 2012 now: counted, logged once. */
static void draft_refused(struct evbd_port *p)
{
	p->draft_rx_dropped++;
	if (p->conf.protocol == LLDP_PROTO_AUTO)
		log_once(p, &p->draft_off_said,
			 "%s: dropped draft 0.2 ECPDUs: the port speaks 802.1Qbg-2012 until its "
			 "neighbour's LLDPDUs carry the draft EVB TLV (protocol = auto), and they "
			 "do not now",
			 p->ifname);
	else
		log_once(p, &p->draft_off_said,
			 "%s: dropped draft 0.2 ECPDUs: the port speaks 802.1Qbg-2012 (protocol = "
			 "2012; set protocol = draft or auto)",
			 p->ifname);
}

/* A draft 0.2 ECPDU, handed to the engine as 2012 while the port speaks the
 * draft; counted and dropped otherwise, or when malformed. */
static void draft_rx(struct evbd_port *p, const uint8_t src[6], const uint8_t *pl, size_t len,
		     uint64_t now)
{
	if (!p->lldp.draft) {
		draft_refused(p);
		return;
	}
	uint8_t out[2 * ETH_MAX_PAYLOAD + ECP_HDR_LEN];
	unsigned bad = 0;
	enum draft_vdp_err err = DRAFT_VDP_OK;
	int n = draft_ecp_to_2012(pl, len, p->conf.evb.role == EVB_ROLE_STATION, out, sizeof(out),
				  &bad, &err);
	if (n < 0 || bad) {
		p->draft_rx_dropped += bad ? bad : 1u;
		log_once(p, &p->draft_rx_said,
			 "%s: dropped a malformed draft 0.2 ECPDU or VDP TLV (%s); counted in "
			 "drops.draft_rx",
			 p->ifname, draft_drop_reason(n, err));
	}
	if (n > 0)
		vdp_rx(p, src, out, (size_t)n, now);
}

/* ---------------- LLDP agent (vdp/lldp_agent.h) ---------------- */

/* Start or stop ECP/VDP from link state and negotiation: a station needs a
 * bridge's EVB TLV; a bridge answers as soon as the link is up (lldpad
 * stations start VDP without waiting for the TLV exchange, docs/protocol.md quirk 8). */
static void vdp_update(struct evbd_port *p, uint64_t now)
{
	bool run = p->link_up && (p->lldp.oper.valid || p->conf.evb.role == EVB_ROLE_BRIDGE);
	if (!run) {
		vdp_port_stop(&p->vdp, now);
		return;
	}
	struct evb_oper o = p->lldp.oper;
	p->vdp.ulpdu_max = p->lldp.draft ? DRAFT_ULPDU_2012_MAX : 0;
	if (!o.valid) {
		o.r = p->conf.evb.r;
		o.rte = p->conf.evb.rte;
		o.rwd = p->conf.evb.rwd;
		o.rka = p->conf.evb.rka;
	}
	bool was = p->vdp.running;
	vdp_port_start(&p->vdp, &o, now);
	if (!was)
		log_info("%s: ECP/VDP started (R %u, RTE %u, RWD %u, RKA %u)", p->ifname, o.r,
			 o.rte, o.rwd, o.rka);
}

/* The neighbour's values above the port's bounds: logged when the set of
 * clamped fields changes. */
static void log_clamped(const struct evbd_port *p, const struct lldp_agent *a,
			const struct evb_oper *was)
{
	const struct evb_oper *o = &a->oper;
	const struct evb_tlv *t = &a->nbr.evb;
	const struct evb_local *l = &a->conf.evb;
	if (o->clamped == was->clamped || !o->clamped)
		return;
	log_warn("%s: the LLDP neighbour asks for R %u, RTE %u, RWD %u, RKA %u, above this "
		 "port's bounds max-r %u, max-rte %u, max-rwd %u, max-rka %u; operating on R %u, "
		 "RTE %u, RWD %u, RKA %u (raise the bounds in evbd.conf if the neighbour is "
		 "genuine)",
		 p->ifname, t->r, t->rte, t->rwd, t->rka, l->max_r, l->max_rte, l->max_rwd,
		 l->max_rka, o->r, o->rte, o->rwd, o->rka);
}

static void log_mac_once(const struct evbd_port *p, uint8_t last[6], const uint8_t src[6],
			 const char *what)
{
	if (!memcmp(last, src, 6))
		return;
	memcpy(last, src, 6);
	log_warn("%s: ignoring %s from %02x:%02x:%02x:%02x:%02x:%02x (counted; logged once per "
		 "sender)",
		 p->ifname, what, src[0], src[1], src[2], src[3], src[4], src[5]);
}

static void on_negotiated(void *ctx, struct lldp_agent *a, const struct evb_oper *was, uint64_t now)
{
	struct evbd_port *p = ctx;
	const struct evb_oper *o = &a->oper;
	log_clamped(p, a, was);
	if (o->valid != was->valid)
		log_notice("%s: EVB %s%s", p->ifname, o->valid ? "negotiated" : "lost",
			   o->valid ? (o->rr ? " with reflective relay" : "") : "");
	vdp_update(p, now);
	if (o->valid != was->valid || (o->valid && o->rr) != (was->valid && was->rr))
		loop_port_changed(&p->d->loop, p);
}

static void on_aged_out(void *ctx, struct lldp_agent *a)
{
	(void)a;
	struct evbd_port *p = ctx;
	log_notice("%s: LLDP neighbour aged out", p->ifname);
	loop_port_changed(&p->d->loop, p);
}

static void on_lldp_dropped(void *ctx, struct lldp_agent *a, const uint8_t src[6],
			    const struct lldp_err *err)
{
	(void)a;
	struct evbd_port *p = ctx;
	log_debug("%s: dropped a malformed LLDPDU from %02x:%02x:%02x:%02x:%02x:%02x: %s "
		  "at offset %zu",
		  p->ifname, src[0], src[1], src[2], src[3], src[4], src[5],
		  err->what ? err->what : "?", err->offset);
}

static void on_lldp_other(void *ctx, struct lldp_agent *a, const uint8_t src[6])
{
	(void)a;
	struct evbd_port *p = ctx;
	log_mac_once(p, p->rogue_lldp, src,
		     "the LLDPDUs of a second neighbour (the port has one, until it leaves)");
}

/* A bridge takes VDP from its LLDP neighbour, or while there is none from
 * the first sender (vdp_port_bind). */
static void on_neighbor_changed(void *ctx, struct lldp_agent *a)
{
	struct evbd_port *p = ctx;
	if (p->conf.evb.role == EVB_ROLE_BRIDGE)
		vdp_port_bind(&p->vdp, a->nbr.valid ? a->nbr.mac : NULL);
}

static const struct lldp_agent_ops lldp_ops = {
    .send = port_send,
    .negotiated = on_negotiated,
    .neighbor_changed = on_neighbor_changed,
    .aged_out = on_aged_out,
    .rx_dropped = on_lldp_dropped,
    .rx_other = on_lldp_other,
};

static struct lldp_agent_conf lldp_conf(const struct port_conf *pc)
{
	return (struct lldp_agent_conf){.evb = pc->evb,
					.protocol = pc->protocol,
					.tx_interval = pc->lldp_interval,
					.tx_hold = pc->lldp_hold,
					.max_ttl = pc->lldp_max_ttl};
}

/* ---------------- CDCP (vdp/cdcp.h), the nearest non-TPMR bridge's agent ---------------- */

static bool cdcp_on(const struct evbd_port *p)
{
	return p->conf.cdcp.enabled;
}

static void log_cdcp_event(const struct evbd_port *p, const struct cdcp_event *ev)
{
	switch (ev->kind) {
	case CDCP_EV_UP:
		log_notice("%s: S-channel SCID %u is up with SVID %u (CDCP)", p->ifname, ev->scid,
			   ev->svid);
		break;
	case CDCP_EV_DOWN:
		log_notice("%s: S-channel SCID %u with SVID %u is down (CDCP)", p->ifname, ev->scid,
			   ev->svid);
		break;
	case CDCP_EV_REFUSED:
		log_warn("%s: refused the station's S-channel SCID %u: %s; the S-channels "
			 "granted stay (counted in cdcp.refused; widen svid-pool or raise "
			 "cdcp-capacity in evbd.conf to grant it)",
			 p->ifname, ev->scid, cdcp_refusal_text(ev->why));
		break;
	case CDCP_EV_DROPPED:
		log_warn("%s: the CDCP neighbour's TLV has %s (SCID %u); those pairs were dropped "
			 "and counted, the rest used",
			 p->ifname, ev->what, ev->scid);
		break;
	case CDCP_EV_ROLE:
		log_warn("%s: the CDCP neighbour's TLV has the same role as this port (%s); it was "
			 "ignored and counted, the S-channels in place stay (is the other end "
			 "configured with the same role?)",
			 p->ifname, ev->what);
		break;
	}
}

/* An S-channel's own port on its device (802.1Qbg 40: EVB, ECP and VDP run
 * per S-channel): this port's settings but CDCP, its own VSIs, listed and
 * driven as any port; link monitoring attaches the device. */
static void schan_port_add(struct evbd_port *p, struct schan_dev *dv)
{
	if (!dv || evbd_port_find(p->d, dv->name))
		return; /* no device; or a port configured with its name takes it */
	struct port_conf pc = p->conf;
	snprintf(pc.ifname, sizeof(pc.ifname), "%s", dv->name);
	pc.cdcp.enabled = false;
	struct evbd_port *c = port_create(p->d, &pc);
	if (!c || evbd_port_attach(p->d, c)) {
		log_err("%s: no memory for the EVB port of S-channel SCID %u (%s); the S-channel "
			"has its device but no EVB",
			p->ifname, dv->scid, dv->name);
		port_destroy(c);
		return;
	}
	c->parent = p;
	dv->port = c;
	log_notice("%s: S-channel SCID %u runs EVB as port %s", p->ifname, dv->scid, dv->name);
}

/* The S-channel's port goes: stopped (TTL 0 on its device, its VSIs kept
 * in the state database, listeners told) or, as evbd stops, destroyed. */
static void schan_port_drop(struct evbd_port *p, struct schan_dev *dv, bool stop)
{
	if (!dv || !dv->port)
		return;
	struct evbd_port *c = dv->port;
	dv->port = NULL;
	evbd_port_detach(p->d, c);
	if (stop)
		port_stop(c);
	else
		port_destroy(c);
}

/* Every S-channel's port of p (stop: as in schan_port_drop). */
static void schan_ports_drop(struct evbd_port *p, bool stop)
{
	for (uint16_t i = 0; p->schan && i < p->schan->n; i++)
		schan_port_drop(p, &p->schan->dev[i], stop);
}

static void on_cdcp_event(void *ctx, struct lldp_agent *a, const struct cdcp_event *ev)
{
	(void)a;
	struct evbd_port *p = ctx;
	log_cdcp_event(p, ev);
	if (ev->kind == CDCP_EV_UP) {
		schan_port_add(p, schan_up(p, ev->scid, ev->svid));
	} else if (ev->kind == CDCP_EV_DOWN) {
		schan_port_drop(p, schan_find(p, ev->scid), true);
		schan_down(p, ev->scid);
	}
	if (ev->kind == CDCP_EV_UP || ev->kind == CDCP_EV_DOWN)
		loop_port_changed(&p->d->loop, p);
}

static const struct lldp_agent_ops cdcp_ops = {
    .send = port_send,
    .rx_dropped = on_lldp_dropped,
    .rx_other = on_lldp_other,
    .cdcp_event = on_cdcp_event,
};

static struct lldp_agent_conf cdcp_conf(const struct port_conf *pc)
{
	struct lldp_agent_conf c = lldp_conf(pc);
	c.kind = LLDP_AGENT_CDCP;
	c.cdcp = pc->cdcp;
	return c;
}

/* New CDCP settings (SIGHUP): turned off, the agent says TTL 0 and goes
 * quiet; turned on, it starts on the link as it is. */
static void cdcp_reconfigure(struct evbd_port *p, const struct port_conf *pc, uint64_t now)
{
	bool was = cdcp_on(p);
	if (was && !pc->cdcp.enabled)
		lldp_agent_shutdown(&p->cdcp);
	p->conf.cdcp = pc->cdcp;
	struct lldp_agent_conf lc = cdcp_conf(pc);
	lldp_agent_configure(&p->cdcp, &lc, now);
	if (!was && cdcp_on(p))
		lldp_agent_link(&p->cdcp, p->link_up, now);
}

/* ---------------- receive ---------------- */

static void port_close_io(struct evbd_port *p);

static void lldp_rx(struct evbd_port *p, const uint8_t src[6], const uint8_t *pl, size_t len,
		    uint64_t now)
{
	uint32_t cut = p->lldp.stats.rx_ttl_clamped;
	lldp_agent_rx(&p->lldp, src, pl, len, now);
	if (p->lldp.stats.rx_ttl_clamped != cut)
		log_mac_once(p, p->long_ttl, src,
			     "the part of the LLDP neighbour's TTL above lldp-max-ttl (it ages out "
			     "unless it sends again within lldp-max-ttl seconds)");
}

static void vdp_rx(struct evbd_port *p, const uint8_t src[6], const uint8_t *pl, size_t len,
		   uint64_t now)
{
	int err = vdp_port_rx_from(&p->vdp, src, pl, len, now);
	if (err == -EPERM)
		log_mac_once(p, p->rogue_vdp, src,
			     "ECPDUs of another station than the one bound to this port "
			     "(vdp-sources = neighbour)");
	else if (err == -ENOSPC)
		log_mac_once(p, p->rogue_vdp, src,
			     "ECPDUs of one station too many: every one of the port's station "
			     "slots holds VSIs (vdp-sources = any)");
}

/* A frame that arrived at `at` (µs on the port's clock, 0 = unknown). */
static void on_frame(struct evbd_port *p, const uint8_t *bytes, size_t len, uint64_t at)
{
	struct eth_hdr h;
	const uint8_t *pl;
	size_t plen;
	uint64_t now = port_now(p);
	trace_frame(p->d->trace, bytes, len);
	if (eth_parse(bytes, len, &h, &pl, &plen))
		return;
	if (!memcmp(h.src, p->mac, 6))
		return; /* our own frame looped back */
	p->vdp.rx_at = at;
	/* LLDPDUs to the nearest non-TPMR bridge are the CDCP agent's (and no
	 * one's while CDCP is off): the EVB agent must not take a neighbour's
	 * CDCP LLDPDUs, which carry no EVB TLV, for its EVB ones */
	static const uint8_t nontpmr[6] = MAC_NEAREST_NONTPMR_BRIDGE;
	bool to_cdcp = !memcmp(h.dst, nontpmr, 6);
	if (h.ethertype == ETHERTYPE_LLDP && to_cdcp && cdcp_on(p))
		lldp_agent_rx(&p->cdcp, h.src, pl, plen, now);
	else if (h.ethertype == ETHERTYPE_LLDP && !to_cdcp)
		lldp_rx(p, h.src, pl, plen, now);
	else if (h.ethertype == ETHERTYPE_ECP || h.ethertype == ETHERTYPE_ECP_OLD)
		vdp_rx(p, h.src, pl, plen, now);
	else if (h.ethertype == ETHERTYPE_ECP_DRAFT)
		draft_rx(p, h.src, pl, plen, now);
	p->vdp.rx_at = 0;
}

/* Frames the kernel dropped on the open socket, its receive buffer being
 * full (SO_MEMINFO reads without clearing; a filtered frame is no drop). */
static uint32_t socket_overflow(int fd)
{
	uint32_t mem[SK_MEMINFO_VARS] = {0};
	socklen_t len = sizeof(mem);
	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len))
		return 0;
	return mem[SK_MEMINFO_DROPS];
}

uint32_t port_rx_overflow(const struct evbd_port *p)
{
	return p->rx_overflow + socket_overflow(p->fd);
}

/* Room for a frame's receive time (SCM_TIMESTAMPNS). */
union rx_ctl {
	char buf[CMSG_SPACE(sizeof(struct timespec))];
	struct cmsghdr align;
};

/* When the kernel received the frame of h, on the port's clock: now less
 * the time it waited (its timestamp against the wall clock read at
 * real_us); 0 when it has none or the clocks disagree by more than
 * RX_AGE_MAX (the wall clock was set meanwhile). */
static uint64_t rx_arrival(const struct msghdr *h, uint64_t now, uint64_t real_us)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR((struct msghdr *)h, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		struct timespec ts;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		uint64_t at = (uint64_t)ts.tv_sec * SEC + (uint64_t)ts.tv_nsec / 1000;
		uint64_t age = real_us > at ? real_us - at : 0;
		return age < RX_AGE_MAX && age < now ? now - age : 0;
	}
	return 0;
}

static uint64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * SEC + (uint64_t)ts.tv_nsec / 1000;
}

/* Read up to RX_BATCH frames, RX_VLEN per system call (in the common case,
 * an ECPDU or an ACK, the only one): 0 when none is left, else the errno of
 * a failed read.  ENETDOWN (the link went down) is not a failure: the
 * socket stays bound and receives again when the link comes back.  Each
 * frame goes with the time it arrived (the engine tells a duplicate ECPDU
 * that waited in the socket while evbd was busy from a late one,
 * vdp/vdp_port.h). */
static int rx_batch(struct evbd_port *p)
{
	struct mmsghdr mm[RX_VLEN];
	struct iovec iov[RX_VLEN];
	union rx_ctl ctl[RX_VLEN];
	for (unsigned i = 0; i < RX_VLEN; i++)
		iov[i] = (struct iovec){.iov_base = rx_buf[i], .iov_len = RX_FRAME_MAX};
	for (unsigned got = 0; got < RX_BATCH;) {
		for (unsigned i = 0; i < RX_VLEN; i++)
			mm[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i],
							     .msg_iovlen = 1,
							     .msg_control = ctl[i].buf,
							     .msg_controllen = sizeof(ctl[i].buf)}};
		int n = recvmmsg(p->fd, mm, RX_VLEN, MSG_DONTWAIT, NULL);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
				       errno == ENETDOWN
				   ? 0
				   : errno;
		uint64_t now = port_now(p), real = wall_us();
		for (int i = 0; i < n; i++)
			on_frame(p, rx_buf[i], mm[i].msg_len,
				 rx_arrival(&mm[i].msg_hdr, now, real));
		if (n < RX_VLEN)
			return 0; /* the queue is empty */
		got += (unsigned)n;
	}
	return 0;
}

/* Read and handle what waits in the socket (not from within a read: the
 * frames share rx_buf).  A failed read closes the socket, reopened in 1 s. */
static void rx_drain(struct evbd_port *p)
{
	if (p->fd < 0 || p->rx_busy)
		return;
	p->rx_busy = true;
	int err = rx_batch(p);
	p->rx_busy = false;
	if (err) {
		log_warn("%s: receiving frames failed: %s; closing the interface, reopening it in "
			 "1 s",
			 p->ifname, strerror(err));
		port_close_io(p); /* frees the read event: safe from its own callback */
		p->reopen_tries = 0;
		p->reopen_at = port_now(p) + SEC; /* a vanished interface is reported by then */
	}
}

static void on_readable(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct evbd_port *p = arg;
	rx_drain(p);
	evbd_port_kick(p);
}

/* ---------------- socket open / close ---------------- */

static void join_groups(struct evbd_port *p)
{
	for (unsigned i = 0; i < 3; i++) {
		struct packet_mreq mr = {
		    .mr_ifindex = p->ifindex, .mr_type = PACKET_MR_MULTICAST, .mr_alen = 6};
		memcpy(mr.mr_address, lldp_groups[i], 6);
		if (setsockopt(p->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))
			log_warn("%s: joining group address %d failed: %s", p->ifname, i,
				 strerror(errno));
	}
}

/* A non-blocking AF_PACKET socket on the port's interface, filtered before
 * it is bound (protocol 0 until bind(): no unfiltered frame gets queued);
 * -1 with errno on failure. */
static int rx_socket(struct evbd_port *p)
{
	struct sock_fprog prog = {.len = sizeof(rx_filter) / sizeof(rx_filter[0]),
				  .filter = (struct sock_filter *)rx_filter};
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = p->ifindex};
	int rcvbuf = RX_BUF_BYTES, one = 1;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)))
		log_debug("%s: cannot filter by direction; own frames are ignored by address",
			  p->ifname);
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))
		log_debug("%s: no receive timestamps; a frame's arrival is when it is read",
			  p->ifname);
	return fd;
}

static void port_close_io(struct evbd_port *p)
{
	if (p->rx_ev) {
		event_free(p->rx_ev);
		p->rx_ev = NULL;
	}
	if (p->fd >= 0) {
		p->rx_overflow += socket_overflow(p->fd);
		close(p->fd);
		p->fd = -1;
	}
}

static int port_open_io(struct evbd_port *p)
{
	p->fd = rx_socket(p);
	if (p->fd < 0) {
		log_err("%s: cannot open the interface for LLDP/ECP frames: %s. Check that it "
			"exists and that evbd runs as root (CAP_NET_RAW).",
			p->ifname, strerror(errno));
		return -1;
	}
	join_groups(p);
	p->rx_ev = event_new(p->d->loop.base, p->fd, EV_READ | EV_PERSIST, on_readable, p);
	if (!p->rx_ev || event_add(p->rx_ev, NULL)) {
		port_close_io(p);
		return -1;
	}
	p->reopen_at = 0;
	p->reopen_tries = 0;
	return 0;
}

/* After a receive error (on_readable): open the interface again, up to
 * REOPEN_TRIES times with doubling gaps; then leave it closed until the link
 * monitor next reports the interface (port_link_update opens it then).  An
 * interface that went away is not retried: link monitoring reports it absent. */
static void port_reopen(struct evbd_port *p, uint64_t now)
{
	p->reopen_at = 0;
	if (!p->present || p->fd >= 0)
		return;
	if (port_open_io(p) == 0) {
		log_notice("%s: the interface is open again after the receive error", p->ifname);
		return;
	}
	if (++p->reopen_tries < REOPEN_TRIES) {
		p->reopen_at = now + (SEC << p->reopen_tries);
		return;
	}
	log_err("%s: the interface could not be reopened after %u attempts; LLDP and ECP stay "
		"stopped on it until its link changes (for example ip link set %s down, then up)",
		p->ifname, REOPEN_TRIES, p->ifname);
}

/* ---------------- VSI events ---------------- */

/* A bridge's VDP response acknowledges a VSI change to the station, which
 * then holds the VSI as in force (clause 41.5); so that a bridge killed at
 * any moment loses no VSI it acknowledged, the responses wait in the
 * transmit queue until the sync point that stores the change (asked for at
 * the end of this turn: every change of the turn shares it).  Called after
 * the store heard the change, before the engine sends anything. */
static void hold_until_stored(struct evbd_port *p)
{
	if (p->vdp.role != EVB_ROLE_BRIDGE || !store_pending(p->d->store))
		return;
	p->hold_gen = store_next_gen(p->d->store);
	p->vdp.tx_hold = true;
	loop_commit_soon(&p->d->loop);
}

void ports_synced(struct evbd *d, uint64_t gen, int err)
{
	for (unsigned i = 0; i < d->nports; i++) {
		struct evbd_port *p = d->ports[i];
		/* After a failed sync point the changes are in force in memory
		 * only (evbd.8, durability): the responses go anyway rather than
		 * leave the station's requests unanswered until the disk has room. */
		if (!p->hold_gen || (!err && gen < p->hold_gen))
			continue;
		p->hold_gen = 0;
		p->vdp.tx_hold = false;
		port_run(p);
	}
}

static void on_vsi_changed(void *ctx, struct vdp_port *vp, struct vdp_vsi *v,
			   const struct vdp_sm_out *out)
{
	(void)vp;
	struct evbd_port *p = ctx;
	loop_vsi_changed(&p->d->loop, p, v, out); /* store, policy, IPC, plugins */
	hold_until_stored(p);
	if (out->notify &&
	    log_enabled(LOG_LVL_DEBUG)) { /* not a UUID formatted per VSI for nothing */
		char id[64];
		log_debug("%s: VSI %s %s%s%s", p->ifname,
			  vdp_vsiid_str(v->key.fmt, v->key.id, id, sizeof(id)),
			  vsi_result_name(v->result), v->reason ? ": " : "",
			  v->reason ? vdp_reason_name(v->reason) : "");
	}
}

/* Every VSI state change at debug level; one outside the state table (a
 * defect) always. */
static void on_vsi_state(void *ctx, struct vdp_port *vp, const struct vdp_vsi *v,
			 const struct vdp_sm_trans *t, uint8_t ev)
{
	struct evbd_port *p = ctx;
	if (t->legal && !log_enabled(LOG_LVL_DEBUG))
		return;
	bool st = vp->role == EVB_ROLE_STATION;
	const char *from = st ? vdp_st_state_name(t->from) : vdp_br_state_name(t->from);
	const char *to = st ? vdp_st_state_name(t->to) : vdp_br_state_name(t->to);
	const char *evn = st ? vdp_st_event_name(ev) : vdp_br_event_name(ev);
	char id[64];
	vdp_vsiid_str(v->key.fmt, v->key.id, id, sizeof(id));
	if (t->legal)
		log_debug("%s: VSI %s %s -> %s on %s", p->ifname, id, from, to, evn);
	else
		log_warn("%s: VSI %s went from %s to %s on %s, which the VDP state table does not "
			 "allow; this is a defect in evbd: please report it",
			 p->ifname, id, from, to, evn);
}

/* The adaptive ECP pacing changed: told once per direction (and when back
 * at full speed), the other steps at info level. */
static void on_paced(void *ctx, struct vdp_port *vp, enum ecp_pace_change ch)
{
	struct evbd_port *p = ctx;
	uint64_t gap = vp->pace.gap_us;
	if (!ecp_pace_tell(&vp->pace, ch))
		log_info("%s: ECP pacing now %llu us between ECPDUs", p->ifname,
			 (unsigned long long)gap);
	else if (ch == ECP_PACE_SLOWER)
		log_notice("%s: the peer lost ECP/VDP frames; pacing ECPDUs %llu us apart (set "
			   "ecp-pace to fix the gap)",
			   p->ifname, (unsigned long long)gap);
	else if (gap)
		log_notice("%s: no losses for a while; ECP pacing shrinks to %llu us", p->ifname,
			   (unsigned long long)gap);
	else
		log_notice("%s: no losses for a while; ECPDUs are ack-clocked again", p->ifname);
}

/* The peer's cadence was found or ended (vdp/vdp_port.h, pace): told at
 * notice level when found, at info level when it ends. */
static void on_cadence(void *ctx, struct vdp_port *vp, uint64_t gap_us)
{
	struct evbd_port *p = ctx;
	(void)vp;
	if (gap_us)
		log_notice(
		    "%s: the peer sends its ECPDUs no closer than %llu us, as lldpad does (its "
		    "ack timer clocks it); ECP pacing: at least %u us after each acknowledgement "
		    "(set ecp-pace to fix the gap)",
		    p->ifname, (unsigned long long)gap_us, ECP_PACE_FIRST_US);
	else
		log_info("%s: the peer sends back to back again; ECP pacing no longer follows its "
			 "cadence",
			 p->ifname);
}

static const struct vdp_port_ops port_ops = {
    .send = vdp_send,
    .vsi_changed = on_vsi_changed,
    .decide = policy_decide_cb, /* bridge: evbd/policy.c */
    .vsi_state = on_vsi_state,
    .paced = on_paced,
    .cadence = on_cadence,
};

/* evbd.conf ecp-pace: auto (adaptive) or a fixed gap. */
static void apply_pace(struct evbd_port *p, unsigned pace_us)
{
	bool fixed = pace_us != CONF_ECP_PACE_AUTO;
	if (!fixed && !p->vdp.pace.fixed)
		return; /* adaptive already: keep what it learned */
	vdp_port_set_pace(&p->vdp, fixed, fixed ? pace_us : 0, port_now(p));
}

/* ---------------- timer ---------------- */

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct evbd_port *p = arg;
	port_run(p);
	trace_flush(p->d->trace); /* frames sent from the timer reach the file too */
}

void port_run(struct evbd_port *p)
{
	uint64_t now = port_now(p);
	p->kick_pending = false;
	if (p->reopen_at && now >= p->reopen_at)
		port_reopen(p, now);
	/* The ECPDU's ack timer ran out while the loop was busy (a sync point,
	 * a burst of commands): its ACK may be waiting in the socket.  Read it
	 * first; a needless retransmission is what the peer would take for our
	 * loss of its ACK (vdp/vdp_port.h, pace). */
	if (vdp_port_ack_due(&p->vdp, now)) {
		rx_drain(p);
		now = port_now(p);
	}
	lldp_agent_run(&p->lldp, now);
	if (cdcp_on(p))
		lldp_agent_run(&p->cdcp, now);
	vdp_port_run(&p->vdp, now);
	port_rearm(p);
}

static void port_rearm(struct evbd_port *p)
{
	uint64_t at = vdp_port_next_wakeup(&p->vdp);
	at = dl_earliest(at, lldp_agent_next_wakeup(&p->lldp));
	if (cdcp_on(p))
		at = dl_earliest(at, lldp_agent_next_wakeup(&p->cdcp));
	at = dl_earliest(at, p->reopen_at);
	if (!at) {
		evtimer_del(p->timer_ev);
		return;
	}
	uint64_t now = port_now(p);
	uint64_t d = at > now ? at - now : 0;
	struct timeval tv = {.tv_sec = (time_t)(d / SEC), .tv_usec = (suseconds_t)(d % SEC)};
	evtimer_add(p->timer_ev, &tv);
}

/* ---------------- life cycle ---------------- */

static int restore_vsi(void *ctx, struct vdp_vsi *v)
{
	struct evbd_port *p = ctx;
	int err = vdp_port_restore(&p->vdp, v, port_now(p));
	if (err) {
		char id[64];
		log_warn("%s: the stored VSI %s is not restored: %s", p->ifname,
			 vdp_vsiid_str(v->key.fmt, v->key.id, id, sizeof(id)),
			 err == -EEXIST
			     ? "the port already holds a VSI with that VSIID (a duplicate "
			       "row in the state database)"
			     : strerror(-err));
		vsi_free(v);
	}
	return 0;
}

struct evbd_port *port_create(struct evbd *d, const struct port_conf *pc)
{
	struct evbd_port *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->d = d;
	p->conf = *pc;
	p->fd = -1;
	snprintf(p->ifname, sizeof(p->ifname), "%s", pc->ifname);
	uint16_t seq = (uint16_t)(random() & 0xffff);
	if (vdp_port_init(&p->vdp, pc->evb.role, p->mac, &port_ops, p, seq)) {
		free(p);
		return NULL;
	}
	vdp_port_set_limits(&p->vdp, pc->max_vsis, pc->max_filters, pc->tx_queue);
	apply_pace(p, pc->ecp_pace_us);
	p->vdp.any_source = pc->vdp_any_source;
	p->vdp.station_share = pc->max_vsis_station;
	p->timer_ev = evtimer_new(d->loop.base, on_timer, p);
	if (pc->evb.role == EVB_ROLE_BRIDGE)
		p->policy = policy_port_new();
	if (!p->timer_ev || (pc->evb.role == EVB_ROLE_BRIDGE && !p->policy)) {
		if (p->timer_ev)
			event_free(p->timer_ev);
		policy_port_free(p->policy);
		vdp_port_free(&p->vdp);
		free(p);
		return NULL;
	}
	struct lldp_agent_conf lc = lldp_conf(pc);
	lldp_agent_init(&p->lldp, &lc, p->mac, p->ifname, &lldp_ops, p);
	lc = cdcp_conf(pc);
	lldp_agent_init(&p->cdcp, &lc, p->mac, p->ifname, &cdcp_ops, p);
	if (d->store)
		store_load(d->store, p->ifname, pc->evb.role, restore_vsi, p);
	if (p->vdp.vsis.count)
		log_notice("%s: restored %zu VSIs from the state database", p->ifname,
			   p->vdp.vsis.count);
	return p;
}

void port_remove(struct evbd_port *p)
{
	log_notice("%s: no longer in the configuration: stopped; its VSIs stay in the state "
		   "database and come back if the port is configured again",
		   p->ifname);
	port_stop(p);
}

void port_stop(struct evbd_port *p)
{
	schan_ports_drop(p, true);     /* its S-channels' ports go first, as they came after */
	lldp_agent_shutdown(&p->lldp); /* TTL 0 while the socket is open: the station stops VDP */
	if (cdcp_on(p))
		lldp_agent_shutdown(&p->cdcp);
	port_close_io(p);
	p->present = false;
	p->link_up = false;
	p->ifindex = 0;
	loop_port_changed(&p->d->loop, p); /* plugins see it vanish, as its interface */
	loop_port_removed(&p->d->loop, p); /* IPC answers its waiting requests; plugins drop it */
	port_destroy(p);
}

void ports_run_kicked(struct evbd *d)
{
	for (unsigned i = 0; i < d->nports; i++)
		if (d->ports[i]->kick_pending)
			port_run(d->ports[i]);
}

void port_destroy(struct evbd_port *p)
{
	if (!p)
		return;
	lldp_agent_shutdown(&p->lldp); /* the neighbour forgets this port at once */
	if (cdcp_on(p))
		lldp_agent_shutdown(&p->cdcp);
	schan_ports_drop(p, false);
	schan_clear(p); /* the S-channels' devices go with the port */
	port_close_io(p);
	if (p->timer_ev)
		event_free(p->timer_ev);
	vdp_port_free(&p->vdp);
	policy_port_free(p->policy);
	free(p);
}

void port_link_update(struct evbd_port *p, bool present, int ifindex, const uint8_t mac[6], bool up)
{
	uint64_t now = port_now(p);
	if (!present) {
		if (p->present)
			log_notice("%s: interface removed; its VSIs are kept until it returns",
				   p->ifname);
		port_close_io(p);
		p->present = false;
		p->link_up = false;
		p->ifindex = 0;
		lldp_agent_link(&p->lldp, false, now);
		if (cdcp_on(p))
			lldp_agent_link(&p->cdcp, false, now);
		port_rearm(p);
		loop_port_changed(&p->d->loop, p);
		return;
	}
	if (mac) {
		memcpy(p->mac, mac, 6);
		memcpy(p->vdp.mac, mac, 6);
		memcpy(p->lldp.mac, mac, 6);
		memcpy(p->cdcp.mac, mac, 6);
	}
	if (!p->present || p->ifindex != ifindex || p->fd < 0) { /* fd < 0: after a receive error */
		port_close_io(p);
		p->ifindex = ifindex;
		p->present = port_open_io(p) == 0;
		if (!p->present)
			return;
		loop_port_changed(&p->d->loop, p);
	}
	if (up != p->link_up) {
		p->link_up = up;
		log_notice("%s: link %s", p->ifname, up ? "up" : "down");
		lldp_agent_link(&p->lldp, up, now);
		if (cdcp_on(p))
			lldp_agent_link(&p->cdcp, up, now);
		loop_port_changed(&p->d->loop, p);
	}
	port_run(p);
}

void port_reconfigure(struct evbd_port *p, const struct port_conf *pc)
{
	p->conf.evb.r = pc->evb.r;
	p->conf.evb.rte = pc->evb.rte;
	p->conf.evb.rwd = pc->evb.rwd;
	p->conf.evb.rka = pc->evb.rka;
	p->conf.evb.rrreq = pc->evb.rrreq;
	p->conf.evb.rrcap = pc->evb.rrcap;
	p->conf.evb.gid = pc->evb.gid;
	p->conf.evb.manual = pc->evb.manual;
	p->conf.evb.max_r = pc->evb.max_r;
	p->conf.evb.max_rte = pc->evb.max_rte;
	p->conf.evb.max_rwd = pc->evb.max_rwd;
	p->conf.evb.max_rka = pc->evb.max_rka;
	p->conf.vdp_any_source = pc->vdp_any_source;
	p->vdp.any_source = pc->vdp_any_source;
	p->conf.max_vsis_station = pc->max_vsis_station;
	p->vdp.station_share = pc->max_vsis_station;
	p->conf.lldp_max_ttl = pc->lldp_max_ttl;
	p->conf.evb_given = pc->evb_given;
	p->conf.lldp_interval = pc->lldp_interval;
	p->conf.lldp_hold = pc->lldp_hold;
	p->conf.max_vsis = pc->max_vsis;
	p->conf.max_filters = pc->max_filters;
	p->conf.tx_queue = pc->tx_queue;
	vdp_port_set_limits(&p->vdp, pc->max_vsis, pc->max_filters, pc->tx_queue);
	p->conf.ecp_pace_us = pc->ecp_pace_us;
	apply_pace(p, pc->ecp_pace_us);
	p->conf.policy = pc->policy;
	p->conf.protocol = pc->protocol;
	struct lldp_agent_conf lc = lldp_conf(&p->conf);
	lldp_agent_configure(&p->lldp, &lc, port_now(p));
	cdcp_reconfigure(p, pc, port_now(p));
	port_rearm(p);
}

const char *port_cannot_say(const struct evbd_port *p, const struct vdp_request *r)
{
	if (!p->lldp.draft || r->type == VDP_TLV_DEASSOC)
		return NULL;
	return draft_cannot_say(r->mgrid, r->key.fmt, r->fif, r->nfilters);
}

int port_vsi_request(struct evbd_port *p, const struct vdp_request *r, struct vdp_vsi **vp,
		     uint8_t *reason)
{
	const char *why = port_cannot_say(p, r);
	if (why) {
		log_notice("%s: a VSI request was refused: the port speaks draft 0.2 and %s",
			   p->ifname, why);
		return -EPROTONOSUPPORT;
	}
	struct vdp_vsi *v = NULL;
	int err = vdp_port_request(&p->vdp, r, port_now(p), &v, reason);
	if (err)
		return err;
	if (v) /* NULL: the command ended the VSI at once (removed from the store already) */
		store_vsi_put(p->d->store, p->ifname, p->conf.evb.role, v);
	if (vp)
		*vp = v;
	evbd_port_kick(p);
	return 0;
}
