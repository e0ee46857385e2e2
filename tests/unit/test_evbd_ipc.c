/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_ipc.c - unit tests of evbd's control channel: the server
 * (evbd/ipc.c, from libevbd.a) driven in-process on a private network
 * namespace with a station and a bridge vdp_port wired back to back, raw
 * netlink clients for exact and malformed requests, the client library
 * (cli/ipc_client.c) and the `vsi` argument grammar and rendering
 * (cli/cmd_vsi.c), both compiled into this test with a recording writer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

#include "cli/cmd_fleet.c"
#include "cli/cmd_vsi.c"
#include "cli/ipc_client.c"
#include "cli/mgrid.c"
#include "evbd/evbd.h"
#include "evbd/ipc.h"
#include "ipc/schema.h"
#include "evbd/port.h"
#include "vdp/vdp_port.h"

/* ---------------- recording writer (cmd_vsi.c renders into it) ---------------- */

static enum writer_format W_FMT;
static char W_OUT[65536];
static size_t W_LEN;

static void w_rec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void w_rec(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(W_OUT + W_LEN, sizeof(W_OUT) - W_LEN, fmt, ap);
	va_end(ap);
	if (n > 0)
		W_LEN += (size_t)n < sizeof(W_OUT) - W_LEN ? (size_t)n : sizeof(W_OUT) - W_LEN - 1;
}

static void w_reset(enum writer_format f)
{
	W_FMT = f;
	W_LEN = 0;
	W_OUT[0] = '\0';
}

struct writer *writer_new(enum writer_format fmt, FILE *out)
{
	(void)fmt;
	(void)out;
	return NULL;
}
int writer_finish(struct writer *w)
{
	(void)w;
	return 0;
}
void writer_free(struct writer *w)
{
	(void)w;
}
enum writer_format writer_format(const struct writer *w)
{
	(void)w;
	return W_FMT;
}
void writer_begin_object(struct writer *w, const char *key)
{
	(void)w;
	w_rec("{%s ", key ? key : "");
}
void writer_end_object(struct writer *w)
{
	(void)w;
	w_rec("} ");
}
void writer_begin_list(struct writer *w, const char *key)
{
	(void)w;
	w_rec("[%s ", key ? key : "");
}
void writer_end_list(struct writer *w)
{
	(void)w;
	w_rec("] ");
}
void writer_str(struct writer *w, const char *key, const char *val)
{
	(void)w;
	w_rec("%s=%s;", key ? key : "", val);
}
void writer_uint(struct writer *w, const char *key, uint64_t val)
{
	(void)w;
	w_rec("%s=%llu;", key ? key : "", (unsigned long long)val);
}
void writer_uint_hex(struct writer *w, const char *key, uint64_t val)
{
	writer_uint(w, key, val);
}
void writer_bool(struct writer *w, const char *key, bool val)
{
	(void)w;
	w_rec("%s=%s;", key ? key : "", val ? "true" : "false");
}
void writer_hex(struct writer *w, const char *key, const uint8_t *p, size_t n)
{
	(void)w;
	w_rec("%s=", key ? key : "");
	for (size_t i = 0; i < n; i++)
		w_rec("%02x", p[i]);
	w_rec(";");
}
void writer_enum(struct writer *w, const char *key, uint64_t val, const char *name)
{
	(void)w;
	w_rec("%s=%s(%llu);", key ? key : "", name, (unsigned long long)val);
}
void writer_fmt(struct writer *w, const char *key, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	writer_str(w, key, buf);
}

/* `vsi show` renders its history through cmd_monitor.c's event_render(),
 * which this test does not link: the event's kind and number suffice. */
void event_render(struct writer *w, const char *key, const struct ipc_event *e)
{
	(void)w;
	(void)key;
	w_rec("event %u #%u\n", e->kind, e->seq);
}

/* ---------------- the daemon's loop, with a fake clock (evbd/loop.h) ---------------- */

static struct evbd D;
static struct evbd_port *P_ST, *P_BR;
static struct evbd_port *PORTS[2];
static uint64_t NOW = 1000000;
static unsigned KICKS;

static uint64_t fake_now(void)
{
	return NOW;
}

/* The daemon's end-of-turn work as far as IPC goes: queued answers go out. */
static void turn_end(void *ctx)
{
	(void)ctx;
	KICKS++;
	ipc_flush(D.ipc);
}

/* The wire between the two ports: frames queue here and are delivered by
 * wire_run(), never from inside a vdp_port call. */
struct frame {
	struct evbd_port *to;
	size_t n;
	uint8_t b[1600];
};
static struct frame WIRE[8192];
static unsigned W_HEAD, W_TAIL;
static bool WIRE_DROP;
static bool REFUSE;

static void port_send(void *ctx, const uint8_t *f, size_t n)
{
	struct evbd_port *from = ctx;
	if (WIRE_DROP || W_TAIL >= sizeof(WIRE) / sizeof(WIRE[0]) || n > sizeof(WIRE[0].b))
		return;
	struct frame *fr = &WIRE[W_TAIL++];
	fr->to = from == P_ST ? P_BR : P_ST;
	fr->n = n;
	memcpy(fr->b, f, n);
}

static void on_changed(void *ctx, struct vdp_port *vp, struct vdp_vsi *v,
		       const struct vdp_sm_out *out)
{
	(void)vp;
	ipc_vsi_changed(D.ipc, ctx, v, out);
}

static int decide(void *ctx, struct vdp_port *p, const struct vdp_vsi *v, struct vdp_decision *dec)
{
	(void)ctx;
	(void)p;
	(void)v;
	*dec = (struct vdp_decision){.verdict = REFUSE ? VDP_REFUSE : VDP_GRANT,
				     .reason = REFUSE ? VDP_RSN_NO_RESOURCES : 0};
	return 0;
}

static const struct vdp_port_ops OPS = {
    .send = port_send, .vsi_changed = on_changed, .decide = decide};

/* Run both ports and deliver frames until the wire is quiet. */
static void wire_run(void)
{
	for (int round = 0; round < 1000; round++) {
		vdp_port_run(&P_ST->vdp, NOW);
		vdp_port_run(&P_BR->vdp, NOW);
		if (W_HEAD == W_TAIL)
			break;
		while (W_HEAD < W_TAIL) {
			struct frame *f = &WIRE[W_HEAD++];
			vdp_port_rx(&f->to->vdp, f->b + ETH_HDR_LEN, f->n - ETH_HDR_LEN, NOW);
		}
		W_HEAD = W_TAIL = 0;
	}
}

static struct evbd_port *mkport(const char *name, enum evb_role role, uint8_t last)
{
	struct evbd_port *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	uint8_t mac[6] = {2, 0, 0, 0, 0, last};
	p->d = &D;
	snprintf(p->ifname, sizeof(p->ifname), "%s", name);
	p->conf.evb.role = role;
	memcpy(p->mac, mac, 6);
	p->present = true;
	p->link_up = true;
	p->lldp.oper =
	    (struct evb_oper){.valid = true, .r = 3, .rte = 8, .rwd = 14, .rka = 14, .rr = 1};
	p->lldp.stats.rx_bad = 7;
	assert_int_equal(vdp_port_init(&p->vdp, role, mac, &OPS, p, 1), 0);
	return p;
}

static void start_ports(void)
{
	struct evb_oper o = {.valid = true, .r = 3, .rte = 8, .rwd = 14, .rka = 14};
	vdp_port_start(&P_ST->vdp, &o, NOW);
	vdp_port_start(&P_BR->vdp, &o, NOW);
}

/* A private network namespace, so the well-known port id is ours. */
static int enter_netns(void)
{
	if (!unshare(CLONE_NEWNET))
		return 0;
	uid_t uid = getuid();
	gid_t gid = getgid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return -1;
	char map[64];
	int fd = open("/proc/self/setgroups", O_WRONLY);
	if (fd >= 0) {
		(void)!write(fd, "deny", 4);
		close(fd);
	}
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)uid);
	fd = open("/proc/self/uid_map", O_WRONLY);
	(void)!write(fd, map, strlen(map));
	close(fd);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)gid);
	fd = open("/proc/self/gid_map", O_WRONLY);
	(void)!write(fd, map, strlen(map));
	close(fd);
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	if (enter_netns())
		return -1;
	if (loop_init(&D.loop))
		return -1;
	D.loop.clock = fake_now;
	loop_listen(&D.loop, &(struct loop_listener){.turn_end = turn_end});
	P_ST = mkport("st0", EVB_ROLE_STATION, 1);
	P_BR = mkport("br0", EVB_ROLE_BRIDGE, 2);
	PORTS[0] = P_ST;
	PORTS[1] = P_BR;
	D.ports = PORTS;
	D.nports = 2;
	return ipc_open(&D) ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	ipc_close(D.ipc);
	vdp_port_free(&P_ST->vdp);
	vdp_port_free(&P_BR->vdp);
	free(P_ST);
	free(P_BR);
	loop_fini(&D.loop);
	return 0;
}

/* ---------------- raw client helpers ---------------- */

static uint32_t SEQ = 100;

static int raw_open(int rcvbuf)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_USERSOCK);
	assert_true(fd >= 0);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if (rcvbuf) {
		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	} else {
		int big = 8 << 20;
		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	}
	return fd;
}

static void raw_send(int fd, const void *buf, size_t len)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = EVBD_IPC_PORTID};
	assert_int_equal(sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)), (ssize_t)len);
}

static void serve(void)
{
	for (int i = 0; i < 4; i++)
		event_base_loop(D.loop.base, EVLOOP_NONBLOCK);
}

/* Next datagram for fd, whole (after serving), or -1 when none within ~1 s. */
static ssize_t raw_recv_dgram(int fd, void *buf, size_t cap)
{
	for (int i = 0; i < 1000; i++) {
		ssize_t n = recv(fd, buf, cap, MSG_DONTWAIT);
		if (n >= 0)
			return n;
		serve();
		if (i > 10)
			usleep(1000);
	}
	return -1;
}

/* Answers may share a datagram: raw_recv hands them out one message at a
 * time from the last datagram read on that socket. */
static struct {
	int fd;
	uint8_t b[65536];
	size_t off, len;
} PEND = {.fd = -1};

/* Next message for fd (after serving), or -1 when none within ~1 s. */
static ssize_t raw_recv(int fd, void *buf, size_t cap)
{
	for (int i = 0; i < 1000 && !(PEND.fd == fd && PEND.off < PEND.len); i++) {
		ssize_t n = recv(fd, PEND.b, sizeof(PEND.b), MSG_DONTWAIT);
		if (n >= 0) {
			PEND.fd = fd;
			PEND.off = 0;
			PEND.len = (size_t)n;
			break;
		}
		serve();
		if (i > 10)
			usleep(1000);
	}
	if (PEND.fd != fd || PEND.off >= PEND.len)
		return -1;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)(PEND.b + PEND.off);
	size_t left = PEND.len - PEND.off;
	size_t n = left >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) && nlh->nlmsg_len <= left
		       ? nlh->nlmsg_len
		       : left;
	memcpy(buf, nlh, n < cap ? n : cap);
	PEND.off += MNL_ALIGN(n);
	return (ssize_t)n;
}

static bool raw_nothing(int fd)
{
	char b[64];
	serve();
	if (PEND.fd == fd && PEND.off < PEND.len)
		return false;
	return recv(fd, b, sizeof(b), MSG_DONTWAIT | MSG_PEEK) < 0 && errno == EAGAIN;
}

struct nlmsghdr *cmd_start(void *buf, uint8_t flags)
{
	struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_VSI_CMD, 0, flags);
	nlh->nlmsg_seq = ++SEQ;
	return nlh;
}

static const uint8_t UUID1[16] = {0x6d, 0x0f, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1};

static void uuid_n(uint8_t id[16], uint32_t n)
{
	memcpy(id, UUID1, 16);
	id[12] = (uint8_t)(n >> 24);
	id[13] = (uint8_t)(n >> 16);
	id[14] = (uint8_t)(n >> 8);
	id[15] = (uint8_t)n;
}

/* A VSI command: cmd on dev for UUID n, filter (mac, vid) unless deassoc. */
static struct nlmsghdr *vsi_req(void *buf, const char *dev, uint8_t cmd, uint32_t n, uint16_t vid,
				uint8_t flags)
{
	struct nlmsghdr *nlh = cmd_start(buf, flags);
	uint8_t id[16], mac[6] = {0x52, 0x54, 0, 0, (uint8_t)(n >> 8), (uint8_t)n};
	uuid_n(id, n);
	if (dev)
		mnl_attr_put_strz(nlh, EVB_A_IFNAME, dev);
	mnl_attr_put_u8(nlh, EVB_A_CMD, cmd);
	mnl_attr_put_u8(nlh, EVB_A_VSIID_FMT, VDP_VSIID_UUID);
	mnl_attr_put(nlh, EVB_A_VSIID, 16, id);
	if (cmd == VDP_TLV_DEASSOC)
		return nlh;
	mnl_attr_put_u32(nlh, EVB_A_TYPE_ID, 5);
	mnl_attr_put_u8(nlh, EVB_A_TYPE_VER, 1);
	mnl_attr_put_u8(nlh, EVB_A_FIF, VDP_FIF_MACVID);
	struct nlattr *f = mnl_attr_nest_start(nlh, EVB_A_FILTER);
	mnl_attr_put_u16(nlh, EVB_FA_VID, vid);
	mnl_attr_put(nlh, EVB_FA_MAC, 6, mac);
	mnl_attr_nest_end(nlh, f);
	return nlh;
}

/* Send nlh, read one answer: RESULT with nlh's seq; returns its errno and
 * copies the sentence and attributes. */
static uint8_t ABUF[EVBD_IPC_MAX_MSG];
static struct ipc_attrs AT;
static char AMSG[1024];

static int exchange_on(int fd, const struct nlmsghdr *nlh)
{
	raw_send(fd, nlh, nlh->nlmsg_len);
	ssize_t n = raw_recv(fd, ABUF, sizeof(ABUF));
	assert_true(n > 0);
	const struct nlmsghdr *a = (const struct nlmsghdr *)ABUF;
	assert_true(mnl_nlmsg_ok(a, (int)n));
	assert_int_equal(a->nlmsg_type, EVB_MSG_RESULT);
	assert_int_equal(a->nlmsg_seq, nlh->nlmsg_seq);
	assert_int_equal(a->nlmsg_pid, EVBD_IPC_PORTID);
	assert_int_equal(a->nlmsg_len, (uint32_t)n); /* exactly one answer */
	assert_int_equal(ipc_parse_answer(a, &AT), 0);
	const char *m;
	int e = ipc_get_result(&AT, &m);
	snprintf(AMSG, sizeof(AMSG), "%s", m);
	return e;
}

static int CLI = -1;

static int exchange(const struct nlmsghdr *nlh)
{
	if (CLI < 0)
		CLI = raw_open(0);
	return exchange_on(CLI, nlh);
}

static uint8_t at_u8(int t)
{
	assert_non_null(AT.tb[t]);
	return mnl_attr_get_u8(AT.tb[t]);
}

/* Wait for the answer to seq on CLI (requests already sent). */
static int answer_for(uint32_t seq)
{
	ssize_t n = raw_recv(CLI, ABUF, sizeof(ABUF));
	assert_true(n > 0);
	const struct nlmsghdr *a = (const struct nlmsghdr *)ABUF;
	assert_int_equal(a->nlmsg_type, EVB_MSG_RESULT);
	assert_int_equal(a->nlmsg_seq, seq);
	assert_int_equal(ipc_parse_answer(a, &AT), 0);
	const char *m;
	int e = ipc_get_result(&AT, &m);
	snprintf(AMSG, sizeof(AMSG), "%s", m);
	return e;
}

static void send_only(const struct nlmsghdr *nlh)
{
	if (CLI < 0)
		CLI = raw_open(0);
	raw_send(CLI, nlh, nlh->nlmsg_len);
	serve();
}

static void drop_all_vsis(void)
{
	/* the heaps first: freeing them touches the VSIs' timer nodes */
	dl_heap_free(&P_ST->vdp.timers);
	dl_heap_init(&P_ST->vdp.timers);
	dl_heap_free(&P_BR->vdp.timers);
	dl_heap_init(&P_BR->vdp.timers);
	vsi_table_free(&P_ST->vdp.vsis);
	vsi_table_init(&P_ST->vdp.vsis, 16);
	vsi_table_free(&P_BR->vdp.vsis);
	vsi_table_init(&P_BR->vdp.vsis, 16);
}

/* ---------------- server: ports ---------------- */

static void test_open_twice_is_eaddrinuse(void **state)
{
	(void)state;
	struct evbd d2 = {.loop.base = D.loop.base};
	assert_int_equal(ipc_open(&d2), -EADDRINUSE);
	assert_null(d2.ipc);
}

/* Collect a dump: the item messages (type) and the DONE. */
struct dump_res {
	unsigned items, done, datagrams, results;
	unsigned max_multi_len; /* largest datagram with more than one message */
	uint16_t last_type;
	uint8_t seen[2][65536 / 8]; /* VSIs seen by (port, low 16 bits of the UUID) */
	bool dup;
};

static void dump_collect(int fd, uint32_t seq, uint16_t type, struct dump_res *r, bool keep_attrs)
{
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	memset(r, 0, sizeof(*r));
	while (!r->done && !r->results) {
		ssize_t n = raw_recv_dgram(fd, buf, sizeof(buf));
		assert_true(n > 0);
		r->datagrams++;
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n, count = 0;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len), count++) {
			assert_int_equal(nlh->nlmsg_seq, seq);
			if (nlh->nlmsg_type == NLMSG_DONE) {
				assert_int_equal(nlh->nlmsg_flags & NLM_F_MULTI, NLM_F_MULTI);
				assert_int_equal(*(const int *)mnl_nlmsg_get_payload(nlh), 0);
				r->done++;
				continue;
			}
			if (nlh->nlmsg_type == EVB_MSG_RESULT) {
				r->results++;
				assert_int_equal(ipc_parse_answer(nlh, &AT), 0);
				continue;
			}
			assert_int_equal(nlh->nlmsg_type, type);
			assert_int_equal(nlh->nlmsg_flags & NLM_F_MULTI, NLM_F_MULTI);
			struct ipc_attrs a;
			assert_int_equal(ipc_parse_answer(nlh, &a), 0);
			if (keep_attrs)
				AT = a;
			if (type == EVB_MSG_VSI) {
				const uint8_t *id = mnl_attr_get_payload(a.tb[EVB_A_VSIID]);
				unsigned port =
				    !strcmp(mnl_attr_get_str(a.tb[EVB_A_IFNAME]), "br0");
				unsigned k = (unsigned)id[14] << 8 | id[15];
				if (r->seen[port][k / 8] & (1u << (k % 8)))
					r->dup = true;
				r->seen[port][k / 8] |= (uint8_t)(1u << (k % 8));
			}
			r->items++;
		}
		assert_int_equal(len, 0);
		if (count > 1 && (unsigned)n > r->max_multi_len)
			r->max_multi_len = (unsigned)n;
	}
	assert_true(raw_nothing(fd)); /* nothing after the end */
}

static void test_port_dump(void **state)
{
	(void)state;
	uint8_t buf[256];
	int fd = raw_open(0);
	struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
	nlh->nlmsg_seq = 4242;
	raw_send(fd, nlh, nlh->nlmsg_len);
	struct dump_res r;
	dump_collect(fd, 4242, EVB_MSG_PORT, &r, false);
	assert_int_equal(r.items, 2);
	assert_int_equal(r.done, 1);
	assert_int_equal(r.datagrams, 1); /* both ports and DONE share one datagram */

	/* One port, by name: every attribute as the port holds it. */
	nlh = ipc_req_start(buf, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "st0");
	nlh->nlmsg_seq = 4243;
	raw_send(fd, nlh, nlh->nlmsg_len);
	dump_collect(fd, 4243, EVB_MSG_PORT, &r, true);
	assert_int_equal(r.items, 1);
	assert_string_equal(mnl_attr_get_str(AT.tb[EVB_A_IFNAME]), "st0");
	assert_int_equal(at_u8(EVB_A_ROLE), EVB_ROLE_STATION);
	assert_int_equal(at_u8(EVB_A_LINK), 1);
	assert_int_equal(at_u8(EVB_A_PRESENT), 1);
	assert_memory_equal(mnl_attr_get_payload(AT.tb[EVB_A_PORT_MAC]), P_ST->mac, 6);
	const struct nlattr *tb[EVB_OA_MAX];
	assert_int_equal(ipc_nest_parse(AT.tb[EVB_A_OPER], tb, NULL, 0), 0);
	assert_int_equal(mnl_attr_get_u8(tb[EVB_OA_VALID]), 1);
	assert_int_equal(mnl_attr_get_u8(tb[EVB_OA_R]), 3);
	assert_int_equal(mnl_attr_get_u8(tb[EVB_OA_RTE]), 8);
	assert_int_equal(mnl_attr_get_u8(tb[EVB_OA_RWD]), 14);
	assert_int_equal(mnl_attr_get_u8(tb[EVB_OA_RKA]), 14);
	assert_int_equal(mnl_attr_get_u8(tb[EVB_OA_RR]), 1);
	assert_int_equal(mnl_attr_get_u8(tb[EVB_OA_GID]), 0);
	assert_null(AT.tb[EVB_A_NEIGHBOR]); /* none seen */
	const struct nlattr *dt[EVB_DA_MAX];
	assert_int_equal(ipc_nest_parse(AT.tb[EVB_A_DROPS], dt, NULL, 0), 0);
	assert_int_equal(mnl_attr_get_u32(dt[EVB_DA_LLDP_BAD]), 7);
	const struct nlattr *ct[EVB_CA_MAX];
	assert_int_equal(ipc_nest_parse(AT.tb[EVB_A_VSI_COUNTS], ct, NULL, 0), 0);
	assert_int_equal(mnl_attr_get_u32(ct[EVB_CA_TOTAL]), P_ST->vdp.vsis.count);
	assert_non_null(AT.tb[EVB_A_ECP]);

	/* A neighbour shows with its IDs. */
	P_ST->lldp.nbr =
	    (struct lldp_neighbor){.valid = true,
				   .chassis = {.subtype = 4, .len = 6, .id = {2, 0, 0, 0, 0, 2}},
				   .port = {.subtype = 5, .len = 3, .id = "br0"},
				   .ttl = 120,
				   .has_evb = true,
				   .evb = {.mode = EVB_MODE_BRIDGE},
				   .mac = {2, 0, 0, 0, 0, 2}};
	nlh->nlmsg_seq = 4244;
	raw_send(fd, nlh, nlh->nlmsg_len);
	dump_collect(fd, 4244, EVB_MSG_PORT, &r, true);
	const struct nlattr *nt[EVB_NA_MAX];
	assert_int_equal(ipc_nest_parse(AT.tb[EVB_A_NEIGHBOR], nt, NULL, 0), 0);
	assert_int_equal(mnl_attr_get_payload_len(nt[EVB_NA_PORT]), 3);
	assert_memory_equal(mnl_attr_get_payload(nt[EVB_NA_PORT]), "br0", 3);
	assert_int_equal(mnl_attr_get_u8(nt[EVB_NA_CHASSIS_ST]), 4);
	assert_int_equal(mnl_attr_get_u16(nt[EVB_NA_TTL]), 120);
	assert_int_equal(mnl_attr_get_u8(nt[EVB_NA_MODE]), EVB_MODE_BRIDGE);
	P_ST->lldp.nbr.valid = false;

	/* Unknown port: one RESULT with the managed ports named, no DONE. */
	nlh = ipc_req_start(buf, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "zz9");
	nlh->nlmsg_seq = 4245;
	assert_int_equal(exchange_on(fd, nlh), ENODEV);
	assert_string_equal(AMSG, "no EVB port named zz9; evbd manages: st0, br0");
	assert_true(raw_nothing(fd));
	close(fd);
}

/* ---------------- server: VSI commands ---------------- */

static void test_associate_no_wait(void **state)
{
	(void)state;
	uint8_t buf[1024];
	KICKS = 0;
	assert_int_equal(exchange(vsi_req(buf, "st0", VDP_TLV_ASSOC, 1, 10, 0)), 0);
	assert_string_equal(AMSG, "");
	assert_true(KICKS > 0);
	/* The answer describes the VSI as the port holds it now. */
	assert_string_equal(mnl_attr_get_str(AT.tb[EVB_A_IFNAME]), "st0");
	assert_memory_equal(mnl_attr_get_payload(AT.tb[EVB_A_VSIID]), UUID1, 16);
	assert_int_equal(at_u8(EVB_A_VSIID_FMT), VDP_VSIID_UUID);
	assert_int_equal(at_u8(EVB_A_CMD), VDP_TLV_ASSOC);
	assert_int_equal(at_u8(EVB_A_RESULT), VSI_PENDING);
	assert_int_equal(at_u8(EVB_A_STATE), VDP_ST_LINKDOWN); /* port not started */
	assert_int_equal(at_u8(EVB_A_FIF), VDP_FIF_MACVID);
	assert_int_equal(mnl_attr_get_u32(AT.tb[EVB_A_TYPE_ID]), 5);
	assert_int_equal(AT.nfilters, 1);
	const struct nlattr *ft[EVB_FA_MAX];
	assert_int_equal(ipc_nest_parse(AT.filters[0], ft, NULL, 0), 0);
	assert_int_equal(mnl_attr_get_u16(ft[EVB_FA_VID]), 10);
	static const uint8_t mac[6] = {0x52, 0x54, 0, 0, 0, 1};
	assert_memory_equal(mnl_attr_get_payload(ft[EVB_FA_MAC]), mac, 6);
	assert_null(ft[EVB_FA_GROUP]);
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID};
	memcpy(k.id, UUID1, 16);
	assert_non_null(vsi_table_find(&P_ST->vdp.vsis, &k));
}

static void test_command_errors(void **state)
{
	(void)state;
	uint8_t buf[1024];
	char want[512], ks[80];

	/* no port named */
	assert_int_equal(exchange(vsi_req(buf, NULL, VDP_TLV_ASSOC, 1, 10, 0)), EINVAL);
	assert_string_equal(AMSG, "the request names no port (attribute IFNAME missing)");
	/* unknown port */
	assert_int_equal(exchange(vsi_req(buf, "eth9", VDP_TLV_ASSOC, 1, 10, 0)), ENODEV);
	assert_string_equal(AMSG, "no EVB port named eth9; evbd manages: st0, br0");
	/* bridge port */
	assert_int_equal(exchange(vsi_req(buf, "br0", VDP_TLV_ASSOC, 1, 10, 0)), EOPNOTSUPP);
	assert_string_equal(AMSG, "port br0 is a bridge port; VSIs are requested on station ports");
	/* de-associate of an unknown VSI */
	assert_int_equal(exchange(vsi_req(buf, "st0", VDP_TLV_DEASSOC, 999, 0, 0)), ENOENT);
	uint8_t id[16];
	uuid_n(id, 999);
	vdp_vsiid_str(VDP_VSIID_UUID, id, ks, sizeof(ks));
	snprintf(want, sizeof(want), "VSI %s is not known on port st0", ks);
	assert_string_equal(AMSG, want);
	/* command out of range */
	assert_int_equal(exchange(vsi_req(buf, "st0", 9, 1, 10, 0)), EINVAL);
	assert_string_equal(AMSG, "invalid VSI request for port st0: unknown VSI command 9 (1 "
				  "preassociate, 2 preassociate-rr, 3 associate, 4 deassociate)");
	/* VLAN 4095: the bridge's content rules, reason named */
	assert_int_equal(exchange(vsi_req(buf, "st0", VDP_TLV_ASSOC, 2, 4095, 0)), EINVAL);
	uuid_n(id, 2);
	vdp_vsiid_str(VDP_VSIID_UUID, id, ks, sizeof(ks));
	snprintf(want, sizeof(want), "cannot associate VSI %s on port st0: ", ks);
	assert_memory_equal(AMSG, want, strlen(want));
	snprintf(want, sizeof(want), "(%s, reason %u)", vdp_reason_name(VDP_RSN_INVALID_ID),
		 VDP_RSN_INVALID_ID);
	assert_non_null(strstr(AMSG, want));
	/* a multicast MAC is refused too, and nothing was created */
	struct nlmsghdr *nlh = cmd_start(buf, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "st0");
	mnl_attr_put_u8(nlh, EVB_A_CMD, VDP_TLV_ASSOC);
	mnl_attr_put_u8(nlh, EVB_A_VSIID_FMT, VDP_VSIID_UUID);
	mnl_attr_put(nlh, EVB_A_VSIID, 16, id);
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "invalid VSI request for port st0: the request lacks the VSI "
				  "type, its version, or filters");
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_UUID};
	memcpy(k.id, id, 16);
	assert_null(vsi_table_find(&P_ST->vdp.vsis, &k));
	/* a VSIID that is not valid for its format (IPv4 needs the ::ffff: prefix) */
	nlh = cmd_start(buf, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "st0");
	mnl_attr_put_u8(nlh, EVB_A_CMD, VDP_TLV_DEASSOC);
	mnl_attr_put_u8(nlh, EVB_A_VSIID_FMT, VDP_VSIID_IPV4);
	mnl_attr_put(nlh, EVB_A_VSIID, 16, UUID1);
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "invalid VSI request for port st0: the VSIID is not valid for "
				  "format 1 (ipv4)");
	/* hints with both bits */
	nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 3, 10, 0);
	mnl_attr_put_u8(nlh, EVB_A_HINTS, VDP_STATUS_MBIT | VDP_STATUS_SBIT);
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "invalid VSI request for port st0: hints must be none, "
				  "migrate-to or migrate-from");
	/* type ID over 24 bits */
	nlh = cmd_start(buf, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "st0");
	mnl_attr_put_u8(nlh, EVB_A_CMD, VDP_TLV_ASSOC);
	mnl_attr_put_u8(nlh, EVB_A_VSIID_FMT, VDP_VSIID_UUID);
	mnl_attr_put(nlh, EVB_A_VSIID, 16, id);
	mnl_attr_put_u32(nlh, EVB_A_TYPE_ID, 0x1000000);
	mnl_attr_put_u8(nlh, EVB_A_TYPE_VER, 1);
	mnl_attr_put_u8(nlh, EVB_A_FIF, VDP_FIF_VID);
	struct nlattr *f = mnl_attr_nest_start(nlh, EVB_A_FILTER);
	mnl_attr_put_u16(nlh, EVB_FA_VID, 1);
	mnl_attr_nest_end(nlh, f);
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "invalid VSI request for port st0: the VSI type ID exceeds 24 "
				  "bits");
	/* filter lacking the MAC its format needs */
	nlh = cmd_start(buf, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "st0");
	mnl_attr_put_u8(nlh, EVB_A_CMD, VDP_TLV_ASSOC);
	mnl_attr_put_u8(nlh, EVB_A_VSIID_FMT, VDP_VSIID_UUID);
	mnl_attr_put(nlh, EVB_A_VSIID, 16, id);
	mnl_attr_put_u32(nlh, EVB_A_TYPE_ID, 1);
	mnl_attr_put_u8(nlh, EVB_A_TYPE_VER, 1);
	mnl_attr_put_u8(nlh, EVB_A_FIF, VDP_FIF_GROUPMACVID);
	f = mnl_attr_nest_start(nlh, EVB_A_FILTER);
	mnl_attr_put_u16(nlh, EVB_FA_VID, 1);
	mnl_attr_put_u32(nlh, EVB_FA_GROUP, 9);
	mnl_attr_nest_end(nlh, f);
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "invalid VSI request for port st0: a filter lacks the VLAN ID, "
				  "MAC, group");
}

static void test_malformed_requests(void **state)
{
	(void)state;
	uint8_t buf[8192];
	const struct ipc_stats *st = ipc_get_stats(D.ipc);

	/* attribute of the wrong size */
	struct nlmsghdr *nlh = cmd_start(buf, 0);
	mnl_attr_put_u32(nlh, EVB_A_CMD, 3);
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "malformed request: attribute 4 has a bad length or value");
	/* an attribute twice */
	nlh = cmd_start(buf, 0);
	mnl_attr_put_u8(nlh, EVB_A_CMD, 3);
	mnl_attr_put_u8(nlh, EVB_A_CMD, 3);
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "malformed request: attribute 4 appears twice");
	/* IFNAME without its NUL */
	nlh = cmd_start(buf, 0);
	mnl_attr_put(nlh, EVB_A_IFNAME, 3, "st0");
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "malformed request: attribute 3 has a bad length or value");
	/* IFNAME longer than an interface name */
	nlh = cmd_start(buf, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "abcdefghijklmnopq");
	assert_int_equal(exchange(nlh), EINVAL);
	/* trailing octets that are not an attribute */
	nlh = cmd_start(buf, 0);
	mnl_attr_put_u8(nlh, EVB_A_CMD, 3);
	memset((uint8_t *)nlh + nlh->nlmsg_len, 0, 3);
	nlh->nlmsg_len += 3;
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "malformed request: attributes are truncated");
	/* a filter nest with a 1-octet VID */
	nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 4, 10, 0);
	struct nlattr *f = mnl_attr_nest_start(nlh, EVB_A_FILTER);
	mnl_attr_put_u8(nlh, EVB_FA_VID, 1);
	mnl_attr_nest_end(nlh, f);
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "invalid VSI request for port st0: attribute 2 has a bad length "
				  "or value");
	/* more filters than a VSI TLV holds */
	nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 4, 10, 0);
	for (int i = 0; i < VDP_MAX_FILTERS; i++) {
		f = mnl_attr_nest_start(nlh, EVB_A_FILTER);
		mnl_attr_put_u16(nlh, EVB_FA_VID, 1);
		mnl_attr_nest_end(nlh, f);
	}
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "malformed request: more than 243 filters");
	/* unknown attributes are ignored (newer clients) */
	nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 4, 10, 0);
	mnl_attr_put_u32(nlh, 200, 1);
	assert_int_equal(exchange(nlh), 0);
	/* unknown message type */
	nlh = ipc_req_start(buf, 77, 0, 0);
	nlh->nlmsg_seq = ++SEQ;
	assert_int_equal(exchange(nlh), EOPNOTSUPP);
	assert_string_equal(AMSG, "evbd does not understand control message type 77; is evbctl "
				  "newer than evbd?");
	/* another protocol version */
	nlh = ipc_req_start(buf, EVB_MSG_VSI_GET, NLM_F_DUMP, 0);
	((struct evb_ipc_hdr *)mnl_nlmsg_get_payload(nlh))->version = 2;
	nlh->nlmsg_seq = ++SEQ;
	assert_int_equal(exchange(nlh), EPROTONOSUPPORT);
	assert_string_equal(AMSG, "the client speaks control protocol version 2 but this evbd "
				  "speaks 1; use the evbctl that came with this evbd");
	/* no room for the evbd header */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = EVB_MSG_VSI_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++SEQ;
	assert_int_equal(exchange(nlh), EINVAL);
	assert_string_equal(AMSG, "malformed request: the message is shorter than the evbd header");

	/* Not requests: no answer at all, counted. */
	uint32_t before = st->rx_malformed;
	nlh = ipc_req_start(buf, EVB_MSG_VSI_GET, 0, 0);
	nlh->nlmsg_flags = 0; /* no NLM_F_REQUEST */
	send_only(nlh);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_NOOP;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	send_only(nlh);
	/* a header claiming more octets than the datagram holds */
	nlh = ipc_req_start(buf, EVB_MSG_VSI_GET, 0, 0);
	size_t real = nlh->nlmsg_len;
	nlh->nlmsg_len = 200;
	raw_send(CLI, nlh, real);
	/* a length of 2^32 - 16 (negative as an int) */
	nlh = ipc_req_start(buf, EVB_MSG_VSI_GET, 0, 0);
	real = nlh->nlmsg_len;
	nlh->nlmsg_len = 0xfffffff0u;
	raw_send(CLI, nlh, real);
	assert_true(raw_nothing(CLI));
	assert_int_equal(st->rx_malformed, before + 4);

	/* Two requests in one datagram: two answers, in order. */
	nlh = vsi_req(buf, "eth9", VDP_TLV_DEASSOC, 1, 0, 0);
	struct nlmsghdr *n2 =
	    vsi_req(buf + MNL_ALIGN(nlh->nlmsg_len), "st0", VDP_TLV_DEASSOC, 998, 0, 0);
	raw_send(CLI, buf, MNL_ALIGN(nlh->nlmsg_len) + n2->nlmsg_len);
	uint32_t s1 = nlh->nlmsg_seq, s2 = n2->nlmsg_seq;
	assert_int_equal(answer_for(s1), ENODEV);
	assert_int_equal(answer_for(s2), ENOENT);
	assert_true(raw_nothing(CLI));
}

/* ---------------- server: waiting for the bridge ---------------- */

static void key_text(uint32_t n, char *buf, size_t cap)
{
	uint8_t id[16];
	uuid_n(id, n);
	vdp_vsiid_str(VDP_VSIID_UUID, id, buf, cap);
}

static void test_wait_associated(void **state)
{
	(void)state;
	uint8_t buf[1024];
	drop_all_vsis();
	start_ports();
	WIRE_DROP = false;
	REFUSE = false;
	struct nlmsghdr *nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 10, 100, EVB_F_WAIT);
	uint32_t seq = nlh->nlmsg_seq;
	send_only(nlh);
	assert_true(raw_nothing(CLI)); /* nothing until the bridge answered */
	assert_int_equal(ipc_get_stats(D.ipc)->waiters, 1);
	wire_run();
	assert_int_equal(answer_for(seq), 0);
	assert_string_equal(AMSG, "");
	assert_int_equal(at_u8(EVB_A_RESULT), VSI_ASSOCIATED);
	assert_int_equal(at_u8(EVB_A_CONFIRMED), VDP_TLV_ASSOC);
	assert_int_equal(ipc_get_stats(D.ipc)->waiters, 0);
	assert_true(raw_nothing(CLI));

	/* The bridge lists it too (dump of br0 only). */
	int fd = raw_open(0);
	nlh = ipc_req_start(buf, EVB_MSG_VSI_GET, NLM_F_DUMP, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "br0");
	nlh->nlmsg_seq = 77;
	raw_send(fd, nlh, nlh->nlmsg_len);
	struct dump_res r;
	dump_collect(fd, 77, EVB_MSG_VSI, &r, true);
	assert_int_equal(r.items, 1);
	assert_int_equal(at_u8(EVB_A_ROLE), EVB_ROLE_BRIDGE);
	assert_int_equal(at_u8(EVB_A_RESULT), VSI_ASSOCIATED);
	close(fd);

	/* De-associate with wait: answered when the VSI ended. */
	nlh = vsi_req(buf, "st0", VDP_TLV_DEASSOC, 10, 0, EVB_F_WAIT);
	seq = nlh->nlmsg_seq;
	send_only(nlh);
	assert_true(raw_nothing(CLI));
	wire_run();
	assert_int_equal(answer_for(seq), 0);
	assert_int_equal(at_u8(EVB_A_RESULT), VSI_DEASSOCIATED);
	assert_int_equal(P_ST->vdp.vsis.count, 0);
	assert_int_equal(P_BR->vdp.vsis.count, 0);
}

static void test_wait_refused(void **state)
{
	(void)state;
	uint8_t buf[1024];
	char want[512], ks[80];
	REFUSE = true;
	WIRE_DROP = false;
	struct nlmsghdr *nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 11, 100, EVB_F_WAIT);
	uint32_t seq = nlh->nlmsg_seq;
	send_only(nlh);
	wire_run();
	assert_int_equal(answer_for(seq), ECONNREFUSED);
	key_text(11, ks, sizeof(ks));
	snprintf(want, sizeof(want),
		 "bridge refused to associate VSI %s on port st0: %s (reason 2)", ks,
		 vdp_reason_name(VDP_RSN_NO_RESOURCES));
	assert_string_equal(AMSG, want);
	assert_int_equal(at_u8(EVB_A_RESULT), VSI_FAILED);
	assert_int_equal(at_u8(EVB_A_REASON), VDP_RSN_NO_RESOURCES);
	REFUSE = false;
}

static void test_wait_no_answer(void **state)
{
	(void)state;
	uint8_t buf[1024];
	char want[512], ks[80];
	WIRE_DROP = true;
	struct nlmsghdr *nlh = vsi_req(buf, "st0", VDP_TLV_PREASSOC, 12, 100, EVB_F_WAIT);
	uint32_t seq = nlh->nlmsg_seq;
	send_only(nlh);
	wire_run();
	for (int i = 0; i < 2000 && raw_nothing(CLI); i++) {
		NOW += 20000;
		vdp_port_run(&P_ST->vdp, NOW);
	}
	assert_int_equal(answer_for(seq), ETIMEDOUT);
	key_text(12, ks, sizeof(ks));
	snprintf(want, sizeof(want),
		 "no answer from the bridge to the preassociate request for VSI %s on port st0; "
		 "the VSI is failed",
		 ks);
	assert_string_equal(AMSG, want);
	WIRE_DROP = false;
}

static void test_wait_superseded_and_shutdown(void **state)
{
	(void)state;
	uint8_t buf[1024];
	char want[512], ks[80];
	WIRE_DROP = true; /* nothing ever answers */
	struct nlmsghdr *nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 13, 100, EVB_F_WAIT);
	uint32_t s1 = nlh->nlmsg_seq;
	send_only(nlh);
	/* a second waiter for the same command stays */
	nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 13, 100, EVB_F_WAIT);
	uint32_t s2 = nlh->nlmsg_seq;
	send_only(nlh);
	assert_true(raw_nothing(CLI));
	assert_int_equal(ipc_get_stats(D.ipc)->waiters, 2);
	/* a de-associate supersedes both (and is answered itself at once) */
	nlh = vsi_req(buf, "st0", VDP_TLV_DEASSOC, 13, 0, 0);
	uint32_t s3 = nlh->nlmsg_seq;
	send_only(nlh);
	key_text(13, ks, sizeof(ks));
	snprintf(want, sizeof(want),
		 "the associate request for VSI %s on port st0 was superseded by a later "
		 "deassociate request",
		 ks);
	uint32_t got[3];
	for (int i = 0; i < 3; i++) {
		ssize_t n = raw_recv(CLI, ABUF, sizeof(ABUF));
		assert_true(n > 0);
		const struct nlmsghdr *a = (const struct nlmsghdr *)ABUF;
		got[i] = a->nlmsg_seq;
		assert_int_equal(ipc_parse_answer(a, &AT), 0);
		const char *m;
		int e = ipc_get_result(&AT, &m);
		if (a->nlmsg_seq == s3) {
			assert_int_equal(e, 0);
		} else {
			assert_int_equal(e, ECANCELED);
			assert_string_equal(m, want);
		}
	}
	assert_true((got[0] == s1 || got[0] == s2) && (got[1] == s1 || got[1] == s2) &&
		    got[2] == s3);
	assert_int_equal(ipc_get_stats(D.ipc)->waiters, 0);

	/* The port goes away: its waiters end with ESHUTDOWN. */
	nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 14, 100, EVB_F_WAIT);
	uint32_t s4 = nlh->nlmsg_seq;
	send_only(nlh);
	ipc_port_removed(D.ipc, P_BR); /* another port: nothing */
	assert_true(raw_nothing(CLI));
	ipc_port_removed(D.ipc, P_ST);
	assert_int_equal(answer_for(s4), ESHUTDOWN);
	key_text(14, ks, sizeof(ks));
	snprintf(want, sizeof(want),
		 "the associate request for VSI %s on port st0 ended: the port is being removed "
		 "from evbd",
		 ks);
	assert_string_equal(AMSG, want);

	/* The daemon stops: ESHUTDOWN too; then the socket reopens. */
	nlh = vsi_req(buf, "st0", VDP_TLV_ASSOC, 15, 100, EVB_F_WAIT);
	uint32_t s5 = nlh->nlmsg_seq;
	send_only(nlh);
	ipc_close(D.ipc);
	assert_null(D.ipc);
	assert_int_equal(answer_for(s5), ESHUTDOWN);
	assert_non_null(strstr(AMSG, "ended: evbd is shutting down"));
	assert_int_equal(ipc_open(&D), 0);
	WIRE_DROP = false;
}

static void test_wait_outcome_table(void **state)
{
	(void)state;
	/* what was asked, and got */
	assert_int_equal(ipc_wait_outcome(VDP_TLV_ASSOC, VSI_ASSOCIATED, 0, false), 0);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_PREASSOC, VSI_PREASSOCIATED, 0, false), 0);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_PREASSOC_RR, VSI_PREASSOCIATED_RR, 0, false), 0);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_DEASSOC, VSI_DEASSOCIATED, 0, true), 0);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_DEASSOC, VSI_DEASSOCIATED, 2, true), 0);
	/* still pending */
	assert_int_equal(ipc_wait_outcome(VDP_TLV_ASSOC, VSI_PENDING, 0, false), -EINPROGRESS);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_DEASSOC, VSI_PENDING, 0, false), -EINPROGRESS);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_DEASSOC, VSI_ASSOCIATED, 0, false), -EINPROGRESS);
	/* refusals */
	assert_int_equal(ipc_wait_outcome(VDP_TLV_ASSOC, VSI_FAILED, 2, true), ECONNREFUSED);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_ASSOC, VSI_PREASSOCIATED, 2, false),
			 ECONNREFUSED);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_ASSOC, VSI_ASSOCIATED, 2, false), ECONNREFUSED);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_ASSOC, VSI_DEASSOCIATED, 0, true), ECONNREFUSED);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_PREASSOC_RR, VSI_PREASSOCIATED, 0, false),
			 ECONNREFUSED);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_DEASSOC, VSI_FAILED, 4, true), ECONNREFUSED);
	/* no answer */
	assert_int_equal(ipc_wait_outcome(VDP_TLV_ASSOC, VSI_FAILED, 0, true), ETIMEDOUT);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_ASSOC, VSI_PENDING, 0, true), ETIMEDOUT);
	assert_int_equal(ipc_wait_outcome(VDP_TLV_DEASSOC, VSI_FAILED, 0, true), ETIMEDOUT);
}

/* 10,000 waiters at once, ended together; the answers overflow the client's
 * buffer and arrive through the server's backlog, each exactly once. */
static void test_many_waiters(void **state)
{
	(void)state;
	enum { N = 10000 };
	static uint8_t buf[16384 + 1024];
	drop_all_vsis();
	vdp_port_stop(&P_ST->vdp, NOW); /* requests wait for the link */
	int fd = raw_open(65536);
	size_t off = 0;
	uint32_t first = SEQ + 1;
	for (uint32_t i = 0; i < N; i++) {
		struct nlmsghdr *nlh =
		    vsi_req(buf + off, "st0", VDP_TLV_ASSOC, 20000 + i, 5, EVB_F_WAIT);
		off += MNL_ALIGN(nlh->nlmsg_len);
		if (off > 16000 || i == N - 1) {
			raw_send(fd, buf, off);
			off = 0;
			serve();
		}
	}
	serve();
	assert_int_equal(ipc_get_stats(D.ipc)->waiters, N);
	assert_int_equal(P_ST->vdp.vsis.count, N);
	uint32_t backlogged = ipc_get_stats(D.ipc)->tx_backlogged;
	ipc_port_removed(D.ipc, P_ST);
	assert_int_equal(ipc_get_stats(D.ipc)->waiters, 0);
	static uint8_t seen[N];
	memset(seen, 0, sizeof(seen));
	unsigned got = 0;
	while (got < N) {
		ssize_t n = raw_recv(fd, ABUF, sizeof(ABUF));
		assert_true(n > 0);
		const struct nlmsghdr *a = (const struct nlmsghdr *)ABUF;
		uint32_t k = a->nlmsg_seq - first;
		assert_true(k < N);
		assert_int_equal(seen[k], 0);
		seen[k] = 1;
		assert_int_equal(ipc_parse_answer(a, &AT), 0);
		const char *m;
		assert_int_equal(ipc_get_result(&AT, &m), ESHUTDOWN);
		got++;
	}
	assert_true(raw_nothing(fd));
	assert_true(ipc_get_stats(D.ipc)->tx_backlogged > backlogged);
	assert_int_equal(ipc_get_stats(D.ipc)->tx_lost, 0);
	close(fd);
}

/* A dump of 20,000 VSIs to a client with a small buffer: multipart datagrams
 * of at most 16 KiB, resumed after EAGAIN, every VSI once, one DONE. */
static void test_big_dump(void **state)
{
	(void)state;
	enum { N = 20000 };
	/* the VSIs of test_many_waiters are still on st0 */
	assert_int_equal(P_ST->vdp.vsis.count, N / 2);
	for (uint32_t i = N / 2; i < N; i++) {
		struct vdp_filter f = {.vid = 7,
				       .mac = {0x52, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i}};
		struct vdp_request r = {.type = VDP_TLV_ASSOC,
					.type_id = 1,
					.type_ver = 1,
					.key = {.fmt = VDP_VSIID_UUID},
					.fif = VDP_FIF_MACVID,
					.nfilters = 1,
					.filters = &f};
		uuid_n(r.key.id, 20000 + i);
		assert_int_equal(vdp_port_request(&P_ST->vdp, &r, NOW, NULL, NULL), 0);
	}
	assert_int_equal(P_ST->vdp.vsis.count, N);
	int fd = raw_open(32768);
	uint8_t buf[128];
	struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_VSI_GET, NLM_F_DUMP, 0);
	nlh->nlmsg_seq = 9999;
	uint32_t backlogged = ipc_get_stats(D.ipc)->tx_backlogged;
	raw_send(fd, nlh, nlh->nlmsg_len);
	static struct dump_res r;
	dump_collect(fd, 9999, EVB_MSG_VSI, &r, false);
	assert_int_equal(r.items, N);
	assert_int_equal(r.done, 1);
	assert_false(r.dup);
	assert_true(r.max_multi_len <= 16384);
	assert_true(r.datagrams > N / 200);
	assert_true(ipc_get_stats(D.ipc)->tx_backlogged > backlogged);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t k = (20000 + i) & 0xffff;
		assert_true(r.seen[0][k / 8] & (1u << (k % 8)));
	}
	close(fd);
}

/* ---------------- server: memory budgets and zeroed answers ---------------- */

/* Every padding octet of the attributes from a (nested ones too) is 0. */
static unsigned pad_dirty(const struct nlattr *a, size_t len)
{
	unsigned dirty = 0;
	while (len >= sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= len) {
		const uint8_t *b = (const uint8_t *)a;
		size_t al = MNL_ALIGN(a->nla_len), step = al < len ? al : len;
		for (size_t i = a->nla_len; i < step; i++)
			dirty += b[i] != 0;
		if (a->nla_type & NLA_F_NESTED)
			dirty += pad_dirty(mnl_attr_get_payload(a), a->nla_len - MNL_ATTR_HDRLEN);
		len -= step;
		a = (const struct nlattr *)(b + step);
	}
	return dirty;
}

/* Non-zero padding octets in a datagram of answers; counts its messages. */
static unsigned dgram_dirty(const void *buf, size_t n, unsigned *msgs)
{
	unsigned dirty = 0;
	int len = (int)n;
	const struct nlmsghdr *nlh = buf;
	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len), (*msgs)++) {
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		size_t hdr = MNL_ALIGN(sizeof(struct evb_ipc_hdr));
		const uint8_t *h = mnl_nlmsg_get_payload(nlh);
		for (size_t i = sizeof(struct evb_ipc_hdr); i < hdr; i++)
			dirty += h[i] != 0;
		dirty += pad_dirty((const struct nlattr *)(h + hdr),
				   mnl_nlmsg_get_payload_len(nlh) - hdr);
	}
	assert_int_equal(len, 0);
	return dirty;
}

/* The heap and the answer buffer as a busy daemon leaves them: full of
 * other bytes (freed blocks the size of a dump's buffer, kept from the
 * top of the heap by a fence, which the caller frees). */
static void *dirty_heap(void)
{
	void *b[16];
	for (int i = 0; i < 16; i++) {
		b[i] = malloc(EVBD_IPC_MAX_MSG);
		assert_non_null(b[i]);
		memset(b[i], 0xAA, EVBD_IPC_MAX_MSG);
	}
	void *fence = malloc(64);
	for (int i = 15; i >= 0; i--)
		free(b[i]);
	memset(D.ipc->tbuf, 0xAA, sizeof(D.ipc->tbuf));
	return fence;
}

/* Dumps and RESULT answers carry no stale memory in their padding. */
static void test_answers_zeroed(void **state)
{
	(void)state;
	int fd = raw_open(0);
	uint8_t req[256], buf[EVBD_IPC_MAX_MSG];
	unsigned dirty = 0, msgs = 0;
	uint16_t types[] = {EVB_MSG_VSI_GET, EVB_MSG_PORT_GET};
	for (size_t t = 0; t < 2; t++) {
		void *fence = dirty_heap();
		struct nlmsghdr *nlh = ipc_req_start(req, types[t], NLM_F_DUMP, 0);
		nlh->nlmsg_seq = 4242;
		raw_send(fd, nlh, nlh->nlmsg_len);
		bool done = false;
		while (!done) {
			ssize_t n = raw_recv_dgram(fd, buf, sizeof(buf));
			assert_true(n > 0);
			dirty += dgram_dirty(buf, (size_t)n, &msgs);
			done = ((const struct nlmsghdr *)(buf + n -
							  NLMSG_ALIGN(sizeof(struct nlmsghdr)) -
							  NLMSG_ALIGN(sizeof(int))))
				   ->nlmsg_type == NLMSG_DONE;
		}
		free(fence);
	}
	/* RESULTs with sentences of each length modulo 4 */
	const char *const names[] = {"n", "nx", "nxy", "nxyz"};
	for (size_t i = 0; i < 4; i++) {
		free(dirty_heap());
		struct nlmsghdr *nlh = vsi_req(req, names[i], VDP_TLV_ASSOC, 1, 5, 0);
		raw_send(fd, nlh, nlh->nlmsg_len);
		ssize_t n = raw_recv_dgram(fd, buf, sizeof(buf));
		assert_true(n > 0);
		dirty += dgram_dirty(buf, (size_t)n, &msgs);
	}
	assert_true(msgs > 20000);
	assert_int_equal(dirty, 0);
	close(fd);
}

/* Datagrams full of port dump requests from fd; how many requests. */
static unsigned flood_dumps(int fd, unsigned datagrams)
{
	static uint8_t buf[16384];
	unsigned n = 0;
	for (unsigned d = 0; d < datagrams; d++) {
		size_t off = 0;
		while (off + 64 < sizeof(buf)) {
			struct nlmsghdr *nlh =
			    ipc_req_start(buf + off, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
			nlh->nlmsg_seq = ++SEQ;
			off += MNL_ALIGN(nlh->nlmsg_len);
			n++;
		}
		raw_send(fd, buf, off);
		serve();
	}
	return n;
}

/* A client that sends dump requests and never reads: what is held for it
 * stays within its budget, the rest is refused with a sentence (then
 * dropped), all counted; then it is cut off although it reads a datagram
 * every 9 s. */
static void test_dump_flood_budget(void **state)
{
	(void)state;
	const struct ipc_stats *st = ipc_get_stats(D.ipc);
	uint32_t over = st->over_budget, stalled = st->stalled;
	int fd = raw_open(4096);
	flood_dumps(fd, 40); /* 40 x ~800 dumps */
	assert_true(st->held > IPC_PEER_BUDGET / 2);
	assert_true(st->held_peak <= IPC_PEER_BUDGET + IPC_REFUSAL_ROOM + IPC_BUF);
	assert_true(st->over_budget - over > 20000);
	/* root's requests on another socket are still answered */
	assert_int_equal(exchange(vsi_req(ABUF, "nosuch", VDP_TLV_ASSOC, 1, 5, 0)), ENODEV);
	/* the reader of one datagram every 9 s: cut off within two windows */
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	for (int i = 0; i < 3 && st->stalled == stalled; i++) {
		NOW += 9 * 1000000ull;
		assert_true(recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0);
		ipc_flush(D.ipc);
	}
	assert_int_equal(st->stalled, stalled + 1);
	assert_int_equal(st->held, 0);
	close(fd);

	/* a client that reads: the dumps it got in, then the refusal's sentence */
	fd = raw_open(4096);
	unsigned sent = flood_dumps(fd, 1);
	unsigned dones = 0, refusals = 0;
	for (;;) {
		ssize_t n = raw_recv_dgram(fd, buf, sizeof(buf));
		if (n < 0)
			break;
		int len = (int)n;
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			dones += nlh->nlmsg_type == NLMSG_DONE;
			if (nlh->nlmsg_type != EVB_MSG_RESULT)
				continue;
			assert_int_equal(ipc_parse_answer(nlh, &AT), 0);
			const char *m;
			assert_int_equal(ipc_get_result(&AT, &m), ENOBUFS);
			if (!refusals++)
				snprintf(AMSG, sizeof(AMSG), "%s", m);
		}
	}
	assert_int_equal(dones + refusals, sent); /* each answered */
	assert_true(dones < IPC_PEER_BUDGET / IPC_BUF + 16);
	assert_true(refusals > sent / 2);
	char want[160];
	snprintf(want, sizeof(want), "exceed its budget of %u KiB; read them first",
		 IPC_PEER_BUDGET >> 10);
	assert_non_null(strstr(AMSG, want));
	assert_non_null(strstr(AMSG, "the answers waiting for port id "));
	assert_int_equal(st->held, 0);
	close(fd);
}

/* STATS_GET (after the flood above): evbd's counters as the server keeps
 * them, the version, the ports, the uptime on the loop's clock; no store. */
static void test_stats(void **state)
{
	(void)state;
	const struct ipc_stats *st = ipc_get_stats(D.ipc);
	static struct ipc_daemon d;
	uint8_t b[256];
	assert_int_equal(exchange(ipc_req_start(b, EVB_MSG_STATS_GET, 0, 0)), 0);
	assert_non_null(AT.tb[EVB_A_STATS]);
	assert_int_equal(ipc_get_daemon(AT.tb[EVB_A_STATS], &d, AMSG, sizeof(AMSG)), 0);
	assert_string_equal(d.version, EVBD_VERSION);
	assert_int_equal(d.ports, 2);
	assert_true(d.uptime_us == NOW - D.ipc->opened_us && d.uptime_us > 0);
	assert_true(d.sock.over_budget > 20000);
	assert_int_equal(d.sock.over_budget, st->over_budget);
	assert_int_equal(d.sock.stalled, st->stalled);
	assert_int_equal(d.sock.requests + 1, st->requests); /* this one counted after */
	assert_int_equal(d.sock.tx_lost, st->tx_lost);
	assert_true(d.held_peak == st->held_peak && d.held == st->held);
	assert_false(d.persistent);
	assert_string_equal(d.store_why, "");
}

/* ---------------- server: authorization ---------------- */

/* A child with uid/gid 65534 sends one associate; returns its errno. */
static int as_nobody(const char *group)
{
	snprintf(D.conf.admin_group, sizeof(D.conf.admin_group), "%s", group);
	int pipefd[2];
	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pipefd[0]);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);
		struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
		bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		uint8_t b[1024];
		struct nlmsghdr *nlh = vsi_req(b, "st0", VDP_TLV_ASSOC, 30, 10, 0);
		sa.nl_pid = EVBD_IPC_PORTID;
		sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa));
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 5000) != 1)
			_exit(101);
		ssize_t n = recv(fd, b, sizeof(b), 0);
		if (n < 0)
			_exit(102);
		(void)!write(pipefd[1], b, (size_t)n);
		_exit(0);
	}
	close(pipefd[1]);
	int status;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		serve();
		usleep(1000);
	}
	if (WEXITSTATUS(status) == 100) {
		close(pipefd[0]);
		return -1; /* cannot become nobody here */
	}
	assert_int_equal(WEXITSTATUS(status), 0);
	ssize_t n = read(pipefd[0], ABUF, sizeof(ABUF));
	close(pipefd[0]);
	assert_true(n > 0);
	assert_int_equal(ipc_parse_answer((struct nlmsghdr *)ABUF, &AT), 0);
	const char *m;
	int e = ipc_get_result(&AT, &m);
	snprintf(AMSG, sizeof(AMSG), "%s", m);
	return e;
}

static void test_authorization(void **state)
{
	(void)state;
	struct group *ng = getgrgid(65534);
	if (as_nobody("") < 0 || !ng)
		skip();
	assert_int_equal(as_nobody(""), EPERM);
	assert_string_equal(AMSG, "changing VSIs needs root (uid 65534 is not; set admin-group in "
				  "evbd.conf to allow a group)");
	assert_int_equal(as_nobody("root"), EPERM);
	assert_string_equal(AMSG, "changing VSIs needs root or membership in group 'root'; uid "
				  "65534 is neither (add the user to 'root' or run as root)");
	assert_int_equal(as_nobody("no-such-group-evbd"), EPERM);
	char group[64];
	snprintf(group, sizeof(group), "%s", ng->gr_name);
	assert_int_equal(as_nobody(group), 0); /* primary group */
	assert_true(ipc_get_stats(D.ipc)->refused >= 3);
	D.conf.admin_group[0] = '\0';

	/* Reads are open to anyone: a dump as nobody. */
	pid_t pid = fork();
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);
		struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
		bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		uint8_t b[65536];
		struct nlmsghdr *nlh = ipc_req_start(b, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
		sa.nl_pid = EVBD_IPC_PORTID;
		sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa));
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 5000) != 1 || recv(fd, b, sizeof(b), 0) <= 0)
			_exit(101);
		_exit(((struct nlmsghdr *)b)->nlmsg_type == EVB_MSG_PORT ? 0 : 102);
	}
	int status;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		serve();
		usleep(1000);
	}
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---------------- client library ---------------- */

static volatile bool LOOP_STOP;

static void *loop_thread(void *arg)
{
	(void)arg;
	while (!LOOP_STOP) {
		event_base_loop(D.loop.base, EVLOOP_NONBLOCK);
		usleep(200);
	}
	return NULL;
}

static unsigned CB_PORTS, CB_RESULTS;
static void count_ports(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	if (nlh->nlmsg_type == EVB_MSG_PORT)
		CB_PORTS++;
}

static void count_results(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	CB_RESULTS += nlh->nlmsg_type == EVB_MSG_RESULT;
}

static void test_client_call(void **state)
{
	(void)state;
	struct ipc_client *c;
	char err[256];
	assert_int_equal(ipc_client_open(&c, err, sizeof(err)), 0);
	pthread_t th;
	LOOP_STOP = false;
	assert_int_equal(pthread_create(&th, NULL, loop_thread, NULL), 0);
	uint8_t buf[1024];
	const char *msg;
	CB_PORTS = 0;
	struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
	assert_int_equal(ipc_client_call(c, nlh, 2000, count_ports, NULL, &msg), 0);
	assert_int_equal(CB_PORTS, 2);
	/* an error answer: its errno and sentence */
	nlh = ipc_req_start(buf, EVB_MSG_VSI_GET, NLM_F_DUMP, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "nope");
	assert_int_equal(ipc_client_call(c, nlh, 2000, NULL, NULL, &msg), ENODEV);
	assert_string_equal(msg, "no EVB port named nope; evbd manages: st0, br0");
	/* a request built by the `vsi` grammar, end to end */
	struct vsi_args a;
	char *argv[] = {"associate", "dev",   "st0",
			"type",	     "0x10",  "version",
			"2",	     "vsiid", "mac:02:00:00:00:00:99",
			"group",     "7",     "vlan",
			"12",	     "pcp",   "5",
			"mgrid",     "blue"};
	assert_int_equal(vsi_parse(17, argv, &a, err, sizeof(err)), 0);
	static uint8_t rb[EVBD_IPC_MAX_MSG];
	P_ST->vdp.oper.gid = true; /* group filters need Group IDs negotiated */
	int rc = ipc_client_call(c, vsi_build(&a, rb), 2000, NULL, NULL, &msg);
	P_ST->vdp.oper.gid = false;
	LOOP_STOP = true;
	pthread_join(th, NULL);
	if (rc)
		print_message("%s\n", msg);
	assert_int_equal(rc, 0);
	struct vdp_vsi_key k = {.fmt = VDP_VSIID_MAC};
	assert_int_equal(vdp_vsiid_parse(VDP_VSIID_MAC, "02:00:00:00:00:99", k.id), 0);
	const struct vdp_vsi *v = vsi_table_find(&P_ST->vdp.vsis, &k);
	assert_non_null(v);
	assert_int_equal(v->type_id, 16);
	assert_int_equal(v->type_ver, 2);
	assert_int_equal(v->fif, VDP_FIF_GROUPVID);
	assert_int_equal(v->nfilters, 1);
	assert_int_equal(vsi_filters(v)->group, 7);
	assert_int_equal(vsi_filters(v)->vid, 12);
	assert_int_equal(vsi_filters(v)->pcp, 5);
	assert_true(vsi_filters(v)->ps);
	assert_memory_equal(v->mgrid, "blue\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	/* silence: a timeout with a sentence */
	nlh = ipc_req_start(buf, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
	assert_int_equal(ipc_client_call(c, nlh, 100, NULL, NULL, &msg), -ETIMEDOUT);
	assert_string_equal(ipc_client_error(c), "evbd did not answer within 1 s");
	serve(); /* the late answer is dropped by the next call's sequence check */
	ipc_client_close(c);
}

/* The squatter sq takes c's request nlh and answers it with NLMSG_DONE.
 * 0, or -1 when nothing arrived. */
static int squat_answer(int sq, struct ipc_client *c, struct nlmsghdr *nlh)
{
	uint8_t rq[256], abuf[64];
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	int64_t seq = ipc_client_send(c, nlh);
	if (seq < 0 || recvfrom(sq, rq, sizeof(rq), 0, (struct sockaddr *)&from, &fl) <= 0)
		return -1;
	struct nlmsghdr *ans = mnl_nlmsg_put_header(abuf);
	ans->nlmsg_type = NLMSG_DONE;
	ans->nlmsg_seq = (uint32_t)seq;
	sendto(sq, ans, ans->nlmsg_len, 0, (struct sockaddr *)&from, sizeof(from));
	return 0;
}

/* In a child on its own network namespace: nothing listens, then a
 * non-root squatter on evbd's port id answers: refused, unless EVBD_USER
 * names its user. */
static void test_client_refuses(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNET))
			_exit(100);
		unsetenv("EVBD_USER");
		struct ipc_client *c;
		char err[256];
		uint8_t buf[256];
		if (ipc_client_open(&c, err, sizeof(err)))
			_exit(101);
		struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_PORT_GET, NLM_F_DUMP, 0);
		if (ipc_client_send(c, nlh) != -ECONNREFUSED ||
		    strcmp(ipc_client_error(c), "evbd is not running (nothing listens on its "
						"control socket); start it with `evbd`"))
			_exit(102);
		int sq = socket(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);
		struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = EVBD_IPC_PORTID};
		if (bind(sq, (struct sockaddr *)&sa, sizeof(sa)))
			_exit(100);
		/* root, but the framing is broken: a length that is negative as an int */
		int64_t seq = ipc_client_send(c, nlh);
		uint8_t rq[256];
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		if (seq < 0 || recvfrom(sq, rq, sizeof(rq), 0, (struct sockaddr *)&from, &fl) <= 0)
			_exit(103);
		uint8_t abuf[64];
		struct nlmsghdr *ans = mnl_nlmsg_put_header(abuf);
		ans->nlmsg_type = NLMSG_DONE;
		ans->nlmsg_len = 0xfffffff0u;
		sendto(sq, ans, 16, 0, (struct sockaddr *)&from, sizeof(from));
		if (ipc_client_recv(c, 1000, count_ports, NULL) != -EBADMSG ||
		    strcmp(ipc_client_error(c),
			   "evbd sent a malformed answer (bad netlink framing)"))
			_exit(105);
		/* a well-formed answer, but not from root */
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		if (squat_answer(sq, c, nlh))
			_exit(106);
		char want[300];
		snprintf(want, sizeof(want),
			 "the answer did not come from a privileged evbd (netlink port id %u is "
			 "held by a process of uid 65534, pid %d); evbctl trusts uid 0 and the "
			 "user named by EVBD_USER (default evbd)",
			 EVBD_IPC_PORTID, (int)getpid());
		if (ipc_client_recv(c, 1000, count_ports, NULL) != -EPERM ||
		    strcmp(ipc_client_error(c), want))
			_exit(104);
		/* the same answer is taken when evbctl is told evbd runs as nobody */
		const struct passwd *pw = getpwnam("nobody");
		struct ipc_client *c2;
		if (!pw || pw->pw_uid != 65534)
			_exit(0);
		setenv("EVBD_USER", "nobody", 1);
		if (ipc_client_open(&c2, err, sizeof(err)) || squat_answer(sq, c2, nlh) ||
		    ipc_client_recv(c2, 1000, count_ports, NULL) != 0)
			_exit(108);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	if (WEXITSTATUS(status) == 100)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_client_parse(void **state)
{
	(void)state;
	uint8_t buf[512];
	struct ipc_attrs a;
	const char *m;
	struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_RESULT, 0, 0);
	mnl_attr_put_u32(nlh, EVB_A_ERRNO, ENOENT);
	mnl_attr_put_strz(nlh, EVB_A_ERRMSG, "gone");
	assert_int_equal(ipc_parse_answer(nlh, &a), 0);
	assert_int_equal(ipc_get_result(&a, &m), ENOENT);
	assert_string_equal(m, "gone");
	/* ERRNO missing / absurd */
	nlh = ipc_req_start(buf, EVB_MSG_RESULT, 0, 0);
	assert_int_equal(ipc_parse_answer(nlh, &a), 0);
	assert_int_equal(ipc_get_result(&a, &m), -EBADMSG);
	mnl_attr_put_u32(nlh, EVB_A_ERRNO, 70000);
	assert_int_equal(ipc_parse_answer(nlh, &a), 0);
	assert_int_equal(ipc_get_result(&a, &m), -EBADMSG);
	/* wrong sizes, missing NUL, duplicates, trailing octets, wrong version */
	nlh = ipc_req_start(buf, EVB_MSG_RESULT, 0, 0);
	mnl_attr_put_u16(nlh, EVB_A_ERRNO, 1);
	assert_int_equal(ipc_parse_answer(nlh, &a), -EBADMSG);
	nlh = ipc_req_start(buf, EVB_MSG_RESULT, 0, 0);
	mnl_attr_put(nlh, EVB_A_ERRMSG, 4, "abcd");
	assert_int_equal(ipc_parse_answer(nlh, &a), -EBADMSG);
	nlh = ipc_req_start(buf, EVB_MSG_RESULT, 0, 0);
	mnl_attr_put_u32(nlh, EVB_A_ERRNO, 1);
	mnl_attr_put_u32(nlh, EVB_A_ERRNO, 1);
	assert_int_equal(ipc_parse_answer(nlh, &a), -EBADMSG);
	nlh = ipc_req_start(buf, EVB_MSG_RESULT, 0, 0);
	mnl_attr_put_u32(nlh, EVB_A_ERRNO, 1);
	nlh->nlmsg_len += 2;
	assert_int_equal(ipc_parse_answer(nlh, &a), -EBADMSG);
	nlh = ipc_req_start(buf, EVB_MSG_RESULT, 0, 0);
	((struct evb_ipc_hdr *)mnl_nlmsg_get_payload(nlh))->version = 9;
	assert_int_equal(ipc_parse_answer(nlh, &a), -EBADMSG);
	/* nested: good, bad member size, unknown nest type */
	nlh = ipc_req_start(buf, EVB_MSG_PORT, 0, 0);
	struct nlattr *n = mnl_attr_nest_start(nlh, EVB_A_ECP);
	mnl_attr_put_u32(nlh, EVB_EA_TX_FRAMES, 9);
	mnl_attr_nest_end(nlh, n);
	struct nlattr *n2 = mnl_attr_nest_start(nlh, EVB_A_OPER);
	mnl_attr_put_u32(nlh, EVB_OA_R, 9);
	mnl_attr_nest_end(nlh, n2);
	assert_int_equal(ipc_parse_answer(nlh, &a), 0);
	const struct nlattr *tb[16];
	assert_int_equal(ipc_nest_parse(a.tb[EVB_A_ECP], tb, NULL, 0), 0);
	assert_int_equal(mnl_attr_get_u32(tb[EVB_EA_TX_FRAMES]), 9);
	assert_int_equal(ipc_nest_parse(a.tb[EVB_A_OPER], tb, NULL, 0), -EINVAL);
	nlh = ipc_req_start(buf, EVB_MSG_PORT, 0, 0);
	n = mnl_attr_nest_start(nlh, EVB_A_ERRNO);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(ipc_nest_parse(n, tb, NULL, 0), -EINVAL);
}

static void test_client_queue(void **state)
{
	(void)state;
	/* queued requests share datagrams and get consecutive sequence numbers */
	struct ipc_client *c;
	char err[128];
	assert_int_equal(ipc_client_open(&c, err, sizeof(err)), 0);
	uint8_t buf[1024];
	int64_t s0 = ipc_client_queue(c, vsi_req(buf, "eth9", VDP_TLV_DEASSOC, 1, 0, 0));
	assert_true(s0 > 0);
	for (int i = 1; i < 300; i++)
		assert_int_equal(
		    ipc_client_queue(c, vsi_req(buf, "eth9", VDP_TLV_DEASSOC, 1, 0, 0)), s0 + i);
	assert_int_equal(ipc_client_flush(c), 0);
	CB_RESULTS = 0;
	for (int i = 0; i < 2000 && CB_RESULTS < 300; i++) {
		serve();
		while (ipc_client_recv(c, 0, count_results, NULL) == 0)
			;
	}
	assert_int_equal(CB_RESULTS, 300); /* one answer per request (they share datagrams) */
	ipc_client_close(c);
}

/* ---------------- `vsi` grammar and rendering ---------------- */

static int parse_line(const char *line, struct vsi_args *a, char *err, size_t cap)
{
	static char copy[4096];
	char *argv[1200];
	int argc = 0;
	snprintf(copy, sizeof(copy), "%s", line);
	for (char *t = strtok(copy, " "); t; t = strtok(NULL, " "))
		argv[argc++] = t;
	err[0] = '\0';
	return vsi_parse(argc, argv, a, err, cap);
}

static void expect_usage(const char *line, const char *msg)
{
	static struct vsi_args a;
	char err[512];
	int rc = parse_line(line, &a, err, sizeof(err));
	if (rc != EVBCTL_USAGE)
		print_message("accepted: %s\n", line);
	assert_int_equal(rc, EVBCTL_USAGE);
	assert_string_equal(err, msg);
}

static void test_vsi_grammar_ok(void **state)
{
	(void)state;
	static struct vsi_args a;
	char err[512];
	/* filters group by keyword: vlan only; mac+vlan pairs; pcp */
	assert_int_equal(parse_line("associate dev eth0 type 5 version 1 uuid "
				    "6d0f0000-0000-4000-8000-000000000001 vlan 10 vlan 20 wait",
				    &a, err, sizeof(err)),
			 0);
	assert_int_equal(a.sub, VDP_TLV_ASSOC);
	assert_string_equal(a.dev, "eth0");
	assert_int_equal(a.fif, VDP_FIF_VID);
	assert_int_equal(a.nfilters, 2);
	assert_int_equal(a.filters[0].vid, 10);
	assert_int_equal(a.filters[1].vid, 20);
	assert_true(a.wait);
	assert_int_equal(vsi_timeout_ms(&a), 30000);
	assert_memory_equal(a.key.id, UUID1, 16);

	assert_int_equal(parse_line("preassociate-rr uuid 6d0f0000000040008000000000000001 "
				    "mac 02:00:00:00:00:01 vlan 10 pcp 3 mac 02-00-00-00-00-02 "
				    "vlan 0 dev e type 0xffffff version 255 hints migrate-to "
				    "mgrid 7 wait 90",
				    &a, err, sizeof(err)),
			 0);
	assert_int_equal(a.sub, VDP_TLV_PREASSOC_RR);
	assert_int_equal(a.fif, VDP_FIF_MACVID);
	assert_int_equal(a.nfilters, 2);
	assert_true(a.filters[0].ps);
	assert_int_equal(a.filters[0].pcp, 3);
	assert_false(a.filters[1].ps);
	assert_int_equal(a.filters[1].mac[5], 2);
	assert_int_equal(a.type_id, 0xffffff);
	assert_int_equal(a.type_ver, 255);
	assert_int_equal(a.hints, VDP_STATUS_MBIT);
	assert_int_equal(a.mgrid[0], 7);
	assert_int_equal(a.mgrid[1], 0);
	assert_int_equal(vsi_timeout_ms(&a), 90000);

	assert_int_equal(parse_line("preassociate dev e type 1 version 1 vsiid ipv4:10.0.0.1 "
				    "group 9 mac 02:00:00:00:00:01 vlan 3 group 10 mac "
				    "02:00:00:00:00:02 vlan 4 hints migrate-from",
				    &a, err, sizeof(err)),
			 0);
	assert_int_equal(a.fif, VDP_FIF_GROUPMACVID);
	assert_int_equal(a.key.fmt, VDP_VSIID_IPV4);
	assert_int_equal(a.key.id[15], 1);
	assert_int_equal(a.filters[1].group, 10);
	assert_int_equal(a.hints, VDP_STATUS_SBIT);
	assert_false(a.wait);
	assert_int_equal(vsi_timeout_ms(&a), 5000);

	assert_int_equal(parse_line("associate dev e type 1 version 1 vsiid "
				    "ipv6:fe80::1 group 9 vlan 3",
				    &a, err, sizeof(err)),
			 0);
	assert_int_equal(a.fif, VDP_FIF_GROUPVID);
	assert_int_equal(a.key.fmt, VDP_VSIID_IPV6);

	assert_int_equal(
	    parse_line("deassociate dev e vsiid local:0123456789abcdef0123456789abcdef "
		       "wait",
		       &a, err, sizeof(err)),
	    0);
	assert_int_equal(a.sub, VDP_TLV_DEASSOC);
	assert_int_equal(a.key.fmt, VDP_VSIID_LOCAL);
	assert_int_equal(parse_line("list", &a, err, sizeof(err)), 0);
	assert_int_equal(a.sub, VSI_SUB_LIST);
	assert_string_equal(a.dev, "");
	assert_int_equal(parse_line("list dev eth3", &a, err, sizeof(err)), 0);
	assert_string_equal(a.dev, "eth3");
	assert_int_equal(parse_line("associate -h", &a, err, sizeof(err)), EVBCTL_HELP);
	assert_int_equal(parse_line("help", &a, err, sizeof(err)), EVBCTL_HELP);
}

static void test_vsi_grammar_errors(void **state)
{
	(void)state;
	const char *base =
	    "associate dev e type 1 version 1 uuid 6d0f0000-0000-4000-8000-000000000001";
	char line[512];
#define WITH(tail) (snprintf(line, sizeof(line), "%s %s", base, tail), line)
	expect_usage(WITH("vlan x"), "'vlan' needs a VLAN ID from 0 to 4094, got 'x'");
	expect_usage(WITH("vlan 4095"), "'vlan' needs a VLAN ID from 0 to 4094, got '4095'");
	expect_usage(WITH("vlan"), "'vlan' needs a VLAN ID from 0 to 4094, but the command ends "
				   "there");
	expect_usage(WITH("vlan 1 pcp 8"), "'pcp' needs a priority from 0 to 7, got '8'");
	expect_usage(WITH("pcp 1 vlan 1"), "'pcp' belongs after the 'vlan' of a filter: [group G] "
					   "[mac MAC] vlan VID [pcp P]");
	expect_usage(WITH("vlan 1 pcp 1 pcp 2"),
		     "'pcp' belongs after the 'vlan' of a filter: [group G] [mac MAC] vlan VID "
		     "[pcp P]");
	expect_usage(WITH("mac 02:00:00:00:00 vlan 1"),
		     "'mac' needs a MAC address like 02:00:00:00:00:01, got '02:00:00:00:00'");
	expect_usage(WITH("group 0 vlan 1"), "'group' needs a group ID from 1 to 4294967295, got "
					     "'0'");
	expect_usage(WITH("vlan 1 mac 02:00:00:00:00:01 vlan 2"),
		     "filters mix kinds: filter 1 is vlan only, filter 2 is mac+vlan; all filters "
		     "of a VSI must be of one kind");
	expect_usage(WITH("mac 02:00:00:00:00:01 group 3 vlan 2"),
		     "filter 1 (mac+vlan) has no 'vlan'; each filter is [group G] [mac MAC] vlan "
		     "VID [pcp P], in this order");
	expect_usage(base, "'vsi associate' needs at least one filter: vlan VID, mac MAC vlan VID, "
			   "group G vlan VID or group G mac MAC vlan VID");
	expect_usage(WITH("vlan 1 hints sideways"),
		     "'hints' needs none, migrate-to or migrate-from, got 'sideways'");
	expect_usage(WITH("vlan 1 mgrid 256"), "'mgrid' needs a number 0-255, a name of up to 16 "
					       "characters or 32 hex digits, got '256'");
	expect_usage(WITH("vlan 1 mgrid abcdefghijklmnopq"),
		     "'mgrid' needs a number 0-255, a name of up to 16 characters or 32 hex "
		     "digits, got 'abcdefghijklmnopq'");
	expect_usage(WITH("vlan 1 wait 0"), "'wait' needs a number of seconds from 1 to 86400, got "
					    "'0'");
	expect_usage(WITH("vlan 1 wait wait"), "'wait' is given twice in 'vsi associate'");
	expect_usage(WITH("vlan 1 dev f"), "'dev' is given twice in 'vsi associate'");
	expect_usage(WITH("vlan 1 uuid 6d0f0000-0000-4000-8000-000000000002"),
		     "the VSI is given twice ('uuid' and 'vsiid' name one VSI)");
	expect_usage(WITH("vlan 1 colour red"),
		     "unknown word 'colour' in 'vsi associate'; expected dev, type, version, uuid, "
		     "vsiid, mac, group, vlan, pcp, mgrid, hints or wait");
	expect_usage("associate dev e type 1 version 1 uuid nope vlan 1",
		     "'uuid' needs a UUID like 6e3f1c2a-8d4b-4f0e-9a7c-1b2d3e4f5a6b, got 'nope'");
	expect_usage("associate dev e type 1 version 1 vsiid ether:1 vlan 1",
		     "'vsiid' needs FORMAT:VALUE with FORMAT ipv4, ipv6, mac, local or uuid, got "
		     "'ether:1'");
	expect_usage("associate dev e type 1 version 1 vsiid ipv4:300.1.1.1 vlan 1",
		     "'vsiid' got 'ipv4:300.1.1.1', which is not a valid ipv4 VSIID");
	expect_usage("associate dev e type 16777216 version 1",
		     "'type' needs a VSI type ID from 0 to 16777215, got '16777216'");
	expect_usage("associate dev e type 1 version -1",
		     "'version' needs a VSI type version from 0 to 255, got '-1'");
	expect_usage("associate dev abcdefghijklmnop", "'dev' needs an interface name (at most 15 "
						       "characters), got 'abcdefghijklmnop'");
	expect_usage("associate type 1 version 1 uuid 6d0f0000-0000-4000-8000-000000000001 vlan 1",
		     "'vsi associate' needs 'dev IF' (the station port)");
	expect_usage("associate dev e type 1 version 1 vlan 1",
		     "'vsi associate' needs 'uuid UUID' or 'vsiid FORMAT:VALUE'");
	expect_usage("associate dev e version 1 uuid 6d0f0000-0000-4000-8000-000000000001 vlan 1",
		     "'vsi associate' needs 'type ID' (the VSI type ID)");
	expect_usage("associate dev e type 1 uuid 6d0f0000-0000-4000-8000-000000000001 vlan 1",
		     "'vsi associate' needs 'version V' (the VSI type version)");
	expect_usage("deassociate dev e uuid 6d0f0000-0000-4000-8000-000000000001 vlan 1",
		     "unknown word 'vlan' in 'vsi deassociate'; it takes dev, uuid or vsiid, and "
		     "wait");
	expect_usage("deassociate uuid 6d0f0000-0000-4000-8000-000000000001",
		     "'vsi deassociate' needs 'dev IF' (the station port)");
	expect_usage("list wait", "unknown word 'wait' in 'vsi list'; it takes only 'dev IF'");
	expect_usage("show dev eth0", "'vsi show' needs 'uuid UUID' or 'vsiid FORMAT:VALUE'");
	expect_usage("show uuid 6d0f0000-0000-4000-8000-000000000001 wait",
		     "unknown word 'wait' in 'vsi show'; it takes uuid or vsiid, and dev");
	expect_usage("frobnicate", "unknown sub-command 'vsi frobnicate'; expected associate, "
				   "preassociate, preassociate-rr, deassociate, list or show");
	static struct vsi_args a;
	char err[256];
	assert_int_equal(vsi_parse(0, NULL, &a, err, sizeof(err)), EVBCTL_USAGE);
	assert_string_equal(err, "'vsi' needs a sub-command: associate, preassociate, "
				 "preassociate-rr, deassociate, list or show");
	/* 243 filters fit, 244 do not */
	char *big = malloc(16384);
	int o = snprintf(big, 16384, "%s", base);
	for (int i = 0; i < VDP_MAX_FILTERS; i++)
		o += snprintf(big + o, 16384 - (size_t)o, " vlan %d", i);
	assert_int_equal(parse_line(big, &a, err, sizeof(err)), 0);
	assert_int_equal(a.nfilters, VDP_MAX_FILTERS);
	snprintf(big + o, 16384 - (size_t)o, " vlan 1");
	expect_usage(big, "a VSI has at most 243 filters");
	free(big);
#undef WITH
}

static void test_mgrid_forms(void **state)
{
	(void)state;
	uint8_t m[16];
	char s[40];
	assert_int_equal(mgrid_parse("0", m), 0);
	assert_memory_equal(m, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(mgrid_parse("255", m), 0);
	assert_int_equal(m[0], 255);
	mgrid_str(m, s, sizeof(s));
	assert_string_equal(s, "255");
	assert_int_equal(mgrid_parse("blue-mgr", m), 0);
	assert_memory_equal(m, "blue-mgr\0\0\0\0\0\0\0\0", 16);
	mgrid_str(m, s, sizeof(s));
	assert_string_equal(s, "blue-mgr");
	assert_int_equal(mgrid_parse("0123456789abcdef", m), 0); /* 16 characters: a name */
	mgrid_str(m, s, sizeof(s));
	assert_string_equal(s, "0123456789abcdef");
	assert_int_equal(mgrid_parse("000102030405060708090a0b0c0d0e0f", m), 0);
	assert_int_equal(m[15], 15);
	mgrid_str(m, s, sizeof(s));
	assert_string_equal(s, "000102030405060708090a0b0c0d0e0f");
	assert_int_equal(mgrid_parse("", m), -EINVAL);
	assert_int_equal(mgrid_parse("256", m), -EINVAL);
	assert_int_equal(mgrid_parse("abcdefghijklmnopq", m), -EINVAL);
	/* a name with a byte after its NUL is shown in hex */
	memset(m, 0, 16);
	m[0] = 'a';
	m[5] = 'b';
	mgrid_str(m, s, sizeof(s));
	assert_string_equal(s, "61000000006200000000000000000000");
}

/* Request encoding, read back by the client's validating parser. */
static void test_vsi_build(void **state)
{
	(void)state;
	static struct vsi_args a;
	char err[256];
	static uint8_t buf[EVBD_IPC_MAX_MSG];
	assert_int_equal(parse_line("associate dev e type 9 version 3 uuid "
				    "6d0f0000-0000-4000-8000-000000000001 mac 02:00:00:00:00:01 "
				    "vlan 5 pcp 2 mgrid x wait",
				    &a, err, sizeof(err)),
			 0);
	struct nlmsghdr *nlh = vsi_build(&a, buf);
	assert_int_equal(nlh->nlmsg_type, EVB_MSG_VSI_CMD);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
	const struct evb_ipc_hdr *h = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(h->version, EVBD_IPC_VERSION);
	assert_int_equal(h->flags, EVB_F_WAIT);
	struct ipc_attrs at;
	assert_int_equal(ipc_parse_answer(nlh, &at), 0);
	assert_string_equal(mnl_attr_get_str(at.tb[EVB_A_IFNAME]), "e");
	assert_int_equal(mnl_attr_get_u8(at.tb[EVB_A_CMD]), VDP_TLV_ASSOC);
	assert_int_equal(mnl_attr_get_u32(at.tb[EVB_A_TYPE_ID]), 9);
	assert_int_equal(mnl_attr_get_u8(at.tb[EVB_A_TYPE_VER]), 3);
	assert_int_equal(mnl_attr_get_u8(at.tb[EVB_A_FIF]), VDP_FIF_MACVID);
	assert_int_equal(((const uint8_t *)mnl_attr_get_payload(at.tb[EVB_A_MGRID]))[0], 'x');
	assert_int_equal(at.nfilters, 1);
	const struct nlattr *ft[EVB_FA_MAX];
	assert_int_equal(ipc_nest_parse(at.filters[0], ft, NULL, 0), 0);
	assert_int_equal(mnl_attr_get_u16(ft[EVB_FA_VID]), 5);
	assert_int_equal(mnl_attr_get_u8(ft[EVB_FA_PCP]), 2);
	assert_int_equal(mnl_attr_get_u8(ft[EVB_FA_PS]), 1);
	assert_null(ft[EVB_FA_GROUP]);
	/* deassociate carries only the key; list is a dump */
	assert_int_equal(parse_line("deassociate dev e uuid 6d0f0000-0000-4000-8000-000000000001",
				    &a, err, sizeof(err)),
			 0);
	nlh = vsi_build(&a, buf);
	assert_int_equal(ipc_parse_answer(nlh, &at), 0);
	assert_null(at.tb[EVB_A_TYPE_ID]);
	assert_int_equal(at.nfilters, 0);
	assert_int_equal(parse_line("list", &a, err, sizeof(err)), 0);
	nlh = vsi_build(&a, buf);
	assert_int_equal(nlh->nlmsg_type, EVB_MSG_VSI_GET);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + sizeof(struct evb_ipc_hdr));
}

/* A VSI message as the server sends it, rendered as a row and as JSON keys. */
static void test_vsi_render(void **state)
{
	(void)state;
	static uint8_t buf[4096];
	struct nlmsghdr *nlh = ipc_req_start(buf, EVB_MSG_VSI, NLM_F_MULTI, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "eth0");
	mnl_attr_put_u8(nlh, EVB_A_ROLE, EVB_ROLE_STATION);
	mnl_attr_put_u8(nlh, EVB_A_VSIID_FMT, VDP_VSIID_UUID);
	mnl_attr_put(nlh, EVB_A_VSIID, 16, UUID1);
	mnl_attr_put_u32(nlh, EVB_A_TYPE_ID, 5);
	mnl_attr_put_u8(nlh, EVB_A_TYPE_VER, 1);
	uint8_t mg[16] = {3};
	mnl_attr_put(nlh, EVB_A_MGRID, 16, mg);
	mnl_attr_put_u8(nlh, EVB_A_CMD, VDP_TLV_ASSOC);
	mnl_attr_put_u8(nlh, EVB_A_STATE, VDP_ST_WAIT_SYSCMD);
	mnl_attr_put_u8(nlh, EVB_A_RESULT, VSI_ASSOCIATED);
	mnl_attr_put_u8(nlh, EVB_A_REASON, 0);
	mnl_attr_put_u8(nlh, EVB_A_CONFIRMED, VDP_TLV_ASSOC);
	mnl_attr_put_u64(nlh, EVB_A_CREATED_AGE, 1500000);
	mnl_attr_put_u8(nlh, EVB_A_FIF, VDP_FIF_MACVID);
	for (int i = 0; i < 2; i++) {
		uint8_t mac[6] = {2, 0, 0, 0, 0, (uint8_t)(i + 1)};
		struct nlattr *f = mnl_attr_nest_start(nlh, EVB_A_FILTER);
		mnl_attr_put_u16(nlh, EVB_FA_VID, (uint16_t)(10 + i));
		mnl_attr_put_u8(nlh, EVB_FA_PCP, 4);
		mnl_attr_put_u8(nlh, EVB_FA_PS, i == 0);
		mnl_attr_put(nlh, EVB_FA_MAC, 6, mac);
		mnl_attr_nest_end(nlh, f);
	}
	struct ipc_attrs at;
	assert_int_equal(ipc_parse_answer(nlh, &at), 0);
	w_reset(WRITER_TEXT);
	assert_int_equal(vsi_render(NULL, &at), 0);
	assert_string_equal(W_OUT,
			    "6d0f0000-0000-4000-8000-000000000001=dev eth0  state associated  "
			    "type 5 version 1  mgrid 3  filters mac 02:00:00:00:00:01 vlan 10 pcp "
			    "4, mac 02:00:00:00:00:02 vlan 11  reason 0 (success)  machine "
			    "wait-syscmd;");
	w_reset(WRITER_JSON);
	assert_int_equal(vsi_render(NULL, &at), 0);
	assert_string_equal(
	    W_OUT, "{ dev=eth0;role=station;vsiid_format=uuid(5);"
		   "vsiid=6d0f0000-0000-4000-8000-000000000001;type_id=5;type_version=1;mgrid=3;"
		   "mgrid_hex=03000000000000000000000000000000;"
		   "state=associated;reason=success(0);[filters { "
		   "mac=02:00:00:00:00:01;vid=10;pcp=4;} { mac=02:00:00:00:00:02;vid=11;} ] "
		   "machine_state=wait-syscmd;command=associate;confirmed=associate;hints=none;"
		   "status=0;age_ms=1500;} ");
	/* a bridge VSI names its machine state from the bridge machine; non-UUID key */
	nlh = ipc_req_start(buf, EVB_MSG_VSI, NLM_F_MULTI, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "br0");
	mnl_attr_put_u8(nlh, EVB_A_ROLE, EVB_ROLE_BRIDGE);
	mnl_attr_put_u8(nlh, EVB_A_VSIID_FMT, VDP_VSIID_MAC);
	uint8_t id[16] = {0};
	id[15] = 9;
	mnl_attr_put(nlh, EVB_A_VSIID, 16, id);
	mnl_attr_put_u8(nlh, EVB_A_STATE, VDP_BR_WAITCMD);
	mnl_attr_put_u8(nlh, EVB_A_RESULT, VSI_FAILED);
	mnl_attr_put_u8(nlh, EVB_A_REASON, 2);
	assert_int_equal(ipc_parse_answer(nlh, &at), 0);
	w_reset(WRITER_TEXT);
	assert_int_equal(vsi_render(NULL, &at), 0);
	char want[300];
	snprintf(want, sizeof(want),
		 "mac:00:00:00:00:00:09=dev br0  state failed  type 0 version 0  mgrid 0  "
		 "filters none  reason 2 (%s)  machine waitcmd;",
		 vdp_reason_name(2));
	assert_string_equal(W_OUT, want);
	/* malformed: a filter without VID; no VSIID */
	nlh = ipc_req_start(buf, EVB_MSG_VSI, NLM_F_MULTI, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "br0");
	mnl_attr_put_u8(nlh, EVB_A_VSIID_FMT, VDP_VSIID_MAC);
	mnl_attr_put(nlh, EVB_A_VSIID, 16, id);
	struct nlattr *f = mnl_attr_nest_start(nlh, EVB_A_FILTER);
	mnl_attr_put_u8(nlh, EVB_FA_PCP, 1);
	mnl_attr_nest_end(nlh, f);
	assert_int_equal(ipc_parse_answer(nlh, &at), 0);
	w_reset(WRITER_TEXT);
	assert_int_equal(vsi_render(NULL, &at), -EBADMSG);
	nlh = ipc_req_start(buf, EVB_MSG_VSI, NLM_F_MULTI, 0);
	mnl_attr_put_strz(nlh, EVB_A_IFNAME, "br0");
	assert_int_equal(ipc_parse_answer(nlh, &at), 0);
	assert_int_equal(vsi_render(NULL, &at), -EBADMSG);
	/* exit statuses */
	assert_int_equal(status_of_errno(0, true), EVBCTL_OK);
	assert_int_equal(status_of_errno(ECONNREFUSED, true), EVBCTL_REFUSED);
	assert_int_equal(status_of_errno(ETIMEDOUT, true), EVBCTL_REFUSED);
	assert_int_equal(status_of_errno(ECONNREFUSED, false), EVBCTL_FAIL);
	assert_int_equal(status_of_errno(EPERM, true), EVBCTL_FAIL);
}

int main(void)
{
	const struct CMUnitTest server[] = {
	    cmocka_unit_test(test_open_twice_is_eaddrinuse),
	    cmocka_unit_test(test_port_dump),
	    cmocka_unit_test(test_associate_no_wait),
	    cmocka_unit_test(test_command_errors),
	    cmocka_unit_test(test_malformed_requests),
	    cmocka_unit_test(test_wait_associated),
	    cmocka_unit_test(test_wait_refused),
	    cmocka_unit_test(test_wait_no_answer),
	    cmocka_unit_test(test_wait_superseded_and_shutdown),
	    cmocka_unit_test(test_wait_outcome_table),
	    cmocka_unit_test(test_many_waiters),
	    cmocka_unit_test(test_big_dump),
	    cmocka_unit_test(test_answers_zeroed),
	    cmocka_unit_test(test_dump_flood_budget),
	    cmocka_unit_test(test_stats),
	    cmocka_unit_test(test_authorization),
	    cmocka_unit_test(test_client_call),
	    cmocka_unit_test(test_client_refuses),
	    cmocka_unit_test(test_client_parse),
	    cmocka_unit_test(test_client_queue),
	};
	const struct CMUnitTest cli[] = {
	    cmocka_unit_test(test_vsi_grammar_ok), cmocka_unit_test(test_vsi_grammar_errors),
	    cmocka_unit_test(test_mgrid_forms),	   cmocka_unit_test(test_vsi_build),
	    cmocka_unit_test(test_vsi_render),
	};
	int fails = cmocka_run_group_tests_name("evbd ipc server and client", server, group_setup,
						group_teardown);
	return fails + cmocka_run_group_tests_name("evbctl vsi grammar", cli, NULL, NULL);
}
