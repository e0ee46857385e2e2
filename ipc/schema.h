/* SPDX-License-Identifier: ISC */
/*
 * schema.h - the evbd control protocol, shared by evbd, evbctl and the
 * tests (the codec that reads and writes it is ipc/codec.h): netlink messages over NETLINK_USERSOCK
 * to the well-known port id EVBD_IPC_PORTID, payload = struct evb_ipc_hdr + netlink attributes
 * (libmnl).  Every request gets exactly one answer:
 *   - EVB_MSG_RESULT with EVB_A_ERRNO (0 or a positive errno) and, on error,
 *     EVB_A_ERRMSG (a sentence: what failed, on which object, what to do);
 *     for a successful VSI command also the VSI's attributes;
 *   - for NLM_F_DUMP requests, a multipart series (NLM_F_MULTI) of
 *     EVB_MSG_VSI / EVB_MSG_PORT / EVB_MSG_VSITYPE messages ended by
 *     NLMSG_DONE (whose payload is an int: 0 or -errno), or one
 *     EVB_MSG_RESULT error.
 * Changes need uid 0 or the configured admin group (SO_PASSCRED); reads are
 * open to anyone.  Clients accept answers only from EVBD_IPC_PORTID sent by
 * uid 0.
 */
#ifndef IPC_SCHEMA_H
#define IPC_SCHEMA_H

#include <linux/netlink.h>
#include <net/if.h>
#include <stdint.h>

#include "mib/oid.h"
#include "vdp/lldp.h"
#include "vdp/vidset.h"

#define EVBD_IPC_FAMILY NETLINK_USERSOCK
/* Well-known port id: above any pid (pid_max <= 2^22) and below the range the
 * kernel uses for autobind collisions (negative numbers). */
#define EVBD_IPC_PORTID	 0x45564244u /* "EVBD" */
#define EVBD_IPC_VERSION 1

/* EVBD_VERSION, the release of evbd and evbctl, is not defined here: the
 * Makefile passes -DEVBD_VERSION from scripts/version.sh (the git tag, or the
 * VERSION file) to the objects listed in its VERSION_OBJS, so that a file
 * that uses it elsewhere fails to compile instead of printing a stale one. */
#define EVBD_IPC_MAX_MSG 65536

/* Bounds of the variable-length attributes, the same at both ends. */
#define EVB_IFNAME_MAX	     IF_NAMESIZE    /* EVB_A_IFNAME, with the NUL */
#define EVB_ERRMSG_MAX	     4096	    /* EVB_A_ERRMSG, with the NUL */
#define EVB_TEXT_MAX	     UINT16_MAX	    /* EVB_A_TEXT (a plugin's output) */
#define EVB_PLUGIN_CMD_MAX   32		    /* EVB_A_PLUGIN_CMD, with the NUL */
#define EVB_ARGS_MAX	     4096	    /* EVB_A_ARGS, octets */
#define EVB_ARGC_MAX	     64		    /* strings in EVB_A_ARGS */
#define EVB_MIB_OID_MAX	     MIB_OID_MAX    /* EVB_A_MIB_OID, sub-identifiers */
#define EVB_MIB_VALUE_MAX    MIB_OCTETS_MAX /* EVB_A_MIB_VALUE, octets */
#define EVB_LLDP_ID_MAX	     LLDP_ID_MAX    /* EVB_NA_CHASSIS, EVB_NA_PORT */
#define EVB_VSITYPE_NAME_MAX 64		    /* EVB_TA_NAME, with the NUL */
#define EVB_VSITYPE_RANGES   VIDSET_RANGES  /* EVB_TA_VLANS elements */
#define EVB_VERSION_MAX	     32		    /* EVB_SA_VERSION, with the NUL */
#define EVB_STORE_WHY_MAX    512	    /* EVB_SA_STORE_WHY, with the NUL */
#define EVB_SWITCH_MAX	     64		    /* EVB_A_SWITCH, with the NUL */

/* VSI type keys and defaults (EVB_A_VSITYPE). */
#define EVB_VSITYPE_DEFAULT	0x1000000u /* EVB_TA_ID of the default entry (outside 24 bits) */
#define EVB_VSITYPE_ID_MAX	0xffffffu /* a VSI type ID has 24 bits (EVB_A_TYPE_ID, EVB_TA_ID) */
#define EVB_VSITYPE_FORMATS_ALL 0x1e	  /* bits 1..4: filter info formats 1..4 */

/* nlmsg_type values (>= NLMSG_MIN_TYPE). */
enum evb_msg {
	EVB_MSG_RESULT = NLMSG_MIN_TYPE, /* answer */
	EVB_MSG_VSI_CMD,  /* request: associate/preassociate/preassociate-rr/deassociate */
	EVB_MSG_VSI_GET,  /* request (dump): list VSIs [EVB_A_IFNAME] */
	EVB_MSG_VSI,	  /* dump item: one VSI */
	EVB_MSG_PORT_GET, /* request (dump): list ports [EVB_A_IFNAME] */
	EVB_MSG_PORT,	  /* dump item: one port */
	/* VSI type database (the bridge policy): */
	EVB_MSG_VSITYPE_SET, /* request: add or replace the EVB_A_VSITYPES entries */
	EVB_MSG_VSITYPE_DEL, /* request: remove the entry keyed in EVB_A_VSITYPE */
	EVB_MSG_VSITYPE_GET, /* request: one entry (key in EVB_A_VSITYPE, answered in
			      * the RESULT) or, with NLM_F_DUMP, every entry */
	EVB_MSG_VSITYPE,     /* dump item: one entry (EVB_A_VSITYPE) */
	/* A plugin's command (EVB_A_PLUGIN_CMD, EVB_A_ARGS); answered with a
	 * RESULT carrying EVB_A_TEXT.  An empty name lists the commands. */
	EVB_MSG_PLUGIN_CMD,
	/* The EVB MIB (mib/evb_mib.h).  With NLM_F_DUMP: walk the subtree
	 * EVB_A_MIB_OID (default: the whole MIB), one EVB_MSG_MIB_VB per
	 * instance in OID order; without: get the instance EVB_A_MIB_OID,
	 * answered in the RESULT (EVB_A_MIB_* of the instance, or
	 * EVB_A_MIB_ERR noSuchObject / noSuchInstance). */
	EVB_MSG_MIB_GET,
	EVB_MSG_MIB_VB, /* dump item: EVB_A_MIB_OID, EVB_A_MIB_TYPE, EVB_A_MIB_VALUE */
	/* Set the instance EVB_A_MIB_OID to EVB_A_MIB_TYPE / EVB_A_MIB_VALUE;
	 * a refusal carries EVB_A_MIB_ERR (the SNMP error) and a sentence. */
	EVB_MSG_MIB_SET,
	/* Request: evbd's own state, answered in the RESULT (EVB_A_STATS):
	 * version, uptime, ports, the control socket's counters, the store. */
	EVB_MSG_STATS_GET,
	/* The fleet (evbd/cluster.h, docs/fleet.md).  FLEET_GET: with NLM_F_DUMP
	 * the VSIs of every switch as this switch knows them, one FLEET_VSI
	 * each (EVB_A_VSIID_FMT + EVB_A_VSIID in the request: that VSI only);
	 * an item is a VSI's attributes (EVB_A_IFNAME its port there,
	 * EVB_A_CONFIRMED its state there) with EVB_A_SWITCH and EVB_A_SINCE.
	 * FLEET_STATUS: the cluster's state as "key: value" lines in EVB_A_TEXT.
	 * Both answer ENOTCONN when no [cluster] is configured. */
	EVB_MSG_FLEET_GET,
	EVB_MSG_FLEET_VSI,
	EVB_MSG_FLEET_STATUS,
	/* Request: subscribe to evbd's events (evbctl monitor) [EVB_A_IFNAME:
	 * that port's only].  Answered with an OK RESULT, then one EVB_MSG_EVENT
	 * per event, with the request's sequence number, until the client goes
	 * away; a subscriber that does not keep up is dropped, told so by a
	 * last RESULT (ENOBUFS and a sentence). */
	EVB_MSG_MONITOR,
	EVB_MSG_EVENT, /* one event (EVB_A_EVENT and what it is about) */
	/* Request (dump): the events evbd still remembers about one VSI
	 * (EVB_A_VSIID_FMT, EVB_A_VSIID [EVB_A_IFNAME]), oldest first, as
	 * EVB_MSG_EVENT items; then its current state is a VSI_GET away. */
	EVB_MSG_HISTORY_GET,
	/* Request (a change): start the counters of every port [EVB_A_IFNAME:
	 * of one] again from zero; answered with EVB_A_COUNT ports. */
	EVB_MSG_STATS_CLEAR,
	EVB_MSG_MAX,
};

/* Fixed header after nlmsghdr. */
struct evb_ipc_hdr {
	uint8_t version; /* EVBD_IPC_VERSION */
	uint8_t flags;	 /* EVB_F_* */
	uint16_t reserved;
};

#define EVB_F_WAIT    0x01 /* answer a VSI command only when the bridge answered */
#define EVB_F_REPLACE 0x02 /* VSITYPE_SET: the database becomes exactly the entries sent */
#define EVB_F_DEASSOC 0x04 /* VSITYPE_DEL: also end the type's VSIs on every port now */

enum evb_attr {
	EVB_A_UNSPEC = 0,
	EVB_A_ERRNO,	    /* u32, positive errno, 0 = success */
	EVB_A_ERRMSG,	    /* string */
	EVB_A_IFNAME,	    /* string */
	EVB_A_CMD,	    /* u8: VDP TLV type 1..4 */
	EVB_A_HINTS,	    /* u8: VDP_STATUS_MBIT / SBIT */
	EVB_A_MGRID,	    /* binary, 16 octets */
	EVB_A_TYPE_ID,	    /* u32 (24 bits used) */
	EVB_A_TYPE_VER,	    /* u8 */
	EVB_A_VSIID_FMT,    /* u8 */
	EVB_A_VSIID,	    /* binary, 16 octets */
	EVB_A_FIF,	    /* u8 filter info format */
	EVB_A_FILTER,	    /* nested evb_filter_attr, repeated in order */
	EVB_A_STATE,	    /* u8: machine state */
	EVB_A_RESULT,	    /* u8: enum vdp_vsi_result */
	EVB_A_REASON,	    /* u8: VDP reason code */
	EVB_A_STATUS,	    /* u8: last status octet */
	EVB_A_ROLE,	    /* u8: enum evb_role */
	EVB_A_LINK,	    /* u8: 1 up */
	EVB_A_PORT_MAC,	    /* binary, 6 octets */
	EVB_A_OPER,	    /* nested evb_oper_attr */
	EVB_A_NEIGHBOR,	    /* nested evb_nbr_attr */
	EVB_A_ECP,	    /* nested evb_ecp_attr (counters) */
	EVB_A_VSI_COUNTS,   /* nested evb_count_attr */
	EVB_A_CREATED_AGE,  /* u64: µs since the VSI was created */
	EVB_A_DROPS,	    /* nested evb_drop_attr */
	EVB_A_CONFIRMED,    /* u8: VDP TLV type in force, 0 none */
	EVB_A_PRESENT,	    /* u8: 1 the port's interface exists */
	EVB_A_VSITYPE,	    /* nested evb_vsitype_attr: one VSI type entry (or its key) */
	EVB_A_VSITYPES,	    /* nested: EVB_A_VSITYPE entries, in order */
	EVB_A_COUNT,	    /* u32: entries written (VSITYPE_SET), VSIs ended (VSITYPE_DEL) */
	EVB_A_POLICY,	    /* u8: bridge port's policy, 0 open (grant all), 1 database */
	EVB_A_PLUGIN_CMD,   /* string: a plugin command's name */
	EVB_A_ARGS,	    /* binary: its arguments, each NUL-terminated, in order */
	EVB_A_TEXT,	    /* string: what the command printed */
	EVB_A_MIB_OID,	    /* binary: u32 sub-identifiers, 1..128 */
	EVB_A_MIB_TYPE,	    /* u8: enum mib_type (the BER tag) */
	EVB_A_MIB_VALUE,    /* binary: u32 (integer types) or the octets (0..32) */
	EVB_A_MIB_ERR,	    /* u8: enum mib_err (SNMP error-status or exception) */
	EVB_A_STATS,	    /* nested evb_stats_attr: evbd's own state (STATS_GET) */
	EVB_A_SWITCH,	    /* string: a switch of the fleet (FLEET_VSI) */
	EVB_A_SINCE,	    /* u64: µs since the epoch the VSI is in its state there */
	EVB_A_EVENT,	    /* u8: enum evb_event, what an EVB_MSG_EVENT reports */
	EVB_A_EV_TIME,	    /* u64: when, µs since the Unix epoch (CLOCK_REALTIME) */
	EVB_A_OLD_RESULT,   /* u8: the VSI's result before the event (enum vdp_vsi_result) */
	EVB_A_OLD_STATE,    /* u8: its machine state before the event */
	EVB_A_EV_SEQ,	    /* u32: the event's number in evbd's journal (gaps: events missed) */
	EVB_A_FRAMES,	    /* nested evb_frames_attr: a port's frame counters */
	EVB_A_COUNTERS_AGE, /* u64: µs since the port's counters started (evbd's start or a clear)
			     */
	EVB_A_PROTO,	    /* u8: EVB in use on the port, 0 802.1Qbg-2012, 1 draft 0.2 */
	EVB_A_PROTO_SET,    /* u8: the port's protocol setting, 0 auto, 1 2012, 2 draft */
	EVB_A_CDCP,	    /* nested evb_cdcp_attr: the port's CDCP, when it runs it */
	EVB_A_SCHAN_OF,	    /* string: an S-channel's port: the port whose CDCP made it */
	EVB_A_SCHAN,	    /* binary struct evb_schan: that S-channel's SCID and SVID */
	EVB_A_MAX,
};

enum evb_filter_attr {
	EVB_FA_UNSPEC = 0,
	EVB_FA_MAC,   /* binary, 6 */
	EVB_FA_VID,   /* u16 */
	EVB_FA_PCP,   /* u8 */
	EVB_FA_PS,    /* u8 */
	EVB_FA_GROUP, /* u32 */
	EVB_FA_MAX,
};

/* One VSI type entry.  The key is ID + VER.  VSITYPE_SET needs VLANS; the
 * others default as in `evbctl vsitype add` (no name, no assign VID, every
 * format, no limit, no PCP). */
enum evb_vsitype_attr {
	EVB_TA_UNSPEC = 0,
	EVB_TA_ID,	     /* u32: VSI type ID (24 bits), or 0x1000000 for the default entry */
	EVB_TA_VER,	     /* u8: VSI type version (0 for the default entry) */
	EVB_TA_NAME,	     /* string, up to 63 printable characters */
	EVB_TA_VLANS,	     /* binary: struct evb_vid_range[], ascending, not overlapping */
	EVB_TA_ASSIGN_VID,   /* u16: VLAN given for VID 0, 0 = none (VID 0 refused) */
	EVB_TA_FORMATS,	     /* u8: allowed filter info formats, bit (1 << format) */
	EVB_TA_MAX_PER_PORT, /* u32: VSIs of the type per port, 0 = no limit */
	EVB_TA_PCP,	     /* u8: priority given to the filters (0..7) */
	EVB_TA_IN_USE,	     /* u32 (answers): VSIs of the type on the database-policy ports */
	EVB_TA_MAX,
};

/* EVB_TA_VLANS element (host byte order, like every netlink integer). */
struct evb_vid_range {
	uint16_t lo, hi; /* inclusive, 1..4094 */
};

enum evb_oper_attr {
	EVB_OA_UNSPEC = 0,
	EVB_OA_VALID, /* u8 */
	EVB_OA_R,     /* u8 */
	EVB_OA_RTE,   /* u8 */
	EVB_OA_RWD,   /* u8 */
	EVB_OA_RKA,   /* u8 */
	EVB_OA_RR,    /* u8 */
	EVB_OA_GID,   /* u8 */
	EVB_OA_MAX,
};

enum evb_nbr_attr {
	EVB_NA_UNSPEC = 0,
	EVB_NA_MAC,	   /* binary, 6: source MAC of the neighbour's LLDPDUs */
	EVB_NA_CHASSIS,	   /* binary */
	EVB_NA_CHASSIS_ST, /* u8 subtype */
	EVB_NA_PORT,	   /* binary */
	EVB_NA_PORT_ST,	   /* u8 subtype */
	EVB_NA_TTL,	   /* u16 */
	EVB_NA_MODE,	   /* u8: EVB mode in its TLV, 0 none */
	EVB_NA_MAX,
};

enum evb_ecp_attr {
	EVB_EA_UNSPEC = 0,
	EVB_EA_TX_FRAMES,   /* u32 */
	EVB_EA_TX_RETRIES,  /* u32 */
	EVB_EA_TX_FAILURES, /* u32 */
	EVB_EA_RX_FRAMES,   /* u32 */
	EVB_EA_RX_DUPS,	    /* u32 */
	EVB_EA_PACE_US,	    /* u32: µs between an ACK and the next new ECPDU now */
	EVB_EA_PACE_MAX_US, /* u32: the largest gap the adaptive pacing reached */
	EVB_EA_PACE_LOSSES, /* u32: signs that the peer lost a VDPDU it acknowledged */

	/* u32 each: those signs by kind (vdp/vdp_port.h) */
	EVB_EA_PACE_ANSWERS,	/* station: answers to a repeated request or to none */
	EVB_EA_PACE_REPEATS,	/* bridge: requests repeating the one in force */
	EVB_EA_PACE_DUPS,	/* late duplicate ECP requests, VDP_PACE_DUPS in a window */
	EVB_EA_PACE_CADENCE_US, /* u32: the peer's cadence (vdp_port_cadence), 0 = none */
	EVB_EA_MAX,
};

enum evb_count_attr {
	EVB_CA_UNSPEC = 0,
	EVB_CA_TOTAL,	      /* u32 */
	EVB_CA_PENDING,	      /* u32 */
	EVB_CA_PREASSOCIATED, /* u32 (with and without RR) */
	EVB_CA_ASSOCIATED,    /* u32 */
	EVB_CA_FAILED,	      /* u32 */
	EVB_CA_MAX,
};

enum evb_drop_attr {
	EVB_DA_UNSPEC = 0,
	EVB_DA_LLDP_BAD,     /* u32 */
	EVB_DA_ECP_BAD,	     /* u32 */
	EVB_DA_TLV_BAD,	     /* u32 */
	EVB_DA_VSI_BAD,	     /* u32 */
	EVB_DA_UNKNOWN_VSI,  /* u32 */
	EVB_DA_WRONG_DIR,    /* u32 */
	EVB_DA_LLDP_OTHER,   /* u32: LLDPDUs of a second neighbour, ignored */
	EVB_DA_EVB_CLAMPED,  /* u32: LLDPDUs with EVB values above the bounds, clamped */
	EVB_DA_VDP_OTHER,    /* u32: ECPDUs from another station than the bound one */
	EVB_DA_RX_OVERFLOW,  /* u32: frames the kernel dropped, the port's receive buffer full */
	EVB_DA_VSI_LIMIT,    /* u32: new VSIs refused, the port's max-vsis reached */
	EVB_DA_FILTER_LIMIT, /* u32: requests refused, more filters than max-filters */
	EVB_DA_QUEUE_FULL,   /* u32: requests dropped unanswered, transmit queue full */
	EVB_DA_TX_DROPPED,   /* u32: TLVs that could not be queued */
	EVB_DA_TTL_CLAMPED,  /* u32: LLDPDUs whose TTL was cut to lldp-max-ttl */
	EVB_DA_STA_LIMIT,    /* u32: new VSIs refused, the sender's max-vsis-per-station */
	EVB_DA_DRAFT_RX,     /* u32: draft 0.2 ECPDUs or VDP TLVs dropped at the conversion */
	EVB_DA_DRAFT_TX,     /* u32: VSIs not sent, not expressible in draft 0.2 */
	EVB_DA_MAX,
};

/* A port's CDCP (EVB_A_CDCP, 802.1Qbg 42): what it advertises, whether the
 * neighbour's CDCP TLV is in force, its S-channels and its counters (since
 * evbd started; see struct cdcp_stats in vdp/cdcp.h). */
enum evb_cdcp_attr {
	EVB_CDA_UNSPEC = 0,
	EVB_CDA_CHNCAP,	     /* u16: the ChnCap it advertises */
	EVB_CDA_POOL_LOW,    /* u16: bridge: svid-pool's first SVID (0 station) */
	EVB_CDA_POOL_HIGH,   /* u16: bridge: its last */
	EVB_CDA_PEER,	     /* u8: 1 the neighbour's CDCP TLV is in force */
	EVB_CDA_PEER_CHNCAP, /* u16: the neighbour's ChnCap */
	EVB_CDA_CHANNELS,    /* binary: struct evb_schan[], ascending SCID, the default first */
	EVB_CDA_RX_TLVS,     /* u32: distinct neighbour TLVs acted on */
	EVB_CDA_UP,	     /* u32: S-channels set up */
	EVB_CDA_DOWN,	     /* u32: S-channels taken down */
	EVB_CDA_REFUSED,     /* u32: bridge: channels refused (capacity or pool) */
	EVB_CDA_RX_ROLE,     /* u32: neighbour TLVs in the port's own role, ignored */
	EVB_CDA_RX_DUP,	     /* u32: pairs repeating an SCID or SVID, dropped */
	EVB_CDA_RX_CAP,	     /* u32: pairs beyond the sender's ChnCap, dropped */
	EVB_CDA_RX_BAD,	     /* u32: pairs with a bad SCID or SVID, dropped */
	EVB_CDA_DEV_ERR,     /* u32: S-channel devices evbd could not create */
	EVB_CDA_DEVICES,     /* binary: struct evb_schan_dev[], the S-channels' devices */
	EVB_CDA_MAX,
};

/* EVB_CDA_CHANNELS element (host byte order). */
struct evb_schan {
	uint16_t scid, svid;
};

/* EVB_CDA_DEVICES element (host byte order): the 802.1ad device of
 * S-channel scid (evbd/schan.h); ifindex 0 when it could not be created. */
struct evb_schan_dev {
	uint16_t scid, pad;
	int32_t ifindex;
	char name[16];
};

/* A port's frame counters besides ECP's (EVB_A_FRAMES). */
enum evb_frames_attr {
	EVB_XA_UNSPEC = 0,
	EVB_XA_LLDP_TX,		  /* u32: LLDPDUs sent */
	EVB_XA_LLDP_RX,		  /* u32: LLDPDUs received */
	EVB_XA_LLDP_AGEOUTS,	  /* u32: neighbours aged out */
	EVB_XA_ECP_RX_ACKS,	  /* u32: ECP ACKs received */
	EVB_XA_ECP_RX_STALE_ACKS, /* u32: ECP ACKs for no outstanding sequence */
	EVB_XA_VDP_RX_SKIPPED,	  /* u32: reserved or stray VDP TLVs skipped */
	EVB_XA_ECP_RX_OTHER,	  /* u32: ECPDUs of another subtype than VDP */
	EVB_XA_VDP_SM_ILLEGAL,	  /* u32: VSI state changes outside the state table (defects) */
	EVB_XA_MAX,
};

/* evbd's own state (EVB_A_STATS).  The counters count since evbd started;
 * the socket's are those of struct ipc_stats (evbd/ipc_state.h). */
enum evb_stats_attr {
	EVB_SA_UNSPEC = 0,
	EVB_SA_VERSION,	      /* string: evbd's version */
	EVB_SA_UPTIME,	      /* u64: µs since evbd opened its control socket */
	EVB_SA_PORTS,	      /* u32: configured ports */
	EVB_SA_RX_DROPPED,    /* u32: datagrams dropped: no credentials, truncated, lost */
	EVB_SA_RX_MALFORMED,  /* u32: messages that cannot be answered (bad header) */
	EVB_SA_REQUESTS,      /* u32: requests answered, errors included */
	EVB_SA_REFUSED,	      /* u32: requests refused for lack of rights (EPERM) */
	EVB_SA_TX_BACKLOGGED, /* u32: answers that met a full receive buffer (retried) */
	EVB_SA_TX_LOST,	      /* u32: answers dropped: client gone, stalled or over its cap */
	EVB_SA_OVER_BUDGET,   /* u32: requests refused (ENOBUFS) or dropped: memory budget */
	EVB_SA_STALLED,	      /* u32: clients cut off: they stopped reading their answers */
	EVB_SA_WAITERS,	      /* u32: VSI commands waiting for the bridge now */
	EVB_SA_HELD,	      /* u64: octets held for clients now */
	EVB_SA_HELD_PEAK,     /* u64: the most octets ever held */
	EVB_SA_NOT_DURABLE,   /* u32: OK answers replaced by an error: the write failed */
	EVB_SA_PERSISTENT,    /* u8: 1 evbd keeps its state in a database */
	EVB_SA_SYNCED_GEN,    /* u64: the last durable generation (sync points passed) */
	EVB_SA_PENDING,	      /* u32: changes queued, not yet written */
	EVB_SA_STORE_WHY,     /* string: why writes to the database fail (absent: they do not) */
	EVB_SA_PID,	      /* u32: evbd's process id */
	EVB_SA_SUBSCRIBERS,   /* u32: monitor subscribers now */
	EVB_SA_SUBS_DROPPED,  /* u32: subscribers dropped: they did not keep up, or too many */
	EVB_SA_EVENTS,	      /* u32: events journaled since evbd started */
	EVB_SA_MAX,
};

/* What an EVB_MSG_EVENT reports (EVB_A_EVENT).  Port events carry
 * EVB_A_IFNAME and, as they apply, EVB_A_LINK, EVB_A_PRESENT, EVB_A_OPER,
 * EVB_A_NEIGHBOR (absent in NEIGHBOR_LOST); VSI events carry the VSI's key
 * (EVB_A_IFNAME, EVB_A_ROLE, EVB_A_VSIID_FMT, EVB_A_VSIID), EVB_A_TYPE_ID,
 * EVB_A_TYPE_VER, EVB_A_CMD, EVB_A_RESULT, EVB_A_REASON, EVB_A_STATE and
 * EVB_A_OLD_RESULT, EVB_A_OLD_STATE.  Every event has EVB_A_EV_TIME and
 * EVB_A_EV_SEQ. */
enum evb_event {
	EVB_EV_NONE = 0,
	EVB_EV_LINK,	      /* the port's interface appeared, vanished, went up or down */
	EVB_EV_EVB,	      /* EVB negotiated, lost, or its values changed */
	EVB_EV_NEIGHBOR,      /* an LLDP neighbour appeared or changed */
	EVB_EV_NEIGHBOR_LOST, /* the LLDP neighbour aged out or left */
	EVB_EV_VSI_REQUEST,   /* a VSI command arrived over the control socket (EVB_A_CMD) */
	EVB_EV_VSI_STATE,     /* a VSI's result changed (an answer, a refusal, a keep-alive) */
	EVB_EV_VSI_TIMEOUT,   /* a VSI failed or ended for want of an answer */
	EVB_EV_VSI_REMOVED,   /* a VSI ended and left the table */
	EVB_EV_MAX,
};

#endif
