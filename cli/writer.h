/* SPDX-License-Identifier: ISC */
/*
 * writer.h - evbctl's one output interface: every command describes its
 * results as nested objects, lists and typed fields, and the writer renders
 * them as indented "key: value" text (streamed) or as one JSON document
 * (laid out as jansson's dump, printed by writer_finish()); a JSON document whose
 * root is a list is streamed element by element (bounded memory for any
 * length; a listing that fails midway leaves its elements so far printed).
 *
 * Text rendering: an object with a key prints "key:" and indents its
 * children by two spaces; a list prints nothing itself, each element shows
 * as "key[i]:" (i from 0, as in JSON) or, when the element was opened with
 * a label, as "label:"; an empty list prints nothing.  In JSON the label of
 * a list element is ignored, a list is always present (possibly empty), and
 * the outermost container opened with a NULL key is the document root.
 */
#ifndef EVBCTL_WRITER_H
#define EVBCTL_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum writer_format {
	WRITER_TEXT = 0,
	WRITER_JSON,
};

struct writer;

/* A writer rendering to out (not closed by the writer).  NULL on ENOMEM. */
struct writer *writer_new(enum writer_format fmt, FILE *out);
/* JSON: print the document (an empty document prints nothing).  Text:
 * flush.  Returns 0, or -EIO / -ENOMEM when something could not be written
 * or built; the writer stays usable only for writer_free(). */
int writer_finish(struct writer *w);
void writer_free(struct writer *w);
enum writer_format writer_format(const struct writer *w);
/* JSON: print the document on one line (a stream of documents, one per
 * line, as `evbctl -j monitor` writes). */
void writer_set_compact(struct writer *w);

/* Containers.  key: the member name inside an object; inside a list, an
 * optional text label for the element (NULL: "listkey[i]"). */
void writer_begin_object(struct writer *w, const char *key);
void writer_end_object(struct writer *w);
void writer_begin_list(struct writer *w, const char *key);
void writer_end_list(struct writer *w);

/* Scalar fields; key is ignored (may be NULL) for list elements. */
void writer_str(struct writer *w, const char *key, const char *val);
void writer_uint(struct writer *w, const char *key, uint64_t val);
void writer_int(struct writer *w, const char *key, int64_t val);
/* A number shown in hexadecimal in text ("0x24"), a plain number in JSON. */
void writer_uint_hex(struct writer *w, const char *key, uint64_t val);
void writer_bool(struct writer *w, const char *key, bool val);
/* Octets as lower-case hex digits without separators, in both formats. */
void writer_hex(struct writer *w, const char *key, const uint8_t *p, size_t n);
/* A coded value with its name: text "key: name (val)"; JSON "key": val and
 * "key_name": name (inside objects; a list element gets only the number). */
void writer_enum(struct writer *w, const char *key, uint64_t val, const char *name);
/* A printf-formatted string. */
void writer_fmt(struct writer *w, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
