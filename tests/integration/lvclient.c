/* SPDX-License-Identifier: ISC */
/*
 * lvclient.c - a test client that talks to the lldpad-nl plugin exactly as
 * libvirt talks to lldpad (docs/protocol.md, "libvirt's rtnetlink contract"), built byte by byte
 * here (independently of the plugin's code):
 *
 *  - the daemon's netlink port id is the pid read from the pid file;
 *  - a long-lived "event" socket whose port goes into every request's
 *    nlmsg_pid; each request (the RTM_SETLINK and every RTM_GETLINK poll)
 *    goes out on a fresh socket with a kernel-assigned port;
 *  - RTM_SETLINK, NLM_F_REQUEST|NLM_F_ACK: ifinfomsg, IFLA_IFNAME,
 *    IFLA_VFINFO_LIST/IFLA_VF_INFO {IFLA_VF_MAC vf -1, IFLA_VF_VLAN vf -1},
 *    IFLA_VF_PORTS/IFLA_VF_PORT {IFLA_PORT_VSI_TYPE (type id least
 *    significant octet first), IFLA_PORT_INSTANCE_UUID, IFLA_PORT_REQUEST u8};
 *  - then polls RTM_GETLINK (+ IFLA_EXT_MASK RTEXT_FILTER_VF) every 125 ms for
 *    up to 10 s and reads the answer as libvirt does: no IFLA_VF_PORT with
 *    PORT_VF -1 and our UUID -> fail at once; RESPONSE absent or 0x101 ->
 *    poll again; 0 or 0x100 -> success; anything else -> failure.
 *
 * Usage:
 *   lvclient [opts] preassociate|associate|disassociate IFNAME UUID
 *   lvclient [opts] malformed CASE IFNAME UUID     (prints the answer)
 *   lvclient [opts] poll IFNAME                    (one poll, prints it)
 * opts: -p PIDFILE (/var/run/lldpad.pid) -m MAC -v VLAN -q QOS -M MGRID
 *       -T TYPEID -V TYPEVER -i POLL_MS (125) -t TIMEOUT_MS (10000)
 *       -L SECONDS: after success keep listening for a de-associate
 *       -N: set NLA_F_NESTED on nests -x: no IFLA_EXT_MASK in polls
 * Prints one line per event; exit 0 on success, 1 on failure, 2 on usage.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define A_IFNAME	3
#define A_VFINFO_LIST	22
#define A_VF_PORTS	24
#define A_EXT_MASK	29
#define A_VF_INFO	1
#define A_VF_MAC	1
#define A_VF_VLAN	2
#define A_VF_PORT	1
#define A_PORT_VF	1
#define A_PORT_VSI_TYPE 3
#define A_PORT_UUID	4
#define A_PORT_REQUEST	6
#define A_PORT_RESPONSE 7
#define SELF_VF		0xffffffffu
#define NESTED		0x8000
#define TYPE_MASK	0x3fff
#define BUF		(128 * 1024) /* libvirt reads up to 128 KiB */

struct opts {
	const char *pidfile;
	uint8_t mac[6];
	uint32_t vlan, qos, type_id;
	uint8_t mgrid, type_ver;
	int poll_ms, timeout_ms, listen_s;
	bool nested, no_ext_mask;
};

static uint32_t daemon_pid;
static uint32_t event_port;
static int event_fd = -1;
static uint32_t seq = 1000;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---------------- message building ---------------- */

struct msg {
	uint8_t b[4096] __attribute__((aligned(4)));
	size_t len;
	bool nested;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
	while (m->len % 4)
		m->b[m->len++] = 0;
}

static size_t attr(struct msg *m, uint16_t type, const void *p, size_t n)
{
	uint16_t hdr[2] = {(uint16_t)(4 + n), type};
	size_t at = m->len;
	memcpy(m->b + m->len, hdr, 4);
	m->len += 4;
	if (n)
		put(m, p, n);
	return at;
}

static size_t nest(struct msg *m, uint16_t type)
{
	return attr(m, (uint16_t)(type | (m->nested ? NESTED : 0)), NULL, 0);
}

static void nest_end(struct msg *m, size_t at)
{
	uint16_t len = (uint16_t)(m->len - at);
	memcpy(m->b + at, &len, 2);
}

static void header(struct msg *m, uint16_t type, int ifindex)
{
	struct nlmsghdr h = {.nlmsg_type = type,
			     .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			     .nlmsg_seq = ++seq,
			     .nlmsg_pid = event_port};
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	m->len = 0;
	put(m, &h, sizeof(h));
	put(m, &ifi, sizeof(ifi));
}

static void finish(struct msg *m)
{
	uint32_t len = (uint32_t)m->len;
	memcpy(m->b, &len, 4);
}

static void build_setlink(struct msg *m, const struct opts *o, const char *ifname, int ifindex,
			  const uint8_t uuid[16], uint8_t request)
{
	header(m, RTM_SETLINK, ifindex);
	attr(m, A_IFNAME, ifname, strlen(ifname) + 1);
	size_t list = nest(m, A_VFINFO_LIST), info = nest(m, A_VF_INFO);
	uint8_t mac[36] = {0xff, 0xff, 0xff, 0xff};
	memcpy(mac + 4, o->mac, 6);
	attr(m, A_VF_MAC, mac, sizeof(mac));
	uint32_t vlan[3] = {SELF_VF, o->vlan, o->qos};
	attr(m, A_VF_VLAN, vlan, sizeof(vlan));
	nest_end(m, info);
	nest_end(m, list);
	size_t ports = nest(m, A_VF_PORTS), port = nest(m, A_VF_PORT);
	uint8_t vsi[8] = {o->mgrid, (uint8_t)o->type_id, (uint8_t)(o->type_id >> 8),
			  (uint8_t)(o->type_id >> 16), o->type_ver};
	attr(m, A_PORT_VSI_TYPE, vsi, sizeof(vsi));
	attr(m, A_PORT_UUID, uuid, 16);
	attr(m, A_PORT_REQUEST, &request, 1);
	nest_end(m, port);
	nest_end(m, ports);
	finish(m);
}

static void build_getlink(struct msg *m, const struct opts *o, int ifindex)
{
	header(m, RTM_GETLINK, ifindex);
	if (!o->no_ext_mask) {
		uint32_t filter = 1; /* RTEXT_FILTER_VF */
		attr(m, A_EXT_MASK, &filter, 4);
	}
	finish(m);
}

/* ---------------- sockets ---------------- */

static int nl_open(uint32_t *port)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl a = {.nl_family = AF_NETLINK};
	socklen_t al = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &al)) {
		perror("lvclient: netlink socket");
		exit(1);
	}
	if (port)
		*port = a.nl_pid;
	return fd;
}

/* Wait up to ms for a datagram; its length, 0 on timeout. */
static ssize_t recv_wait(int fd, void *buf, size_t cap, int ms, uint32_t *from)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	if (poll(&p, 1, ms) <= 0)
		return 0;
	struct sockaddr_nl a;
	socklen_t al = sizeof(a);
	ssize_t n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&a, &al);
	if (from)
		*from = a.nl_pid;
	return n < 0 ? 0 : n;
}

/* One request on a fresh socket, one answer (libvirt waits 2 s). */
static ssize_t transact(const void *req, size_t len, void *ans, size_t cap)
{
	int fd = nl_open(NULL);
	struct sockaddr_nl to = {.nl_family = AF_NETLINK, .nl_pid = daemon_pid};
	uint32_t from = 0;
	if (sendto(fd, req, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		printf("send failed: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	ssize_t n = recv_wait(fd, ans, cap, 2000, &from);
	close(fd);
	if (n > 0 && from != daemon_pid) {
		printf("answer from port %u, not the daemon's %u\n", from, daemon_pid);
		return -1;
	}
	return n;
}

/* ---------------- reading answers ---------------- */

/* NLMSG_ERROR's code, or 1 when the answer is something else. */
static int error_code(const uint8_t *b, ssize_t n, const struct nlmsghdr **out)
{
	const struct nlmsghdr *h = (const void *)b;
	*out = h;
	if (n < (ssize_t)sizeof(*h) || h->nlmsg_len > n)
		return -1000; /* malformed answer */
	if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_len >= sizeof(*h) + 4) {
		int e;
		memcpy(&e, b + sizeof(*h), 4);
		return e;
	}
	return 1;
}

struct attrs {
	const uint8_t *p;
	size_t rem;
};

static bool next_attr(struct attrs *it, uint16_t *type, const uint8_t **val, size_t *len)
{
	if (it->rem < 4)
		return false;
	uint16_t h[2];
	memcpy(h, it->p, 4);
	if (h[0] < 4 || h[0] > it->rem)
		return false;
	*type = h[1] & TYPE_MASK;
	*val = it->p + 4;
	*len = h[0] - 4u;
	size_t step = (h[0] + 3u) & ~3u;
	it->p += step < it->rem ? step : it->rem;
	it->rem -= step < it->rem ? step : it->rem;
	return true;
}

struct vfport {
	bool has_vf, has_uuid, has_resp;
	uint32_t vf;
	uint8_t uuid[16];
	uint16_t resp;
};

static void parse_port(const uint8_t *v, size_t len, struct vfport *pt)
{
	struct attrs it = {v, len};
	uint16_t t;
	const uint8_t *pv;
	size_t pl;
	memset(pt, 0, sizeof(*pt));
	while (next_attr(&it, &t, &pv, &pl)) {
		if (t == A_PORT_VF && pl == 4) {
			pt->has_vf = true;
			memcpy(&pt->vf, pv, 4);
		} else if (t == A_PORT_UUID && pl == 16) {
			pt->has_uuid = true;
			memcpy(pt->uuid, pv, 16);
		} else if (t == A_PORT_RESPONSE && pl == 2) {
			pt->has_resp = true;
			memcpy(&pt->resp, pv, 2);
		}
	}
}

/* Poll answer as libvirt reads it: 0 done, 1 keep polling, -1 failed.
 * nports gets the number of IFLA_VF_PORT entries. */
static int read_poll(const uint8_t *b, ssize_t n, const uint8_t uuid[16], int *resp, int *nports)
{
	const struct nlmsghdr *h;
	int e = error_code(b, n, &h);
	*nports = 0;
	*resp = -1;
	if (e == -1000) {
		printf("poll: malformed answer\n");
		return -1;
	}
	if (h->nlmsg_type == NLMSG_ERROR) {
		printf("poll answered with error %d (%s)\n", e, strerror(-e));
		return -1;
	}
	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != NLMSG_DONE) {
		printf("poll answered with message type %u\n", h->nlmsg_type);
		return -1;
	}
	if (h->nlmsg_len < sizeof(*h) + sizeof(struct ifinfomsg))
		return -1;
	struct attrs it = {b + sizeof(*h) + sizeof(struct ifinfomsg),
			   h->nlmsg_len - sizeof(*h) - sizeof(struct ifinfomsg)};
	uint16_t t;
	const uint8_t *v;
	size_t l;
	bool found = false, have_ports = false;
	while (next_attr(&it, &t, &v, &l)) {
		if (t != A_VF_PORTS)
			continue;
		have_ports = true;
		struct attrs pit = {v, l};
		uint16_t pt;
		const uint8_t *pv;
		size_t pl;
		while (next_attr(&pit, &pt, &pv, &pl)) {
			struct vfport port;
			if (pt != A_VF_PORT)
				continue;
			(*nports)++;
			parse_port(pv, pl, &port);
			if (port.has_vf && port.vf == SELF_VF && port.has_uuid &&
			    !memcmp(port.uuid, uuid, 16)) {
				found = true;
				*resp = port.has_resp ? port.resp : -1;
			}
		}
	}
	if (!have_ports || !found) {
		printf("poll: %s\n", have_ports ? "no IFLA_VF_PORT with PORT_VF -1 and our UUID"
						: "no IFLA_VF_PORTS");
		return -1;
	}
	if (*resp < 0 || *resp == 0x101)
		return 1;
	return *resp == 0 || *resp == 0x100 ? 0 : -1;
}

/* ---------------- notifications ---------------- */

/* An unsolicited RTM_SETLINK checked as libvirt checks it (sender pid,
 * MAC) and field by field as the contract says; prints one line. */
static bool check_notification(const uint8_t *b, ssize_t n, const struct opts *o,
			       const uint8_t uuid[16])
{
	const struct nlmsghdr *h = (const void *)b;
	if (n < (ssize_t)sizeof(*h) || h->nlmsg_len > n || h->nlmsg_type != RTM_SETLINK) {
		printf("event: not an RTM_SETLINK\n");
		return false;
	}
	bool ok = h->nlmsg_pid == daemon_pid, mac_ok = false, vlan_ok = false, req_ok = false;
	bool uuid_ok = false, vf_ok = false;
	struct attrs it = {b + sizeof(*h) + sizeof(struct ifinfomsg),
			   h->nlmsg_len - sizeof(*h) - sizeof(struct ifinfomsg)};
	uint16_t t, t2, t3;
	const uint8_t *v, *v2, *v3;
	size_t l, l2, l3;
	while (next_attr(&it, &t, &v, &l)) {
		struct attrs in = {v, l};
		while ((t == A_VFINFO_LIST || t == A_VF_PORTS) && next_attr(&in, &t2, &v2, &l2)) {
			struct attrs in2 = {v2, l2};
			while (next_attr(&in2, &t3, &v3, &l3)) {
				if (t == A_VFINFO_LIST && t3 == A_VF_MAC)
					mac_ok = l3 == 36 && !memcmp(v3 + 4, o->mac, 6);
				if (t == A_VFINFO_LIST && t3 == A_VF_VLAN)
					vlan_ok = l3 == 12;
				if (t == A_VF_PORTS && t3 == A_PORT_REQUEST)
					req_ok = l3 == 1 && v3[0] == 3;
				if (t == A_VF_PORTS && t3 == A_PORT_UUID)
					uuid_ok = l3 == 16 && !memcmp(v3, uuid, 16);
				if (t == A_VF_PORTS && t3 == A_PORT_VF)
					vf_ok = l3 == 4 && !memcmp(v3, "\xff\xff\xff\xff", 4);
			}
		}
	}
	ok = ok && mac_ok && vlan_ok && req_ok && uuid_ok && vf_ok;
	printf("event: de-associate from pid %u: %s (pid %s, mac %s, vlan %s, request u8 3 %s, "
	       "uuid %s, vf %s)\n",
	       h->nlmsg_pid, ok ? "ok" : "WRONG", h->nlmsg_pid == daemon_pid ? "ok" : "wrong",
	       mac_ok ? "ok" : "wrong", vlan_ok ? "ok" : "wrong", req_ok ? "ok" : "wrong",
	       uuid_ok ? "ok" : "wrong", vf_ok ? "ok" : "wrong");
	return ok;
}

static int listen_events(int secs, const struct opts *o, const uint8_t uuid[16])
{
	static uint8_t b[BUF] __attribute__((aligned(4)));
	double end = now_ms() + secs * 1e3;
	while (now_ms() < end) {
		ssize_t n = recv_wait(event_fd, b, sizeof(b), (int)(end - now_ms()) + 1, NULL);
		if (n > 0)
			return check_notification(b, n, o, uuid) ? 0 : 1;
	}
	printf("event: none within %d s\n", secs);
	return 1;
}

/* ---------------- operations ---------------- */

static int request(const struct opts *o, const char *ifname, const uint8_t uuid[16], uint8_t req)
{
	static struct msg m;
	static uint8_t b[BUF] __attribute__((aligned(4)));
	int ifindex = (int)if_nametoindex(ifname);
	m.nested = o->nested;
	build_setlink(&m, o, ifname, ifindex, uuid, req);
	double t0 = now_ms();
	ssize_t n = transact(m.b, m.len, b, sizeof(b));
	const struct nlmsghdr *h;
	int e = n > 0 ? error_code(b, n, &h) : -1000;
	if (n <= 0) {
		printf("setlink: no answer within 2 s\n");
		return 1;
	}
	if (!(e == 0 || (e == 1 && h->nlmsg_type == NLMSG_DONE))) {
		printf("setlink: error %d (%s)\n", e, e < 0 ? strerror(-e) : "unexpected answer");
		return 1;
	}
	printf("setlink: accepted after %.1f ms\n", now_ms() - t0);
	for (int polls = 1;; polls++) {
		int resp = -1, nports = 0;
		build_getlink(&m, o, ifindex);
		n = transact(m.b, m.len, b, sizeof(b));
		int r = n > 0 ? read_poll(b, n, uuid, &resp, &nports) : -1;
		if (r <= 0) {
			printf("result: %s, response %d (0x%x), %d poll(s), %d VSI(s) listed, %.1f "
			       "ms\n",
			       r ? "FAILED" : "success", resp, resp < 0 ? 0 : resp, polls, nports,
			       now_ms() - t0);
			if (r)
				return 1;
			break;
		}
		if (now_ms() - t0 >= o->timeout_ms) {
			printf("result: FAILED, port-profile setlink timed out after %d polls\n",
			       polls);
			return 1;
		}
		usleep((useconds_t)o->poll_ms * 1000);
	}
	return o->listen_s ? listen_events(o->listen_s, o, uuid) : 0;
}

/* Malformed variants of a valid request; prints the answer's error code. */
static int malformed(const struct opts *o, const char *what, const char *ifname,
		     const uint8_t uuid[16])
{
	static struct msg m;
	static uint8_t b[BUF] __attribute__((aligned(4)));
	int ifindex = (int)if_nametoindex(ifname);
	size_t send_len;
	build_setlink(&m, o, ifname, ifindex, uuid, 2);
	send_len = m.len;
	struct nlmsghdr *h = (struct nlmsghdr *)m.b;
	/* offsets in build_setlink's layout: IFNAME at 32 */
	size_t vfinfo = 32 + ((4 + strlen(ifname) + 1 + 3) & ~3u);
	size_t mac = vfinfo + 8, vlan = mac + 40, ports = vlan + 16, vsi = ports + 8;
	if (!strcmp(what, "truncated")) { /* datagram cut inside the VF_PORT */
		send_len = m.len - 10;
	} else if (!strcmp(what, "len-too-big")) {
		h->nlmsg_len += 64;
	} else if (!strcmp(what, "short-header")) { /* 8 octets: no answer possible */
		send_len = 8;
	} else if (!strcmp(what, "no-ifinfomsg")) {
		h->nlmsg_len = 20;
		send_len = 20;
	} else if (!strcmp(what, "mac-35")) {
		m.b[mac] = 4 + 35;
	} else if (!strcmp(what, "attr-overrun")) { /* IFLA_VF_VLAN claims 200 octets */
		m.b[vlan] = 200;
	} else if (!strcmp(what, "vsi-type-7")) {
		m.b[vsi] = 4 + 7;
	} else if (!strcmp(what, "request-9")) {
		m.b[m.len - 8 + 4] = 9;
	} else if (!strcmp(what, "zero-uuid")) {
		memset(m.b + vsi + 12 + 4, 0, 16);
	} else if (!strcmp(what, "junk-after")) {
		memcpy(m.b + m.len, "\x01\x02", 2);
		send_len = m.len + 2;
		h->nlmsg_len += 2;
	} else if (!strcmp(what, "no-request-flag")) {
		h->nlmsg_flags = 0;
	} else if (!strcmp(what, "unknown-type")) {
		h->nlmsg_type = RTM_NEWROUTE;
	} else if (!strcmp(what, "no-vf-ports")) {
		h->nlmsg_len = (uint32_t)ports;
		send_len = ports;
	} else if (!strcmp(what, "valid")) {
	} else {
		fprintf(stderr, "lvclient: unknown malformed case '%s'\n", what);
		return 2;
	}
	ssize_t n = transact(m.b, send_len, b, sizeof(b));
	const struct nlmsghdr *ah;
	if (n <= 0) {
		printf("answer: none\n");
		return 0;
	}
	int e = error_code(b, n, &ah);
	if (e == 1 || e == -1000) {
		printf("answer: type %u\n", ah->nlmsg_type);
		return 0;
	}
	bool echo = n >= 36 && !memcmp(b + 20, m.b, 16);
	printf("answer: error %d%s\n", e, echo ? " (request header echoed)" : "");
	return 0;
}

static int poll_once(const struct opts *o, const char *ifname)
{
	static struct msg m;
	static uint8_t b[BUF] __attribute__((aligned(4)));
	static const uint8_t none[16];
	int resp = -1, nports = 0;
	build_getlink(&m, o, (int)if_nametoindex(ifname));
	ssize_t n = transact(m.b, m.len, b, sizeof(b));
	read_poll(b, n, none, &resp, &nports);
	printf("poll: %zd octets, %d VSI(s)\n", n, nports);
	return n > 0 ? 0 : 1;
}

/* ---------------- main ---------------- */

static int parse_uuid(const char *s, uint8_t out[16])
{
	int n = 0;
	for (; *s && n < 32; s++) {
		if (*s == '-')
			continue;
		char c[3] = {s[0], s[1], 0};
		if (!s[1])
			return -1;
		out[n / 2] = (uint8_t)strtoul(c, NULL, 16);
		n += 2;
		s++;
	}
	return n == 32 && !*s ? 0 : -1;
}

static uint32_t read_pid(const char *path)
{
	char buf[16] = "";
	FILE *f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		fprintf(stderr, "lvclient: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	return (uint32_t)strtoul(buf, NULL, 10);
}

static void usage(void)
{
	fputs("usage: lvclient [-p PIDFILE] [-m MAC] [-v VLAN] [-q QOS] [-M MGRID] [-T TYPEID] "
	      "[-V VER] [-i MS] [-t MS] [-L S] [-N] [-x] "
	      "preassociate|associate|disassociate IF UUID | malformed CASE IF UUID | "
	      "poll IF\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = {.pidfile = "/var/run/lldpad.pid",
			 .mac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56},
			 .type_id = 0x123456,
			 .type_ver = 1,
			 .poll_ms = 125,
			 .timeout_ms = 10000};
	int c;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "p:m:v:q:M:T:V:i:t:L:Nx")) != -1) {
		switch (c) {
		case 'p':
			o.pidfile = optarg;
			break;
		case 'm':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &o.mac[0], &o.mac[1],
				   &o.mac[2], &o.mac[3], &o.mac[4], &o.mac[5]) != 6)
				usage();
			break;
		case 'v':
			o.vlan = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'q':
			o.qos = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'M':
			o.mgrid = (uint8_t)strtoul(optarg, NULL, 0);
			break;
		case 'T':
			o.type_id = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'V':
			o.type_ver = (uint8_t)strtoul(optarg, NULL, 0);
			break;
		case 'i':
			o.poll_ms = atoi(optarg);
			break;
		case 't':
			o.timeout_ms = atoi(optarg);
			break;
		case 'L':
			o.listen_s = atoi(optarg);
			break;
		case 'N':
			o.nested = true;
			break;
		case 'x':
			o.no_ext_mask = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	daemon_pid = read_pid(o.pidfile);
	event_fd = nl_open(&event_port);
	uint8_t uuid[16] = {0};
	const char *cmd = argv[0];
	if (!strcmp(cmd, "poll") && argc == 2)
		return poll_once(&o, argv[1]);
	if (!strcmp(cmd, "malformed") && argc == 4 && !parse_uuid(argv[3], uuid))
		return malformed(&o, argv[1], argv[2], uuid);
	if (argc != 3 || parse_uuid(argv[2], uuid))
		usage();
	if (!strcmp(cmd, "preassociate"))
		return request(&o, argv[1], uuid, 0);
	if (!strcmp(cmd, "associate"))
		return request(&o, argv[1], uuid, 2);
	if (!strcmp(cmd, "disassociate"))
		return request(&o, argv[1], uuid, 3);
	usage();
}
