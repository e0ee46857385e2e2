/* SPDX-License-Identifier: ISC */
/*
 * mgrid.h - the text form of a VDP manager ID (mgrid.c).
 */
#ifndef EVBCTL_MGRID_H
#define EVBCTL_MGRID_H

#include <stddef.h>
#include <stdint.h>

#include "vdp/proto.h"

/* A manager ID in the forms mgrid_parse (commands.h) reads: a number
 * 0-255 when only the first octet is set, text when it is printable and
 * NUL-padded, else 32 hex digits. */
void mgrid_str(const uint8_t m[VDP_MGRID_LEN], char *buf, size_t cap);

#endif
