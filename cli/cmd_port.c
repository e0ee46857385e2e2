/* SPDX-License-Identifier: ISC */
/*
 * cmd_port.c - `evbctl port show [dev IF]`: every EVB port of evbd (or one)
 * with its role, link, MAC, the negotiated EVB values and the ECP/VDP timers
 * they give, the LLDP neighbour, ECP counters, VSI counts and drop counters;
 * one object per port through the writer.
 */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/evb.h"

static const char port_help[] =
    "  show [dev IF]   the EVB ports of evbd (or one): role, link, MAC, negotiated\n"
    "                  R/RTE/RWD/RKA/RR with the timers in ms, the LLDP neighbour,\n"
    "                  ECP counters, VSI counts by state and drop counters; with\n"
    "                  -s (evbctl -s port show) also the LLDP and other frame\n"
    "                  counters and since when they count\n"
    "  clear-stats [dev IF]\n"
    "                  start the counters of every port (or one) from zero again\n"
    "                  (root or the admin group; evbd logs it)\n";

static uint64_t ms(uint64_t us)
{
	return (us + 500) / 1000;
}

static void mac_str(const uint8_t *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void write_mac(struct writer *w, const char *key, const uint8_t *m)
{
	char mac[18];
	mac_str(m, mac, sizeof(mac));
	writer_str(w, key, mac);
}

void port_render_oper(struct writer *w, const struct evb_oper *o)
{
	writer_begin_object(w, "negotiated");
	writer_bool(w, "valid", o->valid);
	writer_uint(w, "r", o->r);
	writer_uint(w, "rte", o->rte);
	writer_uint(w, "rwd", o->rwd);
	writer_uint(w, "rka", o->rka);
	writer_bool(w, "rr", o->rr);
	writer_bool(w, "gid", o->gid);
	writer_uint(w, "ack_timer_ms", ms(evb_ack_timer_us(o)));
	writer_uint(w, "resp_wait_ms", ms(evb_resp_wait_us(o)));
	writer_uint(w, "reinit_keepalive_ms", ms(evb_reinit_keepalive_us(o)));
	writer_uint(w, "resource_wait_ms", ms(evb_resource_wait_us(o)));
	writer_uint(w, "tout_keepalive_ms", ms(evb_tout_keepalive_us(o)));
	writer_end_object(w);
}

/* An LLDP chassis/port ID: a MAC, printable text, or hex. */
static void write_lldp_id(struct writer *w, const char *key, const struct lldp_id *id, bool is_mac)
{
	bool text = id->len > 0;
	for (uint16_t i = 0; i < id->len; i++)
		text &= id->id[i] >= 0x20 && id->id[i] < 0x7f;
	if (is_mac && id->len == 6)
		write_mac(w, key, id->id);
	else if (text)
		writer_fmt(w, key, "%.*s", (int)id->len, (const char *)id->id);
	else
		writer_hex(w, key, id->id, id->len);
}

static void render_neighbor(struct writer *w, const struct ipc_neighbor *nb)
{
	static const char *const modes[] = {"none", "bridge", "station", "reserved"};
	writer_begin_object(w, "neighbour");
	write_mac(w, "mac", nb->mac);
	write_lldp_id(w, "chassis", &nb->chassis, nb->chassis.subtype == LLDP_CHASSIS_MAC);
	writer_uint(w, "chassis_subtype", nb->chassis.subtype);
	write_lldp_id(w, "port", &nb->port, nb->port.subtype == LLDP_PORT_MAC);
	writer_uint(w, "port_subtype", nb->port.subtype);
	writer_uint(w, "ttl", nb->ttl);
	writer_enum(w, "evb_mode", nb->mode & 3, modes[nb->mode & 3]);
	writer_end_object(w);
}

/* A nest of u32 counters as the codec lists its members. */
static void render_counters(struct writer *w, const char *key, const struct ipc_u32_nest *d,
			    const void *s)
{
	writer_begin_object(w, key);
	for (size_t i = 0; i < d->n; i++)
		writer_uint(w, d->f[i].name, ipc_u32_field_get(s, &d->f[i]));
	writer_end_object(w);
}

/* The 802.1ad device of S-channel scid (evbd creates one for each S-channel
 * but the default one): its name, and its ifindex (0: it could not be
 * created, see the log and cdcp.dev_err). */
static void render_schan_dev(struct writer *w, const struct ipc_cdcp *c, uint16_t scid)
{
	for (uint16_t i = 0; i < c->ndev; i++) {
		if (c->dev[i].scid != scid)
			continue;
		writer_str(w, "device", c->dev[i].name);
		writer_uint(w, "ifindex", (unsigned)c->dev[i].ifindex);
		return;
	}
}

/* CDCP (802.1Qbg 42): the S-channels as SCID/SVID pairs and the counters. */
static void render_cdcp(struct writer *w, const struct ipc_cdcp *c, bool bridge)
{
	writer_begin_object(w, "cdcp");
	writer_uint(w, "chncap", c->chncap);
	if (bridge)
		writer_fmt(w, "svid_pool", "%u-%u", c->pool_low, c->pool_high);
	writer_bool(w, "peer", c->peer);
	if (c->peer)
		writer_uint(w, "peer_chncap", c->peer_chncap);
	writer_begin_list(w, "s_channels");
	for (uint16_t i = 0; i < c->nchan; i++) {
		writer_begin_object(w, NULL);
		writer_uint(w, "scid", c->chan[i].scid);
		writer_uint(w, "svid", c->chan[i].svid);
		render_schan_dev(w, c, c->chan[i].scid);
		writer_end_object(w);
	}
	writer_end_list(w);
	render_counters(w, "counters", &ipc_cdcp_nest, &c->stats);
	writer_end_object(w);
}

static void render_port(struct writer *w, const struct ipc_port *p)
{
	writer_begin_object(w, p->ifname);
	writer_str(w, "dev", p->ifname);
	writer_str(w, "role", p->role == EVB_ROLE_BRIDGE ? "bridge" : "station");
	writer_str(w, "link", !p->present ? "absent" : p->link_up ? "up" : "down");
	if (p->has_policy)
		writer_str(w, "policy", p->policy ? "database" : "open");
	writer_str(w, "protocol", p->protocol ? "draft" : "2012");
	writer_str(w, "protocol_setting",
		   p->protocol_set == 2	  ? "draft"
		   : p->protocol_set == 1 ? "2012"
					  : "auto");
	write_mac(w, "mac", p->mac);
	if (p->schan_of[0]) {
		writer_begin_object(w, "s_channel");
		writer_str(w, "of", p->schan_of);
		writer_uint(w, "scid", p->schan.scid);
		writer_uint(w, "svid", p->schan.svid);
		writer_end_object(w);
	}
	port_render_oper(w, &p->oper);
	if (p->has_neighbor)
		render_neighbor(w, &p->nbr);
	render_counters(w, "ecp", &ipc_ecp_nest, &p->ecp);
	render_counters(w, "vsis", &ipc_vsi_counts_nest, &p->counts);
	render_counters(w, "drops", &ipc_drops_nest, &p->drops);
	if (p->has_cdcp)
		render_cdcp(w, &p->cdcp, p->role == EVB_ROLE_BRIDGE);
	if (evbctl_show_stats && p->has_frames) {
		render_counters(w, "frames", &ipc_frames_nest, &p->frames);
		writer_uint(w, "counters_age_s", p->counters_age_us / 1000000);
	}
	writer_end_object(w);
}

struct count_ctx {
	uint32_t count;
};

/* The RESULT's EVB_A_COUNT. */
static void count_msg(const struct nlmsghdr *nlh, void *data)
{
	struct count_ctx *k = data;
	struct ipc_attrs a;
	if (nlh->nlmsg_type == EVB_MSG_RESULT && !ipc_parse_answer(nlh, &a))
		k->count = ipc_get_u32(a.tb[EVB_A_COUNT], 0);
}

struct port_ctx {
	struct writer *w;
	bool bad;
};

static void port_msg(const struct nlmsghdr *nlh, void *data)
{
	struct port_ctx *k = data;
	if (nlh->nlmsg_type != EVB_MSG_PORT)
		return;
	static struct ipc_attrs a;
	static struct ipc_port p;
	if (ipc_parse_answer(nlh, &a) || ipc_get_port(&a, &p, NULL, 0)) {
		k->bad = true;
		return;
	}
	render_port(k->w, &p);
}

/* argv[0] is "show" or "clear-stats" (or absent: show). */
static int port_parse(int argc, char **argv, char *dev, char *err, size_t errlen)
{
	int i = 0;
	dev[0] = '\0';
	if (argc > 0 &&
	    (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "help")))
		return EVBCTL_HELP;
	if (argc > 0 && strcmp(argv[0], "show") && strcmp(argv[0], "clear-stats")) {
		snprintf(
		    err, errlen,
		    "unknown sub-command 'port %s'; expected 'port show' or 'port clear-stats'",
		    argv[0]);
		return EVBCTL_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return EVBCTL_HELP;
		if (strcmp(argv[i], "dev")) {
			snprintf(err, errlen,
				 "unknown word '%s' in 'port %s'; it takes only 'dev IF'", argv[i],
				 argv[0]);
			return EVBCTL_USAGE;
		}
		if (dev[0]) {
			snprintf(err, errlen, "'dev' is given twice in 'port %s'", argv[0]);
			return EVBCTL_USAGE;
		}
		const char *v = i + 1 < argc ? argv[++i] : NULL;
		if (!v || !*v || strlen(v) >= IF_NAMESIZE) {
			snprintf(err, errlen,
				 "'dev' needs an interface name (at most 15 characters)%s%s%s",
				 v ? ", got '" : ", but the command ends there", v ? v : "",
				 v ? "'" : "");
			return EVBCTL_USAGE;
		}
		snprintf(dev, IF_NAMESIZE, "%s", v);
	}
	return 0;
}

/* `port clear-stats [dev IF]`: {"cleared": ports}. */
static int clear_exec(struct writer *w, struct ipc_client *c, const char *dev)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	struct ipc_msg m;
	struct count_ctx k = {0};
	const char *msg;
	ipc_req(&m, buf, EVB_MSG_STATS_CLEAR, 0, 0);
	if (dev[0])
		ipc_put_str(&m, EVB_A_IFNAME, dev);
	int rc = ipc_client_call(c, m.nlh, IPC_TIMEOUT_MS, count_msg, &k, &msg);
	if (rc < 0) {
		fprintf(stderr, "evbctl port: %s\n", ipc_client_error(c));
		return EVBCTL_FAIL;
	}
	if (rc > 0) {
		fprintf(stderr, "evbctl port: %s\n", *msg ? msg : strerror(rc));
		return EVBCTL_FAIL;
	}
	writer_uint(w, "cleared", k.count);
	return EVBCTL_OK;
}

int port_exec(struct writer *w, struct ipc_client *c, int argc, char **argv)
{
	char dev[IF_NAMESIZE], err[256];
	int rc = port_parse(argc, argv, dev, err, sizeof(err));
	if (rc == EVBCTL_USAGE)
		fprintf(stderr, "evbctl port: %s\n", err);
	if (rc)
		return rc;
	if (argc > 0 && !strcmp(argv[0], "clear-stats"))
		return clear_exec(w, c, dev);
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	struct ipc_msg m;
	ipc_req(&m, buf, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
	if (dev[0])
		ipc_put_str(&m, EVB_A_IFNAME, dev);
	struct port_ctx k = {.w = w};
	const char *msg;
	writer_begin_list(w, NULL);
	rc = ipc_client_call(c, m.nlh, IPC_TIMEOUT_MS, port_msg, &k, &msg);
	writer_end_list(w);
	if (rc < 0) {
		fprintf(stderr, "evbctl port: %s\n", ipc_client_error(c));
		return EVBCTL_FAIL;
	}
	if (rc > 0) {
		fprintf(stderr, "evbctl port: %s\n", *msg ? msg : strerror(rc));
		return EVBCTL_FAIL;
	}
	if (k.bad) {
		fprintf(stderr, "evbctl port: evbd sent a malformed port description\n");
		return EVBCTL_FAIL;
	}
	return EVBCTL_OK;
}

static int run_port(struct writer *w, int argc, char **argv)
{
	char dev[IF_NAMESIZE], err[256];
	int rc = port_parse(argc - 1, argv + 1, dev, err, sizeof(err));
	if (rc == EVBCTL_USAGE)
		fprintf(stderr, "evbctl port: %s\n", err);
	if (rc)
		return rc;
	struct ipc_client *c;
	if (ipc_client_open(&c, err, sizeof(err))) {
		fprintf(stderr, "evbctl port: %s\n", err);
		return EVBCTL_FAIL;
	}
	rc = port_exec(w, c, argc - 1, argv + 1);
	ipc_client_close(c);
	return rc;
}

const struct evbctl_cmd port_cmd = {
    .name = "port",
    .synopsis = "show [dev IF] | clear-stats [dev IF]",
    .summary = "show evbd's EVB ports: negotiation, neighbour, counters",
    .help = port_help,
    .run = run_port,
};
