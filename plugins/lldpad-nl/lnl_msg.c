/* SPDX-License-Identifier: ISC */
/*
 * lnl_msg.c - the rtnetlink messages of the libvirt <-> lldpad contract (see
 * lnl_msg.h): strict parsing (every attribute's length checked, nothing
 * after the last attribute, duplicates refused, NLA_F_NESTED ignored) and
 * the three answers, built with libmnl.
 */
#include "lnl_msg.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <string.h>

/* ---------------- walking ---------------- */

int lnl_next(const void *buf, size_t len, size_t *off, const struct nlmsghdr **msg)
{
	*msg = NULL;
	if (*off >= len)
		return 0;
	size_t rem = len - *off;
	if (rem < NLMSG_HDRLEN)
		return -EINVAL; /* not even a header: nothing to answer */
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((const uint8_t *)buf + *off);
	*msg = nlh;
	if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > rem)
		return -EINVAL;
	size_t step = NLMSG_ALIGN(nlh->nlmsg_len);
	*off += step < rem ? step : rem;
	return 1;
}

typedef int (*attr_cb)(const struct nlattr *a, void *data);

/* Visit every attribute in [p, p + len); they must fill it exactly (the
 * last one may lack its padding). */
static int walk(const void *p, size_t len, attr_cb cb, void *data, const char **what)
{
	const struct nlattr *a = p;
	int rem = (int)len;

	while (rem > 0) {
		if (!mnl_attr_ok(a, rem)) {
			*what = "an attribute is truncated or its length is wrong";
			return -EINVAL;
		}
		int rc = cb(a, data);
		if (rc)
			return rc;
		rem -= (int)MNL_ALIGN(a->nla_len);
		a = mnl_attr_next(a);
	}
	return 0;
}

static int walk_nested(const struct nlattr *n, attr_cb cb, void *data, const char **what)
{
	return walk(mnl_attr_get_payload(n), mnl_attr_get_payload_len(n), cb, data, what);
}

static uint32_t get_u32(const struct nlattr *a, size_t off)
{
	uint32_t v;
	memcpy(&v, (const uint8_t *)mnl_attr_get_payload(a) + off, sizeof(v));
	return v;
}

/* An interface name: 1..15 characters and a NUL inside the payload. */
static bool get_ifname(const struct nlattr *a, char out[IF_NAMESIZE])
{
	const char *s = mnl_attr_get_payload(a);
	size_t n = mnl_attr_get_payload_len(a);
	size_t l = strnlen(s, n);
	if (l == n || l == 0 || l >= IF_NAMESIZE)
		return false;
	memcpy(out, s, l + 1);
	return true;
}

/* ---------------- RTM_SETLINK ---------------- */

struct sl_parse {
	struct lnl_setlink *s;
	const char **what;
	const struct nlattr *top[LNL_IFLA_VF_PORTS + 1];
	const struct nlattr *port[LNL_IFLA_PORT_RESPONSE + 1];
	const struct nlattr *vf[LNL_IFLA_VF_VLAN + 1];
	unsigned nports;
};

static int fail(struct sl_parse *ps, const char *what)
{
	*ps->what = what;
	return -EINVAL;
}

/* Attribute with an exact payload length (0 = any). */
static bool len_is(const struct nlattr *a, size_t want)
{
	return !want || mnl_attr_get_payload_len(a) == want;
}

static int top_cb(const struct nlattr *a, void *data)
{
	struct sl_parse *ps = data;
	uint16_t t = mnl_attr_get_type(a);
	if (t != LNL_IFLA_IFNAME && t != LNL_IFLA_VFINFO_LIST && t != LNL_IFLA_VF_PORTS)
		return 0; /* not ours (e.g. IFLA_EXT_MASK): ignored, as the kernel does */
	if (ps->top[t])
		return fail(ps, "an attribute (IFLA_IFNAME, IFLA_VFINFO_LIST or IFLA_VF_PORTS) is "
				"given twice");
	ps->top[t] = a;
	return 0;
}

static int vf_cb(const struct nlattr *a, void *data)
{
	struct sl_parse *ps = data;
	uint16_t t = mnl_attr_get_type(a);
	if (t != LNL_IFLA_VF_MAC && t != LNL_IFLA_VF_VLAN)
		return 0; /* other VF settings (rate, spoof check, ...): not for VDP */
	if (ps->vf[t])
		return fail(ps, "an IFLA_VF_INFO has two IFLA_VF_MAC or two IFLA_VF_VLAN");
	if (!len_is(a, t == LNL_IFLA_VF_MAC ? LNL_VF_MAC_LEN : LNL_VF_VLAN_LEN))
		return fail(ps, t == LNL_IFLA_VF_MAC ? "IFLA_VF_MAC is not 36 octets"
						     : "IFLA_VF_VLAN is not 12 octets");
	ps->vf[t] = a;
	return 0;
}

static int vfinfo_cb(const struct nlattr *a, void *data)
{
	struct sl_parse *ps = data;
	struct lnl_setlink *s = ps->s;
	if (mnl_attr_get_type(a) != LNL_IFLA_VF_INFO)
		return fail(ps, "IFLA_VFINFO_LIST holds something else than IFLA_VF_INFO");
	if (s->nfilters == LNL_MAX_FILTERS)
		return fail(ps, "IFLA_VFINFO_LIST has more than 64 entries");
	memset(ps->vf, 0, sizeof(ps->vf));
	int rc = walk_nested(a, vf_cb, ps, ps->what);
	if (rc)
		return rc;
	if (!ps->vf[LNL_IFLA_VF_VLAN])
		return fail(ps, "an IFLA_VF_INFO has no IFLA_VF_VLAN");
	struct lnl_filter *f = &s->f[s->nfilters++];
	memset(f, 0, sizeof(*f));
	if (ps->vf[LNL_IFLA_VF_MAC]) {
		memcpy(f->mac, (const uint8_t *)mnl_attr_get_payload(ps->vf[LNL_IFLA_VF_MAC]) + 4,
		       6);
		f->has_mac = true;
	}
	f->vlan = get_u32(ps->vf[LNL_IFLA_VF_VLAN], 4);
	f->qos = get_u32(ps->vf[LNL_IFLA_VF_VLAN], 8);
	return 0;
}

static const uint8_t port_len[LNL_IFLA_PORT_RESPONSE + 1] = {
    [LNL_IFLA_PORT_VF] = 4,
    [LNL_IFLA_PORT_VSI_TYPE] = LNL_PORT_VSI_LEN,
    [LNL_IFLA_PORT_INSTANCE_UUID] = 16,
    [LNL_IFLA_PORT_HOST_UUID] = 16,
    [LNL_IFLA_PORT_REQUEST] = 1,
    [LNL_IFLA_PORT_RESPONSE] = 2,
};

static int port_attr_cb(const struct nlattr *a, void *data)
{
	struct sl_parse *ps = data;
	uint16_t t = mnl_attr_get_type(a);
	if (t == 0 || t > LNL_IFLA_PORT_RESPONSE)
		return 0;
	if (ps->port[t])
		return fail(ps, "an IFLA_VF_PORT attribute is given twice");
	if (t == LNL_IFLA_PORT_PROFILE) {
		size_t n = mnl_attr_get_payload_len(a);
		if (!n || n > LNL_PORT_PROFILE_MAX || strnlen(mnl_attr_get_payload(a), n) == n)
			return fail(ps, "IFLA_PORT_PROFILE is not a string of at most 39 "
					"characters");
	} else if (!len_is(a, port_len[t])) {
		return fail(ps, "an IFLA_VF_PORT attribute (VF, VSI_TYPE, INSTANCE_UUID, "
				"HOST_UUID, REQUEST or RESPONSE) has the wrong length");
	}
	ps->port[t] = a;
	return 0;
}

static int ports_cb(const struct nlattr *a, void *data)
{
	struct sl_parse *ps = data;
	if (mnl_attr_get_type(a) != LNL_IFLA_VF_PORT)
		return 0; /* lldpad skips these too */
	if (ps->nports++)
		return fail(ps, "IFLA_VF_PORTS holds more than one IFLA_VF_PORT");
	return walk_nested(a, port_attr_cb, ps, ps->what);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int port_fields(struct sl_parse *ps)
{
	struct lnl_setlink *s = ps->s;
	const struct nlattr *const *pt = ps->port;
	if (!ps->nports)
		return fail(ps, "IFLA_VF_PORTS holds no IFLA_VF_PORT");
	if (pt[LNL_IFLA_PORT_VF] && get_u32(pt[LNL_IFLA_PORT_VF], 0) != LNL_PORT_SELF_VF)
		return fail(ps, "IFLA_PORT_VF names a virtual function; only the port itself "
				"(PORT_SELF_VF) has VSIs here");
	if (!pt[LNL_IFLA_PORT_INSTANCE_UUID] || !pt[LNL_IFLA_PORT_REQUEST])
		return fail(ps, "IFLA_VF_PORT lacks IFLA_PORT_INSTANCE_UUID or IFLA_PORT_REQUEST");
	s->request = mnl_attr_get_u8(pt[LNL_IFLA_PORT_REQUEST]);
	if (s->request > LNL_REQ_DISASSOCIATE)
		return fail(ps, "IFLA_PORT_REQUEST is not 0 (preassociate), 1 (preassociate-rr), "
				"2 (associate) or 3 (disassociate)");
	memcpy(s->uuid, mnl_attr_get_payload(pt[LNL_IFLA_PORT_INSTANCE_UUID]), 16);
	if (all_zero(s->uuid, 16))
		return fail(ps, "IFLA_PORT_INSTANCE_UUID is all zero");
	const struct nlattr *vt = pt[LNL_IFLA_PORT_VSI_TYPE];
	if (vt) {
		const uint8_t *b = mnl_attr_get_payload(vt);
		s->has_vsi_type = true;
		s->mgrid = b[0];
		s->type_id = (uint32_t)b[3] << 16 | (uint32_t)b[2] << 8 | b[1]; /* LSB first */
		s->type_ver = b[4];
	} else if (s->request != LNL_REQ_DISASSOCIATE) {
		return fail(ps, "IFLA_VF_PORT lacks IFLA_PORT_VSI_TYPE");
	}
	return 0;
}

int lnl_parse_setlink(const struct nlmsghdr *nlh, struct lnl_setlink *s, const char **what)
{
	struct sl_parse ps = {.s = s, .what = what};
	memset(s, 0, sizeof(*s));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct ifinfomsg)) {
		*what = "the message is shorter than its ifinfomsg";
		return -EINVAL;
	}
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	s->ifindex = ifi->ifi_index;
	size_t off = MNL_ALIGN(sizeof(struct ifinfomsg));
	int rc = walk((const uint8_t *)ifi + off, nlh->nlmsg_len - NLMSG_HDRLEN - off, top_cb, &ps,
		      what);
	if (rc)
		return rc;
	if (ps.top[LNL_IFLA_IFNAME] && !get_ifname(ps.top[LNL_IFLA_IFNAME], s->ifname))
		return fail(&ps, "IFLA_IFNAME is not an interface name (1 to 15 characters and a "
				 "NUL)");
	if (!ps.top[LNL_IFLA_VF_PORTS])
		return fail(&ps, "the request has no IFLA_VF_PORTS");
	if (ps.top[LNL_IFLA_VFINFO_LIST]) {
		s->has_vfinfo = true;
		if ((rc = walk_nested(ps.top[LNL_IFLA_VFINFO_LIST], vfinfo_cb, &ps, what)))
			return rc;
	}
	if ((rc = walk_nested(ps.top[LNL_IFLA_VF_PORTS], ports_cb, &ps, what)))
		return rc;
	if ((rc = port_fields(&ps)))
		return rc;
	if (s->request != LNL_REQ_DISASSOCIATE && !s->nfilters)
		return fail(&ps, "the request has no IFLA_VFINFO_LIST entry (MAC and VLAN)");
	if (!s->ifname[0] && s->ifindex <= 0)
		return fail(&ps, "the request names no interface (no IFLA_IFNAME, no index)");
	return 0;
}

/* ---------------- RTM_GETLINK ---------------- */

struct gl_parse {
	const struct nlattr *ifname;
	const char **what;
};

static int gl_cb(const struct nlattr *a, void *data)
{
	struct gl_parse *ps = data;
	if (mnl_attr_get_type(a) != LNL_IFLA_IFNAME)
		return 0; /* IFLA_EXT_MASK and others */
	if (ps->ifname) {
		*ps->what = "IFLA_IFNAME is given twice";
		return -EINVAL;
	}
	ps->ifname = a;
	return 0;
}

int lnl_parse_getlink(const struct nlmsghdr *nlh, struct lnl_getlink *g, const char **what)
{
	struct gl_parse ps = {.what = what};
	memset(g, 0, sizeof(*g));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct ifinfomsg)) {
		*what = "the message is shorter than its ifinfomsg";
		return -EINVAL;
	}
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	g->ifindex = ifi->ifi_index;
	size_t off = MNL_ALIGN(sizeof(struct ifinfomsg));
	int rc =
	    walk((const uint8_t *)ifi + off, nlh->nlmsg_len - NLMSG_HDRLEN - off, gl_cb, &ps, what);
	if (rc)
		return rc;
	if (ps.ifname && !get_ifname(ps.ifname, g->ifname)) {
		*what = "IFLA_IFNAME is not an interface name (1 to 15 characters and a NUL)";
		return -EINVAL;
	}
	if (!g->ifname[0] && g->ifindex <= 0) {
		*what = "the request names no interface (no IFLA_IFNAME, no index)";
		return -EINVAL;
	}
	return 0;
}

/* ---------------- mapping ---------------- */

int lnl_to_request(const struct lnl_setlink *s, struct evbd_vsi_request *r,
		   struct evbd_vsi_filter *filt, const char **what)
{
	memset(r, 0, sizeof(*r));
	r->command = (uint8_t)(s->request + 1);
	r->key.format = EVBD_VSIID_UUID;
	memcpy(r->key.id, s->uuid, EVBD_VSIID_LEN);
	r->mgrid[0] = s->mgrid;
	r->type_id = s->type_id;
	r->type_version = s->type_ver;
	if (!s->nfilters)
		return 0; /* De-Associate without IFLA_VFINFO_LIST */
	r->filter_format = s->f[0].has_mac ? EVBD_FIF_MACVID : EVBD_FIF_VID;
	for (uint16_t i = 0; i < s->nfilters; i++) {
		const struct lnl_filter *f = &s->f[i];
		if (f->has_mac != s->f[0].has_mac) {
			*what = "some IFLA_VF_INFO entries have a MAC and some do not";
			return -EINVAL;
		}
		if (f->vlan > EVBD_PSPCPVID_VID || f->qos > 0xf) {
			*what = "IFLA_VF_VLAN has a VLAN ID above 4095 or a qos above 15";
			return -EINVAL;
		}
		memset(&filt[i], 0, sizeof(filt[i]));
		memcpy(filt[i].mac, f->mac, 6);
		filt[i].vid = (uint16_t)f->vlan;
		filt[i].ps = (f->qos & 0x8) != 0;
		filt[i].pcp = (uint8_t)(f->qos & 0x7);
	}
	r->nfilters = s->nfilters;
	r->filters = filt;
	return 0;
}

static int fail_response(uint8_t status, uint8_t reason)
{
	int r = (status & (EVBD_VDP_STATUS_KEEP | EVBD_VDP_STATUS_HARD)) |
		(reason & EVBD_VDP_STATUS_REASON);
	return r ? r : LNL_RESP_ERROR;
}

int lnl_response(uint8_t cmd, uint8_t result, uint8_t status, uint8_t reason, bool removed)
{
	if (cmd == EVBD_VDP_DEASSOC) {
		if (result == EVBD_VSI_DEASSOCIATED && !reason)
			return 0;
		if (!removed && result != EVBD_VSI_FAILED)
			return LNL_RESP_NONE; /* still pending, or the old state shown */
		return fail_response(status, reason);
	}
	if (result == EVBD_VSI_PENDING)
		return removed ? fail_response(status, reason) : LNL_RESP_NONE;
	bool asked = (cmd == EVBD_VDP_PREASSOC && result == EVBD_VSI_PREASSOCIATED) ||
		     (cmd == EVBD_VDP_PREASSOC_RR && result == EVBD_VSI_PREASSOCIATED_RR) ||
		     (cmd == EVBD_VDP_ASSOC && result == EVBD_VSI_ASSOCIATED);
	if (asked && !reason && !removed)
		return 0;
	return fail_response(status, reason);
}

/* ---------------- builders ---------------- */

size_t lnl_build_error(void *buf, size_t cap, const struct nlmsghdr *req, int err)
{
	if (cap < LNL_ERROR_MSG_LEN)
		return 0;
	memset(buf, 0, LNL_ERROR_MSG_LEN);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	memcpy(&e->msg, req, sizeof(*req));
	return nlh->nlmsg_len;
}

size_t lnl_reply_size(size_t n)
{
	return LNL_REPLY_HDR_LEN + n * LNL_VF_PORT_LEN;
}

size_t lnl_build_reply(void *buf, size_t cap, const struct nlmsghdr *req, int ifindex,
		       const struct lnl_entry *e, size_t n)
{
	if (n > LNL_MAX_ENTRIES || cap < lnl_reply_size(n))
		return 0;
	memset(buf, 0, lnl_reply_size(n));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	struct nlattr *ports = mnl_attr_nest_start(nlh, LNL_IFLA_VF_PORTS);
	for (size_t i = 0; i < n; i++) {
		struct nlattr *port = mnl_attr_nest_start(nlh, LNL_IFLA_VF_PORT);
		mnl_attr_put(nlh, LNL_IFLA_PORT_INSTANCE_UUID, LNL_PORT_UUID_MAX, e[i].uuid);
		mnl_attr_put_u32(nlh, LNL_IFLA_PORT_VF, LNL_PORT_SELF_VF);
		if (e[i].response != LNL_RESP_NONE)
			mnl_attr_put_u16(nlh, LNL_IFLA_PORT_RESPONSE, (uint16_t)e[i].response);
		mnl_attr_nest_end(nlh, port);
	}
	mnl_attr_nest_end(nlh, ports);
	return nlh->nlmsg_len;
}

size_t lnl_notify_size(size_t nfilters)
{
	/* header, ifinfomsg, IFNAME (<= 16 + 4), VFINFO_LIST, per filter VF_INFO
	 * + MAC + VLAN, VF_PORTS + VF_PORT + VSI_TYPE + UUID + VF + REQUEST */
	return NLMSG_HDRLEN + 16 + 20 + 4 + nfilters * (4 + 40 + 16) + 8 + 12 + 20 + 8 + 8;
}

static void put_vfinfo(struct nlmsghdr *nlh, const struct lnl_filter *f)
{
	uint8_t mac[LNL_VF_MAC_LEN] = {0};
	uint32_t vlan[3] = {LNL_PORT_SELF_VF, f->vlan, f->qos};
	uint32_t vf = LNL_PORT_SELF_VF;
	memcpy(mac, &vf, 4);
	memcpy(mac + 4, f->mac, 6);
	struct nlattr *info = mnl_attr_nest_start(nlh, LNL_IFLA_VF_INFO);
	mnl_attr_put(nlh, LNL_IFLA_VF_MAC, sizeof(mac), mac);
	mnl_attr_put(nlh, LNL_IFLA_VF_VLAN, sizeof(vlan), vlan);
	mnl_attr_nest_end(nlh, info);
}

size_t lnl_build_notify(void *buf, size_t cap, const struct lnl_notify *n)
{
	size_t need = lnl_notify_size(n->nfilters);
	if (cap < need || strlen(n->ifname) >= IF_NAMESIZE)
		return 0;
	memset(buf, 0, need);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_SETLINK;
	nlh->nlmsg_seq = n->seq;
	nlh->nlmsg_pid = n->pid;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = n->ifindex;
	mnl_attr_put_strz(nlh, LNL_IFLA_IFNAME, n->ifname);
	struct nlattr *list = mnl_attr_nest_start(nlh, LNL_IFLA_VFINFO_LIST);
	for (uint16_t i = 0; i < n->nfilters; i++)
		put_vfinfo(nlh, &n->f[i]);
	mnl_attr_nest_end(nlh, list);
	uint8_t vsi[LNL_PORT_VSI_LEN] = {n->mgrid, (uint8_t)n->type_id, (uint8_t)(n->type_id >> 8),
					 (uint8_t)(n->type_id >> 16), n->type_ver};
	struct nlattr *ports = mnl_attr_nest_start(nlh, LNL_IFLA_VF_PORTS);
	struct nlattr *port = mnl_attr_nest_start(nlh, LNL_IFLA_VF_PORT);
	mnl_attr_put(nlh, LNL_IFLA_PORT_VSI_TYPE, sizeof(vsi), vsi);
	mnl_attr_put(nlh, LNL_IFLA_PORT_INSTANCE_UUID, LNL_PORT_UUID_MAX, n->uuid);
	mnl_attr_put_u32(nlh, LNL_IFLA_PORT_VF, LNL_PORT_SELF_VF);
	mnl_attr_put_u8(nlh, LNL_IFLA_PORT_REQUEST, n->request);
	mnl_attr_nest_end(nlh, port);
	mnl_attr_nest_end(nlh, ports);
	return nlh->nlmsg_len;
}

/* ---------------- link watch ---------------- */

struct le_parse {
	struct lnl_link_event *ev;
	const char **what;
};

static int kind_cb(const struct nlattr *a, void *data)
{
	struct le_parse *ps = data;
	if (mnl_attr_get_type(a) != LNL_IFLA_INFO_KIND)
		return 0;
	size_t n = mnl_attr_get_payload_len(a);
	const char *k = mnl_attr_get_payload(a);
	if (!n || n > sizeof(ps->ev->kind) || k[n - 1]) {
		*ps->what = "IFLA_INFO_KIND is not a short NUL-terminated string";
		return -EINVAL;
	}
	memcpy(ps->ev->kind, k, n);
	return 0;
}

static int le_cb(const struct nlattr *a, void *data)
{
	struct le_parse *ps = data;
	switch (mnl_attr_get_type(a)) {
	case LNL_IFLA_IFNAME:
		if (!get_ifname(a, ps->ev->ifname)) {
			*ps->what = "IFLA_IFNAME is not an interface name";
			return -EINVAL;
		}
		break;
	case LNL_IFLA_LINK:
		if (mnl_attr_get_payload_len(a) != 4) {
			*ps->what = "IFLA_LINK is not 4 octets";
			return -EINVAL;
		}
		ps->ev->link = (int32_t)get_u32(a, 0);
		break;
	case LNL_IFLA_LINKINFO:
		return walk_nested(a, kind_cb, ps, ps->what);
	}
	return 0;
}

int lnl_parse_link_event(const struct nlmsghdr *nlh, struct lnl_link_event *ev, const char **what)
{
	struct le_parse ps = {.ev = ev, .what = what};
	memset(ev, 0, sizeof(*ev));
	*what = "";
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) {
		*what = "not a link event";
		return -EINVAL;
	}
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct ifinfomsg)) {
		*what = "the message is shorter than its ifinfomsg";
		return -EINVAL;
	}
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	ev->removed = nlh->nlmsg_type == RTM_DELLINK;
	ev->ifindex = ifi->ifi_index;
	size_t off = MNL_ALIGN(sizeof(struct ifinfomsg));
	return walk((const uint8_t *)ifi + off, nlh->nlmsg_len - NLMSG_HDRLEN - off, le_cb, &ps,
		    what);
}

static void watch_drop(struct lnl_watch *w, unsigned i)
{
	w->e[i] = w->e[--w->n];
}

void lnl_watch_add(struct lnl_watch *w, const struct lnl_link_event *ev, uint64_t now)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->e[i].ifindex == ev->ifindex)
			return;	     /* a change of a device already watched */
	if (w->n == LNL_WATCH_MAX) { /* full: the oldest gives way */
		unsigned old = 0;
		for (unsigned i = 1; i < w->n; i++)
			if (w->e[i].at < w->e[old].at)
				old = i;
		watch_drop(w, old);
	}
	struct lnl_watched *e = &w->e[w->n++];
	e->ifindex = ev->ifindex;
	e->lower = ev->link;
	memcpy(e->ifname, ev->ifname, sizeof(e->ifname));
	e->at = now;
}

void lnl_watch_request(struct lnl_watch *w, int32_t lower)
{
	unsigned i = 0;
	while (i < w->n)
		if (w->e[i].lower == lower)
			watch_drop(w, i);
		else
			i++;
}

bool lnl_watch_gone(struct lnl_watch *w, int32_t ifindex, uint64_t now, struct lnl_watched *gone)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->e[i].ifindex == ifindex) {
			*gone = w->e[i];
			watch_drop(w, i);
			return now - gone->at < LNL_WATCH_US;
		}
	return false;
}
