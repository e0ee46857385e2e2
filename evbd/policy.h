/* SPDX-License-Identifier: ISC */
/*
 * policy.h - the bridge's decisions on VSI requests (the vdp_port `decide`
 * callback of a bridge port): with `policy = open` every request is granted
 * as asked (lldpad's behaviour); with `policy = database` the request is
 * checked against the VSI type database (vsitype.h) and against what the
 * port's other VSIs hold, and VID 0 (and the PCP) is filled in from the
 * type.  The per-port index behind the checks -- VSIs per type, and which
 * VSI holds each MAC/VLAN pair -- exists in database mode only: built from
 * the port's VSI table at its first use (after a start, or a switch from
 * open), then kept up to date from grants and removals, so every check is
 * O(filters), not O(VSIs).  Open ports cost nothing.
 *
 * Refusals (802.1Qbg-2012 41.2.3; the table is in policy.c and
 * docs/bridge-policy.md), first match wins:
 *   the fleet's etcd away past cache-grace     reason 3 unable to contact the VSI manager, soft
 *   Group ID format, Group IDs not negotiated  reason 1 invalid format, soft
 *   type ID + version unknown, no default      reason 4 other failure, HARD
 *   filter format not allowed by the type      reason 1 invalid format, HARD
 *   VLAN not allowed / VID 0 with no assign    reason 5 invalid VID, HARD
 *   PCP other than the type's                  reason 4 other failure, HARD
 *   MAC/VLAN held by another VSI on the port   reason 5 invalid MAC, soft
 *   the type's per-port limit reached          reason 2 insufficient resources, soft
 * A refused request keeps what is in force (KEEP) when the VSI has a state
 * in force, else it ends the VSI (De-Associate reply).
 *
 * VSIs already in force are not re-checked when the database changes: a
 * keep-alive is acknowledged without asking the policy (vdp_sm.h), so they
 * stay until the station de-associates them or stops its keep-alives, or
 * until the operator ends them (`evbctl vsitype del ... deassociate`,
 * policy_end_type()).
 */
#ifndef EVBD_POLICY_H
#define EVBD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evbd/config.h"
#include "evbd/vsitype.h"
#include "vdp/vdp_sm.h"
#include "vdp/vsi.h"

struct evbd;
struct vdp_port;

struct policy_port;

/* A port's index.  NULL on ENOMEM.  Every function accepts a NULL index
 * (a station port has none). */
struct policy_port *policy_port_new(void);
void policy_port_free(struct policy_port *pp);

/* Record that the VSI with key k now holds this type and these filters
 * (replacing what it held), or forget it.  bind: 0 or -ENOMEM. */
int policy_bind(struct policy_port *pp, const struct vdp_vsi_key *k, uint32_t type_id,
		uint8_t type_ver, uint8_t fif, const struct vdp_filter *f, uint16_t n);
void policy_unbind(struct policy_port *pp, const struct vdp_vsi_key *k);
/* Index every VSI in force of a VSI table (what a bridge port holds at
 * start or when it switches to database mode), replacing what was indexed.
 * 0 or -ENOMEM (the index is then empty). */
int policy_index_table(struct policy_port *pp, const struct vsi_table *t);
/* VSIs indexed, and of one type. */
size_t policy_bound(const struct policy_port *pp);
uint32_t policy_type_count(const struct policy_port *pp, uint32_t type_id, uint8_t type_ver);
/* The VSI holding MAC/VLAN (mac, vid), other than `except` (may be NULL);
 * NULL when none. */
const struct vdp_vsi_key *policy_pair_owner(const struct policy_port *pp, const uint8_t mac[6],
					    uint16_t vid, const struct vdp_vsi_key *except);

struct policy_in {
	int mode;		     /* enum evbd_policy_mode (config.h) */
	const struct vsitype_db *db; /* may be NULL: no type is known */
	bool gid_ok;		     /* Group IDs negotiated on the port */
	bool no_manager; /* the fleet's database is out of reach past cache-grace (cluster.h) */
};

/* Decide v's request (v->cmd with v's type, filter format and filters).
 * Open mode: a grant of the request as it is (dec->filters NULL), nothing
 * recorded.  Database mode: a grant's filters (VID 0 and the PCP filled in)
 * point into the index's buffer, valid until the next call, and the grant is
 * recorded in the index at once; a refusal has its reason, HARD and
 * KEEP-or-end as in the table above, and `why` gets a sentence fragment.  Returns 0 (the decision
 * is made now); a policy that must ask elsewhere would return -EINPROGRESS and answer with
 * vdp_port_decision(). */
int policy_decide(struct policy_port *pp, const struct policy_in *in, const struct vdp_vsi *v,
		  struct vdp_decision *dec, char *why, size_t cap);

/* The vdp_port_ops.decide callback of a bridge port (ctx: struct evbd_port):
 * policy_decide() with the port's mode, the daemon's database and the
 * negotiated Group ID support, the index built or dropped as the mode
 * wants; refusals are logged (info). */
int policy_decide_cb(void *ctx, struct vdp_port *vp, const struct vdp_vsi *v,
		     struct vdp_decision *dec);

/* End now, with a De-Associate to the station, every VSI in force on every
 * bridge port (whatever its policy) that holds this type (VSITYPE_DEFAULT:
 * every VSI whose type has no entry of its own).  Returns how many were
 * ended. */
unsigned policy_end_type(struct evbd *d, uint32_t type_id, uint8_t type_ver);
/* VSIs holding this type on the bridge ports of d with policy = database. */
uint32_t policy_in_use(struct evbd *d, uint32_t type_id, uint8_t type_ver);

#endif
