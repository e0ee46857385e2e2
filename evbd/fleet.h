/* SPDX-License-Identifier: ISC */
/*
 * fleet.h - what a switch of a fleet knows of the fleet's VSIs (their
 * locations), and the records evbd keeps in etcd with their keys:
 *
 *   PREFIX/types/ID-VERSION, PREFIX/types/default   one VSI type entry
 *   PREFIX/vsis/FMT/VSIID/SWITCH                    a VSI held by SWITCH
 *
 * VSIID is the 16 octets in hex, FMT the VSIID format (decimal).  Values
 * are JSON objects (fleet_rec_json(), fleet_type_json(); docs/fleet.md
 * shows them); their decoders check every field and bound every length,
 * as they read what any switch (or anyone with etcd's credentials) wrote.
 *
 * The table holds one record per (VSIID, switch): this switch's own VSIs
 * (local, with what is still to be written to etcd: a queue of dirty
 * records) and the others' as etcd last showed them.  At most FLEET_MAX
 * records; a record beyond is refused (fleet_put returns NULL).
 */
#ifndef EVBD_FLEET_H
#define EVBD_FLEET_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evbd/cluster_conf.h"
#include "ipc/vsitype.h"
#include "vdp/vsi.h"

#define FLEET_MAX      4000000 /* records in the table */
#define FLEET_JSON_MAX 8192    /* a record's value (VDP_MAX_FILTERS filters fit) */

struct fleet_rec {
	struct fleet_rec *next;	 /* hash chain */
	struct fleet_rec *dnext; /* dirty queue (local records) */
	struct vdp_vsi_key key;
	char sw[CLUSTER_NAME_MAX];
	char port[IF_NAMESIZE];
	uint32_t type_id;
	uint8_t type_ver;
	uint8_t state; /* VDP TLV type in force: pre-associate (with RR) or associate */
	uint8_t fif;
	uint16_t nfilters;
	uint64_t since; /* µs since the epoch: when it reached this state there */
	/* local records only */
	bool local;
	bool dirty;	   /* in the dirty queue */
	bool gone;	   /* ended here: to be deleted from etcd, then freed */
	unsigned inflight; /* batches carrying it now */
	bool synced;	   /* the last re-sync found it in etcd as it is here */
	struct vdp_filter *filters;
};

struct fleet {
	struct fleet_rec **b;
	size_t nb, n, nlocal;
	struct fleet_rec *dhead, *dtail; /* dirty queue */
	size_t ndirty;
};

struct fleet_cursor {
	size_t b, i;
};

void fleet_init(struct fleet *f);
void fleet_fini(struct fleet *f);
/* The record of (key, sw), or NULL. */
struct fleet_rec *fleet_find(const struct fleet *f, const struct vdp_vsi_key *k, const char *sw);
/* The record of (r->key, r->sw) becomes a copy of r (filters copied):
 * the table's record, or NULL (ENOMEM, or FLEET_MAX records). */
struct fleet_rec *fleet_put(struct fleet *f, const struct fleet_rec *r,
			    const struct vdp_filter *filt);
/* Remove and free a record (not while inflight). */
void fleet_del(struct fleet *f, struct fleet_rec *r);
/* Queue a local record for writing (once). */
void fleet_dirty(struct fleet *f, struct fleet_rec *r);
/* Take the first dirty record off the queue, or NULL. */
struct fleet_rec *fleet_take_dirty(struct fleet *f);
/* Records in table order; NULL at the end.  The cursor survives changes
 * between calls (a record may then be skipped or seen twice). */
struct fleet_rec *fleet_next(const struct fleet *f, struct fleet_cursor *c);
/* Every record of a VSIID in turn (prev NULL first). */
struct fleet_rec *fleet_next_of(const struct fleet *f, const struct vdp_vsi_key *k,
				struct fleet_rec *prev);

/* ---------------- keys and values in etcd ---------------- */

/* PREFIX/vsis/FMT/VSIID/SWITCH into buf.  The text's length. */
int fleet_vsi_key(const char *prefix, const struct vdp_vsi_key *k, const char *sw, char *buf,
		  size_t cap);
/* The part after PREFIX/vsis/ back into key and switch: 0 or -EINVAL. */
int fleet_vsi_key_parse(const char *rest, struct vdp_vsi_key *k, char *sw, size_t cap);
/* A record's value (JSON, malloc'd), or NULL on ENOMEM. */
char *fleet_rec_json(const struct fleet_rec *r);
/* A value into r (key and switch untouched) and its filters into filt
 * (room for VDP_MAX_FILTERS).  0, or -EINVAL with *why naming the field. */
int fleet_rec_parse(const char *json, size_t len, struct fleet_rec *r, struct vdp_filter *filt,
		    const char **why);

/* PREFIX/types/ID-VERSION or PREFIX/types/default. */
int fleet_type_key(const char *prefix, uint32_t id, uint8_t ver, char *buf, size_t cap);
/* The part after PREFIX/types/ back into the key: 0 or -EINVAL. */
int fleet_type_key_parse(const char *rest, uint32_t *id, uint8_t *ver);
/* The value of an entry; written_us (µs since the epoch, 0: none) says when
 * a switch wrote it, for the propagation time its readers log. */
char *fleet_type_json(const struct vsitype *e, uint64_t written_us);
/* A value into e (whose key is set by the caller first) and, when
 * written_us is not NULL, its write time (0 when absent); the entry's rules
 * are the VSI type database's (vsitype_check), checked by its caller. */
int fleet_type_parse(const char *json, size_t len, struct vsitype *e, uint64_t *written_us,
		     const char **why);

/* "associate", "preassociate", "preassociate-rr" (the state word of a
 * record) and back: 0 when unknown. */
const char *fleet_state_word(uint8_t state);
uint8_t fleet_state_of(const char *word);

#endif
