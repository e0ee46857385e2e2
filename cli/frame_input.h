/* SPDX-License-Identifier: ISC */
/*
 * frame_input.h - reading Ethernet frames for evbctl: hex given as
 * arguments, hex text (one frame per line, '\' continuation, or
 * offset-prefixed dumps such as "0000  01 80 c2 ...") and pcap files
 * (DLT_EN10MB).  Each frame goes to a callback; what cannot be read is
 * reported on stderr as "PROG: [line N: ]problem" and counted.
 */
#ifndef EVBCTL_FRAME_INPUT_H
#define EVBCTL_FRAME_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

struct frame_in {
	const uint8_t *p;  /* from the destination MAC on, without FCS */
	size_t len;	   /* octets in p */
	size_t orig_len;   /* octets on the wire (a pcap snaplen may cut); 0 = len */
	bool has_time;	   /* ts is valid (pcap input) */
	struct timeval ts; /* capture time */
};

struct frame_reader {
	void (*frame)(void *ctx, const struct frame_in *f);
	void *ctx;
	const char *prog; /* prefix of error messages, e.g. "evbctl decode" */
	unsigned errors;  /* input problems reported */
};

/* All arguments together are one frame. */
void frames_from_args(struct frame_reader *r, int argc, char **argv);
/* Hex text from in, until EOF. */
void frames_from_text(struct frame_reader *r, FILE *in);
/* A pcap file ("-" is standard input). */
void frames_from_pcap(struct frame_reader *r, const char *file);

#endif
