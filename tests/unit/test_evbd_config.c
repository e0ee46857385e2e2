/* SPDX-License-Identifier: ISC */
/*
 * test_evbd_config.c - unit tests of evbd's configuration (evbd/config.c):
 * defaults, valid files (every key, comments, order of keys), every error
 * sentence with its file, line and key, quick-start ports; and of the
 * logging module (evbd/log.c): line format on stderr and level filtering.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evbd/config.h"
#include "evbd/log.h"
#include "evbd/plugin.h"
#include "vdp/proto.h"

#ifndef EVBD_PLUGIN_DIR_TEST
#define EVBD_PLUGIN_DIR_TEST "/usr/local/lib/evbd/plugins"
#endif

static char tmpdir[64];
static char cfg[128]; /* tmpdir/evbd.conf */
static char err[1024];
static struct evbd_conf conf;

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/evbd-conf-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(cfg, sizeof(cfg), "%s/evbd.conf", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(cfg);
	rmdir(tmpdir);
	return 0;
}

static void write_file(const char *text)
{
	FILE *f = fopen(cfg, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Load text on top of fresh defaults. */
static int load(const char *text)
{
	write_file(text);
	conf_defaults(&conf);
	err[0] = 0;
	return conf_load(&conf, cfg, err, sizeof(err));
}

/* The load fails with exactly "<cfg> line <line>: <sentence>". */
static void expect_error(const char *text, unsigned line, const char *sentence)
{
	char want[1024];

	snprintf(want, sizeof(want), "%s line %u: %s", cfg, line, sentence);
	assert_int_equal(load(text), -1);
	assert_string_equal(err, want);
}

/* ---------------- defaults ---------------- */

static void test_defaults(void **state)
{
	(void)state;
	memset(&conf, 0x5a, sizeof(conf));
	conf_defaults(&conf);
	assert_string_equal(conf.state_dir, "/var/lib/evbd");
	assert_string_equal(conf.pid_file, "/run/evbd.pid");
	assert_string_equal(conf.path, "");
	assert_string_equal(conf.trace_file, "");
	assert_string_equal(conf.admin_group, "");
	assert_int_equal(conf.log_level, LOG_LVL_NOTICE);
	assert_false(conf.foreground);
	assert_int_equal(conf.nports, 0);
	assert_string_equal(conf.plugin_dir, EVBD_PLUGIN_DIR_TEST);
	assert_int_equal(conf.nplugins, 0);
	assert_int_equal(conf.nplugin_kv, 0);
}

static void check_role_defaults(const struct port_conf *pc, enum evb_role role)
{
	bool st = role == EVB_ROLE_STATION;

	assert_int_equal(pc->evb.role, role);
	assert_int_equal(pc->evb.r, 3);
	assert_int_equal(pc->evb.rte, 8);
	assert_int_equal(pc->evb.rwd, st ? EVB_DEFAULT_RWD_STATION : 20);
	assert_int_equal(pc->evb.rka, 20);
	assert_int_equal(pc->evb.rrreq, st);
	assert_int_equal(pc->evb.rrcap, !st);
	assert_false(pc->evb.gid);
	assert_false(pc->evb.manual);
	assert_int_equal(pc->lldp_interval, 30);
	assert_int_equal(pc->lldp_hold, 4);
	assert_int_equal(pc->max_vsis, 4096);
	assert_int_equal(pc->max_filters, 64);
	assert_int_equal(pc->tx_queue, 4096);
	assert_int_equal(pc->ecp_pace_us, CONF_ECP_PACE_AUTO);
}

static void test_role_defaults(void **state)
{
	(void)state;
	assert_int_equal(load("[port eth0]\nrole = station\n[port eth1]\nrole = bridge\n"), 0);
	assert_int_equal(conf.nports, 2);
	assert_string_equal(conf.ports[0].ifname, "eth0");
	check_role_defaults(&conf.ports[0], EVB_ROLE_STATION);
	assert_string_equal(conf.ports[1].ifname, "eth1");
	check_role_defaults(&conf.ports[1], EVB_ROLE_BRIDGE);
	assert_string_equal(conf.path, cfg);
}

/* ---------------- valid files ---------------- */

static void test_every_key(void **state)
{
	(void)state;
	assert_int_equal(load("; evbd test\n"
			      "# another comment\n"
			      "\n"
			      "[global]\n"
			      "state-dir = /srv/evbd\n"
			      "pid-file = /run/x.pid\n"
			      "log-level = debug\n"
			      "admin-group = root\n"
			      "user = root\n"
			      "trace = /tmp/t.pcap\n"
			      "[port vst]\n"
			      "role = station\n"
			      "r = 7\n"
			      "rte = 31\n"
			      "rwd = 0\n"
			      "rka = 14\n"
			      "rr = no\n"
			      "group-id = yes\n"
			      "manual = yes\n"
			      "lldp-interval = 3600\n"
			      "lldp-hold = 10\n"
			      "max-vsis = 10000000\n"
			      "max-filters = 243\n"
			      "tx-queue = 16\n"),
			 0);
	assert_string_equal(conf.state_dir, "/srv/evbd");
	assert_string_equal(conf.pid_file, "/run/x.pid");
	assert_int_equal(conf.log_level, LOG_LVL_DEBUG);
	assert_string_equal(conf.admin_group, "root");
	assert_string_equal(conf.user, "root");
	assert_string_equal(conf.trace_file, "/tmp/t.pcap");
	assert_int_equal(conf.nports, 1);
	const struct port_conf *pc = &conf.ports[0];
	assert_string_equal(pc->ifname, "vst");
	assert_int_equal(pc->evb.role, EVB_ROLE_STATION);
	assert_int_equal(pc->evb.r, 7);
	assert_int_equal(pc->evb.rte, 31);
	assert_int_equal(pc->evb.rwd, 0);
	assert_int_equal(pc->evb.rka, 14);
	assert_false(pc->evb.rrreq);
	assert_false(pc->evb.rrcap);
	assert_true(pc->evb.gid);
	assert_true(pc->evb.manual);
	assert_int_equal(pc->lldp_interval, 3600);
	assert_int_equal(pc->lldp_hold, 10);
	assert_int_equal(pc->max_vsis, 10000000);
	assert_int_equal(pc->max_filters, 243);
	assert_int_equal(pc->tx_queue, 16);
}

/* Keys before `role` are applied over the role's defaults all the same. */
static void test_keys_before_role(void **state)
{
	(void)state;
	assert_int_equal(load("[port br0]\nrte = 5\nrr = no\nlldp-interval = 1\n"
			      "lldp-hold = 2\nmax-vsis = 0\nrole = bridge\nrwd = 14\n"),
			 0);
	const struct port_conf *pc = &conf.ports[0];
	assert_int_equal(pc->evb.role, EVB_ROLE_BRIDGE);
	assert_int_equal(pc->evb.r, 3);
	assert_int_equal(pc->evb.rte, 5);
	assert_int_equal(pc->evb.rwd, 14);
	assert_int_equal(pc->evb.rka, 20);
	assert_false(pc->evb.rrcap); /* rr on a bridge: RR capable */
	assert_false(pc->evb.rrreq);
	assert_int_equal(pc->lldp_interval, 1);
	assert_int_equal(pc->lldp_hold, 2);
}

static void test_rr_per_role(void **state)
{
	(void)state;
	assert_int_equal(load("[port a]\nrr = yes\nrole = station\n[port b]\nrole = bridge\n"
			      "rr = yes\n[port c]\nrole = station\nrr = off\n"),
			 0);
	assert_true(conf.ports[0].evb.rrreq);
	assert_false(conf.ports[0].evb.rrcap);
	assert_true(conf.ports[1].evb.rrcap);
	assert_false(conf.ports[1].evb.rrreq);
	assert_false(conf.ports[2].evb.rrreq);
}

static void test_bool_spellings(void **state)
{
	(void)state;
	static const char *const yes[] = {"yes", "YES", "true", "on", "1"};
	static const char *const no[] = {"no", "No", "false", "off", "0"};
	char text[128];

	for (size_t i = 0; i < 5; i++) {
		snprintf(text, sizeof(text),
			 "[port a]\nrole = bridge\nmanual = %s\ngroup-id = %s\n", yes[i], no[i]);
		assert_int_equal(load(text), 0);
		assert_true(conf.ports[0].evb.manual);
		assert_false(conf.ports[0].evb.gid);
	}
}

/* Indentation, inline comments, CRLF, a byte-order mark, "key: value",
 * blank section-name padding, empty optional values. */
static void test_syntax_variants(void **state)
{
	(void)state;
	assert_int_equal(load("\xef\xbb\xbf[global]\r\n"
			      "   log-level = info   ; inline comment\r\n"
			      "\tpid-file =\r\n"
			      "admin-group=\r\n"
			      "trace:\r\n"
			      "[ port  eth0 ]\r\n"
			      "  role: station\r\n"
			      "    rte = 9\r\n"),
			 0);
	assert_int_equal(conf.log_level, LOG_LVL_INFO);
	assert_string_equal(conf.pid_file, "");
	assert_string_equal(conf.admin_group, "");
	assert_string_equal(conf.trace_file, "");
	assert_int_equal(conf.nports, 1);
	assert_string_equal(conf.ports[0].ifname, "eth0");
	assert_int_equal(conf.ports[0].evb.rte, 9);
}

static void test_empty_file_and_repeated_global(void **state)
{
	(void)state;
	assert_int_equal(load(""), 0);
	assert_int_equal(conf.nports, 0);
	assert_string_equal(conf.state_dir, "/var/lib/evbd");
	assert_int_equal(load("[global]\nlog-level = warn\n[global]\nstate-dir = /a\n"), 0);
	assert_int_equal(conf.log_level, LOG_LVL_WARN);
	assert_string_equal(conf.state_dir, "/a");
}

static void test_256_ports(void **state)
{
	(void)state;
	size_t cap = EVBD_MAX_PORTS * 40 + 1;
	char *text = malloc(cap);
	size_t off = 0;

	assert_non_null(text);
	for (int i = 0; i < EVBD_MAX_PORTS; i++)
		off += (size_t)snprintf(text + off, cap - off, "[port p%d]\nrole = %s\n", i,
					i % 2 ? "bridge" : "station");
	assert_int_equal(load(text), 0);
	assert_int_equal(conf.nports, EVBD_MAX_PORTS);
	assert_string_equal(conf.ports[255].ifname, "p255");
	assert_int_equal(conf.ports[255].evb.role, EVB_ROLE_BRIDGE);
	/* One more is an error naming the section's line. */
	snprintf(text + off, cap - off, "[port x]\n");
	expect_error(text, 2 * EVBD_MAX_PORTS + 1,
		     "[port x] is one port too many; evbd handles at most 256 ports.");
	free(text);
}

/* ---------------- errors ---------------- */

static void test_missing_file(void **state)
{
	(void)state;
	conf_defaults(&conf);
	assert_int_equal(conf_load(&conf, "/nonexistent/evbd.conf", err, sizeof(err)), -1);
	assert_string_equal(
	    err, "cannot open config file /nonexistent/evbd.conf: No such file or directory");
}

static void test_number_errors(void **state)
{
	(void)state;
	expect_error("[port eth0]\nrole = station\nrte = 40\n", 3,
		     "key 'rte' in [port eth0] must be a whole number from 0 to 31, not '40'.");
	expect_error("[port eth0]\nr = 8\n", 2,
		     "key 'r' in [port eth0] must be a whole number from 0 to 7, not '8'.");
	expect_error("[port eth0]\nrwd = -1\n", 2,
		     "key 'rwd' in [port eth0] must be a whole number from 0 to 31, not '-1'.");
	expect_error("[port eth0]\nrka = 1x\n", 2,
		     "key 'rka' in [port eth0] must be a whole number from 0 to 31, not '1x'.");
	expect_error("[port eth0]\nrka =\n", 2,
		     "key 'rka' in [port eth0] must be a whole number from 0 to 31, not ''.");
	expect_error("[port eth0]\nrka = 99999999999\n", 2,
		     "key 'rka' in [port eth0] must be a whole number from 0 to 31, not "
		     "'99999999999'.");
	expect_error("[port eth0]\nrte = 8 # eight\n", 2,
		     "key 'rte' in [port eth0] must be a whole number from 0 to 31, not '8 # "
		     "eight'.");
	expect_error("[port eth0]\nlldp-interval = 0\n", 2,
		     "key 'lldp-interval' in [port eth0] must be a whole number from 1 to 3600, "
		     "not '0'.");
	expect_error("[port eth0]\nlldp-interval = 3601\n", 2,
		     "key 'lldp-interval' in [port eth0] must be a whole number from 1 to 3600, "
		     "not '3601'.");
	expect_error("[port eth0]\nlldp-hold = 1\n", 2,
		     "key 'lldp-hold' in [port eth0] must be a whole number from 2 to 10, not "
		     "'1'.");
	expect_error("[port eth0]\nlldp-hold = 11\n", 2,
		     "key 'lldp-hold' in [port eth0] must be a whole number from 2 to 10, not "
		     "'11'.");
	expect_error("[port eth0]\nmax-vsis = 10000001\n", 2,
		     "key 'max-vsis' in [port eth0] must be a whole number from 0 to 10000000, "
		     "not '10000001'.");
	expect_error("[port eth0]\nmax-filters = 0\n", 2,
		     "key 'max-filters' in [port eth0] must be a whole number from 1 to 243, "
		     "not '0'.");
	expect_error("[port eth0]\ntx-queue = 15\n", 2,
		     "key 'tx-queue' in [port eth0] must be a whole number from 16 to 10000000, "
		     "not '15'.");
}

static void test_value_errors(void **state)
{
	(void)state;
	expect_error("[port eth0]\nrole = switch\n", 2,
		     "key 'role' in [port eth0] must be station or bridge, not 'switch'.");
	expect_error("[port eth0]\nrole = Station\n", 2,
		     "key 'role' in [port eth0] must be station or bridge, not 'Station'.");
	expect_error("[port eth0]\nrr = maybe\n", 2,
		     "key 'rr' in [port eth0] must be yes or no, not 'maybe'.");
	expect_error("[port eth0]\ngroup-id = 2\n", 2,
		     "key 'group-id' in [port eth0] must be yes or no, not '2'.");
	expect_error("[port eth0]\nmanual =\n", 2,
		     "key 'manual' in [port eth0] must be yes or no, not ''.");
	expect_error("[global]\nstate-dir = var/lib\n", 2,
		     "key 'state-dir' in [global] must be an absolute path (starting with /), "
		     "not 'var/lib'.");
	expect_error("[global]\nstate-dir =\n", 2,
		     "key 'state-dir' in [global] must be an absolute path (starting with /), "
		     "not ''.");
	expect_error("[global]\npid-file = evbd.pid\n", 2,
		     "key 'pid-file' in [global] must be an absolute path (starting with /) or "
		     "empty for none, not 'evbd.pid'.");
	expect_error("[global]\ntrace = t.pcap\n", 2,
		     "key 'trace' in [global] must be an absolute path (starting with /) or "
		     "empty for none, not 't.pcap'.");
	expect_error("[global]\nlog-level = verbose\n", 2,
		     "key 'log-level' in [global] must be one of err, warn, notice, info or "
		     "debug, not 'verbose'.");
	expect_error("[global]\nadmin-group = kvm admins\n", 2,
		     "key 'admin-group' in [global] must be a group name of at most 63 letters, "
		     "digits, '_', '-' or '.', or empty for root only, not 'kvm admins'.");
	expect_error("[global]\nadmin-group = "
		     "g234567890123456789012345678901234567890123456789012345678901234\n",
		     2,
		     "key 'admin-group' in [global] must be a group name of at most 63 letters, "
		     "digits, '_', '-' or '.', or empty for root only, not "
		     "'g234567890123456789012345678901234567890123456789012345678901234'.");
	/* 63 characters are a name, but it must name a group of this host */
	expect_error("[global]\nadmin-group = "
		     "g23456789012345678901234567890123456789012345678901234567890123\n",
		     2,
		     "key 'admin-group' in [global] names group "
		     "'g23456789012345678901234567890123456789012345678901234567890123', which "
		     "does not exist on this host; create it (groupadd "
		     "g23456789012345678901234567890123456789012345678901234567890123) or leave "
		     "admin-group empty for root only.");
	assert_int_equal(conf.admin_group[0], 0);
	expect_error("[global]\nuser = evbd user\n", 2,
		     "key 'user' in [global] must be a user name of at most 63 letters, digits, "
		     "'_', '-' or '.', or empty to stay root with the reduced capabilities, not "
		     "'evbd user'.");
	expect_error("[global]\nuser = no-such-user-here\n", 2,
		     "key 'user' in [global] names user 'no-such-user-here', which does not "
		     "exist on this host; create it (useradd --system no-such-user-here) or "
		     "leave user empty to stay root with the reduced capabilities.");
	assert_int_equal(conf.user[0], 0);
}

/* A NUL byte is refused with its line, not cut off there. */
static void test_nul_byte(void **state)
{
	(void)state;
	static const char text[] = "[global]\nlog-level = debug\n[port e\0th0]\nrole = station\n";
	FILE *f = fopen(cfg, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
	assert_int_equal(fclose(f), 0);
	conf_defaults(&conf);
	assert_int_equal(conf_load(&conf, cfg, err, sizeof(err)), -1);
	char want[512];
	snprintf(want, sizeof(want),
		 "%s line 3: the line holds a NUL byte; evbd.conf must be text (is this the "
		 "right file?).",
		 cfg);
	assert_string_equal(err, want);
}

/* getline() fails to allocate on demand (GETLINE_ENOMEM): the test's
 * getline() and __getdelim() (what glibc's inline getline() calls) stand
 * in for the C library's in config.c's calls. */
static bool GETLINE_ENOMEM;

ssize_t __getdelim(char **line, size_t *cap, int delim, FILE *f)
{
	if (GETLINE_ENOMEM) {
		errno = ENOMEM;
		return -1;
	}
	return getdelim(line, cap, delim, f);
}

ssize_t getline(char **line, size_t *cap, FILE *f)
{
	return __getdelim(line, cap, '\n', f);
}

/* An allocation failure while reading is reported as such, not as a file
 * without ports. */
static void test_read_out_of_memory(void **state)
{
	(void)state;
	GETLINE_ENOMEM = true;
	int rc = load("[port eth0]\nrole = station\n");
	GETLINE_ENOMEM = false;
	assert_int_equal(rc, -1);
	char want[512];
	snprintf(want, sizeof(want), "cannot read config file %s: %s", cfg, strerror(ENOMEM));
	assert_string_equal(err, want);
}

/* As root, plugins are loaded only from a directory root owns and others
 * cannot write (plugin_path_check(), evbd/plugin.c). */
static void test_plugin_dir_check(void **state)
{
	(void)state;
	char why[512], want[512];
	assert_int_equal(chmod(tmpdir, 0777), 0);
	assert_int_equal(plugin_path_check(tmpdir, 1000, why, sizeof(why)), 0); /* not root */
	assert_int_equal(plugin_path_check(tmpdir, 0, why, sizeof(why)), -1);
	if (geteuid() == 0) {
		snprintf(want, sizeof(want),
			 "%s is writable by every user; evbd runs as root and loads no code from "
			 "there (chmod o-w %s)",
			 tmpdir, tmpdir);
		assert_string_equal(why, want);
		assert_int_equal(chmod(tmpdir, 0755), 0);
		assert_int_equal(plugin_path_check(tmpdir, 0, why, sizeof(why)), 0);
		assert_int_equal(chown(tmpdir, 65534, 65534), 0);
	}
	assert_int_equal(plugin_path_check(tmpdir, 0, why, sizeof(why)), -1);
	snprintf(want, sizeof(want),
		 "%s belongs to uid %u, not root; evbd runs as root and loads no code another "
		 "user could replace (chown root %s)",
		 tmpdir, geteuid() == 0 ? 65534u : (unsigned)geteuid(), tmpdir);
	assert_string_equal(why, want);
	assert_int_equal(chmod(tmpdir, 0700), 0);
	if (geteuid() == 0)
		assert_int_equal(chown(tmpdir, 0, 0), 0);
	snprintf(want, sizeof(want), "%s/nosuch", tmpdir);
	assert_int_equal(plugin_path_check(want, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "cannot check"));
}

static void test_unknown_and_repeated_keys(void **state)
{
	(void)state;
	expect_error(
	    "[port eth0]\nrole = station\nrtx = 8\n", 3,
	    "unknown key 'rtx' in [port eth0]; known keys are role, r, rte, rwd, rka, "
	    "rr, group-id, manual, lldp-interval, lldp-hold, max-vsis, max-filters, tx-queue, "
	    "ecp-pace, policy, max-r, max-rte, max-rwd, max-rka, vdp-sources, lldp-max-ttl, "
	    "max-vsis-per-station, protocol, cdcp, cdcp-channels, cdcp-capacity and svid-pool.");
	expect_error("[global]\nstatedir = /x\n", 2,
		     "unknown key 'statedir' in [global]; known keys are state-dir, pid-file, "
		     "log-level, admin-group, trace, plugin-dir, plugins, policy, max-r, max-rte, "
		     "max-rwd, max-rka, vdp-sources, user, lldp-max-ttl and seccomp.");
	expect_error("[global]\nlog-level = info\n\nlog-level = debug\n", 4,
		     "key 'log-level' in [global] is given twice (first at line 2).");
	expect_error("[global]\nlog-level = info\n[global]\nlog-level = info\n", 4,
		     "key 'log-level' in [global] is given twice (first at line 2).");
	expect_error("[port eth0]\nrole = station\nrte = 1\nrte = 2\n", 4,
		     "key 'rte' in [port eth0] is given twice (first at line 3).");
	expect_error("log-level = info\n[global]\n", 1,
		     "key 'log-level' is outside any section; put it under [global], [port "
		     "IFNAME] or [plugin NAME].");
}

/* The bounds on adopted EVB values and vdp-sources: defaults, [global]
 * for every port, [port] over [global], quick-start ports, bad values. */
static void test_guard_keys(void **state)
{
	(void)state;
	assert_int_equal(load("[port eth0]\nrole = bridge\n"), 0);
	assert_int_equal(conf.ports[0].evb.max_r, EVB_DEFAULT_MAX_R);
	assert_int_equal(conf.ports[0].evb.max_rte, EVB_DEFAULT_MAX_RTE);
	assert_int_equal(conf.ports[0].evb.max_rwd, EVB_DEFAULT_MAX_RWD);
	assert_int_equal(conf.ports[0].evb.max_rka, EVB_DEFAULT_MAX_RKA);
	assert_false(conf.ports[0].vdp_any_source);

	assert_int_equal(load("[global]\nmax-rka = 24\nmax-rte = 14\nvdp-sources = any\n"
			      "[port eth0]\nrole = bridge\nmax-rka = 20\nmax-r = 3\n"
			      "max-rwd = 21\nvdp-sources = neighbour\n"
			      "[port eth1]\nrole = station\n"),
			 0);
	assert_int_equal(conf.ports[0].evb.max_r, 3);
	assert_int_equal(conf.ports[0].evb.max_rte, 14);
	assert_int_equal(conf.ports[0].evb.max_rwd, 21);
	assert_int_equal(conf.ports[0].evb.max_rka, 20);
	assert_false(conf.ports[0].vdp_any_source);
	assert_int_equal(conf.ports[1].evb.max_rka, 24);
	assert_int_equal(conf.ports[1].evb.max_rwd, EVB_DEFAULT_MAX_RWD);
	assert_true(conf.ports[1].vdp_any_source);
	assert_int_equal(conf_add_port(&conf, "eth2", EVB_ROLE_BRIDGE, err, sizeof(err)), 0);
	assert_int_equal(conf.ports[2].evb.max_rka, 24);
	assert_true(conf.ports[2].vdp_any_source);

	assert_int_equal(conf.ports[0].lldp_max_ttl, 120); /* 802.1AB's 30 s x 4 */
	assert_int_equal(conf.ports[0].max_vsis_station, 0);
	assert_true(conf.seccomp);
	assert_int_equal(load("[global]\nlldp-max-ttl = 40\nseccomp = off\n[port eth0]\nrole = "
			      "bridge\nmax-vsis-per-station = 100\n[port eth1]\nrole = bridge\n"
			      "lldp-max-ttl = 9\n"),
			 0);
	assert_int_equal(conf.ports[0].lldp_max_ttl, 40);
	assert_int_equal(conf.ports[0].max_vsis_station, 100);
	assert_int_equal(conf.ports[1].lldp_max_ttl, 9);
	assert_false(conf.seccomp);
	expect_error("[global]\nlldp-max-ttl = 0\n", 2,
		     "key 'lldp-max-ttl' in [global] must be a whole number from 1 to 65535, not "
		     "'0'.");
	expect_error("[port eth0]\nrole = bridge\nvdp-sources = all\n", 3,
		     "key 'vdp-sources' in [port eth0] must be neighbour (take VDP from the LLDP "
		     "neighbour only) or any (from every station on the port), not 'all'.");
	expect_error("[global]\nmax-rte = 32\n", 2,
		     "key 'max-rte' in [global] must be a whole number from 0 to 31, not '32'.");
}

/* ecp-pace: auto (the default), a fixed gap, 0; anything else refused. */
static void test_ecp_pace(void **state)
{
	(void)state;
	assert_int_equal(load("[port a]\nrole = station\necp-pace = auto\n"
			      "[port b]\nrole = station\necp-pace = 3000\n"
			      "[port c]\nrole = bridge\necp-pace = 0\n"
			      "[port d]\nrole = bridge\n"),
			 0);
	assert_int_equal(conf.ports[0].ecp_pace_us, CONF_ECP_PACE_AUTO);
	assert_int_equal(conf.ports[1].ecp_pace_us, 3000);
	assert_int_equal(conf.ports[2].ecp_pace_us, 0);
	assert_int_equal(conf.ports[3].ecp_pace_us, CONF_ECP_PACE_AUTO);
	expect_error("[port eth0]\nrole = bridge\necp-pace = fast\n", 3,
		     "key 'ecp-pace' in [port eth0] must be auto (adapt to the peer's losses) or a "
		     "number of microseconds from 0 to 100000, not 'fast'.");
	expect_error("[port eth0]\nrole = bridge\necp-pace = 100001\n", 3,
		     "key 'ecp-pace' in [port eth0] must be auto (adapt to the peer's losses) or a "
		     "number of microseconds from 0 to 100000, not '100001'.");
}

/* protocol: auto (the default), 2012, draft; anything else refused. */
static void test_protocol(void **state)
{
	(void)state;
	assert_int_equal(load("[port a]\nrole = station\nprotocol = draft\n"
			      "[port b]\nrole = bridge\nprotocol = 2012\n"
			      "[port c]\nrole = bridge\nprotocol = auto\n"
			      "[port d]\nrole = station\n"),
			 0);
	assert_int_equal(conf.ports[0].protocol, LLDP_PROTO_DRAFT);
	assert_int_equal(conf.ports[1].protocol, LLDP_PROTO_2012);
	assert_int_equal(conf.ports[2].protocol, LLDP_PROTO_AUTO);
	assert_int_equal(conf.ports[3].protocol, LLDP_PROTO_AUTO);
	expect_error("[port eth0]\nrole = bridge\nprotocol = 0.2\n", 3,
		     "key 'protocol' in [port eth0] must be auto (follow the neighbour's EVB TLV), "
		     "2012 (IEEE 802.1Qbg-2012) or draft (draft 0.2, as lldpad's evb and vdp "
		     "modules), not '0.2'.");
}

/* CDCP: off by default; a station's channels (default 1), a bridge's pool
 * and capacity (default 167); keys of the other role and a bridge without a
 * pool refused with a sentence. */
static void test_cdcp(void **state)
{
	(void)state;
	assert_int_equal(load("[port a]\nrole = station\ncdcp = on\ncdcp-channels = 2\n"
			      "[port b]\nrole = bridge\ncdcp = yes\nsvid-pool = 100-103\n"
			      "cdcp-capacity = 3\n"
			      "[port c]\nrole = station\ncdcp = on\n"
			      "[port d]\nrole = bridge\n"),
			 0);
	const struct cdcp_conf *a = &conf.ports[0].cdcp, *b = &conf.ports[1].cdcp;
	assert_true(a->enabled && a->station);
	assert_int_equal(a->channels, 2);
	assert_true(b->enabled && !b->station);
	assert_int_equal(b->pool_low, 100);
	assert_int_equal(b->pool_high, 103);
	assert_int_equal(b->chncap, 3);
	assert_int_equal(conf.ports[2].cdcp.channels, 1);
	assert_false(conf.ports[3].cdcp.enabled);
	assert_int_equal(conf.ports[3].cdcp.chncap, CDCP_MAX_PAIRS);
	expect_error("[port eth0]\nrole = bridge\nsvid-pool = 1-10\n", 3,
		     "key 'svid-pool' in [port eth0] must be LOW-HIGH, two whole numbers from 2 "
		     "to 4094, LOW not above HIGH, not '1-10'.");
	expect_error("[port eth0]\nrole = bridge\nsvid-pool = 20-10\n", 3,
		     "key 'svid-pool' in [port eth0] must be LOW-HIGH, two whole numbers from 2 "
		     "to 4094, LOW not above HIGH, not '20-10'.");
	expect_error("[port eth0]\nrole = bridge\ncdcp = on\n", 3,
		     "[port eth0] is a bridge with cdcp on but has no key 'svid-pool'; add the "
		     "SVIDs it may give to S-channels, e.g. 'svid-pool = 100-199'.");
	expect_error("[port eth0]\nrole = bridge\ncdcp-channels = 3\n", 3,
		     "key 'cdcp-channels' in [port eth0] is a station's (the S-channels it asks "
		     "for), and this port is a bridge; remove it or use svid-pool and "
		     "cdcp-capacity.");
	expect_error("[port eth0]\nrole = station\ncdcp-capacity = 3\n", 3,
		     "key 'cdcp-capacity' in [port eth0] is a bridge's (what it grants), and this "
		     "port is a station; remove it or use cdcp-channels.");
	expect_error("[port eth0]\nrole = station\ncdcp-channels = 167\n", 3,
		     "key 'cdcp-channels' in [port eth0] must be a whole number from 0 to 166, "
		     "not '167'.");
}

static void test_section_errors(void **state)
{
	(void)state;
	expect_error("[global]\n[ports eth0]\nrole = station\n", 2,
		     "unknown section [ports eth0]; sections are [global], [port IFNAME], "
		     "[plugin NAME] and [cluster].");
	expect_error("[Global]\n", 1,
		     "unknown section [Global]; sections are [global], [port IFNAME], [plugin "
		     "NAME] and [cluster].");
	expect_error("[port]\nrole = station\n", 1,
		     "section [port] needs an interface name, e.g. [port eth0].");
	expect_error("[port  ]\n", 1, "section [port] needs an interface name, e.g. [port eth0].");
	expect_error("[port a b]\n", 1,
		     "interface name 'a b' in [port a b] must not contain '/', ':' or spaces.");
	expect_error("[port a/b]\n", 1,
		     "interface name 'a/b' in [port a/b] must not contain '/', ':' or spaces.");
	expect_error("[port ..]\n", 1, "interface name '..' in [port ..] is not allowed.");
	expect_error("[port eth0123456789abc]\nrole = station\n", 1,
		     "interface name 'eth0123456789abc' in [port eth0123456789abc] is longer than "
		     "15 characters.");
	expect_error("[port eth0]\nrole = station\n[port eth1]\nrole = bridge\n[port eth0]\n", 5,
		     "[port eth0] is given twice (first at line 1).");
	/* 15 characters are fine */
	assert_int_equal(load("[port eth0123456789ab]\nrole = station\n"), 0);
	assert_string_equal(conf.ports[0].ifname, "eth0123456789ab");
}

static void test_port_without_role(void **state)
{
	(void)state;
	expect_error("[port eth0]\nrole = station\n\n[port eth1]\nrte = 3\n", 4,
		     "[port eth1] has no key 'role'; add 'role = station' or 'role = bridge'.");
	expect_error("[port eth0]\n", 1,
		     "[port eth0] has no key 'role'; add 'role = station' or 'role = bridge'.");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	const char *want = "cannot read this line; expected '[section]', 'key = value' or a "
			   "comment starting with ';' or '#'.";
	char text[512];

	expect_error("[global]\nlog-level\n", 2, want);
	expect_error("[global\nlog-level = info\n", 1, want);
	/* A syntax error before a bad key: the first one in the file is named. */
	expect_error("[port eth0]\nrole = station\njunk\nrte = 99\n", 3, want);
	/* A bad key before a syntax error. */
	expect_error("[port eth0]\nrte = 99\njunk\n", 2,
		     "key 'rte' in [port eth0] must be a whole number from 0 to 31, not '99'.");
	/* Lines longer than inih's buffer. */
	snprintf(text, sizeof(text), "[global]\nstate-dir = /%0250d\n", 0);
	expect_error(text, 2, "the line is longer than 199 characters.");
}

/* A failed load leaves the configuration as it was. */
static void test_failure_keeps_conf(void **state)
{
	(void)state;
	char want[256];

	conf_defaults(&conf);
	assert_int_equal(conf_add_port(&conf, "q0", EVB_ROLE_BRIDGE, err, sizeof(err)), 0);
	write_file("[global]\nstate-dir = /changed\nlog-level = debug\n[port x]\nrole = station\n"
		   "rte = 40\n");
	assert_int_equal(conf_load(&conf, cfg, err, sizeof(err)), -1);
	assert_string_equal(conf.state_dir, "/var/lib/evbd");
	assert_int_equal(conf.log_level, LOG_LVL_NOTICE);
	assert_int_equal(conf.nports, 1);
	assert_string_equal(conf.path, "");
	/* A port already configured (e.g. on the command line) cannot be in the file. */
	write_file("[port q0]\nrole = station\n");
	assert_int_equal(conf_load(&conf, cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s line 1: [port q0]: interface q0 is already configured as a bridge port.", cfg);
	assert_string_equal(err, want);
	/* Ports of the file are added after the existing ones. */
	write_file("[port q1]\nrole = station\n");
	assert_int_equal(conf_load(&conf, cfg, err, sizeof(err)), 0);
	assert_int_equal(conf.nports, 2);
	assert_string_equal(conf.ports[0].ifname, "q0");
	assert_string_equal(conf.ports[1].ifname, "q1");
}

/* A short error buffer is cut, never overrun. */
static void test_short_err_buffer(void **state)
{
	(void)state;
	char small[12];

	write_file("[port eth0]\nrte = 40\n");
	conf_defaults(&conf);
	memset(small, 'x', sizeof(small));
	assert_int_equal(conf_load(&conf, cfg, small, sizeof(small)), -1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, cfg, sizeof(small) - 1);
}

/* ---------------- quick start ---------------- */

static void test_add_port(void **state)
{
	(void)state;
	conf_defaults(&conf);
	assert_int_equal(conf_add_port(&conf, "vst", EVB_ROLE_STATION, err, sizeof(err)), 0);
	assert_int_equal(conf_add_port(&conf, "vbr", EVB_ROLE_BRIDGE, err, sizeof(err)), 0);
	assert_int_equal(conf.nports, 2);
	assert_string_equal(conf.ports[0].ifname, "vst");
	check_role_defaults(&conf.ports[0], EVB_ROLE_STATION);
	assert_string_equal(conf.ports[1].ifname, "vbr");
	check_role_defaults(&conf.ports[1], EVB_ROLE_BRIDGE);

	assert_int_equal(conf_add_port(&conf, "vst", EVB_ROLE_BRIDGE, err, sizeof(err)), -1);
	assert_string_equal(err, "interface vst is already configured as a station port; give "
				 "each interface once.");
	assert_int_equal(
	    conf_add_port(&conf, "eth0123456789abc", EVB_ROLE_BRIDGE, err, sizeof(err)), -1);
	assert_string_equal(err, "interface name 'eth0123456789abc' is longer than 15 characters.");
	assert_int_equal(conf_add_port(&conf, "", EVB_ROLE_BRIDGE, err, sizeof(err)), -1);
	assert_string_equal(err, "interface name '' is empty.");
	assert_int_equal(conf_add_port(&conf, "a:b", EVB_ROLE_BRIDGE, err, sizeof(err)), -1);
	assert_string_equal(err, "interface name 'a:b' must not contain '/', ':' or spaces.");
	assert_int_equal(conf_add_port(&conf, "x", (enum evb_role)7, err, sizeof(err)), -1);
	assert_string_equal(err, "interface x: the role must be station or bridge.");
	assert_int_equal(conf.nports, 2);
}

static void test_add_port_limit(void **state)
{
	(void)state;
	char name[16];

	conf_defaults(&conf);
	for (int i = 0; i < EVBD_MAX_PORTS; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		assert_int_equal(conf_add_port(&conf, name, EVB_ROLE_STATION, err, sizeof(err)), 0);
	}
	assert_int_equal(conf_add_port(&conf, "one-more", EVB_ROLE_STATION, err, sizeof(err)), -1);
	assert_string_equal(err, "cannot add port one-more: evbd handles at most 256 ports.");
	/* And the file cannot add one either. */
	write_file("[port z]\nrole = bridge\n");
	assert_int_equal(conf_load(&conf, cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 1: [port z] is one port too many"));
}

static void test_log_level_names(void **state)
{
	(void)state;
	assert_int_equal(conf_log_level("err"), LOG_LVL_ERR);
	assert_int_equal(conf_log_level("warn"), LOG_LVL_WARN);
	assert_int_equal(conf_log_level("notice"), LOG_LVL_NOTICE);
	assert_int_equal(conf_log_level("info"), LOG_LVL_INFO);
	assert_int_equal(conf_log_level("debug"), LOG_LVL_DEBUG);
	assert_int_equal(conf_log_level("error"), -1);
	assert_int_equal(conf_log_level(""), -1);
	assert_int_equal(conf_log_level(NULL), -1);
}

/* ---------------- log.c ---------------- */

/* Run fn with stderr going to a file; return what it wrote. */
static char *capture_stderr(void (*fn)(void))
{
	char path[128];
	static char out[8192];
	int fd, saved = dup(STDERR_FILENO);
	ssize_t n;

	snprintf(path, sizeof(path), "%s/stderr", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, STDERR_FILENO);
	fn();
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fd, out, sizeof(out) - 1, 0);
	assert_true(n >= 0);
	out[n] = 0;
	close(fd);
	unlink(path);
	return out;
}

/* "<sec>.<usec> evbd[<pid>]: <rest>" -> rest, or NULL if the prefix is wrong. */
static const char *after_prefix(const char *line)
{
	char want[64];
	const char *p = line;
	int digits = 0;

	while (*p >= '0' && *p <= '9')
		p++;
	if (p == line || *p++ != '.')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (digits != 6)
		return NULL;
	snprintf(want, sizeof(want), " evbd[%ld]: ", (long)getpid());
	return strncmp(p, want, strlen(want)) ? NULL : p + strlen(want);
}

static void log_some(void)
{
	log_init(LOG_LVL_WARN, false);
	log_err("first %d", 1);
	log_warn("second\n");
	log_notice("dropped");
	log_debug("dropped too");
	log_set_level(LOG_LVL_DEBUG);
	log_debug("third");
	log_msg(99, "clamped to debug");
	log_set_level(-5);
	log_warn("dropped at err level");
	log_msg(-1, "clamped to err");
}

static void test_log_lines(void **state)
{
	(void)state;
	static const char *const want[] = {"err: first 1",	  "warn: second",
					   "debug: third",	  "debug: clamped to debug",
					   "err: clamped to err", NULL};
	char *out = capture_stderr(log_some);
	char *line = out;

	for (int i = 0; want[i]; i++) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = 0;
		const char *rest = after_prefix(line);
		assert_non_null(rest);
		assert_string_equal(rest, want[i]);
		line = nl + 1;
	}
	assert_string_equal(line, "");
}

static void log_long(void)
{
	char big[3000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	log_init(LOG_LVL_NOTICE, false);
	log_notice("%s", big);
}

static void test_log_long_message_cut(void **state)
{
	(void)state;
	char *out = capture_stderr(log_long);
	size_t n = strlen(out);
	const char *rest = after_prefix(out);

	assert_non_null(rest);
	assert_string_equal(out + n - 4, "...\n");
	assert_int_equal(strlen(rest), strlen("notice: ") + 1023 + 1);
	assert_int_equal(rest[strlen("notice: ")], 'a');
}

static void log_to_syslog(void)
{
	log_init(LOG_LVL_INFO, true);
	log_info("evbd unit test: syslog mode, nothing on stderr");
	log_debug("dropped");
	log_init(LOG_LVL_INFO, false); /* back to stderr */
	log_info("back");
}

static void test_log_syslog_mode(void **state)
{
	(void)state;
	char *out = capture_stderr(log_to_syslog);
	const char *rest = after_prefix(out);

	assert_non_null(rest);
	assert_string_equal(rest, "info: back\n");
}

/* ---------------- plugins ---------------- */

static void test_plugin_keys(void **state)
{
	(void)state;
	assert_int_equal(load("[global]\n"
			      "plugin-dir = /opt/evbd/plugins\n"
			      "plugins = lldpad-nl , snmp,x_1.2\n"
			      "[plugin lldpad-nl]\n"
			      "pid-file = /run/test/lldpad.pid\n"
			      "any-key = any value, with spaces\n"
			      "[plugin snmp]\n"
			      "pid-file = /other\n"),
			 0);
	assert_string_equal(conf.plugin_dir, "/opt/evbd/plugins");
	assert_int_equal(conf.nplugins, 3);
	assert_string_equal(conf.plugins[0], "lldpad-nl");
	assert_string_equal(conf.plugins[1], "snmp");
	assert_string_equal(conf.plugins[2], "x_1.2");
	assert_int_equal(conf.nplugin_kv, 3);
	assert_int_equal(conf.plugin_kv[1].line, 6);
	assert_string_equal(conf_plugin_get(&conf, "lldpad-nl", "pid-file"),
			    "/run/test/lldpad.pid");
	assert_string_equal(conf_plugin_get(&conf, "lldpad-nl", "any-key"),
			    "any value, with spaces");
	assert_string_equal(conf_plugin_get(&conf, "snmp", "pid-file"), "/other");
	assert_null(conf_plugin_get(&conf, "snmp", "any-key"));
	assert_null(conf_plugin_get(&conf, "none", "pid-file"));
	/* an empty list is no plugin; 16 is the most */
	assert_int_equal(load("[global]\nplugins =\n"), 0);
	assert_int_equal(conf.nplugins, 0);
	assert_int_equal(load("[global]\nplugins = a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p\n"), 0);
	assert_int_equal(conf.nplugins, 16);
	assert_string_equal(conf.plugins[15], "p");
}

#define PLUGINS_ALLOWED                                                                            \
	"must be a comma-separated list of at most 16 different plugin names (letters, digits, "   \
	"'_', '-' or '.'), or empty for none, not "

static void test_plugin_errors(void **state)
{
	(void)state;
	expect_error("[global]\nplugins = a, a\n", 2,
		     "key 'plugins' in [global] " PLUGINS_ALLOWED "'a, a'.");
	expect_error("[global]\nplugins = a b\n", 2,
		     "key 'plugins' in [global] " PLUGINS_ALLOWED "'a b'.");
	expect_error("[global]\nplugins = a,\n", 2,
		     "key 'plugins' in [global] " PLUGINS_ALLOWED "'a,'.");
	expect_error("[global]\nplugins = ,a\n", 2,
		     "key 'plugins' in [global] " PLUGINS_ALLOWED "',a'.");
	expect_error("[global]\nplugins = ../x\n", 2,
		     "key 'plugins' in [global] " PLUGINS_ALLOWED "'../x'.");
	expect_error("[global]\nplugins = a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\n", 2,
		     "key 'plugins' in [global] " PLUGINS_ALLOWED
		     "'a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q'.");
	expect_error("[global]\nplugin-dir = lib\n", 2,
		     "key 'plugin-dir' in [global] must be an absolute path (starting with /), "
		     "not 'lib'.");
	expect_error("[plugin]\nx = 1\n", 1,
		     "section [plugin] needs a plugin name, e.g. [plugin lldpad-nl].");
	expect_error("[plugin a/b]\n", 1,
		     "plugin name 'a/b' in [plugin a/b] must be 1 to 63 letters, digits, '_', '-' "
		     "or '.'.");
	expect_error("[plugin a]\nk = 1\n[plugin a]\n", 3,
		     "[plugin a] is given twice (first at line 1).");
	expect_error("[plugin a]\nk = 1\nk = 2\n", 3,
		     "key 'k' in [plugin a] is given twice (first at line 2).");
}

static void test_plugin_key_limits(void **state)
{
	(void)state;
	char text[8192], big[65];
	size_t off = 0;

	memset(big, 'k', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	snprintf(text, sizeof(text), "[plugin a]\n%s = 1\n", big);
	char want[256];
	snprintf(want, sizeof(want),
		 "key '%s' in [plugin a] is too long; keys may have 63 characters and values 255.",
		 big);
	expect_error(text, 2, want);
	off += (size_t)snprintf(text + off, sizeof(text) - off, "[plugin a]\n");
	for (int i = 0; i < 65; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "k%d = %d\n", i, i);
	expect_error(text, 66,
		     "key 'k64' in [plugin a] is one too many; the [plugin] sections may hold 64 "
		     "keys together.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_role_defaults),
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_keys_before_role),
	    cmocka_unit_test(test_rr_per_role),
	    cmocka_unit_test(test_bool_spellings),
	    cmocka_unit_test(test_syntax_variants),
	    cmocka_unit_test(test_empty_file_and_repeated_global),
	    cmocka_unit_test(test_256_ports),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_number_errors),
	    cmocka_unit_test(test_value_errors),
	    cmocka_unit_test(test_unknown_and_repeated_keys),
	    cmocka_unit_test(test_ecp_pace),
	    cmocka_unit_test(test_protocol),
	    cmocka_unit_test(test_cdcp),
	    cmocka_unit_test(test_section_errors),
	    cmocka_unit_test(test_port_without_role),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_failure_keeps_conf),
	    cmocka_unit_test(test_short_err_buffer),
	    cmocka_unit_test(test_add_port),
	    cmocka_unit_test(test_add_port_limit),
	    cmocka_unit_test(test_log_level_names),
	    cmocka_unit_test(test_log_lines),
	    cmocka_unit_test(test_log_long_message_cut),
	    cmocka_unit_test(test_log_syslog_mode),
	    cmocka_unit_test(test_guard_keys),
	    cmocka_unit_test(test_plugin_keys),
	    cmocka_unit_test(test_plugin_errors),
	    cmocka_unit_test(test_plugin_key_limits),
	    cmocka_unit_test(test_nul_byte),
	    cmocka_unit_test(test_read_out_of_memory),
	    cmocka_unit_test(test_plugin_dir_check),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
