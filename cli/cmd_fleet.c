/* SPDX-License-Identifier: ISC */
/*
 * cmd_fleet.c - `evbctl fleet`: the switches of a fleet sharing etcd
 * (docs/fleet.md): `fleet vsi list` lists every VSI of the fleet with its
 * switch and port, `fleet where` (also `evbctl vsi where`) answers where
 * one VSI is, `fleet status` shows this switch's link to etcd.  All read
 * what the local evbd knows from its watch on etcd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "commands.h"
#include "ipc/codec.h"
#include "vdp/proto.h"
#include "vdp/vdp_tlv.h"

struct fleet_ctx {
	struct writer *w;
	unsigned shown;
	bool bad;
	char text[EVBD_IPC_MAX_MSG];
};

static const char *fleet_state_text(uint8_t s)
{
	return s == VDP_TLV_ASSOC	  ? "associated"
	       : s == VDP_TLV_PREASSOC	  ? "preassociated"
	       : s == VDP_TLV_PREASSOC_RR ? "preassociated-rr"
					  : "none";
}

static void fleet_render(struct writer *w, const struct ipc_vsi *v, const char *sw, uint64_t since)
{
	char id[64], fl[64] = "-";

	vdp_vsiid_str(v->key.fmt, v->key.id, id, sizeof(id));
	if (v->nfilters)
		snprintf(fl, sizeof(fl), "%02x:%02x:%02x:%02x:%02x:%02x/%u%s", v->filters[0].mac[0],
			 v->filters[0].mac[1], v->filters[0].mac[2], v->filters[0].mac[3],
			 v->filters[0].mac[4], v->filters[0].mac[5], v->filters[0].vid,
			 v->nfilters > 1 ? ",..." : "");
	if (writer_format(w) != WRITER_JSON) {
		printf("%-38s %-16s %-12s %-17s %8u/%-3u %s\n", id, sw, v->ifname,
		       fleet_state_text(v->confirmed), v->type_id, v->type_ver, fl);
		return;
	}
	writer_begin_object(w, NULL);
	writer_enum(w, "vsiid_format", v->key.fmt, vdp_vsiid_fmt_name(v->key.fmt));
	writer_str(w, "vsiid", id);
	writer_str(w, "switch", sw);
	writer_str(w, "port", v->ifname);
	writer_str(w, "state", fleet_state_text(v->confirmed));
	writer_uint(w, "type_id", v->type_id);
	writer_uint(w, "type_version", v->type_ver);
	writer_uint(w, "since_us", since);
	writer_begin_list(w, "filters");
	for (uint16_t i = 0; i < v->nfilters; i++) {
		const uint8_t *m = v->filters[i].mac;
		writer_begin_object(w, NULL);
		writer_fmt(w, "mac", "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4],
			   m[5]);
		writer_uint(w, "vlan", v->filters[i].vid);
		writer_end_object(w);
	}
	writer_end_list(w);
	writer_end_object(w);
}

static void fleet_on_msg(const struct nlmsghdr *nlh, void *data)
{
	static struct vdp_filter filt[VDP_MAX_FILTERS];
	struct fleet_ctx *k = data;
	struct ipc_attrs *a = malloc(sizeof(*a));
	struct ipc_vsi v;

	if (!a || ipc_parse_answer(nlh, a)) {
		k->bad = true;
		free(a);
		return;
	}
	if (nlh->nlmsg_type == EVB_MSG_RESULT && a->tb[EVB_A_TEXT])
		snprintf(k->text, sizeof(k->text), "%s", ipc_get_str(a->tb[EVB_A_TEXT], ""));
	if (nlh->nlmsg_type == EVB_MSG_FLEET_VSI) {
		if (ipc_get_vsi(a, &v, filt, NULL, 0) || !a->tb[EVB_A_SWITCH]) {
			k->bad = true;
		} else {
			fleet_render(k->w, &v, ipc_get_str(a->tb[EVB_A_SWITCH], ""),
				     a->tb[EVB_A_SINCE] ? mnl_attr_get_u64(a->tb[EVB_A_SINCE]) : 0);
			k->shown++;
		}
	}
	free(a);
}

/* One exchange; 0 or an EVBCTL status after saying why. */
static int fleet_exchange(struct fleet_ctx *k, struct nlmsghdr *nlh, const char *what)
{
	struct ipc_client *c;
	char err[1024];
	const char *msg;

	if (ipc_client_open(&c, err, sizeof(err))) {
		fprintf(stderr, "evbctl %s: %s\n", what, err);
		return EVBCTL_FAIL;
	}
	int rc = ipc_client_call(c, nlh, IPC_TIMEOUT_MS, fleet_on_msg, k, &msg);
	if (rc < 0)
		fprintf(stderr, "evbctl %s: %s\n", what, ipc_client_error(c));
	else if (rc > 0)
		fprintf(stderr, "evbctl %s: %s\n", what, *msg ? msg : strerror(rc));
	else if (k->bad)
		fprintf(stderr, "evbctl %s: evbd sent a malformed answer\n", what);
	ipc_client_close(c);
	return rc || k->bad ? EVBCTL_FAIL : EVBCTL_OK;
}

/* "uuid U" or "vsiid FORMAT:VALUE" into key: 0, or -1 after a sentence. */
static int fleet_parse_vsi(int argc, char **argv, struct vdp_vsi_key *key, const char *what)
{
	uint8_t fmt = 0;
	const char *val = argc == 2 ? argv[1] : NULL, *colon;

	if (val && !strcmp(argv[0], "uuid")) {
		fmt = VDP_VSIID_UUID;
	} else if (val && !strcmp(argv[0], "vsiid") && (colon = strchr(val, ':'))) {
		for (uint8_t f = VDP_VSIID_IPV4; f <= VDP_VSIID_UUID; f++)
			if ((size_t)(colon - val) == strlen(vdp_vsiid_fmt_name(f)) &&
			    !strncmp(val, vdp_vsiid_fmt_name(f), (size_t)(colon - val)))
				fmt = f;
		val = colon + 1;
	}
	if (!fmt || vdp_vsiid_parse(fmt, val, key->id)) {
		fprintf(stderr,
			"evbctl %s: name one VSI with 'uuid UUID' or 'vsiid FORMAT:VALUE' (FORMAT "
			"ipv4, ipv6, mac, local or uuid).\n",
			what);
		return -1;
	}
	key->fmt = fmt;
	return 0;
}

int fleet_where(struct writer *w, int argc, char **argv, const char *what)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	static struct fleet_ctx k;
	struct vdp_vsi_key key;
	struct ipc_msg m;

	if (fleet_parse_vsi(argc, argv, &key, what))
		return EVBCTL_USAGE;
	k = (struct fleet_ctx){.w = w};
	ipc_req(&m, buf, EVB_MSG_FLEET_GET, NLM_F_DUMP, 0);
	ipc_put_u8(&m, EVB_A_VSIID_FMT, key.fmt);
	ipc_put(&m, EVB_A_VSIID, VDP_VSIID_LEN, key.id);
	if (writer_format(w) == WRITER_JSON)
		writer_begin_list(w, NULL);
	int rc = fleet_exchange(&k, m.nlh, what);
	if (writer_format(w) == WRITER_JSON)
		writer_end_list(w);
	if (!rc && !k.shown) {
		fprintf(stderr, "evbctl %s: no switch of the fleet holds that VSI.\n", what);
		return EVBCTL_FAIL;
	}
	return rc;
}

static int fleet_list(struct writer *w)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	static struct fleet_ctx k;

	k = (struct fleet_ctx){.w = w};
	if (writer_format(w) == WRITER_JSON)
		writer_begin_list(w, NULL);
	int rc = fleet_exchange(&k, ipc_req_start(buf, EVB_MSG_FLEET_GET, NLM_F_DUMP, 0),
				"fleet vsi list");
	if (writer_format(w) == WRITER_JSON)
		writer_end_list(w);
	return rc;
}

static int fleet_status(struct writer *w)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	static struct fleet_ctx k;

	k = (struct fleet_ctx){.w = w};
	int rc = fleet_exchange(&k, ipc_req_start(buf, EVB_MSG_FLEET_STATUS, 0, 0), "fleet status");
	if (rc)
		return rc;
	if (writer_format(w) != WRITER_JSON) {
		fputs(k.text, stdout);
		return EVBCTL_OK;
	}
	writer_begin_object(w, NULL);
	for (char *save = NULL, *l = strtok_r(k.text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *colon = strstr(l, ": ");
		if (!colon)
			continue;
		*colon = 0;
		writer_str(w, l, colon + 2);
	}
	writer_end_object(w);
	return EVBCTL_OK;
}

static int run_fleet(struct writer *w, int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "vsi") && !strcmp(argv[2], "list") && argc == 3)
		return fleet_list(w);
	if (argc >= 2 && !strcmp(argv[1], "where"))
		return fleet_where(w, argc - 2, argv + 2, "fleet where");
	if (argc == 2 && !strcmp(argv[1], "status"))
		return fleet_status(w);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return EVBCTL_HELP;
	fprintf(stderr, "evbctl fleet: expected 'vsi list', 'where (uuid UUID | vsiid "
			"FORMAT:VALUE)' or 'status'. Try 'evbctl help fleet'.\n");
	return EVBCTL_USAGE;
}

const struct evbctl_cmd fleet_cmd = {
    .name = "fleet",
    .synopsis = "vsi list | where (uuid UUID | vsiid FORMAT:VALUE) | status",
    .summary = "the VSIs of every switch of the fleet (etcd), and this switch's link to it",
    .help = "  vsi list   every VSI of the fleet: VSIID, switch, port, state, type, first filter\n"
	    "  where      the switches and ports holding one VSI (also 'evbctl vsi where')\n"
	    "  status     this switch's name, etcd endpoint, lease, what is published or\n"
	    "             waiting, migrations handed over\n"
	    "\n"
	    "evbd answers from its watch on etcd; it needs a [cluster] section (docs/fleet.md).\n",
    .run = run_fleet,
};
