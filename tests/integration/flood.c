/* SPDX-License-Identifier: ISC */
/*
 * flood.c - a test tool: sends COUNT Ethernet frames of LEN bytes (default
 * 1500) with a given EtherType out of an interface from an AF_PACKET
 * socket, as fast as the kernel takes them, to the nearest customer bridge
 * group address (01:80:c2:00:00:00).  The payload is zeros: an ECP
 * EtherType makes each frame an ECPDU of version 0, which a receiver counts
 * as malformed.  Prints how many frames went out.
 *
 *   flood IF COUNT ETHERTYPE [LEN]       (ETHERTYPE as 0x8940)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int open_if(const char *name)
{
	int ifindex = (int)if_nametoindex(name);
	int fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: sends only */
	if (!ifindex || fd < 0)
		return -1;
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex};
	return bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ? -1 : fd;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: flood IF COUNT ETHERTYPE [LEN]\n");
		return 2;
	}
	unsigned long count = strtoul(argv[2], NULL, 0), sent = 0, refused = 0;
	unsigned long type = strtoul(argv[3], NULL, 0);
	size_t len = argc > 4 ? strtoul(argv[4], NULL, 0) : 1500;
	unsigned char f[9000] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00,
				 0x02, 0xf1, 0x00, 0x00, 0x00, 0x01};
	if (len < 60 || len > sizeof(f) || type > 0xffff) {
		fprintf(stderr, "flood: LEN must be 60 to %zu and ETHERTYPE 16 bits\n", sizeof(f));
		return 2;
	}
	f[12] = (unsigned char)(type >> 8);
	f[13] = (unsigned char)type;
	int fd = open_if(argv[1]);
	if (fd < 0) {
		fprintf(stderr, "flood: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while (sent + refused < count) {
		if (send(fd, f, len, 0) < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("flood: send");
				return 1;
			}
			refused++;
		} else {
			sent++;
		}
	}
	printf("flood: %lu frames sent on %s, %lu refused by the kernel\n", sent, argv[1], refused);
	return 0;
}
