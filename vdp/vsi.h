/* SPDX-License-Identifier: ISC */
/*
 * vsi.h - the VSI object shared by the station and bridge machines, and the
 * per-port VSI table: a chained hash table keyed by (VSIID format, VSIID)
 * with O(1) lookup, growing by doubling, sized for 100,000+ VSIs per port,
 * and shrinking again (never below its initial size) as VSIs go.
 *
 * A VSI is about 150 octets with one filter inline; more filters live in a
 * separate array.
 */
#ifndef VDP_VSI_H
#define VDP_VSI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "proto.h"
#include "vdp_tlv.h"

struct vdp_vsi_key {
	uint8_t fmt;
	uint8_t id[VDP_VSIID_LEN];
};

/* What a station reports for a VSI (evbctl `state`). */
enum vdp_vsi_result {
	VSI_PENDING = 0, /* request sent, no answer yet */
	VSI_PREASSOCIATED,
	VSI_PREASSOCIATED_RR,
	VSI_ASSOCIATED,
	VSI_DEASSOCIATED,
	VSI_FAILED,
	VSI_RESULTS /* number of results */
};

struct vdp_vsi {
	struct vdp_vsi *hnext; /* hash chain */
	struct dl_node timer;  /* the machine's one deadline */
	uint32_t hash;
	struct vdp_vsi_key key;
	uint8_t mgrid[VDP_MGRID_LEN];
	uint32_t type_id; /* 24 bits */
	uint8_t type_ver;
	uint8_t fif;
	uint16_t nfilters;
	union {
		struct vdp_filter one;	 /* nfilters <= 1 */
		struct vdp_filter *many; /* nfilters > 1, malloc'd */
	} f;
	uint8_t *org; /* org TLVs (raw, with headers) sent after the VSI TLV */
	uint16_t org_len;

	uint8_t state;	   /* enum vdp_st_state or enum vdp_br_state */
	uint8_t cmd;	   /* station: requested TLV type; bridge: type being processed */
	uint8_t confirmed; /* TLV type in force (0: none) */
	uint8_t hints;	   /* station: M/S bits of the request */
	uint8_t status;	   /* last status octet received (station) or sent (bridge) */
	uint8_t result;	   /* enum vdp_vsi_result */
	uint8_t reason;	   /* last reason code */
	uint8_t tries;	   /* station: VDP-level attempts of the current exchange */
	uint8_t flags;	   /* VSI_F_* */
	uint8_t station;   /* bridge: 1 + vdp_port.stations index of its creator, 0 = none */
	uint32_t tag;	   /* owner's cookie (e.g. netlink requester); not interpreted here */
	uint64_t created;  /* µs */
	uint32_t n_ok, n_fail, n_revert; /* MIB VDPCommandsSucceeded/Failed/Reverts */
	struct vsi_saved *saved;	 /* what was in force while a change is pending, or NULL */
};

#define VSI_F_BOUND    0x01 /* bridge: dataplane resources bound */
#define VSI_F_LINKDOWN 0x02 /* station: exchange interrupted by link down */
#define VSI_F_STEP     0x04 /* vdp_port: marked for the event being stepped on every VSI */

static inline const struct vdp_filter *vsi_filters(const struct vdp_vsi *v)
{
	return v->nfilters > 1 ? v->f.many : &v->f.one;
}
static inline struct vdp_filter *vsi_filters_mut(struct vdp_vsi *v)
{
	return v->nfilters > 1 ? v->f.many : &v->f.one;
}

/* Allocate a zeroed VSI with this key.  NULL on ENOMEM. */
struct vdp_vsi *vsi_new(const struct vdp_vsi_key *key, uint64_t now);
void vsi_free(struct vdp_vsi *v);
/* Replace the filters (copied; n may be 0).  0 or -ENOMEM. */
int vsi_set_filters(struct vdp_vsi *v, uint8_t fif, const struct vdp_filter *f, uint16_t n);
/* A change that may be refused with KEEP: vsi_save() copies the VSI type,
 * version and filters in force (once; later calls keep the first copy),
 * vsi_restore() puts them back after a KEEP refusal, vsi_drop_saved()
 * forgets them when the change is granted.  0 or -ENOMEM. */
int vsi_save(struct vdp_vsi *v);
void vsi_restore(struct vdp_vsi *v);
void vsi_drop_saved(struct vdp_vsi *v);
/* Replace the org TLV octets (copied).  0 or -ENOMEM. */
int vsi_set_org(struct vdp_vsi *v, const uint8_t *org, size_t len);
/* Fill a TLV view of the VSI (filters and org point into v). */
void vsi_to_tlv(const struct vdp_vsi *v, uint8_t type, uint8_t status, struct vdp_vsi_tlv *t);
/* Same filters (format, count, and each entry by position)?  With
 * match_wild, a requested VID 0 matches any VID in `t` (station reading a
 * bridge response), and PS/PCP are compared only when requested. */
bool vsi_filters_match(const struct vdp_vsi *v, const struct vdp_vsi_tlv *t, bool match_wild);
/* Does t carry what was in force before the pending change (the copy
 * vsi_save() made: VSI type, version and filters, VID 0 wild)?  false
 * when nothing is saved. */
bool vsi_saved_match(const struct vdp_vsi *v, const struct vdp_vsi_tlv *t);
const char *vsi_result_name(uint8_t result); /* "pending", "associated", ... */

struct vsi_table {
	struct vdp_vsi **b;
	size_t nb;     /* buckets, a power of two */
	size_t nb_min; /* the initial bucket count: never shrunk below */
	size_t count;
	uint64_t gen; /* changes with every insert and remove, never to a value
		       * used before (ordered views over the table see they are stale) */
};

int vsi_table_init(struct vsi_table *t, size_t hint);
/* Lookups to come, as a hint: start loading the buckets of these n keys,
 * then the first VSI of each, so that the lookups of a whole ECPDU overlap
 * their cache misses instead of waiting for each in turn. */
void vsi_table_prefetch(const struct vsi_table *t, const struct vdp_vsi_key *keys, size_t n);
/* Frees every VSI too. */
void vsi_table_free(struct vsi_table *t);
struct vdp_vsi *vsi_table_find(const struct vsi_table *t, const struct vdp_vsi_key *k);
/* Insert v.  0: inserted.  VSI_TABLE_NOT_GROWN: inserted, but the table
 * could not double (no memory); lookups get slower until a later insert
 * grows it.  -EEXIST: a VSI with that key is in already; -ENOMEM: not
 * inserted (a zeroed table could not get its first buckets). */
int vsi_table_insert(struct vsi_table *t, struct vdp_vsi *v);
#define VSI_TABLE_NOT_GROWN 1
void vsi_table_remove(struct vsi_table *t, struct vdp_vsi *v);

/* Resumable iteration (for dumps that span several messages): start with a
 * zeroed cursor; returns NULL at the end.  Changes to the table between
 * calls may make the walk see a VSI twice or miss one (as netlink dumps of
 * the kernel), never crash. */
struct vsi_cursor {
	size_t bucket;
	size_t pos;
};
struct vdp_vsi *vsi_table_next(const struct vsi_table *t, struct vsi_cursor *c);

#endif
