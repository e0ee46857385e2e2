/* SPDX-License-Identifier: ISC */
/*
 * store.h - evbd's persistent state: the VSIs of every port in an SQLite
 * database <state_dir>/evbd.db (WAL, synchronous=NORMAL: a commit is in
 * the file when it returns and survives evbd being killed; after a power
 * loss the last commits may be missing).  Changes are queued in memory
 * (copied at once, coalesced per interface and VSIID) and written by
 * store_flush(), the sync point, in one transaction; the loop runs it at
 * the end of a turn when an answer waits for it (group commit), else by
 * its batch timer (loop.h).
 *
 * Durability is counted in generations: store_next_gen() is the sync point
 * that makes what is queued or written now durable, store_synced_gen() the
 * last one that succeeded.  A sync point first checks that the path still
 * names the file evbd opened; a deleted or replaced database is written
 * again from the open copy (VACUUM INTO a new file put at the path).  A
 * failed sync point keeps the queued changes and says why in one sentence
 * (store_error()); the loop retries it.
 *
 * The state directory is locked (flock on <dir>/evbd.lock, holding the
 * pid): a second evbd on it exits naming the first.
 * A damaged database is moved aside as evbd.db.corrupt-<unix time> and a
 * fresh one is started.
 *
 * Every function accepts a NULL store (running without persistence): puts
 * and deletes are ignored, loads find nothing.
 */
#ifndef EVBD_STORE_H
#define EVBD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vdp/vsi.h"

struct sqlite3;

#define STORE_FILE	     "evbd.db"
#define STORE_LOCK_FILE	     "evbd.lock"
#define STORE_WHY_MAX	     320 /* store_error()'s sentence */
#define STORE_SCHEMA_VERSION 1	 /* meta 'schema_version' */
#define STORE_DATA_VERSION   1	 /* first octet of a vsi.data blob */

struct evbd_store;

/* Lock dir and open (creating dir with mode 0700 and the database if
 * missing).  0, or a negative errno after logging a sentence saying why
 * (-EBUSY: another evbd holds the directory). */
int store_open(const char *dir, struct evbd_store **out);
/* Flush what is queued, then close. */
void store_close(struct evbd_store *s);

/* Queue "this VSI of ifname now looks like v" / "is gone".  Everything
 * needed is copied now: v may be freed before the flush.  The last change
 * of a VSI queued before a flush is the one written. */
void store_vsi_put(struct evbd_store *s, const char *ifname, int role, const struct vdp_vsi *v);
void store_vsi_del(struct evbd_store *s, const char *ifname, const struct vdp_vsi_key *k);
/* A VSI's machine step, from the loop's fan-out: what survives a restart
 * is a bridge's VSIs in force and a station's requests (put when made; the
 * bridge's answers to them are not kept, they are asked again).  removed:
 * the VSI ended and is deleted. */
void store_vsi_changed(struct evbd_store *s, const char *ifname, int role, const struct vdp_vsi *v,
		       bool removed);
/* Changes queued and not yet written. */
size_t store_pending(const struct evbd_store *s);
/* The sync point: check the file is still at its path (writing it again if
 * not), then write every queued change in one transaction; on success the
 * synced generation grows by one.  0, or -ENOSPC (disk full) / -EIO with
 * the sentence in store_error() (logged when it starts or changes; the
 * changes stay queued and are retried by the next call). */
int store_flush(struct evbd_store *s);
/* Free pages too few for a flush to give back are left: true until
 * store_reclaim_idle(), which the loop calls once changes have stopped for
 * a while (LOOP_RECLAIM_US), gives every free page back and truncates the
 * log, so the files end up small however the deletions were batched. */
bool store_reclaim_wanted(const struct evbd_store *s);
void store_reclaim_idle(struct evbd_store *s);
/* The generation a change queued (or a row written) now becomes durable
 * with, and the last durable one; 0 and 0 for a NULL store. */
uint64_t store_next_gen(const struct evbd_store *s);
uint64_t store_synced_gen(const struct evbd_store *s);
/* Why the last sync point failed, or NULL when it succeeded. */
const char *store_error(const struct evbd_store *s);
/* True once after the SQLite connection was replaced (the file was written
 * again): store_sqlite() changed, modules holding it must take it again. */
bool store_take_reopened(struct evbd_store *s);

/* Hand every stored VSI of (ifname, role) to cb as a new VSI (vsi_new(),
 * created = now on the monotonic clock) with key, Manager ID, type, filters,
 * org TLVs, cmd, confirmed, hints, status, result, reason and tag restored;
 * cb owns it (also when it fails).  cb returns 0 to go on or a negative
 * errno to stop.  Queued changes are flushed first.  Rows that do not decode
 * are skipped with a warning.  Returns the number of VSIs handed over, cb's
 * error, or -EIO / -ENOMEM. */
int store_load(struct evbd_store *s, const char *ifname, int role,
	       int (*cb)(void *ctx, struct vdp_vsi *v), void *ctx);

/* The SQLite connection, for modules keeping their own tables in the state
 * database (the VSI type database, vsitype.h).  NULL for a NULL store. */
struct sqlite3 *store_sqlite(struct evbd_store *s);

/* Small key/value settings (table meta), written at once.
 * get: 0, -ENOENT, -ENOSPC (value longer than len - 1), -EIO. put: 0 / -EIO. */
int store_meta_get(struct evbd_store *s, const char *key, char *buf, size_t len);
int store_meta_put(struct evbd_store *s, const char *key, const char *value);

/* The vsi.data blob (version STORE_DATA_VERSION), exposed for tests:
 *   u8 version, MgrID[16], u24 type_id, u8 type_ver, u8 cmd, u8 confirmed,
 *   u8 hints, u8 status, u8 result, u8 reason, u32 tag, u8 fif,
 *   u16 nfilters, nfilters x {u32 group, mac[6], u16 vid, u8 pcp, u8 ps},
 *   u16 org_len, org octets.                           (big endian)
 * encode: octets written, or -EINVAL (more than VDP_MAX_FILTERS filters) or
 * -ENOSPC (cap too small; store_vsi_size() tells what is needed). */
size_t store_vsi_size(const struct vdp_vsi *v);
ssize_t store_vsi_encode(const struct vdp_vsi *v, uint8_t *buf, size_t cap);
/* Fill v (from vsi_new()) from a blob: 0, -ENOMEM, or -EINVAL with *what
 * naming the problem (unknown version, truncated, a field out of range,
 * trailing octets). */
int store_vsi_decode(const uint8_t *p, size_t len, struct vdp_vsi *v, const char **what);

#endif
