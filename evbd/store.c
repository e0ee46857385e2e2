/* SPDX-License-Identifier: ISC */
/*
 * store.c - evbd's persistent VSI state in SQLite (see store.h): opening
 * with recovery from a damaged file, the queue of pending changes (an array
 * with an open-addressing index by interface + VSIID, so a VSI changed
 * several times in one loop turn is written once), the one-transaction
 * flush with prepared statements, loading, the versioned data blob, and
 * giving space back when VSIs go (incremental auto-vacuum); the state
 * directory's lock, and the sync point: the generation counter, noticing a
 * deleted or replaced file and writing it again.
 */
#include "evbd/store.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evbd/log.h"
#include "vdp/bytes.h"
#include "vdp/evb.h"

#define DATA_HDR_LEN	34 /* version .. nfilters */
#define DATA_FILTER_LEN 14
#define DATA_ORG_HDR	2
#define BUSY_TIMEOUT_MS 2000
#define RECLAIM_PAGES	64 /* free pages (256 KiB of 4 KiB pages) worth giving back */

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS vsi(ifname TEXT NOT NULL, role INTEGER NOT NULL,"
    " vsiid_fmt INTEGER NOT NULL, vsiid BLOB NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(ifname, vsiid_fmt, vsiid)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '1');";

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_PUT,
	ST_DEL,
	ST_LOAD,
	ST_META_GET,
	ST_META_PUT,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_PUT] = "INSERT OR REPLACE INTO vsi(ifname, role, vsiid_fmt, vsiid, data)"
	       " VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_DEL] = "DELETE FROM vsi WHERE ifname = ?1 AND vsiid_fmt = ?2 AND vsiid = ?3",
    [ST_LOAD] = "SELECT vsiid_fmt, vsiid, data FROM vsi WHERE ifname = ?1 AND role = ?2",
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_PUT] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
};

/* One queued change; data == NULL means delete. */
struct store_op {
	char ifname[IF_NAMESIZE];
	struct vdp_vsi_key key;
	uint32_t hash;
	int role;
	uint8_t *data;
	size_t len;
};

struct evbd_store {
	sqlite3 *db;
	char path[PATH_MAX];
	char dir[PATH_MAX];
	sqlite3_stmt *st[ST_COUNT];

	struct store_op *ops;
	size_t nops, capops;
	uint32_t *slot;	     /* index into ops + 1; 0 = free */
	size_t nslots;	     /* a power of two, > 2 * capops */
	bool failing;	     /* the last flush failed (logged once) */
	bool reclaim_wanted; /* free pages left below RECLAIM_PAGES (store_reclaim_idle) */
	bool unseen;	     /* the path cannot be looked up (file_in_place) */

	uint64_t synced; /* sync points that succeeded (the durable generation) */
	dev_t dev;	 /* the file we opened at path: a deleted or replaced */
	ino_t ino;	 /* file is noticed by comparing (SQLite keeps it open) */
	bool reopened;	 /* the connection changed (store_take_reopened()) */
	char why[STORE_WHY_MAX];
	int lock_fd; /* <dir>/evbd.lock, flock()ed */
};

/* ---------------- the data blob ---------------- */

size_t store_vsi_size(const struct vdp_vsi *v)
{
	return DATA_HDR_LEN + (size_t)v->nfilters * DATA_FILTER_LEN + DATA_ORG_HDR + v->org_len;
}

static void encode_filter(struct wr *w, const struct vdp_filter *f)
{
	wr_u32(w, f->group);
	wr_bytes(w, f->mac, sizeof(f->mac));
	wr_u16(w, f->vid);
	wr_u8(w, f->pcp);
	wr_u8(w, f->ps ? 1 : 0);
}

ssize_t store_vsi_encode(const struct vdp_vsi *v, uint8_t *buf, size_t cap)
{
	const struct vdp_filter *f = vsi_filters(v);
	struct wr w = wr_init(buf, cap);

	if (v->nfilters > VDP_MAX_FILTERS)
		return -EINVAL;
	wr_u8(&w, STORE_DATA_VERSION);
	wr_bytes(&w, v->mgrid, VDP_MGRID_LEN);
	wr_u24(&w, v->type_id & 0xffffff);
	wr_u8(&w, v->type_ver);
	wr_u8(&w, v->cmd);
	wr_u8(&w, v->confirmed);
	wr_u8(&w, v->hints);
	wr_u8(&w, v->status);
	wr_u8(&w, v->result);
	wr_u8(&w, v->reason);
	wr_u32(&w, v->tag);
	wr_u8(&w, v->fif);
	wr_u16(&w, v->nfilters);
	for (uint16_t i = 0; i < v->nfilters; i++)
		encode_filter(&w, &f[i]);
	wr_u16(&w, v->org_len);
	wr_bytes(&w, v->org, v->org_len);
	return w.err ? -ENOSPC : (ssize_t)w.off;
}

static const char *decode_filter(struct rd *r, struct vdp_filter *f)
{
	uint8_t ps;

	f->group = rd_u32(r);
	rd_bytes(r, f->mac, sizeof(f->mac));
	f->vid = rd_u16(r);
	f->pcp = rd_u8(r);
	ps = rd_u8(r);
	f->ps = ps == 1;
	if (r->err)
		return "truncated filter";
	if (f->vid > 0xfff)
		return "filter VID above 4095";
	if (f->pcp > 7)
		return "filter PCP above 7";
	if (ps > 1)
		return "filter PS flag neither 0 nor 1";
	return NULL;
}

/* The fixed fields; *what on error. */
static const char *decode_head(struct rd *r, struct vdp_vsi *v)
{
	uint8_t ver = rd_u8(r);

	if (r->err)
		return "empty data";
	if (ver != STORE_DATA_VERSION)
		return "unknown data version";
	rd_bytes(r, v->mgrid, VDP_MGRID_LEN);
	v->type_id = rd_u24(r);
	v->type_ver = rd_u8(r);
	v->cmd = rd_u8(r);
	v->confirmed = rd_u8(r);
	v->hints = rd_u8(r);
	v->status = rd_u8(r);
	v->result = rd_u8(r);
	v->reason = rd_u8(r);
	v->tag = rd_u32(r);
	if (r->err)
		return "truncated";
	if (v->cmd > VDP_TLV_DEASSOC || v->confirmed > VDP_TLV_DEASSOC)
		return "command type above 4";
	if (v->result > VSI_FAILED)
		return "unknown result";
	return NULL;
}

/* Filters and org TLVs after the fixed fields; NULL or what is wrong. */
static const char *decode_tail(struct rd *r, uint8_t *fif, struct vdp_filter *filt, uint16_t *n,
			       uint16_t *org_len)
{
	const char *bad = NULL;

	*fif = rd_u8(r);
	*n = rd_u16(r);
	if (*n > VDP_MAX_FILTERS)
		return "more filters than a VSI TLV holds";
	for (uint16_t i = 0; !bad && i < *n; i++)
		bad = decode_filter(r, &filt[i]);
	if (bad)
		return bad;
	*org_len = rd_u16(r);
	if (r->err || rd_left(r) < *org_len)
		return "truncated";
	if (rd_left(r) > *org_len)
		return "trailing octets";
	return NULL;
}

int store_vsi_decode(const uint8_t *p, size_t len, struct vdp_vsi *v, const char **what)
{
	struct vdp_filter filt[VDP_MAX_FILTERS];
	struct rd r = rd_init(p, len);
	uint16_t n = 0, org_len = 0;
	uint8_t fif = 0;
	const char *bad = decode_head(&r, v);

	if (!bad)
		bad = decode_tail(&r, &fif, filt, &n, &org_len);
	if (bad) {
		*what = bad;
		return -EINVAL;
	}
	if (vsi_set_filters(v, fif, filt, n) || vsi_set_org(v, p + r.off, org_len))
		return -ENOMEM;
	return 0;
}

/* ---------------- the queue ---------------- */

static uint32_t op_hash(const char *ifname, const struct vdp_vsi_key *k)
{
	uint32_t h = 2166136261u;

	for (const char *c = ifname; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	h = (h ^ 0xff) * 16777619u; /* separator: "eth1"+key != "eth"+... */
	h = (h ^ k->fmt) * 16777619u;
	for (size_t i = 0; i < VDP_VSIID_LEN; i++)
		h = (h ^ k->id[i]) * 16777619u;
	return h ^ (h >> 15);
}

static bool op_is(const struct store_op *op, uint32_t h, const char *ifname,
		  const struct vdp_vsi_key *k)
{
	return op->hash == h && op->key.fmt == k->fmt &&
	       !memcmp(op->key.id, k->id, VDP_VSIID_LEN) && !strcmp(op->ifname, ifname);
}

/* The slot of an op with this identity, or the free slot where it goes. */
static uint32_t *slot_for(struct evbd_store *s, uint32_t h, const char *ifname,
			  const struct vdp_vsi_key *k)
{
	size_t mask = s->nslots - 1, i = h & mask;

	while (s->slot[i] && !op_is(&s->ops[s->slot[i] - 1], h, ifname, k))
		i = (i + 1) & mask;
	return &s->slot[i];
}

static int queue_grow(struct evbd_store *s)
{
	size_t cap = s->capops ? s->capops * 2 : 64, nslots = cap * 4;
	struct store_op *ops = realloc(s->ops, cap * sizeof(*ops));
	uint32_t *slot;

	if (!ops)
		return -ENOMEM;
	s->ops = ops;
	if (cap > UINT32_MAX / 4)
		return -ENOMEM;
	slot = calloc(nslots, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	free(s->slot);
	s->slot = slot;
	s->nslots = nslots;
	s->capops = cap;
	for (size_t i = 0; i < s->nops; i++)
		*slot_for(s, s->ops[i].hash, s->ops[i].ifname, &s->ops[i].key) = (uint32_t)i + 1;
	return 0;
}

static void queue_clear(struct evbd_store *s)
{
	for (size_t i = 0; i < s->nops; i++)
		free(s->ops[i].data);
	s->nops = 0;
	if (s->slot)
		memset(s->slot, 0, s->nslots * sizeof(*s->slot));
}

/* Replace the queued change of this VSI, or append one.  Takes data. */
static int queue(struct evbd_store *s, const char *ifname, const struct vdp_vsi_key *k, int role,
		 uint8_t *data, size_t len)
{
	uint32_t h = op_hash(ifname, k), *slot;
	struct store_op *op;

	if (s->nops == s->capops && queue_grow(s)) {
		free(data);
		return -ENOMEM;
	}
	slot = slot_for(s, h, ifname, k);
	if (*slot) {
		op = &s->ops[*slot - 1];
		free(op->data);
	} else {
		op = &s->ops[s->nops++];
		*slot = (uint32_t)s->nops;
		snprintf(op->ifname, sizeof(op->ifname), "%s", ifname);
		op->key = *k;
		op->hash = h;
	}
	op->role = role;
	op->data = data;
	op->len = len;
	return 0;
}

static void log_lost(const char *ifname, const struct vdp_vsi_key *k, const char *why)
{
	char id[64];

	log_err("%s: the change of VSI %s was not saved in the state database: %s", ifname,
		vdp_vsiid_str(k->fmt, k->id, id, sizeof(id)), why);
}

static bool ifname_ok(const char *ifname)
{
	return ifname && strlen(ifname) < IF_NAMESIZE;
}

void store_vsi_put(struct evbd_store *s, const char *ifname, int role, const struct vdp_vsi *v)
{
	size_t len;
	uint8_t *data;
	ssize_t n;

	if (!s || !v || !ifname_ok(ifname))
		return;
	len = store_vsi_size(v);
	data = malloc(len);
	if (!data) {
		log_lost(ifname, &v->key, strerror(ENOMEM));
		return;
	}
	n = store_vsi_encode(v, data, len);
	if (n < 0) {
		free(data);
		log_lost(ifname, &v->key, "too many filters");
		return;
	}
	if (queue(s, ifname, &v->key, role, data, (size_t)n))
		log_lost(ifname, &v->key, strerror(ENOMEM));
}

void store_vsi_del(struct evbd_store *s, const char *ifname, const struct vdp_vsi_key *k)
{
	if (!s || !k || !ifname_ok(ifname))
		return;
	if (queue(s, ifname, k, 0, NULL, 0))
		log_lost(ifname, k, strerror(ENOMEM));
}

void store_vsi_changed(struct evbd_store *s, const char *ifname, int role, const struct vdp_vsi *v,
		       bool removed)
{
	if (removed)
		store_vsi_del(s, ifname, &v->key);
	else if (role == EVB_ROLE_BRIDGE)
		store_vsi_put(s, ifname, role, v);
}

size_t store_pending(const struct evbd_store *s)
{
	return s ? s->nops : 0;
}

/* ---------------- statements ---------------- */

/* Step a statement to completion; the SQLite result code. */
static int run(sqlite3_stmt *st)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void bind_key(sqlite3_stmt *st, int col, const struct vdp_vsi_key *k)
{
	sqlite3_bind_int(st, col, k->fmt);
	sqlite3_bind_blob(st, col + 1, k->id, VDP_VSIID_LEN, SQLITE_STATIC);
}

static int write_op(struct evbd_store *s, const struct store_op *op)
{
	sqlite3_stmt *st = s->st[op->data ? ST_PUT : ST_DEL];

	sqlite3_bind_text(st, 1, op->ifname, -1, SQLITE_STATIC);
	if (!op->data) {
		bind_key(st, 2, &op->key);
		return run(st);
	}
	sqlite3_bind_int(st, 2, op->role);
	bind_key(st, 3, &op->key);
	sqlite3_bind_blob(st, 5, op->data, (int)op->len, SQLITE_STATIC);
	return run(st);
}

static int write_all(struct evbd_store *s)
{
	int rc = run(s->st[ST_BEGIN]);

	for (size_t i = 0; rc == SQLITE_OK && i < s->nops; i++)
		rc = write_op(s, &s->ops[i]);
	if (rc == SQLITE_OK)
		rc = run(s->st[ST_COMMIT]);
	if (rc != SQLITE_OK && !sqlite3_get_autocommit(s->db))
		run(s->st[ST_ROLLBACK]);
	return rc;
}

static int exec(sqlite3 *db, const char *sql);

/* A PRAGMA's one integer, -1 when it cannot be read. */
static long long pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Give the file's free pages back once at least `min_pages` are free:
 * move them to the end and cut them off (incremental auto-vacuum), then
 * copy the write-ahead log into the file and truncate the log, so that
 * both files shrink.  A failure keeps the space for the next try. */
static void reclaim(struct evbd_store *s, long long min_pages)
{
	long long n = pragma_int(s->db, "PRAGMA freelist_count");

	s->reclaim_wanted = n > 0 && n < min_pages;
	if (n < min_pages || n <= 0)
		return;
	if (exec(s->db, "PRAGMA incremental_vacuum") == SQLITE_OK)
		exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

bool store_reclaim_wanted(const struct evbd_store *s)
{
	return s && s->reclaim_wanted;
}

void store_reclaim_idle(struct evbd_store *s)
{
	if (s && !s->failing)
		reclaim(s, 1);
}

/* Files made before incremental auto-vacuum get it with one VACUUM. */
static int vacuum_mode(struct evbd_store *s)
{
	if (pragma_int(s->db, "PRAGMA auto_vacuum") == 2)
		return SQLITE_OK;
	log_notice("rebuilding the state database %s once so that it shrinks when VSIs go",
		   s->path);
	return exec(s->db, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM");
}

static int sync_file(struct evbd_store *s, char *what, size_t len);

/* A sentence into buf (cut at len: paths may be long). */
__attribute__((format(printf, 3, 4))) static void say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static int errno_of(int rc)
{
	return (rc & 0xff) == SQLITE_FULL ? -ENOSPC : -EIO;
}

/* The sentence of a failed sync point, logged when the store starts failing
 * or the reason changes. */
static int sync_failed(struct evbd_store *s, int rc, const char *what)
{
	char why[STORE_WHY_MAX];

	snprintf(why, sizeof(why), "%s", what);
	if (!s->failing || strcmp(why, s->why))
		log_err("%s; VSI changes are kept in memory and evbd retries the write", why);
	snprintf(s->why, sizeof(s->why), "%s", why);
	s->failing = true;
	return errno_of(rc);
}

/* The path still names the file we opened.  A path evbd may no longer look
 * up (its directory belongs to another user and evbd dropped
 * CAP_DAC_OVERRIDE, priv.h) cannot be checked: the open file is kept, and
 * that is said once. */
static bool file_in_place(struct evbd_store *s)
{
	struct stat sb;

	if (stat(s->path, &sb)) {
		if (errno != EACCES && errno != EPERM)
			return false;
		if (!s->unseen)
			log_warn("evbd may not look up its state database %s (%s) since it dropped "
				 "its privileges, so it cannot notice the file being deleted; give "
				 "the state directory to the user evbd runs as (chown) or set "
				 "'user =' in evbd.conf",
				 s->path, strerror(errno));
		s->unseen = true;
		return true;
	}
	return sb.st_dev == s->dev && sb.st_ino == s->ino;
}

int store_flush(struct evbd_store *s)
{
	char what[STORE_WHY_MAX];
	size_t n;
	int rc;

	if (!s)
		return 0;
	rc = sync_file(s, what, sizeof(what));
	if (rc != SQLITE_OK)
		return sync_failed(s, rc, what);
	n = s->nops;
	rc = n ? write_all(s) : SQLITE_OK;
	if (rc != SQLITE_OK) {
		say(what, sizeof(what),
		    "the state database %s could not be written (%zu VSI change(s)): %s", s->path,
		    n, sqlite3_errstr(rc));
		return sync_failed(s, rc, what);
	}
	if (s->failing)
		log_notice("the state database %s is written again", s->path);
	s->failing = false;
	s->why[0] = 0;
	s->synced++;
	queue_clear(s);
	reclaim(s, RECLAIM_PAGES);
	return 0;
}

uint64_t store_next_gen(const struct evbd_store *s)
{
	return s ? s->synced + 1 : 0;
}

uint64_t store_synced_gen(const struct evbd_store *s)
{
	return s ? s->synced : 0;
}

const char *store_error(const struct evbd_store *s)
{
	return s && s->failing ? s->why : NULL;
}

bool store_take_reopened(struct evbd_store *s)
{
	bool r = s && s->reopened;

	if (s)
		s->reopened = false;
	return r;
}

/* ---------------- loading ---------------- */

static uint64_t mono_us(void)
{
	struct timespec ts = {0};

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The key of the current row of ST_LOAD; NULL or what is wrong with it. */
static const char *row_key(sqlite3_stmt *st, struct vdp_vsi_key *k)
{
	int fmt = sqlite3_column_int(st, 0);

	if (fmt < 0 || fmt > 0xff)
		return "VSIID format out of range";
	if (sqlite3_column_bytes(st, 1) != VDP_VSIID_LEN)
		return "VSIID is not 16 octets";
	k->fmt = (uint8_t)fmt;
	memcpy(k->id, sqlite3_column_blob(st, 1), VDP_VSIID_LEN);
	return NULL;
}

/* A VSI from the current row of ST_LOAD, or NULL: skipped (logged), or
 * *err = -ENOMEM. */
static struct vdp_vsi *row_vsi(sqlite3_stmt *st, const char *ifname, uint64_t now, int *err)
{
	struct vdp_vsi_key k = {0};
	struct vdp_vsi *v;
	const char *what = row_key(st, &k);
	char id[64];
	int rc;

	if (what) {
		log_warn("%s: skipped a damaged VSI record in the state database (%s)", ifname,
			 what);
		return NULL;
	}
	v = vsi_new(&k, now);
	if (!v) {
		*err = -ENOMEM;
		return NULL;
	}
	rc = store_vsi_decode(sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2), v,
			      &what);
	if (!rc)
		return v;
	vsi_free(v);
	if (rc == -ENOMEM) {
		*err = rc;
		return NULL;
	}
	log_warn("%s: skipped the damaged record of VSI %s in the state database (%s)", ifname,
		 vdp_vsiid_str(k.fmt, k.id, id, sizeof(id)), what);
	return NULL;
}

int store_load(struct evbd_store *s, const char *ifname, int role,
	       int (*cb)(void *ctx, struct vdp_vsi *v), void *ctx)
{
	sqlite3_stmt *st;
	uint64_t now = mono_us();
	int rc = SQLITE_DONE, err = 0, count = 0;

	if (!s || !ifname || !cb)
		return 0;
	store_flush(s);
	if (!s->db)
		return -EIO;
	st = s->st[ST_LOAD];
	sqlite3_bind_text(st, 1, ifname, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, role);
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct vdp_vsi *v = row_vsi(st, ifname, now, &err);
		if (v && !(err = cb(ctx, v)))
			count++;
	}
	if (!err && rc != SQLITE_DONE) {
		log_err("cannot read the VSIs of %s from the state database %s: %s", ifname,
			s->path, sqlite3_errmsg(s->db));
		err = -EIO;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return err ? err : count;
}

struct sqlite3 *store_sqlite(struct evbd_store *s)
{
	return s ? s->db : NULL; /* NULL too after a reopen failed */
}

/* ---------------- meta ---------------- */

int store_meta_get(struct evbd_store *s, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st;
	int rc, ret = -ENOENT;

	if (!s || !s->db)
		return -ENOENT;
	st = s->st[ST_META_GET];
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		size_t n = v ? strlen(v) : 0;
		ret = n < len ? 0 : -ENOSPC;
		if (!ret)
			memcpy(buf, v ? v : "", n + 1);
	} else if (rc != SQLITE_DONE) {
		ret = -EIO;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

int store_meta_put(struct evbd_store *s, const char *key, const char *value)
{
	sqlite3_stmt *st;

	if (!s || !s->db)
		return -EIO;
	st = s->st[ST_META_PUT];
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (run(st) != SQLITE_OK) {
		log_err("cannot write '%s' to the state database %s: %s", key, s->path,
			sqlite3_errmsg(s->db));
		return -EIO;
	}
	return 0;
}

/* ---------------- open / close ---------------- */

/* mkdir -p with mode 0700 for what is created. */
static int make_dir(const char *dir)
{
	char buf[PATH_MAX];
	struct stat sb;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	if (stat(buf, &sb))
		return -errno;
	return S_ISDIR(sb.st_mode) ? 0 : -ENOTDIR;
}

static bool is_corrupt(int rc)
{
	return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* "quick_check: <report>" on one line (the report has one line per problem). */
static void one_line(char *buf, size_t len, const char *report)
{
	int n = snprintf(buf, len, "quick_check: %s", report);

	for (char *c = buf; n > 0 && *c; c++)
		if (*c == '\n')
			*c = ' ';
}

/* PRAGMA quick_check: SQLITE_OK when it says "ok", SQLITE_CORRUPT when it
 * lists problems, else the error. */
static int quick_check(sqlite3 *db, char *what, size_t len)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		rc = r && !strcmp(r, "ok") ? SQLITE_OK : SQLITE_CORRUPT;
		if (rc != SQLITE_OK)
			one_line(what, len, r ? r : "?");
	}
	sqlite3_finalize(st);
	return rc;
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int check_schema_version(struct evbd_store *s, char *what, size_t len)
{
	char v[32];
	long ver;

	if (store_meta_get(s, "schema_version", v, sizeof(v)) || (ver = strtol(v, NULL, 10)) < 1) {
		snprintf(what, len, "no valid schema_version in table meta");
		return SQLITE_CORRUPT;
	}
	if (ver > STORE_SCHEMA_VERSION) {
		log_err("the state database %s has schema version %ld, newer than this evbd "
			"knows (%d); run the newer evbd or move the file away",
			s->path, ver, STORE_SCHEMA_VERSION);
		return SQLITE_MISMATCH;
	}
	return SQLITE_OK;
}

static int prepare_all(struct evbd_store *s)
{
	for (int i = 0; i < ST_COUNT; i++) {
		int rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
					    &s->st[i], NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

static void db_close(struct evbd_store *s)
{
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(s->st[i]);
		s->st[i] = NULL;
	}
	sqlite3_close(s->db);
	s->db = NULL;
}

/* Remember which file the path names now (SQLite keeps it open, so its
 * inode number cannot be reused while evbd runs). */
static int note_file(struct evbd_store *s)
{
	struct stat sb;

	if (stat(s->path, &sb))
		return SQLITE_CANTOPEN;
	s->dev = sb.st_dev;
	s->ino = sb.st_ino;
	return SQLITE_OK;
}

/* Open s->path and set it up.  The SQLite result code; what gets detail. */
static int db_open(struct evbd_store *s, char *what, size_t len)
{
	int rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK)
		rc = exec(s->db, "PRAGMA auto_vacuum=INCREMENTAL"); /* a new file */
	if (rc == SQLITE_OK)
		rc = exec(s->db, "PRAGMA journal_mode=WAL");
	/* FULL: every commit syncs the WAL, so an OK (sent after the commit
	 * of its sync point) survives a power loss too, not only a crash of
	 * evbd (NORMAL syncs at checkpoints only).  With group commit that is
	 * one fsync per sync point: 100,000 VSIs submitted in 1.0-1.8 s with
	 * FULL against 1.2-2.2 s with NORMAL on the 2-core test machine
	 * (tests/bench/run.sh 100000), within its noise. */
	if (rc == SQLITE_OK)
		rc = exec(s->db, "PRAGMA synchronous=FULL");
	if (rc == SQLITE_OK)
		rc = quick_check(s->db, what, len);
	if (rc == SQLITE_OK)
		rc = exec(s->db, schema_sql);
	if (rc == SQLITE_OK)
		rc = prepare_all(s);
	if (rc == SQLITE_OK)
		rc = check_schema_version(s, what, len);
	if (rc == SQLITE_OK)
		rc = vacuum_mode(s);
	if (rc == SQLITE_OK)
		rc = note_file(s);
	if (rc != SQLITE_OK && !what[0])
		snprintf(what, len, "%s", s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	if (rc != SQLITE_OK)
		db_close(s);
	return rc;
}

static void rename_suffix(const char *from, const char *to, const char *suffix)
{
	char a[PATH_MAX + 8], b[PATH_MAX + 48];

	snprintf(a, sizeof(a), "%s%s", from, suffix);
	snprintf(b, sizeof(b), "%s%s", to, suffix);
	if (rename(a, b) && errno != ENOENT)
		log_warn("cannot move %s to %s: %s", a, b, strerror(errno));
}

/* Move the database (and its -wal, -shm) to <path>.corrupt-<unix time>. */
static int move_aside(const struct evbd_store *s, char *to, size_t len)
{
	long t = (long)time(NULL);

	snprintf(to, len, "%s.corrupt-%ld", s->path, t);
	for (int i = 1; !access(to, F_OK) && i < 100; i++)
		snprintf(to, len, "%s.corrupt-%ld.%d", s->path, t, i);
	if (rename(s->path, to))
		return -errno;
	rename_suffix(s->path, to, "-wal");
	rename_suffix(s->path, to, "-shm");
	return 0;
}

/* Open, or move a damaged file aside and open a fresh one. */
static int open_or_recover(struct evbd_store *s)
{
	char what[256] = "", aside[PATH_MAX + 40];
	int rc = db_open(s, what, sizeof(what)), err;

	if (rc == SQLITE_OK)
		return 0;
	if (!is_corrupt(rc)) {
		if (rc != SQLITE_MISMATCH)
			log_err("cannot open the state database %s: %s", s->path, what);
		return -EIO;
	}
	err = move_aside(s, aside, sizeof(aside));
	if (err) {
		log_err("the state database %s is damaged (%s) and cannot be moved aside: %s; "
			"move or delete it by hand",
			s->path, what, strerror(-err));
		return err;
	}
	log_err("the state database %s is damaged (%s); moved it to %s and started an empty "
		"one: saved VSIs are lost",
		s->path, what, aside);
	what[0] = 0;
	rc = db_open(s, what, sizeof(what));
	if (rc == SQLITE_OK)
		return 0;
	log_err("cannot create a new state database %s: %s", s->path, what);
	return -EIO;
}

/* Open the database again after it was closed; what gets the sentence. */
static int reopen(struct evbd_store *s, char *what, size_t len)
{
	char detail[STORE_WHY_MAX / 2] = "";
	int rc = db_open(s, detail, sizeof(detail));

	s->reopened = true;
	if (rc != SQLITE_OK)
		say(what, len, "the state database %s cannot be opened again: %s", s->path, detail);
	return rc;
}

/* Copy the open database (everything committed: VSIs, VSI types, MIB
 * settings) into a new file at tmp.  The SQLite result code. */
static int copy_into(struct evbd_store *s, const char *tmp)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "VACUUM INTO ?1", -1, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, tmp, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The file at path was deleted or replaced while evbd ran: write the open
 * copy to a new file, put it at path, and go on there. */
static int rewrite(struct evbd_store *s, char *what, size_t len)
{
	char tmp[PATH_MAX + 8];
	int rc;

	if (!s->failing)
		log_err("the state database %s was deleted or replaced while evbd ran; writing it "
			"again from the copy evbd has open",
			s->path);
	snprintf(tmp, sizeof(tmp), "%s.new", s->path);
	unlink(tmp);
	(void)make_dir(s->dir);
	rc = copy_into(s, tmp);
	if (rc != SQLITE_OK) {
		say(what, len,
		    "the state database %s was deleted or replaced and cannot be written "
		    "again: %s",
		    s->path, sqlite3_errmsg(s->db));
		unlink(tmp);
		return rc;
	}
	if (rename(tmp, s->path)) {
		say(what, len,
		    "the state database %s was deleted or replaced and cannot be put back: "
		    "%s",
		    s->path, strerror(errno));
		unlink(tmp);
		return SQLITE_CANTOPEN;
	}
	db_close(s);
	rc = reopen(s, what, len);
	if (rc == SQLITE_OK)
		log_notice("the state database %s is written again with every VSI evbd holds",
			   s->path);
	return rc;
}

static int sync_file(struct evbd_store *s, char *what, size_t len)
{
	if (!s->db)
		return reopen(s, what, len);
	return file_in_place(s) ? SQLITE_OK : rewrite(s, what, len);
}

/* flock() <dir>/evbd.lock and write our pid into it; another evbd holding
 * it is named. */
static int lock_dir(struct evbd_store *s, const char *dir)
{
	char path[PATH_MAX + 16], pid[32] = "";
	int fd, err;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, STORE_LOCK_FILE);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		log_err("cannot open %s to lock the state directory: %s", path, strerror(err));
		return -err;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = errno;
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = 0;
		pid[strcspn(pid, "\n")] = 0;
		if (err == EWOULDBLOCK)
			log_err(
			    "the state directory %s is in use by another evbd (pid %s holds the "
			    "lock %s); stop that evbd, or give this one its own --state-dir",
			    dir, pid[0] ? pid : "unknown", path);
		else
			log_err("cannot lock the state directory %s (%s): %s", dir, path,
				strerror(err));
		close(fd);
		return err == EWOULDBLOCK ? -EBUSY : -err;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, (size_t)n, 0) != n)
		log_warn("cannot write evbd's pid into %s: %s", path, strerror(errno));
	s->lock_fd = fd;
	return 0;
}

int store_open(const char *dir, struct evbd_store **out)
{
	struct evbd_store *s;
	int err = make_dir(dir);

	*out = NULL;
	if (err) {
		log_err("cannot create the state directory %s: %s", dir, strerror(-err));
		return err;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->lock_fd = -1;
	if (snprintf(s->path, sizeof(s->path), "%s/%s", dir, STORE_FILE) >= (int)sizeof(s->path) ||
	    snprintf(s->dir, sizeof(s->dir), "%s", dir) >= (int)sizeof(s->dir)) {
		log_err("the state directory name %s is too long", dir);
		free(s);
		return -ENAMETOOLONG;
	}
	err = lock_dir(s, dir);
	if (!err)
		err = open_or_recover(s);
	if (err) {
		if (s->lock_fd >= 0)
			close(s->lock_fd);
		free(s);
		return err;
	}
	*out = s;
	return 0;
}

void store_close(struct evbd_store *s)
{
	if (!s)
		return;
	store_flush(s);
	queue_clear(s);
	db_close(s);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->ops);
	free(s->slot);
	free(s);
}
