/* SPDX-License-Identifier: ISC */
/*
 * decode.h - `evbctl decode`: a frame decoded through the vdp/ codecs into
 * the writer (Ethernet, LLDP with the EVB and CDCP TLVs, ECP, VDP TLVs, and
 * every malformation with its octet offset in the frame), and the command
 * that feeds it frames from frame_input.
 */
#ifndef EVBCTL_DECODE_H
#define EVBCTL_DECODE_H

#include <stdbool.h>

#include "evbctl.h"
#include "frame_input.h"
#include "writer.h"

/* Write frame number `no` (from 1) as an element of the current list.
 * Returns true when the frame is malformed (each malformation is in its
 * "malformed" list and is also reported on stderr). */
bool decode_frame(struct writer *w, unsigned no, const struct frame_in *f);

extern const struct evbctl_cmd decode_cmd;

#endif
