/* SPDX-License-Identifier: ISC */
/*
 * writer.c - evbctl's text and JSON output writer (see writer.h).
 *
 * One stack of open containers serves both formats.  JSON is written as
 * text straight away, laid out as jansson's json_dumpf() lays it out with
 * JSON_INDENT(2) (or JSON_COMPACT), into a buffer that is printed when the
 * document is complete; a document whose root is a list (a listing: `vsi
 * list`, `mib walk`) is printed each time one of its elements is complete,
 * so memory stays bounded however long the list.  No tree is built: a
 * listing of a million VSIs costs no allocation per field.  In text mode a
 * level remembers whether it is a list (its key and element count, for
 * "key[i]:") and how deep the text is indented.
 */
#include "writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define WRITER_MAX_DEPTH 32
#define WRITER_KEY_MAX	 64
#define TEXT_INDENT	 2
#define JSON_INDENT_STEP 2

struct level {
	bool is_list;
	bool shown;	/* text: the container added an indentation step */
	bool implicit;	/* JSON: the implicit root object, closed by writer_finish() */
	unsigned count; /* elements so far (lists) */
	unsigned items; /* JSON: members or elements so far */
	char key[WRITER_KEY_MAX];
};

struct writer {
	enum writer_format fmt;
	FILE *out;
	int err;	 /* first error, sticky */
	bool compact;	 /* JSON on one line */
	bool has_root;	 /* JSON: the document's root was begun */
	unsigned depth;	 /* open levels */
	unsigned indent; /* text indentation steps */
	char *buf;	 /* JSON text not printed yet */
	size_t len, cap;
	struct level lv[WRITER_MAX_DEPTH];
};

struct writer *writer_new(enum writer_format fmt, FILE *out)
{
	struct writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fmt = fmt;
	w->out = out;
	return w;
}

enum writer_format writer_format(const struct writer *w)
{
	return w->fmt;
}

void writer_set_compact(struct writer *w)
{
	w->compact = true;
}

static void set_err(struct writer *w, int err)
{
	if (!w->err)
		w->err = err;
}

static struct level *top(struct writer *w)
{
	return w->depth ? &w->lv[w->depth - 1] : NULL;
}

static bool in_list(struct writer *w)
{
	struct level *t = top(w);
	return t && t->is_list;
}

/* ---- JSON ---- */

static void put(struct writer *w, const char *s, size_t n)
{
	if (w->err || !n)
		return;
	if (n > w->cap - w->len) {
		size_t cap = w->cap ? w->cap : 4096;
		while (cap - w->len < n)
			cap *= 2;
		char *p = realloc(w->buf, cap);
		if (!p) {
			set_err(w, -ENOMEM);
			return;
		}
		w->buf = p;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void put_str(struct writer *w, const char *s)
{
	put(w, s, strlen(s));
}

/* A line break and the indentation of depth levels (nothing when compact). */
static void json_newline(struct writer *w, unsigned depth)
{
	static const char spaces[] = "                                ";
	if (w->compact)
		return;
	put(w, "\n", 1);
	for (size_t n = (size_t)depth * JSON_INDENT_STEP; n;) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		put(w, spaces, k);
		n -= k;
	}
}

/* Octets of the well-formed UTF-8 sequence at p (1 to 4), or 0: a stray
 * continuation, an overlong form, a surrogate, above U+10FFFF, or cut short
 * (the terminating NUL is no continuation octet). */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf; /* bounds of the second octet */
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* The escape of the octet at p, which needs one (jansson's escapes: the
 * mandatory ones and control characters; an octet that is not UTF-8 becomes
 * U+FFFD, the replacement character). */
static void json_escape(struct writer *w, unsigned char c, bool bad)
{
	char seq[8];
	if (bad) {
		put_str(w, "\\ufffd");
		return;
	}
	switch (c) {
	case '"':
		put_str(w, "\\\"");
		return;
	case '\\':
		put_str(w, "\\\\");
		return;
	case '\b':
		put_str(w, "\\b");
		return;
	case '\f':
		put_str(w, "\\f");
		return;
	case '\n':
		put_str(w, "\\n");
		return;
	case '\r':
		put_str(w, "\\r");
		return;
	case '\t':
		put_str(w, "\\t");
		return;
	default:
		snprintf(seq, sizeof(seq), "\\u%04X", c);
		put_str(w, seq);
	}
}

/* s as a JSON string literal. */
static void json_string_lit(struct writer *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p; /* octets that go out as they are */
	put(w, "\"", 1);
	while (*p) {
		size_t n = utf8_len(p);
		if (n > 1 || (n == 1 && *p >= 0x20 && *p != '"' && *p != '\\')) {
			p += n;
			continue;
		}
		put(w, (const char *)run, (size_t)(p - run));
		json_escape(w, *p, n == 0);
		run = ++p;
	}
	put(w, (const char *)run, (size_t)(p - run));
	put(w, "\"", 1);
}

/* JSON mode has no scalar root: a keyed item at depth 0 opens an implicit
 * root object that stays open until writer_finish(). */
static void json_implicit_root(struct writer *w)
{
	if (w->depth || w->has_root)
		return;
	w->has_root = true;
	put(w, "{", 1);
	w->lv[0] = (struct level){.implicit = true};
	w->depth = 1;
}

/* What comes before an item of the current container: the separator and,
 * in an object, the member's name.  An item at depth 0 is the root. */
static void json_item(struct writer *w, const char *key)
{
	if (key && !w->depth)
		json_implicit_root(w);
	struct level *t = top(w);
	if (!t) {
		if (w->has_root)
			set_err(w, -EINVAL); /* a second document root */
		w->has_root = true;
		return;
	}
	if (t->items++)
		put(w, ",", 1);
	json_newline(w, w->depth);
	if (!t->is_list) {
		json_string_lit(w, key ? key : "");
		put_str(w, w->compact ? ":" : ": ");
	}
}

/* Close the innermost container. */
static void json_close(struct writer *w)
{
	struct level *t = top(w);
	if (t->items)
		json_newline(w, w->depth - 1);
	put(w, t->is_list ? "]" : "}", 1);
}

/* Print what is buffered: the document is complete, or an element of a
 * root list is. */
static void json_flush(struct writer *w)
{
	if (w->err || !w->len)
		return;
	if (fwrite(w->buf, 1, w->len, w->out) != w->len)
		set_err(w, -EIO);
	w->len = 0;
}

/* After an item: an element of a root list is printed at once. */
static void json_stream_root(struct writer *w)
{
	if (w->depth == 1 && w->lv[0].is_list && !w->lv[0].implicit)
		json_flush(w);
}

/* ---- text ---- */

static void text_indent(struct writer *w)
{
	fprintf(w->out, "%*s", (int)(w->indent * TEXT_INDENT), "");
}

/* Print the "name:" prefix of an item: key, label, or listkey[i]. */
static void text_name(struct writer *w, const char *key)
{
	struct level *t = top(w);
	text_indent(w);
	if (t && t->is_list && !key)
		fprintf(w->out, "%s[%u]:", t->key, t->count);
	else
		fprintf(w->out, "%s:", key ? key : "");
}

static void text_scalar(struct writer *w, const char *key, const char *val)
{
	text_name(w, key);
	fprintf(w->out, " %s\n", val);
}

/* ---- common ---- */

static void count_element(struct writer *w)
{
	struct level *t = top(w);
	if (t && t->is_list)
		t->count++;
}

static void begin(struct writer *w, const char *key, bool is_list)
{
	if (w->err)
		return;
	if (w->depth >= WRITER_MAX_DEPTH) {
		set_err(w, -E2BIG);
		return;
	}
	struct level lv = {.is_list = is_list};
	if (w->fmt == WRITER_JSON) {
		json_item(w, in_list(w) ? NULL : key);
		put(w, is_list ? "[" : "{", 1);
		if (w->err)
			return;
	} else if (is_list) {
		/* A list element that is itself a list is named after its parent. */
		const char *name = key ? key : (top(w) ? top(w)->key : "");
		snprintf(lv.key, sizeof(lv.key), "%s", name);
	} else if (key || in_list(w)) {
		text_name(w, key);
		fputc('\n', w->out);
		lv.shown = true;
		w->indent++;
	}
	count_element(w);
	w->lv[w->depth++] = lv;
}

static void end(struct writer *w, bool is_list)
{
	if (w->err)
		return;
	struct level *t = top(w);
	if (!t || t->is_list != is_list || t->implicit) {
		set_err(w, -EINVAL); /* unbalanced begin/end */
		return;
	}
	if (t->shown)
		w->indent--;
	if (w->fmt == WRITER_JSON)
		json_close(w);
	w->depth--;
	if (w->fmt == WRITER_JSON)
		json_stream_root(w);
}

void writer_begin_object(struct writer *w, const char *key)
{
	begin(w, key, false);
}

void writer_end_object(struct writer *w)
{
	end(w, false);
}

void writer_begin_list(struct writer *w, const char *key)
{
	begin(w, key, true);
}

void writer_end_list(struct writer *w)
{
	end(w, true);
}

/* Emit one scalar: JSON text lit (a string literal of it when quoted) or
 * text rendering txt. */
static void scalar(struct writer *w, const char *key, const char *lit, bool quoted, const char *txt)
{
	if (w->err)
		return;
	if (w->fmt == WRITER_JSON) {
		json_item(w, in_list(w) ? NULL : key);
		if (quoted)
			json_string_lit(w, lit);
		else
			put_str(w, lit);
		json_stream_root(w);
	} else
		text_scalar(w, in_list(w) ? NULL : key, txt);
	count_element(w);
}

void writer_str(struct writer *w, const char *key, const char *val)
{
	scalar(w, key, val, true, val);
}

void writer_uint(struct writer *w, const char *key, uint64_t val)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	scalar(w, key, buf, false, buf);
}

void writer_int(struct writer *w, const char *key, int64_t val)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRId64, val);
	scalar(w, key, buf, false, buf);
}

void writer_uint_hex(struct writer *w, const char *key, uint64_t val)
{
	char dec[24], hex[24];
	snprintf(dec, sizeof(dec), "%" PRIu64, val);
	snprintf(hex, sizeof(hex), "0x%" PRIx64, val);
	scalar(w, key, dec, false, hex);
}

void writer_bool(struct writer *w, const char *key, bool val)
{
	scalar(w, key, val ? "true" : "false", false, val ? "yes" : "no");
}

void writer_hex(struct writer *w, const char *key, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);
	if (!s) {
		set_err(w, -ENOMEM);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 0xf];
	}
	s[2 * n] = '\0';
	writer_str(w, key, s);
	free(s);
}

void writer_enum(struct writer *w, const char *key, uint64_t val, const char *name)
{
	if (w->fmt == WRITER_TEXT) {
		char buf[128];
		snprintf(buf, sizeof(buf), "%s (%" PRIu64 ")", name, val);
		writer_str(w, key, buf);
		return;
	}
	writer_uint(w, key, val);
	if (in_list(w) || !key)
		return;
	char nkey[WRITER_KEY_MAX + 8];
	snprintf(nkey, sizeof(nkey), "%s_name", key);
	writer_str(w, nkey, name);
}

void writer_fmt(struct writer *w, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		set_err(w, -ENOMEM);
		return;
	}
	writer_str(w, key, s);
	free(s);
}

int writer_finish(struct writer *w)
{
	if (w->err)
		return w->err;
	if (w->fmt == WRITER_JSON) {
		/* Containers left open (the implicit root) close as they would
		 * have in a dump of the whole document. */
		for (; w->depth; w->depth--)
			json_close(w);
		if (w->has_root)
			put(w, "\n", 1);
		json_flush(w);
	}
	if (fflush(w->out) || ferror(w->out))
		set_err(w, -EIO);
	return w->err;
}

void writer_free(struct writer *w)
{
	if (!w)
		return;
	free(w->buf);
	free(w);
}
