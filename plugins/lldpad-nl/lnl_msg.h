/* SPDX-License-Identifier: ISC */
/*
 * lnl_msg.h - the rtnetlink messages of the libvirt <-> lldpad contract
 * (docs/protocol.md, "libvirt's rtnetlink contract"), pure: no sockets, no clock, no
 * globals.  Walks a received datagram message by message, parses RTM_SETLINK
 * (IFLA_IFNAME, IFLA_VFINFO_LIST, IFLA_VF_PORTS) and RTM_GETLINK with every
 * attribute validated, maps a request to VDP as lldpad does, and builds the
 * answers: NLMSG_ERROR, the RTM_NEWLINK poll reply, and the unsolicited
 * RTM_SETLINK de-associate notification.  Also the kernel's link events
 * (RTM_NEWLINK, RTM_DELLINK) and the link watch: a macvtap or macvlan that
 * appears on a station port and goes again soon without a port-profile
 * request from libvirt, the trace libvirt 9.0's two faults leave (its event
 * socket's netlink port >= 2^31, a veth as source device; docs/libvirt.md).
 * Built with libmnl.
 */
#ifndef LNL_MSG_H
#define LNL_MSG_H

#include <linux/netlink.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plugins/plugin_api.h"

/* rtnetlink values (linux/if_link.h; docs/protocol.md "Constants"), spelled out so that this
 * module does not depend on the header's version. */
#define LNL_IFLA_IFNAME		    3
#define LNL_IFLA_VFINFO_LIST	    22
#define LNL_IFLA_VF_PORTS	    24
#define LNL_IFLA_VF_INFO	    1
#define LNL_IFLA_VF_MAC		    1
#define LNL_IFLA_VF_VLAN	    2
#define LNL_IFLA_VF_PORT	    1
#define LNL_IFLA_PORT_VF	    1
#define LNL_IFLA_PORT_PROFILE	    2
#define LNL_IFLA_PORT_VSI_TYPE	    3
#define LNL_IFLA_PORT_INSTANCE_UUID 4
#define LNL_IFLA_PORT_HOST_UUID	    5
#define LNL_IFLA_PORT_REQUEST	    6
#define LNL_IFLA_PORT_RESPONSE	    7
#define LNL_PORT_SELF_VF	    0xffffffffu
#define LNL_PORT_UUID_MAX	    16
#define LNL_PORT_PROFILE_MAX	    40
#define LNL_VF_MAC_LEN		    36 /* struct ifla_vf_mac {u32 vf; u8 mac[32]} */
#define LNL_VF_VLAN_LEN		    12 /* struct ifla_vf_vlan {u32 vf, vlan, qos} */
#define LNL_PORT_VSI_LEN	    8  /* struct ifla_port_vsi */
#define LNL_REQ_PREASSOCIATE	    0  /* PORT_REQUEST_*: VDP TLV type - 1 */
#define LNL_REQ_PREASSOCIATE_RR	    1
#define LNL_REQ_ASSOCIATE	    2
#define LNL_REQ_DISASSOCIATE	    3
#define LNL_RESP_INPROGRESS	    0x101 /* PORT_PROFILE_RESPONSE_INPROGRESS */
#define LNL_RESP_ERROR		    0x105 /* PORT_PROFILE_RESPONSE_ERROR */
#define LNL_RESP_NONE		    (-1)  /* no answer yet: IFLA_PORT_RESPONSE left out */

#define LNL_MAX_FILTERS 64 /* IFLA_VF_INFO entries in one request */
/* One IFLA_VF_PORT in a poll reply is 40 octets and IFLA_VF_PORTS' length is
 * 16 bits: at most this many VSIs per reply. */
#define LNL_VF_PORT_LEN	  40
#define LNL_MAX_ENTRIES	  ((0xffff - 4) / LNL_VF_PORT_LEN)
#define LNL_ERROR_MSG_LEN 36 /* NLMSG_ERROR with the request's header echoed */
#define LNL_REPLY_HDR_LEN 36 /* nlmsghdr + ifinfomsg + IFLA_VF_PORTS header */

struct lnl_filter {
	uint8_t mac[6];
	bool has_mac;
	uint32_t vlan; /* as sent: 12-bit VID expected */
	uint32_t qos;  /* as sent: PS (bit 3) + PCP (bits 2-0) expected */
};

struct lnl_setlink {
	int32_t ifindex;
	char ifname[IF_NAMESIZE]; /* "" when IFLA_IFNAME is absent */
	uint8_t request;	  /* LNL_REQ_* */
	bool has_vsi_type;
	uint8_t mgrid; /* ifla_port_vsi.vsi_mgr_id */
	uint32_t type_id;
	uint8_t type_ver;
	uint8_t uuid[LNL_PORT_UUID_MAX];
	bool has_vfinfo; /* IFLA_VFINFO_LIST present */
	uint16_t nfilters;
	struct lnl_filter f[LNL_MAX_FILTERS];
};

struct lnl_getlink {
	int32_t ifindex;
	char ifname[IF_NAMESIZE]; /* "" when absent */
};

/* The next message of a datagram at *off.  1: *msg is a whole message
 * (*off moves past it); 0: the datagram ends; -EINVAL: the rest is malformed
 * (*msg is its header when one is readable, to answer, else NULL). */
int lnl_next(const void *buf, size_t len, size_t *off, const struct nlmsghdr **msg);

/* 0, or -EINVAL with *what naming the problem. */
int lnl_parse_setlink(const struct nlmsghdr *nlh, struct lnl_setlink *s, const char **what);
int lnl_parse_getlink(const struct nlmsghdr *nlh, struct lnl_getlink *g, const char **what);

/* lldpad's mapping (docs/protocol.md "The request"): TLV type = request + 1, VSIID format UUID,
 * manager ID octet -> octet 0 of 16, MAC+VLAN -> filter format 2, VLAN only
 * -> 1, qos -> PS/PCP.  filt has room for LNL_MAX_FILTERS.  0 or -EINVAL. */
int lnl_to_request(const struct lnl_setlink *s, struct evbd_vsi_request *r,
		   struct evbd_vsi_filter *filt, const char **what);

/* IFLA_PORT_RESPONSE for a VSI whose last command is cmd (EVBD_VDP_*), with
 * result (enum evbd_vsi_result) and the last status octet and reason:
 * LNL_RESP_NONE while no answer is there, 0 when it did what was asked, else
 * the bridge's status without bits 7/6 (reason | HARD 0x10 | KEEP 0x20), or
 * LNL_RESP_ERROR when it failed with no reason (no answer, or a
 * De-Associate from the bridge).  removed: the VSI has ended. */
int lnl_response(uint8_t cmd, uint8_t result, uint8_t status, uint8_t reason, bool removed);

/* Builders: octets written, 0 when cap is too small. */
size_t lnl_build_error(void *buf, size_t cap, const struct nlmsghdr *req, int err);

struct lnl_entry {
	uint8_t uuid[LNL_PORT_UUID_MAX];
	int response; /* LNL_RESP_NONE or 0..0xffff */
};
/* Octets of a poll reply with n entries (n <= LNL_MAX_ENTRIES). */
size_t lnl_reply_size(size_t n);
/* RTM_NEWLINK with the request's seq and pid, ifinfomsg {ifindex}, and
 * IFLA_VF_PORTS holding one IFLA_VF_PORT {INSTANCE_UUID, PORT_VF = -1,
 * [RESPONSE]} per entry. */
size_t lnl_build_reply(void *buf, size_t cap, const struct nlmsghdr *req, int ifindex,
		       const struct lnl_entry *e, size_t n);

struct lnl_notify {
	uint32_t pid; /* our port id (= evbd's pid) */
	uint32_t seq; /* the request's */
	int ifindex;
	const char *ifname;
	uint8_t mgrid;
	uint32_t type_id;
	uint8_t type_ver;
	uint8_t uuid[LNL_PORT_UUID_MAX];
	uint8_t request; /* LNL_REQ_DISASSOCIATE */
	uint16_t nfilters;
	const struct lnl_filter *f;
};
/* Octets of a notification for n filters. */
size_t lnl_notify_size(size_t nfilters);
/* Unsolicited RTM_SETLINK (docs/protocol.md "Notification"): IFLA_IFNAME, IFLA_VFINFO_LIST with
 * one IFLA_VF_INFO {IFLA_VF_MAC (36), IFLA_VF_VLAN (12)} per filter, vf -1,
 * IFLA_VF_PORTS/IFLA_VF_PORT {VSI_TYPE, INSTANCE_UUID, PORT_VF -1,
 * PORT_REQUEST u8}. */
size_t lnl_build_notify(void *buf, size_t cap, const struct lnl_notify *n);

/* ---------------- link watch ---------------- */

#define LNL_IFLA_LINK	   5
#define LNL_IFLA_LINKINFO  18
#define LNL_IFLA_INFO_KIND 1
#define LNL_WATCH_MAX	   64	       /* macvtaps awaiting a request; the oldest gives way */
#define LNL_WATCH_US	   30000000ULL /* created and removed within this: a fault's trace */

struct lnl_link_event {
	bool removed; /* RTM_DELLINK (else RTM_NEWLINK) */
	int32_t ifindex;
	int32_t link; /* IFLA_LINK: the lower device, 0 when absent */
	char ifname[IF_NAMESIZE];
	char kind[16]; /* IFLA_INFO_KIND, "" when absent */
};

/* 0, or -EINVAL with *what naming the problem (also for a message that is
 * not RTM_NEWLINK or RTM_DELLINK). */
int lnl_parse_link_event(const struct nlmsghdr *nlh, struct lnl_link_event *ev, const char **what);

struct lnl_watched {
	int32_t ifindex, lower;
	char ifname[IF_NAMESIZE];
	uint64_t at; /* µs */
};

struct lnl_watch {
	struct lnl_watched e[LNL_WATCH_MAX];
	unsigned n;
};

/* A macvtap/macvlan ev (not removed) on the station port lower: watched until
 * a request for lower comes or it goes. */
void lnl_watch_add(struct lnl_watch *w, const struct lnl_link_event *ev, uint64_t now);
/* A request for the port lower came: its devices are no longer suspect. */
void lnl_watch_request(struct lnl_watch *w, int32_t lower);
/* The device ifindex went: true (with *gone filled) when it was watched and
 * went within LNL_WATCH_US of its creation, without a request for its port. */
bool lnl_watch_gone(struct lnl_watch *w, int32_t ifindex, uint64_t now, struct lnl_watched *gone);

#endif
