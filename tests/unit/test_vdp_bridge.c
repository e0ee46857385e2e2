/* SPDX-License-Identifier: ISC */
/*
 * test_vdp_bridge.c - unit tests of the bridge VDP machine (vdp_sm.c,
 * 802.1Qbg 41.5 with the choices listed in vdp_sm.h), every transition driven by a
 * fake clock and a real deadline heap applied the way the port applies it;
 * bind/unbind actions are counted over whole lifecycles.
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

#include "alloc_fail.h"

#define T0    5000000ull  /* µs */
#define RWAIT 10485760ull /* resourceWaitDelay, RWD=20 */
#define TOUT  15756000ull /* toutKeepAlive, R=3 RTE=8 RKA=20 */

#define ASSOC	 VDP_TLV_ASSOC
#define PRE	 VDP_TLV_PREASSOC
#define PRE_RR	 VDP_TLV_PREASSOC_RR
#define DEASSOC	 VDP_TLV_DEASSOC
#define RESPONSE VDP_STATUS_RESPONSE
#define KEEP	 VDP_STATUS_KEEP
#define HARD	 VDP_STATUS_HARD

static const struct vdp_filter REQ_F[2] = {
    {.mac = {0x52, 0x54, 0x00, 0xc7, 0x3e, 0xce}, .vid = 0},
    {.mac = {0x52, 0x54, 0x00, 0x00, 0x00, 0x02}, .vid = 100, .ps = true, .pcp = 5},
};
static const uint8_t ORG[] = {0xfe, 0x05, 0x00, 0x00, 0x0c, 0xf1, 0x01};

struct fx {
	struct dl_heap h;
	struct vdp_vsi *v;
	struct vdp_br_params p;
	uint64_t now;
	struct vdp_sm_out out;
	struct vdp_vsi_tlv req;
	struct vdp_filter rf[2];
	int binds, unbinds; /* over the whole test */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID, .id = {0xfa, 0x9b, 0x7f, 0xff, 0xb0, 0xa0}};

	if (!f)
		return -1;
	dl_heap_init(&f->h);
	f->v = vsi_new(&k, T0);
	f->p = (struct vdp_br_params){.resource_wait_us = RWAIT, .tout_keepalive_us = TOUT};
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

/* A station request (response bit clear) for the VSI; f->rf may be altered. */
static struct vdp_vsi_tlv *request(struct fx *f, uint8_t type)
{
	memcpy(f->rf, REQ_F, sizeof(f->rf));
	f->req = (struct vdp_vsi_tlv){
	    .type = type,
	    .status = 0,
	    .type_id = 0x123456,
	    .type_ver = 1,
	    .vsiid_fmt = f->v->key.fmt,
	    .fif = VDP_FIF_MACVID,
	    .nfilters = 2,
	    .filters = f->rf,
	    .org = ORG,
	    .org_len = sizeof(ORG),
	};
	memcpy(f->req.vsiid, f->v->key.id, VDP_VSIID_LEN);
	return &f->req;
}

static void step(struct fx *f, enum vdp_br_event ev, const struct vdp_vsi_tlv *req,
		 const struct vdp_decision *dec)
{
	f->out = (struct vdp_sm_out){true, 0xee, 0xee, true, true, true, true, true, 12345};
	vdp_bridge_step(f->v, ev, req, dec, &f->p, f->now, &f->out);
	assert_int_equal(f->out.illegal, 0); /* every change in the state table */
	assert_false(f->out.bind && f->out.unbind);
	f->binds += f->out.bind;
	f->unbinds += f->out.unbind;
	assert_int_equal(!!(f->v->flags & VSI_F_BOUND), f->binds - f->unbinds);
	if (f->out.deadline && !f->out.remove)
		assert_int_equal(dl_set(&f->h, &f->v->timer, f->out.deadline), 0);
	else
		dl_cancel(&f->h, &f->v->timer);
}

static bool advance(struct fx *f, uint64_t dt)
{
	struct dl_node *n;

	f->now += dt;
	n = dl_pop_expired(&f->h, f->now);
	if (!n)
		return false;
	assert_ptr_equal(n, &f->v->timer);
	step(f, VDP_BR_EV_TIMER, NULL, NULL);
	return true;
}

static void decide(struct fx *f, enum vdp_verdict verdict, uint8_t reason, bool hard)
{
	struct vdp_decision d = {.verdict = verdict, .reason = reason, .hard = hard};

	step(f, VDP_BR_EV_DECISION, NULL, &d);
}

enum { SEND = 1, DECIDE = 2, BIND = 4, UNBIND = 8, NOTIFY = 16, REMOVE = 32 };

static void expect_out(const struct fx *f, int what, uint8_t type, uint8_t status,
		       uint64_t deadline)
{
	assert_int_equal(f->out.send, !!(what & SEND));
	if (what & SEND) {
		assert_int_equal(f->out.tx_type, type);
		assert_int_equal(f->out.tx_status, status);
	}
	assert_int_equal(f->out.decide, !!(what & DECIDE));
	assert_int_equal(f->out.bind, !!(what & BIND));
	assert_int_equal(f->out.unbind, !!(what & UNBIND));
	assert_int_equal(f->out.notify, !!(what & NOTIFY));
	assert_int_equal(f->out.remove, !!(what & REMOVE));
	assert_int_equal(f->out.deadline, deadline);
}

static void expect_vsi(const struct fx *f, uint8_t state, uint8_t confirmed, uint8_t result,
		       uint8_t reason)
{
	assert_string_equal(vdp_br_state_name(f->v->state), vdp_br_state_name(state));
	assert_int_equal(f->v->confirmed, confirmed);
	assert_string_equal(vsi_result_name(f->v->result), vsi_result_name(result));
	assert_int_equal(f->v->reason, reason);
}

/* Request `type` and grant it as requested. */
static void granted(struct fx *f, uint8_t type)
{
	step(f, VDP_BR_EV_REQUEST, request(f, type), NULL);
	assert_true(f->out.decide);
	decide(f, VDP_GRANT, 0, false);
	assert_int_equal(f->v->state, VDP_BR_WAITCMD);
}

/* ---------------- requests and decisions ---------------- */

static void test_request_asks_policy(void **state)
{
	struct fx *f = *state;

	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	expect_out(f, DECIDE, 0, 0, T0 + RWAIT);
	expect_vsi(f, VDP_BR_PROCESS, 0, VSI_PENDING, 0);
	assert_int_equal(f->v->cmd, ASSOC);
	/* The request is recorded for the policy and the reply. */
	assert_int_equal(f->v->type_id, 0x123456);
	assert_int_equal(f->v->type_ver, 1);
	assert_int_equal(f->v->fif, VDP_FIF_MACVID);
	assert_int_equal(f->v->nfilters, 2);
	assert_memory_equal(vsi_filters(f->v)[0].mac, REQ_F[0].mac, 6);
	assert_int_equal(vsi_filters(f->v)[1].vid, 100);
	assert_int_equal(f->v->org_len, sizeof(ORG));
	assert_memory_equal(f->v->org, ORG, sizeof(ORG));
}

static void test_grant_assoc_binds(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv t;

	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	f->now += 1000;
	decide(f, VDP_GRANT, 0, false);
	expect_out(f, SEND | BIND | NOTIFY, ASSOC, RESPONSE, T0 + 1000 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, ASSOC, VSI_ASSOCIATED, 0);
	assert_true(f->v->flags & VSI_F_BOUND);
	assert_int_equal(f->v->status, RESPONSE);
	assert_int_equal(f->v->n_ok, 1);
	assert_int_equal(f->binds, 1);
	/* The reply echoes the request. */
	vsi_to_tlv(f->v, f->out.tx_type, f->out.tx_status, &t);
	assert_int_equal(t.type_id, 0x123456);
	assert_int_equal(t.nfilters, 2);
	assert_int_equal(t.filters[0].vid, 0);
	assert_int_equal(t.org_len, sizeof(ORG));
}

static void test_grant_with_bridge_vids(void **state)
{
	struct fx *f = *state;
	struct vdp_filter chosen[2];
	struct vdp_decision d = {.verdict = VDP_GRANT, .filters = chosen, .nfilters = 2};
	struct vdp_vsi_tlv t;

	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	memcpy(chosen, REQ_F, sizeof(chosen));
	chosen[0].vid = 300;
	step(f, VDP_BR_EV_DECISION, NULL, &d);
	expect_out(f, SEND | BIND | NOTIFY, ASSOC, RESPONSE, T0 + TOUT);
	vsi_to_tlv(f->v, f->out.tx_type, f->out.tx_status, &t);
	assert_int_equal(t.filters[0].vid, 300);
	assert_int_equal(t.fif, VDP_FIF_MACVID);
	/* The station's keep-alive carries the VID it adopted. */
	struct vdp_vsi_tlv *ka = request(f, ASSOC);
	f->rf[0].vid = 300;
	step(f, VDP_BR_EV_REQUEST, ka, NULL);
	expect_out(f, SEND, ASSOC, RESPONSE, T0 + TOUT);
}

static void test_grant_empty_filter_list_keeps_requested(void **state)
{
	struct fx *f = *state;
	struct vdp_filter none[1] = {{.vid = 9}};
	struct vdp_decision d = {.verdict = VDP_GRANT, .filters = none, .nfilters = 0};

	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	step(f, VDP_BR_EV_DECISION, NULL, &d);
	expect_out(f, SEND | BIND | NOTIFY, ASSOC, RESPONSE, T0 + TOUT);
	assert_int_equal(f->v->nfilters, 2);
	assert_int_equal(vsi_filters(f->v)[1].vid, 100);
}

static void test_type_id_24_bits(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv *r = request(f, ASSOC);

	r->type_id = 0xff123456; /* only 24 bits exist on the wire */
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	assert_int_equal(f->v->type_id, 0x123456);
	decide(f, VDP_GRANT, 0, false);
	r = request(f, ASSOC);
	r->type_id = 0xff123456;
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	expect_out(f, SEND, ASSOC, RESPONSE, T0 + TOUT); /* a keep-alive */
}

static void test_grant_preassoc_no_bind(void **state)
{
	struct fx *f = *state;

	granted(f, PRE);
	expect_out(f, SEND | NOTIFY, PRE, RESPONSE, T0 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, PRE, VSI_PREASSOCIATED, 0);
	assert_int_equal(f->binds, 0);

	teardown(state);
	setup(state);
	f = *state;
	granted(f, PRE_RR);
	expect_out(f, SEND | NOTIFY, PRE_RR, RESPONSE, T0 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, PRE_RR, VSI_PREASSOCIATED_RR, 0);
}

static void test_keepalive_alive(void **state)
{
	struct fx *f = *state;

	granted(f, ASSOC);
	assert_false(advance(f, TOUT - 1));
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	expect_out(f, SEND, ASSOC, RESPONSE, f->now + TOUT); /* re-armed, no decide */
	expect_vsi(f, VDP_BR_WAITCMD, ASSOC, VSI_ASSOCIATED, 0);
	assert_int_equal(f->v->n_ok, 1);
	assert_false(advance(f, TOUT - 1));
	assert_int_equal(f->binds, 1);
}

static void test_changed_filters_processed_again(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv *r;

	granted(f, ASSOC);
	f->now += 10;
	r = request(f, ASSOC);
	f->rf[1].pcp = 6;
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	expect_out(f, DECIDE, 0, 0, T0 + 10 + RWAIT);
	expect_vsi(f, VDP_BR_PROCESS, ASSOC, VSI_ASSOCIATED, 0); /* still in force */
	assert_int_equal(vsi_filters(f->v)[1].pcp, 6);
	decide(f, VDP_GRANT, 0, false);
	expect_out(f, SEND | NOTIFY, ASSOC, RESPONSE, T0 + 10 + TOUT); /* bound already */
	assert_int_equal(f->binds, 1);
	assert_int_equal(f->v->n_ok, 2);
}

static void test_changed_type_id_processed_again(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv *r;

	granted(f, ASSOC);
	r = request(f, ASSOC);
	r->type_ver = 2;
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	expect_out(f, DECIDE, 0, 0, T0 + RWAIT);
	assert_int_equal(f->v->type_ver, 2);
	decide(f, VDP_GRANT, 0, false);
	r = request(f, ASSOC);
	r->type_id = 0x654321;
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	expect_out(f, DECIDE, 0, 0, T0 + RWAIT);
	assert_int_equal(f->v->type_id, 0x654321);
}

static void test_request_while_processing_ignored(void **state)
{
	struct fx *f = *state;

	step(f, VDP_BR_EV_REQUEST, request(f, PRE), NULL);
	f->now += 500;
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	expect_out(f, 0, 0, 0, T0 + RWAIT); /* deadline unchanged */
	expect_vsi(f, VDP_BR_PROCESS, 0, VSI_PENDING, 0);
	assert_int_equal(f->v->cmd, PRE);
}

static void test_decision_outside_process_ignored(void **state)
{
	struct fx *f = *state;

	decide(f, VDP_GRANT, 0, false); /* INIT */
	expect_out(f, 0, 0, 0, 0);
	expect_vsi(f, VDP_BR_INIT, 0, VSI_PENDING, 0);
	granted(f, ASSOC);
	decide(f, VDP_REFUSE, VDP_RSN_OTHER, false); /* WAITCMD: late answer */
	expect_out(f, 0, 0, 0, T0 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, ASSOC, VSI_ASSOCIATED, 0);
	step(f, VDP_BR_EV_REQUEST, request(f, PRE), NULL);
	step(f, VDP_BR_EV_DECISION, NULL, NULL); /* no decision */
	expect_out(f, 0, 0, 0, T0 + RWAIT);
	assert_int_equal(f->v->state, VDP_BR_PROCESS);
}

static void test_refuse_keep_when_associated(void **state)
{
	struct fx *f = *state;

	granted(f, ASSOC);
	f->now += 20;
	step(f, VDP_BR_EV_REQUEST, request(f, PRE), NULL);
	decide(f, VDP_REFUSE_KEEP, VDP_RSN_NO_RESOURCES, false);
	expect_out(f, SEND | NOTIFY, PRE, RESPONSE | KEEP | VDP_RSN_NO_RESOURCES, T0 + 20 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, ASSOC, VSI_ASSOCIATED, VDP_RSN_NO_RESOURCES);
	assert_int_equal(f->v->status, 0x62);
	assert_int_equal(f->v->n_revert, 1);
	assert_int_equal(f->v->n_fail, 1);
	assert_true(f->v->flags & VSI_F_BOUND); /* what is in force stays bound */
	assert_int_equal(f->unbinds, 0);
	/* Keep-alives of the state in force still answer ALIVE. */
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	expect_out(f, SEND, ASSOC, RESPONSE, f->now + TOUT);
	assert_int_equal(f->v->reason, 0);
}

static void test_refuse_keep_hard(void **state)
{
	struct fx *f = *state;

	granted(f, PRE);
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	decide(f, VDP_REFUSE_KEEP, VDP_RSN_INVALID_ID, true);
	expect_out(f, SEND | NOTIFY, ASSOC, 0x40 | 0x20 | 0x10 | 5, T0 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, PRE, VSI_PREASSOCIATED, VDP_RSN_INVALID_ID);
	assert_int_equal(f->binds, 0); /* the Associate was refused */
}

static void test_refuse_keep_nothing_in_force_ends(void **state)
{
	struct fx *f = *state;

	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	decide(f, VDP_REFUSE_KEEP, VDP_RSN_NO_RESOURCES, false);
	expect_out(f, SEND | NOTIFY | REMOVE, ASSOC, 0x62, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, VDP_RSN_NO_RESOURCES);
	assert_int_equal(f->v->n_revert, 1);
	assert_int_equal(f->v->n_fail, 1);
	assert_int_equal(dl_next(&f->h), 0);
}

static void test_refuse_ends_with_deassoc_reply(void **state)
{
	struct fx *f = *state;

	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	decide(f, VDP_REFUSE, VDP_RSN_NO_RESOURCES, true);
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, RESPONSE | HARD | VDP_RSN_NO_RESOURCES, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, VDP_RSN_NO_RESOURCES);
	assert_int_equal(f->v->status, 0x52);
	assert_int_equal(f->v->n_fail, 1);
	assert_int_equal(f->v->n_revert, 0);
}

static void test_refuse_bound_unbinds(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv *r;

	granted(f, ASSOC);
	r = request(f, ASSOC);
	f->rf[0].vid = 5;
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	decide(f, VDP_REFUSE, VDP_RSN_INVALID_ID, false);
	expect_out(f, SEND | UNBIND | NOTIFY | REMOVE, DEASSOC, 0x45, 0);
	assert_false(f->v->flags & VSI_F_BOUND);
	assert_int_equal(f->binds, 1);
	assert_int_equal(f->unbinds, 1);
}

static void test_refusal_reason_never_zero(void **state)
{
	struct fx *f = *state;

	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	decide(f, VDP_REFUSE, 0, false);
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, RESPONSE | VDP_RSN_OTHER, 0);
	assert_int_equal(f->v->reason, VDP_RSN_OTHER);

	teardown(state);
	setup(state);
	f = *state;
	granted(f, PRE);
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	decide(f, VDP_REFUSE_KEEP, 0xf0, false); /* only the reason nibble, never 0 */
	expect_out(f, SEND | NOTIFY, ASSOC, RESPONSE | KEEP | VDP_RSN_OTHER, T0 + TOUT);

	teardown(state);
	setup(state);
	f = *state;
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	decide(f, (enum vdp_verdict)7, VDP_RSN_NO_RESOURCES, false); /* unknown: refuse */
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, 0x42, 0);
}

/* ---------------- timers ---------------- */

static void test_policy_timeout_nothing_in_force(void **state)
{
	struct fx *f = *state;

	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	assert_false(advance(f, RWAIT - 1));
	assert_true(advance(f, 1));
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, RESPONSE | VDP_RSN_NO_MANAGER, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, VDP_RSN_NO_MANAGER);
	assert_int_equal(f->v->n_fail, 1);
	/* The late answer finds nothing to do. */
	decide(f, VDP_GRANT, 0, false);
	expect_out(f, 0, 0, 0, 0);
}

static void test_policy_timeout_keeps_state_in_force(void **state)
{
	struct fx *f = *state;

	granted(f, PRE);
	f->now += 100;
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	assert_true(advance(f, RWAIT));
	expect_out(f, SEND | NOTIFY, ASSOC, RESPONSE | KEEP | VDP_RSN_NO_MANAGER,
		   T0 + 100 + RWAIT + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, PRE, VSI_PREASSOCIATED, VDP_RSN_NO_MANAGER);
	assert_int_equal(f->v->status, 0x63);
	assert_int_equal(f->v->n_revert, 1);
	assert_int_equal(f->binds, 0);
	/* Then silence: the unsolicited De-Associate carries no reason. */
	assert_true(advance(f, TOUT));
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, 0x00, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, 0);
}

static void test_tout_keepalive_unsolicited_deassoc(void **state)
{
	struct fx *f = *state;

	granted(f, ASSOC);
	assert_false(advance(f, TOUT - 1));
	assert_true(advance(f, 1));
	expect_out(f, SEND | UNBIND | NOTIFY | REMOVE, DEASSOC, 0x00, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, 0);
	assert_int_equal(f->v->status, 0);
	assert_int_equal(f->binds, 1);
	assert_int_equal(f->unbinds, 1);
	/* END ignores everything. */
	for (int ev = VDP_BR_EV_REQUEST; ev <= VDP_BR_EV_TX_FAILED; ev++) {
		struct vdp_decision d = {.verdict = VDP_GRANT};

		step(f, (enum vdp_br_event)ev, request(f, DEASSOC), &d);
		expect_out(f, 0, 0, 0, 0);
		assert_int_equal(f->v->state, VDP_BR_END);
	}
}

static void test_tout_keepalive_preassoc_no_unbind(void **state)
{
	struct fx *f = *state;

	granted(f, PRE);
	assert_true(advance(f, TOUT));
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, 0x00, 0);
}

static void test_timer_in_init_and_unknown_event_ignored(void **state)
{
	struct fx *f = *state;

	step(f, VDP_BR_EV_TIMER, NULL, NULL);
	expect_out(f, 0, 0, 0, 0);
	expect_vsi(f, VDP_BR_INIT, 0, VSI_PENDING, 0);
	granted(f, ASSOC);
	step(f, (enum vdp_br_event)99, NULL, NULL); /* an event that does not exist */
	expect_out(f, 0, 0, 0, T0 + TOUT);
}

/* ---------------- de-association ---------------- */

static void test_deassoc_request_bound(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv *r;

	granted(f, ASSOC);
	r = request(f, DEASSOC);
	f->rf[0].vid = 0;
	f->rf[0].mac[5] = 0x99; /* whatever it says, the filters in force answer */
	vsi_filters_mut(f->v)[0].vid = 77;
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	expect_out(f, SEND | UNBIND | NOTIFY | REMOVE, DEASSOC, RESPONSE, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, 0);
	assert_int_equal(f->v->cmd, DEASSOC);
	assert_int_equal(f->v->n_ok, 2);
	assert_int_equal(vsi_filters(f->v)[0].vid, 77);
	assert_int_equal(vsi_filters(f->v)[0].mac[5], 0xce);
	assert_int_equal(f->unbinds, 1);
	assert_int_equal(dl_next(&f->h), 0);
}

static void test_deassoc_unknown_vsi_success(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv t;

	step(f, VDP_BR_EV_REQUEST, request(f, DEASSOC), NULL);
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, RESPONSE, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, 0);
	/* The reply echoes the request. */
	vsi_to_tlv(f->v, f->out.tx_type, f->out.tx_status, &t);
	assert_int_equal(t.type_id, 0x123456);
	assert_int_equal(t.nfilters, 2);
	assert_memory_equal(t.filters[1].mac, REQ_F[1].mac, 6);
	assert_int_equal(f->binds + f->unbinds, 0);
}

static void test_deassoc_while_processing(void **state)
{
	struct fx *f = *state;

	granted(f, ASSOC);
	step(f, VDP_BR_EV_REQUEST, request(f, PRE), NULL);
	step(f, VDP_BR_EV_REQUEST, request(f, DEASSOC), NULL);
	expect_out(f, SEND | UNBIND | NOTIFY | REMOVE, DEASSOC, RESPONSE, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, 0);
	decide(f, VDP_GRANT, 0, false); /* the policy answers too late */
	expect_out(f, 0, 0, 0, 0);
	assert_int_equal(f->binds, 1);
	assert_int_equal(f->unbinds, 1);
}

static void test_admin_deassoc(void **state)
{
	struct fx *f = *state;

	/* INIT: nothing was said, nothing to say. */
	step(f, VDP_BR_EV_ADMIN_DEASSOC, NULL, NULL);
	expect_out(f, NOTIFY | REMOVE, 0, 0, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, 0);

	teardown(state);
	setup(state);
	f = *state;
	granted(f, ASSOC);
	step(f, VDP_BR_EV_ADMIN_DEASSOC, NULL, NULL);
	expect_out(f, SEND | UNBIND | NOTIFY | REMOVE, DEASSOC, 0x00, 0);
	expect_vsi(f, VDP_BR_END, 0, VSI_DEASSOCIATED, 0);

	teardown(state);
	setup(state);
	f = *state;
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	step(f, VDP_BR_EV_ADMIN_DEASSOC, NULL, NULL);
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, 0x00, 0);
}

static void test_tx_failed_nothing(void **state)
{
	struct fx *f = *state;

	step(f, VDP_BR_EV_TX_FAILED, NULL, NULL);
	expect_out(f, 0, 0, 0, 0);
	granted(f, ASSOC);
	f->now += 1234;
	step(f, VDP_BR_EV_TX_FAILED, NULL, NULL);
	expect_out(f, 0, 0, 0, T0 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, ASSOC, VSI_ASSOCIATED, 0);
	step(f, VDP_BR_EV_REQUEST, request(f, PRE), NULL);
	step(f, VDP_BR_EV_TX_FAILED, NULL, NULL);
	expect_out(f, 0, 0, 0, f->now + RWAIT);
}

/* ---------------- lifecycles ---------------- */

static void test_preassoc_assoc_preassoc_bind_once(void **state)
{
	struct fx *f = *state;

	granted(f, PRE);
	assert_int_equal(f->binds, 0);
	granted(f, ASSOC); /* upgrade */
	expect_out(f, SEND | BIND | NOTIFY, ASSOC, RESPONSE, T0 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, ASSOC, VSI_ASSOCIATED, 0);
	/* Re-association with changed filters: decided again, still bound. */
	struct vdp_vsi_tlv *r = request(f, ASSOC);
	f->rf[0].vid = 9;
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	expect_out(f, DECIDE, 0, 0, T0 + RWAIT);
	decide(f, VDP_GRANT, 0, false);
	expect_out(f, SEND | NOTIFY, ASSOC, RESPONSE, T0 + TOUT);
	assert_int_equal(f->binds, 1);
	granted(f, PRE_RR); /* down to a pre-association: released */
	expect_out(f, SEND | UNBIND | NOTIFY, PRE_RR, RESPONSE, T0 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, PRE_RR, VSI_PREASSOCIATED_RR, 0);
	granted(f, PRE);
	expect_out(f, SEND | NOTIFY, PRE, RESPONSE, T0 + TOUT);
	granted(f, ASSOC);
	step(f, VDP_BR_EV_REQUEST, request(f, DEASSOC), NULL);
	assert_int_equal(f->binds, 2);
	assert_int_equal(f->unbinds, 2);
	assert_int_equal(f->v->n_ok, 7);
}

static void test_store_failure_refuses(void **state)
{
	struct fx *f = *state;

	if (!ALLOC_FAILS)
		skip();

	/* No memory for the request's filters: insufficient resources. */
	fail_next_alloc();
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, RESPONSE | VDP_RSN_NO_RESOURCES, 0);

	teardown(state);
	setup(state);
	f = *state;
	granted(f, ASSOC);
	fail_next_alloc();
	step(f, VDP_BR_EV_REQUEST, request(f, PRE), NULL);
	expect_out(f, SEND | NOTIFY, PRE, RESPONSE | KEEP | VDP_RSN_NO_RESOURCES, T0 + TOUT);
	expect_vsi(f, VDP_BR_WAITCMD, ASSOC, VSI_ASSOCIATED, VDP_RSN_NO_RESOURCES);
}

static void test_grant_store_failure_refuses(void **state)
{
	struct fx *f = *state;
	struct vdp_filter chosen[2];
	struct vdp_decision d = {.verdict = VDP_GRANT, .filters = chosen, .nfilters = 2};

	if (!ALLOC_FAILS)
		skip();

	memcpy(chosen, REQ_F, sizeof(chosen));
	step(f, VDP_BR_EV_REQUEST, request(f, ASSOC), NULL);
	fail_next_alloc();
	step(f, VDP_BR_EV_DECISION, NULL, &d);
	expect_out(f, SEND | NOTIFY | REMOVE, DEASSOC, RESPONSE | VDP_RSN_NO_RESOURCES, 0);
	assert_int_equal(f->binds, 0);
}

static void test_invalid_requests_ignored(void **state)
{
	struct fx *f = *state;
	struct vdp_vsi_tlv *r;

	step(f, VDP_BR_EV_REQUEST, NULL, NULL);
	expect_out(f, 0, 0, 0, 0);
	r = request(f, VDP_TLV_MGRID);
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	expect_out(f, 0, 0, 0, 0);
	r = request(f, 0);
	step(f, VDP_BR_EV_REQUEST, r, NULL);
	expect_out(f, 0, 0, 0, 0);
	expect_vsi(f, VDP_BR_INIT, 0, VSI_PENDING, 0);
	assert_int_equal(f->v->nfilters, 0);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(vdp_br_state_name(VDP_BR_INIT), "init");
	assert_string_equal(vdp_br_state_name(VDP_BR_PROCESS), "process");
	assert_string_equal(vdp_br_state_name(VDP_BR_WAITCMD), "waitcmd");
	assert_string_equal(vdp_br_state_name(VDP_BR_END), "end");
	assert_string_equal(vdp_br_state_name(VDP_BR_END + 1), "unknown");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_request_asks_policy),
	    T(test_grant_assoc_binds),
	    T(test_grant_with_bridge_vids),
	    T(test_grant_empty_filter_list_keeps_requested),
	    T(test_type_id_24_bits),
	    T(test_grant_preassoc_no_bind),
	    T(test_keepalive_alive),
	    T(test_changed_filters_processed_again),
	    T(test_changed_type_id_processed_again),
	    T(test_request_while_processing_ignored),
	    T(test_decision_outside_process_ignored),
	    T(test_refuse_keep_when_associated),
	    T(test_refuse_keep_hard),
	    T(test_refuse_keep_nothing_in_force_ends),
	    T(test_refuse_ends_with_deassoc_reply),
	    T(test_refuse_bound_unbinds),
	    T(test_refusal_reason_never_zero),
	    T(test_policy_timeout_nothing_in_force),
	    T(test_policy_timeout_keeps_state_in_force),
	    T(test_tout_keepalive_unsolicited_deassoc),
	    T(test_tout_keepalive_preassoc_no_unbind),
	    T(test_timer_in_init_and_unknown_event_ignored),
	    T(test_deassoc_request_bound),
	    T(test_deassoc_unknown_vsi_success),
	    T(test_deassoc_while_processing),
	    T(test_admin_deassoc),
	    T(test_tx_failed_nothing),
	    T(test_preassoc_assoc_preassoc_bind_once),
	    T(test_store_failure_refuses),
	    T(test_grant_store_failure_refuses),
	    T(test_invalid_requests_ignored),
	    T(test_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
