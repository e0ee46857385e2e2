/* SPDX-License-Identifier: ISC */
/*
 * inject.c - a test tool: sends Ethernet frames given in hex onto an
 * interface through an AF_PACKET socket, as a rogue sender on the link
 * would (any source address, any EtherType).  Spaces and colons in the hex
 * are ignored; one argument is one frame.
 *
 *   inject IF HEX...
 */
#include <ctype.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FRAME_MAX 1514 /* a frame without its FCS */

static int hexval(int c)
{
	if (isdigit(c))
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The octets of hex in out: their number, or -1 (bad digit, odd count, too long). */
static int parse_hex(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (const char *s = hex; *s; s++) {
		if (*s == ' ' || *s == ':')
			continue;
		int v = hexval((unsigned char)*s);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: inject IF HEX...\n");
		return 2;
	}
	unsigned idx = if_nametoindex(argv[1]);
	if (!idx) {
		fprintf(stderr, "inject: no interface %s\n", argv[1]);
		return 1;
	}
	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("inject: socket(AF_PACKET)");
		return 1;
	}
	struct sockaddr_ll sa = {
	    .sll_family = AF_PACKET, .sll_ifindex = (int)idx, .sll_halen = ETH_ALEN};
	for (int i = 2; i < argc; i++) {
		unsigned char f[FRAME_MAX];
		int n = parse_hex(argv[i], f, sizeof(f));
		if (n < ETH_HLEN) {
			fprintf(stderr, "inject: frame %d is not hex of 14 to %d octets\n", i - 1,
				FRAME_MAX);
			return 1;
		}
		if (n < 60) { /* pad to the Ethernet minimum */
			memset(f + n, 0, (size_t)(60 - n));
			n = 60;
		}
		memcpy(sa.sll_addr, f, ETH_ALEN);
		if (sendto(fd, f, (size_t)n, 0, (struct sockaddr *)&sa, sizeof(sa)) != n) {
			perror("inject: sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
}
