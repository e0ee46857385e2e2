/* SPDX-License-Identifier: ISC */
/*
 * fuzz_lldpad_nl.c - libFuzzer target for the lldpad-nl plugin's message
 * code (plugins/lldpad-nl/lnl_msg.c): a received datagram is walked message
 * by message, RTM_SETLINK / RTM_GETLINK parsed and mapped to VDP, and the
 * answers built; RTM_NEWLINK / RTM_DELLINK parsed as link events into the
 * link watch, which stays bounded.  Invariant checked: the de-associate notification built
 * from a parsed request parses back to the same VSI and filters.
 */
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/lldpad-nl/lnl_msg.h"
#include "plugins/plugin_api.h"

static uint8_t dgram[65536] __attribute__((aligned(8)));
static uint8_t out[65536] __attribute__((aligned(8)));

static void roundtrip(const struct lnl_setlink *s)
{
	static struct lnl_setlink back;
	struct lnl_notify n = {.pid = 7,
			       .seq = 9,
			       .ifindex = s->ifindex,
			       .ifname = s->ifname[0] ? s->ifname : "eth0",
			       .mgrid = s->mgrid,
			       .type_id = s->type_id,
			       .type_ver = s->type_ver,
			       .request = LNL_REQ_DISASSOCIATE,
			       .nfilters = s->nfilters,
			       .f = s->f};
	const char *what = NULL;
	memcpy(n.uuid, s->uuid, sizeof(n.uuid));
	size_t len = lnl_build_notify(out, sizeof(out), &n);
	if (!len || len > lnl_notify_size(s->nfilters))
		abort();
	if (lnl_parse_setlink((const struct nlmsghdr *)out, &back, &what))
		abort();
	if (memcmp(back.uuid, s->uuid, 16) || back.request != LNL_REQ_DISASSOCIATE ||
	    back.nfilters != s->nfilters || back.mgrid != s->mgrid || back.type_id != s->type_id ||
	    back.type_ver != s->type_ver)
		abort();
	for (uint16_t i = 0; i < s->nfilters; i++)
		if (back.f[i].vlan != s->f[i].vlan || back.f[i].qos != s->f[i].qos ||
		    memcmp(back.f[i].mac, s->f[i].mac, 6))
			abort();
}

static void one(const struct nlmsghdr *nlh)
{
	static struct lnl_setlink s;
	static struct evbd_vsi_filter filt[LNL_MAX_FILTERS];
	struct lnl_getlink g;
	struct evbd_vsi_request r;
	const char *what = NULL;

	lnl_build_error(out, sizeof(out), nlh, -22);
	if (nlh->nlmsg_type == RTM_SETLINK && !lnl_parse_setlink(nlh, &s, &what)) {
		if (!lnl_to_request(&s, &r, filt, &what) &&
		    (r.command < EVBD_VDP_PREASSOC || r.command > EVBD_VDP_DEASSOC ||
		     r.nfilters != s.nfilters))
			abort();
		roundtrip(&s);
	} else if (nlh->nlmsg_type == RTM_GETLINK && !lnl_parse_getlink(nlh, &g, &what)) {
		struct lnl_entry e[4];
		for (int i = 0; i < 4; i++) {
			memset(e[i].uuid, i, 16);
			e[i].response = lnl_response((uint8_t)i + 1, (uint8_t)i, 0x40 | (uint8_t)i,
						     (uint8_t)i, i & 1);
		}
		if (lnl_build_reply(out, sizeof(out), nlh, g.ifindex, e, 4) !=
		    lnl_reply_size(4) - (size_t)(e[0].response == LNL_RESP_NONE) * 8 -
			(size_t)(e[1].response == LNL_RESP_NONE) * 8 -
			(size_t)(e[2].response == LNL_RESP_NONE) * 8 -
			(size_t)(e[3].response == LNL_RESP_NONE) * 8)
			abort();
	} else if (nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK) {
		/* the kernel's link events, into a watch that must stay bounded */
		static struct lnl_watch w;
		static uint64_t now;
		struct lnl_link_event ev;
		struct lnl_watched gone;
		if (lnl_parse_link_event(nlh, &ev, &what))
			return;
		if (strnlen(ev.kind, sizeof(ev.kind)) == sizeof(ev.kind))
			abort();
		now += 1000;
		if (ev.removed)
			lnl_watch_gone(&w, ev.ifindex, now, &gone);
		else if (ev.link & 1)
			lnl_watch_add(&w, &ev, now);
		else
			lnl_watch_request(&w, ev.link);
		if (w.n > LNL_WATCH_MAX)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh;
	size_t off = 0;
	if (size > sizeof(dgram))
		return 0;
	memcpy(dgram, data, size); /* the socket's buffer is aligned */
	while (lnl_next(dgram, size, &off, &nlh) > 0)
		one(nlh);
	return 0;
}
