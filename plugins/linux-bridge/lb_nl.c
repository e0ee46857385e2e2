/* SPDX-License-Identifier: ISC */
/*
 * lb_nl.c - the linux-bridge plugin's rtnetlink requests (libmnl), each
 * sent and answered synchronously on one NETLINK_ROUTE socket: the kernel
 * answers these at once, so the caller's event loop is not held up.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lb_nl.h"

#define LB_NL_BUF	(MNL_SOCKET_BUFFER_SIZE * 2)
#define LB_MAX_MACVLANS 256

static struct mnl_socket *nl_open_one(int *err)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0)
		return nl;
	*err = -errno;
	if (nl)
		mnl_socket_close(nl);
	return NULL;
}

/* The kernel gives a process's first netlink socket the port id = pid, which
 * the lldpad-nl plugin needs (libvirt sends there): never keep that one. */
int lb_nl_open(struct lb_nl *n)
{
	int err = 0;
	n->nl = nl_open_one(&err);
	if (n->nl && mnl_socket_get_portid(n->nl) == (unsigned)getpid()) {
		struct mnl_socket *other = nl_open_one(&err);
		mnl_socket_close(n->nl);
		n->nl = other;
	}
	if (!n->nl)
		return err;
	n->portid = mnl_socket_get_portid(n->nl);
	n->seq = 1;
	return 0;
}

void lb_nl_close(struct lb_nl *n)
{
	if (n->nl)
		mnl_socket_close(n->nl);
	n->nl = NULL;
}

/* Send nlh and run the answers through cb (NULL: an ACK) until done. */
static int nl_talk(struct lb_nl *n, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[LB_NL_BUF];
	nlh->nlmsg_seq = ++n->seq;
	if (!cb)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	int ret;
	do {
		ssize_t len = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		ret = mnl_cb_run(buf, (size_t)len, n->seq, n->portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

static struct nlmsghdr *msg_new(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static struct ifinfomsg *ifi_put(struct nlmsghdr *nlh, unsigned char family, int ifindex)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = family;
	ifi->ifi_index = ifindex;
	return ifi;
}

int lb_nl_vlan(struct lb_nl *n, int ifindex, uint16_t vid, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, add ? RTM_SETLINK : RTM_DELLINK, 0);
	ifi_put(nlh, AF_BRIDGE, ifindex);
	struct nlattr *spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	struct bridge_vlan_info vi = {.flags = 0, .vid = vid};
	mnl_attr_put(nlh, IFLA_BRIDGE_VLAN_INFO, sizeof(vi), &vi);
	mnl_attr_nest_end(nlh, spec);
	return nl_talk(n, nlh, NULL, NULL);
}

static int fdb_msg(struct lb_nl *n, uint16_t type, uint16_t flags, int ifindex,
		   const uint8_t mac[6], uint16_t vid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, type, flags);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_BRIDGE;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = NUD_NOARP; /* "static" */
	nd->ndm_flags = NTF_MASTER;
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	if (vid)
		mnl_attr_put_u16(nlh, NDA_VLAN, vid);
	return nl_talk(n, nlh, NULL, NULL);
}

int lb_nl_fdb(struct lb_nl *n, int ifindex, const uint8_t mac[6], uint16_t vid, bool add)
{
	return fdb_msg(n, add ? RTM_NEWNEIGH : RTM_DELNEIGH, add ? NLM_F_CREATE | NLM_F_EXCL : 0,
		       ifindex, mac, vid);
}

int lb_nl_fdb_replace(struct lb_nl *n, int ifindex, const uint8_t mac[6], uint16_t vid)
{
	return fdb_msg(n, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, ifindex, mac, vid);
}

/* A learned entry: neither static (NUD_NOARP) nor permanent (local). */
static bool nud_dynamic(uint16_t state)
{
	return !(state & (NUD_NOARP | NUD_PERMANENT));
}

struct fdb_q {
	bool found;
	int port;
	bool dynamic;
};

static int on_fdb_q(const struct nlmsghdr *nlh, void *data)
{
	struct fdb_q *q = data;
	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ndmsg))
		return MNL_CB_OK;
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	q->found = true;
	q->port = nd->ndm_ifindex;
	q->dynamic = nud_dynamic(nd->ndm_state);
	return MNL_CB_OK;
}

int lb_nl_fdb_get(struct lb_nl *n, int ifindex, const uint8_t mac[6], uint16_t vid, int *port,
		  bool *dynamic)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, RTM_GETNEIGH, NLM_F_ACK);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_BRIDGE;
	nd->ndm_ifindex = ifindex;
	nd->ndm_flags = NTF_MASTER;
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	if (vid)
		mnl_attr_put_u16(nlh, NDA_VLAN, vid);
	struct fdb_q q = {0};
	int err = nl_talk(n, nlh, on_fdb_q, &q);
	if (err)
		return err;
	if (!q.found)
		return -ENOENT;
	*port = q.port;
	*dynamic = q.dynamic;
	return 0;
}

/* The dynamic entries of one port, collected by a dump (at most
 * LB_FLUSH_MAX per pass: the caller dumps again while it fills up). */
#define LB_FLUSH_MAX	1024
#define LB_FLUSH_PASSES 64
struct flush_dump {
	int ifindex;
	unsigned n;
	uint8_t mac[LB_FLUSH_MAX][6];
	uint16_t vid[LB_FLUSH_MAX];
};

static int on_flush_fdb(const struct nlmsghdr *nlh, void *data)
{
	struct flush_dump *fd = data;
	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ndmsg))
		return MNL_CB_OK;
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	if (nd->ndm_ifindex != fd->ifindex || !nud_dynamic(nd->ndm_state) || fd->n == LB_FLUSH_MAX)
		return MNL_CB_OK;
	const struct nlattr *a;
	bool mac = false, master = false;
	uint16_t vid = 0;
	mnl_attr_for_each(a, nlh, sizeof(*nd))
	{
		if (mnl_attr_get_type(a) == NDA_LLADDR && mnl_attr_get_payload_len(a) == 6) {
			memcpy(fd->mac[fd->n], mnl_attr_get_payload(a), 6);
			mac = true;
		} else if (mnl_attr_get_type(a) == NDA_VLAN &&
			   mnl_attr_validate(a, MNL_TYPE_U16) == 0) {
			vid = mnl_attr_get_u16(a);
		} else if (mnl_attr_get_type(a) == NDA_MASTER) {
			master = true;
		}
	}
	if (mac && master)
		fd->vid[fd->n++] = vid;
	return MNL_CB_OK;
}

int lb_nl_fdb_flush_dynamic(struct lb_nl *n, int ifindex, unsigned *removed)
{
	struct flush_dump *fd = calloc(1, sizeof(*fd));
	int err = fd ? 0 : -ENOMEM;
	*removed = 0;
	for (unsigned pass = 0; !err && pass < LB_FLUSH_PASSES; pass++) {
		char buf[MNL_SOCKET_BUFFER_SIZE];
		struct nlmsghdr *nlh = msg_new(buf, RTM_GETNEIGH, NLM_F_DUMP);
		struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
		nd->ndm_family = AF_BRIDGE;
		fd->ifindex = ifindex;
		fd->n = 0;
		err = nl_talk(n, nlh, on_flush_fdb, fd);
		for (unsigned i = 0; !err && i < fd->n; i++) {
			int e = fdb_msg(n, RTM_DELNEIGH, 0, ifindex, fd->mac[i], fd->vid[i]);
			if (e && e != -ENOENT)
				err = e;
			else if (!e)
				(*removed)++;
		}
		if (fd->n < LB_FLUSH_MAX)
			break;
	}
	free(fd);
	return err;
}

int lb_nl_hairpin(struct lb_nl *n, int ifindex, bool on)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, RTM_SETLINK, 0);
	ifi_put(nlh, AF_BRIDGE, ifindex);
	struct nlattr *pi = mnl_attr_nest_start(nlh, IFLA_PROTINFO);
	mnl_attr_put_u8(nlh, IFLA_BRPORT_MODE, on ? BRIDGE_MODE_HAIRPIN : BRIDGE_MODE_VEB);
	mnl_attr_nest_end(nlh, pi);
	return nl_talk(n, nlh, NULL, NULL);
}

int lb_nl_brport_set(struct lb_nl *n, int ifindex, const struct lb_brport *bp)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, RTM_SETLINK, 0);
	ifi_put(nlh, AF_BRIDGE, ifindex);
	struct nlattr *pi = mnl_attr_nest_start(nlh, IFLA_PROTINFO);
	if (bp->learning >= 0)
		mnl_attr_put_u8(nlh, IFLA_BRPORT_LEARNING, (uint8_t)bp->learning);
	if (bp->flood >= 0)
		mnl_attr_put_u8(nlh, IFLA_BRPORT_UNICAST_FLOOD, (uint8_t)bp->flood);
	if (bp->locked >= 0)
		mnl_attr_put_u8(nlh, IFLA_BRPORT_LOCKED, (uint8_t)bp->locked);
	mnl_attr_nest_end(nlh, pi);
	return nl_talk(n, nlh, NULL, NULL);
}

/* ---------------- one link ---------------- */

/* What one RTM_GETLINK answer says of a link; -1: not said. */
struct link_q {
	int ifindex;
	bool bad;	 /* malformed */
	int master;	 /* IFLA_MASTER */
	bool bridge;	 /* IFLA_INFO_KIND "bridge" */
	int vf;		 /* IFLA_BR_VLAN_FILTERING */
	bool vlan_proto; /* IFLA_BR_VLAN_PROTOCOL: the kernel can filter VLANs */
	bool brport;	 /* IFLA_INFO_SLAVE_KIND "bridge" */
	struct lb_brport bp;
};

/* A u8 flag of a bridge port's attributes: 1 / 0, or -1 when malformed. */
static int brport_flag(const struct nlattr *a)
{
	return mnl_attr_validate(a, MNL_TYPE_U8) < 0 ? -1 : mnl_attr_get_u8(a) != 0;
}

/* The bridge port attributes of IFLA_INFO_SLAVE_DATA. */
static void link_q_port(struct link_q *q, const struct nlattr *data)
{
	const struct nlattr *a;
	mnl_attr_for_each_nested(a, data)
	{
		switch (mnl_attr_get_type(a)) {
		case IFLA_BRPORT_LOCKED:
			q->bp.locked = brport_flag(a);
			break;
		case IFLA_BRPORT_LEARNING:
			q->bp.learning = brport_flag(a);
			break;
		case IFLA_BRPORT_UNICAST_FLOOD:
			q->bp.flood = brport_flag(a);
			break;
		}
	}
}

/* The bridge attributes of IFLA_INFO_DATA. */
static void link_q_br(struct link_q *q, const struct nlattr *data)
{
	const struct nlattr *a;
	mnl_attr_for_each_nested(a, data)
	{
		if (mnl_attr_get_type(a) == IFLA_BR_VLAN_PROTOCOL)
			q->vlan_proto = true;
		if (mnl_attr_get_type(a) != IFLA_BR_VLAN_FILTERING)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
			q->bad = true;
		else
			q->vf = mnl_attr_get_u8(a) != 0;
	}
}

static void link_q_info(struct link_q *q, const struct nlattr *linkinfo)
{
	const struct nlattr *a, *data = NULL, *sdata = NULL;
	mnl_attr_for_each_nested(a, linkinfo)
	{
		if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
			q->bridge = mnl_attr_validate(a, MNL_TYPE_STRING) == 0 &&
				    !strcmp(mnl_attr_get_str(a), "bridge");
		else if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
			data = a;
		else if (mnl_attr_get_type(a) == IFLA_INFO_SLAVE_KIND)
			q->brport = mnl_attr_validate(a, MNL_TYPE_STRING) == 0 &&
				    !strcmp(mnl_attr_get_str(a), "bridge");
		else if (mnl_attr_get_type(a) == IFLA_INFO_SLAVE_DATA)
			sdata = a;
	}
	if (q->bridge && data)
		link_q_br(q, data);
	if (q->brport && sdata)
		link_q_port(q, sdata);
}

static int on_link_q(const struct nlmsghdr *nlh, void *data)
{
	struct link_q *q = data;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg)) {
		q->bad = true;
		return MNL_CB_OK;
	}
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_index != q->ifindex)
		return MNL_CB_OK;
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		if (mnl_attr_get_type(a) == IFLA_MASTER && mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			q->bad = true;
		else if (mnl_attr_get_type(a) == IFLA_MASTER)
			q->master = (int)mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == IFLA_LINKINFO)
			link_q_info(q, a);
	}
	return MNL_CB_OK;
}

/* RTM_GETLINK of one link: its answer, then the ACK (NLM_F_ACK) that ends
 * the exchange (a request without NLM_F_DUMP gets no NLMSG_DONE). */
static int link_query(struct lb_nl *n, int ifindex, struct link_q *q)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, RTM_GETLINK, NLM_F_ACK);
	ifi_put(nlh, AF_UNSPEC, ifindex);
	*q = (struct link_q){.ifindex = ifindex,
			     .master = -1,
			     .vf = -1,
			     .bp = {.locked = -1, .learning = -1, .flood = -1}};
	return nl_talk(n, nlh, on_link_q, q);
}

int lb_nl_vlan_filtering(struct lb_nl *n, int ifindex, int *bridge)
{
	struct link_q q;
	int err = link_query(n, ifindex, &q);
	if (err)
		return err;
	if (q.bad)
		return -EBADMSG;
	if (q.master <= 0)
		return -ENOENT;
	if ((err = link_query(n, q.master, &q)))
		return err;
	*bridge = q.ifindex;
	if (q.bad)
		return -EBADMSG;
	if (!q.bridge)
		return -ENOENT;
	if (q.vf < 0)
		return -ENODATA;
	return q.vf == 0 && !q.vlan_proto ? -EOPNOTSUPP : q.vf;
}

int lb_nl_brport_get(struct lb_nl *n, int ifindex, struct lb_brport *bp)
{
	struct link_q q;
	int err = link_query(n, ifindex, &q);
	if (err)
		return err;
	if (q.bad)
		return -EBADMSG;
	if (!q.brport)
		return -ENOENT;
	*bp = q.bp;
	return 0;
}

/* ---------------- dumps ---------------- */

struct vlan_dump {
	int ifindex;
	uint8_t *bits;
};

static int on_vlan_link(const struct nlmsghdr *nlh, void *data)
{
	struct vlan_dump *vd = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_index != vd->ifindex)
		return MNL_CB_OK;
	const struct nlattr *a, *b;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		if (mnl_attr_get_type(a) != IFLA_AF_SPEC)
			continue;
		mnl_attr_for_each_nested(b, a)
		{
			if (mnl_attr_get_type(b) != IFLA_BRIDGE_VLAN_INFO ||
			    mnl_attr_get_payload_len(b) < sizeof(struct bridge_vlan_info))
				continue;
			const struct bridge_vlan_info *vi = mnl_attr_get_payload(b);
			if (vi->vid < 4096)
				vd->bits[vi->vid / 8] |= (uint8_t)(1u << (vi->vid % 8));
		}
	}
	return MNL_CB_OK;
}

int lb_nl_port_vlans(struct lb_nl *n, int ifindex, uint8_t bits[512])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, RTM_GETLINK, NLM_F_DUMP);
	ifi_put(nlh, AF_BRIDGE, 0);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
	struct vlan_dump vd = {.ifindex = ifindex, .bits = bits};
	memset(bits, 0, 512);
	return nl_talk(n, nlh, on_vlan_link, &vd);
}

struct mv_dump {
	int lower;
	uint32_t want;
	unsigned n;
	int ifindex[LB_MAX_MACVLANS];
	char kind[LB_MAX_MACVLANS][8];
};

/* The kind of a link (IFLA_LINKINFO) and, for macvlan/macvtap, its mode. */
static const char *link_kind(const struct nlattr *linkinfo, uint32_t *mode)
{
	const struct nlattr *a, *b;
	const char *kind = "";
	mnl_attr_for_each_nested(a, linkinfo)
	{
		if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
		    mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
			kind = mnl_attr_get_str(a);
		if (mnl_attr_get_type(a) != IFLA_INFO_DATA)
			continue;
		mnl_attr_for_each_nested(b, a)
		{
			if (mnl_attr_get_type(b) == IFLA_MACVLAN_MODE &&
			    mnl_attr_get_payload_len(b) >= 4)
				*mode = mnl_attr_get_u32(b);
		}
	}
	return kind;
}

static int on_mv_link(const struct nlmsghdr *nlh, void *data)
{
	struct mv_dump *md = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	int link = 0;
	const char *kind = "";
	uint32_t mode = 0;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		if (mnl_attr_get_type(a) == IFLA_LINK && mnl_attr_get_payload_len(a) >= 4)
			link = (int)mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == IFLA_LINKINFO)
			kind = link_kind(a, &mode);
	}
	if (link == md->lower && md->n < LB_MAX_MACVLANS && mode != md->want &&
	    (!strcmp(kind, "macvlan") || !strcmp(kind, "macvtap"))) {
		md->ifindex[md->n] = ifi->ifi_index;
		strcpy(md->kind[md->n++], kind);
	}
	return MNL_CB_OK;
}

static int macvlan_set(struct lb_nl *n, int ifindex, const char *kind, uint32_t mode)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, RTM_NEWLINK, 0);
	ifi_put(nlh, AF_UNSPEC, ifindex);
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, mode);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return nl_talk(n, nlh, NULL, NULL);
}

int lb_nl_macvlan_mode(struct lb_nl *n, int lower, uint32_t mode, unsigned *changed)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_new(buf, RTM_GETLINK, NLM_F_DUMP);
	ifi_put(nlh, AF_UNSPEC, 0);
	struct mv_dump *md = calloc(1, sizeof(*md));
	if (!md)
		return -ENOMEM;
	md->lower = lower;
	md->want = mode;
	int err = nl_talk(n, nlh, on_mv_link, md);
	*changed = 0;
	for (unsigned i = 0; !err && i < md->n; i++)
		if ((err = macvlan_set(n, md->ifindex[i], md->kind[i], mode)) == 0)
			(*changed)++;
	free(md);
	return err;
}
