/* SPDX-License-Identifier: ISC */
/*
 * impair.c - a test tool: relays Ethernet frames between two interfaces
 * (AF_PACKET) and impairs them on the way: random loss, duplication and
 * reordering, each with a given percentage, from a seeded generator.  Stands
 * in for netem, which this kernel lacks.  With `noack`, every ECP ACK from
 * IF_A to IF_B is dropped too: a peer behind IF_A that never acknowledges.
 * Stops on SIGTERM/SIGINT and prints what it did.
 *
 *   impair IF_A IF_B LOSS% DUP% REORDER% [SEED [noack]]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct side {
	int fd;
	int ifindex;
	unsigned char held[2048]; /* frame held back for reordering */
	ssize_t held_len;
};

static volatile sig_atomic_t stop;
static unsigned long n_in, n_lost, n_dup, n_reord, n_acks;
static int drop_acks_a2b;

/* An ECP ACK (EtherType 0x8940, operation 1 in bits 3-2 of the first
 * header octet, IEEE 802.1Qbg-2012 clause 43.3). */
static int is_ecp_ack(const unsigned char *f, ssize_t n)
{
	return n > 15 && f[12] == 0x89 && f[13] == 0x40 && ((f[14] >> 2) & 3) == 1;
}

static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

static int open_if(const char *name, struct side *s)
{
	s->ifindex = (int)if_nametoindex(name);
	s->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (!s->ifindex || s->fd < 0)
		return -1;
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = s->ifindex};
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)))
		return -1;
	struct packet_mreq mr = {.mr_ifindex = s->ifindex, .mr_type = PACKET_MR_PROMISC};
	return setsockopt(s->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

static int chance(unsigned pct)
{
	return (unsigned)(random() % 100) < pct;
}

static void out(struct side *to, const unsigned char *f, ssize_t n)
{
	if (send(to->fd, f, (size_t)n, 0) < 0 && errno != ENOBUFS)
		perror("impair: send");
}

static void relay(struct side *from, struct side *to, unsigned loss, unsigned dup, unsigned reord,
		  int drop_acks)
{
	unsigned char f[2048];
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	ssize_t n = recvfrom(from->fd, f, sizeof(f), MSG_DONTWAIT, (struct sockaddr *)&sll, &sl);
	if (n <= 0 || sll.sll_pkttype == PACKET_OUTGOING)
		return;
	n_in++;
	if (drop_acks && is_ecp_ack(f, n)) {
		n_acks++;
		return;
	}
	if (chance(loss)) {
		n_lost++;
		return;
	}
	if (!to->held_len && chance(reord)) {
		memcpy(to->held, f, (size_t)n);
		to->held_len = n;
		n_reord++;
		return;
	}
	out(to, f, n);
	if (chance(dup)) {
		out(to, f, n);
		n_dup++;
	}
	if (to->held_len) {
		out(to, to->held, to->held_len);
		to->held_len = 0;
	}
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: impair IF_A IF_B LOSS%% DUP%% REORDER%% [SEED [noack]]\n");
		return 2;
	}
	struct side a = {0}, b = {0};
	if (open_if(argv[1], &a) || open_if(argv[2], &b)) {
		perror("impair: cannot open the interfaces");
		return 1;
	}
	unsigned loss = (unsigned)atoi(argv[3]), dup = (unsigned)atoi(argv[4]);
	unsigned reord = (unsigned)atoi(argv[5]);
	srandom(argc > 6 ? (unsigned)atoi(argv[6]) : 1);
	drop_acks_a2b = argc > 7 && !strcmp(argv[7], "noack");
	signal(SIGTERM, on_sig);
	signal(SIGINT, on_sig);
	struct pollfd pf[2] = {{.fd = a.fd, .events = POLLIN}, {.fd = b.fd, .events = POLLIN}};
	while (!stop) {
		int r = poll(pf, 2, 20);
		if (r < 0 && errno != EINTR)
			break;
		if ((pf[0].revents | pf[1].revents) & (POLLERR | POLLHUP | POLLNVAL))
			break; /* an interface went away with its namespace */
		if (r == 0) {  /* idle: release held frames so nothing waits forever */
			if (a.held_len)
				out(&a, a.held, a.held_len), a.held_len = 0;
			if (b.held_len)
				out(&b, b.held, b.held_len), b.held_len = 0;
		}
		if (pf[0].revents & POLLIN)
			relay(&a, &b, loss, dup, reord, drop_acks_a2b);
		if (pf[1].revents & POLLIN)
			relay(&b, &a, loss, dup, reord, 0);
	}
	printf("impair: %lu frames in, %lu lost, %lu duplicated, %lu reordered, %lu ACKs dropped\n",
	       n_in, n_lost, n_dup, n_reord, n_acks);
	return 0;
}
