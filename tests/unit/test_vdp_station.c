/* SPDX-License-Identifier: ISC */
/*
 * test_vdp_station.c - unit tests of the station VDP machine (vdp_sm.c,
 * 802.1Qbg 41.5 with the choices listed in vdp_sm.h), every transition driven by a
 * fake clock and a real deadline heap applied the way the port applies it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vdp/deadline.h"
#include "vdp/vdp_sm.h"
#include "vdp/vsi.h"

#define T0   1000000ull	 /* µs */
#define RESP 15756000ull /* respWaitDelay for R=3, RTE=8, RWD=20 */
#define KA   10485760ull /* reinitKeepAlive for RKA=20 */
/* A keep-alive waits min(respWaitDelay, reinitKeepAlive) for its reply. */
#define KAW (KA < RESP ? KA : RESP)

#define ASSOC	 VDP_TLV_ASSOC
#define PRE	 VDP_TLV_PREASSOC
#define PRE_RR	 VDP_TLV_PREASSOC_RR
#define DEASSOC	 VDP_TLV_DEASSOC
#define RESPONSE VDP_STATUS_RESPONSE
#define KEEP	 VDP_STATUS_KEEP
#define HARD	 VDP_STATUS_HARD

struct fx {
	struct dl_heap h;
	struct vdp_vsi *v;
	struct vdp_st_params p;
	uint64_t now;
	struct vdp_sm_out out;
	struct vdp_vsi_tlv r; /* a reply being built */
	struct vdp_filter rf[4];
};

static const struct vdp_filter MAC_VID0 = {.mac = {0x52, 0x54, 0x00, 0xc7, 0x3e, 0xce}, .vid = 0};
static const struct vdp_filter MAC_VID100 = {
    .mac = {0x52, 0x54, 0x00, 0x00, 0x00, 0x02}, .vid = 100, .ps = true, .pcp = 5};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID, .id = {0xfa, 0x9b, 0x7f, 0xff, 0xb0, 0xa0}};
	struct vdp_filter two[2] = {MAC_VID0, MAC_VID100};

	if (!f)
		return -1;
	dl_heap_init(&f->h);
	f->v = vsi_new(&k, T0);
	f->v->type_id = 0x123456;
	f->v->type_ver = 1;
	vsi_set_filters(f->v, VDP_FIF_MACVID, two, 2);
	f->p = (struct vdp_st_params){.resp_wait_us = RESP, .keepalive_us = KA, .max_tries = 3};
	f->now = T0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	dl_heap_free(&f->h);
	vsi_free(f->v);
	free(f);
	return 0;
}

/* One step, its deadline applied to the heap as the port does. */
static void step(struct fx *f, enum vdp_st_event ev, const struct vdp_vsi_tlv *r)
{
	/* Garbage in: the step must fill every field. */
	f->out = (struct vdp_sm_out){true, 0xee, 0xee, true, true, true, true, true, 12345};
	vdp_station_step(f->v, ev, r, &f->p, f->now, &f->out);
	assert_int_equal(f->out.illegal, 0); /* every change in the state table */
	if (f->out.deadline && !f->out.remove)
		assert_int_equal(dl_set(&f->h, &f->v->timer, f->out.deadline), 0);
	else
		dl_cancel(&f->h, &f->v->timer);
}

/* Advance the fake clock; a deadline that fell due is stepped as EV_TIMER. */
static bool advance(struct fx *f, uint64_t dt)
{
	struct dl_node *n;

	f->now += dt;
	n = dl_pop_expired(&f->h, f->now);
	if (!n)
		return false;
	assert_ptr_equal(n, &f->v->timer);
	step(f, VDP_ST_EV_TIMER, NULL);
	return true;
}

static void expect_out(const struct fx *f, bool send, uint8_t type, uint8_t status, bool notify,
		       bool remove, uint64_t deadline)
{
	assert_int_equal(f->out.send, send);
	if (send) {
		assert_int_equal(f->out.tx_type, type);
		assert_int_equal(f->out.tx_status, status);
	}
	assert_false(f->out.decide);
	assert_false(f->out.bind);
	assert_false(f->out.unbind);
	assert_int_equal(f->out.notify, notify);
	assert_int_equal(f->out.remove, remove);
	assert_int_equal(f->out.deadline, deadline);
}

/* Nothing happened and the deadline stayed. */
static void expect_ignored(const struct fx *f, uint64_t deadline)
{
	expect_out(f, false, 0, 0, false, false, deadline);
}

static void expect_vsi(const struct fx *f, uint8_t state, uint8_t result, uint8_t reason)
{
	assert_string_equal(vdp_st_state_name(f->v->state), vdp_st_state_name(state));
	assert_string_equal(vsi_result_name(f->v->result), vsi_result_name(result));
	assert_int_equal(f->v->reason, reason);
}

/* The bridge's answer to what the VSI holds: type, status, filters copied
 * into f->rf so a test can alter them. */
static const struct vdp_vsi_tlv *reply(struct fx *f, uint8_t type, uint8_t status)
{
	vsi_to_tlv(f->v, type, status, &f->r);
	memcpy(f->rf, vsi_filters(f->v), f->v->nfilters * sizeof(f->rf[0]));
	f->r.filters = f->rf;
	return &f->r;
}

static void command(struct fx *f, uint8_t type, uint8_t hints)
{
	f->v->cmd = type;
	f->v->hints = hints;
	step(f, VDP_ST_EV_CMD, NULL);
}

/* Command `type` granted: WAIT_SYSCMD. */
static void confirm(struct fx *f, uint8_t type)
{
	command(f, type, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, type, RESPONSE));
	assert_int_equal(f->v->state, VDP_ST_WAIT_SYSCMD);
}

/* ---------------- commands and replies ---------------- */

static void test_assoc_sent_with_hints(void **state)
{
	struct fx *f = *state;

	command(f, ASSOC, VDP_STATUS_MBIT | 0x03); /* only M/S bits go out */
	expect_out(f, true, ASSOC, VDP_STATUS_MBIT, false, false, T0 + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	assert_int_equal(f->v->tries, 1);
	assert_int_equal(f->v->confirmed, 0);
	assert_int_equal(f->v->timer.at, T0 + RESP);
}

static void test_assoc_granted_vid_filled_in(void **state)
{
	struct fx *f = *state;
	const struct vdp_vsi_tlv *r;

	command(f, ASSOC, VDP_STATUS_SBIT);
	f->now += 2000;
	r = reply(f, ASSOC, RESPONSE);
	f->rf[0].vid = 3000; /* the bridge chose the VLAN of entry 0 */
	f->rf[0].ps = true;
	f->rf[0].pcp = 2;
	step(f, VDP_ST_EV_REPLY, r);
	expect_out(f, false, 0, 0, true, false, T0 + 2000 + KA);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->confirmed, ASSOC);
	assert_int_equal(f->v->status, RESPONSE);
	assert_int_equal(f->v->n_ok, 1);
	assert_int_equal(f->v->n_fail, 0);
	assert_int_equal(f->v->tries, 0);
	/* Adopted: VID, PS, PCP; the MAC and entry 1 unchanged. */
	assert_int_equal(vsi_filters(f->v)[0].vid, 3000);
	assert_true(vsi_filters(f->v)[0].ps);
	assert_int_equal(vsi_filters(f->v)[0].pcp, 2);
	assert_memory_equal(vsi_filters(f->v)[0].mac, MAC_VID0.mac, 6);
	assert_int_equal(vsi_filters(f->v)[1].vid, 100);
	assert_int_equal(vsi_filters(f->v)[1].pcp, 5);
	/* The keep-alive carries the adopted VID. */
	assert_true(advance(f, KA));
	expect_out(f, true, ASSOC, 0, false, false, T0 + 2000 + KA + KAW);
	vsi_to_tlv(f->v, f->out.tx_type, f->out.tx_status, &f->r);
	assert_int_equal(f->r.filters[0].vid, 3000);
}

static void test_preassoc_results(void **state)
{
	struct fx *f = *state;

	confirm(f, PRE);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_PREASSOCIATED, 0);
	assert_int_equal(f->v->confirmed, PRE);
	assert_true(f->out.notify);
	confirm(f, PRE_RR);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_PREASSOCIATED_RR, 0);
	assert_int_equal(f->v->confirmed, PRE_RR);
	assert_int_equal(f->v->n_ok, 2);
}

static void test_preassoc_then_assoc_upgrade(void **state)
{
	struct fx *f = *state;

	confirm(f, PRE);
	f->now += 1000;
	command(f, ASSOC, VDP_STATUS_MBIT);
	expect_out(f, true, ASSOC, VDP_STATUS_MBIT, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	assert_int_equal(f->v->confirmed, PRE); /* until the bridge agrees */
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_out(f, false, 0, 0, true, false, f->now + KA);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->confirmed, ASSOC);
	assert_int_equal(f->v->n_ok, 2);
}

static void test_error_without_keep_fails(void **state)
{
	struct fx *f = *state;

	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | HARD | VDP_RSN_NO_RESOURCES));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_NO_RESOURCES);
	assert_int_equal(f->v->status, 0x52);
	assert_int_equal(f->v->n_fail, 1);
	assert_int_equal(f->v->n_ok, 0);
	assert_int_equal(f->v->timer.idx, DL_NONE);
}

static void test_error_without_keep_ends_state_in_force(void **state)
{
	struct fx *f = *state;

	confirm(f, PRE);
	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | VDP_RSN_INVALID_FMT));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_INVALID_FMT);
	assert_int_equal(f->v->n_revert, 0);
}

static void test_keep_error_nothing_confirmed_fails(void **state)
{
	struct fx *f = *state;

	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | KEEP | VDP_RSN_OTHER));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_OTHER);
	assert_int_equal(f->v->n_revert, 0);
	assert_int_equal(f->v->n_fail, 1);
}

static void test_keep_error_reverts_to_confirmed(void **state)
{
	struct fx *f = *state;

	confirm(f, PRE);
	f->now += 500;
	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | KEEP | HARD | VDP_RSN_NO_RESOURCES));
	expect_out(f, false, 0, 0, true, false, f->now + KA);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_PREASSOCIATED, VDP_RSN_NO_RESOURCES);
	assert_int_equal(f->v->confirmed, PRE);
	assert_int_equal(f->v->status, 0x72);
	assert_int_equal(f->v->n_revert, 1);
	assert_int_equal(f->v->n_fail, 1);
	assert_int_equal(f->v->n_ok, 1);
	/* Keep-alives go on for what is in force. */
	assert_true(advance(f, KA));
	expect_out(f, true, PRE, 0, false, false, f->now + KAW);
	/* A new command starts clean. */
	command(f, ASSOC, 0);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
}

static void test_reason_zero_with_keep_is_success(void **state)
{
	struct fx *f = *state;

	/* lldpad: reason 0 means success whatever KEEP/HARD say. */
	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | KEEP));
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
}

static void test_filter_mismatch_fails_reason_5(void **state)
{
	struct fx *f = *state;
	const struct vdp_vsi_tlv *r;

	command(f, ASSOC, 0);
	r = reply(f, ASSOC, RESPONSE);
	f->rf[1].vid = 101; /* we asked for VID 100 there */
	step(f, VDP_ST_EV_REPLY, r);
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_INVALID_ID);
	assert_int_equal(f->v->status, RESPONSE);
	assert_int_equal(f->v->n_fail, 1);
	assert_int_equal(f->v->confirmed, 0);
	assert_int_equal(vsi_filters(f->v)[1].vid, 100); /* nothing adopted */
}

static void test_filter_mismatch_count_and_mac(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv *r;

	command(f, ASSOC, 0);
	r = (struct vdp_vsi_tlv *)reply(f, ASSOC, RESPONSE);
	r->nfilters = 1;
	step(f, VDP_ST_EV_REPLY, r);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_INVALID_ID);

	teardown(state);
	setup(state);
	f = *state;
	command(f, ASSOC, 0);
	r = (struct vdp_vsi_tlv *)reply(f, ASSOC, RESPONSE);
	f->rf[0].mac[0] ^= 0x02;
	step(f, VDP_ST_EV_REPLY, r);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_INVALID_ID);
}

static void test_stale_replies_ignored(void **state)
{
	struct fx *f = *state;

	/* Not waiting: INIT. */
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_ignored(f, 0);
	expect_vsi(f, VDP_ST_INIT, VSI_PENDING, 0);
	/* A Pre-Associate superseded by an Associate: its reply is stale. */
	command(f, PRE, 0);
	f->now += 100;
	command(f, ASSOC, 0);
	expect_out(f, true, ASSOC, 0, false, false, T0 + 100 + RESP);
	assert_int_equal(f->v->tries, 1);
	step(f, VDP_ST_EV_REPLY, reply(f, PRE, RESPONSE));
	expect_ignored(f, T0 + 100 + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	assert_int_equal(f->v->status, 0); /* not recorded */
	/* A successful De-Associate reply is not ours either. */
	step(f, VDP_ST_EV_REPLY, reply(f, DEASSOC, RESPONSE));
	expect_ignored(f, T0 + 100 + RESP);
	/* No TLV at all. */
	step(f, VDP_ST_EV_REPLY, NULL);
	expect_ignored(f, T0 + 100 + RESP);
	/* The real one. */
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	/* A duplicate (our request was sent twice) in WAIT_SYSCMD. */
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | VDP_RSN_OTHER));
	expect_ignored(f, T0 + 100 + KA);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->n_ok, 1);
}

static void test_deassoc_refusal_of_request(void **state)
{
	struct fx *f = *state;

	/* The bridge refuses an Associate with a De-Associate reply (802.1Qbg 41.5). */
	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, DEASSOC, RESPONSE | VDP_RSN_NO_MANAGER));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_NO_MANAGER);
	assert_int_equal(f->v->status, 0x43);
	assert_int_equal(f->v->n_fail, 1);
}

static void test_response_wait_retry_then_failure(void **state)
{
	struct fx *f = *state;

	command(f, ASSOC, VDP_STATUS_MBIT);
	assert_false(advance(f, RESP - 1));
	assert_true(advance(f, 1));
	expect_out(f, true, ASSOC, VDP_STATUS_MBIT, false, false, T0 + 2 * RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	assert_int_equal(f->v->tries, 2);
	assert_true(advance(f, RESP));
	expect_out(f, true, ASSOC, VDP_STATUS_MBIT, false, false, T0 + 3 * RESP);
	assert_int_equal(f->v->tries, 3);
	assert_true(advance(f, RESP));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, 0);
	assert_int_equal(f->v->n_fail, 1);
	assert_int_equal(f->v->tries, 0);
	assert_int_equal(dl_next(&f->h), 0);
}

static void test_retry_answered(void **state)
{
	struct fx *f = *state;

	command(f, ASSOC, 0);
	assert_true(advance(f, RESP));
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->tries, 0);
	assert_int_equal(f->v->timer.at, T0 + RESP + KA);
}

static void test_single_try(void **state)
{
	struct fx *f = *state;

	f->p.max_tries = 0; /* taken as 1 */
	command(f, ASSOC, 0);
	assert_true(advance(f, RESP));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, 0);
}

static void test_tx_failed(void **state)
{
	struct fx *f = *state;

	/* ECP gave up: nothing now, the answer may still come; the wait
	 * running out retries as usual, and a late answer is taken. */
	command(f, ASSOC, 0);
	f->now += 10;
	step(f, VDP_ST_EV_TX_FAILED, NULL);
	expect_ignored(f, T0 + RESP);
	assert_int_equal(f->v->tries, 1);
	assert_true(advance(f, RESP - 10));
	expect_out(f, true, ASSOC, 0, false, false, T0 + 2 * RESP);
	assert_int_equal(f->v->tries, 2);
	step(f, VDP_ST_EV_TX_FAILED, NULL);
	expect_ignored(f, T0 + 2 * RESP);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
}

static void test_tx_failed_when_not_waiting(void **state)
{
	struct fx *f = *state;

	step(f, VDP_ST_EV_TX_FAILED, NULL);
	expect_ignored(f, 0);
	confirm(f, ASSOC);
	step(f, VDP_ST_EV_TX_FAILED, NULL); /* e.g. our earlier PDU, already answered */
	expect_ignored(f, T0 + KA);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
}

/* ---------------- keep-alives ---------------- */

static void test_keepalive_at_reinit(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	assert_false(advance(f, KA - 1));
	assert_true(advance(f, 1));
	expect_out(f, true, ASSOC, 0, false, false, T0 + KA + KAW);
	expect_vsi(f, VDP_ST_KAWAIT, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->tries, 1);
	f->now += 3000;
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_out(f, false, 0, 0, false, false, T0 + KA + 3000 + KA);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->n_ok, 1); /* a keep-alive is not a command */
	/* And again, forever. */
	assert_true(advance(f, KA));
	expect_out(f, true, ASSOC, 0, false, false, f->now + KAW);
}

/* Associated; a keep-alive goes out; *late (filters in lf) is the bridge's
 * answer to it, held back; then the VLAN changes as vdp_port_request does
 * it (saved copy, new filters) and the change is sent. */
static void keepalive_then_change(struct fx *f, struct vdp_vsi_tlv *late, struct vdp_filter lf[4])
{
	struct vdp_filter moved = MAC_VID100;

	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	*late = *reply(f, ASSOC, RESPONSE);
	memcpy(lf, f->rf, 4 * sizeof(lf[0]));
	late->filters = lf;
	assert_int_equal(vsi_save(f->v), 0);
	moved.vid = 200;
	assert_int_equal(vsi_set_filters(f->v, VDP_FIF_MACVID, &moved, 1), 0);
	command(f, ASSOC, 0);
}

/* A keep-alive's answer arriving after a change of filters was sent grants
 * what was in force: late, not the change's answer (it once failed the VSI
 * with reason 5). */
static void test_late_keepalive_reply_during_change(void **state)
{
	struct fx *f = *state;
	struct vdp_filter lf[4];
	struct vdp_vsi_tlv late;
	uint64_t deadline;

	keepalive_then_change(f, &late, lf);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	deadline = f->out.deadline;
	step(f, VDP_ST_EV_REPLY, &late);
	expect_ignored(f, deadline);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	/* a refusal with the old filters is the change's answer */
	late.status = RESPONSE | VDP_RSN_NO_RESOURCES;
	step(f, VDP_ST_EV_REPLY, &late);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_INVALID_ID);
}

/* ... and the change's own answer after the late one grants it. */
static void test_late_keepalive_reply_then_grant(void **state)
{
	struct fx *f = *state;
	struct vdp_filter lf[4];
	struct vdp_vsi_tlv late;

	keepalive_then_change(f, &late, lf);
	step(f, VDP_ST_EV_REPLY, &late);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->nfilters, 1);
	assert_int_equal(vsi_filters(f->v)[0].vid, 200);
	assert_null(f->v->saved);
}

static void test_keepalive_uses_no_hints(void **state)
{
	struct fx *f = *state;

	command(f, PRE, VDP_STATUS_MBIT);
	step(f, VDP_ST_EV_REPLY, reply(f, PRE, RESPONSE));
	assert_true(advance(f, KA));
	expect_out(f, true, PRE, 0, false, false, f->now + KAW);
	assert_false(advance(f, KAW - 1)); /* retried after reinitKeepAlive, not respWaitDelay */
	assert_true(advance(f, 1));	   /* its retry carries no hints either */
	expect_out(f, true, PRE, 0, false, false, f->now + KAW);
}

static void test_keepalive_timeout_retries_then_failure(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	assert_true(advance(f, KAW));
	expect_out(f, true, ASSOC, 0, false, false, T0 + KA + 2 * KAW);
	expect_vsi(f, VDP_ST_KAWAIT, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->tries, 2);
	assert_true(advance(f, KAW));
	assert_int_equal(f->v->tries, 3);
	assert_true(advance(f, KAW));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, 0);
	assert_int_equal(f->v->n_fail, 1);
}

static void test_keepalive_tx_failed_retries(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	/* A keep-alive is repeated at once: the bridge's toutKeepAlive runs. */
	step(f, VDP_ST_EV_TX_FAILED, NULL);
	expect_out(f, true, ASSOC, 0, false, false, f->now + KAW);
	assert_int_equal(f->v->tries, 2);
}

static void test_keepalive_error_without_keep(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | VDP_RSN_OTHER));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_OTHER);
	assert_int_equal(f->v->n_fail, 1);
}

static void test_keepalive_keep_on_assoc_deassociates(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	f->v->hints = VDP_STATUS_MBIT; /* left from the request: not reused */
	assert_true(advance(f, KA));
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | KEEP | VDP_RSN_NO_RESOURCES));
	/* TXMIT_DEASSOC */
	expect_out(f, true, DEASSOC, 0, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_DEAWAIT, VSI_ASSOCIATED, VDP_RSN_NO_RESOURCES);
	assert_int_equal(f->v->cmd, DEASSOC);
	assert_int_equal(f->v->tries, 1);
	assert_int_equal(f->v->n_fail, 1);
	/* A late Associate reply is stale now. */
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_ignored(f, f->now + RESP);
	/* The bridge confirms: the reason that made us leave stays. */
	step(f, VDP_ST_EV_REPLY, reply(f, DEASSOC, RESPONSE));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, VDP_RSN_NO_RESOURCES);
	assert_int_equal(f->v->n_ok, 2);
}

static void test_keepalive_keep_on_preassoc_stays(void **state)
{
	struct fx *f = *state;

	confirm(f, PRE);
	assert_true(advance(f, KA));
	step(f, VDP_ST_EV_REPLY, reply(f, PRE, RESPONSE | KEEP | VDP_RSN_NO_MANAGER));
	expect_out(f, false, 0, 0, true, false, f->now + KA);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_PREASSOCIATED, VDP_RSN_NO_MANAGER);
	assert_int_equal(f->v->n_revert, 1);
	assert_int_equal(f->v->n_fail, 1);
}

static void test_keepalive_filter_mismatch(void **state)
{
	struct fx *f = *state;
	const struct vdp_vsi_tlv *r;

	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	r = reply(f, ASSOC, RESPONSE);
	f->rf[0].vid = 7; /* we hold a VID now (adopted 0): must match */
	vsi_filters_mut(f->v)[0].vid = 8;
	step(f, VDP_ST_EV_REPLY, r);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_INVALID_ID);
}

static void test_keepalive_refused_by_deassoc(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	step(f, VDP_ST_EV_REPLY, reply(f, DEASSOC, RESPONSE | VDP_RSN_OTHER));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_FAILED, VDP_RSN_OTHER);
}

static void test_keepalive_stale_type_ignored(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	step(f, VDP_ST_EV_REPLY, reply(f, PRE, RESPONSE));
	expect_ignored(f, f->now + KAW);
	expect_vsi(f, VDP_ST_KAWAIT, VSI_ASSOCIATED, 0);
}

/* ---------------- de-association ---------------- */

static void test_deassoc_from_init_sends_nothing(void **state)
{
	struct fx *f = *state;

	command(f, DEASSOC, 0);
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, 0);
	assert_int_equal(f->v->n_ok + f->v->n_fail, 0);
}

static void test_deassoc_from_wait_syscmd(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	f->now += 77;
	command(f, DEASSOC, VDP_STATUS_SBIT);
	expect_out(f, true, DEASSOC, VDP_STATUS_SBIT, false, false, T0 + 77 + RESP);
	expect_vsi(f, VDP_ST_DEAWAIT, VSI_PENDING, 0);
	assert_int_equal(f->v->tries, 1);
	step(f, VDP_ST_EV_REPLY, reply(f, DEASSOC, RESPONSE));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, 0);
	assert_int_equal(f->v->n_ok, 2);
}

static void test_deassoc_supersedes_exchange(void **state)
{
	struct fx *f = *state;

	/* From PROCWAIT. */
	command(f, ASSOC, 0);
	command(f, DEASSOC, 0);
	expect_out(f, true, DEASSOC, 0, false, false, T0 + RESP);
	expect_vsi(f, VDP_ST_DEAWAIT, VSI_PENDING, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE)); /* stale */
	expect_ignored(f, T0 + RESP);
	expect_vsi(f, VDP_ST_DEAWAIT, VSI_PENDING, 0);

	/* From KAWAIT. */
	teardown(state);
	setup(state);
	f = *state;
	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	command(f, DEASSOC, 0);
	expect_out(f, true, DEASSOC, 0, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_DEAWAIT, VSI_PENDING, 0);
}

static void test_deassoc_unanswered_still_ends(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	command(f, DEASSOC, 0);
	assert_true(advance(f, RESP));
	expect_out(f, true, DEASSOC, 0, false, false, f->now + RESP);
	assert_int_equal(f->v->tries, 2);
	assert_true(advance(f, RESP));
	assert_true(advance(f, RESP));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, 0);
	assert_int_equal(f->v->n_fail, 1);
}

static void test_deassoc_error_reply(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	command(f, DEASSOC, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, DEASSOC, RESPONSE | VDP_RSN_OTHER));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, VDP_RSN_OTHER);
	assert_int_equal(f->v->n_fail, 1);
	assert_int_equal(f->v->n_ok, 1);
}

static void test_new_command_after_deassoc_started(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	command(f, DEASSOC, 0);
	command(f, ASSOC, 0); /* changed its mind: supersedes */
	expect_out(f, true, ASSOC, 0, false, false, T0 + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	/* The De-Associate's success reply is stale for the Associate. */
	step(f, VDP_ST_EV_REPLY, reply(f, DEASSOC, RESPONSE));
	expect_ignored(f, T0 + RESP);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
}

static void test_bridge_deassoc(void **state)
{
	struct fx *f = *state;
	const struct vdp_vsi_tlv *r;

	/* INIT: nothing to end. */
	step(f, VDP_ST_EV_BRIDGE_DEASSOC, reply(f, DEASSOC, 0));
	expect_ignored(f, 0);
	expect_vsi(f, VDP_ST_INIT, VSI_PENDING, 0);
	confirm(f, ASSOC);
	r = reply(f, DEASSOC, 0x00);
	step(f, VDP_ST_EV_BRIDGE_DEASSOC, r);
	expect_out(f, false, 0, 0, true, true, 0); /* no VDP answer */
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, 0);
	assert_int_equal(f->v->status, 0);
	assert_int_equal(dl_next(&f->h), 0);
	/* END: ignores everything. */
	step(f, VDP_ST_EV_BRIDGE_DEASSOC, r);
	expect_ignored(f, 0);
}

static void test_bridge_deassoc_with_reason_while_waiting(void **state)
{
	struct fx *f = *state;

	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_BRIDGE_DEASSOC, reply(f, DEASSOC, HARD | VDP_RSN_NO_MANAGER));
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, VDP_RSN_NO_MANAGER);
	assert_int_equal(f->v->status, 0x13);

	teardown(state);
	setup(state);
	f = *state;
	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	assert_true(f->v->flags & VSI_F_LINKDOWN);
	step(f, VDP_ST_EV_BRIDGE_DEASSOC, NULL); /* no TLV: reason 0 */
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, 0);
	assert_false(f->v->flags & VSI_F_LINKDOWN);
}

static void test_link_up_after_revert_resends_refused_command(void **state)
{
	struct fx *f = *state;

	confirm(f, PRE);
	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE | KEEP | VDP_RSN_NO_RESOURCES));
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_PREASSOCIATED, VDP_RSN_NO_RESOURCES);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	expect_vsi(f, VDP_ST_LINKDOWN, VSI_PREASSOCIATED, VDP_RSN_NO_RESOURCES);
	step(f, VDP_ST_EV_LINK_UP, NULL);
	/* The command last asked for is asked again; not in force yet. */
	expect_out(f, true, ASSOC, 0, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, VDP_RSN_NO_RESOURCES);
	assert_int_equal(f->v->confirmed, PRE);
}

/* ---------------- link ---------------- */

static void test_link_down_up_resends_exchange(void **state)
{
	struct fx *f = *state;

	command(f, ASSOC, VDP_STATUS_MBIT);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	expect_ignored(f, 0);
	expect_vsi(f, VDP_ST_LINKDOWN, VSI_PENDING, 0);
	assert_true(f->v->flags & VSI_F_LINKDOWN);
	assert_int_equal(dl_next(&f->h), 0);
	/* Replies, timers and failures mean nothing while down. */
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_ignored(f, 0);
	step(f, VDP_ST_EV_TIMER, NULL);
	expect_ignored(f, 0);
	step(f, VDP_ST_EV_TX_FAILED, NULL);
	expect_ignored(f, 0);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	expect_ignored(f, 0);
	f->now += 5000000;
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_out(f, true, ASSOC, VDP_STATUS_MBIT, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	assert_false(f->v->flags & VSI_F_LINKDOWN);
	assert_int_equal(f->v->tries, 1);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	/* Link up when not down: nothing. */
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_ignored(f, f->now + KA);
}

static void test_link_down_up_confirmed(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	expect_ignored(f, 0);
	expect_vsi(f, VDP_ST_LINKDOWN, VSI_ASSOCIATED, 0);
	assert_false(f->v->flags & VSI_F_LINKDOWN); /* no exchange was interrupted */
	f->now += 100;
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_out(f, true, ASSOC, 0, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_ASSOCIATED, 0); /* still in force */
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	expect_out(f, false, 0, 0, false, false, f->now + KA); /* nothing changed */
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
}

static void test_link_down_in_kawait_and_deawait(void **state)
{
	struct fx *f = *state;

	confirm(f, ASSOC);
	assert_true(advance(f, KA));
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	assert_true(f->v->flags & VSI_F_LINKDOWN);
	assert_int_equal(f->v->tries, 0);
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_out(f, true, ASSOC, 0, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_ASSOCIATED, 0);
	command(f, DEASSOC, 0);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_out(f, true, DEASSOC, 0, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_DEAWAIT, VSI_PENDING, 0);
}

static void test_command_while_link_down(void **state)
{
	struct fx *f = *state;

	confirm(f, PRE);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	command(f, ASSOC, VDP_STATUS_MBIT);
	expect_ignored(f, 0); /* recorded, sent on link up */
	expect_vsi(f, VDP_ST_LINKDOWN, VSI_PENDING, 0);
	assert_true(f->v->flags & VSI_F_LINKDOWN);
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_out(f, true, ASSOC, VDP_STATUS_MBIT, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
}

static void test_deassoc_while_link_down(void **state)
{
	struct fx *f = *state;

	/* Something was sent before: the De-Associate goes out on link up. */
	confirm(f, ASSOC);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	command(f, DEASSOC, 0);
	expect_ignored(f, 0);
	expect_vsi(f, VDP_ST_LINKDOWN, VSI_PENDING, 0);
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_out(f, true, DEASSOC, 0, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_DEAWAIT, VSI_PENDING, 0);
}

static void test_link_down_before_any_command(void **state)
{
	struct fx *f = *state;

	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	expect_ignored(f, 0);
	expect_vsi(f, VDP_ST_LINKDOWN, VSI_PENDING, 0);
	assert_false(f->v->flags & VSI_F_LINKDOWN);
	/* Up again with no command: back to INIT. */
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_ignored(f, 0);
	expect_vsi(f, VDP_ST_INIT, VSI_PENDING, 0);
	/* Down, then De-Associate: nothing was ever sent, so nothing is. */
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	command(f, DEASSOC, 0);
	expect_out(f, false, 0, 0, true, true, 0);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, 0);
}

static void test_link_down_interrupted_then_deassoc_is_sent(void **state)
{
	struct fx *f = *state;

	/* The Associate may have reached the bridge: De-Associate on link up. */
	command(f, ASSOC, 0);
	step(f, VDP_ST_EV_LINK_DOWN, NULL);
	command(f, DEASSOC, 0);
	expect_ignored(f, 0);
	step(f, VDP_ST_EV_LINK_UP, NULL);
	expect_out(f, true, DEASSOC, 0, false, false, f->now + RESP);
}

/* ---------------- odds and ends ---------------- */

static void test_invalid_command_and_end(void **state)
{
	struct fx *f = *state;

	command(f, 0, 0);
	expect_ignored(f, 0);
	command(f, VDP_TLV_MGRID, 0);
	expect_ignored(f, 0);
	expect_vsi(f, VDP_ST_INIT, VSI_PENDING, 0);
	/* Timer in INIT; an event that does not exist. */
	step(f, VDP_ST_EV_TIMER, NULL);
	expect_ignored(f, 0);
	step(f, (enum vdp_st_event)99, NULL);
	expect_ignored(f, 0);
	/* END ignores everything. */
	command(f, DEASSOC, 0);
	assert_int_equal(f->v->state, VDP_ST_END);
	for (int ev = VDP_ST_EV_CMD; ev <= VDP_ST_EV_LINK_UP; ev++) {
		f->v->cmd = ASSOC;
		step(f, (enum vdp_st_event)ev, reply(f, ASSOC, RESPONSE));
		expect_ignored(f, 0);
		expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, 0);
	}
}

static void test_wait_syscmd_without_confirmed_state(void **state)
{
	struct fx *f = *state;

	/* Not reachable by the machine (e.g. a bad restore): no keep-alive
	 * of type 0 goes out. */
	f->v->state = VDP_ST_WAIT_SYSCMD;
	step(f, VDP_ST_EV_TIMER, NULL);
	expect_ignored(f, 0);
	assert_int_equal(f->v->state, VDP_ST_WAIT_SYSCMD);
}

static void test_reassociate_while_associated(void **state)
{
	struct fx *f = *state;

	/* libvirt re-sends ASSOCIATE after a restart: a new exchange. */
	confirm(f, ASSOC);
	command(f, ASSOC, 0);
	expect_out(f, true, ASSOC, 0, false, false, f->now + RESP);
	expect_vsi(f, VDP_ST_PROCWAIT, VSI_PENDING, 0);
	step(f, VDP_ST_EV_REPLY, reply(f, ASSOC, RESPONSE));
	assert_true(f->out.notify);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(vdp_st_state_name(VDP_ST_INIT), "init");
	assert_string_equal(vdp_st_state_name(VDP_ST_PROCWAIT), "procwait");
	assert_string_equal(vdp_st_state_name(VDP_ST_WAIT_SYSCMD), "wait-syscmd");
	assert_string_equal(vdp_st_state_name(VDP_ST_KAWAIT), "kawait");
	assert_string_equal(vdp_st_state_name(VDP_ST_DEAWAIT), "deawait");
	assert_string_equal(vdp_st_state_name(VDP_ST_LINKDOWN), "linkdown");
	assert_string_equal(vdp_st_state_name(VDP_ST_END), "end");
	assert_string_equal(vdp_st_state_name(VDP_ST_END + 1), "unknown");
}

/* Station and bridge machines talking to each other through TLV views. */
static void test_with_bridge_machine(void **state)
{
	struct fx *f = *state;
	struct vdp_br_params bp = {.resource_wait_us = 10485760, .tout_keepalive_us = RESP};
	struct vdp_vsi_key k = f->v->key;
	struct vdp_vsi *b = vsi_new(&k, T0);
	struct vdp_filter granted[2];
	struct vdp_decision grant = {.verdict = VDP_GRANT, .filters = granted, .nfilters = 2};
	struct vdp_sm_out bo;
	struct vdp_vsi_tlv req, rsp;

	command(f, ASSOC, 0);
	vsi_to_tlv(f->v, f->out.tx_type, f->out.tx_status, &req);
	vdp_bridge_step(b, VDP_BR_EV_REQUEST, &req, NULL, &bp, f->now, &bo);
	assert_true(bo.decide);
	memcpy(granted, vsi_filters(b), sizeof(granted));
	granted[0].vid = 42; /* the bridge fills in VID 0 */
	vdp_bridge_step(b, VDP_BR_EV_DECISION, NULL, &grant, &bp, f->now, &bo);
	assert_true(bo.send && bo.bind);
	vsi_to_tlv(b, bo.tx_type, bo.tx_status, &rsp);
	step(f, VDP_ST_EV_REPLY, &rsp);
	expect_vsi(f, VDP_ST_WAIT_SYSCMD, VSI_ASSOCIATED, 0);
	assert_int_equal(vsi_filters(f->v)[0].vid, 42);
	/* The keep-alive is recognised as one: no new policy question. */
	assert_true(advance(f, KA));
	vsi_to_tlv(f->v, f->out.tx_type, f->out.tx_status, &req);
	vdp_bridge_step(b, VDP_BR_EV_REQUEST, &req, NULL, &bp, f->now, &bo);
	assert_false(bo.decide);
	assert_true(bo.send);
	vsi_to_tlv(b, bo.tx_type, bo.tx_status, &rsp);
	step(f, VDP_ST_EV_REPLY, &rsp);
	expect_out(f, false, 0, 0, false, false, f->now + KA);
	/* The bridge drops it: unsolicited De-Associate. */
	vdp_bridge_step(b, VDP_BR_EV_ADMIN_DEASSOC, NULL, NULL, &bp, f->now, &bo);
	vsi_to_tlv(b, bo.tx_type, bo.tx_status, &rsp);
	assert_int_equal(rsp.status & VDP_STATUS_RESPONSE, 0);
	step(f, VDP_ST_EV_BRIDGE_DEASSOC, &rsp);
	expect_vsi(f, VDP_ST_END, VSI_DEASSOCIATED, 0);
	vsi_free(b);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_assoc_sent_with_hints),
	    T(test_assoc_granted_vid_filled_in),
	    T(test_preassoc_results),
	    T(test_preassoc_then_assoc_upgrade),
	    T(test_error_without_keep_fails),
	    T(test_error_without_keep_ends_state_in_force),
	    T(test_keep_error_nothing_confirmed_fails),
	    T(test_keep_error_reverts_to_confirmed),
	    T(test_reason_zero_with_keep_is_success),
	    T(test_filter_mismatch_fails_reason_5),
	    T(test_filter_mismatch_count_and_mac),
	    T(test_stale_replies_ignored),
	    T(test_deassoc_refusal_of_request),
	    T(test_response_wait_retry_then_failure),
	    T(test_retry_answered),
	    T(test_single_try),
	    T(test_tx_failed),
	    T(test_tx_failed_when_not_waiting),
	    T(test_keepalive_at_reinit),
	    T(test_keepalive_uses_no_hints),
	    T(test_late_keepalive_reply_during_change),
	    T(test_late_keepalive_reply_then_grant),
	    T(test_keepalive_timeout_retries_then_failure),
	    T(test_keepalive_tx_failed_retries),
	    T(test_keepalive_error_without_keep),
	    T(test_keepalive_keep_on_assoc_deassociates),
	    T(test_keepalive_keep_on_preassoc_stays),
	    T(test_keepalive_filter_mismatch),
	    T(test_keepalive_refused_by_deassoc),
	    T(test_keepalive_stale_type_ignored),
	    T(test_deassoc_from_init_sends_nothing),
	    T(test_deassoc_from_wait_syscmd),
	    T(test_deassoc_supersedes_exchange),
	    T(test_deassoc_unanswered_still_ends),
	    T(test_deassoc_error_reply),
	    T(test_new_command_after_deassoc_started),
	    T(test_bridge_deassoc),
	    T(test_bridge_deassoc_with_reason_while_waiting),
	    T(test_link_down_up_resends_exchange),
	    T(test_link_down_up_confirmed),
	    T(test_link_up_after_revert_resends_refused_command),
	    T(test_link_down_in_kawait_and_deawait),
	    T(test_command_while_link_down),
	    T(test_deassoc_while_link_down),
	    T(test_link_down_before_any_command),
	    T(test_link_down_interrupted_then_deassoc_is_sent),
	    T(test_invalid_command_and_end),
	    T(test_wait_syscmd_without_confirmed_state),
	    T(test_reassociate_while_associated),
	    T(test_state_names),
	    T(test_with_bridge_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
