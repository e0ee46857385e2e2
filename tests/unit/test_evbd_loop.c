/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_loop.c - unit tests of evbd's loop (evbd/loop.c) and its wiring
 * (evbd/events.c), from libevbd.a: listeners hear each event in the order
 * they were registered, a full loop refuses one more, kicks within a turn
 * give one end of turn, the clock is the one the loop holds, the store's
 * batch timer writes what a turn queued, and with the daemon's wiring a
 * bridge VSI's change reaches the store through the fan-out, a kicked port
 * runs at the end of the turn and a removed port leaves cleanly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <event2/event.h>
#include <string.h>
#include <unistd.h>

#include "evbd/events.h"
#include "evbd/loop.h"
#include "evbd/port.h"
#include "evbd/store.h"

#include "tmpdir.h"
#include "vsi_keys.h"

/* ---------------- recording listeners ---------------- */

static char TRAIL[64]; /* one letter per hook called: listener a..z, event in case */

static void reset(void)
{
	memset(TRAIL, 0, sizeof(TRAIL));
}

static void mark(char c)
{
	size_t n = strlen(TRAIL);
	if (n + 1 < sizeof(TRAIL))
		TRAIL[n] = c;
}

static void turn_a(void *ctx)
{
	(void)ctx;
	mark('a');
}
static void turn_b(void *ctx)
{
	(void)ctx;
	mark('b');
}
static void vsi_a(void *ctx, struct evbd_port *p, struct vdp_vsi *v, const struct vdp_sm_out *o)
{
	(void)ctx, (void)p, (void)v, (void)o;
	mark('A');
}
static void vsi_b(void *ctx, struct evbd_port *p, struct vdp_vsi *v, const struct vdp_sm_out *o)
{
	(void)ctx, (void)p, (void)v, (void)o;
	mark('B');
}
static void port_a(void *ctx, struct evbd_port *p)
{
	(void)ctx, (void)p;
	mark('p');
}
static void gone_b(void *ctx, struct evbd_port *p)
{
	(void)ctx, (void)p;
	mark('g');
}

static uint64_t NOW = 5000000;

static uint64_t fake_now(void)
{
	return NOW;
}

static void serve(struct evbd_loop *l)
{
	event_base_loop(l->base, EVLOOP_NONBLOCK);
}

/* ---------------- the loop alone ---------------- */

static void test_listeners_in_order(void **state)
{
	(void)state;
	struct evbd_loop l;
	assert_int_equal(loop_init(&l), 0);
	assert_int_equal(loop_listen(&l, &(struct loop_listener){.turn_end = turn_a,
								 .vsi_changed = vsi_a,
								 .port_changed = port_a}),
			 0);
	assert_int_equal(loop_listen(&l, &(struct loop_listener){.turn_end = turn_b,
								 .vsi_changed = vsi_b,
								 .port_removed = gone_b}),
			 0);
	reset();
	struct vdp_sm_out out = {.notify = true};
	loop_vsi_changed(&l, NULL, NULL, &out);
	loop_port_changed(&l, NULL);
	loop_port_removed(&l, NULL);
	loop_turn_end(&l);
	assert_string_equal(TRAIL, "ABpgab");
	loop_fini(&l);
}

static void test_full_loop_refuses(void **state)
{
	(void)state;
	struct evbd_loop l;
	assert_int_equal(loop_init(&l), 0);
	for (int i = 0; i < LOOP_MAX_LISTENERS; i++)
		assert_int_equal(loop_listen(&l, &(struct loop_listener){.turn_end = turn_a}), 0);
	assert_int_equal(loop_listen(&l, &(struct loop_listener){.turn_end = turn_b}), -ENOSPC);
	reset();
	loop_turn_end(&l);
	assert_int_equal(strlen(TRAIL), LOOP_MAX_LISTENERS);
	assert_null(strchr(TRAIL, 'b'));
	loop_fini(&l);
}

static void test_kicks_give_one_turn_end(void **state)
{
	(void)state;
	struct evbd_loop l;
	assert_int_equal(loop_init(&l), 0);
	loop_listen(&l, &(struct loop_listener){.turn_end = turn_a});
	reset();
	serve(&l);
	assert_string_equal(TRAIL, ""); /* nobody kicked */
	loop_kick(&l);
	loop_kick(&l);
	loop_kick(&l);
	serve(&l);
	assert_string_equal(TRAIL, "a");
	serve(&l);
	assert_string_equal(TRAIL, "a");
	loop_fini(&l);
}

static void test_clock_is_replaceable(void **state)
{
	(void)state;
	struct evbd_loop l;
	assert_int_equal(loop_init(&l), 0);
	uint64_t a = loop_now(&l);
	usleep(2000);
	uint64_t b = loop_now(&l);
	assert_true(b >= a + 2000 && b < a + 2000000); /* microseconds, monotonic */
	l.clock = fake_now;
	assert_int_equal(loop_now(&l), NOW);
	loop_fini(&l);
	loop_fini(&l); /* twice is harmless */
}

static void test_store_batch(void **state)
{
	(void)state;
	char dir[64];
	struct evbd_store *s;
	struct evbd_loop l;
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "evbd-loop"), 0);
	assert_int_equal(store_open(dir, &s), 0);
	assert_int_equal(loop_init(&l), 0);
	loop_batch_store(&l, s);
	struct vdp_vsi_key k = key_n(7);
	struct vdp_vsi *v = vsi_new(&k, 1);
	assert_non_null(v);
	store_vsi_changed(s, "br0", EVB_ROLE_BRIDGE, v, false);
	assert_int_equal(store_pending(s), 1);
	loop_turn_end(&l); /* arms the batch timer: nothing written yet */
	assert_int_equal(store_pending(s), 1);
	for (int i = 0; i < 200 && store_pending(s); i++) {
		usleep(1000);
		serve(&l);
	}
	assert_int_equal(store_pending(s), 0);
	/* A station's answers are not kept; an ended VSI is deleted. */
	store_vsi_changed(s, "st0", EVB_ROLE_STATION, v, false);
	assert_int_equal(store_pending(s), 0);
	store_vsi_changed(s, "br0", EVB_ROLE_BRIDGE, v, true);
	assert_int_equal(store_pending(s), 1);
	vsi_free(v);
	loop_fini(&l);
	store_close(s);
	assert_int_equal(tmpdir_remove(dir), 0);
}

/* ---------------- the daemon's wiring ---------------- */

static void test_wired_daemon(void **state)
{
	(void)state;
	char dir[64], err[128];
	static struct evbd d;
	memset(&d, 0, sizeof(d));
	assert_int_equal(tmpdir_make(dir, sizeof(dir), "evbd-loop"), 0);
	assert_int_equal(store_open(dir, &d.store), 0);
	assert_int_equal(loop_init(&d.loop), 0);
	d.loop.clock = fake_now;
	loop_batch_store(&d.loop, d.store);
	assert_int_equal(events_wire(&d), 0);
	conf_defaults(&d.conf);
	assert_int_equal(conf_add_port(&d.conf, "br0", EVB_ROLE_BRIDGE, err, sizeof(err)), 0);
	struct evbd_port *ports[1];
	d.ports = ports;
	ports[0] = port_create(&d, &d.conf.ports[0]);
	assert_non_null(ports[0]);
	d.nports = 1;
	struct evbd_port *p = ports[0];

	/* A bridge VSI in force: the port's engine tells the loop, the loop
	 * the store. */
	struct vdp_vsi_key k = key_n(9);
	struct vdp_vsi *v = vsi_new(&k, 1);
	assert_non_null(v);
	assert_int_equal(vdp_port_restore(&p->vdp, v, NOW), 0);
	struct vdp_sm_out out = {.notify = true};
	p->vdp.ops->vsi_changed(p->vdp.ctx, &p->vdp, v, &out);
	assert_int_equal(store_pending(d.store), 1);

	/* A kick runs the port at the end of the turn. */
	evbd_port_kick(p);
	assert_true(p->kick_pending);
	serve(&d.loop);
	assert_false(p->kick_pending);

	/* Removed (as by SIGHUP): nothing else is written. */
	store_flush(d.store);
	d.nports = 0;
	port_remove(p);
	assert_int_equal(store_pending(d.store), 0);
	loop_fini(&d.loop);
	store_close(d.store);
	assert_int_equal(tmpdir_remove(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listeners_in_order),
	    cmocka_unit_test(test_full_loop_refuses),
	    cmocka_unit_test(test_kicks_give_one_turn_end),
	    cmocka_unit_test(test_clock_is_replaceable),
	    cmocka_unit_test(test_store_batch),
	    cmocka_unit_test(test_wired_daemon),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
