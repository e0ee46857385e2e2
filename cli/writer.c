/* SPDX-License-Identifier: ISC */
/*
 * writer.c - evbctl's text and JSON output writer (see writer.h).
 *
 * One stack of open containers serves both formats: in JSON mode each level
 * holds the jansson container being filled; in text mode a level remembers
 * whether it is a list (its key and element count, for "key[i]:") and how
 * deep the text is indented.  A JSON document whose root is a list (a
 * listing: `vsi list`, `mib walk`) is streamed: each element is printed
 * and freed as soon as it is complete, so memory stays bounded however long
 * the list; the text is the same as json_dumpf() of the whole array.
 */
#include "writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define WRITER_MAX_DEPTH 32
#define WRITER_KEY_MAX	 64
#define TEXT_INDENT	 2

struct level {
	json_t *j; /* JSON container (NULL in text mode) */
	bool is_list;
	bool shown;	/* text: the container added an indentation step */
	bool implicit;	/* JSON: the implicit root object, closed by writer_finish() */
	unsigned count; /* elements so far (lists) */
	char key[WRITER_KEY_MAX];
};

struct writer {
	enum writer_format fmt;
	FILE *out;
	int err;	 /* first error, sticky */
	bool compact;	 /* JSON on one line */
	json_t *root;	 /* JSON document */
	bool streamed;	 /* JSON: "[" and elements of the root list printed */
	unsigned depth;	 /* open levels */
	unsigned indent; /* text indentation steps */
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

/* JSON mode has no scalar root: a keyed item at depth 0 opens an implicit
 * root object that stays open until writer_finish(). */
static void json_implicit_root(struct writer *w)
{
	if (w->depth || w->root)
		return;
	w->root = json_object();
	if (!w->root) {
		set_err(w, -ENOMEM);
		return;
	}
	w->lv[0] = (struct level){.j = w->root, .implicit = true};
	w->depth = 1;
}

/* Attach v (reference stolen) to the current container under key. */
static void json_add(struct writer *w, const char *key, json_t *v)
{
	if (!v) {
		set_err(w, -ENOMEM);
		return;
	}
	struct level *t = top(w);
	int rc;
	if (!t) {
		if (w->root) {
			json_decref(v);
			set_err(w, -EINVAL); /* a second document root */
			return;
		}
		w->root = v;
		return;
	}
	if (t->is_list)
		rc = json_array_append_new(t->j, v);
	else
		rc = json_object_set_new(t->j, key ? key : "", v);
	if (rc)
		set_err(w, -ENOMEM);
}

static void json_scalar(struct writer *w, const char *key, json_t *v)
{
	if (key && !w->depth)
		json_implicit_root(w);
	json_add(w, key, v);
}

/* Print the complete elements of a root list and drop them: "[" before the
 * first, ",\n" between, each indented one step as json_dumpf() would. */
static void json_stream_root(struct writer *w)
{
	if (w->depth != 1 || w->root != w->lv[0].j || !json_is_array(w->root))
		return;
	for (size_t i = 0; i < json_array_size(w->root); i++) {
		char *txt =
		    json_dumps(json_array_get(w->root, i), JSON_INDENT(2) | JSON_ENCODE_ANY);
		if (!txt) {
			set_err(w, -ENOMEM);
			return;
		}
		fputs(w->streamed ? ",\n  " : "[\n  ", w->out);
		w->streamed = true;
		for (const char *c = txt; *c; c++) {
			fputc(*c, w->out);
			if (*c == '\n')
				fputs("  ", w->out);
		}
		free(txt);
	}
	if (json_array_clear(w->root))
		set_err(w, -ENOMEM);
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
		if (key && !w->depth)
			json_implicit_root(w);
		lv.j = is_list ? json_array() : json_object();
		json_incref(lv.j);
		json_add(w, in_list(w) ? NULL : key, lv.j);
		if (w->err) {
			json_decref(lv.j);
			return;
		}
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
		json_decref(t->j);
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

/* Emit one scalar: JSON value v (stolen) or text rendering txt. */
static void scalar(struct writer *w, const char *key, json_t *v, const char *txt)
{
	if (w->err) {
		json_decref(v);
		return;
	}
	if (w->fmt == WRITER_JSON) {
		json_scalar(w, in_list(w) ? NULL : key, v);
		json_stream_root(w);
	} else
		text_scalar(w, in_list(w) ? NULL : key, txt);
	count_element(w);
}

void writer_str(struct writer *w, const char *key, const char *val)
{
	bool json = w->fmt == WRITER_JSON;
	scalar(w, key, json ? json_string(val) : NULL, val);
}

void writer_uint(struct writer *w, const char *key, uint64_t val)
{
	char buf[24];
	bool json = w->fmt == WRITER_JSON;
	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	scalar(w, key, json ? json_integer((json_int_t)val) : NULL, buf);
}

void writer_int(struct writer *w, const char *key, int64_t val)
{
	char buf[24];
	bool json = w->fmt == WRITER_JSON;
	snprintf(buf, sizeof(buf), "%" PRId64, val);
	scalar(w, key, json ? json_integer((json_int_t)val) : NULL, buf);
}

void writer_uint_hex(struct writer *w, const char *key, uint64_t val)
{
	char buf[24];
	bool json = w->fmt == WRITER_JSON;
	snprintf(buf, sizeof(buf), "0x%" PRIx64, val);
	scalar(w, key, json ? json_integer((json_int_t)val) : NULL, buf);
}

void writer_bool(struct writer *w, const char *key, bool val)
{
	bool json = w->fmt == WRITER_JSON;
	scalar(w, key, json ? json_boolean(val) : NULL, val ? "yes" : "no");
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
	if (w->fmt == WRITER_JSON && w->streamed) {
		if (fputs("\n]\n", w->out) == EOF)
			set_err(w, -EIO);
	} else if (w->fmt == WRITER_JSON && w->root) {
		if (json_dumpf(w->root, w->out, w->compact ? JSON_COMPACT : JSON_INDENT(2)) ||
		    fputc('\n', w->out) == EOF)
			set_err(w, -EIO);
	}
	if (fflush(w->out) || ferror(w->out))
		set_err(w, -EIO);
	return w->err;
}

void writer_free(struct writer *w)
{
	if (!w)
		return;
	json_decref(w->root);
	free(w);
}
