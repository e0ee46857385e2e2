/* SPDX-License-Identifier: ISC */
/*
 * vsitype.c - the VSI type database (see vsitype.h): entry rules with
 * sentences, the sorted in-memory array, the SQLite table `vsitype` in the
 * state database (written in one transaction before memory changes).
 */
#include "evbd/vsitype.h"

#include <ctype.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evbd/log.h"
#include "vdp/proto.h"
#include "vdp/vdp_tlv.h"

static const char table_sql[] =
    "CREATE TABLE IF NOT EXISTS vsitype(type_id INTEGER NOT NULL, version INTEGER NOT NULL,"
    " name TEXT NOT NULL, vlans TEXT NOT NULL, assign_vid INTEGER NOT NULL,"
    " formats INTEGER NOT NULL, max_per_port INTEGER NOT NULL, pcp INTEGER NOT NULL,"
    " PRIMARY KEY(type_id, version)) WITHOUT ROWID";
static const char load_sql[] = "SELECT type_id, version, name, vlans, assign_vid, formats,"
			       " max_per_port, pcp FROM vsitype ORDER BY type_id, version";
static const char put_sql[] =
    "INSERT OR REPLACE INTO vsitype(type_id, version, name, vlans, assign_vid, formats,"
    " max_per_port, pcp) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char del_sql[] = "DELETE FROM vsitype WHERE type_id = ?1 AND version = ?2";

struct vsitype_db {
	sqlite3 *sql;	   /* NULL: memory only */
	struct vsitype *e; /* sorted by key */
	size_t n;
};

/* A sentence into err; returns rc. */
__attribute__((format(printf, 4, 5))) static int say(int rc, char *err, size_t cap, const char *fmt,
						     ...)
{
	va_list ap;

	if (!err || !cap)
		return rc;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return rc;
}

/* ---------------- entries ---------------- */

static uint64_t key_of(uint32_t id, uint8_t ver)
{
	return (uint64_t)id << 8 | ver;
}

static int cmp_entry(const void *a, const void *b)
{
	uint64_t x = key_of(((const struct vsitype *)a)->id, ((const struct vsitype *)a)->ver);
	uint64_t y = key_of(((const struct vsitype *)b)->id, ((const struct vsitype *)b)->ver);

	return x < y ? -1 : x > y;
}

const char *vsitype_key_str(uint32_t id, uint8_t ver, char *buf, size_t cap)
{
	if (id == VSITYPE_DEFAULT)
		snprintf(buf, cap, "the default type");
	else
		snprintf(buf, cap, "type %u version %u", id, ver);
	return buf;
}

/* The VLAN list for a sentence (cap > 4), cut with ",..." when long. */
static const char *vids_short(const struct vidset *s, char *buf, size_t cap)
{
	if (vidset_format(s, buf, cap - 4) >= cap - 4)
		strcat(buf, ",...");
	return buf;
}

static int check_name(const char *name, char *err, size_t cap)
{
	size_t n = strnlen(name, VSITYPE_NAME_MAX);

	if (n >= VSITYPE_NAME_MAX)
		return say(-EINVAL, err, cap, "its name is longer than %d characters",
			   VSITYPE_NAME_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)name[i]) || (unsigned char)name[i] > 0x7e)
			return say(-EINVAL, err, cap,
				   "its name has a character that is not printable ASCII");
	return 0;
}

int vsitype_check(const struct vsitype *e, char *err, size_t cap)
{
	char vl[64];

	if (vsitype_check_id(e->id, err, cap))
		return -EINVAL;
	if (e->id == VSITYPE_DEFAULT && e->ver)
		return say(-EINVAL, err, cap, "the default entry has no version (give 0)");
	if (vidset_empty(&e->vids))
		return say(-EINVAL, err, cap,
			   "it allows no VLAN; give at least one VLAN ID (1 to 4094)");
	if (e->assign_vid > VDP_VID_MAX)
		return say(-EINVAL, err, cap, "assign-vlan %u is not a VLAN ID (1 to 4094)",
			   e->assign_vid);
	if (e->assign_vid && !vidset_has(&e->vids, e->assign_vid))
		return say(-EINVAL, err, cap, "assign-vlan %u is not among its VLANs (%s)",
			   e->assign_vid, vids_short(&e->vids, vl, sizeof(vl)));
	if (!(e->formats & VSITYPE_FORMATS_ALL))
		return say(-EINVAL, err, cap,
			   "it allows no filter format; give one or more of vid, mac-vid, "
			   "group-vid and group-mac-vid");
	if (e->formats & ~VSITYPE_FORMATS_ALL)
		return say(-EINVAL, err, cap,
			   "its format set 0x%02x names unknown formats (bits 1-4 only)",
			   e->formats);
	if (e->pcp < -1 || e->pcp > 7)
		return say(-EINVAL, err, cap, "PCP %d is not a priority (0 to 7)", e->pcp);
	return check_name(e->name, err, cap);
}

/* ---------------- memory ---------------- */

static const struct vsitype *find_in(const struct vsitype *e, size_t n, uint32_t id, uint8_t ver)
{
	struct vsitype k = {.id = id, .ver = ver};

	return n ? bsearch(&k, e, n, sizeof(*e), cmp_entry) : NULL;
}

size_t vsitype_db_count(const struct vsitype_db *db)
{
	return db ? db->n : 0;
}

const struct vsitype *vsitype_db_at(const struct vsitype_db *db, size_t i)
{
	return db && i < db->n ? &db->e[i] : NULL;
}

const struct vsitype *vsitype_db_find(const struct vsitype_db *db, uint32_t id, uint8_t ver)
{
	return db ? find_in(db->e, db->n, id, ver) : NULL;
}

const struct vsitype *vsitype_db_match(const struct vsitype_db *db, uint32_t id, uint8_t ver)
{
	const struct vsitype *e = vsitype_db_find(db, id, ver);

	return e ? e : vsitype_db_find(db, VSITYPE_DEFAULT, 0);
}

/* ---------------- SQLite ---------------- */

static int exec(sqlite3 *sql, const char *q)
{
	return sqlite3_exec(sql, q, NULL, NULL, NULL);
}

/* One row of load_sql into e; NULL or what is wrong with it. */
static const char *row_entry(sqlite3_stmt *st, struct vsitype *e)
{
	sqlite3_int64 id = sqlite3_column_int64(st, 0), ver = sqlite3_column_int64(st, 1);
	sqlite3_int64 assign = sqlite3_column_int64(st, 4), fmts = sqlite3_column_int64(st, 5);
	sqlite3_int64 max = sqlite3_column_int64(st, 6), pcp = sqlite3_column_int64(st, 7);
	const char *name = (const char *)sqlite3_column_text(st, 2);
	const char *vlans = (const char *)sqlite3_column_text(st, 3);
	const char *what = NULL;

	if (id < 0 || id > VSITYPE_DEFAULT || ver < 0 || ver > 255)
		return "type ID or version out of range";
	vsitype_init(e, (uint32_t)id, (uint8_t)ver);
	if (assign < 0 || assign > 0xffff || fmts < 0 || fmts > 0xff || max < 0 ||
	    max > UINT32_MAX || pcp < -1 || pcp > 7)
		return "a number out of range";
	if (!vlans || vidset_parse(vlans, &e->vids, &what, NULL))
		return what ? what : "no VLAN list";
	snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
	e->assign_vid = (uint16_t)assign;
	e->formats = (uint8_t)fmts;
	e->max_per_port = (uint32_t)max;
	e->pcp = (int8_t)pcp;
	return NULL;
}

static int load(struct vsitype_db *db)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->sql, load_sql, -1, &st, NULL);
	size_t cap = 0;

	if (rc != SQLITE_OK) {
		log_err("cannot read the VSI type database from the state database: %s",
			sqlite3_errmsg(db->sql));
		return -EIO;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vsitype e;
		char why[160];
		const char *bad = row_entry(st, &e);
		if (!bad && vsitype_check(&e, why, sizeof(why)))
			bad = why;
		if (bad) {
			log_warn("skipped a damaged VSI type record in the state database "
				 "(type %lld version %lld: %s)",
				 sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), bad);
			continue;
		}
		if (db->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct vsitype *ne = realloc(db->e, ncap * sizeof(*ne));
			if (!ne) {
				sqlite3_finalize(st);
				return -ENOMEM;
			}
			db->e = ne;
			cap = ncap;
		}
		db->e[db->n++] = e;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_err("cannot read the VSI type database from the state database: %s",
			sqlite3_errmsg(db->sql));
		return -EIO;
	}
	if (db->n)
		qsort(db->e, db->n, sizeof(*db->e), cmp_entry);
	return 0;
}

int vsitype_db_open(struct sqlite3 *sql, struct vsitype_db **out)
{
	struct vsitype_db *db = calloc(1, sizeof(*db));
	int err = 0;

	*out = NULL;
	if (!db)
		return -ENOMEM;
	db->sql = sql;
	if (sql && exec(sql, table_sql) != SQLITE_OK) {
		log_err("cannot create the VSI type table in the state database: %s",
			sqlite3_errmsg(sql));
		err = -EIO;
	}
	if (!err && sql)
		err = load(db);
	if (err) {
		vsitype_db_close(db);
		return err;
	}
	*out = db;
	return 0;
}

void vsitype_db_reattach(struct vsitype_db *db, struct sqlite3 *sql)
{
	if (db)
		db->sql = sql;
}

void vsitype_db_close(struct vsitype_db *db)
{
	if (!db)
		return;
	free(db->e);
	free(db);
}

static int bind_put(sqlite3_stmt *st, const struct vsitype *e)
{
	char *vlans = malloc(VIDSET_TEXT_MAX);
	int rc;

	if (!vlans)
		return SQLITE_NOMEM;
	vidset_format(&e->vids, vlans, VIDSET_TEXT_MAX);
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_int(st, 2, e->ver);
	sqlite3_bind_text(st, 3, e->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, vlans, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 5, e->assign_vid);
	sqlite3_bind_int(st, 6, e->formats);
	sqlite3_bind_int64(st, 7, e->max_per_port);
	sqlite3_bind_int(st, 8, e->pcp);
	free(vlans);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Write the entries (after emptying the table when replace_all), in one
 * transaction.  The SQLite result code. */
static int write_entries(sqlite3 *sql, const struct vsitype *e, size_t n, bool replace_all)
{
	sqlite3_stmt *st = NULL;
	int rc = exec(sql, "BEGIN IMMEDIATE");

	if (rc == SQLITE_OK && replace_all)
		rc = exec(sql, "DELETE FROM vsitype");
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(sql, put_sql, -1, &st, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = bind_put(st, &e[i]);
	sqlite3_finalize(st);
	if (rc == SQLITE_OK)
		rc = exec(sql, "COMMIT");
	if (rc != SQLITE_OK && !sqlite3_get_autocommit(sql))
		exec(sql, "ROLLBACK");
	return rc;
}

static int write_del(sqlite3 *sql, uint32_t id, uint8_t ver)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(sql, del_sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, ver);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(sql);
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---------------- changes ---------------- */

/* Check every entry and that no two share a key; sorted copy in *sorted. */
static int check_all(const struct vsitype *e, size_t n, struct vsitype **sorted, char *err,
		     size_t cap)
{
	char why[200], ks[48];

	for (size_t i = 0; i < n; i++) {
		if (vsitype_check(&e[i], why, sizeof(why))) {
			vsitype_key_str(e[i].id, e[i].ver, ks, sizeof(ks));
			if (n > 1)
				say(0, err, cap, "entry %zu (%s): %s", i + 1, ks, why);
			else
				say(0, err, cap, "%s: %s", ks, why);
			return -EINVAL;
		}
	}
	*sorted = malloc((n ? n : 1) * sizeof(**sorted));
	if (!*sorted)
		return say(-ENOMEM, err, cap, "evbd is out of memory");
	if (n) /* e may be NULL for an empty database */
		memcpy(*sorted, e, n * sizeof(*e));
	qsort(*sorted, n, sizeof(**sorted), cmp_entry);
	for (size_t i = 1; i < n; i++) {
		if (!cmp_entry(&(*sorted)[i - 1], &(*sorted)[i])) {
			say(0, err, cap, "%s is given twice; give each type and version once",
			    vsitype_key_str((*sorted)[i].id, (*sorted)[i].ver, ks, sizeof(ks)));
			free(*sorted);
			*sorted = NULL;
			return -EINVAL;
		}
	}
	return 0;
}

/* The new array: old entries not in `in` (unless replace_all), then `in`. */
static struct vsitype *merge(const struct vsitype_db *db, const struct vsitype *in, size_t n,
			     bool replace_all, size_t *count)
{
	size_t keep = 0, total;
	struct vsitype *out;

	for (size_t i = 0; !replace_all && i < db->n; i++)
		keep += !find_in(in, n, db->e[i].id, db->e[i].ver);
	total = keep + n;
	out = malloc((total ? total : 1) * sizeof(*out));
	if (!out)
		return NULL;
	keep = 0;
	for (size_t i = 0; !replace_all && i < db->n; i++)
		if (!find_in(in, n, db->e[i].id, db->e[i].ver))
			out[keep++] = db->e[i];
	memcpy(out + keep, in, n * sizeof(*in));
	qsort(out, total, sizeof(*out), cmp_entry);
	*count = total;
	return out;
}

int vsitype_db_apply(struct vsitype_db *db, const struct vsitype *e, size_t n, bool replace_all,
		     char *err, size_t cap)
{
	struct vsitype *in = NULL, *out;
	size_t total = 0;
	int rc = check_all(e, n, &in, err, cap);

	if (rc)
		return rc;
	out = merge(db, in, n, replace_all, &total);
	free(in);
	if (!out)
		return say(-ENOMEM, err, cap, "evbd is out of memory; nothing was changed");
	if (total > VSITYPE_MAX) {
		free(out);
		return say(-ENOSPC, err, cap,
			   "the VSI type database would hold %zu entries, more than the %d "
			   "evbd keeps; nothing was changed",
			   total, VSITYPE_MAX);
	}
	if (db->sql && (rc = write_entries(db->sql, e, n, replace_all)) != SQLITE_OK) {
		free(out);
		log_err("cannot write the VSI type database: %s", sqlite3_errstr(rc));
		return say(-EIO, err, cap,
			   "the state database refused the change (%s); nothing was changed",
			   sqlite3_errstr(rc));
	}
	free(db->e);
	db->e = out;
	db->n = total;
	return 0;
}

int vsitype_db_del(struct vsitype_db *db, uint32_t id, uint8_t ver, char *err, size_t cap)
{
	const struct vsitype *e = vsitype_db_find(db, id, ver);
	char ks[48];
	int rc;

	if (!e)
		return say(-ENOENT, err, cap,
			   "%s is not in the VSI type database; 'evbctl vsitype list' shows "
			   "what is",
			   vsitype_key_str(id, ver, ks, sizeof(ks)));
	if (db->sql && (rc = write_del(db->sql, id, ver)) != SQLITE_OK) {
		log_err("cannot remove %s from the VSI type database: %s",
			vsitype_key_str(id, ver, ks, sizeof(ks)), sqlite3_errstr(rc));
		return say(-EIO, err, cap,
			   "the state database refused the change (%s); nothing was changed",
			   sqlite3_errstr(rc));
	}
	size_t i = (size_t)(e - db->e);
	memmove(db->e + i, db->e + i + 1, (db->n - i - 1) * sizeof(*db->e));
	db->n--;
	return 0;
}
