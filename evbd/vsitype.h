/* SPDX-License-Identifier: ISC */
/*
 * vsitype.h - the bridge's VSI type database: for a VSI type ID and version,
 * the VLANs a VSI of that type may use, the VLAN given to a station that
 * asks for VID 0, the filter formats allowed, the most VSIs of the type per
 * port, and an optional priority (PCP); plus an optional default entry for
 * types that have none.  Kept in memory (sorted, binary search) and in the
 * table `vsitype` of the state database (SQLite, the store's connection);
 * every change is written in one transaction before memory changes, so the
 * two never disagree.  The entry, struct vsitype, is ipc/vsitype.h's: the
 * same value crosses the control socket (EVB_A_VSITYPE) and fills evbctl.
 *
 * Changes apply to the next request at once; VSIs already in force are not
 * touched (see docs/bridge-policy.md and policy.h).
 */
#ifndef EVBD_VSITYPE_H
#define EVBD_VSITYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc/vsitype.h"

struct sqlite3;

#define VSITYPE_DEFAULT	    EVB_VSITYPE_DEFAULT	 /* id of the default entry */
#define VSITYPE_NAME_MAX    EVB_VSITYPE_NAME_MAX /* with the NUL */
#define VSITYPE_MAX	    4096		 /* entries in the database */
#define VSITYPE_FORMATS_ALL EVB_VSITYPE_FORMATS_ALL

struct vsitype_db;

/* Open the database over an SQLite connection (NULL: memory only): create
 * the table if missing and load it (rows that do not decode are skipped with
 * a warning).  0, -ENOMEM, or -EIO after logging a sentence. */
int vsitype_db_open(struct sqlite3 *sql, struct vsitype_db **out);
void vsitype_db_close(struct vsitype_db *db);
/* Write through sql from now on (the store opened its database again;
 * NULL: memory only). */
void vsitype_db_reattach(struct vsitype_db *db, struct sqlite3 *sql);

/* Entries in key order (type ID, version; the default entry last). */
size_t vsitype_db_count(const struct vsitype_db *db);
const struct vsitype *vsitype_db_at(const struct vsitype_db *db, size_t i);
/* The entry with exactly this key, or NULL. */
const struct vsitype *vsitype_db_find(const struct vsitype_db *db, uint32_t id, uint8_t ver);
/* The entry that governs a VSI of this type: its own, else the default
 * entry, else NULL (unknown type). */
const struct vsitype *vsitype_db_match(const struct vsitype_db *db, uint32_t id, uint8_t ver);

/* Add or replace n entries at once (replace_all: the database becomes
 * exactly these), all or nothing.  0, or a negative errno with a sentence
 * in err: -EINVAL (an entry is invalid, or two share a key), -ENOSPC (more
 * than VSITYPE_MAX entries), -EIO (the state database refused the write),
 * -ENOMEM. */
int vsitype_db_apply(struct vsitype_db *db, const struct vsitype *e, size_t n, bool replace_all,
		     char *err, size_t cap);
/* Remove one entry.  0, -ENOENT, -EIO (sentence in err). */
int vsitype_db_del(struct vsitype_db *db, uint32_t id, uint8_t ver, char *err, size_t cap);

/* An entry's rules (its type ID's is vsitype_check_id's); 0 or -EINVAL
 * with a sentence (without the entry's name) in err. */
int vsitype_check(const struct vsitype *e, char *err, size_t cap);
/* "type 100 version 1" or "the default type". */
const char *vsitype_key_str(uint32_t id, uint8_t ver, char *buf, size_t cap);
#endif
