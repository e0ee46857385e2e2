/* SPDX-License-Identifier: ISC */
/*
 * link.c - rtnetlink link monitoring with libmnl (see link.h).
 */
#include "evbd/link.h"

#include <errno.h>
#include <event2/event.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evbd/log.h"
#include "evbd/port.h"

struct evbd_link {
	struct mnl_socket *nl;
	struct event *ev;
	uint32_t seq;
};

struct link_info {
	const char *ifname;
	const uint8_t *mac;
};

static int link_attr(const struct nlattr *a, void *data)
{
	struct link_info *li = data;
	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			li->ifname = mnl_attr_get_str(a);
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == 6)
			li->mac = mnl_attr_get_payload(a);
		break;
	}
	return MNL_CB_OK;
}

static int link_msg(const struct nlmsghdr *nlh, void *data)
{
	struct evbd *d = data;
	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct ifinfomsg)))
		return MNL_CB_OK;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct link_info li = {0};
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr, &li);
	if (!li.ifname)
		return MNL_CB_OK;
	struct evbd_port *p = evbd_port_find(d, li.ifname);
	if (!p)
		return MNL_CB_OK;
	bool present = nlh->nlmsg_type == RTM_NEWLINK;
	bool up = (ifm->ifi_flags & IFF_UP) && (ifm->ifi_flags & IFF_LOWER_UP);
	port_link_update(p, present, ifm->ifi_index, li.mac, present && up);
	return MNL_CB_OK;
}

static void link_read(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct evbd *d = arg;
	char buf[MNL_SOCKET_BUFFER_SIZE * 2];
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(d->link->nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == ENOBUFS) {
				log_warn("link monitoring lost events (socket buffer full); "
					 "re-reading every interface");
				link_refresh(d);
				continue;
			}
			return; /* EAGAIN */
		}
		mnl_cb_run(buf, (size_t)n, 0, 0, link_msg, d);
	}
}

void link_refresh(struct evbd *d)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++d->link->seq;
	struct rtgenmsg *rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(d->link->nl, nlh, nlh->nlmsg_len) < 0)
		log_warn("cannot ask the kernel for the interface list: %s", strerror(errno));
}

int link_open(struct evbd *d)
{
	struct evbd_link *l = calloc(1, sizeof(*l));
	if (!l)
		return -1;
	d->link = l;
	l->seq = (uint32_t)time(NULL);
	l->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!l->nl || mnl_socket_bind(l->nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
		log_err("cannot follow link state over rtnetlink: %s", strerror(errno));
		link_close(d);
		return -1;
	}
	int sz = 1 << 20;
	setsockopt(mnl_socket_get_fd(l->nl), SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	l->ev =
	    event_new(d->loop.base, mnl_socket_get_fd(l->nl), EV_READ | EV_PERSIST, link_read, d);
	if (!l->ev || event_add(l->ev, NULL)) {
		link_close(d);
		return -1;
	}
	link_refresh(d);
	return 0;
}

void link_close(struct evbd *d)
{
	struct evbd_link *l = d->link;
	if (!l)
		return;
	if (l->ev)
		event_free(l->ev);
	if (l->nl)
		mnl_socket_close(l->nl);
	free(l);
	d->link = NULL;
}
