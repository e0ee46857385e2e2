/* SPDX-License-Identifier: ISC */
/*
 * frame_input.c - reading Ethernet frames from hex arguments, hex text and
 * pcap files (see frame_input.h).
 */
#include "frame_input.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "vdp/bytes.h"

/* ------------------------------------------------------------------ */
/* Hex text                                                            */
/* ------------------------------------------------------------------ */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static int buf_push(struct buf *b, uint8_t v)
{
	if (b->len == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		uint8_t *p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	b->p[b->len++] = v;
	return 0;
}

static bool hex_sep(int c)
{
	return c == ':' || isspace(c);
}

/* Append the octets of s: groups of hex digits (an even number each, an
 * optional 0x before a group) separated by white space or colons.  0, or
 * -EINVAL with *why describing the problem (static buffer). */
static int hex_append(struct buf *b, const char *s, const char **why)
{
	static char msg[80];
	const char *p = s;
	while (*p) {
		if (hex_sep((unsigned char)*p)) {
			p++;
			continue;
		}
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hex_digit(p[2]) >= 0)
			p += 2;
		const char *g = p;
		while (hex_digit((unsigned char)*p) >= 0)
			p++;
		if (*p && !hex_sep((unsigned char)*p)) {
			snprintf(msg, sizeof(msg), "'%c' (column %zu) is not a hex digit", *p,
				 (size_t)(p - s) + 1);
			*why = msg;
			return -EINVAL;
		}
		if ((p - g) % 2) {
			snprintf(msg, sizeof(msg), "odd number of hex digits in '%.*s'",
				 (int)(p - g > 32 ? 32 : p - g), g);
			*why = msg;
			return -EINVAL;
		}
		for (; g < p; g += 2)
			if (buf_push(b, (uint8_t)(hex_digit(g[0]) << 4 | hex_digit(g[1]))))
				return *why = "out of memory", -ENOMEM;
	}
	return 0;
}

/* Reading hex text: the frame being assembled from several lines. */
struct text_in {
	struct frame_reader *r;
	struct buf cur;
	enum { PEND_NONE, PEND_DUMP, PEND_CONT } mode;
	bool cur_bad; /* a line of it was bad: drop it */
	unsigned line;
};

static void deliver(struct frame_reader *r, const uint8_t *p, size_t len)
{
	struct frame_in f = {.p = p, .len = len};
	r->frame(r->ctx, &f);
}

__attribute__((format(printf, 3, 4))) static void input_error(struct frame_reader *r, unsigned line,
							      const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", r->prog);
	if (line)
		fprintf(stderr, "line %u: ", line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	r->errors++;
}

static void flush_pending(struct text_in *t)
{
	if (t->mode != PEND_NONE && !t->cur_bad && t->cur.len)
		deliver(t->r, t->cur.p, t->cur.len);
	t->mode = PEND_NONE;
	t->cur_bad = false;
	t->cur.len = 0;
}

/* Does s start with a dump offset ("0000  01 80", "0x0010:  0180 c200")?
 * The offset is 4 to 8 hex digits (0x allowed) marked by a colon, a tab or
 * two blanks after it, so that a line of 4-digit groups ("0180 c200 ...",
 * "0x0180 0xc200 ...") is not mistaken for a dump. */
static bool dump_offset(const char *s, size_t *off, const char **rest)
{
	const char *p = s;
	bool marked = false;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	const char *g = p;
	*off = 0;
	while (hex_digit((unsigned char)*p) >= 0 && p - g < 9)
		*off = *off << 4 | (size_t)hex_digit((unsigned char)*p++);
	if (p - g < 4 || p - g > 8)
		return false;
	if (*p == ':') {
		p++;
		marked = true;
	}
	if (!isblank((unsigned char)p[0]))
		return false;
	if (p[0] == '\t' || isblank((unsigned char)p[1]))
		marked = true;
	*rest = p;
	return marked;
}

/* Cut a dump line's text column: the hex ends at the first run of two
 * blanks after it started. */
static void cut_text_column(char *s)
{
	char *p = s + strspn(s, " \t");
	for (; *p; p++)
		if (isblank((unsigned char)p[0]) && isblank((unsigned char)p[1])) {
			*p = '\0';
			return;
		}
}

static void dump_line(struct text_in *t, size_t off, char *rest)
{
	const char *why;
	if (off == 0) {
		flush_pending(t);
		t->mode = PEND_DUMP;
	} else if (t->mode != PEND_DUMP) {
		input_error(t->r, t->line, "dump offset 0x%zx without a line at offset 0 before it",
			    off);
		return;
	} else if (t->cur_bad) {
		return;
	} else if (off != t->cur.len) {
		input_error(t->r, t->line,
			    "dump offset 0x%zx does not follow the %zu octets before it", off,
			    t->cur.len);
		t->cur_bad = true;
		return;
	}
	cut_text_column(rest);
	if (hex_append(&t->cur, rest, &why)) {
		input_error(t->r, t->line, "%s", why);
		t->cur_bad = true;
	}
}

/* A line of hex: one frame, or part of one when it ends with a backslash. */
static void plain_line(struct text_in *t, char *s)
{
	size_t n = strlen(s);
	bool more = n && s[n - 1] == '\\';
	const char *why;
	if (t->mode == PEND_DUMP)
		flush_pending(t);
	if (more)
		s[n - 1] = '\0';
	if (!t->cur_bad && hex_append(&t->cur, s, &why)) {
		input_error(t->r, t->line, "%s", why);
		t->cur_bad = true;
	}
	t->mode = PEND_CONT;
	if (!more)
		flush_pending(t);
}

static void text_line(struct text_in *t, char *line)
{
	const char *rest;
	size_t off;
	size_t n = strcspn(line, "\r\n");
	while (n && isblank((unsigned char)line[n - 1]))
		n--;
	line[n] = '\0';
	char *s = line + strspn(line, " \t");
	if (!*s) {
		flush_pending(t); /* a blank line ends a frame */
		return;
	}
	if (*s == '#')
		return;
	if (dump_offset(s, &off, &rest))
		dump_line(t, off, (char *)rest);
	else
		plain_line(t, s);
}

void frames_from_text(struct frame_reader *r, FILE *in)
{
	struct text_in t = {.r = r};
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, in) >= 0) {
		t.line++;
		text_line(&t, line);
	}
	if (ferror(in))
		input_error(r, 0, "could not read the input: %s", strerror(errno));
	flush_pending(&t);
	free(line);
	free(t.cur.p);
}

void frames_from_args(struct frame_reader *r, int argc, char **argv)
{
	struct buf b = {0};
	const char *why;
	for (int i = 0; i < argc; i++) {
		if (hex_append(&b, argv[i], &why)) {
			input_error(r, 0, "argument %d ('%.40s'): %s", i + 1, argv[i], why);
			free(b.p);
			return;
		}
	}
	deliver(r, b.p, b.len);
	free(b.p);
}

/* ------------------------------------------------------------------ */
/* pcap                                                                */
/* ------------------------------------------------------------------ */

void frames_from_pcap(struct frame_reader *r, const char *file)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	pcap_t *pc = pcap_open_offline(file, errbuf);
	if (!pc) {
		input_error(r, 0, "cannot read %s: %s", file, errbuf);
		return;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		input_error(r, 0, "%s: link type %s is not Ethernet (EN10MB)", file,
			    pcap_datalink_val_to_name(pcap_datalink(pc)));
		pcap_close(pc);
		return;
	}
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		struct frame_in f = {
		    .p = data, .len = h->caplen, .orig_len = h->len, .has_time = true, .ts = h->ts};
		r->frame(r->ctx, &f);
	}
	if (rc == PCAP_ERROR)
		input_error(r, 0, "%s: %s", file, pcap_geterr(pc));
	pcap_close(pc);
}
