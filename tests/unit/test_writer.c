/* SPDX-License-Identifier: ISC */
/*
 * test_writer.c - evbctl's output writer (cli/writer.c).  Its JSON is
 * written as text without a tree; every document here is also parsed with
 * jansson and dumped again, and the writer's bytes must be exactly
 * jansson's (JSON_INDENT(2), or JSON_COMPACT), as they were when the writer
 * built jansson trees.  Then: escapes, octets that are not UTF-8, a root
 * list printed element by element, and the refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/writer.h"

struct doc {
	char *text;
	size_t len;
	FILE *f;
	struct writer *w;
};

static void doc_open(struct doc *d, enum writer_format fmt)
{
	memset(d, 0, sizeof(*d));
	d->f = open_memstream(&d->text, &d->len);
	assert_non_null(d->f);
	d->w = writer_new(fmt, d->f);
	assert_non_null(d->w);
}

/* Finish the document: writer_finish's result; d->text holds the output. */
static int doc_close(struct doc *d)
{
	int rc = writer_finish(d->w);
	writer_free(d->w);
	fclose(d->f);
	return rc;
}

/* The output is what jansson prints of the same document. */
static void assert_as_jansson(const struct doc *d, size_t flags)
{
	json_error_t e;
	json_t *j = json_loads(d->text, 0, &e);
	if (!j)
		fail_msg("not JSON (%s at %d): %s", e.text, e.position, d->text);
	char *again = json_dumps(j, flags);
	assert_non_null(again);
	size_t n = strlen(again);
	assert_int_equal(d->len, n + 1);
	assert_memory_equal(d->text, again, n);
	assert_int_equal(d->text[n], '\n');
	free(again);
	json_decref(j);
}

/* A port-show-like document: every kind of field, nesting, empty ones. */
static void port_like(struct writer *w, unsigned i)
{
	writer_begin_object(w, NULL);
	writer_fmt(w, "name", "port%u", i);
	writer_uint(w, "index", i);
	writer_int(w, "delta", -(int64_t)i);
	writer_uint_hex(w, "flags", 0x24);
	writer_bool(w, "up", i % 2);
	uint8_t mac[6] = {2, 0, 0, 0, 0, (uint8_t)i};
	writer_hex(w, "mac", mac, sizeof(mac));
	writer_enum(w, "role", 1, "station");
	writer_begin_object(w, "negotiated");
	writer_bool(w, "valid", true);
	writer_begin_list(w, "timers");
	writer_uint(w, NULL, 3);
	writer_uint(w, NULL, 15756);
	writer_end_list(w);
	writer_end_object(w);
	writer_begin_list(w, "empty_list");
	writer_end_list(w);
	writer_begin_object(w, "empty_object");
	writer_end_object(w);
	writer_begin_list(w, "filters");
	for (unsigned k = 0; k < 2; k++) {
		writer_begin_object(w, NULL);
		writer_uint(w, "vid", 100 + k);
		writer_enum(w, NULL, 2, "in a list: the number only");
		writer_end_object(w);
	}
	writer_end_list(w);
	writer_end_object(w);
}

static void test_list_root_as_jansson(void **state)
{
	(void)state;
	struct doc d;
	doc_open(&d, WRITER_JSON);
	writer_begin_list(d.w, NULL);
	for (unsigned i = 0; i < 3; i++)
		port_like(d.w, i);
	writer_end_list(d.w);
	assert_int_equal(doc_close(&d), 0);
	assert_as_jansson(&d, JSON_INDENT(2));
	free(d.text);
}

static void test_implicit_root_as_jansson(void **state)
{
	(void)state;
	struct doc d;
	doc_open(&d, WRITER_JSON);
	writer_str(d.w, "version", "0.2.0");
	writer_begin_list(d.w, "ports");
	port_like(d.w, 7);
	writer_end_list(d.w);
	writer_uint(d.w, "total", 1);
	assert_int_equal(doc_close(&d), 0);
	assert_as_jansson(&d, JSON_INDENT(2));
	assert_int_equal(d.text[0], '{');
	free(d.text);
}

static void test_compact_as_jansson(void **state)
{
	(void)state;
	struct doc d;
	doc_open(&d, WRITER_JSON);
	writer_set_compact(d.w);
	port_like(d.w, 3);
	assert_int_equal(doc_close(&d), 0);
	assert_as_jansson(&d, JSON_COMPACT);
	assert_ptr_equal(strchr(d.text, '\n'), d.text + d.len - 1); /* one line */
	free(d.text);
}

static void test_empty_documents(void **state)
{
	(void)state;
	struct doc d;
	doc_open(&d, WRITER_JSON);
	assert_int_equal(doc_close(&d), 0);
	assert_int_equal(d.len, 0); /* nothing at all */
	free(d.text);
	doc_open(&d, WRITER_JSON);
	writer_begin_list(d.w, NULL);
	writer_end_list(d.w);
	assert_int_equal(doc_close(&d), 0);
	assert_string_equal(d.text, "[]\n");
	free(d.text);
}

/* Quotes, backslashes, control characters and UTF-8 as jansson escapes
 * them; an octet that is not UTF-8 becomes U+FFFD (jansson refuses such a
 * string, and the old writer failed the whole document). */
static void test_escapes(void **state)
{
	(void)state;
	struct doc d;
	doc_open(&d, WRITER_JSON);
	writer_begin_object(d.w, NULL);
	writer_str(d.w, "q", "a \"b\" \\ c/d");
	writer_str(d.w, "ctl", "\b\f\n\r\t\x01\x1f\x7f");
	writer_str(d.w, "utf8", "gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80");
	writer_str(d.w, "key \"quoted\"", "v");
	writer_end_object(d.w);
	assert_int_equal(doc_close(&d), 0);
	assert_as_jansson(&d, JSON_INDENT(2));
	assert_non_null(strstr(d.text, "\"\\b\\f\\n\\r\\t\\u0001\\u001F\x7f\""));
	free(d.text);

	static const char *bad[] = {
	    "\x80",		/* a stray continuation */
	    "\xc0\xaf",		/* overlong */
	    "\xed\xa0\x80",	/* a surrogate */
	    "\xf4\x90\x80\x80", /* above U+10FFFF */
	    "\xe2\x82",		/* cut short */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc_open(&d, WRITER_JSON);
		writer_str(d.w, "s", bad[i]);
		assert_int_equal(doc_close(&d), 0);
		json_t *j = json_loads(d.text, 0, NULL);
		assert_non_null(j);
		const char *s = json_string_value(json_object_get(j, "s"));
		assert_non_null(s);
		assert_non_null(strstr(s, "\xef\xbf\xbd")); /* U+FFFD */
		json_decref(j);
		free(d.text);
	}
}

/* A root list goes out element by element: each complete element is in
 * the stream before the next begins; the closing bracket at the end. */
static void test_root_list_streams(void **state)
{
	(void)state;
	struct doc d;
	doc_open(&d, WRITER_JSON);
	writer_begin_list(d.w, NULL);
	port_like(d.w, 1);
	fflush(d.f);
	size_t one = d.len;
	assert_true(one > 0);
	assert_int_equal(d.text[0], '[');
	assert_int_equal(d.text[one - 1], '}');
	port_like(d.w, 2);
	fflush(d.f);
	assert_true(d.len > 2 * one - 10);
	writer_end_list(d.w);
	assert_int_equal(doc_close(&d), 0);
	assert_as_jansson(&d, JSON_INDENT(2));
	free(d.text);

	/* any other document waits for writer_finish() */
	doc_open(&d, WRITER_JSON);
	port_like(d.w, 1);
	fflush(d.f);
	assert_int_equal(d.len, 0);
	assert_int_equal(doc_close(&d), 0);
	assert_true(d.len > 0);
	free(d.text);
}

static void test_refusals(void **state)
{
	(void)state;
	struct doc d;
	doc_open(&d, WRITER_JSON);
	port_like(d.w, 1);
	port_like(d.w, 2); /* a second root */
	assert_int_equal(doc_close(&d), -EINVAL);
	assert_int_equal(d.len, 0); /* a failed document prints nothing */
	free(d.text);

	doc_open(&d, WRITER_JSON);
	writer_begin_object(d.w, NULL);
	writer_end_list(d.w); /* unbalanced */
	assert_int_equal(doc_close(&d), -EINVAL);
	free(d.text);

	doc_open(&d, WRITER_JSON);
	for (unsigned i = 0; i < 40; i++)
		writer_begin_object(d.w, i ? "deeper" : NULL);
	assert_int_equal(doc_close(&d), -E2BIG);
	free(d.text);
}

/* Text: "key: value", nested objects indented, list elements "key[i]". */
static void test_text(void **state)
{
	(void)state;
	struct doc d;
	doc_open(&d, WRITER_TEXT);
	writer_begin_object(d.w, "port");
	writer_bool(d.w, "up", true);
	writer_uint_hex(d.w, "flags", 0x24);
	writer_enum(d.w, "role", 1, "station");
	writer_begin_list(d.w, "vids");
	writer_uint(d.w, NULL, 10);
	writer_uint(d.w, NULL, 20);
	writer_end_list(d.w);
	writer_end_object(d.w);
	assert_int_equal(doc_close(&d), 0);
	assert_string_equal(d.text, "port:\n  up: yes\n  flags: 0x24\n  role: station (1)\n"
				    "  vids[0]: 10\n  vids[1]: 20\n");
	free(d.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_root_as_jansson),
	    cmocka_unit_test(test_implicit_root_as_jansson),
	    cmocka_unit_test(test_compact_as_jansson),
	    cmocka_unit_test(test_empty_documents),
	    cmocka_unit_test(test_escapes),
	    cmocka_unit_test(test_root_list_streams),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
