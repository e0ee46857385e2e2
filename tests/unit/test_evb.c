/* SPDX-License-Identifier: ISC */
/*
 * test_evb.c - unit tests of EVB negotiation (evb.c, 802.1Q D.2.13): max per field,
 * manual mode, ROL bits, reflective relay request/capability/control/status,
 * echo of the peer's status octet, Group ID, validity, change detection; and
 * the ECP/VDP timer arithmetic (802.1Qbg 43.3.6.1, 41.5.5).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vdp/evb.h"
#include "vdp/evb_tlv.h"
#include "vdp/proto.h"

static struct evb_local local_of(enum evb_role role, uint8_t r, uint8_t rte, uint8_t rwd,
				 uint8_t rka)
{
	struct evb_local l;

	evb_local_defaults(&l, role);
	l.r = r;
	l.rte = rte;
	l.rwd = rwd;
	l.rka = rka;
	return l;
}

static struct evb_tlv remote_of(uint8_t mode, uint8_t r, uint8_t rte, uint8_t rwd, uint8_t rka)
{
	return (struct evb_tlv){.mode = mode, .r = r, .rte = rte, .rwd = rwd, .rka = rka};
}

/* Negotiate from a zeroed previous state. */
static void negotiate(const struct evb_local *l, const struct evb_tlv *rem, struct evb_oper *o,
		      struct evb_tlv *tx)
{
	memset(o, 0, sizeof(*o));
	memset(tx, 0, sizeof(*tx));
	evb_negotiate(l, rem, o, tx);
}

static void assert_values(const struct evb_oper *o, const struct evb_tlv *tx, uint8_t r,
			  uint8_t rte, uint8_t rwd, uint8_t rka)
{
	assert_int_equal(o->r, r);
	assert_int_equal(o->rte, rte);
	assert_int_equal(o->rwd, rwd);
	assert_int_equal(o->rka, rka);
	assert_int_equal(tx->r, r);
	assert_int_equal(tx->rte, rte);
	assert_int_equal(tx->rwd, rwd);
	assert_int_equal(tx->rka, rka);
}

static void assert_encodes_to(const struct evb_tlv *tx, const uint8_t want[11])
{
	uint8_t out[11];

	assert_int_equal(evb_tlv_encode(tx, out, sizeof(out)), 11);
	assert_memory_equal(out, want, 11);
}

/* ---- local settings ---- */

static void defaults(void **state)
{
	(void)state;
	struct evb_local s, b;

	memset(&s, 0xff, sizeof(s));
	evb_local_defaults(&s, EVB_ROLE_STATION);
	assert_int_equal(s.role, EVB_ROLE_STATION);
	assert_int_equal(s.r, 3);
	assert_int_equal(s.rte, 8);
	assert_int_equal(s.rwd, 19); /* libvirt polls 10 s (lldpad quirk 11) */
	assert_int_equal(s.rka, 20);
	assert_true(s.rrreq);
	assert_false(s.rrcap);
	assert_false(s.gid);
	assert_false(s.manual);
	assert_int_equal(evb_local_check(&s), 0);

	memset(&b, 0xff, sizeof(b));
	evb_local_defaults(&b, EVB_ROLE_BRIDGE);
	assert_int_equal(b.role, EVB_ROLE_BRIDGE);
	assert_int_equal(b.r, 3);
	assert_int_equal(b.rte, 8);
	assert_int_equal(b.rwd, 20);
	assert_int_equal(b.rka, 20);
	assert_false(b.rrreq);
	assert_true(b.rrcap);
	assert_false(b.gid);
	assert_false(b.manual);
	assert_int_equal(evb_local_check(&b), 0);
}

static void local_check_ranges(void **state)
{
	(void)state;
	struct evb_local l = local_of(EVB_ROLE_BRIDGE, 7, 31, 31, 31);

	assert_int_equal(evb_local_check(&l), 0);
	l = local_of(EVB_ROLE_STATION, 0, 0, 0, 0);
	assert_int_equal(evb_local_check(&l), 0);
	l = local_of(EVB_ROLE_STATION, 8, 8, 20, 20);
	assert_int_equal(evb_local_check(&l), -ERANGE);
	l = local_of(EVB_ROLE_STATION, 3, 32, 20, 20);
	assert_int_equal(evb_local_check(&l), -ERANGE);
	l = local_of(EVB_ROLE_STATION, 3, 8, 32, 20);
	assert_int_equal(evb_local_check(&l), -ERANGE);
	l = local_of(EVB_ROLE_STATION, 3, 8, 20, 32);
	assert_int_equal(evb_local_check(&l), -ERANGE);
	l = local_of(EVB_ROLE_STATION, 3, 8, 20, 20);
	l.role = (enum evb_role)2;
	assert_int_equal(evb_local_check(&l), -ERANGE);
	uint8_t *bounds[] = {&l.max_r, &l.max_rte, &l.max_rwd, &l.max_rka};
	for (unsigned i = 0; i < 4; i++) {
		l = local_of(EVB_ROLE_STATION, 3, 8, 20, 20);
		bounds[i] = i == 0   ? &l.max_r
			    : i == 1 ? &l.max_rte
			    : i == 2 ? &l.max_rwd
				     : &l.max_rka;
		*bounds[i] = i == 0 ? EVB_R_MAX : EVB_EXP_MAX;
		assert_int_equal(evb_local_check(&l), 0);
		(*bounds[i])++;
		assert_int_equal(evb_local_check(&l), -ERANGE);
	}
}

/* ---- no usable remote ---- */

static void station_without_remote(void **state)
{
	(void)state;
	/* docs/protocol.md "EVB TLV" example: the station's TLV before any bridge TLV */
	static const uint8_t ref[] = {0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0d,
				      0x00, 0x07, 0x68, 0x94, 0x14};
	struct evb_local l = local_of(EVB_ROLE_STATION, 3, 8, 20, 20);
	struct evb_oper o;
	struct evb_tlv tx;

	negotiate(&l, NULL, &o, &tx);
	assert_encodes_to(&tx, ref);
	assert_false(o.valid);
	assert_false(o.rr);
	assert_false(o.gid);
	assert_values(&o, &tx, 3, 8, 20, 20);
	assert_int_equal(tx.mode, EVB_MODE_STATION);
	assert_int_equal(tx.rrstat, EVB_RRSTAT_UNKNOWN);
	assert_false(tx.rol_rwd || tx.rol_rka);

	l.rrreq = false;
	l.gid = true;
	negotiate(&l, NULL, &o, &tx);
	assert_false(tx.rrreq);
	assert_true(tx.sgid);
	assert_false(tx.bgid || tx.rrcap || tx.rrctr);
	assert_false(o.gid);
}

static void bridge_without_remote(void **state)
{
	(void)state;
	static const uint8_t want[] = {0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0d,
				       0x06, 0x00, 0x68, 0x54, 0x14};
	struct evb_local l = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);
	struct evb_oper o;
	struct evb_tlv tx;

	l.gid = true;
	negotiate(&l, NULL, &o, &tx);
	assert_encodes_to(&tx, want); /* BGID, RRCAP, no RRCTR; mode bridge */
	assert_false(o.valid);
	assert_false(o.rr);
	assert_false(o.gid);
	assert_values(&o, &tx, 3, 8, 20, 20);

	l.rrcap = false;
	l.gid = false;
	negotiate(&l, NULL, &o, &tx);
	assert_false(tx.bgid || tx.rrcap || tx.rrctr);
	assert_false(tx.sgid || tx.rrreq);
	assert_int_equal(tx.rrstat, 0);
}

static void same_role_remote_not_valid(void **state)
{
	(void)state;
	struct evb_local s = local_of(EVB_ROLE_STATION, 3, 8, 20, 20);
	struct evb_local b = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);
	struct evb_tlv rem = remote_of(EVB_MODE_STATION, 7, 31, 31, 31);
	struct evb_oper o;
	struct evb_tlv tx;

	rem.rrctr = true;
	rem.rrcap = true;
	rem.bgid = true;
	rem.rrreq = true;
	rem.sgid = true;
	rem.rrstat = 1;
	s.gid = true;
	b.gid = true;

	/* station hears a station: as if nothing were heard */
	negotiate(&s, &rem, &o, &tx);
	assert_false(o.valid);
	assert_false(o.rr);
	assert_false(o.gid);
	assert_values(&o, &tx, 3, 8, 20, 20);
	assert_int_equal(tx.rrstat, EVB_RRSTAT_UNKNOWN);
	assert_false(tx.bgid || tx.rrcap || tx.rrctr);

	/* bridge hears a bridge */
	rem.mode = EVB_MODE_BRIDGE;
	negotiate(&b, &rem, &o, &tx);
	assert_false(o.valid);
	assert_false(o.rr);
	assert_false(o.gid);
	assert_values(&o, &tx, 3, 8, 20, 20);
	assert_false(tx.rrctr);
	assert_false(tx.sgid || tx.rrreq);
	assert_int_equal(tx.rrstat, 0);

	/* mode 0 (EVB not supported) is no partner for either */
	rem.mode = EVB_MODE_NONE;
	negotiate(&s, &rem, &o, &tx);
	assert_false(o.valid);
	assert_int_equal(tx.rrstat, EVB_RRSTAT_UNKNOWN);
	negotiate(&b, &rem, &o, &tx);
	assert_false(o.valid);
	assert_false(tx.rrctr);
}

/* ---- R, RTE, RWD, RKA and ROL ---- */

static void assert_oper(const struct evb_oper *o, uint8_t r, uint8_t rte, uint8_t rwd, uint8_t rka)
{
	assert_int_equal(o->r, r);
	assert_int_equal(o->rte, rte);
	assert_int_equal(o->rwd, rwd);
	assert_int_equal(o->rka, rka);
}

/* What is advertised: the local values with ROL 0, whoever won. */
static void assert_tx_local(const struct evb_tlv *tx, const struct evb_local *l)
{
	assert_int_equal(tx->r, l->r);
	assert_int_equal(tx->rte, l->rte);
	assert_int_equal(tx->rwd, l->rwd);
	assert_int_equal(tx->rka, l->rka);
	assert_false(tx->rol_rwd);
	assert_false(tx->rol_rka);
}

static void max_per_field(void **state)
{
	(void)state;
	static const enum evb_role roles[] = {EVB_ROLE_STATION, EVB_ROLE_BRIDGE};

	for (size_t i = 0; i < 2; i++) {
		uint8_t peer = roles[i] == EVB_ROLE_STATION ? EVB_MODE_BRIDGE : EVB_MODE_STATION;
		struct evb_local l = local_of(roles[i], 3, 8, 20, 20);
		struct evb_tlv rem;
		struct evb_oper o;
		struct evb_tlv tx;

		/* local larger everywhere */
		rem = remote_of(peer, 2, 7, 19, 19);
		negotiate(&l, &rem, &o, &tx);
		assert_true(o.valid);
		assert_oper(&o, 3, 8, 20, 20);
		assert_tx_local(&tx, &l);

		/* remote larger everywhere (within the default bounds) */
		rem = remote_of(peer, 7, 16, 22, 21);
		negotiate(&l, &rem, &o, &tx);
		assert_oper(&o, 7, 16, 22, 21);
		assert_int_equal(o.clamped, 0);
		assert_tx_local(&tx, &l);

		/* mixed: R and RWD from the remote, RTE and RKA local */
		rem = remote_of(peer, 4, 0, 22, 0);
		negotiate(&l, &rem, &o, &tx);
		assert_oper(&o, 4, 8, 22, 20);
		assert_tx_local(&tx, &l);

		/* mixed the other way */
		rem = remote_of(peer, 0, 9, 0, 21);
		negotiate(&l, &rem, &o, &tx);
		assert_oper(&o, 3, 9, 20, 21);
		assert_tx_local(&tx, &l);

		/* equal */
		rem = remote_of(peer, 3, 8, 20, 20);
		negotiate(&l, &rem, &o, &tx);
		assert_oper(&o, 3, 8, 20, 20);
		assert_tx_local(&tx, &l);
		assert_int_equal(tx.mode,
				 roles[i] == EVB_ROLE_STATION ? EVB_MODE_STATION : EVB_MODE_BRIDGE);
	}
}

/* The forged TLV of issue 12 (R 7, RTE 31, RWD 31, RKA 31): each field is
 * clamped to its bound and flagged; toutKeepAlive and respWaitDelay stay
 * within minutes.  A local value above a bound is the administrator's and
 * stays. */
static void remote_clamped_to_bounds(void **state)
{
	(void)state;
	struct evb_local l = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);
	struct evb_tlv rem = remote_of(EVB_MODE_STATION, 7, 31, 31, 31);
	struct evb_oper o;
	struct evb_tlv tx;

	negotiate(&l, &rem, &o, &tx);
	assert_oper(&o, 7, 16, 22, 22);
	/* R 7 is the field's maximum, the default bound */
	assert_int_equal(o.clamped, EVB_CLAMPED_RTE | EVB_CLAMPED_RWD | EVB_CLAMPED_RKA);
	assert_int_equal(evb_tout_keepalive_us(&o), 77660160);
	assert_int_equal(evb_resp_wait_us(&o), 77660160);
	assert_tx_local(&tx, &l);

	l.max_r = 5;
	l.max_rte = 10;
	l.max_rwd = 21;
	l.max_rka = 19; /* below the local value: local wins */
	negotiate(&l, &rem, &o, &tx);
	assert_oper(&o, 5, 10, 21, 20);
	assert_int_equal(o.clamped,
			 EVB_CLAMPED_R | EVB_CLAMPED_RTE | EVB_CLAMPED_RWD | EVB_CLAMPED_RKA);

	/* at the bound exactly: adopted, not clamped */
	rem = remote_of(EVB_MODE_STATION, 5, 10, 21, 19);
	negotiate(&l, &rem, &o, &tx);
	assert_oper(&o, 5, 10, 21, 20);
	assert_int_equal(o.clamped, 0);

	/* a change of the clamped set alone is a change */
	struct evb_oper o2 = o;
	struct evb_tlv tx2 = tx;
	rem.rka = 25;
	assert_true(evb_negotiate(&l, &rem, &o2, &tx2));
	assert_int_equal(o2.clamped, EVB_CLAMPED_RKA);
	assert_int_equal(o2.rka, o.rka);
}

/* Two sides exchanging TLVs until nothing changes. */
static void exchange(const struct evb_local *a, struct evb_oper *ao, struct evb_tlv *at,
		     const struct evb_local *b, struct evb_oper *bo, struct evb_tlv *bt)
{
	for (int i = 0; i < 8; i++) {
		bool ca = evb_negotiate(a, bt, ao, at);
		bool cb = evb_negotiate(b, at, bo, bt);
		if (!ca && !cb)
			return;
	}
	fail_msg("the negotiation does not settle");
}

/* A forged TLV at one side never ratchets the two: the other side does not
 * hear of it, and the real TLV brings both back to max(local, local). */
static void no_ratchet(void **state)
{
	(void)state;
	struct evb_local st = local_of(EVB_ROLE_STATION, 3, 8, 19, 20);
	struct evb_local br = local_of(EVB_ROLE_BRIDGE, 2, 10, 20, 17);
	struct evb_oper so = {0}, bo = {0};
	struct evb_tlv stx = {0}, btx = {0};

	exchange(&st, &so, &stx, &br, &bo, &btx);
	assert_oper(&so, 3, 10, 20, 20);
	assert_oper(&bo, 3, 10, 20, 20);

	struct evb_tlv forged = remote_of(EVB_MODE_STATION, 7, 31, 31, 31);
	evb_negotiate(&br, &forged, &bo, &btx);
	assert_oper(&bo, 7, 16, 22, 22);
	evb_negotiate(&st, &btx, &so, &stx); /* what the bridge advertises now */
	assert_oper(&so, 3, 10, 20, 20);

	exchange(&st, &so, &stx, &br, &bo, &btx); /* the station's LLDPDUs return */
	assert_oper(&so, 3, 10, 20, 20);
	assert_oper(&bo, 3, 10, 20, 20);
	assert_int_equal(bo.clamped, 0);
}

static void manual_uses_local_only(void **state)
{
	(void)state;
	struct evb_local l = local_of(EVB_ROLE_STATION, 3, 8, 19, 19);
	struct evb_tlv rem = remote_of(EVB_MODE_BRIDGE, 7, 16, 25, 25);
	struct evb_oper o;
	struct evb_tlv tx;

	rem.rrcap = true;
	rem.rrctr = true;
	l.manual = true;
	negotiate(&l, &rem, &o, &tx);
	assert_true(o.valid);
	assert_values(&o, &tx, 3, 8, 19, 19);
	assert_false(tx.rol_rwd);
	assert_false(tx.rol_rka);
	/* reflective relay and echo are still negotiated */
	assert_true(o.rr);
	assert_int_equal(tx.rrstat, EVB_RRSTAT_ON);
	assert_true(tx.rrctr);

	/* manual bridge with a lower remote: still local values */
	struct evb_local b = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);
	struct evb_tlv srem = remote_of(EVB_MODE_STATION, 1, 1, 1, 1);

	b.manual = true;
	negotiate(&b, &srem, &o, &tx);
	assert_values(&o, &tx, 3, 8, 20, 20);
}

static void reproduces_lldpad_capture(void **state)
{
	(void)state;
	/* captured lldpad exchange: station TLV fe 09 00 80 c2 0d 03 05 6e b4 34 in answer to a
	 * bridge with RRCAP/RRCTR; here the bridge's RWD/RKA are the larger ones.  The
	 * status octets are lldpad's; RWD and RKA are our own 19 with ROL 0 (lldpad sends the
	 * bridge's 20 with ROL 1). */
	static const uint8_t cap[] = {0xfe, 0x09, 0x00, 0x80, 0xc2, 0x0d,
				      0x03, 0x05, 0x6e, 0x93, 0x13};
	struct evb_local l = local_of(EVB_ROLE_STATION, 3, 14, 19, 19);
	struct evb_tlv rem = remote_of(EVB_MODE_BRIDGE, 3, 8, 20, 20);
	struct evb_oper o;
	struct evb_tlv tx;

	rem.rrcap = true;
	rem.rrctr = true;
	rem.rrreq = true; /* the bridge's echo of our status: not copied back */
	rem.rrstat = 3;
	negotiate(&l, &rem, &o, &tx);
	assert_encodes_to(&tx, cap);
	assert_oper(&o, 3, 14, 20, 20);
	assert_true(o.valid);
	assert_true(o.rr);
	assert_false(o.gid);
}

/* ---- reflective relay ---- */

static void bridge_rr_combinations(void **state)
{
	(void)state;
	for (int rrreq = 0; rrreq <= 1; rrreq++) {
		for (int rrcap = 0; rrcap <= 1; rrcap++) {
			struct evb_local l = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);
			struct evb_tlv rem = remote_of(EVB_MODE_STATION, 3, 8, 20, 20);
			struct evb_oper o;
			struct evb_tlv tx;

			l.rrcap = rrcap;
			rem.rrreq = rrreq;
			rem.rrstat = EVB_RRSTAT_UNKNOWN;
			negotiate(&l, &rem, &o, &tx);
			assert_int_equal(tx.rrcap, rrcap);
			assert_int_equal(tx.rrctr, rrreq && rrcap);
			assert_int_equal(o.rr, rrreq && rrcap);
			/* station status echoed as received */
			assert_int_equal(tx.rrreq, rrreq);
			assert_int_equal(tx.rrstat, EVB_RRSTAT_UNKNOWN);
			assert_false(tx.sgid);
		}
	}
}

static void bridge_echoes_station_status(void **state)
{
	(void)state;
	static const uint8_t rrstats[] = {0, 1, 2, 3};
	struct evb_local l = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);

	for (size_t i = 0; i < sizeof(rrstats); i++) {
		struct evb_tlv rem = remote_of(EVB_MODE_STATION, 3, 8, 20, 20);
		struct evb_oper o;
		struct evb_tlv tx;

		rem.sgid = i & 1;
		rem.rrreq = i & 2;
		rem.rrstat = rrstats[i];
		rem.bgid = true; /* the station's echo of our octet is not taken */
		rem.reserved_bits = EVB_RSV_SEEN_STATION;
		negotiate(&l, &rem, &o, &tx);
		assert_int_equal(tx.sgid, rem.sgid);
		assert_int_equal(tx.rrreq, rem.rrreq);
		assert_int_equal(tx.rrstat, rrstats[i]);
		assert_false(tx.bgid);
		assert_int_equal(tx.reserved_bits, 0);
	}
}

static void station_rr_status(void **state)
{
	(void)state;
	for (int rrreq = 0; rrreq <= 1; rrreq++) {
		for (int rrctr = 0; rrctr <= 1; rrctr++) {
			struct evb_local l = local_of(EVB_ROLE_STATION, 3, 8, 20, 20);
			struct evb_tlv rem = remote_of(EVB_MODE_BRIDGE, 3, 8, 20, 20);
			struct evb_oper o;
			struct evb_tlv tx;

			l.rrreq = rrreq;
			rem.rrcap = true;
			rem.rrctr = rrctr;
			negotiate(&l, &rem, &o, &tx);
			assert_int_equal(tx.rrreq, rrreq);
			assert_int_equal(tx.rrstat, rrctr ? EVB_RRSTAT_ON : EVB_RRSTAT_OFF);
			assert_int_equal(o.rr, rrctr);
			/* bridge status echoed */
			assert_true(tx.rrcap);
			assert_int_equal(tx.rrctr, rrctr);
		}
	}
}

static void station_echoes_bridge_status(void **state)
{
	(void)state;
	struct evb_local l = local_of(EVB_ROLE_STATION, 3, 8, 20, 20);

	for (unsigned bits = 0; bits < 8; bits++) {
		struct evb_tlv rem = remote_of(EVB_MODE_BRIDGE, 3, 8, 20, 20);
		struct evb_oper o;
		struct evb_tlv tx;
		uint8_t out[11];

		rem.bgid = bits & 4;
		rem.rrcap = bits & 2;
		rem.rrctr = bits & 1;
		rem.sgid = true; /* the bridge's echo of our octet is not taken */
		rem.rrstat = 2;
		rem.reserved_bits = EVB_RSV_SEEN_BRIDGE;
		negotiate(&l, &rem, &o, &tx);
		assert_int_equal(evb_tlv_encode(&tx, out, sizeof(out)), 11);
		assert_int_equal(out[6], bits);
		assert_int_equal(out[7], EVB_RRREQ | (bits & 1 ? 1 : 0));
	}
}

/* ---- Group ID ---- */

static void group_id(void **state)
{
	(void)state;
	for (int mine = 0; mine <= 1; mine++) {
		for (int theirs = 0; theirs <= 1; theirs++) {
			struct evb_local s = local_of(EVB_ROLE_STATION, 3, 8, 20, 20);
			struct evb_local b = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);
			struct evb_tlv brem = remote_of(EVB_MODE_BRIDGE, 3, 8, 20, 20);
			struct evb_tlv srem = remote_of(EVB_MODE_STATION, 3, 8, 20, 20);
			struct evb_oper o;
			struct evb_tlv tx;

			s.gid = mine;
			brem.bgid = theirs;
			negotiate(&s, &brem, &o, &tx);
			assert_int_equal(tx.sgid, mine);
			assert_int_equal(tx.bgid, theirs);
			assert_int_equal(o.gid, mine && theirs);

			b.gid = mine;
			srem.sgid = theirs;
			negotiate(&b, &srem, &o, &tx);
			assert_int_equal(tx.bgid, mine);
			assert_int_equal(tx.sgid, theirs);
			assert_int_equal(o.gid, mine && theirs);
		}
	}
}

/* ---- change detection ---- */

static void change_detection(void **state)
{
	(void)state;
	struct evb_local l = local_of(EVB_ROLE_STATION, 3, 8, 20, 20);
	struct evb_tlv rem = remote_of(EVB_MODE_BRIDGE, 3, 8, 20, 20);
	struct evb_oper o = {0};
	struct evb_tlv tx = {0};

	assert_true(evb_negotiate(&l, NULL, &o, &tx));	/* from nothing */
	assert_false(evb_negotiate(&l, NULL, &o, &tx)); /* same again */
	assert_true(evb_negotiate(&l, &rem, &o, &tx));	/* bridge appears */
	assert_true(o.valid);
	assert_false(evb_negotiate(&l, &rem, &o, &tx));

	rem.rwd = 10; /* a lower remote value changes nothing */
	assert_false(evb_negotiate(&l, &rem, &o, &tx));
	rem.rwd = 21; /* a higher one does: operating value and ROL */
	assert_true(evb_negotiate(&l, &rem, &o, &tx));
	assert_int_equal(o.rwd, 21);
	assert_false(evb_negotiate(&l, &rem, &o, &tx));

	rem.bgid = true; /* TX-only change: echoed bridge status */
	assert_true(evb_negotiate(&l, &rem, &o, &tx));
	assert_false(o.gid);
	assert_false(evb_negotiate(&l, &rem, &o, &tx));

	rem.rrctr = true; /* RR comes on */
	assert_true(evb_negotiate(&l, &rem, &o, &tx));
	assert_true(o.rr);

	/* only the previous oper differs: still reported */
	o.rka = 1;
	assert_true(evb_negotiate(&l, &rem, &o, &tx));
	assert_int_equal(o.rka, 20);
	o.gid = true;
	assert_true(evb_negotiate(&l, &rem, &o, &tx));
	o.valid = false;
	assert_true(evb_negotiate(&l, &rem, &o, &tx));
	/* only the previous tx differs */
	tx.reserved_bits = 1;
	assert_true(evb_negotiate(&l, &rem, &o, &tx));
	assert_int_equal(tx.reserved_bits, 0);
	tx.rol_rka = true;
	assert_true(evb_negotiate(&l, &rem, &o, &tx));

	assert_true(evb_negotiate(&l, NULL, &o, &tx)); /* bridge gone */
	assert_false(o.valid);
	assert_false(o.rr);
	assert_int_equal(tx.rrstat, EVB_RRSTAT_UNKNOWN);
}

static void change_detection_every_field(void **state)
{
	(void)state;
	struct evb_local l = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);
	struct evb_tlv rem = remote_of(EVB_MODE_STATION, 3, 8, 20, 20);
	struct evb_oper o0, o;
	struct evb_tlv t0, tx;

	negotiate(&l, &rem, &o0, &t0);
	/* perturb each previous field once; each must be reported as a change */
	for (int f = 0; f < 21; f++) {
		o = o0;
		tx = t0;
		switch (f) {
		case 0:
			tx.bgid = !tx.bgid;
			break;
		case 1:
			tx.rrcap = !tx.rrcap;
			break;
		case 2:
			tx.rrctr = !tx.rrctr;
			break;
		case 3:
			tx.sgid = !tx.sgid;
			break;
		case 4:
			tx.rrreq = !tx.rrreq;
			break;
		case 5:
			tx.rrstat ^= 1;
			break;
		case 6:
			tx.r ^= 1;
			break;
		case 7:
			tx.rte ^= 1;
			break;
		case 8:
			tx.mode ^= 3;
			break;
		case 9:
			tx.rol_rwd = !tx.rol_rwd;
			break;
		case 10:
			tx.rwd ^= 1;
			break;
		case 11:
			tx.rol_rka = !tx.rol_rka;
			break;
		case 12:
			tx.rka ^= 1;
			break;
		case 13:
			tx.reserved_bits ^= 1;
			break;
		case 14:
			o.valid = !o.valid;
			break;
		case 15:
			o.r ^= 1;
			break;
		case 16:
			o.rte ^= 1;
			break;
		case 17:
			o.rwd ^= 1;
			break;
		case 18:
			o.rka ^= 1;
			break;
		case 19:
			o.rr = !o.rr;
			break;
		default:
			o.gid = !o.gid;
			break;
		}
		assert_true(evb_negotiate(&l, &rem, &o, &tx));
		assert_memory_equal(&o, &o0, sizeof(o));
		assert_memory_equal(&tx, &t0, sizeof(tx));
	}
	o = o0;
	tx = t0;
	assert_false(evb_negotiate(&l, &rem, &o, &tx));
}

/* ---- timers ---- */

static void exp_arithmetic(void **state)
{
	(void)state;
	assert_int_equal(evb_exp_us(0), 10);
	assert_int_equal(evb_exp_us(1), 20);
	assert_int_equal(evb_exp_us(8), 2560);
	assert_int_equal(evb_exp_us(16), 655360);
	assert_int_equal(evb_exp_us(20), 10485760);
	assert_int_equal(evb_exp_us(31), UINT64_C(21474836480));
	/* out-of-range exponents are clamped to 31 */
	assert_int_equal(evb_exp_us(32), UINT64_C(21474836480));
	assert_int_equal(evb_exp_us(255), UINT64_C(21474836480));
}

static void timer_values(void **state)
{
	(void)state;
	/* docs/protocol.md "VDP timers" example: R=3, RTE=8, RWD=RKA=20 */
	struct evb_oper o = {.valid = true, .r = 3, .rte = 8, .rwd = 20, .rka = 20};

	assert_int_equal(evb_ack_timer_us(&o), 2560);
	assert_int_equal(evb_resource_wait_us(&o), 10485760);
	assert_int_equal(evb_reinit_keepalive_us(&o), 10485760);
	assert_int_equal(evb_resp_wait_us(&o), 15755520);
	assert_int_equal(evb_tout_keepalive_us(&o), 15755520);

	/* R=3, RTE=16, RKA=20 */
	o = (struct evb_oper){.r = 3, .rte = 16, .rwd = 14, .rka = 20};
	assert_int_equal(evb_tout_keepalive_us(&o), 22609920);
	/* 1.5 * (10*2^14 + 7 * 655360) = 1.5 * (163840 + 4587520) */
	assert_int_equal(evb_resp_wait_us(&o), 7127040);
	assert_int_equal(evb_resource_wait_us(&o), 163840);

	/* all zero: 1.5 * (10 + 10) = 30 us (lldpad's start-up window, peer doc) */
	o = (struct evb_oper){0};
	assert_int_equal(evb_resp_wait_us(&o), 30);
	assert_int_equal(evb_tout_keepalive_us(&o), 30);

	/* largest: R=7, all exponents 31: 1.5 * 16 * 10*2^31, no overflow */
	o = (struct evb_oper){.r = 7, .rte = 31, .rwd = 31, .rka = 31};
	assert_int_equal(evb_resp_wait_us(&o), UINT64_C(515396075520));
	assert_int_equal(evb_tout_keepalive_us(&o), UINT64_C(515396075520));

	/* RWD and RKA differ: each formula takes its own exponent */
	o = (struct evb_oper){.r = 1, .rte = 2, .rwd = 3, .rka = 4};
	assert_int_equal(evb_resp_wait_us(&o), (80 + 3 * 40) * 3 / 2);
	assert_int_equal(evb_tout_keepalive_us(&o), (160 + 3 * 40) * 3 / 2);

	/* R beyond 7 is clamped to 7 */
	o = (struct evb_oper){.r = 9, .rte = 0, .rwd = 0, .rka = 0};
	assert_int_equal(evb_resp_wait_us(&o), (10 + 15 * 10) * 3 / 2);
}

static void timers_follow_negotiation(void **state)
{
	(void)state;
	struct evb_local l = local_of(EVB_ROLE_BRIDGE, 3, 8, 20, 20);
	struct evb_tlv rem = remote_of(EVB_MODE_STATION, 3, 16, 14, 20);
	struct evb_oper o;
	struct evb_tlv tx;

	negotiate(&l, &rem, &o, &tx);
	assert_int_equal(evb_ack_timer_us(&o), 655360);
	assert_int_equal(evb_tout_keepalive_us(&o), 22609920);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults),
	    cmocka_unit_test(local_check_ranges),
	    cmocka_unit_test(station_without_remote),
	    cmocka_unit_test(bridge_without_remote),
	    cmocka_unit_test(same_role_remote_not_valid),
	    cmocka_unit_test(max_per_field),
	    cmocka_unit_test(remote_clamped_to_bounds),
	    cmocka_unit_test(no_ratchet),
	    cmocka_unit_test(manual_uses_local_only),
	    cmocka_unit_test(reproduces_lldpad_capture),
	    cmocka_unit_test(bridge_rr_combinations),
	    cmocka_unit_test(bridge_echoes_station_status),
	    cmocka_unit_test(station_rr_status),
	    cmocka_unit_test(station_echoes_bridge_status),
	    cmocka_unit_test(group_id),
	    cmocka_unit_test(change_detection),
	    cmocka_unit_test(change_detection_every_field),
	    cmocka_unit_test(exp_arithmetic),
	    cmocka_unit_test(timer_values),
	    cmocka_unit_test(timers_follow_negotiation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
