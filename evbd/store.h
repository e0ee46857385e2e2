/*
 * store.h - evbd's persistent state: the VSIs of every port in an SQLite
 * database <state_dir>/evbd.db (WAL, synchronous=NORMAL).  Changes are
 * queued in memory (copied at once, coalesced per interface and VSIID) and
 * written by store_flush() in one transaction, by the loop's batch timer
 * (at most one per LOOP_STORE_BATCH_US, loop.h).
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
#define STORE_SCHEMA_VERSION 1 /* meta 'schema_version' */
#define STORE_DATA_VERSION   1 /* first octet of a vsi.data blob */

struct evbd_store;

/* Open (creating dir with mode 0700 and the database if missing).  0, or a
 * negative errno after logging a sentence saying why. */
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
/* Write every queued change in one transaction.  0, or -EIO (logged once
 * until a later flush succeeds; the changes stay queued and are retried). */
int store_flush(struct evbd_store *s);

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
