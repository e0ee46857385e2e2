/* SPDX-License-Identifier: ISC */
/*
 * dumpflood.c - a hostile local client of evbd's control socket, for
 * test_ipc_limits.sh:
 *   dumpflood flood DATAGRAMS SECONDS
 *       send DATAGRAMS datagrams, each full of port dump requests, never
 *       read an answer, then hold the socket open for SECONDS;
 *   dumpflood squat SECONDS
 *       bind evbd's port id first and answer every request with an empty
 *       dump (NLMSG_DONE), for SECONDS;
 *   dumpflood stuck SECONDS
 *       subscribe to evbd's events (the monitor) with the smallest receive
 *       buffer, read nothing for SECONDS, then read what is there: exit 0
 *       and print evbd's sentence when the subscription was ended with an
 *       error, 1 when it was not (test_monitor.sh).
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ipc/schema.h"

static int open_sock(uint32_t portid)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_USERSOCK);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_pid = portid};
	int small = 4096;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "dumpflood: cannot bind netlink port id %u: %s\n", portid,
			strerror(errno));
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	return fd;
}

static int flood(unsigned datagrams, unsigned seconds)
{
	static uint8_t buf[16384];
	int fd = open_sock(0);
	struct sockaddr_nl to = {.nl_family = AF_NETLINK, .nl_pid = EVBD_IPC_PORTID};
	uint32_t seq = 0;
	size_t one = NLMSG_ALIGN(NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct evb_ipc_hdr)));
	for (unsigned d = 0; d < datagrams; d++) {
		size_t off = 0;
		memset(buf, 0, sizeof(buf));
		for (; off + one <= sizeof(buf); off += one) {
			struct nlmsghdr *nlh = (struct nlmsghdr *)(buf + off);
			nlh->nlmsg_len = (uint32_t)one;
			nlh->nlmsg_type = EVB_MSG_PORT_GET;
			nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
			nlh->nlmsg_seq = ++seq;
			struct evb_ipc_hdr *h = NLMSG_DATA(nlh);
			h->version = EVBD_IPC_VERSION;
		}
		if (sendto(fd, buf, off, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			fprintf(stderr, "dumpflood: cannot send: %s\n", strerror(errno));
			return 1;
		}
		usleep(20000);
	}
	sleep(seconds);
	close(fd);
	return 0;
}

static int squat(unsigned seconds)
{
	int fd = open_sock(EVBD_IPC_PORTID);
	time_t end = time(NULL) + seconds;
	struct timeval tv = {.tv_sec = 1};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (time(NULL) < end) {
		uint8_t rq[65536];
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, rq, sizeof(rq), 0, (struct sockaddr *)&from, &fl);
		if (n < (ssize_t)NLMSG_HDRLEN)
			continue;
		struct nlmsghdr ans = {.nlmsg_len = NLMSG_HDRLEN + 4,
				       .nlmsg_type = NLMSG_DONE,
				       .nlmsg_flags = NLM_F_MULTI,
				       .nlmsg_seq = ((struct nlmsghdr *)rq)->nlmsg_seq,
				       .nlmsg_pid = EVBD_IPC_PORTID};
		uint8_t out[NLMSG_HDRLEN + 4] = {0};
		memcpy(out, &ans, sizeof(ans));
		sendto(fd, out, sizeof(out), 0, (struct sockaddr *)&from, fl);
	}
	return 0;
}

/* The errno and sentence of a RESULT (attributes after the evbd header). */
static int result_of(const struct nlmsghdr *nlh, const char **msg)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct evb_ipc_hdr));
	int err = -1;
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		const struct nlattr *a = (const struct nlattr *)((const uint8_t *)nlh + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nlh->nlmsg_len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == EVB_A_ERRNO && a->nla_len >= NLA_HDRLEN + 4)
			memcpy(&err, (const uint8_t *)a + NLA_HDRLEN, 4);
		if ((a->nla_type & NLA_TYPE_MASK) == EVB_A_ERRMSG)
			*msg = (const char *)a + NLA_HDRLEN;
		off += NLA_ALIGN(a->nla_len);
	}
	return err;
}

static int stuck(unsigned seconds)
{
	static uint8_t buf[65536];
	int fd = open_sock(0);
	struct sockaddr_nl to = {.nl_family = AF_NETLINK, .nl_pid = EVBD_IPC_PORTID};
	struct {
		struct nlmsghdr nlh;
		struct evb_ipc_hdr h;
	} rq = {.nlh = {.nlmsg_len = sizeof(rq),
			.nlmsg_type = EVB_MSG_MONITOR,
			.nlmsg_flags = NLM_F_REQUEST,
			.nlmsg_seq = 7},
		.h = {.version = EVBD_IPC_VERSION}};
	if (sendto(fd, &rq, sizeof(rq), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		fprintf(stderr, "dumpflood: cannot send: %s\n", strerror(errno));
		return 2;
	}
	sleep(seconds);
	struct timeval tv = {.tv_sec = 2};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	unsigned results = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == ENOBUFS)
			continue; /* the kernel dropped some: expected, we did not read */
		if (n <= 0)
			break;
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const char *msg = "";
			if (nlh->nlmsg_type != EVB_MSG_RESULT || nlh->nlmsg_seq != 7)
				continue;
			int err = result_of(nlh, &msg);
			if (results++ && err > 0) { /* the first is the OK */
				printf("%s\n", msg);
				return 0;
			}
		}
	}
	printf("the subscription was not ended (%u results)\n", results);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "stuck"))
		return stuck((unsigned)atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "flood"))
		return flood((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "squat"))
		return squat((unsigned)atoi(argv[2]));
	fprintf(stderr,
		"usage: dumpflood flood DATAGRAMS SECONDS | squat SECONDS | stuck SECONDS\n");
	return 2;
}
