/* SPDX-License-Identifier: ISC */
/*
 * test_vdp_sm_table.c - every (state, event) pair of the station and the
 * bridge VDP machines against a table written here from the behaviour the
 * machines must have (IEEE 802.1Qbg-2012 clause 41.5 as vdp_sm.h reads it).
 *
 * Each row brings a VSI to one state through the machine itself (never by
 * writing v->state), each column is one event with one input; the cell is
 * the state the VSI must be in afterwards.  Then, per (state, event), the
 * states reached must be exactly what vdp_sm.c's own table allows, and every
 * step must report its changes, all legal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "vdp/vdp_sm.h"

/* Short names of the expected states in the grids. */
enum { I = 0, P, W, K, D, L, E }; /* station: INIT .. END, in enum order */

static void states_match_enum(void **state)
{
	(void)state;
	assert_int_equal(I, VDP_ST_INIT);
	assert_int_equal(P, VDP_ST_PROCWAIT);
	assert_int_equal(W, VDP_ST_WAIT_SYSCMD);
	assert_int_equal(K, VDP_ST_KAWAIT);
	assert_int_equal(D, VDP_ST_DEAWAIT);
	assert_int_equal(L, VDP_ST_LINKDOWN);
	assert_int_equal(E, VDP_ST_END);
}

/* ---------------- station ---------------- */

enum st_col {
	CMD_PRE,     /* command Pre-Associate */
	CMD_DEA,     /* command De-Associate */
	CMD_BAD,     /* command of no VSI type */
	RE_OK,	     /* reply to what is outstanding, success */
	RE_FAIL,     /* same, reason 4 */
	RE_KEEP,     /* same, reason 4 with KEEP */
	RE_STALE,    /* a reply of another type, success */
	RE_DEA_FAIL, /* a De-Associate reply with reason 4 */
	RE_OTHER_F,  /* reply to what is outstanding with other filters */
	BR_DEA,	     /* bridge De-Associate */
	TIMER,	     /* max_tries 3 */
	TIMER_LAST,  /* max_tries 1 */
	TXF,	     /* ECP failure, max_tries 3 */
	TXF_LAST,    /* ECP failure, max_tries 1 */
	DOWN,
	UP,
	UP_NOCMD, /* link up with no command recorded */
	ST_COLS
};

static const enum vdp_st_event st_col_event[ST_COLS] = {
    [CMD_PRE] = VDP_ST_EV_CMD,	    [CMD_DEA] = VDP_ST_EV_CMD,
    [CMD_BAD] = VDP_ST_EV_CMD,	    [RE_OK] = VDP_ST_EV_REPLY,
    [RE_FAIL] = VDP_ST_EV_REPLY,    [RE_KEEP] = VDP_ST_EV_REPLY,
    [RE_STALE] = VDP_ST_EV_REPLY,   [RE_DEA_FAIL] = VDP_ST_EV_REPLY,
    [RE_OTHER_F] = VDP_ST_EV_REPLY, [BR_DEA] = VDP_ST_EV_BRIDGE_DEASSOC,
    [TIMER] = VDP_ST_EV_TIMER,	    [TIMER_LAST] = VDP_ST_EV_TIMER,
    [TXF] = VDP_ST_EV_TX_FAILED,    [TXF_LAST] = VDP_ST_EV_TX_FAILED,
    [DOWN] = VDP_ST_EV_LINK_DOWN,   [UP] = VDP_ST_EV_LINK_UP,
    [UP_NOCMD] = VDP_ST_EV_LINK_UP,
};

enum st_row {
	R_INIT,
	R_PROCWAIT,	/* Associate sent */
	R_WAIT_SYSCMD,	/* Associate in force */
	R_KAWAIT_ASSOC, /* keep-alive of an Associate sent */
	R_KAWAIT_PRE,	/* keep-alive of a Pre-Associate sent */
	R_DEAWAIT,	/* De-Associate of an Associate sent */
	R_DOWN_ASSOC,	/* link down with an Associate in force */
	R_DOWN_NEW,	/* link down, Associate asked, nothing sent */
	R_DOWN_DEA,	/* link down while de-associating */
	R_END,
	ST_ROWS
};

/* clang-format off */
static const uint8_t st_expect[ST_ROWS][ST_COLS] = {
/*                  CMD_  CMD_ CMD_ RE_ RE_   RE_   RE_    RE_  RE_    BR_  TIM TIM  TXF TXF  DOWN UP UP_  */
/*                  PRE   DEA  BAD  OK  FAIL  KEEP  STALE  DEA  OTHER  DEA      LAST     LAST         NOCMD */
[R_INIT]         = {P,    E,   I,   I,  I,    I,    I,     I,   I,     I,   I,  I,   I,  I,   L,   I, I},
[R_PROCWAIT]     = {P,    D,   P,   W,  E,    E,    P,     E,   E,     E,   P,  E,   P,  P,   L,   P, P},
[R_WAIT_SYSCMD]  = {P,    D,   W,   W,  W,    W,    W,     W,   W,     E,   K,  K,   W,  W,   L,   W, W},
[R_KAWAIT_ASSOC] = {P,    D,   K,   W,  E,    D,    K,     E,   E,     E,   K,  E,   K,  E,   L,   K, K},
[R_KAWAIT_PRE]   = {P,    D,   K,   W,  E,    W,    K,     E,   E,     E,   K,  E,   K,  E,   L,   K, K},
[R_DEAWAIT]      = {P,    D,   D,   E,  E,    E,    D,     E,   E,     E,   D,  E,   D,  D,   L,   D, D},
[R_DOWN_ASSOC]   = {L,    L,   L,   L,  L,    L,    L,     L,   L,     E,   L,  L,   L,  L,   L,   P, I},
[R_DOWN_NEW]     = {L,    E,   L,   L,  L,    L,    L,     L,   L,     E,   L,  L,   L,  L,   L,   P, I},
[R_DOWN_DEA]     = {L,    L,   L,   L,  L,    L,    L,     L,   L,     E,   L,  L,   L,  L,   L,   D, I},
[R_END]          = {E,    E,   E,   E,  E,    E,    E,     E,   E,     E,   E,  E,   E,  E,   E,   E, E},
};
/* clang-format on */

struct st_fx {
	struct vdp_vsi *v;
	struct vdp_st_params p;
	struct vdp_sm_out out;
	uint64_t now;
	uint8_t want; /* the TLV type the row's VSI waits for an answer to */
};

/* One step; its changes must be reported, in order, and all legal. */
static void st_step(struct st_fx *f, enum vdp_st_event ev, const struct vdp_vsi_tlv *r)
{
	uint8_t before = f->v->state;

	f->now += 1000;
	vdp_station_step(f->v, ev, r, &f->p, f->now, &f->out);
	assert_int_equal(f->out.illegal, 0);
	assert_int_equal(f->out.start, before);
	assert_int_equal(f->out.event, ev);
	for (uint8_t i = 0; i < f->out.ntrans; i++) {
		assert_true(f->out.trans[i].legal);
		assert_int_not_equal(f->out.trans[i].from, f->out.trans[i].to);
		if (i)
			assert_int_equal(f->out.trans[i].from, f->out.trans[i - 1].to);
	}
	if (f->out.ntrans) {
		assert_int_equal(f->out.trans[0].from, before);
		assert_int_equal(f->out.trans[f->out.ntrans - 1].to, f->v->state);
	} else {
		assert_int_equal(f->v->state, before);
	}
}

static void st_reply(struct st_fx *f, uint8_t type, uint8_t status, bool other_filters)
{
	struct vdp_vsi_tlv t;

	vsi_to_tlv(f->v, type, (uint8_t)(VDP_STATUS_RESPONSE | status), &t);
	if (other_filters)
		t.fif = VDP_FIF_VID;
	st_step(f, VDP_ST_EV_REPLY, &t);
}

static void st_cmd(struct st_fx *f, uint8_t cmd)
{
	f->v->cmd = cmd;
	st_step(f, VDP_ST_EV_CMD, NULL);
}

/* Bring a fresh VSI to the row's state through the machine. */
static void st_setup(struct st_fx *f, enum st_row row)
{
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID, .id = {7}};

	memset(f, 0, sizeof(*f));
	f->v = vsi_new(&k, 0);
	assert_non_null(f->v);
	f->v->fif = VDP_FIF_MACVID;
	f->p = (struct vdp_st_params){.resp_wait_us = 500, .keepalive_us = 800, .max_tries = 3};
	f->want = VDP_TLV_ASSOC;
	switch (row) {
	case R_INIT:
		break;
	case R_KAWAIT_PRE:
		st_cmd(f, VDP_TLV_PREASSOC);
		st_reply(f, VDP_TLV_PREASSOC, 0, false);
		st_step(f, VDP_ST_EV_TIMER, NULL);
		f->want = VDP_TLV_PREASSOC;
		break;
	case R_DOWN_NEW:
		f->v->cmd = VDP_TLV_ASSOC; /* a command while the port is down */
		st_step(f, VDP_ST_EV_LINK_DOWN, NULL);
		break;
	case R_END:
		st_cmd(f, VDP_TLV_ASSOC);
		st_step(f, VDP_ST_EV_BRIDGE_DEASSOC, NULL);
		break;
	default: /* from an Associate */
		st_cmd(f, VDP_TLV_ASSOC);
		if (row == R_PROCWAIT)
			break;
		st_reply(f, VDP_TLV_ASSOC, 0, false);
		if (row == R_KAWAIT_ASSOC)
			st_step(f, VDP_ST_EV_TIMER, NULL);
		if (row == R_DOWN_ASSOC)
			st_step(f, VDP_ST_EV_LINK_DOWN, NULL);
		if (row == R_DEAWAIT || row == R_DOWN_DEA) {
			st_cmd(f, VDP_TLV_DEASSOC);
			f->want = VDP_TLV_DEASSOC;
		}
		if (row == R_DOWN_DEA)
			st_step(f, VDP_ST_EV_LINK_DOWN, NULL);
		break;
	}
}

static void st_apply(struct st_fx *f, enum st_col col)
{
	uint8_t stale = f->want == VDP_TLV_PREASSOC ? VDP_TLV_ASSOC : VDP_TLV_PREASSOC;

	if (col == TIMER_LAST || col == TXF_LAST)
		f->p.max_tries = 1;
	switch (col) {
	case CMD_PRE:
		st_cmd(f, VDP_TLV_PREASSOC);
		break;
	case CMD_DEA:
		st_cmd(f, VDP_TLV_DEASSOC);
		break;
	case CMD_BAD:
		st_cmd(f, 0);
		break;
	case RE_OK:
		st_reply(f, f->want, 0, false);
		break;
	case RE_FAIL:
		st_reply(f, f->want, VDP_RSN_OTHER, false);
		break;
	case RE_KEEP:
		st_reply(f, f->want, VDP_RSN_OTHER | VDP_STATUS_KEEP, false);
		break;
	case RE_STALE:
		st_reply(f, stale, 0, false);
		break;
	case RE_DEA_FAIL:
		st_reply(f, VDP_TLV_DEASSOC, VDP_RSN_OTHER, false);
		break;
	case RE_OTHER_F:
		st_reply(f, f->want, 0, true);
		break;
	case UP_NOCMD:
		f->v->cmd = 0;
		st_step(f, VDP_ST_EV_LINK_UP, NULL);
		break;
	case BR_DEA: {
		struct vdp_vsi_tlv t;
		vsi_to_tlv(f->v, VDP_TLV_DEASSOC, 0, &t);
		st_step(f, VDP_ST_EV_BRIDGE_DEASSOC, &t);
		break;
	}
	default:
		st_step(f, st_col_event[col], NULL);
		break;
	}
}

static const char *const st_row_name[ST_ROWS] = {
    "init",    "procwait",    "wait-syscmd", "kawait(assoc)", "kawait(pre)",
    "deawait", "down(assoc)", "down(new)",   "down(deassoc)", "end"};

static void test_station_table(void **state)
{
	uint8_t reached[VDP_ST_NSTATES][VDP_ST_NEVENTS] = {{0}};
	bool seen[VDP_ST_NSTATES][VDP_ST_NEVENTS] = {{false}};

	(void)state;
	for (int row = 0; row < ST_ROWS; row++) {
		for (int col = 0; col < ST_COLS; col++) {
			struct st_fx f;
			st_setup(&f, (enum st_row)row);
			uint8_t from = f.v->state;
			st_apply(&f, (enum st_col)col);
			if (f.v->state != st_expect[row][col])
				fail_msg("station %s, column %d: %s, expected %s", st_row_name[row],
					 col, vdp_st_state_name(f.v->state),
					 vdp_st_state_name(st_expect[row][col]));
			reached[from][st_col_event[col]] |= (uint8_t)(1u << f.v->state);
			seen[from][st_col_event[col]] = true;
			vsi_free(f.v);
		}
	}
	/* Every pair walked, and the machine's table allows exactly what was
	 * reached (plus staying). */
	for (uint8_t s = 0; s < VDP_ST_NSTATES; s++) {
		for (uint8_t ev = 0; ev < VDP_ST_NEVENTS; ev++) {
			assert_true(seen[s][ev]);
			for (uint8_t to = 0; to < VDP_ST_NSTATES; to++) {
				bool got = (reached[s][ev] >> to) & 1u;
				if (to != s && got != vdp_st_transition_ok(s, ev, to))
					fail_msg("station table: %s --%s--> %s is %s but %s",
						 vdp_st_state_name(s), vdp_st_event_name(ev),
						 vdp_st_state_name(to),
						 got ? "taken" : "never taken",
						 got ? "not allowed" : "allowed");
			}
		}
	}
}

/* The check itself: what the table does not list is refused, and a VSI in a
 * state no table knows (a damaged restore) is counted, never silent. */
static void test_station_illegal_counted(void **state)
{
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID, .id = {8}};
	struct vdp_vsi *v = vsi_new(&k, 0);
	struct vdp_st_params p = {.resp_wait_us = 500, .keepalive_us = 800, .max_tries = 3};
	struct vdp_sm_out out;

	(void)state;
	assert_true(vdp_st_transition_ok(VDP_ST_KAWAIT, VDP_ST_EV_TIMER, VDP_ST_KAWAIT));
	assert_false(vdp_st_transition_ok(VDP_ST_END, VDP_ST_EV_CMD, VDP_ST_PROCWAIT));
	assert_false(vdp_st_transition_ok(VDP_ST_WAIT_SYSCMD, VDP_ST_EV_LINK_UP, VDP_ST_PROCWAIT));
	assert_false(vdp_st_transition_ok(VDP_ST_INIT, VDP_ST_NEVENTS, VDP_ST_LINKDOWN));
	assert_false(vdp_st_transition_ok(VDP_ST_INIT, VDP_ST_EV_CMD, VDP_ST_NSTATES));
	v->state = 42;
	vdp_station_step(v, VDP_ST_EV_LINK_DOWN, NULL, &p, 1000, &out);
	assert_int_equal(v->state, VDP_ST_LINKDOWN);
	assert_int_equal(out.illegal, 1);
	assert_int_equal(out.ntrans, 1);
	assert_int_equal(out.trans[0].from, 42);
	assert_false(out.trans[0].legal);
	vsi_free(v);
}

/* ---------------- bridge ---------------- */

enum { BI = VDP_BR_INIT, BP = VDP_BR_PROCESS, BW = VDP_BR_WAITCMD, BE = VDP_BR_END };

enum br_col {
	REQ_ASSOC, /* Associate (the keep-alive of an Associate in force) */
	REQ_PRE,
	REQ_DEA,
	REQ_BAD, /* no VSI type */
	DEC_GRANT,
	DEC_KEEP,
	DEC_REFUSE,
	B_TIMER,
	B_ADMIN,
	B_TXF,
	B_RESTORED,
	BR_COLS
};

static const enum vdp_br_event br_col_event[BR_COLS] = {
    [REQ_ASSOC] = VDP_BR_EV_REQUEST,	 [REQ_PRE] = VDP_BR_EV_REQUEST,
    [REQ_DEA] = VDP_BR_EV_REQUEST,	 [REQ_BAD] = VDP_BR_EV_REQUEST,
    [DEC_GRANT] = VDP_BR_EV_DECISION,	 [DEC_KEEP] = VDP_BR_EV_DECISION,
    [DEC_REFUSE] = VDP_BR_EV_DECISION,	 [B_TIMER] = VDP_BR_EV_TIMER,
    [B_ADMIN] = VDP_BR_EV_ADMIN_DEASSOC, [B_TXF] = VDP_BR_EV_TX_FAILED,
    [B_RESTORED] = VDP_BR_EV_RESTORED,
};

enum br_row {
	B_INIT,
	B_PROCESS_NEW,	  /* Associate asked, nothing in force */
	B_WAITCMD,	  /* Associate in force */
	B_PROCESS_CHANGE, /* Associate in force, Pre-Associate asked */
	B_END,
	BR_ROWS
};

/* clang-format off */
static const uint8_t br_expect[BR_ROWS][BR_COLS] = {
/*                    REQ_   REQ_ REQ_ REQ_ DEC_   DEC_  DEC_    TIMER ADMIN TXF RESTORED */
/*                    ASSOC  PRE  DEA  BAD  GRANT  KEEP  REFUSE                            */
[B_INIT]           = {BP,    BP,  BE,  BI,  BI,    BI,   BI,     BI,   BE,   BI, BW},
[B_PROCESS_NEW]    = {BP,    BP,  BE,  BP,  BW,    BE,   BE,     BE,   BE,   BP, BP},
[B_WAITCMD]        = {BW,    BP,  BE,  BW,  BW,    BW,   BW,     BE,   BE,   BW, BW},
[B_PROCESS_CHANGE] = {BP,    BP,  BE,  BP,  BW,    BW,   BE,     BW,   BE,   BP, BP},
[B_END]            = {BE,    BE,  BE,  BE,  BE,    BE,   BE,     BE,   BE,   BE, BE},
};
/* clang-format on */

struct br_fx {
	struct vdp_vsi *v;
	struct vdp_br_params p;
	struct vdp_sm_out out;
	uint64_t now;
};

static void br_step(struct br_fx *f, enum vdp_br_event ev, const struct vdp_vsi_tlv *req,
		    const struct vdp_decision *dec)
{
	uint8_t before = f->v->state;

	f->now += 1000;
	vdp_bridge_step(f->v, ev, req, dec, &f->p, f->now, &f->out);
	assert_int_equal(f->out.illegal, 0);
	assert_int_equal(f->out.start, before);
	for (uint8_t i = 0; i < f->out.ntrans; i++)
		assert_true(f->out.trans[i].legal);
	if (f->out.ntrans) {
		assert_int_equal(f->out.trans[0].from, before);
		assert_int_equal(f->out.trans[f->out.ntrans - 1].to, f->v->state);
	} else {
		assert_int_equal(f->v->state, before);
	}
}

static void br_request(struct br_fx *f, uint8_t type)
{
	struct vdp_vsi_tlv t;

	vsi_to_tlv(f->v, type, 0, &t);
	t.type_id = 5;
	t.type_ver = 1;
	br_step(f, VDP_BR_EV_REQUEST, &t, NULL);
}

static void br_decide(struct br_fx *f, enum vdp_verdict verdict)
{
	struct vdp_decision dec = {.verdict = verdict, .reason = VDP_RSN_OTHER};

	br_step(f, VDP_BR_EV_DECISION, NULL, &dec);
}

static void br_setup(struct br_fx *f, enum br_row row)
{
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID, .id = {9}};

	memset(f, 0, sizeof(*f));
	f->v = vsi_new(&k, 0);
	assert_non_null(f->v);
	f->v->fif = VDP_FIF_MACVID;
	f->p = (struct vdp_br_params){.resource_wait_us = 500, .tout_keepalive_us = 800};
	if (row == B_INIT)
		return;
	br_request(f, VDP_TLV_ASSOC);
	if (row == B_END)
		br_request(f, VDP_TLV_DEASSOC);
	if (row == B_WAITCMD || row == B_PROCESS_CHANGE)
		br_decide(f, VDP_GRANT);
	if (row == B_PROCESS_CHANGE)
		br_request(f, VDP_TLV_PREASSOC);
}

static void br_apply(struct br_fx *f, enum br_col col)
{
	switch (col) {
	case REQ_ASSOC:
		br_request(f, VDP_TLV_ASSOC);
		break;
	case REQ_PRE:
		br_request(f, VDP_TLV_PREASSOC);
		break;
	case REQ_DEA:
		br_request(f, VDP_TLV_DEASSOC);
		break;
	case REQ_BAD:
		br_request(f, 0);
		break;
	case DEC_GRANT:
		br_decide(f, VDP_GRANT);
		break;
	case DEC_KEEP:
		br_decide(f, VDP_REFUSE_KEEP);
		break;
	case DEC_REFUSE:
		br_decide(f, VDP_REFUSE);
		break;
	default:
		br_step(f, br_col_event[col], NULL, NULL);
		break;
	}
}

static const char *const br_row_name[BR_ROWS] = {"init", "process(new)", "waitcmd",
						 "process(change)", "end"};

static void test_bridge_table(void **state)
{
	uint8_t reached[VDP_BR_NSTATES][VDP_BR_NEVENTS] = {{0}};
	bool seen[VDP_BR_NSTATES][VDP_BR_NEVENTS] = {{false}};

	(void)state;
	for (int row = 0; row < BR_ROWS; row++) {
		for (int col = 0; col < BR_COLS; col++) {
			struct br_fx f;
			br_setup(&f, (enum br_row)row);
			uint8_t from = f.v->state;
			br_apply(&f, (enum br_col)col);
			if (f.v->state != br_expect[row][col])
				fail_msg("bridge %s, column %d: %s, expected %s", br_row_name[row],
					 col, vdp_br_state_name(f.v->state),
					 vdp_br_state_name(br_expect[row][col]));
			reached[from][br_col_event[col]] |= (uint8_t)(1u << f.v->state);
			seen[from][br_col_event[col]] = true;
			vsi_free(f.v);
		}
	}
	for (uint8_t s = 0; s < VDP_BR_NSTATES; s++) {
		for (uint8_t ev = 0; ev < VDP_BR_NEVENTS; ev++) {
			assert_true(seen[s][ev]);
			for (uint8_t to = 0; to < VDP_BR_NSTATES; to++) {
				bool got = (reached[s][ev] >> to) & 1u;
				if (to != s && got != vdp_br_transition_ok(s, ev, to))
					fail_msg("bridge table: %s --%s--> %s is %s but %s",
						 vdp_br_state_name(s), vdp_br_event_name(ev),
						 vdp_br_state_name(to),
						 got ? "taken" : "never taken",
						 got ? "not allowed" : "allowed");
			}
		}
	}
	assert_false(vdp_br_transition_ok(VDP_BR_END, VDP_BR_EV_REQUEST, VDP_BR_PROCESS));
	assert_false(vdp_br_transition_ok(VDP_BR_WAITCMD, VDP_BR_EV_RESTORED, VDP_BR_END));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(states_match_enum),
	    cmocka_unit_test(test_station_table),
	    cmocka_unit_test(test_station_illegal_counted),
	    cmocka_unit_test(test_bridge_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
