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

#include <libmnl/libmnl.h>

#include "vdp/evb.h"

static const char port_help[] =
    "  show [dev IF]   the EVB ports of evbd (or one): role, link, MAC, negotiated\n"
    "                  R/RTE/RWD/RKA/RR with the timers in ms, the LLDP neighbour,\n"
    "                  ECP counters, VSI counts by state and drop counters\n";

static uint32_t nest_u32(const struct nlattr *const *tb, int t)
{
	return tb[t] ? mnl_attr_get_u32(tb[t]) : 0;
}

static uint8_t nest_u8(const struct nlattr *const *tb, int t)
{
	return tb[t] ? mnl_attr_get_u8(tb[t]) : 0;
}

static uint64_t ms(uint64_t us)
{
	return (us + 500) / 1000;
}

static void mac_str(const uint8_t *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int render_oper(struct writer *w, const struct nlattr *n)
{
	const struct nlattr *tb[EVB_OA_MAX];
	if (!n)
		return 0;
	if (ipc_parse_nested(n, tb))
		return -EBADMSG;
	struct evb_oper o = {.valid = nest_u8(tb, EVB_OA_VALID),
			     .r = nest_u8(tb, EVB_OA_R),
			     .rte = nest_u8(tb, EVB_OA_RTE),
			     .rwd = nest_u8(tb, EVB_OA_RWD),
			     .rka = nest_u8(tb, EVB_OA_RKA),
			     .rr = nest_u8(tb, EVB_OA_RR),
			     .gid = nest_u8(tb, EVB_OA_GID)};
	writer_begin_object(w, "negotiated");
	writer_bool(w, "valid", o.valid);
	writer_uint(w, "r", o.r);
	writer_uint(w, "rte", o.rte);
	writer_uint(w, "rwd", o.rwd);
	writer_uint(w, "rka", o.rka);
	writer_bool(w, "rr", o.rr);
	writer_bool(w, "gid", o.gid);
	writer_uint(w, "ack_timer_ms", ms(evb_ack_timer_us(&o)));
	writer_uint(w, "resp_wait_ms", ms(evb_resp_wait_us(&o)));
	writer_uint(w, "reinit_keepalive_ms", ms(evb_reinit_keepalive_us(&o)));
	writer_uint(w, "resource_wait_ms", ms(evb_resource_wait_us(&o)));
	writer_uint(w, "tout_keepalive_ms", ms(evb_tout_keepalive_us(&o)));
	writer_end_object(w);
	return 0;
}

/* An LLDP chassis/port ID: a MAC, printable text, or hex. */
static void write_lldp_id(struct writer *w, const char *key, const struct nlattr *a, bool is_mac)
{
	if (!a)
		return;
	const uint8_t *p = mnl_attr_get_payload(a);
	uint16_t n = mnl_attr_get_payload_len(a);
	bool text = n > 0;
	for (uint16_t i = 0; i < n; i++)
		text &= p[i] >= 0x20 && p[i] < 0x7f;
	if (is_mac && n == 6) {
		char mac[18];
		mac_str(p, mac, sizeof(mac));
		writer_str(w, key, mac);
	} else if (text) {
		writer_fmt(w, key, "%.*s", (int)n, (const char *)p);
	} else {
		writer_hex(w, key, p, n);
	}
}

static int render_neighbor(struct writer *w, const struct nlattr *n)
{
	static const char *const modes[] = {"none", "bridge", "station", "reserved"};
	const struct nlattr *tb[EVB_NA_MAX];
	if (!n)
		return 0;
	if (ipc_parse_nested(n, tb))
		return -EBADMSG;
	writer_begin_object(w, "neighbour");
	if (tb[EVB_NA_MAC]) {
		char mac[18];
		mac_str(mnl_attr_get_payload(tb[EVB_NA_MAC]), mac, sizeof(mac));
		writer_str(w, "mac", mac);
	}
	uint8_t cst = nest_u8(tb, EVB_NA_CHASSIS_ST), pst = nest_u8(tb, EVB_NA_PORT_ST);
	write_lldp_id(w, "chassis", tb[EVB_NA_CHASSIS], cst == LLDP_CHASSIS_MAC);
	writer_uint(w, "chassis_subtype", cst);
	write_lldp_id(w, "port", tb[EVB_NA_PORT], pst == LLDP_PORT_MAC);
	writer_uint(w, "port_subtype", pst);
	writer_uint(w, "ttl", tb[EVB_NA_TTL] ? mnl_attr_get_u16(tb[EVB_NA_TTL]) : 0);
	writer_str(w, "evb_mode", modes[nest_u8(tb, EVB_NA_MODE) & 3]);
	writer_end_object(w);
	return 0;
}

/* A nest of u32 counters, each with its output name. */
struct counter {
	int attr;
	const char *name;
};

static int render_counters(struct writer *w, const char *key, const struct nlattr *n,
			   const struct counter *c, size_t nc)
{
	const struct nlattr *tb[16];
	if (!n)
		return 0;
	if (ipc_parse_nested(n, tb))
		return -EBADMSG;
	writer_begin_object(w, key);
	for (size_t i = 0; i < nc; i++)
		writer_uint(w, c[i].name, nest_u32(tb, c[i].attr));
	writer_end_object(w);
	return 0;
}

static const struct counter ecp_counters[] = {
    {EVB_EA_TX_FRAMES, "tx_frames"},	 {EVB_EA_TX_RETRIES, "tx_retries"},
    {EVB_EA_TX_FAILURES, "tx_failures"}, {EVB_EA_RX_FRAMES, "rx_frames"},
    {EVB_EA_RX_DUPS, "rx_dups"},
};

static const struct counter vsi_counters[] = {
    {EVB_CA_TOTAL, "total"},
    {EVB_CA_PENDING, "pending"},
    {EVB_CA_PREASSOCIATED, "preassociated"},
    {EVB_CA_ASSOCIATED, "associated"},
    {EVB_CA_FAILED, "failed"},
};

static const struct counter drop_counters[] = {
    {EVB_DA_LLDP_BAD, "lldp_bad"},	 {EVB_DA_ECP_BAD, "ecp_bad"},
    {EVB_DA_TLV_BAD, "tlv_bad"},	 {EVB_DA_VSI_BAD, "vsi_bad"},
    {EVB_DA_UNKNOWN_VSI, "unknown_vsi"}, {EVB_DA_WRONG_DIR, "wrong_dir"},
};

#define NC(a) (sizeof(a) / sizeof((a)[0]))

static int render_port(struct writer *w, const struct ipc_attrs *a)
{
	const struct nlattr *const *tb = a->tb;
	if (!tb[EVB_A_IFNAME])
		return -EBADMSG;
	const char *dev = mnl_attr_get_str(tb[EVB_A_IFNAME]);
	bool present = tb[EVB_A_PRESENT] ? mnl_attr_get_u8(tb[EVB_A_PRESENT]) : true;
	bool up = tb[EVB_A_LINK] && mnl_attr_get_u8(tb[EVB_A_LINK]);
	writer_begin_object(w, dev);
	writer_str(w, "dev", dev);
	writer_str(w, "role", nest_u8(tb, EVB_A_ROLE) == EVB_ROLE_BRIDGE ? "bridge" : "station");
	writer_str(w, "link", !present ? "absent" : up ? "up" : "down");
	if (tb[EVB_A_POLICY])
		writer_str(w, "policy", mnl_attr_get_u8(tb[EVB_A_POLICY]) ? "database" : "open");
	if (tb[EVB_A_PORT_MAC]) {
		char mac[18];
		mac_str(mnl_attr_get_payload(tb[EVB_A_PORT_MAC]), mac, sizeof(mac));
		writer_str(w, "mac", mac);
	}
	int rc = render_oper(w, tb[EVB_A_OPER]);
	rc = rc ? rc : render_neighbor(w, tb[EVB_A_NEIGHBOR]);
	rc = rc ? rc : render_counters(w, "ecp", tb[EVB_A_ECP], ecp_counters, NC(ecp_counters));
	rc = rc ? rc
		: render_counters(w, "vsis", tb[EVB_A_VSI_COUNTS], vsi_counters, NC(vsi_counters));
	rc = rc ? rc
		: render_counters(w, "drops", tb[EVB_A_DROPS], drop_counters, NC(drop_counters));
	writer_end_object(w);
	return rc;
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
	struct ipc_attrs *a = malloc(sizeof(*a));
	if (!a || ipc_parse_answer(nlh, a) || render_port(k->w, a))
		k->bad = true;
	free(a);
}

/* argv[0] is "show" (or absent). */
static int port_parse(int argc, char **argv, char *dev, char *err, size_t errlen)
{
	int i = 0;
	dev[0] = '\0';
	if (argc > 0 &&
	    (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help") || !strcmp(argv[0], "help")))
		return EVBCTL_HELP;
	if (argc > 0 && strcmp(argv[0], "show")) {
		snprintf(err, errlen, "unknown sub-command 'port %s'; expected 'port show'",
			 argv[0]);
		return EVBCTL_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return EVBCTL_HELP;
		if (strcmp(argv[i], "dev")) {
			snprintf(err, errlen,
				 "unknown word '%s' in 'port show'; it takes only 'dev IF'",
				 argv[i]);
			return EVBCTL_USAGE;
		}
		if (dev[0]) {
			snprintf(err, errlen, "'dev' is given twice in 'port show'");
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

int port_exec(struct writer *w, struct ipc_client *c, int argc, char **argv)
{
	char dev[IF_NAMESIZE], err[256];
	int rc = port_parse(argc, argv, dev, err, sizeof(err));
	if (rc == EVBCTL_USAGE)
		fprintf(stderr, "evbctl port: %s\n", err);
	if (rc)
		return rc;
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
	if (dev[0])
		mnl_attr_put_strz(nlh, EVB_A_IFNAME, dev);
	struct port_ctx k = {.w = w};
	const char *msg;
	writer_begin_list(w, NULL);
	rc = ipc_client_call(c, nlh, IPC_TIMEOUT_MS, port_msg, &k, &msg);
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
    .synopsis = "show [dev IF]",
    .summary = "show evbd's EVB ports: negotiation, neighbour, counters",
    .help = port_help,
    .run = run_port,
};
