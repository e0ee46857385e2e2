/* SPDX-License-Identifier: ISC */
/*
 * main.c - evbd's entry point: options, configuration, daemonizing, pid
 * file, signals (SIGTERM/SIGINT stop with state flushed, SIGHUP reloads the
 * configuration), and start and stop in order.  One process, one thread.
 */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evbd/cluster.h"
#include "evbd/evbd.h"
#include "evbd/events.h"
#include "evbd/journal.h"
#include "evbd/ipc.h"
#include "evbd/link.h"
#include "evbd/log.h"
#include "evbd/mib.h"
#include "evbd/notify.h"
#include "evbd/portset.h"
#include "evbd/plugin.h"
#include "evbd/port.h"
#include "evbd/priv.h"
#include "evbd/rival.h"
#include "evbd/sandbox.h"
#include "evbd/store.h"
#include "evbd/trace.h"
#include "evbd/vsitype.h"

static const char usage[] =
    "Usage: evbd [options]\n"
    "IEEE 802.1Qbg-2012 Edge Virtual Bridging daemon (station and bridge roles).\n"
    "\n"
    "  -f, --config FILE     read the configuration FILE (see evbd.conf(5))\n"
    "      --station IF      run an EVB station port on interface IF (repeatable)\n"
    "      --bridge IF       run an EVB bridge port on interface IF (repeatable)\n"
    "  -s, --state-dir DIR   keep the VSI database in DIR (default /var/lib/evbd)\n"
    "  -p, --pid-file FILE   write the pid to FILE (default /run/evbd.pid)\n"
    "  -t, --trace FILE      write every LLDP/ECP frame sent and received to a pcap FILE\n"
    "  -n, --foreground      stay in the foreground and log to stderr\n"
    "  -v, --verbose         log more (repeat for debug)\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "Signals: SIGTERM/SIGINT stop (state is kept), SIGHUP re-reads the configuration.\n"
    "Control it with evbctl(8).\n";

/* ---------------- options ---------------- */

struct opts {
	const char *config;
	struct evbd_conf cli; /* ports and settings given on the command line */
	bool state_dir, pid_file, trace;
	int verbose;
};

static struct opts given; /* the command line, for SIGHUP too */

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {{"config", required_argument, NULL, 'f'},
					   {"station", required_argument, NULL, 'S'},
					   {"bridge", required_argument, NULL, 'B'},
					   {"state-dir", required_argument, NULL, 's'},
					   {"pid-file", required_argument, NULL, 'p'},
					   {"trace", required_argument, NULL, 't'},
					   {"foreground", no_argument, NULL, 'n'},
					   {"verbose", no_argument, NULL, 'v'},
					   {"help", no_argument, NULL, 'h'},
					   {"version", no_argument, NULL, 'V'},
					   {NULL, 0, NULL, 0}};
	char err[512];
	int c;
	conf_defaults(&o->cli);
	while ((c = getopt_long(argc, argv, "f:s:p:t:nvhV", lo, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->config = optarg;
			break;
		case 'S':
		case 'B':
			if (conf_add_port(&o->cli, optarg,
					  c == 'S' ? EVB_ROLE_STATION : EVB_ROLE_BRIDGE, err,
					  sizeof(err))) {
				fprintf(stderr, "evbd: %s\n", err);
				return -1;
			}
			break;
		case 's':
			snprintf(o->cli.state_dir, sizeof(o->cli.state_dir), "%s", optarg);
			o->state_dir = true;
			break;
		case 'p':
			snprintf(o->cli.pid_file, sizeof(o->cli.pid_file), "%s", optarg);
			o->pid_file = true;
			break;
		case 't':
			snprintf(o->cli.trace_file, sizeof(o->cli.trace_file), "%s", optarg);
			o->trace = true;
			break;
		case 'n':
			o->cli.foreground = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case 'V':
			puts("evbd " EVBD_VERSION);
			exit(0);
		default:
			fputs("Try 'evbd --help'.\n", stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "evbd: unexpected argument '%s'. Try 'evbd --help'.\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/* File settings first, then the command line on top. */
static int build_conf(const struct opts *o, struct evbd_conf *c)
{
	char err[1024];
	conf_defaults(c);
	if (o->config && conf_load(c, o->config, err, sizeof(err))) {
		fprintf(stderr, "evbd: %s\n", err);
		return -1;
	}
	for (unsigned i = 0; i < o->cli.nports; i++) {
		const struct port_conf *pc = &o->cli.ports[i];
		if (conf_add_port(c, pc->ifname, pc->evb.role, err, sizeof(err))) {
			fprintf(stderr, "evbd: %s\n", err);
			return -1;
		}
	}
	if (o->state_dir)
		memcpy(c->state_dir, o->cli.state_dir, sizeof(c->state_dir));
	if (o->pid_file)
		memcpy(c->pid_file, o->cli.pid_file, sizeof(c->pid_file));
	if (o->trace)
		memcpy(c->trace_file, o->cli.trace_file, sizeof(c->trace_file));
	c->foreground = o->cli.foreground;
	if (o->verbose)
		c->log_level = o->verbose > 1 ? LOG_LVL_DEBUG : LOG_LVL_INFO;
	if (!c->nports) {
		fprintf(stderr, "evbd: no EVB port configured. Name one with --station IF or "
				"--bridge IF, or in a [port IF] section of the config file.\n");
		return -1;
	}
	return 0;
}

/* ---------------- pid file ---------------- */

static int pid_fd = -1;

static int pidfile_take(const char *path)
{
	if (!path[0])
		return 0;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_err("cannot create the pid file %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		char buf[32] = "";
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		log_err("another evbd (pid %ld) holds %s; stop it first or use --pid-file",
			strtol(buf, NULL, 10), path);
		close(fd);
		return -1;
	}
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || write(fd, buf, (size_t)n) != n)
		log_warn("cannot write the pid file %s: %s", path, strerror(errno));
	pid_fd = fd;
	return 0;
}

static void pidfile_release(const char *path)
{
	if (pid_fd < 0)
		return;
	unlink(path);
	close(pid_fd);
	pid_fd = -1;
}

/* ---------------- signals ---------------- */

static void on_stop(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	struct evbd *d = arg;
	log_notice("signal %d: stopping", (int)sig);
	notify_stopping("stopping on signal %d; the state is kept", (int)sig);
	d->stopping = true;
	event_base_loopbreak(d->loop.base);
}

static bool configured(const struct evbd_conf *c, const char *ifname)
{
	for (unsigned i = 0; i < c->nports; i++)
		if (!strcmp(c->ports[i].ifname, ifname))
			return true;
	return false;
}

/* SIGHUP: a port named neither in the file nor on the command line stops
 * (port_remove).  It leaves d->ports before anyone hears of it. */
static void remove_unconfigured(struct evbd *d, const struct evbd_conf *c)
{
	unsigned i = 0;
	while (i < d->nports) {
		struct evbd_port *p = d->ports[i];
		/* an S-channel's port goes with its port (evbd/schan.h) */
		if (p->parent || configured(c, p->ifname) || configured(&given.cli, p->ifname)) {
			i++;
			continue;
		}
		evbd_port_detach(d, p);
		port_remove(p); /* its S-channels' ports leave d->ports too */
		i = 0;
	}
}

static bool plugin_keys_differ(const struct evbd_conf *a, const struct evbd_conf *b)
{
	if (a->nplugin_kv != b->nplugin_kv)
		return true;
	for (unsigned i = 0; i < a->nplugin_kv; i++) {
		const struct plugin_kv *x = &a->plugin_kv[i], *y = &b->plugin_kv[i];
		if (strcmp(x->plugin, y->plugin) || strcmp(x->key, y->key) ||
		    strcmp(x->value, y->value))
			return true;
	}
	return false;
}

/* SIGHUP's [global] keys: admin-group applies at once (the old group loses
 * its rights with the next request); log-level and policy apply in
 * reload(); the others need a restart and say so when changed.  A key the
 * command line gave stays as given. */
static void reload_global(struct evbd *d, const struct evbd_conf *c)
{
	const struct evbd_conf *o = &d->conf;
	const struct {
		const char *key;
		bool changed;
	} restart[] = {
	    {"state-dir", !given.state_dir && strcmp(c->state_dir, o->state_dir)},
	    {"pid-file", !given.pid_file && strcmp(c->pid_file, o->pid_file)},
	    {"trace", !given.trace && strcmp(c->trace_file, o->trace_file)},
	    {"plugin-dir", strcmp(c->plugin_dir, o->plugin_dir) != 0},
	    {"user", strcmp(c->user, o->user) != 0},
	    {"plugins", c->nplugins != o->nplugins ||
			    memcmp(c->plugins, o->plugins, c->nplugins * sizeof(c->plugins[0]))},
	    {"a [plugin] section", plugin_keys_differ(c, o)},
	    {"the [cluster] section", memcmp(&c->cluster, &o->cluster, sizeof(c->cluster)) != 0},
	};
	for (size_t i = 0; i < sizeof(restart) / sizeof(restart[0]); i++)
		if (restart[i].changed)
			log_warn("SIGHUP: %s changed; restart evbd to apply it", restart[i].key);
	if (strcmp(c->admin_group, o->admin_group)) {
		log_notice("SIGHUP: admin-group changed from '%s' to '%s' (empty: root only); "
			   "members of the old group may no longer change state",
			   o->admin_group, c->admin_group);
		memcpy(d->conf.admin_group, c->admin_group, sizeof(d->conf.admin_group));
	}
}

static void reload(struct evbd *d)
{
	struct evbd_conf c;
	char err[1024];
	conf_defaults(&c);
	if (!d->conf.path[0]) {
		log_notice("SIGHUP: no config file to re-read (started without --config)");
		return;
	}
	if (conf_load(&c, d->conf.path, err, sizeof(err))) {
		log_err("SIGHUP: the configuration was not changed: %s", err);
		return;
	}
	if (!c.nports && !given.cli.nports) {
		log_err("SIGHUP: the configuration was not changed: %s names no EVB port and "
			"evbd needs one. Add a [port IF] section, or stop evbd to stop them all.",
			d->conf.path);
		return;
	}
	reload_global(d, &c);
	if (!given.verbose) /* -v on the command line outranks the file, as at start */
		log_set_level(c.log_level);
	evbd_mib_conf(d, &c);
	portset_conf(d, &c);
	remove_unconfigured(d, &c);
	for (unsigned i = 0; i < c.nports; i++) {
		struct evbd_port *p = evbd_port_find(d, c.ports[i].ifname);
		if (p && p->conf.evb.role != c.ports[i].evb.role) {
			log_warn("SIGHUP: %s changes role; restart evbd to apply that", p->ifname);
		} else if (p) {
			port_reconfigure(p, &c.ports[i]);
		} else {
			struct evbd_port **np =
			    realloc(d->ports, (d->nports + 1) * sizeof(*d->ports));
			if (!np || !(p = port_create(d, &c.ports[i]))) {
				log_err("SIGHUP: cannot add port %s: out of memory",
					c.ports[i].ifname);
				continue;
			}
			d->ports = np;
			d->ports[d->nports++] = p;
			log_notice("SIGHUP: added port %s", p->ifname);
		}
	}
	link_refresh(d);
	log_notice("configuration re-read from %s", d->conf.path);
}

static void on_hup(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	struct evbd *d = arg;
	notify_reloading("re-reading %s", d->conf.path[0] ? d->conf.path : "(no config file)");
	reload(d);
	notify_ready("running with %u port(s) (configuration re-read)", d->nports);
}

/* ---------------- start / stop ---------------- */

static int start(struct evbd *d)
{
	if (mkdir(d->conf.state_dir, 0700) && errno != EEXIST) {
		log_err("cannot create the state directory %s: %s", d->conf.state_dir,
			strerror(errno));
		return -1;
	}
	if (store_open(d->conf.state_dir, &d->store))
		return -1;
	loop_batch_store(&d->loop, d->store);
	if (vsitype_db_open(store_sqlite(d->store), &d->types))
		return -1;
	if (evbd_mib_open(d))
		return -1;
	evbd_mib_conf(d, &d->conf);
	portset_conf(d, &d->conf);
	if (d->conf.trace_file[0] && !(d->trace = trace_open(d->conf.trace_file)))
		return -1;
	d->ports = calloc(d->conf.nports, sizeof(*d->ports));
	if (!d->ports)
		return -1;
	for (unsigned i = 0; i < d->conf.nports; i++) {
		d->ports[i] = port_create(d, &d->conf.ports[i]);
		if (!d->ports[i])
			return -1;
		d->nports++;
	}
	if (ipc_open(d) || cluster_open(d))
		return -1;
	return link_open(d);
}

static void stop(struct evbd *d)
{
	link_close(d);
	loop_commit(&d->loop); /* the answers held for a sync point go out */
	cluster_close(d);      /* type changes waiting for etcd are answered */
	if (d->ipc)
		ipc_close(d->ipc);
	d->ipc = NULL;
	/* a port destroys its S-channels' ports (evbd/schan.h), which leave d->ports */
	while (d->nports) {
		struct evbd_port *p = d->ports[d->nports - 1];
		while (p->parent)
			p = p->parent;
		evbd_port_detach(d, p);
		port_destroy(p);
	}
	free(d->ports);
	evbd_mib_close(d);
	vsitype_db_close(d->types);
	loop_batch_store(&d->loop, NULL);
	store_close(d->store);
	trace_close(d->trace);
}

static int daemonize(void)
{
	if (daemon(0, 0)) {
		fprintf(stderr, "evbd: cannot run in the background: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct evbd d;
	if (parse_args(argc, argv, &given) || build_conf(&given, &d.conf))
		return 2;
	if (given.config)
		snprintf(d.conf.path, sizeof(d.conf.path), "%s", given.config);
	if (!d.conf.foreground && daemonize())
		return 1;
	log_init(d.conf.log_level, !d.conf.foreground);
	signal(SIGPIPE, SIG_IGN);
	if (loop_init(&d.loop) || events_wire(&d))
		return 1;
	srandom((unsigned)(loop_now(&d.loop) ^ (uint64_t)getpid()));
	struct event *sig[3] = {evsignal_new(d.loop.base, SIGTERM, on_stop, &d),
				evsignal_new(d.loop.base, SIGINT, on_stop, &d),
				evsignal_new(d.loop.base, SIGHUP, on_hup, &d)};
	for (int i = 0; i < 3; i++)
		event_add(sig[i], NULL);

	int rc = 1;
	char why[512];
	if (rival_lldpad(RIVAL_LLDPAD_PIDFILE, RIVAL_LLDPAD_CLIF, why, sizeof(why))) {
		log_err("evbd does not start: %s", why);
		notify_status("not started: lldpad is running");
	} else if (pidfile_take(d.conf.pid_file) == 0) {
		/* Plugins first: lldpad-nl binds the NETLINK_ROUTE port id = pid,
		 * which the link monitor's socket would otherwise get. */
		plugins_load(&d);
		/* Everything that needs root is open: keep only what the
		 * rest of evbd's life needs (priv.h). */
		if (start(&d) == 0 && priv_drop(&d.conf) == 0 &&
		    sandbox_enter(&d.conf, d.loop.base) == 0) {
			log_notice("evbd " EVBD_VERSION " running with %u port(s), state in %s",
				   d.nports, d.conf.state_dir);
			notify_ready("running with %u port(s), state in %s", d.nports,
				     d.conf.state_dir);
			event_base_dispatch(d.loop.base);
			rc = 0;
		} else {
			notify_status("start-up failed; the log says why");
		}
		plugins_unload(&d);
		sandbox_fini();
		stop(&d);
		pidfile_release(d.conf.pid_file);
	}
	for (int i = 0; i < 3; i++)
		event_free(sig[i]);
	loop_fini(&d.loop);
	journal_free(d.journal);
	return rc;
}
