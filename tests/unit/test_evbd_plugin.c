/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_plugin.c - unit tests of evbd's plugin loader (evbd/plugin.c)
 * with the real test plugin tests/plugins/probe.so: it loads and starts,
 * its IPC commands are found and run, and a command no plugin offers gets
 * the same sentence from plugins_command() and plugins_command_run(), with
 * or without plugins (plugins_command_run() used to dereference a failed
 * look-up).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "evbd/config.h"
#include "evbd/evbd.h"
#include "evbd/plugin.h"

#ifndef TEST_PLUGIN_DIR
#error "TEST_PLUGIN_DIR names the directory of the built test plugins"
#endif

/* ---------------- fixtures ---------------- */

static struct evbd D;
static char out[1024];

static const char NOSUCH[] = "no plugin offers the command 'nosuch'; 'evbctl plugin' lists the "
			     "commands of the loaded plugins";

static int with_probe(void **state)
{
	(void)state;
	memset(&D, 0, sizeof(D));
	conf_defaults(&D.conf);
	snprintf(D.conf.plugin_dir, sizeof(D.conf.plugin_dir), "%s", TEST_PLUGIN_DIR);
	snprintf(D.conf.plugins[0], sizeof(D.conf.plugins[0]), "probe");
	D.conf.nplugins = 1;
	return loop_init(&D.loop);
}

static int unload(void **state)
{
	(void)state;
	plugins_unload(&D);
	loop_fini(&D.loop);
	return 0;
}

/* ---------------- tests ---------------- */

static void test_no_plugins(void **state)
{
	(void)state;
	bool changes = true;
	memset(&D, 0, sizeof(D));
	assert_int_equal(plugins_command(&D, "", &changes, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_false(changes);
	assert_int_equal(plugins_command(&D, "nosuch", &changes, out, sizeof(out)), ENOENT);
	assert_string_equal(out, NOSUCH);
	const char *argv[] = {"x"};
	assert_int_equal(plugins_command_run(&D, "nosuch", 1, argv, out, sizeof(out)), ENOENT);
	assert_string_equal(out, NOSUCH);
}

static void test_probe_commands(void **state)
{
	(void)state;
	bool changes = true;
	assert_int_equal(plugins_load(&D), 1);
	assert_int_equal(plugins_command(&D, "", &changes, out, sizeof(out)), 0);
	assert_string_equal(out, "probe-echo\nprobe-set (changes state)\nprobe-vsis\n");

	assert_int_equal(plugins_command(&D, "probe-echo", &changes, out, sizeof(out)), -1);
	assert_false(changes);
	const char *argv[] = {"a", "b"};
	assert_int_equal(plugins_command_run(&D, "probe-echo", 2, argv, out, sizeof(out)), 0);
	assert_string_equal(out, "a b\n");

	assert_int_equal(plugins_command(&D, "probe-set", &changes, out, sizeof(out)), -1);
	assert_true(changes);
	const char *fail[] = {"fail"};
	assert_int_equal(plugins_command_run(&D, "probe-set", 1, fail, out, sizeof(out)), EINVAL);
	assert_string_equal(out, "probe-set refuses 'fail', as the test wants");

	assert_int_equal(plugins_command(&D, "nosuch", &changes, out, sizeof(out)), ENOENT);
	assert_string_equal(out, NOSUCH);
	assert_int_equal(plugins_command_run(&D, "nosuch", 2, argv, out, sizeof(out)), ENOENT);
	assert_string_equal(out, NOSUCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_plugins),
	    cmocka_unit_test_setup_teardown(test_probe_commands, with_probe, unload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
