/* SPDX-License-Identifier: ISC */
/*
 * codec.c - the control protocol's reader and writer (see codec.h): the
 * attribute policy of every nest, the checked parser, and the put/get pair
 * of every object.
 */
#include "ipc/codec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>

/* A sentence into what (may be NULL); returns -EINVAL. */
__attribute__((format(printf, 3, 4))) static int bad(char *what, size_t cap, const char *fmt, ...)
{
	va_list ap;
	if (!what || !cap)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(what, cap, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---------------- policies: one table per nest ---------------- */

/* What an attribute must be: its libmnl data type and the bounds of its
 * payload length.  A zero type: not known here (ignored). */
struct policy {
	enum mnl_attr_data_type type;
	uint16_t min, max;
};

#define U8                                                                                         \
	{                                                                                          \
		MNL_TYPE_U8, 1, 1                                                                  \
	}
#define U16                                                                                        \
	{                                                                                          \
		MNL_TYPE_U16, 2, 2                                                                 \
	}
#define U32                                                                                        \
	{                                                                                          \
		MNL_TYPE_U32, 4, 4                                                                 \
	}
#define U64                                                                                        \
	{                                                                                          \
		MNL_TYPE_U64, 8, 8                                                                 \
	}
#define NESTED                                                                                     \
	{                                                                                          \
		MNL_TYPE_NESTED, 0, UINT16_MAX                                                     \
	}
#define STR(n)                                                                                     \
	{                                                                                          \
		MNL_TYPE_NUL_STRING, 1, (n)                                                        \
	}
#define BIN(n)                                                                                     \
	{                                                                                          \
		MNL_TYPE_BINARY, (n), (n)                                                          \
	}
#define MAC_LEN 6

static const struct policy top_policy[EVB_A_MAX] = {
    [EVB_A_ERRNO] = U32,
    [EVB_A_ERRMSG] = STR(EVB_ERRMSG_MAX),
    [EVB_A_IFNAME] = {MNL_TYPE_NUL_STRING, 2, EVB_IFNAME_MAX},
    [EVB_A_CMD] = U8,
    [EVB_A_HINTS] = U8,
    [EVB_A_MGRID] = BIN(VDP_MGRID_LEN),
    [EVB_A_TYPE_ID] = U32,
    [EVB_A_TYPE_VER] = U8,
    [EVB_A_VSIID_FMT] = U8,
    [EVB_A_VSIID] = BIN(VDP_VSIID_LEN),
    [EVB_A_FIF] = U8,
    [EVB_A_FILTER] = {MNL_TYPE_NESTED, MNL_ATTR_HDRLEN, UINT16_MAX},
    [EVB_A_STATE] = U8,
    [EVB_A_RESULT] = U8,
    [EVB_A_REASON] = U8,
    [EVB_A_STATUS] = U8,
    [EVB_A_ROLE] = U8,
    [EVB_A_LINK] = U8,
    [EVB_A_PORT_MAC] = BIN(MAC_LEN),
    [EVB_A_OPER] = NESTED,
    [EVB_A_NEIGHBOR] = NESTED,
    [EVB_A_ECP] = NESTED,
    [EVB_A_VSI_COUNTS] = NESTED,
    [EVB_A_CREATED_AGE] = U64,
    [EVB_A_DROPS] = NESTED,
    [EVB_A_CONFIRMED] = U8,
    [EVB_A_PRESENT] = U8,
    [EVB_A_VSITYPE] = NESTED,
    [EVB_A_VSITYPES] = NESTED,
    [EVB_A_COUNT] = U32,
    [EVB_A_POLICY] = U8,
    [EVB_A_PLUGIN_CMD] = STR(EVB_PLUGIN_CMD_MAX),
    [EVB_A_ARGS] = {MNL_TYPE_BINARY, 0, EVB_ARGS_MAX},
    [EVB_A_CDCP] = NESTED,
    [EVB_A_TEXT] = STR(EVB_TEXT_MAX),
    [EVB_A_MIB_OID] = {MNL_TYPE_BINARY, sizeof(uint32_t), sizeof(uint32_t) * EVB_MIB_OID_MAX},
    [EVB_A_MIB_TYPE] = U8,
    [EVB_A_MIB_VALUE] = {MNL_TYPE_BINARY, 0, EVB_MIB_VALUE_MAX},
    [EVB_A_MIB_ERR] = U8,
    [EVB_A_STATS] = NESTED,
    [EVB_A_SWITCH] = STR(EVB_SWITCH_MAX),
    [EVB_A_SINCE] = U64,
    [EVB_A_EVENT] = U8,
    [EVB_A_EV_TIME] = U64,
    [EVB_A_OLD_RESULT] = U8,
    [EVB_A_OLD_STATE] = U8,
    [EVB_A_EV_SEQ] = U32,
    [EVB_A_FRAMES] = NESTED,
    [EVB_A_COUNTERS_AGE] = U64,
    [EVB_A_PROTO] = U8,
    [EVB_A_PROTO_SET] = U8,
    [EVB_A_SCHAN_OF] = {MNL_TYPE_NUL_STRING, 2, EVB_IFNAME_MAX},
    [EVB_A_SCHAN] = {MNL_TYPE_BINARY, sizeof(struct evb_schan), sizeof(struct evb_schan)},
};

static const struct policy filter_policy[EVB_FA_MAX] = {
    [EVB_FA_MAC] = BIN(MAC_LEN), [EVB_FA_VID] = U16, [EVB_FA_PCP] = U8, [EVB_FA_PS] = U8,
    [EVB_FA_GROUP] = U32,
};

static const struct policy oper_policy[EVB_OA_MAX] = {
    [EVB_OA_VALID] = U8, [EVB_OA_R] = U8,  [EVB_OA_RTE] = U8, [EVB_OA_RWD] = U8,
    [EVB_OA_RKA] = U8,	 [EVB_OA_RR] = U8, [EVB_OA_GID] = U8,
};

static const struct policy nbr_policy[EVB_NA_MAX] = {
    [EVB_NA_MAC] = BIN(MAC_LEN), [EVB_NA_CHASSIS] = {MNL_TYPE_BINARY, 0, EVB_LLDP_ID_MAX},
    [EVB_NA_CHASSIS_ST] = U8,	 [EVB_NA_PORT] = {MNL_TYPE_BINARY, 0, EVB_LLDP_ID_MAX},
    [EVB_NA_PORT_ST] = U8,	 [EVB_NA_TTL] = U16,
    [EVB_NA_MODE] = U8,
};

static const struct policy ecp_policy[EVB_EA_MAX] = {
    [EVB_EA_TX_FRAMES] = U32,	 [EVB_EA_TX_RETRIES] = U32,  [EVB_EA_TX_FAILURES] = U32,
    [EVB_EA_RX_FRAMES] = U32,	 [EVB_EA_RX_DUPS] = U32,     [EVB_EA_PACE_US] = U32,
    [EVB_EA_PACE_MAX_US] = U32,	 [EVB_EA_PACE_LOSSES] = U32, [EVB_EA_PACE_ANSWERS] = U32,
    [EVB_EA_PACE_REPEATS] = U32, [EVB_EA_PACE_DUPS] = U32,   [EVB_EA_PACE_CADENCE_US] = U32,
};

static const struct policy frames_policy[EVB_XA_MAX] = {
    [EVB_XA_LLDP_TX] = U32,	 [EVB_XA_LLDP_RX] = U32,	   [EVB_XA_LLDP_AGEOUTS] = U32,
    [EVB_XA_ECP_RX_ACKS] = U32,	 [EVB_XA_ECP_RX_STALE_ACKS] = U32, [EVB_XA_VDP_RX_SKIPPED] = U32,
    [EVB_XA_ECP_RX_OTHER] = U32, [EVB_XA_VDP_SM_ILLEGAL] = U32,
};

static const struct policy count_policy[EVB_CA_MAX] = {
    [EVB_CA_TOTAL] = U32,      [EVB_CA_PENDING] = U32, [EVB_CA_PREASSOCIATED] = U32,
    [EVB_CA_ASSOCIATED] = U32, [EVB_CA_FAILED] = U32,
};

static const struct policy drop_policy[EVB_DA_MAX] = {
    [EVB_DA_LLDP_BAD] = U32,	[EVB_DA_ECP_BAD] = U32,	    [EVB_DA_TLV_BAD] = U32,
    [EVB_DA_VSI_BAD] = U32,	[EVB_DA_UNKNOWN_VSI] = U32, [EVB_DA_WRONG_DIR] = U32,
    [EVB_DA_LLDP_OTHER] = U32,	[EVB_DA_EVB_CLAMPED] = U32, [EVB_DA_VDP_OTHER] = U32,
    [EVB_DA_RX_OVERFLOW] = U32, [EVB_DA_VSI_LIMIT] = U32,   [EVB_DA_FILTER_LIMIT] = U32,
    [EVB_DA_QUEUE_FULL] = U32,	[EVB_DA_TX_DROPPED] = U32,  [EVB_DA_TTL_CLAMPED] = U32,
    [EVB_DA_STA_LIMIT] = U32,	[EVB_DA_DRAFT_RX] = U32,    [EVB_DA_DRAFT_TX] = U32,
};

static const struct policy cdcp_policy[EVB_CDA_MAX] = {
    [EVB_CDA_CHNCAP] = U16,
    [EVB_CDA_POOL_LOW] = U16,
    [EVB_CDA_POOL_HIGH] = U16,
    [EVB_CDA_PEER] = U8,
    [EVB_CDA_PEER_CHNCAP] = U16,
    [EVB_CDA_CHANNELS] = {MNL_TYPE_BINARY, 0, CDCP_MAX_PAIRS * sizeof(struct evb_schan)},
    [EVB_CDA_RX_TLVS] = U32,
    [EVB_CDA_UP] = U32,
    [EVB_CDA_DOWN] = U32,
    [EVB_CDA_REFUSED] = U32,
    [EVB_CDA_RX_ROLE] = U32,
    [EVB_CDA_RX_DUP] = U32,
    [EVB_CDA_RX_CAP] = U32,
    [EVB_CDA_RX_BAD] = U32,
    [EVB_CDA_DEV_ERR] = U32,
    [EVB_CDA_DEVICES] = {MNL_TYPE_BINARY, 0, CDCP_MAX_PAIRS * sizeof(struct evb_schan_dev)},
};

static const struct policy vsitype_policy[EVB_TA_MAX] = {
    [EVB_TA_ID] = U32,
    [EVB_TA_VER] = U8,
    [EVB_TA_NAME] = STR(EVB_VSITYPE_NAME_MAX),
    [EVB_TA_VLANS] = {MNL_TYPE_BINARY, 0, EVB_VSITYPE_RANGES * sizeof(struct evb_vid_range)},
    [EVB_TA_ASSIGN_VID] = U16,
    [EVB_TA_FORMATS] = U8,
    [EVB_TA_MAX_PER_PORT] = U32,
    [EVB_TA_PCP] = U8,
    [EVB_TA_IN_USE] = U32,
};

static const struct policy stats_policy[EVB_SA_MAX] = {
    [EVB_SA_VERSION] = STR(EVB_VERSION_MAX),
    [EVB_SA_UPTIME] = U64,
    [EVB_SA_PORTS] = U32,
    [EVB_SA_RX_DROPPED] = U32,
    [EVB_SA_RX_MALFORMED] = U32,
    [EVB_SA_REQUESTS] = U32,
    [EVB_SA_REFUSED] = U32,
    [EVB_SA_TX_BACKLOGGED] = U32,
    [EVB_SA_TX_LOST] = U32,
    [EVB_SA_OVER_BUDGET] = U32,
    [EVB_SA_STALLED] = U32,
    [EVB_SA_WAITERS] = U32,
    [EVB_SA_HELD] = U64,
    [EVB_SA_HELD_PEAK] = U64,
    [EVB_SA_NOT_DURABLE] = U32,
    [EVB_SA_PERSISTENT] = U8,
    [EVB_SA_SYNCED_GEN] = U64,
    [EVB_SA_PENDING] = U32,
    [EVB_SA_STORE_WHY] = STR(EVB_STORE_WHY_MAX),
    [EVB_SA_PID] = U32,
    [EVB_SA_SUBSCRIBERS] = U32,
    [EVB_SA_SUBS_DROPPED] = U32,
    [EVB_SA_EVENTS] = U32,
};

/* The nests, by the type of the attribute that holds them. */
static const struct nest {
	uint16_t type;
	uint16_t max;
	const struct policy *pol;
} nests[] = {
    {EVB_A_FILTER, EVB_FA_MAX, filter_policy},	  {EVB_A_OPER, EVB_OA_MAX, oper_policy},
    {EVB_A_NEIGHBOR, EVB_NA_MAX, nbr_policy},	  {EVB_A_ECP, EVB_EA_MAX, ecp_policy},
    {EVB_A_VSI_COUNTS, EVB_CA_MAX, count_policy}, {EVB_A_DROPS, EVB_DA_MAX, drop_policy},
    {EVB_A_VSITYPE, EVB_TA_MAX, vsitype_policy},  {EVB_A_STATS, EVB_SA_MAX, stats_policy},
    {EVB_A_FRAMES, EVB_XA_MAX, frames_policy},	  {EVB_A_CDCP, EVB_CDA_MAX, cdcp_policy},
};

_Static_assert(EVB_FA_MAX <= IPC_NEST_TB && EVB_OA_MAX <= IPC_NEST_TB &&
		   EVB_NA_MAX <= IPC_NEST_TB && EVB_EA_MAX <= IPC_NEST_TB &&
		   EVB_CA_MAX <= IPC_NEST_TB && EVB_DA_MAX <= IPC_NEST_TB &&
		   EVB_TA_MAX <= IPC_NEST_TB && EVB_SA_MAX <= IPC_NEST_TB &&
		   EVB_CDA_MAX <= IPC_NEST_TB,
	       "a nest has more attributes than IPC_NEST_TB");

/* ---------------- the parser ---------------- */

struct parse {
	const struct policy *pol;
	uint16_t max;
	const struct nlattr **tb;
	struct ipc_attrs *rep; /* collects EVB_A_FILTER (top level only) */
	const char *end;       /* end of the last attribute seen */
	char *what;
	size_t cap;
};

static bool attr_ok(const struct nlattr *a, const struct policy *p)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	return mnl_attr_validate(a, p->type) >= 0 && len >= p->min && len <= p->max;
}

static int parse_cb(const struct nlattr *a, void *data)
{
	struct parse *ps = data;
	uint16_t type = mnl_attr_get_type(a);
	ps->end = (const char *)a + MNL_ALIGN(a->nla_len);
	if (type >= ps->max || !ps->pol[type].type)
		return MNL_CB_OK; /* unknown: a newer peer's, ignored */
	if (!attr_ok(a, &ps->pol[type])) {
		bad(ps->what, ps->cap, "attribute %u has a bad length or value", type);
		return MNL_CB_ERROR;
	}
	if (ps->rep && type == EVB_A_FILTER) {
		if (ps->rep->nfilters >= VDP_MAX_FILTERS) {
			bad(ps->what, ps->cap, "more than %u filters", VDP_MAX_FILTERS);
			return MNL_CB_ERROR;
		}
		ps->rep->filters[ps->rep->nfilters++] = a;
		return MNL_CB_OK;
	}
	if (ps->tb[type]) {
		bad(ps->what, ps->cap, "attribute %u appears twice", type);
		return MNL_CB_ERROR;
	}
	ps->tb[type] = a;
	return MNL_CB_OK;
}

/* The attributes must cover [start, tail) exactly. */
static bool covers(const struct parse *ps, const void *start, const void *tail)
{
	return ps->end ? (const void *)ps->end == tail : start == tail;
}

int ipc_attrs_parse(const struct nlmsghdr *nlh, struct ipc_attrs *a, char *what, size_t cap)
{
	size_t off = MNL_ALIGN(sizeof(struct evb_ipc_hdr));
	struct parse ps = {
	    .pol = top_policy, .max = EVB_A_MAX, .tb = a->tb, .rep = a, .what = what, .cap = cap};
	memset(a, 0, sizeof(*a));
	if (what && cap)
		what[0] = '\0';
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return bad(what, cap, "the message is shorter than the evbd header");
	if (mnl_attr_parse(nlh, (unsigned)off, parse_cb, &ps) < 0)
		return what && cap && what[0] ? -EINVAL
					      : bad(what, cap, "attributes are malformed");
	if (!covers(&ps, mnl_nlmsg_get_payload_offset(nlh, off), mnl_nlmsg_get_payload_tail(nlh)))
		return bad(what, cap, "attributes are truncated");
	return 0;
}

int ipc_nest_parse(const struct nlattr *nest, const struct nlattr **tb, char *what, size_t cap)
{
	uint16_t type = mnl_attr_get_type(nest);
	const struct nest *n = NULL;
	for (size_t i = 0; i < sizeof(nests) / sizeof(nests[0]); i++)
		if (nests[i].type == type)
			n = &nests[i];
	if (what && cap)
		what[0] = '\0';
	if (!n)
		return bad(what, cap, "attribute %u is not a nest", type);
	struct parse ps = {.pol = n->pol, .max = n->max, .tb = tb, .what = what, .cap = cap};
	memset(tb, 0, n->max * sizeof(*tb));
	const char *start = mnl_attr_get_payload(nest);
	if (mnl_attr_parse_nested(nest, parse_cb, &ps) < 0)
		return what && cap && what[0]
			   ? -EINVAL
			   : bad(what, cap, "nested attribute %u is malformed", type);
	if (!covers(&ps, start, start + mnl_attr_get_payload_len(nest)))
		return bad(what, cap, "nested attribute %u is truncated", type);
	return 0;
}

uint8_t ipc_get_u8(const struct nlattr *a, uint8_t dflt)
{
	return a ? mnl_attr_get_u8(a) : dflt;
}

static uint16_t get_u16(const struct nlattr *a, uint16_t dflt)
{
	return a ? mnl_attr_get_u16(a) : dflt;
}

uint32_t ipc_get_u32(const struct nlattr *a, uint32_t dflt)
{
	return a ? mnl_attr_get_u32(a) : dflt;
}

const char *ipc_get_str(const struct nlattr *a, const char *dflt)
{
	return a ? mnl_attr_get_str(a) : dflt;
}

const char *ipc_get_ifname(const struct ipc_attrs *a)
{
	return ipc_get_str(a->tb[EVB_A_IFNAME], NULL);
}

/* ---------------- building ---------------- */

bool ipc_msg_start(struct ipc_msg *m, void *buf, size_t cap, uint16_t type, uint16_t nl_flags,
		   uint8_t evb_flags)
{
	m->nlh = NULL;
	m->cap = cap;
	m->full = cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct evb_ipc_hdr));
	if (m->full)
		return false;
	m->nlh = mnl_nlmsg_put_header(buf);
	m->nlh->nlmsg_type = type;
	m->nlh->nlmsg_flags = nl_flags;
	struct evb_ipc_hdr *h = mnl_nlmsg_put_extra_header(m->nlh, sizeof(*h));
	h->version = EVBD_IPC_VERSION;
	h->flags = evb_flags;
	return true;
}

size_t ipc_put_done(void *buf, size_t cap, uint32_t seq, uint32_t portid)
{
	if (cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(int)))
		return 0;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	int *status = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*status = 0;
	return nlh->nlmsg_len;
}

/* libmnl (before 1.0.5) leaves an attribute's alignment padding as the
 * buffer had it: zero it, so no stale memory goes out. */
static void pad_zero(struct nlattr *a)
{
	memset((uint8_t *)a + a->nla_len, 0, MNL_ALIGN(a->nla_len) - a->nla_len);
}

void ipc_put(struct ipc_msg *m, uint16_t type, size_t len, const void *data)
{
	struct nlattr *a = m->full ? NULL : mnl_nlmsg_get_payload_tail(m->nlh);
	if (a && mnl_attr_put_check(m->nlh, m->cap, type, len, data))
		pad_zero(a);
	else
		m->full = true;
}

void ipc_put_u8(struct ipc_msg *m, uint16_t type, uint8_t v)
{
	ipc_put(m, type, sizeof(v), &v);
}

void ipc_put_u16(struct ipc_msg *m, uint16_t type, uint16_t v)
{
	ipc_put(m, type, sizeof(v), &v);
}

void ipc_put_u32(struct ipc_msg *m, uint16_t type, uint32_t v)
{
	ipc_put(m, type, sizeof(v), &v);
}

void ipc_put_u64(struct ipc_msg *m, uint16_t type, uint64_t v)
{
	ipc_put(m, type, sizeof(v), &v);
}

void ipc_put_str(struct ipc_msg *m, uint16_t type, const char *s)
{
	struct nlattr *a = m->full ? NULL : mnl_nlmsg_get_payload_tail(m->nlh);
	if (a && mnl_attr_put_strz_check(m->nlh, m->cap, type, s))
		pad_zero(a);
	else
		m->full = true;
}

struct nlattr *ipc_nest_start(struct ipc_msg *m, uint16_t type)
{
	struct nlattr *n = m->full ? NULL : mnl_attr_nest_start_check(m->nlh, m->cap, type);
	if (!n)
		m->full = true;
	return n;
}

void ipc_nest_end(struct ipc_msg *m, struct nlattr *n)
{
	if (n && !m->full)
		mnl_attr_nest_end(m->nlh, n);
}

/* ---------------- RESULT ---------------- */

void ipc_put_result(struct ipc_msg *m, uint32_t err, const char *msg)
{
	ipc_put_u32(m, EVB_A_ERRNO, err);
	if (msg && *msg)
		ipc_put_str(m, EVB_A_ERRMSG, msg);
}

#define ERRNO_MAX 4095

int ipc_get_result(const struct ipc_attrs *a, const char **msg)
{
	*msg = ipc_get_str(a->tb[EVB_A_ERRMSG], "");
	if (!a->tb[EVB_A_ERRNO])
		return -EBADMSG;
	uint32_t e = mnl_attr_get_u32(a->tb[EVB_A_ERRNO]);
	return e > ERRNO_MAX ? -EBADMSG : (int)e;
}

/* ---------------- nests of u32 counters ---------------- */

#define FIELD(a, s, f)                                                                             \
	{                                                                                          \
		a, #f, offsetof(s, f)                                                              \
	}

static const struct ipc_u32_field ecp_fields[] = {
    FIELD(EVB_EA_TX_FRAMES, struct ipc_ecp, tx_frames),
    FIELD(EVB_EA_TX_RETRIES, struct ipc_ecp, tx_retries),
    FIELD(EVB_EA_TX_FAILURES, struct ipc_ecp, tx_failures),
    FIELD(EVB_EA_RX_FRAMES, struct ipc_ecp, rx_frames),
    FIELD(EVB_EA_RX_DUPS, struct ipc_ecp, rx_dups),
    FIELD(EVB_EA_PACE_US, struct ipc_ecp, pace_us),
    FIELD(EVB_EA_PACE_MAX_US, struct ipc_ecp, pace_max_us),
    FIELD(EVB_EA_PACE_LOSSES, struct ipc_ecp, pace_losses),
    FIELD(EVB_EA_PACE_ANSWERS, struct ipc_ecp, pace_answers),
    FIELD(EVB_EA_PACE_REPEATS, struct ipc_ecp, pace_repeats),
    FIELD(EVB_EA_PACE_DUPS, struct ipc_ecp, pace_dups),
    FIELD(EVB_EA_PACE_CADENCE_US, struct ipc_ecp, pace_cadence_us),
};

static const struct ipc_u32_field count_fields[] = {
    FIELD(EVB_CA_TOTAL, struct ipc_vsi_counts, total),
    FIELD(EVB_CA_PENDING, struct ipc_vsi_counts, pending),
    FIELD(EVB_CA_PREASSOCIATED, struct ipc_vsi_counts, preassociated),
    FIELD(EVB_CA_ASSOCIATED, struct ipc_vsi_counts, associated),
    FIELD(EVB_CA_FAILED, struct ipc_vsi_counts, failed),
};

static const struct ipc_u32_field frame_fields[] = {
    FIELD(EVB_XA_LLDP_TX, struct ipc_frames, lldp_tx),
    FIELD(EVB_XA_LLDP_RX, struct ipc_frames, lldp_rx),
    FIELD(EVB_XA_LLDP_AGEOUTS, struct ipc_frames, lldp_ageouts),
    FIELD(EVB_XA_ECP_RX_ACKS, struct ipc_frames, ecp_rx_acks),
    FIELD(EVB_XA_ECP_RX_STALE_ACKS, struct ipc_frames, ecp_rx_stale_acks),
    FIELD(EVB_XA_ECP_RX_OTHER, struct ipc_frames, ecp_rx_other),
    FIELD(EVB_XA_VDP_RX_SKIPPED, struct ipc_frames, vdp_rx_skipped),
    FIELD(EVB_XA_VDP_SM_ILLEGAL, struct ipc_frames, vdp_sm_illegal),
};

static const struct ipc_u32_field drop_fields[] = {
    FIELD(EVB_DA_LLDP_BAD, struct ipc_drops, lldp_bad),
    FIELD(EVB_DA_ECP_BAD, struct ipc_drops, ecp_bad),
    FIELD(EVB_DA_TLV_BAD, struct ipc_drops, tlv_bad),
    FIELD(EVB_DA_VSI_BAD, struct ipc_drops, vsi_bad),
    FIELD(EVB_DA_UNKNOWN_VSI, struct ipc_drops, unknown_vsi),
    FIELD(EVB_DA_WRONG_DIR, struct ipc_drops, wrong_dir),
    FIELD(EVB_DA_LLDP_OTHER, struct ipc_drops, lldp_other),
    FIELD(EVB_DA_EVB_CLAMPED, struct ipc_drops, evb_clamped),
    FIELD(EVB_DA_VDP_OTHER, struct ipc_drops, vdp_other),
    FIELD(EVB_DA_RX_OVERFLOW, struct ipc_drops, rx_overflow),
    FIELD(EVB_DA_VSI_LIMIT, struct ipc_drops, vsi_limit),
    FIELD(EVB_DA_FILTER_LIMIT, struct ipc_drops, filter_limit),
    FIELD(EVB_DA_QUEUE_FULL, struct ipc_drops, queue_full),
    FIELD(EVB_DA_TX_DROPPED, struct ipc_drops, tx_dropped),
    FIELD(EVB_DA_TTL_CLAMPED, struct ipc_drops, ttl_clamped),
    FIELD(EVB_DA_STA_LIMIT, struct ipc_drops, station_limit),
    FIELD(EVB_DA_DRAFT_RX, struct ipc_drops, draft_rx),
    FIELD(EVB_DA_DRAFT_TX, struct ipc_drops, draft_tx),
};

static const struct ipc_u32_field cdcp_fields[] = {
    FIELD(EVB_CDA_RX_TLVS, struct cdcp_stats, rx_tlvs),
    FIELD(EVB_CDA_UP, struct cdcp_stats, up),
    FIELD(EVB_CDA_DOWN, struct cdcp_stats, down),
    FIELD(EVB_CDA_REFUSED, struct cdcp_stats, refused),
    FIELD(EVB_CDA_RX_ROLE, struct cdcp_stats, rx_role),
    FIELD(EVB_CDA_RX_DUP, struct cdcp_stats, rx_dup),
    FIELD(EVB_CDA_RX_CAP, struct cdcp_stats, rx_cap),
    FIELD(EVB_CDA_RX_BAD, struct cdcp_stats, rx_bad),
    FIELD(EVB_CDA_DEV_ERR, struct cdcp_stats, dev_err),
};

#define LABELED(a, s, f, l)                                                                        \
	{                                                                                          \
		a, #f, offsetof(s, f), l                                                           \
	}

/* In the order evbctl shows them. */
static const struct ipc_u32_field sock_fields[] = {
    LABELED(EVB_SA_REQUESTS, struct ipc_sock_counters, requests, "requests answered"),
    LABELED(EVB_SA_REFUSED, struct ipc_sock_counters, refused, "refused (not permitted)"),
    LABELED(EVB_SA_OVER_BUDGET, struct ipc_sock_counters, over_budget,
	    "refused or dropped (over the memory budget)"),
    LABELED(EVB_SA_STALLED, struct ipc_sock_counters, stalled, "clients cut off (stopped reading)"),
    LABELED(EVB_SA_TX_LOST, struct ipc_sock_counters, tx_lost, "answers lost"),
    LABELED(EVB_SA_TX_BACKLOGGED, struct ipc_sock_counters, tx_backlogged,
	    "answers delayed (client's buffer full)"),
    LABELED(EVB_SA_RX_DROPPED, struct ipc_sock_counters, rx_dropped, "datagrams dropped"),
    LABELED(EVB_SA_RX_MALFORMED, struct ipc_sock_counters, rx_malformed,
	    "messages not answerable (bad header)"),
    LABELED(EVB_SA_WAITERS, struct ipc_sock_counters, waiters, "VSI commands waiting now"),
};

#define NFIELDS(f) (sizeof(f) / sizeof((f)[0]))
#define MAX_FIELDS 32 /* room for the largest counter nest's *_MAX */
_Static_assert(EVB_DA_MAX <= MAX_FIELDS && EVB_EA_MAX <= MAX_FIELDS && EVB_CA_MAX <= MAX_FIELDS &&
		   EVB_SA_MAX <= MAX_FIELDS,
	       "a counter nest has more attributes than get_u32_nest has room for");

const struct ipc_u32_nest ipc_ecp_nest = {EVB_A_ECP, ecp_fields, NFIELDS(ecp_fields)};
const struct ipc_u32_nest ipc_vsi_counts_nest = {EVB_A_VSI_COUNTS, count_fields,
						 NFIELDS(count_fields)};
const struct ipc_u32_nest ipc_drops_nest = {EVB_A_DROPS, drop_fields, NFIELDS(drop_fields)};
const struct ipc_u32_nest ipc_frames_nest = {EVB_A_FRAMES, frame_fields, NFIELDS(frame_fields)};
const struct ipc_u32_nest ipc_cdcp_nest = {EVB_A_CDCP, cdcp_fields, NFIELDS(cdcp_fields)};
const struct ipc_u32_nest ipc_sock_nest = {EVB_A_STATS, sock_fields, NFIELDS(sock_fields)};

uint32_t ipc_u32_field_get(const void *s, const struct ipc_u32_field *f)
{
	uint32_t v;
	memcpy(&v, (const uint8_t *)s + f->off, sizeof(v));
	return v;
}

/* The members of s, in the nest being built. */
static void put_u32_fields(struct ipc_msg *m, const struct ipc_u32_nest *d, const void *s)
{
	for (size_t i = 0; i < d->n; i++)
		ipc_put_u32(m, d->f[i].attr, ipc_u32_field_get(s, &d->f[i]));
}

/* The members of s from the nest's indexed attributes; absent ones read 0. */
static void get_u32_fields(const struct nlattr *const *tb, const struct ipc_u32_nest *d, void *s)
{
	for (size_t i = 0; i < d->n; i++) {
		uint32_t v = ipc_get_u32(tb[d->f[i].attr], 0);
		memcpy((uint8_t *)s + d->f[i].off, &v, sizeof(v));
	}
}

static void put_u32_nest(struct ipc_msg *m, const struct ipc_u32_nest *d, const void *s)
{
	struct nlattr *nest = ipc_nest_start(m, d->type);
	put_u32_fields(m, d, s);
	ipc_nest_end(m, nest);
}

/* Absent counters read 0. */
static int get_u32_nest(const struct nlattr *nest, const struct ipc_u32_nest *d, void *s,
			char *what, size_t cap)
{
	const struct nlattr *tb[MAX_FIELDS];
	int rc = ipc_nest_parse(nest, tb, what, cap);
	if (rc)
		return rc;
	get_u32_fields(tb, d, s);
	return 0;
}

void ipc_put_ecp(struct ipc_msg *m, const struct ipc_ecp *c)
{
	put_u32_nest(m, &ipc_ecp_nest, c);
}

int ipc_get_ecp(const struct nlattr *n, struct ipc_ecp *c, char *what, size_t cap)
{
	return get_u32_nest(n, &ipc_ecp_nest, c, what, cap);
}

void ipc_put_vsi_counts(struct ipc_msg *m, const struct ipc_vsi_counts *c)
{
	put_u32_nest(m, &ipc_vsi_counts_nest, c);
}

int ipc_get_vsi_counts(const struct nlattr *n, struct ipc_vsi_counts *c, char *what, size_t cap)
{
	return get_u32_nest(n, &ipc_vsi_counts_nest, c, what, cap);
}

void ipc_put_drops(struct ipc_msg *m, const struct ipc_drops *d)
{
	put_u32_nest(m, &ipc_drops_nest, d);
}

int ipc_get_drops(const struct nlattr *n, struct ipc_drops *d, char *what, size_t cap)
{
	return get_u32_nest(n, &ipc_drops_nest, d, what, cap);
}

/* ---------------- filters and VSI commands ---------------- */

static bool fif_has_mac(uint8_t fif)
{
	return fif == VDP_FIF_MACVID || fif == VDP_FIF_GROUPMACVID;
}

static bool fif_has_group(uint8_t fif)
{
	return fif == VDP_FIF_GROUPVID || fif == VDP_FIF_GROUPMACVID;
}

#define PCP_MAX 7

void ipc_put_filter(struct ipc_msg *m, uint8_t fif, const struct vdp_filter *f)
{
	struct nlattr *n = ipc_nest_start(m, EVB_A_FILTER);
	ipc_put_u16(m, EVB_FA_VID, f->vid);
	ipc_put_u8(m, EVB_FA_PCP, f->pcp);
	ipc_put_u8(m, EVB_FA_PS, f->ps);
	if (fif_has_mac(fif))
		ipc_put(m, EVB_FA_MAC, MAC_LEN, f->mac);
	if (fif_has_group(fif))
		ipc_put_u32(m, EVB_FA_GROUP, f->group);
	ipc_nest_end(m, n);
}

int ipc_get_filter(const struct nlattr *n, uint8_t fif, struct vdp_filter *f, char *what,
		   size_t cap)
{
	const struct nlattr *tb[EVB_FA_MAX];
	if (ipc_nest_parse(n, tb, what, cap))
		return -EINVAL;
	bool need_mac = fif_has_mac(fif), need_group = fif_has_group(fif);
	if (!tb[EVB_FA_VID] || (need_mac && !tb[EVB_FA_MAC]) || (need_group && !tb[EVB_FA_GROUP]))
		return bad(what, cap, "a filter lacks the VLAN ID%s%s", need_mac ? ", MAC" : "",
			   need_group ? ", group" : "");
	memset(f, 0, sizeof(*f));
	f->vid = mnl_attr_get_u16(tb[EVB_FA_VID]);
	f->pcp = ipc_get_u8(tb[EVB_FA_PCP], 0);
	f->ps = tb[EVB_FA_PS] ? mnl_attr_get_u8(tb[EVB_FA_PS]) != 0 : tb[EVB_FA_PCP] != NULL;
	if (need_mac)
		memcpy(f->mac, mnl_attr_get_payload(tb[EVB_FA_MAC]), MAC_LEN);
	if (need_group)
		f->group = mnl_attr_get_u32(tb[EVB_FA_GROUP]);
	if (f->pcp > PCP_MAX)
		return bad(what, cap, "a filter has PCP %u (0..%u allowed)", f->pcp, PCP_MAX);
	return 0;
}

/* Every filter of a, read with format fif into filt. */
static int get_filters(const struct ipc_attrs *a, uint8_t fif, struct vdp_filter *filt, char *what,
		       size_t cap)
{
	for (unsigned i = 0; i < a->nfilters; i++)
		if (ipc_get_filter(a->filters[i], fif, &filt[i], what, cap))
			return -EINVAL;
	return 0;
}

void ipc_put_vsi_request(struct ipc_msg *m, const char *ifname, const struct vdp_request *r)
{
	if (ifname && *ifname)
		ipc_put_str(m, EVB_A_IFNAME, ifname);
	ipc_put_u8(m, EVB_A_CMD, r->type);
	ipc_put_u8(m, EVB_A_VSIID_FMT, r->key.fmt);
	ipc_put(m, EVB_A_VSIID, VDP_VSIID_LEN, r->key.id);
	if (r->type == VDP_TLV_DEASSOC)
		return;
	ipc_put_u32(m, EVB_A_TYPE_ID, r->type_id);
	ipc_put_u8(m, EVB_A_TYPE_VER, r->type_ver);
	ipc_put(m, EVB_A_MGRID, VDP_MGRID_LEN, r->mgrid);
	ipc_put_u8(m, EVB_A_HINTS, r->hints);
	ipc_put_u8(m, EVB_A_FIF, r->fif);
	for (uint16_t i = 0; i < r->nfilters; i++)
		ipc_put_filter(m, r->fif, &r->filters[i]);
}

int ipc_get_vsi_request(const struct ipc_attrs *a, struct vdp_request *r, struct vdp_filter *filt,
			char *what, size_t cap)
{
	const struct nlattr *const *tb = a->tb;
	memset(r, 0, sizeof(*r));
	r->type = ipc_get_u8(tb[EVB_A_CMD], 0);
	if (r->type < VDP_TLV_PREASSOC || r->type > VDP_TLV_DEASSOC)
		return bad(what, cap,
			   "unknown VSI command %u (1 preassociate, 2 preassociate-rr, 3 "
			   "associate, 4 deassociate)",
			   r->type);
	if (!tb[EVB_A_VSIID_FMT] || !tb[EVB_A_VSIID])
		return bad(what, cap, "the request names no VSI (VSIID format and value needed)");
	r->key.fmt = mnl_attr_get_u8(tb[EVB_A_VSIID_FMT]);
	memcpy(r->key.id, mnl_attr_get_payload(tb[EVB_A_VSIID]), VDP_VSIID_LEN);
	if (!vdp_vsiid_valid(r->key.fmt, r->key.id))
		return bad(what, cap, "the VSIID is not valid for format %u (%s)", r->key.fmt,
			   vdp_vsiid_fmt_name(r->key.fmt));
	if (r->type == VDP_TLV_DEASSOC)
		return 0;
	if (!tb[EVB_A_TYPE_ID] || !tb[EVB_A_TYPE_VER] || !tb[EVB_A_FIF] || !a->nfilters)
		return bad(what, cap, "the request lacks the VSI type, its version, or filters");
	r->type_id = mnl_attr_get_u32(tb[EVB_A_TYPE_ID]);
	r->type_ver = mnl_attr_get_u8(tb[EVB_A_TYPE_VER]);
	r->hints = ipc_get_u8(tb[EVB_A_HINTS], 0);
	if (r->type_id > EVB_VSITYPE_ID_MAX)
		return bad(what, cap, "the VSI type ID exceeds 24 bits");
	if ((r->hints & ~(VDP_STATUS_MBIT | VDP_STATUS_SBIT)) ||
	    r->hints == (VDP_STATUS_MBIT | VDP_STATUS_SBIT))
		return bad(what, cap, "hints must be none, migrate-to or migrate-from");
	if (tb[EVB_A_MGRID])
		memcpy(r->mgrid, mnl_attr_get_payload(tb[EVB_A_MGRID]), VDP_MGRID_LEN);
	r->fif = mnl_attr_get_u8(tb[EVB_A_FIF]);
	if (get_filters(a, r->fif, filt, what, cap))
		return -EINVAL;
	r->nfilters = (uint16_t)a->nfilters;
	r->filters = filt;
	return 0;
}

/* ---------------- VSIs ---------------- */

void ipc_put_vsi_key(struct ipc_msg *m, const char *ifname, uint8_t role,
		     const struct vdp_vsi_key *k)
{
	ipc_put_str(m, EVB_A_IFNAME, ifname);
	ipc_put_u8(m, EVB_A_ROLE, role);
	ipc_put_u8(m, EVB_A_VSIID_FMT, k->fmt);
	ipc_put(m, EVB_A_VSIID, VDP_VSIID_LEN, k->id);
}

void ipc_put_vsi(struct ipc_msg *m, const struct ipc_vsi *v)
{
	ipc_put_vsi_key(m, v->ifname, v->role, &v->key);
	ipc_put_u32(m, EVB_A_TYPE_ID, v->type_id);
	ipc_put_u8(m, EVB_A_TYPE_VER, v->type_ver);
	ipc_put(m, EVB_A_MGRID, VDP_MGRID_LEN, v->mgrid);
	ipc_put_u8(m, EVB_A_CMD, v->cmd);
	ipc_put_u8(m, EVB_A_HINTS, v->hints);
	ipc_put_u8(m, EVB_A_STATE, v->state);
	ipc_put_u8(m, EVB_A_RESULT, v->result);
	ipc_put_u8(m, EVB_A_REASON, v->reason);
	ipc_put_u8(m, EVB_A_STATUS, v->status);
	ipc_put_u8(m, EVB_A_CONFIRMED, v->confirmed);
	if (v->has_age)
		ipc_put_u64(m, EVB_A_CREATED_AGE, v->age_us);
	ipc_put_u8(m, EVB_A_FIF, v->fif);
	for (uint16_t i = 0; i < v->nfilters; i++)
		ipc_put_filter(m, v->fif, &v->filters[i]);
}

int ipc_get_vsi(const struct ipc_attrs *a, struct ipc_vsi *v, struct vdp_filter *filt, char *what,
		size_t cap)
{
	const struct nlattr *const *tb = a->tb;
	memset(v, 0, sizeof(*v));
	if (!tb[EVB_A_IFNAME] || !tb[EVB_A_VSIID_FMT] || !tb[EVB_A_VSIID] ||
	    !*mnl_attr_get_str(tb[EVB_A_IFNAME]))
		return bad(what, cap, "the VSI lacks its port, VSIID format or VSIID");
	snprintf(v->ifname, sizeof(v->ifname), "%s", mnl_attr_get_str(tb[EVB_A_IFNAME]));
	v->role = ipc_get_u8(tb[EVB_A_ROLE], EVB_ROLE_STATION);
	v->key.fmt = mnl_attr_get_u8(tb[EVB_A_VSIID_FMT]);
	memcpy(v->key.id, mnl_attr_get_payload(tb[EVB_A_VSIID]), VDP_VSIID_LEN);
	v->type_id = ipc_get_u32(tb[EVB_A_TYPE_ID], 0);
	v->type_ver = ipc_get_u8(tb[EVB_A_TYPE_VER], 0);
	if (tb[EVB_A_MGRID])
		memcpy(v->mgrid, mnl_attr_get_payload(tb[EVB_A_MGRID]), VDP_MGRID_LEN);
	v->cmd = ipc_get_u8(tb[EVB_A_CMD], 0);
	v->hints = ipc_get_u8(tb[EVB_A_HINTS], 0);
	v->state = ipc_get_u8(tb[EVB_A_STATE], 0);
	v->has_result = tb[EVB_A_RESULT] != NULL;
	v->result = ipc_get_u8(tb[EVB_A_RESULT], VSI_PENDING);
	v->reason = ipc_get_u8(tb[EVB_A_REASON], 0);
	v->status = ipc_get_u8(tb[EVB_A_STATUS], 0);
	v->confirmed = ipc_get_u8(tb[EVB_A_CONFIRMED], 0);
	v->has_age = tb[EVB_A_CREATED_AGE] != NULL;
	v->age_us = v->has_age ? mnl_attr_get_u64(tb[EVB_A_CREATED_AGE]) : 0;
	if (a->nfilters && !tb[EVB_A_FIF])
		return bad(what, cap, "the VSI has filters but no filter info format");
	v->fif = ipc_get_u8(tb[EVB_A_FIF], 0);
	if (get_filters(a, v->fif, filt, what, cap))
		return -EINVAL;
	v->nfilters = (uint16_t)a->nfilters;
	v->filters = filt;
	return 0;
}

/* ---------------- ports ---------------- */

void ipc_put_oper(struct ipc_msg *m, const struct evb_oper *o)
{
	struct nlattr *n = ipc_nest_start(m, EVB_A_OPER);
	ipc_put_u8(m, EVB_OA_VALID, o->valid);
	ipc_put_u8(m, EVB_OA_R, o->r);
	ipc_put_u8(m, EVB_OA_RTE, o->rte);
	ipc_put_u8(m, EVB_OA_RWD, o->rwd);
	ipc_put_u8(m, EVB_OA_RKA, o->rka);
	ipc_put_u8(m, EVB_OA_RR, o->rr);
	ipc_put_u8(m, EVB_OA_GID, o->gid);
	ipc_nest_end(m, n);
}

int ipc_get_oper(const struct nlattr *n, struct evb_oper *o, char *what, size_t cap)
{
	const struct nlattr *tb[EVB_OA_MAX];
	if (ipc_nest_parse(n, tb, what, cap))
		return -EINVAL;
	*o = (struct evb_oper){.valid = ipc_get_u8(tb[EVB_OA_VALID], 0),
			       .r = ipc_get_u8(tb[EVB_OA_R], 0),
			       .rte = ipc_get_u8(tb[EVB_OA_RTE], 0),
			       .rwd = ipc_get_u8(tb[EVB_OA_RWD], 0),
			       .rka = ipc_get_u8(tb[EVB_OA_RKA], 0),
			       .rr = ipc_get_u8(tb[EVB_OA_RR], 0),
			       .gid = ipc_get_u8(tb[EVB_OA_GID], 0)};
	return 0;
}

void ipc_put_neighbor(struct ipc_msg *m, const struct ipc_neighbor *nb)
{
	struct nlattr *n = ipc_nest_start(m, EVB_A_NEIGHBOR);
	ipc_put(m, EVB_NA_MAC, MAC_LEN, nb->mac);
	ipc_put(m, EVB_NA_CHASSIS, nb->chassis.len, nb->chassis.id);
	ipc_put_u8(m, EVB_NA_CHASSIS_ST, nb->chassis.subtype);
	ipc_put(m, EVB_NA_PORT, nb->port.len, nb->port.id);
	ipc_put_u8(m, EVB_NA_PORT_ST, nb->port.subtype);
	ipc_put_u16(m, EVB_NA_TTL, nb->ttl);
	ipc_put_u8(m, EVB_NA_MODE, nb->mode);
	ipc_nest_end(m, n);
}

static void get_lldp_id(const struct nlattr *a, const struct nlattr *st, struct lldp_id *id)
{
	uint16_t len = mnl_attr_get_payload_len(a);
	id->subtype = ipc_get_u8(st, 0);
	id->len = (uint8_t)(len < sizeof(id->id) ? len : sizeof(id->id));
	memcpy(id->id, mnl_attr_get_payload(a), id->len);
}

int ipc_get_neighbor(const struct nlattr *n, struct ipc_neighbor *nb, char *what, size_t cap)
{
	const struct nlattr *tb[EVB_NA_MAX];
	if (ipc_nest_parse(n, tb, what, cap))
		return -EINVAL;
	if (!tb[EVB_NA_MAC] || !tb[EVB_NA_CHASSIS] || !tb[EVB_NA_PORT])
		return bad(what, cap, "the neighbour lacks its MAC, chassis ID or port ID");
	memset(nb, 0, sizeof(*nb));
	memcpy(nb->mac, mnl_attr_get_payload(tb[EVB_NA_MAC]), MAC_LEN);
	get_lldp_id(tb[EVB_NA_CHASSIS], tb[EVB_NA_CHASSIS_ST], &nb->chassis);
	get_lldp_id(tb[EVB_NA_PORT], tb[EVB_NA_PORT_ST], &nb->port);
	nb->ttl = get_u16(tb[EVB_NA_TTL], 0);
	nb->mode = ipc_get_u8(tb[EVB_NA_MODE], 0);
	return 0;
}

static void put_cdcp(struct ipc_msg *m, const struct ipc_cdcp *c)
{
	struct evb_schan ch[CDCP_MAX_PAIRS];
	uint16_t n = c->nchan < CDCP_MAX_PAIRS ? c->nchan : CDCP_MAX_PAIRS;
	struct nlattr *nest = ipc_nest_start(m, EVB_A_CDCP);
	for (uint16_t i = 0; i < n; i++)
		ch[i] = (struct evb_schan){c->chan[i].scid, c->chan[i].svid};
	ipc_put_u16(m, EVB_CDA_CHNCAP, c->chncap);
	ipc_put_u16(m, EVB_CDA_POOL_LOW, c->pool_low);
	ipc_put_u16(m, EVB_CDA_POOL_HIGH, c->pool_high);
	ipc_put_u8(m, EVB_CDA_PEER, c->peer);
	ipc_put_u16(m, EVB_CDA_PEER_CHNCAP, c->peer_chncap);
	ipc_put(m, EVB_CDA_CHANNELS, n * sizeof(ch[0]), ch);
	put_u32_fields(m, &ipc_cdcp_nest, &c->stats);
	uint16_t nd = c->ndev < CDCP_MAX_PAIRS ? c->ndev : CDCP_MAX_PAIRS;
	ipc_put(m, EVB_CDA_DEVICES, nd * sizeof(c->dev[0]), c->dev);
	ipc_nest_end(m, nest);
}

/* The S-channels' devices (optional: absent, none), each name ended. */
static int get_schan_devs(const struct nlattr *a, struct ipc_cdcp *c, char *what, size_t cap)
{
	c->ndev = 0;
	if (!a)
		return 0;
	size_t len = mnl_attr_get_payload_len(a);
	if (len % sizeof(struct evb_schan_dev))
		return bad(what, cap, "the port's S-channel devices cut one in two");
	c->ndev = (uint16_t)(len / sizeof(struct evb_schan_dev));
	memcpy(c->dev, mnl_attr_get_payload(a), len);
	for (uint16_t i = 0; i < c->ndev; i++)
		c->dev[i].name[sizeof(c->dev[i].name) - 1] = 0;
	return 0;
}

static int get_cdcp(const struct nlattr *n, struct ipc_cdcp *c, char *what, size_t cap)
{
	const struct nlattr *tb[IPC_NEST_TB];
	if (ipc_nest_parse(n, tb, what, cap))
		return -EINVAL;
	if (!tb[EVB_CDA_CHANNELS] ||
	    mnl_attr_get_payload_len(tb[EVB_CDA_CHANNELS]) % sizeof(struct evb_schan))
		return bad(what, cap, "the port's CDCP lacks its S-channels or cuts one in two");
	const uint8_t *ch = mnl_attr_get_payload(tb[EVB_CDA_CHANNELS]);
	c->nchan =
	    (uint16_t)(mnl_attr_get_payload_len(tb[EVB_CDA_CHANNELS]) / sizeof(struct evb_schan));
	for (uint16_t i = 0; i < c->nchan; i++) {
		struct evb_schan s;
		memcpy(&s, ch + i * sizeof(s), sizeof(s));
		c->chan[i] = (struct cdcp_chan){s.scid, s.svid};
	}
	c->chncap = get_u16(tb[EVB_CDA_CHNCAP], 0);
	c->pool_low = get_u16(tb[EVB_CDA_POOL_LOW], 0);
	c->pool_high = get_u16(tb[EVB_CDA_POOL_HIGH], 0);
	c->peer = ipc_get_u8(tb[EVB_CDA_PEER], 0) != 0;
	c->peer_chncap = get_u16(tb[EVB_CDA_PEER_CHNCAP], 0);
	get_u32_fields(tb, &ipc_cdcp_nest, &c->stats);
	return get_schan_devs(tb[EVB_CDA_DEVICES], c, what, cap);
}

void ipc_put_port(struct ipc_msg *m, const struct ipc_port *p)
{
	ipc_put_str(m, EVB_A_IFNAME, p->ifname);
	ipc_put_u8(m, EVB_A_ROLE, p->role);
	ipc_put_u8(m, EVB_A_LINK, p->link_up);
	ipc_put_u8(m, EVB_A_PRESENT, p->present);
	ipc_put(m, EVB_A_PORT_MAC, MAC_LEN, p->mac);
	ipc_put_oper(m, &p->oper);
	if (p->has_neighbor)
		ipc_put_neighbor(m, &p->nbr);
	ipc_put_ecp(m, &p->ecp);
	ipc_put_vsi_counts(m, &p->counts);
	ipc_put_drops(m, &p->drops);
	if (p->has_policy)
		ipc_put_u8(m, EVB_A_POLICY, p->policy);
	if (p->has_frames) {
		put_u32_nest(m, &ipc_frames_nest, &p->frames);
		ipc_put_u64(m, EVB_A_COUNTERS_AGE, p->counters_age_us);
	}
	ipc_put_u8(m, EVB_A_PROTO, p->protocol);
	ipc_put_u8(m, EVB_A_PROTO_SET, p->protocol_set);
	if (p->has_cdcp)
		put_cdcp(m, &p->cdcp);
	if (p->schan_of[0]) {
		struct evb_schan s = {p->schan.scid, p->schan.svid};
		ipc_put_str(m, EVB_A_SCHAN_OF, p->schan_of);
		ipc_put(m, EVB_A_SCHAN, sizeof(s), &s);
	}
}

int ipc_get_port(const struct ipc_attrs *a, struct ipc_port *p, char *what, size_t cap)
{
	const struct nlattr *const *tb = a->tb;
	memset(p, 0, sizeof(*p));
	if (!tb[EVB_A_IFNAME] || !tb[EVB_A_ROLE] || !tb[EVB_A_LINK] || !tb[EVB_A_PRESENT] ||
	    !tb[EVB_A_PORT_MAC] || !tb[EVB_A_OPER] || !tb[EVB_A_ECP] || !tb[EVB_A_VSI_COUNTS] ||
	    !tb[EVB_A_DROPS])
		return bad(what, cap,
			   "the port lacks its name, role, link, presence, MAC, negotiated "
			   "values or counters");
	snprintf(p->ifname, sizeof(p->ifname), "%s", mnl_attr_get_str(tb[EVB_A_IFNAME]));
	p->role = mnl_attr_get_u8(tb[EVB_A_ROLE]);
	p->link_up = mnl_attr_get_u8(tb[EVB_A_LINK]) != 0;
	p->present = mnl_attr_get_u8(tb[EVB_A_PRESENT]) != 0;
	memcpy(p->mac, mnl_attr_get_payload(tb[EVB_A_PORT_MAC]), MAC_LEN);
	p->has_neighbor = tb[EVB_A_NEIGHBOR] != NULL;
	p->has_policy = tb[EVB_A_POLICY] != NULL;
	p->policy = ipc_get_u8(tb[EVB_A_POLICY], 0);
	p->protocol = ipc_get_u8(tb[EVB_A_PROTO], 0);
	p->protocol_set = ipc_get_u8(tb[EVB_A_PROTO_SET], 0);
	if (ipc_get_oper(tb[EVB_A_OPER], &p->oper, what, cap) ||
	    (p->has_neighbor && ipc_get_neighbor(tb[EVB_A_NEIGHBOR], &p->nbr, what, cap)) ||
	    ipc_get_ecp(tb[EVB_A_ECP], &p->ecp, what, cap) ||
	    ipc_get_vsi_counts(tb[EVB_A_VSI_COUNTS], &p->counts, what, cap) ||
	    ipc_get_drops(tb[EVB_A_DROPS], &p->drops, what, cap))
		return -EINVAL;
	p->has_frames = tb[EVB_A_FRAMES] && tb[EVB_A_COUNTERS_AGE];
	if (p->has_frames) {
		if (get_u32_nest(tb[EVB_A_FRAMES], &ipc_frames_nest, &p->frames, what, cap))
			return -EINVAL;
		p->counters_age_us = mnl_attr_get_u64(tb[EVB_A_COUNTERS_AGE]);
	}
	if (tb[EVB_A_SCHAN_OF] && tb[EVB_A_SCHAN]) {
		struct evb_schan s;
		memcpy(&s, mnl_attr_get_payload(tb[EVB_A_SCHAN]), sizeof(s));
		snprintf(p->schan_of, sizeof(p->schan_of), "%s",
			 mnl_attr_get_str(tb[EVB_A_SCHAN_OF]));
		p->schan = (struct cdcp_chan){s.scid, s.svid};
	}
	p->has_cdcp = tb[EVB_A_CDCP] != NULL;
	if (p->has_cdcp && get_cdcp(tb[EVB_A_CDCP], &p->cdcp, what, cap))
		return -EINVAL;
	return 0;
}

/* ---------------- evbd's own state ---------------- */

void ipc_put_daemon(struct ipc_msg *m, const struct ipc_daemon *d)
{
	struct nlattr *n = ipc_nest_start(m, EVB_A_STATS);
	ipc_put_str(m, EVB_SA_VERSION, d->version);
	ipc_put_u64(m, EVB_SA_UPTIME, d->uptime_us);
	ipc_put_u32(m, EVB_SA_PORTS, d->ports);
	put_u32_fields(m, &ipc_sock_nest, &d->sock);
	ipc_put_u64(m, EVB_SA_HELD, d->held);
	ipc_put_u64(m, EVB_SA_HELD_PEAK, d->held_peak);
	ipc_put_u8(m, EVB_SA_PERSISTENT, d->persistent);
	ipc_put_u64(m, EVB_SA_SYNCED_GEN, d->synced_gen);
	ipc_put_u32(m, EVB_SA_PENDING, d->pending);
	ipc_put_u32(m, EVB_SA_NOT_DURABLE, d->not_durable);
	if (d->store_why[0])
		ipc_put_str(m, EVB_SA_STORE_WHY, d->store_why);
	ipc_put_u32(m, EVB_SA_PID, d->pid);
	ipc_put_u32(m, EVB_SA_SUBSCRIBERS, d->subscribers);
	ipc_put_u32(m, EVB_SA_SUBS_DROPPED, d->subs_dropped);
	ipc_put_u32(m, EVB_SA_EVENTS, d->events);
	ipc_nest_end(m, n);
}

static uint64_t get_u64(const struct nlattr *a, uint64_t dflt)
{
	return a ? mnl_attr_get_u64(a) : dflt;
}

int ipc_get_daemon(const struct nlattr *n, struct ipc_daemon *d, char *what, size_t cap)
{
	const struct nlattr *tb[EVB_SA_MAX];
	if (ipc_nest_parse(n, tb, what, cap))
		return -EINVAL;
	if (!tb[EVB_SA_VERSION] || !tb[EVB_SA_UPTIME] || !tb[EVB_SA_PORTS] ||
	    !tb[EVB_SA_PERSISTENT])
		return bad(what, cap,
			   "evbd's state lacks its version, uptime, ports or persistence");
	memset(d, 0, sizeof(*d));
	snprintf(d->version, sizeof(d->version), "%s", mnl_attr_get_str(tb[EVB_SA_VERSION]));
	d->uptime_us = mnl_attr_get_u64(tb[EVB_SA_UPTIME]);
	d->ports = mnl_attr_get_u32(tb[EVB_SA_PORTS]);
	get_u32_fields(tb, &ipc_sock_nest, &d->sock);
	d->held = get_u64(tb[EVB_SA_HELD], 0);
	d->held_peak = get_u64(tb[EVB_SA_HELD_PEAK], 0);
	d->persistent = mnl_attr_get_u8(tb[EVB_SA_PERSISTENT]) != 0;
	d->synced_gen = get_u64(tb[EVB_SA_SYNCED_GEN], 0);
	d->pending = ipc_get_u32(tb[EVB_SA_PENDING], 0);
	d->not_durable = ipc_get_u32(tb[EVB_SA_NOT_DURABLE], 0);
	snprintf(d->store_why, sizeof(d->store_why), "%s", ipc_get_str(tb[EVB_SA_STORE_WHY], ""));
	d->pid = ipc_get_u32(tb[EVB_SA_PID], 0);
	d->subscribers = ipc_get_u32(tb[EVB_SA_SUBSCRIBERS], 0);
	d->subs_dropped = ipc_get_u32(tb[EVB_SA_SUBS_DROPPED], 0);
	d->events = ipc_get_u32(tb[EVB_SA_EVENTS], 0);
	return 0;
}

/* ---------------- VSI types ---------------- */

bool ipc_put_vsitype(struct ipc_msg *m, uint16_t type, const struct vsitype *e, bool key_only,
		     int64_t in_use)
{
	static struct evb_vid_range r[EVB_VSITYPE_RANGES];
	struct vid_range vr[EVB_VSITYPE_RANGES];
	struct nlattr *n = ipc_nest_start(m, type);

	ipc_put_u32(m, EVB_TA_ID, e->id);
	ipc_put_u8(m, EVB_TA_VER, e->ver);
	if (!key_only) {
		size_t nr = vidset_ranges(&e->vids, vr, EVB_VSITYPE_RANGES);
		for (size_t i = 0; i < nr; i++)
			r[i] = (struct evb_vid_range){.lo = vr[i].lo, .hi = vr[i].hi};
		if (e->name[0])
			ipc_put_str(m, EVB_TA_NAME, e->name);
		ipc_put(m, EVB_TA_VLANS, nr * sizeof(r[0]), r);
		ipc_put_u16(m, EVB_TA_ASSIGN_VID, e->assign_vid);
		ipc_put_u8(m, EVB_TA_FORMATS, e->formats);
		ipc_put_u32(m, EVB_TA_MAX_PER_PORT, e->max_per_port);
		if (e->pcp >= 0)
			ipc_put_u8(m, EVB_TA_PCP, (uint8_t)e->pcp);
		if (in_use >= 0)
			ipc_put_u32(m, EVB_TA_IN_USE, (uint32_t)in_use);
	}
	if (m->full) {
		if (n)
			mnl_attr_nest_cancel(m->nlh, n);
		return false;
	}
	ipc_nest_end(m, n);
	return true;
}

static int get_vlans(const struct nlattr *a, struct vidset *s, char *what, size_t cap)
{
	static struct vid_range r[EVB_VSITYPE_RANGES];
	uint16_t len = mnl_attr_get_payload_len(a);
	size_t n = len / sizeof(struct evb_vid_range), at = 0;

	if (!len || len % sizeof(struct evb_vid_range) || n > EVB_VSITYPE_RANGES)
		return bad(what, cap, "its VLAN list is empty or malformed");
	memcpy(r, mnl_attr_get_payload(a), n * sizeof(r[0]));
	if (vidset_from_ranges(s, r, n, &at))
		return bad(what, cap, "VLAN range %u-%u is backwards or outside 1 to 4094",
			   r[at].lo, r[at].hi);
	return 0;
}

#define PCP_OVER 8 /* what a PCP above 7 reads as (refused by the database's rules) */

int ipc_get_vsitype(const struct nlattr *nest, struct vsitype *e, bool key_only, int64_t *in_use,
		    char *what, size_t cap)
{
	const struct nlattr *tb[EVB_TA_MAX];
	uint32_t id;

	if (in_use)
		*in_use = -1;
	if (ipc_nest_parse(nest, tb, what, cap))
		return -EINVAL;
	if (!tb[EVB_TA_ID])
		return bad(what, cap, "the entry names no VSI type ID");
	id = mnl_attr_get_u32(tb[EVB_TA_ID]);
	if (!tb[EVB_TA_VER] && id != EVB_VSITYPE_DEFAULT)
		return bad(what, cap, "the entry names no VSI type version");
	vsitype_init(e, id, ipc_get_u8(tb[EVB_TA_VER], 0));
	if (vsitype_check_id(id, what, cap))
		return -EINVAL;
	if (key_only)
		return 0;
	if (!tb[EVB_TA_VLANS])
		return bad(what, cap, "the entry has no VLAN list");
	if (get_vlans(tb[EVB_TA_VLANS], &e->vids, what, cap))
		return -EINVAL;
	if (tb[EVB_TA_NAME])
		snprintf(e->name, sizeof(e->name), "%s", mnl_attr_get_str(tb[EVB_TA_NAME]));
	e->assign_vid = get_u16(tb[EVB_TA_ASSIGN_VID], 0);
	e->formats = ipc_get_u8(tb[EVB_TA_FORMATS], e->formats);
	e->max_per_port = ipc_get_u32(tb[EVB_TA_MAX_PER_PORT], 0);
	if (tb[EVB_TA_PCP]) {
		uint8_t pcp = mnl_attr_get_u8(tb[EVB_TA_PCP]);
		e->pcp = (int8_t)(pcp > PCP_MAX ? PCP_OVER : pcp);
	}
	if (in_use)
		*in_use = tb[EVB_TA_IN_USE] ? (int64_t)mnl_attr_get_u32(tb[EVB_TA_IN_USE]) : -1;
	return 0;
}

/* ---------------- the MIB ---------------- */

void ipc_put_oid(struct ipc_msg *m, const struct mib_oid *o)
{
	ipc_put(m, EVB_A_MIB_OID, o->len * sizeof(o->a[0]), o->a);
}

int ipc_get_oid(const struct ipc_attrs *a, struct mib_oid *o, char *what, size_t cap)
{
	const struct nlattr *oa = a->tb[EVB_A_MIB_OID];
	size_t len = oa ? mnl_attr_get_payload_len(oa) : 0;
	if (!oa)
		return -ENOENT;
	if (len % sizeof(o->a[0]) || len > sizeof(o->a))
		return bad(what, cap, "the OID is not a whole number of 32-bit sub-identifiers");
	o->len = (uint32_t)(len / sizeof(o->a[0]));
	memcpy(o->a, mnl_attr_get_payload(oa), len);
	return 0;
}

void ipc_put_value(struct ipc_msg *m, const struct mib_value *v)
{
	ipc_put_u8(m, EVB_A_MIB_TYPE, v->type);
	if (v->type == MIB_OCTETS)
		ipc_put(m, EVB_A_MIB_VALUE, v->len, v->s);
	else
		ipc_put(m, EVB_A_MIB_VALUE, sizeof(v->u), &v->u);
}

int ipc_get_value(const struct ipc_attrs *a, struct mib_value *v, char *what, size_t cap)
{
	const struct nlattr *ty = a->tb[EVB_A_MIB_TYPE], *va = a->tb[EVB_A_MIB_VALUE];
	if (!ty || !va)
		return bad(what, cap, "a MIB set needs a type and a value");
	size_t len = mnl_attr_get_payload_len(va);
	memset(v, 0, sizeof(*v));
	v->type = mnl_attr_get_u8(ty);
	if (v->type == MIB_OCTETS && len <= sizeof(v->s)) {
		v->len = (uint8_t)len;
		memcpy(v->s, mnl_attr_get_payload(va), len);
	} else if (v->type != MIB_OCTETS && len == sizeof(v->u)) {
		memcpy(&v->u, mnl_attr_get_payload(va), len);
	} else {
		return bad(what, cap, "an integer MIB value takes %zu octets, not %zu",
			   sizeof(v->u), len);
	}
	return 0;
}

void ipc_put_varbind(struct ipc_msg *m, const struct mib_oid *o, const struct mib_value *v, int err)
{
	ipc_put_oid(m, o);
	if (err)
		ipc_put_u8(m, EVB_A_MIB_ERR, (uint8_t)err);
	else
		ipc_put_value(m, v);
}

int ipc_get_varbind(const struct ipc_attrs *a, struct mib_oid *o, struct mib_value *v, int *err,
		    char *what, size_t cap)
{
	memset(v, 0, sizeof(*v));
	int rc = ipc_get_oid(a, o, what, cap);
	if (rc == -ENOENT)
		return bad(what, cap, "the varbind has no OID");
	if (rc)
		return rc;
	*err = ipc_get_u8(a->tb[EVB_A_MIB_ERR], MIB_OK);
	return *err ? 0 : ipc_get_value(a, v, what, cap);
}

/* ---------------- plugin commands ---------------- */

int ipc_put_plugin_cmd(struct ipc_msg *m, const char *name, int argc, const char *const *argv)
{
	static char args[EVB_ARGS_MAX];
	size_t off = 0;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (off + n > sizeof(args))
			return -E2BIG;
		memcpy(args + off, argv[i], n);
		off += n;
	}
	ipc_put_str(m, EVB_A_PLUGIN_CMD, name);
	if (off)
		ipc_put(m, EVB_A_ARGS, off, args);
	return 0;
}

int ipc_get_plugin_cmd(const struct ipc_attrs *a, const char **name, const char **argv, char *what,
		       size_t cap)
{
	const struct nlattr *args = a->tb[EVB_A_ARGS];
	int argc = 0;
	*name = ipc_get_str(a->tb[EVB_A_PLUGIN_CMD], "");
	argv[0] = NULL;
	if (!args)
		return 0;
	const char *p = mnl_attr_get_payload(args);
	size_t len = mnl_attr_get_payload_len(args);
	if (len && p[len - 1])
		argc = -1;
	for (size_t off = 0; argc >= 0 && off < len; off += strlen(p + off) + 1) {
		if (argc == EVB_ARGC_MAX) {
			argc = -1;
			break;
		}
		argv[argc++] = p + off;
	}
	if (argc < 0)
		return bad(what, cap, "the arguments are not %d NUL-terminated strings or fewer",
			   EVB_ARGC_MAX);
	argv[argc] = NULL;
	return argc;
}

/* ---------------- events ---------------- */

static bool event_is_vsi(uint8_t kind)
{
	return kind >= EVB_EV_VSI_REQUEST && kind < EVB_EV_MAX;
}

void ipc_put_event(struct ipc_msg *m, const struct ipc_event *e)
{
	ipc_put_u8(m, EVB_A_EVENT, e->kind);
	ipc_put_u32(m, EVB_A_EV_SEQ, e->seq);
	ipc_put_u64(m, EVB_A_EV_TIME, e->time_us);
	if (event_is_vsi(e->kind)) {
		ipc_put_vsi_key(m, e->ifname, e->role, &e->key);
		ipc_put_u32(m, EVB_A_TYPE_ID, e->type_id);
		ipc_put_u8(m, EVB_A_TYPE_VER, e->type_ver);
		ipc_put_u8(m, EVB_A_CMD, e->cmd);
		ipc_put_u8(m, EVB_A_RESULT, e->result);
		ipc_put_u8(m, EVB_A_REASON, e->reason);
		ipc_put_u8(m, EVB_A_STATE, e->state);
		ipc_put_u8(m, EVB_A_OLD_RESULT, e->old_result);
		ipc_put_u8(m, EVB_A_OLD_STATE, e->old_state);
		return;
	}
	ipc_put_str(m, EVB_A_IFNAME, e->ifname);
	ipc_put_u8(m, EVB_A_ROLE, e->role);
	ipc_put_u8(m, EVB_A_LINK, e->link_up);
	ipc_put_u8(m, EVB_A_PRESENT, e->present);
	ipc_put_oper(m, &e->oper);
	if (e->has_nbr) {
		struct nlattr *n = ipc_nest_start(m, EVB_A_NEIGHBOR);
		ipc_put(m, EVB_NA_MAC, MAC_LEN, e->nbr_mac);
		ipc_nest_end(m, n);
	}
}

int ipc_get_event(const struct ipc_attrs *a, struct ipc_event *e, char *what, size_t cap)
{
	const struct nlattr *const *tb = a->tb;
	memset(e, 0, sizeof(*e));
	if (!tb[EVB_A_EVENT] || !tb[EVB_A_IFNAME] || !tb[EVB_A_EV_TIME] ||
	    !*mnl_attr_get_str(tb[EVB_A_IFNAME]))
		return bad(what, cap, "the event lacks its kind, port or time");
	e->kind = mnl_attr_get_u8(tb[EVB_A_EVENT]);
	if (e->kind == EVB_EV_NONE || e->kind >= EVB_EV_MAX)
		return bad(what, cap, "unknown event kind %u", e->kind);
	e->seq = ipc_get_u32(tb[EVB_A_EV_SEQ], 0);
	e->time_us = mnl_attr_get_u64(tb[EVB_A_EV_TIME]);
	snprintf(e->ifname, sizeof(e->ifname), "%s", mnl_attr_get_str(tb[EVB_A_IFNAME]));
	e->role = ipc_get_u8(tb[EVB_A_ROLE], EVB_ROLE_STATION);
	if (event_is_vsi(e->kind)) {
		if (!tb[EVB_A_VSIID_FMT] || !tb[EVB_A_VSIID])
			return bad(what, cap, "the VSI event lacks its VSIID");
		e->key.fmt = mnl_attr_get_u8(tb[EVB_A_VSIID_FMT]);
		memcpy(e->key.id, mnl_attr_get_payload(tb[EVB_A_VSIID]), VDP_VSIID_LEN);
		e->type_id = ipc_get_u32(tb[EVB_A_TYPE_ID], 0);
		e->type_ver = ipc_get_u8(tb[EVB_A_TYPE_VER], 0);
		e->cmd = ipc_get_u8(tb[EVB_A_CMD], 0);
		e->result = ipc_get_u8(tb[EVB_A_RESULT], 0);
		e->reason = ipc_get_u8(tb[EVB_A_REASON], 0);
		e->state = ipc_get_u8(tb[EVB_A_STATE], 0);
		e->old_result = ipc_get_u8(tb[EVB_A_OLD_RESULT], 0);
		e->old_state = ipc_get_u8(tb[EVB_A_OLD_STATE], 0);
		return 0;
	}
	e->link_up = ipc_get_u8(tb[EVB_A_LINK], 0) != 0;
	e->present = ipc_get_u8(tb[EVB_A_PRESENT], 0) != 0;
	if (tb[EVB_A_OPER] && ipc_get_oper(tb[EVB_A_OPER], &e->oper, what, cap))
		return -EINVAL;
	if (tb[EVB_A_NEIGHBOR]) {
		const struct nlattr *nb[EVB_NA_MAX];
		if (ipc_nest_parse(tb[EVB_A_NEIGHBOR], nb, what, cap))
			return -EINVAL;
		if (!nb[EVB_NA_MAC])
			return bad(what, cap, "the event's neighbour lacks its MAC address");
		e->has_nbr = true;
		memcpy(e->nbr_mac, mnl_attr_get_payload(nb[EVB_NA_MAC]), MAC_LEN);
	}
	return 0;
}
