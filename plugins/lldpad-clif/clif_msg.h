/* SPDX-License-Identifier: ISC */
/*
 * clif_msg.h - lldpad's control-interface ("clif") messages, without I/O:
 * parse a request datagram (command letter, module id, command, options,
 * interface, agent, TLV id, key/value arguments), turn VDP22 arguments into
 * a VSI request, print a VSI as lldpad's VDP22 module prints it, and build
 * the replies.  docs/lldpad-clif.md describes the format.
 *
 * Every field is hex text of a fixed width or a counted string; nothing is
 * trusted: lengths are checked against what the datagram holds.
 */
#ifndef LLDPAD_CLIF_MSG_H
#define LLDPAD_CLIF_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plugins/plugin_api.h"

#define CLIF_MSG_MAX	4096 /* lldpad's MAX_CLIF_MSGBUF: requests, replies, events */
#define CLIF_ARGS_MAX	512  /* arguments of one request (a 4096-octet message holds fewer) */
#define CLIF_IFNAME_MAX 16
#define CLIF_OUI_MAX	512 /* octets of a VSI's OUI arguments, as sent */

/* Module ids (lldpad's LLDP_MOD_*): lldptool sends to the LLDP module,
 * vdptool to VDP22. */
#define CLIF_MOD_LLDP  0x00000001u
#define CLIF_MOD_VDP22 0x000080c4u

/* Message type letters (first octet). */
#define CLIF_PING   'P'
#define CLIF_LEVEL  'L'
#define CLIF_ATTACH 'A'
#define CLIF_DETACH 'D'
#define CLIF_MODULE 'M'

/* Commands of a module message. */
enum clif_cmd {
	CLIF_CMD_GETSTATS = 0,
	CLIF_CMD_GETTLV = 1,
	CLIF_CMD_SETTLV = 2,
	CLIF_CMD_GETLLDP = 3,
	CLIF_CMD_SETLLDP = 4,
};

/* Option bits; VDP22 set requests carry the number of filter arguments in
 * bits 8-15 and of OUI arguments in bits 16-23. */
#define CLIF_OP_LOCAL	 0x01u
#define CLIF_OP_NEIGHBOR 0x02u
#define CLIF_OP_ARG	 0x04u
#define CLIF_OP_ARGVAL	 0x08u
#define CLIF_OP_CONFIG	 0x10u
#define CLIF_OP_FID(ops) (((ops) >> 8) & 0xffu)

/* LLDP agents (the -g option): nearest bridge, non-TPMR, customer bridge. */
#define CLIF_AGENT_NB  0
#define CLIF_AGENT_NCB 2

/* Reply status (lldpad's cmd_status), "R%02x". */
enum clif_status {
	CLIF_OK = 0,
	CLIF_FAILED = 1,
	CLIF_NO_DEVICE = 2,
	CLIF_NO_AGENT = 3,
	CLIF_INVALID = 4,
	CLIF_BAD_PARAMS = 5,
	CLIF_PEER_NOT_PRESENT = 6,
	CLIF_VERSION = 7,
	CLIF_NOT_CAPABLE = 8,
	CLIF_NOT_APPLICABLE = 9,
	CLIF_NO_ACCESS = 10,
	CLIF_AGENT_NOT_SUPPORTED = 11,
};

struct clif_str {
	const char *p;
	size_t n;
};

struct clif_arg {
	struct clif_str key, val; /* val.p NULL: a key without a value */
};

/* A parsed request; its strings point into the datagram. */
struct clif_req {
	char type; /* CLIF_PING ... */
	uint32_t module;
	uint8_t version, cmd, agent;
	uint32_t ops;
	char ifname[CLIF_IFNAME_MAX + 1];
	bool has_tlvid;
	uint32_t tlvid;
	struct clif_str head; /* "C3ccoooooooollIFNAME": a module reply repeats it */
	unsigned nargs;
	struct clif_arg args[CLIF_ARGS_MAX];
};

/* Parse a datagram of len octets.  CLIF_OK, or the status lldpad answers
 * such a message with (CLIF_INVALID for a malformed one, CLIF_NOT_APPLICABLE
 * for another message version); *why names the fault.  A module message's
 * fields are parsed as far as r->head when the status is not CLIF_OK and
 * r->head.n is non-zero. */
int clif_parse(const char *buf, size_t len, struct clif_req *r, const char **why);

/* The value of argument key (case-insensitive), NULL when absent. */
const struct clif_arg *clif_arg_find(const struct clif_req *r, const char *key);

/* ---------------- VDP22 VSIs ---------------- */

/* The fields a VDP22 argument list gave (CLIF_VK_* in seen). */
#define CLIF_VK_MODE	 0x01u
#define CLIF_VK_MGRID	 0x02u
#define CLIF_VK_TYPEID	 0x04u
#define CLIF_VK_TYPEVER	 0x08u
#define CLIF_VK_UUID	 0x10u
#define CLIF_VK_HINTS	 0x20u
#define CLIF_VK_FILTER	 0x40u
#define CLIF_VK_OUI	 0x80u
#define CLIF_VK_REQUIRED 0x7fu

struct clif_vsi {
	unsigned seen;
	uint8_t mode; /* EVBD_VDP_* */
	uint8_t mgrid[EVBD_MGRID_LEN];
	uint32_t type_id;
	uint8_t type_version;
	uint8_t uuid[EVBD_VSIID_LEN];
	uint8_t hints; /* EVBD_VDP_STATUS_MBIT / _SBIT */
	uint8_t filter_format;
	uint16_t nfilters;
	struct evbd_vsi_filter f[EVBD_VSI_FILTERS_MAX];
	size_t oui_len; /* the OUI arguments as they came, "03oui..." each */
	char oui[CLIF_OUI_MAX];
};

/* Parse the arguments of a VDP22 request.  CLIF_OK or CLIF_BAD_PARAMS with
 * *why naming the argument. */
int clif_vsi_parse(const struct clif_req *r, struct clif_vsi *v, const char **why);

/* Mode names: "assoc", "preassoc", "preassoc-rr", "deassoc"; NULL for another. */
const char *clif_mode_name(uint8_t mode);

/* An output buffer; over is set (and len frozen) once something did not fit. */
struct clif_buf {
	char *p;
	size_t cap, len;
	bool over;
};

void clif_put(struct clif_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append one VSI as lldpad prints it in a query reply or an event:
 * 4-hex length, then mode, mgrid2, typeid, typeidver, uuid, hints (the
 * response code), each filter, the OUI arguments.  mode: EVBD_VDP_*. */
void clif_vsi_put(struct clif_buf *b, const struct evbd_vsi_view *v, uint8_t mode,
		  unsigned response, const char *oui, size_t oui_len);

/* Whether view v matches the fields a partial query gave. */
bool clif_vsi_match(const struct clif_vsi *q, const struct evbd_vsi_view *v);

#endif
