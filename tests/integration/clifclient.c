/* SPDX-License-Identifier: ISC */
/*
 * clifclient.c - a client of lldpad's control interface built on Debian's
 * liblldp_clif (lldpad-dev), as programs that drive lldpad link it: open,
 * attach to the VDP22 module, associate one VSI with clif_vsiwait, then
 * wait for events with clif_vsievt and print each, until the one that
 * de-associates that VSI.
 *
 *   clifclient IF UUID VID-MAC WAIT-SECONDS
 *
 * Prints "assoc: rc N: REPLY" and "event: EVENT" lines, "no de-association
 * event" when WAIT-SECONDS pass without it.  Exit 0 when the association succeeded.
 */
#include <sys/types.h>

#include <lldpad/clif.h>
#include <lldpad/clif_msgs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char cmd[512], reply[MAX_CLIF_MSGBUF];
	size_t len = sizeof(reply);
	if (argc != 5) {
		fprintf(stderr, "usage: clifclient IF UUID VID-MAC WAIT-SECONDS\n");
		return 2;
	}
	struct clif *c = clif_open();
	if (!c) {
		fprintf(stderr, "clifclient: clif_open failed: is lldpad (or evbd) running?\n");
		return 1;
	}
	if (clif_attach(c, "80c4")) {
		fprintf(stderr, "clifclient: clif_attach failed\n");
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "assoc,blade1,5,4,%s,none,%s", argv[2], argv[3]);
	int rc = clif_vsiwait(c, argv[1], 3, cmd, reply, &len, 5);
	printf("assoc: rc %d: %.*s\n", rc, (int)len, reply);
	fflush(stdout);
	/* Every event until the de-association of our VSI. */
	int ended = 0;
	for (int waited = 0; waited < atoi(argv[4]) && !ended; waited++) {
		len = sizeof(reply);
		while (!ended && !clif_vsievt(c, reply, &len, 1)) {
			reply[len < sizeof(reply) ? len : sizeof(reply) - 1] = 0;
			printf("event: %s\n", reply);
			ended = strstr(reply, argv[2]) && strstr(reply, "04mode0007deassoc");
			len = sizeof(reply);
		}
	}
	if (!ended)
		printf("no de-association event\n");
	clif_detach(c);
	clif_close(c);
	return rc ? 1 : 0;
}
