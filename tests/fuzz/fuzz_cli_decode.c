/* SPDX-License-Identifier: ISC */
/*
 * fuzz_cli_decode.c - libFuzzer target for `evbctl decode`: arbitrary bytes
 * as an Ethernet frame through decode_frame() in text and JSON, and as hex
 * text through the frame reader.  Output goes to /dev/null.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/decode.h"
#include "cli/frame_input.h"
#include "cli/writer.h"

static FILE *devnull;

static void one(enum writer_format fmt, const uint8_t *data, size_t size)
{
	struct writer *w = writer_new(fmt, devnull);
	struct frame_in f = {.p = data, .len = size};
	if (!w)
		return;
	writer_begin_list(w, "frames");
	decode_frame(w, 1, &f);
	writer_end_list(w);
	writer_finish(w);
	writer_free(w);
}

static void on_frame(void *ctx, const struct frame_in *f)
{
	(void)ctx;
	one(WRITER_TEXT, f->p, f->len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	one(WRITER_TEXT, data, size);
	one(WRITER_JSON, data, size);
	FILE *in = fmemopen((void *)data, size, "r");
	if (in) {
		struct frame_reader r = {.frame = on_frame, .prog = "fuzz"};
		frames_from_text(&r, in);
		fclose(in);
	}
	return 0;
}
