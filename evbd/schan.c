/* SPDX-License-Identifier: ISC */
/*
 * schan.c - the 802.1ad VLAN devices of the S-channels (see schan.h): one
 * short-lived rtnetlink socket per request (libmnl), the kernel's answer
 * read at once, and the devices each port has.
 */
#include "evbd/schan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "evbd/log.h"

void schan_name(char out[IF_NAMESIZE], const char *ifname, int ifindex, uint16_t svid)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s.s%u", ifname, svid);
	if (strlen(buf) >= IF_NAMESIZE)
		snprintf(buf, sizeof(buf), "s%x.%u", (unsigned)ifindex, svid);
	snprintf(out, IF_NAMESIZE, "%s", buf);
}

/* Send nlh on nl and read the kernel's answer: 0 or -errno. */
static int exchange(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	struct timeval tv = {.tv_sec = 2};
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	if (mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, mnl_socket_get_portid(nl), NULL, NULL) < 0)
		return -errno;
	return 0;
}

/* One request on a socket of its own: 0 or -errno. */
static int rtnl_call(struct nlmsghdr *nlh)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return -errno;
	int err = exchange(nl, nlh);
	mnl_socket_close(nl);
	return err;
}

/* RTM_NEWLINK: an 802.1ad VLAN device (IFLA_VLAN_PROTOCOL 0x88A8, the
 * S-tag of 802.1Q 9.5) with VLAN ID svid on link, up. */
static int create_dev(const char *name, int link, uint16_t svid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)link);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u16(nlh, IFLA_VLAN_ID, svid);
	mnl_attr_put_u16(nlh, IFLA_VLAN_PROTOCOL, htons(ETH_P_8021AD));
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return rtnl_call(nlh);
}

static int delete_dev(int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELLINK;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return rtnl_call(nlh);
}

static const char *advice(int err)
{
	switch (err) {
	case -EEXIST:
		return "the name is taken by another interface; rename or delete that "
		       "interface, then bring the port's link down and up to set the S-channel up "
		       "again";
	case -EOPNOTSUPP:
	case -EINVAL:
		return "the kernel has no 802.1ad VLAN devices (load the 8021q module)";
	case -EPERM:
		return "evbd lacks CAP_NET_ADMIN";
	default:
		return "see the error";
	}
}

static struct schan_dev *find(const struct evbd_port *p, uint16_t scid)
{
	struct schan_set *s = p->schan;
	for (uint16_t i = 0; s && i < s->n; i++)
		if (s->dev[i].scid == scid)
			return &s->dev[i];
	return NULL;
}

struct schan_dev *schan_find(const struct evbd_port *p, uint16_t scid)
{
	return find(p, scid);
}

struct schan_dev *schan_up(struct evbd_port *p, uint16_t scid, uint16_t svid)
{
	if (svid <= CDCP_DEFAULT_SVID || find(p, scid))
		return NULL; /* the default S-channel is the interface itself */
	if (!p->schan && !(p->schan = calloc(1, sizeof(*p->schan)))) {
		log_err("%s: no memory for the device of S-channel SCID %u", p->ifname, scid);
		return NULL;
	}
	if (p->schan->n >= CDCP_MAX_PAIRS)
		return NULL; /* CDCP has at most as many channels */
	struct schan_dev *dv = &p->schan->dev[p->schan->n++];
	*dv = (struct schan_dev){.scid = scid, .svid = svid};
	schan_name(dv->name, p->ifname, p->ifindex, svid);
	int err = p->ifindex ? create_dev(dv->name, p->ifindex, svid) : -ENODEV;
	if (!err)
		dv->ifindex = (int)if_nametoindex(dv->name);
	if (err || !dv->ifindex) {
		p->cdcp.cdcp.stats.dev_err++;
		log_warn("%s: cannot create %s, the 802.1ad device of S-channel SCID %u (SVID %u): "
			 "%s; %s. The S-channel stays negotiated without a device and the other "
			 "S-channels are not touched (counted in cdcp.dev_err)",
			 p->ifname, dv->name, scid, svid, strerror(err ? -err : ENODEV),
			 advice(err));
		dv->ifindex = 0;
		return NULL;
	}
	log_notice("%s: created %s (ifindex %d), the 802.1ad device of S-channel SCID %u (SVID "
		   "%u)",
		   p->ifname, dv->name, dv->ifindex, scid, svid);
	return dv;
}

/* Delete dv's device (a device the kernel already took with its
 * interface is no failure) and take dv out of the set. */
static void drop(struct evbd_port *p, struct schan_dev *dv)
{
	if (dv->ifindex) {
		int err = delete_dev(dv->ifindex);
		if (err && err != -ENODEV)
			log_warn(
			    "%s: cannot delete %s, the device of S-channel SCID %u: %s; delete "
			    "it by hand (ip link del %s)",
			    p->ifname, dv->name, dv->scid, strerror(-err), dv->name);
		else
			log_info("%s: deleted %s, the device of S-channel SCID %u", p->ifname,
				 dv->name, dv->scid);
	}
	struct schan_set *s = p->schan;
	*dv = s->dev[--s->n];
}

void schan_down(struct evbd_port *p, uint16_t scid)
{
	struct schan_dev *dv = find(p, scid);
	if (dv)
		drop(p, dv);
}

void schan_clear(struct evbd_port *p)
{
	while (p->schan && p->schan->n)
		drop(p, &p->schan->dev[p->schan->n - 1]);
	free(p->schan);
	p->schan = NULL;
}
