/* SPDX-License-Identifier: ISC */
/*
 * test_ipc_codec.c - unit tests of the control protocol's codec
 * (ipc/codec.c): every object put into a message and got back unchanged
 * (RESULT, VSI command, VSI with filters, port with its negotiated values,
 * neighbour, ECP counters, VSI counts and drops, VSI type, MIB varbind,
 * plugin command, evbd's own state), the exact attributes of a VSI type, and what is refused
 * with which sentence: a wrong length, an attribute twice, trailing
 * octets, a missing mandatory attribute, an over-long string, too many
 * filters or arguments, a message that does not fit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "ipc/codec.h"
#include "vsitype_fixtures.h"

static uint8_t BUF[EVBD_IPC_MAX_MSG];
static struct ipc_attrs AT;
static char WHAT[256];

static struct ipc_msg start(uint16_t type)
{
	struct ipc_msg m;
	memset(BUF, 0, sizeof(BUF));
	assert_true(ipc_msg_start(&m, BUF, sizeof(BUF), type, NLM_F_REQUEST, 0));
	return m;
}

/* Parse the message built in m: 0 or -EINVAL (sentence in WHAT). */
static int parse(const struct ipc_msg *m)
{
	assert_false(m->full);
	WHAT[0] = '\0';
	return ipc_attrs_parse(m->nlh, &AT, WHAT, sizeof(WHAT));
}

static void expect_refused(const struct ipc_msg *m, const char *what)
{
	assert_int_equal(parse(m), -EINVAL);
	assert_string_equal(WHAT, what);
}

/* Refused for the length or value of the attribute `type`. */
static void expect_bad_attr(const struct ipc_msg *m, unsigned type)
{
	char what[64];
	snprintf(what, sizeof(what), "attribute %u has a bad length or value", type);
	expect_refused(m, what);
}

/* ---------------- messages and attributes ---------------- */

static void test_header_and_done(void **state)
{
	(void)state;
	struct ipc_msg m = start(EVB_MSG_VSI_GET);
	const struct evb_ipc_hdr *h = mnl_nlmsg_get_payload(m.nlh);
	assert_int_equal(m.nlh->nlmsg_type, EVB_MSG_VSI_GET);
	assert_int_equal(h->version, EVBD_IPC_VERSION);
	assert_int_equal(parse(&m), 0);
	/* too small for the headers */
	assert_false(ipc_msg_start(&m, BUF, 8, EVB_MSG_RESULT, 0, 0));
	assert_true(m.full);
	/* NLMSG_DONE: type, flags, status 0 */
	size_t n = ipc_put_done(BUF, sizeof(BUF), 7, EVBD_IPC_PORTID);
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)BUF;
	assert_int_equal(n, MNL_NLMSG_HDRLEN + sizeof(int));
	assert_int_equal(nlh->nlmsg_type, NLMSG_DONE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_MULTI);
	assert_int_equal(nlh->nlmsg_seq, 7);
	assert_int_equal(ipc_put_done(BUF, 4, 7, 0), 0);
}

static void test_attrs_refused(void **state)
{
	(void)state;
	struct ipc_msg m = start(EVB_MSG_RESULT);
	mnl_attr_put_u16(m.nlh, EVB_A_ERRNO, 1); /* wrong length */
	expect_bad_attr(&m, EVB_A_ERRNO);
	m = start(EVB_MSG_RESULT);
	ipc_put_u32(&m, EVB_A_ERRNO, 1);
	ipc_put_u32(&m, EVB_A_ERRNO, 1);
	expect_refused(&m, "attribute 1 appears twice");
	m = start(EVB_MSG_RESULT);
	ipc_put_u32(&m, EVB_A_ERRNO, 1);
	m.nlh->nlmsg_len += 2;
	expect_refused(&m, "attributes are truncated");
	/* over-long strings: an interface name, a command name, a message */
	m = start(EVB_MSG_VSI_GET);
	ipc_put_str(&m, EVB_A_IFNAME, "abcdefghijklmnop"); /* 16 characters */
	expect_bad_attr(&m, EVB_A_IFNAME);
	m = start(EVB_MSG_PLUGIN_CMD);
	ipc_put_str(&m, EVB_A_PLUGIN_CMD, "0123456789abcdef0123456789abcdef");
	expect_bad_attr(&m, EVB_A_PLUGIN_CMD);
	m = start(EVB_MSG_VSI_GET);
	mnl_attr_put(m.nlh, EVB_A_IFNAME, 3, "st0"); /* no NUL */
	expect_bad_attr(&m, EVB_A_IFNAME);
	/* the longest names fit */
	m = start(EVB_MSG_VSI_GET);
	ipc_put_str(&m, EVB_A_IFNAME, "abcdefghijklmno");
	assert_int_equal(parse(&m), 0);
	assert_string_equal(ipc_get_ifname(&AT), "abcdefghijklmno");
	/* an OID of more sub-identifiers than SNMP allows; an octet value too long */
	static const uint32_t big[EVB_MIB_OID_MAX + 1];
	m = start(EVB_MSG_MIB_GET);
	ipc_put(&m, EVB_A_MIB_OID, sizeof(big), big);
	expect_bad_attr(&m, EVB_A_MIB_OID);
	uint8_t octets[EVB_MIB_VALUE_MAX + 1] = {0};
	m = start(EVB_MSG_MIB_SET);
	ipc_put(&m, EVB_A_MIB_VALUE, sizeof(octets), octets);
	expect_bad_attr(&m, EVB_A_MIB_VALUE);
	/* unknown attributes (a newer peer's) are ignored */
	m = start(EVB_MSG_RESULT);
	ipc_put_u32(&m, 200, 1);
	assert_int_equal(parse(&m), 0);
	/* shorter than the evbd header */
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(BUF);
	assert_int_equal(ipc_attrs_parse(nlh, &AT, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the message is shorter than the evbd header");
}

static void test_nests_refused(void **state)
{
	(void)state;
	const struct nlattr *tb[32];
	struct ipc_msg m = start(EVB_MSG_PORT);
	struct nlattr *n = ipc_nest_start(&m, EVB_A_OPER);
	ipc_put_u32(&m, EVB_OA_R, 9);
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_nest_parse(AT.tb[EVB_A_OPER], tb, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "attribute 2 has a bad length or value");
	struct evb_oper o;
	assert_int_equal(ipc_get_oper(AT.tb[EVB_A_OPER], &o, NULL, 0), -EINVAL);
	/* a nest of a type that is not one */
	m = start(EVB_MSG_PORT);
	n = ipc_nest_start(&m, EVB_A_ERRNO);
	ipc_nest_end(&m, n);
	assert_int_equal(ipc_nest_parse(n, tb, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "attribute 1 is not a nest");
	/* counters with a wrong length */
	m = start(EVB_MSG_PORT);
	n = ipc_nest_start(&m, EVB_A_DROPS);
	ipc_put_u8(&m, EVB_DA_ECP_BAD, 1);
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	struct ipc_drops d;
	assert_int_equal(ipc_get_drops(AT.tb[EVB_A_DROPS], &d, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "attribute 2 has a bad length or value");
}

/* ---------------- RESULT ---------------- */

static void test_result(void **state)
{
	(void)state;
	const char *msg;
	struct ipc_msg m = start(EVB_MSG_RESULT);
	ipc_put_result(&m, ENOENT, "gone");
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_result(&AT, &msg), ENOENT);
	assert_string_equal(msg, "gone");
	/* success without a sentence: no ERRMSG */
	m = start(EVB_MSG_RESULT);
	ipc_put_result(&m, 0, "");
	assert_int_equal(parse(&m), 0);
	assert_null(AT.tb[EVB_A_ERRMSG]);
	assert_int_equal(ipc_get_result(&AT, &msg), 0);
	assert_string_equal(msg, "");
	/* ERRNO missing, or no errno */
	m = start(EVB_MSG_RESULT);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_result(&AT, &msg), -EBADMSG);
	ipc_put_u32(&m, EVB_A_ERRNO, 70000);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_result(&AT, &msg), -EBADMSG);
}

/* ---------------- VSI commands and VSIs ---------------- */

static const struct vdp_filter FILT[2] = {
    {.group = 7, .mac = {2, 0, 0, 0, 0, 1}, .vid = 10, .pcp = 3, .ps = true},
    {.group = 8, .mac = {2, 0, 0, 0, 0, 2}, .vid = 0, .pcp = 0, .ps = false},
};

static void assert_filters_equal(const struct vdp_filter *a, const struct vdp_filter *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(a[i].vid, b[i].vid);
		assert_int_equal(a[i].pcp, b[i].pcp);
		assert_int_equal(a[i].ps, b[i].ps);
		assert_int_equal(a[i].group, b[i].group);
		assert_memory_equal(a[i].mac, b[i].mac, 6);
	}
}

static struct vdp_request request(uint8_t type)
{
	struct vdp_request r = {.type = type,
				.hints = VDP_STATUS_MBIT,
				.mgrid = {'m', 'g'},
				.type_id = 0xabcdef,
				.type_ver = 3,
				.key = {.fmt = VDP_VSIID_UUID, .id = {0x6d, 0x0f, [15] = 1}},
				.fif = VDP_FIF_GROUPMACVID,
				.nfilters = 2,
				.filters = FILT};
	return r;
}

static void test_vsi_request(void **state)
{
	(void)state;
	static struct vdp_filter filt[VDP_MAX_FILTERS];
	struct vdp_request in = request(VDP_TLV_ASSOC), out;
	struct ipc_msg m = start(EVB_MSG_VSI_CMD);
	ipc_put_vsi_request(&m, "st0", &in);
	assert_int_equal(parse(&m), 0);
	assert_string_equal(ipc_get_ifname(&AT), "st0");
	assert_int_equal(ipc_get_vsi_request(&AT, &out, filt, WHAT, sizeof(WHAT)), 0);
	assert_int_equal(out.type, VDP_TLV_ASSOC);
	assert_int_equal(out.hints, VDP_STATUS_MBIT);
	assert_memory_equal(out.mgrid, in.mgrid, VDP_MGRID_LEN);
	assert_int_equal(out.type_id, 0xabcdef);
	assert_int_equal(out.type_ver, 3);
	assert_int_equal(out.key.fmt, VDP_VSIID_UUID);
	assert_memory_equal(out.key.id, in.key.id, VDP_VSIID_LEN);
	assert_int_equal(out.fif, VDP_FIF_GROUPMACVID);
	assert_int_equal(out.nfilters, 2);
	assert_ptr_equal(out.filters, filt);
	assert_filters_equal(filt, FILT, 2);
	/* a De-Associate carries only the key; no port named: no IFNAME */
	in = request(VDP_TLV_DEASSOC);
	m = start(EVB_MSG_VSI_CMD);
	ipc_put_vsi_request(&m, "", &in);
	assert_int_equal(parse(&m), 0);
	assert_null(ipc_get_ifname(&AT));
	assert_null(AT.tb[EVB_A_TYPE_ID]);
	assert_int_equal(AT.nfilters, 0);
	assert_int_equal(ipc_get_vsi_request(&AT, &out, filt, WHAT, sizeof(WHAT)), 0);
	assert_int_equal(out.type, VDP_TLV_DEASSOC);
	assert_memory_equal(out.key.id, in.key.id, VDP_VSIID_LEN);
}

/* The request r, changed by `edit`, is refused with `what`. */
static void expect_request(struct vdp_request r, void (*edit)(struct ipc_msg *), const char *what)
{
	static struct vdp_filter filt[VDP_MAX_FILTERS];
	struct vdp_request out;
	struct ipc_msg m = start(EVB_MSG_VSI_CMD);
	ipc_put_vsi_request(&m, "st0", &r);
	if (edit)
		edit(&m);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_vsi_request(&AT, &out, filt, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, what);
}

static void add_bad_filter(struct ipc_msg *m)
{
	struct nlattr *n = ipc_nest_start(m, EVB_A_FILTER);
	ipc_put_u16(m, EVB_FA_VID, 5);
	ipc_put_u8(m, EVB_FA_PCP, 9);
	ipc_put(m, EVB_FA_MAC, 6, FILT[0].mac);
	ipc_put_u32(m, EVB_FA_GROUP, 1);
	ipc_nest_end(m, n);
}

static void test_vsi_request_refused(void **state)
{
	(void)state;
	struct vdp_request r = request(9);
	expect_request(r, NULL,
		       "unknown VSI command 9 (1 preassociate, 2 preassociate-rr, 3 associate, 4 "
		       "deassociate)");
	r = request(VDP_TLV_ASSOC);
	r.nfilters = 0; /* a mandatory part missing */
	expect_request(r, NULL, "the request lacks the VSI type, its version, or filters");
	r = request(VDP_TLV_ASSOC);
	r.type_id = 0x1000000;
	expect_request(r, NULL, "the VSI type ID exceeds 24 bits");
	r.type_id = 1;
	r.hints = VDP_STATUS_MBIT | VDP_STATUS_SBIT;
	expect_request(r, NULL, "hints must be none, migrate-to or migrate-from");
	r = request(VDP_TLV_ASSOC);
	r.key.fmt = VDP_VSIID_IPV4;
	expect_request(r, NULL, "the VSIID is not valid for format 1 (ipv4)");
	r = request(VDP_TLV_ASSOC);
	expect_request(r, add_bad_filter, "a filter has PCP 9 (0..7 allowed)");
	r.fif = VDP_FIF_GROUPVID;
	r.nfilters = 1;
	r.filters = &(struct vdp_filter){.vid = 1};
	struct vdp_request v = r;
	v.fif = VDP_FIF_VID; /* put without the group the request's format needs */
	struct ipc_msg m = start(EVB_MSG_VSI_CMD);
	ipc_put_vsi_request(&m, "st0", &v);
	assert_int_equal(parse(&m), 0);
	*(uint8_t *)mnl_attr_get_payload(AT.tb[EVB_A_FIF]) = VDP_FIF_GROUPMACVID;
	static struct vdp_filter filt[VDP_MAX_FILTERS];
	assert_int_equal(ipc_get_vsi_request(&AT, &v, filt, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "a filter lacks the VLAN ID, MAC, group");
	/* more filters than a VSI TLV holds */
	m = start(EVB_MSG_VSI_CMD);
	for (int i = 0; i <= VDP_MAX_FILTERS; i++)
		ipc_put_filter(&m, VDP_FIF_VID, &FILT[0]);
	expect_refused(&m, "more than 243 filters");
}

static void test_vsi(void **state)
{
	(void)state;
	static struct vdp_filter filt[VDP_MAX_FILTERS];
	struct ipc_vsi in = {.ifname = "br0",
			     .role = EVB_ROLE_BRIDGE,
			     .key = {.fmt = VDP_VSIID_MAC, .id = {[10] = 0xff, [15] = 9}},
			     .type_id = 5,
			     .type_ver = 1,
			     .mgrid = {3},
			     .cmd = VDP_TLV_ASSOC,
			     .hints = VDP_STATUS_SBIT,
			     .state = 2,
			     .result = VSI_ASSOCIATED,
			     .reason = 0,
			     .status = 0x40,
			     .confirmed = VDP_TLV_ASSOC,
			     .has_result = true,
			     .has_age = true,
			     .age_us = 1500000,
			     .fif = VDP_FIF_GROUPMACVID,
			     .nfilters = 2,
			     .filters = FILT},
		       out;
	struct ipc_msg m = start(EVB_MSG_VSI);
	ipc_put_vsi(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_vsi(&AT, &out, filt, WHAT, sizeof(WHAT)), 0);
	assert_string_equal(out.ifname, "br0");
	assert_int_equal(out.role, EVB_ROLE_BRIDGE);
	assert_memory_equal(&out.key, &in.key, sizeof(in.key));
	assert_int_equal(out.type_id, 5);
	assert_int_equal(out.type_ver, 1);
	assert_memory_equal(out.mgrid, in.mgrid, VDP_MGRID_LEN);
	assert_int_equal(out.cmd, in.cmd);
	assert_int_equal(out.hints, in.hints);
	assert_int_equal(out.state, in.state);
	assert_int_equal(out.result, in.result);
	assert_int_equal(out.status, in.status);
	assert_int_equal(out.confirmed, in.confirmed);
	assert_true(out.has_result);
	assert_true(out.has_age);
	assert_int_equal(out.age_us, 1500000);
	assert_int_equal(out.fif, VDP_FIF_GROUPMACVID);
	assert_int_equal(out.nfilters, 2);
	assert_filters_equal(out.filters, FILT, 2);
	/* only the key (a RESULT for a VSI that ended): defaults */
	m = start(EVB_MSG_RESULT);
	ipc_put_vsi_key(&m, "st0", EVB_ROLE_STATION, &in.key);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_vsi(&AT, &out, filt, WHAT, sizeof(WHAT)), 0);
	assert_false(out.has_result);
	assert_int_equal(out.result, VSI_PENDING);
	assert_false(out.has_age);
	assert_int_equal(out.nfilters, 0);
	/* mandatory: port, VSIID format and VSIID; a format with filters */
	m = start(EVB_MSG_VSI);
	ipc_put_str(&m, EVB_A_IFNAME, "st0");
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_vsi(&AT, &out, filt, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the VSI lacks its port, VSIID format or VSIID");
	m = start(EVB_MSG_VSI);
	ipc_put_vsi_key(&m, "st0", EVB_ROLE_STATION, &in.key);
	ipc_put_filter(&m, VDP_FIF_VID, &FILT[0]);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_vsi(&AT, &out, filt, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the VSI has filters but no filter info format");
}

/* ---------------- ports ---------------- */

static struct ipc_port sample_port(void)
{
	struct ipc_port p = {
	    .ifname = "eth1",
	    .role = EVB_ROLE_BRIDGE,
	    .link_up = true,
	    .present = true,
	    .mac = {2, 0, 0, 0, 0, 0x10},
	    .oper = {.valid = true, .r = 3, .rte = 8, .rwd = 20, .rka = 21, .rr = true},
	    .has_neighbor = true,
	    .nbr = {.mac = {2, 0, 0, 0, 0, 0x20},
		    .chassis = {.subtype = 4, .len = 6, .id = {2, 0, 0, 0, 0, 0x20}},
		    .port = {.subtype = 5, .len = 3, .id = "br0"},
		    .ttl = 120,
		    .mode = 2},
	    .ecp = {1, 2, 3, 4, 5},
	    .counts = {10, 1, 2, 6, 1},
	    .drops = {11, 12, 13, 14, 15, 16},
	    .has_policy = true,
	    .policy = 1,
	    .protocol = 1,
	    .protocol_set = 2};
	return p;
}

static void assert_lldp_id_equal(const struct lldp_id *a, const struct lldp_id *b)
{
	assert_int_equal(a->subtype, b->subtype);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->id, b->id, a->len);
}

static void test_port(void **state)
{
	(void)state;
	static struct ipc_port in, out;
	in = sample_port();
	struct ipc_msg m = start(EVB_MSG_PORT);
	ipc_put_port(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), 0);
	assert_string_equal(out.ifname, "eth1");
	assert_int_equal(out.role, EVB_ROLE_BRIDGE);
	assert_true(out.link_up);
	assert_true(out.present);
	assert_memory_equal(out.mac, in.mac, 6);
	assert_memory_equal(&out.oper, &in.oper, sizeof(in.oper));
	assert_true(out.has_neighbor);
	assert_memory_equal(out.nbr.mac, in.nbr.mac, 6);
	assert_lldp_id_equal(&out.nbr.chassis, &in.nbr.chassis);
	assert_lldp_id_equal(&out.nbr.port, &in.nbr.port);
	assert_int_equal(out.nbr.ttl, 120);
	assert_int_equal(out.nbr.mode, 2);
	assert_memory_equal(&out.ecp, &in.ecp, sizeof(in.ecp));
	assert_memory_equal(&out.counts, &in.counts, sizeof(in.counts));
	assert_memory_equal(&out.drops, &in.drops, sizeof(in.drops));
	assert_true(out.has_policy);
	assert_int_equal(out.policy, 1);
	assert_int_equal(out.protocol, 1);
	assert_int_equal(out.protocol_set, 2);
	/* a station port without a neighbour: neither is sent */
	in.has_neighbor = in.has_policy = false;
	m = start(EVB_MSG_PORT);
	ipc_put_port(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_null(AT.tb[EVB_A_NEIGHBOR]);
	assert_null(AT.tb[EVB_A_POLICY]);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), 0);
	assert_false(out.has_neighbor);
	assert_false(out.has_policy);
}

/* A port's CDCP: S-channels and counters round-trip; absent when off; a
 * channel list cut in two refused. */
static void test_port_cdcp(void **state)
{
	(void)state;
	static struct ipc_port in, out;
	in = sample_port();
	in.has_cdcp = true;
	in.cdcp = (struct ipc_cdcp){.chncap = 4,
				    .pool_low = 100,
				    .pool_high = 101,
				    .peer = true,
				    .peer_chncap = 3,
				    .nchan = 3,
				    .chan = {{1, 1}, {2, 100}, {3, 101}},
				    .stats = {1, 2, 3, 4, 5, 6, 7, 8, 9},
				    .ndev = 2,
				    .dev = {{.scid = 2, .ifindex = 7, .name = "eth0.s100"},
					    {.scid = 3, .ifindex = 0, .name = "eth0.s101"}}};
	struct ipc_msg m = start(EVB_MSG_PORT);
	ipc_put_port(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), 0);
	assert_true(out.has_cdcp);
	assert_int_equal(out.cdcp.chncap, 4);
	assert_int_equal(out.cdcp.pool_low, 100);
	assert_int_equal(out.cdcp.pool_high, 101);
	assert_true(out.cdcp.peer);
	assert_int_equal(out.cdcp.peer_chncap, 3);
	assert_int_equal(out.cdcp.nchan, 3);
	assert_memory_equal(out.cdcp.chan, in.cdcp.chan, 3 * sizeof(in.cdcp.chan[0]));
	assert_memory_equal(&out.cdcp.stats, &in.cdcp.stats, sizeof(in.cdcp.stats));
	assert_string_equal(out.schan_of, "");
	assert_int_equal(out.cdcp.ndev, 2);
	assert_memory_equal(out.cdcp.dev, in.cdcp.dev, 2 * sizeof(in.cdcp.dev[0]));
	in.has_cdcp = false;
	m = start(EVB_MSG_PORT);
	ipc_put_port(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), 0);
	assert_false(out.has_cdcp);
	/* an S-channel's port: whose, and which S-channel */
	snprintf(in.schan_of, sizeof(in.schan_of), "eth0");
	in.schan = (struct cdcp_chan){2, 100};
	m = start(EVB_MSG_PORT);
	ipc_put_port(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), 0);
	assert_string_equal(out.schan_of, "eth0");
	assert_int_equal(out.schan.scid, 2);
	assert_int_equal(out.schan.svid, 100);
	in.schan_of[0] = 0;
	m = start(EVB_MSG_PORT);
	ipc_put_port(&m, &in);
	struct nlattr *n = ipc_nest_start(&m, EVB_A_CDCP);
	ipc_put(&m, EVB_CDA_CHANNELS, 6, "abcdef");
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the port's CDCP lacks its S-channels or cuts one in two");
	/* the S-channels' devices cut in two */
	m = start(EVB_MSG_PORT);
	ipc_put_port(&m, &in);
	n = ipc_nest_start(&m, EVB_A_CDCP);
	ipc_put(&m, EVB_CDA_CHANNELS, 4, "abcd");
	ipc_put(&m, EVB_CDA_DEVICES, sizeof(struct evb_schan_dev) + 1, "abcdefghijklmnopqrstuvwxy");
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the port's S-channel devices cut one in two");
}

static void test_port_refused(void **state)
{
	(void)state;
	static struct ipc_port in, out;
	in = sample_port();
	/* no counters at all */
	struct ipc_msg m = start(EVB_MSG_PORT);
	ipc_put_str(&m, EVB_A_IFNAME, "eth1");
	ipc_put_u8(&m, EVB_A_ROLE, 0);
	ipc_put_u8(&m, EVB_A_LINK, 1);
	ipc_put_u8(&m, EVB_A_PRESENT, 1);
	ipc_put(&m, EVB_A_PORT_MAC, 6, in.mac);
	ipc_put_oper(&m, &in.oper);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the port lacks its name, role, link, presence, MAC, negotiated "
				  "values or counters");
	/* a neighbour without its chassis ID */
	ipc_put_ecp(&m, &in.ecp);
	ipc_put_vsi_counts(&m, &in.counts);
	ipc_put_drops(&m, &in.drops);
	struct nlattr *n = ipc_nest_start(&m, EVB_A_NEIGHBOR);
	ipc_put(&m, EVB_NA_MAC, 6, in.nbr.mac);
	ipc_put(&m, EVB_NA_PORT, 3, "br0");
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_port(&AT, &out, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the neighbour lacks its MAC, chassis ID or port ID");
	/* an LLDP ID over 255 octets */
	uint8_t id[EVB_LLDP_ID_MAX + 1] = {0};
	m = start(EVB_MSG_PORT);
	n = ipc_nest_start(&m, EVB_A_NEIGHBOR);
	ipc_put(&m, EVB_NA_CHASSIS, sizeof(id), id);
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	struct ipc_neighbor nb;
	assert_int_equal(ipc_get_neighbor(AT.tb[EVB_A_NEIGHBOR], &nb, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "attribute 2 has a bad length or value");
	/* counters that are absent read 0 */
	m = start(EVB_MSG_PORT);
	n = ipc_nest_start(&m, EVB_A_ECP);
	ipc_put_u32(&m, EVB_EA_RX_DUPS, 9);
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	struct ipc_ecp e;
	assert_int_equal(ipc_get_ecp(AT.tb[EVB_A_ECP], &e, WHAT, sizeof(WHAT)), 0);
	assert_int_equal(e.tx_frames, 0);
	assert_int_equal(e.rx_dups, 9);
}

/* ---------------- VSI types ---------------- */

#define F(x) (1u << (x))

/* The first attribute after the headers. */
static const struct nlattr *first_attr(const struct ipc_msg *m)
{
	return mnl_nlmsg_get_payload_offset(m->nlh, MNL_ALIGN(sizeof(struct evb_ipc_hdr)));
}

static void test_vsitype(void **state)
{
	(void)state;
	static struct vsitype e, out;
	int64_t in_use;
	e = vsitype_mk(100, 1, "100-199,300,4094", 150, F(1) | F(4), 12, 5);
	snprintf(e.name, sizeof(e.name), "db");
	struct ipc_msg m = start(EVB_MSG_VSITYPE);
	assert_true(ipc_put_vsitype(&m, EVB_A_VSITYPE, &e, false, 7));
	/* exact attributes */
	const struct nlattr *n = first_attr(&m), *a;
	assert_int_equal(mnl_attr_get_type(n), EVB_A_VSITYPE);
	int seen = 0;
	mnl_attr_for_each_nested(a, n)
	{
		switch (mnl_attr_get_type(a)) {
		case EVB_TA_ID:
			assert_int_equal(mnl_attr_get_u32(a), 100);
			break;
		case EVB_TA_VER:
			assert_int_equal(mnl_attr_get_u8(a), 1);
			break;
		case EVB_TA_NAME:
			assert_string_equal(mnl_attr_get_str(a), "db");
			break;
		case EVB_TA_VLANS: {
			struct evb_vid_range r[3];
			assert_int_equal(mnl_attr_get_payload_len(a), sizeof(r));
			memcpy(r, mnl_attr_get_payload(a), sizeof(r));
			assert_int_equal(r[0].lo, 100);
			assert_int_equal(r[0].hi, 199);
			assert_int_equal(r[1].lo, 300);
			assert_int_equal(r[1].hi, 300);
			assert_int_equal(r[2].lo, 4094);
			break;
		}
		case EVB_TA_ASSIGN_VID:
			assert_int_equal(mnl_attr_get_u16(a), 150);
			break;
		case EVB_TA_FORMATS:
			assert_int_equal(mnl_attr_get_u8(a), 0x12);
			break;
		case EVB_TA_MAX_PER_PORT:
			assert_int_equal(mnl_attr_get_u32(a), 12);
			break;
		case EVB_TA_PCP:
			assert_int_equal(mnl_attr_get_u8(a), 5);
			break;
		case EVB_TA_IN_USE:
			assert_int_equal(mnl_attr_get_u32(a), 7);
			break;
		default:
			fail();
		}
		seen++;
	}
	assert_int_equal(seen, 9);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(
	    ipc_get_vsitype(AT.tb[EVB_A_VSITYPE], &out, false, &in_use, WHAT, sizeof(WHAT)), 0);
	assert_vsitype_equal(&out, &e);
	assert_int_equal(in_use, 7);
	/* no name, no PCP, no in-use: those attributes are absent */
	e.name[0] = '\0';
	e.pcp = -1;
	m = start(EVB_MSG_VSITYPE);
	assert_true(ipc_put_vsitype(&m, EVB_A_VSITYPE, &e, false, -1));
	seen = 0;
	mnl_attr_for_each_nested(a, first_attr(&m)) seen++;
	assert_int_equal(seen, 6);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(
	    ipc_get_vsitype(AT.tb[EVB_A_VSITYPE], &out, false, &in_use, WHAT, sizeof(WHAT)), 0);
	assert_vsitype_equal(&out, &e);
	assert_int_equal(in_use, -1);
	/* key only, both ways */
	assert_int_equal(
	    ipc_get_vsitype(AT.tb[EVB_A_VSITYPE], &out, true, NULL, WHAT, sizeof(WHAT)), 0);
	assert_int_equal(out.id, 100);
	assert_int_equal(out.ver, 1);
	assert_true(vidset_empty(&out.vids));
	m = start(EVB_MSG_VSITYPE_DEL);
	assert_true(ipc_put_vsitype(&m, EVB_A_VSITYPE, &e, true, 7));
	seen = 0;
	mnl_attr_for_each_nested(a, first_attr(&m)) seen++;
	assert_int_equal(seen, 2);
	/* does not fit: false, and nothing of it stays */
	m = start(EVB_MSG_VSITYPE);
	uint32_t len = m.nlh->nlmsg_len;
	m.cap = 40;
	assert_false(ipc_put_vsitype(&m, EVB_A_VSITYPE, &e, false, -1));
	assert_int_equal(m.nlh->nlmsg_len, len);
}

/* A nest built by hand: ID (unless id < 0), VER (unless ver < 0), then raw extras. */
static const struct nlattr *hand_nest(int64_t id, int ver, void (*extra)(struct nlmsghdr *))
{
	struct ipc_msg m = start(EVB_MSG_VSITYPE_SET);
	struct nlattr *n = mnl_attr_nest_start(m.nlh, EVB_A_VSITYPE);
	if (id >= 0)
		mnl_attr_put_u32(m.nlh, EVB_TA_ID, (uint32_t)id);
	if (ver >= 0)
		mnl_attr_put_u8(m.nlh, EVB_TA_VER, (uint8_t)ver);
	if (extra)
		extra(m.nlh);
	mnl_attr_nest_end(m.nlh, n);
	return first_attr(&m);
}

static void ex_none(struct nlmsghdr *nlh)
{
	(void)nlh;
}
static void ex_vlans(struct nlmsghdr *nlh)
{
	struct evb_vid_range r = {5, 6};
	mnl_attr_put(nlh, EVB_TA_VLANS, sizeof(r), &r);
}
static void ex_vlans_odd(struct nlmsghdr *nlh)
{
	uint8_t b[6] = {0};
	mnl_attr_put(nlh, EVB_TA_VLANS, sizeof(b), b);
}
static void ex_vlans_back(struct nlmsghdr *nlh)
{
	struct evb_vid_range r[2] = {{5, 6}, {9, 8}};
	mnl_attr_put(nlh, EVB_TA_VLANS, sizeof(r), r);
}
static void ex_vlans_zero(struct nlmsghdr *nlh)
{
	struct evb_vid_range r = {0, 6};
	mnl_attr_put(nlh, EVB_TA_VLANS, sizeof(r), &r);
}
static void ex_ver_twice(struct nlmsghdr *nlh)
{
	mnl_attr_put_u8(nlh, EVB_TA_VER, 2);
}
static void ex_bad_len(struct nlmsghdr *nlh)
{
	mnl_attr_put_u16(nlh, EVB_TA_FORMATS, 2);
}
static void ex_pcp9(struct nlmsghdr *nlh)
{
	ex_vlans(nlh);
	mnl_attr_put_u8(nlh, EVB_TA_PCP, 9);
}
static void ex_long_name(struct nlmsghdr *nlh)
{
	char name[EVB_VSITYPE_NAME_MAX + 1];
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ex_vlans(nlh);
	mnl_attr_put_strz(nlh, EVB_TA_NAME, name);
}
static void ex_unknown(struct nlmsghdr *nlh)
{
	ex_vlans(nlh);
	mnl_attr_put_u32(nlh, 200, 1); /* a newer client's attribute: ignored */
}

static void expect_nest(const struct nlattr *n, bool key_only, const char *msg)
{
	struct vsitype out;
	char err[256] = "";
	assert_int_equal(ipc_get_vsitype(n, &out, key_only, NULL, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
}

static void test_vsitype_refused(void **state)
{
	(void)state;
	struct vsitype out;
	char err[256];
	expect_nest(hand_nest(-1, 1, ex_vlans), true, "the entry names no VSI type ID");
	expect_nest(hand_nest(5, -1, ex_vlans), true, "the entry names no VSI type version");
	expect_nest(hand_nest(0x1000001, 1, ex_vlans), true,
		    "the type ID 16777217 does not fit 24 bits (0 to 16777215)");
	expect_nest(hand_nest(5, 1, ex_none), false, "the entry has no VLAN list");
	expect_nest(hand_nest(5, 1, ex_vlans_odd), false, "its VLAN list is empty or malformed");
	expect_nest(hand_nest(5, 1, ex_vlans_back), false,
		    "VLAN range 9-8 is backwards or outside 1 to 4094");
	expect_nest(hand_nest(5, 1, ex_vlans_zero), false,
		    "VLAN range 0-6 is backwards or outside 1 to 4094");
	expect_nest(hand_nest(5, 1, ex_ver_twice), true, "attribute 2 appears twice");
	expect_nest(hand_nest(5, 1, ex_bad_len), true, "attribute 6 has a bad length or value");
	expect_nest(hand_nest(5, 1, ex_long_name), false, "attribute 3 has a bad length or value");
	/* the rules are the database's: a PCP over 7 reads as 8, to be refused there */
	assert_int_equal(
	    ipc_get_vsitype(hand_nest(5, 1, ex_pcp9), &out, false, NULL, err, sizeof(err)), 0);
	assert_int_equal(out.pcp, 8);
	/* the default entry needs no version; unknown attributes are ignored */
	assert_int_equal(ipc_get_vsitype(hand_nest(EVB_VSITYPE_DEFAULT, -1, ex_unknown), &out,
					 false, NULL, err, sizeof(err)),
			 0);
	assert_int_equal(out.id, EVB_VSITYPE_DEFAULT);
	assert_int_equal(out.formats, EVB_VSITYPE_FORMATS_ALL);
	assert_int_equal(out.pcp, -1);
	assert_int_equal(vidset_count(&out.vids), 2);
}

/* ---------------- the MIB ---------------- */

static void test_varbind(void **state)
{
	(void)state;
	struct mib_oid o = {.len = 4, .a = {1, 3, 111, 2}}, oo;
	struct mib_value v = {.type = MIB_OCTETS, .len = 3, .s = {1, 2, 3}}, vv;
	int err;
	struct ipc_msg m = start(EVB_MSG_MIB_VB);
	ipc_put_varbind(&m, &o, &v, MIB_OK);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_varbind(&AT, &oo, &vv, &err, WHAT, sizeof(WHAT)), 0);
	assert_int_equal(err, MIB_OK);
	assert_int_equal(oo.len, 4);
	assert_memory_equal(oo.a, o.a, 4 * sizeof(o.a[0]));
	assert_int_equal(vv.type, MIB_OCTETS);
	assert_int_equal(vv.len, 3);
	assert_memory_equal(vv.s, v.s, 3);
	/* an integer */
	v = (struct mib_value){.type = MIB_INTEGER, .i = -5};
	m = start(EVB_MSG_MIB_VB);
	ipc_put_varbind(&m, &o, &v, MIB_OK);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_varbind(&AT, &oo, &vv, &err, WHAT, sizeof(WHAT)), 0);
	assert_int_equal(vv.type, MIB_INTEGER);
	assert_int_equal(vv.i, -5);
	/* an exception: the OID and the error, no value */
	m = start(EVB_MSG_RESULT);
	ipc_put_varbind(&m, &o, NULL, MIB_NO_SUCH_INSTANCE);
	assert_int_equal(parse(&m), 0);
	assert_null(AT.tb[EVB_A_MIB_VALUE]);
	assert_int_equal(ipc_get_varbind(&AT, &oo, &vv, &err, WHAT, sizeof(WHAT)), 0);
	assert_int_equal(err, MIB_NO_SUCH_INSTANCE);
	/* no OID; not whole sub-identifiers; an integer of 2 octets; no value */
	m = start(EVB_MSG_MIB_VB);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_oid(&AT, &oo, WHAT, sizeof(WHAT)), -ENOENT);
	assert_int_equal(ipc_get_varbind(&AT, &oo, &vv, &err, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the varbind has no OID");
	ipc_put(&m, EVB_A_MIB_OID, 6, o.a);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_oid(&AT, &oo, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the OID is not a whole number of 32-bit sub-identifiers");
	m = start(EVB_MSG_MIB_SET);
	ipc_put_oid(&m, &o);
	ipc_put_u8(&m, EVB_A_MIB_TYPE, MIB_INTEGER);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_value(&AT, &vv, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "a MIB set needs a type and a value");
	ipc_put(&m, EVB_A_MIB_VALUE, 2, "ab");
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_value(&AT, &vv, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "an integer MIB value takes 4 octets, not 2");
}

/* ---------------- plugin commands ---------------- */

static void test_plugin_cmd(void **state)
{
	(void)state;
	const char *args[] = {"a", "", "ccc"}, *name, *argv[EVB_ARGC_MAX + 1];
	struct ipc_msg m = start(EVB_MSG_PLUGIN_CMD);
	assert_int_equal(ipc_put_plugin_cmd(&m, "lb-show", 3, args), 0);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_plugin_cmd(&AT, &name, argv, WHAT, sizeof(WHAT)), 3);
	assert_string_equal(name, "lb-show");
	assert_string_equal(argv[0], "a");
	assert_string_equal(argv[1], "");
	assert_string_equal(argv[2], "ccc");
	assert_null(argv[3]);
	/* no name, no arguments: the listing */
	m = start(EVB_MSG_PLUGIN_CMD);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_plugin_cmd(&AT, &name, argv, WHAT, sizeof(WHAT)), 0);
	assert_string_equal(name, "");
	/* arguments without their last NUL; too many of them */
	m = start(EVB_MSG_PLUGIN_CMD);
	ipc_put(&m, EVB_A_ARGS, 3, "a\0b");
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_plugin_cmd(&AT, &name, argv, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the arguments are not 64 NUL-terminated strings or fewer");
	static char many[2 * (EVB_ARGC_MAX + 1)];
	m = start(EVB_MSG_PLUGIN_CMD);
	memset(many, 0, sizeof(many));
	for (size_t i = 0; i < sizeof(many); i += 2)
		many[i] = 'x';
	ipc_put(&m, EVB_A_ARGS, sizeof(many), many);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_plugin_cmd(&AT, &name, argv, WHAT, sizeof(WHAT)), -EINVAL);
	/* longer than the protocol carries */
	static char big[EVB_ARGS_MAX + 1];
	const char *one[] = {big};
	memset(big, 'x', EVB_ARGS_MAX - 1); /* with its NUL: exactly the most */
	m = start(EVB_MSG_PLUGIN_CMD);
	assert_int_equal(ipc_put_plugin_cmd(&m, "x", 1, one), 0);
	assert_int_equal(parse(&m), 0);
	big[EVB_ARGS_MAX - 1] = 'x';
	m = start(EVB_MSG_PLUGIN_CMD);
	assert_int_equal(ipc_put_plugin_cmd(&m, "x", 1, one), -E2BIG);
}

/* ---------------- evbd's own state ---------------- */

static struct ipc_daemon sample_daemon(void)
{
	struct ipc_daemon d = {.uptime_us = 90061000123ull,
			       .ports = 3,
			       .sock = {.requests = 1,
					.refused = 2,
					.rx_dropped = 3,
					.rx_malformed = 4,
					.over_budget = 5,
					.stalled = 6,
					.tx_backlogged = 7,
					.tx_lost = 8,
					.waiters = 9},
			       .held = 5000000000ull,
			       .held_peak = 6000000000ull,
			       .persistent = true,
			       .synced_gen = 1ull << 40,
			       .pending = 11,
			       .not_durable = 12,
			       .pid = 4242,
			       .subscribers = 13,
			       .subs_dropped = 14,
			       .events = 15};
	snprintf(d.version, sizeof(d.version), "0.1.0");
	snprintf(d.store_why, sizeof(d.store_why), "the disk is full");
	return d;
}

static void assert_daemon_equal(const struct ipc_daemon *a, const struct ipc_daemon *b)
{
	assert_string_equal(a->version, b->version);
	assert_true(a->uptime_us == b->uptime_us);
	assert_int_equal(a->ports, b->ports);
	assert_memory_equal(&a->sock, &b->sock, sizeof(a->sock));
	assert_true(a->held == b->held && a->held_peak == b->held_peak);
	assert_int_equal(a->persistent, b->persistent);
	assert_true(a->synced_gen == b->synced_gen);
	assert_int_equal(a->pending, b->pending);
	assert_int_equal(a->not_durable, b->not_durable);
	assert_string_equal(a->store_why, b->store_why);
	assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->subscribers, b->subscribers);
	assert_int_equal(a->subs_dropped, b->subs_dropped);
	assert_int_equal(a->events, b->events);
}

static void test_daemon(void **state)
{
	(void)state;
	static struct ipc_daemon in, out;
	in = sample_daemon();
	struct ipc_msg m = start(EVB_MSG_RESULT);
	ipc_put_result(&m, 0, NULL);
	ipc_put_daemon(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_non_null(AT.tb[EVB_A_STATS]);
	assert_int_equal(ipc_get_daemon(AT.tb[EVB_A_STATS], &out, WHAT, sizeof(WHAT)), 0);
	assert_daemon_equal(&out, &in);
	/* the table names every counter of the socket once, each with a label */
	uint32_t sum = 0;
	assert_int_equal(ipc_sock_nest.n, sizeof(in.sock) / sizeof(uint32_t));
	for (size_t i = 0; i < ipc_sock_nest.n; i++) {
		sum += ipc_u32_field_get(&out.sock, &ipc_sock_nest.f[i]);
		assert_non_null(ipc_sock_nest.f[i].label);
	}
	assert_int_equal(sum, 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9);
	/* writes succeeding: no sentence is sent, none is read */
	in.store_why[0] = '\0';
	in.persistent = false;
	m = start(EVB_MSG_RESULT);
	ipc_put_daemon(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_daemon(AT.tb[EVB_A_STATS], &out, WHAT, sizeof(WHAT)), 0);
	assert_string_equal(out.store_why, "");
	assert_false(out.persistent);
	assert_daemon_equal(&out, &in);
}

static void test_daemon_refused(void **state)
{
	(void)state;
	static struct ipc_daemon out;
	/* the version missing */
	struct ipc_msg m = start(EVB_MSG_RESULT);
	struct nlattr *n = ipc_nest_start(&m, EVB_A_STATS);
	ipc_put_u64(&m, EVB_SA_UPTIME, 1);
	ipc_put_u32(&m, EVB_SA_PORTS, 1);
	ipc_put_u8(&m, EVB_SA_PERSISTENT, 1);
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_daemon(AT.tb[EVB_A_STATS], &out, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "evbd's state lacks its version, uptime, ports or persistence");
	/* a counter of the wrong length */
	m = start(EVB_MSG_RESULT);
	n = ipc_nest_start(&m, EVB_A_STATS);
	ipc_put_u64(&m, EVB_SA_OVER_BUDGET, 1);
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_daemon(AT.tb[EVB_A_STATS], &out, WHAT, sizeof(WHAT)), -EINVAL);
	char what[64];
	snprintf(what, sizeof(what), "attribute %u has a bad length or value", EVB_SA_OVER_BUDGET);
	assert_string_equal(WHAT, what);
	/* a version longer than the protocol carries */
	static char vers[EVB_VERSION_MAX + 1];
	memset(vers, 'v', EVB_VERSION_MAX);
	m = start(EVB_MSG_RESULT);
	n = ipc_nest_start(&m, EVB_A_STATS);
	ipc_put_str(&m, EVB_SA_VERSION, vers);
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_daemon(AT.tb[EVB_A_STATS], &out, WHAT, sizeof(WHAT)), -EINVAL);
	snprintf(what, sizeof(what), "attribute %u has a bad length or value", EVB_SA_VERSION);
	assert_string_equal(WHAT, what);
}

/* An event's members survive the trip, per kind. */
static void test_event(void **state)
{
	(void)state;
	static struct ipc_event in, out;
	in = (struct ipc_event){.kind = EVB_EV_VSI_STATE,
				.seq = 77,
				.time_us = 1796533293433016ull,
				.role = EVB_ROLE_BRIDGE,
				.key = {.fmt = VDP_VSIID_MAC, .id = {[10] = 0x52, [15] = 0x02}},
				.type_id = 0xabcdef,
				.type_ver = 9,
				.cmd = VDP_TLV_ASSOC,
				.result = VSI_ASSOCIATED,
				.old_result = VSI_PENDING,
				.reason = 3,
				.state = 2,
				.old_state = 1};
	snprintf(in.ifname, sizeof(in.ifname), "eth7");
	struct ipc_msg m = start(EVB_MSG_EVENT);
	ipc_put_event(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_event(&AT, &out, WHAT, sizeof(WHAT)), 0);
	assert_memory_equal(&out, &in, sizeof(in));
	/* a port event: link, negotiation, neighbour */
	in = (struct ipc_event){
	    .kind = EVB_EV_NEIGHBOR,
	    .seq = 78,
	    .time_us = 5,
	    .link_up = true,
	    .present = true,
	    .has_nbr = true,
	    .oper = {.valid = true, .r = 3, .rte = 8, .rwd = 14, .rka = 14, .rr = true},
	    .nbr_mac = {2, 0, 0, 0, 0, 2}};
	snprintf(in.ifname, sizeof(in.ifname), "vst");
	m = start(EVB_MSG_EVENT);
	ipc_put_event(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_event(&AT, &out, WHAT, sizeof(WHAT)), 0);
	assert_memory_equal(&out, &in, sizeof(in));
	/* neighbour lost: no neighbour nest */
	in.kind = EVB_EV_NEIGHBOR_LOST;
	in.has_nbr = false;
	memset(in.nbr_mac, 0, sizeof(in.nbr_mac));
	m = start(EVB_MSG_EVENT);
	ipc_put_event(&m, &in);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_event(&AT, &out, WHAT, sizeof(WHAT)), 0);
	assert_false(out.has_nbr);
}

static void test_event_refused(void **state)
{
	(void)state;
	static struct ipc_event out;
	/* an unknown kind */
	struct ipc_msg m = start(EVB_MSG_EVENT);
	ipc_put_u8(&m, EVB_A_EVENT, EVB_EV_MAX);
	ipc_put_str(&m, EVB_A_IFNAME, "eth0");
	ipc_put_u64(&m, EVB_A_EV_TIME, 1);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_event(&AT, &out, WHAT, sizeof(WHAT)), -EINVAL);
	char what[64];
	snprintf(what, sizeof(what), "unknown event kind %u", EVB_EV_MAX);
	assert_string_equal(WHAT, what);
	/* a VSI event without its VSIID */
	m = start(EVB_MSG_EVENT);
	ipc_put_u8(&m, EVB_A_EVENT, EVB_EV_VSI_STATE);
	ipc_put_str(&m, EVB_A_IFNAME, "eth0");
	ipc_put_u64(&m, EVB_A_EV_TIME, 1);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_event(&AT, &out, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the VSI event lacks its VSIID");
	/* no time */
	m = start(EVB_MSG_EVENT);
	ipc_put_u8(&m, EVB_A_EVENT, EVB_EV_LINK);
	ipc_put_str(&m, EVB_A_IFNAME, "eth0");
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_event(&AT, &out, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the event lacks its kind, port or time");
	/* a neighbour nest without its MAC */
	m = start(EVB_MSG_EVENT);
	ipc_put_u8(&m, EVB_A_EVENT, EVB_EV_NEIGHBOR);
	ipc_put_str(&m, EVB_A_IFNAME, "eth0");
	ipc_put_u64(&m, EVB_A_EV_TIME, 1);
	struct nlattr *n = ipc_nest_start(&m, EVB_A_NEIGHBOR);
	ipc_put_u16(&m, EVB_NA_TTL, 120);
	ipc_nest_end(&m, n);
	assert_int_equal(parse(&m), 0);
	assert_int_equal(ipc_get_event(&AT, &out, WHAT, sizeof(WHAT)), -EINVAL);
	assert_string_equal(WHAT, "the event's neighbour lacks its MAC address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_and_done),
	    cmocka_unit_test(test_attrs_refused),
	    cmocka_unit_test(test_nests_refused),
	    cmocka_unit_test(test_result),
	    cmocka_unit_test(test_vsi_request),
	    cmocka_unit_test(test_vsi_request_refused),
	    cmocka_unit_test(test_vsi),
	    cmocka_unit_test(test_port),
	    cmocka_unit_test(test_port_cdcp),
	    cmocka_unit_test(test_port_refused),
	    cmocka_unit_test(test_vsitype),
	    cmocka_unit_test(test_vsitype_refused),
	    cmocka_unit_test(test_varbind),
	    cmocka_unit_test(test_plugin_cmd),
	    cmocka_unit_test(test_daemon),
	    cmocka_unit_test(test_daemon_refused),
	    cmocka_unit_test(test_event),
	    cmocka_unit_test(test_event_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
