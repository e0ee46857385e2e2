/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_schan.c - unit tests of the S-channel devices' names
 * (evbd/schan.c, schan_name): <interface>.s<SVID> while it fits in 15
 * characters, s<ifindex in hex>.<SVID> beyond.  The devices themselves are
 * created by tests/vm/test_schan.sh under a kernel that has 802.1ad.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "evbd/schan.h"

static void test_name_fits(void **state)
{
	(void)state;
	char n[IF_NAMESIZE];
	schan_name(n, "veth0", 3, 100);
	assert_string_equal(n, "veth0.s100");
	schan_name(n, "eth123456", 3, 4094); /* exactly 15 */
	assert_string_equal(n, "eth123456.s4094");
}

static void test_name_too_long(void **state)
{
	(void)state;
	char n[IF_NAMESIZE];
	schan_name(n, "enp129s0f1", 0x1234, 40);
	assert_string_equal(n, "enp129s0f1.s40");
	schan_name(n, "enp129s0f1", 0x1234, 4094); /* 16 */
	assert_string_equal(n, "s1234.4094");
	schan_name(n, "abcdefghijklmno", 0x7fffffff, 4094); /* the longest: 14 */
	assert_string_equal(n, "s7fffffff.4094");
	assert_true(strlen(n) < IF_NAMESIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_name_fits),
	    cmocka_unit_test(test_name_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
