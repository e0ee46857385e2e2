/* SPDX-License-Identifier: ISC */
/*
 * trace.h - `--trace FILE`: every frame evbd sends or receives, written to a
 * pcap file (libpcap's dump writer) that Wireshark, tshark, tcpdump and
 * `evbctl decode -r` read.
 */
#ifndef EVBD_TRACE_H
#define EVBD_TRACE_H

#include <stddef.h>
#include <stdint.h>

struct evbd_trace;

/* Open (truncate) path.  NULL with a message logged on failure. */
struct evbd_trace *trace_open(const char *path);
/* Record one frame; no-op when t is NULL. */
void trace_frame(struct evbd_trace *t, const uint8_t *frame, size_t len);
/* Push buffered frames to the file (once per loop turn). */
void trace_flush(struct evbd_trace *t);
void trace_close(struct evbd_trace *t);

#endif
