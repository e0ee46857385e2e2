/* SPDX-License-Identifier: ISC */
/*
 * lldpad_clif.c - the lldpad-clif plugin: evbd serves lldpad's control
 * interface ("clif", a datagram socket at the abstract address
 * "\0/com/intel/lldpad"), so that Debian's vdptool, lldptool and programs
 * linked with liblldp_clif work against evbd unchanged
 * (docs/lldpad-clif.md).
 *
 *  - 'P' ping answers "R00PPONG<pid>"; 'A'/'D' attach and detach event
 *    clients (at most CLIENTS_MAX); 'L' fails as in lldpad;
 *  - VDP22 module messages (vdptool, clif_vsi): set creates, changes or
 *    ends a VSI through the station port (ops->vsi_request), get lists the
 *    port's VSIs of one mode in lldpad's text;
 *  - attached clients get an event when the bridge answers a VSI request
 *    or ends a VSI (its De-Associate, keep-alives lost);
 *  - LLDP module messages (lldptool): adminStatus of the nearest customer
 *    bridge agent, which evbd runs in both directions; the EVB TLV's
 *    settings (-V evb -c, ops->port_evb_get / port_evb_set); the port's
 *    and the neighbour's TLVs (-t [-n], ops->port_lldp_tlvs);
 *  - anything else gets the status lldpad answers it with, a log line
 *    naming it, and a count.
 *
 * Only uid 0 and evbd's admin-group may use the socket (lldpad lets only
 * uid 0 in, and answers everyone else "R0a", which is kept).  One lldpad
 * already bound to the address: the plugin does not start, with a sentence.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clif_evb.h"
#include "clif_msg.h"
#include "plugins/plugin_api.h"

#define NAME	     "lldpad-clif"
#define ADDR	     "/com/intel/lldpad"
#define RX_BURST     64
#define RCVBUF	     (1 << 20)
#define CLIENTS_MAX  32	  /* attached event clients */
#define BUCKETS	     1024 /* OUI records */
#define OUI_RECS_MAX 65536

struct client {
	struct sockaddr_un a;
	socklen_t alen;
};

/* The OUI arguments of a VSI requested here, printed back in queries. */
struct oui_rec {
	struct oui_rec *next;
	struct evbd_port *port;
	uint8_t uuid[EVBD_VSIID_LEN];
	size_t len;
	char s[];
};

struct clif_stats {
	uint32_t requests, refused, malformed, unsupported, failed, events, events_lost,
	    clients_full;
};

struct clif {
	const struct evbd_plugin_ops *ops;
	int fd;
	struct evbd_plugin_fd *fdev;
	bool bad_key;
	unsigned nclients;
	struct client clients[CLIENTS_MAX];
	struct oui_rec *b[BUCKETS];
	size_t nrecs;
	struct clif_stats st;
	struct clif_req req; /* scratch */
	struct clif_vsi vsi; /* scratch */
	char rx[CLIF_MSG_MAX + 1];
	char tx[CLIF_MSG_MAX];
};

#define LOG(c, lvl, ...) (c)->ops->log(lvl, NAME ": " __VA_ARGS__)

/* ---------------- OUI records ---------------- */

static unsigned rec_hash(const struct evbd_port *p, const uint8_t *uuid)
{
	uint32_t h = (uint32_t)(uintptr_t)p * 2654435761u;
	for (int i = 0; i < EVBD_VSIID_LEN; i++)
		h = (h ^ uuid[i]) * 16777619u;
	return h & (BUCKETS - 1);
}

static struct oui_rec **rec_slot(struct clif *c, const struct evbd_port *p, const uint8_t *uuid)
{
	struct oui_rec **pp = &c->b[rec_hash(p, uuid)];
	while (*pp && ((*pp)->port != p || memcmp((*pp)->uuid, uuid, EVBD_VSIID_LEN)))
		pp = &(*pp)->next;
	return pp;
}

static void rec_drop(struct clif *c, struct oui_rec **pp)
{
	struct oui_rec *r = *pp;
	*pp = r->next;
	free(r);
	c->nrecs--;
}

/* Remember (or forget, len 0) the OUI arguments of a VSI. */
static void rec_set(struct clif *c, struct evbd_port *p, const uint8_t *uuid, const char *s,
		    size_t len)
{
	struct oui_rec **pp = rec_slot(c, p, uuid);
	if (*pp)
		rec_drop(c, pp);
	if (!len)
		return;
	struct oui_rec *r = c->nrecs < OUI_RECS_MAX ? malloc(sizeof(*r) + len) : NULL;
	if (!r) {
		LOG(c, EVBD_PL_WARN,
		    "cannot keep the OUI arguments of one more VSI (%zu kept, at most %d); "
		    "queries will not show them",
		    c->nrecs, OUI_RECS_MAX);
		return;
	}
	*r = (struct oui_rec){.next = NULL, .port = p, .len = len};
	memcpy(r->uuid, uuid, EVBD_VSIID_LEN);
	memcpy(r->s, s, len);
	*pp = r;
	c->nrecs++;
}

static const struct oui_rec *rec_get(struct clif *c, struct evbd_port *p,
				     const struct evbd_vsi_view *v)
{
	return v->key.format == EVBD_VSIID_UUID ? *rec_slot(c, p, v->key.id) : NULL;
}

/* ---------------- output ---------------- */

static void send_to(struct clif *c, const struct sockaddr_un *a, socklen_t alen, const char *m,
		    size_t len)
{
	if (sendto(c->fd, m, len, MSG_DONTWAIT, (const struct sockaddr *)a, alen) < 0)
		LOG(c, EVBD_PL_INFO, "cannot answer a client: %s", strerror(errno));
}

/* "R" status [head [tlvid]] [body]. */
static void reply(struct clif *c, const struct sockaddr_un *a, socklen_t alen, int status,
		  bool head, bool tlvid, const char *body, size_t blen)
{
	const struct clif_req *r = &c->req;
	struct clif_buf b = {c->tx, sizeof(c->tx), 0, false};
	clif_put(&b, "R%02x", status & 0xff);
	if (head)
		clif_put(&b, "%.*s", (int)r->head.n, r->head.p);
	if (tlvid)
		clif_put(&b, "%08x", r->tlvid);
	if (blen)
		clif_put(&b, "%.*s", (int)blen, body);
	if (status != CLIF_OK)
		c->st.failed++;
	send_to(c, a, alen, c->tx, b.len);
}

/* Tell every attached client; a client whose socket is gone is dropped. */
static void broadcast(struct clif *c, const char *m, size_t len)
{
	for (unsigned i = 0; i < c->nclients;) {
		struct client *k = &c->clients[i];
		if (sendto(c->fd, m, len, MSG_DONTWAIT, (struct sockaddr *)&k->a, k->alen) >= 0) {
			c->st.events++;
			i++;
			continue;
		}
		c->st.events_lost++;
		if (errno == EAGAIN || errno == ENOBUFS)
			i++; /* busy: this event is lost, the client stays */
		else
			*k = c->clients[--c->nclients]; /* gone (ECONNREFUSED, ENOENT) */
	}
}

/* ---------------- attach / detach ---------------- */

static int client_find(struct clif *c, const struct sockaddr_un *a, socklen_t alen)
{
	for (unsigned i = 0; i < c->nclients; i++)
		if (c->clients[i].alen == alen && !memcmp(&c->clients[i].a, a, alen))
			return (int)i;
	return -1;
}

static int attach(struct clif *c, const struct sockaddr_un *a, socklen_t alen)
{
	if (client_find(c, a, alen) >= 0)
		return CLIF_OK;
	if (c->nclients == CLIENTS_MAX) {
		c->st.clients_full++;
		LOG(c, EVBD_PL_WARN,
		    "refused to attach one more event client: %d are attached, the most it "
		    "keeps; detach idle ones (clif_detach)",
		    CLIENTS_MAX);
		return CLIF_FAILED;
	}
	c->clients[c->nclients++] = (struct client){*a, alen};
	return CLIF_OK;
}

static void detach(struct clif *c, const struct sockaddr_un *a, socklen_t alen)
{
	int i = client_find(c, a, alen);
	if (i >= 0)
		c->clients[i] = c->clients[--c->nclients];
}

/* ---------------- VDP22 ---------------- */

/* The station port of the request, or the status lldpad answers. */
static int station(struct clif *c, struct evbd_port **pp)
{
	struct evbd_plugin_port_info pi;
	struct evbd_port *p = c->ops->port_find(c->ops->d, c->req.ifname);
	if (!p)
		return CLIF_NO_DEVICE;
	c->ops->port_info(p, &pi);
	if (!pi.present)
		return CLIF_NO_DEVICE;
	*pp = p;
	return pi.station ? CLIF_OK : CLIF_NOT_APPLICABLE; /* lldpad: no bridge-role queries */
}

static bool listed(const struct evbd_vsi_view *v, uint8_t mode)
{
	return v->key.format == EVBD_VSIID_UUID && v->command == mode &&
	       v->result != EVBD_VSI_FAILED && v->result != EVBD_VSI_DEASSOCIATED;
}

static unsigned response_of(const struct evbd_vsi_view *v)
{
	return v->result == EVBD_VSI_PENDING ? 0 : v->reason;
}

/* The VSIs of mode tlvid (that match a partial query). */
static int vdp_query(struct clif *c, struct evbd_port *p, struct clif_buf *b)
{
	const struct clif_req *r = &c->req;
	bool partial = (r->ops & CLIF_OP_CONFIG) && (r->ops & CLIF_OP_ARG);
	const char *why;
	if (partial && clif_vsi_parse(r, &c->vsi, &why) != CLIF_OK)
		return CLIF_BAD_PARAMS;
	struct evbd_vsi_cursor cur = {0};
	const struct evbd_vsi_view *v;
	size_t shown = 0, skipped = 0;
	while ((v = c->ops->vsi_next(p, &cur))) {
		if (!listed(v, (uint8_t)r->tlvid) || (partial && !clif_vsi_match(&c->vsi, v)))
			continue;
		const struct oui_rec *o = rec_get(c, p, v);
		size_t before = b->len;
		clif_vsi_put(b, v, v->command, response_of(v), o ? o->s : NULL, o ? o->len : 0);
		if (b->over) { /* the reply is one datagram: list what fits */
			b->over = false;
			b->len = before;
			b->p[before] = 0;
			skipped++;
			continue;
		}
		shown++;
	}
	if (skipped)
		LOG(c, EVBD_PL_WARN,
		    "%s: the query lists %zu of %zu VSIs: a reply is one %d-octet message; ask "
		    "for fewer (-c uuid=...)",
		    r->ifname, shown, shown + skipped, CLIF_MSG_MAX);
	return CLIF_OK;
}

static int vsi_status(int err)
{
	switch (err) {
	case 0:
		return CLIF_OK;
	case -EINVAL:
	case -ENOENT:
		return CLIF_BAD_PARAMS;
	case -EOPNOTSUPP:
		return CLIF_NOT_CAPABLE;
	case -ENODEV:
		return CLIF_NO_DEVICE;
	default:
		return CLIF_FAILED;
	}
}

static int vdp_set(struct clif *c, struct evbd_port *p)
{
	const struct clif_req *r = &c->req;
	struct clif_vsi *q = &c->vsi;
	const char *why;
	/* vdptool counts its filter arguments in the options; liblldp_clif's
	 * clif_vsi() sends one "vsi" argument and no count (lldpad 1.1 refuses
	 * that with status 0xea; evbd takes it as liblldp_clif(3) describes). */
	if (!(r->ops & CLIF_OP_ARG) || !(r->ops & CLIF_OP_ARGVAL) ||
	    (!CLIF_OP_FID(r->ops) && !clif_arg_find(r, "vsi")))
		return CLIF_BAD_PARAMS;
	int st = clif_vsi_parse(r, q, &why);
	if (st == CLIF_OK && (q->seen & CLIF_VK_REQUIRED) != CLIF_VK_REQUIRED) {
		why = "mode, mgrid2, typeid, typeidver, uuid, hints and filter are all needed";
		st = CLIF_BAD_PARAMS;
	}
	if (st != CLIF_OK) {
		LOG(c, EVBD_PL_INFO, "%s: VSI request refused: %s", r->ifname, why);
		return st;
	}
	struct evbd_vsi_request vr = {.command = q->mode,
				      .hints = q->hints,
				      .key = {.format = EVBD_VSIID_UUID},
				      .type_id = q->type_id,
				      .type_version = q->type_version,
				      .filter_format = q->filter_format,
				      .nfilters = q->nfilters,
				      .filters = q->f};
	memcpy(vr.key.id, q->uuid, EVBD_VSIID_LEN);
	memcpy(vr.mgrid, q->mgrid, EVBD_MGRID_LEN);
	uint8_t reason = 0;
	int err = c->ops->vsi_request(p, &vr, &reason);
	if (err) {
		LOG(c, EVBD_PL_INFO, "%s: %s request refused by evbd: %s (reason %u)", r->ifname,
		    clif_mode_name(q->mode), strerror(-err), reason);
		return vsi_status(err);
	}
	if (q->mode != EVBD_VDP_DEASSOC)
		rec_set(c, p, q->uuid, q->oui, q->oui_len);
	return CLIF_OK;
}

static void vdp22(struct clif *c, const struct sockaddr_un *a, socklen_t alen)
{
	const struct clif_req *r = &c->req;
	struct evbd_port *p = NULL;
	char body[CLIF_MSG_MAX];
	struct clif_buf b = {body, sizeof(body), 0, false};
	if (r->cmd != CLIF_CMD_GETTLV && r->cmd != CLIF_CMD_SETTLV)
		return reply(c, a, alen, CLIF_NOT_APPLICABLE, false, false, NULL, 0);
	if (r->tlvid < EVBD_VDP_PREASSOC || r->tlvid > EVBD_VDP_DEASSOC ||
	    (r->cmd == CLIF_CMD_SETTLV && !(r->ops & CLIF_OP_CONFIG)))
		return reply(c, a, alen, CLIF_INVALID, false, false, NULL, 0);
	int st = station(c, &p);
	if (st == CLIF_NO_DEVICE)
		return reply(c, a, alen, st, true, false, NULL, 0);
	if (st == CLIF_OK && r->agent != CLIF_AGENT_NCB)
		st = CLIF_AGENT_NOT_SUPPORTED;
	if (st == CLIF_OK)
		st = r->cmd == CLIF_CMD_GETTLV ? vdp_query(c, p, &b) : vdp_set(c, p);
	reply(c, a, alen, st, true, true, body, st == CLIF_OK ? b.len : 0);
}

/* The event of a VSI: what the bridge answered, or that it ended. */
static void vsi_changed(void *state, struct evbd_port *p, const struct evbd_vsi_view *v)
{
	struct clif *c = state;
	struct evbd_plugin_port_info pi;
	if (v->key.format != EVBD_VSIID_UUID)
		return;
	bool removed = v->events & EVBD_VSI_EV_REMOVE;
	if (!removed && (!(v->events & EVBD_VSI_EV_NOTIFY) || v->result == EVBD_VSI_PENDING))
		return;
	c->ops->port_info(p, &pi);
	if (!pi.station)
		return;
	if (c->nclients) {
		char m[CLIF_MSG_MAX];
		struct clif_buf b = {m, sizeof(m), 0, false};
		const struct oui_rec *o = rec_get(c, p, v);
		clif_put(&b, "M%08xE16", CLIF_MOD_VDP22);
		clif_vsi_put(&b, v, removed ? EVBD_VDP_DEASSOC : v->command, v->reason,
			     o ? o->s : NULL, o ? o->len : 0);
		if (b.over)
			c->st.events_lost++;
		else
			broadcast(c, m, b.len);
	}
	if (removed)
		rec_set(c, p, v->key.id, NULL, 0);
}

/* ---------------- LLDP module (lldptool) ---------------- */

/* evbd runs LLDP to the nearest customer bridge, in both directions, on
 * every port it has; no other agent. */
static const char *admin_status(int agent)
{
	return agent == CLIF_AGENT_NCB ? "rxtx" : "disabled";
}

static void unsupported(struct clif *c, const char *what, int st, const struct sockaddr_un *a,
			socklen_t alen, bool head)
{
	const struct clif_req *r = &c->req;
	c->st.unsupported++;
	LOG(c, EVBD_PL_NOTICE,
	    "refused %s on '%s' (module %08x, command %u, TLV %08x): evbd does not offer it "
	    "through lldpad's interface; answered status %d as lldpad does",
	    what, r->ifname, r->module, r->cmd, r->tlvid, st);
	reply(c, a, alen, st, head, head && r->has_tlvid, NULL, 0);
}

static void lldp_admin(struct clif *c, const struct sockaddr_un *a, socklen_t alen)
{
	const struct clif_req *r = &c->req;
	const struct clif_arg *arg = clif_arg_find(r, "adminStatus");
	char body[128];
	struct clif_buf b = {body, sizeof(body), 0, false};
	if (!arg || r->nargs != 1)
		return unsupported(c, "an LLDP parameter other than adminStatus", CLIF_BAD_PARAMS,
				   a, alen, true);
	const char *cur = admin_status(r->agent);
	if (r->cmd == CLIF_CMD_GETLLDP) {
		clif_put(&b, "%02zx%s%04zx%s", arg->key.n, "adminStatus", strlen(cur), cur);
		return reply(c, a, alen, CLIF_OK, true, false, body, b.len);
	}
	if (!arg->val.p || arg->val.n != strlen(cur) || memcmp(arg->val.p, cur, arg->val.n))
		return unsupported(c,
				   "a change of adminStatus (evbd runs LLDP rxtx to the nearest "
				   "customer bridge only)",
				   r->agent == CLIF_AGENT_NCB ? CLIF_BAD_PARAMS
							      : CLIF_AGENT_NOT_SUPPORTED,
				   a, alen, true);
	clif_put(&b, "adminStatus = %s\n", cur);
	reply(c, a, alen, CLIF_OK, true, false, body, b.len);
}

/* lldptool -t [-n] [-V TLV]: the TLV(s) of the port's LLDPDU or of the
 * neighbour's, as evbd keeps them; lldpad answers an empty list for an
 * agent that does not run, and so does evbd for all but the nearest
 * customer bridge. */
static void tlv_dump(struct clif *c, struct evbd_port *p, const struct sockaddr_un *a,
		     socklen_t alen)
{
	const struct clif_req *r = &c->req;
	uint8_t tlvs[1500];
	char body[CLIF_MSG_MAX];
	struct clif_buf b = {body, sizeof(body), 0, false};
	int n = 0;
	if (r->agent == CLIF_AGENT_NCB)
		n = c->ops->port_lldp_tlvs(p, r->ops & CLIF_OP_NEIGHBOR, tlvs, sizeof(tlvs));
	if (n > 0)
		clif_tlv_put(&b, tlvs, (size_t)n, r->tlvid);
	reply(c, a, alen, b.over ? CLIF_FAILED : CLIF_OK, true, true, body, b.over ? 0 : b.len);
}

/* lldptool -t|-T -g ncb -V evb -c KEY[=VALUE]: the port's EVB settings. */
static void evb_config(struct clif *c, struct evbd_port *p, const struct sockaddr_un *a,
		       socklen_t alen)
{
	const struct clif_req *r = &c->req;
	struct evbd_evb_settings s;
	char body[CLIF_MSG_MAX], err[256];
	struct clif_buf b = {body, sizeof(body), 0, false};
	const char *why = "";
	int st;
	c->ops->port_evb_get(p, &s);
	if (r->cmd == CLIF_CMD_GETTLV) {
		st = clif_evb_get(r, &s, &b, &why);
	} else {
		st = clif_evb_set(r, &s, &why);
		if (st == CLIF_OK && c->ops->port_evb_set(p, &s, err, sizeof(err))) {
			LOG(c, EVBD_PL_WARN, "%s", err);
			st = CLIF_FAILED;
		}
	}
	if (st != CLIF_OK) {
		c->st.unsupported += st == CLIF_NOT_APPLICABLE;
		LOG(c, EVBD_PL_NOTICE,
		    "refused lldptool %s -V evb on '%s': %s; answered status %d as lldpad does",
		    r->cmd == CLIF_CMD_GETTLV ? "-t" : "-T", r->ifname, why, st);
	}
	reply(c, a, alen, st, true, true, body, st == CLIF_OK ? b.len : 0);
}

/* lldptool -t|-T: TLVs and the EVB TLV's settings.  The status of each
 * refusal is the one lldpad 1.1 answers the same request with. */
static void lldp_tlv(struct clif *c, struct evbd_port *p, const struct sockaddr_un *a,
		     socklen_t alen)
{
	const struct clif_req *r = &c->req;
	bool config = r->ops & CLIF_OP_CONFIG, evb = r->tlvid == CLIF_TLV_EVB;
	if (r->cmd == CLIF_CMD_SETTLV && !config) /* lldptool -T without -c */
		return unsupported(c, "lldptool -T without -c", CLIF_FAILED, a, alen, true);
	if (config && (r->ops & CLIF_OP_NEIGHBOR)) /* -n -c */
		return unsupported(c, "lldptool -n -c", CLIF_INVALID, a, alen, true);
	if (!config)
		return tlv_dump(c, p, a, alen);
	if (!evb)
		return unsupported(c, "the configuration of a TLV other than EVB",
				   CLIF_NOT_APPLICABLE, a, alen, true);
	if (r->agent != CLIF_AGENT_NCB)
		return unsupported(c,
				   "EVB settings of an agent other than the nearest customer "
				   "bridge",
				   CLIF_INVALID, a, alen, true);
	evb_config(c, p, a, alen);
}

static void lldp(struct clif *c, const struct sockaddr_un *a, socklen_t alen)
{
	const struct clif_req *r = &c->req;
	struct evbd_port *p = c->ops->port_find(c->ops->d, r->ifname);
	if (!p)
		return reply(c, a, alen, CLIF_NO_DEVICE, true, false, NULL, 0);
	if (r->cmd == CLIF_CMD_GETLLDP || r->cmd == CLIF_CMD_SETLLDP)
		return lldp_admin(c, a, alen);
	if (r->cmd == CLIF_CMD_GETTLV || r->cmd == CLIF_CMD_SETTLV)
		return lldp_tlv(c, p, a, alen);
	unsupported(c, "an lldptool command", CLIF_NOT_APPLICABLE, a, alen, true);
}

/* ---------------- receive ---------------- */

static void handle(struct clif *c, size_t len, const struct sockaddr_un *a, socklen_t alen,
		   bool trusted)
{
	struct clif_req *r = &c->req;
	const char *why;
	c->st.requests++;
	if (!trusted) { /* as lldpad: every message, with the bare status */
		c->st.refused++;
		return reply(c, a, alen, CLIF_NO_ACCESS, false, false, NULL, 0);
	}
	int st = clif_parse(c->rx, len, r, &why);
	if (st != CLIF_OK) {
		c->st.malformed++;
		LOG(c, EVBD_PL_INFO, "malformed message of %zu octets ('%c'): %s", len,
		    len && c->rx[0] >= 0x20 && c->rx[0] < 0x7f ? c->rx[0] : '?', why);
		return reply(c, a, alen, st, false, false, NULL, 0);
	}
	char pong[32];
	switch (r->type) {
	case CLIF_PING:
		snprintf(pong, sizeof(pong), "PPONG%d", (int)getpid());
		return reply(c, a, alen, CLIF_OK, false, false, pong, strlen(pong));
	case CLIF_ATTACH:
		return reply(c, a, alen, attach(c, a, alen), false, false, "A", 1);
	case CLIF_DETACH:
		detach(c, a, alen);
		return reply(c, a, alen, CLIF_OK, false, false, "D", 1);
	case CLIF_LEVEL:
		return unsupported(c, "a log level change", CLIF_FAILED, a, alen, false);
	}
	if (r->module == CLIF_MOD_VDP22)
		return vdp22(c, a, alen);
	if (r->module == CLIF_MOD_LLDP)
		return lldp(c, a, alen);
	unsupported(c, "a message to an lldpad module evbd does not have", CLIF_NO_DEVICE, a, alen,
		    false);
}

static bool sender_trusted(struct clif *c, struct msghdr *mh)
{
	for (struct cmsghdr *m = CMSG_FIRSTHDR(mh); m; m = CMSG_NXTHDR(mh, m))
		if (m->cmsg_level == SOL_SOCKET && m->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cr;
			memcpy(&cr, CMSG_DATA(m), sizeof(cr));
			return c->ops->cred_trusted(c->ops->d, cr.uid, cr.gid);
		}
	return false;
}

static void on_readable(int fd, void *arg)
{
	struct clif *c = arg;
	for (int i = 0; i < RX_BURST; i++) {
		struct sockaddr_un from;
		struct iovec iov = {c->rx, sizeof(c->rx)};
		char cbuf[CMSG_SPACE(sizeof(struct ucred))];
		struct msghdr mh = {.msg_name = &from,
				    .msg_namelen = sizeof(from),
				    .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf)};
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0)
			return;
		if (mh.msg_namelen <= offsetof(struct sockaddr_un, sun_path)) {
			c->st.malformed++; /* an unbound sender: no address to answer */
			continue;
		}
		if ((mh.msg_flags & MSG_TRUNC) || (size_t)n > CLIF_MSG_MAX) {
			c->st.malformed++;
			LOG(c, EVBD_PL_INFO,
			    "refused a message longer than %d octets (lldpad's limit)",
			    CLIF_MSG_MAX);
			c->req.head.n = 0;
			reply(c, &from, mh.msg_namelen, CLIF_INVALID, false, false, NULL, 0);
			continue;
		}
		handle(c, (size_t)n, &from, mh.msg_namelen, sender_trusted(c, &mh));
	}
}

/* ---------------- hooks, start, stop ---------------- */

static void port_removed(void *state, struct evbd_port *p)
{
	struct clif *c = state;
	for (unsigned i = 0; i < BUCKETS; i++) {
		struct oui_rec **pp = &c->b[i];
		while (*pp)
			if ((*pp)->port == p)
				rec_drop(c, pp);
			else
				pp = &(*pp)->next;
	}
}

static int cmd_stats(void *arg, int argc, const char *const *argv, char *out, size_t outlen)
{
	struct clif *c = arg;
	(void)argc;
	(void)argv;
	snprintf(out, outlen,
		 "requests %u\nrefused %u\nmalformed %u\nunsupported %u\nfailed %u\nevents %u\n"
		 "events_lost %u\nclients %u\nclients_full %u\n",
		 c->st.requests, c->st.refused, c->st.malformed, c->st.unsupported, c->st.failed,
		 c->st.events, c->st.events_lost, c->nclients, c->st.clients_full);
	return 0;
}

static void check_key(void *arg, const char *key, unsigned line)
{
	struct clif *c = arg;
	LOG(c, EVBD_PL_ERR, "unknown key '%s' at line %u of [plugin " NAME "]; it has no keys.",
	    key, line);
	c->bad_key = true;
}

static int open_socket(struct clif *c)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int one = 1, rcv = RCVBUF;
	memcpy(a.sun_path + 1, ADDR, strlen(ADDR)); /* abstract, no trailing NUL */
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(ADDR));
	c->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0) {
		LOG(c, EVBD_PL_ERR, "cannot open a Unix datagram socket: %s", strerror(errno));
		return -errno;
	}
	setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	setsockopt(c->fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if (bind(c->fd, (struct sockaddr *)&a, alen)) {
		int e = errno;
		if (e == EADDRINUSE)
			LOG(c, EVBD_PL_ERR,
			    "lldpad's control address @" ADDR
			    " is taken in this network namespace: "
			    "lldpad (or its systemd socket, or another evbd with " NAME
			    ") is running. Stop it (systemctl stop lldpad.service lldpad.socket) "
			    "or leave " NAME " out of plugins.");
		else
			LOG(c, EVBD_PL_ERR, "cannot bind lldpad's control address @" ADDR ": %s",
			    strerror(e));
		return -e;
	}
	return 0;
}

static void stop(struct clif *c)
{
	c->ops->fd_del(c->fdev);
	if (c->fd >= 0)
		close(c->fd);
	for (unsigned i = 0; i < BUCKETS; i++)
		while (c->b[i])
			rec_drop(c, &c->b[i]);
	free(c);
}

static int init(const struct evbd_plugin_ops *ops, void **state)
{
	struct clif *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->ops = ops;
	c->fd = -1;
	ops->conf_keys(ops->d, NAME, check_key, c);
	int err = c->bad_key ? -EINVAL : 0;
	if (!err && ops->abi < 5) {
		LOG(c, EVBD_PL_ERR, "needs plugin ABI 5 (evbd offers %u)", ops->abi);
		err = -EINVAL;
	}
	if (!err)
		err = open_socket(c);
	if (!err && !(c->fdev = ops->fd_add(ops->d, c->fd, on_readable, c)))
		err = -ENOMEM;
	if (!err)
		ops->ipc_command_add(ops->d, "clif-stats", false, cmd_stats, c);
	if (err) {
		stop(c);
		return err;
	}
	LOG(c, EVBD_PL_NOTICE, "serving lldpad's control interface at @" ADDR);
	*state = c;
	return 0;
}

static void fini(void *state)
{
	struct clif *c = state;
	LOG(c, EVBD_PL_INFO,
	    "stopping: %u requests, %u refused (not root or admin-group), %u malformed, %u "
	    "unsupported, %u failed, %u events sent, %u lost",
	    c->st.requests, c->st.refused, c->st.malformed, c->st.unsupported, c->st.failed,
	    c->st.events, c->st.events_lost);
	stop(c);
}

const struct evbd_plugin evbd_plugin = {
    .name = NAME,
    .abi = EVBD_PLUGIN_ABI,
    .init = init,
    .fini = fini,
    .vsi_changed = vsi_changed,
    .port_removed = port_removed,
};
