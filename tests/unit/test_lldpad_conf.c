/* SPDX-License-Identifier: ISC */
/*
 * test_lldpad_conf.c - evbctl's reader of lldpad's configuration
 * (cli/lldpad_conf.c) and its translation into evbd.conf
 * (cli/from_lldpad.c): the files the real lldpad 1.1 wrote after lldptool
 * set EVB (tests/vectors/lldpad-conf/evb22.conf) and the draft EVB TLV
 * (draft.conf) give the expected evbd.conf or the expected refusal; the
 * libconfig forms lldpad may write parse; malformed input and every limit
 * is refused with its line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/from_lldpad.h"
#include "cli/lldpad_conf.h"

static struct lc_tree t;
static char err[256];

static int parse(const char *s)
{
	lc_free(&t);
	return lc_parse(s, strlen(s), &t, err, sizeof(err));
}

/* Translate s; the evbd.conf into conf, the refusals into why. */
static unsigned translate(const char *s, char **conf, char **why)
{
	size_t a, b;
	assert_int_equal(parse(s), 0);
	FILE *c = open_memstream(conf, &a), *w = open_memstream(why, &b);
	unsigned n = lldpad_to_evbd(&t, "lldpad.conf", c, w);
	fclose(c);
	fclose(w);
	return n;
}

static char *read_vector(const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", VECTOR_DIR, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	static char buf[16384];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

static void test_real_lldpad_evb22(void **state)
{
	(void)state;
	char *conf, *why;
	assert_int_equal(translate(read_vector("evb22.conf"), &conf, &why), 0);
	assert_string_equal(why, "");
	assert_non_null(strstr(conf, "[global]\nplugins = lldpad-nl\n"));
	assert_non_null(strstr(conf,
			       "\n[port vbr]\nrole = bridge\nrr = yes\ngroup-id = yes\nr = 5\n"
			       "rte = 14\nrwd = 16\nrka = 18\n"));
	assert_non_null(strstr(conf,
			       "\n[port vst]\nrole = station\nrr = yes\ngroup-id = no\nr = 3\n"
			       "rte = 8\nrwd = 20\nrka = 20\n"));
	free(conf);
	free(why);
}

static void test_real_lldpad_draft_refused(void **state)
{
	(void)state;
	char *conf, *why;
	assert_int_equal(translate(read_vector("draft.conf"), &conf, &why), 1);
	assert_string_equal(why,
			    "lldpad.conf: interface vs2 uses the draft 0.2 EVB TLV (lldptool -V "
			    "evbcfg); evbd speaks only IEEE 802.1Qbg-2012 EVB and VDP (lldptool "
			    "-V evb).\n");
	free(conf);
	free(why);
}

static void test_refusals(void **state)
{
	(void)state;
	char *conf, *why;
	static const struct {
		const char *in, *why;
	} cases[] = {
	    {"lldp : { eth0 : { tlvid0080c20d : { evbmode = \"station\"; }; }; };",
	     "evbd runs EVB toward the nearest customer bridge only"},
	    {"nearest_customer_bridge : { eth0 : { vdp : { mode = \"station\"; }; }; };",
	     "the draft VDP (lldptool -V vdp)"},
	    {"nearest_customer_bridge : { eth0 : { tlvid0080c20d : { evbmode = \"foo\"; }; }; };",
	     "no evbmode of station or bridge"},
	    {"nearest_customer_bridge : { eth0 : { adminStatus = 1; tlvid0080c20d : { evbmode = "
	     "\"station\"; }; }; };",
	     "adminStatus 1 (transmit only)"},
	    {"nearest_customer_bridge : { eth0 : { tlvid0080c20d : { evbmode = \"station\"; "
	     "vdpfoo = 3; }; }; };",
	     "the EVB setting vdpfoo of interface eth0 (line 1) is unknown"},
	    {"nearest_customer_bridge : { eth0 : { tlvid0080c20d : { evbmode = \"station\"; "
	     "vdprwd = \"x\"; }; }; };",
	     "vdprwd of interface eth0 (line 1) is not a whole number"},
	    {"nearest_customer_bridge : { eth0 : { tlvid0080c20d : { evbmode = \"station\"; "
	     "evbgpid = 7; }; }; };",
	     "evbgpid of interface eth0 (line 1) is not true or false"},
	    {"dcbx : { version = \"1.0\"; };", "no interface has EVB settings"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(translate(cases[i].in, &conf, &why), 1);
		if (!strstr(why, cases[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, why, cases[i].why);
		free(conf);
		free(why);
	}
}

static void test_not_running_is_no_port(void **state)
{
	(void)state;
	char *conf, *why;
	assert_int_equal(
	    translate("nearest_customer_bridge : { a1 : { tlvid0080c20d : { evbmode = "
		      "\"bridge\"; enableTx = false; }; }; b1 : { tlvid0080c20d : { "
		      "evbmode = \"bridge\"; evbrrreq = true; evbrrcap = false; }; }; };",
		      &conf, &why),
	    0);
	assert_non_null(strstr(conf,
			       "# a1: lldpad has EVB settings but does not run them (enableTx "
			       "false): no port.\n"));
	assert_null(strstr(conf, "[port a1]"));
	/* a bridge offers reflective relay with evbrrcap; evbrrreq is a station's */
	assert_non_null(strstr(conf, "[port b1]\nrole = bridge\nrr = no\n"));
	free(conf);
	free(why);
}

static void test_libconfig_forms(void **state)
{
	(void)state;
	assert_int_equal(
	    parse("# comment\n// another\n/* and\n one */ a = 1; b : 0x1fL, c = -2.5e3;"
		  "d = TRUE; e = \"x\\\"y\\\\\\n\" \" joined\\x41\"; f = (1, \"s\", "
		  "{ g = 2; }); h = [ 1, 2, ]; i = {};"),
	    0);
	assert_int_equal(t.n[lc_child(&t, -1, "b")].type, LC_INT);
	assert_string_equal(t.n[lc_child(&t, -1, "b")].text, "0x1f");
	assert_int_equal(t.n[lc_child(&t, -1, "c")].type, LC_FLOAT);
	assert_string_equal(t.n[lc_child(&t, -1, "d")].text, "true");
	assert_string_equal(t.n[lc_child(&t, -1, "e")].text, "x\"y\\\n joinedA");
	int f = lc_child(&t, -1, "f");
	assert_int_equal(t.n[f].type, LC_LIST);
	assert_int_equal(t.n[lc_child(&t, f + 3, "g")].type, LC_INT);
	assert_int_equal(t.n[lc_child(&t, -1, "h")].type, LC_ARRAY);
	assert_int_equal(t.n[lc_child(&t, -1, "i")].type, LC_GROUP);
	assert_int_equal(lc_child(&t, -1, "nope"), -1);
}

static void test_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *in, *err;
	} cases[] = {
	    {"a = 1;\nb 2;", "line 2: the setting 'b' needs '=' or ':' after its name."},
	    {"a = {\n b = 1;", "line 2: a group opened with '{' is never closed."},
	    {"a = 1; }", "line 1: a '}' closes no group."},
	    {"a = \"abc", "line 1: a string is never closed."},
	    {"a = \"ab\nc\";", "line 1: a string runs past the end of its line."},
	    {"a = \"\\q\";", "line 1: a string has the unknown escape '\\q'."},
	    {"a = 12abc;", "line 1: '12abc' is not a string, number or boolean."},
	    {"a = ;", "line 1: a value is missing or starts with ';'."},
	    {"1a = 2;", "line 1: a setting's name cannot start with '1'."},
	    {"a = (1 2);", "line 1: a list or array needs ',' or ')' here."},
	    {"\n/* open", "line 2: a /* comment is never closed."},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].in), -1);
		assert_string_equal(err, cases[i].err);
	}
	assert_int_equal(lc_parse("a = 1;\0", 7, &t, err, sizeof(err)), -1);
	assert_string_equal(err, "the file holds a NUL octet: not a configuration.");
}

static void test_limits(void **state)
{
	(void)state;
	char *big = malloc(LC_MAX_INPUT + 64);
	assert_non_null(big);
	/* nesting */
	size_t n = 0;
	for (int i = 0; i <= LC_MAX_DEPTH; i++)
		n += (size_t)sprintf(big + n, "g%d = { ", i);
	assert_int_equal(parse(big), -1);
	assert_string_equal(err, "line 1: groups and lists are nested deeper than 16.");
	/* nodes */
	n = 0;
	for (int i = 0; i <= LC_MAX_NODES; i++)
		n += (size_t)sprintf(big + n, "a%d = 1;\n", i);
	assert_int_equal(parse(big), -1);
	assert_non_null(strstr(err, "more than 8192 settings and values"));
	/* a long string, a long name, a large file */
	memset(big, 'x', LC_MAX_INPUT + 1);
	memcpy(big, "a = \"", 5);
	big[5 + LC_MAX_VALUE] = '"';
	big[6 + LC_MAX_VALUE] = 0;
	assert_int_equal(parse(big), -1);
	assert_string_equal(err, "line 1: a string is longer than 1023 octets.");
	big[200] = 0;
	assert_int_equal(parse(big + 5), -1);
	assert_string_equal(err, "line 1: a setting's name is longer than 63 octets.");
	assert_int_equal(lc_parse(big, LC_MAX_INPUT + 1, &t, err, sizeof(err)), -1);
	assert_string_equal(err, "the file is larger than 1048576 octets.");
	free(big);
}

static int teardown(void **state)
{
	(void)state;
	lc_free(&t);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_lldpad_evb22),
	    cmocka_unit_test(test_real_lldpad_draft_refused),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_not_running_is_no_port),
	    cmocka_unit_test(test_libconfig_forms),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
