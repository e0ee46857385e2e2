/* SPDX-License-Identifier: ISC */
/*
 * fuzz_evbd_ipc.c - libFuzzer target for the control socket's receive path:
 * arbitrary datagrams (with or without credentials, as root or not) into
 * evbd's IPC server (ipc_input(), what the socket's read callback calls),
 * against a station and a bridge port, with waiters answered, the station
 * port removed (as by SIGHUP) and its timers run in between.
 *
 * It links libevbd.a as evbd does, wired as evbd is (events_wire()), with
 * one fake loop: an event base that is never dispatched, a clock the inputs
 * advance, and the end of a turn run after each input.  The control socket
 * is the real one, in a private network namespace; the test plugin
 * tests/plugins/probe.so gives plugin commands to reach (probe-echo, and
 * probe-set, which needs admin); the EVB MIB is served over the two ports.
 * Input: [flags:1][datagram...]; flags bit 0 credentials, 1 non-root uid,
 * 2 non-root gid, 3 run the station's timers, 4 remove the station port.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evbd/events.h"
#include "evbd/ipc.h"
#include "ipc/schema.h"
#include "ipc/sock.h"
#include "evbd/log.h"
#include "evbd/mib.h"
#include "evbd/plugin.h"
#include "evbd/port.h"
#include "evbd/vsitype.h"

#ifndef FUZZ_PLUGIN_DIR
#define FUZZ_PLUGIN_DIR "build/tests/plugins"
#endif

static uint64_t NOW = 1;
static struct evbd D;
static struct evbd_port *ST; /* the station port (D.ports holds it and the bridge) */
static _Alignas(16) uint8_t BUF[EVBD_IPC_MAX_MSG];

static uint64_t fake_now(void)
{
	return NOW;
}

static void die(const char *what)
{
	fprintf(stderr, "fuzz_evbd_ipc: %s\n", what);
	exit(1);
}

/* Port i of D.conf, a neighbour shown; the station's EVB started as if
 * negotiated. */
static struct evbd_port *add_port(unsigned i)
{
	struct evbd_port *p = port_create(&D, &D.conf.ports[i]);
	if (!p)
		die("cannot create a port: out of memory");
	p->lldp.nbr.valid = true;
	p->lldp.nbr.chassis.len = 255;
	p->lldp.nbr.expires = UINT64_MAX; /* never ages out */
	if (p->conf.evb.role == EVB_ROLE_STATION) {
		struct evb_oper o = {.valid = true, .r = 3, .rte = 8, .rwd = 14, .rka = 14};
		vdp_port_start(&p->vdp, &o, NOW);
		ST = p;
	}
	D.ports[D.nports++] = p;
	return p;
}

/* As SIGHUP does for a port gone from the file, then back again: the
 * station leaves (waiters answered, plugins told) and a fresh one comes. */
static void replace_station(void)
{
	unsigned i = D.ports[0] == ST ? 0 : 1;
	D.ports[i] = D.ports[--D.nports];
	port_remove(ST);
	add_port(0);
}

static void setup(void)
{
	char err[256];
	if (unshare(CLONE_NEWNET) && unshare(CLONE_NEWUSER | CLONE_NEWNET))
		die("cannot enter a private network namespace for the control socket");
	log_init(LOG_LVL_ERR, false);
	if (loop_init(&D.loop) || events_wire(&D))
		die("cannot set up the loop");
	D.loop.clock = fake_now;
	conf_defaults(&D.conf);
	snprintf(D.conf.admin_group, sizeof(D.conf.admin_group), "nogroup");
	snprintf(D.conf.plugin_dir, sizeof(D.conf.plugin_dir), "%s", FUZZ_PLUGIN_DIR);
	snprintf(D.conf.plugins[0], sizeof(D.conf.plugins[0]), "probe");
	D.conf.nplugins = 1;
	if (conf_add_port(&D.conf, "st0", EVB_ROLE_STATION, err, sizeof(err)) ||
	    conf_add_port(&D.conf, "br0", EVB_ROLE_BRIDGE, err, sizeof(err)))
		die(err);
	if (plugins_load(&D) != 1)
		die("cannot load the probe plugin from " FUZZ_PLUGIN_DIR " (make it first)");
	if (vsitype_db_open(NULL, &D.types) || evbd_mib_open(&D)) /* the VSI type requests too */
		die("cannot open the VSI type database or the MIB");
	if (!(D.ports = calloc(2, sizeof(*D.ports))))
		die("out of memory");
	add_port(0);
	add_port(1);
	if (ipc_open(&D))
		die("cannot open the control socket");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!D.ipc)
		setup();
	if (size < 1 || size - 1 > sizeof(BUF))
		return 0;
	NOW += 1000;
	memcpy(BUF, data + 1, size - 1); /* aligned, as the socket's buffer is */
	struct evb_ipc_from from = {
	    .sa = {.nl_family = AF_NETLINK, .nl_pid = 4242},
	    .salen = sizeof(struct sockaddr_nl),
	    .has_cred = data[0] & 1,
	    .cred = {.pid = 1, .uid = (data[0] & 2) ? 65534 : 0, .gid = (data[0] & 4) ? 65534 : 0}};
	ipc_input(D.ipc, &from, BUF, size - 1);
	if (data[0] & 8) { /* the station's retries run out: waiters hear of it */
		NOW += 5000000;
		port_run(ST);
	}
	if ((data[0] & 16) || ST->vdp.vsis.count > 5000)
		replace_station();
	loop_turn_end(&D.loop);
	return 0;
}
