/* SPDX-License-Identifier: ISC */
/*
 * codec.h - the one reader and writer of the evbd control protocol
 * (ipc/schema.h), linked into evbd, evbctl, the tests and the fuzzers.
 *
 * Writing: a message is built into a caller's buffer through struct
 * ipc_msg, which remembers when something did not fit (`full`) so that a
 * series of puts needs one check at the end.
 *
 * Reading: ipc_attrs_parse() indexes a message's attributes and checks each
 * against the policy of its nest (type, length bounds; an attribute twice,
 * trailing octets, more filters than a VSI holds are refused; unknown
 * attributes, from a newer peer, are ignored).  The ipc_get_*() functions
 * then turn attributes into the plain structs below, refusing a missing
 * mandatory attribute; errors are -EINVAL with a sentence in `what` (the
 * daemon answers it; evbctl reports the answer as malformed).
 *
 * Every object that crosses the socket has a put and a get here: a VSI
 * command, a VSI and its filters, a port with its negotiated values,
 * neighbour, ECP counters, VSI counts and drops, a VSI type, a MIB varbind,
 * a plugin command, evbd's own state (STATS_GET), a RESULT.
 */
#ifndef IPC_CODEC_H
#define IPC_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc/schema.h"
#include "ipc/vsitype.h"
#include "mib/oid.h"
#include "vdp/cdcp.h"
#include "vdp/evb.h"
#include "vdp/lldp.h"
#include "vdp/vdp_port.h"
#include "vdp/vdp_tlv.h"
#include "vdp/vidset.h"
#include "vdp/vsi.h"

struct nlattr;
struct nlmsghdr;

/* ---------------- building ---------------- */

struct ipc_msg {
	struct nlmsghdr *nlh;
	size_t cap; /* octets available from nlh */
	bool full;  /* something did not fit; the message is incomplete */
};

/* Start a message of `type` in buf: the netlink header (nl_flags; sequence
 * and port id 0, for the sender to fill) and the evbd header (version,
 * evb_flags).  false (and m->full) when cap is too small. */
bool ipc_msg_start(struct ipc_msg *m, void *buf, size_t cap, uint16_t type, uint16_t nl_flags,
		   uint8_t evb_flags);
/* NLMSG_DONE (status 0) ending a dump: its length, 0 when cap is too small. */
size_t ipc_put_done(void *buf, size_t cap, uint32_t seq, uint32_t portid);

void ipc_put(struct ipc_msg *m, uint16_t type, size_t len, const void *data);
void ipc_put_u8(struct ipc_msg *m, uint16_t type, uint8_t v);
void ipc_put_u16(struct ipc_msg *m, uint16_t type, uint16_t v);
void ipc_put_u32(struct ipc_msg *m, uint16_t type, uint32_t v);
void ipc_put_u64(struct ipc_msg *m, uint16_t type, uint64_t v);
void ipc_put_str(struct ipc_msg *m, uint16_t type, const char *s);
/* A nest: its start (NULL and m->full when it does not fit), its end. */
struct nlattr *ipc_nest_start(struct ipc_msg *m, uint16_t type);
void ipc_nest_end(struct ipc_msg *m, struct nlattr *n);

/* ---------------- reading ---------------- */

/* A message's top-level attributes, indexed; EVB_A_FILTER repeats. */
struct ipc_attrs {
	const struct nlattr *tb[EVB_A_MAX];
	const struct nlattr *filters[VDP_MAX_FILTERS];
	unsigned nfilters;
};

/* Index and check the attributes after the evbd header (whose version the
 * caller checks).  0, or -EINVAL with a sentence in what. */
int ipc_attrs_parse(const struct nlmsghdr *nlh, struct ipc_attrs *a, char *what, size_t cap);
/* Index and check a nested attribute by its type (EVB_A_FILTER, OPER,
 * NEIGHBOR, ECP, VSI_COUNTS, DROPS, VSITYPE, STATS); tb has room for that
 * nest's *_MAX entries (IPC_NEST_TB: for any nest's).  0, or -EINVAL with a sentence in what (may
 * be NULL). */
int ipc_nest_parse(const struct nlattr *nest, const struct nlattr **tb, char *what, size_t cap);

#define IPC_NEST_TB 32

/* An attribute's value, or dflt when absent. */
uint8_t ipc_get_u8(const struct nlattr *a, uint8_t dflt);
uint32_t ipc_get_u32(const struct nlattr *a, uint32_t dflt);
/* A string attribute's value, or dflt when absent. */
const char *ipc_get_str(const struct nlattr *a, const char *dflt);
/* EVB_A_IFNAME, or NULL. */
const char *ipc_get_ifname(const struct ipc_attrs *a);

/* ---------------- RESULT ---------------- */

/* EVB_A_ERRNO and, when msg is not empty, EVB_A_ERRMSG. */
void ipc_put_result(struct ipc_msg *m, uint32_t err, const char *msg);
/* The errno a RESULT carries (0 = success) and its sentence ("" when
 * none); -EBADMSG when ERRNO is missing or no errno. */
int ipc_get_result(const struct ipc_attrs *a, const char **msg);

/* ---------------- VSIs ---------------- */

/* One filter (EVB_A_FILTER) of a VSI whose filter info format is fif: the
 * VLAN ID, PCP and PS; the MAC and the group as the format has them. */
void ipc_put_filter(struct ipc_msg *m, uint8_t fif, const struct vdp_filter *f);
int ipc_get_filter(const struct nlattr *n, uint8_t fif, struct vdp_filter *f, char *what,
		   size_t cap);

/* A VSI command (EVB_MSG_VSI_CMD): the port and the request; a
 * De-Associate carries only the VSI's key. */
void ipc_put_vsi_request(struct ipc_msg *m, const char *ifname, const struct vdp_request *r);
/* The request's command, key, type, hints, manager ID and filters (into
 * filt, room for VDP_MAX_FILTERS; r->filters points there).  0, or -EINVAL
 * with a sentence. */
int ipc_get_vsi_request(const struct ipc_attrs *a, struct vdp_request *r, struct vdp_filter *filt,
			char *what, size_t cap);

/* A VSI as evbd shows it (EVB_MSG_VSI, or a RESULT's VSI). */
struct ipc_vsi {
	char ifname[EVB_IFNAME_MAX];
	uint8_t role; /* enum evb_role */
	struct vdp_vsi_key key;
	uint32_t type_id;
	uint8_t type_ver;
	uint8_t mgrid[VDP_MGRID_LEN];
	uint8_t cmd;	   /* VDP TLV type requested (station) or processed (bridge) */
	uint8_t hints;	   /* VDP_STATUS_MBIT / SBIT */
	uint8_t state;	   /* enum vdp_st_state or vdp_br_state */
	uint8_t result;	   /* enum vdp_vsi_result */
	uint8_t reason;	   /* VDP reason code */
	uint8_t status;	   /* last status octet */
	uint8_t confirmed; /* VDP TLV type in force, 0 none */
	bool has_result;   /* EVB_A_RESULT present (a RESULT may carry only the key) */
	bool has_age;
	uint64_t age_us; /* since the VSI was created */
	uint8_t fif;
	uint16_t nfilters;
	const struct vdp_filter *filters;
};

/* The VSI's key: its port (name, role) and VSIID. */
void ipc_put_vsi_key(struct ipc_msg *m, const char *ifname, uint8_t role,
		     const struct vdp_vsi_key *k);
/* The whole VSI (its key first). */
void ipc_put_vsi(struct ipc_msg *m, const struct ipc_vsi *v);
/* A VSI: port name, VSIID format and VSIID needed, the rest defaults to
 * zero (role station, result pending); filters into filt (room for
 * VDP_MAX_FILTERS).  0, or -EINVAL with a sentence. */
int ipc_get_vsi(const struct ipc_attrs *a, struct ipc_vsi *v, struct vdp_filter *filt, char *what,
		size_t cap);

/* ---------------- ports ---------------- */

struct ipc_ecp {
	uint32_t tx_frames, tx_retries, tx_failures, rx_frames, rx_dups;
	uint32_t pace_us, pace_max_us, pace_losses;	/* ECP pacing (vdp/ecp_pace.h) */
	uint32_t pace_answers, pace_repeats, pace_dups; /* its signs by kind (vdp/vdp_port.h) */
	uint32_t pace_cadence_us;			/* the peer's cadence (a gauge) */
};

struct ipc_vsi_counts {
	uint32_t total, pending, preassociated, associated, failed;
};

struct ipc_frames {
	uint32_t lldp_tx, lldp_rx, lldp_ageouts, ecp_rx_acks, ecp_rx_stale_acks;
	uint32_t vdp_rx_skipped, ecp_rx_other, vdp_sm_illegal;
};

struct ipc_drops {
	uint32_t lldp_bad, ecp_bad, tlv_bad, vsi_bad, unknown_vsi, wrong_dir;
	uint32_t lldp_other, evb_clamped, vdp_other, rx_overflow;
	uint32_t vsi_limit, filter_limit, queue_full, tx_dropped; /* bounds (vdp_port.h) */
	uint32_t ttl_clamped, station_limit;
	uint32_t draft_rx, draft_tx; /* draft 0.2 conversion (vdp/draft_edge.h) */
};

/* The LLDP neighbour (nearest customer bridge). */
struct ipc_neighbor {
	uint8_t mac[6]; /* source MAC of its LLDPDUs */
	struct lldp_id chassis, port;
	uint16_t ttl;
	uint8_t mode; /* EVB mode in its TLV, 0 none */
};

/* A port's CDCP (EVB_A_CDCP). */
struct ipc_cdcp {
	uint16_t chncap, pool_low, pool_high;
	bool peer;
	uint16_t peer_chncap;
	uint16_t nchan;
	struct cdcp_chan chan[CDCP_MAX_PAIRS];
	struct cdcp_stats stats;
	uint16_t ndev; /* the S-channels' devices (evbd/schan.h) */
	struct evb_schan_dev dev[CDCP_MAX_PAIRS];
};

struct ipc_port {
	char ifname[EVB_IFNAME_MAX];
	uint8_t role; /* enum evb_role */
	bool link_up, present;
	uint8_t mac[6];
	struct evb_oper oper; /* negotiated values */
	bool has_neighbor;
	struct ipc_neighbor nbr;
	struct ipc_ecp ecp;
	struct ipc_vsi_counts counts;
	struct ipc_drops drops;
	bool has_policy; /* bridge ports */
	uint8_t policy;	 /* 0 open, 1 database */
	bool has_frames; /* EVB_A_FRAMES and EVB_A_COUNTERS_AGE (an evbd before 0.2: none) */
	struct ipc_frames frames;
	uint64_t counters_age_us; /* since the counters started: evbd's start or a clear */
	uint8_t protocol;	  /* in use: 0 802.1Qbg-2012, 1 draft 0.2 */
	uint8_t protocol_set;	  /* setting: 0 auto, 1 2012, 2 draft (enum lldp_protocol) */
	bool has_cdcp;		  /* the port runs CDCP */
	struct ipc_cdcp cdcp;
	char schan_of[EVB_IFNAME_MAX]; /* an S-channel's port: the port whose CDCP made it; "" */
	struct cdcp_chan schan;	       /* that S-channel */
};

/* The members of struct ipc_ecp, ipc_vsi_counts and ipc_drops, each a u32
 * in its nest: its attribute, its name (the member's, which evbctl shows)
 * and its offset; put/get and evbctl's rendering read these tables. */
struct ipc_u32_field {
	uint16_t attr;
	const char *name;
	size_t off;
	const char *label; /* what evbctl's text output calls it; NULL: the name */
};

struct ipc_u32_nest {
	uint16_t type; /* EVB_A_ECP, EVB_A_VSI_COUNTS, EVB_A_DROPS, EVB_A_STATS */
	const struct ipc_u32_field *f;
	size_t n;
};

extern const struct ipc_u32_nest ipc_ecp_nest, ipc_vsi_counts_nest, ipc_drops_nest, ipc_frames_nest;
/* The CDCP counters (struct cdcp_stats) inside EVB_A_CDCP. */
extern const struct ipc_u32_nest ipc_cdcp_nest;
/* The member f of the struct at s. */
uint32_t ipc_u32_field_get(const void *s, const struct ipc_u32_field *f);

void ipc_put_oper(struct ipc_msg *m, const struct evb_oper *o);
int ipc_get_oper(const struct nlattr *n, struct evb_oper *o, char *what, size_t cap);
void ipc_put_neighbor(struct ipc_msg *m, const struct ipc_neighbor *nb);
int ipc_get_neighbor(const struct nlattr *n, struct ipc_neighbor *nb, char *what, size_t cap);
void ipc_put_ecp(struct ipc_msg *m, const struct ipc_ecp *c);
int ipc_get_ecp(const struct nlattr *n, struct ipc_ecp *c, char *what, size_t cap);
void ipc_put_vsi_counts(struct ipc_msg *m, const struct ipc_vsi_counts *c);
int ipc_get_vsi_counts(const struct nlattr *n, struct ipc_vsi_counts *c, char *what, size_t cap);
void ipc_put_drops(struct ipc_msg *m, const struct ipc_drops *d);
int ipc_get_drops(const struct nlattr *n, struct ipc_drops *d, char *what, size_t cap);

/* A port (EVB_MSG_PORT): every member, the neighbour and the policy when
 * present. */
void ipc_put_port(struct ipc_msg *m, const struct ipc_port *p);
int ipc_get_port(const struct ipc_attrs *a, struct ipc_port *p, char *what, size_t cap);

/* ---------------- evbd's own state ---------------- */

/* The control socket's u32 counters (struct ipc_stats, evbd/ipc_state.h). */
struct ipc_sock_counters {
	uint32_t requests, refused, rx_dropped, rx_malformed, over_budget, stalled;
	uint32_t tx_backlogged, tx_lost, waiters;
};

/* What EVB_MSG_STATS_GET answers (EVB_A_STATS). */
struct ipc_daemon {
	char version[EVB_VERSION_MAX];
	uint64_t uptime_us;
	uint32_t ports;
	struct ipc_sock_counters sock;
	uint64_t held, held_peak;	    /* octets held for clients: now, the most ever */
	bool persistent;		    /* a state database (else nothing survives a restart) */
	uint64_t synced_gen;		    /* the last durable generation */
	uint32_t pending;		    /* changes queued, not yet written */
	uint32_t not_durable;		    /* OK answers replaced by an error: the write failed */
	char store_why[EVB_STORE_WHY_MAX];  /* why writes fail; "" while they succeed */
	uint32_t pid;			    /* evbd's process id (0: an older evbd) */
	uint32_t subscribers, subs_dropped; /* monitor subscribers now, dropped so far */
	uint32_t events;		    /* events journaled since evbd started */
};

/* The members of struct ipc_sock_counters in EVB_A_STATS, with labels. */
extern const struct ipc_u32_nest ipc_sock_nest;
/* The nest EVB_A_STATS. */
void ipc_put_daemon(struct ipc_msg *m, const struct ipc_daemon *d);
/* Version, uptime, ports and persistence needed; absent counters read 0.
 * 0, or -EINVAL with a sentence. */
int ipc_get_daemon(const struct nlattr *n, struct ipc_daemon *d, char *what, size_t cap);

/* ---------------- VSI types ---------------- */

/* Append e (ipc/vsitype.h) as the nested attribute `type` (key_only: ID
 * and version), with how many VSIs use the type when in_use >= 0 (answers;
 * -1: none).  false, with nothing of it left, when it does not fit. */
bool ipc_put_vsitype(struct ipc_msg *m, uint16_t type, const struct vsitype *e, bool key_only,
		     int64_t in_use);
/* Read a nested entry (key_only: the key is all that is needed) and, when
 * in_use is not NULL, how many VSIs use it (-1 when the nest does not say,
 * or key_only).  0, or -EINVAL with a sentence.  The entry's rules are the
 * database's (a PCP over 7 reads as 8, for it to refuse); the type ID's is
 * checked here too (vsitype_check_id). */
int ipc_get_vsitype(const struct nlattr *nest, struct vsitype *e, bool key_only, int64_t *in_use,
		    char *what, size_t cap);

/* ---------------- the MIB ---------------- */

void ipc_put_oid(struct ipc_msg *m, const struct mib_oid *o);
/* EVB_A_MIB_OID: 0, -ENOENT when absent, -EINVAL (sentence) when it is not
 * whole sub-identifiers. */
int ipc_get_oid(const struct ipc_attrs *a, struct mib_oid *o, char *what, size_t cap);
/* EVB_A_MIB_TYPE and EVB_A_MIB_VALUE. */
void ipc_put_value(struct ipc_msg *m, const struct mib_value *v);
int ipc_get_value(const struct ipc_attrs *a, struct mib_value *v, char *what, size_t cap);
/* A varbind: the OID and the value, or the OID and the exception err
 * (EVB_A_MIB_ERR, e.g. noSuchInstance) when err != MIB_OK. */
void ipc_put_varbind(struct ipc_msg *m, const struct mib_oid *o, const struct mib_value *v,
		     int err);
int ipc_get_varbind(const struct ipc_attrs *a, struct mib_oid *o, struct mib_value *v, int *err,
		    char *what, size_t cap);

/* ---------------- plugin commands ---------------- */

/* EVB_A_PLUGIN_CMD and EVB_A_ARGS (argv[0..argc), each NUL-terminated).
 * -E2BIG when the arguments exceed EVB_ARGS_MAX octets. */
int ipc_put_plugin_cmd(struct ipc_msg *m, const char *name, int argc, const char *const *argv);
/* The name ("" when absent) and the arguments (argv: room for
 * EVB_ARGC_MAX + 1, NULL-terminated): argc, or -EINVAL with a sentence. */
int ipc_get_plugin_cmd(const struct ipc_attrs *a, const char **name, const char **argv, char *what,
		       size_t cap);

/* ---------------- events (EVB_MSG_EVENT) ---------------- */

/* One event of evbd's journal (enum evb_event in ipc/schema.h says which
 * members each kind carries). */
struct ipc_event {
	uint8_t kind;	  /* enum evb_event */
	uint32_t seq;	  /* its number in evbd's journal */
	uint64_t time_us; /* CLOCK_REALTIME µs */
	char ifname[EVB_IFNAME_MAX];
	uint8_t role; /* enum evb_role of the port */
	/* port events: the port as the event left it */
	bool link_up, present, has_nbr;
	struct evb_oper oper;
	uint8_t nbr_mac[6];
	/* VSI events */
	struct vdp_vsi_key key;
	uint32_t type_id;
	uint8_t type_ver, cmd, result, old_result, reason, state, old_state;
};

void ipc_put_event(struct ipc_msg *m, const struct ipc_event *e);
/* 0, or -EINVAL with a sentence. */
int ipc_get_event(const struct ipc_attrs *a, struct ipc_event *e, char *what, size_t cap);

#endif
