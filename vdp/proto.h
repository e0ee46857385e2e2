/* SPDX-License-Identifier: ISC */
/*
 * proto.h - every protocol constant of IEEE 802.1Qbg-2012 that evbd uses, in
 * one place, each with where it comes from.
 *
 * "Qbg" = clause of IEEE 802.1Qbg-2012, "Q" = clause or annex of IEEE
 * 802.1Q-2014 that absorbed it, "AB" = IEEE 802.1AB-2009, as public sources
 * cite them (the IEEE text itself was not available; docs/protocol.md,
 * "Clause numbers").  Values marked "lldpad" are what the reference
 * implementation does where no public text of the standard was seen.
 */
#ifndef VDP_PROTO_H
#define VDP_PROTO_H

/* ---- Ethernet (AB 7.1, Qbg 43) ---- */
#define ETH_ALEN_	  6
#define ETH_HDR_LEN	  14
#define ETH_MIN_FRAME	  60 /* without FCS; ECP frames are padded to it (lldpad) */
#define ETH_MAX_PAYLOAD	  1500
#define ETHERTYPE_LLDP	  0x88cc
#define ETHERTYPE_ECP	  0x8940 /* 802.1Qbg-2012 ECP (Qbg 43) */
#define ETHERTYPE_ECP_OLD 0x8890 /* lldpad quirk 1 (docs/protocol.md); accepted on receive */

/* LLDP group addresses (AB 7.1): the EVB TLV travels to the nearest customer bridge. */
#define MAC_NEAREST_CUSTOMER_BRIDGE                                                                \
	{                                                                                          \
		0x01, 0x80, 0xc2, 0x00, 0x00, 0x00                                                 \
	}
#define MAC_NEAREST_NONTPMR_BRIDGE                                                                 \
	{                                                                                          \
		0x01, 0x80, 0xc2, 0x00, 0x00, 0x03                                                 \
	}
#define MAC_NEAREST_BRIDGE                                                                         \
	{                                                                                          \
		0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e                                                 \
	}

/* ---- LLDP (IEEE 802.1AB clause 8) ---- */
#define LLDP_TLV_END		0
#define LLDP_TLV_CHASSIS_ID	1
#define LLDP_TLV_PORT_ID	2
#define LLDP_TLV_TTL		3
#define LLDP_TLV_PORT_DESC	4
#define LLDP_TLV_SYS_NAME	5
#define LLDP_TLV_SYS_DESC	6
#define LLDP_TLV_SYS_CAP	7
#define LLDP_TLV_MGMT_ADDR	8
#define LLDP_TLV_ORG		127
#define LLDP_TLV_MAX_LEN	511 /* 9-bit length */
#define LLDP_CHASSIS_MAC	4   /* chassis ID subtype: MAC address */
#define LLDP_PORT_IFNAME	5   /* port ID subtype: interface name */
#define LLDP_PORT_MAC		3   /* port ID subtype: MAC address */
#define LLDP_ID_MAX		255 /* chassis/port ID: 1..255 octets */
#define OUI_IEEE_8021		0x0080c2
#define LLDP_TLV_HDR_LEN	2 /* 7-bit type, 9-bit length (802.1AB 8.4.1) */
#define LLDP_TLV_TYPE_SHIFT	9
#define LLDP_TLV_LEN_MASK	0x01ff
#define LLDP_TLV_HDR(type, len) ((uint16_t)((unsigned)(type) << LLDP_TLV_TYPE_SHIFT | (len)))
#define LLDP_TTL_LEN		2 /* 802.1AB 8.5.4 */
#define LLDP_ORG_HDR_LEN	4 /* OUI(3) + subtype(1), 802.1AB 8.6 */

/* ---- EVB TLV (Q D.2.13, added by Qbg): OUI 00-80-C2 subtype 0x0D, 5 value octets ---- */
#define EVB_TLV_SUBTYPE	   0x0d
#define EVB_TLV_LEN	   9	/* OUI(3) + subtype(1) + 5 */
#define EVB_BRIDGE_RSV	   0xf8 /* octet 4 bits 7-3 reserved (Q D.2.13) */
#define EVB_STATION_RSV	   0xf0 /* octet 5 bits 7-4 reserved */
#define EVB_R_SHIFT	   5	/* octet 6: R in bits 7-5, RTE in bits 4-0 */
#define EVB_EXP_MASK	   0x1f /* RTE, RWD, RKA: bits 4-0 of their octet */
#define EVB_MODE_SHIFT	   6	/* octet 7: mode in bits 7-6 */
#define EVB_ROL		   0x20 /* octets 7 and 8 bit 5: ROL for RWD / RKA */
#define EVB_RKA_RSV	   0xc0 /* octet 8 bits 7-6 reserved */
#define EVB_MODE_RESERVED  3
#define EVB_BGID	   0x04 /* octet 4: bridge supports Group ID */
#define EVB_RRCAP	   0x02 /* octet 4: bridge can do reflective relay */
#define EVB_RRCTR	   0x01 /* octet 4: reflective relay enabled on the port */
#define EVB_SGID	   0x08 /* octet 5: station supports Group ID */
#define EVB_RRREQ	   0x04 /* octet 5: station requests reflective relay */
#define EVB_RRSTAT_MASK	   0x03 /* octet 5: station's view of RR */
#define EVB_RRSTAT_OFF	   0	/* lldpad: not enabled */
#define EVB_RRSTAT_ON	   1	/* lldpad: enabled */
#define EVB_RRSTAT_UNKNOWN 3	/* lldpad: no bridge TLV yet; value 2 unused (not confirmed) */
#define EVB_MODE_NONE	   0
#define EVB_MODE_BRIDGE	   1
#define EVB_MODE_STATION   2
#define EVB_EXP_MAX	   31 /* 5-bit exponents RTE, RWD, RKA */
#define EVB_R_MAX	   7  /* 3-bit ECP max retries */

/* Defaults (docs/protocol.md "EVB negotiation"): R = 3 (MIB DEFVAL); RTE/RWD/RKA
 * as lldpad.  RWD 19 rather than 20 on a station: libvirt polls 10 s only
 * (docs/protocol.md, lldpad quirk 11). */
#define EVB_DEFAULT_R		3
#define EVB_DEFAULT_RTE		8
#define EVB_DEFAULT_RWD		20
#define EVB_DEFAULT_RKA		20
#define EVB_DEFAULT_RWD_STATION 19 /* lldpad quirk 11, see above */

/* ---- CDCP TLV (Q D.2.14, Qbg 42): OUI 00-80-C2 subtype 0x0E ---- */
#define CDCP_TLV_SUBTYPE 0x0e
#define CDCP_ROLE_S	 0x80 /* octet 4 bit 7: 1 = S (station) role */
#define CDCP_SCOMP	 0x08 /* octet 4 bit 3 */
#define CDCP_CHNCAP_MASK 0x0fff
#define CDCP_MAX_PAIRS	 167
#define CDCP_FIXED_LEN	 8 /* OUI, subtype, role/SComp/ChnCap (Q D.2.14) */
#define CDCP_PAIR_LEN	 3 /* SCID (12 bits) + SVID (12 bits) */
#define CDCP_SCID_SHIFT	 12
#define CDCP_ID_MASK	 0x0fff /* SCID and SVID: 12 bits */

/* ---- ECP (Qbg 43) ---- */
#define ECP_VERSION	  1
#define ECP_OP_REQUEST	  0
#define ECP_OP_ACK	  1
#define ECP_SUBTYPE_VDP	  1
#define ECP_SUBTYPE_PECSP 2
#define ECP_HDR_LEN	  4
#define ECP_MAX_ULPDU	  (ETH_MAX_PAYLOAD - ECP_HDR_LEN) /* 1496 */

/* ---- VDP (Qbg 41.2) ---- */
#define VDP_TLV_HDR_LEN	    2
#define VDP_TLV_MAX_LEN	    511
#define VDP_TLV_END	    0
#define VDP_TLV_PREASSOC    1
#define VDP_TLV_PREASSOC_RR 2
#define VDP_TLV_ASSOC	    3
#define VDP_TLV_DEASSOC	    4
#define VDP_TLV_MGRID	    5
#define VDP_TLV_ORG	    127
#define VDP_MGRID_LEN	    16
#define VDP_VSI_FIXED_LEN   25 /* status..entry count, Qbg 41.2.3-41.2.9 */
#define VDP_VSIID_LEN	    16

/* Status octet (Qbg 41.2.3) */
#define VDP_STATUS_RESPONSE 0x40
#define VDP_STATUS_SBIT	    0x20 /* request: migrate from */
#define VDP_STATUS_MBIT	    0x10 /* request: migrate to */
#define VDP_STATUS_KEEP	    0x20 /* response: refused, previous state kept */
#define VDP_STATUS_HARD	    0x10 /* response: hard error */
#define VDP_STATUS_REASON   0x0f
#define VDP_STATUS_RESERVED 0x80

/* Reason codes (Qbg 41.2.3) */
#define VDP_RSN_SUCCESS	     0
#define VDP_RSN_INVALID_FMT  1
#define VDP_RSN_NO_RESOURCES 2
#define VDP_RSN_NO_MANAGER   3
#define VDP_RSN_OTHER	     4
#define VDP_RSN_INVALID_ID   5 /* invalid VID, Group ID or MAC */

/* VSIID formats (Qbg 41.2.6) */
#define VDP_VSIID_IPV4	1
#define VDP_VSIID_IPV6	2
#define VDP_VSIID_MAC	3
#define VDP_VSIID_LOCAL 4
#define VDP_VSIID_UUID	5

/* Filter info formats (Qbg 41.2.8, 41.2.9) */
#define VDP_FIF_VID	    1
#define VDP_FIF_MACVID	    2
#define VDP_FIF_GROUPVID    3
#define VDP_FIF_GROUPMACVID 4
#define VDP_PSPCPVID_PS	    0x8000
#define VDP_PSPCPVID_PCP    0x7000
#define VDP_PSPCPVID_VID    0x0fff
#define VDP_VID_MAX	    4094

#endif
