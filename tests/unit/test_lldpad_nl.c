/* SPDX-License-Identifier: ISC */
/*
 * test_lldpad_nl.c - unit tests of the lldpad-nl plugin's message code
 * (plugins/lldpad-nl/lnl_msg.c): libvirt's RTM_SETLINK and RTM_GETLINK
 * parsed field by field (with and without NLA_F_NESTED), every malformed
 * case with its sentence, lldpad's mapping to VDP, the IFLA_PORT_RESPONSE
 * rules, datagram walking, and the three answers byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "plugins/lldpad-nl/lnl_msg.h"
#include "plugins/plugin_api.h"

/* ---------------- a little message builder ---------------- */

struct mb {
	uint8_t b[8192] __attribute__((aligned(8)));
	size_t len;
	uint16_t nested; /* 0 or NLA_F_NESTED */
};

static void raw(struct mb *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void pad(struct mb *m)
{
	while (m->len % 4)
		m->b[m->len++] = 0;
}

static size_t attr(struct mb *m, uint16_t type, const void *p, size_t n)
{
	size_t at = m->len;
	uint16_t h[2] = {(uint16_t)(4 + n), type};
	raw(m, h, 4);
	if (n)
		raw(m, p, n);
	pad(m);
	return at;
}

static size_t nest(struct mb *m, uint16_t type)
{
	return attr(m, (uint16_t)(type | m->nested), NULL, 0);
}

static void nest_end(struct mb *m, size_t at)
{
	uint16_t l = (uint16_t)(m->len - at);
	memcpy(m->b + at, &l, 2);
}

static void hdr(struct mb *m, uint16_t type, int ifindex)
{
	struct nlmsghdr h = {.nlmsg_type = type,
			     .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			     .nlmsg_seq = 77,
			     .nlmsg_pid = 4242};
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	m->len = 0;
	raw(m, &h, sizeof(h));
	raw(m, &ifi, sizeof(ifi));
}

static const struct nlmsghdr *done(struct mb *m)
{
	uint32_t l = (uint32_t)m->len;
	memcpy(m->b, &l, 4);
	return (const struct nlmsghdr *)m->b;
}

static const uint8_t UUID[16] = {0x6d, 0x0f, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x01};
static const uint8_t MAC[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

static void vfinfo(struct mb *m, bool mac, uint32_t vlan, uint32_t qos)
{
	size_t info = nest(m, LNL_IFLA_VF_INFO);
	if (mac) {
		uint8_t v[36] = {0xff, 0xff, 0xff, 0xff};
		memcpy(v + 4, MAC, 6);
		attr(m, LNL_IFLA_VF_MAC, v, sizeof(v));
	}
	uint32_t vl[3] = {LNL_PORT_SELF_VF, vlan, qos};
	attr(m, LNL_IFLA_VF_VLAN, vl, sizeof(vl));
	nest_end(m, info);
}

/* libvirt's request: IFNAME, one VF_INFO (MAC + VLAN), one VF_PORT. */
static const struct nlmsghdr *libvirt_setlink(struct mb *m, uint8_t req)
{
	hdr(m, RTM_SETLINK, 5);
	attr(m, LNL_IFLA_IFNAME, "eth0", 5);
	size_t list = nest(m, LNL_IFLA_VFINFO_LIST);
	vfinfo(m, true, 100, 0);
	nest_end(m, list);
	size_t ports = nest(m, LNL_IFLA_VF_PORTS), port = nest(m, LNL_IFLA_VF_PORT);
	uint8_t vsi[8] = {7, 0x56, 0x34, 0x12, 3, 0, 0, 0}; /* mgr 7, type 0x123456 LSB first, v3 */
	attr(m, LNL_IFLA_PORT_VSI_TYPE, vsi, 8);
	attr(m, LNL_IFLA_PORT_INSTANCE_UUID, UUID, 16);
	attr(m, LNL_IFLA_PORT_REQUEST, &req, 1);
	nest_end(m, port);
	nest_end(m, ports);
	return done(m);
}

static struct mb m;
static struct lnl_setlink s;
static const char *what;

/* ---------------- SETLINK ---------------- */

static void check_libvirt_fields(void)
{
	assert_int_equal(s.ifindex, 5);
	assert_string_equal(s.ifname, "eth0");
	assert_int_equal(s.request, LNL_REQ_ASSOCIATE);
	assert_true(s.has_vsi_type);
	assert_int_equal(s.mgrid, 7);
	assert_int_equal(s.type_id, 0x123456);
	assert_int_equal(s.type_ver, 3);
	assert_memory_equal(s.uuid, UUID, 16);
	assert_true(s.has_vfinfo);
	assert_int_equal(s.nfilters, 1);
	assert_true(s.f[0].has_mac);
	assert_memory_equal(s.f[0].mac, MAC, 6);
	assert_int_equal(s.f[0].vlan, 100);
	assert_int_equal(s.f[0].qos, 0);
}

static void test_setlink_libvirt(void **state)
{
	(void)state;
	m.nested = 0;
	assert_int_equal(lnl_parse_setlink(libvirt_setlink(&m, 2), &s, &what), 0);
	check_libvirt_fields();
	m.nested = NLA_F_NESTED; /* masked */
	assert_int_equal(lnl_parse_setlink(libvirt_setlink(&m, 2), &s, &what), 0);
	check_libvirt_fields();
	m.nested = 0;
}

static void test_setlink_variants(void **state)
{
	(void)state;
	/* no IFLA_IFNAME: the index names the interface */
	hdr(&m, RTM_SETLINK, 9);
	size_t list = nest(&m, LNL_IFLA_VFINFO_LIST);
	vfinfo(&m, false, 7, 13); /* VLAN only */
	vfinfo(&m, false, 8, 0);
	nest_end(&m, list);
	size_t ports = nest(&m, LNL_IFLA_VF_PORTS);
	uint32_t other = 0;
	attr(&m, 9, &other, 4); /* not a VF_PORT: skipped as lldpad does */
	size_t port = nest(&m, LNL_IFLA_VF_PORT);
	uint8_t vsi[8] = {0, 1, 0, 0, 1}, req = 0;
	uint32_t vf = LNL_PORT_SELF_VF;
	attr(&m, LNL_IFLA_PORT_PROFILE, "profile", 8);
	attr(&m, LNL_IFLA_PORT_VF, &vf, 4);
	attr(&m, LNL_IFLA_PORT_VSI_TYPE, vsi, 8);
	attr(&m, LNL_IFLA_PORT_INSTANCE_UUID, UUID, 16);
	attr(&m, LNL_IFLA_PORT_HOST_UUID, UUID, 16);
	attr(&m, LNL_IFLA_PORT_REQUEST, &req, 1);
	nest_end(&m, port);
	nest_end(&m, ports);
	attr(&m, 29, &vf, 4); /* IFLA_EXT_MASK: not ours */
	assert_int_equal(lnl_parse_setlink(done(&m), &s, &what), 0);
	assert_string_equal(s.ifname, "");
	assert_int_equal(s.ifindex, 9);
	assert_int_equal(s.request, LNL_REQ_PREASSOCIATE);
	assert_int_equal(s.type_id, 1);
	assert_int_equal(s.nfilters, 2);
	assert_false(s.f[0].has_mac);
	assert_int_equal(s.f[0].vlan, 7);
	assert_int_equal(s.f[0].qos, 13);
	assert_int_equal(s.f[1].vlan, 8);

	/* a De-Associate needs neither VSI_TYPE nor VFINFO_LIST */
	hdr(&m, RTM_SETLINK, 9);
	ports = nest(&m, LNL_IFLA_VF_PORTS);
	port = nest(&m, LNL_IFLA_VF_PORT);
	req = 3;
	attr(&m, LNL_IFLA_PORT_INSTANCE_UUID, UUID, 16);
	attr(&m, LNL_IFLA_PORT_REQUEST, &req, 1);
	nest_end(&m, port);
	nest_end(&m, ports);
	assert_int_equal(lnl_parse_setlink(done(&m), &s, &what), 0);
	assert_int_equal(s.request, LNL_REQ_DISASSOCIATE);
	assert_false(s.has_vsi_type);
	assert_false(s.has_vfinfo);
	assert_int_equal(s.nfilters, 0);
}

/* Offsets in libvirt_setlink()'s layout. */
#define OFF_IFNAME  32
#define OFF_LIST    44
#define OFF_INFO    48
#define OFF_MAC	    52
#define OFF_VLAN    92
#define OFF_PORTS   108
#define OFF_PORT    112
#define OFF_VSI	    116
#define OFF_UUID    128
#define OFF_REQUEST 148

static void expect_bad(const char *sentence)
{
	assert_int_equal(lnl_parse_setlink((const struct nlmsghdr *)m.b, &s, &what), -EINVAL);
	assert_string_equal(what, sentence);
}

static void set16(size_t off, uint16_t v)
{
	memcpy(m.b + off, &v, 2);
}

static void test_setlink_layout(void **state)
{
	(void)state;
	libvirt_setlink(&m, 2);
	assert_int_equal(m.len, 156);
	uint16_t h[2];
	memcpy(h, m.b + OFF_MAC, 4);
	assert_int_equal(h[0], 40);
	assert_int_equal(h[1], LNL_IFLA_VF_MAC);
	memcpy(h, m.b + OFF_VLAN, 4);
	assert_int_equal(h[0], 16);
	memcpy(h, m.b + OFF_REQUEST, 4);
	assert_int_equal(h[0], 5);
	assert_int_equal(h[1], LNL_IFLA_PORT_REQUEST);
	assert_int_equal(m.b[OFF_REQUEST + 4], 2);
	assert_int_equal(m.b[OFF_VSI + 4 + 1], 0x56); /* type ID LSB first */
}

static void test_setlink_errors(void **state)
{
	(void)state;
	libvirt_setlink(&m, 2);
	set16(OFF_MAC, 4 + 35);
	expect_bad("IFLA_VF_MAC is not 36 octets");
	libvirt_setlink(&m, 2);
	set16(OFF_VLAN, 4 + 11);
	expect_bad("IFLA_VF_VLAN is not 12 octets");
	libvirt_setlink(&m, 2);
	set16(OFF_VLAN, 200);
	expect_bad("an attribute is truncated or its length is wrong");
	libvirt_setlink(&m, 2);
	set16(OFF_VSI, 4 + 7);
	expect_bad("an IFLA_VF_PORT attribute (VF, VSI_TYPE, INSTANCE_UUID, HOST_UUID, REQUEST or "
		   "RESPONSE) has the wrong length");
	libvirt_setlink(&m, 2);
	set16(OFF_UUID, 4 + 15);
	expect_bad("an IFLA_VF_PORT attribute (VF, VSI_TYPE, INSTANCE_UUID, HOST_UUID, REQUEST or "
		   "RESPONSE) has the wrong length");
	libvirt_setlink(&m, 2);
	set16(OFF_REQUEST, 4 + 2); /* REQUEST as u16 */
	expect_bad("an IFLA_VF_PORT attribute (VF, VSI_TYPE, INSTANCE_UUID, HOST_UUID, REQUEST or "
		   "RESPONSE) has the wrong length");
	libvirt_setlink(&m, 4);
	expect_bad("IFLA_PORT_REQUEST is not 0 (preassociate), 1 (preassociate-rr), 2 (associate) "
		   "or 3 (disassociate)");
	libvirt_setlink(&m, 2);
	memset(m.b + OFF_UUID + 4, 0, 16);
	expect_bad("IFLA_PORT_INSTANCE_UUID is all zero");
	libvirt_setlink(&m, 2);
	set16(OFF_VSI + 2, 99); /* VSI_TYPE becomes an unknown attribute */
	expect_bad("IFLA_VF_PORT lacks IFLA_PORT_VSI_TYPE");
	libvirt_setlink(&m, 2);
	set16(OFF_UUID + 2, 99);
	expect_bad("IFLA_VF_PORT lacks IFLA_PORT_INSTANCE_UUID or IFLA_PORT_REQUEST");
	libvirt_setlink(&m, 2);
	set16(OFF_VSI + 2, LNL_IFLA_PORT_REQUEST); /* two REQUESTs (and a wrong length) */
	expect_bad("an IFLA_VF_PORT attribute (VF, VSI_TYPE, INSTANCE_UUID, HOST_UUID, REQUEST or "
		   "RESPONSE) has the wrong length");
	libvirt_setlink(&m, 2);
	set16(OFF_UUID + 2, LNL_IFLA_PORT_HOST_UUID);
	set16(OFF_VSI, 4 + 16);
	expect_bad("an IFLA_VF_PORT attribute (VF, VSI_TYPE, INSTANCE_UUID, HOST_UUID, REQUEST or "
		   "RESPONSE) has the wrong length");
	libvirt_setlink(&m, 2);
	set16(OFF_MAC + 2, LNL_IFLA_VF_VLAN); /* the MAC slot now claims to be a second VLAN */
	expect_bad("IFLA_VF_VLAN is not 12 octets");
	libvirt_setlink(&m, 2);
	set16(OFF_VLAN + 2, 9); /* VF_INFO without VLAN */
	expect_bad("an IFLA_VF_INFO has no IFLA_VF_VLAN");
	libvirt_setlink(&m, 2);
	set16(OFF_INFO + 2, 2);
	expect_bad("IFLA_VFINFO_LIST holds something else than IFLA_VF_INFO");
	libvirt_setlink(&m, 2);
	set16(OFF_PORT + 2, 2); /* the only VF_PORT becomes something else */
	expect_bad("IFLA_VF_PORTS holds no IFLA_VF_PORT");
	libvirt_setlink(&m, 2);
	set16(OFF_PORTS + 2, 99);
	expect_bad("the request has no IFLA_VF_PORTS");
	libvirt_setlink(&m, 2);
	set16(OFF_LIST + 2, LNL_IFLA_VF_PORTS); /* two VF_PORTS */
	expect_bad("an attribute (IFLA_IFNAME, IFLA_VFINFO_LIST or IFLA_VF_PORTS) is given twice");
	libvirt_setlink(&m, 2);
	memcpy(m.b + OFF_IFNAME + 4, "eth0X", 5); /* no NUL */
	expect_bad("IFLA_IFNAME is not an interface name (1 to 15 characters and a NUL)");
	libvirt_setlink(&m, 2);
	m.b[m.len] = 1;
	m.b[m.len + 1] = 2;
	m.len += 2;
	done(&m);
	expect_bad("an attribute is truncated or its length is wrong");
	libvirt_setlink(&m, 2);
	m.len = 20;
	done(&m);
	expect_bad("the message is shorter than its ifinfomsg");
	libvirt_setlink(&m, 2);
	set16(OFF_LIST + 2, 99); /* no VFINFO_LIST for an Associate */
	expect_bad("the request has no IFLA_VFINFO_LIST entry (MAC and VLAN)");
}

static void test_setlink_limits(void **state)
{
	(void)state;
	/* 65 VF_INFO entries */
	hdr(&m, RTM_SETLINK, 5);
	size_t list = nest(&m, LNL_IFLA_VFINFO_LIST);
	for (int i = 0; i < 65; i++)
		vfinfo(&m, true, 5, 0);
	nest_end(&m, list);
	size_t ps = nest(&m, LNL_IFLA_VF_PORTS), pt = nest(&m, LNL_IFLA_VF_PORT);
	uint8_t rq = 2;
	attr(&m, LNL_IFLA_PORT_INSTANCE_UUID, UUID, 16);
	attr(&m, LNL_IFLA_PORT_REQUEST, &rq, 1);
	nest_end(&m, pt);
	nest_end(&m, ps);
	done(&m);
	expect_bad("IFLA_VFINFO_LIST has more than 64 entries");
	/* two VF_PORTs; VF other than PORT_SELF_VF; long profile; no interface */
	const char *cases[] = {"two", "vf", "profile", "noif"};
	const char *want[] = {"IFLA_VF_PORTS holds more than one IFLA_VF_PORT",
			      "IFLA_PORT_VF names a virtual function; only the port itself "
			      "(PORT_SELF_VF) has VSIs here",
			      "IFLA_PORT_PROFILE is not a string of at most 39 characters",
			      "the request names no interface (no IFLA_IFNAME, no index)"};
	for (int c = 0; c < 4; c++) {
		hdr(&m, RTM_SETLINK, c == 3 ? 0 : 5);
		list = nest(&m, LNL_IFLA_VFINFO_LIST);
		vfinfo(&m, true, 5, 0);
		nest_end(&m, list);
		size_t ports = nest(&m, LNL_IFLA_VF_PORTS);
		for (int i = 0; i < (c == 0 ? 2 : 1); i++) {
			size_t port = nest(&m, LNL_IFLA_VF_PORT);
			uint8_t vsi[8] = {0}, req = 2;
			uint32_t vf = 3;
			char prof[41];
			memset(prof, 'p', 40);
			prof[40] = 0;
			if (c == 1)
				attr(&m, LNL_IFLA_PORT_VF, &vf, 4);
			if (c == 2)
				attr(&m, LNL_IFLA_PORT_PROFILE, prof, 41);
			attr(&m, LNL_IFLA_PORT_VSI_TYPE, vsi, 8);
			attr(&m, LNL_IFLA_PORT_INSTANCE_UUID, UUID, 16);
			attr(&m, LNL_IFLA_PORT_REQUEST, &req, 1);
			nest_end(&m, port);
		}
		nest_end(&m, ports);
		done(&m);
		expect_bad(want[c]);
		(void)cases;
	}
}

/* ---------------- mapping ---------------- */

static void test_to_request(void **state)
{
	(void)state;
	struct evbd_vsi_request r;
	struct evbd_vsi_filter f[LNL_MAX_FILTERS];
	libvirt_setlink(&m, 2);
	assert_int_equal(lnl_parse_setlink((const struct nlmsghdr *)m.b, &s, &what), 0);
	s.f[0].qos = 13; /* PS + PCP 5 */
	assert_int_equal(lnl_to_request(&s, &r, f, &what), 0);
	assert_int_equal(r.command, EVBD_VDP_ASSOC); /* PORT_REQUEST + 1 */
	assert_int_equal(r.hints, 0);
	assert_int_equal(r.key.format, EVBD_VSIID_UUID);
	assert_memory_equal(r.key.id, UUID, 16);
	uint8_t mgr[16] = {7};
	assert_memory_equal(r.mgrid, mgr, 16);
	assert_int_equal(r.type_id, 0x123456);
	assert_int_equal(r.type_version, 3);
	assert_int_equal(r.filter_format, EVBD_FIF_MACVID);
	assert_int_equal(r.nfilters, 1);
	assert_ptr_equal(r.filters, f);
	assert_memory_equal(f[0].mac, MAC, 6);
	assert_int_equal(f[0].vid, 100);
	assert_true(f[0].ps);
	assert_int_equal(f[0].pcp, 5);
	for (uint8_t q = 0; q < 4; q++) {
		s.request = q;
		assert_int_equal(lnl_to_request(&s, &r, f, &what), 0);
		assert_int_equal(r.command, q + 1);
	}
	s.f[0].has_mac = false;
	s.f[0].qos = 6;
	assert_int_equal(lnl_to_request(&s, &r, f, &what), 0);
	assert_int_equal(r.filter_format, EVBD_FIF_VID);
	assert_false(f[0].ps);
	assert_int_equal(f[0].pcp, 6);
	s.f[0].qos = 16;
	assert_int_equal(lnl_to_request(&s, &r, f, &what), -EINVAL);
	assert_string_equal(what, "IFLA_VF_VLAN has a VLAN ID above 4095 or a qos above 15");
	s.f[0].qos = 0;
	s.f[0].vlan = 4096;
	assert_int_equal(lnl_to_request(&s, &r, f, &what), -EINVAL);
	s.f[0].vlan = 4095; /* the engine refuses it with its reason */
	assert_int_equal(lnl_to_request(&s, &r, f, &what), 0);
	s.nfilters = 2;
	s.f[1] = s.f[0];
	s.f[1].has_mac = true;
	assert_int_equal(lnl_to_request(&s, &r, f, &what), -EINVAL);
	assert_string_equal(what, "some IFLA_VF_INFO entries have a MAC and some do not");
	s.nfilters = 0;
	s.request = LNL_REQ_DISASSOCIATE;
	assert_int_equal(lnl_to_request(&s, &r, f, &what), 0);
	assert_int_equal(r.nfilters, 0);
	assert_int_equal(r.command, EVBD_VDP_DEASSOC);
}

static void test_response(void **state)
{
	(void)state;
	/* associate */
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_PENDING, 0, 0, false),
			 LNL_RESP_NONE);
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_ASSOCIATED, 0x40, 0, false), 0);
	assert_int_equal(lnl_response(EVBD_VDP_PREASSOC, EVBD_VSI_PREASSOCIATED, 0x40, 0, false),
			 0);
	assert_int_equal(
	    lnl_response(EVBD_VDP_PREASSOC_RR, EVBD_VSI_PREASSOCIATED_RR, 0x40, 0, false), 0);
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_PREASSOCIATED, 0x40, 0, false),
			 LNL_RESP_ERROR); /* not what was asked */
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_PREASSOCIATED, 0x62, 2, false),
			 0x22);
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_FAILED, 0x55, 5, true), 0x15);
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_FAILED, 0, 0, true), LNL_RESP_ERROR);
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_PENDING, 0, 0, true),
			 LNL_RESP_ERROR);
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_DEASSOCIATED, 0x00, 0, true),
			 LNL_RESP_ERROR); /* the bridge ended it */
	assert_int_equal(lnl_response(EVBD_VDP_ASSOC, EVBD_VSI_ASSOCIATED, 0x40, 0, true),
			 LNL_RESP_ERROR);
	/* de-associate */
	assert_int_equal(lnl_response(EVBD_VDP_DEASSOC, EVBD_VSI_DEASSOCIATED, 0x40, 0, true), 0);
	assert_int_equal(lnl_response(EVBD_VDP_DEASSOC, EVBD_VSI_PENDING, 0, 0, false),
			 LNL_RESP_NONE);
	assert_int_equal(lnl_response(EVBD_VDP_DEASSOC, EVBD_VSI_ASSOCIATED, 0x40, 0, false),
			 LNL_RESP_NONE);
	assert_int_equal(lnl_response(EVBD_VDP_DEASSOC, EVBD_VSI_FAILED, 0, 0, false),
			 LNL_RESP_ERROR);
	assert_int_equal(lnl_response(EVBD_VDP_DEASSOC, EVBD_VSI_FAILED, 0x44, 4, true), 4);
	assert_int_equal(lnl_response(EVBD_VDP_DEASSOC, EVBD_VSI_DEASSOCIATED, 0x43, 3, true), 3);
}

/* ---------------- GETLINK, walking ---------------- */

static void test_getlink(void **state)
{
	(void)state;
	struct lnl_getlink g;
	uint32_t mask = 1;
	hdr(&m, RTM_GETLINK, 6);
	attr(&m, 29, &mask, 4);
	assert_int_equal(lnl_parse_getlink(done(&m), &g, &what), 0);
	assert_int_equal(g.ifindex, 6);
	assert_string_equal(g.ifname, "");
	hdr(&m, RTM_GETLINK, 0);
	attr(&m, LNL_IFLA_IFNAME, "vst", 4);
	assert_int_equal(lnl_parse_getlink(done(&m), &g, &what), 0);
	assert_string_equal(g.ifname, "vst");
	attr(&m, LNL_IFLA_IFNAME, "vst", 4);
	assert_int_equal(lnl_parse_getlink(done(&m), &g, &what), -EINVAL);
	assert_string_equal(what, "IFLA_IFNAME is given twice");
	hdr(&m, RTM_GETLINK, 0);
	assert_int_equal(lnl_parse_getlink(done(&m), &g, &what), -EINVAL);
	assert_string_equal(what, "the request names no interface (no IFLA_IFNAME, no index)");
	hdr(&m, RTM_GETLINK, 1);
	attr(&m, LNL_IFLA_IFNAME, "", 0);
	assert_int_equal(lnl_parse_getlink(done(&m), &g, &what), -EINVAL);
	assert_string_equal(what, "IFLA_IFNAME is not an interface name (1 to 15 characters and a "
				  "NUL)");
	hdr(&m, RTM_GETLINK, 1);
	m.len = 24;
	assert_int_equal(lnl_parse_getlink(done(&m), &g, &what), -EINVAL);
	assert_string_equal(what, "the message is shorter than its ifinfomsg");
	hdr(&m, RTM_GETLINK, 1);
	attr(&m, 29, &mask, 4);
	set16(32, 9);
	assert_int_equal(lnl_parse_getlink(done(&m), &g, &what), -EINVAL);
	assert_string_equal(what, "an attribute is truncated or its length is wrong");
}

static void test_next(void **state)
{
	(void)state;
	static uint8_t d[512] __attribute__((aligned(8)));
	const struct nlmsghdr *n;
	size_t off = 0;
	uint32_t mask = 1;
	hdr(&m, RTM_GETLINK, 1);
	attr(&m, 29, &mask, 4);
	done(&m);
	memcpy(d, m.b, m.len);
	memcpy(d + m.len, m.b, m.len);
	size_t two = 2 * m.len;
	assert_int_equal(lnl_next(d, two, &off, &n), 1);
	assert_ptr_equal(n, d);
	assert_int_equal(off, 40);
	assert_int_equal(lnl_next(d, two, &off, &n), 1);
	assert_ptr_equal(n, d + 40);
	assert_int_equal(lnl_next(d, two, &off, &n), 0);
	assert_null(n);
	/* the second message cut short: its header is there to answer */
	off = 0;
	assert_int_equal(lnl_next(d, two - 4, &off, &n), 1);
	assert_int_equal(lnl_next(d, two - 4, &off, &n), -EINVAL);
	assert_ptr_equal(n, d + 40);
	/* fewer octets than a header: nothing to answer */
	off = 0;
	assert_int_equal(lnl_next(d, 15, &off, &n), -EINVAL);
	assert_null(n);
	/* nlmsg_len below a header */
	uint32_t l = 8;
	memcpy(d, &l, 4);
	off = 0;
	assert_int_equal(lnl_next(d, two, &off, &n), -EINVAL);
	assert_ptr_equal(n, d);
	/* an unaligned length: the next message starts at the aligned offset */
	l = 37;
	memcpy(d, &l, 4);
	off = 0;
	assert_int_equal(lnl_next(d, two, &off, &n), 1);
	assert_int_equal(off, 40);
	off = 0;
	assert_int_equal(lnl_next(d, 38, &off, &n), 1);
	assert_int_equal(off, 38);
}

/* ---------------- answers ---------------- */

static void test_build_error(void **state)
{
	(void)state;
	uint8_t b[64];
	const struct nlmsghdr *req = libvirt_setlink(&m, 2);
	assert_int_equal(lnl_build_error(b, 35, req, -EBUSY), 0);
	assert_int_equal(lnl_build_error(b, sizeof(b), req, -EBUSY), 36);
	const uint8_t want[20] = {36, 0,    0,	  0, NLMSG_ERROR, 0,	0,    0,    77,	 0, 0,
				  0,  0x92, 0x10, 0, 0,		  0xf0, 0xff, 0xff, 0xff}; /* -16 */
	assert_memory_equal(b, want, 20);
	assert_memory_equal(b + 20, m.b, 16); /* the request's header echoed */
}

static void test_build_reply(void **state)
{
	(void)state;
	static uint8_t b[256];
	struct lnl_entry e[2] = {{.response = LNL_RESP_NONE}, {.response = 0x22}};
	memcpy(e[0].uuid, UUID, 16);
	memset(e[1].uuid, 0xab, 16);
	const struct nlmsghdr *req = libvirt_setlink(&m, 2);
	assert_int_equal(lnl_reply_size(2), 116);
	assert_int_equal(lnl_build_reply(b, 115, req, 5, e, 2), 0);
	assert_int_equal(lnl_build_reply(b, sizeof(b), req, 5, e, LNL_MAX_ENTRIES + 1), 0);
	size_t n = lnl_build_reply(b, sizeof(b), req, 5, e, 2);
	assert_int_equal(n, 108); /* no RESPONSE in the first entry */
	static const uint8_t want[108] = {
	    108,  0,	0,    0,    RTM_NEWLINK, 0,    0,    0,	   77,	 0,    0,    0,	   0x92,
	    0x10, 0,	0, /* header */
	    0,	  0,	0,    0,    5,		 0,    0,    0,	   0,	 0,    0,    0,	   0,
	    0,	  0,	0,	    /* ifinfomsg */
	    76,	  0,	24,   0x80, /* VF_PORTS */
	    32,	  0,	1,    0x80, /* VF_PORT */
	    20,	  0,	4,    0,    0x6d,	 0x0f, 0,    0,	   0,	 0,    0x40, 0,	   0x80,
	    0,	  0,	0,    0,    0,		 0,    1,    8,	   0,	 1,    0,    0xff, 0xff,
	    0xff, 0xff,		    /* PORT_VF -1 */
	    40,	  0,	1,    0x80, /* VF_PORT */
	    20,	  0,	4,    0,    0xab,	 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
	    0xab, 0xab, 0xab, 0xab, 0xab,	 0xab, 0xab, 8,	   0,	 1,    0,    0xff, 0xff,
	    0xff, 0xff, 6,    0,    7,		 0,    0x22, 0,	   0,	 0, /* RESPONSE u16 */
	};
	assert_memory_equal(b, want, 108);
	/* the largest reply fits the 16-bit nest length */
	assert_true(lnl_reply_size(LNL_MAX_ENTRIES) - 32 <= 0xffff);
	assert_true(lnl_reply_size(LNL_MAX_ENTRIES + 1) - 32 > 0xffff);
}

static void test_build_notify(void **state)
{
	(void)state;
	static uint8_t b[512];
	struct lnl_filter f = {.vlan = 100, .qos = 0, .has_mac = true};
	memcpy(f.mac, MAC, 6);
	struct lnl_notify n = {.pid = 999,
			       .seq = 77,
			       .ifindex = 5,
			       .ifname = "eth0",
			       .mgrid = 7,
			       .type_id = 0x123456,
			       .type_ver = 3,
			       .request = LNL_REQ_DISASSOCIATE,
			       .nfilters = 1,
			       .f = &f};
	memcpy(n.uuid, UUID, 16);
	assert_int_equal(lnl_build_notify(b, lnl_notify_size(1) - 1, &n), 0);
	size_t len = lnl_build_notify(b, sizeof(b), &n);
	assert_int_equal(len, 164);
	const struct nlmsghdr *h = (const void *)b;
	assert_int_equal(h->nlmsg_type, RTM_SETLINK);
	assert_int_equal(h->nlmsg_flags, 0);
	assert_int_equal(h->nlmsg_pid, 999);
	assert_int_equal(h->nlmsg_seq, 77);
	static const uint8_t want[132] = {
	    9,	0, 3,  0,    'e',  't',	 'h',  '0',  0,	   0,	 0,    0, /* IFNAME */
	    64, 0, 22, 0x80, 60,   0,	 1,    0x80,			  /* VFINFO_LIST, VF_INFO */
	    40, 0, 1,  0,    0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0,    0x12, 0x34, 0x56, 0,   0, 0,
	    0,	0, 0,  0,    0,	   0,	 0,    0,    0,	   0,	 0,    0,    0,	   0,	 0,   0, 0,
	    0,	0, 0,  0,    0,	   0,	 16,   0,    2,	   0,	 0xff, 0xff, 0xff, 0xff, 100, 0, 0,
	    0,	0, 0,  0,    0,						  /* VF_VLAN */
	    56, 0, 24, 0x80, 52,   0,	 1,    0x80,			  /* VF_PORTS, VF_PORT */
	    12, 0, 3,  0,    7,	   0x56, 0x34, 0x12, 3,	   0,	 0,    0, /* VSI_TYPE */
	    20, 0, 4,  0,    0x6d, 0x0f, 0,    0,    0,	   0,	 0x40, 0,    0x80, 0,	 0,   0, 0,
	    0,	0, 1,  8,    0,	   1,	 0,    0xff, 0xff, 0xff, 0xff, /* PORT_VF */
	    5,	0, 6,  0,    3,	   0,	 0,    0,		       /* REQUEST u8 = 3 */
	};
	assert_memory_equal(b + 32, want, 132);
	/* and it reads back as a request */
	assert_int_equal(lnl_parse_setlink(h, &s, &what), 0);
	assert_int_equal(s.request, LNL_REQ_DISASSOCIATE);
	assert_int_equal(s.type_id, 0x123456);
	assert_int_equal(s.f[0].vlan, 100);
	n.ifname = "a-name-too-long-x";
	assert_int_equal(lnl_build_notify(b, sizeof(b), &n), 0);
}

/* ---------------- link events and the link watch ---------------- */

static const struct nlmsghdr *link_msg(uint16_t type, int ifindex, const char *name, int32_t lower,
				       const char *kind)
{
	hdr(&m, type, ifindex);
	attr(&m, LNL_IFLA_IFNAME, name, strlen(name) + 1);
	if (lower)
		attr(&m, LNL_IFLA_LINK, &lower, 4);
	if (kind) {
		size_t li = nest(&m, LNL_IFLA_LINKINFO);
		attr(&m, LNL_IFLA_INFO_KIND, kind, strlen(kind) + 1);
		nest_end(&m, li);
	}
	return done(&m);
}

static void test_link_event(void **state)
{
	(void)state;
	struct lnl_link_event ev;
	assert_int_equal(
	    lnl_parse_link_event(link_msg(RTM_NEWLINK, 9, "macvtap0", 4, "macvtap"), &ev, &what),
	    0);
	assert_false(ev.removed);
	assert_int_equal(ev.ifindex, 9);
	assert_int_equal(ev.link, 4);
	assert_string_equal(ev.ifname, "macvtap0");
	assert_string_equal(ev.kind, "macvtap");
	assert_int_equal(
	    lnl_parse_link_event(link_msg(RTM_DELLINK, 9, "macvtap0", 0, NULL), &ev, &what), 0);
	assert_true(ev.removed);
	assert_int_equal(ev.link, 0);
	assert_string_equal(ev.kind, "");
	assert_int_equal(lnl_parse_link_event(link_msg(RTM_GETLINK, 9, "x", 0, NULL), &ev, &what),
			 -EINVAL);
	assert_string_equal(what, "not a link event");
	/* a kind longer than any: refused */
	assert_int_equal(lnl_parse_link_event(
			     link_msg(RTM_NEWLINK, 9, "x", 4, "a-kind-name-too-long"), &ev, &what),
			 -EINVAL);
	assert_string_equal(what, "IFLA_INFO_KIND is not a short NUL-terminated string");
	/* IFLA_LINK of 2 octets */
	hdr(&m, RTM_NEWLINK, 9);
	attr(&m, LNL_IFLA_LINK, "\1\0", 2);
	assert_int_equal(lnl_parse_link_event(done(&m), &ev, &what), -EINVAL);
	assert_string_equal(what, "IFLA_LINK is not 4 octets");
	/* an attribute running past the message */
	link_msg(RTM_NEWLINK, 9, "macvtap0", 4, NULL);
	set16(NLMSG_HDRLEN + sizeof(struct ifinfomsg), 200);
	assert_int_equal(lnl_parse_link_event(done(&m), &ev, &what), -EINVAL);
}

static void watch_new(struct lnl_watch *w, int ifindex, int lower, uint64_t now)
{
	struct lnl_link_event ev = {.ifindex = ifindex, .link = lower, .kind = "macvtap"};
	snprintf(ev.ifname, sizeof(ev.ifname), "macvtap%d", ifindex);
	lnl_watch_add(w, &ev, now);
}

static void test_link_watch(void **state)
{
	(void)state;
	static struct lnl_watch w;
	struct lnl_watched g;
	/* created, gone 5 ms later, no request: the fault's trace */
	watch_new(&w, 10, 4, 1000000);
	watch_new(&w, 10, 4, 1000500); /* a change of the same device: still one */
	assert_int_equal(w.n, 1);
	assert_true(lnl_watch_gone(&w, 10, 1005000, &g));
	assert_string_equal(g.ifname, "macvtap10");
	assert_int_equal(g.lower, 4);
	assert_int_equal(w.n, 0);
	/* a request for the port came: not suspect */
	watch_new(&w, 11, 4, 0);
	watch_new(&w, 12, 5, 0);
	lnl_watch_request(&w, 4);
	assert_false(lnl_watch_gone(&w, 11, 1000, &g));
	assert_true(lnl_watch_gone(&w, 12, 1000, &g));
	/* a guest without <virtualport> ran a while: not suspect */
	watch_new(&w, 13, 4, 0);
	assert_false(lnl_watch_gone(&w, 13, LNL_WATCH_US, &g));
	assert_false(lnl_watch_gone(&w, 99, 0, &g)); /* never watched */
	/* bounded: the oldest gives way */
	for (int i = 0; i < LNL_WATCH_MAX + 3; i++)
		watch_new(&w, 100 + i, 4, (uint64_t)i);
	assert_int_equal(w.n, LNL_WATCH_MAX);
	assert_false(lnl_watch_gone(&w, 100, 10, &g));
	assert_true(lnl_watch_gone(&w, 103, 10, &g));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_setlink_libvirt),
	    cmocka_unit_test(test_setlink_variants),
	    cmocka_unit_test(test_setlink_layout),
	    cmocka_unit_test(test_setlink_errors),
	    cmocka_unit_test(test_setlink_limits),
	    cmocka_unit_test(test_to_request),
	    cmocka_unit_test(test_response),
	    cmocka_unit_test(test_getlink),
	    cmocka_unit_test(test_next),
	    cmocka_unit_test(test_build_error),
	    cmocka_unit_test(test_build_reply),
	    cmocka_unit_test(test_build_notify),
	    cmocka_unit_test(test_link_event),
	    cmocka_unit_test(test_link_watch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
